#!/usr/bin/env bash
# survival4j (DL4J) and torchsurv step times in one run (issue 22): the same two Cox MLPs, plain and
# with momentum, alternating between the two libraries so that both see the same machine load.
#
#   mvn -B -q -o install -DskipTests
#   mvn -B -q -o -pl benchmarks dependency:build-classpath -Dmdep.outputFile=cp.txt
#   PYTHONPATH=/path/to/torchsurv/src benchmarks/torchsurv-side-by-side.sh [rounds] [JVM options...]
#
# Needs python3 with torch (apt-get install python3-torch; then PYTHON=/usr/bin/python3 if another
# python3 comes first on the PATH) and torchsurv (see torchsurv_steps.py).
# The JVM options (e.g. -Xmx512m) are those a survival4j run would be started with; none: the JVM's
# defaults. Each line gives microseconds per iteration (median [quartiles]); "peak RSS" is the
# largest resident set of the process (GNU time).
set -euo pipefail
rounds=${1:-3}
shift || true
here=$(cd "$(dirname "$0")" && pwd)
cp="$(cat cp.txt):$here/target/classes"
export OMP_NUM_THREADS=1
for round in $(seq 1 "$rounds"); do
  echo "=== round $round survival4j (JVM options: ${*:-none}) $(date +%T)"
  /usr/bin/time -f "peak RSS %M KB" java "$@" -cp "$cp" org.survival4j.benchmarks.InterleavedStepRatio dl4j 40 2>&1 \
    | grep -E '^32-|peak RSS'
  echo "=== round $round torchsurv $(date +%T)"
  "${PYTHON:-python3}" "$here/torchsurv_steps.py" 40 2>&1 | grep -E '^32-|peak RSS|^torchsurv'
done

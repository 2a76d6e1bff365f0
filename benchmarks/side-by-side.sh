#!/usr/bin/env bash
# Old and new code measured alternately in one run, so that both see the same machine load.
#
#   git worktree add /tmp/old <old-commit> && (cd /tmp/old && mvn -B -q -o install -DskipTests)
#   mvn -B -q -o install -DskipTests
#   mvn -B -q -o -pl benchmarks dependency:build-classpath -Dmdep.outputFile=cp.txt
#   benchmarks/side-by-side.sh /tmp/old . [rounds]
#
# Each argument is a checkout whose momentum-core, dl4j-integration and benchmarks were built
# (target/classes). The third-party classpath comes from cp.txt, without the project's own jars.
set -euo pipefail
old=$1 new=$2 rounds=${3:-3}
base=$(tr ':' '\n' < cp.txt | grep -v 'org/survival4j' | paste -sd:)
classes() { echo "$base:$1/momentum-core/target/classes:$1/dl4j-integration/target/classes:$1/benchmarks/target/classes"; }
export OMP_NUM_THREADS=1
for round in $(seq 1 "$rounds"); do
  for mode in dl4j samediff; do
    for side in old new; do
      dir=$old; [ "$side" = new ] && dir=$new
      echo "=== round $round $mode $side $(date +%T)"
      java -cp "$(classes "$dir")" org.survival4j.benchmarks.InterleavedStepRatio "$mode" 40 2>&1 | grep -E 'batch|ratio'
    done
  done
done
for side in old new; do
  dir=$old; [ "$side" = new ] && dir=$new
  echo "=== StepTimeDistribution $side $(date +%T)"
  java -cp "$(classes "$dir")" org.survival4j.benchmarks.StepTimeDistribution 4000 2>&1 | grep -vE '^\[|WARN|INFO'
done

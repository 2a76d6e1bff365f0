#!/usr/bin/env bash
# Data-parallel scaling of the main job (docs/distributed.md): `survival4j train` on the embedded
# Rotterdam/GBSG data with 1 and 2 ParallelWrapper workers, with momentum and plain, the settings
# measured alternately in each round so that all see the same machine load.
#
#   mvn -B -q -o install -DskipTests
#   mvn -B -q -o -pl examples dependency:build-classpath -Dmdep.outputFile=excp.txt
#   benchmarks/data-parallel-scaling.sh [rounds]
#
# Prints, per run: the wall time of the whole job (data, 40 epochs of training, evaluation, plots),
# the batches of 16 rows trained per second (97 batches an epoch) and Harrell's C on GBSG.
set -euo pipefail
rounds=${1:-3}
cp="$(cat excp.txt):examples/target/classes"
out=$(mktemp -d)
for round in $(seq 1 "$rounds"); do
  for momentum in "" "--no-momentum"; do
    for workers in 1 2; do
      java -cp "$cp" org.survival4j.examples.cli.Survival4jCli train --workers "$workers" $momentum \
          --out "$out/run" > /dev/null 2>&1
      json=$(tr -d ' \n' < "$out/run/metrics.json")
      seconds=$(grep -o '"seconds":[0-9.]*' <<< "$json" | grep -o '[0-9.]*$')
      harrell=$(grep -o '"harrell":{"estimate":[0-9.]*' <<< "$json" | grep -o '[0-9.]*$')
      awk -v r="$round" -v m="${momentum:-momentum}" -v w="$workers" -v s="$seconds" -v c="$harrell" 'BEGIN {
          printf "round %s  %-13s  workers %s  %6.1f s  %6.0f batches/s  C %.4f\n", r, m, w, s, 3880 / s, c }'
    done
  done
done
rm -rf "$out"

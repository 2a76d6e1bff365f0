#!/bin/sh
# Runs 'survival4j tune' on the study data sets (export-datasets.R) and keeps each run's outputs.
# Usage: run-study.sh DATADIR OUTDIR MINUTES "SEEDS" "DATASETS"
#   e.g. run-study.sh /tmp/dev runs 8 "1 2 3" "gbsg trace flchain colon nwtco mgus2 pbc"
# Each run is the acceptance command plus --compare (a linear Cox model on the same rows) and --out.
# SURVIVAL4J, if set, is the command to run instead of bin/survival4j (e.g. a copy of a build);
# TUNE_ARGS, if set, is added to each tune command (e.g. "--stop-on loss").
set -e
data=$1; out=$2; minutes=$3; seeds=$4; sets=$5
root=$(cd "$(dirname "$0")/../../.." && pwd)
mkdir -p "$out"
for name in $sets; do
  for seed in $seeds; do
    dir="$out/$name-seed$seed"
    start=$(date +%s)
    ${SURVIVAL4J:-"$root/bin/survival4j"} tune --data "$data/$name-train.csv" --test "$data/$name-test.csv" --time time \
        --event event --seed "$seed" --budget-minutes "$minutes" --compare --out "$dir" $TUNE_ARGS > "$dir.log" 2>&1 || true
    echo "$name seed $seed: $(( $(date +%s) - start )) s wall, load $(cut -d' ' -f1 /proc/loadavg)" >> "$out/wall-times.txt"
  done
done

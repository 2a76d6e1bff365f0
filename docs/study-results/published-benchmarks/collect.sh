#!/bin/sh
# Copies what docs/published-benchmarks.md rests on from run-study.sh's OUTDIR into runs/ here: per run
# metrics.json, trials.csv, tuning-summary.txt and the log without its progress-bar lines (model.zip and
# the plots are left out: they are large and are re-made by the command).
# Usage: collect.sh OUTDIR [DEST]   (DEST defaults to runs, a folder next to this script)
set -e
from=$1
here=$(cd "$(dirname "$0")" && pwd)/${2:-runs}
mkdir -p "$here"
for dir in "$from"/*-seed*; do
  [ -d "$dir" ] || continue
  name=$(basename "$dir")
  mkdir -p "$here/$name"
  if [ -f "$dir/metrics.json" ]; then
    cp "$dir/metrics.json" "$dir/trials.csv" "$dir/tuning-summary.txt" "$here/$name/"
  else
    echo "$name: no outputs (the run did not finish), its log only"
  fi
  grep -v -E '^(tune|refit) ' "$dir.log" > "$here/$name/log.txt" || true
done
cat "$from/wall-times.txt" >> "$here/wall-times.txt"

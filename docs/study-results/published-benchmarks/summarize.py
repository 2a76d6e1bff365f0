#!/usr/bin/env python3
"""Summarizes the runs of run-study.sh as the markdown table of docs/published-benchmarks.md.

Usage: summarize.py RUNSDIR   (the OUTDIR of run-study.sh: one folder NAME-seedS per run, with
metrics.json and tuning-summary.txt, and wall-times.txt)
"""
import json
import os
import re
import sys

runs = sys.argv[1] if len(sys.argv) > 1 else "runs"
walls = {}
if os.path.exists(os.path.join(runs, "wall-times.txt")):
    for line in open(os.path.join(runs, "wall-times.txt")):
        m = re.match(r"(\S+) seed (\d+): (\d+) s wall", line)
        if m:
            walls[(m.group(1), int(m.group(2)))] = int(m.group(3))

print("| data | seed | tuned: test C | linear Cox: test C | difference (p) | CV C of the choice (sd) | trials (on all folds) | wall s | chosen |")
print("|---|---|---|---|---|---|---|---|---|")
for entry in sorted(os.listdir(runs)):
    m = re.match(r"(.+)-seed(\d+)$", entry)
    path = os.path.join(runs, entry, "metrics.json")
    if not m or not os.path.exists(path):
        continue
    name, seed = m.group(1), int(m.group(2))
    metrics = json.load(open(path))
    models = metrics["models"]
    tuned = models[0]["harrell"]["estimate"]
    linear = next((x for x in models if x["name"] == "linear Cox"), None)
    t = metrics["tuning"]
    summary = open(os.path.join(runs, entry, "tuning-summary.txt")).read()
    finished = re.search(r"trials: (\d+) \((\d+) on all folds\)", summary)
    chosen = re.search(r"^settings: (.*)$", summary, re.M).group(1)
    chosen = re.sub(r", seed \d+$", "", chosen)
    row = [name, str(seed), "%.4f" % tuned]
    if linear:
        d = linear["versusFirst"]["harrell"]
        row += ["%.4f" % linear["harrell"]["estimate"], "%+.4f (%.2f)" % (-d["difference"], d["p"])]
    else:
        row += ["", ""]
    row += ["%.4f (%.4f)" % (t["cvMeanHarrell"], t["cvSdHarrell"]),
            "%s (%s)" % (finished.group(1), finished.group(2)) if finished else str(t["trials"]),
            str(walls.get((name, seed), "")), chosen]
    print("| " + " | ".join(row) + " |")

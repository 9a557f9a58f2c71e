#!/usr/bin/env python3
"""Baseline: csvkit — `in2csv` per file, then `csvstack`, as one would type it in a shell.

    python bench/baselines/csvkit_merge.py FOLDER OUT.csv [LIMIT]

Runs in2csv --skip-lines 2 on each .xlsx (LIMIT: only the first LIMIT files in name order),
then csvstack --filenames over the CSVs (named after their sources) into OUT.csv. The csvkit commands are taken from the
directory of this Python (the venv) or PATH.
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)


folder, out = Path(sys.argv[1]), Path(sys.argv[2])
limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
files = sorted(p for p in folder.rglob("*.xlsx") if not p.name.startswith("~$"))[:limit]
in2csv, csvstack = tool("in2csv"), tool("csvstack")
with tempfile.TemporaryDirectory(prefix="bench-csvkit-") as tmp:
    csvs = []
    for i, p in enumerate(files):
        target = Path(tmp) / f"{i:05d}-{p.stem}.csv"
        with open(target, "wb") as fh:
            subprocess.run([in2csv, "--skip-lines", "2", str(p)], stdout=fh, check=True)
        csvs.append(str(target))
    with open(out, "wb") as fh:
        subprocess.run([csvstack, "--filenames", *csvs], stdout=fh, check=True)
print(f"{len(files)} files -> {out}")

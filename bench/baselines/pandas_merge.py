#!/usr/bin/env python3
"""Baseline: the naive pandas merge — read_excel(openpyxl) per file, concat, to_excel.

    python bench/baselines/pandas_merge.py FOLDER OUT.xlsx

What most offices' first script looks like. Header on the third row (title + 填报单位 line above).
"""
import sys
from pathlib import Path

import pandas as pd

folder, out = Path(sys.argv[1]), sys.argv[2]
files = sorted(p for p in folder.rglob("*.xlsx") if not p.name.startswith("~$"))
frames = []
for p in files:
    df = pd.read_excel(p, engine="openpyxl", header=2)
    df.insert(0, "来源文件", p.name)
    frames.append(df)
merged = pd.concat(frames, ignore_index=True)
merged.to_excel(out, index=False)
print(f"{len(files)} files, {len(merged)} rows")

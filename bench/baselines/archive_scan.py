#!/usr/bin/env python3
"""Baseline: read every record of a bqw archive (the row-wise JSON text) and nothing else.

    python archive_scan.py bqw.db

The floor of any summary that looks at each archived row once: SQLite's scan of the records table.
"""

import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
n = size = 0
for (data,) in db.execute("SELECT data FROM records"):
    n += 1
    size += len(data)
print(n, size)

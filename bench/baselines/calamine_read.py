#!/usr/bin/env python3
"""Baseline: the bare read — open an .xlsx with python-calamine and load its first sheet.

    python bench/baselines/calamine_read.py FILE

No header search, no typing, no checks: the floor any validator that reads with calamine sits on.
"""
import sys

import python_calamine

book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = book.get_sheet_by_index(0).to_python()
print(f"{len(rows)} rows")

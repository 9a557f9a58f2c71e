#!/usr/bin/env python3
"""Baseline: a naive pandas summary of a bqw archive — what a script written in an afternoon does.

    python pandas_archive_summary.py bqw.db

Reads every current record (JSON per row) into frames, then counts visits, days and problems
solved per leader and per month, and tasks, done and overdue per 牵头单位. Far less than
`bqw summarise` (no villages, pace, assignments, problems, responsibility units or lists of items).
"""

import json
import sqlite3
import sys

import pandas as pd

db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT r.table_kind, r.data FROM records r JOIN submissions s ON s.id = r.submission_id "
                  "WHERE s.status = 'current' AND r.held = 0").fetchall()
visits = pd.DataFrame([json.loads(d) for k, d in rows if k == "visits"])
tasks = pd.DataFrame([json.loads(d) for k, d in rows if k == "tasks"])
by_leader = visits.groupby("镇领导").agg(visits=("镇领导", "size"), days=("调研天数", "sum"),
                                       solved=("推动解决问题数量", "sum"))
by_month = visits.groupby(["镇领导", "月份"]).size().unstack(fill_value=0)
as_of = pd.Timestamp("2026-12-31")
deadline = pd.to_datetime(tasks["完成时限"], errors="coerce")
tasks["overdue"] = (tasks["完成状态"] != "已完成") & (deadline < as_of)
by_unit = tasks.groupby("牵头单位").agg(tasks=("牵头单位", "size"), overdue=("overdue", "sum"))
out = {"leaders": by_leader.reset_index().to_dict("records"), "months": by_month.reset_index().to_dict("records"),
       "units": by_unit.reset_index().to_dict("records")}
json.dump(out, sys.stdout, ensure_ascii=False, default=str)

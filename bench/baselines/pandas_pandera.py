#!/usr/bin/env python3
"""Baseline: what a first naive script would do — pandas + a simple pandera schema.

    python bench/baselines/pandas_pandera.py FILE

Reads the sheet with pd.read_excel(engine="calamine") (title row skipped, header on row 2) and checks
a small pandera.pandas schema lazily (required cells, a phone number in the contact, the count a
non-negative integer). It knows nothing of "3个" / "三", text dates, merged cells or header aliases,
so it flags more and understands less than bqw; it is a speed reference, not a rival.
Exit code 1 when the schema finds problems, like bqw.
"""
import sys

import pandas as pd
import pandera.pandas as pa

frame = pd.read_excel(sys.argv[1], engine="calamine", header=1, dtype=object)

required = pa.Column(object, nullable=False)
schema = pa.DataFrameSchema(
    {
        "序号": pa.Column(object, nullable=False),
        "镇领导": pa.Column(str, nullable=False, checks=pa.Check.str_length(2, 5)),
        "调研时间": required,
        "调研地点": pa.Column(str, nullable=False, checks=pa.Check.str_matches(r".+(村|社区)$")),
        "调研内容": pa.Column(str, nullable=False),
        "推动解决问题数量": pa.Column(
            object, nullable=True,
            checks=pa.Check(lambda s: s.map(lambda v: isinstance(v, (int, float)) and v >= 0),
                            element_wise=False)),
        "联系人及联系方式": pa.Column(str, nullable=False, checks=pa.Check.str_contains(r"1\d{10}")),
        "备注": pa.Column(object, nullable=True),
    },
    strict=False,
)
try:
    schema.validate(frame, lazy=True)
except pa.errors.SchemaErrors as e:
    print(f"{len(frame)} rows, {len(e.failure_cases)} failure cases")
    sys.exit(1)
print(f"{len(frame)} rows, valid")

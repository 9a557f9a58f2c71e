#!/usr/bin/env python3
"""Baseline: frictionless (Frictionless Data) validating the sheet against a simple Table Schema.

    python bench/baselines/frictionless_validate.py FILE

Header on row 2 (row 1 is the title). Types kept loose ("any" where people type dates and counts
in several ways) so the check is about required cells and a phone number in the contact.
Exit code 1 when the report is not valid, like bqw.
"""
import sys

from frictionless import Dialect, Resource, Schema, formats

schema = Schema.from_descriptor({
    "fields": [
        {"name": "序号", "type": "integer", "constraints": {"required": True}},
        {"name": "镇领导", "type": "string", "constraints": {"required": True}},
        {"name": "调研时间", "type": "any", "constraints": {"required": True}},
        {"name": "调研地点", "type": "string", "constraints": {"required": True}},
        {"name": "调研内容", "type": "string", "constraints": {"required": True}},
        {"name": "推动解决问题数量", "type": "any"},
        {"name": "联系人及联系方式", "type": "string",
         "constraints": {"required": True, "pattern": r".*1\d{10}.*"}},
        {"name": "备注", "type": "any"},
    ]
})
resource = Resource(
    path=sys.argv[1],
    format="xlsx",
    schema=schema,
    dialect=Dialect(header_rows=[2], controls=[formats.ExcelControl(sheet=1)]),
)
report = resource.validate(limit_errors=10**9)
task = report.tasks[0]
print(f"{task.stats.get('rows')} rows, {len(task.errors)} errors, valid={report.valid}")
sys.exit(0 if report.valid else 1)

"""validate() and apply_schema() leave the ReadResult they are given as it was (issue 15: validate mutated it)."""

from __future__ import annotations

from pathlib import Path

from bqw.io.reader import read_ledger
from bqw.jobs.validate import apply_schema, validate

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BAD = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"


def test_validate_returns_a_new_result_and_leaves_the_read_one_alone():
    read = read_ledger(BAD, "visits", period="2026-10")
    before = list(read.findings)
    checked = validate(read)
    assert read.findings == before
    assert checked is not read and checked.tables is read.tables
    added = [f for f in checked.findings if f not in before]
    assert any(f.severity == "error" for f in added)  # the sample's errors are the rules', not the reader's
    assert all(f in checked.findings for f in before)


def test_apply_schema_returns_new_results_and_leaves_the_given_alone():
    read = validate(read_ledger(BAD, "visits", period="2026-10"), schema=False)
    before = list(read.findings)
    [checked] = apply_schema([read])
    assert read.findings == before
    assert len(checked.findings) > len(before)  # the schema's findings: 推动解决问题数量 not an integer, …

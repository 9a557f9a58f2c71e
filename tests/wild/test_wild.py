"""The wild corpus property: bqw reads every generated ledger exactly (tests/wild/README.md).

For each seed a file is composed from independent traits (generator.py) and checked (check.py):
validate_file finds no error, and merging the file alone gives exactly its truth's records.
One test per seed, so one failure hides no other; BQW_WILD_CASES sets how many (default 300).
`make wild` runs 5,000 and prints the failures by trait (run.py).
"""

from __future__ import annotations

import os

import pytest

from .check import check
from .generator import generate

CASES = int(os.environ.get("BQW_WILD_CASES") or 300)


@pytest.mark.parametrize("seed", range(CASES), ids=lambda s: f"seed={s}")
def test_reads_the_wild_ledger_exactly(seed, tmp_path):
    case = generate(seed, folder=tmp_path)
    problems = check(case)
    assert not problems, case.describe() + "\n" + "\n".join(f"- {p}" for p in problems)


def test_generation_is_deterministic(tmp_path):
    """Same seed, same bytes and same truth (no wall clock in a workbook's properties)."""
    for seed in range(12):
        a, b = tmp_path / f"a{seed}", tmp_path / f"b{seed}"
        a.mkdir()
        b.mkdir()
        first, second = generate(seed, folder=a), generate(seed, folder=b)
        assert first.path.name == second.path.name
        assert first.path.read_bytes() == second.path.read_bytes(), first.describe()
        assert first.truth == second.truth and first.traits == second.traits


def test_official_template_is_reproduced(tmp_path):
    """附件3 as printed (seeds/003): its title, its header over two rows, 调研成效 over the template's
    placeholder sub-columns, every other header cell merged down — checked in the written workbook."""
    import openpyxl

    from .generator import OFFICIAL_EFFECT_SUBS

    fixed = {"format": "xlsx", "year": "2026", "sheets": "single", "instructions_sheet": "no", "hidden_sheet": "no",
             "title": "printed", "attachment_line": "no", "title_merged": "yes", "title_block": "none",
             "header": "official-two-row", "column_numbers": "no", "leader_source": "filename", "columns": "full",
             "order": "template", "extras": "0", "example_row": "例", "submitted_days": "no",
             "period_source": "filename"}
    case = generate(7, "visits", folder=tmp_path, fixed=fixed)
    assert {k: case.traits[k] for k in fixed} == fixed
    ws = openpyxl.load_workbook(case.path).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "2026 年度乌塘镇领导开展“百千万工程”工作挂牌调研督查"
    assert rows[1] == ["序号", "调研时间", "调研地点", "调研内容", "调研成效", None, "调研推动解决问题数量(个)",
                       "联系人及联系方式", "备注"]
    assert rows[2] == [None, None, None, None, *OFFICIAL_EFFECT_SUBS, None, None, None]
    assert rows[3][:4] == ["例", "2026年xx月xx日", "xx村", "xx村xx工作情况。"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:I1", "E2:F2", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "G2:G3", "H2:H3", "I2:I3"} <= merged
    assert case.path.name.endswith("-" + case.truth["visits"][0]["镇领导"] + ".xlsx")
    assert "（" in case.path.name and all(r["期间"] == case.truth["visits"][0]["期间"] for r in case.truth["visits"])

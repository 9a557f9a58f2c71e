"""Issue 14: nothing misfiled — cells whose formulas were saved without a result, and periods taken
from the strongest evidence (title and 填报 lines, then the dates, then the file name)."""

from __future__ import annotations

import datetime as dt

import openpyxl
from conftest import run_bqw

from bqw.archive import Archive
from bqw.merge import merge
from bqw.validate import validate_file

HEADER = ["序号", "镇领导", "调研时间", "调研地点", "调研内容", "推动解决问题数量"]


def test_formulas_saved_without_their_result_are_said_and_their_row_kept(tmp_path):
    """openpyxl, like some tools, saves a formula with no cached value: calamine reads it as empty.
    Each such cell is a warning; a row of them is a record (held back for its empty required cells),
    never a blank row dropped in silence."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年度平安镇领导挂点调研台账（10月）"])
    ws.append(HEADER)
    ws.append([1, "洪文泽", "2026年10月9日", "东坑村", "调研", "=1+1"])  # F3: one formula among values
    ws.append(["=A3+1", "=B3", "=C3", "=D3", "=E3", "=F3"])  # row 4: all formulas, none computed
    path = tmp_path / "附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx"
    wb.save(path)
    r = validate_file(path)
    no_value = [f.cell for f in r.findings if f.code == "formula-no-value"]
    assert no_value == ["F3", "A4", "B4", "C4", "D4", "E4", "F4"]
    assert all(f.severity == "warning" and "公式没有计算结果" in f.message for f in r.findings
               if f.code == "formula-no-value")
    assert not r.valid  # row 4's required cells are empty: it is no longer “通过”
    (t,) = r.tables
    assert list(t.frame.index) == [3, 4] and 4 not in dict(t.dropped)
    with Archive(":memory:") as store:
        result = merge([path], archive=store, as_of=dt.date(2026, 10, 31), workers=1)
    assert result.merged_rows == 1 and result.held_rows == 1  # row 4 in 待核实, not counted as 空行
    (outcome,) = result.outcomes
    assert "空行" not in outcome.dropped

"""The fast row writer (bqw.output.xlsx.FastSheet) writes the same sheet XML, byte for byte, as
xlsxwriter's own writers cell by cell; and what it writes opens with the right values and formats."""

from __future__ import annotations

import zipfile
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from bqw.output import xlsx as xlsxout


def _frame(n: int = 12) -> pd.DataFrame:
    texts = ["普通文本", "A&B <c> \"q\"", "  前后空格 ", "_x0041_ 字面量", "", "第二行\n换行", "长" * 40000, None]
    return pd.DataFrame({
        "序号": pd.array([i + 1 if i % 5 else None for i in range(n)], dtype="Int64"),
        "调研内容": [texts[i % len(texts)] for i in range(n)],
        "调研时间": pd.to_datetime([f"2026-10-{(i % 28) + 1:02d}" if i % 4 else None for i in range(n)]),
        "数量": [float(i) / 3 if i % 6 else float("nan") for i in range(n)],
        "混合": [[True, 7, pd.Timestamp("2026-01-02"), "文字", None, 2.5, float("inf"), ["列表"]][i % 8]
               for i in range(n)],
        "是否": [i % 2 == 0 for i in range(n)],
        "校验提示": [["", None, "D7 日期无法识别"][i % 3] for i in range(n)],
    })


def _write(path, frame, fast: bool, monkeypatch) -> bytes:
    cls = xlsxout.sheet_class()
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(cls, "can_write_rows", lambda self: False)

        def build(wb, styles):
            xlsxout.write_table(wb, styles, "台账", "合并台账", frame, {"调研内容": 40},
                                mark="校验提示", mark_format=styles.warn)

        xlsxout.save(path, build)
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml") + z.read("xl/styles.xml")


@pytest.mark.parametrize("rows_per_write, fork_rows", [(2048, 10**9), (5, 10**9), (5, 4), (2048, 4)])
def test_fast_rows_are_xlsxwriters_bytes(tmp_path, monkeypatch, rows_per_write, fork_rows):
    """One write, many small writes, and the second half made in a forked process."""
    monkeypatch.setattr(xlsxout, "ROWS_PER_WRITE", rows_per_write)
    monkeypatch.setattr(xlsxout, "FORK_ROWS", fork_rows)
    frame = _frame(23)
    slow = _write(tmp_path / "slow.xlsx", frame, False, monkeypatch)
    fast = _write(tmp_path / "fast.xlsx", frame, True, monkeypatch)
    assert b"inlineStr" in fast and b'xml:space="preserve"' in fast and b"_x005F_x0041_" in fast
    assert fast == slow


def test_fast_rows_open_with_their_values_and_formats(tmp_path, monkeypatch):
    path = tmp_path / "fast.xlsx"
    _write(path, _frame(12), True, monkeypatch)
    ws = openpyxl.load_workbook(path)["台账"]
    assert ws["A1"].value == "合并台账" and ws["A2"].value == "序号" and ws["G2"].value == "校验提示"
    assert ws["A3"].value is None and ws["A4"].value == 2  # <NA> is no cell
    assert ws["B4"].value == "A&B <c> \"q\"" and ws["B5"].value == "  前后空格 "
    # a literal “_x0041_” is escaped as Excel does; calamine (like Excel) reads it back as written
    # (openpyxl does not undo the escape)
    assert ws["B6"].value == "_x005F_x0041_ 字面量"
    assert CalamineWorkbook.from_path(path).get_sheet_by_name("台账").to_python()[5][1] == "_x0041_ 字面量"
    assert len(ws["B9"].value) == 32767  # cut to what a cell holds
    assert ws["B4"].alignment.wrap_text  # a wide column wraps
    assert ws["C3"].value is None and ws["C4"].value == datetime(2026, 10, 2)
    assert ws["C4"].number_format == "yyyy-mm-dd" and ws["C4"].font.name == "宋体" and ws["C4"].font.sz == 10
    assert ws["D3"].value is None and ws["D4"].value == pytest.approx(1 / 3)
    assert [ws[f"E{r}"].value for r in range(3, 11)] == ["是", 7, datetime(2026, 1, 2), "文字", None, 2.5,
                                                         "inf", "['列表']"]
    assert ws["E5"].number_format == "yyyy-mm-dd"
    assert ws["F3"].value == "是" and ws["F4"].value == "否"
    assert ws["G3"].value is None and ws["G4"].value is None  # empty notes: no cell, no fill
    assert ws["G5"].value == "D7 日期无法识别" and ws["G5"].fill.fgColor.rgb.endswith("FFEB9C")
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:G14"


def test_no_rows_past_the_last_row_of_a_sheet(tmp_path, monkeypatch):
    """xlsxwriter writes no cell past row 1,048,576; neither does the fast writer (shown on a
    worksheet whose last row is set to 6)."""
    base = xlsxout.sheet_class()

    class Short(base):
        def __init__(self):
            super().__init__()
            self.xls_rowmax = 6

    class ShortSlow(Short):
        def can_write_rows(self) -> bool:
            return False

    frame = _frame(10)
    out = {}
    for name, cls in (("fast", Short), ("slow", ShortSlow)):
        monkeypatch.setattr(xlsxout, "_SHEET_CLASS", cls)
        path = tmp_path / f"{name}.xlsx"
        xlsxout.save(path, lambda wb, styles: xlsxout.write_table(wb, styles, "台账", "标题", frame))
        with zipfile.ZipFile(path) as z:
            out[name] = z.read("xl/worksheets/sheet1.xml")
    assert out["fast"] == out["slow"]
    assert b'<row r="6">' in out["fast"] and b'<row r="7">' not in out["fast"]


def test_notes_rows_are_xlsxwriters_bytes(tmp_path, monkeypatch):
    """The notes sheet (合并说明) made by the fast row writer: blanks in their format where a value
    is missing, nothing past a short row, the same bytes as cell by cell."""
    sections = [
        ("一、已接收的文件", ["文件", "行数", "期间", "说明"],
         [["附件3：平安镇-洪文泽.xlsx", 40, "2026-10", None], ["A&B <c>.xlsx", float("nan"), None],
          ["更正件.xlsx", 2.5, datetime(2026, 10, 3), True], ["  空格  ", None, "", "长" * 40000]]),
        ("二、重复提交", ["文件"], []),
        ("三、说明", [], [["只有一列"], ["第二行", 1]]),
    ]
    out = {}
    for fast in (True, False):
        cls = xlsxout.sheet_class()
        with monkeypatch.context() as m:
            if not fast:
                m.setattr(cls, "can_write_rows", lambda self: False)
            path = xlsxout.save(tmp_path / f"{fast}.xlsx",
                                lambda wb, styles: xlsxout.write_notes(wb, styles, "合并说明", sections))
        with zipfile.ZipFile(path) as z:
            out[fast] = z.read("xl/worksheets/sheet1.xml") + z.read("xl/styles.xml")
    assert b'<c r="D3" s="' in out[True] and b'"/><c r="A4"' in out[True].replace(b"</row><row r=\"4\">", b"")
    assert out[True] == out[False]
    ws = openpyxl.load_workbook(tmp_path / "True.xlsx")["合并说明"]
    assert ws["A1"].value == "一、已接收的文件" and ws["B3"].value == 40 and ws["D3"].value is None
    assert ws["D3"].border.left.style == "thin" and ws["A3"].font.name == "宋体"
    assert ws["C5"].value == datetime(2026, 10, 3) and ws["D5"].value == "是"
    assert ws["A10"].value == "（无）" and ws["A13"].value == "只有一列" and ws["B14"].value == 1

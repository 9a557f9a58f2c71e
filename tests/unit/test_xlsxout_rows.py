"""The fast row writer (bqw.fast.sheet.FastSheet) writes the same sheet XML, byte for byte, as
xlsxwriter's own Worksheet cell by cell; what it writes opens with the right values and formats;
and when xlsxwriter no longer has what FastSheet relies on, workbooks are written by xlsxwriter's
own writers, with the same bytes."""

from __future__ import annotations

import zipfile
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from bqw.fast import sheet
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


def _plain_worksheets(m) -> None:
    """Every sheet made by xlsxwriter's own Worksheet, as when FastSheet does not fit."""
    m.setattr(sheet, "_made", True)
    m.setattr(sheet, "_fast_class", None)


def _write(path, frame, fast: bool, monkeypatch) -> bytes:
    with monkeypatch.context() as m:
        if not fast:
            _plain_worksheets(m)

        def build(wb, styles):
            xlsxout.write_table(wb, styles, "台账", "合并台账", frame, {"调研内容": 40},
                                mark="校验提示", mark_format=styles.warn)
            kinds = {type(ws).__name__ for ws in wb.worksheets()}
            assert kinds == ({"FastSheet"} if fast else {"Worksheet"})

        xlsxout.save(path, build)
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml") + z.read("xl/styles.xml")


@pytest.mark.parametrize("rows_per_write", [2048, 5])
def test_fast_rows_are_xlsxwriters_bytes(tmp_path, monkeypatch, rows_per_write):
    """One write, and many small writes."""
    monkeypatch.setattr(sheet, "ROWS_PER_WRITE", rows_per_write)
    frame = _frame(23)
    slow = _write(tmp_path / "slow.xlsx", frame, False, monkeypatch)
    fast = _write(tmp_path / "fast.xlsx", frame, True, monkeypatch)
    assert b"inlineStr" in fast and b'xml:space="preserve"' in fast and b"_x005F_x0041_" in fast
    assert fast == slow


def _version_4(m):
    import xlsxwriter

    m.setattr(xlsxwriter, "__version__", "4.0.0")


def _helper_removed(m):
    from xlsxwriter import utility

    m.delattr(utility, "_preserve_whitespace")


def _method_removed(m):
    from xlsxwriter.worksheet import Worksheet

    m.setattr(Worksheet, "_write_single_row", None)  # renamed away: no longer a method


@pytest.mark.parametrize("change", [_version_4, _helper_removed, _method_removed])
def test_an_xlsxwriter_without_fastsheets_internals_writes_plain_worksheets(tmp_path, monkeypatch, change):
    """Simulated changes of xlsxwriter: FastSheet is not made, the sheets are xlsxwriter's own
    Worksheet, written cell by cell, and the bytes are those FastSheet writes today."""
    frame = _frame(23)
    fast = _write(tmp_path / "fast.xlsx", frame, True, monkeypatch)
    with monkeypatch.context() as m:
        m.setattr(sheet, "_made", False)
        m.setattr(sheet, "_fast_class", None)
        change(m)
        from xlsxwriter.worksheet import Worksheet

        assert sheet.sheet_class() is Worksheet
        if change is not _method_removed:  # xlsxwriter itself needs the method it writes a row with
            assert _written_with_plain_worksheets(tmp_path / "changed.xlsx", frame) == fast
    assert sheet.sheet_class().__name__ == "FastSheet"  # the change undone: made again


def _written_with_plain_worksheets(path, frame) -> bytes:
    def build(wb, styles):
        xlsxout.write_table(wb, styles, "台账", "合并台账", frame, {"调研内容": 40},
                            mark="校验提示", mark_format=styles.warn)
        assert [type(ws).__name__ for ws in wb.worksheets()] == ["Worksheet"]

    xlsxout.save(path, build)
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml") + z.read("xl/styles.xml")


def test_a_worksheet_missing_an_attribute_is_written_cell_by_cell(tmp_path, monkeypatch):
    """A FastSheet whose constant_memory attributes are not where it expects them (simulated: one
    attribute renamed) writes nothing itself: xlsxwriter's writers do, with the same bytes."""
    frame = _frame(23)
    fast = _write(tmp_path / "fast.xlsx", frame, True, monkeypatch)
    calls = []
    cls = sheet.sheet_class()
    monkeypatch.setattr(cls, "write_rows", lambda *a: calls.append(a))
    monkeypatch.setattr(sheet, "PRIVATE_ATTRIBUTES", (*sheet.PRIVATE_ATTRIBUTES, "renamed_attribute"))
    assert _write(tmp_path / "renamed.xlsx", frame, True, monkeypatch) == fast
    assert calls == []


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
    from xlsxwriter.worksheet import Worksheet

    def short(base):
        class Short(base):
            def __init__(self):
                super().__init__()
                self.xls_rowmax = 6

        return Short

    frame = _frame(10)
    out = {}
    for name, cls in (("fast", short(sheet.sheet_class())), ("slow", short(Worksheet))):
        monkeypatch.setattr(xlsxout, "sheet_class", lambda cls=cls: cls)
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
        with monkeypatch.context() as m:
            if not fast:
                _plain_worksheets(m)
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


@pytest.mark.parametrize("fast", [True, False])
def test_rows_of_wrapped_text_get_their_height(tmp_path, monkeypatch, fast):
    """Issue 16: LibreOffice and WPS keep a row without a height one line high, hiding wrapped text. A row
    whose text wraps gets the lines' height (14 pt a line, whole pixels as set_row), at most 409 pt; a row
    of short text keeps the default height. The same with FastSheet and with xlsxwriter's own writers."""
    path = tmp_path / "rows.xlsx"
    _write(path, _frame(12), fast, monkeypatch)
    ws = openpyxl.load_workbook(path)["台账"]
    texts = {r: ws.cell(r, 2).value for r in range(3, 15)}
    heights = {r: ws.row_dimensions[r].height for r in texts}
    assert [heights[r] for r, t in texts.items() if t == "第二行\n换行"] == [32.25]  # 2 lines, 32 pt: 43 px
    assert [heights[r] for r, t in texts.items() if t and t.startswith("长长")] == [408.75]  # at most 409 pt: 545 px
    assert all(heights[r] is None for r, t in texts.items() if t in ("普通文本", None, ""))

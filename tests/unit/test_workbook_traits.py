"""What a workbook says about itself besides its cells: rows and columns hidden in Excel, the order of
its sheets, and the 1904 date system (bqw.io.workbook's pre-scan; shown by `bqw inspect`)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
import xlwt
from conftest import VISITS_HEADER, run_bqw, visit_row
from fixtures.bad_files import package_parts

from bqw.cli.exit import ExitCode
from bqw.core import dates as D
from bqw.io import workbook, xlsx_scan
from bqw.io.reader import read_ledger

OCTOBER_6 = dt.date(2026, 10, 6)
SERIAL_1904 = 44839  # 2026-10-06 counted from 1904-01-01; the same number from 1900 is 2022-10-05
SERIAL_1900 = 46301  # 2026-10-06 counted from 1900


def _json(command: str, path: Path) -> dict:
    proc = run_bqw(command, path, "--format", "json")
    assert proc.returncode == ExitCode.OK and "Traceback" not in proc.stderr, (proc.stdout, proc.stderr)
    return json.loads(proc.stdout)


def _ledger_with_hidden_parts(path: Path) -> Path:
    """A town's October ledger as a clerk leaves it before printing: visit 6 (row 7) and the 调研时间
    column (C) hidden, the unused columns K:Z and an unused row 30 hidden too; an old sheet hidden
    between the ledger and a visible note sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "十月"
    ws.append(VISITS_HEADER)
    for n in range(1, 9):
        ws.append(visit_row(n, when=f"2026年10月{n}日"))
    ws.row_dimensions[7].hidden = True
    ws.column_dimensions["C"].hidden = True
    ws.column_dimensions.group("K", "Z", hidden=True)
    ws.row_dimensions[30].hidden = True
    old = wb.create_sheet("旧表")
    old.append(["作废的九月台账"])
    old.sheet_state = "hidden"
    wb.create_sheet("备注").append(["本表由镇党政办汇总"])
    wb.save(path)
    return path


@pytest.mark.heavy  # several seconds: left to make test by make test-fast
def test_inspect_lists_hidden_rows_columns_and_the_hidden_sheet_in_its_place(tmp_path):
    path = _ledger_with_hidden_parts(tmp_path / "附件3：平安镇领导挂点调研台账（10月）.xlsx")
    ws = openpyxl.load_workbook(path)["十月"]  # the file as written: row 7 is visit 6, C its date
    assert ws["A7"].value == 6 and ws["C7"].value == "2026年10月6日" and ws["C1"].value == "调研时间"

    (file,) = _json("inspect", path)["files"]
    assert [(s["name"], s["hidden"]) for s in file["sheets"]] == [("十月", False), ("旧表", True), ("备注", False)]
    ledger, old, notes = file["sheets"]
    assert ledger["kind"] == "visits" and ledger["data_rows"] == [2, 9] and ledger["rows"] == 8
    # only what is hidden among the cells: not K:Z or row 30, hidden beyond them
    assert ledger["hidden_rows"] == [7] and ledger["hidden_columns"] == ["C"]
    assert old["reason"] == "已跳过：隐藏工作表" and old["hidden_rows"] == [] and old["hidden_columns"] == []
    assert notes["kind"] is None and notes["hidden_rows"] == [] and notes["hidden_columns"] == []

    # the hidden row is a record all the same (a clerk hides rows to print; the data counts)
    (checked,) = _json("validate", path)["files"]
    assert checked["valid"] and checked["rows"] == 8
    result = read_ledger(path)
    (table,) = result.tables
    assert table.frame.loc[7, "序号"] == "6" and table.frame.loc[7, "调研时间"] == dt.datetime(2026, 10, 6)
    assert [c.letter for c in table.layout.columns if c.hidden] == ["C"]

    out = run_bqw("inspect", path, check_code=ExitCode.OK).stdout
    assert "隐藏的行：7" in out and "隐藏的列：C" in out
    assert "工作表“旧表”（隐藏工作表）：未读取（已跳过：隐藏工作表）" in out
    assert out.index("工作表“十月”") < out.index("工作表“旧表”") < out.index("工作表“备注”")


def test_xls_hidden_rows_and_columns_from_its_records(tmp_path):
    """An .xls says so in its ROW (fDyZero) and COLINFO (fHidden) records."""
    path = tmp_path / "附件3：平安镇领导挂点调研台账（10月）.xls"
    wb = xlwt.Workbook(encoding="utf-8")
    old = wb.add_sheet("旧表")
    old.write(0, 0, "作废")
    old.visibility = 1  # hidden, and first
    ws = wb.add_sheet("十月")
    for c, label in enumerate(VISITS_HEADER):
        ws.write(0, c, label)
    for n in range(1, 6):
        for c, value in enumerate(visit_row(n, when=f"2026年10月{n}日")):
            ws.write(n, c, value)
    ws.row(3).hidden = True  # Excel row 4: visit 3
    ws.col(7).hidden = True  # H: 备注
    wb.save(str(path))

    book = workbook.open_book(path)
    assert book.sheet_order == ["旧表", "十月"] and [s.name for s in book.sheets] == ["十月"]
    assert book.sheets[0].hidden_rows == {3} and book.sheets[0].hidden_cols == {7}
    (file,) = _json("inspect", path)["files"]
    assert [(s["name"], s["hidden"]) for s in file["sheets"]] == [("旧表", True), ("十月", False)]
    ledger = file["sheets"][1]
    assert ledger["hidden_rows"] == [4] and ledger["hidden_columns"] == ["H"] and ledger["rows"] == 5


def test_a_csv_has_one_sheet_and_nothing_hidden(tmp_path):
    path = tmp_path / "张国华.csv"
    path.write_text("\n".join(",".join(map(str, r)) for r in [VISITS_HEADER, visit_row(1)]), encoding="utf-8")
    book = workbook.open_book(path)
    assert book.sheet_order == ["张国华"] and not book.date1904
    (file,) = _json("inspect", path)["files"]
    (sheet,) = file["sheets"]
    assert sheet["name"] == "张国华" and sheet["hidden_rows"] == [] and sheet["hidden_columns"] == []


# --- the 1904 date system ---------------------------------------------------------------------

def _dates_book(path: Path, date_1904: bool) -> Path:
    """调研时间 as a date cell, as a serial in a General cell, and as the serial typed as text."""
    serial = SERIAL_1904 if date_1904 else SERIAL_1900
    wb = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    ws = wb.add_worksheet("十月")
    ws.write_row(0, 0, VISITS_HEADER)
    for n in range(1, 4):
        ws.write_row(n, 0, visit_row(n, when=None))
    ws.write_datetime(1, 2, dt.datetime(2026, 10, 6), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_number(2, 2, serial)
    ws.write_string(3, 2, str(serial))
    wb.close()
    return path


@pytest.mark.heavy  # several seconds: left to make test by make test-fast
@pytest.mark.parametrize("date_1904", [True, False], ids=["1904", "1900"])
def test_a_serial_counts_from_the_workbooks_own_epoch(tmp_path, date_1904):
    path = _dates_book(tmp_path / "附件3：平安镇领导挂点调研台账（10月）.xlsx", date_1904)
    with zipfile.ZipFile(path) as zf:  # the flag as Excel writes it
        assert (b'date1904="1"' in zf.read("xl/workbook.xml")) is date_1904
    ws = openpyxl.load_workbook(path)["十月"]
    assert ws["C2"].is_date and ws["C3"].number_format == "General" and ws["C4"].data_type == "s"

    assert workbook.open_book(path).date1904 is date_1904
    (checked,) = _json("validate", path)["files"]
    assert checked["valid"] and checked["rows"] == 3 and checked["findings"] == []
    (table,) = read_ledger(path).tables
    assert [d.date() for d in table.frame["调研时间"]] == [OCTOBER_6] * 3
    assert list(table.frame["月份"]) == ["2026-10"] * 3


def test_an_xls_in_the_1904_system(tmp_path):
    """An .xls says so in its DATEMODE record."""
    path = tmp_path / "附件3：平安镇领导挂点调研台账（10月）.xls"
    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = True
    ws = wb.add_sheet("十月")
    for c, label in enumerate(VISITS_HEADER):
        ws.write(0, c, label)
    for n, when in enumerate([dt.datetime(2026, 10, 6), SERIAL_1904, str(SERIAL_1904)], 1):
        for c, value in enumerate(visit_row(n, when=when)):
            if c != 2:
                ws.write(n, c, value)
        ws.write(n, 2, when, xlwt.easyxf(num_format_str="yyyy-mm-dd" if n == 1 else "General"))
    wb.save(str(path))

    assert workbook.open_book(path).date1904
    (table,) = read_ledger(path).tables
    assert [d.date() for d in table.frame["调研时间"]] == [OCTOBER_6] * 3


def test_serial_parameter_of_the_parsers():
    assert D.excel_serial_to_date(SERIAL_1904) == dt.date(2022, 10, 5)
    assert D.excel_serial_to_date(SERIAL_1904, date1904=True) == OCTOBER_6
    assert D.excel_serial_to_date(60) is None and D.excel_serial_to_date(60, date1904=True) == dt.date(1904, 3, 1)
    assert D.excel_serial_to_date(2958465) == dt.date(9999, 12, 31)
    assert D.excel_serial_to_date(2958465 - 1462, date1904=True) == dt.date(9999, 12, 31)
    assert D.excel_serial_to_date(2958465 - 1461, date1904=True) is None
    assert D.parse_date(str(SERIAL_1904), date1904=True).value == OCTOBER_6
    assert D.parse_date(float(SERIAL_1904), date1904=True).value == OCTOBER_6
    assert D.parse_deadline(SERIAL_1904, 2026, date1904=True).value == OCTOBER_6
    assert D.parse_deadline(str(SERIAL_1904), 2026, date1904=True).value == OCTOBER_6
    assert D.parse_date(9.3, 2026, date1904=True).value == dt.date(2026, 9, 3)  # month.day is no serial


# --- hidden rows found while the sheet's XML streams past -------------------------------------

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# the ways a writer says a row is hidden, its reference first (as Excel, WPS and openpyxl write it)
HIDDEN_FORMS = ('<row r="{r}" spans="1:8" hidden="1">', '<row r="{r}" hidden="true">',
                '<row r="{r}" s="1" customFormat="1" ht="13.5" hidden="1" customHeight="1" x14ac:dyDescent="0.25">')
# and as a writer may: its attributes in another order, in single quotes, without a reference (the
# row after the one before); the sheet is then measured element by element (_exact_extent)
ODD_FORMS = ('<row hidden="true" r="{r}">', "<row customHeight='1' ht='0' hidden='1' r='{r}'>", '<row hidden="1">')


def _cell(ref: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def _sheet_xml(rows: int, hidden: set[int], forms: tuple[str, ...] = HIDDEN_FORMS) -> str:
    """A visits ledger of `rows` visits under its header, the rows of `hidden` (Excel numbers) hidden,
    said in turn in each of `forms`."""
    out = [(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" '
            'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
            '<cols><col min="8" max="8" width="20" customWidth="1"/></cols><sheetData>')]
    for r, values in enumerate([VISITS_HEADER] + [visit_row(n) for n in range(1, rows + 1)], 1):
        tag = forms[r % len(forms)].format(r=r) if r in hidden else f'<row r="{r}" spans="1:8">'
        out.append(tag + "".join(_cell(f"{'ABCDEFGH'[c]}{r}", v) for c, v in enumerate(values)) + "</row>")
    return "".join(out) + "</sheetData></worksheet>"


def _package(path: Path, sheet_xml: str) -> Path:
    parts = {**package_parts(shared_strings=False, sheet="十月"), "xl/worksheets/sheet1.xml": sheet_xml}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 10, 31, 9, 0, 0)), text)
    return path


def _boundaries_cut(xml: bytes, chunk: int, hidden: set[int]) -> dict[str, list[int]]:
    """Where the scan's chunk boundaries fall: hidden rows whose start tag one cuts before the tag
    has said both its row number and that it is hidden ("cut"), and hidden rows on both sides of
    one ("before", "after"; Excel numbers)."""
    tags = []  # (where the tag starts, where its r and hidden attributes have both been said, row)
    for m in re.finditer(rb"<row [^>]*>", xml):
        r = re.search(rb"\br=[\"'](\d+)[\"']", m.group())
        said = max(r.end(), getattr(re.search(rb"\bhidden=[\"'][^\"']*[\"']", m.group()), "end", lambda: 0)())
        tags.append((m.start(), m.start() + said, int(r.group(1))))
    found: dict[str, list[int]] = {"cut": [], "before": [], "after": []}
    for boundary in range(chunk, len(xml), chunk):
        for (start, said, row), (next_start, _, _) in zip(tags, tags[1:] + [(len(xml), 0, 0)]):
            if start < boundary < said and row in hidden:
                found["cut"].append(row)
            if start < boundary <= next_start and row - 1 in hidden and row + 1 in hidden:
                found["before"].append(row - 1)
                found["after"].append(row + 1)
    return found


def test_hidden_rows_found_across_chunk_boundaries(tmp_path, monkeypatch):
    """The sheet's XML streams in chunks (xlsx_scan.CHUNK, 1 MB; here a few KB): a hidden row's tag cut
    by a boundary is seen whole with the tail the scan keeps, and none is counted twice or missed."""
    hidden = {r for r in range(2, 302) if r % 5 in (0, 1, 3)} | {301}
    xml = _sheet_xml(300, hidden).encode()
    # a chunk size whose boundaries cut hidden rows' tags, with hidden rows on both sides of a boundary
    chunk = next(size for size in range(3000, 5000, 7)
                 if len((cuts := _boundaries_cut(xml, size, hidden))["cut"]) >= 3 and cuts["before"])
    assert len(xml) > 20 * chunk
    path = _package(tmp_path / "附件3：平安镇领导挂点调研台账（10月）.xlsx", xml.decode())
    monkeypatch.setattr(xlsx_scan, "CHUNK", chunk)

    book = workbook.open_book(path)
    (sheet,) = book.sheets
    assert sheet.hidden_rows == {r - 1 for r in hidden}
    assert len(sheet.rows) == 301 and sheet.rows[300][0] == 300  # every row read, the hidden ones too
    result = read_ledger(path)
    assert result.rows == 300 and result.layouts[0].hidden_rows == sorted(hidden)


def test_hidden_rows_said_in_other_ways(tmp_path):
    hidden = {3, 4, 5, 9}
    path = _package(tmp_path / "附件3：平安镇领导挂点调研台账（10月）.xlsx", _sheet_xml(10, hidden, ODD_FORMS))
    assert b"<row hidden=\"1\">" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    (sheet,) = workbook.open_book(path).sheets
    assert sheet.hidden_rows == {r - 1 for r in hidden} and len(sheet.rows) == 11
    assert read_ledger(path).rows == 10

"""A workbook as the generator builds it (sheets of cells, merges, hidden rows), and its writers:
.xlsx (xlsxwriter), .xls (xlwt), .csv in UTF-8 with BOM or GBK (gb18030).

A cell is None (empty), str (a text cell, even when it looks like a number or a date), int or
float (a number cell) or forms.DateCell (a real date with a date number format). Merged ranges
hold their value in the top-left cell only; the other cells of the range are None in `rows`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from .forms import DateCell

FIXED_TIME = dt.datetime(2026, 11, 3, 9, 0, 0)  # workbook properties: no wall clock


@dataclass(frozen=True)
class Merge:
    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass
class Sheet:
    name: str
    rows: list[list] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden: bool = False

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Book:
    sheets: list[Sheet]
    date_1904: bool = False


FORMATS = ("xlsx", "xls", "csv-utf8", "csv-gbk")
EXTENSION = {"xlsx": ".xlsx", "xls": ".xls", "csv-utf8": ".csv", "csv-gbk": ".csv"}


def write(book: Book, fmt: str, path: Path) -> Path:
    if fmt == "xlsx":
        _write_xlsx(book, path)
    elif fmt == "xls":
        _write_xls(book, path)
    else:
        _write_csv(book, path, "utf-8-sig" if fmt == "csv-utf8" else "gb18030")
    return path


def _write_xlsx(book: Book, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False, "date_1904": book.date_1904,
                                         "in_memory": True})  # no temporary files to write and remove
    wb.set_properties({"created": FIXED_TIME, "author": "wild", "company": ""})
    formats: dict[str, object] = {}

    def date_format(num_format: str):
        if num_format not in formats:
            formats[num_format] = wb.add_format({"num_format": num_format})
        return formats[num_format]

    def put(ws, r, c, v):
        if v is None:
            return
        if isinstance(v, DateCell):
            ws.write_datetime(r, c, dt.datetime.combine(v.value, dt.time()), date_format(v.num_format))
        elif isinstance(v, bool):
            ws.write_boolean(r, c, v)
        elif isinstance(v, (int, float)):
            ws.write_number(r, c, v)
        else:
            ws.write_string(r, c, v)  # text that looks like a number or a date stays text

    first_visible = None
    for sheet in book.sheets:
        ws = wb.add_worksheet(sheet.name)
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                put(ws, r, c, v)
        for r in sorted(sheet.hidden_rows):
            ws.set_row(r, None, None, {"hidden": True})
        for m in sheet.merges:
            ws.merge_range(m.first_row, m.first_col, m.last_row, m.last_col, None)
            put(ws, m.first_row, m.first_col, sheet.rows[m.first_row][m.first_col])  # typed, after the blanks
        if sheet.hidden:
            ws.hide()
        elif first_visible is None:
            first_visible = ws
    if first_visible is not None:  # a hidden sheet cannot be the active one
        first_visible.activate()
    wb.close()


def _write_xls(book: Book, path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = book.date_1904
    styles: dict[str, object] = {}

    def style(num_format: str):
        if num_format not in styles:
            s = xlwt.XFStyle()
            s.num_format_str = num_format
            styles[num_format] = s
        return styles[num_format]

    plain = xlwt.XFStyle()

    def value_style(v):
        if isinstance(v, DateCell):
            return v.value, style(v.num_format)
        return ("" if v is None else v), plain

    for sheet in book.sheets:
        ws = wb.add_sheet(sheet.name, cell_overwrite_ok=True)
        covered = set()
        for m in sheet.merges:
            v, st = value_style(sheet.rows[m.first_row][m.first_col])
            ws.write_merge(m.first_row, m.last_row, m.first_col, m.last_col, v, st)
            covered |= {(r, c) for r in range(m.first_row, m.last_row + 1)
                        for c in range(m.first_col, m.last_col + 1)}
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if v is None or (r, c) in covered:
                    continue
                ws.write(r, c, *value_style(v))
        for r in sheet.hidden_rows:
            ws.row(r).hidden = True
        if sheet.hidden:
            ws.visibility = 1
    visible = [i for i, s in enumerate(book.sheets) if not s.hidden]
    if visible:
        wb.active_sheet = visible[0]
    wb.save(str(path))


def csv_text(v) -> str:
    """A cell as a CSV export shows it: numbers without “.0”, date cells as Excel writes them (2026/10/5)."""
    if v is None:
        return ""
    if isinstance(v, DateCell):
        d = v.value
        return f"{d.year}/{d.month}/{d.day}"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _write_csv(book: Book, path: Path, encoding: str) -> None:
    (sheet,) = [s for s in book.sheets if not s.hidden] or book.sheets[:1]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    width = sheet.width
    for row in sheet.rows:  # a merged value is in its top-left cell only: that is what `rows` holds
        w.writerow([csv_text(v) for v in row] + [""] * (width - len(row)))
    path.write_bytes(out.getvalue().encode(encoding))

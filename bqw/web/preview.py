"""An HTML preview of an uploaded sheet: the grid as the submitter sees it in WPS, bad cells marked.

The preview is data for a template, never HTML: every cell's text reaches the page through Jinja's
autoescape, so a hostile cell (“<script>…”) shows as text. The file is opened with the same safe
reader as `bqw validate` (io/workbook.open_book: sizes, zip bombs and encryption are checked first),
and only a window of the sheet is shown — a phone cannot show more, and a huge sheet must not make a
huge page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from bqw.core.findings import col_letter
from bqw.core.limits import Limits
from bqw.io.book import BookError
from bqw.io.workbook import open_book

MAX_ROWS = 200
MAX_COLS = 30
MAX_TEXT = 200  # characters of one cell shown; the rest is cut with “…”

SEVERITY_RANK = {"error": 2, "warning": 1}


@dataclass
class PreviewCell:
    text: str
    ref: str  # "D7"
    severity: str = ""  # the worst finding's severity in this cell: "error", "warning" or ""
    messages: list[str] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1


@dataclass
class PreviewRow:
    number: int  # the Excel row number
    cells: list[PreviewCell]
    severity: str = ""  # the worst finding's severity in this row (a row-level finding has no cell)


@dataclass
class Preview:
    sheet: str
    columns: list[str]  # the letters shown, A…
    rows: list[PreviewRow]
    more_rows: int  # rows of the sheet beyond the window
    more_cols: int
    elsewhere: list[dict]  # findings of the file not marked in the grid (other sheets, beyond the window)
    marked_rows: list[int]  # Excel rows with a finding, in order
    # what the submitter wrote in each finding's cell, on any sheet: (sheet, cell) -> text (填写的值)
    values: dict[tuple[str, str], str] = field(default_factory=dict)

    def written(self, finding: dict) -> str:
        return self.values.get((finding.get("sheet") or "", finding.get("cell") or ""), "")


def display(value) -> str:
    """A cell's value as the submitter typed it, near enough: 3.0 is “3”, a date has no midnight."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def _worse(a: str, b: str) -> str:
    return a if SEVERITY_RANK.get(a, 0) >= SEVERITY_RANK.get(b, 0) else b


def _grid_sheet(book, findings: list[dict]):
    """The sheet shown: the first one with a finding in a cell, else the book's first sheet."""
    by_name = {s.name: s for s in book.sheets}
    for f in findings:
        if f.get("cell") and f.get("sheet") in by_name:
            return by_name[f["sheet"]]
    return book.sheets[0] if book.sheets else None


def _spans(sheet, n_rows: int, n_cols: int) -> tuple[dict, set]:
    """Merged ranges inside the window: top-left (r, c) -> (rowspan, colspan), and the covered cells."""
    starts, covered = {}, set()
    for r0, c0, r1, c1 in sheet.merged:
        if r0 >= n_rows or c0 >= n_cols:
            continue
        r1, c1 = min(r1, n_rows - 1), min(c1, n_cols - 1)
        starts[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    return starts, covered


def build(path: Path, findings: list[dict], limits: Limits | None = None) -> Preview | None:
    """The preview of `path` with `findings` (report_dict's dicts) marked; None when the file cannot be
    read (its findings already say why) or has no sheet."""
    try:
        book = open_book(path, limits or Limits.from_env())
    except BookError:
        return None
    sheet = _grid_sheet(book, findings)
    if sheet is None:
        return None
    width = max((len(r) for r in sheet.rows), default=0)
    n_rows, n_cols = min(len(sheet.rows), MAX_ROWS), min(width, MAX_COLS)
    at_cell: dict[str, list[dict]] = {}
    at_row: dict[int, str] = {}
    elsewhere = []
    for f in findings:
        row = f.get("row")
        on_sheet = f.get("sheet") == sheet.name
        if on_sheet and row and row <= n_rows:
            at_row[row] = _worse(at_row.get(row, ""), f["severity"])
        if on_sheet and f.get("cell"):
            at_cell.setdefault(f["cell"], []).append(f)
        if not (on_sheet and row and row <= n_rows and (not f.get("cell") or _column_index(f["cell"]) < n_cols)):
            elsewhere.append(f)
    starts, covered = _spans(sheet, n_rows, n_cols)
    rows = []
    for r in range(n_rows):
        values = sheet.rows[r]
        cells = []
        for c in range(n_cols):
            if (r, c) in covered:
                continue
            ref = f"{col_letter(c)}{r + 1}"
            marks = at_cell.get(ref, [])
            severity = ""
            for m in marks:
                severity = _worse(severity, m["severity"])
            rowspan, colspan = starts.get((r, c), (1, 1))
            cells.append(PreviewCell(display(values[c] if c < len(values) else None), ref, severity,
                                     [m["message"] for m in marks], colspan, rowspan))
        rows.append(PreviewRow(r + 1, cells, at_row.get(r + 1, "")))
    return Preview(sheet.name, [col_letter(c) for c in range(n_cols)], rows, len(sheet.rows) - n_rows,
                   width - n_cols, elsewhere, sorted(at_row), _written(book, findings))


def _written(book, findings: list[dict]) -> dict[tuple[str, str], str]:
    by_name = {s.name: s for s in book.sheets}
    out = {}
    for f in findings:
        sheet, ref = by_name.get(f.get("sheet") or ""), f.get("cell")
        if sheet is None or not ref or not f.get("row"):
            continue
        r, c = f["row"] - 1, _column_index(ref)
        if 0 <= r < len(sheet.rows) and 0 <= c < len(sheet.rows[r]):
            out[(sheet.name, ref)] = display(sheet.rows[r][c])
    return out


def _column_index(ref: str) -> int:
    """"D7" -> 3 (0-based)."""
    index = 0
    for ch in ref.rstrip("0123456789"):
        index = index * 26 + ord(ch.upper()) - 64
    return index - 1

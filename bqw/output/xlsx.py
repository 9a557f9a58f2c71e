"""Write styled workbooks with xlsxwriter (constant memory): merged ledgers, 待核实, 合并说明.

Text from a submission is always written with write_string, and the workbook is opened with
strings_to_formulas off, so “=HYPERLINK(…)” stays inert text (docs/safety.md). Every string goes
through bqw.core.values.for_excel on its way out: control characters removed (the reader reports
them as text-control-chars at their cell), text cut to Excel's 32,767 characters (reported as
text-too-long; the archive keeps it whole).
"""

from __future__ import annotations

import os
from datetime import datetime
from math import isfinite
from pathlib import Path

from bqw.core.atomic import atomic_path, zip_output
from bqw.core.values import for_excel, is_missing

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL, WARN_FILL, ERROR_FILL = "#DDEBF7", "#FFEB9C", "#FFC7CE"
WIDE_TEXT = 20  # columns at least this wide wrap their text


class Styles:
    def __init__(self, wb):
        base = {"font_name": "宋体", "font_size": 10, "valign": "top", "border": 1}
        self.title = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter",
                                    "font_name": "宋体"})
        self.header = wb.add_format({**base, "bold": True, "bg_color": HEADER_FILL, "align": "center",
                                     "valign": "vcenter", "text_wrap": True})
        self.text = wb.add_format(base)
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.date = wb.add_format({**base, "num_format": DATE_FORMAT, "align": "left"})
        self.number = wb.add_format({**base, "num_format": "General"})
        self.warn = wb.add_format({**base, "text_wrap": True, "bg_color": WARN_FILL})
        self.error = wb.add_format({**base, "text_wrap": True, "bg_color": ERROR_FILL})
        self.section = wb.add_format({"bold": True, "font_size": 12, "font_name": "宋体"})
        self.plain = wb.add_format({"font_name": "宋体", "font_size": 10, "valign": "top", "text_wrap": True})
        # Number the formats now, in this order: xlsxwriter numbers a format when a cell first uses
        # it, and the fast row writer (FastSheet) meets them in a different order than cell by cell.
        for fmt in (self.title, self.header, self.text, self.wrap, self.date, self.number, self.warn,
                    self.error, self.section, self.plain):
            fmt._get_xf_index()


def new_workbook(output):
    """A workbook written to `output`: a path, or an open file (bqw.core.atomic.zip_output)."""
    import xlsxwriter

    return xlsxwriter.Workbook(str(output) if isinstance(output, Path) else output, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False, "nan_inf_to_errors": False, "default_date_format": DATE_FORMAT})


def typed(value, styles: Styles, fmt=None):
    """How a value is written to a cell: ("n", number, format), ("d", datetime, format),
    ("s", text, format), or None for no value. Text is always a string, never a formula."""
    if is_missing(value):
        return None
    if type(value).__name__ == "datetime64":  # numpy's: a pandas Timestamp is a datetime
        import pandas as pd

        value = pd.Timestamp(value)
    if isinstance(value, datetime):
        return "d", value.to_pydatetime() if hasattr(value, "to_pydatetime") else value, fmt or styles.date
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "s", "是" if value else "否", fmt or styles.text
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        number = float(value) if not isinstance(value, int) else value
        if isinstance(number, float) and not isfinite(number):  # Excel has no infinity: keep it as text
            return "s", str(value), fmt or styles.text
        return "n", number, fmt or styles.number
    return "s", for_excel(str(value)), fmt or styles.text


def write_cell(ws, r: int, c: int, value, styles: Styles, fmt=None):
    """One value with its natural type (see typed); a blank cell keeps the format."""
    cell = typed(value, styles, fmt)
    if cell is None:
        ws.write_blank(r, c, None, fmt or styles.text)
    elif cell[0] == "d":
        ws.write_datetime(r, c, cell[1], cell[2])
    elif cell[0] == "n":
        ws.write_number(r, c, cell[1], cell[2])
    else:
        ws.write_string(r, c, cell[1], cell[2])


def _column_cells(series, styles: Styles, given, mark_format=None) -> tuple[list, object]:
    """(values, cell_of) of one column, decided once from its dtype: cell_of(value) is typed(value)
    for the column's values (dates as Excel serials), None where no cell is written."""
    import pandas as pd

    kind = series.dtype.kind if hasattr(series, "dtype") else "O"
    if mark_format is not None:  # a note column: only non-empty notes, in the mark format
        return series.tolist(), lambda v: None if type(v) is str and v == "" else typed(v, styles, mark_format)
    if kind == "M":  # datetime64: Excel serial numbers computed for the whole column at once
        serials = ((series - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1))
        fmt = given or styles.date
        return serials.astype(object).where(serials.notna(), None).tolist(), lambda v: ("n", v, fmt)
    if kind in "iuf":
        values = series.astype(object)
        fmt = given or styles.number
        return values.where(values.notna(), None).tolist(), lambda v: typed(v, styles, fmt)
    text = given or styles.text
    return series.tolist(), lambda v: ("s", for_excel(v), text) if type(v) is str else typed(v, styles, given)


def write_table(wb, styles: Styles, name: str, title: str, frame, widths: dict[str, int] | None = None,
                mark: str | None = None, mark_format=None) -> None:
    """A sheet: merged title row, frozen header with a filter, then the rows of `frame`.

    `mark` names a column whose non-empty cells get `mark_format` (warnings, problems).
    """
    ws = wb.add_worksheet(name, worksheet_class=sheet_class())
    columns = list(frame.columns)
    widths = widths or {}
    ncol = max(len(columns), 1)
    if ncol > 1:
        ws.merge_range(0, 0, 0, ncol - 1, "", styles.title)
    ws.write_string(0, 0, for_excel(title), styles.title)
    ws.set_row(0, 28)
    cols = []
    for c, col in enumerate(columns):
        width = widths.get(col) or max(8, min(40, len(str(col)) * 2 + 2))
        ws.set_column(c, c, width)
        ws.write_string(1, c, for_excel(str(col)), styles.header)
        cols.append(_column_cells(frame[col], styles, styles.wrap if width >= WIDE_TEXT else None,
                                  mark_format if col == mark else None))
    ws.freeze_panes(2, 0)
    write_rows(ws, 2, cols)
    ws.autofilter(1, 0, max(1, len(frame) + 1), ncol - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(1)


def write_rows(ws, first_row: int, columns: list) -> None:
    """Rows from `first_row` on; `columns` holds (values, cell_of) per column: cell_of(value) is the
    typed cell ("n"/"d"/"s"/"b" for a blank in a format), None (or a None value) writes no cell."""
    if ws.can_write_rows():
        ws.write_rows(first_row, columns)
        return
    # not the constant_memory worksheet FastSheet knows: xlsxwriter's own writers, cell by cell
    writers = {"n": ws.write_number, "d": ws.write_datetime, "s": ws.write_string, "b": ws.write_blank}
    for r, row in enumerate(zip(*(values for values, _cell_of in columns)), start=first_row):
        for c, (v, (_values, cell_of)) in enumerate(zip(row, columns)):
            cell = None if v is None else cell_of(v)
            if cell is not None:
                writers[cell[0]](r, c, cell[1], cell[2])


# --- fast rows -----------------------------------------------------------------------------------
# xlsxwriter spends ≈ 4 µs on a cell (a tuple stored, then attributes escaped and formatted one at
# a time when the row is flushed): 4.5 s of a 1,600-file merge. FastSheet writes the data rows' XML
# itself — the same bytes xlsxwriter's constant_memory mode writes (tests compare them) — making
# the XML of each distinct value once per column. Everything else (title, header, formats, filter,
# panes, print setup) is xlsxwriter's. It uses constant_memory internals stable across xlsxwriter
# 3.x (previous_row, _write_single_row, _check_dimensions, fh and the escaping helpers); a worksheet
# without them is written cell by cell through xlsxwriter's public writers instead.

ROWS_PER_WRITE = 2048  # rows made into one string before it is written (bounds the memory used)
FORK_ROWS = 20_000  # from this many rows the second half is made on the other core (see write_rows)
_SHEET_CLASS = None


def sheet_class():
    """The Worksheet subclass with write_rows (made on first use: xlsxwriter is imported lazily)."""
    global _SHEET_CLASS
    if _SHEET_CLASS is None:
        from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
        from xlsxwriter.worksheet import Worksheet

        class FastSheet(Worksheet):
            pieces: tuple = ()  # (marker, [(file, crc32, size), …]) of each big table: see save()

            def can_write_rows(self) -> bool:
                return bool(getattr(self, "constant_memory", False)) and all(hasattr(self, a) for a in (
                    "previous_row", "_write_single_row", "_check_dimensions", "fh", "xls_rowmax",
                    "_convert_date_time", "_escape_data", "_escape_control_characters"))

            def cell_xml(self, cell) -> str | None:
                """The XML of a typed cell after its reference: `" s="3"><v>5</v></c>` and so on."""
                if cell is None:
                    return None
                how, value, fmt = cell
                if how == "s":
                    value = self._escape_control_characters(value)
                    space = ' xml:space="preserve"' if _preserve_whitespace(value) else ""
                    return (f'" s="{fmt._get_xf_index()}" t="inlineStr"><is><t{space}>'
                            f'{self._escape_data(value)}</t></is></c>')
                if how == "b":  # a blank cell in a format
                    return f'" s="{fmt._get_xf_index()}"/>'
                if how == "d":
                    value = self._convert_date_time(value)
                return f'" s="{fmt._get_xf_index()}"><v>{value:.16G}</v></c>'

            def write_rows(self, first_row: int, columns: list) -> None:
                """Rows from `first_row` on; `columns` holds (values, cell_of) per column (_column_cells).
                A big table is made in two halves at once, the second in a forked process (the other
                core), each deflated as it is made and spliced into the zip by save()."""
                if first_row > self.previous_row:
                    self._write_single_row(first_row)  # the header row xlsxwriter still holds
                n = len(columns[0][0]) if columns else 0
                n = max(0, min(n, self.xls_rowmax - first_row))  # as xlsxwriter: no cells past the last row
                if n < FORK_ROWS:
                    spans = [self._xml_rows(self.fh, columns, first_row, 0, n)]
                else:
                    spans = self._two_halves(columns, first_row, n)
                written = [span for span in spans if span is not None]
                if written:
                    self._check_dimensions(written[0][0], 0)
                    self._check_dimensions(written[-1][1], len(columns) - 1)
                    self.previous_row = written[-1][1]

            def _two_halves(self, columns: list, first_row: int, n: int) -> list:
                """Both halves made and deflated at once (bqw.fast.zipsplice), the second in a forked
                process; a marker stands in for them in the sheet until save() splices them in."""
                import tempfile
                import uuid

                from bqw.fast import forked
                from bqw.fast.zipsplice import Deflater

                files = []
                for _half in range(2):
                    fd, name = tempfile.mkstemp(suffix=".deflate", dir=self.tmpdir)
                    os.close(fd)
                    files.append(name)
                mark = f"<!--bqw-rows-{uuid.uuid4().hex}-->".encode()
                parts = [(f, 0, 0) for f in files]  # listed now: save() removes the files in any case
                self.pieces = (*self.pieces, (mark, parts))

                def half(k: int, lo: int, hi: int):
                    with open(files[k], "wb") as out:
                        sink = Deflater(out)
                        span = self._xml_rows(sink, columns, first_row, lo, hi)
                        return span, sink.finish()

                later = forked.start(lambda: half(1, n // 2, n))
                (span1, part1), (span2, part2) = half(0, 0, n // 2), later()
                parts[:] = [(files[0], *part1), (files[1], *part2)]
                self.fh.write(mark.decode())
                return [span1, span2]

            def _xml_rows(self, out, columns: list, first_row: int, lo: int, hi: int):
                """Rows first_row+lo … first_row+hi-1 as XML into `out`; (first, last) row written or None."""
                letters = [xl_col_to_name(c) for c in range(len(columns))]
                first = last = None
                for start in range(lo, hi, ROWS_PER_WRITE):
                    stop = min(hi, start + ROWS_PER_WRITE)
                    numbers = [str(first_row + i + 1) for i in range(start, stop)]
                    cells = [self._cells(values[start:stop], cell_of, letter, numbers)
                             for (values, cell_of), letter in zip(columns, letters)]
                    rows = []
                    for number, row in zip(numbers, zip(*cells)):
                        body = "".join(row)
                        if body:  # as xlsxwriter: a row without cells is not written
                            rows.append(f'<row r="{number}">{body}</row>')
                            last = int(number) - 1
                            first = last if first is None else first
                    out.write("".join(rows))
                return None if first is None else (first, last)

            def _cells(self, values: list, cell_of, letter: str, numbers: list[str]) -> list[str]:
                """Each cell's XML ('' for none); the XML after the reference made once per distinct
                value of these rows. (A cache kept for the whole column measured no faster: 0.41–0.50 s against
                0.39–0.40 s for 64,000 rows; columns of distinct texts fill it with values never met again.)"""
                out = []
                cache: dict = {}
                head = '<c r="' + letter
                for number, v in zip(numbers, values):
                    if v is None:
                        out.append("")
                        continue
                    try:
                        tail = cache[type(v), v]
                    except KeyError:
                        tail = cache[type(v), v] = self.cell_xml(cell_of(v))
                    except TypeError:  # an unhashable value
                        tail = self.cell_xml(cell_of(v))
                    out.append("" if tail is None else head + number + tail)
                return out

        _SHEET_CLASS = FastSheet
    return _SHEET_CLASS


class _Blank:
    """A value written as a blank cell in its format (write_cell's way with a missing value)."""


_BLANK = _Blank()


def write_notes(wb, styles: Styles, name: str, sections: list[tuple[str, list[str], list[list]]]) -> None:
    """A sheet of titled sections, each a small table (header row + rows)."""
    ws = wb.add_worksheet(name, worksheet_class=sheet_class())
    ws.set_column(0, 0, 44)
    ws.set_column(1, 7, 16)

    def cell_of(v):  # as write_cell(…, styles.plain if isinstance(v, str) else None)
        cell = None if v is _BLANK else typed(v, styles, styles.plain if isinstance(v, str) else None)
        return cell or ("b", None, styles.text)

    r = 0
    for heading, header, rows in sections:
        ws.write_string(r, 0, for_excel(heading), styles.section)
        r += 1
        if header:
            for c, h in enumerate(header):
                ws.write_string(r, c, for_excel(h), styles.header)
            r += 1
        if rows:  # a column at a time, as the tables (a 1,600-file merge lists 1,600 files)
            columns = [[(_BLANK if row[i] is None else row[i]) if i < len(row) else None for row in rows]
                       for i in range(max(map(len, rows)))]
            write_rows(ws, r, [(values, cell_of) for values in columns])
            r += len(rows)
        else:
            ws.write_string(r, 0, "（无）", styles.plain)
            r += 1
        r += 1


def save(path: Path, build) -> Path:
    """Create a workbook with `build(wb, styles)` and move it into place atomically."""
    with atomic_path(path) as tmp:
        wb = None
        try:
            with zip_output(tmp) as output:  # a failed write is closed quietly (bqw.core.atomic.zip_output)
                wb = new_workbook(output)
                build(wb, Styles(wb))
                wb.close()
            pieces = dict(p for ws in wb.worksheets() for p in getattr(ws, "pieces", ()))
            if pieces:  # big tables' rows, deflated on both cores (FastSheet._two_halves)
                from bqw.fast.zipsplice import splice

                splice(tmp, pieces)
        finally:
            for ws in wb.worksheets() if wb is not None else ():
                for _mark, parts in getattr(ws, "pieces", ()):
                    for file, *_ in parts:
                        Path(file).unlink(missing_ok=True)
    return path

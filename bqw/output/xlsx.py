"""Write styled workbooks with xlsxwriter (constant memory): merged ledgers, 待核实, 合并说明.

Text from a submission is always written with write_string, and the workbook is opened with
strings_to_formulas off, so “=HYPERLINK(…)” stays inert text (docs/limits.md, 写出时的处理). Every string goes
through bqw.core.values.for_excel on its way out: control characters removed (the reader reports
them as text-control-chars at their cell), text cut to Excel's 32,767 characters (reported as
text-too-long; the archive keeps it whole).
"""

from __future__ import annotations

from datetime import datetime
from math import isfinite
from pathlib import Path

from bqw.core.atomic import atomic_path, zip_output
from bqw.core.values import for_excel, is_missing
from bqw.fast.sheet import sheet_class, writes_rows
from bqw.output.printing import (WIDE_TEXT, apply_xlsxwriter, display_width, lines_height, plan_print,
                                 row_height, text_lines)

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL, WARN_FILL, ERROR_FILL = "#DDEBF7", "#FFEB9C", "#FFC7CE"
SAMPLE_ROWS = 1000  # rows measured for a column's width


class Styles:
    def __init__(self, wb):
        base = {"font_name": "宋体", "font_size": 10, "valign": "top", "border": 1}
        self.title = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter",
                                    "font_name": "宋体"})
        # a table printed on several pages across: a centred title would be cut at a page's edge
        self.title_left = wb.add_format({"bold": True, "font_size": 14, "align": "left", "valign": "vcenter",
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
        # it, and the fast row writer (bqw.fast.sheet) meets them in a different order than cell by
        # cell. (_get_xf_index is xlsxwriter's own: without it, cells number them as they go.)
        for fmt in (self.title, self.header, self.text, self.wrap, self.date, self.number, self.warn,
                    self.error, self.section, self.plain, self.title_left):
            if hasattr(fmt, "_get_xf_index"):
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


def _column_cells(series, styles: Styles, mark_format=None) -> tuple[list, object]:
    """(values, cell_of) of one column, decided once from its dtype: cell_of(value) is typed(value)
    for the column's values (dates as Excel serials), None where no cell is written. Text wraps
    (styles.wrap): on paper a cut-off or overflowing cell loses what it says."""
    import pandas as pd

    kind = series.dtype.kind if hasattr(series, "dtype") else "O"
    if mark_format is not None:  # a note column: only non-empty notes, in the mark format
        return series.tolist(), lambda v: None if type(v) is str and v == "" else typed(v, styles, mark_format)
    if kind == "M":  # datetime64: Excel serial numbers computed for the whole column at once
        serials = ((series - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1))
        return serials.astype(object).where(serials.notna(), None).tolist(), lambda v: ("n", v, styles.date)
    if kind in "iuf":
        values = series.astype(object)
        return values.where(values.notna(), None).tolist(), lambda v: typed(v, styles, styles.number)
    return series.tolist(), lambda v: ("s", for_excel(v), styles.wrap) if type(v) is str else typed(v, styles)


def write_table(wb, styles: Styles, name: str, title: str, frame, widths: dict[str, int] | None = None,
                mark: str | None = None, mark_format=None, printed: int | None = None, key_columns: int = 0) -> None:
    """A sheet: title row, frozen header with a filter, then the rows of `frame`, set up to print
    (bqw.output.printing): the leading `printed` columns (None: all) on A4, header row on every page.

    `mark` names a column whose non-empty cells get `mark_format` (warnings, problems); `key_columns`:
    the leading columns repeated on each page when the printed columns run onto pages across.
    """
    ws = wb.add_worksheet(name, worksheet_class=sheet_class())
    columns = list(frame.columns)
    widths = widths or {}
    natural = [max(widths.get(col) or max(8, min(40, len(str(col)) * 2 + 2)), _short_text_width(frame[col]))
               for col in columns]
    plan = plan_print(natural, printed, header_rows=(1, 1), key_columns=key_columns)
    span = max(min(plan.printed, len(columns)), 1)  # the title is centred over what prints
    if span > 1:
        ws.merge_range(0, 0, 0, span - 1, "", styles.title)
    ws.write_string(0, 0, for_excel(title), styles.title_left if plan.pages_wide > 1 else styles.title)
    ws.set_row(0, 28)
    ws.set_row(1, row_height([str(col) for col in columns], plan.widths))
    cols = []
    for c, (col, width) in enumerate(zip(columns, plan.widths)):
        ws.set_column(c, c, width)
        ws.write_string(1, c, for_excel(str(col)), styles.header)
        cols.append(_column_cells(frame[col], styles, mark_format if col == mark else None))
    ws.freeze_panes(2, 0)
    # heights from the printed columns: an unprinted tracing column (来源文件) does not make a printed row tall
    printed = min(plan.printed or len(columns), len(columns))
    write_rows(ws, 2, cols, row_heights(frame[columns[:printed]], plan.widths[:printed]))
    ws.autofilter(1, 0, max(1, len(frame) + 1), max(len(columns), 1) - 1)
    apply_xlsxwriter(ws, plan, last_row=len(frame) + 1)


def _short_text_width(series) -> int:
    """The width that shows the column's longest short text on one line (0 for none): a code such as
    “PA2026-004-1” is not broken across lines. Text of WIDE_TEXT or more wraps and widens nothing;
    the first SAMPLE_ROWS rows are measured (a province's merge has hundreds of thousands)."""
    if getattr(series, "dtype", None) is None or series.dtype.kind != "O":
        return 0
    fitting = [w for v in series.head(SAMPLE_ROWS) if type(v) is str and "\n" not in v
               for w in (display_width(v),) if w < WIDE_TEXT]
    return max(fitting) + 1 if fitting else 0


def row_heights(frame, widths: list[float]) -> list | None:
    """Each data row's height in points where its text wraps onto more than one line (None: the default
    height), for the renderers that keep an unset row one line high (LibreOffice, WPS; bqw.output.printing).
    Only texts that may wrap are measured — longer than half the column's width, or with a line break."""
    lines: list[int] | None = None
    for col, width in zip(frame.columns, widths):
        series = frame[col]
        if getattr(series, "dtype", None) is None or series.dtype.kind != "O":
            continue
        half = width / 2
        for i, v in enumerate(series.tolist()):
            if type(v) is str and (len(v) > half or "\n" in v):
                n = text_lines(v, width)
                if n > 1:
                    lines = lines or [1] * len(frame)
                    lines[i] = max(lines[i], n)
    return None if lines is None else [lines_height(n) for n in lines]


def write_rows(ws, first_row: int, columns: list, heights: list | None = None) -> None:
    """Rows from `first_row` on; `columns` holds (values, cell_of) per column: cell_of(value) is the
    typed cell ("n"/"d"/"s"/"b" for a blank in a format), None (or a None value) writes no cell.
    `heights`: each row's height in points, None for the default."""
    if writes_rows(ws):
        ws.write_rows(first_row, columns, heights)
        return
    # not a FastSheet (this xlsxwriter lacks what it relies on): xlsxwriter's own writers, cell by cell
    writers = {"n": ws.write_number, "d": ws.write_datetime, "s": ws.write_string, "b": ws.write_blank}
    for r, row in enumerate(zip(*(values for values, _cell_of in columns)), start=first_row):
        if heights and heights[r - first_row]:
            ws.set_row(r, heights[r - first_row])
        for c, (v, (_values, cell_of)) in enumerate(zip(row, columns)):
            cell = None if v is None else cell_of(v)
            if cell is not None:
                writers[cell[0]](r, c, cell[1], cell[2])


class _Blank:
    """A value written as a blank cell in its format (write_cell's way with a missing value)."""


_BLANK = _Blank()


def write_notes(wb, styles: Styles, name: str, sections: list[tuple[str, list[str], list[list]]],
                widths: list[int] | None = None) -> None:
    """A sheet of titled sections, each a small table (header row + rows), set up to print
    (bqw.output.printing): `widths` of its columns (default: 44, then 16s), every used column printed."""
    ws = wb.add_worksheet(name, worksheet_class=sheet_class())
    used = max([len(header) for _h, header, _rows in sections] + [len(row) for *_h, rows in sections for row in rows]
               + [1])
    widths = list(widths or [44])
    plan = plan_print(widths + [16] * (used - len(widths)))
    for c, width in enumerate(plan.widths):
        ws.set_column(c, c, width)

    def cell_of(v):  # as write_cell(…, styles.plain if isinstance(v, str) else None)
        cell = None if v is _BLANK else typed(v, styles, styles.plain if isinstance(v, str) else None)
        return cell or ("b", None, styles.text)

    r = 0
    for heading, header, rows in sections:
        ws.write_string(r, 0, for_excel(heading), styles.section)
        r += 1
        if header:
            ws.set_row(r, row_height(header, plan.widths))
            for c, h in enumerate(header):
                ws.write_string(r, c, for_excel(h), styles.header)
            r += 1
        if rows:  # a column at a time, as the tables (a 1,600-file merge lists 1,600 files)
            columns = [[(_BLANK if row[i] is None else row[i]) if i < len(row) else None for row in rows]
                       for i in range(max(map(len, rows)))]
            write_rows(ws, r, [(values, cell_of) for values in columns],
                       [row_height(list(row), plan.widths) for row in rows])
            r += len(rows)
        else:
            ws.write_string(r, 0, "（无）", styles.plain)
            r += 1
        r += 1
    apply_xlsxwriter(ws, plan, last_row=max(r - 2, 0))


def save(path: Path, build) -> Path:
    """Create a workbook with `build(wb, styles)` and move it into place atomically."""
    with atomic_path(path) as tmp:
        with zip_output(tmp) as output:  # a failed write is closed quietly (bqw.core.atomic.zip_output)
            wb = new_workbook(output)
            build(wb, Styles(wb))
            wb.close()
    return path

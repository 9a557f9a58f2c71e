"""Write styled workbooks with xlsxwriter (constant memory): merged ledgers, 待核实, 合并说明.

Text from a submission is always written with write_string, and the workbook is opened with
strings_to_formulas off, so “=HYPERLINK(…)” stays inert text (docs/safety.md). Every string goes
through bqw.io.values.for_excel on its way out: control characters removed (the reader reports
them as text-control-chars at their cell), text cut to Excel's 32,767 characters (reported as
text-too-long; the archive keeps it whole).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bqw.atomic import atomic_path
from bqw.io.values import for_excel, is_missing

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


def new_workbook(path: Path):
    import xlsxwriter

    return xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False, "nan_inf_to_errors": False, "default_date_format": DATE_FORMAT})


def write_cell(ws, r: int, c: int, value, styles: Styles, fmt=None):
    """One value with its natural type; text always as a string, never a formula."""
    if is_missing(value):
        ws.write_blank(r, c, None, fmt or styles.text)
    elif isinstance(value, datetime) or type(value).__name__ == "datetime64":
        if type(value).__name__ == "datetime64":
            import pandas as pd

            value = pd.Timestamp(value)
        ws.write_datetime(r, c, value.to_pydatetime() if hasattr(value, "to_pydatetime") else value,
                          fmt or styles.date)
    elif isinstance(value, bool) or type(value).__name__ == "bool_":
        ws.write_string(r, c, "是" if value else "否", fmt or styles.text)
    elif isinstance(value, (int, float)) or hasattr(value, "dtype"):
        ws.write_number(r, c, float(value) if not isinstance(value, int) else value, fmt or styles.number)
    else:
        ws.write_string(r, c, for_excel(str(value)), fmt or styles.text)


def _column_values(series, styles: Styles, fmt) -> tuple[str, list, object]:
    """(how, values, format) of one column, decided once from its dtype: "n" numbers (dates as Excel
    serials) with None for blanks, "s" text (made fit for a cell) and other values as they are."""
    import pandas as pd

    kind = series.dtype.kind if hasattr(series, "dtype") else "O"
    if kind == "M":  # datetime64: Excel serial numbers computed for the whole column at once
        serials = ((series - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1))
        return "n", serials.astype(object).where(serials.notna(), None).tolist(), fmt or styles.date
    if kind in "iuf":
        values = series.astype(object)
        return "n", values.where(values.notna(), None).tolist(), fmt or styles.number
    cache: dict[str, str] = {}  # for_excel once per distinct text (leaders, villages, file names repeat)
    values = series.tolist()
    for i, v in enumerate(values):
        if type(v) is str:
            text = cache.get(v)
            if text is None:
                text = cache[v] = for_excel(v)
            values[i] = text
    return "s", values, fmt or styles.text


def write_table(wb, styles: Styles, name: str, title: str, frame, widths: dict[str, int] | None = None,
                mark: str | None = None, mark_format=None) -> None:
    """A sheet: merged title row, frozen header with a filter, then the rows of `frame`.

    `mark` names a column whose non-empty cells get `mark_format` (warnings, problems).
    """
    ws = wb.add_worksheet(name)
    columns = list(frame.columns)
    widths = widths or {}
    ncol = max(len(columns), 1)
    if ncol > 1:
        ws.merge_range(0, 0, 0, ncol - 1, "", styles.title)
    ws.write_string(0, 0, for_excel(title), styles.title)
    ws.set_row(0, 28)
    formats = []
    for c, col in enumerate(columns):
        width = widths.get(col) or max(8, min(40, len(str(col)) * 2 + 2))
        ws.set_column(c, c, width)
        formats.append(styles.wrap if width >= WIDE_TEXT else None)
        ws.write_string(1, c, for_excel(str(col)), styles.header)
    ws.freeze_panes(2, 0)
    marked = columns.index(mark) if mark in columns else -1
    cols = [_column_values(frame[col], styles, formats[c]) for c, col in enumerate(columns)]
    # xlsxwriter's undecorated writers: the decorated ones parse "A1" notation on every call.
    # constant_memory keeps one row at a time, so cells go row by row.
    number, string = ws._write_number, ws._write_string
    plan = [(c, how == "n", fmt) for c, (how, _values, fmt) in enumerate(cols)]
    for r, row in enumerate(zip(*(values for _how, values, _fmt in cols)), start=2):
        for (c, numeric, fmt), v in zip(plan, row):
            if v is None:
                continue  # an empty cell is simply not written
            if c == marked:
                if not is_missing(v) and v != "":
                    write_cell(ws, r, c, v, styles, mark_format)
            elif numeric:
                number(r, c, v, fmt)
            elif type(v) is str:
                string(r, c, v, fmt)
            elif not is_missing(v):
                write_cell(ws, r, c, v, styles, fmt)
    ws.autofilter(1, 0, max(1, len(frame) + 1), ncol - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(1)


def write_notes(wb, styles: Styles, name: str, sections: list[tuple[str, list[str], list[list]]]) -> None:
    """A sheet of titled sections, each a small table (header row + rows)."""
    ws = wb.add_worksheet(name)
    ws.set_column(0, 0, 44)
    ws.set_column(1, 7, 16)
    r = 0
    for heading, header, rows in sections:
        ws.write_string(r, 0, for_excel(heading), styles.section)
        r += 1
        if header:
            for c, h in enumerate(header):
                ws.write_string(r, c, for_excel(h), styles.header)
            r += 1
        for row in rows:
            for c, v in enumerate(row):
                write_cell(ws, r, c, v, styles, styles.plain if isinstance(v, str) else None)
            r += 1
        if not rows:
            ws.write_string(r, 0, "（无）", styles.plain)
            r += 1
        r += 1


def save(path: Path, build) -> Path:
    """Create a workbook with `build(wb, styles)` and move it into place atomically."""
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp)
        build(wb, Styles(wb))
        wb.close()
    return path

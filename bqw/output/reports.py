"""Render summaries (bqw.summary): Markdown, an Excel workbook with charts, JSON; the terminal's
tables are in bqw.output.terminal (print_summaries), the one place rich is used outside the CLI.

Each renderer takes one Summary or a list of them. pandas and xlsxwriter are imported inside the
functions (docs/summaries.md describes the outputs).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from bqw.core.values import is_missing
from bqw.summary.common import Summary, SummaryTable

RED, AMBER, GREEN = "#FFC7CE", "#FFEB9C", "#C6EFCE"
FONT = {RED: "#9C0006", AMBER: "#9C5700", GREEN: "#006100"}
# status value -> fill; "是" is red only in a 是否逾期 column (STATUS_YES_COLUMNS)
STATUS_COLOURS = {
    "逾期": RED, "缺联络员": RED, "一票否决": RED,
    "滞后": AMBER, "未开展": AMBER, "临期": AMBER, "未达标": AMBER, "多名联络员": AMBER, "重复": AMBER,
    "达标": GREEN,
}
STATUS_YES_COLUMNS = {"是否逾期": RED}
SERIES_COLOURS = {"已完成": "#70AD47", "推进中": "#FFC000", "未启动": "#A5A5A5"}
OVERVIEW_SHEET = "概况"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def as_list(summaries) -> list[Summary]:
    if isinstance(summaries, Summary):
        return [summaries]
    return list(summaries)


def status_colour(column: str | None, value) -> str | None:
    """The fill for a status cell, or None."""
    if column is None or not isinstance(value, str):
        return None
    if column in STATUS_YES_COLUMNS and value == "是":
        return STATUS_YES_COLUMNS[column]
    return STATUS_COLOURS.get(value)


# --- cell values as text ---------------------------------------------------------------------

def cell_text(value, fmt: str | None = None) -> str:
    """A table value for Markdown and the terminal: dates ISO, rates as percentages, NA blank."""
    if is_missing(value):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, bool):
        return "是" if value else "否"
    if fmt == "percent" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}".rstrip("0").rstrip(".") + "%"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def _md_escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"\s*[\r\n]+\s*", " ", text)


# --- Markdown ----------------------------------------------------------------------------------

def _md_table(table: SummaryTable) -> list[str]:
    columns = [str(c) for c in table.frame.columns]
    lines = ["| " + " | ".join(_md_escape(c) for c in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    for values in table.frame.itertuples(index=False, name=None):
        cells = [_md_escape(cell_text(v, table.formats.get(c))) for c, v in zip(columns, values)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def to_markdown(summaries, details: bool = False) -> str:
    """Headings, key sentences and Markdown tables, ready to paste into a message.

    Full listings (SummaryTable.detail, e.g. 任务明细) are left out unless `details`.
    """
    out: list[str] = []
    for s in as_list(summaries):
        out.append(f"## {s.title}")
        out.append("")
        for h in s.highlights:
            out.append(f"- {_md_escape(h)}")
        for note in s.data.get("notes", []):
            out.append(f"- 说明：{_md_escape(note)}")
        if s.highlights or s.data.get("notes"):
            out.append("")
        for table in s.tables():
            if table.detail and not details:
                continue
            out.append(f"### {_md_escape(table.title)}")
            out.append("")
            if len(table.frame):
                out.extend(_md_table(table))
            else:
                out.append("（无）")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- JSON --------------------------------------------------------------------------------------

def to_json(summaries, copy: bool = True) -> dict:
    """One summary: its document; several: {"summaries": [...]}. A copy, unless `copy` is False
    (the summaries' own documents, to be written out at once and not changed)."""
    items = as_list(summaries)
    docs = [s.to_json() if copy else s.data for s in items]
    return docs[0] if len(docs) == 1 else {"summaries": docs}


# --- Excel -------------------------------------------------------------------------------------

def _widths(table: SummaryTable) -> list[int]:
    from bqw.output.printing import display_width

    widths = []
    for c in table.frame.columns:
        values = [cell_text(v, table.formats.get(c)) for v in table.frame[c].head(500)]
        longest = max([display_width(str(c))] + [display_width(v) for v in values])
        widths.append(max(8, min(50, longest + 2)))
    return widths


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters."""
    base = _BAD_SHEET_CHARS.sub("", name).strip("'") or "表"
    base = base[:31]
    candidate, n = base, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f"（{n}）"
        candidate = base[:31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def _col(c: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(c)


def _write_sheet(wb, styles, extra: dict, name: str, table: SummaryTable) -> None:
    """A sheet of one SummaryTable: title row, frozen header with a filter, rows, status colours, chart."""
    from bqw.core.values import for_excel
    from bqw.output.printing import WIDE_TEXT, apply_xlsxwriter, plan_print
    from bqw.output.xlsx import write_cell

    ws = wb.add_worksheet(name)
    frame = table.frame
    columns = [str(c) for c in frame.columns]
    ncol = max(len(columns), 1)
    nrow = len(frame)
    chart = _chart_size(table.chart, nrow) if table.chart is not None and nrow else None
    plan = plan_print(_widths(table), header_rows=(1, 1), key_columns=1, min_pixels=chart[0] if chart else 0)
    widths = plan.widths
    ws.set_row(0, 28)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    if ncol > 1:
        ws.merge_range(0, 0, 0, ncol - 1, "", styles.title)
    ws.write_string(0, 0, for_excel(table.title), styles.title_left if plan.pages_wide > 1 else styles.title)
    for c, col in enumerate(columns):
        ws.write_string(1, c, for_excel(col), styles.header)
    ws.freeze_panes(2, 0)
    formats = []
    for c, col in enumerate(columns):
        if table.formats.get(col) == "percent":
            formats.append(extra["percent"])
        elif widths[c] >= WIDE_TEXT and frame[col].dtype.kind not in "iufbMm":  # long text wraps
            formats.append(styles.wrap)
        else:
            formats.append(None)
    for i, values in enumerate(frame.itertuples(index=False, name=None)):
        for c, v in enumerate(values):
            write_cell(ws, i + 2, c, v, styles, formats[c])
    if nrow == 0:
        ws.write_string(2, 0, "（无）", styles.text)
    ws.autofilter(1, 0, max(2, nrow + 1), ncol - 1)
    apply_xlsxwriter(ws, plan, last_row=max(2, nrow + 1), area=False)  # no print area: the chart below prints too
    if table.status_column in columns and nrow:
        _status_formats(ws, extra, columns, table.status_column, nrow)
    if table.chart is not None and nrow:
        _chart(wb, ws, name, table, columns, nrow)


def _status_formats(ws, extra: dict, columns: list[str], status: str, nrow: int) -> None:
    """Conditional formats: the status cells by value (cell ==), and the rest of the row (formula)."""
    sc = columns.index(status)
    first, last = 2, nrow + 1
    colours = [(v, fill) for v, fill in STATUS_COLOURS.items()]
    if status in STATUS_YES_COLUMNS:
        colours.insert(0, ("是", STATUS_YES_COLUMNS[status]))
    for value, fill in colours:
        ws.conditional_format(first, sc, last, sc, {"type": "cell", "criteria": "==", "value": f'"{value}"',
                                                   "format": extra[fill]})
        if len(columns) > 1:
            ws.conditional_format(first, 0, last, len(columns) - 1, {
                "type": "formula", "criteria": f'=${_col(sc)}{first + 1}="{value}"', "format": extra[fill]})


def _chart(wb, ws, sheet: str, table: SummaryTable, columns: list[str], nrow: int) -> None:
    spec = table.chart
    if spec.categories not in columns:
        return
    cat = columns.index(spec.categories)
    first, last = 2, nrow + 1
    subtype = {"subtype": "stacked"} if spec.stacked else {}
    chart = wb.add_chart({"type": spec.type, **subtype})
    for column, title in spec.series:
        if column not in columns:
            continue
        c = columns.index(column)
        series = {"name": title, "categories": [sheet, first, cat, last, cat],
                  "values": [sheet, first, c, last, c], "data_labels": {"value": not spec.stacked}}
        if column in SERIES_COLOURS:
            series["fill"] = {"color": SERIES_COLOURS[column]}
        chart.add_series(series)
    if spec.line and spec.type == "column":
        line = wb.add_chart({"type": "line"})
        for column, title in spec.line:
            if column in columns:
                c = columns.index(column)
                line.add_series({"name": title, "categories": [sheet, first, cat, last, cat],
                                 "values": [sheet, first, c, last, c], "marker": {"type": "diamond", "size": 7},
                                 "line": {"color": "#C00000", "width": 2.25}})
        chart.combine(line)
    chart.set_title({"name": spec.title, "name_font": {"name": "宋体", "size": 12}})
    chart.set_legend({"position": "bottom", "font": {"name": "宋体"}})
    axis_font = {"name": "宋体", "size": 9}
    value_axis = {"num_font": axis_font, "major_gridlines": {"visible": True}, "min": 0}
    if spec.y_title:
        value_axis["name"] = spec.y_title
    category_axis = {"num_font": axis_font}
    if spec.type == "bar":
        chart.set_x_axis(value_axis)
        chart.set_y_axis({**category_axis, "reverse": True})
    else:
        chart.set_y_axis(value_axis)
        chart.set_x_axis(category_axis)
    width, height = _chart_size(spec, nrow)
    chart.set_size({"width": width, "height": height})
    ws.insert_chart(nrow + 3, 0, chart, {"x_offset": 4, "y_offset": 4})  # below the table: prints on A4


def _chart_size(spec, nrow: int) -> tuple[int, int]:
    """A chart's (width, height) in pixels: a bar per row grows down, a column per row grows across, as
    far as an A4 landscape page is wide (it prints at full size, never cut at a page's edge)."""
    from bqw.output.printing import page_pixels

    if spec.type == "bar":
        return 640, min(2400, max(320, 24 * nrow + 120))
    return min(page_pixels(landscape=True), max(560, 56 * nrow + 200)), 360


def write_xlsx(summaries, path) -> Path:
    """One workbook: a 概况 sheet with the key sentences, then one sheet per SummaryTable.

    Status cells are coloured by conditional formats (逾期 red, 滞后 amber, 达标 green …);
    tables with a chart get a native Excel chart beside them. Written atomically.
    """
    from bqw.output import xlsx as xlsxout

    items = as_list(summaries)

    def build(wb, styles):
        extra = {fill: wb.add_format({"bg_color": fill, "font_color": FONT[fill]}) for fill in (RED, AMBER, GREEN)}
        extra["percent"] = wb.add_format({"font_name": "宋体", "font_size": 10, "valign": "top", "border": 1,
                                          "num_format": "0.0%"})
        taken = {OVERVIEW_SHEET}
        sections = []
        for s in items:
            rows = [[h] for h in s.highlights] + [[f"说明：{n}"] for n in s.data.get("notes", [])]
            sections.append((s.title, [], rows))
        xlsxout.write_notes(wb, styles, OVERVIEW_SHEET, sections, widths=[110])
        for s in items:
            for table in s.tables():
                _write_sheet(wb, styles, extra, sheet_name(table.name, taken), table)

    return xlsxout.save(Path(path), build)

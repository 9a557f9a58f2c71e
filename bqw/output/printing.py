"""How every workbook bqw writes prints (issue 16, “Prints well”): A4, the columns a reader needs at a
readable size, the header row on every page, “第 n 页 共 m 页” in the footer.

`plan_print` decides from the column widths alone, the same way for every sheet:

- the print area is the sheet's leading `printed` columns (a merged ledger's official columns; the
  tracing columns bqw adds after them stay on the sheet, unprinted: see bqw.output.ledger);
- wide text columns (at least WIDE_TEXT, wrapped) are narrowed, the widest first and never below
  WIDE_TEXT, until the printed columns fit the page width at full size;
- portrait when they then fit a portrait page at 100 %, else landscape;
- fitted to one page across when that keeps MIN_SCALE (10 pt prints at 7.5 pt or more), else to as
  many pages across as keep MIN_SCALE, printed across then down, with the leading key columns (序号,
  村名 …) repeated on every page. Fitting never enlarges: columns that fit print at 100 %. It is set even
  then, because renderers measure a column's width by their own fonts (LibreOffice's Carlito makes the
  same columns about 6 % wider than Excel's Calibri): a last column that would run onto a page of its
  own prints a little smaller instead.

`apply_xlsxwriter` and `apply_openpyxl` write one plan into a worksheet of either library; the widths
a writer sets are the plan's (`PrintPlan.widths`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import ceil

A4 = 9  # the paper size code of A4 in xlsx
FOOTER = "第 &P 页 共 &N 页"  # &P the page, &N the pages: the header/footer codes of Excel and WPS
WIDE_TEXT = 20  # columns at least this wide hold running text: they wrap, and narrow to this to fit a page
MIN_SCALE = 75  # below this, 10 pt text prints under 7.5 pt: run onto a second page across instead
# Inches. Narrower left and right margins than Excel's 0.7 leave room for one more column; the
# footer sits 0.3 in from the edge, inside the bottom margin.
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.75}
HEADER_FOOTER_MARGIN = 0.3
A4_INCHES = (8.27, 11.69)  # 210 × 297 mm
PIXELS_PER_INCH = 96  # a column's width in pixels (Excel's, for its default 11 pt font) at 100 %
SAFETY = 0.98  # room for a renderer whose font metrics differ a little (WPS, LibreOffice)
# points: one line of 10 pt 宋体 in a wrapped cell, and the cell's own margin — measured against
# LibreOffice's rendering (its CJK fonts stand taller than 宋体: 14 pt a line cut the second line's foot)
LINE_HEIGHT = 15
ROW_PADDING = 2
MAX_ROW_HEIGHT = 409  # points: the tallest row Excel and WPS allow


@dataclass(frozen=True)
class PrintPlan:
    """How one sheet prints: every column's width (the printed ones fitted), the print area's width,
    orientation, the pages across the printed columns take, and the scale they print at."""

    widths: list[int]  # every column's width, in Excel's character units
    printed: int  # the leading columns in the print area
    landscape: bool
    pages_wide: int  # the pages across the printed columns are fitted to (the renderer computes the scale)
    scale: int  # the scale they print at, as computed here from their widths (100: full size)
    header_rows: tuple[int, int] | None  # first and last row (0-based) repeated at the top of each page
    key_columns: int  # leading columns repeated on each page across (only when the table runs across)


def column_pixels(width: float) -> int:
    """A column's width in pixels at 100 % (Excel's conversion, for a workbook whose default font is
    11 pt Calibri or 宋体: maximum digit width 7 pixels, 5 pixels of padding)."""
    if width <= 0:
        return 0
    if width < 1:
        return int(width * 12 + 0.5)
    return int(width * 7 + 0.5) + 5


def stored_width(width: float) -> float:
    """The width an xlsx file stores for a column `width` characters wide: its pixels (padding
    included) in characters, in 1/256ths — as xlsxwriter's set_column stores it (6 → 6.7109375);
    openpyxl stores what it is given."""
    return int(column_pixels(width) / 7 * 256) / 256


def page_pixels(landscape: bool) -> int:
    """The printable width of an A4 page, in pixels at 100 %, less SAFETY."""
    inches = (A4_INCHES[1] if landscape else A4_INCHES[0]) - MARGINS["left"] - MARGINS["right"]
    return int(inches * PIXELS_PER_INCH * SAFETY)


def plan_print(widths: list[int], printed: int | None = None, header_rows: tuple[int, int] | None = None,
               key_columns: int = 0, min_pixels: int = 0) -> PrintPlan:
    """The print plan of a sheet whose columns have `widths` (see the module docstring).

    `printed`: the leading columns in the print area (None: all); `min_pixels`: what else must fit
    across the page (a chart below the table)."""
    widths = [int(round(w)) for w in widths]
    printed = len(widths) if printed is None else max(0, min(printed, len(widths)))
    fitted = _narrowed(widths[:printed], page_pixels(True))
    content = max(sum(column_pixels(w) for w in fitted), min_pixels, 1)
    all_widths = fitted + widths[printed:]
    for landscape in (False, True):
        if content <= page_pixels(landscape):
            return PrintPlan(all_widths, printed, landscape, 1, 100, header_rows, 0)
    page = page_pixels(True)
    if content * MIN_SCALE <= page * 100:
        return PrintPlan(all_widths, printed, True, 1, int(page * 100 / content), header_rows, 0)
    key = sum(column_pixels(w) for w in fitted[:key_columns])
    if key * 2 > page:  # repeating columns that take half a page leaves no room for the rest
        key, key_columns = 0, 0
    # n pages across hold n * page / scale pixels: the content plus the key columns on pages 2..n
    pages = max(2, ceil((content - key) * MIN_SCALE / (page * 100 - key * MIN_SCALE)))
    scale = min(100, int(pages * page * 100 / (content + (pages - 1) * key)))
    return PrintPlan(all_widths, printed, True, pages, scale, header_rows, key_columns)


def _narrowed(widths: list[int], page: int) -> list[int]:
    """`widths` with the wide text columns narrowed, widest first and not below WIDE_TEXT, until
    they fit `page` pixels (or none can narrow further)."""
    out = list(widths)
    while sum(column_pixels(w) for w in out) > page:
        widest = max(range(len(out)), key=lambda i: out[i], default=None)
        if widest is None or out[widest] <= WIDE_TEXT:
            break
        out[widest] -= 1
    return out


_WIDE = re.compile("[\u2e81-\U0010ffff]")  # Chinese (and other wide) characters: two units each


def display_width(text: str) -> int:
    """`text`'s width in a column's character units: a Chinese character is two, other characters one.
    (Counted by the regex engine: a character at a time in Python made row heights double a merge's writing.)"""
    return len(text) + _WIDE.subn("", text)[1]


def text_lines(text: str, width: float) -> int:
    """The lines `text` takes wrapped in a column `width` wide; a line break starts a line."""
    per_line = max(1, int(width))
    text = str(text)
    if "\n" not in text:
        return max(1, ceil(display_width(text) / per_line))
    return sum(max(1, ceil(display_width(part) / per_line)) for part in text.split("\n"))


def row_height(values: list, widths: list[float]) -> float | None:
    """The height in points a row of wrapped `values` needs in columns of `widths`; None for one line
    (the default height). Set where a renderer does not fit rows to wrapped text itself: Excel does,
    LibreOffice and WPS keep an unset row one line high."""
    lines = max([text_lines(v, w) for v, w in zip(values, widths) if isinstance(v, str) and v] + [1])
    return lines_height(lines)


def lines_height(lines: int) -> float | None:
    """The height in points of `lines` wrapped lines, at most Excel's largest row; None for one line."""
    return min(lines * LINE_HEIGHT + ROW_PADDING, MAX_ROW_HEIGHT) if lines > 1 else None


def apply_xlsxwriter(ws, plan: PrintPlan, last_row: int, area: bool = True) -> None:
    """Write `plan` into an xlsxwriter worksheet whose last written row is `last_row` (0-based);
    `area`: set the print area to the printed columns (False: the renderer prints what is used,
    charts included). The writer sets the column widths (plan.widths) itself."""
    ws.set_paper(A4)
    if plan.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(**MARGINS)
    if area and plan.printed:
        ws.print_area(0, 0, max(last_row, 0), plan.printed - 1)
    if plan.header_rows:
        ws.repeat_rows(*plan.header_rows)
    ws.fit_to_pages(plan.pages_wide, 0)
    if plan.pages_wide > 1:
        ws.print_across()
        if plan.key_columns:
            ws.repeat_columns(0, plan.key_columns - 1)
    else:
        ws.center_horizontally()
    ws.set_footer("&C" + FOOTER, {"margin": HEADER_FOOTER_MARGIN})
    ws.set_header("", {"margin": HEADER_FOOTER_MARGIN})


def apply_openpyxl(ws, plan: PrintPlan) -> None:
    """Write `plan` into an openpyxl worksheet: column widths too, print area down to ws.max_row."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    for c, width in enumerate(plan.widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = stored_width(width)
    setup = ws.page_setup
    setup.paperSize = A4
    setup.orientation = "landscape" if plan.landscape else "portrait"
    ws.page_margins = PageMargins(**MARGINS, header=HEADER_FOOTER_MARGIN, footer=HEADER_FOOTER_MARGIN)
    if plan.printed:
        ws.print_area = f"A1:{get_column_letter(plan.printed)}{max(ws.max_row, 1)}"
    if plan.header_rows:
        ws.print_title_rows = f"{plan.header_rows[0] + 1}:{plan.header_rows[1] + 1}"
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth, setup.fitToHeight = plan.pages_wide, 0
    if plan.pages_wide > 1:
        setup.pageOrder = "overThenDown"
        if plan.key_columns:
            ws.print_title_cols = f"A:{get_column_letter(plan.key_columns)}"
    else:
        ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = FOOTER

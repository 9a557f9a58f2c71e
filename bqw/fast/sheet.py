"""FastSheet: an xlsxwriter Worksheet that writes a table's data rows as XML itself.

xlsxwriter spends ≈ 4 µs on a cell (a tuple stored, then its attributes escaped and formatted one
at a time when the row is flushed). FastSheet writes the same bytes xlsxwriter's constant_memory
mode writes (tests/unit/test_xlsxout_rows.py compares them with xlsxwriter's own Worksheet), making
the XML after a cell's reference once per distinct value of a column. Everything else of a sheet
(title, header, formats, filter, panes, print setup) is xlsxwriter's.

Measured gain (bench/README.md, third and fifth rounds): a 1,600-file province merge 10.4 s → 7.4 s
(writing the workbook ≈ 4.5 s → 1.4 s). At town and county size it is within the noise: the year's
summary workbook of a town (9,000 table cells) 0.452 s against 0.470 s with xlsxwriter's own
Worksheet, of a county (182,000 cells) 7.14 s against 6.03 s (medians of 9 interleaved rounds on a
shared 2-core machine; per-round ratios 0.99 and 0.95).

It relies on constant_memory internals of xlsxwriter 3.x (PRIVATE_METHODS, PRIVATE_ATTRIBUTES,
utility._preserve_whitespace). When any is missing, or xlsxwriter is not 3.x, sheet_class() gives
xlsxwriter's own Worksheet and writes_rows() is False: callers then write cell by cell through
xlsxwriter's public writers (bqw.output.xlsx.write_rows).
"""

from __future__ import annotations

PRIVATE_METHODS = ("_write_single_row", "_check_dimensions", "_convert_date_time", "_escape_data",
                   "_escape_control_characters")
PRIVATE_ATTRIBUTES = ("previous_row", "fh", "xls_rowmax", "constant_memory")  # set on each worksheet
TESTED_MAJOR = 3  # the xlsxwriter the byte-for-byte tests ran against (pyproject pins <4)
ROWS_PER_WRITE = 2048  # rows made into one string before it is written (bounds the memory used)
_made = False
_fast_class = None  # FastSheet once made; None while not made or when this xlsxwriter does not fit


def writes_rows(ws) -> bool:
    """Whether `ws` is a FastSheet whose xlsxwriter internals are where FastSheet expects them."""
    return (_fast_class is not None and isinstance(ws, _fast_class)
            and all(hasattr(ws, a) for a in PRIVATE_ATTRIBUTES) and bool(ws.constant_memory))


def sheet_class():
    """FastSheet, or xlsxwriter's own Worksheet when this xlsxwriter lacks what FastSheet relies on
    (made on first use: xlsxwriter is imported lazily)."""
    global _made, _fast_class
    if not _made:
        _fast_class, _made = _make_class(), True
    if _fast_class is None:
        from xlsxwriter.worksheet import Worksheet

        return Worksheet
    return _fast_class


def _make_class():
    """FastSheet, or None when this xlsxwriter lacks what it relies on."""
    import xlsxwriter
    from xlsxwriter import utility
    from xlsxwriter.worksheet import Worksheet

    major = str(getattr(xlsxwriter, "__version__", "")).split(".")[0]
    if (major != str(TESTED_MAJOR) or not hasattr(utility, "_preserve_whitespace")
            or not all(callable(getattr(Worksheet, m, None)) for m in PRIVATE_METHODS)):
        return None
    preserve_whitespace, column_letter = utility._preserve_whitespace, utility.xl_col_to_name

    class FastSheet(Worksheet):
        def cell_xml(self, cell) -> str | None:
            """The XML of a typed cell after its reference: `" s="3"><v>5</v></c>` and so on."""
            if cell is None:
                return None
            how, value, fmt = cell
            if how == "s":
                value = self._escape_control_characters(value)
                space = ' xml:space="preserve"' if preserve_whitespace(value) else ""
                return (f'" s="{fmt._get_xf_index()}" t="inlineStr"><is><t{space}>'
                        f'{self._escape_data(value)}</t></is></c>')
            if how == "b":  # a blank cell in a format
                return f'" s="{fmt._get_xf_index()}"/>'
            if how == "d":
                value = self._convert_date_time(value)
            return f'" s="{fmt._get_xf_index()}"><v>{value:.16G}</v></c>'

        def write_rows(self, first_row: int, columns: list, heights: list | None = None) -> None:
            """Rows from `first_row` on; `columns` holds (values, cell_of) per column: cell_of(value)
            is the typed cell ("n"/"d"/"s"/"b" for a blank in a format) or None for no cell.
            `heights`: each row's height in points, None for the default (as set_row would set it)."""
            if first_row > self.previous_row:
                self._write_single_row(first_row)  # the header row xlsxwriter still holds
            n = len(columns[0][0]) if columns else 0
            n = max(0, min(n, self.xls_rowmax - first_row))  # as xlsxwriter: no cells past the last row
            span = self._xml_rows(columns, first_row, n, heights)
            if span is not None:
                self._check_dimensions(span[0], 0)
                self._check_dimensions(span[1], len(columns) - 1)
                self.previous_row = span[1]

        def _xml_rows(self, columns: list, first_row: int, n: int, heights: list | None):
            """Rows first_row … first_row+n-1 as XML into the sheet; (first, last) row written or None."""
            letters = [column_letter(c) for c in range(len(columns))]
            first = last = None
            for start in range(0, n, ROWS_PER_WRITE):
                stop = min(n, start + ROWS_PER_WRITE)
                numbers = [str(first_row + i + 1) for i in range(start, stop)]
                cells = [_cells(self.cell_xml, values[start:stop], cell_of, letter, numbers)
                         for (values, cell_of), letter in zip(columns, letters)]
                tall = heights[start:stop] if heights else [None] * (stop - start)
                rows = []
                for number, row, height in zip(numbers, zip(*cells), tall):
                    body = "".join(row)
                    if body:  # as xlsxwriter: a row without cells is not written
                        size = f' ht="{row_points(height)}" customHeight="1"' if height else ""
                        rows.append(f'<row r="{number}"{size}>{body}</row>')
                        last = int(number) - 1
                        first = last if first is None else first
                self.fh.write("".join(rows))
            return None if first is None else (first, last)

    return FastSheet


def row_points(height: float) -> str:
    """A row height as xlsxwriter's set_row writes it: whole pixels (4/3 of a point), back in points."""
    return f"{int(height * 4.0 / 3.0 + 0.5) * 0.75:.16g}"


def _cells(cell_xml, values: list, cell_of, letter: str, numbers: list[str]) -> list[str]:
    """Each cell's XML ('' for none); the XML after the reference (cell_xml) made once per distinct
    value of these rows. (A cache kept for the whole column measured no faster: 0.41–0.50 s
    against 0.39–0.40 s for 64,000 rows; columns of distinct texts fill it with values never met
    again.)"""
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
            tail = cache[type(v), v] = cell_xml(cell_of(v))
        except TypeError:  # an unhashable value
            tail = cell_xml(cell_of(v))
        out.append("" if tail is None else head + number + tail)
    return out

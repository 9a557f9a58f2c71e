"""Merged cells as intervals: the header area's spread along rows, the data rows' down columns.

A sheet may hold thousands of merged ranges; MergeFill answers “which value covers (row, column)”
without spreading them cell by cell.
"""

from __future__ import annotations

from bisect import bisect_right

from bqw.io.header import SCAN_ROWS
from bqw.io.book import RawSheet

# Merged ranges starting in the header area that are spread over it: a real header has a few
# dozen; a hostile sheet may hold 100,000 overlapping ones (each spread over 31 rows).
HEADER_MERGES = 10_000


class MergeFill:
    """The values of merged cells by (row, column), kept as intervals, never spread cell by cell.

    A sheet may hold thousands of merged ranges, or ranges covering millions of cells; lookups
    bisect sorted, non-overlapping intervals. `by_column` intervals run down a column (cells
    merged down the data rows); otherwise they run along a row (the header area). Overlapping
    ranges (Excel calls such a file corrupt) keep the first by position.
    """

    def __init__(self, spans, by_column: bool):
        lines: dict[int, list] = {}
        for line, start, end, value in spans:
            lines.setdefault(line, []).append((start, end, value))
        self.by_column = by_column
        self._lines = {}
        for line, items in lines.items():
            items.sort(key=lambda x: (x[0], x[1]))
            starts, ends, values, last = [], [], [], -1
            for start, end, value in items:
                if start <= last:
                    continue
                starts.append(start)
                ends.append(end)
                values.append(value)
                last = end
            self._lines[line] = (starts, ends, values)

    def __len__(self) -> int:
        return sum(len(x[0]) for x in self._lines.values())

    def get(self, key, default=None):
        r, c = key
        line, pos = (c, r) if self.by_column else (r, c)
        found = self._lines.get(line)
        if found is None:
            return default
        starts, ends, values = found
        i = bisect_right(starts, pos) - 1
        return values[i] if i >= 0 and pos <= ends[i] else default

    def spans(self, line: int):
        """(start, end, value) of the intervals on one column (by_column) or row."""
        starts, ends, values = self._lines.get(line, ((), (), ()))
        return zip(starts, ends, values)


def header_fill(sheet: RawSheet) -> MergeFill:
    """Values of merged cells spread over the scan area (parent headers, vertical header cells)."""
    spans = []
    top = [m for m in sheet.merged if m[0] <= SCAN_ROWS + 4][:HEADER_MERGES]
    for r0, c0, r1, c1 in top:
        row = sheet.rows[r0] if r0 < len(sheet.rows) else []
        value = row[c0] if c0 < len(row) else ""
        for r in range(r0, min(r1, SCAN_ROWS + 4) + 1):
            spans.append((r, c0, c1, value))
    return MergeFill(spans, by_column=False)


def data_fill(sheet: RawSheet, start: int) -> MergeFill:
    """Cells merged down the data region: every covered row gets the top-left value."""
    spans = []
    for r0, c0, r1, _c1 in sheet.merged:
        if r1 < start or r1 == r0 or r0 < start:
            continue  # a merge from the header (A3:A4 over a two-row header) fills no data row
        row = sheet.rows[r0] if r0 < len(sheet.rows) else []
        value = row[c0] if c0 < len(row) else ""
        spans.append((c0, r0, r1, value))
    return MergeFill(spans, by_column=True)

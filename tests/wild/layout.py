"""Lay a table out on a sheet the way offices do: title lines, a 填报 line, a one- or two-row header,
column numbers, the rows (example, records, blank, 合计), a footer; merges and hidden rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from .writers import Merge, Sheet


@dataclass
class Column:
    """One column of the sheet. `key` says what it holds: a canonical column name, a sub-column
    (“调研成效#1”) or an extra column (“extra:陪同人员”). In a two-row header a column in a `group`
    has the group's label above (merged across the group) and `sub` below; any other column has
    `label` merged down over both rows."""

    key: str
    label: str
    sub: str | None = None
    group: str | None = None


@dataclass
class Row:
    """A row under the header: cells by column key (none for a blank row)."""

    cells: dict = field(default_factory=dict)
    hidden: bool = False
    role: str = "record"  # record | blank | example | total | header (repeated): what the row is to a reader


@dataclass
class DownMerge:
    """A column's cell merged down over rows first..last of the body (indexes into the body)."""

    key: str
    first: int
    last: int


@dataclass
class Layout:
    columns: list[Column]
    titles: list[str | None] = field(default_factory=list)  # lines above the header, top first; None: blank
    title_merged: bool = False
    block: list[dict[int, str]] = field(default_factory=list)  # 填报 lines: column -> text
    two_row: bool = False
    numbers_row: bool = False  # 1, 2, 3 … under the header
    body: list[Row] = field(default_factory=list)
    down_merges: list[DownMerge] = field(default_factory=list)
    footer: list[dict[int, str]] = field(default_factory=list)


def render(name: str, layout: Layout) -> Sheet:
    cols = layout.columns
    width = len(cols)
    sheet = Sheet(name)
    rows = sheet.rows

    def blank():
        return [None] * width

    for text in layout.titles:
        row = blank()
        row[0] = text
        rows.append(row)
        if layout.title_merged and width > 1 and text is not None:
            sheet.merges.append(Merge(len(rows) - 1, 0, len(rows) - 1, width - 1))
    for line in layout.block:
        row = blank()
        for c, text in line.items():
            row[min(c, width - 1)] = text
        rows.append(row)
    top = len(rows)
    if layout.two_row:
        upper, lower = blank(), blank()
        c = 0
        while c < width:
            col = cols[c]
            if col.group is None:
                upper[c] = col.label
                sheet.merges.append(Merge(top, c, top + 1, c))
                c += 1
                continue
            end = c
            while end + 1 < width and cols[end + 1].group == col.group:
                end += 1
            upper[c] = col.group
            if end > c:
                sheet.merges.append(Merge(top, c, top, end))
            for k in range(c, end + 1):
                lower[k] = cols[k].sub
            c = end + 1
        rows += [upper, lower]
    else:
        rows.append([col.label for col in cols])
    if layout.numbers_row:
        rows.append(list(range(1, width + 1)))
    start = len(rows)
    index = {col.key: i for i, col in enumerate(cols)}
    for r, body_row in enumerate(layout.body):
        row = blank()
        for key, value in body_row.cells.items():
            if key in index:
                row[index[key]] = value
        rows.append(row)
        if body_row.hidden:
            sheet.hidden_rows.add(start + r)
    for m in layout.down_merges:
        if m.last > m.first and m.key in index:
            c = index[m.key]
            for r in range(start + m.first + 1, start + m.last + 1):
                rows[r][c] = None  # a merged range keeps its value in the top cell only
            sheet.merges.append(Merge(start + m.first, c, start + m.last, c))
    for line in layout.footer:
        row = blank()
        for c, text in line.items():
            row[min(c, width - 1)] = text
        rows.append(row)
    return sheet

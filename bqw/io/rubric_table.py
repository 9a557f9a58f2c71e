"""The printed 附件4 filled in: one village's scores read down the rubric (bqw.io.rubric finds its blocks),
with its 负面清单 below the items or, in a book of one such sheet, on a sheet of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from bqw.core import values as V
from bqw.core.arrays import text_array
from bqw.core.findings import Finding, col_letter
from bqw.core.table import (COLUMN_IGNORED, COLUMN_READ, DROP_BLANK, DROP_FOOTER, DROP_TOTAL, META_PERIOD,
                            META_UNIT, SKIP_TITLE, SRC_FILE, SRC_ROW, SRC_SHEET, ColumnRead, Origin, SheetLayout,
                            Table)
from bqw.io import rubric
from bqw.io.cells import parse_one, typed_array
from bqw.io.header import HeaderMatch
from bqw.io.reading import Reading
from bqw.io.rows import FOOTER_MARK, TOTAL_MARK
from bqw.io.titleblock import line_text, sheet_context, title_fields
from bqw.io.book import RawSheet
from bqw.ledgers import spec as S

@dataclass
class _ScoreCells:
    """Reads one village's cells: each parsed as its canonical column, bad values reported at the cell."""

    rd: Reading
    table: Table
    sheet: RawSheet  # the rubric's sheet (the 负面清单 may be on another)
    year: int | None
    index: int  # the record's row: its first item
    cells: dict[str, str] = field(default_factory=dict)  # canonical column -> its cell on the rubric's sheet

    def read(self, name: str, src: RawSheet, r: int, c: int):
        column = self.rd.spec("scores").column(name)
        raw = src.rows[r][c] if c < len(src.rows[r]) else None
        cell = f"{col_letter(c)}{r + 1}"
        if src is self.sheet:
            self.cells[name] = cell
        v, _days, error, params, notes = parse_one(raw, column, self.year)
        where = dict(file=self.table.file, sheet=src.name, cell=cell, row=self.index, column=name, table="scores")
        if error:
            self.rd.result.findings.append(Finding(error, params=params, **where))
            self.table.bad_cells.add((self.index, name))
            self.table.raw[(self.index, name)] = raw
        for code, note_params in notes:
            self.rd.result.findings.append(Finding(code, params=note_params, **where))
        return v


def build_rubric_table(rd: Reading, sheet: RawSheet, match: HeaderMatch, others: list[RawSheet]) -> Table:
    """One village's scores from a sheet laid out as the printed rubric (bqw.io.rubric), with its
    负面清单 below the items or, in a book of one such sheet, on a sheet of its own (`others`)."""
    import pandas as pd

    from bqw.ledgers.scores import ITEM_NAMES, NEGATIVE_NAMES, TOTAL

    block = match.rubric
    grid = sheet.rows
    neg, neg_sheet = _negatives(sheet, block, others)
    stop = neg.header if neg is not None and neg_sheet is sheet else len(grid)
    items = rubric.numbered_rows(grid, block, stop, len(ITEM_NAMES))
    negatives = rubric.numbered_rows(neg_sheet.rows, neg, len(neg_sheet.rows), len(NEGATIVE_NAMES)) if neg else {}
    context = sheet_context(rd, sheet, block.header, "scores")
    titles = [title_fields(x)[0] for x in (line_text(sheet, r) for r in range(block.header)) if x]
    found = rubric.village_and_year(context.meta.get("fields", {}), [t for t in titles if t], sheet.name,
                                    rd.book.path.stem)
    meta = context.meta
    year = int(rd.period[:4]) if rd.period else (found.get("year") or (meta.get("year"), None))[0]
    meta["year"] = year
    index = (min(items.values()) if items else block.header + 1) + 1  # the record's row: its first item
    table = Table("scores", None, str(rd.book.path), sheet.name, {}, (block.header + 1,), meta)
    reader = _ScoreCells(rd, table, sheet, year, index)
    data: dict[str, list] = {}
    village = found.get("village")
    if village:
        meta["village"] = village[0]
    data["村名"] = text_array([village[0] if village else None])
    data["评价年度"] = pd.array([year], dtype="Int64")
    for n, name in enumerate(ITEM_NAMES, 1):
        data[name] = typed_array([reader.read(name, sheet, items[n], block.value) if n in items else None], S.NUMBER)
    total_row = next((r for r in range(max(items.values(), default=block.header) + 1, stop)
                      if any(TOTAL_MARK.match(V.clean_name(v) or "") or V.clean_name(v) == "总分"
                             for v in grid[r][:block.text + 1])), None)
    if total_row is not None:
        data[TOTAL] = typed_array([reader.read(TOTAL, sheet, total_row, block.value)], S.NUMBER)
    for n, name in enumerate(NEGATIVE_NAMES, 1):
        value = reader.read(name, neg_sheet, negatives[n], neg.value) if n in negatives else None
        data[name] = typed_array([value], S.YESNO)  # blank or absent: counted as 无, and said (score-negative-blank)
    rows_index = pd.Index([index], name="行号")
    data[META_UNIT] = text_array([meta.get("unit")])
    data[META_PERIOD] = text_array([meta.get("period")])
    data[SRC_FILE] = text_array([V.display_name(rd.book.path.name)])
    data[SRC_SHEET] = text_array([sheet.name])
    data[SRC_ROW] = rows_index.to_numpy()
    table.frame = pd.DataFrame(data, index=rows_index)
    table.cells = reader.cells
    origins = dict(context.origins)
    if village:
        origins["village"] = Origin(village[0], village[1])
    if found.get("year") and not rd.period:
        origins["year"] = Origin(str(found["year"][0]), found["year"][1])
    read_rows = sorted(items.values()) + (sorted(negatives.values()) if neg_sheet is sheet else [])
    header_rows = [block.header] + ([neg.header] if neg is not None and neg_sheet is sheet else [])
    table.layout = _layout(sheet, block, header_rows, read_rows, total_row, context.above, origins)
    if village is None:
        table.bad_cells.add((index, "村名"))  # said once, here, not again as an empty required value
        rd.result.findings.append(table.finding("missing-column", None, "村名", aliases="参评村：××村（标题上方一行）、"
                                                "标题中的村名、以村名命名的工作表或文件"))
    return table


def _negatives(sheet: RawSheet, block: rubric.Block, others: list[RawSheet]):
    """(the 负面清单 block, its sheet): below the items, else on another sheet of the book, else (None, sheet)."""
    neg = rubric.find_negatives(sheet.rows, block.header + 1)
    if neg is None:
        for other in others:
            neg = rubric.find_negatives(other.rows)
            if neg is not None:
                return neg, other
    return neg, sheet


def _layout(sheet: RawSheet, block: rubric.Block, header_rows: list[int], read_rows: list[int],
            total_row: int | None, above: list, origins: dict) -> SheetLayout:
    """How the rubric sheet was read: its header rows, the item rows, what the other rows are."""
    grid = sheet.rows

    def why(r: int) -> str:
        line = line_text(sheet, r)
        if not line:
            return DROP_BLANK
        if r == total_row:
            return DROP_TOTAL
        return DROP_FOOTER if FOOTER_MARK.match(V.clean_name(line) or "") else SKIP_TITLE

    skipped = [(r + 1, why(r)) for r in range(block.header + 1, len(grid)) if r not in read_rows and r not in header_rows]
    head = grid[block.header]

    def label(c: int) -> str:
        return V.clean_text(head[c]) or "" if c < len(head) else ""

    columns = [ColumnRead(col_letter(block.serial), label(block.serial), COLUMN_READ, "序号（第几项）"),
               ColumnRead(col_letter(block.text), label(block.text), COLUMN_IGNORED),
               ColumnRead(col_letter(block.value), label(block.value), COLUMN_READ, "指标1～指标25（按序号）")]
    return SheetLayout(
        sheet.name, "scores", "按印发的评价指标表（附件4）逐项填写得分：表头含 序号、指标内容、得分；一个村一张表",
        [r + 1 for r in header_rows], [r + 1 for r in read_rows], columns, sorted(above + skipped), origins)

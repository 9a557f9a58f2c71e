"""A ledger table read from one sheet: parsed frame + provenance, and the result of reading a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bqw.core.findings import ERROR, Finding

if TYPE_CHECKING:
    import pandas as pd

# Provenance columns on every record (docs/ledgers.md, “来源”).
SRC_FILE, SRC_SHEET, SRC_ROW = "来源文件", "来源工作表", "来源行号"
META_UNIT, META_PERIOD = "填报单位", "期间"
PROVENANCE = (SRC_FILE, SRC_SHEET, SRC_ROW)

# Rows up to which a table is walked value by value: plain Python beats a pandas call's overhead
# on a town's 40-row sheet; bigger tables take the vectorised path.
SMALL_TABLE = 2_000

# Why a row of the sheet is not a record (kept for the conservation count, shown by `bqw inspect`).
DROP_EXAMPLE, DROP_TOTAL, DROP_FOOTER, DROP_BLANK = "例", "合计", "填报人", "空行"
DROP_HEADER = "重复表头"
# Why a row above the header is not a record.
SKIP_TITLE, SKIP_META = "标题", "填报单位行"

# Where a fact about a sheet came from (SheetLayout.context, docs/inspect.md).
FROM_ARGUMENT, FROM_COLUMN, FROM_TITLE, FROM_META = "参数", "列", "标题", "填报行"
FROM_SHEET, FROM_FILE, FROM_DATES = "工作表名", "文件名", "表中日期"

# What bqw did with a column of the sheet.
COLUMN_READ, COLUMN_KEPT, COLUMN_IGNORED = "识别", "保留", "忽略"


@dataclass
class ColumnRead:
    """One column of a sheet's header: its label as written and what bqw made of it."""

    letter: str  # Excel column letter
    label: str  # as written; a two-row header's labels joined “调研成效 › 具体成效”
    action: str  # COLUMN_READ | COLUMN_KEPT | COLUMN_IGNORED
    canonical: str | None = None  # the canonical column (read), or the extra column's name (kept)
    hidden: bool = False


@dataclass
class Origin:
    """A fact about the sheet (its leader, period, unit) and where it came from."""

    value: str
    source: str  # FROM_*


@dataclass
class SheetLayout:
    """How one sheet was read (`bqw inspect`): its kind and why, header, columns, rows, context."""

    name: str
    kind: str | None = None
    reason: str = ""  # why this kind, or why the sheet was not read
    header_rows: list[int] = field(default_factory=list)  # Excel rows
    data_rows: list[int] = field(default_factory=list)  # Excel rows of the records
    columns: list[ColumnRead] = field(default_factory=list)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (Excel row, why), in row order
    context: dict[str, Origin] = field(default_factory=dict)  # "leader" | "period" | "unit" | "year"
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[str] = field(default_factory=list)


class Plain(NamedTuple):
    """A table's records as JSON values, for the archive (bqw.store.records.prepare)."""

    columns: list[str]
    rows: list[dict]  # one dict of JSON values a record
    texts: list[str]  # the same, as JSON text


class Outline(NamedTuple):
    """What a merge needs of a table once its frame is let go."""

    columns: list[str]
    row_numbers: list[int]  # Excel rows
    leaders: list[str]  # a visit table's distinct 镇领导, in order (empty for other kinds)


@dataclass
class Table:
    kind: str
    frame: "pd.DataFrame"  # index: Excel row number; canonical columns, derived, provenance
    file: str
    sheet: str
    letters: dict[str, str]  # canonical column -> Excel column letter
    header_rows: tuple[int, ...] = ()  # Excel row numbers of the header
    meta: dict = field(default_factory=dict)  # leader, period, unit, fill date found in the sheet
    dropped: list[tuple[int, str]] = field(default_factory=list)  # (Excel row, reason)
    bad_cells: set[tuple[int, str]] = field(default_factory=set)  # (row, column) with a parse finding
    raw: dict[tuple[int, str], object] = field(default_factory=dict)  # original value of bad cells
    # the records' values for the archive, made by the reader's worker process (bqw.store.records.prepare)
    plain: Plain | None = None
    layout: SheetLayout | None = None  # how the sheet was read (bqw inspect)
    # canonical column -> cell, for a record read down a sheet rather than along a row (the printed
    # 附件4, one village a sheet: each item's score in its own row); letters then stay empty
    cells: dict[str, str] = field(default_factory=dict)
    # what a merge uses of a table whose frame stayed with the worker that read it: a file without
    # errors needs no more (bqw.jobs.merge.slim), and frames are costly to pass between processes
    outline: Outline | None = None

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns) if self.frame is not None else self.outline.columns

    @property
    def row_numbers(self) -> list[int]:
        return self.frame.index.tolist() if self.frame is not None else self.outline.row_numbers

    def cell(self, row: int | None, column: str | None) -> str | None:
        if column is not None and column in self.cells:
            return self.cells[column]
        if row is None or column is None or column not in self.letters:
            return None
        return f"{self.letters[column]}{row}"

    def finding(self, code: str, row: int | None = None, column: str | None = None, **params) -> Finding:
        return Finding(code, file=self.file, sheet=self.sheet, cell=self.cell(row, column),
                       row=row, column=column, params=params, table=self.kind)

    @property
    def rows(self) -> int:
        return len(self.frame) if self.frame is not None else len(self.outline.row_numbers)


@dataclass
class ReadResult:
    """Everything read from one file: its tables, and what was wrong with it."""

    path: Path
    kind: str | None = None
    tables: list[Table] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None  # a reason when the file was passed over (lock file)
    layouts: list[SheetLayout] = field(default_factory=list)  # every sheet, read or not, in book order

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    @property
    def valid(self) -> bool:
        return self.skipped is None and not any(f.severity == ERROR for f in self.findings)

    def table(self, kind: str) -> Table | None:
        for t in self.tables:
            if t.kind == kind:
                return t
        return None

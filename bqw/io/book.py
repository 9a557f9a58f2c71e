"""A workbook as bqw holds it (Book, RawSheet), what its pre-scan learned (BookScan, Hidden), the
memory its read will need (ReadCost) and BookError, the refusal of a file with a finding code.

Shared by the readers of each format (bqw.io.workbook, .xlsx_scan, .xls_scan, .csv_read).
"""

from __future__ import annotations

import os
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from bqw.core.limits import MB, Limits

EXCEL_EXTS = {".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".et"}
CSV_EXTS = {".csv", ".txt"}
SUPPORTED_EXTS = EXCEL_EXTS | CSV_EXTS
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
# Sheets that explain how to fill the form, never data (docs/ledgers.md, “填表说明”).
INSTRUCTION_SHEET = re.compile(r"说明|填表|须知|填报要求|注意事项|指标解释|目录|readme", re.I)
# Merged ranges in one sheet. Overridden by Limits.max_merged_ranges when bqw.core.limits has it
# (env BQW_MAX_MERGED_RANGES, bqw.toml [limits] max_merged_ranges); see docs/limits.md.
MAX_MERGED_RANGES = 100_000
MAX_ZIP_MEMBERS = 10_000  # parts of one .xlsx package (a real workbook has a few dozen)
XLSX_MAX_COLUMNS = 16_384  # column XFD: no .xlsx sheet is wider


class BookError(Exception):
    """A file that cannot be read; code is a rule code of bqw.core.findings."""

    def __init__(self, code: str, sheet: str | None = None, **params):
        super().__init__(code)
        self.code = code
        self.sheet = sheet
        self.params = params


@dataclass
class RawSheet:
    name: str
    rows: list[list]  # full grid from A1: rows[r][c] is Excel row r+1, column c
    # r0, c0, r1, c1 (0-based), clipped to the grid, single cells left out, in (r0, c0) order
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    # rows and columns hidden in Excel (0-based), as the pre-scan found them; they may lie beyond
    # the grid (a clerk hides the unused columns T:XFD). Hidden rows are still read as records.
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    # cells holding a formula with no cached value (row, column; 0-based): empty in `rows`, though not empty
    no_value: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Book:
    path: Path
    format: str  # "xlsx" | "xls" | "csv"
    sheets: list[RawSheet]
    skipped_sheets: list[tuple[str, str]]  # (name, reason) — hidden or instructions
    sheet_order: list[str] = field(default_factory=list)  # every sheet's name, read or skipped, in book order
    # serials count from 1904-01-01 (<workbookPr date1904="1"/>, old Mac Excel; an .xls's DATEMODE):
    # calamine converts date-formatted cells itself, a serial in a General cell or typed as text is ours
    date1904: bool = False


@dataclass
class Hidden:
    """What the pre-scan learned of one worksheet beyond its extent: its hidden rows and columns
    (0-based), and the cells holding a formula with no cached value (some tools save formulas without
    computing them: calamine reads such a cell as empty)."""

    rows: set[int] = field(default_factory=set)
    cols: set[int] = field(default_factory=set)
    no_value: set[tuple[int, int]] = field(default_factory=set)  # (row, column), 0-based

    def __bool__(self) -> bool:
        return bool(self.rows or self.cols or self.no_value)


@dataclass
class BookScan:
    """What a pre-scan learned besides its checks (bqw.io.xlsx_scan.check_zip, bqw.io.xls_scan.scan_xls)."""

    cells: int = 0  # rows × columns of all the worksheets' extents
    hidden: dict[str, Hidden] = field(default_factory=dict)  # by sheet name; sheets with none left out
    date1904: bool = False


def merged_limit(limits: Limits) -> int:
    """The merged-range limit: Limits.max_merged_ranges when bqw.core.limits defines it, else the
    environment variable BQW_MAX_MERGED_RANGES, else MAX_MERGED_RANGES."""
    value = getattr(limits, "max_merged_ranges", None)
    if value is None:
        try:
            value = int(os.environ.get("BQW_MAX_MERGED_RANGES") or MAX_MERGED_RANGES)
        except ValueError:
            value = MAX_MERGED_RANGES
    return value


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


GRID_CELL, GRID_ROW = 32, 170  # bytes of a sheet's extent: each cell of it, each row (ReadCost.parts)


@dataclass
class ReadCost:
    """What reading one file will hold in memory, counted before python-calamine runs.

    python-calamine keeps the file's bytes, the shared strings and a rows × columns grid of every
    sheet, copying a shared string into each cell that shows it; bqw then builds a Python value
    for each cell and its tables from them. `parts()` weighs each count by what it cost at the peak
    of `bqw validate` (measured by tests/hostile/test_memory.py; the numbers are in docs/limits.md),
    so that a file within `max_read_mb` is read within it.
    """

    file_bytes: int = 0  # the file, held by bqw and copied by calamine
    grid_cells: int = 0  # rows × columns of every sheet's extent (calamine allocates all of them)
    grid_rows: int = 0  # rows of those extents (a Python list each)
    values: int = 0  # cells with content (a value, an inline string or a formula); a CSV's fields
    sheet_bytes: int = 0  # the sheets' XML, inflated (inline text is copied out of it); a CSV's text
    strings: int = 0  # items of the shared-strings table
    string_bytes: int = 0  # the table's XML, inflated
    shown_string_bytes: int = 0  # Σ over the cells showing a shared string of that string's XML length
    lengths: array = field(default_factory=lambda: array("I"), repr=False)  # each shared string's, in order
    # .xls: calamine parses every sheet as it opens the file and keeps its grid and the shared
    # strings in it, then copies both when the sheet is read
    opened_cells: int = 0
    opened_string_bytes: int = 0
    complete: bool = False  # False while the scan is still counting: the counts are then at least these
    # the sheet of the largest extent, for the message
    widest_sheet: str = ""
    widest_rows: int = 0
    widest_cols: int = 0

    BASE = 100 * MB  # bqw validate with nothing read: Python, pandas, pandera and bqw

    def parts(self) -> dict[str, int]:
        """Bytes each count costs at the peak: the slope measured for it, rounded up (docs/limits.md).
        A value's weight covers its own short text (up to 64 bytes of XML); longer text counts by
        its bytes, once in calamine's string and once in Python's."""
        return {
            "file_bytes": self.file_bytes * 7 // 2,  # 3.5 copies
            "grid": self.grid_cells * GRID_CELL + self.grid_rows * GRID_ROW + self.opened_cells * 36,
            "values": self.values * 170,
            "sheet_bytes": max(0, self.sheet_bytes - 64 * self.values) * 37 // 20,
            "strings": self.strings * 60 + self.string_bytes * 6 // 5,
            "shown_string_bytes": self.shown_string_bytes * 37 // 20 + self.opened_string_bytes * 11 // 10,
        }

    def need(self) -> int:
        return self.BASE + sum(self.parts().values())

    def check(self, limits: Limits) -> None:
        need = self.need()
        if need > limits.max_read_bytes:
            raise BookError("file-too-much-memory", limit=human_size(limits.max_read_bytes), why=self.reason(),
                            need=f"约需 {human_size(need)} 内存" if self.complete else f"至少需要 {human_size(need)} 内存")

    def reason(self) -> str:
        """The counts that weigh most (each a quarter of the whole or more), in words."""
        parts = self.parts()
        total = sum(parts.values())
        top = sorted((name for name in parts if parts[name] * 4 >= total), key=parts.get, reverse=True)
        return "；".join(self._words(name) for name in top)

    def _words(self, part: str) -> str:
        more = "" if self.complete else "至少"
        if part == "grid" and not self.grid_cells:  # a CSV: rows, no grid
            return f"文件{more}有 {self.grid_rows:,} 行"
        return {
            "grid": f"工作表“{self.widest_sheet}”的范围有 {self.widest_rows:,} 行 × {self.widest_cols:,} 列"
                    f"（{self.widest_rows * self.widest_cols:,} 格，空白格也占内存）",
            "file_bytes": f"文件本身有 {human_size(self.file_bytes)}",
            "values": f"工作表中{more}有 {self.values:,} 个填了内容的单元格",
            "sheet_bytes": f"工作表中的文字解压后{more}有 {human_size(self.sheet_bytes)}",
            "strings": f"共享字符串表{more}有 {self.strings:,} 个字符串（共 {human_size(self.string_bytes)}）",
            "shown_string_bytes": f"单元格中的共享字符串合计{more}有 {human_size(self.shown_string_bytes)}"
                                  "（同一段文字在每个引用它的单元格中各占一份）",
        }[part]


def too_wide(sheet: str, limits: Limits, cols: int | None, row: int | None = None) -> BookError:
    """sheet-too-wide with the real number of columns: of the sheet, or of its row `row` — or, when
    counting stopped at the limit (None), only that the limit is passed (never the count it stopped at)."""
    if cols is None:
        width = "的列数"
    elif row is None:
        width = f"有 {cols} 列，"
    else:
        width = f"第 {row} 行有 {cols} 列，"
    return BookError("sheet-too-wide", sheet=sheet, width=width, limit=limits.max_columns)


def check_size(sheet: str, rows: int, cols: int, limits: Limits, cells: int | None = None) -> None:
    if cols > limits.max_columns:
        raise too_wide(sheet, limits, cols)
    if rows > limits.max_rows:
        raise BookError("sheet-too-long", sheet=sheet, rows=rows, limit=limits.max_rows)
    cells = rows * cols if cells is None else cells
    if cells > limits.max_cells:
        raise BookError("sheet-too-long", sheet=sheet, rows=rows, limit=limits.max_cells // max(cols, 1))

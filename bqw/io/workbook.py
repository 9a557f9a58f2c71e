"""Open .xlsx/.xlsm/.xls/.csv safely into raw grids; refuse bad files with a finding code.

python-calamine reads every Excel format (and reports merged ranges); before it inflates
anything we check the file's kind by its bytes, encryption, declared and real sizes and the
sheets' extents (docs/limits.md). The file is read once, into memory (it is at most
``max_file_mb``): every check and calamine itself see the same bytes, so a file that changes,
shrinks or disappears while it is being read is reported, never half-read.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import os
import re
import stat
import sys
import zipfile
from array import array
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
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

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


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
    """What a pre-scan learned besides its checks (_check_zip, _scan_xls)."""

    cells: int = 0  # rows × columns of all the worksheets' extents
    hidden: dict[str, Hidden] = field(default_factory=dict)  # by sheet name; sheets with none left out
    date1904: bool = False


def is_lock_file(path: Path) -> bool:
    """Excel/WPS owner files: “~$名称.xlsx” (and WPS “.~名称.xlsx”)."""
    return path.name.startswith("~$") or path.name.startswith(".~")


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


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _sniff(head: bytes) -> str:
    """Name what a non-spreadsheet file really is, for the message."""
    if head.startswith(b"%PDF"):
        return "实际是 PDF 文件"
    if head.startswith(b"\x89PNG"):
        return "实际是 PNG 图片"
    if head.startswith(b"\xff\xd8\xff"):
        return "实际是 JPEG 图片"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "实际是 GIF 图片"
    if head.startswith(b"Rar!") or head.startswith(b"7z\xbc\xaf"):
        return "实际是压缩包"
    low = head[:512].lower()
    if b"<html" in low or b"<table" in low or b"<!doctype html" in low:
        return "实际是网页（HTML）格式，常见于系统导出"
    try:
        head.decode("utf-8")
        return "实际是文本文件"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("gb18030")
        return "实际是文本文件"
    except UnicodeDecodeError:
        return "无法识别的文件格式"


# --- reading the bytes ---------------------------------------------------------------------------

_OS_REASONS = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.EIO: "读取出错（磁盘或网络故障）",
               errno.ELOOP: "快捷方式（符号链接）循环指向自身", errno.ENAMETOOLONG: "文件名过长",
               errno.ENOTDIR: "路径中有一段不是文件夹"}
VANISHED = "文件在读取时被移动或删除，请确认文件已完整复制到位后重新处理"


def _os_reason(e: OSError) -> str:
    return _OS_REASONS.get(e.errno, e.strerror or type(e).__name__)


def _refuse_link(path: Path) -> None:
    """A symlink whose target cannot be opened: say so (not “找不到文件”)."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    try:
        os.stat(path)
    except FileNotFoundError:
        raise BookError("file-unreadable", detail=f"这是一个快捷方式（符号链接），指向的“{target}”不存在") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise BookError("file-unreadable", detail="这是一个循环指向自身的快捷方式（符号链接）") from None
        raise BookError("file-unreadable", detail=f"快捷方式（符号链接）指向的“{target}”无法读取：{_os_reason(e)}") from None


def read_bytes(path: Path, limits: Limits) -> bytes:
    """The whole file, read once; BookError when it is missing, not a regular file, empty, too
    large, or changed while being read."""
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        raise BookError("file-missing") from None
    except OSError as e:
        raise BookError("file-unreadable", detail=_os_reason(e)) from None
    if stat.S_ISLNK(link.st_mode):
        try:
            os.stat(path)
        except OSError:
            _refuse_link(path)
    try:
        # O_NONBLOCK: a named pipe called x.xlsx must not hang the run (it is refused below)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise BookError("file-unreadable", detail=VANISHED) from None
    except IsADirectoryError:
        raise BookError("file-unreadable", detail="这是一个文件夹，不是文件") from None
    except OSError as e:
        raise BookError("file-unreadable", detail=_os_reason(e)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise BookError("file-unreadable", detail="这是一个文件夹，不是文件")
        if not stat.S_ISREG(st.st_mode):
            raise BookError("file-unreadable", detail="这不是普通文件（是管道、设备或套接字），无法读取")
        ext = path.suffix.lower()
        if ext not in SUPPORTED_EXTS:
            raise BookError("file-unsupported", ext=path.suffix or "（无扩展名）")
        if st.st_size == 0:
            raise BookError("file-empty")
        if st.st_size > limits.max_file_bytes:
            raise BookError("file-too-large", size=_human(st.st_size), limit=_human(limits.max_file_bytes))
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        try:
            data = fh.read(limits.max_file_bytes + 1)
        except OSError as e:
            raise BookError("file-unreadable", detail=_os_reason(e)) from None
    if len(data) > limits.max_file_bytes:
        raise BookError("file-too-large", size=f"超过 {_human(limits.max_file_bytes)}",
                        limit=_human(limits.max_file_bytes))
    if len(data) != st.st_size:
        if not data:
            raise BookError("file-unreadable", detail=VANISHED + "（读取时文件已被清空）")
        raise BookError("file-unreadable", detail=f"文件在读取时被修改（大小由 {_human(st.st_size)} 变为 "
                        f"{_human(len(data))}），可能仍在复制中；请等复制完成后重新处理")
    return data


# --- the zip pre-scan ----------------------------------------------------------------------------

CHUNK = 1 << 20
_TAIL = 256
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_ROOT = re.compile(rb"<(\w+:)?worksheet[\s>]")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


SHARED_STRINGS = "xl/sharedStrings.xml"  # the one part calamine reads them from
# An item of the shared-strings table: <si>, <si/> (an empty string, which calamine counts too),
# with or without a namespace prefix.
_SI = re.compile(rb"<(?:[\w.-]{1,200}:)?si[\s/>]")


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
            raise BookError("file-too-much-memory", limit=_human(limits.max_read_bytes), why=self.reason(),
                            need=f"约需 {_human(need)} 内存" if self.complete else f"至少需要 {_human(need)} 内存")

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
            "file_bytes": f"文件本身有 {_human(self.file_bytes)}",
            "values": f"工作表中{more}有 {self.values:,} 个填了内容的单元格",
            "sheet_bytes": f"工作表中的文字解压后{more}有 {_human(self.sheet_bytes)}",
            "strings": f"共享字符串表{more}有 {self.strings:,} 个字符串（共 {_human(self.string_bytes)}）",
            "shown_string_bytes": f"单元格中的共享字符串合计{more}有 {_human(self.shown_string_bytes)}"
                                  "（同一段文字在每个引用它的单元格中各占一份）",
        }[part]


def _above(text: str, alphabet: str, first: str, longest: int) -> str:
    """A regex alternation matching the strings greater than `text` in the order of Excel column
    letters or of decimal numbers: longer is greater, then alphabetical (`first` are the characters
    allowed in the first place of a longer string; `longest` caps the length)."""
    n = len(text)
    parts = []
    if n < longest:
        parts.append(f"[{first}][{alphabet}]{{{n},{longest - 1}}}")
    for i, ch in enumerate(text):
        higher = alphabet[alphabet.index(ch) + 1:]
        if higher:
            parts.append(re.escape(text[:i]) + f"[{higher}]" + (f"[{alphabet}]{{{n - i - 1}}}" if n - i - 1 else ""))
    return "|".join(parts) or "(?!)"


_ROW_NUMBER = re.compile(rb'<(?:[\w.-]{1,200}:)?row\s[^>]*?\br="(\d+)"')  # a <row> element's r attribute
_ALL_REFS = re.compile(rb'[ \t\r\n]r="([A-Z]{0,3})(\d+)"')  # an r attribute (not header="…", error="…")


class _Extent:
    """The extent of one worksheet, measured while its XML streams past (see _scan_sheet).

    One fast search per chunk looks for a reference that could widen the extent: a column right
    of the widest so far, or a row number with as many digits as the most rows the limits allow
    for those columns (calamine needs rows × columns cells). Only a chunk with such a reference —
    the first one, and the last stretch of a sheet of a million rows — is read reference by
    reference.
    """

    def __init__(self, prefix: bytes, limits: Limits):
        self.limits = limits
        self.max_row = 0  # exact wherever it matters: above what the limits allow, it is exact
        self.max_col = 0
        self.merges = 0
        self.merge_row = 0
        self.merge_col = 0
        self.widest_digits = 0  # the most row digits a chunk was searched for (see _scan_sheet)
        self.irregular = False  # rows or cells without a leading r attribute: placed by position
        # an element opened without a leading r attribute: <c>, <c/>, <c s="1" r="A1">, <c\nr="A1">
        self._irregular = re.compile(b"<" + re.escape(prefix) + rb'(?:c|row)(?:[\t\r\n>]|/>| (?!r="))')
        self._pending = b""

    def allowed_rows(self) -> int:
        """Rows beyond which the extent must be exact: the limits', or a quarter of max_read_mb's
        worth of grid. Rows in order are measured anyway (_scan_sheet takes each chunk's last row),
        so only a stray row out of order below this goes unseen, costing less than that quarter."""
        cols = max(self.max_col, 1)
        return min(self.limits.max_rows, self.limits.max_cells // cols,
                   self.limits.max_read_bytes // 4 // (cols * GRID_CELL + GRID_ROW))

    def digits(self) -> int:
        """Row numbers with fewer digits than this are within what the limits allow."""
        return len(str(self.allowed_rows()))

    def count_irregular(self, chunk: bytes, final: bool = False) -> None:
        """Note any row or cell placed by position rather than by reference. Matches are taken by
        where they start; the last bytes wait for the next chunk, where the element is whole."""
        if self.irregular:
            return
        buf = self._pending + chunk
        cut = len(buf) if final else max(0, len(buf) - 64)
        m = self._irregular.search(buf)
        if m and m.start() < cut:
            self.irregular = True
        self._pending = buf[cut:]

    def measure(self, data: bytes) -> None:
        """Every reference of `data`: the widest column and the highest row."""
        refs = _ALL_REFS.findall(data)  # all at once, in C; columns by their distinct letters
        if not refs:
            return
        col = max((_col_index(letters) for letters in {x for x, _ in refs} if letters), default=0)
        row = max(int(d) for d in {d for _, d in refs})
        self.max_col = max(self.max_col, col)
        self.max_row = max(self.max_row, row)

    def feed(self, data: bytes, tail: bytes) -> None:
        """Update from `data` (the previous tail + a new chunk)."""
        digits = self.digits()
        self.widest_digits = max(self.widest_digits, digits)
        if _suspect(self.max_col, digits).search(data):
            self.measure(data)
        first = data.find(b"mergeCell")
        if first >= 0:  # searched from the tag of its first mention: the merges come last in a sheet
            for m in _MERGE_REF.finditer(data, max(0, data.rfind(b"<", 0, first))):
                if m.end() <= len(tail):
                    continue  # seen with the previous chunk
                self.merges += 1
                last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
                self.merge_col = max(self.merge_col, _col_index(last_col))
                self.merge_row = max(self.merge_row, int(last_row))


@lru_cache(maxsize=64)
def _suspect(max_col: int, digits: int) -> re.Pattern:
    """A reference right of column max_col, or with a row number of at least `digits` digits."""
    from bqw.core.findings import col_letter

    letters = _above(col_letter(max_col - 1), _LETTERS, _LETTERS, 3) if max_col else "[A-Z]{1,3}"
    return re.compile(b'r="(?:(?:' + letters.encode() + rb')\d|[A-Z]{0,3}\d{%d})' % digits)


def _check_zip(data: bytes, limits: Limits) -> BookScan:
    """Members, declared and real sizes, XML entities, sheet extents and the memory the read will
    need (ReadCost) — before calamine reads. Returns the cells of all the worksheets' extents, the
    sheets' hidden rows and columns (found in the same pass) and the workbook's date system."""
    if data.count(b"PK\x01\x02") > MAX_ZIP_MEMBERS:
        raise BookError("file-unreadable", detail=f"压缩包中的部件超过 {MAX_ZIP_MEMBERS} 个，疑似异常文件")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise BookError("file-corrupt", detail="压缩结构损坏") from e
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
            what = "实际是 Word 文档" if "word/document.xml" in names else (
                "实际是 PowerPoint 文档" if "ppt/presentation.xml" in names else "实际是压缩包")
            raise BookError("file-not-spreadsheet", what=what)
        if "xl/workbook.bin" in names:
            raise BookError("file-unsupported", ext=".xlsb")
        total = sum(i.file_size for i in infos)
        if total > limits.max_inflated_bytes:
            raise BookError("file-inflated-too-large", size=_human(total),
                            limit=_human(limits.max_inflated_bytes))
        sheet_names = None
        inflated = [0]  # real bytes inflated so far, over every part
        cost = ReadCost(file_bytes=len(data))
        scan = BookScan(date1904=_is_date1904(zf))
        # the shared strings first: a sheet's cells are then weighed by the strings they show
        for info in sorted(infos, key=lambda i: i.filename != SHARED_STRINGS):
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue  # images and binary parts: calamine does not inflate them
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                if sheet_names is None:
                    sheet_names = _sheet_names(zf)
                name = sheet_names.get(info.filename, info.filename.rsplit("/", 1)[-1])
                hidden = Hidden()
                _scan_sheet(zf, info, limits, name, inflated, cost, hidden)
                if hidden:
                    scan.hidden[name] = hidden
            elif info.filename == SHARED_STRINGS:
                _scan_strings(zf, info, limits, inflated, cost)
            else:
                _scan_part(zf, info, limits, inflated)
        cost.complete = True
        cost.check(limits)
    scan.cells = cost.grid_cells
    return scan


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, inflated: list):
    """The part's bytes in chunks, counting the real inflated size against the limit."""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                inflated[0] += len(chunk)
                if inflated[0] > limits.max_inflated_bytes:
                    raise BookError("file-inflated-too-large", size=f"超过 {_human(inflated[0])}",
                                    limit=_human(limits.max_inflated_bytes))
                yield chunk
    except BookError:
        raise
    except Exception as e:  # noqa: BLE001 — any zip/CRC/inflate fault is a corrupt file
        raise BookError("file-corrupt", detail=f"{info.filename} 无法解压") from e


def _unsafe(data: bytes) -> bool:
    return b"<!" in data and (b"<!ENTITY" in data or b"<!DOCTYPE" in data)


def _scan_part(zf, info, limits: Limits, inflated: list) -> None:
    tail = b""
    for chunk in _chunks(zf, info, limits, inflated):
        if _unsafe(tail + chunk):
            raise BookError("file-unsafe-xml", part=info.filename)
        tail = chunk[-16:]


def _scan_strings(zf, info, limits: Limits, inflated: list, cost: ReadCost) -> None:
    """Stream the shared-strings table: entities, its items and each item's length (kept in
    cost.lengths, 4 bytes an item, for _scan_sheet to weigh the cells that show them). An item's
    length is its XML from one <si> to the next: at least the text's UTF-8 bytes, which are at
    least what calamine and Python hold for it."""
    lengths = cost.lengths
    current = -1  # bytes of the item being read; -1 before the first
    tail = b""
    for chunk in _chunks(zf, info, limits, inflated):
        buf = tail + chunk
        if _unsafe(buf):
            raise BookError("file-unsafe-xml", part=info.filename)
        # an item's tag cut by the chunk's end waits for the next chunk, whole
        cut = buf.rfind(b"<", max(0, len(buf) - _TAIL))
        if cut < 0 or buf.find(b">", cut) >= 0:
            cut = len(buf)
        body, tail = buf[:cut], buf[cut:]
        pieces = _SI.split(body)
        if len(pieces) > 1:
            if current >= 0:
                lengths.append(current + len(pieces[0]))
            lengths.extend(map(len, pieces[1:-1]))
            current = len(pieces[-1])
        elif current >= 0:
            current += len(body)
        cost.strings = len(lengths) + (current >= 0)
        cost.string_bytes += len(chunk)
        cost.check(limits)  # millions of strings: refused while the table streams, not after
    if current >= 0:
        lengths.append(current + len(tail))
    cost.strings = len(lengths)


_DATE1904 = re.compile(rb'<(?:[\w.-]{1,200}:)?workbookPr\s[^>]*?\bdate1904=["\'](?:1|true)["\']')


def _is_date1904(zf: zipfile.ZipFile) -> bool:
    """<workbookPr date1904="1"/>: the workbook counts serials from 1904 (it comes first in
    xl/workbook.xml; the part's safety is checked with the others)."""
    try:
        with zf.open("xl/workbook.xml") as fh:
            return bool(_DATE1904.search(fh.read(1 << 16)))
    except Exception:  # noqa: BLE001 — a broken part is reported by the scan of every part
        return False


# hidden="1" or "true", in either quote; the element it belongs to is then read (attributes in any order)
_HIDDEN = re.compile(rb"""hidden=(?:"(?:1|true)"|'(?:1|true)')""")
_ROW_OR_COL = re.compile(rb"<(?:[\w.-]{1,200}:)?(row|col)[\t\r\n ]")
_ROW_REF, _COL_MIN, _COL_MAX = (re.compile(rb"""[\t\r\n ]%s=["'](\d+)["']""" % name) for name in (b"r", b"min", b"max"))


def _find_hidden(data: bytes, hidden: Hidden, limits: Limits) -> None:
    """The hidden rows and columns in `data` (the scan's tail + a chunk) into `hidden`.

    One search for hidden="1" (its literal start makes it a fast scan: 50 MB of sheet XML without
    one in about 17 ms, a `bytes in` test takes 28), then each found is traced back to the tag it
    is in (no “<” comes inside a tag): a few steps for each, instead of a search of every element.
    An element cut by the chunk's end is seen whole in the next chunk's tail; one seen twice is
    added to the set twice, harmlessly. Rows and columns past the limits are left out: a sheet with
    content there is refused anyway."""
    for m in _HIDDEN.finditer(data):
        if data[m.start() - 1:m.start()] not in (b" ", b"\t", b"\r", b"\n"):
            continue  # the end of another attribute's name
        start = data.rfind(b"<", 0, m.start())
        tag = _ROW_OR_COL.match(data, start) if start >= 0 else None
        if tag is None:
            continue
        end = data.find(b">", m.end())
        element = data[start:end if end >= 0 else len(data)]
        if tag.group(1) == b"row":
            ref = _ROW_REF.search(element)
            if ref and 1 <= int(ref.group(1)) <= limits.max_rows:
                hidden.rows.add(int(ref.group(1)) - 1)
        else:
            first, last = _COL_MIN.search(element), _COL_MAX.search(element)
            if first and last and int(first.group(1)) >= 1:
                hidden.cols.update(range(int(first.group(1)) - 1, min(int(last.group(1)), limits.max_columns)))


_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


def _find_no_value(data: bytes, formula_tag: bytes, value_tag: bytes, cell_end: bytes, hidden: Hidden,
                   limits: Limits) -> None:
    """The cells of `data` that hold a formula (<f>) and no cached value (<v>), into `hidden`.

    Each formula is traced back to its cell's tag (a few steps each; a ledger has a formula a row at
    most: 序号 =ROW()-3, a 合计). A cell cut by the chunk's end is seen whole in the next chunk's tail."""
    at = data.find(formula_tag)
    while at >= 0:
        nxt = data[at + len(formula_tag):at + len(formula_tag) + 1]
        if nxt in (b">", b" ", b"/"):  # <f>, <f t="shared" …>, <f/> — not <foo>
            start = data.rfind(b"<", 0, at)
            while start >= 0 and not data.startswith(formula_tag[:-1] + b"c", start):
                start = data.rfind(b"<", 0, start)  # back over the tags inside the cell to the cell's own
            end = data.find(cell_end, at)
            if start >= 0 and end >= 0:
                tag_end = data.find(b">", start)
                ref = _CELL_REF.search(data, start, tag_end)
                body = data[at:end]
                # a result is a non-empty <v>; an empty one is a result only for a text formula (t="str",
                # “=IF(…,"",…)”); openpyxl and some tools write <v></v> or nothing for an uncomputed one
                text_result = b't="str"' in data[start:tag_end]
                at_v = body.find(value_tag)
                computed = at_v >= 0 and (text_result or not body.startswith(b"</", at_v + len(value_tag)))
                if ref and not computed and not (text_result and b"<v/>" in body):
                    row, col = int(ref.group(2)) - 1, _col_index(ref.group(1)) - 1
                    if row < limits.max_rows and col < limits.max_columns:
                        hidden.no_value.add((row, col))
        at = data.find(formula_tag, at + 1)


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the sheet's name as the user sees it (for messages)."""
    try:
        book = zf.read("xl/workbook.xml")[:1 << 20]
        rels = zf.read("xl/_rels/workbook.xml.rels")[:1 << 20]
    except Exception:  # noqa: BLE001 — names are only for messages
        return {}
    if _unsafe(book) or _unsafe(rels):
        return {}
    import html

    targets = {m.group(1): m.group(2) for m in re.finditer(
        rb'<Relationship\b(?=[^>]*\bId="([^"]+)")(?=[^>]*\bTarget="([^"]+)")', rels)}
    out = {}
    for m in re.finditer(rb'<(?:\w+:)?sheet\b(?=[^>]*\bname="([^"]*)")(?=[^>]*\br:id="([^"]+)")', book):
        target = targets.get(m.group(2), b"").decode("utf-8", "replace").lstrip("/")
        part = target if target.startswith("xl/") else "xl/" + target
        out[part] = html.unescape(m.group(1).decode("utf-8", "replace"))
    return out


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, sheet: str,
                inflated: list | None = None, cost: ReadCost | None = None, hidden: Hidden | None = None) -> int:
    """Stream one worksheet's XML: real inflated size, entities, the sheet's extent and merges,
    what reading it will cost (added to `cost`, checked as it grows), and its hidden rows and
    columns (into `hidden`).

    python-calamine allocates rows × columns for a sheet up front and aborts the whole process
    when that fails (a single value in XFD1048576 asks for 512 GB), so the extent must be known
    before it reads anything. Declared sizes and <dimension> can lie; the references counted here
    cannot. Rows and cells without an r attribute (legal, but rare) take their place from their
    position, which a second, exact pass works out (_exact_extent).
    """
    inflated = inflated if inflated is not None else [0]
    cost = cost if cost is not None else ReadCost()
    extent, tail, first = None, b"", True
    max_merges = merged_limit(limits)
    cell_end, row_tag = b"</c>", b"<row "
    formula_tag, value_tag = b"<f", b"<v>"
    for chunk in _chunks(zf, info, limits, inflated):
        data = tail + chunk
        if _unsafe(data):
            raise BookError("file-unsafe-xml", part=info.filename)
        if first:
            root = _ROOT.search(data[:1 << 16])
            prefix = root.group(1) or b"" if root else b""
            extent = _Extent(prefix, limits)
            cell_end = b"</" + prefix + b"c>"  # a cell with content; an empty one is <c .../>
            row_tag = b"<" + prefix + b"row "
            formula_tag, value_tag = b"<" + prefix + b"f", b"<" + prefix + b"v>"
            m = _DIMENSION.search(data[:4096])
            if m and m.group(3):
                _check_size(sheet, int(m.group(4)) - int(m.group(2)) + 1,
                            _col_index(m.group(3)) - _col_index(m.group(1)) + 1, limits)
                # start from the declared extent: only a reference beyond it (or a row number too
                # long for the limits) is then searched for and measured, not all of a small sheet's
                extent.max_col, extent.max_row = _col_index(m.group(3)), int(m.group(4))
            first = False
        extent.feed(data, tail)
        extent.count_irregular(chunk)
        if hidden is not None:
            _find_hidden(data, hidden, limits)
            if formula_tag in data:
                _find_no_value(data, formula_tag, value_tag, cell_end, hidden, limits)
        last = data.rfind(row_tag)  # rows come in order: the chunk's last is its highest
        if last >= 0 and (m := _ROW_NUMBER.match(data, last)):
            extent.max_row = max(extent.max_row, int(m.group(1)))
        if (seen := max(extent.max_col, extent.merge_col)) > limits.max_columns:
            # the widest so far: the sheet's width only when it is the widest Excel allows (XFD)
            raise _too_wide(sheet, limits, seen if seen >= XLSX_MAX_COLUMNS else None)
        if extent.merges > max_merges:
            raise BookError("file-unreadable", sheet=sheet, detail=(
                f"工作表“{sheet}”有超过 {max_merges} 个合并单元格区域，疑似异常文件；请取消不必要的合并后重新提交"))
        cost.values += chunk.count(cell_end)
        cost.sheet_bytes += len(chunk)
        if cost.lengths:  # what the values in this chunk's new bytes show (the tail's were counted)
            cost.shown_string_bytes += _shown_bytes(data, cost.lengths) - _shown_bytes(tail, cost.lengths)
        cost.check(limits)
        tail = data[-_TAIL:]
    if extent is None:
        return 0
    extent.count_irregular(b"", final=True)
    rows, cols = extent.max_row, extent.max_col
    if extent.irregular:
        rows, cols = _exact_extent(zf, info, limits, sheet, hidden)
    elif extent.digits() < extent.widest_digits:
        # the columns grew after early chunks had been searched for longer row numbers only
        tail = b""
        for chunk in _chunks(zf, info, limits, [0]):
            if _suspect(extent.max_col, extent.digits()).search(tail + chunk):
                extent.measure(tail + chunk)
            tail = chunk[-_TAIL:]
        rows = extent.max_row
    _check_size(sheet, max(rows, extent.merge_row), max(cols, extent.merge_col), limits, cells=rows * cols)
    cost.grid_cells += rows * cols
    cost.grid_rows += rows
    if rows * cols >= cost.widest_rows * cost.widest_cols:
        cost.widest_sheet, cost.widest_rows, cost.widest_cols = sheet, rows, cols
    return rows * cols


@lru_cache(maxsize=16)
def _value_index(digits: int) -> re.Pattern:
    """A cell's value of at most `digits` digits: what a shared-string cell holds (its index)."""
    return re.compile(rb"v>(\d{1,%d})</" % digits)


def _shown_bytes(data: bytes, lengths: array) -> int:
    """The lengths of the shared strings that the values in `data` show. Every whole-number value
    below the table's size counts, a number's too: a string cell is told by a t="s" that may come
    anywhere among its attributes, and counting a number as a string only errs on the safe side."""
    found = _value_index(len(str(len(lengths) - 1))).findall(data)
    if not found:
        return 0
    n = len(lengths)
    return sum(lengths[i] * times for i, times in ((int(k), v) for k, v in Counter(found).items()) if i < n)


def _exact_extent(zf, info, limits: Limits, sheet: str, hidden: Hidden | None = None) -> tuple[int, int]:
    """Rows and columns as calamine places them, for sheets with rows or cells lacking references;
    a hidden row without a reference is placed the same way (into `hidden`).

    An expat pass with a callback per element: slower than the regex scan, so only for such
    sheets; it stops as soon as the extent passes a limit.
    """
    from xml.parsers import expat

    state = {"row": 0, "col": 0, "max_row": 0, "max_col": 0}
    ref = re.compile(r"([A-Z]{1,3})(\d+)$")

    def start(name, attrs):
        local = name.rsplit(":", 1)[-1]
        if local == "row":
            r = attrs.get("r", "")
            state["row"] = int(r) if r.isdigit() else state["row"] + 1
            state["col"] = 0
            if hidden is not None and attrs.get("hidden") in ("1", "true") and state["row"] <= limits.max_rows:
                hidden.rows.add(state["row"] - 1)
        elif local == "c":
            m = ref.match(attrs.get("r", ""))
            if m:
                state["col"] = _col_index(m.group(1).encode())
                row = int(m.group(2))
            else:
                state["col"] += 1
                row = state["row"]
            if state["col"] > state["max_col"]:
                state["max_col"] = state["col"]
                if state["max_col"] > limits.max_columns:  # counting stops here: the width is not known
                    raise _too_wide(sheet, limits, None)
            if row > state["max_row"]:
                state["max_row"] = row
                _check_size(sheet, row, state["max_col"], limits)

    def refuse(*_args):
        raise BookError("file-unsafe-xml", part=info.filename)

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EntityDeclHandler = refuse
    parser.StartDoctypeDeclHandler = refuse
    try:
        for chunk in _chunks(zf, info, limits, [0]):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as e:
        raise BookError("file-corrupt", detail=f"{info.filename} 不是有效的 XML") from e
    return state["max_row"], state["max_col"]


def _too_wide(sheet: str, limits: Limits, cols: int | None, row: int | None = None) -> BookError:
    """sheet-too-wide with the real number of columns: of the sheet, or of its row `row` — or, when
    counting stopped at the limit (None), only that the limit is passed (never the count it stopped at)."""
    if cols is None:
        width = "的列数"
    elif row is None:
        width = f"有 {cols} 列，"
    else:
        width = f"第 {row} 行有 {cols} 列，"
    return BookError("sheet-too-wide", sheet=sheet, width=width, limit=limits.max_columns)


def _check_size(sheet: str, rows: int, cols: int, limits: Limits, cells: int | None = None) -> None:
    if cols > limits.max_columns:
        raise _too_wide(sheet, limits, cols)
    if rows > limits.max_rows:
        raise BookError("sheet-too-long", sheet=sheet, rows=rows, limit=limits.max_rows)
    cells = rows * cols if cells is None else cells
    if cells > limits.max_cells:
        raise BookError("sheet-too-long", sheet=sheet, rows=rows, limit=limits.max_cells // max(cols, 1))


# --- the .xls pre-scan ---------------------------------------------------------------------------

_BOF, _EOF, _SST, _CONTINUE, _BOUNDSHEET, _FILEPASS = 0x0809, 0x000A, 0x00FC, 0x003C, 0x0085, 0x002F
_LABELSST = 0x00FD
_ROW, _COLINFO, _DATEMODE = 0x0208, 0x007D, 0x0022  # a row's options (bit 5: hidden), columns' (bit 0), 1904
# records of one cell, each starting with its row and column: NUMBER, RK, LABELSST, LABEL, BLANK,
# BOOLERR, FORMULA, RSTRING
_CELL_RECORDS = frozenset((0x0203, 0x027E, 0x00FD, 0x0204, 0x0201, 0x0205, 0x0006, 0x00D6))
_MULTI_RECORDS = frozenset((0x00BD, 0x00BE))  # MULRK, MULBLANK: a row, its first column … its last column
_WORKSHEET = 0x0010  # a BOF's substream type


@dataclass
class _OleEntry:
    """A stream of an OLE2 compound file: its first sector and its size."""

    start: int
    size: int


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """The first stream of `names` in an OLE2 compound file (the container of an .xls), or None
    when the container cannot be followed (calamine then says what is wrong with the file)."""
    import struct

    def u32(buf, at):
        return int.from_bytes(buf[at:at + 4], "little")

    shift = int.from_bytes(data[0x1E:0x20], "little")
    if shift not in (9, 12) or len(data) < 1 << shift:
        return None
    count = len(data) // (1 << shift) - 1  # sectors after the header
    view = memoryview(data)  # sectors are joined into a stream without a copy each

    def sector(n: int) -> memoryview:
        return view[(n + 1) << shift:(n + 2) << shift]

    def table(raw) -> array:
        out = array("I", bytes(raw[:len(raw) // 4 * 4]))
        if sys.byteorder == "big":
            out.byteswap()
        return out

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    difat, left = u32(data, 0x44), u32(data, 0x48)
    while left > 0 and difat < count:  # more FAT sectors listed in a DIFAT chain
        entries = table(sector(difat))
        fat_sectors += entries[:-1]
        difat, left = entries[-1], left - 1
    fat = table(b"".join(sector(n) for n in fat_sectors[:u32(data, 0x2C)] if n < count))

    def follow(start: int, links: array, get) -> bytes | None:
        parts, n = [], start
        while n < len(links):  # ENDOFCHAIN and the other markers are above any sector number
            parts.append(get(n))
            if len(parts) > len(links):
                return None  # a loop
            n = links[n]
        return b"".join(parts)

    directory = follow(u32(data, 0x30), fat, sector)
    if directory is None:
        return None
    root, wanted = None, {}
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at:at + 128]
        name = entry[:max(0, min(64, int.from_bytes(entry[0x40:0x42], "little")) - 2)].decode("utf-16-le", "replace")
        if entry[0x42] == 5:  # the root: its stream is the mini stream
            root = _OleEntry(u32(entry, 0x74), u32(entry, 0x78))
        elif entry[0x42] == 2 and name in names:
            wanted.setdefault(name, _OleEntry(u32(entry, 0x74), u32(entry, 0x78)))
    found = next((wanted[n] for n in names if n in wanted), None)
    if found is None:
        return None
    if found.size < u32(data, 0x38) and root is not None:  # a small stream lives in the mini stream
        mini = follow(root.start, fat, sector)
        mini_fat = follow(u32(data, 0x3C), fat, sector)
        if mini is None or mini_fat is None:
            return None
        stream = follow(found.start, table(mini_fat), lambda n: mini[n << 6:(n + 1) << 6])
    else:
        stream = follow(found.start, fat, sector)
    return None if stream is None else stream[:found.size]


class _Records:
    """An SST record's bytes and the CONTINUE records after it, read across their boundaries."""

    def __init__(self, segments: list[bytes]):
        self.segments, self.index, self.pos = segments, 0, 0

    def left(self) -> int:
        return len(self.segments[self.index]) - self.pos if self.index < len(self.segments) else 0

    def next_segment(self) -> bool:
        self.index, self.pos = self.index + 1, 0
        return self.index < len(self.segments)

    def take(self, n: int) -> bytes | None:
        if self.left() == 0 and not self.next_segment():
            return None
        if self.left() < n:
            return None
        out = self.segments[self.index][self.pos:self.pos + n]
        self.pos += n
        return out

    def skip(self, n: int) -> bool:
        while n > 0:
            if self.left() == 0 and not self.next_segment():
                return False
            step = min(n, self.left())
            self.pos += step
            n -= step
        return True

    def skip_chars(self, chars: int, wide: bool) -> bool:
        """A string's characters: a run cut by a CONTINUE record goes on with its own width flag."""
        while chars > 0:
            width = 2 if wide else 1
            step = min(chars, self.left() // width)
            self.pos += step * width
            chars -= step
            if chars > 0:
                if not self.next_segment() or self.left() == 0:
                    return False
                wide = bool(self.segments[self.index][0] & 0x1)
                self.pos = 1
        return True


def _sst_lengths(segments: list[bytes], declared: int, cost: ReadCost, limits: Limits) -> None:
    """Each string's length into cost.lengths (3 bytes a character: at least its UTF-8), as calamine
    reads them, up to the count declared or the end of the records, whichever comes first."""
    records = _Records(segments)
    for i in range(declared):
        head = records.take(3)
        if head is None:
            return  # fewer strings than declared: calamine says the file is corrupt
        chars, flags = int.from_bytes(head[:2], "little"), head[2]
        runs = int.from_bytes(records.take(2) or b"", "little") if flags & 0x8 else 0
        extra = int.from_bytes(records.take(4) or b"", "little") if flags & 0x4 else 0
        cost.lengths.append(chars * 3)
        cost.strings += 1
        if not records.skip_chars(chars, bool(flags & 0x1)) or not records.skip(runs * 4 + extra):
            return
        if i % 65536 == 65535:
            cost.check(limits)


def _scan_xls(data: bytes, limits: Limits) -> BookScan | None:
    """An .xls before calamine reads it: calamine parses every sheet as it opens the file, each into
    a rows × columns grid (IV65536 in one cell: 16.8 million cells, 1 GB), copying a shared string
    into each cell that shows it. Checks the sheets' extents and the memory the read will need
    (ReadCost); returns the cells of the extents, the sheets' hidden rows (ROW records) and columns
    (COLINFO) and the date system (DATEMODE), or None when the container or its records cannot be
    followed (calamine then says what is wrong) or the workbook is encrypted."""
    import struct

    stream = _ole_stream(data, ("Workbook", "Book"))
    if stream is None:
        return None
    cost = ReadCost(file_bytes=len(data))
    scan = BookScan()
    hidden = Hidden()  # the current sheet's
    lengths = cost.lengths
    names: dict[int, str] = {}  # a sheet's BOF offset -> its name (BOUNDSHEET; BIFF8's form)
    depth, sheet_start, number, records = 0, -1, 0, 0
    max_row = max_col = -1
    pos, end = 0, len(stream)
    unpack, header, cell = struct.unpack_from, struct.Struct("<HH").unpack_from, struct.Struct("<HHHI").unpack_from
    while pos + 4 <= end:  # record by record: a few microseconds each
        typ, size = header(stream, pos)
        body, pos = pos + 4, pos + 4 + size
        records += 1
        if typ in _CELL_RECORDS:
            if sheet_start >= 0 and depth == 1 and size >= 4:
                row, col = header(stream, body)
                if row > max_row:
                    max_row = row
                if col > max_col:
                    max_col = col
                cost.values += 1
                if typ == _LABELSST and size >= 10:
                    index = cell(stream, body)[3]
                    if index < len(lengths):
                        cost.shown_string_bytes += lengths[index]
                        cost.opened_string_bytes += lengths[index]
        elif typ in _MULTI_RECORDS:
            if sheet_start >= 0 and depth == 1 and size >= 6:
                row, first = header(stream, body)
                last = unpack("<H", stream, pos - 2)[0]
                max_row, max_col = max(max_row, row), max(max_col, last)
                cost.values += max(0, last - first + 1)
        elif typ == _BOF:
            depth += 1
            if depth == 1:
                number += 1
                kind = unpack("<H", stream, body + 2)[0] if size >= 4 else 0
                sheet_start = body - 4 if kind == _WORKSHEET else -1
                max_row = max_col = -1
                hidden = Hidden()
        elif typ == _EOF:
            if depth == 1 and sheet_start >= 0:
                rows, cols = max_row + 1, max_col + 1
                name = names.get(sheet_start, f"第{number - 1}张工作表")
                _check_size(name, rows, cols, limits)
                cost.grid_cells += rows * cols
                cost.opened_cells += rows * cols
                cost.grid_rows += rows
                cost.sheet_bytes += pos - sheet_start
                if rows * cols >= cost.widest_rows * cost.widest_cols:
                    cost.widest_sheet, cost.widest_rows, cost.widest_cols = name, rows, cols
                if hidden:
                    scan.hidden[name] = hidden
                sheet_start = -1
            depth = max(0, depth - 1)
        elif typ == _BOUNDSHEET and size >= 8:
            length, wide = stream[body + 6], stream[body + 7] & 0x1
            raw = stream[body + 8:body + 8 + length * (2 if wide else 1)]
            names[unpack("<I", stream, body)[0]] = raw.decode("utf-16-le" if wide else "latin-1", "replace")
        elif typ == _ROW:
            if size >= 16 and stream[body + 12] & 0x20 and sheet_start >= 0 and depth == 1:
                hidden.rows.add(header(stream, body)[0])
        elif typ == _COLINFO:
            if size >= 10 and stream[body + 8] & 0x01 and sheet_start >= 0 and depth == 1:
                first, last = header(stream, body)
                hidden.cols.update(range(first, min(last, limits.max_columns - 1) + 1))
        elif typ == _DATEMODE:
            if size >= 2 and depth == 1 and sheet_start < 0:  # the workbook globals'
                scan.date1904 = unpack("<H", stream, body)[0] == 1
        elif typ == _FILEPASS:
            return None  # encrypted: the records after this are not readable; calamine says so
        elif typ == _SST and size >= 8:
            cost.string_bytes = size
            segments, after = [stream[body + 8:pos]], pos
            while after + 4 <= end and header(stream, after)[0] == _CONTINUE:
                more = header(stream, after)[1]
                segments.append(stream[after + 4:after + 4 + more])
                cost.string_bytes += more
                after += 4 + more
            # the strings there are, up to the count declared (which may be false)
            _sst_lengths(segments, unpack("<I", stream, body + 4)[0], cost, limits)
        if records & 0xFFFF == 0:
            cost.check(limits)
    cost.complete = True
    cost.check(limits)
    scan.cells = cost.grid_cells
    return scan


# --- opening -------------------------------------------------------------------------------------

def open_book(path: str | Path, limits: Limits | None = None) -> Book:
    """Open a workbook or CSV into raw grids; raise BookError with a rule code when it cannot."""
    limits = limits or Limits()
    path = Path(path)
    data = read_bytes(path, limits)
    head = data[:8]
    if path.suffix.lower() in CSV_EXTS and not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        sheet = _read_csv(path, data, limits)
        return Book(path, "csv", [sheet], [], [sheet.name])
    if head.startswith(ZIP_MAGIC):
        try:
            scan = _check_zip(data, limits)
        except BookError as e:
            e.params.setdefault("name", path.name)  # the memory message names the file
            raise
        fmt = "xlsx"
        from bqw.fast import preload

        # pandas loads while calamine reads (validate; not for big sheets)
        preload.maybe_start(scan.cells if scan else 0)
    elif head.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:  # an encrypted OOXML package inside an OLE container
            raise BookError("file-encrypted")
        try:
            scan = _scan_xls(data, limits)
        except BookError as e:
            e.params.setdefault("name", path.name)
            raise
        fmt = "xls"
    else:
        raise BookError("file-not-spreadsheet", what=_sniff(data[:4096]))
    return _read_calamine(path, data, fmt, limits, scan)


def _fatal(e: BaseException) -> bool:
    """Exceptions that must go on up: the user's Ctrl+C and the interpreter leaving.

    Everything else from calamine — including a Rust panic (pyo3's PanicException derives from
    BaseException) — means this one file could not be read.
    """
    return isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit))


def _read_calamine(path: Path, data: bytes, fmt: str, limits: Limits, scan: BookScan | None = None) -> Book:
    """The sheets calamine reads, with what the pre-scan (`scan`) found about them."""
    import python_calamine as pc

    scan = scan or BookScan()
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as e:  # noqa: BLE001 — calamine raises several types (and panics) for broken files
        if _fatal(e):
            raise
        if isinstance(e, pc.PasswordError):
            raise BookError("file-encrypted") from e
        raise BookError("file-corrupt", detail=_calamine_detail(e)) from e
    sheets, skipped, order = [], [], []
    max_merges = merged_limit(limits)
    budget = limits.max_cells  # cells of all the sheets read: their grids are kept together
    with _closing(wb):
        for meta in wb.sheets_metadata:
            name = meta.name
            order.append(name)
            if str(meta.visible).rsplit(".", 1)[-1] != "Visible":
                skipped.append((name, "隐藏工作表"))
                continue
            if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                skipped.append((name, "图表或宏表"))
                continue
            if INSTRUCTION_SHEET.search(name):
                skipped.append((name, "填表说明"))
                continue
            try:
                sheet = wb.get_sheet_by_name(name)
                _check_size(name, sheet.total_height, sheet.total_width, limits)
                budget -= sheet.total_height * sheet.total_width
                if budget < 0:
                    raise BookError("sheet-too-long", sheet=name, rows=sheet.total_height,
                                    limit=max(0, budget + sheet.total_height * sheet.total_width)
                                    // max(sheet.total_width, 1))
                rows = sheet.to_python(skip_empty_area=False)
                ranges = sheet.merged_cell_ranges or []
                if len(ranges) > max_merges:
                    raise BookError("file-unreadable", sheet=name, detail=(
                        f"工作表“{name}”有 {len(ranges)} 个合并单元格区域，超过上限 {max_merges}，疑似异常文件；"
                        "请取消不必要的合并后重新提交"))
                merged = clip_merges(ranges, rows)
            except BookError:
                raise
            except MemoryError as e:
                raise BookError("file-unreadable", sheet=name,
                                detail=f"工作表“{name}”内容过多，读取时内存不足；请拆分后提交") from e
            except BaseException as e:  # noqa: BLE001 — see _fatal
                if _fatal(e):
                    raise
                if isinstance(e, pc.PasswordError):
                    raise BookError("file-encrypted") from e
                raise BookError("file-corrupt", detail=_calamine_detail(e)) from e
            hidden = scan.hidden.get(name) or Hidden()
            if hidden.no_value:
                _make_room(rows, hidden.no_value)
            sheets.append(RawSheet(name, rows, merged, hidden.rows, hidden.cols, hidden.no_value))
    return Book(path, fmt, sheets, skipped, order, scan.date1904)


def _make_room(rows: list[list], cells: set[tuple[int, int]]) -> None:
    """Extend the grid over cells calamine left out as empty (formulas saved without a result, in the
    last rows or columns): they are there, with no value known."""
    height = max(r for r, _c in cells) + 1
    width = max(max((c for _r, c in cells), default=0) + 1, len(rows[0]) if rows else 0)
    for row in rows:
        row.extend([""] * (width - len(row)))
    rows.extend([[""] * width for _ in range(height - len(rows))])


def clip_merges(ranges, rows: list[list]) -> list[tuple[int, int, int, int]]:
    """Merged ranges ((r0, c0), (r1, c1)) as (r0, c0, r1, c1) clipped to the grid.

    A merged range may reach far beyond the cells (A5:Z1048576 on a ten-row sheet): only the
    part over the grid matters, and spreading the rest cell by cell would exhaust memory.
    Ranges that fall outside, or shrink to one cell, are left out; duplicates are dropped.
    """
    nrows = len(rows)
    ncols = max((len(r) for r in rows[:1]), default=0)  # calamine's grid is rectangular
    out = set()
    for start, end in ranges:
        r0, c0 = int(start[0]), int(start[1])
        r1, c1 = int(end[0]), int(end[1])
        if r1 < r0:
            r0, r1 = r1, r0
        if c1 < c0:
            c0, c1 = c1, c0
        if r0 >= nrows or c0 >= ncols or r0 < 0 or c0 < 0:
            continue
        r1, c1 = min(r1, nrows - 1), min(c1, ncols - 1)
        if (r0, c0) != (r1, c1):
            out.add((r0, c0, r1, c1))
    return sorted(out)


class _closing:
    def __init__(self, wb):
        self.wb = wb

    def __enter__(self):
        return self.wb

    def __exit__(self, *exc):
        try:
            self.wb.close()
        except Exception:  # noqa: BLE001 — closing must never mask the real error
            pass


def _calamine_detail(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0][:120] if str(e).strip() else type(e).__name__
    if "password" in text.lower() or "encrypt" in text.lower():
        raise BookError("file-encrypted") from e
    return text


def _read_csv(path: Path, data: bytes, limits: Limits | None = None) -> RawSheet:
    limits = limits or Limits()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BookError("csv-encoding")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise BookError("csv-encoding") from e
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    name = path.stem
    # a line of a million commas is a million cells: bound the cells before building them
    lines = text.count("\n") + 1
    if text.count(dialect.delimiter) > limits.max_cells:
        widest = _widest_line(text, dialect.delimiter)
        if widest > limits.max_columns:
            raise _too_wide(name, limits, widest if dialect.quotechar not in text else None)
        raise BookError("sheet-too-long", sheet=name, rows=lines, limit=limits.max_cells // widest)
    # what the rows will cost, before they are built: each delimiter and each line ends a field
    cost = ReadCost(file_bytes=len(data), sheet_bytes=len(data), grid_rows=lines, complete=True,
                    values=lines + text.count(dialect.delimiter))
    if cost.need() > limits.max_read_bytes:
        widest = _widest_line(text, dialect.delimiter)
        if widest > limits.max_columns:  # one absurd line: say that, not the memory it would take
            # counted quotes aside: the real width only when no field is quoted
            raise _too_wide(name, limits, widest if dialect.quotechar not in text else None)
        try:
            cost.check(limits)
        except BookError as e:
            e.params["name"] = path.name
            raise
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(len(text) + 1)  # a cell may be longer than 128 KB (kept whole, with a warning)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            if len(row) > limits.max_columns:  # this row's width: later rows are not read
                raise _too_wide(name, limits, len(row), row=len(rows) + 1)
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise BookError("sheet-too-long", sheet=name, rows=len(rows), limit=limits.max_rows)
    except csv.Error as e:
        raise BookError("file-corrupt", detail=f"CSV 格式错误：{e}") from e
    return RawSheet(name, rows, [])


def _widest_line(text: str, delimiter: str) -> int:
    """The most fields on one line (quotes aside), line by line without copying the text."""
    widest, start = 0, 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        widest = max(widest, text.count(delimiter, start, end) + 1)
        start = end + 1
    return widest


def cell_estimate(data: bytes, stop: int) -> int:
    """About how many cells openpyxl would create for an .xlsx package: its <c> elements plus the
    area of its merged ranges (openpyxl makes a MergedCell object for every covered cell).
    Counting stops once past `stop`; 0 for anything that is not a readable zip."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # noqa: BLE001 — not a package: nothing openpyxl could load
        return 0
    total = 0
    with zf:
        for info in zf.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            tail = b""
            try:
                with zf.open(info) as fh:
                    while chunk := fh.read(CHUNK):
                        data2 = tail + chunk
                        total += chunk.count(b"<c ") + chunk.count(b":c ") + chunk.count(b"<c>")
                        if b"mergeCell" in data2:
                            for m in _MERGE_REF.finditer(data2):
                                if m.end() <= len(tail) or not m.group(3):
                                    continue
                                rows = abs(int(m.group(4)) - int(m.group(2))) + 1
                                cols = abs(_col_index(m.group(3)) - _col_index(m.group(1))) + 1
                                total += rows * cols
                        if total > stop:
                            return total
                        tail = data2[-_TAIL:]
            except Exception:  # noqa: BLE001 — a broken part: the reader has said so already
                continue
    return total

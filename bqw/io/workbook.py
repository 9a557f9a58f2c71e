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
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bqw.limits import Limits

EXCEL_EXTS = {".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".et"}
CSV_EXTS = {".csv", ".txt"}
SUPPORTED_EXTS = EXCEL_EXTS | CSV_EXTS

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")

# Sheets that explain how to fill the form, never data (docs/ledgers.md, “填表说明”).
INSTRUCTION_SHEET = re.compile(r"说明|填表|须知|填报要求|注意事项|指标解释|目录|readme", re.I)

# Merged ranges in one sheet. Overridden by Limits.max_merged_ranges when bqw.limits has it
# (env BQW_MAX_MERGED_RANGES, bqw.toml [limits] max_merged_ranges); see docs/limits.md.
MAX_MERGED_RANGES = 100_000
MAX_ZIP_MEMBERS = 10_000  # parts of one .xlsx package (a real workbook has a few dozen)

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class BookError(Exception):
    """A file that cannot be read; code is a rule code of bqw.findings."""

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


@dataclass
class Book:
    path: Path
    format: str  # "xlsx" | "xls" | "csv"
    sheets: list[RawSheet]
    skipped_sheets: list[tuple[str, str]]  # (name, reason) — hidden or instructions


def is_lock_file(path: Path) -> bool:
    """Excel/WPS owner files: “~$名称.xlsx” (and WPS “.~名称.xlsx”)."""
    return path.name.startswith("~$") or path.name.startswith(".~")


def merged_limit(limits: Limits) -> int:
    """The merged-range limit: Limits.max_merged_ranges when bqw.limits defines it, else the
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
        return min(self.limits.max_rows, self.limits.max_cells // max(self.max_col, 1))

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
    from bqw.findings import col_letter

    letters = _above(col_letter(max_col - 1), _LETTERS, _LETTERS, 3) if max_col else "[A-Z]{1,3}"
    return re.compile(b'r="(?:(?:' + letters.encode() + rb')\d|[A-Z]{0,3}\d{%d})' % digits)


def _check_zip(data: bytes, limits: Limits) -> int:
    """Members, declared and real sizes, XML entities and sheet extents — before calamine reads.
    Returns the cells of all the worksheets' extents."""
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
        cells = [0]  # rows × columns of every worksheet
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue  # images and binary parts: calamine does not inflate them
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                if sheet_names is None:
                    sheet_names = _sheet_names(zf)
                cells[0] += _scan_sheet(zf, info, limits,
                                        sheet_names.get(info.filename, info.filename.rsplit("/", 1)[-1]), inflated)
            else:
                _scan_part(zf, info, limits, inflated)
    return cells[0]


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
                inflated: list | None = None) -> int:
    """Stream one worksheet's XML: real inflated size, entities, the sheet's extent and merges.

    python-calamine allocates rows × columns for a sheet up front and aborts the whole process
    when that fails (a single value in XFD1048576 asks for 512 GB), so the extent must be known
    before it reads anything. Declared sizes and <dimension> can lie; the references counted here
    cannot. Rows and cells without an r attribute (legal, but rare) take their place from their
    position, which a second, exact pass works out (_exact_extent).
    """
    inflated = inflated if inflated is not None else [0]
    extent, tail, first = None, b"", True
    max_merges = merged_limit(limits)
    for chunk in _chunks(zf, info, limits, inflated):
        data = tail + chunk
        if _unsafe(data):
            raise BookError("file-unsafe-xml", part=info.filename)
        if first:
            root = _ROOT.search(data[:1 << 16])
            extent = _Extent(root.group(1) or b"" if root else b"", limits)
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
        if max(extent.max_col, extent.merge_col) > limits.max_columns:
            raise BookError("sheet-too-wide", sheet=sheet, cols=max(extent.max_col, extent.merge_col),
                            limit=limits.max_columns)
        if extent.merges > max_merges:
            raise BookError("file-unreadable", sheet=sheet, detail=(
                f"工作表“{sheet}”有超过 {max_merges} 个合并单元格区域，疑似异常文件；请取消不必要的合并后重新提交"))
        tail = data[-_TAIL:]
    if extent is None:
        return 0
    extent.count_irregular(b"", final=True)
    rows, cols = extent.max_row, extent.max_col
    if extent.irregular:
        rows, cols = _exact_extent(zf, info, limits, sheet)
    elif extent.digits() < extent.widest_digits:
        # the columns grew after early chunks had been searched for longer row numbers only
        tail = b""
        for chunk in _chunks(zf, info, limits, [0]):
            if _suspect(extent.max_col, extent.digits()).search(tail + chunk):
                extent.measure(tail + chunk)
            tail = chunk[-_TAIL:]
        rows = extent.max_row
    _check_size(sheet, max(rows, extent.merge_row), max(cols, extent.merge_col), limits, cells=rows * cols)
    return rows * cols


def _exact_extent(zf, info, limits: Limits, sheet: str) -> tuple[int, int]:
    """Rows and columns as calamine places them, for sheets with rows or cells lacking references.

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
                if state["max_col"] > limits.max_columns:
                    raise BookError("sheet-too-wide", sheet=sheet, cols=state["max_col"], limit=limits.max_columns)
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


def _check_size(sheet: str, rows: int, cols: int, limits: Limits, cells: int | None = None) -> None:
    if cols > limits.max_columns:
        raise BookError("sheet-too-wide", sheet=sheet, cols=cols, limit=limits.max_columns)
    if rows > limits.max_rows:
        raise BookError("sheet-too-long", sheet=sheet, rows=rows, limit=limits.max_rows)
    cells = rows * cols if cells is None else cells
    if cells > limits.max_cells:
        raise BookError("sheet-too-long", sheet=sheet, rows=rows, limit=limits.max_cells // max(cols, 1))


# --- opening -------------------------------------------------------------------------------------

def open_book(path: str | Path, limits: Limits | None = None) -> Book:
    """Open a workbook or CSV into raw grids; raise BookError with a rule code when it cannot."""
    limits = limits or Limits()
    path = Path(path)
    data = read_bytes(path, limits)
    head = data[:8]
    if path.suffix.lower() in CSV_EXTS and not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return Book(path, "csv", [_read_csv(path, data, limits)], [])
    if head.startswith(ZIP_MAGIC):
        cells = _check_zip(data, limits)
        fmt = "xlsx"
        from bqw import preload

        preload.maybe_start(cells)  # pandas loads while calamine reads (validate; not for big sheets)
    elif head.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:  # an encrypted OOXML package inside an OLE container
            raise BookError("file-encrypted")
        fmt = "xls"
    else:
        raise BookError("file-not-spreadsheet", what=_sniff(data[:4096]))
    return _read_calamine(path, data, fmt, limits)


def _fatal(e: BaseException) -> bool:
    """Exceptions that must go on up: the user's Ctrl+C and the interpreter leaving.

    Everything else from calamine — including a Rust panic (pyo3's PanicException derives from
    BaseException) — means this one file could not be read.
    """
    return isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit))


def _read_calamine(path: Path, data: bytes, fmt: str, limits: Limits) -> Book:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as e:  # noqa: BLE001 — calamine raises several types (and panics) for broken files
        if _fatal(e):
            raise
        if isinstance(e, pc.PasswordError):
            raise BookError("file-encrypted") from e
        raise BookError("file-corrupt", detail=_calamine_detail(e)) from e
    sheets, skipped = [], []
    max_merges = merged_limit(limits)
    budget = limits.max_cells  # cells of all the sheets read: their grids are kept together
    with _closing(wb):
        for meta in wb.sheets_metadata:
            name = meta.name
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
            sheets.append(RawSheet(name, rows, merged))
    return Book(path, fmt, sheets, skipped)


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
    if text.count(dialect.delimiter) > limits.max_cells:
        raise BookError("sheet-too-long", sheet=name, rows=text.count("\n") + 1, limit=limits.max_rows)
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(len(text) + 1)  # a cell may be longer than 128 KB (kept whole, with a warning)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            if len(row) > limits.max_columns:
                raise BookError("sheet-too-wide", sheet=name, cols=len(row), limit=limits.max_columns)
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise BookError("sheet-too-long", sheet=name, rows=len(rows), limit=limits.max_rows)
    except csv.Error as e:
        raise BookError("file-corrupt", detail=f"CSV 格式错误：{e}") from e
    return RawSheet(name, rows, [])


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

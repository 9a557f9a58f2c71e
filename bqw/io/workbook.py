"""Open .xlsx/.xlsm/.xls/.csv safely into raw grids; refuse bad files with a finding code.

python-calamine reads every Excel format (and reports merged ranges); before it inflates
anything we check the file's kind by its bytes, encryption, declared and real sizes and the
sheets' extents (docs/limits.md). The file is read once, into memory (it is at most
``max_file_mb``): every check and calamine itself see the same bytes, so a file that changes,
shrinks or disappears while it is being read is reported, never half-read.
"""

from __future__ import annotations

import errno
import os
import io
import stat
from pathlib import Path
from typing import Callable

from bqw.core.limits import Limits
from bqw.io import xlsx_scan
from bqw.io.book import (CSV_EXTS, ENCRYPTED_MARK, INSTRUCTION_SHEET, OLE_MAGIC, SUPPORTED_EXTS, ZIP_MAGIC, Book,
                         BookError, BookScan, Hidden, RawSheet, check_size, human_size, merged_limit)
from bqw.io.csv_read import read_csv
from bqw.io.xls_scan import scan_xls

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
            raise BookError("file-too-large", size=human_size(st.st_size), limit=human_size(limits.max_file_bytes))
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
        raise BookError("file-too-large", size=f"超过 {human_size(limits.max_file_bytes)}",
                        limit=human_size(limits.max_file_bytes))
    if len(data) != st.st_size:
        if not data:
            raise BookError("file-unreadable", detail=VANISHED + "（读取时文件已被清空）")
        raise BookError("file-unreadable", detail=f"文件在读取时被修改（大小由 {human_size(st.st_size)} 变为 "
                        f"{human_size(len(data))}），可能仍在复制中；请等复制完成后重新处理")
    return data


# --- opening -------------------------------------------------------------------------------------

_WHEN_SCANNED: list[Callable[[int], None]] = []


def when_scanned(callback: Callable[[int], None]) -> None:
    """Have `callback(cells)` called once an .xlsx's pre-scan knows its size (the cells of its sheets'
    extents), before calamine reads it: a command that wants work done meanwhile registers here
    (bqw validate: bqw.fast.preload.maybe_start). Reading itself starts nothing."""
    if callback not in _WHEN_SCANNED:
        _WHEN_SCANNED.append(callback)


def open_book(path: str | Path, limits: Limits | None = None) -> Book:
    """Open a workbook or CSV into raw grids; raise BookError with a rule code when it cannot."""
    limits = limits or Limits()
    path = Path(path)
    data = read_bytes(path, limits)
    head = data[:8]
    if path.suffix.lower() in CSV_EXTS and not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        sheet = read_csv(path, data, limits)
        return Book(path, "csv", [sheet], [], [sheet.name])
    if head.startswith(ZIP_MAGIC):
        try:
            scan = xlsx_scan.check_zip(data, limits)
        except BookError as e:
            e.params.setdefault("name", path.name)  # the memory message names the file
            raise
        fmt = "xlsx"
        for callback in _WHEN_SCANNED:  # e.g. pandas loads while calamine reads (bqw validate)
            callback(scan.cells if scan else 0)
    elif head.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:  # an encrypted OOXML package inside an OLE container
            raise BookError("file-encrypted")
        try:
            scan = scan_xls(data, limits)
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
                check_size(name, sheet.total_height, sheet.total_width, limits)
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

"""Open .xlsx/.xlsm/.xls/.csv safely into raw grids; refuse bad files with a finding code.

python-calamine reads every Excel format (and reports merged ranges); before it inflates
anything we check the file's kind by its bytes, encryption, declared sizes and dimensions
(docs/limits.md).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
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
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 (0-based)


@dataclass
class Book:
    path: Path
    format: str  # "xlsx" | "xls" | "csv"
    sheets: list[RawSheet]
    skipped_sheets: list[tuple[str, str]]  # (name, reason) — hidden or instructions


def is_lock_file(path: Path) -> bool:
    """Excel/WPS owner files: “~$名称.xlsx” (and WPS “.~名称.xlsx”)."""
    return path.name.startswith("~$") or path.name.startswith(".~")


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


def _check_zip(path: Path, limits: Limits) -> None:
    """Declared sizes, XML entities and sheet dimensions — before anything is inflated."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
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
        names = None
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            if info.filename.startswith("xl/worksheets/"):
                if names is None:
                    names = _sheet_names(zf)
                _scan_sheet(zf, info, limits, names.get(info.filename, info.filename.rsplit("/", 1)[-1]))
                continue
            try:
                with zf.open(info) as fh:
                    head = fh.read(4096)
            except Exception as e:  # noqa: BLE001 — any zip/CRC fault is a corrupt file
                raise BookError("file-corrupt", detail=f"{info.filename} 无法解压") from e
            if b"<!ENTITY" in head or b"<!DOCTYPE" in head:
                raise BookError("file-unsafe-xml", part=info.filename)


_FAR_COLUMN = re.compile(rb' r="([A-Z]{3})\d')  # a cell reference with a 3-letter column (≥ AAA = 703)
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\s[^>]*?r="(\d+)"')
CHUNK = 1 << 20


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the sheet's name as the user sees it (for messages)."""
    try:
        book = zf.read("xl/workbook.xml")[:1 << 20]
        rels = zf.read("xl/_rels/workbook.xml.rels")[:1 << 20]
    except Exception:  # noqa: BLE001 — names are only for messages
        return {}
    if b"<!ENTITY" in book or b"<!ENTITY" in rels:
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


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, sheet: str) -> None:
    """Stream one worksheet's XML: real inflated size, entities, far cells and the last row.

    python-calamine allocates rows × columns for a sheet up front and aborts the whole process
    when that fails (a single value in XFD1048576 asks for 512 GB), so the extent must be known
    before it reads anything. Declared sizes can lie; the bytes counted here cannot.
    """
    inflated, max_col, max_row, tail = 0, 0, 0, b""
    try:
        with zf.open(info) as fh:
            first = True
            while chunk := fh.read(CHUNK):
                inflated += len(chunk)
                if inflated > limits.max_inflated_bytes:
                    raise BookError("file-inflated-too-large", size=f"超过 {_human(inflated)}",
                                    limit=_human(limits.max_inflated_bytes))
                data = tail + chunk
                if first:
                    if b"<!ENTITY" in data[:4096] or b"<!DOCTYPE" in data[:4096]:
                        raise BookError("file-unsafe-xml", part=info.filename)
                    m = _DIMENSION.search(data[:4096])
                    if m and m.group(3):
                        _check_size(sheet, int(m.group(4)) - int(m.group(2)) + 1,
                                    _col_index(m.group(3)) - _col_index(m.group(1)) + 1, limits)
                    first = False
                for m in _FAR_COLUMN.finditer(data):
                    max_col = max(max_col, _col_index(m.group(1)))
                rows = _ROW_NUMBER.findall(data[-CHUNK // 4:]) or _ROW_NUMBER.findall(data)
                if rows:
                    max_row = max(max_row, int(rows[-1]))
                if max_col > limits.max_columns:
                    raise BookError("sheet-too-wide", sheet=sheet, cols=max_col, limit=limits.max_columns)
                tail = data[-256:]
    except BookError:
        raise
    except Exception as e:  # noqa: BLE001 — any zip/CRC fault is a corrupt file
        raise BookError("file-corrupt", detail=f"{info.filename} 无法解压") from e
    if max_row > limits.max_rows:
        raise BookError("sheet-too-long", sheet=sheet, rows=max_row, limit=limits.max_rows)


def _check_size(sheet: str, rows: int, cols: int, limits: Limits) -> None:
    if cols > limits.max_columns:
        raise BookError("sheet-too-wide", sheet=sheet, cols=cols, limit=limits.max_columns)
    if rows > limits.max_rows:
        raise BookError("sheet-too-long", sheet=sheet, rows=rows, limit=limits.max_rows)
    if rows * cols > limits.max_cells:
        raise BookError("sheet-too-long", sheet=sheet, rows=rows, limit=limits.max_cells // max(cols, 1))


def open_book(path: str | Path, limits: Limits | None = None) -> Book:
    """Open a workbook or CSV into raw grids; raise BookError with a rule code when it cannot."""
    limits = limits or Limits()
    path = Path(path)
    if not path.exists():
        raise BookError("file-missing")
    if not path.is_file():
        raise BookError("file-unreadable", detail="这是一个文件夹，不是文件")
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTS:
        raise BookError("file-unsupported", ext=path.suffix or "（无扩展名）")
    try:
        size = path.stat().st_size
        if size == 0:
            raise BookError("file-empty")
        if size > limits.max_file_bytes:
            raise BookError("file-too-large", size=_human(size), limit=_human(limits.max_file_bytes))
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as e:
        raise BookError("file-unreadable", detail=e.strerror or str(e)) from e

    if ext in CSV_EXTS and not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return Book(path, "csv", [_read_csv(path)], [])
    if head.startswith(ZIP_MAGIC):
        _check_zip(path, limits)
        fmt = "xlsx"
    elif head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if ENCRYPTED_MARK in data:  # an encrypted OOXML package inside an OLE container
            raise BookError("file-encrypted")
        fmt = "xls"
    else:
        with open(path, "rb") as fh:
            raise BookError("file-not-spreadsheet", what=_sniff(fh.read(4096)))
    return _read_calamine(path, fmt, limits)


def _read_calamine(path: Path, fmt: str, limits: Limits) -> Book:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as e:
        raise BookError("file-encrypted") from e
    except Exception as e:  # noqa: BLE001 — calamine raises several types for broken files
        raise BookError("file-corrupt", detail=_calamine_detail(e)) from e
    sheets, skipped = [], []
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
                rows = sheet.to_python(skip_empty_area=False)
                merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            except BookError:
                raise
            except pc.PasswordError as e:
                raise BookError("file-encrypted") from e
            except Exception as e:  # noqa: BLE001
                raise BookError("file-corrupt", detail=_calamine_detail(e)) from e
            sheets.append(RawSheet(name, rows, merged))
    return Book(path, fmt, sheets, skipped)


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


def _calamine_detail(e: Exception) -> str:
    text = str(e).strip().splitlines()[0][:120] if str(e).strip() else type(e).__name__
    if "password" in text.lower() or "encrypt" in text.lower():
        raise BookError("file-encrypted") from e
    return text


def _read_csv(path: Path) -> RawSheet:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BookError("csv-encoding")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text = data.decode("utf-16")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    return RawSheet(path.stem, rows, [])

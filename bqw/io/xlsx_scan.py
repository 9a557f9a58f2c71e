"""The .xlsx pre-scan: before calamine inflates anything, the package's members, declared and real
sizes, XML entities and every sheet's extent are checked against the limits (docs/limits.md), and the
memory the read will need is counted (ReadCost). Hidden rows and columns, formulas without a value
and the date system are found in the same pass (bqw.io.xlsx_traits)."""

from __future__ import annotations

import io
import re
import zipfile
from array import array
from collections import Counter
from functools import lru_cache

from bqw.core.limits import Limits
from bqw.io.book import (GRID_CELL, GRID_ROW, MAX_ZIP_MEMBERS, XLSX_MAX_COLUMNS, BookError, BookScan, Hidden,
                         ReadCost, check_size, col_index, human_size, merged_limit, too_wide)
from bqw.io.xlsx_traits import find_hidden, find_no_value, is_date1904

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')

CHUNK = 1 << 20
_TAIL = 256
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_ROOT = re.compile(rb"<(\w+:)?worksheet[\s>]")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


SHARED_STRINGS = "xl/sharedStrings.xml"  # the one part calamine reads them from
# An item of the shared-strings table: <si>, <si/> (an empty string, which calamine counts too),
# with or without a namespace prefix.
_SI = re.compile(rb"<(?:[\w.-]{1,200}:)?si[\s/>]")


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
        col = max((col_index(letters) for letters in {x for x, _ in refs} if letters), default=0)
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
                self.merge_col = max(self.merge_col, col_index(last_col))
                self.merge_row = max(self.merge_row, int(last_row))


@lru_cache(maxsize=64)
def _suspect(max_col: int, digits: int) -> re.Pattern:
    """A reference right of column max_col, or with a row number of at least `digits` digits."""
    from bqw.core.findings import col_letter

    letters = _above(col_letter(max_col - 1), _LETTERS, _LETTERS, 3) if max_col else "[A-Z]{1,3}"
    return re.compile(b'r="(?:(?:' + letters.encode() + rb')\d|[A-Z]{0,3}\d{%d})' % digits)


def check_zip(data: bytes, limits: Limits) -> BookScan:
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
            raise BookError("file-inflated-too-large", size=human_size(total),
                            limit=human_size(limits.max_inflated_bytes))
        sheet_names = None
        inflated = [0]  # real bytes inflated so far, over every part
        cost = ReadCost(file_bytes=len(data))
        scan = BookScan(date1904=is_date1904(zf))
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
                    raise BookError("file-inflated-too-large", size=f"超过 {human_size(inflated[0])}",
                                    limit=human_size(limits.max_inflated_bytes))
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
                check_size(sheet, int(m.group(4)) - int(m.group(2)) + 1,
                            col_index(m.group(3)) - col_index(m.group(1)) + 1, limits)
                # start from the declared extent: only a reference beyond it (or a row number too
                # long for the limits) is then searched for and measured, not all of a small sheet's
                extent.max_col, extent.max_row = col_index(m.group(3)), int(m.group(4))
            first = False
        extent.feed(data, tail)
        extent.count_irregular(chunk)
        if hidden is not None:
            find_hidden(data, hidden, limits)
            if formula_tag in data:
                find_no_value(data, formula_tag, value_tag, cell_end, hidden, limits)
        last = data.rfind(row_tag)  # rows come in order: the chunk's last is its highest
        if last >= 0 and (m := _ROW_NUMBER.match(data, last)):
            extent.max_row = max(extent.max_row, int(m.group(1)))
        if (seen := max(extent.max_col, extent.merge_col)) > limits.max_columns:
            # the widest so far: the sheet's width only when it is the widest Excel allows (XFD)
            raise too_wide(sheet, limits, seen if seen >= XLSX_MAX_COLUMNS else None)
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
    check_size(sheet, max(rows, extent.merge_row), max(cols, extent.merge_col), limits, cells=rows * cols)
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
                state["col"] = col_index(m.group(1).encode())
                row = int(m.group(2))
            else:
                state["col"] += 1
                row = state["row"]
            if state["col"] > state["max_col"]:
                state["max_col"] = state["col"]
                if state["max_col"] > limits.max_columns:  # counting stops here: the width is not known
                    raise too_wide(sheet, limits, None)
            if row > state["max_row"]:
                state["max_row"] = row
                check_size(sheet, row, state["max_col"], limits)

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
                                cols = abs(col_index(m.group(3)) - col_index(m.group(1))) + 1
                                total += rows * cols
                        if total > stop:
                            return total
                        tail = data2[-_TAIL:]
            except Exception:  # noqa: BLE001 — a broken part: the reader has said so already
                continue
    return total

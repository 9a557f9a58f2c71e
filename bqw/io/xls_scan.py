"""The .xls pre-scan: calamine parses every sheet of an .xls as it opens the file, so its extents and
the memory the read will need (ReadCost) are checked first, record by record, from the OLE container's
Workbook stream; hidden rows and columns and the date system are found in the same pass."""

from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass, field

from bqw.core.limits import Limits
from bqw.io.book import BookScan, Hidden, ReadCost, check_size

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


@dataclass
class _XlsScan:
    """The state of one pass over an .xls Workbook stream: the sheet being read and what is counted."""

    limits: Limits
    cost: ReadCost
    scan: BookScan = field(default_factory=BookScan)
    hidden: Hidden = field(default_factory=Hidden)  # the current sheet's
    names: dict[int, str] = field(default_factory=dict)  # a sheet's BOF offset -> its name (BOUNDSHEET; BIFF8's form)
    depth: int = 0
    sheet_start: int = -1  # the current worksheet's BOF offset, -1 outside a worksheet
    number: int = 0  # substreams begun

    @property
    def in_sheet(self) -> bool:
        return self.sheet_start >= 0 and self.depth == 1


_HEADER = struct.Struct("<HH").unpack_from
_CELL = struct.Struct("<HHHI").unpack_from
_unpack = struct.unpack_from


def scan_xls(data: bytes, limits: Limits) -> BookScan | None:
    """An .xls before calamine reads it: calamine parses every sheet as it opens the file, each into
    a rows × columns grid (IV65536 in one cell: 16.8 million cells, 1 GB), copying a shared string
    into each cell that shows it. Checks the sheets' extents and the memory the read will need
    (ReadCost); returns the cells of the extents, the sheets' hidden rows (ROW records) and columns
    (COLINFO) and the date system (DATEMODE), or None when the container or its records cannot be
    followed (calamine then says what is wrong) or the workbook is encrypted."""
    stream = _ole_stream(data, ("Workbook", "Book"))
    if stream is None:
        return None
    cost = ReadCost(file_bytes=len(data))
    st = _XlsScan(limits, cost)
    lengths = cost.lengths
    records, in_sheet = 0, False
    max_row = max_col = -1
    pos, end = 0, len(stream)
    header, cell = _HEADER, _CELL
    while pos + 4 <= end:  # record by record: a few microseconds each; the cells' records inline
        typ, size = header(stream, pos)
        body, pos = pos + 4, pos + 4 + size
        records += 1
        if typ in _CELL_RECORDS:
            if in_sheet and size >= 4:
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
            if in_sheet and size >= 6:
                row, first = header(stream, body)
                last = _unpack("<H", stream, pos - 2)[0]
                max_row, max_col = max(max_row, row), max(max_col, last)
                cost.values += max(0, last - first + 1)
        elif typ == _BOF:
            _sheet_begins(st, stream, body, size)
            if st.depth == 1:
                max_row = max_col = -1
            in_sheet = st.in_sheet
        elif typ == _EOF:
            _sheet_ends(st, max_row + 1, max_col + 1, pos)
            in_sheet = st.in_sheet
        elif typ == _FILEPASS:
            return None  # encrypted: the records after this are not readable; calamine says so
        else:
            _other_record(st, stream, typ, size, body, pos)
        if records & 0xFFFF == 0:
            cost.check(limits)
    cost.complete = True
    cost.check(limits)
    st.scan.cells = cost.grid_cells
    return st.scan


def _sheet_begins(st: _XlsScan, stream: bytes, body: int, size: int) -> None:
    """A BOF: a substream begins; at the top level, a worksheet (or a chart, a macro sheet: not counted)."""
    st.depth += 1
    if st.depth == 1:
        st.number += 1
        kind = _unpack("<H", stream, body + 2)[0] if size >= 4 else 0
        st.sheet_start = body - 4 if kind == _WORKSHEET else -1
        st.hidden = Hidden()


def _sheet_ends(st: _XlsScan, rows: int, cols: int, pos: int) -> None:
    """An EOF: a worksheet's extent is checked and counted, its hidden rows and columns kept."""
    if st.in_sheet:
        cost = st.cost
        name = st.names.get(st.sheet_start, f"第{st.number - 1}张工作表")
        check_size(name, rows, cols, st.limits)
        cost.grid_cells += rows * cols
        cost.opened_cells += rows * cols
        cost.grid_rows += rows
        cost.sheet_bytes += pos - st.sheet_start
        if rows * cols >= cost.widest_rows * cost.widest_cols:
            cost.widest_sheet, cost.widest_rows, cost.widest_cols = name, rows, cols
        if st.hidden:
            st.scan.hidden[name] = st.hidden
        st.sheet_start = -1
    st.depth = max(0, st.depth - 1)


def _other_record(st: _XlsScan, stream: bytes, typ: int, size: int, body: int, pos: int) -> None:
    """The records besides cells and substream bounds that the scan reads: sheet names, hidden rows and
    columns, the date system and the shared strings."""
    if typ == _BOUNDSHEET and size >= 8:
        length, wide = stream[body + 6], stream[body + 7] & 0x1
        raw = stream[body + 8:body + 8 + length * (2 if wide else 1)]
        st.names[_unpack("<I", stream, body)[0]] = raw.decode("utf-16-le" if wide else "latin-1", "replace")
    elif typ == _ROW:
        if size >= 16 and stream[body + 12] & 0x20 and st.in_sheet:
            st.hidden.rows.add(_HEADER(stream, body)[0])
    elif typ == _COLINFO:
        if size >= 10 and stream[body + 8] & 0x01 and st.in_sheet:
            first, last = _HEADER(stream, body)
            st.hidden.cols.update(range(first, min(last, st.limits.max_columns - 1) + 1))
    elif typ == _DATEMODE:
        if size >= 2 and st.depth == 1 and st.sheet_start < 0:  # the workbook globals'
            st.scan.date1904 = _unpack("<H", stream, body)[0] == 1
    elif typ == _SST and size >= 8:
        st.cost.string_bytes = size
        segments, after, end = [stream[body + 8:pos]], pos, len(stream)
        while after + 4 <= end and _HEADER(stream, after)[0] == _CONTINUE:
            more = _HEADER(stream, after)[1]
            segments.append(stream[after + 4:after + 4 + more])
            st.cost.string_bytes += more
            after += 4 + more
        # the strings there are, up to the count declared (which may be false)
        _sst_lengths(segments, _unpack("<I", stream, body + 4)[0], st.cost, st.limits)

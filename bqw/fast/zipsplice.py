"""Deflate a big worksheet's rows on both cores, and splice the pieces into the workbook's zip.

A merged province-month is one sheet of 58 MB of XML. xlsxwriter deflates it on one core after
it has been written out and copied twice; here each half of the rows is deflated as it is made,
by the process that makes it (bqw.output.xlsx.FastSheet), into a piece of raw deflate data ending on
a byte boundary (Z_SYNC_FLUSH, not final). xlsxwriter writes the rest of the workbook with a
marker comment where the rows go; splice() then rewrites the zip with each marker replaced by its
pieces: deflate streams so cut can be joined one after the other (as pigz does), and CRC-32s
joined with crc32_combine. The joined member is the same XML, byte for byte (tests compare).
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path

# zlib level for the big tables' rows: 5 deflates 35 % faster than zlib's default 6, for a file 4 %
# larger (1,600 files: 0.17 s against 0.25 s a core, 5.10 MB against 4.90 MB); level 4 would make
# it 16 % larger. The rest of a workbook, and every small one, keeps xlsxwriter's default.
LEVEL = 5
_LIMIT = 0xFFFFFFFF  # above it a zip needs ZIP64: then zipfile writes the member (_write_with_zipfile)


class Deflater:
    """A text sink (write(str)) deflating into a binary file: one piece of a member's raw deflate
    stream. finish() ends it on a byte boundary and gives (crc32, size) of the text written."""

    def __init__(self, out, level: int = LEVEL):
        self.out = out
        self.z = zlib.compressobj(level, zlib.DEFLATED, -15)
        self.crc = 0
        self.size = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self.out.write(self.z.compress(data))

    def finish(self) -> tuple[int, int]:
        self.out.write(self.z.flush(zlib.Z_SYNC_FLUSH))
        return self.crc, self.size


def _gf2_times(mat: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A+B from crc32(A), crc32(B) and len(B) (zlib's crc32_combine)."""
    if len2 <= 0:
        return crc1
    op = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    op = _gf2_square(_gf2_square(op))  # four zero bits
    while len2:  # apply len2 zero bytes to crc1: one, two, four … bytes as the bits of len2 say
        op = _gf2_square(op)
        if len2 & 1:
            crc1 = _gf2_times(op, crc1)
        len2 >>= 1
    return crc1 ^ crc2


def _deflate(data: bytes) -> bytes:
    z = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush(zlib.Z_SYNC_FLUSH)


_FINAL = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush()  # an empty final block: ends the stream

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


def _dos(date_time) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


class _Member:
    """What a member is written from: its name, time and attributes, and its data as pieces."""

    def __init__(self, info: zipfile.ZipInfo, text: bytes, pieces: list | None = None, marks: list | None = None):
        self.info = info
        self.segments = [text]  # the member's own text, cut at the markers
        self.pieces: list[list] = []
        for mark in marks or ():
            head, tail = self.segments[-1].split(mark, 1)
            self.segments[-1:] = [head, tail]
            self.pieces.append(pieces[mark])
        self.size = sum(map(len, self.segments)) + sum(p[2] for ps in self.pieces for p in ps)

    def crc(self) -> int:
        crc = zlib.crc32(self.segments[0])
        for parts, after in zip(self.pieces, self.segments[1:]):
            for _file, part_crc, part_size in parts:
                crc = crc32_combine(crc, part_crc, part_size)
            crc = zlib.crc32(after, crc)
        return crc

    def deflated(self):
        """The member's raw deflate stream, a piece at a time."""
        yield _deflate(self.segments[0])
        for parts, after in zip(self.pieces, self.segments[1:]):
            for file, _crc, _size in parts:
                with open(file, "rb") as src:
                    while chunk := src.read(1 << 20):
                        yield chunk
            yield _deflate(after)
        yield _FINAL

    def text(self):
        """The member's text, a piece at a time (each piece inflated on its own: it begins a block)."""
        yield self.segments[0]
        for parts, after in zip(self.pieces, self.segments[1:]):
            for file, _crc, _size in parts:
                z = zlib.decompressobj(-15)
                with open(file, "rb") as src:
                    while chunk := src.read(1 << 20):
                        yield z.decompress(chunk)
                yield z.flush()
            yield after


def splice(path: Path, pieces: dict[bytes, list[tuple[str, int, int]]]) -> None:
    """Rewrite the zip at `path` (a temporary file), each marker in its members replaced by the
    deflated pieces [(file, crc32, size), …] it stands for."""
    path = Path(path)
    members = []
    found = set()
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            text = zf.read(info)
            marks = [m for m in pieces if m in text] if info.filename.startswith("xl/worksheets/") else []
            found.update(marks)
            members.append(_Member(info, text, pieces, marks))
    if found != set(pieces):
        raise RuntimeError(f"rows of {len(set(pieces) - found)} table(s) have no place in the workbook")
    out = path.with_name(path.name + ".splice")
    try:
        if sum(m.size for m in members) < _LIMIT // 2:  # offsets and sizes fit a plain zip
            _write_zip(out, members)
        else:
            _write_with_zipfile(out, members)
        os.replace(out, path)
    finally:
        out.unlink(missing_ok=True)


def _write_zip(out: Path, members: list[_Member]) -> None:
    central = []
    with open(out, "wb") as fh:
        for m in members:
            name = m.info.filename.encode("utf-8")
            flags = 0x800 if not name.isascii() else 0
            when, day = _dos(m.info.date_time)
            offset = fh.tell()
            fh.write(_LOCAL.pack(b"PK\x03\x04", 20, flags, zipfile.ZIP_DEFLATED, when, day, 0, 0, 0, len(name), 0))
            fh.write(name)
            start = fh.tell()
            for chunk in m.deflated():
                fh.write(chunk)
            compressed = fh.tell() - start
            crc = m.crc()
            end = fh.tell()
            fh.seek(offset + 14)  # the local header's CRC and sizes, now known
            fh.write(struct.pack("<3L", crc, compressed, m.size))
            fh.seek(end)
            central.append(_CENTRAL.pack(b"PK\x01\x02", 20 | (3 << 8), 20, flags, zipfile.ZIP_DEFLATED, when, day,
                                         crc, compressed, m.size, len(name), 0, 0, 0, 0,
                                         m.info.external_attr or (0o600 << 16), offset) + name)
        directory = fh.tell()
        for record in central:
            fh.write(record)
        fh.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), fh.tell() - directory, directory, 0))


def _write_with_zipfile(out: Path, members: list[_Member]) -> None:
    """The same members through zipfile (ZIP64 where needed), the pieces inflated again: for a
    workbook above 2 GB of XML, which Excel itself would hardly open."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for m in members:
            info = zipfile.ZipInfo(m.info.filename, m.info.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = m.info.external_attr
            with zf.open(info, "w", force_zip64=m.size >= _LIMIT // 2) as dest:
                for chunk in m.text():
                    dest.write(chunk)

"""Big tables' rows deflated on both cores and spliced into the workbook (bqw.fast.zipsplice)."""

from __future__ import annotations

import random
import tempfile
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bqw.output import xlsx as xlsxout
from bqw.fast import zipsplice


@pytest.mark.parametrize("sizes", [(0, 0), (1, 0), (0, 1), (7, 13), (100_000, 3), (5, 1_000_003)])
def test_crc32_combine_is_the_crc_of_both(sizes):
    rng = random.Random(sum(sizes))
    a, b = (rng.randbytes(n) for n in sizes)
    assert zipsplice.crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "序号": pd.array(range(1, n + 1), dtype="Int64"),
        "调研内容": [f"第{i}次调研：人居环境 & 集体经济 <{i % 7}>" for i in range(n)],
        "调研时间": pd.to_datetime([f"2026-10-{i % 28 + 1:02d}" for i in range(n)]),
    })


def _build(wb, styles, frames):
    for k, frame in enumerate(frames):
        xlsxout.write_table(wb, styles, f"表{k + 1}", "合并台账", frame)


def _members(path: Path) -> dict[str, bytes]:
    data = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None  # every member's CRC checked
        for i in z.infolist():  # and each deflate stream ends with its final block, as it must
            start = i.header_offset + 30 + int.from_bytes(data[i.header_offset + 26:i.header_offset + 28], "little") \
                + int.from_bytes(data[i.header_offset + 28:i.header_offset + 30], "little")
            inflate = zlib.decompressobj(-15)
            assert inflate.decompress(data[start:start + i.compress_size]) == z.read(i) and inflate.eof, i.filename
        return {i.filename: z.read(i) for i in z.infolist() if i.filename != "docProps/core.xml"}


def test_spliced_workbook_equals_the_plain_one(tmp_path, monkeypatch):
    """Two big tables (each spliced from two halves) and a small one: same members, same bytes as
    written without splicing, in the same order; openpyxl reads the cells; no piece is left over."""
    frames = [_frame(50), _frame(3), _frame(41)]
    monkeypatch.setattr(xlsxout, "FORK_ROWS", 10**9)
    plain = xlsxout.save(tmp_path / "plain.xlsx", lambda wb, st: _build(wb, st, frames))
    monkeypatch.setattr(xlsxout, "FORK_ROWS", 10)
    spliced = xlsxout.save(tmp_path / "spliced.xlsx", lambda wb, st: _build(wb, st, frames))
    a, b = _members(plain), _members(spliced)
    assert list(a) == list(b) and a == b
    assert b"bqw-rows" not in b["xl/worksheets/sheet1.xml"]
    ws = openpyxl.load_workbook(spliced)["表1"]
    assert ws["B52"].value == "第49次调研：人居环境 & 集体经济 <0>" and ws["A27"].value == 25
    assert ws["C27"].number_format == "yyyy-mm-dd"
    assert not list(Path(tempfile.gettempdir()).glob("*.deflate"))


def test_the_zip64_way_writes_the_same_members(tmp_path, monkeypatch):
    """Above 2 GB of XML the pieces are inflated again and written by zipfile (with ZIP64)."""
    frames = [_frame(60)]
    monkeypatch.setattr(xlsxout, "FORK_ROWS", 10)
    small = xlsxout.save(tmp_path / "small.xlsx", lambda wb, st: _build(wb, st, frames))
    monkeypatch.setattr(zipsplice, "_LIMIT", 100)  # every workbook counts as huge
    big = xlsxout.save(tmp_path / "big.xlsx", lambda wb, st: _build(wb, st, frames))
    assert _members(small) == _members(big)
    with zipfile.ZipFile(big) as z:
        offset = z.getinfo("xl/worksheets/sheet1.xml").header_offset
    local = big.read_bytes()[offset:offset + 30]
    assert int.from_bytes(local[28:30], "little") == 20  # the local header's ZIP64 field


def test_pieces_are_removed_when_building_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxout, "FORK_ROWS", 10)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()

    def build(wb, styles):
        _build(wb, styles, [_frame(30)])
        raise OSError("磁盘已满")

    with pytest.raises(OSError, match="磁盘已满"):
        xlsxout.save(tmp_path / "out" / "合并.xlsx", build)
    assert not list((tmp_path / "tmp").glob("*.deflate")) and not list((tmp_path / "out").iterdir())


def test_a_marker_without_its_place_is_an_error(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    with pytest.raises(RuntimeError):
        zipsplice.splice(path, {b"<!--bqw-rows-x-->": []})

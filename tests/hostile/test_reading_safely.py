"""Issue 7 §1, in process: files that change or vanish while being read, what calamine may throw,
sheets whose extent hides from a quick look, merged ranges, CSV extremes, the limits, and the
names and annotated copies made from hostile submissions."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from bqw.io import workbook, xlsx_scan
from bqw.io.book import MAX_ZIP_MEMBERS
from bqw.io.reader import read_ledger
from bqw.core.limits import Limits
from fixtures import bad_files

NS = bad_files._NS


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def sheet_package(path: Path, sheet_xml: str | bytes, extra: dict | None = None) -> Path:
    """A one-sheet package around `sheet_xml` (the worksheet part as written)."""
    members = dict(bad_files.package_parts(shared_strings=bool(extra and "xl/sharedStrings.xml" in extra)))
    members["xl/worksheets/sheet1.xml"] = sheet_xml
    members.update(extra or {})
    bad_files._write_zip(path, members)
    return path


def worksheet(body: str, root: str = "worksheet", prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{NS}"' if prefix else f'xmlns="{NS}"'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}{root} {xmlns}><{p}sheetData>{body}'
            f'</{p}sheetData></{p}{root}>')


HEADER_ROW = ('<row r="1">' + "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                                      for i, h in enumerate(["序号", "镇领导", "调研时间", "调研地点", "调研内容"])) + "</row>")


# --- a file that vanishes, shrinks or grows while it is read ---------------------------------------

def test_file_removed_between_the_check_and_the_read(tmp_path, monkeypatch):
    path = bad_files.make_good(tmp_path)
    real_open = os.open

    def vanish(p, flags, *args, **kw):
        if Path(os.fsdecode(p)) == path:
            path.unlink()
        return real_open(p, flags, *args, **kw)

    monkeypatch.setattr(workbook.os, "open", vanish)
    result = read_ledger(path)
    assert codes(result) == ["file-unreadable"]
    assert "读取时被移动或删除" in result.findings[0].message and result.findings[0].file == str(path)


@pytest.mark.parametrize("change", ["truncate", "grow", "empty"])
def test_file_changed_while_being_read(tmp_path, monkeypatch, change):
    path = bad_files.make_good(tmp_path)
    real_fstat = os.fstat

    def fstat_then_change(fd):
        st = real_fstat(fd)
        if change == "truncate":
            os.truncate(path, st.st_size // 2)
        elif change == "grow":
            with open(path, "ab") as fh:
                fh.write(b"\0" * 100)
        else:
            os.truncate(path, 0)
        return st

    monkeypatch.setattr(workbook.os, "fstat", fstat_then_change)
    result = read_ledger(path)
    assert codes(result) == ["file-unreadable"]
    assert ("被修改" if change != "empty" else "被移动或删除") in result.findings[0].message


def test_a_file_vanishing_mid_merge_is_a_finding_and_the_batch_goes_on(tmp_path, monkeypatch):
    from bqw.store.archive import Archive
    from bqw.jobs.merge import merge

    good = bad_files.make_good(tmp_path)
    other = bad_files.make_gbk_csv(tmp_path)
    gone = tmp_path / "附件3：平安镇领导挂点调研台账（10月）-郑国栋.xlsx"
    gone.write_bytes(bad_files._visits_workbook(bad_files._visits_rows("郑国栋", 2)))
    real_open = os.open

    def vanish(p, flags, *args, **kw):
        if Path(os.fsdecode(p)) == gone and gone.exists():
            gone.unlink()
        return real_open(p, flags, *args, **kw)

    monkeypatch.setattr(workbook.os, "open", vanish)
    with Archive(":memory:") as store:
        result = merge([good, gone, other], archive=store, workers=1)
    status = {o.path.name: (o.status, [f.code for f in o.findings]) for o in result.outcomes}
    assert status[gone.name] == ("skipped", ["file-unreadable"])
    assert status[good.name][0] == status[other.name][0] == "accepted"
    assert result.merged_rows == 5


def test_annotating_a_file_that_has_since_vanished(tmp_path):
    from bqw.output.annotate import annotate
    from bqw.jobs.validate import validate_file

    path = bad_files.make_control_chars(tmp_path)
    result = validate_file(path)
    path.unlink()
    copy = annotate(result, tmp_path / "退回")
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames == ["校验结果"] and "原文件已无法读取" in wb["校验结果"]["A1"].value
    assert wb["校验结果"].max_row == 2 + len(result.findings)


# --- what calamine may throw ---------------------------------------------------------------------

class PanicException(BaseException):
    """What pyo3 raises for a Rust panic: a BaseException, not an Exception."""


@pytest.mark.parametrize("where,error,code", [
    ("open", PanicException("called `Option::unwrap()` on a `None` value"), "file-corrupt"),
    ("read", PanicException("index out of bounds"), "file-corrupt"),
    ("read", MemoryError(), "file-unreadable"),
])
def test_calamine_failures_become_findings(tmp_path, monkeypatch, where, error, code):
    import python_calamine as pc

    path = bad_files.make_good(tmp_path)

    def boom(*_a, **_k):
        raise error

    if where == "open":
        monkeypatch.setattr(pc.CalamineWorkbook, "from_filelike", boom)
    else:
        monkeypatch.setattr(pc.CalamineSheet, "to_python", boom)
    assert codes(read_ledger(path)) == [code]


def test_ctrl_c_is_not_swallowed(tmp_path, monkeypatch):
    import python_calamine as pc

    def interrupt(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pc.CalamineWorkbook, "from_filelike", interrupt)
    with pytest.raises(KeyboardInterrupt):
        read_ledger(bad_files.make_good(tmp_path))


# --- extents that hide from a quick look ---------------------------------------------------------

@pytest.mark.parametrize("body,code", [
    # rows without r: placed one after another — a million empty rows, then 1,000 cells without r
    ("<row/>" * 1_048_575 + "<row>" + "<c><v>1</v></c>" * 1000 + "</row>", "sheet-too-long"),
    # the far row first, then the ordinary ones (a reader looking at the last row sees 2)
    ('<row r="1048576"><c r="ALL1048576"><v>1</v></c></row>' + HEADER_ROW.replace('r="1"', 'r="2"', 1),
     "sheet-too-long"),
    # a cell whose own reference is far below its row element
    (HEADER_ROW + '<row r="2"><c r="ALL1048576"><v>1</v></c></row>', "sheet-too-long"),
    # a line break where a space is expected, before r
    (HEADER_ROW + '<row r="2"><c\nr="XFD2"><v>1</v></c></row>', "sheet-too-wide"),
    # cells without r pushing the row past the column limit
    (HEADER_ROW + "<row>" + "<c><v>1</v></c>" * 1500 + "</row>", "sheet-too-wide"),
])
def test_extent_is_known_before_calamine_reads(tmp_path, body, code):
    path = sheet_package(tmp_path / "台账.xlsx", worksheet(body))
    assert codes(read_ledger(path)) == [code]


@pytest.mark.parametrize("far,code", [('<c r="ALL1048576"><v>1</v></c>', "sheet-too-long"),
                                      ('<c r="XFD2"><v>1</v></c>', "sheet-too-wide")])
def test_a_dimension_that_declares_too_little(tmp_path, far, code):
    """<dimension ref="A1:E2"/> is where the scan starts, not what it believes: a cell beyond it counts."""
    xml = worksheet(HEADER_ROW + f'<row r="2"><c r="A2"><v>1</v></c>{far}</row>')
    xml = xml.replace("<sheetData>", '<dimension ref="A1:E2"/><sheetData>')
    path = sheet_package(tmp_path / "台账.xlsx", xml)
    assert codes(read_ledger(path)) == [code]


def test_a_far_row_seen_before_the_columns_grew(tmp_path):
    """Row 600,000 in the second megabyte is within the limits for five columns; a cell in column
    ALL (1,000) in the third makes it 600 million cells: the earlier chunks are searched again."""
    filler = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{"填充内容" * 10}</t></is></c></row>'
                     for r in range(2, 12_000))
    more = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{"填充内容" * 10}</t></is></c></row>'
                   for r in range(12_000, 22_000))
    body = (HEADER_ROW + filler + '<row r="600000"><c r="A600000"><v>1</v></c></row>' + more
            + '<row r="22000"><c r="ALL22000"><v>1</v></c></row>')
    assert len(filler.encode()) > xlsx_scan.CHUNK and len(more.encode()) > xlsx_scan.CHUNK
    path = sheet_package(tmp_path / "台账.xlsx", worksheet(body))
    (f,) = read_ledger(path).findings
    assert f.code == "sheet-too-long" and "600000" in f.message


def test_prefixed_elements_are_measured_too(tmp_path):
    body = ('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>序号</x:t></x:is></x:c></x:row>'
            '<x:row r="2"><x:c r="XFD2"><x:v>1</x:v></x:c></x:row>')
    path = sheet_package(tmp_path / "台账.xlsx", worksheet(body, prefix="x"))
    assert codes(read_ledger(path)) == ["sheet-too-wide"]


def test_attributes_that_look_like_references_are_not_cells(tmp_path):
    """header="Z9" or error="Please…" are not r attributes: the sheet stays eight columns wide."""
    body = HEADER_ROW + '<row r="2"><c r="A2"><v>1</v></c></row>'
    xml = worksheet(body).replace("</worksheet>", '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
                                  'header="ZZZ9" footer="XFD1048576"/><headerFooter><oddHeader>'
                                  'r="ZZZ1048576"</oddHeader></headerFooter></worksheet>')
    path = sheet_package(tmp_path / "台账.xlsx", xml)
    ext = xlsx_scan._Extent(b"", Limits())
    data = xml.encode()
    ext.feed(data, b"")
    assert ext.max_col == 5 and ext.max_row == 2
    assert "sheet-too-wide" not in codes(read_ledger(path))


def test_declared_sizes_that_lie(tmp_path):
    """sharedStrings.xml declares 100 bytes and inflates to 5 MB: refused before calamine."""
    text = ("<si><t>" + "哈" * 1000 + "</t></si>") * 1700
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">{text}</sst>'
    path = sheet_package(tmp_path / "台账.xlsx", worksheet(HEADER_ROW), {"xl/sharedStrings.xml": sst})
    data = bytearray(path.read_bytes())
    real = len(sst.encode())
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):  # local header and central directory entry
        start = 0
        while (i := data.find(sig, start)) >= 0:
            name_at = i + (30 if sig == b"PK\x03\x04" else 46)
            size_at = i + (22 if sig == b"PK\x03\x04" else 24)
            n = int.from_bytes(data[i + (26 if sig == b"PK\x03\x04" else 28):][:2], "little")
            if bytes(data[name_at:name_at + n]) == b"xl/sharedStrings.xml":
                assert int.from_bytes(data[size_at:size_at + 4], "little") == real
                data[size_at:size_at + 4] = (100).to_bytes(4, "little")
            start = i + 4
    path.write_bytes(bytes(data))
    assert codes(read_ledger(path)) in (["file-corrupt"], ["file-inflated-too-large"])
    assert codes(read_ledger(path, limits=Limits(max_inflated_mb=1))) in (["file-corrupt"],
                                                                          ["file-inflated-too-large"])


def test_entities_hidden_behind_a_long_prolog(tmp_path):
    sst = ('<?xml version="1.0"?>\n<!--' + " " * 10_000 + '-->\n<!DOCTYPE sst [<!ENTITY a "哈哈">]>'
           f'<sst xmlns="{NS}"><si><t>&a;</t></si></sst>')
    path = sheet_package(tmp_path / "台账.xlsx", worksheet(HEADER_ROW), {"xl/sharedStrings.xml": sst})
    assert codes(read_ledger(path)) == ["file-unsafe-xml"]


def test_a_package_of_too_many_parts(tmp_path):
    members = dict(bad_files.package_parts(shared_strings=False))
    members["xl/worksheets/sheet1.xml"] = worksheet(HEADER_ROW)
    for i in range(MAX_ZIP_MEMBERS + 1):
        members[f"xl/media/p{i}.bin"] = b""
    path = tmp_path / "台账.xlsx"
    bad_files._write_zip(path, members)
    (f,) = read_ledger(path).findings
    assert f.code == "file-unreadable" and "部件" in f.message


# --- merged ranges ---------------------------------------------------------------------------------

def test_merged_ranges_are_clipped_to_the_grid(tmp_path):
    book = workbook.open_book(bad_files.make_merge_tall(tmp_path))
    (sheet,) = book.sheets
    assert max(r1 for _r0, _c0, r1, _c1 in sheet.merged) < len(sheet.rows)
    assert all(c1 < len(sheet.rows[0]) for _r0, _c0, _r1, c1 in sheet.merged)


def test_thousands_of_merged_ranges_read_quickly(tmp_path):
    import time

    start = time.monotonic()
    result = read_ledger(bad_files.make_many_merges(tmp_path))
    assert time.monotonic() - start < 10
    assert result.valid and result.rows == bad_files.MANY_MERGES
    frame = result.tables[0].frame
    assert frame["镇领导"].eq("洪文泽").all() and frame["调研地点"].eq("东坑村").all()


def test_overlapping_merges_keep_the_first(tmp_path):
    from bqw.io.merged import MergeFill

    fill = MergeFill([(0, 2, 9, "a"), (0, 5, 20, "b"), (0, 30, 40, "c"), (1, 0, 3, "d")], by_column=True)
    assert [fill.get((r, 0)) for r in (1, 2, 9, 10, 20, 30, 41)] == [None, "a", "a", None, None, "c", None]
    assert fill.get((0, 1)) == "d" and fill.get((5, 5), "x") == "x"


def test_merged_range_limit(tmp_path, monkeypatch):
    path = bad_files.make_many_merges(tmp_path)
    monkeypatch.setenv("BQW_MAX_MERGED_RANGES", "1000")
    (f,) = read_ledger(path, limits=Limits.from_env()).findings
    assert f.code == "file-unreadable" and "1000" in f.message and "合并单元格" in f.message


def test_cell_limit_refuses_a_tall_sheet_before_reading_it(tmp_path, monkeypatch):
    import time

    path = bad_files.make_tall_sheet(tmp_path)
    monkeypatch.setenv("BQW_MAX_CELLS", "5000000")
    start = time.monotonic()
    (f,) = read_ledger(path, limits=Limits.from_env()).findings
    assert f.code == "sheet-too-long" and time.monotonic() - start < 2


# --- CSV extremes ---------------------------------------------------------------------------------

def test_csv_cell_longer_than_the_csv_module_allows(tmp_path):
    p = tmp_path / "长.csv"
    p.write_text("序号,镇领导,调研时间,调研地点,调研内容\n1,洪文泽,2026年10月5日,东坑村," + "调" * 200_000 + "\n",
                 encoding="utf-8")
    result = read_ledger(p)
    assert codes(result) == ["text-too-long"]
    assert len(result.tables[0].frame.loc[2, "调研内容"]) == 200_000


def test_csv_line_of_two_million_commas(tmp_path):
    p = tmp_path / "宽.csv"
    p.write_bytes("序号,镇领导,调研时间,调研地点,调研内容\n".encode() + b"," * 2_000_000 + b"\n")
    assert codes(read_ledger(p)) == ["sheet-too-wide"]


# --- names and copies made from hostile submissions -------------------------------------------------

@pytest.mark.parametrize("stem", ["..", "../../etc/passwd", "..\\..\\x", "a<b>c:d\"e|f?g*h", "CON", "nul.txt",
                                  " .隐藏. ", "台账\n第二行\t\x01", "挂" * 200, "\udcb9\udcd2台账", ""])
def test_safe_stem(stem):
    from bqw.output.annotate import safe_stem

    s = safe_stem(stem)
    assert s and s not in (".", "..") and not set(s) & set('<>:"/\\|?*')
    assert all(ord(ch) >= 32 for ch in s) and not s.startswith((".", " ")) and not s.endswith((".", " "))
    assert len(s.encode("utf-8")) <= 150
    assert s.split(".")[0].upper() not in ("CON", "NUL")
    (Path("/tmp") / s).as_posix()  # a single path component
    assert Path(s).name == s


def test_annotated_copies_of_one_batch_never_overwrite_each_other(tmp_path):
    from bqw.output.annotate import annotate_all
    from bqw.jobs.validate import validate_file

    results = [validate_file(bad_files.make_control_chars(tmp_path)),
               validate_file(bad_files.make_control_chars_csv(tmp_path))]
    written = annotate_all(results, tmp_path / "退回")
    assert len(written) == len(set(written)) == 2 and all(p.exists() for p in written)


def test_copy_of_a_sheet_too_large_for_openpyxl_lists_the_findings(tmp_path):
    from bqw.output.annotate import annotate
    from bqw.jobs.validate import validate_file

    result = validate_file(bad_files.make_merge_tall(tmp_path))
    wb = openpyxl.load_workbook(annotate(result, tmp_path / "退回"))
    assert wb.sheetnames == ["校验结果"]
    assert "原表过大" in wb["校验结果"]["A1"].value and wb["校验结果"]["D3"].value == "G3"


def test_copy_of_a_workbook_with_sheet_names_openpyxl_refuses(tmp_path):
    from bqw.output.annotate import annotate
    from bqw.jobs.validate import validate_file

    result = validate_file(bad_files.make_odd_sheet_names(tmp_path))
    read = {f.sheet for f in result.findings}
    assert read == set(bad_files.ODD_SHEET_NAMES)  # every sheet is read, “sheet1” and “Sheet1” apart
    copy = annotate(result, tmp_path / "退回")
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == "校验结果" and len(wb.sheetnames) == len(bad_files.ODD_SHEET_NAMES) + 1
    links = [c.hyperlink.location for row in wb["校验结果"].iter_rows(min_row=3) for c in row if c.hyperlink]
    assert len(links) == len(result.findings)
    for location in links:  # every link names a sheet of the copy, quotes doubled
        sheet = location.rsplit("!", 1)[0][1:-1].replace("''", "'")
        assert sheet in wb.sheetnames, location
    marked = [ws.title for ws in wb.worksheets[1:] if ws["G2"].fill.start_color.rgb == "00FFC7CE"]
    assert len(marked) == len(bad_files.ODD_SHEET_NAMES)


def test_zip_read_from_memory_not_from_the_path_again(tmp_path, monkeypatch):
    """calamine gets the bytes that were checked: replacing the file after the check changes nothing."""
    path = bad_files.make_good(tmp_path)
    (tmp_path / "x").mkdir()
    far = bad_files.make_far_cell(tmp_path / "x")
    real_check = xlsx_scan.check_zip

    def check_then_swap(data, limits):
        real_check(data, limits)
        path.write_bytes(far.read_bytes())  # an attacker swaps the file in between

    monkeypatch.setattr(xlsx_scan, "check_zip", check_then_swap)
    result = read_ledger(path)
    assert result.valid and result.rows == 3

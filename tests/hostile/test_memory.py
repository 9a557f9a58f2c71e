"""Issue 13, class 10: every read stays under 400 MB peak, or the file is refused with the limit's
message (max_read_mb, docs/limits.md).

The worst files the other limits admit, written by hand into the zip as a hostile or broken tool
would (fixed seeds): a tiny sheet with millions of short distinct shared strings; a few very long
shared strings; one long string referenced by many cells (calamine copies it into every cell);
a sheet at the cell limit, sparse and filled; and a realistic 100,000-row ledger (bench/gen.py).
Each runs through `bqw validate` in a subprocess whose peak RSS is measured (ru_maxrss).
"""

from __future__ import annotations

import importlib.util
import random
import sys
import zipfile
from pathlib import Path

import pytest

from fixtures.bad_files import package_parts
from hostile.common import assert_clean_exit, run_limited

from bqw.core.findings import col_letter

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SEED = 20261013
HEADER = ["序号", "镇领导", "调研时间", "调研地点", "调研内容", "推动解决问题数量", "联系人及联系方式", "备注"]
READ_MB = 400  # the default max_read_mb: what every accepted file must stay under
NAME = "附件3：平安镇领导挂点调研台账（10月）-{}.xlsx"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="peak RSS from ru_maxrss is in kilobytes on Linux only")


# --- writing packages by hand ----------------------------------------------------------------------

def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _write_package(path: Path, sheet_rows, strings=None) -> Path:
    """A one-sheet .xlsx: `sheet_rows` yields each <row> element's XML, `strings` each shared
    string's text (None: no shared-strings part). Both stream into the zip (they may be large)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in package_parts(strings is not None).items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 10, 31, 9, 0, 0)), text)
        with zf.open(zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2026, 10, 31, 9, 0, 0)), "w",
                     force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'
                     "<sheetData>".encode())
            _write_batched(fh, sheet_rows)
            fh.write(b"</sheetData></worksheet>")
        if strings is not None:
            with zf.open(zipfile.ZipInfo("xl/sharedStrings.xml", date_time=(2026, 10, 31, 9, 0, 0)), "w",
                         force_zip64=True) as fh:
                fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS}">'.encode())
                _write_batched(fh, (f"<si><t>{_esc(s)}</t></si>" for s in strings))
                fh.write(b"</sst>")
    return path


def _write_batched(fh, pieces, batch: int = 20_000) -> None:
    buf = []
    for piece in pieces:
        buf.append(piece)
        if len(buf) >= batch:
            fh.write("".join(buf).encode())
            buf.clear()
    fh.write("".join(buf).encode())


def _row(r: int, cells: list) -> str:
    """One <row>: str values are shared-string indices given as ("s", i), numbers are numbers."""
    out = []
    for c, value in enumerate(cells):
        if value is None:
            continue
        ref = f"{col_letter(c)}{r}"
        if isinstance(value, tuple):
            out.append(f'<c r="{ref}" t="s"><v>{value[1]}</v></c>')
        elif isinstance(value, str):
            out.append(f'<c r="{ref}" t="inlineStr"><is><t>{_esc(value)}</t></is></c>')
        else:
            out.append(f'<c r="{ref}"><v>{value}</v></c>')
    return f'<row r="{r}">{"".join(out)}</row>'


def _ledger_rows(content=lambda i: "调研人居环境整治工作"):
    """A header and three valid visits rows (inline strings); `content(i)` is row i's 调研内容."""
    yield _row(1, HEADER)
    for i in range(3):
        yield _row(2 + i, [i + 1, "洪文泽", f"2026年10月{5 + i}日", "东坑村", content(i), 1, "陈伟 13812345678",
                           f"第{i + 1}条"])


# --- the worst files the limits admit ----------------------------------------------------------------

def many_strings(folder: Path, count: int) -> Path:
    """(a) A three-row ledger whose sharedStrings.xml holds `count` short distinct strings, none
    used by a cell (a broken exporter's leftovers, or a hostile file)."""
    rng = random.Random(SEED)
    chars = "东西南北新大小上下高石龙凤金银水山河江海平安长和兴福寿宝丰华泰永清"
    strings = (f"{rng.choice(chars)}{rng.choice(chars)}{i}" for i in range(count))
    return _write_package(folder / NAME.format(f"{count}个字符串"), _ledger_rows(), strings)


def long_strings(folder: Path, count: int, chars: int) -> Path:
    """(b) `count` shared strings of `chars` Chinese characters each, each the 调研内容 of one row."""
    rng = random.Random(SEED)
    pool = "调研人居环境整治农房风貌管控村集体经济发展"
    strings = ("".join(rng.choice(pool) for _ in range(64)) * (chars // 64) for _ in range(count))
    rows = [_row(1, HEADER)] + [
        _row(2 + i, [i + 1, "洪文泽", f"2026年10月{5 + i % 20}日", "东坑村", ("s", i), 1, "陈伟 13812345678",
                     f"第{i + 1}条"]) for i in range(count)]
    return _write_package(folder / NAME.format(f"{count}个长字符串"), rows, strings)


def one_string_everywhere(folder: Path, chars: int, cells: int) -> Path:
    """(b2) One shared string of `chars` characters in `cells` cells: the file stays small, but
    calamine copies the string into every cell (and Python again)."""
    text = "调研人居环境整治工作" * (chars // 10)
    rows = [_row(1, HEADER)] + [
        _row(2 + i, [i + 1, "洪文泽", "2026年10月5日", "东坑村", ("s", 0), 1, "陈伟 13812345678", f"第{i + 1}条"])
        for i in range(cells)]
    return _write_package(folder / NAME.format(f"长字符串{cells}格"), rows, [text])


def sparse_at_cell_limit(folder: Path, cells: int = 12_000_000, cols: int = 12) -> Path:
    """(c) A three-row ledger with a stray value at the far corner of rows × cols = `cells`."""
    rows = list(_ledger_rows()) + [_row(cells // cols, [None] * (cols - 1) + ["x"])]
    return _write_package(folder / NAME.format("稀疏满格"), rows)


def dense_sheet(folder: Path, rows: int, cols: int = 12) -> Path:
    """(c2) A sheet of rows × cols cells, every one a number (a header row of text)."""
    def body():
        yield _row(1, HEADER + [f"列{c}" for c in range(len(HEADER), cols)])
        for r in range(2, rows + 1):
            yield _row(r, [r * cols + c for c in range(cols)])
    return _write_package(folder / NAME.format(f"满格{rows}行"), body())


def realistic_ledger(folder: Path, rows: int) -> Path:
    """(d) A real-looking visits ledger of `rows` rows by bench/gen.py (seeded)."""
    spec = importlib.util.spec_from_file_location("bench_gen", Path(__file__).resolve().parents[2] / "bench" / "gen.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen.visits_ledger(folder / NAME.format(f"{rows}行"), rows)


def padded(folder: Path, megabytes: int) -> Path:
    """A three-row ledger carrying `megabytes` of incompressible bytes in an image part: the file
    itself is held in memory (by bqw, and copied by calamine), though nothing of it is read."""
    path = _write_package(folder / NAME.format(f"附图{megabytes}MB"), _ledger_rows())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as zf:
        zf.writestr(zipfile.ZipInfo("xl/media/image1.png", date_time=(2026, 10, 31, 9, 0, 0)),
                    random.Random(SEED).randbytes(megabytes << 20))
    return path


def far_xls(folder: Path, row: int, col: int) -> Path:
    """(c3) An .xls of the ledger with one stray value at (row, col), 0-based: calamine parses every
    sheet of an .xls into its grid as it opens the file (before bqw sees a sheet), and copies it."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for r, row_xml in enumerate([HEADER] + [[i + 1, "洪文泽", f"2026年10月{5 + i}日", "东坑村", "调研人居环境整治工作", 1,
                                             "陈伟 13812345678", f"第{i + 1}条"] for i in range(3)]):
        for c, value in enumerate(row_xml):
            ws.write(r, c, value)
    ws.write(row, col, "x")
    path = folder / NAME.format(f"末格{row + 1}行").replace(".xlsx", ".xls")
    wb.save(str(path))
    return path


def xls_one_string_everywhere(folder: Path, chars: int, cells: int) -> Path:
    """(b3) An .xls whose one shared string of `chars` characters (continued over several records)
    fills `cells` cells: calamine copies it into each as it opens the file, and again as it reads."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for c, value in enumerate(HEADER):
        ws.write(0, c, value)
    text = "调研人居环境整治工作" * (chars // 10)
    for i in range(cells):
        for c, value in enumerate([i + 1, "洪文泽", "2026年10月5日", "东坑村", text, 1, "陈伟 13812345678", f"第{i + 1}条"]):
            ws.write(1 + i, c, value)
    path = folder / NAME.format(f"长字符串{cells}格").replace(".xlsx", ".xls")
    wb.save(str(path))
    return path


def dense_csv(folder: Path, rows: int, cols: int = 12) -> Path:
    """(c4) A CSV of rows × cols distinct short values (no other limit stops 12 million of them)."""
    path = folder / NAME.format(f"{rows}行").replace(".xlsx", ".csv")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(HEADER + [f"列{c}" for c in range(len(HEADER), cols)]) + "\n")
        for r in range(rows):
            fh.write(",".join(f"{r}-{c}" for c in range(cols)) + "\n")
    return path


# --- what the tests check ------------------------------------------------------------------------------

def validate(path: Path, **env):
    return run_limited("validate", path, "--format", "json", env={k.upper(): str(v) for k, v in env.items()})


def assert_refused(ran, path: Path, why: str, limit: str = "400.0 MB") -> str:
    """Refused before calamine read anything, cheaply, with the limit's message naming the file."""
    assert_clean_exit(ran, (1,))
    (entry,) = ran.json()["files"]
    (finding,) = entry["findings"]
    assert finding["code"] == "file-too-much-memory" and finding["severity"] == "error", ran
    message = finding["message"]
    assert f"“{path.name}”" in message and why in message, message
    assert f"超过上限 {limit}" in message and "max_read_mb" in message and "BQW_MAX_READ_MB" in message, message
    assert ran.rss_mb < READ_MB, ran
    return message


def assert_read(ran, codes=(0, 1)) -> dict:
    """Read through, under 400 MB at the peak."""
    assert_clean_exit(ran, codes)
    (entry,) = ran.json()["files"]
    assert "file-too-much-memory" not in [f["code"] for f in entry["findings"]], ran
    assert entry["rows"] >= 1, ran
    assert ran.rss_mb < READ_MB, ran
    return entry


# (a) millions of short shared strings

def test_millions_of_shared_strings_are_refused_while_the_table_streams(tmp_path):
    path = many_strings(tmp_path, 2_000_000)
    message = assert_refused(validate(path), path, "共享字符串表至少有 ")
    assert "个字符串（共 " in message


def test_half_a_million_shared_strings_are_read(tmp_path):
    entry = assert_read(validate(many_strings(tmp_path, 500_000)), codes=(0,))
    assert entry["valid"] and entry["rows"] == 3


# (b) a few very long strings; one long string shown in many cells

def test_a_few_very_long_strings(tmp_path):
    path = long_strings(tmp_path, 4, 5_000_000)  # 60 MB of text: calamine's copy, each cell's, Python's
    assert_refused(validate(path), path, "文件本身有")
    entry = assert_read(validate(long_strings(tmp_path, 2, 2_000_000)))
    assert entry["rows"] == 2 and [f["code"] for f in entry["findings"]] == ["text-too-long"] * 2


def test_one_long_string_in_every_cell_is_counted_cell_by_cell(tmp_path):
    """A 4 MB file whose one 30 KB string fills 10,000 cells: 300 MB of copies (580 MB peak before)."""
    path = one_string_everywhere(tmp_path, 10_000, 10_000)
    assert_refused(validate(path), path, "单元格中的共享字符串合计")
    assert_read(validate(one_string_everywhere(tmp_path, 10_000, 2_000)))


# (c) extents: the cell limit, an .xls, a CSV

def test_a_sheet_at_the_cell_limit_is_refused(tmp_path):
    """One stray value making 1,000,000 rows × 12 columns: within max_cells, 550 MB to read."""
    path = sparse_at_cell_limit(tmp_path)
    assert_refused(validate(path), path, "工作表“Sheet1”的范围有 1,000,000 行 × 12 列（12,000,000 格")
    assert_read(validate(sparse_at_cell_limit(tmp_path, 3_000_000, 6)))


def test_a_stray_row_far_below_many_rows_of_content(tmp_path):
    """A stray value in row 700,000 after 20,000 rows of content (more than one chunk of XML)."""
    path = _write_package(tmp_path / NAME.format("远行"), _content_rows(20_000) + [_row(700_000, [None] * 11 + ["x"])])
    assert_refused(validate(path), path, "工作表“Sheet1”的范围有 700,000 行 × 12 列")


def test_rows_in_order_are_measured_as_they_stream(tmp_path):
    """Row 99,999 is short of the row numbers the scan looks for one by one (a quarter of the limit's
    worth of grid); as the last row of its chunk it is counted all the same: the extent is exact."""
    from bqw.io import xlsx_scan
    from bqw.core.limits import Limits

    path = _write_package(tmp_path / NAME.format("远行"), _content_rows(20_000) + [_row(99_999, [None] * 11 + ["x"])])
    assert path.stat().st_size > 0 and xlsx_scan.check_zip(path.read_bytes(), Limits()).cells == 99_999 * 12


def _content_rows(rows: int) -> list[str]:
    """The ledger's rows and more, to `rows`, twelve columns wide (more than a chunk of XML)."""
    return list(_ledger_rows()) + [
        _row(r, [r, "洪文泽", "2026年10月5日", "东坑村", "调研人居环境整治工作" * 3, 1, "陈伟 13812345678", "",
                 "", "", "", "备"]) for r in range(5, rows)]


def test_xls_extents_are_known_before_calamine_opens_the_file(tmp_path):
    """calamine builds every grid of an .xls as it opens it: IV65536 took 1 GB before bqw could
    refuse it; now it is refused by max_cells unread, and a grid within it by max_read_mb."""
    far = far_xls(tmp_path, 65_535, 255)
    ran = validate(far)
    assert_clean_exit(ran, (1,))
    assert [f["code"] for f in ran.json()["files"][0]["findings"]] == ["sheet-too-long"]
    assert ran.rss_mb < 150, ran
    wide = far_xls(tmp_path, 29_999, 255)
    assert_refused(validate(wide), wide, "工作表“Sheet1”的范围有 30,000 行 × 256 列")
    assert_read(validate(far_xls(tmp_path, 14_999, 255)))


def test_xls_one_long_string_in_every_cell(tmp_path):
    path = xls_one_string_everywhere(tmp_path, 10_000, 6_000)
    assert_refused(validate(path), path, "单元格中的共享字符串合计")
    assert_read(validate(xls_one_string_everywhere(tmp_path, 10_000, 1_000)))


def test_a_csv_of_millions_of_values(tmp_path):
    path = dense_csv(tmp_path, 300_000)
    assert_refused(validate(path), path, "工作表中有 3,600,013 个填了内容的单元格")  # 300,001 lines × 12


# the file itself, and raising the limit

def test_the_file_itself_counts(tmp_path):
    """A three-row ledger carrying 90 MB of picture: bqw and calamine each hold the whole file."""
    path = padded(tmp_path, 90)
    assert_refused(validate(path), path, "文件本身有 90.0 MB")
    assert_read(validate(padded(tmp_path, 40)), codes=(0,))


def test_the_limit_is_raised_by_bqw_toml_and_the_environment(tmp_path):
    path = sparse_at_cell_limit(tmp_path, 6_000_000)  # estimated at about 360 MB
    assert_read(validate(path))
    assert_refused(validate(path, bqw_max_read_mb=300), path, "范围有 500,000 行 × 12 列", limit="300.0 MB")
    (tmp_path / "bqw.toml").write_text("[limits]\nmax_read_mb = 300\n", encoding="utf-8")
    ran = run_limited("validate", path, "--format", "json", cwd=tmp_path)
    assert_refused(ran, path, "范围有 500,000 行 × 12 列", limit="300.0 MB")


# (d) a realistic ledger still reads

def test_a_realistic_ledger_reads(tmp_path):
    entry = assert_read(validate(realistic_ledger(tmp_path, 10_000)), codes=(1,))
    assert entry["rows"] >= 9_900


@pytest.mark.slow
def test_a_realistic_ledger_of_100000_rows_reads(tmp_path):
    """bench/gen.py's 100,000-row ledger (≈ 230 MB at the peak, estimated ≈ 285 MB)."""
    entry = assert_read(validate(realistic_ledger(tmp_path, 100_000)), codes=(1,))
    assert entry["rows"] >= 99_000


@pytest.mark.slow
@pytest.mark.parametrize("make", [lambda d: many_strings(d, 3_000_000), lambda d: dense_csv(d, 800_000)],
                         ids=["3M-strings", "9.6M-csv-values"])
def test_the_largest_files_are_refused_cheaply(tmp_path, make):
    path = make(tmp_path)
    assert_refused(validate(path), path, "")


# --- a file with an error in nearly every cell ------------------------------------------------------

def _garbage_csv(path: Path, rows: int) -> Path:
    """A visit ledger laid out right but filled wrong: every date, count and day count unreadable,
    required cells empty, every phone number bad (the wrong template, or columns shifted)."""
    import csv

    rng = random.Random(SEED)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "镇领导", "调研时间", "调研地点", "调研内容", "推动解决问题数量", "联系人及联系方式", "调研天数",
                    "备注", "调研成效", "陪同人员", "照片"])
        for i in range(rows):
            w.writerow([f"x{i}", "", f"某日{rng.randrange(10**6)}", "", "", f"若干{i}", f"电话{i}12345678",
                        f"天{i}", "", "", f"p{i}", f"q{i}"])
    return path


def _garbage_checked(path: Path, rows: int) -> None:
    from bqw.core.findings import MAX_SAME

    ran = run_limited("validate", path, "--format", "json")
    assert_clean_exit(ran, codes=(1,))
    assert ran.rss_mb < READ_MB, ran
    findings = ran.json()["files"][0]["findings"]
    by_code: dict = {}
    for f in findings:
        by_code.setdefault((f["code"], f["column"]), []).append(f)
    # listed one by one up to MAX_SAME a rule and column, the rest said once, with the true total
    assert max(len(v) for k, v in by_code.items() if k[0] not in ("too-many-errors", "too-many-warnings")) == MAX_SAME
    overflows = [f for f in findings if f["code"] == "too-many-errors"]
    assert {f["column"] for f in overflows} >= {"调研时间", "推动解决问题数量", "调研地点", "调研内容"}
    assert all(f"共有 {rows} 处" in f["message"] for f in overflows)
    assert len(findings) < 20 * MAX_SAME


def test_a_file_of_errors_stays_small(tmp_path):
    _garbage_checked(_garbage_csv(tmp_path / "附件3：挂点调研台账（10月）-洪文泽.csv", 20_000), 20_000)


@pytest.mark.slow
def test_a_file_of_100000_rows_of_errors_stays_under_the_limit(tmp_path):
    _garbage_checked(_garbage_csv(tmp_path / "附件3：挂点调研台账（10月）-洪文泽.csv", 100_000), 100_000)

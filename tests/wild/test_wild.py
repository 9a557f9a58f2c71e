"""The wild corpus property: bqw reads every generated ledger exactly (tests/wild/README.md).

For each seed a file is composed from independent traits (generator.py) and checked (check.py):
validate_file finds no error, and merging the file alone gives exactly its truth's records.
One test per seed, so one failure hides no other; BQW_WILD_CASES sets how many (default 300).
`make wild` runs 5,000 and prints the failures by trait (run.py).
"""

from __future__ import annotations

import os

import pytest

from .check import check
from .generator import generate

CASES = int(os.environ.get("BQW_WILD_CASES") or 300)


@pytest.mark.parametrize("seed", range(CASES), ids=lambda s: f"seed={s}")
def test_reads_the_wild_ledger_exactly(seed, tmp_path):
    case = generate(seed, folder=tmp_path)
    problems = check(case)
    assert not problems, case.describe() + "\n" + "\n".join(f"- {p}" for p in problems)


def test_generation_is_deterministic(tmp_path):
    """Same seed, same bytes and same truth (no wall clock in a workbook's properties)."""
    for seed in range(12):
        a, b = tmp_path / f"a{seed}", tmp_path / f"b{seed}"
        a.mkdir()
        b.mkdir()
        first, second = generate(seed, folder=a), generate(seed, folder=b)
        assert first.path.name == second.path.name
        assert first.path.read_bytes() == second.path.read_bytes(), first.describe()
        assert first.truth == second.truth and first.traits == second.traits


def test_official_template_is_reproduced(tmp_path):
    """附件3 as printed (seeds/003): its title, its header over two rows, 调研成效 over the template's
    placeholder sub-columns, every other header cell merged down — checked in the written workbook."""
    import openpyxl

    from .generator import OFFICIAL_EFFECT_SUBS

    fixed = {"format": "xlsx", "year": "2026", "sheets": "single", "instructions_sheet": "no", "hidden_sheet": "no",
             "title": "printed", "attachment_line": "no", "title_merged": "yes", "title_block": "none",
             "header": "official-two-row", "column_numbers": "no", "leader_source": "filename", "columns": "full",
             "order": "template", "extras": "0", "example_row": "例", "submitted_days": "no",
             "period_source": "filename"}
    case = generate(7, "visits", folder=tmp_path, fixed=fixed)
    assert {k: case.traits[k] for k in fixed} == fixed
    ws = openpyxl.load_workbook(case.path).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "2026 年度乌塘镇领导开展“百千万工程”工作挂牌调研督查"
    assert rows[1] == ["序号", "调研时间", "调研地点", "调研内容", "调研成效", None, "调研推动解决问题数量(个)",
                       "联系人及联系方式", "备注"]
    assert rows[2] == [None, None, None, None, *OFFICIAL_EFFECT_SUBS, None, None, None]
    assert rows[3][:4] == ["例", "2026年xx月xx日", "xx村", "xx村xx工作情况。"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:I1", "E2:F2", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "G2:G3", "H2:H3", "I2:I3"} <= merged
    assert case.path.name.endswith("-" + case.truth["visits"][0]["镇领导"] + ".xlsx")
    assert "（" in case.path.name and all(r["期间"] == case.truth["visits"][0]["期间"] for r in case.truth["visits"])


def test_writers_put_each_trait_in_the_file(tmp_path):
    """What the generator asks of a writer is in the written file: merges, real date cells with a date
    format, text that looks like a number kept as text, hidden rows and sheets, the 1904 date system,
    CSV encodings with a merged value in its top-left cell only."""
    import datetime as dt

    import openpyxl
    from python_calamine import CalamineWorkbook

    from .forms import DateCell
    from .writers import Book, Merge, Sheet, write

    day = dt.date(2026, 10, 5)

    def book(date_1904: bool) -> Book:
        data = Sheet("数据", [["挂点调研台账", None, None], ["序号", "调研时间", "数量"],
                              [1, DateCell(day, 'yyyy"年"m"月"d"日"'), "3"], ["2", "2026-10-05", 3]],
                     merges=[Merge(0, 0, 0, 2)], hidden_rows={3})
        return Book([data, Sheet("旧表", [["作废"]], hidden=True)], date_1904=date_1904)

    xlsx = write(book(True), "xlsx", tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["数据"]
    assert [str(m) for m in ws.merged_cells.ranges] == ["A1:C1"]
    assert ws["B3"].is_date and ws["B3"].value.date() == day and "年" in ws["B3"].number_format
    assert ws["C3"].data_type == "s" and ws["C3"].value == "3" and ws["A4"].value == "2"
    assert ws.row_dimensions[4].hidden and not ws.row_dimensions[3].hidden
    assert wb.epoch == dt.datetime(1904, 1, 1) and wb["旧表"].sheet_state == "hidden"

    xls = write(book(False), "xls", tmp_path / "a.xls")
    cw = CalamineWorkbook.from_path(str(xls))
    assert [(m.name, str(m.visible).rsplit(".", 1)[-1]) for m in cw.sheets_metadata] == [("数据", "Visible"),
                                                                                      ("旧表", "Hidden")]
    sheet = cw.get_sheet_by_name("数据")
    rows = sheet.to_python()
    assert rows[2][:3] == [1.0, day, "3"] and rows[3][0] == "2"
    assert [tuple(map(tuple, r)) for r in sheet.merged_cell_ranges] == [((0, 0), (0, 2))]

    one = Book([book(False).sheets[0]])
    utf8 = write(one, "csv-utf8", tmp_path / "a.csv").read_bytes()
    assert utf8.startswith(b"\xef\xbb\xbf")
    assert utf8.decode("utf-8-sig").splitlines() == ["挂点调研台账,,", "序号,调研时间,数量", "1,2026/10/5,3",
                                                      "2,2026-10-05,3"]
    gbk = write(one, "csv-gbk", tmp_path / "b.csv").read_bytes()
    assert gbk.decode("gb18030").splitlines()[0] == "挂点调研台账,," and not gbk.startswith(b"\xef\xbb\xbf")


def test_check_names_the_first_differing_record():
    """The comparison fails on a wrong value, a missing row or a missing column, and says which."""
    import pandas as pd

    from .check import compare

    want = [{"镇领导": "洪文泽", "调研时间": "2026-10-05", "调研天数": 1},
            {"镇领导": "洪文泽", "调研时间": "2026-10-09", "调研天数": 3}]
    frame = pd.DataFrame({"镇领导": ["洪文泽", "洪文泽"],
                          "调研时间": pd.to_datetime(["2026-10-09", "2026-10-05"]),
                          "调研天数": pd.array([3, 1], dtype="Int64")})
    assert compare("visits", want, frame) == []
    frame.loc[1, "调研天数"] = 2
    (problem,) = compare("visits", want, frame)
    assert problem.klass == "differ:visits:调研天数" and "want 1, got 2" in problem.message
    problems = compare("visits", want, frame.iloc[:1].drop(columns=["调研天数"]))
    assert [p.klass for p in problems] == ["missing-column:visits:调研天数", "row-count:visits",
                                           "differ:visits:调研时间"]
    blank = [{**rec, "审核意见": None} for rec in want]  # a column left out is blank, not wrong
    assert compare("visits", blank, frame.assign(调研天数=pd.array([3, 1], dtype="Int64"))) == []

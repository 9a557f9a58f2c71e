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


def test_printed_assignments_are_reproduced(tmp_path):
    """附件1 as printed (seeds/003): “附件 1”, the title, 镇领导 | 联系行政村, the printed rows with their
    padded names and 、 — and the truth takes the names without the padding."""
    import openpyxl

    fixed = {"format": "xlsx", "layout": "附件1", "attachment_line": "yes", "spacing": "tight", "separator": "、",
             "text_noise": "no", "blank_rows": "no", "hidden_rows": "no", "instructions_sheet": "no",
             "hidden_sheet": "no", "title_merged": "no"}
    case = generate(3, "assignments", folder=tmp_path, fixed=fixed)
    assert {k: case.traits[k] for k in fixed} == fixed and case.traits["title"] == "printed"
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(case.path).worksheets[0].iter_rows()]
    assert rows[0][0] in ("附件 1", "附件1") and rows[1] == ["镇领导挂点联系村安排表", None]
    assert rows[2] == ["镇领导", "联系行政村"]
    assert rows[3] == ["洪文泽", "乌塘圩村、边板村"] and rows[5] == ["袁 庆", "浩发村、乌塘岭村、外坡村"]
    assert len(rows) == 3 + 13 and rows[-1] == ["余晓锐", "庞村村、边草塘村"]
    yuan = next(r for r in case.truth["assignments"] if r["镇领导"] == "袁庆")
    assert yuan == {"镇领导": "袁庆", "联系行政村": "浩发村、乌塘岭村、外坡村", "协助部门": None}


PRINTED_RUBRIC = {"layout": "附件4", "year": "2026", "villages": "one-per-file", "village_source": "line",
                  "year_source": "line", "info_lines": "one", "attachment_line": "yes", "title_merged": "yes",
                  "item_header": "二级指标", "score_header": "得分", "group_fill": "merged", "group_label": "printed",
                  "total": "合计", "negatives": "below", "negatives_header": "有/无", "negatives_columns": "left",
                  "negatives_title": "yes", "serial": "number", "text_noise": "no", "score_form": "number",
                  "halves": "yes", "yesno_form": "有/无", "page_break": "no"}


def test_printed_rubric_filled_in_is_reproduced(tmp_path):
    """附件4 as printed with an added 得分 column: 一级指标 merged down over its items as ledgers.md groups
    them (乡村治理 over items 19–22, not one row off as the seed text prints it), the 合计 row, then 附件5
    below; in CSV each group label written once with blanks under it, and the header the print repeats
    on its second page."""
    import openpyxl

    from .generator import NEGATIVE_ITEMS, RUBRIC_ITEMS, RUBRIC_TITLE

    case = generate(5, "scores", folder=tmp_path, fixed={**PRINTED_RUBRIC, "format": "xlsx"})
    assert {k: case.traits[k] for k in PRINTED_RUBRIC} == PRINTED_RUBRIC and case.traits["title"] == "printed"
    (record,) = case.truth["scores"]
    ws = openpyxl.load_workbook(case.path).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] in ("附件4", "附件 4") and rows[1][0] == RUBRIC_TITLE
    assert rows[2][0] in {f"{label}：{record['村名']}\u3000\u3000{year}：2026{unit}"
                          for label in ("参评村", "村名", "被评价村") for year in ("评价年度", "考核年度")
                          for unit in ("年", "")}
    assert rows[3] == ["一级指标", "序号", "二级指标", "得分"]
    assert rows[4] == ["人居环境 (16分)", 1, RUBRIC_ITEMS[0][0] + "（3分）", record["指标1"]]
    assert rows[22][:2] == ["乡村治理 (12分)", 19] and rows[28][:2] == ["农民增收 (7分)", 25]
    assert [r[3] for r in rows[4:29]] == [record[f"指标{n}"] for n in range(1, 26)]
    assert rows[29] == ["合计", None, None, record["总分"]] and rows[30] == [None] * 4
    assert rows[31][0] in ("附件5", "附件 5") and rows[33] == ["序号", "清单内容", "有/无", None]
    assert rows[34][:2] == [1, NEGATIVE_ITEMS[0]] and [r[2] for r in rows[34:42]] == [
        record[f"负面{n}"] for n in range(1, 9)] and len(rows) == 42
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:D1", "A2:D2", "A5:A9", "A10:A11", "A12:A14", "A15:A17", "A18:A20", "A21:A22", "A23:A26",
            "A27:A28", "A32:D32", "A33:D33"} == merged
    assert record["总分"] == sum(record[f"指标{n}"] for n in range(1, 26)) and record["评价年度"] == 2026

    fixed = {**PRINTED_RUBRIC, "format": "csv-utf8", "page_break": "header-repeated"}
    csv_case = generate(5, "scores", folder=tmp_path, fixed=fixed)
    lines = csv_case.path.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[3] == lines[18] == "一级指标,序号,二级指标,得分" and lines[17] == ",,,"
    assert lines[14].startswith("生产生活 设施 (15分),11,") and lines[19].startswith("公共服务 (12分),14,")
    assert lines[24].startswith("乡村治理 (12分),19,")
    assert [line.split(",")[0] for line in lines[4:9]] == ["人居环境 (16分)", "", "", "", ""]


def test_wide_scores_header_is_grouped_over_two_rows(tmp_path):
    """The wide layout's two-row header: “人居环境（16分）” merged over “1（3分）” … “5（4分）”, 负面1…8 under
    “负面清单（有/无）”, the other columns merged down; one row per village with its 有/无 as written."""
    import openpyxl

    fixed = {"format": "xlsx", "layout": "wide", "header": "two-row", "item_label": "template",
             "group_label": "points", "decoration": "none", "wording": "canonical", "year_source": "column",
             "columns": "full", "title": "none", "total": "given", "column_numbers": "no", "example_row": "none",
             "title_block": "none", "blank_rows": "no", "hidden_rows": "no", "yesno_form": "√/空",
             "score_form": "number", "instructions_sheet": "no", "hidden_sheet": "no", "text_noise": "no",
             "year": "2026"}
    case = generate(11, "scores", folder=tmp_path, fixed=fixed)
    assert {k: case.traits[k] for k in fixed} == fixed
    ws = openpyxl.load_workbook(case.path).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:4] == ["序号", "村名", "评价年度", "人居环境（16分）"] and rows[0][8] == "风貌提升（12分）"
    assert rows[0][27:30] == ["农民增收（7分）", "总分", "负面清单（有/无）"]
    assert rows[1][3:8] == ["1（3分）", "2（3分）", "3（3分）", "4（3分）", "5（4分）"]
    assert rows[1][29:] == [f"负面{n}" for n in range(1, 9)]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:A2", "B1:B2", "C1:C2", "D1:H1", "I1:J1", "AC1:AC2", "AD1:AK1"} <= merged
    assert rows[1][27] == "25（7分）" and not any(m.startswith("AB") for m in merged)  # a group of one item
    assert len(rows) - 2 == len(case.truth["scores"])
    for row, record in zip(rows[2:], case.truth["scores"]):
        assert row[1] == record["村名"] and row[2] in (2026, "2026")
        assert row[3:28] == [record[f"指标{n}"] for n in range(1, 26)] and row[28] == record["总分"]
        assert row[29:] == ["√" if record[f"负面{n}"] == "有" else None for n in range(1, 9)]


def test_check_reads_the_negatives_as_the_merged_workbook_writes_them():
    """负面清单 columns are booleans in bqw's frame and 有/无 in the truth (and in the merged workbook)."""
    import pandas as pd

    from .check import compare

    want = [{"村名": "东坑村", "指标1": 2.5, "负面1": "有", "负面2": "无"}]
    frame = pd.DataFrame({"村名": ["东坑村"], "指标1": [2.5], "负面1": pd.array([True], dtype="boolean"),
                          "负面2": pd.array([False], dtype="boolean")})
    assert compare("scores", want, frame) == []
    frame["负面2"] = pd.array([True], dtype="boolean")
    (problem,) = compare("scores", want, frame)
    assert problem.klass == "differ:scores:负面2" and "want '无', got '有'" in problem.message

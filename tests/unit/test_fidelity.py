"""Issue 13: the layouts offices really keep — the official template as printed, title-block lines
with two fields, one sheet per leader or per month, a submitted 调研天数, columns bqw does not know.

Each test writes the file the way the office's tool would (openpyxl, xlwt, a CSV export) and checks
what bqw read: records, cells, and how the sheet was read (Table.layout).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from conftest import run_bqw

from bqw import read_ledger
from bqw.io.header import column_numbers, is_placeholder
from bqw.io.titleblock import sheet_leader, sheet_month, title_fields
from bqw.core.table import DROP_EXAMPLE, DROP_HEADER, SKIP_META, SKIP_TITLE
from bqw.jobs.validate import validate_file

# 附件3 of the 乌塘镇 work plan, as printed: its title, header and example row, verbatim.
TITLE = "2026 年度乌塘镇领导开展“百千万工程”工作挂牌调研督查"
HEADER = ["序号", "调研时间", "调研地点", "调研内容", "调研成效", None, "调研推动解决问题数量(个)", "联系人及联系方式", "备注"]
SUB = [None, None, None, None, "推动xx村解决问题xx个：",
       "1.xx项目(工作)：目前进展情况如何。 2.xx项目(工作)：目前进展情况如何。", None, None, None]
EXAMPLE = ["例", "2024年xx月xx日", "xx村", "xx村xx工作情况。", "xx村加快推进xx工作，要求做什么、怎么做(具体展开)。", None,
           "xxx；电话xxx", None, None]
ROWS = [[1, "2026年10月9日", "乌塘圩村", "调研人居环境整治", "推动乌塘圩村解决问题2个：", "1.村道项目：已完工", 2,
         "陈伟 13812345678", None],
        [2, "10月15日-16日", "边板村", "调研集体经济", "推动边板村解决问题1个：", None, 1, "李强 13912345678", "两天"]]
LEADER_LINE = "挂点领导：张 伟　　协助部门：党政综合办公室"


def official_xlsx(path, leader_line=True):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "调研台账"
    ws.append([TITLE])
    if leader_line:
        ws.append([LEADER_LINE])
    top = ws.max_row + 1
    for row in (HEADER, SUB, EXAMPLE, *ROWS):
        ws.append(row)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=9)
    for c in (1, 2, 3, 4, 7, 8, 9):  # every header cell merged down over both rows …
        ws.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
    ws.merge_cells(start_row=top, start_column=5, end_row=top, end_column=6)  # … but 调研成效, merged across
    wb.save(path)
    return path


def official_csv(path):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in ([TITLE], [LEADER_LINE], HEADER, SUB, EXAMPLE, *ROWS):  # the second header row flattened
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(out.getvalue().encode("gb18030"))
    return path


def official_xls(path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("调研台账")
    ws.write_merge(0, 0, 0, 8, TITLE)
    ws.write(1, 0, LEADER_LINE)
    for c, v in enumerate(HEADER):
        if c == 4:
            ws.write_merge(2, 2, 4, 5, v)
        elif v is not None:
            ws.write_merge(2, 3, c, c, v)
    for c, v in enumerate(SUB):
        if v is not None:
            ws.write(3, c, v)
    for r, row in enumerate((EXAMPLE, *ROWS), start=4):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.save(str(path))
    return path


@pytest.mark.parametrize("make,name", [(official_xlsx, "附件3.xlsx"), (official_csv, "附件3.csv"),
                                       (official_xls, "附件3.xls")])
def test_the_official_template_as_printed_reads_exactly_its_rows(tmp_path, make, name):
    path = make(tmp_path / name)
    r = validate_file(path)
    assert [f.as_tuple() for f in r.findings if f.severity == "error"] == []
    (t,) = r.tables
    header = 3 if name.endswith((".xlsx", ".xls", ".csv")) else 2
    assert t.header_rows == (header, header + 1)  # the placeholders' row is header, never data
    assert list(t.frame.index) == [header + 3, header + 4]
    assert dict(t.dropped) == {header + 2: DROP_EXAMPLE}
    f = t.frame
    assert f["镇领导"].tolist() == ["张伟", "张伟"]  # from the 挂点领导 line, its second field left out
    assert f["调研时间"].tolist() == [dt.datetime(2026, 10, 9), dt.datetime(2026, 10, 15)]
    assert f["调研天数"].tolist() == [1, 2]
    assert f["调研成效"].tolist() == ["推动乌塘圩村解决问题2个：；1.村道项目：已完工", "推动边板村解决问题1个："]
    assert f["推动解决问题数量"].tolist() == [2, 1]
    assert f["填报单位"].tolist() == ["党政综合办公室"] * 2  # 协助部门: the department that reports
    assert t.letters["推动解决问题数量"] == "G" and t.letters["调研成效"] == "E"
    layout = t.layout
    assert layout.context["leader"].value == "张伟" and layout.context["leader"].source == "填报行"
    assert layout.context["period"].value == "2026-10" and layout.context["period"].source == "表中日期"
    assert layout.skipped_rows[:2] == [(1, SKIP_TITLE), (2, SKIP_META)]
    labels = {c.letter: c.label for c in layout.columns}
    assert labels["E"] == "调研成效 › 推动xx村解决问题xx个："


def test_the_official_template_merges_to_exactly_its_rows(tmp_path):
    path = official_xlsx(tmp_path / "附件3：乌塘镇领导挂点调研台账（10月）.xlsx")
    out = tmp_path / "out.xlsx"
    proc = run_bqw("merge", path, "-o", out, "--no-archive", "-q")
    assert proc.returncode == 0, proc.stderr
    ws = openpyxl.load_workbook(out)["挂点调研台账"]
    head = [c.value for c in ws[2]]
    rows = [dict(zip(head, (c.value for c in row))) for row in ws.iter_rows(min_row=3)]
    assert [(x["镇领导"], x["调研地点"], x["推动解决问题数量"], x["调研天数"], x["来源行号"]) for x in rows] == [
        ("张伟", "乌塘圩村", 2, 1, 6), ("张伟", "边板村", 1, 2, 7)]
    assert rows[0]["调研时间"] == dt.datetime(2026, 10, 9)


def test_a_title_block_line_holds_every_field_it_names():
    assert title_fields("挂点领导：张 伟　　协助部门：党政综合办公室") == (
        "", [("挂点领导", "张 伟"), ("协助部门", "党政综合办公室")])
    assert title_fields("填报单位：党政办填报时间：2026年11月3日") == (
        "", [("填报单位", "党政办"), ("填报时间", "2026年11月3日")])
    assert title_fields("填报单位（盖章）：  党政办   联系人：王五 13800000000") == (
        "", [("填报单位", "党政办"), ("联系人", "王五 13800000000")])
    assert title_fields("（2026年10月）") == ("（2026年10月）", [])
    # a time of day is no label
    assert title_fields("报送时间：2026年11月3日 10:30") == ("", [("报送时间", "2026年11月3日 10:30")])


def test_sheet_names_that_are_months_or_leaders():
    assert sheet_month("10月") == (None, 10) and sheet_month("2026年3月") == (2026, 3)
    assert sheet_month("十二月份") == (None, 12) and sheet_month("13月") is None and sheet_month("月报") is None
    assert sheet_leader("王 芳") == "王芳" and sheet_leader("洪文泽") == "洪文泽"
    for name in ("Sheet1", "调研台账", "10月", "汇总", "填表说明", "东坑村", "党政办"):
        assert sheet_leader(name) is None, name


def test_one_sheet_per_leader_the_sheet_name_is_the_leader(tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, village in (("洪文泽", "东坑村"), ("王 芳", "石龙村")):
        ws = wb.create_sheet(name)
        ws.append(["2026年度平安镇领导挂点调研台账（10月）"])
        ws.append(["序号", "调研时间", "调研地点", "调研内容", "推动解决问题数量"])
        ws.append([1, "10月5日", village, "调研", 1])
        ws.append([2, "10月9日", village, "回访", 0])
    path = tmp_path / "平安镇10月汇总.xlsx"
    wb.save(path)
    r = validate_file(path)
    assert [f.as_tuple() for f in r.findings] == []
    assert [(t.sheet, t.frame["镇领导"].tolist()) for t in r.tables] == [
        ("洪文泽", ["洪文泽", "洪文泽"]), ("王 芳", ["王芳", "王芳"])]
    assert r.tables[1].layout.context["leader"].source == "工作表名"


def test_one_sheet_per_month_every_row_in_its_sheets_month(tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for month in range(1, 13):
        ws = wb.create_sheet(f"{month}月")
        ws.append(["2026年度平安镇领导挂点调研台账"])  # no month in the title: the sheet name says it
        ws.append(["挂点领导：洪文泽"])
        ws.append(["序号", "调研时间", "调研地点", "调研内容"])
        if month in (3, 11):
            ws.append([1, f"{month}月5日", "东坑村", "调研"])
            ws.append([2, f"{month}月28日-{month}月29日", "石龙村", "调研"])
    path = tmp_path / "洪文泽2026年挂点调研台账.xlsx"
    wb.save(path)
    r = validate_file(path)
    assert [f.as_tuple() for f in r.findings] == []
    read = {t.sheet: t for t in r.tables}
    assert sorted(read, key=lambda s: int(s[:-1])) == [f"{m}月" for m in range(1, 13)]
    assert read["3月"].frame["期间"].tolist() == ["2026-03", "2026-03"]
    assert read["11月"].frame["调研天数"].tolist() == [1, 2]
    assert read["3月"].layout.context["period"].source == "工作表名"
    assert read["5月"].rows == 0  # only a header


def test_rows_of_placeholders_and_of_labels_are_not_records(xlsx):
    path = xlsx([["序号", "镇领导", "调研时间", "调研地点", "调研内容"],
                 [None, None, "2026年xx月xx日", "xx村", "xx村xx工作情况。"],  # the template's own, no “例”
                 [1, "洪文泽", "2026年10月5日", "东坑村", "调研"],
                 [None, "镇领导", "调研时间", "调研地点", "调研内容"]])  # the header again, its 序号 left out
    t = read_ledger(path).tables[0]
    assert list(t.frame.index) == [3]
    assert dict(t.dropped) == {2: DROP_EXAMPLE, 4: DROP_HEADER}
    assert is_placeholder("推动xx村解决问题xx个：") and is_placeholder("目前进展情况如何。")
    assert not is_placeholder("研究如何推进村道硬化") and not is_placeholder("东坑村")


def test_a_row_numbering_the_columns_belongs_to_the_header(xlsx):
    assert column_numbers([1, 2, 3, 4]) and column_numbers(["①", "②", "③"]) and column_numbers(["(1)", "(2)", "(3)"])
    assert not column_numbers([1, "洪文泽", 3]) and not column_numbers([1, 2]) and not column_numbers([2, 3, 4])
    path = xlsx([["序号", "镇领导", "调研时间", "调研地点", "调研内容"], [1, 2, 3, 4, 5],
                 [1, "洪文泽", "2026年10月5日", "东坑村", "调研"]])
    t = read_ledger(path).tables[0]
    assert t.header_rows == (1, 2) and list(t.frame.index) == [3]


def test_a_submitted_day_count_is_read_and_checked_against_the_dates(xlsx):
    path = xlsx([["序号", "镇领导", "调研时间", "调研天数", "调研地点", "调研内容"],
                 [1, "洪文泽", "2026年10月9日-11日", 2, "东坑村", "调研"],
                 [2, "洪文泽", "2026年10月15日-16日", "2天", "石龙村", "调研"]])
    r = validate_file(path)
    assert [(f.code, f.severity, f.cell) for f in r.findings] == [("visit-days-mismatch", "warning", "D2")]
    assert "按 3 天统计" in r.findings[0].message
    assert r.tables[0].frame["调研天数"].tolist() == [3, 2]  # the dates count


def test_columns_bqw_does_not_know_are_kept_reported_and_merged(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年度平安镇领导挂点调研台账（10月）"])
    ws.append(["序号", "镇领导", "调研时间", "陪同 人员", "调研地点", "调研内容", "照片", "会议名称", None])
    ws.append([1, "洪文泽", "10月9日", "李四、王五", "东坑村", "调研", 3, None, "旁注"])
    ws.append([2, "洪文泽", "10月15日", None, "石龙村", "调研", None, None, None])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    r = validate_file(path)
    assert [(f.code, f.severity, f.cell) for f in r.findings] == [
        ("unknown-column", "info", "D2"), ("unknown-column", "info", "G2"), ("unlabelled-column", "info", "I3")]
    assert r.valid
    (t,) = r.tables
    assert t.frame["陪同人员"].iloc[0] == "李四、王五" and t.frame["照片"].iloc[0] == "3"
    assert t.frame["陪同人员"].isna().tolist() == [False, True] and t.frame["照片"].isna().tolist() == [False, True]
    actions = {c.letter: (c.action, c.canonical) for c in t.layout.columns}
    assert actions["D"] == ("保留", "陪同人员") and actions["H"] == ("忽略", None) and actions["I"] == ("忽略", None)
    out = tmp_path / "m.xlsx"
    assert run_bqw("merge", path, "-o", out, "--no-archive", "-q").returncode == 0
    book = openpyxl.load_workbook(out)
    ws = book["挂点调研台账"]
    head = [c.value for c in ws[2]]
    assert head.index("陪同人员") > head.index("月份") and head.index("照片") == head.index("陪同人员") + 1
    assert ws.cell(3, head.index("陪同人员") + 1).value == "李四、王五"
    notes = [[c.value for c in row] for row in book["合并说明"].iter_rows()]
    at = next(i for i, row in enumerate(notes) if row[0] and row[0].startswith("未识别的列"))
    assert notes[at + 2][:5] == ["t.xlsx", "Sheet", "D", "陪同 人员", "陪同人员"]
    assert notes[at + 3][:5] == ["t.xlsx", "Sheet", "G", "照片", "照片"]


# --- 附件4 as printed, filled in: one village read down the rubric -------------------------------

def rubric_rows(scores: list[float], negatives: list[str], with_total: bool = True):
    """The rubric's rows as the seed prints them (一级指标 | 序号 | 二级指标) with an office's 得分 column."""
    from bqw.ledgers.scores import GROUPS

    rows, merges, n = [], [], 0
    for group, points, maxima in GROUPS:
        first = len(rows)
        for maximum in maxima:
            n += 1
            rows.append([f"{group} ({points}分)" if len(rows) == first else None, n,
                         f"第{n}项指标的内容。（{maximum}分）", scores[n - 1]])
        if len(maxima) > 1:
            merges.append((first, len(maxima)))
    if with_total:
        rows.append(["合计", None, None, sum(scores)])
    return rows, merges


def test_the_printed_rubric_filled_in_is_one_village(tmp_path):
    from bqw.ledgers.scores import ITEM_NAMES, NEGATIVE_NAMES, items

    maxima = [m for _n, _name, m, _g in items()]
    scores = [m - (0.5 if i % 4 == 0 else 0) for i, m in enumerate(maxima)]
    body, groups = rubric_rows(scores, [])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "东坑村"
    ws.append(["广东省“百千万工程”典型村（单个培育类）评价指标"])
    ws.append(["参评村：东 坑 村　　评价年度：2026年"])
    ws.append(["一级指标", "序号", "二级指标", "得分"])
    top = ws.max_row + 1
    for row in body:
        ws.append(row)
    for first, n in groups:
        ws.merge_cells(start_row=top + first, start_column=1, end_row=top + first + n - 1, end_column=1)
    ws.append([])
    ws.append(["广东省“百千万工程”典型村培育负面清单"])
    ws.append(["序号", "清单内容", "是否存在（有/无）"])
    for i in range(1, 9):
        ws.append([i, f"第{i}项负面情形。", "有" if i == 3 else "无"])
    path = tmp_path / "2026年典型村评价.xlsx"
    wb.save(path)
    r = validate_file(path)
    assert [f.as_tuple() for f in r.findings] == []
    (t,) = r.tables
    assert t.kind == "scores" and t.rows == 1
    record = t.frame.iloc[0]
    assert record["村名"] == "东坑村" and record["评价年度"] == 2026
    assert [record[n] for n in ITEM_NAMES] == scores
    assert record["总分"] == sum(scores)
    assert [bool(record[n]) for n in NEGATIVE_NAMES] == [n == "负面3" for n in NEGATIVE_NAMES]
    assert t.cell(None, "指标6") == "D9" and t.cell(None, "总分") == f"D{top + 25}"
    assert t.layout.context["village"].source == "填报行"


def test_a_score_above_its_maximum_is_found_at_its_cell_in_the_printed_rubric(tmp_path):
    from bqw.ledgers.scores import items

    maxima = [m for _n, _name, m, _g in items()]
    scores = list(maxima)
    scores[5] = 9  # item 6: 7 at most
    body, _groups = rubric_rows(scores, [], with_total=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年度东坑村典型村评价得分表"])
    ws.append(["一级指标", "序号", "评价指标", "自评得分"])
    for row in body:
        ws.append(row)
    ws2 = wb.create_sheet("负面清单")
    ws2.append(["序号", "清单内容", "有/无"])
    for i in range(1, 9):
        ws2.append([i, f"第{i}项", "无"])
    path = tmp_path / "东坑村.xlsx"
    wb.save(path)
    r = validate_file(path)
    assert [(f.code, f.sheet, f.cell) for f in r.findings] == [("score-above-max", "Sheet", "D8")]
    record = r.tables[0].frame.iloc[0]
    assert record["村名"] == "东坑村" and record["评价年度"] == 2026 and record["负面8"] == False  # noqa: E712


# --- a workbook of several leaders or months is one submission per leader and month ---------------

def _sheets_workbook(path, sheets: dict[str, list[list]], title="2026年度平安镇领导挂点调研台账（9月）"):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.append([title])
        ws.append(["序号", "调研时间", "调研地点", "调研内容"])
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.mark.heavy  # several seconds: left to make test by make test-fast
def test_a_correction_from_one_leader_replaces_only_his_sheet_of_a_collection(tmp_path):
    """A town's collection (a sheet per leader) then one leader's corrected file: the other leaders'
    rows stay, his are replaced (the collection is one submission per leader and month)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _sheets_workbook(inbox / "平安镇领导挂点调研台账汇总（9月）.xlsx", {
        "洪文泽": [[1, "9月3日", "东坑村", "调研"], [2, "9月9日", "石龙村", "调研"]],
        "李 明": [[1, "9月4日", "下沙村", "调研"]],
        "陈志强": [[1, "9月5日", "塘尾村", "调研"], [2, "9月15日", "鹤岗村", "调研"]]})
    archive = tmp_path / "bqw.db"
    first = run_bqw("merge", inbox, "-o", tmp_path / "m1.xlsx", "--archive", archive, "--format", "json")
    assert first.returncode == 0, first.stderr
    import json

    report = json.loads(first.stdout)
    assert report["new_submissions"] == 3 and report["merged_rows"] == 5
    fix = tmp_path / "fix"
    fix.mkdir()
    _sheets_workbook(fix / "附件3：平安镇领导挂点调研台账（9月）-洪文泽（更正）.xlsx",
                     {"9月": [[1, "9月3日", "东坑村", "调研（更正）"]]})
    second = run_bqw("merge", fix, "-o", tmp_path / "m2.xlsx", "--archive", archive, "--format", "json")
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert [(x["submitter"], x["period"]) for x in report["superseded"]] == [("洪文泽", "2026-09")]
    ws = openpyxl.load_workbook(tmp_path / "m2.xlsx")["挂点调研台账"]
    head = [c.value for c in ws[2]]
    rows = sorted((r[head.index("镇领导")], r[head.index("调研地点")], r[head.index("调研内容")])
                  for r in ws.iter_rows(min_row=3, values_only=True))
    assert rows == [("李明", "下沙村", "调研"), ("洪文泽", "东坑村", "调研（更正）"),
                    ("陈志强", "塘尾村", "调研"), ("陈志强", "鹤岗村", "调研")]


def test_a_whole_year_workbook_is_one_submission_a_month(tmp_path):
    path = _sheets_workbook(tmp_path / "2026年挂点调研台账（全年）-洪文泽.xlsx", {
        "3月": [[1, "3月5日", "东坑村", "调研"]], "4月": [], "10月": [[1, "10月9日", "石龙村", "调研"]]},
        title="2026年度平安镇领导挂点调研台账")
    from bqw.store.archive import Archive
    from bqw.jobs.merge import merge

    with Archive(":memory:") as store:
        result = merge([path], archive=store, as_of=dt.date(2026, 10, 31), workers=1)
        subs = store.submissions(kind="visits")
    assert sorted((s.submitter, s.period, s.rows) for s in subs) == [("洪文泽", "2026-03", 1), ("洪文泽", "2026-10", 1)]
    (outcome,) = result.outcomes
    assert outcome.periods == ["2026-03", "2026-10"] and len(outcome.submission_ids) == 2
    assert result.periods["visits"] == ["2026-03", "2026-10"] and result.merged_rows == 2


def test_the_village_a_score_sheet_is_about():
    from bqw.io.rubric import village_in

    assert village_in("2026年度西湖村典型村评价得分表") == "西湖村"
    assert village_in("西湖村2026年度典型村评价得分表") == "西湖村"  # the year after the village (wild seed 68)
    assert village_in("平安镇西湖村2026年典型村评价") == "西湖村"
    assert village_in("典型村评价得分表（东坑社区）") == "东坑社区"
    assert village_in("2026年典型村评价得分表") is None and village_in("广东省“百千万工程”典型村（单个培育类）评价指标") is None

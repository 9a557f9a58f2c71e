"""Blank templates from the spec (bqw.output.template): layout, drop-downs, and the round trip through the reader."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from bqw.core.findings import ERROR
from bqw.io.reader import read_ledger
from bqw.ledgers import KINDS, get_spec
from bqw.core.table import DROP_EXAMPLE, FROM_FILE, FROM_META
from bqw.ledgers import spec as S
from bqw.output.template import INSTRUCTIONS, family_specs, layout, two_row_header, write_template
from bqw.jobs.validate import validate_file


def first_row(kind: str) -> int:
    """Excel row of the first data row: title, title-block line, header (1 or 2 rows), the example row."""
    return 5 + two_row_header(family_specs(kind)[0])


def sheet_kinds(kind: str) -> list[str]:
    return [s.kind for s in family_specs(kind)]


def validations(ws) -> list:
    return list(ws.data_validations.dataValidation)


def validation_at(ws, ref: str):
    hits = [dv for dv in validations(ws) if ref in dv.sqref]
    assert len(hits) == 1, f"{ref}: {len(hits)} validations"
    return hits[0]


def column_format(ws, col: str):
    """The column's dimension (width, number format); adjacent alike columns are stored as one range."""
    index = openpyxl.utils.column_index_from_string(col)
    (dim,) = [d for d in ws.column_dimensions.values() if d.min <= index <= d.max]
    return dim


def letters(spec: S.LedgerSpec) -> dict[str, list[str]]:
    """Canonical column -> the template's column letters read as it, from the template's layout
    (visits: 附件3 as printed — no 镇领导 column, 调研成效 over two sub-columns)."""
    out: dict[str, list[str]] = {}
    for i, printed in enumerate(layout(spec), start=1):
        out.setdefault(printed.column, []).append(openpyxl.utils.get_column_letter(i))
    return out


def letter(spec: S.LedgerSpec, name: str) -> str:
    """The (first) template column letter of a canonical column."""
    return letters(spec)[name][0]


# --- rows to fill in, per list: canonical column -> value as a person types it ---------------

# The visits template is one leader's ledger: the leader goes on the 挂点领导 line, not in a column.
# 调研成效 is typed in its first sub-column, or (a pair) in both; the reader joins them with “；”.
LEADER_LINE = {"visits": "挂点领导：洪文泽            协助部门：党政办            填报时间：2026年11月3日"}
READ_FROM_LINE = {"visits": {"镇领导": "洪文泽", "填报单位": "党政办"}}
VISITS = [
    {"序号": 1, "调研时间": dt.date(2026, 10, 5), "调研地点": "东坑村",
     "调研内容": "调研人居环境整治情况", "调研成效": ("推动东坑村解决问题2个：", "1.村道硬化项目：资金已落实。"),
     "推动解决问题数量": 2, "联系人及联系方式": "村支书陈伟 13812345678", "备注": "=不是公式"},
    {"序号": 2, "调研时间": "2026年10月15日-16日", "调研地点": "新塘社区",
     "调研内容": "调研村集体经济发展", "推动解决问题数量": 1},
    {"序号": 3, "调研时间": dt.datetime(2026, 10, 20), "调研地点": "石龙村",
     "调研内容": "督导绿美乡村建设", "调研成效": "明确整改时限", "推动解决问题数量": 0,
     "联系人及联系方式": "0758-2212345"},
]
ASSIGNMENTS = [
    {"序号": 1, "镇领导": "洪文泽", "联系行政村": "东坑村、新塘社区、石龙村", "协助部门": "党政办"},
    {"序号": 2, "镇领导": "李明", "联系行政村": "下沙村、上围村", "协助部门": "经发办"},
]
ROSTER = [
    {"序号": 1, "姓名": "洪文泽", "单位": "平安镇党委", "职务": "党委书记", "指挥部职务": "总指挥",
     "联系电话": "13812345678"},
    {"序号": 2, "姓名": "陈志强", "单位": "平安镇党委", "职务": "党委副书记", "指挥部职务": "常务副总指挥",
     "所属专班": "乡村振兴", "联系电话": "13912345678"},
    {"序号": 3, "姓名": "王芳", "单位": "平安镇党委", "职务": "党政办主任", "指挥部职务": "联络员",
     "所属专班": "信息化", "联系电话": "0758-2212345", "备注": "兼任信息员"},
]
PROBLEMS = [
    {"序号": 1, "问题编号": "WT-001", "问题描述": "村道两侧垃圾堆放未及时清理", "问题来源": "督导检查",
     "发现时间": dt.date(2026, 9, 10), "涉及村（社区）": "东坑村"},
    {"序号": 2, "问题编号": "WT-002", "问题描述": "村内公共照明不足", "问题来源": "群众反映",
     "发现时间": dt.date(2026, 9, 20), "涉及村（社区）": "新塘社区"},
]
RESPONSIBILITIES = [
    {"序号": 1, "问题编号": "WT-001", "责任单位": "农业农村办", "责任领导": "洪文泽", "责任人": "李强"},
    {"序号": 2, "问题编号": "WT-002", "责任单位": "规划建设办", "责任领导": "张国华", "责任人": "王芳"},
]
TASKS = [
    {"序号": 1, "任务编号": "RW-001", "问题编号": "WT-001", "任务内容": "组织清理村道两侧垃圾",
     "任务来源": "问题整改", "牵头单位": "农业农村办", "配合单位": "各村委会",
     "完成时限": dt.date(2026, 10, 31), "进展情况": "已清理完毕", "完成状态": "已完成",
     "完成时间": dt.date(2026, 10, 20)},
    {"序号": 2, "任务编号": "RW-002", "问题编号": "WT-002", "任务内容": "加装村内路灯",
     "任务来源": "问题整改", "牵头单位": "规划建设办", "完成时限": dt.date(2026, 11, 30),
     "进展情况": "已完成采购", "完成状态": "推进中"},
    {"序号": 3, "任务编号": "RW-003", "任务内容": "落实镇党委会议议定事项", "任务来源": "会议议定",
     "牵头单位": "党政办", "完成时限": dt.date(2026, 12, 31), "完成状态": "未启动"},
]


def _scores_row(serial, village, minus, negative):
    from bqw.ledgers.scores import ITEM_NAMES, NEGATIVE_NAMES

    spec = get_spec("scores")
    row = {"序号": serial, "村名": village, "评价年度": 2026}
    for name in ITEM_NAMES:
        row[name] = spec.column(name).maximum - minus
    row["总分"] = sum(row[n] for n in ITEM_NAMES)
    for name in NEGATIVE_NAMES:
        row[name] = "有" if name == negative else "无"
    return row


SCORES = [_scores_row(1, "东坑村", 0, None), _scores_row(2, "新塘社区", 0.5, "负面3")]

# finished items with their plans in time: clean whatever day the test runs
DECISIONS = [
    {"序号": 1, "会议名称": "镇党委（扩大）会议", "会议时间": dt.date(2026, 10, 9), "议定事项": "开展“三资”清理",
     "牵头领导": "黄丽娟", "责任单位": "党建办", "完成时限": dt.date(2026, 10, 30),
     "落实计划报送日期": dt.date(2026, 10, 11), "进展情况": "已报送清理台账", "完成状态": "已完成"},
    {"序号": 2, "会议名称": "百千万工程10月调度会", "会议时间": dt.date(2026, 10, 27), "议定事项": "申报典型村培育",
     "责任单位": "社会事务办", "完成时限": dt.date(2026, 11, 20), "落实计划报送日期": dt.date(2026, 10, 27),
     "完成状态": "已完成"},
]

ROWS = {"visits": VISITS, "assignments": ASSIGNMENTS, "roster": ROSTER, "problems": PROBLEMS,
        "responsibilities": RESPONSIBILITIES, "tasks": TASKS, "scores": SCORES, "decisions": DECISIONS}


def fill(template, out, kind: str, rows: dict[str, list[dict]] | None = None, line: str | None = None):
    """Type rows under the example row of each data sheet, as an office would, and the title-block
    line (the visits template's 挂点领导 line: `line`, or LEADER_LINE); save as `out`."""
    wb = openpyxl.load_workbook(template)
    for sub in sheet_kinds(kind):
        spec = get_spec(sub)
        ws = wb[spec.title]
        if line is not None or sub in LEADER_LINE:
            ws["A2"].value = LEADER_LINE[sub] if line is None else line
        where = letters(spec)
        for n, record in enumerate((rows or ROWS)[sub]):
            for name, value in record.items():
                parts = value if isinstance(value, tuple) else (value,)  # a pair: both sub-columns
                for col, part in zip(where[name], parts):
                    cell = ws[f"{col}{first_row(kind) + n}"]
                    cell.value = part
                    if isinstance(part, str):
                        cell.data_type = "s"  # text stays text, even “=…”
    wb.save(out)
    return out


def expected(column: S.Column, value):
    if column.type in (S.DATE, S.DATERANGE):
        if isinstance(value, str):  # “2026年10月15日-16日”: the first day
            return pd.Timestamp(2026, 10, 15)
        return pd.Timestamp(value)
    if column.type == S.YESNO:
        return value == "有"
    if column.type == S.SERIAL:
        return str(value)
    if column.type == S.NUMBER:
        return float(value)
    if isinstance(value, tuple):  # both sub-columns of 调研成效
        return "；".join(value)
    return value


# --- layout ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    return {k: write_template(k, folder / f"{k}.xlsx", year=2026, unit="平安镇") for k in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_template_opens_with_sheets(templates, kind):
    wb = openpyxl.load_workbook(templates[kind])
    assert wb.sheetnames == [get_spec(k).title for k in sheet_kinds(kind)] + [INSTRUCTIONS]
    for sub in sheet_kinds(kind):
        spec = get_spec(sub)
        ws = wb[spec.title]
        width = len(layout(spec))
        # every column has a place, but the visits leader (附件3: on the 挂点领导 line) — in spec order
        assert list(letters(spec)) == [n for n in spec.names if (sub, n) != ("visits", "镇领导")]
        last = openpyxl.utils.get_column_letter(width)
        assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}
        assert ws.max_column == width
        line = "挂点领导：" if sub == "visits" else "填报单位："
        assert ws["A2"].value.startswith(line) and "填报时间：" in ws["A2"].value
        assert ws.freeze_panes == ("C5" if sub == "scores" else "A5" if sub == "visits" else "A4")
        example = first_row(kind) - 1
        assert ws.cell(example, 1).value == "例"
        assert ws.cell(example, 1).font.i  # grey italics
        key = next(k for k in spec.key_columns if k in letters(spec))
        assert ws[f"{letter(spec, key)}{example}"].value is not None
        # every header cell explains what to fill in
        header_rows = (3, 4) if sub in ("visits", "scores") else (3,)
        header = [dv for dv in validations(ws)
                  if all(r.min_row in header_rows and r.max_row in header_rows for r in dv.sqref.ranges)]
        assert len(header) == width
        assert all(dv.type is None for dv in header)
        assert all(dv.promptTitle and dv.prompt for dv in header)
        # text is never a formula
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate


def test_titles(tmp_path):
    wb = openpyxl.load_workbook(write_template("visits", tmp_path / "a.xlsx", year=2026))
    assert wb["挂点调研台账"]["A1"].value == "2026年度××镇领导开展“百千万工程”工作挂点调研台账"
    wb = openpyxl.load_workbook(write_template("visits", tmp_path / "b.xlsx"))
    assert wb["挂点调研台账"]["A1"].value == "____年度××镇领导开展“百千万工程”工作挂点调研台账"
    font = wb["挂点调研台账"]["A1"].font
    assert font.b and font.sz == 16 and font.name in ("方正小标宋简体", "宋体")
    wb = openpyxl.load_workbook(write_template("roster", tmp_path / "c.xlsx", year=2027, unit="平安镇"))
    assert wb["指挥部成员名单"]["A1"].value == "2027年度平安镇“百千万工程”指挥部成员名单"


# 附件3 of the work plan (seeds/003_*.txt) as printed: its two header rows and its example row.
PRINTED_TOP = ["序号", "调研时间", "调研地点", "调研内容", "调研成效", None, "调研推动解决问题数量(个)", "联系人及联系方式",
               "备注"]
PRINTED_SUB = [None, None, None, None, "推动xx村解决问题xx个：",
               "1.xx项目(工作)：目前进展情况如何。 2.xx项目(工作)：目前进展情况如何。", None, None, None]
PRINTED_EXAMPLE = ["例", "2026年xx月xx日", "xx村", "xx村xx工作情况。", "xx村加快推进xx工作，要求做什么、怎么做(具体展开)。",
                   None, None, "xxx；电话xxx", None]


def test_visits_template_is_the_printed_layout(templates):
    ws = openpyxl.load_workbook(templates["visits"])["挂点调研台账"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "挂点领导：            协助部门：            填报时间：    年  月  日"
    assert "A2:I2" in merged
    assert [c.value for c in ws[3]] == PRINTED_TOP
    assert [c.value for c in ws[4]] == PRINTED_SUB
    assert [c.value for c in ws[5]] == PRINTED_EXAMPLE
    assert "E3:F3" in merged  # 调研成效 over its two sub-columns
    for col in "ABCDGHI":
        assert f"{col}3:{col}4" in merged  # every other header cell merged down over both rows
    assert ws.row_dimensions[4].height >= 45  # the long sub-header shows whole
    assert [column_format(ws, c).width for c in "EF"] == [pytest.approx(30, abs=1)] * 2
    assert ws["B3"].font.b and ws["B3"].alignment.horizontal == "center" and ws["B3"].alignment.wrap_text
    assert ws["B3"].border.left.style and ws["B3"].fill.fgColor.rgb not in (None, "00000000")
    assert ws["E4"].font.b and ws["F4"].alignment.wrap_text
    # the year goes into the example date; without one it stays as printed for 2026
    two_seven = openpyxl.load_workbook(write_template("visits", templates["visits"].parent / "y.xlsx", year=2027))
    assert two_seven["挂点调研台账"]["B5"].value == "2027年xx月xx日"
    # input checks per canonical column: the count is a whole number ≥ 0, the date column prompts
    where = letters(get_spec("visits"))
    count, date, effect = where["推动解决问题数量"], where["调研时间"], where["调研成效"]
    assert count == ["G"] and date == ["B"] and effect == ["E", "F"]
    dv = validation_at(ws, "G6")
    assert dv.type == "whole" and dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
    assert validation_at(ws, "G505").type == "whole"
    prompt = validation_at(ws, "G3")
    assert prompt.promptTitle == "推动解决问题数量" and "非负整数" in prompt.prompt
    assert "必填" in validation_at(ws, "B3").prompt and "日期" in validation_at(ws, "B3").prompt
    assert "日期" in validation_at(ws, "B6").prompt
    for col in effect:  # each sub-column: selected at row 4, read as 调研成效
        assert validation_at(ws, f"{col}4").promptTitle == "调研成效"
        assert validation_at(ws, f"{col}6").promptTitle == "调研成效"
    assert column_format(ws, "B").number_format.startswith("yyyy")
    assert column_format(ws, "H").number_format == "@"  # a typed phone number stays text
    assert ws.freeze_panes == "A5" and ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_scores_header(templates):
    ws = openpyxl.load_workbook(templates["scores"])["典型村评价"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["D3"].value == "人居环境（16分）" and "D3:H3" in merged
    assert [ws.cell(4, c).value for c in range(4, 9)] == ["1（3分）", "2（3分）", "3（3分）", "4（3分）", "5（4分）"]
    assert ws["I3"].value == "风貌提升（12分）" and "I3:J3" in merged
    assert ws["I4"].value == "6（7分）" and ws["J4"].value == "7（5分）"
    assert ws["AB3"].value == "农民增收（7分）" and ws["AB4"].value == "25（7分）"
    assert ws["AC3"].value == "总分" and "AC3:AC4" in merged
    assert ws["AD3"].value == "负面清单（有/无）" and "AD3:AK3" in merged
    assert [ws.cell(4, c).value for c in (30, 37)] == ["负面1", "负面8"]
    for col in ("AD", "AG", "AK"):
        dv = validation_at(ws, f"{col}6")
        assert dv.type == "list" and dv.formula1 == '"有,无"'
    dv = validation_at(ws, "I6")  # 指标6: 0..7
    assert dv.type == "decimal" and (dv.formula1, dv.formula2) == ("0", "7")


def test_drop_downs(templates):
    ws = openpyxl.load_workbook(templates["roster"])["指挥部成员名单"]
    spec = get_spec("roster")
    dv = validation_at(ws, f"{letter(spec, '指挥部职务')}5")
    assert dv.type == "list" and dv.formula1 == '"总指挥,第一副总指挥,常务副总指挥,副总指挥,成员,联络员"'
    dv = validation_at(ws, f"{letter(spec, '所属专班')}200")
    assert dv.formula1 == '"镇域经济,城镇建设,乡村振兴,要素保障,政策支持,信息化"'
    assert ws.column_dimensions[letter(spec, "联系电话")].number_format == "@"  # phones stay text

    wb = openpyxl.load_workbook(templates["tasks"])
    tasks = get_spec("tasks")
    ws = wb["任务清单"]
    dv = validation_at(ws, f"{letter(tasks, '完成状态')}5")
    assert dv.type == "list" and dv.formula1 == '"未启动,推进中,已完成"'
    assert validation_at(ws, f"{letter(tasks, '任务来源')}5").formula1 == \
        '"问题整改,会议议定,领导批示,重点项目,为民实事,年度要点"'
    dv = validation_at(ws, f"{letter(tasks, '完成时限')}5")
    assert dv.type == "date" and dv.errorStyle == "warning"
    problems = get_spec("problems")
    dv = validation_at(wb["问题清单"], f"{letter(problems, '问题来源')}5")
    assert dv.formula1 == '"督导检查,调研发现,会议交办,上级通报,群众反映,其他"'


@pytest.mark.parametrize("kind", KINDS)
def test_instructions_sheet(templates, kind):
    ws = openpyxl.load_workbook(templates[kind])[INSTRUCTIONS]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for sub in sheet_kinds(kind):
        spec = get_spec(sub)
        assert spec.title in text
        for c in spec.columns:
            assert c.name in text
            for alias in c.aliases:
                assert alias in text
        for rule in spec.rules:
            from bqw.core.findings import CATALOGUE

            assert CATALOGUE[rule.code].title in text
    assert "列名" in text and "是否必填" in text and "填写要求" in text
    if kind == "visits":  # the leader has no column: the 挂点领导 line, or the file name
        assert "第二行的“挂点领导”“协助部门”“填报时间”请如实填写" in text
        assert "模板不设此列：每份台账只填一位领导，姓名填在表头上方“挂点领导：”之后，或写在文件名中" in text
        assert "调研成效（表头：推动xx村解决问题xx个：／1.xx项目(工作)" in text and "以“；”连接" in text
    else:
        assert "第二行的“填报单位”“填报时间”请如实填写" in text


def test_tasks_is_three_lists(templates):
    wb = openpyxl.load_workbook(templates["tasks"])
    assert wb.sheetnames == ["问题清单", "责任清单", "任务清单", "填表说明"]
    assert wb["任务清单"]["A1"].value == "2026年度平安镇“百千万工程”任务清单"


def test_write_is_atomic_and_overwrites(tmp_path):
    target = tmp_path / "模板.xlsx"
    target.write_bytes(b"old")
    assert write_template("assignments", target) == target
    assert openpyxl.load_workbook(target).sheetnames[0] == "镇领导挂点联系村安排表"
    assert [p.name for p in tmp_path.iterdir()] == ["模板.xlsx"]  # no temporary file left
    folder = tmp_path / "out"
    folder.mkdir()
    path = write_template("visits", folder)
    assert path.parent == folder and path.suffix == ".xlsx" and path.exists()
    with pytest.raises(ValueError):
        write_template("nonsense", tmp_path / "x.xlsx")


# --- round trip through the reader ---------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_blank_template_reads_empty(templates, kind):
    result = read_ledger(templates[kind])
    assert result.kind == kind  # a lone 问题清单/责任清单 is named for what it holds
    assert sorted(t.kind for t in result.tables) == sorted(sheet_kinds(kind))
    assert result.rows == 0
    assert all((DROP_EXAMPLE in {why for _, why in t.dropped}) for t in result.tables)
    assert not result.findings
    assert any(INSTRUCTIONS in note for note in result.notes)


@pytest.mark.parametrize("kind", KINDS)
def test_filled_template_validates_clean(templates, tmp_path, kind):
    filled = fill(templates[kind], tmp_path / f"{kind}-filled.xlsx", kind)
    result = validate_file(filled, kind)
    errors = [(f.code, f.cell, f.message) for f in result.findings if f.severity == ERROR]
    assert errors == []
    assert [f.as_tuple() for f in result.findings] == []  # no warnings either
    assert result.valid
    assert result.rows == sum(len(ROWS[k]) for k in sheet_kinds(kind))
    for sub in sheet_kinds(kind):
        spec = get_spec(sub)
        table = result.table(sub)
        frame = table.frame
        start = first_row(kind)
        assert table.header_rows == ((3, 4) if start == 6 else (3,))
        assert table.dropped == [(start - 1, DROP_EXAMPLE)]  # the example row, and nothing else
        assert list(frame.index) == list(range(start, start + len(ROWS[sub])))
        from_line = READ_FROM_LINE.get(sub, {})
        for n, record in enumerate(ROWS[sub]):
            for name, value in record.items():
                got = frame.at[start + n, name]
                assert got == expected(spec.column(name), value), (sub, name, start + n)
            for name, value in from_line.items():  # the visits leader and unit, from the 挂点领导 line
                assert frame.at[start + n, name] == value, (sub, name, start + n)
            for name in set(spec.names) - set(record) - set(from_line):
                assert pd.isna(frame.at[start + n, name]) or spec.column(name).type == S.YESNO


def test_filled_visits_derived(templates, tmp_path):
    result = validate_file(fill(templates["visits"], tmp_path / "v.xlsx", "visits"), "visits")
    frame = result.table("visits").frame
    assert list(frame["调研天数"]) == [1, 2, 1]
    assert list(frame["月份"]) == ["2026-10"] * 3
    assert frame.at[6, "备注"] == "=不是公式"


def test_filled_visits_one_leader_per_file(templates, tmp_path):
    """Each leader's ledger is its own file from the same template: the leader on the 挂点领导 line,
    or (the line left blank) in the file name as the 填表说明 says."""
    li = [dict(VISITS[0], 调研地点="下沙村", 调研成效="推动下沙村解决问题1个："),
          dict(VISITS[2], 调研地点="上围村", 调研成效=("推动上围村解决问题0个：", "1.河道清理：已完成。"))]
    rows = {"visits": li}
    by_line = fill(templates["visits"], tmp_path / "李明.xlsx", "visits", rows,
                   line="挂点领导：李 明　　协助部门：经发办　　填报时间：2026年11月2日")
    by_name = fill(templates["visits"], tmp_path / "挂点调研台账（10月）-李明.xlsx", "visits", rows,
                   line="挂点领导：            协助部门：            填报时间：    年  月  日")
    for path, source in ((by_line, FROM_META), (by_name, FROM_FILE)):
        result = validate_file(path, "visits")
        assert [f.as_tuple() for f in result.findings] == [], path.name
        (table,) = result.tables
        frame = table.frame
        assert frame["镇领导"].tolist() == ["李明", "李明"]
        assert table.layout.context["leader"].source == source
        assert frame["调研成效"].tolist() == ["推动下沙村解决问题1个：", "推动上围村解决问题0个：；1.河道清理：已完成。"]
        assert frame["调研地点"].tolist() == ["下沙村", "上围村"]
        assert frame["推动解决问题数量"].tolist() == [2, 0]
    assert validate_file(by_line, "visits").tables[0].frame["填报单位"].tolist() == ["经发办"] * 2


def test_filled_visits_bad_count_is_one_finding(templates, tmp_path):
    rows = dict(ROWS)
    rows["visits"] = [dict(VISITS[0]), dict(VISITS[1], 推动解决问题数量="abc"), dict(VISITS[2])]
    filled = fill(templates["visits"], tmp_path / "bad.xlsx", "visits", rows)
    result = validate_file(filled, "visits")
    cell = f"{letter(get_spec('visits'), '推动解决问题数量')}{first_row('visits') + 1}"
    assert [f.as_tuple() for f in result.findings] == [("count-invalid", "挂点调研台账", cell)]
    finding = result.findings[0]
    assert finding.severity == ERROR and "abc" in finding.message
    assert result.rows == 3 and not result.valid


def test_filled_tasks_wrong_status(templates, tmp_path):
    rows = dict(ROWS)
    rows["tasks"] = [dict(TASKS[0], 完成状态="已销号"), dict(TASKS[1], 完成状态="进行中"), dict(TASKS[2])]
    result = validate_file(fill(templates["tasks"], tmp_path / "t.xlsx", "tasks", rows), "tasks")
    assert result.valid
    assert list(result.table("tasks").frame["完成状态"]) == ["已完成", "推进中", "未启动"]
    rows["tasks"] = [dict(TASKS[0], 完成状态="搞定了"), dict(TASKS[1]), dict(TASKS[2])]
    result = validate_file(fill(templates["tasks"], tmp_path / "t2.xlsx", "tasks", rows), "tasks")
    assert [f.as_tuple() for f in result.findings if f.severity == ERROR] == [
        ("enum-invalid", "任务清单", f"{letter(get_spec('tasks'), '完成状态')}5")]

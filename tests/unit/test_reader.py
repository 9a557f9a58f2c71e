"""The reader on every trait of real submissions (docs/ledgers.md, “真实报表的常见情况”)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import VISITS_HEADER, visit_row

from bqw import read_ledger
from bqw.core.table import DROP_BLANK, DROP_EXAMPLE, DROP_FOOTER, DROP_HEADER, DROP_TOTAL

TITLE = "2026年度平安镇领导开展“百千万工程”工作挂点调研台账"


def test_header_found_below_title_and_meta_line(xlsx):
    path = xlsx([[TITLE], ["填报单位：党政办    填报时间：2026年11月3日"], [], VISITS_HEADER,
                 visit_row(1), visit_row(2, when="10月6日")], merges=("A1:H1",))
    r = read_ledger(path)
    assert r.kind == "visits"
    t = r.tables[0]
    assert t.header_rows == (4,)
    assert list(t.frame.index) == [5, 6]  # the frame index is the Excel row
    assert t.meta["unit"] == "党政办"
    assert t.frame["填报单位"].tolist() == ["党政办", "党政办"]
    # “10月6日” takes its year from the title
    assert t.frame.loc[6, "调研时间"] == dt.datetime(2026, 10, 6)
    assert t.letters == {"序号": "A", "镇领导": "B", "调研时间": "C", "调研地点": "D", "调研内容": "E",
                         "推动解决问题数量": "F", "联系人及联系方式": "G", "备注": "H"}
    assert t.frame.loc[5, "来源行号"] == 5 and t.frame.loc[5, "来源工作表"] == "Sheet1"
    assert t.frame.loc[5, "来源文件"] == path.name


def test_two_row_header_with_merged_parent(xlsx):
    header1 = ["序号", "镇领导", "调研时间", "调研地点", "调研内容", "调研成效", None, "备注"]
    header2 = [None, None, None, None, None, "调研推动解决问题数量（个）", "具体成效", None]
    merges = ("F2:G2", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "H2:H3", "A1:H1")
    path = xlsx([[TITLE], header1, header2,
                 [1, "洪文泽", "2026-10-05", "东坑村", "调研", "3个", "修好村道", None]], merges=merges)
    t = read_ledger(path).tables[0]
    assert t.header_rows == (2, 3)
    assert t.letters["推动解决问题数量"] == "F" and t.letters["调研成效"] == "G"
    row = t.frame.loc[4]
    assert row["推动解决问题数量"] == 3 and row["调研成效"] == "修好村道"


@pytest.mark.parametrize("label", ["镇 领 导", "镇领导\n", "挂点领导", "调研领导", "领导姓名", "镇领导（姓名）",
                                   "*镇领导"])
def test_header_aliases_and_normalisation(xlsx, label):
    header = ["序号", label, "调研\n时间", "调研村（社区）", "调研内容", "调研推动解决问题数量(个)",
              "联系人及联系方式"]
    path = xlsx([header, [1, "洪文泽", "2026-10-05", "东坑村", "调研", "３", None]])
    t = read_ledger(path).tables[0]
    assert {"镇领导", "调研时间", "调研地点", "推动解决问题数量"} <= set(t.letters)
    assert t.frame.loc[2, "镇领导"] == "洪文泽"
    assert t.frame.loc[2, "推动解决问题数量"] == 3


def test_full_width_header(xlsx):
    path = xlsx([["序号", "镇领导", "调研时间", "调研地点", "调研内容", "推动解决问题数量（个）"],
                 [1, "洪文泽", "2026.10.5", "东坑村", "调研", "三"]])
    t = read_ledger(path, "visits").tables[0]
    assert t.frame.loc[2, "推动解决问题数量"] == 3


def test_merged_down_leader_and_dropped_rows(xlsx):
    rows = [[TITLE], VISITS_HEADER,
            ["例", "张三", "2026年1月1日", "某村", "示例内容", 1, None, None],
            visit_row(1), visit_row(2, leader=None, when="2026/10/8"), [None] * 8,
            visit_row(3, leader=None, when="10月15日-16日"),
            ["合计", None, None, None, None, 3, None, None],
            ["填报人：王五        审核人：赵六        联系电话：0758-1234567"],
            ["示例", "李四", "2026年1月1日", "某村", "示例", 1, None, None]]
    path = xlsx(rows, merges=("A1:H1", "B4:B7"))
    t = read_ledger(path).tables[0]
    assert list(t.frame.index) == [4, 5, 7]
    assert t.frame["镇领导"].tolist() == ["洪文泽"] * 3
    assert dict(t.dropped) == {3: DROP_EXAMPLE, 6: DROP_BLANK, 8: DROP_TOTAL, 9: DROP_FOOTER, 10: DROP_EXAMPLE}
    assert t.frame.loc[7, "调研天数"] == 2


def test_instruction_and_hidden_sheets_skipped(xlsx):
    path = xlsx([VISITS_HEADER, visit_row()], sheet="台账",
                before={"填表说明": [["序号", "镇领导", "调研时间", "调研地点", "调研内容"], ["说明", "x"]]},
                hidden={"旧表": [VISITS_HEADER, visit_row(), visit_row()]})
    r = read_ledger(path)
    assert [t.sheet for t in r.tables] == ["台账"]
    assert r.rows == 1
    assert any("填表说明" in n for n in r.notes) and any("旧表" in n for n in r.notes)


def test_formula_cached_values_and_dragged_formula(tmp_path):
    import xlsxwriter

    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("台账")
    ws.write_row(0, 0, ["2026年度平安镇挂点调研台账"])
    ws.write_row(2, 0, VISITS_HEADER)
    for i in range(2):
        ws.write_formula(3 + i, 0, "=ROW()-3", None, i + 1)
        ws.write_row(3 + i, 1, visit_row()[1:6])
    for i in range(2, 6):  # the 序号 formula dragged below the data
        ws.write_formula(3 + i, 0, "=ROW()-3", None, i + 1)
    wb.close()
    t = read_ledger(path).tables[0]
    assert list(t.frame.index) == [4, 5]
    assert t.frame["序号"].tolist() == ["1", "2"]
    assert [r for r, why in t.dropped] == [6, 7, 8, 9]


def test_period_and_leader_from_file_name(xlsx):
    path = xlsx([VISITS_HEADER[:1] + VISITS_HEADER[2:],
                 [1, "10月5日", "东坑村", "调研", 1, None, None]],
                name="附件3：2026年度平安镇领导挂点调研台账（10月）-洪文泽（更正）.xlsx")
    r = read_ledger(path)
    assert r.findings == []
    t = r.tables[0]
    assert t.meta["period"] == "2026-10" and t.meta["leader"] == "洪文泽"
    assert t.frame.loc[2, "镇领导"] == "洪文泽"
    assert t.frame.loc[2, "调研时间"] == dt.datetime(2026, 10, 5)


def test_leader_line_and_period_override(xlsx):
    path = xlsx([[TITLE], ["挂点领导：洪  文泽    填报时间：2026年11月3日"], VISITS_HEADER[:1] + VISITS_HEADER[2:],
                 [1, "9月28日", "东坑村", "调研", 1, None, None]], name="台账.xlsx")
    t = read_ledger(path, period="2026-09").tables[0]
    assert t.meta["leader"] == "洪文泽"
    assert t.frame["期间"].tolist() == ["2026-09"]
    assert t.frame.loc[4, "调研时间"] == dt.datetime(2026, 9, 28)


def test_cell_text_cleaning(xlsx):
    path = xlsx([VISITS_HEADER, [1, "洪\u3000文泽", "2026年10月5日", "东坑村\xa0", "调研\r\n人居环境  ", "3个",
                                 None, None]])
    row = read_ledger(path).tables[0].frame.loc[2]
    assert row["镇领导"] == "洪文泽" and row["调研地点"] == "东坑村"
    assert row["调研内容"] == "调研\n人居环境"


def test_serial_number_stored_as_text(xlsx):
    path = xlsx([VISITS_HEADER, visit_row(when="46297")])  # 46297 = 2026-10-02
    t = read_ledger(path).tables[0]
    assert t.frame.loc[2, "调研时间"] == dt.datetime(2026, 10, 2)


def test_csv_utf8_bom_and_gbk(tmp_path):
    text = ",".join(VISITS_HEADER) + "\n1,洪文泽,2026年10月5日,东坑村,调研人居环境,3个,陈伟 13812345678,\n"
    for enc, name in (("utf-8-sig", "a.csv"), ("gbk", "b.csv")):
        p = tmp_path / name
        p.write_bytes(text.encode(enc))
        r = read_ledger(p)
        assert r.kind == "visits" and r.rows == 1, enc
        assert r.tables[0].frame.loc[2, "镇领导"] == "洪文泽"
        assert r.findings == []


def test_xls_old_excel(tmp_path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    ws.write_merge(0, 0, 0, 7, TITLE)
    for c, h in enumerate(VISITS_HEADER):
        ws.write(1, c, h)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate([visit_row(1), visit_row(2)], 2):
        for c, v in enumerate(row):
            if c == 2:
                ws.write(r, c, dt.date(2026, 10, 5 + r), date_style)
            elif v is not None:
                ws.write(r, c, v)
    path = tmp_path / "old.xls"
    wb.save(str(path))
    r = read_ledger(path)
    assert r.kind == "visits" and r.rows == 2
    assert r.tables[0].frame.loc[3, "调研时间"] == dt.datetime(2026, 10, 7)


def test_lock_file_skipped(tmp_path):
    p = tmp_path / "~$台账.xlsx"
    p.write_bytes(b"\x00" * 165)
    r = read_ledger(p)
    assert r.skipped and "临时" in r.skipped and r.findings == []


def test_unrecognisable_sheet_lists_kinds(xlsx):
    r = read_ledger(xlsx([["姓名", "基本工资", "绩效"], ["张三", 3000, 500]]))
    assert [f.code for f in r.findings] == ["no-data-sheet"]
    assert "挂点调研台账（visits）" in r.findings[0].message and "任务编号" in r.findings[0].message


def test_kind_mismatch_names_what_it_looks_like(xlsx):
    r = read_ledger(xlsx([VISITS_HEADER, visit_row()]), "roster")
    assert [f.code for f in r.findings] == ["kind-mismatch"]
    assert "挂点调研台账" in r.findings[0].message


def test_missing_required_column(xlsx):
    r = read_ledger(xlsx([["序号", "镇领导", "调研时间", "调研地点"], [1, "洪文泽", "2026-10-05", "东坑村"]]),
                    "visits")
    codes = [(f.code, f.column, f.cell) for f in r.findings]
    assert codes == [("missing-column", "调研内容", None)]


PROBLEMS = [["问题编号", "问题描述", "问题来源", "发现时间", "涉及村（社区）"],
            ["WT-001", "村道垃圾未清理", "督导检查", "2026年9月1日", "东坑村"],
            ["WT-002", "路灯损坏", "群众反映", "2026年9月5日", "新塘社区"]]
RESPONS = [["问题编号", "责任单位", "责任领导", "责任人"],
           ["WT-001", "农业农村办", "洪文泽", "李强"], ["WT-002", "规划建设办", "王芳", "赵刚"]]
TASKS = [["任务编号", "问题编号", "任务内容", "任务来源", "牵头单位", "完成时限", "进展情况", "完成状态", "完成时间"],
         ["RW-001", "WT-001", "清理垃圾", "问题整改", "农业农村办", "2026年10月1日", "已清理", "已销号", "2026年9月20日"],
         ["RW-002", "WT-001", "建立保洁机制", "问题整改", "农业农村办", "2026年12月31日", "起草中", "进行中", None],
         ["RW-003", "WT-002", "更换路灯", "会议议定", "规划建设办", "2026年10月15日", None, "未启动", None]]


def _records(result):
    out = {}
    for t in result.tables:
        cols = [c for c in t.frame.columns if c not in ("序号", "来源文件", "来源工作表", "来源行号", "填报单位", "期间")]
        out[t.kind] = sorted(map(tuple, t.frame[cols].astype(str).values.tolist()))
    return out


def test_rectification_three_sheets_and_combined_give_same_records(tmp_path):
    import openpyxl

    three = tmp_path / "three.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in (("问题清单", PROBLEMS), ("责任清单", RESPONS), ("任务清单", TASKS)):
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(three)

    combined = tmp_path / "combined.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["平安镇问题整改台账"])
    ws.append(PROBLEMS[0] + RESPONS[0][1:] + TASKS[0][:1] + TASKS[0][2:])
    layout = [(PROBLEMS[1], RESPONS[1], TASKS[1]), (None, None, TASKS[2]), (PROBLEMS[2], RESPONS[2], TASKS[3])]
    for p, resp, task in layout:
        ws.append((p or [None] * 5) + (resp[1:] if resp else [None] * 3) + task[:1] + task[2:])
    for col in "ABCDEFGH":  # problem and responsibility cells merged down over their two tasks
        ws.merge_cells(f"{col}3:{col}4")
    wb.save(combined)

    a, b = read_ledger(three), read_ledger(combined)
    assert a.kind == b.kind == "tasks"
    assert [f.code for f in a.findings] == [] and [f.code for f in b.findings] == []
    assert sorted(t.kind for t in a.tables) == sorted(t.kind for t in b.tables) == sorted(
        ["problems", "responsibilities", "tasks"])
    assert _records(a) == _records(b)
    tasks = b.table("tasks").frame
    assert tasks["完成状态"].tolist() == ["已完成", "推进中", "未启动"]  # synonyms mapped
    assert b.table("problems").frame.index.tolist() == [3, 5]


def test_repeated_header_row_and_same_as_above(xlsx):
    path = xlsx([VISITS_HEADER, visit_row(1), VISITS_HEADER, visit_row(2, leader="同上", village="〃")])
    t = read_ledger(path).tables[0]
    assert list(t.frame.index) == [2, 4]
    assert dict(t.dropped) == {3: DROP_HEADER}
    assert t.frame.loc[4, "镇领导"] == "洪文泽" and t.frame.loc[4, "调研地点"] == "东坑村"


def test_task_list_numbered_by_serial_only(xlsx):
    path = xlsx([["会议议定事项落实情况台账"],
                 ["序号", "议定事项", "牵头单位", "完成时限", "完成状态"],
                 [1, "推进污水管网建设", "规划建设办", "2026年12月31日", "推进中"],
                 [2, "完成农房风貌提升", "农业农村办", "2026年10月31日", "已完成"]])
    r = read_ledger(path)
    assert r.kind == "tasks" and [f.code for f in r.findings] == []
    t = r.table("tasks")
    assert t.frame["任务编号"].tolist() == ["1", "2"] and t.letters["任务编号"] == "A"
    assert t.frame["任务内容"].tolist() == ["推进污水管网建设", "完成农房风貌提升"]
    assert any("序号" in n for n in r.notes)


def test_xlsm_is_read(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    for row in [VISITS_HEADER, visit_row()]:
        wb.active.append(row)
    path = tmp_path / "宏.xlsm"
    wb.save(path)
    assert read_ledger(path).rows == 1


def test_blank_meta_fields_left_as_handed_out(xlsx):
    path = xlsx([[TITLE], ["填报单位：        填报时间：2026年11月3日"], VISITS_HEADER, visit_row()])
    t = read_ledger(path).tables[0]
    assert "unit" not in t.meta and t.meta["filled"] == "2026年11月3日"
    path = xlsx([[TITLE], ["填报单位：党政办   填报时间：    年  月  日"], VISITS_HEADER, visit_row()], name="b.xlsx")
    t = read_ledger(path).tables[0]
    assert t.meta["unit"] == "党政办" and "filled" not in t.meta


def test_whole_year_ledger_has_no_inferred_period(xlsx):
    path = xlsx([["2026年度平安镇挂点调研台账"], VISITS_HEADER, visit_row(1, when="2026年9月5日"),
                 visit_row(2, when="2026年10月5日")])
    r = read_ledger(path)
    assert r.tables[0].meta["period"] is None
    from bqw.jobs.validate import validate

    assert validate(r).findings == []

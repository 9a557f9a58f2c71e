"""The decisions ledger (会议议定事项台账, 004 第10、11条): its rules at exact cells, the clerks' header
wordings, the summary's numbers from a generated sheet, and the 议定事项通报's sentences (0, 1, many)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import openpyxl
import pytest
from docx import Document

from bqw.documents import meetings as M
from bqw.io.reader import read_ledger
from bqw.jobs.validate import validate_file
from bqw.ledgers import Context
from bqw.summary.decisions import summarise_decisions

HEADERS = ["序号", "会议名称", "会议时间", "议定事项", "牵头领导", "责任单位", "完成时限", "落实计划报送日期",
           "进展情况", "完成状态", "备注"]


def sheet(path, rows, headers=HEADERS, title="2026年平安镇会议议定事项台账",
          meta="填报单位：平安镇党政办　　填报时间：2026年10月31日"):
    """A sheet as an office keeps it: title, 填报单位 line, header (row 3), data from row 4."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "议定事项"
    ws.append([title])
    ws.append([meta])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def found(path, as_of=None):
    r = validate_file(path, None, Context(as_of=as_of))
    return r, sorted((f.code, f.cell, f.severity) for f in r.findings if f.code.startswith(("decision-", "required")))


def test_rules_at_their_cells(tmp_path):
    d = date
    rows = [
        [1, "指挥部第5次会议", d(2026, 9, 18), "清理村道垃圾", "陈志强", "农业农村办", d(2026, 10, 15), d(2026, 9, 20),
         "", "已完成", ""],  # plan on the last allowed day, done: nothing
        [2, "指挥部第5次会议", d(2026, 9, 18), "农房风貌提升", "张国华", "规划建设办", d(2026, 10, 20), d(2026, 9, 22),
         "", "推进中", ""],  # plan 2 days late (G5 overdue 11 days as of 10-31)
        [3, "镇党委会议", d(2026, 10, 9), "考核细则", "李明", "党政办", d(2026, 10, 1), d(2026, 10, 10),
         "", "推进中", ""],  # deadline before the meeting (error) — and overdue
        [4, "10月调度会", d(2026, 10, 27), "申报典型村", "刘晓燕", "社会事务办", d(2026, 11, 20), None,
         "", "未启动", ""],  # plan missing: due 10-29, as of 10-31
        [5, "10月调度会", d(2026, 10, 30), "", "刘晓燕", "社会事务办", d(2026, 11, 20), None,
         "", "未启动", ""],  # blank 议定事项; plan not yet due (11-01)
    ]
    path = sheet(tmp_path / "议定.xlsx", rows)
    r, codes = found(path, as_of=d(2026, 10, 31))
    assert codes == [
        ("decision-deadline-before-meeting", "G6", "error"),
        ("decision-overdue", "G5", "warning"),
        ("decision-overdue", "G6", "warning"),
        ("decision-plan-late", "H5", "warning"),
        ("decision-plan-missing", "H7", "warning"),
        ("required", "D8", "error"),
    ]
    msg = {(f.code, f.cell): f.message for f in r.findings}
    assert msg["decision-plan-late", "H5"] == "落实计划于 2026-09-22 报送，会议（2026-09-18）后应两日内报送，晚了 2 天"
    assert msg["decision-overdue", "G5"] == "完成时限 2026-10-20 已过，截至 2026-10-31 仍未完成，逾期 11 天"
    assert msg["decision-plan-missing", "H7"] == "会议（2026-10-27）后应两日内报送落实计划，截至 2026-10-31 已超过期限 2 天仍未填写报送日期"
    assert msg["decision-deadline-before-meeting", "G6"] == "完成时限 2026-10-01 早于会议时间 2026-10-09，请核对"
    # on 10-29 (the due day itself) the missing plan is not yet late
    _r, codes = found(path, as_of=d(2026, 10, 29))
    assert ("decision-plan-missing", "H7", "warning") not in codes


def test_without_as_of_the_sheet_fill_date_is_the_day(tmp_path):
    rows = [[1, "10月调度会", date(2026, 10, 27), "申报典型村", "刘晓燕", "社会事务办", date(2026, 11, 20), None,
             "", "未启动", ""]]
    early = sheet(tmp_path / "a.xlsx", rows, meta="填报单位：党政办　填报时间：2026年10月28日")
    late = sheet(tmp_path / "b.xlsx", rows, meta="填报单位：党政办　填报时间：2026年11月5日")
    assert found(early)[1] == []
    assert found(late)[1] == [("decision-plan-missing", "H4", "warning")]


@pytest.mark.parametrize("wordings", [
    ["序号", "会议", "开会时间", "议定内容", "分管领导", "落实单位", "办结时限", "计划报送时间", "落实情况", "办理状态", "备注"],
    ["序号", "会议纪要", "议定时间", "议定事项内容", "责任领导", "承办单位", "时限要求", "计划报送时间", "进展情况", "状态", "说明"],
    ["序号", "会议名称", "会议时间", "工作事项", "牵头镇领导", "责任单位", "完成时限", "落实计划报送时间", "推进情况",
     "完成状态", "备注"],
])
def test_clerks_wordings_read_as_the_columns(tmp_path, wordings):
    row = [1, "镇党委（扩大）会议", date(2026, 10, 9), "三资清理", "黄丽娟", "党建办", "10月底", "10月10日", "已报送",
           "已办结", ""]
    res = read_ledger(sheet(tmp_path / "x.xlsx", [row], headers=wordings))
    assert res.kind == "decisions"
    frame = res.table("decisions").frame
    assert [c for c in HEADERS if c in frame] == HEADERS
    first = frame.iloc[0]
    assert first["会议名称"] == "镇党委（扩大）会议"  # free text: the full-width brackets kept
    assert first["完成时限"].date() == date(2026, 10, 31) and first["落实计划报送日期"].date() == date(2026, 10, 10)
    assert first["完成状态"] == "已完成" and first["责任单位"] == "党建办" and first["牵头领导"] == "黄丽娟"


def test_three_list_tasks_with_decided_items_still_read_as_tasks(tmp_path):
    """任务来源 “会议议定” in the task list: no meeting columns, so it stays a tasks sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会议议定事项"
    ws.append(["序号", "任务编号", "议定事项", "任务来源", "落实单位", "完成时限", "完成状态"])
    ws.append([1, "RW-1", "清理村道", "会议议定", "农业农村办", date(2026, 10, 31), "推进中"])
    wb.save(tmp_path / "t.xlsx")
    assert read_ledger(tmp_path / "t.xlsx").kind == "tasks"


def test_a_task_list_with_a_decided_item_column_and_a_date_given_is_not_a_decisions_ledger(tmp_path):
    """A combined 整改台账 whose columns read as three of the decisions' four key columns (议定事项, 责任单位,
    完成时限, and 交办日期 once an alias of 会议时间) but has no 会议名称: a decisions ledger is defined by its
    meeting (LedgerSpec.identifying), so it is read as the rectification list it is (wild seed 153)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["No", "整改责任单位", "完成时限", "议定事项", "问题描述", "完成状态", "交办日期", "办理情况"])
    ws.append([1, "农业农村办", date(2026, 10, 31), "清理村道", "村道堆放杂物", "推进中", date(2026, 9, 1), "已清理一半"])
    wb.save(tmp_path / "t.xlsx")
    assert read_ledger(tmp_path / "t.xlsx").kind != "decisions"
    ws.insert_cols(2)
    ws["B1"], ws["B2"] = "会议名称", "镇党委会议"
    wb.save(tmp_path / "m.xlsx")
    assert read_ledger(tmp_path / "m.xlsx").kind == "decisions"


def generated(n_meetings: int, seed: int):
    """A generated list: meetings 10 days apart from 1 Sep, 1–4 items each, plans 0–4 days after the
    meeting or missing, deadlines 10–60 days after, states at random; with the expected counts."""
    import pandas as pd

    rng = random.Random(seed)
    rows = []
    for m in range(n_meetings):
        held = date(2026, 9, 1) + timedelta(days=10 * m)
        for i in range(rng.randint(1, 4)):
            plan = None if rng.random() < 0.2 else held + timedelta(days=rng.randint(0, 4))
            rows.append({"会议名称": f"第{m + 1}次会议", "会议时间": held, "议定事项": f"事项{m + 1}-{i + 1}",
                         "责任单位": rng.choice(["党政办", "农业农村办", "经发办"]),
                         "完成时限": held + timedelta(days=rng.randint(10, 60)), "落实计划报送日期": plan,
                         "完成状态": rng.choice(["未启动", "推进中", "已完成"])})
    frame = pd.DataFrame(rows)
    for c in ("会议时间", "完成时限", "落实计划报送日期"):
        frame[c] = pd.to_datetime(frame[c])
    return rows, frame


def test_summary_numbers_from_a_generated_list():
    as_of = date(2026, 11, 15)
    rows, frame = generated(6, seed=7)
    s = summarise_decisions(frame, as_of=as_of, period="2026-11")
    data = s.to_json()
    open_ = [r for r in rows if r["完成状态"] != "已完成"]
    overdue = [r for r in open_ if r["完成时限"] < as_of]
    late = [r for r in rows if r["落实计划报送日期"] and (r["落实计划报送日期"] - r["会议时间"]).days > 2]
    missing = [r for r in rows if r["落实计划报送日期"] is None and (as_of - r["会议时间"]).days > 2]
    t = data["totals"]
    assert t["meetings"] == 6 and t["items"] == len(rows)
    assert t["completed"] == len(rows) - len(open_)
    assert t["overdue"] == len(overdue) and t["overdue_days"] == sum((as_of - r["完成时限"]).days for r in overdue)
    assert t["plans_late"] == len(late) and t["plans_missing"] == len(missing)
    assert [x["days_late"] for x in data["plans_late"]] == [(r["落实计划报送日期"] - r["会议时间"]).days - 2 for r in late]
    for m in data["meetings"]:
        mine = [r for r in rows if r["会议名称"] == m["meeting"]]
        assert m["items"] == len(mine) and m["date"] == mine[0]["会议时间"].isoformat()
        assert m["overdue"] == sum(r in overdue for r in mine)
        assert m["in_period"] == (mine[0]["会议时间"] >= date(2026, 11, 1))
    for u in data["units"]:
        assert u["items"] == sum(r["责任单位"] == u["unit"] for r in rows)
    assert data["overdue"] == sorted(data["overdue"], key=lambda x: -x["days_overdue"])
    assert data["period"] == "2026-11" and data["period_start"] == "2026-11-01" and data["as_of"] == "2026-11-15"
    names = [t.name for t in s.tables()]
    assert names == ["会议落实情况", "责任单位落实情况", "逾期事项", "落实计划报送", "议定事项明细"]


def _item(unit="规划建设办", item="农房风貌提升", meeting="指挥部第5次会议", day="2026-09-18", **kw):
    return {"unit": unit, "item": item, "meeting": meeting, "meeting_date": day, "leader": "张国华", **kw}


def test_sentences_with_one_and_many():
    one = {"plan_days": 2, "plans_late": [_item(plan_date="2026-09-22", days_late=2)], "plans_missing": [],
           "overdue": [_item(deadline="2026-10-20", days_overdue=11)]}
    assert M.plans_sentence(one) == ("按照会议议定事项须在会后两日内报送落实计划的要求，1项事项的落实计划未按时报送："
                                     "规划建设办“农房风貌提升”（9月18日指挥部第5次会议议定）晚报2天。")
    assert M.overdue_sentence(one) == ("1项事项超过完成时限仍未办结：规划建设办“农房风貌提升”（9月18日指挥部第5次会议议定），"
                                       "完成时限为2026年10月20日，已逾期11天。")
    many = {**one, "plans_missing": [_item(unit="社会事务办", item="申报典型村。", meeting="10月调度会",
                                           day="2026-10-27", days_past_due=2)],
            "overdue": one["overdue"] + [_item(unit="党政办", item="考核细则", deadline="2026-10-25", days_overdue=6)]}
    assert M.plans_sentence(many).endswith("晚报2天；社会事务办“申报典型村”（10月27日10月调度会议定）至今未报送，"
                                           "已超过报送期限2天。")
    assert "2项事项的落实计划未按时报送" in M.plans_sentence(many)
    assert M.overdue_sentence(many).startswith("2项事项超过完成时限仍未办结：")
    assert M.overdue_sentence(many).endswith("；党政办“考核细则”（9月18日指挥部第5次会议议定），完成时限为2026年10月25日，"
                                             "已逾期6天。")


@pytest.mark.parametrize("counts,said", [
    ((1, 1, 0, 0), "已办结"),
    ((3, 3, 0, 0), "均已办结"),
    ((1, 0, 0, 1), "尚未启动"),
    ((4, 1, 2, 1), "已办结1项、正在推进2项、尚未启动1项"),
    ((3, 0, 2, 1), "正在推进2项、尚未启动1项"),
])
def test_states(counts, said):
    n, done, going, idle = counts
    assert M.states({"items": n, "completed": done, "in_progress": going, "not_started": idle}) == said


def test_meeting_sentence():
    base = {"items": 4, "completed": 1, "in_progress": 2, "not_started": 1, "overdue": 0, "max_overdue_days": 0,
            "plans_late": 0, "plans_missing": 0}
    assert M.meeting_sentence(base) == "议定事项4项，已办结1项、正在推进2项、尚未启动1项。"
    assert M.meeting_sentence({**base, "overdue": 1, "max_overdue_days": 11, "plans_late": 2}) == (
        "议定事项4项，已办结1项、正在推进2项、尚未启动1项；其中逾期未办结1项，已逾期11天；落实计划未按时报送2项。")
    assert M.meeting_sentence({**base, "overdue": 2, "max_overdue_days": 11}) == (
        "议定事项4项，已办结1项、正在推进2项、尚未启动1项；其中逾期未办结2项，最长逾期11天。")


def _document(tmp_path, frame, as_of):
    from bqw.documents.source import Source
    from bqw.jobs.config import Config
    from bqw.summary.decisions import DETAIL_TABLE

    cfg = Config(root=tmp_path, unit="平安镇党政办", town="平安镇", doc_prefix="平安百千万办", year=2026)
    s = summarise_decisions(frame, as_of=as_of)
    src = Source(period=as_of.strftime("%Y-%m"), as_of=as_of, meetings=s.to_json(),
                 meeting_rows=next(t.frame for t in s.tables() if t.name == DETAIL_TABLE))
    w = M.build(cfg, src, number=3, day=as_of + timedelta(days=3))
    path = w.save(tmp_path / "议定.docx")
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()], Document(str(path))


def test_document_with_none_open(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"会议名称": ["第1次会议"], "会议时间": pd.to_datetime(["2026-10-09"]),
                          "议定事项": ["三资清理"], "责任单位": ["党建办"], "完成时限": pd.to_datetime(["2026-10-30"]),
                          "落实计划报送日期": pd.to_datetime(["2026-10-10"]), "完成状态": ["已完成"]})
    texts, _doc = _document(tmp_path, frame, date(2026, 10, 31))
    assert "截至2026年10月31日，1次会议议定事项共1项，已办结，办结率100%（详见附件）。" in texts
    assert "（一）第1次会议（10月9日）。议定事项1项，已办结。" in texts
    assert "各项议定事项均按时报送了落实计划，没有逾期或尚未启动的事项。" in texts
    assert not any("补报" in t or "逾期事项要于" in t for t in texts)


def test_document_of_a_generated_list(tmp_path):
    rows, frame = generated(3, seed=11)
    as_of = date(2026, 10, 31)
    texts, doc = _document(tmp_path, frame, as_of)
    data = summarise_decisions(frame, as_of=as_of).to_json()
    for m in data["meetings"]:
        assert any(t.startswith(f"（") and f"{m['meeting']}（" in t and f"议定事项{m['items']}项" in t for t in texts)
    if data["overdue"]:
        x = data["overdue"][0]
        assert any(f"{len(data['overdue'])}项事项超过完成时限仍未办结" in t and f"已逾期{x['days_overdue']}天" in t
                   for t in texts)
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["序号", "会议", "议定事项", "责任单位", "完成时限", "落实计划报送",
                                                     "进展情况", "办理状态"]
    assert len(table.rows) == len(rows) + 1

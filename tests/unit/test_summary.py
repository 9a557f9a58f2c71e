"""bqw.summary (visits, tasks, roster, scores): numbers checked against expectations worked out by hand from the samples.

Each expected number is a literal with the arithmetic beside it; nothing here re-runs the code
under test to get its expectation.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import OCTOBER_FILES

from bqw.summary.common import Summary
from bqw.summary.roster import summarise_roster
from bqw.summary.scores import summarise_scores
from bqw.summary.tasks import summarise_tasks
from bqw.summary.visits import Targets, pace_status, summarise_visits
from bqw.jobs.validate import load_context, validate_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
OCT = SAMPLES / "2026-10"
AS_OF = date(2026, 10, 31)


# --- pace ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("visits, days, targets, month, expected", [
    # month 10, target 5: pace = 5 × 10 / 12 = 4.17
    (5, 5, Targets(), 10, "达标"),  # 5 ≥ 5 and 5 ≥ 5
    (9, 7, Targets(), 10, "达标"),
    (5, 3, Targets(), 10, "滞后"),  # 5 visits but 3 days < 4.17
    (6, 4, Targets(), 10, "滞后"),  # 4 days < 4.17
    (4, 5, Targets(), 10, "滞后"),  # 4 visits < 4.17
    (1, 1, Targets(), 10, "滞后"),
    (0, 0, Targets(), 10, "未开展"),  # nothing this year
    # month 6, target 5: pace = 5 × 6 / 12 = 2.5
    (3, 3, Targets(), 6, "序时推进"),  # 3 ≥ 2.5 both, below 5
    (3, 2, Targets(), 6, "滞后"),  # 2 days < 2.5
    (2, 3, Targets(), 6, "滞后"),  # 2 visits < 2.5
    (4, 7, Targets(), 6, "序时推进"),  # days past the target alone is not 达标
    # boundary: target 6, month 10: pace = 6 × 10 / 12 = 5.0 exactly — equal is on pace
    (5, 5, Targets(6, 6), 10, "序时推进"),
    (5, 4, Targets(6, 6), 10, "滞后"),
    (6, 6, Targets(6, 6), 10, "达标"),
    # month 12: pace = target, so only 达标 is on pace
    (4, 5, Targets(), 12, "滞后"),
    (5, 5, Targets(), 12, "达标"),
    # month 1: pace = 5 / 12 = 0.42
    (1, 1, Targets(), 1, "序时推进"),
    (1, 0, Targets(), 1, "滞后"),  # something done, days 0 < 0.42
    # custom targets: 3 visits, 4 days, month 9: pace 2.25 visits, 3 days
    (3, 3, Targets(3, 4), 9, "序时推进"),  # 3 ≥ 2.25, 3 ≥ 3, not 达标 (3 < 4 days)
    (2, 4, Targets(3, 4), 9, "滞后"),  # 2 < 2.25
])
def test_pace_status(visits, days, targets, month, expected):
    assert pace_status(visits, days, targets, month) == expected


@pytest.mark.parametrize("month", [0, 13])
def test_pace_status_rejects_bad_month(month):
    with pytest.raises(ValueError):
        pace_status(1, 1, Targets(), month)


# --- visits on the October samples -------------------------------------------------------------

@pytest.fixture(scope="module")
def october():
    ctx, _ = load_context("2026-10", SAMPLES / "assignments" / "平安镇领导挂点联系村安排表.xlsx")
    assignments = ctx.assignments
    frames = []
    for name in OCTOBER_FILES:
        result = validate_file(OCT / name, "visits", ctx, "2026-10")
        assert result.valid, name
        frames += [t.frame for t in result.tables]
    visits = pd.concat(frames)
    return summarise_visits(visits, period="2026-10", as_of=AS_OF, assignments=assignments,
                            submitted=set(visits["镇领导"]), expected=set(assignments))


def leader(summary: Summary, name: str) -> dict:
    return next(x for x in summary.to_json()["leaders"] if x["leader"] == name)


def test_visits_per_leader_on_october_samples(october):
    # (visits, days, problems solved) from the rows of each file:
    expected = {
        # 东坑 10-09 (3个), 新塘 10-12 (1, the correction), 石龙 10-19 “10月19日-20日” (2 days, 1),
        # 东坑 10-22 (blank), 新塘 10-27 (2), 新塘 10-30 (2, the added row): 6 visits; 1+1+2+1+1+1 = 7 days;
        # 3+1+1+0+2+2 = 9
        "洪文泽": (6, 7, 9),
        "李明": (4, 4, 6),  # 上围 2, 下沙 0, 上围 3, 下沙 1 = 6; one day each
        "陈志强": (4, 4, 8),  # 鹤岗 “３”, 白石 “三”, 塘尾 2, 鹤岗 blank = 3+3+2 = 8
        "张国华": (3, 4, 4),  # 西湖 “2026.10.8-9” = 2 days + 1 + 1 = 4; 2个 + 2 + blank = 4
        "刘晓燕": (4, 4, 7),  # 3+2+1+1 = 7
        "林海峰": (6, 6, 7),  # 0+1+blank+3+1+2 = 7
        "黄丽娟": (3, 4, 4),  # 长安社区 “10月21日-22日” = 2 days: 1+2+1 = 4; 3+0+1 = 4
        "吴建新": (0, 0, 0),  # did not report
    }
    for name, (visits, days, solved) in expected.items():
        x = leader(october, name)
        assert (x["visits"], x["days"], x["problems_solved"]) == (visits, days, solved), name
        assert (x["ytd_visits"], x["ytd_days"]) == (visits, days), name  # October is all the year holds
    totals = october.to_json()["totals"]
    # visits 6+4+4+3+4+6+3 = 30; days 7+4+4+4+4+6+4 = 33; problems 9+6+8+4+7+7+4 = 45
    assert (totals["visits"], totals["days"], totals["problems_solved"]) == (30, 33, 45)
    assert totals["leaders"] == 7  # everyone but 吴建新
    # 洪文泽 3 + 李明 2 + 陈志强 3 + 黄丽娟 2 + 张国华 2 + 刘晓燕 3 + 林海峰 2 = 17 distinct villages
    assert totals["villages_visited"] == 17


def test_visits_per_village_and_status(october):
    hong = {v["village"]: v for v in leader(october, "洪文泽")["villages"]}
    assert list(hong) == ["东坑村", "新塘社区", "石龙村"]  # the order of the assignments sheet
    assert (hong["东坑村"]["visits"], hong["东坑村"]["days"]) == (2, 2)
    assert (hong["新塘社区"]["visits"], hong["新塘社区"]["days"]) == (3, 3)
    assert (hong["石龙村"]["visits"], hong["石龙村"]["days"]) == (1, 2)  # one two-day visit
    # as of October: pace 4.17; every visited village is below it -> 滞后
    assert {v["status"] for v in hong.values()} == {"滞后"}
    wu = leader(october, "吴建新")
    assert [(v["village"], v["status"]) for v in wu["villages"]] == [("凤凰社区", "未开展"), ("东坑村", "未开展")]
    data = october.to_json()
    # 19 leader-village pairs: 17 visited (all below pace) + 吴建新's 2
    assert data["status_counts"] == {"达标": 0, "序时推进": 0, "滞后": 17, "未开展": 2}
    # 东坑村 is shared with 洪文泽, who visited it; 凤凰社区 nobody visited
    assert data["unvisited_villages"] == ["凤凰社区"]
    assert data["not_submitted"] == ["吴建新"]
    assert data["months"]["洪文泽"] == [0] * 9 + [6, 0, 0]
    assert data["months"]["吴建新"] == [0] * 12
    lead = leader(october, "洪文泽")
    assert (lead["assigned_villages"], lead["target_visits"]) == (3, 15)  # 3 villages × 5


def year_rows(rows):
    """Visit rows (leader, date, village, days, problems) as an accepted-ledger frame."""
    frame = pd.DataFrame(rows, columns=["镇领导", "调研时间", "调研地点", "调研天数", "推动解决问题数量"])
    frame["调研时间"] = pd.to_datetime(frame["调研时间"])
    frame["调研天数"] = frame["调研天数"].astype("Int64")
    frame["推动解决问题数量"] = frame["推动解决问题数量"].astype("Int64")
    frame["月份"] = frame["调研时间"].dt.strftime("%Y-%m")
    return frame


@pytest.fixture
def june():
    visits = year_rows([
        ("甲", "2026-02-10", "A村", 1, 1),
        ("甲", "2026-04-03", "A村", 2, 0),
        ("甲", "2026-06-15", "A", 1, 2),  # “A” is A村
        ("甲", "2026-01-08", "B村", 1, 0),
        ("甲", "2026-02-20", "B村", 1, 1),
        ("甲", "2026-03-09", "B村", 1, 0),
        ("甲", "2026-05-11", "B村", 1, 0),
        ("甲", "2026-06-02", "B村", 1, 3),
        ("甲", "2026-06-20", "E村", 1, None),  # not one of 甲's villages
        ("乙", "2026-03-30", "D村", 1, 1),
        ("乙", "2026-06-25", "D村", 1, 0),
        ("乙", "2025-12-30", "D村", 1, 0),  # last year: not counted
        ("乙", "2026-07-02", "D村", 1, 0),  # after the period: not counted
    ])
    return summarise_visits(visits, period="2026-06", as_of=date(2026, 6, 30),
                            assignments={"甲": ["A村", "B村", "C村"], "乙": ["D村"]},
                            submitted={"甲"}, expected={"甲", "乙", "丙"})


def test_visits_year_to_date_and_statuses(june):
    data = june.to_json()
    assert data["pace_month"] == 6  # pace = 5 × 6 / 12 = 2.5
    jia = {v["village"]: v for v in leader(june, "甲")["villages"]}
    # A村: Feb (1 day), Apr (2 days), Jun (1 day) -> 3 visits, 4 days ≥ 2.5 -> 序时推进; June 1 visit
    assert (jia["A村"]["ytd_visits"], jia["A村"]["ytd_days"], jia["A村"]["status"]) == (3, 4, "序时推进")
    assert (jia["A村"]["visits"], jia["A村"]["days"]) == (1, 1)
    # B村: Jan, Feb, Mar, May, Jun, one day each -> 5 / 5 -> 达标
    assert (jia["B村"]["ytd_visits"], jia["B村"]["ytd_days"], jia["B村"]["status"]) == (5, 5, "达标")
    assert (jia["C村"]["ytd_visits"], jia["C村"]["status"]) == (0, "未开展")
    # E村 is counted for 甲 but flagged
    assert jia["E村"]["assigned"] is False and jia["E村"]["status"] == "非挂点村"
    assert all(jia[v]["assigned"] for v in ("A村", "B村", "C村"))
    jia_total = leader(june, "甲")
    # June: A 1 + B 1 + E 1 = 3 visits, 3 days; problems 2 + 3 + 0 = 5; ytd 3 + 5 + 1 = 9 visits, 4 + 5 + 1 = 10 days
    assert (jia_total["visits"], jia_total["days"], jia_total["problems_solved"]) == (3, 3, 5)
    assert (jia_total["ytd_visits"], jia_total["ytd_days"]) == (9, 10)
    # 乙: D村 Mar + Jun = 2 visits < 2.5 -> 滞后 (2025-12 and 2026-07 left out)
    yi = leader(june, "乙")["villages"][0]
    assert (yi["ytd_visits"], yi["ytd_days"], yi["status"]) == (2, 2, "滞后")
    # months: 甲 Jan 1 (B), Feb 2 (A, B), Mar 1, Apr 1, May 1, Jun 3 (A, B, E)
    assert data["months"]["甲"] == [1, 2, 1, 1, 1, 3, 0, 0, 0, 0, 0, 0]
    assert data["months"]["乙"] == [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert data["unvisited_villages"] == ["C村"]
    assert data["not_submitted"] == ["丙", "乙"]  # sorted(expected - submitted): 丙 U+4E19 < 乙 U+4E59
    assert data["status_counts"] == {"达标": 1, "序时推进": 1, "滞后": 1, "未开展": 1}
    assert len(data["notes"]) == 2  # one row of another year, one after the period


def test_visits_pace_month_follows_as_of():
    visits = year_rows([("甲", "2026-03-01", "A村", 1, 0)] * 2 + [("甲", "2026-04-01", "A村", 1, 0)])
    plan = {"甲": ["A村"]}
    # 3 visits, 3 days. As of April: pace 5 × 4 / 12 = 1.67 -> 序时推进; as of 2027 (year over): 12 -> 滞后
    april = summarise_visits(visits, period="2026-04", as_of=date(2026, 4, 30), assignments=plan)
    assert leader(april, "甲")["villages"][0]["status"] == "序时推进"
    late = summarise_visits(visits, period="2026-04", as_of=date(2027, 1, 5), assignments=plan)
    assert late.to_json()["pace_month"] == 12
    assert leader(late, "甲")["villages"][0]["status"] == "滞后"


def test_visits_without_assignments_or_rows():
    visits = year_rows([("甲", "2026-10-01", "A村", 1, 2)])
    s = summarise_visits(visits, period="2026-10", as_of=AS_OF, assignments=None)
    village = leader(s, "甲")["villages"][0]
    assert village["assigned"] is True and village["status"] == "滞后"
    assert s.to_json()["unvisited_villages"] == [] and s.to_json()["not_submitted"] == []
    empty = summarise_visits(visits.iloc[0:0], period="2026-10", as_of=AS_OF, assignments={"甲": ["A村"]})
    assert empty.to_json()["totals"]["visits"] == 0
    assert leader(empty, "甲")["villages"][0]["status"] == "未开展"
    for bad in ("2026-13", "十月"):  # not a period (2026/10 is one: the same as 2026-10)
        with pytest.raises(ValueError):
            summarise_visits(visits, period=bad, as_of=AS_OF, assignments=None)


# --- tasks -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rectification():
    result = validate_file(SAMPLES / "rectification" / "平安镇问题整改台账（三清单）.xlsx")
    assert result.valid
    return {t.kind: t.frame for t in result.tables}


@pytest.fixture(scope="module")
def tasks_summary(rectification):
    r = rectification
    return summarise_tasks(r["problems"], r["responsibilities"], r["tasks"], as_of=AS_OF)


def test_tasks_overdue_and_late(tasks_summary):
    data = tasks_summary.to_json()
    # overdue as of 2026-10-31 (not 已完成, deadline passed), days = 10-31 minus the deadline:
    # -008-1 08-15: 16 + 30 + 31 = 77; -001-2 09-30: 31; -003-2 10-15: 16; -005-1 10-20: 11
    assert [(x["task_id"], x["days_overdue"]) for x in data["overdue"]] == [
        ("PA2026-008-1", 77), ("PA2026-001-2", 31), ("PA2026-003-2", 16), ("PA2026-005-1", 11)]
    assert data["overdue"][0]["deadline"] == "2026-08-15" and data["overdue"][0]["unit"] == "综合执法办"
    t = data["totals"]
    # 已完成: -001-1, -002-1, -003-1, -004-1, -006-1, -008-2 = 6; 推进中: -001-2, -002-2, -003-2, -004-2,
    # -005-1, -007-1 = 6; 未启动: -003-3, -007-2, -008-1 = 3
    assert (t["tasks"], t["completed"], t["in_progress"], t["not_started"]) == (15, 6, 6, 3)
    assert t["overdue"] == 4
    # finished after the deadline: -002-1 (09-10 > 08-31), -006-1 (10-08 > 09-30); -008-2 on the day is not late
    assert t["completed_late"] == 2
    # 已整改 = every task 已完成: only PA2026-006 (its one task); 1 / 8 = 0.125
    assert (t["problems"], t["problems_rectified"], t["rectification_rate"]) == (8, 1, 0.125)
    # due within 7 days (10-31 … 11-07), not done: -007-1, deadline 10-31 itself (not yet overdue)
    assert [(x["task_id"], x["days_left"]) for x in data["due_soon"]] == [("PA2026-007-1", 0)]
    # 问题整改 -001-1, -002-1, -003-3, -004-1, -005-1, -007-2, -008-1 = 7; 会议议定 -001-2, -003-1, -008-2 = 3;
    # 领导批示 -002-2, -007-1 = 2; 重点项目 -003-2, 为民实事 -006-1, 年度要点 -004-2 = 1 each
    assert data["by_source"] == {"问题整改": 7, "会议议定": 3, "领导批示": 2, "重点项目": 1, "为民实事": 1, "年度要点": 1}


def test_tasks_per_unit(tasks_summary):
    units = {u["unit"]: u for u in tasks_summary.to_json()["units"]}
    agri = units["农业农村办"]
    # 牵头 -001-1 (done), -001-2 (overdue 31), -004-2, -005-1 (overdue 11), -008-2 (done)
    assert (agri["tasks"], agri["completed"], agri["in_progress"], agri["not_started"]) == (5, 2, 3, 0)
    assert (agri["overdue"], agri["overdue_days"], agri["max_overdue_days"]) == (2, 42, 31)  # 31 + 11
    # its tasks belong to problems 001, 004, 005, 008 — none fully done: 0 / 4
    assert (agri["problems"], agri["rectification_rate"]) == (4, 0.0)
    plan = units["规划建设办"]
    # -003-1 (done), -003-2 (overdue 16), -006-1 (done late); problems 003, 006 -> 006 done: 1 / 2
    assert (plan["tasks"], plan["completed"], plan["overdue"], plan["overdue_days"], plan["completed_late"]) == (
        3, 2, 1, 16, 1)
    assert plan["rectification_rate"] == 0.5
    assert units["综合执法办"]["overdue_days"] == 77
    assert sum(u["tasks"] for u in units.values()) == 15  # 5+2+3+1+1+1+1+1
    responsible = {u["unit"]: u for u in tasks_summary.to_json()["responsible_units"]}
    # 责任清单: 规划建设办 answers for 003 (3 tasks) and 006 (1 task) = 4 tasks; 006 rectified: 1 / 2
    r = responsible["规划建设办"]
    assert (r["tasks"], r["completed"], r["in_progress"], r["not_started"], r["rectification_rate"]) == (
        4, 2, 1, 1, 0.5)
    # 农业农村办 answers for 001 (2 tasks) and 005 (1 task): overdue -001-2 and -005-1
    assert (responsible["农业农村办"]["tasks"], responsible["农业农村办"]["overdue"]) == (3, 2)
    assert list(responsible) == ["农业农村办", "自然资源所", "规划建设办", "经发办", "党建办", "综合执法办"]


def test_tasks_combined_sheet_gives_the_same_summary(tasks_summary):
    result = validate_file(SAMPLES / "rectification" / "平安镇问题整改台账（合并）.xlsx")
    r = {t.kind: t.frame for t in result.tables}
    combined = summarise_tasks(r["problems"], r["responsibilities"], r["tasks"], as_of=AS_OF)
    assert combined.to_json() == tasks_summary.to_json()


def test_tasks_recomputes_stale_derived_columns(rectification):
    tasks = rectification["tasks"].copy()
    tasks["是否逾期"] = "否"  # stale values from an older as-of date
    tasks["逾期天数"] = pd.array([None] * len(tasks), dtype="Int64")
    tasks["超期完成"] = "否"
    s = summarise_tasks(rectification["problems"], rectification["responsibilities"], tasks, as_of=AS_OF)
    assert (s.to_json()["totals"]["overdue"], s.to_json()["totals"]["completed_late"]) == (4, 2)
    # a week earlier, as of 10-24: -008-1 overdue 16 + 30 + 24 = 70, -001-2 24, -003-2 (10-15) 9,
    # -005-1 (10-20) 4; -007-1 (10-31 = 10-24 + 7) is due within the week
    earlier = summarise_tasks(None, None, tasks, as_of=date(2026, 10, 24))
    days = {x["task_id"]: x["days_overdue"] for x in earlier.to_json()["overdue"]}
    assert days == {"PA2026-008-1": 70, "PA2026-001-2": 24, "PA2026-003-2": 9, "PA2026-005-1": 4}
    assert [x["task_id"] for x in earlier.to_json()["due_soon"]] == ["PA2026-007-1"]


def test_tasks_plain_meeting_list():
    tasks = pd.DataFrame({
        "任务编号": ["YD-1", "YD-2", "YD-3"],
        "任务内容": ["修订议事规则", "召开村民代表会议", "上报年度总结"],
        "任务来源": ["会议议定", "会议议定", None],
        "牵头单位": ["党政办", "党政办", "经发办"],
        "完成时限": pd.to_datetime(["2026-10-10", "2026-11-03", "2026-12-31"]),
        "完成状态": ["推进中", "未启动", "已销号"],  # 已销号 = 已完成
        "完成时间": pd.to_datetime([None, None, "2026-10-01"]),
    })
    s = summarise_tasks(None, None, tasks, as_of=AS_OF)
    data = s.to_json()
    # no 问题编号 at all: no problems, no rate
    assert (data["totals"]["problems"], data["totals"]["rectification_rate"]) == (0, None)
    assert data["responsible_units"] == []
    assert [(x["task_id"], x["days_overdue"]) for x in data["overdue"]] == [("YD-1", 21)]  # 10-31 − 10-10
    assert [(x["task_id"], x["days_left"]) for x in data["due_soon"]] == [("YD-2", 3)]  # 11-03 − 10-31
    assert data["totals"]["completed"] == 1
    assert data["by_source"] == {"会议议定": 2, "未注明": 1}
    assert {u["unit"]: u["rectification_rate"] for u in data["units"]} == {"党政办": None, "经发办": None}
    empty = summarise_tasks(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), as_of=AS_OF)
    assert empty.to_json()["totals"]["tasks"] == 0


def test_problem_without_tasks_is_not_rectified():
    problems = pd.DataFrame({"问题编号": ["W1", "W2"], "问题描述": ["甲", "乙"]})
    tasks = pd.DataFrame({"任务编号": ["W1-1"], "问题编号": ["W1"], "任务内容": ["整改"], "牵头单位": ["经发办"],
                          "完成时限": pd.to_datetime(["2026-09-30"]), "完成状态": ["已完成"],
                          "完成时间": pd.to_datetime(["2026-09-01"])})
    data = summarise_tasks(problems, None, tasks, as_of=AS_OF).to_json()
    assert (data["totals"]["problems"], data["totals"]["rectification_rate"]) == (2, 0.5)  # W1 done, W2 no tasks


# --- roster ------------------------------------------------------------------------------------

def test_roster_gaps_on_the_error_sample():
    path = next((SAMPLES / "errors").glob("*成员名单（错误示例）.xlsx"))
    frame = validate_file(path).table("roster").frame
    data = summarise_roster(frame).to_json()
    assert data["units_without_liaison"] == ["财政所"]  # 邓丽华 only, no 联络员
    assert data["duplicates"] == [{"name": "郑国栋", "unit": "农业农村办", "count": 2}]
    # 69 rows, 郑国栋 twice -> 68 persons; 14 town units + 18 village committees = 32 units
    assert (data["totals"]["members"], data["totals"]["rows"], data["totals"]["units"]) == (68, 69, 32)
    assert data["by_unit"]["农业农村办"] == 2  # 郑国栋 (once), 林小燕
    assert data["by_unit"]["财政所"] == 1
    assert data["by_unit"]["平安镇党委"] == 5  # 洪文泽, 陈志强, 黄丽娟, 林海峰, 谭文静
    # 信息化: 吴建新, 江涛, 冯子豪; 政策支持: 黄丽娟, 张小红, 陈嘉怡, 罗美玲, 黄晓婷, 邓丽华;
    # no 专班: 洪文泽, 李明, 谭文静, 陈浩然, 黎颖; 乡村振兴: 陈志强, 郑国栋, 林小燕, 孙丽, 吴佳慧 + 18 × 2 villagers
    assert data["by_team"] == {"镇域经济": 3, "城镇建设": 5, "乡村振兴": 41, "要素保障": 5, "政策支持": 6,
                               "信息化": 3, "未分专班": 5}
    assert data["totals"]["teams"] == 6
    assert data["chiefs"] == ["洪文泽", "李明"]  # the sample's second 总指挥


def test_roster_clean_sample_has_no_gaps():
    frame = validate_file(SAMPLES / "roster" / "平安镇百千万工程指挥部成员名单.xlsx").table("roster").frame
    data = summarise_roster(frame).to_json()
    assert data["units_without_liaison"] == [] and data["duplicates"] == []
    assert data["totals"]["members"] == 69  # the error sample's 68 + 邝慧敏 (财政所 联络员)


# --- scores ------------------------------------------------------------------------------------

def test_scores_veto_and_ranking():
    frame = validate_file(SAMPLES / "scores" / "2026年典型村评价得分表.xlsx").table("scores").frame
    data = summarise_scores(frame).to_json()
    villages = {v["village"]: v for v in data["villages"]}
    he = villages["鹤岗村"]
    # 鹤岗村: 3+3+2.5+2+3 + 6.5+5 + 3+3+4 + 5+4.5+4.5 + 3+3.5+4 + 4+4 + 2.5+3+3+0.5 + 3+5 + 7 = 91.5
    assert he["total"] == 91.5 and he["veto"] is True
    assert he["reaches_standard"] is False and he["rank"] is None  # vetoed: 不予排名, despite 91.5
    # the sample's 鹤岗村 has 负面清单 item 3 “有” (its 备注: 存在违法用地问题)
    assert he["veto_reasons"] == ["负面清单第3项：违反耕地和永久基本农田、生态保护红线和城镇开发边界管控要求"]
    # 东坑村 groups: 2+2.5+3+1.5+4 = 13; 7+4.5 = 11.5; 2.5+3+4 = 9.5; 15; 4+4+3 = 11; 8; 3+2.5+3+1.5 = 10;
    # 2.5+5 = 7.5; 7 — total 92.5
    dk = villages["东坑村"]
    assert dk["groups"] == {"人居环境": 13.0, "风貌提升": 11.5, "绿美建设": 9.5, "生产生活设施": 15.0, "公共服务": 11.0,
                            "乡风文明": 8.0, "乡村治理": 10.0, "集体经济": 7.5, "农民增收": 7.0}
    assert dk["total"] == 92.5
    # ranking of the others: 东坑 92.5, 高埔 91.5, 大岭 89.5, 石龙 88, 新塘社区 85
    assert [(v["village"], v["rank"]) for v in data["villages"]] == [
        ("东坑村", 1), ("高埔村", 2), ("大岭村", 3), ("石龙村", 4), ("新塘社区", 5), ("鹤岗村", None)]
    summary = summarise_scores(frame)
    table = summary.tables()[0].frame
    row = table[table["村名"] == "鹤岗村"].iloc[0]
    assert (row["排名"], row["一票否决"], row["评价结果"]) == ("不予排名", "是", "一票否决")
    assert row["否决原因"].startswith("负面清单第3项：违反耕地")
    assert summary.highlights[1] == ("一票否决（不予排名）：鹤岗村（91.5 分，负面清单第3项：违反耕地和永久基本农田、"
                                     "生态保护红线和城镇开发边界管控要求）。")
    assert [v["reaches_standard"] for v in data["villages"]] == [True] * 5 + [False]
    assert data["standard"] == 80.0
    strict = summarise_scores(frame, standard=90).to_json()
    assert [v["village"] for v in strict["villages"] if v["reaches_standard"]] == ["东坑村", "高埔村"]


def test_scores_ties_share_a_rank():
    items = {f"指标{i}": [0.0, 0.0, 0.0] for i in range(1, 26)}
    items["指标25"] = [7.0, 7.0, 5.0]
    frame = pd.DataFrame({"村名": ["甲村", "乙村", "丙村"], **items,
                          **{f"负面{i}": [False, False, False] for i in range(1, 9)}})
    data = summarise_scores(frame).to_json()
    assert [(v["village"], v["rank"]) for v in data["villages"]] == [("甲村", 1), ("乙村", 1), ("丙村", 3)]


# --- any period: a week, a quarter, a half, the year; pace also when the period has no visits (issue 17) ------

@pytest.fixture
def autumn():
    return year_rows([
        ("甲", "2026-07-06", "A村", 1, 1),
        ("甲", "2026-08-20", "A村", 2, 0),
        ("甲", "2026-09-30", "B村", 1, 0),
        ("乙", "2026-10-27", "C村", 1, 3),  # Tuesday of ISO week 44 (26 Oct – 1 Nov)
        ("乙", "2026-11-01", "C村", 1, 0),  # Sunday of week 44, in November
        ("乙", "2026-11-02", "C村", 1, 0),  # Monday of week 45
    ])


PLAN = {"甲": ["A村", "B村"], "乙": ["C村", "D村"]}


def test_quarter_counts_its_three_months_and_the_year_to_its_end(autumn):
    q3 = summarise_visits(autumn, period="2026-Q3", as_of=date(2026, 9, 30), assignments=PLAN).to_json()
    assert (q3["period"], q3["period_label"], q3["period_start"], q3["period_end"]) == (
        "2026-Q3", "2026年第三季度", "2026-07-01", "2026-09-30")
    assert q3["totals"]["visits"] == 3 and q3["totals"]["days"] == 4
    assert q3["totals"]["ytd_visits"] == 3  # the later visits are not counted
    assert q3["pace"] == {"month": 9, "visits": 4, "days": 4}  # 5 × 9 ÷ 12 = 3.75 → at least 4
    a = next(v for v in leader_of(q3, "甲")["villages"] if v["village"] == "A村")
    assert (a["ytd_visits"], a["ytd_days"], a["needed_visits"], a["needed_days"]) == (2, 3, 3, 2)


def test_week_counts_its_days_across_the_month_end(autumn):
    w44 = summarise_visits(autumn, period="2026-W44", as_of=date(2026, 11, 1), assignments=PLAN)
    data = w44.to_json()
    assert data["period_months"] == ["2026-10", "2026-11"]
    assert data["totals"]["visits"] == 2  # 27 Oct and 1 Nov, not 2 Nov
    assert data["totals"]["ytd_visits"] == 5  # up to Sunday 1 Nov
    assert w44.title == "2026年第44周挂点调研情况"
    assert any(t.name == "挂点村进度" and "本周调研次数" in t.frame.columns for t in w44.tables())


def test_a_month_without_visits_keeps_every_leader_and_the_pace(autumn):
    december = summarise_visits(autumn, period="2026-12", as_of=date(2026, 12, 31), assignments=PLAN)
    data = december.to_json()
    assert data["totals"]["visits"] == 0 and data["totals"]["ytd_visits"] == 6
    assert [x["leader"] for x in data["leaders"]] == ["甲", "乙"]
    villages = {v["village"]: v for x in data["leaders"] for v in x["villages"]}
    assert set(villages) == {"A村", "B村", "C村", "D村"}
    assert villages["C村"]["status"] == "滞后" and villages["C村"]["needed_visits"] == 2
    assert villages["D村"]["status"] == "未开展" and villages["D村"]["needed_days"] == 5
    assert "按12月序时进度每村应不少于 5 次、5 天" in december.highlights[1]


def test_year_and_half(autumn):
    year = summarise_visits(autumn, period="2026", as_of=date(2026, 12, 31), assignments=PLAN).to_json()
    assert year["totals"]["visits"] == year["totals"]["ytd_visits"] == 6
    h1 = summarise_visits(autumn, period="2026-H1", as_of=date(2026, 6, 30), assignments=PLAN).to_json()
    assert h1["totals"]["ytd_visits"] == 0 and h1["status_counts"]["未开展"] == 4


def test_no_fraction_in_the_pace_sentences(autumn):
    for period, as_of in (("2026-10", date(2026, 10, 31)), ("2026-Q3", date(2026, 9, 30)), ("2026-W44", date(2026, 11, 1))):
        s = summarise_visits(autumn, period=period, as_of=as_of, assignments=PLAN)
        text = "".join(s.highlights) + "".join(t.title for t in s.tables())
        assert not any(ch == "." for ch in text.replace("...", "")), text


def leader_of(data: dict, name: str) -> dict:
    return next(x for x in data["leaders"] if x["leader"] == name)

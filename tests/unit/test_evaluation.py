"""年考评 and 季推进 (bqw.summary.evaluation, bqw.summary.progress): numbers from generated task lists and
visits, the unit's own-task 整改完成率, the proposal thresholds at their boundaries, vetoed villages."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import pytest

from fixtures.year import year  # noqa: F401  (the session fixture)

from bqw.summary.evaluation import INTERVIEW, LISTING, PRAISE, Rules, judge, proposals, summarise_evaluation
from bqw.summary.progress import summarise_progress
from bqw.summary.scores import summarise_scores
from bqw.summary.tasks import summarise_tasks
from bqw.summary.visits import summarise_visits

YEAR_END = date(2026, 12, 31)
UNITS = ["农业农村办", "规划建设办", "综治办", "财政所", "社会事务办"]


# --- generated task lists ------------------------------------------------------------------------

@dataclass
class Planned:
    """One generated task and what it was made to be."""

    task_id: str
    problem: str | None
    unit: str
    outcome: str  # on_time | late | overdue | pending
    deadline: date
    finished: date | None

    @property
    def done(self) -> bool:
        return self.outcome in ("on_time", "late")


def generate_tasks(seed: int, as_of: date, n: int = 60) -> list[Planned]:
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        outcome = rng.choice(["on_time", "late", "overdue", "pending"])
        if outcome == "pending":
            deadline = as_of + timedelta(days=rng.randint(0, 90))  # due on the as-of day: not yet overdue
        else:
            deadline = date(as_of.year, 1, 1) + timedelta(days=rng.randint(0, (as_of - date(as_of.year, 1, 1)).days - 40))
        finished = {"on_time": deadline - timedelta(days=rng.randint(0, 20)),
                    "late": deadline + timedelta(days=rng.randint(1, 30))}.get(outcome)
        problem = None if rng.random() < 0.2 else f"WT{rng.randint(1, 15):03d}"
        out.append(Planned(f"RW{i:03d}", problem, rng.choice(UNITS), outcome, deadline, finished))
    return out


def task_frame(planned: list[Planned], rng_seed: int = 0) -> pd.DataFrame:
    rng = random.Random(rng_seed)
    return pd.DataFrame({
        "任务编号": [p.task_id for p in planned], "问题编号": [p.problem for p in planned],
        "牵头单位": [p.unit for p in planned],
        "完成时限": [p.deadline.isoformat() for p in planned],
        "完成状态": ["已完成" if p.done else rng.choice(["推进中", "未启动"]) for p in planned],
        "完成时间": [p.finished.isoformat() if p.finished else None for p in planned]})


def evaluate(planned, as_of=YEAR_END, responsibilities=None, rules=Rules(), visits=None, scores=None):
    frame = task_frame(planned)
    tasks = summarise_tasks(None, responsibilities, frame, as_of=as_of)
    return summarise_evaluation(period="2026", as_of=as_of, visits=visits, tasks=tasks,
                                responsibilities=responsibilities, scores=scores, rules=rules)


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_on_time_late_overdue_per_unit_match_the_generator(seed):
    as_of = date(2026, 11, 30)
    planned = generate_tasks(seed, as_of)
    data = evaluate(planned, as_of=as_of).to_json()
    rows = {u["unit"]: u for u in data["units"] if u["role"] == "牵头单位"}
    assert set(rows) == {p.unit for p in planned}
    for unit, row in rows.items():
        mine = [p for p in planned if p.unit == unit]
        expected = {k: sum(p.outcome == k for p in mine) for k in ("on_time", "late", "overdue", "pending")}
        assert {k: row[k] for k in expected} == expected, unit
        assert row["tasks"] == len(mine)
        longest = max(((as_of - p.deadline).days for p in mine if p.outcome == "overdue"), default=0)
        assert row["max_overdue_days"] == longest
    totals = data["totals"]
    assert (totals["on_time"], totals["late"], totals["overdue"], totals["pending"]) == tuple(
        sum(p.outcome == k for p in planned) for k in ("on_time", "late", "overdue", "pending"))


@pytest.mark.parametrize("seed", [3, 11])
def test_rectification_rate_counts_the_units_own_tasks(seed):
    planned = generate_tasks(seed, YEAR_END)
    data = evaluate(planned).to_json()
    for row in (u for u in data["units"] if u["role"] == "牵头单位"):
        mine = [p for p in planned if p.unit == row["unit"]]
        items: dict[str, list[Planned]] = {}
        for p in mine:  # a problem, or a task of no problem on its own
            items.setdefault(p.problem or f"task {p.task_id}", []).append(p)
        # an item counts once rectified or one of its tasks has fallen due (pending ones due later do not)
        due = [v for v in items.values() if all(p.done for p in v) or any(p.deadline <= YEAR_END for p in v)]
        assert row["items"] == len(due)
        assert row["items_not_due"] == len(items) - len(due)
        assert row["items_rectified"] == sum(all(p.done for p in v) for v in items.values())


def test_own_tasks_not_the_whole_problem():
    """WT001 has a task of 农业农村办 (done) and one of 规划建设办 (open): 农业农村办's part is rectified."""
    planned = [Planned("RW1", "WT001", "农业农村办", "on_time", date(2026, 3, 31), date(2026, 3, 20)),
               Planned("RW2", "WT001", "规划建设办", "overdue", date(2026, 3, 31), None),
               Planned("RW3", "WT002", "规划建设办", "on_time", date(2026, 6, 30), date(2026, 6, 1))]
    resp = pd.DataFrame({"问题编号": ["WT001", "WT001", "WT002"], "责任单位": ["农业农村办", "综治办", "综治办"]})
    data = evaluate(planned, responsibilities=resp).to_json()
    rows = {(u["role"], u["unit"]): u for u in data["units"]}
    assert (rows["牵头单位", "农业农村办"]["items_rectified"], rows["牵头单位", "农业农村办"]["items"]) == (1, 1)
    assert (rows["牵头单位", "规划建设办"]["items_rectified"], rows["牵头单位", "规划建设办"]["items"]) == (1, 2)
    # as 责任单位, 农业农村办 answers for WT001 with the task it leads (RW1), not with 规划建设办's RW2
    assert (rows["责任单位", "农业农村办"]["tasks"], rows["责任单位", "农业农村办"]["rectification_rate"]) == (1, 1.0)
    # 综治办 leads none of WT001's and WT002's tasks: it answers for the whole problems
    zz = rows["责任单位", "综治办"]
    assert (zz["tasks"], zz["items"], zz["items_rectified"], zz["overdue"]) == (3, 2, 1, 1)
    # the tasks summary of the month still counts WT001 as unrectified for 农业农村办 (the whole problem)
    month = summarise_tasks(None, resp, task_frame(planned), as_of=YEAR_END).to_json()
    assert next(u for u in month["units"] if u["unit"] == "农业农村办")["rectification_rate"] == 0.0


def test_overdue_month_ends_and_the_run():
    # overdue from 1 April (deadline 31 March) until done on 10 July: overdue at the ends of April, May, June
    planned = [Planned("RW1", "WT001", "财政所", "late", date(2026, 3, 31), date(2026, 7, 10)),
               Planned("RW2", "WT002", "财政所", "overdue", date(2026, 11, 15), None)]
    row = evaluate(planned).to_json()["units"][0]
    assert row["overdue_month_ends"] == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1]
    assert (row["overdue_run"], row["overdue_run_months"]) == (3, [4, 6])


# --- the proposal at its boundaries ---------------------------------------------------------------

def unit(rectified: int, items: int = 20, overdue: int = 0, overdue_long: int = 0, run: int = 0,
         max_days: int = 0, role: str = "牵头单位", name: str = "甲办") -> dict:
    return {"unit": name, "role": role, "items": items, "items_rectified": rectified,
            "rectification_rate": round(rectified / items, 4) if items else None, "overdue": overdue,
            "overdue_long": overdue_long, "max_overdue_days": max_days, "overdue_run": run,
            "overdue_run_months": [10 - run + 1, 10] if run else []}


@pytest.mark.parametrize("rectified, expected", [
    (20, PRAISE), (19, PRAISE),  # 95 % is “不低于 95 %”
    (18, None), (12, None),  # 90 %, 60 %: no proposal (60 % is not below 60 %)
    (11, INTERVIEW), (8, INTERVIEW),  # 55 %, 40 % (not below 40 %)
    (7, LISTING), (0, LISTING),  # 35 %, 0 %
])
def test_rate_thresholds(rectified, expected):
    assert judge(unit(rectified), Rules())[0] == expected


def test_reasons_are_said():
    assert judge(unit(19), Rules()) == (PRAISE, ["整改完成率95%（19/20），不低于95%，无逾期事项"])
    assert judge(unit(11), Rules()) == (INTERVIEW, ["整改完成率55%（11/20），低于60%"])
    assert judge(unit(7), Rules()) == (LISTING, ["整改完成率35%（7/20），低于40%"])
    assert judge(unit(20, overdue=1, overdue_long=1, max_days=45), Rules()) == (
        INTERVIEW, ["1项事项逾期满30天（最长逾期45天）"])
    assert judge(unit(20, overdue=1, run=3), Rules()) == (LISTING, ["连续3个月末有逾期未办结事项（8月至10月）"])


def test_overdue_and_settings_move_the_proposal():
    assert judge(unit(20, overdue=1), Rules())[0] is None  # 100 % but an item overdue: no praise
    assert judge(unit(20, overdue=1, run=2), Rules())[0] is None  # two months: below listing_months
    assert judge(unit(20, overdue=1, run=2), Rules(listing_months=2))[0] == LISTING
    assert judge(unit(18), Rules(praise_rate=90))[0] == PRAISE
    assert judge(unit(12), Rules(interview_rate=65))[0] == INTERVIEW
    assert judge(unit(0, items=0), Rules())[0] is None  # nothing to rectify: nothing to judge by rate


def test_proposals_merge_a_units_roles():
    units = [unit(20, name="甲办"), unit(10, role="责任单位", name="甲办"), unit(20, name="乙办"),
             unit(19, role="责任单位", name="乙办"), unit(5, name="丙办")]
    out = proposals(units, Rules())
    assert [(x["unit"], x["proposal"]) for x in out] == [("丙办", LISTING), ("甲办", INTERVIEW), ("乙办", PRAISE)]
    assert out[1]["reasons"] == ["整改完成率50%（10/20），低于60%"]  # one role's reasons: no prefix
    one_role_only = proposals([unit(20, name="丁办"), unit(15, role="责任单位", name="丁办")], Rules())
    assert one_role_only == []  # 牵头 praised, 责任 at 75 %: no praise


# --- leaders and villages ------------------------------------------------------------------------

def visits_json(rows, assignments, as_of=YEAR_END):
    frame = pd.DataFrame([{"镇领导": a, "调研地点": b, "调研天数": d, "月份": m} for a, b, d, m in rows])
    return summarise_visits(frame, period="2026", as_of=as_of, assignments=assignments).to_json()


def test_leaders_against_the_target_per_village_and_per_leader():
    rows = [("洪文泽", "东坑村", 1, f"2026-{m:02d}") for m in (1, 3, 5, 7, 9)] + [
        ("洪文泽", "大岭村", 2, "2026-04"), ("洪文泽", "大岭村", 2, "2026-10"),
        ("陈伟", "石龙村", 1, "2026-06")]
    v = visits_json(rows, {"洪文泽": ["东坑村", "大岭村"], "陈伟": ["石龙村"], "李明": ["高埔村"]})
    data = summarise_evaluation(period="2026", as_of=YEAR_END, visits=v, tasks=None, scores=None).to_json()
    leaders = {x["leader"]: x for x in data["leaders"]}
    hong = leaders["洪文泽"]
    assert [(x["village"], x["visits"], x["days"], x["passed"]) for x in hong["villages"]] == [
        ("东坑村", 5, 5, True), ("大岭村", 2, 4, False)]
    assert (hong["target_visits"], hong["target_days"], hong["passed"]) == (10, 10, False)
    assert (leaders["李明"]["visits"], leaders["李明"]["passed"]) == (0, False)
    assert (data["totals"]["leaders_passed"], data["totals"]["leaders_failed"]) == (0, 3)
    per_leader = summarise_evaluation(period="2026", as_of=YEAR_END, visits=v, tasks=None, scores=None,
                                      rules=Rules(unit="leader")).to_json()
    hong = next(x for x in per_leader["leaders"] if x["leader"] == "洪文泽")
    assert (hong["visits"], hong["days"], hong["target_visits"], hong["passed"]) == (7, 9, 5, True)
    summary = summarise_evaluation(period="2026", as_of=YEAR_END, visits=v, tasks=None, scores=None)
    assert summary.highlights[0] == ("2026年挂点调研（每个挂点村不少于5次、5天）：3名镇领导中达标0名，"
                                     "未达标3名：洪文泽、陈伟、李明。")
    table = summary.tables()[0].frame
    assert table.iloc[0].tolist() == ["洪文泽", "东坑村", 5, 5, 5, 5, "达标"]


def scores_frame(names, totals, vetoes):
    items = {f"指标{i}": [0.0] * len(names) for i in range(1, 26)}
    items["指标25"] = [float(t) for t in totals]
    neg = {f"负面{i}": [i == 4 and v for v in vetoes] for i in range(1, 9)}
    return pd.DataFrame({"村名": names, **items, **neg})


def test_vetoed_village_is_not_ranked_and_the_veto_named():
    scores = summarise_scores(scores_frame(["甲村", "乙村", "丙村"], [7, 6, 7], [False, False, True])).to_json()
    summary = summarise_evaluation(period="2026", as_of=YEAR_END, visits=None, tasks=None, scores=scores)
    data = summary.to_json()
    assert [(v["village"], v["rank"], v["veto"]) for v in data["villages"]] == [
        ("甲村", 1, False), ("乙村", 2, False), ("丙村", None, True)]
    assert data["villages"][2]["veto_reasons"][0].startswith("负面清单第4项：")
    table = next(t for t in summary.tables() if t.name == "典型村考评").frame
    assert table.iloc[2][["排名", "村名", "一票否决", "评价结果"]].tolist() == ["不予排名", "丙村", "是", "一票否决"]
    assert summary.highlights[-1].startswith("典型村3个，达标0个；一票否决、不予排名：丙村（负面清单第4项：")


def test_proposal_table_is_titled_as_a_proposal():
    planned = [Planned("RW1", "WT001", "财政所", "on_time", date(2026, 3, 1), date(2026, 2, 1)),
               Planned("RW2", "WT002", "综治办", "overdue", date(2026, 1, 31), None)]
    summary = evaluate(planned)
    table = next(t for t in summary.tables() if t.name == "考评结果建议")
    assert table.title == "2026年考评结果建议（报指挥部审定）"
    assert table.frame.values.tolist() == [
        [1, "综治办", "建议挂牌整治", "整改完成率0%（0/1），低于40%；连续11个月末有逾期未办结事项（2月至12月）"],
        [2, "财政所", "建议表扬", "整改完成率100%（1/1），不低于95%，无逾期事项"]]
    assert summary.highlights[-1] == "考评结果建议（报指挥部审定）：建议表扬1个、建议挂牌整治1个。"


# --- 季推进 ---------------------------------------------------------------------------------------

def test_quarter_trend_month_by_month():
    rows = [("洪文泽", "东坑村", 1, m) for m in ("2026-01", "2026-07", "2026-07", "2026-09")]
    v = summarise_visits(pd.DataFrame([{"镇领导": a, "调研地点": b, "调研天数": d, "月份": m} for a, b, d, m in rows]),
                         period="2026-Q3", as_of=date(2026, 9, 30), assignments={"洪文泽": ["东坑村", "大岭村"]})
    planned = [Planned("RW1", None, "财政所", "late", date(2026, 5, 31), date(2026, 7, 15)),  # overdue June end
               Planned("RW2", None, "财政所", "overdue", date(2026, 8, 10), None),  # overdue August, September
               Planned("RW3", None, "综治办", "on_time", date(2026, 9, 30), date(2026, 9, 2))]
    tasks = summarise_tasks(None, None, task_frame(planned), as_of=date(2026, 9, 30))
    s = summarise_progress(period="2026-Q3", as_of=date(2026, 9, 30), visits=v.to_json(), tasks=tasks)
    data = s.to_json()
    q = [m for m in data["months"] if m["in_period"]]
    assert [(m["month"], m["visits"], m["tasks_done"], m["overdue"]) for m in q] == [
        (7, 2, 1, 0), (8, 0, 0, 1), (9, 1, 1, 1)]
    assert data["months"][5]["overdue"] == 1  # June end
    x = data["totals"]
    assert (x["visits"], x["ytd_visits"], x["target_visits"], x["visit_share"]) == (3, 4, 10, 0.4)
    assert (x["tasks_done_period"], x["overdue_end"], x["overdue_before"]) == (2, 1, 1)
    assert s.highlights == [
        "2026年第三季度，镇领导挂点调研3次；2026年累计调研4次，完成全年目标10次的40%（按9月序时进度应完成75%）。",
        "2026年第三季度办结任务2项，2026年累计办结2项（共3项）；季末逾期未办结1项，与上季度末持平。",
        "逐月看：7月调研2次、办结任务1项、月末没有逾期任务；8月没有调研、没有办结任务、月末逾期1项；"
        "9月调研1次、办结任务1项、月末逾期1项。"]
    frame = s.tables()[0].frame
    assert frame.iloc[6].tolist() == ["7月", "是", 2, 3, 1, 0]


# --- the generated year (tests/fixtures/year.py): bqw summarise --period 2026 from its archive --------

def _expected_task(plan, day: date) -> str:
    done = plan.done is not None and plan.done <= day
    if done:
        return "late" if plan.done > plan.due else "on_time"
    return "overdue" if plan.due < day else "pending"


def test_the_generated_years_evaluation(year):
    import json

    from conftest import run_bqw
    from fixtures.year import LEADERS, MS, TASKS

    as_of = date(2026, 11, 30)
    proc = run_bqw("-w", year.root, "summarise", "--period", "2026", "--as-of", as_of, "--format", "json",
                   check_code=0)
    data = next(s for s in json.loads(proc.stdout)["summaries"] if s["kind"] == "evaluation")
    assert (data["period"], data["period_kind"], data["as_of"]) == ("2026", "year", "2026-11-30")
    # leaders and their villages: the generator's final visits of the year (corrections applied)
    months = range(1, 13)
    for leader in LEADERS:
        row = next(x for x in data["leaders"] if x["leader"] == leader)
        for village in MS.LEADERS[leader]["villages"]:
            mine = year.village_visits(leader, village, months)
            days = sum((v.end - v.start).days + 1 if v.end else 1 for v in mine)
            got = next(v for v in row["villages"] if v["village"] == village)
            assert (got["visits"], got["days"], got["passed"]) == (len(mine), days, len(mine) >= 5 and days >= 5)
        assert row["passed"] == all(v["passed"] for v in row["villages"])
    # units: on time, late, overdue, pending of the tasks each leads, from the plan
    for unit in {t.lead for t in TASKS}:
        row = next(u for u in data["units"] if u["unit"] == unit and u["role"] == "牵头单位")
        outcomes = [_expected_task(t, as_of) for t in TASKS if t.lead == unit]
        assert {k: row[k] for k in ("on_time", "late", "overdue", "pending")} == {
            k: outcomes.count(k) for k in ("on_time", "late", "overdue", "pending")}, unit
        month_ends = [date(2026, m + 1, 1) - timedelta(days=1) if m < 12 else YEAR_END for m in range(1, 12)]
        assert row["overdue_month_ends"] == [
            int(any(_expected_task(t, d) == "overdue" for t in TASKS if t.lead == unit)) for d in month_ends], unit
    # the vetoed village is not ranked, its veto named
    for village in year.vetoed:
        v = next(x for x in data["villages"] if x["village"] == village)
        assert v["rank"] is None and v["veto_reasons"][0].startswith("负面清单第")
    # 经发办's only task was overdue at October's end and done on 5 November: praised, now nothing overdue;
    # 规划建设办's pipe network is overdue since July: five month ends in a row
    proposed = {x["unit"]: x for x in data["proposals"]}
    assert proposed["经发办"]["proposal"] == "表扬"
    assert proposed["规划建设办"]["proposal"] == "挂牌整治"
    # as 牵头单位 and as 责任单位 of PA2026-102 the same reasons: said once
    assert proposed["规划建设办"]["reasons"] == ["整改完成率0%（0/1），低于40%", "连续5个月末有逾期未办结事项（7月至11月）"]


def test_an_evaluation_before_the_year_end_does_not_count_items_not_yet_due():
    """Made on 31 October: 党建办's only item falls due that day and is open (counted: 0 %); 自然资源所's item
    falls due in December (not counted: no rate, no proposal); 财政所 has one item done and one due later
    (1 of 1 counted: 100 %, nothing overdue → 表扬)."""
    day = date(2026, 10, 31)
    planned = [Planned("RW1", "WT1", "党建办", "pending", day, None),
               Planned("RW2", "WT2", "自然资源所", "pending", date(2026, 12, 20), None),
               Planned("RW3", "WT3", "财政所", "on_time", date(2026, 6, 30), date(2026, 6, 1)),
               Planned("RW4", "WT4", "财政所", "pending", date(2026, 12, 15), None)]
    data = evaluate(planned, as_of=day).to_json()
    rows = {u["unit"]: u for u in data["units"] if u["role"] == "牵头单位"}
    assert [(rows[u]["items"], rows[u]["items_not_due"], rows[u]["items_rectified"]) for u in ("党建办", "自然资源所", "财政所")] == [
        (1, 0, 0), (0, 1, 0), (1, 1, 1)]
    proposed = {p["unit"]: p["proposal"] for p in data["proposals"]}
    assert "自然资源所" not in proposed and proposed["财政所"] == "表扬" and proposed["党建办"] == "挂牌整治"

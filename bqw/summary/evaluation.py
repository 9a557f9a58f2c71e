"""The year's evaluation (年考评, seed 001 第十条, 第十四条): leaders' visits against the yearly target,
each unit's tasks (on time, late, overdue) and 整改完成率 of its own tasks, the 典型村 ranking, and a
考评结果建议 — 表扬 / 约谈 / 挂牌整治 proposed to the 指挥部, which decides (001 第十四条: “形成结果建议，
报请县指挥部审定”).

Read from the other summaries: the visits summary of the year (its JSON), the tasks summary's
任务明细 (the rows it counted, with their derived columns) and the scores summary (its JSON).
No file I/O; pandas is imported inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bqw.core.periods import Period
from bqw.summary.common import (FAILED, PASSED, Summary, SummaryTable, as_date, joined, number_text, percent_text,
                                rate)
from bqw.summary.timeline import longest_run, month_points, overdue_at, task_dates, undated_done

PRAISE, INTERVIEW, LISTING = "表扬", "约谈", "挂牌整治"
SEVERITY = {None: 0, PRAISE: 1, INTERVIEW: 2, LISTING: 3}
LEAD, RESPONSIBLE = "牵头单位", "责任单位"
DETAIL_TABLE = "任务明细"


@dataclass(frozen=True)
class Rules:
    """The yearly targets and the proposal thresholds (bqw.toml [targets], [evaluation], [escalation])."""

    visits: int = 5
    days: int = 5
    unit: str = "village"  # the target counts per assigned village, or per leader
    praise_rate: float = 95.0  # 整改完成率 (%) at least this and nothing overdue: 表扬
    interview_rate: float = 60.0  # below this: 约谈
    listing_rate: float = 40.0  # below this: 挂牌整治
    interview_days: int = 30  # an item overdue this many days: 约谈
    listing_months: int = 3  # overdue items at this many consecutive month ends: 挂牌整治

    @classmethod
    def of(cls, cfg) -> "Rules":
        return cls(cfg.target_visits, cfg.target_days, cfg.target_unit, float(cfg.praise_rate),
                   float(cfg.interview_rate), float(cfg.listing_rate), cfg.interview_days, cfg.listing_months)


# --- leaders -------------------------------------------------------------------------------------

def leader_results(visits: dict | None, rules: Rules) -> list[dict]:
    """Per leader: visits and days of the year against the target, 达标 or not (passed None: nothing to judge)."""
    out = []
    for x in (visits or {}).get("leaders", []):
        villages = []
        for v in x["villages"]:
            if not v["assigned"]:
                continue
            ok = v["ytd_visits"] >= rules.visits and v["ytd_days"] >= rules.days
            villages.append({"village": v["village"], "visits": v["ytd_visits"], "days": v["ytd_days"],
                             "passed": ok if rules.unit == "village" else None})
        if rules.unit == "leader":
            target_v, target_d = rules.visits, rules.days
            passed = x["ytd_visits"] >= target_v and x["ytd_days"] >= target_d
        else:
            target_v, target_d = rules.visits * len(villages), rules.days * len(villages)
            passed = all(v["passed"] for v in villages) if villages else None
        out.append({"leader": x["leader"], "visits": x["ytd_visits"], "days": x["ytd_days"],
                    "target_visits": target_v, "target_days": target_d, "passed": passed, "villages": villages})
    return out


# --- units ---------------------------------------------------------------------------------------

def _members(t, responsibilities):
    """(unit, role, task row) memberships: each task under its 牵头单位; under each 责任单位 of its problem
    the unit's own tasks of that problem (those it leads) — all the problem's tasks only when it leads none."""
    import pandas as pd

    from bqw.summary.common import stripped_or_none_column

    lead = t.assign(unit=t["牵头单位"], role=LEAD)
    if responsibilities is None or not len(responsibilities) or not {"问题编号", "责任单位"} <= set(
            responsibilities.columns):
        return lead
    pairs = pd.DataFrame({"问题编号": stripped_or_none_column(responsibilities["问题编号"]),
                          "unit": stripped_or_none_column(responsibilities["责任单位"])}).dropna().drop_duplicates()
    linked = t.merge(pairs, on="问题编号", how="inner", sort=False)
    own = linked["牵头单位"] == linked["unit"]
    leads_any = own.groupby([linked["unit"], linked["问题编号"]], sort=False).transform("any")
    return pd.concat([lead, linked[own | ~leads_any].assign(role=RESPONSIBLE)], ignore_index=True)


def _unit_row(unit: str, role: str, g, flags: list[bool], months: list[int], rules: Rules) -> dict:
    done = g["完成状态"] == "已完成"
    overdue = g["是否逾期"] == "是"
    days = g["逾期天数"].where(overdue).dropna().astype(int)
    items = g["_item"]
    rectified = done.groupby(items, sort=False).all()
    # an item counts once it is due: rectified, or with a task whose deadline has come (the as-of day
    # included); an item whose open tasks all fall due later is not held against the unit (a 年考评 or a
    # quarter's evaluation made before the year's end)
    counted = rectified | g["_due"].groupby(items, sort=False).any()
    run, first, last = longest_run(flags, months)
    return {"unit": unit, "role": role, "tasks": len(g), "on_time": int((done & (g["超期完成"] != "是")).sum()),
            "late": int((done & (g["超期完成"] == "是")).sum()), "overdue": int(overdue.sum()),
            "pending": int((~done & ~overdue).sum()), "max_overdue_days": int(days.max()) if len(days) else 0,
            "overdue_long": int((days >= rules.interview_days).sum()),
            "items": int(counted.sum()), "items_rectified": int(rectified.sum()),
            "items_not_due": int((~counted).sum()),
            "rectification_rate": rate(int(rectified.sum()), int(counted.sum())),
            "overdue_month_ends": [int(f) for f in flags], "overdue_run": run,
            "overdue_run_months": [first, last] if run else []}


def _unit_results(t, responsibilities, period: Period, as_of: date, rules: Rules) -> list[dict]:
    """One row per (unit, role): 牵头单位 rows first, then 责任单位 rows, each in order of appearance."""
    points = month_points(period, as_of)
    overdue_by_point = [overdue_at(t, p.day) for p in points]
    import pandas as pd

    deadline = pd.to_datetime(t["完成时限"], errors="coerce")
    due = (deadline.dt.date <= as_of).fillna(False).astype(bool) | (t["是否逾期"] == "是")
    t = t.assign(_row=range(len(t)), _due=due.to_numpy(),
                 _item=t["问题编号"].where(t["问题编号"].notna(), "任务:" + t["任务编号"].fillna("").astype(str)
                                        + ":" + t.index.astype(str)))
    m = _members(t, responsibilities)
    months = [p.month for p in points]
    out = []
    for (role, unit), g in m.groupby(["role", "unit"], sort=False):
        rows = g["_row"].to_numpy()
        flags = [bool(mask.to_numpy()[rows].any()) for mask in overdue_by_point]
        out.append(_unit_row(unit, role, g, flags, months, rules))
    return sorted(out, key=lambda u: u["role"] != LEAD)  # stable: order of appearance within each role


# --- the proposal -------------------------------------------------------------------------------

def _rate_below(u: dict, threshold: float) -> bool:
    """整改完成率 below `threshold` % — compared in whole numbers, not rounded rates."""
    return bool(u["items"]) and u["items_rectified"] * 100 < threshold * u["items"]


def judge(u: dict, rules: Rules) -> tuple[str | None, list[str]]:
    """The proposal for one unit row and its reasons (docs/summaries.md, “考评结果建议”)."""
    rate_text = f"整改完成率{percent_text(u['rectification_rate'])}（{u['items_rectified']}/{u['items']}）"
    reasons = []
    if _rate_below(u, rules.listing_rate):
        reasons.append(f"{rate_text}，低于{number_text(rules.listing_rate)}%")
    if u["overdue_run"] >= rules.listing_months:
        first, last = u["overdue_run_months"]
        reasons.append(f"连续{u['overdue_run']}个月末有逾期未办结事项（{first}月至{last}月）")
    if reasons:
        return LISTING, reasons
    if _rate_below(u, rules.interview_rate):
        reasons.append(f"{rate_text}，低于{number_text(rules.interview_rate)}%")
    if u["overdue_long"]:
        reasons.append(f"{u['overdue_long']}项事项逾期满{rules.interview_days}天（最长逾期{u['max_overdue_days']}天）")
    if reasons:
        return INTERVIEW, reasons
    if u["items"] and not _rate_below(u, rules.praise_rate) and not u["overdue"]:
        return PRAISE, [f"{rate_text}，不低于{number_text(rules.praise_rate)}%，无逾期事项"]
    return None, []


def proposals(units: list[dict], rules: Rules) -> list[dict]:
    """Per unit, the strongest proposal of its rows (牵头, 责任); 表扬 only when no row of the unit stands
    against it. Units without a proposal are left out. Order: 挂牌整治, 约谈, 表扬, then as the units appear."""
    by_unit: dict[str, list[tuple[str, str | None, list[str]]]] = {}
    for u in units:
        by_unit.setdefault(u["unit"], []).append((u["role"], *judge(u, rules)))
    out = []
    for unit, judged in by_unit.items():
        top = max(SEVERITY[p] for _r, p, _x in judged)
        if top == SEVERITY[PRAISE] and any(p is None for _r, p, _x in judged):
            continue  # one role praised, the other not: no praise
        if not top:
            continue
        chosen = [(r, x) for r, p, x in judged if SEVERITY[p] == top]
        both = len({tuple(x) for _r, x in chosen}) > 1  # the roles' reasons differ: say whose is whose
        reasons = ([f"{'牵头事项' if r == LEAD else '责任事项'}{x}" for r, xs in chosen for x in xs] if both
                   else list(chosen[0][1]))
        proposal = next(p for p, s in SEVERITY.items() if s == top)
        out.append({"unit": unit, "proposal": proposal, "reasons": reasons})
    order = list(by_unit)
    return sorted(out, key=lambda x: (-SEVERITY[x["proposal"]], order.index(x["unit"])))


# --- the summary ---------------------------------------------------------------------------------

def _villages(scores: dict | None) -> list[dict]:
    return [{"rank": v["rank"], "village": v["village"], "total": v["total"], "veto": v["veto"],
             "veto_reasons": list(v["veto_reasons"]), "reaches_standard": v["reaches_standard"]}
            for v in (scores or {}).get("villages", [])]


def _totals(leaders: list[dict], units: list[dict], villages: list[dict], proposed: list[dict]) -> dict:
    lead = [u for u in units if u["role"] == LEAD]
    return {"leaders": len(leaders), "leaders_passed": sum(1 for x in leaders if x["passed"]),
            "leaders_failed": sum(1 for x in leaders if x["passed"] is False),
            "units": len(lead), "tasks": sum(u["tasks"] for u in lead),
            "on_time": sum(u["on_time"] for u in lead), "late": sum(u["late"] for u in lead),
            "overdue": sum(u["overdue"] for u in lead), "pending": sum(u["pending"] for u in lead),
            "villages": len(villages), "villages_vetoed": sum(1 for v in villages if v["veto"]),
            "villages_passed": sum(1 for v in villages if v["reaches_standard"]),
            "proposals": {p: sum(1 for x in proposed if x["proposal"] == p) for p in (PRAISE, INTERVIEW, LISTING)}}


def summarise_evaluation(*, period: str | Period, as_of, visits: dict | None, tasks: Summary | None,
                         responsibilities=None, scores: dict | None, rules: Rules = Rules()) -> Summary:
    """The 年考评 of `period` (normally a year) as of `as_of`.

    `visits`: the visits summary's JSON for the same period (leaders' visits of the year to its end);
    `tasks`: the tasks summary as of `as_of` (its 任务明细 rows are counted per unit);
    `responsibilities`: the 责任清单 frame (for the 责任单位 rows); `scores`: the scores summary's JSON.
    Any of them may be None: its part is then empty.
    """
    period = period if isinstance(period, Period) else Period.parse(period)
    as_of = as_date(as_of)
    notes: list[str] = []
    leaders = leader_results(visits, rules)
    units: list[dict] = []
    if tasks is not None:
        detail = next(x.frame for x in tasks.tables() if x.name == DETAIL_TABLE)
        t = task_dates(detail)
        units = _unit_results(t, responsibilities, period, as_of, rules)
        undated = undated_done(t)
        if undated:
            notes.append(f"{undated} 项已完成的任务没有完成时间，按期限内完成计")
    villages = _villages(scores)
    proposed = proposals(units, rules)
    data = {"kind": "evaluation", **period.span(), "as_of": as_of.isoformat(),
            "rules": {"target_visits": rules.visits, "target_days": rules.days, "target_unit": rules.unit,
                      "praise_rate": rules.praise_rate, "interview_rate": rules.interview_rate,
                      "listing_rate": rules.listing_rate, "interview_days": rules.interview_days,
                      "listing_months": rules.listing_months},
            "totals": _totals(leaders, units, villages, proposed), "leaders": leaders, "units": units,
            "villages": villages, "proposals": proposed, "notes": notes}
    return Summary("evaluation", f"{period.label}考评情况", data, lambda: _tables(data), _highlights(data))


def result_word(passed: bool | None) -> str:
    return "—" if passed is None else PASSED if passed else FAILED


def _leader_frame(data: dict):
    import pandas as pd

    rows = []
    for x in data["leaders"]:
        if data["rules"]["target_unit"] == "leader" or not x["villages"]:
            rows.append([x["leader"], "、".join(v["village"] for v in x["villages"]), x["visits"], x["days"],
                         x["target_visits"], x["target_days"], result_word(x["passed"])])
            continue
        for v in x["villages"]:
            rows.append([x["leader"], v["village"], v["visits"], v["days"], data["rules"]["target_visits"],
                         data["rules"]["target_days"], result_word(v["passed"])])
    return pd.DataFrame(rows, columns=["镇领导", "挂点村", "本年调研次数", "本年调研天数", "年度目标次数",
                                       "年度目标天数", "考评结果"])


UNIT_HEADERS = ["单位", "类别", "任务数", "按时完成", "超期完成", "逾期未完成", "未到期在办", "整改事项数", "已整改",
                "整改完成率", "最长逾期天数", "连续逾期月数"]


def _tables(data: dict) -> list[SummaryTable]:
    import pandas as pd

    label, day, r = data["period_label"], data["as_of"], data["rules"]
    per = "每个挂点村" if r["target_unit"] == "village" else "每位镇领导"
    units = pd.DataFrame([[u["unit"], u["role"], u["tasks"], u["on_time"], u["late"], u["overdue"], u["pending"],
                           u["items"], u["items_rectified"], u["rectification_rate"], u["max_overdue_days"],
                           u["overdue_run"]] for u in data["units"]], columns=UNIT_HEADERS)
    units["整改完成率"] = units["整改完成率"].astype("float64")
    villages = pd.DataFrame([["不予排名" if v["rank"] is None else v["rank"], v["village"], v["total"],
                              "是" if v["veto"] else "否", "；".join(v["veto_reasons"]),
                              "一票否决" if v["veto"] else result_word(v["reaches_standard"])]
                             for v in data["villages"]],
                            columns=["排名", "村名", "总分", "一票否决", "否决原因", "评价结果"])
    villages["总分"] = villages["总分"].astype("float64")
    proposed = pd.DataFrame([[i, x["unit"], f"建议{x['proposal']}", "；".join(x["reasons"])]
                             for i, x in enumerate(data["proposals"], 1)], columns=["序号", "单位", "考评结果建议", "理由"])
    return [
        SummaryTable("领导调研考评", f"{label}镇领导挂点调研考评（年度目标：{per}不少于{r['target_visits']}次、"
                                      f"{r['target_days']}天）", _leader_frame(data), status_column="考评结果"),
        SummaryTable("单位任务考评", f"{label}各单位任务完成情况（截至{day}；整改完成率按本单位承担的事项计）", units,
                     formats={"整改完成率": "percent"}),
        SummaryTable("典型村考评", f"{label}典型村评价排名（负面清单任一项为“有”即一票否决，不予排名）", villages,
                     status_column="评价结果"),
        SummaryTable("考评结果建议", f"{label}考评结果建议（报指挥部审定）", proposed),
    ]


def _highlights(data: dict) -> list[str]:
    x, r, label = data["totals"], data["rules"], data["period_label"]
    out = []
    if x["leaders"]:
        failed = [v["leader"] for v in data["leaders"] if v["passed"] is False]
        per = "每个挂点村" if r["target_unit"] == "village" else "每位镇领导"
        out.append(f"{label}挂点调研（{per}不少于{r['target_visits']}次、{r['target_days']}天）：{x['leaders']}名镇领导中"
                   f"达标{x['leaders_passed']}名，未达标{x['leaders_failed']}名：{joined(failed)}。")
    if x["units"]:
        out.append(f"{x['units']}个牵头单位共{x['tasks']}项任务，按时完成{x['on_time']}项，超期完成{x['late']}项，"
                   f"逾期未完成{x['overdue']}项，未到期在办{x['pending']}项。")
    if x["villages"]:
        vetoed = [f"{v['village']}（{'；'.join(v['veto_reasons']) or '负面清单'}）" for v in data["villages"] if v["veto"]]
        out.append(f"典型村{x['villages']}个，达标{x['villages_passed']}个；一票否决、不予排名：{joined(vetoed)}。")
    counts = x["proposals"]
    if data["units"]:
        out.append("考评结果建议（报指挥部审定）：" + joined(
            [f"建议{p}{counts[p]}个" for p in (PRAISE, INTERVIEW, LISTING) if counts[p]]) + "。")
    return out

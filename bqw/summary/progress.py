"""The quarter's progress (季推进, seed 001 第十条; 002 季通报): the period against the year, and the trend
month by month from January to the period's end — visits per month, tasks done per month, tasks
overdue at each month end (bqw.summary.timeline reads the past from each task's dates).

Read from the other summaries: the visits summary of the period (its JSON: visits per leader per
month, the year to date) and the tasks summary (its 任务明细 rows). No file I/O.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from bqw.core.periods import Period
from bqw.summary.common import Summary, SummaryTable, as_date, percent_text, rate
from bqw.summary.evaluation import DETAIL_TABLE, Rules, leader_results
from bqw.summary.timeline import done_in, month_points, month_start, overdue_at, task_dates, undated_done


def _months(period: Period, as_of: date, visits: dict | None, t) -> list[dict]:
    per_leader = (visits or {}).get("months", {})
    out = []
    for p in month_points(period, as_of):
        row = {"month": p.month, "in_period": f"{p.day.year}-{p.month:02d}" in period.months,
               "visits": sum(counts[p.month - 1] for counts in per_leader.values()), "tasks_done": None,
               "overdue": None}
        if t is not None:
            row["tasks_done"] = int(done_in(t, month_start(p), p.day).sum())
            row["overdue"] = int(overdue_at(t, p.day).sum())
        out.append(row)
    running = 0
    for row in out:
        running += row["visits"]
        row["ytd_visits"] = running
    return out


def _totals(period: Period, as_of: date, visits: dict | None, t, months: list[dict], rules: Rules) -> dict:
    leaders = leader_results(visits, rules)
    target = sum(x["target_visits"] for x in leaders)
    v = (visits or {}).get("totals", {})
    ytd = v.get("ytd_visits", 0)
    last = months[-1]["month"] if months else period.end.month
    inside = [m for m in months if m["in_period"]]
    before = [m for m in months if not m["in_period"]]
    x = {"visits": v.get("visits", 0), "ytd_visits": ytd, "ytd_days": v.get("ytd_days", 0),
         "target_visits": target, "visit_share": rate(ytd, target),
         "pace_share": round(float(Fraction(last, 12)), 4), "pace_month": last,
         "tasks": None, "tasks_done_period": None, "tasks_done_ytd": None, "overdue_end": None, "overdue_before": None}
    if t is not None:
        x.update(tasks=len(t), tasks_done_period=sum(m["tasks_done"] for m in inside),
                 tasks_done_ytd=sum(m["tasks_done"] for m in months),
                 overdue_end=inside[-1]["overdue"] if inside else None,
                 overdue_before=before[-1]["overdue"] if before else None)
    return x


def summarise_progress(*, period: str | Period, as_of, visits: dict | None, tasks: Summary | None,
                       rules: Rules = Rules()) -> Summary:
    """The progress of `period` (normally a quarter) against the year, as of `as_of`, with the trend month
    by month. `visits`: the visits summary's JSON for the same period; `tasks`: the tasks summary."""
    period = period if isinstance(period, Period) else Period.parse(period)
    as_of = as_date(as_of)
    notes: list[str] = []
    t = None
    if tasks is not None:
        t = task_dates(next(x.frame for x in tasks.tables() if x.name == DETAIL_TABLE))
        undated = undated_done(t)
        if undated:
            notes.append(f"{undated} 项已完成的任务没有完成时间，未计入各月办结数")
    months = _months(period, as_of, visits, t)
    data = {"kind": "progress", **period.span(), "as_of": as_of.isoformat(),
            "totals": _totals(period, as_of, visits, t, months, rules), "months": months, "notes": notes}
    return Summary("progress", f"{period.label}推进情况", data, lambda: _tables(data), progress_sentences(data))


def _tables(data: dict) -> list[SummaryTable]:
    import pandas as pd

    label = data["period_label"]
    frame = pd.DataFrame([[f"{m['month']}月", "是" if m["in_period"] else "否", m["visits"], m["ytd_visits"],
                           m["tasks_done"], m["overdue"]] for m in data["months"]],
                         columns=["月份", "属本期", "调研次数", "累计调研次数", "办结任务数", "月末逾期未办结"])
    return [SummaryTable("逐月推进", f"{label}逐月推进情况（1月至{data['months'][-1]['month'] if data['months'] else ''}月，"
                                     f"数据截至{data['as_of']}）", frame)]


def _change(now: int, before: int | None, name: str) -> str:
    if before is None:
        return ""
    if now == before:
        return f"，与{name}持平"
    return f"，比{name}{'增加' if now > before else '减少'}{abs(now - before)}项"


def progress_sentences(data: dict) -> list[str]:
    """The progress in sentences (also the 季度推进情况通报's 总体情况), each right for 0, 1 and many."""
    x, label, year = data["totals"], data["period_label"], data["period_start"][:4]
    out = []
    if x["target_visits"]:
        out.append(f"{label}，镇领导挂点调研{x['visits']}次；{year}年累计调研{x['ytd_visits']}次，完成全年目标"
                   f"{x['target_visits']}次的{percent_text(x['visit_share'])}（按{x['pace_month']}月序时进度应完成"
                   f"{percent_text(x['pace_share'])}）。")
    if x["tasks"] is not None:
        before = "上季度末" if data["period_kind"] == "quarter" else "上期末"
        end = "季末" if data["period_kind"] == "quarter" else "期末"
        overdue = (f"{end}逾期未办结{x['overdue_end']}项" if x["overdue_end"] else f"{end}没有逾期未办结的任务") \
            if x["overdue_end"] is not None else ""
        done = f"{label}办结任务{x['tasks_done_period']}项" if x["tasks_done_period"] else f"{label}没有办结任务"
        ytd = (f"{year}年累计办结{x['tasks_done_ytd']}项（共{x['tasks']}项）" if x["tasks_done_ytd"]
               else f"{year}年尚无办结的任务（共{x['tasks']}项）")
        out.append(f"{done}，{ytd}" + (f"；{overdue}" + _change(x["overdue_end"], x["overdue_before"], before)
                                           if overdue else "") + "。")
    trend = [m for m in data["months"] if m["in_period"]]
    if trend:
        parts = []
        for m in trend:
            bits = [f"调研{m['visits']}次" if m["visits"] else "没有调研"]
            if m["tasks_done"] is not None:
                bits.append(f"办结任务{m['tasks_done']}项" if m["tasks_done"] else "没有办结任务")
                bits.append(f"月末逾期{m['overdue']}项" if m["overdue"] else "月末没有逾期任务")
            parts.append(f"{m['month']}月" + "、".join(bits))
        out.append("逐月看：" + "；".join(parts) + "。")
    return out

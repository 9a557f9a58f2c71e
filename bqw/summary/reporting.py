"""The reporting summary (台账报送情况, 催报 with deadlines): per expected submitter and period
按时报送 / 逾期报送 (days late) / 未报送, and across the year's periods the late and missing reports
counted per submitter (“全年逾期报送3次、未报送1次”). docs/summaries.md, “报送时限与催报”.

A kind's report for a period is due `deadline_days` days after the period ends (004 第3条: 月调度
“月底后两天”, 季汇报 “季度末后两天”). Every archived kind is monthly today; a quarterly kind would
pass its quarters as `periods`. No file I/O; pandas is imported inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bqw.core.periods import Period
from bqw.ledgers.family import RECTIFICATION_FAMILY
from bqw.summary.common import Summary, SummaryTable

ON_TIME, LATE, MISSING, NOT_DUE = "按时报送", "逾期报送", "未报送", "未到报送时限"


@dataclass(frozen=True)
class Report:
    """One submitter's report for one period, judged against its deadline."""

    kind: str
    submitter: str
    period: str
    due: date
    arrived: date | None
    status: str
    days_late: int

    def to_dict(self) -> dict:
        return {"kind": self.kind, "submitter": self.submitter, "period": self.period, "due": self.due.isoformat(),
                "arrived": self.arrived.isoformat() if self.arrived else None, "status": self.status,
                "days_late": self.days_late}


def due_day(period: str, days: int) -> date:
    """The day a period's report is due: `days` days after the period ends."""
    return Period.parse(period).end + timedelta(days=days)


def judge(kind: str, submitter: str, period: str, first: date | None, *, days: int, as_of: date) -> Report:
    """按时 when the first report came on or before the due day; 逾期 (days after it) when later;
    未报送 when none came and the due day has passed by `as_of`; else 未到报送时限."""
    due = due_day(period, days)
    if first is not None:
        late = max(0, (first - due).days)
        return Report(kind, submitter, period, due, first, LATE if late else ON_TIME, late)
    return Report(kind, submitter, period, due, None, MISSING if as_of > due else NOT_DUE, 0)


def repeat_text(late: int, missing: int) -> str:
    """“全年逾期报送3次、未报送1次”, only the parts that happened; "" when neither did."""
    parts = [f"{word}{n}次" for word, n in (("逾期报送", late), ("未报送", missing)) if n]
    return "全年" + "、".join(parts) if parts else ""


def summarise_reporting(arrivals, expected: dict[str, set[str]] | None, *, period: Period | str,
                        periods: dict[str, list[str]], deadline_days: dict[str, int], as_of: date,
                        titles: dict[str, str] | None = None,
                        owing: dict[str, dict[str, set[str]]] | None = None) -> Summary:
    """`arrivals`: bqw.store.history.Arrival of the year's reports; `periods`: kind -> the year's periods
    up to `period` (judged, in order); `expected`: kind -> who should report (when a kind has none,
    everyone who reported in the year); `owing`: kind -> period -> who owed that period's report, for
    kinds whose reporters change from period to period (the rectification lists: the units with open
    tasks), used instead of `expected`; `titles`: kind -> its Chinese name for the tables."""
    period = period if isinstance(period, Period) else Period.parse(period)
    titles = titles or {}
    first: dict[tuple, date] = {}
    for a in arrivals:  # a file in the archive was there by `as_of` (a report made for an earlier day)
        key = (a.kind, a.submitter, a.period)
        first[key] = min(first.get(key, a.day), a.day, as_of)
    reports: list[Report] = []
    for kind, kind_periods in periods.items():
        who = set((expected or {}).get(kind) or ()) or {a.submitter for a in arrivals if a.kind == kind}
        by_period = (owing or {}).get(kind)
        for p in kind_periods:
            owed = by_period.get(p, set()) if by_period is not None else who
            reports += [judge(kind, s, p, first.get((kind, s, p)), days=deadline_days[kind], as_of=as_of)
                        for s in sorted(owed)]
    current = set(period.months) | {period.key}
    now = [r for r in reports if r.period in current]
    people = _people(reports)
    totals = {"expected": len(now), "on_time": sum(r.status == ON_TIME for r in now),
              "late": sum(r.status == LATE for r in now), "missing": sum(r.status == MISSING for r in now),
              "not_due": sum(r.status == NOT_DUE for r in now)}
    data = {"kind": "reporting", "period": period.span(), "as_of": as_of.isoformat(),
            "deadline_days": dict(deadline_days), "totals": totals,
            "due": {k: due_day(ps[-1], deadline_days[k]).isoformat() for k, ps in periods.items() if ps},
            "reports": [r.to_dict() for r in now], "year": people,
            "repeated": [p for p in people if p["late"] + p["missing"] >= 2]}
    return Summary("reporting", f"台账报送情况（{period.label}，截至{as_of.isoformat()}）", data,
                   lambda: _tables(now, people, titles), _highlights(data, titles))


def _people(reports: list[Report]) -> list[dict]:
    """Per (kind, submitter), the year's counts, in the order of the most late or missing first."""
    rows: dict[tuple, dict] = {}
    for r in reports:
        row = rows.setdefault((r.kind, r.submitter), {"kind": r.kind, "submitter": r.submitter, "on_time": 0,
                                                      "late": 0, "missing": 0, "days_late": 0})
        row["on_time"] += r.status == ON_TIME
        row["late"] += r.status == LATE
        row["missing"] += r.status == MISSING
        row["days_late"] += r.days_late
    out = [dict(row, text=repeat_text(row["late"], row["missing"])) for row in rows.values()]
    return sorted(out, key=lambda x: (x["kind"], -(x["late"] + x["missing"]), -x["days_late"], x["submitter"]))


def _tables(now: list[Report], people: list[dict], titles: dict) -> list[SummaryTable]:
    import pandas as pd

    frame = pd.DataFrame([[titles.get(r.kind, r.kind), r.submitter, r.period, r.due, r.arrived, r.status,
                           r.days_late or None] for r in now],
                         columns=["台账", "报送人（单位）", "期间", "报送时限", "报送日期", "报送情况", "逾期天数"])
    year = pd.DataFrame([[titles.get(x["kind"], x["kind"]), x["submitter"], x["on_time"], x["late"], x["missing"],
                          x["days_late"], x["text"] or "均按时报送"] for x in people],
                        columns=["台账", "报送人（单位）", "按时报送", "逾期报送", "未报送", "逾期天数合计", "全年情况"])
    return [SummaryTable("报送情况", "本期台账报送情况", frame, status_column="报送情况"),
            SummaryTable("全年报送", "全年台账报送情况（逐期累计）", year)]


def _highlights(data: dict, titles: dict) -> list[str]:
    t = data["totals"]
    late = [r for r in data["reports"] if r["status"] == LATE]
    missing = [r for r in data["reports"] if r["status"] == MISSING]
    counts = [(word, t[key]) for word, key in (("按时报送", "on_time"), ("逾期报送", "late"), ("未报送", "missing"),
                                                ("未到报送时限", "not_due")) if t[key]]
    if len(counts) == 1:  # “应报13份，均按时报送。”
        out = [f"应报{t['expected']}份，均{counts[0][0]}。"]
    else:
        out = [f"应报{t['expected']}份：" + "、".join(f"{word}{n}份" for word, n in counts) + "。"]
    if late:
        out.append("逾期报送：" + "、".join(f"{r['submitter']}（{titles.get(r['kind'], r['kind'])}，逾期{r['days_late']}天）"
                                          for r in late) + "。")
    if missing:
        out.append("未报送：" + "、".join(f"{r['submitter']}（{titles.get(r['kind'], r['kind'])}）" for r in missing) + "。")
    if data["repeated"]:
        out.append("多次逾期或未报送：" + "；".join(f"{x['submitter']}{x['text']}" for x in data["repeated"]) + "。")
    return out


# what a kind's rows name as the person who reported (a unit's file may carry several leaders; the
# rectification lists, compiled or not, name each task's 牵头单位)
PEOPLE_COLUMNS = {"visits": "镇领导", RECTIFICATION_FAMILY: "牵头单位"}


def reporting_from_archive(store, *, period: Period | str, as_of: date, expected: dict | None, deadline_days,
                           kinds=("visits", RECTIFICATION_FAMILY), titles: dict | None = None) -> Summary | None:
    """The reporting summary of `kinds` from the archive (`deadline_days`: kind -> days, e.g.
    Config.deadline_days). The year's periods are judged from the first month the archive holds a
    dated report of the kind (months before bqw was used are not 未报送) to `period`'s last month; None
    when the archive holds no report of these kinds in that year. The rectification lists are owed,
    each month, by the units with open tasks (task_owing)."""
    from bqw.store.history import arrivals

    period = period if isinstance(period, Period) else Period.parse(period)
    last = period.last_month
    found, periods, owing = [], {}, {}
    for kind in kinds:
        held = [p for p in store.periods(kind) if p and len(p) == 7 and p[:4] == last[:4] and p <= last]
        if not held:
            continue
        # months not begun by the as-of day are not due at all (a quarter summarised in its first month)
        begun = f"{as_of.year:04d}-{as_of.month:02d}"
        months = [m.key for m in Period.parse(last[:4]).month_periods() if held[0] <= m.key <= min(last, begun)]
        if not months:
            continue
        periods[kind] = months
        found += arrivals(store, kind, months, PEOPLE_COLUMNS.get(kind))
        if kind == RECTIFICATION_FAMILY:
            owing[kind] = task_owing(store, months, set((expected or {}).get(kind) or ()))
    if not periods:
        return None
    return summarise_reporting(found, expected, period=period, periods=periods,
                               deadline_days={k: deadline_days(k) for k in periods}, as_of=as_of, titles=titles,
                               owing=owing)


def task_owing(store, months: list[str], named: set[str]) -> dict[str, set[str]]:
    """month -> the units that owed that month's update of the rectification lists: those with a task
    not 已完成 in the lists as they stood at the end of the month before (004 第3条 月调度: each
    责任部门 reports its work monthly; a unit whose tasks are all done owes nothing more), and in the
    first month the lists were kept, every unit they name; plus `named` (bqw.toml or --expect)."""
    from bqw.store.history import month_task_states

    states = month_task_states(store, RECTIFICATION_FAMILY, months[-1])
    out = {}
    for i, month in enumerate(months):
        before = states.get(months[i - 1]) if i else None
        if before is None:  # the lists' first month: who they name
            units = {s.unit for s in states.get(month, {}).values()}
        else:
            units = {s.unit for s in before.values() if not s.done}
        out[month] = {u for u in units if u} | named
    return out

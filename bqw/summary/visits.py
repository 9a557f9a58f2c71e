"""The visits summary (挂点调研): per leader and village, this month and the year to date, pace
against the yearly targets (达标 / 序时推进 / 滞后 / 未开展), unvisited villages, who has not reported.

No file I/O; pandas is imported inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from bqw.core.periods import Period, PeriodKind
from bqw.ledgers.common import village_key
from bqw.summary.common import (BEHIND, NOT_ASSIGNED, NOT_STARTED, ON_PACE, ON_TARGET, PACE_STATUSES, UNSPECIFIED,
                                ChartSpec, Summary, SummaryTable, as_date, column_or_default, joined, missing,
                                stripped_or_none, stripped_or_none_column)

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Targets:
    """Yearly targets (work plan: 5 visits, 5 days) per leader per assigned village (unit "village", the
    seed's “每个挂点村每年不少于5次”), or per leader whatever the number of villages (unit "leader")."""

    visits: int = 5
    days: int = 5
    unit: str = "village"

    @property
    def per_leader(self) -> bool:
        return self.unit == "leader"

    @property
    def each(self) -> str:
        """Who a pace minimum is for, in a sentence: 每村 / 每人."""
        return "每人" if self.per_leader else "每村"


class Tally(NamedTuple):
    """Visits, days and problems solved of a group of visit rows."""

    visits: int
    days: int
    solved: int


NOTHING = Tally(0, 0, 0)


def pace_status(ytd_visits, ytd_days, targets: Targets, month: int) -> str:
    """达标 / 序时推进 / 滞后 / 未开展 for one leader and village, as of `month` (1..12).

    达标: both yearly targets met. 序时推进: both at least target × month / 12 (the pro-rata
    pace). 滞后: something done this year but below pace. 未开展: nothing done this year.
    Compared in exact fractions, so a pace of 4.1666… is not rounded.
    """
    if not 1 <= int(month) <= 12:
        raise ValueError(f"月份应为 1–12，而不是 {month}")
    v = 0 if missing(ytd_visits) else int(ytd_visits)
    d = 0 if missing(ytd_days) else int(ytd_days)
    if v >= targets.visits and d >= targets.days:
        return ON_TARGET
    if v == 0 and d == 0:
        return NOT_STARTED
    share = Fraction(int(month), 12)
    if v >= targets.visits * share and d >= targets.days * share:
        return ON_PACE
    return BEHIND


class Pace(NamedTuple):
    """The whole visits and days per village that keep a leader on pace at a month."""

    visits: int
    days: int


def pace_minimum(targets: Targets, month: int) -> Pace:
    """target × month / 12 rounded up: visits are whole, so 4.17 means at least 5 (what 序时推进 asks)."""
    return Pace(-(-targets.visits * int(month) // 12), -(-targets.days * int(month) // 12))


def _pace_month(period: Period, as_of: date) -> int:
    """The as-of month in the period's year; 12 once that year is over, the period's last month before
    it. (The jobs cap as-of at the period's end: a report on October made on 5 November judges October.)"""
    year = period.end.year
    if as_of.year == year:
        return as_of.month
    return 12 if as_of.year > year else period.end.month


# What a column or a sentence calls the period's own part (本月调研次数, 本季度调研次数, …).
THIS_PERIOD = {PeriodKind.week: "本周", PeriodKind.month: "本月", PeriodKind.quarter: "本季度",
               PeriodKind.half: "本半年", PeriodKind.year: "全年"}  # not 本年: “本年推动解决问题数” is the year to date


def _empty_visits() -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame({"leader": [], "village": [], "key": [], "month": [], "days": pd.Series([], dtype=int),
                         "solved": pd.Series([], dtype=int), "month_no": pd.Series([], dtype=int)})


def _visit_columns(visits, dated: bool = False) -> "pd.DataFrame":
    """leader, village, month (YYYY-MM, from 月份 or else 调研时间), days and problems solved of each row;
    with `dated`, also the day of the visit (a week's rows are chosen by day)."""
    import pandas as pd

    f = visits.reset_index(drop=True)
    month = stripped_or_none_column(column_or_default(f, "月份"))
    when = None
    if month.isna().any() or dated:  # only rows without 月份 need it from their date
        when = pd.to_datetime(column_or_default(f, "调研时间"), errors="coerce")
        month = month.where(month.notna(), when.dt.strftime("%Y-%m"))
    days = pd.to_numeric(column_or_default(f, "调研天数"), errors="coerce").fillna(1).astype(int)
    solved = pd.to_numeric(column_or_default(f, "推动解决问题数量"), errors="coerce").fillna(0).astype(int)
    out = pd.DataFrame({"leader": stripped_or_none_column(column_or_default(f, "镇领导")),
                        "village": stripped_or_none_column(column_or_default(f, "调研地点")),
                        "month": month, "days": days, "solved": solved})
    if dated:
        out["date"] = when.dt.date
    return out


def _prepare_visits(visits, period: Period) -> tuple["pd.DataFrame", list[str]]:
    """The rows of the period's year up to its end, with clean leader, village, key, month, days and
    problem counts (and the day, for a week)."""
    import pandas as pd

    notes: list[str] = []
    year = period.end.year
    if visits is None or len(visits) == 0:
        return _empty_visits(), notes
    week = period.kind is PeriodKind.week
    out = _visit_columns(visits, dated=week)
    undated = out["month"].isna()
    if undated.any():
        notes.append(f"{int(undated.sum())} 条调研记录没有调研时间，未计入统计")
    out = out[~undated]
    codes, uniques = pd.factorize(out["month"])
    in_year = pd.Series([str(u)[:4] == str(year) for u in uniques] + [False], dtype=bool).to_numpy()[codes]
    in_year = pd.Series(in_year, index=out.index)
    other_year = int((~in_year).sum())
    if other_year:
        notes.append(f"{other_year} 条调研记录不在 {year} 年，未计入统计")
    later = in_year & (out["month"] > period.last_month)
    if week:  # the week's last month may go on after the week
        later |= in_year & out["date"].notna() & (out["date"] > period.end)
    if later.any():
        notes.append(f"{int(later.sum())} 条调研记录晚于{period.label}，未计入本期和累计")
    out = out[in_year & ~later]
    nameless = out["leader"].isna()
    if nameless.any():
        notes.append(f"{int(nameless.sum())} 条调研记录没有镇领导姓名，未计入统计")
    out = out[~nameless].copy()
    out["village"] = out["village"].fillna(UNSPECIFIED)
    codes, uniques = pd.factorize(out["village"])
    out["key"] = pd.Series([village_key(u) for u in uniques], dtype=object).to_numpy()[codes]
    codes, uniques = pd.factorize(out["month"])
    out["month_no"] = pd.Series([int(str(u)[5:7]) for u in uniques], dtype="int64").to_numpy()[codes]
    return out.reset_index(drop=True), notes


def _assignment_plan(assignments: dict[str, list[str]] | None) -> dict[str, list[tuple[str, str]]]:
    """leader -> [(village key, village name)] assigned, in order, without repeats."""
    plan: dict[str, list[tuple[str, str]]] = {}
    for leader, villages in (assignments or {}).items():
        leader = stripped_or_none(leader)
        if not leader:
            continue
        seen = plan.setdefault(leader, [])
        for v in villages or []:
            name = stripped_or_none(v)
            if name and village_key(name) not in {k for k, _ in seen}:
                seen.append((village_key(name), name))
    return plan


def _tally(frame) -> Tally:
    return Tally(len(frame), int(frame["days"].sum()), int(frame["solved"].sum()))


def _tallies(frame, by) -> dict:
    """{group: Tally} — one groupby, not one filter per leader and village."""
    g = frame.groupby(by, sort=False).agg(n=("days", "size"), d=("days", "sum"), s=("solved", "sum"))
    return {k: Tally(int(n), int(d), int(x)) for k, n, d, x in zip(g.index, g["n"], g["d"], g["s"])}


@dataclass
class _Counts:
    """The visit rows of the year and of the period, counted per leader and village and per leader."""

    ytd_by: dict  # (leader, key) -> Tally
    now_by: dict
    ytd_leader: dict  # leader -> Tally
    now_leader: dict
    visited: dict[str, list[tuple[str, str]]]  # leader -> [(key, village as first written)], in row order


def _counts(rows, current) -> _Counts:
    visited: dict[str, list[tuple[str, str]]] = {}
    for leader, k, name in rows.drop_duplicates(["leader", "key"])[["leader", "key", "village"]].itertuples(
            index=False, name=None):
        visited.setdefault(leader, []).append((k, name))
    return _Counts(_tallies(rows, ["leader", "key"]), _tallies(current, ["leader", "key"]),
                   _tallies(rows, "leader"), _tallies(current, "leader"), visited)


@dataclass
class _LeaderTables:
    """The per-leader results: JSON records and the rows of the 挂点村进度 and 领导汇总 tables."""

    leaders: list[dict] = field(default_factory=list)
    detail: list[list] = field(default_factory=list)
    per_leader: list[list] = field(default_factory=list)
    status_counts: dict = field(default_factory=lambda: dict.fromkeys(PACE_STATUSES, 0))


def _leader_villages(assigned: list[tuple[str, str]], mine: list[tuple[str, str]], all_assigned: bool):
    """(keys in order, names by key, keys visited but not assigned) of one leader."""
    keys = [k for k, _ in assigned]
    names = dict(assigned)
    if all_assigned:  # no assignments given: every visited village counts as assigned
        for k, name in mine:
            if k not in names:
                keys.append(k)
                names[k] = name
    extra = []
    for k, name in mine:
        if k not in names:
            names[k] = name
            extra.append(k)
    return keys + sorted(set(extra), key=lambda x: names[x]), names, set(extra)


def _add_leader(out: _LeaderTables, leader: str, plan, counts: _Counts, targets: Targets, month: int,
                all_assigned: bool) -> None:
    order, names, extra = _leader_villages(plan.get(leader, []), counts.visited.get(leader, []), all_assigned)
    villages = []
    lv, ld, _ls = counts.ytd_leader.get(leader, NOTHING)
    # per leader: the leader's own pace, shown on each of the leader's villages; per village: each its own
    own = pace_status(lv, ld, targets, month) if targets.per_leader else None
    for k in order:
        ytd_v, ytd_d, _ytd_s = counts.ytd_by.get((leader, k), NOTHING)
        v, d, s = counts.now_by.get((leader, k), NOTHING)
        is_assigned = k not in extra
        status = (own or pace_status(ytd_v, ytd_d, targets, month)) if is_assigned else NOT_ASSIGNED
        if is_assigned and not targets.per_leader:
            out.status_counts[status] += 1
        # what is still needed by year end (none for a village the leader is not assigned, nor per village
        # when the target is the leader's)
        need_v = max(0, targets.visits - ytd_v) if is_assigned and own is None else None
        need_d = max(0, targets.days - ytd_d) if is_assigned and own is None else None
        villages.append({"village": names[k], "assigned": is_assigned, "visits": v, "days": d,
                         "problems_solved": s, "ytd_visits": ytd_v, "ytd_days": ytd_d, "status": status,
                         "needed_visits": need_v, "needed_days": need_d})
        out.detail.append([leader, names[k], "是" if is_assigned else "否", v, d, s, ytd_v, ytd_d, status,
                           need_v, need_d])
    v, d, s = counts.now_leader.get(leader, NOTHING)
    ytd_v, ytd_d, ytd_s = counts.ytd_leader.get(leader, NOTHING)
    n_assigned = sum(1 for x in villages if x["assigned"])
    on_target = sum(1 for x in villages if x["status"] == ON_TARGET)
    times = 1 if targets.per_leader else n_assigned  # the leader's yearly target: × 1, or × villages
    entry = {
        "leader": leader, "visits": v, "days": d, "problems_solved": s,
        "ytd_visits": ytd_v, "ytd_days": ytd_d, "ytd_problems_solved": ytd_s,
        "assigned_villages": n_assigned, "target_visits": targets.visits * times,
        "target_days": targets.days * times, "villages": villages}
    if own is not None:
        out.status_counts[own] += 1
        entry |= {"status": own, "needed_visits": max(0, targets.visits - ytd_v),
                  "needed_days": max(0, targets.days - ytd_d)}
    out.leaders.append(entry)
    out.per_leader.append([leader, n_assigned, v, d, s, ytd_v, ytd_d, ytd_s, targets.visits * times,
                           targets.days * times, on_target])


def _unvisited(plan, visited_keys: set) -> tuple[list[str], list[list]]:
    """Assigned villages nobody visited this year: their names, and rows (village, its leaders, status)."""
    assigned_to: dict[str, list[str]] = {}  # village key -> the leaders it is assigned to
    for leader, assigned in plan.items():
        for k, _ in assigned:
            assigned_to.setdefault(k, []).append(leader)
    names, rows, listed = [], [], set()
    for _leader, assigned in plan.items():
        for k, name in assigned:
            if k in visited_keys or k in listed:
                continue
            listed.add(k)
            names.append(name)
            rows.append([name, "、".join(assigned_to[k]), NOT_STARTED])
    return names, rows


@dataclass
class _VisitResult:
    """What the tables and sentences of the visits summary are made from."""

    period: Period
    month: int  # the pace month
    as_of: date
    targets: Targets
    totals: dict
    leaders: list[str]
    per_leader: _LeaderTables
    months: dict  # leader -> visits per month 1..12
    unvisited: list[str]
    unvisited_rows: list[list]
    not_submitted: list[str] | None
    with_assignments: bool


def _visit_tables(r: _VisitResult) -> list[SummaryTable]:
    import pandas as pd

    label, now, year, upto = r.period.label, THIS_PERIOD[r.period.kind], r.period.end.year, r.period.end.month
    t = r.targets
    pace = pace_minimum(t, r.month)
    pace_text = (f"截至{r.as_of.isoformat()}，按{r.month}月序时进度{t.each}应不少于 {pace.visits} 次、{pace.days} 天；"
                 f"全年目标：{t.each} {t.visits} 次、{t.days} 天")
    tables = [
        SummaryTable("挂点村进度", f"{label}挂点调研进度（{pace_text}）", pd.DataFrame(r.per_leader.detail, columns=[
            "镇领导", "调研村", "是否挂点村", f"{now}调研次数", f"{now}调研天数", f"{now}推动解决问题数",
            "本年累计次数", "本年累计天数", "进度状态", "年底前尚需次数", "年底前尚需天数"]),
            status_column="进度状态"),
        SummaryTable("领导汇总", f"{label}各镇领导挂点调研汇总（年度目标 = "
                     + (f"每人{t.visits}次）" if t.per_leader else f"每村{t.visits}次 × 挂点村数）"),
                     pd.DataFrame(r.per_leader.per_leader, columns=[
                         "镇领导", "挂点村数", f"{now}调研次数", f"{now}调研天数", f"{now}推动解决问题数", "本年累计次数",
                         "本年累计天数", "本年推动解决问题数", "年度目标次数", "年度目标天数", "达标村数"]),
                     chart=ChartSpec("column", f"{year}年各镇领导累计调研次数与年度目标", "镇领导",
                                     [("本年累计次数", "本年累计调研次数")],
                                     line=[("年度目标次数", f"年度目标（每人{t.visits}次）" if t.per_leader
                                            else f"年度目标（每村{t.visits}次×挂点村数）")],
                                     y_title="次数")),
        SummaryTable("月度调研次数", f"{year}年各镇领导每月调研次数（截至{upto}月）", pd.DataFrame(
            [[leader, *r.months[leader], sum(r.months[leader])] for leader in r.leaders],
            columns=["镇领导", *[f"{m}月" for m in range(1, 13)], "合计"])),
    ]
    if r.with_assignments:
        tables.append(SummaryTable("未调研挂点村", f"{year}年尚无镇领导调研的挂点村（截至{upto}月）",
                                   pd.DataFrame(r.unvisited_rows, columns=["挂点村", "挂点领导", "状态"]),
                                   status_column="状态"))
    if r.not_submitted is not None:
        tables.append(SummaryTable("未报送名单", f"{label}应报未报的镇领导（催报）",
                                   pd.DataFrame([[n] for n in r.not_submitted], columns=["镇领导"])))
    return tables


def _visit_highlights(r: _VisitResult) -> list[str]:
    label, year = r.period.label, r.period.end.year
    totals, counts = r.totals, r.per_leader.status_counts
    pace = pace_minimum(r.targets, r.month)
    highlights = [
        f"{label}，{totals['leaders']} 名镇领导到 {totals['villages_visited']} 个村开展挂点调研 {totals['visits']} 次、"
        f"{totals['days']} 天，推动解决问题 {totals['problems_solved']} 个；{year}年累计 {totals['ytd_visits']} 次、"
        f"{totals['ytd_days']} 天。",
        ("镇领导" if r.targets.per_leader else "挂点村")
        + f"进度（按{r.month}月序时进度{r.targets.each}应不少于 {pace.visits} 次、{pace.days} 天）：" +
        "、".join(f"{k} {counts[k]} 个" for k in PACE_STATUSES) + "。",
    ]
    if r.with_assignments:
        highlights.append(f"本年尚无领导调研的挂点村：{joined(r.unvisited)}。")
    if r.not_submitted is not None:
        highlights.append(f"{THIS_PERIOD[r.period.kind]}未报送：{joined(r.not_submitted)}。")
    return highlights


def summarise_visits(visits, *, period: str | Period, as_of: date, assignments: dict[str, list[str]] | None,
                     targets: Targets = Targets(), submitted: set[str] | None = None,
                     expected: set[str] | None = None) -> Summary:
    """Visits of the year up to `period`: per leader and village, in the period and year to date.

    `period` is any Period (or its key: 2026-W44, 2026-10, 2026-Q3, 2026-H1, 2026); a period with no
    visit rows still gives every leader and assigned village with the pace so far (what November
    and December need most). `visits` holds the accepted visit rows of the whole year (months up to
    the period); rows of
    other years or later months are left out and named in `notes`. Villages compare loosely
    (东坑 = 东坑村). Visits to a village the leader is not assigned get a row of their own,
    flagged 非挂点村, and count in the leader's totals. Without `assignments`, each visited
    village counts as assigned and unvisited villages cannot be listed.
    """
    as_of = as_date(as_of)
    period = period if isinstance(period, Period) else Period.parse(period)
    month = _pace_month(period, as_of)
    rows, notes = _prepare_visits(visits, period)
    if assignments is None:
        notes.append("未提供挂点安排：按各领导实际调研的村统计，无法列出未调研的挂点村")
    plan = _assignment_plan(assignments)
    leaders = list(plan) + sorted(set(rows["leader"].unique()) - set(plan))
    current = rows[rows["month"].isin(period.months)]
    if period.kind is PeriodKind.week:
        current = current[current["date"].notna() & (current["date"] >= period.start)]
    counts = _counts(rows, current)
    per_leader = _LeaderTables()
    for leader in leaders:
        _add_leader(per_leader, leader, plan, counts, targets, month, assignments is None)
    unvisited, unvisited_rows = _unvisited(plan, set(rows["key"].unique()))
    counted = {key: int(n) for key, n in rows.groupby(["leader", "month_no"], sort=False).size().items()}
    months = {leader: [counted.get((leader, m), 0) for m in range(1, 13)] for leader in leaders}
    not_submitted = None
    if expected is not None and submitted is not None:
        not_submitted = sorted(set(expected) - set(submitted))
    now, ytd = _tally(current), _tally(rows)
    totals = {"visits": now.visits, "days": now.days, "problems_solved": now.solved,
              "leaders": int(current["leader"].nunique()), "villages_visited": int(current["key"].nunique()),
              "ytd_visits": ytd.visits, "ytd_days": ytd.days, "ytd_problems_solved": ytd.solved,
              "assigned_villages": len({k for vs in plan.values() for k, _ in vs})}
    pace = pace_minimum(targets, month)
    data = {"kind": "visits", **period.span(), "as_of": as_of.isoformat(), "pace_month": month,
            "target_unit": targets.unit, "targets": {"visits": targets.visits, "days": targets.days},
            "pace": {"month": month, "visits": pace.visits, "days": pace.days}, "totals": totals,
            "status_counts": per_leader.status_counts, "leaders": per_leader.leaders, "unvisited_villages": unvisited,
            "not_submitted": not_submitted or [], "months": months, "notes": notes}
    result = _VisitResult(period, month, as_of, targets, totals, leaders, per_leader, months, unvisited,
                          unvisited_rows, not_submitted, assignments is not None)
    return Summary("visits", f"{period.label}挂点调研情况", data, _visit_tables(result),
                   _visit_highlights(result))

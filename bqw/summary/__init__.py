"""Summaries of merged ledgers: DataFrames in, a Summary out (docs/summaries.md).

Pure functions, no file I/O. A Summary carries a JSON document with stable keys (`to_json`) and
the tables the renderers in bqw.output.reports write (`tables`). pandas is imported inside the functions,
so importing this module stays cheap.

Kinds:
- visits  — 挂点调研: per leader and village, this month and the year to date, pace against the
            yearly targets (达标 / 序时推进 / 滞后 / 未开展), unvisited villages, who has not reported;
- tasks   — 问题整改 and other task lists: per 牵头单位 and 责任单位, overdue and due-soon items;
- roster  — 指挥部成员名单: members per 专班 and 单位, units without a 联络员, duplicate persons;
- scores  — 典型村评价: totals, group subtotals, 一票否决, ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Callable

from bqw.ledgers.common import village_key

if TYPE_CHECKING:
    import pandas as pd

# --- statuses ------------------------------------------------------------------------------------

ON_TARGET, ON_PACE, BEHIND, NOT_STARTED = "达标", "序时推进", "滞后", "未开展"
PACE_STATUSES = (ON_TARGET, ON_PACE, BEHIND, NOT_STARTED)
NOT_ASSIGNED = "非挂点村"  # status of a village row the leader is not assigned to (not judged)
OVERDUE, NORMAL, DUE_SOON = "逾期", "正常", "临期"
NO_LIAISON, SEVERAL_LIAISONS, DUPLICATE = "缺联络员", "多名联络员", "重复"
PASSED, FAILED, VETOED = "达标", "未达标", "一票否决"
UNSPECIFIED = "未注明"
NO_TEAM = "未分专班"
DUE_SOON_DAYS = 7


@dataclass
class Targets:
    """Yearly targets per leader per assigned village (work plan: 5 visits, 5 days)."""

    visits: int = 5
    days: int = 5


@dataclass
class ChartSpec:
    """A native chart of a table: categories and series name columns of the table's frame."""

    type: str  # "column" | "bar"
    title: str
    categories: str
    series: list[tuple[str, str]]  # (column, series title)
    line: list[tuple[str, str]] = field(default_factory=list)  # overlaid as lines (targets)
    stacked: bool = False
    y_title: str | None = None


@dataclass
class SummaryTable:
    name: str  # sheet name, Chinese, at most 31 characters
    title: str  # title row of the sheet / heading
    frame: "pd.DataFrame"
    status_column: str | None = None  # its values colour the row (report.STATUS_COLOURS)
    chart: ChartSpec | None = None
    formats: dict[str, str] = field(default_factory=dict)  # column -> "percent"
    detail: bool = False  # a full listing: in the workbook, not in messages or on the terminal


@dataclass
class Summary:
    kind: str  # visits | tasks | roster | scores
    title: str  # Chinese heading
    data: dict  # the JSON document (stable keys, docs/summaries.md)
    table_list: list[SummaryTable] | Callable[[], list[SummaryTable]] = field(default_factory=list)  # or made on demand
    highlights: list[str] = field(default_factory=list)  # Chinese sentences for messages

    def to_json(self) -> dict:
        return _copy(self.data)

    def tables(self) -> list[SummaryTable]:
        if callable(self.table_list):
            self.table_list = self.table_list()
        return list(self.table_list)


# --- helpers -------------------------------------------------------------------------------------

def _missing(v) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _text(v) -> str | None:
    """A cell as clean text, or None when blank."""
    if type(v) is str:  # the usual case, without pandas' isna
        return v.strip() or None
    if _missing(v):
        return None
    s = str(v).strip()
    return s or None


def _text_column(values) -> "pd.Series":
    """_text over a column, computed once per distinct value (a year's 768,000 rows hold few)."""
    import pandas as pd

    values = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values.astype(object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = [(u.strip() or None) if type(u) is str else _text(u) for u in uniques]
    table = pd.Series(mapped + [None], dtype=object)  # code -1 (missing) takes the last slot
    return pd.Series(table.to_numpy()[codes], index=values.index, dtype=object)


def _iso_column(values) -> list:
    """_iso over a datetime column: YYYY-MM-DD text, None where missing."""
    text = values.dt.strftime("%Y-%m-%d").astype(object).tolist()
    return [None if m else t for t, m in zip(text, values.isna().tolist())]


def _copy(x):
    """A copy of a JSON document (dicts, lists and scalars): far cheaper than copy.deepcopy."""
    if type(x) is dict:
        return {k: _copy(v) for k, v in x.items()}
    if type(x) is list:
        return [_copy(v) for v in x]
    return x


def _iso(v) -> str | None:
    if _missing(v):
        return None
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _rate(done: int, total: int) -> float | None:
    return round(done / total, 4) if total else None


def _pct(rate: float | None) -> str:
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}".rstrip("0").rstrip(".") + "%"


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _joined(names) -> str:
    return "、".join(names) if names else "无"


def _column(frame, name, default=None):
    import pandas as pd

    if name in frame:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def _as_date(value) -> date:
    """A date from a date, datetime, pandas Timestamp or “YYYY-MM-DD” text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _period_parts(period: str) -> tuple[int, int]:
    try:
        year, month = int(period[:4]), int(period[5:7])
        if len(period) != 7 or period[4] != "-" or not 1 <= month <= 12:
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(f"期间“{period}”格式不对，应为 YYYY-MM，如 2026-10") from None
    return year, month


# --- visits --------------------------------------------------------------------------------------

def pace_status(ytd_visits, ytd_days, targets: Targets, month: int) -> str:
    """达标 / 序时推进 / 滞后 / 未开展 for one leader and village, as of `month` (1..12).

    达标: both yearly targets met. 序时推进: both at least target × month / 12 (the pro-rata
    pace). 滞后: something done this year but below pace. 未开展: nothing done this year.
    Compared in exact fractions, so a pace of 4.1666… is not rounded.
    """
    if not 1 <= int(month) <= 12:
        raise ValueError(f"月份应为 1–12，而不是 {month}")
    v = 0 if _missing(ytd_visits) else int(ytd_visits)
    d = 0 if _missing(ytd_days) else int(ytd_days)
    if v >= targets.visits and d >= targets.days:
        return ON_TARGET
    if v == 0 and d == 0:
        return NOT_STARTED
    share = Fraction(int(month), 12)
    if v >= targets.visits * share and d >= targets.days * share:
        return ON_PACE
    return BEHIND


def _pace_month(year: int, period_month: int, as_of: date) -> int:
    """The as-of month in the period's year; 12 once that year is over, the period's month before it."""
    if as_of.year == year:
        return as_of.month
    return 12 if as_of.year > year else period_month


def _prepare_visits(visits, year: int, period: str) -> tuple["pd.DataFrame", list[str]]:
    """The year-to-date rows with clean leader, village, key, month, days and problem counts."""
    import pandas as pd

    notes: list[str] = []
    if visits is None or len(visits) == 0:
        return pd.DataFrame({"leader": [], "village": [], "key": [], "month": [], "days": pd.Series([], dtype=int),
                             "solved": pd.Series([], dtype=int), "month_no": pd.Series([], dtype=int)}), notes
    f = visits.reset_index(drop=True)
    month = _text_column(_column(f, "月份"))
    if month.isna().any():  # only rows without 月份 need it from their date
        when = pd.to_datetime(_column(f, "调研时间"), errors="coerce")
        month = month.where(month.notna(), when.dt.strftime("%Y-%m"))
    days = pd.to_numeric(_column(f, "调研天数"), errors="coerce").fillna(1).astype(int)
    solved = pd.to_numeric(_column(f, "推动解决问题数量"), errors="coerce").fillna(0).astype(int)
    out = pd.DataFrame({"leader": _text_column(_column(f, "镇领导")), "village": _text_column(_column(f, "调研地点")),
                        "month": month, "days": days, "solved": solved})
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
    later = in_year & (out["month"] > period)
    if later.any():
        notes.append(f"{int(later.sum())} 条调研记录晚于 {period}，未计入本期和累计")
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


def summarise_visits(visits, *, period: str, as_of: date, assignments: dict[str, list[str]] | None,
                     targets: Targets = Targets(), submitted: set[str] | None = None,
                     expected: set[str] | None = None) -> Summary:
    """Visits of the year up to `period`: per leader and village, this month and year to date.

    `visits` holds the accepted visit rows of the whole year (months up to the period); rows of
    other years or later months are left out and named in `notes`. Villages compare loosely
    (东坑 = 东坑村). Visits to a village the leader is not assigned get a row of their own,
    flagged 非挂点村, and count in the leader's totals. Without `assignments`, each visited
    village counts as assigned and unvisited villages cannot be listed.
    """
    import pandas as pd

    as_of = _as_date(as_of)
    year, period_month = _period_parts(period)
    month = _pace_month(year, period_month, as_of)
    rows, notes = _prepare_visits(visits, year, period)
    if assignments is None:
        notes.append("未提供挂点安排：按各领导实际调研的村统计，无法列出未调研的挂点村")
    plan: dict[str, list[tuple[str, str]]] = {}  # leader -> [(key, name)] assigned, in order
    for leader, villages in (assignments or {}).items():
        leader = _text(leader)
        if not leader:
            continue
        seen = plan.setdefault(leader, [])
        for v in villages or []:
            name = _text(v)
            if name and village_key(name) not in {k for k, _ in seen}:
                seen.append((village_key(name), name))
    leaders = list(plan) + sorted(set(rows["leader"].unique()) - set(plan))
    current = rows[rows["month"] == period]

    def stats(frame) -> tuple[int, int, int]:
        return len(frame), int(frame["days"].sum()), int(frame["solved"].sum())

    def sums(frame, by) -> dict:
        """{group: (visits, days, problems solved)} — one groupby, not one filter per leader and village."""
        g = frame.groupby(by, sort=False).agg(n=("days", "size"), d=("days", "sum"), s=("solved", "sum"))
        return {k: (int(n), int(d), int(x)) for k, n, d, x in zip(g.index, g["n"], g["d"], g["s"])}

    zero = (0, 0, 0)
    ytd_by, now_by = sums(rows, ["leader", "key"]), sums(current, ["leader", "key"])
    ytd_leader, now_leader = sums(rows, "leader"), sums(current, "leader")
    visited: dict[str, list[tuple[str, str]]] = {}  # leader -> [(key, village as first written)], in row order
    for leader, k, name in rows.drop_duplicates(["leader", "key"])[["leader", "key", "village"]].itertuples(
            index=False, name=None):
        visited.setdefault(leader, []).append((k, name))

    out_leaders, detail, per_leader = [], [], []
    counts = dict.fromkeys(PACE_STATUSES, 0)
    for leader in leaders:
        assigned = plan.get(leader, [])
        keys = [k for k, _ in assigned]
        names = dict(assigned)
        mine = visited.get(leader, [])
        if assignments is None:  # every visited village counts as assigned
            for k, name in mine:
                if k not in names:
                    keys.append(k)
                    names[k] = name
        extra = []
        for k, name in mine:
            if k not in names:
                names[k] = name
                extra.append(k)
        villages = []
        for k in keys + sorted(set(extra), key=lambda x: names[x]):
            ytd_v, ytd_d, ytd_s = ytd_by.get((leader, k), zero)
            v, d, s = now_by.get((leader, k), zero)
            is_assigned = k not in extra
            status = pace_status(ytd_v, ytd_d, targets, month) if is_assigned else NOT_ASSIGNED
            if is_assigned:
                counts[status] += 1
            villages.append({"village": names[k], "assigned": is_assigned, "visits": v, "days": d,
                             "problems_solved": s, "ytd_visits": ytd_v, "ytd_days": ytd_d, "status": status})
            detail.append([leader, names[k], "是" if is_assigned else "否", v, d, s, ytd_v, ytd_d, status])
        v, d, s = now_leader.get(leader, zero)
        ytd_v, ytd_d, ytd_s = ytd_leader.get(leader, zero)
        n_assigned = sum(1 for x in villages if x["assigned"])
        on_target = sum(1 for x in villages if x["status"] == ON_TARGET)
        out_leaders.append({
            "leader": leader, "visits": v, "days": d, "problems_solved": s,
            "ytd_visits": ytd_v, "ytd_days": ytd_d, "ytd_problems_solved": ytd_s,
            "assigned_villages": n_assigned, "target_visits": targets.visits * n_assigned,
            "target_days": targets.days * n_assigned, "villages": villages})
        per_leader.append([leader, n_assigned, v, d, s, ytd_v, ytd_d, ytd_s, targets.visits * n_assigned,
                           targets.days * n_assigned, on_target])

    visited_keys = set(rows["key"].unique())
    assigned_to: dict[str, list[str]] = {}  # village key -> the leaders it is assigned to
    for leader, assigned in plan.items():
        for k, _ in assigned:
            assigned_to.setdefault(k, []).append(leader)
    unvisited, unvisited_rows, listed = [], [], set()
    for leader, assigned in plan.items():
        for k, name in assigned:
            if k in visited_keys or k in listed:
                continue
            listed.add(k)
            unvisited.append(name)
            unvisited_rows.append([name, "、".join(assigned_to[k]), NOT_STARTED])

    per_month = rows.groupby(["leader", "month_no"], sort=False).size()
    counted = {key: int(n) for key, n in per_month.items()}
    months = {leader: [counted.get((leader, m), 0) for m in range(1, 13)] for leader in leaders}

    not_submitted = None
    if expected is not None and submitted is not None:
        not_submitted = sorted(set(expected) - set(submitted))

    v, d, s = stats(current)
    ytd_v, ytd_d, ytd_s = stats(rows)
    totals = {"visits": v, "days": d, "problems_solved": s,
              "leaders": int(current["leader"].nunique()), "villages_visited": int(current["key"].nunique()),
              "ytd_visits": ytd_v, "ytd_days": ytd_d, "ytd_problems_solved": ytd_s,
              "assigned_villages": len({k for vs in plan.values() for k, _ in vs})}
    data = {"kind": "visits", "period": period, "as_of": as_of.isoformat(), "pace_month": month,
            "targets": {"visits": targets.visits, "days": targets.days}, "totals": totals,
            "status_counts": counts, "leaders": out_leaders, "unvisited_villages": unvisited,
            "not_submitted": not_submitted or [], "months": months, "notes": notes}

    label = f"{year}年{period_month}月"
    pace_v, pace_d = targets.visits * month / 12, targets.days * month / 12
    pace_text = (f"截至{as_of.isoformat()}，按{month}月序时进度：每村 {_num(pace_v)} 次、{_num(pace_d)} 天；"
                 f"全年目标：每村 {targets.visits} 次、{targets.days} 天")
    tables = [
        SummaryTable("挂点村进度", f"{label}挂点调研进度（{pace_text}）", pd.DataFrame(detail, columns=[
            "镇领导", "调研村", "是否挂点村", "本月调研次数", "本月调研天数", "本月推动解决问题数",
            "本年累计次数", "本年累计天数", "进度状态"]), status_column="进度状态"),
        SummaryTable("领导汇总", f"{label}各镇领导挂点调研汇总（年度目标 = 每村{targets.visits}次 × 挂点村数）",
                     pd.DataFrame(per_leader, columns=[
                         "镇领导", "挂点村数", "本月调研次数", "本月调研天数", "本月推动解决问题数", "本年累计次数",
                         "本年累计天数", "本年推动解决问题数", "年度目标次数", "年度目标天数", "达标村数"]),
                     chart=ChartSpec("column", f"{year}年各镇领导累计调研次数与年度目标", "镇领导",
                                     [("本年累计次数", "本年累计调研次数")],
                                     line=[("年度目标次数", f"年度目标（每村{targets.visits}次×挂点村数）")],
                                     y_title="次数")),
        SummaryTable("月度调研次数", f"{year}年各镇领导每月调研次数（截至{period_month}月）", pd.DataFrame(
            [[leader, *months[leader], sum(months[leader])] for leader in leaders],
            columns=["镇领导", *[f"{m}月" for m in range(1, 13)], "合计"])),
    ]
    if assignments is not None:
        tables.append(SummaryTable("未调研挂点村", f"{year}年尚无镇领导调研的挂点村（截至{period_month}月）",
                                   pd.DataFrame(unvisited_rows, columns=["挂点村", "挂点领导", "状态"]),
                                   status_column="状态"))
    if not_submitted is not None:
        tables.append(SummaryTable("未报送名单", f"{label}应报未报的镇领导（催报）",
                                   pd.DataFrame([[n] for n in not_submitted], columns=["镇领导"])))

    highlights = [
        f"{label}，{totals['leaders']} 名镇领导到 {totals['villages_visited']} 个村开展挂点调研 {v} 次、{d} 天，"
        f"推动解决问题 {s} 个；{year}年累计 {ytd_v} 次、{ytd_d} 天。",
        f"挂点村进度（{month}月序时进度每村 {_num(pace_v)} 次、{_num(pace_d)} 天）：" +
        "、".join(f"{k} {counts[k]} 个" for k in PACE_STATUSES) + "。",
    ]
    if assignments is not None:
        highlights.append(f"本年尚无领导调研的挂点村：{_joined(unvisited)}。")
    if not_submitted is not None:
        highlights.append(f"本月未报送：{_joined(not_submitted)}。")
    return Summary("visits", f"{label}挂点调研情况", data, tables, highlights)


# --- tasks ---------------------------------------------------------------------------------------

def _unit_rows(tasks, unit, problems, rectified: dict[str, bool], order: list[str] | None = None) -> list[dict]:
    """One summary row per unit, from one groupby: `unit` gives each task's unit, `problems` the
    (unit, 问题编号) pairs a unit answers for, `order` the units in order (default: as they appear)."""
    import pandas as pd

    state = tasks["完成状态"]
    overdue = tasks["是否逾期"] == "是"
    flags = pd.DataFrame({
        "unit": unit.to_numpy(), "tasks": 1, "completed": (state == "已完成").to_numpy(),
        "in_progress": (state == "推进中").to_numpy(), "not_started": (state == "未启动").to_numpy(),
        "overdue": overdue.to_numpy(),
        "days": pd.to_numeric(tasks["逾期天数"], errors="coerce").where(overdue.to_numpy()).to_numpy(),
        "completed_late": (tasks["超期完成"] == "是").to_numpy()})
    g = flags.groupby("unit", sort=False).agg(
        tasks=("tasks", "sum"), completed=("completed", "sum"), in_progress=("in_progress", "sum"),
        not_started=("not_started", "sum"), overdue=("overdue", "sum"), overdue_days=("days", "sum"),
        max_overdue_days=("days", "max"), completed_late=("completed_late", "sum"))
    counted = problems.assign(done=problems["问题编号"].map(rectified).fillna(False).astype(bool)).groupby(
        "unit", sort=False)["done"].agg(["size", "sum"])
    g = g.reindex(order if order is not None else g.index).assign(
        problems=counted["size"], problems_rectified=counted["sum"]).fillna(0)  # a unit without tasks: zeros
    out = []
    for u, *values in g.itertuples(name=None):
        row = dict(zip(g.columns, map(int, values)))
        out.append({"unit": u, **row, "rectification_rate": _rate(row["problems_rectified"], row["problems"])})
    return out


UNIT_COLUMNS = {"tasks": "任务数", "completed": "已完成", "in_progress": "推进中", "not_started": "未启动",
                "overdue": "逾期", "overdue_days": "逾期天数合计", "max_overdue_days": "最长逾期天数",
                "completed_late": "超期完成", "problems": "涉及问题数", "problems_rectified": "已整改问题数",
                "rectification_rate": "整改完成率"}


def _unit_frame(units: list[dict], unit_header: str):
    import pandas as pd

    rows = [[u["unit"], *[u[k] for k in UNIT_COLUMNS], OVERDUE if u["overdue"] else NORMAL] for u in units]
    frame = pd.DataFrame(rows, columns=[unit_header, *UNIT_COLUMNS.values(), "状态"])
    frame["整改完成率"] = frame["整改完成率"].astype("float64")
    return frame


def summarise_tasks(problems, responsibilities, tasks, *, as_of: date, due_soon_days: int = DUE_SOON_DAYS) -> Summary:
    """Progress of a task list (问题整改 or 会议议定事项 …) as of a date.

    Derived columns are recomputed with derive_tasks(tasks, as_of). A problem is 已整改 when it
    has tasks and all of them are 已完成; the problems are those of 问题清单 plus any other
    问题编号 the tasks name. `problems` and `responsibilities` may be None or empty.
    """
    import pandas as pd

    from bqw.ledgers.rectification import (DONE, STANDING_COLUMN, STANDING_DEADLINE, STATUS_SYNONYMS, TASK_SOURCES,
                                           derive_tasks)

    as_of = _as_date(as_of)
    notes: list[str] = []
    t = (tasks if tasks is not None else pd.DataFrame()).reset_index(drop=True).copy()
    for name in ("任务编号", "问题编号", "任务来源", "牵头单位", "完成状态"):  # keys: compared and grouped
        t[name] = _text_column(_column(t, name))
    for name in ("任务内容", "进展情况"):  # free text, only shown: blanks as None, the text as read
        values = _column(t, name).astype(object)
        t[name] = values.where(values.notna(), None)
    for name in ("完成时限", "完成时间"):
        t[name] = pd.to_datetime(_column(t, name), errors="coerce")
    t["完成状态"] = t["完成状态"].replace(STATUS_SYNONYMS)
    standing = (_column(t, STANDING_COLUMN) == "是").to_numpy(dtype=bool)  # 完成时限 “长期坚持”: never overdue
    t[STANDING_COLUMN] = pd.Series(standing, index=t.index).map({True: "是", False: "否"}).astype(object)
    t = derive_tasks(t, as_of, copy=False)  # t is this function's own copy
    no_deadline = int((t["完成时限"].isna() & ~standing).sum())
    if no_deadline:
        notes.append(f"{no_deadline} 项任务没有完成时限，无法判断是否逾期")
    if standing.any():
        notes.append(f"{int(standing.sum())} 项为长期任务（完成时限“{STANDING_DEADLINE}”），不计逾期")
    t["牵头单位"] = t["牵头单位"].fillna(UNSPECIFIED)
    as_of_ts = pd.Timestamp(as_of)

    problem_ids: list[str] = []
    if problems is not None and len(problems) and "问题编号" in problems:
        problem_ids = list(_text_column(problems["问题编号"]).dropna().unique())
    problem_ids = list(dict.fromkeys([*problem_ids, *t["问题编号"].dropna().unique()]))
    all_done = (t["完成状态"] == DONE).groupby(t["问题编号"], sort=False).all()  # problems that have tasks
    rectified = dict.fromkeys(problem_ids, False)
    rectified.update((p, bool(x)) for p, x in zip(all_done.index.tolist(), all_done.tolist()) if p in rectified)

    units = _unit_rows(t, t["牵头单位"], t[["牵头单位", "问题编号"]].dropna().drop_duplicates()
                       .set_axis(["unit", "问题编号"], axis=1), rectified)

    responsible = []
    if responsibilities is not None and len(responsibilities) and {"问题编号", "责任单位"} <= set(
            responsibilities.columns):
        pairs = pd.DataFrame({"问题编号": _text_column(responsibilities["问题编号"]),
                              "unit": _text_column(responsibilities["责任单位"])}).dropna().drop_duplicates()
        linked = t.merge(pairs, on="问题编号", how="inner", sort=False)
        responsible = _unit_rows(linked, linked["unit"], pairs, rectified, order=list(dict.fromkeys(pairs["unit"])))

    overdue_mask = t["是否逾期"] == "是"
    od = t[overdue_mask].sort_values(["逾期天数", "任务编号"], ascending=[False, True], na_position="last")
    overdue = [{"task_id": a, "unit": b, "deadline": c, "days_overdue": int(d), "content": e, "status": f,
                "problem_id": g} for a, b, c, d, e, f, g in zip(
        *(od[c].tolist() for c in ("任务编号", "牵头单位")), _iso_column(od["完成时限"]),
        *(od[c].tolist() for c in ("逾期天数", "任务内容", "完成状态", "问题编号")))]
    soon_mask = (t["完成状态"] != DONE) & t["完成时限"].notna() & (t["完成时限"] >= as_of_ts) & (
        t["完成时限"] <= as_of_ts + pd.Timedelta(days=due_soon_days))
    ds = t[soon_mask].copy()  # computed on the subset: assigning a full Series to an empty frame adopts its index
    ds["剩余天数"] = (ds["完成时限"] - as_of_ts).dt.days
    ds = ds.sort_values(["完成时限", "任务编号"])
    due_soon = [{"task_id": a, "unit": b, "deadline": c, "days_left": int(d), "content": e, "status": f,
                 "problem_id": g} for a, b, c, d, e, f, g in zip(
        *(ds[c].tolist() for c in ("任务编号", "牵头单位")), _iso_column(ds["完成时限"]),
        *(ds[c].tolist() for c in ("剩余天数", "任务内容", "完成状态", "问题编号")))]

    sources = t["任务来源"].fillna(UNSPECIFIED)
    counted = sources.value_counts(sort=False)
    present = set(counted.index)
    order = [s for s in (*TASK_SOURCES, UNSPECIFIED) if s in present]
    order += sorted(present - set(order))
    by_source = {s: int(counted[s]) for s in order}

    n_done = int((t["完成状态"] == DONE).sum())
    n_rect = sum(rectified.values())
    totals = {"problems": len(problem_ids), "problems_rectified": n_rect, "tasks": len(t), "completed": n_done,
              "in_progress": int((t["完成状态"] == "推进中").sum()),
              "not_started": int((t["完成状态"] == "未启动").sum()), "overdue": int(overdue_mask.sum()),
              "completed_late": int((t["超期完成"] == "是").sum()), "due_soon": len(due_soon),
              "completion_rate": _rate(n_done, len(t)), "rectification_rate": _rate(n_rect, len(problem_ids))}
    data = {"kind": "tasks", "as_of": as_of.isoformat(), "totals": totals, "units": units,
            "responsible_units": responsible, "overdue": overdue, "due_soon": due_soon,
            "by_source": by_source, "notes": notes}

    day = as_of.isoformat()

    def make_tables() -> list[SummaryTable]:  # built when a report asks (JSON does not)
        stacked = ChartSpec("column", "各牵头单位任务完成情况", "牵头单位",
                            [("已完成", "已完成"), ("推进中", "推进中"), ("未启动", "未启动")], stacked=True,
                            y_title="任务数")
        tables = [SummaryTable("牵头单位进度", f"各牵头单位任务推进情况（截至{day}）", _unit_frame(units, "牵头单位"),
                               status_column="状态", chart=stacked, formats={"整改完成率": "percent"})]
        if responsible:
            tables.append(SummaryTable(
                "责任单位进度", f"各责任单位问题整改情况（截至{day}，按责任清单）", _unit_frame(responsible, "责任单位"),
                status_column="状态", formats={"整改完成率": "percent"},
                chart=ChartSpec("column", "各责任单位任务完成情况", "责任单位",
                                [("已完成", "已完成"), ("推进中", "推进中"), ("未启动", "未启动")], stacked=True,
                                y_title="任务数")))
        tables.append(SummaryTable("逾期事项", f"逾期未完成事项（截至{day}，共{len(overdue)}项）", pd.DataFrame(
            [[x["task_id"], x["unit"], x["content"], deadline, x["days_overdue"], x["status"], "是"]
             for x, deadline in zip(overdue, od["完成时限"])],
            columns=["任务编号", "牵头单位", "任务内容", "完成时限", "逾期天数", "完成状态", "是否逾期"]),
            status_column="是否逾期"))
        tables.append(SummaryTable("临期预警", f"{due_soon_days}天内到期未完成事项（{day} 至 "
                                               f"{(as_of + timedelta(days=due_soon_days)).isoformat()}）", pd.DataFrame(
            [[x["task_id"], x["unit"], x["content"], deadline, x["days_left"], x["status"], DUE_SOON]
             for x, deadline in zip(due_soon, ds["完成时限"])],
            columns=["任务编号", "牵头单位", "任务内容", "完成时限", "剩余天数", "完成状态", "状态"]),
            status_column="状态"))
        source_rows = []
        for s in order:
            g = t[sources == s]
            source_rows.append([s, len(g), int((g["完成状态"] == DONE).sum()), int((g["完成状态"] == "推进中").sum()),
                                int((g["完成状态"] == "未启动").sum()), int((g["是否逾期"] == "是").sum())])
        tables.append(SummaryTable("任务来源", "按任务来源统计", pd.DataFrame(
            source_rows, columns=["任务来源", "任务数", "已完成", "推进中", "未启动", "逾期"])))
        detail = t[["任务编号", "问题编号", "任务内容", "任务来源", "牵头单位", "完成时限", "完成状态", "完成时间",
                    "是否逾期", "逾期天数", "超期完成", "进展情况", STANDING_COLUMN]]
        if standing.any():  # a standing task's 完成时限 reads “长期”
            detail = detail.assign(完成时限=detail["完成时限"].astype(object).where(~standing, STANDING_DEADLINE))
        tables.append(SummaryTable("任务明细", f"任务明细（逾期按{day}计算）", detail.reset_index(drop=True),
                                   status_column="是否逾期", detail=True))
        return tables

    highlights = [
        f"截至{day}：共 {len(problem_ids)} 个问题、{len(t)} 项任务，已完成 {n_done} 项、推进中 "
        f"{totals['in_progress']} 项、未启动 {totals['not_started']} 项；逾期 {totals['overdue']} 项，"
        f"超期完成 {totals['completed_late']} 项；问题整改完成率 {_pct(totals['rectification_rate'])}"
        f"（{n_rect}/{len(problem_ids)}）。",
        "逾期事项：" + _joined([f"{x['task_id']}（{x['unit']}，逾期{x['days_overdue']}天）" for x in overdue]) + "。",
        f"{due_soon_days}天内到期：" + _joined([f"{x['task_id']}（{x['unit']}，{x['deadline']}）" for x in due_soon])
        + "。",
    ]
    return Summary("tasks", f"问题整改及任务落实情况（截至{day}）", data, make_tables, highlights)


# --- roster --------------------------------------------------------------------------------------

def summarise_roster(roster) -> Summary:
    """Members per 所属专班 and per 单位 (a person listed twice counts once), units without a
    联络员 or with several, and persons listed more than once (same 姓名 and 单位)."""
    import pandas as pd

    from bqw.ledgers.roster import CHIEF, LIAISON, TEAMS

    f = (roster if roster is not None else pd.DataFrame()).reset_index(drop=True)
    people = pd.DataFrame({"name": _column(f, "姓名").map(_text), "unit": _column(f, "单位").map(_text),
                           "post": _column(f, "指挥部职务").map(_text), "team": _column(f, "所属专班").map(_text)})
    notes = []
    blank = people["name"].isna() | people["unit"].isna()
    if blank.any():
        notes.append(f"{int(blank.sum())} 行缺少姓名或单位，未计入统计")
    people = people[~blank]
    counted = people.groupby(["name", "unit"], sort=False).size()
    duplicates = [{"name": n, "unit": u, "count": int(c)} for (n, u), c in counted.items() if c > 1]
    distinct = people.drop_duplicates(["name", "unit"])
    teams = distinct["team"].fillna(NO_TEAM)
    team_order = [x for x in (*TEAMS, NO_TEAM) if x in set(teams)] + sorted(set(teams) - {*TEAMS, NO_TEAM})
    by_team = {x: int((teams == x).sum()) for x in team_order}
    by_unit, unit_rows, without, several = {}, [], [], []
    for unit, group in distinct.groupby("unit", sort=False):
        liaisons = list(group.loc[group["post"] == LIAISON, "name"])
        by_unit[unit] = len(group)
        state = NORMAL
        if not liaisons:
            without.append(unit)
            state = NO_LIAISON
        elif len(liaisons) > 1:
            several.append(unit)
            state = SEVERAL_LIAISONS
        unit_rows.append([unit, len(group), "、".join(liaisons), state])
    chiefs = list(distinct.loc[distinct["post"] == CHIEF, "name"])
    totals = {"members": len(distinct), "rows": len(people), "units": len(by_unit),
              "teams": sum(1 for x in by_team if x != NO_TEAM), "liaisons": int((distinct["post"] == LIAISON).sum())}
    data = {"kind": "roster", "totals": totals, "by_team": by_team, "by_unit": by_unit,
            "units_without_liaison": without, "units_with_several_liaisons": several,
            "duplicates": duplicates, "chiefs": chiefs, "notes": notes}
    tables = [
        SummaryTable("专班人数", "各专班成员人数", pd.DataFrame(list(by_team.items()), columns=["所属专班", "人数"]),
                     chart=ChartSpec("column", "各专班成员人数", "所属专班", [("人数", "人数")], y_title="人数")),
        SummaryTable("单位人数", "各成员单位人数及联络员", pd.DataFrame(
            unit_rows, columns=["单位", "人数", "联络员", "联络员情况"]), status_column="联络员情况"),
        SummaryTable("缺联络员单位", "未指定联络员的单位", pd.DataFrame([[u, NO_LIAISON] for u in without],
                                                                 columns=["单位", "状态"]), status_column="状态"),
        SummaryTable("重复人员", "重复列出的人员（同一单位同一姓名）", pd.DataFrame(
            [[d["name"], d["unit"], d["count"], DUPLICATE] for d in duplicates],
            columns=["姓名", "单位", "出现次数", "状态"]), status_column="状态"),
    ]
    highlights = [
        f"指挥部成员 {totals['members']} 人（名单 {totals['rows']} 行），{totals['units']} 个单位，"
        f"{totals['teams']} 个专班；总指挥：{_joined(chiefs)}。",
        f"未指定联络员的单位：{_joined(without)}。",
        "重复列出的人员：" + _joined([f"{d['name']}（{d['unit']}，{d['count']}次）" for d in duplicates]) + "。",
    ]
    if several:
        highlights.append(f"有多名联络员的单位：{_joined(several)}。")
    return Summary("roster", "指挥部成员名单统计", data, tables, highlights)


# --- scores --------------------------------------------------------------------------------------

def summarise_scores(scores, *, standard: float = 80.0) -> Summary:
    """Totals and group subtotals recomputed (derive_scores), 一票否决, ranking.

    Villages not vetoed are ranked by total (equal totals share a rank: 1, 2, 2, 4); vetoed
    villages are ranked after all others. reaches_standard: total ≥ standard and not vetoed.
    """
    import pandas as pd

    from bqw.ledgers.scores import GROUPS, TOTAL, derive_scores

    f = (scores if scores is not None else pd.DataFrame()).reset_index(drop=True)
    if len(f):
        f = derive_scores(f)
    groups = [g for g, _p, _m in GROUPS]
    rows = []
    for _, r in f.iterrows():
        total = r.get(TOTAL)
        rows.append({"village": _text(r.get("村名")) or UNSPECIFIED,
                     "total": None if _missing(total) else float(total),
                     "groups": {g: (None if _missing(r.get(f"{g}小计")) else float(r.get(f"{g}小计")))
                                for g in groups},
                     "veto": r.get("一票否决") == "是"})
    ok = sorted((x for x in rows if not x["veto"]), key=lambda x: -(x["total"] or 0))
    vetoed = sorted((x for x in rows if x["veto"]), key=lambda x: -(x["total"] or 0))
    ranked = []
    for i, x in enumerate(ok):
        x["rank"] = ranked[-1]["rank"] if ranked and ranked[-1]["total"] == x["total"] else i + 1
        ranked.append(x)
    for x in vetoed:
        x["rank"] = len(ok) + 1  # all vetoed villages share the last place
        ranked.append(x)
    for x in ranked:
        x["reaches_standard"] = bool(not x["veto"] and x["total"] is not None and x["total"] >= standard)
    villages = [{"village": x["village"], "total": x["total"], "groups": x["groups"], "veto": x["veto"],
                 "rank": x["rank"], "reaches_standard": x["reaches_standard"]} for x in ranked]
    data = {"kind": "scores", "standard": standard, "villages": villages,
            "totals": {"villages": len(villages), "reaching_standard": sum(x["reaches_standard"] for x in villages),
                       "vetoed": len(vetoed)}, "notes": []}
    frame = pd.DataFrame(
        [[x["rank"], x["village"], *[x["groups"][g] for g in groups], x["total"], "是" if x["veto"] else "否",
          VETOED if x["veto"] else (PASSED if x["reaches_standard"] else FAILED)] for x in villages],
        columns=["排名", "村名", *groups, "总分", "一票否决", "评价结果"])
    for g in (*groups, "总分"):
        frame[g] = frame[g].astype("float64")
    table = SummaryTable("典型村评价", f"典型村评价得分及排名（达标线 {_num(standard)} 分；负面清单任一项为“有”即一票否决）",
                         frame, status_column="评价结果",
                         chart=ChartSpec("bar", "典型村评价总分", "村名", [("总分", "总分")], y_title="分"))
    passed = [x["village"] for x in villages if x["reaches_standard"]]
    highlights = [
        f"共评价 {len(villages)} 个村，达标（≥{_num(standard)} 分且无负面清单）{len(passed)} 个：{_joined(passed)}。",
        "一票否决：" + _joined([f"{x['village']}（{_num(x['total'] or 0)} 分）" for x in vetoed]) + "。",
    ]
    return Summary("scores", "典型村评价结果", data, [table], highlights)

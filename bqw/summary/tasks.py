"""The tasks summary (问题整改 and other task lists): per 牵头单位 and 责任单位, overdue and
due-soon items, counts by source, rectified problems.

No file I/O; pandas is imported inside the functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bqw.summary.common import (DUE_SOON, DUE_SOON_DAYS, NORMAL, OVERDUE, UNSPECIFIED, ChartSpec, Summary,
                                SummaryTable, as_date, column_or_default, iso_column, joined, percent_text, rate,
                                stripped_or_none_column)

if TYPE_CHECKING:
    import pandas as pd

UNIT_COLUMNS = {"tasks": "任务数", "completed": "已完成", "in_progress": "推进中", "not_started": "未启动",
                "overdue": "逾期", "overdue_days": "逾期天数合计", "max_overdue_days": "最长逾期天数",
                "completed_late": "超期完成", "problems": "涉及问题数", "problems_rectified": "已整改问题数",
                "rectification_rate": "整改完成率"}
STATE_SERIES = [("已完成", "已完成"), ("推进中", "推进中"), ("未启动", "未启动")]


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
        out.append({"unit": u, **row, "rectification_rate": rate(row["problems_rectified"], row["problems"])})
    return out


def _unit_frame(units: list[dict], unit_header: str):
    import pandas as pd

    rows = [[u["unit"], *[u[k] for k in UNIT_COLUMNS], OVERDUE if u["overdue"] else NORMAL] for u in units]
    frame = pd.DataFrame(rows, columns=[unit_header, *UNIT_COLUMNS.values(), "状态"])
    frame["整改完成率"] = frame["整改完成率"].astype("float64")
    return frame


def _clean_tasks(tasks, as_of: date, notes: list[str]):
    """The tasks with clean keys, dates and derived columns (derive_tasks); the standing tasks' mask."""
    import pandas as pd

    from bqw.ledgers.rectification import STANDING_COLUMN, STANDING_DEADLINE, STATUS_SYNONYMS, derive_tasks

    t = (tasks if tasks is not None else pd.DataFrame()).reset_index(drop=True).copy()
    for name in ("任务编号", "问题编号", "任务来源", "牵头单位", "完成状态"):  # keys: compared and grouped
        t[name] = stripped_or_none_column(column_or_default(t, name))
    for name in ("任务内容", "进展情况"):  # free text, only shown: blanks as None, the text as read
        values = column_or_default(t, name).astype(object)
        t[name] = values.where(values.notna(), None)
    for name in ("完成时限", "完成时间"):
        t[name] = pd.to_datetime(column_or_default(t, name), errors="coerce")
    t["完成状态"] = t["完成状态"].replace(STATUS_SYNONYMS)
    standing = (column_or_default(t, STANDING_COLUMN) == "是").to_numpy(dtype=bool)  # “长期坚持”: never overdue
    t[STANDING_COLUMN] = pd.Series(standing, index=t.index).map({True: "是", False: "否"}).astype(object)
    t = derive_tasks(t, as_of, copy=False)  # t is this function's own copy
    no_deadline = int((t["完成时限"].isna() & ~standing).sum())
    if no_deadline:
        notes.append(f"{no_deadline} 项任务没有完成时限，无法判断是否逾期")
    if standing.any():
        notes.append(f"{int(standing.sum())} 项为长期任务（完成时限“{STANDING_DEADLINE}”），不计逾期")
    t["牵头单位"] = t["牵头单位"].fillna(UNSPECIFIED)
    return t, standing


def _rectified(problems, t) -> tuple[list[str], dict[str, bool]]:
    """The problems (问题清单's, then any other the tasks name) and whether each is rectified:
    it has tasks and all of them are 已完成."""
    from bqw.ledgers.rectification import DONE

    problem_ids: list[str] = []
    if problems is not None and len(problems) and "问题编号" in problems:
        problem_ids = list(stripped_or_none_column(problems["问题编号"]).dropna().unique())
    problem_ids = list(dict.fromkeys([*problem_ids, *t["问题编号"].dropna().unique()]))
    all_done = (t["完成状态"] == DONE).groupby(t["问题编号"], sort=False).all()  # problems that have tasks
    rectified = dict.fromkeys(problem_ids, False)
    rectified.update((p, bool(x)) for p, x in zip(all_done.index.tolist(), all_done.tolist()) if p in rectified)
    return problem_ids, rectified


def _responsible_units(responsibilities, t, rectified: dict[str, bool]) -> list[dict]:
    """Rows per 责任单位 of the 责任清单 (its tasks are those of the problems it answers for)."""
    import pandas as pd

    if responsibilities is None or not len(responsibilities) or not {"问题编号", "责任单位"} <= set(
            responsibilities.columns):
        return []
    pairs = pd.DataFrame({"问题编号": stripped_or_none_column(responsibilities["问题编号"]),
                          "unit": stripped_or_none_column(responsibilities["责任单位"])}).dropna().drop_duplicates()
    linked = t.merge(pairs, on="问题编号", how="inner", sort=False)
    return _unit_rows(linked, linked["unit"], pairs, rectified, order=list(dict.fromkeys(pairs["unit"])))


def _listed(frame, days_column: str, days_key: str) -> list[dict]:
    """The JSON records of overdue or due-soon tasks."""
    return [{"task_id": a, "unit": b, "deadline": c, days_key: int(d), "content": e, "status": f, "problem_id": g}
            for a, b, c, d, e, f, g in zip(
                *(frame[c].tolist() for c in ("任务编号", "牵头单位")), iso_column(frame["完成时限"]),
                *(frame[c].tolist() for c in (days_column, "任务内容", "完成状态", "问题编号")))]


def _due_soon_frame(t, as_of: date, due_soon_days: int):
    """Open tasks due from `as_of` to `due_soon_days` later, with 剩余天数, by deadline."""
    import pandas as pd

    from bqw.ledgers.rectification import DONE

    as_of_ts = pd.Timestamp(as_of)
    soon_mask = (t["完成状态"] != DONE) & t["完成时限"].notna() & (t["完成时限"] >= as_of_ts) & (
        t["完成时限"] <= as_of_ts + pd.Timedelta(days=due_soon_days))
    ds = t[soon_mask].copy()  # computed on the subset: assigning a full Series to an empty frame adopts its index
    ds["剩余天数"] = (ds["完成时限"] - as_of_ts).dt.days
    return ds.sort_values(["完成时限", "任务编号"])


def _source_order(sources) -> list[str]:
    """The task sources present: the ledger's own order first, then others by name."""
    from bqw.ledgers.rectification import TASK_SOURCES

    present = set(sources.value_counts(sort=False).index)
    order = [s for s in (*TASK_SOURCES, UNSPECIFIED) if s in present]
    return order + sorted(present - set(order))


@dataclass
class _TaskResult:
    """What the tables and sentences of the tasks summary are made from."""

    as_of: date
    due_soon_days: int
    tasks: "pd.DataFrame"
    standing: object  # numpy bool mask of the standing tasks
    units: list[dict]
    responsible: list[dict]
    overdue: list[dict]
    overdue_frame: "pd.DataFrame"
    due_soon: list[dict]
    due_soon_frame: "pd.DataFrame"
    sources: "pd.Series"
    source_order: list[str]


def _state_chart(title: str, unit_header: str) -> ChartSpec:
    return ChartSpec("column", title, unit_header, list(STATE_SERIES), stacked=True, y_title="任务数")


def _listing_frame(records: list[dict], deadlines, days_key: str, columns: list[str], flag: str):
    import pandas as pd

    return pd.DataFrame([[x["task_id"], x["unit"], x["content"], deadline, x[days_key], x["status"], flag]
                         for x, deadline in zip(records, deadlines)], columns=columns)


def _task_tables(r: _TaskResult) -> list[SummaryTable]:
    import pandas as pd

    from bqw.ledgers.rectification import DONE, STANDING_COLUMN, STANDING_DEADLINE

    day = r.as_of.isoformat()
    tables = [SummaryTable("牵头单位进度", f"各牵头单位任务推进情况（截至{day}）", _unit_frame(r.units, "牵头单位"),
                           status_column="状态", chart=_state_chart("各牵头单位任务完成情况", "牵头单位"),
                           formats={"整改完成率": "percent"})]
    if r.responsible:
        tables.append(SummaryTable(
            "责任单位进度", f"各责任单位问题整改情况（截至{day}，按责任清单）", _unit_frame(r.responsible, "责任单位"),
            status_column="状态", formats={"整改完成率": "percent"},
            chart=_state_chart("各责任单位任务完成情况", "责任单位")))
    listing = _listing_frame(r.overdue, r.overdue_frame["完成时限"], "days_overdue",
                             ["任务编号", "牵头单位", "任务内容", "完成时限", "逾期天数", "完成状态", "是否逾期"], "是")
    listing["升级措施"] = pd.Series([x.get("step") or "催办" for x in r.overdue], dtype=object)
    listing["依据"] = pd.Series([x.get("step_reason", "") for x in r.overdue], dtype=object)
    tables.append(SummaryTable("逾期事项", f"逾期未完成事项（截至{day}，共{len(r.overdue)}项）", listing,
                               status_column="是否逾期"))
    until = (r.as_of + timedelta(days=r.due_soon_days)).isoformat()
    tables.append(SummaryTable("临期预警", f"{r.due_soon_days}天内到期未完成事项（{day} 至 {until}）", _listing_frame(
        r.due_soon, r.due_soon_frame["完成时限"], "days_left",
        ["任务编号", "牵头单位", "任务内容", "完成时限", "剩余天数", "完成状态", "状态"], DUE_SOON),
        status_column="状态"))
    t, source_rows = r.tasks, []
    for s in r.source_order:
        g = t[r.sources == s]
        source_rows.append([s, len(g), int((g["完成状态"] == DONE).sum()), int((g["完成状态"] == "推进中").sum()),
                            int((g["完成状态"] == "未启动").sum()), int((g["是否逾期"] == "是").sum())])
    tables.append(SummaryTable("任务来源", "按任务来源统计", pd.DataFrame(
        source_rows, columns=["任务来源", "任务数", "已完成", "推进中", "未启动", "逾期"])))
    detail = t[["任务编号", "问题编号", "任务内容", "任务来源", "牵头单位", "完成时限", "完成状态", "完成时间",
                "是否逾期", "逾期天数", "超期完成", "进展情况", STANDING_COLUMN]]
    if r.standing.any():  # a standing task's 完成时限 reads “长期”
        detail = detail.assign(完成时限=detail["完成时限"].astype(object).where(~r.standing, STANDING_DEADLINE))
    tables.append(SummaryTable("任务明细", f"任务明细（逾期按{day}计算）", detail.reset_index(drop=True),
                               status_column="是否逾期", detail=True))
    return tables


def _task_highlights(totals: dict, overdue: list[dict], due_soon: list[dict], day: str, due_soon_days: int) -> list[str]:
    return [
        f"截至{day}：共 {totals['problems']} 个问题、{totals['tasks']} 项任务，已完成 {totals['completed']} 项、推进中 "
        f"{totals['in_progress']} 项、未启动 {totals['not_started']} 项；逾期 {totals['overdue']} 项，"
        f"超期完成 {totals['completed_late']} 项；问题整改完成率 {percent_text(totals['rectification_rate'])}"
        f"（{totals['problems_rectified']}/{totals['problems']}）。",
        "逾期事项：" + joined([f"{x['task_id']}（{x['unit']}，逾期{x['days_overdue']}天）" for x in overdue]) + "。",
        f"{due_soon_days}天内到期：" + joined([f"{x['task_id']}（{x['unit']}，{x['deadline']}）" for x in due_soon])
        + "。",
    ]


# --- escalation of overdue tasks, and tasks that wait for other work (docs/summaries.md) -------------

SUPERVISE, INTERVIEW, LISTING = "督办", "约谈", "挂牌"

# a task whose own text says it waits for other work (“待二期完工后实施”, “需征地完成后启动”): the one
# list of these wordings; such a task is not criticised before its deadline
WAITING_PATTERNS = tuple(re.compile(p) for p in (
    r"待[^，。；,;]{1,30}?后(?:方可|再|才能)?(?:实施|启动|开工|推进|建设|开展|进行)",
    r"[需须][^，。；,;]{1,30}?(?:完成|完工|竣工|建成|到位|批复|验收|确定)后(?:方可|再|才能)?(?:实施|启动|开工|推进|建设|开展|进行)",
    r"等待[^，。；,;]{1,30}?后(?:方可|再|才能)?(?:实施|启动|开工|推进|建设|开展|进行)",
))


def waits_for_other_work(*texts) -> bool:
    """True when one of `texts` (a task's 任务内容, 进展情况) says the task waits for other work."""
    return any(p.search(t) for t in texts if isinstance(t, str) for p in WAITING_PATTERNS)


@dataclass(frozen=True)
class Escalation:
    """bqw.toml [escalation]: overdue this many days → 督办, → 约谈; overdue at this many consecutive
    month ends → 挂牌 (002 督办、约谈、挂牌; 001 第十一条 督导督办)."""

    supervise_days: int = 15
    interview_days: int = 30
    listing_months: int = 3


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def months_overdue(task_id: str, deadline: date | None, history: dict | None, as_of: date, most: int = 36) -> int:
    """How many consecutive month ends, back from the last one on or before `as_of`, found the task
    overdue (its 完成时限 passed, not 已完成) in the lists of that month (`history`: month -> {任务编号:
    TaskState}, bqw.store.history.month_task_states); a month without a list is judged by `deadline`
    (the task is open now, so it was open then)."""
    y, m = as_of.year, as_of.month
    if _month_end(y, m) > as_of:
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    count = 0
    for _ in range(most):
        end = _month_end(y, m)
        state = (history or {}).get(f"{y:04d}-{m:02d}", {}).get(task_id)
        due, done = (state.deadline, state.done) if state is not None else (deadline, False)
        if done or due is None or not due < end:
            break
        count += 1
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return count


def escalation_step(days: int, months: int, esc: Escalation) -> tuple[str | None, str]:
    """The step an overdue task has reached and why: 挂牌, else 约谈, else 督办, else none (催办 only)."""
    if months >= esc.listing_months:
        return LISTING, f"连续{months}个月月底逾期未办结（满{esc.listing_months}个月挂牌）"
    if days >= esc.interview_days:
        return INTERVIEW, f"逾期{days}天（满{esc.interview_days}天约谈）"
    if days >= esc.supervise_days:
        return SUPERVISE, f"逾期{days}天（满{esc.supervise_days}天督办）"
    return None, f"逾期{days}天（未满{esc.supervise_days}天，催办）"


def _escalate(overdue: list[dict], t, as_of: date, esc: Escalation, history: dict | None) -> None:
    """Each overdue record gets its step, the reason and its months overdue (in place)."""
    deadlines = dict(zip(t["任务编号"].tolist(), iso_column(t["完成时限"])))
    for x in overdue:
        deadline = deadlines.get(x["task_id"])
        months = months_overdue(x["task_id"], date.fromisoformat(deadline) if deadline else None, history, as_of)
        step, why = escalation_step(x["days_overdue"], months, esc)
        x.update(months_overdue=months, step=step, step_reason=why)


def _waiting(t, as_of: date) -> list[dict]:
    """Open tasks, not yet due, whose text says they wait for other work (not criticised)."""
    import pandas as pd

    from bqw.ledgers.rectification import DONE

    says = [waits_for_other_work(a, b) for a, b in zip(t["任务内容"].tolist(), t["进展情况"].tolist())]
    mask = pd.Series(says, index=t.index, dtype=bool) & (t["完成状态"] != DONE) & (t["是否逾期"] != "是")
    w = t[mask]
    return [{"task_id": a, "unit": b, "deadline": c, "content": d, "status": e}
            for a, b, c, d, e in zip(w["任务编号"].tolist(), w["牵头单位"].tolist(), iso_column(w["完成时限"]),
                                     w["任务内容"].tolist(), w["完成状态"].tolist())]


def summarise_tasks(problems, responsibilities, tasks, *, as_of: date, due_soon_days: int = DUE_SOON_DAYS,
                    escalation: Escalation | None = None, history: dict | None = None) -> Summary:
    """Progress of a task list (问题整改 or 会议议定事项 …) as of a date.

    Derived columns are recomputed with derive_tasks(tasks, as_of). A problem is 已整改 when it
    has tasks and all of them are 已完成; the problems are those of 问题清单 plus any other
    问题编号 the tasks name. `problems` and `responsibilities` may be None or empty. Each overdue
    task gets its escalation step (`escalation`, default bqw.toml's defaults; `history`: the month-end
    lists, bqw.store.history.month_task_states); tasks waiting for other work are listed (waiting).
    """
    from bqw.ledgers.rectification import DONE

    as_of = as_date(as_of)
    notes: list[str] = []
    t, standing = _clean_tasks(tasks, as_of, notes)
    problem_ids, rectified = _rectified(problems, t)
    units = _unit_rows(t, t["牵头单位"], t[["牵头单位", "问题编号"]].dropna().drop_duplicates()
                       .set_axis(["unit", "问题编号"], axis=1), rectified)
    responsible = _responsible_units(responsibilities, t, rectified)
    overdue_mask = t["是否逾期"] == "是"
    od = t[overdue_mask].sort_values(["逾期天数", "任务编号"], ascending=[False, True], na_position="last")
    overdue = _listed(od, "逾期天数", "days_overdue")
    _escalate(overdue, t, as_of, escalation or Escalation(), history)
    waiting = _waiting(t, as_of)
    waiting_ids = {x["task_id"] for x in waiting}
    ds = _due_soon_frame(t, as_of, due_soon_days)
    due_soon = [dict(x, waiting=x["task_id"] in waiting_ids) for x in _listed(ds, "剩余天数", "days_left")]
    sources = t["任务来源"].fillna(UNSPECIFIED)
    order = _source_order(sources)
    counted = sources.value_counts(sort=False)
    by_source = {s: int(counted[s]) for s in order}
    n_done = int((t["完成状态"] == DONE).sum())
    n_rect = sum(rectified.values())
    totals = {"problems": len(problem_ids), "problems_rectified": n_rect, "tasks": len(t), "completed": n_done,
              "in_progress": int((t["完成状态"] == "推进中").sum()),
              "not_started": int((t["完成状态"] == "未启动").sum()), "overdue": int(overdue_mask.sum()),
              "completed_late": int((t["超期完成"] == "是").sum()), "due_soon": len(due_soon),
              "completion_rate": rate(n_done, len(t)), "rectification_rate": rate(n_rect, len(problem_ids))}
    data = {"kind": "tasks", "as_of": as_of.isoformat(), "totals": totals, "units": units,
            "responsible_units": responsible, "overdue": overdue, "due_soon": due_soon,
            "by_source": by_source, "waiting": waiting,
            "escalation": {k: sum(x["step"] == k for x in overdue) for k in (SUPERVISE, INTERVIEW, LISTING)},
            "notes": notes}
    result = _TaskResult(as_of, due_soon_days, t, standing, units, responsible, overdue, od, due_soon, ds, sources,
                         order)
    day = as_of.isoformat()
    return Summary("tasks", f"问题整改及任务落实情况（截至{day}）", data,
                   lambda: _task_tables(result),  # built when a report asks (JSON does not)
                   _task_highlights(totals, overdue, due_soon, day, due_soon_days))

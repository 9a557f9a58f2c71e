"""The decisions summary (会议议定事项, 004 第10、11条): per meeting and per 责任单位 — items, done, in
progress, not started, overdue (with days), 落实计划 reported late or missing — and the lists of
overdue items and late or missing plans.

No file I/O; pandas is imported inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bqw.summary.common import (NORMAL, OVERDUE, UNSPECIFIED, Summary, SummaryTable, as_date, column_or_default,
                                iso_column, joined, percent_text, rate, stripped_or_none_column)

if TYPE_CHECKING:
    import pandas as pd

DETAIL_TABLE = "议定事项明细"
COUNT_COLUMNS = {"items": "事项数", "completed": "已完成", "in_progress": "推进中", "not_started": "未启动",
                 "overdue": "逾期", "max_overdue_days": "最长逾期天数", "plans_late": "计划晚报",
                 "plans_missing": "计划未报", "completion_rate": "完成率"}


def _clean(frame, as_of: date):
    """The items with clean keys and dates, and the derived columns as of `as_of` (derive_decisions)."""
    import pandas as pd

    from bqw.ledgers.decisions import PLAN_COLUMN, derive_decisions
    from bqw.ledgers.rectification import STANDING_COLUMN, STATUS_SYNONYMS

    d = (frame if frame is not None else pd.DataFrame()).reset_index(drop=True).copy()
    for name in ("会议名称", "牵头领导", "责任单位", "完成状态"):
        d[name] = stripped_or_none_column(column_or_default(d, name))
    for name in ("议定事项", "进展情况"):
        values = column_or_default(d, name).astype(object)
        d[name] = values.where(values.notna(), None)
    for name in ("会议时间", "完成时限", PLAN_COLUMN):
        d[name] = pd.to_datetime(column_or_default(d, name), errors="coerce")
    d["完成状态"] = d["完成状态"].replace(STATUS_SYNONYMS)
    d[STANDING_COLUMN] = column_or_default(d, STANDING_COLUMN, "否").fillna("否")
    d = derive_decisions(d, as_of, copy=False)
    d["会议名称"] = d["会议名称"].fillna(UNSPECIFIED)
    d["责任单位"] = d["责任单位"].fillna(UNSPECIFIED)
    return d


def _plan_days(d) -> "tuple[pd.Series, pd.Series, pd.Series]":
    """Per item: plan late (bool), plan missing past due (bool), and the days of either."""
    import pandas as pd

    from bqw.ledgers.decisions import MISSING, PLAN_COLUMN, PLAN_DAYS, PLAN_STATE

    late_days = (d[PLAN_COLUMN] - (d["会议时间"] + pd.Timedelta(days=PLAN_DAYS))).dt.days
    late = (late_days > 0).fillna(False).astype(bool)
    missing = (d[PLAN_STATE] == MISSING).astype(bool)
    return late, missing, late_days


def _counts(d, late, missing, key: str) -> list[dict]:
    """One row per value of `key` (会议名称 + 会议时间, or 责任单位), in the order they appear."""
    out = []
    for value, g in d.groupby(key, sort=False):
        idx = g.index
        overdue = g["是否逾期"] == "是"
        days = g.loc[overdue, "逾期天数"]
        items = len(g)
        completed = int((g["完成状态"] == "已完成").sum())
        row = {"items": items, "completed": completed, "in_progress": int((g["完成状态"] == "推进中").sum()),
               "not_started": int((g["完成状态"] == "未启动").sum()), "overdue": int(overdue.sum()),
               "max_overdue_days": int(days.max()) if len(days) else 0,
               "plans_late": int(late[idx].sum()), "plans_missing": int(missing[idx].sum()),
               "completion_rate": rate(completed, items)}
        out.append((value, g, row))
    return out


def _item(r: dict) -> dict:
    day = r["会议时间"]
    return {"meeting": r["会议名称"], "meeting_date": None if day is None or day != day else day.date().isoformat(),
            "item": r["议定事项"], "unit": r["责任单位"], "leader": r["牵头领导"]}


@dataclass
class _Result:
    as_of: date
    items: "pd.DataFrame"
    meetings: list[dict]
    units: list[dict]
    overdue: list[dict]
    plans_late: list[dict]
    plans_missing: list[dict]


def _lists(d, late, missing, late_days, as_of: date) -> tuple[list[dict], list[dict], list[dict]]:
    """The overdue items (most days first), the late plans and the missing ones (meeting order)."""
    from bqw.ledgers.decisions import PLAN_COLUMN, PLAN_DAYS

    records = d.to_dict("records")
    overdue = []
    for i, r in enumerate(records):
        if r["是否逾期"] == "是":
            overdue.append({**_item(r), "deadline": r["完成时限"].date().isoformat(),
                            "days_overdue": int(r["逾期天数"]), "status": r["完成状态"]})
    overdue.sort(key=lambda x: -x["days_overdue"])
    plans_late = [{**_item(r), "plan_date": r[PLAN_COLUMN].date().isoformat(), "days_late": int(late_days[i])}
                  for i, r in enumerate(records) if late[i]]
    plans_missing = [{**_item(r), "days_past_due": (as_of - r["会议时间"].date()).days - PLAN_DAYS}
                     for i, r in enumerate(records) if missing[i]]
    return overdue, plans_late, plans_missing


def summarise_decisions(frame, *, as_of: date, period=None) -> Summary:
    """The decisions summary of a running list (the current one) as of `as_of`; `period` (a Period or
    its key; default the as-of month) is the period the report is for: its span is in the JSON, and
    meetings held in it are marked (in_period)."""
    from bqw.core.periods import Period
    from bqw.ledgers.decisions import PLAN_DAYS, PLAN_STATE

    as_of = as_date(as_of)
    period = Period.parse(period) if isinstance(period, str) else period or Period.month_of(as_of)
    d = _clean(frame, as_of)
    late, missing, late_days = _plan_days(d)
    d["会议"] = list(zip(d["会议名称"], iso_column(d["会议时间"])))
    meetings = []
    for (name, day), _g, row in _counts(d, late, missing, "会议"):
        held = date.fromisoformat(day) if day else None
        meetings.append({"meeting": name, "date": day, **row,
                         "in_period": bool(held and period.start <= held <= period.end)})
    units = [{"unit": u, **row} for u, _g, row in _counts(d, late, missing, "责任单位")]
    overdue, plans_late, plans_missing = _lists(d, late, missing, late_days, as_of)
    completed = int((d["完成状态"] == "已完成").sum())
    totals = {"meetings": len(meetings), "items": len(d), "completed": completed,
              "in_progress": int((d["完成状态"] == "推进中").sum()), "not_started": int((d["完成状态"] == "未启动").sum()),
              "overdue": len(overdue), "overdue_days": sum(x["days_overdue"] for x in overdue),
              "plans_on_time": int((d[PLAN_STATE] == "按时").sum()), "plans_late": len(plans_late),
              "plans_missing": len(plans_missing), "completion_rate": rate(completed, len(d))}
    data = {"kind": "decisions", "as_of": as_of.isoformat(), **period.span(),
            "plan_days": PLAN_DAYS, "totals": totals, "meetings": meetings, "units": units, "overdue": overdue,
            "plans_late": plans_late, "plans_missing": plans_missing}
    r = _Result(as_of, d, meetings, units, overdue, plans_late, plans_missing)
    return Summary("decisions", "会议议定事项落实情况", data, table_list=lambda: _tables(r),
                   highlights=_highlights(totals, r))


def _count_frame(rows: list[dict], first: dict):
    """A per-meeting or per-unit table: the `first` columns (key -> header), the counts, 状态."""
    import pandas as pd

    frame = pd.DataFrame([[*(x[k] for k in first), *(x[k] for k in COUNT_COLUMNS),
                           OVERDUE if x["overdue"] else NORMAL] for x in rows],
                         columns=[*first.values(), *COUNT_COLUMNS.values(), "状态"])
    frame["完成率"] = frame["完成率"].astype("float64")
    return frame


def _tables(r: _Result) -> list[SummaryTable]:
    import pandas as pd

    from bqw.ledgers.decisions import PLAN_COLUMN, PLAN_STATE

    day = r.as_of.isoformat()
    tables = [
        SummaryTable("会议落实情况", f"各次会议议定事项落实情况（截至{day}）",
                     _count_frame(r.meetings, {"meeting": "会议名称", "date": "会议时间"}), status_column="状态",
                     formats={"完成率": "percent"}),
        SummaryTable("责任单位落实情况", f"各责任单位议定事项落实情况（截至{day}）",
                     _count_frame(r.units, {"unit": "责任单位"}), status_column="状态", formats={"完成率": "percent"}),
        SummaryTable("逾期事项", f"逾期未完成的议定事项（截至{day}，共{len(r.overdue)}项）", pd.DataFrame(
            [[x["meeting"], x["meeting_date"], x["item"], x["unit"], x["deadline"], x["days_overdue"], x["status"], "是"]
             for x in r.overdue],
            columns=["会议名称", "会议时间", "议定事项", "责任单位", "完成时限", "逾期天数", "完成状态", "是否逾期"]),
            status_column="是否逾期"),
        SummaryTable("落实计划报送", f"落实计划晚报、未报的事项（截至{day}）", pd.DataFrame(
            [[x["meeting"], x["meeting_date"], x["item"], x["unit"], x["plan_date"], f"晚报{x['days_late']}天"]
             for x in r.plans_late] +
            [[x["meeting"], x["meeting_date"], x["item"], x["unit"], None, f"未报送（已超期{x['days_past_due']}天）"]
             for x in r.plans_missing],
            columns=["会议名称", "会议时间", "议定事项", "责任单位", PLAN_COLUMN, "情况"])),
    ]
    d = r.items
    detail = d[["会议名称", "会议时间", "议定事项", "牵头领导", "责任单位", "完成时限", PLAN_COLUMN, PLAN_STATE,
                "完成状态", "是否逾期", "逾期天数", "进展情况"]]
    tables.append(SummaryTable(DETAIL_TABLE, f"议定事项明细（逾期按{day}计算）", detail.reset_index(drop=True),
                               status_column="是否逾期", detail=True))
    return tables


def _highlights(totals: dict, r: _Result) -> list[str]:
    day = r.as_of.isoformat()
    return [
        f"截至{day}：{totals['meetings']} 次会议议定事项 {totals['items']} 项，已完成 {totals['completed']} 项、推进中 "
        f"{totals['in_progress']} 项、未启动 {totals['not_started']} 项，完成率 {percent_text(totals['completion_rate'])}；"
        f"逾期 {totals['overdue']} 项。",
        f"落实计划按时报送 {totals['plans_on_time']} 项，晚报 {totals['plans_late']} 项，未报送 {totals['plans_missing']} 项。",
        "逾期事项：" + joined([f"{x['unit']}“{x['item']}”（逾期{x['days_overdue']}天）" for x in r.overdue]) + "。",
        "落实计划晚报、未报：" + joined([f"{x['unit']}（{x['meeting']}，晚报{x['days_late']}天）" for x in r.plans_late] +
                                    [f"{x['unit']}（{x['meeting']}，未报送）" for x in r.plans_missing]) + "。",
    ]

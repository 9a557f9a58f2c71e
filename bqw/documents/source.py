"""What the documents are written from (Source): the summaries of the archive and their task rows.

Every number in a 通报 or 简报 is taken from a Summary's JSON (bqw.summary), the item lists from the
rows the same Summary counted (its “任务明细” table), so that a document never counts differently
from `bqw run`'s 统计表. The 会议议定 circular is written from the decisions ledger's Summary when the
archive holds one (meetings), else from a Summary of its own over the tasks whose 任务来源 is 会议议定.
The Source is gathered from the archive by bqw.jobs.documents.gather.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bqw.core.periods import Period, PeriodKind

DECISION_SOURCE = "会议议定"
DETAIL_TABLE = "任务明细"


class NoData(Exception):
    """The archive holds nothing to write the document from (a usage error for the CLI)."""


@dataclass
class Source:
    period: str  # a Period key: 2026-W44, 2026-10, 2026-Q3, 2026-H1, 2026
    as_of: date
    visits: dict | None = None  # Summary.to_json() of kind visits
    tasks: dict | None = None  # Summary.to_json() of kind tasks
    task_rows: object = None  # DataFrame: the rows `tasks` counts (derived columns, 配合单位, 责任)
    decisions: dict | None = None  # Summary.to_json() over the 会议议定 tasks only
    decision_rows: object = None
    visit_rows: object = None  # DataFrame: the period's accepted visit rows (for 调研成效)
    meetings: dict | None = None  # Summary.to_json() of the decisions ledger (会议议定事项台账), when archived
    meeting_rows: object = None  # DataFrame: the items that Summary counted (its 议定事项明细)
    reporting: dict | None = None  # Summary.to_json() of kind reporting (台账报送情况, bqw.summary.reporting)
    posts: dict[str, list[str]] | None = None  # 姓名 → the roster's 职务 and 指挥部职务; None: no roster known
    notes: list[str] = field(default_factory=list)
    _records: dict = field(default_factory=dict, repr=False)

    def records(self, name: str) -> list[dict]:
        """The rows of `task_rows`, `decision_rows` or `meeting_rows` as dicts, converted once (100 “一对一”通报
        share them)."""
        if name not in self._records:
            frame = getattr(self, name)
            self._records[name] = [] if frame is None else frame.to_dict("records")
        return self._records[name]

    @property
    def span(self) -> Period:
        return Period.parse(self.period)

    @property
    def year(self) -> int:
        return self.span.end.year

    @property
    def month(self) -> int:
        """The month of the period's last day (a quarter's pace is counted up to it)."""
        return self.span.end.month

    @property
    def label(self) -> str:
        """The period in a title or sentence: 2026年10月, 2026年第三季度, 2026年上半年, 2026年, 2026年第44周."""
        return self.span.label

    @property
    def ledgers_of(self) -> str:
        """Which visit ledgers a sentence speaks of: “10月” for a month, else the period's label."""
        span = self.span
        return f"{span.number}月" if span.kind is PeriodKind.month else span.label


def period_end(period: str) -> date:
    return Period.parse(period).end


def this_period(period: str) -> str:
    """“本月” in a month's document; 本周, 本季度, 上半年/下半年, 全年 in the others'."""
    span = Period.parse(period)
    if span.kind is PeriodKind.half:
        return "上半年" if span.number == 1 else "下半年"
    return {PeriodKind.week: "本周", PeriodKind.month: "本月", PeriodKind.quarter: "本季度"}.get(span.kind, "全年")


def default_period(store, as_of: date | None) -> str:
    """The latest period of the archive's visit ledgers (up to the as-of month), else the as-of month."""
    limit = as_of.strftime("%Y-%m") if as_of else None
    periods = [p for p in store.periods("visits") if p and (limit is None or p <= limit)]
    if periods:
        return periods[-1]
    return (as_of or date.today()).strftime("%Y-%m")


def default_as_of(period: str, today: date | None = None) -> date:
    """The last day of the period, or today while the period runs."""
    today = today or date.today()
    return min(period_end(period), today)


def drop_blank_items(data: dict) -> None:
    """Leave out item entries without a 任务编号 (a summary listing rows that are not there)."""
    for key in ("overdue", "due_soon"):
        items = data.get(key) or []
        data[key] = [x for x in items if isinstance(x.get("task_id"), str) and x["task_id"].strip()]


def task_rows(summary, raw: dict):
    """The rows a tasks Summary counted (its detail table), with 配合单位 and the 责任单位 /
    责任领导 / 责任人 of their problem joined on."""
    import pandas as pd

    table = next((t for t in summary.tables() if t.name == DETAIL_TABLE), None)
    if table is None:  # a Summary without its detail table: derive the rows the same way
        from bqw.ledgers.rectification import STATUS_SYNONYMS, derive_tasks

        t = raw.get("tasks", pd.DataFrame()).copy()
        t["完成状态"] = t["完成状态"].map(lambda s: STATUS_SYNONYMS.get(s, s))
        frame = derive_tasks(t, pd.Timestamp(summary.to_json()["as_of"]))
    else:
        frame = table.frame.copy()
    frame = frame.reset_index(drop=True)
    tasks = raw.get("tasks")
    if tasks is not None and {"任务编号", "配合单位"} <= set(tasks.columns) and "任务编号" in frame:
        helpers = tasks.dropna(subset=["任务编号"]).drop_duplicates("任务编号").set_index("任务编号")["配合单位"]
        frame["配合单位"] = frame["任务编号"].map(helpers)
    resp = raw.get("responsibilities")
    for col in ("责任单位", "责任领导", "责任人"):
        values = {}
        if resp is not None and {"问题编号", col} <= set(resp.columns):
            for pid, group in resp.dropna(subset=["问题编号"]).groupby("问题编号", sort=False):
                names = [str(x).strip() for x in group[col].dropna() if str(x).strip()]
                values[pid] = "、".join(dict.fromkeys(names)) or None
        frame[col] = frame["问题编号"].map(values) if "问题编号" in frame else None
    return frame


def decisions(raw: dict, as_of: date):
    """A Summary of the 会议议定 tasks only, and its rows; (None, None) when there are none."""
    tasks = raw.get("tasks")
    if tasks is None or "任务来源" not in tasks:
        return None, None
    source = tasks["任务来源"].map(lambda v: str(v).strip() if v is not None and v == v else None)
    subset = tasks[source == DECISION_SOURCE]
    if subset.empty:
        return None, None
    from bqw.summary.tasks import summarise_tasks

    summary = summarise_tasks(None, None, subset, as_of=as_of)
    data = summary.to_json()
    drop_blank_items(data)
    return data, task_rows(summary, {"tasks": subset, "responsibilities": raw.get("responsibilities")})

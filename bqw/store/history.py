"""What the archive remembers over time: the day each report arrived (催报 with deadlines), and
each month's task lists as they stood (escalation of overdue tasks). docs/summaries.md, “报送时限与催报”.

The archive already keeps, for every submission, the file's modification time in the inbox
(`file_mtime`) and the time bqw archived it (`arrived_at`); no schema change was needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bqw.store.archive import Archive, Submission
from bqw.store.records import unblock


@dataclass(frozen=True)
class Arrival:
    """One report of `submitter` for `period`, arrived on `day`."""

    kind: str
    submitter: str
    period: str
    day: date
    file_name: str


def arrival_day(sub: Submission) -> date:
    """The day a submission arrived: the file's modification time in the inbox — the time the office
    sees beside the file, the day it was saved there — but never later than the day bqw archived it
    (bqw run may run days after the file came); the archiving day when the file's time is unknown."""
    archived = datetime.fromisoformat(sub.arrived_at).date()
    if sub.file_mtime is None:
        return archived
    try:
        saved = datetime.fromtimestamp(sub.file_mtime).date()
    except (OverflowError, OSError, ValueError):
        return archived
    return min(saved, archived)


def _people(store: Archive, table_kind: str, column: str, ids: list[int]) -> dict[int, set[str]]:
    """The names in `column` of each submission's rows (a unit's file may carry several leaders)."""
    wanted, out = set(ids), {}
    for sid, vals in store.db.execute("SELECT submission_id, vals FROM blocks WHERE table_kind=? AND name=?",
                                      (table_kind, column)):
        if sid in wanted:
            out[sid] = {str(v).strip() for v in unblock(vals) if v is not None and str(v).strip()}
    return out


def arrivals(store: Archive, kind: str, periods, people_column: str | None = None) -> list[Arrival]:
    """Every report of `kind` for `periods`, current or superseded (a correction does not move the
    day of the first report), one Arrival per person it covers: the submitter, and with
    `people_column` everyone named in that column of its rows."""
    # a report the office returned (bqw serve) did not arrive: the unit must send it again
    subs = [s for s in store.submissions(kind=kind, periods=list(periods)) if s.period and s.status != "rejected"]
    people = _people(store, kind, people_column, [s.id for s in subs]) if people_column else {}
    out = []
    for s in subs:
        day = arrival_day(s)
        for who in sorted(({s.submitter} if s.submitter else set()) | people.get(s.id, set())):
            out.append(Arrival(kind, who, s.period, day, s.file_name))
    return out


@dataclass(frozen=True)
class TaskState:
    """A task as a month's list gave it: its deadline, whether it was done, and its 牵头单位 (who owes
    the task's monthly update)."""

    deadline: date | None
    done: bool
    unit: str | None = None


TASK_STATE_COLUMNS = ("任务编号", "完成时限", "完成状态", "牵头单位")


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return out


def month_task_states(store: Archive, kind: str, upto: str) -> dict[str, dict[str, TaskState]]:
    """{month: {任务编号: TaskState}} for each month from the first dated list to `upto` (YYYY-MM): each
    submitter's last list (current or superseded) dated that month or earlier — the lists as they
    stood at the month's end. Undated lists are left out (they have no month)."""
    subs = [s for s in store.submissions(kind=kind) if s.period and len(s.period) == 7 and s.period <= upto
            and s.status != "rejected"]
    if not subs:
        return {}
    months = _months(min(s.period for s in subs), upto)
    columns: dict[str, dict[int, list]] = {}
    wanted = {s.id for s in subs}
    marks = ",".join("?" * len(TASK_STATE_COLUMNS))
    for name, sid, vals in store.db.execute(
            f"SELECT name, submission_id, vals FROM blocks WHERE table_kind='tasks' AND name IN ({marks})",
            TASK_STATE_COLUMNS):
        if sid in wanted:
            columns.setdefault(name, {})[sid] = unblock(vals)
    out: dict[str, dict[str, TaskState]] = {}
    for month in months:
        latest: dict[str, Submission] = {}
        for s in subs:  # a submitter's list of the latest month, the last to arrive of that month
            key = s.submitter or s.file_name
            if s.period <= month and (key not in latest or (s.period, s.seq) > (latest[key].period, latest[key].seq)):
                latest[key] = s
        states: dict[str, TaskState] = {}
        for s in sorted(latest.values(), key=lambda s: s.seq):
            ids = columns.get("任务编号", {}).get(s.id) or []
            deadlines = columns.get("完成时限", {}).get(s.id) or [None] * len(ids)
            done = columns.get("完成状态", {}).get(s.id) or [None] * len(ids)
            units = columns.get("牵头单位", {}).get(s.id) or [None] * len(ids)
            for tid, deadline, state, unit in zip(ids, deadlines, done, units):
                if tid is not None and str(tid).strip():
                    states[str(tid).strip()] = TaskState(_day(deadline), str(state or "").strip() == "已完成",
                                                         str(unit).strip() if unit is not None and str(unit).strip()
                                                         else None)
        if states:
            out[month] = states
    return out

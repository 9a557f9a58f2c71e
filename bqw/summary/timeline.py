"""Tasks through the year, month by month: which were overdue at each month end, which were done in
which month — what the 年考评 (consecutive months overdue) and the 季推进 (the trend) read.

The archive keeps the latest task lists, not a copy per month end, so the past is read from each
task's own dates: a task was overdue at a month end when its 完成时限 had passed by then and it
was not yet done (完成时间 after that day, or still open). A task marked 已完成 without a
完成时间 cannot be placed: it counts as done in time (never overdue) and in no month's count;
`undated_done` says how many there are.

No file I/O; pandas is imported inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bqw.core.periods import Period, PeriodKind

if TYPE_CHECKING:
    import pandas as pd

DONE = "已完成"


@dataclass(frozen=True)
class MonthPoint:
    """One month of the year up to the as-of day: its number and the day its end is counted at
    (the month's last day, or the as-of day in the month that is still running)."""

    month: int
    day: date


def month_points(period: Period, as_of: date) -> list[MonthPoint]:
    """The months of the period's year from January to the period's last month, each ending at its
    last day — or at `as_of` in as-of's month; months after `as_of` are left out."""
    year = period.end.year
    out = []
    for m in range(1, period.end.month + 1):
        start = date(year, m, 1)
        if start > as_of:
            break
        end = Period(year, PeriodKind.month, m).end
        out.append(MonthPoint(m, min(end, as_of)))
    return out


def task_dates(detail) -> "pd.DataFrame":
    """The tasks summary's 任务明细 frame with 完成时限 and 完成时间 as dates (a standing task's “长期” has none)."""
    import pandas as pd

    f = detail.reset_index(drop=True).copy()
    standing = f["长期任务"] == "是" if "长期任务" in f else pd.Series(False, index=f.index)
    f["完成时限"] = pd.to_datetime(f["完成时限"].where(~standing), errors="coerce")
    f["完成时间"] = pd.to_datetime(f["完成时间"], errors="coerce")
    f["_standing"] = standing.to_numpy(dtype=bool)
    return f


def overdue_at(f, day: date) -> "pd.Series":
    """Which tasks (task_dates' frame) were open past their 完成时限 at the end of `day`."""
    import pandas as pd

    ts = pd.Timestamp(day)
    done = f["完成状态"] == DONE
    done_by = done & (f["完成时间"].isna() | (f["完成时间"] <= ts))  # no 完成时间: taken as done in time
    return f["完成时限"].notna() & (f["完成时限"] < ts) & ~done_by & ~f["_standing"]


def done_in(f, start: date, end: date) -> "pd.Series":
    """Which tasks were marked 已完成 with a 完成时间 from `start` to `end` (inclusive)."""
    import pandas as pd

    t = f["完成时间"]
    return (f["完成状态"] == DONE) & t.notna() & (t >= pd.Timestamp(start)) & (t <= pd.Timestamp(end))


def undated_done(f) -> int:
    return int(((f["完成状态"] == DONE) & f["完成时间"].isna()).sum())


def month_start(point: MonthPoint) -> date:
    return point.day.replace(day=1)


def longest_run(flags: list[bool], months: list[int]) -> tuple[int, int | None, int | None]:
    """(length, first month, last month) of the longest run of consecutive True flags; the latest
    run wins a tie (it is the one still relevant)."""
    best, first, last, run = 0, None, None, 0
    for i, flag in enumerate(flags):
        run = run + 1 if flag else 0
        if run and run >= best:
            best, first, last = run, months[i - run + 1], months[i]
    return best, first, last

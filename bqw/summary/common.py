"""What every summary shares: the Summary and its tables, the status words, and small helpers
that turn cells into clean text, dates and rates.

No file I/O; pandas is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Callable

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
    status_column: str | None = None  # its values colour the row (reports.STATUS_COLOURS)
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
        return copy_json(self.data)

    def tables(self) -> list[SummaryTable]:
        if callable(self.table_list):
            self.table_list = self.table_list()
        return list(self.table_list)


# --- cells ---------------------------------------------------------------------------------------

def missing(v) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def stripped_or_none(v) -> str | None:
    """A cell as text with the surrounding blanks stripped, or None when nothing is left."""
    if type(v) is str:  # the usual case, without pandas' isna
        return v.strip() or None
    if missing(v):
        return None
    s = str(v).strip()
    return s or None


def stripped_or_none_column(values) -> "pd.Series":
    """stripped_or_none over a column, computed once per distinct value (a year's 768,000 rows hold few)."""
    import pandas as pd

    values = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values.astype(object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = [(u.strip() or None) if type(u) is str else stripped_or_none(u) for u in uniques]
    table = pd.Series(mapped + [None], dtype=object)  # code -1 (missing) takes the last slot
    return pd.Series(table.to_numpy()[codes], index=values.index, dtype=object)


def iso_column(values) -> list:
    """A datetime column as YYYY-MM-DD text, None where missing."""
    text = values.dt.strftime("%Y-%m-%d").astype(object).tolist()
    return [None if m else t for t, m in zip(text, values.isna().tolist())]


def copy_json(x):
    """A copy of a JSON document (dicts, lists and scalars): far cheaper than copy.deepcopy."""
    if type(x) is dict:
        return {k: copy_json(v) for k, v in x.items()}
    if type(x) is list:
        return [copy_json(v) for v in x]
    return x


def rate(done: int, total: int) -> float | None:
    return round(done / total, 4) if total else None


def percent_text(rate: float | None) -> str:
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}".rstrip("0").rstrip(".") + "%"


def number_text(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def joined(names) -> str:
    return "、".join(names) if names else "无"


def column_or_default(frame, name, default=None):
    """The frame's column `name`, or a column of `default` when the frame has none."""
    import pandas as pd

    if name in frame:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def as_date(value) -> date:
    """A date from a date, datetime, pandas Timestamp or “YYYY-MM-DD” text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))

"""Reporting periods of the office's year: a week, a month, a quarter, a half or the year.

The rules run on a yearly cycle — 周调度、月通报、季推进、年考评 (seed 001, 第十条) — so a period is
one of five kinds. Ledgers are still filed per month (the archive's `period` column stays
“YYYY-MM”): a longer period is the months it covers, a week the days it covers (ISO weeks,
Monday to Sunday; a week across a month end touches two months).

    Period.parse("2026-Q3").months  ->  ("2026-07", "2026-08", "2026-09")
    Period.parse("2026-W44").start  ->  date(2026, 10, 26)
    Period.parse("2026").label      ->  "2026年"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from bqw.core.dates import MAX_YEAR, MIN_YEAR
from bqw.core.numbers import chinese_number


class PeriodKind(str, Enum):
    week = "week"
    month = "month"
    quarter = "quarter"
    half = "half"
    year = "year"


KIND_ZH = {PeriodKind.week: "周", PeriodKind.month: "月", PeriodKind.quarter: "季度",
           PeriodKind.half: "半年", PeriodKind.year: "年度"}
_QUARTER_ZH = "一二三四"
_HALF_ZH = {1: "上半年", 2: "下半年"}

# The forms a clerk or a script writes; full width and spaces are folded before matching.
_FORMS = (
    (PeriodKind.week, re.compile(r"(\d{4})-?W(\d{1,2})", re.I)),
    (PeriodKind.week, re.compile(r"(\d{4})年第?(\d{1,2})周")),
    (PeriodKind.quarter, re.compile(r"(\d{4})-?Q([1-4])", re.I)),
    (PeriodKind.quarter, re.compile(r"(\d{4})年?第?([1-4一二三四])季度?")),
    (PeriodKind.half, re.compile(r"(\d{4})-?H([12])", re.I)),
    (PeriodKind.half, re.compile(r"(\d{4})年?([上下])半年")),
    (PeriodKind.month, re.compile(r"(\d{4})[-/.]?(\d{1,2})")),
    (PeriodKind.month, re.compile(r"(\d{4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月份?")),
    (PeriodKind.year, re.compile(r"(\d{4})(?:年度?)?")),
)


class PeriodError(ValueError):
    """A text that names no period; the message is Chinese and says which forms are accepted."""


FORMS_ZH = "2026-W44（周）、2026-10（月）、2026-Q3（季度）、2026-H1（半年）或 2026（年度）"


@dataclass(frozen=True, order=True)
class Period:
    """A period of one kind: `number` is the ISO week, the month, the quarter or the half (0 for a year)."""

    year: int
    kind: PeriodKind
    number: int = 0

    # ------------------------------------------------------------------ reading

    @classmethod
    def parse(cls, text: str) -> "Period":
        """A period from its key or its Chinese name; PeriodError when the text names none."""
        import unicodedata

        s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
        for kind, pattern in _FORMS:
            m = pattern.fullmatch(s)
            if m:
                return cls._checked(kind, int(m.group(1)), m.group(2) if m.lastindex and m.lastindex > 1 else None, text)
        raise PeriodError(f"“{text}”不是有效的期间，应写成 {FORMS_ZH}")

    @classmethod
    def _checked(cls, kind: PeriodKind, year: int, token: str | None, text) -> "Period":
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(f"“{text}”的年份 {year} 不在 {MIN_YEAR}—{MAX_YEAR} 之间")
        if kind is PeriodKind.year:
            return cls(year, kind)
        if kind is PeriodKind.half:
            number = {"上": 1, "下": 2}.get(token) or int(token)
        elif token.isdigit():
            number = int(token)
        else:
            number = chinese_number(token) or 0
        last = {PeriodKind.week: _weeks_in(year), PeriodKind.month: 12, PeriodKind.quarter: 4,
                PeriodKind.half: 2}[kind]
        if not 1 <= number <= last:
            raise PeriodError(f"“{text}”不是有效的期间：{year}年没有第{number}{KIND_ZH[kind]}"
                              f"（{KIND_ZH[kind]}应在 1—{last} 之间）")
        return cls(year, kind, number)

    @classmethod
    def month_of(cls, day: date) -> "Period":
        return cls(day.year, PeriodKind.month, day.month)

    @classmethod
    def week_of(cls, day: date) -> "Period":
        iso = day.isocalendar()
        return cls(iso.year, PeriodKind.week, iso.week)

    @classmethod
    def of(cls, kind: PeriodKind, day: date) -> "Period":
        """The period of `kind` that holds `day`."""
        if kind is PeriodKind.week:
            return cls.week_of(day)
        number = {PeriodKind.month: day.month, PeriodKind.quarter: (day.month - 1) // 3 + 1,
                  PeriodKind.half: (day.month - 1) // 6 + 1, PeriodKind.year: 0}[kind]
        return cls(day.year, kind, number)

    # ------------------------------------------------------------------ naming

    @property
    def key(self) -> str:
        """The canonical text: 2026-W44, 2026-10, 2026-Q3, 2026-H1, 2026."""
        match self.kind:
            case PeriodKind.week:
                return f"{self.year}-W{self.number:02d}"
            case PeriodKind.month:
                return f"{self.year}-{self.number:02d}"
            case PeriodKind.quarter:
                return f"{self.year}-Q{self.number}"
            case PeriodKind.half:
                return f"{self.year}-H{self.number}"
        return f"{self.year}"

    @property
    def label(self) -> str:
        """The Chinese name in a document: 2026年第44周, 2026年10月, 2026年第三季度, 2026年上半年, 2026年."""
        match self.kind:
            case PeriodKind.week:
                return f"{self.year}年第{self.number}周"
            case PeriodKind.month:
                return f"{self.year}年{self.number}月"
            case PeriodKind.quarter:
                return f"{self.year}年第{_QUARTER_ZH[self.number - 1]}季度"
            case PeriodKind.half:
                return f"{self.year}年{_HALF_ZH[self.number]}"
        return f"{self.year}年"

    def __str__(self) -> str:
        return self.key

    # ------------------------------------------------------------------ span

    @property
    def start(self) -> date:
        if self.kind is PeriodKind.week:
            return date.fromisocalendar(self.year, self.number, 1)
        return date(self.year, self._first_month, 1)

    @property
    def end(self) -> date:
        if self.kind is PeriodKind.week:
            return date.fromisocalendar(self.year, self.number, 7)
        last = self._first_month + self._month_count - 1
        return date(self.year + last // 12, last % 12 + 1, 1) - timedelta(days=1)

    @property
    def _first_month(self) -> int:
        return {PeriodKind.month: self.number, PeriodKind.quarter: 3 * self.number - 2,
                PeriodKind.half: 6 * self.number - 5, PeriodKind.year: 1}[self.kind]

    @property
    def _month_count(self) -> int:
        return {PeriodKind.month: 1, PeriodKind.quarter: 3, PeriodKind.half: 6, PeriodKind.year: 12}[self.kind]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> tuple[str, ...]:
        """The “YYYY-MM” months the period covers or touches (a week may touch two, of two years)."""
        if self.kind is PeriodKind.week:
            return tuple(dict.fromkeys(f"{d.year}-{d.month:02d}" for d in (self.start, self.end)))
        return tuple(f"{self.year}-{m:02d}" for m in range(self._first_month, self._first_month + self._month_count))

    @property
    def last_month(self) -> str:
        """The “YYYY-MM” month of the period's last day: the month a pace is counted up to."""
        return f"{self.end.year}-{self.end.month:02d}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> "Period":
        return Period.of(self.kind, self.start - timedelta(days=1))

    def next(self) -> "Period":
        return Period.of(self.kind, self.end + timedelta(days=1))

    def month_periods(self) -> tuple["Period", ...]:
        """The months of the period as periods (for a trend month by month)."""
        return tuple(Period.parse(m) for m in self.months)

    def span(self) -> dict:
        """What a summary's JSON says of its period."""
        return {"period": self.key, "period_kind": self.kind.value, "period_label": self.label,
                "period_start": self.start.isoformat(), "period_end": self.end.isoformat(),
                "period_months": list(self.months)}


def _weeks_in(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last."""
    return date(year, 12, 28).isocalendar().week


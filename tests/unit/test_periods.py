"""Periods of the office's year (bqw.core.periods): every form a user writes, spans, and the calendar laws."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from bqw.core.periods import Period, PeriodError, PeriodKind


@pytest.mark.parametrize("text, key, label, start, end", [
    ("2026-W44", "2026-W44", "2026年第44周", date(2026, 10, 26), date(2026, 11, 1)),
    ("2026w1", "2026-W01", "2026年第1周", date(2025, 12, 29), date(2026, 1, 4)),
    ("2026年第44周", "2026-W44", "2026年第44周", date(2026, 10, 26), date(2026, 11, 1)),
    ("2026-10", "2026-10", "2026年10月", date(2026, 10, 1), date(2026, 10, 31)),
    ("202602", "2026-02", "2026年2月", date(2026, 2, 1), date(2026, 2, 28)),
    ("2028.2", "2028-02", "2028年2月", date(2028, 2, 1), date(2028, 2, 29)),
    ("2026年十二月份", "2026-12", "2026年12月", date(2026, 12, 1), date(2026, 12, 31)),
    ("2026-Q3", "2026-Q3", "2026年第三季度", date(2026, 7, 1), date(2026, 9, 30)),
    ("2026年第四季度", "2026-Q4", "2026年第四季度", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026年1季度", "2026-Q1", "2026年第一季度", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-H1", "2026-H1", "2026年上半年", date(2026, 1, 1), date(2026, 6, 30)),
    ("2026年下半年", "2026-H2", "2026年下半年", date(2026, 7, 1), date(2026, 12, 31)),
    ("2026", "2026", "2026年", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026年度", "2026", "2026年", date(2026, 1, 1), date(2026, 12, 31)),
    (" ２０２６－Ｑ３ ", "2026-Q3", "2026年第三季度", date(2026, 7, 1), date(2026, 9, 30)),
])
def test_every_written_form(text, key, label, start, end):
    p = Period.parse(text)
    assert (p.key, p.label, p.start, p.end) == (key, label, start, end)
    assert str(p) == key


def test_months_covered():
    assert Period.parse("2026-Q3").months == ("2026-07", "2026-08", "2026-09")
    assert Period.parse("2026").months == tuple(f"2026-{m:02d}" for m in range(1, 13))
    assert Period.parse("2026-W44").months == ("2026-10", "2026-11")  # a week across a month end
    assert Period.parse("2026-W01").months == ("2025-12", "2026-01")  # and across a year end
    assert Period.parse("2026-W44").last_month == "2026-11"
    assert [m.key for m in Period.parse("2026-H2").month_periods()] == [f"2026-{m:02d}" for m in range(7, 13)]


def test_span_for_json():
    assert Period.parse("2026-Q3").span() == {
        "period": "2026-Q3", "period_kind": "quarter", "period_label": "2026年第三季度",
        "period_start": "2026-07-01", "period_end": "2026-09-30", "period_months": ["2026-07", "2026-08", "2026-09"]}


@pytest.mark.parametrize("text, said", [
    ("2026-13", "2026年没有第13月"),
    ("2025-W53", "2025年没有第53周"),  # 2025 has 52 ISO weeks; 2026 has 53
    ("2026-Q5", "应写成 2026-W44（周）"),
    ("2026-H3", "应写成"),
    ("下个月", "应写成"),
    ("", "应写成"),
    ("1800", "1800 不在 1990—2100 之间"),
])
def test_refused_with_chinese_message(text, said):
    with pytest.raises(PeriodError, match=said):
        Period.parse(text)


def test_53_week_years():
    assert Period.parse("2026-W53").end == date(2027, 1, 3)
    assert Period.parse("2020-W53").start == date(2020, 12, 28)


def test_neighbours():
    assert Period.parse("2026-01").previous().key == "2025-12"
    assert Period.parse("2026-Q1").previous().key == "2025-Q4"
    assert Period.parse("2026-W01").previous().key == "2025-W52"
    assert Period.parse("2026-12").next().key == "2027-01"
    assert Period.parse("2026-H2").next().key == "2027-H1"
    assert Period.parse("2026").previous().key == "2025"


def test_order_within_a_kind():
    keys = ["2026-10", "2026-02", "2025-12"]
    assert [p.key for p in sorted(Period.parse(k) for k in keys)] == ["2025-12", "2026-02", "2026-10"]


days = st.dates(min_value=date(1991, 1, 1), max_value=date(2099, 12, 1))


@given(day=days, kind=st.sampled_from(list(PeriodKind)))
def test_period_of_a_day_holds_it_and_tiles_the_calendar(day, kind):
    p = Period.of(kind, day)
    assert p.contains(day)
    assert Period.parse(p.key) == p
    assert p.previous().end + timedelta(days=1) == p.start
    assert p.next().start - timedelta(days=1) == p.end
    assert f"{day.year}-{day.month:02d}" in p.months

"""--period and --as-of checks, the period a run reports on, period words in documents, and the 催报 lines."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import typer

from bqw.cli.options import check_date, check_month, check_period
from bqw.documents.source import Source, period_end, this_period
from bqw.jobs.merge import MergeResult
from bqw.jobs.routine import current_period
from bqw.output.terminal import print_merge


@pytest.mark.parametrize("text,key", [
    ("2026-W44", "2026-W44"), ("2026-10", "2026-10"), ("2026-9", "2026-09"), ("2026-Q3", "2026-Q3"),
    ("2026-H1", "2026-H1"), ("2026", "2026"), ("2026年第三季度", "2026-Q3"), ("２０２６－Ｑ４", "2026-Q4")])
def test_check_period_takes_every_kind(text, key):
    assert check_period(text) == key


@pytest.mark.parametrize("text,words", [
    ("2026-13", "2026年没有第13月"), ("2026-W54", "2026年没有第54周"), ("2026-Q0", "不是有效的期间"),
    ("十月", "不是有效的期间")])
def test_check_period_refuses_in_chinese(text, words, capsys):
    with pytest.raises(typer.Exit) as e:
        check_period(text)
    assert e.value.exit_code == 2
    err = capsys.readouterr().err
    assert f"--period 的值“{text}”" in err and words in err


@pytest.mark.parametrize("text,words", [("2026-Q3", "是2026年第三季度"), ("2026", "是2026年，"),
                                        ("十月", "不是有效的月份")])
def test_check_month_says_why_a_month_is_needed(text, words, capsys):
    with pytest.raises(typer.Exit):
        check_month(text, "merge")
    err = capsys.readouterr().err
    assert words in err and "bqw merge 按月核对、合并台账" in err and "YYYY-MM" in err


def test_check_month_takes_a_month():
    assert check_month("2026-7", "validate") == "2026-07" and check_month(None, "validate") is None


def test_as_of_today_is_taken_and_tomorrow_refused(capsys):
    today = date.today()
    assert check_date(today.isoformat(), "--as-of") == today
    tomorrow = (today + timedelta(days=1)).isoformat()
    with pytest.raises(typer.Exit):
        check_date(tomorrow, "--as-of")
    assert f"--as-of 的值“{tomorrow}”晚于今天（{today.isoformat()}）" in capsys.readouterr().err
    assert check_date(tomorrow, "--date") == today + timedelta(days=1)  # a document may be dated ahead


@pytest.mark.parametrize("as_of,month", [
    (date(2026, 10, 31), "2026-10"), (date(2026, 11, 3), "2026-10"), (date(2026, 11, 30), "2026-11"),
    (date(2027, 1, 3), "2026-12"), (date(2026, 3, 1), "2026-02")])
def test_current_period_is_the_month_the_as_of_reports_on(as_of, month):
    assert current_period(as_of) == month


@pytest.mark.parametrize("key,word,label,ledgers", [
    ("2026-10", "本月", "2026年10月", "10月"), ("2026-W44", "本周", "2026年第44周", "2026年第44周"),
    ("2026-Q3", "本季度", "2026年第三季度", "2026年第三季度"), ("2026-H2", "下半年", "2026年下半年", "2026年下半年"),
    ("2026", "全年", "2026年", "2026年")])
def test_period_words_in_documents(key, word, label, ledgers):
    src = Source(period=key, as_of=date(2026, 12, 1))
    assert (this_period(key), src.label, src.ledgers_of) == (word, label, ledgers)


def test_period_end_of_every_kind():
    assert [period_end(k) for k in ("2026-02", "2026-Q1", "2026-H2", "2026", "2026-W01")] == [
        date(2026, 2, 28), date(2026, 3, 31), date(2026, 12, 31), date(2026, 12, 31), date(2026, 1, 4)]


def _printed(not_submitted: dict) -> str:
    stream = io.StringIO()
    print_merge(MergeResult(not_submitted=not_submitted), quiet=True, stream=stream)
    return stream.getvalue()


@pytest.mark.parametrize("missing", [{"visits": ["吴建新"]}, {"visits": ["吴建新", "李明"], "rectification": ["党建办"]}])
def test_reminder_lines_never_contradict(missing):
    text = _printed({"visits": [], "rectification": [], **missing})
    assert "均已报送" not in text
    assert "催报（挂点调研台账本期未报送）：" + "、".join(missing["visits"]) in text
    if "rectification" in missing:
        assert "本期未报送）：党建办" in text
    assert text.count("催报") == len(missing)


def test_all_reported_is_said_once():
    text = _printed({"visits": [], "rectification": []})
    assert text.count("催报：应报单位/人员均已报送。") == 1 and "本期未报送" not in text
    assert "催报" not in _printed({})  # nothing expected: nothing said

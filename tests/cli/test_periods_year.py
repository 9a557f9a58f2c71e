"""--period of every kind over a generated year (tests/fixtures/year.py): summaries, 通报/简报 and bqw run.

Every expected number comes from the generator's own records (Year), never from a hard-coded result.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date

import docx
import pytest

from conftest import run_bqw
from fixtures.year import LATE, LEADERS, RUN_MONTHS, TASKS, YEAR, Year, year  # noqa: F401 (the fixture)
from bqw.core.periods import Period

# a week, a month, a quarter, a half and the year: each with visits in the archive
PERIODS = ["2026-W30", "2026-07", "2026-Q3", "2026-H1", "2026"]


def _summaries(root, *args) -> dict:
    proc = run_bqw("summarise", *args, "--format", "json", cwd=root, check_code=0)
    data = json.loads(proc.stdout)
    return {s["kind"]: s for s in data.get("summaries", [data])}  # one kind: the summary itself


@pytest.fixture(scope="module")
def writable(year, tmp_path_factory):
    """A copy of the year's workspace for the commands that write into it (a document takes a number)."""
    return shutil.copytree(year.root, tmp_path_factory.mktemp("periods") / "w")


def _months(period: Period) -> list[int]:
    return [int(m[5:]) for m in period.months if m.startswith(str(YEAR))]


def _in_period(y: Year, leader: str, period: Period) -> list:
    return [v for v in y.leader_visits(leader, _months(period)) if period.start <= v.start <= period.end]


def _days(visits) -> int:
    return sum((v.end - v.start).days + 1 if v.end else 1 for v in visits)


def _counted_day(period: Period) -> date:
    """The summaries count a period as it ended (as-of today, capped at its end)."""
    return min(date.today(), period.end)


@pytest.mark.parametrize("key", PERIODS)
def test_each_period_summarises_visits_from_the_archive(year, key):
    period = Period.parse(key)
    v = _summaries(year.root, "--period", key)["visits"]
    assert (v["period"], v["period_kind"], v["period_label"]) == (period.key, period.kind.value, period.label)
    assert (v["period_start"], v["period_end"]) == (period.start.isoformat(), period.end.isoformat())
    assert v["period_months"] == list(period.months)
    assert v["as_of"] == _counted_day(period).isoformat()
    now = {who: _in_period(year, who, period) for who in LEADERS}
    assert v["totals"]["visits"] == sum(len(x) for x in now.values())
    assert v["totals"]["days"] == sum(_days(x) for x in now.values())
    by_leader = {x["leader"]: x for x in v["leaders"]}
    assert set(by_leader) == set(LEADERS)  # every leader, with visits in the period or not
    for who in LEADERS:
        # the year up to the period's last day (a week's: up to its Sunday)
        ytd = [x for x in year.leader_visits(who, range(1, 13)) if x.start <= period.end]
        assert by_leader[who]["visits"] == len(now[who]), who
        assert (by_leader[who]["ytd_visits"], by_leader[who]["ytd_days"]) == (len(ytd), _days(ytd)), who


@pytest.mark.parametrize("key", ["2026-06", "2026-Q3", "2026-H1", "2026"])
def test_tasks_are_counted_as_the_period_ended(year, key):
    """The three lists as they stood at the period's end: that month's list, counted on its last day."""
    period = Period.parse(key)
    t = _summaries(year.root, "--period", key, "--kind", "tasks")["tasks"]
    day = _counted_day(period)
    assert (t["period"], t["period_label"], t["as_of"]) == (period.key, period.label, day.isoformat())
    listed = [x for x in TASKS if x.listed <= period.end.month]
    assert t["totals"]["tasks"] == len(listed)
    assert t["totals"]["completed"] == sum(1 for x in listed if Year.task_state(x, day) == "已完成")
    assert t["totals"]["overdue"] == len(year.overdue(day))


def test_running_lists_are_those_of_the_period(year):
    """Scores and the roster arrived in October's round: not in the third quarter, in the year."""
    q3 = _summaries(year.root, "--period", "2026-Q3")
    assert "scores" not in q3 and "roster" not in q3
    whole = _summaries(year.root, "--period", "2026")
    assert whole["scores"]["period"] == "2026" and whole["roster"]["period_label"] == "2026年"
    assert whole["scores"]["totals"]["vetoed"] == len(year.vetoed) == 1
    assert whole["scores"]["totals"]["villages"] == len(year.score_rows)


@pytest.mark.parametrize("value,words", [
    ("2026-13", "2026年没有第13月"), ("2026-Q5", "不是有效的期间"), ("十月", "不是有效的期间")])
def test_a_period_that_is_none_is_a_chinese_usage_error(year, value, words):
    for command in ("summarise", "tongbao", "jianbao", "history"):
        proc = run_bqw(command, "--period", value, cwd=year.root)
        assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr, (command, proc.stderr)


def test_validate_and_merge_take_a_month_only(year):
    inbox = year.root / "inbox" / "07"
    for args in (["validate", inbox], ["merge", inbox, "-o", year.root.parent / "x.xlsx", "--no-archive"]):
        proc = run_bqw(*args, "--period", "2026-Q3", cwd=year.root)
        assert proc.returncode == 2, proc.stderr
        assert "是2026年第三季度" in proc.stderr and "按月核对、合并台账" in proc.stderr
    month = run_bqw("validate", inbox, "--period", "2026-07", "--format", "json", cwd=year.root)
    assert month.returncode in (0, 1), month.stderr


def test_history_lists_the_months_of_a_quarter(year):
    proc = run_bqw("history", "--period", "2026-Q1", "--format", "json", cwd=year.root, check_code=0)
    periods = {s["period"] for s in json.loads(proc.stdout)["submissions"]}
    assert periods == {"2026-01", "2026-02", "2026-03"}


def _paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs if p.text.strip()]


def test_tongbao_and_jianbao_of_a_quarter_say_the_quarter(year, writable, tmp_path):
    run_bqw("tongbao", "--period", "2026-Q3", "-o", tmp_path, cwd=writable, check_code=0)
    run_bqw("jianbao", "--period", "2026-Q3", "-o", tmp_path, cwd=writable, check_code=0)
    q3 = Period.parse("2026-Q3")
    visits = sum(len(_in_period(year, who, q3)) for who in LEADERS)
    days = sum(_days(_in_period(year, who, q3)) for who in LEADERS)
    leaders = sum(1 for who in LEADERS if _in_period(year, who, q3))
    text = _paragraphs(tmp_path / "进展通报（2026年第三季度）.docx")
    assert "关于平安镇2026年第三季度“百千万工程”" in "".join(text)
    assert any(p.startswith("为推动“百千万工程”各项工作落地见效，我办对2026年第三季度") and "数据截至2026年9月30日" in p
               for p in text)
    assert any(f"2026年第三季度，{leaders}名镇领导" in p and f"开展挂点调研{visits}次、{days}天" in p for p in text)
    assert "1.2026年第三季度镇领导挂点调研推进情况表" in " ".join(text)
    assert not any("9月“百千万工程”" in p for p in text)
    table = docx.Document(tmp_path / "进展通报（2026年第三季度）.docx").tables
    headers = [c.text for t in table for c in t.rows[0].cells]
    assert "本季度调研次数" in headers and "本月调研次数" not in headers
    brief = [p for p in tmp_path.glob("工作简报*.docx")]
    assert len(brief) == 1
    assert "平安镇2026年第三季度“百千万工程”" in "".join(_paragraphs(brief[0]))


def test_a_year_and_a_week_have_their_documents(writable, tmp_path):
    for key, label in (("2026", "2026年"), ("2026-W30", "2026年第30周")):
        run_bqw("tongbao", "--period", key, "-o", tmp_path / key, cwd=writable, check_code=0)
        text = "".join(_paragraphs(tmp_path / key / f"进展通报（{label}）.docx"))
        assert f"关于平安镇{label}“百千万工程”" in text


def test_a_document_is_never_dated_before_its_data(writable, tmp_path):
    proc = run_bqw("tongbao", "--period", "2026-10", "--as-of", "2026-10-31", "--date", "2026-10-30",
                   "-o", tmp_path, cwd=writable)
    assert proc.returncode == 2 and "成文日期 2026-10-30 早于数据截至日 2026-10-31" in proc.stderr
    assert not list(tmp_path.glob("*.docx"))
    proc = run_bqw("jianbao", "--period", "2026-Q3", "--date", "2026-09-29", "-o", tmp_path, cwd=writable)
    assert proc.returncode == 2 and "早于数据截至日 2026-09-30" in proc.stderr
    # a report made after the period: its data end with the period, so it may be dated on its last day
    run_bqw("tongbao", "--period", "2026-Q3", "--as-of", "2026-10-15", "--date", "2026-09-30", "-o", tmp_path,
            cwd=writable, check_code=0)


def test_an_as_of_in_the_future_is_refused(year):
    later = date.today().replace(year=date.today().year + 1).isoformat()
    for command in ("summarise", "tongbao", "jianbao", "run"):
        proc = run_bqw(command, "--as-of", later, cwd=year.root)
        assert proc.returncode == 2 and f"--as-of 的值“{later}”晚于今天" in proc.stderr, (command, proc.stderr)


def test_the_reply_deadline_is_after_the_document_date(year, tmp_path):
    root = shutil.copytree(year.root, tmp_path / "w")
    toml = root / "bqw.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[tongbao]", "[tongbao]\nreply_days = 0", 1),
                    encoding="utf-8")
    run_bqw("tongbao", "--type", "问题", "--period", "2026-10", "--date", "2026-11-05", "-o", tmp_path / "d",
            cwd=root, check_code=0)
    letters = list((tmp_path / "d").glob("问题通报*.docx"))
    assert letters
    for path in letters:
        text = "".join(_paragraphs(path))
        assert "请于2026年11月6日前" in text, path.name


def test_run_numbers_documents_of_the_current_period_only(year):
    """Each round wrote the documents of the month it reports on; a late file for an earlier month updated
    that month's ledgers, said so, and used up no number."""
    con = sqlite3.connect(year.archive)
    keys = [k for (k,) in con.execute("SELECT key FROM doc_numbers WHERE key LIKE '进展:%'")]
    con.close()
    # December's round (6 December) reports on November, already written: it brought only December's
    # 议定事项台账, whose ledger has a folder of its own month
    assert sorted(keys) == [f"进展:{YEAR}-{m:02d}" for m in RUN_MONTHS if m != 12]
    assert sorted(p.name for p in (year.root / "out").iterdir() if p.name[:4].isdigit()) == [
        f"{YEAR}-{m:02d}" for m in RUN_MONTHS]  # no folder for the as-of month of a round (November's in December)
    assert sorted(p.name for p in (year.root / "out" / f"{YEAR}-12").glob("*.xlsx")) == [
        "会议议定事项台账统计.xlsx", "会议议定事项台账（合并）.xlsx", "台账报送情况统计.xlsx"]
    for late in LATE:
        said = next(r for r in year.rounds if r.month == late.round).stdout
        if late.round != late.month:
            assert f"补报：已更新 {YEAR}-{late.month:02d} 的台账和统计" in said
    # the late May file is in May's ledger and statistics
    stats = json.loads((year.root / "out" / "2026-05" / "挂点调研台账统计.json").read_text(encoding="utf-8"))
    may = {x["leader"]: x["visits"] for x in stats["leaders"]}
    assert may["刘晓燕"] == year.visit_count("刘晓燕", [5]) > 0


def test_run_with_a_quarter_writes_the_quarter_documents(year, tmp_path):
    root = shutil.copytree(year.root, tmp_path / "w")
    src = next((root / "inbox" / "11").glob("*.xlsx"))
    shutil.copy(src, root / "inbox" / "again.xlsx")  # a new file (a copy of November's lists)
    proc = run_bqw("run", "--period", "2026-Q4", "--as-of", "2026-12-03", "--format", "json", cwd=root)
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert data["current_period"] == "2026-Q4"
    assert (root / "out" / "2026-Q4" / "进展通报（2026年第四季度）.docx").is_file()


def test_target_per_leader(year, tmp_path):
    root = shutil.copytree(year.root, tmp_path / "w")
    toml = root / "bqw.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('unit = "village"', 'unit = "leader"', 1), encoding="utf-8")
    v = _summaries(root, "--period", "2026-06", "--kind", "visits")["visits"]
    assert v["target_unit"] == "leader"
    target = v["targets"]["visits"]
    share = 6 / 12
    counts = {"达标": 0, "序时推进": 0, "滞后": 0, "未开展": 0}
    for x in v["leaders"]:
        done, days = year.visit_count(x["leader"], range(1, 7)), year.visit_days(x["leader"], range(1, 7))
        want = ("达标" if done >= target and days >= v["targets"]["days"] else
                "未开展" if done == 0 else
                "序时推进" if done >= target * share and days >= v["targets"]["days"] * share else "滞后")
        assert (x["target_visits"], x["ytd_visits"], x["status"]) == (target, done, want), x["leader"]
        assert x["needed_visits"] == max(0, target - done)
        counts[want] += 1
    assert v["status_counts"] == counts
    run_bqw("tongbao", "--period", "2026-06", "-o", tmp_path / "d", cwd=root, check_code=0)
    text = "".join(_paragraphs(tmp_path / "d" / "进展通报（2026年6月）.docx"))
    assert f"对照每位镇领导每年调研不少于{target}次" in text and "每人应不少于" in text
    n = len(LEADERS)
    whole = {"达标": "均已达标", "序时推进": "均按序时推进", "滞后": "均进度滞后", "未开展": "均未开展"}
    tally = next((whole[k] for k, c in counts.items() if c == n), None) or "中，" + "、".join(
        f"{k}{c}名" for k, c in counts.items() if c)  # zero counts left out
    assert "到每个挂点村" not in text and f"{n}名镇领导{tally}" in text


def test_target_per_village_is_the_default(year, writable, tmp_path):
    v = _summaries(year.root, "--period", "2026-06", "--kind", "visits")["visits"]
    assert v["target_unit"] == "village"
    for x in v["leaders"]:
        assert x["target_visits"] == v["targets"]["visits"] * x["assigned_villages"]
        assert "status" not in x
    run_bqw("tongbao", "--period", "2026-06", "-o", tmp_path, cwd=writable, check_code=0)
    text = "".join(_paragraphs(tmp_path / "进展通报（2026年6月）.docx"))
    assert "对照每位镇领导每年到每个挂点村调研不少于" in text and "每村应不少于" in text

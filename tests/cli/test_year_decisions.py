"""会议议定事项 over the generated year (tests/fixtures/year.py): the 议定事项台账 of October and its December
update, through bqw run, bqw summarise and bqw tongbao --type 议定, and the rectification lists' 催报 in
the 台账报送情况 that each round wrote.

Every expected number comes from the generator's records (Year.decisions, Year.sent), never from a
hard-coded result.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import docx

from conftest import run_bqw
from fixtures.year import DECEMBER_AS_OF, NOVEMBER_MEETING, OFFICE, YEAR, Year, year  # noqa: F401 (the fixture)

DONE = ("已完成", "已办结")


def _summary(root, period: str, as_of: date, kind: str) -> dict:
    proc = run_bqw("summarise", "--period", period, "--as-of", as_of.isoformat(), "--format", "json", cwd=root,
                   check_code=0)
    data = json.loads(proc.stdout)
    return next(s for s in data.get("summaries", [data]) if s["kind"] == kind)


def _expected(plans, as_of: date) -> dict:
    late = [d for d in plans if d.plan is not None and (d.plan - d.held).days > 2]
    missing = [d for d in plans if d.plan is None and d.held + timedelta(days=2) < as_of]
    overdue = [d for d in plans if d.due is not None and d.due < as_of and d.status not in DONE]
    return {"meetings": len({d.meeting for d in plans}), "items": len(plans),
            "completed": sum(d.status in DONE for d in plans), "overdue": len(overdue),
            "plans_late": len(late), "plans_missing": len(missing),
            "overdue_items": sorted((d.item, (as_of - d.due).days) for d in overdue)}


def _said(d: dict) -> dict:
    t = d["totals"]
    return {"meetings": t["meetings"], "items": t["items"], "completed": t["completed"], "overdue": t["overdue"],
            "plans_late": t["plans_late"], "plans_missing": t["plans_missing"],
            "overdue_items": sorted((x["item"], x["days_overdue"]) for x in d["overdue"])}


def test_the_year_counts_the_december_list(year: Year):
    d = _summary(year.root, str(YEAR), DECEMBER_AS_OF, "decisions")
    assert d["as_of"] == DECEMBER_AS_OF.isoformat()
    expected = _expected(year.decisions[f"{YEAR}-12"], DECEMBER_AS_OF)
    assert _said(d) == expected
    assert expected["meetings"] == 4 and expected["plans_missing"] == 2  # the generator did what it says
    meeting, held, items = NOVEMBER_MEETING
    row = next(m for m in d["meetings"] if m["meeting"] == meeting)
    assert (row["date"], row["items"]) == (held.isoformat(), len(items))


def test_november_counts_the_october_list(year: Year):
    """The running list as it stood at November's end: October's, not December's update."""
    d = _summary(year.root, f"{YEAR}-11", date(YEAR, 11, 30), "decisions")
    assert _said(d) == _expected(year.decisions[f"{YEAR}-10"], date(YEAR, 11, 30))
    assert NOVEMBER_MEETING[0] not in {m["meeting"] for m in d["meetings"]}


def test_the_decisions_tongbao_names_each_meeting(year: Year, tmp_path):
    root = shutil.copytree(year.root, tmp_path / "w")
    run_bqw("tongbao", "--type", "议定", "--period", f"{YEAR}-12", "--as-of", DECEMBER_AS_OF.isoformat(),
            "--date", (DECEMBER_AS_OF + timedelta(days=1)).isoformat(), cwd=root, check_code=0)
    [path] = (root / "out" / f"{YEAR}-12").glob("议定事项通报*.docx")
    text = "".join(p.text for p in docx.Document(path).paragraphs)
    plans = year.decisions[f"{YEAR}-12"]
    e = _expected(plans, DECEMBER_AS_OF)
    assert f"{e['meetings']}次会议议定事项共{e['items']}项，已办结{e['completed']}项" in text
    meeting, held, items = NOVEMBER_MEETING
    assert f"（四）{meeting}（{held.month}月{held.day}日）。议定事项{len(items)}项" in text
    for d in plans:
        if d.plan is None and d.held + timedelta(days=2) < DECEMBER_AS_OF:
            days = (DECEMBER_AS_OF - d.held - timedelta(days=2)).days
            assert f"{d.unit}“{d.item}”（{d.held.month}月{d.held.day}日{d.meeting}议定）至今未报送，已超过报送期限{days}天" in text


def test_rounds_judge_the_lists_reports(year: Year):
    """Each month's 台账报送情况 also judges the rectification lists: the units with open tasks owed them; the
    office's compiled list names each unit, and it came on time every month."""
    lists = {s.period: s for s in year.sent if s.kind == "tasks"}
    for period, sent in lists.items():
        data = json.loads((year.root / "out" / period / "台账报送情况统计.json").read_text(encoding="utf-8"))
        rows = [r for r in data["summaries"][0]["reports"] if r["kind"] == "tasks"] if "summaries" in data else [
            r for r in data["reports"] if r["kind"] == "tasks"]
        assert rows, period
        assert {r["status"] for r in rows} == {"按时报送"}, period
        assert {r["arrived"] for r in rows} == {sent.arrived.date().isoformat()}, period
        assert OFFICE not in {r["submitter"] for r in rows}  # the office compiles; the units report

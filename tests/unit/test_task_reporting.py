"""催报 of the rectification lists (issue 17): each month the units with open tasks owe an update, due
two days after the month ends (004 第3条 月调度); a unit whose tasks are all done owes nothing more.

Three units send their own 任务清单 for August, September and October, each file's time set to the
day it arrived. The reporting summary's JSON, the workbook `bqw run` writes and the 通报's sentence
are read back.
"""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest

from conftest import write_xlsx

from bqw.store.archive import Archive
from bqw.summary.reporting import reporting_from_archive, task_owing

HEADER = ["序号", "任务编号", "任务内容", "任务来源", "牵头单位", "完成时限", "完成状态", "进展情况"]
AS_OF = date(2026, 11, 10)
# unit -> month -> (the day its list arrived or None, the state of its one task at the month's end)
SENT = {
    "农业农村办": {8: (date(2026, 9, 1), "推进中"), 9: (date(2026, 10, 2), "推进中"), 10: (date(2026, 11, 5), "推进中")},
    "水务所": {8: (date(2026, 9, 2), "推进中"), 9: (None, None), 10: (date(2026, 11, 1), "推进中")},
    # done in September: owes no October list, and sends none
    "文化站": {8: (date(2026, 9, 1), "推进中"), 9: (date(2026, 10, 1), "已完成"), 10: (None, None)},
}


def _list(folder, unit: str, month: int, state: str, day: date):
    path = write_xlsx(folder / f"{unit}任务清单（{month}月）.xlsx", [
        [f"2026年平安镇问题整改任务清单（{month}月）"], [f"填报单位：{unit}"], HEADER,
        [1, f"{unit}-1", f"{unit}的整改任务", "问题整改", unit, "2026-12-31", state, "推进"]])
    t = datetime(day.year, day.month, day.day, 10, 0).timestamp()
    os.utime(path, (t, t))
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    from bqw.jobs.merge import merge

    folder = tmp_path_factory.mktemp("task-reporting")
    paths = [_list(folder, unit, month, state, day)
             for unit, months in SENT.items() for month, (day, state) in months.items() if day]
    store = Archive(folder / "bqw.db")
    with store.transaction():
        merge(paths, archive=store, as_of=AS_OF)
    yield store
    store.close()


def test_units_owe_while_they_have_open_tasks(archive):
    owing = task_owing(archive, ["2026-08", "2026-09", "2026-10"], set())
    assert owing == {"2026-08": {"农业农村办", "水务所", "文化站"},  # the first month: every unit named
                     "2026-09": {"农业农村办", "水务所", "文化站"},
                     "2026-10": {"农业农村办", "水务所"}}  # 文化站's task was done by September's end
    assert task_owing(archive, ["2026-10"], {"党建办"})["2026-10"] == {"农业农村办", "水务所", "文化站", "党建办"}


def test_month_reporting_of_the_lists(archive):
    s = reporting_from_archive(archive, period="2026-10", as_of=AS_OF, expected={}, deadline_days=lambda kind: 2)
    d = s.to_json()
    assert d["due"] == {"tasks": "2026-11-02"}
    now = {r["submitter"]: (r["status"], r["days_late"], r["arrived"]) for r in d["reports"]}
    assert now == {"农业农村办": ("逾期报送", 3, "2026-11-05"), "水务所": ("按时报送", 0, "2026-11-01")}
    year = {x["submitter"]: (x["on_time"], x["late"], x["missing"], x["text"]) for x in d["year"]}
    assert year == {"农业农村办": (2, 1, 0, "全年逾期报送1次"), "水务所": (2, 0, 1, "全年未报送1次"),
                    "文化站": (2, 0, 0, "")}
    assert s.highlights[0] == "应报2份：按时报送1份、逾期报送1份。"


def test_quarter_reporting_names_each_month(archive):
    from bqw.documents.lateness import reporting_sentences

    d = reporting_from_archive(archive, period="2026-Q3", as_of=AS_OF, expected={},
                               deadline_days=lambda kind: 2).to_json()
    assert {(r["period"], r["submitter"], r["status"]) for r in d["reports"]} == {
        ("2026-08", "农业农村办", "按时报送"), ("2026-08", "水务所", "按时报送"), ("2026-08", "文化站", "按时报送"),
        ("2026-09", "农业农村办", "按时报送"), ("2026-09", "水务所", "未报送"), ("2026-09", "文化站", "按时报送")}
    assert reporting_sentences(d) == "9月问题整改台账应于10月2日前报送，水务所至今未报送。"


def test_all_on_time_says_so(archive):
    d = reporting_from_archive(archive, period="2026-08", as_of=AS_OF, expected={}, deadline_days=lambda kind: 2)
    assert d.highlights == ["应报3份，均按时报送。"]

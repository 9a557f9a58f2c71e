"""催报 with deadlines and escalation of overdue tasks (issue 17), on archives generated here.

Visit ledgers of several months are merged with their files' times set (the arrival bqw reads);
monthly task lists carry tasks overdue by 14/15/29/30 days, over 2 and 3 month ends, one reopened,
and tasks that wait for other work. The summaries' JSON and the 一对一/进展通报 .docx are read back.
"""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest
from docx import Document

from conftest import VISITS_HEADER, visit_row, write_xlsx

from bqw.core.periods import Period
from bqw.jobs.config import Config
from bqw.jobs.merge import merge
from bqw.store.archive import Archive
from bqw.store.history import arrivals
from bqw.summary.reporting import judge, repeat_text, reporting_from_archive
from bqw.summary.tasks import Escalation, escalation_step, months_overdue, waits_for_other_work

LEADERS = ("洪文泽", "李明", "陈志强")
# leader -> month -> the day the file arrived (None: never sent); due: 2 days after the month ends
SENT = {
    "洪文泽": {"2026-07": date(2026, 8, 1), "2026-08": date(2026, 9, 2), "2026-09": date(2026, 10, 2),
             "2026-10": date(2026, 11, 2)},  # always on time (the due day itself counts)
    "李明": {"2026-07": date(2026, 8, 5), "2026-08": date(2026, 9, 3), "2026-09": None,
           "2026-10": date(2026, 11, 9)},  # late 3, 1, 7 days; September missing
    "陈志强": {"2026-07": date(2026, 8, 2), "2026-08": None, "2026-09": None, "2026-10": None},
}
AS_OF = date(2026, 11, 10)


def _stamp(path, day: date):
    t = datetime(day.year, day.month, day.day, 10, 0).timestamp()
    os.utime(path, (t, t))


@pytest.fixture(scope="module")
def visits_archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reporting")
    paths = []
    for leader, months in SENT.items():
        for month, day in months.items():
            if day is None:
                continue
            m = int(month[5:])
            path = write_xlsx(folder / f"{leader}{m}月.xlsx", [
                [f"镇领导挂点联系村调研台账（2026年{m}月）"], VISITS_HEADER,
                visit_row(1, leader=leader, when=f"2026年{m}月5日")])
            _stamp(path, day)
            paths.append(path)
    store = Archive(folder / "bqw.db")
    with store.transaction():
        merge(paths, archive=store, as_of=AS_OF)
    yield store
    store.close()


def test_arrival_is_the_files_day(visits_archive):
    found = {(a.submitter, a.period): a.day for a in arrivals(visits_archive, "visits", ["2026-10"], "镇领导")}
    assert found == {("洪文泽", "2026-10"): date(2026, 11, 2), ("李明", "2026-10"): date(2026, 11, 9)}


def test_reporting_summary_counts(visits_archive):
    s = reporting_from_archive(visits_archive, period="2026-10", as_of=AS_OF,
                               expected={"visits": set(LEADERS)}, deadline_days=lambda kind: 2)
    d = s.to_json()
    assert d["due"] == {"visits": "2026-11-02"}
    now = {r["submitter"]: (r["status"], r["days_late"], r["arrived"]) for r in d["reports"]}
    assert now == {"洪文泽": ("按时报送", 0, "2026-11-02"), "李明": ("逾期报送", 7, "2026-11-09"),
                   "陈志强": ("未报送", 0, None)}
    assert d["totals"] == {"expected": 3, "on_time": 1, "late": 1, "missing": 1, "not_due": 0}
    year = {x["submitter"]: (x["on_time"], x["late"], x["missing"], x["days_late"], x["text"]) for x in d["year"]}
    assert year == {"洪文泽": (4, 0, 0, 0, ""), "李明": (0, 3, 1, 11, "全年逾期报送3次、未报送1次"),
                    "陈志强": (1, 0, 3, 0, "全年未报送3次")}
    assert [x["submitter"] for x in d["repeated"]] == ["李明", "陈志强"]
    table = {t.name: t.frame for t in s.tables()}
    assert table["全年报送"].loc[table["全年报送"]["报送人（单位）"] == "李明", "全年情况"].item() == "全年逾期报送3次、未报送1次"
    # judged from the first month the archive holds (July), not from January
    assert sum(x["on_time"] + x["late"] + x["missing"] for x in d["year"]) == 12


def test_deadline_boundaries():
    assert judge("visits", "甲", "2026-10", date(2026, 11, 2), days=2, as_of=AS_OF).status == "按时报送"
    late = judge("visits", "甲", "2026-10", date(2026, 11, 3), days=2, as_of=AS_OF)
    assert (late.status, late.days_late) == ("逾期报送", 1)
    assert judge("visits", "甲", "2026-10", None, days=2, as_of=date(2026, 11, 2)).status == "未到报送时限"
    assert judge("visits", "甲", "2026-10", None, days=2, as_of=date(2026, 11, 3)).status == "未报送"
    assert judge("visits", "甲", "2026-Q3", None, days=2, as_of=date(2026, 10, 2)).status == "未到报送时限"
    assert repeat_text(0, 0) == "" and repeat_text(1, 0) == "全年逾期报送1次" and repeat_text(0, 2) == "全年未报送2次"


@pytest.mark.parametrize(("days", "step"), [(14, None), (15, "督办"), (29, "督办"), (30, "约谈")])
def test_escalation_day_thresholds(days, step):
    assert escalation_step(days, 0, Escalation())[0] == step


def test_escalation_month_threshold():
    assert escalation_step(20, 2, Escalation())[0] == "督办"
    assert escalation_step(20, 3, Escalation()) == ("挂牌", "连续3个月月底逾期未办结（满3个月挂牌）")
    # overdue since 20 August: at the ends of August, September and October (as of 10 November)
    assert months_overdue("X", date(2026, 8, 20), None, AS_OF) == 3
    assert months_overdue("X", date(2026, 9, 20), None, AS_OF) == 2
    assert months_overdue("X", date(2026, 10, 31), None, AS_OF) == 0  # due on the month's last day
    assert months_overdue("X", date(2026, 9, 20), None, date(2026, 10, 31)) == 2  # as-of on a month end


WAITING = ["待二期完工后实施", "待征地完成后启动", "需主体工程完成后方可实施", "等待规划批复后开工"]
NOT_WAITING = ["加快推进二期工程", "完成后及时报送", "待办事项清理", "需要加强管理"]


def test_waiting_patterns():
    assert all(waits_for_other_work(t) for t in WAITING)
    assert not any(waits_for_other_work(t) for t in NOT_WAITING)
    assert waits_for_other_work(None, "目前待一期验收后再推进")


TASK_HEADER = ["序号", "任务编号", "任务内容", "任务来源", "牵头单位", "完成时限", "完成状态", "进展情况"]
TASKS_AS_OF = date(2026, 10, 31)
# 任务编号 -> (完成时限, 任务内容); every one 推进中 in October's list, of 农业农村办 unless said
OCTOBER = {"D14": "2026-10-17", "D15": "2026-10-16", "D29": "2026-10-02", "D30": "2026-10-01",
           "M2": "2026-09-20", "M3": "2026-08-20", "R1": "2026-08-20"}


def _task_list(folder, month: int, rows: list[list]):
    return write_xlsx(folder / f"农业农村办任务清单（{month}月）.xlsx", [
        [f"2026年平安镇问题整改任务清单（{month}月）"], ["填报单位：农业农村办"], TASK_HEADER, *rows])


@pytest.fixture(scope="module")
def tasks_archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("escalation")
    # R1 was reported done in September and reopened in October: one month end overdue, not three
    aug = [[1, "M3", "任务M3", "问题整改", "农业农村办", "2026-08-20", "推进中", "推进"],
           [2, "R1", "任务R1", "问题整改", "农业农村办", "2026-08-20", "推进中", "推进"]]
    sep = [[1, "M3", "任务M3", "问题整改", "农业农村办", "2026-08-20", "推进中", "推进"],
           [2, "R1", "任务R1", "问题整改", "农业农村办", "2026-08-20", "已完成", "已完成"]]
    octo = [[i, tid, f"任务{tid}", "问题整改", "农业农村办", day, "推进中", "推进"]
            for i, (tid, day) in enumerate(OCTOBER.items(), 1)]
    octo += [[8, "W1", "待二期完工后实施污水管网", "问题整改", "水务所", "2026-12-31", "未启动", None],
             [9, "W2", "需征地完成后启动道路拓宽", "问题整改", "水务所", "2026-10-15", "未启动", None],
             [10, "OK", "村道硬化", "问题整改", "文化站", "2026-12-31", "推进中", "推进"]]
    paths = [_task_list(folder, 8, aug), _task_list(folder, 9, sep), _task_list(folder, 10, octo)]
    store = Archive(folder / "bqw.db")
    with store.transaction():
        merge(paths, archive=store, as_of=TASKS_AS_OF)
    yield store
    store.close()


def tmp_path_factory_root():
    from pathlib import Path

    return Path("/nonexistent-bqw-workspace")  # no workspace: Config's defaults only


def _tasks(store):
    from bqw.jobs.data import summaries
    from bqw.ledgers.family import RECTIFICATION_FAMILY

    return summaries(Config(root=tmp_path_factory_root()), store, period="2026-10", as_of=TASKS_AS_OF,
                     kinds=(RECTIFICATION_FAMILY,))[RECTIFICATION_FAMILY].to_json()


def test_escalation_steps_from_the_archive(tasks_archive):
    assert {s.period for s in tasks_archive.submissions()} == {"2026-08", "2026-09", "2026-10"}
    t = _tasks(tasks_archive)
    steps = {x["task_id"]: (x["days_overdue"], x["months_overdue"], x["step"]) for x in t["overdue"]}
    # as of 31 October, itself a month end: every overdue task was overdue at October's end
    assert steps == {"D14": (14, 1, None), "D15": (15, 1, "督办"), "D29": (29, 1, "督办"), "D30": (30, 1, "约谈"),
                     "M2": (41, 2, "约谈"), "M3": (72, 3, "挂牌"), "R1": (72, 1, "约谈"), "W2": (16, 1, "督办")}
    assert t["escalation"] == {"督办": 3, "约谈": 3, "挂牌": 1}
    assert [x["task_id"] for x in t["waiting"]] == ["W1"]  # W2 is due: criticised like any other


def test_problem_tongbao_says_the_step(tasks_archive, tmp_path):
    from bqw.documents import tongbao as T
    from bqw.documents.source import Source
    from bqw.jobs.documents import gather

    src = gather(Config(root=tmp_path_factory_root()), tasks_archive, period="2026-10", as_of=TASKS_AS_OF, context=False)
    assert isinstance(src, Source)
    assert T.problem_units(src.tasks, at_risk=True) == ["农业农村办", "水务所"]  # 文化站: nothing overdue or due soon
    T.problem(Config(root=tmp_path_factory_root()), src, "农业农村办", number=1, day=date(2026, 11, 3)).save(tmp_path / "a.docx")
    text = "\n".join(p.text for p in Document(tmp_path / "a.docx").paragraphs)
    assert ("按照逾期事项升级督办规定，M3（连续3个月月底逾期未办结）列入挂牌督办；R1（逾期72天）、M2（逾期41天）、"
            "D30（逾期30天）约谈有关负责同志；D29（逾期29天）、D15（逾期15天）发函督办。") in text.replace("\n", "")
    T.problem(Config(root=tmp_path_factory_root()), src, "水务所", number=2, day=date(2026, 11, 3)).save(tmp_path / "b.docx")
    text = "".join(p.text for p in Document(tmp_path / "b.docx").paragraphs)
    assert "W2事项至今未启动" in text and "W1" not in text.split("整改要求")[0].replace("另有1项", "")
    assert "另有1项事项须待前序工作完成后实施，尚未到完成时限，该事项暂不列为问题" in text

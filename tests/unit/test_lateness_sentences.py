"""The 通报's sentences on late reports, escalation steps and waiting tasks (bqw.documents.lateness), each
said right with none, one and many items (issue 17: “test each with 0, 1 and many items”)."""

from __future__ import annotations

import pytest

from bqw.documents.lateness import escalation_sentence, reporting_sentences, waiting_sentence


def report(submitter: str, status: str, days_late: int | None = None, period: str = "2026-10",
           kind: str = "visits") -> dict:
    due = {"2026-09": "2026-10-02", "2026-10": "2026-11-02", "2026-11": "2026-12-02"}[period]
    return {"kind": kind, "submitter": submitter, "status": status, "days_late": days_late,
            "arrived": None, "period": period, "due": due}


def reporting(*reports: dict, repeated: tuple = ()) -> dict:
    return {"due": {"visits": "2026-11-02"}, "reports": list(reports),
            "repeated": [{"submitter": who, "text": text} for who, text in repeated], "year": []}


@pytest.mark.parametrize("reports, repeated, said", [
    ((report("洪文泽", "按时报送"), report("李明", "按时报送")), (), ""),
    ((report("李明", "逾期报送", 3),), (), "10月挂点调研台账应于11月2日前报送，李明（逾期3天）逾期报送。"),
    ((report("王强", "未报送"),), (), "10月挂点调研台账应于11月2日前报送，王强至今未报送。"),
    ((report("李明", "逾期报送", 3), report("张国华", "逾期报送", 1), report("王强", "未报送"),
      report("吴建新", "未报送"), report("洪文泽", "按时报送")),
     (("王强", "全年未报送2次"), ("李明", "全年逾期报送3次、未报送1次")),
     "10月挂点调研台账应于11月2日前报送，李明（逾期3天）、张国华（逾期1天）逾期报送，王强、吴建新至今未报送。"
     "全年累计，王强未报送2次；李明逾期报送3次、未报送1次。"),
    ((report("洪文泽", "按时报送"),), (("李明", "全年逾期报送3次"),), "全年累计，李明逾期报送3次。"),
    # a quarter's 通报 speaks of each month with its own deadline, in order, the leaders' ledger first
    ((report("李明", "逾期报送", 2, "2026-11"), report("王强", "未报送", period="2026-09"),
      report("水务所", "未报送", period="2026-11", kind="tasks"), report("李明", "按时报送", period="2026-10")), (),
     "9月挂点调研台账应于10月2日前报送，王强至今未报送。11月挂点调研台账应于12月2日前报送，李明（逾期2天）逾期报送。"
     "11月问题整改台账应于12月2日前报送，水务所至今未报送。"),
])
def test_reporting_sentences_none_one_many(reports, repeated, said):
    assert reporting_sentences(reporting(*reports, repeated=repeated)) == said


def overdue(task_id: str, step: str | None, days: int = 20, months: int = 1) -> dict:
    return {"task_id": task_id, "step": step, "days_overdue": days, "months_overdue": months}


@pytest.mark.parametrize("items, said", [
    ([], ""),
    ([overdue("RW-01", None, 10)], ""),
    ([overdue("RW-01", "督办", 16)], "按照逾期事项升级督办规定，RW-01（逾期16天）发函督办。"),
    ([overdue("RW-01", "约谈", 31), overdue("RW-02", "约谈", 45), overdue("RW-03", "挂牌", 95, 3),
      overdue("RW-04", "督办", 15)],
     "按照逾期事项升级督办规定，RW-03（连续3个月月底逾期未办结）列入挂牌督办；RW-01（逾期31天）、RW-02（逾期45天）"
     "约谈有关负责同志；RW-04（逾期15天）发函督办。"),
])
def test_escalation_sentence_none_one_many(items, said):
    assert escalation_sentence(items) == said


def test_waiting_sentence_one_and_many():
    assert waiting_sentence(1) == ("另有1项事项须待前序工作完成后实施，尚未到完成时限，该事项暂不列为问题，"
                                   "请做好前期准备，前序工作完成后及时启动。")
    assert "这3项事项暂不列为问题" in waiting_sentence(3)

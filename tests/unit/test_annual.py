"""年度考评通报 and 季度推进情况通报 (bqw.documents.annual): the .docx opened, exact sentences for 0, 1 and
many, the proposal table titled as a proposal, numbers taken from the summaries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from bqw.documents import annual as A
from bqw.jobs.config import Config
from bqw.summary.evaluation import Rules, summarise_evaluation
from bqw.summary.progress import summarise_progress
from bqw.summary.scores import summarise_scores
from bqw.summary.tasks import summarise_tasks
from bqw.summary.visits import summarise_visits

YEAR_END = date(2026, 12, 31)


def tasks(rows):
    frame = pd.DataFrame([{"任务编号": a, "问题编号": b, "牵头单位": c, "完成时限": d, "完成状态": e, "完成时间": f}
                          for a, b, c, d, e, f in rows])
    return summarise_tasks(None, None, frame, as_of=YEAR_END)


def visits(rows, assignments, period="2026", as_of=YEAR_END):
    frame = pd.DataFrame([{"镇领导": a, "调研地点": b, "调研天数": d, "月份": m} for a, b, d, m in rows])
    return summarise_visits(frame, period=period, as_of=as_of, assignments=assignments)


def evaluation(task_rows=(), visit_rows=(), assignments=None, scores=None, rules=Rules()):
    v = visits(visit_rows, assignments).to_json() if assignments else None
    return summarise_evaluation(period="2026", as_of=YEAR_END, visits=v, tasks=tasks(task_rows) if task_rows else None,
                                scores=scores, rules=rules).to_json()


def texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


ONE = [("RW1", "WT1", "财政所", "2026-03-31", "已完成", "2026-03-01")]
MANY = ONE + [("RW2", "WT2", "综治办", "2026-01-31", "推进中", None),
              ("RW3", "WT3", "党建办", "2026-02-28", "未启动", None),
              ("RW4", "WT4", "党建办", "2026-05-31", "已完成", "2026-06-20")]


@pytest.mark.parametrize("rows, expected", [
    (ONE, "建议表扬财政所。"),
    (MANY, "建议表扬财政所；挂牌整治综治办、党建办。"),
    ([("RW1", "WT1", "财政所", "2026-03-31", "已完成", "2026-03-01"), ("RW2", "WT2", "财政所", "2026-12-31", "推进中", None)],
     "按上述标准，本年度没有达到建议表扬、约谈或挂牌整治条件的单位。"),  # 50 % is not below 50 %: none
])
def test_proposal_sentence(rows, expected):
    e = evaluation(rows, rules=Rules(interview_rate=50, listing_rate=40))
    assert A.proposal_sentence(e) == expected


@pytest.mark.parametrize("assignments, rows, expected", [
    ({"甲": ["东村"]}, [("甲", "东村", 1, f"2026-{m:02d}") for m in range(1, 6)], "1名镇领导已达标。"),
    ({"甲": ["东村"]}, [("甲", "东村", 1, "2026-01")], "1名镇领导未达标。"),
    ({"甲": ["东村"], "乙": ["西村"], "丙": ["南村"]}, [("甲", "东村", 1, f"2026-{m:02d}") for m in range(1, 6)],
     "3名镇领导中1名达标，2名未达标（乙、丙）。"),
])
def test_leaders_sentence(assignments, rows, expected):
    e = evaluation(visit_rows=rows, assignments=assignments)
    assert A.leaders_sentence(e) == "对照每个挂点村每年调研不少于5次、累计不少于5天的目标，" + expected


def test_tasks_sentence_leaves_out_empty_parts():
    assert A.tasks_sentence(evaluation(ONE)) == "1个牵头单位牵头1项任务，按时完成。"
    assert A.tasks_sentence(evaluation(MANY)) == ("3个牵头单位共牵头4项任务，其中按时完成1项，超期完成1项，"
                                                  "逾期未完成2项。")


def scores(names, totals, vetoes):
    items = {f"指标{i}": [0.0] * len(names) for i in range(1, 26)}
    items["指标25"] = [float(t) for t in totals]
    neg = {f"负面{i}": [i == 4 and v for v in vetoes] for i in range(1, 9)}
    return summarise_scores(pd.DataFrame({"村名": names, **items, **neg})).to_json()


def test_villages_sentence():
    e = evaluation(ONE, scores=scores(["甲村"], [7], [False]))
    assert A.villages_sentence(e) == "参加评价的典型村1个，甲村得7分。"
    e = evaluation(ONE, scores=scores(["甲村", "乙村", "丙村"], [6, 7, 7], [False, False, True]))
    text = A.villages_sentence(e)
    assert text.startswith("参加评价的典型村3个，乙村排名第一（7分）；丙村触及负面清单第4项（")
    assert text.endswith("），一票否决，不予排名。")


@pytest.fixture
def cfg(tmp_path):
    return Config(root=tmp_path, town="平安镇", unit="平安镇“百千万工程”指挥部办公室", doc_prefix="平安百千万办",
                  year=2026, tongbao={"to": ["各村（社区）", "镇直各单位"]})


def test_annual_document(cfg, tmp_path):
    e = evaluation(MANY, visit_rows=[("甲", "东村", 1, "2026-01")], assignments={"甲": ["东村"]},
                   scores=scores(["甲村", "丙村"], [7, 7], [False, True]))
    path = A.annual(cfg, e, number=3, day=date(2027, 1, 5)).save(tmp_path / "年度.docx")
    lines = texts(path)
    assert lines[2] == "关于平安镇2026年度“百千万工程”\n考核评价情况的通报"  # the title, broken over two lines
    assert "平安百千万办〔2026〕3号" in lines
    assert ("（一）挂点调研情况。对照每个挂点村每年调研不少于5次、累计不少于5天的目标，1名镇领导未达标"
            "（详见附件1）。") in lines
    body = next(x for x in lines if x.startswith("依据整改完成率"))
    assert body.endswith("建议表扬财政所；挂牌整治综治办、党建办（详见附件4）。以上建议报镇指挥部审定。")
    assert "考评结果建议表（报镇指挥部审定）" in lines
    table = Document(str(path)).tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["序号", "单位", "考评结果建议", "理由"]
    assert [c.text for c in table.rows[1].cells][:3] == ["1", "综治办", "建议挂牌整治"]
    assert [c.text for c in table.rows[3].cells] == ["3", "财政所", "建议表扬", "整改完成率100%（1/1），不低于95%，无逾期事项"]


def test_annual_document_without_units_has_no_proposal(cfg, tmp_path):
    e = evaluation(visit_rows=[("甲", "东村", 1, "2026-01")], assignments={"甲": ["东村"]})
    lines = texts(A.annual(cfg, e, number=1, day=date(2027, 1, 5)).save(tmp_path / "年度.docx"))
    assert not any("考评结果建议" in x for x in lines)
    assert "（二）任务落实情况。本年度台账中没有牵头任务。" in lines


def test_quarterly_document(cfg, tmp_path):
    v = visits([("甲", "东村", 1, m) for m in ("2026-07", "2026-07", "2026-09")], {"甲": ["东村"]}, period="2026-Q3",
               as_of=date(2026, 9, 30))
    t = summarise_tasks(None, None, pd.DataFrame([{"任务编号": "RW1", "问题编号": "WT1", "牵头单位": "财政所",
                                                   "完成时限": "2026-08-15", "完成状态": "推进中", "完成时间": None}]),
                        as_of=date(2026, 9, 30))
    p = summarise_progress(period="2026-Q3", as_of=date(2026, 9, 30), visits=v.to_json(), tasks=t).to_json()
    path = A.quarterly(cfg, p, v.to_json(), number=4, day=date(2026, 10, 8)).save(tmp_path / "季度.docx")
    lines = texts(path)
    assert ("2026年第三季度，镇领导挂点调研3次；2026年累计调研3次，完成全年目标5次的60%（按9月序时进度应完成75%）。"
            "2026年第三季度没有办结任务，2026年尚无办结的任务（共1项）；季末逾期未办结1项，比上季度末增加1项。") in lines
    assert ("7月调研2次、没有办结任务、月末没有逾期任务；8月没有调研、没有办结任务、月末逾期1项；"
            "9月调研1次、没有办结任务、月末逾期1项（详见附件）。") in lines
    assert "（一）部分任务逾期未办结。截至季末，仍有1项任务逾期未办结。" in lines
    table = Document(str(path)).tables[-1]
    assert [c.text for c in table.rows[7].cells] == ["7月", "2", "2", "0", "0"]

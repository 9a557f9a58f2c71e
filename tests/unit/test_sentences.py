"""Every sentence template of the 进展通报, “一对一”通报, 议定事项通报, 简报 and 年度考评通报 (bqw.documents
tongbao, jianbao, annual, figures), built from the real summaries of small ledgers and asserted word for word
with none, one and many items (issue 17: “review every sentence template with a native reader's eye”).

The sentences of lateness.py are in test_lateness_sentences.py, the visits' first sentence and open_items in
test_documents.py, the named lagging leaders in test_tongbao_unnamed.py."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from docx import Document

from bqw.documents import annual as A
from bqw.documents import figures as F
from bqw.documents import jianbao as J
from bqw.documents import meetings as M
from bqw.documents import tongbao as T
from bqw.documents.source import Source, decisions as decision_summary, task_rows
from bqw.jobs.config import Config
from bqw.summary.evaluation import summarise_evaluation
from bqw.summary.tasks import summarise_tasks
from bqw.summary.visits import summarise_visits

AS_OF = date(2026, 10, 31)
DAY = date(2026, 11, 3)
DATE = "2026年10月31日"


def ledger(*rows, source: str = "问题整改") -> pd.DataFrame:
    """A task ledger: (任务编号, 牵头单位, 完成时限, 完成状态, 完成时间, 进展情况); 任务内容 “事项<编号>”."""
    return pd.DataFrame([{"任务编号": a, "问题编号": "WT-" + a[3:], "任务内容": f"事项{a}", "任务来源": source,
                          "牵头单位": b, "完成时限": c, "完成状态": d, "完成时间": e, "进展情况": f}
                         for a, b, c, d, e, f in rows])


def source(*rows, source_kind: str = "问题整改") -> Source:
    frame = ledger(*rows, source=source_kind)
    summary = summarise_tasks(None, None, frame, as_of=AS_OF)
    data = summary.to_json()
    src = Source(period="2026-10", as_of=AS_OF, tasks=data, task_rows=task_rows(summary, {"tasks": frame}))
    if source_kind == "会议议定":
        src.decisions, src.decision_rows = decision_summary({"tasks": frame}, AS_OF)
    return src


# rows: (任务编号, 牵头单位, 完成时限, 完成状态, 完成时间, 进展情况)
DONE = ("RW-1", "甲办", "2026-09-30", "已完成", "2026-09-20", "已完成")
DONE_LATE = ("RW-2", "甲办", "2026-09-30", "已完成", "2026-10-10", "已完成")
LATE_OPEN = ("RW-3", "甲办", "2026-10-19", "推进中", None, "施工中。")  # 12 days overdue on 31 October
LATE_IDLE = ("RW-4", "乙所", "2026-10-26", "未启动", None, None)  # 5 days overdue
OPEN = ("RW-5", "乙所", "2026-12-31", "推进中", None, "正在招标")
IDLE = ("RW-6", "乙所", "2026-12-31", "未启动", None, None)
LATE_OPEN_2 = ("RW-7", "甲办", "2026-10-29", "推进中", None, "已进场")  # 2 days overdue


def clerk_reads(text: str) -> None:
    """What no office would sign, anywhere in a document."""
    for bad in ("（）", "；。", "，。", "。。", "：。", "等。", "分别", "占—"):
        assert bad not in text, (bad, text)
    assert not re.search(r"(?<![\d.])0(?:项|个|名|次|天|%)", text), text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    assert not re.search(r"(?<![0-9])1(?:项|个|名)[^，。；：（]{0,6}均", text), text  # “1项……均”


# --- figures: the tasks' shares, the problems rectified ---------------------------------------------

@pytest.mark.parametrize("rows, said", [
    ((), [f"截至{DATE}，尚无纳入调度的问题整改及重点任务。"]),
    ((DONE,), [f"纳入调度的问题整改及重点任务1项（涉及问题1个），截至{DATE}，已完成。", "问题整改完成率100%（该问题已整改）。"]),
    ((DONE_LATE,), [f"纳入调度的问题整改及重点任务1项（涉及问题1个），截至{DATE}，超期完成。",
                    "问题整改完成率100%（该问题已整改）。"]),
    ((LATE_OPEN,), [f"纳入调度的问题整改及重点任务1项（涉及问题1个），截至{DATE}，正在推进，已逾期。",
                    "涉及的问题尚未整改到位。"]),
    ((OPEN,), [f"纳入调度的问题整改及重点任务1项（涉及问题1个），截至{DATE}，正在推进。", "涉及的问题尚未整改到位。"]),
    ((DONE, DONE_LATE), [f"纳入调度的问题整改及重点任务2项（涉及问题2个），截至{DATE}，均已完成，其中超期完成1项。",
                         "问题整改完成率100%（2个问题均已整改）。"]),
    ((LATE_OPEN, OPEN, LATE_OPEN_2), [f"纳入调度的问题整改及重点任务3项（涉及问题3个），截至{DATE}，均在推进中，"
                                      "其中逾期未完成2项。", "涉及的3个问题均未整改到位。"]),
    ((LATE_IDLE, IDLE), [f"纳入调度的问题整改及重点任务2项（涉及问题2个），截至{DATE}，均未启动，其中逾期未完成1项。",
                         "涉及的2个问题均未整改到位。"]),
    ((LATE_OPEN, LATE_IDLE), [f"纳入调度的问题整改及重点任务2项（涉及问题2个），截至{DATE}，均未完成：推进中1项，占50%；"
                              "未启动1项，占50%。2项均已逾期。", "涉及的2个问题均未整改到位。"]),
    ((LATE_OPEN, OPEN, IDLE), [f"纳入调度的问题整改及重点任务3项（涉及问题3个），截至{DATE}，均未完成：推进中2项，占66.7%；"
                               "未启动1项，占33.3%。其中逾期未完成1项，占33.3%。", "涉及的3个问题均未整改到位。"]),
    ((DONE, DONE_LATE, LATE_OPEN, OPEN, IDLE), [
        f"纳入调度的问题整改及重点任务5项（涉及问题5个），截至{DATE}，已完成2项，占40%；推进中2项，占40%；未启动1项，占20%。"
        "其中逾期未完成1项，占20%；超期完成1项。", "问题整改完成率40%（5个问题中已整改2个）。"]),
])
def test_tasks_sentences(rows, said):
    src = source(*rows) if rows else None
    t = src.tasks if rows else {"totals": {"tasks": 0, "completed": 0, "in_progress": 0, "not_started": 0,
                                           "overdue": 0, "completed_late": 0}}
    assert F.tasks_sentences(t, AS_OF.isoformat()) == said


def test_tasks_sentences_by_source():
    frame = pd.concat([ledger(DONE), ledger(OPEN, IDLE, source="会议议定")], ignore_index=True)
    t = summarise_tasks(None, None, frame, as_of=AS_OF).to_json()
    assert F.tasks_sentences(t, AS_OF.isoformat())[-1] == "按任务来源分：问题整改1项、会议议定2项。"


# --- 进展通报: 存在问题 ---------------------------------------------------------------------------

@pytest.mark.parametrize("rows, said", [
    ((LATE_OPEN,), f"截至{DATE}，甲办1项任务逾期未完成，逾期12天。"),
    ((LATE_OPEN, LATE_OPEN_2), f"截至{DATE}，甲办2项任务逾期未完成，最长逾期12天。"),
    ((LATE_OPEN, LATE_OPEN_2, LATE_IDLE),
     f"截至{DATE}，2个牵头单位的3项任务逾期未完成：甲办2项，最长逾期12天；乙所1项，逾期5天。"),
])
def test_progress_overdue_sentence(rows, said):
    assert F.overdue_sentence(source(*rows).tasks) == said


@pytest.mark.parametrize("per_unit, said", [
    ({"乙所": 1}, "乙所1项任务尚未启动。"),
    ({"乙所": 2}, "乙所2项任务尚未启动。"),
    ({"甲办": 1, "乙所": 2}, "3项任务尚未启动，涉及甲办1项、乙所2项。"),
])
def test_units_text(per_unit, said):
    assert F.units_text(sum(per_unit.values()), per_unit, "尚未启动") == said


@pytest.fixture
def cfg(tmp_path):
    return Config(root=tmp_path, town="平安镇", unit="平安镇“百千万工程”指挥部办公室", doc_prefix="平安百千万办",
                  year=2026, tongbao={"to": ["各村（社区）", "镇直各单位"]})


def lines(w, path) -> list[str]:
    return [p.text for p in Document(str(w.save(path))).paragraphs if p.text.strip()]


def part(lines_: list[str], head: str, stop: str) -> list[str]:
    """The paragraphs from the heading `head` up to the one starting with `stop`."""
    start = lines_.index(head)
    end = next(i for i in range(start + 1, len(lines_)) if lines_[i].startswith(stop))
    return lines_[start + 1:end]


@pytest.mark.parametrize("rows, said", [
    ((DONE,), ["本期未发现逾期未完成、未启动和调研进度滞后的情况。"]),
    ((LATE_OPEN, IDLE), [f"（一）部分任务逾期未完成。截至{DATE}，甲办1项任务逾期未完成，逾期12天（详见附件2）。",
                         "（二）部分任务尚未启动。乙所1项任务尚未启动。"]),
    ((LATE_OPEN, LATE_OPEN_2, LATE_IDLE, ("RW-8", "丙站", "2026-10-20", "未启动", None, None)),
     [f"（一）部分任务逾期未完成。截至{DATE}，3个牵头单位的4项任务逾期未完成：甲办2项，最长逾期12天；丙站1项，逾期11天；"
      "乙所1项，逾期5天（详见附件2）。",
      "（二）部分任务尚未启动。2项任务尚未启动，涉及乙所1项、丙站1项。"]),
])
def test_progress_problems_part(cfg, tmp_path, rows, said):
    text = lines(T.progress(cfg, source(*rows), number=1, day=DAY), tmp_path / "p.docx")
    assert part(text, "二、存在问题", "三、") == said
    clerk_reads("".join(text))


SOON = ("RW-10", "丙站", "2026-11-03", "推进中", None, "已进场")
SOON_2 = ("RW-11", "丙站", "2026-11-05", "推进中", None, "已招标")


@pytest.mark.parametrize("rows, said", [
    ((SOON,), "（一）部分任务临近完成时限。1项任务临近完成时限：丙站“事项RW-10”（11月3日到期），须抓紧推进。"),
    ((SOON, SOON_2), "（一）部分任务临近完成时限。2项任务临近完成时限：丙站“事项RW-10”（11月3日到期）、"
                     "丙站“事项RW-11”（11月5日到期），须抓紧推进。"),
])
def test_progress_due_soon(cfg, tmp_path, rows, said):
    text = lines(T.progress(cfg, source(*rows), number=1, day=DAY), tmp_path / "p.docx")
    assert part(text, "二、存在问题", "三、") == [said]


def test_visits_first_sentence_leaves_out_no_problems_solved():
    v = visits([("甲", "东村", 1, f"2026-{m:02d}") for m in range(1, 11)], {"甲": ["东村"]})
    assert F.visits_sentences(v)[0] == "10月，1名镇领导到1个村（社区）开展挂点调研1次、1天；2026年累计调研10次、10天。"


# --- “一对一”问题通报 ------------------------------------------------------------------------------

def problem_text(cfg, tmp_path, rows, unit="甲办") -> list[str]:
    return lines(T.problem(cfg, source(*rows), unit, number=2, day=DAY), tmp_path / "q.docx")


def test_problem_one_overdue_item(cfg, tmp_path):
    text = problem_text(cfg, tmp_path, (DONE, LATE_OPEN, IDLE))
    assert text[text.index("一、基本情况") + 1] == (
        "你单位牵头负责的事项共2项，已办结1项，推进中1项；办结率50%，高于全镇平均水平（全镇3项，已办结1项，办结率33.3%）。"
        "逾期未办结1项，已逾期12天。")
    assert text[text.index("一、基本情况") + 2] == (
        "逾期未办结的事项为：RW-3“事项RW-3”（完成时限2026年10月19日，已逾期12天）。")
    assert part(text, "二、存在问题", "三、") == ["（一）推进不及时。1项事项超过完成时限仍未办结，逾期12天，整改进度明显滞后。"]
    clerk_reads("".join(text))


def test_problem_many_items(cfg, tmp_path):
    rows = (DONE_LATE, LATE_OPEN, LATE_OPEN_2, ("RW-8", "甲办", "2026-12-31", "未启动", None, None),
            ("RW-9", "甲办", "2026-12-30", "未启动", None, None))
    text = problem_text(cfg, tmp_path, rows)
    assert text[text.index("一、基本情况") + 1] == (
        "你单位牵头负责的事项共5项，已办结1项，推进中2项，未启动2项；办结率20%，与全镇平均水平持平"
        "（全镇5项，已办结1项，办结率20%）。逾期未办结2项，逾期天数合计14天，最长逾期12天。另有1项超过完成时限后才办结。")
    problems = part(text, "二、存在问题", "三、")
    assert problems[0].startswith("（一）推进不及时。2项事项超过完成时限仍未办结，最长逾期12天，整改进度明显滞后。")
    assert problems[1:] == ["（二）部分事项尚未启动。RW-8、RW-9共2项事项至今未启动，工作推进不够主动。",
                            "（三）进展反馈不及时。RW-8、RW-9共2项事项尚未办结，未填写进展情况，台账更新不及时。"]
    clerk_reads("".join(text))


def test_problem_one_idle_item_and_none_open(cfg, tmp_path):
    text = problem_text(cfg, tmp_path, (OPEN, IDLE), unit="乙所")
    assert part(text, "二、存在问题", "三、") == [
        "（一）部分事项尚未启动。RW-6事项至今未启动，工作推进不够主动。",
        "（二）进展反馈不及时。RW-6事项尚未办结，未填写进展情况，台账更新不及时。"]
    text = problem_text(cfg, tmp_path, (DONE, OPEN), unit="甲办")
    assert text[text.index("一、基本情况") + 1] == (
        "你单位牵头负责的事项共1项，已办结；办结率100%，高于全镇平均水平（全镇2项，已办结1项，办结率50%）。目前没有逾期事项。")
    assert part(text, "二、存在问题", "三、") == ["你单位事项均已办结，未发现逾期或未启动的情况。"]


@pytest.mark.parametrize("rows, unit, said", [
    ((OPEN, IDLE), "乙所", "你单位牵头负责的事项共2项，均未办结，推进中1项，未启动1项；全镇2项事项均未办结。目前没有逾期事项。"),
    ((LATE_IDLE,), "乙所", "你单位牵头负责的事项共1项，尚未启动；全镇1项事项尚未办结。逾期未办结1项，已逾期5天。"),
    ((DONE, OPEN, IDLE), "乙所", "你单位牵头负责的事项共2项，均未办结，推进中1项，未启动1项；办结率低于全镇平均水平"
     "（全镇3项，已办结1项，办结率33.3%）。目前没有逾期事项。"),
    ((DONE, LATE_OPEN, LATE_OPEN_2, OPEN), "甲办", "你单位牵头负责的事项共3项，已办结1项，推进中2项；办结率33.3%，"
     "高于全镇平均水平（全镇4项，已办结1项，办结率25%）。逾期未办结2项，逾期天数合计14天，最长逾期12天。"),
    ((DONE, DONE_LATE, IDLE), "甲办", "你单位牵头负责的事项共2项，均已办结；办结率100%，高于全镇平均水平"
     "（全镇3项，已办结2项，办结率66.7%）。目前没有逾期事项。另有1项超过完成时限后才办结。"),
])
def test_problem_unit_standing(rows, unit, said):
    t = source(*rows).tasks
    u, _basis = T.unit_row(t, unit)
    assert T.unit_standing(t, u, "牵头负责") == said


def test_problem_opening_sentence_has_one_bracket(cfg, tmp_path):
    text = problem_text(cfg, tmp_path, (OPEN, IDLE), unit="乙所")
    assert text[4] == (f"根据“百千万工程”问题整改及重点任务台账，截至{DATE}，你单位牵头负责的事项中，尚有2项未办结"
                       "（推进中1项、未启动1项，详见附件）。现将有关情况通报如下：")
    clerk_reads("".join(text))
    text = problem_text(cfg, tmp_path, (LATE_OPEN,))
    assert text[4].endswith("尚有1项未办结（正在推进），已逾期（详见附件）。现将有关情况通报如下：")


# --- 会议议定事项落实情况通报 ----------------------------------------------------------------------

def decision_text(cfg, tmp_path, rows) -> list[str]:
    return lines(M.decisions(cfg, source(*rows, source_kind="会议议定"), number=5, day=DAY), tmp_path / "d.docx")


@pytest.mark.parametrize("rows, overall, lagging", [
    ((DONE,), f"纳入督办的会议议定事项1项，截至{DATE}，已办结（详见附件）。", ["会议议定事项均已办结，没有逾期或未启动的事项。"]),
    ((OPEN,), f"纳入督办的会议议定事项1项，截至{DATE}，正在推进（详见附件）。",
     ["各项会议议定事项均在完成时限内推进，没有逾期或未启动的事项。"]),
    ((LATE_OPEN,), f"纳入督办的会议议定事项1项，截至{DATE}，正在推进，已逾期（详见附件）。",
     ["1.事项RW-3。牵头单位：甲办；完成时限：2026年10月19日，已逾期12天；尚未办结。目前进展：施工中。"]),
    ((DONE, LATE_OPEN, IDLE), f"纳入督办的会议议定事项3项，截至{DATE}，已办结1项，占33.3%；推进中1项，占33.3%；"
     "未启动1项，占33.3%。其中逾期未办结1项，占33.3%（详见附件）。",
     ["1.事项RW-3。牵头单位：甲办；完成时限：2026年10月19日，已逾期12天；尚未办结。目前进展：施工中。",
      "2.事项RW-6。牵头单位：乙所；完成时限：2026年12月31日；尚未启动。"]),
])
def test_decision_sentences(cfg, tmp_path, rows, overall, lagging):
    text = decision_text(cfg, tmp_path, rows)
    assert text[text.index("一、总体情况") + 1] == overall
    assert part(text, "二、进展滞后事项", "三、") == lagging
    clerk_reads("".join(text))


# --- 简报: 存在问题 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rows, said", [
    ((DONE, OPEN), []),
    ((LATE_OPEN,), [("部分任务逾期未完成。", f"截至{DATE}，甲办1项任务逾期未完成。")]),
    ((LATE_OPEN, LATE_OPEN_2, LATE_IDLE, IDLE),
     [("部分任务逾期未完成。", f"截至{DATE}，3项任务逾期未完成，涉及甲办2项、乙所1项。"),
      ("部分任务尚未启动。", "乙所2项任务尚未启动。")]),
])
def test_jianbao_problems(rows, said):
    assert J.problems_sentences(source(*rows)) == said


def test_jianbao_highlight_without_a_place():
    rows = pd.DataFrame({"镇领导": ["洪文泽"], "调研地点": [None], "调研内容": ["人居环境整治"],
                         "调研成效": ["推动解决问题1个。"], "推动解决问题数量": [1], "调研时间": ["2026-10-09"]})
    src = Source(period="2026-10", as_of=AS_OF, visit_rows=rows)
    assert J.highlights(src) == ["洪文泽同志到挂点村调研人居环境整治，推动解决问题1个。"]


# --- the visits' pace -------------------------------------------------------------------------------

def visits(rows, assignments) -> dict:
    frame = pd.DataFrame([{"镇领导": a, "调研地点": b, "调研天数": d, "月份": m} for a, b, d, m in rows])
    return summarise_visits(frame, period="2026-10", as_of=AS_OF, assignments=assignments).to_json()


@pytest.mark.parametrize("rows, assignments, said", [
    ([("甲", "东村", 1, f"2026-{m:02d}") for m in range(1, 11)], {"甲": ["东村"]},
     "对照每位镇领导每年到每个挂点村调研不少于5次、累计不少于5天的目标，按10月序时进度每村应不少于5次、5天。"
     "镇领导挂点联系村1个，已达标。"),
    ([("甲", "东村", 1, "2026-10"), ("乙", "东村", 1, "2026-10")], {"甲": ["东村", "西村"], "乙": ["东村"]},
     "对照每位镇领导每年到每个挂点村调研不少于5次、累计不少于5天的目标，按10月序时进度每村应不少于5次、5天。"
     "镇领导挂点联系村2个（3个挂点关系），按挂点关系计，滞后2个、未开展1个。"),
    ([("乙", "东村", 1, "2026-10")], {"甲": ["东村", "西村"], "乙": ["东村"]},
     "对照每位镇领导每年到每个挂点村调研不少于5次、累计不少于5天的目标，按10月序时进度每村应不少于5次、5天。"
     "镇领导挂点联系村2个（3个挂点关系），按挂点关系计，滞后1个、未开展2个。"),
])
def test_visits_pace_sentence(rows, assignments, said):
    text = F.visits_sentences(visits(rows, assignments))
    assert text[1] == said
    clerk_reads("".join(text))


@pytest.mark.parametrize("counts, measure, said", [
    ({"达标": 1}, "个", "已达标"),
    ({"未开展": 1}, "个", "尚未开展"),
    ({"滞后": 3, "未开展": 0}, "名", "均进度滞后"),
    ({"达标": 3, "序时推进": 0, "滞后": 1, "未开展": 2}, "名", "中，达标3名、滞后1名、未开展2名"),
])
def test_tally_text(counts, measure, said):
    assert F.tally_text(counts, sum(counts.values()), measure, "中，") == said


# --- 年度考评通报 -----------------------------------------------------------------------------------

def evaluation(rows) -> dict:
    t = summarise_tasks(None, None, ledger(*rows), as_of=date(2026, 12, 31))
    return summarise_evaluation(period="2026", as_of=date(2026, 12, 31), visits=None, tasks=t, scores=None).to_json()


@pytest.mark.parametrize("rows, said", [
    ((), "本年度台账中没有牵头任务。"),
    ((DONE,), "1个牵头单位牵头1项任务，按时完成。"),
    ((DONE, ("RW-8", "乙所", "2026-06-30", "已完成", "2026-06-01", None)), "2个牵头单位共牵头2项任务，均按时完成。"),
    ((DONE, DONE_LATE, OPEN), "2个牵头单位共牵头3项任务，其中按时完成1项，超期完成1项，未到期在办1项。"),
    ((LATE_OPEN, LATE_OPEN_2), "1个牵头单位共牵头2项任务，均逾期未完成。"),
])
def test_annual_tasks_sentence(rows, said):
    e = evaluation(rows) if rows else {"totals": {"tasks": 0}}
    assert A.tasks_sentence(e) == said


def test_annual_villages_sentence_ties_and_none():
    assert A.villages_sentence({"villages": []}) == "本年度没有典型村评价记录。"
    tie = {"villages": [{"village": "甲村", "rank": 1, "total": 7.0, "veto": False},
                        {"village": "乙村", "rank": 1, "total": 7.0, "veto": False},
                        {"village": "丙村", "rank": 3, "total": 6.5, "veto": False}]}
    assert A.villages_sentence(tie) == "参加评价的典型村3个，甲村、乙村并列第一（7分）。"


@pytest.mark.parametrize("rows, said", [
    ((DONE,), "各牵头单位均没有逾期未完成的任务"),
    ((DONE, LATE_OPEN), "甲办1项逾期未完成"),
    ((LATE_OPEN, LATE_OPEN_2, LATE_IDLE), "甲办2项、乙所1项逾期未完成"),
])
def test_annual_units_part(cfg, tmp_path, rows, said):
    e = evaluation(rows)
    text = lines(A.annual(cfg, e, number=1, day=date(2027, 1, 5)), tmp_path / "a.docx")
    assert part(text, "二、各单位任务落实情况", "三、") == [
        f"整改完成率按各单位自身承担的事项计算。截至2026年12月31日，{said}（详见附件2）。"]
    clerk_reads("".join(text))


def test_annual_leaders_sentence_without_visits():
    e = summarise_evaluation(period="2026", as_of=date(2026, 12, 31), visits=None,
                             tasks=summarise_tasks(None, None, ledger(DONE), as_of=date(2026, 12, 31)),
                             scores=None).to_json()
    assert A.leaders_sentence(e) == "对照每个挂点村每年调研不少于5次、累计不少于5天的目标，本年度没有挂点调研记录。"


REPLY = "于2026年11月13日前将推进情况书面报送平安镇“百千万工程”指挥部办公室。"
KEEP_REPORTING = ("按时报送台账。各单位、各挂点镇领导要按时报送挂点调研台账和问题整改台账，确保数据真实准确。"
                  "我办将继续按月调度、通报推进情况。")


@pytest.mark.parametrize("rows, asked", [
    ((), []),  # no tasks: nothing to push
    ((DONE,), []),  # all done
    ((OPEN,), ["1.持续推进在办事项。各牵头单位要对照完成时限倒排工期、按期办结，临近到期的事项要抓紧推进，并按月如实更新台账。"]),
    ((IDLE, OPEN), ["1.抓紧启动滞后事项。各牵头单位要对尚未启动的事项逐项分析原因，明确整改措施、责任人和完成时限，" + REPLY]),
    ((LATE_OPEN,), ["1.加快推进逾期事项。各牵头单位要对逾期未完成的事项逐项分析原因，明确整改措施、责任人和完成时限，" + REPLY]),
    ((LATE_OPEN, IDLE), ["1.加快推进逾期事项。各牵头单位要对逾期未完成和尚未启动的事项逐项分析原因，明确整改措施、责任人和完成时限，"
                         + REPLY]),
])
def test_progress_requirements_ask_for_what_there_is(cfg, tmp_path, rows, asked):
    """The 下步工作要求 on tasks names only what the period has; with no task at all there is no empty annex."""
    src = source(*rows) if rows else source(DONE)
    if not rows:  # a period without any task in the lists
        frame = ledger(DONE).iloc[0:0]
        summary = summarise_tasks(None, None, frame, as_of=AS_OF)
        src = Source(period="2026-10", as_of=AS_OF, tasks=summary.to_json(),
                     task_rows=task_rows(summary, {"tasks": frame}))
    text = lines(T.progress(cfg, src, number=1, day=DAY), tmp_path / "p.docx")
    said = part(text, "三、下步工作要求", "平安镇“百千万工程”指挥部办公室")
    said = said[:next((i for i, x in enumerate(said) if x.startswith("附件：")), len(said))]  # the annex list after
    assert said == asked + [f"{len(asked) + 1}.{KEEP_REPORTING}"]
    assert any(x.startswith("附件：") and "问题整改及重点任务推进情况表" in x for x in text) == bool(rows)
    clerk_reads("".join(text))

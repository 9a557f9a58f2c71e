"""会议议定事项落实情况通报 from the decisions ledger (会议议定事项台账, 004 第10、11条): items grouped by
meeting (会议名称、会议时间), the 落实计划 reported late or not at all named with their days, overdue
items named with their days. Used when the archive holds a decisions ledger; otherwise the 通报 is
written from the three-list form's tasks whose 任务来源 is 会议议定 (`decisions` below). Both kinds share
the title and the opening (decision_opening).

Every number is one of the decisions Summary's JSON (bqw.summary.decisions); the items are the rows it
counted (its “议定事项明细” table).
"""

from __future__ import annotations

from datetime import date

from bqw.documents.common import WE, clause, cn_date, md, pct, row_deadline, row_state, text_of, tongbao_settings
from bqw.documents.figures import shares
from bqw.documents.gongwen import Table, Writer
from bqw.documents.tongbao import DONE, Outline, _cn_deadline, _finish, _reply_date, _start, cn_index



def meeting_name(name: str, day: date | str | None) -> str:
    """百千万工程指挥部第5次会议（9月18日）; the year is the document's."""
    return f"{name}（{md(day)}）" if day else name


def states(x: dict, noun: str = "") -> str:
    """“已办结1项、正在推进2项、尚未启动1项” — the states present, said right for one item or all."""
    n = x["items"]
    parts = [(w, c) for w, c in (("已办结", x["completed"]), ("正在推进", x["in_progress"]),
                                 ("尚未启动", x["not_started"])) if c]
    if len(parts) == 1 and parts[0][1] == n:
        return f"{'均' if n > 1 else ''}{parts[0][0]}"
    return "、".join(f"{w}{c}项" for w, c in parts)


def meeting_sentence(m: dict) -> str:
    """One meeting's line: “议定事项4项，已办结1项、正在推进2项、尚未启动1项；其中逾期1项，最长逾期11天。”"""
    text = f"议定事项{m['items']}项，{states(m)}"
    tails = []
    if m["overdue"]:
        tails.append(f"逾期未办结{m['overdue']}项" + (f"，最长逾期{m['max_overdue_days']}天" if m["overdue"] > 1
                                                      else f"，已逾期{m['max_overdue_days']}天"))
    plans = m["plans_late"] + m["plans_missing"]
    if plans:
        tails.append(f"落实计划未按时报送{plans}项")
    return text + ("；其中" + "；".join(tails) if tails else "") + "。"


def _who(x: dict) -> str:
    """规划建设办“推进……改造”（9月18日百千万工程指挥部第5次会议议定）."""
    held = f"{md(x['meeting_date'])}" if x["meeting_date"] else ""
    return f"{x['unit']}“{x['item'].rstrip('。；;，,.')}”（{held}{x['meeting']}议定）"


def days_words(n: int) -> str:
    """两日 (会后两日内): the seed's words for the plan's days."""
    return ("两" if n == 2 else cn_index(n)) + "日"


def overall_sentence(d: dict) -> str:
    """“截至2026年10月31日，3次会议议定事项共10项，已办结2项、正在推进6项、尚未启动2项，办结率20%（详见附件）。”"""
    x = d["totals"]
    if not x["items"]:
        return f"截至{cn_date(d['as_of'])}，台账中没有会议议定事项。"
    return (f"截至{cn_date(d['as_of'])}，{x['meetings']}次会议议定事项共{x['items']}项，{states(x)}，"
            f"办结率{pct(x['completed'], x['items'])}（详见附件）。")


def plans_sentence(d: dict) -> str:
    """The items whose 落实计划 came late or has not come, each named with its days."""
    late, missing = d["plans_late"], d["plans_missing"]
    n = len(late) + len(missing)
    parts = [f"{_who(x)}晚报{x['days_late']}天" for x in late]
    parts += [f"{_who(x)}至今未报送，已超过报送期限{x['days_past_due']}天" for x in missing]
    return (f"按照会议议定事项须在会后{days_words(d['plan_days'])}内报送落实计划的要求，{n}项事项的落实计划未按时报送：" +
            "；".join(parts) + "。")


def overdue_sentence(d: dict) -> str:
    items = d["overdue"]
    parts = [f"{_who(x)}，完成时限为{cn_date(x['deadline'])}，已逾期{x['days_overdue']}天" for x in items]
    head = f"{len(items)}项事项超过完成时限仍未办结："
    return head + "；".join(parts) + "。"


def not_started_sentence(rows: list[dict]) -> str:
    parts = [f"{text_of(r.get('责任单位'))}“{text_of(r.get('议定事项')).rstrip('。；;，,.')}”" for r in rows]
    return f"{len(rows)}项事项尚未启动：" + "、".join(parts) + "。"




def items_table(rows: list[dict]) -> Table:
    from bqw.ledgers.decisions import PLAN_STATE

    def meeting(r):
        day = r.get("会议时间")
        return meeting_name(text_of(r.get("会议名称")), day.date() if hasattr(day, "date") and day == day else None)

    return Table(["序号", "会议", "议定事项", "责任单位", "完成时限", "落实计划报送", "进展情况", "办理状态"],
                 [[i, meeting(r), text_of(r.get("议定事项")), text_of(r.get("责任单位")), row_deadline(r),
                   text_of(r.get(PLAN_STATE)), text_of(r.get("进展情况")), row_state(r)]
                  for i, r in enumerate(rows, 1)],
                 [9, 24, 34, 18, 18, 17, 22, 14], "cllcccl" "c")


def build(cfg, src, *, number: int, day: date, template=None) -> Writer:
    """会议议定事项落实情况通报: 一、总体情况（按会议） 二、存在问题 三、工作要求; 附件 the items by meeting."""
    d = src.meetings
    if d is None:
        raise ValueError("no decisions ledger")
    s = tongbao_settings(cfg)
    x = d["totals"]
    rows = src.records("meeting_rows")
    w, o = decision_opening(cfg, src, number=number, template=template, scope="各次会议议定事项的落实情况",
                            as_of=d["as_of"])
    w.body(overall_sentence(d))
    for m in d["meetings"]:
        o.h2(f"{meeting_name(m['meeting'], m['date'])}。", meeting_sentence(m))

    o.h1("存在问题")
    issues = 0
    if d["plans_late"] or d["plans_missing"]:
        o.h2("落实计划报送不及时。", plans_sentence(d))
        issues += 1
    if d["overdue"]:
        o.h2("部分事项逾期未办结。", overdue_sentence(d))
        issues += 1
    not_started = [r for r in rows if text_of(r.get("完成状态")) == "未启动" and text_of(r.get("是否逾期")) != "是"]
    if not_started:
        o.h2("部分事项尚未启动。", not_started_sentence(not_started))
        issues += 1
    if not issues:
        w.body("各项议定事项均按时报送了落实计划，没有逾期或尚未启动的事项。")

    o.h1("工作要求")
    reply = cn_date(_reply_date(cfg, day))
    o.h3("加快推进落实。", "各责任单位要切实履行责任，对照完成时限倒排工期、挂图作战"
         + (f"；逾期事项要于{reply}前办结，或书面说明原因及下步措施。" if x["overdue"] else "，确保按期办结。"))
    o.h3("按时报送落实计划。", f"各责任单位要在会后{days_words(d['plan_days'])}内将会议落实计划经分管领导审核签字后，"
         "报召集会议的领导，明确责任人、工作措施和时间节点" + (f"；尚未报送的，须于{reply}前补报。" if x["plans_missing"] else "。"))
    o.h3("实行销号管理。", f"议定事项办结后，责任单位要及时报送办结情况和佐证材料，经{WE}核实后销号；未办结的事项持续跟踪督办，"
         "直至办结。")
    _finish(cfg, w, day, [("会议议定事项落实情况表", items_table(rows))])
    return w


# --- the title and opening of both kinds; the kind from the 会议议定 tasks ------------------------------

def decision_title(cfg, src) -> str:
    return f"关于{cfg.town}“百千万工程”会议议定事项落实情况的通报"


def decision_opening(cfg, src, *, number: int, template, scope: str, as_of: str) -> tuple[Writer, "Outline"]:
    """The 议定事项通报's head and opening up to “一、总体情况” (both of its kinds: from the 会议议定 tasks here,
    from the decisions ledger in meetings.py); `scope`: what was followed up."""
    w = _start(cfg, number, template, decision_title(cfg, src), tongbao_settings(cfg).to)
    w.body(f"为推动“百千万工程”会议议定事项落地落实，{WE}对{scope}进行了跟踪督办（数据截至{cn_date(as_of)}）。"
           "现将有关情况通报如下：")
    o = Outline(w)
    o.h1("总体情况")
    return w, o


def decisions(cfg, src, *, number: int, day: date, template=None) -> Writer:
    """会议议定事项落实情况通报: 一、总体情况 二、进展滞后事项 三、工作要求; 附件 the item table."""
    d = src.decisions
    if d is None:
        raise ValueError("no decisions")
    s = tongbao_settings(cfg)
    x = d["totals"]
    rows = src.records("decision_rows")
    w, o = decision_opening(cfg, src, number=number, template=template, scope="会议议定事项落实情况",
                            as_of=d["as_of"])
    n = x["tasks"]
    text = shares(x, {"completed": "已办结", "done": "办结"})
    w.body(f"纳入督办的会议议定事项{n}项，截至{cn_date(d['as_of'])}，{text[:-1]}（详见附件）。" if n
           else f"截至{cn_date(d['as_of'])}，尚无纳入督办的会议议定事项。")
    o.h1("进展滞后事项")
    lagging = [r for r in rows if text_of(r.get("完成状态")) != DONE and
               (text_of(r.get("是否逾期")) == "是" or text_of(r.get("完成状态")) == "未启动")]
    days = {o_["task_id"]: o_["days_overdue"] for o_ in d["overdue"]}
    if lagging:
        for i, r in enumerate(lagging, 1):
            tid = text_of(r.get("任务编号"))
            late = f"，已逾期{days[tid]}天" if tid in days else ""
            state = "尚未启动" if text_of(r.get("完成状态")) == "未启动" else "尚未办结"
            w.heading(3, f"{i}.{text_of(r.get('任务内容')).rstrip('。；;，,.')}。",
                      f"牵头单位：{text_of(r.get('牵头单位'))}；完成时限：{_cn_deadline(r)}"
                      f"{late}；{state}。" + (f"目前进展：{clause(r.get('进展情况'))}。" if clause(r.get("进展情况"))
                                                                              else ""))
    else:
        w.body("会议议定事项均已办结，没有逾期或未启动的事项。" if n and x["completed"] == n else
               "各项会议议定事项均在完成时限内推进，没有逾期或未启动的事项。" if n else "没有逾期或未启动的会议议定事项。")
    o.h1("工作要求")
    reply = cn_date(_reply_date(cfg, day))
    o.h3("加快推进落实。", "各牵头单位要切实履行牵头责任，对照完成时限倒排工期、挂图作战，配合单位要主动对接、形成合力"
         + (f"；逾期事项要于{reply}前办结，或书面说明原因及下步措施。" if x["overdue"] else "。"))
    o.h3("实行销号管理。", f"议定事项办结后，牵头单位要及时报送办结情况和佐证材料，经{WE}核实后销号；未办结的事项持续跟踪督办，"
         "直至办结。")
    o.h3("按时报送进展。", f"各牵头单位要按月更新落实台账，如实反映进展情况。{WE}将按月通报会议议定事项落实情况。")
    table = Table(["序号", "议定事项", "牵头单位", "配合单位", "完成时限", "落实情况", "办理状态"],
                  [[i, text_of(r.get("任务内容")), text_of(r.get("牵头单位")), text_of(r.get("配合单位")),
                    row_deadline(r), text_of(r.get("进展情况")), row_state(r)]
                   for i, r in enumerate(rows, 1)],
                  [11, 36, 24, 24, 22, 23, 16], "clcccl" "c")
    _finish(cfg, w, day, [("会议议定事项落实情况表", table)])
    return w

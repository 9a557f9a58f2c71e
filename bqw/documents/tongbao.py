"""The three 通报 (docs/documents.md): 月度进展通报, “一对一”问题通报, 会议议定事项落实情况通报.

Each builder takes the workspace Config, a Source (the summaries' JSON and their task rows) and
the document's number and date, and returns a gongwen.Writer ready to save. Every number in the
text and tables is a number of a Summary's JSON or of the rows that Summary counted; percentages
are formed from those numbers the way the summary forms its rates. The sentences the 简报 shares
(visits, tasks, lagging units and leaders) are in bqw.documents.figures.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from bqw.documents.common import (WE, clause, cn_date, int_of, is_unnamed, md, pct, row_deadline, row_state, table_date,
                                  text_of, tongbao_settings)
from bqw.documents.figures import (behind_leaders, completion, late_days, leader_text, max_days, overdue_sentence,
                                   shares, tasks_sentences, units_text, visits_sentences)
from bqw.documents.gongwen import THIN, RecordLine, Table, Writer
from bqw.documents.source import this_period
from bqw.documents.lateness import (REPORTING_ANNEX, escalation_sentence, lagging_not_started, reporting_sentences,
                                    reporting_table, waiting_sentence)
from bqw.ledgers.rectification import STANDING_COLUMN, STANDING_DEADLINE

PROGRESS, PROBLEM, DECISION = "进展", "问题", "议定"
TYPES = (PROGRESS, PROBLEM, DECISION)
CN_NUM = "一二三四五六七八九十"
DONE = "已完成"


def doc_number(cfg, n: int) -> str:
    """发文字号: 平安百千万办〔2026〕3号."""
    return f"{cfg.doc_prefix}〔{cfg.year}〕{n}号"


def cn_index(i: int) -> str:
    """1 → 一, 12 → 十二 (heading numbers)."""
    if i <= 10:
        return CN_NUM[i - 1]
    if i < 20:
        return "十" + (CN_NUM[i - 11] if i > 10 else "")
    return str(i)


class Outline:
    """Numbers the headings as they are written: 一、（一）1.  — and skips empty parts."""

    def __init__(self, w: Writer):
        self.w, self.n1, self.n2, self.n3 = w, 0, 0, 0

    def h1(self, text: str) -> None:
        self.n1 += 1
        self.n2 = self.n3 = 0
        self.w.heading(1, f"{cn_index(self.n1)}、{text}")

    def h2(self, head: str, body: str = "") -> None:
        self.n2 += 1
        self.n3 = 0
        self.w.heading(2, f"（{cn_index(self.n2)}）{head}", body)

    def h3(self, head: str, body: str = "") -> None:
        self.n3 += 1
        self.w.heading(3, f"{self.n3}.{head}", body)


def _start(cfg, number: int, template, title: str, to: list[str]) -> Writer:
    s = tongbao_settings(cfg)
    w = Writer("tongbao", template)
    w.fill_head({"发文机关": s.issuer, "发文字号": doc_number(cfg, number)})
    w.blank(2)
    w.title(title)
    w.blank()
    w.addressee(to)
    return w


def _finish(cfg, w: Writer, day: date, annexes: list[tuple[str, Table]]) -> None:
    """附件说明, signature, 附注, the attachment pages and the 版记."""
    s = tongbao_settings(cfg)
    if annexes:
        w.blank()
        w.annex_note([title for title, _ in annexes])  # keeps with the signature below
    w.signature(s.signature, cn_date(day))
    if s.contact:
        w.remark(s.contact)
    for i, (title, table) in enumerate(annexes, 1):
        w.annex("附件" if len(annexes) == 1 else f"附件{i}", title, table)
    rows: list[RecordLine | str] = []
    if s.cc:
        rows += [RecordLine(f"抄送：{'，'.join(s.cc)}。"), THIN]
    rows.append(RecordLine(s.printer, f"{cn_date(day)}印发"))
    w.record(rows)


def _behind_text(behind: list, posts: dict | None, unnamed: list[str], annex: str) -> str:
    """The lagging leaders, named unless a roster post of theirs is one bqw.toml's [tongbao] unnamed_posts
    keeps out of a text sent down (they stay in the annex's table); without a roster all are named."""
    named = [(n, c) for n, c in behind if posts is None or not is_unnamed(posts.get(n, []), unnamed)]
    head = f"对照序时进度，{len(behind)}名镇领导有挂点村调研滞后或尚未开展"
    if not named:
        return f"{head}，其进度见{annex}。"
    text = head + "：" + "、".join(leader_text(name, c) for name, c in named)
    rest = len(behind) - len(named)
    return text + (f"；其余{rest}名镇领导的进度见{annex}。" if rest else "。")


def _task_requirement(o, x: dict, reply: str) -> None:
    """The 下步工作要求 on tasks, for what there is: overdue and not-started items are to be explained by the
    reply date; items only in progress are to be kept on schedule; none open: nothing to ask."""
    late, idle = x.get("overdue"), x.get("not_started")
    if late or idle:
        which = "逾期未完成和尚未启动" if late and idle else "逾期未完成" if late else "尚未启动"
        o.h3("加快推进逾期事项。" if late else "抓紧启动滞后事项。",
             f"各牵头单位要对{which}的事项逐项分析原因，明确整改措施、责任人和完成时限，{reply}")
    elif x.get("in_progress"):
        o.h3("持续推进在办事项。", "各牵头单位要对照完成时限倒排工期、按期办结，临近到期的事项要抓紧推进，并按月如实更新台账。")


def _reply_date(cfg, day: date) -> date:
    return day + timedelta(days=tongbao_settings(cfg).reply_days)


# --- rows ------------------------------------------------------------------------------------------



def _cn_deadline(r: dict) -> str:
    """A row's 完成时限 in a sentence: 2026年10月15日, “长期” or 未注明."""
    if text_of(r.get(STANDING_COLUMN)) == "是":
        return STANDING_DEADLINE
    return _cn_day(r.get("完成时限"))


def _cn_day(value) -> str:
    day = table_date(value)
    if not day:
        return "未注明"
    y, m, d = (int(x) for x in day.split("."))
    return f"{y}年{m}月{d}日"


def _progress(r: dict) -> str:
    return text_of(r.get("进展情况")) or text_of(r.get("完成状态"))


def _overdue_days(r: dict) -> str:
    n = int_of(r.get("逾期天数"))
    return str(n) if n and text_of(r.get("是否逾期")) == "是" else ""


def tasks_table(rows: list[dict]) -> Table:
    return Table(["序号", "任务编号", "任务内容", "牵头单位", "完成时限", "完成状态", "逾期天数"],
                 [[i, text_of(r.get("任务编号")), text_of(r.get("任务内容")), text_of(r.get("牵头单位")),
                   row_deadline(r), text_of(r.get("完成状态")), _overdue_days(r)]
                  for i, r in enumerate(rows, 1)],
                 [11, 28, 33, 24, 22, 19, 19], "cclcccc")


def overdue_table(overdue: list[dict], rows: list[dict]) -> Table:
    """From the summary's overdue list (its order and its days), with the rows' 进展情况."""
    progress = {text_of(r.get("任务编号")): _progress(r) for r in rows}
    return Table(["序号", "任务编号", "任务内容", "牵头单位", "完成时限", "逾期天数", "目前进展"],
                 [[i, x["task_id"], x["content"], x["unit"], table_date(x["deadline"]), x["days_overdue"],
                   progress.get(x["task_id"], x.get("status") or "")] for i, x in enumerate(overdue, 1)],
                 [11, 28, 31, 24, 22, 14, 26], "cclcccl")


def visits_table(v: dict) -> Table:
    rows = []
    for leader in v["leaders"]:
        for x in leader["villages"]:
            rows.append([len(rows) + 1, leader["leader"], x["village"], x["visits"], x["days"],
                         x.get("problems_solved", ""), x["ytd_visits"], x["ytd_days"], x["status"]])
    t = v["totals"]
    rows.append(["", "合计", "", t["visits"], t["days"], t["problems_solved"], t.get("ytd_visits", ""),
                 t.get("ytd_days", ""), ""])
    this = this_period(v["period"]) if v.get("period") else "本月"
    return Table(["序号", "镇领导", "村（社区）", f"{this}调研次数", f"{this}调研天数", f"{this}推动解决问题数",
                  "本年累计调研次数", "本年累计调研天数", "进度状态"], rows,
                 [11, 17, 24, 16, 16, 17, 16, 16, 23], "ccccccccc")


# --- 月度进展通报 ------------------------------------------------------------------------------------

def progress_title(cfg, src) -> str:
    return f"关于{cfg.town}{src.label}“百千万工程”推进情况的通报"


def progress(cfg, src, *, number: int, day: date, template=None) -> Writer:
    """关于……“百千万工程”推进情况的通报: 一、总体情况 二、存在问题 三、下步工作要求; 附件 tables."""
    if src.visits is None and src.tasks is None:
        raise ValueError("no data")
    s = tongbao_settings(cfg)
    v, t = src.visits, src.tasks
    w = _start(cfg, number, template, progress_title(cfg, src), s.to)
    scope = "、".join(x for x, ok in (("镇领导挂点联系村调研", v), ("问题整改及重点任务", t)) if ok)
    w.body(f"为推动“百千万工程”各项工作落地见效，{WE}对{src.label}{scope}推进情况进行了调度"
           f"（数据截至{cn_date(src.as_of)}）。现将有关情况通报如下：")

    annexes: list[tuple[str, Table]] = []
    if v is not None:
        annexes.append((f"{src.label}镇领导挂点调研推进情况表", visits_table(v)))
    rows = src.records("task_rows")
    if t is not None and rows:  # no tasks: “尚无纳入调度的…” and no empty table
        annexes.append(("问题整改及重点任务推进情况表", tasks_table(rows)))
        if t["overdue"]:
            annexes.append(("逾期未完成事项清单", overdue_table(t["overdue"], rows)))
    if src.reporting is not None and reporting_sentences(src.reporting):
        annexes.append((REPORTING_ANNEX, reporting_table(src.reporting)))
    refs = {title: i for i, (title, _) in enumerate(annexes, 1)}

    def see(text: str, title: str) -> str:
        """The text with “（详见附件N）” before its final full stop."""
        if title not in refs:
            return text
        ref = "（详见附件）" if len(annexes) == 1 else f"（详见附件{refs[title]}）"
        return text[:-1] + ref + "。" if text.endswith("。") else text + ref

    o = Outline(w)
    o.h1("总体情况")
    if v is not None:
        o.h2("挂点调研情况。", see("".join(visits_sentences(v)), annexes[0][0]))
    if t is not None:
        o.h2("问题整改和重点任务推进情况。", see("".join(tasks_sentences(t, t["as_of"])), "问题整改及重点任务推进情况表"))

    o.h1("存在问题")
    problems = 0
    if t is not None and t["totals"]["overdue"]:
        o.h2("部分任务逾期未完成。", see(overdue_sentence(t), "逾期未完成事项清单"))
        problems += 1
    idle = lagging_not_started(t)
    if idle:
        o.h2("部分任务尚未启动。", units_text(sum(idle.values()), idle, "尚未启动"))
        problems += 1
    if t is not None and [x for x in t.get("due_soon") or [] if not x.get("waiting")]:
        items = [x for x in t["due_soon"] if not x.get("waiting")]
        o.h2("部分任务临近完成时限。", f"{len(items)}项任务临近完成时限：" + "、".join(
            f"{x['unit']}“{clause(x['content'])}”（{md(x['deadline'])}到期）" for x in items) + "，须抓紧推进。")
        problems += 1
    if v is not None:
        behind = behind_leaders(v)
        if behind:
            o.h2("部分挂点调研进度滞后。", _behind_text(behind, src.posts, s.unnamed_posts,
                                                 "附件" if len(annexes) == 1 else "附件1"))
            problems += 1
    problems += _reporting_problem(o, src, v, see)
    if not problems:
        w.body("本期未发现逾期未完成、未启动和调研进度滞后的情况。")

    o.h1("下步工作要求")
    reply = cn_date(_reply_date(cfg, day))
    if t is not None:
        _task_requirement(o, t["totals"], f"于{reply}前将推进情况书面报送{s.issuer}。")
    if v is not None:
        tg = v["targets"]
        o.h3("压实挂点调研责任。", f"各挂点镇领导要对照年度目标和序时进度合理安排调研，确保年内"
             + ("" if v.get("target_unit") == "leader" else "到每个挂点村") + "调研不少于"
             f"{tg['visits']}次、累计不少于{tg['days']}天，推动解决实际问题，并如实填报调研台账。")
    o.h3("按时报送台账。", f"各单位、各挂点镇领导要按时报送挂点调研台账和问题整改台账，确保数据真实准确。{WE}将继续按月调度、"
         "通报推进情况。")
    _finish(cfg, w, day, annexes)
    return w


def _reporting_problem(o: Outline, src, v: dict | None, see) -> int:
    """台账报送不及时: late and missing reports against their deadlines (the reporting summary), or,
    without it, who has not reported; 1 when said, else 0."""
    if src.reporting is not None:
        text = reporting_sentences(src.reporting)
    elif v is not None and v.get("not_submitted"):
        text = f"{'、'.join(v['not_submitted'])}未按时报送{src.ledgers_of}挂点调研台账。"
    else:
        text = ""
    if text:
        o.h2("台账报送不及时。", see(text, REPORTING_ANNEX))
    return 1 if text else 0


# --- “一对一”问题通报 ---------------------------------------------------------------------------------

def unit_row(t: dict, unit: str) -> tuple[dict, str] | None:
    """The summary row of a unit: as 牵头单位 (units) first, else as 责任单位 (responsible_units)."""
    for key, basis in (("units", "牵头"), ("responsible_units", "责任")):
        for u in t.get(key) or []:
            if u["unit"] == unit:
                return u, basis
    return None


def problem_units(t: dict | None, only_overdue: bool = False, at_risk: bool = False) -> list[str]:
    """牵头单位 with unfinished (or, with only_overdue, overdue; with at_risk, overdue or due soon, a task
    waiting for other work not counted) items, most overdue first."""
    if not t:
        return []
    soon = {x["unit"] for x in t.get("due_soon") or [] if not x.get("waiting")}
    units = [u for u in t["units"] if (u["overdue"] or u["unit"] in soon if at_risk else u["overdue"] if only_overdue
                                       else u["completed"] < u["tasks"] or u["overdue"])]
    units.sort(key=lambda u: (-u["overdue"], -max_days(t, u), -(u["tasks"] - u["completed"])))
    return [u["unit"] for u in units]


def problem_title(cfg, src, unit: str) -> str:
    t = src.tasks or {}
    found = unit_row(t, unit)
    overdue = found is not None and found[0]["overdue"]
    return f"关于{unit}“百千万工程”{'逾期' if overdue else ''}未办结事项的通报"


def _unit_tasks(src, unit: str, basis: str) -> list[dict]:
    rows = src.records("task_rows")
    if basis == "牵头":
        return [r for r in rows if text_of(r.get("牵头单位")) == unit]
    return [r for r in rows if unit in text_of(r.get("责任单位")).split("、")]


def _see_annex(text: str) -> str:
    """“……（推进中1项、未启动2项，详见附件）”, not two brackets in a row “（…）（详见附件）”."""
    return text[:-1] + "，详见附件）" if text.endswith("）") else text + "（详见附件）"


def _ids(rows: list[dict]) -> str:
    """“RW-1事项” or “RW-1、RW-3共2项事项”: the list is complete, so no “等”."""
    ids = "、".join(text_of(r.get("任务编号")) for r in rows)
    return f"{ids}共{len(rows)}项事项" if len(rows) > 1 else f"{ids}事项"


def unit_standing(t: dict, u: dict, duty: str) -> str:
    """一、基本情况: the unit's items by state, its 办结率 against the town's, its overdue items — said right
    when none is done (“均未办结”, not “已办结0项……办结率0%”), for one item and for many."""
    x, n, done = t["totals"], u["tasks"], u["completed"]
    left = [(word, c) for word, c in (("推进中", u["in_progress"]), ("未启动", u["not_started"])) if c]
    if done == n:
        states = "均已办结" if n > 1 else "已办结"
    elif not done and len(left) == 1:
        states = ({"推进中": "均在推进中", "未启动": "均未启动"} if n > 1 else
                  {"推进中": "正在推进", "未启动": "尚未启动"})[left[0][0]]
    else:
        states = ("均未办结" if not done else f"已办结{done}项") + "".join(f"，{word}{c}项" for word, c in left)
    town = (f"全镇{x['tasks']}项，已办结{x['completed']}项，办结率{completion(x)}" if x["completed"] else
            f"全镇{x['tasks']}项事项{'均' if x['tasks'] > 1 else '尚'}未办结")
    if done:
        mine, avg = Fraction(done, n), Fraction(x["completed"], x["tasks"])
        compare = "高于全镇平均水平" if mine > avg else "低于全镇平均水平" if mine < avg else "与全镇平均水平持平"
        rate = f"办结率{pct(done, n)}，{compare}（{town}）"
    else:
        rate = f"办结率低于全镇平均水平（{town}）" if x["completed"] else town
    if not u["overdue"]:
        late = "目前没有逾期事项。"
    elif u["overdue"] == 1:
        late = f"逾期未办结1项，已逾期{max_days(t, u)}天。"
    else:
        late = f"逾期未办结{u['overdue']}项，逾期天数合计{u['overdue_days']}天，最长逾期{max_days(t, u)}天。"
    return (f"你单位{duty}的事项共{n}项，{states}；{rate}。{late}"
            + (f"另有{u['completed_late']}项超过完成时限后才办结。" if u["completed_late"] else ""))


def open_items(duty: str, in_progress: int, not_started: int, overdue: int) -> str:
    """“你单位牵头负责的事项中，尚有3项未办结（推进中1项、未启动2项），其中逾期1项” — said right for 0, 1
    and many items of each state."""
    n = in_progress + not_started
    if n == 0:
        return f"你单位{duty}的事项均已办结"
    if in_progress and not_started:
        states = f"（推进中{in_progress}项、未启动{not_started}项）"
    elif not_started:
        states = "（均未启动）" if n > 1 else "（尚未启动）"
    else:
        states = "（均在推进中）" if n > 1 else "（正在推进）"
    if not overdue:
        late = ""
    elif overdue >= n:
        late = "，均已逾期" if n > 1 else "，已逾期"
    else:
        late = f"，其中逾期{overdue}项"
    return f"你单位{duty}的事项中，尚有{n}项未办结{states}{late}"


def problem(cfg, src, unit: str, *, number: int, day: date, template=None) -> Writer:
    """关于{unit}“百千万工程”（逾期）未办结事项的通报: 一、基本情况 二、存在问题 三、整改要求; 附件 item list."""
    t = src.tasks
    found = unit_row(t or {}, unit)
    if found is None:
        raise KeyError(unit)
    u, basis = found
    s = tongbao_settings(cfg)
    w = _start(cfg, number, template, problem_title(cfg, src, unit), [unit])
    rows = _unit_tasks(src, unit, basis)
    open_rows = [r for r in rows if text_of(r.get("完成状态")) != DONE]
    ids = {text_of(r.get("任务编号")) for r in rows}
    overdue = [o for o in t["overdue"] if o["task_id"] in ids]
    duty = "牵头负责" if basis == "牵头" else "负有整改责任"
    w.body(f"根据“百千万工程”问题整改及重点任务台账，截至{cn_date(t['as_of'])}，"
           f"{_see_annex(open_items(duty, u['in_progress'], u['not_started'], u['overdue']))}。现将有关情况通报如下：")

    o = Outline(w)
    o.h1("基本情况")
    w.body(unit_standing(t, u, duty))
    if overdue:
        w.body("逾期未办结的事项为：" + "；".join(
            f"{o_['task_id']}“{clause(o_['content'])}”（完成时限{cn_date(o_['deadline'])}，已逾期{o_['days_overdue']}天）"
            for o_ in overdue) + "。")

    o.h1("存在问题")
    issues = 0
    if overdue:
        o.h2("推进不及时。", f"{u['overdue']}项事项超过完成时限仍未办结，{late_days(u['overdue'], max_days(t, u))}，"
             "整改进度明显滞后。" + escalation_sentence(overdue))
        issues += 1
    waiting = {x["task_id"] for x in t.get("waiting") or []}  # waits for other work, not yet due: not criticised
    criticised = [r for r in open_rows if text_of(r.get("任务编号")) not in waiting]
    not_started = [r for r in criticised if text_of(r.get("完成状态")) == "未启动"]
    if not_started:
        o.h2("部分事项尚未启动。", _ids(not_started) + "至今未启动，工作推进不够主动。")
        issues += 1
    silent = [r for r in criticised if not text_of(r.get("进展情况"))]
    if silent:
        o.h2("进展反馈不及时。", _ids(silent) + "尚未办结，未填写进展情况，台账更新不及时。")
        issues += 1
    soon = [d for d in t.get("due_soon") or [] if d["task_id"] in ids and not d.get("waiting")]
    if soon:
        o.h2("部分事项临近完成时限。", "、".join(f"{d['task_id']}（{md(d['deadline'])}到期）" for d in soon) + "须抓紧推进，"
             "防止逾期。")
        issues += 1
    if not issues:  # nothing open at all: not “部分事项仍在推进中”
        w.body("部分事项仍在推进中，须按完成时限抓紧落实。" if open_rows else "你单位事项均已办结，未发现逾期或未启动的情况。")
    mine_waiting = [r for r in open_rows if text_of(r.get("任务编号")) in waiting]
    if mine_waiting:
        w.body(waiting_sentence(len(mine_waiting)))

    o.h1("整改要求")
    reply = cn_date(_reply_date(cfg, day))
    o.h3("立即组织整改。", "请你单位对照附件所列事项，逐项分析原因，明确整改措施、责任人和完成时限，加快推进，确保尽快办结"
         + ("；逾期事项要作为重点优先办理。" if overdue else "。"))
    o.h3("按时反馈整改情况。", f"请于{reply}前将整改情况（含佐证材料）书面报送{s.issuer}；确实无法按期办结的，"
         "须书面说明原因及下步措施。")
    o.h3("严肃跟踪问效。", f"{WE}将对上述事项跟踪督办、办结销号。逾期仍未整改到位的，纳入“百千万工程”考核，"
         "并视情况约谈有关负责同志。")

    table = Table(["序号", "任务编号", "事项来源", "任务内容", "完成时限", "逾期天数", "目前进展"],
                  [[i, text_of(r.get("任务编号")), text_of(r.get("任务来源")), text_of(r.get("任务内容")),
                    row_deadline(r), _overdue_days(r), _progress(r)] for i, r in enumerate(open_rows, 1)],
                  [11, 28, 20, 32, 22, 14, 29], "cccl" "ccl")
    _finish(cfg, w, day, [(f"{unit}“百千万工程”未办结事项清单", table)])
    return w

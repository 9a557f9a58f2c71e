"""problems / responsibilities / tasks — 问题清单、责任清单、任务清单, linked by 问题编号.

Offices keep them as three sheets of one workbook, or as one combined 整改台账 sheet with
problem and responsibility columns merged down over their tasks; both read the same
(docs/ledgers.md, “问题整改三张清单”).
"""

from __future__ import annotations

from bqw.ledgers.spec import DATE, ENUM, NAME, SERIAL, TEXT, Column, Derived, LedgerSpec, RuleDoc

SOURCES = ("督导检查", "调研发现", "会议交办", "上级通报", "群众反映", "其他")
TASK_SOURCES = ("问题整改", "会议议定", "领导批示", "重点项目", "为民实事", "年度要点")
STATUSES = ("未启动", "推进中", "已完成")
STANDING_COLUMN = "长期任务"  # "是" for a standing task (完成时限 “长期坚持”): no deadline, never overdue
STANDING_DEADLINE = "长期"  # how a standing task's 完成时限 is shown (merged ledger, summaries, 通报)
DONE = "已完成"
STATUS_SYNONYMS = {"已销号": DONE, "销号": DONE, "完成": DONE, "已办结": DONE, "办结": DONE,
                   "已整改": DONE, "整改完成": DONE, "进行中": "推进中", "正在推进": "推进中",
                   "整改中": "推进中", "在办": "推进中", "未开始": "未启动", "未开展": "未启动"}

PROBLEM_ID = Column("问题编号", NAME, True, aliases=("问题序号", "问题代码", "问题编码", "问题清单编号"),
                    example="WT-001", width=10)
SERIAL_COL = Column("序号", SERIAL, aliases=("No.", "No"), width=6, example=1)

PROBLEMS = LedgerSpec(
    kind="problems",
    title="问题清单",
    family="rectification",
    columns=(
        SERIAL_COL,
        PROBLEM_ID,
        Column("问题描述", TEXT, True,
               aliases=("问题", "存在问题", "问题内容", "问题表现", "具体问题", "问题具体表现", "存在的问题",
                        "问题情况", "问题简述", "主要问题", "发现的问题", "问题名称"),
               example="村道两侧垃圾堆放未及时清理", width=36),
        Column("问题来源", ENUM, enum=SOURCES, aliases=("来源", "问题发现渠道", "发现渠道", "来源渠道",
                                                           "发现途径", "问题发现途径", "问题出处"),
               synonyms={"督查": "督导检查", "督导": "督导检查", "调研": "调研发现", "会议": "会议交办",
                         "上级": "上级通报", "群众": "群众反映", "信访": "群众反映"},
               example="督导检查", width=12),
        Column("发现时间", DATE, aliases=("发现日期", "交办时间", "通报时间", "发现问题时间", "交办日期", "通报日期",
                                        "检查时间", "督查时间", "问题发现时间", "发现问题日期"),
               example="2026年9月10日", width=14),
        Column("涉及村（社区）", NAME, aliases=("涉及村", "涉及村居", "所在村", "所在村社区", "村社区", "涉及行政村",
                                               "所属村", "所在村居", "问题所在村", "涉及村庄", "村名", "村居"),
               example="东坑村", width=12),
    ),
    key_columns=("问题编号", "问题描述"),
    sheet_aliases=("问题清单",),
    unique=("问题编号",),
    description="每个问题一行，问题编号唯一。",
)

RESPONSIBILITIES = LedgerSpec(
    kind="responsibilities",
    title="责任清单",
    family="rectification",
    columns=(
        SERIAL_COL,
        PROBLEM_ID,
        Column("责任单位", NAME, True, aliases=("责任部门", "整改责任单位", "主责单位", "责任主体", "主责部门",
                                            "整改责任部门", "责任科室", "整改单位"),
               example="农业农村办", width=16),
        Column("责任领导", NAME, aliases=("分管领导", "责任镇领导", "包案领导", "分管镇领导", "牵头领导", "督办领导"), example="洪文泽", width=10),
        Column("责任人", NAME, True, aliases=("具体责任人", "经办人", "责任人员", "整改责任人", "直接责任人", "承办人",
                                          "负责人", "具体负责人"),
               example="李强", width=10),
    ),
    key_columns=("问题编号", "责任单位", "责任人"),
    sheet_aliases=("责任清单",),
    rules=(RuleDoc("unknown-problem", "问题编号应在问题清单中"),
           RuleDoc("unknown-unit", "给出 --roster 时，责任单位应为成员单位")),
    description="每个问题的责任单位、责任领导和责任人。",
)

def check_tasks(table, ctx):
    """已完成 needs 完成时间; a 完成时间 on an unfinished task is suspicious."""
    frame = table.frame
    findings = []
    if {"完成状态", "完成时间"} <= set(frame.columns):
        done = frame["完成状态"] == DONE
        for row in frame.index[done & frame["完成时间"].isna()]:
            if (row, "完成时间") not in table.bad_cells:
                findings.append(table.finding("task-completed-no-date", row, "完成时间"))
        unfinished = frame["完成状态"].notna() & ~done & frame["完成时间"].notna()
        for row in frame.index[unfinished]:
            findings.append(table.finding("task-date-without-completion", row, "完成时间",
                                          status=frame.at[row, "完成状态"],
                                          value=frame.at[row, "完成时间"].date().isoformat()))
    return findings


TASKS = LedgerSpec(
    kind="tasks",
    title="任务清单",
    family="rectification",
    columns=(
        SERIAL_COL,
        Column("任务编号", NAME, True, aliases=("任务序号", "事项编号", "措施编号", "编号", "事项序号", "督办编号", "任务清单编号"),
               example="RW-001", width=10),
        Column("问题编号", NAME, aliases=("问题序号", "问题代码", "对应问题编号", "问题编码", "关联问题编号",
                                       "对应问题序号"), example="WT-001", width=10),
        Column("任务内容", TEXT, True,
               aliases=("整改措施", "任务", "工作任务", "事项内容", "议定事项", "具体任务", "整改任务",
                        "工作内容", "任务事项", "批示事项", "工作措施", "督办事项", "交办事项", "重点任务", "重点工作",
                        "会议议定事项", "具体措施", "整改举措", "批示内容", "项目名称"),
               example="组织清理村道两侧垃圾并建立保洁长效机制", width=36),
        Column("任务来源", ENUM, enum=TASK_SOURCES, aliases=("事项来源", "任务类别", "事项类别", "任务类型",
                                                                 "事项类型", "任务分类", "类别"),
               synonyms={"会议议定事项": "会议议定", "议定事项": "会议议定", "领导批示件": "领导批示",
                         "批示": "领导批示", "民生实事": "为民实事", "十件民生实事": "为民实事",
                         "工作要点": "年度要点", "整改": "问题整改"},
               example="问题整改", width=12),
        Column("牵头单位", NAME, True, aliases=("牵头部门", "牵头责任单位", "主办单位", "承办单位", "主办部门",
                                            "承办部门", "牵头科室", "落实单位", "负责单位"),
               example="农业农村办", width=16),
        Column("配合单位", TEXT, aliases=("配合部门", "协办单位", "协助单位", "协办部门", "配合科室",
                                              "协同单位", "参与单位", "协助部门"), example="各村委会", width=16),
        Column("完成时限", DATE, True, range_end=True, deadline=True,
               note="也可写“9月底”“11月15日前”“年底前”“三季度末”“上半年”；长期任务写“长期坚持”或“常态化”",
               aliases=("完成期限", "时限", "整改时限", "办结时限", "截止时间", "计划完成时间", "完成时间节点",
                        "时间节点", "整改期限", "办结期限", "截止日期", "计划完成日期", "预计完成时间",
                        "要求完成时间", "时间要求", "办理时限", "落实时限"),
               example="2026年11月30日", width=14),
        Column("进展情况", TEXT, aliases=("工作进展", "进展", "推进情况", "落实情况", "整改进展",
                                         "整改情况", "办理情况", "进度", "工作进度", "目前进展", "当前进展", "办理进展",
                                         "落实进展"),
               example="已完成清理，正在建立长效机制", width=30),
        Column("完成状态", ENUM, True, enum=STATUSES, synonyms=STATUS_SYNONYMS,
               aliases=("状态", "办理状态", "整改状态", "推进状态", "是否完成", "完成情况", "办结情况",
                        "销号情况", "当前状态", "任务状态"),
               note="从下拉列表选择：未启动/推进中/已完成", example="推进中", width=10),
        Column("完成时间", DATE, aliases=("实际完成时间", "办结时间", "销号时间", "完成日期", "整改完成时间",
                                          "实际完成日期", "办结日期", "销号日期"),
               note="已完成的必须填写", example=None, width=14),
    ),
    key_columns=("任务编号", "任务内容", "牵头单位", "完成时限", "完成状态"),
    sheet_aliases=("任务清单", "议定事项", "会议议定事项"),
    unique=("任务编号",),
    derived=(Derived(STANDING_COLUMN, "完成时限写“长期坚持”“持续推进”“常态化”等的长期任务为“是”，"
                                      "其完成时限为空、显示为“长期”，不计逾期"),
             Derived("是否逾期", "截至统计日未完成且已过完成时限（长期任务不计）"),
             Derived("逾期天数", "统计日减完成时限的天数（仅逾期事项）"),
             Derived("超期完成", "完成时间晚于完成时限")),
    rules=(RuleDoc("task-completed-no-date", "完成状态为已完成时必须填写完成时间"),
           RuleDoc("task-completed-before-found", "完成时间不得早于该问题的发现时间"),
           RuleDoc("unknown-problem", "填写的问题编号应在问题清单中"),
           RuleDoc("duplicate-id", "任务编号唯一")),
    check=check_tasks,
    description="整改任务及会议议定事项、领导批示、重点项目、为民实事等的落实台账。",
)

SPECS = (PROBLEMS, RESPONSIBILITIES, TASKS)


def check_family(tables: dict, ctx):
    """Cross-sheet rules: 问题编号 links, and 完成时间 not before the problem's 发现时间."""
    findings = []
    problems = tables.get("problems")
    if problems is not None and "问题编号" in problems.frame:
        ids = set(problems.frame["问题编号"].dropna())
        found = {}
        if "发现时间" in problems.frame:
            found = problems.frame.dropna(subset=["问题编号", "发现时间"]).set_index("问题编号")["发现时间"]
            found = found[~found.index.duplicated()].to_dict()
        for kind in ("responsibilities", "tasks"):
            t = tables.get(kind)
            if t is None or "问题编号" not in t.frame:
                continue
            for row, pid in t.frame["问题编号"].dropna().items():
                if pid not in ids:
                    findings.append(t.finding("unknown-problem", row, "问题编号", value=pid))
        tasks = tables.get("tasks")
        if tasks is not None and found and {"问题编号", "完成时间"} <= set(tasks.frame.columns):
            sub = tasks.frame[["问题编号", "完成时间"]].dropna()
            for row, pid, done in sub.itertuples(name=None):
                if pid in found and done < found[pid]:
                    findings.append(tasks.finding("task-completed-before-found", row, "完成时间",
                                                  value=done.date().isoformat(),
                                                  found=found[pid].date().isoformat()))
    if ctx.roster_units is not None:
        for kind, column in (("responsibilities", "责任单位"), ("tasks", "牵头单位")):
            t = tables.get(kind)
            if t is None or column not in t.frame:
                continue
            for row, unit in t.frame[column].dropna().items():
                if unit not in ctx.roster_units:
                    findings.append(t.finding("unknown-unit", row, column, value=unit))
    return findings


def derive_standing(data: dict, facts) -> None:
    """长期任务 (是/否) from 完成时限 as read: “长期坚持” there leaves the date empty and marks the task
    standing. Added after the sheet's columns, where a combined 整改台账 has it too."""
    from bqw.core.arrays import text_array
    from bqw.core.dates import STANDING

    if facts.standing is not None:
        data[STANDING_COLUMN] = text_array(["是" if d == STANDING else "否" for d in facts.standing])


def derive_tasks(frame, as_of, copy: bool = True):
    """Add 是否逾期, 逾期天数, 超期完成 as of a date (docs/ledgers.md, “派生列”); in place when not `copy`."""
    import numpy as np
    import pandas as pd

    out = frame.copy() if copy else frame
    as_of = pd.Timestamp(as_of)
    deadline = out["完成时限"]
    done = out["完成状态"] == DONE
    overdue = ~done & deadline.notna() & (deadline < as_of)
    if STANDING_COLUMN in out:  # a standing task has no deadline to pass, whatever a cell says
        overdue &= out[STANDING_COLUMN] != "是"
    out["是否逾期"] = pd.Series(np.where(overdue.to_numpy(dtype=bool), "是", "否"), index=out.index, dtype=object)
    out["逾期天数"] = ((as_of - deadline).dt.days).where(overdue).astype("Int64")
    finished = out["完成时间"] if "完成时间" in out else pd.Series(pd.NaT, index=out.index)
    late = done & finished.notna() & deadline.notna() & (finished > deadline)
    out["超期完成"] = pd.Series(np.where(late.to_numpy(dtype=bool), "是", "否"), index=out.index, dtype=object)
    return out


"""decisions — 会议议定事项台账: one row per item a meeting decided (004 第10、11条; 001 第九条).

Each item names its meeting (会议名称, 会议时间), who leads it (牵头领导) and which unit carries it
out (责任单位), its deadline (完成时限) and when the unit sent its 落实计划: the work plan is due
within two days of the meeting (004 第十条). Offices keep one running sheet, the meeting's name and
date often merged down over its items; a later sheet supersedes the earlier one, as the task lists.
"""

from __future__ import annotations

from datetime import date, timedelta

from bqw.ledgers.rectification import DONE, STANDING_COLUMN, STATUS_SYNONYMS, STATUSES
from bqw.ledgers.spec import DATE, ENUM, NAME, SERIAL, TEXT, Column, Derived, LedgerSpec, RuleDoc

PLAN_DAYS = 2  # 落实计划 due within two days of the meeting (004 第十条)
PLAN_COLUMN = "落实计划报送日期"
PLAN_STATE = "落实计划报送情况"  # derived: 按时 / 晚报N天 / 未报送 / 未到报送期限
ON_TIME, MISSING, NOT_DUE = "按时", "未报送", "未到报送期限"

COLUMNS = (
    Column("序号", SERIAL, aliases=("No.", "No", "编号"), width=6, example=1),
    Column("会议名称", TEXT, True,
           aliases=("会议", "会议纪要", "会议名称及文号", "会议纪要名称", "会议纪要文号", "会议名称（纪要）",
                    "会议类型", "议定会议", "会议及纪要"),
           note="如“镇党委会议”“百千万工程指挥部第3次会议”；同一会议的各事项可合并单元格",
           example="百千万工程指挥部第3次会议", width=20),
    Column("会议时间", DATE, True,
           aliases=("议定时间", "开会时间", "会议日期", "召开时间", "会议召开时间", "会议召开日期", "议定日期"),
           example="2026年10月9日", width=14),
    Column("议定事项", TEXT, True,
           aliases=("议定内容", "议定事项内容", "工作事项", "会议议定事项", "议定事项及要求", "事项内容",
                    "会议议定内容", "交办事项", "议定工作", "具体事项"),
           example="10月底前完成东坑村村道两侧垃圾清理，建立保洁长效机制", width=36),
    Column("牵头领导", NAME,
           aliases=("分管领导", "责任领导", "牵头镇领导", "牵头领导姓名", "分管镇领导", "责任镇领导", "挂点领导",
                    "督办领导"),
           example="陈志强", width=10),
    Column("责任单位", NAME, True,
           aliases=("落实单位", "承办单位", "牵头单位", "责任部门", "主办单位", "牵头部门", "承办部门",
                    "落实部门", "责任科室", "负责单位"),
           example="农业农村办", width=16),
    Column("完成时限", DATE, True, range_end=True, deadline=True,
           note="也可写“10月底”“11月15日前”“年底前”；长期事项写“长期坚持”",
           aliases=("办结时限", "时限要求", "完成期限", "时限", "办结期限", "完成时间要求", "要求完成时间",
                    "截止时间", "办理时限", "落实时限", "时间节点"),
           example="2026年10月31日", width=14),
    Column(PLAN_COLUMN, DATE,
           # not “落实计划报送(情况)” nor a bare “计划报送”: the derived state (按时 / 晚报N天) is named
           # 落实计划报送情况, and a merged ledger read back must not read it into this date
           aliases=("计划报送时间", "落实计划报送时间", "计划报送日期", "报送计划时间", "报送落实计划时间",
                    "工作计划报送时间", "落实方案报送时间"),
           note=f"责任单位报送落实计划的日期，应在会议后{PLAN_DAYS}日内", example="2026年10月10日", width=14),
    Column("进展情况", TEXT,
           aliases=("落实情况", "推进情况", "工作进展", "办理情况", "进展", "目前进展", "落实进展", "办理进展"),
           example="已完成清理，正在建立长效机制", width=30),
    Column("完成状态", ENUM, True, enum=STATUSES, synonyms=STATUS_SYNONYMS,
           aliases=("状态", "办理状态", "是否完成", "完成情况", "办结情况", "销号情况", "落实状态", "当前状态"),
           note="从下拉列表选择：未启动/推进中/已完成", example="推进中", width=10),
    Column("备注", TEXT, aliases=("说明", "备注说明", "附注"), width=12),
)


def _day(value) -> date | None:
    """A parsed cell (Timestamp or NaT/None) as a date."""
    if value is None or value != value:
        return None
    return value.date() if hasattr(value, "date") else value


def plan_state(meeting: date | None, plan: date | None, as_of: date) -> tuple[str, int]:
    """(state, days) of an item's 落实计划: 按时, 晚报N天 (days late), 未报送 (days: how long past the due
    day), 未到报送期限."""
    if meeting is None:
        return (ON_TIME, 0) if plan is not None else (NOT_DUE, 0)
    due = meeting + timedelta(days=PLAN_DAYS)
    if plan is not None:
        late = (plan - due).days
        return (f"晚报{late}天", late) if late > 0 else (ON_TIME, 0)
    if as_of > due:
        return MISSING, (as_of - due).days
    return NOT_DUE, 0


def check_date(table, ctx) -> date:
    """The date the rules are judged on: --as-of (merge), else the sheet's own 填报时间 (what it says
    it is current as of: validating it again later says the same), else today."""
    if ctx.as_of is not None:
        return ctx.as_of
    from bqw.core.dates import parse_date

    filled = table.meta.get("filled")
    parsed = parse_date(filled).value if filled else None
    return _day(parsed) or date.today()


def check(table, ctx):
    """落实计划 within two days of the meeting (late: warning with the days; missing once the two days
    have passed as of check_date: warning); unfinished past 完成时限 (warning, with the days);
    完成时限 before 会议时间 (error). A blank 议定事项 is the generic `required` error."""
    frame = table.frame
    as_of = check_date(table, ctx)
    findings = []
    has = set(frame.columns)
    for row in frame.index:
        meeting = _day(frame.at[row, "会议时间"]) if "会议时间" in has else None
        deadline = _day(frame.at[row, "完成时限"]) if "完成时限" in has else None
        if meeting is not None and deadline is not None and deadline < meeting:
            findings.append(table.finding("decision-deadline-before-meeting", row, "完成时限",
                                          value=deadline.isoformat(), meeting=meeting.isoformat()))
        if meeting is not None and PLAN_COLUMN in has and (row, PLAN_COLUMN) not in table.bad_cells:
            plan = _day(frame.at[row, PLAN_COLUMN])
            state, days = plan_state(meeting, plan, as_of)
            if plan is not None and days:
                findings.append(table.finding("decision-plan-late", row, PLAN_COLUMN, value=plan.isoformat(),
                                              meeting=meeting.isoformat(), days=days))
            elif state == MISSING:
                findings.append(table.finding("decision-plan-missing", row, PLAN_COLUMN, value="",
                                              meeting=meeting.isoformat(), as_of=as_of.isoformat(), days=days))
        status = frame.at[row, "完成状态"] if "完成状态" in has else None
        if deadline is not None and deadline < as_of and status != DONE and (row, "完成状态") not in table.bad_cells:
            findings.append(table.finding("decision-overdue", row, "完成时限", value=deadline.isoformat(),
                                          as_of=as_of.isoformat(), days=(as_of - deadline).days))
    return findings


def derive_decisions(frame, as_of, copy: bool = True):
    """Add 是否逾期, 逾期天数 and 落实计划报送情况 (按时 / 晚报N天 / 未报送 / 未到报送期限) as of a date."""
    import numpy as np
    import pandas as pd

    out = frame.copy() if copy else frame
    as_of = pd.Timestamp(as_of)
    deadline = out["完成时限"] if "完成时限" in out else pd.Series(pd.NaT, index=out.index)
    status = out["完成状态"].map(lambda s: STATUS_SYNONYMS.get(s, s)) if "完成状态" in out else None
    done = status == DONE if status is not None else pd.Series(False, index=out.index)
    overdue = ~done & deadline.notna() & (deadline < as_of)
    if STANDING_COLUMN in out:
        overdue &= out[STANDING_COLUMN] != "是"
    out["是否逾期"] = pd.Series(np.where(overdue.to_numpy(dtype=bool), "是", "否"), index=out.index, dtype=object)
    out["逾期天数"] = ((as_of - deadline).dt.days).where(overdue).astype("Int64")
    meetings = out["会议时间"] if "会议时间" in out else pd.Series(pd.NaT, index=out.index)
    plans = out[PLAN_COLUMN] if PLAN_COLUMN in out else pd.Series(pd.NaT, index=out.index)
    out[PLAN_STATE] = pd.Series([plan_state(_day(m), _day(p), as_of.date())[0] for m, p in zip(meetings, plans)],
                                index=out.index, dtype=object)
    return out


SPEC = LedgerSpec(
    kind="decisions",
    title="会议议定事项台账",
    columns=COLUMNS,
    key_columns=("会议名称", "会议时间", "议定事项", "责任单位"),
    identifying=("会议名称",),
    sheet_aliases=("会议议定事项台账", "议定事项台账", "会议议定事项落实台账"),
    derived=(Derived(STANDING_COLUMN, "完成时限写“长期坚持”“常态化”等的长期事项为“是”，不计逾期"),
             Derived("是否逾期", "截至统计日未完成且已过完成时限（长期事项不计）"),
             Derived("逾期天数", "统计日减完成时限的天数（仅逾期事项）"),
             Derived(PLAN_STATE, f"落实计划报送日期与会议时间相比：会议后{PLAN_DAYS}日内为“按时”，晚于则为“晚报N天”；"
                                 f"未填且已过会议后{PLAN_DAYS}日为“未报送”，否则为“未到报送期限”")),
    rules=(RuleDoc("required", "会议名称、会议时间、议定事项、责任单位、完成时限、完成状态必填"),
           RuleDoc("decision-plan-late", f"落实计划应在会议后{PLAN_DAYS}日内报送（004 第十条），晚报给出警告并写明晚了几天"),
           RuleDoc("decision-plan-missing", f"截至统计日已过会议后{PLAN_DAYS}日仍未填落实计划报送日期，给出警告"),
           RuleDoc("decision-overdue", "截至统计日已过完成时限仍未完成，给出警告并写明逾期天数"),
           RuleDoc("decision-deadline-before-meeting", "完成时限不得早于会议时间")),
    check=check,
    description="会议议定事项的落实台账：每个议定事项一行，写明会议、牵头领导、责任单位、完成时限和落实计划报送日期。",
)

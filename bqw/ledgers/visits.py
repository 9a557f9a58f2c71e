"""visits — 挂点调研台账: one row per visit by a town leader to an assigned village."""

from __future__ import annotations

from functools import lru_cache

from bqw.core.arrays import text_array
from bqw.core.values import date_texts
from bqw.ledgers.common import village_key
from bqw.ledgers.spec import (CONTACT, COUNT, DATERANGE, NAME, SERIAL, TEXT, Column, Derived,
                              LedgerSpec, PrintedColumn, ReadFacts, RuleDoc)
from bqw.core.table import SMALL_TABLE


COLUMNS = (
    Column("序号", SERIAL, aliases=("No.", "No", "编号"), width=6, example=1),
    Column("镇领导", NAME, True,
           aliases=("挂点领导", "调研领导", "领导姓名", "镇领导姓名", "挂点镇领导", "挂点领导姓名",
                    "镇挂点领导", "县领导", "领导", "挂点联系领导", "挂钩领导", "挂钩镇领导", "走访领导",
                    "带队领导", "调研镇领导"),
           note="开展调研的挂点镇领导姓名", example="洪文泽", width=10),
    Column("调研时间", DATERANGE, True,
           aliases=("调研日期", "走访时间", "调研走访时间", "日期", "时间", "走访日期", "调研走访日期",
                    "走访调研时间", "走访调研日期", "到村时间", "到村日期", "下村时间", "下村日期",
                    "挂点调研时间", "调研起止时间", "调研起止日期"),
           note="如 2026年10月5日；多天写成“10月15日-16日”", example="2026年10月15日-16日", width=16),
    Column("调研地点", NAME, True,
           aliases=("调研村", "调研村居", "调研村社区", "挂点村", "联系村", "调研行政村", "地点", "村",
                    "走访村", "走访地点", "走访村居", "调研村名", "挂点村居", "村名", "村居"),
           note="调研的行政村（社区），应为本人挂点联系村", example="东坑村", width=12),
    Column("调研内容", TEXT, True,
           aliases=("调研主题", "调研事项", "主要内容", "调研主要内容", "内容", "走访内容", "走访事项",
                    "调研走访内容", "走访调研内容", "调研工作内容", "走访主题"),
           note="调研的主要内容", example="调研人居环境整治和村集体经济发展情况", width=30),
    Column("调研成效", TEXT,
           aliases=("具体成效", "成效", "调研成果", "主要成效", "取得成效", "解决的具体问题",
                    "具体问题", "成效描述", "工作成效", "走访成效", "调研效果", "主要成果", "取得成果", "成果"),
           note="调研取得的成效、推动解决的具体问题", example="协调解决村道硬化资金问题", width=30,
           group="调研成效"),
    Column("推动解决问题数量", COUNT,
           aliases=("调研推动解决问题数量", "推动解决问题数", "解决问题数量", "解决问题数",
                    "推动解决问题", "解决问题个数", "协调解决问题", "协调解决问题数", "协调解决问题数量",
                    "协调解决问题个数", "解决问题", "推动解决问题个数", "帮助解决问题数"),
           note="填非负整数，如 3", example=1, width=12),
    Column("联系人及联系方式", CONTACT,
           aliases=("联系人", "联系方式", "联系电话", "村联系人", "联系人电话", "联系人及电话", "村联系人及电话",
                    "村联系人及联系方式", "村联系人电话", "联系人及联系电话", "联系人及手机", "联系人手机",
                    "村对接人", "对接人及电话", "联系人/电话"),
           note="村联系人及手机号码", example="村支书陈伟 13812345678", width=22),
    Column("备注", TEXT, aliases=("说明", "备注说明", "附注"), width=12),
)

# 附件3 of the work plan (seeds/003_*.txt) as printed, the layout of the blank template: no 镇领导
# column (one ledger per leader, named on the 挂点领导 line above the header); 调研成效 over two
# sub-columns, read as one text joined with “；”; every other header cell merged down over both rows.
# The example row is the printed one, its year filled in (and 联系人 under 联系人及联系方式).
EFFECT = "调研成效"
PRINTED_COLUMNS = (
    PrintedColumn("序号", "序号", example="例"),
    PrintedColumn("调研时间", "调研时间", example="2026年xx月xx日"),
    PrintedColumn("调研地点", "调研地点", example="xx村"),
    PrintedColumn("调研内容", "调研内容", example="xx村xx工作情况。"),
    PrintedColumn(EFFECT, "推动xx村解决问题xx个：", group=EFFECT,
                  example="xx村加快推进xx工作，要求做什么、怎么做(具体展开)。"),
    PrintedColumn(EFFECT, "1.xx项目(工作)：目前进展情况如何。 2.xx项目(工作)：目前进展情况如何。", group=EFFECT),
    PrintedColumn("推动解决问题数量", "调研推动解决问题数量(个)"),
    PrintedColumn("联系人及联系方式", "联系人及联系方式", example="xxx；电话xxx"),
    PrintedColumn("备注", "备注"),
)
PRINTED_META_LINE = "挂点领导：            协助部门：            填报时间：    年  月  日"


def derive_columns(data: dict, facts: ReadFacts) -> str | None:
    """A visit sheet's derived columns, added to `data` (canonical column -> array, in the frame's order):
    镇领导 filled with the leader the sheet names (title block, sheet or file name) where its own cell is
    blank, 调研天数 from each 调研时间 range, 月份 from 调研时间. Returns the month every dated visit
    falls in (“2026-10”), or None: the period of a month's ledger that does not say its month."""
    import pandas as pd

    leader = facts.leader
    if "镇领导" not in data and leader:
        data["镇领导"] = text_array([leader] * facts.rows)
    elif leader and "镇领导" in data:
        data["镇领导"] = text_array([leader if v is None else v for v in facts.leaders])
    if facts.days is not None:
        data["调研天数"] = pd.array(facts.days, dtype="Int64")
    if "调研时间" not in data:
        return None
    months = date_texts(data["调研时间"], "M")
    data["月份"] = text_array(months)
    distinct = {m for m in months if m is not None}
    return distinct.pop() if len(distinct) == 1 else None


@lru_cache(maxsize=64)
def _month(period: str):
    import pandas as pd

    p = pd.Period(period, freq="M")
    return p.start_time, p.end_time


def check(table, ctx):
    """Visits rules: date within the period; known leader; assigned village (warnings)."""
    import pandas as pd

    frame = table.frame
    findings = []
    period = ctx.period or table.meta.get("period")
    if period and "调研时间" in frame:
        start, end = _month(period)
        dates = frame["调研时间"]
        if len(frame) > SMALL_TABLE:  # vectorised first: only the rows outside are walked
            dates = dates[dates.notna() & ((dates < start) | (dates > end))]
        for row, value in zip(dates.index.tolist(), dates.tolist()):
            if value is not pd.NaT and value is not None and (value < start or value > end):
                findings.append(table.finding("visit-outside-period", row, "调研时间",
                                              value=value.date().isoformat(), period=period))
    known = None
    if ctx.assignments is not None:
        known = set(ctx.assignments)
    if ctx.roster_names is not None:
        known = (known or set()) | ctx.roster_names
    if known is not None and "镇领导" in frame:
        for row, name in frame["镇领导"].dropna().items():
            if name not in known:
                findings.append(table.finding("visit-unknown-leader", row, "镇领导", value=name))
    if ctx.assignments and {"镇领导", "调研地点"} <= set(frame.columns):
        assigned = {k: {village_key(v) for v in vs} for k, vs in ctx.assignments.items()}
        for row, leader, village in frame[["镇领导", "调研地点"]].dropna().itertuples(name=None):
            if leader in assigned and village_key(village) not in assigned[leader]:
                findings.append(table.finding(
                    "visit-village-not-assigned", row, "调研地点", value=village, leader=leader,
                    villages="、".join(ctx.assignments[leader])))
    return findings


SPEC = LedgerSpec(
    kind="visits",
    title="挂点调研台账",
    columns=COLUMNS,
    key_columns=("镇领导", "调研时间", "调研地点", "调研内容"),
    sheet_aliases=("挂点调研台账", "调研台账"),
    derived=(Derived("调研天数", "调研时间为范围时为天数（含首尾），否则为 1；表中填了调研天数的，与调研时间不符时给出警告",
                     aliases=("天数", "调研天数（天）", "调研天数(天)", "累计天数", "调研用时", "用时天数")),
             Derived("月份", "调研时间所在月份，YYYY-MM")),
    rules=(RuleDoc("visit-outside-period", "调研时间应在填报期间（月份）内"),
           RuleDoc("visit-days-mismatch", "表中填写的调研天数应与调研时间的天数一致"),
           RuleDoc("visit-unknown-leader", "给出 --assignments/--roster 时，镇领导应在其中"),
           RuleDoc("visit-village-not-assigned", "给出 --assignments 时，调研地点应为该领导的挂点村"),
           RuleDoc("phone-invalid", "联系方式中的电话号码应有效")),
    printed_columns=PRINTED_COLUMNS,
    printed_meta_line=PRINTED_META_LINE,
    check=check,
    description="每位挂点镇领导每次到挂点村调研一行。年度目标：每村至少 5 次、累计至少 5 天。",
)

"""roster — 指挥部成员名单: members, their posts in the 指挥部, and each unit's 联络员."""

from __future__ import annotations

from bqw.ledgers.common import duplicates
from bqw.ledgers.spec import ENUM, NAME, PHONE, SERIAL, TEXT, Column, LedgerSpec, RuleDoc

POSTS = ("总指挥", "第一副总指挥", "常务副总指挥", "副总指挥", "成员", "联络员")
TEAMS = ("镇域经济", "城镇建设", "乡村振兴", "要素保障", "政策支持", "信息化")
CHIEF, LIAISON = "总指挥", "联络员"

COLUMNS = (
    Column("序号", SERIAL, aliases=("No.", "No"), width=6, example=1),
    Column("姓名", NAME, True, aliases=("成员姓名", "人员姓名", "名字", "干部姓名"), example="陈国华", width=10),
    Column("单位", NAME, True, aliases=("工作单位", "所在单位", "单位名称", "部门", "单位部门", "所在部门",
                                            "成员单位", "部门名称", "所属单位", "所属部门", "工作部门"),
           example="党政办", width=16),
    Column("职务", TEXT, True, aliases=("现任职务", "单位职务", "职务职级", "行政职务", "本单位职务", "党政职务",
                                           "现职务", "职位"),
           example="主任", width=14),
    Column("指挥部职务", ENUM, True, enum=POSTS,
           aliases=("指挥部内职务", "在指挥部职务", "指挥部任职", "指挥部中职务", "担任指挥部职务",
                    "在指挥部担任职务", "指挥部担任职务", "指挥部职位", "指挥部岗位"),
           synonyms={"指挥长": "总指挥", "副指挥长": "副总指挥", "成员单位": "成员", "联系人": "联络员"},
           note="从下拉列表选择", example="成员", width=14),
    Column("所属专班", ENUM, enum=TEAMS, aliases=("专班", "工作专班", "所在专班", "所属工作专班",
                                                         "专班名称", "参加专班", "参与专班"),
           synonyms={f"{t}专班": t for t in TEAMS}, note="从下拉列表选择", example="乡村振兴", width=12),
    Column("联系电话", PHONE, True, aliases=("手机", "手机号码", "手机号", "联系方式", "电话", "电话号码",
                                                 "移动电话", "办公电话", "联系手机", "联系号码", "手机/电话"),
           note="手机 11 位或带区号的固话", example="13812345678", width=16),
    Column("备注", TEXT, aliases=("说明", "备注说明", "附注"), width=12),
)


def check(table, ctx):
    """Exactly one 总指挥; one 联络员 per unit; no person twice; a name in two units is questioned."""
    frame = table.frame
    findings = []
    if "指挥部职务" in frame:
        posts = frame["指挥部职务"]
        chiefs = posts[posts == CHIEF]
        if len(chiefs) != 1:
            names = "" if chiefs.empty else "（" + "、".join(frame.loc[chiefs.index, "姓名"].fillna("?")) + "）"
            row = chiefs.index[1] if len(chiefs) > 1 else None
            findings.append(table.finding("roster-chief-count", row, "指挥部职务" if row else None,
                                          chief=CHIEF, count=len(chiefs), names=names))
        if "单位" in frame:
            for unit, group in frame.groupby("单位", sort=False):
                liaisons = group[group["指挥部职务"] == LIAISON]
                if liaisons.empty:
                    findings.append(table.finding("roster-liaison-missing", group.index[0], "单位",
                                                  unit=unit, liaison=LIAISON))
                elif len(liaisons) > 1:
                    findings.append(table.finding(
                        "roster-liaison-multiple", liaisons.index[1], "指挥部职务", unit=unit,
                        liaison=LIAISON, count=len(liaisons),
                        names="、".join(liaisons["姓名"].fillna("?"))))
    for row, first in duplicates(table, ["姓名", "单位"]):
        findings.append(table.finding("roster-duplicate-person", row, "姓名",
                                      value=frame.at[row, "姓名"], unit=frame.at[row, "单位"], other=first))
    findings += name_in_two_units(table)
    return findings


def name_in_two_units(table) -> list:
    """A 姓名 listed under a second 单位: a warning at the later cell naming both (two people may
    share a name, so never an error). The same name in the same unit is roster-duplicate-person."""
    frame = table.frame
    if "姓名" not in frame or "单位" not in frame:
        return []
    findings = []
    seen: dict = {}  # name -> {unit: the first row listing the name under it}
    for row, name, unit in frame[["姓名", "单位"]].dropna().itertuples(name=None):
        units = seen.setdefault(name, {})
        if unit in units:
            continue
        if units:
            first_unit, first_row = next(iter(units.items()))
            findings.append(table.finding("roster-name-in-two-units", row, "姓名", value=name,
                                          first_unit=first_unit, first_cell=table.cell(first_row, "姓名"),
                                          unit=unit, this_cell=table.cell(row, "姓名")))
        units[unit] = row
    return findings


SPEC = LedgerSpec(
    kind="roster",
    title="指挥部成员名单",
    columns=COLUMNS,
    key_columns=("姓名", "单位", "职务", "指挥部职务", "联系电话"),
    sheet_aliases=("成员名单", "指挥部成员"),
    rules=(RuleDoc("roster-chief-count", "有且只有一名总指挥"),
           RuleDoc("roster-liaison-missing", "每个成员单位指定一名联络员"),
           RuleDoc("roster-liaison-multiple", "每个成员单位只能有一名联络员"),
           RuleDoc("roster-duplicate-person", "同一单位同一人不得重复列出"),
           RuleDoc("roster-name-in-two-units", "同一姓名列在两个单位时提示核对（可能是同名的两个人，只作警告）"),
           RuleDoc("phone-column-invalid", "联系电话应为有效的手机或带区号的固话")),
    check=check,
    description="指挥部全体成员及各成员单位联络员。",
)

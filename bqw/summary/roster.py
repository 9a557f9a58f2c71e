"""The roster summary (指挥部成员名单): members per 专班 and 单位, units without a 联络员 or with
several, persons listed more than once.

No file I/O; pandas is imported inside the function.
"""

from __future__ import annotations

from bqw.summary.common import (DUPLICATE, NO_LIAISON, NO_TEAM, NORMAL, SEVERAL_LIAISONS, ChartSpec, Summary,
                                SummaryTable, column_or_default, joined, stripped_or_none)


def summarise_roster(roster) -> Summary:
    """Members per 所属专班 and per 单位 (a person listed twice counts once), units without a
    联络员 or with several, and persons listed more than once (same 姓名 and 单位)."""
    import pandas as pd

    from bqw.ledgers.roster import CHIEF, LIAISON, TEAMS

    f = (roster if roster is not None else pd.DataFrame()).reset_index(drop=True)
    people = pd.DataFrame({key: column_or_default(f, header).map(stripped_or_none) for key, header in (
        ("name", "姓名"), ("unit", "单位"), ("post", "指挥部职务"), ("team", "所属专班"))})
    notes = []
    blank = people["name"].isna() | people["unit"].isna()
    if blank.any():
        notes.append(f"{int(blank.sum())} 行缺少姓名或单位，未计入统计")
    people = people[~blank]
    counted = people.groupby(["name", "unit"], sort=False).size()
    duplicates = [{"name": n, "unit": u, "count": int(c)} for (n, u), c in counted.items() if c > 1]
    distinct = people.drop_duplicates(["name", "unit"])
    teams = distinct["team"].fillna(NO_TEAM)
    team_order = [x for x in (*TEAMS, NO_TEAM) if x in set(teams)] + sorted(set(teams) - {*TEAMS, NO_TEAM})
    by_team = {x: int((teams == x).sum()) for x in team_order}
    by_unit, unit_rows, without, several = {}, [], [], []
    for unit, group in distinct.groupby("unit", sort=False):
        liaisons = list(group.loc[group["post"] == LIAISON, "name"])
        by_unit[unit] = len(group)
        state = NORMAL
        if not liaisons:
            without.append(unit)
            state = NO_LIAISON
        elif len(liaisons) > 1:
            several.append(unit)
            state = SEVERAL_LIAISONS
        unit_rows.append([unit, len(group), "、".join(liaisons), state])
    chiefs = list(distinct.loc[distinct["post"] == CHIEF, "name"])
    totals = {"members": len(distinct), "rows": len(people), "units": len(by_unit),
              "teams": sum(1 for x in by_team if x != NO_TEAM), "liaisons": int((distinct["post"] == LIAISON).sum())}
    data = {"kind": "roster", "totals": totals, "by_team": by_team, "by_unit": by_unit,
            "units_without_liaison": without, "units_with_several_liaisons": several,
            "duplicates": duplicates, "chiefs": chiefs, "notes": notes}
    tables = [
        SummaryTable("专班人数", "各专班成员人数", pd.DataFrame(list(by_team.items()), columns=["所属专班", "人数"]),
                     chart=ChartSpec("column", "各专班成员人数", "所属专班", [("人数", "人数")], y_title="人数")),
        SummaryTable("单位人数", "各成员单位人数及联络员", pd.DataFrame(
            unit_rows, columns=["单位", "人数", "联络员", "联络员情况"]), status_column="联络员情况"),
        SummaryTable("缺联络员单位", "未指定联络员的单位", pd.DataFrame([[u, NO_LIAISON] for u in without],
                                                                 columns=["单位", "状态"]), status_column="状态"),
        SummaryTable("重复人员", "重复列出的人员（同一单位同一姓名）", pd.DataFrame(
            [[d["name"], d["unit"], d["count"], DUPLICATE] for d in duplicates],
            columns=["姓名", "单位", "出现次数", "状态"]), status_column="状态"),
    ]
    highlights = [
        f"指挥部成员 {totals['members']} 人（名单 {totals['rows']} 行），{totals['units']} 个单位，"
        f"{totals['teams']} 个专班；总指挥：{joined(chiefs)}。",
        f"未指定联络员的单位：{joined(without)}。",
        "重复列出的人员：" + joined([f"{d['name']}（{d['unit']}，{d['count']}次）" for d in duplicates]) + "。",
    ]
    if several:
        highlights.append(f"有多名联络员的单位：{joined(several)}。")
    return Summary("roster", "指挥部成员名单统计", data, tables, highlights)

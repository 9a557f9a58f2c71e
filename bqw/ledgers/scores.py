"""scores — 典型村（单个培育类）评价: 25 items in 9 groups (100 points) and an 8-item 负面清单."""

from __future__ import annotations

from bqw.ledgers.common import duplicates
from bqw.ledgers.spec import COUNT, NAME, NUMBER, SERIAL, YESNO, Column, Derived, LedgerSpec, RuleDoc

# (group, points, item maxima) — the provincial rubric (docs/ledgers.md, “典型村评价”).
GROUPS = (
    ("人居环境", 16, (3, 3, 3, 3, 4)),
    ("风貌提升", 12, (7, 5)),
    ("绿美建设", 10, (3, 3, 4)),
    ("生产生活设施", 15, (5, 5, 5)),
    ("公共服务", 12, (4, 4, 4)),
    ("乡风文明", 8, (4, 4)),
    ("乡村治理", 12, (4, 3, 3, 2)),
    ("集体经济", 8, (3, 5)),
    ("农民增收", 7, (7,)),
)
TOTAL = "总分"

# The 25 items' texts as the provincial rubric prints them (work plan 附件4; points are in GROUPS).
ITEM_TEXTS = (
    "村庄干净整洁，“三线”规整有序，无乱搭、乱建现象",
    "垃圾收集点设施配置完善，村内道路及房前屋后、村级工业园、田园等区域内无废弃物堆放，垃圾没有乱扔乱放、就地焚烧等情况",
    "生活污水有效治理，无乱排、乱倒情况",
    "农村厕所改造提升完成，无害化卫生户厕基本实现全覆盖",
    "垃圾、污水、公共厕所等基础设施的管护费用、机制保障到位",
    "新建农房依法审批，无新增未批先建、私搭乱建等行为，新建农房风貌与村庄整体风貌基本协调",
    "1个以上的自然村或村小组开展存量农房微改造",
    "在村庄“四旁”“五边”开展绿化美化",
    "古树名木、森林资源有效保护，无随意砍伐行为",
    "建设庭院绿化示范点、公共休闲绿地、绿化景观路、桑梓林、景观生态林，至少完成2项建设任务",
    "农田水利基础设施管护责任得到落实，农田灌排沟渠及时清淤疏通。有高标准农田建设任务的村按时保质完成任务",
    "100人以上自然村全部通硬底化路，自然村完成村内道路硬化，村内主干道照明设施完善",
    "自然村集中供水基本覆盖，用水可常年稳定供应",
    "村内建有公共活动空间或设施，能够满足群众基本文体活动需求",
    "行政村设有卫生站且正常运行，不具备条件的村可通过乡镇卫生院定期巡诊、派驻或乡镇卫生院服务覆盖等方式提供基本医疗卫生服务",
    "有需求、有条件的村庄，因地制宜配置农贸市场、小学、幼儿园、快递物流点等服务设施",
    "丧事简办、从简办席、孝亲敬老等纳入村规民约，高价彩礼、大操大办、厚葬薄养等得到明显遏制",
    "每年组织开展群众性文体活动不少于2次",
    "建立村级重大事项经党支部会议审议机制，并按照“四议两公开”的程序决策实施",
    "党员尤其是担任村两委干部的党员在乡村建设发展中的先锋模范带头作用发挥较好",
    "行政村党群服务中心“一站式”服务功能完善，居民医保、养老保险等经办服务下沉到村",
    "每年组织开展“三留守”人员关爱活动不少于2次",
    "农村集体“三资”台账管理规范，闲置资产资源有效盘活",
    "村集体经营性收入达15万元以上",
    "本地村民参与典型村建设途径较多，有通过以工代赈、村集体股份分红、就业创业等方式促进增收的具体举措和案例",
)
# The 负面清单 (work plan 附件5): any item “有” vetoes the village (一票否决).
NEGATIVE_TEXTS = (
    "存在集中连片3亩以上可复耕的撂荒地块",
    "新增乱占耕地建房、建“大棚房”",
    "违反耕地和永久基本农田、生态保护红线和城镇开发边界管控要求",
    "未完成农村生活污水治理",
    "违规拆除已被确定为文物保护单位、文化遗产和历史建筑的农房等",
    "财政资金扶持企业发展项目缺少联农带农机制",
    "农村集体“三资”交易应上未上农村产权流转交易管理服务平台公开交易，村集体违规举债分红",
    "村现任“两委”干部出现严重违纪违法行为",
)
NEGATIVES = len(NEGATIVE_TEXTS)


def items():
    """(number, canonical name, maximum, group) for the 25 items."""
    n = 0
    for group, _points, maxima in GROUPS:
        for maximum in maxima:
            n += 1
            yield n, f"指标{n}", maximum, group


ITEM_NAMES = [name for _, name, _, _ in items()]
NEGATIVE_NAMES = [f"负面{i}" for i in range(1, NEGATIVES + 1)]


def _item(n, name, maximum, group):
    return Column(name, NUMBER, True, maximum=maximum, group=f"{group}",
                  aliases=(str(n), f"第{n}项", f"{n}项", f"指标{n}", f"项目{n}", f"{group}{n}", f"二级指标{n}"),
                  note=ITEM_TEXTS[n - 1], example=maximum, width=7)


COLUMNS = (
    Column("序号", SERIAL, aliases=("No.", "No"), width=6, example=1),
    Column("村名", NAME, True, aliases=("行政村", "村（社区）", "村社区", "村", "村居", "村名称", "评价村",
                                        "村庄名称", "行政村名称", "村居名称", "参评村", "典型村", "村（社区）名称"),
           example="东坑村", width=12),
    Column("评价年度", COUNT, aliases=("年度", "评价年份", "年份", "考核年度", "评估年度"), example=2026, width=8),
    *(_item(*i) for i in items()),
    Column(TOTAL, NUMBER, aliases=("合计", "得分合计", "总得分", "合计得分", "得分", "综合得分", "评价总分",
                                         "总计", "最终得分"), width=8),
    *(Column(name, YESNO, True, group="负面清单",
             aliases=(f"负面清单{i}", f"负面{i}", f"否决项{i}", f"负面清单第{i}项"),
             note=NEGATIVE_TEXTS[i - 1], example="无", width=7)
      for i, name in enumerate(NEGATIVE_NAMES, 1)),
)


def check(table, ctx):
    """Halves only; 总分 equals the sum of items (warning); one row per village per year."""
    frame = table.frame
    findings = []
    present = [c for c in ITEM_NAMES if c in frame]
    for column in present:
        values = frame[column].dropna()
        for row, value in values[(values * 2) % 1 != 0].items():
            findings.append(table.finding("score-not-half", row, column, value=value))
    if TOTAL in frame and present:
        expected = frame[present].sum(axis=1, min_count=1)
        given = frame[TOTAL]
        bad = given.notna() & expected.notna() & ((given - expected).abs() > 1e-6)
        for row in frame.index[bad]:
            findings.append(table.finding("score-total-mismatch", row, TOTAL,
                                          value=_fmt(given[row]), expected=_fmt(expected[row])))
    findings += _blank_negatives(table)
    key = ["村名", "评价年度"] if "评价年度" in frame and frame["评价年度"].notna().any() else ["村名"]
    for row, first in duplicates(table, key):
        findings.append(table.finding("score-duplicate-village", row, "村名",
                                      value=frame.at[row, "村名"], other=first))
    return findings


def _blank_negatives(table) -> list:
    """A blank 负面清单 cell counts as 无, but is said (a warning, once per village), never silently taken: a
    veto may hide there. Not in a “√/空” sheet — one that marks items with √ and writes no 无 anywhere."""
    frame = table.frame
    present = [(i, name) for i, name in enumerate(NEGATIVE_NAMES, 1) if name in frame]
    if not present:
        return []
    marks = frame[[name for _, name in present]]
    if marks.eq(True).any().any() and not marks.eq(False).any().any():
        return []
    out = []
    for row in frame.index:
        blank = [(i, name) for i, name in present
                 if _missing(frame.at[row, name]) and (row, name) not in table.bad_cells]
        if blank:
            items = "、".join(str(i) for i, _ in blank)
            text = "；".join(NEGATIVE_TEXTS[i - 1] for i, _ in blank)
            out.append(table.finding("score-negative-blank", row, blank[0][1], value="", item=items, text=text))
    return out


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def negative_reasons(row) -> list[str]:
    """“负面清单第4项：未完成农村生活污水治理” for each item a village has (“有”)."""
    return [f"负面清单第{i}项：{NEGATIVE_TEXTS[i - 1]}" for i, name in enumerate(NEGATIVE_NAMES, 1)
            if _is_yes(row.get(name))]


def _is_yes(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip() == "有")


def _fmt(x) -> str:
    return f"{x:g}"


def derive_columns(data: dict, facts) -> None:
    """A score sheet's 评价年度 where its cell is blank (or the column missing): the sheet's year
    (title block, --period, file name), into `data` (canonical column -> array)."""
    import pandas as pd

    if not facts.year:
        return
    if "评价年度" not in data:
        data["评价年度"] = pd.array([facts.year] * facts.rows, dtype="Int64")
    else:
        data["评价年度"] = pd.Series(data["评价年度"]).fillna(facts.year).array


def derive_scores(frame):
    """Recomputed 总分, group subtotals and the 负面清单 veto (一票否决)."""
    out = frame.copy()
    for group, _points, _maxima in GROUPS:
        cols = [name for _, name, _, g in items() if g == group and name in out]
        out[f"{group}小计"] = out[cols].sum(axis=1, min_count=1)
    present = [c for c in ITEM_NAMES if c in out]
    out[TOTAL] = out[present].sum(axis=1, min_count=1)
    negs = [c for c in NEGATIVE_NAMES if c in out]
    for c in negs:  # a blank item counts as 无 (said when validated: score-negative-blank)
        out[c] = out[c].astype("boolean").fillna(False)
    out["一票否决"] = out[negs].astype(bool).any(axis=1).map({True: "是", False: "否"})
    return out


SPEC = LedgerSpec(
    kind="scores",
    title="典型村评价",
    columns=COLUMNS,
    key_columns=("村名", "指标1", "指标6", "指标25", "负面1"),
    sheet_aliases=("评价得分", "评分表"),
    derived=(Derived("各组小计", "人居环境、风貌提升等 9 组的小计"),
             Derived("总分", "25 项得分之和（重新计算）"),
             Derived("一票否决", "负面清单任一项为“有”即否决")),
    rules=(RuleDoc("score-above-max", "每项得分不超过该项满分"),
           RuleDoc("score-not-half", "得分为 0.5 的整数倍"),
           RuleDoc("score-total-mismatch", "填报总分应等于各项之和（警告）"),
           RuleDoc("score-duplicate-village", "同一村同一年度只评一次"),
           RuleDoc("score-negative-blank", "负面清单每项填“有”或“无”，空白按“无”计并提示（警告）")),
    check=check,
    description="典型村（单个培育类）评价指标：9 组 25 项共 100 分，另有 8 项负面清单。",
)

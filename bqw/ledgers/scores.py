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
NEGATIVES = 8
TOTAL = "总分"


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
                  note=f"满分 {maximum} 分，可填 0.5 分", example=maximum, width=7)


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
             note="填“有”或“无”", example="无", width=7)
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
    key = ["村名", "评价年度"] if "评价年度" in frame and frame["评价年度"].notna().any() else ["村名"]
    for row, first in duplicates(table, key):
        findings.append(table.finding("score-duplicate-village", row, "村名",
                                      value=frame.at[row, "村名"], other=first))
    return findings


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
    out["一票否决"] = out[negs].fillna(False).astype(bool).any(axis=1).map({True: "是", False: "否"})
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
           RuleDoc("score-duplicate-village", "同一村同一年度只评一次")),
    check=check,
    description="典型村（单个培育类）评价指标：9 组 25 项共 100 分，另有 8 项负面清单。",
)

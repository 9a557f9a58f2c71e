"""The scores summary (典型村评价): totals and group subtotals recomputed, 一票否决, ranking.

No file I/O; pandas is imported inside the function.
"""

from __future__ import annotations

from bqw.summary.common import (FAILED, PASSED, UNSPECIFIED, VETOED, ChartSpec, Summary, SummaryTable, joined,
                                missing, number_text, stripped_or_none)


def summarise_scores(scores, *, standard: float = 80.0) -> Summary:
    """Totals and group subtotals recomputed (derive_scores), 一票否决, ranking.

    Villages not vetoed are ranked by total (equal totals share a rank: 1, 2, 2, 4); vetoed
    villages are ranked after all others. reaches_standard: total ≥ standard and not vetoed.
    """
    import pandas as pd

    from bqw.ledgers.scores import GROUPS, TOTAL, derive_scores, negative_reasons

    f = (scores if scores is not None else pd.DataFrame()).reset_index(drop=True)
    if len(f):
        f = derive_scores(f)
    groups = [g for g, _p, _m in GROUPS]
    rows = []
    for _, r in f.iterrows():
        total = r.get(TOTAL)
        rows.append({"village": stripped_or_none(r.get("村名")) or UNSPECIFIED,
                     "total": None if missing(total) else float(total),
                     "groups": {g: (None if missing(r.get(f"{g}小计")) else float(r.get(f"{g}小计")))
                                for g in groups},
                     "veto": r.get("一票否决") == "是", "veto_reasons": negative_reasons(r)})
    ok = sorted((x for x in rows if not x["veto"]), key=lambda x: -(x["total"] or 0))
    vetoed = sorted((x for x in rows if x["veto"]), key=lambda x: -(x["total"] or 0))
    ranked = []
    for i, x in enumerate(ok):
        x["rank"] = ranked[-1]["rank"] if ranked and ranked[-1]["total"] == x["total"] else i + 1
        ranked.append(x)
    for x in vetoed:
        x["rank"] = None  # 一票否决: 不予排名 (the veto is named instead)
        ranked.append(x)
    for x in ranked:
        x["reaches_standard"] = bool(not x["veto"] and x["total"] is not None and x["total"] >= standard)
    villages = [{"village": x["village"], "total": x["total"], "groups": x["groups"], "veto": x["veto"],
                 "veto_reasons": x["veto_reasons"], "rank": x["rank"], "reaches_standard": x["reaches_standard"]}
                for x in ranked]
    data = {"kind": "scores", "standard": standard, "villages": villages,
            "totals": {"villages": len(villages), "reaching_standard": sum(x["reaches_standard"] for x in villages),
                       "vetoed": len(vetoed)}, "notes": []}
    frame = pd.DataFrame(
        [["不予排名" if x["rank"] is None else x["rank"], x["village"], *[x["groups"][g] for g in groups], x["total"],
          "是" if x["veto"] else "否", "；".join(x["veto_reasons"]),
          VETOED if x["veto"] else (PASSED if x["reaches_standard"] else FAILED)] for x in villages],
        columns=["排名", "村名", *groups, "总分", "一票否决", "否决原因", "评价结果"])
    for g in (*groups, "总分"):
        frame[g] = frame[g].astype("float64")
    table = SummaryTable("典型村评价",
                         f"典型村评价得分及排名（达标线 {number_text(standard)} 分；负面清单任一项为“有”即一票否决）", frame,
                         status_column="评价结果",
                         chart=ChartSpec("bar", "典型村评价总分", "村名", [("总分", "总分")], y_title="分"))
    passed = [x["village"] for x in villages if x["reaches_standard"]]
    highlights = [
        f"共评价 {len(villages)} 个村，达标（≥{number_text(standard)} 分且无负面清单）{len(passed)} 个："
        f"{joined(passed)}。",
        "一票否决（不予排名）：" + joined([f"{x['village']}（{number_text(x['total'] or 0)} 分，"
                                          f"{'；'.join(x['veto_reasons']) or '负面清单'}）" for x in vetoed]) + "。",
    ]
    return Summary("scores", "典型村评价结果", data, [table], highlights)

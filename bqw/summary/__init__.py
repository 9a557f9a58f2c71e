"""Summaries of merged ledgers: DataFrames in, a Summary out (docs/summaries.md).

Pure functions, no file I/O. A Summary (bqw.summary.common) carries a JSON document with stable
keys (`to_json`) and the tables the renderers in bqw.output.reports write (`tables`). pandas is
imported inside the functions, so importing these modules stays cheap. One module per kind:

- visits  — 挂点调研: per leader and village, this month and the year to date, pace against the
            yearly targets (达标 / 序时推进 / 滞后 / 未开展), unvisited villages, who has not reported;
- tasks   — 问题整改 and other task lists: per 牵头单位 and 责任单位, overdue and due-soon items;
- roster  — 指挥部成员名单: members per 专班 and 单位, units without a 联络员, duplicate persons;
- scores  — 典型村评价: totals, group subtotals, 一票否决, ranking.
"""

"""Who should report (催报): the leaders and units read from an assignments ledger or a roster.

The units owing an update of the rectification lists are those with open tasks in the archive
(bqw.store.rebuild.open_task_units), added by the merge; not every unit of the roster.
"""

from __future__ import annotations

from pathlib import Path

from bqw.core.table import ReadResult
from bqw.ledgers.family import RECTIFICATION_FAMILY

LEADER_POSTS = ("总指挥", "第一副总指挥", "常务副总指挥", "副总指挥")


def expected_from(path, aliases: dict | None = None) -> tuple[dict[str, set[str]], ReadResult]:
    """Expected submitters by archive kind from an assignments ledger or a roster (--expect)."""
    from bqw.io.reader import read_ledger

    res = read_ledger(path, aliases=aliases)  # bqw.toml [aliases]
    out: dict[str, set[str]] = {}
    assignments = res.table("assignments")
    roster = res.table("roster")
    if assignments is not None and "镇领导" in assignments.frame:
        out["visits"] = set(assignments.frame["镇领导"].dropna())
    if roster is not None and "visits" not in out:
        frame = roster.frame
        if {"姓名", "指挥部职务"} <= set(frame.columns):
            out["visits"] = set(frame.loc[frame["指挥部职务"].isin(LEADER_POSTS), "姓名"].dropna())
    return out, res


def workspace_expected(cfg) -> dict[str, set[str]]:
    """Who should report, from the workspace's assignments (visits) and roster (units)."""
    expected: dict[str, set[str]] = {RECTIFICATION_FAMILY: set()}  # open-task units are added from the archive
    for path in (cfg.roster, cfg.assignments):  # assignments last: it names the leaders best
        if path is not None and Path(path).exists():
            found, _res = expected_from(path, cfg.aliases)
            expected.update(found)
    return expected

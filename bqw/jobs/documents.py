"""The documents' data from the archive: gather() makes the Source a 通报 or 简报 is written from
(bqw.documents.source), write_all() writes a period's whole set for `bqw run` (docs/documents.md).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bqw.core.periods import Period, PeriodKind
from bqw.documents.source import Source, decisions, drop_blank_items, task_rows
from bqw.summary.decisions import DETAIL_TABLE as MEETING_DETAIL
from bqw.ledgers.family import RECTIFICATION_FAMILY
from bqw.store.rebuild import build_ledger, latest_lists, ledger_of


def gather(cfg, store, *, period: str, as_of: date, assignments: dict | None = None,
           expected: dict | None = None, context: bool = True, visit_ledger: dict | None = None) -> Source:
    """Summaries of visits and tasks for `period` as of `as_of`, with their rows.

    `assignments` / `expected` default to the workspace's (挂点安排表, 应报名单) when `context`.
    `visit_ledger`: the period's visit ledger when the caller has rebuilt it already (bqw run).
    """
    from bqw.io.expected import workspace_expected
    from bqw.jobs.data import summaries

    span = Period.parse(period)  # any period: a week, a month, a quarter, a half, a year
    months = list(span.months)
    if context and assignments is None:
        assignments = _assignments(cfg, span.last_month)
    if context and expected is None:
        expected = workspace_expected(cfg)
    found = summaries(cfg, store, period=period, as_of=as_of, kinds=("visits", RECTIFICATION_FAMILY, "decisions"),
                      assignments=assignments, expected=expected)
    counted = min(as_of, span.end)  # what the summaries count: the period as it ended (bqw.jobs.data)
    src = Source(period=span.key, as_of=counted)
    if "visits" in found and store.submissions(kind="visits", status="current", periods=months):
        src.visits = found["visits"].to_json()
        ledger = visit_ledger if visit_ledger is not None else build_ledger(store, "visits", months, as_of)
        src.visit_rows = _visit_rows(ledger, span)
    if RECTIFICATION_FAMILY in found:
        src.tasks = found[RECTIFICATION_FAMILY].to_json()
        drop_blank_items(src.tasks)
        raw = _raw_task_frames(store, span.last_month, counted)
        src.task_rows = task_rows(found[RECTIFICATION_FAMILY], raw)
        src.decisions, src.decision_rows = decisions(raw, counted)
    if "decisions" in found:  # the 会议议定事项台账: the 议定事项通报 uses its meeting columns
        src.meetings = found["decisions"].to_json()
        src.meeting_rows = next(t.frame for t in found["decisions"].tables() if t.name == MEETING_DETAIL)
    src.reporting = reporting_json(cfg, store, period, as_of, expected)
    if context:
        src.posts = roster_posts(cfg, store, span.last_month, counted)
    return src


def roster_posts(cfg, store, period: str, as_of: date) -> dict[str, list[str]] | None:
    """姓名 → [职务, 指挥部职务] from the workspace's roster file (bqw.toml [ledgers] roster), else from the
    archive's latest roster lists up to `period`; None when neither holds a roster (nobody's post is known)."""
    frame = None
    path = cfg.existing(cfg.roster) if cfg.roster is not None else None
    if path is not None:
        from bqw.io.reader import read_ledger

        table = read_ledger(path, "roster", limits=cfg.make_limits(), enums=cfg.enums,
                            aliases=cfg.aliases).table("roster")
        frame = table.frame if table is not None else None
    else:
        subs = latest_lists(store, "roster", period)
        if subs:
            frame = ledger_of(store, "roster", subs, as_of).get("roster", (None, None))[0]
    if frame is None or "姓名" not in frame:
        return None
    posts: dict[str, list[str]] = {}
    for row in frame.to_dict("records"):
        name = str(row.get("姓名") or "").strip()
        if name and name != "nan":
            posts.setdefault(name, []).extend(
                str(row[c]).strip() for c in ("职务", "指挥部职务") if row.get(c) == row.get(c) and row.get(c))
    return posts


def reporting_json(cfg, store, period: str, as_of: date, expected: dict | None) -> dict | None:
    """The reporting summary's JSON (按时/逾期/未报送 against bqw.toml's deadlines), or None."""
    from bqw.summary.reporting import reporting_from_archive

    found = reporting_from_archive(store, period=period, as_of=as_of, expected=expected,
                                   deadline_days=cfg.deadline_days)
    return None if found is None else found.to_json()


def _assignments(cfg, period: str) -> dict | None:
    path = cfg.existing(cfg.assignments) if cfg.assignments is not None else None
    if path is None:
        return None
    from bqw.jobs.validate import load_context

    ctx, _reads = load_context(period, path, None, cfg=cfg)
    return ctx.assignments


def _raw_task_frames(store, period: str, as_of: date) -> dict:
    """{problems, responsibilities, tasks}: the accepted frames of the current rectification lists
    (the same lists bqw.jobs.data.summaries counts)."""
    subs = latest_lists(store, RECTIFICATION_FAMILY, period)
    if not subs:
        return {}
    ledger = ledger_of(store, RECTIFICATION_FAMILY, subs, as_of)
    return {k: ledger[k][0] for k in ("problems", "responsibilities", "tasks") if k in ledger}


def _visit_rows(ledger: dict, span: Period):
    """The period's accepted visit rows (for 调研成效), from its visit ledger: its months' rows, a week's by day."""
    accepted = ledger.get("visits", (None, None))[0]
    if accepted is None or not len(accepted):
        return None
    if "月份" in accepted:
        accepted = accepted[accepted["月份"].isin(span.months)]
    if span.kind is PeriodKind.week and "调研时间" in accepted:
        import pandas as pd

        when = pd.to_datetime(accepted["调研时间"], errors="coerce")
        accepted = accepted[(when >= pd.Timestamp(span.start)) & (when <= pd.Timestamp(span.end))]
    return accepted.reset_index(drop=True)


def write_all(cfg, store, period: str, as_of: date, out_dir: Path, *, day: date | None = None,
              render: bool = True, visit_ledger: dict | None = None) -> list[Path]:
    """What `bqw run` writes for a period: the 进展通报, a “一对一”通报 for each unit with overdue or
    due-soon items (nothing overdue or at risk: no 一对一通报), the 议定事项通报 (when there are 会议议定 tasks) and a 简报; parts without data are
    left out. Numbers are kept in the archive (`store`), so writing again keeps them."""
    from bqw.documents import tongbao as T
    from bqw.documents.build import Planned, plan_jianbao, plan_tongbao, produce
    from bqw.documents.source import NoData

    day = day or date.today()
    src = gather(cfg, store, period=period, as_of=as_of, visit_ledger=visit_ledger)
    planned: list[Planned] = []
    for kind, kw in ((T.PROGRESS, {}), (T.PROBLEM, {"at_risk": True}), (T.DECISION, {})):
        try:
            planned += plan_tongbao(cfg, src, kind, day=day, **kw)
        except NoData:
            pass
    try:
        planned.append(plan_jianbao(cfg, src, day=day))
    except NoData:
        pass
    return [w.path for w in produce(cfg, store.db, planned, Path(out_dir), render=render)]

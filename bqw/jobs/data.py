"""Ledgers and summaries from the archive — what `bqw summarise`, `bqw run` and the documents count.

Only current submissions count (duplicates are stored once, superseded ones are left out), and
only accepted rows (rows held back in 待核实 never count).
"""

from __future__ import annotations

from datetime import date

from bqw.core.periods import Period, PeriodKind
from bqw.ledgers.family import RECTIFICATION_FAMILY
from bqw.store.archive import Archive
from bqw.store.rebuild import build_ledger, latest_lists, ledger_of, year_periods


# what the visits summary reads of a year's records (a province's year holds 768,000 of them)
# (月份 is stored with every archived visit, from its 调研时间, so the date itself is not read)
VISIT_COLUMNS = ["镇领导", "调研地点", "调研天数", "推动解决问题数量", "月份"]


# what the tasks summary reads of the three lists (their other columns are for the merged ledger)
TASK_COLUMNS = ["问题编号", "责任单位", "任务编号", "任务内容", "任务来源", "牵头单位", "完成状态", "进展情况",
                "完成时限", "完成时间", "长期任务"]


def summaries(cfg, store: Archive, *, period: str | None, as_of: date, kinds=("visits", RECTIFICATION_FAMILY),
              assignments: dict | None = None, expected: dict | None = None) -> dict:
    """{kind: Summary} for the kinds the archive holds (visits need a period; "reporting", the 台账报送情况 of
    the visit ledgers, a period and the expected submitters of visits)."""
    from bqw.summary.roster import summarise_roster
    from bqw.summary.scores import summarise_scores
    from bqw.store.history import month_task_states
    from bqw.summary.tasks import Escalation, summarise_tasks

    out = {}
    span = Period.parse(period) if period else None
    # the running lists as they stood at the period's end: each submitter's latest up to its last month, the
    # tasks counted on its last day (a report made later still says how the period ended)
    counted = min(as_of, span.end) if span else as_of
    lists = {k: latest_lists(store, k, span and span.last_month)
             for k in (RECTIFICATION_FAMILY, "roster", "scores", "decisions") if k in kinds}
    if "visits" in kinds and span and (assignments or year_periods(store, "visits", span.last_month)):
        # a period without visit ledgers still has the year's pace (November, December): only a year
        # with neither assignments nor any visit ledger has no visits summary
        out["visits"] = _visits_summary(cfg, store, span, as_of, assignments, expected)
    responsibilities = None  # the 责任清单: the 年考评 counts its 责任单位
    for kind, subs in lists.items():
        if not subs:
            continue
        ledger = ledger_of(store, kind, subs, counted, columns=TASK_COLUMNS if kind == RECTIFICATION_FAMILY else None)
        if kind == RECTIFICATION_FAMILY:
            out[kind] = summarise_tasks(ledger["problems"][0], ledger["responsibilities"][0], ledger["tasks"][0],
                                      as_of=counted, due_soon_days=cfg.due_soon_days, escalation=Escalation(
                                          cfg.supervise_days, cfg.interview_days, cfg.listing_months),
                                      history=month_task_states(store, kind, counted.strftime("%Y-%m")))
        elif kind == "roster":
            out[kind] = summarise_roster(ledger["roster"][0])
        elif kind == "decisions":
            from bqw.summary.decisions import summarise_decisions

            out[kind] = summarise_decisions(ledger["decisions"][0], as_of=counted, period=span)
        else:
            out[kind] = summarise_scores(ledger["scores"][0], standard=cfg.score_standard)
        if kind == RECTIFICATION_FAMILY:
            responsibilities = ledger["responsibilities"][0]
    if span and "visits" in kinds and RECTIFICATION_FAMILY in kinds:
        out.update(_cycle_summaries(cfg, out, span, as_of, responsibilities))
    if span is not None:
        for summary in out.values():
            _name_period(summary, span, counted)
    if "reporting" in kinds and span is not None:
        out.update(_reporting(cfg, store, span, as_of, expected, assignments))
    return out


def _reporting(cfg, store: Archive, span: Period, as_of: date, expected: dict | None, assignments) -> dict:
    """{"reporting": the 台账报送情况 as `bqw run` writes it} (its JSON names its period itself). The visit
    ledgers are judged only when the leaders expected to report are known (the workspace's lists or
    --assignments): otherwise everyone who reported would be all there was to report. The rectification
    lists are owed by the units with open tasks (bqw.summary.reporting.task_owing)."""
    from bqw.ledgers.family import RECTIFICATION_FAMILY
    from bqw.output.ledger import kind_title
    from bqw.summary.reporting import reporting_from_archive

    leaders = set((expected or {}).get("visits") or ()) or set(assignments or ())
    kinds = ("visits", RECTIFICATION_FAMILY) if leaders else (RECTIFICATION_FAMILY,)
    found = reporting_from_archive(store, period=span, as_of=as_of, expected={**(expected or {}), "visits": leaders},
                                   deadline_days=cfg.deadline_days, kinds=kinds,
                                   titles={fam: kind_title(fam) for fam in kinds})
    return {} if found is None else {"reporting": found}


def _name_period(summary, span: Period, counted: date) -> None:
    """Every summary's JSON names its period, its span and the day it was counted for (right after its kind)."""
    data = summary.data
    head = {"kind": data.get("kind", summary.kind), **span.span(), "as_of": data.get("as_of", counted.isoformat())}
    summary.data = head | {k: v for k, v in data.items() if k not in head}


def _cycle_summaries(cfg, found: dict, period: Period, as_of: date, responsibilities) -> dict:
    """A year's 年考评 (evaluation) and a quarter's 季推进 (progress), from the summaries already made."""
    from bqw.summary.evaluation import Rules, summarise_evaluation
    from bqw.summary.progress import summarise_progress

    visits = found["visits"].to_json() if "visits" in found else None
    tasks = found.get(RECTIFICATION_FAMILY)
    if period.kind is PeriodKind.year and (visits or tasks or "scores" in found):
        scores = found["scores"].to_json() if "scores" in found else None
        return {"evaluation": summarise_evaluation(period=period, as_of=as_of, visits=visits, tasks=tasks,
                                                   responsibilities=responsibilities, scores=scores,
                                                   rules=Rules.of(cfg))}
    if period.kind is PeriodKind.quarter and (visits or tasks):
        return {"progress": summarise_progress(period=period, as_of=min(as_of, period.end), visits=visits,
                                               tasks=tasks, rules=Rules.of(cfg))}
    return {}


def _visits_summary(cfg, store: Archive, period: Period, as_of: date, assignments, expected):
    from bqw.summary.visits import Targets, summarise_visits

    columns = VISIT_COLUMNS + (["调研时间"] if period.kind is PeriodKind.week else [])  # a week is chosen by day
    accepted, _held = build_ledger(store, "visits", year_periods(store, "visits", period.last_month), as_of,
                                   columns=columns)["visits"]
    submitted = {s.submitter for m in period.months for s in store.submissions(kind="visits", status="current", period=m)}
    if "月份" in accepted and "镇领导" in accepted:
        submitted |= set(accepted.loc[accepted["月份"].isin(period.months), "镇领导"].dropna())
    # pace is judged for the period's end, even when the report is made later (5 November for October)
    return summarise_visits(
        accepted, period=period, as_of=min(as_of, period.end), assignments=assignments,
        targets=Targets(cfg.target_visits, cfg.target_days, cfg.target_unit), submitted=submitted,
        expected=(expected or {}).get("visits"))

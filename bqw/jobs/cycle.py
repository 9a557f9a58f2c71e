"""The year's and the quarter's 通报 from the archive (`bqw tongbao --type 年度|季度`, docs/documents.md):
the summaries of the period (bqw.jobs.data.summaries, with the 年考评 or 季推进 among them), then the plan."""

from __future__ import annotations

from datetime import date

from bqw.core.periods import Period
from bqw.ledgers.family import RECTIFICATION_FAMILY


def plan_cycle(cfg, store, kind: str, *, period: str, as_of: date | None, day: date) -> tuple[list, date]:
    """(planned documents, the as-of day counted): as-of defaults to the period's end, or today while it runs."""
    from bqw.documents.annual import plan
    from bqw.io.expected import workspace_expected
    from bqw.jobs.data import summaries
    from bqw.jobs.documents import _assignments

    p = Period.parse(period)
    as_of = as_of or min(p.end, date.today())
    found = summaries(cfg, store, period=p.key, as_of=as_of, kinds=("visits", RECTIFICATION_FAMILY, "scores"),
                      assignments=_assignments(cfg, p.last_month), expected=workspace_expected(cfg))
    return plan(cfg, found, kind, day=day), as_of

"""Archive kinds: each ledger kind is its own, except the three rectification lists (问题清单,
责任清单, 任务清单), which travel together — in one workbook, one submission, one merged ledger —
under the kind RECTIFICATION_FAMILY (also what users type: `--kind tasks`)."""

from __future__ import annotations

from bqw.ledgers import RECTIFICATION

RECTIFICATION_FAMILY = "tasks"


def family(kind: str | None) -> str | None:
    """The archive kind of a file or table kind."""
    return RECTIFICATION_FAMILY if kind in RECTIFICATION else kind


def table_kinds(fam: str) -> tuple[str, ...]:
    """The table kinds filed under an archive kind."""
    return RECTIFICATION if fam == RECTIFICATION_FAMILY else (fam,)

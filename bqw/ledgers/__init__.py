"""Registry of ledger kinds (docs/ledgers.md). Importing it is cheap: no pandas, no pandera."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bqw.ledgers.spec import LedgerSpec, ReadFacts


@dataclass
class Context:
    """What validation knows beyond the sheet itself (--period, --assignments, --roster)."""

    period: str | None = None  # "YYYY-MM"
    assignments: dict[str, list[str]] | None = None  # leader -> assigned villages
    roster_names: set[str] | None = None
    roster_units: set[str] | None = None
    as_of: date | None = None
    notes: list[str] = field(default_factory=list)
    enums: dict[str, tuple[str, ...]] | None = None  # canonical column -> allowed values (bqw.toml [enums])
    limits: object | None = None  # bqw.core.limits.Limits
    # extra header wordings by kind and canonical column (bqw.toml [aliases]): {"visits": {"调研地点": ("调研村居",)}}
    aliases: dict[str, dict[str, tuple[str, ...]]] | None = None
    year: int | None = None  # the workspace's year (bqw.toml [unit] year): a period far from it is an error


def derive_read_columns(kind: str, data: dict, facts: ReadFacts) -> str | None:
    """The kind's derived columns of a sheet just read, added to `data` (canonical column -> array):
    visits 镇领导 filled, 调研天数, 月份; scores 评价年度; the rectification lists 长期任务.
    Returns the month all of a visit sheet's dates fall in (its period when it says none), else None."""
    from bqw.ledgers import rectification, scores, visits

    if kind == "visits":
        return visits.derive_columns(data, facts)
    if kind == "scores":
        scores.derive_columns(data, facts)
    else:
        rectification.derive_standing(data, facts)
    return None


def derive_merged(kind: str, frame, as_of):
    """The kind's derived columns of a merged ledger recomputed (tasks: 是否逾期, 逾期天数, 超期完成 as of
    `as_of`; scores: group subtotals, 总分, 一票否决; decisions: 是否逾期, 逾期天数, 落实计划报送情况); other
    kinds' frames as they are."""
    if kind == "tasks":
        from bqw.ledgers.rectification import derive_tasks

        return derive_tasks(frame, as_of)
    if kind == "scores":
        from bqw.ledgers.scores import derive_scores

        return derive_scores(frame)
    if kind == "decisions":
        from bqw.ledgers.decisions import derive_decisions

        return derive_decisions(frame, as_of)
    return frame


def _load() -> dict[str, LedgerSpec]:
    from bqw.ledgers import assignments, decisions, rectification, roster, scores, visits

    specs = [visits.SPEC, assignments.SPEC, roster.SPEC, *rectification.SPECS, scores.SPEC, decisions.SPEC]
    return {s.kind: s for s in specs}


_SPECS: dict[str, LedgerSpec] | None = None


def specs() -> dict[str, LedgerSpec]:
    global _SPECS
    if _SPECS is None:
        _SPECS = _load()
    return _SPECS


def get_spec(kind: str) -> LedgerSpec:
    return specs()[kind]


def with_aliases(spec: LedgerSpec, extra: dict[str, tuple[str, ...]] | None) -> LedgerSpec:
    """`spec` with the office's own header wordings (bqw.toml [aliases]: canonical column -> wordings)."""
    if not extra:
        return spec
    from dataclasses import replace

    columns = tuple(replace(c, aliases=c.aliases + tuple(a for a in extra.get(c.name, ()) if a not in c.all_names))
                    for c in spec.columns)
    key = tuple(sorted((name, tuple(words)) for name, words in extra.items()))
    return replace(spec, columns=columns, alias_key=key)


KINDS = ("visits", "assignments", "roster", "problems", "responsibilities", "tasks", "scores", "decisions")
KIND_ZH = {
    "visits": "挂点调研台账", "assignments": "镇领导挂点联系村安排表", "roster": "指挥部成员名单",
    "problems": "问题清单", "responsibilities": "责任清单", "tasks": "任务清单", "scores": "典型村评价",
    "decisions": "会议议定事项台账",
}
RECTIFICATION = ("problems", "responsibilities", "tasks")

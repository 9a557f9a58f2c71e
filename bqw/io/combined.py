"""A combined 整改台账: one sheet holding the problem, responsibility and task lists, read once against
the union of their columns and split into the three lists."""

from __future__ import annotations

from dataclasses import replace

from bqw.core.table import META_PERIOD, META_UNIT, PROVENANCE, ReadResult, Table
from bqw.io.header import HeaderArea, map_header
from bqw.io.reading import Reading
from bqw.io.tables import STAND_INS, build_table, why_read
from bqw.io.book import RawSheet
from bqw.ledgers import RECTIFICATION
from bqw.ledgers import spec as S

_UNIONS: dict[tuple, S.LedgerSpec] = {}
def _union_spec(rd: Reading) -> S.LedgerSpec:
    """All columns of the three lists, once: the spec of a combined 整改台账 sheet."""
    key = tuple(rd.spec(k).alias_key for k in RECTIFICATION)
    if key not in _UNIONS:
        seen, columns, derived = set(), [], []
        for k in RECTIFICATION:
            spec = rd.spec(k)
            for c in spec.columns:
                if c.name not in seen:
                    seen.add(c.name)
                    columns.append(c)
            derived += [d for d in spec.derived if d.name not in {x.name for x in derived}]
        _UNIONS[key] = S.LedgerSpec("rectification", "整改台账", tuple(columns), (), derived=tuple(derived),
                                    alias_key=key)
    return _UNIONS[key]


def read_combined(rd: Reading, sheet: RawSheet, area: HeaderArea, hits: dict) -> list[Table]:
    """One sheet holding problems, responsibilities and tasks: read once, split into three."""
    result = rd.result
    union = _union_spec(rd)
    seen = set(union.names)
    match = max(hits.values(), key=lambda m: len(m.columns))
    # the header against every column of the three lists: a list recognised on its own may lack its
    # key columns here (no 问题编号), and its other columns still belong to it
    merged = map_header(area, match.rows, union)
    probe = []  # findings of the union read; required-column checks are redone per kind
    union_rd = replace(rd, result=ReadResult(rd.book.path, findings=probe))
    table = build_table(union_rd, sheet, union, merged)
    result.findings.extend(f for f in probe if f.code != "missing-column")
    frame = table.frame
    # A task row whose problem and responsibility cells are all blank continues the problem above: its
    # cells were merged down (a CSV export, an unmerged copy), or left blank under the first task.
    upper = [c for k in ("problems", "responsibilities") for c in rd.spec(k).names
             if c in frame and c != "序号" and c not in rd.spec("tasks").names or c == "问题编号" and c in frame]
    upper = list(dict.fromkeys(upper))
    if upper:
        below = frame[upper].isna().all(axis=1)
        # a task column read from a responsibility column (牵头单位 from 责任单位) continues with it
        copies = [n for n, src in STAND_INS["rectification"].items()
                  if src in upper and n in frame and table.letters.get(n) == table.letters.get(src)]
        if below.any():
            frame.loc[below, upper + copies] = frame[upper + copies].ffill()[below]
    if "问题编号" not in frame and "问题描述" in frame:
        keys = frame["问题描述"].ffill()
        ids = {d: f"问题{i}" for i, d in enumerate(dict.fromkeys(keys.dropna()), 1)}
        frame["问题编号"] = keys.map(ids)
        result.notes.append(f"工作表“{sheet.name}”没有“问题编号”列，已按问题描述依次编为 问题1、问题2……")
    provenance = [c for c in frame.columns if c in PROVENANCE or c in (META_UNIT, META_PERIOD)]
    # derived columns and the columns bqw does not know go with the task list, one row per record
    extras = [c for c in frame.columns if c not in seen and c not in provenance]
    layout = table.layout
    layout.kind = "rectification"
    layout.reason = "一张表中含问题清单、责任清单、任务清单的列（合并式整改台账）：" + "；".join(
        why_read(rd.spec(k), hits[k]) for k in hits)
    parts = []
    for k in RECTIFICATION:
        spec = rd.spec(k)
        cols = [c for c in spec.names if c in frame]
        sub = frame[cols + (extras if k == "tasks" else []) + provenance]
        content = [c for c in cols if c not in ("序号", "问题编号")]
        if not content:
            continue
        sub = sub[sub[content].notna().any(axis=1)]
        if k != "tasks":  # one record per problem / responsibility, at its first row
            key = [c for c in cols if c != "序号"]
            sub = sub[~sub[key].astype(str).duplicated(keep="first")]
        if sub.empty:
            continue
        part = Table(k, sub.copy(), table.file, table.sheet,
                     {c: table.letters[c] for c in [*cols, *extras] if c in table.letters},
                     table.header_rows, dict(table.meta), list(table.dropped) if k == "tasks" else [],
                     {x for x in table.bad_cells if x[1] in cols}, table.raw, layout=layout)
        for name in spec.required:
            if name not in part.frame:
                aliases = "、".join(spec.column(name).all_names[:6])
                result.findings.append(part.finding("missing-column", None, name, aliases=aliases))
        result.tables.append(part)
        parts.append(part)
    return parts

"""Validate what was read: pandera schemas per kind, then row, sheet, cross-sheet and cross-ledger rules.

``validate(result, ctx)`` returns a new ReadResult whose findings are the reader's and every rule's,
sorted by sheet and cell; the one it is given is left as it was. pandera's failure_cases index is the Excel row (bqw.io.reader sets it), and
each check's ``error`` is a rule code (bqw.core.findings), so every failure becomes a Finding at
its cell.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from bqw.core.findings import MAX_SAME, Finding, cap, overflow
from bqw.ledgers import RECTIFICATION, Context, get_spec
from bqw.ledgers.common import duplicates
from bqw.ledgers.spec import YESNO
from bqw.core.table import ReadResult, Table

# pandera's name for a nullability failure -> our rule code
_PANDERA_CODES = {"not_nullable": "required"}


def schema_findings(table: Table) -> list[Finding]:
    """Run the kind's pandera schema lazily and turn failure cases into findings."""
    return schema_findings_batch([table])[0]


def schema_findings_batch(tables: list[Table]) -> list[list[Finding]]:
    """pandera once over many tables (a merge of 1,600 files), findings handed back per table.

    Tables are grouped by kind and by the columns they have (a missing column is reported as
    missing-column, not as a blank in every row); each group is one frame indexed (table, Excel row).
    """
    import pandas as pd
    import pandera.pandas as pa

    from bqw.ledgers.spec import pandera_schema

    out: list[list[Finding]] = [[] for _ in tables]
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, t in enumerate(tables):
        spec = get_spec(t.kind)
        columns = tuple(c for c in spec.names if c in t.frame)
        if not t.frame.empty and columns:
            groups[(t.kind, columns)].append(i)
    for (kind, columns), idxs in groups.items():
        spec = get_spec(kind)
        # one frame, indexed 0..n-1; owner[k] says which table and Excel row position k came from
        # (integers: pandera may turn tuple index labels into text)
        # concatenated whole, then the columns taken once (a column subset per table costs more)
        frame = pd.concat([tables[i].frame for i in idxs], ignore_index=True)[list(columns)]
        owner = [(i, row) for i in idxs for row in tables[i].frame.index]
        try:
            pandera_schema(spec).validate(frame, lazy=True)
            continue
        except pa.errors.SchemaErrors as e:
            cases = e.failure_cases
        counts: dict[tuple, int] = {}
        firsts: dict[tuple, tuple] = {}
        for column, check, value, index in cases[["column", "check", "failure_case", "index"]].itertuples(
                index=False, name=None):
            code = _PANDERA_CODES.get(check, check)
            if code not in ("required", "count-negative", "score-above-max", "number-negative") or index is None:
                continue  # a schema-level failure we do not report as a cell finding
            i, row = owner[int(index)]
            table = tables[i]
            if (int(row), column) in table.bad_cells:
                continue  # already reported by the value parser at this cell
            key = (i, column, code)
            counts[key] = counts.get(key, 0) + 1
            if counts[key] > MAX_SAME:
                continue  # said once below (findings.cap)
            params = {"value": _fmt(value)}
            if code == "score-above-max":
                params["maximum"] = _fmt(spec.column(column).maximum)
            out[i].append(table.finding(code, int(row), column, **params))
            firsts.setdefault(key, out[i][-1])
        for (i, _column, _code), n in counts.items():
            if n > MAX_SAME:
                out[i].append(overflow(firsts[(i, _column, _code)], n))
    for i, t in enumerate(tables):
        out[i] = required_findings(t) + out[i]
    return out


def required_findings(table: Table) -> list[Finding]:
    """An empty required value at its cell — at most MAX_SAME a column, the rest said once: a column
    left empty in 100,000 rows needs no 100,000 findings (nor pandera's 100,000 failure cases)."""
    spec = get_spec(table.kind)
    frame = table.frame
    out = []
    for name in spec.required:
        if name not in frame or frame.empty:
            continue  # a missing column is reported once, as missing-column
        column = spec.column(name)
        if column.type == YESNO:
            continue  # a blank 有/无 counts as 无 (“√/空”); the kind's own check says it where it matters
        rows = [r for r in frame.index[frame[name].isna().to_numpy()].tolist()
                if (r, name) not in table.bad_cells and not _standing(table, r, column)]
        found = [table.finding("required", r, name, value="") for r in rows[:MAX_SAME]]
        if len(rows) > MAX_SAME:
            found.append(overflow(found[0], len(rows)))
        out += found
    return out


def _standing(table: Table, row: int, column) -> bool:
    """True when `column` is a deadline and the row is a standing task (bqw.core.dates.STANDING)."""
    from bqw.ledgers.rectification import STANDING_COLUMN

    return column.deadline and STANDING_COLUMN in table.frame and table.frame.at[row, STANDING_COLUMN] == "是"


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


def table_findings(table: Table, ctx: Context, schema: bool = True) -> list[Finding]:
    spec = get_spec(table.kind)
    findings = cap(schema_findings(table)) if schema else []
    for column in spec.unique:
        for row, first in duplicates(table, [column]):
            findings.append(table.finding("duplicate-id", row, column,
                                          value=table.frame.at[row, column], other=first))
    if spec.check is not None:
        findings.extend(spec.check(table, ctx))
    # identical rows are flagged (warning), never removed — unless a rule already named the repeat
    named = {f.row for f in findings if f.code in ("duplicate-id", "roster-duplicate-person",
                                                     "score-duplicate-village")}
    content = [c for c in spec.names if c in table.frame and c != "序号"]
    for row, first in duplicates(table, content, keep_na=True):
        if row not in named:
            findings.append(table.finding("duplicate-row", row, content[0], other=first))
    return cap(findings)


def validate(result: ReadResult, ctx: Context | None = None, schema: bool = True) -> ReadResult:
    """`result` with its findings completed by every rule of its kind, as a new ReadResult (the tables are
    shared, not copied; `result` itself is not changed).

    schema=False leaves out the pandera schema, for callers that run it over many files at once
    (apply_schema).
    """
    ctx = ctx or Context()
    found = list(result.findings)
    for table in result.tables:
        found.extend(table_findings(table, ctx, schema))
    far = _far_period(result, ctx)
    if far is not None:
        found.append(far)
    family = {t.kind: t for t in result.tables if t.kind in RECTIFICATION}
    if family:
        from bqw.ledgers.rectification import check_family

        found.extend(check_family(family, ctx))
    return replace(result, findings=sorted(found, key=_order))


FAR_YEARS = 1  # a ledger of last year (December's, read in January) or next is fine; further is a slip


def _far_period(result: ReadResult, ctx: Context) -> Finding | None:
    """A period more than FAR_YEARS from the workspace's year: an error for the whole file (bqw.jobs.merge
    archives nothing of it), never a new out/<period> folder and 通报 number (issue 14)."""
    if ctx.year is None or ctx.period:
        return None
    for t in result.tables:
        period = t.meta.get("period")
        if period and abs(int(period[:4]) - ctx.year) > FAR_YEARS:
            origin = t.layout.context.get("period") if t.layout else None
            return Finding("period-far-from-year", file=t.file, sheet=t.sheet, table=t.kind, params={
                "period": period, "year": ctx.year, "source": origin.source if origin else "表中日期"})
    return None


def apply_schema(results: list[ReadResult]) -> list[ReadResult]:
    """The pandera part of validate() for many results at once (see schema_findings_batch): new results,
    the ones given left as they were."""
    pairs = [(r, t) for r in results for t in r.tables]
    found: dict[int, list[Finding]] = defaultdict(list)
    for (result, _table), schema_found in zip(pairs, schema_findings_batch([t for _r, t in pairs])):
        found[id(result)].extend(cap(schema_found))
    return [replace(r, findings=sorted(r.findings + found[id(r)], key=_order)) if found[id(r)] else r
            for r in results]


def _order(f: Finding):
    from bqw.core.findings import ERROR

    col, row = _split_cell(f.cell)
    return (f.sheet or "", f.severity != ERROR, row, col, f.code)


def _split_cell(cell: str | None) -> tuple[int, int]:
    if not cell:
        return (0, 0)
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return (n, int(digits or 0))


def load_context(period: str | None = None, assignments: str | Path | None = None,
                 roster: str | Path | None = None, enums: dict | None = None,
                 limits=None, aliases: dict | None = None, cfg=None) -> tuple[Context, list[ReadResult]]:
    """Build a Context from --assignments/--roster files (returns their read results too).

    `cfg` (bqw.jobs.config.Config) gives the workspace's reading settings — enums, limits, header wordings
    — and, when there is a bqw.toml, its year (a period far from it is an error)."""
    from bqw.io.reader import read_ledger

    if cfg is not None:
        enums, limits, aliases = cfg.enums, cfg.make_limits(), cfg.aliases
    ctx = Context(period=period, enums=enums, limits=limits, aliases=aliases,
                  year=cfg.year if cfg is not None and cfg.path is not None else None)
    reads = []
    if assignments:
        res = read_ledger(assignments, "assignments", limits=limits, enums=enums, aliases=aliases)
        reads.append(res)
        t = res.table("assignments")
        if t is not None and {"镇领导", "联系行政村"} <= set(t.frame.columns):
            ctx.assignments = {}
            for leader, villages in t.frame[["镇领导", "联系行政村"]].dropna().itertuples(index=False):
                ctx.assignments.setdefault(leader, []).extend(villages.split("、"))
    if roster:
        res = read_ledger(roster, "roster", limits=limits, enums=enums, aliases=aliases)
        reads.append(res)
        t = res.table("roster")
        if t is not None:
            ctx.roster_names = set(t.frame.get("姓名", []).dropna()) if "姓名" in t.frame else set()
            ctx.roster_units = set(t.frame["单位"].dropna()) if "单位" in t.frame else set()
    return ctx, reads


def validate_file(path, kind: str | None = None, ctx: Context | None = None,
                  period: str | None = None, schema: bool = True) -> ReadResult:
    """read_ledger + validate, the library entry point behind `bqw validate`."""
    from bqw.io.reader import read_ledger

    ctx = ctx or Context(period=period)
    result = read_ledger(path, kind, period=period or ctx.period, limits=ctx.limits, enums=ctx.enums,
                         aliases=ctx.aliases)
    return validate(result, ctx, schema)


def report_dict(results: list[ReadResult]) -> dict:
    """The JSON contract of `bqw validate --format json` (docs/cli.md)."""
    return {
        "files": [
            {
                "path": str(r.path),
                "kind": r.kind,
                "rows": r.rows,
                "valid": r.valid,
                "skipped": r.skipped,
                "notes": r.notes,
                "findings": [f.to_dict() for f in r.findings],
            }
            for r in results
        ]
    }

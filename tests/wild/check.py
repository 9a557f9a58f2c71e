"""Check bqw against a case's truth: validate finds no error, and merging the file alone gives
exactly the truth's records (no held rows; the same rows as a multiset over the truth's columns).

`check(case)` returns the problems found, each with a short `klass` (what kind of failure, for the
runner's summary) and a message naming the seed and traits and showing the first differing record.
"""

from __future__ import annotations

import datetime as dt
import math
import traceback
from collections import Counter
from dataclasses import dataclass

from .generator import Case

AS_OF = dt.date(2026, 12, 31)
SHOWN = 3  # findings shown per problem
MANY = 3  # a record differing in more columns is a misread row (its own failure class)


@dataclass
class Problem:
    klass: str  # e.g. "validate:date-invalid", "held", "missing-column:长期任务", "differ:调研时间"
    message: str

    def __str__(self) -> str:
        return self.message


def check(case: Case) -> list[Problem]:
    problems = _validate(case)
    problems += _merge(case)
    return problems


def _validate(case: Case) -> list[Problem]:
    from bqw.jobs.validate import validate_file

    try:
        result = validate_file(case.path)
    except Exception as e:  # noqa: BLE001 — bqw must not raise on a clean file: report it as a failure
        return [_crash("validate", e)]
    errors = [f for f in result.findings if f.severity == "error"]
    if not errors:
        return []
    codes = sorted({f.code for f in errors})
    shown = "; ".join(f"{f.code} {f.sheet or ''}!{f.cell or ''} {f.message}" for f in errors[:SHOWN])
    return [Problem("validate:" + ",".join(codes),
                    f"validate_file gave {len(errors)} error(s) on a clean file: {shown}")]


def _merge(case: Case) -> list[Problem]:
    from bqw.store.archive import Archive
    from bqw.jobs.merge import merge

    try:
        with Archive(":memory:") as store:
            result = merge([case.path], archive=store, as_of=AS_OF, workers=1)
    except Exception as e:  # noqa: BLE001
        return [_crash("merge", e)]
    ledger = result.ledgers.get(case.family)
    if ledger is None:
        outcome = result.outcomes[0] if result.outcomes else None
        why = f"{outcome.status}: {outcome.reason}" if outcome else "no outcome"
        found = sorted(result.ledgers)
        return [Problem("no-ledger", f"merge gave no {case.family} ledger (ledgers: {found}; file {why})")]
    problems = []
    for table_kind, want in case.truth.items():
        accepted, held = ledger.get(table_kind, (None, None))
        if accepted is None:
            problems.append(Problem("no-table:" + table_kind, f"merge gave no {table_kind} table"))
            continue
        if held is not None and len(held):
            first = held.iloc[0].to_dict()
            why = first.get("问题说明")
            problems.append(Problem("held:" + table_kind,
                                    f"{table_kind}: {len(held)} row(s) held back; first: {why!s} — {_short(first)}"))
        problems += compare(table_kind, want, accepted)
    return problems


def normal(v):
    """A merged-frame value as the truth writes it: dates YYYY-MM-DD, whole numbers int, blanks None."""
    import pandas as pd

    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (dt.datetime, dt.date)):  # a Timestamp is a datetime
        return v.strftime("%Y-%m-%d")
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return int(v) if v.is_integer() else v
    return v


def as_written(v):
    """A 有/无 column's value (负面清单: boolean in the frame) as the merged workbook writes it."""
    v = normal(v)
    return v if v is None else {True: "有", False: "无"}.get(v, v)


def _yes_no_columns(table_kind: str) -> set[str]:
    from bqw.ledgers import get_spec
    from bqw.ledgers.spec import YESNO

    return {c.name for c in get_spec(table_kind).columns if c.type == YESNO}


def compare(table_kind: str, want: list[dict], frame) -> list[Problem]:
    columns = list(dict.fromkeys(c for rec in want for c in rec))
    # a column bqw leaves out is blank in every row: wrong only where the truth holds a value there
    missing = [c for c in columns if c not in frame.columns and any(rec.get(c) is not None for rec in want)]
    problems = []
    for column in missing:  # one problem per column: each is its own failure class
        problems.append(Problem(f"missing-column:{table_kind}:{column}",
                                f"{table_kind}: bqw's merged rows have no column {column!r}"))
    shared = [c for c in columns if c in frame.columns]
    yes_no = _yes_no_columns(table_kind)
    want_rows = [tuple(rec.get(c) for c in shared) for rec in want]
    got_rows = [tuple(as_written(v) if c in yes_no else normal(v) for c, v in zip(shared, row))
                for row in frame[shared].itertuples(index=False, name=None)]
    lacking = Counter(want_rows) - Counter(got_rows)
    surplus = Counter(got_rows) - Counter(want_rows)
    if not lacking and not surplus:
        return problems
    if len(want_rows) != len(got_rows):
        problems.append(Problem(f"row-count:{table_kind}",
                                f"{table_kind}: truth has {len(want_rows)} record(s), bqw merged {len(got_rows)}"))
    if lacking:
        first = next(iter(lacking))
        candidates = list(surplus) or got_rows
        if candidates:
            best = max(candidates, key=lambda g: sum(a == b for a, b in zip(first, g)))
            diff = [(c, w, g) for c, w, g in zip(shared, first, best) if w != g]
            cols = sorted(c for c, _w, _g in diff)
            shown = "; ".join(f"{c}: want {w!r}, got {g!r}" for c, w, g in diff)
            # many columns at once: rows read from the wrong place, not one value read wrong
            what = ",".join(cols) if len(cols) <= MANY else f"{len(cols)}-columns"
            problems.append(Problem(f"differ:{table_kind}:{what}",
                                    f"{table_kind}: {sum(lacking.values())} truth record(s) not in bqw's rows; "
                                    f"first: {dict(zip(shared, first))}; nearest bqw row differs in {shown}"))
        else:
            problems.append(Problem(f"no-rows:{table_kind}",
                                    f"{table_kind}: bqw merged no rows; first truth record: {dict(zip(shared, first))}"))
    elif surplus:
        extra = next(iter(surplus))
        problems.append(Problem(f"surplus:{table_kind}",
                                f"{table_kind}: {sum(surplus.values())} bqw row(s) not in the truth; "
                                f"first: {dict(zip(shared, extra))}"))
    return problems


def _short(row: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in row.items() if normal(v) is not None and k != "问题说明")[:300]


def _crash(where: str, e: Exception) -> Problem:
    tb = traceback.extract_tb(e.__traceback__)
    at = f"{tb[-1].filename.split('/')[-1]}:{tb[-1].lineno}" if tb else "?"
    return Problem(f"exception:{where}:{type(e).__name__}", f"{where} raised {type(e).__name__} at {at}: {e}")


@dataclass
class Outcome:
    """One seed's result, small enough to send between processes."""

    seed: int
    kind: str
    traits: dict[str, str]
    problems: list[Problem]
    seconds: float


def run_seed(seed: int, kind: str | None = None) -> Outcome:
    """Generate case `seed` in a temporary folder, check it, and forget the file."""
    import tempfile
    import time
    from pathlib import Path

    from .generator import generate

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bqw-wild-") as tmp:
        try:
            case = generate(seed, kind, folder=Path(tmp))
        except Exception as e:  # noqa: BLE001 — a generator bug is reported, not hidden
            return Outcome(seed, kind or "?", {}, [_crash("generate", e)], time.perf_counter() - start)
        problems = check(case)
    return Outcome(seed, case.kind, case.traits, problems, time.perf_counter() - start)

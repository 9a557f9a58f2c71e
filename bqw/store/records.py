"""A validated file's rows as the archive keeps them: one Record per row, its values and findings as
JSON, and the content hash that makes the same content one submission whatever the file.

The JSON of the values is made by the worker that read the file (`prepare`, kept in Table.plain);
the findings, known only once the batch is validated, are joined on in `records_of`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import NamedTuple

from bqw.core.findings import ERROR, Finding
from bqw.core.table import SRC_FILE, SRC_ROW, SRC_SHEET, Plain, ReadResult, Table
from bqw.core.values import date_texts

# Errors about a sheet's structure: reported, but they do not hold back the row they point at.
STRUCTURAL = {"roster-chief-count", "roster-liaison-missing", "roster-liaison-multiple"}


class Record(NamedTuple):
    """One row of a submission, as stored (table `records` and the blocks)."""

    table_kind: str
    sheet: str | None
    row: int | None
    held: bool
    data: str | dict  # JSON text of column -> value (dates YYYY-MM-DD); 序号 not kept
    findings: str | list  # JSON text of [{code, severity, cell, column, message}]
    values: dict | None = None  # `data` already decoded, when at hand (saves decoding it for the blocks)


# json.dumps with options builds a new encoder per call: these are built once
_DATA_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode
_NOTES_JSON = json.JSONEncoder(ensure_ascii=False).encode
_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _plain(v):
    """One value as JSON."""
    t = type(v)
    if t is str or t is int or t is bool or v is None:
        return v
    if t is float:
        return None if v != v else v
    import pandas as pd

    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if hasattr(v, "item"):
        v = v.item()
        return None if isinstance(v, float) and v != v else v
    return v


def json_values(col) -> list:
    """A column's values as JSON values: dates YYYY-MM-DD (for the whole column at once), NA as None."""
    if col.dtype.kind == "M":
        return date_texts(col)
    return list(map(_plain, col.tolist()))


def _plain_rows(frame, columns: list[str]) -> list[dict]:
    """The rows of `frame`'s `columns` as dicts of JSON values, converted a column at a time."""
    lists = [json_values(frame[c]) for c in columns]
    return [dict(zip(columns, row)) for row in zip(*lists)] if columns else [{} for _ in range(len(frame))]


def prepare(table: Table) -> Plain:
    """A table's records as JSON values and text — the part of records_of that does not depend on
    the findings, done by the worker that read the file."""
    columns = [c for c in table.frame.columns if c not in (SRC_FILE, SRC_SHEET, SRC_ROW, "序号")]
    rows = _plain_rows(table.frame, columns)
    return Plain(columns, rows, [_DATA_JSON(d) for d in rows])


def _row_findings(result: ReadResult, table: Table) -> tuple[dict[int, list[Finding]], list[Finding]]:
    """Findings of this table by Excel row, and its sheet-level ones."""
    by_row: dict[int, list[Finding]] = defaultdict(list)
    sheet_level = []
    columns = set(table.columns)
    for f in result.findings:
        if f.sheet is not None and f.sheet != table.sheet:
            continue
        if f.table is not None and f.table != table.kind:
            continue
        if f.table is None and f.column is not None and f.column not in columns:
            continue
        if f.row is None:
            sheet_level.append(f)
        else:
            by_row[f.row].append(f)
    return by_row, sheet_level


def records_of(result: ReadResult, tables: list[Table] | None = None) -> list[Record]:
    """Every record of a validated file (or of some of its tables).

    序号 is not kept: it is renumbered on merge (and so is not part of the content either).
    """
    out = []
    for table in result.tables if tables is None else tables:
        by_row, sheet_level = _row_findings(result, table)
        hold_all = [f for f in sheet_level if f.severity == ERROR and f.code in ("missing-column", "too-many-errors")]
        raw_by_row: dict[int, dict] = defaultdict(dict)
        for (r, col), raw in table.raw.items():
            raw_by_row[r][col] = None if raw is None else str(raw)
        plain = table.plain or prepare(table)
        for row, data, text in zip(table.row_numbers, plain.rows, plain.texts):
            found = by_row.get(row, []) + hold_all if (by_row or hold_all) else []
            held = any(f.severity == ERROR and f.code not in STRUCTURAL for f in found)
            if held and row in raw_by_row:  # show what the submitter wrote in the cells that could not be read
                data = {**data, **raw_by_row[row]}
                text = _DATA_JSON(data)
            notes = _NOTES_JSON([{"code": f.code, "severity": f.severity, "cell": f.cell, "column": f.column,
                                  "message": f.message} for f in found]) if found else "[]"
            out.append(Record(table.kind, table.sheet, int(row), held, text, notes, data))
    return out


def content_hash(kind: str, records: list[Record]) -> str:
    """Same content, same hash — whatever the file name, sheets, row order or 序号 (renumbered anyway).

    So a three-sheet rectification workbook and the combined 整改台账 with the same lists are one
    submission, as is a byte-identical copy or a re-saved file.
    """
    h = hashlib.sha256(kind.encode())
    h.update("".join(row + "\n" for row in sorted(rec.table_kind + rec.data for rec in records)).encode())
    return h.hexdigest()


# --- a column of records, as the archive's blocks table holds it -------------------------------

def block(vals: list) -> str:
    """A column's values as JSON: a list, or {"same": v, "n": n} when every row holds v (a leader's
    name, the month: most columns of a submission), or {"from": a, "n": n} for a, a+1, … a+n-1."""
    n = len(vals)
    if n > 1:
        first, kind = vals[0], type(vals[0])
        if vals.count(first) == n and len(set(map(type, vals))) == 1:  # count: 1 == 1.0 == True
            return _ENCODE({"same": first, "n": n})
        if kind is int and vals == list(range(first, first + n)):
            return _ENCODE({"from": first, "n": n})  # row numbers 4, 5, 6, …
    return _ENCODE(vals)


def unblock(text: str) -> list:
    """The values of a column stored by `block`."""
    vals = json.loads(text)
    if type(vals) is not dict:
        return vals
    return [vals["same"]] * vals["n"] if "same" in vals else list(range(vals["from"], vals["from"] + vals["n"]))

"""Checks shared by several ledger kinds."""

from __future__ import annotations

import re

from bqw.core.values import is_missing
from bqw.core.table import SMALL_TABLE

_VILLAGE_SUFFIX = re.compile(r"(村民委员会|社区居民委员会|居民委员会|村委会|居委会|社区|村)$")


def village_key(name: str | None) -> str:
    """Compare villages loosely: 东坑村 = 东坑 = 东坑村委会."""
    if not name:
        return ""
    return _VILLAGE_SUFFIX.sub("", str(name)) or str(name)


_MISSING = "\0missing"  # the key of a missing value: no cell's text holds a NUL (the reader removes them)
_NAT = -(1 << 63)  # NaT as a datetime64's integer


def _keys(col) -> list:
    """A column's values as keys that are equal when the values are: text is its own key, a date its
    integer (str() of 40 Timestamps costs more than the rest of the check), anything else its str."""
    if col.dtype.kind == "M":
        return [_MISSING if i == _NAT else i for i in col.to_numpy().view("i8").tolist()]
    return [v if type(v) is str else _MISSING if is_missing(v) else str(v) for v in col.tolist()]


def _duplicates_small(frame, columns: list[str], keep_na: bool) -> list[tuple[int, int]]:
    """duplicates() for a small frame, by dict: missing values are one value (as pandas' duplicated)."""
    keys = [_keys(frame[c]) for c in columns]
    first: dict[tuple, int] = {}
    out = []
    for row, key in zip(frame.index.tolist(), zip(*keys)):
        if not keep_na and _MISSING in key:
            continue
        if key in first:
            out.append((row, first[key]))
        else:
            first[key] = row
    return out


def duplicates(table, columns: list[str], keep_na: bool = False) -> list[tuple[int, int]]:
    """(row, first_row) for each row whose values in `columns` repeat an earlier row's.

    Rows with a blank in `columns` are left out, unless keep_na (whole-row duplicates).
    """
    frame = table.frame
    if not columns or any(c not in frame.columns for c in columns):
        return []
    if len(frame) <= SMALL_TABLE:
        return _duplicates_small(frame, columns, keep_na)
    sub = frame[columns] if keep_na else frame[columns].dropna()
    try:
        involved = sub.duplicated(keep=False)  # vectorised: only repeated rows are walked below
    except TypeError:  # unhashable cells (lists): compare all rows as text
        involved = sub.astype(str).duplicated(keep=False)
    if not involved.any():
        return []
    first: dict[tuple, int] = {}
    out = []
    for row, *key in sub[involved].itertuples(name=None):
        key = tuple(str(k) for k in key)
        if key in first:
            out.append((row, first[key]))
        else:
            first[key] = row
    return out

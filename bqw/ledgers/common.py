"""Checks shared by several ledger kinds."""

from __future__ import annotations

import re

from bqw.io.values import is_missing
from bqw.table import SMALL_TABLE

_VILLAGE_SUFFIX = re.compile(r"(村民委员会|社区居民委员会|居民委员会|村委会|居委会|社区|村)$")


def village_key(name: str | None) -> str:
    """Compare villages loosely: 东坑村 = 东坑 = 东坑村委会."""
    if not name:
        return ""
    return _VILLAGE_SUFFIX.sub("", str(name)) or str(name)


def _duplicates_small(frame, columns: list[str], keep_na: bool) -> list[tuple[int, int]]:
    """duplicates() for a small frame, by dict: missing values are one value (as pandas' duplicated)."""
    first: dict[tuple, int] = {}
    out = []
    lists = [frame[c].tolist() for c in columns]
    for row, *values in zip(frame.index.tolist(), *lists):
        gaps = [is_missing(v) for v in values]
        if any(gaps) and not keep_na:
            continue
        key = tuple("\0missing" if gap else str(v) for v, gap in zip(values, gaps))
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

"""Cell values into typed columns: one canonical column's cells parsed (bqw.core.values, .numbers, .dates, .enums), bad ones
reported at their cell, “同上” filled from the row above, and the result as a typed pandas array."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from bqw.core import dates as D
from bqw.core import enums as E
from bqw.core import numbers as N
from bqw.core import values as V
from bqw.core.arrays import text_array
from bqw.core.findings import MAX_SAME, Finding, col_letter, overflow
from bqw.ledgers import spec as S

CONTROL_CHARS = V.CONTROL_CHARS
SAME_AS_ABOVE = {"同上", "〃", "”", "同前", "同左"}
PLACEHOLDERS = {"/", "／", "-", "—", "——", "－", "无数据", "暂无", "\\"}


def raw_values(sheet, rows, cols, column, fill) -> list:
    """The cell values of one canonical column over the data rows (merged cells filled)."""
    grid = sheet.rows
    if len(cols) == 1:
        c = cols[0]
        values = [grid[r][c] if c < len(grid[r]) else "" for r in rows]
        if fill:
            for start, end, value in fill.spans(c):  # rows is sorted: each span is a slice of it
                for i in range(bisect_left(rows, start), bisect_right(rows, end)):
                    values[i] = value
        return values
    out = []
    for r in rows:  # a canonical column spread over sub-columns (调研成效 over two)
        row = grid[r]
        values = [fill.get((r, c), row[c] if c < len(row) else "") for c in cols]
        if column.type == S.TEXT:
            parts = [V.clean_text(v) for v in values]
            out.append("；".join(p for p in parts if p) or None)
        else:
            out.append(next((v for v in values if not V.is_blank(v)), None))
    return out


def parse_one(raw, column: S.Column, year, date1904: bool = False):
    """(value, days, error code, error params, [(warning code, params)]) for one distinct cell value;
    `date1904`: the workbook's serials count from 1904 (Book.date1904)."""
    parsed, n_days = parse_value(raw, column, year, date1904)
    if parsed.error:
        params = {"value": shown(raw)}
        if parsed.error == "enum-invalid":
            params["allowed"] = "、".join(column.enum)
        return None, None, parsed.error, params, ()
    v, notes = parsed.value, []
    if parsed.note:  # read, with a caveat: a number cell 9.3 is September 3, or 9.30 without its 0
        notes.append((parsed.note, {"value": shown(raw), "parsed": V.clean_text(v)}))
    if column.type in (S.CONTACT, S.PHONE) and v:
        valid, invalid = V.find_phones(v)
        if invalid or (column.type == S.PHONE and not valid):
            # a phone column must hold a valid number (error); phones inside contact text: warning
            code = "phone-column-invalid" if column.type == S.PHONE else "phone-invalid"
            notes.append((code, {"value": "、".join(invalid) or v}))
    if isinstance(v, str) and V.too_long_for_excel(v):
        notes.append(("text-too-long", {"length": V.excel_length(v)}))
    if isinstance(v, str) and CONTROL_CHARS.search(v):
        v = CONTROL_CHARS.sub("", v)
        notes.append(("text-control-chars", {}))
    return v, n_days, None, None, notes


def parse_column(sheet, rows, cols, column, fill, year, table, result, date1904: bool = False):
    """Parse one canonical column over the data rows; bad values become findings at their cell.

    Each distinct value is parsed once: a column of 100,000 rows holds far fewer distinct values.
    """
    letter = col_letter(cols[0])
    raws = raw_values(sheet, rows, cols, column, fill)
    cache: dict = {}
    out, days = [], []
    previous = (None, None)
    counts: dict[str, int] = {}  # findings by rule in this column
    firsts: dict[str, Finding] = {}
    same_as_above = column.type != S.SERIAL  # “同上”, “〃”: the value of the row above, in any column
    get = cache.get
    for r, raw in zip(rows, raws):
        t = type(raw)
        if same_as_above and t is str and len(raw) <= 8 and raw.strip() in SAME_AS_ABOVE:
            out.append(previous[0])
            days.append(previous[1])
            continue
        key = raw if t is str else (t, raw)  # 1, 1.0 and True are equal keys in a dict: keep them apart
        try:
            parsed = get(key)
            if parsed is None:
                parsed = cache[key] = parse_one(raw, column, year, date1904)
        except TypeError:  # an unhashable value: parse it on its own
            parsed = parse_one(raw, column, year, date1904)
        v, n_days, error, params, notes = parsed
        if error or notes:  # rare: most cells parse cleanly
            excel_row = r + 1
            if error:
                table.bad_cells.add((excel_row, column.name))
                table.raw[(excel_row, column.name)] = raw
            for code, code_params in ([(error, params)] if error else []) + list(notes):
                counts[code] = counts.get(code, 0) + 1
                if counts[code] <= MAX_SAME:  # the rest are said once, below (findings.cap)
                    found = Finding(code, file=table.file, sheet=table.sheet, cell=f"{letter}{excel_row}",
                                    row=excel_row, column=column.name, params=code_params)
                    firsts.setdefault(code, found)
                    result.findings.append(found)
        if same_as_above and v in SAME_AS_ABOVE:  # “同 上” written with a space
            v, n_days = previous
        if v is not None:
            previous = (v, n_days)
        out.append(v)
        days.append(n_days)
    result.findings += [overflow(firsts[code], n) for code, n in counts.items() if n > MAX_SAME]
    return out, days


def shown(raw) -> str:
    text = V.clean_text(raw)
    if text is None:
        return ""
    text = CONTROL_CHARS.sub("", text)
    return text if len(text) <= 40 else text[:40] + "…"


def parse_value(value, column: S.Column, year, date1904: bool = False):
    t = column.type
    if t not in (S.TEXT, S.CONTACT, S.NAME, S.SERIAL) and isinstance(value, str) \
            and value.strip() in PLACEHOLDERS:
        value = None  # “/” or “—” in a number or date cell means “nothing to report”
    if t == S.TEXT or t == S.CONTACT or t == S.PHONE:
        return V.Parsed(V.clean_text(value), None), None
    if t == S.NAME:
        return V.Parsed(V.clean_name(value), None), None
    if t == S.SERIAL:
        return V.Parsed(V.clean_text(value), None), None
    if t == S.COUNT:
        return N.parse_count(value), None
    if t == S.NUMBER:
        return N.parse_number(value), None
    if t in (S.DATE, S.DATERANGE):
        p = D.parse_deadline(value, year, date1904) if column.deadline else D.parse_date(value, year, date1904)
        if p.error or p.value is None:
            return p, p.extra  # D.STANDING for a standing task (“长期坚持”): collected as 长期任务
        n = p.extra or 1
        if column.range_end and n > 1:
            import datetime as dt

            return V.Parsed(p.value + dt.timedelta(days=n - 1), None, 1), 1
        return p, n
    if t == S.ENUM:
        return E.parse_enum(value, column.enum, column.synonyms), None
    if t == S.YESNO:
        # an empty cell stays empty: it counts as 无 (“√/空” sheets), but in a 负面清单 a blank may hide a
        # veto, so the kind's check says it (ledgers/scores.py, score-negative-blank)
        return E.parse_yes_no(value), None
    if t == S.LIST:
        items = E.split_list(value)
        return V.Parsed("、".join(items) if items else None, None), None
    raise ValueError(t)


def typed_array(values: list, kind: str):
    """A parsed column as a typed pandas array: datetime64, Int64, float64, boolean or object."""
    import pandas as pd

    if kind in (S.DATE, S.DATERANGE):
        return pd.to_datetime(pd.Series(values, dtype=object), errors="coerce").array
    if kind == S.COUNT:
        return pd.array(values, dtype="Int64")
    if kind == S.NUMBER:
        return pd.array([float("nan") if v is None else float(v) for v in values], dtype="float64")
    if kind == S.YESNO:
        return pd.array(values, dtype="boolean")
    return text_array(values)


def shown_text(v) -> str | None:
    """A cell of a kept column as text, control characters removed."""
    text = V.clean_text(v)
    return CONTROL_CHARS.sub("", text) if text and CONTROL_CHARS.search(text) else text

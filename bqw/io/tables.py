"""A sheet under a recognised header into a Table: its records, typed columns, derived columns,
provenance and layout (what each row and column became, and why)."""

from __future__ import annotations

import re
from dataclasses import replace

from bqw.core import dates as D
from bqw.core import numbers as N
from bqw.core import values as V
from bqw.core.arrays import text_array
from bqw.core.findings import MAX_SAME, Finding, col_letter, overflow
from bqw.core.table import (COLUMN_IGNORED, COLUMN_KEPT, COLUMN_READ, DROP_BLANK, FROM_COLUMN, FROM_DATES,
                            META_PERIOD, META_UNIT, PROVENANCE, SRC_FILE, SRC_ROW, SRC_SHEET, ColumnRead, Origin,
                            SheetLayout, Table)
from bqw.io.cells import parse_column, raw_values, shown, shown_text, typed_array
from bqw.io.header import HeaderMatch, is_placeholder
from bqw.io.merged import MergeFill, data_fill
from bqw.io.reading import Reading
from bqw.io.rows import RowRules, classify, has_value
from bqw.io.titleblock import SheetContext, file_name_period, sheet_context
from bqw.io.book import RawSheet
from bqw.ledgers import derive_read_columns
from bqw.ledgers import spec as S
from bqw.ledgers.spec import ReadFacts

# A required column that may be missing when another one stands in for it (kind -> {column: stand-in}).
STAND_INS = {"tasks": {"任务编号": "序号"},
             "rectification": {"任务编号": "序号", "牵头单位": "责任单位"}}


def build_table(rd: Reading, sheet: RawSheet, spec: S.LedgerSpec, match: HeaderMatch) -> Table:
    """The records under `match`, typed, with the kind's derived columns and where each fact came from."""
    context = sheet_context(rd, sheet, match.rows[0], spec.kind)
    meta = context.meta
    letters = {name: col_letter(cols[0]) for name, cols in match.columns.items()}
    table = Table(spec.kind, None, str(rd.book.path), sheet.name, letters, tuple(r + 1 for r in match.rows), meta)
    stand_ins = {c: s for c, s in STAND_INS.get(spec.kind, {}).items()
                 if c not in match.columns and s in match.columns}
    fill = data_fill(sheet, match.end + 1)
    rows = _record_rows(rd, sheet, spec, match, table)
    _report_missing(rd, spec, match, table, stand_ins, bool(meta.get("leader") or not rows))
    year = _settle_year(rd, sheet, spec, match, fill, rows, context)
    columns_read, extra_cols = _columns_read(rd, sheet, spec, match, rows, table)
    data, facts = _parse_columns(rd, sheet, spec, match, fill, rows, year, table)
    facts.leader, facts.year = meta.get("leader"), meta.get("year")
    if spec.kind == "visits":  # only a visit ledger is a leader's (an 安排表 lists many)
        if facts.leaders is not None and any(v is not None for v in facts.leaders):
            context.origins["leader"] = Origin("、".join(dict.fromkeys(v for v in facts.leaders if v)), FROM_COLUMN)
        if facts.days is not None:
            _check_days(sheet, rows, match, fill, facts.days, table, rd.result)
    month = derive_read_columns(spec.kind, data, facts)  # into `data` too: one DataFrame built once
    if month and not meta.get("period"):
        meta["period"] = month  # a month's ledger that does not say its month
        meta["period_inferred"] = True
        context.origins["period"] = Origin(month, FROM_DATES)
    file_name_period(context, meta, table, rd.result)
    for name, source in stand_ins.items():
        data[name] = data[source]
        table.letters[name] = table.letters[source]
        rd.result.notes.append(f"工作表“{sheet.name}”没有“{name}”列，以“{source}”列代替")
    for c, name in extra_cols.items():  # columns bqw does not know: kept as text, after the known ones
        values = raw_values(sheet, rows, [c], S.Column(name), fill)
        data[name] = text_array([shown_text(v) for v in values])
        table.letters[name] = col_letter(c)
    _make_frame(rd, sheet, table, data, rows)
    table.layout = SheetLayout(
        sheet.name, spec.kind, why_read(spec, match), [r + 1 for r in match.rows], [r + 1 for r in rows],
        columns_read, sorted(context.above + table.dropped), context.origins)
    return table


def _record_rows(rd: Reading, sheet: RawSheet, spec: S.LedgerSpec, match: HeaderMatch, table: Table) -> list[int]:
    """The rows (0-based) under the header that are records; the others go to table.dropped with why.
    Formula cells saved without their result are said (formula-no-value) in the records."""
    serial_cols = set(match.columns.get("序号", []))
    mapped = {c for cols in match.columns.values() for c in cols}
    labels = {c: V.normalise_header(text) for c, text in match.labels.items() if c in mapped}
    header_words = rd.known | {V.normalise_header(t) for t in match.labels.values()}
    rules = RowRules(serial_cols, mapped, labels, spec, header_words)
    # formulas saved without their result read as empty cells: a row holding one in a column of the
    # table is a record (its values are unknown, not absent), never a blank row dropped in silence
    unknown = {r for r, c in sheet.no_value if c in mapped and c not in serial_cols}
    rows = []
    for r in range(match.end + 1, len(sheet.rows)):
        reason = classify(sheet.rows[r], rules)
        if reason == DROP_BLANK and r in unknown:
            reason = None
        if reason:
            table.dropped.append((r + 1, reason))
        else:
            rows.append(r)
    if sheet.no_value:
        result, kept = rd.result, set(rows)
        cells = sorted((r, c) for r, c in sheet.no_value if r in kept)
        for r, c in cells[:MAX_SAME]:
            result.findings.append(Finding("formula-no-value", file=table.file, sheet=sheet.name,
                                           cell=f"{col_letter(c)}{r + 1}", row=r + 1,
                                           column=next((n for n, cs in match.columns.items() if c in cs), None)))
        if len(cells) > MAX_SAME:
            result.findings.append(overflow(result.findings[-1], len(cells)))
    return rows


def _report_missing(rd: Reading, spec: S.LedgerSpec, match: HeaderMatch, table: Table, stand_ins: dict,
                    leader_known: bool) -> None:
    """missing-column for each required column the header lacks (and nothing stands in for)."""
    missing = [c for c in spec.required if c not in match.columns and c not in stand_ins]
    if spec.kind == "visits" and "镇领导" in missing and leader_known:
        # the sheet names its leader (title block, sheet name or file name); a blank form needs none yet
        missing.remove("镇领导")
    for name in missing:
        aliases = "、".join(spec.column(name).all_names[:6])
        if spec.kind == "visits" and name == "镇领导":  # the printed form has no such column: say where it goes
            aliases += "；或在表头上方写“挂点领导：姓名”，或把姓名写在文件名末尾，如“……（10月）-洪文泽.xlsx”"
        rd.result.findings.append(table.finding("missing-column", None, name, aliases=aliases))


def _settle_year(rd: Reading, sheet: RawSheet, spec: S.LedgerSpec, match: HeaderMatch, fill: MergeFill,
                 rows: list[int], context: SheetContext) -> int | None:
    """The sheet's year: its own words, else the dates in its rows, else the file name and fill date;
    and a month named without its year becomes the period once the year is known."""
    meta = context.meta
    year = meta.get("year") or (int(meta["period"][:4]) if meta.get("period") else None)
    if year is None:
        later = [(_year_from_dates(sheet, rows, spec, match, fill, rd.book.date1904), FROM_DATES),
                 *context.later_years]
        year, source = next(((y, s) for y, s in later if y), (None, None))
        if year is not None:
            meta["year"] = year
            context.origins["year"] = Origin(str(year), source)
    if not meta.get("period") and context.month_only and year is not None:
        month, source = context.month_only
        meta["period"] = f"{year:04d}-{month:02d}"
        context.origins["period"] = Origin(meta["period"], source)
    return year


def _parse_columns(rd: Reading, sheet: RawSheet, spec: S.LedgerSpec, match: HeaderMatch, fill: MergeFill,
                   rows: list[int], year: int | None, table: Table) -> tuple[dict, ReadFacts]:
    """The canonical columns the header found, parsed and typed (by name, in the spec's order), and
    what the kind's derived columns are made from."""
    enums = rd.enums
    data: dict[str, list] = {}
    facts = ReadFacts(len(rows))
    for column in spec.columns:
        cols = match.columns.get(column.name)
        if not cols:
            continue
        if enums and column.type == S.ENUM and column.name in enums:
            column = replace(column, enum=tuple(enums[column.name]))
        parsed, days = parse_column(sheet, rows, cols, column, fill, year, table, rd.result, rd.book.date1904)
        data[column.name] = typed_array(parsed, column.type)
        if column.name == "镇领导":
            facts.leaders = parsed
        if column.type == S.DATERANGE:
            facts.days = days
        if column.deadline:  # 长期任务: “长期坚持” in 完成时限, whose date is left empty
            facts.standing = days
    return data, facts


def _make_frame(rd: Reading, sheet: RawSheet, table: Table, data: dict, rows: list[int]) -> None:
    """table.frame: the columns in `data`, then the provenance columns; indexed by Excel row."""
    import pandas as pd

    meta, n = table.meta, len(rows)
    index = pd.Index([r + 1 for r in rows], name="行号")
    data[META_UNIT] = text_array([meta.get("unit")] * n)
    data[META_PERIOD] = text_array([meta.get("period")] * n)
    data[SRC_FILE] = text_array([V.display_name(rd.book.path.name)] * n)
    data[SRC_SHEET] = text_array([sheet.name] * n)
    data[SRC_ROW] = index.to_numpy()
    table.frame = pd.DataFrame(data, index=index)


def _extra_name(label: str, taken: set[str]) -> str:
    """The name a column bqw does not know keeps in the merged ledger: its label without spaces,
    made unique against the canonical, derived and provenance columns (“陪同人员”, “备注（2）”)."""
    base = re.sub(r"\s+", "", V.clean_text(label) or "") or "未命名列"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}（{n}）"
    taken.add(name)
    return name


RESERVED = {*PROVENANCE, META_UNIT, META_PERIOD, "校验提示", "问题说明", "清单"}
def _columns_read(rd: Reading, sheet: RawSheet, spec: S.LedgerSpec, match: HeaderMatch, rows: list[int],
                  table: Table) -> tuple[list[ColumnRead], dict[int, str]]:
    """What each column of the sheet became; and the columns bqw does not know that hold data,
    kept under their label (column -> name). Unlabelled columns with data are reported (info)."""
    by_col = {c: name for name, cols in match.columns.items() for c in cols}
    taken = set(spec.names) | {d.name for d in spec.derived} | RESERVED
    width = max((len(sheet.rows[r]) for r in match.rows), default=0)
    grid = sheet.rows
    out, extras = [], {}
    for c in range(width):
        label = match.written.get(c, "")
        letter = col_letter(c)
        if c in by_col:
            out.append(ColumnRead(letter, label, COLUMN_READ, by_col[c]))
            continue
        filled = [r for r in rows if c < len(grid[r]) and has_value(grid[r][c])]
        if label and filled:
            name = _extra_name(match.labels.get(c) or _bottom_label(label), taken)
            extras[c] = name
            out.append(ColumnRead(letter, label, COLUMN_KEPT, name))
            rd.result.findings.append(Finding("unknown-column", file=table.file, sheet=table.sheet,
                                              cell=f"{letter}{match.rows[0] + 1}", params={
                                                  "label": label, "letter": letter, "name": name}))
        elif label:
            out.append(ColumnRead(letter, label, COLUMN_IGNORED))
        elif filled:
            out.append(ColumnRead(letter, "", COLUMN_IGNORED))
            cells = "、".join(f"{letter}{r + 1}" for r in filled[:5]) + ("……" if len(filled) > 5 else "")
            rd.result.findings.append(Finding("unlabelled-column", file=table.file, sheet=table.sheet,
                                              cell=f"{letter}{filled[0] + 1}", params={
                                                  "letter": letter, "count": len(filled), "cells": cells}))
    return out, extras


def _bottom_label(written: str) -> str:
    """The last (most specific) part of “parent › sub”, placeholders left out."""
    parts = [p for p in written.split(" › ") if not is_placeholder(p)]
    return parts[-1] if parts else written


def why_read(spec: S.LedgerSpec, match: HeaderMatch) -> str:
    keys = [k for k in spec.key_columns if k in match.columns]
    return (f"表头含“{spec.title}”的关键列 {'、'.join(keys)}（{len(keys)}/{len(spec.key_columns)}）")


def _check_days(sheet, rows, match, fill, days, table, result) -> None:
    """A submitted 调研天数 that disagrees with the dates is a warning at its cell (the dates count)."""
    cols = match.columns.get("调研天数")
    if not cols:
        return
    letter = col_letter(cols[0])
    for r, raw, n in zip(rows, raw_values(sheet, rows, cols, S.Column("调研天数", S.COUNT), fill), days):
        given = N.parse_count(raw)
        if given.value is None or n is None or given.value == n:
            continue
        result.findings.append(Finding("visit-days-mismatch", file=table.file, sheet=table.sheet,
                                       cell=f"{letter}{r + 1}", row=r + 1, column="调研天数",
                                       params={"value": shown(raw), "days": n}, table=table.kind))


def _year_from_dates(sheet, rows, spec, match, fill, date1904: bool = False) -> int | None:
    """When neither title nor file name gives a year, take it from the first full date in the sheet."""
    for column in spec.columns:
        if column.type not in (S.DATE, S.DATERANGE) or column.name not in match.columns:
            continue
        c = match.columns[column.name][0]
        for r in rows[:200]:
            row = sheet.rows[r]
            value = fill.get((r, c), row[c] if c < len(row) else "")
            parsed = D.parse_date(value, None, date1904)
            if parsed.value is not None:
                return parsed.value.year
    return None

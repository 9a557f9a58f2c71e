"""Read a submitted ledger file into typed tables with provenance and findings.

``read_ledger(path, kind=None)`` works without the CLI. Each record keeps its file, sheet and
Excel row (the frame index), and each canonical column its Excel letter, so a finding can say
“D7”. Values are parsed while reading (bqw.io.cells), before any schema runs. Each table also
records how its sheet was read (Table.layout, shown by ``bqw inspect``): header rows, what each
column became, every row that is not a record and why, and where the leader, period and unit came
from. This module chooses the sheets and the kind; the steps are in bqw.io.titleblock (facts above
the header), .rows (which rows are records), .cells (values), .tables (a sheet into a Table),
.rubric_table (the printed 附件4) and .combined (a combined 整改台账).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bqw.core.findings import Finding, col_letter
from bqw.core.limits import Limits
from bqw.core.table import ReadResult, SheetLayout
from bqw.io.combined import read_combined
from bqw.io.header import HeaderArea, HeaderMatch, find_header, prepare
from bqw.io.merged import header_fill
from bqw.io.reading import Reading
from bqw.io.rubric_table import build_rubric_table
from bqw.io.tables import build_table
from bqw.io.book import BookError, RawSheet
from bqw.io.inputs import LOCK_FILE, is_lock_file
from bqw.io.workbook import open_book
from bqw.ledgers import KINDS, RECTIFICATION

def read_ledger(path, kind: str | None = None, period: str | None = None,
                limits: Limits | None = None, enums: dict | None = None,
                aliases: dict | None = None) -> ReadResult:
    """Read one file. `kind` restricts detection (a rectification kind reads all three lists).

    `enums` overrides the allowed values of enum columns by canonical name (bqw.toml [enums]);
    `aliases` adds header wordings by kind and canonical column (bqw.toml [aliases]).
    """
    path = Path(path)
    result = ReadResult(path=path)
    if is_lock_file(path):
        result.skipped = LOCK_FILE + "，已跳过"
        return result
    try:
        book = open_book(path, limits or Limits.from_env())
    except BookError as e:
        result.findings.append(Finding(e.code, file=str(path), sheet=e.sheet, params={"sheet": e.sheet, **e.params}))
        return result
    for name, reason in book.skipped_sheets:
        result.notes.append(f"跳过工作表“{name}”（{reason}）")
    _read_book(Reading(book, result, period, enums or {}, aliases or {}), kind)
    return result


# --- choosing sheets and kinds ---------------------------------------------------------------

def _candidates(kind: str | None) -> tuple[str, ...]:
    if kind is None:
        return KINDS
    return RECTIFICATION if kind in RECTIFICATION else (kind,)


@dataclass
class _Detection:
    """A sheet's header area and the headers found in it, by kind."""

    area: HeaderArea
    found: dict[str, HeaderMatch]


def _detect(rd: Reading, sheet: RawSheet, kinds) -> _Detection:
    area = prepare(sheet.rows, header_fill(sheet), rd.known)
    found = {}
    for k in kinds:
        spec = rd.spec(k)
        m = find_header(sheet.rows, spec, area=area)
        if m is not None and m.recognised(spec):
            found[k] = m
    if "scores" in kinds and "scores" not in found:  # the printed 附件4 filled in: one village down the sheet
        from bqw.io import rubric

        block = rubric.find_items(sheet.rows)
        if block is not None:
            found["scores"] = HeaderMatch("scores", (block.header,), {"序号": [block.serial]}, rubric=block)
    return _Detection(area, found)


def _read_book(rd: Reading, kind: str | None) -> None:
    book, result = rd.book, rd.result
    path = book.path
    detections = [(sheet, _detect(rd, sheet, _candidates(kind))) for sheet in book.sheets]
    layouts = {sheet.name: SheetLayout(sheet.name) for sheet in book.sheets}
    if kind is None:
        best = None
        for _sheet, det in detections:
            for k, m in det.found.items():
                # first how much of the sheet's header the kind (with its linked lists) explains — two
                # columns that look like 镇领导 and 联系行政村 do not make a 15-column 整改台账 an 安排表 —
                # then how many of its key columns it found
                score = (_coverage(det, k), *m.score(rd.spec(k)))
                if best is None or score > best[0]:
                    best = (score, k)
        if best is None:
            result.findings.append(Finding("no-data-sheet", file=str(path), params={"kinds": _kinds_hint(rd)}))
            _finish_layouts(rd, layouts, "没有找到可识别的台账表头")
            return
        kind = best[1]
    family = RECTIFICATION if kind in RECTIFICATION else (kind,)
    result.kind = "tasks" if kind in RECTIFICATION else kind

    chosen = []
    areas = {}
    for sheet, det in detections:
        areas[sheet.name] = det
        hits = {k: m for k, m in det.found.items() if k in family}
        if not hits:
            other = next((rd.spec(k).title for k in det.found), None)
            layouts[sheet.name].reason = (f"表头像“{other}”，不是本文件的台账类型，未读取" if other
                                          else "没有找到可识别的台账表头，未读取")
            continue
        if len(hits) > 1:
            chosen.append((sheet, "combined", hits))
        else:
            ((k, m),) = hits.items()
            chosen.append((sheet, k, {k: m}))
    if not chosen:
        _report_mismatch(rd, kind)
        _finish_layouts(rd, layouts, None)
        return
    if kind in RECTIFICATION:
        # A three-sheet workbook with one sheet per list: prefer the sheet named for each list.
        chosen = _prefer_named(rd, chosen)
    for sheet, k, hits in chosen:
        if k == "combined":
            tables = read_combined(rd, sheet, areas[sheet.name].area, hits)
        elif hits[k].rubric is not None:
            others = [s for s, _k, _h in chosen if s is not sheet] or [s for s in book.sheets if s is not sheet]
            tables = [build_rubric_table(rd, sheet, hits[k], others if len(chosen) == 1 else [])]
            rd.result.tables += tables
        else:
            tables = [build_table(rd, sheet, rd.spec(k), hits[k])]
            rd.result.tables += tables
        if tables:
            layouts[sheet.name] = tables[0].layout
    if kind in RECTIFICATION:  # the family is named by its main list that is present
        result.kind = next((k for k in ("tasks", "problems", "responsibilities") if result.table(k)), "tasks")
    _finish_layouts(rd, layouts, None)


def _coverage(det: _Detection, kind: str) -> float:
    """The share of a sheet's labelled header columns that `kind` and its linked lists read."""
    match = det.found[kind]
    if match.rubric is not None:
        return 1.0
    family = RECTIFICATION if kind in RECTIFICATION else (kind,)
    read = {c for k, m in det.found.items() if k in family for cols in m.columns.values() for c in cols}
    return round(len(read) / max(len(match.written), 1), 2)


def _finish_layouts(rd: Reading, layouts: dict[str, SheetLayout], reason: str | None) -> None:
    """Every sheet of the book in the book's order, read or not (skipped ones say why), with the
    rows and columns hidden in Excel."""
    out = []
    skipped = dict(rd.book.skipped_sheets)
    raw = {s.name: s for s in rd.book.sheets}
    for name in rd.book.sheet_order or [*raw, *skipped]:
        if name in skipped:
            out.append(SheetLayout(name, reason=f"已跳过：{skipped[name]}", hidden=skipped[name] == "隐藏工作表"))
            continue
        layout = layouts.get(name) or SheetLayout(name)
        if reason and not layout.kind:
            layout.reason = reason
        if name in raw:
            _mark_hidden(layout, raw[name])
        out.append(layout)
    rd.result.layouts = out


def _mark_hidden(layout: SheetLayout, sheet: RawSheet) -> None:
    """The hidden rows and columns among the sheet's cells (the unused ones a clerk hides beyond
    them, T:XFD, are no news). Hidden rows are read as records all the same."""
    layout.hidden_rows = sorted(r + 1 for r in sheet.hidden_rows if r < len(sheet.rows))
    if sheet.hidden_cols:
        width = max(map(len, sheet.rows), default=0)
        layout.hidden_columns = [col_letter(c) for c in sorted(sheet.hidden_cols) if c < width]
        for column in layout.columns:
            column.hidden = column.letter in layout.hidden_columns


def _prefer_named(rd: Reading, chosen):
    out = []
    for sheet, k, hits in chosen:
        if k == "combined":
            named = [kk for kk in hits if any(a in sheet.name for a in rd.spec(kk).sheet_aliases)]
            if len(named) == 1:
                out.append((sheet, named[0], {named[0]: hits[named[0]]}))
                continue
        out.append((sheet, k, hits))
    return out


def _kinds_hint(rd: Reading) -> str:
    parts = []
    for k in KINDS:
        spec = rd.spec(k)
        parts.append(f"{spec.title}（{k}）：" + "、".join(spec.key_columns))
    return "；".join(parts)


def _report_mismatch(rd: Reading, kind: str) -> None:
    spec = rd.spec(kind)
    other = None
    for sheet in rd.book.sheets:
        for k in _detect(rd, sheet, KINDS).found:
            if k not in (RECTIFICATION if kind in RECTIFICATION else (kind,)):
                other = rd.spec(k).title
                break
    if other:
        rd.result.findings.append(Finding("kind-mismatch", file=str(rd.book.path), params={
            "expected": spec.title, "keys": "、".join(spec.key_columns), "found": other}))
    else:
        rd.result.findings.append(Finding("no-data-sheet", file=str(rd.book.path), params={"kinds": _kinds_hint(rd)}))

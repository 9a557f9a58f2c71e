"""Read a submitted ledger file into typed tables with provenance and findings.

``read_ledger(path, kind=None)`` works without the CLI. Each record keeps its file, sheet and
Excel row (the frame index), and each canonical column its Excel letter, so a finding can say
“D7”. Values are parsed here (bqw.io.values), before any schema runs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from pathlib import Path

from bqw.findings import Finding, col_letter
from bqw.io import values as V
from bqw.io.header import SCAN_ROWS, HeaderMatch, find_header, prepare
from bqw.io.workbook import Book, BookError, RawSheet, is_lock_file, open_book
from bqw.ledgers import KINDS, RECTIFICATION, get_spec
from bqw.ledgers import spec as S
from bqw.ledgers.rectification import STANDING_COLUMN
from bqw.limits import Limits
from bqw.table import (DROP_BLANK, DROP_EXAMPLE, DROP_FOOTER, DROP_HEADER, DROP_TOTAL, META_PERIOD, META_UNIT,
                       SRC_FILE, SRC_ROW, SRC_SHEET, ReadResult, Table)

EXAMPLE_MARKS = {"例", "示例", "例子", "样例", "举例", "范例", "填写示例", "填表示例", "例如"}
TOTAL_MARK = re.compile(r"^(合计|总计|小计|共计|汇总)")
FOOTER_MARK = re.compile(
    r"^(填报人|填表人|制表人|审核人|审核|核稿|联系电话|联系人|单位负责人|负责人|分管领导|主要领导|领导签字|"
    r"签字|填报日期|填报时间|填表日期|报送时间|备注|注|说明|单位[（(]?盖章)")
META_KEY = re.compile(
    r"(填报单位|报送单位|填表单位|单位名称|挂点领导|镇领导|调研领导|填报时间|填报日期|填表时间|填表日期|报送时间|"
    r"统计时间|统计期间|报送期间|填报期间|所属期间)\s*[:：]")
# A required column that may be missing when another one stands in for it (kind -> {column: stand-in}).
STAND_INS = {"tasks": {"任务编号": "序号"},
             "rectification": {"任务编号": "序号", "牵头单位": "责任单位"}}
SAME_AS_ABOVE = {"同上", "〃", "”", "同前", "同左"}
# Merged ranges starting in the header area that are spread over it: a real header has a few
# dozen; a hostile sheet may hold 100,000 overlapping ones (each spread over 31 rows).
HEADER_MERGES = 10_000
EXCEL_CELL_MAX = V.EXCEL_CELL_MAX  # characters (UTF-16 units) an Excel cell holds
CONTROL_CHARS = V.CONTROL_CHARS
NAME_LIKE = re.compile(r"^[\u4e00-\u9fa5·]{2,5}$")
FILE_NAME_NOISE = re.compile(r"[（(](?:更正|修改|修订|重报|补报|最终版?|终稿|新|\d+)[)）]|副本|\s+")


def read_ledger(path, kind: str | None = None, period: str | None = None,
                limits: Limits | None = None, enums: dict | None = None) -> ReadResult:
    """Read one file. `kind` restricts detection (a rectification kind reads all three lists).

    `enums` overrides the allowed values of enum columns by canonical name (bqw.toml [enums]).
    """
    path = Path(path)
    result = ReadResult(path=path)
    if is_lock_file(path):
        result.skipped = "Excel/WPS 临时锁定文件（~$ 开头），已跳过"
        return result
    try:
        book = open_book(path, limits or Limits.from_env())
    except BookError as e:
        result.findings.append(Finding(e.code, file=str(path), sheet=e.sheet, params={"sheet": e.sheet, **e.params}))
        return result
    for name, reason in book.skipped_sheets:
        result.notes.append(f"跳过工作表“{name}”（{reason}）")
    _read_book(book, kind, period, result, enums or {})
    return result


# --- choosing sheets and kinds ---------------------------------------------------------------

class MergeFill:
    """The values of merged cells by (row, column), kept as intervals, never spread cell by cell.

    A sheet may hold thousands of merged ranges, or ranges covering millions of cells; lookups
    bisect sorted, non-overlapping intervals. `by_column` intervals run down a column (cells
    merged down the data rows); otherwise they run along a row (the header area). Overlapping
    ranges (Excel calls such a file corrupt) keep the first by position.
    """

    def __init__(self, spans, by_column: bool):
        lines: dict[int, list] = {}
        for line, start, end, value in spans:
            lines.setdefault(line, []).append((start, end, value))
        self.by_column = by_column
        self._lines = {}
        for line, items in lines.items():
            items.sort(key=lambda x: (x[0], x[1]))
            starts, ends, values, last = [], [], [], -1
            for start, end, value in items:
                if start <= last:
                    continue
                starts.append(start)
                ends.append(end)
                values.append(value)
                last = end
            self._lines[line] = (starts, ends, values)

    def __len__(self) -> int:
        return sum(len(x[0]) for x in self._lines.values())

    def get(self, key, default=None):
        r, c = key
        line, pos = (c, r) if self.by_column else (r, c)
        found = self._lines.get(line)
        if found is None:
            return default
        starts, ends, values = found
        i = bisect_right(starts, pos) - 1
        return values[i] if i >= 0 and pos <= ends[i] else default

    def spans(self, line: int):
        """(start, end, value) of the intervals on one column (by_column) or row."""
        starts, ends, values = self._lines.get(line, ((), (), ()))
        return zip(starts, ends, values)


def _header_fill(sheet: RawSheet) -> MergeFill:
    """Values of merged cells spread over the scan area (parent headers, vertical header cells)."""
    spans = []
    top = [m for m in sheet.merged if m[0] <= SCAN_ROWS + 1][:HEADER_MERGES]
    for r0, c0, r1, c1 in top:
        row = sheet.rows[r0] if r0 < len(sheet.rows) else []
        value = row[c0] if c0 < len(row) else ""
        for r in range(r0, min(r1, SCAN_ROWS + 1) + 1):
            spans.append((r, c0, c1, value))
    return MergeFill(spans, by_column=False)


def _candidates(kind: str | None) -> tuple[str, ...]:
    if kind is None:
        return KINDS
    return RECTIFICATION if kind in RECTIFICATION else (kind,)


def _detect(sheet: RawSheet, kinds) -> dict[str, HeaderMatch]:
    area = prepare(sheet.rows, _header_fill(sheet))
    found = {}
    for k in kinds:
        spec = get_spec(k)
        m = find_header(sheet.rows, spec, area=area)
        if m is not None and m.recognised(spec):
            found[k] = m
    return found


def _read_book(book: Book, kind: str | None, period: str | None, result: ReadResult, enums: dict) -> None:
    path = book.path
    detections = [(sheet, _detect(sheet, _candidates(kind))) for sheet in book.sheets]
    if kind is None:
        best = None
        for _sheet, found in detections:
            for k, m in found.items():
                score = m.score(get_spec(k))
                if best is None or score > best[0]:
                    best = (score, k)
        if best is None:
            result.findings.append(Finding("no-data-sheet", file=str(path), params={"kinds": _kinds_hint()}))
            return
        kind = best[1]
    family = RECTIFICATION if kind in RECTIFICATION else (kind,)
    result.kind = "tasks" if kind in RECTIFICATION else kind

    chosen = []
    for sheet, found in detections:
        hits = {k: m for k, m in found.items() if k in family}
        if not hits:
            continue
        if len(hits) > 1:
            chosen.append((sheet, "combined", hits))
        else:
            ((k, m),) = hits.items()
            chosen.append((sheet, k, {k: m}))
    if not chosen:
        _report_mismatch(book, kind, result)
        return
    if kind in RECTIFICATION:
        # A three-sheet workbook with one sheet per list: prefer the sheet named for each list.
        chosen = _prefer_named(chosen)
    for sheet, k, hits in chosen:
        if k == "combined":
            _read_combined(book, sheet, hits, period, result, enums)
        else:
            result.tables.append(_build_table(book, sheet, get_spec(k), hits[k], period, result, enums))
    if kind in RECTIFICATION:  # the family is named by its main list that is present
        result.kind = next((k for k in ("tasks", "problems", "responsibilities") if result.table(k)), "tasks")


def _prefer_named(chosen):
    out = []
    for sheet, k, hits in chosen:
        if k == "combined":
            named = [kk for kk in hits if any(a in sheet.name for a in get_spec(kk).sheet_aliases)]
            if len(named) == 1:
                out.append((sheet, named[0], {named[0]: hits[named[0]]}))
                continue
        out.append((sheet, k, hits))
    return out


def _kinds_hint() -> str:
    parts = []
    for k in KINDS:
        spec = get_spec(k)
        parts.append(f"{spec.title}（{k}）：" + "、".join(spec.key_columns))
    return "；".join(parts)


def _report_mismatch(book: Book, kind: str, result: ReadResult) -> None:
    spec = get_spec(kind)
    other = None
    for sheet in book.sheets:
        for k, m in _detect(sheet, KINDS).items():
            if k not in (RECTIFICATION if kind in RECTIFICATION else (kind,)):
                other = get_spec(k).title
                break
    if other:
        result.findings.append(Finding("kind-mismatch", file=str(book.path), params={
            "expected": spec.title, "keys": "、".join(spec.key_columns), "found": other}))
    else:
        result.findings.append(Finding("no-data-sheet", file=str(book.path), params={"kinds": _kinds_hint()}))


# --- what the sheet says about itself --------------------------------------------------------

def _meta(book: Book, sheet: RawSheet, header_start: int, period: str | None) -> dict:
    """Leader, unit, fill date and period from the title, “填报单位：…” lines and the file name."""
    meta: dict = {}
    texts = []
    for r in range(min(header_start, len(sheet.rows))):
        cells = [V.clean_text(v) for v in sheet.rows[r]]
        cells = [CONTROL_CHARS.sub("", c) if c and CONTROL_CHARS.search(c) else c for c in cells]
        line = " ".join(dict.fromkeys(c for c in cells if c))  # merged titles repeat: keep once
        if line:
            texts.append(line)
    title = texts[0] if texts else ""
    for line in texts:
        keys = list(META_KEY.finditer(line))
        for i, m in enumerate(keys):  # a value runs to the next key: “填报单位：  填报时间：…”
            end = keys[i + 1].start() if i + 1 < len(keys) else len(line)
            key, value = m.group(1), line[m.end():end].strip()
            if not value or not re.search(r"[\w\u4e00-\u9fff]", value.replace("年", "").replace("月", "")
                                          .replace("日", "")):
                continue  # left blank as handed out: “    年  月  日”
            if key in ("填报单位", "报送单位", "填表单位", "单位名称"):
                meta.setdefault("unit", value)
            elif key in ("挂点领导", "镇领导", "调研领导"):
                meta.setdefault("leader", V.clean_name(value))
            elif key in ("统计时间", "统计期间", "报送期间", "填报期间", "所属期间"):
                meta.setdefault("period_text", value)
            else:
                meta.setdefault("filled", value)
    stem = book.path.stem
    year = V.parse_year(title) or V.parse_year(meta.get("period_text", "")) or V.parse_year(stem)
    filled = V.parse_date(meta["filled"]).value if meta.get("filled") else None
    if year is None and filled is not None:
        year = filled.year
    meta["year"] = year
    found = (V.parse_period(meta.get("period_text", ""), year) or V.parse_period(title, year)
             or V.parse_period(stem, year))
    meta["period"] = period or found
    if period:
        meta["year"] = int(period[:4])
    if "leader" not in meta:
        leader = _leader_from_name(stem)
        if leader:
            meta["leader"] = leader
    meta["title"] = title
    return meta


def _leader_from_name(stem: str) -> str | None:
    """“……台账（10月）-洪文泽（更正）” -> 洪文泽."""
    parts = re.split(r"[-—_－]+", stem)
    if len(parts) < 2:
        return None
    tail = FILE_NAME_NOISE.sub("", parts[-1])
    return tail if NAME_LIKE.match(tail) else None


# --- rows ------------------------------------------------------------------------------------

def _filled(v) -> bool:
    return v is not None and v != "" and (type(v) is not str or bool(v.strip()))


def _classify(row: list, serial_cols: set[int], mapped: set[int], labels: dict[int, str]) -> str | None:
    """Why a raw row is not a record, or None when it is one."""
    for c in serial_cols:  # fast path: a numeric 序号 is a record, or a dragged formula alone
        v = row[c] if c < len(row) else ""
        if type(v) is float or type(v) is int:
            if any(_filled(row[m]) for m in mapped if m < len(row) and m not in serial_cols):
                return None
            return DROP_BLANK
    cells = [(c, v) for c, v in enumerate(row) if _filled(v)]
    if not cells:
        return DROP_BLANK
    same = sum(1 for c, v in cells if c in labels and V.normalise_header(v) == labels[c])
    if same >= max(2, len(labels) // 2):
        return DROP_HEADER  # the header pasted again (blocks copied from several sheets)
    first = V.clean_name(cells[0][1]) or ""
    for c, v in cells[:3]:
        text = V.clean_name(v) or ""
        if TOTAL_MARK.match(text) and (c not in mapped or c in serial_cols or len(text) <= 4):
            return DROP_TOTAL
    if first in EXAMPLE_MARKS or any(V.clean_name(row[c]) in EXAMPLE_MARKS for c in serial_cols if c < len(row)):
        return DROP_EXAMPLE
    if FOOTER_MARK.match(first) and (any(ch in first for ch in "：:") or len(cells) <= 3):
        if not (len(cells) > 3 and cells[0][0] in mapped and cells[0][0] not in serial_cols):
            return DROP_FOOTER
    if all(c in serial_cols or c not in mapped for c, _ in cells):
        return DROP_BLANK  # only a dragged 序号 formula, or stray notes outside the table
    return None


def _fill_data_merges(sheet: RawSheet, start: int) -> MergeFill:
    """Cells merged down the data region: every covered row gets the top-left value."""
    spans = []
    for r0, c0, r1, _c1 in sheet.merged:
        if r1 < start or r1 == r0:
            continue
        row = sheet.rows[r0] if r0 < len(sheet.rows) else []
        value = row[c0] if c0 < len(row) else ""
        spans.append((c0, max(r0, start), r1, value))
    return MergeFill(spans, by_column=True)


def _build_table(book: Book, sheet: RawSheet, spec: S.LedgerSpec, match: HeaderMatch,
                 period: str | None, result: ReadResult, enums: dict | None = None) -> Table:
    import pandas as pd

    file = str(book.path)
    meta = _meta(book, sheet, match.rows[0], period)
    letters = {name: col_letter(cols[0]) for name, cols in match.columns.items()}
    table = Table(spec.kind, None, file, sheet.name, letters,
                  tuple(r + 1 for r in match.rows), meta)

    stand_ins = {c: s for c, s in STAND_INS.get(spec.kind, {}).items()
                 if c not in match.columns and s in match.columns}
    missing = [c for c in spec.required if c not in match.columns and c not in stand_ins]
    if spec.kind == "visits" and meta.get("leader") and "镇领导" in missing:
        missing.remove("镇领导")  # the sheet names its leader in the title or file name
    for name in missing:
        aliases = "、".join(spec.column(name).all_names[:6])
        result.findings.append(table.finding("missing-column", None, name, aliases=aliases))

    serial_cols = set(match.columns.get("序号", []))
    mapped = {c for cols in match.columns.values() for c in cols}
    labels = {c: V.normalise_header(text) for c, text in match.labels.items() if c in mapped}
    fill = _fill_data_merges(sheet, match.end + 1)
    rows = []
    for r in range(match.end + 1, len(sheet.rows)):
        raw = sheet.rows[r]
        reason = _classify(raw, serial_cols, mapped, labels)
        if reason:
            table.dropped.append((r + 1, reason))
        else:
            rows.append(r)

    year = int(meta["period"][:4]) if meta.get("period") else meta.get("year")
    if year is None:
        year = _year_from_dates(sheet, rows, spec, match, fill)
    data: dict[str, list] = {}
    extra: dict[str, list] = {}
    for column in spec.columns:
        cols = match.columns.get(column.name)
        if not cols:
            continue
        if enums and column.type == S.ENUM and column.name in enums:
            column = replace(column, enum=tuple(enums[column.name]))
        parsed, days = _parse_column(sheet, rows, cols, column, fill, year, table, result)
        data[column.name] = _typed(parsed, column.type)
        if column.name == "镇领导":
            leaders = parsed
        if column.type == S.DATERANGE:
            extra["调研天数"] = days
        if column.deadline:  # 长期任务: “长期坚持” in 完成时限, whose date is left empty
            extra[STANDING_COLUMN] = days
    n = len(rows)
    if spec.kind == "visits":  # derived columns go into `data` too: one DataFrame built once
        leader = meta.get("leader")
        if "镇领导" not in data and leader:
            data["镇领导"] = _text([leader] * n)
        elif leader and "镇领导" in data:
            data["镇领导"] = _text([leader if v is None else v for v in leaders])
        if "调研天数" in extra:
            data["调研天数"] = pd.array(extra["调研天数"], dtype="Int64")
        if "调研时间" in data:
            months = V.date_texts(data["调研时间"], "M")
            data["月份"] = _text(months)
            distinct = {m for m in months if m is not None}
            if not meta.get("period") and len(distinct) == 1:
                meta["period"] = distinct.pop()  # a month's ledger that does not say its month
                meta["period_inferred"] = True
    if STANDING_COLUMN in extra:  # derived: after the sheet's columns, where a combined 整改台账 has it too
        data[STANDING_COLUMN] = _text(["是" if d == V.STANDING else "否" for d in extra[STANDING_COLUMN]])
    if spec.kind == "scores" and meta.get("year"):
        if "评价年度" not in data:
            data["评价年度"] = pd.array([meta["year"]] * n, dtype="Int64")
        else:
            data["评价年度"] = pd.Series(data["评价年度"]).fillna(meta["year"]).array
    for name, source in stand_ins.items():
        data[name] = data[source]
        table.letters[name] = table.letters[source]
        result.notes.append(f"工作表“{sheet.name}”没有“{name}”列，以“{source}”列代替")
    index = pd.Index([r + 1 for r in rows], name="行号")
    data[META_UNIT] = _text([meta.get("unit")] * n)
    data[META_PERIOD] = _text([meta.get("period")] * n)
    data[SRC_FILE] = _text([V.display_name(book.path.name)] * n)
    data[SRC_SHEET] = _text([sheet.name] * n)
    data[SRC_ROW] = index.to_numpy()
    table.frame = pd.DataFrame(data, index=index)
    return table


def _year_from_dates(sheet, rows, spec, match, fill) -> int | None:
    """When neither title nor file name gives a year, take it from the first full date in the sheet."""
    for column in spec.columns:
        if column.type not in (S.DATE, S.DATERANGE) or column.name not in match.columns:
            continue
        c = match.columns[column.name][0]
        for r in rows[:200]:
            row = sheet.rows[r]
            value = fill.get((r, c), row[c] if c < len(row) else "")
            parsed = V.parse_date(value, None)
            if parsed.value is not None:
                return parsed.value.year
    return None


def _raw_values(sheet, rows, cols, column, fill) -> list:
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


def _parse_one(raw, column: S.Column, year):
    """(value, days, error code, error params, [(warning code, params)]) for one distinct cell value."""
    parsed, n_days = _parse_value(raw, column, year)
    if parsed.error:
        params = {"value": _shown(raw)}
        if parsed.error == "enum-invalid":
            params["allowed"] = "、".join(column.enum)
        return None, None, parsed.error, params, ()
    v, notes = parsed.value, []
    if parsed.note:  # read, with a caveat: a number cell 9.3 is September 3, or 9.30 without its 0
        notes.append((parsed.note, {"value": _shown(raw), "parsed": V.clean_text(v)}))
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


def _parse_column(sheet, rows, cols, column, fill, year, table, result):
    """Parse one canonical column over the data rows; bad values become findings at their cell.

    Each distinct value is parsed once: a column of 100,000 rows holds far fewer distinct values.
    """
    letter = col_letter(cols[0])
    raws = _raw_values(sheet, rows, cols, column, fill)
    cache: dict = {}
    out, days = [], []
    previous = None
    same_as_above = column.type == S.NAME
    get = cache.get
    for r, raw in zip(rows, raws):
        t = type(raw)
        key = raw if t is str else (t, raw)  # 1, 1.0 and True are equal keys in a dict: keep them apart
        try:
            parsed = get(key)
            if parsed is None:
                parsed = cache[key] = _parse_one(raw, column, year)
        except TypeError:  # an unhashable value: parse it on its own
            parsed = _parse_one(raw, column, year)
        v, n_days, error, params, notes = parsed
        if error or notes:  # rare: most cells parse cleanly
            excel_row = r + 1
            if error:
                result.findings.append(Finding(error, file=table.file, sheet=table.sheet,
                                               cell=f"{letter}{excel_row}", row=excel_row, column=column.name,
                                               params=params))
                table.bad_cells.add((excel_row, column.name))
                table.raw[(excel_row, column.name)] = raw
            for code, note_params in notes:
                result.findings.append(Finding(code, file=table.file, sheet=table.sheet,
                                               cell=f"{letter}{excel_row}", row=excel_row, column=column.name,
                                               params=note_params))
        if same_as_above and v in SAME_AS_ABOVE:
            v = previous
        if v is not None:
            previous = v
        out.append(v)
        days.append(n_days)
    return out, days


def _shown(raw) -> str:
    text = V.clean_text(raw)
    if text is None:
        return ""
    text = CONTROL_CHARS.sub("", text)
    return text if len(text) <= 40 else text[:40] + "…"


PLACEHOLDERS = {"/", "／", "-", "—", "——", "－", "无数据", "暂无", "\\"}


def _parse_value(value, column: S.Column, year):
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
        return V.parse_count(value), None
    if t == S.NUMBER:
        return V.parse_number(value), None
    if t in (S.DATE, S.DATERANGE):
        p = V.parse_deadline(value, year) if column.deadline else V.parse_date(value, year)
        if p.error or p.value is None:
            return p, p.extra  # V.STANDING for a standing task (“长期坚持”): collected as 长期任务
        n = p.extra or 1
        if column.range_end and n > 1:
            import datetime as dt

            return V.Parsed(p.value + dt.timedelta(days=n - 1), None, 1), 1
        return p, n
    if t == S.ENUM:
        return V.parse_enum(value, column.enum, column.synonyms), None
    if t == S.YESNO:
        p = V.parse_yes_no(value)
        if p.value is None and not p.error:
            return V.Parsed(False, None), None  # “✓/空”: an empty cell means 无
        return p, None
    if t == S.LIST:
        items = V.split_list(value)
        return V.Parsed("、".join(items) if items else None, None), None
    raise ValueError(t)


def _typed(values: list, kind: str):
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
    return _text(values)


_TEXT_DTYPE: list = []


def _text(values: list):
    """An object column as the frame will hold it. Text with gaps (None) becomes pandas' str array
    here, as a DataFrame would infer it, for a third of the cost of its inference (the most of
    building a town's 40-row frame); anything else stays an object array for the frame to infer."""
    import pandas as pd

    if not _TEXT_DTYPE:  # what a DataFrame infers for text: str (pandas 3), or object
        _TEXT_DTYPE.append(pd.DataFrame({"x": pd.array(["a", None], dtype=object)})["x"].dtype)
    text = False
    for v in values:
        if type(v) is str:
            text = True
        elif v is not None:
            text = False
            break
    return pd.array(values, dtype=_TEXT_DTYPE[0] if text else object)


# --- the combined 整改台账 -------------------------------------------------------------------

_UNION = None


def _union_spec():
    """All columns of the three lists, once: the spec of a combined 整改台账 sheet."""
    global _UNION
    if _UNION is None:
        from bqw.ledgers.spec import LedgerSpec

        seen, columns = set(), []
        for k in RECTIFICATION:
            for c in get_spec(k).columns:
                if c.name not in seen:
                    seen.add(c.name)
                    columns.append(c)
        _UNION = LedgerSpec("rectification", "整改台账", tuple(columns), ())
    return _UNION


def _read_combined(book: Book, sheet: RawSheet, hits: dict, period, result: ReadResult, enums: dict) -> None:
    """One sheet holding problems, responsibilities and tasks: read once, split into three."""
    union = _union_spec()
    seen = set(union.names)
    match = max(hits.values(), key=lambda m: len(m.columns))
    merged = HeaderMatch("rectification", match.rows)
    for m in hits.values():
        if m.rows == match.rows:
            for name, cols in m.columns.items():
                merged.columns.setdefault(name, cols)
    probe = []  # findings of the union read; required-column checks are redone per kind
    table = _build_table(book, sheet, union, merged, period, ReadResult(book.path, findings=probe), enums)
    result.findings.extend(f for f in probe if f.code != "missing-column")
    frame = table.frame
    if "问题编号" not in frame and "问题描述" in frame:
        keys = frame["问题描述"].ffill()
        ids = {d: f"问题{i}" for i, d in enumerate(dict.fromkeys(keys.dropna()), 1)}
        frame["问题编号"] = keys.map(ids)
        result.notes.append(f"工作表“{sheet.name}”没有“问题编号”列，已按问题描述依次编为 问题1、问题2……")
    provenance = [c for c in frame.columns if c not in seen]
    for k in RECTIFICATION:
        spec = get_spec(k)
        cols = [c for c in spec.names if c in frame]
        sub = frame[cols + provenance]
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
                     {c: table.letters[c] for c in cols if c in table.letters},
                     table.header_rows, dict(table.meta), list(table.dropped) if k == "tasks" else [],
                     {x for x in table.bad_cells if x[1] in cols}, table.raw)
        for name in spec.required:
            if name not in part.frame:
                aliases = "、".join(spec.column(name).all_names[:6])
                result.findings.append(part.finding("missing-column", None, name, aliases=aliases))
        result.tables.append(part)

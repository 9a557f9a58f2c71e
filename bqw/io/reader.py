"""Read a submitted ledger file into typed tables with provenance and findings.

``read_ledger(path, kind=None)`` works without the CLI. Each record keeps its file, sheet and
Excel row (the frame index), and each canonical column its Excel letter, so a finding can say
“D7”. Values are parsed here (bqw.core.values), before any schema runs. Each table also records
how its sheet was read (Table.layout, shown by ``bqw inspect``): header rows, what each column
became, every row that is not a record and why, and where the leader, period and unit came from.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from pathlib import Path

from bqw.core.findings import MAX_SAME, Finding, col_letter, overflow
from bqw.core import values as V
from bqw.io.header import (SCAN_ROWS, HeaderArea, HeaderMatch, continues_header, find_header, is_placeholder,
                           known_wordings, map_header, prepare)
from bqw.io.workbook import Book, BookError, RawSheet, is_lock_file, open_book
from bqw.ledgers import KINDS, RECTIFICATION, get_spec, with_aliases
from bqw.ledgers import spec as S
from bqw.ledgers.rectification import STANDING_COLUMN
from bqw.core.limits import Limits
from bqw.core.table import (COLUMN_IGNORED, COLUMN_KEPT, COLUMN_READ, DROP_BLANK, DROP_EXAMPLE, DROP_FOOTER, DROP_HEADER,
                       DROP_TOTAL, FROM_ARGUMENT, FROM_COLUMN, FROM_DATES, FROM_FILE, FROM_META, FROM_SHEET,
                       FROM_TITLE, META_PERIOD, META_UNIT, PROVENANCE, SKIP_META, SKIP_TITLE, SRC_FILE, SRC_ROW,
                       SRC_SHEET, ColumnRead, Origin, ReadResult, SheetLayout, Table)

EXAMPLE_MARKS = {"例", "示例", "例子", "样例", "举例", "范例", "填写示例", "填表示例", "例如"}
TOTAL_MARK = re.compile(r"^(合计|总计|小计|共计|汇总)")
FOOTER_MARK = re.compile(
    r"^(填报人|填表人|制表人|审核人|审核|核稿|联系电话|联系人|单位负责人|负责人|分管领导|主要领导|领导签字|"
    r"签字|填报日期|填报时间|填表日期|报送时间|备注|注|说明|单位[（(]?盖章|评分人|评价人|打分人|考核人|统计人|复核人)")
# Labels of the title block (“填报单位：…　填报时间：…”, “挂点领导：…　协助部门：…”) and what each tells.
META_FIELDS = {
    "unit": ("填报单位", "报送单位", "填表单位", "单位名称", "牵头部门", "牵头单位", "协助部门", "评价单位", "考核单位"),
    "leader": ("挂点领导", "挂点镇领导", "镇领导", "调研领导", "领导姓名"),
    "period": ("统计时间", "统计期间", "报送期间", "填报期间", "所属期间", "报送月份", "填报月份", "所属月份"),
    "filled": ("填报时间", "填报日期", "填表时间", "填表日期", "报送时间", "报送日期"),
}
_META_LABEL = {label: role for role, labels in META_FIELDS.items() for label in labels}
# a known label anywhere (“填报单位：党政办填报时间：…” has no space between the fields), with an optional
# “（盖章）”; any other short label after a space or at the start of the line
_KNOWN_FIELD = re.compile(
    "(" + "|".join(sorted(_META_LABEL, key=len, reverse=True)) + r")(?:[（(][^）)]{0,6}[）)])?\s*[:：]")
_ANY_FIELD = re.compile(r"(?:^|(?<=\s))((?=[^\s:：]*[\u4e00-\u9fff])[^\s:：]{2,10})\s*[:：]")
STAMP = re.compile(r"[（(](?:盖章|签章|公章|签字|签名)[）)]")  # “平安镇党政办（盖章）”: the unit without it
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
# A date in a file name (“2026年10月9日调研”) is no period: its month is only taken when no other is
_FILE_DATE = re.compile(r"\d{1,2}月\d{1,2}[日号]")
# A sheet named by a month (a whole-year workbook): “10月”, “10月份”, “2026年10月”, “十月”.
SHEET_MONTH = re.compile(r"^(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月份?(?:台账|调研台账|份台账)?$")
# Words that make a sheet name something other than a person's name.
NOT_A_NAME = re.compile(r"表|台账|清单|汇总|统计|说明|名单|目录|附件|封面|数据|明细|领导|调研|合计|模板|样|填报|工作|"
                        r"年度|月份|季度|周报|[村镇办局所站部委]$|社区|委会|小组")


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
        result.skipped = "Excel/WPS 临时锁定文件（~$ 开头），已跳过"
        return result
    try:
        book = open_book(path, limits or Limits.from_env())
    except BookError as e:
        result.findings.append(Finding(e.code, file=str(path), sheet=e.sheet, params={"sheet": e.sheet, **e.params}))
        return result
    for name, reason in book.skipped_sheets:
        result.notes.append(f"跳过工作表“{name}”（{reason}）")
    _read_book(_Read(book, result, period, enums or {}, aliases or {}), kind)
    return result


@dataclass
class _Read:
    """One read_ledger call: the book, what was asked, and the kinds' specs with the office's wordings."""

    book: Book
    result: ReadResult
    period: str | None
    enums: dict
    aliases: dict
    specs: dict[str, S.LedgerSpec] = field(default_factory=dict)
    known: frozenset = frozenset()

    def __post_init__(self):
        self.specs = {k: with_aliases(get_spec(k), self.aliases.get(k)) for k in KINDS}
        self.known = known_wordings(self.specs.values()) if self.aliases else known_wordings()

    def spec(self, kind: str) -> S.LedgerSpec:
        return self.specs[kind]


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
    top = [m for m in sheet.merged if m[0] <= SCAN_ROWS + 4][:HEADER_MERGES]
    for r0, c0, r1, c1 in top:
        row = sheet.rows[r0] if r0 < len(sheet.rows) else []
        value = row[c0] if c0 < len(row) else ""
        for r in range(r0, min(r1, SCAN_ROWS + 4) + 1):
            spans.append((r, c0, c1, value))
    return MergeFill(spans, by_column=False)


def _candidates(kind: str | None) -> tuple[str, ...]:
    if kind is None:
        return KINDS
    return RECTIFICATION if kind in RECTIFICATION else (kind,)


@dataclass
class _Detection:
    """A sheet's header area and the headers found in it, by kind."""

    area: HeaderArea
    found: dict[str, HeaderMatch]


def _detect(rd: _Read, sheet: RawSheet, kinds) -> _Detection:
    area = prepare(sheet.rows, _header_fill(sheet), rd.known)
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


def _read_book(rd: _Read, kind: str | None) -> None:
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
            tables = _read_combined(rd, sheet, areas[sheet.name], hits)
        elif hits[k].rubric is not None:
            others = [s for s, _k, _h in chosen if s is not sheet] or [s for s in book.sheets if s is not sheet]
            tables = [_build_rubric(rd, sheet, hits[k], others if len(chosen) == 1 else [])]
            rd.result.tables += tables
        else:
            tables = [_build_table(rd, sheet, rd.spec(k), hits[k])]
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


def _finish_layouts(rd: _Read, layouts: dict[str, SheetLayout], reason: str | None) -> None:
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


def _prefer_named(rd: _Read, chosen):
    out = []
    for sheet, k, hits in chosen:
        if k == "combined":
            named = [kk for kk in hits if any(a in sheet.name for a in rd.spec(kk).sheet_aliases)]
            if len(named) == 1:
                out.append((sheet, named[0], {named[0]: hits[named[0]]}))
                continue
        out.append((sheet, k, hits))
    return out


def _kinds_hint(rd: _Read) -> str:
    parts = []
    for k in KINDS:
        spec = rd.spec(k)
        parts.append(f"{spec.title}（{k}）：" + "、".join(spec.key_columns))
    return "；".join(parts)


def _report_mismatch(rd: _Read, kind: str) -> None:
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


# --- what the sheet says about itself --------------------------------------------------------

@dataclass
class SheetContext:
    """What a sheet says about itself: leader, unit, period, year, fill date — each with its origin."""

    meta: dict  # Table.meta: leader, unit, filled, title, year, period, period_inferred
    origins: dict[str, Origin]  # "leader" | "unit" | "period" | "year" -> where it came from
    above: list[tuple[int, str]]  # (Excel row, why) of the rows above the header
    # (year, source) to try after the dates in the rows: the file name's, the fill date's
    later_years: list[tuple[int | None, str]] = field(default_factory=list)
    month_only: tuple[int, str] | None = None  # (month, source) named without a year: a period once the year is known
    file_year: int | None = None  # the file name's year and month: the weakest evidence (issue 14)
    file_month: int | None = None


def title_fields(line: str) -> tuple[str, list[tuple[str, str]]]:
    """A title-block line split into its free text and its “label：value” fields, every one of them:
    “挂点领导：张 伟　　协助部门：党政综合办公室” -> ("", [("挂点领导", "张 伟"), ("协助部门", "党政综合办公室")])."""
    marks = [(m.start(), m.end(), m.group(1)) for m in _KNOWN_FIELD.finditer(line)]
    taken = [(s, e) for s, e, _ in marks]
    for m in _ANY_FIELD.finditer(line):
        if not any(s < m.end() and m.start(1) < e for s, e in taken):
            marks.append((m.start(1), m.end(), m.group(1)))
    marks.sort()
    fields = []
    for i, (_start, end, label) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else len(line)
        fields.append((label, line[end:stop].strip()))
    return (line[: marks[0][0]] if marks else line).strip(), fields


def _blank_field(value: str) -> bool:
    """A field left as handed out: “    年  月  日”, “（盖章）”, “____”."""
    return not re.search(r"[\w\u4e00-\u9fff]", re.sub(r"[年月日盖章（）()_＿]", "", value))


def _line_texts(sheet: RawSheet, r: int) -> str:
    cells = [V.clean_text(v) for v in sheet.rows[r]]
    cells = [CONTROL_CHARS.sub("", c) if c and CONTROL_CHARS.search(c) else c for c in cells]
    return " ".join(dict.fromkeys(c for c in cells if c))  # merged titles repeat: keep once


def sheet_month(name: str) -> tuple[int | None, int] | None:
    """(year or None, month) of a sheet named by a month (“10月”, “2026年10月”, “十月份”), else None."""
    m = SHEET_MONTH.match(V.clean_name(name) or "")
    if not m:
        return None
    month = int(m.group(2)) if m.group(2).isdigit() else V.chinese_number(m.group(2))
    if month is None or not 1 <= month <= 12:
        return None
    return (int(m.group(1)) if m.group(1) else None), month


def sheet_leader(name: str) -> str | None:
    """The leader a sheet is named after (a town's collection, one sheet per leader: “王 芳”), else None."""
    text = V.clean_name(name) or ""
    return text if NAME_LIKE.match(text) and not NOT_A_NAME.search(text) else None


def _context(rd: _Read, sheet: RawSheet, header_start: int, kind: str) -> SheetContext:
    """Leader, unit, fill date, year and period from the title block, the sheet name, the file name.

    Periods: --period, then a sheet named by its month, then the title block (统计期间 line, title),
    then the file name; a period found nowhere is later taken from the dates when they all fall in
    one month (_build_table). Years likewise, then the first full date, then the fill date.
    """
    meta: dict = {}
    origins: dict[str, Origin] = {}
    above: list[tuple[int, str]] = []
    titles: list[str] = []
    for r in range(min(header_start, len(sheet.rows))):
        line = _line_texts(sheet, r)
        if not line:
            above.append((r + 1, DROP_BLANK))
            continue
        free, fields = title_fields(line)
        above.append((r + 1, SKIP_META if fields else SKIP_TITLE))
        if free:
            titles.append(free)
        for label, value in fields:
            if value and not _blank_field(value):
                meta.setdefault("fields", {}).setdefault(label, value)
    found = meta.get("fields", {})
    for role, origin_role in (("unit", "unit"), ("leader", "leader")):
        label = next((x for x in META_FIELDS[role] if x in found), None)  # in the order of META_FIELDS
        if label:
            meta[role] = V.clean_name(STAMP.sub("", found[label]))
            origins[origin_role] = Origin(meta[role], FROM_META)
    period_text = next((found[x] for x in META_FIELDS["period"] if x in found), None)
    filled_label = next((x for x in META_FIELDS["filled"] if x in found), None)
    if filled_label:
        meta["filled"] = found[filled_label]
    title = " ".join(titles)
    stem = rd.book.path.stem
    month_sheet = sheet_month(sheet.name)
    filled = V.parse_date(meta["filled"]).value if meta.get("filled") else None

    title_year = next((y for y in map(V.parse_year, titles) if y), None)  # line by line: “附件3” + “2026年度…”
    # the sheet's own words first; a year still unknown is then taken from the dates in the rows, and
    # only after them from the file name and the fill date (_build_table: later_years)
    years = [(rd.period and int(rd.period[:4]), FROM_ARGUMENT), (title_year, FROM_TITLE),
             (V.parse_year(period_text or ""), FROM_META), (month_sheet and month_sheet[0], FROM_SHEET)]
    year, source = next(((y, s) for y, s in years if y), (None, None))
    later_years = [(V.parse_year(stem), FROM_FILE), (filled.year if filled else None, FROM_META)]
    meta["year"] = year
    if year is not None:
        origins["year"] = Origin(str(year), source)

    periods = [(rd.period, FROM_ARGUMENT),
               (month_sheet and year and f"{year:04d}-{month_sheet[1]:02d}", FROM_SHEET),
               (V.parse_period(period_text or "", year), FROM_META),
               (next((p for p in (V.parse_period(t, year) for t in titles) if p), None), FROM_TITLE)]
    period, source = next(((p, s) for p, s in periods if p), (None, None))
    meta["period"] = period
    if period:
        origins["period"] = Origin(period, source)
    # a month named without its year (“（12月）”) waits for the year: the dates' one comes before the
    # fill date's (a December ledger filled in on 2027-01-03 is 2026's). The file name is the weakest
    # evidence: its month is used after the dates' (_build_table), its year after theirs too.
    months = [(month_sheet and month_sheet[1], FROM_SHEET), (V.parse_month(period_text or ""), FROM_META),
              (next((m for m in map(V.parse_month, titles) if m), None), FROM_TITLE)]
    month_only = None if period else next(((m, s) for m, s in months if m), None)

    if "leader" not in meta and kind == "visits":  # only a visit ledger is a leader's: not a 评价得分 sheet
        for leader, source in ((sheet_leader(sheet.name), FROM_SHEET), (_leader_from_name(stem), FROM_FILE)):
            if leader:
                meta["leader"] = leader
                origins["leader"] = Origin(leader, source)
                break
    meta["title"] = title
    return SheetContext(meta, origins, above, later_years, month_only,
                        V.parse_year(stem), V.parse_month(_FILE_DATE.sub("", stem)))


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


@dataclass
class _RowRules:
    """What tells a record from the other rows under a header."""

    serial_cols: set[int]  # the 序号 column(s)
    mapped: set[int]  # columns read as canonical columns
    labels: dict[int, str]  # column -> its normalised header label
    spec: S.LedgerSpec
    words: frozenset  # every header wording, and this header's own labels


def _classify(row: list, rules: _RowRules) -> str | None:
    """Why a raw row is not a record, or None when it is one."""
    serial_cols, mapped, labels = rules.serial_cols, rules.mapped, rules.labels
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
    content = [v for c, v in cells if c not in serial_cols]
    if all(isinstance(v, str) for v in content):
        if all(is_placeholder(v) for v in content):
            return DROP_EXAMPLE  # the template's own “xx村”, “2024年xx月xx日”
        if continues_header(row, rules.spec, rules.words):
            return DROP_HEADER  # header labels (or a sub-header row) again
    return None


def _fill_data_merges(sheet: RawSheet, start: int) -> MergeFill:
    """Cells merged down the data region: every covered row gets the top-left value."""
    spans = []
    for r0, c0, r1, _c1 in sheet.merged:
        if r1 < start or r1 == r0 or r0 < start:
            continue  # a merge from the header (A3:A4 over a two-row header) fills no data row
        row = sheet.rows[r0] if r0 < len(sheet.rows) else []
        value = row[c0] if c0 < len(row) else ""
        spans.append((c0, r0, r1, value))
    return MergeFill(spans, by_column=True)


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


def _columns_read(rd: _Read, sheet: RawSheet, spec: S.LedgerSpec, match: HeaderMatch, rows: list[int],
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
        filled = [r for r in rows if c < len(grid[r]) and _filled(grid[r][c])]
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


def _build_table(rd: _Read, sheet: RawSheet, spec: S.LedgerSpec, match: HeaderMatch) -> Table:
    import pandas as pd

    book, result, enums = rd.book, rd.result, rd.enums
    file = str(book.path)
    context = _context(rd, sheet, match.rows[0], spec.kind)
    meta = context.meta
    letters = {name: col_letter(cols[0]) for name, cols in match.columns.items()}
    table = Table(spec.kind, None, file, sheet.name, letters,
                  tuple(r + 1 for r in match.rows), meta)

    stand_ins = {c: s for c, s in STAND_INS.get(spec.kind, {}).items()
                 if c not in match.columns and s in match.columns}
    missing = [c for c in spec.required if c not in match.columns and c not in stand_ins]

    serial_cols = set(match.columns.get("序号", []))
    mapped = {c for cols in match.columns.values() for c in cols}
    labels = {c: V.normalise_header(text) for c, text in match.labels.items() if c in mapped}
    header_words = rd.known | {V.normalise_header(t) for t in match.labels.values()}
    rules = _RowRules(serial_cols, mapped, labels, spec, header_words)
    fill = _fill_data_merges(sheet, match.end + 1)
    # formulas saved without their result read as empty cells: a row holding one in a column of the
    # table is a record (its values are unknown, not absent), never a blank row dropped in silence
    unknown = {r for r, c in sheet.no_value if c in mapped and c not in serial_cols}
    rows = []
    for r in range(match.end + 1, len(sheet.rows)):
        raw = sheet.rows[r]
        reason = _classify(raw, rules)
        if reason == DROP_BLANK and r in unknown:
            reason = None
        if reason:
            table.dropped.append((r + 1, reason))
        else:
            rows.append(r)
    if sheet.no_value:
        kept = set(rows)
        cells = sorted((r, c) for r, c in sheet.no_value if r in kept)
        for r, c in cells[:MAX_SAME]:
            result.findings.append(Finding("formula-no-value", file=file, sheet=sheet.name, cell=f"{col_letter(c)}{r + 1}",
                                           row=r + 1, column=next((n for n, cs in match.columns.items() if c in cs), None)))
        if len(cells) > MAX_SAME:
            result.findings.append(overflow(result.findings[-1], len(cells)))

    if spec.kind == "visits" and "镇领导" in missing and (meta.get("leader") or not rows):
        # the sheet names its leader (title block, sheet name or file name); a blank form needs none yet
        missing.remove("镇领导")
    for name in missing:
        aliases = "、".join(spec.column(name).all_names[:6])
        if spec.kind == "visits" and name == "镇领导":  # the printed form has no such column: say where it goes
            aliases += "；或在表头上方写“挂点领导：姓名”，或把姓名写在文件名末尾，如“……（10月）-洪文泽.xlsx”"
        result.findings.append(table.finding("missing-column", None, name, aliases=aliases))

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
    columns_read, extra_cols = _columns_read(rd, sheet, spec, match, rows, table)
    data: dict[str, list] = {}
    extra: dict[str, list] = {}
    leaders = None
    for column in spec.columns:
        cols = match.columns.get(column.name)
        if not cols:
            continue
        if enums and column.type == S.ENUM and column.name in enums:
            column = replace(column, enum=tuple(enums[column.name]))
        parsed, days = _parse_column(sheet, rows, cols, column, fill, year, table, result, rd.book.date1904)
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
        if leaders is not None and any(v is not None for v in leaders):
            context.origins["leader"] = Origin("、".join(dict.fromkeys(v for v in leaders if v)), FROM_COLUMN)
        if "调研天数" in extra:
            _check_days(sheet, rows, match, fill, extra["调研天数"], table, result)
            data["调研天数"] = pd.array(extra["调研天数"], dtype="Int64")
        if "调研时间" in data:
            months = V.date_texts(data["调研时间"], "M")
            data["月份"] = _text(months)
            distinct = {m for m in months if m is not None}
            if not meta.get("period") and len(distinct) == 1:
                meta["period"] = distinct.pop()  # a month's ledger that does not say its month
                meta["period_inferred"] = True
                context.origins["period"] = Origin(meta["period"], FROM_DATES)
    _file_name_period(context, meta, table, result)
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
    for c, name in extra_cols.items():  # columns bqw does not know: kept as text, after the known ones
        values = _raw_values(sheet, rows, [c], S.Column(name), fill)
        data[name] = _text([_shown_text(v) for v in values])
        table.letters[name] = col_letter(c)
    index = pd.Index([r + 1 for r in rows], name="行号")
    data[META_UNIT] = _text([meta.get("unit")] * n)
    data[META_PERIOD] = _text([meta.get("period")] * n)
    data[SRC_FILE] = _text([V.display_name(book.path.name)] * n)
    data[SRC_SHEET] = _text([sheet.name] * n)
    data[SRC_ROW] = index.to_numpy()
    table.frame = pd.DataFrame(data, index=index)
    table.layout = SheetLayout(
        sheet.name, spec.kind, _why(spec, match), [r + 1 for r in match.rows], [r + 1 for r in rows],
        columns_read, sorted(context.above + table.dropped), context.origins)
    return table


def _file_name_period(context: SheetContext, meta: dict, table: Table, result: ReadResult) -> None:
    """The file name's month when nothing stronger named the period (the title and 填报 lines, a sheet
    named by its month, the dates in the rows); a file name that says otherwise is ignored, and said
    (file-name-ignored, info): a copy named “…(2025).xlsx” of a 2026 ledger stays in 2026."""
    year = meta.get("year")
    if not meta.get("period") and context.file_month and year:
        meta["period"] = f"{year:04d}-{context.file_month:02d}"
        context.origins["period"] = Origin(meta["period"], FROM_FILE)
    period = meta.get("period")
    source = context.origins.get("period") or context.origins.get("year")
    if source is None or source.source == FROM_FILE:
        return
    wrong = []
    year_origin = context.origins.get("year")
    if context.file_year and year and context.file_year != year and year_origin and year_origin.source != FROM_FILE:
        wrong.append(f"{context.file_year}年")
    if context.file_month and period and context.file_month != int(period[5:7]):
        wrong.append(f"{context.file_month}月")
    if wrong:
        result.findings.append(Finding("file-name-ignored", file=table.file, sheet=table.sheet, table=table.kind,
                                       params={"what": "、".join(wrong), "source": source.source,
                                               "used": period or f"{year}年"}))


def _shown_text(v) -> str | None:
    """A cell of a kept column as text, control characters removed."""
    text = V.clean_text(v)
    return CONTROL_CHARS.sub("", text) if text and CONTROL_CHARS.search(text) else text


def _why(spec: S.LedgerSpec, match: HeaderMatch) -> str:
    keys = [k for k in spec.key_columns if k in match.columns]
    return (f"表头含“{spec.title}”的关键列 {'、'.join(keys)}（{len(keys)}/{len(spec.key_columns)}）")


def _check_days(sheet, rows, match, fill, days, table, result) -> None:
    """A submitted 调研天数 that disagrees with the dates is a warning at its cell (the dates count)."""
    cols = match.columns.get("调研天数")
    if not cols:
        return
    letter = col_letter(cols[0])
    for r, raw, n in zip(rows, _raw_values(sheet, rows, cols, S.Column("调研天数", S.COUNT), fill), days):
        given = V.parse_count(raw)
        if given.value is None or n is None or given.value == n:
            continue
        result.findings.append(Finding("visit-days-mismatch", file=table.file, sheet=table.sheet,
                                       cell=f"{letter}{r + 1}", row=r + 1, column="调研天数",
                                       params={"value": _shown(raw), "days": n}, table=table.kind))


def _year_from_dates(sheet, rows, spec, match, fill, date1904: bool = False) -> int | None:
    """When neither title nor file name gives a year, take it from the first full date in the sheet."""
    for column in spec.columns:
        if column.type not in (S.DATE, S.DATERANGE) or column.name not in match.columns:
            continue
        c = match.columns[column.name][0]
        for r in rows[:200]:
            row = sheet.rows[r]
            value = fill.get((r, c), row[c] if c < len(row) else "")
            parsed = V.parse_date(value, None, date1904)
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


def _parse_one(raw, column: S.Column, year, date1904: bool = False):
    """(value, days, error code, error params, [(warning code, params)]) for one distinct cell value;
    `date1904`: the workbook's serials count from 1904 (Book.date1904)."""
    parsed, n_days = _parse_value(raw, column, year, date1904)
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


def _parse_column(sheet, rows, cols, column, fill, year, table, result, date1904: bool = False):
    """Parse one canonical column over the data rows; bad values become findings at their cell.

    Each distinct value is parsed once: a column of 100,000 rows holds far fewer distinct values.
    """
    letter = col_letter(cols[0])
    raws = _raw_values(sheet, rows, cols, column, fill)
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
                parsed = cache[key] = _parse_one(raw, column, year, date1904)
        except TypeError:  # an unhashable value: parse it on its own
            parsed = _parse_one(raw, column, year, date1904)
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


def _shown(raw) -> str:
    text = V.clean_text(raw)
    if text is None:
        return ""
    text = CONTROL_CHARS.sub("", text)
    return text if len(text) <= 40 else text[:40] + "…"


PLACEHOLDERS = {"/", "／", "-", "—", "——", "－", "无数据", "暂无", "\\"}


def _parse_value(value, column: S.Column, year, date1904: bool = False):
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
        p = V.parse_deadline(value, year, date1904) if column.deadline else V.parse_date(value, year, date1904)
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


# --- the printed 附件4: a village read down the rubric --------------------------------------

def _build_rubric(rd: _Read, sheet: RawSheet, match: HeaderMatch, others: list[RawSheet]) -> Table:
    """One village's scores from a sheet laid out as the printed rubric (bqw.io.rubric), with its
    负面清单 below the items or, in a book of one such sheet, on a sheet of its own."""
    import pandas as pd

    from bqw.io import rubric
    from bqw.ledgers.scores import ITEM_NAMES, NEGATIVE_NAMES, TOTAL

    spec = rd.spec("scores")
    block = match.rubric
    grid = sheet.rows
    neg, neg_sheet = rubric.find_negatives(grid, block.header + 1), sheet
    if neg is None:
        for other in others:
            neg = rubric.find_negatives(other.rows)
            if neg is not None:
                neg_sheet = other
                break
    stop = neg.header if neg is not None and neg_sheet is sheet else len(grid)
    items = rubric.numbered_rows(grid, block, stop, len(ITEM_NAMES))
    negatives = rubric.numbered_rows(neg_sheet.rows, neg, len(neg_sheet.rows), len(NEGATIVE_NAMES)) if neg else {}
    context = _context(rd, sheet, block.header, "scores")
    titles = [title_fields(x)[0] for x in (_line_texts(sheet, r) for r in range(block.header)) if x]
    found = rubric.village_and_year(context.meta.get("fields", {}), [t for t in titles if t], sheet.name,
                                    rd.book.path.stem)
    meta = context.meta
    year = int(rd.period[:4]) if rd.period else (found.get("year") or (meta.get("year"), None))[0]
    meta["year"] = year
    index = (min(items.values()) if items else block.header + 1) + 1  # the record's row: its first item
    table = Table("scores", None, str(rd.book.path), sheet.name, {}, (block.header + 1,), meta)
    data: dict[str, list] = {}
    cells: dict[str, str] = {}

    def read(name: str, src: RawSheet, r: int, c: int):
        column = spec.column(name)
        raw = src.rows[r][c] if c < len(src.rows[r]) else None
        cell = f"{col_letter(c)}{r + 1}"
        if src is sheet:
            cells[name] = cell
        v, _days, error, params, notes = _parse_one(raw, column, year)
        where = dict(file=table.file, sheet=src.name, cell=cell, row=index, column=name, table="scores")
        if error:
            rd.result.findings.append(Finding(error, params=params, **where))
            table.bad_cells.add((index, name))
            table.raw[(index, name)] = raw
        for code, note_params in notes:
            rd.result.findings.append(Finding(code, params=note_params, **where))
        return v

    village = found.get("village")
    if village:
        meta["village"] = village[0]
    data["村名"] = _text([village[0] if village else None])
    data["评价年度"] = pd.array([year], dtype="Int64")
    for n, name in enumerate(ITEM_NAMES, 1):
        data[name] = _typed([read(name, sheet, items[n], block.value) if n in items else None], S.NUMBER)
    total_row = next((r for r in range(max(items.values(), default=block.header) + 1, stop)
                      if any(TOTAL_MARK.match(V.clean_name(v) or "") or V.clean_name(v) == "总分"
                             for v in grid[r][:block.text + 1])), None)
    if total_row is not None:
        data[TOTAL] = _typed([read(TOTAL, sheet, total_row, block.value)], S.NUMBER)
    for n, name in enumerate(NEGATIVE_NAMES, 1):
        value = read(name, neg_sheet, negatives[n], neg.value) if n in negatives else None
        data[name] = _typed([False if value is None and n in negatives else value], S.YESNO)
    rows_index = pd.Index([index], name="行号")
    data[META_UNIT] = _text([meta.get("unit")])
    data[META_PERIOD] = _text([meta.get("period")])
    data[SRC_FILE] = _text([V.display_name(rd.book.path.name)])
    data[SRC_SHEET] = _text([sheet.name])
    data[SRC_ROW] = rows_index.to_numpy()
    table.frame = pd.DataFrame(data, index=rows_index)
    table.cells = cells
    origins = dict(context.origins)
    if village:
        origins["village"] = Origin(village[0], village[1])
    if found.get("year") and not rd.period:
        origins["year"] = Origin(str(found["year"][0]), found["year"][1])
    read_rows = sorted(items.values()) + (sorted(negatives.values()) if neg_sheet is sheet else [])
    header_rows = [block.header] + ([neg.header] if neg is not None and neg_sheet is sheet else [])
    def why(r: int) -> str:
        line = _line_texts(sheet, r)
        if not line:
            return DROP_BLANK
        if r == total_row:
            return DROP_TOTAL
        return DROP_FOOTER if FOOTER_MARK.match(V.clean_name(line) or "") else SKIP_TITLE

    skipped = [(r + 1, why(r)) for r in range(block.header + 1, len(grid)) if r not in read_rows and r not in header_rows]
    head = grid[block.header]

    def label(c: int) -> str:
        return V.clean_text(head[c]) or "" if c < len(head) else ""

    columns = [ColumnRead(col_letter(block.serial), label(block.serial), COLUMN_READ, "序号（第几项）"),
               ColumnRead(col_letter(block.text), label(block.text), COLUMN_IGNORED),
               ColumnRead(col_letter(block.value), label(block.value), COLUMN_READ, "指标1～指标25（按序号）")]
    table.layout = SheetLayout(
        sheet.name, "scores", "按印发的评价指标表（附件4）逐项填写得分：表头含 序号、指标内容、得分；一个村一张表",
        [r + 1 for r in header_rows], [r + 1 for r in read_rows], columns, sorted(context.above + skipped), origins)
    if village is None:
        table.bad_cells.add((index, "村名"))  # said once, here, not again as an empty required value
        rd.result.findings.append(table.finding("missing-column", None, "村名", aliases="参评村：××村（标题上方一行）、"
                                                "标题中的村名、以村名命名的工作表或文件"))
    return table


# --- the combined 整改台账 -------------------------------------------------------------------

_UNIONS: dict[tuple, S.LedgerSpec] = {}


def _union_spec(rd: _Read) -> S.LedgerSpec:
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


def _read_combined(rd: _Read, sheet: RawSheet, det: _Detection, hits: dict) -> list[Table]:
    """One sheet holding problems, responsibilities and tasks: read once, split into three."""
    result = rd.result
    union = _union_spec(rd)
    seen = set(union.names)
    match = max(hits.values(), key=lambda m: len(m.columns))
    # the header against every column of the three lists: a list recognised on its own may lack its
    # key columns here (no 问题编号), and its other columns still belong to it
    merged = map_header(det.area, match.rows, union)
    probe = []  # findings of the union read; required-column checks are redone per kind
    union_rd = replace(rd, result=ReadResult(rd.book.path, findings=probe))
    table = _build_table(union_rd, sheet, union, merged)
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
        _why(rd.spec(k), hits[k]) for k in hits)
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

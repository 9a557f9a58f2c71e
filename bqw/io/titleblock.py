"""The title block above a header, the sheet's name and the file's name: what a sheet says about itself.

Leader, unit, period, year and fill date, each with where it came from (Table.layout origins).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bqw.core import dates as D
from bqw.core import numbers as N
from bqw.core import values as V
from bqw.core.findings import Finding
from bqw.core.table import (DROP_BLANK, FROM_ARGUMENT, FROM_FILE, FROM_META, FROM_SHEET, FROM_TITLE, SKIP_META,
                            SKIP_TITLE, Origin, ReadResult, Table)
from bqw.io.reading import Reading
from bqw.io.book import RawSheet

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
NAME_LIKE = re.compile(r"^[\u4e00-\u9fa5·]{2,5}$")
FILE_NAME_NOISE = re.compile(r"[（(](?:更正|修改|修订|重报|补报|最终版?|终稿|新|\d+)[)）]|副本|\s+")
# A date in a file name (“2026年10月9日调研”) is no period: its month is only taken when no other is
_FILE_DATE = re.compile(r"\d{1,2}月\d{1,2}[日号]")
# A sheet named by a month (a whole-year workbook): “10月”, “10月份”, “2026年10月”, “十月”.
SHEET_MONTH = re.compile(r"^(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月份?(?:台账|调研台账|份台账)?$")
# Words that make a sheet name something other than a person's name.
NOT_A_NAME = re.compile(r"表|台账|清单|汇总|统计|说明|名单|目录|附件|封面|数据|明细|领导|调研|合计|模板|样|填报|工作|"
                        r"年度|月份|季度|周报|[村镇办局所站部委]$|社区|委会|小组")


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


def line_text(sheet: RawSheet, r: int) -> str:
    cells = [V.clean_text(v) for v in sheet.rows[r]]
    cells = [V.CONTROL_CHARS.sub("", c) if c and V.CONTROL_CHARS.search(c) else c for c in cells]
    return " ".join(dict.fromkeys(c for c in cells if c))  # merged titles repeat: keep once


def sheet_month(name: str) -> tuple[int | None, int] | None:
    """(year or None, month) of a sheet named by a month (“10月”, “2026年10月”, “十月份”), else None."""
    m = SHEET_MONTH.match(V.clean_name(name) or "")
    if not m:
        return None
    month = int(m.group(2)) if m.group(2).isdigit() else N.chinese_number(m.group(2))
    if month is None or not 1 <= month <= 12:
        return None
    return (int(m.group(1)) if m.group(1) else None), month


def sheet_leader(name: str) -> str | None:
    """The leader a sheet is named after (a town's collection, one sheet per leader: “王 芳”), else None."""
    text = V.clean_name(name) or ""
    return text if NAME_LIKE.match(text) and not NOT_A_NAME.search(text) else None


def sheet_context(rd: Reading, sheet: RawSheet, header_start: int, kind: str) -> SheetContext:
    """Leader, unit, fill date, year and period from the title block, the sheet name, the file name.

    Periods: --period, then a sheet named by its month, then the title block (统计期间 line, title),
    then the file name; a period found nowhere is later taken from the dates when they all fall in
    one month (bqw.io.tables). Years likewise, then the first full date, then the fill date.
    """
    meta: dict = {}
    origins: dict[str, Origin] = {}
    above: list[tuple[int, str]] = []
    titles: list[str] = []
    for r in range(min(header_start, len(sheet.rows))):
        line = line_text(sheet, r)
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
    filled = D.parse_date(meta["filled"]).value if meta.get("filled") else None

    title_year = next((y for y in map(D.parse_year, titles) if y), None)  # line by line: “附件3” + “2026年度…”
    # the sheet's own words first; a year still unknown is then taken from the dates in the rows, and
    # only after them from the file name and the fill date (bqw.io.tables: later_years)
    years = [(rd.period and int(rd.period[:4]), FROM_ARGUMENT), (title_year, FROM_TITLE),
             (D.parse_year(period_text or ""), FROM_META), (month_sheet and month_sheet[0], FROM_SHEET)]
    year, source = next(((y, s) for y, s in years if y), (None, None))
    later_years = [(D.parse_year(stem), FROM_FILE), (filled.year if filled else None, FROM_META)]
    meta["year"] = year
    if year is not None:
        origins["year"] = Origin(str(year), source)

    periods = [(rd.period, FROM_ARGUMENT),
               (month_sheet and year and f"{year:04d}-{month_sheet[1]:02d}", FROM_SHEET),
               (D.parse_period(period_text or "", year), FROM_META),
               (next((p for p in (D.parse_period(t, year) for t in titles) if p), None), FROM_TITLE)]
    period, source = next(((p, s) for p, s in periods if p), (None, None))
    meta["period"] = period
    if period:
        origins["period"] = Origin(period, source)
    # a month named without its year (“（12月）”) waits for the year: the dates' one comes before the
    # fill date's (a December ledger filled in on 2027-01-03 is 2026's). The file name is the weakest
    # evidence: its month is used after the dates' (bqw.io.tables), its year after theirs too.
    months = [(month_sheet and month_sheet[1], FROM_SHEET), (D.parse_month(period_text or ""), FROM_META),
              (next((m for m in map(D.parse_month, titles) if m), None), FROM_TITLE)]
    month_only = None if period else next(((m, s) for m, s in months if m), None)

    if "leader" not in meta and kind == "visits":  # only a visit ledger is a leader's: not a 评价得分 sheet
        for leader, source in ((sheet_leader(sheet.name), FROM_SHEET), (_leader_from_name(stem), FROM_FILE)):
            if leader:
                meta["leader"] = leader
                origins["leader"] = Origin(leader, source)
                break
    meta["title"] = title
    return SheetContext(meta, origins, above, later_years, month_only,
                        D.parse_year(stem), D.parse_month(_FILE_DATE.sub("", stem)))


def _leader_from_name(stem: str) -> str | None:
    """“……台账（10月）-洪文泽（更正）” -> 洪文泽."""
    parts = re.split(r"[-—_－]+", stem)
    if len(parts) < 2:
        return None
    tail = FILE_NAME_NOISE.sub("", parts[-1])
    return tail if NAME_LIKE.match(tail) else None


def file_name_period(context: SheetContext, meta: dict, table: Table, result: ReadResult) -> None:
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

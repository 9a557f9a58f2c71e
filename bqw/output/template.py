"""Blank fill-in templates generated from the ledger spec, as a 指挥部办公室 hands them out.

One data sheet per ledger (the kind ``tasks`` gives the three linked lists 问题清单 / 责任清单 /
任务清单) plus a 填表说明 sheet. The layout is the one real submissions have and the reader
expects (docs/ledgers.md, “真实报表的常见情况”): a merged title row, a “填报单位：… 填报时间：…”
line, the header (two rows where columns are grouped), and an example row with 序号 “例”
that bqw drops when reading. Where the offices have their own printed template
(``LedgerSpec.printed_columns``: 附件3 for visits), the sheet follows it column for column — its
title-block line, its header texts and its example row — so what offices fill in from it reads
back exactly. Every text is written as a text cell, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from pathlib import Path

from bqw.ledgers import KINDS, get_spec
from bqw.ledgers import spec as S

DATA_ROWS = 500  # rows below the example row that get drop-downs and input checks
INSTRUCTIONS = "填表说明"  # the reader skips sheets named like this (bqw.io.book.INSTRUCTION_SHEET)
META_LINE = "填报单位：            填报时间：    年  月  日"
EXAMPLE_MARK = "例"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "宋体"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)

# The title under which each ledger circulates; {year} and {unit} are filled in.
TITLES = {
    "visits": "{year}年度{unit}领导开展“百千万工程”工作挂点调研台账",
    "assignments": "{year}年度{unit}领导挂点联系村安排表",
    "roster": "{year}年度{unit}“百千万工程”指挥部成员名单",
    "problems": "{year}年度{unit}“百千万工程”问题清单",
    "responsibilities": "{year}年度{unit}“百千万工程”责任清单",
    "tasks": "{year}年度{unit}“百千万工程”任务清单",
    "scores": "{year}年度{unit}典型村（单个培育类）评价表",
    "decisions": "{year}年度{unit}“百千万工程”会议议定事项台账",
}

# Where a column the printed layout has no cell for is written instead (the 填表说明 says so).
NOT_PRINTED = {
    ("visits", "镇领导"): "模板不设此列：每份台账只填一位领导，姓名填在表头上方“挂点领导：”之后，"
                          "或写在文件名中，如“挂点调研台账（10月）-洪文泽.xlsx”",
}


def write_template(kind: str, path, *, year: int | None = None, unit: str | None = None) -> Path:
    """Write the blank template of `kind` to `path` (.xlsx) atomically; returns the path written.

    `path` may be a folder: the file is then named after the ledger, e.g. “挂点调研台账（模板）.xlsx”.
    """
    import xlsxwriter

    if kind not in KINDS:
        raise ValueError(f"未知的台账类型“{kind}”，可选：{'、'.join(KINDS)}")
    specs = family_specs(kind)
    path = Path(path)
    if path.is_dir():
        path = path / f"{get_spec(kind).title if kind != 'tasks' else '问题整改三张清单'}（模板）.xlsx"
    from bqw.core.atomic import atomic_path, zip_output

    with atomic_path(path) as tmp, zip_output(tmp) as output:
        wb = xlsxwriter.Workbook(output, {"strings_to_formulas": False, "strings_to_numbers": False,
                                       "strings_to_urls": False})
        styles = _Styles(wb)
        for spec in specs:
            _data_sheet(wb, styles, spec, title(spec.kind, year, unit), year)
        _instructions_sheet(wb, styles, specs)
        wb.set_properties({"title": title(kind, year, unit), "subject": "百千万工程台账填报模板",
                           "comments": "由 bqw 生成"})
        wb.close()
    return path


def family_specs(kind: str) -> list[S.LedgerSpec]:
    """The specs a template of `kind` holds: the three linked lists for ``tasks``."""
    if kind == "tasks":
        from bqw.ledgers.rectification import SPECS

        return list(SPECS)
    return [get_spec(kind)]


def title(kind: str, year: int | None = None, unit: str | None = None) -> str:
    """The merged title row, e.g. “2026年度××镇领导开展“百千万工程”工作挂点调研台账”."""
    return TITLES[kind].format(year=year if year else "____", unit=(unit or "").strip() or "××镇")


# --- layout and header labels ---------------------------------------------------------------

def layout(spec: S.LedgerSpec) -> tuple[S.PrintedColumn, ...]:
    """The template's columns, left to right: the printed ones when the offices have a printed
    template, else one per spec column (labels and parent headers from the spec)."""
    if spec.printed_columns:
        return spec.printed_columns
    return tuple(S.PrintedColumn(c.name, _spec_label(spec, c), group_label(spec, c.group) if c.group else None,
                                 EXAMPLE_MARK if c.type == S.SERIAL else c.example)
                 for c in spec.columns)


def _spec_label(spec: S.LedgerSpec, column: S.Column) -> str:
    if spec.kind == "scores" and column.type == S.NUMBER and column.maximum is not None:
        return f"{column.name.removeprefix('指标')}（{column.maximum:g}分）"
    return column.name


def placed(spec: S.LedgerSpec, column: S.Column) -> list[S.PrintedColumn]:
    """The template columns read as `column` (none, one, or several joined with “；”)."""
    return [p for p in layout(spec) if p.column == column.name]


def header_label(spec: S.LedgerSpec, column: S.Column) -> str:
    """The header text a column gets in the template (scores items read like “6（7分）”; several
    printed sub-columns read as one column are listed with “／”; no cell: the canonical name)."""
    labels = [p.label for p in placed(spec, column)]
    return "／".join(labels) if labels else column.name


def group_label(spec: S.LedgerSpec, group: str) -> str:
    """The merged parent header over a group of columns, e.g. “风貌提升（12分）”."""
    if spec.kind == "scores":
        from bqw.ledgers.scores import GROUPS

        points = {g: p for g, p, _ in GROUPS}
        if group in points:
            return f"{group}（{points[group]}分）"
        if group == "负面清单":
            return "负面清单（有/无）"
    return group


def groups(spec: S.LedgerSpec) -> list[tuple[str | None, int, int]]:
    """Runs of adjacent template columns sharing a parent header: (parent or None, first, last index)."""
    runs: list[tuple[str | None, int, int]] = []
    for i, p in enumerate(layout(spec)):
        if runs and p.group is not None and runs[-1][0] == p.group and runs[-1][2] == i - 1:
            runs[-1] = (p.group, runs[-1][1], i)
        else:
            runs.append((p.group, i, i))
    return runs


def two_row_header(spec: S.LedgerSpec) -> bool:
    return any(p.group for p in layout(spec))


def meta_line(spec: S.LedgerSpec) -> str:
    """The title-block line above the header: the printed one (挂点领导 …) or “填报单位：… 填报时间：…”."""
    return spec.printed_meta_line or META_LINE


# --- what to fill in ---------------------------------------------------------------------------

def requirement(column: S.Column) -> str:
    """What to fill in a column, in Chinese (input prompt, 填表说明, docs)."""
    t, note = column.type, column.note
    parts = []
    if t == S.ENUM and column.enum:
        parts.append("从下拉列表选择：" + "、".join(column.enum))
        if note.startswith("从下拉列表选择"):
            note = ""
    elif t == S.YESNO:
        parts.append("填“有”或“无”，任一项为“有”即一票否决" if column.group == "负面清单" else "填“有”或“无”")
    elif t == S.NUMBER and column.maximum is not None:
        parts.append(f"满分 {column.maximum:g} 分，可填 0.5 分")
    elif t == S.NUMBER:
        parts.append("不小于 0 的数值")
    elif t == S.DATE:
        parts.append("日期，如 2026年11月30日" + ("；写成范围时取最后一天" if column.range_end else ""))
    elif t == S.SERIAL:
        parts.append("可留空，合并时重新编号")
    elif not note:  # the spec's note, when there is one, already says how to write these
        parts.append({S.COUNT: "不小于 0 的整数，如 3",
                      S.DATERANGE: "日期，如 2026年10月5日；连续多天写成“10月15日-16日”",
                      S.LIST: "可填多个，用“、”分隔",
                      S.PHONE: "手机 11 位，或带区号的固话（如 0758-1234567）"}.get(t, ""))
    if note and not any(note in p for p in parts):
        parts.append(note)
    return "；".join(p for p in parts if p)


def _prompt(column: S.Column) -> str:
    head = "必填" if column.required else "选填"
    text = f"{head}（{S.TYPE_ZH[column.type]}）。{requirement(column)}"
    return text if len(text) <= 255 else text[:254] + "…"


# --- sheets ----------------------------------------------------------------------------------

class _Styles:
    """The workbook's cell formats, created once."""

    def __init__(self, wb):
        base = {"font_name": BODY_FONT, "font_size": 11}
        self.title = wb.add_format({**base, "font_name": TITLE_FONT, "font_size": 16, "bold": True,
                                    "align": "center", "valign": "vcenter"})
        self.meta = wb.add_format({**base, "align": "left", "valign": "vcenter"})
        self.header = wb.add_format({**base, "bold": True, "border": 1, "align": "center",
                                     "valign": "vcenter", "text_wrap": True, "bg_color": "#DDEBF7"})
        self.example = wb.add_format({**base, "italic": True, "font_color": "#808080", "border": 1,
                                      "valign": "vcenter", "text_wrap": True})
        self.text = wb.add_format({**base, "num_format": "@", "valign": "vcenter", "text_wrap": True})
        self.plain = wb.add_format({**base, "valign": "vcenter", "text_wrap": True})
        self.date = wb.add_format({**base, "num_format": DATE_FORMAT, "valign": "vcenter"})
        self.heading = wb.add_format({**base, "bold": True, "font_size": 12})
        self.doc_title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.para = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.cell = wb.add_format({**base, "text_wrap": True, "valign": "top", "border": 1})

    def column(self, column: S.Column):
        if column.type in (S.DATE, S.DATERANGE):
            return self.date
        if column.type in (S.TEXT, S.NAME, S.LIST, S.CONTACT, S.PHONE):
            return self.text  # “@”: a typed phone number or 编号 stays text
        return self.plain


def _data_sheet(wb, st: _Styles, spec: S.LedgerSpec, title_text: str, year: int | None) -> None:
    ws = wb.add_worksheet(spec.title)
    printed = layout(spec)
    columns = [spec.column(p.column) for p in printed]  # what each template column is read as
    last = len(printed) - 1
    two = two_row_header(spec)
    top = 2  # 0-based row of the header's first row
    bottom = top + (1 if two else 0)
    example_row = bottom + 1

    ws.set_row(0, 36)
    _merge_text(ws, 0, 0, 0, last, title_text, st.title)
    ws.set_row(1, 22)
    _merge_text(ws, 1, 0, 1, last, meta_line(spec), st.meta)
    ws.set_row(top, 36 if not two else 30)
    if two:  # tall enough for the longest sub-header (附件3's “1.xx项目(工作)：…”) to show whole
        ws.set_row(bottom, max([30] + [15 * _lines(p.label, c.width)
                                       for p, c in zip(printed, columns) if p.group]))

    for i, c in enumerate(columns):
        ws.set_column(i, i, c.width, st.column(c))
    for group, first, end in groups(spec):
        if group is None:
            for i in range(first, end + 1):
                _merge_text(ws, top, i, bottom, i, printed[i].label, st.header)
        else:
            _merge_text(ws, top, first, top, end, group, st.header)
            for i in range(first, end + 1):
                ws.write_string(bottom, i, printed[i].label, st.header)
    for i, (p, c) in enumerate(zip(printed, columns)):
        r = bottom if (two and p.group) else top  # the cell Excel selects: a merge's top-left
        ws.data_validation(r, i, r, i, {
            "validate": "any", "input_title": c.name[:32], "input_message": _prompt(c)})

    # The example row: 序号 “例”, dropped by the reader (bqw.io.rows.EXAMPLE_MARKS).
    for i, (p, c) in enumerate(zip(printed, columns)):
        value = _example(c, p.example, year)
        if value is None:
            ws.write_blank(example_row, i, None, st.example)
        elif isinstance(value, bool):
            ws.write_string(example_row, i, "有" if value else "无", st.example)
        elif isinstance(value, (int, float)):
            ws.write_number(example_row, i, value, st.example)
        else:
            ws.write_string(example_row, i, str(value), st.example)

    first, end = example_row + 1, example_row + DATA_ROWS
    for i, c in enumerate(columns):
        rule = _validation(c)
        rule.setdefault("input_title", c.name[:32])
        rule.setdefault("input_message", _prompt(c))
        ws.data_validation(first, i, end, i, rule)

    frozen_cols = 2 if spec.kind == "scores" else 0  # keep 序号 and 村名 in view on the wide sheet
    ws.freeze_panes(example_row, frozen_cols)
    ws.repeat_rows(top, bottom)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)


def _merge_text(ws, r0, c0, r1, c1, text: str, fmt) -> None:
    """A merged cell holding text; merge_range() alone would write via write() (formulas)."""
    if (r0, c0) != (r1, c1):
        ws.merge_range(r0, c0, r1, c1, "", fmt)
    ws.write_string(r0, c0, text, fmt)


def _lines(text: str, width: float) -> int:
    """Lines `text` wraps to in a column `width` characters wide (a CJK character is two wide)."""
    wide = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, math.ceil(wide / width))


def _example(column: S.Column, value, year: int | None):
    """The example row's value of a column, the year filled in (“2026年…” → the template's year)."""
    if year and isinstance(value, str):
        value = value.replace("2026年", f"{year}年")
    if year and column.name in ("评价年度",) and isinstance(value, int):
        value = year
    return value


def _validation(column: S.Column) -> dict:
    """The xlsxwriter data validation for a data column."""
    t = column.type
    if t == S.ENUM and column.enum:
        return {"validate": "list", "source": list(column.enum), "error_title": "取值不在范围内",
                "error_message": f"请从下拉列表中选择：{'、'.join(column.enum)}"[:255]}
    if t == S.YESNO:
        return {"validate": "list", "source": ["有", "无"], "error_title": "应填有或无",
                "error_message": "请从下拉列表中选择“有”或“无”"}
    if t == S.COUNT:
        return {"validate": "integer", "criteria": ">=", "value": 0, "error_title": "应为非负整数",
                "error_message": "请填写不小于 0 的整数，如 3"}
    if t == S.NUMBER and column.maximum is not None:
        return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": column.maximum,
                "error_title": "得分超出范围",
                "error_message": f"本项满分 {column.maximum:g} 分，请填写 0～{column.maximum:g} 之间的分数"}
    if t == S.NUMBER:
        return {"validate": "decimal", "criteria": ">=", "value": 0, "error_title": "应为非负数值",
                "error_message": "请填写不小于 0 的数值"}
    if t == S.DATE:
        # A warning, not a stop: text dates such as “2026.11.30” are still accepted by bqw.
        return {"validate": "date", "criteria": "between", "minimum": MIN_DATE, "maximum": MAX_DATE,
                "error_type": "warning", "error_title": "日期格式",
                "error_message": "建议填写日期，如 2026年11月30日；确需填写文字可点“是”继续"}
    return {"validate": "any"}  # a date range such as “10月15日-16日” is text: prompt only


# --- 填表说明 ----------------------------------------------------------------------------------

def _meta_labels(spec: S.LedgerSpec) -> str:
    """The labels of the title-block line, quoted: “填报单位”“填报时间” (or “挂点领导”“协助部门”…)."""
    return "".join(f"“{label}”" for label in re.findall(r"([^\s：]+)：", meta_line(spec)))


def _instructions_sheet(wb, st: _Styles, specs: list[S.LedgerSpec]) -> None:
    from bqw.core.findings import CATALOGUE, SEVERITY_ZH

    ws = wb.add_worksheet(INSTRUCTIONS)
    widths = (18, 10, 16, 48, 40)
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    row = 0

    def line(text, fmt=st.para, height=None):
        nonlocal row
        ws.merge_range(row, 0, row, len(widths) - 1, "", fmt)
        ws.write_string(row, 0, text, fmt)
        if height:
            ws.set_row(row, height)
        row += 1

    def cells(values, fmt):
        nonlocal row
        for i, v in enumerate(values):
            ws.write_string(row, i, v, fmt)
        row += 1

    names = "、".join(s.title for s in specs)
    line(f"{names}填表说明", st.doc_title, 24)
    line("一、通用要求", st.heading)
    general = [
        "1. 请勿修改、删除或调换表头；每条记录填一行，从示例行（序号为“例”）下方开始填写。示例行可保留，bqw 读取时会自动跳过。",
        f"2. 标题中的年度、单位和第二行的{_meta_labels(specs[0])}请如实填写；文件名建议写明月份和填报人，如“挂点调研台账（10月）-洪文泽.xlsx”。",
        "3. 日期请填写为日期格式，如 2026年10月5日；带下拉箭头的列请从下拉列表中选择。",
        "4. 选中表头单元格可查看该列的填写提示；不要在表格中间插入合计行或空行。",
        "5. 本说明表不会被当作数据读取，可保留。",
    ]
    for text in general:
        line(text, height=32)
    for n, spec in enumerate(specs):
        row += 1
        line(f"{'二三四五六七八'[n]}、{spec.title}", st.heading)
        if spec.description:
            line(spec.description, height=32)
        cells(("列名", "是否必填", "类型", "填写要求", "可识别的表头写法"), st.header)
        for c in spec.columns:
            label = header_label(spec, c)
            shown = c.name if label == c.name else f"{c.name}（表头：{label}）"
            cells_of = placed(spec, c)
            parent = next((p.group for p in cells_of if p.group), None)
            if parent and two_row_header(spec):
                shown += f"，位于“{parent}”下"
            need = "；".join(x for x in (
                NOT_PRINTED.get((spec.kind, c.name), ""),
                f"{len(cells_of)} 列都可填写，bqw 读取时按顺序以“；”连接" if len(cells_of) > 1 else "",
                requirement(c), "不得重复" if c.name in spec.unique else "") if x)
            cells((shown, "必填" if c.required else "选填", S.TYPE_ZH[c.type], need or "—",
                   "、".join(c.aliases) or "—"), st.cell)
        if spec.derived:
            line("bqw 自动计算的列：" + "；".join(f"{d.name}：{d.note}" for d in spec.derived), height=32)
        if spec.rules:
            line("校验规则：", st.heading)
            for r in spec.rules:
                rule = CATALOGUE.get(r.code)
                head = f"{rule.title}（{SEVERITY_ZH[rule.severity]}）" if rule else r.code
                line(f"· {head}：{r.note}")
        line("此外，必填项不能为空，日期、数量、下拉选项须能识别，否则 bqw 校验时报错并指出单元格。")

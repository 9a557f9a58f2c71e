#!/usr/bin/env python3
"""Write the deterministic sample ledgers of a fictional town (平安镇) into samples/.

Usage:  python scripts/make_samples.py [OUTDIR]      (default: <repo>/samples)

The files imitate what town offices really send: hand-filled Excel/WPS sheets
with title rows, two-row headers, merged cells, example rows left in, footers,
dates and numbers typed in many ways, .xls/.csv exports, lock files and
duplicate submissions.  They are NOT shaped to fit any particular parser.

Everything is deterministic: a seeded random.Random, no wall clock, fixed
workbook properties, so two runs give identical bytes.  The script first
deletes only the files it is about to generate and never touches anything
else in OUTDIR.

Reporting period of the samples: 2026年10月.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import xlsxwriter
import xlwt
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

SEED = 20261022
YEAR, MONTH = 2026, 10
TOWN = "平安镇"
FIXED_CREATED = dt.datetime(2026, 11, 3, 9, 30, 0)
AS_OF = dt.date(2026, 10, 31)

VISITS_TITLE = "2026年度平安镇领导开展‘百千万工程’工作挂点调研台账"
VISITS_STEM = "附件3：平安镇领导挂点调研台账（10月）"

# --------------------------------------------------------------------------
# Master data of the fictional town
# --------------------------------------------------------------------------

# leader -> (post, roster unit, assigned villages, 协助部门, separator text used
# in the assignments sheet for this leader's villages)
LEADERS: dict[str, dict[str, Any]] = {
    "洪文泽": dict(post="党委书记", unit="平安镇党委", role="总指挥", team="",
                 villages=["东坑村", "新塘社区", "石龙村"], dept="党政办", sep="、"),
    "李明": dict(post="党委副书记、镇长", unit="平安镇人民政府", role="第一副总指挥", team="",
               villages=["下沙村", "上围村"], dept="经发办", sep="，"),
    "陈志强": dict(post="党委副书记", unit="平安镇党委", role="常务副总指挥", team="乡村振兴",
                 villages=["塘尾村", "鹤岗村", "白石村"], dept="农业农村办", sep=";"),
    "黄丽娟": dict(post="党委委员、组织委员", unit="平安镇党委", role="副总指挥", team="政策支持",
                 villages=["金竹村", "长安社区"], dept="党建办", sep=" "),
    "张国华": dict(post="党委委员、副镇长", unit="平安镇人民政府", role="副总指挥", team="城镇建设",
                 villages=["南岭村", "西湖村"], dept="自然资源所", sep="\n"),
    "刘晓燕": dict(post="副镇长", unit="平安镇人民政府", role="副总指挥", team="镇域经济",
                 villages=["大岭村", "龙田村", "水口村"], dept="社会事务办", sep=", "),
    "林海峰": dict(post="党委委员、武装部部长", unit="平安镇党委", role="副总指挥", team="要素保障",
                 villages=["高埔村", "横江村"], dept="综治办", sep="；"),
    # 吴建新 shares 东坑村 with 洪文泽 and submits nothing in October (催报).
    "吴建新": dict(post="人大主席", unit="平安镇人大", role="副总指挥", team="信息化",
                 villages=["凤凰社区", "东坑村"], dept="规划建设办", sep="、"),
}
NON_SUBMITTER = "吴建新"

# village -> (党组织书记 name, phone, committee unit name)
VILLAGES: dict[str, tuple[str, str]] = {
    "东坑村": ("陈伟", "13812345678"),
    "新塘社区": ("黄志坚", "13729876543"),
    "石龙村": ("李国强", "13926781234"),
    "下沙村": ("何永红", "13502718866"),
    "上围村": ("钟建平", "13690125577"),
    "塘尾村": ("罗少华", "15013572468"),
    "鹤岗村": ("叶伟明", "15986423179"),
    "白石村": ("邱桂芳", "13714628390"),
    "金竹村": ("曾德胜", "18923456012"),
    "长安社区": ("温丽萍", "13829374615"),
    "南岭村": ("谢振东", "15807526631"),
    "西湖村": ("刘汉光", "13480913275"),
    "大岭村": ("赖志远", "18676540219"),
    "龙田村": ("古文华", "13922048751"),
    "水口村": ("彭建华", "15118836402"),
    "高埔村": ("朱锦荣", "13631187504"),
    "横江村": ("卢秀英", "17722659018"),
    "凤凰社区": ("许伟强", "13378205564"),
}


def committee(village: str) -> str:
    return village + ("居委会" if village.endswith("社区") else "委会")


# Department heads (成员) and their 联络员; names reused by the rectification
# ledgers (责任人) and by the footers (填报人).
DEPARTMENTS: list[dict[str, str]] = [
    dict(unit="党政办", head="张小红", post="主任", team="政策支持", liaison="陈嘉怡",
         head_tel="13702261188", liaison_tel="0752-6123456"),
    dict(unit="党建办", head="罗美玲", post="主任", team="政策支持", liaison="黄晓婷",
         head_tel="13682291045", liaison_tel="13924570813"),
    dict(unit="经发办", head="钟丽萍", post="主任", team="镇域经济", liaison="王芳",
         head_tel="13502296130", liaison_tel="13902223344"),
    dict(unit="农业农村办", head="郑国栋", post="主任", team="乡村振兴", liaison="林小燕",
         head_tel="13826417752", liaison_tel="15915376620"),
    dict(unit="自然资源所", head="周文斌", post="所长", team="要素保障", liaison="蔡俊杰",
         head_tel="13750238841", liaison_tel="0752-6128807"),
    dict(unit="规划建设办", head="何志明", post="主任", team="城镇建设", liaison="杨帆",
         head_tel="13694017326", liaison_tel="18820437765"),
    dict(unit="社会事务办", head="孙丽", post="主任", team="乡村振兴", liaison="吴佳慧",
         head_tel="13560784219", liaison_tel="13790124563"),
    dict(unit="综治办", head="梁永康", post="主任", team="要素保障", liaison="苏志诚",
         head_tel="13927716045", liaison_tel="15876650932"),
    dict(unit="综合执法办", head="叶志华", post="队长", team="城镇建设", liaison="马俊",
         head_tel="13480156627", liaison_tel="13539270184"),
    dict(unit="财政所", head="邓丽华", post="所长", team="政策支持", liaison="邝慧敏",
         head_tel="13631504498", liaison_tel="0752-6120315"),
    dict(unit="信息化服务中心", head="江涛", post="主任", team="信息化", liaison="冯子豪",
         head_tel="18688093421", liaison_tel="13809267714"),
]
# 联络员 of the three leadership bodies
LEADER_UNIT_LIAISONS = {
    "平安镇党委": ("党委秘书", "谭文静", "13728830417"),
    "平安镇人民政府": ("政府秘书", "陈浩然", "13825574906"),
    "平安镇人大": ("人大办干事", "黎颖", "15089213367"),
}
# 联络员 of village committees: name pool (generated names would be too uniform)
VILLAGE_LIAISONS = [
    ("张丽", "13612018835"), ("李嘉欣", "13544170926"), ("黄伟健", "13827031548"),
    ("陈美华", "15920347718"), ("刘志伟", "13715026493"), ("郭晓玲", "18902265370"),
    ("谢雨欣", "13632907814"), ("廖建国", "13413370562"), ("邹敏", "13802476611"),
    ("何丽珍", "15218839042"), ("潘志豪", "13590641175"), ("梁秀兰", "13760483329"),
    ("韦家明", "18718805246"), ("骆婷婷", "13692240381"), ("严国辉", "15017762045"),
    ("胡小霞", "13580936270"), ("方伟", "13926650417"), ("孔令辉", "13828091153"),
]

# (调研内容, 具体成效, problems solved) pool; contents are what leaders really write
VISIT_TOPICS: list[tuple[str, str, int]] = [
    ("调研人居环境整治工作，实地查看村道两侧垃圾清理情况", "协调解决垃圾转运车辆不足问题，明确每日清运", 1),
    ("督导农房风貌管控，查看在建农房报建情况", "发现未批先建2宗，已交自然资源所跟进", 2),
    ("调研村集体经济发展，了解闲置厂房盘活和土地流转情况", "推动闲置厂房对外招租，预计年增收8万元", 1),
    ("调研“四小园”建设和绿美乡村工作", "明确新增“四小园”5处，落实专人跟进", 2),
    ("走访脱贫户和监测户，了解帮扶措施落实情况", "为2户监测户落实临时救助", 2),
    ("调研高标准农田建设及秋种备耕", "协调解决灌溉水渠堵塞问题", 1),
    ("召开村“两委”座谈会，研究典型村创建工作", "梳理创建短板7项，形成任务清单", 3),
    ("检查森林防火和安全生产工作", "督促整改消防通道堵塞隐患1处", 1),
    ("调研污水管网建设进度", "协调施工单位加快进度，明确11月底前完工", 1),
    ("调研村级党群服务中心建设和使用情况", "推动功能室错时开放", 0),
    ("调研村道硬底化及路灯安装项目", "协调解决路灯电源接入问题", 1),
    ("调研河道清“四乱”和河长制落实情况", "清理河道漂浮物约3吨", 2),
    ("调研农村集体“三资”管理情况", "规范合同管理，清理到期合同4份", 4),
    ("调研特色产业（丝苗米）发展情况", "对接电商平台，拓宽销售渠道", 0),
    ("实地查看村庄规划编制和“三线”划定情况", "", 0),
    ("调研文明实践站活动开展情况", "指导制定11月活动计划", 0),
]
NOTES = ["", "", "", "", "已整改到位", "需镇级协调", "持续跟进", "联合农业农村办调研"]

OCT_WORKDAYS = [d for d in range(8, 31) if dt.date(YEAR, MONTH, d).weekday() < 5]


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def addr(row: int, col: int) -> str:
    """Excel address of a 0-based (row, col)."""
    return xl_rowcol_to_cell(row, col)


def excel_serial(d: dt.date) -> int:
    return (d - dt.date(1899, 12, 30)).days


CN_NUM = "零一二三四五六七八九十"


def fmt_date(style: str, start: dt.date, end: dt.date | None = None) -> Any:
    """Render a visit date the way people type it. 'date' keeps a real date."""
    y, m, d = start.year, start.month, start.day
    if style == "date":
        return start
    if style == "cn":
        return f"{y}年{m}月{d}日"
    if style == "dot":
        return f"{y}.{m}.{d}"
    if style == "slash":
        return f"{y}/{m}/{d}"
    if style == "md":
        return f"{m}月{d}日"
    if style == "range_md":
        assert end is not None
        return f"{m}月{d}日-{end.day}日"
    if style == "range_dot":
        assert end is not None
        return f"{y}.{m}.{d}-{end.day}"
    if style == "serial":
        return str(excel_serial(start))
    raise ValueError(style)


def fmt_count(style: str, n: int | None) -> Any:
    if n is None or style == "blank":
        return None
    if style == "int":
        return n
    if style == "ge":
        return f"{n}个"
    if style == "fw":
        return "".join(chr(0xFF10 + int(c)) for c in str(n))
    if style == "cn":
        return CN_NUM[n]
    raise ValueError(style)


def new_workbook(path: Path, **options: Any) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path), options or None)
    wb.set_properties({"author": "Administrator", "created": FIXED_CREATED})
    return wb


class Fmts:
    """The handful of cell formats every hand-made ledger uses."""

    def __init__(self, wb: xlsxwriter.Workbook, date_format: str = 'yyyy"年"m"月"d"日"'):
        base = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "vcenter", "text_wrap": True}
        self.title = wb.add_format({"font_name": "方正小标宋简体", "font_size": 18, "align": "center",
                                    "valign": "vcenter"})
        self.info = wb.add_format({"font_name": "宋体", "font_size": 11, "align": "left", "valign": "vcenter"})
        self.head = wb.add_format({**base, "bold": True, "align": "center", "font_name": "黑体"})
        self.cell = wb.add_format({**base})
        self.center = wb.add_format({**base, "align": "center"})
        self.date = wb.add_format({**base, "align": "center", "num_format": date_format})
        self.foot = wb.add_format({"font_name": "宋体", "font_size": 11, "valign": "vcenter"})
        self.plain = wb.add_format({"font_name": "宋体", "font_size": 11, "text_wrap": True, "valign": "top"})


def put(ws, row: int, col: int, value: Any, f: Fmts, fmt=None) -> None:
    """Write one cell: real dates as date cells, None as an empty bordered cell."""
    fmt = fmt or f.cell
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), f.date)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, f.center)
    else:
        ws.write_string(row, col, value, fmt)


def write_instructions(ws, f: Fmts, title: str, lines: list[str]) -> None:
    ws.set_column(0, 0, 100)
    ws.write_string(0, 0, title, f.title)
    for i, line in enumerate(lines, start=2):
        ws.write_string(i, 0, line, f.plain)


# --------------------------------------------------------------------------
# Visits data
# --------------------------------------------------------------------------

@dataclass
class Visit:
    leader: str
    start: dt.date
    end: dt.date | None
    village: str
    content: str
    effect: str
    count: int | None
    contact: str
    note: str = ""


CONTACT_STYLES = [
    lambda v, n, t: f"村支书{n} {t}",
    lambda v, n, t: f"{n}（村支书）{t}",
    lambda v, n, t: f"{n} {t}",
    lambda v, n, t: f"{v}党总支书记{n}，{t}",
    lambda v, n, t: f"{n}\n{t}",
]


def pick_days(rng: random.Random, n: int, ranges: set[int]) -> list[int]:
    """n sorted October work days, >= 2 days apart; range visits need a next work day."""
    while True:
        days = sorted(rng.sample(OCT_WORKDAYS, n))
        if any(b - a < 2 for a, b in zip(days, days[1:])):
            continue
        if any(days[i] + 1 not in OCT_WORKDAYS for i in ranges):
            continue
        return days


def make_visits(rng: random.Random, leader: str, n: int, ranges: set[int] = frozenset(),
                blank_counts: set[int] = frozenset(), contact_style: int = 0) -> list[Visit]:
    villages = list(LEADERS[leader]["villages"])
    rng.shuffle(villages)
    topics = rng.sample(VISIT_TOPICS, n)
    days = pick_days(rng, n, set(ranges))
    out = []
    for i, (day, (content, effect, solved)) in enumerate(zip(days, topics)):
        village = villages[i % len(villages)]
        name, tel = VILLAGES[village]
        start = dt.date(YEAR, MONTH, day)
        out.append(Visit(
            leader=leader, start=start,
            end=start + dt.timedelta(days=1) if i in ranges else None,
            village=village, content=content, effect=effect,
            count=None if i in blank_counts else solved,
            contact=CONTACT_STYLES[(contact_style + i) % len(CONTACT_STYLES)](village, name, tel),
            note=rng.choice(NOTES),
        ))
    return out


# --------------------------------------------------------------------------
# Visit ledger writers, one per leader (each a different real-world layout)
# --------------------------------------------------------------------------

def write_hong(path: Path, visits: list[Visit], date_styles: list[str], count_styles: list[str],
               fill_date: str) -> None:
    """洪文泽: merged title + 填报单位 line, two-row header with 调研成效 parent,
    leader merged down (name typed with a full-width space), =ROW()-4 序号,
    real and text dates, “3个” counts, line breaks in content, footer."""
    wb = new_workbook(path)
    f = Fmts(wb)
    ws = wb.add_worksheet("Sheet1")
    ws.set_column("A:A", 6); ws.set_column("B:B", 10); ws.set_column("C:C", 16)
    ws.set_column("D:D", 12); ws.set_column("E:E", 36); ws.set_column("F:F", 14)
    ws.set_column("G:G", 30); ws.set_column("H:H", 24); ws.set_column("I:I", 12)
    ws.set_row(0, 36)
    ws.merge_range("A1:I1", VISITS_TITLE, f.title)
    ws.merge_range("A2:I2", f"填报单位：平安镇党政办（盖章）　　　　　　　　填报时间：{fill_date}", f.info)
    for col, name in enumerate(["序号", "镇领导", "调研时间", "调研地点", "调研内容"]):
        ws.merge_range(2, col, 3, col, name, f.head)
    ws.merge_range("F3:G3", "调研成效", f.head)
    ws.write_string("F4", "调研推动解决问题数量（个）", f.head)
    ws.write_string("G4", "具体成效", f.head)
    ws.merge_range("H3:H4", "联系人及联系方式", f.head)
    ws.merge_range("I3:I4", "备注", f.head)
    first = 4
    for i, v in enumerate(visits):
        r = first + i
        ws.write_formula(r, 0, "=ROW()-4", f.center, i + 1)
        put(ws, r, 2, fmt_date(date_styles[i], v.start, v.end), f, f.center)
        put(ws, r, 3, v.village, f)
        put(ws, r, 4, v.content, f)
        put(ws, r, 5, fmt_count(count_styles[i], v.count), f, f.center)
        put(ws, r, 6, v.effect, f)
        put(ws, r, 7, v.contact, f)
        put(ws, r, 8, v.note, f)
    last = first + len(visits) - 1
    ws.merge_range(first, 1, last, 1, "洪\u3000文泽", f.center)
    ws.merge_range(last + 2, 0, last + 2, 8,
                   "填报人：张小红　　　　　审核人：洪文泽　　　　　联系电话：0752-6123456", f.foot)
    wb.close()


def write_li(path: Path, visits: list[Visit], date_styles: list[str]) -> None:
    """李明: 填表说明 sheet BEFORE the data sheet, template example row “例”,
    header aliases 挂点领导 / 调研村（社区） / 调研推动解决问题数量(个), different
    column order, blank rows between data rows, 合计 row with =SUM(), footer
    spread over three cells.  constant_memory mode -> inline strings."""
    wb = new_workbook(path, constant_memory=True)
    f = Fmts(wb, date_format="yyyy/m/d")
    guide = wb.add_worksheet("填表说明")
    write_instructions(guide, f, "填表说明", [
        "1. 本表由各挂点领导所在牵头部门每月5日前报送镇百千万工程指挥部办公室。",
        "2. “调研时间”请填写具体日期，如2026年10月8日；连续多天的请填写起止日期。",
        "3. “调研推动解决问题数量”请填写阿拉伯数字。",
        "4. 第一行“例”为填写示例，填报时可删除。",
    ])
    ws = wb.add_worksheet("调研台账")
    ws.activate()
    widths = [6, 10, 12, 14, 36, 30, 12, 26, 10]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.merge_range("A1:I1", VISITS_TITLE, f.title)
    headers = ["序号", "挂点领导", "调研村（社区）", "调研时间", "调研内容", "调研成效",
               "调研推动解决问题数量(个)", "联系人及联系方式", "备注"]
    for c, h in enumerate(headers):
        ws.write_string(1, c, h, f.head)
    example = ["例", "张三", "××村", "2026年1月10日", "调研人居环境整治工作推进情况",
               "推动解决村道破损问题", 1, "村支书李四 13800000000", ""]
    for c, val in enumerate(example):
        put(ws, 2, c, val, f, f.center if c == 0 else None)
    r = 3
    counts_rows = []
    for i, v in enumerate(visits):
        put(ws, r, 0, i + 1, f)
        put(ws, r, 1, v.leader if i != 2 else "李 明", f, f.center)
        put(ws, r, 2, v.village, f)
        put(ws, r, 3, fmt_date(date_styles[i], v.start, v.end), f, f.center)
        put(ws, r, 4, v.content, f)
        put(ws, r, 5, v.effect, f)
        put(ws, r, 6, v.count, f)
        put(ws, r, 7, v.contact, f)
        put(ws, r, 8, v.note, f)
        counts_rows.append(r)
        r += 1
        if i == 1:  # somebody deleted a row's contents but not the row
            for c in range(9):
                ws.write_blank(r, c, None, f.cell)
            r += 1
    total = sum(v.count or 0 for v in visits)
    ws.merge_range(r, 0, r, 5, "合计", f.head)
    ws.write_formula(r, 6, f"=SUM(G4:G{r})", f.center, total)
    ws.write_blank(r, 7, None, f.cell); ws.write_blank(r, 8, None, f.cell)
    r += 2
    ws.write_string(r, 0, "填报人：王芳", f.foot)
    ws.write_string(r, 3, "审核人：李明", f.foot)
    ws.write_string(r, 6, "联系电话：13902223344", f.foot)
    wb.close()


def write_chen_xls(path: Path, visits: list[Visit], date_styles: list[str], count_styles: list[str]) -> None:
    """陈志强 (.xls from old Excel/WPS): merged title, “挂点领导：陈志强” line,
    header alias 调研领导, template example row “示例”, dates “2026.10.5”,
    “2026/10/5” and a real date, counts “３” and “三”, footer."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    border = "borders: left thin, right thin, top thin, bottom thin;"
    title = xlwt.easyxf("font: name 宋体, height 360, bold on; align: horiz center, vert center")
    info = xlwt.easyxf("font: name 宋体, height 220; align: horiz left")
    head = xlwt.easyxf(f"font: name 黑体, height 220, bold on; align: horiz center, vert center, wrap on; {border}")
    cell = xlwt.easyxf(f"font: name 宋体, height 220; align: vert center, wrap on; {border}")
    date = xlwt.easyxf(f"font: name 宋体, height 220; align: horiz center; {border}", num_format_str="yyyy-m-d")
    widths = [6, 10, 14, 12, 36, 30, 12, 26, 10]
    for c, w in enumerate(widths):
        ws.col(c).width = w * 256
    ws.write_merge(0, 0, 0, 8, VISITS_TITLE, title)
    ws.row(0).height_mismatch = True
    ws.row(0).height = 600
    ws.write_merge(1, 1, 0, 8, "挂点领导：陈志强", info)
    headers = ["序号", "调研领导", "调研时间", "调研地点", "调研内容", "调研成效",
               "推动解决问题数量", "联系人及联系方式", "备注"]
    for c, h in enumerate(headers):
        ws.write(2, c, h, head)
    example = ["示例", "×××", "2026.1.10", "××村", "调研村集体经济发展情况", "推动解决××问题", "1",
               "村支书××× 138××××××××", "此行为示例"]
    for c, val in enumerate(example):
        ws.write(3, c, val, cell)
    for i, v in enumerate(visits):
        r = 4 + i
        ws.write(r, 0, i + 1, cell)
        ws.write(r, 1, v.leader, cell)
        d = fmt_date(date_styles[i], v.start, v.end)
        if isinstance(d, dt.date):
            ws.write(r, 2, dt.datetime(d.year, d.month, d.day), date)
        else:
            ws.write(r, 2, d, cell)
        ws.write(r, 3, v.village, cell)
        ws.write(r, 4, v.content, cell)
        ws.write(r, 5, v.effect, cell)
        cnt = fmt_count(count_styles[i], v.count)
        ws.write(r, 6, "" if cnt is None else cnt, cell)
        ws.write(r, 7, v.contact, cell)
        ws.write(r, 8, v.note, cell)
    r = 4 + len(visits) + 1
    ws.write(r, 0, "填报人：林小燕　　审核人：陈志强　　联系电话：15915376620", info)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())


def write_csv(path: Path, rows: list[list[Any]], encoding: str) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow(["" if x is None else x for x in row])
    path.write_bytes(buf.getvalue().encode(encoding))


def huang_csv_rows(visits: list[Visit], date_styles: list[str], count_styles: list[str]) -> list[list[Any]]:
    """黄丽娟 (.csv UTF-8 with BOM, “Save as CSV UTF-8” from a sheet with a title):
    title line with trailing commas, alias 领导姓名, 调研时间 before the leader,
    dates “10月5日” without year and ranges “10月15日-16日”, a “三” count, a
    line break inside a quoted contact cell."""
    rows: list[list[Any]] = [[VISITS_TITLE] + [""] * 8]
    rows.append(["序号", "调研时间", "领导姓名", "调研地点", "调研内容", "调研成效",
                 "调研推动解决问题数量（个）", "联系人及联系方式", "备注"])
    for i, v in enumerate(visits):
        rows.append([i + 1, fmt_date(date_styles[i], v.start, v.end), v.leader, v.village, v.content,
                     v.effect, fmt_count(count_styles[i], v.count), v.contact, v.note])
    return rows


def zhang_csv_rows(visits: list[Visit], date_styles: list[str], count_styles: list[str]) -> list[list[Any]]:
    """张国华 (.csv GBK, Excel's default “CSV (逗号分隔)” on a Chinese Windows):
    no title, 调研村（社区）, count column before 调研成效, range “2026.10.21-22”,
    an Excel serial number as text, full-width spaces."""
    rows: list[list[Any]] = [["序号", "镇领导", "调研村（社区）", "调研时间", "调研内容",
                              "推动解决问题数量(个)", "调研成效", "联系人及联系方式", "备注"]]
    for i, v in enumerate(visits):
        leader = v.leader if i != 1 else "张国华\u3000"
        rows.append([i + 1, leader, v.village, fmt_date(date_styles[i], v.start, v.end),
                     v.content.replace("，", "，\u3000", 1) if i == 0 else v.content,
                     fmt_count(count_styles[i], v.count), v.effect, v.contact, v.note])
    return rows


def write_liu(path: Path, visits: list[Visit], date_styles: list[str], dragged: int) -> None:
    """刘晓燕: hidden list sheet feeding a dropdown, merged title + 填报单位 line,
    header cells with line breaks, =ROW()-3 序号 dragged `dragged` rows below
    the data (rows holding only the cached number), leader merged down,
    合计 with =SUM() over the whole pre-numbered block, footer in one cell."""
    wb = new_workbook(path)
    f = Fmts(wb)
    ws = wb.add_worksheet("Sheet1")
    lists = wb.add_worksheet("村名单")
    for i, name in enumerate(LEADERS["刘晓燕"]["villages"]):
        lists.write_string(i, 0, name)
    lists.hide()
    widths = [6, 10, 18, 12, 36, 30, 14, 26, 10]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.merge_range("A1:I1", VISITS_TITLE, f.title)
    ws.merge_range("A2:I2", "填报单位：社会事务办　　　　　　　　　　填报时间：2026年11月2日", f.info)
    headers = ["序号", "挂点\n领导", "调研时间", "调研地点", "调研内容", "调研成效",
               "调研推动解决\n问题数量（个）", "联系人及\n联系方式", "备注"]
    ws.set_row(2, 32)
    for c, h in enumerate(headers):
        ws.write_string(2, c, h, f.head)
    first = 3
    for i, v in enumerate(visits):
        r = first + i
        ws.write_formula(r, 0, "=ROW()-3", f.center, i + 1)
        put(ws, r, 2, fmt_date(date_styles[i], v.start, v.end), f, f.center)
        put(ws, r, 3, v.village, f)
        put(ws, r, 4, v.content, f)
        put(ws, r, 5, v.effect, f)
        put(ws, r, 6, v.count, f)
        put(ws, r, 7, v.contact, f)
        put(ws, r, 8, v.note, f)
    last = first + len(visits) - 1
    ws.merge_range(first, 1, last, 1, "刘晓燕", f.center)
    for k in range(1, dragged + 1):
        r = last + k
        ws.write_formula(r, 0, "=ROW()-3", f.center, r - 2)
        for c in range(1, 9):
            ws.write_blank(r, c, None, f.cell)
    block_end = last + dragged
    r = block_end + 1
    total = sum(v.count or 0 for v in visits)
    ws.merge_range(r, 0, r, 5, "合计", f.head)
    ws.write_formula(r, 6, f"=SUM(G{first + 1}:G{block_end + 1})", f.center, total)
    ws.write_blank(r, 7, None, f.cell); ws.write_blank(r, 8, None, f.cell)
    ws.data_validation(first, 3, block_end, 3,
                       {"validate": "list", "source": f"=村名单!$A$1:$A${len(LEADERS['刘晓燕']['villages'])}"})
    ws.merge_range(r + 2, 0, r + 2, 8,
                   "填报人：吴佳慧　　　审核人：孙丽　　　联系电话：13790124563", f.foot)
    wb.close()


def write_lin(path: Path, visits: list[Visit], date_styles: list[str], count_styles: list[str]) -> None:
    """林海峰: 填报单位 / 填报时间 in two separate cells, two-row header with
    spaced and broken header text and the sub-columns in the other order,
    alias 调研领导, =ROW()-4 序号 (gaps where blank rows were left), serial
    numbers stored as text, NBSP in cells, a full-width “３” and “2个”."""
    wb = new_workbook(path)
    f = Fmts(wb, date_format="yyyy-mm-dd")
    ws = wb.add_worksheet("10月")
    widths = [6, 14, 10, 12, 36, 30, 14, 26, 10]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.merge_range("A1:I1", VISITS_TITLE, f.title)
    ws.write_string("A2", "填报单位：综治办（盖章）", f.info)
    ws.write_string("G2", "填报时间：2026年11月4日", f.info)
    for col, name in enumerate(["序  号", "调 研 时 间", "调研领导", "调研村\n（社区）", "调研内容"]):
        ws.merge_range(2, col, 3, col, name, f.head)
    ws.merge_range("F3:G3", "调 研 成 效", f.head)
    ws.write_string("F4", "具体成效", f.head)
    ws.write_string("G4", "调研推动解决问题\n数量（个）", f.head)
    ws.merge_range("H3:H4", "联系人及联系方式", f.head)
    ws.merge_range("I3:I4", "备  注", f.head)
    r = 4
    for i, v in enumerate(visits):
        ws.write_formula(r, 0, "=ROW()-4", f.center, r - 3)
        put(ws, r, 1, fmt_date(date_styles[i], v.start, v.end), f, f.center)
        put(ws, r, 2, v.leader, f, f.center)
        put(ws, r, 3, v.village + ("\u00a0" if i == 1 else ""), f)
        put(ws, r, 4, v.content, f)
        put(ws, r, 5, v.effect, f)
        put(ws, r, 6, fmt_count(count_styles[i], v.count), f, f.center)
        contact = v.contact
        if i == 0:  # pasted from a web page: NBSP between name and number
            sec, tel = VILLAGES[v.village]
            contact = f"村支书{sec}\u00a0{tel}"
        put(ws, r, 7, contact, f)
        put(ws, r, 8, v.note, f)
        r += 1
        if i in (2, 4):  # blank rows left between entries
            r += 1
    wb.close()


def write_lock_file(path: Path, owner: str = "Administrator") -> None:
    """Excel owner file: 1-byte length + ANSI name padded to 54 bytes, then a
    2-byte length + UTF-16LE name, padded with spaces to 165 bytes."""
    a = owner.encode("ascii")
    buf = bytes([len(a)]) + a.ljust(53, b" ")
    buf += len(owner).to_bytes(2, "little") + owner.encode("utf-16-le")
    buf += (b"\x20\x00" * 100)[: 165 - len(buf)]
    path.write_bytes(buf)


# --------------------------------------------------------------------------
# Assignments and roster
# --------------------------------------------------------------------------

def write_assignments(path: Path) -> None:
    wb = new_workbook(path)
    f = Fmts(wb)
    ws = wb.add_worksheet("Sheet1")
    for c, w in enumerate([6, 10, 20, 30, 14, 16]):
        ws.set_column(c, c, w)
    ws.merge_range("A1:F1", "平安镇领导挂点联系村（社区）安排表", f.title)
    for c, h in enumerate(["序号", "镇领导", "职务", "联系行政村", "协助部门", "备注"]):
        ws.write_string(1, c, h, f.head)
    for i, (name, info) in enumerate(LEADERS.items()):
        r = 2 + i
        put(ws, r, 0, i + 1, f)
        put(ws, r, 1, name, f, f.center)
        put(ws, r, 2, info["post"], f)
        put(ws, r, 3, info["sep"].join(info["villages"]), f)
        put(ws, r, 4, info["dept"], f, f.center)
        put(ws, r, 5, "东坑村由两位领导共同挂点" if name == "吴建新" else "", f)
    r = 2 + len(LEADERS) + 1
    ws.merge_range(r, 0, r, 5, "注：挂点领导每年到挂点村（社区）调研不少于5次，累计不少于5天；"
                                "每月调研情况由协助部门汇总填报《挂点调研台账》。", f.plain)
    ws.set_row(r, 36)
    wb.close()


@dataclass
class Member:
    name: str
    unit: str
    post: str
    role: str
    team: str
    tel: str
    note: str = ""


def roster_members() -> list[Member]:
    out: list[Member] = []
    for name, info in LEADERS.items():
        out.append(Member(name, info["unit"], info["post"], info["role"], info["team"],
                          {"洪文泽": "13802268899", "李明": "13902217766", "陈志强": "13682204417",
                           "黄丽娟": "13711095326", "张国华": "13925586402", "刘晓燕": "15813370925",
                           "林海峰": "13528843176", "吴建新": "13680027514"}[name],
                          "指挥部办公室主任" if name == "陈志强" else ""))
    for unit, (post, name, tel) in LEADER_UNIT_LIAISONS.items():
        out.append(Member(name, unit, post, "联络员", "", tel))
    for d in DEPARTMENTS:
        out.append(Member(d["head"], d["unit"], d["post"], "成员", d["team"], d["head_tel"]))
        out.append(Member(d["liaison"], d["unit"], "工作人员", "联络员", d["team"], d["liaison_tel"]))
    for (village, (sec, tel)), (lname, ltel) in zip(VILLAGES.items(), VILLAGE_LIAISONS):
        unit = committee(village)
        out.append(Member(sec, unit, "党组织书记", "成员", "乡村振兴", tel))
        out.append(Member(lname, unit, "村（居）委委员" if village.endswith("村") else "社区专职工作者",
                          "联络员", "乡村振兴", ltel))
    return out


def write_roster(path: Path, members: list[Member]) -> dict[str, Any]:
    """Returns the layout: first data row (0-based) and column indexes."""
    wb = new_workbook(path)
    f = Fmts(wb)
    guide = wb.add_worksheet("填表说明")
    ws = wb.add_worksheet("成员名单")
    ws.activate()
    write_instructions(guide, f, "填表说明", [
        "1. 各成员单位确定1名联络员，负责日常联络和材料报送。",
        "2. “指挥部职务”填写：总指挥、第一副总指挥、常务副总指挥、副总指挥、成员、联络员。",
        "3. “所属专班”填写：镇域经济、城镇建设、乡村振兴、要素保障、政策支持、信息化。",
        "4. 联系电话请填写手机号码或带区号的固定电话。人员变动请及时报指挥部办公室更新。",
    ])
    headers = ["序号", "姓名", "单位", "职务", "指挥部职务", "所属专班", "联系电话", "备注"]
    for c, w in enumerate([6, 10, 18, 18, 14, 12, 16, 18]):
        ws.set_column(c, c, w)
    ws.merge_range("A1:H1", "平安镇百千万工程指挥部成员名单", f.title)
    ws.merge_range("A2:H2", "（2026年10月更新）", f.info)
    for c, h in enumerate(headers):
        ws.write_string(2, c, h, f.head)
    first = 3
    for i, m in enumerate(members):
        r = first + i
        vals = [i + 1, m.name, m.unit, m.post, m.role, m.team, m.tel, m.note]
        for c, val in enumerate(vals):
            put(ws, r, c, val, f, f.center if c in (0, 1, 4) else None)
    wb.close()
    return {"first": first, "cols": {h: c for c, h in enumerate(headers)}}


# --------------------------------------------------------------------------
# Rectification ledgers (问题清单 / 责任清单 / 任务清单)
# --------------------------------------------------------------------------

D = dt.date


@dataclass
class Task:
    tid: str
    content: str
    source: str
    lead: str
    partners: str
    due: dt.date
    progress: str
    status: str
    done: dt.date | None = None
    pid: str | None = None  # set when written; defaults to its problem


@dataclass
class Problem:
    pid: str
    desc: str
    source: str
    found: dt.date
    village: str
    unit: str
    leader: str
    person: str
    tasks: list[Task] = field(default_factory=list)


def rectification_data() -> list[Problem]:
    P = Problem
    T = Task
    return [
        P("PA2026-001", "东坑村主干道两侧存在乱堆乱放，垃圾清运不及时", "督导检查", D(2026, 6, 12), "东坑村",
          "农业农村办", "洪文泽", "郑国栋", [
              T("PA2026-001-1", "组织开展村道沿线环境卫生集中整治", "问题整改", "农业农村办", "东坑村委会",
                D(2026, 7, 31), "已完成集中清理，建立长效保洁机制", "已完成", D(2026, 7, 25)),
              T("PA2026-001-2", "落实保洁员考核制度，每月通报保洁情况", "会议议定", "农业农村办", "东坑村委会",
                D(2026, 9, 30), "考核办法已起草，待村民代表会议表决", "推进中"),
          ]),
        P("PA2026-002", "新塘社区农房报建流程不清晰，存在未批先建现象", "调研发现", D(2026, 7, 3), "新塘社区",
          "自然资源所", "张国华", "周文斌", [
              T("PA2026-002-1", "开展农房报建政策宣传，公开办理流程", "问题整改", "自然资源所", "新塘社区居委会",
                D(2026, 8, 31), "已入户宣传并张贴流程图", "已完成", D(2026, 9, 10)),
              T("PA2026-002-2", "对未批先建农房逐户摸排建档，分类处置", "领导批示", "自然资源所",
                "规划建设办、综合执法办", D(2026, 11, 30), "已摸排32户，建档26户", "进行中"),
          ]),
        P("PA2026-003", "石龙村生活污水管网未全覆盖，部分污水直排", "会议交办", D(2026, 5, 20), "石龙村",
          "规划建设办", "洪文泽", "何志明", [
              T("PA2026-003-1", "编制污水管网补短板实施方案", "会议议定", "规划建设办", "石龙村委会",
                D(2026, 6, 30), "方案已印发", "已销号", D(2026, 6, 28)),
              T("PA2026-003-2", "完成二期污水管网铺设", "重点项目", "规划建设办", "石龙村委会",
                D(2026, 10, 15), "已铺设1.2公里，剩余0.6公里", "推进中"),
              T("PA2026-003-3", "完成沿线农户入户接驳", "问题整改", "石龙村委会", "规划建设办",
                D(2026, 12, 31), "待二期管网完工后实施", "未启动"),
          ]),
        P("PA2026-004", "鹤岗村集体经济收入低于10万元", "上级通报", D(2026, 4, 15), "鹤岗村",
          "经发办", "陈志强", "钟丽萍", [
              T("PA2026-004-1", "盘活村闲置厂房对外出租", "问题整改", "经发办", "鹤岗村委会",
                D(2026, 9, 30), "已签订租赁合同，年租金8.6万元", "已完成", D(2026, 9, 18)),
              T("PA2026-004-2", "发展丝苗米特色种植合作社", "年度要点", "农业农村办", "鹤岗村委会",
                D(2026, 12, 31), "已完成选址和社员发动", "推进中"),
          ]),
        P("PA2026-005", "大岭村“四小园”建设进度滞后", "督导检查", D(2026, 8, 8), "大岭村",
          "农业农村办", "刘晓燕", "郑国栋", [
              T("PA2026-005-1", "完成20个“四小园”示范点建设", "问题整改", "农业农村办", "大岭村委会",
                D(2026, 10, 20), "已建成12个", "推进中"),
          ]),
        P("PA2026-006", "高埔村部分路段路灯损坏，夜间照明不足", "群众反映", D(2026, 9, 2), "高埔村",
          "规划建设办", "林海峰", "何志明", [
              T("PA2026-006-1", "维修更换损坏路灯", "为民实事", "规划建设办", "高埔村委会",
                D(2026, 9, 30), "已更换路灯46盏", "已销号", D(2026, 10, 8)),
          ]),
        P("PA2026-007", "金竹村党群服务中心功能室利用率低", "调研发现", D(2026, 9, 15), "金竹村",
          "党建办", "黄丽娟", "罗美玲", [
              T("PA2026-007-1", "制定功能室开放使用管理制度", "领导批示", "党建办", "金竹村委会",
                D(2026, 10, 31), "初稿已形成，征求意见中", "推进中"),
              T("PA2026-007-2", "开展“党群活动月”系列活动", "问题整改", "金竹村委会", "党建办",
                D(2026, 11, 30), "", "未启动"),
          ]),
        P("PA2026-008", "下沙村河道沿岸存在违规养殖棚舍", "上级通报", D(2026, 6, 25), "下沙村",
          "综合执法办", "李明", "叶志华", [
              T("PA2026-008-1", "清理拆除违规养殖棚舍", "问题整改", "综合执法办", "下沙村委会、自然资源所",
                D(2026, 8, 15), "养殖户思想工作未做通", "未启动"),
              T("PA2026-008-2", "建立村级河长巡河台账", "会议议定", "农业农村办", "下沙村委会",
                D(2026, 9, 30), "已建立并按周巡河", "已完成", D(2026, 9, 30)),
          ]),
    ]


PROBLEM_HEADERS = ["序号", "问题编号", "问题描述", "问题来源", "发现时间", "涉及村（社区）"]
RESP_HEADERS = ["序号", "问题编号", "责任单位", "责任领导", "责任人", "备注"]
TASK_HEADERS = ["序号", "任务编号", "问题编号", "整改措施", "任务来源", "牵头单位", "配合单位",
                "完成时限", "进展情况", "完成状态", "完成时间", "备注"]


def write_three_lists(path: Path, problems: list[Problem], extra_tasks: list[Task] = (),
                      fill_date: str = "2026年11月3日") -> dict[str, Any]:
    """Three sheets linked by 问题编号. Returns layout {sheet: (first_row, {header: col})}
    plus the 0-based row of each written task (in write order)."""
    wb = new_workbook(path)
    f = Fmts(wb, date_format="yyyy-mm-dd")
    layout: dict[str, Any] = {}
    info = f"填报单位：平安镇百千万工程指挥部办公室　　　　　　　　填报时间：{fill_date}"

    def start(name: str, title: str, headers: list[str], widths: list[int]):
        ws = wb.add_worksheet(name)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        last = xl_col_to_name(len(headers) - 1)
        ws.merge_range(f"A1:{last}1", title, f.title)
        ws.merge_range(f"A2:{last}2", info, f.info)
        for c, h in enumerate(headers):
            ws.write_string(2, c, h, f.head)
        layout[name] = (3, {h: c for c, h in enumerate(headers)})
        return ws

    ws = start("问题清单", "平安镇“百千万工程”问题清单", PROBLEM_HEADERS, [6, 14, 44, 12, 14, 14])
    for i, p in enumerate(problems):
        for c, val in enumerate([i + 1, p.pid, p.desc, p.source, p.found, p.village]):
            put(ws, 3 + i, c, val, f)
    ws = start("责任清单", "平安镇“百千万工程”责任清单", RESP_HEADERS, [6, 14, 16, 12, 12, 16])
    for i, p in enumerate(problems):
        for c, val in enumerate([i + 1, p.pid, p.unit, p.leader, p.person, ""]):
            put(ws, 3 + i, c, val, f)
    ws = start("任务清单", "平安镇“百千万工程”任务清单", TASK_HEADERS,
               [6, 16, 14, 36, 10, 14, 20, 14, 30, 10, 14, 10])
    tasks = [(t.pid or p.pid, t) for p in problems for t in p.tasks] + [(t.pid, t) for t in extra_tasks]
    rows = []
    for i, (pid, t) in enumerate(tasks):
        r = 3 + i
        vals = [i + 1, t.tid, pid, t.content, t.source, t.lead, t.partners, t.due,
                t.progress, t.status, t.done, ""]
        for c, val in enumerate(vals):
            put(ws, r, c, val, f, f.center if c in (0, 9) else None)
        rows.append(r)
    layout["task_rows"] = rows
    wb.close()
    return layout


def write_combined(path: Path, problems: list[Problem]) -> None:
    """One 整改台账 sheet: one row per task, problem and responsibility
    columns (and 序号) merged down over the problem's tasks; a two-row header
    grouping the columns under 问题清单 / 责任清单 / 任务清单; some dates typed
    as text the way people do."""
    wb = new_workbook(path)
    f = Fmts(wb)
    ws = wb.add_worksheet("整改台账")
    prob_cols = ["问题编号", "问题描述", "问题来源", "发现时间", "涉及村（社区）"]
    resp_cols = ["责任单位", "责任领导", "责任人"]
    task_cols = ["任务编号", "任务内容", "任务来源", "牵头单位", "配合单位", "完成时限",
                 "进展情况", "完成状态", "完成时间"]
    headers = ["序号"] + prob_cols + resp_cols + task_cols + ["备注"]
    widths = [6, 13, 36, 10, 13, 12, 13, 10, 9, 15, 32, 10, 13, 18, 13, 26, 10, 13, 10]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    last = xl_col_to_name(len(headers) - 1)
    ws.merge_range(f"A1:{last}1", "平安镇“百千万工程”问题整改台账", f.title)
    ws.merge_range(f"A2:{last}2",
                   "填报单位：平安镇百千万工程指挥部办公室　　　　　　　　填报时间：2026年11月3日", f.info)
    ws.merge_range(2, 0, 3, 0, "序号", f.head)
    c0 = 1
    for group, cols in (("问题清单", prob_cols), ("责任清单", resp_cols), ("任务清单", task_cols)):
        ws.merge_range(2, c0, 2, c0 + len(cols) - 1, group, f.head)
        for k, h in enumerate(cols):
            ws.write_string(3, c0 + k, h, f.head)
        c0 += len(cols)
    ws.merge_range(2, c0, 3, c0, "备注", f.head)
    r = 4
    text_dates = {"PA2026-002-1", "PA2026-006-1", "PA2026-008-1"}  # typed by hand
    for i, p in enumerate(problems):
        n = len(p.tasks)
        left = [i + 1, p.pid, p.desc, p.source, p.found, p.village, p.unit, p.leader, p.person]
        for c, val in enumerate(left):
            if n > 1:
                if isinstance(val, dt.date):
                    ws.merge_range(r, c, r + n - 1, c, None, f.date)
                    ws.write_datetime(r, c, dt.datetime(val.year, val.month, val.day), f.date)
                else:
                    ws.merge_range(r, c, r + n - 1, c, val, f.center if c == 0 else f.cell)
            else:
                put(ws, r, c, val, f)
        for k, t in enumerate(p.tasks):
            due: Any = t.due
            done: Any = t.done
            if t.tid in text_dates:
                due = f"{t.due.year}年{t.due.month}月{t.due.day}日"
                done = f"{t.done.year}.{t.done.month}.{t.done.day}" if t.done else None
            vals = [t.tid, t.content, t.source, t.lead, t.partners, due, t.progress, t.status, done, ""]
            for j, val in enumerate(vals):
                put(ws, r + k, len(left) + j, val, f, f.center if j == 7 else None)
        r += n
    wb.close()


# --------------------------------------------------------------------------
# Scores (典型村评价)
# --------------------------------------------------------------------------

SCORE_GROUPS = [("人居环境", [3, 3, 3, 3, 4]), ("风貌提升", [7, 5]), ("绿美建设", [3, 3, 4]),
                ("生产生活设施", [5, 5, 5]), ("公共服务", [4, 4, 4]), ("乡风文明", [4, 4]),
                ("乡村治理", [4, 3, 3, 2]), ("集体经济", [3, 5]), ("农民增收", [7])]
ITEM_MAX = [m for _, ms in SCORE_GROUPS for m in ms]
assert len(ITEM_MAX) == 25 and sum(ITEM_MAX) == 100


def score_rows(rng: random.Random) -> list[dict[str, Any]]:
    villages = ["东坑村", "新塘社区", "石龙村", "鹤岗村", "大岭村", "高埔村"]
    out = []
    for v in villages:
        items = []
        for m in ITEM_MAX:
            loss = rng.choice([0, 0, 0, 0.5, 0.5, 1, 1.5])
            items.append(max(0.0, m - loss))
        neg = ["无"] * 8
        if v == "鹤岗村":
            neg[2] = "有"  # 负面3: veto whatever the score
        out.append({"village": v, "items": items, "neg": neg,
                    "note": "存在违法用地问题，一票否决" if v == "鹤岗村" else ""})
    return out


def write_scores(path: Path, rows: list[dict[str, Any]], typed_totals: dict[str, float] | None = None
                 ) -> dict[str, Any]:
    """Merged group header row over item headers like “1（3分）”, 总分 as
    =SUM() with its cached value (or a typed number for villages in
    typed_totals), 负面清单（有/无） over 负面1…负面8. Returns the layout."""
    typed_totals = typed_totals or {}
    wb = new_workbook(path)
    f = Fmts(wb)
    num = wb.add_format({"font_name": "宋体", "border": 1, "align": "center", "valign": "vcenter",
                         "num_format": "0.0"})
    ws = wb.add_worksheet("评价得分")
    ncols = 2 + 25 + 1 + 8 + 1
    last = xl_col_to_name(ncols - 1)
    ws.set_column(0, 0, 5); ws.set_column(1, 1, 10); ws.set_column(2, 26, 6.5)
    ws.set_column(27, 27, 8); ws.set_column(28, 35, 6); ws.set_column(36, 36, 24)
    ws.merge_range(f"A1:{last}1", "2026年平安镇典型村（单个培育类）评价得分表", f.title)
    ws.merge_range(f"A2:{last}2", "评价单位：平安镇百千万工程指挥部办公室　　　　　　评价时间：2026年10月28日",
                   f.info)
    ws.set_row(3, 30)
    ws.merge_range(2, 0, 3, 0, "序号", f.head)
    ws.merge_range(2, 1, 3, 1, "村名", f.head)
    c = 2
    item = 1
    for group, maxes in SCORE_GROUPS:
        label = f"{group}（{sum(maxes)}分）"
        if len(maxes) > 1:
            ws.merge_range(2, c, 2, c + len(maxes) - 1, label, f.head)
        else:
            ws.write_string(2, c, label, f.head)
        for m in maxes:
            ws.write_string(3, c, f"{item}（{m}分）", f.head)
            c += 1
            item += 1
    total_col = c
    ws.merge_range(2, total_col, 3, total_col, "总分", f.head)
    neg_col = total_col + 1
    ws.merge_range(2, neg_col, 2, neg_col + 7, "负面清单（有/无）", f.head)
    for k in range(8):
        ws.write_string(3, neg_col + k, f"负面{k + 1}", f.head)
    ws.merge_range(2, neg_col + 8, 3, neg_col + 8, "备注", f.head)
    first = 4
    for i, row in enumerate(rows):
        r = first + i
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, row["village"], f.center)
        for k, s in enumerate(row["items"]):
            ws.write_number(r, 2 + k, s, num)
        if row["village"] in typed_totals:
            ws.write_number(r, total_col, typed_totals[row["village"]], num)
        else:
            ws.write_formula(r, total_col, f"=SUM(C{r + 1}:AA{r + 1})", num, sum(row["items"]))
        for k, val in enumerate(row["neg"]):
            ws.write_string(r, neg_col + k, val, f.center)
        put(ws, r, neg_col + 8, row["note"], f)
    r = first + len(rows) + 1
    ws.merge_range(r, 0, r, 20, "评分人：张小红、郑国栋、何志明　　　　　　审核人：陈志强", f.foot)
    wb.close()
    return {"first": first, "total_col": total_col, "item_col": lambda k: 1 + k}


# --------------------------------------------------------------------------
# Files with planted errors
# --------------------------------------------------------------------------

def write_error_files(outdir: Path) -> list[dict[str, Any]]:
    """Write samples/errors/* and return the EXPECTED entries."""
    exp: list[dict[str, Any]] = []

    def expect(file: str, sheet: str, cell: str | None, column: str, problem: str, severity: str,
               value: Any = None) -> None:
        exp.append({"file": file, "sheet": sheet, "cell": cell, "column": column, "problem": problem,
                    "severity": severity, "value": value})

    # ---- visits 1: simple one-row header (黄丽娟) -----------------------------
    name = "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"
    wb = new_workbook(outdir / name)
    f = Fmts(wb)
    ws = wb.add_worksheet("Sheet1")
    for c, w in enumerate([6, 10, 16, 12, 36, 30, 12, 26, 10]):
        ws.set_column(c, c, w)
    ws.merge_range("A1:I1", VISITS_TITLE, f.title)
    headers = ["序号", "镇领导", "调研时间", "调研地点", "调研内容", "调研成效", "推动解决问题数量",
               "联系人及联系方式", "备注"]
    col = {h: c for c, h in enumerate(headers)}
    for c, h in enumerate(headers):
        ws.write_string(1, c, h, f.head)
    jin, chang = VILLAGES["金竹村"], VILLAGES["长安社区"]
    rows = [
        [1, "黄丽娟", "2026年10月8日", "金竹村", "调研党群服务中心功能室使用情况", "推动功能室错时开放", 1,
         f"村支书{jin[0]} {jin[1]}", ""],
        [2, "黄丽娟", "10月35日", "长安社区", "调研“四小园”建设情况", "新增“四小园”3处", 2,
         f"{chang[0]} {chang[1]}", ""],
        [3, "黄丽娟", "2026年10月19日", "金竹村", "调研村集体经济发展情况", "", -2,
         f"村支书{jin[0]} {jin[1]}", ""],
        [4, "黄丽娟", "2026年10月23日", "长安社区", None, "协调解决垃圾转运问题", 1,
         f"{chang[0]} {chang[1]}", ""],
        [5, "黄丽娟", "2026年10月28日", "金竹村", "走访监测户，了解帮扶措施落实情况", "落实临时救助1户", 1,
         f"村支书{jin[0]} {jin[1]}", ""],
    ]
    for i, row in enumerate(rows):
        for c, val in enumerate(row):
            put(ws, 2 + i, c, val, f)
    wb.close()
    sheet = "Sheet1"
    expect(name, sheet, addr(3, col["调研时间"]), "调研时间", "unparseable date text (day 35)", "error", "10月35日")
    expect(name, sheet, addr(4, col["推动解决问题数量"]), "推动解决问题数量", "negative count", "error", -2)
    expect(name, sheet, addr(5, col["调研内容"]), "调研内容", "required value missing", "error", None)

    # ---- visits 2: two-row header (张国华) --------------------------------------
    name = "附件3：平安镇领导挂点调研台账（10月）-张国华（错误示例）.xlsx"
    wb = new_workbook(outdir / name)
    f = Fmts(wb)
    ws = wb.add_worksheet("Sheet1")
    for c, w in enumerate([6, 10, 16, 12, 36, 14, 30, 26, 10]):
        ws.set_column(c, c, w)
    ws.merge_range("A1:I1", VISITS_TITLE, f.title)
    ws.merge_range("A2:I2", "填报单位：自然资源所　　　　　　填报时间：2026年11月3日", f.info)
    for c, h in enumerate(["序号", "镇领导", "调研时间", "调研地点", "调研内容"]):
        ws.merge_range(2, c, 3, c, h, f.head)
    ws.merge_range("F3:G3", "调研成效", f.head)
    ws.write_string("F4", "调研推动解决问题数量（个）", f.head)
    ws.write_string("G4", "具体成效", f.head)
    ws.merge_range("H3:H4", "联系人及联系方式", f.head)
    ws.merge_range("I3:I4", "备注", f.head)
    col = {"调研时间": 2, "调研地点": 3, "联系人及联系方式": 7}
    nl, xh, fh = VILLAGES["南岭村"], VILLAGES["西湖村"], VILLAGES["凤凰社区"]
    rows = [
        [1, "张国华", dt.date(2026, 10, 9), "南岭村", "督导农房风貌管控，查看在建农房报建情况", 1,
         "发现未批先建1宗，已交综合执法办跟进", f"村支书{nl[0]} {nl[1]}", ""],
        [2, "张国华", "2026年9月28日", "西湖村", "调研村道硬底化项目进度", 1, "协调解决施工用地问题",
         f"村支书{xh[0]} {xh[1]}", "9月份调研补报"],
        [3, "张国华", dt.date(2026, 10, 16), "凤凰社区", "调研社区污水管网建设", 0, "",
         f"社区书记{fh[0]} {fh[1]}", ""],
        [4, "张国华", dt.date(2026, 10, 22), "西湖村", "调研河道清“四乱”情况", 2, "清理河道漂浮物约2吨",
         f"村支书{xh[0]} 1381234567", ""],
    ]
    for i, row in enumerate(rows):
        for c, val in enumerate(row):
            put(ws, 4 + i, c, val, f, f.center if c in (0, 1, 5) else None)
    wb.close()
    expect(name, sheet, addr(5, col["调研时间"]), "调研时间", "visit date outside the reporting period 2026-10",
           "warning", "2026年9月28日")
    expect(name, sheet, addr(6, col["调研地点"]), "调研地点", "village not assigned to this leader (张国华)",
           "warning", "凤凰社区")
    expect(name, sheet, addr(7, col["联系人及联系方式"]), "联系人及联系方式",
           "invalid phone number (10 digits)", "warning", f"村支书{xh[0]} 1381234567")

    # ---- roster -------------------------------------------------------------
    name = "平安镇百千万工程指挥部成员名单（错误示例）.xlsx"
    members = roster_members()
    # 1) a second 总指挥
    li = next(i for i, m in enumerate(members) if m.name == "李明")
    members[li] = replace(members[li], role="总指挥")
    # 2) 财政所 loses its 联络员
    members = [m for m in members if not (m.unit == "财政所" and m.role == "联络员")]
    # 3) a bad phone
    bad = next(i for i, m in enumerate(members) if m.name == "孙丽")
    members[bad] = replace(members[bad], tel="1376078421")
    # 4) a person listed twice (same person, same unit, at the end)
    dup = next(m for m in members if m.name == "郑国栋")
    members.append(replace(dup))
    lay = write_roster(outdir / name, members)
    rc, first = lay["cols"], lay["first"]
    sheet = "成员名单"
    expect(name, sheet, addr(first + li, rc["指挥部职务"]), "指挥部职务",
           "second 总指挥 (exactly one allowed; the other is 洪文泽)", "error", "总指挥")
    expect(name, sheet, None, "单位", "unit 财政所 names no 联络员", "error", "财政所")
    expect(name, sheet, addr(first + bad, rc["联系电话"]), "联系电话", "invalid phone number (10 digits)",
           "error", "1376078421")
    expect(name, sheet, addr(first + len(members) - 1, rc["姓名"]), "姓名",
           "person listed twice (郑国栋, 农业农村办)", "error", "郑国栋")

    # ---- tasks (three lists) ----------------------------------------------------
    name = "平安镇问题整改台账（三清单）（错误示例）.xlsx"
    problems = rectification_data()[:4]
    # 已完成 with no 完成时间
    t_nodone = problems[0].tasks[0] = replace(problems[0].tasks[0], done=None)
    # 完成时间 before the problem's 发现时间 (2026-07-03)
    t_early = problems[1].tasks[0] = replace(problems[1].tasks[0], done=D(2026, 6, 20))
    # bad 完成状态
    t_bad = problems[2].tasks[1] = replace(problems[2].tasks[1], status="搞定了")
    # duplicate 任务编号 (the second one carries the duplicate)
    t_dup = problems[3].tasks[1] = replace(problems[3].tasks[1], tid="PA2026-004-1")
    # a task pointing at a problem that is not in 问题清单
    orphan = Task("PA2026-009-1", "完善村规民约并张榜公布", "会议议定", "党建办", "白石村委会",
                  D(2026, 11, 30), "已征求村民意见", "推进中", pid="PA2026-009")
    lay = write_three_lists(outdir / name, problems, [orphan])
    t_first, tc = lay["任务清单"]
    task_order = [t for p in problems for t in p.tasks] + [orphan]

    def task_cell(task: Task, header: str) -> str:
        k = next(i for i, t in enumerate(task_order) if t is task)
        return addr(lay["task_rows"][k], tc[header])

    sheet = "任务清单"
    expect(name, sheet, task_cell(t_nodone, "完成时间"), "完成时间", "已完成 but 完成时间 is empty", "error", None)
    expect(name, sheet, task_cell(t_early, "完成时间"), "完成时间",
           "完成时间 2026-06-20 is before the problem's 发现时间 2026-07-03", "error", "2026-06-20")
    expect(name, sheet, task_cell(t_bad, "完成状态"), "完成状态", "invalid 完成状态 value", "error", "搞定了")
    expect(name, sheet, task_cell(t_dup, "任务编号"), "任务编号", "duplicate 任务编号", "error", "PA2026-004-1")
    expect(name, sheet, task_cell(orphan, "问题编号"), "问题编号", "问题编号 not in 问题清单", "error", "PA2026-009")

    # ---- scores ---------------------------------------------------------------------
    name = "2026年典型村评价得分表（错误示例）.xlsx"
    rows = score_rows(random.Random(SEED + 7))
    rows = [r for r in rows if r["village"] != "鹤岗村"][:4]
    # item 5 (max 4) scored 4.5 in the first village; its 总分 stays a SUM formula
    rows[0]["items"][4] = 4.5
    # typed 总分 that differs from the sum in the third village
    typed = {rows[2]["village"]: sum(rows[2]["items"]) + 2}
    lay = write_scores(outdir / name, rows, typed)
    sheet = "评价得分"
    expect(name, sheet, addr(lay["first"] + 0, 2 + 4), "5", "item 5 score 4.5 above its maximum 4", "error", 4.5)
    expect(name, sheet, addr(lay["first"] + 2, lay["total_col"]), "总分",
           f"submitted 总分 {typed[rows[2]['village']]} differs from the item sum {sum(rows[2]['items'])}",
           "warning", typed[rows[2]["village"]])
    return exp


# --------------------------------------------------------------------------
# The offices' own printed templates, filled in (官方模板/)
# --------------------------------------------------------------------------
# 附件1, 附件3, 附件4 and 附件5 of a town's “领导挂点联系” work plan as printed (the plan's text is
# in the project's shared seeds), typed in here from the print — not from bqw's spec — and filled
# in for 平安镇 the way offices fill them in: 附件3 has no 镇领导 column (one ledger per leader, the
# leader on the “挂点领导：” line above the header), 调研成效 is printed over two sub-columns and
# every other header cell is merged down over both header rows.

OFFICIAL = "官方模板"
OFFICIAL_SEED = SEED + 31  # its own generator: the other samples stay byte for byte as they were

PRINTED_TITLE = "{year} 年度平安镇领导开展“百千万工程”工作挂牌调研督查"  # 附件3's own wording
PRINTED_TOP = ["序号", "调研时间", "调研地点", "调研内容", "调研成效", None, "调研推动解决问题数量(个)",
               "联系人及联系方式", "备注"]
PRINTED_SUB = [None, None, None, None, "推动xx村解决问题xx个：",
               "1.xx项目(工作)：目前进展情况如何。 2.xx项目(工作)：目前进展情况如何。", None, None, None]
PRINTED_EXAMPLE = ["例", f"{YEAR}年xx月xx日", "xx村", "xx村xx工作情况。",
                   "xx村加快推进xx工作，要求做什么、怎么做(具体展开)。", None, None, "xxx；电话xxx", None]
PRINTED_WIDTHS = [6, 16, 12, 30, 28, 36, 12, 22, 10]
BLANK_LEADER_LINE = "挂点领导：            协助部门：            填报时间：    年  月  日"

# 附件4: 一级指标 (points) over its items, each item's text as printed with its points; the
# grouping is the rubric's (the plain-text print shifts some group labels by a row).
RUBRIC: list[tuple[str, int, list[tuple[str, float]]]] = [
    ("人居环境", 16, [
        ("村庄干净整洁，“三线”规整有序，无乱搭、乱建现象。", 3),
        ("垃圾收集点设施配置完善，村内道路及房前屋后、村级工业园、田园等区域内无废弃物堆放，垃圾没有乱扔乱放、"
         "就地焚烧等情况。", 3),
        ("生活污水有效治理，无乱排、乱倒情况。", 3),
        ("农村厕所改造提升完成，无害化卫生户厕基本实现全覆盖。", 3),
        ("垃圾、污水、公共厕所等基础设施的管护费用、机制保障到位。", 4)]),
    ("风貌提升", 12, [
        ("新建农房依法审批，无新增未批先建、私搭乱建等行为，新建农房风貌与村庄整体风貌基本协调。", 7),
        ("1个以上的自然村或村小组开展存量农房微改造。", 5)]),
    ("绿美建设", 10, [
        ("在村庄“四旁”“五边”开展绿化美化。", 3),
        ("古树名木、森林资源有效保护，无随意砍伐行为。", 3),
        ("建设庭院绿化示范点、公共休闲绿地、绿化景观路、桑梓林、景观生态林，至少完成2项建设任务。", 4)]),
    ("生产生活设施", 15, [
        ("农田水利基础设施管护责任得到落实，农田灌排沟渠及时清淤疏通。有高标准农田建设任务的村按时保质完成任务。", 5),
        ("100人以上自然村全部通硬底化路，自然村完成村内道路硬化，村内主干道照明设施完善。", 5),
        ("自然村集中供水基本覆盖，用水可常年稳定供应。", 5)]),
    ("公共服务", 12, [
        ("村内建有公共活动空间或设施，能够满足群众基本文体活动需求。", 4),
        ("行政村设有卫生站且正常运行，不具备条件的村可通过乡镇卫生院定期巡诊、派驻或乡镇卫生院服务覆盖等方式"
         "提供基本医疗卫生服务。", 4),
        ("有需求、有条件的村庄，因地制宜配置农贸市场、小学、幼儿园、快递物流点等服务设施。", 4)]),
    ("乡风文明", 8, [
        ("丧事简办、从简办席、孝亲敬老等纳入村规民约，高价彩礼、大操大办、厚葬薄养等得到明显遏制。", 4),
        ("每年组织开展群众性文体活动不少于2次。", 4)]),
    ("乡村治理", 12, [
        ("建立村级重大事项经党支部会议审议机制，并按照“四议两公开”的程序决策实施。", 4),
        ("党员尤其是担任村两委干部的党员在乡村建设发展中的先锋模范带头作用发挥较好。", 3),
        ("行政村党群服务中心“一站式”服务功能完善，居民医保、养老保险等经办服务下沉到村。", 3),
        ("每年组织开展“三留守”人员关爱活动不少于2次。", 2)]),
    ("集体经济", 8, [
        ("农村集体“三资”台账管理规范，闲置资产资源有效盘活。", 3),
        ("村集体经营性收入达15万元以上。", 5)]),
    ("农民增收", 7, [
        ("本地村民参与典型村建设途径较多，有通过以工代赈、村集体股份分红、就业创业等方式促进增收的具体举措和案例。", 7)]),
]
assert [m for _, _, its in RUBRIC for _, m in its] == ITEM_MAX
NEGATIVE_LIST = [  # 附件5 as printed
    "存在集中连片 3亩以上可复耕的撂荒地块。",
    "新增乱占耕地建房、建“大棚房”。",
    "违反耕地和永久基本农田、生态保护红线和城镇开发边界管控要求。",
    "未完成农村生活污水治理。",
    "违规拆除已被确定为文物保护单位、文化遗产和历史建筑的农房等。",
    "财政资金扶持企业发展项目缺少联农带农机制。",
    "农村集体“三资”交易应上未上农村产权流转交易管理服务平台公开交易，村集体违规举债分红。",
    "村现任“两委”干部出现严重违纪违法行为。",
]


def workdays(year: int, month: int, first: int = 1) -> list[int]:
    days = []
    d = dt.date(year, month, first)
    while d.month == month:
        if d.weekday() < 5:
            days.append(d.day)
        d += dt.timedelta(days=1)
    return days


def month_visits(rng: random.Random, leader: str, year: int, month: int, n: int,
                 ranges: set[int] = frozenset(), first_day: int = 1) -> list[Visit]:
    """n visits of `leader` to his villages in one month, contacts written as 附件3's example
    (“xxx；电话xxx”)."""
    pool = workdays(year, month, first_day)
    while True:
        days = sorted(rng.sample(pool, n))
        if all(b - a >= 2 for a, b in zip(days, days[1:])) and all(days[i] + 1 in pool for i in ranges):
            break
    villages = list(LEADERS[leader]["villages"])
    rng.shuffle(villages)
    out = []
    for i, (day, (content, effect, solved)) in enumerate(zip(days, rng.sample(VISIT_TOPICS, n))):
        village = villages[i % len(villages)]
        sec, tel = VILLAGES[village]
        start = dt.date(year, month, day)
        out.append(Visit(leader=leader, start=start, end=start + dt.timedelta(days=1) if i in ranges else None,
                         village=village, content=content, effect=effect, count=solved,
                         contact=f"{sec}；电话{tel}" if i % 2 == 0 else f"村支书{sec}；电话{tel}",
                         note=rng.choice(NOTES)))
    return out


def effect_parts(v: Visit) -> tuple[str, str]:
    """调研成效 in 附件3's two sub-columns: “推动xx村解决问题N个：” | “1.…。” (either may be empty)."""
    head = f"推动{v.village}解决问题{v.count}个：" if v.count else ""
    detail = f"1.{v.effect}。" if v.effect else ""
    return head, detail


def printed_date(v: Visit, real: bool) -> Any:
    """调研时间 as typed: a date cell (real) or “2026年10月9日”; a two-day visit “10月20日-21日”."""
    if v.end is not None:
        return f"{v.start.month}月{v.start.day}日-{v.end.day}日"
    return v.start if real else f"{v.start.year}年{v.start.month}月{v.start.day}日"


def printed_row(i: int, v: Visit, real_dates: bool) -> list[Any]:
    head, detail = effect_parts(v)
    return [i + 1, printed_date(v, real_dates), v.village, v.content, head, detail, v.count, v.contact, v.note]


def visit_truth(sheet: str | None, row: int, leader: str, unit: str | None, v: Visit) -> dict[str, Any]:
    """The record bqw must read from one written row: where it is, and the merged workbook's columns."""
    return {"sheet": sheet, "row": row, "镇领导": leader, "调研时间": v.start.isoformat(),
            "调研天数": (v.end - v.start).days + 1 if v.end else 1, "调研地点": v.village, "调研内容": v.content,
            "调研成效": "；".join(p for p in effect_parts(v) if p) or None, "推动解决问题数量": v.count,
            "联系人及联系方式": v.contact, "备注": v.note or None, "填报单位": unit,
            "期间": f"{v.start.year}-{v.start.month:02d}"}


def leader_line(leader: str, fill_date: dt.date) -> str:
    return (f"挂点领导：{leader}　　　　协助部门：{LEADERS[leader]['dept']}　　　　"
            f"填报时间：{fill_date.year}年{fill_date.month}月{fill_date.day}日")


def printed_visits_sheet(wb: xlsxwriter.Workbook, f: Fmts, name: str, title: str, line: str,
                         visits: list[Visit], real_dates: bool = True) -> list[int]:
    """One sheet of 附件3 as printed, filled in; returns the Excel row of each visit."""
    ws = wb.add_worksheet(name)
    for c, w in enumerate(PRINTED_WIDTHS):
        ws.set_column(c, c, w)
    ws.set_row(0, 36)
    ws.merge_range(0, 0, 0, 8, title, f.title)
    ws.merge_range(1, 0, 1, 8, line, f.info)
    for c in (0, 1, 2, 3, 6, 7, 8):
        ws.merge_range(2, c, 3, c, PRINTED_TOP[c], f.head)
    ws.merge_range(2, 4, 2, 5, PRINTED_TOP[4], f.head)
    ws.write_string(3, 4, PRINTED_SUB[4], f.head)
    ws.write_string(3, 5, PRINTED_SUB[5], f.head)
    ws.set_row(3, 48)
    for c, val in enumerate(PRINTED_EXAMPLE):
        put(ws, 4, c, val, f)
    rows = []
    for i, v in enumerate(visits):
        r = 5 + i
        for c, val in enumerate(printed_row(i, v, real_dates)):
            put(ws, r, c, val, f, f.center if c in (0, 1, 6) else None)
        rows.append(r + 1)
    ws.repeat_rows(2, 3)
    ws.set_landscape()
    return rows


def write_printed_xls(path: Path, title: str, line: str, visits: list[Visit]) -> list[int]:
    """The same ledger saved as .xls (Excel 97-2003 / WPS): the same merges, date cells."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    border = "borders: left thin, right thin, top thin, bottom thin;"
    title_x = xlwt.easyxf("font: name 宋体, height 360, bold on; align: horiz center, vert center")
    info = xlwt.easyxf("font: name 宋体, height 220; align: horiz left")
    head = xlwt.easyxf(f"font: name 黑体, height 220, bold on; align: horiz center, vert center, wrap on; {border}")
    cell = xlwt.easyxf(f"font: name 宋体, height 220; align: vert center, wrap on; {border}")
    date = xlwt.easyxf(f"font: name 宋体, height 220; align: horiz center; {border}",
                       num_format_str='yyyy"年"m"月"d"日"')
    for c, w in enumerate(PRINTED_WIDTHS):
        ws.col(c).width = w * 256
    ws.write_merge(0, 0, 0, 8, title, title_x)
    ws.write_merge(1, 1, 0, 8, line, info)
    for c in (0, 1, 2, 3, 6, 7, 8):
        ws.write_merge(2, 3, c, c, PRINTED_TOP[c], head)
    ws.write_merge(2, 2, 4, 5, PRINTED_TOP[4], head)
    ws.write(3, 4, PRINTED_SUB[4], head)
    ws.write(3, 5, PRINTED_SUB[5], head)
    for r, row in enumerate([PRINTED_EXAMPLE] + [printed_row(i, v, True) for i, v in enumerate(visits)], start=4):
        for c, val in enumerate(row):
            if isinstance(val, dt.date):
                ws.write(r, c, dt.datetime(val.year, val.month, val.day), date)
            else:
                ws.write(r, c, "" if val is None else val, cell)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return [6 + i for i in range(len(visits))]


def printed_csv_rows(title: str, line: str, visits: list[Visit]) -> list[list[Any]]:
    """The same ledger saved as CSV: what each cell shows (dates as “2026年10月9日”); the merged
    title and 挂点领导 line in their first cell; the second header row flattened, its first cells empty."""
    rows: list[list[Any]] = [[title] + [""] * 8, [line] + [""] * 8, PRINTED_TOP, PRINTED_SUB, PRINTED_EXAMPLE]
    rows += [printed_row(i, v, False) for i, v in enumerate(visits)]
    return rows


def write_town_collection(path: Path, by_leader: dict[str, list[Visit]], month: int) -> list[dict[str, Any]]:
    """A town's collection workbook: each leader's 附件3 copied into a sheet named by the leader
    (“黄 丽娟” typed with a space), the blank 挂点领导 line of the template left as it was."""
    wb = new_workbook(path)
    f = Fmts(wb)
    truth = []
    title = PRINTED_TITLE.format(year=YEAR) + f"（{month}月）"
    for leader, visits in by_leader.items():
        sheet = "黄 丽娟" if leader == "黄丽娟" else leader
        rows = printed_visits_sheet(wb, f, sheet, title, BLANK_LEADER_LINE, visits)
        truth += [visit_truth(sheet, r, leader, None, v) for r, v in zip(rows, visits)]
    wb.close()
    return truth


def write_leader_year(path: Path, leader: str, by_month: dict[int, list[Visit]], fill_date: dt.date
                      ) -> list[dict[str, Any]]:
    """A leader's whole-year workbook: one 附件3 sheet per month 1月 … 12月, the title without a month
    (the sheet name says it); months without visits keep only the header and the example row."""
    wb = new_workbook(path)
    f = Fmts(wb)
    truth = []
    line = leader_line(leader, fill_date)
    for month in range(1, 13):
        visits = by_month.get(month, [])
        sheet = f"{month}月"
        rows = printed_visits_sheet(wb, f, sheet, PRINTED_TITLE.format(year=YEAR), line, visits, real_dates=month % 2 == 0)
        truth += [visit_truth(sheet, r, leader, LEADERS[leader]["dept"], v) for r, v in zip(rows, visits)]
    wb.close()
    return truth


def write_printed_assignments(path: Path) -> list[dict[str, Any]]:
    """附件1 as printed: “附件 1”, the title, 镇领导 | 联系行政村; two-character names padded to
    three (“李 明”), a leader's villages in one cell."""
    wb = new_workbook(path)
    f = Fmts(wb)
    ws = wb.add_worksheet("Sheet1")
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 48)
    ws.write_string(0, 0, "附件 1", f.info)
    ws.merge_range(1, 0, 1, 1, "镇领导挂点联系村安排表", f.title)
    ws.write_string(2, 0, "镇领导", f.head)
    ws.write_string(2, 1, "联系行政村", f.head)
    truth = []
    for i, (name, info) in enumerate(LEADERS.items()):
        shown = f"{name[0]} {name[1]}" if len(name) == 2 else name
        put(ws, 3 + i, 0, shown, f, f.center)
        put(ws, 3 + i, 1, "、".join(info["villages"]), f)
        truth.append({"sheet": "Sheet1", "row": 4 + i, "镇领导": name,
                      "联系行政村": list(info["villages"])})
    wb.close()
    return truth


def write_printed_rubric(path: Path, village: str, rng: random.Random) -> dict[str, Any]:
    """附件4 filled in for one village, as printed: 一级指标 merged down over its items | 序号 |
    二级指标 (its points in the text) | 得分 (the column the office adds), a 合计 row; below it
    附件5's 负面清单: 序号 | 清单内容 | 有/无. The village on a “参评村：” line, the year in the title."""
    wb = new_workbook(path)
    f = Fmts(wb)
    num = wb.add_format({"font_name": "宋体", "border": 1, "align": "center", "valign": "vcenter", "num_format": "0.0"})
    ws = wb.add_worksheet("评分表")
    for c, w in enumerate([14, 6, 70, 10]):
        ws.set_column(c, c, w)
    ws.write_string(0, 0, "附件 4", f.info)
    ws.merge_range(1, 0, 1, 3, f"{YEAR}年度广东省“百千万工程”典型村（单个培育类）评价指标评分表", f.title)
    ws.set_row(1, 36)
    ws.merge_range(2, 0, 2, 3, f"参评村：{village}　　　　评分单位：平安镇百千万工程指挥部办公室　　　　"
                               f"评分时间：{YEAR}年10月28日", f.info)
    for c, h in enumerate(["一级指标", "序号", "二级指标", "得分"]):
        ws.write_string(3, c, h, f.head)
    record: dict[str, Any] = {"sheet": "评分表", "村名": village, "评价年度": YEAR}
    r, n = 4, 0
    for group, points, its in RUBRIC:
        label = f"{group}\n（{points}分）"
        if len(its) > 1:
            ws.merge_range(r, 0, r + len(its) - 1, 0, label, f.center)
        else:
            ws.write_string(r, 0, label, f.center)
        for text, top in its:
            n += 1
            score = max(0.0, top - rng.choice([0, 0, 0, 0.5, 0.5, 1]))
            record[f"指标{n}"] = score
            ws.write_number(r, 1, n, f.center)
            ws.write_string(r, 2, f"{text}（{top:g}分）", f.cell)
            ws.write_number(r, 3, score, num)
            r += 1
    ws.merge_range(r, 0, r, 2, "合计", f.head)
    ws.write_formula(r, 3, f"=SUM(D5:D{r})", num, sum(record[f"指标{k}"] for k in range(1, 26)))
    r += 2
    ws.write_string(r, 0, "附件 5", f.info)
    ws.merge_range(r + 1, 0, r + 1, 3, "广东省“百千万工程”典型村培育负面清单", f.title)
    ws.set_row(r + 1, 30)
    ws.write_string(r + 2, 0, "序号", f.head)
    ws.merge_range(r + 2, 1, r + 2, 2, "清单内容", f.head)
    ws.write_string(r + 2, 3, "有/无", f.head)
    for k, text in enumerate(NEGATIVE_LIST, start=1):
        row = r + 2 + k
        ws.write_number(row, 0, k, f.center)
        ws.merge_range(row, 1, row, 2, text, f.cell)
        ws.write_string(row, 3, "无", f.center)
        record[f"负面{k}"] = "无"
    ws.merge_range(r + 12, 0, r + 12, 3, "评分人：张小红、郑国栋、何志明　　　　　　审核人：陈志强", f.foot)
    wb.close()
    return record


def write_official(outdir: Path, chen_october: list[Visit]) -> dict[str, Any]:
    """Write samples/官方模板/* and return what bqw must read from each file (EXPECTED.json)."""
    rng = random.Random(OFFICIAL_SEED)
    files: list[dict[str, Any]] = []

    def record(name: str, kind: str, records: list[dict[str, Any]]) -> None:
        files.append({"file": name, "kind": kind, "records": records})

    # 附件3, one leader's October ledger (吴建新, who had not reported in 2026-10/), three ways
    wu = month_visits(rng, NON_SUBMITTER, YEAR, MONTH, 4, ranges={2}, first_day=8)
    title = PRINTED_TITLE.format(year=YEAR)
    line = leader_line(NON_SUBMITTER, dt.date(YEAR, 11, 6))
    dept = LEADERS[NON_SUBMITTER]["dept"]
    stem = f"{VISITS_STEM}-{NON_SUBMITTER}"
    wb = new_workbook(outdir / f"{stem}.xlsx")
    rows = printed_visits_sheet(wb, Fmts(wb), "Sheet1", title, line, wu)
    wb.close()
    record(f"{stem}.xlsx", "visits", [visit_truth("Sheet1", r, NON_SUBMITTER, dept, v)
                                      for r, v in zip(rows, wu)])
    rows = write_printed_xls(outdir / f"{stem}.xls", title, line, wu)
    record(f"{stem}.xls", "visits", [visit_truth("Sheet1", r, NON_SUBMITTER, dept, v)
                                     for r, v in zip(rows, wu)])
    write_csv(outdir / f"{stem}.csv", printed_csv_rows(title, line, wu), "gbk")
    record(f"{stem}.csv", "visits", [visit_truth(None, 6 + i, NON_SUBMITTER, dept, v)
                                     for i, v in enumerate(wu)])

    # the town's September collection: one sheet per leader who reported (陈志强's year book is below)
    september = {name: month_visits(rng, name, YEAR, 9, k, ranges={1} if k > 2 else set())
                 for name, k in (("洪文泽", 3), ("李明", 2), ("黄丽娟", 2), ("张国华", 1), ("刘晓燕", 3),
                                 ("林海峰", 2))}
    name = "平安镇领导挂点调研台账汇总（9月）.xlsx"
    record(name, "visits", write_town_collection(outdir / name, september, 9))

    # 陈志强's whole year: some months without visits, 11月 and 12月 not yet filled; 10月 as he reported it
    plan = {1: 2, 3: 2, 4: 1, 5: 2, 6: 1, 7: 2, 9: 1}
    by_month = {m: month_visits(rng, "陈志强", YEAR, m, k, ranges={1} if m == 7 else set()) for m, k in plan.items()}
    by_month[10] = chen_october
    name = f"{YEAR}年挂点调研台账（全年）-陈志强.xlsx"
    record(name, "visits", write_leader_year(outdir / name, "陈志强", dict(sorted(by_month.items())),
                                             dt.date(YEAR, 11, 3)))

    name = "附件1：平安镇领导挂点联系村安排表.xlsx"
    record(name, "assignments", write_printed_assignments(outdir / name))

    name = f"附件4：东坑村典型村评价得分表（{YEAR}年度）.xlsx"
    record(name, "scores", [write_printed_rubric(outdir / name, "东坑村", rng)])
    return {"files": files}


# --------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------

README = """# 样例台账（平安镇，2026年10月）

本目录由 `scripts/make_samples.py` 生成（固定随机种子，可重复生成），用于演示和测试。
所有人名、电话、村名均为虚构。报送期：**2026年10月**。

## assignments/ 挂点安排
- `平安镇领导挂点联系村安排表.xlsx`：8名镇领导各挂2–3个村（社区）。“联系行政村”一格多村，
  分隔符有“、”“，”“,”“;”“；”空格和换行；东坑村由洪文泽、吴建新共同挂点；标题行、序号列、表尾注释。

## roster/ 指挥部成员名单
- `平安镇百千万工程指挥部成员名单.xlsx`：第1个工作表为“填表说明”，数据在“成员名单”；
  标题行+更新说明行；1名总指挥，每个单位（镇党委、镇政府、镇人大、各办所、各村（社区））恰有1名联络员；
  手机号和带区号固话。

## 2026-10/ 10月挂点调研台账收件箱
| 文件 | 领导 | 特征 |
|---|---|---|
| `…（10月）-洪文泽.xlsx` | 洪文泽 | 合并标题行、“填报单位/填报时间”行；两行表头（“调研成效”下分“调研推动解决问题数量（个）”“具体成效”）；领导姓名纵向合并且含全角空格“洪　文泽”；序号为公式 =ROW()-4（有缓存值）；日期有真日期、“2026年10月9日”、“10月15日-16日”；数量“3个”、空白；单元格内换行；表尾“填报人/审核人/联系电话” |
| `~$…（10月）-洪文泽.xlsx` | — | Excel 锁文件（165字节垃圾），应忽略 |
| `…（10月）-洪文泽（更正）.xlsx` | 洪文泽 | 更正版：较原件新增1行、改动1个数量，填报时间11月5日 |
| `…（10月）-李明.xlsx` | 李明 | “填表说明”工作表在数据表之前；表头别名“挂点领导”“调研村（社区）”“调研推动解决问题数量(个)”，列顺序不同；保留模板示例行（序号“例”）；数据行之间有空行；“合计”行（SUM 公式）；表尾分散在三格；字符串为内联字符串；姓名“李 明”含空格 |
| `…（10月）-李明(1).xlsx` | 李明 | 与上一文件逐字节相同的重复提交 |
| `…（10月）-陈志强.xls` | 陈志强 | 老版 Excel/WPS .xls；“挂点领导：陈志强”行；表头“调研领导”；示例行（序号“示例”）；日期“2026.10.x”“2026/10/x”和真日期；数量“３”“三”、空白 |
| `…（10月）-黄丽娟.csv` | 黄丽娟 | CSV UTF-8（带BOM）；首行为标题加一串逗号；表头“领导姓名”，调研时间在前；日期“10月x日”（无年份）和“10月x日-y日”；数量“三”；引号内换行 |
| `…(10月)-张国华.csv` | 张国华 | CSV GBK 编码，文件名半角括号；无标题；“调研村（社区）”“推动解决问题数量(个)”；日期“2026.10.x-y”、Excel 序列号文本、“2026年10月x日”；“2个”、空白；全角空格 |
| `…（10月）-刘晓燕.xlsx` | 刘晓燕 | 隐藏工作表“村名单”（下拉列表来源）；表头单元格内换行；序号 =ROW()-3 公式向下多拖了4行（这些行只有序号缓存值）；领导姓名纵向合并；“合计”行 SUM；表尾 |
| `…（10月）-林海峰.xlsx` | 林海峰 | 工作表名“10月”；“填报单位”“填报时间”分在两格；两行表头、子列顺序颠倒、表头含空格与换行（“调 研 时 间”“序  号”）；“调研领导”；=ROW()-4 序号（空行处跳号）；序列号文本日期；不间断空格（NBSP）；数量“３”“2个” |

吴建新本月未报送（用于催报）。

## rectification/ 问题整改台账
- `平安镇问题整改台账（三清单）.xlsx`：“问题清单”“责任清单”“任务清单”三表，以问题编号关联。
- `平安镇问题整改台账（合并）.xlsx`：同一内容合并为“整改台账”一表，每个任务一行，问题、责任列纵向合并；
  两行表头（问题清单/责任清单/任务清单分组）；部分日期为文本。
- 8个问题、15项任务；完成状态含未启动/推进中/已完成及同义词“已销号”“进行中”；任务来源含问题整改、会议议定、
  领导批示、重点项目、为民实事、年度要点；截至2026-10-31有4项逾期、2项超期完成。

## scores/ 典型村评价
- `2026年典型村评价得分表.xlsx`：分组合并表头（如“人居环境（16分）”）下为“1（3分）”等指标列；
  总分为 SUM 公式（有缓存值）；“负面清单（有/无）”下负面1–负面8；鹤岗村负面3为“有”（一票否决）。

## decisions/ 会议议定事项台账
- `平安镇“百千万工程”会议议定事项落实台账（2026年10月）.xlsx`：党政办的流水台账，标题行、“填报单位/填报时间”行；
  3次会议（9月18日指挥部第5次会议、10月9日镇党委（扩大）会议、10月27日10月调度会）共10项议定事项，
  会议名称和会议时间纵向合并；表头用“分管领导”“落实单位”“办结时限”“计划报送时间”“落实情况”“办理状态”；
  完成时限有真日期、“10月20日”“11月底”“年底前”“长期坚持”；状态含同义词“已办结”“进行中”。
  截至2026-10-31：落实计划晚报3项（晚2天、5天、3天）、未报送1项（10月调度会后），逾期1项（11天）。

## errors/ 含已知错误的文件
每个文件埋入的错误（文件、工作表、单元格、规范列名、问题、级别）见 `errors/EXPECTED.json`。

## 官方模板/ 照工作方案附件原样印制的表格填报
版式照录镇《领导挂点联系“百千万工程”工作方案》的附件1、附件3、附件4、附件5。附件3（挂点调研台账）没有“镇领导”列：
每位领导每月一份，姓名写在表头上方“挂点领导：　协助部门：　填报时间：”一行；“调研成效”下分两列
（“推动xx村解决问题xx个：”和“1.xx项目(工作)：目前进展情况如何。 2.xx项目(工作)：目前进展情况如何。”），
其余表头单元格纵向合并两行；示例行“例”保留。bqw 应读出的每一条记录（工作表、行号、各列的值）见
`官方模板/EXPECTED.json`。

| 文件 | 内容 | 特征 |
|---|---|---|
| `附件3：…（10月）-吴建新.xlsx` | 吴建新 2026年10月 4 次调研（10月收件箱中他未报送，这是补报） | 附件3原样：标题“2026 年度平安镇领导开展“百千万工程”工作挂牌调研督查”；“挂点领导：吴建新　协助部门：规划建设办　填报时间：…”行；两行表头和合并单元格；示例行；调研成效分填两个子列；真日期和“10月26日-27日” |
| `附件3：…（10月）-吴建新.xls` | 同一份台账 | 另存为 .xls（Excel 97-2003 / WPS），合并单元格与原表相同 |
| `附件3：…（10月）-吴建新.csv` | 同一份台账 | 另存为 CSV（GBK 编码）：标题和挂点领导行只在第一格；第二行表头展平，前四格为空；日期为显示的文字 |
| `平安镇领导挂点调研台账汇总（9月）.xlsx` | 6 位领导 2026年9月共 13 次调研 | 镇里的汇总工作簿：每位领导一张工作表，以姓名命名（“黄 丽娟”中间有空格）；表中无镇领导列，挂点领导行未填；标题带“（9月）” |
| `2026年挂点调研台账（全年）-陈志强.xlsx` | 陈志强 2026年全年 15 次调研 | 一位领导一年一个工作簿：“1月”…“12月”每月一张表，标题不写月份；2月、8月没有调研，11月、12月尚未填写（只有表头和示例行）；单月为文字日期、双月为真日期；10月与 2026-10/ 中他报送的相同 |
| `附件1：平安镇领导挂点联系村安排表.xlsx` | 8 位领导的挂点村 | 附件1原样：“附件 1”、标题，只有“镇领导”“联系行政村”两列；两字姓名中间加空格（“李 明”）；一格多村，用“、”分隔 |
| `附件4：东坑村典型村评价得分表（2026年度）.xlsx` | 东坑村 2026年度评分 | 附件4原样竖排：一级指标（纵向合并，如“人居环境（16分）”）、序号、二级指标（文字带分值）、得分（填报时加的列）；“合计”行为 SUM 公式；下方是附件5负面清单（序号、清单内容、有/无）；“参评村：东坑村”行，年度在标题中 |
"""


# --------------------------------------------------------------------------
# 会议议定事项台账 (decisions)
# --------------------------------------------------------------------------

DECISIONS_SEED = SEED + 47  # its own generator: the other samples stay byte for byte as they were
DECISIONS_FILE = "平安镇“百千万工程”会议议定事项落实台账（2026年10月）.xlsx"


@dataclass
class Decision:
    item: str
    leader: str
    unit: str
    due: Any  # a date, or the words a clerk writes (“10月底前”)
    plan: dt.date | None  # 落实计划报送日期 (due within two days of the meeting)
    progress: str
    status: str


# (会议名称, 会议时间, items). As of 2026-10-31: plans late at rows 6 (2 days), 8 (5 days) and 11 (3 days),
# missing at row 14 (meeting 27 Oct, due 29 Oct); one item overdue (row 6, 完成时限 10月20日: 11 days).
MEETINGS = [
    ("百千万工程指挥部第5次会议", D(2026, 9, 18), [
        Decision("完成东坑村、石龙村村道两侧垃圾清理，建立村庄保洁长效机制", "陈志强", "农业农村办", D(2026, 10, 15),
                 D(2026, 9, 19), "已完成清理，保洁制度已印发", "已完成"),
        Decision("推进下沙村农房风貌提升，完成首批20户外立面改造", "张国华", "规划建设办", "10月20日",
                 D(2026, 9, 22), "已完成12户，余下8户因材料未到场暂停", "推进中"),
        Decision("制定镇级“百千万工程”考核细则并提交党委会审议", "李明", "党政办", "11月30日前",
                 D(2026, 9, 20), "初稿已征求各办所意见", "进行中"),
        Decision("谋划2027年镇域产业项目库，每村至少储备1个项目", "刘晓燕", "经发办", "年底前",
                 D(2026, 9, 25), "", "未启动"),
    ]),
    ("镇党委（扩大）会议", D(2026, 10, 9), [
        Decision("组织各村（社区）开展“三资”清理，10月底前报送清理台账", "黄丽娟", "党建办", D(2026, 10, 30),
                 D(2026, 10, 10), "17个村（社区）均已报送", "已办结"),
        Decision("完成塘尾村、鹤岗村污水管网接户工程验收", "陈志强", "农业农村办", "11月15日",
                 D(2026, 10, 11), "塘尾村已验收，鹤岗村待整改", "推进中"),
        Decision("落实镇域绿美提升行动，完成新塘社区口袋公园建设", "林海峰", "综治办", "11月底",
                 "10月14日", "已完成设计", "推进中"),
    ]),
    ("百千万工程10月调度会", D(2026, 10, 27), [
        Decision("整改上级督导反馈的南岭村人居环境问题", "张国华", "规划建设办", D(2026, 12, 15),
                 D(2026, 10, 28), "已制定整改方案", "推进中"),
        Decision("建立镇领导挂点调研台账月报制度，每月2日前报送", "洪文泽", "党政办", "长期坚持",
                 D(2026, 10, 29), "已发通知", "推进中"),
        Decision("组织大岭村、龙田村申报省级典型村培育", "刘晓燕", "社会事务办", D(2026, 11, 20),
                 None, "", "未启动"),
    ]),
]
DECISION_HEADERS = ["序号", "会议名称", "会议时间", "议定事项", "分管领导", "落实单位", "办结时限", "计划报送时间",
                    "落实情况", "办理状态", "备注"]


def write_decisions(path: Path) -> None:
    """The 党政办's running sheet of meeting decisions: title, 填报单位 line, the meeting's name and date
    merged down over its items, headers in the office's own words, dates as dates and as words."""
    rng = random.Random(DECISIONS_SEED)
    wb = new_workbook(path)
    f = Fmts(wb)
    ws = wb.add_worksheet("议定事项")
    for c, w in enumerate([6, 22, 14, 40, 10, 14, 14, 14, 28, 10, 10]):
        ws.set_column(c, c, w)
    last = xl_col_to_name(len(DECISION_HEADERS) - 1)
    ws.merge_range(f"A1:{last}1", "2026年平安镇“百千万工程”会议议定事项落实台账", f.title)
    ws.merge_range(f"A2:{last}2", "填报单位：平安镇党政办（指挥部办公室）　　　　　　　　填报时间：2026年10月31日", f.info)
    for c, h in enumerate(DECISION_HEADERS):
        ws.write_string(2, c, h, f.head)
    r, n = 3, 0
    for meeting, day, items in MEETINGS:
        first = r
        for d in items:
            n += 1
            plan = d.plan
            if isinstance(plan, dt.date) and rng.random() < 0.4:  # some typed as words
                plan = f"{plan.month}月{plan.day}日"
            values = [n, None, None, d.item, d.leader, d.unit, d.due, plan, d.progress, d.status, ""]
            for c, val in enumerate(values):
                if c in (1, 2):
                    continue
                put(ws, r, c, val, f, f.center if c in (0, 9) else None)
            r += 1
        if r - first > 1:
            ws.merge_range(first, 1, r - 1, 1, meeting, f.cell)
            ws.merge_range(first, 2, r - 1, 2, "", f.date)
            ws.write_datetime(first, 2, dt.datetime(day.year, day.month, day.day), f.date)
        else:
            put(ws, first, 1, meeting, f)
            put(ws, first, 2, day, f)
    ws.write_string(r + 1, 0, "填报人：王芳　　　审核人：陈志强　　　联系电话：0758-8123456", f.foot)
    wb.close()


def build(outdir: Path) -> list[Path]:
    rng = random.Random(SEED)
    jobs: list[tuple[str, Callable[[Path], None]]] = []

    def job(rel: str):
        def deco(fn):
            jobs.append((rel, fn))
            return fn
        return deco

    # visit records are generated up-front, in a fixed order, from one RNG
    hong = make_visits(rng, "洪文泽", 5, ranges={2}, blank_counts={3}, contact_style=0)
    li = make_visits(rng, "李明", 4, contact_style=2)
    chen = make_visits(rng, "陈志强", 4, blank_counts={3}, contact_style=1)
    huang = make_visits(rng, "黄丽娟", 3, ranges={1}, contact_style=4)
    zhang = make_visits(rng, "张国华", 3, ranges={0}, blank_counts={2}, contact_style=3)
    liu = make_visits(rng, "刘晓燕", 4, contact_style=0)
    lin = make_visits(rng, "林海峰", 6, blank_counts={2}, contact_style=1)
    # make sure the trait-carrying rows have the values the trait needs
    hong[0].count = 3            # “3个”
    chen[0].count = 3            # “３”
    chen[1].count = 3            # “三”
    huang[0].count = 3           # “三”
    lin[3].count = 3             # “３”
    lin[5].count = 2             # “2个”
    zhang[1].count = 2           # “2个”

    hong_fix = [replace(v) for v in hong]
    hong_fix[1].count = (hong_fix[1].count or 0) + 1
    hong_fix[1].effect = hong_fix[1].effect + "；另协调解决1个遗留问题" if hong_fix[1].effect else "协调解决1个遗留问题"
    taken = {v.start.day + k for v in hong for k in (-1, 0, 1, 2)}
    extra_day = next(d for d in reversed(OCT_WORKDAYS) if d not in taken)
    hong_fix.append(Visit("洪文泽", dt.date(YEAR, MONTH, extra_day), None, "新塘社区",
                          "调研社区“三资”管理及集体经济发展情况", "规范合同管理，清理到期合同2份", 2,
                          f"社区书记{VILLAGES['新塘社区'][0]} {VILLAGES['新塘社区'][1]}", "补报"))

    hong_dates = ["date", "cn", "range_md", "date", "cn"]
    hong_counts = ["ge", "int", "int", "blank", "ge"]
    stem = VISITS_STEM

    @job(f"2026-10/{stem}-洪文泽.xlsx")
    def _(p):
        write_hong(p, hong, hong_dates, hong_counts, "2026年11月3日")

    @job(f"2026-10/~${stem}-洪文泽.xlsx")
    def _(p):
        write_lock_file(p)

    @job(f"2026-10/{stem}-洪文泽（更正）.xlsx")
    def _(p):
        write_hong(p, hong_fix, hong_dates + ["date"], hong_counts + ["int"], "2026年11月5日")

    @job(f"2026-10/{stem}-李明.xlsx")
    def _(p):
        write_li(p, li, ["date", "date", "slash", "date"])

    @job(f"2026-10/{stem}-李明(1).xlsx")
    def _(p):
        p.write_bytes((p.parent / f"{stem}-李明.xlsx").read_bytes())

    @job(f"2026-10/{stem}-陈志强.xls")
    def _(p):
        write_chen_xls(p, chen, ["dot", "slash", "date", "dot"], ["fw", "cn", "int", "blank"])

    @job(f"2026-10/{stem}-黄丽娟.csv")
    def _(p):
        write_csv(p, huang_csv_rows(huang, ["md", "range_md", "md"], ["cn", "int", "int"]), "utf-8-sig")

    @job("2026-10/附件3：平安镇领导挂点调研台账(10月)-张国华.csv")
    def _(p):
        write_csv(p, zhang_csv_rows(zhang, ["range_dot", "serial", "cn"], ["int", "ge", "blank"]), "gbk")

    @job(f"2026-10/{stem}-刘晓燕.xlsx")
    def _(p):
        write_liu(p, liu, ["date", "date", "cn", "date"], dragged=4)

    @job(f"2026-10/{stem}-林海峰.xlsx")
    def _(p):
        write_lin(p, lin, ["date", "serial", "date", "cn", "date", "serial"],
                  ["int", "int", "blank", "fw", "int", "ge"])

    @job("assignments/平安镇领导挂点联系村安排表.xlsx")
    def _(p):
        write_assignments(p)

    @job("roster/平安镇百千万工程指挥部成员名单.xlsx")
    def _(p):
        write_roster(p, roster_members())

    problems = rectification_data()

    @job("rectification/平安镇问题整改台账（三清单）.xlsx")
    def _(p):
        write_three_lists(p, problems)

    @job("rectification/平安镇问题整改台账（合并）.xlsx")
    def _(p):
        write_combined(p, problems)

    scores = score_rows(rng)

    @job("scores/2026年典型村评价得分表.xlsx")
    def _(p):
        write_scores(p, scores)

    @job(f"decisions/{DECISIONS_FILE}")
    def _(p):
        write_decisions(p)

    error_names = [
        "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx",
        "附件3：平安镇领导挂点调研台账（10月）-张国华（错误示例）.xlsx",
        "平安镇百千万工程指挥部成员名单（错误示例）.xlsx",
        "平安镇问题整改台账（三清单）（错误示例）.xlsx",
        "2026年典型村评价得分表（错误示例）.xlsx",
    ]
    for n in error_names:
        jobs.append((f"errors/{n}", lambda p: None))  # written together below

    @job("errors/EXPECTED.json")
    def _(p):
        expected = write_error_files(p.parent)
        written = sorted({e["file"] for e in expected})
        assert written == sorted(error_names), written
        p.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    official_names = [
        f"{VISITS_STEM}-{NON_SUBMITTER}.xlsx", f"{VISITS_STEM}-{NON_SUBMITTER}.xls",
        f"{VISITS_STEM}-{NON_SUBMITTER}.csv", "平安镇领导挂点调研台账汇总（9月）.xlsx",
        f"{YEAR}年挂点调研台账（全年）-陈志强.xlsx", "附件1：平安镇领导挂点联系村安排表.xlsx",
        f"附件4：东坑村典型村评价得分表（{YEAR}年度）.xlsx",
    ]
    for n in official_names:
        jobs.append((f"{OFFICIAL}/{n}", lambda p: None))  # written together below

    @job(f"{OFFICIAL}/EXPECTED.json")
    def _(p):
        expected = write_official(p.parent, chen)
        assert [f["file"] for f in expected["files"]] == official_names
        p.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @job("README.md")
    def _(p):
        p.write_text(README, encoding="utf-8")

    # delete only what we generate, then write
    paths = [outdir / rel for rel, _ in jobs]
    for p in paths:
        if p.is_file() or p.is_symlink():
            p.unlink()
    for rel, fn in jobs:
        p = outdir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        fn(p)
    missing = [p for p in paths if not p.is_file()]
    assert not missing, missing
    return paths


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parent.parent / "samples"
    outdir = Path(argv[1]) if len(argv) > 1 else default
    outdir.mkdir(parents=True, exist_ok=True)
    paths = build(outdir)
    for p in paths:
        print(p.relative_to(outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

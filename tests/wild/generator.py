"""Compose real-looking ledger files from independent traits, and record their truth.

`generate(seed, kind=None, folder=...)` draws every trait on its own from `random.Random(seed)`,
then makes the combination consistent (a CSV has one sheet and no merges; a date without its year
needs a year in the title …) and records the traits as they took effect. It writes one file and
returns a Case: the file, the traits, and the records a correct reader must produce, by table
kind, in canonical values (tests/wild/truth.py).

Header wordings come from the specs (`get_spec(kind).columns[i].all_names`): an alias added to a
spec widens the corpus. Nothing here imports bqw's reader, merge or validation.
"""

from __future__ import annotations

import datetime as dt
import random
from calendar import monthrange
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from bqw.ledgers import get_spec

from . import forms, truth
from .layout import Column, DownMerge, Layout, Row, render
from .writers import EXTENSION, Book, Merge, Sheet, write

KINDS = ("visits", "tasks", "roster", "assignments", "scores")
VISITS_SHARE = 70  # percent of the seeds; the others' shares among the rest:
OTHER_WEIGHTS = {"tasks": 9, "roster": 6, "assignments": 7, "scores": 8}


@dataclass
class Case:
    """One generated file and what a correct reader must make of it."""

    seed: int
    kind: str  # visits | tasks | roster | assignments | scores: also the family bqw merges it under
    path: Path
    traits: dict[str, str]
    # table kind -> the records, canonical column -> value; visit records carry 期间 and 镇领导
    truth: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return self.kind  # result.ledgers[family]: the rectification lists travel as "tasks"

    def describe(self) -> str:
        return f"seed {self.seed} ({self.kind}, {self.path.name}): " + ", ".join(
            f"{k}={v}" for k, v in self.traits.items())


class Traits:
    """The traits drawn for a case: each drawn on its own, then set to what took effect."""

    def __init__(self, rng: random.Random, fixed: dict[str, str] | None = None):
        self.rng = rng
        self.fixed = fixed or {}
        self.values: dict[str, str] = {}

    def draw(self, name: str, options):
        """One trait: `options` a sequence (uniform) or a dict value -> weight. A trait fixed by the
        caller takes its fixed value (the draw is still made, so the other traits stay the seed's)."""
        if isinstance(options, dict):
            value = self.rng.choices(list(options), weights=list(options.values()))[0]
        else:
            value = self.rng.choice(list(options))
        value = self.fixed.get(name, value)
        self.values[name] = value
        return value

    def set(self, name: str, value) -> None:
        self.values[name] = value

    def __getitem__(self, name: str):
        return self.values[name]

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.values.items()}


def generate(seed: int, kind: str | None = None, *, folder, fixed: dict[str, str] | None = None) -> Case:
    """Write case `seed` into `folder` (which must exist) and return it. `kind` forces the ledger kind;
    `fixed` forces traits (name -> value, as Case.traits shows them) before they are made consistent."""
    rng = random.Random(seed)
    # visits or not with one draw, then which other kind: a visits seed draws exactly what it drew
    # before the scores kind came, so the visits cases (and their traits' shares) stay as they were
    drawn = rng.choices(("visits", "other"), weights=(VISITS_SHARE, 100 - VISITS_SHARE))[0]
    if drawn == "other":
        drawn = rng.choices(list(OTHER_WEIGHTS), weights=list(OTHER_WEIGHTS.values()))[0]
    kind = kind or drawn
    traits = Traits(rng, fixed)
    traits.set("kind", kind)
    build = {"visits": _visits, "tasks": _tasks, "roster": _roster, "assignments": _assignments,
             "scores": _scores}[kind]
    book, stem, records = build(rng, traits)
    path = Path(folder) / (stem + EXTENSION[traits["format"]])
    write(book, traits["format"], path)
    return Case(seed, kind, path, traits.as_dict(), records)


# --- shared pieces -----------------------------------------------------------------------------

TOWNS = ("平安镇", "乌塘镇", "湖光镇")
LEADERS = ("洪文泽", "吴垂超", "袁 庆", "林 强", "罗 养", "谭仁普", "吴忠强", "马陕燕", "黄景连", "陈小敏", "庞 兴",
           "周景辉", "余晓锐", "王 芳", "张 伟", "李明", "陈志强", "黄丽娟")
VILLAGES = ("乌塘圩村", "边板村", "湛川村", "山口王村", "浩发村", "乌塘岭村", "外坡村", "岑家村", "迈机西村", "油河村",
            "山口陈村", "安至塘村", "冷水村", "塘沟村", "金屋村", "陆屋村", "罗屋村", "车补塘村", "东坑村",
            "新塘社区", "石桥村", "西湖村")
UNITS = ("党政办", "党建办", "农业农村办", "经济发展办", "自然资源所", "财政所", "综治办", "规划建设办",
         "社会事务办", "应急管理办", "生态环境办", "退役军人服务站")
PEOPLE = ("陈国华", "李 强", "王建军", "黄志坚", "吴海燕", "林小红", "周文斌", "郑 涛", "梁晓东", "刘 洋",
          "何丽萍", "谢振宇", "罗志明", "蔡 敏", "许文静", "邓伟强", "冯国庆", "曾晓玲", "彭 辉", "苏 敏",
          "卢建华", "蒋 勇", "袁海鹰", "钟丽华")
DEPARTMENTS = ("党政综合办公室", "农业农村办", "经济发展办", "规划建设办")
PHONES = ("13812345678", "13729876543", "15918623410", "0759-7771234", "18922334455", "020-83456789")
EXTRA_COLUMNS = {
    "陪同人员": ("李四、王五", "农业农村办 陈明", "村支书黄志坚", None),
    "照片": (3, 5, 2, "有", None),
    "会议名称": ("村“两委”联席会议", "现场办公会", "项目推进会"),
    "纪要文号": ("乌委纪〔2026〕12号", "第3期", 7),
    "审核意见": ("同意", "已核实", None),
}
FOOTER = "填报人：王五  审核人：赵六  联系电话：0758-1234567"
FOOTER_PARTS = ("填报人：王五", "审核人：赵六", "联系电话：0758-1234567")
EXAMPLE_MARKS = ("例", "示例")
DECORATIONS = ("none", "star", "colon", "unit", "linebreak", "padding", "fullwidth", "mixed")


def yes(traits: Traits, name: str, p: float) -> bool:
    return traits.draw(name, {"yes": p, "no": 1 - p}) == "yes"


def decorate(rng: random.Random, label: str, how: str, counts: bool = False) -> str:
    """A header wording as clerks decorate it: “*调研时间”, “调研时间：”, “调研\\n时间”, “ 调 研 ”, full-width
    letters and digits; “（个）” only on a count column."""
    if how == "mixed":
        how = rng.choice(("none", "star", "colon", "unit", "linebreak", "padding", "fullwidth"))
    elif rng.random() < 0.35:
        how = "none"  # a sheet's labels are decorated alike, but not every one of them
    if how == "star":
        return rng.choice(("*", "※", "＊")) + label
    if how == "colon":
        return label + rng.choice(("：", ":"))
    if how == "unit":
        return label + rng.choice(("（个）", "(个)")) if counts else label
    if how == "linebreak" and len(label) > 1:
        at = rng.randrange(1, len(label))
        return label[:at] + "\n" + label[at:]
    if how == "padding":
        if rng.random() < 0.5 or len(label) < 2:
            return rng.choice((" ", "  ", "\u3000")) + label + rng.choice((" ", "", "\u3000"))
        return "  ".join(label) if len(label) <= 3 else label[:2] + " " + label[2:]
    if how == "fullwidth":
        return forms.fullwidth(label)
    return label


def wording(rng: random.Random, kind: str, column: str, how: str) -> str:
    """A header wording for a canonical column: its name, or (alias wording) any of its spec's names."""
    names = get_spec(kind).column(column).all_names
    if how == "canonical" or rng.random() < 0.3:
        return names[0]
    return rng.choice(names)


def noisy_text(rng: random.Random, s: str, on: bool) -> str:
    """Free text as typed: a full-width or non-breaking space inside, spaces around, a line break."""
    if not on or not s or rng.random() < 0.5:
        return s
    how = rng.choice(("ideographic", "nbsp", "around", "linebreak", "double"))
    # never inside a number: a space there would change the number (a phone), not just spacing
    spots = [i for i in range(len(s) + 1) if not (0 < i < len(s) and s[i - 1].isascii() and s[i].isascii())]
    at = rng.choice(spots)
    if how == "ideographic":
        return s[:at] + "\u3000" + s[at:]
    if how == "nbsp":
        return s[:at] + "\xa0\xa0" + s[at:]
    if how == "around":
        return "  " + s + " \u3000"
    if how == "linebreak":
        cut = s.find("，")
        return (s[:cut + 1] + "\n" + s[cut + 1:]) if cut > 0 else s + "\n"
    return s[:at] + "  " + s[at:]


def noisy_name(rng: random.Random, s: str, on: bool) -> str:
    """A name as typed: spaces of any kind inside or around."""
    if not on or len(s) < 2 or rng.random() < 0.5:
        return s
    how = rng.choice(("ideographic", "nbsp", "around", "inside"))
    if how == "ideographic":
        return s[0] + "\u3000" + s[1:]
    if how == "nbsp":
        return s + "\xa0"
    if how == "around":
        return " " + s + " "
    return " ".join(s.replace(" ", ""))


def fill_date(year: int, month: int) -> dt.date:
    """When a month's ledger is filled in: early the next month."""
    return dt.date(year + (month == 12), month % 12 + 1, 3)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def title_block(rng, traits: Traits, width: int, unit: str, filled: dt.date | None, leader: str | None):
    """The 填报 lines above the header (column -> text)."""
    form = traits["title_block"]
    when = cn_date(filled) if filled else ""
    if form == "one-cell":
        return [{0: f"填报单位：{unit}\u3000\u3000填报时间：{when}"}]
    if form == "spread":
        return [{0: f"填报单位：{unit}", max(2, width // 2): f"填报时间：{when}"}]
    if form == "blank-form":
        return [{0: "填报单位：          填报时间：    年  月  日"}]
    if form == "leader-line":
        return [{0: f"挂点领导：{leader}\u3000\u3000协助部门：{rng.choice(DEPARTMENTS)}"}]
    return []


def footer_lines(traits: Traits, width: int):
    form = traits["footer"]
    if form == "one-cell":
        return [{0: FOOTER}]
    if form == "spread":
        step = max(1, width // 3)
        return [{i * step: part for i, part in enumerate(FOOTER_PARTS)}]
    return []


def layout_traits(traits: Traits) -> None:
    """Traits every kind's sheet shares."""
    traits.draw("title_block", {"none": 35, "one-cell": 20, "spread": 15, "blank-form": 15, "leader-line": 15})
    traits.draw("wording", {"canonical": 40, "alias": 60})
    traits.draw("decoration", {d: (40 if d == "none" else 9) for d in DECORATIONS})
    traits.draw("example_row", {"none": 50, "例": 30, "示例": 20})
    traits.draw("blank_rows", {"no": 70, "yes": 30})
    traits.draw("footer", {"none": 50, "one-cell": 30, "spread": 20})
    traits.draw("serial", {"number": 70, "text": 30})
    traits.draw("column_numbers", {"no": 80, "yes": 20})
    traits.draw("text_noise", {"no": 60, "yes": 40})


def format_trait(traits: Traits) -> str:
    return traits.draw("format", {"xlsx": 40, "xls": 20, "csv-utf8": 20, "csv-gbk": 20})


def is_csv(fmt: str) -> bool:
    return fmt.startswith("csv")


def with_blank_rows(rng, traits: Traits, rows: list[Row], allowed: set[int] | None = None) -> list[Row]:
    """Blank rows between records (before the rows whose index is in `allowed`, default any), when
    the trait says so (at least one)."""
    if traits["blank_rows"] != "yes" or len(rows) < 2:
        return rows
    allowed = set(range(1, len(rows))) if allowed is None else allowed - {0}
    last = max(allowed, default=None)
    out, added = [], False
    for i, row in enumerate(rows):
        if i in allowed and (rng.random() < 0.3 or (not added and i == last)):
            out.append(Row(role="blank"))
            added = True
        out.append(row)
    return out


def instructions_sheet(kind: str) -> Sheet:
    lines = ["填表说明", "1. 请按月报送，每次调研填写一行。", "2. 调研时间填写具体日期，如2026年10月5日；多天写成“10月15日-16日”。",
             "3. 调研推动解决问题数量填写数字。", "4. 联系人及联系方式填写村联系人姓名和手机号码。"]
    if kind == "scores":
        lines = ["填表说明", "1. 每个村填写一行。", "2. 每项得分不超过该项满分，可填 0.5 分。", "3. 负面清单填写“有”或“无”。"]
    elif kind != "visits":
        lines = ["填表说明", "1. 请逐项填写，不得合并单元格。", "2. 完成时限填写具体日期。", "3. 完成状态从下拉列表选择。"]
    return Sheet("填表说明", [[line] for line in lines])


def junk_sheet(rng, header: list[str]) -> Sheet:
    """A hidden sheet left in the workbook: an old copy of the header with last year's rows, and a list."""
    rows = [list(header)]
    for _ in range(2):
        rows.append([rng.choice(VILLAGES) if i % 2 else "2025年3月5日" for i in range(len(header))])
    rows.append(["下拉选项", "未启动", "推进中", "已完成"])
    return Sheet(rng.choice(("Sheet3", "旧表", "数据源")), rows, hidden=True)


# --- visits: 挂点调研台账 ------------------------------------------------------------------------

OFFICIAL_EFFECT_SUBS = ("推动xx村解决问题xx个：", "1.xx项目(工作)：目前进展情况如何。 2.xx项目(工作)：目前进展情况如何。")
OFFICIAL_LABELS = {"序号": "序号", "调研时间": "调研时间", "调研地点": "调研地点", "调研内容": "调研内容",
                   "推动解决问题数量": "调研推动解决问题数量(个)", "联系人及联系方式": "联系人及联系方式", "备注": "备注",
                   "镇领导": "镇领导"}
BQW_EFFECT_SUBS = ("具体成效", "调研推动解决问题数量（个）")
CONTENTS = ("调研人居环境整治和村集体经济发展情况", "走访慰问困难群众，了解民生诉求", "查看村道硬底化工程进度，督促施工单位加快进度",
            "召开村“两委”座谈会，研究“百千万工程”重点任务", "督导高标准农田建设项目", "调研典型村创建工作推进情况",
            "检查农村生活污水处理设施运行情况", "调研乡村旅游和特色产业发展，听取村民意见")
EFFECTS = ("协调解决村道硬化资金问题", "推动落实路灯安装，明确完成时限", "明确了整改责任人和时限", "督促完成垃圾清运",
           "协调县农业农村局解决灌溉水渠维修问题")
ISSUES = ("村道破损", "路灯不亮", "垃圾清运不及时", "灌溉水渠淤塞", "污水管网堵塞")
PROJECTS = ("村道硬化", "污水管网", "文化广场", "高标准农田", "路灯安装")
PROGRESS = ("已完成招标", "正在施工", "已完工待验收", "完成总工程量的60%")
CONTACTS = ("村支书陈伟 13812345678", "黄志坚；电话13729876543", "村主任李强 0759-7771234", "吴海 15918623410")
NOTES = ("无", "与县农业农村局联合调研", "补报", None, None)
OPTIONAL_VISIT_COLUMNS = ("序号", "调研成效", "推动解决问题数量", "联系人及联系方式", "备注")


@dataclass
class Visit:
    leader: str  # as written in the sheet (may hold spaces)
    days: list[dt.date]
    when: object  # the 调研时间 cell
    village: str
    content: str
    effect: list[str | None]  # one text, or the official template's two sub-columns
    count: int | None
    count_cell: object
    contact: str | None
    note: str | None
    extras: dict[str, object]
    period: str

    def record(self, columns: set[str], extras: list[str]) -> dict:
        """The record a correct reader makes of this visit (columns the sheet lacks are None)."""
        has = columns.__contains__
        rec = {
            "镇领导": truth.name(self.leader),
            "调研时间": truth.day(self.days[0]),
            "调研地点": truth.name(self.village),
            "调研内容": truth.text(self.content),
            "调研成效": truth.effect(self.effect) if has("调研成效") else None,
            "推动解决问题数量": truth.count(self.count) if has("推动解决问题数量") else None,
            "联系人及联系方式": truth.text(self.contact) if has("联系人及联系方式") else None,
            "备注": truth.text(self.note) if has("备注") else None,
            "调研天数": len(set(self.days)),
            "月份": truth.month(self.days[0]),
            "期间": self.period,
        }
        for label in extras:
            rec[truth.extra_label(label)] = truth.extra_value(self.extras.get(label))
        return rec


def _visit_traits(rng, t: Traits) -> None:
    format_trait(t)
    t.draw("year", {"2026": 80, "2025": 20})
    t.draw("sheets", {"single": 70, "by-month": 15, "by-leader": 15})
    t.draw("instructions_sheet", {"no": 80, "yes": 20})
    t.draw("hidden_sheet", {"no": 85, "yes": 15})
    t.draw("title", {"annual": 30, "printed": 20, "monthly": 20, "none": 30})
    t.draw("attachment_line", {"no": 70, "yes": 30})
    t.draw("title_merged", {"yes": 60, "no": 40})
    layout_traits(t)
    t.draw("header", {"one-row": 40, "official-two-row": 35, "bqw-two-row": 25})
    t.draw("leader_source", {"column": 50, "line": 15, "filename": 20, "sheet": 15})
    t.draw("leaders", {"1": 60, "2": 25, "3": 15})
    t.draw("columns", {"full": 60, "dropped": 40})
    t.draw("order", {"template": 70, "shuffled": 30})
    t.draw("extras", {"0": 60, "1": 25, "2": 15})
    t.draw("totals", {"none": 60, "合计": 25, "小计": 15})
    t.draw("leader_fill", {"each": 50, "merged": 30, "same-as-above": 20})
    t.draw("hidden_rows", {"no": 85, "yes": 15})
    t.draw("date_1904", {"no": 85, "yes": 15})
    t.draw("period_source", {"title": 30, "filename": 30, "dates": 40})
    t.draw("date_form", forms.DATE_FORMS)
    t.draw("range_form", {"none": 40, **{f: 12 for f in forms.RANGE_FORMS}})
    t.draw("count_form", forms.COUNT_FORMS)
    t.draw("submitted_days", {"no": 80, "yes": 20})
    _consistent_visits(t)


def _consistent_visits(t: Traits) -> None:
    """Make the drawn traits one file a clerk could have made (each change recorded in the traits)."""
    fmt = t["format"]
    csv_file = is_csv(fmt)
    if csv_file:
        for name in ("instructions_sheet", "hidden_sheet", "hidden_rows", "date_1904"):
            t.set(name, "no")
        t.set("sheets", "single")
        if t["date_form"] == "cell":
            t.set("date_form", "slash")  # a date cell exported to CSV is text like 2026/10/5
    elif t["date_form"] == "apostrophe":
        t.set("date_form", "dash")  # only a CSV keeps the apostrophe as text
    if fmt == "xls":
        t.set("hidden_rows", "no")
        t.set("date_1904", "no")
    if t["date_1904"] == "yes" and t["date_form"] == "serial-text":
        t.set("date_form", "dash")  # a serial typed as text counts from 1900
    sheets = t["sheets"]
    if sheets == "by-month":
        t.set("period_source", "sheet")
        if t["leader_source"] == "sheet":
            t.set("leader_source", "filename")
    elif sheets == "by-leader":
        t.set("leader_source", "sheet")
    elif t["leader_source"] == "sheet":
        t.set("leader_source", "filename")
    if t["leader_source"] != "column" or sheets == "by-month":
        t.set("leaders", "1")
    if t["leader_source"] != "column":
        t.set("leader_fill", "n/a")
    elif t["leader_fill"] == "merged" and csv_file:
        t.set("leader_fill", "each")
    if t["leader_source"] == "line":
        t.set("title_block", "leader-line")
    elif t["title_block"] == "leader-line" and t["leaders"] != "1":
        t.set("title_block", "one-cell")
    if t["period_source"] == "title":
        t.set("title", "monthly")
    elif t["title"] == "monthly":
        t.set("title", "annual")
    if t["title"] == "none":
        t.set("attachment_line", "no")
        t.set("title_merged", "n/a")
    elif csv_file:
        t.set("title_merged", "n/a")
    year_known = t["title"] != "none"
    if not year_known:
        t.set("date_form", {"md-cn": "ymd-cn", "cn-md": "cn-ymd", "md-dot": "dot"}.get(t["date_form"], t["date_form"]))
    if t["period_source"] == "dates" and t["range_form"] == "cross-month":
        t.set("range_form", "md-d")  # the month is then the one month all first days fall in
    header = t["header"]
    if header == "official-two-row":
        t.set("wording", "template")
        t.set("decoration", "template")


def _visits(rng: random.Random, t: Traits):
    _visit_traits(rng, t)
    year = int(t["year"])
    header = t["header"]
    town = rng.choice(TOWNS)

    # which columns, in which order
    dropped: set[str] = set()
    if t["columns"] == "dropped":
        keep_group = header != "one-row"
        for name in OPTIONAL_VISIT_COLUMNS:
            if keep_group and (name == "调研成效" or (header == "bqw-two-row" and name == "推动解决问题数量")):
                continue
            if rng.random() < 0.5:
                dropped.add(name)
        if not dropped:
            dropped.add("备注")
    if "序号" in dropped:
        t.set("example_row", "none")
        t.set("serial", "n/a")
    has_leader_col = t["leader_source"] == "column"
    columns = _visit_columns(rng, t, dropped, has_leader_col)
    present = {c.key.split("#")[0] for c in columns}
    extra_labels = [c.key[6:] for c in columns if c.key.startswith("extra:")]
    width = len(columns)

    # who, when
    leader_pool = list(LEADERS)
    rng.shuffle(leader_pool)
    sheets_form = t["sheets"]
    if sheets_form == "by-month":
        units = [(f"{m}月", [leader_pool[0]], m) for m in range(1, 13)]
    elif sheets_form == "by-leader":
        month = rng.randint(1, 12)
        names = leader_pool[:rng.randint(2, 4)]
        units = [(_leader_sheet_name(rng, n), [n], month) for n in names]
    else:
        month = rng.randint(1, 12)
        units = [(rng.choice(("Sheet1", "挂点调研台账", f"{month}月台账")), leader_pool[:int(t["leaders"])], month)]
    one_leader = leader_pool[0]
    unit = rng.choice(DEPARTMENTS)  # who fills the workbook in: the same on every sheet

    sheets: list[Sheet] = []
    records: list[dict] = []
    filled_any = False
    for s, (sheet_name, leaders, month) in enumerate(units):
        period = f"{year}-{month:02d}"
        if sheets_form == "by-month":
            n = rng.choice((0, 0, 1, 2, 3, 4)) if not (s == 11 and not filled_any) else rng.randint(1, 3)
        else:
            n = rng.randint(1, 6)
        filled_any = filled_any or n > 0
        visits = []
        for i in range(n):
            leader = leaders[min(i * len(leaders) // max(n, 1), len(leaders) - 1)]
            if sheets_form == "by-leader":
                leader = sheet_name
            visits.append(_visit(rng, t, leader, year, month, period, extra_labels))
        leader_text = leaders[0] if sheets_form != "by-leader" else sheet_name
        layout = Layout(columns, two_row=header != "one-row", numbers_row=t["column_numbers"] == "yes")
        layout.titles = _visit_titles(t, town, year, month)
        layout.title_merged = t["title_merged"] == "yes"
        layout.block = title_block(rng, t, width, unit, fill_date(year, month),
                                   noisy_name(rng, leader_text, t["text_noise"] == "yes"))
        body: list[Row] = []
        if t["example_row"] != "none":
            body.append(Row(_example_cells(t, year), role="example"))
        rows = [Row(_visit_cells(rng, t, v, i)) for i, v in enumerate(visits)]
        if t["hidden_rows"] == "yes" and rows:
            for r in rows:
                r.hidden = rng.random() < 0.3
            rows[rng.randrange(len(rows))].hidden = True
        rows = with_blank_rows(rng, t, rows)
        start = len(body)
        body += rows
        if t["totals"] != "none" and visits:
            total = {columns[0].key: t["totals"]}
            if "推动解决问题数量" in present and columns[0].key != "推动解决问题数量":
                total["推动解决问题数量"] = sum(v.count or 0 for v in visits)
            body.append(Row(total, role="total"))
        layout.body = body
        layout.down_merges = _leader_fill(t, body, start)
        layout.footer = footer_lines(t, width)
        sheets.append(render(sheet_name, layout))
        records += [v.record(present, extra_labels) for v in visits]
    if t["instructions_sheet"] == "yes":
        at = rng.choice((0, len(sheets)))
        sheets.insert(at, instructions_sheet("visits"))
    if t["hidden_sheet"] == "yes":
        sheets.append(junk_sheet(rng, [c.label for c in columns]))
    book = Book(sheets, date_1904=t["date_1904"] == "yes")
    stem = _visit_file_stem(rng, t, town, year, units[0][2], one_leader)
    return book, stem, {"visits": records}


def _leader_sheet_name(rng, name: str) -> str:
    """A collection workbook's sheet named by its leader, sometimes with a padding space."""
    if " " in name or rng.random() < 0.6:
        return name
    return name[0] + " " + name[1:] if rng.random() < 0.5 else name + " "


def _visit_titles(t: Traits, town: str, year: int, month: int) -> list[str]:
    form = t["title"]
    if form == "none":
        return []
    title = {
        "annual": f"{year}年度{town}领导开展“百千万工程”工作挂点调研台账",
        "printed": f"{year} 年度乌塘镇领导开展“百千万工程”工作挂牌调研督查",
        "monthly": f"{town}领导挂点调研台账（{year}年{month}月）",
    }[form]
    return (["附件3"] if t["attachment_line"] == "yes" else []) + [title]


def _visit_file_stem(rng, t: Traits, town: str, year: int, month: int, leader: str) -> str:
    if t["sheets"] == "by-month":
        stem = f"{year}年度{town}领导挂点调研台账"
    else:
        stem = rng.choice(("附件3：", "附件3", "")) + f"{town}领导挂点调研台账"
        if t["period_source"] == "filename":
            stem += f"（{month}月）"
    single = t["leaders"] == "1" and t["sheets"] != "by-leader"
    if t["leader_source"] == "filename" or (single and rng.random() < 0.3):
        stem += "-" + truth.name(leader)
    return stem


def _visit_columns(rng, t: Traits, dropped: set[str], has_leader: bool) -> list[Column]:
    header, how, deco = t["header"], t["wording"], t["decoration"]

    def label(name: str) -> str:
        if header == "official-two-row":
            return OFFICIAL_LABELS[name]
        return decorate(rng, wording(rng, "visits", name, how), deco, counts=name == "推动解决问题数量")

    units: list[list[Column]] = []
    order = ["序号", "镇领导", "调研时间", "调研天数", "调研地点", "调研内容", "调研成效", "推动解决问题数量",
             "联系人及联系方式", "备注"]
    for name in order:
        if name in dropped or (name == "镇领导" and not has_leader):
            continue
        if name == "调研天数":
            if t["submitted_days"] == "yes":
                units.append([Column("调研天数", "调研天数")])
            continue
        if name == "调研成效" and header == "official-two-row":
            units.append([Column(f"调研成效#{i + 1}", "调研成效", sub, group="调研成效")
                          for i, sub in enumerate(OFFICIAL_EFFECT_SUBS)])
            continue
        if name == "调研成效" and header == "bqw-two-row":
            units.append([Column("调研成效", "调研成效", BQW_EFFECT_SUBS[0], group="调研成效"),
                          Column("推动解决问题数量", "调研成效", BQW_EFFECT_SUBS[1], group="调研成效")])
            continue
        if name == "推动解决问题数量" and header == "bqw-two-row":
            continue  # under 调研成效
        units.append([Column(name, label(name))])
    if t["order"] == "shuffled":
        rng.shuffle(units)
    labels = list(EXTRA_COLUMNS)
    rng.shuffle(labels)
    for extra in labels[:int(t["extras"])]:
        shown = extra if rng.random() < 0.7 else f" {extra} "
        units.insert(rng.randint(0, len(units)), [Column("extra:" + extra, shown)])
    return [c for unit in units for c in unit]


def _visit(rng, t: Traits, leader: str, year: int, month: int, period: str, extras: list[str]) -> Visit:
    last = monthrange(year, month)[1]
    form = t["range_form"]
    with_year = t["title"] == "none"
    if form != "none" and rng.random() < 0.45:
        if form == "cross-month" and month == 12:
            form = "md-d"  # a range into January belongs to another year's ledger
        if form == "cross-month":
            days = [dt.date(year, month, last - 1), dt.date(year, month, last), dt.date(year, month + 1, 1)]
        elif form == "md-list":
            first = rng.randint(1, last - 4)
            days = sorted({dt.date(year, month, first + k) for k in (0, rng.randint(1, 2), rng.randint(2, 4))})
        else:
            n = rng.randint(2, 3)
            first = rng.randint(1, last - n + 1)
            days = [dt.date(year, month, first + k) for k in range(n)]
        when = forms.range_value(days, form, with_year)
    else:
        days = [dt.date(year, month, rng.randint(1, last))]
        when = forms.date_value(days[0], t["date_form"], rng.choice(forms.DATE_CELL_FORMATS))
    village = rng.choice(VILLAGES)
    noise = t["text_noise"] == "yes"
    if t["header"] == "official-two-row":
        n_issues = rng.randint(1, 3)
        first = f"推动{village}解决问题{n_issues}个：{'、'.join(rng.sample(ISSUES, n_issues))}"
        p1, p2 = rng.sample(PROJECTS, 2)
        second = f"1.{p1}项目：目前{rng.choice(PROGRESS)}。 2.{p2}工作：目前{rng.choice(PROGRESS)}。"
        effect = [noisy_text(rng, first, noise) if rng.random() < 0.85 else None,
                  noisy_text(rng, second, noise) if rng.random() < 0.6 else None]
    else:
        effect = [noisy_text(rng, rng.choice(EFFECTS), noise) if rng.random() < 0.85 else None]
    roll = rng.random()
    count = None if roll < 0.12 else 0 if roll < 0.25 else rng.randint(1, 9)
    count_form = t["count_form"]
    if count_form == "mixed":
        count_form = rng.choice(("number", "ge", "fullwidth", "chinese", "xiang"))
    count_cell = forms.count_value(count, count_form)
    if count == 0 and rng.random() < 0.5:
        count_cell = "无"
    extra_values = {label: rng.choice(EXTRA_COLUMNS[label]) for label in extras}
    return Visit(leader=leader, days=days, when=when, village=noisy_name(rng, village, noise),
                 content=noisy_text(rng, rng.choice(CONTENTS), noise), effect=effect, count=count,
                 count_cell=count_cell, contact=noisy_text(rng, rng.choice(CONTACTS), noise) if rng.random() < 0.8
                 else None, note=rng.choice(NOTES), extras=extra_values, period=period)


def _visit_cells(rng, t: Traits, v: Visit, i: int) -> dict:
    serial = (i + 1) if t["serial"] == "number" else str(i + 1)
    cells = {"序号": serial, "镇领导": noisy_name(rng, v.leader, t["text_noise"] == "yes"), "调研时间": v.when,
             "调研天数": len(set(v.days)), "调研地点": v.village, "调研内容": v.content,
             "推动解决问题数量": v.count_cell, "联系人及联系方式": v.contact, "备注": v.note}
    if len(v.effect) == 2:
        cells["调研成效#1"], cells["调研成效#2"] = v.effect
    else:
        cells["调研成效"] = v.effect[0]
    for label, value in v.extras.items():
        cells["extra:" + label] = value
    return cells


def _example_cells(t: Traits, year: int) -> dict:
    """The template's example row, kept as handed out."""
    return {"序号": t["example_row"], "镇领导": "xxx", "调研时间": f"{year}年xx月xx日", "调研地点": "xx村",
            "调研内容": "xx村xx工作情况。", "调研成效": "xx村加快推进xx工作，要求做什么、怎么做(具体展开)。",
            "调研成效#1": "xx村加快推进xx工作，要求做什么、怎么做(具体展开)。", "联系人及联系方式": "xxx；电话xxx"}


def _leader_fill(t: Traits, body: list[Row], start: int) -> list[DownMerge]:
    """A leader's name merged down over his consecutive records, or “同上” below the first (a blank
    row ends a run)."""
    how = t["leader_fill"]
    if how not in ("merged", "same-as-above"):
        return []
    runs: list[list] = []  # [first, last, name]
    for i in range(start, len(body)):
        row = body[i]
        name = row.cells.get("镇领导") if row.role == "record" else None
        if name is None:
            continue
        if runs and runs[-1][1] == i - 1 and truth.name(runs[-1][2]) == truth.name(name):
            runs[-1][1] = i
        else:
            runs.append([i, i, name])
    merges = []
    for first, last, _name in runs:
        if how == "same-as-above":
            for i in range(first + 1, last + 1):
                body[i].cells["镇领导"] = "同上"
        elif last > first:
            merges.append(DownMerge("镇领导", first, last))
    return merges


# --- shared by the other kinds -----------------------------------------------------------------

def _other_traits(rng, t: Traits) -> None:
    """Layout traits of the tasks, roster and assignments sheets."""
    format_trait(t)
    t.draw("year", {"2026": 80, "2025": 20})
    t.draw("title", {"with-year": 50, "plain": 20, "none": 30})
    t.draw("attachment_line", {"no": 75, "yes": 25})
    t.draw("title_merged", {"yes": 60, "no": 40})
    layout_traits(t)
    t.draw("columns", {"full": 60, "dropped": 40})
    t.draw("order", {"template": 75, "shuffled": 25})
    t.draw("hidden_rows", {"no": 85, "yes": 15})
    t.draw("instructions_sheet", {"no": 80, "yes": 20})
    t.draw("hidden_sheet", {"no": 85, "yes": 15})
    if t["title_block"] == "leader-line":
        t.set("title_block", "one-cell")  # only a visit ledger names its leader above the header
    if is_csv(t["format"]):
        for name in ("instructions_sheet", "hidden_sheet", "hidden_rows"):
            t.set(name, "no")
    if t["format"] == "xls":
        t.set("hidden_rows", "no")
    if t["title"] == "none":
        t.set("attachment_line", "no")
    if t["title"] == "none" or is_csv(t["format"]):
        t.set("title_merged", "n/a")


def _titles(t: Traits, text_with_year: str, plain: str) -> list[str]:
    form = t["title"]
    if form == "none":
        return []
    title = text_with_year if form == "with-year" else plain
    return (["附件"] if t["attachment_line"] == "yes" else []) + [title]


def _header_columns(rng, t: Traits, kind_of: dict[str, str], names: list[str]) -> list[Column]:
    """One column per canonical name, worded and decorated as the traits say, in template or shuffled order."""
    cols = [Column(n, decorate(rng, wording(rng, kind_of[n], n, t["wording"]), t["decoration"])) for n in names]
    if t["order"] == "shuffled":
        rng.shuffle(cols)
    return cols


def _drop(rng, t: Traits, names: list[str], optional: tuple[str, ...]) -> list[str]:
    if t["columns"] != "dropped":
        return names
    dropped = {n for n in optional if n in names and rng.random() < 0.5} or {optional[-1]}
    if "序号" in dropped:
        t.set("example_row", "none")
        t.set("serial", "n/a")
    return [n for n in names if n not in dropped]


def _serial(t: Traits, i: int):
    return (i + 1) if t["serial"] == "number" else str(i + 1)


def _example(t: Traits, kind_of: dict[str, str], names: list[str]) -> Row:
    """The template's example row (序号 “例”): each column's example value from the spec."""
    cells = {}
    for n in names:
        example = get_spec(kind_of[n]).column(n).example
        if example is not None:
            cells[n] = example
    cells["序号"] = t["example_row"]
    return Row(cells, role="example")


def _sheet(rng, t: Traits, name: str, columns: list[Column], titles: list[str | None], body: list[Row],
           down: list[DownMerge] = (), unit: str = "党政办", filled: dt.date | None = None,
           two_row: bool = False) -> Sheet:
    layout = Layout(columns, titles=titles, title_merged=t["title_merged"] == "yes", two_row=two_row,
                    numbers_row=t["column_numbers"] == "yes", body=body, down_merges=list(down))
    layout.block = title_block(rng, t, len(columns), unit, filled, None)
    layout.footer = footer_lines(t, len(columns))
    return render(name, layout)


def _hide_some(rng, t: Traits, rows: list[Row]) -> None:
    if t["hidden_rows"] == "yes" and rows:
        for r in rows:
            r.hidden = rng.random() < 0.25
        rows[rng.randrange(len(rows))].hidden = True


def _book(rng, t: Traits, kind: str, sheets: list[Sheet], header: list[str]) -> Book:
    if t["instructions_sheet"] == "yes":
        sheets.insert(rng.choice((0, len(sheets))), instructions_sheet(kind))
    if t["hidden_sheet"] == "yes":
        sheets.append(junk_sheet(rng, header))
    return Book(sheets)


def _date_text(rng, t: Traits, d: dt.date):
    return forms.date_value(d, t["date_form"], rng.choice(forms.DATE_CELL_FORMATS))


def _date_form_traits(t: Traits, year_known: bool) -> None:
    t.draw("date_form", forms.DATE_FORMS)
    if is_csv(t["format"]) and t["date_form"] == "cell":
        t.set("date_form", "slash")
    if not is_csv(t["format"]) and t["date_form"] == "apostrophe":
        t.set("date_form", "dash")
    if not year_known:
        t.set("date_form", {"md-cn": "ymd-cn", "cn-md": "cn-ymd", "md-dot": "dot"}.get(t["date_form"], t["date_form"]))


# --- tasks: 问题清单 / 责任清单 / 任务清单 ---------------------------------------------------------

PROBLEM_COLUMNS = ["序号", "问题编号", "问题描述", "问题来源", "发现时间", "涉及村（社区）"]
RESP_COLUMNS = ["序号", "问题编号", "责任单位", "责任领导", "责任人"]
TASK_COLUMNS = ["序号", "任务编号", "问题编号", "任务内容", "任务来源", "牵头单位", "配合单位", "完成时限", "进展情况",
                "完成状态", "完成时间"]
COMBINED_PROBLEM = ["问题编号", "问题描述", "问题来源", "发现时间", "涉及村（社区）"]
COMBINED_RESP = ["责任单位", "责任领导", "责任人"]
COMBINED_TASK = ["任务编号", "任务内容", "任务来源", "牵头单位", "配合单位", "完成时限", "进展情况", "完成状态", "完成时间"]
PROBLEM_TEXTS = ("村道两侧垃圾堆放未及时清理", "农村生活污水管网未接通，污水直排", "高标准农田项目进度滞后",
                 "村级党群服务中心功能不完善", "撂荒耕地复耕进度慢", "集体“三资”台账管理不规范", "新建农房未批先建",
                 "公厕管护不到位，卫生状况差")
TASK_TEXTS = ("组织清理村道两侧垃圾并建立保洁长效机制", "完成污水管网接驳", "倒排工期，加快项目施工进度",
              "完善党群服务中心便民服务功能", "组织撂荒地复耕复种", "规范集体“三资”台账", "依法处置违建农房",
              "落实公厕专人管护", "召开专题会议研究整改方案", "开展“回头看”督查")
PROGRESS_TEXTS = ("已完成清理，正在建立长效机制", "已完成60%", "已制定方案", None, "正在推进")
PARTNERS = ("各村委会", "财政所、自然资源所", "规划建设办", None)
STANDING_TEXTS = ("长期坚持", "长期", "持续推进", "常态化")
DONE, DOING, TODO = "已完成", "推进中", "未启动"


def _synonyms(kind: str, column: str) -> dict[str, list[str]]:
    """canonical -> the spellings the spec also accepts (canonical first)."""
    col = get_spec(kind).column(column)
    out = {v: [v] for v in col.enum}
    for spelling, canonical in col.synonyms.items():
        out.setdefault(canonical, [canonical]).append(spelling)
    return out


def _spell(rng, t: Traits, trait: str, options: dict[str, list[str]], canonical: str) -> str:
    spellings = options.get(canonical, [canonical])
    return rng.choice(spellings[1:] or spellings) if t[trait] == "synonyms" else canonical


@dataclass
class Task:
    id: str
    problem: str | None
    content: str
    source: str  # canonical
    lead: str
    partner: str | None
    deadline: dt.date | None  # None: a standing task
    deadline_cell: object
    progress: str | None
    status: str  # canonical
    status_cell: str
    done: dt.date | None
    source_cell: str
    done_cell: object


def _deadline(rng, t: Traits, found: dt.date, year: int):
    """(deadline, cell) in the case's deadline form; (None, “长期坚持”) for a standing task."""
    form = t["deadline_form"]
    if form == "mixed":
        form = rng.choice(("date", "month-end", "year-end", "before-day", "range", "standing"))
    month = rng.randint(min(found.month + 1, 12), 12)
    if form == "standing":
        return None, rng.choice(STANDING_TEXTS)
    if form == "month-end":
        return dt.date(year, month, monthrange(year, month)[1]), f"{month}月底"
    if form == "year-end":
        return dt.date(year, 12, 31), rng.choice(("年底前", "年底"))
    last = monthrange(year, month)[1]
    if form == "range":  # a deadline written as a range ends on its last day
        first = rng.randint(1, last - 5)
        end = rng.randint(first + 1, last)
        return dt.date(year, month, end), f"{month}月{first}日-{end}日"
    day = rng.randint(1, last)
    if form == "before-day":
        return dt.date(year, month, day), f"{month}月{day}日前"
    d = dt.date(year, month, day)
    return d, _date_text(rng, t, d)


def _tasks(rng: random.Random, t: Traits):
    _other_traits(rng, t)
    fmt, year = t["format"], int(t["year"])
    t.draw("layout", {"three-sheets": 50, "combined": 50})
    t.draw("deadline_form", {"date": 28, "month-end": 11, "year-end": 9, "before-day": 11, "range": 7,
                             "standing": 10, "mixed": 24})
    t.draw("status_form", {"canonical": 50, "synonyms": 50})
    t.draw("source_form", {"canonical": 50, "synonyms": 50})
    t.draw("combined_ids", {"explicit": 75, "implicit": 25})
    t.draw("combined_fill", {"merged": 40, "blank-below": 20, "repeated": 20, "same-as-above": 20})
    t.draw("date_1904", {"no": 85, "yes": 15})
    year_known = t["title"] == "with-year"
    _date_form_traits(t, year_known)
    if is_csv(fmt):
        t.set("layout", "combined")  # one sheet
        t.set("date_1904", "no")
        if t["combined_fill"] == "merged":
            t.set("combined_fill", "blank-below")  # a merged value is in its top cell only
    if fmt == "xls":
        t.set("date_1904", "no")
    if t["date_1904"] == "yes" and t["date_form"] == "serial-text":
        t.set("date_form", "dash")
    if not year_known and t["deadline_form"] != "date":
        t.set("deadline_form", "date")  # 9月底, 年底前 need the year from the title
    if t["layout"] == "three-sheets":
        t.set("combined_ids", "n/a")
        t.set("combined_fill", "n/a")
    combined = t["layout"] == "combined"
    implicit = t["combined_ids"] == "implicit"
    town = rng.choice(TOWNS)

    # columns
    if combined:
        names = ["序号"] + COMBINED_PROBLEM + COMBINED_RESP + COMBINED_TASK
        optional = ("序号", "问题来源", "发现时间", "涉及村（社区）", "责任领导", "任务来源", "配合单位", "进展情况",
                    "完成时间")
        if implicit:
            optional = optional[1:]
        names = _drop(rng, t, names, optional)
        if implicit:
            names = [n for n in names if n not in ("问题编号", "任务编号", "牵头单位")]
        sheet_names = {"combined": names}
    else:
        sheet_names = {
            "problems": _drop(rng, t, PROBLEM_COLUMNS, ("序号", "问题来源", "发现时间", "涉及村（社区）")),
            "responsibilities": _drop(rng, t, RESP_COLUMNS, ("责任领导",)),
            "tasks": _drop(rng, t, TASK_COLUMNS, ("任务来源", "配合单位", "进展情况", "完成时间")),
        }
        if "序号" not in sheet_names["problems"]:  # one decision for the workbook's three sheets
            for k in ("responsibilities", "tasks"):
                sheet_names[k] = [n for n in sheet_names[k] if n != "序号"]
    has = {n for names_ in sheet_names.values() for n in names_}
    can_finish = "完成时间" in has

    # content
    statuses = _synonyms("tasks", "完成状态")
    task_sources = _synonyms("tasks", "任务来源")
    problem_sources = _synonyms("problems", "问题来源")
    noise = t["text_noise"] == "yes"
    id_style = rng.choice(("WT-{:03d}", "DC{}-{:02d}"))
    n_problems = rng.randint(2, 5)
    descriptions = rng.sample(PROBLEM_TEXTS, n_problems)
    problems, resps, tasks = [], [], []
    task_no = 0
    for k in range(n_problems):
        pid = f"问题{k + 1}" if implicit else (id_style.format(k + 1) if "{:03d}" in id_style
                                              else id_style.format(year, k + 1))
        found = dt.date(year, rng.randint(2, 9), rng.randint(1, 28))
        source = rng.choice(list(problem_sources))
        problems.append({
            "问题编号": pid, "问题描述": noisy_text(rng, descriptions[k], noise), "问题来源": source,
            "问题来源#cell": _spell(rng, t, "source_form", problem_sources, source),
            "发现时间": found, "发现时间#cell": _date_text(rng, t, found),
            "涉及村（社区）": noisy_name(rng, rng.choice(VILLAGES), noise)})
        for unit in rng.sample(UNITS, 1 if combined else rng.randint(1, 2)):
            resps.append({"问题编号": pid, "责任单位": unit, "责任领导": rng.choice(LEADERS),
                          "责任人": noisy_name(rng, rng.choice(PEOPLE), noise)})
        for _ in range(rng.randint(1, 3)):
            task_no += 1
            tasks.append(_task(rng, t, task_no, pid, found, year, resps[-1]["责任单位"], "问题整改",
                               statuses, task_sources, can_finish, noise))
    if not combined:
        for _ in range(rng.randint(0, 2)):  # 会议议定事项 and 领导批示 tracked in the same list
            task_no += 1
            found = dt.date(year, rng.randint(2, 9), rng.randint(1, 28))
            tasks.append(_task(rng, t, task_no, None, found, year, rng.choice(UNITS),
                               rng.choice(("会议议定", "领导批示")), statuses, task_sources, can_finish, noise))

    truth_records = _task_truth(problems, resps, tasks, has, implicit)
    kind_of = {n: k for k in ("problems", "responsibilities", "tasks") for n in get_spec(k).names}
    kind_of["问题编号"] = "problems"
    sheets = []
    filled = dt.date(year, 10, 8)
    if combined:
        sheets.append(_combined_sheet(rng, t, sheet_names["combined"], kind_of, problems, resps, tasks, town,
                                      year, filled))
    else:
        titles = {"problems": "问题清单", "responsibilities": "责任清单", "tasks": "任务清单"}
        rows_of = {"problems": [_problem_cells(p) for p in problems],
                   "responsibilities": [dict(r) for r in resps],
                   "tasks": [_task_cells(x) for x in tasks]}
        prefix = rng.choice(("", "", "表1 "))
        for n, k in enumerate(("problems", "responsibilities", "tasks")):
            names = sheet_names[k]
            cols = _header_columns(rng, t, {**kind_of, "问题编号": k}, names)
            body = [Row({**cells, "序号": _serial(t, i)}) for i, cells in enumerate(rows_of[k])]
            _hide_some(rng, t, body)
            body = with_blank_rows(rng, t, body)
            if t["example_row"] != "none":
                body.insert(0, _example(t, {**kind_of, "问题编号": k}, names))
            label = titles[k]
            sheet_name = (prefix.replace("1", str(n + 1)) + label) if prefix else label
            sheets.append(_sheet(rng, t, sheet_name, cols, _titles(t, f"{town}{year}年“百千万工程”{label}", label),
                                 body, unit=rng.choice(UNITS), filled=filled))
    header = [get_spec("tasks").names[i] for i in range(4)]
    book = _book(rng, t, "tasks", sheets, header)
    book.date_1904 = t["date_1904"] == "yes"
    stem = rng.choice((f"{town}问题整改台账", f"{town}“百千万工程”问题整改三张清单", f"附件2：{town}整改台账"))
    return book, stem, truth_records


def _task(rng, t: Traits, number: int, pid, found: dt.date, year: int, unit: str, source: str, statuses,
          task_sources, can_finish: bool, noise: bool) -> Task:
    deadline, deadline_cell = _deadline(rng, t, found, year)
    choices = [TODO, DOING] + ([DONE, DONE] if can_finish and deadline is not None else [])
    status = rng.choice(choices)
    done = None
    if status == DONE:
        done = min(found + dt.timedelta(days=rng.randint(5, 120)), dt.date(year, 12, 31))
    return Task(id=f"RW-{number:03d}", problem=pid, content=noisy_text(rng, rng.choice(TASK_TEXTS), noise),
                source=source, source_cell=_spell(rng, t, "source_form", task_sources, source),
                lead=unit if rng.random() < 0.7 else rng.choice(UNITS),
                partner=rng.choice(PARTNERS), deadline=deadline, deadline_cell=deadline_cell,
                progress=noisy_text(rng, rng.choice(PROGRESS_TEXTS) or "", noise) or None,
                status=status, status_cell=_spell(rng, t, "status_form", statuses, status),
                done=done, done_cell=_date_text(rng, t, done) if done else None)


def _problem_cells(p: dict) -> dict:
    return {"问题编号": p["问题编号"], "问题描述": p["问题描述"], "问题来源": p["问题来源#cell"],
            "发现时间": p["发现时间#cell"], "涉及村（社区）": p["涉及村（社区）"]}


def _task_cells(x: Task) -> dict:
    return {"任务编号": x.id, "问题编号": x.problem, "任务内容": x.content, "任务来源": x.source_cell,
            "牵头单位": x.lead, "配合单位": x.partner, "完成时限": x.deadline_cell, "进展情况": x.progress,
            "完成状态": x.status_cell, "完成时间": x.done_cell}


def _task_truth(problems: list[dict], resps: list[dict], tasks: list[Task], has: set[str], implicit: bool) -> dict:
    """The three lists a correct reader makes of the rectification workbook (columns absent are None).

    In a combined sheet without 问题编号 / 任务编号 / 牵头单位 (implicit ids), problems are numbered
    问题1, 问题2 … in order, a task's 序号 is its 任务编号 and its problem's 责任单位 its 牵头单位
    (docs/ledgers.md, “问题整改三张清单”)."""
    def opt(column, value):
        return value if column in has else None

    unit_of = {r["问题编号"]: r["责任单位"] for r in resps}
    out = {
        "problems": [{"问题编号": truth.name(p["问题编号"]), "问题描述": truth.text(p["问题描述"]),
                      "问题来源": opt("问题来源", truth.enum(p["问题来源"])),
                      "发现时间": opt("发现时间", truth.day(p["发现时间"])),
                      "涉及村（社区）": opt("涉及村（社区）", truth.name(p["涉及村（社区）"]))} for p in problems],
        "responsibilities": [{"问题编号": truth.name(r["问题编号"]), "责任单位": truth.name(r["责任单位"]),
                              "责任领导": opt("责任领导", truth.name(r["责任领导"])),
                              "责任人": truth.name(r["责任人"])} for r in resps],
        "tasks": [],
    }
    for i, x in enumerate(tasks):
        out["tasks"].append({
            "任务编号": str(i + 1) if implicit else truth.name(x.id),
            "问题编号": truth.name(x.problem),
            "任务内容": truth.text(x.content),
            "任务来源": opt("任务来源", truth.enum(x.source)),
            "牵头单位": truth.name(unit_of[x.problem] if implicit else x.lead),
            "配合单位": opt("配合单位", truth.text(x.partner)),
            "完成时限": truth.day(x.deadline),
            "进展情况": opt("进展情况", truth.text(x.progress)),
            "完成状态": truth.enum(x.status),
            "完成时间": opt("完成时间", truth.day(x.done)),
            "长期任务": truth.STANDING if x.deadline is None else truth.NOT_STANDING,
        })
    return out


SAME_AS_ABOVE_COLUMNS = {"问题编号", "问题描述", "涉及村（社区）", "责任单位", "责任领导", "责任人"}  # names and text


def _combined_sheet(rng, t: Traits, names: list[str], kind_of: dict, problems: list[dict], resps: list[dict],
                    tasks: list[Task], town: str, year: int, filled: dt.date) -> Sheet:
    """One 整改台账 sheet: a problem's and its responsibility's cells over its task rows — merged down,
    written once, repeated, or “同上”."""
    cols = _header_columns(rng, t, kind_of, names)
    fill = t["combined_fill"]
    shared = [n for n in COMBINED_PROBLEM + COMBINED_RESP if n in names]
    body: list[Row] = []
    down: list[DownMerge] = []
    if t["example_row"] != "none":
        body.append(_example(t, kind_of, names))
    serial = 0
    for k, p in enumerate(problems):
        if k and t["blank_rows"] == "yes" and (rng.random() < 0.4 or k == len(problems) - 1):
            body.append(Row(role="blank"))
        resp = next(r for r in resps if r["问题编号"] == p["问题编号"])
        head = {**_problem_cells(p), **{c: resp[c] for c in COMBINED_RESP}}
        first = len(body)
        for j, x in enumerate(x for x in tasks if x.problem == p["问题编号"]):
            cells = _task_cells(x)
            cells["序号"] = _serial(t, serial)
            serial += 1
            if j == 0 or fill == "repeated":
                cells.update(head)
            elif fill == "same-as-above":
                cells.update({c: ("同上" if c in SAME_AS_ABOVE_COLUMNS else head[c]) for c in head})
            body.append(Row(cells))
        if fill == "merged":
            down += [DownMerge(c, first, len(body) - 1) for c in shared]
    _hide_some(rng, t, [r for r in body if r.role == "record"])
    titles = _titles(t, f"{town}{year}年“百千万工程”问题整改台账", "问题整改台账")
    return _sheet(rng, t, rng.choice(("整改台账", "Sheet1", "问题整改台账")), cols, titles, body, down,
                  unit=rng.choice(UNITS), filled=filled)


# --- roster: 指挥部成员名单 ------------------------------------------------------------------------

ROSTER_COLUMNS = ["序号", "姓名", "单位", "职务", "指挥部职务", "所属专班", "联系电话", "备注"]
JOBS = ("党委书记", "镇长", "副镇长", "主任", "副主任", "所长", "站长", "干部", "科员")


def _roster(rng: random.Random, t: Traits):
    _other_traits(rng, t)
    fmt, year = t["format"], int(t["year"])
    t.draw("unit_fill", {"each": 45, "merged": 35, "same-as-above": 20})
    t.draw("post_form", {"canonical": 60, "synonyms": 40})
    t.draw("team_form", {"canonical": 40, "synonyms": 30, "blank": 30})
    if is_csv(fmt) and t["unit_fill"] == "merged":
        t.set("unit_fill", "each")
    names = _drop(rng, t, ROSTER_COLUMNS, ("序号", "所属专班", "备注"))
    posts = _synonyms("roster", "指挥部职务")
    teams = _synonyms("roster", "所属专班")
    noise = t["text_noise"] == "yes"
    people = list(PEOPLE)
    rng.shuffle(people)
    units = rng.sample(UNITS[1:], rng.randint(2, 5))
    units.insert(0, UNITS[0])  # 党政办: the 总指挥's unit
    members = []
    for u, unit in enumerate(units):
        group = []
        if u == 0:
            group += [("党委书记", "总指挥"), ("镇长", "常务副总指挥")]
        for _ in range(rng.randint(0, 2)):
            group.append((rng.choice(JOBS[2:]), rng.choice(("副总指挥", "成员", "成员"))))
        group.append((rng.choice(("干部", "科员", "副主任")), "联络员"))
        for job, post in group:
            person = people.pop()
            team = rng.choice(list(teams))
            members.append({"姓名": person, "单位": unit, "职务": noisy_text(rng, job, noise), "指挥部职务": post,
                            "指挥部职务#cell": _spell(rng, t, "post_form", posts, post),
                            "所属专班": None if t["team_form"] == "blank" else team,
                            "所属专班#cell": None if t["team_form"] == "blank" else
                            _spell(rng, t, "team_form", teams, team),
                            "联系电话": rng.choice(PHONES), "备注": rng.choice((None, None, "兼任", "新调整"))})
    has = set(names)
    records = [{"姓名": truth.name(m["姓名"]), "单位": truth.name(m["单位"]), "职务": truth.text(m["职务"]),
                "指挥部职务": truth.enum(m["指挥部职务"]),
                "所属专班": truth.enum(m["所属专班"]) if "所属专班" in has else None,
                "联系电话": truth.text(m["联系电话"]), "备注": truth.text(m["备注"]) if "备注" in has else None}
               for m in members]
    kind_of = {n: "roster" for n in names}
    cols = _header_columns(rng, t, kind_of, names)
    rows, down = [], []
    first = {}
    for i, m in enumerate(members):
        cells = {"序号": _serial(t, i), "姓名": noisy_name(rng, m["姓名"], noise), "单位": m["单位"], "职务": m["职务"],
                 "指挥部职务": m["指挥部职务#cell"], "所属专班": m["所属专班#cell"], "联系电话": m["联系电话"],
                 "备注": m["备注"]}
        if m["单位"] in first and t["unit_fill"] == "same-as-above":
            cells["单位"] = "同上"
        first.setdefault(m["单位"], len(rows))
        rows.append(Row(cells))
    _hide_some(rng, t, rows)
    if t["unit_fill"] == "merged":
        starts = sorted(first.values()) + [len(rows)]
        down = [DownMerge("单位", a, b - 1) for a, b in pairwise(starts)]
        if t["blank_rows"] == "yes":
            t.set("blank_rows", "no")  # kept simple: no blank row beside a merged unit
    else:  # blank rows between units, never inside one
        rows = with_blank_rows(rng, t, rows, set(first.values()))
    if t["example_row"] != "none":
        rows.insert(0, _example(t, kind_of, names))
        down = [DownMerge(d.key, d.first + 1, d.last + 1) for d in down]
    town = rng.choice(TOWNS)
    titles = _titles(t, f"{town}{year}年“百千万工程”指挥部成员名单", "指挥部成员名单")
    sheet = _sheet(rng, t, rng.choice(("成员名单", "Sheet1")), cols, titles, rows, down, unit="党政办",
                   filled=dt.date(year, 3, 1))
    book = _book(rng, t, "roster", [sheet], [c.label for c in cols])
    return book, rng.choice((f"{town}“百千万工程”指挥部成员名单", f"附件1：{town}指挥部成员及联络员名单")), {"roster": records}


# --- assignments: 镇领导挂点联系村安排表 ------------------------------------------------------------

ASSIGNMENT_COLUMNS = ["序号", "镇领导", "联系行政村", "协助部门"]
SEPARATORS = {"、": "、", "，": "，", ",": ",", ";": ";", "；": "；", "space": " ", "newline": "\n"}


# 附件1 of the work plan as printed (seeds/003): 镇领导 | 联系行政村, two-character names padded with a space
PRINTED_ASSIGNMENTS = (
    ("洪文泽", "乌塘圩村、边板村"), ("吴垂超", "湛川村、山口王村"), ("袁 庆", "浩发村、乌塘岭村、外坡村"),
    ("林 强", "岑家村、边板村、迈机西村、油河村"), ("罗 养", "山口陈村、山口王村"), ("谭仁普", "安至塘村、冷水村"),
    ("吴忠强", "塘沟村、金屋村、陆屋村"), ("马陕燕", "罗屋村、车补塘村、扫手塘村"),
    ("黄景连", "边宜塘村、六口塘村、南庄村、周龙村、邦塘村、北安村、泉水村"), ("陈小敏", "湛川村、新屋村、安铺仔村"),
    ("庞 兴", "乌塘圩村、米塘村"), ("周景辉", "安贡村、白水塘村、梁村村"), ("余晓锐", "庞村村、边草塘村"))
PRINTED_ASSIGNMENT_TITLE = "镇领导挂点联系村安排表"


def _assignments(rng: random.Random, t: Traits):
    _other_traits(rng, t)
    year = int(t["year"])
    printed = t.draw("layout", {"table": 65, "附件1": 35}) == "附件1"
    # the printed table separates villages with 、; a typed one with any separator
    t.draw("separator", {**{k: 12 for k in SEPARATORS}, "mixed": 16, "、": 12 + (60 if printed else 0)})
    if printed:
        _printed_assignment_traits(t)
        names = ["镇领导", "联系行政村"]
        rows_in = [(leader, cell.split("、")) for leader, cell in PRINTED_ASSIGNMENTS]
    else:
        names = _drop(rng, t, ASSIGNMENT_COLUMNS, ("序号", "协助部门"))
        rows_in = [(leader, rng.sample(VILLAGES, rng.randint(1, 4))) for leader in rng.sample(LEADERS, rng.randint(3, 10))]
    noise = t["text_noise"] == "yes"
    rows, records = [], []
    for i, (leader, villages) in enumerate(rows_in):
        cell = ""
        for j, v in enumerate(villages):
            if j:
                sep = t["separator"]
                cell += SEPARATORS[rng.choice(list(SEPARATORS)) if sep == "mixed" else sep]
            cell += v
        if noise and rng.random() < 0.3:
            cell = " " + cell + "\u3000"
        dept = noisy_text(rng, rng.choice(DEPARTMENTS), noise)
        rows.append(Row({"序号": _serial(t, i), "镇领导": noisy_name(rng, leader, noise), "联系行政村": cell,
                         "协助部门": dept}))
        records.append({"镇领导": truth.name(leader), "联系行政村": truth.villages(villages),
                        "协助部门": truth.text(dept) if "协助部门" in names else None})
    _hide_some(rng, t, rows)
    rows = with_blank_rows(rng, t, rows)
    kind_of = {n: "assignments" for n in names}
    if t["example_row"] != "none":
        rows.insert(0, _example(t, kind_of, names))
    town = rng.choice(TOWNS)
    if printed:
        cols = [Column(n, n) for n in names]
        spaced = t["spacing"] == "blank-lines"
        titles: list[str | None] = [rng.choice(("附件 1", "附件1")), *([None] if spaced else [])] \
            if t["attachment_line"] == "yes" else []
        titles += [PRINTED_ASSIGNMENT_TITLE, *([None] if spaced else [])]
        stem = rng.choice(("附件1：镇领导挂点联系村安排表", "附件1", f"{town}镇领导挂点联系村安排表"))
    else:
        cols = _header_columns(rng, t, kind_of, names)
        titles = _titles(t, f"{town}{year}年镇领导挂点联系村安排表", "镇领导挂点联系村安排表")
        stem = rng.choice((f"附件1：{town}镇领导挂点联系村安排表", f"{town}镇领导挂点联系村安排表（{year}年调整）"))
    sheet = _sheet(rng, t, rng.choice(("挂点安排", "Sheet1", "安排表")), cols, titles, rows, unit="党政办",
                   filled=dt.date(year, 1, 10))
    book = _book(rng, t, "assignments", [sheet], [c.label for c in cols])
    return book, stem, {"assignments": records}


def _printed_assignment_traits(t: Traits) -> None:
    """附件1 as printed: its attachment line and title, its two header cells, its rows; nothing else
    of a typed table (the format, blank and hidden rows, typing noise and extra sheets stay drawn)."""
    t.draw("spacing", {"tight": 60, "blank-lines": 40})  # the printed text has a blank line under each
    t.draw("attachment_line", {"yes": 65, "no": 35})  # drawn again: the typed table's title may be none
    t.draw("title_merged", {"yes": 50, "no": 50})
    if is_csv(t["format"]):
        t.set("title_merged", "n/a")
    for name, value in (("title", "printed"), ("title_block", "none"), ("wording", "template"),
                        ("decoration", "template"), ("example_row", "none"), ("serial", "n/a"),
                        ("column_numbers", "no"), ("footer", "none"), ("columns", "printed"),
                        ("order", "template"), ("year", "n/a")):
        t.set(name, value)


# --- scores: 典型村评价 ---------------------------------------------------------------------------

# The rubric as ../shared/ledgers.md groups it (the seed text prints each group label one row off):
# (group, points, first item, last item); the items' texts and points as 附件4 prints them (seeds/003).
RUBRIC_GROUPS = (("人居环境", 16, 1, 5), ("风貌提升", 12, 6, 7), ("绿美建设", 10, 8, 10), ("生产生活设施", 15, 11, 13),
                 ("公共服务", 12, 14, 16), ("乡风文明", 8, 17, 18), ("乡村治理", 12, 19, 22), ("集体经济", 8, 23, 24),
                 ("农民增收", 7, 25, 25))
RUBRIC_ITEMS = (
    ("村庄干净整洁，“三线”规整有序，无乱搭、乱建现象。", 3),
    ("垃圾收集点设施配置完善，村内道路及房前屋后、村级工业园、田园等区域内无废弃物堆放，垃圾没有乱扔乱放、就地焚烧等情况。", 3),
    ("生活污水有效治理，无乱排、乱倒情况。", 3),
    ("农村厕所改造提升完成，无害化卫生户厕基本实现全覆盖。", 3),
    ("垃圾、污水、公共厕所等基础设施的管护费用、机制保障到位。", 4),
    ("新建农房依法审批，无新增未批先建、私搭乱建等行为，新建农房风貌与村庄整体风貌基本协调。", 7),
    ("1个以上的自然村或村小组开展存量农房微改造。", 5),
    ("在村庄“四旁”“五边”开展绿化美化。", 3),
    ("古树名木、森林资源有效保护，无随意砍伐行为。", 3),
    ("建设庭院绿化示范点、公共休闲绿地、绿化景观路、桑梓林、景观生态林，至少完成2项建设任务。", 4),
    ("农田水利基础设施管护责任得到落实，农田灌排沟渠及时清淤疏通。有高标准农田建设任务的村按时保质完成任务。", 5),
    ("100人以上自然村全部通硬底化路，自然村完成村内道路硬化，村内主干道照明设施完善。", 5),
    ("自然村集中供水基本覆盖，用水可常年稳定供应。", 5),
    ("村内建有公共活动空间或设施，能够满足群众基本文体活动需求。", 4),
    ("行政村设有卫生站且正常运行，不具备条件的村可通过乡镇卫生院定期巡诊、派驻或乡镇卫生院服务覆盖等方式提供基本医疗卫生服务。", 4),
    ("有需求、有条件的村庄，因地制宜配置农贸市场、小学、幼儿园、快递物流点等服务设施。", 4),
    ("丧事简办、从简办席、孝亲敬老等纳入村规民约，高价彩礼、大操大办、厚葬薄养等得到明显遏制。", 4),
    ("每年组织开展群众性文体活动不少于2次。", 4),
    ("建立村级重大事项经党支部会议审议机制，并按照“四议两公开”的程序决策实施。", 4),
    ("党员尤其是担任村两委干部的党员在乡村建设发展中的先锋模范带头作用发挥较好。", 3),
    ("行政村党群服务中心“一站式”服务功能完善，居民医保、养老保险等经办服务下沉到村。", 3),
    ("每年组织开展“三留守”人员关爱活动不少于2次。", 2),
    ("农村集体“三资”台账管理规范，闲置资产资源有效盘活。", 3),
    ("村集体经营性收入达15万元以上。", 5),
    ("本地村民参与典型村建设途径较多，有通过以工代赈、村集体股份分红、就业创业等方式促进增收的具体举措和案例。", 7),
)
# 附件5 as printed
NEGATIVE_ITEMS = (
    "存在集中连片 3亩以上可复耕的撂荒地块。", "新增乱占耕地建房、建“大棚房”。",
    "违反耕地和永久基本农田、生态保护红线和城镇开发边界管控要求。", "未完成农村生活污水治理。",
    "违规拆除已被确定为文物保护单位、文化遗产和历史建筑的农房等。", "财政资金扶持企业发展项目缺少联农带农机制。",
    "农村集体“三资”交易应上未上农村产权流转交易管理服务平台公开交易，村集体 违规举债分红。",
    "村现任“两委”干部出现严重违纪违法行为。")
RUBRIC_TITLE = "广东省“百千万工程”典型村（单个培育类）评价指标"
PAGE_BREAK_BEFORE = 14  # the printed rubric's second page starts at item 14, under its header again
NEGATIVES_TITLE = "广东省“百千万工程”典型村培育负面清单"
# how a 有/无 column is filled in: (written for 有, written for 无); None is an empty cell
YESNO_FORMS = {"有/无": ("有", "无"), "是/否": ("是", "否"), "√/空": ("√", None), "✓/空": ("✓", None),
               "√/×": ("√", "×")}
SCORE_FORMS = ("number", "text", "fen", "fullwidth")


@dataclass
class Evaluation:
    """One village's evaluation: the 25 scores (halves allowed) and the 8 negatives (True: 有)."""

    village: str  # as written (may hold spaces)
    scores: list[float]
    negatives: list[bool]

    def record(self, year: int | None) -> dict:
        rec = {"村名": truth.name(self.village), "评价年度": year}
        rec.update({f"指标{n}": truth.score(s) for n, s in enumerate(self.scores, 1)})
        rec["总分"] = truth.score(sum(self.scores))  # recomputed, whatever 总分 the sheet gives
        rec.update({f"负面{n}": truth.yes_no(x) for n, x in enumerate(self.negatives, 1)})
        rec["一票否决"] = truth.veto(self.negatives)
        return rec


def _score_value_traits(t: Traits) -> None:
    t.draw("score_form", {**{f: 20 for f in SCORE_FORMS}, "number": 45, "mixed": 15})
    t.draw("halves", {"yes": 65, "no": 35})
    t.draw("yesno_form", {"有/无": 40, "是/否": 15, "√/空": 20, "✓/空": 10, "√/×": 15})


def _evaluation(rng, t: Traits, village: str) -> Evaluation:
    scores = []
    for _text, maximum in RUBRIC_ITEMS:
        whole = rng.choice((maximum, maximum, maximum, maximum - 1, max(0, maximum - 2), rng.randint(0, maximum)))
        scores.append(float(whole))
    if t["halves"] == "yes":  # a few items a half point short (at least one)
        for n in {rng.randrange(len(scores)) for _ in range(rng.randint(1, 5))}:
            scores[n] = max(0.5, scores[n]) - 0.5 if scores[n] > 0 else 0.5
    negatives = [False] * len(NEGATIVE_ITEMS)
    if rng.random() < 0.15:  # a village with something on the 负面清单
        negatives[rng.randrange(len(negatives))] = True
    return Evaluation(village, scores, negatives)


def _score_cell(rng, t: Traits, value: float):
    """A score as written: a number cell, “2.5”, “2.5分” or full-width “２.５”."""
    form = t["score_form"]
    if form == "mixed":
        form = rng.choice(SCORE_FORMS)
    shown = f"{value:g}"
    if form == "number":
        return int(value) if value.is_integer() else value
    if form == "text":
        return shown
    if form == "fen":
        return shown + "分"
    return forms.fullwidth(shown)


def _yes_no_cell(t: Traits, present: bool):
    written_yes, written_no = YESNO_FORMS[t["yesno_form"]]
    return written_yes if present else written_no


def _scores(rng: random.Random, t: Traits):
    if t.draw("layout", {"wide": 50, "附件4": 50}) == "wide":
        return _scores_wide(rng, t)
    return _scores_printed(rng, t)


def _scores_wide(rng: random.Random, t: Traits):
    """One row per village: the bqw template's grouped two-row header or a one-row header."""
    _other_traits(rng, t)
    year = int(t["year"])
    t.set("order", "template")  # a score sheet keeps the rubric's order
    t.draw("header", {"two-row": 55, "one-row": 45})
    t.draw("item_label", {"template": 50, "spec": 50})  # “6（7分）” or a wording of the spec (指标6, 第6项 …)
    t.draw("group_label", {"points": 50, "points-ascii": 20, "plain": 30})
    t.draw("year_source", {"column": 40, "title": 40, "filename": 20})
    t.draw("total", {"given": 50, "none": 35, "wrong": 15})
    _score_value_traits(t)
    if t["header"] == "one-row":
        t.set("group_label", "n/a")
    if t["year_source"] == "title":
        t.set("title", "with-year")
        if t["title_merged"] == "n/a" and not is_csv(t["format"]):
            t.set("title_merged", "yes")
    elif t["title"] == "with-year":
        t.set("title", "plain")  # the year only where year_source says
    names = ["序号", "村名"] + (["评价年度"] if t["year_source"] == "column" else []) + \
        [f"指标{n}" for n in range(1, 26)] + (["总分"] if t["total"] != "none" else []) + \
        [f"负面{n}" for n in range(1, 9)]
    if t["columns"] == "dropped":
        names.remove("序号")
        t.set("example_row", "none")
        t.set("serial", "n/a")
    noise = t["text_noise"] == "yes"
    cols = _wide_score_columns(rng, t, names)
    villages = rng.sample(VILLAGES, rng.randint(3, 10))
    evaluations = [_evaluation(rng, t, noisy_name(rng, v, noise)) for v in villages]
    rows = []
    for i, e in enumerate(evaluations):
        cells = {"序号": _serial(t, i), "村名": e.village, "评价年度": year if rng.random() < 0.8 else str(year)}
        cells.update({f"指标{n}": _score_cell(rng, t, s) for n, s in enumerate(e.scores, 1)})
        total = sum(e.scores)
        if t["total"] == "wrong":  # a slip in the sum: a warning, and bqw's own sum counts
            total = max(0.0, total + rng.choice((-2, -1, -0.5, 0.5, 1)))
        cells["总分"] = _score_cell(rng, t, total)
        cells.update({f"负面{n}": _yes_no_cell(t, x) for n, x in enumerate(e.negatives, 1)})
        rows.append(Row(cells))
    _hide_some(rng, t, rows)
    rows = with_blank_rows(rng, t, rows)
    if t["example_row"] != "none":
        rows.insert(0, _example(t, {n: "scores" for n in names}, names))
    town = rng.choice(TOWNS)
    titles = _titles(t, f"{town}{year}年度典型村（单个培育类）评价得分表", "典型村评价得分表")
    sheet = _sheet(rng, t, rng.choice(("评价得分", "Sheet1", "典型村评价")), cols, titles, rows, unit=town,
                   filled=dt.date(year, 12, 10), two_row=t["header"] == "two-row")
    book = _book(rng, t, "scores", [sheet], [c.label for c in cols])
    if t["year_source"] == "filename":
        stem = rng.choice((f"{year}年度{town}典型村评价得分汇总表", f"{town}典型村评价表（{year}年）"))
    else:
        stem = rng.choice((f"{town}典型村评价得分汇总表", "附件：典型村评价表"))
    return book, stem, {"scores": [e.record(year) for e in evaluations]}


def _wide_score_columns(rng, t: Traits, names: list[str]) -> list[Column]:
    """The header: “人居环境（16分）” over “1（3分）” …, “负面清单（有/无）” over 负面1 … (two rows), or one row;
    the other columns' wordings from the spec, decorated."""
    two_row, deco, how = t["header"] == "two-row", t["decoration"], t["wording"]
    group_of = {n: (g, points) for g, points, first, last in RUBRIC_GROUPS for n in range(first, last + 1)}

    def group_label(group: str, points: int | None) -> str:
        form = t["group_label"]
        if form == "plain" or points is None:
            return group
        return f"{group}（{points}分）" if form == "points" else f"{group}({points}分)"

    cols = []
    for name in names:
        if name.startswith("指标"):
            n = int(name[2:])
            if t["item_label"] == "template":
                label = f"{n}（{RUBRIC_ITEMS[n - 1][1]}分）"
            else:
                label = wording(rng, "scores", name, how)
            label = decorate(rng, label, deco)
            group, points = group_of[n]
            cols.append(Column(name, label, label, group_label(group, points)) if two_row else Column(name, label))
        elif name.startswith("负面"):
            label = decorate(rng, wording(rng, "scores", name, how), deco)
            group = "负面清单（有/无）" if t["group_label"] != "plain" else "负面清单"
            cols.append(Column(name, label, label, group) if two_row else Column(name, label))
        else:
            cols.append(Column(name, decorate(rng, wording(rng, "scores", name, how), deco)))
    return cols


def _scores_printed(rng: random.Random, t: Traits):
    """附件4 as printed, filled in: the rubric's rows (一级指标 | 序号 | 二级指标) with an added 得分 column, one
    village to a sheet or to a file, and 附件5's 负面清单 below it or on a sheet of its own."""
    format_trait(t)
    year = int(t.draw("year", {"2026": 80, "2025": 20}))
    _printed_score_traits(t)
    town = rng.choice(TOWNS)
    noise = t["text_noise"] == "yes"
    per_sheet = t["villages"] == "one-per-sheet"
    villages = rng.sample(VILLAGES, rng.randint(2, 4) if per_sheet else 1)
    evaluations = [_evaluation(rng, t, v) for v in villages]
    sheets: list[Sheet] = []
    generic = rng.choice(("Sheet{}", "表{}", "评价表{}"))
    for i, e in enumerate(evaluations):
        if t["village_source"] == "sheet":
            name = truth.name(e.village) + (" " if noise and rng.random() < 0.3 else "")
        else:
            name = generic.format(i + 1) if per_sheet else rng.choice(("Sheet1", "评价得分", "典型村评价"))
        sheets += _rubric_sheets(rng, t, name, e, year, noise)
    if t["village_source"] == "filename":
        v = truth.name(villages[0])
        stem = rng.choice((v, f"{year}年{v}典型村评价得分表", f"附件4：{v}评价得分表", f"{town}{v}典型村评价表"))
    else:
        stem = rng.choice(("典型村评价得分表", "附件4 典型村评价指标（填报）", f"{town}典型村评价表"))
    return Book(sheets), stem, {"scores": [e.record(year) for e in evaluations]}


def _printed_score_traits(t: Traits) -> None:
    t.draw("villages", {"one-per-file": 60, "one-per-sheet": 40})
    t.draw("village_source", {"line": 35, "title": 25, "sheet": 20, "filename": 20})
    t.draw("year_source", {"title": 50, "line": 50})
    t.draw("title_words", {"year-first": 70, "village-first": 30})  # 2026年度东坑村… or 东坑村2026年度…
    t.draw("info_lines", {"one": 50, "two": 50})  # 参评村 and 评价年度 on one line or two
    t.draw("attachment_line", {"no": 60, "yes": 40})
    t.draw("title_merged", {"yes": 60, "no": 40})
    t.draw("item_header", {"二级指标": 70, "评价指标": 15, "指标内容": 15})
    t.draw("score_header", {"得分": 40, "评分": 20, "自评得分": 20, "评价得分": 20})
    t.draw("group_fill", {"merged": 70, "once": 30})
    t.draw("page_break", {"no": 70, "header-repeated": 30})  # the print repeats its header before 公共服务
    t.draw("group_label", {"printed": 50, "points": 30, "plain": 20})  # “人居环境 (16分)” “人居环境（16分）” “人居环境”
    t.draw("total", {"none": 40, "合计": 30, "总分": 30})
    t.draw("negatives", {"below": 65, "sheet": 35})
    t.draw("negatives_header", {"有/无": 50, "是否存在（有/无）": 50})
    t.draw("negatives_columns", {"left": 50, "aligned": 50})  # under A:C, or under 序号 | 二级指标 | 得分
    t.draw("negatives_title", {"yes": 60, "no": 40})
    t.draw("serial", {"number": 70, "text": 30})
    t.draw("text_noise", {"no": 60, "yes": 40})
    _score_value_traits(t)
    if is_csv(t["format"]):  # one sheet, no merges
        t.set("villages", "one-per-file")
        t.set("group_fill", "once")
        t.set("title_merged", "n/a")
        t.set("negatives", "below")
        if t["village_source"] == "sheet":
            t.set("village_source", "filename")
    if t["villages"] == "one-per-sheet":
        if t["village_source"] == "filename":
            t.set("village_source", "sheet")
        t.set("negatives", "below")  # a 负面清单 sheet of its own belongs to a one-village book
    if t["negatives"] == "sheet":
        t.set("negatives_columns", "left")
    # the title names the village and the year exactly where the sources say so
    village, year_ = t["village_source"] == "title", t["year_source"] == "title"
    t.set("title", "village-year" if village and year_ else "village" if village else "year" if year_
          else "printed")
    if t["title"] != "village-year":
        t.set("title_words", "n/a")
    if t["village_source"] != "line" or t["year_source"] != "line":
        t.set("info_lines", "n/a")


def _rubric_title(t: Traits, village: str, year: int) -> str:
    form = t["title"]
    if form == "printed":
        return RUBRIC_TITLE
    if form == "year":
        return f"{year}年度典型村评价得分表"
    if form == "village":
        return f"{village}典型村评价得分表"
    if t["title_words"] == "village-first":
        return f"{village}{year}年度典型村评价得分表"
    return f"{year}年度{village}典型村评价得分表"


def _rubric_sheets(rng, t: Traits, name: str, e: Evaluation, year: int, noise: bool) -> list[Sheet]:
    """The sheet of one village (and its 负面清单 sheet when the 负面清单 is on a sheet of its own)."""
    village = truth.name(e.village)
    cols = [Column("一级指标", "一级指标"), Column("序号", "序号"), Column("二级指标", t["item_header"]),
            Column("得分", t["score_header"])]
    titles = [rng.choice(("附件4", "附件 4"))] if t["attachment_line"] == "yes" else []
    titles.append(_rubric_title(t, village, year))
    village_field = f"{rng.choice(('参评村', '参评村', '村名', '被评价村'))}：{noisy_name(rng, e.village, noise)}"
    year_field = f"{rng.choice(('评价年度', '评价年度', '考核年度'))}：{year}{rng.choice(('年', '年', ''))}"
    fields = ([village_field] if t["village_source"] == "line" else []) + \
        ([year_field] if t["year_source"] == "line" else [])
    block = [{0: "\u3000\u3000".join(fields)}] if t["info_lines"] == "one" else [{0: f} for f in fields]
    body, down = [], []
    form = t["group_label"]
    for group, points, first, last in RUBRIC_GROUPS:
        printed = "生产生活 设施" if group == "生产生活设施" else group  # as the seed prints it
        label = {"printed": f"{printed} ({points}分)", "points": f"{group}（{points}分）", "plain": group}[form]
        if first == PAGE_BREAK_BEFORE and t["page_break"] == "header-repeated":
            body += [Row(role="blank"), Row({c.key: c.label for c in cols}, role="header")]
        top = len(body)
        for n in range(first, last + 1):
            text, maximum = RUBRIC_ITEMS[n - 1]
            body.append(Row({"一级指标": label if n == first else None, "序号": _serial(t, n - 1),
                             "二级指标": f"{text}（{maximum}分）", "得分": _score_cell(rng, t, e.scores[n - 1])}))
        if t["group_fill"] == "merged" and last > first:
            down.append(DownMerge("一级指标", top, len(body) - 1))
    if t["total"] != "none":
        body.append(Row({"一级指标": t["total"], "得分": _score_cell(rng, t, sum(e.scores))}, role="total"))
    layout = Layout(cols, titles=titles, title_merged=t["title_merged"] == "yes", block=block, body=body,
                    down_merges=down)
    sheet = render(name, layout)
    titles, table = _negative_rows(rng, t, e)
    if t["negatives"] == "sheet":
        own = Sheet(rng.choice(("负面清单", "附件5", "Sheet2")))
        _put_negatives(t, own, titles, table, at=0, width=3)
        return [sheet, own]
    sheet.rows.append([None] * 4)  # a blank line between the two lists
    _put_negatives(t, sheet, titles, table, at=1 if t["negatives_columns"] == "aligned" else 0, width=4)
    return [sheet]


def _negative_rows(rng, t: Traits, e: Evaluation) -> tuple[list[str], list[list]]:
    """附件5: its title lines (when drawn), and its table — header and 8 rows with the village's 有/无."""
    titles = []
    if t["negatives_title"] == "yes":
        if t["attachment_line"] == "yes":
            titles.append(rng.choice(("附件5", "附件 5")))
        titles.append(NEGATIVES_TITLE)
    table = [["序号", "清单内容", t["negatives_header"]]]
    for n, (text, present) in enumerate(zip(NEGATIVE_ITEMS, e.negatives), 1):
        table.append([_serial(t, n - 1), text, _yes_no_cell(t, present)])
    return titles, table


def _put_negatives(t: Traits, sheet: Sheet, titles: list[str], table: list[list], at: int, width: int) -> None:
    """The 负面清单 appended to `sheet`: titles in column A (merged across as the rubric's title is), the
    table from column `at`."""
    for text in titles:
        if t["title_merged"] == "yes":
            sheet.merges.append(Merge(len(sheet.rows), 0, len(sheet.rows), width - 1))
        sheet.rows.append([text] + [None] * (width - 1))
    for row in table:
        sheet.rows.append(([None] * at + row + [None] * width)[:width])

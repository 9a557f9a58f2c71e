"""The ledger spec: canonical columns, aliases, types, rules — one source for schema, template and docs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

# Column types, each with one parser in bqw.io.cells.parse_value (see docs/ledgers.md, "取值写法").
TEXT = "text"  # free text, spaces cleaned, line breaks kept
NAME = "name"  # a person, unit or village: all whitespace removed
SERIAL = "serial"  # 序号: kept as given, renumbered on merge
COUNT = "count"  # non-negative integer: 3, "3个", "３", "三"
DATE = "date"  # a single date
DATERANGE = "daterange"  # a date or a range; gives a day count
LIST = "list"  # several names in one cell
ENUM = "enum"
NUMBER = "number"  # a score: halves allowed
YESNO = "yesno"  # 有/无
CONTACT = "contact"  # free text that may hold phone numbers (checked: warning)
PHONE = "phone"  # must hold at least one valid phone number

TYPE_ZH = {
    TEXT: "文本", NAME: "名称", SERIAL: "序号", COUNT: "非负整数", DATE: "日期",
    DATERANGE: "日期或日期范围", LIST: "多个名称（用、分隔）", ENUM: "下拉选项", NUMBER: "数值",
    YESNO: "有/无", CONTACT: "文本（含电话）", PHONE: "电话号码",
}


@dataclass(frozen=True)
class Column:
    name: str  # canonical header bqw writes
    type: str = TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    enum: tuple[str, ...] = ()
    synonyms: dict = field(default_factory=dict)  # accepted spelling -> canonical enum value
    maximum: float | None = None  # for scores
    note: str = ""  # Chinese: what to fill in (template prompt, docs)
    example: object = None  # value for the template's example row and tests
    width: int = 14  # template column width
    group: str | None = None  # parent header in the template (two-row header)
    range_end: bool = False  # a range in a DATE column means its last day (deadlines)
    deadline: bool = False  # a DATE column read by parse_deadline: “9月底”, “年底前”, standing “长期坚持”

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class PrintedColumn:
    """A column of an office's own printed template (e.g. 附件3 of the work plan), as printed.

    The blank template bqw writes follows it, so what offices fill in from it reads back exactly.
    """

    column: str  # the canonical column it is read as (several printed columns may read as one)
    label: str  # its header text as printed
    group: str | None = None  # the merged parent header over it (a two-row header)
    example: object = None  # its text in the printed example row (序号 “例”)


@dataclass(frozen=True)
class Derived:
    name: str
    note: str
    # wordings of a derived column a sheet may carry itself (a submitted 调研天数): read and checked
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleDoc:
    code: str
    note: str  # Chinese, for docs


@dataclass(frozen=True)
class LedgerSpec:
    kind: str  # stable id used on the command line
    title: str  # Chinese name (sheet name of merged output)
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]  # headers that identify the kind (auto-detection)
    # columns a sheet must have to be read as this kind, however many key columns it has: a tasks list
    # with a 议定事项 column and a 交办日期 is no decisions ledger without its 会议名称
    identifying: tuple[str, ...] = ()
    sheet_aliases: tuple[str, ...] = ()  # sheet names that mean this kind
    derived: tuple[Derived, ...] = ()
    rules: tuple[RuleDoc, ...] = ()
    unique: tuple[str, ...] = ()  # columns whose non-empty values must be unique
    check: Callable | None = None  # (table, ctx) -> iterable of Finding: row and sheet rules
    description: str = ""
    family: str | None = None  # "rectification" for problems/responsibilities/tasks
    # the office's own header wordings added to this spec (bqw.toml [aliases]); part of cache keys
    alias_key: tuple = ()
    # the layout the offices' own template prints (empty: the template is laid out from `columns`)
    printed_columns: tuple[PrintedColumn, ...] = ()
    # the title-block line that template prints above the header (empty: “填报单位：… 填报时间：…”)
    printed_meta_line: str = ""

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


_SCHEMAS: dict[str, object] = {}


def pandera_schema(spec: LedgerSpec):
    """The pandera schema for a parsed frame of this kind (built once per kind).

    Values are parsed before pandera runs (bqw.io.cells), so the schema checks ranges; each
    check's ``error`` is a rule code of bqw.core.findings (required values: bqw.jobs.validate).
    """
    cached = _SCHEMAS.get(spec.kind)
    if cached is not None:
        return cached
    import pandera.pandas as pa

    columns = {}
    for c in spec.columns:
        checks = []
        # enum membership is checked while parsing (values may come from bqw.toml [enums])
        if c.type == COUNT:
            checks.append(pa.Check.ge(0, error="count-negative", ignore_na=True))
        if c.type == NUMBER:
            checks.append(pa.Check.ge(0, error="number-negative", ignore_na=True))
        if c.type == NUMBER and c.maximum is not None:
            checks.append(pa.Check.le(c.maximum, error="score-above-max", ignore_na=True))
        # required values are checked by bqw.jobs.validate (required_findings): a column left empty in
        # 100,000 rows would make pandera list 100,000 failure cases
        columns[c.name] = pa.Column(None, nullable=True, checks=checks, required=False)
    _SCHEMAS[spec.kind] = pa.DataFrameSchema(columns, strict=False)
    return _SCHEMAS[spec.kind]


@dataclass
class ReadFacts:
    """What the reader knows of one sheet when it adds the kind's derived columns (bqw.ledgers.derive_read_columns)."""

    rows: int  # records read
    leader: str | None = None  # the leader the sheet names (title block, sheet name, file name)
    leaders: list | None = None  # the 镇领导 cells as parsed (None where blank), when the sheet has the column
    days: list | None = None  # days of each 调研时间 range, when the sheet has the column
    standing: list | None = None  # per row, bqw.core.dates.STANDING where 完成时限 says “长期坚持”
    year: int | None = None  # the sheet's year

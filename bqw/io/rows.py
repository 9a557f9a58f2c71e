"""Which rows under a header are records: blank rows, totals, examples, footers and repeated headers are not."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bqw.core import values as V
from bqw.core.table import DROP_BLANK, DROP_EXAMPLE, DROP_FOOTER, DROP_HEADER, DROP_TOTAL
from bqw.io.header import continues_header, is_placeholder
from bqw.ledgers.spec import LedgerSpec

EXAMPLE_MARKS = {"例", "示例", "例子", "样例", "举例", "范例", "填写示例", "填表示例", "例如"}
TOTAL_MARK = re.compile(r"^(合计|总计|小计|共计|汇总)")
FOOTER_MARK = re.compile(
    r"^(填报人|填表人|制表人|审核人|审核|核稿|联系电话|联系人|单位负责人|负责人|分管领导|主要领导|领导签字|"
    r"签字|填报日期|填报时间|填表日期|报送时间|备注|注|说明|单位[（(]?盖章|评分人|评价人|打分人|考核人|统计人|复核人)")


def has_value(v) -> bool:
    return v is not None and v != "" and (type(v) is not str or bool(v.strip()))


@dataclass
class RowRules:
    """What tells a record from the other rows under a header."""

    serial_cols: set[int]  # the 序号 column(s)
    mapped: set[int]  # columns read as canonical columns
    labels: dict[int, str]  # column -> its normalised header label
    spec: LedgerSpec
    words: frozenset  # every header wording, and this header's own labels


def classify(row: list, rules: RowRules) -> str | None:
    """Why a raw row is not a record, or None when it is one."""
    serial_cols, mapped, labels = rules.serial_cols, rules.mapped, rules.labels
    for c in serial_cols:  # fast path: a numeric 序号 is a record, or a dragged formula alone
        v = row[c] if c < len(row) else ""
        if type(v) is float or type(v) is int:
            if any(has_value(row[m]) for m in mapped if m < len(row) and m not in serial_cols):
                return None
            return DROP_BLANK
    cells = [(c, v) for c, v in enumerate(row) if has_value(v)]
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

"""The printed 附件4 filled in: a village's scores read down the rubric, not along a row.

The provincial 典型村 rubric is printed as a list — 一级指标 | 序号 | 二级指标 — and an office scoring a
village adds a 得分 column, one village to a sheet (or file), with the 负面清单 (附件5: 序号 | 清单内容 |
有/无) below it or on a sheet of its own. Such a sheet is one record of the scores ledger: item n's
score is the 得分 cell of the row whose 序号 is n (docs/ledgers.md, “典型村评价”). The village and the
year come from the title block (“参评村：东坑村”), the title, the sheet name or the file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bqw.core import dates as D
from bqw.core import numbers as N
from bqw.core import values as V
from bqw.io.header import SCAN_ROWS

# Header wordings of the vertical layout (normalised: no spaces, no trailing “（有/无）”).
SERIAL = {"序号", "编号", "指标序号", "项目序号", "序"}
ITEM_TEXT = {"二级指标", "评价指标", "指标内容", "评价内容", "指标", "评分标准", "评价标准", "考核内容", "具体指标",
             "评价项目", "二级指标内容", "测评内容"}
SCORE = {"得分", "评分", "自评得分", "评价得分", "实际得分", "考核得分", "评估得分", "得分情况", "核定得分", "评定得分",
         "最终得分", "分数"}
NEGATIVE_TEXT = {"清单内容", "负面清单", "负面清单内容", "负面清单事项", "否决事项", "事项", "内容"}
NEGATIVE_VALUE = {"是否存在", "有/无", "有无", "情况", "自查情况", "是否存在该情形", "存在情况", "结果", "认定结果", "是否",
                  "核查情况", "核查结果", "有或无"}
VILLAGE_FIELDS = ("参评村", "被评价村", "村名", "评价村", "典型村", "村（社区）", "行政村", "村居")
YEAR_FIELDS = ("评价年度", "考核年度", "评估年度", "年度")
_VILLAGE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:村|社区)")
_IN_PARENS = re.compile(r"[（(]([\u4e00-\u9fff]{1,6}(?:村|社区))[）)]")


@dataclass
class Block:
    """One list in the sheet: its header row and the columns of 序号, text and value (0-based)."""

    header: int
    serial: int
    text: int
    value: int


def _labels(row: list) -> list[str]:
    return [V.normalise_header(v) if isinstance(v, str) else "" for v in row]


def _find_block(rows: list[list], start: int, stop: int, texts: set[str], values: set[str]) -> Block | None:
    """The first row in [start, stop) naming a 序号, a text and a value column."""
    for r in range(start, min(stop, len(rows))):
        labels = _labels(rows[r])
        serial = next((c for c, x in enumerate(labels) if x in SERIAL), None)
        text = next((c for c, x in enumerate(labels) if x in texts), None)
        value = next((c for c, x in enumerate(labels) if x in values and c != text), None)
        if serial is not None and text is not None and value is not None:
            return Block(r, serial, text, value)
    return None


def find_items(rows: list[list]) -> Block | None:
    """The rubric's header (序号 | 二级指标 | 得分) in the first rows of a sheet, or None."""
    return _find_block(rows, 0, SCAN_ROWS, ITEM_TEXT, SCORE)


def find_negatives(rows: list[list], start: int = 0) -> Block | None:
    """The 负面清单's header (序号 | 清单内容 | 有/无) from row `start` on, or None."""
    return _find_block(rows, start, len(rows), NEGATIVE_TEXT, NEGATIVE_VALUE)


def serial_of(v) -> int | None:
    """The 序号 of a rubric row: 6, 6.0, “6”, “（6）”, “第6项” — else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return int(v) if float(v).is_integer() and 0 < v < 100 else None
    text = (V.clean_name(v) or "").strip("()（）.、")
    text = text.removeprefix("第").removesuffix("项")
    if text.isascii() and text.isdigit():
        return int(text)
    return N.chinese_number(text) if text else None


def numbered_rows(rows: list[list], block: Block, stop: int, most: int) -> dict[int, int]:
    """序号 n -> 0-based row, for the rows under `block` until `stop` (first occurrence of each n)."""
    out: dict[int, int] = {}
    for r in range(block.header + 1, min(stop, len(rows))):
        row = rows[r]
        n = serial_of(row[block.serial]) if block.serial < len(row) else None
        if n is not None and 1 <= n <= most and n not in out:
            out[n] = r
    return out


def village_in(text: str) -> str | None:
    """The village a title or file name is about: “2026年度东坑村典型村评价得分表”, “…（东坑村）” -> 东坑村."""
    text = V.clean_name(text) or ""
    m = _IN_PARENS.search(text)
    if m:
        return m.group(1)
    head = re.split(r"典型村|评价|得分|评分|[（(]", text)[0]
    head = re.sub(r"^(?:附件\d*[:：]?)?(?:\d{4}年度?)?", "", head)
    head = re.sub(r"\d{4}年度?$", "", head)  # “西湖村2026年度典型村…”: the year after the village
    head = re.sub(r"^.*?(?:镇|乡|街道)", "", head)
    return head if _VILLAGE.fullmatch(head) and not head.startswith(("典型", "示范")) else None


def village_and_year(fields: dict[str, str], titles: list[str], sheet_name: str, file_stem: str) -> dict:
    """{"village": (name, source), "year": (year, source)} from the title block's fields (label ->
    value), the title lines, the sheet name and the file name."""
    found: dict = {}
    label = next((x for x in VILLAGE_FIELDS if fields.get(x)), None)
    if label:
        found["village"] = (V.clean_name(fields[label]), "填报行")
    label = next((x for x in YEAR_FIELDS if D.parse_year(fields.get(x) or "")), None)
    if label:
        found["year"] = (D.parse_year(fields[label]), "填报行")
    for line in titles:
        year = D.parse_year(line)
        if year:
            found.setdefault("year", (year, "标题"))
        village = village_in(line)
        if village:
            found.setdefault("village", (village, "标题"))
    name = V.clean_name(sheet_name) or ""
    if _VILLAGE.fullmatch(name):
        found.setdefault("village", (name, "工作表名"))
    village = village_in(file_stem)
    if village:
        found.setdefault("village", (village, "文件名"))
    year = D.parse_year(file_stem)
    if year:
        found.setdefault("year", (year, "文件名"))
    return found

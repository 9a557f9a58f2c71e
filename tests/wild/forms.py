"""How clerks write a value: date, range, count and header forms. Each function takes the value
(whose canonical form tests/wild/truth.py gives) and returns what goes into the cell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CN_DIGITS = "〇一二三四五六七八九"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # the 1900 date system's day 0 (past its 1900-02-29)

# single-day forms of a date; "cell" is a real date cell, the others text
DATE_FORMS = ("cell", "ymd-cn", "dot", "slash", "dash", "md-cn", "compact", "fullwidth", "cn-md", "cn-ymd",
              "md-dot", "apostrophe", "serial-text")
# forms that leave the year out: a reader takes it from the title
YEARLESS = {"md-cn", "cn-md", "md-dot"}
# date cells' number formats (what Excel shows; the value is the same date)
DATE_CELL_FORMATS = ('yyyy"年"m"月"d"日"', "yyyy-mm-dd", "yyyy/m/d", 'm"月"d"日"')


def fullwidth(s: str) -> str:
    """ASCII letters and digits as full-width (３, Ｎｏ)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in s)


def cn_number(n: int) -> str:
    """1..31 in Chinese numerals as dates write them: 五, 十, 十一, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def cn_year(y: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(y))


@dataclass(frozen=True)
class DateCell:
    """A real date cell: the writer stores the date as a number with this number format."""

    value: dt.date
    num_format: str


def serial(d: dt.date) -> int:
    return (d - EXCEL_EPOCH).days


def date_value(d: dt.date, form: str, cell_format: str = "yyyy-mm-dd"):
    """One date written in `form` (DATE_FORMS): a DateCell or text."""
    y, m, day = d.year, d.month, d.day
    if form == "cell":
        return DateCell(d, cell_format)
    return {
        "ymd-cn": f"{y}年{m}月{day}日",
        "dot": f"{y}.{m}.{day}",
        "slash": f"{y}/{m}/{day}",
        "dash": f"{y}-{m:02d}-{day:02d}",
        "md-cn": f"{m}月{day}日",
        "compact": f"{y}{m:02d}{day:02d}",
        "fullwidth": fullwidth(f"{y}年{m}月{day}日"),
        "cn-md": f"{cn_number(m)}月{cn_number(day)}日",
        "cn-ymd": f"{cn_year(y)}年{cn_number(m)}月{cn_number(day)}日",
        "md-dot": f"{m}.{day}",
        "apostrophe": f"'{y}-{m:02d}-{day:02d}",
        "serial-text": str(serial(d)),
    }[form]


# ranges: a visit over several days, written in one cell
RANGE_FORMS = ("md-d", "md-list", "dot-range", "cn-range", "cross-month")


def range_value(days: list[dt.date], form: str, with_year: bool) -> str:
    """Several days of one visit (consecutive, or a list for md-list) in `form`; `with_year` puts the
    year in front of the forms that otherwise leave it out."""
    a, b = days[0], days[-1]
    y = f"{a.year}年" if with_year else ""
    if form == "md-d":  # 10月9日-11日
        return f"{y}{a.month}月{a.day}日-{b.day}日"
    if form == "md-list":  # 10月9日、10日
        return f"{y}{a.month}月{a.day}日" + "".join(f"、{d.day}日" for d in days[1:])
    if form == "dot-range":  # 2026.10.16-10.17
        return f"{a.year}.{a.month}.{a.day}-{b.month}.{b.day}"
    if form == "cn-range":  # 十月九日至十一日
        cy = f"{cn_year(a.year)}年" if with_year else ""
        return f"{cy}{cn_number(a.month)}月{cn_number(a.day)}日至{cn_number(b.day)}日"
    if form == "cross-month":  # 10月30日-11月1日
        return f"{y}{a.month}月{a.day}日-{b.month}月{b.day}日"
    raise ValueError(form)


COUNT_FORMS = ("number", "ge", "fullwidth", "chinese", "xiang", "mixed")
CN_COUNTS = "零一二三四五六七八九十"


def count_value(n: int | None, form: str):
    """A count (推动解决问题数量) in `form`; None is a blank cell, 0 may be written “无”."""
    if n is None:
        return None
    if form == "number":
        return n
    if form == "ge":
        return f"{n}个"
    if form == "fullwidth":
        return fullwidth(str(n))
    if form == "chinese":
        return CN_COUNTS[n]
    if form == "xiang":
        return f"{n}项"
    raise ValueError(form)

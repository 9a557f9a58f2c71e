"""What a correct reader must make of each value: the canonical values of bqw's merged ledger.

Every rule the corpus' truth follows is here, and only here (tests/wild/README.md says them in
words). The generator writes a value in some form and records `truth.<rule>(value)`; the check
compares bqw's merged rows with these.
"""

from __future__ import annotations

import datetime as dt
import re

# Line breaks end a line; every other whitespace (NBSP, full-width space, tab …) is a space.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SPACES = re.compile(r"[^\S\n]+")
_ANY_SPACE = re.compile(r"\s+")


def halfwidth(s: str) -> str:
    """Full-width letters and digits (Ａ, ３) as ASCII; other characters (，：（）) as they are."""
    out = []
    for ch in s:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def name(value: str | None) -> str | None:
    """A person, unit or village (NAME columns): all whitespace removed, full-width letters and
    digits made half-width; empty is None."""
    if value is None:
        return None
    text = halfwidth(_ANY_SPACE.sub("", value))
    return text or None


def text(value: str | None) -> str | None:
    """Free text (TEXT and contact columns): each line's runs of spaces of any kind collapsed to
    one space and the line trimmed, blank lines dropped, line breaks kept as "\\n"; empty is None."""
    if value is None:
        return None
    lines = (_SPACES.sub(" ", line).strip() for line in _LINE_BREAK.split(value))
    return "\n".join(line for line in lines if line) or None


def day(value: dt.date | None) -> str | None:
    """A date: YYYY-MM-DD."""
    return None if value is None else value.isoformat()


def month(value: dt.date) -> str:
    """A month (月份, 期间): YYYY-MM."""
    return f"{value.year:04d}-{value.month:02d}"


def count(value: int | None) -> int | None:
    """A count: an int (“无” is 0), blank is None."""
    return value


def effect(parts: list[str | None]) -> str | None:
    """调研成效 written over two sub-columns: the two texts, cleaned, joined with “；”, empty ones left out."""
    cleaned = [text(p) for p in parts]
    return "；".join(p for p in cleaned if p) or None


def villages(names: list[str]) -> str:
    """Several villages in one cell (联系行政村): the names, cleaned, joined with “、”."""
    return "、".join(name(n) for n in names)


def extra_label(label: str) -> str:
    """A column bqw does not know is kept under its header label with all whitespace removed."""
    return _ANY_SPACE.sub("", label)


def extra_value(value) -> str | None:
    """A value of such a column, as text: a number 3 as "3", a date as "2026-10-05", text cleaned."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return text(value)


def enum(canonical: str | None) -> str | None:
    """A drop-down column: its canonical value, whatever synonym was written."""
    return canonical


STANDING = "是"  # 长期任务 of a standing task (完成时限 “长期坚持”, “常态化” …)
NOT_STANDING = "否"


def score(value: float) -> int | float:
    """A score (指标n, 总分): a whole number as int, a half as float (2.5)."""
    return int(value) if float(value).is_integer() else float(value)


def yes_no(present: bool) -> str:
    """A 负面清单 item as the merged workbook writes it, whatever form the sheet used (是/否, √/空 …)."""
    return "有" if present else "无"


def veto(negatives: list[bool]) -> str:
    """一票否决: “是” when any 负面清单 item is 有."""
    return "是" if any(negatives) else "否"

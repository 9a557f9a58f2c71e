"""Numbers in cells: counts (“3个”, “三”), scores and other numbers (“3.5分”), Chinese numerals."""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache

from bqw.core.values import PARSE_CACHE, Parsed, is_finite, is_number, nfkc_compact

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(s: str) -> int | None:
    """Chinese numeral to int ("三"->3, "十二"->12, "一百零五"->105); None if not a numeral."""
    return _chinese_number_str(s) if isinstance(s, str) and s else None


@lru_cache(maxsize=4096)
def _chinese_number_str(s: str) -> int | None:
    """chinese_number for a non-empty str."""
    total, section, digit, last_unit = 0, 0, None, 10**9
    for ch in s:
        if ch in CN_DIGITS:
            if digit:  # two non-zero digits in a row, e.g. "二三"
                return None
            digit = CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit or digit == 0 or (digit is None and unit != 10):
                return None
            section += (1 if digit is None else digit) * unit  # a bare "十" means 10
            digit, last_unit = None, unit
        elif ch == "万" and not total and (section or digit):
            total, section, digit, last_unit = (section + (digit or 0)) * 10000, 0, None, 10**9
        else:
            return None
    return total + section + (digit or 0)


_COUNT_PREFIX = re.compile(r"^(?:共计|合计|总计|共|计)")
_COUNT_SUFFIX = re.compile(r"(?:个|项|件|条|次|人|处|家|户|名|座|批|起|宗|份|篇|场)(?:问题)?$")
_COUNT_ZERO = frozenset({"无", "没有", "零", "〇"})
_INT_TEXT = re.compile(r"^([-−])?(\d+)(?:\.0*)?$")


@lru_cache(maxsize=PARSE_CACHE)
def _parse_count_str(s: str) -> Parsed:
    """parse_count for a non-empty compacted str."""
    s = _COUNT_SUFFIX.sub("", _COUNT_PREFIX.sub("", s))
    if s in _COUNT_ZERO:
        return Parsed(0, None)
    m = _INT_TEXT.match(s)
    if m:
        n = int(m.group(2))
        return Parsed(-n, "count-negative") if m.group(1) and n else Parsed(n, None)
    n = chinese_number(s)
    return Parsed(n, None) if n is not None else Parsed(None, "count-invalid")


COUNT_MAX = 10**15 - 1  # Excel keeps 15 digits of a number: a longer one is no count (nor fits Int64)


def parse_count(v) -> Parsed:
    """A non-negative integer count: 3, "3个", "３", "三", "无" -> 0."""
    parsed = _parse_count(v)
    if parsed.value is not None and abs(parsed.value) > COUNT_MAX:
        return Parsed(None, "count-invalid")
    return parsed


def _parse_count(v) -> Parsed:
    if isinstance(v, bool):
        return Parsed(None, "count-invalid")
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            return Parsed(None, "count-invalid")
        v = int(v)
    if isinstance(v, int):
        return Parsed(v, "count-negative") if v < 0 else Parsed(v, None)
    if isinstance(v, (dt.date, dt.time)):
        return Parsed(None, "count-invalid")
    s = nfkc_compact(v)
    return _parse_count_str(s) if s else Parsed(None, None)


_NUMBER_TEXT = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$")


@lru_cache(maxsize=PARSE_CACHE)
def _parse_number_str(s: str) -> Parsed:
    """parse_number for a non-empty compacted str."""
    s = s.replace("−", "-").removesuffix("分")
    if _NUMBER_TEXT.match(s):
        return Parsed(float(s), None)
    n = chinese_number(s)
    return Parsed(float(n), None) if n is not None else Parsed(None, "number-invalid")


def parse_number(v) -> Parsed:
    """A score or other number: 3, 3.5, "３.５", "3.5分" -> float (range checks are the caller's)."""
    if isinstance(v, bool):
        return Parsed(None, "number-invalid")
    if is_number(v):
        return Parsed(float(v), None) if is_finite(v) else Parsed(None, "number-invalid")
    if isinstance(v, (dt.date, dt.time)):
        return Parsed(None, "number-invalid")
    s = nfkc_compact(v)
    return _parse_number_str(s) if s else Parsed(None, None)

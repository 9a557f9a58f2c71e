"""Pure parsers for raw cell values (as python-calamine returns them); they never raise on bad data.

This module: text (cleaned, for Excel, for file names), header labels, phones, and what the other
parsers share (Parsed, the error texts). Numbers are in bqw.core.numbers, dates, deadlines and
periods in bqw.core.dates, choices (enums, 有/无, lists) in bqw.core.enums."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "CONTROL_CHARS", "EXCEL_CELL_MAX", "display_name", "excel_length", "for_excel", "too_long_for_excel",
    "ERRORS", "PHONE_MOBILE", "Parsed", "clean_name", "clean_text", "find_phones", "header_note", "is_blank",
    "normalise_header",
]

PARSE_CACHE = 1 << 14  # per parser; a real column repeats far fewer values, and 100,000 distinct bad ones must not stay


class Parsed(NamedTuple):
    """Result of a parser: value, error code (None when ok or empty), parser-specific extra, and
    a warning code (bqw.core.findings) that goes with a value read all the same."""

    value: object
    error: str | None
    extra: object = None
    note: str | None = None


ERRORS: dict[str, str] = {
    "date-invalid": "无法识别的日期，应为“2024年3月5日”“2024.3.5”“2024/3/5”或日期格式单元格",
    "date-no-year": "日期缺少年份且无法从填报期间推断",
    "date-range-invalid": "日期范围无法识别，应如“3月5日-7日”，结束日期不得早于开始日期，跨度不超过31天",
    "count-invalid": "应为非负整数，如“3”“3个”“三”",
    "count-negative": "数量不能为负数",
    "number-invalid": "应为数字，如“3”“3.5”“3.5分”",
    "enum-invalid": "不是允许的取值",
    "yesno-invalid": "应为“有/无”“是/否”或“√/空”",
}

# ---------------------------------------------------------------- text for Excel

EXCEL_CELL_MAX = 32767  # UTF-16 code units an Excel cell holds
# Control characters XML 1.0 (and so xlsx) cannot hold; tab, line feed and carriage return can.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NOT_FOR_EXCEL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def excel_length(s: str) -> int:
    """Length as Excel counts it (UTF-16 code units: an emoji counts 2)."""
    if s.isascii():
        return len(s)
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def too_long_for_excel(s: str) -> bool:
    return len(s) > EXCEL_CELL_MAX // 2 and excel_length(s) > EXCEL_CELL_MAX


def for_excel(s: str, limit: int = EXCEL_CELL_MAX) -> str:
    """Text as it may be written to a cell: control characters removed, lone surrogates (from
    undecodable file names) replaced by U+FFFD, and cut to `limit` UTF-16 units without splitting
    a character. Shared by every writer of xlsx (bqw.output.xlsx, bqw.output.annotate, bqw.output.reports)."""
    if len(s) <= limit // 2 and _NOT_FOR_EXCEL.search(s) is None:
        return s  # the common case, in one regex pass
    if CONTROL_CHARS.search(s):
        s = CONTROL_CHARS.sub("", s)
    if _LONE_SURROGATE.search(s):
        s = display_name(s)
    if len(s) > limit // 2 and excel_length(s) > limit:
        units = s.encode("utf-16-le")[: 2 * limit]
        s = units.decode("utf-16-le", "ignore")  # a pair cut in half is dropped
    return s


def display_name(name: str) -> str:
    """A file name fit to show and store: names that were not UTF-8 (Python keeps their bytes as
    surrogate escapes, e.g. a zip made on Chinese Windows and unpacked on Linux) are decoded as
    GB18030 when they can be, else their bad bytes become U+FFFD."""
    if not _LONE_SURROGATE.search(name):
        return name
    raw = name.encode("utf-8", "surrogateescape") if _only_escapes(name) else None
    if raw is not None:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")
    return _LONE_SURROGATE.sub("\ufffd", name)


def _only_escapes(name: str) -> bool:
    """True when every lone surrogate is a surrogateescape byte (U+DC80..U+DCFF)."""
    return all("\udc80" <= ch <= "\udcff" for ch in _LONE_SURROGATE.findall(name))


# ---------------------------------------------------------------- text cleaning

_SPACE_MAP = {c: " " for c in "\t\xa0\u1680\u3000\u202f\u205f"}
_SPACE_MAP.update({c: " " for c in map(chr, range(0x2000, 0x200B))})
_SPACE_MAP.update({c: None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"})
_SPACE_MAP.update({"\u2028": "\n", "\u2029": "\n", "\v": "\n", "\f": "\n"})
_SPACE_TABLE = str.maketrans(_SPACE_MAP)
_RUN_OF_SPACES = re.compile(r" {2,}")
ALL_SPACE = re.compile(r"\s+")


def is_number(v) -> bool:
    """True for int/float cells but not bool."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_finite(v) -> bool:
    """True for a finite number that fits a float."""
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


@lru_cache(maxsize=PARSE_CACHE)
def _clean_str(s: str) -> str | None:
    """clean_text for a str."""
    s = s.translate(_SPACE_TABLE).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_RUN_OF_SPACES.sub(" ", line).strip() for line in s.split("\n"))
    return "\n".join(line for line in lines if line) or None


def clean_text(v) -> str | None:
    """Cell value as tidy text: odd spaces normalised, blank lines dropped; None when empty."""
    if v is None:
        return None
    if isinstance(v, str):
        return _clean_str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        return str(int(v)) if v.is_integer() else str(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return _clean_str(str(v))


@lru_cache(maxsize=PARSE_CACHE)
def _clean_name_str(s: str) -> str | None:
    """clean_name for a str."""
    text = _clean_str(s)
    return ALL_SPACE.sub("", unicodedata.normalize("NFKC", text)) or None if text else None


def clean_name(v) -> str | None:
    """A person/unit/village name: cleaned, NFKC-normalised, with all whitespace removed."""
    if isinstance(v, str):
        return _clean_name_str(v)
    text = clean_text(v)
    return None if text is None else _clean_name_str(text)


def is_missing(v) -> bool:
    """True for None, NaN and pandas' NA and NaT: a value that is not there (as opposed to blank text)."""
    if v is None:
        return True
    if isinstance(v, float):  # numpy's float64 too
        return v != v
    import sys

    pd = sys.modules.get("pandas")  # NA and NaT can only come from pandas, when it is loaded
    return pd is not None and (v is pd.NA or v is pd.NaT)


def date_texts(dates, unit: str = "D") -> list:
    """Each value of a datetime column or array as "YYYY-MM-DD" (unit "D") or "YYYY-MM" (unit "M"),
    None where there is none. numpy makes the text of a whole column at once (6–8× faster than
    strftime on a town's 40 rows); pandas' strftime is kept for years outside 1000–9999, where
    numpy pads or widens the year."""
    import numpy as np
    import pandas as pd

    width, fmt = {"D": (10, "%Y-%m-%d"), "M": (7, "%Y-%m")}[unit]
    values = dates.to_numpy()
    if values.dtype.kind == "M":  # naive dates (the reader's)
        texts = np.datetime_as_string(values.astype(f"datetime64[{unit}]")).tolist()
        if all(t == "NaT" or (len(t) == width and "1" <= t[0] <= "9") for t in texts):
            return [None if t == "NaT" else t for t in texts]
    text = pd.Series(dates).dt.strftime(fmt)
    return text.astype(object).where(text.notna(), None).tolist()


def is_blank(v) -> bool:
    """True for None, "" and whitespace-only text (including NBSP and full-width spaces)."""
    if v is None or isinstance(v, str):
        return v is None or _clean_str(v) is None
    return isinstance(v, float) and math.isnan(v)


def nfkc_compact(v) -> str:
    """Cleaned text, NFKC-normalised, with all whitespace removed ("" when empty)."""
    return clean_name(v) or ""


# ---------------------------------------------------------------- headers

_HEADER_MARK = re.compile(r"^[*※★☆]+")
_HEADER_COLON = re.compile(r"[:：]+$")
_HEADER_NOTE = re.compile(r"(?:\(([^()]*)\)|【([^【】]*)】)$")


@lru_cache(maxsize=PARSE_CACHE)
def _split_header(s: str) -> tuple[str, str | None]:
    """Split a header into (normalised name, trailing parenthetical note or None)."""
    s = _HEADER_COLON.sub("", _HEADER_MARK.sub("", s))
    note = None
    m = _HEADER_NOTE.search(s)
    if m and m.start() > 0:
        note = m.group(1) if m.group(1) is not None else m.group(2)
        s = _HEADER_COLON.sub("", s[: m.start()])
    return s.lower(), (note or None)


def normalise_header(v) -> str:
    """Header text for matching: NFKC, no whitespace, no required-marker, colon or unit suffix."""
    return _split_header(nfkc_compact(v))[0]


def header_note(v) -> str | None:
    """The trailing parenthetical that normalise_header drops, e.g. "6（7分）" -> "7分"."""
    return _split_header(nfkc_compact(v))[1]


# ---------------------------------------------------------------- phones

PHONE_MOBILE = re.compile(r"1[3-9]\d{9}")
_DIGIT_RUN = re.compile(r"\d+(?:(?: ?[-–—] ?| )\d+)*")
_RUN_SEP = re.compile(r"( ?[-–—] ?| )")


def _landline(digits: str) -> str | None:
    """Normalised "area-local" when digits are an area code (010/02x: 3 digits, else 4) + 7-8 digits."""
    if len(digits) < 10 or digits[0] != "0":
        return None
    area_len = 3 if digits[1] in "12" else 4
    local = digits[area_len:]
    if 7 <= len(local) <= 8 and local[0] != "0":
        return f"{digits[:area_len]}-{local}"
    return None


def _phone(groups: list[str], seps: list[str]) -> str | None:
    """Normalised phone when these digit groups (joined by seps) form one valid number."""
    digits = "".join(groups)
    if PHONE_MOBILE.fullmatch(digits):
        return digits
    found = _landline(digits)
    if found:
        return found
    if len(groups) >= 3 and seps[-1].strip() and len(groups[-1]) <= 5:  # "-ext" after a landline
        found = _landline("".join(groups[:-1]))
        if found:
            return f"{found}-{groups[-1]}"
    return None


@lru_cache(maxsize=PARSE_CACHE)
def _find_phones_str(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """find_phones for a str."""
    valid: list[str] = []
    invalid: list[str] = []
    text = unicodedata.normalize("NFKC", text).translate(_SPACE_TABLE)
    for run in _DIGIT_RUN.finditer(text):
        parts = _RUN_SEP.split(run.group())
        groups, seps = parts[0::2], parts[1::2]
        n, i = len(groups), 0

        def longest_from(k: int) -> tuple[int, str] | None:
            for j in range(n, k, -1):
                found = _phone(groups[k:j], seps[k : j - 1])
                if found:
                    return j, found
            return None

        while i < n:
            hit = longest_from(i)
            if hit:
                i, found = hit
                valid.append(found)
                continue
            k = i + 1
            while k < n and longest_from(k) is None:
                k += 1
            chunks: list[list[int]] = []
            for g in range(i, k):  # a group of 7+ digits is an attempt of its own
                if not chunks or len(groups[g]) >= 7 or len(groups[g - 1]) >= 7:
                    chunks.append([])
                chunks[-1].append(g)
            for chunk in chunks:
                if sum(len(groups[g]) for g in chunk) >= 7:
                    invalid.append("".join(groups[g] + (seps[g] if g < chunk[-1] else "") for g in chunk))
            i = k
    return tuple(valid), tuple(invalid)


_ONE_MOBILE = re.compile(r"[^\d０-９]*(1[3-9]\d{9})[^\d０-９]*\Z")


def find_phones(text) -> tuple[list[str], list[str]]:
    """(valid, invalid) phone numbers in free text; digit runs under 7 digits are ignored."""
    s = text if isinstance(text, str) else clean_text(text)  # raw text: a double space splits numbers
    if not s:
        return [], []
    simple = _ONE_MOBILE.match(s)  # the common case, “村支书陈伟 13812345678”: one regex, no cache churn
    if simple:
        return [simple.group(1)], []
    valid, invalid = _find_phones_str(s)
    return list(valid), list(invalid)



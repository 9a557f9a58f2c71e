"""Pure parsers for raw cell values (as python-calamine returns them); they never raise on bad data."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "CONTROL_CHARS", "EXCEL_CELL_MAX", "display_name", "excel_length", "for_excel", "too_long_for_excel",
    "ERRORS", "PHONE_MOBILE", "Parsed", "chinese_number", "clean_name", "clean_text",
    "excel_serial_to_date", "find_phones", "header_note", "is_blank", "normalise_header",
    "parse_count", "parse_date", "parse_deadline", "parse_enum", "parse_number", "parse_period", "parse_year",
    "parse_yes_no", "split_list", "STANDING", "DATE_AMBIGUOUS",
]

_CACHE = 1 << 14  # per parser; a real column repeats far fewer values, and 100,000 distinct bad ones must not stay
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_RANGE_DAYS = 31


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
_ALL_SPACE = re.compile(r"\s+")


def _is_number(v) -> bool:
    """True for int/float cells but not bool."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _finite(v) -> bool:
    """True for a finite number that fits a float."""
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


@lru_cache(maxsize=_CACHE)
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


@lru_cache(maxsize=_CACHE)
def _clean_name_str(s: str) -> str | None:
    """clean_name for a str."""
    text = _clean_str(s)
    return _ALL_SPACE.sub("", unicodedata.normalize("NFKC", text)) or None if text else None


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


def _nfkc_compact(v) -> str:
    """Cleaned text, NFKC-normalised, with all whitespace removed ("" when empty)."""
    return clean_name(v) or ""


# ---------------------------------------------------------------- headers

_HEADER_MARK = re.compile(r"^[*※★☆]+")
_HEADER_COLON = re.compile(r"[:：]+$")
_HEADER_NOTE = re.compile(r"(?:\(([^()]*)\)|【([^【】]*)】)$")


@lru_cache(maxsize=_CACHE)
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
    return _split_header(_nfkc_compact(v))[0]


def header_note(v) -> str | None:
    """The trailing parenthetical that normalise_header drops, e.g. "6（7分）" -> "7分"."""
    return _split_header(_nfkc_compact(v))[1]


# ---------------------------------------------------------------- numbers

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
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
        if ch in _CN_DIGITS:
            if digit:  # two non-zero digits in a row, e.g. "二三"
                return None
            digit = _CN_DIGITS[ch]
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


@lru_cache(maxsize=_CACHE)
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
    s = _nfkc_compact(v)
    return _parse_count_str(s) if s else Parsed(None, None)


_NUMBER_TEXT = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$")


@lru_cache(maxsize=_CACHE)
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
    if _is_number(v):
        return Parsed(float(v), None) if _finite(v) else Parsed(None, "number-invalid")
    if isinstance(v, (dt.date, dt.time)):
        return Parsed(None, "number-invalid")
    s = _nfkc_compact(v)
    return _parse_number_str(s) if s else Parsed(None, None)


# ---------------------------------------------------------------- dates

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EPOCH_1904 = dt.date(1904, 1, 1)
_DAYS_1904 = (_EPOCH_1904 - _EXCEL_EPOCH).days  # 1462: 44839 in 1904 is 46301 in 1900


def excel_serial_to_date(x: float, date1904: bool = False) -> dt.date | None:
    """Excel serial to a date; None if invalid. The 1900 system (the default): serial 1 = 1900-01-01,
    61 = 1900-03-01. A workbook in the 1904 system (old Mac Excel, Book.date1904): 0 = 1904-01-01."""
    if not _is_number(x) or not _finite(x) or not 1 <= x < 2958466 - (_DAYS_1904 if date1904 else 0):
        return None
    n = int(x)
    if date1904:
        return _EPOCH_1904 + dt.timedelta(days=n)
    if n == 60:  # Excel's phantom 1900-02-29
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=n + (1 if n < 60 else 0))


def _plausible(d: dt.date | None) -> bool:
    """True for a date with a year in MIN_YEAR..MAX_YEAR."""
    return d is not None and MIN_YEAR <= d.year <= MAX_YEAR


def _compact_date(s: str) -> dt.date | None:
    """YYYYMMDD to a date, or None."""
    try:
        d = dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    except ValueError:
        return None
    return d if _plausible(d) else None


_DATE_NOISE = re.compile(r"[(]?(?:星期|周|礼拜)[一二三四五六日天][)]?|上午|下午|晚上|全天|全日")
_DATE_TIME = re.compile(r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_DATE_TOKEN = re.compile(
    r"(?P<c>\d{8})(?!\d)"
    r"|(?:(?P<y>\d{4})(?P<ys>[年./-]))?(?:(?P<m>\d{1,2})(?P<ms>[月./-]))?(?P<d>\d{1,2})[日号]?"
)
_DATE_SEP = re.compile(r"([-—–―−~〜]+|至|到)|[、,;；和及]")
_SERIAL_TEXT = re.compile(r"^\d+(?:\.\d+)?$")
# Chinese numerals in a date: “九月三日”, “二〇二六年九月二十一日”, “十月九日至十一日”
_CN_DATE_CHARS = frozenset("〇零一二三四五六七八九十廿卅")
_CN_DATE_RUN = re.compile("[〇零一二三四五六七八九十廿卅]+")
_QUOTE_MARKS = "'‘’`"  # “'2026-10-05”: the apostrophe that keeps a CSV export's date as text


def _cn_run_digits(m: re.Match) -> str:
    """A run of Chinese numerals as digits: a number (“二十一”, “廿一”) or a year digit by digit (“二〇二六”)."""
    run = m.group()
    if "十" in run or "廿" in run or "卅" in run:
        n = chinese_number(run.replace("廿", "二十").replace("卅", "三十"))
        return run if n is None else str(n)  # not a numeral (“十十”): left to fail as it stands
    return "".join(str(_CN_DIGITS[ch]) for ch in run)


def _date_text(s: str) -> str:
    """A date's text made plain: NFKC, no time, weekday or spaces, Chinese numerals as digits, no
    leading apostrophe. Called on a cache miss only (the callers are cached)."""
    s = _DATE_TIME.sub("", unicodedata.normalize("NFKC", s))
    s = _ALL_SPACE.sub("", _DATE_NOISE.sub("", s))
    if not _CN_DATE_CHARS.isdisjoint(s):
        s = _CN_DATE_RUN.sub(_cn_run_digits, s)
    return s.lstrip(_QUOTE_MARKS)


def _token_parts(m: re.Match) -> tuple[int | None, int | None, int, bool] | None:
    """(year, month, day, bare) of a date token, or None when it is malformed. `bare` marks a month
    and day joined by “/” or “-” (“3/5”, “3-5”), which without a year reads as a fraction or a
    count range; “9.3” is how offices write September 3."""
    if m.group("c"):
        c = m.group("c")
        return int(c[:4]), int(c[4:6]), int(c[6:]), False
    ys, ms = m.group("ys"), m.group("ms")
    if ys and not ms:
        return None
    if (ys == "年" or ms == "月") and not (ms == "月" and ys in (None, "年")):
        return None
    if ys and ys != "年" and ys != ms:  # "2024.3-5" mixes separators
        return None
    y = int(m.group("y")) if ys else None
    mo = int(m.group("m")) if ms else None
    return y, mo, int(m.group("d")), ms in ("/", "-")


@lru_cache(maxsize=_CACHE)
def _parse_date_str(s: str, year: int | None, date1904: bool = False) -> Parsed:
    """parse_date for a str."""
    s = _date_text(s)
    if not s:
        return Parsed(None, None)
    if len(s) == 8 and s.isdigit():
        d = _compact_date(s)
        return Parsed(d, None, 1) if d else Parsed(None, "date-invalid")
    if _SERIAL_TEXT.match(s) and s.find(".") not in (1, 2):  # “46300”; “9.3” and “10.15” are month.day
        d = excel_serial_to_date(float(s), date1904)
        return Parsed(d, None, 1) if _plausible(d) else Parsed(None, "date-invalid")
    tokens: list[tuple[str | None, tuple]] = []
    pos, sep = 0, None
    while True:
        m = _DATE_TOKEN.match(s, pos)
        parts = _token_parts(m) if m else None
        if parts is None or len(tokens) >= 10:
            return Parsed(None, "date-invalid" if not tokens else "date-range-invalid")
        tokens.append((sep, parts))
        pos = m.end()
        if pos == len(s):
            break
        sm = _DATE_SEP.match(s, pos)
        if not sm or sm.end() == len(s):
            return Parsed(None, "date-invalid" if len(tokens) == 1 else "date-range-invalid")
        sep, pos = ("range" if sm.group(1) else "list"), sm.end()
    y0, mo0, _, bare0 = tokens[0][1]
    if mo0 is None or (bare0 and y0 is None):  # "5日", "3/5", "3-5" are too ambiguous
        return Parsed(None, "date-invalid")
    if y0 is None and year is None:
        return Parsed(None, "date-no-year")
    days: set[dt.date] = set()
    first = prev = None
    for sep, (y, mo, d, _) in tokens:
        if prev is None:
            y = y or year
        elif mo is None:
            y, mo = y or prev.year, prev.month
        elif y is None:
            y = prev.year + (1 if mo < prev.month else 0)
        code = "date-invalid" if prev is None else "date-range-invalid"
        try:
            cur = dt.date(y, mo, d)
        except (ValueError, TypeError):
            return Parsed(None, code)
        if not _plausible(cur):
            return Parsed(None, code)
        if prev is None:
            first = cur
        elif cur < prev or (sep == "list" and cur == prev):
            return Parsed(None, "date-range-invalid")
        elif sep == "range":
            days.update(prev + dt.timedelta(days=i) for i in range((cur - prev).days))
        days.add(cur)
        prev = cur
    if (prev - first).days + 1 > MAX_RANGE_DAYS:
        return Parsed(None, "date-range-invalid")
    return Parsed(first, None, len(days))


DATE_AMBIGUOUS = "date-ambiguous"  # Parsed.note of a number cell 9.3: September 3, or 9.30 without its 0?


@lru_cache(maxsize=4096)
def _month_day_number(x: float, year: int | None) -> Parsed:
    """A number cell written month.day: 10.15 = October 15. A number keeps no trailing zero, so 9.3
    may have been typed 9.30: read as the day shown, with the note DATE_AMBIGUOUS when the day
    times ten is a day of that month too (9.1, 9.2, 9.3; not 9.4 or 2.3)."""
    whole, _, frac = repr(x).partition(".")
    if len(frac) > 2:  # 9.305 is no month.day
        return Parsed(None, "date-invalid")
    month, day = int(whole), int(frac)
    try:
        dt.date(year or 2000, month, day)  # 2000: a leap year, so 2.29 is checked against the year later
    except ValueError:
        return Parsed(None, "date-invalid")
    if year is None:
        return Parsed(None, "date-no-year")
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return Parsed(None, "date-invalid")
    if not _plausible(d):
        return Parsed(None, "date-invalid")
    ambiguous = len(frac) == 1 and day * 10 <= calendar.monthrange(year, month)[1]
    return Parsed(d, None, 1, DATE_AMBIGUOUS if ambiguous else None)


def parse_date(v, year: int | None = None, date1904: bool = False) -> Parsed:
    """A date or date range: value = first date, extra = number of days (1 for a single day);
    note = DATE_AMBIGUOUS for a number cell such as 9.3 (see _month_day_number). `date1904`: a
    serial (a number, or one typed as text) counts from 1904, as the workbook's dates do."""
    if type(v) is str:  # the common case first: text, answered by the cache
        return _parse_date_str(v, year, date1904)
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return Parsed(v, None, 1) if _plausible(v) else Parsed(None, "date-invalid")
    if isinstance(v, bool) or isinstance(v, dt.time):
        return Parsed(None, "date-invalid")
    if _is_number(v):
        if not _finite(v):
            return Parsed(None, "date-invalid")
        if 1 <= v < 13 and not float(v).is_integer():  # serials this small are in 1900: month.day
            return _month_day_number(float(v), year)
        if float(v).is_integer() and 10**7 <= v < 10**8:
            d = _compact_date(str(int(v)))
        else:
            d = excel_serial_to_date(v, date1904)
        return Parsed(d, None, 1) if _plausible(d) else Parsed(None, "date-invalid")
    if v is None:
        return Parsed(None, None)
    return _parse_date_str(v if isinstance(v, str) else str(v), year, date1904)


# ---------------------------------------------------------------- deadlines

STANDING = "standing"  # Parsed.extra of a standing task (长期坚持, 持续推进, 常态化): no deadline, never overdue
_STANDING_TEXT = re.compile(r"(?:长期|持续|常态化?|长效)(?:性|坚持|推进|开展|落实|实施|执行|进行|抓好|任务|工作)*")
_BEFORE = re.compile(r"(?:之前|以前|前|为止|止)?(?:完成|办结)?$")  # “11月15日前”, “年底前完成”: that day
_DEADLINE_WORDS = re.compile(
    r"(?:(?P<y>\d{4})年|[今本]年)?"  # 2026年, 今年, 本年
    r"(?:(?P<m>\d{1,2})月份?(?P<part>底|末|上旬|中旬|下旬)?"  # 9月底, 9月末, 9月份, 10月中旬
    r"|第?(?P<q>[1-4])季度?[末底]?"  # 三季度末, 第三季度
    r"|(?P<h>[上下])半年[末底]?"  # 上半年, 下半年
    r"|(?P<end>(?<=年)度?[底末内]|年度?[底末内]))")  # 年底, 年末, 年内, 2026年底, 本年度内


def _deadline_words(s: str, year: int | None) -> Parsed | None:
    """The last day of the month, quarter, half or year a deadline in words names; None when `s`
    is no such words."""
    m = _DEADLINE_WORDS.fullmatch(s)
    if m is None:
        return None
    if m["m"] and not 1 <= int(m["m"]) <= 12:
        return Parsed(None, "date-invalid")
    y = int(m["y"]) if m["y"] else year
    if y is None:
        return Parsed(None, "date-no-year")
    if m["m"]:
        month = int(m["m"])
        day = {"上旬": 10, "中旬": 20}.get(m["part"]) or calendar.monthrange(y, month)[1]
    elif m["q"]:
        month = 3 * int(m["q"])
        day = calendar.monthrange(y, month)[1]
    else:
        month, day = (6, 30) if m["h"] == "上" else (12, 31)
    d = dt.date(y, month, day)
    return Parsed(d, None, 1) if _plausible(d) else Parsed(None, "date-invalid")


@lru_cache(maxsize=_CACHE)
def _parse_deadline_str(s: str, year: int | None, date1904: bool = False) -> Parsed:
    """parse_deadline for a str."""
    parsed = _parse_date_str(s, year, date1904)
    if parsed.error is None:  # the common case: a date
        return parsed
    text = _date_text(s)
    if _STANDING_TEXT.fullmatch(text):
        return Parsed(None, None, STANDING)
    found = _deadline_words(text, year)
    if found is not None:
        return found
    stripped = _BEFORE.sub("", text)
    if stripped and stripped != text:  # “11月15日前”, “9月底前”
        return _deadline_words(stripped, year) or _parse_date_str(stripped, year, date1904)
    return parsed


def parse_deadline(v, year: int | None = None, date1904: bool = False) -> Parsed:
    """A task's 完成时限: any date parse_date reads (a range's last day is the caller's to take), a
    deadline in words as the day it ends — “9月底”“9月末”“9月份” the month's last day, “年底”“年内”
    12-31, “11月15日前” that day, “三季度末”“第三季度” 09-30, “上半年” 06-30, “下半年” 12-31 —
    or a standing task (“长期坚持”“持续推进”“常态化”) as Parsed(None, None, STANDING)."""
    if isinstance(v, str):
        return _parse_deadline_str(v, year, date1904)
    return parse_date(v, year, date1904)


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


@lru_cache(maxsize=_CACHE)
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


# ---------------------------------------------------------------- lists, enums, yes/no

_LIST_SEP = re.compile(r"[、，,;；/／\s]+")


def split_list(v) -> list[str]:
    """Items of a cell listing several villages/units, cleaned, in order, without duplicates."""
    text = clean_text(v)
    if text is None:
        return []
    items = (clean_name(part) for part in _LIST_SEP.split(unicodedata.normalize("NFKC", text)))
    return list(dict.fromkeys(item for item in items if item))


def parse_enum(v, allowed: Sequence[str], synonyms: Mapping[str, str] | None = None) -> Parsed:
    """One of `allowed` (directly or via `synonyms`); else enum-invalid with extra = the cleaned text."""
    name = clean_name(v)
    if name is None:
        return Parsed(None, None)
    if name in allowed:
        return Parsed(name, None)
    if synonyms:
        target = synonyms.get(name)
        if target is None:
            target = next((t for k, t in synonyms.items() if clean_name(k) == name), None)
        if target is not None:
            return Parsed(target, None)
    return Parsed(None, "enum-invalid", name)


_YES = frozenset({"有", "是", "✓", "✔", "√", "☑", "y", "yes", "1", "true", "存在"})
_NO = frozenset({"无", "否", "×", "✗", "✘", "n", "no", "0", "false", "没有", "不存在"})


def parse_yes_no(v) -> Parsed:
    """有/是/√/Y/1/True -> True; 无/否/×/N/0/False -> False; empty -> None; else yesno-invalid."""
    if isinstance(v, bool):
        return Parsed(v, None)
    if _is_number(v):
        return Parsed(bool(v), None) if v in (0, 1) else Parsed(None, "yesno-invalid")
    name = clean_name(v)
    if name is None:
        return Parsed(None, None)
    key = name.lower().removesuffix(".0")
    if key in _YES:
        return Parsed(True, None)
    if key in _NO:
        return Parsed(False, None)
    return Parsed(None, "yesno-invalid")


# ---------------------------------------------------------------- periods

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_YEAR_MONTH_CN = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月")
_YEAR_MONTH_NUM = re.compile(r"(?<!\d)(\d{4})[-./](\d{1,2})(?!\d)")
_MONTH_PAREN = re.compile(r"\((?:\d{1,2}-)?(\d{1,2}|[一二三四五六七八九十]{1,3})月份?\)")
_MONTH = re.compile(r"(?<![\d年])(\d{1,2}|[一二三四五六七八九十]{1,3})月")


@lru_cache(maxsize=4096)
def _parse_year_str(s: str) -> int | None:
    """parse_year for a compacted str."""
    for m in _YEAR.finditer(s):
        if MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
            return int(m.group(1))
    return None


def parse_year(text) -> int | None:
    """First plausible 4-digit year (1990..2100) in text, e.g. "2024年度…" -> 2024."""
    return _parse_year_str(_nfkc_compact(text))


def _month(token: str) -> int | None:
    """Month number from digits or a Chinese numeral, None unless 1..12."""
    n = int(token) if token.isdigit() else chinese_number(token)
    return n if n is not None and 1 <= n <= 12 else None


@lru_cache(maxsize=4096)
def _parse_period_str(s: str, default_year: int | None) -> str | None:
    """parse_period for a compacted str."""
    for pattern in (_YEAR_MONTH_CN, _YEAR_MONTH_NUM):
        for m in pattern.finditer(s):
            y, mo = int(m.group(1)), _month(m.group(2))
            if MIN_YEAR <= y <= MAX_YEAR and mo:
                return f"{y:04d}-{mo:02d}"
    months = (_month(m.group(1)) for p in (_MONTH_PAREN, _MONTH) for m in p.finditer(s))
    month = next((mo for mo in months if mo), None)
    year = _parse_year_str(s) or default_year
    return f"{year:04d}-{month:02d}" if month and year else None


def parse_month(text) -> int | None:
    """The month a title or file name names without a year (“（10月）”, “十月份”), else None."""
    s = _nfkc_compact(text)
    months = (_month(m.group(1)) for p in (_MONTH_PAREN, _MONTH) for m in p.finditer(s)) if s else ()
    return next((mo for mo in months if mo), None)


def parse_period(text, default_year: int | None = None) -> str | None:
    """Reporting period "YYYY-MM" from a title, a 填报时间 line or a file name; None without a month."""
    s = _nfkc_compact(text)
    return _parse_period_str(s, default_year) if s else None

"""Dates in cells: Excel serials (1900 and 1904 systems), written dates and ranges (“2026年10月15日-16日”,
“10.15”, “十月九日”), deadlines (“10月底前”, “长期坚持”), and the year, month or period a text names."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from functools import lru_cache

from bqw.core.numbers import CN_DIGITS, chinese_number
from bqw.core.values import ALL_SPACE, PARSE_CACHE, Parsed, is_finite, is_number, nfkc_compact

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_RANGE_DAYS = 31


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EPOCH_1904 = dt.date(1904, 1, 1)
_DAYS_1904 = (_EPOCH_1904 - _EXCEL_EPOCH).days  # 1462: 44839 in 1904 is 46301 in 1900


def excel_serial_to_date(x: float, date1904: bool = False) -> dt.date | None:
    """Excel serial to a date; None if invalid. The 1900 system (the default): serial 1 = 1900-01-01,
    61 = 1900-03-01. A workbook in the 1904 system (old Mac Excel, Book.date1904): 0 = 1904-01-01."""
    if not is_number(x) or not is_finite(x) or not 1 <= x < 2958466 - (_DAYS_1904 if date1904 else 0):
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
    return "".join(str(CN_DIGITS[ch]) for ch in run)


def _date_text(s: str) -> str:
    """A date's text made plain: NFKC, no time, weekday or spaces, Chinese numerals as digits, no
    leading apostrophe. Called on a cache miss only (the callers are cached)."""
    s = _DATE_TIME.sub("", unicodedata.normalize("NFKC", s))
    s = ALL_SPACE.sub("", _DATE_NOISE.sub("", s))
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


@lru_cache(maxsize=PARSE_CACHE)
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
    if is_number(v):
        if not is_finite(v):
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


@lru_cache(maxsize=PARSE_CACHE)
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


# ---------------------------------------------------------------- years, months, periods

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
    return _parse_year_str(nfkc_compact(text))


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
    s = nfkc_compact(text)
    months = (_month(m.group(1)) for p in (_MONTH_PAREN, _MONTH) for m in p.finditer(s)) if s else ()
    return next((mo for mo in months if mo), None)


def parse_period(text, default_year: int | None = None) -> str | None:
    """Reporting period "YYYY-MM" from a title, a 填报时间 line or a file name; None without a month."""
    s = nfkc_compact(text)
    return _parse_period_str(s, default_year) if s else None

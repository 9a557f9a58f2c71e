"""Unit tests for the value parsers (bqw.core.values, .numbers, .dates, .enums): every accepted form and every error form."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest

from bqw.core.dates import (
    DATE_AMBIGUOUS,
    STANDING,
    excel_serial_to_date,
    parse_date,
    parse_deadline,
    parse_period,
    parse_year,
)
from bqw.core.enums import parse_enum, parse_yes_no, split_list
from bqw.core.numbers import chinese_number, parse_count, parse_number
from bqw.core.values import (
    ERRORS,
    PHONE_MOBILE,
    Parsed,
    clean_name,
    clean_text,
    find_phones,
    header_note,
    is_blank,
    normalise_header,
)

D = date

# ---------------------------------------------------------------- error table


def test_error_codes_are_kebab_case_with_chinese_text():
    assert {"date-invalid", "date-no-year", "date-range-invalid", "count-invalid", "count-negative",
            "number-invalid", "enum-invalid", "yesno-invalid"} == set(ERRORS)
    for code, text in ERRORS.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", code)
        assert re.search(r"[\u4e00-\u9fff]", text)


# ---------------------------------------------------------------- clean_text / clean_name / is_blank


@pytest.mark.parametrize(
    "raw, expected",
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\xa0\u3000\t", None),
        ("\n\r\n ", None),
        (" 洪文泽 ", "洪文泽"),
        ("洪\xa0\xa0文泽", "洪 文泽"),
        ("洪\u3000文泽", "洪 文泽"),
        ("a\u2002b\u2003c", "a b c"),
        ("走访\u200b群众\ufeff", "走访群众"),
        ("a \t  b", "a b"),
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
        ("第一行\n\n  \n第二行\n", "第一行\n第二行"),
        ("  第一行  \n  第二行  ", "第一行\n第二行"),
        (3.0, "3"),
        (3.5, "3.5"),
        (13812345678.0, "13812345678"),
        (3, "3"),
        (float("nan"), None),
        (date(2024, 3, 5), "2024-03-05"),
        (datetime(2024, 3, 5), "2024-03-05"),
        (datetime(2024, 3, 5, 9, 30), "2024-03-05 09:30:00"),
        (time(9, 30), "09:30:00"),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("洪  文泽", "洪文泽"),
        ("洪文泽\n", "洪文泽"),
        ("洪\u3000文泽", "洪文泽"),
        ("洪\xa0文泽", "洪文泽"),
        ("洪\n文泽", "洪文泽"),
        ("ＡＢ村", "AB村"),
        ("", None),
        ("\u3000", None),
        (None, None),
        (12.0, "12"),
    ],
)
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [(None, True), ("", True), ("  ", True), ("\xa0", True), ("\u3000\n", True), ("\u200b", True),
     (float("nan"), True), ("a", False), (0, False), (0.0, False), (False, False), (date(2024, 1, 1), False)],
)
def test_is_blank(raw, expected):
    assert is_blank(raw) is expected


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "raw, name, note",
    [
        ("调研推动解决问题数量(个)", "调研推动解决问题数量", "个"),
        ("调研推动解决问题数量（个）", "调研推动解决问题数量", "个"),
        ("负面清单（有/无）", "负面清单", "有/无"),
        ("6（7分）", "6", "7分"),
        ("风貌提升（12分）", "风貌提升", "12分"),
        ("联系方式【手机】", "联系方式", "手机"),
        ("镇 领 导", "镇领导", None),
        ("镇\n领导", "镇领导", None),
        ("调研\xa0时间", "调研时间", None),
        ("调研\u3000时间", "调研时间", None),
        ("*镇领导", "镇领导", None),
        ("※镇领导", "镇领导", None),
        ("★镇领导：", "镇领导", None),
        ("镇领导:", "镇领导", None),
        ("调研时间（必填）：", "调研时间", "必填"),
        ("ＡＢＣ列", "abc列", None),
        ("（个）", "(个)", None),
        ("a(b)(c)", "a(b)", "c"),
        ("", "", None),
        (None, "", None),
        (6, "6", None),
    ],
)
def test_normalise_header_and_note(raw, name, note):
    assert normalise_header(raw) == name
    assert header_note(raw) == note


# ---------------------------------------------------------------- excel serials


@pytest.mark.parametrize(
    "serial, expected",
    [
        (1, D(1900, 1, 1)),
        (59, D(1900, 2, 28)),
        (60, None),  # Excel's phantom 1900-02-29
        (61, D(1900, 3, 1)),
        (45292, D(2024, 1, 1)),
        (45356, D(2024, 3, 5)),
        (45356.75, D(2024, 3, 5)),
        (45351, D(2024, 2, 29)),
        (2958465, D(9999, 12, 31)),
        (2958466, None),
        (0, None),
        (-5, None),
        (float("nan"), None),
        (True, None),
    ],
)
def test_excel_serial_to_date(serial, expected):
    assert excel_serial_to_date(serial) == expected


# ---------------------------------------------------------------- parse_date

DATE_OK = [
    # cells
    (date(2024, 3, 5), None, D(2024, 3, 5), 1),
    (datetime(2024, 3, 5, 10, 0), None, D(2024, 3, 5), 1),
    (45356, None, D(2024, 3, 5), 1),
    (45356.0, None, D(2024, 3, 5), 1),
    (20240305, None, D(2024, 3, 5), 1),
    # text
    ("45356", None, D(2024, 3, 5), 1),
    ("45356.0", None, D(2024, 3, 5), 1),
    ("2024年3月5日", None, D(2024, 3, 5), 1),
    ("2024年03月05日", None, D(2024, 3, 5), 1),
    ("2024年3月5号", None, D(2024, 3, 5), 1),
    ("2024年3月5", None, D(2024, 3, 5), 1),
    ("2024 年 3 月 5 日", None, D(2024, 3, 5), 1),
    ("2024.3.5", None, D(2024, 3, 5), 1),
    ("2024.03.05", None, D(2024, 3, 5), 1),
    ("2024/3/5", None, D(2024, 3, 5), 1),
    ("2024-3-5", None, D(2024, 3, 5), 1),
    ("2024-03-05", None, D(2024, 3, 5), 1),
    ("2024-03-05 00:00:00", None, D(2024, 3, 5), 1),
    ("2024/3/5 9:30", None, D(2024, 3, 5), 1),
    ("20240305", None, D(2024, 3, 5), 1),
    ("２０２４年３月５日", None, D(2024, 3, 5), 1),
    ("２０２４．３．５", None, D(2024, 3, 5), 1),
    ("\xa02024年3月5日\u3000", None, D(2024, 3, 5), 1),
    ("2024年3月5日\n", None, D(2024, 3, 5), 1),
    ("2024年3月5日（星期二）", None, D(2024, 3, 5), 1),
    ("2024年3月5日上午", None, D(2024, 3, 5), 1),
    ("2024年2月29日", None, D(2024, 2, 29), 1),
    # month/day with the year from the period
    ("3月5日", 2024, D(2024, 3, 5), 1),
    ("3月5号", 2024, D(2024, 3, 5), 1),
    ("03月05日", 2024, D(2024, 3, 5), 1),
    ("３月５日", 2024, D(2024, 3, 5), 1),
    ("2月29日", 2024, D(2024, 2, 29), 1),
    ("2023年3月5日", 2024, D(2023, 3, 5), 1),  # an explicit year wins
    # ranges
    ("3月5日-7日", 2024, D(2024, 3, 5), 3),
    ("3月5日—7日", 2024, D(2024, 3, 5), 3),
    ("3月5日——7日", 2024, D(2024, 3, 5), 3),
    ("3月5日–7日", 2024, D(2024, 3, 5), 3),
    ("3月5日~7日", 2024, D(2024, 3, 5), 3),
    ("3月5日～7日", 2024, D(2024, 3, 5), 3),
    ("3月5日〜7日", 2024, D(2024, 3, 5), 3),
    ("3月5日－7日", 2024, D(2024, 3, 5), 3),
    ("3月5日至7日", 2024, D(2024, 3, 5), 3),
    ("3月5日到7日", 2024, D(2024, 3, 5), 3),
    ("3月5日 - 7日", 2024, D(2024, 3, 5), 3),
    ("3月5日至3月7日", 2024, D(2024, 3, 5), 3),
    ("3月5日-5日", 2024, D(2024, 3, 5), 1),
    ("3月30日-4月2日", 2024, D(2024, 3, 30), 4),
    ("2月28日-3月1日", 2024, D(2024, 2, 28), 3),  # leap year
    ("2月28日-3月1日", 2023, D(2023, 2, 28), 2),
    ("12月30日-1月2日", 2024, D(2024, 12, 30), 4),  # across the year end
    ("2024.10.15-16", None, D(2024, 10, 15), 2),
    ("2024.10.15-10.16", None, D(2024, 10, 15), 2),
    ("2024.10.30-11.2", None, D(2024, 10, 30), 4),
    ("2024年10月15日-16日", None, D(2024, 10, 15), 2),
    ("2024年10月15日-2024年10月16日", None, D(2024, 10, 15), 2),
    ("2024/10/15-2024/10/16", None, D(2024, 10, 15), 2),
    ("2024-10-15-2024-10-16", None, D(2024, 10, 15), 2),
    ("2024-10-15-16", None, D(2024, 10, 15), 2),
    ("10月15-16日", 2024, D(2024, 10, 15), 2),
    ("10月15日、16日", 2024, D(2024, 10, 15), 2),
    ("10月15日、17日", 2024, D(2024, 10, 15), 2),  # two listed days
    ("10月15日，16日，18日", 2024, D(2024, 10, 15), 3),
    ("10月15日和10月20日", 2024, D(2024, 10, 15), 2),
    ("10月5日-7日、9日", 2024, D(2024, 10, 5), 4),
    ("3月1日-31日", 2024, D(2024, 3, 1), 31),
    ("３月５日－７日", 2024, D(2024, 3, 5), 3),
    # Chinese numerals: a year digit by digit, months and days as numbers
    ("九月三日", 2026, D(2026, 9, 3), 1),
    ("二〇二六年九月二十一日", None, D(2026, 9, 21), 1),
    ("二零二六年九月二十一日", None, D(2026, 9, 21), 1),
    ("十月九日至十一日", 2026, D(2026, 10, 9), 3),
    ("十二月三十日", 2026, D(2026, 12, 30), 1),
    ("九月廿一日", 2026, D(2026, 9, 21), 1),
    ("二〇二六年十月五日（星期一）", None, D(2026, 10, 5), 1),
    ("10月9日、10日", 2026, D(2026, 10, 9), 2),
    # month.day as text: the year from the sheet
    ("9.3", 2026, D(2026, 9, 3), 1),
    ("9.30", 2026, D(2026, 9, 30), 1),
    ("3.5", 2024, D(2024, 3, 5), 1),
    ("10.15-10.17", 2026, D(2026, 10, 15), 3),
    ("2024.10.16-10.17", None, D(2024, 10, 16), 2),
    # a CSV export's leading apostrophe, a serial kept as text
    ("'2026-10-05", None, D(2026, 10, 5), 1),
    ("’2026年10月5日", None, D(2026, 10, 5), 1),
    ("46300", None, D(2026, 10, 5), 1),
    # a number cell written month.day: 10.15 = October 15
    (10.15, 2026, D(2026, 10, 15), 1),
    (12.31, 2026, D(2026, 12, 31), 1),
    (9.05, 2026, D(2026, 9, 5), 1),
    (9.4, 2026, D(2026, 9, 4), 1),  # 9.40 is no day: not ambiguous
    (2.3, 2026, D(2026, 2, 3), 1),  # nor is 2.30
    (3.5, 2024, D(2024, 3, 5), 1),
]


@pytest.mark.parametrize("raw, year, start, days", DATE_OK)
def test_parse_date_ok(raw, year, start, days):
    assert parse_date(raw, year) == Parsed(start, None, days)


def test_parse_date_example_from_brief():
    assert parse_date("3月5日-7日", 2024) == Parsed(date(2024, 3, 5), None, 3)


DATE_BAD = [
    ("24.3.5", 2024, "date-invalid"),  # 2-digit year
    ("3/5", 2024, "date-invalid"),  # a fraction without a year; “3.5” is March 5
    ("3-5", 2024, "date-invalid"),
    ("5日", 2024, "date-invalid"),
    ("2024年3月", 2024, "date-invalid"),
    ("2024年", 2024, "date-invalid"),
    ("2024年2月30日", None, "date-invalid"),
    ("2023年2月29日", None, "date-invalid"),
    ("2023.2.29", None, "date-invalid"),
    ("2月29日", 2023, "date-invalid"),
    ("2024年13月1日", None, "date-invalid"),
    ("20240230", None, "date-invalid"),
    ("2024.3-5", None, "date-invalid"),  # mixed separators
    ("2024年3.5", None, "date-invalid"),
    ("1985年3月5日", None, "date-invalid"),
    ("2150年3月5日", None, "date-invalid"),
    ("上周", 2024, "date-invalid"),
    ("待定", 2024, "date-invalid"),
    ("3月5日上午10点", 2024, "date-invalid"),
    ("12", 2024, "date-invalid"),  # serial 12 is 1900-01-12
    ("2024", 2024, "date-invalid"),
    ("100000", 2024, "date-invalid"),  # serial in year 2173
    (60, None, "date-invalid"),
    (12, None, "date-invalid"),
    (9.305, 2026, "date-invalid"),  # no month.day
    (13.5, 2026, "date-invalid"),
    (2.29, 2023, "date-invalid"),
    (9.31, 2026, "date-invalid"),
    ("9.31", 2026, "date-invalid"),
    ("13.5", 2026, "date-invalid"),
    ("9.300", 2026, "date-invalid"),
    ("十十月五日", 2026, "date-invalid"),
    ("二三月五日", 2026, "date-invalid"),
    (-1, None, "date-invalid"),
    (float("nan"), None, "date-invalid"),
    (True, None, "date-invalid"),
    (time(9, 30), None, "date-invalid"),
    (date(1900, 1, 5), None, "date-invalid"),
    (20240230, None, "date-invalid"),
    # no year
    ("3月5日", None, "date-no-year"),
    ("3月5日-7日", None, "date-no-year"),
    ("10月15日、16日", None, "date-no-year"),
    ("3.5", None, "date-no-year"),
    ("九月三日", None, "date-no-year"),
    (3.5, None, "date-no-year"),
    (10.15, None, "date-no-year"),
    # bad ranges
    ("3月7日-5日", 2024, "date-range-invalid"),
    ("3月5日-3月4日", 2024, "date-range-invalid"),
    ("2024.10.16-15", None, "date-range-invalid"),
    ("2024/10/16-2024/10/15", None, "date-range-invalid"),
    ("10月16日、15日", 2024, "date-range-invalid"),
    ("10月15日、15日", 2024, "date-range-invalid"),
    ("3月1日-4月5日", 2024, "date-range-invalid"),  # over 31 days
    ("2月28日-30日", 2024, "date-range-invalid"),  # impossible end
    ("3月5日-", 2024, "date-invalid"),
    ("3月5日-下旬", 2024, "date-range-invalid"),
]


@pytest.mark.parametrize("raw, year, code", DATE_BAD)
def test_parse_date_errors(raw, year, code):
    assert parse_date(raw, year) == Parsed(None, code)


@pytest.mark.parametrize("raw", [None, "", "  ", "\xa0", "\u3000\n", "'"])  # a lone apostrophe: Excel's empty text
def test_parse_date_empty(raw):
    assert parse_date(raw, 2024) == Parsed(None, None)


@pytest.mark.parametrize("raw, year, start", [
    (9.3, 2026, D(2026, 9, 3)),  # or 9.30: a number keeps no trailing zero
    (9.1, 2026, D(2026, 9, 1)),
    (10.2, 2026, D(2026, 10, 2)),
    (10.3, 2026, D(2026, 10, 3)),
])
def test_parse_date_month_day_number_ambiguous(raw, year, start):
    assert parse_date(raw, year) == Parsed(start, None, 1, DATE_AMBIGUOUS)
    assert DATE_AMBIGUOUS == "date-ambiguous"


def test_parse_date_note_only_on_numbers():
    assert parse_date("9.3", 2026).note is None  # text shows what was typed
    assert parse_date(10.15, 2026).note is None
    assert parse_date(9.4, 2026).note is None


def test_parse_date_cache_respects_year():
    assert parse_date("3月5日", 2023).value == D(2023, 3, 5)
    assert parse_date("3月5日", 2024).value == D(2024, 3, 5)
    assert parse_date("3月5日").error == "date-no-year"


# ---------------------------------------------------------------- parse_count


@pytest.mark.parametrize(
    "raw, expected",
    [
        (3, 3), (0, 0), (3.0, 3), ("3", 3), ("3个", 3), ("３", 3), ("３个", 3), ("三", 3), ("十二", 12),
        ("二十", 20), ("两个", 2), ("共3个", 3), ("3项", 3), ("3件", 3), ("3条", 3), ("3 个", 3),
        (" 3\xa0", 3), ("3.0", 3), ("无", 0), ("没有", 0), ("0", 0), ("零", 0), ("3个问题", 3),
        ("合计5项", 5), ("共计十二个", 12),
    ],
)
def test_parse_count_ok(raw, expected):
    assert parse_count(999_999_999_999_999) == Parsed(999_999_999_999_999, None)
    assert parse_count(raw) == Parsed(expected, None)


@pytest.mark.parametrize(
    "raw, expected",
    [(-2, Parsed(-2, "count-negative")), (-2.0, Parsed(-2, "count-negative")), ("-2", Parsed(-2, "count-negative")),
     ("－2", Parsed(-2, "count-negative"))],
)
def test_parse_count_negative(raw, expected):
    assert parse_count(raw) == expected


@pytest.mark.parametrize(
    "raw", [3.5, "3.5", "2-3个", "若干", "多个", True, False, "abc", float("inf"), date(2024, 1, 1), "3个4个",
            # longer than the 15 digits Excel keeps (found by make fuzz: the Int64 column could not hold them)
            "10000000000000000000", "-20000000000000000000", 1e20, 10**16, "一万亿亿"]
)
def test_parse_count_invalid(raw):
    assert parse_count(raw) == Parsed(None, "count-invalid")


@pytest.mark.parametrize("raw", [None, "", " ", "\u3000"])
def test_parse_count_empty(raw):
    assert parse_count(raw) == Parsed(None, None)


# ---------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    "raw, expected",
    [(3, 3.0), (3.5, 3.5), (0, 0.0), ("3", 3.0), ("3.5", 3.5), ("３.５", 3.5), ("３．５", 3.5), ("3.5分", 3.5),
     ("3 分", 3.0), (" 4 ", 4.0), ("0.5", 0.5), (".5", 0.5), ("三", 3.0), ("-1", -1.0)],
)
def test_parse_number_ok(raw, expected):
    result = parse_number(raw)
    assert result == Parsed(expected, None)
    assert isinstance(result.value, float)


@pytest.mark.parametrize("raw", ["abc", "3.5.1", "3-4", "满分", True, float("nan"), date(2024, 1, 1), "1/2"])
def test_parse_number_invalid(raw):
    assert parse_number(raw) == Parsed(None, "number-invalid")


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_parse_number_empty(raw):
    assert parse_number(raw) == Parsed(None, None)


# ---------------------------------------------------------------- chinese_number


@pytest.mark.parametrize(
    "raw, expected",
    [("三", 3), ("十二", 12), ("二十三", 23), ("两", 2), ("零", 0), ("一百", 100), ("十", 10), ("二十", 20),
     ("一百零五", 105), ("一百一十", 110), ("两百", 200), ("一千零一", 1001), ("一万二千", 12000),
     ("二三", None), ("百", None), ("十百", None), ("三个", None), ("", None), ("3", None), (None, None)],
)
def test_chinese_number(raw, expected):
    assert chinese_number(raw) == expected


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "text, valid, invalid",
    [
        ("洪文泽 13812345678", ["13812345678"], []),
        ("李四 0758-1234567；王五 138 1234 5678", ["0758-1234567", "13812345678"], []),
        ("138-1234-5678", ["13812345678"], []),
        ("１３８１２３４５６７８", ["13812345678"], []),
        ("07581234567", ["0758-1234567"], []),
        ("0758 12345678", ["0758-12345678"], []),
        ("020-12345678", ["020-12345678"], []),
        ("010-1234567", ["010-1234567"], []),
        ("0758-1234567-123", ["0758-1234567-123"], []),
        ("13812345678 13912345678", ["13812345678", "13912345678"], []),
        ("13812345678/0758-1234567", ["13812345678", "0758-1234567"], []),
        ("1381234567", [], ["1381234567"]),
        ("23812345678", [], ["23812345678"]),
        ("138123456789", [], ["138123456789"]),
        ("1234567", [], ["1234567"]),
        ("12345678", [], ["12345678"]),
        ("0758-123456", [], ["0758-123456"]),
        ("138 1234 567", [], ["138 1234 567"]),
        ("1381234567 23812345678", [], ["1381234567", "23812345678"]),
        ("张三 13812345678，李四 1381234567", ["13812345678"], ["1381234567"]),
        ("王五 0758-1234567；赵六 12812345678", ["0758-1234567"], ["12812345678"]),
        ("洪文泽", [], []),
        ("办公室 123456", [], []),
        ("3月5日 第2组", [], []),
        ("86 13812345678", ["13812345678"], []),
        ("", [], []),
        (None, [], []),
        (13812345678.0, ["13812345678"], []),
    ],
)
def test_find_phones(text, valid, invalid):
    assert find_phones(text) == (valid, invalid)


def test_find_phones_returns_fresh_lists():
    first = find_phones("13812345678")
    first[0].append("x")
    assert find_phones("13812345678") == (["13812345678"], [])


@pytest.mark.parametrize("text, ok", [("13812345678", True), ("12812345678", False), ("1381234567", False)])
def test_phone_mobile_pattern(text, ok):
    assert bool(PHONE_MOBILE.fullmatch(text)) is ok


# ---------------------------------------------------------------- split_list


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("石龙村、平安村", ["石龙村", "平安村"]),
        ("石龙村，平安村,新村", ["石龙村", "平安村", "新村"]),
        ("石龙村;平安村；新村", ["石龙村", "平安村", "新村"]),
        ("石龙村/平安村", ["石龙村", "平安村"]),
        ("石龙村 平安村", ["石龙村", "平安村"]),
        ("石龙村\u3000平安村\xa0新村", ["石龙村", "平安村", "新村"]),
        ("石龙村\n平安村\r\n新村", ["石龙村", "平安村", "新村"]),
        ("石龙村、、平安村、", ["石龙村", "平安村"]),
        ("平安村、石龙村、平安村", ["平安村", "石龙村"]),
        ("石龙村", ["石龙村"]),
        ("", []),
        (None, []),
        ("  ", []),
    ],
)
def test_split_list(raw, expected):
    assert split_list(raw) == expected


# ---------------------------------------------------------------- parse_enum

STATUS = ["未启动", "推进中", "已完成"]
STATUS_SYNONYMS = {"已销号": "已完成", "进行中": "推进中", "完成": "已完成"}


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("已完成", Parsed("已完成", None)),
        (" 已 完成\n", Parsed("已完成", None)),
        ("推进中", Parsed("推进中", None)),
        ("已销号", Parsed("已完成", None)),
        ("进行中", Parsed("推进中", None)),
        ("完成", Parsed("已完成", None)),
        ("已经完成", Parsed(None, "enum-invalid", "已经完成")),
        (" 搁 置 ", Parsed(None, "enum-invalid", "搁置")),
        ("", Parsed(None, None)),
        (None, Parsed(None, None)),
    ],
)
def test_parse_enum(raw, expected):
    assert parse_enum(raw, STATUS, STATUS_SYNONYMS) == expected


def test_parse_enum_without_synonyms():
    assert parse_enum("已销号", STATUS) == Parsed(None, "enum-invalid", "已销号")
    assert parse_enum("成员", ("总指挥", "成员")) == Parsed("成员", None)


def test_parse_enum_synonym_keys_are_cleaned():
    assert parse_enum("已销号", STATUS, {"已 销号": "已完成"}) == Parsed("已完成", None)


# ---------------------------------------------------------------- parse_yes_no


@pytest.mark.parametrize(
    "raw", ["有", "是", "✓", "√", "☑", "✔", "Y", "y", "yes", "1", "1.0", 1, 1.0, True, " 有 ", "有\n", "Ｙ"]
)
def test_parse_yes_no_true(raw):
    assert parse_yes_no(raw) == Parsed(True, None)


@pytest.mark.parametrize("raw", ["无", "否", "×", "✗", "N", "n", "no", "0", 0, 0.0, False, "没有", "\u3000无"])
def test_parse_yes_no_false(raw):
    assert parse_yes_no(raw) == Parsed(False, None)


@pytest.mark.parametrize("raw", [None, "", "  ", "\xa0"])
def test_parse_yes_no_empty(raw):
    assert parse_yes_no(raw) == Parsed(None, None)


@pytest.mark.parametrize("raw", ["可能", "有无", "2", 2, 0.5, "x", date(2024, 1, 1)])
def test_parse_yes_no_invalid(raw):
    assert parse_yes_no(raw) == Parsed(None, "yesno-invalid")


# ---------------------------------------------------------------- periods and years


@pytest.mark.parametrize(
    "text, default_year, expected",
    [
        ("2024年10月", None, "2024-10"),
        ("2024年1月", None, "2024-01"),
        ("填报时间：2024年10月31日", None, "2024-10"),
        ("2024年度平安镇领导挂点调研台账（10月）", None, "2024-10"),
        ("2024年度平安镇领导挂点调研台账(10月)", None, "2024-10"),
        ("附件3：2024年度平安镇领导挂点调研台账（10月）-洪文泽.xlsx", None, "2024-10"),
        ("附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx", 2024, "2024-10"),
        ("（10月）", 2024, "2024-10"),
        ("（10月份）", 2024, "2024-10"),
        ("10月份", 2024, "2024-10"),
        ("十月份调研台账", 2024, "2024-10"),
        ("2024年度调研台账（1-10月）", None, "2024-10"),
        ("2024-10", None, "2024-10"),
        ("2024.10", None, "2024-10"),
        ("2024/3", None, "2024-03"),
        ("２０２４年１０月", None, "2024-10"),
        ("2023年10月", 2024, "2023-10"),  # explicit year beats the default
        ("2024 年 10 月", None, "2024-10"),
        ("202410", None, None),
        ("2024年度台账", None, None),
        ("2024年13月", None, None),
        ("（10月）", None, None),
        ("调研台账", 2024, None),
        ("", 2024, None),
        (None, 2024, None),
    ],
)
def test_parse_period(text, default_year, expected):
    assert parse_period(text, default_year) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024年度平安镇领导挂点调研台账", 2024),
        ("附件3：2024年度……（10月）", 2024),
        ("２０２４年", 2024),
        ("2024-10", 2024),
        ("1985年 2023年", 2023),
        ("20241015", None),
        ("调研台账", None),
        ("", None),
        (None, None),
        (2024, 2024),
    ],
)
def test_parse_year(text, expected):
    assert parse_year(text) == expected


# ---------------------------------------------------------------- parse_deadline

DEADLINE_OK = [
    # a date, as parse_date reads it (a range's last day is the reader's to take)
    ("2026年11月30日", 2026, D(2026, 11, 30), 1),
    ("11月30日", 2026, D(2026, 11, 30), 1),
    ("10月1日-15日", 2026, D(2026, 10, 1), 15),
    (D(2026, 11, 30), None, D(2026, 11, 30), 1),
    (46356, None, D(2026, 11, 30), 1),
    # the end of a month
    ("9月底", 2026, D(2026, 9, 30), 1),
    ("9月末", 2026, D(2026, 9, 30), 1),
    ("9月底前", 2026, D(2026, 9, 30), 1),
    ("9月份", 2026, D(2026, 9, 30), 1),
    ("九月底", 2026, D(2026, 9, 30), 1),
    ("2月底", 2024, D(2024, 2, 29), 1),
    ("2月底", 2026, D(2026, 2, 28), 1),
    ("2027年1月底", 2026, D(2027, 1, 31), 1),  # a year written wins
    ("二〇二六年十二月底", None, D(2026, 12, 31), 1),
    ("10月上旬", 2026, D(2026, 10, 10), 1),
    ("10月中旬前", 2026, D(2026, 10, 20), 1),
    ("10月下旬", 2026, D(2026, 10, 31), 1),
    # the end of the year
    ("年底前", 2026, D(2026, 12, 31), 1),
    ("年底", 2026, D(2026, 12, 31), 1),
    ("年内", 2026, D(2026, 12, 31), 1),
    ("年末", 2026, D(2026, 12, 31), 1),
    ("年底前完成", 2026, D(2026, 12, 31), 1),
    ("今年底", 2026, D(2026, 12, 31), 1),
    ("本年度内", 2026, D(2026, 12, 31), 1),
    ("2027年底", 2026, D(2027, 12, 31), 1),
    # “before” a day: that day
    ("11月15日前", 2026, D(2026, 11, 15), 1),
    ("11月15日之前", 2026, D(2026, 11, 15), 1),
    ("2026年11月15日以前", None, D(2026, 11, 15), 1),
    ("11月15日前完成", 2026, D(2026, 11, 15), 1),
    # quarters and halves
    ("三季度末", 2026, D(2026, 9, 30), 1),
    ("第三季度", 2026, D(2026, 9, 30), 1),
    ("第一季度末", 2026, D(2026, 3, 31), 1),
    ("2季度", 2026, D(2026, 6, 30), 1),
    ("四季度", 2026, D(2026, 12, 31), 1),
    ("上半年", 2026, D(2026, 6, 30), 1),
    ("下半年", 2026, D(2026, 12, 31), 1),
    ("2026年上半年", None, D(2026, 6, 30), 1),
    (" 9 月 底 ", 2026, D(2026, 9, 30), 1),
]


@pytest.mark.parametrize("raw, year, value, days", DEADLINE_OK)
def test_parse_deadline_ok(raw, year, value, days):
    assert parse_deadline(raw, year) == Parsed(value, None, days)


@pytest.mark.parametrize("raw", ["长期坚持", "长期", "持续推进", "常态化", "长期推进", "持续", "常态化推进",
                                 "长期坚持推进", " 长期坚持 ", "持续开展"])
def test_parse_deadline_standing(raw):
    assert parse_deadline(raw, 2026) == Parsed(None, None, STANDING)
    assert parse_deadline(raw, None) == Parsed(None, None, STANDING)  # needs no year


@pytest.mark.parametrize("raw, year, code", [
    ("9月底", None, "date-no-year"),
    ("年底前", None, "date-no-year"),
    ("三季度末", None, "date-no-year"),
    ("11月15日前", None, "date-no-year"),
    ("13月底", None, "date-invalid"),
    ("第五季度", 2026, "date-invalid"),
    ("待定", 2026, "date-invalid"),
    ("底", 2026, "date-invalid"),
    ("内", 2026, "date-invalid"),
    ("前", 2026, "date-invalid"),
    ("完成", 2026, "date-invalid"),  # not read as blank
    ("长期性问题", 2026, "date-invalid"),
    ("尽快", 2026, "date-invalid"),
    ("2026年", 2026, "date-invalid"),
    ("3月7日-5日", 2026, "date-range-invalid"),
])
def test_parse_deadline_errors(raw, year, code):
    assert parse_deadline(raw, year) == Parsed(None, code)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_parse_deadline_empty(raw):
    assert parse_deadline(raw, 2026) == Parsed(None, None)


def test_parse_deadline_cache_respects_year():
    assert parse_deadline("9月底", 2025).value == D(2025, 9, 30)
    assert parse_deadline("9月底", 2026).value == D(2026, 9, 30)

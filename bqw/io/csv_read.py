"""A CSV (or .txt) export read into one raw sheet: its encoding and delimiter guessed, its size checked."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from bqw.core.limits import Limits
from bqw.io.book import BookError, RawSheet, ReadCost, too_wide

def read_csv(path: Path, data: bytes, limits: Limits | None = None) -> RawSheet:
    limits = limits or Limits()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BookError("csv-encoding")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise BookError("csv-encoding") from e
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    name = path.stem
    # a line of a million commas is a million cells: bound the cells before building them
    lines = text.count("\n") + 1
    if text.count(dialect.delimiter) > limits.max_cells:
        widest = _widest_line(text, dialect.delimiter)
        if widest > limits.max_columns:
            raise too_wide(name, limits, widest if dialect.quotechar not in text else None)
        raise BookError("sheet-too-long", sheet=name, rows=lines, limit=limits.max_cells // widest)
    # what the rows will cost, before they are built: each delimiter and each line ends a field
    cost = ReadCost(file_bytes=len(data), sheet_bytes=len(data), grid_rows=lines, complete=True,
                    values=lines + text.count(dialect.delimiter))
    if cost.need() > limits.max_read_bytes:
        widest = _widest_line(text, dialect.delimiter)
        if widest > limits.max_columns:  # one absurd line: say that, not the memory it would take
            # counted quotes aside: the real width only when no field is quoted
            raise too_wide(name, limits, widest if dialect.quotechar not in text else None)
        try:
            cost.check(limits)
        except BookError as e:
            e.params["name"] = path.name
            raise
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(len(text) + 1)  # a cell may be longer than 128 KB (kept whole, with a warning)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            if len(row) > limits.max_columns:  # this row's width: later rows are not read
                raise too_wide(name, limits, len(row), row=len(rows) + 1)
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise BookError("sheet-too-long", sheet=name, rows=len(rows), limit=limits.max_rows)
    except csv.Error as e:
        raise BookError("file-corrupt", detail=f"CSV 格式错误：{e}") from e
    return RawSheet(name, rows, [])


def _widest_line(text: str, delimiter: str) -> int:
    """The most fields on one line (quotes aside), line by line without copying the text."""
    widest, start = 0, 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        widest = max(widest, text.count(delimiter, start, end) + 1)
        start = end + 1
    return widest

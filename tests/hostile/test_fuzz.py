"""Issue 7 §5: conservation and property-based fuzzing of read → validate → merge.

hypothesis generates visits workbooks (.xlsx, or .csv in UTF-8 or GB18030) with random values —
any Unicode but lone surrogates (control characters included), numbers, dates, booleans, blanks,
placeholders, formula-like text — and random messy traits: title rows, a 填报单位 line, header
aliases in random order with unrelated columns, a two-row header with a merged parent, cells merged
down, example rows “例”, 合计 rows, 填报人 footers and blank rows. One to three such files are
merged in-process (bqw.jobs.merge.merge into Archive(":memory:")), and for every file:

- nothing raises;
- conservation: rows read = rows accepted + rows held back + rows dropped with a recorded reason,
  and rows read is every row of the sheet below its header — nothing disappears silently;
- the merged ledger holds exactly the accepted (and held) rows of the current submissions;
- every finding's cell is None or a valid address inside its sheet, and its message renders;
- the merged workbook can be written and holds no formula.

`make test` runs a few examples with a fixed seed; `make fuzz` runs BQW_FUZZ_EXAMPLES (10,000)
with fresh randomness.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bqw.ledgers import RECTIFICATION, get_spec
from bqw.core.table import DROP_BLANK, DROP_EXAMPLE, DROP_FOOTER, DROP_HEADER, DROP_TOTAL

EXAMPLES = int(os.environ.get("BQW_FUZZ_EXAMPLES") or 30)
FUZZING = "BQW_FUZZ_EXAMPLES" in os.environ
_OPTIONS = dict(max_examples=EXAMPLES, deadline=None, derandomize=not FUZZING, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
if not FUZZING:
    _OPTIONS["database"] = None  # make test: fixed seed, nothing written
settings.register_profile("bqw", **_OPTIONS)
PROFILE = settings.get_profile("bqw")

CELL = re.compile(r"^([A-Z]{1,3})([1-9][0-9]*)$")
REASONS = {DROP_BLANK, DROP_EXAMPLE, DROP_FOOTER, DROP_HEADER, DROP_TOTAL}
SPEC = get_spec("visits")
LEADERS = ["洪文泽", "李明", "陈志强", "黄丽娟", "张国华"]
VILLAGES = ["东坑村", "新塘社区", "石桥村", "西湖村"]
SPECIAL = ["同上", "〃", "/", "—", "无", "例", "合计", "小计：", "填报人：张三", "=1+1", "+1", "-2", "@SUM(A1)", "三",
           "3个", "十二", "10月5日-6日", "2026年10月5日", "2026.10.5", "2026/10/5", "10月32日", "13812345678",
           "陈伟 13812345678", "0758-1234567", "1381234567", " ", "\n", "\u3000", "\u200b", "#N/A", "NaN", "1e308",
           "-0", "序号", "镇领导", "调研时间"]

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
dates = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31))
anything = st.one_of(
    st.none(), texts, st.sampled_from(SPECIAL), st.integers(-10**6, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15), dates,
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 12, 31)), st.booleans())
PLAUSIBLE = {
    "序号": st.integers(1, 999),
    "镇领导": st.sampled_from(LEADERS),
    "调研时间": st.one_of(st.dates(dt.date(2026, 9, 1), dt.date(2026, 11, 30)),
                      st.sampled_from(["2026年10月5日", "10月8日", "2026.10.12", "10月15日-16日", "2026/10/20"])),
    "调研地点": st.sampled_from(VILLAGES),
    "调研内容": st.sampled_from(["调研人居环境整治", "走访农户", "查看村道硬底化进度"]),
    "调研成效": st.sampled_from(["协调解决资金问题", "推进中", ""]),
    "推动解决问题数量": st.one_of(st.integers(0, 9), st.sampled_from(["三", "2个", "0"])),
    "联系人及联系方式": st.sampled_from(["陈伟 13812345678", "村支书黄志坚 13729876543", ""]),
    "备注": st.sampled_from(["", "无", "已完成"]),
}


def value_for(column: str):
    return st.one_of(PLAUSIBLE[column], anything)


@st.composite
def submissions(draw):
    """(format, rows, merges): a visits ledger as a grid (merges are 0-based r0, c0, r1, c1)."""
    fmt = draw(st.sampled_from(["xlsx", "xlsx", "csv-utf8", "csv-gb18030"]))
    names = [c.name for c in SPEC.columns]
    chosen = draw(st.lists(st.sampled_from(names), min_size=2, max_size=len(names), unique=True))
    labels = []
    for name in chosen:
        label = draw(st.sampled_from(SPEC.column(name).all_names))
        label = draw(st.sampled_from([label, f"*{label}", f"{label}\n", f"{label}（个）", f" {label} "]))
        labels.append(label)
    extra = draw(st.integers(0, 2))  # unrelated columns, anywhere
    for _ in range(extra):
        at = draw(st.integers(0, len(chosen)))
        chosen.insert(at, None)
        labels.insert(at, draw(st.sampled_from(["其他", "附件", "", "审核意见"])))
    width = len(chosen)
    rows: list[list] = []
    merges: list[tuple[int, int, int, int]] = []
    for _ in range(draw(st.integers(0, 2))):  # title rows
        rows.append([draw(st.sampled_from(["2026年度平安镇领导开展‘百千万工程’工作挂点调研台账", "附件3", "（10月）"]))]
                    + [None] * (width - 1))
        if fmt == "xlsx" and width > 1 and draw(st.booleans()):
            merges.append((len(rows) - 1, 0, len(rows) - 1, width - 1))
    if draw(st.booleans()):
        unit = draw(st.one_of(st.sampled_from(["党政办", "农业农村办", "=1+1"]), texts))
        rows.append([f"填报单位：{unit}    填报时间：2026年11月3日"] + [None] * (width - 1))
    two_rows = (fmt == "xlsx" and "调研成效" in chosen and "推动解决问题数量" in chosen and draw(st.booleans()))
    if two_rows:  # 调研成效 as a parent merged over its two sub-columns, the others merged down
        a, b = chosen.index("调研成效"), chosen.index("推动解决问题数量")
        if abs(a - b) == 1:
            lo, hi = min(a, b), max(a, b)
            top = [lab for lab in labels]
            top[lo], top[hi] = "调研成效", None
            sub = [None] * width
            sub[lo], sub[hi] = ("具体成效", "推动解决问题数量（个）") if lo == a else ("推动解决问题数量（个）", "具体成效")
            h = len(rows)
            rows += [top, sub]
            merges.append((h, lo, h, hi))
            merges += [(h, c, h + 1, c) for c in range(width) if c not in (lo, hi)]
        else:
            rows.append(labels)
    else:
        rows.append(labels)
    if draw(st.booleans()):
        rows.append(["例"] + [draw(value_for(c)) if c else None for c in chosen[1:]])
    data_start = len(rows)
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["row", "row", "row", "blank", "repeat-header"]))
        if kind == "blank":
            rows.append([None] * width)
        elif kind == "repeat-header":
            rows.append(list(labels))
        else:
            rows.append([draw(value_for(c)) if c else draw(anything) for c in chosen])
    if fmt == "xlsx" and "镇领导" in chosen and len(rows) - data_start >= 2 and draw(st.booleans()):
        c = chosen.index("镇领导")
        r0 = draw(st.integers(data_start, len(rows) - 2))
        r1 = draw(st.integers(r0 + 1, len(rows) - 1))
        for r in range(r0 + 1, r1 + 1):
            rows[r][c] = None
        merges.append((r0, c, r1, c))
    if draw(st.booleans()):
        rows.append(["合计"] + [None] * (width - 2) + [draw(st.integers(0, 99))] if width > 1 else ["合计"])
    if draw(st.booleans()):
        rows.append(["填报人：王五        审核人：赵六        联系电话：0758-1234567"] + [None] * (width - 1))
    return fmt, rows, merges


def write(sub, folder: Path, i: int) -> Path:
    fmt, rows, merges = sub
    if fmt == "xlsx":
        import xlsxwriter

        path = folder / f"附件3：挂点调研台账（10月）-{i}.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                             "strings_to_urls": False})
        day = wb.add_format({"num_format": "yyyy-mm-dd"})
        ws = wb.add_worksheet("Sheet1")
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                elif isinstance(v, (dt.date, dt.datetime)):
                    ws.write_datetime(r, c, v, day)
                else:
                    ws.write_string(r, c, v)
        for r0, c0, r1, c1 in merges:
            first = rows[r0][c0]
            ws.merge_range(r0, c0, r1, c1, None)
            if first is not None:  # merge_range writes only blanks with None; keep the value typed
                if isinstance(first, str):
                    ws.write_string(r0, c0, first)
                elif isinstance(first, (dt.date, dt.datetime)):
                    ws.write_datetime(r0, c0, first, day)
                elif isinstance(first, bool):
                    ws.write_boolean(r0, c0, first)
                else:
                    ws.write_number(r0, c0, first)
        wb.close()
        return path
    import csv
    import io

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        w.writerow(["" if v is None else str(v) for v in row])
    path = folder / f"附件3：挂点调研台账（10月）-{i}.csv"
    path.write_bytes(out.getvalue().encode("utf-8-sig" if fmt == "csv-utf8" else "gb18030"))
    return path


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_findings(result, grids: dict[str, list[list]]) -> None:
    for f in result.findings:
        assert f.message and f.severity in ("error", "warning", "info"), f
        if f.cell is None:
            continue
        m = CELL.match(f.cell)
        assert m, f
        assert f.sheet in grids, f
        grid = grids[f.sheet]
        row, col = int(m.group(2)), _col(m.group(1))
        assert 1 <= row <= len(grid), (f, len(grid))
        assert 1 <= col <= max(len(r) for r in grid), f
        if f.row is not None:
            assert f.row == row, f


def check_merge(result, reads: dict[str, object], grids: dict[str, dict]) -> None:
    for o in result.outcomes:
        d = o.to_dict()
        assert d["rows_read"] == d["accepted"] + d["held"] + sum(d["dropped"].values()), d
        assert set(d["dropped"]) <= REASONS, d
        name = Path(o.path).name
        res = reads[name]
        below = sum(len(grids[name][t.sheet]) - max(t.header_rows) for t in res.tables)
        if o.status == "skipped":
            assert d["rows_read"] == 0 and (o.findings or o.reason), d
        elif not any(t.kind in RECTIFICATION for t in res.tables):
            # every row under the header is accounted for (a combined 整改台账 sheet is read as
            # three lists, one record per problem: its rows are not records one to one)
            assert d["rows_read"] == below, (d, below)
            assert d["accepted"] + d["held"] == sum(t.rows for t in res.tables), d
        check_findings(o.result or res, grids[name])
    current = [o for o in result.outcomes if o.status == "accepted" and not o.superseded_by]
    assert result.merged_rows == sum(o.accepted for o in current)
    assert result.held_rows == sum(o.held for o in current)


@PROFILE
@given(st.lists(submissions(), min_size=1, max_size=3))
def test_read_validate_merge_conserves_rows(subs):
    from bqw.store.archive import Archive
    from bqw.io.workbook import open_book
    from bqw.jobs.merge import merge
    from bqw.output.ledger import write_merged
    from bqw.jobs.validate import validate_file

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [write(sub, folder, i) for i, sub in enumerate(subs)]
        grids, reads = {}, {}
        for p in paths:
            try:
                grids[p.name] = {s.name: s.rows for s in open_book(p).sheets}
            except Exception as e:  # noqa: BLE001 — a generated file must always open
                raise AssertionError(f"{p.name}: {e!r}") from e
            reads[p.name] = validate_file(p)
            check_findings(reads[p.name], grids[p.name])
        with Archive(":memory:") as store:
            result = merge(paths, archive=store, as_of=dt.date(2026, 10, 31), workers=1)
        check_merge(result, reads, grids)
        for fam in result.ledgers:
            out = write_merged(result, fam, folder / "out" / f"{fam}.xlsx")
            with zipfile.ZipFile(out) as z:
                for name in z.namelist():
                    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                        assert not re.search(rb"<(?:\w+:)?f[\s>/]", z.read(name)), name


@PROFILE
@given(st.lists(anything, min_size=1, max_size=20))
def test_values_never_raise_and_cells_come_back_clean(values):
    """Every parser on every raw value; for_excel makes any text fit a cell."""
    from bqw.core import dates as D
    from bqw.core import enums as E
    from bqw.core import numbers as N
    from bqw.core import values as V

    for v in values:
        V.clean_text(v)
        V.clean_name(v)
        N.parse_count(v)
        N.parse_number(v)
        D.parse_date(v, 2026)
        E.parse_yes_no(v)
        E.split_list(v)
        text = V.clean_text(v)
        if text is not None:
            cleaned = V.for_excel(text)
            assert not V.CONTROL_CHARS.search(cleaned) and V.excel_length(cleaned) <= V.EXCEL_CELL_MAX

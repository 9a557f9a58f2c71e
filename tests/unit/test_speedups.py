"""The pieces added for speed give the same answers as the plain way."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import SAMPLES
from bqw.output.jsontext import dumps


def test_jsontext_round_trip_and_layout():
    doc = {"kind": "visits", "totals": {"visits": 30}, "leaders": [{"leader": "洪文泽", "villages": [
        {"village": "东坑村", "visits": 2}]}], "empty": [], "none": None, "nan": float("nan")}
    text = dumps(doc, depth=2)
    back = json.loads(text)
    assert back["leaders"] == doc["leaders"] and back["none"] is None and back["nan"] != back["nan"]
    lines = text.splitlines()
    assert lines[0] == "{" and '  "kind": "visits",' in lines
    # below the depth a record is one line, Chinese as is
    assert '    {"leader": "洪文泽", "villages": [{"village": "东坑村", "visits": 2}]}' in lines
    assert json.loads(dumps(doc)) == json.loads(json.dumps(doc))


def test_preload_only_for_workbooks_of_ordinary_size(tmp_path, monkeypatch):
    import openpyxl

    from bqw.fast import preload
    from bqw.io import workbook
    from bqw.io.workbook import open_book
    from bqw.core.limits import Limits

    small, tall = tmp_path / "small.xlsx", tmp_path / "tall.xlsx"
    for path, last_row in ((small, 40), (tall, 300_000)):  # 300,000 rows × 8 columns = 2.4M cells
        wb = openpyxl.Workbook()
        wb.active["A1"], wb.active[f"H{last_row}"] = "序号", "x"
        wb.save(path)
    started = []
    monkeypatch.setattr(preload, "start", lambda: started.append(1))
    monkeypatch.setattr(preload, "_started", False)
    monkeypatch.setattr(workbook, "_WHEN_SCANNED", [])
    open_book(small, Limits())
    assert started == []  # not wanted: merge and run fork workers
    workbook.when_scanned(preload.maybe_start)  # what bqw validate does
    open_book(tall, Limits())
    assert started == []  # a big grid: no extra 70 MB while calamine reads it
    open_book(small, Limits())
    open_book(small, Limits())
    assert started == [1]  # once


def test_slim_results_give_the_same_records_and_keep_frames_of_returned_files():
    """A file without errors leaves its frames with the reading worker (bqw.jobs.merge.slim): its records,
    submitter and row count are those of the whole result; a file with errors keeps its frames for
    the annotated copy."""
    from bqw.jobs import merge as M
    from bqw.ledgers import Context

    ctx = Context()
    good = SAMPLES / "2026-10" / "附件3：平安镇领导挂点调研台账（10月）-刘晓燕.xlsx"
    bad = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"
    tasks = SAMPLES / "rectification"
    paths = [good, bad, *sorted(tasks.glob("*.xlsx"))]
    jobs = [(p, None, None, ctx) for p in paths]
    whole = M._read_one(jobs[0]), M._read_one(jobs[1]), *[M._read_one(j) for j in jobs[2:]]
    from bqw.jobs.validate import apply_schema

    whole = apply_schema(list(whole))
    slimmed = M._read_batch(jobs)
    assert slimmed[0].tables and all(t.frame is None for t in slimmed[0].tables)
    assert all(t.frame is not None for t in slimmed[1].tables)  # errors: returned to the submitter
    assert any(t.frame is None for r in slimmed[2:] for t in r.tables)
    for a, b in zip(whole, slimmed):
        assert [f.code for f in a.findings] == [f.code for f in b.findings]
        assert M.records_of(a) == M.records_of(b)
        assert M.submitter_of(a) == M.submitter_of(b) and a.rows == b.rows
    assert M.submitter_of(slimmed[0]) == "刘晓燕"


@pytest.mark.parametrize("values", [
    ["甲", None, "乙"], [None, "甲"], [None, None], [], ["甲", 1], ["甲", 1.5], [1, 2], ["甲", float("nan")],
    [date(2026, 10, 3), None], ["甲", True], ["甲", ["列表"]],
])
def test_text_arrays_are_what_a_frame_infers(values):
    """core.arrays.text_array builds text columns as the frame would infer them from an object array."""
    import pandas as pd

    from bqw.core.arrays import text_array

    index = pd.RangeIndex(len(values))
    inferred = pd.DataFrame({"x": pd.array(values, dtype=object)}, index=index)
    built = pd.DataFrame({"x": text_array(values)}, index=index)
    pd.testing.assert_frame_equal(built, inferred, check_exact=True)
    # element by element, of the same type, a gap (None, NaN) where the frame has the same gap
    assert [_comparable(v) for v in built["x"].tolist()] == [_comparable(v) for v in inferred["x"].tolist()]


def _comparable(v):
    """A value and its type, NaN as a token (NaN equals nothing, not even itself)."""
    return type(v), ("NaN" if isinstance(v, float) and v != v else v)


def test_duplicates_of_a_small_table_as_pandas_finds_them():
    """The dict walk of a small table (keys per column: text, date integers, str) finds the rows
    pandas' duplicated() finds, with gaps equal to each other and dates compared by value."""
    import numpy as np
    import pandas as pd

    from bqw.ledgers import common
    from bqw.core.table import Table

    rng = np.random.default_rng(7)
    n = 300
    frame = pd.DataFrame({
        "text": pd.array(rng.choice(["甲", "乙", None], n).tolist(), dtype=object),
        "when": pd.to_datetime(pd.Series(rng.choice(["2026-10-01", "2026-10-02", None], n).tolist())),
        "count": pd.array(rng.choice([1, 2, None], n).tolist(), dtype="Int64"),
        "amount": rng.choice([1.0, 2.5, np.nan], n),
    }, index=pd.Index(range(4, 4 + n)))
    assert str(frame["text"].dtype) in ("str", "object") and frame["when"].isna().any()
    table = Table("visits", frame, "f.xlsx", "表", {})
    columns = list(frame.columns)
    for keep_na in (True, False):
        sub = frame[columns] if keep_na else frame[columns].dropna()
        expected = set(sub.index[sub.duplicated(keep="first")])
        found = common._duplicates_small(frame, columns, keep_na)
        assert {row for row, _first in found} == expected and expected
        for row, first in found:  # the first row is an earlier row with the same values
            assert first < row and frame.loc[[row, first]].duplicated(keep=False).all()


def test_dates_as_json_text_like_strftime():
    import numpy as np
    import pandas as pd

    from bqw.store.records import json_values as _json_values

    col = pd.Series(pd.to_datetime(["2026-10-03 15:30", None, "1969-12-31 23:00", "1900-01-01"], format="mixed"))
    assert _json_values(col) == ["2026-10-03", None, "1969-12-31", "1900-01-01"]
    for odd in (["0999-05-06", "NaT"], ["12026-05-06", "2026-01-02"]):  # years outside 1000–9999
        early = pd.Series(np.array(odd, dtype="datetime64[s]"))
        assert _json_values(early) == [None if pd.isna(t) else t for t in early.dt.strftime("%Y-%m-%d")]


def test_a_throwaway_archive_keeps_no_row_records(tmp_path):
    """--no-archive (":memory:") stores the blocks the ledgers are built from, not the records' JSON
    rows; a file archive stores both, and the merged ledgers are the same."""
    from bqw.store.archive import Archive
    from bqw.jobs.merge import merge

    paths = sorted((SAMPLES / "2026-10").glob("*.xlsx"))
    ledgers = []
    for target in (":memory:", tmp_path / "bqw.db"):
        with Archive(target) as store:
            result = merge(paths, archive=store, kind="visits", period="2026-10", workers=1)
            _subs, records, _events = store.counts()
            stored_rows = store.db.execute("SELECT SUM(rows) FROM submissions").fetchone()[0]
            assert stored_rows >= result.merged_rows > 0
            assert records == (0 if target == ":memory:" else stored_rows)
            ledgers.append(result.ledgers["visits"])
    for (a_acc, a_held), (b_acc, b_held) in zip([ledgers[0]["visits"]], [ledgers[1]["visits"]]):
        import pandas as pd

        pd.testing.assert_frame_equal(a_acc, b_acc)
        pd.testing.assert_frame_equal(a_held, b_held)


def test_months_of_dates_like_strftime():
    import numpy as np
    import pandas as pd

    from bqw.core.values import date_texts

    for texts in (["2026-10-03", "NaT", "1969-12-31", "2100-01-01"], ["0999-05-06", "2026-01-02"],
                  ["12026-05-06", "NaT"]):
        when = pd.array(np.array(texts, dtype="datetime64[s]"))
        expected = pd.Series(when).dt.strftime("%Y-%m")
        assert date_texts(when, "M") == [None if pd.isna(t) else t for t in expected]
    assert date_texts(pd.array(np.array([], dtype="datetime64[s]")), "M") == []

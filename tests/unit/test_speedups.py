"""The pieces added for speed give the same answers as the plain way."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest

from conftest import SAMPLES
from bqw import forked
from bqw.jsontext import dumps


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


def test_forked_result_and_failure():
    parent = os.getpid()
    assert forked.start(lambda: ("done", os.getpid() != parent))() == ("done", True)

    calls = []

    def fails():
        calls.append(os.getpid())
        raise ValueError("坏了")

    wait = forked.start(fails)
    with pytest.raises(ValueError, match="坏了"):  # run again here, so the error is this process's own
        wait()
    assert calls == [parent]


def test_parallel_summaries_equal_serial(tmp_path, monkeypatch):
    from bqw import data
    from bqw.archive import Archive
    from bqw.config import Config
    from bqw.merge import merge

    files = sorted((SAMPLES / "2026-10").iterdir()) + sorted((SAMPLES / "rectification").iterdir())
    with Archive(tmp_path / "bqw.db") as store:
        merge(files, archive=store, as_of=date(2026, 10, 31), workers=1)
        cfg = Config(root=tmp_path)
        serial = data.summaries(cfg, store, period="2026-10", as_of=date(2026, 10, 31))
        monkeypatch.setattr(data, "PARALLEL_ROWS", 0)
        monkeypatch.setattr(forked, "start", _spy(forked.start))
        parallel = data.summaries(cfg, store, period="2026-10", as_of=date(2026, 10, 31))
    assert _spy.calls == 1
    assert list(parallel) == list(serial) == ["visits", "tasks"]
    for kind in serial:
        assert parallel[kind].to_json() == serial[kind].to_json()
        assert [t.frame.to_dict("list") for t in parallel[kind].tables()] == \
            [t.frame.to_dict("list") for t in serial[kind].tables()]


def _spy(fn):
    _spy.calls = 0

    def wrapped(*a, **k):
        _spy.calls += 1
        return fn(*a, **k)

    return wrapped


def test_preload_only_for_workbooks_of_ordinary_size(tmp_path, monkeypatch):
    import openpyxl

    from bqw import preload
    from bqw.io.workbook import open_book
    from bqw.limits import Limits

    small, tall = tmp_path / "small.xlsx", tmp_path / "tall.xlsx"
    for path, last_row in ((small, 40), (tall, 300_000)):  # 300,000 rows × 8 columns = 2.4M cells
        wb = openpyxl.Workbook()
        wb.active["A1"], wb.active[f"H{last_row}"] = "序号", "x"
        wb.save(path)
    started = []
    monkeypatch.setattr(preload, "start", lambda: started.append(1))
    monkeypatch.setattr(preload, "_started", False)
    monkeypatch.setattr(preload, "_wanted", False)
    open_book(small, Limits())
    assert started == []  # not wanted: merge and run fork workers
    preload.want()
    open_book(tall, Limits())
    assert started == []  # a big grid: no extra 70 MB while calamine reads it
    open_book(small, Limits())
    open_book(small, Limits())
    assert started == [1]  # once


def test_slim_results_give_the_same_records_and_keep_frames_of_returned_files():
    """A file without errors leaves its frames with the reading worker (bqw.merge.slim): its records,
    submitter and row count are those of the whole result; a file with errors keeps its frames for
    the annotated copy."""
    from bqw import merge as M
    from bqw.ledgers import Context

    ctx = Context()
    good = SAMPLES / "2026-10" / "附件3：平安镇领导挂点调研台账（10月）-刘晓燕.xlsx"
    bad = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"
    tasks = SAMPLES / "rectification"
    paths = [good, bad, *sorted(tasks.glob("*.xlsx"))]
    jobs = [(p, None, None, ctx) for p in paths]
    whole = M._read_one(jobs[0]), M._read_one(jobs[1]), *[M._read_one(j) for j in jobs[2:]]
    from bqw.validate import apply_schema

    apply_schema(list(whole))
    slimmed = M._read_batch(jobs)
    assert slimmed[0].tables and all(t.frame is None for t in slimmed[0].tables)
    assert all(t.frame is not None for t in slimmed[1].tables)  # errors: returned to the submitter
    assert any(t.frame is None for r in slimmed[2:] for t in r.tables)
    for a, b in zip(whole, slimmed):
        assert [f.code for f in a.findings] == [f.code for f in b.findings]
        assert M.records_of(a) == M.records_of(b)
        assert M.submitter_of(a) == M.submitter_of(b) and a.rows == b.rows
    assert M.submitter_of(slimmed[0]) == "刘晓燕"

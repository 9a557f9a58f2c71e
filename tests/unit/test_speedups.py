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

"""The archive's blocks (each submission's records as columns) say exactly what the records say.

build_ledger reads blocks; these tests rebuild the ledger from the row-wise records (the
archive's source of truth) and compare, check a version-1 archive is upgraded, and check
reading a subset of columns.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pandas as pd
import pytest

from conftest import SAMPLES
from bqw.store.archive import SCHEMA_VERSION, Archive
from bqw.jobs.merge import merge
from bqw.ledgers.family import table_kinds
from bqw.store.rebuild import build_ledger, decode_columns

AS_OF = date(2026, 10, 31)


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "bqw.db"
    files = sorted((SAMPLES / "2026-10").iterdir()) + sorted((SAMPLES / "rectification").iterdir())
    files.append(SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx")
    with Archive(path) as store:
        merge(files, archive=store, as_of=AS_OF, workers=1)
    return path


def decode_frame(rows: list[dict], kind: str, extra: list[str]):
    """Row-wise records (the archive's records table) as the typed frame build_ledger makes."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    return decode_columns({k: [r.get(k) for r in rows] for k in names}, len(rows), kind, extra)


def _from_records(store: Archive, fam: str, tk: str):
    subs = store.submissions(kind=fam, status="current")
    rows = [r for r in store.records([s.id for s in subs]) if r["table_kind"] == tk]
    accepted = [json.loads(r["data"]) for r in rows if not r["held"]]
    held = [json.loads(r["data"]) for r in rows if r["held"]]
    files = [r["file_name"] for r in rows if not r["held"]]
    return accepted, held, files


@pytest.mark.parametrize("fam", ["visits", "tasks"])
def test_ledger_from_blocks_equals_ledger_from_records(archive, fam):
    with Archive(archive) as store:
        periods = store.periods(fam)
        ledger = build_ledger(store, fam, periods, AS_OF)
        for tk in table_kinds(fam):
            accepted, held, files = _from_records(store, fam, tk)
            acc, hf = ledger[tk]
            assert len(acc) == len(accepted) and len(hf) == len(held)
            assert list(acc["来源文件"]) == files
            expected = decode_frame(accepted, tk, [c for c in ("调研天数", "月份", "填报单位", "期间")
                                                   if c in acc.columns])
            for column in expected.columns:
                if column == "序号":
                    continue
                left, right = acc[column].reset_index(drop=True), expected[column]
                assert left.isna().tolist() == right.isna().tolist(), column
                assert left.dropna().tolist() == right.dropna().tolist(), column
    if fam == "visits":  # the error sample's three bad rows are held, with what the submitter wrote
        assert len(hf) == 3
        assert "10月35日" in set(hf["调研时间"].astype(str))


def test_columns_subset_and_missing_column(archive):
    with Archive(archive) as store:
        subs = store.submissions(kind="visits", status="current")
        cols = store.columns(subs, "visits", ["镇领导", "没有这一列"])
        n = sum(s.rows for s in subs)
        assert len(cols["#row"]) == len(cols["镇领导"]) == len(cols["#file"]) == n
        assert "调研内容" not in cols and "没有这一列" not in cols
        assert cols["#held"].count(1) == 3
        assert set(cols["镇领导"]) >= {"洪文泽", "李明", "黄丽娟"}


def test_version_1_archive_is_upgraded(archive):
    with Archive(archive) as store:
        before = build_ledger(store, "visits", store.periods("visits"), AS_OF)["visits"][0]
        n_blocks = store.db.execute("SELECT COUNT(*) FROM blocks").fetchone()[0]
    con = sqlite3.connect(archive)
    con.execute("DELETE FROM blocks")
    con.execute("UPDATE meta SET value='1' WHERE key='schema'")
    con.commit()
    con.close()
    with Archive(archive) as store:
        assert store.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == SCHEMA_VERSION
        assert store.db.execute("SELECT COUNT(*) FROM blocks").fetchone()[0] == n_blocks > 0
        after = build_ledger(store, "visits", store.periods("visits"), AS_OF)["visits"][0]
    pd.testing.assert_frame_equal(before, after)


def test_version_2_archive_gets_the_reading_setup_of_seen_files(tmp_path):
    """Version 2's seen table had no setup column: added, and a file seen then is read again once."""
    path = tmp_path / "old.db"
    with Archive(path) as store:
        store.db.execute("DROP TABLE seen")
        store.db.execute("CREATE TABLE seen(path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
                         "status TEXT NOT NULL, at TEXT NOT NULL)")
        seen = tmp_path / "a.xlsx"
        seen.write_bytes(b"x")
        st = seen.stat()
        store.db.execute("INSERT INTO seen VALUES (?,?,?,?,?)", (str(seen.resolve()), st.st_size, st.st_mtime_ns,
                                                                 "accepted", "2026-10-01"))
        store.db.execute("UPDATE meta SET value='2' WHERE key='schema'")
    with Archive(path) as store:
        assert store.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == SCHEMA_VERSION == "3"
        assert "setup" in {r[1] for r in store.db.execute("PRAGMA table_info(seen)")}
        assert not store.is_seen(seen, "abc")  # seen with no known setup: read again
        store.mark_seen(seen, "accepted", "abc")
        assert store.is_seen(seen, "abc") and not store.is_seen(seen, "def")

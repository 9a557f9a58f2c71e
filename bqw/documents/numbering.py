"""Document numbers remembered in the workspace archive: 通报 发文字号 and 简报 期号 (增刊 apart).

Numbers run from 1 each year and series. Each number belongs to one document, named by a key
(e.g. ``进展:2026-10`` or ``简报:2026-10``): writing the same document again keeps its number,
a new document takes the next one. The table lives in the archive database beside bqw's own
tables and is written with sqlite3 directly:

    doc_numbers(series, year, number, key, title, created_at, updated_at)

A number is only used by a committed run: inside `bqw run` the connection is the archive's, already
in the run's transaction, so `number_for` takes the number in it (see _tx) and a run that fails or
is killed gives its numbers back with its data; its documents, written into a staging folder
(bqw.store.staging), never reach out/. `bqw tongbao`/`bqw jianbao` take a number in a transaction of its own.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

SCHEMA = """
CREATE TABLE IF NOT EXISTS doc_numbers(
    series TEXT NOT NULL,           -- 通报 | 简报 | 简报增刊
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    key TEXT NOT NULL,              -- which document: 进展:2026-10, 问题:2026-10:农业农村办, 简报:2026-10 …
    title TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY(series, year, key));
CREATE INDEX IF NOT EXISTS doc_numbers_number ON doc_numbers(series, year, number);
"""

TONGBAO, JIANBAO, SUPPLEMENT = "通报", "简报", "简报增刊"


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _ensure(conn: sqlite3.Connection) -> None:
    """Create the table when missing (statement by statement: safe inside a transaction)."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def connect(path) -> sqlite3.Connection:
    """A connection to the archive database (created if missing) in autocommit mode."""
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    _ensure(conn)
    return conn


class _tx:
    """BEGIN IMMEDIATE … COMMIT unless the connection is already inside a transaction."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn, self.own = conn, not conn.in_transaction

    def __enter__(self):
        if self.own:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, *exc):
        if self.own:
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def number_for(conn: sqlite3.Connection, series: str, year: int, key: str, *, title: str | None = None,
               fixed: int | None = None) -> int:
    """The number of document `key`: its earlier number, `fixed` when given, else the next free one."""
    _ensure(conn)
    with _tx(conn):
        row = conn.execute("SELECT number FROM doc_numbers WHERE series=? AND year=? AND key=?",
                           (series, year, key)).fetchone()
        now = _now()
        if fixed is not None:
            if row is None:
                conn.execute("INSERT INTO doc_numbers VALUES (?,?,?,?,?,?,?)",
                             (series, year, fixed, key, title, now, now))
            else:
                conn.execute("UPDATE doc_numbers SET number=?, title=COALESCE(?, title), updated_at=? "
                             "WHERE series=? AND year=? AND key=?", (fixed, title, now, series, year, key))
            return fixed
        if row is not None:
            if title:
                conn.execute("UPDATE doc_numbers SET title=?, updated_at=? WHERE series=? AND year=? AND key=?",
                             (title, now, series, year, key))
            return int(row[0])
        n = conn.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM doc_numbers WHERE series=? AND year=?",
                         (series, year)).fetchone()[0]
        conn.execute("INSERT INTO doc_numbers VALUES (?,?,?,?,?,?,?)", (series, year, n, key, title, now, now))
        return int(n)


def holders(conn: sqlite3.Connection, series: str, year: int, number: int, except_key: str | None = None) -> list[str]:
    """Titles (or keys) of other documents that hold `number` — to warn about a reused number."""
    _ensure(conn)
    rows = conn.execute("SELECT key, title FROM doc_numbers WHERE series=? AND year=? AND number=? AND key IS NOT ?",
                        (series, year, number, except_key)).fetchall()
    return [t or k for k, t in rows]


def listing(conn: sqlite3.Connection, series: str | None = None) -> list[tuple]:
    """(series, year, number, key, title) of every number given, in order."""
    _ensure(conn)
    where, params = ("WHERE series=?", (series,)) if series else ("", ())
    return conn.execute(f"SELECT series, year, number, key, title FROM doc_numbers {where} "
                        "ORDER BY series, year, number", params).fetchall()

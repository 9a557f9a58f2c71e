"""The SQLite archive of submissions: nothing accepted is ever lost (docs/merge.md, 归档).

Every submission (one file's content) is stored once, by content hash, with all its rows —
accepted and held back — and their findings. A later submission for the same (kind,
submitter, period) supersedes the earlier one, which stays in the archive marked as such.
Duplicates and skipped files are recorded as events. Each merge writes in one transaction,
so a merge killed at any point leaves the archive as it was.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from operator import itemgetter
from pathlib import Path

from bqw.store.records import Record, block, unblock

SCHEMA_VERSION = "3"  # 2: the blocks table (columns of each submission, for fast reading); 3: seen.setup

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs(
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, command TEXT, summary TEXT);
CREATE TABLE IF NOT EXISTS submissions(
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    content_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    submitter TEXT,
    period TEXT,
    arrived_at TEXT NOT NULL,
    seq INTEGER NOT NULL,           -- arrival order, also within one run
    file_mtime REAL,
    fill_date TEXT,
    source_path TEXT NOT NULL,
    file_name TEXT NOT NULL,
    rows INTEGER NOT NULL,
    held INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'current',   -- current | superseded
    superseded_by INTEGER REFERENCES submissions(id));
CREATE INDEX IF NOT EXISTS submissions_key ON submissions(kind, period, submitter, status);
CREATE INDEX IF NOT EXISTS submissions_seq ON submissions(seq);
CREATE TABLE IF NOT EXISTS records(
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    table_kind TEXT NOT NULL,
    sheet TEXT,
    row_no INTEGER,
    held INTEGER NOT NULL,
    data TEXT NOT NULL,              -- JSON: column -> value (dates as YYYY-MM-DD); 序号 not kept
    findings TEXT NOT NULL);         -- JSON: [{code, severity, cell, column, message}]
CREATE INDEX IF NOT EXISTS records_submission ON records(submission_id);
CREATE TABLE IF NOT EXISTS blocks(   -- the same records again, a column at a time (read side)
    table_kind TEXT NOT NULL,
    name TEXT NOT NULL,              -- a data column, or #sheet #row #held #findings
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    vals TEXT NOT NULL,              -- JSON array: the column's values in record order
    PRIMARY KEY (table_kind, name, submission_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS seen(
    path TEXT PRIMARY KEY,          -- an inbox file bqw run has processed
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    setup TEXT);                    -- the reading settings it was read with (bqw.toml [limits] [aliases] [enums])
CREATE TABLE IF NOT EXISTS events(
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    at TEXT NOT NULL,
    event TEXT NOT NULL,             -- duplicate | skip | supersede
    path TEXT,
    submission_id INTEGER,
    other_id INTEGER,
    reason TEXT);
"""


def stored(path) -> str:
    """A path as text SQLite can hold: a name that is not UTF-8 keeps its bytes as \\xNN escapes."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def _json(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


@dataclass
class Submission:
    id: int
    content_hash: str
    kind: str
    submitter: str | None
    period: str | None
    arrived_at: str
    seq: int
    file_mtime: float | None
    fill_date: str | None
    source_path: str
    file_name: str
    rows: int
    held: int
    status: str
    superseded_by: int | None
    run_id: int | None = None


_SUB_FIELDS = ", ".join(Submission.__dataclass_fields__)  # the columns in the dataclass's order


class ArchiveError(Exception):
    """The archive file cannot be used (not a bqw archive, corrupt, a version this bqw does not know)."""


APPLICATION_ID = 0x42515741  # “BQWA” in the header's application_id: this database is a bqw archive
OWN_TABLES = frozenset({"meta", "runs", "submissions", "records", "seen", "events"})  # every schema version's

# SQLite's primary result codes that are the machine's doing, as the errno they stand for
# (https://sqlite.org/rescode.html): said like any other OSError (bqw.cli.exit.machine_message)
SQLITE_READONLY = 8
_SQLITE_ERRNO = {3: errno.EPERM, 5: errno.EBUSY, 6: errno.EBUSY, SQLITE_READONLY: errno.EROFS, 10: errno.EIO,
                 13: errno.ENOSPC, 14: errno.EACCES}


def machine_error(error: sqlite3.Error, path) -> OSError | None:
    """The OSError a SQLite error stands for when the machine is at fault — disk full, read-only, no
    permission, the file in use by another program — naming the database `path`; None when it is not."""
    number = _SQLITE_ERRNO.get((getattr(error, "sqlite_errorcode", None) or 0) & 0xFF)
    if number is None:
        return None
    if path is not None and str(path) != ":memory:":
        where = Path(path)
        if number == errno.EACCES and where.is_dir():  # SQLITE_CANTOPEN: say why it cannot be opened
            number = errno.EISDIR
        elif number == errno.EACCES and not where.parent.is_dir():
            number = errno.ENOENT
        elif number == errno.EROFS and where.exists() and not os.access(where, os.W_OK):
            number = errno.EACCES  # the file's permissions, not a read-only disk
    return OSError(number, str(error), None if path is None else str(path))


class Archive:
    """A bqw archive at `path` (":memory:" for a throw-away one, as with --no-archive).

    A throw-away archive keeps no `records` rows: it is read only through its blocks (the merged
    ledgers, the summaries), and the rows' JSON cost a third of a merge's own work (64,000 rows).
    """

    def __init__(self, path: str | Path = "bqw.db"):
        self.path = str(path)
        self.keep_records = self.path != ":memory:"
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            found = self._recognise()  # before any write: another application's database stays as it was
            if self.path != ":memory:":
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            if found == "new":
                self._create()
            else:
                version = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0]
                if found == "unmarked":
                    self._mark()
                if version == "1":
                    self._upgrade_from_1()
                if version in ("1", "2"):
                    self._upgrade_from_2()
                elif version != SCHEMA_VERSION:
                    raise ArchiveError(f"归档 {self.path} 的版本为 {version}，本程序需要版本 {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as e:
            machine = machine_error(e, self.path)
            if machine is not None:
                raise machine from e
            raise ArchiveError(f"无法打开归档 {self.path}：{e}") from e
        self.run_id: int | None = None
        self.changed = False

    def _recognise(self) -> str:
        """"new" (an empty database: bqw makes it its archive), "bqw" (marked), or "unmarked" (made by a
        bqw before archives were marked: bqw's own tables and schema key); any other database is refused."""
        mark = self.db.execute("PRAGMA application_id").fetchone()[0]
        if mark == APPLICATION_ID:
            return "bqw"
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if mark == 0 and not self.db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
            return "new"
        if mark == 0 and OWN_TABLES <= tables:
            version = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if version is not None and version[0] in ("1", "2", "3"):
                return "unmarked"
        what = (f"其中有表 {'、'.join(sorted(tables)[:5])}{' 等' if len(tables) > 5 else ''}" if tables
                else f"它由另一个程序建立（application_id {mark}）")
        raise ArchiveError(f"{self.path} 不是 bqw 的归档（{what}），bqw 不会改动它；"
                           f"请指定 bqw 的归档，或一个新的文件名")

    def _create(self) -> None:
        """bqw's tables, its mark and schema version, in one transaction: a half-made archive is never left."""
        try:  # one script (executescript would commit a transaction begun outside it)
            self.db.executescript(f"BEGIN IMMEDIATE;{SCHEMA}PRAGMA application_id={APPLICATION_ID};"
                                  f"INSERT OR IGNORE INTO meta VALUES ('schema', '{SCHEMA_VERSION}');COMMIT;")
        except BaseException:
            self._rollback()
            raise

    def _mark(self) -> None:
        """Mark an archive made before archives were marked; on a read-only one it is read unmarked
        (the first bqw that can write there marks it)."""
        try:
            self.db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        except sqlite3.OperationalError as e:
            if e.sqlite_errorcode & 0xFF != SQLITE_READONLY:
                raise

    def _rollback(self) -> None:
        """ROLLBACK, when SQLite has not already rolled back itself (it does on a full disk or an I/O
        error; a second ROLLBACK would raise and hide the error that caused the first)."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def _upgrade_from_1(self) -> None:
        """Version 1 had no blocks: write them from the records, once, in one transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            ids = [r[0] for r in self.db.execute("SELECT id FROM submissions ORDER BY id")]
            for sid in ids:
                rows = self.db.execute("SELECT table_kind, sheet, row_no, held, data, findings FROM records "
                                       "WHERE submission_id=? ORDER BY rowid", (sid,)).fetchall()
                self._write_blocks(sid, [Record(*r) for r in rows])
            self.db.execute("UPDATE meta SET value='2' WHERE key='schema'")
        except BaseException:
            self._rollback()
            raise
        self.db.execute("COMMIT")

    def _upgrade_from_2(self) -> None:
        """Version 2's seen table has no setup: files seen then are read again once (nothing is lost)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(seen)")}
            if "setup" not in columns:
                self.db.execute("ALTER TABLE seen ADD COLUMN setup TEXT")
            self.db.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA_VERSION,))
        except BaseException:
            self._rollback()
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE … COMMIT; any exception (or a kill) leaves the archive unchanged."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self._seq = None
            try:
                yield self
            except BaseException:
                self._rollback()
                self._seq = None
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as e:  # the disk, not the data: said in Chinese, naming the archive
            machine = machine_error(e, self.path)
            if machine is None:
                raise
            if self.db.in_transaction:  # a failed COMMIT
                self._rollback()
            raise machine from e

    # --- writing (inside a transaction) --------------------------------------------------------

    def start_run(self, command: str) -> None:
        """Begin a run; its row is written only when the run changes something (idempotence)."""
        self._command, self.run_id, self.changed = command, None, False

    def _run(self) -> int:
        if self.run_id is None:
            cur = self.db.execute("INSERT INTO runs(started_at, command) VALUES (?, ?)",
                                  (now(), getattr(self, "_command", None)))
            self.run_id, self.changed = cur.lastrowid, True
        return self.run_id

    def finish_run(self, summary: dict) -> None:
        if self.run_id is not None:
            self.db.execute("UPDATE runs SET summary=? WHERE id=?",
                            (json.dumps(summary, ensure_ascii=False), self.run_id))

    def _next_seq(self) -> int:
        if getattr(self, "_seq", None) is None:  # read once per run, then counted here (no scan per insert)
            self._seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM submissions").fetchone()[0]
        self._seq += 1
        return self._seq

    def add_submission(self, *, content_hash, kind, submitter, period, file_mtime, fill_date, source_path,
                       file_name, records: list[Record]) -> int:
        """Store one submission and its records (bqw.store.records.Record, or tuples of its fields in
        its order): data and findings are JSON text or values to encode."""
        records = [r if isinstance(r, Record) else Record(*r) for r in records]
        held = sum(1 for r in records if r.held)
        self._run()
        cur = self.db.execute(
            "INSERT INTO submissions(run_id, content_hash, kind, submitter, period, arrived_at, seq, "
            "file_mtime, fill_date, source_path, file_name, rows, held) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (self.run_id, content_hash, kind, submitter, period, now(), self._next_seq(), file_mtime,
             fill_date, source_path, file_name, len(records), held))
        sid = cur.lastrowid
        if self.keep_records:
            self.db.executemany(
                "INSERT INTO records(submission_id, table_kind, sheet, row_no, held, data, findings) "
                "VALUES (?,?,?,?,?,?,?)",
                ((sid, rec.table_kind, rec.sheet, rec.row, int(rec.held), _json(rec.data), _json(rec.findings))
                 for rec in records))
        self._write_blocks(sid, records)
        return sid

    def _write_blocks(self, sid: int, records: list[Record]) -> None:
        """The submission's records as columns, one JSON array per (table kind, column)."""
        by_kind: dict[str, list[Record]] = {}
        for rec in records:
            by_kind.setdefault(rec.table_kind, []).append(rec)
        out = []
        for tk, recs in by_kind.items():
            datas = [rec.values if rec.values is not None else
                     (json.loads(rec.data) if isinstance(rec.data, str) else rec.data) for rec in recs]
            columns = {"#sheet": [rec.sheet for rec in recs], "#row": [rec.row for rec in recs],
                       "#held": [int(rec.held) for rec in recs],
                       "#findings": [None if rec.findings in ("[]", [], None) else _json(rec.findings) for rec in recs]}
            keys = datas[0].keys()
            if len(keys) > 1 and all(d.keys() == keys for d in datas):  # the usual case: one set of columns
                names = list(keys)
                columns.update(zip(names, map(list, zip(*map(itemgetter(*names), datas)))))
            else:
                for name in dict.fromkeys(k for d in datas for k in d):
                    columns[name] = [d.get(name) for d in datas]
            # the data columns in the sheet's order (blocks come back ordered by name): a column the
            # contract does not name keeps its place among the others in the merged ledger
            columns["#columns"] = [n for n in columns if not n.startswith("#")]
            out += [(tk, name, sid, block(vals)) for name, vals in columns.items()]
        self.db.executemany("INSERT INTO blocks(table_kind, name, submission_id, vals) VALUES (?,?,?,?)", out)

    def supersede(self, old_id: int, new_id: int) -> None:
        self._run()
        self.db.execute("UPDATE submissions SET status='superseded', superseded_by=? WHERE id=?",
                        (new_id, old_id))
        self.event("supersede", submission_id=new_id, other_id=old_id)

    def reject(self, sid: int, reason: str) -> None:
        """The office returns a current submission (bqw serve): it stays, out of every merged ledger."""
        self._run()
        self.db.execute("UPDATE submissions SET status='rejected' WHERE id=? AND status='current'", (sid,))
        self.event("reject", submission_id=sid, reason=reason)

    def event(self, event: str, path: str | None = None, submission_id: int | None = None,
              other_id: int | None = None, reason: str | None = None) -> None:
        """Record an event once: the same duplicate or skip seen again on a later run adds nothing."""
        path = stored(path) if path is not None else None
        if event in ("duplicate", "skip") and self.db.execute(
                "SELECT 1 FROM events WHERE event=? AND path IS ? AND submission_id IS ? AND reason IS ?",
                (event, path, submission_id, reason)).fetchone():
            return
        self._run()
        self.db.execute("INSERT INTO events(run_id, at, event, path, submission_id, other_id, reason) "
                        "VALUES (?,?,?,?,?,?,?)", (self.run_id, now(), event, path, submission_id, other_id,
                                                   reason))

    # --- reading -------------------------------------------------------------------------------

    def _subs(self, where: str = "1", params: tuple = ()) -> list[Submission]:
        rows = self.db.execute(f"SELECT {_SUB_FIELDS} FROM submissions WHERE {where} ORDER BY seq",
                               params).fetchall()
        return [Submission(*r) for r in rows]

    def current_group(self, kind: str, submitter: str, period: str | None) -> list[Submission]:
        """Current submissions of one (kind, submitter, period) — the candidates for superseding."""
        return self._subs("kind=? AND submitter=? AND period IS ? AND status='current'", (kind, submitter, period))

    def by_hash(self, content_hash: str) -> Submission | None:
        subs = self._subs("content_hash=?", (content_hash,))
        return subs[0] if subs else None

    def get(self, sid: int) -> Submission:
        return self._subs("id=?", (sid,))[0]

    def submissions(self, kind: str | None = None, period: str | None = None,
                    status: str | None = None, periods: list | None = None) -> list[Submission]:
        clauses, params = [], []
        if kind is not None:
            clauses.append("kind=?")
            params.append(kind)
        if period is not None:
            clauses.append("period IS ?")
            params.append(period)
        if periods is not None:
            clauses.append("(" + " OR ".join("period IS ?" for _ in periods) + ")" if periods else "0")
            params.extend(periods)
        if status is not None:
            clauses.append("status=?")
            params.append(status)
        return self._subs(" AND ".join(clauses) or "1", tuple(params))

    def records(self, submission_ids: list[int]) -> list[sqlite3.Row]:
        if not submission_ids:
            return []
        marks = ",".join("?" * len(submission_ids))
        return self.db.execute(
            f"SELECT r.*, s.file_name, s.source_path FROM records r JOIN submissions s ON s.id = r.submission_id "
            f"WHERE r.submission_id IN ({marks}) ORDER BY s.seq, r.rowid", tuple(submission_ids)).fetchall()

    def columns(self, subs: list[Submission], table_kind: str, names: list[str] | None = None) -> dict[str, list]:
        """The records of `subs` (in the given order) of one table kind, as columns.

        Every data column found plus #sheet #row #held #findings and #file (the submission's file
        name), and #columns: the data columns in the sheets' order; a column a submission lacks is
        None in its rows. With `names`, only those data
        columns and #row #held #file are read (#sheet and #findings are left blank): what
        summaries need of a year's records.
        """
        order = [s.id for s in subs]
        wanted = set(order)
        where, params = "table_kind=?", [table_kind]
        if names is not None:
            keep = ["#row", "#held", *names]
            where += " AND name IN (" + ",".join("?" * len(keep)) + ")"
            params += keep
        found: dict[str, dict[int, str]] = {}
        for name, sid, vals in self.db.execute(f"SELECT name, submission_id, vals FROM blocks WHERE {where}",
                                               params):
            if sid in wanted:
                found.setdefault(name, {})[sid] = vals
        rows = {sid: unblock(v) for sid, v in found.pop("#row", {}).items()}
        present = [sid for sid in order if sid in rows]
        names = found.pop("#columns", {})
        out: dict[str, list] = {"#row": [x for sid in present for x in rows[sid]],
                                "#columns": list(dict.fromkeys(n for sid in present if sid in names
                                                               for n in unblock(names[sid])))}
        for name, by_sub in found.items():
            values: list = []
            for sid in present:
                text = by_sub.get(sid)
                values.extend(unblock(text) if text is not None else [None] * len(rows[sid]))
            out[name] = values
        for name, blank in (("#sheet", None), ("#held", 0), ("#findings", None)):
            if name not in out:
                out[name] = [blank] * len(out["#row"])
        names_of = {s.id: s.file_name for s in subs}
        out["#file"] = [names_of[sid] for sid in present for _ in rows[sid]]
        return out

    def events(self, run_id: int | None = None) -> list[sqlite3.Row]:
        if run_id is None:
            return self.db.execute("SELECT * FROM events ORDER BY id").fetchall()
        return self.db.execute("SELECT * FROM events WHERE run_id=? ORDER BY id", (run_id,)).fetchall()

    def is_seen(self, path: Path, setup: str | None = None) -> bool:
        """True when `path` was processed before, has not changed since (size and mtime), and was read
        with the same `setup` (the reading settings: a wording taught in bqw.toml, or a raised limit,
        reads the file again)."""
        st = path.stat()
        row = self.db.execute("SELECT size, mtime_ns, setup FROM seen WHERE path=?",
                              (stored(Path(os.path.realpath(path))),)).fetchone()
        return row is not None and row[0] == st.st_size and row[1] == st.st_mtime_ns and row[2] == setup

    def mark_seen(self, path: Path, status: str, setup: str | None = None) -> None:
        self._run()
        st = path.stat()
        self.db.execute("INSERT OR REPLACE INTO seen(path, size, mtime_ns, status, at, setup) VALUES (?,?,?,?,?,?)",
                        (stored(Path(os.path.realpath(path))), st.st_size, st.st_mtime_ns, status, now(), setup))

    def periods(self, kind: str) -> list[str | None]:
        rows = self.db.execute("SELECT DISTINCT period FROM submissions WHERE kind=? AND status='current'",
                               (kind,)).fetchall()
        return sorted((r[0] for r in rows), key=lambda p: p or "")

    def counts(self) -> tuple[int, int, int]:
        """(submissions, records, events) — for idempotence checks."""
        q = self.db.execute
        return (q("SELECT COUNT(*) FROM submissions").fetchone()[0], q("SELECT COUNT(*) FROM records").fetchone()[0],
                q("SELECT COUNT(*) FROM events").fetchone()[0])

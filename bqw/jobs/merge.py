"""Merge a month's submissions into one ledger per kind, through the archive (docs/merge.md).

Flow: read and validate every file (in parallel); rows with errors are held back (待核实), rows
with warnings are kept and marked; a file whose content is already archived is a duplicate
and counts once; a later submission for the same (kind, submitter, period) supersedes the
earlier one; everything is stored in the archive in one transaction; the merged ledger is
then built from the archive's current submissions for the periods touched, so nothing
accepted earlier is lost.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bqw.store.archive import Archive, Submission, stored
from bqw.core.dates import parse_date
from bqw.core.values import date_texts, display_name
from bqw.core.findings import ERROR, WARNING, Finding
from bqw.ledgers import KIND_ZH, RECTIFICATION, Context, get_spec
from bqw.ledgers.rectification import STANDING_COLUMN, STANDING_DEADLINE
from bqw.core.table import (META_PERIOD, META_UNIT, SRC_FILE, SRC_ROW, SRC_SHEET, ReadResult, Table)

NOTE_COLUMN = "校验提示"  # warnings kept with an accepted row
PROBLEM_COLUMN = "问题说明"  # why a row is held back
HELD_SHEET, NOTES_SHEET = "待核实", "合并说明"
# Errors about a sheet's structure: reported, but they do not hold back the row they point at.
STRUCTURAL = {"roster-chief-count", "roster-liaison-missing", "roster-liaison-multiple"}
CORRECTION = re.compile(r"更正|修改|修订|重报|补报|最终|终稿|新版")
NAME_NOISE = re.compile(r"^附件\s*\d*\s*[:：]?|[（(](?:更正|修改|修订|重报|补报|最终版?|终稿|新版?|\d+)[)）]|副本|\s+")

FAMILY_TITLE = {"visits": "挂点调研台账", "tasks": "问题整改台账", "roster": "指挥部成员名单",
                "assignments": "镇领导挂点联系村安排表", "scores": "典型村评价"}


def fault_point(name: str) -> None:
    """Test instrumentation: BQW_FAULT=<name> pauses here so a test can kill the process mid-run.

    Used by the crash tests (tests/cli/test_merge.py); a no-op unless the variable names this point.
    """
    if os.environ.get("BQW_FAULT") == name:
        import time

        mark = os.environ.get("BQW_FAULT_MARK")
        if mark:
            Path(mark).touch()
        time.sleep(float(os.environ.get("BQW_FAULT_SECONDS", "30")))


def family(kind: str | None) -> str | None:
    """The archive kind of a file: the three rectification lists travel together as “tasks”."""
    return "tasks" if kind in RECTIFICATION else kind


def table_kinds(fam: str) -> tuple[str, ...]:
    return RECTIFICATION if fam == "tasks" else (fam,)


@dataclass
class Part:
    """One submission of a file: the tables of one submitter and period. A town's collection (a
    sheet per leader) or a leader's whole year (a sheet per month) holds several, so that a later
    correction from one leader for one month replaces that part only."""

    submitter: str | None
    period: str | None
    tables: list[Table]


def parts_of(res: ReadResult) -> list[Part]:
    """The file's tables grouped by (submitter, period), in sheet order; the linked rectification
    lists always travel together."""
    if family(res.kind) == "tasks":
        return [Part(submitter_of(res), _period(res.tables), list(res.tables))]
    groups: dict[tuple, list[Table]] = {}
    for t in res.tables:
        groups.setdefault((_submitter([t], res.path), t.meta.get("period")), []).append(t)
    if len(groups) == 1:
        return [Part(submitter_of(res), _period(res.tables), list(res.tables))]
    # a month's sheet left with only its header (a whole year's workbook, filled as the year goes) is no
    # report for that month: it must not stop the month's 催报
    parts = [Part(who, period, tables) for (who, period), tables in groups.items() if sum(t.rows for t in tables)]
    return parts or [Part(submitter_of(res), _period(res.tables), list(res.tables))]


def _period(tables: list[Table]) -> str | None:
    return next((t.meta.get("period") for t in tables if t.meta.get("period")), None)


def _joined(values: list, most: int = 3) -> str | None:
    """Several submitters or periods of one file, for a table cell: “洪文泽、李明、陈志强等6个”."""
    shown = list(dict.fromkeys(v for v in values if v))
    if not shown:
        return None
    return "、".join(shown[:most]) + (f"等{len(shown)}个" if len(shown) > most else "")


@dataclass
class FileOutcome:
    path: Path
    status: str  # accepted | duplicate | unchanged (already archived) | skipped
    reason: str = ""
    kind: str | None = None
    submitter: str | None = None
    period: str | None = None
    submission_id: int | None = None  # the (first) submission the file made, or the one it repeats
    submission_ids: list[int] = field(default_factory=list)  # every submission the file made (its parts)
    periods: list = field(default_factory=list)  # the periods of its parts
    read: int = 0  # data rows found in the sheet: records + dropped rows
    accepted: int = 0
    held: int = 0
    dropped: dict = field(default_factory=dict)  # reason -> count (示例行, 合计行, 表尾, 空行…)
    findings: list[Finding] = field(default_factory=list)
    superseded_by: str | None = None
    result: ReadResult | None = field(default=None, repr=False)  # what was read (for annotated copies)

    @property
    def rejected(self) -> bool:
        """Returned to the submitter: unreadable, or with errors (rows held back or sheet errors)."""
        if self.status == "skipped":
            return bool(self.findings)
        return self.status == "accepted" and any(f.severity == ERROR for f in self.findings)

    @property
    def name(self) -> str:
        """The file name fit to show (a name that is not UTF-8 decoded as GB18030 where it can be)."""
        return display_name(self.path.name)

    def to_dict(self) -> dict:
        return {"path": display_name(str(self.path)), "status": self.status, "reason": self.reason, "kind": self.kind,
                "submitter": self.submitter, "period": self.period, "periods": self.periods, "rows_read": self.read,
                "accepted": self.accepted, "held": self.held, "dropped": self.dropped,
                "superseded_by": self.superseded_by,
                "errors": sum(1 for f in self.findings if f.severity == ERROR),
                "warnings": sum(1 for f in self.findings if f.severity == WARNING)}


@dataclass
class MergeResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    supersessions: list[tuple[Submission, Submission]] = field(default_factory=list)
    not_submitted: dict[str, list[str]] = field(default_factory=dict)  # family -> who
    ledgers: dict[str, dict] = field(default_factory=dict)  # family -> {table kind: (accepted, held)}
    periods: dict[str, list] = field(default_factory=dict)  # family -> periods merged
    outputs: list[Path] = field(default_factory=list)
    new_submissions: int = 0
    as_of: date | None = None
    notes: list[str] = field(default_factory=list)
    archive_changed: bool = False

    @property
    def accepted(self) -> int:
        return sum(o.accepted for o in self.outcomes if o.status == "accepted")

    @property
    def held(self) -> int:
        return sum(o.held for o in self.outcomes if o.status == "accepted")

    @property
    def duplicates(self) -> int:
        return sum(1 for o in self.outcomes if o.status == "duplicate")

    @property
    def skipped(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "skipped"]

    @property
    def merged_rows(self) -> int:
        """Rows in the merged ledgers (current submissions, accepted rows)."""
        return sum(len(a) for ledger in self.ledgers.values() for a, _h in ledger.values())

    @property
    def held_rows(self) -> int:
        """Rows in the merged ledgers' 待核实 sheets."""
        return sum(len(h) for ledger in self.ledgers.values() for _a, h in ledger.values())

    @property
    def clean(self) -> bool:
        bad_skips = [o for o in self.skipped if o.findings]
        structural = any(f.severity == ERROR and f.code in STRUCTURAL for o in self.outcomes for f in o.findings)
        return self.held_rows == 0 and self.held == 0 and not bad_skips and not structural

    def to_dict(self) -> dict:
        return {
            "files": [o.to_dict() for o in self.outcomes],
            "accepted": self.accepted, "held": self.held, "duplicates": self.duplicates,
            "merged_rows": self.merged_rows, "held_rows": self.held_rows,
            "new_submissions": self.new_submissions, "archive_changed": self.archive_changed,
            "superseded": [{"old": old.file_name, "new": new.file_name, "kind": new.kind,
                            "submitter": new.submitter, "period": new.period}
                           for old, new in self.supersessions],
            "skipped": [{"path": display_name(str(o.path)), "reason": o.reason} for o in self.skipped],
            "not_submitted": sorted({w for who in self.not_submitted.values() for w in who}),
            "not_submitted_by_kind": self.not_submitted,
            "outputs": [str(p) for p in self.outputs],
        }


# --- values <-> JSON -------------------------------------------------------------------------

def decode_columns(columns: dict[str, list], n: int, kind: str, extra: list[str], only: list[str] | None = None):
    """Columns of archived values (JSON: dates as text) as a typed frame of `n` rows:
    the kind's columns in contract order, then `extra` (or, with `only`, just those of them)."""
    import pandas as pd

    from bqw.ledgers import spec as S

    spec = get_spec(kind)
    out = {}

    def raw(name):
        values = columns.get(name)
        return pd.Series(values if values is not None else [None] * n, dtype=object)

    for col in spec.columns:
        if only is not None and col.name not in only:
            continue
        values = raw(col.name)
        if col.type in (S.DATE, S.DATERANGE):
            out[col.name] = pd.to_datetime(values, errors="coerce", format="ISO8601")
        elif col.type == S.COUNT:
            out[col.name] = pd.to_numeric(values, errors="coerce").astype("Int64")
        elif col.type == S.NUMBER:
            out[col.name] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif col.type == S.YESNO:
            out[col.name] = values.astype("boolean")
        else:
            out[col.name] = values
    for name in extra:
        if only is not None and name not in only:
            continue
        values = raw(name)
        out[name] = pd.to_numeric(values, errors="coerce").astype("Int64") if name == "调研天数" else values
    return pd.DataFrame(out)


# --- one file ---------------------------------------------------------------------------------

def _stem(path: Path) -> str:
    return NAME_NOISE.sub("", path.stem) or path.stem


def submitter_of(result: ReadResult) -> str | None:
    """Who sent the file: a visit ledger's leader, else the 填报单位, else the file name."""
    return _submitter(result.tables, result.path)


def _submitter(tables: list[Table], path) -> str | None:
    """Who sent these tables (see submitter_of)."""
    for t in tables:
        if t.kind == "visits":
            leaders = _leaders(t) if t.frame is not None else t.outline[2]
            if len(leaders) == 1:
                return leaders[0]
            if t.meta.get("leader"):
                return t.meta["leader"]
        if t.kind == "scores" and t.meta.get("village"):  # one village's sheet (the printed 附件4)
            return t.meta["village"]
        if t.meta.get("unit"):
            return t.meta["unit"]
    return _stem(Path(path))


def _leaders(table: Table) -> list[str]:
    """The distinct 镇领导 of a visit table, in order."""
    if "镇领导" not in table.frame:
        return []
    return list(dict.fromkeys(x for x in table.frame["镇领导"].tolist() if isinstance(x, str)))


def _row_findings(result: ReadResult, table: Table) -> tuple[dict[int, list[Finding]], list[Finding]]:
    """Findings of this table by Excel row, and its sheet-level ones."""
    by_row: dict[int, list[Finding]] = defaultdict(list)
    sheet_level = []
    columns = set(table.columns)
    for f in result.findings:
        if f.sheet is not None and f.sheet != table.sheet:
            continue
        if f.table is not None and f.table != table.kind:
            continue
        if f.table is None and f.column is not None and f.column not in columns:
            continue
        if f.row is None:
            sheet_level.append(f)
        else:
            by_row[f.row].append(f)
    return by_row, sheet_level


def _plain(v):
    """One value as JSON."""
    t = type(v)
    if t is str or t is int or t is bool or v is None:
        return v
    if t is float:
        return None if v != v else v
    import pandas as pd

    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if hasattr(v, "item"):
        v = v.item()
        return None if isinstance(v, float) and v != v else v
    return v


def _json_values(col) -> list:
    """A column's values as JSON values: dates YYYY-MM-DD (for the whole column at once), NA as None."""
    if col.dtype.kind == "M":
        return date_texts(col)
    return list(map(_plain, col.tolist()))


def _plain_rows(frame, columns: list[str]) -> list[dict]:
    """The rows of `frame`'s `columns` as dicts of JSON values, converted a column at a time."""
    lists = [_json_values(frame[c]) for c in columns]
    return [dict(zip(columns, row)) for row in zip(*lists)] if columns else [{} for _ in range(len(frame))]


# json.dumps with options builds a new encoder per call: these are built once
_DATA_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode
_NOTES_JSON = json.JSONEncoder(ensure_ascii=False).encode


def records_of(result: ReadResult, tables: list[Table] | None = None) -> list[tuple]:
    """(table_kind, sheet, row, held, data JSON, findings JSON, data) for every record of a validated
    file (or of some of its tables).

    序号 is not kept: it is renumbered on merge (and so is not part of the content either).
    """
    out = []
    for table in result.tables if tables is None else tables:
        by_row, sheet_level = _row_findings(result, table)
        hold_all = [f for f in sheet_level if f.severity == ERROR and f.code in ("missing-column", "too-many-errors")]
        raw_by_row: dict[int, dict] = defaultdict(dict)
        for (r, col), raw in table.raw.items():
            raw_by_row[r][col] = None if raw is None else str(raw)
        _columns, rows, texts = table.plain or prepare(table)
        for row, data, text in zip(table.row_numbers, rows, texts):
            found = by_row.get(row, []) + hold_all if (by_row or hold_all) else []
            held = any(f.severity == ERROR and f.code not in STRUCTURAL for f in found)
            if held and row in raw_by_row:  # show what the submitter wrote in the cells that could not be read
                data = {**data, **raw_by_row[row]}
                text = _DATA_JSON(data)
            notes = _NOTES_JSON([{"code": f.code, "severity": f.severity, "cell": f.cell, "column": f.column,
                                  "message": f.message} for f in found]) if found else "[]"
            out.append((table.kind, table.sheet, int(row), held, text, notes, data))
    return out


def prepare(table: Table) -> tuple:
    """(columns, row dicts of JSON values, their JSON text) of a table's records — the part of
    records_of that does not depend on the findings, done by the worker that read the file."""
    columns = [c for c in table.frame.columns if c not in (SRC_FILE, SRC_SHEET, SRC_ROW, "序号")]
    rows = _plain_rows(table.frame, columns)
    return columns, rows, [_DATA_JSON(d) for d in rows]


def content_hash(kind: str, records: list[tuple]) -> str:
    """Same content, same hash — whatever the file name, sheets, row order or 序号 (renumbered anyway).

    So a three-sheet rectification workbook and the combined 整改台账 with the same lists are one
    submission, as is a byte-identical copy or a re-saved file.
    """
    h = hashlib.sha256(kind.encode())
    h.update("".join(row + "\n" for row in sorted(rec[0] + rec[4] for rec in records)).encode())
    return h.hexdigest()


def _read_one(args):
    path, kind, period, ctx = args
    from bqw.jobs.validate import validate_file

    res = validate_file(path, kind, ctx, period, schema=False)  # the schema runs over a batch (_read_batch)
    for table in res.tables:  # the records' JSON, made here on the reading worker's core
        table.plain = prepare(table)
    return res


def _read_batch(jobs: list) -> list[ReadResult]:
    """Read and validate a batch of files: pandera once over the batch (once per file costs more),
    then the frames of files without errors are let go (slim)."""
    from bqw.jobs.validate import apply_schema

    results = [_read_one(job) for job in jobs]
    apply_schema(results)
    for res in results:
        slim(res)
    return results


def slim(res: ReadResult) -> None:
    """Keep of a file without errors only what a merge uses (Table.outline), not its frames: it is
    not returned to its submitter, so nothing needs them, and a frame costs ≈ 0.6 ms to unpickle."""
    if res.skipped is not None or any(f.severity == ERROR for f in res.findings):
        return  # an annotated copy goes back to the submitter: keep everything
    for table in res.tables:  # table.plain, the records' JSON, was made by _read_one
        table.outline = (table.columns, table.row_numbers, _leaders(table) if table.kind == "visits" else [])
        table.frame = None


# Below this many files the reading stays in this process: starting workers costs more than it
# saves (measured with forked workers: 16 files 0.65 s either way, 48 files 0.76 s against 0.79 s,
# 128 files 0.95 s against 1.18 s).
POOL_MIN_FILES = 32
BATCH_FILES = 32  # files read by one worker at a time, with one pandera run over them


def _pool_min_files() -> int:
    value = os.environ.get("BQW_POOL_MIN_FILES", "")  # a tuning knob (tests set it to use the workers)
    return int(value) if value.isdigit() else POOL_MIN_FILES


def _end_with_parent(parent: int) -> None:
    """A reading worker ends with the process that started it. Killed (a cron job's timeout, kill
    -9), that process cannot stop its workers, and they would wait on their queue for ever."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass  # not Linux: the worker stays until its queue is closed
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def read_iter(paths: list[Path], kind, period, ctx, progress=None, workers: int | None = None):
    """Read and validate every path (_read_batch), in order, on both cores when there are enough
    files; results are yielded as they come, so the caller works while the workers read."""
    jobs = [(p, kind, period, ctx) for p in paths]
    batches = [jobs[i:i + BATCH_FILES] for i in range(0, len(jobs), BATCH_FILES)]
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers <= 1 or len(jobs) < _pool_min_files():
        for batch in batches:
            for res in _read_batch(batch):
                yield res
                if progress:
                    progress()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = None
    if "fork" in multiprocessing.get_all_start_methods():
        # forked workers start with what this process has loaded: pandas, pandera and the reader,
        # loaded once here, not once more in each worker
        import pandas  # noqa: F401
        import pandera.pandas  # noqa: F401

        import bqw.jobs.validate  # noqa: F401
        from bqw.io import reader  # noqa: F401

        context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_end_with_parent,
                             initargs=(os.getpid(),)) as pool:
        for results in pool.map(_read_batch, batches):
            for res in results:
                yield res
                if progress:
                    progress()


# --- the merge --------------------------------------------------------------------------------

COPY_MARK = re.compile(r"[（(]\d+[)）]|副本|copy", re.I)


def _arrival_key(path: Path):
    """Originals before their copies, corrections last (then the supersede order decides)."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return (mtime, bool(CORRECTION.search(path.stem)), bool(COPY_MARK.search(path.stem)), path.name)


def _order_key(sub: Submission):
    """Later wins: arrival (earlier runs first), then 填报时间, a correction mark, mtime, name."""
    return (sub.run_id or 0, sub.fill_date or "", bool(CORRECTION.search(sub.file_name)),
            sub.file_mtime or 0.0, sub.file_name)


def merge(paths, *, kind: str | None = None, period: str | None = None, as_of: date | None = None,
          archive: Archive, ctx: Context | None = None, expect: dict[str, set[str]] | None = None,
          progress=None, workers: int | None = None, command: str = "merge", finish=None,
          staging=None) -> MergeResult:
    """Merge `paths` (files) into `archive` and build the merged ledgers; see module docstring.

    `finish(result)` runs inside the archive transaction, after the ledgers are built: it writes
    the outputs into `staging` (bqw.store.staging.Staging), so that if writing fails (disk full,
    read-only folder) the archive is unchanged. The staged outputs are recorded in the archive,
    which commits, and only then moved into place: killed or failed before the commit, the run
    leaves neither data nor outputs (nor document numbers); killed while moving, the next run
    finishes the moves (bqw.store.staging.recover).
    """
    from bqw.io.inputs import skip_reason

    ctx = ctx or Context(period=period)
    result = MergeResult(as_of=as_of or date.today())
    readable = []
    for p in map(Path, paths):
        reason = skip_reason(p)
        if reason:
            result.outcomes.append(FileOutcome(p, "skipped", reason))
        else:
            readable.append(p)
    readable.sort(key=_arrival_key)
    new_subs: list[Submission] = []
    try:
        with archive.transaction():  # outputs are staged inside it: a failed write leaves the archive as it was
            archive.start_run(command)
            for res in read_iter(readable, kind, period, ctx, progress, workers):
                outcome = _archive_one(res, kind, archive, result)
                if not outcome.rejected:
                    outcome.result = None  # what was read is kept only for the annotated copy of a returned file
                fault_point("merge-archived-file")
                result.outcomes.append(outcome)
                new_subs += [archive.get(sid) for sid in outcome.submission_ids]
            result.new_submissions = len(new_subs)
            for o in result.skipped:
                archive.event("skip", path=str(o.path), reason=o.reason)
            _supersede(archive, new_subs, result)
            result.archive_changed = archive.changed
            archive.finish_run({"accepted": result.accepted, "held": result.held, "duplicates": result.duplicates,
                                "new_submissions": len(new_subs), "skipped": len(result.skipped)})
            _build(archive, result, period, expect)
            if finish is not None:
                finish(result)
            if staging is not None:
                staging.record(archive)
            fault_point("merge-before-commit")
    except BaseException as e:
        if staging is None:
            raise
        staging.discard()
        if isinstance(e, OSError) and (named := staging.named_as_final(e)) is not None:
            raise named from e  # the user knows out/2026-10/…, not the staging folder
        raise
    if staging is not None:
        fault_point("merge-committed")
        staging.publish(archive)
    return result


def _build(archive: Archive, result: MergeResult, period, expect) -> None:
    """The merged ledgers and the 催报 lists for every (kind, period) the run touched."""
    touched: dict[str, set] = defaultdict(set)
    for o in result.outcomes:
        if o.status in ("accepted", "duplicate", "unchanged") and o.kind:
            touched[o.kind].update([period] if period else o.periods or [None])
    for fam, periods in touched.items():
        result.periods[fam] = sorted(periods, key=lambda p: p or "")
        result.ledgers[fam] = build_ledger(archive, fam, result.periods[fam], result.as_of)
        wanted = set((expect or {}).get(fam, set()))
        if fam == "tasks" and expect is not None:
            wanted |= open_task_units(archive)
        if expect is not None and wanted:
            current = archive.submissions(kind=fam, status="current", periods=result.periods[fam])
            sent = {s.submitter for s in current}
            sent |= _people_in(result.ledgers[fam], fam)
            result.not_submitted[fam] = sorted(wanted - sent)


def _people_in(ledger: dict, fam: str) -> set[str]:
    """Everyone a merged ledger shows as having reported (a unit's file may cover several leaders)."""
    column = {"visits": "镇领导", "tasks": "牵头单位"}.get(fam)
    table = ledger.get(fam)  # the main list: visits, or the 任务清单 of the rectification lists
    if not column or table is None:
        return set()
    accepted, _held = table
    return set(accepted[column].dropna()) if column in accepted else set()


def _archive_one(res: ReadResult, kind, archive: Archive, result: MergeResult) -> FileOutcome:
    path = Path(res.path)
    outcome = FileOutcome(path, "skipped", kind=family(res.kind), findings=list(res.findings), result=res)
    if res.skipped:
        outcome.reason = res.skipped
        return outcome
    if not res.tables:
        outcome.reason = "；".join(f.message for f in res.findings) or "没有可读取的数据"
        return outcome
    far = next((f for f in res.findings if f.code == "period-far-from-year"), None)
    if far is not None:  # a period bqw would have invented: nothing archived, no out/<period>, no 通报 number
        outcome.reason = far.message
        return outcome
    fam = family(res.kind)
    parts = parts_of(res)
    outcome.submitter = _joined([p.submitter for p in parts])
    outcome.periods = list(dict.fromkeys(p.period for p in parts))
    outcome.period = _joined(outcome.periods, most=12)
    records = records_of(res)
    outcome.read = len(records) + sum(len(t.dropped) for t in res.tables)
    for t in res.tables:
        for _row, why in t.dropped:
            outcome.dropped[why] = outcome.dropped.get(why, 0) + 1
    outcome.accepted = sum(1 for r in records if not r[3])
    outcome.held = len(records) - outcome.accepted
    fill = next((t.meta.get("filled") for t in res.tables if t.meta.get("filled")), None)
    filled = parse_date(fill).value if fill else None
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = None
    states, repeats = [], []
    for part in parts:
        part_records = records if len(parts) == 1 else records_of(res, part.tables)
        digest = content_hash(fam, part_records)
        earlier = archive.by_hash(digest)
        if earlier is not None:
            outcome.submission_id = outcome.submission_id or earlier.id
            if earlier.source_path == stored(path):  # the same file again: already archived, nothing to record
                states.append("unchanged")
                if earlier.status == "superseded":
                    outcome.superseded_by = archive.get(earlier.superseded_by).file_name
            else:
                states.append("duplicate")
                repeats.append(earlier)
            continue
        sid = archive.add_submission(
            content_hash=digest, kind=fam, submitter=part.submitter, period=part.period, file_mtime=mtime,
            fill_date=filled.isoformat() if filled else None, source_path=stored(path),
            file_name=display_name(path.name), records=part_records)
        outcome.submission_ids.append(sid)
        states.append("accepted")
    if outcome.submission_ids:
        outcome.status, outcome.submission_id = "accepted", outcome.submission_ids[0]
    else:
        outcome.status = "duplicate" if "duplicate" in states else "unchanged"
    if repeats:
        names = "、".join(dict.fromkeys(f"“{e.file_name}”" for e in repeats))
        part = "" if len(parts) == 1 else f"其中 {len(repeats)} 部分（共 {len(parts)} 部分）"
        outcome.reason = f"{part}与已收到的{names}内容相同，只计一次"
        for earlier in repeats:
            archive.event("duplicate", path=str(path), submission_id=earlier.id, reason=outcome.reason)
    elif outcome.status == "unchanged":
        outcome.reason = "已归档（此前已接收）"
    return outcome


def _supersede(archive: Archive, new_subs: list[Submission], result: MergeResult) -> None:
    """For each (kind, submitter, period) with a new submission, keep only the latest current one."""
    keys = {(s.kind, s.submitter, s.period) for s in new_subs if s.submitter}
    by_id = {sid: o for o in result.outcomes if o.status == "accepted" for sid in o.submission_ids}
    for fam, who, period in sorted(keys, key=str):
        group = archive.current_group(fam, who, period)
        if len(group) < 2:
            continue
        group.sort(key=_order_key)
        latest = group[-1]
        for old in group[:-1]:
            archive.supersede(old.id, latest.id)
            result.supersessions.append((old, latest))
            if old.id in by_id:
                by_id[old.id].superseded_by = latest.file_name


def _notes(findings: str | None, errors_only: bool) -> str | None:
    """A record's findings (JSON text) as the lines of its 校验提示 / 问题说明 cell."""
    if findings is None:
        return None
    return "\n".join(f"{f['cell'] or ''} {f['message']}".strip() for f in json.loads(findings)
                     if not errors_only or f["severity"] == ERROR) or None


def build_ledger(archive: Archive, fam: str, periods: list, as_of: date, only: set[int] | None = None,
                 columns: list[str] | None = None) -> dict:
    """{table kind: (accepted frame, held frame)} from the current submissions of `periods`
    (or only the submissions whose ids are in `only`). `columns` limits the data columns read
    (the others are left blank) and leaves out provenance, notes and held rows: summaries need a
    few columns of a year's accepted records."""
    import pandas as pd

    subs = archive.submissions(kind=fam, status="current", periods=periods)
    if only is not None:
        subs = [s for s in subs if s.id in only]
    out = {}
    for tk in table_kinds(fam):
        spec = get_spec(tk)
        derived = [d.name for d in spec.derived if d.name in ("调研天数", "月份", STANDING_COLUMN)]
        cols = archive.columns(subs, tk, columns)
        # columns the contract does not name, kept from the sheets (docs/merge.md, “未识别的列”)
        known = {*spec.names, *(d.name for d in spec.derived), META_UNIT, META_PERIOD}
        order = {name: i for i, name in enumerate(cols["#columns"])}  # the sheets' order (sorted before it was kept)
        kept = sorted((k for k in cols if not k.startswith("#") and k not in known), key=lambda k: (order.get(k, 1e9), k))
        extra = derived + kept + [META_UNIT, META_PERIOD]
        n = len(cols["#row"])
        held_flags, findings = cols["#held"], cols["#findings"]
        data = {k: v for k, v in cols.items() if not k.startswith("#")}
        held_idx = [i for i, h in enumerate(held_flags) if h]
        if held_idx:
            keep = [i for i, h in enumerate(held_flags) if not h]
            acc_cols = {k: [v[i] for i in keep] for k, v in data.items()}
            acc_meta = {k: [cols[k][i] for i in keep] for k in ("#file", "#sheet", "#row")}
            acc_findings = [findings[i] for i in keep]
        else:
            keep, acc_cols, acc_meta, acc_findings = range(n), data, cols, findings
        acc = decode_columns(acc_cols, len(keep), tk, extra, only=columns)
        if tk == "tasks":
            from bqw.ledgers.rectification import derive_tasks

            acc = derive_tasks(acc, as_of)
        elif tk == "scores":
            from bqw.ledgers.scores import derive_scores

            acc = derive_scores(acc)
        if "序号" in acc:
            acc["序号"] = pd.array(range(1, len(acc) + 1), dtype="Int64")
        if columns is not None:  # a summary's read: no provenance, no held rows
            out[tk] = (acc, pd.DataFrame(columns=spec.names + extra))
            continue
        notes = [_notes(f, False) for f in acc_findings] if any(acc_findings) else [None] * len(acc_findings)
        meta = pd.DataFrame({NOTE_COLUMN: pd.Series(notes, dtype=object),
                             SRC_FILE: pd.Series(acc_meta["#file"], dtype=object),
                             SRC_SHEET: pd.Series(acc_meta["#sheet"], dtype=object),
                             SRC_ROW: pd.Series(acc_meta["#row"], dtype="int64")})
        acc = pd.concat([acc.reset_index(drop=True), meta], axis=1)
        held = [{k: v[i] for k, v in data.items()} for i in held_idx]
        held_meta = [{SRC_FILE: cols["#file"][i], SRC_SHEET: cols["#sheet"][i], SRC_ROW: cols["#row"][i],
                      PROBLEM_COLUMN: _notes(findings[i], True) or ""} for i in held_idx]
        hf = pd.DataFrame(held).reindex(columns=spec.names + extra) if held else pd.DataFrame(
            columns=spec.names + extra)
        hf = pd.concat([pd.DataFrame(held_meta, columns=[SRC_FILE, SRC_SHEET, SRC_ROW, PROBLEM_COLUMN]),
                        hf.reset_index(drop=True)], axis=1)
        out[tk] = (acc, hf)
    return out


def kind_title(fam: str) -> str:
    return FAMILY_TITLE.get(fam) or KIND_ZH.get(fam, fam)


# --- the merged workbook ----------------------------------------------------------------------

TAIL = [NOTE_COLUMN, SRC_FILE, SRC_SHEET, SRC_ROW, META_UNIT, META_PERIOD]


def period_label(periods: list) -> str:
    known = [p for p in periods if p]
    if not known:
        return ""
    labels = [f"{p[:4]}年{int(p[5:7])}月" for p in known]
    return "、".join(labels)


def _ordered(frame, kind: str):
    """The columns in the merged sheet's order; 有/无 columns (负面清单) written as the form has them."""
    from bqw.ledgers import spec as S

    spec = get_spec(kind)
    head = [c for c in spec.names if c in frame]
    middle = [c for c in frame.columns if c not in head and c not in TAIL]
    out = frame[head + middle + [c for c in TAIL if c in frame]]
    yesno = [c.name for c in spec.columns if c.type == S.YESNO and c.name in out]
    if yesno:
        out = out.copy()
        for name in yesno:
            out[name] = out[name].map({True: "有", False: "无"}).astype(object)
    return out


def _shown(frame):
    """A list as the merged sheet shows it: a standing task's 完成时限 reads “长期” (its date is empty)."""
    if STANDING_COLUMN not in frame or "完成时限" not in frame:
        return frame
    standing = (frame[STANDING_COLUMN] == "是").to_numpy(dtype=bool)
    if not standing.any():
        return frame
    out = frame.copy()
    out["完成时限"] = out["完成时限"].astype(object).where(~standing, STANDING_DEADLINE)
    return out


def write_merged(result: MergeResult, fam: str, path: Path) -> Path:
    """One workbook for a kind: its list sheet(s), 待核实 and 合并说明 (docs/merge.md)."""
    import pandas as pd

    from bqw.output import xlsx as xlsxout

    ledger = result.ledgers[fam]
    label = period_label(result.periods.get(fam, []))
    suffix = f"（{label}）" if label else ""

    def build(wb, styles):
        held_parts = []
        for tk in table_kinds(fam):
            spec = get_spec(tk)
            accepted, held = ledger[tk]
            widths = {c.name: c.width for c in spec.columns} | {NOTE_COLUMN: 30, SRC_FILE: 36}
            shown = _shown(_ordered(accepted, tk))
            xlsxout.write_table(wb, styles, spec.title, f"{spec.title}{suffix}", shown, widths,
                                mark=NOTE_COLUMN, mark_format=styles.warn)
            if len(held):
                part = _shown(held.copy())
                if len(table_kinds(fam)) > 1:
                    part.insert(0, "清单", spec.title)
                held_parts.append(part)
        held_all = pd.concat(held_parts, ignore_index=True) if held_parts else pd.DataFrame(
            columns=[SRC_FILE, SRC_SHEET, SRC_ROW, PROBLEM_COLUMN])
        xlsxout.write_table(wb, styles, HELD_SHEET, f"待核实（有错误、未计入{kind_title(fam)}的行）{suffix}", held_all,
                            {SRC_FILE: 36, PROBLEM_COLUMN: 50}, mark=PROBLEM_COLUMN, mark_format=styles.error)
        xlsxout.write_notes(wb, styles, NOTES_SHEET, notes_sections(result, fam))

    return xlsxout.save(path, build)


def notes_sections(result: MergeResult, fam: str) -> list:
    outcomes = [o for o in result.outcomes if o.kind in (fam, None)]
    status_zh = {"accepted": "已接收", "duplicate": "重复提交", "unchanged": "已归档", "skipped": "已跳过"}
    files = []
    for o in outcomes:
        state = "已被更正件替换" if o.superseded_by else status_zh[o.status]
        dropped = "、".join(f"{k}{v}行" for k, v in o.dropped.items())
        files.append([o.name, state, o.submitter or "", o.period or "", o.read, o.accepted, o.held, dropped,
                      o.reason or (f"被“{o.superseded_by}”替换" if o.superseded_by else "")])
    ledger = result.ledgers.get(fam, {})
    accepted_rows = sum(len(a) for a, _h in ledger.values())
    held_rows = sum(len(h) for _a, h in ledger.values())
    overview = [
        ["期间", period_label(result.periods.get(fam, [])) or "未注明"],
        ["本次读取文件", len(outcomes)],
        ["本次新接收的提交", sum(1 for o in outcomes if o.status == "accepted")],
        ["重复提交（只计一次）", sum(1 for o in outcomes if o.status == "duplicate")],
        ["被更正件替换", sum(1 for old, _new in result.supersessions if old.kind == fam)],
        ["跳过的文件", sum(1 for o in outcomes if o.status == "skipped")],
        ["合并后的行数（各清单合计）", accepted_rows],
        ["待核实的行数", held_rows],
        ["统计日（逾期按此计算）", result.as_of.isoformat() if result.as_of else ""],
    ]
    supers = [[old.file_name, new.file_name, new.submitter or "", new.period or ""]
              for old, new in result.supersessions if new.kind == fam]
    skipped = [[o.name, o.reason] for o in outcomes if o.status == "skipped"]
    missing = [[who] for who in result.not_submitted.get(fam, [])]
    unknown = [[o.name, f.sheet or "", f.params.get("letter", ""), f.params.get("label", ""), f.params.get("name", "")]
               for o in outcomes for f in o.findings if f.code == "unknown-column"]
    return [
        ("合并概况", ["项目", "数量"], overview),
        ("文件清单", ["文件", "状态", "填报人/单位", "期间", "读到行数", "接收", "待核实", "未计入（原因）", "说明"], files),
        ("更正替换（新件替换旧件）", ["被替换的文件", "替换为", "填报人/单位", "期间"], supers),
        ("跳过的文件及原因", ["文件", "原因"], skipped),
        ("催报名单（本期应报未报）", ["单位/人员"], missing),
        ("未识别的列（已保留，列在合并台账的标准列之后）", ["文件", "工作表", "列", "原表头", "合并台账中的列名"], unknown),
    ]


# --- who should have reported (催报) ----------------------------------------------------------

LEADER_POSTS = ("总指挥", "第一副总指挥", "常务副总指挥", "副总指挥")


def expected_from(path, aliases: dict | None = None) -> tuple[dict[str, set[str]], ReadResult]:
    """Expected submitters by kind from an assignments ledger or a roster (--expect)."""
    from bqw.io.reader import read_ledger

    res = read_ledger(path, aliases=aliases)  # bqw.toml [aliases]
    out: dict[str, set[str]] = {}
    assignments = res.table("assignments")
    roster = res.table("roster")
    if assignments is not None and "镇领导" in assignments.frame:
        out["visits"] = set(assignments.frame["镇领导"].dropna())
    if roster is not None and "visits" not in out:
        frame = roster.frame
        if {"姓名", "指挥部职务"} <= set(frame.columns):
            out["visits"] = set(frame.loc[frame["指挥部职务"].isin(LEADER_POSTS), "姓名"].dropna())
    # task lists: the units owing an update are those with open tasks (open_task_units), not every unit
    return out, res


def open_task_units(archive: Archive) -> set[str]:
    """牵头单位 with unfinished tasks in the archive's current task lists (they owe an update)."""
    subs = archive.submissions(kind="tasks", status="current")
    cols = archive.columns(subs, "tasks", ["完成状态", "牵头单位"])
    n = len(cols["#row"])
    return {unit for held, state, unit in zip(cols["#held"], cols.get("完成状态") or [None] * n,
                                              cols.get("牵头单位") or [None] * n)
            if not held and state != "已完成" and unit}


def output_paths(out: Path, families: list[str]) -> dict[str, Path]:
    """-o OUT.xlsx for one kind; OUT（挂点调研台账）.xlsx … when the inputs hold several kinds."""
    out = Path(out)
    if len(families) <= 1:
        return {f: out for f in families}
    return {f: out.with_name(f"{out.stem}（{kind_title(f)}）{out.suffix}") for f in families}


def workspace_expected(cfg) -> dict[str, set[str]] | None:
    """Who should report, from the workspace's assignments (visits) and roster (units)."""
    expected: dict[str, set[str]] = {"tasks": set()}  # open-task units are added from the archive
    for path in (cfg.roster, cfg.assignments):  # assignments last: it names the leaders best
        if path is not None and Path(path).exists():
            found, _res = expected_from(path, cfg.aliases)
            expected.update(found)
    return expected

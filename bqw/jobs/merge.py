"""Merge submissions into the archive (docs/merge.md).

Every file is read and validated (on both cores when there are many: bqw.fast.pool); rows with
errors are held back (待核实), rows with warnings are kept and marked; a file whose content is
already archived is a duplicate and counts once; a later submission for the same (kind, submitter,
period) supersedes the earlier one. The merged ledgers are then rebuilt from the archive's current
submissions for the periods touched (bqw.store.rebuild), so nothing accepted earlier is lost, and
the 催报 list is made from them.

The caller owns the transaction: it opens the archive (holding its lock), begins, calls merge(),
writes its outputs (staged: bqw.store.staging) and commits — `with stage.transaction(archive):`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import NamedTuple

from bqw.core.faults import fault_point
from bqw.core.findings import ERROR, WARNING, Finding
from bqw.core.table import Outline, ReadResult, Table
from bqw.core.dates import parse_date
from bqw.core.values import display_name
from bqw.io.filenames import arrival_key, is_correction, sender_stem
from bqw.ledgers import Context
from bqw.ledgers.family import RECTIFICATION_FAMILY, family
from bqw.store.archive import Archive, Submission, stored
from bqw.store.rebuild import build_ledger, open_task_units
from bqw.store.records import STRUCTURAL, content_hash, prepare, records_of


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
    if family(res.kind) == RECTIFICATION_FAMILY:
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



# --- who sent a file ---------------------------------------------------------------------------

def submitter_of(result: ReadResult) -> str | None:
    """Who sent the file: a visit ledger's leader, else the 填报单位, else the file name."""
    return _submitter(result.tables, result.path)


def _submitter(tables: list[Table], path) -> str | None:
    """Who sent these tables (see submitter_of)."""
    for t in tables:
        if t.kind == "visits":
            leaders = _leaders(t) if t.frame is not None else t.outline.leaders
            if len(leaders) == 1:
                return leaders[0]
            if t.meta.get("leader"):
                return t.meta["leader"]
        if t.kind == "scores" and t.meta.get("village"):  # one village's sheet (the printed 附件4)
            return t.meta["village"]
        if t.meta.get("unit"):
            return t.meta["unit"]
    return sender_stem(Path(path))


def _leaders(table: Table) -> list[str]:
    """The distinct 镇领导 of a visit table, in order."""
    if "镇领导" not in table.frame:
        return []
    return list(dict.fromkeys(x for x in table.frame["镇领导"].tolist() if isinstance(x, str)))


@dataclass
class FileOutcome:
    """What the merge did with one file."""

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



class Supersession(NamedTuple):
    """A current submission replaced by a later one for the same (kind, submitter, period)."""

    old: Submission
    new: Submission


@dataclass
class MergeResult:
    """What a merge did with each file, and the merged ledgers of the (kind, periods) it touched."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    supersessions: list[Supersession] = field(default_factory=list)
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
            "superseded": [{"old": s.old.file_name, "new": s.new.file_name, "kind": s.new.kind,
                            "submitter": s.new.submitter, "period": s.new.period}
                           for s in self.supersessions],
            "skipped": [{"path": display_name(str(o.path)), "reason": o.reason} for o in self.skipped],
            "not_submitted": sorted({w for who in self.not_submitted.values() for w in who}),
            "not_submitted_by_kind": self.not_submitted,
            "outputs": [str(p) for p in self.outputs],
        }


# --- reading ----------------------------------------------------------------------------------

def _read_one(job: tuple) -> ReadResult:
    """Read and validate one file; `job` is (path, kind, period, ctx)."""
    from bqw.jobs.validate import validate_file

    path, kind, period, ctx = job
    res = validate_file(path, kind, ctx, period, schema=False)  # the schema runs over a batch (_read_batch)
    for table in res.tables:  # the records' JSON, made here on the reading worker's core
        table.plain = prepare(table)
    return res


def _read_batch(jobs: list) -> list[ReadResult]:
    """Read and validate a batch of files: pandera once over the batch (once per file costs more),
    then the frames of files without errors are let go (slim)."""
    from bqw.jobs.validate import apply_schema

    results = apply_schema([_read_one(job) for job in jobs])
    for res in results:
        slim(res)
    return results


def slim(res: ReadResult) -> None:
    """Keep of a file without errors only what a merge uses (Table.outline), not its frames: it is
    not returned to its submitter, so nothing needs them, and a frame costs ≈ 0.6 ms to unpickle."""
    if res.skipped is not None or any(f.severity == ERROR for f in res.findings):
        return  # an annotated copy goes back to the submitter: keep everything
    for table in res.tables:  # table.plain, the records' JSON, was made by _read_one
        table.outline = Outline(table.columns, table.row_numbers, _leaders(table) if table.kind == "visits" else [])
        table.frame = None


# modules the forked reading workers should find loaded (bqw.fast.pool)
READERS = ("pandas", "pandera.pandas", "bqw.jobs.validate", "bqw.io.reader")


def read_iter(paths: list[Path], kind, period, ctx, progress=None, workers: int | None = None):
    """Read and validate every path (_read_batch), in order, on both cores when there are enough
    files; results are yielded as they come, so the caller works while the workers read."""
    from bqw.fast.pool import batched

    for res in batched(_read_batch, [(p, kind, period, ctx) for p in paths], workers=workers, preload=READERS):
        yield res
        if progress:
            progress()


# --- the merge --------------------------------------------------------------------------------

def _order_key(sub: Submission):
    """Later wins: arrival (earlier runs first), then 填报时间, a correction mark, mtime, name."""
    return (sub.run_id or 0, sub.fill_date or "", is_correction(sub.file_name), sub.file_mtime or 0.0, sub.file_name)


def merge(paths, *, archive: Archive, kind: str | None = None, period: str | None = None,
          as_of: date | None = None, ctx: Context | None = None, expect: dict[str, set[str]] | None = None,
          progress=None, workers: int | None = None, command: str = "merge") -> MergeResult:
    """Merge `paths` (files) into `archive`, inside the caller's transaction, and rebuild the merged
    ledgers of the (kind, periods) touched (MergeResult.ledgers) and who has not reported (`expect`:
    archive kind -> who should); see the module docstring."""
    from bqw.io.inputs import skip_reason

    ctx = ctx or Context(period=period)
    if as_of is not None and ctx.as_of is None:  # rules that depend on the date (议定事项) judged on --as-of
        ctx = replace(ctx, as_of=as_of)
    result = MergeResult(as_of=as_of or date.today())
    readable = []
    for p in map(Path, paths):
        reason = skip_reason(p)
        if reason:
            result.outcomes.append(FileOutcome(p, "skipped", reason))
        else:
            readable.append(p)
    readable.sort(key=arrival_key)
    new_subs: list[Submission] = []
    archive.start_run(command)
    for res in read_iter(readable, kind, period, ctx, progress, workers):
        outcome = _archive_one(res, archive)
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
        if fam == RECTIFICATION_FAMILY and expect is not None:
            wanted |= open_task_units(archive)
        if expect is not None and wanted:
            current = archive.submissions(kind=fam, status="current", periods=result.periods[fam])
            sent = {s.submitter for s in current}
            sent |= _people_in(result.ledgers[fam], fam)
            result.not_submitted[fam] = sorted(wanted - sent)


def _people_in(ledger: dict, fam: str) -> set[str]:
    """Everyone a merged ledger shows as having reported (a unit's file may cover several leaders)."""
    column = {"visits": "镇领导", RECTIFICATION_FAMILY: "牵头单位"}.get(fam)
    table = ledger.get(fam)  # the main list: visits, or the 任务清单 of the rectification lists
    if not column or table is None:
        return set()
    accepted, _held = table
    return set(accepted[column].dropna()) if column in accepted else set()


def _archive_one(res: ReadResult, archive: Archive) -> FileOutcome:
    """Store one file's parts (the new ones) and say what became of it."""
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
    outcome.accepted = sum(1 for r in records if not r.held)
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
            result.supersessions.append(Supersession(old, latest))
            if old.id in by_id:
                by_id[old.id].superseded_by = latest.file_name

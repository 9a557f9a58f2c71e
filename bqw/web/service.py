"""What bqw serve does, for the JSON API and the pages alike (docs/serve.md): check an upload, make its
annotated copy, submit it, list a submitter's submissions, the office's board, blank templates, rejection.

Every function takes the workspace's Config and plain values, and returns a dataclass with `to_dict()`
(the API's JSON) or a Path; a refusal is a ServiceError carrying its HTTP status and a Chinese message.
Who is asking is settled before (bqw.web.auth): `submitter` is the name a valid token belongs to.

Files: an upload is kept under `<workspace>/serve/pending/<id>/` (id: uuid4 hex, chosen here), beside a
meta.json saying who checked it. Its name is the client's base name made safe (never its path): bqw reads
the leader, the month and a correction mark from file names. A submission (bqw.web.submitting) moves it
into `<inbox>/网上报送/<submitter>/<YYYYMMDD-HHMMSS>-<6 hex>/` and processes it with bqw.jobs.routine.run
under the archive's lock, so duplicates, corrections, 待核实 rows, out/ and the log are exactly bqw run's,
and a later bqw run sees the file as seen.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from bqw.jobs.config import Config
from bqw.ledgers.family import RECTIFICATION_FAMILY
from bqw.web.batching import Batcher

ALLOWED = (".xlsx", ".xls", ".xlsm", ".csv")
ONLINE = "网上报送"  # the inbox's folder for what bqw serve accepted
LEADER, UNIT = "leader", "unit"
ROLE_ZH = {LEADER: "镇领导", UNIT: "单位"}
LOCK_TIMEOUT = 120.0  # seconds a batch of submissions waits for a bqw run (cron) to finish
_PENDING_ID = re.compile(r"[0-9a-f]{32}")
# lockf is held per process: threads of one server would all “hold” it; one batch of submissions or one
# rejection at a time in this process (bqw.web.batching)
BATCHES = Batcher()


class ServiceError(Exception):
    """A refusal: `status` is the HTTP status, `message` what the user reads (Chinese)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Submitter:
    name: str
    role: str  # LEADER (visit ledgers) or UNIT (the rectification lists)

    @property
    def kind(self) -> str:
        return "visits" if self.role == LEADER else RECTIFICATION_FAMILY


@dataclass
class CheckResult:
    pending: str
    file_name: str  # the upload's name as kept (made safe)
    report: dict  # bqw validate --format json's dict for this one file
    errors: int
    warnings: int
    file_submitter: str | None  # who the file says sent it (bqw.jobs.merge.submitter_of)
    submittable: bool
    refusal: str | None  # why it cannot be submitted, in Chinese

    @property
    def findings(self) -> list[dict]:
        return self.report["files"][0]["findings"]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SubmissionView:
    id: int
    kind: str
    kind_title: str
    period: str | None
    file_name: str
    arrived_at: str
    rows: int
    held: int
    status: str  # current | superseded | rejected
    status_zh: str  # 有效 / 已被更正件替换 / 已退回
    reason: str | None  # the office's reason when rejected

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class BoardEntry:
    submitter: str
    role: str
    kind: str
    status: str  # 按时报送 / 逾期报送 / 未报送 / 未到报送时限 (bqw.summary.reporting)
    due: str
    arrived: str | None
    days_late: int
    rows: int
    held: int
    findings: int  # findings on the current submissions' rows
    submissions: list[int] = field(default_factory=list)  # current submission ids, for reject
    files: list[str] = field(default_factory=list)
    rejected: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Board:
    period: str
    as_of: str
    entries: list[BoardEntry]

    @property
    def totals(self) -> dict:
        from bqw.summary.reporting import LATE, MISSING, NOT_DUE, ON_TIME

        count = {s: sum(e.status == s for e in self.entries) for s in (ON_TIME, LATE, MISSING, NOT_DUE)}
        return {"expected": len(self.entries), "on_time": count[ON_TIME], "late": count[LATE],
                "missing": count[MISSING], "not_due": count[NOT_DUE]}

    def to_dict(self) -> dict:
        return {"period": self.period, "as_of": self.as_of, "totals": self.totals,
                "entries": [e.to_dict() for e in self.entries]}


# --- places ------------------------------------------------------------------------------------

def serve_dir(cfg: Config) -> Path:
    return cfg.root / "serve"


def pending_dir(cfg: Config) -> Path:
    return serve_dir(cfg) / "pending"


def safe_upload_name(client_name: str, submitter: str) -> str:
    """The client's base name, made safe (no folder, nothing Windows refuses, no lock-file prefix), with the
    submitter's name added when it is not in it: a sheet that names nobody is then read as the
    authenticated submitter's (bqw reads a leader from “…-洪文泽.xlsx”). Raises 415 for a type not allowed."""
    from bqw.output.annotate import safe_stem

    base = re.split(r"[/\\]", client_name or "")[-1]
    ext = Path(base).suffix.lower()
    if ext not in ALLOWED:
        raise ServiceError(415, f"文件“{safe_stem(base, 80)}”的类型不能报送：只接受 "
                                + "、".join(ALLOWED) + " 文件")
    stem = re.sub(r"^(~\$|\.~)+", "", base[: -len(ext)])
    stem = safe_stem(stem, 120)
    if submitter not in stem:
        stem = safe_stem(f"{stem}-{submitter}", 160)
    return stem + ext


PENDING_DAYS = 7  # a checked upload not confirmed within a week is deleted (the unit uploads again)


def sweep_pending(cfg: Config, now: float | None = None) -> int:
    """Delete the checked uploads left unconfirmed longer than PENDING_DAYS; how many were deleted."""
    import shutil
    import time

    cutoff = (now if now is not None else time.time()) - PENDING_DAYS * 86400
    gone = 0
    root = pending_dir(cfg)
    for folder in root.iterdir() if root.is_dir() else ():
        meta = folder / "meta.json"
        try:
            stamp = (meta if meta.exists() else folder).stat().st_mtime
        except OSError:
            continue
        if _PENDING_ID.fullmatch(folder.name) and stamp < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            gone += 1
    return gone


def _pending_folder(cfg: Config, pending: str) -> Path:
    if not isinstance(pending, str) or not _PENDING_ID.fullmatch(pending):
        raise ServiceError(404, "没有这份待报送的文件（编号不对，或已报送、已过期），请重新上传")
    folder = pending_dir(cfg) / pending
    if not (folder / "meta.json").is_file():
        raise ServiceError(404, "没有这份待报送的文件（已报送或已过期），请重新上传")
    return folder


def pending_meta(cfg: Config, pending: str, submitter: str) -> tuple[Path, dict]:
    folder = _pending_folder(cfg, pending)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if meta["submitter"] != submitter:  # said as “not found” would hide nothing: the id is not guessable
        raise ServiceError(403, "这份文件不是您上传的，不能查看或报送")
    return folder, meta


# --- who reports -------------------------------------------------------------------------------

def submitters(cfg: Config) -> list[Submitter]:
    """Everyone who may report (gets a link): leaders from the assignments (or the roster's leading posts), units
    from the roster's 单位 and the archive's units with open tasks (bqw.io.expected)."""
    from bqw.io.expected import workspace_expected
    from bqw.jobs.validate import load_context
    from bqw.store.archive import Archive
    from bqw.store.rebuild import open_task_units

    leaders = sorted(workspace_expected(cfg).get("visits", set()))
    ctx, _reads = load_context(None, None, cfg.existing(cfg.roster), cfg=cfg)
    units = set(ctx.roster_units or ())
    if cfg.archive.exists():
        with Archive(cfg.archive) as store:
            units |= open_task_units(store)
    units -= set(leaders)
    return [Submitter(n, LEADER) for n in leaders] + [Submitter(n, UNIT) for n in sorted(units)]


def submitter_named(cfg: Config, name: str) -> Submitter | None:
    return next((s for s in submitters(cfg) if s.name == name), None)


# --- check, annotated copy, submit ---------------------------------------------------------------

def _validate(cfg: Config, path: Path):
    from bqw.jobs.validate import validate_file

    return validate_file(path, None, _context(cfg))


_CONTEXTS: dict = {}  # the last context read, by its lists' paths and file stamps


def _context(cfg: Config):
    """The workspace's lists (挂点安排表, 成员名单) read once and again only when a file changes: reading them
    was half of each check's time (bench/serve_load.py). Validation only reads a Context."""
    from bqw.jobs.validate import load_context

    paths = (cfg.existing(cfg.assignments), cfg.existing(cfg.roster))
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) if p is not None else None for p in paths)
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        ctx, _reads = load_context(None, *paths, cfg=cfg)
        _CONTEXTS.clear()
        _CONTEXTS[key] = ctx
    return ctx


def check(cfg: Config, data: bytes, filename: str, submitter: str) -> CheckResult:
    """Keep the upload under a server-chosen folder, validate it with the workspace's lists and settings,
    and say whether it may be submitted (it names its submitter, and it is readable)."""
    from bqw.core.findings import ERROR, WARNING
    from bqw.jobs.merge import submitter_of
    from bqw.jobs.validate import report_dict

    name = safe_upload_name(filename, submitter)
    limits = cfg.make_limits()  # the environment's BQW_MAX_FILE_MB, then bqw.toml [limits]
    if len(data) > limits.max_file_bytes:
        raise ServiceError(413, f"文件“{name}”超过 {limits.max_file_mb} MB，不能上传")
    sweep_pending(cfg)
    pending = uuid.uuid4().hex
    folder = pending_dir(cfg) / pending
    folder.mkdir(parents=True)
    path = folder / name
    path.write_bytes(data)
    result = _validate(cfg, path)
    report = report_dict([result])
    report["files"][0]["path"] = name  # the server's folders are nobody's business
    who = submitter_of(result) if result.tables else None
    refusal = None
    if result.skipped or not result.tables:
        refusal = "文件无法读取，不能报送：" + ("；".join(f.message for f in result.findings) or result.skipped or "")
    elif who != submitter:
        refusal = (f"这份台账写的报送人是“{who}”，不是“{submitter}”：只能报送本人（本单位）的台账。"
                   f"请核对表头的“挂点领导：”“填报单位：”或表中的姓名")
    meta = {"submitter": submitter, "name": name, "client_name": filename[-200:], "file_submitter": who,
            "refusal": refusal, "checked_at": datetime.now().astimezone().isoformat(timespec="seconds")}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return CheckResult(pending, name, report, sum(f.severity == ERROR for f in result.findings),
                       sum(f.severity == WARNING for f in result.findings), who, refusal is None, refusal)


def annotated(cfg: Config, pending: str, submitter: str) -> Path:
    """The annotated copy of a checked upload (findings marked at their cells, a 校验结果 sheet)."""
    from bqw.output.annotate import annotate

    folder, meta = pending_meta(cfg, pending, submitter)
    out = folder / "annotated"
    made = sorted(out.glob("*.xls*")) if out.is_dir() else []
    if made:
        return made[0]
    copy = annotate(_validate(cfg, folder / meta["name"]), out)
    if copy is None:
        raise ServiceError(422, "文件无法读取，没有可标注的内容")
    return copy


# --- what a submitter sees of their own ----------------------------------------------------------

STATUS_ZH = {"current": "有效", "superseded": "已被更正件替换", "rejected": "已退回"}


def submissions_of(cfg: Config, submitter: str) -> list[SubmissionView]:
    """Every submission archived under `submitter`'s name, newest first; a rejected one with the office's
    reason."""
    from bqw.output.ledger import kind_title
    from bqw.store.archive import Archive

    if not cfg.archive.exists():
        return []
    with Archive(cfg.archive) as store:
        subs = [s for s in store.submissions() if s.submitter == submitter]
        reasons = {r["submission_id"]: r["reason"] for r in store.db.execute(
            "SELECT submission_id, reason FROM events WHERE event='reject' ORDER BY id")}
    return [SubmissionView(s.id, s.kind, kind_title(s.kind), s.period, s.file_name, s.arrived_at, s.rows - s.held,
                           s.held, s.status, STATUS_ZH.get(s.status, s.status),
                           reasons.get(s.id) if s.status == "rejected" else None)
            for s in reversed(subs)]


def blank_template(cfg: Config, submitter: str, period: str) -> Path:
    """The blank template of the submitter's ledger, named so that bqw reads the leader (or unit) and the
    month from its name when the sheet is sent back filled in: “挂点调研台账（2026年10月）-洪文泽.xlsx”."""
    from bqw.core.periods import Period
    from bqw.output.annotate import safe_stem
    from bqw.output.template import write_template

    who = submitter_named(cfg, submitter)
    if who is None:
        raise ServiceError(403, f"“{submitter}”不在应报送名单中")
    try:
        month = Period.parse(period)
    except (ValueError, TypeError):
        raise ServiceError(422, f"期间“{period}”的写法不对，应为 年-月，如 2026-10")
    title = "挂点调研台账" if who.role == LEADER else "问题整改三张清单"
    folder = serve_dir(cfg) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    name = safe_stem(f"{title}（{month.label}）-{submitter}", 160) + ".xlsx"
    return write_template(who.kind, folder / name, year=month.start.year, unit=cfg.town)


# --- the office ---------------------------------------------------------------------------------

def board(cfg: Config, period: str | None, as_of: date | None = None) -> Board:
    """Every expected submitter for a month, judged as bqw run's 台账报送情况统计 judges them
    (bqw.summary.reporting: 按时 / 逾期 with days late / 未报送 / 未到报送时限, against bqw.toml's deadlines),
    with the rows, 待核实 rows and findings of their current submissions."""
    from bqw.core.periods import Period, PeriodKind
    from bqw.jobs.routine import current_period
    from bqw.store.archive import Archive

    as_of = as_of or date.today()
    try:
        month = Period.parse(period or current_period(as_of))
    except (ValueError, TypeError):
        raise ServiceError(422, f"期间“{period}”的写法不对，应为 年-月，如 2026-10")
    if month.kind is not PeriodKind.month:
        raise ServiceError(422, f"看板按月显示：期间应为 年-月，如 2026-10（现为“{period}”）")
    if not cfg.archive.exists():
        return Board(month.key, as_of.isoformat(), [_entry(r, [], {}) for r in _reports(cfg, None, month, as_of)])
    with Archive(cfg.archive) as store:
        reports = _reports(cfg, store, month, as_of)
        subs = [s for s in store.submissions() if s.kind == "visits" and s.period == month.key
                or s.kind == RECTIFICATION_FAMILY]
        counts = _finding_counts(store, [s.id for s in subs if s.status == "current"])
    mine = {}
    for s in subs:
        mine.setdefault((s.kind, s.submitter), []).append(s)
    return Board(month.key, as_of.isoformat(),
                 [_entry(r, mine.get((r["kind"], r["submitter"]), []), counts) for r in reports])


def _reports(cfg: Config, store, month, as_of: date) -> list[dict]:
    """The month's reports of bqw.summary.reporting (its `reports`); when the archive holds no report of the
    year yet, every leader's report judged as not having come."""
    from bqw.io.expected import workspace_expected
    from bqw.output.ledger import kind_title
    from bqw.summary.reporting import judge, reporting_from_archive

    expected = workspace_expected(cfg)
    found = None
    if store is not None:
        found = reporting_from_archive(store, period=month, as_of=as_of, expected=expected,
                                       deadline_days=cfg.deadline_days, titles={"visits": kind_title("visits")})
    if found is not None:
        return found.data["reports"]
    return [judge("visits", who, month.key, None, days=cfg.deadline_days("visits"), as_of=as_of).to_dict()
            for who in sorted(expected.get("visits", ()))]


def _entry(report: dict, subs: list, counts: dict) -> BoardEntry:
    current = [s for s in subs if s.status == "current"]
    role = LEADER if report["kind"] == "visits" else UNIT
    return BoardEntry(report["submitter"], role, report["kind"], report["status"], report["due"],
                      report["arrived"], report["days_late"], sum(s.rows - s.held for s in current),
                      sum(s.held for s in current), sum(counts.get(s.id, 0) for s in current),
                      [s.id for s in current], [s.file_name for s in current],
                      sum(s.status == "rejected" for s in subs))


def _finding_counts(store, ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for row in store.records(ids):
        found = json.loads(row["findings"] or "[]")
        out[row["submission_id"]] = out.get(row["submission_id"], 0) + len(found)
    return out


def reject(cfg: Config, submission_id: int, reason: str, by: str, as_of: date | None = None) -> None:
    """The office returns a current submission with a reason: it leaves the merged ledgers (it stays in the
    archive, rejected), the submitter sees it and why, and its period's out/ ledger and summaries are
    written again — all under the lock, in one archive transaction."""
    from bqw.jobs.routine import rewrite_period
    from bqw.store.archive import Archive
    from bqw.store.lock import LockBusy, locked

    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(422, "请填写退回原因")
    try:
        with BATCHES.exclusive(), locked(cfg.archive, timeout=LOCK_TIMEOUT), Archive(cfg.archive) as store:
            try:
                sub = store.get(submission_id)
            except IndexError:  # no such number
                sub = None
            if sub is None or sub.status != "current":
                raise ServiceError(404, f"没有可退回的报送（编号 {submission_id}）：不存在，或已被替换、已退回")
            def change(st) -> None:
                st.start_run("serve")
                st.reject(sub.id, f"{reason}（{by}退回）")

            rewrite_period(cfg, store, sub.kind, sub.period, as_of or date.today(), change)
    except LockBusy:
        raise ServiceError(503, "另一个 bqw 正在处理归档，请稍后再退回")

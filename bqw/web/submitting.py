"""Submitting a checked upload (bqw serve's 确认报送): it moves into the inbox and is processed as bqw run
processes a file, under the archive's lock, together with the confirmations queued meanwhile
(bqw.web.batching); each submitter gets the receipt of their own file. docs/serve.md, 报送.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from bqw.jobs.config import Config
from bqw.web import service
from bqw.web.service import BATCHES, ONLINE, ServiceError, pending_meta

SUBMIT_WAIT = 240.0  # seconds a confirmation may queue behind the batches before it (under nginx's 300 s)
BUSY = "办公室的 bqw 正在处理归档，本次未能报送，请稍后再点“确认报送”（已检查的文件仍保留）"


@dataclass
class Receipt:
    time: str
    file: str
    kind: str | None
    kind_title: str
    period: str | None
    status: str  # accepted | duplicate | unchanged | skipped (bqw.jobs.merge.FileOutcome)
    rows: int  # rows merged
    held: int  # rows held back (待核实)
    duplicates: int  # 1 when the content had been received before (counted once)
    submission_ids: list[int]
    superseded: list[str]  # earlier files this one replaced
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


def submit(cfg: Config, pending: str, submitter: str, as_of: date | None = None) -> Receipt:
    """Move a checked upload into the inbox and process it as bqw run would, under the archive's lock,
    together with the submissions queued meanwhile (bqw.web.batching: one run for many)."""
    folder, meta = pending_meta(cfg, pending, submitter)
    if meta.get("refusal"):
        raise ServiceError(422, meta["refusal"])
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
    move = Move(folder, folder / meta["name"], cfg.inbox / ONLINE / _folder_name(submitter) / stamp / meta["name"],
                submitter)
    try:
        return BATCHES.run(move, lambda jobs: _process(cfg, jobs, as_of or date.today()), SUBMIT_WAIT)
    except TimeoutError:
        raise ServiceError(503, BUSY) from None


@dataclass(frozen=True)
class Move:
    """A checked upload on its way into the inbox."""

    folder: Path  # serve/pending/<id>/
    source: Path
    target: Path
    submitter: str


def _process(cfg: Config, jobs: list, as_of: date) -> None:
    """One bqw run over the batch's files; each job gets its receipt (or a refusal)."""
    from bqw.jobs.routine import run
    from bqw.store.archive import Archive
    from bqw.store.lock import LockBusy, locked

    try:
        with locked(cfg.archive, timeout=service.LOCK_TIMEOUT):
            moved = []
            for job in jobs:
                m = job.payload
                if not m.source.is_file():  # the same confirmation sent twice at once: the first took it
                    job.error = ServiceError(404, "没有这份待报送的文件（已报送或已过期），请重新上传")
                    continue
                m.target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(m.source, m.target)  # inside the lock: a cron bqw run cannot take it first
                shutil.rmtree(m.folder, ignore_errors=True)
                moved.append(job)
            if not moved:
                return
            result = run(cfg, as_of=as_of, files=[job.payload.target for job in moved])
            with Archive(cfg.archive) as store:
                store.start_run("serve")
                for job in moved:
                    job.result = receipt = _receipt(result, job.payload.target)
                    store.event("submit", path=str(job.payload.target),
                                submission_id=(receipt.submission_ids or [None])[0],
                                reason=f"{job.payload.submitter}：{receipt.message}")
    except LockBusy:
        # nothing moved: the checked uploads stay pending, and the same confirmation works again later
        for job in jobs:
            job.error = ServiceError(503, BUSY)


def _folder_name(name: str) -> str:
    from bqw.output.annotate import safe_stem

    return safe_stem(name, 80)


def _receipt(result, target: Path) -> Receipt:
    from bqw.output.ledger import kind_title

    merged = result.merge
    o = next((o for o in (merged.outcomes if merged else []) if Path(o.path) == target), None)
    if o is None:
        raise ServiceError(500, "文件未能处理，请联系办公室")
    superseded = [s.old.file_name for s in merged.supersessions if s.new.id in o.submission_ids]
    new = o.status == "accepted"
    if o.status == "accepted":
        message = f"已报送：计入 {o.accepted} 行" + (f"，{o.held} 行有错误待核实" if o.held else "") + \
                  (f"；替换了此前报送的“{'、'.join(superseded)}”" if superseded else "")
    elif o.status in ("duplicate", "unchanged"):
        message = f"内容与此前收到的文件相同，只计一次：{o.reason}"
    else:
        message = f"未能计入：{o.reason}"
    return Receipt(datetime.now().astimezone().isoformat(timespec="seconds"), target.name, o.kind,
                   kind_title(o.kind) if o.kind else "", o.period, o.status, o.accepted if new else 0,
                   o.held if new else 0,
                   int(o.status == "duplicate"), list(o.submission_ids), superseded, message)

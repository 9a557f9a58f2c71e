"""`bqw run`: the month's routine in a workspace, for cron (docs/workspace.md, 每月例行).

New files in inbox/ are validated and merged into the archive; files with errors get an
annotated copy in out/退回/; each period touched gets its merged ledgers and summaries in
out/<period>/ (and, where the workspace allows, its 通报 and 简报); every run appends to the
log. A run with nothing new changes nothing and says so.

One archive transaction holds it all, in turn: the merge, the returned copies, each period's
ledger and summaries, the documents — all written staged (bqw.store.staging), so out/ changes
only if the archive commits.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bqw.core.faults import fault_point
from bqw.io.expected import workspace_expected
from bqw.io.inputs import real_path
from bqw.jobs.config import Config
from bqw.jobs.merge import MergeResult, merge
from bqw.ledgers.family import RECTIFICATION_FAMILY
from bqw.output.ledger import kind_title, write_merged
from bqw.store.archive import Archive
from bqw.store.rebuild import build_ledger
from bqw.store.staging import Staging

RETURNED = "退回"
NO_PERIOD = "未注明期间"


@dataclass
class RunResult:
    new_files: list[Path] = field(default_factory=list)
    unchanged: int = 0
    merge: MergeResult | None = None
    returned: list[Path] = field(default_factory=list)  # annotated copies written
    outputs: list[Path] = field(default_factory=list)
    summaries: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why the exit code is 1
    current: str | None = None  # the period whose 通报/简报 this run writes (current_period)
    backfilled: list[str] = field(default_factory=list)  # earlier months updated: documents only on request
    reporting: list = field(default_factory=list)  # the reporting summaries (按时/逾期/未报送) written

    @property
    def nothing_new(self) -> bool:
        return not self.new_files

    def to_dict(self) -> dict:
        from bqw.core.values import display_name

        return {"new_files": [display_name(str(p)) for p in self.new_files], "unchanged_files": self.unchanged,
                "returned": [str(p) for p in self.returned], "outputs": [str(p) for p in self.outputs],
                "problems": self.problems, "current_period": self.current, "backfilled": self.backfilled,
                "merge": self.merge.to_dict() if self.merge else None,
                "reporting": [r.to_json() for r in self.reporting]}


def run(cfg: Config, *, period: str | None = None, as_of: date | None = None, workers: int | None = None,
        progress=None, files: list[Path] | None = None) -> RunResult:
    """Process the workspace's inbox once; the caller holds the lock. `files`: only these files of the inbox
    (a submission from bqw serve), processed exactly as the inbox's new files are."""
    from bqw.io.inputs import collect_inputs
    from bqw.jobs.validate import load_context

    as_of = as_of or date.today()
    out = RunResult()
    if files is None:
        files, _missing, others = collect_inputs([cfg.inbox]) if cfg.inbox.exists() else ([], [], [])
        files = files + others
    is_own = own_filter(cfg)
    files = [f for f in files if not is_own(f)]
    with Archive(cfg.archive) as store:
        _leftovers(cfg, store)
        # files not seen before; entries that are not files (a folder named x.xlsx, a dangling link)
        # are read too, so that they are reported
        setup = reading_setup(cfg)
        fresh = [f for f in files if not (f.is_file() and store.is_seen(f, setup))]
        out.unchanged = len(files) - len(fresh)
        out.new_files = fresh
        if not fresh:
            return out
        assignments = cfg.existing(cfg.assignments)
        roster = cfg.existing(cfg.roster)
        month = _month_only(period)  # files are read and filed by their month; a longer period is for the documents
        ctx, _reads = load_context(month, assignments, roster, cfg=cfg)
        expected = workspace_expected(cfg)
        stage = Staging(cfg.out)  # out/ changes only when the archive commits (bqw.store.staging)
        with stage.transaction(store):  # a failed write leaves the archive unchanged
            out.merge = result = merge(fresh, period=month, as_of=as_of, archive=store, ctx=ctx, expect=expected,
                                       workers=workers, progress=progress, command="run")
            for o in result.outcomes:
                if o.path.is_file():
                    store.mark_seen(o.path, o.status, setup)
            _return_rejected(cfg, result, out, stage)
            ledgers = {(fam, p): _period_outputs(cfg, store, result, fam, p, as_of, ctx, expected, out, stage)
                       for fam, periods in result.periods.items() for p in periods}
            _documents(cfg, store, result, as_of, out, stage, ledgers, period)
            fault_point("run-outputs-written")
        if stage.failed is not None:  # after the commit (a file held open): the next run moves the rest
            e = stage.failed
            out.problems.append(f"有输出文件未能移到 {e.filename}（{e.strerror}），本次的数据已存入归档，下次运行时自动补上")
    _problems(out.merge, out)
    return out


def rewrite_period(cfg: Config, store: Archive, fam: str, period, as_of: date, change) -> RunResult:
    """`change(store)` (bqw serve: the office rejects a submission), then one (kind, period)'s out/ ledger and
    summaries written again from the archive as a run writes them, in one archive transaction (staged);
    the caller holds the lock."""
    from bqw.jobs.validate import load_context

    ctx, _reads = load_context(None, cfg.existing(cfg.assignments), cfg.existing(cfg.roster), cfg=cfg)
    out, stage = RunResult(), Staging(cfg.out)
    with stage.transaction(store):
        change(store)
        result = MergeResult(ledgers={fam: build_ledger(store, fam, [period], as_of)}, periods={fam: [period]},
                             as_of=as_of)
        _period_outputs(cfg, store, result, fam, period, as_of, ctx, workspace_expected(cfg), out, stage)
    return out


def own_filter(cfg: Config):
    """A test of whether a path is bqw's or the workspace's, never a submission whatever bqw.toml says (it
    refuses an inbox holding them: bqw.jobs.config._check_inbox): what bqw wrote (out/), the lists (名单/,
    the roster, the assignments), the 通报/简报 bases bqw init puts in templates/, bqw.toml, the log, the
    archive and the files beside it (-wal, -shm, .lock). The workspace's own places are resolved once, not
    once per file of the inbox."""
    from bqw.documents.common import TEMPLATE_DIR

    folders = [real_path(f) for f in (cfg.out, cfg.root / "名单", cfg.root / TEMPLATE_DIR)]
    files = {real_path(p) for p in (cfg.roster, cfg.assignments, cfg.path, cfg.log) if p is not None}
    archive = real_path(cfg.archive)

    def is_own(path: Path) -> bool:
        where = real_path(path)
        return (where in files or any(where == f or f in where.parents for f in folders)
                or where.parent == archive.parent and where.name.startswith(archive.name))

    return is_own


def reading_setup(cfg) -> str:
    """The settings a file is read with, as a short digest: the limits, the office's own header wordings
    and enum values. A file read before is read again when they change (a wording taught, a limit raised)."""
    import hashlib
    from dataclasses import asdict

    text = json.dumps({"limits": asdict(cfg.make_limits()), "aliases": cfg.aliases, "enums": cfg.enums},
                      ensure_ascii=False, sort_keys=True, default=list)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _leftovers(cfg: Config, store: Archive) -> None:
    """What a killed run left: outputs it committed but had not all moved into out/ are moved now;
    its staging folder, had it not committed, and LibreOffice's temporary folders are removed."""
    from bqw.documents.render import clean_stale
    from bqw.store.staging import recover

    moved = recover(store, cfg.out)
    if moved:
        log_line(cfg, f"run: 上次运行已归档、尚未移入 {cfg.out} 的 {len(moved)} 个输出文件已补齐")
    clean_stale()


def current_period(as_of: date) -> str:
    """The month a run reports on: the as-of month once it has ended (as-of its last day), else the month
    before (a run on 3 November reports October)."""
    from bqw.core.periods import Period

    month = Period.month_of(as_of)
    return month.key if as_of == month.end else month.previous().key


def _month_only(period: str | None) -> str | None:
    from bqw.core.periods import Period, PeriodKind

    return period if period and Period.parse(period).kind is PeriodKind.month else None


def _documents(cfg, store, result: MergeResult, as_of: date, out: RunResult, stage: Staging, ledgers: dict,
               chosen: str | None = None) -> None:
    """The current period's 通报 and 简报 (--period, else current_period), once its ledgers and summaries
    exist (docs/documents.md); `ledgers`: the merged ledger of each (kind, period) written, passed on rather
    than rebuilt. Numbered documents are written for the current period only: a late file for an earlier
    month updates that month's ledgers and summaries, and its documents are made on request (bqw tongbao
    --period …), so back-filled months use up no numbers.

    A failure here is logged and reported, but does not undo the merge: the ledgers are the
    record, the documents can be made again with bqw tongbao / bqw jianbao.
    """
    from bqw.core.periods import Period

    current = Period.parse(chosen or current_period(as_of))
    touched = {p for fam, ps in result.periods.items() for p in ps if fam == "visits" and p}
    out.current = current.key
    out.backfilled = sorted(p for p in touched if p < current.months[0])
    wanted = chosen is not None or touched & set(current.months) or RECTIFICATION_FAMILY in result.periods
    for period in [current.key] if wanted else []:
        try:
            from bqw.jobs.documents import write_all

            written = write_all(cfg, store, period, as_of, stage.path(cfg.out / period), day=as_of,
                                visit_ledger=ledgers.get(("visits", period)))
            out.outputs += [stage.final(p) for p in written]
        except Exception as e:  # noqa: BLE001 — see docstring
            import traceback

            log_line(cfg, f"run: {period} 的通报/简报未能生成：{type(e).__name__}: {e}",
                     "".join(traceback.format_exception(e)))
            out.problems.append(f"{period} 的通报/简报未能生成（{type(e).__name__}），详见运行日志")


def _return_rejected(cfg: Config, result: MergeResult, out: RunResult, stage: Staging) -> None:
    from bqw.output.annotate import annotate

    folder = stage.path(cfg.out / RETURNED)
    taken: set[str] = set()  # 台账.xlsx and 台账.csv must not overwrite each other's copy
    for o in result.outcomes:
        if not o.rejected or o.result is None:
            continue
        if not o.result.tables:  # unreadable: nothing to mark up; say why in a small workbook instead
            out.returned.append(stage.final(_note_unreadable(folder, o, taken)))
            continue
        copy = annotate(o.result, folder, taken)
        if copy is not None:
            out.returned.append(stage.final(copy))


def _note_unreadable(folder: Path, o, taken: set) -> Path:
    """A one-sheet workbook saying why a file could not be read at all."""
    from bqw.output import xlsx as xlsxout
    from bqw.output.annotate import unique_name

    import pandas as pd

    frame = pd.DataFrame({"文件": [o.name] * max(1, len(o.findings)),
                          "问题说明": [f.message for f in o.findings] or [o.reason]})
    path = folder / unique_name(o.path.stem, "（无法读取）", ".xlsx", taken)

    def build(wb, styles):
        xlsxout.write_table(wb, styles, "校验结果", "文件无法读取，请按说明处理后重新提交", frame,
                            {"文件": 40, "问题说明": 70})

    return xlsxout.save(path, build)


def _period_outputs(cfg, store, result: MergeResult, fam: str, period, as_of: date, ctx, expected, out,
                    stage: Staging) -> dict:
    """out/<period>/: the merged ledger and the summaries for one kind and period (written staged);
    returns the ledger."""
    # visits are monthly; other lists are running lists, filed under the as-of month when undated
    name = period or (NO_PERIOD if fam == "visits" else as_of.strftime("%Y-%m"))
    folder = stage.path(cfg.out / name)
    # the merge's own ledger when it touched this period alone; otherwise this period's
    ledger = result.ledgers[fam] if result.periods[fam] == [period] else build_ledger(store, fam, [period], as_of)
    one = MergeResult(outcomes=[o for o in result.outcomes if o.kind == fam and (period in o.periods or
                                                                                    o.status == "skipped")],
                      supersessions=[s for s in result.supersessions if s.new.kind == fam and s.new.period == period],
                      ledgers={fam: ledger}, periods={fam: [period]}, as_of=as_of)
    if fam in result.not_submitted:
        one.not_submitted = {fam: result.not_submitted[fam]}
    out.outputs.append(stage.final(write_merged(one, fam, folder / f"{kind_title(fam)}（合并）.xlsx")))
    if period and len(period) == 7 and not any(r.data["period"]["period"] == period for r in out.reporting):
        _reporting_outputs(cfg, store, period, as_of, expected, out, stage, folder)  # once a month, every kind
    summary = _summary(cfg, store, fam, period, as_of, ctx, expected)
    if summary is None:
        return ledger
    out.summaries.append(summary)
    _write_summary(summary, folder / f"{kind_title(fam)}统计", out, stage)
    return ledger


REPORTING_STEM = "台账报送情况统计"  # in out/<month>/, beside the merged ledgers whose reports it judges


def _reporting_outputs(cfg, store, period: str, as_of: date, expected, out: RunResult, stage: Staging,
                       folder: Path) -> None:
    """out/<period>/台账报送情况统计: 按时 / 逾期 (days late) / 未报送 against bqw.toml's deadlines, and the
    year's repeats (bqw.summary.reporting)."""
    from bqw.summary.reporting import reporting_from_archive

    found = reporting_from_archive(store, period=period, as_of=as_of, expected=expected,
                                   deadline_days=cfg.deadline_days,
                                   titles={fam: kind_title(fam) for fam in ("visits", RECTIFICATION_FAMILY)})
    if found is not None:
        out.reporting.append(found)
        _write_summary(found, folder / REPORTING_STEM, out, stage)


def _write_summary(summary, stem: Path, out: RunResult, stage: Staging) -> None:
    """A summary's workbook, Markdown and JSON beside each other (written staged)."""
    from bqw.output import reports as report

    out.outputs.append(stage.final(report.write_xlsx([summary], stem.with_suffix(".xlsx"))))
    from bqw.core.atomic import write_text
    from bqw.output.jsontext import dumps, with_version

    write_text(stem.with_suffix(".md"), report.to_markdown([summary]))
    write_text(stem.with_suffix(".json"), dumps(with_version(report.to_json([summary], copy=False))))
    out.outputs += [stage.final(stem.with_suffix(".md")), stage.final(stem.with_suffix(".json"))]


def _summary(cfg, store, fam: str, period, as_of: date, ctx, expected):
    from bqw.jobs.data import summaries

    found = summaries(cfg, store, period=period if fam == "visits" else (period or as_of.strftime("%Y-%m")),
                      as_of=as_of, kinds=(fam,), assignments=ctx.assignments, expected=expected)
    return found.get(fam)


def _problems(result: MergeResult, out: RunResult) -> None:
    rejected = [o.name for o in result.outcomes if o.rejected]
    if rejected:
        out.problems.append(f"{len(rejected)} 个文件有错误，已写出退回件：" + "、".join(rejected))
    for fam, who in result.not_submitted.items():
        if who:
            out.problems.append(f"{kind_title(fam)}未报送：" + "、".join(who))
    for s in out.summaries:
        data = s.to_json()
        overdue = data.get("totals", {}).get("overdue") if data.get("kind") == RECTIFICATION_FAMILY else None
        if overdue:
            out.problems.append(f"逾期任务 {overdue} 项")
    for r in out.reporting:
        late = [x for x in r.data["reports"] if x["status"] == "逾期报送"]
        if late:
            out.problems.append("逾期报送：" + "、".join(f"{x['submitter']}（{x['period']}，逾期{x['days_late']}天）"
                                                      for x in late))
        if r.data["repeated"]:
            out.problems.append("多次逾期或未报送：" + "；".join(f"{x['submitter']}{x['text']}" for x in r.data["repeated"]))


# a line break or control character in a file name (Linux allows all but “/”) would split a log line
_ONE_LINE = {i: f"\\x{i:02x}" for i in (*range(32), 0x7f, 0x85)} | {
    ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"}


LOG_MAX_BYTES = 1_000_000  # about ten years of daily runs' lines; tracebacks fill it sooner
LOG_KEPT = 2  # older logs kept beside it: bqw.log.1 (the newest), bqw.log.2


def _rotate(log: Path) -> None:
    """A log past LOG_MAX_BYTES becomes bqw.log.1 (the older ones move up, the oldest is dropped), so that
    the log of a workspace run from cron never fills the disk. Never raises: a log that cannot be moved
    (open in an editor on Windows) is written on as it is."""
    try:
        if log.stat().st_size < LOG_MAX_BYTES:
            return
        for n in range(LOG_KEPT, 1, -1):
            older = log.with_name(f"{log.name}.{n - 1}")
            if older.exists():
                os.replace(older, log.with_name(f"{log.name}.{n}"))
        os.replace(log, log.with_name(f"{log.name}.1"))
    except OSError:
        return


def log_line(cfg: Config, text: str, detail: str = "") -> Path:
    """Append one line to the workspace log: the time, the version of bqw (“bqw 0.1.0”), `text` with line
    breaks and control characters escaped (“\\n”), then `detail` (a traceback) as it is, on the lines below.

    The version is on every line rather than on a line of its own: a run writes one line (its conclusion,
    or why it stopped), so each run says which bqw it was without doubling the log."""
    from bqw.core.version import VERSION

    cfg.log.parent.mkdir(parents=True, exist_ok=True)
    _rotate(cfg.log)
    with open(cfg.log, "a", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(f"{datetime.now().astimezone().isoformat(timespec='seconds')} bqw {VERSION} "
                 f"{text.translate(_ONE_LINE)}\n" + (detail.rstrip("\n") + "\n" if detail else ""))
    return cfg.log

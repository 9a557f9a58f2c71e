"""`bqw merge` and `bqw history`."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from bqw.cli.common import check_output, lock_busy, one_file, progress, protected, reference, workspace
from bqw.cli.exit import ExitCode, os_message
from bqw.cli.options import (AsOfOpt, AssignmentsOpt, Format, FormatOpt, KindOpt, LockTimeoutOpt, PeriodOpt,
                             QuietOpt, RosterOpt, check_date, check_kind, check_month, check_period,
                             usage_error)


def merge_cmd(
    ctx: typer.Context,
    inputs: Annotated[List[Path], typer.Argument(
        metavar="INPUTS...", help="本月收到的文件、文件夹（递归查找）或通配符", show_default=False)],
    out: Annotated[Path, typer.Option("--output", "-o", metavar="OUT.xlsx", help="合并后的台账文件")],
    kind: KindOpt = None,
    period: PeriodOpt = None,
    as_of: AsOfOpt = None,
    expect: Annotated[Optional[Path], typer.Option(
        "--expect", metavar="FILE", help="应报名单：挂点安排表或成员名单，用于列出本期未报送的（催报）")] = None,
    assignments: AssignmentsOpt = None,
    roster: RosterOpt = None,
    archive: Annotated[Optional[Path], typer.Option(
        "--archive", metavar="PATH", help="归档数据库；默认为工作区的归档，没有工作区时为当前文件夹的 bqw.db")] = None,
    no_archive: Annotated[bool, typer.Option("--no-archive", help="不使用归档，只合并本次给出的文件")] = False,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
    lock_timeout: LockTimeoutOpt = 60.0,
):
    """合并本月各单位的台账（去重、更正替换、待核实、催报、归档）。

    重复提交只计一次，更正件替换旧件，有错误的行放进“待核实”，列出未报送的单位或领导（催报），
    所有收到的内容存入归档。

    示例：

      bqw merge 收件箱/2026-10/ -o 汇总/挂点调研台账（10月）.xlsx --expect 挂点安排表.xlsx

      bqw merge 收件箱/ --kind tasks -o 问题整改台账.xlsx --as-of 2026-10-31 --no-archive
    """
    cfg = workspace(ctx)  # a broken bqw.toml is reported before anything else
    kind = check_kind(kind)
    period = check_month(period, "merge")
    as_of_date = check_date(as_of, "--as-of")
    if out.suffix.lower() != ".xlsx":
        raise usage_error("合并结果只能保存为 .xlsx 文件，请把 -o 的文件名改为以 .xlsx 结尾")
    files = _inputs(inputs)
    from bqw.jobs.validate import load_context
    from bqw.output.ledger import FAMILY_TITLE, output_paths

    protect = protected(cfg, *inputs, *files, expect, assignments, roster)
    protect.add(None if no_archive else archive or cfg.archive, "归档")
    for path in [out, *output_paths(out, list(FAMILY_TITLE)).values()]:  # one workbook per kind when several
        check_output(path, protect)
    context, _reads = load_context(
        period, reference(assignments, "--assignments", cfg.assignments), reference(roster, "--roster", cfg.roster),
        cfg=cfg)
    expected = _expected(cfg, expect)
    archive = archive or cfg.archive
    merging = dict(kind=kind, period=period, as_of=as_of_date, ctx=context, expect=expected, command="merge")
    result, stage = _merge_and_write(files, out, ":memory:" if no_archive else archive, lock_timeout,
                                     progress_off=quiet or fmt == Format.json, merging=merging)
    _report(result, stage, fmt, quiet)


def _inputs(inputs: list[Path]) -> list[Path]:
    """The files to merge: spreadsheets first, then the other entries found (noted and skipped)."""
    from bqw.io.inputs import collect_inputs

    files, missing, others = collect_inputs(inputs)
    if missing:
        raise usage_error("找不到：" + "、".join(str(m) for m in missing))
    if not files:
        raise usage_error("没有找到要合并的表格文件（.xlsx .xlsm .xls .csv）")
    return files + others


def _expected(cfg, expect: Path | None) -> dict | None:
    """Who should report: --expect's list, else the workspace's; None outside a workspace."""
    from bqw.io.expected import expected_from, workspace_expected

    if expect is not None:
        expected, _res = expected_from(one_file(expect, "--expect"), cfg.aliases)
        if not expected:  # neither leaders nor units could be read from it
            raise usage_error(f"--expect 应为挂点安排表或成员名单，无法从 {expect} 读出应报名单")
        return expected
    return workspace_expected(cfg) if cfg.path is not None else None  # a workspace knows who should report


def _merge_and_write(files: list[Path], out: Path, target, lock_timeout: float, progress_off: bool, merging: dict):
    """Merge into the archive `target` (":memory:": none) and write the workbooks in one transaction:
    the workbooks are staged and moved into place after the commit (bqw.store.staging)."""
    from bqw.jobs.merge import merge
    from bqw.output.ledger import output_paths, write_merged
    from bqw.store.archive import Archive, ArchiveError
    from bqw.store.lock import LockBusy, locked
    from bqw.store.staging import Staging, recover

    try:
        with (locked(target, timeout=lock_timeout) if target != ":memory:" else nullcontext()):
            with Archive(target) as store, progress(len(files), progress_off) as tick:
                recover(store, out.parent)  # a killed merge's outputs: moved in if it committed, else removed
                stage = Staging(out.parent)
                with stage.transaction(store):
                    result = merge(files, archive=store, progress=tick, **merging)
                    for fam, path in output_paths(out, list(result.ledgers)).items():
                        result.outputs.append(stage.final(write_merged(result, fam, stage.path(path))))
    except LockBusy as e:
        raise lock_busy(e, target, lock_timeout)
    except ArchiveError as e:
        raise usage_error(str(e))
    return result, stage


def _report(result, stage, fmt: Format, quiet: bool) -> None:
    """The result on stdout; the exit code: a workbook not moved into place is 2, data problems 1."""
    from bqw.output.terminal import print_merge

    if fmt == Format.json:
        from bqw.output.jsontext import dumps, with_version

        typer.echo(dumps(with_version(result.to_dict())))
    else:
        print_merge(result, quiet=quiet)
    if stage.failed is not None:  # after the commit: archived, the workbook not yet in its place
        typer.echo(os_message(stage.failed) + "合并结果已存入归档，下次运行 bqw merge 或 bqw run 时会自动移到该位置。",
                   err=True)
        raise typer.Exit(ExitCode.USAGE)
    raise typer.Exit(ExitCode.OK if result.clean and result.outputs else ExitCode.DATA)


def history_cmd(
    ctx: typer.Context,
    kind: KindOpt = None,
    period: PeriodOpt = None,
    archive: Annotated[Optional[Path], typer.Option(
        "--archive", metavar="PATH", help="归档数据库；默认为工作区的归档")] = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
):
    """查看归档中的提交记录、更正替换、重复提交和跳过的文件。

    示例：

      bqw history --kind visits --period 2026-10

      bqw history --archive 归档/bqw.db --format json
    """
    kind = check_kind(kind)
    period = check_period(period)
    archive = archive or workspace(ctx).archive
    if not archive.exists():
        raise usage_error(f"归档 {archive} 不存在（先用 bqw merge 合并一次）")
    from bqw.ledgers.family import family
    from bqw.output.terminal import print_history
    from bqw.store.archive import Archive, ArchiveError

    try:
        with Archive(archive) as store:
            subs = store.submissions(kind=family(kind), periods=_months(period))
            events = store.events()
    except ArchiveError as e:
        raise usage_error(str(e))
    if fmt == Format.json:
        from dataclasses import asdict

        from bqw.output.jsontext import dumps, with_version

        ids = {s.id for s in subs}
        typer.echo(dumps(with_version({"submissions": [asdict(s) for s in subs],
                                       "events": [dict(e) for e in events
                                                  if kind is None and period is None or e["submission_id"] in ids
                                                  or e["other_id"] in ids]})))
    else:
        print_history(subs, events, filtered=kind is not None or period is not None, quiet=quiet)


def _months(period: str | None) -> list[str] | None:
    """The archived months (“YYYY-MM”) a --period of any kind covers; None: every period."""
    from bqw.core.periods import Period

    return list(Period.parse(period).months) if period else None


COMMANDS = {"merge": merge_cmd, "history": history_cmd}

"""`bqw summarise`: progress against targets, overdue items and pace, from files or the archive."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from bqw.cli.common import check_output, protected, reference, workspace
from bqw.cli.exit import ExitCode
from bqw.cli.options import (AsOfOpt, AssignmentsOpt, KindOpt, PeriodOpt, QuietOpt, check_date, check_kind,
                             check_period, usage_error)

SUMMARY_KINDS = ("visits", "tasks", "roster", "scores", "decisions")
# shown with the others when no --kind is given: 台账报送情况 (who reported the visit ledgers on time)
REPORTING = "reporting"


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    xlsx = "xlsx"


def summarise_cmd(
    ctx: typer.Context,
    inputs: Annotated[Optional[List[Path]], typer.Argument(
        metavar="[INPUTS...]", help="要统计的文件或文件夹；不填则统计工作区归档中的数据", show_default=False)] = None,
    kind: KindOpt = None,
    period: PeriodOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="输出格式：table、json、md（Markdown）或 xlsx")]
    = ReportFormat.table,
    out: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="输出文件（xlsx 必填；md、json 写 - 或不填则输出到屏幕）")] = None,
    assignments: AssignmentsOpt = None,
    details: Annotated[bool, typer.Option("--details", help="表格和 Markdown 中也列出明细表")] = False,
    quiet: QuietOpt = False,
):
    """统计进度：挂点调研完成情况与序时进度、任务办结与逾期、成员名单、典型村得分、台账报送情况。

    示例：

      bqw summarise --period 2026-10 --format md

      bqw summarise 收件箱/2026-10/ --kind visits --as-of 2026-10-31 --format xlsx -o 统计.xlsx
    """
    cfg = workspace(ctx)
    kind = check_kind(kind)
    period = check_period(period)
    as_of_date = check_date(as_of, "--as-of")
    if out is not None and str(out) == "-":  # “-o -”: the text to standard output, as without -o
        if fmt == ReportFormat.xlsx:
            raise usage_error("xlsx 格式不能写到屏幕（-o -），请用 -o 指定 .xlsx 文件")
        out = None
    if fmt == ReportFormat.xlsx and out is None:
        raise usage_error("--format xlsx 需要用 -o 指定输出文件")
    if out is not None and fmt == ReportFormat.xlsx and out.suffix.lower() != ".xlsx":
        raise usage_error("xlsx 格式的输出文件应以 .xlsx 结尾")
    check_output(out, protected(cfg, *(inputs or ()), assignments).add(None if inputs else cfg.archive, "归档"))
    from datetime import date

    from bqw.io.expected import workspace_expected
    from bqw.jobs.data import summaries
    from bqw.jobs.validate import load_context
    from bqw.ledgers.family import family
    from bqw.store.archive import ArchiveError

    as_of_date = as_of_date or date.today()
    kinds = (family(kind),) if kind else (*SUMMARY_KINDS, REPORTING)
    if kind and family(kind) not in SUMMARY_KINDS:
        raise usage_error(f"{kind} 没有统计，可统计的类型：" + "、".join(SUMMARY_KINDS))
    context, _reads = load_context(period, reference(assignments, "--assignments", cfg.assignments), None, cfg=cfg)
    expected = workspace_expected(cfg)
    try:
        store = _store(cfg, inputs, merging=dict(kind=kind, period=period, as_of=as_of_date, ctx=context,
                                                 expect=expected, command="summarise"))
        with store:
            if period is None:  # the latest month with visit ledgers
                months = [p for p in store.periods("visits") if p]
                period = months[-1] if months else None
            found = summaries(cfg, store, period=period, as_of=as_of_date, kinds=kinds,
                              assignments=context.assignments, expected=expected)
    except ArchiveError as e:
        raise usage_error(str(e))
    if not found:
        raise usage_error("没有可统计的数据" + (f"（期间 {period}）" if period else "") + "；请检查 --kind、--period 或输入文件")
    from bqw.output import reports as report

    picked = [found[k] for k in (*SUMMARY_KINDS, REPORTING, "evaluation", "progress") if k in found]  # a year's, a quarter's
    if fmt == ReportFormat.xlsx:
        path = report.write_xlsx(picked, out)
        typer.echo(f"已写出：{path}")
    elif fmt == ReportFormat.json:
        from bqw.output.jsontext import dumps, with_version

        _emit(dumps(with_version(report.to_json(picked, copy=False))), out)
    elif fmt == ReportFormat.md:
        _emit(report.to_markdown(picked, details=details), out)
    else:
        from bqw.output.terminal import print_summaries

        print_summaries(picked, details=details, quiet=quiet)
    raise typer.Exit(ExitCode.OK)


def _store(cfg, inputs: list[Path] | None, merging: dict):
    """The archive to count: the files given, merged into a throw-away one, else the workspace's."""
    from bqw.store.archive import Archive

    if not inputs:
        if not cfg.archive.exists():
            raise usage_error(f"归档 {cfg.archive} 不存在：请给出要统计的文件，或先用 bqw merge / bqw run 合并")
        return Archive(cfg.archive)
    from bqw.io.inputs import collect_inputs
    from bqw.jobs.merge import merge

    files, missing, _others = collect_inputs(inputs)
    if missing:
        raise usage_error("找不到：" + "、".join(str(m) for m in missing))
    store = Archive(":memory:")
    with store.transaction():
        merge(files, archive=store, **merging)
    return store


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text + "\n")  # not typer.echo: it scans the whole text for colour codes
        sys.stdout.flush()
    else:
        from bqw.core.atomic import write_text

        write_text(out, text)
        typer.echo(f"已写出：{out}")


COMMANDS = {"summarise": summarise_cmd}

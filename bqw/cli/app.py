"""The `bqw` command: a thin typer layer over the library (bqw.io, bqw.validate, bqw.template)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from bqw.cli.exit import ExitCode
from bqw.cli.options import (AssignmentsOpt, Format, FormatOpt, KindOpt, PeriodOpt, RosterOpt,
                             check_date, check_kind, check_period, usage_error)

app = typer.Typer(
    name="bqw",
    help="百千万工程台账工具：校验、合并、统计报表，生成通报与简报。\n\n"
         "bqw (百千万工程 ledger toolkit): validate, merge and summarise the ledgers offices keep.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.command("validate")
def validate_cmd(
    paths: Annotated[List[Path], typer.Argument(
        metavar="PATH...", help="要校验的文件或文件夹（文件夹内的表格会全部校验）", show_default=False)],
    kind: KindOpt = None,
    assignments: AssignmentsOpt = None,
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = Format.table,
    annotate: Annotated[Optional[Path], typer.Option(
        "--annotate", metavar="DIR",
        help="为每个文件写一份标注副本到 DIR：问题单元格标红（错误）或标黄（警告）并附批注，另加“校验结果”表，可直接退回填报单位")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出每个文件的结论")] = False,
):
    """校验上报的台账，逐格指出问题所在的单元格。

    示例：

      bqw validate 收件箱/ --assignments 挂点安排表.xlsx --annotate 退回/

      bqw validate 台账.xlsx --kind visits --period 2026-10 --format json
    """
    kind = check_kind(kind)
    period = check_period(period)
    from bqw.cli.files import collect_inputs
    from bqw.render import print_validation
    from bqw.validate import load_context, report_dict, validate_file

    files, missing, others = collect_inputs(paths)
    if missing:
        raise usage_error("找不到：" + "、".join(str(m) for m in missing))
    if not files:
        raise usage_error("没有找到可校验的表格文件（.xlsx .xlsm .xls .csv）")
    from bqw.table import ReadResult

    ctx, context_reads = load_context(period, _one_file(assignments, "--assignments"),
                                      _one_file(roster, "--roster"))
    for res in context_reads:
        if not res.tables:  # the reference file itself cannot be used: a usage problem
            print_validation([res], fmt="table", stream=sys.stderr)
            raise usage_error(f"无法使用参考文件 {res.path}")
    results = [validate_file(f, kind, ctx) for f in files]
    results += [ReadResult(path=f, skipped="不是表格文件，已跳过") for f in others]
    if annotate is not None:
        from bqw.annotate import annotate_all

        annotate_all(results, annotate)
    if fmt == Format.json:
        import json

        typer.echo(json.dumps(report_dict(results), ensure_ascii=False, indent=2))
    else:
        print_validation(results, fmt="table", quiet=quiet)
    bad = any(not r.valid and r.skipped is None for r in results)
    raise typer.Exit(ExitCode.DATA if bad else ExitCode.OK)


@app.command("template")
def template_cmd(
    kind: Annotated[str, typer.Argument(metavar="KIND", help="台账类型：visits assignments roster tasks scores 等")],
    out: Annotated[Path, typer.Option("--output", "-o", metavar="FILE.xlsx", help="输出文件")],
    year: Annotated[Optional[int], typer.Option("--year", help="标题中的年度，如 2026")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="标题中的单位名称，如 平安镇")] = None,
):
    """生成空白填报模板（含下拉选项和填表说明）。

    示例：

      bqw template visits -o 挂点调研台账模板.xlsx --year 2026 --unit 平安镇

      bqw template tasks -o 问题整改三清单模板.xlsx
    """
    kind = check_kind(kind)
    if out.suffix.lower() != ".xlsx":
        raise usage_error("模板只能保存为 .xlsx 文件，请把 -o 的文件名改为以 .xlsx 结尾")
    from bqw.template import write_template

    path = write_template(kind, out, year=year, unit=unit)
    typer.echo(f"已生成模板：{path}")


@app.command("merge")
def merge_cmd(
    inputs: Annotated[List[Path], typer.Argument(
        metavar="INPUTS...", help="本月收到的文件、文件夹（递归查找）或通配符", show_default=False)],
    out: Annotated[Path, typer.Option("--output", "-o", metavar="OUT.xlsx", help="合并后的台账文件")],
    kind: KindOpt = None,
    period: PeriodOpt = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="统计日，用于计算任务是否逾期；默认今天")] = None,
    expect: Annotated[Optional[Path], typer.Option(
        "--expect", metavar="FILE", help="应报名单：挂点安排表或成员名单，用于列出本期未报送的（催报）")] = None,
    assignments: AssignmentsOpt = None,
    roster: RosterOpt = None,
    archive: Annotated[Path, typer.Option("--archive", metavar="PATH", help="归档数据库")] = Path("bqw.db"),
    no_archive: Annotated[bool, typer.Option("--no-archive", help="不使用归档，只合并本次给出的文件")] = False,
    fmt: FormatOpt = Format.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度和明细，只输出结论")] = False,
    lock_timeout: Annotated[float, typer.Option("--lock-timeout", metavar="秒",
                                                help="另一个 bqw 正在使用归档时最多等待的秒数")] = 60.0,
):
    """合并本月各单位的台账：去重、以更正件替换旧件、列出待核实行和催报名单，并归档。

    示例：

      bqw merge 收件箱/2026-10/ -o 汇总/挂点调研台账（10月）.xlsx --expect 挂点安排表.xlsx

      bqw merge 收件箱/ --kind tasks -o 问题整改台账.xlsx --as-of 2026-10-31 --no-archive
    """
    kind = check_kind(kind)
    period = check_period(period)
    as_of_date = check_date(as_of, "--as-of")
    if out.suffix.lower() != ".xlsx":
        raise usage_error("合并结果只能保存为 .xlsx 文件，请把 -o 的文件名改为以 .xlsx 结尾")
    from bqw.cli.files import collect_inputs

    files, missing, others = collect_inputs(inputs)
    if missing:
        raise usage_error("找不到：" + "、".join(str(m) for m in missing))
    if not files:
        raise usage_error("没有找到要合并的表格文件（.xlsx .xlsm .xls .csv）")
    files += others  # noted and skipped by the merge
    from bqw.archive import Archive, ArchiveError
    from bqw.lock import LockBusy, locked
    from bqw.merge import expected_from, merge, output_paths, write_merged
    from bqw.render import print_merge
    from bqw.validate import load_context

    ctx, _reads = load_context(period, _one_file(assignments, "--assignments"), _one_file(roster, "--roster"))
    expected = None
    if expect is not None:
        expected, res = expected_from(_one_file(expect, "--expect"))
        if not expected:
            raise usage_error(f"--expect 应为挂点安排表或成员名单，无法从 {expect} 读出应报名单")
    target = ":memory:" if no_archive else archive
    try:
        with locked(target if not no_archive else out, timeout=lock_timeout):
            with Archive(target) as store, _progress(len(files), quiet or fmt == Format.json) as tick:
                result = merge(files, kind=kind, period=period, as_of=as_of_date, archive=store, ctx=ctx,
                               expect=expected, progress=tick, command="merge")
                for fam, path in output_paths(out, list(result.ledgers)).items():
                    result.outputs.append(write_merged(result, fam, path))
    except LockBusy as e:
        typer.echo(f"另一个 bqw 进程（PID {e.holder}）正在使用归档 {archive}，等待 {lock_timeout:g} 秒后仍未结束，"
                   "请稍后再运行。", err=True)
        raise typer.Exit(ExitCode.USAGE)
    except ArchiveError as e:
        raise usage_error(str(e))
    if fmt == Format.json:
        import json

        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_merge(result, quiet=quiet)
    raise typer.Exit(ExitCode.OK if result.clean and result.outputs else ExitCode.DATA)


@app.command("history")
def history_cmd(
    kind: KindOpt = None,
    period: PeriodOpt = None,
    archive: Annotated[Path, typer.Option("--archive", metavar="PATH", help="归档数据库")] = Path("bqw.db"),
    fmt: FormatOpt = Format.table,
):
    """查看归档中的提交记录、更正替换、重复提交和跳过的文件。

    示例：

      bqw history --kind visits --period 2026-10

      bqw history --archive 归档/bqw.db --format json
    """
    kind = check_kind(kind)
    period = check_period(period)
    if not archive.exists():
        raise usage_error(f"归档 {archive} 不存在（先用 bqw merge 合并一次）")
    from bqw.archive import Archive, ArchiveError
    from bqw.merge import family
    from bqw.render import print_history

    try:
        with Archive(archive) as store:
            subs = store.submissions(kind=family(kind), period=period)
            events = store.events()
    except ArchiveError as e:
        raise usage_error(str(e))
    if fmt == Format.json:
        import json
        from dataclasses import asdict

        ids = {s.id for s in subs}
        typer.echo(json.dumps({"submissions": [asdict(s) for s in subs],
                               "events": [dict(e) for e in events
                                          if kind is None and period is None or e["submission_id"] in ids
                                          or e["other_id"] in ids]},
                              ensure_ascii=False, indent=2))
    else:
        print_history(subs, events, filtered=kind is not None or period is not None)


class _progress:
    """A rich progress bar on a terminal; nothing when piped, in cron or with --quiet."""

    def __init__(self, total: int, quiet: bool):
        self.total, self.quiet, self.bar = total, quiet, None

    def __enter__(self):
        if self.quiet or not sys.stderr.isatty() or self.total < 4:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("读取文件", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


def _one_file(path: Path | None, option: str) -> Path | None:
    """A reference file given as a file, or as a folder holding exactly one spreadsheet."""
    if path is None:
        return None
    from bqw.cli.files import collect_inputs

    files, missing, _others = collect_inputs([path])
    files = [f for f in files if not f.name.startswith("~$")]
    if missing or len(files) != 1:
        raise usage_error(f"{option} 应为一个表格文件（或只含一个表格文件的文件夹）：{path}")
    return files[0]


def main() -> None:
    """Console entry point: no traceback for users, exit code 3 on an internal error."""
    verbose = "-v" in sys.argv or "--verbose" in sys.argv
    if verbose:
        sys.argv = [a for a in sys.argv if a not in ("-v", "--verbose")]
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("已中断。", err=True)
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 — the last line of defence (docs/cli.md, 退出码 3)
        if verbose:
            raise
        typer.echo(f"bqw 内部错误：{type(e).__name__}: {e}。加 -v 参数重新运行可查看详细信息。", err=True)
        sys.exit(ExitCode.INTERNAL)

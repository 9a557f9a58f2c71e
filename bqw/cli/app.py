"""The `bqw` command: a thin typer layer over the library (bqw.io, bqw.validate, bqw.template)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from bqw.cli.exit import ExitCode
from bqw.cli.options import (AssignmentsOpt, Format, FormatOpt, KindOpt, PeriodOpt, RosterOpt,
                             check_kind, check_period, usage_error)

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

    files, missing = collect_inputs(paths)
    if missing:
        raise usage_error("找不到：" + "、".join(str(m) for m in missing))
    if not files:
        raise usage_error("没有找到可校验的表格文件（.xlsx .xlsm .xls .csv）")
    ctx, context_reads = load_context(period, _one_file(assignments, "--assignments"),
                                      _one_file(roster, "--roster"))
    for res in context_reads:
        if not res.tables:  # the reference file itself cannot be used: a usage problem
            print_validation([res], fmt="table", stream=sys.stderr)
            raise usage_error(f"无法使用参考文件 {res.path}")
    results = [validate_file(f, kind, ctx) for f in files]
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


def _one_file(path: Path | None, option: str) -> Path | None:
    """A reference file given as a file, or as a folder holding exactly one spreadsheet."""
    if path is None:
        return None
    from bqw.cli.files import collect_inputs

    files, missing = collect_inputs([path])
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

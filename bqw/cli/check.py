"""`bqw validate` and `bqw template`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from bqw.cli.common import check_output, protected, reference, workspace
from bqw.cli.exit import ExitCode
from bqw.cli.options import (AssignmentsOpt, Format, FormatOpt, KindOpt, PeriodOpt, QuietOpt, RosterOpt,
                             check_kind, check_month, usage_error)


def validate_cmd(
    ctx: typer.Context,
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
    quiet: QuietOpt = False,
):
    """校验上报的台账，逐格指出问题所在的单元格。

    示例：

      bqw validate 收件箱/ --assignments 挂点安排表.xlsx --annotate 退回/

      bqw validate 台账.xlsx --kind visits --period 2026-10 --format json
    """
    cfg = workspace(ctx)  # a broken bqw.toml is reported before anything else
    kind = check_kind(kind)
    period = check_month(period, "validate")
    from bqw.fast import preload
    from bqw.io.workbook import when_scanned

    # pandas and pandera load while the first file is read (validate forks no workers)
    when_scanned(preload.maybe_start)
    from bqw.io.inputs import collect_inputs
    from bqw.output.terminal import print_validation
    from bqw.jobs.validate import load_context, report_dict, validate_file

    files, missing, others = collect_inputs(paths)
    if missing:
        raise usage_error("找不到：" + "、".join(str(m) for m in missing))
    if not files:
        raise usage_error("没有找到可校验的表格文件（.xlsx .xlsm .xls .csv）")
    protect = protected(cfg, *paths, *files, assignments, roster)
    check_output(annotate, None, "--annotate", folder=True)  # copies take names free of the inputs
    from bqw.core.table import ReadResult

    context, context_reads = load_context(
        period, reference(assignments, "--assignments", cfg.assignments), reference(roster, "--roster", cfg.roster),
        cfg=cfg)
    for res in context_reads:
        if not res.tables:  # the reference file itself cannot be used: a usage problem
            print_validation([res], fmt="table", stream=sys.stderr)
            raise usage_error(f"无法使用参考文件 {res.path}")
    results = [validate_file(f, kind, context) for f in files]
    results += [ReadResult(path=f, skipped="不是表格文件，已跳过") for f in others]
    if annotate is not None:
        from bqw.output.annotate import annotate_all

        annotate_all(results, annotate, protect)
    if fmt == Format.json:
        from bqw.output.jsontext import dumps, with_version

        typer.echo(dumps(with_version(report_dict(results))))
    else:
        print_validation(results, fmt="table", quiet=quiet)
    bad = any(not r.valid and r.skipped is None for r in results)
    raise typer.Exit(ExitCode.DATA if bad else ExitCode.OK)


def template_cmd(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(
        metavar="KIND", help="台账类型：visits、assignments、roster、problems、responsibilities、tasks、scores、decisions，"
                             "也可写中文名称，如 挂点调研台账、任务清单")],
    out: Annotated[Path, typer.Option("--output", "-o", metavar="FILE.xlsx", help="输出文件")],
    year: Annotated[Optional[int], typer.Option("--year", help="标题中的年度，如 2026")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="标题中的单位名称，如 平安镇")] = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
):
    """生成空白填报模板（含下拉选项和填表说明）。

    示例：

      bqw template visits -o 挂点调研台账模板.xlsx --year 2026 --unit 平安镇

      bqw template tasks -o 问题整改三清单模板.xlsx
    """
    kind = check_kind(kind, "KIND")
    if out.suffix.lower() != ".xlsx":
        raise usage_error("模板只能保存为 .xlsx 文件，请把 -o 的文件名改为以 .xlsx 结尾")
    from bqw.output.template import write_template

    cfg = workspace(ctx)
    check_output(out, protected(cfg))  # no input of its own: the workspace's are what bqw run reads
    if cfg.path is not None:  # a workspace names the town and the year
        year = year or cfg.year
        unit = unit or cfg.town
    path = write_template(kind, out, year=year, unit=unit)
    if fmt == Format.json:
        from bqw.output.jsontext import dumps, with_version
        from bqw.output.template import title

        typer.echo(dumps(with_version({"files": [
            {"path": str(path), "kind": "填报模板", "title": title(kind, year, unit), "ledger_kind": kind}]})))
    else:  # the one line is the conclusion: -q prints it too
        typer.echo(f"已生成模板：{path}")


COMMANDS = {"validate": validate_cmd, "template": template_cmd}

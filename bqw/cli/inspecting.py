"""`bqw inspect`: how bqw read each sheet — kind and why, header, columns, skipped rows, context."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bqw.cli.common import workspace
from bqw.cli.exit import ExitCode
from bqw.cli.options import Format, FormatOpt, KindOpt, QuietOpt, check_kind, usage_error


def inspect_cmd(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(
        metavar="FILE...", help="要查看的文件或文件夹（文件夹内的表格会全部列出）", show_default=False)],
    kind: KindOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
):
    """查看 bqw 怎样读每张工作表：台账类型及依据、表头行、各列读作哪一列、数据行、跳过的行及原因、领导和期间从哪里得来。

    某行没读进来、某列没认出来、领导或期间不对时，先用它看看 bqw 是怎么读的。

    示例：

      bqw inspect 附件3：平安镇领导挂点调研台账（10月）-李明.xlsx

      bqw inspect 收件箱/2026-10/ --kind visits --format json
    """
    cfg = workspace(ctx)  # a broken bqw.toml is reported before anything else
    kind = check_kind(kind)
    from bqw.io.inputs import collect_inputs

    files, missing, others = collect_inputs(paths)
    if missing:
        raise usage_error("找不到：" + "、".join(str(m) for m in missing))
    if not files:
        raise usage_error("没有找到可查看的表格文件（.xlsx .xlsm .xls .csv）")
    from bqw.jobs.inspect import inspect_report, unreadable
    from bqw.io.reader import read_ledger
    from bqw.core.table import ReadResult

    # read exactly as bqw validate and bqw merge read (the workspace's limits, enums and wordings)
    results = [read_ledger(f, kind, limits=cfg.make_limits(), enums=cfg.enums, aliases=cfg.aliases)
               for f in files]
    results += [ReadResult(path=f, skipped="不是表格文件，已跳过") for f in others]
    report = inspect_report(results)
    if fmt == Format.json:
        from bqw.output.jsontext import dumps, with_version

        typer.echo(dumps(with_version(report)))
    else:
        from bqw.output.terminal import print_inspect

        print_inspect(report, quiet=quiet)
    raise typer.Exit(ExitCode.DATA if any(unreadable(r) for r in results) else ExitCode.OK)


COMMANDS = {"inspect": inspect_cmd}

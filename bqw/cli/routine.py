"""`bqw init` and `bqw run` (the cron entry point): the workspace routine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bqw.cli.app import app
from bqw.cli.common import lock_busy, progress, workspace
from bqw.cli.exit import ExitCode
from bqw.cli.options import Format, FormatOpt, PeriodOpt, check_date, check_period, usage_error


@app.command("init")
def init_cmd(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="工作区文件夹，默认为当前文件夹")] = Path("."),
    town: Annotated[Optional[str], typer.Option("--town", help="镇（县、区）名称，如 平安镇")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="单位名称，默认为“××镇“百千万工程”指挥部办公室”")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="统计年度，默认为今年")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的 bqw.toml")] = False,
):
    """新建工作区：写出带中文说明的 bqw.toml，并建好 inbox/、out/、名单/ 文件夹。

    示例：

      bqw init 平安镇百千万 --town 平安镇 --year 2026

      bqw init . --force
    """
    from bqw.config import ConfigError, init

    try:
        path = init(folder, unit=unit, town=town, year=year, force=force)
    except ConfigError as e:
        raise usage_error(str(e))
    typer.echo(f"已创建工作区：{path}")
    typer.echo(f"下一步：把成员名单和挂点安排表放进 {folder / '名单'}（或在 bqw.toml 中改路径），"
               f"把各单位报来的台账放进 {folder / 'inbox'}，然后运行 bqw run。")


@app.command("run")
def run_cmd(
    ctx: typer.Context,
    period: PeriodOpt = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="统计日，用于计算逾期；默认今天")] = None,
    fmt: FormatOpt = Format.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出结论")] = False,
    lock_timeout: Annotated[float, typer.Option("--lock-timeout", metavar="秒",
                                                help="另一个 bqw 正在运行时最多等待的秒数")] = 300.0,
):
    """每月例行处理（供定时任务 cron 调用）：校验、退回、合并、归档、统计。

    处理工作区 inbox/ 中的新文件：有错误的写出标注件到 out/退回/；合并进归档；把本期合并台账和
    统计表写到 out/<期间>/；追加运行日志。没有新文件时不做任何改动。
    退出码：0 一切正常；1 发现数据问题（有退回件、逾期任务或未报送）；2 用法或配置错误；3 内部错误。

    示例：

      bqw run

      bqw --workspace /data/平安镇 run --as-of 2026-10-31 --quiet
    """
    period = check_period(period)
    as_of_date = check_date(as_of, "--as-of")
    cfg = workspace(ctx)
    if not cfg.inbox.exists():
        raise usage_error(f"收件箱 {cfg.inbox} 不存在（先运行 bqw init，或在 bqw.toml 的 [folders] 中设置 inbox）")
    from bqw.archive import ArchiveError
    from bqw.lock import LockBusy, locked
    from bqw.render import print_run
    from bqw.runner import log_line, run

    try:
        with locked(cfg.archive, timeout=lock_timeout):
            with progress(1000, quiet or fmt == Format.json or not sys.stderr.isatty()) as tick:
                result = run(cfg, period=period, as_of=as_of_date, progress=tick)
    except LockBusy as e:
        log_line(cfg, f"run: 另一个 bqw（PID {e.holder}）正在运行，本次未执行")
        raise lock_busy(e, cfg.archive, lock_timeout, "本次未执行（它正在运行）。")
    except ArchiveError as e:
        raise usage_error(str(e))
    except OSError as e:
        from bqw.cli.app import os_message

        log_line(cfg, "run: " + os_message(e) + "本次未完成，归档未改变")
        raise
    code = ExitCode.DATA if result.problems else ExitCode.OK
    if result.nothing_new:
        log_line(cfg, f"run: 没有新文件（已处理过 {result.unchanged} 个），未做任何改动；退出码 {int(code)}")
    else:
        m = result.merge
        log_line(cfg, f"run: 新文件 {len(result.new_files)} 个，退回 {len(result.returned)} 个，合并台账 {m.merged_rows} 行，"
                      f"待核实 {m.held_rows} 行，输出 {len(result.outputs)} 个文件；"
                      + ("；".join(result.problems) or "无数据问题") + f"；退出码 {int(code)}")
    if fmt == Format.json:
        import json

        typer.echo(json.dumps(result.to_dict() | {"exit_code": int(code), "log": str(cfg.log)},
                              ensure_ascii=False, indent=2))
    else:
        print_run(result, cfg, quiet=quiet)
    raise typer.Exit(code)

"""`bqw init` and `bqw run` (the cron entry point): the workspace routine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bqw.cli.common import lock_busy, progress, workspace
from bqw.cli.exit import ExitCode, machine_message
from bqw.cli.options import (AsOfOpt, Format, FormatOpt, LockTimeoutOpt, PeriodOpt, QuietOpt, check_date,
                             check_period, usage_error)


def init_cmd(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="工作区文件夹，默认为当前文件夹")] = Path("."),
    town: Annotated[Optional[str], typer.Option("--town", help="镇（县、区）名称，如 平安镇")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="单位名称，默认为“××镇“百千万工程”指挥部办公室”")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="统计年度，默认为今年")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的 bqw.toml")] = False,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
):
    """新建工作区：写出带中文说明的 bqw.toml，建好 inbox/、out/、名单/ 文件夹，并把通报、简报底版放进 templates/。

    示例：

      bqw init 平安镇百千万 --town 平安镇 --year 2026

      bqw init . --force
    """
    from bqw.jobs.config import ConfigError, init

    bases = _bases(folder)
    there = {b for b in bases if b.exists()}  # an office's own base is kept: not written, not listed
    try:
        path = init(folder, unit=unit, town=town, year=year, force=force)
    except ConfigError as e:
        raise usage_error(str(e))
    if fmt == Format.json:
        from bqw.output.jsontext import dumps, with_version

        files = [{"path": str(path), "kind": "工作区配置文件"}]
        files += [{"path": str(b), "kind": kind} for b, kind in bases.items() if b not in there and b.exists()]
        folders = [folder / "inbox", folder / "out", folder / "名单"]  # those bqw.jobs.config.init makes
        typer.echo(dumps(with_version({"workspace": str(folder), "files": files, "folders": [str(f) for f in folders]})))
        return
    typer.echo(f"已创建工作区：{path}")
    if not quiet:  # a hint, not the result
        typer.echo(f"下一步：把成员名单和挂点安排表放进 {folder / '名单'}（或在 bqw.toml 中改路径），"
                   f"把各单位报来的台账放进 {folder / 'inbox'}，然后运行 bqw run。")


def _bases(folder: Path) -> dict[Path, str]:
    """The 通报/简报 base documents (底版) bqw init copies into the workspace, and what each is."""
    from bqw.documents.common import TEMPLATE_DIR, TEMPLATE_NAMES

    what = {"tongbao": "通报底版", "jianbao": "简报底版"}
    return {folder / TEMPLATE_DIR / name: what[kind] for kind, name in TEMPLATE_NAMES.items()}


def run_cmd(
    ctx: typer.Context,
    period: PeriodOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
    lock_timeout: LockTimeoutOpt = 300.0,
):
    """每月例行处理（供定时任务 cron 调用）：校验、退回、合并、归档、统计。

    处理工作区 inbox/ 中的新文件：有错误的写出标注件到 out/退回/；合并进归档；把本期合并台账和
    统计表写到 out/<期间>/；追加运行日志。没有新文件时不做任何改动。
    退出码：0 一切正常；1 发现数据问题（有退回件、逾期任务或未报送）；2 用法或配置错误，或磁盘满、只读、
    没有权限、文件被占用；3 内部错误。每次运行都在日志中留下一行。

    示例：

      bqw run

      bqw --workspace /data/平安镇 run --as-of 2026-10-31 --quiet
    """
    cfg = _run_workspace(ctx)
    try:
        period = check_period(period)
        as_of_date = check_date(as_of, "--as-of")
    except typer.Exit:  # the option's message is on stderr
        _log(cfg, "run: --period 或 --as-of 的写法不对，本次未执行；退出码 2", failing=True)
        raise
    if not cfg.inbox.exists():
        message = f"收件箱 {cfg.inbox} 不存在（先运行 bqw init，或在 bqw.toml 的 [folders] 中设置 inbox）"
        _log(cfg, f"run: {message}，本次未执行；退出码 2", failing=True)
        raise usage_error(message)
    from bqw.jobs.routine import run
    from bqw.output.terminal import print_run
    from bqw.store.archive import ArchiveError
    from bqw.store.lock import LockBusy, locked

    try:
        with locked(cfg.archive, timeout=lock_timeout):
            with progress(1000, quiet or fmt == Format.json or not sys.stderr.isatty()) as tick:
                result = run(cfg, period=period, as_of=as_of_date, progress=tick)
    except LockBusy as e:
        _log(cfg, f"run: 另一个 bqw（PID {e.holder}）正在运行，本次未执行；退出码 2", failing=True)
        raise lock_busy(e, cfg.archive, lock_timeout, "本次未执行（它正在运行）。")
    except ArchiveError as e:
        _log(cfg, f"run: {e}，本次未执行；退出码 2", failing=True)
        raise usage_error(str(e))
    except Exception as e:
        message = machine_message(e)
        if message is None:  # bqw's own error: bqw.cli.app.main logs it with its traceback (退出码 3)
            raise
        _log(cfg, f"run: {message}本次未完成，归档未改变；退出码 2", failing=True)
        raise
    code = ExitCode.DATA if result.problems else ExitCode.OK
    if result.nothing_new:
        _log(cfg, f"run: 没有新文件（已处理过 {result.unchanged} 个），未做任何改动；退出码 {int(code)}")
    else:
        m = result.merge
        _log(cfg, f"run: 新文件 {len(result.new_files)} 个，退回 {len(result.returned)} 个，合并台账 {m.merged_rows} 行，"
                  f"待核实 {m.held_rows} 行，输出 {len(result.outputs)} 个文件；"
                  + ("；".join(result.problems) or "无数据问题") + f"；退出码 {int(code)}")
    if fmt == Format.json:
        from bqw.output.jsontext import dumps, with_version

        typer.echo(dumps(with_version(result.to_dict() | {"exit_code": int(code), "log": str(cfg.log)})))
    else:
        print_run(result, cfg, quiet=quiet)
    raise typer.Exit(code)


def _run_workspace(ctx: typer.Context):
    """The workspace of `bqw run`. Every run leaves a line in the log (cron users read it): when bqw.toml
    cannot be used, its log key is unknown, so the line goes beside it (bqw.jobs.config.fallback_log)."""
    import os

    from bqw.jobs.config import Config, fallback_log

    def refused(message: str) -> None:
        chosen = os.environ.get("BQW_WORKSPACE") or None
        log = fallback_log(Path(chosen) if chosen else None)
        _log(Config(root=log.parent, log=log), f"run: {message}，本次未执行；退出码 2", failing=True)

    try:
        return workspace(ctx, on_refused=refused)
    except OSError as e:  # bqw.toml unreadable: no permission, a disk error
        refused(machine_message(e).rstrip("。"))
        raise


def _log(cfg, text: str, failing: bool = False) -> None:
    """A line in the run log, with the notices of bqw.toml (not in UTF-8, a key not read). The line of a
    failing run must not hide its failure: a log that cannot be written then (the full disk the line
    reports) is passed over."""
    from bqw.jobs.routine import log_line

    notice = "；".join(cfg.notices)
    try:
        log_line(cfg, text + (f"；{notice}" if notice else ""))
    except OSError:
        if not failing:
            raise


COMMANDS = {"init": init_cmd, "run": run_cmd}

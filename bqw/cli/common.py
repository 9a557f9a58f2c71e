"""Helpers shared by the command modules: the workspace, reference files, the progress bar."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from bqw.cli.options import usage_error


def workspace(ctx: typer.Context, on_refused=None):
    """The workspace Config (bqw.toml found upwards, or --workspace); a bad one is a usage error, told
    first to `on_refused(message)` when given (bqw run logs it). A bqw.toml in GBK or UTF-16, or with a
    key bqw does not read, is said once, on stderr."""
    from bqw.jobs.config import ConfigError, load, resolve

    obj = ctx.find_root().obj or {}
    if "config" not in obj:
        chosen = os.environ.get("BQW_WORKSPACE") or None  # -w/--workspace (bqw.cli.app) or the environment
        try:
            obj["config"] = resolve(load(Path(chosen) if chosen else None))
        except ConfigError as e:
            if on_refused is not None:
                on_refused(str(e))
            raise usage_error(str(e))
        ctx.find_root().obj = obj
        for notice in obj["config"].notices:  # GBK or UTF-16, a key bqw does not read
            typer.echo(notice, err=True)
    return obj["config"]


def reference(path: Path | None, option: str, fallback: Path | None = None) -> Path | None:
    """A reference ledger from an option, else the workspace's when that file exists."""
    if path is None and fallback is not None and fallback.exists():
        path = fallback
    return one_file(path, option)


def one_file(path: Path | None, option: str) -> Path | None:
    """A reference file given as a file, or as a folder holding exactly one spreadsheet."""
    if path is None:
        return None
    from bqw.io.inputs import collect_inputs, is_lock_file

    files, missing, _others = collect_inputs([path])
    files = [f for f in files if not is_lock_file(f)]
    if missing or len(files) != 1:
        raise usage_error(f"{option} 应为一个表格文件（或只含一个表格文件的文件夹）：{path}")
    return files[0]


class progress:
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


def lock_busy(error, archive, lock_timeout: float, note: str = "请稍后再运行。") -> typer.Exit:
    """The one message for “another bqw holds the archive”; the caller raises the returned Exit (2)."""
    from bqw.cli.exit import ExitCode

    typer.echo(f"另一个 bqw 进程（PID {error.holder}）正在使用归档 {archive}，等待 {lock_timeout:g} 秒后仍未结束，"
               f"{note}", err=True)
    return typer.Exit(ExitCode.USAGE)


def protected(cfg, *paths):
    """What a command reads — `paths` (files, folders, None) and, in a workspace, what bqw run reads —
    as a bqw.io.inputs.Protected: no output may be written over it or into its folders (docs/cli.md)."""
    from bqw.io.inputs import Protected

    protect = Protected()
    for path in paths:
        protect.add(path)
    if cfg.path is not None:
        for path, label in ((cfg.inbox, "工作区的收件箱"), (cfg.assignments, "工作区的挂点安排表"),
                            (cfg.roster, "工作区的成员名单"), (cfg.archive, "工作区的归档"), (cfg.path, "工作区的配置文件")):
            protect.add(path, label)
    return protect


def check_output(out: Path | None, protect, option: str = "-o", folder: bool = False) -> None:
    """Before any work: refuse (exit 2) an output that is an input or lies in a folder being read, and
    an existing target bqw may not replace (a folder, a read-only file). `folder`: `out` is a folder
    the command writes files into; `protect` None: their names are chosen free of the inputs, so the
    folder may be one being read (bqw validate DIR --annotate DIR)."""
    if out is None:
        return
    clash = protect.clash(out) if protect is not None else None
    if clash is not None:
        raise usage_error(clash.message(option))
    if folder:
        if out.exists() and not out.is_dir():
            raise usage_error(f"{option} 应为文件夹，而 {out} 是一个文件")
        if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
            raise usage_error(f"{option} 指定的文件夹 {out} 不允许写入")
        return
    from bqw.io.inputs import cannot_replace

    reason = cannot_replace(out)
    if reason is not None:
        raise usage_error(f"{option} 指定的输出 {out} {reason}，不能写在这里；请另选输出文件")

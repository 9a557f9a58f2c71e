"""The `bqw` command: a thin typer layer over the library. Commands live in one module per group."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from bqw.cli.exit import ExitCode

app = typer.Typer(
    name="bqw",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root() -> None:
    """百千万工程台账工具：校验、合并、统计报表，生成通报与简报。

    全局选项：-w/--workspace DIR 指定工作区文件夹（含 bqw.toml；也可用环境变量 BQW_WORKSPACE），
    不填则从当前文件夹向上查找 bqw.toml。-v/--verbose 出错时显示详细信息。

    bqw (百千万工程 ledger toolkit): validate, merge and summarise the ledgers offices keep.
    """


def _take_global_options(argv: list[str]) -> list[str]:
    """-w/--workspace and -v are handled here, before typer: a root option would make typer import
    pydantic for every command's --help (docs/cli.md); the workspace travels in BQW_WORKSPACE."""
    out, i = [], 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-w", "--workspace") and i + 1 < len(argv):
            os.environ["BQW_WORKSPACE"] = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--workspace="):
            os.environ["BQW_WORKSPACE"] = arg.split("=", 1)[1]
            i += 1
            continue
        out.append(arg)
        i += 1
    return out


# the command groups register themselves on `app` (each imports only typer at start-up)
from bqw.cli import check, documents, inspecting, merging, reports, routine  # noqa: E402,F401


def main() -> None:
    """Console entry point: no traceback for users, exit code 3 on an internal error."""
    verbose = "-v" in sys.argv or "--verbose" in sys.argv
    if verbose:
        sys.argv = [a for a in sys.argv if a not in ("-v", "--verbose")]
    sys.argv = sys.argv[:1] + _take_global_options(sys.argv[1:])
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("已中断。", err=True)
        sys.exit(130)
    except OSError as e:  # the machine, not the data: disk full, read-only or missing folder, no permission
        if verbose:
            raise
        typer.echo(os_message(e) + "已写入的归档和原文件均未改变。", err=True)
        sys.exit(ExitCode.USAGE)
    except Exception as e:  # noqa: BLE001 — the last line of defence (docs/cli.md, 退出码 3)
        if verbose:
            raise
        log = _log_internal(e)
        where = f"详细信息已写入 {log}；" if log else ""
        typer.echo(f"bqw 内部错误：{type(e).__name__}: {e}。{where}加 -v 参数重新运行可在屏幕上查看详细信息。", err=True)
        sys.exit(ExitCode.INTERNAL)


def os_message(e: OSError) -> str:
    """An operating-system error in Chinese, naming the file."""
    import errno

    reasons = {errno.ENOSPC: "磁盘空间不足", errno.EROFS: "所在位置是只读的", errno.EACCES: "没有写入或读取权限",
               errno.EPERM: "没有权限", errno.ENOENT: "文件或文件夹不存在", errno.ENOTDIR: "路径中有一段不是文件夹",
               errno.EISDIR: "这是一个文件夹", errno.EDQUOT: "超出磁盘配额"}
    reason = reasons.get(e.errno, e.strerror or str(e))
    where = f" {e.filename}" if e.filename else ""
    return f"bqw：无法读写{where}：{reason}。"


def _log_internal(error: Exception) -> Path | None:
    """Append the traceback to the workspace log (or ~/.bqw-error.log); never raises."""
    import traceback

    try:
        from bqw.config import find_config, load, resolve

        cfg = resolve(load()) if find_config() else None
        path = cfg.log if cfg else Path.home() / ".bqw-error.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- internal error: {' '.join(sys.argv)}\n")
            fh.write("".join(traceback.format_exception(error)))
        return path
    except Exception:  # noqa: BLE001 — logging must not hide the error itself
        return None

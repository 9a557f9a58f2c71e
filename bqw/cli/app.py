"""The `bqw` command: a thin typer layer over the library. Commands live in one module per group."""

from __future__ import annotations

import errno
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
    不填则从当前文件夹向上查找 bqw.toml。-v/--verbose 出错时显示详细信息（退出码不变）。

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
    """Console entry point: no traceback for users (-v shows it), and the exit code the failure calls
    for whatever -v says (cron reads it): 2 for the machine — disk full, read-only, no permission, a
    file in use — said in Chinese naming the path; 3 for bqw itself, its traceback in the log."""
    verbose = "-v" in sys.argv or "--verbose" in sys.argv
    if verbose:
        sys.argv = [a for a in sys.argv if a not in ("-v", "--verbose")]
    sys.argv = sys.argv[:1] + _take_global_options(sys.argv[1:])
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("已中断。", err=True)
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 — the last line of defence (docs/cli.md, 退出码)
        if verbose:
            import traceback

            traceback.print_exception(e)
        message = machine_message(e)
        if message is not None:
            typer.echo(message + "已写入的归档和原文件均未改变。", err=True)
            sys.exit(ExitCode.USAGE)
        log = _log_internal(e)
        where = f"详细信息已写入 {log}；" if log else ""
        hint = "" if verbose else "加 -v 参数重新运行可在屏幕上查看详细信息。"
        typer.echo(f"bqw 内部错误：{type(e).__name__}: {e}。{where}{hint}", err=True)
        sys.exit(ExitCode.INTERNAL)


def machine_message(error: BaseException) -> str | None:
    """The one message for an error of the machine, not of bqw or the data: an OSError, one a library
    wrapped (xlsxwriter's FileCreateError), or SQLite's (bqw.store.archive.machine_error); None otherwise."""
    cause = None
    if isinstance(error, OSError):
        cause = error
    elif error.args and isinstance(error.args[0], OSError):  # xlsxwriter's FileCreateError(OSError)
        cause = error.args[0]
    elif (sqlite3 := sys.modules.get("sqlite3")) is not None and isinstance(error, sqlite3.Error):
        from bqw.store.archive import machine_error

        cause = machine_error(error, None)  # bqw.store.archive names its file; one from elsewhere cannot be named
    return None if cause is None else os_message(cause)


# the reasons, by errno; Windows says a file open in Excel or WPS with a sharing violation (winerror 32, 33)
_REASONS = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "所在位置是只读的",
            errno.EACCES: "没有读写权限", errno.EPERM: "没有权限", errno.EBUSY: "文件被占用（另一个程序正在使用它）",
            errno.ETXTBSY: "文件被占用（另一个程序正在使用它）", errno.ENOENT: "文件或文件夹不存在",
            errno.ENOTDIR: "路径中有一段不是文件夹", errno.EISDIR: "这是一个文件夹",
            errno.EFBIG: "文件超过了系统允许的大小", errno.EIO: "读写出错（磁盘或网络盘故障）"}


def os_message(e: OSError) -> str:
    """An operating-system error in Chinese, naming the file."""
    if getattr(e, "winerror", None) in (32, 33):
        reason = "文件被占用（可能正在 Excel 或 WPS 中打开，请关闭后重试）"
    else:
        reason = _REASONS.get(e.errno, e.strerror or str(e))
    where = f" {e.filename}" if e.filename else ""
    return f"bqw：无法读写{where}：{reason}。"


def _log_internal(error: Exception) -> Path | None:
    """A dated line and the traceback in the workspace log (or ~/.bqw-error.log); never raises."""
    import traceback

    try:
        from bqw.jobs.config import Config, find_config, load, resolve
        from bqw.jobs.routine import log_line

        chosen = os.environ.get("BQW_WORKSPACE")  # -w/--workspace
        cfg = resolve(load(Path(chosen) if chosen else None)) if chosen or find_config() else None
        if cfg is None:
            cfg = Config(root=Path.home(), log=Path.home() / ".bqw-error.log")
        command = " ".join(sys.argv[1:])
        return log_line(cfg, f"{command}: bqw 内部错误：{type(error).__name__}: {error}；退出码 {int(ExitCode.INTERNAL)}",
                        "".join(traceback.format_exception(error)))
    except Exception:  # noqa: BLE001 — logging must not hide the error itself
        return None

"""The `bqw` command: a thin typer layer over the library. Commands live in one module per group."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from bqw.cli.exit import ExitCode, machine_message

app = typer.Typer(
    name="bqw",
    no_args_is_help=True,
    add_completion=False,
    suggest_commands=False,  # click itself says “Did you mean …?”; typer's would say it a second time
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root() -> None:
    """百千万工程台账工具：校验、合并、统计报表，生成通报与简报。

    全局选项：-w/--workspace DIR 指定工作区文件夹（含 bqw.toml；也可用环境变量 BQW_WORKSPACE），
    不填则从当前文件夹向上查找 bqw.toml。-v/--verbose 出错时显示详细信息（退出码不变）。
    --version 显示 bqw 的版本。

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


def _register() -> None:
    """Each command module lists its commands (COMMANDS: name → function) and imports only typer at
    start-up; none imports this module. The order here is the order of `bqw --help`."""
    from bqw.cli import check, documents, inspecting, merging, reports, routine

    for module in (check, documents, inspecting, merging, reports, routine):
        for name, command in module.COMMANDS.items():
            app.command(name)(command)


_register()


def main() -> None:
    """Console entry point: no traceback for users (-v shows it), and the exit code the failure calls
    for whatever -v says (cron reads it): 2 for the machine — disk full, read-only, no permission, a
    file in use — said in Chinese naming the path; 3 for bqw itself, its traceback in the log."""
    _never_fail_to_print()
    if sys.argv[1:2] == ["--version"]:  # before typer, as -w: a root option would slow every --help
        from bqw.core.version import VERSION

        print(f"bqw {VERSION}")
        sys.exit(ExitCode.OK)
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


def _never_fail_to_print() -> None:
    """A console or pipe that cannot show a character (a GBK console on Chinese Windows,
    PYTHONIOENCODING=gbk) shows it as \\uXXXX instead of stopping bqw with UnicodeEncodeError:
    nothing is lost. The few symbols bqw prints have GBK stand-ins (bqw.output.terminal.mark)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # closed or detached
                pass


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

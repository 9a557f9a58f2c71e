"""The `bqw` command: a thin typer layer over the library. Commands live in one module per group."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from bqw.cli import zh
from bqw.cli.exit import ExitCode, machine_message

zh.install()  # click's and typer's own words in Chinese, help wrapped as Chinese is written


def _keep_argument_help() -> None:
    """click 8.5's Parameter.__init__ sets `help` itself, after typer 0.24's TyperArgument has set it:
    the descriptions of positional arguments (PATH..., KIND) were lost from every help page."""
    init = TyperArgument.__init__

    def __init__(self, *, help: str | None = None, **attrs) -> None:
        init(self, help=help, **attrs)
        self.help = help

    TyperArgument.__init__ = __init__


_keep_argument_help()

# main() takes these out of the command line before typer sees it, wherever they stand; every command's
# help points to the root's, where they are listed
GLOBAL_EPILOG = "全局选项 -w/--workspace DIR（工作区）、-v/--verbose（出错时显示详细信息）见 bqw --help。"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


class BqwCommand(TyperCommand):
    """A command: typer lists its arguments (with 必填) beside the options; click 8.5 would list them a
    second time in a section of its own."""

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pass


class BqwGroup(TyperGroup):
    """The root command. Its help lists the global options main() reads before typer (a typer option at
    the root would load pydantic for every --help); as click options here too they are also understood
    when the shell asks for completions (`bqw -w DIR <Tab>`)."""

    def __init__(self, **attrs) -> None:
        super().__init__(**attrs)
        self.params += [
            click.Option(["-w", "--workspace"], metavar="DIR", expose_value=False, callback=_workspace_option,
                         help="工作区文件夹（含 bqw.toml；也可用环境变量 BQW_WORKSPACE）；不填则从当前文件夹向上"
                              "查找 bqw.toml。可写在命令之前或之后"),
            click.Option(["-v", "--verbose"], is_flag=True, expose_value=False,
                         help="出错时在屏幕上显示详细信息（退出码不变）。可写在命令之前或之后"),
            click.Option(["--version"], is_flag=True, expose_value=False, is_eager=True, callback=_version_option,
                         help="显示 bqw 的版本并退出"),
            click.Option(["--install-completion"], is_flag=False, flag_value="", default=None, metavar="[SHELL]",
                         expose_value=False, callback=_completion_option,
                         help="为当前的 shell（bash、zsh、fish、PowerShell）安装命令补全：按 Tab 键补全命令和选项"),
            click.Option(["--show-completion"], is_flag=False, flag_value="", default=None, metavar="[SHELL]",
                         expose_value=False, callback=_completion_option,
                         help="显示命令补全的脚本，可复制后自行安装"),
        ]

    def _main_shell_completion(self, ctx_args, prog_name: str, complete_var: str | None = None) -> None:
        from typer._completion_classes import completion_init

        completion_init()  # typer's classes speak the protocol of its scripts (_BQW_COMPLETE=complete_bash)
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


def _workspace_option(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        os.environ["BQW_WORKSPACE"] = value


def _version_option(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from bqw.core.version import VERSION

        click.echo(f"bqw {VERSION}")
        ctx.exit(ExitCode.OK)


def _completion_option(ctx: click.Context, param: click.Parameter, shell: str | None) -> None:
    """--show-completion [SHELL] prints typer's script for the shell; --install-completion [SHELL] adds it
    to the shell's start-up file. Without SHELL, the shell bqw runs in."""
    if shell is None or ctx.resilient_parsing:
        return
    if not shell:
        import shellingham

        try:
            shell = shellingham.detect_shell()[0]
        except shellingham.ShellDetectionFailure:
            shell = ""
    if shell not in SHELLS:
        typer.echo(f"用法错误：无法为“{shell or '未能识别的 shell'}”提供命令补全，可用：{'、'.join(SHELLS)}"
                   f"（如 bqw {param.opts[0]} bash）", err=True)
        ctx.exit(ExitCode.USAGE)
    from typer._completion_shared import get_completion_script, install

    prog = ctx.find_root().info_name or "bqw"
    var = f"_{prog.replace('-', '_').upper()}_COMPLETE"
    if param.name == "show_completion":
        click.echo(get_completion_script(prog_name=prog, complete_var=var, shell=shell))
    else:
        shell, path = install(shell=shell, prog_name=prog, complete_var=var)
        click.echo(f"已为 {shell} 安装命令补全：{path}。重新打开终端后生效。")
    ctx.exit(ExitCode.OK)


app = typer.Typer(
    name="bqw",
    cls=BqwGroup,
    no_args_is_help=True,
    add_completion=False,  # BqwGroup offers it, in Chinese, beside the other global options
    suggest_commands=False,  # click itself says “您是否要输入…？”; typer's would say it a second time
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root() -> None:
    """百千万工程台账工具：校验、合并、统计报表，生成通报与简报。

    每个命令的说明和示例：bqw 命令 --help。
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
            app.command(name, cls=BqwCommand, epilog=GLOBAL_EPILOG)(command)
    from bqw.cli import serving  # a group: bqw serve, bqw serve links / revoke / passwd

    for command in serving.GROUP.registered_commands:
        command.cls, command.epilog = BqwCommand, GLOBAL_EPILOG
    app.add_typer(serving.GROUP, name="serve", epilog=GLOBAL_EPILOG)


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

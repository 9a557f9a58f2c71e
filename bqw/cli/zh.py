"""click's and typer's own words in Chinese, and help text wrapped as Chinese is written.

click and typer pass every string a user can meet (“Usage:”, “[required]”, “Missing option”, “No such
command”) through gettext's `_()` / `ngettext()`, imported by name into each of their modules; install()
rebinds those names to look the message up in CATALOGUE. A message without a translation stays as click
wrote it. Chinese has no spaces, so click's textwrap breaks inside Latin words (“rost/er”); wrap() breaks
between Chinese characters, at spaces and at punctuation, never inside a Latin word or a number, and
measures what a terminal shows (a Chinese character takes two columns).
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.shell_completion
import click.termui
import click.types
import click.utils
import typer.core

# click 8.5's and typer 0.24's msgids (the first argument of `_()` / `ngettext()`) → Chinese. The
# placeholders are click's names; `{name!r}` may be written `{name}` here (quoted the Chinese way).
CATALOGUE = {
    # help pages
    "Usage:": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Positional arguments": "参数",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（随情况而定）",
    "deprecated": "已停用",
    # usage errors
    "Error: {message}": "用法错误：{message}",  # click says it of usage errors (exit 2), as bqw does
    "Try '{command} {option}' for help.": "查看帮助：{command} {option}",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少必填的选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有 {name} 这个选项。",
    "No such command {name!r}.": "没有“{name}”这个命令。",
    "Did you mean {possibility}?": "您是否要输入：{possibility}？",
    "(Did you mean one of: {possibilities}?)": "您是否要输入：{possibilities}？",
    "Got unexpected extra argument ({args})": "多余的参数：{args}",
    "Got unexpected extra arguments ({args})": "多余的参数：{args}",
    "Option {name!r} requires an argument.": "选项 {name} 后面缺少要填的值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 后面要填 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name} 后面不能填值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 要填 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Value must be an iterable.": "应填一组值。",
    "Takes {nargs} values but 1 was given.": "要填 {nargs} 个值，只填了 1 个。",
    "Takes {nargs} values but {len} were given.": "要填 {nargs} 个值，填了 {len} 个。",
    "{len_type} values are required, but {len_value} was given.": "要填 {len_type} 个值，填了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "要填 {len_type} 个值，填了 {len_value} 个。",
    "{value!r} is not {choice}.": "“{value}”不是可选的值，只能填 {choice}。",
    "{value!r} is not one of {choices}.": "“{value}”不是可选的值，可选：{choices}。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 超出了允许的范围（{range}）。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "“{value}”不是有效的是/否值，可填：{states}",
    "{value!r} does not match the format {format}.": "“{value}”不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "“{value}”不符合格式 {formats} 中的任何一种。",
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是一个文件。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是一个文件夹。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”不可读。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”不可写。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "unknown error": "未知错误",
    "Aborted!": "已中止。",
    # prompts and shell completion
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不再询问，直接确认。",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    "Shell completion is not supported for Bash versions older than 4.4.": "Bash 4.4 以前的版本不支持自动补全。",
    "Couldn't detect Bash version, shell completion is not supported.": "无法识别 Bash 的版本，不支持自动补全。",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "提示：命令“{name}”已停用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "提示：{param_type}“{name}”已停用。{extra_message}",
}

# A type's name is its metavar in the help (--year INTEGER) and its word in “不是有效的…”
TYPE_NAMES = {click.types.StringParamType: "文字", click.types.IntParamType: "整数", click.types.IntRange: "整数",
              click.types.FloatParamType: "数字", click.types.FloatRange: "数字", click.types.BoolParamType: "是/否",
              click.types.Path: "路径", click.types.File: "文件"}

# the modules of click and typer that import gettext's `_` or `ngettext` by name
_MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.shell_completion,
            click.termui, click.types, click.utils, typer.core)
NOT_A_TTY_WIDTH = 100


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


# --- width and wrapping --------------------------------------------------------------------------------

_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")
# Chinese punctuation: may not begin a line (closing) / may not end one (opening); a line may break beside it
_NO_START = set("，。、；：！？）》」』】〉”’…")
_NO_END = set("（《「『【〈“‘")
_PUNCT = _NO_START | _NO_END


def columns(text: str) -> int:
    """The columns a terminal gives `text`: two for a Chinese character or full-width sign."""
    if "\033" in text:
        text = _ANSI.sub("", text)
    return len(text) + sum(1 for c in text if c >= "\u1100" and unicodedata.east_asian_width(c) in "WF")


def _wide(c: str) -> bool:
    """A Chinese character or punctuation mark: a line may break before or after it."""
    return unicodedata.east_asian_width(c) in "WF" or c in _PUNCT


def _units(text: str) -> list[tuple[str, bool]]:
    """`text` as (unit, space before it): a unit is a Latin word or number (never split), or a Chinese
    character with the punctuation that may not be parted from it."""
    tokens: list[tuple[str, bool]] = []
    space = False
    for c in text:
        if c.isspace():
            space = True
            continue
        if tokens and not space and not _wide(c) and not _wide(tokens[-1][0][-1]):
            tokens[-1] = (tokens[-1][0] + c, tokens[-1][1])  # a Latin word or number goes on
        else:
            tokens.append((c, space))
        space = False
    units: list[tuple[str, bool]] = []
    for token, space in tokens:
        if units and not space and (token[0] in _NO_START or units[-1][0][-1] in _NO_END):
            units[-1] = (units[-1][0] + token, units[-1][1])
        else:
            units.append((token, space))
    return units


def _fill(text: str, width: int, first: str, rest: str) -> list[str]:
    """`text` in lines of at most `width` columns, the first starting with `first`, the others with `rest`."""
    lines: list[str] = []
    line, used, empty = first, columns(first), True
    for unit, space in _units(text):
        size, gap = columns(unit), " " if space and not empty else ""
        if not empty and used + len(gap) + size > width:
            lines.append(line)
            line, used, empty, gap = rest, columns(rest), True, ""
        while empty and used + size > width:  # longer than a whole line (a long path): cut it
            cut = _cut(unit, width - used)
            if cut >= len(unit):
                break
            lines.append(line + unit[:cut])
            line, used, unit = rest, columns(rest), unit[cut:]
            size = columns(unit)
        line, used, empty = line + gap + unit, used + len(gap) + size, False
    lines.append(line)
    return [x.rstrip() for x in lines]


def _cut(unit: str, room: int) -> int:
    """How many characters of `unit` fit in `room` columns (at least one)."""
    n = 0
    while n < len(unit) and columns(unit[: n + 1]) <= room:
        n += 1
    return max(n, 1)


def _join(lines: list[str]) -> str:
    """The lines of one paragraph as one: Chinese runs on across a line end, a Latin word is spaced."""
    out = ""
    for line in (x.strip() for x in lines):
        punct = out[-1:] in _PUNCT or line[:1] in _PUNCT
        if out and line and not punct and not (_wide(out[-1]) and _wide(line[0])):
            out += " "
        out += line
    return out


def wrap(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
         preserve_paragraphs: bool = False) -> str:
    """click.formatting.wrap_text's contract (paragraphs split by blank lines, a paragraph's own indent
    kept, one marked with \\b left as written), wrapped by _fill."""
    text = text.expandtabs()
    if not preserve_paragraphs:
        return "\n".join(_fill(_join(text.splitlines()), width, initial_indent, subsequent_indent))
    paragraphs: list[tuple[int, bool, list[str]]] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [x for x in block.splitlines() if x.strip()]
        if not lines:
            continue
        indent = len(lines[0]) - len(lines[0].lstrip())
        raw = lines[0].strip() == "\b"
        paragraphs.append((indent, raw, lines[1:] if raw else lines))
    out = []
    for indent, raw, lines in paragraphs:
        first, rest = initial_indent + " " * indent, subsequent_indent + " " * indent
        if raw:
            out.append("\n".join(rest + x for x in lines))
        else:
            out.append("\n".join(_fill(_join(lines), width, first, rest)))
    return "\n\n".join(out)


def terminal_width() -> int:
    """The terminal's width (less click's margin of two), or 100 when the help goes to a file or pipe."""
    if not sys.stdout.isatty():
        return NOT_A_TTY_WIDTH
    return max(shutil.get_terminal_size().columns - 2, 50)


class HelpFormatter(click.HelpFormatter):
    """click's, as wide as the terminal, with Chinese headings (“选项：”, “用法：bqw …”)."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None):
        if width is None and click.formatting.FORCED_WIDTH is None:
            width = terminal_width()
        super().__init__(indent_increment, width, max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, gettext("Usage:") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


def _possibilities(possibilities: list[str]) -> str:
    from bqw.core.suggest import phrase

    return phrase(sorted(possibilities))


def install() -> None:
    """Once, at start-up (bqw.cli.app): click and typer speak Chinese and wrap by wrap()."""
    for module in _MODULES:
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    for kind, name in TYPE_NAMES.items():
        kind.name = name
    click.formatting.wrap_text = wrap
    click.formatting.term_len = columns
    click.Context.formatter_class = HelpFormatter
    if hasattr(click.exceptions, "_format_possibilities"):  # “Did you mean …?” as bqw's own suggestions say it
        click.exceptions._format_possibilities = _possibilities

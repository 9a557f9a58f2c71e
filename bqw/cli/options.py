"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from bqw.ledgers import KINDS, KIND_ZH


class Format(str, Enum):
    table = "table"
    json = "json"


# Each option below is declared once and used by every command that takes it (docs/cli.md is generated
# from these); a default that differs by command (--lock-timeout) is the command's parameter default.
KindOpt = Annotated[Optional[str], typer.Option(
    "--kind", "-k", metavar="KIND",
    help="台账类型：" + "、".join(f"{k}（{KIND_ZH[k]}）" for k in KINDS) + "；不填则按表头自动识别")]
PeriodOpt = Annotated[Optional[str], typer.Option(
    "--period", "-p", metavar="期间",
    help="期间：月 2026-10、周 2026-W44、季度 2026-Q3、半年 2026-H1 或年度 2026。validate、merge 只接受月份"
         "（台账按月报送，按月核对、合并）；run 给季度、半年、年度或周时，台账仍按各自月份归档，统计和通报按该期间。"
         "不填时：validate、merge、run 按表中日期、标题或文件名识别；summarise、tongbao、jianbao 取最近的挂点调研月份；"
         "history 列出全部期间")]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="YYYY-MM-DD",
    help="统计日，如 2026-10-31，任务逾期和序时进度按此计算。默认今天；tongbao、jianbao 默认为期间的最后一天"
         "（期间未结束时为今天）")]
LockTimeoutOpt = Annotated[float, typer.Option(
    "--lock-timeout", metavar="秒", help="另一个 bqw 正在使用归档时最多等待的秒数")]
AssignmentsOpt = Annotated[Optional[Path], typer.Option(
    "--assignments", metavar="FILE", help="镇领导挂点联系村安排表，用于核对调研地点是否为挂点村")]
RosterOpt = Annotated[Optional[Path], typer.Option(
    "--roster", metavar="FILE", help="指挥部成员名单，用于核对领导姓名和单位")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="输出格式：table（表格）或 json")]
# -q keeps a command's conclusion (each file's verdict, the files written, what needs doing) and drops the
# rest; JSON is data for programs and is printed whole
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="只输出结论（结果、写出的文件、需要处理的问题），不显示进度、明细和提示；json 格式不受影响")]


def usage_error(message: str) -> typer.Exit:
    """Print a Chinese usage message to stderr; the caller raises the returned Exit (code 2)."""
    from bqw.cli.exit import ExitCode

    typer.echo(f"用法错误：{message}（查看帮助：bqw <命令> --help）", err=True)
    return typer.Exit(ExitCode.USAGE)


def check_kind(kind: str | None, what: str = "--kind") -> str | None:
    """A ledger kind, also given by its Chinese name (挂点调研台账 → visits); `what` names it in the message."""
    if kind is None or kind in KINDS:
        return kind
    from bqw.core.suggest import did_you_mean

    named = {zh: k for k, zh in KIND_ZH.items()}
    if kind.strip() in named:
        return named[kind.strip()]
    raise usage_error(f"{what} 的值“{kind}”不是已知的台账类型。{did_you_mean(kind, KINDS, named)}"
                      "可选：" + "、".join(f"{k}（{KIND_ZH[k]}）" for k in KINDS))


def check_period(period: str | None) -> str | None:
    """A --period of any kind (bqw.core.periods) as its key: 2026-W44, 2026-10, 2026-Q3, 2026-H1, 2026."""
    if period is None:
        return None
    from bqw.core.periods import Period, PeriodError

    try:
        return Period.parse(period).key
    except PeriodError as e:
        raise usage_error(f"--period 的值{e}") from None


def check_month(period: str | None, command: str) -> str | None:
    """A --period that must be a month: validate and merge read a month's ledgers as that month's (a file
    that does not say its month takes it), which no quarter or year can stand for."""
    if period is None:
        return None
    from bqw.core.periods import Period, PeriodError, PeriodKind

    try:
        found = Period.parse(period)
    except PeriodError:
        found = None
    if found is None or found.kind is not PeriodKind.month:
        what = f"是{found.label}，" if found is not None else "不是有效的月份，"
        raise usage_error(f"--period 的值“{period}”{what}bqw {command} 按月核对、合并台账，应写成 YYYY-MM，如 2026-10"
                          "（季度、半年、年度的统计请用 bqw summarise --period 2026-Q3）")
    return found.key


def check_date(value: str | None, option: str):
    """A YYYY-MM-DD option as a date."""
    if value is None:
        return None
    from datetime import date

    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise usage_error(f"{option} 的值“{value}”不是有效的日期，应写成 YYYY-MM-DD，如 2026-10-31") from None
    if option == "--as-of" and day > date.today():  # nothing is known of a day to come: no overdue, no pace
        raise usage_error(f"--as-of 的值“{value}”晚于今天（{date.today().isoformat()}）：统计日不能在将来，"
                          "请写今天或之前的日期")
    return day

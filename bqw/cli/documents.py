"""`bqw tongbao` and `bqw jianbao`: 通报 and 简报 as .docx from the workspace archive (docs/documents.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from bqw.cli.common import check_output, lock_busy, protected, workspace
from bqw.cli.options import (AsOfOpt, Format, FormatOpt, LockTimeoutOpt, PeriodOpt, QuietOpt, check_date,
                             check_period, usage_error)

TYPES = ("进展", "问题", "议定", "年度", "季度")
CYCLE_TYPES = ("年度", "季度")  # the year's 考评 and the quarter's 推进 (bqw.documents.annual)

DateOpt = Annotated[Optional[str], typer.Option(
    "--date", metavar="YYYY-MM-DD", help="成文日期（印发日期），默认今天")]


def _open(ctx: typer.Context, period: str | None, as_of: str | None):
    """(cfg, period, as_of) after checking the options and that the archive exists."""
    cfg = workspace(ctx)
    period = check_period(period)
    as_of_date = check_date(as_of, "--as-of")
    if not cfg.archive.exists():
        raise usage_error(f"归档 {cfg.archive} 不存在（先用 bqw merge 或 bqw run 合并本期台账）")
    return cfg, period, as_of_date


def _issued(day: str | None):
    """The 成文日期: --date, else today."""
    return check_date(day, "--date") or date.today()


def _gather(cfg, store, period, as_of_date, issued: date):
    from bqw.documents.source import default_as_of, default_period
    from bqw.jobs.documents import gather

    period = period or default_period(store, as_of_date)
    as_of_date = as_of_date or default_as_of(period)
    src = gather(cfg, store, period=period, as_of=as_of_date)
    if src.visits is None and src.tasks is None and src.meetings is None:
        raise usage_error(f"归档 {cfg.archive} 中没有 {period} 的挂点调研台账，也没有问题整改台账、会议议定事项台账"
                          "（先用 bqw merge 或 bqw run 合并本期台账，或用 --period 指定其他期间）")
    _dated_after(issued, src.as_of)
    return src


def _dated_after(issued: date, data_day: date) -> None:
    """A document is never dated before the day its figures are counted to (checked before it takes a number)."""
    if issued < data_day:
        raise usage_error(f"成文日期 {issued.isoformat()} 早于数据截至日 {data_day.isoformat()}：文件不能在数据截至之前印发。"
                          f"请把 --date 改为 {data_day.isoformat()} 或之后，或用 --as-of 指定更早的统计日")


def _output(cfg, out: Path | None, period: str, count: int) -> Path:
    if out is None:
        return cfg.out / period
    if out.suffix.lower() == ".docx":
        if count > 1:
            raise usage_error(f"本次要写出 {count} 份文件，-o 应为文件夹而不是 {out.name}")
        return out
    if out.suffix:
        raise usage_error(f"-o 应为文件夹或以 .docx 结尾的文件名，而不是 {out.name}")
    return out


def _check_out(cfg, out: Path | None, *read: Path | None) -> None:
    """-o is neither the archive, nor a file read, nor inside the workspace's inbox (bqw.cli.common)."""
    if out is not None:
        check_output(out, protected(cfg, *read).add(cfg.archive, "归档"), folder=not out.suffix)


@dataclass
class Made:
    """What one tongbao/jianbao command wrote: its documents (bqw.documents.build.Written), for which
    period, counted as of which day, dated (成文日期) which day."""

    written: list
    period: str
    as_of: date
    issued: date


def _report(made: Made, fmt: Format, quiet: bool, render_note: bool) -> None:
    """The documents written: a line each (-q too: they are the conclusion), or one JSON object."""
    if fmt == Format.json:
        from bqw.output.jsontext import dumps, with_version

        files = [{"path": str(w.path), "kind": w.kind, "title": w.title, "number": w.number, "doc_number": w.label,
                  "pages": w.pages} for w in made.written]
        typer.echo(dumps(with_version({"period": made.period, "as_of": made.as_of.isoformat(),
                                       "date": made.issued.isoformat(), "files": files})))
        return
    for w in made.written:
        pages = f"，{w.pages}页" if w.pages else ""
        typer.echo(f"已写出：{w.path}（{w.label}{pages}）")
    if render_note and not quiet:
        from bqw.documents.render import soffice

        if soffice() is None:
            typer.echo("提示：未找到 LibreOffice，未能核对版记是否在偶数页；打印前请在 Word/WPS 中查看一遍。")


def _run(cfg, lock_timeout: float, work):
    """Run `work()` holding the archive lock; Chinese usage errors for the known failures."""
    from bqw.store.archive import ArchiveError
    from bqw.documents.common import TemplateError
    from bqw.documents.jianbao import NotesError
    from bqw.documents.source import NoData
    from bqw.store.lock import LockBusy, locked

    try:
        with locked(cfg.archive, timeout=lock_timeout):
            return work()
    except LockBusy as e:
        raise lock_busy(e, cfg.archive, lock_timeout)
    except (NoData, TemplateError, NotesError, ArchiveError) as e:
        raise usage_error(str(e))


def tongbao_cmd(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(
        "--type", "-t", metavar="进展|问题|议定|年度|季度",
        help="通报类型：进展（月度进展通报）、问题（“一对一”问题通报，每个有未办结事项的单位一份）、"
             "议定（会议议定事项落实情况通报）、年度（年度考评通报，--period 2026）、"
             "季度（季度推进情况通报，--period 2026-Q3）")] = "进展",
    period: PeriodOpt = None,
    as_of: AsOfOpt = None,
    unit: Annotated[Optional[str], typer.Option(
        "--unit", metavar="单位", help="只写这个牵头单位（或责任单位）的“一对一”通报（--type 问题）")] = None,
    overdue_only: Annotated[bool, typer.Option(
        "--overdue-only", help="“一对一”通报只写给有逾期事项的单位（--type 问题）")] = False,
    out: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="FILE_OR_DIR", help="输出文件（.docx）或文件夹；默认为工作区 out/<期间>/")] = None,
    doc_no: Annotated[Optional[int], typer.Option(
        "--doc-no", metavar="N", min=1, help="发文字号中的序号（只写一份时）；默认自动编号，同一份通报重写时沿用原号")] = None,
    day: DateOpt = None,
    lock_timeout: LockTimeoutOpt = 60.0,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
):
    """写出通报（.docx，党政机关公文格式）：月度进展通报、“一对一”问题通报、会议议定事项落实情况通报。

    数字全部取自归档的统计结果（与 bqw run 的统计表一致）；发文机关、文号前缀、主送、抄送、印发机关取自
    bqw.toml。发文字号按年度自动编号并记在归档中。

    示例：

      bqw tongbao --type 进展 --period 2026-10

      bqw tongbao --type 问题 --as-of 2026-10-31 -o out/通报/

      bqw tongbao --type 问题 --unit 农业农村办 --doc-no 12

      bqw tongbao --type 议定 --date 2026-11-03
    """
    if kind not in TYPES:
        from bqw.core.suggest import did_you_mean

        raise usage_error(f"--type 的值“{kind}”不是已知的通报类型。{did_you_mean(kind, TYPES)}可选：" + "、".join(TYPES))
    if unit is not None and kind != "问题":
        raise usage_error("--unit 只用于“一对一”问题通报（--type 问题）")
    if overdue_only and kind != "问题":
        raise usage_error("--overdue-only 只用于“一对一”问题通报（--type 问题）")
    cfg, period, as_of_date = _open(ctx, period, as_of)
    issued = _issued(day)
    _check_out(cfg, out)

    def work():
        from bqw.store.archive import Archive
        from bqw.documents.build import plan_tongbao, produce

        with Archive(cfg.archive) as store:
            if kind in CYCLE_TYPES:
                from bqw.jobs.cycle import plan_cycle

                if not period:
                    raise usage_error(f"--type {kind} 要用 --period 指定{'年度（如 2026）' if kind == '年度' else '季度（如 2026-Q3）'}")
                planned, counted = plan_cycle(cfg, store, kind, period=period, as_of=as_of_date, day=issued)
                _dated_after(issued, counted)
                written = produce(cfg, store.db, planned, _output(cfg, out, period, len(planned)), fixed=doc_no)
                return Made(written, period, counted, issued)
            src = _gather(cfg, store, period, as_of_date, issued)
            planned = plan_tongbao(cfg, src, kind, day=issued, unit=unit, only_overdue=overdue_only)
            if doc_no is not None and len(planned) > 1:
                raise usage_error(f"本次要写出 {len(planned)} 份“一对一”通报，--doc-no 只能用于一份（可加 --unit）")
            target = _output(cfg, out, src.period, len(planned))
            written = produce(cfg, store.db, planned, target, fixed=doc_no)
            if doc_no is not None:
                from bqw.documents import numbering as N

                others = N.holders(store.db, N.TONGBAO, cfg.year, doc_no, except_key=planned[0].key)
                if others:
                    typer.echo(f"注意：{written[0].label}已用于：{'、'.join(others)}", err=True)
            return Made(written, src.period, src.as_of, issued)

    _report(_run(cfg, lock_timeout, work), fmt, quiet, render_note=True)


def jianbao_cmd(
    ctx: typer.Context,
    period: PeriodOpt = None,
    as_of: AsOfOpt = None,
    notes: Annotated[Optional[Path], typer.Option(
        "--notes", metavar="FILE.md", help="工作人员撰写的素材（Markdown 或文本）：“## 工作动态”“## 进展情况”"
                                           "“## 存在问题”“## 下步工作”下的文字并入简报的相应部分")] = None,
    issue_no: Annotated[Optional[int], typer.Option(
        "--issue-no", metavar="N", min=1, help="期号；默认按年度自动编号，同一期间重写时沿用原期号")] = None,
    supplement: Annotated[bool, typer.Option("--supplement", help="增刊（期号单独编排：增刊第N期）")] = False,
    out: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="FILE", help="输出文件（.docx）或文件夹；默认为工作区 out/<期间>/")] = None,
    day: DateOpt = None,
    lock_timeout: LockTimeoutOpt = 60.0,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
):
    """写出工作简报（.docx）：报头（简报名称、期号、编印单位、日期）、报核、报尾（报、送、发，共印N份）。

    报核分“工作动态”“进展情况”“存在问题”“下步工作”四部分，数字取自归档的统计结果，--notes 素材中
    同名标题下的文字并入相应部分（“# 标题”替换简报标题，“## 编者按”放在标题前）。期号按年度编号并记在
    归档中，增刊单独编号。

    示例：

      bqw jianbao --period 2026-10

      bqw jianbao --period 2026-10 --notes 素材/10月简报.md -o out/简报/

      bqw jianbao --supplement --notes 素材/专题.md --issue-no 2
    """
    cfg, period, as_of_date = _open(ctx, period, as_of)
    issued = _issued(day)
    if notes is not None and not notes.is_file():
        raise usage_error(f"找不到素材文件 {notes}")
    _check_out(cfg, out, notes)

    def work():
        from bqw.store.archive import Archive
        from bqw.documents import numbering as N
        from bqw.documents.build import plan_jianbao, produce
        from bqw.documents.jianbao import read_notes

        parsed = read_notes(notes) if notes is not None else None
        with Archive(cfg.archive) as store:
            src = _gather(cfg, store, period, as_of_date, issued)
            planned = plan_jianbao(cfg, src, day=issued, notes=parsed, notes_path=notes,
                                   supplement=supplement)
            target = _output(cfg, out, src.period, 1)
            written = produce(cfg, store.db, [planned], target, fixed=issue_no, render=False)
            if issue_no is not None:
                others = N.holders(store.db, planned.series, cfg.year, issue_no, except_key=planned.key)
                if others:
                    typer.echo(f"注意：{cfg.year}年{written[0].label}已用于：{'、'.join(others)}", err=True)
            return Made(written, src.period, src.as_of, issued)

    _report(_run(cfg, lock_timeout, work), fmt, quiet, render_note=False)


COMMANDS = {"tongbao": tongbao_cmd, "jianbao": jianbao_cmd}

"""Findings and reports -> a rich table for people (JSON is in bqw.validate.report_dict)."""

from __future__ import annotations

import sys

from bqw.findings import ERROR, SEVERITY_ZH, WARNING
from bqw.ledgers import KIND_ZH


def console(stream=None):
    from rich.console import Console

    stream = stream or sys.stdout
    # No colour or markup tricks when piped (cron, files): plain text only.
    return Console(file=stream, highlight=False, soft_wrap=False,
                   width=None if stream.isatty() else 120)


def print_validation(results, fmt: str = "table", quiet: bool = False, stream=None) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console(stream)
    totals = {ERROR: 0, WARNING: 0}
    for r in results:
        errors = sum(1 for f in r.findings if f.severity == ERROR)
        warnings = sum(1 for f in r.findings if f.severity == WARNING)
        totals[ERROR] += errors
        totals[WARNING] += warnings
        if r.skipped:
            out.print(Text(f"— 跳过 {r.path}：{r.skipped}", style="dim"))
            continue
        kind = KIND_ZH.get(r.kind, "未识别") if r.kind else "未识别"
        if not quiet:
            out.print(Text(f"\n文件：{r.path}", style="bold"))
            out.print(f"  台账类型：{kind}；读取 {r.rows} 行")
            for note in r.notes:
                out.print(Text(f"  说明：{note}", style="dim"))
        if r.findings and not quiet:
            table = Table(show_lines=False, pad_edge=False, expand=False)
            for title in ("级别", "工作表", "单元格", "列", "规则", "问题说明"):
                table.add_column(title, overflow="fold")
            for f in sorted(r.findings, key=lambda f: (f.severity != ERROR, f.severity != WARNING)):
                style = {ERROR: "red", WARNING: "yellow"}.get(f.severity, "cyan")
                table.add_row(Text(SEVERITY_ZH[f.severity], style=style), f.sheet or "", f.cell or "",
                              f.column or "", f.code, f.message)
            out.print(table)
        if errors:
            verdict = Text(f"✘ 未通过：{r.path.name}（{errors} 个错误，{warnings} 个警告）", style="bold red")
        else:
            verdict = Text(f"✔ 通过：{r.path.name}（{r.rows} 行，{warnings} 个警告）", style="bold green")
        out.print(verdict)
    if len(results) > 1:
        failed = sum(1 for r in results if not r.valid and not r.skipped)
        out.print(f"\n共 {len(results)} 个文件：{failed} 个未通过，"
                  f"{totals[ERROR]} 个错误，{totals[WARNING]} 个警告。")


def print_merge(result, quiet: bool = False, stream=None) -> None:
    """The merge summary: one line, then supersessions, skipped files and the 催报 list."""
    from rich.table import Table
    from rich.text import Text

    out = console(stream)
    if not quiet:
        table = Table(show_lines=False, pad_edge=False)
        for title in ("文件", "状态", "填报人/单位", "期间", "接收", "待核实", "说明"):
            table.add_column(title, overflow="fold")
        status_zh = {"accepted": "已接收", "duplicate": "重复", "unchanged": "已归档", "skipped": "跳过"}
        for o in result.outcomes:
            state = "已被替换" if o.superseded_by else status_zh[o.status]
            note = o.reason or (f"被“{o.superseded_by}”替换" if o.superseded_by else "")
            style = "red" if o.held or (o.status == "skipped" and o.findings) else None
            table.add_row(o.name, Text(state, style=style), o.submitter or "", o.period or "",
                          str(o.accepted), str(o.held), note)
        out.print(table)
    for old, new in result.supersessions:
        out.print(f"更正替换：“{new.file_name}”替换了“{old.file_name}”（{new.submitter}，{new.period or '期间未注明'}）")
    for o in result.skipped:
        out.print(f"跳过：{o.name}（{o.reason}）")
    if not result.archive_changed:
        out.print("没有新的提交：归档未改变。")
    new = sum(1 for o in result.outcomes if o.status == "accepted")
    same = sum(1 for o in result.outcomes if o.status == "unchanged")
    out.print(f"合并完成：读取 {len(result.outcomes)} 个文件（新接收 {new} 个，"
              + (f"此前已归档 {same} 个，" if same else "") + f"重复提交 {result.duplicates} 个，"
              f"更正替换 {len(result.supersessions)} 个，跳过 {len(result.skipped)} 个）；"
              f"合并台账共 {result.merged_rows} 行，待核实 {result.held_rows} 行。")
    for fam, who in result.not_submitted.items():
        if who:
            out.print(Text(f"催报（本期未报送）：{'、'.join(who)}", style="bold yellow"))
        else:
            out.print("催报：应报单位/人员均已报送。")
    for p in result.outputs:
        out.print(f"已写出：{p}")


def print_history(subs, events, filtered: bool = False, stream=None) -> None:
    from rich.table import Table

    from bqw.ledgers import KIND_ZH

    out = console(stream)
    table = Table(title="归档中的提交", pad_edge=False)
    for title in ("编号", "到达时间", "类型", "填报人/单位", "期间", "文件", "行数", "待核实", "状态"):
        table.add_column(title, overflow="fold")
    for s in subs:
        state = "当前" if s.status == "current" else f"已被 #{s.superseded_by} 替换"
        table.add_row(str(s.id), s.arrived_at, KIND_ZH.get(s.kind, s.kind), s.submitter or "", s.period or "",
                      s.file_name, str(s.rows), str(s.held), state)
    out.print(table)
    ids = {s.id for s in subs}
    shown = [e for e in events if not filtered or e["submission_id"] in ids or e["other_id"] in ids]
    if shown:
        ev = Table(title="事件", pad_edge=False)
        for title in ("时间", "事件", "文件", "说明"):
            ev.add_column(title, overflow="fold")
        names = {"duplicate": "重复提交", "skip": "跳过", "supersede": "更正替换"}
        for e in shown:
            note = e["reason"] or (f"#{e['submission_id']} 替换 #{e['other_id']}" if e["event"] == "supersede" else "")
            ev.add_row(e["at"], names.get(e["event"], e["event"]), e["path"] or "", note)
        out.print(ev)


def print_run(result, cfg, quiet: bool = False, stream=None) -> None:
    """What `bqw run` did, in a few lines (cron mails this)."""
    out = console(stream)
    if result.nothing_new:
        out.print(f"没有新文件（收件箱中 {result.unchanged} 个文件此前已处理），未做任何改动。")
    else:
        if not quiet and result.merge is not None:
            print_merge(result.merge, quiet=True, stream=stream)
        for p in result.returned:
            out.print(f"退回件：{p}")
        if not quiet:
            for p in result.outputs:
                out.print(f"输出：{p}")
    for problem in result.problems:
        out.print(f"需要处理：{problem}")
    out.print(f"运行日志：{cfg.log}")

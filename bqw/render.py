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
            for f in sorted(r.findings, key=lambda f: f.severity != ERROR):
                style = "red" if f.severity == ERROR else "yellow"
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

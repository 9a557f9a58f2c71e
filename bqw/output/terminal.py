"""Findings, reports and summaries -> rich tables for people (JSON is in bqw.jobs.validate.report_dict
and bqw.output.reports). The one module outside bqw/cli that uses rich."""

from __future__ import annotations

import sys

from bqw.core.findings import ERROR, SEVERITY_ZH, WARNING
from bqw.ledgers import KIND_ZH
from bqw.output.reports import AMBER, GREEN, RED, as_list, cell_text, status_colour


# The width of a console that is not a terminal: wide enough that no line is ever folded (cron mail and grep
# must see a whole path on one line) and tables take their natural width. Rich pads nothing to it.
PIPED_WIDTH = 1_000_000


def console(stream=None):
    from rich.console import Console

    stream = stream or sys.stdout
    # No colour or markup tricks when piped (cron, files): plain text only.
    # markup off: a cell may hold “[/b]” or “[limits]”, which rich would take as tags (or fail on)
    return Console(file=stream, highlight=False, soft_wrap=False, markup=False,
                   width=None if stream.isatty() else PIPED_WIDTH)


# the symbols bqw prints, and stand-ins a GBK console can show (both in GB 2312)
MARKS = {"pass": ("✔", "√"), "fail": ("✘", "×")}


def mark(name: str, out) -> str:
    """The symbol `name` as the console `out` can show it: ✔/✘, or √/× on a console whose encoding
    lacks them (GBK on Chinese Windows, a pipe with PYTHONIOENCODING=gbk)."""
    symbol, stand_in = MARKS[name]
    try:
        symbol.encode(out.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return stand_in
    return symbol


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
            verdict = Text(f"{mark('fail', out)} 未通过：{r.path.name}（{errors} 个错误，{warnings} 个警告）", style="bold red")
        else:
            verdict = Text(f"{mark('pass', out)} 通过：{r.path.name}（{r.rows} 行，{warnings} 个警告）", style="bold green")
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
    # one line per kind with someone missing; “all reported” only when no kind has anyone missing
    from bqw.output.ledger import kind_title

    missing = {fam: who for fam, who in result.not_submitted.items() if who}
    for fam, who in missing.items():
        out.print(Text(f"催报（{kind_title(fam)}本期未报送）：{'、'.join(who)}", style="bold yellow"))
    if result.not_submitted and not missing:
        out.print("催报：应报单位/人员均已报送。")
    for p in result.outputs:
        out.print(f"已写出：{p}")


def print_history(subs, events, filtered: bool = False, quiet: bool = False, stream=None) -> None:
    """The archive's submissions and events as two tables; `quiet`: one line counting them."""
    from rich.table import Table

    from bqw.ledgers import KIND_ZH

    out = console(stream)
    ids = {s.id for s in subs}
    shown = [e for e in events if not filtered or e["submission_id"] in ids or e["other_id"] in ids]
    if quiet:
        current = sum(1 for s in subs if s.status == "current")
        rejected = sum(1 for s in subs if s.status == "rejected")
        out.print(f"归档中有 {len(subs)} 份提交（当前 {current} 份，已被替换 {len(subs) - current - rejected} 份"
                  + (f"，已退回 {rejected} 份" if rejected else "") + f"），事件 {len(shown)} 条。")
        return
    table = Table(title="归档中的提交", pad_edge=False)
    for title in ("编号", "到达时间", "类型", "填报人/单位", "期间", "文件", "行数", "待核实", "状态"):
        table.add_column(title, overflow="fold")
    for s in subs:
        state = {"current": "当前", "rejected": "已退回"}.get(s.status) or f"已被 #{s.superseded_by} 替换"
        table.add_row(str(s.id), s.arrived_at, KIND_ZH.get(s.kind, s.kind), s.submitter or "", s.period or "",
                      s.file_name, str(s.rows), str(s.held), state)
    out.print(table)
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
        if result.backfilled:
            months = "、".join(result.backfilled)
            out.print(f"补报：已更新 {months} 的台账和统计；这些月份的通报/简报不自动生成，需要时用 "
                      f"bqw tongbao --period {result.backfilled[-1]}（或 bqw jianbao）生成。")
        if not quiet:
            for p in result.outputs:
                out.print(f"输出：{p}")
    for problem in result.problems:
        out.print(f"需要处理：{problem}")
    out.print(f"运行日志：{cfg.log}")


# --- bqw inspect -----------------------------------------------------------------------------

_CONTEXT_ZH = {"leader": "领导", "village": "村", "unit": "单位", "period": "期间", "year": "年度"}


def _kind_zh(kind: str | None) -> str:
    if kind is None:
        return "未识别"
    if kind == "rectification":
        return "整改台账（问题、责任、任务三张清单合在一张表）"
    return f"{KIND_ZH.get(kind, kind)}（{kind}）"


def _file_kind_zh(kind: str | None) -> str:
    """A file of the rectification family is named by its main list (ReadResult.kind) but holds all three."""
    from bqw.ledgers import RECTIFICATION

    return f"问题整改台账（{kind}）" if kind in RECTIFICATION else _kind_zh(kind)


def _row_span(rows: list[int]) -> str:
    """[3, 4] -> “第 3–4 行”; [2, 5] -> “第 2、5 行”."""
    if not rows:
        return "无"
    if rows == list(range(rows[0], rows[-1] + 1)) and len(rows) > 1:
        return f"第 {rows[0]}–{rows[-1]} 行"
    return "第 " + "、".join(str(r) for r in rows) + " 行"


def _skipped_runs(skipped: list[dict]) -> list[tuple[str, str]]:
    """Consecutive rows skipped for one reason shown once (“8–11”, 空行): a sheet may end in hundreds."""
    runs: list[list] = []
    for s in skipped:
        if runs and runs[-1][2] == s["reason"] and runs[-1][1] == s["row"] - 1:
            runs[-1][1] = s["row"]
        else:
            runs.append([s["row"], s["row"], s["reason"]])
    return [(str(a) if a == b else f"{a}–{b}", reason) for a, b, reason in runs]


def print_inspect(report: dict, quiet: bool = False, stream=None) -> None:
    """`bqw inspect` for people: per file, per sheet, what bqw read and why (bqw.jobs.inspect.inspect_report);
    `quiet`: per file its kind only."""
    from rich.text import Text

    out = console(stream)
    unread = 0
    for f in report["files"]:
        if f["skipped"]:
            out.print(Text(f"\n— 跳过 {f['path']}：{f['skipped']}", style="dim"))
            continue
        out.print(Text(f"\n文件：{f['path']}", style="bold"))
        if not any(s["kind"] for s in f["sheets"]):
            unread += 1
            out.print(Text(f"  {mark('fail', out)} 没有读到任何台账：", style="bold red") + Text(
                "文件无法打开" if not f["sheets"] else "没有可识别的工作表"))
        else:
            out.print(f"  台账类型：{_file_kind_zh(f['kind'])}")
        if quiet:
            continue
        for s in f["sheets"]:
            _print_sheet(out, s)
        for note in f["notes"]:
            out.print(Text(f"  说明：{note}", style="dim"))
        if f["findings"]:
            out.print("  读取时发现：")
            for x in f["findings"]:
                style = {ERROR: "red", WARNING: "yellow"}.get(x["severity"], "cyan")
                where = " ".join(p for p in (x["sheet"], x["cell"]) if p)
                out.print(Text("    - ") + Text(SEVERITY_ZH[x["severity"]], style=style)
                          + Text(f" {where + '：' if where else ''}{x['message']}（{x['code']}）"))
    if len(report["files"]) > 1:
        out.print(f"\n共 {len(report['files'])} 个文件" + (f"，{unread} 个没有读到台账。" if unread else "。"))


def _print_sheet(out, s: dict) -> None:
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    hidden = "（隐藏工作表）" if s["hidden"] else ""
    if not s["kind"]:
        out.print(Text(f"\n  工作表“{s['name']}”{hidden}：未读取", style="bold dim")
                  + Text(f"（{s['reason']}）" if s["reason"] else "", style="dim"))
        return
    out.print(Text(f"\n  工作表“{s['name']}”{hidden}：{_kind_zh(s['kind'])}", style="bold"))
    out.print(f"    识别依据：{s['reason']}")
    out.print(f"    表头行：{_row_span(s['header_rows'])}")
    first_last = s["data_rows"]
    span = f"第 {first_last[0]}–{first_last[1]} 行，共 {s['rows']} 行" if first_last else "没有数据行"
    out.print(f"    数据行：{span}")
    if s["hidden_rows"]:
        out.print(Text(f"    隐藏的行：{'、'.join(str(r) for r in s['hidden_rows'])}", style="yellow"))
    if s["hidden_columns"]:
        out.print(Text(f"    隐藏的列：{'、'.join(s['hidden_columns'])}", style="yellow"))
    columns = Table(title="各列读作", title_justify="left")
    for title in ("列", "表头原文", "读作"):
        columns.add_column(title, overflow="fold")
    for c in s["columns"]:
        if c["canonical"] == "保留":
            read_as = Text(f"保留为“{c['kept_as']}”", style="yellow")
        elif c["canonical"] == "忽略":
            read_as = Text("忽略", style="dim")
        else:
            read_as = Text(c["canonical"])
        columns.add_row(c["column"], c["label"] or "（无表头）", read_as)
    out.print(Padding(columns, (0, 0, 0, 4), expand=False))
    if s["skipped_rows"]:
        skipped = Table(title="跳过的行", title_justify="left")
        for title in ("行", "原因"):
            skipped.add_column(title, overflow="fold")
        for rows, reason in _skipped_runs(s["skipped_rows"]):
            skipped.add_row(rows, reason)
        out.print(Padding(skipped, (0, 0, 0, 4), expand=False))
    for key, origin in s["context"].items():
        out.print(f"    {_CONTEXT_ZH.get(key, key)}：{origin['value']}（来自 {origin['source']}）")


# --- summaries -----------------------------------------------------------------------------------

RICH_STYLE = {RED: "red", AMBER: "yellow", GREEN: "green"}  # the colours of reports' status fills


def print_summaries(summaries, stream=None, details: bool = False, quiet: bool = False) -> None:
    """Summaries as rich tables for people; plain text, lines never folded, when piped (console).

    Full listings (SummaryTable.detail) are left out unless `details`; `quiet`: each summary's title and
    highlights only (its conclusion), no notes nor tables.
    """
    from rich.table import Table
    from rich.text import Text

    out = console(stream)
    for s in as_list(summaries):
        out.print(Text(s.title, style="bold"))
        for h in s.highlights:
            out.print(f"  {h}")
        if quiet:
            continue
        for note in s.data.get("notes", []):
            out.print(Text(f"  说明：{note}", style="dim"))
        for table in s.tables():
            if table.detail and not details:
                continue
            t = Table(title=table.title, title_justify="left", show_lines=False, pad_edge=False)
            columns = [str(c) for c in table.frame.columns]
            for c in columns:
                numeric = table.frame[c].dtype.kind in "iuf" if c in table.frame else False
                t.add_column(c, overflow="fold", justify="right" if numeric else "left")
            status = table.status_column
            for values in table.frame.itertuples(index=False, name=None):
                row = dict(zip(columns, values))
                colour = status_colour(status, row.get(status)) if status else None
                style = RICH_STYLE.get(colour) if colour else None
                t.add_row(*[cell_text(v, table.formats.get(c)) for c, v in zip(columns, values)], style=style)
            if not len(table.frame):
                t.add_row(*(["（无）"] + [""] * (len(columns) - 1)))
            out.print(t)
        out.print()

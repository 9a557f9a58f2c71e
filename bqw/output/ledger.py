"""The merged workbook of one archive kind (docs/merge.md): its list sheet(s), 待核实 (the rows held
back) and 合并说明 (what the merge did with each file), and the names these workbooks are given.

Written from a merge's result (bqw.jobs.merge.MergeResult: outcomes, supersessions, ledgers, periods,
not_submitted, as_of) whose ledgers were rebuilt from the archive (bqw.store.rebuild).
"""

from __future__ import annotations

from pathlib import Path

from bqw.core.table import META_PERIOD, META_UNIT, SRC_FILE, SRC_ROW, SRC_SHEET
from bqw.ledgers import KIND_ZH, get_spec
from bqw.ledgers.rectification import STANDING_COLUMN, STANDING_DEADLINE
from bqw.ledgers.family import RECTIFICATION_FAMILY, table_kinds
from bqw.store.rebuild import NOTE_COLUMN, PROBLEM_COLUMN

HELD_SHEET, NOTES_SHEET = "待核实", "合并说明"
FAMILY_TITLE = {"visits": "挂点调研台账", RECTIFICATION_FAMILY: "问题整改台账", "roster": "指挥部成员名单",
                "assignments": "镇领导挂点联系村安排表", "scores": "典型村评价"}
TAIL = [NOTE_COLUMN, SRC_FILE, SRC_SHEET, SRC_ROW, META_UNIT, META_PERIOD]
# Printing (bqw.output.printing). A list sheet prints its official columns (the form's, in the form's
# order: A to the last of them); the columns bqw adds — derived (调研天数, 月份, 是否逾期 …), columns the
# form lacks that a submission had, and TAIL (校验提示, 来源文件/工作表/行号, 填报单位, 期间) — stay on the
# sheet after them, outside the print area, rather than on a sheet of their own: every reader of the merged
# ledger (bqw validate/merge reading it back, the tests, an office's own filters and sorts) finds a row's
# provenance on the row itself, by header name, and a sort or filter keeps the two together.
# 待核实 prints everything but 填报单位 and 期间: a held row's source and problem are what it is printed for.
KEY_COLUMNS = 2  # 序号 and the row's subject (镇领导, 姓名, 村名, 问题编号 …): repeated on pages across
HELD_UNPRINTED = (META_UNIT, META_PERIOD)
# 合并说明's columns: 文件 (file names), then 状态/替换为/原因, 填报人/单位, 期间, four counts, 未计入, 说明
NOTES_WIDTHS = [36, 24, 14, 10, 8, 8, 8, 16, 24]


def kind_title(fam: str) -> str:
    """An archive kind's name in titles and file names (问题整改台账 for the rectification lists)."""
    return FAMILY_TITLE.get(fam) or KIND_ZH.get(fam, fam)


def output_paths(out: Path, families: list[str]) -> dict[str, Path]:
    """-o OUT.xlsx for one kind; OUT（挂点调研台账）.xlsx … when the inputs hold several kinds."""
    out = Path(out)
    if len(families) <= 1:
        return {f: out for f in families}
    return {f: out.with_name(f"{out.stem}（{kind_title(f)}）{out.suffix}") for f in families}


def period_label(periods: list) -> str:
    known = [p for p in periods if p]
    if not known:
        return ""
    labels = [f"{p[:4]}年{int(p[5:7])}月" for p in known]
    return "、".join(labels)


def _ordered(frame, kind: str):
    """The columns in the merged sheet's order; 有/无 columns (负面清单) written as the form has them."""
    from bqw.ledgers import spec as S

    spec = get_spec(kind)
    head = [c for c in spec.names if c in frame]
    middle = [c for c in frame.columns if c not in head and c not in TAIL]
    out = frame[head + middle + [c for c in TAIL if c in frame]]
    yesno = [c.name for c in spec.columns if c.type == S.YESNO and c.name in out]
    if yesno:
        out = out.copy()
        for name in yesno:
            out[name] = out[name].map({True: "有", False: "无"}).astype(object)
    return out


def _shown(frame):
    """A list as the merged sheet shows it: a standing task's 完成时限 reads “长期” (its date is empty)."""
    if STANDING_COLUMN not in frame or "完成时限" not in frame:
        return frame
    standing = (frame[STANDING_COLUMN] == "是").to_numpy(dtype=bool)
    if not standing.any():
        return frame
    out = frame.copy()
    out["完成时限"] = out["完成时限"].astype(object).where(~standing, STANDING_DEADLINE)
    return out


def write_merged(result, fam: str, path: Path) -> Path:
    """One workbook for a kind: its list sheet(s), 待核实 and 合并说明 (docs/merge.md)."""
    import pandas as pd

    from bqw.output import xlsx as xlsxout

    ledger = result.ledgers[fam]
    label = period_label(result.periods.get(fam, []))
    suffix = f"（{label}）" if label else ""

    def build(wb, styles):
        held_parts, held_widths = [], {SRC_FILE: 36, PROBLEM_COLUMN: 50}
        for tk in table_kinds(fam):
            spec = get_spec(tk)
            accepted, held = ledger[tk]
            widths = {c.name: c.width for c in spec.columns} | {NOTE_COLUMN: 30, SRC_FILE: 36}
            shown = _shown(_ordered(accepted, tk))
            xlsxout.write_table(wb, styles, spec.title, f"{spec.title}{suffix}", shown, widths,
                                mark=NOTE_COLUMN, mark_format=styles.warn,
                                printed=sum(1 for c in spec.names if c in shown), key_columns=KEY_COLUMNS)
            held_widths = {c.name: c.width for c in spec.columns} | held_widths
            if len(held):
                part = _shown(held.copy())
                if len(table_kinds(fam)) > 1:
                    part.insert(0, "清单", spec.title)
                held_parts.append(part)
        held_all = pd.concat(held_parts, ignore_index=True) if held_parts else pd.DataFrame(
            columns=[SRC_FILE, SRC_SHEET, SRC_ROW, PROBLEM_COLUMN])
        printed = [i for i, c in enumerate(held_all.columns) if c not in HELD_UNPRINTED]
        xlsxout.write_table(wb, styles, HELD_SHEET, f"待核实（有错误、未计入{kind_title(fam)}的行）{suffix}", held_all,
                            held_widths, mark=PROBLEM_COLUMN, mark_format=styles.error,
                            printed=printed[-1] + 1 if printed else 0)
        xlsxout.write_notes(wb, styles, NOTES_SHEET, notes_sections(result, fam), NOTES_WIDTHS)

    return xlsxout.save(path, build)


def notes_sections(result, fam: str) -> list:
    """The 合并说明 sheet's sections: overview, files, supersessions, skipped files, 催报, unknown columns."""
    outcomes = [o for o in result.outcomes if o.kind in (fam, None)]
    status_zh = {"accepted": "已接收", "duplicate": "重复提交", "unchanged": "已归档", "skipped": "已跳过"}
    files = []
    for o in outcomes:
        state = "已被更正件替换" if o.superseded_by else status_zh[o.status]
        dropped = "、".join(f"{k}{v}行" for k, v in o.dropped.items())
        files.append([o.name, state, o.submitter or "", o.period or "", o.read, o.accepted, o.held, dropped,
                      o.reason or (f"被“{o.superseded_by}”替换" if o.superseded_by else "")])
    ledger = result.ledgers.get(fam, {})
    accepted_rows = sum(len(a) for a, _h in ledger.values())
    held_rows = sum(len(h) for _a, h in ledger.values())
    overview = [
        ["期间", period_label(result.periods.get(fam, [])) or "未注明"],
        ["本次读取文件", len(outcomes)],
        ["本次新接收的提交", sum(1 for o in outcomes if o.status == "accepted")],
        ["重复提交（只计一次）", sum(1 for o in outcomes if o.status == "duplicate")],
        ["被更正件替换", sum(1 for s in result.supersessions if s.old.kind == fam)],
        ["跳过的文件", sum(1 for o in outcomes if o.status == "skipped")],
        ["合并后的行数（各清单合计）", accepted_rows],
        ["待核实的行数", held_rows],
        ["统计日（逾期按此计算）", result.as_of.isoformat() if result.as_of else ""],
    ]
    supers = [[s.old.file_name, s.new.file_name, s.new.submitter or "", s.new.period or ""]
              for s in result.supersessions if s.new.kind == fam]
    skipped = [[o.name, o.reason] for o in outcomes if o.status == "skipped"]
    missing = [[who] for who in result.not_submitted.get(fam, [])]
    unknown = [[o.name, f.sheet or "", f.params.get("letter", ""), f.params.get("label", ""), f.params.get("name", "")]
               for o in outcomes for f in o.findings if f.code == "unknown-column"]
    return [
        ("合并概况", ["项目", "数量"], overview),
        ("文件清单", ["文件", "状态", "填报人/单位", "期间", "读到行数", "接收", "待核实", "未计入（原因）", "说明"], files),
        ("更正替换（新件替换旧件）", ["被替换的文件", "替换为", "填报人/单位", "期间"], supers),
        ("跳过的文件及原因", ["文件", "原因"], skipped),
        ("催报名单（本期应报未报）", ["单位/人员"], missing),
        ("未识别的列（已保留，列在合并台账的标准列之后）", ["文件", "工作表", "列", "原表头", "合并台账中的列名"], unknown),
    ]

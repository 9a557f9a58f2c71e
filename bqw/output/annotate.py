"""Annotated copies to send back to a submitter: findings marked at their cells, plus a 校验结果 sheet.

The copy keeps the submission's own layout (openpyxl edits a copy of the .xlsx; an .xls or
.csv is first laid out cell for cell in a new .xlsx). Error cells are filled red, warning cells
yellow, each with a comment holding the messages. The input is never modified, and the copy
is written to a temporary file and renamed into place.

Hostile submissions (docs/limits.md): a workbook too large for openpyxl (more than
ANNOTATE_MAX_CELLS cells, counting every cell of its merged ranges), or one openpyxl cannot
load (sheet names Excel forbids), is laid out again from what the reader read, or — when even
that is too large or impossible — the copy holds the 校验结果 sheet alone. Text written to the
copy is cleaned like every xlsx bqw writes (bqw.core.values.for_excel), and file names are made
safe: nothing outside the output folder, nothing Windows refuses, at most MAX_NAME_BYTES bytes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from bqw.core.findings import ERROR, INFO, SEVERITY_ZH, WARNING
from bqw.core.values import display_name, for_excel

RED, YELLOW = "FFC7CE", "FFEB9C"
RESULT_SHEET = "校验结果"
SUFFIX = "（校验意见）"
ANNOTATE_MAX_CELLS = 500_000  # openpyxl needs ~0.6 KB and ~20 µs per cell: ~300 MB, ~10 s
MAX_NAME_BYTES = 150  # UTF-8 bytes of a whole name made from a submission's (docs/limits.md)
_WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.I)
_BAD_NAME_CHARS = set('<>:"/\\|?*') | {chr(i) for i in range(32)} | {"\x7f"}


def annotated_name(path: Path) -> str:
    """The name of the annotated copy of `path`: “stem（校验意见）.xlsx” (.xlsm for a workbook with macros)."""
    return copy_name(path.stem, SUFFIX, _copy_ext(path))


def _copy_ext(path: Path) -> str:
    return ".xlsm" if path.suffix.lower() == ".xlsm" else ".xlsx"


def copy_name(stem: str, label: str, ext: str, n: int = 1) -> str:
    """“stem + label (+ “（n）”) + ext”, at most MAX_NAME_BYTES bytes: the submission's stem is made safe
    and cut on a character boundary, never the label, the number or the extension."""
    tail = label + (f"（{n}）" if n > 1 else "") + ext
    return safe_stem(stem, MAX_NAME_BYTES - len(tail.encode("utf-8"))) + tail


def safe_stem(stem: str, limit: int = MAX_NAME_BYTES) -> str:
    """A file name stem that stays inside the output folder on Windows and Linux.

    Path separators, characters Windows forbids and control characters become “_”; leading and
    trailing dots and spaces go (“..” is not a name); reserved device names (CON, NUL…) get a
    “_” in front; undecodable bytes are decoded as GB18030 where possible; the result is cut to
    `limit` bytes of UTF-8 on a character boundary (Linux allows 255 per name).
    """
    stem = display_name(stem).replace("\ufffd", "_")
    cleaned = "".join("_" if ch in _BAD_NAME_CHARS else ch for ch in stem)
    cut = _cut(cleaned, limit)
    if _WINDOWS_RESERVED.match(cut):
        cut = _cut("_" + cut, limit)
    return cut or "未命名"


def _cut(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, whole characters, without leading or trailing dots and spaces."""
    return text.strip(" .").encode("utf-8")[:limit].decode("utf-8", "ignore").strip(" .")


def unique_name(stem: str, label: str, ext: str, taken: set | None, free=None) -> str:
    """copy_name(stem, label, ext), or the first “…（n）…” that no other copy of this batch took
    (`taken`, lower-case names) and that `free(name)` allows (it does not overwrite an input)."""
    n = 1
    while True:
        candidate = copy_name(stem, label, ext, n)
        if (taken is None or candidate.lower() not in taken) and (free is None or free(candidate)):
            break
        n += 1
    if taken is not None:
        taken.add(candidate.lower())
    return candidate


def set_text(cell, value) -> None:
    """Write a value; text is always a text cell, never a formula (docs/limits.md, 写出时的处理), and cleaned of
    what a cell cannot hold (control characters, more than 32,767 characters)."""
    if isinstance(value, str):
        value = for_excel(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


class _Layout:
    """The workbook being annotated and where each sheet the reader read is in it."""

    def __init__(self, wb, titles: dict[str, str], complete: bool, note: str = ""):
        self.wb = wb
        self.titles = titles  # sheet name as read -> worksheet title in wb
        self.complete = complete  # False: only the 校验结果 sheet (the original could not be copied)
        self.note = note


def _load(result) -> _Layout:
    """An openpyxl workbook laid out like the submission (see the module docstring)."""
    import openpyxl

    from bqw.io.book import ZIP_MAGIC
    from bqw.io.workbook import open_book, read_bytes
    from bqw.io.xlsx_scan import cell_estimate
    from bqw.core.limits import Limits

    path = Path(result.path)
    limits = Limits.from_env()
    try:
        data = read_bytes(path, limits)
    except Exception:  # noqa: BLE001 — gone or changed since it was read: the findings still stand
        return _findings_only("原文件已无法读取，未能生成标注副本")
    if path.suffix.lower() in (".xlsx", ".xlsm") and data.startswith(ZIP_MAGIC):
        if cell_estimate(data, ANNOTATE_MAX_CELLS) > ANNOTATE_MAX_CELLS:
            return _findings_only("原表过大（或合并单元格范围过大），未在副本中逐格标注")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=path.suffix.lower() == ".xlsm",
                                        rich_text=False)
            _clean_loaded(wb)
            return _Layout(wb, {ws.title: ws.title for ws in wb.worksheets}, True)
        except Exception:  # noqa: BLE001 — e.g. sheet names Excel forbids: lay it out from the reader
            pass
    try:
        book = open_book(path, limits)
    except Exception:  # noqa: BLE001
        return _findings_only("原文件无法按原样复制，未在副本中逐格标注")
    filled = sum(1 for sheet in book.sheets for row in sheet.rows for v in row if v not in ("", None))
    merged = sum((r1 - r0 + 1) * (c1 - c0 + 1) for sheet in book.sheets for r0, c0, r1, c1 in sheet.merged)
    if filled + merged > ANNOTATE_MAX_CELLS:
        return _findings_only("原表过大，未在副本中逐格标注")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    titles: dict[str, str] = {}
    taken: set[str] = {RESULT_SHEET.lower()}
    for sheet in book.sheets:
        title = _sheet_title(sheet.name, taken)
        titles[sheet.name] = title
        ws = wb.create_sheet(title)
        for r, row in enumerate(sheet.rows, 1):
            for c, value in enumerate(row, 1):
                if value not in ("", None):
                    set_text(ws.cell(r, c), value)
        for r0, c0, r1, c1 in sheet.merged:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    return _Layout(wb, titles, True)


def _findings_only(note: str) -> _Layout:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    return _Layout(wb, {}, False, note)


def _clean_loaded(wb) -> None:
    """Text cells of a loaded submission that no cell may hold (over 32,767 characters): cut."""
    for ws in wb.worksheets:
        # the cells that exist (iter_rows would create every cell up to a far corner)
        cells = getattr(ws, "_cells", None)
        for cell in list(cells.values()) if isinstance(cells, dict) else (c for row in ws.iter_rows() for c in row):
            v = cell.value
            if type(v) is str and len(v) > 16383:
                cleaned = for_excel(v)
                if cleaned != v:
                    set_text(cell, cleaned)


def _sheet_title(name: str, taken: set[str]) -> str:
    """A sheet title openpyxl and Excel accept, unique in the copy."""
    bad = "[]:*?/\\"
    base = "".join("_" if ch in bad else ch for ch in for_excel(str(name))).strip("'")[:31] or "Sheet"
    if base.lower() == "history":
        base = "History_"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"（{n}）"
        candidate = base[:31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def _location(title: str, ref: str) -> str:
    """An internal hyperlink target: 'Sheet'!A1, with quotes in the name doubled."""
    return "'" + title.replace("'", "''") + "'!" + ref


class _Anchors:
    """The writable cell for a reference: the top-left cell when it lies inside a merged range.

    The merged ranges of a sheet are indexed once (their area is bounded by ANNOTATE_MAX_CELLS),
    not searched for every finding.
    """

    def __init__(self):
        self._index: dict[str, dict] = {}

    def __call__(self, ws, ref: str):
        cell = ws[ref]
        if type(cell).__name__ != "MergedCell":
            return cell
        index = self._index.get(ws.title)
        if index is None:
            index = self._index[ws.title] = {}
            for rng in ws.merged_cells.ranges:
                top = (rng.min_row, rng.min_col)
                for r in range(rng.min_row, rng.max_row + 1):
                    for c in range(rng.min_col, rng.max_col + 1):
                        index.setdefault((r, c), top)
        top = index.get((cell.row, cell.column))
        return ws.cell(*top) if top else None


def annotate(result, out_dir: Path, taken: set | None = None, protected=None) -> Path | None:
    """Write the annotated copy of one validated file into out_dir; None when there is nothing to
    mark (the file could not be read at all, or was skipped).

    `taken` (lower-case names) keeps the copies of one batch apart: “台账.xlsx” and “台账.csv”
    would otherwise both become “台账（校验意见）.xlsx”. `protected` (bqw.io.inputs.Protected): what the
    command reads; an existing file there — “A（校验意见）.xlsx” among the files being validated —
    is never written over: the copy takes the next free name, “A（校验意见）（2）.xlsx”. So does a
    name held by something bqw may not replace (a folder, a read-only file).
    """
    if result.skipped or not result.tables:
        return None
    layout = _load(result)
    _mark_cells(layout, result.findings)
    _result_sheet(layout, result.findings)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    source = Path(result.path)
    target = out_dir / unique_name(source.stem, SUFFIX, _copy_ext(source), taken,
                                   lambda name: _free(out_dir / name, protected))
    save_atomic(layout.wb, target)
    return target


def _mark_cells(layout: _Layout, findings) -> None:
    """Each cell with errors red, with warnings yellow, its findings in a comment."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = layout.wb
    anchor = _Anchors()
    by_cell: dict[tuple[str, str], list] = {}
    for f in findings:
        if f.sheet and f.cell and f.severity != INFO:  # information is listed, never marked as a problem
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    for (sheet, ref), found in by_cell.items():
        title = layout.titles.get(sheet)
        if title is None or title not in wb.sheetnames:
            continue
        try:
            cell = anchor(wb[title], ref)
        except ValueError:  # not a cell reference openpyxl knows
            continue
        if cell is None:
            continue
        if isinstance(cell.value, str) and cell.data_type == "s":
            set_text(cell, cell.value)  # control characters and over-long text: cleaned, as reported
        worst = ERROR if any(f.severity == ERROR for f in found) else "warning"
        color = RED if worst == ERROR else YELLOW
        cell.fill = PatternFill("solid", start_color=color, end_color=color)
        text = for_excel("\n".join(f"【{SEVERITY_ZH[f.severity]}】{f.message}" for f in found))
        comment = Comment(text, "bqw")
        comment.width, comment.height = 320, 40 + 40 * len(found)
        cell.comment = comment


# The 校验结果 sheet's columns and widths: the rule's Chinese name (bqw.core.findings.CATALOGUE) prints;
# its code, for whoever maintains bqw's rules, is the last column, outside the print area.
RESULT_COLUMNS = (("序号", 6), ("级别", 6), ("工作表", 14), ("单元格", 8), ("列", 14), ("问题类型", 20),
                  ("问题说明", 56), ("规则代码", 24))
RESULT_PRINTED = len(RESULT_COLUMNS) - 1
RESULT_FONT = "宋体"
HEADER_FILL = "DDEBF7"  # as the merged ledger's header row (bqw.output.xlsx)


def _result_sheet(layout: _Layout, findings) -> None:
    """The 校验结果 sheet, first: a sentence, then one row per finding linked to its cell; printed on A4
    (bqw.output.printing) in 宋体, its header row on every page."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from bqw.output.printing import apply_openpyxl, plan_print, row_height, text_lines

    wb = layout.wb
    result_title = RESULT_SHEET
    if RESULT_SHEET in wb.sheetnames:
        if RESULT_SHEET in layout.titles.values():  # a data sheet has that name: keep it
            result_title = _sheet_title(RESULT_SHEET, {t.lower() for t in wb.sheetnames})
        else:  # the result sheet of an earlier copy, sent back again
            wb.remove(wb[RESULT_SHEET])
    ws = wb.create_sheet(result_title, 0)
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = sum(1 for f in findings if f.severity == WARNING)
    summary = (f"校验结果：{errors} 个错误，{warnings} 个警告。错误单元格标红、警告单元格标黄，"
               "鼠标移到单元格上可看批注；请修改错误后重新提交。") if findings else "校验结果：未发现问题。"
    if not layout.complete:
        summary = (f"校验结果：{errors} 个错误，{warnings} 个警告。{layout.note}；请按下表所列工作表和单元格"
                   "修改原文件后重新提交。")
    plan = plan_print([w for _h, w in RESULT_COLUMNS], RESULT_PRINTED, header_rows=(1, 1))
    set_text(ws.cell(1, 1), summary)
    ws.cell(1, 1).font = Font(name=RESULT_FONT, bold=True, size=12)
    ws.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=RESULT_PRINTED)
    # in 12 pt a line holds 10/12 of what a line of 10 pt does
    ws.row_dimensions[1].height = 18 * text_lines(summary, sum(plan.widths[:RESULT_PRINTED]) * 10 / 12)
    for c, (h, _w) in enumerate(RESULT_COLUMNS, 1):
        set_text(ws.cell(2, c), h)
        ws.cell(2, c).font = Font(name=RESULT_FONT, bold=True, size=10)
        ws.cell(2, c).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.cell(2, c).fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
        ws.cell(2, c).border = _box()
    _finding_rows(ws, layout, findings)
    ws.freeze_panes = "A3"
    apply_openpyxl(ws, plan)
    for r in range(3, ws.max_row + 1):
        height = row_height([ws.cell(r, c).value for c in range(1, RESULT_PRINTED + 1)], plan.widths)
        if height:
            ws.row_dimensions[r].height = height


def _finding_rows(ws, layout: _Layout, findings) -> None:
    """One row per finding from row 3; its 单元格 links to the cell in the copy."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    from bqw.core.findings import CATALOGUE

    plain, box, wrap = Font(name=RESULT_FONT, size=10), _box(), Alignment(wrap_text=True, vertical="top")
    for i, f in enumerate(findings, 1):
        r = i + 2
        rule = CATALOGUE.get(f.code)
        row = [i, SEVERITY_ZH[f.severity], f.sheet or "", f.cell or "", f.column or "",
               rule.title if rule else f.code, f.message, f.code]
        for c, v in enumerate(row, 1):
            set_text(ws.cell(r, c), v)
            ws.cell(r, c).font = plain
            ws.cell(r, c).alignment = wrap
            ws.cell(r, c).border = box
        ws.cell(r, 2).font = Font(name=RESULT_FONT, size=10,
                                  color={ERROR: "C00000", WARNING: "9C5700"}.get(f.severity, "404040"))
        title = layout.titles.get(f.sheet) if f.sheet else None
        if title and f.cell and title in layout.wb.sheetnames:
            link = ws.cell(r, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=_location(title, f.cell))
            link.font = Font(name=RESULT_FONT, size=10, color="0563C1", underline="single")


def _box():
    """A thin border on every side: the table prints ruled, as the merged ledger does."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def save_atomic(wb, target: Path) -> None:
    """Save an openpyxl workbook atomically (bqw.core.atomic)."""
    from bqw.core.atomic import atomic_path, zip_output

    with atomic_path(target) as tmp, zip_output(tmp) as output:
        wb.save(output)


def _free(path: Path, protected) -> bool:
    """Whether a copy may be written at `path`: nothing there, or an earlier copy bqw may replace."""
    from bqw.io.inputs import cannot_replace

    if protected is not None and protected.written_over(path):
        return False
    return cannot_replace(path) is None


def annotate_all(results, out_dir, protected=None) -> list[Path]:
    """The annotated copies of a batch (see annotate)."""
    out_dir = Path(out_dir)
    written = []
    taken: set[str] = set()
    for r in results:
        path = annotate(r, out_dir, taken, protected)
        if path is not None:
            written.append(path)
    return written

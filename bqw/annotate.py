"""Annotated copies to send back to a submitter: findings marked at their cells, plus a 校验结果 sheet.

The copy keeps the submission's own layout (openpyxl edits a copy of the .xlsx; an .xls or
.csv is first laid out cell for cell in a new .xlsx). Error cells are filled red, warning cells
yellow, each with a comment holding the messages. The input is never modified, and the copy
is written to a temporary file and renamed into place.
"""

from __future__ import annotations

from pathlib import Path

from bqw.findings import ERROR, SEVERITY_ZH

RED, YELLOW = "FFC7CE", "FFEB9C"
RESULT_SHEET = "校验结果"
SUFFIX = "（校验意见）"


def annotated_name(path: Path) -> str:
    ext = ".xlsm" if path.suffix.lower() == ".xlsm" else ".xlsx"
    return f"{safe_stem(path.stem)}{SUFFIX}{ext}"


def safe_stem(stem: str) -> str:
    """A file name stem that stays inside the output folder on Windows and Linux."""
    bad = '<>:"/\\|?*' + "".join(chr(i) for i in range(32))
    cleaned = "".join("_" if ch in bad else ch for ch in stem).strip(" .")
    return cleaned[:120] or "未命名"


def set_text(cell, value) -> None:
    """Write a value; text is always a text cell, never a formula (docs/safety.md)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _load(result):
    """An openpyxl workbook laid out like the submission."""
    import openpyxl

    path = Path(result.path)
    if path.suffix.lower() in (".xlsx", ".xlsm") and _is_zip(path):
        return openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm",
                                      rich_text=False)
    from bqw.io.workbook import open_book

    book = open_book(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets:
        ws = wb.create_sheet(_sheet_title(sheet.name))
        for r, row in enumerate(sheet.rows, 1):
            for c, value in enumerate(row, 1):
                if value not in ("", None):
                    set_text(ws.cell(r, c), value)
        for r0, c0, r1, c1 in sheet.merged:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    return wb


def _sheet_title(name: str) -> str:
    bad = "[]:*?/\\"
    return "".join("_" if ch in bad else ch for ch in name)[:31] or "Sheet"


def _is_zip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _anchor(ws, ref: str):
    """The writable cell for a reference: the top-left cell when it lies inside a merged range."""
    for rng in ws.merged_cells.ranges:
        if ref in rng:
            return ws.cell(rng.min_row, rng.min_col)
    return ws[ref]


def annotate(result, out_dir: Path) -> Path | None:
    """Write the annotated copy of one validated file into out_dir; None when it cannot be opened."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    if result.skipped or not result.tables and any(f.cell is None and f.sheet is None for f in result.findings):
        return None
    wb = _load(result)
    by_cell: dict[tuple[str, str], list] = {}
    for f in result.findings:
        if f.sheet and f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    for (sheet, ref), findings in by_cell.items():
        title = sheet if sheet in wb.sheetnames else _sheet_title(sheet)
        if title not in wb.sheetnames:
            continue
        cell = _anchor(wb[title], ref)
        worst = ERROR if any(f.severity == ERROR for f in findings) else "warning"
        color = RED if worst == ERROR else YELLOW
        cell.fill = PatternFill("solid", start_color=color, end_color=color)
        text = "\n".join(f"【{SEVERITY_ZH[f.severity]}】{f.message}" for f in findings)
        comment = Comment(text, "bqw")
        comment.width, comment.height = 320, 40 + 40 * len(findings)
        cell.comment = comment

    ws = wb.create_sheet(RESULT_SHEET, 0)
    errors = sum(1 for f in result.findings if f.severity == ERROR)
    warnings = len(result.findings) - errors
    summary = (f"校验结果：{errors} 个错误，{warnings} 个警告。错误单元格标红、警告单元格标黄，"
               "鼠标移到单元格上可看批注；请修改错误后重新提交。") if result.findings else "校验结果：未发现问题。"
    set_text(ws.cell(1, 1), summary)
    ws.cell(1, 1).font = Font(bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    headers = ["序号", "级别", "工作表", "单元格", "列", "规则代码", "问题说明"]
    for c, h in enumerate(headers, 1):
        set_text(ws.cell(2, c), h)
        ws.cell(2, c).font = Font(bold=True)
    for i, f in enumerate(result.findings, 1):
        r = i + 2
        row = [i, SEVERITY_ZH[f.severity], f.sheet or "", f.cell or "", f.column or "", f.code, f.message]
        for c, v in enumerate(row, 1):
            set_text(ws.cell(r, c), v)
            ws.cell(r, c).alignment = Alignment(wrap_text=c == 7, vertical="top")
        ws.cell(r, 2).font = Font(color="C00000" if f.severity == ERROR else "9C5700")
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(r, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.cell}")
            link.font = Font(color="0563C1", underline="single")
        ws.row_dimensions[r].height = 15 * max(1, -(-len(f.message) // 34))  # wrapped lines
    for letter, width in zip("ABCDEFG", (6, 8, 14, 8, 16, 24, 70)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / annotated_name(Path(result.path))
    save_atomic(wb, target)
    return target


def save_atomic(wb, target: Path) -> None:
    """Save an openpyxl workbook atomically (bqw.atomic)."""
    from bqw.atomic import atomic_path

    with atomic_path(target) as tmp:
        wb.save(tmp)


def annotate_all(results, out_dir) -> list[Path]:
    out_dir = Path(out_dir)
    written = []
    for r in results:
        path = annotate(r, out_dir)
        if path is not None:
            written.append(path)
    return written

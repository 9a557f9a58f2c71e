"""How bqw read each sheet of each file, as one JSON-ready dict (`bqw inspect`, docs/inspect.md).

``inspect_report(results)`` turns read results (bqw.io.reader.read_ledger) into the shape issue 13
asks for; the CLI prints it as JSON or hands it to bqw.output.terminal.print_inspect for people, so both
formats say the same thing. Rows are Excel's (1-based), columns Excel's letters.
"""

from __future__ import annotations

from bqw.core.table import COLUMN_IGNORED, COLUMN_KEPT, ColumnRead, ReadResult, SheetLayout

# The facts a sheet states about itself, in the order they are shown.
CONTEXT_KEYS = ("leader", "village", "unit", "period", "year")


def inspect_report(results: list[ReadResult]) -> dict:
    """{"files": [...]}: per file its kind, findings and sheets; per sheet everything the reader recorded."""
    return {"files": [file_dict(r) for r in results]}


def file_dict(result: ReadResult) -> dict:
    return {
        "path": str(result.path),
        "kind": result.kind,
        "skipped": result.skipped,  # a reason when the file was passed over on purpose (lock file)
        "findings": [f.to_dict() for f in result.findings],
        # how the reader filled gaps (任务编号 taken from 序号, problems numbered 问题1 …), as in validate's report
        "notes": list(result.notes),
        "sheets": [sheet_dict(layout) for layout in result.layouts],
    }


def sheet_dict(layout: SheetLayout) -> dict:
    rows = layout.data_rows
    hidden_columns = list(dict.fromkeys(
        [*layout.hidden_columns, *(c.letter for c in layout.columns if c.hidden)]))
    return {
        "name": layout.name,
        "kind": layout.kind,
        "reason": layout.reason,
        "header_rows": list(layout.header_rows),
        # first and last only: a ledger may hold thousands of rows; `rows` and skipped_rows show the gaps
        "data_rows": [rows[0], rows[-1]] if rows else [],
        "rows": len(rows),
        "columns": [column_dict(c) for c in layout.columns],
        "skipped_rows": [{"row": row, "reason": reason} for row, reason in layout.skipped_rows],
        "context": {key: {"value": layout.context[key].value, "source": layout.context[key].source}
                    for key in CONTEXT_KEYS if key in layout.context},
        "hidden": layout.hidden,
        "hidden_rows": list(layout.hidden_rows),
        "hidden_columns": hidden_columns,
    }


def column_dict(column: ColumnRead) -> dict:
    """A read column names its canonical column; a kept one says 保留 and the name it keeps; else 忽略."""
    out = {"column": column.letter, "label": column.label}
    if column.action == COLUMN_KEPT:
        out["canonical"] = COLUMN_KEPT
        out["kept_as"] = column.canonical
    elif column.action == COLUMN_IGNORED:
        out["canonical"] = COLUMN_IGNORED
    else:
        out["canonical"] = column.canonical
    return out


def unreadable(result: ReadResult) -> bool:
    """A file that was meant to be read but gave no table: it could not be opened, or no sheet was
    recognised (exit code 1). A lock file skipped on purpose is not one."""
    return result.skipped is None and not result.tables

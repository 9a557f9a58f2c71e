#!/usr/bin/env python3
"""Baseline: the bare merge — parallel calamine read + one constant-memory xlsxwriter write.

    python bench/baselines/parallel_read_write.py FOLDER OUT.xlsx

Two worker processes read every .xlsx in FOLDER with python-calamine (rows below the "序号" header
row); the parent writes all rows, with the source file name in front, into one sheet with
xlsxwriter constant_memory. No header matching, parsing or checks: the floor for `bqw merge`.
"""
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import python_calamine
import xlsxwriter


def read(path: str) -> tuple[str, list[list]]:
    rows = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    for i, row in enumerate(rows[:10]):
        if row and str(row[0]).strip() == "序号":
            return Path(path).name, rows[i + 1:]
    return Path(path).name, rows


def main() -> None:
    folder, out = Path(sys.argv[1]), sys.argv[2]
    files = sorted(str(p) for p in folder.rglob("*.xlsx") if not p.name.startswith("~$"))
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("合并")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["来源文件", "序号", "镇领导", "调研时间", "调研地点", "调研内容",
                        "推动解决问题数量", "联系人及联系方式", "备注"])
    r = 1
    with ProcessPoolExecutor(2) as pool:
        for name, rows in pool.map(read, files, chunksize=16):
            for row in rows:
                ws.write_string(r, 0, name)
                for c, v in enumerate(row, start=1):
                    if hasattr(v, "year"):
                        ws.write_datetime(r, c, v, date_fmt)
                    elif v != "" and v is not None:
                        ws.write(r, c, v)
                r += 1
    wb.close()
    print(f"{len(files)} files, {r - 1} rows")


if __name__ == "__main__":
    main()

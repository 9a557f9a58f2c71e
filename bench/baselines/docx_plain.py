#!/usr/bin/env python3
"""Baseline: 100 plain python-docx documents, each a title, a few paragraphs and a 7-column table.

    python docx_plain.py OUT_DIR [DOCS] [ROWS]

What writing the “一对一”通报 costs at its least: python-docx's own API, default styles, no fonts,
no page setup, no numbers from an archive. Each table has ROWS rows (default 30, about what each
of the 100 units in bench/data/county-100 has open).
"""

import sys
from pathlib import Path

from docx import Document

out = Path(sys.argv[1])
docs = int(sys.argv[2]) if len(sys.argv) > 2 else 100
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 30
out.mkdir(parents=True, exist_ok=True)
for d in range(docs):
    doc = Document()
    doc.add_heading(f"关于第{d + 1}个单位“百千万工程”逾期未办结事项的通报", level=1)
    for i in range(8):
        doc.add_paragraph(f"第{i + 1}段：截至2026年10月31日，该单位牵头的任务共50项，已完成20项，逾期12项。")
    table = doc.add_table(rows=1, cols=7)
    for c, h in enumerate(["序号", "任务编号", "任务内容", "完成时限", "完成状态", "逾期天数", "进展情况"]):
        table.rows[0].cells[c].text = h
    for r in range(rows):
        cells = table.add_row().cells
        for c, v in enumerate([r + 1, f"PA2026-{r:04d}-1", "组织开展村道沿线环境卫生集中整治", "2026-08-31",
                               "推进中", 61, "已完成集中清理，建立长效保洁机制"]):
            cells[c].text = str(v)
    doc.save(out / f"{d + 1:03d}.docx")

"""通报 and 简报 as .docx in the official document format (GB/T 9704-2012), written from the
summaries of the workspace archive (docs/documents.md).

- ooxml     — raw WordprocessingML: East Asian fonts on runs, indents in characters, rules, page numbers
- styles    — GB/T 9704 page setup and the paragraph styles of each role; the built-in bases (templates/)
- gongwen   — the writer: red head, titles, headings, signature, attachment tables, 版记
- source    — the summaries and task rows a document is written from
- tongbao   — 月度进展通报, “一对一”问题通报, 会议议定事项落实情况通报
- jianbao   — 工作简报 (报头, 报核 with the staff's notes, 报尾)
- numbering — 发文字号 and 期号 remembered in the archive
- render    — LibreOffice: PDF/PNG previews, 版记 on an even page
- build     — which documents, their numbers and files (a period's whole set for `bqw run`:
              bqw.jobs.documents.write_all, which also gathers the Source from the archive)

Nothing heavy is imported here: python-docx and pandas load inside the functions.
"""

from __future__ import annotations

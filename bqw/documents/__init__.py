"""通报 and 简报 as .docx in the official document format (GB/T 9704-2012), written from the
summaries of the workspace archive (docs/documents.md).

- gongwen   — the format primitives (page, fonts, red head, headings, tables, page numbers, 版记)
- source    — the summaries and task rows a document is written from
- tongbao   — 月度进展通报, “一对一”问题通报, 会议议定事项落实情况通报
- jianbao   — 工作简报 (报头, 报核 with the staff's notes, 报尾)
- numbering — 发文字号 and 期号 remembered in the archive
- render    — LibreOffice: PDF/PNG previews, 版记 on an even page
- build     — which documents, their numbers and files; write_all() for `bqw run`

Nothing heavy is imported here: python-docx and pandas load inside the functions.
"""

from __future__ import annotations


def write_all(cfg, store, period, as_of, out_dir, **kw):
    """See bqw.documents.build.write_all."""
    from bqw.documents.build import write_all as _write_all

    return _write_all(cfg, store, period, as_of, out_dir, **kw)


__all__ = ["write_all"]

"""`make preview`: build a workspace from samples/, write every 通报 and a 简报, render them with
LibreOffice to PDF and PNG (stand-in fonts from templates/fonts.conf) for a look.

    python -m bqw.documents.preview --samples samples --out out/预览 [--fonts templates/fonts.conf]

Prints where the files are; exits 0 with a note when LibreOffice is not installed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

NOTES = """# 平安镇扎实推进“百千万工程”挂点联系工作

## 编者按
10月，镇领导深入挂点村开展调研，推动解决了一批群众急难愁盼问题。现将有关情况编发，供各单位学习借鉴。

## 工作动态
镇党委召开专题会议，部署四季度“百千万工程”重点工作，要求各挂点镇领导每月至少到挂点村调研一次。

### 典型村创建有序推进
东坑村、新塘社区对照典型村评价标准逐项查漏补缺，完成村容村貌整治提升。

## 存在问题
个别单位台账填报不规范，佐证材料不齐全。

## 下步工作
1. 紧盯逾期事项，逐项督办销号。
2. 开展典型村创建“回头看”，巩固整治成果。
"""


def _bqw(*args, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "bqw", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bqw {' '.join(map(str, args))} 失败（退出码 {proc.returncode}）：{proc.stderr.strip()}")
    return proc


def build(samples: Path, out: Path, as_of: str = "2026-10-31", day: str = "2026-11-03") -> list[Path]:
    """A fresh workspace from the samples; returns the documents written."""
    ws = out / "工作区"
    if ws.exists():
        shutil.rmtree(ws)
    _bqw("init", ws, "--town", "平安镇", "--year", "2026", cwd=out)
    for src in (samples / "assignments").glob("*.xlsx"):
        shutil.copy(src, ws / "名单" / "镇领导挂点联系村安排表.xlsx")
    _bqw("-w", ws, "merge", samples / "2026-10", samples / "rectification", "-o", ws / "out" / "合并台账.xlsx",
         "--as-of", as_of, "--quiet", cwd=out)
    docs = out / "文档"
    if docs.exists():
        shutil.rmtree(docs)
    for kind in ("进展", "问题", "议定"):
        _bqw("-w", ws, "tongbao", "--type", kind, "--period", "2026-10", "--as-of", as_of, "--date", day,
             "-o", docs, cwd=out)
    notes = out / "简报素材.md"
    notes.write_text(NOTES, encoding="utf-8")
    _bqw("-w", ws, "jianbao", "--period", "2026-10", "--as-of", as_of, "--date", day, "--notes", notes,
         "-o", docs, cwd=out)
    return sorted(docs.glob("*.docx"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="生成样例通报、简报并用 LibreOffice 渲染为 PDF 和 PNG")
    ap.add_argument("--samples", type=Path, default=Path("samples"))
    ap.add_argument("--out", type=Path, default=Path("out/预览"))
    ap.add_argument("--fonts", type=Path, default=None, help="fontconfig 字体替换文件，如 templates/fonts.conf")
    ap.add_argument("--dpi", type=int, default=60)
    args = ap.parse_args(argv)

    from bqw.documents import render

    program = render.soffice()
    if program is None:
        print("未安装 LibreOffice（soffice），跳过预览。可安装：apt-get install libreoffice-writer-nogui poppler-utils")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    paths = build(args.samples.resolve(), args.out.resolve())  # bqw tongbao puts each 版记 on an even page
    pdf_dir, png_dir = args.out / "pdf", args.out / "png"
    for d in (pdf_dir, png_dir):
        if d.exists():
            shutil.rmtree(d)
    pdfs = render.to_pdf(paths, pdf_dir, program=program, fonts=args.fonts)
    for pdf in pdfs:
        pngs = render.to_png(pdf, png_dir / pdf.stem, dpi=args.dpi)
        note = f"，{len(pngs)} 页 PNG" if pngs else "（未安装 pdftoppm，没有 PNG）"
        print(f"{pdf}（{render.page_count(pdf)} 页）{note}")
    print(f"预览完成：PDF 在 {pdf_dir}/，PNG 在 {png_dir}/，文档在 {args.out / '文档'}/。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

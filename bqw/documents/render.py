"""LibreOffice rendering: PDF and PNG previews, and the 版记-on-an-even-page rule of GB/T 9704.

Laying out a page needs a word processor: when LibreOffice (``soffice``) is installed, bqw
renders each 通报 once and, if its last page (the one carrying the 版记) is odd, puts the 版记
on the next page (spec §4.5). Without LibreOffice the documents are written as they are.
``BQW_SOFFICE`` names the program to use; ``BQW_SOFFICE=none`` turns rendering off.

Previews use free stand-in fonts (spec §7.2) through a fontconfig file (FONTS_CONF, the same as
templates/fonts.conf).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<!-- Free stand-ins for the fonts named in bqw's 通报 and 简报 (format spec §7.2), for previews with
     LibreOffice (make preview sets FONTCONFIG_FILE to this file).
     Each name lists the stand-ins in order of preference; the first one installed is used.
     All CJK fonts have 1-em advances, so line breaks and page breaks match the Windows fonts. -->
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>仿宋_GB2312</family>
    <prefer><family>FandolFang</family><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋</family>
    <prefer><family>FandolFang</family><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family>
    <prefer><family>FandolKai</family><family>AR PL UKai CN</family><family>LXGW WenKai</family>
      <family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体</family>
    <prefer><family>FandolKai</family><family>AR PL UKai CN</family><family>LXGW WenKai</family>
      <family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family>
    <prefer><family>Noto Sans CJK SC</family><family>WenQuanYi Zen Hei</family><family>FandolHei</family></prefer></alias>
  <alias binding="same"><family>宋体</family>
    <prefer><family>Noto Serif CJK SC</family><family>AR PL UMing CN</family><family>FandolSong</family></prefer></alias>
  <alias binding="same"><family>方正小标宋简体</family>
    <prefer><family>Noto Serif CJK SC</family><family>AR PL UMing CN</family><family>FandolSong</family></prefer></alias>
  <alias binding="same"><family>方正小标宋_GBK</family>
    <prefer><family>Noto Serif CJK SC</family><family>AR PL UMing CN</family><family>FandolSong</family></prefer></alias>
  <!-- 小标宋 has heavy strokes: draw its stand-in in bold -->
  <match target="pattern">
    <test name="family" compare="eq"><string>方正小标宋简体</string></test>
    <edit name="weight" mode="assign"><const>bold</const></edit>
  </match>
  <alias binding="same"><family>Times New Roman</family>
    <prefer><family>Liberation Serif</family><family>Nimbus Roman</family></prefer></alias>
</fontconfig>
"""


class RenderError(Exception):
    """LibreOffice failed to render a document."""


def soffice() -> str | None:
    """The LibreOffice program, or None (not installed, or BQW_SOFFICE=none)."""
    env = os.environ.get("BQW_SOFFICE")
    if env is not None:
        if env.strip().lower() in ("", "none", "off", "0", "no"):
            return None
        return shutil.which(env) or (env if Path(env).is_file() else None)
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(paths: list[Path], outdir: Path, *, program: str | None = None, fonts: Path | None = None,
           timeout: float = 300) -> list[Path]:
    """Render .docx files to PDF in `outdir` (one LibreOffice run, a private profile, stand-in fonts
    from `fonts` — a fontconfig file such as templates/fonts.conf — or FONTS_CONF)."""
    program = program or soffice()
    if program is None:
        raise RenderError("未找到 LibreOffice（soffice）")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bqw-lo-") as tmp:
        conf = Path(fonts).resolve() if fonts else Path(tmp) / "fonts.conf"
        if not fonts:
            conf.write_text(FONTS_CONF, encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=tmp)
        cmd = [program, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)]
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise RenderError(f"LibreOffice 运行失败：{e}") from e
    pdfs = [outdir / (Path(p).stem + ".pdf") for p in paths]
    missing = [p for p in pdfs if not p.is_file()]
    if missing:
        raise RenderError(f"LibreOffice 未能转换：{'、'.join(p.name for p in missing)}（{proc.stderr.strip()[:200]}）")
    return pdfs


def page_count(pdf: Path) -> int:
    """Pages of a PDF: pdfinfo when installed, else the page objects counted in the file."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        if m:
            return int(m.group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", Path(pdf).read_bytes()))


def to_png(pdf: Path, stem: Path, dpi: int = 60) -> list[Path]:
    """Pages as PNG (pdftoppm): <stem>-1.png, <stem>-2.png …; [] without pdftoppm."""
    if not shutil.which("pdftoppm"):
        return []
    stem.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(stem)], check=True, capture_output=True)
    return sorted(stem.parent.glob(f"{stem.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _push_record(path: Path) -> bool:
    """Insert a page-break paragraph before the 版记 (the first framed paragraph); False if there is none."""
    from docx import Document
    from docx.oxml.ns import qn

    from bqw.atomic import atomic_path

    doc = Document(str(path))
    body = doc.element.body
    first = next((p for p in body.iterchildren(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:framePr')}") is not None),
                 None)
    if first is None:
        return False
    from docx.oxml import OxmlElement

    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ppr.append(OxmlElement("w:pageBreakBefore"))
    p.append(ppr)
    first.addprevious(p)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return True


def even_record_pages(paths: list[Path], *, program: str | None = None) -> dict[Path, int]:
    """Put each document's 版记 on an even page (GB/T 9704 7.4.1): render, and where the page count
    is odd move the 版记 to the next page; a 版记 that already stands alone on its page moves
    once more. Returns {path: page count}; {} without LibreOffice."""
    program = program or soffice()
    if program is None or not paths:
        return {}
    pages: dict[Path, int] = {}
    todo = [Path(p) for p in paths]
    with tempfile.TemporaryDirectory(prefix="bqw-pdf-") as tmp:
        for attempt in range(3):
            if not todo:
                break
            counts = {p: page_count(pdf) for p, pdf in zip(todo, to_pdf(todo, Path(tmp), program=program))}
            pages.update(counts)
            if attempt == 2:
                break
            todo = [p for p, n in counts.items() if n % 2 and _push_record(p)]
    return pages

"""LibreOffice rendering: PDF and PNG previews, and the 版记-on-an-even-page rule of GB/T 9704.

Laying out a page needs a word processor: when LibreOffice (``soffice``) is installed, bqw
renders each 通报 once and, if its last page (the one carrying the 版记) is odd, puts the 版记
on the next page (GB/T 9704-2012 7.4.1; docs/documents.md, “版记在偶数页”). Without LibreOffice
the documents are written as they are.
``BQW_SOFFICE`` names the program to use; ``BQW_SOFFICE=none`` turns rendering off;
``BQW_SOFFICE_TIMEOUT`` the seconds one LibreOffice run may take (default 300).

LibreOffice is never left behind. Its profile and its PDFs live in temporary folders named after
the bqw process (``bqw-lo-<pid>-…``, ``bqw-pdf-<pid>-…``), removed on every way out of bqw's own
code; those of a bqw that no longer runs are removed by the next (clean_stale). LibreOffice runs
under a small guard process (``python -m bqw.documents.render --guard``) that bqw starts in a
session of its own and that starts LibreOffice in a process group of its own: the guard ends that
whole group — soffice and the soffice.bin it starts — when the time is up or when bqw is gone
(its stdin, a pipe from bqw, reaches end of file: bqw exited, was killed with kill -9, or its
process group was), and then removes the folders. A kill of bqw's process group therefore does
not reach LibreOffice directly (the guard is outside it on purpose: a group kill gives bqw no
chance to clean up, the guard does it). On Windows there are no process groups: the guard ends
LibreOffice's process tree with ``taskkill /T``.

Previews use free stand-in fonts (docs/documents.md, “预览（make preview）”) through a fontconfig
file (FONTS_CONF, the same as templates/fonts.conf).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
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


LO_PREFIX, PDF_PREFIX = "bqw-lo-", "bqw-pdf-"  # LibreOffice's profile; the PDFs bqw counts pages of
DEFAULT_TIMEOUT = 300.0
STALE_SECONDS = 86400  # a folder without a PID in its name (an older bqw) is stale after a day
TIMED_OUT = 124  # the guard's exit status when it stopped LibreOffice (as coreutils timeout)


def timeout_seconds() -> float:
    """BQW_SOFFICE_TIMEOUT, else DEFAULT_TIMEOUT."""
    try:
        value = float(os.environ.get("BQW_SOFFICE_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


@contextmanager
def scratch(prefix: str):
    """A temporary folder named after this process (<prefix><pid>-…), removed on every way out;
    if bqw is killed, by LibreOffice's guard or by the next bqw (clean_stale)."""
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def clean_stale(folder: Path | None = None) -> list[Path]:
    """Remove bqw-lo-*/bqw-pdf-* folders of bqw processes that no longer run (killed while
    LibreOffice rendered: power cut, their guard killed too) from the temporary folder."""
    from bqw.core.atomic import pid_alive
    from bqw.store.staging import owner_pid

    folder = Path(folder or tempfile.gettempdir())
    removed = []
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith((LO_PREFIX, PDF_PREFIX))]
    except OSError:
        return removed
    for path in candidates:
        pid = owner_pid(path.name, LO_PREFIX if path.name.startswith(LO_PREFIX) else PDF_PREFIX)
        try:
            if not path.is_dir() or path.is_symlink():
                continue
            old = time.time() - path.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if pid == os.getpid() or (pid is not None and pid_alive(pid) and not old) or (pid is None and not old):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _run_guarded(cmd: list[str], env: dict, folders: list[Path], timeout: float) -> tuple[int, str]:
    """Run LibreOffice under its guard (see the module docstring); (exit status, what it said)."""
    log = folders[0] / "soffice.log"
    guard = [sys.executable, "-m", "bqw.documents.render", "--guard", str(timeout), *map(str, folders), "--", *cmd]
    with open(log, "wb") as said:
        try:
            proc = subprocess.Popen(guard, env=env, stdin=subprocess.PIPE, stdout=said, stderr=said,
                                    start_new_session=True)  # outside bqw's group: it outlives a group kill
        except OSError as e:
            raise RenderError(f"LibreOffice 运行失败：{e}") from e
        try:
            code = proc.wait(timeout=timeout + 30)  # the guard stops LibreOffice at `timeout`
        except subprocess.TimeoutExpired:
            code = TIMED_OUT
        finally:  # every way out of here (an error, Ctrl-C): the guard reads end of file and ends LibreOffice
            proc.stdin.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return code, log.read_text(encoding="utf-8", errors="replace")


def to_pdf(paths: list[Path], outdir: Path, *, program: str | None = None, fonts: Path | None = None,
           timeout: float | None = None, owned: tuple[Path, ...] = ()) -> list[Path]:
    """Render .docx files to PDF in `outdir` (one LibreOffice run, a private profile, stand-in fonts
    from `fonts` — a fontconfig file such as templates/fonts.conf — or FONTS_CONF). `owned`: more
    temporary folders (the PDFs') the guard removes if bqw dies meanwhile."""
    program = program or soffice()
    if program is None:
        raise RenderError("未找到 LibreOffice（soffice）")
    timeout = timeout or timeout_seconds()
    clean_stale()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with scratch(LO_PREFIX) as tmp:
        conf = Path(fonts).resolve() if fonts else tmp / "fonts.conf"
        if not fonts:
            conf.write_text(FONTS_CONF, encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(tmp))
        cmd = [program, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)]
        code, said = _run_guarded(cmd, env, [tmp, *map(Path, owned)], timeout)
    if code == TIMED_OUT:
        raise RenderError(f"LibreOffice 运行超过 {timeout:g} 秒，已停止")
    pdfs = [outdir / (Path(p).stem + ".pdf") for p in paths]
    missing = [p for p in pdfs if not p.is_file()]
    if missing:
        raise RenderError(f"LibreOffice 未能转换：{'、'.join(p.name for p in missing)}（{said.strip()[:200]}）")
    return pdfs


def page_count(pdf: Path) -> int:
    """Pages of a PDF: pdfinfo when installed, else the page objects counted in the file."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        if m:
            return int(m.group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", Path(pdf).read_bytes()))


def to_png(pdf: Path, stem: Path, dpi: int = 60) -> list[Path]:
    """Pages as PNG (pdftoppm): <stem>-1.png, <stem>-2.png …; [] without pdftoppm."""
    if not shutil.which("pdftoppm"):
        return []
    stem.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(stem)], check=True, capture_output=True,
                   timeout=timeout_seconds())
    return sorted(stem.parent.glob(f"{stem.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _push_record(path: Path) -> bool:
    """Insert a page-break paragraph before the 版记 (the first framed paragraph); False if there is none."""
    from docx import Document
    from docx.oxml.ns import qn

    from bqw.core.atomic import atomic_path

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
    with scratch(PDF_PREFIX) as tmp:
        for attempt in range(3):
            if not todo:
                break
            counts = {p: page_count(pdf) for p, pdf in zip(todo, to_pdf(todo, tmp, program=program, owned=(tmp,)))}
            pages.update(counts)
            if attempt == 2:
                break
            todo = [p for p, n in counts.items() if n % 2 and _push_record(p)]
    return pages


# --- the guard: `python -m bqw.documents.render --guard SECONDS FOLDER... -- PROGRAM ARGS...` -------------


def _end_tree(proc: subprocess.Popen) -> None:
    """End LibreOffice and every process it started (soffice starts soffice.bin)."""
    if os.name == "nt":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
    else:
        import signal

        try:
            os.killpg(proc.pid, signal.SIGKILL)  # its own group: see guard()
        except OSError:
            pass  # the group is empty: all of it ended
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def guard(argv: list[str]) -> int:
    """Run a program (LibreOffice) for bqw and end it — with all it started — when it takes longer
    than SECONDS, or when bqw is gone (end of file on stdin); in that case remove FOLDERS too."""
    import threading

    split = argv.index("--")
    seconds, folders, cmd = float(argv[0]), argv[1:split], argv[split + 1:]
    try:  # a process group of its own (POSIX): killpg ends soffice and soffice.bin together
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=os.name != "nt")
    except OSError as e:
        print(f"{cmd[0]}: {e}", file=sys.stderr)
        return 127
    over, gone = threading.Event(), threading.Event()

    def watch_bqw() -> None:
        sys.stdin.buffer.read()  # returns at end of file: bqw closed the pipe, or died
        gone.set()
        over.set()

    def watch_program() -> None:
        proc.wait()
        over.set()

    for watch in (watch_bqw, watch_program):
        threading.Thread(target=watch, daemon=True).start()
    finished = over.wait(timeout=seconds)
    _end_tree(proc)  # stopped when the time is up or bqw is gone; else whatever it left running
    if gone.is_set():  # nobody will remove them now
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    return proc.returncode if finished and not gone.is_set() else TIMED_OUT


if __name__ == "__main__" and sys.argv[1:2] == ["--guard"]:
    sys.exit(guard(sys.argv[2:]))

"""The workbooks bqw writes, printed by LibreOffice (issue 16, “Prints well”): skipped where `soffice`
or poppler's `pdftotext` is not installed (CI has neither; tests/unit/test_print_setup.py checks the
page setup itself everywhere).

The merged ledgers of every kind, the annotated copies and the summary workbook
(test_print_setup.produce_outputs) are converted to PDF in one LibreOffice run. Each is converted as
a copy whose footer also names the sheet (“&A 第 &P 页 共 &N 页”: LibreOffice numbers the pages of the
whole document), so every page is known to be the sheet's it came from. For every sheet bqw set up:

- its pages are A4 in the sheet's orientation;
- their number is what the sheet's rows imply: the rows' heights (LibreOffice does not fit a row to
  wrapped text; an unset row is 15 pt) laid out down pages of the printable height, at a scale between
  the one computed from the column widths (Excel's metrics) and 7 % less (LibreOffice's Carlito makes
  the same columns up to about 6 % wider), times the pages across (fitToWidth);
- the header row is on every page; no column outside the print area is printed.

The first page of every sheet is kept as a PNG (pdftoppm -r 60) under out/打印预览/ for a person to
look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from openpyxl.utils import range_boundaries
from unit.test_print_setup import PAGE_WIDE, fit_width, pixels, produce_outputs

from bqw.output.printing import MARGINS, MIN_SCALE

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not SOFFICE or not shutil.which("pdftotext"),
                                reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed")
PREVIEW = ROOT / "out" / "打印预览"
FOOTER_XML, NAMED_FOOTER_XML = b"<oddFooter>&amp;C", b"<oddFooter>&amp;C&amp;A "  # &A: the sheet's name
PAGE_TALL = {"landscape": 8.27 * 72, "portrait": 11.69 * 72}  # points
DEFAULT_ROW = 15.0  # points: sheetFormatPr defaultRowHeight of every workbook bqw writes
LIBREOFFICE_WIDER = 0.93  # the least scale LibreOffice may print at, relative to the computed one


def named_footer_copy(source: Path, target: Path) -> None:
    """`source` with the sheet's name in every footer bqw wrote (nothing else changed)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(FOOTER_XML, NAMED_FOOTER_XML)
            zout.writestr(info, data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, Path, list[str], list[tuple[float, float]]]]:
    """Workbook name -> (the workbook, its PDF, each page's text, each page's size in points)."""
    work = produce_outputs(tmp_path_factory.mktemp("render"))
    books = sorted(work.glob("合并（*）.xlsx")) + sorted((work / "退回").glob("*.xlsx")) + [work / "统计.xlsx"]
    copies = work / "copies"
    copies.mkdir()
    for n, book in enumerate(books):
        named_footer_copy(book, copies / f"{n:02d}.xlsx")
    profile = work / "lo-profile"  # its own profile: another soffice running does not get the job
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work / "pdf"), *sorted(map(str, copies.glob("*.xlsx")))],
                   capture_output=True, timeout=600, check=True, env=dict(os.environ, HOME=str(work)))
    out = {}
    for n, book in enumerate(books):
        pdf = work / "pdf" / f"{n:02d}.pdf"
        texts = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")[:-1]
        assert len(texts) == len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))
        out[book.name] = (book, pdf, texts, page_sizes(pdf, len(texts)))
    return out


def page_sizes(pdf: Path, pages: int) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(pages), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def sheet_pages(texts: list[str], sheet: str) -> list[int]:
    """The pages (0-based) whose footer names `sheet`."""
    return [i for i, t in enumerate(texts) if re.search(rf"{re.escape(sheet)}\s+第\s*\d+\s*页", t)]


def printed(ws) -> tuple[int, int]:
    """The print area's last column and row (no print area: the sheet's)."""
    ref = ws.print_area.split("!")[1].replace("$", "") if ws.print_area else None
    return tuple(range_boundaries(ref)[2:]) if ref else (ws.max_column, ws.max_row)


def computed_scale(ws) -> float:
    """The scale the printed columns print at across fitToWidth pages, from their widths (Excel's metrics)."""
    return min(1.0, fit_width(ws) * PAGE_WIDE[ws.page_setup.orientation] / pixels(ws, printed(ws)[0]))


def expected_pages(ws) -> tuple[int, int]:
    """The fewest and most pages the sheet's rows imply (see the module docstring)."""
    last_row = printed(ws)[1]
    orientation = ws.page_setup.orientation
    computed = computed_scale(ws)
    heights = [ws.row_dimensions[r].height or DEFAULT_ROW for r in range(1, last_row + 1)]
    titles = [int(x) for x in re.findall(r"\d+", ws.print_title_rows or "")]
    repeated = sum(heights[titles[0] - 1:titles[-1]]) if titles else 0
    room = PAGE_TALL[orientation] - (MARGINS["top"] + MARGINS["bottom"]) * 72
    across = fit_width(ws)
    return (across * pages_down(heights, repeated, room / (computed * LIBREOFFICE_WIDER)),
            across * pages_down(heights, repeated, room / computed))


def pages_down(heights: list[float], repeated: float, room: float) -> int:
    """Rows of `heights` laid down pages `room` points tall, each page after the first starting with
    the `repeated` title rows."""
    pages, used = 1, 0.0
    for h in heights:
        if used + h > room and used > repeated:
            pages, used = pages + 1, repeated
        used += h
    return pages


def set_up_sheets(book: Path) -> list:
    """The sheets bqw set up for printing (the annotated copy's own sheets are the submitter's)."""
    wb = openpyxl.load_workbook(book)
    return [ws for ws in wb.worksheets if ws.oddFooter.center.text == "第 &P 页 共 &N 页"]


def test_every_sheet_prints_on_a4_in_the_pages_its_rows_imply(rendered):
    checked = 0
    for name, (book, _pdf, texts, sizes) in rendered.items():
        for ws in set_up_sheets(book):
            pages = sheet_pages(texts, ws.title)
            fewest, most = expected_pages(ws)
            assert computed_scale(ws) * 100 >= MIN_SCALE, (name, ws.title)
            assert fewest <= len(pages) <= most, (name, ws.title, len(pages), fewest, most)
            assert pages == list(range(pages[0], pages[0] + len(pages)))  # together, in sheet order
            landscape = ws.page_setup.orientation == "landscape"
            for i in pages:
                w, h = sizes[i]
                assert sorted((round(w), round(h))) == [595, 842] and (w > h) == landscape, (name, ws.title, i)
            checked += 1
    assert checked >= 30


def test_header_row_on_every_page_and_no_unprinted_column(rendered):
    for name, (book, _pdf, texts, _sizes) in rendered.items():
        for ws in set_up_sheets(book):
            if not ws.print_title_rows:
                continue
            header = [c.value for c in ws[2]]
            last = printed(ws)[0]
            hidden = [h for h in header[last:] if h in ("来源工作表", "来源行号", "校验提示", "规则代码")]
            # 序号 (镇领导 …) begins every page, unless the page is one across without repeated columns
            first = fit_width(ws) == 1 or ws.print_title_cols
            for i in sheet_pages(texts, ws.title):
                assert header[0] in texts[i] if first else any(h in texts[i] for h in header[:last]), (
                    name, ws.title, i)
                assert not [h for h in hidden if h in texts[i]], (name, ws.title, i)


def test_result_sheet_prints_rule_names_in_chinese(rendered):
    name = "平安镇问题整改台账（三清单）（错误示例）（校验意见）.xlsx"
    _book, _pdf, texts, _sizes = rendered[name]
    page = texts[sheet_pages(texts, "校验结果")[0]]
    assert "已完成但无完成时间" in page and "task-completed-no-date" not in page


def test_first_pages_kept_as_png_for_a_person_to_look_at(rendered):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    PREVIEW.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (book, pdf, texts, _sizes) in rendered.items():
        for ws in set_up_sheets(book):
            first = sheet_pages(texts, ws.title)[0] + 1
            stem = PREVIEW / f"{Path(name).stem}-{ws.title}"
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(first), "-singlefile",
                            str(pdf), str(stem)], check=True, capture_output=True, timeout=120)
            written.append(Path(f"{stem}.png"))
    assert written and all(p.stat().st_size > 1000 and p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in written)

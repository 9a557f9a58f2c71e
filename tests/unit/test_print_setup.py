"""How the workbooks bqw writes print (issue 16, “Prints well”; bqw.output.printing): each produced
workbook is opened with openpyxl and its page setup checked — print area, fit and scale, paper,
orientation, print titles, footer, wrapped text columns and column widths — for every kind of merged
ledger, 待核实, 合并说明, the annotated copy's 校验结果 and the summary workbook. The scale a sheet
prints at is computed here from the column widths written (Excel's conversion: a width of w
characters is int(w * 7 + 0.5) pixels, padding included, at 96 pixels to the inch).

tests/cli/test_print_render.py renders the same workbooks with LibreOffice when it is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES, run_bqw
from openpyxl.utils import get_column_letter, range_boundaries

from tests.golden.demo_outputs import SAMPLE_MTIME

from bqw.core.findings import CATALOGUE
from bqw.ledgers import get_spec
from bqw.ledgers.family import RECTIFICATION_FAMILY
from bqw.output.ledger import kind_title
from bqw.output.printing import (FOOTER, MIN_SCALE, WIDE_TEXT, column_pixels, plan_print, row_height,
                                 text_lines)

A4 = 9
PAGE_WIDE = {"landscape": (11.69 - 1.0) * 96, "portrait": (8.27 - 1.0) * 96}  # pixels inside 0.5 in margins
TRACING = ("校验提示", "来源文件", "来源工作表", "来源行号", "填报单位", "期间")
INPUTS = ("2026-10", "rectification", "roster", "scores", "assignments", "errors")
# table kind -> (archive kind, orientation, pages across): what the samples' widths give
LISTS = {
    "visits": ("visits", "landscape", 1),
    "problems": (RECTIFICATION_FAMILY, "portrait", 1),
    "responsibilities": (RECTIFICATION_FAMILY, "portrait", 1),
    "tasks": (RECTIFICATION_FAMILY, "landscape", 1),
    "roster": ("roster", "landscape", 1),
    "assignments": ("assignments", "portrait", 1),
    "scores": ("scores", "landscape", 2),
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    return produce_outputs(tmp_path_factory.mktemp("print"))


def produce_outputs(work: Path) -> Path:
    """In `work`: the samples merged (every kind, with the error samples for 待核实: 合并（…）.xlsx), the
    error samples annotated (退回/), and the summary workbook (统计.xlsx). Also used by
    tests/cli/test_print_render.py."""
    # the samples copied with fixed times, the error samples an hour later: bqw orders files arriving
    # together by their times, and a checkout gives them all one time (the error rows are then
    # superseded by the good file of the same village, and 待核实 of the scores stays empty)
    inputs = work / "inputs"
    for d in INPUTS:
        shutil.copytree(SAMPLES / d, inputs / d)
        for f in (inputs / d).rglob("*"):
            when = SAMPLE_MTIME + (3600 if d == "errors" else 0)
            os.utime(f, (when, when))
    run_bqw("merge", *[inputs / d for d in INPUTS], "-o", work / "合并.xlsx", "--no-archive",
            "--as-of", "2026-10-31", "--quiet", check_code=1)
    run_bqw("validate", SAMPLES / "errors", "--assignments", SAMPLES / "assignments", "--period", "2026-10",
            "--annotate", work / "退回", "--quiet", check_code=1)
    run_bqw("summarise", SAMPLES / "2026-10", SAMPLES / "rectification", SAMPLES / "roster", SAMPLES / "scores",
            "--assignments", SAMPLES / "assignments", "--period", "2026-10", "--as-of", "2026-10-31",
            "--format", "xlsx", "-o", work / "统计.xlsx", "--quiet", check_code=0)
    return work


def merged(outputs: Path, fam: str):
    return openpyxl.load_workbook(outputs / f"合并（{kind_title(fam)}）.xlsx")


def widths(ws) -> dict[int, float]:
    """Column number -> width as written (openpyxl keeps a run of equal columns as one entry)."""
    out = {}
    for dim in ws.column_dimensions.values():
        if dim.width:
            out.update({c: dim.width for c in range(dim.min, dim.max + 1)})
    return out


def pixels(ws, columns: int) -> int:
    """The first `columns` columns' width in pixels at 100 % (a column of no set width: Excel's 64)."""
    w = widths(ws)
    return sum(int(w[c] * 7 + 0.5) if c in w else 64 for c in range(1, columns + 1))


def printed_columns(ws) -> int:
    """The print area's last column; it must start at A1 and end at the sheet's last row."""
    ref = ws.print_area.split("!")[1].replace("$", "")
    first_col, first_row, last_col, last_row = range_boundaries(ref)
    assert (first_col, first_row, last_row) == (1, 1, ws.max_row), ref
    return last_col


def scale(ws, columns: int) -> float:
    """The scale the first `columns` columns print at across the sheet's fitToWidth pages."""
    return min(100.0, fit_width(ws) * PAGE_WIDE[ws.page_setup.orientation] * 100 / pixels(ws, columns))


def fit_width(ws) -> int:
    return ws.page_setup.fitToWidth or 1  # absent in the file: 1, the default of the format


def assert_page(ws, orientation: str, titles: str | None = "$2:$2") -> None:
    """A4, the orientation, fitted across (never down: fitToHeight 0), margins, titles, footer."""
    setup = ws.page_setup
    assert int(setup.paperSize) == A4
    assert setup.orientation == orientation
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(setup.fitToHeight) == 0
    assert (ws.page_margins.left, ws.page_margins.right) == (0.5, 0.5)
    assert ws.print_title_rows == titles
    assert ws.oddFooter.center.text == FOOTER == "第 &P 页 共 &N 页"


# --- the planner ---------------------------------------------------------------------------------

def test_a_narrow_table_prints_portrait_at_full_size():
    plan = plan_print([6, 10, 30, 16], header_rows=(1, 1))
    assert (plan.landscape, plan.pages_wide, plan.scale, plan.widths) == (False, 1, 100, [6, 10, 30, 16])


def test_wide_text_columns_narrow_to_fit_but_not_below_wide_text():
    visits = [6, 10, 16, 12, 30, 30, 12, 22, 12]
    plan = plan_print(visits + [30, 36], printed=len(visits))
    fitted = plan.widths[:len(visits)]
    assert plan.landscape and plan.scale == 100 and plan.pages_wide == 1
    assert sum(map(column_pixels, fitted)) <= PAGE_WIDE["landscape"] * 0.98
    assert [w for w, before in zip(fitted, visits) if w != before] and min(fitted[4], fitted[5]) >= WIDE_TEXT
    assert [w for w, before in zip(fitted, visits) if before <= WIDE_TEXT] == [6, 10, 16, 12, 12, 12]
    assert plan.widths[len(visits):] == [30, 36]  # unprinted columns keep their widths


def test_a_slightly_wide_table_is_fitted_to_one_page_at_no_less_than_min_scale():
    tasks = [6, 10, 10, 36, 12, 16, 16, 14, 30, 10, 14]
    plan = plan_print(tasks)
    assert plan.widths == [6, 10, 10, 20, 12, 16, 16, 14, 20, 10, 14]  # 任务内容, 进展情况 as narrow as they go
    assert plan.pages_wide == 1 and plan.landscape and MIN_SCALE <= plan.scale < 100
    content = sum(map(column_pixels, plan.widths))
    assert plan.scale == int(PAGE_WIDE["landscape"] * 0.98 * 100 / content) == 92


def test_a_very_wide_table_runs_across_pages_with_its_key_columns():
    scores = [6, 12, 8] + [7] * 25 + [8] + [7] * 8
    plan = plan_print(scores, key_columns=2)
    assert (plan.pages_wide, plan.key_columns) == (2, 2) and plan.scale >= MIN_SCALE
    assert plan_print([19] * 4 + [7] * 60, key_columns=4).key_columns == 0  # over half a page: not repeated


def test_lines_and_row_heights_of_wrapped_text():
    assert text_lines("督导农房风貌管控", 10) == 2  # eight characters, sixteen units
    assert text_lines("PA2026-004-1", 13) == 1
    assert text_lines("谢振东\n15807526631", 30) == 2
    assert row_height(["张国华", "短"], [10, 10]) is None
    assert row_height(["一二三四五六七八九十一二三四五六七八九十一", 3], [20, 8]) == 3 * 15 + 2  # three lines and the cell margin


# --- merged ledgers ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", LISTS)
def test_a_list_prints_its_official_columns_only(outputs, kind):
    fam, orientation, pages = LISTS[kind]
    spec = get_spec(kind)
    ws = merged(outputs, fam)[spec.title]
    header = [c.value for c in ws[2]]
    official = [n for n in spec.names if n in header]
    last = printed_columns(ws)
    assert header[:last] == official  # the form's columns, in the form's order, and nothing else
    assert set(TRACING) <= set(header[last:])  # on the sheet, after them
    assert_page(ws, orientation)
    assert fit_width(ws) == pages and scale(ws, last) >= MIN_SCALE
    assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{get_column_letter(last)}1"]  # title over what prints
    assert ws["A1"].alignment.horizontal == ("center" if pages == 1 else "left")
    texts = [c for row in ws.iter_rows(min_row=3, max_col=last) for c in row if isinstance(c.value, str)]
    assert texts and all(c.alignment.wrap_text for c in texts)


def test_visits_print_at_full_size_with_readable_text_columns(outputs):
    ws = merged(outputs, "visits")["挂点调研台账"]
    header = [c.value for c in ws[2]]
    w = widths(ws)
    assert scale(ws, printed_columns(ws)) == 100
    for name in ("调研内容", "调研成效", "联系人及联系方式"):
        assert WIDE_TEXT <= round(w[header.index(name) + 1]) <= 30
    assert round(w[header.index("来源文件") + 1]) == 37  # unprinted: 36 characters and padding, as before
    assert ws.row_dimensions[2].height >= 27  # “推动解决问题数量” takes two lines of the header (28 pt, as pixels)


def test_short_codes_get_a_column_wide_enough_for_one_line(outputs):
    ws = merged(outputs, RECTIFICATION_FAMILY)["任务清单"]
    header = [c.value for c in ws[2]]
    column = header.index("任务编号") + 1
    codes = [ws.cell(r, column).value for r in range(3, ws.max_row + 1)]
    assert "PA2026-001-2" in codes
    spec_width = {c.name: c.width for c in get_spec("tasks").columns}["任务编号"]
    assert widths(ws)[column] - 0.71 >= max(len(c) for c in codes) > spec_width


def test_scores_run_across_two_pages_repeating_number_and_village(outputs):
    ws = merged(outputs, "scores")["典型村评价"]
    assert ws.print_title_cols == "$A:$B" and ws.page_setup.pageOrder == "overThenDown"
    assert [c.value for c in ws[2]][:2] == ["序号", "村名"]


@pytest.mark.parametrize("fam", ["visits", RECTIFICATION_FAMILY, "roster", "scores"])
def test_held_rows_print_source_problem_and_content_not_unit_and_period(outputs, fam):
    ws = merged(outputs, fam)["待核实"]
    header = [c.value for c in ws[2]]
    last = printed_columns(ws)
    assert header[last:] == ["填报单位", "期间"]
    assert {"来源文件", "来源工作表", "来源行号", "问题说明", "序号"} <= set(header[:last])
    assert_page(ws, "landscape")
    assert scale(ws, last) >= MIN_SCALE
    assert ws.max_row >= 3  # the error samples hold rows of every kind back


def test_notes_sheet_prints_landscape_on_one_page_across(outputs):
    ws = merged(outputs, "visits")["合并说明"]
    last = printed_columns(ws)
    assert last == 9  # 文件清单 has nine columns
    assert_page(ws, "landscape", titles=None)
    assert fit_width(ws) == 1 and scale(ws, last) >= 95
    assert ws.print_options.horizontalCentered is True


# --- the annotated copy's 校验结果 ----------------------------------------------------------------

def test_result_sheet_prints_in_songti_with_rule_names_in_chinese(outputs):
    copies = sorted((outputs / "退回").glob("*.xlsx"))
    assert len(copies) == 5
    for path in copies:
        ws = openpyxl.load_workbook(path)["校验结果"]
        assert [c.value for c in ws[2]] == ["序号", "级别", "工作表", "单元格", "列", "问题类型", "问题说明", "规则代码"]
        assert printed_columns(ws) == 7  # the rule code is the last column, unprinted
        assert_page(ws, "landscape")
        assert scale(ws, 7) == 100
        rows = list(ws.iter_rows(min_row=3, values_only=True))
        assert rows and all(r[5] == CATALOGUE[r[7]].title for r in rows)
        assert all(c.font.name == "宋体" for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=7)
                   for c in row if c.value is not None)
        for r, row in enumerate(rows, 3):  # a message of several lines gets the rows it needs
            lines = text_lines(row[6], widths(ws)[7] - 0.71)
            assert (ws.row_dimensions[r].height or 15) >= 14 * lines


def test_result_rule_names_read_as_chinese_for_a_known_case(outputs):
    ws = openpyxl.load_workbook(outputs / "退回" / "平安镇问题整改台账（三清单）（错误示例）（校验意见）.xlsx")["校验结果"]
    assert [c.value for c in ws[3]][3:8] == ["K4", "完成时间", "已完成但无完成时间", "完成状态为“已完成”，但“完成时间”为空",
                                             "task-completed-no-date"]
    assert ws["D3"].hyperlink.location == "'任务清单'!K4"


# --- the summary workbook -------------------------------------------------------------------------

def test_summary_sheets_print_on_a4_with_titles_and_page_numbers(outputs):
    path = outputs / "统计.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "概况" and len(wb.sheetnames) > 5
    charts = chart_right_edges(path)
    assert len(charts) >= 3
    for n, ws in enumerate(wb.worksheets[1:], 2):
        assert not ws.print_area  # the chart below the table prints too
        assert_page(ws, ws.page_setup.orientation)
        content = max([pixels(ws, ws.max_column)] + charts.get(n, []))
        assert content * MIN_SCALE / 100 <= fit_width(ws) * PAGE_WIDE[ws.page_setup.orientation], ws.title
    assert_page(wb["概况"], "landscape", titles=None)


def chart_right_edges(path: Path) -> dict[int, list[float]]:
    """Sheet number -> the right edge, in pixels from column A, of each chart on it (its anchor's
    last column plus the offset into it)."""
    wb = openpyxl.load_workbook(path)
    out: dict[int, list[float]] = {}
    with zipfile.ZipFile(path) as z:
        for n, ws in enumerate(wb.worksheets, 1):
            rels = f"xl/worksheets/_rels/sheet{n}.xml.rels"
            if rels not in z.namelist():
                continue
            for target in re.findall(r'Target="../drawings/(drawing\d+\.xml)"', z.read(rels).decode()):
                xml = z.read(f"xl/drawings/{target}").decode()
                for col, offset in re.findall(r"<xdr:to><xdr:col>(\d+)</xdr:col><xdr:colOff>(\d+)</xdr:colOff>", xml):
                    out.setdefault(n, []).append(pixels(ws, int(col)) + int(offset) / 9525)
    return out

"""A sheet too wide says its real number of columns, or only that it passes the limit (issue 14, defect 12).

The pre-scan stops counting once a sheet passes the column limit; the count it stopped at is not
the sheet's width and must not be reported as if it were.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from bqw.io.reader import read_ledger
from fixtures import bad_files

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def one_sheet(path, body: str):
    members = dict(bad_files.package_parts(shared_strings=False))
    members["xl/worksheets/sheet1.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                           f'<worksheet xmlns="{NS}"><sheetData>{body}</sheetData></worksheet>')
    bad_files._write_zip(path, members)
    return path


def message(path) -> str:
    (finding,) = read_ledger(path).findings
    assert finding.code == "sheet-too-wide"
    return finding.message


def test_a_row_of_a_million_cells_without_references(tmp_path):
    """Cells without r are placed one after another; the scan stops at the 1,001st."""
    path = one_sheet(tmp_path / "宽.xlsx", "<row>" + "<c><v>1</v></c>" * 1_000_000 + "</row>")
    said = message(path)
    assert "1001" not in said
    assert said == "工作表“Sheet1”的列数超过上限 1000 列，疑似异常文件；请删除多余的列后重新提交"


def test_a_wide_row_after_a_less_wide_one(tmp_path):
    """Column ALM (1,001) comes first, XFD (16,384) megabytes later: the first is not the width."""
    filler = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{"填充内容" * 10}</t></is></c></row>'
                     for r in range(3, 20_000))
    body = ('<row r="1"><c r="ALM1"><v>1</v></c></row>' + filler
            + '<row r="20000"><c r="XFC20000"><v>1</v></c></row>')
    said = message(one_sheet(tmp_path / "宽.xlsx", body))
    assert "1001" not in said and "的列数超过上限 1000 列" in said


def test_the_real_number_when_it_is_known(tmp_path):
    row = '<row r="1">' + "".join(f'<c r="{get_column_letter(i)}1"><v>1</v></c>' for i in (1, 2, 16384)) + "</row>"
    assert message(one_sheet(tmp_path / "宽.xlsx", row)).startswith("工作表“Sheet1”有 16384 列，超过上限 1000 列")
    csv = tmp_path / "宽.csv"
    csv.write_text("序号,镇领导\n" + ",".join(["1"] * 1_000_000) + "\n", encoding="utf-8")
    # the first row too wide is read, not the ones after it: that row's width is said
    assert message(csv).startswith("工作表“宽”第 2 行有 1000000 列，超过上限 1000 列")


def test_a_csv_line_past_the_cell_limit_is_too_wide_not_too_long(tmp_path):
    """Thirteen million fields on one line: a sheet of two lines was said to have too many rows."""
    csv = tmp_path / "宽.csv"
    csv.write_bytes("序号,镇领导\n".encode() + b"," * 13_000_000 + b"\n")
    assert message(csv).startswith("工作表“宽”有 13000001 列，超过上限 1000 列")

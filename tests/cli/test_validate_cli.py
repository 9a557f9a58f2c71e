"""`bqw validate` and `bqw --help` end to end, through the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl
import pytest
from conftest import VISITS_HEADER, run_bqw, sha256, visit_row

from bqw.cli.exit import ExitCode
from bqw.core.findings import CATALOGUE
from bqw.core.version import VERSION
from bqw.jobs.validate import report_dict, validate_file


def test_exit_codes_are_pinned():
    assert [(e.name, int(e)) for e in ExitCode] == [("OK", 0), ("DATA", 1), ("USAGE", 2), ("INTERNAL", 3)]


def test_help_lists_commands_in_chinese_and_stays_light():
    proc = run_bqw("--help", check_code=0)
    assert "validate" in proc.stdout and "template" in proc.stdout
    assert "校验上报的台账" in proc.stdout and "生成空白填报模板" in proc.stdout
    code = ("import sys; sys.argv = ['bqw', '--help']\n"
            "from bqw.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', sorted(m for m in ('pandas', 'pandera', 'docx', 'openpyxl', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert "HEAVY []" in out


def test_a_misspelt_command_gets_one_suggestion():
    proc = run_bqw("valdate", check_code=2)
    assert proc.stderr.count("您是否要输入：validate？") == 1 and proc.stderr.count("您是否要") == 1


def test_version_is_the_packages_and_said_in_the_help():
    from importlib.metadata import version

    from bqw import __version__

    proc = run_bqw("--version", check_code=0)
    assert proc.stdout == f"bqw {__version__}\n"
    assert version("bqw") == __version__  # the installed package's (pyproject.toml reads bqw/core/version.py)
    assert "--version" in run_bqw("--help", check_code=0).stdout


@pytest.mark.parametrize("command", ["validate", "template"])
def test_every_command_help_has_an_example(command):
    proc = run_bqw(command, "--help", check_code=0)
    assert "示例" in proc.stdout and f"bqw {command}" in proc.stdout


def test_clean_file_exit_0_and_error_file_exit_1(xlsx, tmp_path):
    good = xlsx([VISITS_HEADER, visit_row()], name="good.xlsx")
    bad = xlsx([VISITS_HEADER, visit_row(when="10月35日")], name="bad.xlsx")
    ok = run_bqw("validate", good, check_code=0)
    assert "✔ 通过：good.xlsx" in ok.stdout
    proc = run_bqw("validate", good, bad, check_code=1)
    assert "✘ 未通过：bad.xlsx（1 个错误" in proc.stdout and "C2" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_warnings_only_exit_0(xlsx):
    path = xlsx([VISITS_HEADER, visit_row(contact="李四 1381234567")])
    proc = run_bqw("validate", path, check_code=0)
    assert "1 个警告" in proc.stdout


@pytest.mark.parametrize("args,needle", [
    (["--kind", "nope"], "--kind"),
    (["--period", "2026-13"], "--period"),
    (["--period", "十月"], "YYYY-MM"),
])
def test_usage_errors_exit_2_in_chinese(xlsx, args, needle):
    path = xlsx([VISITS_HEADER, visit_row()])
    proc = run_bqw("validate", path, *args, check_code=2)
    assert needle in proc.stderr and "用法错误" in proc.stderr


def test_missing_path_is_usage_error(tmp_path):
    proc = run_bqw("validate", tmp_path / "没有这个文件.xlsx", check_code=2)
    assert "找不到" in proc.stderr and "没有这个文件.xlsx" in proc.stderr


def test_json_contract_equals_library_report(xlsx):
    path = xlsx([VISITS_HEADER, visit_row(), visit_row(2, count="-1")])
    proc = run_bqw("validate", path, "--format", "json", check_code=1)
    doc = json.loads(proc.stdout)  # exactly one JSON document on stdout
    (entry,) = doc["files"]
    assert {"path", "kind", "rows", "valid", "findings"} <= set(entry)
    assert entry["kind"] == "visits" and entry["rows"] == 2 and entry["valid"] is False
    (f,) = entry["findings"]
    assert set(f) == {"sheet", "cell", "row", "column", "severity", "code", "message"}
    assert (f["sheet"], f["cell"], f["row"], f["column"], f["severity"], f["code"]) == (
        "Sheet1", "F3", 3, "推动解决问题数量", "error", "count-negative")
    # the library's report, with the version of bqw that made it (issue 16) as the first key
    assert list(doc)[0] == "bqw_version" and doc.pop("bqw_version") == VERSION
    assert doc == json.loads(json.dumps(report_dict([validate_file(path)]), ensure_ascii=False))


def test_annotate_marks_cells_and_keeps_input(xlsx, tmp_path):
    path = xlsx([VISITS_HEADER, visit_row(), visit_row(2, when="10月35日", contact="李四 1381234567"),
                 visit_row(3, content=None)], name="附件3-洪文泽.xlsx")
    # a submitter's text that looks like a formula must stay inert text
    wb = openpyxl.load_workbook(path)
    payload = '=HYPERLINK("http://evil.example","点击")'
    wb.active["H2"] = payload
    wb.active["H2"].data_type = "s"
    wb.save(path)
    before, mtime = sha256(path), os.stat(path).st_mtime_ns
    out = tmp_path / "退回"
    run_bqw("validate", path, "--annotate", out, check_code=1)
    assert sha256(path) == before and os.stat(path).st_mtime_ns == mtime

    copy = out / "附件3-洪文泽（校验意见）.xlsx"
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames == ["校验结果", "Sheet1"]
    ws = wb["Sheet1"]
    assert ws["C3"].fill.start_color.rgb == "00FFC7CE" and "10月35日" in ws["C3"].comment.text
    assert ws["G3"].fill.start_color.rgb == "00FFEB9C" and "【警告】" in ws["G3"].comment.text
    assert ws["E4"].fill.start_color.rgb == "00FFC7CE" and "必填" in ws["E4"].comment.text
    assert ws["B2"].comment is None and ws["B2"].fill.fill_type is None
    assert ws["H2"].value == payload and ws["H2"].data_type == "s"
    rows = list(wb["校验结果"].iter_rows(values_only=True))
    assert rows[0][0].startswith("校验结果：2 个错误，1 个警告。")
    # the rule's Chinese name for people; its code last, outside the print area (issue 16)
    assert rows[1] == ("序号", "级别", "工作表", "单元格", "列", "问题类型", "问题说明", "规则代码")
    assert wb["校验结果"]["D3"].hyperlink.location == "'Sheet1'!C3"  # a click jumps to the cell
    assert [(r[1], r[3], r[5], r[7]) for r in rows[2:]] == [
        ("错误", "C3", CATALOGUE["date-invalid"].title, "date-invalid"),
        ("错误", "E4", CATALOGUE["required"].title, "required"),
        ("警告", "G3", CATALOGUE["phone-invalid"].title, "phone-invalid")]
    assert "H" not in wb["校验结果"].print_area


def test_annotate_csv_lays_out_cells(tmp_path):
    p = tmp_path / "表.csv"
    p.write_text(",".join(VISITS_HEADER) + "\n1,洪文泽,2026年10月5日,东坑村,调研,abc,,\n", encoding="gbk")
    run_bqw("validate", p, "--annotate", tmp_path / "out", check_code=1)
    wb = openpyxl.load_workbook(tmp_path / "out" / "表（校验意见）.xlsx")
    ws = wb[wb.sheetnames[1]]
    assert ws["F2"].value == "abc" and ws["F2"].fill.start_color.rgb == "00FFC7CE"


def test_folder_input_and_lock_file_note(xlsx, tmp_path):
    xlsx([VISITS_HEADER, visit_row()], name="a.xlsx")
    (tmp_path / "~$a.xlsx").write_bytes(b"\x00" * 165)
    proc = run_bqw("validate", tmp_path, check_code=0)
    assert "跳过" in proc.stdout and "~$a.xlsx" in proc.stdout and "✔ 通过：a.xlsx" in proc.stdout


def test_internal_error_is_exit_3_without_traceback(xlsx, tmp_path):
    path = xlsx([VISITS_HEADER, visit_row()])
    code = ("import sys; sys.argv = ['bqw', 'validate', sys.argv[1]]\n"
            "import bqw.jobs.validate as v\n"
            "def boom(*a, **k):\n    raise RuntimeError('注入的故障')\n"
            "v.validate_file = boom\n"
            "from bqw.cli.app import main\nmain()")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert proc.returncode == ExitCode.INTERNAL
    assert "内部错误" in proc.stderr and "Traceback" not in proc.stderr


def test_square_brackets_in_a_cell_are_printed_as_written(xlsx):
    """rich would read “[/b]” as a closing tag (an internal error) and drop “[limits]”: markup is off."""
    path = xlsx([["序号", "镇领导", "调研时间", "调研地点", "调研内容", "推动解决问题数量"],
                 [1, "洪文泽", "2026年10月5日", "东坑村", "调研[limits]", "[/b]x"]])
    proc = run_bqw("validate", path)
    assert proc.returncode == 1, proc.stderr
    assert "“[/b]x”不是有效的数量" in proc.stdout and "内部错误" not in proc.stderr

"""`bqw inspect`: the table for people, the JSON against the library, the official template, kept and
ignored columns, unreadable files, the workspace's wordings, exit codes. (One golden JSON per sample
is in tests/golden.)"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, SAMPLES, VISITS_HEADER, run_bqw, visit_row, write_xlsx

from bqw.cli.exit import ExitCode
from bqw.core.version import VERSION
from bqw.jobs.inspect import inspect_report
from bqw.io.reader import read_ledger
from bqw.core.table import ReadResult, SheetLayout

LIMING = "samples/2026-10/附件3：平安镇领导挂点调研台账（10月）-李明.xlsx"


def _json(*args, code=ExitCode.OK, cwd=ROOT):
    proc = run_bqw("inspect", *args, "--format", "json", cwd=cwd)
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def _line_with(text: str, *parts: str) -> str:
    """The one line of `text` holding every part (a row of a rendered table)."""
    lines = [line for line in text.splitlines() if all(p in line for p in parts)]
    assert len(lines) == 1, (parts, text)
    return lines[0]


def test_table_format_says_how_the_sheet_was_read():
    proc = run_bqw("inspect", LIMING, cwd=ROOT, check_code=ExitCode.OK)
    out = proc.stdout
    assert "\x1b[" not in out  # piped: plain text, no colour codes
    for line in ("文件：" + LIMING, "台账类型：挂点调研台账（visits）",
                 "工作表“调研台账”：挂点调研台账（visits）",
                 "识别依据：表头含“挂点调研台账”的关键列 镇领导、调研时间、调研地点、调研内容（4/4）",
                 "表头行：第 2 行", "数据行：第 4–8 行，共 4 行",
                 "领导：李明（来自 列）", "期间：2026-10（来自 表中日期）", "年度：2026（来自 标题）",
                 "工作表“填表说明”：未读取（已跳过：填表说明）"):
        assert line in out, line
    # columns: letter, the label as written, what it was read as
    _line_with(out, " B ", "挂点领导", "镇领导")
    _line_with(out, " C ", "调研村（社区）", "调研地点")
    _line_with(out, " G ", "调研推动解决问题数量(个)", "推动解决问题数量")
    # skipped rows with their reason, in row order (the sheet: 例 in row 3, a blank row 6, 合计 in 9 …)
    reasons = [(row, reason) for row, reason in ((3, "例"), (6, "空行"), (9, "合计"), (11, "填报人"))]
    positions = [out.index(_line_with(out, f" {row} ", reason)) for row, reason in reasons]
    assert positions == sorted(positions)
    assert max(len(line) for line in out.splitlines()) <= 120


@pytest.mark.parametrize("sample", [
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx",
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-陈志强.xls",
    "2026-10/附件3：平安镇领导挂点调研台账(10月)-张国华.csv",
    "2026-10/~$附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx",
    "rectification/平安镇问题整改台账（合并）.xlsx",
    "errors/附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx",
])
def test_json_is_the_library_report(sample):
    relative = (SAMPLES / sample).relative_to(ROOT)
    doc = _json(relative)
    assert doc.pop("bqw_version") == VERSION  # the version of bqw that read it (issue 16)
    assert doc == inspect_report([read_ledger(relative)])


def test_json_shape_of_a_two_row_header():
    (file,) = _json("samples/2026-10/附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx")["files"]
    assert file["kind"] == "visits" and file["findings"] == [] and file["skipped"] is None
    (sheet,) = file["sheets"]
    # the workbook itself: title row 1, the 填报单位 line in row 2, 调研成效 over F4:G4, five visits, a footer
    ws = openpyxl.load_workbook(SAMPLES / "2026-10/附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx").active
    assert ws["F3"].value == "调研成效" and ws["F4"].value == "调研推动解决问题数量（个）"
    assert ws["A11"].value.startswith("填报人")
    assert sheet["header_rows"] == [3, 4]
    assert sheet["data_rows"] == [5, 9] and sheet["rows"] == 5
    assert {"column": "F", "label": "调研成效 › 调研推动解决问题数量（个）", "canonical": "推动解决问题数量"} in sheet["columns"]
    assert sheet["skipped_rows"] == [{"row": 1, "reason": "标题"}, {"row": 2, "reason": "填报单位行"},
                                     {"row": 10, "reason": "空行"}, {"row": 11, "reason": "填报人"}]
    assert sheet["context"]["leader"] == {"value": "洪文泽", "source": "列"}
    # every visit in October: the dates name the month before the file name's “（10月）” (issue 14)
    assert sheet["context"]["period"] == {"value": "2026-10", "source": "表中日期"}
    assert list(sheet["context"]) == ["leader", "unit", "period", "year"]  # always in this order


# 附件3 of the 乌塘镇 work plan as printed (/work/shared/seeds/003_*): a two-row header whose second row
# holds the template's placeholder texts under 调研成效, then the 例 row.
OFFICIAL_HEADER = ["序号", "调研时间", "调研地点", "调研内容", "调研成效", None, "调研推动解决问题数量(个)",
                   "联系人及联系方式", "备注"]
OFFICIAL_SUB = [None, None, None, None, "推动xx村解决问题xx个：",
                "1.xx项目(工作)：目前进展情况如何。 2.xx项目(工作)：目前进展情况如何。", None, None, None]
OFFICIAL_EXAMPLE = ["例", "2024年xx月xx日", "xx村", "xx村xx工作情况。", "xx村加快推进xx工作，要求做什么、怎么做(具体展开)。",
                    None, "xxx；电话xxx", None, None]


def official_template(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "调研台账"
    ws.append(["2026 年度乌塘镇领导开展“百千万工程”工作挂牌调研督查"])
    ws.append(["挂点领导：张 伟　　协助部门：党政综合办公室"])
    for row in (OFFICIAL_HEADER, OFFICIAL_SUB, OFFICIAL_EXAMPLE,
                [1, "2026年10月9日", "乌塘圩村", "调研人居环境整治", "推动乌塘圩村解决问题2个：", "1.村道项目：已完工", 2,
                 "陈伟 13812345678", None],
                [2, "10月15日-16日", "边板村", "调研集体经济", "推动边板村解决问题1个：", None, 1, "李强 13912345678", None]):
        ws.append(row)
    ws.merge_cells("A1:I1")
    for c in "ABCDGHI":
        ws.merge_cells(f"{c}3:{c}4")
    ws.merge_cells("E3:F3")
    wb.save(path)
    return path


def test_the_official_template_with_its_two_header_rows(tmp_path):
    path = official_template(tmp_path / "附件3：乌塘镇领导挂点调研台账（10月）.xlsx")
    (file,) = _json(path)["files"]
    (sheet,) = file["sheets"]
    assert sheet["header_rows"] == [3, 4]  # the placeholders' row is header, never data
    assert sheet["data_rows"] == [6, 7] and sheet["rows"] == 2
    assert sheet["skipped_rows"] == [{"row": 1, "reason": "标题"}, {"row": 2, "reason": "填报单位行"},
                                     {"row": 5, "reason": "例"}]
    columns = {c["column"]: c for c in sheet["columns"]}
    assert columns["E"] == {"column": "E", "label": "调研成效 › 推动xx村解决问题xx个：", "canonical": "调研成效"}
    assert columns["G"]["canonical"] == "推动解决问题数量"
    assert sheet["context"]["leader"] == {"value": "张伟", "source": "填报行"}
    assert sheet["context"]["unit"] == {"value": "党政综合办公室", "source": "填报行"}
    out = run_bqw("inspect", path, check_code=ExitCode.OK).stdout
    assert "表头行：第 3–4 行" in out and "数据行：第 6–7 行，共 2 行" in out
    assert "领导：张伟（来自 填报行）" in out


def test_kept_and_ignored_columns(tmp_path, xlsx):
    path = xlsx([VISITS_HEADER + ["陪同人员", "审核意见"],
                 visit_row(1) + ["王五", None],
                 visit_row(2, village="石龙村") + ["赵六", None]])
    (file,) = _json(path)["files"]
    columns = {c["column"]: c for c in file["sheets"][0]["columns"]}
    assert columns["I"] == {"column": "I", "label": "陪同人员", "canonical": "保留", "kept_as": "陪同人员"}
    assert columns["J"] == {"column": "J", "label": "审核意见", "canonical": "忽略"}
    assert [(f["code"], f["cell"]) for f in file["findings"]] == [("unknown-column", "I1")]
    out = run_bqw("inspect", path, check_code=ExitCode.OK).stdout
    _line_with(out, " I ", "陪同人员", "保留为“陪同人员”")
    _line_with(out, " J ", "审核意见", "忽略")
    assert "读取时发现：" in out and "unknown-column" in out


def test_a_column_standing_in_for_another_is_noted(tmp_path):
    path = write_xlsx(tmp_path / "任务.xlsx", [["序号", "任务内容", "牵头单位", "完成时限", "完成状态"],
                                               [1, "修复村道", "规划建设办", "2026年12月31日", "推进中"]],
                      sheet="任务清单")
    note = "工作表“任务清单”没有“任务编号”列，以“序号”列代替"
    (file,) = _json(path)["files"]
    assert file["kind"] == "tasks" and file["notes"] == [note]
    out = run_bqw("inspect", path, check_code=ExitCode.OK).stdout
    assert "台账类型：问题整改台账（tasks）" in out and f"说明：{note}" in out


def test_an_unreadable_file_says_why_and_exits_1(tmp_path):
    bad = tmp_path / "台账.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    (file,) = _json(bad, code=ExitCode.DATA)["files"]
    assert file["kind"] is None and file["sheets"] == []
    (finding,) = file["findings"]
    assert finding["severity"] == "error" and finding["code"].startswith("file-")
    proc = run_bqw("inspect", bad, check_code=ExitCode.DATA)
    assert "没有读到任何台账：文件无法打开" in proc.stdout
    assert "".join(finding["message"].split()) in "".join(proc.stdout.split())  # however rich wraps it
    assert "Traceback" not in proc.stderr


def test_a_book_without_a_ledger_lists_its_sheets_and_exits_1(tmp_path):
    path = write_xlsx(tmp_path / "通讯录.xlsx", [["姓名", "爱好"], ["张三", "钓鱼"]], sheet="通讯录")
    (file,) = _json(path, code=ExitCode.DATA)["files"]
    assert [f["code"] for f in file["findings"]] == ["no-data-sheet"]
    (sheet,) = file["sheets"]
    assert sheet["name"] == "通讯录" and sheet["kind"] is None and sheet["reason"] == "没有找到可识别的台账表头"
    out = run_bqw("inspect", path, check_code=ExitCode.DATA).stdout
    assert "工作表“通讯录”：未读取（没有找到可识别的台账表头）" in out and "没有可识别的工作表" in out


def test_one_unreadable_file_among_good_ones_exits_1(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"")
    report = _json(LIMING, bad, code=ExitCode.DATA)
    assert [f["kind"] for f in report["files"]] == ["visits", None]


def test_a_folder_is_expanded_like_validate_does():
    report = _json("samples/2026-10")
    paths = [f["path"] for f in report["files"]]
    assert paths == sorted(p.relative_to(ROOT).as_posix() for p in (SAMPLES / "2026-10").iterdir())
    lock = next(f for f in report["files"] if "~$" in f["path"])
    assert lock["skipped"].startswith("Excel/WPS 临时锁定文件") and lock["sheets"] == []


def test_kind_option_and_a_sheet_of_another_kind(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [VISITS_HEADER, visit_row(1)],
                      before={"安排表": [["镇领导", "联系行政村"], ["洪文泽", "东坑村"]]})
    (file,) = _json(path)["files"]
    sheets = {s["name"]: s for s in file["sheets"]}
    assert [s["name"] for s in file["sheets"]] == ["安排表", "Sheet1"]  # the book's order
    assert file["kind"] == sheets["Sheet1"]["kind"] == "visits"
    assert sheets["安排表"]["kind"] is None
    assert sheets["安排表"]["reason"] == "表头像“镇领导挂点联系村安排表”，不是本文件的台账类型，未读取"
    # --kind assignments: the other way round
    (file,) = _json(path, "--kind", "assignments")["files"]
    sheets = {s["name"]: s for s in file["sheets"]}
    assert file["kind"] == sheets["安排表"]["kind"] == "assignments"
    assert sheets["Sheet1"]["kind"] is None and sheets["Sheet1"]["reason"] == "没有找到可识别的台账表头，未读取"


def test_usage_errors_exit_2(tmp_path):
    proc = run_bqw("inspect", tmp_path / "没有这个文件.xlsx")
    assert proc.returncode == ExitCode.USAGE and "找不到" in proc.stderr
    proc = run_bqw("inspect", LIMING, "--kind", "meetings", cwd=ROOT)
    assert proc.returncode == ExitCode.USAGE and "--kind" in proc.stderr
    proc = run_bqw("inspect", LIMING, "--format", "xml", cwd=ROOT)
    assert proc.returncode == ExitCode.USAGE
    assert "Traceback" not in proc.stderr


def test_the_workspace_wordings_are_used(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "bqw.toml").write_text('[unit]\ntown = "平安镇"\nyear = 2026\n\n[aliases]\nvisits.调研地点 = ["所到村组"]\n',
                                 encoding="utf-8")
    path = write_xlsx(tmp_path / "台账.xlsx", [["序号", "镇领导", "调研时间", "所到村组", "调研内容"],
                                               [1, "洪文泽", "2026年10月9日", "东坑村", "调研人居环境整治"]])
    taught = {c["column"]: c["canonical"] for c in _json("-w", ws, path)["files"][0]["sheets"][0]["columns"]}
    assert taught["D"] == "调研地点"
    plain = {c["column"]: c for c in _json(path, cwd=tmp_path)["files"][0]["sheets"][0]["columns"]}
    assert plain["D"]["canonical"] == "保留" and plain["D"]["kept_as"] == "所到村组"


def test_hidden_sheets_rows_and_columns_are_shown():
    """Hidden rows and columns as the reader records them (SheetLayout) reach both formats."""
    from io import StringIO

    from bqw.output.terminal import print_inspect
    from bqw.core.table import ColumnRead

    layout = SheetLayout("台账", "visits", "表头含……", [1], [2, 4], [ColumnRead("A", "镇领导", "识别", "镇领导"),
                                                                 ColumnRead("B", "备注", "忽略", hidden=True)],
                         [(3, "空行")], hidden_rows=[3], hidden_columns=["C"])
    report = inspect_report([ReadResult(path=ROOT / "x.xlsx", kind="visits", layouts=[
        layout, SheetLayout("村名单", reason="已跳过：隐藏工作表", hidden=True)])])
    sheets = report["files"][0]["sheets"]
    assert sheets[0]["hidden_rows"] == [3] and sheets[0]["hidden_columns"] == ["C", "B"]
    assert sheets[0]["data_rows"] == [2, 4] and sheets[0]["rows"] == 2
    assert sheets[1]["hidden"] is True
    out = StringIO()
    print_inspect(report, stream=out)
    text = out.getvalue()
    assert "隐藏的行：3" in text and "隐藏的列：C、B" in text
    assert "工作表“村名单”（隐藏工作表）：未读取（已跳过：隐藏工作表）" in text


# hostile and broken files (tests/fixtures/bad_files.py), the fast ones: each is reported, none crashes
HOSTILE = ("zero_byte", "corrupt_zip", "text_as_xlsx", "pdf_as_xlsx", "encrypted", "zip_bomb", "xml_entity_bomb",
           "wide_sheet", "merge_bomb", "wrong_kind", "odd_sheet_names", "control_chars", "control_name",
           "traversal_name", "folder_named_xlsx", "symlink_dangling", "lock_file", "good")


def test_hostile_files_are_reported_never_a_traceback(tmp_path):
    from fixtures import bad_files

    for name in HOSTILE:
        (tmp_path / name).mkdir()
        bad_files.ALL[name](tmp_path / name)
    report = _json(tmp_path, code=ExitCode.DATA)
    assert len(report["files"]) == len(HOSTILE)
    by_folder = {Path(f["path"]).relative_to(tmp_path).parts[0]: f for f in report["files"]}
    assert by_folder["good"]["kind"] == "visits" and by_folder["good"]["sheets"][0]["rows"] > 0
    assert by_folder["lock_file"]["skipped"] and by_folder["lock_file"]["findings"] == []
    for name in ("zero_byte", "corrupt_zip", "encrypted", "zip_bomb", "xml_entity_bomb"):
        file = by_folder[name]
        assert file["sheets"] == [] and file["kind"] is None
        (finding,) = file["findings"]
        assert finding["severity"] == "error" and any("\u4e00" <= ch <= "\u9fff" for ch in finding["message"])
    proc = run_bqw("inspect", tmp_path)
    assert proc.returncode == ExitCode.DATA
    assert "Traceback" not in proc.stdout + proc.stderr and "内部错误" not in proc.stdout + proc.stderr
    assert proc.stdout.count("没有读到任何台账") == sum(
        1 for f in report["files"] if not f["skipped"] and not any(s["kind"] for s in f["sheets"]))

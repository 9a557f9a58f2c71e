"""`bqw init` + files in inbox/ + `bqw run`, as cron would run it; and `bqw summarise`."""

from __future__ import annotations

import json
import shutil
import sqlite3

import openpyxl
import pytest
from conftest import SAMPLES, VISITS_HEADER, run_bqw, sha256, write_xlsx

ERROR_FILE = "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"


def make_workspace(root):
    run_bqw("init", root, "--town", "平安镇", "--year", "2026", check_code=0)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), root / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copy(next((SAMPLES / "roster").glob("*.xlsx")), root / "名单" / "指挥部成员名单.xlsx")
    return root


def state(root):
    db = sqlite3.connect(root / "bqw.db")
    counts = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("submissions", "records", "events")]
    files = {p.relative_to(root): sha256(p) for p in (root / "out").rglob("*") if p.is_file()}
    return counts, files


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    root = make_workspace(tmp_path_factory.mktemp("ws"))
    shutil.copytree(SAMPLES / "2026-10", root / "inbox" / "2026-10")
    shutil.copytree(SAMPLES / "rectification", root / "inbox" / "整改")
    shutil.copy(SAMPLES / "errors" / ERROR_FILE, root / "inbox")
    inbox = {p: sha256(p) for p in (root / "inbox").rglob("*") if p.is_file()}
    proc = run_bqw("run", "--as-of", "2026-10-31", "--format", "json", cwd=root)
    assert {p: sha256(p) for p in (root / "inbox").rglob("*") if p.is_file()} == inbox  # inputs untouched
    return root, proc


def test_first_run_reports_problems_with_exit_1(ran):
    root, proc = ran
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["exit_code"] == 1
    assert any("吴建新" in p for p in doc["problems"])
    assert any("逾期任务 4 项" in p for p in doc["problems"])
    assert any(ERROR_FILE in p for p in doc["problems"])
    log = (root / "bqw.log").read_text(encoding="utf-8")
    assert "run: 新文件 13 个" in log and "退出码 1" in log


def test_returned_copy_marks_the_bad_cells(ran):
    root, _ = ran
    copy = root / "out" / "退回" / ERROR_FILE.replace(".xlsx", "（校验意见）.xlsx")
    ws = openpyxl.load_workbook(copy)["Sheet1"]
    for ref in ("C4", "G5", "E6"):
        assert ws[ref].fill.start_color.rgb == "00FFC7CE" and ws[ref].comment is not None, ref
    assert list((root / "out" / "退回").iterdir()) == [copy]


def test_period_outputs_written(ran):
    root, _ = ran
    names = sorted(p.name for p in (root / "out" / "2026-10").iterdir())
    assert names == sorted(["挂点调研台账（合并）.xlsx", "挂点调研台账统计.xlsx", "挂点调研台账统计.md", "挂点调研台账统计.json",
                            "问题整改台账（合并）.xlsx", "问题整改台账统计.xlsx", "问题整改台账统计.md", "问题整改台账统计.json",
                            "进展通报（2026年10月）.docx", "议定事项通报（2026年10月）.docx", "工作简报（2026年第1期）.docx",
                            "问题通报（农业农村办）.docx", "问题通报（综合执法办）.docx", "问题通报（规划建设办）.docx",
                            # issue 17: the reports against their deadline, and a 一对一 for a unit with a task
                            # due soon (党建办: nothing overdue, one item at risk)
                            "台账报送情况统计.xlsx", "台账报送情况统计.md", "台账报送情况统计.json",
                            "问题通报（党建办）.docx"])
    visits = json.loads((root / "out" / "2026-10" / "挂点调研台账统计.json").read_text(encoding="utf-8"))
    assert visits["kind"] == "visits" and visits["period"] == "2026-10"
    assert visits["not_submitted"] == ["吴建新"]
    tasks = json.loads((root / "out" / "2026-10" / "问题整改台账统计.json").read_text(encoding="utf-8"))
    assert tasks["totals"]["overdue"] == 4 and tasks["totals"]["completed_late"] == 2
    wb = openpyxl.load_workbook(root / "out" / "2026-10" / "挂点调研台账（合并）.xlsx")
    assert wb.sheetnames == ["挂点调研台账", "待核实", "合并说明"]
    held = list(wb["待核实"].iter_rows(min_row=3, values_only=True))
    assert len(held) == 3  # the error file's three bad rows


def test_second_run_changes_nothing(ran):
    root, _ = ran
    before = state(root)
    proc = run_bqw("run", "--as-of", "2026-10-31", cwd=root)
    assert proc.returncode == 0
    assert "没有新文件" in proc.stdout and "未做任何改动" in proc.stdout
    assert state(root) == before
    assert (root / "bqw.log").read_text(encoding="utf-8").rstrip().endswith("退出码 0")


def test_summarise_from_the_archive_equals_the_run_output(ran):
    root, _ = ran
    proc = run_bqw("summarise", "--kind", "visits", "--period", "2026-10", "--as-of", "2026-10-31", "--format",
                   "json", cwd=root, check_code=0)
    written = json.loads((root / "out" / "2026-10" / "挂点调研台账统计.json").read_text(encoding="utf-8"))
    assert json.loads(proc.stdout) == written
    md = run_bqw("summarise", "--kind", "tasks", "--as-of", "2026-10-31", "--format", "md", cwd=root,
                 check_code=0).stdout
    assert "|" in md and "PA2026-008-1" in md
    out = root / "统计.xlsx"
    run_bqw("summarise", "--period", "2026-10", "--as-of", "2026-10-31", "--format", "xlsx", "-o", out, cwd=root,
            check_code=0)
    assert len(openpyxl.load_workbook(out).sheetnames) >= 4


def test_new_file_processed_and_all_fine(tmp_path):
    """Every assigned leader reports, no errors, no task lists: exit 0 — then a late file is picked up."""
    root = make_workspace(tmp_path / "ws")
    shutil.copytree(SAMPLES / "2026-10", root / "inbox" / "2026-10")
    proc = run_bqw("run", "--as-of", "2026-10-31", cwd=root)
    assert proc.returncode == 1 and "吴建新" in proc.stdout
    write_xlsx(root / "inbox" / "2026-10" / "附件3：平安镇领导挂点调研台账（10月）-吴建新.xlsx",
               [["2026年度平安镇领导挂点调研台账（10月）"], VISITS_HEADER,
                [1, "吴建新", "2026年10月28日", "凤凰社区", "调研集体经济", 1, "陈伟 13812345678", None]])
    proc = run_bqw("run", "--as-of", "2026-10-31", "--format", "json", cwd=root)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0, doc["problems"]
    assert [p.rsplit("/", 1)[-1] for p in doc["new_files"]] == ["附件3：平安镇领导挂点调研台账（10月）-吴建新.xlsx"]
    visits = json.loads((root / "out" / "2026-10" / "挂点调研台账统计.json").read_text(encoding="utf-8"))
    assert visits["not_submitted"] == [] and visits["totals"]["visits"] == 31


def test_run_without_inbox_is_usage_error(tmp_path):
    proc = run_bqw("run", cwd=tmp_path)
    assert proc.returncode == 2 and "收件箱" in proc.stderr


def test_a_wording_taught_in_bqw_toml_reads_the_inbox_again(tmp_path):
    """A file whose column bqw did not know is read again once the office teaches the wording in
    bqw.toml ([aliases]): its rows, held back before, are accepted (the file itself unchanged)."""
    root = make_workspace(tmp_path / "ws")
    path = root / "inbox" / "附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx"
    write_xlsx(path, [["2026年度平安镇领导挂点调研台账（10月）"],
                      ["序号", "镇领导", "调研时间", "所到村组", "调研内容"],
                      [1, "洪文泽", "2026年10月9日", "东坑村", "调研人居环境"],
                      [2, "洪文泽", "2026年10月15日", "石龙村", "调研集体经济"]])
    first = run_bqw("run", "--as-of", "2026-10-31", "--format", "json", cwd=root)
    assert first.returncode == 1 and json.loads(first.stdout)["merge"]["held"] == 2, first.stdout
    again = run_bqw("run", "--as-of", "2026-10-31", "--format", "json", cwd=root)
    assert json.loads(again.stdout)["new_files"] == []  # nothing changed: nothing read
    toml = root / "bqw.toml"
    text = toml.read_text(encoding="utf-8")  # the example line bqw init wrote, switched on
    assert '# visits.调研地点 = ["所到村组"]' in text
    toml.write_text(text.replace('# visits.调研地点 = ["所到村组"]', 'visits.调研地点 = ["所到村组"]'), encoding="utf-8")
    taught = run_bqw("run", "--as-of", "2026-10-31", "--format", "json", cwd=root)
    doc = json.loads(taught.stdout)
    assert len(doc["new_files"]) == 1 and doc["merge"]["accepted"] == 2 and doc["merge"]["held"] == 0, taught.stdout
    ws = openpyxl.load_workbook(next((root / "out" / "2026-10").glob("挂点调研台账*.xlsx")))["挂点调研台账"]
    head = [c.value for c in ws[2]]
    assert sorted(r[head.index("调研地点")] for r in ws.iter_rows(min_row=3, values_only=True)) == ["东坑村", "石龙村"]

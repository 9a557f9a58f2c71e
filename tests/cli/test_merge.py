"""`bqw merge` and `bqw history` end to end: the merged workbook opened and checked cell by cell."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES, VISITS_HEADER, run_bqw, sha256, visit_row

from bqw import read_ledger
from bqw.store.lock import locked

MONTH = SAMPLES / "2026-10"
ASSIGNMENTS = SAMPLES / "assignments" / "平安镇领导挂点联系村安排表.xlsx"
BQW = Path(sys.executable).parent / "bqw"
# merged rows per leader: every October file once, 洪文泽 by his corrected file (6 rows, not 5)
EXPECTED_ROWS = {"张国华": 3, "刘晓燕": 4, "李明": 4, "林海峰": 6, "洪文泽": 6, "陈志强": 4, "黄丽娟": 3}


def sheet_rows(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[1]
    return ws, header, [dict(zip(header, r)) for r in rows[2:]]


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """The October samples merged once, with the archive and 催报 list."""
    work = tmp_path_factory.mktemp("merge")
    before = {p: sha256(p) for p in MONTH.iterdir()}
    mtimes = {p: os.stat(p).st_mtime_ns for p in MONTH.iterdir()}
    proc = run_bqw("merge", MONTH, "-o", work / "合并.xlsx", "--archive", work / "bqw.db",
                   "--expect", ASSIGNMENTS, "--as-of", "2026-10-31", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert {p: sha256(p) for p in MONTH.iterdir()} == before  # inputs never modified
    assert {p: os.stat(p).st_mtime_ns for p in MONTH.iterdir()} == mtimes
    return work, json.loads(proc.stdout)


def test_merged_rows_exactly_as_expected(month):
    work, doc = month
    ws, header, rows = sheet_rows(work / "合并.xlsx", "挂点调研台账")
    assert Counter(r["镇领导"] for r in rows) == EXPECTED_ROWS
    assert [r["序号"] for r in rows] == list(range(1, 31))  # renumbered 1..n
    assert ws["A1"].value == "挂点调研台账（2026年10月）"
    assert header[:9] == ("序号", "镇领导", "调研时间", "调研地点", "调研内容", "调研成效", "推动解决问题数量",
                          "联系人及联系方式", "备注")
    assert header[9:] == ("调研天数", "月份", "校验提示", "来源文件", "来源工作表", "来源行号", "填报单位", "期间")
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2:")
    assert doc["merged_rows"] == 30 and doc["held_rows"] == 0
    assert all(r["月份"] == "2026-10" and r["期间"] == "2026-10" for r in rows)


def test_dates_are_real_dates(month):
    work, _ = month
    ws = openpyxl.load_workbook(work / "合并.xlsx")["挂点调研台账"]
    cell = ws["C3"]
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_provenance_points_at_the_source_row(month):
    work, _ = month
    _, _, rows = sheet_rows(work / "合并.xlsx", "挂点调研台账")
    for leader in ("洪文泽", "陈志强", "黄丽娟"):
        mine = [r for r in rows if r["镇领导"] == leader]
        source = MONTH / mine[0]["来源文件"]
        table = read_ledger(source).tables[0]
        assert mine[0]["来源工作表"] == table.sheet
        for r in mine:
            original = table.frame.loc[r["来源行号"]]
            assert original["调研内容"] == r["调研内容"] and original["调研地点"] == r["调研地点"]
    assert {r["来源文件"] for r in rows if r["镇领导"] == "洪文泽"} == {"附件3：平安镇领导挂点调研台账（10月）-洪文泽（更正）.xlsx"}


def test_duplicates_supersessions_skips_and_chasing(month):
    work, doc = month
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert by_name["附件3：平安镇领导挂点调研台账（10月）-李明(1).xlsx"]["status"] == "duplicate"
    assert by_name["附件3：平安镇领导挂点调研台账（10月）-李明.xlsx"]["status"] == "accepted"
    assert doc["superseded"] == [{"old": "附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx",
                                  "new": "附件3：平安镇领导挂点调研台账（10月）-洪文泽（更正）.xlsx",
                                  "kind": "visits", "submitter": "洪文泽", "period": "2026-10"}]
    assert [Path(s["path"]).name for s in doc["skipped"]] == ["~$附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx"]
    assert doc["not_submitted"] == ["吴建新"]
    notes = [r for r in openpyxl.load_workbook(work / "合并.xlsx")["合并说明"].iter_rows(values_only=True)]
    flat = [[c for c in r if c is not None] for r in notes]
    assert ["吴建新"] in flat
    assert ["附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx", "附件3：平安镇领导挂点调研台账（10月）-洪文泽（更正）.xlsx",
            "洪文泽", "2026-10"] in flat
    assert ["重复提交（只计一次）", 1] in flat and ["合并后的行数（各清单合计）", 30] in flat


def test_arrival_order_does_not_depend_on_modification_times(tmp_path):
    """Which of two equal files is the duplicate, and the merged rows' order, come from the files
    (originals before their copies, then by name), never from their modification times: a copy
    made a moment before its original, or a checkout, sets those at random."""
    base = 1_790_000_000 * 10**9
    found = []
    for order in ("oldest first", "newest first"):
        folder = tmp_path / order.replace(" ", "-")
        shutil.copytree(MONTH, folder)
        names = sorted(p.name for p in folder.iterdir())
        if order == "newest first":
            names.reverse()  # now the copy 李明(1) is older than 李明, and every other pair is swapped too
        for i, name in enumerate(names):
            os.utime(folder / name, ns=(base + i * 10**9, base + i * 10**9))
        proc = run_bqw("merge", folder, "-o", tmp_path / f"{folder.name}.xlsx", "--no-archive",
                       "--as-of", "2026-10-31", "--format", "json", check_code=0)
        status = {Path(f["path"]).name: f["status"] for f in json.loads(proc.stdout)["files"]}
        assert status["附件3：平安镇领导挂点调研台账（10月）-李明.xlsx"] == "accepted", order
        assert status["附件3：平安镇领导挂点调研台账（10月）-李明(1).xlsx"] == "duplicate", order
        _, _, rows = sheet_rows(tmp_path / f"{folder.name}.xlsx", "挂点调研台账")
        found.append([(r["镇领导"], r["来源文件"], r["来源行号"], r["调研内容"]) for r in rows])
    assert found[0] == found[1] and len(found[0]) == 30


def test_conservation_every_row_accounted_for(month):
    _, doc = month
    for f in doc["files"]:
        if f["status"] == "skipped":
            continue
        assert f["rows_read"] == f["accepted"] + f["held"] + sum(f["dropped"].values()), f["path"]


def test_same_inputs_twice_change_nothing(month):
    work, _ = month
    db = work / "bqw.db"
    counts = lambda: [sqlite3.connect(db).execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: E731
                      for t in ("submissions", "records", "events", "runs")]
    before = counts()
    proc = run_bqw("merge", MONTH, "-o", work / "again.xlsx", "--archive", db, "--as-of", "2026-10-31",
                   check_code=0)
    assert "没有新的提交：归档未改变" in proc.stdout
    assert counts() == before
    a = sheet_rows(work / "合并.xlsx", "挂点调研台账")[2]
    b = sheet_rows(work / "again.xlsx", "挂点调研台账")[2]
    assert a == b


def test_history_lists_submissions_and_supersession(month):
    work, _ = month
    doc = json.loads(run_bqw("history", "--archive", work / "bqw.db", "--format", "json", check_code=0).stdout)
    assert len(doc["submissions"]) == 8
    old = [s for s in doc["submissions"] if s["file_name"].endswith("-洪文泽.xlsx")][0]
    new = [s for s in doc["submissions"] if s["file_name"].endswith("（更正）.xlsx")][0]
    assert old["status"] == "superseded" and old["superseded_by"] == new["id"]
    assert {e["event"] for e in doc["events"]} == {"duplicate", "skip", "supersede"}
    table = run_bqw("history", "--archive", work / "bqw.db", "--kind", "visits", "--period", "2026-10",
                    check_code=0).stdout
    assert "已被" in table and "更正替换" in table


def test_error_rows_held_back_with_messages(tmp_path):
    src = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"
    proc = run_bqw("merge", src, "-o", tmp_path / "out.xlsx", "--no-archive", "--format", "json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["held"] == 3 and doc["accepted"] == 2
    _, _, held = sheet_rows(tmp_path / "out.xlsx", "待核实")
    assert [(r["来源行号"], r["问题说明"].split()[0]) for r in held] == [(4, "C4"), (5, "G5"), (6, "E6")]
    assert held[0]["调研时间"] == "10月35日"  # the submitter's own text is kept
    assert "为负数" in held[1]["问题说明"] and "必填" in held[2]["问题说明"]
    _, _, kept = sheet_rows(tmp_path / "out.xlsx", "挂点调研台账")
    assert [r["来源行号"] for r in kept] == [3, 7]


def test_warning_rows_stay_and_are_marked(tmp_path):
    src = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-张国华（错误示例）.xlsx"
    proc = run_bqw("merge", src, "-o", tmp_path / "out.xlsx", "--no-archive", "--assignments", ASSIGNMENTS,
                   "--period", "2026-10", check_code=0)
    assert "待核实 0 行" in proc.stdout
    ws, header, rows = sheet_rows(tmp_path / "out.xlsx", "挂点调研台账")
    marked = [r for r in rows if r["校验提示"]]
    assert [r["来源行号"] for r in marked] == [6, 7, 8]
    col = header.index("校验提示") + 1
    assert ws.cell(3 + rows.index(marked[0]), col).fill.start_color.rgb.endswith("FFEB9C")


PAYLOADS = ['=HYPERLINK("http://evil.example","点击")', "+1", "-2", "@SUM(A1:A2)", "=1+1", "\t=1+1"]


def test_formula_payloads_stay_text(tmp_path, xlsx):
    rows = [VISITS_HEADER]
    for i, payload in enumerate(PAYLOADS, 1):
        rows.append(visit_row(i, content=payload, when=f"2026年10月{i}日", note=payload))
    src = xlsx(rows, name="payload.xlsx")
    wb = openpyxl.load_workbook(src)
    for r in range(2, 2 + len(PAYLOADS)):
        for c in (5, 8):
            wb.active.cell(r, c).data_type = "s"  # the submitter typed text, not a formula
    wb.save(src)
    run_bqw("merge", src, "-o", tmp_path / "out.xlsx", "--no-archive", check_code=0)
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["挂点调研台账"]
    header = [c.value for c in ws[2]]
    for i, payload in enumerate(PAYLOADS):
        for name in ("调研内容", "备注"):
            cell = ws.cell(3 + i, header.index(name) + 1)
            assert cell.data_type == "s" and cell.value == payload.strip(), (name, payload)


def test_kinds_split_into_one_workbook_each(tmp_path):
    proc = run_bqw("merge", SAMPLES / "2026-10", SAMPLES / "rectification", SAMPLES / "roster", "-o",
                   tmp_path / "汇总.xlsx", "--no-archive", "--as-of", "2026-10-31", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    outputs = sorted(Path(p).name for p in json.loads(proc.stdout)["outputs"])
    assert outputs == sorted(["汇总（指挥部成员名单）.xlsx", "汇总（挂点调研台账）.xlsx", "汇总（问题整改台账）.xlsx"])
    wb = openpyxl.load_workbook(tmp_path / "汇总（问题整改台账）.xlsx")
    assert wb.sheetnames == ["问题清单", "责任清单", "任务清单", "待核实", "合并说明"]
    _, header, tasks = sheet_rows(tmp_path / "汇总（问题整改台账）.xlsx", "任务清单")
    assert {"是否逾期", "逾期天数", "超期完成"} <= set(header)
    # the two forms carry the same content: one submission, the other a duplicate
    assert len(tasks) == 15
    files = {Path(f["path"]).name: f["status"] for f in json.loads(proc.stdout)["files"]}
    assert sorted(v for k, v in files.items() if "整改台账" in k) == ["accepted", "duplicate"]
    overdue = sorted(r["任务编号"] for r in tasks if r["是否逾期"] == "是")
    assert overdue == ["PA2026-001-2", "PA2026-003-2", "PA2026-005-1", "PA2026-008-1"]
    late = sorted(r["任务编号"] for r in tasks if r["超期完成"] == "是")
    assert late == ["PA2026-002-1", "PA2026-006-1"]


def test_lock_makes_a_second_run_wait_then_give_up(tmp_path):
    db = tmp_path / "bqw.db"
    with locked(db):
        t = time.monotonic()
        proc = run_bqw("merge", MONTH, "-o", tmp_path / "o.xlsx", "--archive", db, "--lock-timeout", "1")
        waited = time.monotonic() - t
    assert proc.returncode == 2 and "正在使用归档" in proc.stderr
    assert waited >= 1.0
    assert not db.exists() or sqlite3.connect(db).execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 0


def test_kill_mid_merge_leaves_archive_unchanged(tmp_path):
    db = tmp_path / "bqw.db"
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(MONTH / "附件3：平安镇领导挂点调研台账（10月）-李明.xlsx", first)
    run_bqw("merge", first, "-o", tmp_path / "a.xlsx", "--archive", db, check_code=0)
    snapshot = lambda: sqlite3.connect(db).execute(  # noqa: E731
        "SELECT (SELECT COUNT(*) FROM submissions), (SELECT COUNT(*) FROM records),"
        " (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM runs)").fetchone()
    before = snapshot()
    mark = tmp_path / "reached"
    env = dict(os.environ, BQW_FAULT="merge-archived-file", BQW_FAULT_SECONDS="30", BQW_FAULT_MARK=str(mark))
    proc = subprocess.Popen([str(BQW), "merge", MONTH, "-o", tmp_path / "b.xlsx", "--archive", db],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not mark.exists() and time.monotonic() < deadline:  # inside the transaction, one file archived
        time.sleep(0.05)
    assert mark.exists() and proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert snapshot() == before
    assert not (tmp_path / "b.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".bqw-")]
    # the next run takes the lock of the dead process and proceeds
    run_bqw("merge", MONTH, "-o", tmp_path / "b.xlsx", "--archive", db, check_code=0)
    assert snapshot()[0] == 8


def test_usage_errors(tmp_path):
    assert run_bqw("merge", MONTH, "-o", tmp_path / "x.csv").returncode == 2
    assert run_bqw("merge", tmp_path / "nothing", "-o", tmp_path / "x.xlsx").returncode == 2
    proc = run_bqw("merge", MONTH, "-o", tmp_path / "x.xlsx", "--as-of", "31/10/2026")
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr
    proc = run_bqw("history", "--archive", tmp_path / "none.db")
    assert proc.returncode == 2 and "不存在" in proc.stderr


def test_inbox_with_other_files_and_no_colour_when_piped(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(MONTH / "附件3：平安镇领导挂点调研台账（10月）-李明.xlsx", inbox)
    (inbox / "工作照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    (inbox / ".DS_Store").write_bytes(b"\x00\x00")
    proc = run_bqw("merge", inbox, "-o", tmp_path / "o.xlsx", "--no-archive", check_code=0)
    assert "跳过：工作照片.jpg（不是表格文件）" in proc.stdout and ".DS_Store" not in proc.stdout
    assert "\x1b[" not in proc.stdout + proc.stderr  # no colour, no progress bar in a pipe
    validated = run_bqw("validate", inbox, check_code=0)
    assert "跳过" in validated.stdout and "工作照片.jpg" in validated.stdout


@pytest.mark.parametrize("point", ["merge-before-commit", "merge-committed"])
def test_killed_merge_places_its_workbook_only_with_the_commit(tmp_path, point):
    """The merged workbook is written aside and moved into place after the archive commits: killed
    before the commit, it never appears; killed after, the next merge on the archive moves it in."""
    from fixtures.outputs import STAGING, check_ledger, pending_folders

    db, out = tmp_path / "bqw.db", tmp_path / "out"
    mark = tmp_path / "reached"
    env = dict(os.environ, BQW_FAULT=point, BQW_FAULT_SECONDS="60", BQW_FAULT_MARK=str(mark))
    proc = subprocess.Popen([str(BQW), "merge", MONTH, "-o", out / "b.xlsx", "--archive", db, "--as-of", "2026-10-31"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not mark.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert mark.exists() and proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    submissions = sqlite3.connect(db).execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    assert submissions == (0 if point == "merge-before-commit" else 8)
    assert not (out / "b.xlsx").exists()  # written, but not in place: the commit decides
    assert len(pending_folders(db)) == (point == "merge-committed")
    # the next merge on this archive (nothing new in it) finishes the killed one's moves, or drops its files
    run_bqw("merge", MONTH, "-o", out / "c.xlsx", "--archive", db, "--as-of", "2026-10-31", check_code=0)
    assert (out / "b.xlsx").exists() == (point == "merge-committed")
    if point == "merge-committed":
        check_ledger(db, out / "b.xlsx", "2026-10", date(2026, 10, 31), fam="visits")
    check_ledger(db, out / "c.xlsx", "2026-10", date(2026, 10, 31), fam="visits")
    assert not pending_folders(db)
    assert sorted(p.name for p in out.iterdir()) == ["b.xlsx", "c.xlsx"][point == "merge-before-commit":]
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING)]


# every rename of a staged file into its place fails (on Windows: the old file open in Excel)
FAILED_MOVE = ("import errno, os, sys\n"
               "real = os.replace\n"
               "def replace(src, dst, **kw):\n"
               "    if '.bqw-staging-' in str(src) and '.bqw-staging-' not in str(dst):\n"
               "        raise PermissionError(errno.EACCES, 'Permission denied', str(src), None, str(dst))\n"
               "    return real(src, dst, **kw)\n"
               "os.replace = replace\n"
               "sys.argv = ['bqw'] + sys.argv[1:]\n"
               "from bqw.cli.app import main\nmain()\n")


def test_merged_workbook_that_cannot_be_moved_in_after_the_commit(tmp_path):
    """The rename into place fails after the commit (on Windows: the old workbook open in Excel):
    exit 2 naming the workbook and saying the merge is archived; the next merge moves it in."""
    from fixtures.outputs import check_ledger, pending_folders

    db, target = tmp_path / "bqw.db", tmp_path / "out" / "合并.xlsx"
    proc = subprocess.run([sys.executable, "-c", FAILED_MOVE, "merge", str(MONTH), "-o", str(target), "--archive",
                           str(db), "--as-of", "2026-10-31"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert f"无法读写 {target}：没有读写权限" in proc.stderr and "合并结果已存入归档" in proc.stderr
    assert not target.exists() and len(pending_folders(db)) == 1
    run_bqw("merge", MONTH, "-o", tmp_path / "out" / "again.xlsx", "--archive", db, "--as-of", "2026-10-31",
            check_code=0)
    check_ledger(db, target, "2026-10", date(2026, 10, 31), fam="visits")
    assert not pending_folders(db)


def test_merged_workbook_that_cannot_be_moved_in_without_an_archive(tmp_path):
    """--no-archive: nothing keeps the staged workbook for a later run, so a failed rename is a plain
    failure — exit 2 naming the workbook, no staging folder left."""
    target = tmp_path / "out" / "合并.xlsx"
    proc = subprocess.run([sys.executable, "-c", FAILED_MOVE, "merge", str(MONTH), "-o", str(target), "--no-archive"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert f"无法读写 {target}：没有读写权限" in proc.stderr and "归档" not in proc.stderr.split("。")[0]
    assert list((tmp_path / "out").iterdir()) == []

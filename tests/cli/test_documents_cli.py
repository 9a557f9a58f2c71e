"""`bqw tongbao` and `bqw jianbao` on a workspace built from the samples (docs/documents.md)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys

import pytest
from docx import Document

from conftest import SAMPLES, run_bqw


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch):
    """Fast runs: no LibreOffice pass over the 通报 (tested in tests/unit/test_documents.py)."""
    monkeypatch.setenv("BQW_SOFFICE", "none")


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """bqw init + the assignments ledger + bqw merge of the October samples, as a user would."""
    ws = tmp_path_factory.mktemp("merged") / "平安镇"
    run_bqw("init", ws, "--town", "平安镇", "--year", "2026", check_code=0)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), ws / "名单" / "镇领导挂点联系村安排表.xlsx")
    # exit 0 (docs/merge.md, 退出码): every row merges (待核实 0 行) and the one file skipped is the ~$ lock
    # file, which is not a data problem; 催报 does not change the exit code
    run_bqw("--workspace", ws, "merge", SAMPLES / "2026-10", SAMPLES / "rectification",
            "-o", ws / "out" / "x.xlsx", "--as-of", "2026-10-31", "--quiet", check_code=0)
    return ws


@pytest.fixture
def ws(merged, tmp_path):
    """A fresh copy of the merged workspace for each test (numbers start at 1)."""
    return shutil.copytree(merged, tmp_path / "平安镇")


def written(proc) -> list[str]:
    return re.findall(r"已写出：(\S+?\.docx)", proc.stdout)


def paragraphs(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_tongbao_progress(ws):
    proc = run_bqw("-w", ws, "tongbao", "--type", "进展", "--period", "2026-10", "--date", "2026-11-03",
                   check_code=0)
    [path] = written(proc)
    assert path == str(ws / "out" / "2026-10" / "进展通报（2026年10月）.docx")
    texts = paragraphs(path)
    assert texts[0] == "平安镇“百千万工程”指挥部办公室"
    assert texts[3] == "平安百千万办〔2026〕1号"
    assert "各村（社区），镇直各单位：" in texts
    assert "一、总体情况" in texts and "二、存在问题" in texts and "三、下步工作要求" in texts
    assert [t for t in texts if t][-1] == "平安镇“百千万工程”指挥部办公室\t2026年11月3日印发"  # 版记 last
    doc = Document(path)
    assert len(doc.tables) == 3
    overdue = {row.cells[1].text for row in doc.tables[2].rows[1:]}
    assert overdue == {"PA2026-001-2", "PA2026-003-2", "PA2026-005-1", "PA2026-008-1"}
    # written again: the same file, the same 发文字号
    proc = run_bqw("-w", ws, "tongbao", "--period", "2026-10", "--date", "2026-11-03", check_code=0)
    assert written(proc) == [path] and paragraphs(path)[3] == "平安百千万办〔2026〕1号"


def test_tongbao_problem_per_unit(ws, tmp_path):
    out = tmp_path / "问题"
    proc = run_bqw("-w", ws, "tongbao", "--type", "问题", "--as-of", "2026-10-31", "-o", out, check_code=0)
    paths = written(proc)
    names = {p.split("/")[-1] for p in paths}
    assert {"问题通报（农业农村办）.docx", "问题通报（规划建设办）.docx", "问题通报（综合执法办）.docx"} <= names
    assert "问题通报（经发办）.docx" not in names  # everything done there
    numbers = [paragraphs(p)[3] for p in paths]
    assert len(set(numbers)) == len(numbers)  # one 发文字号 each
    texts = paragraphs(out / "问题通报（综合执法办）.docx")
    assert "综合执法办：" in texts
    doc = Document(str(out / "问题通报（综合执法办）.docx"))
    assert [r.cells[1].text for r in doc.tables[0].rows[1:]] == ["PA2026-008-1"]
    proc = run_bqw("-w", ws, "tongbao", "--type", "问题", "--overdue-only", "-o", tmp_path / "逾期", check_code=0)
    assert {p.split("/")[-1] for p in written(proc)} == {
        "问题通报（农业农村办）.docx", "问题通报（规划建设办）.docx", "问题通报（综合执法办）.docx"}
    proc = run_bqw("-w", ws, "tongbao", "--type", "问题", "--unit", "规划建设办", "-o", tmp_path / "一份.docx",
                   "--doc-no", "21", check_code=0)
    assert written(proc) == [str(tmp_path / "一份.docx")]
    assert paragraphs(tmp_path / "一份.docx")[3] == "平安百千万办〔2026〕21号"


def test_tongbao_decisions(ws):
    proc = run_bqw("-w", ws, "tongbao", "-t", "议定", "--period", "2026-10", check_code=0)
    [path] = written(proc)
    doc = Document(path)
    assert doc.tables[0].rows[0].cells[1].text == "议定事项"
    assert len(doc.tables[0].rows) - 1 == 3  # the samples hold three 会议议定 tasks
    assert any(p.text.startswith("纳入督办的会议议定事项3项") for p in doc.paragraphs)


def test_jianbao_numbering_and_notes(ws, tmp_path):
    notes = tmp_path / "素材.md"
    notes.write_text("# 平安镇挂点调研见实效\n\n## 工作动态\n镇里召开了推进会。\n\n## 下步工作\n- 抓好整改。\n",
                     encoding="utf-8")
    proc = run_bqw("-w", ws, "jianbao", "--period", "2026-10", "--notes", notes, check_code=0)
    [path] = written(proc)
    assert path.endswith("工作简报（2026年第1期）.docx")
    texts = paragraphs(path)
    assert texts[:2] == ["“百千万工程”工作简报", "第1期"]
    assert "平安镇挂点调研见实效" in texts and "镇里召开了推进会。" in texts and "抓好整改。" in texts
    assert texts.index("镇里召开了推进会。") < texts.index("二、进展情况")
    assert [t for t in texts if t][-1] == "\t（共印30份）"  # 报尾 last
    # the same period again keeps its number; a 增刊 is numbered apart; --issue-no sets it
    proc = run_bqw("-w", ws, "jianbao", "--period", "2026-10", "-o", tmp_path / "again.docx", check_code=0)
    assert paragraphs(tmp_path / "again.docx")[1] == "第1期"
    proc = run_bqw("-w", ws, "jianbao", "--supplement", "--notes", notes, "-o", tmp_path, check_code=0)
    [path] = written(proc)
    assert path.endswith("工作简报（2026年增刊第1期）.docx") and paragraphs(path)[1] == "增刊第1期"
    proc = run_bqw("-w", ws, "jianbao", "--issue-no", "5", "-o", tmp_path / "五.docx", check_code=0)
    assert paragraphs(tmp_path / "五.docx")[1] == "第5期"
    with sqlite3.connect(ws / "bqw.db") as db:
        rows = db.execute("SELECT series, year, number, key FROM doc_numbers ORDER BY series, number").fetchall()
    assert ("简报", 2026, 5, "简报:2026-10") in rows and ("简报增刊", 2026, 1, "增刊:2026-10:素材") in rows


def test_usage_errors(ws, tmp_path):
    empty = tmp_path / "空"
    run_bqw("init", empty, "--town", "平安镇", check_code=0)
    proc = run_bqw("-w", empty, "tongbao", check_code=2)
    assert "归档" in proc.stderr and "不存在" in proc.stderr
    from bqw.store.archive import Archive

    Archive(empty / "bqw.db").close()  # an archive without any ledger
    proc = run_bqw("-w", empty, "jianbao", "--period", "2026-10", check_code=2)
    assert "没有 2026-10 的挂点调研台账" in proc.stderr
    proc = run_bqw("-w", empty, "tongbao", "--type", "议定", check_code=2)
    assert "没有" in proc.stderr
    cases = [
        (["tongbao", "--type", "半年"], "不是已知的通报类型"),
        (["tongbao", "--type", "进展", "--unit", "农业农村办"], "--unit 只用于"),
        (["tongbao", "--type", "问题", "--unit", "不存在的办"], "不是台账中的牵头单位或责任单位"),
        (["tongbao", "--type", "问题", "-o", tmp_path / "x.docx"], "-o 应为文件夹"),
        (["tongbao", "--type", "问题", "--doc-no", "3"], "--doc-no 只能用于一份"),
        (["tongbao", "--period", "2026-13"], "不是有效的期间"),
        (["tongbao", "--as-of", "31/10/2026"], "不是有效的日期"),
        (["jianbao", "--notes", tmp_path / "没有.md"], "找不到素材文件"),
        (["tongbao", "-o", tmp_path / "x.pdf"], "-o 应为文件夹或以 .docx 结尾"),
    ]
    for args, message in cases:
        proc = run_bqw("-w", ws, *args, check_code=2)
        assert message in proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_visits_only_period_without_data(ws):
    proc = run_bqw("-w", ws, "jianbao", "--period", "2026-09", check_code=0)  # the task list still applies
    [path] = written(proc)
    texts = paragraphs(path)
    assert not any("名镇领导到" in t for t in texts)  # no visits reported for September


def test_help_is_chinese_with_examples_and_fast():
    for cmd in ("tongbao", "jianbao"):
        proc = run_bqw(cmd, "--help", check_code=0)
        assert "示例" in proc.stdout and f"bqw {cmd}" in proc.stdout
    code = ("import sys; sys.argv = ['bqw', '--help']\n"
            "from bqw.cli.app import app\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', sorted(m for m in ('pandas', 'docx', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert "HEAVY []" in out
    assert "tongbao" in out and "jianbao" in out

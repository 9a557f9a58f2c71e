"""validate, merge, summarise and tongbao --type 议定 on samples/decisions/ (会议议定事项台账), as a user runs them."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from docx import Document

from conftest import SAMPLES, run_bqw

SAMPLE = next((SAMPLES / "decisions").glob("*.xlsx"))


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch):
    monkeypatch.setenv("BQW_SOFFICE", "none")


def test_validate_the_sample():
    proc = run_bqw("validate", SAMPLE, "--format", "json", check_code=0)
    [f] = json.loads(proc.stdout)["files"]
    assert f["kind"] == "decisions" and f["rows"] == 10
    # judged on the sheet's 填报时间 (2026-10-31): three plans late, one missing, one item overdue
    assert sorted((x["code"], x["cell"]) for x in f["findings"]) == [
        ("decision-overdue", "G5"), ("decision-plan-late", "H10"), ("decision-plan-late", "H5"),
        ("decision-plan-late", "H7"), ("decision-plan-missing", "H13")]


def test_merge_summarise_and_tongbao(tmp_path):
    ws = tmp_path / "平安镇"
    run_bqw("init", ws, "--town", "平安镇", "--year", "2026", check_code=0)
    out = ws / "out" / "议定.xlsx"
    run_bqw("-w", ws, "merge", SAMPLE, "-o", out, "--as-of", "2026-10-31", "--quiet", check_code=0)
    import openpyxl

    sheet = openpyxl.load_workbook(out)["会议议定事项台账"]
    header = [c.value for c in sheet[2]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    assert len(rows) == 10
    assert rows[2]["会议名称"] == "百千万工程指挥部第5次会议" and rows[2]["是否逾期"] == "是" and rows[2]["逾期天数"] == 11
    assert rows[2]["落实计划报送情况"] == "晚报2天" and rows[10]["落实计划报送情况"] == "未报送"
    assert rows[9]["长期任务"] == "是" and rows[9]["是否逾期"] == "否"
    assert rows[6]["会议名称"] == "镇党委（扩大）会议"  # merged down over its items

    proc = run_bqw("-w", ws, "summarise", "--kind", "decisions", "--period", "2026-10", "--as-of", "2026-10-31",
                   "--format", "json", check_code=0)
    data = json.loads(proc.stdout)
    [d] = [s for s in data["summaries"] if s["kind"] == "decisions"] if "summaries" in data else [data]
    assert d["totals"] == {"meetings": 3, "items": 10, "completed": 2, "in_progress": 6, "not_started": 2,
                           "overdue": 1, "overdue_days": 11, "plans_on_time": 6, "plans_late": 3, "plans_missing": 1,
                           "completion_rate": 0.2}
    assert [(m["meeting"], m["date"], m["items"]) for m in d["meetings"]] == [
        ("百千万工程指挥部第5次会议", "2026-09-18", 4), ("镇党委（扩大）会议", "2026-10-09", 3),
        ("百千万工程10月调度会", "2026-10-27", 3)]
    assert d["period"] == "2026-10" and d["period_end"] == "2026-10-31"

    proc = run_bqw("-w", ws, "tongbao", "--type", "议定", "--period", "2026-10", "--as-of", "2026-10-31",
                   "--date", "2026-11-03", check_code=0)
    [path] = re.findall(r"已写出：(\S+?\.docx)", proc.stdout)
    texts = [p.text for p in Document(path).paragraphs]
    assert "截至2026年10月31日，3次会议议定事项共10项，已办结2项、正在推进6项、尚未启动2项，办结率20%（详见附件）。" in texts
    assert ("（一）百千万工程指挥部第5次会议（9月18日）。议定事项4项，已办结1项、正在推进2项、尚未启动1项；"
            "其中逾期未办结1项，已逾期11天；落实计划未按时报送2项。") in texts
    assert ("（二）部分事项逾期未办结。1项事项超过完成时限仍未办结：规划建设办“推进下沙村农房风貌提升，完成首批20户外立面改造”"
            "（9月18日百千万工程指挥部第5次会议议定），完成时限为2026年10月20日，已逾期11天。") in texts
    plans = next(t for t in texts if t.startswith("（一）落实计划报送不及时。"))
    assert "4项事项的落实计划未按时报送" in plans and plans.endswith(
        "社会事务办“组织大岭村、龙田村申报省级典型村培育”（10月27日百千万工程10月调度会议定）至今未报送，已超过报送期限2天。")
    table = Document(path).tables[-1]
    assert len(table.rows) == 11 and table.rows[2].cells[1].text == "百千万工程指挥部第5次会议（9月18日）"


def test_inspect_shows_how_the_sheet_was_read():
    proc = run_bqw("inspect", SAMPLE, "--format", "json", check_code=0)
    data = json.loads(proc.stdout)
    text = json.dumps(data, ensure_ascii=False)
    assert "decisions" in text
    for label, column in (("分管领导", "牵头领导"), ("落实单位", "责任单位"), ("办结时限", "完成时限"),
                          ("计划报送时间", "落实计划报送日期"), ("办理状态", "完成状态")):
        assert re.search(f'"{label}".{{0,80}}"{column}"', text), (label, column)

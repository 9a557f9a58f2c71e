"""bqw.output.reports: the JSON keys of docs/summaries.md, Markdown, terminal tables and the xlsx workbook."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import OCTOBER_FILES

from bqw.output import reports as report
from bqw.output.terminal import print_summaries
from bqw.summary.roster import summarise_roster
from bqw.summary.scores import summarise_scores
from bqw.summary.tasks import summarise_tasks
from bqw.summary.visits import summarise_visits
from bqw.jobs.validate import load_context, validate_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
AS_OF = date(2026, 10, 31)


@pytest.fixture(scope="module")
def summaries():
    ctx, _ = load_context("2026-10", SAMPLES / "assignments" / "平安镇领导挂点联系村安排表.xlsx")
    frames = [t.frame for name in OCTOBER_FILES
              for t in validate_file(SAMPLES / "2026-10" / name, "visits", ctx, "2026-10").tables]
    visits = pd.concat(frames)
    rect = {t.kind: t.frame for t in
            validate_file(SAMPLES / "rectification" / "平安镇问题整改台账（三清单）.xlsx").tables}
    roster = validate_file(next((SAMPLES / "errors").glob("*成员名单（错误示例）.xlsx"))).table("roster").frame
    scores = validate_file(SAMPLES / "scores" / "2026年典型村评价得分表.xlsx").table("scores").frame
    return {
        "visits": summarise_visits(visits, period="2026-10", as_of=AS_OF, assignments=ctx.assignments,
                                   submitted=set(visits["镇领导"]), expected=set(ctx.assignments)),
        "tasks": summarise_tasks(rect["problems"], rect["responsibilities"], rect["tasks"], as_of=AS_OF),
        "roster": summarise_roster(roster),
        "scores": summarise_scores(scores),
    }


@pytest.fixture(scope="module")
def workbook(summaries, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "统计报表.xlsx"
    assert report.write_xlsx(list(summaries.values()), path) == path
    return path


# --- JSON ----------------------------------------------------------------------------------------

def test_json_keys_visits(summaries):
    data = report.to_json(summaries["visits"])
    assert set(data) == {"kind", "period", "period_kind", "period_label", "period_start", "period_end",
                         "period_months", "as_of",
                         "pace_month", "pace", "targets", "target_unit", "totals", "status_counts", "leaders",
                         "unvisited_villages", "not_submitted", "months", "notes"}
    assert (data["kind"], data["period"], data["as_of"]) == ("visits", "2026-10", "2026-10-31")
    assert data["targets"] == {"visits": 5, "days": 5}
    assert set(data["totals"]) == {"visits", "days", "problems_solved", "leaders", "villages_visited",
                                   "ytd_visits", "ytd_days", "ytd_problems_solved", "assigned_villages"}
    assert set(data["status_counts"]) == {"达标", "序时推进", "滞后", "未开展"}
    leader = data["leaders"][0]
    assert set(leader) == {"leader", "visits", "days", "problems_solved", "ytd_visits", "ytd_days",
                           "ytd_problems_solved", "assigned_villages", "target_visits", "target_days", "villages"}
    assert set(leader["villages"][0]) == {"village", "assigned", "visits", "days", "problems_solved", "ytd_visits",
                                          "ytd_days", "status", "needed_visits", "needed_days"}
    assert all(len(v) == 12 for v in data["months"].values())


def test_json_keys_tasks(summaries):
    data = report.to_json(summaries["tasks"])
    assert set(data) == {"kind", "as_of", "totals", "units", "responsible_units", "overdue", "due_soon",
                         "by_source", "escalation", "waiting", "notes"}
    assert set(data["totals"]) == {"problems", "problems_rectified", "tasks", "completed", "in_progress",
                                   "not_started", "overdue", "completed_late", "due_soon", "completion_rate",
                                   "rectification_rate"}
    unit_keys = {"unit", "tasks", "completed", "in_progress", "not_started", "overdue", "overdue_days",
                 "max_overdue_days", "completed_late", "problems", "problems_rectified", "rectification_rate"}
    assert set(data["units"][0]) == unit_keys
    assert set(data["responsible_units"][0]) == unit_keys
    assert set(data["overdue"][0]) == {"task_id", "unit", "deadline", "days_overdue", "content", "status",
                                       "problem_id", "step", "step_reason", "months_overdue"}
    assert set(data["due_soon"][0]) == {"task_id", "unit", "deadline", "days_left", "content", "status",
                                        "problem_id", "waiting"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["overdue"][0]["deadline"])
    assert data["totals"]["rectification_rate"] == 0.125  # a fraction, 4 places
    assert data["totals"]["completion_rate"] == 0.4  # 6 / 15


def test_json_keys_roster_and_scores(summaries):
    roster = report.to_json(summaries["roster"])
    assert set(roster) == {"kind", "totals", "by_team", "by_unit", "units_without_liaison",
                           "units_with_several_liaisons", "duplicates", "chiefs", "notes"}
    assert set(roster["totals"]) == {"members", "rows", "units", "teams", "liaisons"}
    assert set(roster["duplicates"][0]) == {"name", "unit", "count"}
    scores = report.to_json(summaries["scores"])
    assert set(scores) == {"kind", "standard", "villages", "totals", "notes"}
    assert set(scores["villages"][0]) == {"village", "total", "groups", "veto", "veto_reasons", "rank",
                                          "reaches_standard"}
    assert list(scores["villages"][0]["groups"]) == ["人居环境", "风貌提升", "绿美建设", "生产生活设施", "公共服务",
                                                     "乡风文明", "乡村治理", "集体经济", "农民增收"]
    assert set(scores["totals"]) == {"villages", "reaching_standard", "vetoed"}


def test_to_json_one_or_several(summaries):
    one = report.to_json(summaries["tasks"])
    assert one["kind"] == "tasks"
    assert report.to_json([summaries["tasks"]]) == one
    several = report.to_json(list(summaries.values()))
    assert list(several) == ["summaries"]
    assert [s["kind"] for s in several["summaries"]] == ["visits", "tasks", "roster", "scores"]
    text = json.dumps(several, ensure_ascii=False)  # plain JSON types only
    assert json.loads(text) == several
    # a copy: changing it does not change the summary
    one["totals"]["tasks"] = -1
    assert report.to_json(summaries["tasks"])["totals"]["tasks"] == 15


# --- Markdown ------------------------------------------------------------------------------------

def test_markdown_tables(summaries):
    md = report.to_markdown(list(summaries.values()))
    assert "## 2026年10月挂点调研情况" in md
    assert "## 问题整改及任务落实情况（截至2026-10-31）" in md
    assert "| 镇领导 | 调研村 | 是否挂点村 | 本月调研次数 |" in md
    assert "| 洪文泽 | 东坑村 | 是 | 2 | 2 | 3 | 2 | 2 | 滞后 |" in md
    assert "| PA2026-008-1 | 综合执法办 | 清理拆除违规养殖棚舍 | 2026-08-15 | 77 | 未启动 | 是 |" in md
    assert "| 规划建设办 | 3 | 2 | 1 | 0 | 1 | 16 | 16 | 1 | 2 | 1 | 50% | 逾期 |" in md  # rate as a percentage
    assert "- 本月未报送：吴建新。" in md
    assert "任务明细" not in md  # the full listing only in the workbook
    assert "任务明细" in report.to_markdown(summaries["tasks"], details=True)
    for line in md.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")


def test_markdown_escapes_pipes_and_line_breaks():
    tasks = pd.DataFrame({"任务编号": ["A|1"], "任务内容": ["第一行\n第二行|续"], "牵头单位": ["党政办"],
                          "完成时限": pd.to_datetime(["2026-10-01"]), "完成状态": ["推进中"]})
    md = report.to_markdown(summarise_tasks(None, None, tasks, as_of=AS_OF))
    assert "| A\\|1 | 党政办 | 第一行 第二行\\|续 | 2026-10-01 | 30 | 推进中 | 是 |" in md


# --- terminal ------------------------------------------------------------------------------------

def test_print_summaries_plain_when_piped(summaries):
    out = io.StringIO()
    print_summaries(list(summaries.values()), stream=out)
    text = out.getvalue()
    assert "\x1b[" not in text  # no colour codes when not a terminal
    assert "逾期未完成事项" in text and "PA2026-008-1" in text and "鹤岗村" in text
    assert "任务明细" not in text
    # piped (cron mail, grep): never folded — each highlight and the veto reason whole on one line (issue 16)
    lines = text.splitlines()
    for s in summaries.values():
        for h in s.highlights:
            assert any(h in line for line in lines), h
    assert any("鹤岗村" in line and "负面清单第3项：违反耕地和永久基本农田、生态保护红线和城镇开发边界管控要求" in line
               for line in lines)


# --- xlsx ----------------------------------------------------------------------------------------

SHEETS = ["概况", "挂点村进度", "领导汇总", "月度调研次数", "未调研挂点村", "未报送名单", "牵头单位进度", "责任单位进度",
          "逾期事项", "临期预警", "任务来源", "任务明细", "专班人数", "单位人数", "缺联络员单位", "重复人员", "典型村评价"]


def test_xlsx_sheets_headers_and_numbers(workbook):
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == SHEETS
    ws = wb["领导汇总"]
    assert ws["A1"].value.startswith("2026年10月各镇领导挂点调研汇总")
    assert [c.value for c in ws[2]] == ["镇领导", "挂点村数", "本月调研次数", "本月调研天数", "本月推动解决问题数",
                                        "本年累计次数", "本年累计天数", "本年推动解决问题数", "年度目标次数",
                                        "年度目标天数", "达标村数"]
    assert ws.freeze_panes == "A3"
    # 洪文泽: 6 visits, 7 days (石龙村 two days), target 3 villages × 5 = 15
    assert (ws["A3"].value, ws["C3"].value, ws["D3"].value, ws["F3"].value, ws["I3"].value) == (
        "洪文泽", 6, 7, 6, 15)
    units = wb["牵头单位进度"]
    assert units["A10"].value == "综合执法办" and units["G10"].value == 77  # 08-15 -> 10-31
    assert units["A5"].value == "规划建设办" and units["L5"].value == 0.5
    assert units["L5"].number_format == "0.0%"
    overdue = wb["逾期事项"]
    assert overdue["A3"].value == "PA2026-008-1" and overdue["E3"].value == 77
    assert overdue["D3"].value.date() == date(2026, 8, 15)
    scores = wb["典型村评价"]
    assert (scores["A8"].value, scores["B8"].value, scores["L8"].value, scores["M8"].value, scores["O8"].value) == (
        "不予排名", "鹤岗村", 91.5, "是", "一票否决")
    assert scores["N8"].value.startswith("负面清单第3项：")
    overview = wb["概况"]
    assert overview["A1"].value == "2026年10月挂点调研情况"


def rules(ws) -> dict[str, list]:
    """sqref -> [(type, formula, fill rgb)] of a sheet's conditional formats."""
    out = {}
    for cf in ws.conditional_formatting:
        out[str(cf.sqref)] = [(r.type, r.formula[0] if r.formula else None, r.dxf.fill.bgColor.rgb)
                              for r in cf.rules]
    return out


def test_xlsx_conditional_formats_on_status(workbook):
    wb = openpyxl.load_workbook(workbook)
    visits = rules(wb["挂点村进度"])
    # 19 village rows (3..21), status in column I
    assert ("cellIs", '"滞后"', "FFFFEB9C") in visits["I3:I21"]
    assert ("cellIs", '"未开展"', "FFFFEB9C") in visits["I3:I21"]
    assert ("cellIs", '"达标"', "FFC6EFCE") in visits["I3:I21"]
    assert ("expression", '$I3="滞后"', "FFFFEB9C") in visits["A3:K21"]  # the whole row
    overdue = rules(wb["逾期事项"])
    assert ("cellIs", '"是"', "FFFFC7CE") in overdue["G3:G6"]  # 是否逾期
    units = rules(wb["牵头单位进度"])
    assert ("cellIs", '"逾期"', "FFFFC7CE") in units["M3:M10"]
    assert ("cellIs", '"一票否决"', "FFFFC7CE") in rules(wb["典型村评价"])["O3:O8"]
    assert ("cellIs", '"缺联络员"', "FFFFC7CE") in rules(wb["单位人数"])["D3:D34"]


def test_xlsx_native_charts(workbook):
    with zipfile.ZipFile(workbook) as z:
        names = set(z.namelist())
        charts = sorted(n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = {n: z.read(n).decode("utf-8") for n in charts}
        rels = {n: z.read(n).decode("utf-8") for n in names if n.startswith("xl/drawings/_rels/")}
    assert "xl/charts/chart1.xml" in names
    assert len(charts) == 5  # 领导汇总, 牵头单位进度, 责任单位进度, 专班人数, 典型村评价
    first = xml["xl/charts/chart1.xml"]
    assert "<c:barChart>" in first and "<c:lineChart>" in first  # columns + the target line
    assert "本年累计调研次数" in first and "年度目标（每村5次×挂点村数）" in first
    # values: 本年累计次数 (F) and 年度目标次数 (I) of the 8 leaders, rows 3..10
    assert re.search(r"<c:f>'?领导汇总'?!\$F\$3:\$F\$10</c:f>", first)
    assert re.search(r"<c:f>'?领导汇总'?!\$I\$3:\$I\$10</c:f>", first)
    stacked = xml["xl/charts/chart2.xml"]
    assert '<c:grouping val="stacked"/>' in stacked
    for series in ("已完成", "推进中", "未启动"):
        assert f"<c:v>{series}</c:v>" in stacked
    assert re.search(r"<c:f>'?牵头单位进度'?!\$C\$3:\$C\$10</c:f>", stacked)  # 已完成 of 8 units
    assert sum(r.count("/charts/chart") for r in rels.values()) == 5


def test_xlsx_text_never_a_formula(tmp_path):
    tasks = pd.DataFrame({"任务编号": ["=1+1"], "任务内容": ['=HYPERLINK("http://x","点我")'], "牵头单位": ["+党政办"],
                          "完成时限": pd.to_datetime(["2026-10-01"]), "完成状态": ["推进中"]})
    path = report.write_xlsx(summarise_tasks(None, None, tasks, as_of=AS_OF), tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s for s in sheets)
    ws = openpyxl.load_workbook(path)["逾期事项"]
    assert ws["A3"].value == "=1+1" and ws["A3"].data_type == "s"


def test_xlsx_atomic_and_repeatable(summaries, tmp_path):
    path = tmp_path / "out" / "报表.xlsx"
    report.write_xlsx(summaries["roster"], path)
    report.write_xlsx(summaries["roster"], path)  # safe to run twice
    assert [p.name for p in path.parent.iterdir()] == ["报表.xlsx"]  # no temporary file left
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["概况", "专班人数", "单位人数", "缺联络员单位", "重复人员"]


def test_xlsx_same_kind_twice_and_empty_tables(tmp_path):
    tasks = pd.DataFrame({"任务编号": ["A1"], "任务内容": ["完成"], "牵头单位": ["党政办"],
                          "完成时限": pd.to_datetime(["2026-12-01"]), "完成状态": ["已完成"],
                          "完成时间": pd.to_datetime(["2026-10-01"])})
    s = summarise_tasks(None, None, tasks, as_of=AS_OF)  # nothing overdue, nothing due soon
    path = report.write_xlsx([s, s], tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert "牵头单位进度" in wb.sheetnames and "牵头单位进度（2）" in wb.sheetnames
    assert wb["逾期事项"]["A3"].value == "（无）"


def test_sheet_names_are_valid():
    taken: set[str] = set()
    assert report.sheet_name("a/b:c*d?e[f]", taken) == "abcdef"
    long = "很长的工作表名称" * 5
    first = report.sheet_name(long, taken)
    second = report.sheet_name(long, taken)
    assert len(first) == 31 and len(second) == 31 and first != second


def test_documented_keys(summaries):
    docs = (ROOT / "docs" / "summaries.md").read_text(encoding="utf-8")
    for kind, summary in summaries.items():
        data = summary.to_json()
        assert f"（{kind}）" in docs
        for key in list(data) + list(data.get("totals", {})):
            assert f'"{key}"' in docs, (kind, key)
    for row_key in ("village", "assigned", "ytd_visits", "task_id", "days_overdue", "days_left", "overdue_days",
                    "max_overdue_days", "reaches_standard", "veto", "rank", "groups"):
        assert f'"{row_key}"' in docs, row_key


def test_importing_is_cheap():
    import subprocess
    import sys

    code = ("import sys, bqw.summary.visits, bqw.summary.tasks, bqw.summary.roster, bqw.summary.scores, "
            "bqw.output.reports; "
            "print(sorted(m for m in ('pandas', 'xlsxwriter', 'rich', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"

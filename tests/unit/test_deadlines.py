"""Dates and deadlines as offices write them, from the cell to the merged ledger, the summary and the 通报.

A task list generated here holds every text deadline form (“9月底”, “年底前”, “11月15日前”, “三季度末”,
“上半年”, standing “长期坚持” …); the real CLI merges it (`bqw merge`), counts it (`bqw summarise`) and
writes a 通报 (`bqw tongbao`), and the test opens what was written. Visit ledgers generated here check
the date forms the reader already knew (full-width digits, “10月9日、10日”, “2026.10.16-10.17”, a
CSV's “'2026-10-05”, serials stored as text, the 1904 date system) and the new ones.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import openpyxl
import pytest
from docx import Document

from conftest import VISITS_HEADER, run_bqw, visit_row, write_xlsx

from bqw.io.reader import read_ledger
from bqw.jobs.validate import validate_file

AS_OF = "2026-10-31"
TASK_HEADER = ["序号", "任务编号", "任务内容", "任务来源", "牵头单位", "完成时限", "完成状态", "进展情况"]
# 任务编号 -> (完成时限 as written, the date it means, or None for a standing task)
DEADLINES = {
    "RW-01": ("9月底", date(2026, 9, 30)),
    "RW-02": ("9月末", date(2026, 9, 30)),
    "RW-03": ("9月底前", date(2026, 9, 30)),
    "RW-04": ("9月份", date(2026, 9, 30)),
    "RW-05": ("年底前", date(2026, 12, 31)),
    "RW-06": ("年底", date(2026, 12, 31)),
    "RW-07": ("年内", date(2026, 12, 31)),
    "RW-08": ("年末", date(2026, 12, 31)),
    "RW-09": ("11月15日前", date(2026, 11, 15)),
    "RW-10": ("11月15日之前", date(2026, 11, 15)),
    "RW-11": ("三季度末", date(2026, 9, 30)),
    "RW-12": ("第三季度", date(2026, 9, 30)),
    "RW-13": ("上半年", date(2026, 6, 30)),
    "RW-14": ("下半年", date(2026, 12, 31)),
    "RW-15": ("长期坚持", None),
    "RW-16": ("长期", None),
    "RW-17": ("持续推进", None),
    "RW-18": ("常态化", None),
    "RW-19": ("长期推进", None),
    "RW-20": ("持续", None),
    "RW-21": ("九月三日", date(2026, 9, 3)),
    "RW-22": ("10月1日-15日", date(2026, 10, 15)),  # a range: its last day
    "RW-23": (10.15, date(2026, 10, 15)),  # a number cell month.day
    "RW-24": (9.3, date(2026, 9, 3)),  # … read as shown, with a warning (9.30 is stored as 9.3)
    "RW-25": ("二〇二六年十二月二十一日", date(2026, 12, 21)),
}
STANDING = {tid for tid, (_w, d) in DEADLINES.items() if d is None}
# unfinished and past their deadline on AS_OF (every task is 推进中)
OVERDUE = {tid for tid, (_w, d) in DEADLINES.items() if d is not None and d < date(2026, 10, 31)}


def task_rows() -> list[list]:
    rows = [["2026年平安镇问题整改任务清单（10月）"], ["填报单位：农业农村办"], TASK_HEADER]
    for i, (tid, (written, _d)) in enumerate(DEADLINES.items(), 1):
        source = "会议议定" if tid == "RW-15" else "问题整改"
        rows.append([i, tid, f"任务{tid}", source, "农业农村办", written, "推进中", f"第{i}项在推进"])
    return rows


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """A workspace with the generated task list merged into its archive (as of AS_OF)."""
    ws = tmp_path_factory.mktemp("deadlines") / "平安镇"
    run_bqw("init", ws, "--town", "平安镇", "--year", "2026", check_code=0)
    source = write_xlsx(ws.parent / "农业农村办任务清单（10月）.xlsx", task_rows())
    proc = run_bqw("-w", ws, "merge", source, "-o", ws / "out" / "任务.xlsx", "--as-of", AS_OF, "-f", "json")
    assert proc.returncode in (0, 1), proc.stderr
    ws.joinpath("merge.json").write_text(proc.stdout, encoding="utf-8")
    return ws


def sheet_rows(path, sheet: str) -> dict[str, dict]:
    """The data rows of a merged or summary sheet (title row, header row, rows) by 任务编号."""
    wb = openpyxl.load_workbook(path, read_only=True)
    values = list(wb[sheet].iter_rows(values_only=True))
    wb.close()
    header = values[1]
    rows = [dict(zip(header, v)) for v in values[2:]]
    return {r["任务编号"]: r for r in rows if r.get("任务编号")}


def test_merge_accepts_every_deadline_form(ws):
    report = json.loads(ws.joinpath("merge.json").read_text(encoding="utf-8"))
    (f,) = report["files"]
    assert (f["status"], f["accepted"], f["held"], f["errors"]) == ("accepted", len(DEADLINES), 0, 0)
    assert f["warnings"] == 1  # 9.3 in a number cell (date-ambiguous)


def test_merged_workbook_cells(ws):
    rows = sheet_rows(ws / "out" / "任务.xlsx", "任务清单")
    assert set(rows) == set(DEADLINES)
    for tid, (_written, day) in DEADLINES.items():
        r = rows[tid]
        if day is None:
            assert (r["完成时限"], r["长期任务"], r["是否逾期"], r["逾期天数"]) == ("长期", "是", "否", None), tid
        else:
            assert r["完成时限"] == datetime(day.year, day.month, day.day), tid
            assert r["长期任务"] == "否", tid
            assert r["是否逾期"] == ("是" if tid in OVERDUE else "否"), tid
    assert rows["RW-01"]["逾期天数"] == 31  # 2026-09-30 -> 2026-10-31
    assert rows["RW-13"]["逾期天数"] == 123  # 上半年: 2026-06-30
    assert "数字“9.3”按 2026-09-03 读取" in rows["RW-24"]["校验提示"]
    assert rows["RW-23"]["校验提示"] is None  # 10.15 is no ambiguity


def test_summary_json(ws):
    proc = run_bqw("-w", ws, "summarise", "--kind", "tasks", "--period", "2026-10", "--as-of", AS_OF, "-f", "json")
    assert proc.returncode in (0, 1), proc.stderr
    tasks = json.loads(proc.stdout)
    assert (tasks["kind"], tasks["totals"]["tasks"]) == ("tasks", len(DEADLINES))
    assert tasks["totals"]["overdue"] == len(OVERDUE) == 11
    assert {x["task_id"] for x in tasks["overdue"]} == OVERDUE
    assert {x["task_id"]: x["deadline"] for x in tasks["overdue"]}["RW-11"] == "2026-09-30"
    assert not STANDING & {x["task_id"] for x in tasks["overdue"] + tasks["due_soon"]}
    assert f"{len(STANDING)} 项为长期任务（完成时限“长期”），不计逾期" in tasks["notes"]
    assert not any("没有完成时限" in n for n in tasks["notes"])
    (unit,) = tasks["units"]
    assert (unit["unit"], unit["tasks"], unit["overdue"]) == ("农业农村办", len(DEADLINES), 11)


def test_summary_workbook_detail(ws, tmp_path):
    out = tmp_path / "统计.xlsx"
    proc = run_bqw("-w", ws, "summarise", "--kind", "tasks", "--period", "2026-10", "--as-of", AS_OF,
                   "-f", "xlsx", "-o", out)
    assert proc.returncode in (0, 1), proc.stderr
    rows = sheet_rows(out, "任务明细")
    assert {tid for tid, r in rows.items() if r["完成时限"] == "长期"} == STANDING
    assert all(rows[tid]["是否逾期"] == "否" and rows[tid]["长期任务"] == "是" for tid in STANDING)
    assert rows["RW-05"]["完成时限"] == datetime(2026, 12, 31)
    assert rows["RW-09"]["完成时限"] == datetime(2026, 11, 15)


def docx_table(path, first_header: str) -> list[list[str]]:
    """The rows of the .docx table whose first header cell after 序号 is `first_header`."""
    for table in Document(str(path)).tables:
        cells = [[c.text for c in row.cells] for row in table.rows]
        if cells and len(cells[0]) > 1 and cells[0][1] == first_header:
            return cells
    raise AssertionError(f"no table headed {first_header} in {path}")


def test_tongbao_lists_standing_tasks_as_long_term(ws, tmp_path):
    proc = run_bqw("-w", ws, "tongbao", "--type", "进展", "--period", "2026-10", "--as-of", AS_OF,
                   "--date", "2026-11-03", "-o", tmp_path / "进展.docx", check_code=0)
    assert "已写出" in proc.stdout
    rows = docx_table(tmp_path / "进展.docx", "任务编号")
    header = rows[0]
    by_id = {r[1]: dict(zip(header, r)) for r in rows[1:]}
    assert {tid for tid, r in by_id.items() if r["完成时限"] == "长期"} == STANDING
    assert all(by_id[tid]["逾期天数"] == "" for tid in STANDING)
    assert by_id["RW-01"]["完成时限"] == "2026.09.30" and by_id["RW-01"]["逾期天数"] == "31"
    assert by_id["RW-09"]["完成时限"] == "2026.11.15"
    assert len(rows) - 1 == len(DEADLINES)  # the first such table lists every task
    text = "\n".join(p.text for p in Document(str(tmp_path / "进展.docx")).paragraphs)
    assert re.search(r"逾期未完成11项", text)


def test_decision_tongbao_standing_task(ws, tmp_path):
    run_bqw("-w", ws, "tongbao", "--type", "议定", "--period", "2026-10", "--as-of", AS_OF, "--date", "2026-11-03",
            "-o", tmp_path / "议定.docx", check_code=0)
    rows = docx_table(tmp_path / "议定.docx", "议定事项")
    assert len(rows) == 2  # RW-15 is the one 会议议定 task
    row = dict(zip(rows[0], rows[1]))
    assert (row["议定事项"], row["完成时限"], row["办理状态"]) == ("任务RW-15", "长期", "推进中")


# --- the reader: a standing task needs no date, a blank deadline still does -----------------------

def test_blank_deadline_is_still_required(tmp_path):
    rows = task_rows()[:3] + [[1, "RW-1", "甲", "问题整改", "农业农村办", "长期坚持", "推进中", ""],
                              [2, "RW-2", "乙", "问题整改", "农业农村办", None, "推进中", ""],
                              [3, "RW-3", "丙", "问题整改", "农业农村办", "待定", "推进中", ""]]
    r = validate_file(write_xlsx(tmp_path / "t.xlsx", rows), "tasks")
    assert sorted(f.as_tuple()[0::2] for f in r.findings) == [("date-invalid", "F6"), ("required", "F5")]
    frame = r.table("tasks").frame
    assert frame["长期任务"].tolist() == ["是", "否", "否"]
    assert frame["完成时限"].isna().tolist() == [True, True, True]


def test_deadline_without_a_year(tmp_path):
    rows = [["平安镇问题整改任务清单"], TASK_HEADER, [1, "RW-1", "甲", "问题整改", "农业农村办", "9月底", "推进中", ""],
            [2, "RW-2", "乙", "问题整改", "农业农村办", "长期坚持", "推进中", ""]]
    r = validate_file(write_xlsx(tmp_path / "无年份.xlsx", rows), "tasks")
    assert [(f.code, f.cell) for f in r.findings] == [("date-no-year", "F3")]


def test_combined_sheet_keeps_standing_with_its_task(tmp_path):
    """One 整改台账 sheet holding problems and tasks: 长期任务 goes with the task list only."""
    header = ["问题编号", "问题描述", "责任单位", "责任人", "任务编号", "任务内容", "牵头单位", "完成时限", "完成状态"]
    rows = [["2026年平安镇问题整改台账"], header,
            ["WT-1", "垃圾堆放", "农业农村办", "李强", "RW-1", "清理", "农业农村办", "长期坚持", "推进中"],
            ["WT-1", "垃圾堆放", "农业农村办", "李强", "RW-2", "建机制", "农业农村办", "9月底", "推进中"]]
    r = validate_file(write_xlsx(tmp_path / "合并.xlsx", rows))
    assert [f.code for f in r.findings if f.severity == "error"] == []
    tasks = r.table("tasks").frame
    assert tasks["长期任务"].tolist() == ["是", "否"]
    assert tasks["完成时限"].tolist()[1] == datetime(2026, 9, 30)
    assert "长期任务" not in r.table("problems").frame and "长期任务" not in r.table("responsibilities").frame


# --- date forms in a visit ledger ------------------------------------------------------------------

VISIT_DATES = [  # (调研时间 as written, first day, days)
    ("２０２６年１０月５日", date(2026, 10, 5), 1),
    ("10月9日、10日", date(2026, 10, 9), 2),
    ("2026.10.16-10.17", date(2026, 10, 16), 2),
    ("46300", date(2026, 10, 5), 1),  # an Excel serial kept as text
    ("十月九日至十一日", date(2026, 10, 9), 3),
    ("二〇二六年十月二十一日", date(2026, 10, 21), 1),
    ("10.22", date(2026, 10, 22), 1),  # month.day as text
    (10.23, date(2026, 10, 23), 1),  # … and as a number
]


def _visits(dates) -> list[list]:
    return [["2026年平安镇领导挂点调研台账（10月）"], VISITS_HEADER] + [
        visit_row(i, when=when) for i, when in enumerate(dates, 1)]


def test_visit_date_forms_xlsx(tmp_path):
    r = validate_file(write_xlsx(tmp_path / "v.xlsx", _visits([w for w, _d, _n in VISIT_DATES])), "visits")
    assert [f.code for f in r.findings] == []
    frame = r.table("visits").frame
    assert [d.date() for d in frame["调研时间"]] == [d for _w, d, _n in VISIT_DATES]
    assert frame["调研天数"].tolist() == [n for _w, _d, n in VISIT_DATES]


def test_visit_date_forms_csv(tmp_path):
    """A CSV export keeps a date as text with a leading apostrophe: '2026-10-05."""
    path = tmp_path / "v.csv"
    rows = _visits(["'2026-10-05", "’2026-10-06", "46300", "10月9日、10日", "2026.10.16-10.17", "９月３日"])
    path.write_text("\n".join(",".join(str(x) for x in row) for row in rows) + "\n", encoding="utf-8-sig")
    r = read_ledger(path, "visits")
    frame = r.table("visits").frame
    assert [d.date() for d in frame["调研时间"]] == [date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 5),
                                                    date(2026, 10, 9), date(2026, 10, 16), date(2026, 9, 3)]
    assert frame["调研天数"].tolist() == [1, 1, 1, 2, 2, 1]
    assert [f.code for f in r.findings] == []


def test_visit_dates_1904_system(tmp_path):
    """Old Mac workbooks count dates from 1904: a date cell reads as the date it shows."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    for row in _visits([datetime(2026, 10, 5), date(2026, 10, 20)]):
        wb.active.append(row)
    wb.save(tmp_path / "mac.xlsx")
    frame = read_ledger(tmp_path / "mac.xlsx", "visits").table("visits").frame
    assert [d.date() for d in frame["调研时间"]] == [date(2026, 10, 5), date(2026, 10, 20)]


def test_ambiguous_number_is_a_warning_at_its_cell(tmp_path):
    r = validate_file(write_xlsx(tmp_path / "v.xlsx", _visits([10.3, 10.4, 10.1])), "visits")
    assert [(f.code, f.severity, f.cell) for f in r.findings] == [
        ("date-ambiguous", "warning", "C3"), ("date-ambiguous", "warning", "C5")]  # 10.40 is no day
    assert r.findings[0].message.startswith("数字“10.3”按 2026-10-03 读取")
    assert [d.date() for d in r.table("visits").frame["调研时间"]] == [
        date(2026, 10, 3), date(2026, 10, 4), date(2026, 10, 1)]


def test_held_standing_task_reads_long_term(tmp_path):
    """A standing task held back for another error shows 长期 in 待核实 too."""
    rows = task_rows()[:3] + [[1, "RW-1", "甲", "问题整改", "农业农村办", "长期坚持", "办理中", ""],
                              [2, "RW-2", "乙", "问题整改", "农业农村办", "9月底", "推进中", ""]]
    source = write_xlsx(tmp_path / "任务清单.xlsx", rows)
    out = tmp_path / "合并.xlsx"
    run_bqw("merge", source, "-o", out, "--no-archive", "--as-of", AS_OF, "--quiet", check_code=1)
    wb = openpyxl.load_workbook(out, read_only=True)
    held = list(wb["待核实"].iter_rows(values_only=True))
    accepted = list(wb["任务清单"].iter_rows(values_only=True))
    wb.close()
    held_row = dict(zip(held[1], held[2]))
    assert (held_row["任务编号"], held_row["完成时限"], held_row["长期任务"]) == ("RW-1", "长期", "是")
    assert "办理中" in held_row["问题说明"]
    accepted_row = dict(zip(accepted[1], accepted[2]))
    assert (accepted_row["任务编号"], accepted_row["完成时限"]) == ("RW-2", datetime(2026, 9, 30))
    assert len(held) == len(accepted) == 3

"""Issue 14: nothing misfiled — cells whose formulas were saved without a result, and periods taken
from the strongest evidence (title and 填报 lines, then the dates, then the file name)."""

from __future__ import annotations

import datetime as dt

import openpyxl
from conftest import run_bqw

from bqw.store.archive import Archive
from bqw.jobs.merge import merge
from bqw.jobs.validate import validate_file

HEADER = ["序号", "镇领导", "调研时间", "调研地点", "调研内容", "推动解决问题数量"]


def test_formulas_saved_without_their_result_are_said_and_their_row_kept(tmp_path):
    """openpyxl, like some tools, saves a formula with no cached value: calamine reads it as empty.
    Each such cell is a warning; a row of them is a record (held back for its empty required cells),
    never a blank row dropped in silence."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年度平安镇领导挂点调研台账（10月）"])
    ws.append(HEADER)
    ws.append([1, "洪文泽", "2026年10月9日", "东坑村", "调研", "=1+1"])  # F3: one formula among values
    ws.append(["=A3+1", "=B3", "=C3", "=D3", "=E3", "=F3"])  # row 4: all formulas, none computed
    path = tmp_path / "附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx"
    wb.save(path)
    r = validate_file(path)
    no_value = [f.cell for f in r.findings if f.code == "formula-no-value"]
    assert no_value == ["F3", "A4", "B4", "C4", "D4", "E4", "F4"]
    assert all(f.severity == "warning" and "公式没有计算结果" in f.message for f in r.findings
               if f.code == "formula-no-value")
    assert not r.valid  # row 4's required cells are empty: it is no longer “通过”
    (t,) = r.tables
    assert list(t.frame.index) == [3, 4] and 4 not in dict(t.dropped)
    with Archive(":memory:") as store:
        result = merge([path], archive=store, as_of=dt.date(2026, 10, 31), workers=1)
    assert result.merged_rows == 1 and result.held_rows == 1  # row 4 in 待核实, not counted as 空行
    (outcome,) = result.outcomes
    assert "空行" not in outcome.dropped


def _ledger(path, title="2026年度平安镇领导挂点调研台账", dates=("2026年10月9日", "2026年10月15日")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(HEADER)
    for n, when in enumerate(dates, 1):
        ws.append([n, "林海峰", when, "高埔村", f"调研{n}", 1])
    wb.save(path)
    return path


def test_a_year_in_a_file_name_does_not_move_a_ledger(tmp_path):
    """Copies named “…林海峰(1990).xlsx” … or “2025年附件3…” of a 2026 ledger (title 2026年度, dates in
    2026-10) stay in 2026-10; the file name's year is ignored and said (info)."""
    names = ["附件3：平安镇领导挂点调研台账（10月）-林海峰(1990).xlsx", "附件3：平安镇领导挂点调研台账（10月）-林海峰(2025).xlsx",
             "附件3：平安镇领导挂点调研台账（10月）-林海峰 2025.xlsx", "2025年附件3：平安镇领导挂点调研台账（10月）-林海峰.xlsx"]
    for name in names:
        r = validate_file(_ledger(tmp_path / name))
        (t,) = r.tables
        assert t.meta["period"] == "2026-10", name
        (note,) = [f for f in r.findings if f.code == "file-name-ignored"]
        assert note.severity == "info" and "年" in note.message and "2026-10" in note.message, note.message
    # no title year, dates without a year: the file name's year is all there is, and is used
    r = validate_file(_ledger(tmp_path / "附件3：平安镇领导挂点调研台账（10月）-林海峰(2025).xlsx", title="挂点调研台账",
                              dates=("10月9日", "10月15日")))
    assert r.tables[0].meta["period"] == "2025-10" and not [f for f in r.findings if f.code == "file-name-ignored"]


def test_the_dates_name_the_month_before_the_file_name(tmp_path):
    r = validate_file(_ledger(tmp_path / "附件3：平安镇领导挂点调研台账（9月）-林海峰.xlsx"))
    assert r.tables[0].meta["period"] == "2026-10"  # every visit in October: a “9月” file name is a slip
    (note,) = [f for f in r.findings if f.code == "file-name-ignored"]
    assert "9月" in note.message and "表中日期" in note.message
    r = validate_file(_ledger(tmp_path / "附件3：平安镇领导挂点调研台账（10月）-林海峰.xlsx",
                              dates=("2026年10月9日", "2026年11月2日")))
    assert r.tables[0].meta["period"] == "2026-10"  # the dates span two months: the file name decides


def test_a_period_far_from_the_workspace_year_is_refused_and_makes_no_folder(tmp_path):
    """In a 2026 workspace, a ledger that says 1990 (its title, its dates) is an error: nothing archived,
    no out/1990-10, no 通报 number used; bqw run exits 1 and returns the file."""
    root = tmp_path / "ws"
    assert run_bqw("init", root, "--town", "平安镇", "--year", "2026").returncode == 0
    _ledger(root / "inbox" / "附件3：平安镇领导挂点调研台账（10月）-林海峰.xlsx", title="1990年度平安镇领导挂点调研台账",
            dates=("1990年10月9日", "1990年10月15日"))
    _ledger(root / "inbox" / "附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx")
    proc = run_bqw("run", "--as-of", "2026-10-31", "--format", "json", cwd=root)
    assert proc.returncode == 1, proc.stderr
    import json

    doc = json.loads(proc.stdout)
    (far,) = [f for f in doc["merge"]["files"] if f["status"] == "skipped"]
    assert "林海峰" in far["path"] and "1990-10" in far["reason"] and "2026" in far["reason"]
    assert sorted(p.name for p in (root / "out").iterdir() if p.name[:2].isdigit()) == ["2026-10"]
    with Archive(root / "bqw.db") as store:
        assert {s.period for s in store.submissions()} == {"2026-10"}
    assert any("林海峰" in p.name for p in (root / "out" / "退回").iterdir())


def test_the_far_period_finding(tmp_path):
    from bqw.ledgers import Context

    path = _ledger(tmp_path / "附件3：平安镇领导挂点调研台账（10月）-林海峰.xlsx", title="2023年度平安镇领导挂点调研台账",
                   dates=("2023年10月9日",))
    r = validate_file(path, ctx=Context(year=2026))
    (far,) = [f for f in r.findings if f.code == "period-far-from-year"]
    assert far.severity == "error" and "2023-10" in far.message and "取自表中日期" in far.message
    assert not [f for f in validate_file(path, ctx=Context(year=2024)).findings if f.code == "period-far-from-year"]
    assert not [f for f in validate_file(path).findings if f.code == "period-far-from-year"]  # no workspace year

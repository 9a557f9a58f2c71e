"""Golden tests on samples/: the messy month reads to the exact rows, the error samples give
exactly the planted findings, and the samples are what scripts/make_samples.py writes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest
from conftest import ROOT, SAMPLES, run_bqw, sha256

from bqw.ledgers import get_spec
from bqw.jobs.validate import load_context, validate_file

ASSIGNMENTS = SAMPLES / "assignments" / "平安镇领导挂点联系村安排表.xlsx"
MONTH = SAMPLES / "2026-10"

# rows of each October submission, counted by hand from the generator's plan
VISIT_ROWS = {"洪文泽": 5, "洪文泽（更正）": 6, "李明": 4, "李明(1)": 4, "陈志强": 4, "黄丽娟": 3, "张国华": 3,
              "刘晓燕": 4, "林海峰": 6}


def _who(path):
    return path.stem.split("-")[-1]


@pytest.fixture(scope="module")
def ctx():
    context, reads = load_context("2026-10", ASSIGNMENTS)
    assert all(r.valid for r in reads)
    return context


def test_assignments_sample(ctx):
    assert len(ctx.assignments) == 8
    assert sum("东坑村" in v for v in ctx.assignments.values()) == 2  # a village with two leaders


@pytest.mark.parametrize("path", sorted(p for p in MONTH.iterdir() if not p.name.startswith("~$")),
                         ids=lambda p: p.name[-16:])
def test_month_submissions_read_clean(path, ctx):
    r = validate_file(path, None, ctx)
    assert r.kind == "visits"
    assert [f.as_tuple() for f in r.findings] == []
    assert r.rows == VISIT_ROWS[_who(path)]
    frame = r.tables[0].frame
    leader = _who(path).split("（")[0].split("(")[0]
    assert set(frame["镇领导"]) == {leader}
    assert frame["调研时间"].dt.strftime("%Y-%m").eq("2026-10").all()
    assert frame["调研地点"].isin(ctx.assignments[leader]).all()
    assert frame["期间"].eq("2026-10").all()


def test_lock_file_in_month_is_skipped():
    (lock,) = [p for p in MONTH.iterdir() if p.name.startswith("~$")]
    r = validate_file(lock)
    assert r.skipped and not r.findings


@pytest.mark.parametrize("name,rows", [("roster/平安镇百千万工程指挥部成员名单.xlsx", {"roster": 69}),
                                       ("rectification/平安镇问题整改台账（三清单）.xlsx",
                                        {"problems": 8, "responsibilities": 8, "tasks": 15}),
                                       ("rectification/平安镇问题整改台账（合并）.xlsx",
                                        {"problems": 8, "responsibilities": 8, "tasks": 15}),
                                       ("scores/2026年典型村评价得分表.xlsx", {"scores": 6})])
def test_other_samples_read_clean(name, rows):
    r = validate_file(SAMPLES / name)
    assert [f.as_tuple() for f in r.findings if f.severity != "info"] == []
    assert {t.kind: t.rows for t in r.tables} == rows


def test_a_column_the_contract_does_not_name_is_kept_and_reported():
    """The scores sample has a 备注 column the scores contract does not name: kept, said (info)."""
    r = validate_file(SAMPLES / "scores/2026年典型村评价得分表.xlsx")
    assert [(f.code, f.severity, f.cell) for f in r.findings] == [("unknown-column", "info", "AK3")]
    assert "备注" in r.findings[0].message and "已" in r.findings[0].message
    (t,) = r.tables
    assert t.letters["备注"] == "AK" and t.frame["备注"].notna().any()


def test_both_rectification_forms_agree():
    a = validate_file(SAMPLES / "rectification/平安镇问题整改台账（三清单）.xlsx")
    b = validate_file(SAMPLES / "rectification/平安镇问题整改台账（合并）.xlsx")
    for kind in ("problems", "responsibilities", "tasks"):
        fa, fb = a.table(kind).frame, b.table(kind).frame
        cols = [c for c in fa.columns if c not in ("序号", "来源文件", "来源工作表", "来源行号")]
        left = fa[cols].astype(str).sort_values(cols[:2]).values.tolist()
        right = fb[cols].astype(str).sort_values(cols[:2]).values.tolist()
        assert left == right, kind


def _canonical(column):
    return f"指标{column}" if column and column.isdigit() else column


def test_error_samples_give_exactly_the_planted_findings(ctx):
    expected = json.loads((SAMPLES / "errors" / "EXPECTED.json").read_text(encoding="utf-8"))
    files = sorted({e["file"] for e in expected})
    found = set()
    for name in files:
        r = validate_file(SAMPLES / "errors" / name, None, ctx)
        for f in r.findings:
            found.add((name, f.sheet, f.cell, f.column, f.severity))
    planted = set()
    for e in expected:
        cell = e["cell"]
        if cell is None and e["column"] == "单位":  # a unit with no 联络员: bqw points at the unit's first row
            cell = "C33"
        planted.add((e["file"], e["sheet"], cell, _canonical(e["column"]), e["severity"]))
    assert found == planted


def test_samples_are_what_the_script_writes(tmp_path):
    import python_calamine as pc

    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_samples.py"), str(tmp_path)], check=True,
                   capture_output=True)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    kept = sorted(p.relative_to(SAMPLES) for p in SAMPLES.rglob("*") if p.is_file())
    assert made == kept
    for rel in made:
        a, b = tmp_path / rel, SAMPLES / rel
        if sha256(a) == sha256(b):
            continue
        assert rel.suffix in (".xlsx", ".xls"), rel
        wa, wb = pc.CalamineWorkbook.from_path(str(a)), pc.CalamineWorkbook.from_path(str(b))
        assert wa.sheet_names == wb.sheet_names
        for name in wa.sheet_names:
            assert wa.get_sheet_by_name(name).to_python() == wb.get_sheet_by_name(name).to_python(), rel


# --- 官方模板/: the offices' own printed templates (附件1, 附件3, 附件4 with 附件5) filled in ---------

OFFICIAL = SAMPLES / "官方模板"
OFFICIAL_FILES = json.loads((OFFICIAL / "EXPECTED.json").read_text(encoding="utf-8"))["files"]


def test_official_samples_are_listed_in_their_truth():
    on_disk = sorted(p.name for p in OFFICIAL.iterdir() if p.name != "EXPECTED.json")
    assert on_disk == sorted(f["file"] for f in OFFICIAL_FILES)
    assert not any(f["file"].startswith("~$") for f in OFFICIAL_FILES)
    # 附件3 three ways, the town's collection, a leader's year, 附件1, 附件4
    assert sorted({f["kind"] for f in OFFICIAL_FILES}) == ["assignments", "scores", "visits"]


def _in_merged_terms(kind: str, record: dict) -> dict:
    """A truth record as the merged workbook writes it: its columns, 来源工作表 and 来源行号."""
    out = {k: v for k, v in record.items() if k not in ("sheet", "row")}
    if record.get("sheet") is not None:  # a CSV has no sheet of its own
        out["来源工作表"] = record["sheet"]
    if "row" in record:
        out["来源行号"] = record["row"]
    if kind == "visits":
        out["调研时间"] = dt.datetime.fromisoformat(record["调研时间"])
    if kind == "assignments":
        out["联系行政村"] = "、".join(record["联系行政村"])
    return out


def _merge_one(path, tmp_path, kind: str) -> list[dict]:
    """`bqw merge <file> --no-archive` (the real CLI); the rows of the merged workbook's data sheet."""
    out = tmp_path / "合并.xlsx"
    proc = run_bqw("merge", path, "-o", out, "--no-archive", "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ws = openpyxl.load_workbook(out)[get_spec(kind).title]
    head = [c.value for c in ws[2]]
    return [dict(zip(head, values)) for values in ws.iter_rows(min_row=3, values_only=True)
            if any(v is not None for v in values)]


def _where(row: dict) -> tuple:
    return (row.get("来源工作表") or "", row.get("来源行号") or 0)


def _official_check(entry: dict, tmp_path):
    path = OFFICIAL / entry["file"]
    kind, truth = entry["kind"], entry["records"]
    context, _ = load_context(None, ASSIGNMENTS)  # no period: 9月, a whole year and 10月 side by side
    result = validate_file(path, kind, context)
    assert [f.as_tuple() for f in result.findings] == []  # no error, no warning, no info
    assert result.kind == kind and result.rows == len(truth)
    merged = _merge_one(path, tmp_path, kind)
    want = sorted((_in_merged_terms(kind, r) for r in truth), key=_where)
    got = sorted(({k: row[k] for k in want[0]} for row in merged), key=_where)
    assert got == want
    assert len(merged) == len(truth)  # exactly its rows: none left out, none added


@pytest.mark.parametrize("entry", [f for f in OFFICIAL_FILES if f["kind"] != "scores"], ids=lambda f: f["file"][-24:])
def test_official_sample_validates_and_merges_to_exactly_its_rows(entry, tmp_path):
    _official_check(entry, tmp_path)


@pytest.mark.parametrize("entry", [f for f in OFFICIAL_FILES if f["kind"] == "scores"], ids=lambda f: f["file"][-24:])
def test_official_rubric_sample_reads_as_one_village_record(entry, tmp_path):
    """附件4 read down the rubric (序号 | 二级指标 | 得分) with 附件5 below it: one record of the village."""
    _official_check(entry, tmp_path)
    (record,) = entry["records"]
    frame = validate_file(OFFICIAL / entry["file"], "scores").table("scores").frame
    assert frame["村名"].tolist() == [record["村名"]] and frame["评价年度"].tolist() == [record["评价年度"]]
    for n in range(1, 26):
        assert frame[f"指标{n}"].tolist() == [record[f"指标{n}"]], n
    for n in range(1, 9):
        assert frame[f"负面{n}"].tolist() == [record[f"负面{n}"] == "有"], n


def test_official_visit_ledgers_show_what_the_printed_layout_gives():
    """The truth itself covers what the layouts are for: 调研成效 from both sub-columns and from one,
    a two-day visit, months from sheet names, leaders from the 挂点领导 line and from sheet names."""
    visits = {f["file"]: f["records"] for f in OFFICIAL_FILES if f["kind"] == "visits"}
    every = [r for records in visits.values() for r in records]
    assert any("；" in (r["调研成效"] or "") for r in every) and any(r["调研成效"] and "；" not in r["调研成效"]
                                                                 for r in every)
    assert any(r["调研天数"] == 2 for r in every)
    year = next(records for name, records in visits.items() if "全年" in name)
    assert {r["sheet"] for r in year} < {f"{m}月" for m in range(1, 13)}
    assert all(r["期间"] == f"2026-{int(r['sheet'][:-1]):02d}" for r in year)
    town = next(records for name, records in visits.items() if "汇总" in name)
    assert "黄 丽娟" in {r["sheet"] for r in town} and all(r["填报单位"] is None for r in town)
    assert len({r["镇领导"] for r in town}) == len({r["sheet"] for r in town}) > 1

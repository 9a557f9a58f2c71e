"""Issue 7 §2: no text from a submission becomes a formula in any workbook bqw writes; control
characters are removed from text written to xlsx (reported at their cell); over-long text is kept
whole in the archive and cut to 32,767 characters in the xlsx (with a warning).

Payloads (bad_files.PAYLOADS: = + - @ and tab/CR-prefixed forms, HYPERLINK, DDE) go into every
text column, the 镇领导 name, the 填报单位 line, the sheet name and the file name of a submission;
then through merge (merged sheet, 待核实 with error rows, 合并说明), validate --annotate (the copy
and its 校验结果 sheet) and summarise --format xlsx (names as chart categories). Every produced
workbook is opened and checked cell by cell over all sheets, and its sheet XML for <f> elements.
bqw writes no formula of its own into these workbooks (its conditional formats and chart ranges
are not cell formulas), so there must be none.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from bqw.output.annotate import annotated_name
from bqw.core.values import clean_name, clean_text
from fixtures import bad_files
from hostile.common import assert_clean_exit, run_limited

PAYLOADS = bad_files.PAYLOADS
HEADER = ["序号", "镇领导", "调研时间", "调研地点", "调研内容", "调研成效", "推动解决问题数量", "联系人及联系方式", "备注"]
LEADER_MARKS = "甲乙丙丁戊己庚辛"
BAD_XML_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _sheet_name(payload: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", payload).strip("'")
    return name[:31]


def payload_workbook(folder: Path, i: int, payload: str) -> Path:
    """One submission carrying `payload` everywhere text goes; row 5 has errors (held back)."""
    path = folder / f"{payload.replace('/', '_')}台账{i}.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False})
    ws = wb.add_worksheet(_sheet_name(payload) or f"S{i}")
    ws.merge_range("A1:I1", "2026年度平安镇领导开展‘百千万工程’工作挂点调研台账")
    ws.write_string(1, 0, f"填报单位：{payload}")
    ws.write_row(2, 0, HEADER)
    leader = payload + LEADER_MARKS[i]  # one leader per file: no file supersedes another
    row4 = [1, leader, f"2026年10月{i + 1}日", payload, payload, payload, 1, payload, payload]
    row5 = [2, leader, payload, payload, payload, payload, payload, payload, payload]
    for r, row in ((3, row4), (4, row5)):
        for c, v in enumerate(row):
            ws.write_string(r, c, v) if isinstance(v, str) else ws.write_number(r, c, v)
    wb.close()
    return path


def cells(path: Path) -> list[tuple[str, str, str, object]]:
    """(sheet, cell, data_type, value) of every cell of every sheet."""
    wb = openpyxl.load_workbook(path)
    out = [(ws.title, c.coordinate, c.data_type, c.value) for ws in wb.worksheets for row in ws.iter_rows()
           for c in row if c.value is not None]
    wb.close()
    return out


def assert_safe(path: Path) -> set[str]:
    """No formula (cell type or <f> element), no character XML cannot hold, nothing over 32,767
    characters; returns the set of text values."""
    found = cells(path)
    assert [c for c in found if c[2] == "f"] == [], path
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not FORMULA_ELEMENT.search(z.read(name)), (path, name)
    texts = {v for _s, _c, t, v in found if isinstance(v, str)}
    assert all(t == "s" for _s, _c, t, v in found if isinstance(v, str)), path
    assert not [v for v in texts if BAD_XML_TEXT.search(v)], path
    assert all(len(v) <= 32767 for v in texts), path
    return texts


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    """Every workbook bqw writes from the payload submissions (plus one with control characters)."""
    root = tmp_path_factory.mktemp("safety")
    inbox = root / "inbox"
    inbox.mkdir()
    sources = [payload_workbook(inbox, i, p) for i, p in enumerate(PAYLOADS)]
    control = bad_files.make_control_chars(inbox)
    merged = run_limited("merge", inbox, "-o", root / "out" / "合并.xlsx", "--archive", root / "bqw.db",
                         "--format", "json")
    assert_clean_exit(merged)
    annotated = run_limited("validate", inbox, "--annotate", root / "退回", "--format", "json")
    assert_clean_exit(annotated)
    summary = run_limited("summarise", inbox, "--period", "2026-10", "--as-of", "2026-10-31", "--format", "xlsx",
                          "-o", root / "out" / "统计.xlsx")
    assert_clean_exit(summary, (0, 1))
    return {"root": root, "sources": sources, "control": control, "merge": merged.json(),
            "validate": annotated.json()}


def test_every_workbook_is_free_of_formulas(produced):
    root = produced["root"]
    written = sorted((root / "out").glob("*.xlsx")) + sorted((root / "退回").glob("*.xlsx"))
    assert len(written) == 2 + len(PAYLOADS) + 1
    for path in written:
        assert_safe(path)


def test_merged_ledger_keeps_payloads_as_text(produced):
    root = produced["root"]
    files = produced["merge"]["files"]
    assert len(files) == len(PAYLOADS) + 1
    assert all(f["status"] == "accepted" and f["held"] >= 1 for f in files)
    texts = assert_safe(root / "out" / "合并.xlsx")
    wb = openpyxl.load_workbook(root / "out" / "合并.xlsx")
    assert wb.sheetnames == ["挂点调研台账", "待核实", "合并说明"]
    by_sheet = {ws.title: {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
                for ws in wb.worksheets}
    for p in PAYLOADS:
        assert clean_text(p) in by_sheet["挂点调研台账"], p  # 调研地点, 调研内容 … of the accepted row
    for i, p in enumerate(PAYLOADS):
        assert clean_name(p + LEADER_MARKS[i]) in by_sheet["挂点调研台账"], p  # 镇领导
        assert any(v.startswith(clean_text(p)) for v in by_sheet["待核实"]), p  # the held row
        shown = p.replace("/", "_").replace("\r", "_x000D_")  # openpyxl shows xlsxwriter's escape of CR
        assert any(shown in v for v in by_sheet["合并说明"]), p  # the file list
    assert clean_text(PAYLOADS[0]) in texts


def test_annotated_copies_keep_payloads_as_text(produced):
    root = produced["root"]
    for source in produced["sources"]:
        copy = root / "退回" / annotated_name(source)
        assert_safe(copy)
        original = openpyxl.load_workbook(source)
        annotated = openpyxl.load_workbook(copy)
        assert annotated.sheetnames == ["校验结果", *original.sheetnames]
        for ws in original.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str):
                        kept = annotated[ws.title][c.coordinate]
                        assert (kept.value, kept.data_type) == (c.value, "s"), (copy.name, c.coordinate)
        results = annotated["校验结果"]
        assert results["A1"].value.startswith("校验结果：") and results.max_row >= 4


def test_summary_names_payload_leaders_as_text(produced):
    texts = assert_safe(produced["root"] / "out" / "统计.xlsx")
    for i, p in enumerate(PAYLOADS):
        assert clean_name(p + LEADER_MARKS[i]) in texts, p


def test_control_characters_are_removed_and_reported_at_their_cell(produced):
    root = produced["root"]
    control = produced["control"]
    entry = next(f for f in produced["validate"]["files"] if Path(f["path"]).name == control.name)
    cells_found = sorted(f["cell"] for f in entry["findings"] if f["code"] == "text-control-chars")
    assert cells_found == ["E3", "F4", "H5"]
    wb = openpyxl.load_workbook(root / "out" / "合并.xlsx")
    held = {c.value for row in wb["待核实"].iter_rows() for c in row if isinstance(c.value, str)}
    assert "调研人居环境整治（\n）" in held  # CONTROL_TEXT, cleaned
    accepted = {c.value for row in wb["挂点调研台账"].iter_rows() for c in row if isinstance(c.value, str)}
    assert "协调解决问题" in accepted and "陈伟 13812345678" in accepted
    assert any("F4" in v and "控制字符" in v for v in accepted)  # the warning, in 校验提示
    copy = root / "退回" / annotated_name(control)
    ws = openpyxl.load_workbook(copy)["Sheet1"]
    assert ws["E3"].comment is not None and "控制字符" in ws["E3"].comment.text
    assert not BAD_XML_TEXT.search(ws["E3"].value)


@pytest.mark.parametrize("maker,cell", [("long_cell_xlsx", "E4"),
                                        pytest.param("long_cell_csv", "E3", marks=pytest.mark.slow)])
def test_long_text_is_whole_in_the_archive_and_cut_in_the_xlsx(tmp_path, maker, cell):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = bad_files.ALL[maker](inbox)
    ran = run_limited("merge", path, "-o", tmp_path / "out" / "合并.xlsx", "--archive", tmp_path / "bqw.db",
                      "--format", "json")
    assert_clean_exit(ran)
    (entry,) = ran.json()["files"]
    assert entry["status"] == "accepted" and entry["accepted"] == 1 and entry["held"] == 1
    db = sqlite3.connect(tmp_path / "bqw.db")
    contents = [json.loads(d).get("调研内容") or "" for (d,) in db.execute("SELECT data FROM records")]
    db.close()
    assert max(map(len, contents)) == bad_files.LONG_TEXT_LENGTH
    whole = max(contents, key=len)
    texts = assert_safe(tmp_path / "out" / "合并.xlsx")
    assert whole[:32767] in texts
    assert any(cell in v and "32767" in v and str(bad_files.LONG_TEXT_LENGTH) in v for v in texts)  # 校验提示
    annotated = run_limited("validate", path, "--annotate", tmp_path / "退回", "--format", "json")
    assert_clean_exit(annotated)
    (entry,) = annotated.json()["files"]
    assert ("text-too-long", cell) in [(f["code"], f["cell"]) for f in entry["findings"]]
    (copy,) = (tmp_path / "退回").iterdir()
    texts = assert_safe(copy)
    assert whole[:32767] in texts

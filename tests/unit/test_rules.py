"""Every rule of the contract, each found at its exact cell (docs/rules.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import VISITS_HEADER, visit_row

from bqw.core.findings import CATALOGUE, ERROR, INFO, WARNING
from bqw.ledgers import Context
from bqw.jobs.validate import validate, validate_file
from bqw import read_ledger


def found(result):
    return sorted((f.code, f.cell) for f in result.findings)


def check(path, kind=None, ctx=None):
    return validate(read_ledger(path, kind, period=ctx.period if ctx else None), ctx or Context())


# --- visits ------------------------------------------------------------------------------------

def test_visits_value_rules(xlsx):
    path = xlsx([VISITS_HEADER,
                 visit_row(1),
                 visit_row(2, when="10月35日"),  # C3 date-invalid
                 visit_row(3, count="-2"),  # F4 count-negative
                 visit_row(4, count="若干"),  # F5 count-invalid
                 visit_row(5, content=None),  # E6 required
                 visit_row(6, contact="李四 1381234567"),  # G7 phone-invalid (warning)
                 visit_row(7, when="10月9日-10月2日"),  # C8 date-range-invalid
                 ])
    r = check(path, "visits")
    assert found(r) == [("count-invalid", "F5"), ("count-negative", "F4"), ("date-invalid", "C3"),
                        ("date-range-invalid", "C8"), ("phone-invalid", "G7"), ("required", "E6")]
    assert {f.code: f.severity for f in r.findings}["phone-invalid"] == WARNING
    assert not r.valid


def test_date_without_year_when_nothing_gives_one(xlsx):
    r = check(xlsx([VISITS_HEADER, visit_row(when="10月5日")], name="台账.xlsx"), "visits")
    assert found(r) == [("date-no-year", "C2")]


def test_visit_outside_period_is_a_warning(xlsx):
    r = check(xlsx([VISITS_HEADER, visit_row(when="2026年9月30日"), visit_row(2)]), "visits",
              Context(period="2026-10"))
    assert found(r) == [("visit-outside-period", "C2")]
    assert r.valid  # warnings only


def test_visits_against_assignments_and_roster(xlsx):
    path = xlsx([VISITS_HEADER, visit_row(1, village="东坑"), visit_row(2, village="西岭村"),
                 visit_row(3, leader="张无忌")])
    ctx = Context(assignments={"洪文泽": ["东坑村", "新塘社区"]}, roster_names={"洪文泽", "李明"})
    r = check(path, "visits", ctx)
    assert found(r) == [("visit-unknown-leader", "B4"), ("visit-village-not-assigned", "D3")]
    msg = [f.message for f in r.findings if f.code == "visit-village-not-assigned"][0]
    assert "西岭村" in msg and "东坑村、新塘社区" in msg


# --- roster ------------------------------------------------------------------------------------

ROSTER_HEADER = ["序号", "姓名", "单位", "职务", "指挥部职务", "所属专班", "联系电话"]


def test_roster_rules(xlsx):
    rows = [ROSTER_HEADER,
            [1, "陈国华", "镇党委", "书记", "总指挥", None, "13800000001"],
            [2, "林志强", "镇政府", "镇长", "总指挥", None, "13800000002"],  # E3 second 总指挥
            [3, "黄丽", "党政办", "主任", "成员", "乡村振兴", "13800000003"],
            [4, "周敏", "党政办", "干事", "联络员", "乡村振兴", "13800000004"],
            [5, "吴强", "经发办", "主任", "成员", "镇域经济", "1380000"],  # G6 phone; 经发办 no 联络员
            [6, "黄丽", "党政办", "主任", "成员", "乡村振兴", "13800000003"],  # B7 duplicate person
            [7, "郑红", "镇党委", "干事", "联络员", "专班A", "13800000007"],  # F8 enum-invalid
            [8, "何伟", "镇政府", "干事", "联络员", None, "13800000008"],
            [9, "钱多", "镇政府", "干事", "联络员", None, "13800000009"]]  # E10 second 联络员
    r = check(xlsx(rows), "roster")
    assert found(r) == [("enum-invalid", "F8"), ("phone-column-invalid", "G6"), ("roster-chief-count", "E3"),
                        ("roster-duplicate-person", "B7"), ("roster-liaison-missing", "C6"),
                        ("roster-liaison-multiple", "E10")]


def test_roster_without_chief(xlsx):
    r = check(xlsx([ROSTER_HEADER, [1, "黄丽", "党政办", "主任", "联络员", None, "13800000003"]]), "roster")
    assert found(r) == [("roster-chief-count", None)]
    assert "实际为 0 名" in r.findings[0].message


# --- rectification -------------------------------------------------------------------------------

def _three_sheets(tmp_path, problems, respons, tasks):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in (("问题清单", problems), ("责任清单", respons), ("任务清单", tasks)):
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path = tmp_path / "lists.xlsx"
    wb.save(path)
    return path


TASK_HEADER = ["任务编号", "问题编号", "任务内容", "任务来源", "牵头单位", "完成时限", "完成状态", "完成时间"]


def test_rectification_rules(tmp_path):
    problems = [["问题编号", "问题描述", "发现时间"], ["WT-1", "垃圾", "2026年9月10日"], ["WT-2", "路灯", "2026年9月1日"],
                ["WT-2", "重复编号", None]]  # A4 duplicate-id
    respons = [["问题编号", "责任单位", "责任人"], ["WT-1", "农业农村办", "李强"], ["WT-9", "党政办", "赵刚"]]  # A3
    tasks = [TASK_HEADER,
             ["RW-1", "WT-1", "清理", "问题整改", "农业农村办", "2026-10-01", "已完成", None],  # H2 no date
             ["RW-2", "WT-1", "清理", "问题整改", "农业农村办", "2026-10-01", "已完成", "2026-09-01"],  # H3 < 发现
             ["RW-3", "WT-7", "修灯", "会议议定", "规划办", "2026-10-01", "推进中", None],  # B4 unknown
             ["RW-3", "WT-2", "修灯", "领导批示", "规划办", "2026-10-01", "搞定了", None],  # A5 dup, G5 enum
             ["RW-5", "WT-2", "修灯", "问题整改", "规划办", None, "未启动", "2026-10-05"]]  # F6 req, H6 warn
    r = check(_three_sheets(tmp_path, problems, respons, tasks), "tasks")
    by_sheet = sorted((f.sheet, f.code, f.cell) for f in r.findings)
    assert by_sheet == [
        ("任务清单", "duplicate-id", "A5"), ("任务清单", "enum-invalid", "G5"),
        ("任务清单", "required", "F6"), ("任务清单", "task-completed-before-found", "H3"),
        ("任务清单", "task-completed-no-date", "H2"), ("任务清单", "task-date-without-completion", "H6"),
        ("任务清单", "unknown-problem", "B4"),
        ("责任清单", "unknown-problem", "A3"),
        ("问题清单", "duplicate-id", "A4"),
    ]


def test_units_checked_against_roster(tmp_path):
    problems = [["问题编号", "问题描述"], ["WT-1", "垃圾"]]
    respons = [["问题编号", "责任单位", "责任人"], ["WT-1", "农业办", "李强"]]
    tasks = [TASK_HEADER, ["RW-1", "WT-1", "清理", "问题整改", "农业农村办", "2026-10-01", "推进中", None]]
    r = check(_three_sheets(tmp_path, problems, respons, tasks), "tasks",
              Context(roster_units={"农业农村办"}))
    assert sorted((f.sheet, f.code, f.cell) for f in r.findings) == [("责任清单", "unknown-unit", "B2")]


# --- scores --------------------------------------------------------------------------------------

def _scores_sheet(xlsx, villages):
    from bqw.ledgers.scores import GROUPS, items

    top, sub = ["序号", "村名"], ["序号", "村名"]
    merges, col = [], 3
    for group, points, maxima in GROUPS:
        top += [f"{group}（{points}分）"] + [None] * (len(maxima) - 1)
        merges.append((col, col + len(maxima) - 1))
        col += len(maxima)
    sub += [f"{n}（{m}分）" for n, _, m, _ in items()]
    top += ["总分"] + ["负面清单（有/无）"] + [None] * 7
    sub += ["总分"] + [f"负面{i}" for i in range(1, 9)]
    merges.append((col + 1, col + 8))
    from bqw.core.findings import col_letter

    refs = [f"{col_letter(a - 1)}1:{col_letter(b - 1)}1" for a, b in merges if b > a]
    refs += ["A1:A2", "B1:B2", f"{col_letter(col - 1)}1:{col_letter(col - 1)}2"]
    return xlsx([top, sub, *villages], merges=tuple(refs))


def _village(name, scores, total=None, negatives=("无",) * 8):
    return [1, name, *scores, sum(scores) if total is None else total, *negatives]


def test_scores_rules(xlsx):
    from bqw.ledgers.scores import items

    full = [m for _, _, m, _ in items()]
    over = list(full)
    over[5] = 8  # 指标6 max 7 -> H3 (column 3+5)
    half = list(full)
    half[0] = 2.3  # C4 not a half
    path = _scores_sheet(xlsx, [
        _village("东坑村", full),
        _village("新塘社区", over),
        _village("西岭村", half),
        _village("南山村", full, total=90),  # AB5 total mismatch (warning)
        _village("东坑村", full, negatives=("有",) + ("无",) * 7),  # B6 duplicate village
    ])
    r = check(path, "scores")
    assert found(r) == [("score-above-max", "H4"), ("score-duplicate-village", "B7"),
                        ("score-not-half", "C5"), ("score-total-mismatch", "AB6")]
    frame = r.tables[0].frame
    # scores are kept as written (the findings flag them); a negative-list mark reads as True
    assert frame.loc[3, "指标6"] == 7 and frame.loc[4, "指标6"] == 8
    assert frame["负面1"].tolist() == [False, False, False, False, True]


def test_scores_veto_and_totals(xlsx):
    from bqw.ledgers.scores import derive_scores, items

    full = [m for _, _, m, _ in items()]
    path = _scores_sheet(xlsx, [_village("东坑村", full), _village("南山村", [1] * 25, negatives=("✓",) + (None,) * 7)])
    frame = derive_scores(read_ledger(path, "scores").tables[0].frame)
    assert frame["总分"].tolist() == [100, 25]
    assert frame["一票否决"].tolist() == ["否", "是"]
    assert frame["人居环境小计"].tolist() == [16, 5]


# --- the catalogue ------------------------------------------------------------------------------

def test_every_rule_has_a_chinese_message_and_severity():
    for code, rule in CATALOGUE.items():
        assert rule.severity in (ERROR, WARNING, INFO)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.template), code


def test_validate_file_is_the_library_entry(xlsx):
    r = validate_file(xlsx([VISITS_HEADER, visit_row(count="x")]), "visits")
    assert [f.to_dict()["cell"] for f in r.findings] == ["F2"]
    assert r.findings[0].to_dict()["severity"] == "error"


@pytest.mark.parametrize("status,expected", [("已销号", "已完成"), ("进行中", "推进中"), ("未启动", "未启动")])
def test_status_synonyms(tmp_path, status, expected):
    problems = [["问题编号", "问题描述"], ["WT-1", "垃圾"]]
    respons = [["问题编号", "责任单位", "责任人"], ["WT-1", "农业农村办", "李强"]]
    tasks = [TASK_HEADER, ["RW-1", "WT-1", "清理", "问题整改", "农业农村办", "2026-10-01", status, "2026-10-01"]]
    r = read_ledger(_three_sheets(tmp_path, problems, respons, tasks), "tasks")
    assert r.table("tasks").frame["完成状态"].tolist() == [expected]


def test_identical_rows_flagged_not_removed(xlsx):
    same = dict(note="")
    r = check(xlsx([VISITS_HEADER, visit_row(1, **same), visit_row(2, **same), visit_row(3, **same),
                    visit_row(4, village="新塘社区", **same)]), "visits")
    assert found(r) == [("duplicate-row", "B3"), ("duplicate-row", "B4")]
    assert r.valid and r.rows == 4
    assert "第 2 行" in r.findings[0].message


def test_score_values_not_numbers(xlsx):
    from bqw.ledgers.scores import items

    full = [m for _, _, m, _ in items()]
    bad = list(full)
    bad[1] = "满分"  # D3 number-invalid
    neg = list(full)
    neg[2] = -1  # E4 number-negative
    path = _scores_sheet(xlsx, [_village("东坑村", full[:0] + bad, total=0), _village("南山村", neg, total=0,
                                                                                  negatives=("也许",) + ("无",) * 7)])
    r = check(path, "scores")
    codes = {(c, cell) for c, cell in found(r) if c != "score-total-mismatch"}
    assert codes == {("number-invalid", "D3"), ("number-negative", "E4"), ("yesno-invalid", "AC4")}


def test_blank_negative_item_is_a_warning_counted_as_none(xlsx):
    """Issue 17: a blank 负面清单 cell is said (“未填写，按‘无’计”), not silently 无 — once per village, naming
    each blank item; an explicit 无 is not said; a sheet that marks items with √ and leaves the rest blank is
    the “√/空” convention and says nothing."""
    from bqw.ledgers.scores import items
    from bqw.summary.scores import summarise_scores

    full = [m for _, _, m, _ in items()]
    path = _scores_sheet(xlsx, [_village("东坑村", full, negatives=("无", "无", None, "无", None, "无", "无", "无")),
                                _village("南山村", full)])
    r = check(path, "scores")
    blank = [f for f in r.findings if f.code == "score-negative-blank"]
    assert [(f.cell, f.severity) for f in blank] == [("AE3", "warning")]
    assert blank[0].message == ("负面清单第3、5项（违反耕地和永久基本农田、生态保护红线和城镇开发边界管控要求；"
                                "违规拆除已被确定为文物保护单位、文化遗产和历史建筑的农房等）未填写，按“无”计；请填“有”或“无”")
    data = summarise_scores(r.table("scores").frame).to_json()
    assert [v["veto"] for v in data["villages"]] == [False, False]  # counted as 无
    ticks = _scores_sheet(xlsx, [_village("东坑村", full, negatives=("√",) + (None,) * 7),
                                 _village("南山村", full, negatives=(None,) * 8)])
    r = check(ticks, "scores")
    assert not [f for f in r.findings if f.code == "score-negative-blank"]
    assert [v["veto"] for v in summarise_scores(r.table("scores").frame).to_json()["villages"]] == [False, True]


def test_control_characters_removed_with_warning(tmp_path):
    path = tmp_path / "c.csv"
    row = ["1", "洪文泽", "2026年10月5日", "东坑村", "调研\x07人居环境", "1", "", ""]
    path.write_text(",".join(VISITS_HEADER) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    r = check(path, "visits")
    assert found(r) == [("text-control-chars", "E2")]
    assert r.tables[0].frame.loc[2, "调研内容"] == "调研人居环境"


def test_text_longer_than_a_cell(tmp_path):
    p = tmp_path / "长.csv"
    row = ["1", "洪文泽", "2026年10月5日", "东坑村", "调" * 40000, "1", "", ""]
    p.write_text(",".join(VISITS_HEADER) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    r = check(p, "visits")
    assert found(r) == [("text-too-long", "E2")]
    assert len(r.tables[0].frame.loc[2, "调研内容"]) == 40000  # kept whole in the record


def test_file_level_codes(tmp_path, monkeypatch):
    from bqw.core.limits import Limits

    assert [f.code for f in read_ledger(tmp_path / "nope.xlsx").findings] == ["file-missing"]
    doc = tmp_path / "a.docx"
    doc.write_bytes(b"PK\x03\x04")
    assert [f.code for f in read_ledger(doc).findings] == ["file-unsupported"]
    csv = tmp_path / "bad.csv"
    csv.write_bytes(b"\xff\xfe\xff\xff\x80\x80" * 10)
    assert [f.code for f in read_ledger(csv).findings] == ["csv-encoding"]
    folder = tmp_path / "dir.xlsx"
    folder.mkdir()
    assert [f.code for f in read_ledger(folder).findings] == ["file-unreadable"]
    big = tmp_path / "big.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    for i in range(20):
        wb.active.append([i, "x"])
    wb.save(big)
    monkeypatch.setenv("BQW_MAX_ROWS", "10")
    (f,) = read_ledger(big, limits=Limits.from_env()).findings
    assert f.code == "sheet-too-long" and "Sheet" in f.message and "10" in f.message


def test_every_rule_code_is_exercised_by_a_test():
    import pathlib

    text = "".join(p.read_text(encoding="utf-8") for p in pathlib.Path(__file__).parents[1].rglob("test_*.py"))
    untested = [code for code in CATALOGUE if f'"{code}"' not in text]
    assert untested == []


def test_schema_batch_equals_one_by_one(xlsx):
    """merge runs pandera once over many files; the findings must be those of file-by-file runs."""
    from bqw.jobs.validate import schema_findings, schema_findings_batch

    tables = []
    for n, rows in enumerate([[visit_row(1, content=None), visit_row(2, count="-3")],
                              [visit_row(1), visit_row(2, village=None)],
                              [visit_row(1)]]):
        tables.append(read_ledger(xlsx([VISITS_HEADER, *rows], name=f"f{n}.xlsx")).tables[0])
    short = read_ledger(xlsx([VISITS_HEADER[:5], [1, "洪文泽", "2026年10月5日", None, None]], name="s.xlsx")).tables[0]
    tables.append(short)  # fewer columns: its own group, no blanks invented for missing columns
    batch = schema_findings_batch(tables)
    single = [schema_findings(t) for t in tables]
    assert [[f.as_tuple() for f in fs] for fs in batch] == [[f.as_tuple() for f in fs] for fs in single]
    assert [f.as_tuple() for f in batch[0]] == [("required", "Sheet1", "E2")]
    assert [f.as_tuple() for f in batch[1]] == [("required", "Sheet1", "D3")]
    assert sorted(f.as_tuple() for f in batch[3]) == [("required", "Sheet1", "D2"), ("required", "Sheet1", "E2")]


def test_same_name_in_two_units_is_a_warning_naming_both_cells(tmp_path):
    """Issue 13, class 9: through the CLI, a warning at the later 姓名 cell naming both listings;
    never an error (two people may share a name), so the roster still passes."""
    import json

    from conftest import run_bqw, write_xlsx

    rows = [ROSTER_HEADER,
            [1, "陈国华", "镇党委", "书记", "总指挥", None, "13800000001"],
            [2, "周敏", "镇党委", "干事", "联络员", None, "13800000002"],
            [3, "张伟", "党政办", "主任", "成员", "乡村振兴", "13800000003"],  # B4
            [4, "黄丽", "党政办", "干事", "联络员", None, "13800000004"],
            [5, "张伟", "农业农村办", "副主任", "成员", "乡村振兴", "13800000005"],  # B6: second unit
            [6, "吴强", "农业农村办", "干事", "联络员", None, "13800000006"],
            [7, "张伟", "经发办", "主任", "成员", "镇域经济", "13800000007"],  # B8: third unit
            [8, "黄丽华", "经发办", "干事", "联络员", None, "13800000008"]]
    path = write_xlsx(tmp_path / "指挥部成员名单.xlsx", rows)
    proc = run_bqw("validate", path, "--kind", "roster", "--format", "json", check_code=0)
    (entry,) = json.loads(proc.stdout)["files"]
    found = [(f["code"], f["severity"], f["cell"], f["message"]) for f in entry["findings"]]
    assert found == [
        ("roster-name-in-two-units", "warning", "B6", "“张伟”同时列在“党政办”（B4）和“农业农村办”（B6），请核对是否为同一人"),
        ("roster-name-in-two-units", "warning", "B8", "“张伟”同时列在“党政办”（B4）和“经发办”（B8），请核对是否为同一人"),
    ]
    assert CATALOGUE["roster-name-in-two-units"].severity == WARNING


def test_a_column_of_errors_is_listed_to_a_limit_and_its_table_held_back(tmp_path):
    """An error in every cell of a column (a shifted column, the wrong template): 200 listed one by one,
    the rest said once (too-many-errors), and every row of the table held back in a merge."""
    import csv

    from bqw.store.archive import Archive
    from bqw.core.findings import MAX_SAME
    from bqw.jobs.merge import merge

    n = MAX_SAME + 150
    path = tmp_path / "附件3：挂点调研台账（10月）-洪文泽.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "镇领导", "调研时间", "调研地点", "调研内容", "推动解决问题数量", "联系人及联系方式"])
        for i in range(1, n + 1):
            w.writerow([i, "洪文泽", "2026年10月5日", "东坑村", f"调研{i}", f"很多{i}", f"陈伟 138123{i:04d}"])
    r = validate_file(path)
    codes = [f.code for f in r.findings]
    assert codes.count("count-invalid") == MAX_SAME and codes.count("phone-invalid") == MAX_SAME
    (errors,) = [f for f in r.findings if f.code == "too-many-errors"]
    (warnings,) = [f for f in r.findings if f.code == "too-many-warnings"]
    assert errors.severity == "error" and errors.column == "推动解决问题数量" and errors.cell is None
    assert f"共有 {n} 处“数量无法识别”" in errors.message and f"前 {MAX_SAME} 处" in errors.message
    assert warnings.severity == "warning" and f"共有 {n} 处“电话号码有误”" in warnings.message
    with Archive(":memory:") as store:
        result = merge([path], archive=store, as_of=dt.date(2026, 10, 31), workers=1)
    assert result.merged_rows == 0 and result.held_rows == n  # none accepted, though only 200 were marked

"""Header wordings (the specs' aliases): each names one column of its kind, none swallows another's,
the samples read exactly as before the wordings of issue 13 were added, and every wording is read
in a real file as its column of its kind."""

from __future__ import annotations

import csv
import re

import pytest
from conftest import SAMPLES, write_xlsx

from bqw.core.findings import col_letter
from bqw.io.header import MIN_FUZZY
from bqw.io.reader import read_ledger
from bqw.core.values import normalise_header
from bqw.ledgers import KINDS, RECTIFICATION, get_spec


def wordings(kind: str) -> list[tuple[str, str]]:
    """(normalised wording, canonical column) of every column a header of `kind` may name: the spec's
    columns and the derived columns a sheet may carry itself (a submitted 调研天数)."""
    spec = get_spec(kind)
    out = [(normalise_header(w), c.name) for c in spec.columns for w in c.all_names]
    for d in spec.derived:
        out += [(normalise_header(w), d.name) for w in (d.name, *getattr(d, "aliases", ()))]
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_a_wording_names_one_column_of_its_kind(kind):
    columns: dict[str, set[str]] = {}
    for word, column in wordings(kind):
        columns.setdefault(word, set()).add(column)
    assert {w: c for w, c in columns.items() if len(c) > 1} == {}


def test_a_wording_means_the_same_column_in_every_rectification_list():
    # one combined 整改台账 sheet is read by all three lists at once: a wording that meant 问题来源 to
    # the problem list and 任务来源 to the task list would read one cell into two different columns
    columns: dict[str, set[str]] = {}
    for kind in RECTIFICATION:
        for word, column in wordings(kind):
            columns.setdefault(word, set()).add(column)
    assert {w: c for w, c in columns.items() if len(c) > 1} == {}


# Overlaps accepted on purpose, by (kind, column of the shorter wording, column of the longer one).
# Each longer wording is listed itself, and a label holding it is matched by it, longest first.
ACCEPTED = {
    # the deadline's wordings say 计划/预计/要求 + 完成时间 (or 完成日期); the finishing date keeps its own name
    ("tasks", "完成时间", "完成时限"),
    # “负面清单第1项” is the 负面清单 parent joined to its sub-label “第1项”, the score items' own wording
    ("scores", "指标#", "负面#"),
}


def _swallows(short: str, long: str) -> bool:
    """True when a label reading `long` would also hold `short` the way the header matcher looks for it
    (inside, label at most 2×len+4 long), other than as part of a longer number (“指标1” in “指标10”)."""
    if len(short) < MIN_FUZZY or short == long or len(long) > 2 * len(short) + 4:
        return False
    for m in re.finditer(re.escape(short), long):
        before, after = long[m.start() - 1:m.start()], long[m.end():m.end() + 1]
        if not ((short[:1].isdigit() and before.isdigit()) or (short[-1:].isdigit() and after.isdigit())):
            return True
    return False


def _mask(name: str) -> str:
    return re.sub(r"\d+", "#", name)


@pytest.mark.parametrize("kind", KINDS)
def test_no_wording_swallows_another_columns_wording(kind):
    # a short wording of one column inside a wording of another column would take that column's
    # unlisted variants (a new alias “完成时间” of the deadline would read “实际完成时间” as a deadline)
    found = set()
    for short, a in wordings(kind):
        for long, b in wordings(kind):
            if a != b and _swallows(short, long):
                found.add((kind, _mask(a), _mask(b), short, long))
    unexpected = sorted(x for x in found if x[:3] not in ACCEPTED)
    assert unexpected == []
    # every accepted overlap still exists: none is kept here after the wordings that needed it are gone
    assert {x[:3] for x in found} == {x for x in ACCEPTED if x[0] == kind}


# What each sample read as, recorded once from the samples with the code before the wordings of issue
# 13 were added (canonical columns only: the extra columns a sheet carries are not header wordings).
BEFORE = {
    "2026-10/附件3：平安镇领导挂点调研台账(10月)-张国华.csv": [
        ("visits", "附件3：平安镇领导挂点调研台账(10月)-张国华",
         "序号=A 镇领导=B 调研地点=C 调研时间=D 调研内容=E 推动解决问题数量=F 调研成效=G 联系人及联系方式=H 备注=I")],
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-刘晓燕.xlsx": [
        ("visits", "Sheet1",
         "序号=A 镇领导=B 调研时间=C 调研地点=D 调研内容=E 调研成效=F 推动解决问题数量=G 联系人及联系方式=H 备注=I")],
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-李明(1).xlsx": [
        ("visits", "调研台账",
         "序号=A 镇领导=B 调研地点=C 调研时间=D 调研内容=E 调研成效=F 推动解决问题数量=G 联系人及联系方式=H 备注=I")],
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-李明.xlsx": [
        ("visits", "调研台账",
         "序号=A 镇领导=B 调研地点=C 调研时间=D 调研内容=E 调研成效=F 推动解决问题数量=G 联系人及联系方式=H 备注=I")],
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-林海峰.xlsx": [
        ("visits", "10月",
         "序号=A 调研时间=B 镇领导=C 调研地点=D 调研内容=E 调研成效=F 推动解决问题数量=G 联系人及联系方式=H 备注=I")],
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx": [
        ("visits", "Sheet1",
         "序号=A 镇领导=B 调研时间=C 调研地点=D 调研内容=E 推动解决问题数量=F 调研成效=G 联系人及联系方式=H 备注=I")],
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-洪文泽（更正）.xlsx": [
        ("visits", "Sheet1",
         "序号=A 镇领导=B 调研时间=C 调研地点=D 调研内容=E 推动解决问题数量=F 调研成效=G 联系人及联系方式=H 备注=I")],
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-陈志强.xls": [
        ("visits", "Sheet1",
         "序号=A 镇领导=B 调研时间=C 调研地点=D 调研内容=E 调研成效=F 推动解决问题数量=G 联系人及联系方式=H 备注=I")],
    "2026-10/附件3：平安镇领导挂点调研台账（10月）-黄丽娟.csv": [
        ("visits", "附件3：平安镇领导挂点调研台账（10月）-黄丽娟",
         "序号=A 调研时间=B 镇领导=C 调研地点=D 调研内容=E 调研成效=F 推动解决问题数量=G 联系人及联系方式=H 备注=I")],
    "assignments/平安镇领导挂点联系村安排表.xlsx": [
        ("assignments", "Sheet1", "序号=A 镇领导=B 联系行政村=D 协助部门=E")],
    # added with issue 17 (recorded as first read, not from before issue 13)
    "decisions/平安镇“百千万工程”会议议定事项落实台账（2026年10月）.xlsx": [
        ("decisions", "议定事项",
         "序号=A 会议名称=B 会议时间=C 议定事项=D 牵头领导=E 责任单位=F 完成时限=G 落实计划报送日期=H 进展情况=I "
         "完成状态=J 备注=K")],
    "errors/2026年典型村评价得分表（错误示例）.xlsx": [
        ("scores", "评价得分",
         "序号=A 村名=B 指标1=C 指标2=D 指标3=E 指标4=F 指标5=G 指标6=H 指标7=I 指标8=J 指标9=K 指标10=L 指标11=M "
         "指标12=N 指标13=O 指标14=P 指标15=Q 指标16=R 指标17=S 指标18=T 指标19=U 指标20=V 指标21=W 指标22=X "
         "指标23=Y 指标24=Z 指标25=AA 总分=AB 负面1=AC 负面2=AD 负面3=AE 负面4=AF 负面5=AG 负面6=AH 负面7=AI "
         "负面8=AJ")],
    "errors/平安镇百千万工程指挥部成员名单（错误示例）.xlsx": [
        ("roster", "成员名单", "序号=A 姓名=B 单位=C 职务=D 指挥部职务=E 所属专班=F 联系电话=G 备注=H")],
    "errors/平安镇问题整改台账（三清单）（错误示例）.xlsx": [
        ("problems", "问题清单", "序号=A 问题编号=B 问题描述=C 问题来源=D 发现时间=E 涉及村（社区）=F"),
        ("responsibilities", "责任清单", "序号=A 问题编号=B 责任单位=C 责任领导=D 责任人=E"),
        ("tasks", "任务清单",
         "序号=A 任务编号=B 问题编号=C 任务内容=D 任务来源=E 牵头单位=F 配合单位=G 完成时限=H 进展情况=I 完成状态=J 完成时间=K")],
    "errors/附件3：平安镇领导挂点调研台账（10月）-张国华（错误示例）.xlsx": [
        ("visits", "Sheet1",
         "序号=A 镇领导=B 调研时间=C 调研地点=D 调研内容=E 推动解决问题数量=F 调研成效=G 联系人及联系方式=H 备注=I")],
    "errors/附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx": [
        ("visits", "Sheet1",
         "序号=A 镇领导=B 调研时间=C 调研地点=D 调研内容=E 调研成效=F 推动解决问题数量=G 联系人及联系方式=H 备注=I")],
    "rectification/平安镇问题整改台账（三清单）.xlsx": [
        ("problems", "问题清单", "序号=A 问题编号=B 问题描述=C 问题来源=D 发现时间=E 涉及村（社区）=F"),
        ("responsibilities", "责任清单", "序号=A 问题编号=B 责任单位=C 责任领导=D 责任人=E"),
        ("tasks", "任务清单",
         "序号=A 任务编号=B 问题编号=C 任务内容=D 任务来源=E 牵头单位=F 配合单位=G 完成时限=H 进展情况=I 完成状态=J 完成时间=K")],
    "rectification/平安镇问题整改台账（合并）.xlsx": [
        ("problems", "整改台账", "序号=A 问题编号=B 问题描述=C 问题来源=D 发现时间=E 涉及村（社区）=F"),
        ("responsibilities", "整改台账", "序号=A 问题编号=B 责任单位=G 责任领导=H 责任人=I"),
        ("tasks", "整改台账",
         "序号=A 问题编号=B 任务编号=J 任务内容=K 任务来源=L 牵头单位=M 配合单位=N 完成时限=O 进展情况=P 完成状态=Q 完成时间=R")],
    "roster/平安镇百千万工程指挥部成员名单.xlsx": [
        ("roster", "成员名单", "序号=A 姓名=B 单位=C 职务=D 指挥部职务=E 所属专班=F 联系电话=G 备注=H")],
    "scores/2026年典型村评价得分表.xlsx": [
        ("scores", "评价得分",
         "序号=A 村名=B 指标1=C 指标2=D 指标3=E 指标4=F 指标5=G 指标6=H 指标7=I 指标8=J 指标9=K 指标10=L 指标11=M "
         "指标12=N 指标13=O 指标14=P 指标15=Q 指标16=R 指标17=S 指标18=T 指标19=U 指标20=V 指标21=W 指标22=X "
         "指标23=Y 指标24=Z 指标25=AA 总分=AB 负面1=AC 负面2=AD 负面3=AE 负面4=AF 负面5=AG 负面6=AH 负面7=AI "
         "负面8=AJ")],
}


def _ledgers():
    # samples/官方模板 came after the recording (no code before issue 13 read it); tests/test_samples.py
    # checks each of its files against its own truth (官方模板/EXPECTED.json)
    return sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".xlsx", ".xls", ".csv") and not p.name.startswith("~$")
                  and "官方模板" not in p.relative_to(SAMPLES).parts)


def test_every_sample_is_recorded():
    assert sorted(p.relative_to(SAMPLES).as_posix() for p in _ledgers()) == sorted(BEFORE)


@pytest.mark.parametrize("name", sorted(BEFORE), ids=lambda n: n[-20:])
def test_sample_reads_as_before(name):
    result = read_ledger(SAMPLES / name)
    read = []
    for t in result.tables:
        names = get_spec(t.kind).names
        ordered = sorted((c for c in t.letters if c in names), key=lambda c: (len(t.letters[c]), t.letters[c]))
        read.append((t.kind, t.sheet, " ".join(f"{c}={t.letters[c]}" for c in ordered)))
    assert read == BEFORE[name]


# A header of each kind written only in wordings added for issue 13, one per column, as a clerk types them.
NEW_HEADERS = {
    "visits": [("走访领导", "洪文泽"), ("走访日期", "2026年10月9日"), ("走访村", "东坑村"), ("走访内容", "调研人居环境"),
               ("工作成效", "推动清理垃圾"), ("协调解决问题数", 2), ("村联系人及电话", "陈伟 13812345678"),
               ("备注说明", "持续跟进")],
    "assignments": [("挂钩领导", "洪文泽"), ("挂钩联系村", "东坑村、新塘社区"), ("协同部门", "党政办")],
    "roster": [("干部姓名", "陈国华"), ("成员单位", "党政办"), ("本单位职务", "主任"), ("指挥部岗位", "总指挥"),
               ("参加专班", "乡村振兴"), ("联系手机", "13812345678"), ("附注", "")],
    "problems": [("问题编码", "WT-001"), ("存在的问题", "村道两侧垃圾堆放"), ("来源渠道", "督导检查"),
                 ("交办日期", "2026年9月10日"), ("涉及行政村", "东坑村")],
    "responsibilities": [("问题编码", "WT-001"), ("主责部门", "农业农村办"), ("分管镇领导", "洪文泽"),
                         ("直接责任人", "李强")],
    "tasks": [("督办编号", "RW-001"), ("关联问题编号", "WT-001"), ("督办事项", "清理垃圾"), ("任务类型", "问题整改"),
              ("主办部门", "农业农村办"), ("协办部门", "各村委会"), ("办结期限", "2026年11月30日"),
              ("目前进展", "已清理"), ("办结情况", "推进中"), ("实际完成日期", "")],
    "scores": [("参评村", "东坑村"), ("考核年度", 2026),
               *((f"二级指标{n}", get_spec("scores").column(f"指标{n}").maximum) for n in range(1, 26)),
               ("综合得分", 100)],
    "decisions": [("会议纪要名称", "镇党委第12次会议"), ("开会时间", "2026年10月9日"), ("议定内容", "推进村道硬化"),
                  ("分管领导", "洪文泽"), ("承办单位", "规划建设办"), ("办结时限", "2026年11月30日"),
                  ("计划报送时间", "2026年10月10日"), ("落实进展", "已开工"), ("办理状态", "推进中"), ("附注", "")],
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_header_of_new_wordings_reads_as_its_kind(tmp_path, kind):
    spec = get_spec(kind)
    header = [label for label, _ in NEW_HEADERS[kind]]
    columns = {}
    for label in header:  # each is a wording of exactly one column of the kind, not its canonical name
        owners = [c.name for c in spec.columns if label in c.aliases]
        assert len(owners) == 1, label
        columns[owners[0]] = col_letter(len(columns))
    path = write_xlsx(tmp_path / f"{kind}.xlsx", [["填报单位：平安镇党政办"], header,
                                                  [value for _, value in NEW_HEADERS[kind]]])
    result = read_ledger(path)
    assert [t.kind for t in result.tables] == [kind]
    table = result.tables[0]
    assert {c: table.letters[c] for c in spec.names if c in table.letters} == columns
    assert table.header_rows == (2,) and table.row_numbers == [3]


@pytest.mark.parametrize("kind", KINDS)
def test_every_wording_reads_as_its_column(tmp_path, kind):
    # header j gives each column its j-th wording (wrapping round its list): together the headers use
    # every wording of the kind, each among wordings of the other columns, in a CSV file as offices export
    spec = get_spec(kind)
    rounds = max(len(c.aliases) for c in spec.columns)
    expected = {c.name: col_letter(i) for i, c in enumerate(spec.columns)}
    wrong = []
    for j in range(rounds):
        header = [c.aliases[j % len(c.aliases)] if c.aliases else c.name for c in spec.columns]
        path = tmp_path / f"{kind}-{j}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([header, ["" if c.example is None else c.example for c in spec.columns]])
        result = read_ledger(path)
        table = result.table(kind)
        read = {c: table.letters[c] for c in expected if c in table.letters} if table else None
        if read != expected:
            wrong.append((header, result.kind, read))
    assert wrong == []

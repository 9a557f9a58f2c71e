"""通报 and 简报 (bqw.documents): structure, fonts, page setup, tables, 版记, numbering, and that
every number in a document is the summary's number for the same data."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import ROOT, SAMPLES, run_bqw

from bqw.jobs.config import Config
from bqw.documents import figures as F
from bqw.documents import gongwen as G
from bqw.documents import jianbao as J
from bqw.documents import meetings as M
from bqw.documents import numbering as N
from bqw.documents import ooxml as X
from bqw.documents import styles as S
from bqw.documents import tongbao as T
from bqw.documents.common import pct, rate_text
from bqw.documents.source import Source
from bqw.jobs.documents import gather

AS_OF = date(2026, 10, 31)
DAY = date(2026, 11, 3)
TWIPS_A4 = (11906, 16838)
MARGINS = {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}


# --- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A workspace built from the samples as in docs/documents.md: init, assignments, merge."""
    ws = tmp_path_factory.mktemp("ws") / "平安镇"
    run_bqw("init", ws, "--town", "平安镇", "--year", "2026", check_code=0)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), ws / "名单" / "镇领导挂点联系村安排表.xlsx")
    run_bqw("-w", ws, "merge", SAMPLES / "2026-10", SAMPLES / "rectification", "-o", ws / "out" / "x.xlsx",
            "--as-of", "2026-10-31", "--quiet")
    assert (ws / "bqw.db").exists()
    return ws


@pytest.fixture(scope="module")
def cfg(workspace):
    from bqw.jobs.config import load, resolve

    c = resolve(load(workspace))
    c.tongbao = {**c.tongbao, "cc": ["镇委办", "镇政府办"], "contact": "联系人：陈伟，电话：0760-12345678"}
    c.jianbao = {**c.jianbao, "bao": ["县“百千万工程”指挥部办公室"], "song": ["镇领导班子成员"], "copies": 25}
    return c


@pytest.fixture(scope="module")
def src(cfg):
    from bqw.store.archive import Archive

    with Archive(cfg.archive) as store:
        return gather(cfg, store, period="2026-10", as_of=AS_OF)


@pytest.fixture(scope="module")
def docs(src, cfg, tmp_path_factory):
    """Each document built from the samples, saved and opened again."""
    out = tmp_path_factory.mktemp("docs")
    built = {
        "进展": T.progress(cfg, src, number=3, day=DAY),
        "问题": T.problem(cfg, src, "农业农村办", number=4, day=DAY),
        "议定": M.decisions(cfg, src, number=5, day=DAY),
        "简报": J.build(cfg, src, number=2, day=DAY, notes=J.parse_notes(NOTES)),
    }
    opened = {}
    for name, w in built.items():
        path = w.save(out / f"{name}.docx")
        opened[name] = Document(str(path))
    return opened


NOTES = """# 平安镇扎实推进挂点联系工作

## 编者按
编者按的文字。

开头的第二段。

## 工作动态
镇党委召开专题会议部署四季度工作。

### 典型村创建
东坑村完成村容村貌整治。

## 存在问题
个别单位台账填报不规范。

## 经验做法
建立周调度机制。

## 下步工作
1. 紧盯逾期事项。
2. 开展回头看。
"""


# --- helpers -------------------------------------------------------------------------------------

def body_paragraphs(doc):
    return list(doc.paragraphs)


def style_of(p) -> str:
    return p.style.name if p.style is not None else ""


def fonts_of(run) -> dict:
    rpr = run._r.find(qn("w:rPr"))
    rf = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return {} if rf is None else {k.split("}")[1]: v for k, v in rf.attrib.items()}


def all_runs(doc):
    """Runs with text in the body, the tables and the footers."""
    for r in doc.element.body.iter(qn("w:r")):
        if r.find(qn("w:t")) is not None:
            yield r
    for s in doc.sections:
        for f in (s.footer, s.even_page_footer):
            for r in f._element.iter(qn("w:r")):
                yield r


def text_of(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def table_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def index_of(doc, predicate) -> int:
    for i, p in enumerate(doc.paragraphs):
        if predicate(p):
            return i
    raise AssertionError("paragraph not found")


def framed(p) -> bool:
    ppr = p._p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:framePr")) is not None


def flat_numbers(obj) -> set:
    """Every number anywhere in a JSON document."""
    out = set()
    if isinstance(obj, bool):
        return out
    if isinstance(obj, (int, float)):
        out.add(obj)
    elif isinstance(obj, dict):
        for v in obj.values():
            out |= flat_numbers(v)
    elif isinstance(obj, list):
        for v in obj:
            out |= flat_numbers(v)
    return out


NON_COUNTS = [
    r"“[^”]*”", r"目前进展：[^。]*。",  # quoted task contents and progress texts of the ledgers
    r"[A-Z]{1,4}\d{2,}(?:-\d+)*",  # task and problem ids
    r"〔\d{4}〕\d+号",  # 发文字号
    r"\d{4}年\d{1,2}月\d{1,2}日", r"\d{4}年\d{1,2}月", r"\d{4}年", r"\d{1,2}月\d{1,2}日", r"\d{1,2}月",
    r"\d{4}[.-]\d{2}[.-]\d{2}", r"\d+(?:\.\d+)?%",  # dates and percentages (checked on their own)
    r"0760-\d+",  # the 附注's phone
    r"（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|(?<![\d.])\d{1,2}\.(?!\d)",  # heading numbers
    r"第\d+期",
]


def counts_in(text: str) -> list[int]:
    for pattern in NON_COUNTS:
        text = re.sub(pattern, " ", text)
    return [int(x) for x in re.findall(r"\d+(?:\.\d+)?", text) if "." not in x]


# --- page setup, styles, fonts --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["进展", "问题", "议定", "简报"])
def test_page_setup_a4_margins_grid(docs, name):
    sect = docs[name].sections[0]._sectPr
    pgsz, pgmar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    assert (int(pgsz.get(qn("w:w"))), int(pgsz.get(qn("w:h")))) == TWIPS_A4
    for side, twips in MARGINS.items():
        assert abs(int(pgmar.get(qn(f"w:{side}"))) - twips) <= 1, side
    grid = sect.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579" and grid.get(qn("w:type")) is None


@pytest.mark.parametrize("name", ["进展", "简报"])
def test_normal_style_line_pitch_and_condensation(docs, name):
    doc = docs[name]
    normal = doc.styles["Normal"].element
    sp = normal.find(qn("w:pPr")).find(qn("w:spacing"))
    assert (sp.get(qn("w:line")), sp.get(qn("w:lineRule"))) == ("579", "exact")  # 28.95 pt exact
    assert normal.find(qn("w:pPr")).find(qn("w:widowControl")).get(qn("w:val")) in ("0", "false")
    rpr = normal.find(qn("w:rPr"))
    assert rpr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == X.FS
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rf = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert not [a for a in rf.attrib if "Theme" in a or "theme" in a]
    assert defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize("name", ["进展", "问题", "议定", "简报"])
def test_every_run_names_its_east_asian_font(docs, name):
    doc = docs[name]
    runs = list(all_runs(doc))
    assert runs
    for r in runs:
        f = {k.split("}")[1]: v for k, v in r.find(qn("w:rPr")).find(qn("w:rFonts")).attrib.items()}
        assert f.get("eastAsia"), r.xml[:200]
        assert not [k for k in f if "Theme" in k or k == "cstheme"]
    used = {p.style.name for p in doc.paragraphs} | {p.style.name for t in doc.tables for row in t.rows
                                                      for c in row.cells for p in c.paragraphs}
    for name_ in used:
        rf = doc.styles[name_].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if rf is not None:
            assert not [a for a in rf.attrib if "heme" in a], name_


def test_fonts_and_sizes_by_role(docs, cfg):
    doc = docs["进展"]
    ps = doc.paragraphs
    mark = ps[0]
    assert style_of(mark) == "公文-发文机关标志" and mark.text == cfg.tongbao["issuer"]
    r = mark.runs[0]
    assert fonts_of(r)["eastAsia"] == X.XBS and r.font.size.pt == 42 and str(r.font.color.rgb) == "FF0000"
    scale = r._r.find(qn("w:rPr")).find(qn("w:w"))
    assert scale is not None and int(scale.get(qn("w:val"))) < 100  # narrowed to fit 156 mm
    docno = next(p for p in ps if style_of(p) == "公文-发文字号")
    assert re.fullmatch(re.escape(cfg.doc_prefix) + r"〔2026〕3号", docno.text)
    bottom = doc.styles["公文-发文字号"].element.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"  # the red rule
    title = next(p for p in ps if style_of(p) == "公文-标题")
    assert title.text.replace("\n", "").startswith("关于平安镇2026年10月“百千万工程”") and title.text.endswith("通报")
    assert all(fonts_of(x)["eastAsia"] == X.XBS and x.font.size.pt == 22 for x in title.runs if x.text)
    h1 = [p for p in ps if style_of(p) == "公文-一级标题"]
    assert [p.text for p in h1] == ["一、总体情况", "二、存在问题", "三、下步工作要求"]
    assert all(fonts_of(p.runs[0])["eastAsia"] == X.HT for p in h1)
    h2 = [p for p in ps if p.text.startswith("（一）")]
    assert h2 and fonts_of(h2[0].runs[0])["eastAsia"] == X.KT and fonts_of(h2[0].runs[1])["eastAsia"] == X.FS
    h3 = [p for p in ps if re.match(r"\d\.", p.text) and style_of(p) == "公文-正文"]
    assert h3 and h3[0].runs[0].font.bold and fonts_of(h3[0].runs[0])["eastAsia"] == X.FS
    body = doc.styles["公文-正文"].element.find(qn("w:pPr")).find(qn("w:ind"))
    assert body.get(qn("w:firstLineChars")) == "200" and body.get(qn("w:firstLine")) == "640"
    assert all(r.font.size.pt == 16 for p in ps if style_of(p) == "公文-正文" for r in p.runs if r.text)


def test_progress_structure_and_order(docs, cfg):
    doc = docs["进展"]
    ps = doc.paragraphs
    order = [
        index_of(doc, lambda p: style_of(p) == "公文-发文机关标志"),
        index_of(doc, lambda p: style_of(p) == "公文-发文字号"),
        index_of(doc, lambda p: style_of(p) == "公文-标题"),
        index_of(doc, lambda p: style_of(p) == "公文-主送机关"),
        index_of(doc, lambda p: p.text == "一、总体情况"),
        index_of(doc, lambda p: p.text == "二、存在问题"),
        index_of(doc, lambda p: p.text == "三、下步工作要求"),
        index_of(doc, lambda p: p.text.startswith("附件：1.")),
        index_of(doc, lambda p: style_of(p) == "公文-署名" and p.text == cfg.unit),
        index_of(doc, lambda p: style_of(p) == "公文-署名" and p.text == "2026年11月3日"),
        index_of(doc, lambda p: p.text.startswith("（联系人")),
        index_of(doc, lambda p: p.text == "附件1"),
        index_of(doc, lambda p: p.text == "附件2"),
        index_of(doc, lambda p: p.text == "附件3"),
        index_of(doc, framed),
    ]
    assert order == sorted(order)
    assert ps[order[3]].text == "，".join(cfg.tongbao["to"]) + "："
    # 2 empty lines between the red rule and the title, one between the title and 主送
    assert [p.text for p in ps[order[1] + 1:order[2]]] == ["", ""]
    assert ps[order[2] + 1].text == ""
    for label in ("附件1", "附件2", "附件3"):
        p = next(p for p in ps if p.text == label)
        assert p.paragraph_format.page_break_before and fonts_of(p.runs[0])["eastAsia"] == X.HT
    # attachment titles, in the note and on the pages
    notes = [p.text for p in ps[order[7]:order[8]] if p.text]
    titles = [p.text.replace("\n", "") for p in ps if style_of(p) == "公文-附件标题"]
    assert [re.sub(r"^(附件：)?\d\.", "", n) for n in notes] == titles
    # 版记 is last: everything after the first framed paragraph is framed, except the tiny tail
    first = order[-1]
    assert all(framed(p) for p in ps[first:-1]) and not framed(ps[-1])


def test_signature_layout(docs, cfg):
    ps = docs["进展"].paragraphs
    name = next(p for p in ps if style_of(p) == "公文-署名" and p.text == cfg.unit)
    day = next(p for p in ps if style_of(p) == "公文-署名" and p.text == "2026年11月3日")
    ind = day._p.find(qn("w:pPr")).find(qn("w:ind"))
    assert ind.get(qn("w:rightChars")) == "400"  # 日期 right indent 4 characters
    assert name.paragraph_format.keep_with_next
    assert re.fullmatch(r"\d{4}年[1-9]\d?月[1-9]\d?日", day.text)


def test_page_number_footers(docs):
    doc = docs["进展"]
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    s = doc.sections[0]
    assert not s.different_first_page_header_footer
    for footer, align, side in ((s.footer, "right", "right"), (s.even_page_footer, "left", "left")):
        p = footer.paragraphs[0]
        assert footer._element.xpath(".//w:instrText")[0].text.strip() == "PAGE"
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p.alignment.name.lower() == align.upper().lower()
        ind = p._p.find(qn("w:pPr")).find(qn("w:ind"))
        assert ind.get(qn(f"w:{side}Chars")) == "100"  # 1 character in from the edge
        assert all(fonts_of(r).get("eastAsia") == X.ST and r.font.size.pt == 14 for r in p.runs)


@pytest.mark.parametrize("name", ["进展", "问题", "议定"])
def test_tables_repeat_header_and_rows_do_not_split(docs, name):
    doc = docs[name]
    assert doc.tables
    for t in doc.tables:
        rows = t.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        grid = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(grid) - 8845) <= len(grid)  # 156 mm
        for row in rows:
            widths = [int(c._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for c in row.cells]
            assert widths == grid  # written twice: gridCol and tcW
        head = rows[0].cells[0].paragraphs[0].runs[0]
        assert fonts_of(head)["eastAsia"] == X.HT and head.font.size.pt == 12
        cell = rows[1].cells[2].paragraphs[0].runs[0]
        assert fonts_of(cell)["eastAsia"] == X.FS


def test_record_from_config(docs, cfg):
    ps = docs["进展"].paragraphs
    framed_ps = [p for p in ps if framed(p)]
    texts = [p.text for p in framed_ps if p.text]
    assert texts == ["抄送：镇委办，镇政府办。", f"{cfg.tongbao['printer']}\t2026年11月3日印发"]
    fp = framed_ps[0]._p.find(qn("w:pPr")).find(qn("w:framePr"))
    assert (fp.get(qn("w:vAnchor")), fp.get(qn("w:yAlign"))) == ("margin", "bottom")
    for p in framed_ps:
        if p.text:
            assert all(r.font.size.pt == 14 and fonts_of(r)["eastAsia"] == X.FS for r in p.runs)
    bars = [p for p in framed_ps if not p.text]
    assert len(bars) == 3  # thick, thin, thick
    assert [p._p.find(qn("w:pPr")).find(qn("w:spacing")).get(qn("w:line")) for p in bars] == ["20", "14", "20"]


def test_record_without_cc(src, cfg, tmp_path):
    c = Config(root=tmp_path, unit=cfg.unit, town=cfg.town, doc_prefix=cfg.doc_prefix, year=2026,
               tongbao={"issuer": "平安镇“百千万工程”指挥部", "to": ["各村（社区）"], "printer": "平安镇党政办"})
    doc = Document(str(T.progress(c, src, number=1, day=DAY).save(tmp_path / "a.docx")))
    assert doc.paragraphs[0].text == "平安镇“百千万工程”指挥部"
    assert [p.text for p in doc.paragraphs if framed(p) and p.text] == ["平安镇党政办\t2026年11月3日印发"]
    assert not [p for p in doc.paragraphs if p.text.startswith("（联系人")]


# --- every number is the summary's -------------------------------------------------------------------

def test_progress_numbers_equal_summary(docs, src):
    doc = docs["进展"]
    text = text_of(doc).replace("\n", "")
    v, t = src.visits, src.tasks
    x, vt = t["totals"], v["totals"]
    m = re.search(r"(\d+)名镇领导到(\d+)个村（社区）开展挂点调研(\d+)次、(\d+)天，推动解决问题(\d+)个", text)
    assert tuple(map(int, m.groups())) == (vt["leaders"], vt["villages_visited"], vt["visits"], vt["days"],
                                           vt["problems_solved"])
    m = re.search(r"纳入调度的问题整改及重点任务(\d+)项（涉及问题(\d+)个）", text)
    assert tuple(map(int, m.groups())) == (x["tasks"], x["problems"])
    assert f"已完成{x['completed']}项，占{pct(x['completed'], x['tasks'])}" in text
    assert f"已完成{x['completed']}项，占{rate_text(x['completion_rate'])}" in text  # the summary's own rate
    assert f"推进中{x['in_progress']}项，占{pct(x['in_progress'], x['tasks'])}" in text
    assert f"逾期未完成{x['overdue']}项，占{pct(x['overdue'], x['tasks'])}" in text
    assert f"超期完成{x['completed_late']}项" in text
    assert f"问题整改完成率{rate_text(x['rectification_rate'])}" in text
    counts = v["status_counts"]
    assert "按挂点关系计，" + "、".join(f"{k}{n}个" for k, n in counts.items() if n) + "。" in text  # zero states left out
    for source, n in t["by_source"].items():
        assert f"{source}{n}项" in text
    m = re.search(r"(\d+)个牵头单位的(\d+)项任务逾期未完成", text)
    assert int(m.group(2)) == x["overdue"] == len(t["overdue"])
    assert int(m.group(1)) == len([u for u in t["units"] if u["overdue"]])
    # every count in the body text is a number of the summaries
    allowed = flat_numbers(v) | flat_numbers(t) | {len(v["unvisited_villages"]), len(v["not_submitted"]),
                                                   len(F.behind_leaders(v)), sum(counts.values()),
                                                   len([u for u in t["units"] if u["overdue"]])}
    strays = [n for n in counts_in(text) if n not in allowed]
    assert not strays, strays


def test_progress_attachments_equal_summary(docs, src):
    doc = docs["进展"]
    visits, tasks, overdue = doc.tables
    v, t = src.visits, src.tasks
    expected = [[x["village"], str(x["visits"]), str(x["days"]), str(x["ytd_visits"]), x["status"]]
                for leader in v["leaders"] for x in leader["villages"]]
    got = [[r[2], r[3], r[4], r[6], r[8]] for r in table_rows(visits)[1:-1]]
    assert got == expected
    total = table_rows(visits)[-1]
    assert total[1] == "合计" and total[3:6] == [str(v["totals"]["visits"]), str(v["totals"]["days"]),
                                                 str(v["totals"]["problems_solved"])]
    assert len(table_rows(tasks)) - 1 == t["totals"]["tasks"]
    assert sum(1 for r in table_rows(tasks)[1:] if r[6]) == t["totals"]["overdue"]
    rows = table_rows(overdue)[1:]
    assert [(r[1], int(r[5])) for r in rows] == [(o["task_id"], o["days_overdue"]) for o in t["overdue"]]
    assert {r[1] for r in rows} == {"PA2026-001-2", "PA2026-003-2", "PA2026-005-1", "PA2026-008-1"}


def test_problem_circular_numbers_equal_summary(docs, src, cfg):
    doc = docs["问题"]
    text = text_of(doc).replace("\n", "")
    t = src.tasks
    u = next(x for x in t["units"] if x["unit"] == "农业农村办")
    assert next(p for p in doc.paragraphs if style_of(p) == "公文-主送机关").text == "农业农村办："
    title = next(p for p in doc.paragraphs if style_of(p) == "公文-标题").text.replace("\n", "")
    assert title == "关于农业农村办“百千万工程”逾期未办结事项的通报"
    assert f"共{u['tasks']}项，已办结{u['completed']}项" in text
    assert f"办结率{pct(u['completed'], u['tasks'])}" in text
    assert f"办结率{rate_text(t['totals']['completion_rate'])}）" in text  # the average
    assert f"逾期未办结{u['overdue']}项，逾期天数合计{u['overdue_days']}天，最长逾期{u['max_overdue_days']}天" in text
    mine = [o for o in t["overdue"] if o["unit"] == "农业农村办"]
    for o in mine:
        assert f"{o['task_id']}“{o['content']}”" in text and f"已逾期{o['days_overdue']}天" in text
    reply = f"请于{DAY.year}年{DAY.month}月{DAY.day + 10}日前"  # reply_days defaults to 10
    assert reply in text
    rows = table_rows(doc.tables[0])[1:]
    unfinished = src.task_rows[(src.task_rows["牵头单位"] == "农业农村办") & (src.task_rows["完成状态"] != "已完成")]
    assert [r[1] for r in rows] == list(unfinished["任务编号"])
    assert len(rows) == u["in_progress"] + u["not_started"]
    assert {r[1]: r[5] for r in rows if r[5]} == {o["task_id"]: str(o["days_overdue"]) for o in mine}
    allowed = flat_numbers(t) | {10}
    assert not [n for n in counts_in(text) if n not in allowed]


def test_problem_units(src):
    t = src.tasks
    overdue = T.problem_units(t, only_overdue=True)
    assert set(overdue) == {u["unit"] for u in t["units"] if u["overdue"]} == {"农业农村办", "规划建设办", "综合执法办"}
    assert set(T.problem_units(t)) == {u["unit"] for u in t["units"] if u["completed"] < u["tasks"] or u["overdue"]}


def test_problem_circular_for_a_responsible_unit(src, cfg, tmp_path):
    """A unit named only in the 责任清单 gets the tasks of the problems it answers for."""
    import copy
    from dataclasses import replace

    unit = src.tasks["responsible_units"][0]
    tasks = copy.deepcopy(src.tasks)
    tasks["units"] = [u for u in tasks["units"] if u["unit"] != unit["unit"]]
    other = replace(src, tasks=tasks)
    assert T.unit_row(tasks, unit["unit"]) == (unit, "责任")
    doc = Document(str(T.problem(cfg, other, unit["unit"], number=9, day=DAY).save(tmp_path / "r.docx")))
    text = text_of(doc).replace("\n", "")
    assert "负有整改责任的事项共" + str(unit["tasks"]) + "项" in text
    rows = table_rows(doc.tables[0])[1:]
    assert len(rows) == unit["in_progress"] + unit["not_started"]


def test_decision_circular_numbers_equal_summary(docs, src):
    doc = docs["议定"]
    text = text_of(doc).replace("\n", "")
    d, t = src.decisions, src.tasks
    x = d["totals"]
    assert x["tasks"] == t["by_source"]["会议议定"]  # the same tasks as the summary counts by source
    assert f"纳入督办的会议议定事项{x['tasks']}项" in text
    assert f"已办结{x['completed']}项，占{pct(x['completed'], x['tasks'])}" in text
    if x["overdue"]:
        assert f"逾期未办结{x['overdue']}项，占{pct(x['overdue'], x['tasks'])}" in text
    rows = table_rows(doc.tables[0])[1:]
    decided = src.task_rows[src.task_rows["任务来源"] == "会议议定"]
    assert [r[1] for r in rows] == list(decided["任务内容"])
    states = {r[6] for r in rows}
    assert states <= {"已办结", "推进中", "未启动", "逾期"}
    assert sum(r[6] == "逾期" for r in rows) == x["overdue"]
    assert sum(r[6] == "已办结" for r in rows) == x["completed"]
    assert [p.text for p in doc.paragraphs if style_of(p) == "公文-一级标题"] == \
        ["一、总体情况", "二、进展滞后事项", "三、工作要求"]


def test_builders_take_plain_dicts(tmp_path):
    """The documented JSON of the summaries, built by hand (only the documented keys)."""
    import pandas as pd

    visits = {"kind": "visits", "period": "2026-09", "as_of": "2026-09-30", "targets": {"visits": 5, "days": 5},
              "totals": {"visits": 7, "days": 9, "problems_solved": 11, "leaders": 2, "villages_visited": 3},
              "leaders": [
                  {"leader": "甲领导", "visits": 4, "days": 5, "problems_solved": 6, "ytd_visits": 13, "ytd_days": 14,
                   "villages": [{"village": "东村", "assigned": True, "visits": 4, "days": 5, "ytd_visits": 13,
                                 "ytd_days": 14, "status": "达标"}]},
                  {"leader": "乙领导", "visits": 3, "days": 4, "problems_solved": 5, "ytd_visits": 3, "ytd_days": 4,
                   "villages": [{"village": "西村", "assigned": True, "visits": 3, "days": 4, "ytd_visits": 3,
                                 "ytd_days": 4, "status": "滞后"},
                                {"village": "南村", "assigned": True, "visits": 0, "days": 0, "ytd_visits": 0,
                                 "ytd_days": 0, "status": "未开展"}]}],
              "unvisited_villages": ["南村"], "not_submitted": ["丙领导"], "months": {}}
    tasks = {"kind": "tasks", "as_of": "2026-09-30",
             "totals": {"problems": 2, "tasks": 3, "completed": 1, "in_progress": 1, "not_started": 1, "overdue": 1,
                        "completed_late": 0, "rectification_rate": 0.5},
             "units": [{"unit": "甲办", "tasks": 2, "completed": 1, "in_progress": 1, "not_started": 0, "overdue": 1,
                        "overdue_days": 12, "completed_late": 0, "rectification_rate": 0.5},
                       {"unit": "乙所", "tasks": 1, "completed": 0, "in_progress": 0, "not_started": 1, "overdue": 0,
                        "overdue_days": 0, "completed_late": 0, "rectification_rate": 0.0}],
             "responsible_units": [],
             "overdue": [{"task_id": "RW-2", "unit": "甲办", "deadline": "2026-09-18", "days_overdue": 12,
                          "content": "修复村道"}],
             "due_soon": [], "by_source": {"问题整改": 2, "会议议定": 1}}
    rows = pd.DataFrame({"任务编号": ["RW-1", "RW-2", "RW-3"], "问题编号": ["P1", "P1", "P2"],
                         "任务内容": ["清理垃圾", "修复村道", "建设公园"], "任务来源": ["问题整改", "问题整改", "会议议定"],
                         "牵头单位": ["甲办", "甲办", "乙所"],
                         "完成时限": pd.to_datetime(["2026-08-31", "2026-09-18", "2026-12-31"]),
                         "完成状态": ["已完成", "推进中", "未启动"], "是否逾期": ["否", "是", "否"],
                         "逾期天数": pd.array([None, 12, None], dtype="Int64"), "进展情况": ["已完成", "施工中", None]})
    src = Source(period="2026-09", as_of=date(2026, 9, 30), visits=visits, tasks=tasks, task_rows=rows)
    c = Config(root=tmp_path, unit="某镇办", town="某镇", doc_prefix="某百千万办", year=2026)
    doc = Document(str(T.progress(c, src, number=1, day=date(2026, 10, 8)).save(tmp_path / "p.docx")))
    text = text_of(doc).replace("\n", "")
    assert "2名镇领导到3个村（社区）开展挂点调研7次、9天，推动解决问题11个" in text
    assert "按挂点关系计，达标1个、滞后1个、未开展1个。" in text  # counted from the villages, no “序时推进0个”
    assert "按9月序时进度每村应不少于4次、4天。" in text  # 3.75 → whole visits: at least 4
    assert "3.75" not in text
    assert "镇领导挂点联系村3个，按挂点关系计" in text  # no assignments: 3 leader–village pairs, no 村次
    assert "已完成1项，占33.3%；推进中1项，占33.3%；未启动1项，占33.3%。其中逾期未完成1项，占33.3%" in text
    assert "截至2026年9月30日，甲办1项任务逾期未完成，逾期12天（详见附件3）。" in text
    assert "乙领导（滞后1个村、未开展1个村）" in text
    assert doc.paragraphs[0].text == "某镇办" and "某百千万办〔2026〕1号" in text
    assert not [p for p in doc.paragraphs if framed(p) and p.text.startswith("抄送")]  # no cc configured
    doc = Document(str(T.problem(c, src, "甲办", number=2, day=date(2026, 10, 8)).save(tmp_path / "q.docx")))
    text = text_of(doc).replace("\n", "")
    assert "办结率50%，高于全镇平均水平（全镇3项，已办结1项，办结率33.3%）" in text
    assert "逾期未办结1项，已逾期12天。" in text  # one item: not “逾期天数合计12天，最长逾期12天”


# --- 简报 ------------------------------------------------------------------------------------------

def test_jianbao_head_and_tail_from_config(docs, cfg):
    doc = docs["简报"]
    ps = doc.paragraphs
    assert ps[0].text == cfg.jianbao["name"] and style_of(ps[0]) == "简报-名称"
    r = ps[0].runs[0]
    assert str(r.font.color.rgb) == "FF0000" and fonts_of(r)["eastAsia"] == X.XBS
    assert ps[1].text == "第2期" and fonts_of(ps[1].runs[0])["eastAsia"] == X.KT
    assert ps[3].text == f"{cfg.jianbao['editor']}\t2026年11月3日"
    bottom = doc.styles["简报-编印单位"].element.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (bottom.get(qn("w:color")), bottom.get(qn("w:sz"))) == ("FF0000", "18")
    tail = [p.text for p in ps if framed(p) and p.text]
    assert tail == ["报：县“百千万工程”指挥部办公室。", "送：镇领导班子成员。", "发：各村（社区），镇直各单位。",
                    "\t（共印25份）"]


def test_jianbao_sections_with_notes(docs, src):
    doc = docs["简报"]
    texts = [p.text for p in doc.paragraphs]
    title = texts.index("平安镇扎实推进挂点联系工作")  # "# 标题" replaces the title
    note = next(i for i, t in enumerate(texts) if t.startswith("编者按："))
    assert note < title and texts[note + 1] == "开头的第二段。"
    heads = [t for t in texts if re.match(r"[一二三四五六七八九十]、", t)]
    assert heads == ["一、工作动态", "二、进展情况", "三、存在问题", "四、经验做法", "五、下步工作"]

    def section(name):
        start = texts.index(name)
        end = next((i for i in range(start + 1, len(texts)) if texts[i] in heads), len(texts))
        return texts[start + 1:end]

    dyn = section("一、工作动态")
    assert dyn.index("镇党委召开专题会议部署四季度工作。") > 0  # after the summary's figures
    assert "（一）典型村创建" in dyn and dyn[-1] == "东坑村完成村容村貌整治。"
    v = src.visits["totals"]
    assert dyn[0].startswith(f"10月，{v['leaders']}名镇领导到{v['villages_visited']}个村（社区）开展挂点调研"
                             f"{v['visits']}次、{v['days']}天，推动解决问题{v['problems_solved']}个")
    progress = "".join(section("二、进展情况"))
    x = src.tasks["totals"]
    assert f"已完成{x['completed']}项，占{pct(x['completed'], x['tasks'])}" in progress
    problems = section("三、存在问题")
    assert problems[-1] == "个别单位台账填报不规范。"
    assert any(f"{x['overdue']}项任务逾期未完成" in p for p in problems)
    assert section("四、经验做法") == ["建立周调度机制。"]
    assert section("五、下步工作")[:2] == ["1.紧盯逾期事项。", "2.开展回头看。"]  # the notes replace the defaults


def test_jianbao_supplement_and_default_title(src, cfg, tmp_path):
    doc = Document(str(J.build(cfg, src, number=1, day=DAY, supplement=True).save(tmp_path / "s.docx")))
    assert doc.paragraphs[1].text == "增刊第1期"
    assert "平安镇2026年10月“百千万工程”工作情况" in [p.text for p in doc.paragraphs]
    assert "下步工作" in text_of(doc)


def test_parse_notes():
    n = J.parse_notes("开头一段\n续行\n\n## 一、工作进展：\n- 甲\n- **乙**\n\n## 下一步工作打算\n2、丙\n"
                      "![图 1](a.png)\n### （二）小标题。\n正文")
    assert n.sections[""][0].text == "开头一段续行"
    assert [b.text for b in n.sections["进展情况"]] == ["甲", "乙"]  # aliases map to the standard sections
    blocks = n.sections["下步工作"]
    assert [(b.kind, b.text) for b in blocks] == [("p", "2.丙"), ("img", "图 1"), ("h", "小标题"), ("p", "正文")]


def test_notes_file_errors(tmp_path):
    bad = tmp_path / "a.md"
    bad.write_bytes(b"\xff\xfe\x00\x00\x00")
    with pytest.raises(J.NotesError):
        J.read_notes(tmp_path / "missing.md")
    ok = tmp_path / "b.md"
    ok.write_text("## 工作动态\n![图](不存在.png)\n", encoding="utf-8")
    with pytest.raises(J.NotesError, match="不存在"):
        J.read_notes(ok)
    gbk = tmp_path / "c.txt"
    gbk.write_bytes("## 存在问题\n问题一\n".encode("gb18030"))
    assert J.read_notes(gbk).sections["存在问题"][0].text == "问题一"


def test_jianbao_picture_from_notes(src, cfg, tmp_path):
    import struct
    import zlib

    def png(path, w=40, h=20):
        raw = b"".join(b"\x00" + b"\x80\x80\x80" * w for _ in range(h))

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                         chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    png(tmp_path / "图.png")
    (tmp_path / "n.md").write_text("## 工作动态\n![各镇领导调研次数](图.png)\n", encoding="utf-8")
    doc = Document(str(J.build(cfg, src, number=3, day=DAY, notes=J.read_notes(tmp_path / "n.md"))
                       .save(tmp_path / "p.docx")))
    assert doc.inline_shapes and "各镇领导调研次数" in [p.text for p in doc.paragraphs]


# --- numbering -------------------------------------------------------------------------------------

def test_numbering_per_year_series_and_key(tmp_path):
    conn = N.connect(tmp_path / "bqw.db")
    assert N.number_for(conn, N.JIANBAO, 2026, "简报:2026-09") == 1
    assert N.number_for(conn, N.JIANBAO, 2026, "简报:2026-10") == 2
    assert N.number_for(conn, N.JIANBAO, 2026, "简报:2026-09") == 1  # the same issue keeps its number
    assert N.number_for(conn, N.SUPPLEMENT, 2026, "增刊:2026-10:专题") == 1  # 增刊 numbered apart
    assert N.number_for(conn, N.JIANBAO, 2027, "简报:2027-01") == 1  # a new year starts at 1
    assert N.number_for(conn, N.JIANBAO, 2026, "简报:2026-11", fixed=7) == 7
    assert N.number_for(conn, N.JIANBAO, 2026, "简报:2026-12") == 8
    assert N.holders(conn, N.JIANBAO, 2026, 7, except_key="x") == ["简报:2026-11"]
    conn.close()
    conn = N.connect(tmp_path / "bqw.db")  # remembered
    assert N.number_for(conn, N.JIANBAO, 2026, "简报:2026-10") == 2
    assert [r[2] for r in N.listing(conn, N.JIANBAO)] == [1, 2, 7, 8, 1]


def test_numbering_lives_in_the_archive(workspace, cfg, tmp_path):
    from bqw.store.archive import Archive
    from bqw.jobs.documents import write_all

    with Archive(cfg.archive) as store:
        paths = write_all(cfg, store, "2026-10", AS_OF, tmp_path / "a", day=DAY, render=False)
        again = write_all(cfg, store, "2026-10", AS_OF, tmp_path / "b", day=DAY, render=False)
        rows = N.listing(store.db)
    assert [p.name for p in paths] == [p.name for p in again]
    names = [p.name for p in paths]
    assert names[0] == "进展通报（2026年10月）.docx" and names[-1] == "工作简报（2026年第1期）.docx"
    # a 一对一通报 for each unit with overdue or due-soon items (党建办: due soon only; issue 17)
    assert sorted(n for n in names if n.startswith("问题通报")) == sorted(
        f"问题通报（{u}）.docx" for u in ("党建办", "农业农村办", "规划建设办", "综合执法办"))
    assert "议定事项通报（2026年10月）.docx" in names
    tongbao = sorted(r[2] for r in rows if r[0] == N.TONGBAO)
    assert tongbao == list(range(1, len(tongbao) + 1)) and len(tongbao) == 6  # numbered once, kept on rewrite
    for a, b in zip(paths, again):
        da, db_ = Document(str(a)), Document(str(b))
        assert [p.text for p in da.paragraphs] == [p.text for p in db_.paragraphs]


# --- bases and restyling -----------------------------------------------------------------------------

def test_shipped_templates_are_the_built_in_bases(tmp_path):
    import zipfile

    S.write_templates(tmp_path)
    for name in ("tongbao.docx", "jianbao.docx"):
        shipped, fresh = zipfile.ZipFile(ROOT / "templates" / name), zipfile.ZipFile(tmp_path / name)
        for part in ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml"):
            assert shipped.read(part) == fresh.read(part), (name, part)
    from bqw.documents.render import FONTS_CONF

    assert (ROOT / "templates" / "fonts.conf").read_text(encoding="utf-8") == FONTS_CONF


def test_base_has_placeholders_and_styles():
    doc = S.new_base("tongbao")
    assert [p.text for p in doc.paragraphs] == ["{发文机关}", "", "", "{发文字号}"]
    names = {s.name for s in doc.styles}
    assert {r.style for r in S.ROLES.values()} <= names
    doc = S.new_base("jianbao")
    assert [p.text for p in doc.paragraphs] == ["{简报名称}", "{期号}", "", "{编印单位}\t{日期}"]


def test_an_office_restyles_its_template(src, cfg, tmp_path):
    """Fonts, sizes and margins of the template's styles and section, and its own red head, are kept."""
    from docx.shared import Mm, Pt

    base = S.new_base("tongbao")
    body = base.styles["公文-正文"]
    X.set_fonts(body, "仿宋", "Times New Roman")
    X.set_fonts(base.styles["公文-标题"], "方正小标宋_GBK", "方正小标宋_GBK")
    base.styles["公文-一级标题"].font.bold = True
    base.sections[0].top_margin = Mm(34)
    head = base.paragraphs[0]
    head.runs[0].text = "中共平安镇委员会办公室 {发文机关}"
    base.add_paragraph("（内部资料）")
    base.save(str(tmp_path / "tongbao.docx"))
    (tmp_path / "templates").mkdir()
    shutil.move(tmp_path / "tongbao.docx", tmp_path / "templates" / "tongbao.docx")
    c = Config(root=tmp_path, unit=cfg.unit, town=cfg.town, doc_prefix=cfg.doc_prefix, year=2026,
               tongbao=dict(cfg.tongbao))
    from bqw.documents.common import template_for

    template = template_for(c, "tongbao")
    assert template == tmp_path / "templates" / "tongbao.docx"
    doc = Document(str(T.progress(c, src, number=1, day=DAY, template=template).save(tmp_path / "o.docx")))
    assert doc.paragraphs[0].text == f"中共平安镇委员会办公室 {c.tongbao['issuer']}"
    assert doc.paragraphs[4].text == "（内部资料）"  # the head's extra paragraph stays
    assert abs(doc.sections[0].top_margin - Mm(34)) < Mm(0.1)
    body_runs = [r for p in doc.paragraphs if style_of(p) == "公文-正文" for r in p.runs if r.text]
    assert any(fonts_of(r)["eastAsia"] == "仿宋" for r in body_runs)
    title = next(p for p in doc.paragraphs if style_of(p) == "公文-标题")
    assert fonts_of(title.runs[0])["eastAsia"] == "方正小标宋_GBK"
    h1 = next(p for p in doc.paragraphs if style_of(p) == "公文-一级标题")
    assert h1.runs[0].font.bold and h1.runs[0].font.size == Pt(16)
    # a configured template that does not exist is an error
    from bqw.documents.common import TemplateError

    c.tongbao["template"] = "没有.docx"
    with pytest.raises(TemplateError):
        template_for(c, "tongbao")


def test_letterhead_template_without_head(src, cfg, tmp_path):
    """A template with an empty body (pre-printed letterhead): the document starts at the title."""
    from docx import Document as New

    d = New()
    d.save(str(tmp_path / "t.docx"))
    doc = Document(str(T.progress(cfg, src, number=1, day=DAY, template=tmp_path / "t.docx").save(tmp_path / "o.docx")))
    first = next(p for p in doc.paragraphs if p.text)
    assert style_of(first) == "公文-标题"
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None  # page numbers added
    assert doc.sections[0].footer.paragraphs[0].text.startswith("— ")


def test_title_lines():
    assert G.title_lines("关于平安镇“百千万工程”会议议定事项落实情况的通报", 20) == [
        "关于平安镇“百千万工程”会议议定事项", "落实情况的通报"]
    assert G.title_lines("关于农业农村办“百千万工程”逾期未办结事项的通报", 20) == [
        "关于农业农村办“百千万工程”", "逾期未办结事项的通报"]
    assert G.title_lines("短标题", 20) == ["短标题"]
    lines = G.title_lines("甲" * 45, 20)
    assert all(G.em(x) <= 20 for x in lines) and "".join(lines) == "甲" * 45


def test_em_and_doc_number(cfg):
    assert G.em("“百千万工程”") == 7 and G.em("2026年") == 3
    assert re.fullmatch(r".+〔\d{4}〕\d+号", T.doc_number(cfg, 12))
    assert T.doc_number(cfg, 12) == f"{cfg.doc_prefix}〔2026〕12号"


# --- LibreOffice (skipped without it) ------------------------------------------------------------

def _lo(monkeypatch):
    from bqw.documents.render import soffice

    monkeypatch.delenv("BQW_SOFFICE", raising=False)  # tests/conftest.py turns rendering off elsewhere
    if soffice() is None or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice (soffice) or pdftotext not installed")


def _lines(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """(yMin, xMin, xMax, text) of each text line of a page (pdftotext -bbox-layout)."""
    html = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    out = []
    line = r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>'
    for m in re.finditer(line, html, re.S):
        words = re.findall(r"<word[^>]*>(.*?)</word>", m.group(4))
        out.append((float(m.group(2)), float(m.group(1)), float(m.group(3)), "".join(words)))
    return out


def test_libreoffice_22_lines_28_characters_page_numbers(tmp_path, monkeypatch):
    _lo(monkeypatch)
    from bqw.documents.render import page_count, to_pdf

    w = G.Writer("tongbao")
    w.fill_head({"发文机关": "平安镇“百千万工程”指挥部办公室", "发文字号": "平安百千万办〔2026〕1号"})
    w.blank(2)
    w.title("关于测试的通报")
    for _ in range(30):
        w.p("to", "国" * 28 * 7)  # flush-left paragraphs of full lines
    path = w.save(tmp_path / "grid.docx")
    pdf = to_pdf([path], tmp_path)[0]
    assert page_count(pdf) >= 3
    for page in (2, 3):
        lines = _lines(pdf, page)
        body = [ln for ln in lines if set(ln[3]) == {"国"}]
        assert len(body) == 22, page  # 22 lines on a full page
        assert {len(ln[3]) for ln in body} == {28}  # 28 characters on a full line
        assert abs(body[0][1] - 79.4) < 1.5  # the text area starts 28 mm from the left edge
        assert abs(body[-1][0] + 16 - 742.7) < 8  # ... and ends 35 mm above the bottom
        number = [ln for ln in lines if re.fullmatch(r"—\s*\d+\s*—", ln[3])]
        assert len(number) == 1
        _y, x0, x1, _t = number[0]
        if page % 2:
            assert x1 > 500 and x0 > 297  # odd pages: right
        else:
            assert x0 < 100 and x1 < 297  # even pages: left


def test_libreoffice_progress_circular_layout(cfg, src, tmp_path, monkeypatch):
    _lo(monkeypatch)
    from bqw.documents.render import even_record_pages, page_count, to_pdf

    path = T.progress(cfg, src, number=1, day=DAY).save(tmp_path / "p.docx")
    pages = even_record_pages([path])[path]
    assert pages % 2 == 0  # the 版记 ends on an even page
    pdf = to_pdf([path], tmp_path / "pdf")[0]
    assert page_count(pdf) == pages
    last = _lines(pdf, pages)
    printed = [ln for ln in last if ln[3].endswith("印发")]
    assert printed and abs(printed[0][0] + 18 - 742.7) < 29  # the last 版记 line at the foot of the text area
    for page in range(1, pages + 1):
        number = [ln for ln in _lines(pdf, page) if re.fullmatch(r"—\s*\d+\s*—", ln[3])]
        assert number and number[0][3].replace(" ", "") == f"—{page}—"
        assert (number[0][1] > 297) == bool(page % 2)
    first = " ".join(ln[3] for ln in _lines(pdf, 1))
    assert cfg.tongbao["issuer"].replace("“", "").replace("”", "")[:3] in first


def test_even_record_pages_moves_a_record_on_an_odd_page(tmp_path, monkeypatch):
    _lo(monkeypatch)
    from bqw.documents.render import even_record_pages

    w = G.Writer("tongbao")
    w.fill_head({"发文机关": "某办", "发文字号": "某〔2026〕1号"})
    w.body("一页正文。")
    w.record([G.RecordLine("某办", "2026年11月3日印发")])
    path = w.save(tmp_path / "one.docx")
    assert even_record_pages([path]) == {path: 2}
    first = next(p for p in Document(str(path)).paragraphs if framed(p))
    prev = first._p.getprevious()
    assert prev.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None


@pytest.mark.parametrize("in_progress, not_started, overdue, said", [
    (0, 0, 0, "你单位牵头负责的事项均已办结"),
    (1, 0, 0, "你单位牵头负责的事项中，尚有1项未办结（正在推进）"),
    (0, 1, 0, "你单位牵头负责的事项中，尚有1项未办结（尚未启动）"),
    (0, 1, 1, "你单位牵头负责的事项中，尚有1项未办结（尚未启动），已逾期"),
    (3, 0, 0, "你单位牵头负责的事项中，尚有3项未办结（均在推进中）"),
    (0, 2, 2, "你单位牵头负责的事项中，尚有2项未办结（均未启动），均已逾期"),
    (1, 2, 1, "你单位牵头负责的事项中，尚有3项未办结（推进中1项、未启动2项），其中逾期1项"),
])
def test_open_items_sentence_for_none_one_and_many(in_progress, not_started, overdue, said):
    """Issue 17: “尚有未启动1项未办结” was ungrammatical; the sentence is said right for 0, 1 and many."""
    assert T.open_items("牵头负责", in_progress, not_started, overdue) == said


def test_jianbao_highlight_joins_the_printed_effect_columns_without_a_stray_semicolon():
    """The printed 附件3 splits 调研成效 into “推动东坑村解决问题4个：” and its items; read as one text they are joined
    by “；” — the 简报 says “解决问题4个：1.…”, not “解决问题4个：；1.…”."""
    import pandas as pd

    rows = pd.DataFrame({"镇领导": ["洪文泽"], "调研地点": ["东坑村"], "调研内容": ["调研人居环境整治"],
                         "调研成效": ["推动东坑村解决问题4个：；1.规范合同管理；2.清理村道"],
                         "推动解决问题数量": [4], "调研时间": ["2026-10-09"]})
    src = Source(period="2026-10", as_of=date(2026, 10, 31), visit_rows=rows)
    assert J.highlights(src) == ["洪文泽同志到东坑村调研人居环境整治，推动东坑村解决问题4个：1.规范合同管理；2.清理村道。"]


def test_jianbao_and_tongbao_count_the_same_tasks_not_started():
    """A task waiting for other work and not yet due is not lagging: the 简报 leaves it out as the 进展通报 does."""
    t = {"as_of": "2026-09-30", "totals": {"overdue": 0, "not_started": 2},
         "units": [{"unit": "规划建设办", "not_started": 2, "overdue": 0}],
         "waiting": [{"task_id": "RW-9", "unit": "规划建设办", "status": "未启动"}]}
    src = Source(period="2026-Q3", as_of=date(2026, 9, 30), tasks=t)
    assert J.problems_sentences(src) == [("部分任务尚未启动。", "规划建设办1项任务尚未启动。")]
    t["waiting"] = []
    assert J.problems_sentences(src) == [("部分任务尚未启动。", "规划建设办2项任务尚未启动。")]


@pytest.mark.parametrize("totals, said", [
    ({"leaders": 0, "villages_visited": 0, "visits": 0, "days": 0, "problems_solved": 0,
      "ytd_visits": 30, "ytd_days": 33, "ytd_problems_solved": 45}, "11月，未收到镇领导挂点调研记录；2026年累计调研30次、33天。"),
    ({"leaders": 0, "villages_visited": 0, "visits": 0, "days": 0, "problems_solved": 0,
      "ytd_visits": 0, "ytd_days": 0}, "11月，未收到镇领导挂点调研记录；2026年尚无挂点调研记录。"),
    ({"leaders": 1, "villages_visited": 1, "visits": 1, "days": 1, "problems_solved": 0,
      "ytd_visits": 1, "ytd_days": 1}, "11月，1名镇领导到1个村（社区）开展挂点调研1次、1天。"),
    ({"leaders": 2, "villages_visited": 3, "visits": 4, "days": 5, "problems_solved": 6,
      "ytd_visits": 34, "ytd_days": 38, "ytd_problems_solved": 51},
     "11月，2名镇领导到3个村（社区）开展挂点调研4次、5天，推动解决问题6个；2026年累计调研34次、38天，推动解决问题51个。"),
])
def test_visit_sentence_for_none_one_and_many(totals, said):
    """A month with no visits no longer reads “0名镇领导到0个村……0次” (issue 17: 0, 1 and many)."""
    v = {"period": "2026-11", "totals": totals, "targets": {"visits": 5, "days": 5}, "leaders": []}
    assert F.visits_sentences(v)[0] == said

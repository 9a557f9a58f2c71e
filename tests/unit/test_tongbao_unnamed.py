"""Who the 进展通报 (sent down to 各村（社区）、镇直各单位) names as lagging: bqw.toml [tongbao] unnamed_posts
against the roster's 职务 / 指挥部职务 (issue 17); and `bqw summarise` showing the 台账报送情况."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, datetime

import openpyxl
import pytest
from docx import Document

from conftest import SAMPLES, run_bqw

from bqw.documents import tongbao as T
from bqw.documents.common import UNNAMED_POSTS, is_unnamed
from bqw.documents.source import Source
from bqw.jobs.config import Config
from bqw.jobs.documents import gather

DAY = date(2026, 10, 8)
# posts as the sample roster gives them (职务, 指挥部职务)
POSTS = {"书记甲": ["党委书记", "总指挥"], "镇长乙": ["党委副书记、镇长", "第一副总指挥"],
         "副书记丙": ["党委副书记", "常务副总指挥"], "副镇长丁": ["党委委员、副镇长", "副总指挥"],
         "主席戊": ["人大主席", "副总指挥"]}


def _leader(name: str, statuses: list[str]) -> dict:
    villages = [{"village": f"{name}{i}村", "assigned": True, "visits": 0, "days": 0, "ytd_visits": 0,
                 "ytd_days": 0, "status": s} for i, s in enumerate(statuses, 1)]
    return {"leader": name, "visits": 0, "days": 0, "problems_solved": 0, "ytd_visits": 0, "ytd_days": 0,
            "villages": villages}


def _progress_text(tmp_path, leaders: list[dict], posts, tongbao: dict | None = None) -> list[str]:
    """The 进展通报's paragraphs, built from a visits summary with these leaders, saved and opened."""
    visits = {"kind": "visits", "period": "2026-09", "as_of": "2026-09-30", "targets": {"visits": 5, "days": 5},
              "totals": {"visits": 0, "days": 0, "problems_solved": 0, "leaders": len(leaders),
                         "villages_visited": 0},
              "leaders": leaders, "unvisited_villages": [], "not_submitted": [], "months": {}}
    src = Source(period="2026-09", as_of=date(2026, 9, 30), visits=visits, posts=posts)
    c = Config(root=tmp_path, unit="某镇办", town="某镇", doc_prefix="某百千万办", year=2026)
    c.tongbao = dict(tongbao or {})
    path = T.progress(c, src, number=1, day=DAY).save(tmp_path / "p.docx")
    return [p.text for p in Document(str(path)).paragraphs]


def _behind(paragraphs: list[str]) -> str:
    found = [p for p in paragraphs if "部分挂点调研进度滞后。" in p]
    assert len(found) == 1, paragraphs
    return found[0]


def test_is_unnamed_reads_joined_posts_and_keeps_deputies():
    assert is_unnamed(["党委书记", "总指挥"], list(UNNAMED_POSTS))
    assert is_unnamed(["党委副书记、镇长"], list(UNNAMED_POSTS))
    assert is_unnamed(["平安镇党委书记"], list(UNNAMED_POSTS))
    assert is_unnamed(["副书记", "第一副总指挥"], list(UNNAMED_POSTS))
    assert not is_unnamed(["党委副书记", "常务副总指挥"], list(UNNAMED_POSTS))
    assert not is_unnamed(["党委委员、副镇长", "副总指挥"], list(UNNAMED_POSTS))
    assert not is_unnamed([], list(UNNAMED_POSTS))
    assert not is_unnamed(["党委书记"], [])


def test_senior_leaders_are_left_to_the_annex_many_named(tmp_path):
    leaders = [_leader("书记甲", ["滞后"]), _leader("镇长乙", ["未开展", "未开展"]), _leader("副书记丙", ["滞后"]),
               _leader("副镇长丁", ["滞后", "未开展"]), _leader("主席戊", ["滞后", "滞后"])]
    assert _behind(_progress_text(tmp_path, leaders, POSTS)) == (
        "（一）部分挂点调研进度滞后。对照序时进度，5名镇领导有挂点村调研滞后或尚未开展：副书记丙（滞后1个村）、"
        "副镇长丁（滞后1个村、未开展1个村）、主席戊（滞后2个村）；其余2名镇领导的进度见附件。")


def test_one_named(tmp_path):
    leaders = [_leader("书记甲", ["滞后"]), _leader("副镇长丁", ["未开展"])]
    assert _behind(_progress_text(tmp_path, leaders, POSTS)) == (
        "（一）部分挂点调研进度滞后。对照序时进度，2名镇领导有挂点村调研滞后或尚未开展：副镇长丁（未开展1个村）；"
        "其余1名镇领导的进度见附件。")


def test_all_lagging_leaders_senior_none_named(tmp_path):
    leaders = [_leader("书记甲", ["滞后"]), _leader("镇长乙", ["滞后"]), _leader("副书记丙", ["达标"])]
    text = _behind(_progress_text(tmp_path, leaders, POSTS))
    assert text == "（一）部分挂点调研进度滞后。对照序时进度，2名镇领导有挂点村调研滞后或尚未开展，其进度见附件。"
    assert "书记甲" not in text and "镇长乙" not in text


def test_only_deputies_lagging_all_named_nothing_left(tmp_path):
    leaders = [_leader("书记甲", ["达标"]), _leader("副书记丙", ["滞后"])]
    assert _behind(_progress_text(tmp_path, leaders, POSTS)) == (
        "（一）部分挂点调研进度滞后。对照序时进度，1名镇领导有挂点村调研滞后或尚未开展：副书记丙（滞后1个村）。")


def test_without_roster_or_with_empty_setting_everyone_is_named(tmp_path):
    leaders = [_leader("书记甲", ["滞后"]), _leader("副镇长丁", ["未开展"])]
    everyone = ("（一）部分挂点调研进度滞后。对照序时进度，2名镇领导有挂点村调研滞后或尚未开展：书记甲（滞后1个村）、"
                "副镇长丁（未开展1个村）。")
    assert _behind(_progress_text(tmp_path, leaders, None)) == everyone
    assert _behind(_progress_text(tmp_path, leaders, POSTS, {"unnamed_posts": []})) == everyone
    # a configured list replaces the default one: only 总指挥 is kept out
    assert _behind(_progress_text(tmp_path, [_leader("书记甲", ["滞后"]), _leader("镇长乙", ["滞后"])], POSTS,
                                  {"unnamed_posts": ["总指挥"]})) == (
        "（一）部分挂点调研进度滞后。对照序时进度，2名镇领导有挂点村调研滞后或尚未开展：镇长乙（滞后1个村）；"
        "其余1名镇领导的进度见附件。")


# --- a workspace as tests/cli/test_run.py builds it: assignments and roster in 名单/ ------------------

@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("ws") / "平安镇"
    run_bqw("init", root, "--town", "平安镇", "--year", "2026", check_code=0)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), root / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copy(next((SAMPLES / "roster").glob("*.xlsx")), root / "名单" / "指挥部成员名单.xlsx")
    inbox = shutil.copytree(SAMPLES / "2026-10", root.parent / "2026-10")
    saved = datetime(2026, 10, 30, 12).timestamp()  # the day the files arrive: before the 2 November deadline
    for path in inbox.rglob("*"):
        os.utime(path, (saved, saved))
    run_bqw("-w", root, "merge", inbox, SAMPLES / "rectification", "-o", root / "out" / "x.xlsx",
            "--as-of", "2026-10-31", "--quiet")
    return root


def test_gather_reads_posts_from_the_roster_and_the_circular_leaves_out_the_seniors(workspace, tmp_path):
    from bqw.jobs.config import load, resolve
    from bqw.store.archive import Archive

    cfg = resolve(load(workspace))
    with Archive(cfg.archive) as store:
        src = gather(cfg, store, period="2026-10", as_of=date(2026, 10, 31))
    assert src.posts["洪文泽"] == ["党委书记", "总指挥"]
    assert src.posts["李明"] == ["党委副书记、镇长", "第一副总指挥"]
    path = T.progress(cfg, src, number=3, day=date(2026, 11, 3)).save(tmp_path / "进展.docx")
    text = _behind([p.text for p in Document(str(path)).paragraphs])
    assert "洪文泽" not in text and "李明" not in text
    assert text.startswith("（四）部分挂点调研进度滞后。对照序时进度，8名镇领导有挂点村调研滞后或尚未开展：陈志强（")
    assert text.endswith("；其余2名镇领导的进度见附件1。")
    table = Document(str(path)).tables[0]  # the annex still lists them
    assert {"洪文泽", "李明"} <= {c.text for row in table.rows for c in row.cells}


def test_summarise_shows_the_reporting_summary(workspace, tmp_path):
    proc = run_bqw("summarise", "--period", "2026-10", "--as-of", "2026-10-31", "--format", "json", cwd=workspace,
                   check_code=0)
    assert "不是已知的设置项" not in proc.stderr  # bqw init writes [tongbao] unnamed_posts; it is read
    doc = json.loads(proc.stdout)
    found = [s for s in doc["summaries"] if s["kind"] == "reporting"]
    assert len(found) == 1
    rep = found[0]  # on 31 October the October ledgers are not due yet (2 days after the month)
    assert rep["totals"] == {"expected": 8, "on_time": 7, "late": 0, "missing": 0, "not_due": 1}
    assert [r["submitter"] for r in rep["reports"] if r["status"] == "未到报送时限"] == ["吴建新"]
    later = json.loads(run_bqw("summarise", "--period", "2026-10", "--as-of", "2026-11-05", "--format", "json",
                               cwd=workspace, check_code=0).stdout)
    rep = next(s for s in later["summaries"] if s["kind"] == "reporting")
    assert rep["totals"] == {"expected": 8, "on_time": 7, "late": 0, "missing": 1, "not_due": 0}
    assert [r["submitter"] for r in rep["reports"] if r["status"] == "未报送"] == ["吴建新"]
    assert rep["due"] == {"visits": "2026-11-02"}
    md = run_bqw("summarise", "--period", "2026-10", "--as-of", "2026-10-31", "--format", "md", cwd=workspace,
                 check_code=0).stdout
    assert "台账报送情况（2026年10月" in md
    out = tmp_path / "统计.xlsx"
    run_bqw("-w", workspace, "summarise", "--period", "2026-10", "--as-of", "2026-11-05", "--format", "xlsx",
            "-o", out, check_code=0)
    rows = list(openpyxl.load_workbook(out)["报送情况"].iter_rows(values_only=True))
    assert rows[1] == ("台账", "报送人（单位）", "期间", "报送时限", "报送日期", "报送情况", "逾期天数")
    assert ("挂点调研台账", "吴建新", "2026-10", "2026-11-02", None, "未报送", None) in rows
    assert ("挂点调研台账", "洪文泽", "2026-10", "2026-11-02", "2026-10-30", "按时报送", None) in rows
    # --kind visits: the visits summary only
    one = json.loads(run_bqw("summarise", "--kind", "visits", "--period", "2026-10", "--as-of", "2026-10-31",
                             "--format", "json", cwd=workspace, check_code=0).stdout)
    assert one["kind"] == "visits" and "summaries" not in one


def test_summarise_files_reports_only_when_the_leaders_are_known(tmp_path):
    """Files counted outside a workspace: --assignments names who should report; without it nothing is said."""
    inbox = shutil.copytree(SAMPLES / "2026-10", tmp_path / "2026-10")
    saved = datetime(2026, 10, 30, 12).timestamp()
    for path in inbox.rglob("*"):
        os.utime(path, (saved, saved))
    args = ("summarise", inbox, "--period", "2026-10", "--as-of", "2026-11-05", "--format", "json")
    doc = json.loads(run_bqw(*args, "--assignments", SAMPLES / "assignments", cwd=tmp_path, check_code=0).stdout)
    rep = next(s for s in doc["summaries"] if s["kind"] == "reporting")
    assert rep["totals"] == {"expected": 8, "on_time": 7, "late": 0, "missing": 1, "not_due": 0}
    alone = json.loads(run_bqw(*args, cwd=tmp_path, check_code=0).stdout)
    kinds = [s["kind"] for s in alone["summaries"]] if "summaries" in alone else [alone["kind"]]
    assert "reporting" not in kinds


def test_a_quarter_in_its_first_month_expects_only_the_months_begun(workspace):
    """Q4 summarised on 31 October: November and December have not begun — not 应报 at all (8, not 24)."""
    doc = json.loads(run_bqw("summarise", "--period", "2026-Q4", "--as-of", "2026-10-31", "--format", "json",
                             cwd=workspace, check_code=0).stdout)
    rep = next(s for s in doc["summaries"] if s["kind"] == "reporting")
    assert rep["totals"] == {"expected": 8, "on_time": 7, "late": 0, "missing": 0, "not_due": 1}

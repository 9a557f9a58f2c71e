"""bqw serve's pages over HTTP, without a browser (Starlette's TestClient): what a page shows of a hostile
sheet, and every refused case of the pages — a plain Chinese page with its status, nothing done.
The JSON API's routes are tested in tests/web/."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from conftest import SAMPLES
from serve_fixtures import workspace  # noqa: F401 — the fixture

ERRORS = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"
PASSWORD = "另一个-测试口令"


@pytest.fixture(scope="module")
def site(workspace):  # noqa: F811 — the fixture imported above
    from bqw.jobs.config import load
    from bqw.web.app import create_app
    from bqw.web.auth import Credentials

    cfg = load(workspace)
    credentials = Credentials(cfg.root)
    credentials.set_password(PASSWORD)
    tokens = {name: credentials.issue(name) for name in ("黄丽娟", "张国华", "李明", "林海峰")}
    return {"cfg": cfg, "tokens": tokens, "credentials": credentials, "app": create_app(cfg)}


def client(site):
    from starlette.testclient import TestClient

    return TestClient(site["app"], base_url="http://127.0.0.1", follow_redirects=False)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def upload(browser, token: str, name: str, data: bytes):
    """The upload page, then its form posted: (the results page, the session's CSRF token)."""
    csrf = csrf_of(browser.get(f"/u/{token}").text)
    answer = browser.post(f"/u/{token}/check", data={"csrf": csrf}, files={"file": (name, data)})
    return answer, csrf


def pending_of(html: str) -> str:
    return re.search(r'/annotated/([0-9a-f]{32})"', html).group(1)


def as_leader(name: str) -> tuple[str, bytes]:
    """The error sample as `name` would have sent it: their name in every 镇领导 cell and in the file name."""
    wb = load_workbook(ERRORS)
    for row in wb.worksheets[0].iter_rows():
        for cell in row:
            if cell.value == "黄丽娟":
                cell.value = name
    data = io.BytesIO()
    wb.save(data)
    return ERRORS.name.replace("黄丽娟", name), data.getvalue()


def submissions(cfg, who: str) -> list:
    from bqw.store.archive import Archive

    if not cfg.archive.exists():
        return []
    with Archive(cfg.archive) as store:
        return [s for s in store.submissions() if s.submitter == who]


def refused_page(answer, status: int, words: str, page: bool = True) -> None:
    """A refusal in Chinese with its status; `page`: the pages' own error page (not the router's 404)."""
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert words in answer.text and "Traceback" not in answer.text
    assert not page or '<html lang="zh-CN">' in answer.text


def test_a_hostile_cell_and_sheet_name_are_shown_as_text(site):
    wb = load_workbook(ERRORS)
    ws = wb.worksheets[0]
    ws["E3"] = HOSTILE
    ws.title = "<b>表"
    data = io.BytesIO()
    wb.save(data)
    with client(site) as browser:
        answer, _csrf = upload(browser, site["tokens"]["黄丽娟"], ERRORS.name, data.getvalue())
    assert answer.status_code == 200
    html = answer.text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>表" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;表" in html
    # the findings still point at their cells on that sheet
    assert re.findall(r'data-cell="([A-Z]+\d+)"', html) == ["C4", "G5", "E6"]


def test_confirm_without_the_csrf_token_is_refused(site):
    with client(site) as browser:
        answer, csrf = upload(browser, site["tokens"]["李明"], *as_leader("李明"))
        assert answer.status_code == 200 and "确认报送</button>" in answer.text
        pending = pending_of(answer.text)
        refused = browser.post(f"/u/{site['tokens']['李明']}/submit", data={"pending": pending})
        refused_page(refused, 403, "页面已过期")
        wrong = browser.post(f"/u/{site['tokens']['李明']}/submit", data={"pending": pending, "csrf": csrf + "x"})
        refused_page(wrong, 403, "页面已过期")
    assert submissions(site["cfg"], "李明") == []


def test_another_submitters_upload_can_be_neither_read_nor_submitted(site):
    with client(site) as browser:
        answer, csrf = upload(browser, site["tokens"]["林海峰"], *as_leader("林海峰"))
        pending = pending_of(answer.text)
        theirs = site["tokens"]["张国华"]
        refused_page(browser.get(f"/u/{theirs}/annotated/{pending}"), 403, "不是您上传的")
        refused_page(browser.post(f"/u/{theirs}/submit", data={"pending": pending, "csrf": csrf}), 403,
                     "不是您上传的")
        refused_page(browser.get(f"/u/{theirs}/annotated/..%2F..%2Fbqw.toml"), 404, "", page=False)
    assert submissions(site["cfg"], "林海峰") == [] and submissions(site["cfg"], "张国华") == []


def test_a_file_naming_another_leader_is_checked_but_cannot_be_confirmed(site):
    with client(site) as browser:
        answer, _csrf = upload(browser, site["tokens"]["张国华"], ERRORS.name, ERRORS.read_bytes())
    assert answer.status_code == 200
    assert "不是“张国华”" in answer.text and "确认报送</button>" not in answer.text


def test_unknown_and_revoked_links(site):
    with client(site) as browser:
        refused_page(browser.get("/u/no-such-token"), 401, "链接无效")
        token = site["credentials"].issue("吴建新")
        assert browser.get(f"/u/{token}").status_code == 200
        site["credentials"].revoke("吴建新")
        refused_page(browser.get(f"/u/{token}"), 403, "已被办公室停用")
        refused_page(browser.post(f"/u/{token}/check", files={"file": ("a.xlsx", b"x")}), 403, "已被办公室停用")


def test_the_office_pages_need_the_login(site):
    with client(site) as browser:
        for path in ("/office", "/office/submitter/黄丽娟", "/office/files/2026-10/x.xlsx",
                     "/office/submitter/黄丽娟/reject/1"):
            answer = browser.get(path)
            assert answer.status_code == 303 and answer.headers["location"].endswith("/office/login"), path
        csrf = csrf_of(browser.get("/office/login").text)
        wrong = browser.post("/office/login", data={"csrf": csrf, "password": "不对"})
        refused_page(wrong, 401, "密码不对")
        refused_page(browser.post("/office/login", data={"password": PASSWORD}), 403, "页面已过期")
        ok = browser.post("/office/login", data={"csrf": csrf_of(wrong.text), "password": PASSWORD})
        assert ok.status_code == 303 and ok.headers["location"].endswith("/office")
        board = browser.get("/office?period=2026-10")
        assert board.status_code == 200
        leaders = re.findall(r'<tr data-submitter="([^"]+)">', board.text)
        assert {"黄丽娟", "张国华", "李明", "林海峰", "陈志强", "洪文泽", "刘晓燕"} <= set(leaders)
        # only a file the board lists is served: never a name or period the client made up
        refused_page(browser.get("/office/files/2026-10/bqw.toml"), 404, "没有这个文件")
        refused_page(browser.get("/office/files/2026-10/..%2F..%2Fbqw.toml"), 404, "", page=False)
        refused_page(browser.get("/office?period=2026-13"), 422, "期间")
        # nothing of that number to reject
        refused_page(browser.post("/office/submitter/黄丽娟/reject/1", data={"reason": "x"}), 404, "没有可退回的报送")


def test_the_preview_is_a_window_of_the_sheet_with_merged_cells_and_the_findings_outside_it(tmp_path):
    from datetime import datetime

    from conftest import write_xlsx

    from bqw.web.preview import MAX_COLS, MAX_ROWS, build

    rows = [["台账"] + [None] * 39, [f"列{c}" for c in range(40)]]
    rows += [[r * 100 + c for c in range(40)] for r in range(2, 300)]
    rows[5][1] = 2.5
    rows[6][2] = datetime(2026, 10, 8)
    path = write_xlsx(tmp_path / "大表.xlsx", rows, merges=("A1:AN1",), before={"说明": [["填表说明"]]})
    findings = [{"sheet": "Sheet1", "cell": "C7", "row": 7, "severity": "warning", "message": "日期在期外"},
                {"sheet": "Sheet1", "cell": "C7", "row": 7, "severity": "error", "message": "格式不对"},
                {"sheet": "Sheet1", "cell": "B250", "row": 250, "severity": "error", "message": "行外"},
                {"sheet": "Sheet1", "cell": "AK3", "row": 3, "severity": "error", "message": "列外"},
                {"sheet": "Sheet1", "cell": None, "row": 4, "severity": "warning", "message": "整行"},
                {"sheet": None, "cell": None, "row": None, "severity": "warning", "message": "整个文件"}]
    p = build(path, findings)
    assert p.sheet == "Sheet1"  # the sheet of the first finding, not the instructions before it
    assert len(p.rows) == MAX_ROWS and p.more_rows == 300 - MAX_ROWS
    assert p.columns[-1] == "AD" and len(p.columns) == MAX_COLS and p.more_cols == 40 - MAX_COLS
    title = p.rows[0].cells
    assert len(title) == 1 and title[0].colspan == MAX_COLS and title[0].text == "台账"
    c7 = p.rows[6].cells[2]
    assert (c7.ref, c7.text, c7.severity, c7.messages) == ("C7", "2026-10-08", "error", ["日期在期外", "格式不对"])
    assert p.rows[5].cells[1].text == "2.5" and p.rows[5].cells[0].text == "500"
    assert p.rows[3].severity == "warning" and p.rows[3].cells[0].severity == ""
    assert [f["message"] for f in p.elsewhere] == ["行外", "列外", "整个文件"]
    assert p.marked_rows == [3, 4, 7]
    assert p.written(findings[2]) == "24901" and p.written(findings[0]) == "2026-10-08"


def test_the_office_downloads_the_periods_tongbao(tmp_path):
    """After bqw run wrote October's documents, the board lists them and the office downloads the 进展通报:
    the very file in out/2026-10/, a .docx whose title is the 通报's."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import docx

    from bqw.jobs.config import load
    from bqw.web.app import create_app
    from bqw.web.auth import Credentials
    from serve_fixtures import build_workspace

    root = build_workspace(tmp_path / "w")
    for folder in ("2026-10", "rectification"):
        shutil.copytree(SAMPLES / folder, root / "inbox" / folder)
    run = subprocess.run([str(Path(sys.executable).parent / "bqw"), "run", "--as-of", "2026-10-31", "--quiet"],
                         cwd=root, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    written = root / "out" / "2026-10" / "进展通报（2026年10月）.docx"
    assert written.is_file()
    cfg = load(root)
    Credentials(cfg.root).set_password(PASSWORD)
    from starlette.testclient import TestClient

    with TestClient(create_app(cfg), base_url="http://127.0.0.1", follow_redirects=False) as browser:
        csrf = csrf_of(browser.get("/office/login").text)
        assert browser.post("/office/login", data={"csrf": csrf, "password": PASSWORD}).status_code == 303
        board = browser.get("/office?period=2026-10").text
        assert "进展通报（2026年10月）.docx" in board
        got = browser.get("/office/files/2026-10/进展通报（2026年10月）.docx")
    assert got.status_code == 200 and got.content == written.read_bytes()
    text = "".join(p.text for p in docx.Document(io.BytesIO(got.content)).paragraphs)
    assert "平安百千万办〔2026〕" in text and "推进情况的通报" in text


def test_every_page_says_its_security_policy(site):
    """Pages load only their own CSS and script, are never framed and send no Referer (the link's token)."""
    with client(site) as browser:
        for path in (f"/u/{site['tokens']['黄丽娟']}", "/office/login", "/nowhere", "/healthz"):
            headers = browser.get(path).headers
            policy = headers["content-security-policy"]
            assert "default-src 'self'" in policy and "script-src 'self'" in policy, path
            assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy, path
            assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer", path
            assert headers["x-content-type-options"] == "nosniff", path
        page = browser.get(f"/u/{site['tokens']['黄丽娟']}").text
    assert "style=" not in page and not re.search(r"<script>(?!</script>)", page)  # nothing inline to allow

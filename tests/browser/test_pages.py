"""bqw serve's pages in a real browser: Debian's chromium driven by Playwright (headless, executable_path;
never `playwright install`). The server runs with uvicorn in a thread on 127.0.0.1 on a workspace built as
make demo builds out/演示工作区 (bqw init + the samples' 名单). Every page is screenshot into out/browser/
for a person to look at.

make test runs this when chromium is installed and skips it otherwise; make test-browser (and CI) sets
BQW_REQUIRE_BROWSER=1, which turns a missing chromium into a failure.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import socket
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import SAMPLES
from serve_fixtures import workspace  # noqa: F401 — the fixture

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "out" / "browser"
CHROMIUM = Path(os.environ.get("BQW_CHROMIUM", "/usr/bin/chromium"))
LEADER = "黄丽娟"  # has an error sample and a good file among the samples
OTHER = "张国华"  # for the test without JavaScript
ERRORS = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"
FIXED = SAMPLES / "2026-10" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟.csv"
OTHER_FILE = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-张国华（错误示例）.xlsx"
PASSWORD = "办公室-测试口令-2026"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"未安装 chromium（{CHROMIUM}）：apt-get install chromium fonts-noto-cjk"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "未安装 playwright（pip install -e '.[dev]'）"
    return None


if (_why := _missing()) is not None:
    if os.environ.get("BQW_REQUIRE_BROWSER") == "1":
        raise RuntimeError(_why)
    pytest.skip(_why, allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

# a check reads and validates a workbook, a confirmation runs bqw run's merge: seconds on a busy two-core
# machine (the suite runs in two workers), more than Playwright's default 5 s wait
WAIT_MS = 60_000
expect.set_options(timeout=WAIT_MS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(workspace):
    """The app on `workspace`, served by uvicorn in a thread; yields its base URL and the links."""
    import uvicorn

    from bqw.jobs.config import load
    from bqw.web.app import create_app
    from bqw.web.auth import Credentials

    cfg = load(workspace)
    credentials = Credentials(cfg.root)
    links = {name: credentials.issue(name) for name in (LEADER, OTHER)}
    credentials.set_password(PASSWORD)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(cfg), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    yield {"base": base, "cfg": cfg, "links": {n: f"{base}/u/{t}" for n, t in links.items()}}
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


def new_page(context):
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def expected_findings(name: str) -> list[dict]:
    """samples/errors/EXPECTED.json: the errors planted in the sample, written when it was made."""
    return [e for e in json.loads((SAMPLES / "errors" / "EXPECTED.json").read_text(encoding="utf-8"))
            if e["file"] == name]


def csv_records(path: Path) -> int:
    """The numbered rows of a sample CSV (序号 1, 2, …): the visits it reports."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for row in csv.reader(f) if row and row[0].strip().isdigit())


def table_rows(page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"{selector} tbody tr", "rows => rows.map(r => [...r.children].map(c => c.innerText.trim()))")


def test_upload_fix_submit_and_the_office_board(server, browser, tmp_path):
    from openpyxl import load_workbook

    from bqw.store.archive import Archive
    from bqw.summary.reporting import judge

    context = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1100, "height": 800})
    page = new_page(context)

    # the leader's own link: their name and the upload form
    page.goto(server["links"][LEADER])
    expect(page.locator("h1")).to_contain_text(LEADER)
    assert page.locator("label[for=files]").count() == 1
    shot(page, "01-上传")

    # a sheet with errors, dropped onto the upload box (bqw.js) and sent with a progress bar: the results
    # replace the page while its address stays the link's
    dropped = page.evaluate_handle(
        """([name, b64]) => { const dt = new DataTransfer();
             dt.items.add(new File([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], name)); return dt; }""",
        [ERRORS.name, base64.b64encode(ERRORS.read_bytes()).decode()])
    page.dispatch_event(".drop", "drop", {"dataTransfer": dropped})
    expect(page.locator("[data-status]")).to_have_text("已选择 1 个文件")
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("h1")).to_have_text("检查结果")
    assert page.url == server["links"][LEADER]
    # one row per finding, as the sample's makers recorded them
    shot(page, "02-检查结果-有错误")
    planted = expected_findings(ERRORS.name)
    rows = table_rows(page, "table.findings")
    assert [r[:3] for r in rows] == [[e["sheet"], e["cell"], e["column"]] for e in planted]
    assert [r[3] for r in rows] == ["" if e["value"] is None else str(e["value"]) for e in planted]
    assert all(r[4].startswith("错误") for r in rows)
    assert "10月35日" in rows[0][4] and "负数" in rows[1][4] and "必填" in rows[2][4]
    # the preview marks exactly those cells, each with its message as the title
    marked = page.eval_on_selector_all("table.grid td[data-cell]",
                                       "cs => cs.map(c => [c.dataset.cell, c.className, c.title])")
    assert [m[0] for m in marked] == [e["cell"] for e in planted]
    assert all(m[1] == "error" for m in marked)
    assert rows[1][4].endswith(marked[1][2].split("：", 1)[1])
    expect(page.locator("table.grid td[data-cell=C4]")).to_have_text("10月35日")
    expect(page.get_by_text("有问题的行：第 4 行、第 5 行、第 6 行")).to_be_visible()

    # the annotated copy: the same cells red, with the message in a comment
    with page.expect_download() as download:
        page.get_by_role("link", name="下载标注副本").click()
    copy = tmp_path / download.value.suggested_filename
    download.value.save_as(copy)
    assert copy.suffix == ".xlsx" and LEADER in copy.name
    ws = load_workbook(copy)["Sheet1"]
    for e, r in zip(planted, rows):
        cell = ws[e["cell"]]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE"), e["cell"]
        assert r[4].removeprefix("错误").strip() in cell.comment.text

    # a file that is no spreadsheet, beside the fixed one: refused with a reason, the other still checked
    page.get_by_role("link", name="重新上传").click()
    page.set_input_files("#files", [{"name": "../../说明.pdf", "mimeType": "application/pdf",
                                     "buffer": b"%PDF-1.4 not a ledger"},
                                    {"name": FIXED.name, "mimeType": "text/csv", "buffer": FIXED.read_bytes()}])
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("section").first.locator(".notice.bad")).to_contain_text("类型不能报送")
    expect(page.locator("section").nth(1).locator(".notice.good")).to_contain_text("检查通过")
    assert page.get_by_role("button", name="确认报送").count() == 1
    shot(page, "03a-检查结果-拒收与通过")

    # the fixed file, confirmed: the receipt says the rows merged, as the archive holds them
    page.get_by_role("link", name="重新上传").click()
    page.set_input_files("#files", str(FIXED))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator(".notice.good")).to_contain_text("检查通过")
    shot(page, "03-检查结果-通过")
    page.get_by_role("button", name="确认报送").click()
    expect(page.locator("h1")).to_have_text("已报送")
    shot(page, "04-回执")
    with Archive(server["cfg"].archive) as store:
        subs = [s for s in store.submissions(kind="visits") if s.submitter == LEADER]
    assert len(subs) == 1 and subs[0].status == "current" and subs[0].held == 0
    assert page.locator("[data-field=rows]").inner_text() == str(subs[0].rows) == str(csv_records(FIXED))
    assert page.locator("[data-field=quarantined]").inner_text() == "0"

    # the blank template of the leader's ledger for a month, from the upload page
    page.get_by_role("link", name="继续上传").click()
    page.get_by_label("填报期间").fill("2026-11")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载空白模板").click()
    assert download.value.suggested_filename == f"挂点调研台账（2026年11月）-{LEADER}.xlsx"
    blank = tmp_path / "blank.xlsx"
    download.value.save_as(blank)
    sheet = load_workbook(blank).worksheets[0]
    assert "挂点调研台账" in str(sheet["A1"].value)
    page.goto(server["links"][LEADER] + "/history")
    history = table_rows(page, "table")
    assert len(history) == 1 and history[0][1] == subs[0].file_name and history[0][5] == "有效"
    shot(page, "05-我的报送记录")

    # the office: login, the board shows the leader as bqw run would judge them
    office = new_page(context)
    office.goto(server["base"] + "/office")
    expect(office.locator("h1")).to_have_text("办公室登录")
    shot(office, "06-办公室登录")
    office.get_by_label("密码").fill("不对的密码")
    office.get_by_role("button", name="登录").click()
    expect(office.locator(".notice.bad")).to_have_text("密码不对")
    office.get_by_label("密码").fill(PASSWORD)
    office.get_by_role("button", name="登录").click()
    office.get_by_label("期间").fill("2026-10")
    office.get_by_role("button", name="查看").click()
    expect(office.locator("h1")).to_contain_text("2026年10月")
    cfg = server["cfg"]
    arrived = date.fromisoformat(subs[0].arrived_at[:10])
    want = judge("visits", LEADER, "2026-10", arrived, days=cfg.deadline_days("visits"), as_of=date.today())
    row = office.locator(f"tr[data-submitter={LEADER}]")
    expect(row.locator(".status")).to_have_text(want.status)
    cells = row.locator("td").all_inner_texts()
    assert cells[3] == str(subs[0].rows) and cells[4] == "0"
    expect(office.locator(f"tr[data-submitter={OTHER}] .status")).to_have_text("未报送")
    shot(office, "07-报送情况")

    # the period's merged ledger, as bqw run wrote it, holds the leader's rows
    with office.expect_download() as download:
        office.get_by_role("link", name="挂点调研台账（合并）.xlsx").click()
    merged = tmp_path / "merged.xlsx"
    download.value.save_as(merged)
    values = [c for r in load_workbook(merged).worksheets[0].iter_rows(values_only=True) for c in r]
    assert values.count(LEADER) == csv_records(FIXED)

    # reject with a reason: the leader sees 已退回 and why
    office.locator(f"tr[data-submitter={LEADER}]").get_by_role("link", name="报送记录").click()
    office.get_by_role("link", name="退回").click()
    shot(office, "08-退回")
    office.get_by_label("退回原因").fill("调研成效写得太简略，请补充")
    office.get_by_role("button", name="确认退回").click()
    expect(office.locator("h1")).to_have_text(f"{LEADER}的报送记录")
    expect(office.locator("td .status")).to_have_text("已退回")
    shot(office, "08b-办公室-报送记录-已退回")
    page.reload()
    expect(page.locator("td .status")).to_have_text("已退回")
    expect(page.locator("table")).to_contain_text("调研成效写得太简略，请补充")
    shot(page, "09-我的报送记录-已退回")

    # a refused link: a plain Chinese page, no traceback
    page.goto(server["base"] + "/u/not-a-token")
    expect(page.locator("h1")).to_have_text("链接无效")
    assert "Traceback" not in page.content()
    shot(page, "10-链接无效")
    context.close()


def test_without_javascript_upload_results_confirm(server, browser):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN",
                                  viewport={"width": 360, "height": 740}, is_mobile=True)
    page = new_page(context)
    page.goto(server["links"][OTHER])
    shot(page, "11-无脚本-手机-上传")
    page.set_input_files("#files", str(OTHER_FILE))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("h1")).to_have_text("检查结果")
    assert page.url == server["links"][OTHER] + "/check"  # the plain form post, no script
    planted = expected_findings(OTHER_FILE.name)
    assert [r[1] for r in table_rows(page, "table.findings")] == [e["cell"] for e in planted]
    shot(page, "12-无脚本-手机-检查结果")
    page.get_by_role("button", name="确认报送").click()
    expect(page.locator("h1")).to_have_text("已报送")
    from bqw.store.archive import Archive

    with Archive(server["cfg"].archive) as store:
        subs = [s for s in store.submissions(kind="visits") if s.submitter == OTHER]
    assert len(subs) == 1
    assert page.locator("[data-field=rows]").inner_text() == str(subs[0].rows - subs[0].held)
    assert page.locator("[data-field=quarantined]").inner_text() == str(subs[0].held)
    shot(page, "13-无脚本-手机-回执")
    context.close()

"""Errors the pages' handlers never see — the router's 404 and 405, an unexpected exception (500) — answered
by bqw/web/app.py: on a page address the site's own Chinese error page (the layout, lang="zh-CN"), as
pages.error_page makes it; under /api/ and /healthz JSON `{"error": …}`. Never a traceback."""

from __future__ import annotations

import re
import warnings

import pytest

from serve_site import Site


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path / "平安镇百千万")


def client(site):
    """A client that gets the 500 answer instead of the exception raised in the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        return TestClient(site.app, raise_server_exceptions=False)


def assert_error_page(answer, status: int, heading: str, message: str):
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert '<html lang="zh-CN">' in html
    assert "平安镇“百千万工程”台账报送" in html  # the layout's header (base.html), not a bare sentence
    assert "/static/bqw.css" in html
    assert re.search(r"<h1>\s*" + re.escape(heading) + r"\s*</h1>", html), html
    assert f'<div class="notice bad" role="alert"><p>{message}</p></div>' in html
    assert "Traceback" not in html and "Not Found" not in html and "Method Not Allowed" not in html


def test_router_404_and_405_on_pages_are_the_sites_error_page(site):
    browser = client(site)
    assert_error_page(browser.get("/没有这一页"), 404, "找不到页面", "没有这个页面")
    assert_error_page(browser.get("/u"), 404, "找不到页面", "没有这个页面")
    assert_error_page(browser.get("/static/nothing.css"), 404, "找不到页面", "没有这个页面")
    assert_error_page(browser.delete("/office"), 405, "无法完成", "不支持这种请求方式")
    assert_error_page(browser.post("/"), 405, "无法完成", "不支持这种请求方式")


def test_router_404_and_405_under_api_and_healthz_are_json(site):
    browser = client(site)
    for answer, status, message in ((browser.get("/api/nothing"), 404, "没有这个页面"),
                                    (browser.get("/api/check"), 405, "不支持这种请求方式"),
                                    (browser.post("/healthz"), 405, "不支持这种请求方式")):
        assert answer.status_code == status
        assert answer.headers["content-type"] == "application/json"
        assert answer.json() == {"error": message}


def test_an_unexpected_error_is_the_error_page_or_json_and_the_traceback_goes_to_the_log(site, monkeypatch):
    from bqw.web import service

    def broken(*args, **kwargs):
        raise RuntimeError("故意的故障 in board")

    monkeypatch.setattr(service, "board", broken)
    browser = client(site)
    csrf = browser.post("/login", data={"password": "办公室口令-2026-测试"}).json()["csrf"]
    assert csrf
    sentence = "服务器内部错误，详细信息已写入运行日志，请联系办公室"

    assert_error_page(browser.get("/office"), 500, "服务器出错", sentence)
    answer = browser.get("/api/board")
    assert answer.status_code == 500
    assert answer.json() == {"error": sentence}

    log = site.cfg.log.read_text(encoding="utf-8")
    assert log.count("serve: GET /office: 内部错误：RuntimeError: 故意的故障 in board") == 1
    assert log.count("serve: GET /api/board: 内部错误：RuntimeError: 故意的故障 in board") == 1
    assert log.count("Traceback (most recent call last)") == 2


def test_the_server_has_threads_for_checks_while_confirmations_wait(tmp_path):
    """The app raises anyio's worker threads (40) for its lifetime: queued confirmations hold threads."""
    import anyio.to_thread
    from starlette.testclient import TestClient

    from bqw.jobs.config import load
    from bqw.web.app import WORKER_THREADS, create_app
    from serve_site import make_workspace

    app = create_app(load(make_workspace(tmp_path / "w")))
    seen = {}

    async def probe():
        seen["tokens"] = anyio.to_thread.current_default_thread_limiter().total_tokens

    with TestClient(app) as client:
        client.portal.call(probe)
        assert client.get("/healthz").status_code == 200
    assert seen["tokens"] == WORKER_THREADS

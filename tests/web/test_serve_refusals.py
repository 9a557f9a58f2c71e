"""bqw serve refuses, for every route and role: no token, a bad token, a revoked token, another submitter's
pending upload, a wrong password, a missing CSRF token, too big / too many / wrong-type files, hostile files,
a `../` file name, a file naming another leader. Every refusal is JSON {"error": Chinese} (or the page) with
its status, and nothing is written outside serve/pending."""

from __future__ import annotations

import re

import pytest

from serve_site import SAMPLES, Site, files_under, sample

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path / "平安镇百千万")


def refused(answer, status: int) -> str:
    assert answer.status_code == status, (answer.status_code, answer.text)
    body = answer.json()
    assert list(body) == ["error"] and CHINESE.search(body["error"]), body
    assert "Traceback" not in answer.text
    return body["error"]


def test_healthz(site):
    answer = site.client.get("/healthz")
    assert answer.status_code == 200 and answer.json()["ok"] is True


@pytest.mark.parametrize("route", ["/api/check", "/api/submit"])
def test_no_token_bad_token(site, route):
    assert "缺少令牌" in refused(site.client.post(route), 401)
    assert "令牌不对" in refused(site.client.post(route, headers={"Authorization": "Bearer nope"}), 401)
    assert "缺少令牌" in refused(site.client.post(route, headers={"Authorization": "Basic eDp5"}), 401)


def test_the_page_link_with_a_bad_token_is_refused(site):
    answer = site.client.get("/u/not-a-token")
    assert answer.status_code == 401 and "链接无效" in answer.text


def test_a_revoked_token_is_refused_at_once(site):
    from bqw.web.auth import Credentials

    assert site.check("洪文泽", sample("洪文泽")).status_code == 200
    assert Credentials(site.root).revoke("洪文泽")
    assert "停用" in refused(site.check("洪文泽", sample("洪文泽")), 403)
    assert site.client.get(f"/u/{site.tokens['洪文泽']}").status_code == 403


def test_token_failures_are_rate_limited_per_address(site):
    for _ in range(10):
        refused(site.client.post("/api/check", headers={"Authorization": "Bearer wrong"}), 401)
    assert "过多" in refused(site.check("洪文泽", sample("洪文泽")), 429)  # even a good token, from there


def test_another_submitters_pending_upload(site):
    pending = site.check("洪文泽", sample("洪文泽")).json()["files"][0]["pending"]
    inbox_before = files_under(site.cfg.inbox)
    assert "不是您上传的" in refused(site.submit("李明", pending), 403)
    assert files_under(site.cfg.inbox) == inbox_before
    answer = site.client.get(f"/u/{site.tokens['李明']}/annotated/{pending}")
    assert answer.status_code == 403
    assert site.client.get(f"/u/{site.tokens['洪文泽']}/annotated/{pending}").status_code == 200
    assert refused(site.submit("李明", "../../bqw"), 404)


def test_a_file_naming_another_leader_is_checked_but_not_submitted(site):
    found = site.check("洪文泽", sample("李明"))
    assert found.status_code == 200
    item = found.json()["files"][0]
    assert item["file_submitter"] == "李明" and item["submittable"] is False and "李明" in item["refusal"]
    assert "只能报送本人" in refused(site.submit("洪文泽", item["pending"]), 422)
    assert not (site.cfg.inbox / "网上报送").exists()
    assert not site.cfg.archive.exists() or site.archive().counts()[0] == 0


def test_wrong_type_too_big_too_many(site, monkeypatch):
    assert "类型" in refused(site.client.post("/api/check", headers=site.bearer("洪文泽"),
                                              files={"file": ("台账.exe", b"MZ")}), 415)
    monkeypatch.setenv("BQW_MAX_FILE_MB", "1")
    big = b"x" * (1024 * 1024 + 1)
    assert "1 MB" in refused(site.client.post("/api/check", headers=site.bearer("洪文泽"),
                                              files={"file": ("台账.csv", big)}), 413)
    many = [("file", (f"台账{i}.csv", b"a,b\n")) for i in range(11)]
    assert "10" in refused(site.client.post("/api/check", headers=site.bearer("洪文泽"), files=many), 413)
    # a declared length over the limit is refused before the body is read
    answer = site.client.post("/api/check", headers=site.bearer("洪文泽") | {
        "Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(20 * 1024 * 1024)},
        content=b"--x--")
    refused(answer, 413)
    pending = site.cfg.root / "serve" / "pending"
    assert not pending.exists() or files_under(pending) == set()


def test_a_hostile_name_is_stored_under_the_servers_name(site):
    before = files_under(site.root.parent)
    answer = site.check("洪文泽", sample("洪文泽"), filename="../../../../tmp/../etc/evil\\..\\台账-洪文泽.xlsx")
    assert answer.status_code == 200
    item = answer.json()["files"][0]
    assert item["path"] == "台账-洪文泽.xlsx"
    new = files_under(site.root.parent) - before
    pending = site.cfg.root / "serve" / "pending" / item["pending"]
    assert new == {pending / "台账-洪文泽.xlsx", pending / "meta.json"}


@pytest.mark.parametrize("maker", ["make_zip_bomb", "make_encrypted", "make_pdf_as_xlsx"])
def test_hostile_files_are_checked_refused_and_never_submitted(site, tmp_path, maker):
    from fixtures import bad_files

    path = getattr(bad_files, maker)(tmp_path)
    answer = site.check("洪文泽", path)
    assert answer.status_code == 200
    item = answer.json()["files"][0]
    assert item["submittable"] is False and item["findings"] and item["errors"] >= 1
    assert "无法读取" in refused(site.submit("洪文泽", item["pending"]), 422)
    assert not (site.cfg.inbox / "网上报送").exists()


def test_the_office_wrong_password_csrf_and_the_board(site):
    assert "登录" in refused(site.client.get("/api/board"), 401)
    assert "密码不对" in refused(site.client.post("/login", data={"password": "wrong"}), 401)
    csrf = site.login()
    cookie = site.client.cookies.jar
    assert any(c.name == "bqw_session" for c in cookie)
    assert site.client.get("/api/board?period=2026-10").status_code == 200
    assert "看板按月" in refused(site.client.get("/api/board?period=2026-Q4"), 422)
    assert "校验码" in refused(site.client.post("/logout"), 403)
    assert "校验码" in refused(site.client.post("/logout", data={"csrf": "forged"}), 403)
    assert site.client.post("/logout", data={"csrf": csrf}).status_code == 200
    refused(site.client.get("/api/board"), 401)
    with site.archive() as store:
        events = [(r["event"], r["reason"]) for r in store.events()]
    assert [e for e, _ in events] == ["login-failed", "login"]


def test_the_session_cookie_is_httponly_and_samesite(site):
    answer = site.client.post("/login", data={"password": site_password()})
    header = answer.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header


def test_office_pages_need_the_session_and_reject_needs_csrf(site):
    assert site.check_and_submit("洪文泽", sample("洪文泽")).status_code == 200
    url = site.app.url_path_for("office_reject", name="洪文泽", submission=1)  # the pages' own route
    answer = site.client.post(url, data={"reason": "不对"}, follow_redirects=False)
    assert answer.status_code in (303, 401, 403)
    site.login()
    answer = site.client.post(url, data={"reason": "不对"})
    assert answer.status_code == 403
    with site.archive() as store:
        assert store.get(1).status == "current"


def test_a_wrong_password_is_rate_limited(site):
    for _ in range(10):
        refused(site.client.post("/login", data={"password": "wrong"}), 401)
    assert "过多" in refused(site.client.post("/login", data={"password": site_password()}), 429)


def test_a_submitter_token_is_not_an_office_session(site):
    refused(site.client.get("/api/board", headers=site.bearer("洪文泽")), 401)
    assert SAMPLES.exists()


def site_password() -> str:
    from serve_site import PASSWORD

    return PASSWORD


def test_a_new_password_ends_the_offices_sessions(site):
    """bqw serve passwd: a session started under the old password no longer opens the board."""
    from bqw.web.auth import Credentials

    site.login()
    assert site.client.get("/api/board?period=2026-10").status_code == 200
    Credentials(site.root).set_password("新的口令-2026")
    assert site.client.get("/api/board?period=2026-10").status_code == 401
    assert site.client.post("/login", data={"password": "新的口令-2026"}).status_code == 200
    assert site.client.get("/api/board?period=2026-10").status_code == 200

"""bqw serve links / revoke / passwd on a workspace built as make demo builds it: one link per submitter,
tokens stored only hashed, a renewed link stops the old one, a revoked link is refused, the password is
asked twice and kept as an argon2 hash."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from serve_site import make_workspace


def bqw(*args, input: str | None = None):
    exe = Path(sys.executable).parent / "bqw"
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, input=input, timeout=120)


def links(root: Path, *args) -> dict[str, str]:
    proc = bqw("-w", root, "serve", "links", *args)
    assert proc.returncode == 0, proc.stderr
    return {line.split("\t")[0]: line.split("\t")[2] for line in proc.stdout.splitlines()}


def test_links_one_per_submitter_renew_and_revoke(tmp_path):
    from bqw.web.auth import Credentials

    root = make_workspace(tmp_path / "ws")
    first = links(root, "--base-url", "https://bqw.example.cn/")
    leaders = {"洪文泽", "李明", "陈志强", "黄丽娟", "张国华", "刘晓燕", "林海峰", "吴建新"}
    assert leaders <= set(first) and "党政办" in set(first)  # the roster's units too
    assert all(link.startswith("https://bqw.example.cn/u/") for link in first.values())
    token = first["洪文泽"].rsplit("/", 1)[1]
    credentials = Credentials(root)
    assert credentials.owner(token).name == "洪文泽"
    with sqlite3.connect(root / "serve.db") as db:  # never the token itself
        assert not any(token in str(v) for row in db.execute("SELECT * FROM tokens") for v in row)
    second = links(root)
    assert all(v.startswith("已发放") for v in second.values())
    renewed = links(root, "--name", "洪文泽")
    assert list(renewed) == ["洪文泽"] and credentials.owner(token) is None
    new = renewed["洪文泽"].rsplit("/", 1)[1]
    assert bqw("-w", root, "serve", "revoke", "洪文泽").returncode == 0
    assert credentials.owner(new).revoked
    refused = bqw("-w", root, "serve", "revoke", "无此人")
    assert refused.returncode == 2 and "没有发放过" in refused.stderr
    assert "/u/" in links(root)["洪文泽"]  # a revoked one gets a new link
    assert bqw("-w", root, "serve", "links", "--name", "无此人").returncode == 2


def test_passwd_asks_twice_and_keeps_an_argon2_hash(tmp_path):
    from bqw.web.auth import Credentials

    root = make_workspace(tmp_path / "ws")
    mismatch = bqw("-w", root, "serve", "passwd", input="口令口令-123\n口令口令-456\n")
    assert mismatch.returncode == 2 and "不一致" in mismatch.stderr
    assert not Credentials(root).has_password()
    short = bqw("-w", root, "serve", "passwd", input="abc\nabc\n")
    assert short.returncode == 2 and "至少 8" in short.stderr
    ok = bqw("-w", root, "serve", "passwd", input="口令口令-123\n口令口令-123\n")
    assert ok.returncode == 0 and "口令口令-123" not in ok.stdout
    credentials = Credentials(root)
    assert credentials.check_password("口令口令-123") and not credentials.check_password("口令口令-124")
    with sqlite3.connect(root / "serve.db") as db:
        stored = db.execute("SELECT value FROM settings WHERE key='password'").fetchone()[0]
    assert stored.startswith("$argon2")


def test_serve_help_is_chinese_with_examples():
    proc = bqw("serve", "--help")
    assert proc.returncode == 0 and "示例" in proc.stdout and "bqw serve" in proc.stdout
    assert "links" in proc.stdout and "passwd" in proc.stdout and "revoke" in proc.stdout

"""Temporary files of a killed bqw (`.bqw-<pid>-….xlsx`) are removed by the next write into their folder;
a live process's are left alone. The liveness check is bqw.core.atomic.pid_alive, never a signal sent
on Windows (os.kill(pid, 0) there would stop the process: issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys

from bqw.core.atomic import atomic_path, pid_alive


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_dead_writers_temporary_file_goes_and_a_live_ones_stays(tmp_path):
    dead = _dead_pid()
    assert not pid_alive(dead) and pid_alive(os.getpid())
    left = tmp_path / f".bqw-{dead}-0123456789ab.xlsx"
    live = tmp_path / f".bqw-{os.getpid()}-ba9876543210.xlsx"
    odd = tmp_path / ".bqw-notapid-x.xlsx"
    for p in (left, live, odd):
        p.write_bytes(b"x")
    with atomic_path(tmp_path / "合并.md") as tmp:
        tmp.write_text("# 合并\n", encoding="utf-8")
    assert not left.exists() and live.exists() and odd.exists()
    assert (tmp_path / "合并.md").read_text(encoding="utf-8") == "# 合并\n"

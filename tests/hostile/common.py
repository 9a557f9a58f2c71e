"""Helpers shared by the hostile-input tests: running bqw under a memory limit, and checks."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BQW = Path(sys.executable).parent / "bqw"
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space: a zip bomb inflating to GBs would abort here
RSS_LIMIT_MB = 800  # “hundreds of MB”: the largest sheet Excel can hold, read, stays well under this
TIMEOUT = 60  # seconds, per command

# Runs one command and reports its peak memory (ru_maxrss of its only child) on stderr's last line.
_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
sys.stderr.write("\\nBQW_MAXRSS_KB=%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


class Ran:
    """A finished command: returncode, stdout, stderr (without the memory line), rss_mb, seconds."""

    def __init__(self, proc: subprocess.CompletedProcess, seconds: float):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        head, mark, rss = proc.stderr.rpartition("\nBQW_MAXRSS_KB=")
        self.stderr = head if mark else proc.stderr
        self.rss_mb = int(rss.strip() or 0) / 1024 if mark else 0.0
        self.seconds = seconds

    def json(self):
        return json.loads(self.stdout)

    def __repr__(self):
        return (f"<Ran {self.returncode} {self.seconds:.1f}s {self.rss_mb:.0f}MB\nstdout: {self.stdout[-3000:]}\n"
                f"stderr: {self.stderr[-3000:]}>")


def run_limited(*args, cwd=None, env=None) -> Ran:
    """bqw in a subprocess with RLIMIT_AS 1.5 GB and a timeout; its peak memory is measured."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(BQW), *map(str, args)], capture_output=True,
                          text=True, errors="surrogateescape", timeout=TIMEOUT, preexec_fn=_limited, cwd=cwd,
                          env={**os.environ, **(env or {})})
    return Ran(proc, time.monotonic() - start)


def assert_clean_exit(ran: Ran, codes=(1,)):
    """The exit code expected, no traceback, no internal error, bounded time and memory."""
    assert ran.returncode in codes, ran
    text = ran.stdout + ran.stderr
    assert "Traceback" not in text and "内部错误" not in text, ran
    assert ran.rss_mb < RSS_LIMIT_MB, ran
    assert ran.seconds < TIMEOUT, ran


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def fingerprint(paths) -> dict:
    """sha256, size and mtime_ns of every input (symlinks by their own lstat and target's bytes)."""
    out = {}
    for p in paths:
        p = Path(p)
        st = os.lstat(p)
        entry = {"mtime_ns": st.st_mtime_ns, "size": st.st_size, "mode": st.st_mode}
        if p.is_symlink():
            entry["link"] = os.readlink(p)
        elif p.is_file():
            entry["sha256"] = hashlib.sha256(p.read_bytes()).hexdigest()
        out[str(p)] = entry
    return out


def tree(root: Path) -> set[str]:
    """Every path under root (relative), without following symlinks."""
    root = Path(root)
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def all_inside(paths, folder: Path) -> bool:
    folder = Path(folder).resolve()
    return all(Path(p).resolve().parent == folder or folder in Path(p).resolve().parents for p in paths)


def make_workspace(root: Path) -> Path:
    """A workspace as `bqw init DIR --town 平安镇 --year 2026` makes it (in process: faster), with the
    sample assignments and roster."""
    from conftest import SAMPLES

    from bqw.jobs.config import init

    init(root, town="平安镇", year=2026)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), root / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copy(next((SAMPLES / "roster").glob("*.xlsx")), root / "名单" / "指挥部成员名单.xlsx")
    return root

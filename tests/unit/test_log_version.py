"""Every line of bqw.log names the bqw that wrote it (issue 16): “<time> bqw <VERSION> <text>”. A run writes
one line — its conclusion, or why it stopped — so every run's version is in the log."""

from __future__ import annotations

import re

from bqw.cli.exit import ExitCode
from bqw.core.version import VERSION
from bqw.jobs import routine
from bqw.jobs.config import Config
from conftest import run_bqw

LINE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d bqw (?P<version>\S+) (?P<text>.*)")


def test_log_line_puts_the_version_after_the_time(tmp_path):
    cfg = Config(root=tmp_path, log=tmp_path / "bqw.log")
    routine.log_line(cfg, "run: 没有新文件\n第二行", "Traceback (most recent call last):\n  …\n")
    lines = (tmp_path / "bqw.log").read_text(encoding="utf-8").splitlines()
    m = LINE.fullmatch(lines[0])
    assert m and m["version"] == VERSION and m["text"] == "run: 没有新文件\\n第二行"
    assert lines[1:] == ["Traceback (most recent call last):", "  …"]  # the detail as it is, below


def test_each_run_finished_or_refused_leaves_a_line_with_the_version(tmp_path):
    root = tmp_path / "ws"
    run_bqw("init", root, "--year", "2026", check_code=ExitCode.OK)
    run_bqw("run", "--as-of", "2026-10-31", cwd=root, check_code=ExitCode.OK)
    run_bqw("run", "--period", "2026-13", cwd=root, check_code=ExitCode.USAGE)
    lines = (root / "bqw.log").read_text(encoding="utf-8").splitlines()
    matched = [LINE.fullmatch(line) for line in lines]
    assert len(lines) == 2 and all(m and m["version"] == VERSION for m in matched), lines
    assert matched[0]["text"].startswith("run: 没有新文件") and matched[1]["text"].endswith("退出码 2")

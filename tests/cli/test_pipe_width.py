"""Output that is not on a terminal is never folded (issue 16): cron mail and grep see a whole path on one
line, however long, and tables take their natural width. Each command here is piped (stdout a pipe, COLUMNS
set narrow as a terminal would) and prints a path longer than 150 characters."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from bqw.cli.exit import ExitCode
from conftest import SAMPLES

LIMING = SAMPLES / "2026-10" / "附件3：平安镇领导挂点调研台账（10月）-李明.xlsx"
# a file name of 70 characters (210 bytes in UTF-8, under the 255 a file system allows)
LONG_NAME = "附件3：平安镇领导挂点调研台账（10月）-李明" + "（经办人已核对无误请各位领导审阅）" * 3 + ".xlsx"


def piped(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"COLUMNS": "60", "LINES": "20"}  # what rich would use on a terminal: ignored when piped
    exe = Path(sys.executable).parent / "bqw"
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=120)


@pytest.fixture
def deep(tmp_path) -> Path:
    """A folder whose path is longer than 150 characters, holding a sample ledger under a long name."""
    folder = tmp_path / ("平安镇百千万工程指挥部办公室" * 3) / ("二〇二六年十月各单位报送的挂点调研台账" * 2)
    folder.mkdir(parents=True)
    shutil.copy(LIMING, folder / LONG_NAME)
    assert len(str(folder / LONG_NAME)) > 150
    return folder


def test_validate_prints_the_whole_path(deep):
    proc = piped("validate", deep / LONG_NAME, cwd=deep)
    assert proc.returncode == ExitCode.OK, proc.stderr
    lines = proc.stdout.splitlines()
    assert f"文件：{deep / LONG_NAME}" in lines
    assert f"✔ 通过：{LONG_NAME}（4 行，0 个警告）" in lines


def test_merge_prints_the_whole_output_path_and_file_names(deep):
    out = deep / ("合并结果" * 5 + ".xlsx")
    proc = piped("merge", deep / LONG_NAME, "-o", out, "--no-archive", "--as-of", "2026-10-31", cwd=deep)
    assert proc.returncode == ExitCode.OK, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1] == f"已写出：{out}" and out.is_file()
    # the table is as wide as its content: the long file name sits whole in its row
    (row,) = [line for line in lines if LONG_NAME in line]
    assert row.startswith("│" + LONG_NAME) and "已接收" in row and "李明" in row
    table = [line for line in lines if line and line[0] in "┏┃┡│└"]
    assert len(table) == 5 and len({cell_len(line) for line in table}) == 1  # one table, its lines as wide


def test_run_prints_the_whole_log_path(deep):
    root = deep / "工作区"
    proc = piped("init", root, "--town", "平安镇", "--year", "2026", cwd=deep)
    assert proc.returncode == ExitCode.OK, proc.stderr
    proc = piped("run", "--as-of", "2026-10-31", cwd=root)
    assert proc.returncode == ExitCode.OK, proc.stderr
    assert proc.stdout.splitlines()[-1] == f"运行日志：{root / 'bqw.log'}"
    assert len(str(root / "bqw.log")) > 150


def test_inspect_prints_the_whole_path(deep):
    proc = piped("inspect", deep / LONG_NAME, cwd=deep)
    assert proc.returncode == ExitCode.OK, proc.stderr
    assert f"文件：{deep / LONG_NAME}" in proc.stdout.splitlines()

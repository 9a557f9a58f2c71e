"""Shared fixtures: small workbooks built in the test, and the project's paths."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# bqw renders each 通报 with LibreOffice (when installed) to keep its 版记 on an even page; tests that
# are about rendering turn it back on themselves
os.environ.setdefault("BQW_SOFFICE", "none")
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT / "tests"))


def write_xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = (), sheet: str = "Sheet1",
               before: dict | None = None, hidden: dict | None = None) -> Path:
    """A workbook with `rows` from A1 on `sheet`; `before` sheets come first, `hidden` are hidden."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, content in (before or {}).items():
        ws = wb.create_sheet(name)
        for r in content:
            ws.append(r)
    ws = wb.create_sheet(sheet)
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    for name, content in (hidden or {}).items():
        h = wb.create_sheet(name)
        for r in content:
            h.append(r)
        h.sheet_state = "hidden"
    wb.save(path)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_bqw(*args, cwd=None, check_code=None):
    """Run the real console script in a subprocess; returns CompletedProcess (text)."""
    exe = Path(sys.executable).parent / "bqw"
    proc = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=120)
    if check_code is not None:
        assert proc.returncode == check_code, (proc.returncode, proc.stdout, proc.stderr)
    return proc


@pytest.fixture
def xlsx(tmp_path):
    """Factory: xlsx(rows, merges=(), name="t.xlsx", **kw) -> Path."""

    def make(rows, merges=(), name="t.xlsx", **kw):
        return write_xlsx(tmp_path / name, rows, merges, **kw)

    return make


VISITS_HEADER = ["序号", "镇领导", "调研时间", "调研地点", "调研内容", "推动解决问题数量", "联系人及联系方式", "备注"]


def visit_row(n=1, leader="洪文泽", when="2026年10月5日", village="东坑村", content="调研人居环境",
              count=1, contact="陈伟 13812345678", note=None):
    """A visits row; the 备注 defaults to “第n条” so that rows differ (identical rows are flagged)."""
    return [n, leader, when, village, content, count, contact, f"第{n}条" if note is None else note]


# The seven current October submissions: 洪文泽's corrected file replaces his original, and
# 李明(1) is a byte copy of 李明 — only 李明.xlsx is read.
OCTOBER_FILES = (
    "附件3：平安镇领导挂点调研台账（10月）-洪文泽（更正）.xlsx",
    "附件3：平安镇领导挂点调研台账（10月）-李明.xlsx",
    "附件3：平安镇领导挂点调研台账（10月）-陈志强.xls",
    "附件3：平安镇领导挂点调研台账(10月)-张国华.csv",
    "附件3：平安镇领导挂点调研台账（10月）-刘晓燕.xlsx",
    "附件3：平安镇领导挂点调研台账（10月）-林海峰.xlsx",
    "附件3：平安镇领导挂点调研台账（10月）-黄丽娟.csv",
)

"""`make demo`'s commands on a GBK console (Chinese Windows; PYTHONIOENCODING=gbk when piped), issue 16:
every step exits as it does on a UTF-8 console (no “bqw 内部错误：UnicodeEncodeError”), its output is
GBK that decodes, and the files it writes are those kept in tests/golden/demo — the console changes only
how ✔/✘ are shown (√/×, bqw.output.terminal.MARKS)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT
from golden.demo_outputs import dump, run_demo

from bqw.output.terminal import MARKS

pytestmark = pytest.mark.demo

GOLDEN = ROOT / "tests" / "golden" / "demo"


@pytest.fixture(scope="module")
def gbk_dumps() -> dict[str, str]:
    dest = Path(tempfile.mkdtemp(prefix="bqw-demo-", dir="/tmp" if Path("/tmp").is_dir() else None))
    try:
        return dump(dest, run_demo(dest, sys.executable, None, encoding="gbk"))  # a step exiting otherwise fails
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def _as_on_utf8(console: str) -> str:
    """The console text with ✔/✘ for their stand-ins, and without table rules and blanks: rich draws a
    table's box with ASCII (+, -, |) on a console that is not UTF-8, and lays its cells out again."""
    for symbol, stand_in in MARKS.values():
        console = console.replace(f"{stand_in} ", f"{symbol} ")
    return "".join(ch for ch in console if not ch.isspace() and ch not in RULES)


RULES = set("+-|=") | {chr(c) for c in range(0x2500, 0x2580)}  # ASCII and Unicode box drawing


def test_gbk_console_writes_the_same_files(gbk_dumps):
    files = {name: text for name, text in gbk_dumps.items() if not name.startswith("stdout__")}
    assert len(files) >= 40
    for name, text in files.items():
        assert text == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_gbk_console_shows_the_same_lines(gbk_dumps):
    consoles = {name: text for name, text in gbk_dumps.items() if name.startswith("stdout__")}
    assert consoles
    shown = "".join(consoles.values())
    assert "内部错误" not in shown and "UnicodeEncodeError" not in shown
    assert "√ 通过" in shown and "× 未通过" in shown  # the stand-ins, not “?”
    for name, text in consoles.items():
        assert _as_on_utf8(text) == _as_on_utf8((GOLDEN / name).read_text(encoding="utf-8")), name

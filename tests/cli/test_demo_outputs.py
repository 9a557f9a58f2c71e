"""`make demo`'s outputs are those kept from before the redesign (issue 15): workbooks cell for cell,
JSON/Markdown/CSV byte for byte, documents' text and formats, the archives' rows, every command's console
output and exit code.

The demo's commands run once (tests/golden/demo_outputs.py: the Makefile's steps on a copy of samples/,
with this Python's bqw) and each output's dump is compared with tests/golden/demo/<its path, “/” as
“__”>.txt. The kept files were made from commit 55e7ecf (before the redesign); when a change of output is
intended, rewrite them and review the diff before committing:

    BQW_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q -m demo tests/cli/test_demo_outputs.py

The demo takes ~20 s (several processes): marked `demo` so that a quick run can leave it out (-m 'not demo').
"""

from __future__ import annotations

import difflib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT
from golden.demo_outputs import dump, run_demo

pytestmark = pytest.mark.demo

GOLDEN = ROOT / "tests" / "golden" / "demo"
UPDATE = os.environ.get("BQW_UPDATE_GOLDEN") == "1"
KEPT = sorted(p.name for p in GOLDEN.glob("*.txt"))


@pytest.fixture(scope="module")
def dumps() -> dict[str, str]:
    """The demo run once with this code, every output dumped. Its folder is short and fixed in length
    (/tmp/bqw-demo-XXXXXXXX, not tmp_path): the console lines that name an output's absolute path wrap
    at 120 columns, as they did when the kept files were made."""
    dest = Path(tempfile.mkdtemp(prefix="bqw-demo-", dir="/tmp" if Path("/tmp").is_dir() else None))
    try:
        return dump(dest, run_demo(dest, sys.executable, None))
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def _first_differences(expected: str, actual: str, name: str, limit: int = 60) -> str:
    diff = list(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                     f"golden/demo/{name} (55e7ecf)", "make demo (now)", n=2))
    shown = "".join(diff[:limit])
    return shown + (f"\n… {len(diff) - limit} more diff lines" if len(diff) > limit else "")


@pytest.mark.parametrize("name", KEPT)
def test_demo_output_matches_kept(name, dumps):
    path = GOLDEN / name
    if UPDATE:
        if name in dumps:
            path.write_text(dumps[name], encoding="utf-8")
        return
    assert name in dumps, f"the demo no longer writes the output kept as {name}"
    expected = path.read_text(encoding="utf-8")
    if dumps[name] != expected:
        pytest.fail(f"{name} differs from the demo's output before the redesign (55e7ecf):\n"
                    f"{_first_differences(expected, dumps[name], name)}", pytrace=False)


def test_demo_writes_no_output_that_was_not_kept(dumps):
    # after the comparisons (pytest runs tests in file order): an update writes new files and drops stale ones
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in dumps.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
        for stale in set(KEPT) - set(dumps):
            (GOLDEN / stale).unlink()
        return
    assert len(KEPT) >= 50, "the kept dumps are missing: see this module's docstring"
    assert sorted(dumps) == KEPT

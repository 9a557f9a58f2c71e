"""Bad input: one Chinese message naming the file, exit 1, no traceback, bounded time and memory."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import sha256

from fixtures import bad_files

BQW = Path(sys.executable).parent / "bqw"
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space: a zip bomb inflating to GBs would abort here

EXPECTED = {
    "zero_byte": "file-empty",
    "corrupt_zip": "file-corrupt",
    "text_as_xlsx": "file-not-spreadsheet",
    "png_as_xlsx": "file-not-spreadsheet",
    "pdf_as_xlsx": "file-not-spreadsheet",
    "encrypted": "file-encrypted",
    "zip_bomb": "file-inflated-too-large",
    "wide_sheet": "sheet-too-wide",
    "far_cell": "sheet-too-wide",
    "wrong_kind": "no-data-sheet",
    "xml_entity_bomb": "file-unsafe-xml",
}


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(*args):
    return subprocess.run([str(BQW), *map(str, args)], capture_output=True, text=True, timeout=60,
                          preexec_fn=_limited)


@pytest.mark.parametrize("name,code", sorted(EXPECTED.items()))
def test_bad_file_one_message_exit_1(tmp_path, name, code):
    path = bad_files.ALL[name](tmp_path)
    before = sha256(path)
    proc = run_limited("validate", path, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    (entry,) = json.loads(proc.stdout)["files"]
    assert entry["valid"] is False
    assert [f["code"] for f in entry["findings"]] == [code]
    message = entry["findings"][0]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert sha256(path) == before

    table = run_limited("validate", path)
    assert table.returncode == 1 and path.name in table.stdout and "Traceback" not in table.stdout + table.stderr


def test_bad_file_does_not_stop_the_batch(tmp_path):
    for name in ("zero_byte", "zip_bomb", "encrypted", "utf8_bom_csv"):
        bad_files.ALL[name](tmp_path)
    proc = run_limited("validate", tmp_path, "--format", "json")
    assert proc.returncode == 1
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert len(files) == 4
    good = [f for f in files.values() if f["valid"]]
    assert len(good) == 1 and good[0]["rows"] == 2


def test_folder_named_like_a_workbook_inside_an_inbox(tmp_path):
    bad_files.ALL["folder_named_xlsx"](tmp_path)
    bad_files.ALL["gbk_csv"](tmp_path)
    proc = run_limited("validate", tmp_path, "--format", "json")
    assert proc.returncode == 1
    findings = [f["code"] for entry in json.loads(proc.stdout)["files"] for f in entry["findings"]]
    assert findings == ["file-unreadable"]


def test_limits_are_configurable(tmp_path, monkeypatch):
    from bqw.io.reader import read_ledger
    from bqw.core.limits import Limits

    path = bad_files.ALL["gbk_csv"](tmp_path)
    assert read_ledger(path).valid
    monkeypatch.setenv("BQW_MAX_FILE_MB", "0")
    assert [f.code for f in read_ledger(path, limits=Limits.from_env()).findings] == ["file-too-large"]

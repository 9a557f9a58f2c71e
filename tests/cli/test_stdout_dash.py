"""`-o -` writes a command's one text file to standard output (issue 16): summarise md/json."""

from __future__ import annotations

import json

from conftest import ROOT, run_bqw

OCT = ROOT / "samples" / "2026-10"


def test_summarise_json_to_standard_output_with_a_dash(tmp_path):
    args = (OCT, "--kind", "visits", "--period", "2026-10", "--as-of", "2026-10-31", "--format", "json")
    dashed = run_bqw("summarise", *args, "-o", "-", cwd=tmp_path, check_code=0)
    plain = run_bqw("summarise", *args, cwd=tmp_path, check_code=0)
    assert json.loads(dashed.stdout) == json.loads(plain.stdout)
    assert list(tmp_path.iterdir()) == []  # no file called “-”


def test_summarise_xlsx_cannot_go_to_standard_output(tmp_path):
    proc = run_bqw("summarise", OCT, "--format", "xlsx", "-o", "-", cwd=tmp_path, check_code=2)
    assert "xlsx 格式不能写到屏幕" in proc.stderr
    assert list(tmp_path.iterdir()) == []

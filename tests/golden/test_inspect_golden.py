"""Golden files for `bqw inspect --format json`: one per spreadsheet in samples/ (every subfolder,
the errors examples, the Excel lock file, the .xls and the .csv files).

The real console script runs once from the repository root on every sample, each by its path relative
to the root (bqw inspect reads each file on its own, as it would alone: one process instead of one per
sample saves ~25 s of start-up), and each test compares that sample's part of the JSON with
tests/golden/inspect/<path under samples/, “/” as “__”>.json. (tests/cli/test_inspect.py runs single
files through the CLI against the library's own report.) The golden files are checked in and were each read against the sample itself; a change in
how bqw reads a sample shows here as a diff.

When a change is intended (the reader or the samples changed on purpose), regenerate them and review
the diff before committing:

    BQW_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/golden

The samples are the spreadsheets `bqw.io.inputs.collect_inputs` finds in samples/ (README.md and
errors/EXPECTED.json are not samples: bqw inspect on a folder lists them as skipped).
"""

from __future__ import annotations

import difflib
import json
import os

import pytest
from conftest import ROOT, SAMPLES, run_bqw

from bqw.io.inputs import collect_inputs

GOLDEN = ROOT / "tests" / "golden" / "inspect"
UPDATE = os.environ.get("BQW_UPDATE_GOLDEN") == "1"

SAMPLE_FILES = collect_inputs([SAMPLES])[0]


def golden_path(sample):
    return GOLDEN / (sample.relative_to(SAMPLES).as_posix().replace("/", "__") + ".json")


@pytest.fixture(scope="module")
def inspected() -> dict[str, dict]:
    """`bqw inspect` on every sample at once: each file's entry of the JSON, by its relative path."""
    relatives = [s.relative_to(ROOT).as_posix() for s in SAMPLE_FILES]
    proc = run_bqw("inspect", *relatives, "--format", "json", cwd=ROOT)
    assert proc.stderr == ""
    assert proc.returncode == 0, proc.stdout  # every sample is read (the lock file is skipped on purpose)
    files = json.loads(proc.stdout)["files"]
    assert [f["path"] for f in files] == relatives  # each once, in order, no machine-dependent path
    return {f["path"]: f for f in files}


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda s: s.relative_to(SAMPLES).as_posix())
def test_inspect_json_matches_golden(sample, inspected):
    relative = sample.relative_to(ROOT)
    report = {"files": [inspected[relative.as_posix()]]}  # what `bqw inspect <sample>` prints
    actual = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    path = golden_path(sample)
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run BQW_UPDATE_GOLDEN=1 pytest tests/golden"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            f"golden/{path.name}", "bqw inspect (now)"))
        pytest.fail(f"bqw inspect {relative} changed; if intended, BQW_UPDATE_GOLDEN=1 pytest tests/golden\n{diff}",
                    pytrace=False)


def test_every_sample_has_a_golden_file_and_no_golden_file_is_stale():
    # after the comparisons (pytest runs tests in file order): an update has written the files by now
    assert len(SAMPLE_FILES) >= 17  # 2026-10 (with the lock file, .xls, two .csv), errors, the others
    expected = {golden_path(s).name for s in SAMPLE_FILES}
    if UPDATE:
        for stale in {p.name for p in GOLDEN.glob("*.json")} - expected:
            (GOLDEN / stale).unlink()
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == sorted(expected)

"""Issue 7 §6: every command, on every sample and every hostile file, leaves the input's bytes
(sha256), size and modification time (mtime_ns) as they were — symlinks included (by lstat and
their target), pipes and folders named like workbooks too. (bqw template reads no input.)

The default run gives merge the whole of samples/ (the repository's own files, not copies) and
summarise the whole hostile batch (test_hostile_inputs checks validate --annotate, merge and run on
it; tests/cli/test_run.py checks `bqw run` on the samples); the slow tests add the other commands on
samples/, `bqw run` on a copy of them (its inbox must live in a workspace), every command on the
whole hostile batch, and every command on every file on its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES

from fixtures import bad_files
from hostile.common import assert_clean_exit, fingerprint, make_workspace, run_limited

SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix != ".json")
SLOW_MAKERS = {"million_rows", "tall_sheet"}
ARCHIVE_BREAKS = {"undecodable_name"}  # see test_hostile_inputs.test_name_that_is_not_utf8


def everything(root: Path) -> list[Path]:
    return sorted(root.rglob("*"))


def commands(inputs: list[Path], out: Path):
    """(label, argv) of every command that reads submissions, writing only under `out`."""
    return [
        ("validate", ["validate", *inputs, "--format", "json"]),
        ("validate --annotate", ["validate", *inputs, "--annotate", out / "退回", "--format", "json"]),
        ("merge", ["merge", *inputs, "-o", out / "合并.xlsx", "--archive", out / "bqw.db", "--format", "json"]),
        ("summarise", ["summarise", *inputs, "--as-of", "2026-10-31", "--format", "xlsx", "-o", out / "统计.xlsx"]),
    ]


@pytest.mark.parametrize("command", ["merge", pytest.param("validate --annotate", marks=pytest.mark.slow),
                                     pytest.param("summarise", marks=pytest.mark.slow),
                                     pytest.param("validate", marks=pytest.mark.slow)])
def test_samples_untouched_by_every_command(tmp_path, command):
    before = fingerprint(everything(SAMPLES))
    for label, argv in commands([SAMPLES], tmp_path / "out"):
        if label != command:
            continue
        ran = run_limited(*argv)
        assert_clean_exit(ran, (0, 1))
        assert fingerprint(everything(SAMPLES)) == before, label


@pytest.mark.slow
def test_samples_untouched_by_run(tmp_path):
    """(tests/cli/test_run.py checks the same on its own run of the samples, in the default run.)"""
    before = fingerprint(everything(SAMPLES))
    ws = make_workspace(tmp_path / "ws")
    for folder in ("2026-10", "rectification", "scores", "roster", "errors"):
        shutil.copytree(SAMPLES / folder, ws / "inbox" / folder)  # copy2: the same mtime
    inbox = fingerprint(everything(ws / "inbox"))
    for _ in range(2):  # a second run finds nothing new
        assert_clean_exit(run_limited("run", "--as-of", "2026-10-31", "--format", "json", cwd=ws), (0, 1))
        assert fingerprint(everything(ws / "inbox")) == inbox
    assert fingerprint(everything(SAMPLES)) == before


def _hostile_inbox(tmp_path: Path, names) -> tuple[Path, list[Path], list[Path]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    made = [bad_files.ALL[n](inbox) for n in names]
    watched = everything(inbox) + everything(tmp_path / "收件箱以外")  # the target of the outward symlink
    explicit = [p for p in made if p.name.startswith(".")]  # hidden from a folder walk: name them
    return inbox, watched, explicit


def test_hostile_files_untouched_by_summarise(tmp_path):
    """validate --annotate, merge and run are checked on the same batch by test_hostile_inputs."""
    inbox, watched, explicit = _hostile_inbox(tmp_path, sorted(set(bad_files.ALL) - SLOW_MAKERS - ARCHIVE_BREAKS))
    before = fingerprint(watched)
    (argv,) = [a for label, a in commands([inbox, *explicit], tmp_path / "out") if label == "summarise"]
    assert_clean_exit(run_limited(*argv), (0, 1))
    assert fingerprint(watched) == before


@pytest.mark.slow
def test_hostile_files_untouched_by_every_command(tmp_path):
    names = sorted(set(bad_files.ALL) - ARCHIVE_BREAKS)
    inbox, watched, explicit = _hostile_inbox(tmp_path, names)
    before = fingerprint(watched)
    for label, argv in commands([inbox, *explicit], tmp_path / "out"):
        assert_clean_exit(run_limited(*argv), (0, 1))
        assert fingerprint(watched) == before, label
    ws = make_workspace(tmp_path / "ws")
    for n in names:
        bad_files.ALL[n](ws / "inbox")
    inbox_ws = fingerprint(everything(ws / "inbox"))
    assert_clean_exit(run_limited("run", "--as-of", "2026-10-31", "--format", "json", cwd=ws))
    assert fingerprint(everything(ws / "inbox")) == inbox_ws


@pytest.mark.slow
@pytest.mark.parametrize("source", [*(f"sample:{p.relative_to(SAMPLES)}" for p in SAMPLE_FILES),
                                    *(f"hostile:{n}" for n in sorted(bad_files.ALL))])
def test_each_file_untouched_by_every_command(tmp_path, source):
    """Hostile files: validate and summarise here; validate --annotate, merge and run check the
    same in test_hostile_inputs.test_each_file_alone_with_a_good_one."""
    kind, name = source.split(":", 1)
    ws = make_workspace(tmp_path / "ws")
    if kind == "sample":
        path = ws / "inbox" / Path(name).name
        shutil.copy2(SAMPLES / name, path)
        labels = {"validate", "validate --annotate", "merge", "summarise", "run"}
    else:
        path = bad_files.ALL[name](ws / "inbox")
        labels = {"validate", "summarise"}
    before = fingerprint([path])
    for label, argv in commands([path], tmp_path / "out"):
        if label not in labels or label in ("merge", "summarise") and name in ARCHIVE_BREAKS:
            continue
        ran = run_limited(*argv)
        assert_clean_exit(ran, (0, 1, 2))  # 2: a path that is no file at all (dangling link, folder)
        assert fingerprint([path]) == before, label
    if "run" in labels:
        assert_clean_exit(run_limited("run", "--as-of", "2026-10-31", "--format", "json", cwd=ws), (0, 1))
        assert fingerprint([path]) == before, "run"

"""The wheel, built from this tree and installed into a fresh venv, works on its own (issue 16, Install).

`make test-wheel` (marker `wheel`, left out of make test): builds the wheel with pip (no `build` needed),
makes a venv without the system's packages, installs the wheel (its dependencies from the package index;
pip's cache makes the second time fast) and runs bqw from a folder outside the repository, so that nothing
can import the repository's bqw: --version, validate, merge, init + run (as make demo does) and tongbao.
The files the installed bqw writes are compared with those of the same source run as it is (the copy the
wheel was built from, with the repository's .venv): workbooks cell by cell, documents paragraph by paragraph.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from docx import Document

from bqw.core.version import VERSION

pytestmark = pytest.mark.wheel

REPO_BIN = Path(sys.executable).parent
# Not copied to build the wheel: what a fresh clone lacks (.gitignore), bench's generated data is hundreds of MB
LEFT_OUT = {".": {".git", ".venv", "out", "build", "bqw.egg-info", ".pytest_cache", ".hypothesis"}, "bench": {"data"}}


def left_out(folder: str, names: list[str]) -> set[str]:
    here = Path(folder).relative_to(ROOT).as_posix()
    return LEFT_OUT.get(here, set()) | {n for n in names if n == "__pycache__"}
TEMPLATES = ("tongbao.docx", "jianbao.docx", "fonts.conf")
AS_OF = "2026-10-31"


def scripts(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A copy of this tree: pip builds in the source folder (no build/ here), and the copy stays as it was
    while the tree is being edited."""
    src = tmp_path_factory.mktemp("source") / "bqw"
    shutil.copytree(ROOT, src, ignore=left_out)
    return src


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(dist)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [built] = dist.glob("bqw-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv (no --system-site-packages) with the wheel installed, dependencies from the index."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    proc = subprocess.run([str(scripts(venv) / "python"), "-m", "pip", "install", "-q", str(wheel)],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return venv


def bqw(bin_dir: Path, *args, cwd: Path, code: int = 0, source: Path | None = None) -> subprocess.CompletedProcess:
    """Run `bqw args` from `bin_dir` in `cwd` (with `source`'s bqw first on the path when given); its exit
    code must be `code`."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BQW_WORKSPACE", "PYTHONHOME")}
    if source is not None:
        env["PYTHONPATH"] = str(source)
    env.update(BQW_SOFFICE="none", NO_COLOR="1", COLUMNS="120")  # no LibreOffice pass: quick and the same here and there
    proc = subprocess.run([str(bin_dir / "bqw"), *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=600)
    assert proc.returncode == code, (args, proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def month(bin_dir: Path, folder: Path, source: Path, run_source: bool = False) -> dict[str, subprocess.CompletedProcess]:
    """make demo's steps on `source`'s samples in `folder` (outside the repository) with the bqw of `bin_dir`
    (running `source`'s code when `run_source`); each step's result by name."""
    samples = source / "samples"

    def step(*args, cwd: Path, code: int = 0):
        return bqw(bin_dir, *args, cwd=cwd, code=code, source=source if run_source else None)

    folder.mkdir(parents=True)
    shutil.copytree(samples, folder / "samples")
    said = {"version": step("--version", cwd=folder)}
    said["validate"] = step("validate", "samples/2026-10", "--assignments", "samples/assignments",
                            "--period", "2026-10", cwd=folder)
    said["validate errors"] = step("validate", "samples/errors", "--assignments", "samples/assignments",
                                   "--period", "2026-10", "--annotate", "退回", cwd=folder, code=1)
    said["merge"] = step("merge", "samples/2026-10", "-o", "汇总/挂点调研台账.xlsx", "--expect", "samples/assignments",
                         "--assignments", "samples/assignments", "--period", "2026-10", "--archive", "bqw.db",
                         cwd=folder)
    step("init", "工作区", "--town", "平安镇", "--year", "2026", cwd=folder)
    ws = folder / "工作区"
    shutil.copy(next((samples / "assignments").glob("*.xlsx")), ws / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copy(next((samples / "roster").glob("*.xlsx")), ws / "名单" / "指挥部成员名单.xlsx")
    for sub in ("2026-10", "rectification"):
        shutil.copytree(samples / sub, ws / "inbox" / sub)
    said["run"] = step("run", "--as-of", AS_OF, cwd=ws, code=1)  # overdue tasks and a missing return: exit 1
    said["run again"] = step("run", "--as-of", AS_OF, cwd=ws)  # nothing new
    said["tongbao"] = step("tongbao", "--type", "问题", "--as-of", AS_OF, "--date", "2026-11-03", "-o", "通报",
                           cwd=ws)
    return said


def contents(folder: Path) -> dict[str, object]:
    """Every workbook's cells (all sheets) and every document's paragraphs under `folder`, by relative path."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name.startswith("samples/") or "/inbox/" in name:
            continue
        if path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path)
            found[name] = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}
        elif path.suffix == ".docx":
            doc = Document(str(path))
            found[name] = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for c in t._cells]
    return found


def test_the_wheel_holds_bqw_and_its_templates_only(wheel, source):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"bqw", f"bqw-{VERSION}.dist-info"}  # no tests/, samples/, bench/
    for name in TEMPLATES:
        assert zipfile.ZipFile(wheel).read(f"bqw/templates/{name}") == (source / "templates" / name).read_bytes()
    modules = {p.relative_to(source).as_posix() for p in (source / "bqw").rglob("*.py")}
    assert {n for n in names if n.endswith(".py")} == modules | {"bqw/templates/__init__.py"}


def test_the_installed_bqw_does_a_month_as_its_source_does(venv, source, tmp_path):
    installed = scripts(venv)
    where = subprocess.run([str(installed / "python"), "-c", "import bqw, bqw.templates as t; "
                            "print(bqw.__file__); print(t.__path__[0])"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split("\n")
    assert all(Path(p).is_relative_to(venv) for p in where[:2]), where  # not the repository's bqw
    for name in TEMPLATES:
        assert (Path(where[1]) / name).read_bytes() == (source / "templates" / name).read_bytes()

    said = month(installed, tmp_path / "wheel", source)
    assert said["version"].stdout.strip() == f"bqw {VERSION}"
    ws = tmp_path / "wheel" / "工作区"
    for name in ("tongbao.docx", "jianbao.docx"):  # init gave the office its bases to restyle
        assert (ws / "templates" / name).read_bytes() == (source / "templates" / name).read_bytes()
    got = contents(tmp_path / "wheel")
    assert "汇总/挂点调研台账.xlsx" in got
    assert any(n.startswith("工作区/out/2026-10/") and n.endswith("（合并）.xlsx") for n in got)
    assert any(n.startswith("工作区/通报/问题通报") for n in got)
    assert any(n.startswith("退回/") for n in got)

    expected = month(REPO_BIN, tmp_path / "local", source, run_source=True)
    assert got == contents(tmp_path / "local")
    for step in ("validate", "validate errors", "merge", "run", "tongbao"):  # the folders' names are as long
        assert said[step].stdout.replace(f"{tmp_path}/wheel", f"{tmp_path}/local") == expected[step].stdout, step

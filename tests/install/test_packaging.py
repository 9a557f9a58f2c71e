"""What the wheel is made of (pyproject.toml), and how an installed bqw gives an office its 通报/简报 bases.

templates/ stays at the repository's top and is installed as the package bqw.templates; `bqw init` copies
its bases into the new workspace's templates/, where bqw takes them and the office restyles them
(docs/documents.md, “改版式”). The wheel itself is built and installed by test_wheel.py (make test-wheel).
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from conftest import ROOT
from docx import Document

from bqw.documents.common import TEMPLATE_NAMES, packaged_template, template_for
from bqw.jobs.config import init, load

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
TEMPLATE_FILES = sorted(p.name for p in (ROOT / "templates").iterdir() if p.is_file() and p.suffix != ".py")


def data_folders() -> set[str]:
    """Folders under bqw/ that hold files but no __init__.py (bqw/web/templates, bqw/web/static), dotted."""
    return {".".join(d.relative_to(ROOT).parts) for d in (ROOT / "bqw").rglob("*")
            if d.is_dir() and d.name != "__pycache__" and not (d / "__init__.py").exists()
            and any(f.is_file() for f in d.iterdir())}


WEB_DATA = sorted(f.relative_to(ROOT).as_posix() for folder in ("templates", "static")
                  for f in (ROOT / "bqw" / "web" / folder).iterdir() if f.is_file())


def test_every_package_under_bqw_is_listed():
    """The list is written out (a find cannot add bqw.templates): a new package left out of it would be
    missing from the wheel while every test run from the repository still passes. A data folder is listed
    too (setuptools' “subdirectory for data files”), or the build warns “Package would be ignored”."""
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "bqw").rglob("__init__.py")}
    assert data_folders() == {"bqw.web.templates", "bqw.web.static"}
    assert set(SETUPTOOLS["packages"]) == found | data_folders() | {"bqw.templates"}
    assert SETUPTOOLS["package-dir"] == {"bqw.templates": "templates"}


def test_the_build_takes_every_page_template_and_static_file_without_warning(tmp_path):
    """setuptools' build_py (what the wheel is made from) on a copy of the sources, offline with the venv's
    setuptools: every file of bqw/web/templates and bqw/web/static comes out byte for byte, and setuptools
    says nothing about packages it would ignore (it did while they were package-data of bqw.web)."""
    import shutil
    import subprocess
    import sys

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    for folder in ("bqw", "templates"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.run([sys.executable, "-W", "always", "-c", "from setuptools import setup; setup()",
                           "build_py", "--build-lib", str(tmp_path / "lib")], cwd=src, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    said = proc.stdout + proc.stderr
    assert "would be ignored" not in said and "as data is deprecated" not in said, said
    assert len(WEB_DATA) >= 12 and "bqw/web/templates/error.html" in WEB_DATA and "bqw/web/static/bqw.js" in WEB_DATA
    built = sorted(f.relative_to(tmp_path / "lib").as_posix() for f in (tmp_path / "lib" / "bqw" / "web").rglob("*")
                   if f.is_file() and f.suffix != ".py")
    assert built == WEB_DATA
    for name in WEB_DATA:
        assert (tmp_path / "lib" / name).read_bytes() == (ROOT / name).read_bytes(), name


def test_package_data_takes_every_file_of_templates():
    assert TEMPLATE_FILES == ["fonts.conf", "jianbao.docx", "tongbao.docx"]
    globs = SETUPTOOLS["package-data"]["bqw.templates"]
    assert [name for name in TEMPLATE_FILES if not any(fnmatch(name, g) for g in globs)] == []


def test_the_installed_templates_are_the_repositorys():
    """In this editable install bqw.templates is the repository's templates/ folder itself."""
    for name in TEMPLATE_FILES:
        assert packaged_template(name).read_bytes() == (ROOT / "templates" / name).read_bytes(), name


def test_init_gives_the_workspace_the_bases_and_never_replaces_a_restyled_one(tmp_path):
    ws = tmp_path / "平安镇百千万"
    init(ws, town="平安镇", year=2026)
    for kind, name in TEMPLATE_NAMES.items():
        assert (ws / "templates" / name).read_bytes() == (ROOT / "templates" / name).read_bytes()
        assert template_for(load(ws / "bqw.toml"), kind) == ws / "templates" / name  # bqw takes it

    restyled = Document(str(ws / "templates" / "tongbao.docx"))  # the office changes the title's font
    restyled.styles["公文-标题"].font.name = "方正小标宋_GBK"
    restyled.save(str(ws / "templates" / "tongbao.docx"))
    office_bytes = (ws / "templates" / "tongbao.docx").read_bytes()
    (ws / "templates" / "jianbao.docx").unlink()
    (ws / "bqw.toml").write_text("[unit]\nname = \"改过的\"\n", encoding="utf-8")

    init(ws, town="平安镇", year=2026, force=True)
    assert (ws / "templates" / "tongbao.docx").read_bytes() == office_bytes  # kept, even with --force
    assert (ws / "templates" / "jianbao.docx").read_bytes() == (ROOT / "templates" / "jianbao.docx").read_bytes()
    assert "改过的" not in (ws / "bqw.toml").read_text(encoding="utf-8")  # --force still rewrites bqw.toml
    assert sorted(p.name for p in (ws / "templates").iterdir()) == ["jianbao.docx", "tongbao.docx"]

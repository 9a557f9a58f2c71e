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


def test_every_package_under_bqw_is_listed():
    """The list is written out (a find cannot add bqw.templates): a new package left out of it would be
    missing from the wheel while every test run from the repository still passes."""
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "bqw").rglob("__init__.py")}
    assert set(SETUPTOOLS["packages"]) == found | {"bqw.templates"}
    assert SETUPTOOLS["package-dir"] == {"bqw.templates": "templates"}


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

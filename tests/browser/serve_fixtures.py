"""The workspace bqw serve's page tests run on, built as make demo builds out/演示工作区 (a module of its own:
a second conftest.py would shadow tests/conftest.py, which the tests import by that name)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES


def build_workspace(folder: Path) -> Path:
    """bqw init + the samples' assignments and roster in `folder` (no inbox files: nobody has reported yet)."""
    from bqw.jobs.config import init

    init(folder, town="平安镇", year=2026)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), folder / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copy(next((SAMPLES / "roster").glob("*.xlsx")), folder / "名单" / "指挥部成员名单.xlsx")
    return folder


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """build_workspace in a folder of the module's."""
    return build_workspace(tmp_path_factory.mktemp("serve") / "工作区")

"""The lists docs/ledgers.md shows (bqw.io.forms) are what bqw reads: each value form is parsed by the
reader's own parser for a column of its type, and each layout names a test that exists."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from bqw.io.forms import LAYOUTS, VALUE_FORMS, YEAR
from bqw.io.cells import parse_value
from bqw.core.dates import STANDING
from bqw.ledgers import get_spec

# a column of each form's type, as the reader parses it
COLUMNS = {"date": ("problems", "发现时间"), "range": ("visits", "调研时间"), "deadline": ("tasks", "完成时限"),
           "count": ("visits", "推动解决问题数量"), "number": ("scores", "指标1"), "yesno": ("scores", "负面1")}


def shown(kind: str, parsed, days) -> str:
    value = parsed.value
    if kind == "deadline" and parsed.extra == STANDING:
        return "长期"
    if kind in ("date", "deadline"):
        return value.isoformat()
    if kind == "range":
        return f"{value.isoformat()}，{days} 天"
    if kind == "number":
        return f"{value:g}"
    if kind == "yesno":
        return "有" if value else "无"
    return str(value)


@pytest.mark.parametrize("form", VALUE_FORMS, ids=lambda f: f"{f.kind}-{f.written}")
def test_every_value_form_reads_as_the_docs_say(form):
    kind, name = COLUMNS[form.kind]
    parsed, days = parse_value(form.written, get_spec(kind).column(name), YEAR)
    assert parsed.error is None, parsed
    assert shown(form.kind, parsed, days) == form.read_as


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda x: x.name)
def test_every_layout_names_a_test_that_exists(layout):
    module, function = layout.test.split("::")
    tests = Path(__file__).resolve().parents[1]
    assert (tests / module).is_file(), layout.test
    sys.path.insert(0, str((tests / module).parent))
    try:
        assert callable(getattr(importlib.import_module(Path(module).stem), function)), layout.test
    finally:
        sys.path.pop(0)

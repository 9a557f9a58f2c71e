"""The docs generated from the spec and the rule catalogue (bqw.cli.docsgen) are present and up to date."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bqw.cli import docsgen
from bqw.core.findings import CATALOGUE, SEVERITY_ZH
from bqw.ledgers import KIND_ZH, KINDS, get_spec

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LEDGERS = (DOCS / "ledgers.md").read_text(encoding="utf-8")
RULES = (DOCS / "rules.md").read_text(encoding="utf-8")


def block(text: str, name: str) -> str:
    m = re.search(rf"<!-- BEGIN GENERATED {name} -->\n(.*?)\n<!-- END GENERATED {name} -->", text, re.S)
    assert m, f"generated block {name} missing"
    return m.group(1)


def test_docs_up_to_date():
    assert docsgen.update(DOCS, check=True) == [], "run: python -m bqw.cli.docsgen"


def test_docsgen_check_cli():
    proc = subprocess.run([sys.executable, "-m", "bqw.cli.docsgen", "--check", "--dir", str(DOCS)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_documented(kind):
    spec = get_spec(kind)
    text = block(LEDGERS, kind)
    assert text == docsgen.render_kind(kind)
    assert f"`{kind}`" in text and spec.title in text
    assert f"（{kind}）" in LEDGERS  # a section heading names the kind id
    overview = block(LEDGERS, "kinds")
    assert f"`{kind}`" in overview and KIND_ZH[kind] in overview
    for column in spec.columns:
        assert f"| {column.name} |" in text
        for alias in column.aliases:
            assert alias in text
        for value in column.enum:
            assert value in text
    for derived in spec.derived:
        assert derived.name in text
    for rule in spec.rules:
        assert f"`{rule.code}`" in text


def test_every_rule_documented():
    table = block(RULES, "rules")
    for code, rule in CATALOGUE.items():
        assert f"| `{code}` | {SEVERITY_ZH[rule.severity]} | {rule.title} |" in table
    assert table.count("\n| `") == len(CATALOGUE)


def test_ledgers_doc_contents():
    assert "每村每年至少 5 次、至少 5 天" in LEDGERS
    for heading in ("真实报表的常见情况", "取值写法", "问题整改三张清单", "典型村评价", "派生列", "来源", "填表说明"):
        assert re.search(rf"^#+ .*{heading}", LEDGERS, re.M), heading
    for synonym in ("已销号=已完成", "进行中=推进中"):
        assert synonym in LEDGERS
    for trait in ("填报单位", "两行表头", "示例行", "合计", "合并", "隐藏", "公式", ".xls", ".csv", "GBK",
                  "~$", "文件名"):
        assert trait in LEDGERS, trait
    rubric = block(LEDGERS, "scores")
    assert "| 风貌提升 | 12 分 | 6（7分）、7（5分） |" in rubric
    assert "一票否决" in rubric


def test_doc_citations_resolve():
    """Every heading of docs/ledgers.md that code or tests cite by name exists."""
    headings = re.findall(r"^#+ (.+)$", LEDGERS, re.M)
    cited = set()
    for path in [*(ROOT / "bqw").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]:
        cited |= set(re.findall(r"docs/ledgers\.md[,，]\s*[“\"]([^”\"]+)[”\"]", path.read_text(encoding="utf-8")))
    assert cited
    missing = [c for c in cited if not any(c in h for h in headings)]
    assert missing == []


def test_update_rewrites_stale_blocks(tmp_path):
    for name in docsgen.FILES:
        shutil.copy(DOCS / name, tmp_path / name)
    stale = (tmp_path / "ledgers.md").read_text(encoding="utf-8")
    stale = stale.replace(block(stale, "visits"), "旧的表格")
    (tmp_path / "ledgers.md").write_text(stale, encoding="utf-8")
    (tmp_path / "rules.md").write_text("# 校验规则\n", encoding="utf-8")  # block missing: appended

    assert sorted(Path(p).name for p in docsgen.update(tmp_path, check=True)) == ["ledgers.md", "rules.md"]
    assert (tmp_path / "ledgers.md").read_text(encoding="utf-8") == stale  # check never writes
    assert sorted(Path(p).name for p in docsgen.update(tmp_path)) == ["ledgers.md", "rules.md"]
    assert docsgen.update(tmp_path, check=True) == []
    assert (tmp_path / "ledgers.md").read_text(encoding="utf-8") == LEDGERS
    assert block((tmp_path / "rules.md").read_text(encoding="utf-8"), "rules") == docsgen.render_rules()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(docsgen.FILES)  # no temp files


def _tables(text: str) -> list[list[str]]:
    tables, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def test_render_is_markdown_safe():
    """Every row of every generated table has as many cells as its header (pipes escaped)."""
    texts = [docsgen.render_kind(k) for k in KINDS] + [docsgen.render_kinds(), docsgen.render_rules()]
    for text in texts:
        for table in _tables(text):
            widths = {line.replace("\\|", "").count("|") for line in table}
            assert len(widths) == 1, table[0]

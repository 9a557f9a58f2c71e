"""Every file path the docs cite exists in the project.

Read: README.md, docs/*.md, and the docstrings and comments of bqw/**/*.py. A cited path starts with
docs/, bqw/, tests/, samples/, templates/ or bench/ (a glob such as tests/cli/test_run*.py must match a
file; tests/x.py::name must name a function or class of that file). ../shared/ is the specification's
folder beside the project, not part of it: the project must not send a reader there.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = ("docs", "bqw", "tests", "samples", "templates", "bench")
OUTSIDE = ("../shared", "/work/shared")  # the specification's folder: not shipped with the project
# a path runs until whitespace, a quote, a bracket or , ; (full-width punctuation is handled below:
# it may be part of a file name, as in samples/2026-10/附件3：…（10月）-李明.xlsx, or end the path)
CITED = re.compile(r"(?<![\w./-])(?:\.\./shared|/work/shared|(?:" + "|".join(PREFIXES)
                   + r"))/[^\s`'\"<>|()\[\]{},;]*")


@dataclass(frozen=True)
class Citation:
    where: str  # file:line
    path: str


def _texts_of_python(path: Path) -> list[tuple[int, str]]:
    """(first line, text) of every docstring and comment of a Python file."""
    source = path.read_text(encoding="utf-8")
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            found.append((token.start[0], token.string))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                found.append((body[0].lineno, body[0].value.value))
    return sorted(found)


def citations(root: Path) -> list[Citation]:
    """Every path cited by README.md, docs/*.md and bqw's docstrings and comments."""
    texts = []
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        if doc.is_file():
            texts.append((doc, 1, doc.read_text(encoding="utf-8")))
    for module in sorted((root / "bqw").rglob("*.py")):
        texts += [(module, line, text) for line, text in _texts_of_python(module)]
    found = []
    for path, first, text in texts:
        for m in CITED.finditer(text):
            line = first + text.count("\n", 0, m.start())
            found.append(Citation(f"{path.relative_to(root).as_posix()}:{line}", m.group()))
    return found


def _candidates(cited: str) -> list[str]:
    """The path as written, and as cut before each full-width punctuation mark (…, ）, ：, 。) with
    trailing . or : dropped: the longest first, the shortest last."""
    cuts = [cited[:i] for i, ch in enumerate(cited) if ord(ch) > 127 and unicodedata.category(ch).startswith("P")]
    return [c.rstrip(".:") for c in [cited, *reversed(cuts)]]


def _exists(root: Path, cited: str) -> bool:
    path, _, name = cited.partition("::")
    if any(ch in path for ch in "*?"):
        return any(root.glob(path))
    target = root / path
    if not target.exists():
        return False
    if not name:
        return True
    tree = ast.parse(target.read_text(encoding="utf-8"))
    defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return name.split("::")[0].split("[")[0] in defined


def missing(root: Path) -> list[str]:
    """Citations of paths that do not exist, or of ../shared."""
    problems = []
    for c in citations(root):
        if c.path.startswith(OUTSIDE):
            problems.append(f"{c.where}: {_candidates(c.path)[-1]} is outside the project")
        elif not any(_exists(root, candidate) for candidate in _candidates(c.path)):
            problems.append(f"{c.where}: {_candidates(c.path)[-1]} does not exist")
    return problems


def test_every_cited_path_exists():
    assert missing(ROOT) == []


def test_the_docs_cite_paths():
    """The scan reads what it should: known citations are found where they are written."""
    cited = {c.path for c in citations(ROOT)}
    assert "docs/cli.md" in cited  # README.md
    assert any(c.where.startswith("bqw/") for c in citations(ROOT))  # docstrings and comments


def test_planted_stale_citations_are_found(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "cli.md").write_text("见 docs/cli.md（退出码）与 docs/run.md。\n", encoding="utf-8")
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    (tmp_path / "tests" / "unit" / "test_a.py").write_text("def test_there():\n    pass\n", encoding="utf-8")
    (tmp_path / "samples" / "2026-10").mkdir(parents=True)
    (tmp_path / "samples" / "2026-10" / "附件3：台账（10月）-李明.xlsx").touch()
    (tmp_path / "README.md").write_text(
        "`samples/2026-10/附件3：台账（10月）-李明.xlsx`，规格见 ../shared/ledgers.md；\n"
        "tests/unit/test_a.py::test_there 与 tests/unit/test_a*.py 都在。\n", encoding="utf-8")
    (tmp_path / "bqw").mkdir()
    (tmp_path / "bqw" / "x.py").write_text(
        '"""Reads bqw/x.py and bqw/…"""\n\n# pinned by tests/unit/test_a.py::test_gone\n'
        'def f():\n    """Writes templates/t.docx."""\n', encoding="utf-8")
    assert missing(tmp_path) == [
        "README.md:1: ../shared/ledgers.md is outside the project",
        "docs/cli.md:1: docs/run.md does not exist",
        "bqw/x.py:3: tests/unit/test_a.py::test_gone does not exist",
        "bqw/x.py:5: templates/t.docx does not exist",
    ]

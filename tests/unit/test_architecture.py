"""The shape of bqw/, read from its source with ast: which module may import which, and how big a file
or a function may grow.

Layers, top to bottom (a module imports only its own package or packages below it):

    cli → web → jobs → documents → output → summary → store → io → ledgers → fast → core

Nothing outside bqw/cli imports bqw.cli (bqw/__main__.py starts the command); no two modules import
each other, directly or round a longer circle (an import inside a function counts: it runs too); no
file over 500 lines, no function over 80. EXCEPTIONS names what may break a size limit, and why.
Each checker takes the folder holding bqw/, so the tests at the end run it on small planted trees.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("cli", "web", "jobs", "documents", "output", "summary", "store", "io", "ledgers", "fast", "core")
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80
# may import bqw.cli: the entry point of `python -m bqw`
CLI_STARTERS = {"bqw.__main__"}
# "bqw/path.py" (a file over MAX_FILE_LINES) or "bqw/path.py:Qual.name" (a function over
# MAX_FUNCTION_LINES) -> why it may. Keep it short: splitting is the rule.
EXCEPTIONS: dict[str, str] = {}


@dataclass(frozen=True)
class Import:
    """One import statement's edge: `source` imports `target` (both dotted module names)."""

    source: str
    target: str
    path: str  # the importing file, relative to the root
    line: int


def modules(root: Path) -> dict[str, Path]:
    """Every module of bqw/ under `root`: dotted name -> file (a package is its __init__.py)."""
    found = {}
    for path in sorted((root / "bqw").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _absolute(node: ast.ImportFrom, source: str, is_package: bool) -> str:
    """The module an ImportFrom names, with a relative one (from . import x) made absolute."""
    if not node.level:
        return node.module or ""
    base = source.split(".") if is_package else source.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(root: Path) -> list[Import]:
    """Every import of a bqw module by a bqw module, at any depth (module level, in functions, in
    `if TYPE_CHECKING:`). `from bqw.x import y` is an import of bqw.x.y when that is a module."""
    known = modules(root)
    edges = []
    for source, path in known.items():
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=rel)):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = _absolute(node, source, path.name == "__init__.py")
                for alias in node.names:
                    sub = f"{module}.{alias.name}"
                    targets.append(sub if sub in known else module)
            for target in targets:
                if target == "bqw" or target.startswith("bqw."):
                    edges.append(Import(source, target, rel, node.lineno))
    return edges


def layer(module: str) -> str | None:
    """bqw.io.reader -> "io"; None for the root package and bqw.__main__."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] != "__main__" else None


def upward_imports(root: Path) -> list[str]:
    """Imports of a higher layer (or of the root package bqw, the facade over jobs), and modules that
    belong to no layer."""
    rank = {name: i for i, name in enumerate(LAYERS)}
    problems = []
    outside = sorted({layer(m) for m in modules(root)} - set(rank) - {None})
    problems += [f"bqw/{name}: a package outside the layers {LAYERS}" for name in outside]
    for edge in imports(root):
        src, dst = layer(edge.source), layer(edge.target)
        if src not in rank:
            continue
        dst_rank = -1 if edge.target == "bqw" else rank.get(dst)
        if dst_rank is not None and dst_rank < rank[src]:
            problems.append(f"{edge.path}:{edge.line}: {src} imports {edge.target} (a layer above)")
    return problems


def cli_imports(root: Path) -> list[str]:
    """Imports of bqw.cli from outside bqw/cli."""
    return [f"{e.path}:{e.line}: {e.source} imports {e.target}" for e in imports(root)
            if (e.target == "bqw.cli" or e.target.startswith("bqw.cli."))
            and layer(e.source) != "cli" and e.source not in CLI_STARTERS]


def import_circles(root: Path) -> list[str]:
    """Each group of modules that import one another round a circle (a strongly connected component
    of the import graph, Tarjan's algorithm), with the imports that close it."""
    edges = [e for e in imports(root) if e.source != e.target]
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(node: str) -> None:  # recursive: bqw's import chains are far shorter than the limit
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    problems = []
    for group in groups:
        inside = sorted(f"{e.path}:{e.line} {e.source} -> {e.target}" for e in edges
                        if e.source in group and e.target in group)
        problems.append("import circle among " + ", ".join(sorted(group)) + ": " + "; ".join(inside))
    return problems


def long_files(root: Path, limit: int = MAX_FILE_LINES, exceptions: dict | None = None) -> list[str]:
    exceptions = EXCEPTIONS if exceptions is None else exceptions
    problems = []
    for path in modules(root).values():
        rel = path.relative_to(root).as_posix()
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit and rel not in exceptions:
            problems.append(f"{rel}: {count} lines (limit {limit})")
    return problems


def functions(root: Path) -> dict[str, int]:
    """"bqw/path.py:Qual.name" -> lines (end_lineno - lineno + 1) of every function and method."""
    found = {}

    def walk(node: ast.AST, rel: str, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    found[f"{rel}:{name}"] = child.end_lineno - child.lineno + 1
                walk(child, rel, name + ".")
            else:
                walk(child, rel, prefix)

    for path in modules(root).values():
        rel = path.relative_to(root).as_posix()
        walk(ast.parse(path.read_text(encoding="utf-8"), filename=rel), rel, "")
    return found


def long_functions(root: Path, limit: int = MAX_FUNCTION_LINES, exceptions: dict | None = None) -> list[str]:
    exceptions = EXCEPTIONS if exceptions is None else exceptions
    return [f"{key}: {count} lines (limit {limit})" for key, count in functions(root).items()
            if count > limit and key not in exceptions]


# --- the project --------------------------------------------------------------------------------

def test_no_upward_import():
    assert upward_imports(ROOT) == []


def test_only_cli_imports_cli():
    assert cli_imports(ROOT) == []


# the web service's libraries: only bqw/web and bqw serve's command import them (bqw --help stays fast)
WEB_LIBRARIES = ("starlette", "uvicorn", "jinja2", "argon2", "itsdangerous", "multipart", "python_multipart")
WEB_GATE = "bqw.cli.serving"  # the one module outside bqw/web that imports bqw.web


def web_imports(root: Path) -> list[str]:
    """Imports of bqw.web from outside bqw/web other than WEB_GATE; imports of WEB_LIBRARIES outside bqw/web
    other than inside WEB_GATE's functions."""
    problems = [f"{e.path}:{e.line}: {e.source} imports {e.target}" for e in imports(root)
                if (e.target == "bqw.web" or e.target.startswith("bqw.web.")) and layer(e.source) != "web"
                and e.source != WEB_GATE]
    for source, path in modules(root).items():
        if layer(source) == "web":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(map(id, tree.body)) if source == WEB_GATE else set()
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(n.split(".")[0] in WEB_LIBRARIES for n in names) and (source != WEB_GATE or id(node) in top):
                problems.append(f"{path.relative_to(root).as_posix()}:{node.lineno}: {source} imports {names[0]}")
    return problems


def test_only_serve_imports_web_and_its_libraries():
    assert web_imports(ROOT) == []


def test_no_import_circle():
    assert import_circles(ROOT) == []


def test_no_file_over_the_limit():
    assert long_files(ROOT) == []


def test_no_function_over_the_limit():
    assert long_functions(ROOT) == []


def test_every_exception_is_still_needed():
    """An entry whose file or function has come back under the limit goes (the list stays short)."""
    sizes = functions(ROOT)
    stale = []
    for key, why in EXCEPTIONS.items():
        assert why.strip(), f"{key}: say why"
        if ":" in key:
            if sizes.get(key, 0) <= MAX_FUNCTION_LINES:
                stale.append(key)
        elif not (ROOT / key).is_file() or len((ROOT / key).read_text(encoding="utf-8").splitlines()) \
                <= MAX_FILE_LINES:
            stale.append(key)
    assert stale == []


# --- the checkers on planted trees ----------------------------------------------------------------

def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A bqw/ under tmp_path with the given files (and every package's __init__.py)."""
    for rel, text in {"bqw/__init__.py": "", **files}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(tmp_path).parents:
            if str(folder) != "." and not (tmp_path / folder / "__init__.py").exists():
                (tmp_path / folder / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_checker_finds_an_upward_import(tmp_path):
    root = _tree(tmp_path, {
        "bqw/core/values.py": "def parse():\n    from bqw.io.reader import read  # upward, in a function\n",
        "bqw/io/reader.py": "from bqw.core import values\nfrom bqw.io import rows\n",  # down, own package
        "bqw/io/rows.py": "import bqw.ledgers.spec\n",
        "bqw/ledgers/spec.py": "from bqw import read_ledger\n",  # the facade sits above every layer
        "bqw/extras/tool.py": "",  # a package outside the layers
    })
    assert upward_imports(root) == [
        f"bqw/extras: a package outside the layers {LAYERS}",
        "bqw/core/values.py:2: core imports bqw.io.reader (a layer above)",
        "bqw/ledgers/spec.py:1: ledgers imports bqw (a layer above)",
    ]


def test_checker_finds_cli_imported_outside_cli(tmp_path):
    root = _tree(tmp_path, {
        "bqw/cli/options.py": "",
        "bqw/cli/app.py": "from bqw.cli.options import x\n",
        "bqw/__main__.py": "from bqw.cli.app import main\n",
        "bqw/jobs/config.py": "def f():\n    from bqw.cli import options\n",
    })
    assert cli_imports(root) == ["bqw/jobs/config.py:2: bqw.jobs.config imports bqw.cli.options"]


def test_checker_finds_an_import_circle(tmp_path):
    root = _tree(tmp_path, {
        "bqw/cli/app.py": "from bqw.cli import check\n",
        "bqw/cli/check.py": "def cmd():\n    from bqw.cli.app import app  # a function-level import counts\n",
        "bqw/cli/options.py": "from . import common\n",  # relative, one way only: no circle
        "bqw/cli/common.py": "import bqw.core.table\n",
        "bqw/core/table.py": "",
    })
    assert import_circles(root) == [
        "import circle among bqw.cli.app, bqw.cli.check: "
        "bqw/cli/app.py:1 bqw.cli.app -> bqw.cli.check; bqw/cli/check.py:2 bqw.cli.check -> bqw.cli.app"]


def test_checker_finds_a_longer_circle(tmp_path):
    root = _tree(tmp_path, {
        "bqw/io/a.py": "from bqw.io import b\n",
        "bqw/io/b.py": "from bqw.io.c import x\n",
        "bqw/io/c.py": "from .a import y\n",
    })
    [problem] = import_circles(root)
    assert problem.startswith("import circle among bqw.io.a, bqw.io.b, bqw.io.c: ")


def test_checker_finds_long_files_and_functions(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(79))
    method = body.replace("    ", "        ")
    root = _tree(tmp_path, {
        "bqw/core/fits.py": "\n" * 500,
        "bqw/core/big.py": "\n" * 501,
        "bqw/core/funcs.py": f"def fits():\n{body}\n\nclass K:\n    def big(self):\n{method}        pass\n",
    })
    assert functions(root)["bqw/core/funcs.py:fits"] == 80
    assert long_files(root, exceptions={}) == ["bqw/core/big.py: 501 lines (limit 500)"]
    assert long_functions(root, exceptions={}) == ["bqw/core/funcs.py:K.big: 81 lines (limit 80)"]
    assert long_files(root, exceptions={"bqw/core/big.py": "why"}) == []
    assert long_functions(root, exceptions={"bqw/core/funcs.py:K.big": "why"}) == []



def test_checker_finds_web_imports_outside_serve(tmp_path):
    root = _tree(tmp_path, {"bqw/jobs/x.py": "import starlette\nfrom bqw.web import api\n",
                            "bqw/web/api.py": "import starlette\n",
                            "bqw/cli/serving.py": "from bqw.web import api\nimport uvicorn\n\n"
                                                  "def serve():\n    import uvicorn\n"})
    assert web_imports(root) == ["bqw/jobs/x.py:2: bqw.jobs.x imports bqw.web.api",
                                 "bqw/cli/serving.py:2: bqw.cli.serving imports uvicorn",
                                 "bqw/jobs/x.py:1: bqw.jobs.x imports starlette"]

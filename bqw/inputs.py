"""Expand input arguments: files, folders (recursive) and globs — shared by the CLI and bqw run."""

from __future__ import annotations

import glob
from pathlib import Path

from bqw.io.workbook import SUPPORTED_EXTS


def _hidden(path: Path, root: Path) -> bool:
    """Dot files and folders found inside a folder (.DS_Store, ._x.xlsx from macOS, .git)."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def collect_inputs(paths) -> tuple[list[Path], list[Path], list[Path]]:
    """(spreadsheet files in a stable order, paths that do not exist, other files found in folders).

    A file named explicitly is always returned as a file, whatever its extension (it gets a clear
    message when read); other files found while walking a folder are listed apart, to be noted
    and skipped.
    """
    files, missing, others = [], [], []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if _hidden(f, p) or (f.is_dir() and f.suffix.lower() not in SUPPORTED_EXTS):
                    continue
                (files if f.suffix.lower() in SUPPORTED_EXTS else others).append(f)
        elif p.exists() or p.is_symlink():  # a dangling link gets the reader's message, not “找不到”
            files.append(p)
        elif any(ch in str(p) for ch in "*?["):
            files.extend(sorted(Path(g) for g in glob.glob(str(p), recursive=True)))
        else:
            missing.append(p)
    return _unique(files), missing, _unique(others)


def _unique(paths: list[Path]) -> list[Path]:
    seen, out = set(), []
    for f in paths:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out

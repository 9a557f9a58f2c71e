"""Expand the PATH arguments: files, folders (recursive) and globs."""

from __future__ import annotations

import glob
from pathlib import Path

from bqw.io.workbook import SUPPORTED_EXTS


def collect_inputs(paths) -> tuple[list[Path], list[Path]]:
    """(files to read in a stable order, paths that do not exist)."""
    files, missing = [], []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = [f for f in p.rglob("*") if f.suffix.lower() in SUPPORTED_EXTS]
            files.extend(sorted(found))
        elif p.exists():
            files.append(p)
        elif any(ch in str(p) for ch in "*?["):
            files.extend(sorted(Path(g) for g in glob.glob(str(p), recursive=True)))
        else:
            missing.append(p)
    seen, unique = set(), []
    for f in files:
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return unique, missing

"""Atomic output: write to a temporary file beside the target, then rename it into place.

A reader (or a crash) never sees a half-written file under its final name.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target):
    """Yield a temporary path beside `target`; on success it replaces `target`, else it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".bqw-{os.getpid()}-{uuid.uuid4().hex[:12]}{target.suffix}"
    try:
        yield tmp
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        with open(tmp, "rb") as fh:  # on disk before the rename, so a crash leaves old or new
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(target, text: str) -> None:
    with atomic_path(target) as tmp:
        with open(tmp, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

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


def _clean_stale(folder: Path) -> None:
    """Remove temporary files left by a bqw process that was killed (its PID is gone)."""
    for tmp in folder.glob(".bqw-*-*"):
        try:
            pid = int(tmp.name.split("-")[1])
            os.kill(pid, 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except (ValueError, IndexError, PermissionError, OSError):
            continue


@contextmanager
def atomic_path(target):
    """Yield a temporary path beside `target`; on success it replaces `target`, else it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target.parent)
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

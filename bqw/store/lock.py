"""One bqw at a time per archive: an OS file lock, released by the kernel when a process dies.

A lock left by a killed process is therefore never stale: the next run simply takes it. It is a
POSIX record lock (lockf), owned by the process alone: flock() would be shared with the worker
processes bqw forks to read files, and an orphaned worker of a killed run would keep it held.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path


def _try_lock(fd: int) -> bool:
    """Take the lock on the open file `fd` without waiting; False when another process holds it.
    The one place that knows the operating system's lock call (Windows: msvcrt.locking, issue 16)."""
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except (BlockingIOError, PermissionError):  # EAGAIN or EACCES: held by another process
        return False


def _holder(fd: int) -> str:
    """The process id the holder wrote into the lock file, or “?”."""
    return os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"


class LockBusy(Exception):
    def __init__(self, path: Path, holder: str):
        super().__init__(f"{path} is held by {holder}")
        self.path = path
        self.holder = holder


@contextmanager
def locked(target, timeout: float = 60.0, poll: float = 0.2):
    """Hold `<target>.lock` exclusively; wait up to `timeout` seconds, then raise LockBusy."""
    path = Path(f"{target}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise LockBusy(path, _holder(fd)) from None
            time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing releases the lock

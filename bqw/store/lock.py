"""One bqw at a time per archive: an OS file lock, released by the operating system when a process dies.

A lock left by a killed process is therefore never stale: the next run simply takes it. Two ways, one
chosen per process (`_posix_lockf`):

- Where Python has fcntl and the reading workers are forked (Linux, macOS): a POSIX record lock (lockf)
  on `<archive>.lock`, which holds the holder's process id. It is owned by the process alone: flock()
  would be shared with the worker processes bqw forks to read files, and an orphaned worker of a
  killed run would keep it held.
- Elsewhere (Windows, which has no fcntl; or BQW_NO_FORK=1, which tries this path on Linux): an
  exclusive SQLite transaction held open on `<archive>.lock.db`. SQLite takes the operating system's
  own lock (LockFileEx on Windows, fcntl in C on POSIX), released when the process ends; nothing here is
  written by hand. Its holder cannot be read while it is held: the message says “?”.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


class LockBusy(Exception):
    def __init__(self, path: Path, holder: str):
        super().__init__(f"{path} is held by {holder}")
        self.path = path
        self.holder = holder


def _posix_lockf() -> bool:
    """Whether this process locks with lockf (see the module docstring) rather than SQLite."""
    return fcntl is not None and os.environ.get("BQW_NO_FORK") != "1"


@contextmanager
def locked(target, timeout: float = 60.0, poll: float = 0.2):
    """Hold the archive `target`'s lock exclusively; wait up to `timeout` seconds, then raise LockBusy."""
    hold = _held_by_lockf if _posix_lockf() else _held_by_sqlite
    with hold(target, timeout, poll) as path:
        yield path


@contextmanager
def _held_by_lockf(target, timeout: float, poll: float):
    path = Path(f"{target}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (BlockingIOError, PermissionError):  # EAGAIN or EACCES: held by another process
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
                    raise LockBusy(path, holder) from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def _held_by_sqlite(target, timeout: float, poll: float):
    path = Path(f"{target}.lock.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=0, isolation_level=None)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                con.execute("BEGIN EXCLUSIVE")
                break
            except sqlite3.OperationalError:  # database is locked: held by another process
                if time.monotonic() >= deadline:
                    raise LockBusy(path, "?") from None
                time.sleep(poll)
        yield path
    finally:
        con.close()  # closing ends the transaction and releases the lock

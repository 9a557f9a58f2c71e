"""The archive's lock, both ways (bqw.store.lock): lockf where Python has fcntl and the workers fork;
an exclusive SQLite transaction elsewhere (Windows; BQW_NO_FORK=1 here). Each: a second holder waits
and gives up with LockBusy, the lock is free once released, and a killed holder leaves it free."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from bqw.store import lock

HOLD = """
import sys, time
from bqw.store.lock import locked
with locked(sys.argv[1], timeout=5):
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.fixture(params=["lockf", "sqlite"])
def way(request, monkeypatch):
    if request.param == "lockf":
        if lock.fcntl is None:
            pytest.skip("no fcntl here (Windows, or make test-portable)")
        monkeypatch.delenv("BQW_NO_FORK", raising=False)
    else:
        monkeypatch.setenv("BQW_NO_FORK", "1")
    return request.param


def _holder(target):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(target)], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ))
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_holder_waits_then_gives_up(tmp_path, way):
    target = tmp_path / "bqw.db"
    proc = _holder(target)
    try:
        started = time.monotonic()
        with pytest.raises(lock.LockBusy) as busy:
            with lock.locked(target, timeout=0.5, poll=0.05):
                pass
        assert time.monotonic() - started >= 0.5
        assert busy.value.holder == (str(proc.pid) if way == "lockf" else "?")
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_holder_leaves_the_lock_free(tmp_path, way):
    target = tmp_path / "bqw.db"
    proc = _holder(target)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with lock.locked(target, timeout=2, poll=0.05) as path:
        assert path.name == ("bqw.db.lock" if way == "lockf" else "bqw.db.lock.db")


def test_released_lock_is_taken_again_at_once(tmp_path, way):
    target = tmp_path / "bqw.db"
    with lock.locked(target, timeout=0):
        pass
    with lock.locked(target, timeout=0):
        pass

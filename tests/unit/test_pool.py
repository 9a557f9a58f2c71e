"""The reading pool's portable path (issue 16): spawned workers, as on Windows, give what forked ones and
this process give, in the same order."""

from __future__ import annotations

import os

import pytest

from bqw.fast import pool


SET_IN_PARENT: list[int] = []  # a forked worker sees what the parent set; a spawned one imports this anew


def _squares(batch: list[int]) -> list[tuple[int, int, bool]]:
    return [(n, n * n, bool(SET_IN_PARENT)) for n in batch]


@pytest.mark.parametrize("no_fork", ["1", "0"], ids=["spawn", "fork"])
def test_workers_give_the_items_results_in_order(monkeypatch, no_fork):
    monkeypatch.setenv("BQW_NO_FORK", no_fork)
    monkeypatch.setenv("BQW_POOL_MIN_FILES", "1")  # use the workers for a few items
    SET_IN_PARENT.append(1)
    try:
        items = list(range(70))  # three batches of BATCH_FILES
        forked = no_fork == "0"
        assert list(pool.batched(_squares, items, workers=2)) == [(n, n * n, forked) for n in items]
    finally:
        SET_IN_PARENT.clear()


def test_a_worker_without_prctl_carries_on(monkeypatch):
    """On Windows ctypes.CDLL(None) raises TypeError; the worker must not die of it."""
    import ctypes

    def no_libc(*args, **kwargs):
        raise TypeError("expected str, bytes or os.PathLike object, not NoneType")

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    pool._end_with_parent(os.getppid())  # returns: this process's parent is alive

"""bqw.web.batching: jobs queued while a batch runs go together in the next; a job queued too long is
refused; an error in a batch reaches every job of it."""

from __future__ import annotations

import threading
import time

import pytest

from bqw.web.batching import Batcher


def _in_threads(n: int, target) -> list:
    out: list = [None] * n
    threads = [threading.Thread(target=lambda i=i: out.__setitem__(i, target(i))) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


def test_jobs_arriving_during_a_batch_go_together_in_the_next():
    batcher, sizes = Batcher(), []
    release = threading.Event()

    def process(jobs):
        sizes.append(len(jobs))
        if len(sizes) == 1:
            release.wait(10)  # the first batch holds the way until every other job has queued
        for job in jobs:
            job.result = job.payload * 10

    first = threading.Thread(target=lambda: batcher.run(0, process, wait=30))
    first.start()
    while not sizes:
        time.sleep(0.01)
    results = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, batcher.run(i, process, wait=30)))
               for i in range(1, 6)]
    for t in threads:
        t.start()
    while len(batcher._queue) < 5:  # noqa: SLF001 — the test waits for the queue it is about
        time.sleep(0.01)
    release.set()
    for t in threads + [first]:
        t.join(30)
    assert sizes == [1, 5]
    assert results == {i: i * 10 for i in range(1, 6)}


def test_a_job_queued_too_long_is_refused_and_leaves_the_queue():
    batcher, started, release = Batcher(), threading.Event(), threading.Event()

    def slow(jobs):
        started.set()
        release.wait(10)
        for job in jobs:
            job.result = "done"

    holder = threading.Thread(target=lambda: batcher.run("a", slow, wait=30))
    holder.start()
    started.wait(10)
    with pytest.raises(TimeoutError):
        batcher.run("b", slow, wait=0.3)
    assert batcher._queue == []  # noqa: SLF001
    release.set()
    holder.join(10)


def test_an_error_reaches_every_job_of_its_batch_and_the_next_batch_runs():
    batcher = Batcher()

    def failing(jobs):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        batcher.run("x", failing, wait=5)

    def ok(jobs):
        for job in jobs:
            job.result = job.payload

    assert _in_threads(3, lambda i: batcher.run(i, ok, wait=5)) == [0, 1, 2]


def test_exclusive_holds_batches_off():
    batcher, ran = Batcher(), []
    with batcher.exclusive():
        t = threading.Thread(target=lambda: batcher.run(1, lambda jobs: ran.append(len(jobs)) or
                                                        [setattr(j, "result", 1) for j in jobs], wait=5))
        t.start()
        t.join(0.5)
        assert ran == [] and t.is_alive()
    t.join(5)
    assert ran == [1]

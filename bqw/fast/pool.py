"""Work spread over both cores: batches of files handed to forked worker processes.

Used by the merge to read and validate its files (bqw.jobs.merge.read_iter). Measured gain (bench/README.md):
workers forked after this process has loaded pandas, pandera and the reader start in 0.03 s of CPU
each instead of 0.33 s; 128 files are read in 0.95 s on two forked workers against 1.18 s in-process;
1,600 province files merge in 6.8 s, the main process archiving one batch while the workers read the
next. Below POOL_MIN_FILES files the work stays in this process: starting workers costs more than it
saves (16 files 0.65 s either way, 48 files 0.76 s against 0.79 s).
"""

from __future__ import annotations

import importlib
import os
from typing import Callable, Iterable, Iterator

POOL_MIN_FILES = 32
BATCH_FILES = 32  # items one worker takes at a time (a batch's pandera run costs less than a run per file)


def pool_min_files() -> int:
    """POOL_MIN_FILES, or BQW_POOL_MIN_FILES (a tuning knob: the tests set it to use the workers)."""
    value = os.environ.get("BQW_POOL_MIN_FILES", "")
    return int(value) if value.isdigit() else POOL_MIN_FILES


def _end_with_parent(parent: int) -> None:
    """A worker ends with the process that started it. Killed (a cron job's timeout, kill -9), that
    process cannot stop its workers, and they would wait on their queue for ever."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError, TypeError):  # Windows: CDLL(None) is a TypeError; macOS: no prctl
        pass  # not Linux: the worker stays until its queue is closed
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


# BQW_NO_FORK=1: the workers are spawned (fresh interpreters, as on Windows, where there is no fork), so
# the portable path is tried on Linux too (tests/unit/test_pool.py).
def batched(func: Callable[[list], list], items: list, *, workers: int | None = None,
            preload: Iterable[str] = ()) -> Iterator:
    """func(batch) over `items` cut in batches of BATCH_FILES, each result yielded in the items' order
    as soon as its batch is done: on both cores (forked workers, after importing the `preload`
    modules here, once) when there are enough items, else in this process. `func` must be a
    module-level function (it is pickled to the workers)."""
    batches = [items[i:i + BATCH_FILES] for i in range(0, len(items), BATCH_FILES)]
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers <= 1 or len(items) < pool_min_files():
        for batch in batches:
            yield from func(batch)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" in multiprocessing.get_all_start_methods() and os.environ.get("BQW_NO_FORK") != "1":
        # forked workers start with what this process has loaded, not loading it once more each
        for name in preload:
            importlib.import_module(name)
        context = multiprocessing.get_context("fork")
    else:  # Windows, or BQW_NO_FORK=1: fresh interpreters (never the platform's default, which may be fork)
        context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_end_with_parent,
                             initargs=(os.getpid(),)) as pool:
        for results in pool.map(func, batches):
            yield from results

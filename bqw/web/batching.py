"""Group commit for bqw serve's submissions (docs/serve.md, 性能与可靠性).

A submission is processed as `bqw run` processes a file, and that rewrites the month's ledgers,
summaries and documents: seconds each, one at a time under the archive's lock. Fifty units pressing
确认报送 in the same minute would wait for fifty such runs in turn. Instead, whoever finds the way
free takes every submission queued by then and processes them in one run; those arriving meanwhile
queue for the next. The rules stay bqw run's, which handles many files at once anyway (the same as a
cron run finding several files in the inbox).

Measured with bench/serve_load.py (50 clients × 40 rows): bench/README.md, “bqw serve under load”.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(eq=False)
class Job:
    """One caller's work in a batch: `payload` for the processor, which sets `result` or `error`."""

    payload: Any
    result: Any = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class Batcher:
    """Jobs queued while a batch runs go together in the next batch; a job still queued after `wait`
    seconds is taken out and refused (TimeoutError), one already in a batch is waited for."""

    def __init__(self) -> None:
        self._queue: list[Job] = []
        self._queue_lock = threading.Lock()
        self._running = threading.Lock()  # one batch at a time in this process

    def run(self, payload: Any, process: Callable[[list[Job]], None], wait: float) -> Any:
        job = Job(payload)
        with self._queue_lock:
            self._queue.append(job)
        deadline = time.monotonic() + wait
        while not job.done.is_set():
            if self._running.acquire(timeout=0.1):
                try:
                    self._run_batch(process)
                finally:
                    self._running.release()
            elif time.monotonic() > deadline:
                with self._queue_lock:
                    queued = job in self._queue
                    if queued:
                        self._queue.remove(job)
                if queued:
                    raise TimeoutError("waited too long for the batches before")
                job.done.wait()  # taken into a batch just now: its outcome comes
        if job.error is not None:
            raise job.error
        return job.result

    @contextmanager
    def exclusive(self):
        """No batch runs meanwhile (the office's rejection rewrites a period's outputs too)."""
        with self._running:
            yield

    def _run_batch(self, process: Callable[[list[Job]], None]) -> None:
        with self._queue_lock:
            batch, self._queue = self._queue, []
        if not batch:
            return
        try:
            process(batch)
        except BaseException as e:  # noqa: BLE001 — every job of the batch learns of it
            for job in batch:
                if job.error is None and job.result is None:
                    job.error = e
            if not isinstance(e, Exception):
                raise
        finally:
            for job in batch:
                job.done.set()

"""Run a function in a forked process, on the machine's other core, and collect its result.

Used where two large, independent pieces of work meet: the visits and the tasks summaries of a
province's year (bqw.jobs.data), the two halves of a big merged sheet's rows (bqw.output.xlsx). The result comes back pickled through a pipe from our own child process. When
fork is not available, or the child fails in any way, the function is simply run again here, so
errors are raised (and logged) by this process as usual.
"""

from __future__ import annotations

import os
import pickle
from typing import Callable, TypeVar

T = TypeVar("T")


def start(fn: Callable[[], T]) -> Callable[[], T]:
    """Start fn() in a child process; the returned function waits for its result."""
    if not hasattr(os, "fork"):
        return fn
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return fn
    if pid == 0:  # the child: never returns into the caller's code
        code = 0
        try:
            os.close(r)
            try:
                data = pickle.dumps(("ok", fn()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 — reported by running fn again in the parent
                data, code = pickle.dumps(("failed", None)), 1
            with os.fdopen(w, "wb") as out:
                out.write(data)
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers

    os.close(w)

    def result() -> T:
        with os.fdopen(r, "rb") as src:
            data = src.read()
        os.waitpid(pid, 0)
        try:
            status, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 — the child died (killed, out of memory): do the work here
            status, value = "failed", None
        return value if status == "ok" else fn()

    return result

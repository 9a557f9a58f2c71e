"""Test instrumentation: named points where a test can pause the process, to kill it there.

A no-op unless BQW_FAULT names the point reached. The kill tests (tests/cli/test_faults.py,
tests/cli/test_merge.py) set BQW_FAULT=<name>, wait for BQW_FAULT_MARK to appear (proof the
process got there), then kill it. BQW_FAULT_TRACE, when set, names a file each point reached
is appended to (one name a line), so that a test killing at a random moment knows where the
process was: inside the archive transaction or after its commit.

The points: merge-archived-file (a file archived, inside the transaction), run-outputs-written
(bqw run's outputs staged, inside it), merge-before-commit (just before COMMIT), merge-committed
(just after it), outputs-moving (a staged output moved into place).
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def fault_point(name: str) -> None:
    """Pause here for BQW_FAULT_SECONDS (30) when BQW_FAULT is `name`, after touching BQW_FAULT_MARK."""
    trace = os.environ.get("BQW_FAULT_TRACE")
    if trace:
        with open(trace, "a", encoding="utf-8") as fh:
            fh.write(name + "\n")
    if os.environ.get("BQW_FAULT") == name:
        mark = os.environ.get("BQW_FAULT_MARK")
        if mark:
            Path(mark).touch()
        time.sleep(float(os.environ.get("BQW_FAULT_SECONDS", "30")))

"""Import heavy modules on a background thread while the main thread reads the first file.

python-calamine releases the GIL while it parses a sheet, so importing pandas and pandera
(≈ 0.45 s) overlaps with reading instead of coming before or after it. Only for commands that
do not fork worker processes while the thread may still be importing (a fork then could copy a
held import lock into the child).
"""

from __future__ import annotations

import importlib
import threading

VALIDATION = ("pandas", "pandera.pandas", "bqw.ledgers.spec")
# Above this many cells in a workbook, memory matters more than 0.2 s: the grids are at their
# largest while calamine reads, and pandas (~70 MB) would be loaded at that moment too.
MAX_CELLS = 2_000_000
_started = False


def maybe_start(cells: int) -> None:
    """Start once, for a workbook of `cells` or fewer. A command that forks no workers registers this
    with bqw.io.workbook.when_scanned (bqw validate, bqw/cli/check.py): it then runs as soon as the first
    workbook's pre-scan knows its size, while calamine reads it."""
    global _started
    if not _started and cells <= MAX_CELLS:
        _started = True
        start()


def start(modules=VALIDATION) -> threading.Thread:
    def work() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 — the main thread's own import reports it
                return

    thread = threading.Thread(target=work, name="bqw-preload", daemon=True)
    thread.start()
    return thread

#!/usr/bin/env python3
"""Where `bqw validate` spends its time on one file, phase by phase, in one process.

    python bench/profile_validate.py FILE [KIND]

Prints JSON: seconds for start-up (imports up to the read), the extent scan (the zip and XML
safety checks before calamine), calamine, parsing and typing the cells into the frame, the rules
and schema, and the whole. pandas and pandera are imported inside these phases, as in `bqw validate` (a thread
loads them while calamine reads an ordinary file). `bench/run.py` runs it when the validate target
is missed, so that the report shows why next to the ratio.
"""

from __future__ import annotations

import json
import sys
import time

T0 = time.perf_counter()

from bqw import validate as VAL  # noqa: E402
from bqw.io import reader as R  # noqa: E402
from bqw.io import workbook as W  # noqa: E402
from bqw.io import xlsx_scan as XS  # noqa: E402

phases: dict[str, float] = {}


def timed(module, name: str, phase: str) -> None:
    fn = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - start

    setattr(module, name, wrapper)


timed(XS, "check_zip", "scan")
timed(W, "_read_calamine", "calamine")
timed(R, "build_table", "parse")
timed(VAL, "validate", "rules")


def main() -> None:
    path, kind = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    start = time.perf_counter()
    result = VAL.validate_file(path, kind)
    phases["start-up"] = start - T0
    phases["total"] = time.perf_counter() - T0
    phases["rows"] = result.rows
    print(json.dumps(phases))


if __name__ == "__main__":
    main()

"""Exit codes, pinned by tests: cron reads them (docs/cli.md)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # no errors (warnings allowed)
    DATA = 1  # errors in the data, or a file could not be read
    USAGE = 2  # wrong options or configuration
    INTERNAL = 3  # an unexpected internal error (see the log)

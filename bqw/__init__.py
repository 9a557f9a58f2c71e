"""bqw — 百千万工程台账工具 (ledger toolkit for 百县千镇万村高质量发展工程 offices).

The library layer: ``read_ledger`` and ``validate`` work without the CLI.
Heavy modules are imported lazily so that ``bqw --help`` stays fast.
"""

from bqw.core.version import VERSION as __version__

__all__ = ["read_ledger", "validate", "__version__"]


def __getattr__(name):  # lazy exports: pandas/pandera load only when used
    if name == "read_ledger":
        from bqw.io.reader import read_ledger

        return read_ledger
    if name == "validate":
        from bqw.jobs.validate import validate

        return validate
    raise AttributeError(name)

"""`make test-portable` puts this folder on PYTHONPATH: with BQW_TEST_NO_FCNTL=1 every Python it starts
(pytest and each bqw the tests run) has no fcntl, as on Windows, so bqw's portable paths are the ones
taken (bqw.store.lock: the SQLite lock; with BQW_NO_FORK=1 bqw.fast.pool spawns its workers)."""

import os
import sys

if os.environ.get("BQW_TEST_NO_FCNTL") == "1":
    sys.modules["fcntl"] = None  # `import fcntl` raises ImportError

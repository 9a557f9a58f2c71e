"""Atomic output: write to a temporary file beside the target, then rename it into place.

A reader (or a crash) never sees a half-written file under its final name.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def pid_alive(pid: int) -> bool:
    """Whether process `pid` still runs (True when that cannot be known)."""
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _clean_stale(folder: Path) -> None:
    """Remove temporary files left by a bqw process that was killed (its PID is gone)."""
    for tmp in folder.glob(".bqw-*-*"):
        try:
            pid = int(tmp.name.split("-")[1])
        except (ValueError, IndexError):
            continue
        if not pid_alive(pid):
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                continue


@contextmanager
def atomic_path(target):
    """Yield a temporary path beside `target`; on success it replaces `target`, else it is removed.

    An operating-system error while writing or renaming is raised as an OSError naming `target`:
    the temporary file is bqw's, the user knows only the target (docs/cli.md).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target.parent)
    tmp = target.parent / f".bqw-{os.getpid()}-{uuid.uuid4().hex[:12]}{target.suffix}"
    try:
        yield tmp
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        with open(tmp, "rb") as fh:  # on disk before the rename, so a crash leaves old or new
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        tmp.unlink(missing_ok=True)
        cause = _os_error(e)
        if cause is not None and _about(cause, tmp):
            raise OSError(cause.errno, cause.strerror or str(cause), str(target)) from e
        raise


def _os_error(e: BaseException) -> OSError | None:
    """The OSError behind `e`: itself, or the one a library wrapped (xlsxwriter's FileCreateError(e)) —
    not one that was merely being handled when another error arose (__context__): that one is a bug."""
    for candidate in (e, *getattr(e, "args", ())[:1], e.__cause__):
        if isinstance(candidate, OSError) and candidate.errno is not None:
            return candidate
    return None


def _about(error: OSError, tmp: Path) -> bool:
    """Whether `error` concerns the temporary file: it names it (or a file made from its name), or
    names nothing (a write to an open file: no space left, file too large)."""
    names = [str(n) for n in (error.filename, error.filename2) if n is not None]
    return not names or any(os.path.basename(n).startswith(tmp.name) for n in names)


def write_text(target, text: str) -> None:
    with atomic_path(target) as tmp:
        with open(tmp, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


@contextmanager
def zip_output(tmp: Path):
    """`tmp` opened for a zip writer (xlsxwriter, openpyxl, python-docx are given the file, not its name).

    Given a name, zipfile opens the file itself, and when a write fails (a full disk) its ZipFile,
    garbage-collected later, tries to finish the file again and prints “Exception ignored in
    ZipFile.__del__” and a traceback under bqw's own message. Given this file, the half-written
    one is closed here when the writer fails, and those last writes go nowhere.
    """
    output = _Droppable(open(tmp, "xb"))
    try:
        yield output
    except BaseException:
        output.drop()
        raise
    output.close()


class _Droppable:
    """A binary file that can be let go of: closed, and later writes, seeks and flushes discarded."""

    def __init__(self, file):
        self._file = file

    def __getattr__(self, name):  # write, seek, tell, flush, seekable, name: the open file's
        return getattr(self._file, name)

    def drop(self) -> None:
        file, self._file = self._file, _Sink()
        try:
            file.close()  # its buffer cannot be written either; the file is removed (atomic_path)
        except OSError:
            pass


class _Sink:
    """Where a dropped file's last writes go: nowhere. Never closed (a BytesIO could be, by the collector,
    before the writer's own ZipFile finishes into it), so a late write, seek or close cannot fail."""

    def __init__(self) -> None:
        self._position = self._size = 0

    def write(self, data) -> int:
        self._position += len(data)
        self._size = max(self._size, self._position)
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        self._position = offset + (self._position if whence == 1 else self._size if whence == 2 else 0)
        return self._position

    def tell(self) -> int:
        return self._position

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

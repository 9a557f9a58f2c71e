"""How bqw ends: the exit codes, pinned by tests (cron reads them, docs/cli.md), and the one message for
an error of the machine (exit 2)."""

from __future__ import annotations

import errno
import os
import sys
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # no errors (warnings allowed)
    DATA = 1  # errors in the data, or a file could not be read
    USAGE = 2  # wrong options or configuration
    INTERNAL = 3  # an unexpected internal error (see the log)


def machine_message(error: BaseException) -> str | None:
    """The one message for an error of the machine, not of bqw or the data: an OSError, one a library
    wrapped (xlsxwriter's FileCreateError), or SQLite's (bqw.store.archive.machine_error); None otherwise."""
    cause = None
    if isinstance(error, OSError):
        cause = error
    elif error.args and isinstance(error.args[0], OSError):  # xlsxwriter's FileCreateError(OSError)
        cause = error.args[0]
    elif (sqlite3 := sys.modules.get("sqlite3")) is not None and isinstance(error, sqlite3.Error):
        from bqw.store.archive import machine_error

        cause = machine_error(error, None)  # bqw.store.archive names its file; one from elsewhere cannot be named
    return None if cause is None else os_message(cause)


# the reasons, by errno; Windows says a file open in Excel or WPS with a sharing violation (winerror 32, 33)
_REASONS = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "所在位置是只读的",
            errno.EACCES: "没有读写权限", errno.EPERM: "没有权限", errno.EBUSY: "文件被占用（另一个程序正在使用它）",
            errno.ETXTBSY: "文件被占用（另一个程序正在使用它）", errno.ENOENT: "文件或文件夹不存在",
            errno.ENOTDIR: "路径中有一段不是文件夹", errno.EISDIR: "这是一个文件夹",
            errno.EFBIG: "文件超过了系统允许的大小", errno.EIO: "读写出错（磁盘或网络盘故障）"}


def os_message(e: OSError) -> str:
    """An operating-system error in Chinese, naming the file."""
    if getattr(e, "winerror", None) in (32, 33):  # a sharing violation: open in another program
        reason = "文件被占用：请先在 WPS/Excel 中关闭该文件，再重新运行"
    elif e.errno == errno.EACCES and os.name == "nt":  # replacing a file open in WPS/Excel: access denied
        reason = "没有读写权限（如果该文件正在 WPS/Excel 中打开，请先在 WPS/Excel 中关闭该文件，再重新运行）"
    else:
        reason = _REASONS.get(e.errno, e.strerror or str(e))
    where = f" {e.filename}" if e.filename else ""
    return f"bqw：无法读写{where}：{reason}。"

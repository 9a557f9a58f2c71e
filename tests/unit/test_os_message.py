"""A file open in WPS/Excel on Windows (issue 16): the message says to close it there, naming the file."""

from __future__ import annotations

import errno

from bqw.cli import exit as bqw_exit
from bqw.cli.exit import os_message


def test_a_sharing_violation_says_close_it_in_wps_or_excel():
    e = PermissionError(errno.EACCES, "The process cannot access the file", r"D:\平安镇\out\合并.xlsx")
    e.winerror = 32  # what Windows sets; Python on Linux has no constructor argument for it
    assert os_message(e) == r"bqw：无法读写 D:\平安镇\out\合并.xlsx：文件被占用：请先在 WPS/Excel 中关闭该文件，再重新运行。"


def test_access_denied_on_windows_mentions_wps_and_excel(monkeypatch):
    monkeypatch.setattr(bqw_exit.os, "name", "nt")
    e = PermissionError(errno.EACCES, "Access is denied", "合并.xlsx")
    assert "请先在 WPS/Excel 中关闭该文件" in os_message(e) and "合并.xlsx" in os_message(e)


def test_access_denied_elsewhere_is_a_permission():
    e = PermissionError(errno.EACCES, "Permission denied", "合并.xlsx")
    assert os_message(e) == "bqw：无法读写 合并.xlsx：没有读写权限。"

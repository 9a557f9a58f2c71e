"""zip_output: a zip writer that fails half-way (a full disk) leaves nothing that complains later.

openpyxl, xlsxwriter and python-docx keep their ZipFile open over the file bqw gives them; when a write
fails, that ZipFile is garbage-collected later and tries to finish the file. After the failure bqw lets
the file go (atomic.zip_output): the ZipFile's last writes must go nowhere without an error, or Python
prints “Exception ignored in ZipFile.__del__” and a traceback under bqw's own message.
"""

from __future__ import annotations

import errno
import gc
import sys
import zipfile

import pytest

from bqw.core.atomic import zip_output


def test_a_zip_writer_failing_half_way_finishes_quietly(tmp_path, monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    target = tmp_path / "半个.xlsx"
    with pytest.raises(OSError):
        with zip_output(target) as output:
            written = []

            def full(data):
                if sum(written) + len(data) > 4096:
                    raise OSError(errno.ENOSPC, "No space left on device")
                written.append(len(data))
                return len(data)

            monkeypatch.setattr(output._file, "write", full, raising=False)
            book = zipfile.ZipFile(output, "w")
            book.cycle, output.cycle = output, book  # as openpyxl's objects: collected together, in any order
            with book.open("xl/worksheets/sheet1.xml", "w") as entry:
                entry.write(b"<row/>" * 10_000)
    del book, entry, output
    gc.collect()
    assert unraisable == []

"""The workspace keeps to its own: bqw never reads its outputs or lists as submissions, the machine's
errors are exit 2 in Chinese naming the path (whatever -v says), every `bqw run` leaves a log line,
and a bqw archive is marked so another application's database is never taken over (issue 14:
defects 4, 5 and 6; docs/workspace.md).

Machine faults are injected into a subprocess of the real `bqw`: a disk that is full for the xlsx
being written (its writes fail with ENOSPC, as a full disk's do), an archive SQLite finds full
(max_page_count) or opens read-only (mode=ro) — no root needed.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import OCTOBER_FILES, SAMPLES, run_bqw, sha256

from bqw.cli.exit import ExitCode

MONTH = SAMPLES / "2026-10"
AS_OF = "2026-10-31"
TWO_FILES = OCTOBER_FILES[1], OCTOBER_FILES[4]  # 李明, 刘晓燕: enough for every output, quick to read


def workspace(root: Path, files=TWO_FILES) -> Path:
    run_bqw("init", root, "--town", "平安镇", "--year", "2026", check_code=0)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), root / "名单" / "镇领导挂点联系村安排表.xlsx")
    (root / "inbox" / "2026-10").mkdir()
    for name in files:
        shutil.copy(MONTH / name, root / "inbox" / "2026-10" / name)
    return root


def run_patched(patch: str, args, cwd):
    """`bqw args` in a subprocess after `patch` (Python) has injected a fault."""
    code = ("import sys\n" + patch + "\nsys.argv = ['bqw'] + sys.argv[1:]\n"
            "from bqw.cli.app import main\nmain()\n")
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def log_lines(root: Path) -> list[str]:
    path = root / "bqw.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def counts(db: Path) -> list[int]:
    con = sqlite3.connect(db)
    try:
        return [con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("submissions", "records")]
    finally:
        con.close()


def set_key(root: Path, old: str, new: str) -> int:
    """Replace the line `old` of bqw.toml with `new`; its line number."""
    path = root / "bqw.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.strip() == old)
    lines[n] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n + 1


# --- defect 4: the inbox never holds the workspace's outputs or lists --------------------------------


def test_inbox_holding_the_outputs_is_refused_naming_the_key(tmp_path):
    root = workspace(tmp_path / "w")
    line = set_key(root, 'inbox = "inbox"', 'inbox = "."')
    proc = run_bqw("run", "--as-of", AS_OF, cwd=root)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert f"bqw.toml 第 {line} 行：folders.inbox" in proc.stderr
    assert str(root / "out") in proc.stderr and "Traceback" not in proc.stderr
    assert not (root / "bqw.db").exists() and not list((root / "out").iterdir())
    assert "folders.inbox" in log_lines(root)[-1]  # the refused run left its line


def test_inbox_holding_the_lists_is_refused_naming_the_key(tmp_path):
    root = workspace(tmp_path / "w")
    line = set_key(root, 'assignments = "名单/镇领导挂点联系村安排表.xlsx"',
                   'assignments = "inbox/名单/镇领导挂点联系村安排表.xlsx"')
    (root / "inbox" / "名单").mkdir()
    shutil.move(root / "名单" / "镇领导挂点联系村安排表.xlsx", root / "inbox" / "名单")
    proc = run_bqw("run", "--as-of", AS_OF, cwd=root)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert f"第 {line} 行：ledgers.assignments" in proc.stderr and "收件箱" in proc.stderr
    assert not (root / "bqw.db").exists()


def test_run_never_reads_its_own_outputs_or_lists(tmp_path):
    """Whatever the configuration (here one made in code, the inbox being the workspace itself): the
    second run reads nothing new, neither the merged ledger and statistics it wrote nor the lists."""
    from bqw.jobs.config import Config, resolve
    from bqw.jobs.routine import run

    root = workspace(tmp_path / "w")
    cfg = resolve(Config(root=root, path=root / "bqw.toml", year=2026, inbox=root,
                         assignments=root / "名单" / "镇领导挂点联系村安排表.xlsx"))
    first = run(cfg, as_of=date(2026, 10, 31))
    assert len(first.new_files) == 2, first.new_files
    merged = root / "out" / "2026-10" / "挂点调研台账（合并）.xlsx"
    assert merged.is_file() and (root / "out" / "2026-10" / "挂点调研台账统计.xlsx").is_file()
    rows = openpyxl.load_workbook(merged, read_only=True)["挂点调研台账"].max_row
    before = counts(root / "bqw.db")
    second = run(cfg, as_of=date(2026, 10, 31))
    assert second.new_files == [] and second.unchanged == 2
    assert counts(root / "bqw.db") == before
    assert openpyxl.load_workbook(merged, read_only=True)["挂点调研台账"].max_row == rows
    con = sqlite3.connect(root / "bqw.db")
    sources = [r[0] for r in con.execute("SELECT source_path FROM submissions")]
    con.close()
    assert all("/inbox/2026-10/" in s for s in sources), sources


# --- defect 5: machine errors ----------------------------------------------------------------------

# Every write to a temporary .xlsx fails as on a full disk (the file opened by any means).
XLSX_DISK_FULL = """
import builtins, errno, io, os
_open = io.open
class _Full(io.FileIO):
    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")
def _full_open(file, mode="r", *a, **k):
    name = str(os.fspath(file)) if isinstance(file, (str, os.PathLike)) else ""
    if os.path.basename(name).startswith(".bqw-") and name.endswith(".xlsx") and ("w" in mode or "x" in mode):
        return io.BufferedWriter(_Full(name, mode.replace("b", "").replace("+", "")))
    return _open(file, mode, *a, **k)
io.open = builtins.open = _full_open
"""
# The archive's database is full at once (SQLite's own “database or disk is full”).
ARCHIVE_FULL = """
import sqlite3
_connect = sqlite3.connect
def _full(path, *a, **k):
    con = _connect(path, *a, **k)
    if str(path) != ":memory:":
        con.execute("PRAGMA max_page_count=1")
    return con
sqlite3.connect = _full
"""
# The archive opens read-only (as a read-only bqw.db or folder does for a user who is not root).
ARCHIVE_READ_ONLY = """
import sqlite3
_connect = sqlite3.connect
def _ro(path, *a, **k):
    if str(path) == ":memory:":
        return _connect(path, *a, **k)
    return _connect(f"file:{path}?mode=ro", *a, uri=True, **k)
sqlite3.connect = _ro
"""
INTERNAL = "import bqw.jobs.routine as r\ndef boom(*a, **k):\n    raise RuntimeError('注入的故障')\nr.run = boom\n"


def _no_traceback(proc):
    text = proc.stdout + proc.stderr
    assert "Traceback" not in text and "Exception ignored" not in text, text
    assert ".bqw-" not in text, text  # the file the user asked for, not bqw's temporary one


@pytest.mark.parametrize("args,target", [
    (["merge", "inbox", "-o", "out/合并.xlsx"], "合并.xlsx"),
    (["run", "--as-of", AS_OF], "挂点调研台账（合并）.xlsx"),
    (["template", "visits", "-o", "模板.xlsx"], "模板.xlsx"),
], ids=["merge", "run", "template"])
def test_disk_full_writing_an_xlsx_is_exit_2_naming_it(tmp_path, args, target):
    root = workspace(tmp_path / "w")
    proc = run_patched(XLSX_DISK_FULL, args, root)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert "磁盘空间不足" in proc.stderr and target in proc.stderr, proc.stderr
    _no_traceback(proc)
    if args[0] != "template":
        assert counts(root / "bqw.db") == [0, 0]  # nothing committed
    if args[0] == "run":
        assert "磁盘空间不足" in log_lines(root)[-1] and "退出码 2" in log_lines(root)[-1]


def test_disk_full_writing_an_annotated_copy_is_exit_2(tmp_path):
    bad = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"
    shutil.copy(bad, tmp_path / bad.name)
    proc = run_patched(XLSX_DISK_FULL, ["validate", bad.name, "--annotate", "退回"], tmp_path)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert "磁盘空间不足" in proc.stderr and "校验意见" in proc.stderr, proc.stderr
    _no_traceback(proc)


@pytest.mark.parametrize("patch,reason", [(ARCHIVE_FULL, "磁盘空间不足"), (ARCHIVE_READ_ONLY, "只读")],
                         ids=["full", "read-only"])
def test_archive_machine_errors_are_exit_2_naming_it(tmp_path, patch, reason):
    root = workspace(tmp_path / "w")
    if patch is ARCHIVE_READ_ONLY:  # an archive that exists (read-only, it cannot be created)
        run_bqw("merge", "inbox/2026-10/" + TWO_FILES[0], "-o", "out/x.xlsx", cwd=root)
        before = counts(root / "bqw.db")
    proc = run_patched(patch, ["run", "--as-of", AS_OF], root)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert reason in proc.stderr and str(root / "bqw.db") in proc.stderr, proc.stderr
    assert "用法错误" not in proc.stderr and "--help" not in proc.stderr
    _no_traceback(proc)
    last = log_lines(root)[-1]
    assert reason in last and "退出码 2" in last, last
    if patch is ARCHIVE_READ_ONLY:
        assert counts(root / "bqw.db") == before


def test_verbose_shows_the_traceback_and_keeps_the_exit_code(tmp_path):
    root = workspace(tmp_path / "w")
    proc = run_patched(INTERNAL, ["-v", "run", "--as-of", AS_OF], root)
    assert proc.returncode == ExitCode.INTERNAL, proc.stderr
    assert "Traceback" in proc.stderr and "bqw 内部错误：RuntimeError: 注入的故障" in proc.stderr
    proc = run_patched(XLSX_DISK_FULL, ["-v", "run", "--as-of", AS_OF], root)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert "Traceback" in proc.stderr and "磁盘空间不足" in proc.stderr
    lines = log_lines(root)
    assert any("注入的故障" in line and "退出码 3" in line for line in lines), lines
    assert "磁盘空间不足" in lines[-1] and "退出码 2" in lines[-1], lines


def test_database_locked_is_said_as_in_use(tmp_path):
    from bqw.cli.exit import machine_message

    db = tmp_path / "bqw.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t(x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(db, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as e:
        other.execute("SELECT * FROM t").fetchall()
    holder.execute("ROLLBACK")
    holder.close()
    other.close()
    from bqw.store.archive import machine_error

    message = machine_message(machine_error(e.value, db))
    assert "文件被占用" in message and str(db) in message


def test_every_run_leaves_a_log_line_whatever_fails(tmp_path):
    # bqw.toml that cannot be read: the line goes to bqw.log beside it (its [folders] log is unknown)
    root = workspace(tmp_path / "w")
    path = root / "bqw.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('town = "平安镇"', "town = 平安镇"), encoding="utf-8")
    proc = run_bqw("run", "--as-of", AS_OF, cwd=root)
    assert proc.returncode == ExitCode.USAGE
    last = log_lines(root)[-1]
    assert "run:" in last and "bqw.toml" in last and "退出码 2" in last, last
    # an archive that is not a database at all
    root = workspace(tmp_path / "w2")
    (root / "bqw.db").write_text("这不是数据库\n" * 100, encoding="utf-8")
    proc = run_bqw("run", "--as-of", AS_OF, cwd=root)
    assert proc.returncode == ExitCode.USAGE and "bqw.db" in proc.stderr, proc.stderr
    last = log_lines(root)[-1]
    assert "run:" in last and "bqw.db" in last and "退出码 2" in last, last
    # an internal error: a dated line, then the traceback
    root = workspace(tmp_path / "w3")
    proc = run_patched(INTERNAL, ["run", "--as-of", AS_OF], root)
    assert proc.returncode == ExitCode.INTERNAL
    lines = log_lines(root)
    dated = [line for line in lines if line.startswith("20") and "run" in line]
    assert dated and "注入的故障" in dated[-1] and "退出码 3" in dated[-1], lines


# --- defect 6: a bqw archive is marked; another database is refused ---------------------------------

BQW_APPLICATION_ID = 0x42515741  # “BQWA”


def foreign_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO users(name) VALUES ('张三')")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("args", [
    ["merge", "inbox", "-o", "out/合并.xlsx", "--archive", "other.db"],
    ["history", "--archive", "other.db"],
], ids=["merge", "history"])
def test_another_applications_database_is_refused(tmp_path, args):
    root = workspace(tmp_path / "w")
    db = foreign_db(root / "other.db")
    before = sha256(db)
    proc = run_bqw(*args, cwd=root)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert "other.db" in proc.stderr and "不是 bqw 的归档" in proc.stderr, proc.stderr
    assert sha256(db) == before and not Path(str(db) + "-wal").exists()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["users"]
    con.close()
    assert not (root / "out" / "合并.xlsx").exists()


def test_new_archive_is_marked_and_an_empty_file_is_new(tmp_path):
    root = workspace(tmp_path / "w")
    (root / "empty.db").write_bytes(b"")
    for name in ("bqw.db", "empty.db"):
        proc = run_bqw("merge", "inbox", "-o", f"out/{name}.xlsx", "--archive", name, cwd=root)
        assert proc.returncode in (0, 1), proc.stderr
        con = sqlite3.connect(root / name)
        assert con.execute("PRAGMA application_id").fetchone()[0] == BQW_APPLICATION_ID
        assert con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == "3"
        con.close()


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_archive_made_before_the_mark_opens_and_is_marked(tmp_path, version):
    root = workspace(tmp_path / "w")
    assert run_bqw("merge", "inbox", "-o", "out/合并.xlsx", cwd=root).returncode in (0, 1)
    db = root / "bqw.db"
    con = sqlite3.connect(db)  # as bqw left it before archives were marked
    con.execute("PRAGMA application_id=0")
    if version in ("1", "2"):
        con.execute("ALTER TABLE seen DROP COLUMN setup")
    if version == "1":
        con.execute("DELETE FROM blocks")
    con.execute("UPDATE meta SET value=? WHERE key='schema'", (version,))
    con.commit()
    con.close()
    proc = run_bqw("history", "--format", "json", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert '"submissions"' in proc.stdout
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA application_id").fetchone()[0] == BQW_APPLICATION_ID
    assert con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == "3"
    con.close()

"""Faults: an internal error in any command, disk full, read-only folders, and kill -9 mid-run.

Afterwards the archive passes PRAGMA integrity_check, each submission is wholly in it or not at
all, no half-written output sits under its final name, inputs are unchanged, and the next run
proceeds (docs/workspace.md, docs/merge.md).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES, run_bqw, sha256
from fixtures.outputs import STAGING, assert_out_agrees, check_ledger, pending_folders

from bqw.cli.exit import ExitCode

MONTH = SAMPLES / "2026-10"
AS_OF = date(2026, 10, 31)
BQW = Path(sys.executable).parent / "bqw"

# (command line, function the command relies on) — the failure is injected there
COMMANDS = [
    (["validate", str(MONTH)], "bqw.jobs.validate.validate_file"),
    (["merge", str(MONTH), "-o", "x.xlsx", "--no-archive"], "bqw.jobs.merge.merge"),
    (["summarise", str(MONTH)], "bqw.jobs.data.summaries"),
    (["template", "visits", "-o", "t.xlsx"], "bqw.output.template.write_template"),
    (["init", "ws"], "bqw.jobs.config.init"),
    (["run"], "bqw.jobs.routine.run"),
    (["history"], "bqw.store.archive.Archive.submissions"),
    (["tongbao", "--type", "进展", "--as-of", "2026-10-31"], "bqw.jobs.documents.gather"),
    (["jianbao", "--as-of", "2026-10-31"], "bqw.jobs.documents.gather"),
]


def run_patched(patch: str, args, cwd):
    """Run `bqw args` in a subprocess after executing `patch` (Python) to inject a fault."""
    code = ("import sys\n" + patch + "\nsys.argv = ['bqw'] + sys.argv[1:]\n"
            "from bqw.cli.app import main\nmain()\n")
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def workspace(root: Path) -> Path:
    run_bqw("init", root, "--town", "平安镇", "--year", "2026", check_code=0)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), root / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copytree(MONTH, root / "inbox" / "2026-10")
    return root


@pytest.mark.parametrize("args,target", COMMANDS, ids=[c[0][0] for c in COMMANDS])
def test_internal_error_in_every_command(tmp_path, args, target):
    root = workspace(tmp_path / "w")
    if args[0] in ("history", "tongbao", "jianbao"):  # need an archive to get as far as reading it
        run_bqw("run", cwd=root)
    module, _, attr = target.rpartition(".")
    owner = module
    patch = ("import importlib\n"
             "def boom(*a, **k):\n    raise RuntimeError('注入的故障')\n")
    if module.endswith(".Archive"):
        owner = module.rsplit(".", 1)[0]
        patch += f"import {owner} as m\nm.Archive.{attr} = boom\n"
    else:
        patch += f"m = importlib.import_module('{owner}')\nsetattr(m, '{attr}', boom)\n"
    proc = run_patched(patch, args, root)
    assert proc.returncode == ExitCode.INTERNAL, (args, proc.stdout, proc.stderr)
    assert "bqw 内部错误：RuntimeError: 注入的故障" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "bqw.log" in proc.stderr  # the traceback went to the workspace log
    assert "Traceback" in (root / "bqw.log").read_text(encoding="utf-8")


def _archive_state(db: Path):
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:  # killed after SQLite made the file, before the schema's one transaction committed
        return NOTHING
    for sid, rows in con.execute("SELECT id, rows FROM submissions"):
        assert con.execute("SELECT COUNT(*) FROM records WHERE submission_id=?", (sid,)).fetchone()[0] == rows
    return [con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("submissions", "records", "seen")]


NO_SPACE = ("import errno, bqw.output.xlsx as x\n"
            "def full(*a, **k):\n    raise OSError(errno.ENOSPC, 'No space left on device', 'out/合并.xlsx')\n"
            "x.new_workbook = full\n")
READ_ONLY = ("import errno, bqw.core.atomic as a\n"
             "def ro(*a, **k):\n    raise OSError(errno.EROFS, 'Read-only file system', 'out')\n"
             "a.atomic_path = ro\nimport bqw.output.xlsx as x\nx.atomic_path = ro\n")


@pytest.mark.parametrize("patch,reason", [(NO_SPACE, "磁盘空间不足"), (READ_ONLY, "只读")], ids=["enospc", "erofs"])
def test_write_failure_leaves_archive_and_inputs_unchanged(tmp_path, patch, reason):
    root = workspace(tmp_path / "w")
    inputs = {p: (sha256(p), os.stat(p).st_mtime_ns) for p in (root / "inbox").rglob("*") if p.is_file()}
    db = root / "bqw.db"
    proc = run_patched(patch, ["merge", "inbox", "-o", "out/合并.xlsx"], root)
    assert proc.returncode == ExitCode.USAGE and reason in proc.stderr and "Traceback" not in proc.stderr
    assert _archive_state(db) == [0, 0, 0]
    assert not (root / "out" / "合并.xlsx").exists()
    proc = run_patched(patch, ["run", "--as-of", "2026-10-31"], root)
    assert proc.returncode == ExitCode.USAGE and reason in proc.stderr
    assert _archive_state(db) == [0, 0, 0]
    assert_out_agrees(root, AS_OF, settled=True)
    assert reason in (root / "bqw.log").read_text(encoding="utf-8")
    assert {p: (sha256(p), os.stat(p).st_mtime_ns) for p in (root / "inbox").rglob("*") if p.is_file()} == inputs
    run_bqw("run", "--as-of", "2026-10-31", cwd=root)  # the disk is back: the next run does the work
    assert _archive_state(db)[0] == 8
    assert_out_agrees(root, AS_OF, settled=True)


def _outputs_whole(root: Path, after_rerun: bool = False) -> None:
    """Every .xlsx under its final name opens (a half-written file would not). A killed run may
    leave its temporary file (.bqw-PID-….xlsx, not a final name) and its staging folder
    (.bqw-staging-…); the next run removes them."""
    for p in (root / "out").rglob("*.xlsx"):
        staged = any(part.startswith(STAGING) for part in p.relative_to(root / "out").parts[:-1])
        if p.name.startswith(".bqw-") or staged:
            assert not after_rerun, f"temporary file left after the rerun: {p.relative_to(root)}"
            continue
        openpyxl.load_workbook(p, read_only=True).close()


@pytest.fixture(autouse=True)
def forked_readers(monkeypatch):
    """Read with worker processes even for these few files: a killed run's orphaned workers once kept
    the lock (flock), and these tests are what would notice it again."""
    monkeypatch.setenv("BQW_POOL_MIN_FILES", "2")


# fault points (bqw.core.faults) inside the archive transaction: killed there, nothing may be kept
IN_TRANSACTION = ("merge-archived-file", "run-outputs-written", "merge-before-commit")
NOTHING, EVERYTHING = [0, 0, 0], [8, 35, 10]


def _where_killed(trace: Path) -> list:
    """The archive states a kill may leave, from the fault points the process had passed (BQW_FAULT_TRACE):
    committed only after merge-committed, maybe once merge-before-commit was passed, else nothing."""
    reached = trace.read_text(encoding="utf-8").split() if trace.exists() else []
    if "merge-committed" in reached:
        return [EVERYTHING]
    return [NOTHING, EVERYTHING] if "merge-before-commit" in reached else [NOTHING]


def kill_at_random(tmp_path, seed: int, command: list[str], pause_at: str | None = None) -> None:
    """Kill `bqw command` at a random moment, or (`pause_at`) while paused at that fault point — the
    mark it leaves proves the process was there when killed — and check what it left."""
    root = workspace(tmp_path / f"k{seed}")
    rng = random.Random(seed)
    trace, mark = tmp_path / f"trace{seed}", tmp_path / f"mark{seed}"
    env = dict(os.environ, BQW_FAULT_TRACE=str(trace))
    if pause_at:
        env.update(BQW_FAULT=pause_at, BQW_FAULT_MARK=str(mark), BQW_FAULT_SECONDS="60")
    proc = subprocess.Popen([str(BQW), *command], cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    if pause_at:
        deadline = time.monotonic() + 60
        while not mark.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert mark.exists() and proc.poll() is None, f"{pause_at} not reached"
    else:
        time.sleep(rng.uniform(0.3, 2.5))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    db = root / "bqw.db"
    before = _archive_state(db) if db.exists() else NOTHING
    assert before in _where_killed(trace), (trace.read_text() if trace.exists() else "", before)
    if pause_at:  # inside the transaction, with part of the run's data written in it: none of it kept
        assert trace.read_text(encoding="utf-8").split()[-1] == pause_at and before == NOTHING
    _outputs_whole(root)
    # killed after the commit, while moving the outputs into place: the next run finishes the moves
    assert_out_agrees(root, AS_OF)
    done = run_bqw(*command, cwd=root)  # takes over the dead process's lock and finishes the job
    assert done.returncode in (0, 1), done.stderr
    assert _archive_state(db) == EVERYTHING
    _outputs_whole(root, after_rerun=True)
    assert_out_agrees(root, AS_OF, settled=True)
    assert (root / "out" / "2026-10" / "挂点调研台账（合并）.xlsx").is_file()


@pytest.mark.parametrize("seed", range(3))
def test_kill_run_inside_the_transaction(tmp_path, seed):
    """Killed at a point inside the transaction (one per seed), the run leaves nothing; the next run does it all."""
    kill_at_random(tmp_path, seed, ["run", "--as-of", "2026-10-31"], pause_at=IN_TRANSACTION[seed])


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(50))
def test_kill_run_at_random_points_many(tmp_path, seed):
    kill_at_random(tmp_path, 100 + seed, ["run", "--as-of", "2026-10-31"])


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(50))
def test_kill_merge_at_random_points_many(tmp_path, seed):
    root = workspace(tmp_path / f"m{seed}")
    rng = random.Random(seed)
    command = ["merge", "inbox", "-o", "out/合并.xlsx"]
    trace = tmp_path / "trace"
    proc = subprocess.Popen([str(BQW), *command], cwd=root, env=dict(os.environ, BQW_FAULT_TRACE=str(trace)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.3, 2.5))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    db = root / "bqw.db"
    state = _archive_state(db) if db.exists() else [0, 0, 0]
    assert state[:2] in [s[:2] for s in _where_killed(trace)], state  # bqw merge marks no inbox file seen
    _outputs_whole(root)
    if state[:2] == [0, 0]:  # rolled back: no merged ledger of it
        assert not (root / "out" / "合并.xlsx").exists()
    elif not pending_folders(db):  # committed and moved into place
        check_ledger(db, root / "out" / "合并.xlsx", "2026-10", date.today(), fam="visits")
    assert run_bqw(*command, cwd=root).returncode in (0, 1)
    assert _archive_state(db)[:2] == [8, 35]
    _outputs_whole(root, after_rerun=True)
    assert not pending_folders(db)
    check_ledger(db, root / "out" / "合并.xlsx", "2026-10", date.today(), fam="visits")


def test_two_runs_at_once(tmp_path):
    root = workspace(tmp_path / "w")
    env = dict(os.environ, BQW_FAULT="run-outputs-written", BQW_FAULT_SECONDS="6",
               BQW_FAULT_MARK=str(tmp_path / "mark"))
    first = subprocess.Popen([str(BQW), "run", "--as-of", "2026-10-31"], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "mark").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    second = run_bqw("run", "--as-of", "2026-10-31", "--lock-timeout", "1", cwd=root)
    assert second.returncode == ExitCode.USAGE and "正在运行" in second.stderr
    first.communicate(timeout=120)
    assert first.returncode == 1
    assert _archive_state(root / "bqw.db") == [8, 35, 10]
    assert "本次未执行" in (root / "bqw.log").read_text(encoding="utf-8")


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            out.append(int(status.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_reading_workers_end_with_a_killed_merge(tmp_path):
    """kill -9 of a merge (a cron job's timeout) takes its reading workers with it: they once
    waited on their queue for ever, each holding the archive open."""
    root = workspace(tmp_path / "w")
    env = dict(os.environ, BQW_FAULT="merge-archived-file", BQW_FAULT_SECONDS="60",
               BQW_FAULT_MARK=str(tmp_path / "mark"))
    proc = subprocess.Popen([str(BQW), "merge", "inbox", "-o", "out/合并.xlsx"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (tmp_path / "mark").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert len(workers) == 2  # the pool is up (BQW_POOL_MIN_FILES=2), the merge paused in its loop
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()]
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert not alive


# --- outputs: built aside, moved into place only after the archive commits (issue 14, defect 7) ----

ERROR_FILE = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"


def busy_workspace(root: Path) -> Path:
    """The October month, a file with errors (a returned copy in out/退回) and the task lists
    (their ledger, and 通报 for the units with overdue or due-soon tasks): 19 files written by a run."""
    workspace(root)
    shutil.copy(ERROR_FILE, root / "inbox")
    shutil.copytree(SAMPLES / "rectification", root / "inbox" / "rectification")
    return root


def _out_files(root: Path) -> list[str]:
    """The outputs in out/: files, except those of a staging folder or a temporary .bqw-*."""
    found = [p.relative_to(root / "out") for p in (root / "out").rglob("*") if p.is_file()]
    return sorted(str(p) for p in found if not any(part.startswith(".bqw-") for part in p.parts))


def full_at_write(n: int) -> str:
    """The n-th file the command writes fails: the disk is full (every writer goes through atomic_path)."""
    return ("import contextlib, errno, bqw.core.atomic as a, bqw.output.xlsx as x\n"
            "real, calls = a.atomic_path, [0]\n"
            "@contextlib.contextmanager\n"
            "def path(target):\n"
            "    calls[0] += 1\n"
            f"    if calls[0] == {n}:\n"
            "        raise OSError(errno.ENOSPC, 'No space left on device', str(target))\n"
            "    with real(target) as tmp:\n"
            "        yield tmp\n"
            "a.atomic_path = x.atomic_path = path\n")


# a run of busy_workspace writes the returned copy (1), the tasks ledger and its statistics (2-5), the visits
# ledger (6), the reporting statistics (7-9), the visits statistics (10-12), six 通报 (13-18) and the 简报 (19)
OUTPUTS, FIRST_DOCUMENT = 19, 13


@pytest.mark.parametrize("n", [2, 4, 8, 15], ids=["ledger-after-returned-copy", "tasks-statistics",
                                                  "reporting-statistics", "third-tongbao"])
def test_disk_full_mid_run_leaves_out_as_the_archive(tmp_path, n):
    root = busy_workspace(tmp_path / "w")
    proc = run_patched(full_at_write(n), ["run", "--as-of", "2026-10-31"], root)
    if n < FIRST_DOCUMENT:  # a ledger or statistics: the run fails, the archive is unchanged, and so is out/
        assert proc.returncode == ExitCode.USAGE and "磁盘空间不足" in proc.stderr, proc.stderr
        assert _archive_state(root / "bqw.db") == [0, 0, 0]
        assert _out_files(root) == []
    else:  # a document: logged and reported, the merge stands (documents can be written again)
        assert proc.returncode == ExitCode.DATA, proc.stderr
        assert _archive_state(root / "bqw.db")[0] == 10
        assert "进展通报（2026年10月）.docx" in " ".join(_out_files(root))
    assert_out_agrees(root, AS_OF, settled=True)  # a failed run removes its staging folder itself
    run_bqw("run", "--as-of", "2026-10-31", cwd=root)
    assert_out_agrees(root, AS_OF, settled=True)
    assert "退回/附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）（校验意见）.xlsx" in _out_files(root)


def _start_paused(root: Path, point: str, mark: Path, command=("run", "--as-of", "2026-10-31")):
    """`bqw command` paused at fault point `point` (BQW_FAULT), once it has reached it."""
    env = dict(os.environ, BQW_FAULT=point, BQW_FAULT_SECONDS="60", BQW_FAULT_MARK=str(mark))
    proc = subprocess.Popen([str(BQW), *command], cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not mark.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert mark.exists() and proc.poll() is None, f"{point} not reached"
    return proc


@pytest.mark.parametrize("point", ["run-outputs-written", "merge-before-commit"])
def test_killed_before_the_commit_leaves_nothing_in_out(tmp_path, point):
    """Killed with every output written but the archive not committed: out/ holds none of them —
    no merged ledger, statistics, returned copy, nor a 通报 whose number was rolled back."""
    root = busy_workspace(tmp_path / "w")
    proc = _start_paused(root, point, tmp_path / "mark")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _archive_state(root / "bqw.db") == [0, 0, 0]
    con = sqlite3.connect(root / "bqw.db")  # the 通报 numbers were taken in the transaction: given back
    assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE name='doc_numbers'").fetchone()[0] == 0 or \
        con.execute("SELECT COUNT(*) FROM doc_numbers").fetchone()[0] == 0
    assert _out_files(root) == []  # its staging folder may be left (hidden, not an output): the next run removes it
    assert_out_agrees(root, AS_OF)
    assert [p.name.startswith(STAGING) for p in (root / "out").iterdir()] in ([], [True])
    done = run_bqw("run", "--as-of", "2026-10-31", cwd=root)
    assert done.returncode == ExitCode.DATA, done.stderr
    assert_out_agrees(root, AS_OF, settled=True)  # the killed run's staging folder is gone too
    assert len(_out_files(root)) == OUTPUTS
    numbers = sqlite3.connect(root / "bqw.db").execute("SELECT series, number FROM doc_numbers").fetchall()
    assert sorted(numbers) == [("简报", 1)] + [("通报", n) for n in range(1, 7)]  # from 1: none was used up


@pytest.mark.parametrize("point", ["merge-committed", "outputs-moving"])
def test_killed_after_the_commit_the_next_run_moves_the_outputs(tmp_path, point):
    """Killed after the commit, before or while moving the outputs into place: the archive records
    the staging folder, and the next run — with nothing new to read — finishes the moves."""
    root = busy_workspace(tmp_path / "w")
    proc = _start_paused(root, point, tmp_path / "mark")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    db = root / "bqw.db"
    assert _archive_state(db)[0] == 10
    [folder] = pending_folders(db)
    assert Path(folder).parent == (root / "out").resolve() and Path(folder).is_dir()
    assert len(_out_files(root)) < OUTPUTS
    done = run_bqw("run", "--as-of", "2026-10-31", cwd=root)
    assert done.returncode == ExitCode.OK, done.stderr  # nothing new
    assert not pending_folders(db) and not Path(folder).exists()
    assert_out_agrees(root, AS_OF, settled=True)
    assert len(_out_files(root)) == OUTPUTS


def test_output_place_taken_by_a_folder_fails_before_the_commit(tmp_path):
    """Where an output cannot go is found before the commit (the staged files' places are checked):
    the run fails with the archive and out/ unchanged, naming the place."""
    root = busy_workspace(tmp_path / "w")
    (root / "out" / "2026-10" / "挂点调研台账统计.md").mkdir(parents=True)
    proc = run_bqw("run", "--as-of", "2026-10-31", cwd=root)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert "挂点调研台账统计.md" in proc.stderr and ".bqw-staging" not in proc.stderr
    assert _archive_state(root / "bqw.db") == [0, 0, 0]
    assert _out_files(root) == [] and not pending_folders(root / "bqw.db")
    assert not [p for p in (root / "out").iterdir() if p.name.startswith(STAGING)]


FAILED_MOVE = ("import errno, os\n"
               "real = os.replace\n"
               "def replace(src, dst, **kw):\n"
               "    if '.bqw-staging-' in str(src) and '.bqw-staging-' not in str(dst):  # into place, not inside\n"
               "        raise PermissionError(errno.EACCES, 'Permission denied', str(src), None, str(dst))\n"
               "    return real(src, dst, **kw)\n"
               "os.replace = replace\n")


def test_move_failing_after_the_commit_is_finished_by_the_next_run(tmp_path):
    """A move into place that fails after the commit (on Windows: a file open in Excel) is reported;
    the archive keeps the staging folder and the next run moves the files."""
    root = busy_workspace(tmp_path / "w")
    proc = run_patched(FAILED_MOVE, ["run", "--as-of", "2026-10-31"], root)
    assert proc.returncode == ExitCode.DATA, proc.stderr
    assert "本次的数据已存入归档，下次运行时自动补上" in proc.stdout + proc.stderr
    assert ".bqw-staging" not in proc.stdout + proc.stderr  # the place is named as the user knows it
    assert _archive_state(root / "bqw.db")[0] == 10 and len(pending_folders(root / "bqw.db")) == 1
    assert _out_files(root) == []
    assert run_bqw("run", "--as-of", "2026-10-31", cwd=root).returncode == ExitCode.OK  # nothing new
    assert_out_agrees(root, AS_OF, settled=True)
    assert len(_out_files(root)) == OUTPUTS

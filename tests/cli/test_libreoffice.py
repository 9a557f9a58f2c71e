"""LibreOffice is never left behind (issue 14, defect 8).

bqw runs LibreOffice (``soffice``) to put each 通报's 版记 on an even page. It is not installed
here: these tests point BQW_SOFFICE at a stand-in that behaves like it — it starts a child (as
soffice starts soffice.bin) that sleeps, then writes a two-page PDF of each document into
--outdir. The stand-in's processes write their PIDs to a file, so the tests can see whether any
is still alive; TMPDIR is the test's own folder, so its bqw-lo-*/bqw-pdf-* folders are the run's.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES, run_bqw

from bqw.cli.exit import ExitCode

BQW = Path(sys.executable).parent / "bqw"
pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists() or os.name != "posix",
                                reason="checks processes through /proc (Linux)")

STAND_IN = '''#!{python}
import os, subprocess, sys, time
from pathlib import Path

with open(os.environ["STANDIN_PIDS"], "a") as fh:
    fh.write(f"{{os.getpid()}}\\n")
if sys.argv[1:2] != ["--bin"]:  # soffice: start soffice.bin and wait for it
    sys.exit(subprocess.call([sys.executable, __file__, "--bin", *sys.argv[1:]]))
args = sys.argv[2:]
time.sleep(float(os.environ.get("STANDIN_SLEEP", "0")))
outdir = Path(args[args.index("--outdir") + 1])
for arg in args:
    if arg.endswith(".docx"):
        (outdir / (Path(arg).stem + ".pdf")).write_bytes(
            b"%PDF-1.4\\n1 0 obj <</Type /Pages /Count 2>> endobj\\n"
            b"2 0 obj <</Type /Page>> endobj\\n3 0 obj <</Type /Page>> endobj\\n%%EOF\\n")
'''


def workspace(root: Path) -> Path:
    run_bqw("init", root, "--town", "平安镇", "--year", "2026", check_code=0)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), root / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copytree(SAMPLES / "2026-10", root / "inbox" / "2026-10")
    return root


def stand_in_env(tmp_path: Path, sleep: float, **extra) -> dict:
    program = tmp_path / "soffice"
    program.write_text(STAND_IN.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return dict(os.environ, BQW_SOFFICE=str(program), STANDIN_PIDS=str(tmp_path / "pids"),
                STANDIN_SLEEP=str(sleep), TMPDIR=str(tmp_path / "tmp"), **extra)


def started(tmp_path: Path) -> list[int]:
    path = tmp_path / "pids"
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def temp_folders(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "tmp").iterdir() if p.name.startswith(("bqw-lo-", "bqw-pdf-")))


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_documents_rendered_and_nothing_left(tmp_path):
    root = workspace(tmp_path / "w")
    env = stand_in_env(tmp_path, sleep=0)
    proc = subprocess.run([str(BQW), "run", "--as-of", "2026-10-31"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == ExitCode.DATA, proc.stderr  # 吴建新 has not reported
    pids = started(tmp_path)
    assert len(pids) == 2  # LibreOffice ran once, for the one 通报 (and its soffice.bin)
    assert (root / "out" / "2026-10" / "进展通报（2026年10月）.docx").is_file()
    assert not [p for p in pids if alive(p)]
    assert temp_folders(tmp_path) == []


@pytest.mark.parametrize("how", ["pid", "group", "interrupt"])
def test_killed_run_leaves_no_libreoffice(tmp_path, how):
    """kill -9 of bqw alone (the admin's kill), of its process group (a cron or `timeout` kill), or
    Ctrl-C while LibreOffice renders: within seconds no LibreOffice process and no temporary folder
    (its profile, the 通报's PDFs) is left."""
    root = workspace(tmp_path / "w")
    env = stand_in_env(tmp_path, sleep=60)
    proc = subprocess.Popen([str(BQW), "run", "--as-of", "2026-10-31"], cwd=root, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: len(started(tmp_path)) == 2, 60), "LibreOffice (the stand-in) never started"
        assert temp_folders(tmp_path)  # its profile and the PDFs' folder
        if how == "pid":
            os.kill(proc.pid, signal.SIGKILL)
        elif how == "group":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
        pids = started(tmp_path)
        assert wait_for(lambda: not any(alive(p) for p in pids) and not temp_folders(tmp_path), 15), (
            [p for p in pids if alive(p)], temp_folders(tmp_path))
    finally:
        for p in started(tmp_path):
            if alive(p):
                os.kill(p, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
    # the killed run committed nothing; the next run does the whole job
    done = run_bqw("run", "--as-of", "2026-10-31", cwd=root)
    assert done.returncode == ExitCode.DATA, done.stderr
    assert (root / "out" / "2026-10" / "进展通报（2026年10月）.docx").is_file()


def test_libreoffice_that_hangs_is_stopped(tmp_path):
    """LibreOffice that does not finish is stopped after BQW_SOFFICE_TIMEOUT seconds (all its
    processes), its folders removed; the documents are written without the page adjustment."""
    root = workspace(tmp_path / "w")
    env = stand_in_env(tmp_path, sleep=300, BQW_SOFFICE_TIMEOUT="2")
    t = time.monotonic()
    try:
        proc = subprocess.run([str(BQW), "run", "--as-of", "2026-10-31"], cwd=root, env=env, capture_output=True,
                              text=True, timeout=60)
        took = time.monotonic() - t
        pids = started(tmp_path)
        assert len(pids) == 2
        assert wait_for(lambda: not any(alive(p) for p in pids), 5), [p for p in pids if alive(p)]
    finally:
        for p in started(tmp_path):
            if alive(p):
                os.kill(p, signal.SIGKILL)
    assert proc.returncode == ExitCode.DATA, proc.stderr
    assert took < 30
    assert (root / "out" / "2026-10" / "进展通报（2026年10月）.docx").is_file()
    assert temp_folders(tmp_path) == []


def test_stale_folders_of_killed_runs_removed_by_the_next_run(tmp_path):
    """Folders left by a bqw that no longer runs (everything killed at once, a power cut) are
    removed when the next run starts — even one with nothing to do; a running bqw's are kept."""
    root = workspace(tmp_path / "w")
    env = stand_in_env(tmp_path, sleep=0)
    run_bqw("run", "--as-of", "2026-10-31", cwd=root)  # the inbox is read: the next run has nothing new
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    tmp = tmp_path / "tmp"
    stale = [tmp / f"bqw-lo-{gone.pid}-k3j2h1", tmp / f"bqw-pdf-{gone.pid}-9x8y7z", tmp / "bqw-lo-a1b2c3d4"]
    kept = [tmp / f"bqw-lo-{os.getpid()}-live01", tmp / "bqw-lo-e5f6g7h8", tmp / "bqw-other", tmp / "x-bqw-lo-1-2"]
    for folder in stale + kept:
        (folder / "profile").mkdir(parents=True)
        (folder / "进展通报.pdf").write_bytes(b"%PDF-1.4\n")
    day_old = time.time() - 2 * 86400  # a folder of an older bqw (no PID in its name): removed after a day
    os.utime(tmp / "bqw-lo-a1b2c3d4", (day_old, day_old))
    proc = subprocess.run([str(BQW), "run", "--as-of", "2026-10-31"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == ExitCode.OK, proc.stderr
    assert "没有新文件" in (root / "bqw.log").read_text(encoding="utf-8")
    assert [p.name for p in stale if p.exists()] == []
    assert [p.name for p in kept if p.exists()] == [p.name for p in kept]

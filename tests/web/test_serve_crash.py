"""bqw serve killed in the middle of a submission, and bqw run beside a serving bqw serve — real processes.

The server (the `bqw serve` console script, uvicorn, on 127.0.0.1) is paused at a fault point inside the
submission's bqw run (bqw.core.faults: BQW_FAULT) and killed there — SIGKILL on POSIX, TerminateProcess on
Windows, both what `Popen.kill()` sends. Restarted, the archive holds the submission whole or not at all
(as the fault point says), the submitter can submit again, and a `bqw run` afterwards succeeds with out/
agreeing with the archive (tests/fixtures/outputs.assert_out_agrees) and every row there exactly once.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT
from fixtures.outputs import assert_out_agrees, pending_folders
from serve_site import AS_OF, MONTH, make_workspace, sample

sys.path.insert(0, str(ROOT / "bench"))
from serve_load import Server, free_port  # noqa: E402

BQW = Path(sys.executable).parent / "bqw"
AS_OF_TEXT = AS_OF.isoformat()
LEADER = "洪文泽"
# the points a submission passes (bqw.core.faults), and whether the archive has committed there
POINTS = {"merge-archived-file": False, "merge-before-commit": False, "merge-committed": True,
          "outputs-moving": True}


def tokens_for(root: Path, names) -> dict[str, str]:
    from bqw.web.auth import Credentials

    credentials = Credentials(root)
    return {name: credentials.issue(name) for name in names}


def check(client, token: str, path: Path) -> str:
    """POST /api/check of `path`: its pending id (asserting it may be submitted)."""
    found = client.post("/api/check", headers={"Authorization": f"Bearer {token}"},
                        files={"file": (path.name, path.read_bytes())})
    assert found.status_code == 200, found.text
    item = found.json()["files"][0]
    assert item["submittable"], item
    return item["pending"]


def submit(client, token: str, pending: str):
    return client.post("/api/submit", headers={"Authorization": f"Bearer {token}"}, data={"pending": pending})


def archive_of(root: Path, submitter: str) -> tuple[list[tuple], int]:
    """(the submitter's submissions as (status, rows), records of its current ones); integrity checked."""
    con = sqlite3.connect(root / "bqw.db")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        subs = con.execute("SELECT status, rows FROM submissions WHERE submitter=? ORDER BY seq",
                           (submitter,)).fetchall()
        records = con.execute("SELECT COUNT(*) FROM records r JOIN submissions s ON s.id = r.submission_id "
                              "WHERE s.submitter=? AND s.status='current'", (submitter,)).fetchone()[0]
    finally:
        con.close()
    return subs, records


def bqw_run(root: Path, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([str(BQW), "-w", str(root), "run", "--as-of", AS_OF_TEXT, *extra], capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def rows_of(path: Path) -> int:
    """The ledger's data rows as bqw validate counts them (the number a receipt must show)."""
    from bqw.jobs.validate import validate_file

    return validate_file(path).rows


@pytest.mark.parametrize("point", list(POINTS))
def test_killed_mid_submission_the_archive_has_all_or_nothing_and_the_leader_submits_again(tmp_path, point):
    root = make_workspace(tmp_path / "平安镇百千万")
    token = tokens_for(root, [LEADER])[LEADER]
    ledger = sample(LEADER)
    rows = rows_of(ledger)
    assert rows > 0
    port = free_port()
    mark = tmp_path / "mark"
    server = Server(root, port, as_of=AS_OF_TEXT,
                    env={"BQW_FAULT": point, "BQW_FAULT_MARK": str(mark), "BQW_FAULT_SECONDS": "120"})
    answers: list = []
    try:
        with httpx.Client(base_url=server.url, timeout=180) as client:
            pending = check(client, token, ledger)

            def sending():
                try:
                    answers.append(submit(client, token, pending))
                except httpx.TransportError as e:  # the server died under the request: what is expected
                    answers.append(e)

            thread = threading.Thread(target=sending, daemon=True)
            thread.start()
            deadline = time.monotonic() + 120
            while not mark.exists() and time.monotonic() < deadline and server.proc.poll() is None:
                time.sleep(0.05)
            assert mark.exists() and server.proc.poll() is None, f"{point} not reached"
            server.proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
            server.proc.wait(timeout=30)
            thread.join(timeout=60)
    finally:
        server.stop()
    assert len(answers) == 1 and isinstance(answers[0], httpx.TransportError), answers  # no receipt was sent

    subs, records = archive_of(root, LEADER)
    if POINTS[point]:  # committed: the whole submission
        assert subs == [("current", rows)] and records == rows
    else:  # rolled back: none of it
        assert subs == [] and records == 0
    assert bool(pending_folders(root / "bqw.db")) == (point == "merge-committed" or point == "outputs-moving")

    with Server(root, free_port(), as_of=AS_OF_TEXT) as again, \
            httpx.Client(base_url=again.url, timeout=180) as client:
        receipt = submit(client, token, check(client, token, ledger))
        assert receipt.status_code == 200, receipt.text
        # what the killed server had committed is the same content: counted once, as bqw run counts it
        assert receipt.json()["status"] == ("duplicate" if POINTS[point] else "accepted")
        assert receipt.json()["rows"] == (0 if POINTS[point] else rows)
        subs, records = archive_of(root, LEADER)
        assert subs == [("current", rows)] and records == rows

        corrected = sample(LEADER, "（更正）")
        receipt = submit(client, token, check(client, token, corrected))
        assert receipt.status_code == 200, receipt.text
        assert receipt.json()["status"] == "accepted" and receipt.json()["superseded"] != []

    # the killed submission's file is in the inbox still (moved there before processing): bqw run sees
    # it — as a duplicate, or as already seen — finishes moving any staged outputs, and out/ settles
    done = bqw_run(root)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert not pending_folders(root / "bqw.db")
    assert_out_agrees(root, AS_OF, settled=True)
    subs, records = archive_of(root, LEADER)
    assert [s for s in subs if s[0] == "current"] == [("current", rows_of(corrected))]
    assert records == rows_of(corrected)


def test_bqw_run_beside_a_serving_bqw_serve_loses_nothing(tmp_path):
    """Three leaders submit through the server while `bqw run` (the CLI, another process) merges the rest of
    the month from the inbox: no error on either side, and every file's rows are in the archive once. The
    server pauses 2 s in each submission with its outputs written (BQW_FAULT=run-outputs-written, under the
    archive's lock), and bqw run starts once the first has got there: it must wait for the lock, and the
    other two submissions wait for it or go first."""
    root = make_workspace(tmp_path / "平安镇百千万")
    online = ["洪文泽", "刘晓燕", "林海峰"]
    tokens = tokens_for(root, online)
    by_leader = {name: sample(name) for name in online}
    inbox_files = [p for p in MONTH.iterdir() if not p.name.startswith("~$")
                   and not any(p.stem.endswith(f"-{name}") or p.stem.endswith(f"-{name}（更正）") for name in online)]
    assert len(inbox_files) == 5  # 张国华, 李明 (twice: a copy), 陈志强, 黄丽娟
    (root / "inbox" / "2026-10").mkdir(parents=True)
    for p in inbox_files:
        shutil.copy(p, root / "inbox" / "2026-10")
    expected = {name: rows_of(path) for name, path in by_leader.items()}

    mark = tmp_path / "mark"
    pause = {"BQW_FAULT": "run-outputs-written", "BQW_FAULT_MARK": str(mark), "BQW_FAULT_SECONDS": "2"}
    with Server(root, free_port(), as_of=AS_OF_TEXT, env=pause) as server:
        with httpx.Client(base_url=server.url, timeout=300) as client:
            pendings = {name: check(client, tokens[name], path) for name, path in by_leader.items()}
        receipts: dict = {}

        def sending(name):
            with httpx.Client(base_url=server.url, timeout=300) as client:
                receipts[name] = submit(client, tokens[name], pendings[name])

        threads = [threading.Thread(target=sending, args=(name,), daemon=True) for name in online]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 120
        while not mark.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert mark.exists(), "no submission reached run-outputs-written"
        assert len(receipts) == 0  # the first submission is paused inside the lock as bqw run starts
        done = bqw_run(root, "--lock-timeout", "240")
        for t in threads:
            t.join(timeout=300)
        assert server.proc.poll() is None  # still serving

    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "正在运行" not in done.stderr
    for name in online:
        answer = receipts[name]
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "accepted" and answer.json()["rows"] == expected[name]
    for name in online:
        assert archive_of(root, name) == ([("current", expected[name])], expected[name])
    for name in ("张国华", "陈志强", "黄丽娟", "李明"):
        subs, records = archive_of(root, name)
        current = [s for s in subs if s[0] == "current"]
        assert len(current) == 1 and records == current[0][1] > 0, (name, subs)
    again = bqw_run(root)  # nothing left unseen: the server's files included
    assert again.returncode in (0, 1), again.stdout + again.stderr
    assert "没有新文件" in again.stdout + again.stderr or "无新文件" in again.stdout + again.stderr, again.stdout
    assert_out_agrees(root, AS_OF, settled=True)

"""bqw serve's accepted path: a check gives bqw validate's JSON; a submission is processed as bqw run
processes the inbox (receipt = the archive's records, out/ ledgers, duplicates, corrections), a later
bqw run sees nothing new; the board before and after; the event log; the office's rejection; two
submissions while a bqw run runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pytest

from serve_site import AS_OF, SAMPLES, Site, sample

MERGED = "挂点调研台账（合并）.xlsx"


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path / "平安镇百千万")


def bqw(*args, cwd=None):
    exe = Path(sys.executable).parent / "bqw"
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def merged_rows(site, leader: str) -> int:
    """Rows of `leader` in out/2026-10's merged visit ledger, read from the workbook."""
    wb = openpyxl.load_workbook(site.cfg.out / "2026-10" / MERGED, read_only=True)
    rows = list(wb["挂点调研台账"].iter_rows(values_only=True))
    header = rows[1]
    return sum(1 for r in rows[2:] if r[header.index("镇领导")] == leader)


def test_check_gives_bqw_validates_json_for_the_file(site):
    from bqw.jobs.validate import load_context, report_dict, validate_file

    path = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"
    item = site.check("黄丽娟", path).json()["files"][0]
    ctx, _ = load_context(None, site.cfg.assignments, site.cfg.roster, cfg=site.cfg)
    expected = report_dict([validate_file(path, None, ctx)])["files"][0]
    assert {k: item[k] for k in expected if k != "path"} == {k: v for k, v in expected.items() if k != "path"}
    assert item["path"] == path.name and item["errors"] == 3 and item["findings"]
    assert item["submittable"] is True  # errors are held back as 待核实, as bqw merge does


def test_a_submission_is_bqw_runs_and_a_later_run_sees_nothing_new(site):
    answer = site.check_and_submit("洪文泽", sample("洪文泽"))
    assert answer.status_code == 200
    receipt = answer.json()
    assert receipt["status"] == "accepted" and receipt["period"] == "2026-10" and receipt["kind"] == "visits"
    with site.archive() as store:
        subs = store.submissions()
        records = store.records([s.id for s in subs])
    assert [s.id for s in subs] == receipt["submission_ids"]
    assert receipt["rows"] == sum(1 for r in records if not r["held"]) == subs[0].rows - subs[0].held == 5
    assert receipt["held"] == sum(1 for r in records if r["held"]) == 0
    assert subs[0].submitter == "洪文泽"
    stored = Path(subs[0].source_path)
    assert stored.parent.parent == site.cfg.inbox / "网上报送" / "洪文泽" and stored.name == sample("洪文泽").name
    assert merged_rows(site, "洪文泽") == 5
    assert not any((site.cfg.root / "serve" / "pending").iterdir())
    later = bqw("-w", site.root, "run", "--as-of", AS_OF.isoformat(), "--format", "json")
    assert later.returncode in (0, 1), later.stderr
    result = json.loads(later.stdout)
    assert result["new_files"] == [] and result["unchanged_files"] == 1
    with site.archive() as store:
        assert len(store.submissions()) == 1


def test_duplicates_count_once_and_corrections_supersede(site):
    first = site.check_and_submit("李明", sample("李明")).json()
    again = site.check_and_submit("李明", MONTHLY_COPY).json()  # byte-identical to the first
    assert first["status"] == "accepted" and again["status"] == "duplicate"
    assert again["duplicates"] == 1 and again["rows"] == 0 and "只计一次" in again["message"]
    original = site.check_and_submit("洪文泽", sample("洪文泽")).json()
    corrected = site.check_and_submit("洪文泽", sample("洪文泽", "（更正）")).json()
    assert corrected["status"] == "accepted" and corrected["superseded"] == [sample("洪文泽").name]
    with site.archive() as store:
        old, new = store.get(original["submission_ids"][0]), store.get(corrected["submission_ids"][0])
        assert (old.status, old.superseded_by, new.status) == ("superseded", new.id, "current")
        assert len(store.submissions(kind="visits")) == 3
    assert merged_rows(site, "洪文泽") == corrected["rows"] == 6  # the correction adds a row
    assert merged_rows(site, "李明") == first["rows"]


MONTHLY_COPY = SAMPLES / "2026-10" / "附件3：平安镇领导挂点调研台账（10月）-李明(1).xlsx"


def test_the_board_before_and_after_a_submission_and_the_event_log(site):
    csrf = site.login()
    before = site.client.get("/api/board?period=2026-10").json()
    entry = next(e for e in before["entries"] if e["submitter"] == "洪文泽")
    assert (entry["status"], entry["rows"], entry["arrived"]) == ("未到报送时限", 0, None)
    assert {e["submitter"] for e in before["entries"]} >= {"洪文泽", "李明", "吴建新"}
    receipt = site.check_and_submit("洪文泽", sample("洪文泽")).json()
    after = site.client.get("/api/board?period=2026-10").json()
    entry = next(e for e in after["entries"] if e["submitter"] == "洪文泽")
    assert (entry["status"], entry["rows"], entry["arrived"]) == ("按时报送", 5, AS_OF.isoformat())
    assert entry["submissions"] == receipt["submission_ids"]
    assert after["totals"]["on_time"] == before["totals"]["on_time"] + 1
    with site.archive() as store:
        events = [dict(r) for r in store.events()]
    submit = [e for e in events if e["event"] == "submit"]
    assert len(submit) == 1 and submit[0]["submission_id"] == receipt["submission_ids"][0]
    assert submit[0]["reason"].startswith("洪文泽：已报送") and "网上报送" in submit[0]["path"]
    assert [e["event"] for e in events if e["event"].startswith("login")] == ["login"]
    assert csrf


def test_the_office_rejects_a_submission(site):
    from bqw.web import service

    receipt = site.check_and_submit("洪文泽", sample("洪文泽")).json()
    sid = receipt["submission_ids"][0]
    site.check_and_submit("李明", sample("李明"))
    assert merged_rows(site, "洪文泽") == 5
    with pytest.raises(service.ServiceError):
        service.reject(site.cfg, sid, "  ", "办公室", as_of=AS_OF)
    service.reject(site.cfg, sid, "调研地点与挂点村不符", "办公室", as_of=AS_OF)
    view = service.submissions_of(site.cfg, "洪文泽")[0]
    assert (view.id, view.status, view.status_zh) == (sid, "rejected", "已退回")
    assert view.reason == "调研地点与挂点村不符（办公室退回）"
    assert merged_rows(site, "洪文泽") == 0 and merged_rows(site, "李明") > 0  # out/ written again
    with site.archive() as store:
        assert [(e["event"], e["submission_id"]) for e in store.events() if e["event"] == "reject"] == [("reject", sid)]
    site.login()
    entry = next(e for e in site.client.get("/api/board?period=2026-10").json()["entries"]
                 if e["submitter"] == "洪文泽")
    assert entry["rows"] == 0 and entry["rejected"] == 1
    assert entry["status"] != "按时报送"  # a returned report did not arrive: it is owed again
    with pytest.raises(service.ServiceError) as again:
        service.reject(site.cfg, sid, "再退一次", "办公室", as_of=AS_OF)
    assert again.value.status == 404
    # the same content sent again is no new report; a fixed file is
    assert site.check_and_submit("洪文泽", sample("洪文泽")).json()["status"] == "duplicate"
    assert site.check_and_submit("洪文泽", sample("洪文泽", "（更正）")).json()["status"] == "accepted"
    assert merged_rows(site, "洪文泽") == 6
    assert service.submissions_of(site.cfg, "李明")[0].status == "current"  # nothing of another's shown


def test_two_submissions_while_a_bqw_run_runs(site):
    from bqw.web import submitting

    for leader in ("林海峰", "刘晓燕", "陈志强"):
        shutil.copy(sample(leader), site.cfg.inbox)
    pending = {who: site.check(who, sample(who)).json()["files"][0]["pending"] for who in ("洪文泽", "李明")}
    receipts, errors = {}, []

    def send(who):
        try:
            receipts[who] = submitting.submit(site.cfg, pending[who], who, as_of=AS_OF)
        except Exception as e:  # noqa: BLE001 — collected and asserted below
            errors.append(e)

    run = subprocess.Popen([str(Path(sys.executable).parent / "bqw"), "-w", str(site.root), "run", "--as-of",
                            AS_OF.isoformat(), "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    threads = [threading.Thread(target=send, args=(who,)) for who in pending]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    out, err = run.communicate(timeout=300)
    assert errors == [] and run.returncode in (0, 1), (errors, err)
    assert {r.status for r in receipts.values()} == {"accepted"}
    with site.archive() as store:
        current = {s.submitter: s for s in store.submissions(kind="visits", status="current")}
    assert set(current) == {"洪文泽", "李明", "林海峰", "刘晓燕", "陈志强"}
    for who, receipt in receipts.items():
        assert current[who].rows - current[who].held == receipt.rows
    for who in current:
        assert merged_rows(site, who) == current[who].rows - current[who].held
    later = json.loads(bqw("-w", site.root, "run", "--as-of", AS_OF.isoformat(), "--format", "json").stdout)
    assert later["new_files"] == [] and later["unchanged_files"] == 5


def test_a_busy_archive_keeps_the_checked_upload_for_a_later_confirmation(site, monkeypatch):
    """While another bqw (another process) holds the archive's lock, 确认报送 answers 503 and moves nothing;
    the same pending id submits once the lock is free."""
    import time

    from bqw.web import service

    monkeypatch.setattr(service, "LOCK_TIMEOUT", 0.5)
    pending = site.check("洪文泽", sample("洪文泽")).json()["files"][0]["pending"]
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom bqw.store.lock import locked\n"
        "with locked(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(20)\n"), str(site.cfg.archive)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        r = site.client.post("/api/submit", headers=site.bearer("洪文泽"), data={"pending": pending})
    finally:
        holder.kill()
        holder.wait(10)
    assert r.status_code == 503 and "请稍后再点“确认报送”" in r.json()["error"]
    online = site.cfg.inbox / "网上报送"
    assert not online.exists() or not any(p.is_file() for p in online.rglob("*"))  # nothing moved into the inbox
    time.sleep(0.2)
    again = site.submit("洪文泽", pending)
    assert again.status_code == 200 and again.json()["status"] == "accepted"


def test_confirmations_at_once_go_in_batches_each_with_its_own_receipt(site, monkeypatch):
    """Five confirmations at the same moment: fewer bqw runs than files (group commit), and each submitter's
    receipt speaks of their own file — rows, and the correction replacing only its own original."""
    from bqw.jobs import routine
    from bqw.web import submitting

    first = site.check_and_submit("洪文泽", sample("洪文泽")).json()  # its correction comes in the batch
    runs = []
    real_run = routine.run

    def counting_run(cfg, **kw):
        runs.append(len(kw.get("files") or []))
        return real_run(cfg, **kw)

    monkeypatch.setattr(routine, "run", counting_run)
    files = {"洪文泽": sample("洪文泽", "（更正）"), "李明": sample("李明"), "黄丽娟": sample("黄丽娟"),
             "张国华": sample("张国华")}
    pending = {who: site.check(who, path).json()["files"][0]["pending"] for who, path in files.items()}
    start = threading.Barrier(len(pending))
    receipts, errors = {}, []

    def send(who):
        start.wait(30)
        try:
            receipts[who] = submitting.submit(site.cfg, pending[who], who, as_of=AS_OF)
        except Exception as e:  # noqa: BLE001 — collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=send, args=(who,)) for who in pending]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == [] and set(receipts) == set(files)
    assert sum(runs) == len(files) and len(runs) < len(files), runs  # every file once, in fewer runs
    with site.archive() as store:
        current = {s.submitter: s for s in store.submissions(kind="visits", status="current")}
    for who, r in receipts.items():
        assert r.file == files[who].name and r.submission_ids == [current[who].id], who
        assert (r.rows, r.held) == (current[who].rows - current[who].held, current[who].held), who
        assert r.superseded == ([first["file"]] if who == "洪文泽" else []), who


def test_the_lists_are_read_once_and_again_when_one_changes(site):
    """Checks reuse the workspace's lists as read; a changed 挂点安排表 is read again."""
    import os

    from bqw.web import service

    first = service._context(site.cfg)  # noqa: SLF001 — the cache is what this test is about
    assert service._context(site.cfg) is first  # noqa: SLF001
    path = site.cfg.existing(site.cfg.assignments)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = service._context(site.cfg)  # noqa: SLF001
    assert again is not first and again.assignments == first.assignments


def test_unconfirmed_uploads_are_deleted_after_a_week(site):
    import os
    import time

    from bqw.web import service

    old = site.check("洪文泽", sample("洪文泽")).json()["files"][0]["pending"]
    fresh = site.check("李明", sample("李明")).json()["files"][0]["pending"]
    week_ago = time.time() - service.PENDING_DAYS * 86400 - 60
    os.utime(service.pending_dir(site.cfg) / old / "meta.json", (week_ago, week_ago))
    site.check("黄丽娟", sample("黄丽娟"))  # a check sweeps
    assert not (service.pending_dir(site.cfg) / old).exists()
    assert (service.pending_dir(site.cfg) / fresh / "meta.json").is_file()
    gone = site.submit("洪文泽", old)
    assert gone.status_code == 404 and "请重新上传" in gone.json()["error"]
    assert site.submit("李明", fresh).json()["status"] == "accepted"

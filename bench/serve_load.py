#!/usr/bin/env python3
"""Load on `bqw serve` (issue 18): many submitters checking and submitting their ledgers at the same time.

    .venv/bin/python bench/serve_load.py                      # 50 clients × a 40-row ledger (make bench)
    .venv/bin/python bench/serve_load.py --clients 5 --rows 10

The real console script (`bqw serve`, uvicorn) on 127.0.0.1 and a free port, on a workspace built in a
temporary folder as tests/web's fixture builds it (bqw init + the samples' 名单), except that the 挂点安排表
lists CLIENTS leaders (generated from a fixed seed: the samples' has only 8). `bqw serve links` issues
their tokens. Each client (a thread with its own httpx client) waits for the others, then checks its own
generated ledger (POST /api/check) and submits it (POST /api/submit). Before that one warm-up check, so the
check latencies are those of a warm server, and ALONE_CHECKS checks one after another by one client: a
check's own time, without the crowd's queue.

Reported: errors (must be 0), the archive's records afterwards against the rows submitted (must be equal,
and each leader holds exactly one current submission of its rows), check and submit latency p50/p95, the
total time. Results go to bench/data/serve-load-<time>.json (git-ignored, like bench/run.py's) and to
stdout; bench/README.md quotes them (“bqw serve under load”). Exit status 1 when a condition fails.
tests/web/test_serve_load.py runs the same code with 5 clients × 10 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(BENCH))
import gen  # noqa: E402

BQW = str(Path(sys.executable).parent / "bqw")
HOST = "127.0.0.1"  # only ever this machine
SEED = 20261105
AS_OF = "2026-11-05"  # the server's “today”: October's ledgers are due then
REQUEST_TIMEOUT = 1800.0  # one request; a submission waits behind all the others (each one a bqw run)
STARTUP_TIMEOUT = 60.0
ALONE_CHECKS = 20  # checks one after another on the warm server, before the clients start


@dataclass
class LoadResult:
    clients: int
    rows_per_ledger: int
    rows_submitted: int = 0
    records_after: int = 0
    current_submissions: int = 0
    errors: list[str] = field(default_factory=list)
    warmup_check_s: float = 0.0
    alone_check_s: list[float] = field(default_factory=list)  # one client alone, one check after another
    check_s: list[float] = field(default_factory=list)
    submit_s: list[float] = field(default_factory=list)
    total_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and self.records_after == self.rows_submitted == self.clients * self.rows_per_ledger

    def summary(self) -> dict:
        return {"clients": self.clients, "rows_per_ledger": self.rows_per_ledger, "errors": len(self.errors),
                "rows_submitted": self.rows_submitted, "records_after": self.records_after,
                "current_submissions": self.current_submissions,
                "warmup_check_s": round(self.warmup_check_s, 3),
                "alone_check_p50_s": percentile(self.alone_check_s, 50),
                "alone_check_p95_s": percentile(self.alone_check_s, 95),
                "check_p50_s": percentile(self.check_s, 50), "check_p95_s": percentile(self.check_s, 95),
                "submit_p50_s": percentile(self.submit_s, 50), "submit_p95_s": percentile(self.submit_s, 95),
                "total_s": round(self.total_s, 3)}


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (no interpolation: with 50 samples p95 is the 48th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return round(ordered[int(rank) - 1], 3)


# --- the workspace ---------------------------------------------------------------------------------

def leader_names(n: int, seed: int = SEED) -> list[str]:
    return gen._unique_names(random.Random(seed), n, gen._person_name)


def villages_of(i: int) -> list[tuple[str, str, str]]:
    """Two of the samples' villages (with their secretary and phone) for the i-th leader."""
    return [gen.VILLAGES[(2 * i) % len(gen.VILLAGES)], gen.VILLAGES[(2 * i + 1) % len(gen.VILLAGES)]]


def write_assignments(path: Path, leaders: list[str]) -> None:
    """A 挂点安排表 shaped like the samples' (title, header, one row a leader, a note)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["平安镇领导挂点联系村（社区）安排表"])
    ws.append(["序号", "镇领导", "职务", "联系行政村", "协助部门", "备注"])
    for i, leader in enumerate(leaders):
        ws.append([i + 1, leader, gen.POSTS[i % len(gen.POSTS)], "、".join(v[0] for v in villages_of(i)),
                   "党政办", None])
    wb.save(path)


def make_workspace(folder: Path, leaders: list[str]) -> Path:
    """bqw init + the samples' 成员名单 + an 安排表 of `leaders` (tests/web/serve_site.py's make_workspace,
    with more leaders)."""
    from bqw.jobs.config import init

    init(folder, town="平安镇", year=2026)
    write_assignments(folder / "名单" / "镇领导挂点联系村安排表.xlsx", leaders)
    shutil.copy(next((SAMPLES / "roster").glob("*.xlsx")), folder / "名单" / "指挥部成员名单.xlsx")
    return folder


def write_ledgers(folder: Path, leaders: list[str], rows: int, seed: int = SEED) -> dict[str, Path]:
    """Each leader's October 挂点调研台账 of `rows` rows (bench/gen.py's town file), in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    found = {}
    for i, leader in enumerate(leaders):
        path = folder / f"附件3：平安镇领导挂点调研台账（10月）-{leader}.xlsx"
        gen._write_town_file((str(path), "平安镇", leader, gen.POSTS[i % len(gen.POSTS)], villages_of(i), rows,
                              seed * 1000 + i))
        found[leader] = path
    return found


def issue_tokens(root: Path, base_url: str, leaders: list[str]) -> dict[str, str]:
    """`bqw serve links` (the real command): each leader's token, from the link it prints."""
    proc = subprocess.run([BQW, "-w", str(root), "serve", "links", "--base-url", base_url],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"bqw serve links failed ({proc.returncode}): {proc.stderr}")
    tokens = {}
    for line in proc.stdout.splitlines():
        name, _role, link = line.split("\t")
        if name in leaders:
            tokens[name] = link.rsplit("/u/", 1)[1]
    missing = sorted(set(leaders) - set(tokens))
    if missing:
        raise RuntimeError(f"no link for {missing}")
    return tokens


# --- the server ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """`bqw serve` as a subprocess on 127.0.0.1:port; stopped (terminate, then kill) on exit. `env` adds to
    the environment (tests/web/test_serve_crash.py: BQW_FAULT)."""

    def __init__(self, root: Path, port: int, env: dict | None = None, log: Path | None = None,
                 as_of: str = AS_OF):
        self.root, self.port = root, port
        self.url = f"http://{HOST}:{port}"
        self.log = log or root / "serve-stderr.log"
        with open(self.log, "ab") as err:
            self.proc = subprocess.Popen([BQW, "-w", str(root), "serve", "--host", HOST, "--port", str(port),
                                          "--as-of", as_of], stdout=subprocess.DEVNULL, stderr=err,
                                         env=dict(os.environ, **(env or {})))
        self._wait_ready()

    def _wait_ready(self) -> None:
        import httpx

        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"bqw serve exited {self.proc.returncode}: {self.log.read_text('utf-8')}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"bqw serve did not answer /healthz within {STARTUP_TIMEOUT:.0f} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --- the clients -----------------------------------------------------------------------------------

def check(client, token: str, path: Path):
    with open(path, "rb") as fh:
        return client.post("/api/check", headers={"Authorization": f"Bearer {token}"},
                           files={"file": (path.name, fh.read())})


def one_client(url: str, token: str, path: Path, rows: int, start: threading.Barrier, result: LoadResult,
               lock: threading.Lock) -> None:
    import httpx

    errors, times = [], {}
    try:
        with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as client:
            start.wait(timeout=REQUEST_TIMEOUT)
            t = time.perf_counter()
            found = check(client, token, path)
            times["check"] = time.perf_counter() - t
            if found.status_code != 200:
                errors.append(f"{path.name}: check {found.status_code} {found.text[:300]}")
            elif not found.json()["files"][0]["submittable"]:
                errors.append(f"{path.name}: not submittable: {found.json()['files'][0]['refusal']}")
            else:
                t = time.perf_counter()
                sent = client.post("/api/submit", headers={"Authorization": f"Bearer {token}"},
                                   data={"pending": found.json()["files"][0]["pending"]})
                times["submit"] = time.perf_counter() - t
                if sent.status_code != 200:
                    errors.append(f"{path.name}: submit {sent.status_code} {sent.text[:300]}")
                elif sent.json()["rows"] != rows or sent.json()["status"] != "accepted":
                    errors.append(f"{path.name}: receipt {sent.json()}")
    except Exception as e:  # noqa: BLE001 — every failure is counted and reported, none stops the others
        errors.append(f"{path.name}: {type(e).__name__}: {e}")
    with lock:
        result.errors.extend(errors)
        if "check" in times:
            result.check_s.append(times["check"])
        if "submit" in times:
            result.submit_s.append(times["submit"])
            if not errors:
                result.rows_submitted += rows


def run_load(clients: int, rows: int, work: Path, overall_timeout: float = 900.0) -> LoadResult:
    """The whole measurement in `work` (a fresh folder): workspace, ledgers, server, clients, archive."""
    import httpx

    from bqw.jobs.config import load, resolve
    from bqw.store.archive import Archive

    result = LoadResult(clients=clients, rows_per_ledger=rows)
    leaders = leader_names(clients)
    root = make_workspace(work / "平安镇百千万", leaders)
    ledgers = write_ledgers(work / "ledgers", leaders, rows)
    port = free_port()
    tokens = issue_tokens(root, f"http://{HOST}:{port}", leaders)
    with Server(root, port) as server:
        with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as client:
            t = time.perf_counter()
            warm = check(client, tokens[leaders[0]], ledgers[leaders[0]])  # its pending upload is never submitted
            result.warmup_check_s = time.perf_counter() - t
            if warm.status_code != 200:
                result.errors.append(f"warm-up check {warm.status_code} {warm.text[:300]}")
            for _ in range(ALONE_CHECKS):  # a warm server's answer to one check (the issue's < 300 ms)
                t = time.perf_counter()
                alone = check(client, tokens[leaders[0]], ledgers[leaders[0]])
                result.alone_check_s.append(time.perf_counter() - t)
                if alone.status_code != 200:
                    result.errors.append(f"check alone {alone.status_code} {alone.text[:300]}")
        start = threading.Barrier(clients)
        lock = threading.Lock()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            futures = [pool.submit(one_client, server.url, tokens[name], ledgers[name], rows, start, result, lock)
                       for name in leaders]
            _done, late = wait(futures, timeout=overall_timeout)
            if late:
                result.errors.append(f"{len(late)} clients still running after {overall_timeout:.0f} s")
                server.stop()  # their requests fail at once, so the pool can end
        result.total_s = time.perf_counter() - t0
    with Archive(resolve(load(root)).archive) as store:
        result.records_after = store.counts()[1]
        current = store.submissions(status="current")
    result.current_submissions = len(current)
    by_leader = {s.submitter: s for s in current}
    for name in leaders:
        s = by_leader.get(name)
        if s is None or s.rows != rows:
            result.errors.append(f"archive: {name} has {'no current submission' if s is None else f'{s.rows} rows'}")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rows", type=int, default=40, help="rows of each client's ledger")
    ap.add_argument("--timeout", type=float, default=900.0, help="hard limit on the clients' phase, seconds")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bqw-serve-load-") as tmp:
        result = run_load(args.clients, args.rows, Path(tmp), args.timeout)
    summary = result.summary()
    raw = {"when": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "nproc": os.cpu_count(),
           "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
           # each submission renders the month's documents with LibreOffice when it is there (BQW_SOFFICE)
           "soffice": os.environ.get("BQW_SOFFICE") or shutil.which("soffice") or "none",
           "summary": summary, "ok": result.ok, **{k: v for k, v in asdict(result).items()
                                                      if k in ("errors", "check_s", "submit_s")}}
    DATA.mkdir(exist_ok=True)
    out = DATA / f"serve-load-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{'LibreOffice':>22}: {raw['soffice']}")
    for key, value in summary.items():
        print(f"{key:>22}: {value}")
    for e in result.errors[:20]:
        print("error:", e)
    print(f"{'raw samples':>22}: {out.relative_to(ROOT)}")
    print("serve load:", "ok" if result.ok else "FAILED")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

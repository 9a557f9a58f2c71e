"""Run the wild corpus and print the failures by trait (make wild).

    python -m tests.wild.run -n 5000            # seeds 0..4999 on two processes
    python -m tests.wild.run --seed 123 --keep DIR   # write case 123 to DIR, show its traits, truth and check

Exits 1 when any case fails.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from .check import Outcome, check, run_seed

MESSAGE_WIDTH = 160
FAILING_SHOWN = 40


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.wild.run", description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--cases", type=int, default=5000, help="how many seeds (default 5000)")
    ap.add_argument("--start", type=int, default=0, help="first seed (default 0)")
    ap.add_argument("--kind", choices=("visits", "tasks", "roster", "assignments", "scores"), help="only this kind")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--seed", type=int, help="one case: write it (with --keep) and check it")
    ap.add_argument("--keep", type=Path, help="folder to write the --seed case to")
    args = ap.parse_args(argv)
    if args.seed is not None:
        return one(args.seed, args.kind, args.keep)
    return corpus(range(args.start, args.start + args.cases), args.kind, args.jobs)


def one(seed: int, kind: str | None, keep: Path | None) -> int:
    import tempfile

    from .generator import generate

    with tempfile.TemporaryDirectory(prefix="bqw-wild-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        case = generate(seed, kind, folder=folder)
        print(f"seed {seed}: {case.path}")
        print(json.dumps(case.traits, ensure_ascii=False, indent=1))
        print(json.dumps(case.truth, ensure_ascii=False, indent=1))
        problems = check(case)
    for p in problems:
        print(f"FAIL [{p.klass}] {p.message}")
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def corpus(seeds: range, kind: str | None, jobs: int) -> int:
    start = time.perf_counter()
    outcomes: list[Outcome] = []
    if jobs <= 1:
        outcomes = [run_seed(s, kind) for s in seeds]
    else:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(jobs) as pool:
            for i, o in enumerate(pool.imap_unordered(_run, [(s, kind) for s in seeds], chunksize=16), 1):
                outcomes.append(o)
                if i % 500 == 0:
                    print(f"  {i}/{len(seeds)} …", file=sys.stderr, flush=True)
    outcomes.sort(key=lambda o: o.seed)
    report(outcomes, time.perf_counter() - start)
    return 1 if any(o.problems for o in outcomes) else 0


def _run(args) -> Outcome:
    return run_seed(*args)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_WIDTH else text[:MESSAGE_WIDTH - 1] + "…"


def _typical(bad: list[Outcome], classes: dict[str, list[Outcome]], failed: int):
    """(class, example) of the failure class most over-represented among these failing cases
    compared with all failures (ties: the more frequent), or None when none failed."""
    if not bad:
        return None
    counts = Counter(k for o in bad for k in dict.fromkeys(p.klass for p in o.problems))
    klass = max(counts, key=lambda k: (counts[k] / len(bad) / (len(classes[k]) / failed), counts[k]))
    return klass, next(o for o in bad if any(p.klass == klass for p in o.problems))


def report(outcomes: list[Outcome], seconds: float) -> None:
    failed = [o for o in outcomes if o.problems]
    total = len(outcomes)
    rate = 100 * len(failed) / total if total else 0.0
    print(f"wild: {total} cases, {len(failed)} failed ({rate:.1f}%), {seconds:.1f} s")
    by_value: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for trait, value in o.traits.items():
            by_value[(trait, value)].append(o)
    classes: dict[str, list[Outcome]] = defaultdict(list)
    for o in failed:
        for klass in dict.fromkeys(p.klass for p in o.problems):
            classes[klass].append(o)
    rows = []
    for (trait, value), group in by_value.items():
        bad = [o for o in group if o.problems]
        rows.append((len(bad) / len(group), len(bad), trait, value, len(group), _typical(bad, classes, len(failed))))
    rows.sort(key=lambda r: (-r[0], -r[1], r[2], r[3]))
    print()
    print("Failures by trait value (sorted by failure rate); the example shows the failure class most")
    print("typical of the value (most over-represented among its failures), with one seed and its message:")
    print(f"{'trait=value':40} {'cases':>6} {'failed':>6} {'rate':>6}  example")
    for share, bad, trait, value, n, example in rows:
        line = f"{trait + '=' + value:40} {n:6d} {bad:6d} {100 * share:5.1f}%"
        if example is not None:
            klass, o = example
            message = next(p.message for p in o.problems if p.klass == klass)
            line += f"  [{klass}] seed {o.seed}: {_short(message)}"
        print(line)
    if classes:
        print()
        print("Failure classes (a case may show several):")
        for klass, group in sorted(classes.items(), key=lambda kv: -len(kv[1])):
            example = group[0]
            message = next(p.message for p in example.problems if p.klass == klass)
            print(f"{len(group):6d}  {klass}\n        seed {example.seed} ({example.kind}): {_short(message)}")
    kinds = Counter(o.kind for o in outcomes)
    kinds_failed = Counter(o.kind for o in failed)
    print()
    print("By kind: " + ", ".join(f"{k} {kinds_failed[k]}/{n} failed" for k, n in sorted(kinds.items())))
    if failed:  # to look at one: python -m tests.wild.run --seed N --keep DIR
        shown = " ".join(str(o.seed) for o in failed[:FAILING_SHOWN])
        print(f"Failing seeds: {shown}" + (" …" if len(failed) > FAILING_SHOWN else ""))
    print(f"wild: {total} cases, {len(failed)} failed ({rate:.1f}%), {seconds:.1f} s")


if __name__ == "__main__":
    sys.exit(main())

"""Ledgers rebuilt from the archive: the current submissions' accepted rows (and those held back),
as typed frames, for the merged workbooks, the summaries and the documents.

A ledger is {table kind: (accepted frame, held frame)} for one archive kind (bqw.ledgers.family).
"""

from __future__ import annotations

import json
from datetime import date

from bqw.core.findings import ERROR
from bqw.core.table import META_PERIOD, META_UNIT, SRC_FILE, SRC_ROW, SRC_SHEET
from bqw.ledgers import derive_merged, get_spec
from bqw.ledgers.family import RECTIFICATION_FAMILY, table_kinds
from bqw.ledgers.rectification import STANDING_COLUMN
from bqw.store.archive import Archive, Submission

NOTE_COLUMN = "校验提示"  # warnings kept with an accepted row
PROBLEM_COLUMN = "问题说明"  # why a row is held back


def decode_columns(columns: dict[str, list], n: int, kind: str, extra: list[str], only: list[str] | None = None):
    """Columns of archived values (JSON: dates as text) as a typed frame of `n` rows:
    the kind's columns in contract order, then `extra` (or, with `only`, just those of them)."""
    import pandas as pd

    from bqw.ledgers import spec as S

    spec = get_spec(kind)
    out = {}

    def raw(name):
        values = columns.get(name)
        return pd.Series(values if values is not None else [None] * n, dtype=object)

    for col in spec.columns:
        if only is not None and col.name not in only:
            continue
        values = raw(col.name)
        if col.type in (S.DATE, S.DATERANGE):
            out[col.name] = pd.to_datetime(values, errors="coerce", format="ISO8601")
        elif col.type == S.COUNT:
            out[col.name] = pd.to_numeric(values, errors="coerce").astype("Int64")
        elif col.type == S.NUMBER:
            out[col.name] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif col.type == S.YESNO:
            out[col.name] = values.astype("boolean")
        else:
            out[col.name] = values
    for name in extra:
        if only is not None and name not in only:
            continue
        values = raw(name)
        out[name] = pd.to_numeric(values, errors="coerce").astype("Int64") if name == "调研天数" else values
    return pd.DataFrame(out)


def _notes(findings: str | None, errors_only: bool) -> str | None:
    """A record's findings (JSON text) as the lines of its 校验提示 / 问题说明 cell."""
    if findings is None:
        return None
    return "\n".join(f"{f['cell'] or ''} {f['message']}".strip() for f in json.loads(findings)
                     if not errors_only or f["severity"] == ERROR) or None


def build_ledger(archive: Archive, fam: str, periods: list, as_of: date, only: set[int] | None = None,
                 columns: list[str] | None = None) -> dict:
    """{table kind: (accepted frame, held frame)} from the current submissions of `periods`
    (or only the submissions whose ids are in `only`). `columns` limits the data columns read
    (the others are left blank) and leaves out provenance, notes and held rows: summaries need a
    few columns of a year's accepted records."""
    import pandas as pd

    subs = archive.submissions(kind=fam, status="current", periods=periods)
    if only is not None:
        subs = [s for s in subs if s.id in only]
    out = {}
    for tk in table_kinds(fam):
        spec = get_spec(tk)
        derived = [d.name for d in spec.derived if d.name in ("调研天数", "月份", STANDING_COLUMN)]
        cols = archive.columns(subs, tk, columns)
        # columns the contract does not name, kept from the sheets (docs/merge.md, “未识别的列”)
        known = {*spec.names, *(d.name for d in spec.derived), META_UNIT, META_PERIOD}
        order = {name: i for i, name in enumerate(cols["#columns"])}  # the sheets' order (sorted before it was kept)
        kept = sorted((k for k in cols if not k.startswith("#") and k not in known), key=lambda k: (order.get(k, 1e9), k))
        extra = derived + kept + [META_UNIT, META_PERIOD]
        n = len(cols["#row"])
        held_flags, findings = cols["#held"], cols["#findings"]
        data = {k: v for k, v in cols.items() if not k.startswith("#")}
        held_idx = [i for i, h in enumerate(held_flags) if h]
        if held_idx:
            keep = [i for i, h in enumerate(held_flags) if not h]
            acc_cols = {k: [v[i] for i in keep] for k, v in data.items()}
            acc_meta = {k: [cols[k][i] for i in keep] for k in ("#file", "#sheet", "#row")}
            acc_findings = [findings[i] for i in keep]
        else:
            keep, acc_cols, acc_meta, acc_findings = range(n), data, cols, findings
        acc = decode_columns(acc_cols, len(keep), tk, extra, only=columns)
        acc = derive_merged(tk, acc, as_of)
        if "序号" in acc:
            acc["序号"] = pd.array(range(1, len(acc) + 1), dtype="Int64")
        if columns is not None:  # a summary's read: no provenance, no held rows
            out[tk] = (acc, pd.DataFrame(columns=spec.names + extra))
            continue
        notes = [_notes(f, False) for f in acc_findings] if any(acc_findings) else [None] * len(acc_findings)
        meta = pd.DataFrame({NOTE_COLUMN: pd.Series(notes, dtype=object),
                             SRC_FILE: pd.Series(acc_meta["#file"], dtype=object),
                             SRC_SHEET: pd.Series(acc_meta["#sheet"], dtype=object),
                             SRC_ROW: pd.Series(acc_meta["#row"], dtype="int64")})
        acc = pd.concat([acc.reset_index(drop=True), meta], axis=1)
        held = [{k: v[i] for k, v in data.items()} for i in held_idx]
        held_meta = [{SRC_FILE: cols["#file"][i], SRC_SHEET: cols["#sheet"][i], SRC_ROW: cols["#row"][i],
                      PROBLEM_COLUMN: _notes(findings[i], True) or ""} for i in held_idx]
        hf = pd.DataFrame(held).reindex(columns=spec.names + extra) if held else pd.DataFrame(
            columns=spec.names + extra)
        hf = pd.concat([pd.DataFrame(held_meta, columns=[SRC_FILE, SRC_SHEET, SRC_ROW, PROBLEM_COLUMN]),
                        hf.reset_index(drop=True)], axis=1)
        out[tk] = (acc, hf)
    return out


def year_periods(store: Archive, kind: str, period: str) -> list[str]:
    """The months (YYYY-MM) of `period`'s year up to and including it (year-to-date); `period` is a month."""
    return [p for p in store.periods(kind) if p and p[:4] == period[:4] and p <= period]


def latest_lists(store: Archive, kind: str, upto: str | None = None) -> list[Submission]:
    """Each submitter's latest current list up to period `upto` (running lists: tasks, roster, scores)."""
    best: dict[str, Submission] = {}
    for s in store.submissions(kind=kind, status="current"):
        if upto and s.period and s.period > upto:
            continue
        key = s.submitter or s.file_name
        if key not in best or ((s.period or ""), s.seq) > ((best[key].period or ""), best[key].seq):
            best[key] = s
    return sorted(best.values(), key=lambda s: s.seq)


def ledger_of(store: Archive, kind: str, subs: list[Submission], as_of: date,
              columns: list[str] | None = None) -> dict:
    """build_ledger over exactly these submissions."""
    ids = {s.id for s in subs}
    periods = sorted({s.period for s in subs}, key=lambda p: p or "")
    return build_ledger(store, kind, periods, as_of, only=ids, columns=columns)


def open_task_units(archive: Archive) -> set[str]:
    """牵头单位 with unfinished tasks in the archive's current rectification lists (they owe an update)."""
    subs = archive.submissions(kind=RECTIFICATION_FAMILY, status="current")
    cols = archive.columns(subs, "tasks", ["完成状态", "牵头单位"])
    n = len(cols["#row"])
    return {unit for held, state, unit in zip(cols["#held"], cols.get("完成状态") or [None] * n,
                                              cols.get("牵头单位") or [None] * n)
            if not held and state != "已完成" and unit}

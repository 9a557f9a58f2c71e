"""Find the header row(s) of a sheet and map its columns to a kind's canonical columns.

The header is searched in the first rows (not only row 1). A header may take several rows: a
parent cell merged over sub-columns (调研成效 over two columns), the other cells merged down over
both rows, and under it a row of sub-labels — real wordings, or the official template's
placeholder texts (“推动xx村解决问题xx个：”) — or a row numbering the columns 1, 2, 3 …. A row
whose cells are all header labels or placeholders belongs to the header, never to the data
(docs/ledgers.md, “表头”). Labels are compared after normalise_header (spaces, line breaks,
full/half width, “(个)” suffixes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bqw.core.values import clean_text, header_note, normalise_header
from bqw.ledgers.spec import LedgerSpec

SCAN_ROWS = 30  # header must start within the first rows of a sheet
MIN_FUZZY = 3  # an alias must be this long to match inside a longer label
MAX_HEADER_ROWS = 4  # a header with its sub-label rows and a column-number row

# The template's placeholder texts: “xx村”, “2024年xx月xx日”, “目前进展情况如何。”, “××”.
PLACEHOLDER = re.compile(r"[xX×ｘＸ]{2,}|如何[。？?]?$|^[…\.。]{2,}$")


def is_placeholder(text) -> bool:
    """A template's fill-in text (xx, ××, “…如何。”), never a value a clerk reports."""
    return isinstance(text, str) and bool(PLACEHOLDER.search(text.strip()))


@dataclass
class HeaderMatch:
    kind: str
    rows: tuple[int, ...]  # 0-based grid rows of the header
    columns: dict[str, list[int]] = field(default_factory=dict)  # canonical -> 0-based columns
    labels: dict[int, str] = field(default_factory=dict)  # column -> its most specific label as written
    notes: dict[int, str] = field(default_factory=dict)  # column -> header note, e.g. "7分"
    written: dict[int, str] = field(default_factory=dict)  # every labelled column -> “parent › sub” as written
    rubric: object | None = None  # bqw.io.rubric.Block: a score sheet read down the printed 附件4

    @property
    def end(self) -> int:
        return self.rows[-1]

    def score(self, spec: LedgerSpec) -> tuple[float, int]:
        if self.rubric is not None:
            return 1.0, len(self.columns)
        if not self.identifies(spec):
            return 0.0, 0
        keys = sum(1 for k in spec.key_columns if k in self.columns)
        return keys / len(spec.key_columns), len(self.columns)

    def identifies(self, spec: LedgerSpec) -> bool:
        """Whether the header has every column the kind cannot be without (LedgerSpec.identifying)."""
        return all(k in self.columns for k in spec.identifying)

    def recognised(self, spec: LedgerSpec) -> bool:
        if not self.identifies(spec):
            return False
        keys = sum(1 for k in spec.key_columns if k in self.columns)
        need = min(2, len(spec.key_columns))
        return keys >= need and keys / len(spec.key_columns) >= 0.5


_ALIASES: dict[tuple, tuple] = {}  # (kind, alias_key) -> (exact, fuzzy)


def _readable(spec: LedgerSpec):
    """(name, wordings) of every column a header may name: the spec's columns, and derived columns a
    sheet may carry itself (a submitted 调研天数, checked against the dates)."""
    for col in spec.columns:
        yield col.name, col.all_names
    for d in spec.derived:
        if d.aliases:
            yield d.name, (d.name, *d.aliases)


def alias_index(spec: LedgerSpec) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(exact normalised alias -> canonical, [(alias, canonical)] longest first for fuzzy)."""
    key = (spec.kind, spec.alias_key)
    cached = _ALIASES.get(key)
    if cached is not None:
        return cached
    exact: dict[str, str] = {}
    for name, wordings in _readable(spec):
        for alias in wordings:
            exact.setdefault(normalise_header(alias), name)
    fuzzy = sorted(((a, c) for a, c in exact.items() if len(a) >= MIN_FUZZY), key=lambda x: -len(x[0]))
    _ALIASES[key] = (exact, fuzzy)
    return exact, fuzzy


_MATCHES: dict[tuple, tuple[str | None, bool]] = {}  # (kind, alias_key, label) -> match


def match_label(label: str, spec: LedgerSpec) -> tuple[str | None, bool]:
    """A normalised label -> (canonical, exact?); cached, since the same labels recur in every file."""
    key = (spec.kind, spec.alias_key, label)
    hit = _MATCHES.get(key)
    if hit is None:
        hit = _MATCHES[key] = _match_label(label, spec)
    return hit


def _match_label(label: str, spec: LedgerSpec) -> tuple[str | None, bool]:
    if not label:
        return None, False
    exact, fuzzy = alias_index(spec)
    if label in exact:
        return exact[label], True
    if ":" in label.rstrip(":"):
        return None, False  # “挂点领导：洪文泽” is a line about the sheet, not a header
    for alias, canonical in fuzzy:
        if alias in label and len(label) <= 2 * len(alias) + 4:
            return canonical, False
    return None, False


def _cell_label(v) -> str:
    """A header cell as text: empty for a blank, a whole number without its “.0” (a column numbered 1, 2…)."""
    if v is None or v == "":
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def _map_columns(candidates: list[list[str]], spec: LedgerSpec) -> dict[str, list[int]]:
    """Each column has candidate labels (most specific first); an exact match in any candidate
    beats a fuzzy one, and columns matched exactly win a canonical name over fuzzy ones."""
    exact_index, _ = alias_index(spec)
    found: dict[str, list[tuple[int, bool]]] = {}
    for col, labels in enumerate(candidates):
        hit = next((exact_index[x] for x in labels if x in exact_index), None)
        exact = hit is not None
        if hit is None:
            hit = next((c for c in (match_label(x, spec)[0] for x in labels) if c), None)
        if hit:
            found.setdefault(hit, []).append((col, exact))
    columns: dict[str, list[int]] = {}
    for canonical, hits in found.items():
        exact_hits = [c for c, e in hits if e]
        columns[canonical] = exact_hits or [c for c, _ in hits]
    return columns


@dataclass
class HeaderArea:
    """The top rows of a sheet, normalised once and shared by every kind's header search."""

    grid: list[list]
    raw: dict[int, list[str]] = field(default_factory=dict)  # row -> labels (merged cells spread)
    norm: dict[int, list[str]] = field(default_factory=dict)  # row -> normalised labels, placeholders blank
    singles: list[int] = field(default_factory=list)  # rows that may be (the top of) a header
    known: frozenset = frozenset()  # every normalised wording of every kind
    _candidates: dict = field(default_factory=dict)  # rows -> candidates, made once

    def labels(self, r: int) -> list[str]:
        return self.raw.get(r) or []

    def spread(self, rows: tuple[int, ...]) -> None:
        """A parent label over sub-columns whose merge was lost (a CSV export, an unmerged copy): an
        empty cell of an upper header row, right of a label, with a sub-label under it, takes that label."""
        for i, r in enumerate(rows[:-1]):
            raw, norm = self.raw[r], self.norm[r]
            for c in range(1, len(raw)):
                below = any(c < len(self.raw[b]) and self.raw[b][c] for b in rows[i + 1:])
                if not raw[c] and raw[c - 1] and below:
                    raw[c], norm[c] = raw[c - 1], norm[c - 1]
                    self._candidates.clear()

    def candidates(self, rows: tuple[int, ...]) -> list[list[str]]:
        """Per column, the labels a multi-row header gives it, most specific first: all rows
        joined, then each row from the bottom up (“调研成效具体成效”, “具体成效”, “调研成效”)."""
        if rows not in self._candidates:  # every kind's search asks for the same rows
            self._candidates[rows] = self._make_candidates(rows)
        return self._candidates[rows]

    def _make_candidates(self, rows: tuple[int, ...]) -> list[list[str]]:
        width = max(len(self.norm.get(r, ())) for r in rows)
        out = []
        for c in range(width):
            parts = list(dict.fromkeys(x for r in rows if c < len(self.norm[r]) and (x := self.norm[r][c])))
            options = ["".join(parts)] if len(parts) > 1 else []
            options += parts[::-1] or [""]
            out.append(options)
        return out

    def written(self, rows: tuple[int, ...]) -> dict[int, str]:
        """Per labelled column, its labels as written, top to bottom (“调研成效 › 推动xx村解决问题xx个：”)."""
        width = max(len(self.raw.get(r, ())) for r in rows)
        out = {}
        for c in range(width):
            parts = list(dict.fromkeys(t for r in rows if c < len(self.raw[r])
                                       and (t := " ".join((clean_text(self.raw[r][c]) or "").split()))))
            if parts:
                out[c] = " › ".join(parts)
        return out


def prepare(grid: list[list], header_fill: dict | None = None, known: frozenset | None = None) -> HeaderArea:
    """Labels of the first rows (merged cells spread by `header_fill`)."""
    header_fill = header_fill or {}
    area = HeaderArea(grid, known=known if known is not None else known_wordings())
    nrows = min(len(grid), SCAN_ROWS + MAX_HEADER_ROWS)
    stop = SCAN_ROWS
    for r in range(nrows):
        if r > stop + MAX_HEADER_ROWS:
            break  # past a clear header and the rows that may continue it: data rows follow
        row = grid[r]
        raw = [_cell_label(header_fill.get((r, c), row[c])) for c in range(len(row))]
        area.raw[r] = raw
        area.norm[r] = norm = ["" if is_placeholder(x) else normalise_header(x) for x in raw]
        if r <= min(stop, SCAN_ROWS - 1) and len({x for x in raw if x}) >= 2:
            area.singles.append(r)  # a header names at least two columns (a merged title spread over all: one)
            if stop == SCAN_ROWS and sum(1 for n in norm if n in area.known) >= 3:
                stop = r + 1  # past a clear header and the row under it (its top): data rows follow
    return area


_KNOWN: list[frozenset] = []  # the wordings of the specs as shipped, made once


def known_wordings(specs=None) -> frozenset:
    """Every normalised header wording of every kind (`specs`: the effective specs of a read, with
    the office's own wordings): a row made of them is a header row."""
    if specs is None:
        if not _KNOWN:
            from bqw.ledgers import specs as all_specs

            _KNOWN.append(known_wordings(all_specs().values()))
        return _KNOWN[0]
    return frozenset(normalise_header(a) for spec in specs for _name, wordings in _readable(spec) for a in wordings)


def find_header(grid: list[list], spec: LedgerSpec, header_fill: dict | None = None,
                area: HeaderArea | None = None) -> HeaderMatch | None:
    """The best header for `spec` in the first rows of `grid`: a single row or a row with the
    row under it (sub-labels), extended over the rows that continue it.

    `header_fill` maps (row, col) -> value of merged cells in the scan area (parent headers
    spread over the columns they cover); `area` is the prepared top rows (computed when absent).
    """
    area = area or prepare(grid, header_fill)
    need = min(2, len(spec.key_columns))

    def evaluate(rows):
        match = HeaderMatch(spec.kind, rows, _map_columns(area.candidates(rows), spec))
        return match, (match.score(spec) if match.columns else (0.0, 0))

    best, best_score = None, (0.0, 0)
    single_scores = {}
    for r in area.singles:
        hits = sum(1 for label in area.norm[r] if label and match_label(label, spec)[0])
        if hits == 0:
            continue  # no label of this kind: not its header, nor the top of a two-row one
        match, score = evaluate((r,))
        single_scores[r] = score
        if hits >= need and score > best_score:
            best, best_score = match, score
    for r, top in single_scores.items():
        # A two-row header: its top row names columns itself (not a “挂点领导：…” line), and the pair
        # beats the top row alone and does at least as well as the sub row alone, whose cells may hold
        # copies of header cells merged down over both rows.
        if r + 1 not in area.norm or top <= (0.0, 0):
            continue
        if not any(s and s != p for s, p in zip(area.norm[r + 1], area.norm[r])):
            continue
        match, score = evaluate((r, r + 1))
        if score > top and score >= single_scores.get(r + 1, (0.0, 0)) and score >= best_score:
            best, best_score = match, score
    if best is None:
        return None
    rows = _extend(area, best.rows, spec, best)
    if len(rows) > 1:
        area.spread(rows)
    if rows != best.rows or len(rows) > 1:
        longer, score = evaluate(rows)
        best = longer if score >= best_score else HeaderMatch(spec.kind, rows, best.columns)
    return _described(area, best)


def map_header(area: HeaderArea, rows: tuple[int, ...], spec: LedgerSpec) -> HeaderMatch:
    """The columns of `spec` under a header already found (`rows`): a combined sheet's header read
    against the columns of all three lists at once."""
    return _described(area, HeaderMatch(spec.kind, rows, _map_columns(area.candidates(rows), spec)))


def _described(area: HeaderArea, match: HeaderMatch) -> HeaderMatch:
    """`match` with its columns' labels as written (for extra columns, inspect and findings)."""
    rows = match.rows
    match.written = area.written(rows)
    for cols in match.columns.values():
        for c in cols:
            match.labels[c] = _specific_label(area, rows, c) or match.written.get(c, "")
            note = header_note(match.labels[c])
            if note:
                match.notes[c] = note
    return match


def _specific_label(area: HeaderArea, rows: tuple[int, ...], c: int) -> str:
    """The bottom-most real label of column c (a sub-label over its parent; placeholders skipped)."""
    for r in reversed(rows):
        raw = area.raw[r]
        if c < len(raw) and raw[c] and not is_placeholder(raw[c]):
            return raw[c]
    return ""


def _extend(area: HeaderArea, rows: tuple[int, ...], spec: LedgerSpec, match: HeaderMatch) -> tuple[int, ...]:
    """The header's rows and the rows right under it that continue it (sub-labels, placeholders,
    a column-number row), up to MAX_HEADER_ROWS rows in all."""
    header_texts = {x for r in rows for x in area.norm[r] if x}
    canonical = {c: name for name, cols in match.columns.items() for c in cols}
    top = area.raw[rows[0]]
    for c in range(1, len(top)):  # an empty top cell right of a parent belongs to it (a lost merge)
        if not top[c] and c - 1 in canonical and c not in canonical:
            canonical[c] = canonical[c - 1]
    while len(rows) < MAX_HEADER_ROWS:
        r = rows[-1] + 1
        if r >= len(area.grid) or r not in area.raw:
            break
        row = area.grid[r]
        width = sum(1 for x in area.raw[rows[0]] if x)
        if not continues_header(row, spec, area.known | header_texts, width):
            break
        # placeholders under two different columns are the template's example row (“2024年xx月xx日”,
        # “xx村”), not sub-labels, which sit under one parent (调研成效)
        if len({canonical.get(c, c) for c, v in enumerate(row) if is_placeholder(v)}) > 1:
            break
        rows = (*rows, r)
        if column_numbers(row, width):  # numbers, not labels: they name no column
            area.raw[r] = [""] * len(area.raw[r])
            area.norm[r] = [""] * len(area.norm[r])
        header_texts |= {x for x in area.norm[r] if x}
    return rows


def continues_header(row: list, spec: LedgerSpec, labels, width: int = 0) -> bool:
    """True when every filled cell of `row` is a header label, a placeholder, or the row numbers
    the header's `width` labelled columns (1, 2, 3 …): the row belongs to the header above it
    (docs/ledgers.md, “表头”)."""
    filled = [v for v in row if v is not None and v != "" and not (isinstance(v, str) and not v.strip())]
    if not filled:
        return False
    if column_numbers(row, width):
        return True
    for v in filled:
        if not isinstance(v, str):
            return False
        if is_placeholder(v):
            continue
        label = normalise_header(v)
        if label in labels or match_label(label, spec)[1]:
            continue
        return False
    return True


_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ① … ⑳


def column_numbers(row: list, width: int = 0) -> bool:
    """A row numbering the table's columns: 1, 2, 3 … (or ①②③, or “(1)”) left to right — at least
    three, or all `width` columns of a narrower table (“1, 2” under a two-column header)."""
    numbers = []
    for v in row:
        if v is None or v == "" or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, bool):
            return False
        if isinstance(v, (int, float)) and float(v).is_integer():
            numbers.append(int(v))
            continue
        if isinstance(v, str):
            t = unicodedata.normalize("NFKC", v).strip().strip("()")
            if t.isascii() and t.isdigit():
                numbers.append(int(t))
                continue
            if t in _CIRCLED:
                numbers.append(_CIRCLED[t])
                continue
        return False
    enough = len(numbers) >= 3 or (len(numbers) >= 2 and len(numbers) == width)
    return enough and numbers[0] == 1 and all(b == a + 1 for a, b in zip(numbers, numbers[1:]))

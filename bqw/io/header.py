"""Find the header row(s) of a sheet and map its columns to a kind's canonical columns.

The header is searched in the first rows (not only row 1); a two-row header whose parent
cell is merged over sub-columns (调研成效 over two columns) is joined; labels are compared
after normalise_header (spaces, line breaks, full/half width, “(个)” suffixes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bqw.io.values import normalise_header
from bqw.ledgers.spec import LedgerSpec

SCAN_ROWS = 30  # header must start within the first rows of a sheet
MIN_FUZZY = 3  # an alias must be this long to match inside a longer label


@dataclass
class HeaderMatch:
    kind: str
    rows: tuple[int, ...]  # 0-based grid rows of the header
    columns: dict[str, list[int]] = field(default_factory=dict)  # canonical -> 0-based columns
    labels: dict[int, str] = field(default_factory=dict)  # column -> header text as written
    notes: dict[int, str] = field(default_factory=dict)  # column -> header note, e.g. "7分"

    @property
    def end(self) -> int:
        return self.rows[-1]

    def score(self, spec: LedgerSpec) -> tuple[float, int]:
        keys = sum(1 for k in spec.key_columns if k in self.columns)
        return keys / len(spec.key_columns), len(self.columns)

    def recognised(self, spec: LedgerSpec) -> bool:
        keys = sum(1 for k in spec.key_columns if k in self.columns)
        need = min(2, len(spec.key_columns))
        return keys >= need and keys / len(spec.key_columns) >= 0.5


_ALIASES: dict[str, tuple] = {}  # kind -> (exact, fuzzy); kinds are unique names


def alias_index(spec: LedgerSpec) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(exact normalised alias -> canonical, [(alias, canonical)] longest first for fuzzy)."""
    cached = _ALIASES.get(spec.kind)
    if cached is not None:
        return cached
    exact: dict[str, str] = {}
    for col in spec.columns:
        for alias in col.all_names:
            exact.setdefault(normalise_header(alias), col.name)
    fuzzy = sorted(((a, c) for a, c in exact.items() if len(a) >= MIN_FUZZY), key=lambda x: -len(x[0]))
    _ALIASES[spec.kind] = (exact, fuzzy)
    return exact, fuzzy


_MATCHES: dict[tuple[str, str], tuple[str | None, bool]] = {}  # (kind, label) -> match


def match_label(label: str, spec: LedgerSpec) -> tuple[str | None, bool]:
    """A normalised label -> (canonical, exact?); cached, since the same labels recur in every file."""
    key = (spec.kind, label)
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


def _text(v) -> str:
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

    singles: dict[int, tuple] = field(default_factory=dict)  # row -> ((row,), candidates, shown)
    pairs: dict[int, tuple] = field(default_factory=dict)  # top row -> ((row, row+1), candidates, shown)


def prepare(grid: list[list], header_fill: dict | None = None) -> HeaderArea:
    """Labels of the first rows (merged cells spread by `header_fill`), and two-row candidates."""
    header_fill = header_fill or {}
    area = HeaderArea()
    nrows = min(len(grid), SCAN_ROWS)
    raws: dict[int, list[str]] = {}

    def row_labels(r):
        if r not in raws:
            row = grid[r]
            raws[r] = [_text(header_fill.get((r, c), row[c])) for c in range(len(row))]
        return raws[r]

    known = _known_aliases()
    stop = nrows
    for r in range(nrows):
        if r > stop:
            break  # past a clear header and the row under it (a possible sub-header): data rows follow
        raw = row_labels(r)
        if sum(1 for x in raw if x) < 2:
            continue  # a header names at least two columns
        norm = [normalise_header(x) for x in raw]
        if stop == nrows and sum(1 for n in norm if n in known) >= 3:
            stop = r + 1
        area.singles[r] = ((r,), [[n] for n in norm], raw)
        if r + 1 < len(grid):
            sub_raw = row_labels(r + 1)[: len(raw)] + [""] * max(0, len(raw) - len(grid[r + 1]))
            sub = [normalise_header(x) for x in sub_raw]
            if any(s and s != p for s, p in zip(sub, norm)):
                pair = [[p + s, s, p] if (s and p and s != p) else [s or p] for p, s in zip(norm, sub)]
                joined = [s or p for p, s in zip(raw, sub_raw)]
                area.pairs[r] = ((r, r + 1), pair, joined)
    return area


_KNOWN: set[str] | None = None


def _known_aliases() -> set[str]:
    """Every normalised header name of every kind: a row with several of them is a header."""
    global _KNOWN
    if _KNOWN is None:
        from bqw.ledgers import specs

        _KNOWN = {normalise_header(a) for spec in specs().values() for c in spec.columns for a in c.all_names}
    return _KNOWN


def find_header(grid: list[list], spec: LedgerSpec, header_fill: dict | None = None,
                area: HeaderArea | None = None) -> HeaderMatch | None:
    """The best single- or two-row header for `spec` in the first rows of `grid`.

    `header_fill` maps (row, col) -> value of merged cells in the scan area (parent headers
    spread over the columns they cover); `area` is the prepared top rows (computed when absent).
    """
    area = area or prepare(grid, header_fill)
    need = min(2, len(spec.key_columns))

    def evaluate(option):
        rows, candidates, shown = option
        columns = _map_columns(candidates, spec)
        match = HeaderMatch(spec.kind, rows, columns)
        match.labels = {c: shown[c] for cols in columns.values() for c in cols}
        match.notes = {c: _note(shown[c]) for c in match.labels if _note(shown[c])}
        return match, (match.score(spec) if columns else (0.0, 0))

    best, best_score = None, (0.0, 0)
    single_scores = {}
    for r, option in area.singles.items():
        hits = sum(1 for labels in option[1] if labels[0] and match_label(labels[0], spec)[0])
        if hits == 0:
            continue  # no label of this kind: not its header, nor the top of a two-row one
        match, score = evaluate(option)
        single_scores[r] = score
        if hits >= need and score > best_score:
            best, best_score = match, score
    for r, option in area.pairs.items():
        # A two-row header: its top row must name columns itself (not a “挂点领导：…” line), the pair
        # must beat the top row alone and do at least as well as the sub row alone, whose cells may
        # hold copies of header cells merged down over both rows.
        top, sub = single_scores.get(r, (0.0, 0)), single_scores.get(r + 1, (0.0, 0))
        if top <= (0.0, 0):
            continue
        match, score = evaluate(option)
        if score > top and score >= sub and score >= best_score:
            best, best_score = match, score
    return best


def _note(text: str) -> str | None:
    from bqw.io.values import header_note

    return header_note(text)

"""One read_ledger call's state: the book, what was asked, and the kinds' specs with the office's wordings.

Shared by the steps of reading a book (bqw.io.reader, .tables, .combined, .rubric_table, .titleblock).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bqw.core.table import ReadResult
from bqw.io.header import known_wordings
from bqw.io.book import Book
from bqw.ledgers import KINDS, get_spec, with_aliases
from bqw.ledgers.spec import LedgerSpec


@dataclass
class Reading:
    """One read_ledger call: the book, what was asked, and the kinds' specs with the office's wordings."""

    book: Book
    result: ReadResult
    period: str | None
    enums: dict
    aliases: dict
    specs: dict[str, LedgerSpec] = field(default_factory=dict)
    known: frozenset = frozenset()

    def __post_init__(self):
        self.specs = {k: with_aliases(get_spec(k), self.aliases.get(k)) for k in KINDS}
        self.known = known_wordings(self.specs.values()) if self.aliases else known_wordings()

    def spec(self, kind: str) -> LedgerSpec:
        return self.specs[kind]

"""Limits that keep a hostile file from exhausting time or memory (docs/limits.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

MB = 1024 * 1024


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    try:
        return int(value) if value else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Every limit can be set by an environment variable BQW_<NAME> (e.g. BQW_MAX_FILE_MB)."""

    max_file_mb: int = 100  # bytes on disk
    max_inflated_mb: int = 1024  # declared uncompressed size of an .xlsx package
    max_rows: int = 1_100_000  # rows in one sheet (Excel itself stops at 1,048,576)
    max_columns: int = 1000  # columns in one sheet (Excel allows 16,384)
    max_cells: int = 12_000_000  # rows × columns of one sheet (≈ 40 bytes a cell once read: ≈ 500 MB)
    max_merged_ranges: int = 100_000  # merged ranges in one sheet
    max_read_mb: int = 400  # peak memory a read may need, as estimated before it starts (bqw.io.book.ReadCost)

    @classmethod
    def from_env(cls) -> "Limits":
        return cls(**{f.name: _env_int(f"BQW_{f.name.upper()}", f.default) for f in fields(cls)})

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * MB

    @property
    def max_inflated_bytes(self) -> int:
        return self.max_inflated_mb * MB

    @property
    def max_read_bytes(self) -> int:
        return self.max_read_mb * MB

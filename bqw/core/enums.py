"""Choices in cells: a value from an allowed list (with synonyms), 有/无 and 是/否 marks, lists of names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from bqw.core.values import Parsed, clean_name, clean_text, is_number

_LIST_SEP = re.compile(r"[、，,;；/／\s]+")


def split_list(v) -> list[str]:
    """Items of a cell listing several villages/units, cleaned, in order, without duplicates."""
    text = clean_text(v)
    if text is None:
        return []
    items = (clean_name(part) for part in _LIST_SEP.split(unicodedata.normalize("NFKC", text)))
    return list(dict.fromkeys(item for item in items if item))


def parse_enum(v, allowed: Sequence[str], synonyms: Mapping[str, str] | None = None) -> Parsed:
    """One of `allowed` (directly or via `synonyms`); else enum-invalid with extra = the cleaned text."""
    name = clean_name(v)
    if name is None:
        return Parsed(None, None)
    if name in allowed:
        return Parsed(name, None)
    if synonyms:
        target = synonyms.get(name)
        if target is None:
            target = next((t for k, t in synonyms.items() if clean_name(k) == name), None)
        if target is not None:
            return Parsed(target, None)
    return Parsed(None, "enum-invalid", name)


_YES = frozenset({"有", "是", "✓", "✔", "√", "☑", "y", "yes", "1", "true", "存在"})
_NO = frozenset({"无", "否", "×", "✗", "✘", "n", "no", "0", "false", "没有", "不存在"})


def parse_yes_no(v) -> Parsed:
    """有/是/√/Y/1/True -> True; 无/否/×/N/0/False -> False; empty -> None; else yesno-invalid."""
    if isinstance(v, bool):
        return Parsed(v, None)
    if is_number(v):
        return Parsed(bool(v), None) if v in (0, 1) else Parsed(None, "yesno-invalid")
    name = clean_name(v)
    if name is None:
        return Parsed(None, None)
    key = name.lower().removesuffix(".0")
    if key in _YES:
        return Parsed(True, None)
    if key in _NO:
        return Parsed(False, None)
    return Parsed(None, "yesno-invalid")

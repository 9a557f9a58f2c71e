"""“您是否要输入：visits？” — how bqw suggests what a mistyped value, command or setting was meant to be:
--kind, --type, template kinds, bqw.toml keys and click's own misspelt commands and options say it alike."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from difflib import get_close_matches


def did_you_mean(value: str, choices: Iterable[str], names: Mapping[str, str] | None = None) -> str:
    """“您是否要输入：visits？” for the choice nearest `value`, or "" when none is near. `names` are other
    names of the choices (a Chinese name → its choice): the nearest being a name, its choice is said."""
    choices = list(choices)
    names = dict(names or {})
    # Two Chinese characters sharing one score 0.5 (进度 / 进展); a Latin word needs difflib's usual 0.6
    cutoff = 0.5 if any(unicodedata.east_asian_width(c) in "WF" for c in value) else 0.6
    near = get_close_matches(value.strip(), [*choices, *names], n=1, cutoff=cutoff)  # the nearest only
    return phrase(names.get(m, m) for m in near)


def phrase(meant: Iterable[str]) -> str:
    """The sentence itself for choices already found (click finds its own), "" for none."""
    meant = list(meant)
    return f"您是否要输入：{'、'.join(meant)}？" if meant else ""

"""JSON text for people and programs: indented near the top, one line per record further down.

``json.dumps(..., indent=2)`` runs the pure-Python encoder: 40 MB of a province's year summary
takes seconds. Here containers down to `depth` levels are laid out with indentation and
everything deeper is written by the C encoder on one line, so a leader, a task or a finding is
one line — still easy to read and to diff, and as fast as compact JSON.
"""

from __future__ import annotations

import json

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), default=str)
try:  # one C encoder, reused: JSONEncoder.encode builds a new one on every call
    from json.encoder import c_make_encoder, encode_basestring

    _C = c_make_encoder(None, _ENCODER.default, encode_basestring, None, ": ", ", ", False, False, True)

    def _compact(value) -> str:
        return "".join(_C(value, 0))
except (ImportError, TypeError):  # no C accelerator (or another signature): the plain encoder
    _compact = _ENCODER.encode


def with_version(record: dict) -> dict:
    """`record` with the version of bqw that made it as its first key, "bqw_version": every JSON bqw
    prints or writes carries it, so that a program reading it knows which bqw to ask about."""
    from bqw.core.version import VERSION

    return {"bqw_version": VERSION, **record}


def dumps(value, depth: int = 4, indent: int = 2) -> str:
    parts: list[str] = []
    _write(value, depth, 0, indent, parts)
    return "".join(parts)


def _write(value, depth: int, level: int, indent: int, out: list[str]) -> None:
    if level >= depth or not isinstance(value, (dict, list)) or not value:
        out.append(_compact(value))
        return
    pad = "\n" + " " * (indent * (level + 1))
    if isinstance(value, dict):
        out.append("{")
        for i, (k, v) in enumerate(value.items()):
            out.append(("," if i else "") + pad + _compact(str(k)) + ": ")
            _write(v, depth, level + 1, indent, out)
        out.append("\n" + " " * (indent * level) + "}")
    else:
        out.append("[")
        for i, v in enumerate(value):
            out.append(("," if i else "") + pad)
            _write(v, depth, level + 1, indent, out)
        out.append("\n" + " " * (indent * level) + "]")

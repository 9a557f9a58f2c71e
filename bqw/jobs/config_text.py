"""bqw.toml's text: where a key is written, errors naming the file, line and key, and the free sections —
[limits], [deadlines], [aliases] — each read and checked by its own function (bqw.jobs.config reads the
rest key by key)."""

from __future__ import annotations

import re
from pathlib import Path

from bqw.core.suggest import did_you_mean


class ConfigError(Exception):
    """A bqw.toml that cannot be used; the message names the file, key and line."""


def flat_key(key: str) -> str:
    """A TOML key path without quotes and spaces: `visits."调研地点"` and `"visits.调研地点"` are one key."""
    return re.sub(r"[\"'\s]", "", key)


def line_of(text: str, section: str, key: str) -> int | None:
    """The line where `key` (dotted: "visits.调研地点") is set inside [section], or where its table
    [section.key] starts (for messages); keys may be written dotted, quoted or under a sub-table."""
    want = flat_key(f"{section}.{key}")
    current = ""
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        m = re.match(r"^\[\s*([^\]]+?)\s*\]\s*(#.*)?$", stripped)
        if m:
            current = flat_key(m.group(1))
            if current == want:
                return n
            continue
        m = re.match(r"^([^=#\[\]]+?)\s*=", stripped)
        if m and flat_key(f"{current}.{m.group(1)}") == want:
            return n
    return None


def where_key(text: str, section: str, key: str) -> str:
    line = line_of(text, section, key)
    return f"第 {line} 行" if line else "某一行"


def config_error(path: Path, text: str, section: str, key: str, message: str) -> ConfigError:
    return ConfigError(f"{path} {where_key(text, section, key)}：{section}.{key}（{message}）")


def limits_section(path: Path, text: str, values: dict) -> dict:
    from dataclasses import fields

    from bqw.core.limits import Limits

    names = {f.name for f in fields(Limits)}
    out = {}
    for key, value in values.items():
        if key not in names:
            raise config_error(path, text, "limits", key,
                       "不是已知的上限。" + did_you_mean(key, names) + "可用：" + "、".join(sorted(names)))
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise config_error(path, text, "limits", key, f"应为正整数，现为 {value!r}")
        out[key] = value
    return out


def deadlines_section(path: Path, text: str, values: dict) -> dict:
    """[deadlines]: days_after = 2, and a kind's own (visits = 3): days after the period ends, 0 to 60."""
    from bqw.ledgers import KINDS

    names = ["days_after", *KINDS]
    out = {}
    for key, value in values.items():
        if key not in names:
            raise config_error(path, text, "deadlines", key,
                       "不是已知的台账种类。" + did_you_mean(key, names) + "可用：" + "、".join(names))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 60:
            raise config_error(path, text, "deadlines", key, f"应为期间结束后的天数（0 到 60 的整数），现为 {value!r}")
        out[key] = value
    return out


def aliases_section(path: Path, text: str, values: dict) -> dict[str, dict[str, tuple[str, ...]]]:
    """[aliases]: `kind.canonical column = ["wording", …]`, written dotted (`visits.调研地点`), quoted
    (`"visits.调研地点"`) or under [aliases.visits]. A wording that already names another column of
    the kind is refused: it would take that column's cells."""
    from bqw.core.values import normalise_header
    from bqw.ledgers import KIND_ZH, KINDS, get_spec

    kinds = "、".join(f"{k}（{KIND_ZH[k]}）" for k in KINDS)
    entries = []  # (key as written, kind, column or None, value)
    for key, value in values.items():
        if "." in key:
            kind, column = key.split(".", 1)
            entries.append((key, kind, column, value))
        elif isinstance(value, dict):
            entries += [(f"{key}.{column}", key, column, v) for column, v in value.items()]
        else:
            entries.append((key, key, None, value))
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    named: dict[str, dict[str, str]] = {}  # kind -> normalised wording -> the column it names
    for key, kind, column, value in entries:
        if kind not in KINDS:
            raise config_error(path, text, "aliases", key, f"“{kind}”不是台账种类。{did_you_mean(kind, KINDS)}可用：{kinds}")
        spec = get_spec(kind)
        columns = "、".join(spec.names)
        if column is None:
            raise config_error(path, text, "aliases", key, f"应写成 {kind}.标准列名 = [\"表头写法\"]，标准列名可用：{columns}")
        canonical = next((n for n in spec.names if normalise_header(n) == normalise_header(column)), None)
        if canonical is None:
            raise config_error(path, text, "aliases", key,
                       f"“{column}”不是{KIND_ZH[kind]}的标准列名，可用：{columns}")
        if (not isinstance(value, list) or not value
                or not all(isinstance(v, str) and normalise_header(v) for v in value)):  # not blank, nor only “*”
            if isinstance(value, dict) and value:  # visits.调研地点.x = …: name the key as written
                key = f"{key}.{next(iter(value))}"
            raise config_error(path, text, "aliases", key, "应为表头写法的列表，如 [\"所到村组\"]，每项都不能为空")
        if kind not in named:  # the spec's wordings, and those of derived columns a sheet may carry
            readable = [(c.name, c.all_names) for c in spec.columns]
            readable += [(d.name, (d.name, *d.aliases)) for d in spec.derived if getattr(d, "aliases", ())]
            named[kind] = {}
            for name, wordings in readable:
                for w in wordings:
                    named[kind].setdefault(normalise_header(w), name)
        for wording in value:
            other = named[kind].setdefault(normalise_header(wording), canonical)
            if other != canonical:
                raise config_error(path, text, "aliases", key,
                           f"“{wording.strip()}”已是{KIND_ZH[kind]}“{other}”列的写法，不能再作为“{canonical}”列的写法")
        words = out.setdefault(kind, {}).get(canonical, ())
        out[kind][canonical] = words + tuple(w.strip() for w in value if w.strip() not in words)
    return out

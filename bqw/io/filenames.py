"""What a submission's file name tells: a correction (更正, 终稿…), a copy ((1), 副本), and the
sender's name once the template's words are taken off. Used only when the sheets say nothing
better (bqw.jobs.merge), and to put files in a fixed arrival order.
"""

from __future__ import annotations

import re
from pathlib import Path

CORRECTION = re.compile(r"更正|修改|修订|重报|补报|最终|终稿|新版")
NAME_NOISE = re.compile(r"^附件\s*\d*\s*[:：]?|[（(](?:更正|修改|修订|重报|补报|最终版?|终稿|新版?|\d+)[)）]|副本|\s+")
COPY_MARK = re.compile(r"[（(]\d+[)）]|副本|copy", re.I)


def is_correction(name: str) -> bool:
    """A name that marks a corrected submission (更正, 修订, 终稿…)."""
    return bool(CORRECTION.search(name))


def sender_stem(path: Path) -> str:
    """The file's stem without “附件3：”, “（更正）”, “(1)”, “副本” and spaces: who sent it, at worst."""
    return NAME_NOISE.sub("", path.stem) or path.stem


def arrival_key(path) -> tuple:
    """The order files are taken in: originals before their copies, corrections last, then by name
    and path. It depends on the names alone — never on modification times, which a copy or a
    checkout sets at random — so the same files always give the same archive (which of two equal
    files is the duplicate, the rows' order in the merged ledger)."""
    path = Path(path)
    return (is_correction(path.stem), bool(COPY_MARK.search(path.stem)), path.name, str(path))

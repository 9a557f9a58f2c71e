"""The kept demo outputs (tests/golden/demo) are made by the Makefile's demo commands: the steps of
tests/golden/demo_outputs.py must be the bqw commands of `make demo`, in order, with the same arguments."""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.golden.demo_outputs import STEPS_AFTER_WORKSPACE, STEPS_BEFORE_WORKSPACE, WORKSPACE

ROOT = Path(__file__).resolve().parents[2]


def makefile_commands() -> list[tuple[tuple[str, ...], str]]:
    """(bqw's arguments, the folder it runs in) of each bqw command of the demo target."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    body = text.split("\ndemo: install\n", 1)[1].split("\n\n", 1)[0]
    out = []
    for line in body.splitlines():
        command = line.strip().split(";", 1)[0]
        cwd = "."
        if command.startswith("cd ") and "&&" in command:
            where, command = command[3:].split("&&", 1)
            cwd = where.strip()
        words = shlex.split(command)
        if words and words[0].endswith("/bqw"):
            out.append((tuple(words[1:]), cwd))
    return out


def test_the_kept_steps_are_the_makefiles_demo():
    steps = [(s.args, s.cwd) for s in (*STEPS_BEFORE_WORKSPACE, *STEPS_AFTER_WORKSPACE)]
    assert WORKSPACE == "out/演示工作区"
    assert steps == makefile_commands()

"""Help and usage errors in Chinese (bqw.cli.zh), through the installed console script: click's and typer's
own words translated, lines wrapped between Chinese characters and at spaces — never inside a Latin word —
suggestions for misspelt commands and values, the global options listed, and shell completion."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer.main
from conftest import VISITS_HEADER, run_bqw, visit_row

from bqw.cli import zh
from bqw.cli.app import app

GROUP = typer.main.get_command(app)
COMMANDS = list(GROUP.commands)
BQW = Path(sys.executable).parent / "bqw"
# click's and typer's English as a user would meet it, had it not been translated
ENGLISH = ("Show this message", "[required]", "[default:", "Usage:", "Options:", "Arguments:", "Commands:",
           "Positional arguments", "Try '", "Error:", "Missing", "No such", "Did you mean", "INTEGER", "TEXT",
           "Install completion", "env var")
LATIN = re.compile(r"[A-Za-z0-9_]+")


def _unwrapped(name: str | None) -> str:
    """The help as it reads on one endless line per paragraph: the words a wrapped help must keep whole."""
    cmd = GROUP if name is None else GROUP.commands[name]
    parent = click.Context(GROUP, info_name="bqw", terminal_width=100_000, **GROUP.context_settings)
    ctx = parent if name is None else click.Context(cmd, info_name=name, parent=parent, terminal_width=100_000,
                                                    **cmd.context_settings)
    return cmd.get_help(ctx)


def _words(text: str) -> set[str]:
    return set(LATIN.findall(text))


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_help_is_chinese_and_breaks_no_latin_word(name):
    args = ["--help"] if name is None else [name, "--help"]
    out = run_bqw(*args, check_code=0).stdout
    assert [e for e in ENGLISH if e in out] == []
    assert out.startswith(f"用法：bqw {name or ''}".rstrip() + " [选项]") and "选项：\n" in out
    assert "-h, --help" in out and "显示本帮助并退出。" in out
    # a Latin word cut at a line end (“rost/er”) leaves two words the unwrapped help does not have
    assert sorted(_words(out) - _words(_unwrapped(name))) == []
    assert max(zh.columns(line) for line in out.splitlines()) <= zh.NOT_A_TTY_WIDTH  # not on a terminal: 100


def test_the_kind_help_that_broke_roster_keeps_every_word_at_any_width():
    help_text = GROUP.commands["validate"].params[1].help
    assert "roster" in help_text and "responsibilities" in help_text
    for width in range(24, 101, 4):
        lines = zh.wrap(help_text, width, preserve_paragraphs=True).splitlines()
        assert all(zh.columns(line) <= width for line in lines), width
        assert _words("\n".join(lines)) == _words(help_text), width
        assert "".join(lines).replace(" ", "") == help_text.replace(" ", ""), width  # nothing lost or added
        assert not any(line.startswith(("，", "、", "；", "）", "。")) for line in lines), width  # no line opens with these


def test_on_a_terminal_the_help_takes_its_width():
    """Run under a pseudo-terminal 60 columns wide (COLUMNS is what the terminal reports)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(BQW), "validate", "--help"], stdout=slave, stderr=subprocess.PIPE,
                            env={**os.environ, "COLUMNS": "60"})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    lines = b"".join(chunks).decode("utf-8").replace("\r\n", "\n").splitlines()
    assert max(zh.columns(line) for line in lines) <= 58  # click's margin of two
    assert max(zh.columns(line) for line in lines) >= 50  # and not the 100 of a pipe
    assert sorted(_words("\n".join(lines)) - _words(_unwrapped("validate"))) == []


def test_every_positional_argument_is_described():
    for name, cmd in GROUP.commands.items():
        for param in cmd.params:
            if isinstance(param, click.Argument):
                assert param.help, (name, param.name)
        if any(isinstance(p, click.Argument) for p in cmd.params):
            section = run_bqw(name, "--help", check_code=0).stdout.split("参数：\n", 1)[1].split("\n\n")[0]
            assert all(len(line.split()) > 1 for line in section.splitlines() if not line.startswith(" " * 4)), name
            assert run_bqw(name, "--help").stdout.count("参数：\n") == 1  # typer's section only, not click's too


def test_root_help_lists_the_global_options_as_options():
    out = run_bqw("--help", check_code=0).stdout
    options = out.split("选项：\n", 1)[1].split("\n\n")[0]
    for flag in ("-w, --workspace DIR", "-v, --verbose", "--version", "--install-completion", "--show-completion"):
        assert re.search(rf"^  {re.escape(flag)}\s", options, re.M), flag
    assert "全局选项 -w/--workspace" in run_bqw("merge", "--help").stdout  # every command points there


def test_global_options_still_work_before_or_after_the_command(tmp_path):
    from bqw.core.version import VERSION

    assert run_bqw("--version", check_code=0).stdout == f"bqw {VERSION}\n"
    assert run_bqw("-w", tmp_path, "--version", check_code=0).stdout == f"bqw {VERSION}\n"  # reaches click
    proc = run_bqw("history", "-w", tmp_path / "无此文件夹", cwd=tmp_path, check_code=2)
    assert "找不到工作区配置" in proc.stderr and "无此文件夹" in proc.stderr


def test_a_missing_option_is_said_in_chinese(tmp_path):
    proc = run_bqw("template", "visits", cwd=tmp_path, check_code=2)
    assert proc.stderr.splitlines() == ["用法：bqw template [选项] KIND", "查看帮助：bqw template --help", "",
                                        "用法错误：缺少必填的选项 '--output' / '-o'."]
    proc = run_bqw("template", cwd=tmp_path, check_code=2)
    assert "用法错误：缺少参数 'KIND'." in proc.stderr
    proc = run_bqw("tongbao", "--doc-no", "x", cwd=tmp_path, check_code=2)
    assert "用法错误：'--doc-no' 的值无效：“x”不是有效的整数。" in proc.stderr
    proc = run_bqw("validate", "--format", "xml", "a.xlsx", cwd=tmp_path, check_code=2)
    assert "“xml”不是可选的值，可选：'table', 'json'。" in proc.stderr
    proc = run_bqw("init", "a", "b", cwd=tmp_path, check_code=2)
    assert "用法错误：多余的参数：b" in proc.stderr
    proc = run_bqw("validate", "--kind", cwd=tmp_path, check_code=2)
    assert "选项 --kind 后面缺少要填的值。" in proc.stderr
    assert not list(tmp_path.iterdir())


def test_a_misspelt_command_or_option_gets_one_suggestion(tmp_path):
    proc = run_bqw("valdate", cwd=tmp_path, check_code=2)
    assert [line for line in proc.stderr.splitlines() if "您是否要" in line] == [
        "用法错误：没有“valdate”这个命令。 您是否要输入：validate？"]
    proc = run_bqw("validate", "--kindd", "visits", "a.xlsx", cwd=tmp_path, check_code=2)
    assert "没有 --kindd 这个选项。 您是否要输入：--kind？" in proc.stderr


@pytest.mark.parametrize("args,said", [
    (["validate", "a.xlsx", "--kind", "visit"], "--kind 的值“visit”不是已知的台账类型。您是否要输入：visits？可选："),
    (["merge", "a.xlsx", "-o", "m.xlsx", "--kind", "挂点调研"], "您是否要输入：visits？"),
    (["tongbao", "--type", "进度"], "--type 的值“进度”不是已知的通报类型。您是否要输入：进展？可选：进展、问题、议定"),
    (["template", "visit", "-o", "t.xlsx"], "KIND 的值“visit”不是已知的台账类型。您是否要输入：visits？"),
    (["template", "rosters", "-o", "t.xlsx"], "您是否要输入：roster？"),
])
def test_a_misspelt_value_gets_a_suggestion(tmp_path, args, said):
    proc = run_bqw(*args, cwd=tmp_path, check_code=2)
    assert said in proc.stderr and proc.stderr.startswith("用法错误：")
    assert not list(tmp_path.iterdir())  # refused before anything is written


def test_a_kind_may_be_given_by_its_chinese_name(tmp_path, xlsx):
    path = xlsx([VISITS_HEADER, visit_row()])
    by_name = run_bqw("validate", path, "--kind", "挂点调研台账", "--format", "json", cwd=tmp_path, check_code=0)
    by_code = run_bqw("validate", path, "--kind", "visits", "--format", "json", cwd=tmp_path, check_code=0)
    assert by_name.stdout == by_code.stdout and '"kind": "visits"' in by_name.stdout
    run_bqw("template", "镇领导挂点联系村安排表", "-o", tmp_path / "t.xlsx", cwd=tmp_path, check_code=0)
    import openpyxl

    assert "挂点联系村安排表" in openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]["A1"].value


def test_a_misspelt_bqw_toml_key_is_said_and_the_rest_used(tmp_path):
    run_bqw("init", tmp_path, "--town", "平安镇", "--year", "2026", check_code=0)
    toml = tmp_path / "bqw.toml"
    text = toml.read_text(encoding="utf-8").replace("[tongbao]\n", '[tongbao]\ntemplat = "底版.docx"\n')
    toml.write_text(text, encoding="utf-8")
    line = text.splitlines().index('templat = "底版.docx"') + 1
    proc = run_bqw("template", "visits", "-o", tmp_path / "out" / "t.xlsx", cwd=tmp_path, check_code=0)
    assert proc.stderr == (f"提示：{toml} 第 {line} 行：[tongbao] 中的“templat”不是已知的设置项，已忽略。"
                           "您是否要输入：template？\n")
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "out" / "t.xlsx").worksheets[0]
    assert any("平安镇" in str(c.value) for row in sheet.iter_rows(max_row=3) for c in row if c.value)  # [unit] used
    run_bqw("run", "--as-of", "2026-10-31", cwd=tmp_path, check_code=0)  # cron reads the log: said there too
    assert (tmp_path / "bqw.log").read_text(encoding="utf-8").rstrip("\n").endswith(
        "；" + proc.stderr.rstrip("\n"))
    toml.write_text(text.replace("town = ", "tonw = "), encoding="utf-8")
    proc = run_bqw("template", "visits", "-o", tmp_path / "out" / "u.xlsx", cwd=tmp_path, check_code=2)
    assert "unit.tonw（不是已知的设置项。您是否要输入：town？）" in proc.stderr


def _complete(*words: str, cword: int | None = None, **env) -> list[str]:
    """What bqw answers typer's bash script (_BQW_COMPLETE=complete_bash, COMP_WORDS, COMP_CWORD)."""
    env = {**os.environ, "_BQW_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(words),
           "COMP_CWORD": str(len(words) - 1 if cword is None else cword), **env}
    proc = subprocess.run([str(BQW)], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_shell_completion_answers_through_bqws_own_argv_handling(tmp_path):
    assert _complete("bqw", "") == COMMANDS
    assert _complete("bqw", "va") == ["validate"]
    assert _complete("bqw", "-w", str(tmp_path), "te") == ["template"]  # the global options are understood
    assert _complete("bqw", "-v", "validate", "--ki") == ["--kind"]
    assert "--format" in _complete("bqw", "tongbao", "--f")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_bqw_installs_completes_commands(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run([str(BQW), "--install-completion", "bash"], capture_output=True, text=True, env=env,
                          timeout=60)
    script = tmp_path / ".bash_completions" / "bqw.sh"
    assert proc.returncode == 0 and proc.stdout == f"已为 bash 安装命令补全：{script}。重新打开终端后生效。\n"
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
    assert script.read_text().strip() == run_bqw("--show-completion", "bash", check_code=0).stdout.strip()
    bash = (f"source '{script}'; COMP_WORDS=(bqw me); COMP_CWORD=1; _bqw_completion bqw; "
            'printf "%s\\n" "${COMPREPLY[@]}"')
    done = subprocess.run(["bash", "--norc", "-c", bash], capture_output=True, text=True, timeout=60,
                          env={**env, "PATH": f"{BQW.parent}{os.pathsep}{os.environ['PATH']}"})
    assert done.stdout.splitlines() == ["merge"], done.stderr


def test_an_unknown_shell_is_refused_in_chinese():
    proc = run_bqw("--show-completion", "tcsh", check_code=2)
    assert proc.stdout == "" and "无法为“tcsh”提供命令补全，可用：bash、zsh、fish、powershell、pwsh" in proc.stderr

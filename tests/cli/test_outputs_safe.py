"""Outputs never overwrite inputs; messages name the user's paths; file names bqw makes are safe.

Issue 14, defects 1, 10 and 11 (docs/cli.md “输出文件”, docs/limits.md “写出时的处理”): no command
writes over a file it was given, nor into a folder it reads; an annotated copy takes a free name
instead; an existing target is replaced only when bqw may write it; an error while writing names
the target, never bqw's temporary file; a file name in bqw.log stays on its line; a name made from
a submission's name is at most 150 bytes.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES, VISITS_HEADER, run_bqw, sha256, visit_row, write_xlsx

from bqw.cli.exit import ExitCode

MONTH = SAMPLES / "2026-10"
LIMING = MONTH / "附件3：平安镇领导挂点调研台账（10月）-李明.xlsx"
LIUXY = MONTH / "附件3：平安镇领导挂点调研台账（10月）-刘晓燕.xlsx"
BQW = Path(sys.executable).parent / "bqw"


def fingerprint(folder: Path) -> dict:
    """Every entry under `folder` (links as links): its kind and content."""
    found = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_symlink():
            found[rel] = ("link", os.readlink(p))
        elif p.is_dir():
            found[rel] = ("folder",)
        else:
            found[rel] = ("file", sha256(p), p.stat().st_mode)
    return found


def folder_with(tmp_path: Path, *sources: Path, name: str = "收件") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for s in sources:
        shutil.copy(s, folder)
    return folder


def merged_rows(path: Path) -> list[tuple]:
    """The data rows of a merged visits ledger (row 1 its title, row 2 its header)."""
    ws = openpyxl.load_workbook(path, read_only=True)["挂点调研台账"]
    assert ws["A2"].value == "序号"
    return [r for r in ws.iter_rows(min_row=3, values_only=True) if any(v is not None for v in r)]


# --- defect 1: no command writes over an input ------------------------------------------------------

@pytest.mark.parametrize("spelling", ["same", "dotdot", "link"])
def test_merge_never_writes_over_the_file_it_merges(tmp_path, spelling):
    folder = folder_with(tmp_path, LIMING)
    source = folder / LIMING.name
    target = {"same": source, "dotdot": folder / ".." / folder.name / LIMING.name,
              "link": tmp_path / "快捷方式.xlsx"}[spelling]
    if spelling == "link":
        target.symlink_to(source)
    before = fingerprint(tmp_path)
    proc = run_bqw("merge", source, "-o", target, "--no-archive", cwd=tmp_path, check_code=ExitCode.USAGE)
    assert f"-o 指定的输出 {target} 就是输入文件 {source}" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert fingerprint(tmp_path) == before


def test_merge_never_writes_into_a_folder_it_reads(tmp_path):
    """A merged ledger left in the folder would be read back as a submission by the next merge."""
    folder = folder_with(tmp_path, LIMING, LIUXY)
    (tmp_path / "别名").symlink_to(folder)
    before = fingerprint(tmp_path)
    for target in (folder / "汇总.xlsx", folder / "新建" / "汇总.xlsx", tmp_path / "别名" / "汇总.xlsx"):
        proc = run_bqw("merge", folder, "-o", target, "--no-archive", cwd=tmp_path, check_code=ExitCode.USAGE)
        assert f"-o 指定的输出 {target} 位于输入文件夹 {folder} 中" in proc.stderr, proc.stderr
    assert fingerprint(tmp_path) == before
    out = tmp_path / "汇总.xlsx"  # beside the folder: written
    run_bqw("merge", folder, "-o", out, "--no-archive", cwd=tmp_path, check_code=0)
    assert len(merged_rows(out)) == 8  # 李明's 4 and 刘晓燕's 4, once


@pytest.mark.parametrize("fmt", ["xlsx", "md"])
def test_summarise_never_writes_over_its_input(tmp_path, fmt):
    folder = folder_with(tmp_path, LIMING, LIUXY)
    target = folder / LIUXY.name
    before = fingerprint(tmp_path)
    proc = run_bqw("summarise", folder / LIMING.name, target, "--as-of", "2026-10-31", "--format", fmt, "-o", target,
                   cwd=tmp_path, check_code=ExitCode.USAGE)
    assert f"-o 指定的输出 {target} 就是输入文件 {target}" in proc.stderr, proc.stderr
    assert fingerprint(tmp_path) == before


def workspace(root: Path) -> Path:
    run_bqw("init", root, "--town", "平安镇", "--year", "2026", check_code=0)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), root / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copy(LIMING, root / "inbox")
    return root


def test_template_never_writes_over_the_workspaces_inputs(tmp_path):
    root = workspace(tmp_path / "w")
    before = fingerprint(root)
    inbox = f"位于工作区的收件箱 {root / 'inbox'} 中"
    refused = {root / "inbox" / LIMING.name: inbox,  # a submission waiting for bqw run
               root / "inbox" / "模板.xlsx": inbox,  # bqw run would take it for one
               root / "名单" / "镇领导挂点联系村安排表.xlsx":
                   f"就是工作区的挂点安排表 {root / '名单' / '镇领导挂点联系村安排表.xlsx'}"}
    for target, said in refused.items():
        proc = run_bqw("template", "visits", "-o", target, cwd=root, check_code=ExitCode.USAGE)
        assert f"-o 指定的输出 {target} {said}" in proc.stderr, proc.stderr
    assert fingerprint(root) == before
    run_bqw("template", "visits", "-o", root / "模板.xlsx", cwd=root, check_code=0)
    assert openpyxl.load_workbook(root / "模板.xlsx").sheetnames


def test_documents_never_go_over_the_archive_or_into_the_inbox(tmp_path):
    root = workspace(tmp_path / "w")
    run_bqw("run", "--as-of", "2026-10-31", cwd=root, check_code=ExitCode.DATA)  # 未报送: exit 1
    before = fingerprint(root)
    inbox, db = root / "inbox", root / "bqw.db"
    refused = [(["tongbao", "-o", inbox], f"-o 指定的输出 {inbox} 就是工作区的收件箱 {inbox}"),
               (["tongbao", "-o", inbox / "通报.docx"], f"-o 指定的输出 {inbox / '通报.docx'} 位于工作区的收件箱 {inbox} 中"),
               (["jianbao", "-o", inbox / "简报"], f"-o 指定的输出 {inbox / '简报'} 位于工作区的收件箱 {inbox} 中"),
               (["jianbao", "-o", db], f"-o 指定的输出 {db} 就是工作区的归档 {db}")]
    for args, said in refused:
        proc = run_bqw(*args, "--as-of", "2026-10-31", cwd=root, check_code=ExitCode.USAGE)
        assert said in proc.stderr, proc.stderr
    assert fingerprint(root) == before


def test_annotated_copy_in_the_folder_it_reads_takes_a_free_name(tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    write_xlsx(folder / "A.xlsx", [VISITS_HEADER, visit_row(when="10月35日")])
    write_xlsx(folder / "A（校验意见）.xlsx", [VISITS_HEADER, visit_row(village="")])  # an input by that name
    kept = sha256(folder / "A（校验意见）.xlsx")
    proc = run_bqw("validate", folder, "--annotate", folder, cwd=tmp_path, check_code=ExitCode.DATA)
    assert "Traceback" not in proc.stderr
    assert sha256(folder / "A（校验意见）.xlsx") == kept
    assert sorted(p.name for p in folder.iterdir()) == [
        "A.xlsx", "A（校验意见）.xlsx", "A（校验意见）（2）.xlsx", "A（校验意见）（校验意见）.xlsx"]
    ws = openpyxl.load_workbook(folder / "A（校验意见）（2）.xlsx")["Sheet1"]  # A's copy
    assert ws["C2"].value == "10月35日" and ws["C2"].fill.start_color.rgb == "00FFC7CE"
    ws = openpyxl.load_workbook(folder / "A（校验意见）（校验意见）.xlsx")["Sheet1"]  # the other input's copy
    assert ws["D2"].fill.start_color.rgb == "00FFC7CE" and ws["C2"].fill.start_color.rgb != "00FFC7CE"


def test_a_read_only_target_is_refused_and_a_writable_one_replaced(tmp_path):
    """Read-only is the file's own mark (no write permission bits), so it holds for root too."""
    out = tmp_path / "合并.xlsx"
    out.write_bytes(b"old")
    out.chmod(0o444)
    proc = run_bqw("merge", LIMING, "-o", out, "--no-archive", cwd=tmp_path, check_code=ExitCode.USAGE)
    assert f"-o 指定的输出 {out} 是只读文件" in proc.stderr, proc.stderr
    assert out.read_bytes() == b"old" and list(tmp_path.iterdir()) == [out]
    out.chmod(0o644)
    run_bqw("merge", LIMING, "-o", out, "--no-archive", cwd=tmp_path, check_code=0)
    assert len(merged_rows(out)) == 4 and out.stat().st_mode & 0o777 == 0o644


# --- defect 10: messages name the user's paths ------------------------------------------------------

def test_output_that_is_a_folder_is_named(tmp_path):
    target = tmp_path / "统计"
    target.mkdir()
    proc = run_bqw("summarise", LIMING, "--as-of", "2026-10-31", "--format", "md", "-o", target, cwd=tmp_path,
                   check_code=ExitCode.USAGE)
    assert f"-o 指定的输出 {target} 是一个文件夹" in proc.stderr and ".bqw-" not in proc.stderr
    assert list(tmp_path.iterdir()) == [target] and not any(target.iterdir())


def test_atomic_write_error_names_the_target(tmp_path):
    from bqw.core.atomic import write_text
    from bqw.cli.exit import os_message

    target = tmp_path / "统计.md"
    target.mkdir()  # the rename onto it fails
    with pytest.raises(OSError) as raised:
        write_text(target, "内容")
    assert raised.value.filename == str(target)
    assert str(target) in os_message(raised.value) and ".bqw-" not in os_message(raised.value)
    assert list(tmp_path.iterdir()) == [target]


def _small_files():
    """Writes beyond 4 KB fail (EFBIG), as on a full disk, in the child only (the ledger is 9 KB)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_write_failing_midway_names_the_target(tmp_path):
    out = tmp_path / "合并.xlsx"
    proc = subprocess.run([str(BQW), "merge", str(LIMING), "-o", str(out), "--no-archive"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120, preexec_fn=_small_files)
    assert proc.returncode == ExitCode.USAGE, (proc.stdout, proc.stderr)
    assert str(out) in proc.stderr and ".bqw-" not in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # neither the target nor a temporary file


# --- defect 11: file names in the log and in names bqw makes ----------------------------------------

LONG_STEM = "附件3：平安镇领导挂点调研台账（10月）" + "关于人居环境整治和产业发展情况的补充说明" * 3  # 219 bytes


def test_annotated_copy_names_are_at_most_150_bytes(tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    write_xlsx(folder / f"{LONG_STEM}.xlsx", [VISITS_HEADER, visit_row(when="10月35日")])
    (folder / f"{LONG_STEM}.csv").write_text(
        "\n".join(",".join(map(str, r)) for r in [VISITS_HEADER, visit_row(when="10月35日")]), encoding="utf-8")
    assert len(f"{LONG_STEM}.xlsx".encode()) > 150
    run_bqw("validate", folder, "--annotate", tmp_path / "退回", cwd=tmp_path, check_code=ExitCode.DATA)
    names = sorted(p.name for p in (tmp_path / "退回").iterdir())
    assert len(names) == 2
    assert names[0].endswith("（校验意见）.xlsx") and names[1].endswith("（校验意见）（2）.xlsx")
    for name in names:
        assert 140 < len(name.encode("utf-8")) <= 150, name
        assert LONG_STEM.startswith(name.split("（校验意见）")[0])  # the stem cut, whole characters
        assert openpyxl.load_workbook(tmp_path / "退回" / name).sheetnames[0] == "校验结果"


def test_file_names_stay_on_one_log_line_and_returned_names_are_short(tmp_path):
    root = workspace(tmp_path / "w")
    write_xlsx(root / "inbox" / "台账\n第二行.xlsx", [VISITS_HEADER, visit_row(when="10月35日")])
    (root / "inbox" / f"{LONG_STEM}.xlsx").write_text("这不是表格", encoding="utf-8")  # unreadable: a note
    run_bqw("run", "--as-of", "2026-10-31", cwd=root, check_code=ExitCode.DATA)
    lines = (root / "bqw.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and re.match(r"\d{4}-\d\d-\d\dT", lines[0]), lines
    assert "台账\\n第二行.xlsx" in lines[0]
    returned = sorted(p.name for p in (root / "out" / "退回").iterdir())
    assert len(returned) == 2 and "台账_第二行（校验意见）.xlsx" in returned
    assert all(len(n.encode("utf-8")) <= 150 for n in returned), returned
    (note,) = [n for n in returned if n.endswith("（无法读取）.xlsx")]
    assert LONG_STEM.startswith(note.removesuffix("（无法读取）.xlsx"))

"""Every command takes -q/--quiet and -f/--format json (issue 16): JSON on stdout that parses, carries
"bqw_version" and names files that exist and hold what it says; -q keeps the conclusion and drops the rest,
with the same exit code. One workspace is built with bqw init and filled by bqw run (module fixture)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from bqw.cli.exit import ExitCode
from bqw.core.version import VERSION
from bqw.documents.common import packaged_template
from conftest import SAMPLES, run_bqw

AS_OF = "2026-10-31"
LIMING = SAMPLES / "2026-10" / "附件3：平安镇领导挂点调研台账（10月）-李明.xlsx"
BAD = SAMPLES / "errors" / "附件3：平安镇领导挂点调研台账（10月）-黄丽娟（错误示例）.xlsx"
TABLE_BORDER = re.compile("[┃│┏┡└]")


def as_json(proc, code=ExitCode.OK) -> dict:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["bqw_version"] == VERSION and next(iter(doc)) == "bqw_version"  # the first key
    return doc


def quiet_lines(*args, code=ExitCode.OK, cwd=None) -> tuple[list[str], list[str]]:
    """The command's stdout lines with -q and without, each run asserted to end with `code`."""
    full = run_bqw(*args, cwd=cwd, check_code=code)
    quiet = run_bqw(*args, "-q", cwd=cwd, check_code=code)
    assert "Traceback" not in quiet.stderr
    return quiet.stdout.splitlines(), full.stdout.splitlines()


@dataclass
class Filled:
    root: Path
    run: subprocess.CompletedProcess  # bqw run --format json, the first run


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Filled:
    """bqw init, the assignments and roster in 名单/, the October samples and the rectification lists in
    inbox/, then bqw run --format json (its output is kept for test_run_json_and_the_summary_files_it_writes)."""
    root = tmp_path_factory.mktemp("quiet") / "平安镇"
    run_bqw("init", root, "--town", "平安镇", "--year", "2026", check_code=ExitCode.OK)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), root / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copy(next((SAMPLES / "roster").glob("*.xlsx")), root / "名单" / "指挥部成员名单.xlsx")
    shutil.copytree(SAMPLES / "2026-10", root / "inbox" / "2026-10")
    shutil.copytree(SAMPLES / "rectification", root / "inbox" / "整改")
    return Filled(root, run_bqw("run", "--as-of", AS_OF, "--format", "json", cwd=root))


@pytest.fixture
def ws(filled) -> Path:
    return filled.root


# --- JSON ------------------------------------------------------------------------------------------

def test_init_json_names_the_files_and_folders_it_made(tmp_path):
    ws = tmp_path / "ws"
    doc = as_json(run_bqw("init", ws, "--town", "平安镇", "--year", "2026", "-f", "json"))
    config, *bases = doc["files"]
    assert config == {"path": str(ws / "bqw.toml"), "kind": "工作区配置文件"}
    settings = tomllib.loads((ws / "bqw.toml").read_text(encoding="utf-8"))
    assert settings["unit"]["town"] == "平安镇" and settings["unit"]["year"] == 2026
    assert bases == [{"path": str(ws / "templates" / "tongbao.docx"), "kind": "通报底版"},
                     {"path": str(ws / "templates" / "jianbao.docx"), "kind": "简报底版"}]
    for base in bases:  # copies of the bases bqw carries
        assert Path(base["path"]).read_bytes() == packaged_template(Path(base["path"]).name).read_bytes()
    assert doc["folders"] == [str(ws / f) for f in ("inbox", "out", "名单")] and all(
        (ws / f).is_dir() for f in ("inbox", "out", "名单"))
    # again with --force: bqw.toml is rewritten, the bases (the office may have restyled them) are kept
    doc = as_json(run_bqw("init", ws, "--force", "-f", "json"))
    assert doc["files"] == [config]


def test_template_json_names_the_workbook_and_its_title(tmp_path):
    out = tmp_path / "模板.xlsx"
    doc = as_json(run_bqw("template", "visits", "-o", out, "--year", "2026", "--unit", "平安镇", "-f", "json",
                          cwd=tmp_path))
    (made,) = doc["files"]
    assert made["path"] == str(out) and made["kind"] == "填报模板" and made["ledger_kind"] == "visits"
    sheet = openpyxl.load_workbook(made["path"]).worksheets[0]
    assert sheet["A1"].value == made["title"] == "2026年度平安镇领导开展“百千万工程”工作挂点调研台账"


def test_validate_json(tmp_path):
    doc = as_json(run_bqw("validate", LIMING, BAD, "-f", "json", cwd=tmp_path), code=ExitCode.DATA)
    assert [f["path"] for f in doc["files"]] == [str(LIMING), str(BAD)]
    assert [f["valid"] for f in doc["files"]] == [True, False]


def test_merge_json_names_the_workbook_written(tmp_path):
    out = tmp_path / "合并.xlsx"
    doc = as_json(run_bqw("merge", LIMING, "-o", out, "--no-archive", "--as-of", AS_OF, "-f", "json", cwd=tmp_path))
    assert doc["outputs"] == [str(out)] and doc["merged_rows"] == 4
    assert "合并说明" in openpyxl.load_workbook(out).sheetnames


def test_run_json_and_the_summary_files_it_writes(filled):
    ws = filled.root
    doc = as_json(filled.run, code=ExitCode.DATA)
    assert doc["exit_code"] == 1 and doc["log"] == str(ws / "bqw.log")
    assert doc["outputs"] and all((ws / "out").resolve() in (ws / p).resolve().parents for p in doc["outputs"])
    summaries = [p for p in doc["outputs"] if p.endswith("统计.json")]
    assert len(summaries) == 3  # visits, tasks and the reporting statistics (台账报送情况, issue 17)
    for path in summaries:
        written = json.loads((ws / path).read_text(encoding="utf-8"))
        assert next(iter(written)) == "bqw_version" and written["bqw_version"] == VERSION
        assert written["as_of"] == AS_OF


def test_history_json(ws):
    doc = as_json(run_bqw("history", "--kind", "visits", "-f", "json", cwd=ws))
    assert {s["submitter"] for s in doc["submissions"]} >= {"李明", "洪文泽", "陈志强"}


def test_inspect_json(tmp_path):
    doc = as_json(run_bqw("inspect", LIMING, "-f", "json", cwd=tmp_path))
    assert [f["path"] for f in doc["files"]] == [str(LIMING)] and doc["files"][0]["kind"] == "visits"


def test_summarise_json_to_stdout_and_to_a_file(ws, tmp_path):
    doc = as_json(run_bqw("summarise", "--period", "2026-10", "--as-of", AS_OF, "-f", "json", cwd=ws))
    assert [s["kind"] for s in doc["summaries"]] == ["visits", "tasks", "reporting"]  # 台账报送情况: assignments known
    out = tmp_path / "统计.json"
    proc = run_bqw("summarise", "--kind", "visits", "--period", "2026-10", "--as-of", AS_OF, "-f", "json",
                   "-o", out, cwd=ws, check_code=ExitCode.OK)
    assert proc.stdout == f"已写出：{out}\n"
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["bqw_version"] == VERSION and written["kind"] == "visits"


def test_tongbao_json_names_each_document_and_its_number(ws, tmp_path):
    doc = as_json(run_bqw("-w", ws, "tongbao", "--type", "问题", "--as-of", AS_OF, "-o", tmp_path, "--date",
                          "2026-11-03", "-f", "json"))
    assert doc["period"] == "2026-10" and doc["as_of"] == AS_OF and doc["date"] == "2026-11-03"
    assert len(doc["files"]) >= 3
    for made in doc["files"]:
        assert made["kind"] == "问题" and made["path"].startswith(str(tmp_path))
        texts = [p.text for p in Document(made["path"]).paragraphs]
        assert texts[3] == made["doc_number"] == f"平安百千万办〔2026〕{made['number']}号"
    assert len({m["number"] for m in doc["files"]}) == len(doc["files"])


def test_jianbao_json_names_the_issue(ws, tmp_path):
    out = tmp_path / "简报.docx"
    doc = as_json(run_bqw("-w", ws, "jianbao", "--period", "2026-10", "-o", out, "-f", "json"))
    (made,) = doc["files"]
    assert made["path"] == str(out) and made["kind"] == "简报"
    assert [p.text for p in Document(out).paragraphs][1] == made["doc_number"] == f"第{made['number']}期"
    assert doc["period"] == "2026-10" and doc["as_of"] == AS_OF  # 2026-10 is over: as of its last day


# --- -q ---------------------------------------------------------------------------------------------

def test_init_quiet_is_the_one_line(tmp_path):
    proc = run_bqw("init", tmp_path / "ws", "-q", check_code=ExitCode.OK)
    assert proc.stdout == f"已创建工作区：{tmp_path / 'ws' / 'bqw.toml'}\n"
    assert (tmp_path / "ws" / "bqw.toml").is_file()


def test_template_quiet_is_the_one_line(tmp_path):
    proc = run_bqw("template", "tasks", "-o", tmp_path / "t.xlsx", "-q", cwd=tmp_path, check_code=ExitCode.OK)
    assert proc.stdout == f"已生成模板：{tmp_path / 't.xlsx'}\n"
    assert len(openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames) >= 3  # the three linked lists


def test_validate_quiet_keeps_the_verdicts(tmp_path):
    quiet, full = quiet_lines("validate", LIMING, BAD, code=ExitCode.DATA, cwd=tmp_path)
    assert [line for line in quiet if line.strip()] == [
        "✔ 通过：" + LIMING.name + "（4 行，0 个警告）", next(line for line in full if "未通过" in line),
        next(line for line in full if line.startswith("共 2 个文件"))]
    assert any(TABLE_BORDER.search(line) for line in full)


def test_merge_quiet_keeps_the_conclusion(tmp_path):
    out = tmp_path / "合并.xlsx"
    quiet, full = quiet_lines("merge", LIMING, "-o", out, "--no-archive", "--as-of", AS_OF, cwd=tmp_path)
    assert quiet == [line for line in full if not TABLE_BORDER.search(line)]
    assert quiet[-1] == f"已写出：{out}" and any(line.startswith("合并完成") for line in quiet)


def test_run_quiet_keeps_what_needs_doing(ws):
    quiet, full = quiet_lines("run", "--as-of", AS_OF, cwd=ws)  # nothing new now: the same lines
    assert quiet == full == ["没有新文件（收件箱中 12 个文件此前已处理），未做任何改动。", f"运行日志：{ws / 'bqw.log'}"]


def test_history_quiet_counts(ws):
    (line,), full = quiet_lines("history", cwd=ws)
    doc = json.loads(run_bqw("history", "-f", "json", cwd=ws).stdout)
    current = sum(1 for s in doc["submissions"] if s["status"] == "current")
    assert line == (f"归档中有 {len(doc['submissions'])} 份提交（当前 {current} 份，已被替换 "
                    f"{len(doc['submissions']) - current} 份），事件 {len(doc['events'])} 条。")
    assert len(full) > 10


def test_inspect_quiet_says_each_files_kind(tmp_path):
    quiet, full = quiet_lines("inspect", LIMING, cwd=tmp_path)
    assert [line for line in quiet if line] == [f"文件：{LIMING}", "  台账类型：挂点调研台账（visits）"]
    assert any("识别依据" in line for line in full)


def test_summarise_quiet_keeps_titles_and_highlights(ws):
    quiet, full = quiet_lines("summarise", "--period", "2026-10", "--as-of", AS_OF, cwd=ws)
    assert quiet and all(line in full for line in quiet)
    assert not any(TABLE_BORDER.search(line) for line in quiet) and any(TABLE_BORDER.search(line) for line in full)
    assert any(line.startswith("  ") for line in quiet)  # the highlights under each title


def test_tongbao_quiet_lists_the_documents_only(ws, tmp_path):
    quiet, full = quiet_lines("-w", ws, "tongbao", "-o", tmp_path)
    assert len(quiet) == 1 and quiet[0].startswith("已写出：") and quiet[0] in full
    assert any(line.startswith("提示：未找到 LibreOffice") for line in full)  # BQW_SOFFICE=none (conftest)
    assert (tmp_path / "进展通报（2026年10月）.docx").is_file()


def test_jianbao_quiet_lists_the_document(ws, tmp_path):
    quiet, full = quiet_lines("-w", ws, "jianbao", "-o", tmp_path)
    assert quiet == full and len(quiet) == 1 and quiet[0].startswith(f"已写出：{tmp_path}")

"""bqw.toml [aliases] end to end: an office teaches bqw its own header wordings, and `bqw validate -w`
reads the columns they name (the visits file's and the workspace's assignments list's)."""

from __future__ import annotations

import json

from conftest import run_bqw, write_xlsx

from bqw.cli.exit import ExitCode

# Wordings no spec has: without bqw.toml [aliases] bqw cannot know these columns.
TAUGHT = '''
[aliases]
visits.调研地点 = ["所到村组"]
"assignments.联系行政村" = ["包联村组"]
'''


def _workspace(tmp_path, aliases: str):
    ws = tmp_path / "ws"
    (ws / "名单").mkdir(parents=True)
    (ws / "bqw.toml").write_text('[unit]\ntown = "平安镇"\nyear = 2026\n\n[ledgers]\n'
                                 'assignments = "名单/安排表.xlsx"\n' + aliases, encoding="utf-8")
    write_xlsx(ws / "名单" / "安排表.xlsx", [["镇领导", "包联村组", "协助部门"],
                                          ["洪文泽", "东坑村、新塘社区", "党政办"]])
    visits = write_xlsx(tmp_path / "台账.xlsx", [
        ["2026年度平安镇领导开展“百千万工程”工作挂点调研台账"],
        ["序号", "镇领导", "调研时间", "所到村组", "调研内容", "备注"],
        [1, "洪文泽", "2026年10月9日", "东坑村", "调研人居环境整治", ""],
        [2, "洪文泽", "2026年10月20日", "石龙村", "调研村集体经济", ""],
    ])
    return ws, visits


def _validate(ws, visits):
    proc = run_bqw("validate", "-w", ws, visits, "--period", "2026-10", "--format", "json")
    return proc, json.loads(proc.stdout) if proc.stdout.strip() else None


def test_taught_wordings_are_read_as_their_columns(tmp_path):
    ws, visits = _workspace(tmp_path, TAUGHT)
    proc, report = _validate(ws, visits)
    assert proc.returncode == ExitCode.OK, proc.stderr
    (file,) = report["files"]
    assert file["kind"] == "visits" and file["rows"] == 2 and file["valid"]
    # 所到村组 (column D) is 调研地点, checked against the villages the assignments list gives under
    # its own taught wording: 石龙村 is not one of 洪文泽's, 东坑村 is
    found = [(f["code"], f["cell"], f["column"]) for f in file["findings"] if f["severity"] != "info"]
    assert found == [("visit-village-not-assigned", "D4", "调研地点")]
    assert "东坑村、新塘社区" in next(f["message"] for f in file["findings"] if f["cell"] == "D4")


def test_without_the_alias_the_column_is_not_read(tmp_path):
    ws, visits = _workspace(tmp_path, "")
    (ws / "名单" / "安排表.xlsx").unlink()  # unreadable without its wording too: no reference list here
    proc, report = _validate(ws, visits)
    assert proc.returncode == ExitCode.DATA, proc.stderr
    (file,) = report["files"]
    assert file["kind"] == "visits" and not file["valid"]
    errors = [(f["code"], f["column"]) for f in file["findings"] if f["severity"] == "error"]
    assert errors == [("missing-column", "调研地点")]
    # nothing under 所到村组 is read as a village: the column is kept aside, as written
    assert not any(f["column"] == "调研地点" and f["cell"] for f in file["findings"])


def test_without_the_alias_the_assignments_list_cannot_be_used(tmp_path):
    ws, visits = _workspace(tmp_path, "")
    proc = run_bqw("validate", "-w", ws, visits, "--period", "2026-10", "--format", "json")
    assert proc.returncode == ExitCode.USAGE
    assert "无法使用参考文件" in proc.stderr and "安排表.xlsx" in proc.stderr


def test_a_wrong_aliases_key_stops_the_command_naming_file_line_and_key(tmp_path):
    ws, visits = _workspace(tmp_path, TAUGHT.replace("visits.调研地点", "visits.调研地址"))
    proc = run_bqw("validate", "-w", ws, visits, "--format", "json")
    assert proc.returncode == ExitCode.USAGE and proc.stdout == ""
    line = next(n for n, text in enumerate((ws / "bqw.toml").read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("visits.调研地址"))
    assert str(ws / "bqw.toml") in proc.stderr and f"第 {line} 行" in proc.stderr
    assert "aliases.visits.调研地址" in proc.stderr and "调研地点" in proc.stderr  # the columns it may name
    assert "Traceback" not in proc.stderr

"""bqw.toml: init writes it, every command finds it, and a wrong value names its key and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bqw

from bqw.jobs.config import CONFIG_NAME, Config, ConfigError, find_config, init, load, parse


def test_init_writes_commented_config_and_folders(tmp_path):
    path = init(tmp_path / "ws", town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    assert "# 单位名称" in text and "# 文号前缀" in text and "visits = 5" in text and "days = 5" in text
    assert {p.name for p in (tmp_path / "ws").iterdir()} == {CONFIG_NAME, "inbox", "out", "名单", "templates"}
    cfg = parse(path)
    assert cfg.unit == "平安镇“百千万工程”指挥部办公室" and cfg.town == "平安镇" and cfg.year == 2026
    assert cfg.doc_prefix == "平安百千万办"
    assert (cfg.target_visits, cfg.target_days) == (5, 5)
    assert cfg.assignments == tmp_path / "ws" / "名单" / "镇领导挂点联系村安排表.xlsx"
    assert cfg.jianbao["name"] == "“百千万工程”工作简报" and cfg.jianbao["copies"] == 30
    assert cfg.enums["任务来源"][1] == "会议议定"
    with pytest.raises(ConfigError, match="已存在"):
        init(tmp_path / "ws")


def test_found_from_a_subfolder(tmp_path):
    init(tmp_path, town="平安镇", year=2026)
    sub = tmp_path / "inbox" / "2026-10"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / CONFIG_NAME


def test_defaults_without_a_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load()
    assert cfg.path is None and cfg.target_visits == 5 and cfg.archive == Path("bqw.db")


def _line(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize("old,new,key", [
    ("visits = 5", "visits = 0", "targets.visits"),
    ("visits = 5", 'visits = "五"', "targets.visits"),
    ("year = 2026", "year = 26", "unit.year"),
    ('teams = ["镇域经济"', 'teams = [1, "镇域经济"', "enums.teams"),
    ("score_standard = 80", "score_standard = 120", "targets.score_standard"),
])
def test_wrong_value_names_key_and_line(tmp_path, old, new, key):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    line = _line(text, old.split(" ")[0] + " =")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(path)
    assert f"第 {line} 行" in str(e.value) and key in str(e.value)


def test_unknown_key_named(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8").replace("days = 5", "days = 5\nweeks = 3", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"第 {_line(text, 'weeks')} 行：targets.weeks"):
        parse(path)


def test_syntax_error_names_line(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('town = "平安镇"', "town = 平安镇"), encoding="utf-8")
    with pytest.raises(ConfigError, match=f"第 {_line(text, 'town =')} 行"):
        parse(path)


def test_broken_config_is_exit_2_for_every_command(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    line = _line(text, "visits =")
    path.write_text(text.replace("visits = 5", "visits = -1"), encoding="utf-8")
    for args in (["run"], ["merge", "inbox", "-o", "x.xlsx"], ["history"], ["validate", "inbox"]):
        proc = run_bqw(*args, cwd=tmp_path)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "targets.visits" in proc.stderr and f"第 {line} 行" in proc.stderr, args
    proc = run_bqw("--workspace", tmp_path, "history", cwd=tmp_path.parent)
    assert proc.returncode == 2 and "targets.visits" in proc.stderr


def test_limits_section(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    path.write_text(path.read_text(encoding="utf-8") + "\n[limits]\nmax_file_mb = 5\n", encoding="utf-8")
    assert parse(path).make_limits().max_file_mb == 5
    path.write_text(path.read_text(encoding="utf-8").replace("max_file_mb = 5", "max_rows_x = 5"), encoding="utf-8")
    with pytest.raises(ConfigError, match="limits.max_rows_x"):
        parse(path)


@pytest.mark.heavy  # several seconds: left to make test by make test-fast
def test_config_enums_apply_to_validation(tmp_path):
    import openpyxl

    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"信息化"]', '"信息化", "数字乡村"]'), encoding="utf-8")
    wb = openpyxl.Workbook()
    for row in (["姓名", "单位", "职务", "指挥部职务", "所属专班", "联系电话"],
                ["陈国华", "镇党委", "书记", "总指挥", "数字乡村", "13800000001"],
                ["黄丽", "镇党委", "干事", "联络员", "数字乡村", "13800000002"]):
        wb.active.append(row)
    wb.save(tmp_path / "名单.xlsx")
    assert run_bqw("validate", "名单.xlsx", cwd=tmp_path).returncode == 0
    other = tmp_path.parent / f"{tmp_path.name}-no-ws"
    other.mkdir()
    assert run_bqw("validate", tmp_path / "名单.xlsx", cwd=other).returncode == 1  # default enums there
    assert isinstance(Config(root=tmp_path).enums["所属专班"], tuple)


def test_relative_workspace_paths_resolved_once(tmp_path, monkeypatch):
    # `bqw -w 平安镇 summarise` from the folder above: the archive is 平安镇/bqw.db, not 平安镇/平安镇/bqw.db
    init(tmp_path / "平安镇", town="平安镇", year=2026)
    monkeypatch.chdir(tmp_path)
    cfg = load(Path("平安镇"))
    assert cfg.archive == tmp_path / "平安镇" / "bqw.db"
    assert cfg.inbox == tmp_path / "平安镇" / "inbox"
    proc = run_bqw("-w", "平安镇", "history", cwd=tmp_path)  # no archive yet: the message names the right one
    text = proc.stdout + proc.stderr
    assert str(tmp_path / "平安镇" / "bqw.db") in text and "平安镇/平安镇" not in text, text


EXAMPLE = '# visits.调研地点 = ["所到村组"]'  # the commented example in bqw init's [aliases]


def test_aliases_section_loads_in_every_key_form(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    assert EXAMPLE in text and parse(path).aliases == {}
    path.write_text(text.replace(EXAMPLE, 'visits.调研地点 = ["所到村组", " 走访点 "]\n'
                                          '"visits.调研内容" = ["走访事由"]\n'
                                          'tasks."完成时限" = ["最迟办结"]\n'
                                          'problems.涉及村 = ["所在自然村"]', 1)
                    + '\n[aliases.roster]\n姓名 = ["同志姓名"]\n"单位" = ["所在单位名称"]\n', encoding="utf-8")
    cfg = parse(path)
    assert cfg.aliases == {
        "visits": {"调研地点": ("所到村组", "走访点"), "调研内容": ("走访事由",)},
        "tasks": {"完成时限": ("最迟办结",)},
        "problems": {"涉及村（社区）": ("所在自然村",)},  # the column named as its header reads
        "roster": {"姓名": ("同志姓名",), "单位": ("所在单位名称",)},
    }
    assert cfg.unit == "平安镇“百千万工程”指挥部办公室"  # the rest of the file reads as before


@pytest.mark.parametrize("line,key,allowed", [
    ('visitz.调研地点 = ["所到村组"]', "aliases.visitz.调研地点", "visits（挂点调研台账）"),
    ('visits.调研地址 = ["所到村组"]', "aliases.visits.调研地址", "调研地点、调研内容"),
    ('"visits.调研地址" = ["所到村组"]', "aliases.visits.调研地址", "调研地点、调研内容"),
    ('visits."调研地址" = ["所到村组"]', "aliases.visits.调研地址", "调研地点、调研内容"),
    ('visits = ["所到村组"]', "aliases.visits", "visits.标准列名"),
    ('visits.调研地点 = "所到村组"', "aliases.visits.调研地点", "列表"),
    ('visits.调研地点 = []', "aliases.visits.调研地点", "列表"),
    ('visits.调研地点 = ["所到村组", " "]', "aliases.visits.调研地点", "不能为空"),
    ('visits.调研地点 = ["所到村组", 3]', "aliases.visits.调研地点", "列表"),
    ('visits.调研地点 = ["*："]', "aliases.visits.调研地点", "不能为空"),  # nothing left to match a header by
    ('visits.调研地点 = ["调研内容"]', "aliases.visits.调研地点", "已是挂点调研台账“调研内容”列的写法"),
])
def test_wrong_alias_names_file_line_and_key(tmp_path, line, key, allowed):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8").replace(EXAMPLE, line, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(path)
    message = str(e.value)
    assert message.startswith(f"{path} 第 {_line(text, line)} 行：{key}（"), message
    assert allowed in message


def test_wrong_alias_in_a_kind_table_names_its_line(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8") + '\n[aliases.visits]\n调研地址 = ["所到村组"]\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"第 {_line(text, '调研地址')} 行：aliases.visits.调研地址（"):
        parse(path)


# --- bqw.toml as Notepad saves it (issue 14, defect 9) ---------------------------------------------

@pytest.mark.parametrize("codec,named", [("utf-8", None), ("utf-8-sig", None), ("gbk", "GBK"),
                                         ("utf-16", "UTF-16"), ("utf-16-be", "UTF-16")],
                         ids=["utf-8", "utf-8-bom", "gbk", "utf-16-le-bom", "utf-16-be-bom"])
def test_config_read_in_every_encoding_notepad_saves(tmp_path, codec, named):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8").replace("visits = 5", "visits = 6")
    data = text.encode(codec)
    if codec == "utf-16-be":  # Notepad's “UTF-16 BE” writes its BOM
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    cfg = parse(path)
    assert cfg.unit == "平安镇“百千万工程”指挥部办公室" and cfg.target_visits == 6
    assert cfg.posts[0] == "总指挥" and cfg.jianbao["name"] == "“百千万工程”工作简报"
    if named is None:
        assert cfg.encoding == "UTF-8" and cfg.encoding_notice is None
    else:
        assert cfg.encoding == named
        assert f"是 {named} 编码，已按 {named} 读取" in cfg.encoding_notice and str(path) in cfg.encoding_notice


def test_wrong_value_in_a_gbk_config_names_its_line(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace("visits = 5", "visits = -1").encode("gbk"))
    with pytest.raises(ConfigError, match=rf"第 {_line(text, 'visits =')} 行：targets.visits"):
        parse(path)


def test_config_in_no_known_encoding_says_so_in_chinese(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-8").replace("平安镇".encode(), b"\x81\x20\xff", 1))
    with pytest.raises(ConfigError) as e:
        parse(path)
    assert f"第 {_line(text, 'name =')} 行" in str(e.value) and "编码" in str(e.value)
    assert "codec" not in str(e.value)


def test_gbk_config_is_said_once_and_logged_by_run(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    proc = run_bqw("run", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("GBK 编码") == 1
    log = (tmp_path / "bqw.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == 1 and "没有新文件" in log[0] and "GBK 编码" in log[0]


# --- the inbox holds no bqw output nor list (issue 14, defect 4) ------------------------------------

@pytest.mark.parametrize("old,new,key", [
    ('inbox = "inbox"', 'inbox = "."', "folders.inbox"),
    ('inbox = "inbox"', 'inbox = ".."', "folders.inbox"),
    ('out = "out"', 'out = "inbox/out"', "folders.out"),
    ('archive = "bqw.db"', 'archive = "inbox/bqw.db"', "folders.archive"),
    ('roster = "名单/指挥部成员名单.xlsx"', 'roster = "inbox/成员名单.xlsx"', "ledgers.roster"),
    ('inbox = "inbox"', 'inbox = "名单"', "folders.inbox"),
])
def test_inbox_holding_bqws_own_files_names_the_key(tmp_path, old, new, key):
    path = init(tmp_path / "ws", town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(path)
    assert f"{path} 第 {_line(text, old.split(' ')[0] + ' =')} 行：{key}" in str(e.value)
    assert "收件箱" in str(e.value)


def test_inbox_beside_the_outputs_is_fine(tmp_path):
    path = init(tmp_path, town="平安镇", year=2026)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('inbox = "inbox"', 'inbox = "out/收件"'), encoding="utf-8")
    assert parse(path).inbox == tmp_path / "out" / "收件"


def test_year_cycle_settings_defaults_and_overrides(tmp_path):
    """Issue 17: the target's unit, report deadlines by kind, escalation and 年考评 thresholds in bqw.toml."""
    path = init(tmp_path / "ws", town="平安镇", year=2026)
    cfg = parse(path)
    assert (cfg.target_unit, cfg.deadline_days("visits"), cfg.deadline_days("tasks")) == ("village", 2, 2)
    assert (cfg.supervise_days, cfg.interview_days, cfg.listing_months) == (15, 30, 3)
    assert (cfg.praise_rate, cfg.interview_rate, cfg.listing_rate) == (95.0, 60.0, 40.0)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('unit = "village"', 'unit = "leader"')
                    .replace("days_after = 2", "days_after = 5\nvisits = 3")
                    .replace("supervise_days = 15", "supervise_days = 10"), encoding="utf-8")
    cfg = parse(path)
    assert (cfg.target_unit, cfg.deadline_days("visits"), cfg.deadline_days("tasks"), cfg.supervise_days) == (
        "leader", 3, 5, 10)


@pytest.mark.parametrize("change, said", [
    (('unit = "village"', 'unit = "村"'), "targets.unit（年度目标的计算单位应为 \"village\"（每个挂点村）或 \"leader\""),
    (("days_after = 2", "visit = 3"), "deadlines.visit（不是已知的台账种类。您是否要输入：visits？"),
    (("days_after = 2", "days_after = -1"), "deadlines.days_after（应为期间结束后的天数（0 到 60 的整数），现为 -1）"),
    (("praise_rate = 95", "praise_rate = 120"), "evaluation.praise_rate（建议表扬的整改完成率应为 0 到 100 之间的数"),
])
def test_year_cycle_settings_refused_with_the_line(tmp_path, change, said):
    path = init(tmp_path / "ws", town="平安镇", year=2026)
    path.write_text(path.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(path)
    assert said in str(e.value) and "第 " in str(e.value)

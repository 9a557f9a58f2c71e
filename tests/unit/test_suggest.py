"""“您是否要输入：…？” (bqw.core.suggest) and where bqw.toml uses it: misspelt sections and keys, and the
[tongbao]/[jianbao] keys no part of bqw reads (said, not refused)."""

from __future__ import annotations

import pytest

from bqw.core.suggest import did_you_mean, phrase
from bqw.jobs.config import ConfigError, init, parse
from bqw.ledgers import KIND_ZH, KINDS

TYPES = ("进展", "问题", "议定")
NAMED = {zh: kind for kind, zh in KIND_ZH.items()}


@pytest.mark.parametrize("value,choices,names,said", [
    ("visit", KINDS, None, "您是否要输入：visits？"),
    ("Tasks", KINDS, None, "您是否要输入：tasks？"),
    ("rooster", KINDS, None, "您是否要输入：roster？"),
    ("进度", TYPES, None, "您是否要输入：进展？"),  # two Chinese characters sharing one
    ("挂点调研", KINDS, NAMED, "您是否要输入：visits？"),  # near a Chinese name: its kind
    ("任务清", KINDS, NAMED, "您是否要输入：tasks？"),
    ("zzzz", KINDS, NAMED, ""),
    ("报告", TYPES, None, ""),
])
def test_did_you_mean(value, choices, names, said):
    assert did_you_mean(value, choices, names) == said


def test_only_the_nearest_is_said():
    assert did_you_mean("folder", ("folders", "ledgers")) == "您是否要输入：folders？"  # ledgers is near too
    assert phrase(["a", "b"]) == "您是否要输入：a、b？" and phrase([]) == ""  # click's own several


def _toml(tmp_path, text: str):
    path = tmp_path / "bqw.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_misspelt_tongbao_key_is_said_with_its_line_and_the_key_meant(tmp_path):
    path = _toml(tmp_path, '[unit]\nname = "平安镇办"\n\n[tongbao]\nissuer = "平安镇"\ntemplat = "底版.docx"\n'
                           '[jianbao]\ncopeis = 40\n')
    cfg = parse(path)
    assert cfg.notices == [
        f"提示：{path} 第 6 行：[tongbao] 中的“templat”不是已知的设置项，已忽略。您是否要输入：template？",
        f"提示：{path} 第 8 行：[jianbao] 中的“copeis”不是已知的设置项，已忽略。您是否要输入：copies？"]
    assert cfg.tongbao["issuer"] == "平安镇"  # the rest of the section is used


def test_the_bqw_toml_init_writes_has_no_unknown_key(tmp_path):
    cfg = parse(init(tmp_path, town="平安镇", year=2026))
    assert cfg.notices == [] and cfg.tongbao and cfg.jianbao


@pytest.mark.parametrize("text,said", [
    ('[unit]\ntonw = "平安镇"\n', "第 2 行：unit.tonw（不是已知的设置项。您是否要输入：town？）"),
    ('[tongbo]\nissuer = "x"\n', "第 1 行：“tongbo”不是已知的设置项。您是否要输入：tongbao？"),
    ('[folder]\ninbox = "x"\n', "第 1 行：“folder”不是已知的设置项。您是否要输入：folders？"),
    ('[limits]\nmax_row = 5\n', "limits.max_row（不是已知的上限。您是否要输入：max_rows？可用："),
    ('[aliases]\nvisit.调研地点 = ["所到村组"]\n', "“visit”不是台账种类。您是否要输入：visits？可用："),
    ('[unit]\nzzz = 1\n', "unit.zzz（不是已知的设置项。请检查拼写）"),
])
def test_a_misspelt_section_or_key_is_refused_with_the_one_meant(tmp_path, text, said):
    with pytest.raises(ConfigError) as e:
        parse(_toml(tmp_path, text))
    assert said in str(e.value)

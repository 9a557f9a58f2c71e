"""bqw.log rotates (issue 16): past LOG_MAX_BYTES it becomes bqw.log.1, the older one bqw.log.2, the oldest
is dropped; nothing is lost from the line being written."""

from __future__ import annotations

from bqw.jobs import routine
from bqw.jobs.config import Config


def test_a_full_log_moves_to_dot_one_and_the_older_up(tmp_path, monkeypatch):
    monkeypatch.setattr(routine, "LOG_MAX_BYTES", 200)
    cfg = Config(root=tmp_path, log=tmp_path / "bqw.log")
    for i in range(40):
        routine.log_line(cfg, f"第 {i:02d} 次运行：读取 3 个文件")
    logs = sorted(p.name for p in tmp_path.iterdir())
    assert logs == ["bqw.log", "bqw.log.1", "bqw.log.2"]
    assert all((tmp_path / n).stat().st_size < 200 + 100 for n in logs)
    newest = (tmp_path / "bqw.log").read_text(encoding="utf-8").splitlines()
    assert newest[-1].endswith("第 39 次运行：读取 3 个文件")
    # the lines run on from one file to the next, newest last
    chain = [line for n in ("bqw.log.2", "bqw.log.1", "bqw.log")
             for line in (tmp_path / n).read_text(encoding="utf-8").splitlines()]
    numbers = [int(line.split("第 ")[1][:2]) for line in chain]
    assert numbers == list(range(numbers[0], 40))


def test_a_small_log_is_not_moved(tmp_path):
    cfg = Config(root=tmp_path, log=tmp_path / "bqw.log")
    routine.log_line(cfg, "一次运行")
    routine.log_line(cfg, "又一次运行")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bqw.log"]
    assert len((tmp_path / "bqw.log").read_text(encoding="utf-8").splitlines()) == 2

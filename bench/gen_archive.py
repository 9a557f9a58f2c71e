#!/usr/bin/env python3
"""Benchmark workspaces whose archive already holds a lot (fixed seeds), under bench/data/.

    python bench/gen_archive.py            # both workspaces below

``province_year(folder)``
    A workspace (``bqw init``) whose archive holds what a province office has at the end of a
    year: 12 months × 1,600 town visit ledgers × 40 rows (768,000 visit rows) and 1,600 towns'
    rectification lists with 200,000 tasks (80,000 problems, 80,000 responsibility rows).
    The records are written straight into the archive with bqw's own ``Archive.add_submission``,
    in the shape ``bqw merge`` stores (JSON per row, the keys of ``records_of``): merging 19,200
    files first would take an hour and measure merge, not summarise.

``county_units(folder, units=100)``
    A county workspace whose rectification list has 100 牵头单位 with 50 tasks each (5,000 tasks,
    2,000 problems), as of 2026-10-31 about a third of them overdue — the input of the
    “一对一”通报 for 100 units.

Both are cached by a manifest beside the folder, like bench/gen.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen  # noqa: E402  (bench/gen.py: name pools, manifests)

GEN_VERSION = 4  # 2: archive schema 2 (blocks); 3, 4: compact blocks
SEED = 20261231
YEAR = 2026

PROBLEM_SOURCES = ["督导检查", "调研发现", "会议交办", "上级通报", "群众反映"]
TASK_SOURCES = ["问题整改", "会议议定", "领导批示", "重点项目", "年度要点", "为民实事"]
PROBLEMS = ["主干道两侧存在乱堆乱放，垃圾清运不及时", "农房报建流程不清晰，存在未批先建现象",
            "生活污水管网未全覆盖，部分污水直排", "村集体经济收入低于10万元", "“四小园”建设进度滞后",
            "部分路段路灯损坏，夜间照明不足", "党群服务中心功能室利用率低", "河道沿岸存在违规养殖棚舍"]
TASKS = ["组织开展村道沿线环境卫生集中整治", "落实保洁员考核制度，每月通报保洁情况", "开展农房报建政策宣传，公开办理流程",
         "对未批先建农房逐户摸排建档，分类处置", "编制污水管网补短板实施方案", "完成二期污水管网铺设",
         "盘活村闲置厂房对外出租", "发展丝苗米特色种植合作社", "维修更换损坏路灯", "清理拆除违规养殖棚舍",
         "建立村级河长巡河台账", "制定功能室开放使用管理制度"]
PROGRESS = ["已完成集中清理，建立长效保洁机制", "考核办法已起草，待村民代表会议表决", "已摸排32户，建档26户",
            "已铺设1.2公里，剩余0.6公里", "已签订租赁合同", "初稿已形成，征求意见中", None]
UNIT_WORDS = ["农业农村办", "规划建设办", "综合执法办", "自然资源所", "经发办", "党建办", "社会事务办", "应急管理办",
              "生态环境分局", "水务所", "财政所", "宣传办", "文化站", "卫健办", "派出所", "市场监管所"]


def _hash(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def _dump(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


def _workspace(folder: Path, params: dict, town: str) -> Path | None:
    """A fresh workspace folder, or None when the cached one matches `params`."""
    from bqw.jobs.config import init

    if gen._cached(folder, params):
        return None
    if folder.exists():
        shutil.rmtree(folder)  # only ever a folder this generator made under bench/data/
    gen._manifest_path(folder).unlink(missing_ok=True)
    init(folder, town=town, year=YEAR)
    return folder / "bqw.db"


def _days(month: int) -> list[int]:
    last = (dt.date(YEAR + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return [d for d in range(1, last + 1) if dt.date(YEAR, month, d).weekday() < 5]


def _visit_records(rng: random.Random, town: str, leader: str, villages: list, month: int, rows: int) -> list:
    period = f"{YEAR}-{month:02d}"
    days = _days(month)
    out = []
    for i in range(rows):
        village, secretary, tel = villages[rng.randrange(len(villages))]
        n_days = 2 if rng.random() < 0.05 else 1
        data = {"填报单位": f"{town}党政办", "备注": rng.choice(gen.NOTES) or None,
                "推动解决问题数量": rng.randrange(5), "月份": period, "期间": period,
                "联系人及联系方式": f"{secretary} {tel}", "调研内容": rng.choice(gen.TOPICS), "调研地点": village,
                "调研天数": n_days, "调研时间": f"{period}-{rng.choice(days):02d}", "镇领导": leader}
        out.append(("visits", "Sheet1", 4 + i, False, _dump(data), "[]"))
    return out


def _lists(rng: random.Random, office: str, units: list[str], problems: int, tasks_per_problem: float,
           prefix: str, as_of: dt.date) -> list:
    """One rectification workbook's records: problems, responsibilities and tasks."""
    out = []
    row = 4
    n_tasks = round(problems * tasks_per_problem)
    per_problem = [1] * problems
    for _ in range(n_tasks - problems):
        per_problem[rng.randrange(problems)] += 1
    for p in range(problems):
        pid = f"{prefix}-{p + 1:04d}"
        village = "".join(rng.sample(gen.PLACE_CHARS, 2)) + "村"
        found = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(270))
        unit = units[p % len(units)]
        base = {"填报单位": office, "期间": None, "问题编号": pid}
        out.append(("problems", "问题清单", row, False, _dump({
            **base, "发现时间": found.isoformat(), "涉及村（社区）": village,
            "问题描述": village + rng.choice(PROBLEMS), "问题来源": rng.choice(PROBLEM_SOURCES)}), "[]"))
        out.append(("responsibilities", "责任清单", row, False, _dump({
            **base, "责任人": gen._person_name(rng, 0), "责任单位": unit, "责任领导": gen._person_name(rng, 0)}), "[]"))
        for t in range(per_problem[p]):
            due = found + dt.timedelta(days=30 + rng.randrange(240))
            r = rng.random()
            state = "已完成" if r < 0.45 else ("推进中" if r < 0.85 else "未启动")
            done = None
            if state == "已完成":
                done = min(due + dt.timedelta(days=rng.randrange(-40, 20)), as_of)
            out.append(("tasks", "任务清单", row, False, _dump({
                **base, "任务编号": f"{pid}-{t + 1}", "任务内容": rng.choice(TASKS),
                "任务来源": rng.choice(TASK_SOURCES), "牵头单位": unit,
                "配合单位": rng.choice(units), "完成时限": due.isoformat(),
                "完成时间": done.isoformat() if done else None, "完成状态": state,
                "进展情况": rng.choice(PROGRESS)}), "[]"))
            row += 1
    return out


def _add_lists(store, name: str, office: str, digest: str, recs: list) -> None:
    """One rectification workbook's records as a submission of the running task list."""
    store.add_submission(content_hash=digest, kind="tasks", submitter=office, period=None, file_mtime=None,
                         fill_date=None, source_path="inbox/" + name, file_name=name, records=recs)


def province_year(folder: Path, towns: int = 1600, rows: int = 40, task_rows: int = 200_000,
                  seed: int = SEED) -> Path:
    from bqw.store.archive import Archive

    params = {"generator": "province_year", "version": GEN_VERSION, "towns": towns, "rows": rows,
              "task_rows": task_rows, "seed": seed}
    db = _workspace(folder, params, "全省")
    if db is None:
        return folder
    rng = random.Random(seed)
    names = gen._unique_names(rng, towns, gen._town_name)
    leaders = gen._unique_names(rng, towns, gen._person_name)
    villages = {t: [("".join(rng.sample(gen.PLACE_CHARS, 2)) + "村", gen._person_name(rng, 0), gen._phone(rng))
                    for _ in range(6)] for t in names}
    as_of = dt.date(YEAR, 12, 31)
    problems = task_rows * 2 // 5 // towns  # 2.5 tasks per problem
    with Archive(db) as store, store.transaction():
        store.start_run("bench gen_archive")
        for month in range(1, 13):
            for town, leader in zip(names, leaders):
                recs = _visit_records(rng, town, leader, villages[town], month, rows)
                name = f"附件3：{town}领导挂点调研台账（{month}月）-{leader}.xlsx"
                store.add_submission(content_hash=_hash("visits", month, town), kind="visits", submitter=leader,
                                     period=f"{YEAR}-{month:02d}", file_mtime=None, fill_date=None,
                                     source_path="inbox/" + name, file_name=name, records=recs)
        for i, town in enumerate(names):
            office = f"{town}百千万工程指挥部办公室"
            recs = _lists(rng, office, [f"{town}{w}" for w in UNIT_WORDS[:8]],
                          problems, task_rows / towns / problems, f"T{i:04d}", as_of)
            _add_lists(store, f"{town}问题整改台账（三清单）.xlsx", office, _hash("tasks", town), recs)
        store.finish_run({"generated": True})
    gen._write_manifest(folder, params)
    return folder


def county_units(folder: Path, units: int = 100, tasks_per_unit: int = 50, seed: int = SEED) -> Path:
    from bqw.store.archive import Archive

    params = {"generator": "county_units", "version": GEN_VERSION, "units": units,
              "tasks_per_unit": tasks_per_unit, "seed": seed}
    db = _workspace(folder, params, "平安县")
    if db is None:
        return folder
    rng = random.Random(seed)
    towns = gen._unique_names(rng, units // len(UNIT_WORDS) + 1, gen._town_name)
    names = [f"{t}{w}" for t in towns for w in UNIT_WORDS][:units]
    office = "平安县百千万工程指挥部办公室"
    recs = _lists(rng, office, names, units * tasks_per_unit * 2 // 5, 2.5, "PA2026", dt.date(YEAR, 10, 31))
    with Archive(db) as store, store.transaction():
        store.start_run("bench gen_archive")
        _add_lists(store, "平安县问题整改台账（三清单）.xlsx", office, _hash("county", units), recs)
        store.finish_run({"generated": True})
    gen._write_manifest(folder, params)
    return folder


def province_year_path() -> Path:
    return gen.DATA / "province-year"


def county_path() -> Path:
    return gen.DATA / "county-100"


def ensure(log=print) -> None:
    import time

    for make, path in ((province_year, province_year_path()), (county_units, county_path())):
        t = time.perf_counter()
        make(path)
        log(f"{path.relative_to(gen.BENCH.parent)}/ ready ({time.perf_counter() - t:.1f}s)")


if __name__ == "__main__":
    ensure()

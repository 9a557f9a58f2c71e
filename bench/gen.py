#!/usr/bin/env python3
"""Benchmark data generators (fixed seeds), written under bench/data/ (git-ignored).

    python bench/gen.py            # the standard set: visits 1k/10k/100k, province 16/160/1,600 files
    python bench/gen.py --quick    # the --quick set: visits 1k/10k, province 16/160 files
    python bench/gen.py --full     # adds visits 1M rows and province 16,000 files

Two generators, both usable from other scripts:

``visits_ledger(path, rows)``
    One big 挂点调研台账 written with xlsxwriter ``constant_memory``: a title row, the header row
    ``序号 镇领导 调研时间 调研地点 调研内容 推动解决问题数量 联系人及联系方式 备注`` and N rows of
    hand-typed-looking values (dates as date cells and as “2026年10月5日”/“2026.10.5”/“10月5日”,
    counts as 1 / “3个” / “三”, contacts like “陈伟 13812345678”), 8 leaders, 18 villages, all
    dates in October 2026.  About 0.2 % of the rows carry a real mistake (blank required cell,
    unreadable date or count), as real ledgers do.

``province_month(folder, files, rows_per_file=40)``
    N small town files as a province office receives them in one month: title row,
    “填报单位：XX镇 填报时间：2026年11月3日” line, header, a 40-row table of one leader.  Town and
    leader names are unique across the whole province, so no file is a duplicate or a re-submission
    of another.  File names: ``附件3：XX镇领导挂点调研台账（10月）-姓名.xlsx``.

Generation is cached: each target gets a small manifest beside it
(``<name>.manifest.json``); when the target exists and the manifest matches the parameters,
nothing is written.  Output is deterministic (seeded ``random.Random``, fixed workbook dates).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import xlsxwriter

GEN_VERSION = 1
SEED = 20261031
YEAR, MONTH = 2026, 10
FILL_DATE = "2026年11月3日"
FIXED_CREATED = dt.datetime(2026, 11, 3, 9, 30, 0)

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"

HEADER = ["序号", "镇领导", "调研时间", "调研地点", "调研内容", "推动解决问题数量", "联系人及联系方式", "备注"]

# The big single ledger: 8 leaders of one town, 18 villages with their party secretaries.
TOWN = "平安镇"
LEADERS = ["洪文泽", "李明", "陈志强", "黄丽娟", "张国华", "刘晓燕", "林海峰", "吴建新"]
VILLAGES = [
    ("东坑村", "陈伟", "13812345678"), ("新塘社区", "黄志坚", "13729876543"),
    ("石龙村", "李国强", "13926781234"), ("下沙村", "何永红", "13502718866"),
    ("上围村", "钟建平", "13690125577"), ("塘尾村", "罗少华", "15013572468"),
    ("鹤岗村", "叶伟明", "15986423179"), ("白石村", "邱桂芳", "13714628390"),
    ("金竹村", "曾德胜", "18923456012"), ("长安社区", "温丽萍", "13829374615"),
    ("南岭村", "谢振东", "15807526631"), ("西湖村", "刘汉光", "13480913275"),
    ("大岭村", "赖志远", "18676540219"), ("龙田村", "古文华", "13922048751"),
    ("水口村", "彭建华", "15118836402"), ("高埔村", "朱锦荣", "13631187504"),
    ("横江村", "卢秀英", "17722659018"), ("凤凰社区", "许伟强", "13378205564"),
]
TOPICS = [
    "调研人居环境整治工作，实地查看村道两侧垃圾清理情况",
    "督导农房风貌管控，查看在建农房报建情况",
    "调研村集体经济发展，了解闲置厂房盘活和土地流转情况",
    "调研“四小园”建设和绿美乡村工作",
    "走访脱贫户和监测户，了解帮扶措施落实情况",
    "调研高标准农田建设及秋种备耕",
    "召开村“两委”座谈会，研究典型村创建工作",
    "检查森林防火和安全生产工作",
    "调研污水管网建设进度",
    "调研村级党群服务中心建设和使用情况",
    "调研村道硬底化及路灯安装项目",
    "调研河道清“四乱”和河长制落实情况",
    "调研农村集体“三资”管理情况",
    "调研特色产业（丝苗米）发展情况",
    "实地查看村庄规划编制和“三线”划定情况",
    "调研文明实践站活动开展情况",
]
DETAILS = ["", "", "", "，实地查看{n}处点位", "，走访农户{n}户", "，召开座谈会听取{n}名群众意见"]
NOTES = [""] * 6 + ["已整改到位", "需镇级协调", "持续跟进", "联合农业农村办调研"]
CN_NUM = "零一二三四五六七八九十"

# Name pools for the province: place-name characters, surnames, given-name characters.
PLACE_CHARS = ("东西南北新大小上下高石龙凤金银水山河江海平安长和兴福寿宝丰华泰永清青黄白沙田塘坑岭湖"
               "桥岗埔围洲峰林竹梅桂莲花松溪源泉口坪岩头冈横陂洞")
SURNAMES = ("陈李黄张梁刘林何罗郑吴谢钟叶杨曾邓冯赖周许蔡彭朱卢苏潘邱温廖古余方胡郭江肖严麦谭骆"
            "莫韦蒋黎庞欧徐孙马袁邹丘范侯汤邝")
GIVEN = ("文泽明志强丽娟国华晓燕海峰建新伟坚永红平少桂芳德胜萍振东汉光远锦荣秀英俊杰嘉怡美玲"
         "小婷子豪慧敏宇航雪梅立诚家辉惠玲勇斌晨阳思琪佳欣")
POSTS = ["党委书记", "镇长", "党委副书记", "人大主席", "副镇长", "党委委员", "武装部部长", "组织委员"]

OCT_DAYS = list(range(1, 32))
OCT_WORKDAYS = [d for d in OCT_DAYS if dt.date(YEAR, MONTH, d).weekday() < 5 and d >= 8]


# ----------------------------------------------------------------------------------- manifest

def _manifest_path(target: Path) -> Path:
    return target.parent / (target.name + ".manifest.json")


def _cached(target: Path, params: dict) -> bool:
    m = _manifest_path(target)
    if not target.exists() or not m.exists():
        return False
    try:
        return json.loads(m.read_text(encoding="utf-8")) == params
    except (OSError, ValueError):
        return False


def _write_manifest(target: Path, params: dict) -> None:
    _manifest_path(target).write_text(json.dumps(params, ensure_ascii=False, indent=1), encoding="utf-8")


# ----------------------------------------------------------------------------------- values

def fmt_date(rng: random.Random, day: int):
    """A visit date as people type it: a date cell or one of the usual text forms."""
    r = rng.random()
    if r < 0.40:
        return dt.datetime(YEAR, MONTH, day)
    if r < 0.65:
        return f"{YEAR}年{MONTH}月{day}日"
    if r < 0.80:
        return f"{YEAR}.{MONTH}.{day}"
    if r < 0.95:
        return f"{MONTH}月{day}日"
    end = min(day + 1, 31)
    return f"{MONTH}月{day}日-{end}日" if end != day else f"{MONTH}月{day}日"


def fmt_count(rng: random.Random, n: int):
    r = rng.random()
    if r < 0.60:
        return n
    if r < 0.85:
        return f"{n}个"
    return CN_NUM[n]


def fmt_contact(rng: random.Random, name: str, tel: str, village: str) -> str:
    r = rng.random()
    if r < 0.5:
        return f"{name} {tel}"
    if r < 0.75:
        return f"村支书{name} {tel}"
    if r < 0.9:
        return f"{name}（村支书）{tel}"
    return f"{village}党总支书记{name}，{tel}"


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "137", "135", "136", "150", "159", "189", "186", "177"]) + \
        f"{rng.randrange(10**8):08d}"


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "vcenter"}
        self.title = wb.add_format({"font_name": "方正小标宋简体", "font_size": 16, "align": "center"})
        self.info = wb.add_format({"font_name": "宋体", "font_size": 11})
        self.head = wb.add_format({**base, "bold": True, "align": "center", "font_name": "黑体"})
        self.cell = wb.add_format(base)
        self.center = wb.add_format({**base, "align": "center"})
        self.date = wb.add_format({**base, "align": "center", "num_format": 'yyyy"年"m"月"d"日"'})


def _put(ws, r: int, c: int, value, f: _Formats) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, f.cell)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, f.date)
    elif isinstance(value, int):
        ws.write_number(r, c, value, f.center)
    else:
        ws.write_string(r, c, value, f.cell)


def _workbook(path: Path) -> tuple[xlsxwriter.Workbook, _Formats]:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"author": "Administrator", "created": FIXED_CREATED})
    return wb, _Formats(wb)


# ----------------------------------------------------------------------------------- visits_ledger

def visits_ledger(path, rows: int, seed: int = SEED) -> Path:
    """Write one N-row 挂点调研台账 (cached by manifest). Returns the path."""
    path = Path(path)
    params = {"generator": "visits_ledger", "version": GEN_VERSION, "rows": rows, "seed": seed}
    if _cached(path, params):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.xlsx")
    rng = random.Random(seed)
    wb, f = _workbook(tmp)
    ws = wb.add_worksheet("挂点调研台账")
    for c, w in enumerate([8, 10, 16, 12, 40, 10, 26, 12]):
        ws.set_column(c, c, w)
    ws.merge_range(0, 0, 0, 7, f"2026年度{TOWN}领导开展‘百千万工程’工作挂点调研台账（10月）", f.title)
    for c, h in enumerate(HEADER):
        ws.write_string(1, c, h, f.head)
    random_ = rng.random
    for i in range(rows):
        r = i + 2
        leader = LEADERS[int(random_() * len(LEADERS))]
        village, secretary, tel = VILLAGES[int(random_() * len(VILLAGES))]
        day = OCT_DAYS[int(random_() * len(OCT_DAYS))]
        topic = TOPICS[int(random_() * len(TOPICS))] + \
            DETAILS[int(random_() * len(DETAILS))].format(n=1 + int(random_() * 30))
        date = fmt_date(rng, day)
        count = fmt_count(rng, int(random_() * 5))
        contact = fmt_contact(rng, secretary, tel, village)
        note = NOTES[int(random_() * len(NOTES))]
        bad = random_()
        if bad < 0.002:  # ~0.2 % real mistakes
            kind = int(bad * 1500)  # 0, 1 or 2
            if kind == 0:
                village = ""
            elif kind == 1:
                date = "十月中旬"
            else:
                count = "若干"
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, leader, f.center)
        _put(ws, r, 2, date, f)
        _put(ws, r, 3, village, f)
        ws.write_string(r, 4, topic, f.cell)
        _put(ws, r, 5, count, f)
        ws.write_string(r, 6, contact, f.cell)
        _put(ws, r, 7, note, f)
    wb.close()
    os.replace(tmp, path)
    _write_manifest(path, params)
    return path


# ----------------------------------------------------------------------------------- province_month

def _unique_names(rng: random.Random, n: int, make) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        name = make(rng, len(seen))
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _town_name(rng: random.Random, n_seen: int) -> str:
    k = 2 if n_seen < 2500 else 3  # 2-char names run short past a few thousand towns
    return "".join(rng.sample(PLACE_CHARS, k)) + "镇"


def _person_name(rng: random.Random, _n_seen: int) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def _write_town_file(job: tuple) -> None:
    path, town, leader, post, villages, rows, seed = job
    rng = random.Random(seed)
    wb, f = _workbook(Path(path))
    ws = wb.add_worksheet("Sheet1")
    for c, w in enumerate([6, 10, 16, 12, 40, 10, 26, 12]):
        ws.set_column(c, c, w)
    ws.merge_range(0, 0, 0, 7, f"2026年度{town}领导开展‘百千万工程’工作挂点调研台账", f.title)
    ws.merge_range(1, 0, 1, 7, f"填报单位：{town}党政办　　　　　　填报时间：{FILL_DATE}", f.info)
    for c, h in enumerate(HEADER):
        ws.write_string(2, c, h, f.head)
    seen = set()
    i = 0
    while i < rows:
        day = rng.choice(OCT_WORKDAYS)
        village, secretary, tel = villages[rng.randrange(len(villages))]
        topic = rng.choice(TOPICS)
        if (day, village, topic) in seen:
            continue
        seen.add((day, village, topic))
        r = 3 + i
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, leader, f.center)
        _put(ws, r, 2, fmt_date(rng, day), f)
        ws.write_string(r, 3, village, f.cell)
        ws.write_string(r, 4, topic, f.cell)
        _put(ws, r, 5, fmt_count(rng, rng.randrange(5)), f)
        ws.write_string(r, 6, fmt_contact(rng, secretary, tel, village), f.cell)
        _put(ws, r, 7, rng.choice(NOTES), f)
        i += 1
    ws.write_string(3 + rows + 1, 0, f"填报人：{leader}　　　　审核人：　　　　联系电话：{_phone(rng)}", f.info)
    wb.close()


def province_month(folder, files: int, rows_per_file: int = 40, seed: int = SEED,
                   workers: int | None = None) -> Path:
    """Write N town files of one month into `folder` (cached by manifest). Returns the folder."""
    folder = Path(folder)
    params = {"generator": "province_month", "version": GEN_VERSION, "files": files,
              "rows_per_file": rows_per_file, "seed": seed}
    if _cached(folder, params):
        return folder
    if folder.exists():
        shutil.rmtree(folder)  # only ever a folder this generator made under bench/data/
    _manifest_path(folder).unlink(missing_ok=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    towns = _unique_names(rng, files, _town_name)
    leaders = _unique_names(rng, files, _person_name)
    jobs = []
    for i, (town, leader) in enumerate(zip(towns, leaders)):
        stem = town[:-1]
        vnames = _unique_names(rng, 6, lambda r, _n: stem[0] + "".join(r.sample(PLACE_CHARS, 1)) +
                               r.choice(["村", "村", "村", "社区"]))
        villages = [(v, _person_name(rng, 0), _phone(rng)) for v in vnames]
        name = f"附件3：{town}领导挂点调研台账（10月）-{leader}.xlsx"
        jobs.append((str(folder / name), town, leader, rng.choice(POSTS), villages, rows_per_file,
                     seed * 100_003 + i))
    workers = workers or (min(2, os.cpu_count() or 1) if files >= 200 else 1)
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_write_town_file, jobs, chunksize=64))
    else:
        for job in jobs:
            _write_town_file(job)
    _write_manifest(folder, params)
    return folder


# ----------------------------------------------------------------------------------- standard sets

def label_rows(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows >= 1_000_000 else f"{rows // 1000}k"


def visits_path(rows: int) -> Path:
    return DATA / f"visits-{label_rows(rows)}.xlsx"


def province_path(files: int) -> Path:
    return DATA / f"province-{files}"


def sizes(quick: bool = False, full: bool = False) -> tuple[list[int], list[int]]:
    """(visits rows, province files) used by bench/run.py."""
    if quick:
        return [1_000, 10_000], [16, 160]
    rows = [1_000, 10_000, 100_000] + ([1_000_000] if full else [])
    files = [16, 160, 1_600] + ([16_000] if full else [])
    return rows, files


def ensure(rows: list[int], files: list[int], log=print) -> None:
    for n in rows:
        p = visits_path(n)
        t = time.perf_counter()
        fresh = not _cached(p, {"generator": "visits_ledger", "version": GEN_VERSION, "rows": n, "seed": SEED})
        visits_ledger(p, n)
        if fresh:
            log(f"generated {p.relative_to(BENCH.parent)} ({n:,} rows) in {time.perf_counter() - t:.1f}s")
    for n in files:
        p = province_path(n)
        t = time.perf_counter()
        params = {"generator": "province_month", "version": GEN_VERSION, "files": n, "rows_per_file": 40,
                  "seed": SEED}
        fresh = not _cached(p, params)
        province_month(p, n)
        if fresh:
            log(f"generated {p.relative_to(BENCH.parent)}/ ({n:,} files) in {time.perf_counter() - t:.1f}s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only the small sizes used by run.py --quick")
    ap.add_argument("--full", action="store_true", help="also 1M rows and 16,000 files")
    args = ap.parse_args(argv)
    rows, files = sizes(args.quick, args.full)
    ensure(rows, files)
    return 0


if __name__ == "__main__":
    sys.exit(main())

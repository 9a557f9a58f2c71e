"""The summaries' figures in words, shared by the 通报 and the 简报: the month's visits and their
pace against the yearly targets, the tasks' shares by state, units with overdue tasks and leaders
whose villages lag. Every number is a number of the summary's JSON (docs/documents.md, “数字从哪里来”).
"""

from __future__ import annotations

from bqw.core.periods import Period, PeriodKind
from bqw.documents.common import cn_date, pct, rate_text

STATUSES = ("达标", "序时推进", "滞后", "未开展")
BEHIND_STATUSES = ("滞后", "未开展")


def visits_sentences(v: dict) -> list[str]:
    """The month's visit figures, the pace against the yearly targets, unvisited villages, reminders."""
    t, tg = v["totals"], v["targets"]
    period = Period.parse(v["period"])
    year = period.end.year
    when = f"{period.number}月" if period.kind is PeriodKind.month else period.label  # “10月”, “2026年第三季度”
    ytd = ""
    if "ytd_visits" in t and (t["ytd_visits"], t.get("ytd_days")) != (t["visits"], t["days"]):
        ytd = f"；{year}年累计调研{t['ytd_visits']}次、{t['ytd_days']}天"
        if t.get("ytd_problems_solved"):  # not “推动解决问题0个”
            ytd += f"，推动解决问题{t['ytd_problems_solved']}个"
    if t["visits"]:
        solved = f"，推动解决问题{t['problems_solved']}个" if t["problems_solved"] else ""
        out = [f"{when}，{t['leaders']}名镇领导到{t['villages_visited']}个村（社区）开展挂点调研{t['visits']}次、"
               f"{t['days']}天{solved}{ytd}。"]
    else:  # a month with no visit reported (not “0名镇领导到0个村……”): the year's figures still stand
        so_far = (f"{year}年累计调研{t['ytd_visits']}次、{t['ytd_days']}天" if t.get("ytd_visits")
                  else f"{year}年尚无挂点调研记录")
        out = [f"{when}，未收到镇领导挂点调研记录；{so_far}。"]
    counts = status_counts(v)
    n = sum(counts.values())
    if n:
        pm = v.get("pace_month") or period.end.month
        # whole visits: a pace of 4.17 asks for at least 5 (the summary's own `pace`, else the same rule)
        pace = v.get("pace") or {"visits": -(-tg["visits"] * pm // 12), "days": -(-tg["days"] * pm // 12)}
        villages = t.get("assigned_villages") or n
        pairs = f"（{n}个挂点关系）" if n != villages else ""
        if v.get("target_unit") == "leader":  # bqw.toml [targets] unit = "leader": the target is each leader's
            out.append(f"对照每位镇领导每年调研不少于{tg['visits']}次、累计不少于{tg['days']}天的目标，"
                       f"按{pm}月序时进度每人应不少于{pace['visits']}次、{pace['days']}天。{n}名镇领导"
                       + tally_text(counts, n, "名", "中，") + "。")
        else:
            out.append(f"对照每位镇领导每年到每个挂点村调研不少于{tg['visits']}次、累计不少于{tg['days']}天的目标，"
                       f"按{pm}月序时进度每村应不少于{pace['visits']}次、{pace['days']}天。镇领导挂点联系村{villages}个{pairs}，"
                       + tally_text(counts, n, "个", "按挂点关系计，") + "。")
    if v.get("unvisited_villages"):
        names = v["unvisited_villages"]
        out.append(f"{year}年尚无镇领导调研的挂点村（社区）{len(names)}个：{'、'.join(names)}。")
    if v.get("not_submitted"):
        names = v["not_submitted"]
        out.append(f"{when}应报未报挂点调研台账的镇领导{len(names)}名：{'、'.join(names)}。")
    return out


def tally_text(counts: dict[str, int], n: int, measure: str, lead: str = "") -> str:
    """“达标3个、滞后1个” (zero counts left out, not “序时推进0个”); one state holding all n: “均已达标”
    (one: “已达标”). `lead` goes before a list, not before 均 (“3名镇领导中，达标1名…” / “3名镇领导均已达标”)."""
    whole = [k for k in STATUSES if counts.get(k, 0) == n]
    if whole:
        return ({"达标": "均已达标", "序时推进": "均按序时推进", "滞后": "均进度滞后", "未开展": "均未开展"} if n > 1 else
                {"达标": "已达标", "序时推进": "按序时推进", "滞后": "进度滞后", "未开展": "尚未开展"})[whole[0]]
    return lead + "、".join(f"{k}{counts[k]}{measure}" for k in STATUSES if counts.get(k))


def shares(x: dict, words: dict[str, str]) -> str:
    """“已完成6项，占40%；推进中6项，占40%；未启动3项，占20%。其中逾期未完成4项，占26.7%；超期完成2项。”
    — counts of the summary's totals with their share of all tasks; zero counts are left out. `words`
    names the categories (已完成 or 已办结 …). Said right for one and many: one state holding every item
    reads “均已完成” (one item: “已完成”), not “已完成3项，占100%”; none done reads “均未完成：推进中…”,
    not “已完成0项，占0%”. Empty ("") without tasks: the caller says there are none."""
    n = x["tasks"]
    if not n:
        return ""
    done, word = words["done"], words["completed"]
    main = [(word, x["completed"]), ("推进中", x["in_progress"]), ("未启动", x["not_started"])]
    whole = [w for w, c in main if c == n]
    if whole:
        if whole[0] == word and x["completed_late"] == n:
            text = ("均" if n > 1 else "") + f"超期{done}"
        else:
            text = ({word: "均" + word, "推进中": "均在推进中", "未启动": "均未启动"} if n > 1 else
                    {word: word, "推进中": "正在推进", "未启动": "尚未启动"})[whole[0]]
            if x["overdue"] == n:
                text += "，均已逾期" if n > 1 else "，已逾期"
            elif x["overdue"]:
                text += f"，其中逾期未{done}{x['overdue']}项"
            elif x["completed_late"]:
                text += f"，其中超期{done}{x['completed_late']}项"
        return text + "。"
    parts = [f"{w}{c}项，占{pct(c, n)}" for w, c in main if c]
    text = ("" if x["completed"] else f"均未{done}：") + "；".join(parts) + "。"
    if x["overdue"] == n:  # none done, every item overdue: not “其中逾期未完成4项，占100%”
        return text + f"{n}项均已逾期。"
    extra = []
    if x["overdue"]:
        extra.append(f"逾期未{done}{x['overdue']}项，占{pct(x['overdue'], n)}")
    if x["completed_late"]:
        extra.append(f"超期{done}{x['completed_late']}项")
    if extra:
        text += "其中" + "；".join(extra) + "。"
    return text


def units_text(total: int, per_unit: dict[str, int], what: str) -> str:
    """“3项任务尚未启动，涉及甲办1项、乙所2项。” — with one unit “乙所2项任务尚未启动。”, not “涉及乙所2项”
    again; `what` follows 任务 (“尚未启动”, “逾期未完成”)."""
    if len(per_unit) == 1:
        (unit, n), = per_unit.items()
        return f"{unit}{n}项任务{what}。"
    return f"{total}项任务{what}，涉及" + "、".join(f"{unit}{n}项" for unit, n in per_unit.items()) + "。"


def tasks_sentences(t: dict, as_of: str, noun: str = "问题整改及重点任务") -> list[str]:
    x = t["totals"]
    n = x["tasks"]
    if not n:  # not “……0项，截至…，已完成0项，占—”
        return [f"截至{cn_date(as_of)}，尚无纳入调度的{noun}。"]
    problems = f"（涉及问题{x['problems']}个）" if x.get("problems") else ""
    out = [f"纳入调度的{noun}{n}项{problems}，截至{cn_date(as_of)}，" +
           shares(x, {"completed": "已完成", "done": "完成"})]
    if x.get("problems"):
        out.append(rectified_sentence(x))
    sources = t.get("by_source") or {}
    if len(sources) > 1:
        out.append("按任务来源分：" + "、".join(f"{k}{v}项" for k, v in sources.items()) + "。")
    return out


def rectified_sentence(x: dict) -> str:
    """“问题整改完成率50%（2个问题中已整改1个）。”; none rectified: “涉及的2个问题均未整改到位。” (not 0%);
    all: “问题整改完成率100%（2个问题均已整改）。”."""
    p, done = x["problems"], x.get("problems_rectified")
    if done == 0:
        return f"涉及的{p}个问题均未整改到位。" if p > 1 else "涉及的问题尚未整改到位。"
    if done is None:
        detail = ""
    elif done == p:
        detail = f"（{p}个问题均已整改）" if p > 1 else "（该问题已整改）"
    else:
        detail = f"（{p}个问题中已整改{done}个）"
    return f"问题整改完成率{rate_text(x.get('rectification_rate'))}{detail}。"


def status_counts(v: dict) -> dict[str, int]:
    """Villages per pace status: the summary's status_counts, else counted from its leaders' villages."""
    if v.get("status_counts"):
        return dict(v["status_counts"])
    counts = {s: 0 for s in STATUSES}
    for leader in v.get("leaders") or []:
        for x in leader.get("villages") or []:
            if x.get("assigned", True) and x.get("status") in counts:
                counts[x["status"]] += 1
    return counts


def max_days(t: dict, u: dict) -> int:
    """A unit's longest overdue: the summary's max_overdue_days, else the longest of its overdue items."""
    if "max_overdue_days" in u:
        return u["max_overdue_days"]
    return max((o["days_overdue"] for o in t.get("overdue") or [] if o.get("unit") == u["unit"]), default=0)


def overdue_units(t: dict) -> list[dict]:
    """牵头单位 with overdue tasks, most first."""
    return sorted((u for u in t["units"] if u["overdue"]), key=lambda u: (-u["overdue"], -max_days(t, u)))


def late_days(n: int, days: int) -> str:
    """“逾期12天” for one item, “最长逾期12天” for several (not “最长” of one)."""
    return f"{'最长' if n > 1 else ''}逾期{days}天"


def overdue_sentence(t: dict) -> str:
    """“截至…，2个牵头单位的3项任务逾期未完成：甲办2项，最长逾期12天；乙所1项，逾期5天。”; one unit:
    “截至…，甲办2项任务逾期未完成，最长逾期12天。”."""
    units = overdue_units(t)
    head = f"截至{cn_date(t['as_of'])}，"
    if len(units) == 1:
        u = units[0]
        return head + f"{u['unit']}{u['overdue']}项任务逾期未完成，{late_days(u['overdue'], max_days(t, u))}。"
    return head + f"{len(units)}个牵头单位的{t['totals']['overdue']}项任务逾期未完成：" + "；".join(
        f"{u['unit']}{u['overdue']}项，{late_days(u['overdue'], max_days(t, u))}" for u in units) + "。"


def completion(x: dict) -> str:
    """The 办结率 of totals: the summary's completion_rate, else completed / tasks rounded alike."""
    if x.get("completion_rate") is not None:
        return rate_text(x["completion_rate"])
    return pct(x["completed"], x["tasks"])


def behind_leaders(v: dict) -> list[tuple[str, dict[str, int]]]:
    """Leaders with assigned villages 滞后 or 未开展: (leader, {status: villages})."""
    out = []
    for leader in v["leaders"]:
        counts: dict[str, int] = {}
        if "status" in leader:  # the target is the leader's (target_unit "leader"): the leader's own pace
            if leader["status"] in BEHIND_STATUSES:
                out.append((leader["leader"], {leader["status"]: 0}))
            continue
        for x in leader["villages"]:
            if x.get("assigned", True) and x["status"] in BEHIND_STATUSES:
                counts[x["status"]] = counts.get(x["status"], 0) + 1
        if counts:
            out.append((leader["leader"], counts))
    return out


def leader_text(name: str, counts: dict[str, int]) -> str:
    """“陈志强（滞后1个村）”; a leader judged as a whole (no village count): “陈志强（滞后）”."""
    return f"{name}（" + "、".join(f"{k}{n}个村" if n else k for k, n in counts.items()) + "）"

"""The year's and the quarter's 通报 (docs/documents.md): 年度考评通报 (`--type 年度`, from the evaluation
summary) and 季度推进情况通报 (`--type 季度`, from the progress summary), written with the same gongwen
helpers as bqw.documents.tongbao. Every number is a number of those summaries' JSON.

The 考评结果建议 is a proposal: seed 001 第十四条 has the office form “结果建议” and the 指挥部 decide
(“报请指挥部审定后……通报”), so the document submits it for decision and never announces it as decided.
"""

from __future__ import annotations

from datetime import date

from bqw.documents import numbering as N
from bqw.documents import tongbao as T
from bqw.documents.build import Planned
from bqw.documents.common import WE, cn_date, num, rate_text, template_for, tongbao_settings
from bqw.documents.figures import behind_leaders, leader_text
from bqw.documents.gongwen import Table
from bqw.documents.source import NoData

ANNUAL, QUARTERLY = "年度", "季度"
TYPES = (ANNUAL, QUARTERLY)
PROPOSALS = ("表扬", "约谈", "挂牌整治")


def annual_title(cfg, e: dict) -> str:
    return f"关于{cfg.town}{e['period_start'][:4]}年度“百千万工程”考核评价情况的通报"


def quarterly_title(cfg, p: dict) -> str:
    return f"关于{cfg.town}{p['period_label']}“百千万工程”推进情况的通报"


# --- sentences -------------------------------------------------------------------------------------

def leaders_sentence(e: dict) -> str:
    x, r = e["totals"], e["rules"]
    per = "每个挂点村" if r["target_unit"] == "village" else "每位镇领导"
    head = f"对照{per}每年调研不少于{r['target_visits']}次、累计不少于{r['target_days']}天的目标，"
    if not x["leaders"]:
        return head + "本年度没有挂点调研记录。"
    failed = [v["leader"] for v in e["leaders"] if v["passed"] is False]
    one = x["leaders"] == 1  # “1名镇领导已达标”, not “均已达标”
    if not failed:
        return head + f"{x['leaders']}名镇领导{'' if one else '均'}已达标。"
    if len(failed) == x["leaders"]:
        return head + f"{x['leaders']}名镇领导{'' if one else '均'}未达标。"
    return head + f"{x['leaders']}名镇领导中{x['leaders_passed']}名达标，{len(failed)}名未达标（{'、'.join(failed)}）。"


def tasks_sentence(e: dict) -> str:
    x = e["totals"]
    if not x["tasks"]:
        return "本年度台账中没有牵头任务。"
    n = x["tasks"]
    counts = {"按时完成": x["on_time"], "超期完成": x["late"], "逾期未完成": x["overdue"], "未到期在办": x["pending"]}
    head = f"{x['units']}个牵头单位{'共' if n > 1 else ''}牵头{n}项任务，"
    whole = [k for k, c in counts.items() if c == n]
    if whole:  # not “共牵头1项任务，其中按时完成1项”
        return head + ("均" if n > 1 else "") + whole[0] + "。"
    return head + "其中" + "，".join(f"{k}{c}项" for k, c in counts.items() if c) + "。"


def villages_sentence(e: dict) -> str:
    villages = e["villages"]
    if not villages:
        return "本年度没有典型村评价记录。"
    ranked = [v for v in villages if v["rank"] is not None]
    text = f"参加评价的典型村{len(villages)}个"
    if len(ranked) == 1 and len(villages) == 1:  # “排名第一” of one reads oddly
        text += f"，{ranked[0]['village']}得{num(ranked[0]['total'])}分"
    elif ranked:
        top = [v["village"] for v in ranked if v["rank"] == 1]
        text += f"，{'、'.join(top)}{'并列' if len(top) > 1 else '排名'}第一（{num(ranked[0]['total'])}分）"
    vetoed = [v for v in villages if v["veto"]]
    if vetoed:
        text += "；" + "；".join(f"{v['village']}{veto_text(v)}，一票否决，不予排名" for v in vetoed)
    return text + "。"


def veto_text(v: dict) -> str:
    """“触及负面清单第3项（违反……要求）”, or “触及负面清单” when the item is not known."""
    items = [r.replace("：", "（", 1) + "）" if "：" in r else r for r in v["veto_reasons"]]
    return "触及" + ("、".join(items) if items else "负面清单")


def proposal_sentence(e: dict) -> str:
    rows = e["proposals"]
    if not rows:
        return "按上述标准，本年度没有达到建议表扬、约谈或挂牌整治条件的单位。"
    groups = [(p, [x["unit"] for x in rows if x["proposal"] == p]) for p in PROPOSALS]
    return "建议" + "；".join(f"{p}{'、'.join(units)}" for p, units in groups if units) + "。"


# --- tables ------------------------------------------------------------------------------------

def leaders_table(e: dict) -> Table:
    rows, per_village = [], e["rules"]["target_unit"] == "village"
    for x in e["leaders"]:
        word = "—" if x["passed"] is None else "达标" if x["passed"] else "未达标"
        if per_village:
            for v in x["villages"]:
                rows.append([len(rows) + 1, x["leader"], v["village"], v["visits"], v["days"],
                             "达标" if v["passed"] else "未达标"])
        else:
            rows.append([len(rows) + 1, x["leader"], "、".join(v["village"] for v in x["villages"]), x["visits"],
                         x["days"], word])
    return Table(["序号", "镇领导", "挂点村", "调研次数", "调研天数", "考评结果"], rows, [12, 24, 44, 25, 25, 26],
                 "cclccc")


def units_table(e: dict) -> Table:
    rows = [[i, u["unit"], u["role"], u["tasks"], u["on_time"], u["late"], u["overdue"],
             rate_text(u["rectification_rate"])] for i, u in enumerate(e["units"], 1)]
    return Table(["序号", "单位", "类别", "任务数", "按时完成", "超期完成", "逾期未完成", "整改完成率"], rows,
                 [11, 33, 22, 15, 18, 18, 19, 20], "clcccccc")


def villages_table(e: dict) -> Table:
    rows = [["不予排名" if v["rank"] is None else v["rank"], v["village"], num(v["total"] or 0),
             "；".join(v["veto_reasons"]) if v["veto"] else ("达标" if v["reaches_standard"] else "未达标")]
            for v in e["villages"]]
    return Table(["排名", "村（社区）", "总分", "评价结果"], rows, [22, 30, 20, 84], "cccl")


def proposals_table(e: dict) -> Table:
    rows = [[i, x["unit"], f"建议{x['proposal']}", "；".join(x["reasons"])] for i, x in enumerate(e["proposals"], 1)]
    return Table(["序号", "单位", "考评结果建议", "理由"], rows, [12, 32, 28, 84], "cccl")


# --- 年度考评通报 -----------------------------------------------------------------------------------

def annual(cfg, e: dict, *, number: int, day: date, template=None):
    """年度考评通报: 一、基本情况 二、各单位任务落实情况 三、典型村评价情况 四、考评结果建议 五、下步工作要求;
    附件 the tables, the last the proposal (报镇指挥部审定)."""
    s = tongbao_settings(cfg)
    r, year = e["rules"], e["period_start"][:4]
    w = T._start(cfg, number, template, annual_title(cfg, e), s.to)
    w.body(f"按照“周调度、月通报、季推进、年考评”的调度工作机制，{WE}对{year}年度镇领导挂点联系、各单位任务落实和"
           f"典型村创建情况进行了考核评价（数据截至{cn_date(e['as_of'])}）。现将有关情况通报如下：")
    annexes = [("镇领导挂点调研考评表", leaders_table(e))]
    if e["units"]:
        annexes.append(("各单位任务完成情况表", units_table(e)))
    if e["villages"]:
        annexes.append(("典型村评价排名表", villages_table(e)))
    if e["units"]:
        annexes.append(("考评结果建议表（报镇指挥部审定）", proposals_table(e)))
    see = {title: f"（详见附件{i}）" for i, (title, _t) in enumerate(annexes, 1)}
    o = T.Outline(w)
    o.h1("基本情况")
    o.h2("挂点调研情况。", leaders_sentence(e)[:-1] + see["镇领导挂点调研考评表"] + "。")
    o.h2("任务落实情况。", tasks_sentence(e))
    if e["units"]:
        o.h1("各单位任务落实情况")
        late = [u for u in e["units"] if u["role"] == "牵头单位" and u["overdue"]]
        text = ("、".join(f"{u['unit']}{u['overdue']}项" for u in late) + "逾期未完成" if late
                else "各牵头单位均没有逾期未完成的任务")
        w.body(f"整改完成率按各单位自身承担的事项计算。截至{cn_date(e['as_of'])}，{text}"
               + see["各单位任务完成情况表"] + "。")
    if e["villages"]:
        o.h1("典型村评价情况")
        w.body(villages_sentence(e)[:-1] + see["典型村评价排名表"] + "。")
    if e["units"]:
        o.h1("考评结果建议")
        w.body(f"依据整改完成率和逾期情况：整改完成率不低于{num(r['praise_rate'])}%且无逾期事项的，建议表扬；"
               f"低于{num(r['interview_rate'])}%或有事项逾期满{r['interview_days']}天的，建议约谈；"
               f"低于{num(r['listing_rate'])}%或连续{r['listing_months']}个月末有逾期事项的，建议挂牌整治。"
               + proposal_sentence(e)[:-1] + see["考评结果建议表（报镇指挥部审定）"] + "。以上建议报镇指挥部审定。")
    o.h1("下步工作要求")
    o.h3("抓好问题整改。", "各单位要对照考评结果，对逾期未完成的事项逐项明确整改措施、责任人和完成时限，确保按期办结。")
    o.h3("压实挂点责任。", "各挂点镇领导要对照年度目标，合理安排挂点调研，推动解决挂点村实际问题。")
    o.h3("加强跟踪问效。", f"{WE}将继续按照“周调度、月通报、季推进、年考评”机制跟踪督办，考评结果经镇指挥部审定后另行通报。")
    T._finish(cfg, w, day, annexes)
    return w


# --- 季度推进情况通报 --------------------------------------------------------------------------------

def trend_table(p: dict) -> Table:
    rows = [[f"{m['month']}月", m["visits"], m["ytd_visits"], "" if m["tasks_done"] is None else m["tasks_done"],
             "" if m["overdue"] is None else m["overdue"]] for m in p["months"]]
    return Table(["月份", "调研次数", "累计调研次数", "办结任务数", "月末逾期未办结"], rows, [24, 30, 34, 34, 34],
                 "ccccc")


def quarterly(cfg, p: dict, visits: dict | None, *, number: int, day: date, template=None):
    """季度推进情况通报: 一、总体情况 二、逐月推进情况 三、存在问题 四、下步工作要求; 附件 the trend table."""
    from bqw.summary.progress import progress_sentences

    s = tongbao_settings(cfg)
    w = T._start(cfg, number, template, quarterly_title(cfg, p), s.to)
    w.body(f"按照“周调度、月通报、季推进、年考评”的调度工作机制，{WE}对{p['period_label']}“百千万工程”推进情况进行了调度"
           f"（数据截至{cn_date(p['as_of'])}）。现将有关情况通报如下：")
    sentences = progress_sentences(p)
    trend = [x for x in sentences if x.startswith("逐月看：")]
    o = T.Outline(w)
    o.h1("总体情况")
    w.body("".join(x for x in sentences if x not in trend) or "本期没有挂点调研和任务台账数据。")
    o.h1("逐月推进情况")
    w.body((trend[0][len("逐月看："):-1] if trend else "本期没有逐月数据") + "（详见附件）。")
    o.h1("存在问题")
    problems = 0
    x = p["totals"]
    if x["overdue_end"]:
        end = "季末" if p["period_kind"] == "quarter" else "期末"
        o.h2("部分任务逾期未办结。", f"截至{end}，仍有{x['overdue_end']}项任务逾期未办结。")
        problems += 1
    behind = behind_leaders(visits) if visits else []
    if behind:
        o.h2("部分挂点调研进度滞后。", f"对照序时进度，{len(behind)}名镇领导有挂点村调研滞后或尚未开展："
             + "、".join(leader_text(name, c) for name, c in behind) + "。")
        problems += 1
    if not problems:
        w.body("本期未发现逾期未办结和调研进度滞后的情况。")
    o.h1("下步工作要求")
    o.h3("对标年度目标。", "各单位、各挂点镇领导要对照全年目标和序时进度查漏补缺，确保年度任务按期完成。")
    o.h3("加快推进逾期事项。", f"各牵头单位要对逾期未办结事项逐项明确措施和时限，于{cn_date(T._reply_date(cfg, day))}前"
         f"将推进情况书面报送{s.issuer}。")
    T._finish(cfg, w, day, [(f"{p['period_label']}逐月推进情况表", trend_table(p))])
    return w


# --- planning ----------------------------------------------------------------------------------

def plan(cfg, found: dict, kind: str, *, day: date) -> list[Planned]:
    """The 年度 or 季度 通报 from the summaries of a year or quarter (bqw.jobs.data.summaries); NoData when
    the period is of the wrong kind or the archive holds nothing for it."""
    template = template_for(cfg, "tongbao")
    if kind == ANNUAL:
        e = found.get("evaluation")
        if e is None:
            raise NoData("年度考评通报要用年度期间（如 --period 2026），且归档中要有当年的挂点调研或问题整改台账")
        e = e.to_json()
        return [Planned(kind, N.TONGBAO, f"年度:{e['period']}", annual_title(cfg, e),
                        f"年度考评通报（{e['period_label']}）.docx",
                        lambda n: annual(cfg, e, number=n, day=day, template=template))]
    if kind == QUARTERLY:
        p = found.get("progress")
        if p is None:
            raise NoData("季度推进情况通报要用季度期间（如 --period 2026-Q3），且归档中要有当年的挂点调研或问题整改台账")
        p = p.to_json()
        v = found["visits"].to_json() if "visits" in found else None
        return [Planned(kind, N.TONGBAO, f"季度:{p['period']}", quarterly_title(cfg, p),
                        f"季度推进情况通报（{p['period_label']}）.docx",
                        lambda n: quarterly(cfg, p, v, number=n, day=day, template=template))]
    raise ValueError(kind)

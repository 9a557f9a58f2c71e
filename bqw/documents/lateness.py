"""The 通报's sentences and table on lateness: late and missing reports (台账报送不及时, from the
reporting summary), the escalation step of overdue tasks (督办、约谈、挂牌), and tasks that wait for
other work (not criticised before their deadline). docs/summaries.md, “报送时限与催报”, “逾期升级”.
Each sentence is said right for one and for many items.
"""

from __future__ import annotations

from datetime import date

from bqw.documents.common import md
from bqw.documents.gongwen import Table

REPORTING_ANNEX = "台账报送情况表"
KIND_NAMES = {"visits": "挂点调研台账", "tasks": "问题整改台账"}
KIND_ORDER = {"visits": 0, "tasks": 1}  # the leaders' reports first, then the units'
# what each step means for the unit, in the order of gravity (bqw.summary.tasks: 挂牌, 约谈, 督办)
STEP_WORDS = {"挂牌": "列入挂牌督办", "约谈": "约谈有关负责同志", "督办": "发函督办"}


def _names(items: list[str]) -> str:
    return "、".join(items)


def reporting_sentences(r: dict) -> str:
    """“10月挂点调研台账应于11月2日前报送，李明（逾期3天）逾期报送，王强至今未报送。全年累计，王强未报送2次。”,
    one sentence for each kind and month of the period with a late or missing report (a quarter's
    通报 speaks of each of its months); "" when every report came on time and no one is late or
    missing again and again."""
    out = []
    groups: dict[tuple, list[dict]] = {}
    for x in r["reports"]:
        groups.setdefault((x.get("period") or "", KIND_ORDER.get(x["kind"], 9), x["kind"]), []).append(x)
    for (period, _order, kind), rows in sorted(groups.items()):
        late = [f"{x['submitter']}（逾期{x['days_late']}天）" for x in rows if x["status"] == "逾期报送"]
        missing = [x["submitter"] for x in rows if x["status"] == "未报送"]
        if not late and not missing:
            continue
        due = rows[0].get("due") or (r.get("due") or {}).get(kind)
        parts = ([f"{_names(late)}逾期报送"] if late else []) + ([f"{_names(missing)}至今未报送"] if missing else [])
        month = f"{int(period[5:7])}月" if len(period) == 7 else ""
        out.append(f"{month}{KIND_NAMES.get(kind, '台账')}应于{md(date.fromisoformat(due).isoformat())}前报送，"
                   + "，".join(parts) + "。")
    repeated = [f"{x['submitter']}{x['text'].removeprefix('全年')}" for x in r.get("repeated") or []]
    if repeated:
        out.append("全年累计，" + "；".join(repeated) + "。")
    return "".join(out)


def reporting_table(r: dict) -> Table:
    """The attachment: each submitter, this period's report and the year's counts."""
    year = {(x["kind"], x["submitter"]): x for x in r.get("year") or []}
    rows = []
    for i, x in enumerate(r["reports"], 1):
        y = year.get((x["kind"], x["submitter"]), {})
        arrived = md(x["arrived"]) if x["arrived"] else ""
        rows.append([i, x["submitter"], KIND_NAMES.get(x["kind"], x["kind"]), x["status"], arrived,
                     x["days_late"] or "", y.get("late", 0), y.get("missing", 0)])
    return Table(["序号", "报送人（单位）", "台账", "本期报送情况", "报送日期", "逾期天数", "全年逾期报送次数",
                  "全年未报送次数"], rows, [11, 24, 26, 22, 18, 14, 19, 19], "cccccccc")


def escalation_sentence(overdue: list[dict]) -> str:
    """“按照逾期事项升级督办规定，RW-03（连续3个月月底逾期未办结）列入挂牌督办；RW-01（逾期30天）约谈有关负责同志。”;
    "" when no task has reached a step."""
    groups = []
    for step, words in STEP_WORDS.items():
        items = [x for x in overdue if x.get("step") == step]
        if not items:
            continue
        detail = [f"{x['task_id']}（连续{x['months_overdue']}个月月底逾期未办结）" if step == "挂牌"
                  else f"{x['task_id']}（逾期{x['days_overdue']}天）" for x in items]
        groups.append(f"{_names(detail)}{words}")
    return "按照逾期事项升级督办规定，" + "；".join(groups) + "。" if groups else ""


def waiting_sentence(n: int) -> str:
    """The unit's tasks waiting for other work, said once (they are not criticised before their deadline)."""
    what = "该事项" if n == 1 else f"这{n}项事项"
    return (f"另有{n}项事项须待前序工作完成后实施，尚未到完成时限，{what}暂不列为问题，"
            "请做好前期准备，前序工作完成后及时启动。")


def lagging_not_started(t: dict | None) -> dict[str, int]:
    """Units' 未启动 tasks that count as lagging: those waiting for other work (not yet due) left out."""
    if not t:
        return {}
    waiting: dict[str, int] = {}
    for x in t.get("waiting") or []:
        if x.get("status") == "未启动":
            waiting[x["unit"]] = waiting.get(x["unit"], 0) + 1
    out = {u["unit"]: u["not_started"] - waiting.get(u["unit"], 0) for u in t["units"]}
    return {unit: n for unit, n in out.items() if n > 0}

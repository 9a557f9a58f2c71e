"""The 工作简报 (docs/documents.md): 报头, 报核 filled from the summaries plus the staff's notes, 报尾.

报头: the 简报 name in red, 第N期 (增刊第N期), 编印单位 and date over a red rule. 报核: the article
title, then 一、工作动态 二、进展情况 三、存在问题 四、下步工作 — each with the summaries' figures,
followed by what the notes file says under the same heading (## 工作动态 …). 报尾: 报/送/发 and
（共印N份） from [jianbao] in bqw.toml, at the foot of the last page.

No chart is drawn: bqw has no plotting library at run time. A picture (for example a chart
copied from the 统计表 workbook) can be placed with ``![图注](图片.png)`` in the notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bqw.documents.common import WE, JianbaoSettings, cn_date, int_of, jianbao_settings, text_of
from bqw.documents.figures import (behind_leaders, overdue_units, status_counts, tasks_sentences, units_text,
                                   visits_sentences)
from bqw.documents.gongwen import THIN, RecordLine, Writer
from bqw.documents.lateness import lagging_not_started
from bqw.documents.source import this_period

SECTIONS = ("工作动态", "进展情况", "存在问题", "下步工作")
ALIASES = {"动态": "工作动态", "工作开展情况": "工作动态", "主要做法": "工作动态", "工作进展": "进展情况",
           "推进情况": "进展情况", "进展": "进展情况", "问题": "存在问题", "存在的问题": "存在问题",
           "困难和问题": "存在问题", "下一步工作": "下步工作", "下步工作打算": "下步工作", "下步计划": "下步工作",
           "下一步工作打算": "下步工作", "下步工作安排": "下步工作"}
EDITOR_NOTE, LEAD = "编者按", ""
HIGHLIGHTS = 3


class NotesError(Exception):
    """A notes file that cannot be read (a usage error for the CLI)."""


@dataclass
class Block:
    kind: str  # "p" paragraph | "h" sub-heading | "img" picture
    text: str
    path: Path | None = None


@dataclass
class Notes:
    title: str | None = None
    sections: dict[str, list[Block]] = field(default_factory=dict)  # section name -> blocks, in file order

    def get(self, name: str) -> list[Block]:
        return self.sections.get(name, [])

    def extra(self) -> list[str]:
        """Sections other than the four standard ones, the 编者按 and the lead."""
        return [k for k in self.sections if k not in (*SECTIONS, EDITOR_NOTE, LEAD)]


def _plain(text: str) -> str:
    """Markdown emphasis and code marks removed."""
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return text.strip()


def parse_notes(text: str, base: Path | None = None) -> Notes:
    """Markdown or plain text: ``# 标题``; ``## 工作动态`` (进展情况 / 存在问题 / 下步工作 / 编者按 or
    any other name) starts a section; ``###`` a sub-heading; a blank line ends a paragraph; list
    items (``-``, ``*``, ``1.``) are paragraphs of their own; ``![图注](file.png)`` a picture.
    Text before the first ``##`` is a lead paragraph under the title."""
    notes = Notes()
    current = LEAD
    buf: list[str] = []

    def flush():
        if buf:
            para = _plain("".join(x.strip() for x in buf))
            if para:
                notes.sections.setdefault(current, []).append(Block("p", para))
            buf.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line or re.fullmatch(r"[-*_]{3,}", line):
            flush()
            continue
        m = re.match(r"^(#{1,6})\s*(.+?)\s*#*$", line)
        if m:
            flush()
            level, head = len(m.group(1)), _plain(m.group(2))
            if level == 1:
                notes.title = head
            elif level == 2:
                name = re.sub(r"^[一二三四五六七八九十]+[、.．]\s*", "", head).rstrip("：:")
                current = ALIASES.get(name, name)
                notes.sections.setdefault(current, [])
            else:
                notes.sections.setdefault(current, []).append(
                    Block("h", re.sub(r"^[（(][一二三四五六七八九十]+[)）]\s*", "", head).rstrip("。")))
            continue
        m = re.fullmatch(r"!\[([^\]]*)\]\(([^)]+)\)", line)
        if m:
            flush()
            path = Path(m.group(2).strip())
            if base is not None and not path.is_absolute():
                path = base / path
            notes.sections.setdefault(current, []).append(Block("img", m.group(1).strip(), path))
            continue
        m = re.match(r"^(?:[-*+]\s+|(\d+)[.、．)）](?!\d)\s*)(.*)$", line)
        if m and (m.group(1) is None or line[len(m.group(1)):][:1] in ".、．)）"):
            flush()
            buf.append(f"{m.group(1)}.{m.group(2)}" if m.group(1) else m.group(2))  # 1. keeps its number
            flush()
            continue
        buf.append(line)
    flush()
    return notes


def read_notes(path: Path) -> Notes:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise NotesError(f"无法读取素材文件 {path}：{e.strerror or e}") from e
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise NotesError(f"素材文件 {path} 不是文本文件（请保存为 UTF-8 编码的 .md 或 .txt）")
    notes = parse_notes(text, path.parent)
    for blocks in notes.sections.values():
        for b in blocks:
            if b.kind == "img" and (b.path is None or not b.path.is_file()):
                raise NotesError(f"素材文件 {path} 引用的图片 {b.path} 不存在")
    return notes


# --- content --------------------------------------------------------------------------------------

def issue_label(number: int, supplement: bool) -> str:
    return f"增刊第{number}期" if supplement else f"第{number}期"


def title_of(cfg, src, notes: Notes | None) -> str:
    if notes is not None and notes.title:
        return notes.title
    return f"{cfg.town}{src.label}“百千万工程”工作情况"


def highlights(src, limit: int = HIGHLIGHTS) -> list[str]:
    """Sentences from the month's 调研成效: the visits that solved most, one per leader."""
    frame = src.visit_rows
    if frame is None or "调研成效" not in frame:
        return []
    rows = [r for r in frame.to_dict("records") if text_of(r.get("调研成效")) and text_of(r.get("镇领导"))]
    rows.sort(key=lambda r: (-(int_of(r.get("推动解决问题数量")) or 0), text_of(r.get("调研时间"))))
    out, seen = [], set()
    for r in rows:
        leader = text_of(r.get("镇领导"))
        if leader in seen:
            continue
        seen.add(leader)
        where = text_of(r.get("调研地点")) or "挂点村"  # not “到调研”
        what = re.sub(r"^(调研|了解|走访)", "", text_of(r.get("调研内容"))).rstrip("。；;，,.")
        # the printed 附件3 splits 调研成效 into “推动xx村解决问题x个：” and the items; read as one text they are
        # joined by “；”, which after a colon reads wrong (“解决问题4个：；1.…”)
        effect = re.sub(r"([：:])\s*；", r"\1", text_of(r.get("调研成效"))).rstrip("。；;，,.")
        out.append(f"{leader}同志到{where}调研{what}，{effect}。" if what else f"{leader}同志到{where}调研，{effect}。")
        if len(out) >= limit:
            break
    return out


def problems_sentences(src) -> list[tuple[str, str]]:
    """(heading, text) of what lags, from the summaries."""
    out = []
    t, v = src.tasks, src.visits
    if t is not None and t["totals"]["overdue"]:
        units = {u["unit"]: u["overdue"] for u in overdue_units(t)}
        out.append(("部分任务逾期未完成。", f"截至{cn_date(t['as_of'])}，"
                    + units_text(t["totals"]["overdue"], units, "逾期未完成")))
    idle = lagging_not_started(t)  # as the 进展通报: a task waiting for other work, not yet due, does not lag
    if idle:
        out.append(("部分任务尚未启动。", units_text(sum(idle.values()), idle, "尚未启动")))
    if v is not None:
        behind = behind_leaders(v)
        if behind:
            out.append(("部分挂点调研进度滞后。", f"对照序时进度，{len(behind)}名镇领导有挂点村调研滞后或尚未开展。"))
        if v.get("unvisited_villages"):
            names = v["unvisited_villages"]
            out.append(("个别挂点村尚未调研。", f"{src.year}年尚无镇领导调研的挂点村（社区）{len(names)}个："
                        f"{'、'.join(names)}。"))
        if v.get("not_submitted"):
            out.append(("台账报送不及时。", f"{'、'.join(v['not_submitted'])}未按时报送{src.ledgers_of}挂点调研台账。"))
    return out


def build(cfg, src, *, number: int, day: date, notes: Notes | None = None, supplement: bool = False,
          template=None) -> Writer:
    """One 简报 issue."""
    if src.visits is None and src.tasks is None:
        raise ValueError("no data")
    s = jianbao_settings(cfg)
    notes = notes or Notes()
    w = Writer("jianbao", template)
    w.fill_head({"简报名称": s.name, "期号": issue_label(number, supplement), "编印单位": s.editor,
                 "日期": cn_date(day)})
    w.blank()
    _editor_note(w, notes)
    w.title(title_of(cfg, src, notes), "jb_title")
    w.blank()
    _blocks(w, notes.get(LEAD))

    v, t = src.visits, src.tasks
    n1 = 0

    def h1(name: str) -> None:
        nonlocal n1
        n1 += 1
        w.heading(1, f"{'一二三四五六七八九十'[n1 - 1] if n1 <= 10 else n1}、{name}")

    # 一、工作动态
    h1("工作动态")
    if v is not None:
        w.body(visits_sentences(v)[0])
        for sentence in highlights(src):
            w.body(sentence)
    elif not notes.get("工作动态"):
        w.body(f"{this_period(src.period)}{WE}持续推进“百千万工程”各项工作。")
    _blocks(w, notes.get("工作动态"))

    # 二、进展情况
    h1("进展情况")
    if t is not None:
        w.body("".join(tasks_sentences(t, t["as_of"])))
    if v is not None and len(visits_sentences(v)) > 1 and sum(status_counts(v).values()):
        w.body(visits_sentences(v)[1])
    _blocks(w, notes.get("进展情况"))

    # 三、存在问题
    h1("存在问题")
    found = problems_sentences(src)
    for i, (head, text) in enumerate(found, 1):
        w.heading(2, f"（{'一二三四五六七八九十'[i - 1] if i <= 10 else i}）{head}", text)
    if not found and not notes.get("存在问题"):
        w.body("本期未发现逾期未完成、未启动和调研进度滞后的情况。")
    _blocks(w, notes.get("存在问题"))

    for name in notes.extra():
        h1(name)
        _blocks(w, notes.get(name))

    # 四、下步工作
    h1("下步工作")
    if notes.get("下步工作"):
        _blocks(w, notes.get("下步工作"))
    else:
        _next_steps(w, v, t)
    _tail(w, s)
    return w


def _editor_note(w: Writer, notes: Notes) -> None:
    """编者按 before the title: “编者按：” in 黑体, the note in 楷体."""
    if not notes.get(EDITOR_NOTE):
        return
    p = w.p("body")
    w.run(p, "编者按：", "h1")
    first, *rest = [b for b in notes.get(EDITOR_NOTE) if b.kind == "p"] or [Block("p", "")]
    w.run(p, first.text, "jb_note_head")
    for b in rest:
        w.p("jb_note_head", b.text)
    w.blank()


def _next_steps(w: Writer, v: dict | None, t: dict | None) -> None:
    """四、下步工作 when the notes say nothing under it: one item per kind of data, then 调度通报."""
    items = []
    if t is not None:
        items.append(("紧盯逾期事项。", "督促各牵头单位对逾期和未启动事项逐项销号，按时反馈整改情况。"))
    if v is not None:
        items.append(("压实挂点责任。", "推动各挂点镇领导对照年度目标和序时进度开展调研，帮助挂点村解决实际问题。"))
    items.append(("加强调度通报。", "按月调度各项工作进展，及时通报推进情况，推动“百千万工程”各项任务落地见效。"))
    for i, (head, text) in enumerate(items, 1):
        w.heading(3, f"{i}.{head}", text)


def _tail(w: Writer, s: JianbaoSettings) -> None:
    """报尾 from [jianbao]: 报/送/发 lines, then 签发/审核/编辑 and （共印N份）; nothing when none is set."""
    rows: list[RecordLine | str] = []
    for label, who in (("报", s.bao), ("送", s.song), ("发", s.fa)):
        if who:
            rows.append(RecordLine(f"{label}：{'，'.join(who)}。"))
    people = "　".join(f"{k}：{x}" for k, x in (("签发", s.signer), ("审核", s.reviewer), ("编辑", s.compiler)) if x)
    copies = f"（共印{s.copies}份）" if s.copies else ""
    if people or copies:
        if rows:
            rows.append(THIN)
        rows.append(RecordLine(people, copies))
    if rows:
        w.record(rows)


def _blocks(w: Writer, blocks: list[Block]) -> None:
    n2 = 0
    for b in blocks:
        if b.kind == "p":
            w.body(b.text)
        elif b.kind == "h":
            n2 += 1
            w.heading(2, f"（{'一二三四五六七八九十'[n2 - 1] if n2 <= 10 else n2}）{b.text}")
        elif b.kind == "img":
            w.picture(b.path, b.text or None)


def key(src, supplement: bool, notes_path: Path | None) -> str:
    """The numbering key of an issue: one regular issue per period; a 增刊 per period and notes file."""
    if supplement:
        return f"增刊:{src.period}:{Path(notes_path).stem if notes_path else '-'}"
    return f"简报:{src.period}"


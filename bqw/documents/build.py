"""Which documents to write, their numbers and file names, and writing them (CLI and `bqw run`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from bqw.documents import meetings as M
from bqw.documents import numbering as N
from bqw.documents import tongbao as T
from bqw.documents.common import template_for
from bqw.documents.source import NoData, Source


@dataclass
class Planned:
    kind: str  # 进展 | 问题 | 议定 | 简报
    series: str  # numbering series
    key: str  # the document in that series (keeps its number when written again)
    title: str
    filename: str
    make: Callable[[int], object]  # number -> gongwen.Writer
    unit: str | None = None


@dataclass
class Written:
    kind: str
    title: str
    path: Path
    number: int
    label: str  # 平安百千万办〔2026〕3号 / 第1期
    pages: int | None = None


def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .") or "文档"


def plan_tongbao(cfg, src: Source, kind: str, *, day: date, unit: str | None = None,
                 only_overdue: bool = False, at_risk: bool = False) -> list[Planned]:
    """The 通报 of one type; NoData (with a Chinese reason) when the archive has nothing for it
    (`at_risk`: a 一对一通报 only for units with overdue or due-soon items, bqw run's choice)."""
    template = template_for(cfg, "tongbao")
    label = src.label
    if kind == T.PROGRESS:
        if src.visits is None and src.tasks is None:
            raise NoData(f"归档中没有 {src.period} 的挂点调研台账，也没有问题整改台账（先用 bqw merge 或 bqw run 合并台账）")
        return [Planned(kind, N.TONGBAO, f"进展:{src.period}", T.progress_title(cfg, src),
                        f"进展通报（{label}）.docx",
                        lambda n: T.progress(cfg, src, number=n, day=day, template=template))]
    if kind == T.PROBLEM:
        if src.tasks is None:
            raise NoData("归档中没有问题整改台账（先用 bqw merge 或 bqw run 合并问题整改台账）")
        if unit is not None:
            if T.unit_row(src.tasks, unit) is None:
                known = [u["unit"] for u in src.tasks["units"]]
                known += [u["unit"] for u in src.tasks.get("responsible_units") or [] if u["unit"] not in known]
                raise NoData(f"“{unit}”不是台账中的牵头单位或责任单位，可选：" + "、".join(known))
            units = [unit]
        else:
            units = T.problem_units(src.tasks, only_overdue=only_overdue, at_risk=at_risk)
            if not units:
                what = "逾期或临期" if at_risk else "逾期" if only_overdue else "未办结"
                raise NoData(f"截至 {src.as_of.isoformat()} 没有{what}事项，无需“一对一”通报")
        return [Planned(kind, N.TONGBAO, f"问题:{src.period}:{u}", T.problem_title(cfg, src, u),
                        f"问题通报（{safe_name(u)}）.docx",
                        (lambda u_: lambda n: T.problem(cfg, src, u_, number=n, day=day, template=template))(u), unit=u)
                for u in units]
    if kind == T.DECISION and src.meetings is not None:  # the decisions ledger: items by meeting
        return [Planned(kind, N.TONGBAO, f"议定:{src.period}", M.decision_title(cfg, src),
                        f"议定事项通报（{label}）.docx",
                        lambda n: M.build(cfg, src, number=n, day=day, template=template))]
    if kind == T.DECISION:
        if src.tasks is None:
            raise NoData("归档中没有会议议定事项台账，也没有问题整改台账（先用 bqw merge 或 bqw run 合并台账）")
        if src.decisions is None:
            raise NoData("台账中没有任务来源为“会议议定”的事项")
        return [Planned(kind, N.TONGBAO, f"议定:{src.period}", M.decision_title(cfg, src),
                        f"议定事项通报（{label}）.docx",
                        lambda n: M.decisions(cfg, src, number=n, day=day, template=template))]
    raise ValueError(kind)


def plan_jianbao(cfg, src: Source, *, day: date, notes=None, notes_path: Path | None = None,
                 supplement: bool = False) -> Planned:
    from bqw.documents import jianbao as J

    if src.visits is None and src.tasks is None:
        raise NoData(f"归档中没有 {src.period} 的挂点调研台账，也没有问题整改台账（先用 bqw merge 或 bqw run 合并台账）")
    template = template_for(cfg, "jianbao")
    series = N.SUPPLEMENT if supplement else N.JIANBAO
    return Planned("简报", series, J.key(src, supplement, notes_path), J.title_of(cfg, src, notes),
                   "",  # named once the number is known
                   lambda n: J.build(cfg, src, number=n, day=day, notes=notes, supplement=supplement,
                                     template=template))


def produce(cfg, conn, planned: list[Planned], out: Path, *, fixed: int | None = None,
            render: bool = True) -> list[Written]:
    """Number, build and write the planned documents; `out` is a folder, or a .docx for a single one.

    Numbers come from the workspace (numbering.number_for); `fixed` sets the number of a single
    document. 通报 get their 版记 onto an even page when LibreOffice is installed (render.py).
    """
    from bqw.documents.jianbao import issue_label

    written: list[Written] = []
    for p in planned:
        n = N.number_for(conn, p.series, cfg.year, p.key, title=p.title, fixed=fixed)
        if p.kind == "简报":
            supplement = p.series == N.SUPPLEMENT
            label = issue_label(n, supplement)
            name = f"工作简报（{cfg.year}年{label}）.docx"
        else:
            label, name = T.doc_number(cfg, n), p.filename
        target = out if out.suffix.lower() == ".docx" else out / name
        writer = p.make(n)
        props = writer.doc.core_properties
        props.title, props.author, props.last_modified_by = p.title, cfg.unit, "bqw"
        props.subject = label
        path = writer.save(target)
        written.append(Written(p.kind, p.title, path, n, label))
    if render:
        from bqw.documents.render import RenderError, even_record_pages

        tongbao = [w.path for w in written if w.kind != "简报"]
        try:
            pages = even_record_pages(tongbao)
        except RenderError:
            pages = {}
        for w in written:
            w.pages = pages.get(w.path)
    return written


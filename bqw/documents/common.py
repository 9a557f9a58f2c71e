"""Shared by the 通报 and 简报 builders: settings from bqw.toml, the base to use, number and date wording."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

TEMPLATE_DIR = "templates"
TEMPLATE_NAMES = {"tongbao": "tongbao.docx", "jianbao": "jianbao.docx"}
# The repository's templates/ as installed with bqw (pyproject.toml maps it to this package): in a wheel
# a folder "templates" inside the installed package, in an editable install the repository's folder itself.
PACKAGED_TEMPLATES = "bqw.templates"
WE = "我办"  # how the issuing office names itself in the text
# Leaders above 副职: by default not named as lagging in a 通报 sent down ([tongbao] unnamed_posts)
UNNAMED_POSTS = ("党委书记", "书记", "镇长", "总指挥", "第一副总指挥")


class TemplateError(Exception):
    """A configured base that cannot be used (a usage error for the CLI)."""


def _list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    return [str(v).strip() for v in value if str(v).strip()]


@dataclass
class TongbaoSettings:
    issuer: str  # 发文机关标志
    to: list[str]  # 主送
    cc: list[str]  # 抄送
    printer: str  # 印发机关
    signature: str  # 署名 (发文机关署名)
    reply_days: int  # 整改情况报送时限：成文日期后多少天
    contact: str | None  # 附注，如“联系人：张三，电话：…”
    # Posts whose holders the 进展通报 (sent down to villages and units) does not name as lagging: they are
    # reported in the annex's table only. Matched against the roster's 职务 and 指挥部职务 (is_unnamed).
    unnamed_posts: list[str] = field(default_factory=lambda: list(UNNAMED_POSTS))


@dataclass
class JianbaoSettings:
    name: str  # 简报名称
    editor: str  # 编印单位
    bao: list[str]
    song: list[str]
    fa: list[str]
    copies: int | None
    signer: str | None  # 签发
    reviewer: str | None  # 审核
    compiler: str | None  # 编辑


def tongbao_settings(cfg) -> TongbaoSettings:
    t = dict(cfg.tongbao or {})
    try:
        reply = int(t.get("reply_days", 10))
    except (TypeError, ValueError):
        reply = 10
    return TongbaoSettings(
        issuer=str(t.get("issuer") or cfg.unit), to=_list(t.get("to")), cc=_list(t.get("cc")),
        printer=str(t.get("printer") or cfg.unit), signature=str(t.get("signature") or cfg.unit),
        reply_days=max(1, reply), contact=(str(t["contact"]) if t.get("contact") else None),
        unnamed_posts=_list(t["unnamed_posts"]) if "unnamed_posts" in t else list(UNNAMED_POSTS))


def is_unnamed(posts: list[str], unnamed: list[str]) -> bool:
    """Whether a leader holding `posts` (the roster's 职务 and 指挥部职务) is one not to name.

    A 职务 may join several posts (“镇党委书记、镇长”) and carry the town's name: a part matches a post it
    ends with, unless a 副 comes right before it (“党委副书记”, “常务副镇长”, “第一副总指挥” are not
    “书记”, “镇长”, “总指挥”)."""
    import re

    for part in (p.strip() for text in posts for p in re.split(r"[、，,；;/\s]+", text)):
        for post in unnamed:
            if post and part.endswith(post) and not part[:len(part) - len(post)].endswith("副"):
                return True
    return False


def jianbao_settings(cfg) -> JianbaoSettings:
    j = dict(cfg.jianbao or {})
    copies = j.get("copies")
    try:
        copies = int(copies) if copies not in (None, "") else None
    except (TypeError, ValueError):
        copies = None
    return JianbaoSettings(
        name=str(j.get("name") or "“百千万工程”工作简报"), editor=str(j.get("editor") or cfg.unit),
        bao=_list(j.get("bao")), song=_list(j.get("song")), fa=_list(j.get("fa")), copies=copies,
        signer=j.get("signer") or None, reviewer=j.get("reviewer") or None, compiler=j.get("compiler") or None)


def template_for(cfg, kind: str) -> Path | None:
    """The base of a 通报 ("tongbao") or 简报 ("jianbao"): [tongbao]/[jianbao] template in bqw.toml,
    else templates/tongbao.docx or templates/jianbao.docx in the workspace, else None (built in)."""
    section = (cfg.tongbao if kind == "tongbao" else cfg.jianbao) or {}
    configured = section.get("template")
    if configured:
        path = Path(str(configured))
        path = path if path.is_absolute() else cfg.root / path
        if not path.is_file():
            raise TemplateError(f"bqw.toml 中 [{kind}] template 指定的底版 {path} 不存在")
        return path
    path = Path(cfg.root) / TEMPLATE_DIR / TEMPLATE_NAMES[kind]
    return path if path.is_file() else None


def packaged_template(name: str):
    """A file of templates/ as installed with bqw (tongbao.docx, jianbao.docx, fonts.conf): an
    importlib.resources Traversable (read_bytes, is_file)."""
    from importlib.resources import files  # here: importlib.resources costs ~15 ms, needed only by init

    return files(PACKAGED_TEMPLATES) / name


# --- wording of numbers and dates ---------------------------------------------------------------

def rate_text(rate: float | None) -> str:
    """A rate of the summary (0.4667) as in the summary's own texts: 46.7%."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}".rstrip("0").rstrip(".") + "%"


def pct(n: int, total: int) -> str:
    """n of total as a percentage, rounded like the summary's rates (4 decimals, then 0.1%)."""
    return rate_text(round(n / total, 4) if total else None)


def num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def cn_date(d: date | str) -> str:
    """2026年10月31日."""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def md(d: date | str) -> str:
    """10月31日 (within the year of the document)."""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.month}月{d.day}日"


def table_date(value) -> str:
    """A date in a table cell: 2026.10.15 (compact, digits only)."""
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
        value = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{value.year}.{value.month:02d}.{value.day:02d}"


def row_state(r: dict) -> str:
    """A task's or decided item's state in a table: 已办结, 逾期, else its 完成状态 (推进中 when blank)."""
    if text_of(r.get("完成状态")) == "已完成":
        return "已办结"
    if text_of(r.get("是否逾期")) == "是":
        return "逾期"
    return text_of(r.get("完成状态")) or "推进中"


def row_deadline(r: dict) -> str:
    """A row's 完成时限 in a table: 2026.10.15, or “长期” for a standing task (it has no date)."""
    from bqw.ledgers.rectification import STANDING_COLUMN, STANDING_DEADLINE

    if text_of(r.get(STANDING_COLUMN)) == "是":
        return STANDING_DEADLINE
    return table_date(r.get("完成时限"))


def names(items: list[str], sep: str = "、") -> str:
    return sep.join(items)


def text_of(value) -> str:
    """A cell as text; blank for None / NaN."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):
        pass
    s = str(value).strip()
    return "" if s in ("nan", "NaT", "None", "<NA>") else s


def clause(value) -> str:
    """A cell's text to quote or follow with our own “。”: its closing punctuation dropped (“施工中。” would
    read “目前进展：施工中。。”)."""
    return text_of(value).rstrip("。；;，,.、 ")


def int_of(value) -> int | None:
    s = text_of(value)
    if not s:
        return None
    try:
        return int(float(s))
    except ValueError:
        return None

"""The workspace: bqw.toml (read with tomllib), its folders, and defaults when there is none.

Every command finds bqw.toml from the current directory upwards, or from --workspace DIR
(docs/workspace.md). A wrong value gets a Chinese message naming the key and its line.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bqw.core.suggest import did_you_mean
from bqw.jobs.config_text import ConfigError, config_error, flat_key, line_of, where_key

CONFIG_NAME = "bqw.toml"



@dataclass
class Config:
    root: Path  # the folder holding bqw.toml (or the current folder when there is none)
    path: Path | None = None  # bqw.toml itself, None when defaults apply
    unit: str = "××镇“百千万工程”指挥部办公室"
    town: str = "××镇"
    doc_prefix: str = "百千万办"
    year: int = field(default_factory=lambda: date.today().year)
    target_visits: int = 5
    target_days: int = 5
    score_standard: float = 80.0
    due_soon_days: int = 7
    target_unit: str = "village"  # the yearly target counts per assigned village (the work plan) or per leader
    # the year's cycle (issue 17): report deadlines, escalation of overdue tasks, the 年考评 proposal
    deadlines: dict = field(default_factory=dict)  # [deadlines]: days_after, or a kind -> days after the period
    supervise_days: int = 15  # overdue this many days: 督办
    interview_days: int = 30  # overdue this many days: 约谈
    listing_months: int = 3  # overdue in this many consecutive months: 挂牌
    praise_rate: float = 95.0  # 整改完成率 (%) at least this and nothing overdue: 建议表扬
    interview_rate: float = 60.0  # below this: 建议约谈
    listing_rate: float = 40.0  # below this: 建议挂牌整治
    posts: list[str] = field(default_factory=lambda: ["总指挥", "第一副总指挥", "常务副总指挥", "副总指挥", "成员",
                                                      "联络员"])
    teams: list[str] = field(default_factory=lambda: ["镇域经济", "城镇建设", "乡村振兴", "要素保障", "政策支持",
                                                      "信息化"])
    task_sources: list[str] = field(default_factory=lambda: ["问题整改", "会议议定", "领导批示", "重点项目",
                                                             "为民实事", "年度要点"])
    roster: Path | None = None
    assignments: Path | None = None
    inbox: Path = Path("inbox")
    out: Path = Path("out")
    archive: Path = Path("bqw.db")
    log: Path = Path("bqw.log")
    tongbao: dict = field(default_factory=dict)
    jianbao: dict = field(default_factory=dict)
    limits: dict = field(default_factory=dict)  # [limits] overrides of bqw.core.limits.Limits
    # [aliases]: the office's own header wordings, kind -> canonical column -> wordings
    aliases: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    encoding: str = "UTF-8"  # the encoding bqw.toml was found in, as Notepad names it: UTF-8, UTF-16, GBK
    ignored: list[str] = field(default_factory=list)  # what is said of keys bqw does not read ([tongbao] templat)

    @property
    def encoding_notice(self) -> str | None:
        """A bqw.toml saved by Notepad as “ANSI” (GBK) or “Unicode” (UTF-16) is read all the same; said
        once on stderr, and in the log of `bqw run`."""
        if self.encoding == "UTF-8":
            return None
        return (f"提示：{self.path} 是 {self.encoding} 编码，已按 {self.encoding} 读取"
                f"（可以照常使用；用记事本“另存为”时把编码选为 UTF-8，本提示即不再出现）")

    @property
    def notices(self) -> list[str]:
        """What to say once on stderr (and in the log of `bqw run`) of a bqw.toml that is used all the same."""
        return [n for n in (self.encoding_notice, *self.ignored) if n]

    def deadline_days(self, kind: str) -> int:
        """Days after a period ends by which `kind`'s ledger is due: [deadlines] kind, else days_after, else 2
        (004: 月调度“月底后两天”, 季汇报“季度末后两天”)."""
        return int(self.deadlines.get(kind, self.deadlines.get("days_after", 2)))

    def make_limits(self):
        """Limits from the environment (BQW_MAX_…), then [limits] in bqw.toml on top."""
        from dataclasses import replace

        from bqw.core.limits import Limits

        return replace(Limits.from_env(), **self.limits)

    @property
    def enums(self) -> dict[str, tuple[str, ...]]:
        """Enum overrides by canonical column (bqw.ledgers specs)."""
        return {"指挥部职务": tuple(self.posts), "所属专班": tuple(self.teams), "任务来源": tuple(self.task_sources)}

    def existing(self, path: Path | None) -> Path | None:
        return path if path is not None and path.exists() else None


# (section, key) -> (attribute, kind, Chinese description)
FIELDS = {
    ("unit", "name"): ("unit", "text", "单位名称"),
    ("unit", "town"): ("town", "text", "镇名称"),
    ("unit", "doc_prefix"): ("doc_prefix", "text", "文号前缀"),
    ("unit", "year"): ("year", "year", "年度"),
    ("targets", "visits"): ("target_visits", "positive", "年度调研次数目标"),
    ("targets", "days"): ("target_days", "positive", "年度调研天数目标"),
    ("targets", "score_standard"): ("score_standard", "score", "典型村达标分数"),
    ("targets", "due_soon_days"): ("due_soon_days", "positive", "预警天数"),
    ("targets", "unit"): ("target_unit", "target_unit", "年度目标的计算单位"),
    ("escalation", "supervise_days"): ("supervise_days", "positive", "逾期督办天数"),
    ("escalation", "interview_days"): ("interview_days", "positive", "逾期约谈天数"),
    ("escalation", "listing_months"): ("listing_months", "positive", "连续逾期挂牌月数"),
    ("evaluation", "praise_rate"): ("praise_rate", "score", "建议表扬的整改完成率"),
    ("evaluation", "interview_rate"): ("interview_rate", "score", "建议约谈的整改完成率"),
    ("evaluation", "listing_rate"): ("listing_rate", "score", "建议挂牌整治的整改完成率"),
    ("enums", "posts"): ("posts", "list", "指挥部职务"),
    ("enums", "teams"): ("teams", "list", "所属专班"),
    ("enums", "task_sources"): ("task_sources", "list", "任务来源"),
    ("ledgers", "roster"): ("roster", "path", "成员名单"),
    ("ledgers", "assignments"): ("assignments", "path", "挂点安排表"),
    ("folders", "inbox"): ("inbox", "path", "收件箱"),
    ("folders", "out"): ("out", "path", "输出文件夹"),
    ("folders", "archive"): ("archive", "path", "归档数据库"),
    ("folders", "log"): ("log", "path", "运行日志"),
}
FREE_SECTIONS = {"tongbao", "jianbao", "limits", "aliases", "deadlines"}
TARGET_UNITS = {"village": "每个挂点村", "leader": "每位镇领导"}


def find_config(start: Path | None = None) -> Path | None:
    """bqw.toml in `start` or the nearest folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def fallback_log(workspace: Path | None = None) -> Path:
    """Where `bqw run` logs when bqw.toml cannot be used (unreadable, or a wrong value in it), its own
    log key being unknown then: bqw.log beside it — where [folders] log is by default — for the bqw.toml
    of `workspace` (-w) or the one found; ~/.bqw-error.log when there is none (a mistyped -w folder
    gets no log of its own)."""
    if workspace is not None:
        path = Path(workspace) if Path(workspace).suffix == ".toml" else Path(workspace) / CONFIG_NAME
    else:
        path = find_config()
    return path.parent / "bqw.log" if path is not None and path.is_file() else Path.home() / ".bqw-error.log"


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_KEY_LINE = re.compile(r"^(\s*)([^\"'#=\[\]\s][^\"'#=\[\]]*?)(\s*=)")


def _quote_alias_keys(text: str) -> str:
    """Quote the bare Chinese parts of keys in [aliases]: TOML allows only ASCII bare keys, and
    offices write `visits.调研地点 = [...]`; it is read as `visits."调研地点"`. Line numbers stay."""
    out, section = [], ""
    for line in text.splitlines(keepends=True):
        m = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
        if m:
            section = flat_key(m.group(1))
        elif section.split(".")[0] == "aliases" and (k := _KEY_LINE.match(line)):
            parts = [p.strip() for p in k.group(2).split(".")]
            if all(parts) and not all(_BARE_KEY.match(p) for p in parts):
                key = ".".join(p if _BARE_KEY.match(p) else f'"{p}"' for p in parts)
                line = k.group(1) + key + line[k.end(2):]
        out.append(line)
    return "".join(out)


def load(workspace: Path | None = None) -> Config:
    """The Config of `workspace` (a folder or a bqw.toml), else of the nearest bqw.toml, else defaults."""
    if workspace is not None:
        workspace = Path(workspace)
        path = workspace if workspace.suffix == ".toml" else workspace / CONFIG_NAME
        if not path.is_file():
            raise ConfigError(f"找不到工作区配置 {path}（可用 bqw init {workspace} 创建）")
    else:
        path = find_config()
    if path is None:
        return Config(root=Path.cwd())
    return parse(path)


def parse(path: Path) -> Config:
    path = Path(path).absolute()  # a relative -w folder: paths in bqw.toml are relative to it, once
    raw = path.read_bytes()  # an OSError is the machine's: said as such (bqw.cli.exit.machine_message)
    encoding = encoding_of(raw)
    try:
        text = raw.decode(_CODECS[encoding])
    except UnicodeDecodeError as e:
        stop = e.start
        try:  # the line: where the decoding that got further stopped (UTF-8 with a stray byte, or GBK)
            raw.decode("utf-8")
        except UnicodeDecodeError as utf8:
            stop = max(stop, utf8.start)
        line = raw.count(b"\n", 0, stop) + 1
        raise ConfigError(f"无法读取 {path}：第 {line} 行有无法识别的文字，文件的编码既不是 UTF-8，也不是 GBK 或 UTF-16；"
                          f"请用记事本打开，“另存为”时把编码选为 UTF-8") from e
    try:
        data = tomllib.loads(_quote_alias_keys(text))
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+), column (\d+)", str(e))
        where = f"第 {m.group(1)} 行第 {m.group(2)} 列" if m else ""
        raise ConfigError(f"{path} {where}格式有误：{_toml_reason(str(e))}。请检查引号、等号和方括号是否成对。") from e
    from bqw.jobs.config_text import aliases_section, deadlines_section, limits_section

    cfg = Config(root=path.parent, path=path, encoding=encoding)
    for section, values in data.items():
        if section in FREE_SECTIONS:
            if not isinstance(values, dict):
                raise ConfigError(f"{path} {_where(text, section)}：“{section}”应为一个小节 [{section}]")
            if section == "limits":
                cfg.limits = limits_section(path, text, values)
            elif section == "aliases":
                cfg.aliases = aliases_section(path, text, values)
            elif section == "deadlines":
                cfg.deadlines = deadlines_section(path, text, values)
            else:
                setattr(cfg, section, dict(values))
                cfg.ignored += _unread(path, text, section, values)
            continue
        sections = sorted({s for s, _ in FIELDS} | FREE_SECTIONS)
        if not isinstance(values, dict) or section not in sections:
            raise ConfigError(f"{path} {_where(text, section)}：“{section}”不是已知的设置项。"
                              + (did_you_mean(section, sections) or "请检查拼写"))
        for key, value in values.items():
            spec = FIELDS.get((section, key))
            if spec is None:
                known = [k for s, k in FIELDS if s == section]
                raise config_error(path, text, section, key, "不是已知的设置项。" + (did_you_mean(key, known) or "请检查拼写"))
            attr, kind, zh = spec
            setattr(cfg, attr, _value(path, text, section, key, value, kind, zh, cfg.root))
    _check_inbox(path, text, cfg)
    return cfg


_CODECS = {"UTF-8": "utf-8-sig", "UTF-16": "utf-16", "GBK": "gb18030"}  # gb18030: GBK and all it leaves out


def encoding_of(data: bytes) -> str:
    """How bqw.toml was saved, as Notepad names it: UTF-16 (it writes a BOM), UTF-8 (with or without
    a BOM), else GBK — Notepad's “ANSI” on a Chinese Windows."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "GBK"
    return "UTF-8"


# what the inbox may not hold, or `bqw run` would read it back as a submission
_NOT_IN_INBOX = {("folders", "out"): "输出文件夹", ("ledgers", "roster"): "成员名单",
                 ("ledgers", "assignments"): "挂点安排表", ("folders", "archive"): "归档数据库",
                 ("folders", "log"): "运行日志"}


def _check_inbox(path: Path, text: str, cfg: Config) -> None:
    """The inbox holds what offices send, nothing of bqw's: not its outputs, the workspace's lists (the
    名单 folder, the roster and the assignments) nor its archive and log. The message names the inbox
    key when the inbox is not bqw init's inbox/ (inbox = "." is the usual cause), else the key that
    points inside it."""
    def absolute(p: Path) -> Path:
        return (p if p.is_absolute() else cfg.root / p).resolve()

    inbox = absolute(cfg.inbox)
    moved = inbox != (cfg.root / "inbox").resolve()

    def refuse_inside(section: str, key: str, what: str, inside: Path) -> None:
        if inside != inbox and inbox not in inside.parents:
            return
        if moved or line_of(text, section, key) is None:  # inbox = "." or the like; or the other is a default
            section, key = "folders", "inbox"
        raise config_error(path, text, section, key, f"收件箱 {inbox} 包含了{what} {inside}，bqw run 会把它当作报来的台账读取；"
                                             f"收件箱应是只放各单位报来台账的文件夹，如 inbox = \"inbox\"")

    for (section, key), what in _NOT_IN_INBOX.items():
        value = getattr(cfg, FIELDS[(section, key)][0])
        if value is not None:
            refuse_inside(section, key, what, absolute(value))
    if (cfg.root / "名单").is_dir():  # where bqw init puts the lists, whatever [ledgers] says
        refuse_inside("folders", "inbox", "名单文件夹", absolute(cfg.root / "名单"))


def _unread(path: Path, text: str, section: str, values: dict) -> list[str]:
    """[tongbao] and [jianbao] are read key by key (bqw.documents.common): a misspelt key would be passed
    over in silence. Said, with the key meant; the rest of bqw.toml is used."""
    from dataclasses import fields

    from bqw.documents.common import JianbaoSettings, TongbaoSettings

    known = [f.name for f in fields(TongbaoSettings if section == "tongbao" else JianbaoSettings)] + ["template"]
    return [f"提示：{path} {where_key(text, section, key)}：[{section}] 中的“{key}”不是已知的设置项，已忽略。"
            + did_you_mean(key, known) for key in values if key not in known]








def _where(text: str, section: str) -> str:
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(f"[{section}") or line.strip().startswith(f"{section}"):
            return f"第 {n} 行"
    return ""


def _toml_reason(message: str) -> str:
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    known = {"Invalid value": "值无效（文字需要用英文双引号括起来）", "Expected '=' after a key in a key/value pair":
             "键后面缺少“=”", "Unclosed array": "列表缺少右方括号“]”", "Illegal character": "含有不允许的字符",
             "Cannot overwrite a value": "同一个设置写了两次", "Cannot declare": "同一个小节（方括号）写了两次，请合并为一处"}
    for en, zh in known.items():
        if reason.startswith(en):
            return zh
    return reason


def _value(path, text, section, key, value, kind, zh, root: Path):
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise config_error(path, text, section, key, f"{zh}应为用双引号括起来的文字")
        return value.strip()
    if kind in ("positive", "year"):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise config_error(path, text, section, key, f"{zh}应为正整数，现为 {value!r}")
        if kind == "year" and not 2000 <= value <= 2100:
            raise config_error(path, text, section, key, f"{zh}应为四位年份，如 2026，现为 {value}")
        return value
    if kind == "score":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 100:
            raise config_error(path, text, section, key, f"{zh}应为 0 到 100 之间的数，现为 {value!r}")
        return float(value)
    if kind == "target_unit":
        if value not in TARGET_UNITS:
            raise config_error(path, text, section, key, f"{zh}应为 \"village\"（每个挂点村）或 \"leader\"（每位镇领导），"
                                                 f"现为 {value!r}")
        return value
    if kind == "list":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise config_error(path, text, section, key, f"{zh}应为文字列表，如 [\"甲\", \"乙\"]")
        return [v.strip() for v in value]
    if kind == "path":
        if not isinstance(value, str) or not value.strip():
            raise config_error(path, text, section, key, f"{zh}应为文件或文件夹的路径（用双引号括起来）")
        p = Path(value.strip())
        return p if p.is_absolute() else root / p
    raise ValueError(kind)


def resolve(cfg: Config) -> Config:
    """Make the default relative paths absolute against the workspace root."""
    for attr in ("inbox", "out", "archive", "log"):
        p = getattr(cfg, attr)
        if not p.is_absolute():
            setattr(cfg, attr, cfg.root / p)
    return cfg


def init(folder: Path, *, unit: str | None = None, town: str | None = None, year: int | None = None,
         force: bool = False) -> Path:
    """Write bqw.toml, the inbox/, out/, 名单/ folders, and templates/ with the 通报/简报 bases for the office
    to restyle, into `folder`."""
    from bqw.core.atomic import atomic_path, write_text
    from bqw.documents.common import TEMPLATE_DIR, TEMPLATE_NAMES, packaged_template
    from bqw.jobs.config_template import TEMPLATE

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CONFIG_NAME
    if path.exists() and not force:
        raise ConfigError(f"{path} 已存在；如要重新生成请加 --force（原文件将被覆盖）")
    town = town or "××镇"
    unit = unit or f"{town}“百千万工程”指挥部办公室"
    prefix = re.sub(r"[镇乡街道县区]$", "", town)[:2] + "百千万办" if town != "××镇" else "××百千万办"
    write_text(path, TEMPLATE.format(unit=unit.replace('"', '\\"'), town=town, prefix=prefix,
                                     year=year or date.today().year))
    for sub in ("inbox", "out", "名单"):
        (folder / sub).mkdir(exist_ok=True)
    for name in TEMPLATE_NAMES.values():
        base = folder / TEMPLATE_DIR / name
        if not base.exists():  # an office's restyled base is never replaced, not even with --force
            with atomic_path(base) as tmp:
                tmp.write_bytes(packaged_template(name).read_bytes())
    return path

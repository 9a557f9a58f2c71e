"""Generate the spec-derived parts of docs/ledgers.md and docs/rules.md, so docs cannot drift.

Each generated part sits between ``<!-- BEGIN GENERATED name -->`` and
``<!-- END GENERATED name -->``; the prose around it is written by hand. Block names: a kind
id (its column table, derived columns and rules), ``kinds`` (the overview of kinds) and
``rules`` (the rule catalogue). Run ``python -m bqw.cli.docsgen`` to rewrite the blocks in place,
``python -m bqw.cli.docsgen --check`` in CI (exit 1 when a file is out of date).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bqw.ledgers import KINDS, KIND_ZH, get_spec
from bqw.ledgers import spec as S

# file -> block names it must hold
FILES = {
    "ledgers.md": ("kinds", *KINDS, "value-forms", "layouts", "title-block"),
    "rules.md": ("rules",),
    "cli.md": ("cli",),
}
BLOCK = re.compile(r"<!-- BEGIN GENERATED (?P<name>[\w-]+) -->\n.*?<!-- END GENERATED (?P=name) -->",
                   re.S)


def _cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ").strip() or "—"


def _table(head: tuple[str, ...], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _rule_text(column: S.Column, spec: S.LedgerSpec) -> str:
    from bqw.output.template import group_label, header_label, requirement, two_row_header

    parts = [requirement(column)] if requirement(column) else []
    if column.synonyms:
        parts.append("也接受：" + "、".join(f"{k}={v}" for k, v in column.synonyms.items()))
    if column.name in spec.unique:
        parts.append("不得重复")
    label = header_label(spec, column)
    if column.group and two_row_header(spec):
        parts.append(f"模板表头：“{group_label(spec, column.group)}”下的“{label}”")
    elif label != column.name:
        parts.append(f"模板表头：“{label}”")
    return "；".join(parts)


def render_kinds() -> str:
    """The overview table of ledger kinds."""
    rows = []
    for kind in KINDS:
        spec = get_spec(kind)
        rows.append((f"`{kind}`", KIND_ZH[kind], spec.description, "、".join(spec.key_columns)))
    return _table(("类型代码", "中文名称", "一行是什么", "识别用的关键表头"), rows)


def render_kind(kind: str) -> str:
    """The generated block of one kind: columns, derived columns, rules (and the scores rubric)."""
    from bqw.core.findings import CATALOGUE, SEVERITY_ZH

    spec = get_spec(kind)
    out = [f"类型代码 `{kind}`，中文名称“{spec.title}”。{spec.description}"]
    out.append("")
    out.append("识别本台账的关键表头：" + "、".join(spec.key_columns)
               + "（表头中有其中至少一半、且不少于 2 个时，认作本台账）。")
    out.append("")
    rows = [(c.name, S.TYPE_ZH[c.type], "是" if c.required else "否", _rule_text(c, spec),
             "、".join(c.aliases)) for c in spec.columns]
    out.append(_table(("列名", "类型", "必填", "规则/取值", "可识别的表头写法"), rows))
    if kind == "scores":
        out += ["", "评分细则（9 组 25 项，满分 100 分）：", "", _rubric()]
    if spec.derived:
        out += ["", "派生列（bqw 计算，无需填写）：", ""]
        out += [f"- {d.name}：{d.note}" for d in spec.derived]
    if spec.rules:
        out += ["", "本台账的校验规则：", ""]
        for r in spec.rules:
            rule = CATALOGUE[r.code]
            out.append(f"- `{r.code}`（{SEVERITY_ZH[rule.severity]}，{rule.title}）：{r.note}")
    return "\n".join(out)


def _rubric() -> str:
    from bqw.ledgers.scores import GROUPS, NEGATIVES, items

    rows = []
    for group, points, _maxima in GROUPS:
        listed = [f"{n}（{m:g}分）" for n, _name, m, g in items() if g == group]
        rows.append((group, f"{points} 分", "、".join(listed)))
    rows.append(("负面清单", "一票否决", f"负面1～负面{NEGATIVES}，任一项为“有”即否决，不论得分"))
    return _table(("组别", "分值", "指标（满分）"), rows)


def render_rules() -> str:
    """The rule catalogue (bqw.core.findings.rule_table) as a Markdown table."""
    from bqw.core.findings import rule_table

    rows = [(f"`{r['code']}`", r["severity_zh"], r["title"], r["template"]) for r in rule_table()]
    return _table(("代码", "级别", "名称", "提示信息模板"), rows)


def render_cli() -> str:
    """Every command with its help and options, from the typer app itself (so docs cannot drift)."""
    import typer.main

    from bqw.cli.app import app

    out: list[str] = []
    _commands(typer.main.get_command(app), "bqw", out)
    return "\n".join(out)


def _commands(group, prefix: str, out: list[str]) -> None:
    """Each command of `group`, and those of its sub-groups after it (bqw serve links …)."""
    for name in sorted(group.commands):
        cmd = group.commands[name]
        out.append(f"### `{prefix} {name}`")
        out.append("")
        out.append((cmd.help or "").strip())
        out.append("")
        rows = []
        for p in cmd.params:
            if p.name == "help":
                continue
            names = " / ".join(f"`{o}`" for o in (*p.opts, *p.secondary_opts))
            if p.param_type_name == "argument":
                names = f"`{p.metavar or p.name.upper()}`"
            rows.append((names, "是" if p.required else "", getattr(p, "help", "") or ""))
        out.append(_table(("参数", "必填", "说明"), rows) if rows else "没有参数。")
        out.append("")
        if getattr(cmd, "commands", None):
            _commands(cmd, f"{prefix} {name}", out)


def render_value_forms() -> str:
    """Every value form bqw reads, with what it reads it as (bqw.io.forms, checked by tests)."""
    from bqw.io.forms import KIND_ZH as FORM_ZH
    from bqw.io.forms import VALUE_FORMS

    rows = [(FORM_ZH[f.kind], f"“{f.written}”" if isinstance(f.written, str) else f"数字 {f.written}", f.read_as,
             f.note) for f in VALUE_FORMS]
    return _table(("类型", "写法", "读作", "说明"), rows)


def render_layouts() -> str:
    """Every sheet layout bqw reads, with the test that reads one (bqw.io.forms)."""
    from bqw.io.forms import LAYOUTS

    return _table(("版式", "怎样读", "测试"), [(x.name, x.description, f"`tests/{x.test}`") for x in LAYOUTS])


def render_title_block() -> str:
    """The labels of the lines above the header that bqw takes facts from (bqw.io.titleblock.META_FIELDS)."""
    from bqw.io.titleblock import META_FIELDS

    what = {"unit": "填报单位（报送单位）", "leader": "挂点领导", "period": "期间", "filled": "填报时间"}
    rows = [(what[role], "、".join(f"“{x}：”" for x in labels)) for role, labels in META_FIELDS.items()]
    return _table(("取得", "标签（按先后取第一个有内容的）"), rows)


def render(name: str) -> str:
    if name == "value-forms":
        return render_value_forms()
    if name == "layouts":
        return render_layouts()
    if name == "title-block":
        return render_title_block()
    if name == "cli":
        return render_cli()
    if name == "kinds":
        return render_kinds()
    if name == "rules":
        return render_rules()
    if name in KINDS:
        return render_kind(name)
    raise KeyError(f"unknown generated block: {name}")


def _block(name: str) -> str:
    return f"<!-- BEGIN GENERATED {name} -->\n{render(name).rstrip()}\n<!-- END GENERATED {name} -->"


def rendered(text: str, names: tuple[str, ...]) -> str:
    """`text` with every generated block rewritten; blocks that are missing are appended."""
    present = set()

    def sub(m: re.Match) -> str:
        present.add(m.group("name"))
        return _block(m.group("name"))

    out = BLOCK.sub(sub, text)
    missing = [n for n in names if n not in present]
    if missing:
        out = out.rstrip("\n") + "\n\n" + "\n\n".join(_block(n) for n in missing) + "\n"
    return out


def update(path_dir="docs", check: bool = False) -> list[str]:
    """Rewrite the generated blocks in `path_dir`; returns the files that were (or would be) changed.

    With ``check=True`` nothing is written: the result lists the files that are out of date.
    """
    folder = Path(path_dir)
    stale = []
    for name, blocks in FILES.items():
        path = folder / name
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        new = rendered(old, blocks)
        if new == old:
            continue
        stale.append(str(path))
        if not check:
            _write(path, new)
    return stale


def _write(path: Path, text: str) -> None:
    from bqw.core.atomic import write_text

    write_text(path, text)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bqw.cli.docsgen",
                                     description="按台账定义和规则目录重新生成 docs 中的自动生成部分")
    parser.add_argument("--check", action="store_true", help="只检查，不写入；有过期文件时退出码为 1")
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parents[2] / "docs"),
                        help="文档目录（默认：项目的 docs/）")
    args = parser.parse_args(argv)
    changed = update(args.dir, check=args.check)
    if args.check:
        if changed:
            print("以下文档的自动生成部分已过期，请运行 python -m bqw.cli.docsgen：" + "、".join(changed),
                  file=sys.stderr)
            return 1
        print("文档已是最新。")
        return 0
    print("已更新：" + "、".join(changed) if changed else "文档已是最新，无需更新。")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make demo` run step by step, and its outputs turned into stable text for golden comparison.

Issue 15 asks that every output of `make demo` stays the same through the redesign: workbooks cell for
cell, JSON/Markdown/CSV byte for byte, documents' text and formats. `run_demo` runs the Makefile's demo
steps (same commands, same arguments, same order) in a copy of samples/, so the repository's samples/
and out/ are never written; `dump` turns every file the demo wrote, and each command's console output,
into one text per output: a difference shows as a readable line diff (which sheet, which cell, which
paragraph, which format).

Used by tests/cli/test_demo_outputs.py. The kept dumps in tests/golden/demo/ were made from commit 55e7ecf
(before the redesign) with this module:

    git worktree add /tmp/before 55e7ecf
    .venv/bin/python -m tests.golden.demo_outputs --pythonpath /tmp/before tests/golden/demo

Anything that differs between two runs of the same code (the run's date and time, the temporary folder,
process ids) is replaced by a placeholder, so two runs of the same code give the same dumps.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bqw.core.version import VERSION

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

WORKSPACE = "out/演示工作区"
# Every copied sample gets this modification time: bqw orders files that arrive together by their mtime
# (then a correction mark, a copy mark, the name), and a checkout or `cp -r` gives them times that differ
# from machine to machine. The same time for all leaves the order to the marks and names, as intended.
SAMPLE_MTIME = 1_793_404_800  # 2026-10-31 08:00 +08:00
# Console lines naming an output by its absolute path wrap at 120 columns: a longer demo folder would
# wrap them elsewhere (the dumps show the folder as <demo>).
MAX_DEST_LENGTH = 40


@dataclass(frozen=True)
class Step:
    """One command of the demo: bqw's arguments, the folder it runs in (relative to the demo's root)."""

    name: str  # the dump's file name for its console output
    args: tuple[str, ...]
    cwd: str = "."
    expected_code: int = 0


# The Makefile's demo target, command by command (the `cp`/`rm` lines are done by `prepare_workspace`).
STEPS_BEFORE_WORKSPACE = (
    Step("01-validate-lists", ("validate", "samples/assignments", "samples/roster")),
    Step("02-validate-2026-10", ("validate", "samples/2026-10", "--assignments", "samples/assignments",
                                 "--period", "2026-10", "--annotate", "out/退回")),
    Step("03-validate-rectification-scores", ("validate", "samples/rectification", "samples/scores")),
    Step("03b-validate-decisions", ("validate", "samples/decisions")),
    Step("04-validate-errors", ("validate", "samples/errors", "--assignments", "samples/assignments",
                                "--period", "2026-10", "--annotate", "out/退回"), expected_code=1),
    Step("05-merge-visits", ("merge", "samples/2026-10", "-o", "out/汇总/挂点调研台账（2026年10月）.xlsx",
                             "--expect", "samples/assignments", "--assignments", "samples/assignments",
                             "--period", "2026-10", "--archive", "out/bqw.db")),
    Step("06-merge-rectification", ("merge", "samples/rectification", "-o", "out/汇总/问题整改台账.xlsx",
                                    "--as-of", "2026-10-31", "--archive", "out/bqw.db")),
    Step("06b-merge-decisions", ("merge", "samples/decisions", "-o", "out/汇总/会议议定事项台账.xlsx",
                                 "--as-of", "2026-10-31", "--archive", "out/bqw.db")),
    Step("07-history", ("history", "--archive", "out/bqw.db", "--kind", "visits")),
    Step("08-summarise", ("summarise", "samples/2026-10", "samples/rectification", "--assignments",
                          "samples/assignments", "--period", "2026-10", "--as-of", "2026-10-31")),
    Step("09-init", ("init", WORKSPACE, "--town", "平安镇", "--year", "2026")),
)
STEPS_AFTER_WORKSPACE = (
    Step("10-run-first", ("run", "--as-of", "2026-10-31"), cwd=WORKSPACE, expected_code=1),
    Step("11-run-second", ("run", "--as-of", "2026-10-31"), cwd=WORKSPACE),
    Step("11b-summarise-quarter", ("summarise", "--period", "2026-Q4", "--as-of", "2026-10-31"), cwd=WORKSPACE),
    Step("11c-summarise-year", ("summarise", "--period", "2026", "--as-of", "2026-10-31"), cwd=WORKSPACE),
    Step("12-validate-official", ("validate", "samples/官方模板", "--assignments", "samples/assignments")),
    Step("13-merge-official", ("merge", "samples/官方模板", "-o", "out/汇总/官方模板.xlsx", "--assignments",
                               "samples/assignments", "--no-archive")),
    Step("14-template-visits", ("template", "visits", "-o", "out/模板/挂点调研台账模板.xlsx", "--year", "2026",
                                "--unit", "平安镇")),
    Step("15-template-tasks", ("template", "tasks", "-o", "out/模板/问题整改三清单模板.xlsx")),
)


@dataclass(frozen=True)
class StepResult:
    step: Step
    code: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class DemoRun:
    """What `run_demo` did: each command's result, and the days it ran on (bqw merge without --as-of
    writes the day it runs as its 统计日)."""

    steps: list[StepResult]
    days: frozenset[date]


def prepare_workspace(dest: Path) -> None:
    """The Makefile's cp lines: the two lists into the workspace's 名单/, two sample folders into its inbox."""
    ws = dest / WORKSPACE
    (assignments,) = sorted((dest / "samples" / "assignments").glob("*.xlsx"))
    (roster,) = sorted((dest / "samples" / "roster").glob("*.xlsx"))
    # copy2 and copytree keep SAMPLE_MTIME (see there)
    shutil.copy2(assignments, ws / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copy2(roster, ws / "名单" / "指挥部成员名单.xlsx")
    for folder in ("2026-10", "rectification"):
        shutil.copytree(dest / "samples" / folder, ws / "inbox" / folder)


def run_demo(dest: Path, python: str, pythonpath: str | None = None, encoding: str = "utf-8") -> DemoRun:
    """Run the demo's commands with `python -m bqw` in `dest` (a copy of samples/ is made there; the outputs
    go to dest/out). `pythonpath` puts another checkout's bqw first (the kept dumps: commit 55e7ecf).
    Each step's exit code is checked as the Makefile does. `encoding` is the console's (PYTHONIOENCODING):
    "gbk" runs the demo as on a Chinese Windows console; output it cannot decode fails the step."""
    dest = Path(dest)
    if len(str(dest)) > MAX_DEST_LENGTH or len(os.path.realpath(dest)) > MAX_DEST_LENGTH:
        raise ValueError(f"the demo's folder {dest} is longer than {MAX_DEST_LENGTH} characters: console "
                         "lines naming its outputs would wrap at other places than in the kept dumps")
    shutil.copytree(SAMPLES, dest / "samples")
    for path in (dest / "samples").rglob("*"):
        os.utime(path, (SAMPLE_MTIME, SAMPLE_MTIME))
    # no colours, a fixed width, no LibreOffice pass on the 通报 (not installed everywhere), one time zone
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "BQW_SOFFICE": "none", "TZ": "UTC",
           "PYTHONIOENCODING": encoding}
    env.pop("FORCE_COLOR", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    else:
        env.pop("PYTHONPATH", None)
    first_day = date.today()
    results = []
    for step in STEPS_BEFORE_WORKSPACE + (None,) + STEPS_AFTER_WORKSPACE:
        if step is None:
            prepare_workspace(dest)
            continue
        proc = subprocess.run([python, "-m", "bqw", *step.args], cwd=dest / step.cwd, env=env, check=False,
                              capture_output=True, encoding=encoding, timeout=300)
        if proc.returncode != step.expected_code:
            raise AssertionError(f"bqw {' '.join(step.args)}: exit {proc.returncode}, expected "
                                 f"{step.expected_code}\n{proc.stdout}\n{proc.stderr}")
        results.append(StepResult(step, proc.returncode, proc.stdout, proc.stderr))
    return DemoRun(results, frozenset({first_day, date.today()}))


# --- the dumps ------------------------------------------------------------------------------------------

# The time of the run, wherever it is written (archive columns, bqw.log, `bqw history`): each digit made 0,
# so a console table keeps its width.
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)?")
# Archive columns that hold when the run happened (not what was read).
RUN_TIME_COLUMNS = {"started_at", "arrived_at", "at", "created_at", "updated_at"}
# Files the demo copies in itself (the Makefile's cp lines): only their names and contents' hashes are kept.
COPIED_IN = (f"{WORKSPACE}/inbox/", f"{WORKSPACE}/名单/")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def normalise(text: str, dest: Path, days=frozenset()) -> str:
    """The demo's folder as <demo>, the run's times as zeros, a cell holding just the day of the run
    (“'2026-12-06' |”, a merge's 统计日 without --as-of) as '<today>'. (The samples' own dates are in the
    months before November 2026: on such a day a sample's date would be taken for the run's.)"""
    for root in {str(dest), os.path.realpath(dest)}:
        text = text.replace(root, "<demo>")
    for day in days:
        text = text.replace(f" = '{day.isoformat()}' |", " = '<today>' |")
    # bqw's own version (bqw.log lines, every JSON's bqw_version): a release changes it, not the outputs
    text = text.replace(f"bqw {VERSION} ", "bqw <version> ").replace(f'"bqw_version": "{VERSION}"',
                                                                   '"bqw_version": "<version>"')
    return TIMESTAMP.sub(lambda m: re.sub(r"\d", "0", m.group()), text)


def dump_name(relative: str) -> str:
    """One dump file per output: its path under the demo's folder, “/” as “__”, then .txt."""
    return relative.replace("/", "__") + ".txt"


def dump(dest: Path, run: DemoRun | None = None) -> dict[str, str]:
    """Every file the demo left under dest/out (and each command's console output, given the run) as stable
    text, by the dump file's name."""
    dest = Path(dest)
    days = run.days if run is not None else frozenset({date.today()})
    dumps: dict[str, str] = {}
    listing = []
    for path in sorted(p for p in (dest / "out").rglob("*") if p.is_file()):
        relative = path.relative_to(dest).as_posix()
        if relative.startswith(COPIED_IN):
            listing.append(f"{relative}  (copied in by the demo) sha256 {_sha256(path)}")
            continue
        listing.append(relative)
        text = dump_file(path)
        if text is not None:
            dumps[dump_name(relative)] = normalise(text, dest, days)
    dumps["files.txt"] = "\n".join(listing) + "\n"
    for result in run.steps if run is not None else ():
        dumps[f"stdout__{result.step.name}.txt"] = normalise(
            f"$ bqw {' '.join(result.step.args)}   (in {result.step.cwd})\nexit code {result.code}\n"
            f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}", dest)
    return dumps


def dump_file(path: Path) -> str | None:
    """One output as text; None for a file whose content is the run's own (the lock file's process id)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return dump_xlsx(path)
    if suffix == ".docx":
        return dump_docx(path)
    if suffix == ".db":
        return dump_db(path)
    if suffix == ".lock":
        return None
    return path.read_bytes().decode("utf-8")  # .md .json .csv .txt .toml .log: the text as written


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- workbooks ---


def _colour(color) -> str:
    if color is None:
        return "-"
    if color.type == "rgb":
        return str(color.rgb)
    if color.type == "theme":
        return f"theme{color.theme}" + (f"{color.tint:+g}" if color.tint else "")
    return f"{color.type}{color.value}"


def _font(font) -> str:
    flags = "".join(f for f, on in (("b", font.b), ("i", font.i), ("u", font.u), ("s", font.strike)) if on)
    return f"{font.name},{font.sz:g},{flags or '-'},{_colour(font.color)}" if font.sz else \
        f"{font.name},-,{flags or '-'},{_colour(font.color)}"


def _fill(fill) -> str:
    if fill is None or not getattr(fill, "fill_type", None):
        return ""
    return f" fill={fill.fill_type}:{_colour(fill.fgColor)}"


def _alignment(al) -> str:
    parts = [f"{name}={value}" for name, value in (("h", al.horizontal), ("v", al.vertical),
                                                   ("wrap", al.wrap_text), ("indent", al.indent or None),
                                                   ("rotate", al.text_rotation or None),
                                                   ("shrink", al.shrink_to_fit)) if value]
    return f" align({','.join(parts)})" if parts else ""


def _border(border) -> str:
    sides = [f"{side}:{getattr(border, side).style}" for side in ("left", "right", "top", "bottom")
             if getattr(border, side) is not None and getattr(border, side).style]
    return f" border({','.join(sides)})" if sides else ""


def _cell(cell) -> str | None:
    if cell.value is None and not cell.has_style:
        return None
    line = f"{cell.coordinate} = {cell.value!r} | fmt={cell.number_format} | font={_font(cell.font)}"
    line += _fill(cell.fill) + _alignment(cell.alignment) + _border(cell.border)
    if cell.protection.locked is False or cell.protection.hidden:
        line += f" protect(locked={cell.protection.locked},hidden={cell.protection.hidden})"
    if cell.hyperlink is not None:
        line += f" link={cell.hyperlink.target or cell.hyperlink.location}"
    return line


def _sheet_settings(ws) -> list[str]:
    """A sheet's own settings: view, page setup, column widths, row heights, merges, data validations and
    conditional formats."""
    ps, margins = ws.page_setup, ws.page_margins
    fit = ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None
    view = (f"\n## sheet {ws.title!r} ({ws.sheet_state}) dims={ws.dimensions} freeze={ws.freeze_panes} "
            f"filter={ws.auto_filter.ref} zoom={ws.sheet_view.zoomScale} "
            f"gridlines={ws.sheet_view.showGridLines} tab={_colour(ws.sheet_properties.tabColor)}")
    page = (f"page: orientation={ps.orientation} paper={ps.paperSize} fitToWidth={ps.fitToWidth} "
            f"fitToHeight={ps.fitToHeight} fitToPage={fit} "
            f"titles={ws.print_title_rows}/{ws.print_title_cols} area={ws.print_area} "
            f"margins={margins.left},{margins.right},{margins.top},{margins.bottom} "
            f"header={ws.oddHeader.center.text!r} footer={ws.oddFooter.center.text!r} "
            f"protected={ws.protection.sheet}")
    out = [view, page]
    widths = [f"{key}:{dim.width:g}" + (" hidden" if dim.hidden else "")
              + (f" (to {dim.max})" if dim.max and dim.min and dim.max > dim.min else "")
              for key, dim in sorted(ws.column_dimensions.items(), key=lambda kv: (len(kv[0]), kv[0]))
              if dim.customWidth or dim.hidden]
    out.append("column widths: " + " ".join(widths))
    heights = [f"{row}:{dim.height:g}" + (" hidden" if dim.hidden else "")
               for row, dim in sorted(ws.row_dimensions.items()) if dim.height is not None or dim.hidden]
    out.append("row heights: " + " ".join(heights))
    out.append("merges: " + " ".join(sorted(str(r) for r in ws.merged_cells.ranges)))
    for dv in ws.data_validations.dataValidation:
        out.append(f"validation {dv.sqref}: type={dv.type} op={dv.operator} f1={dv.formula1!r} "
                   f"f2={dv.formula2!r} blank={dv.allow_blank} dropdown-hidden={dv.showDropDown} "
                   f"error={dv.showErrorMessage}:{dv.errorStyle}:{dv.errorTitle!r}:{dv.error!r} "
                   f"prompt={dv.showInputMessage}:{dv.promptTitle!r}:{dv.prompt!r}")
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            out.append(f"conditional {rng.sqref}: {rule.type} op={rule.operator} {rule.formula} "
                       f"dxf={_font(rule.dxf.font) if rule.dxf and rule.dxf.font else '-'}"
                       f"{_fill(rule.dxf.fill) if rule.dxf else ''}")
    return out


def dump_xlsx(path: Path) -> str:
    """Per sheet: its settings (`_sheet_settings`), then each cell with a value or a style: value (repr, so
    5, 5.0 and '5' differ), number format, font (name, size, bold/italic/underline, colour), fill,
    alignment, border; then the comments."""
    import openpyxl

    wb = openpyxl.load_workbook(path)  # formulas as written, not cached results
    out = [f"# {path.name}", f"sheets: {wb.sheetnames}  active: {wb.active.title if wb.active else None}"]
    for name, dn in sorted(wb.defined_names.items()):
        out.append(f"defined name {name} = {dn.attr_text}")
    for ws in wb.worksheets:
        out.extend(_sheet_settings(ws))
        comments = []
        for row in ws.iter_rows():
            for cell in row:
                line = _cell(cell)
                if line is not None:
                    out.append(line)
                if cell.comment is not None:
                    comments.append(f"comment {cell.coordinate} ({cell.comment.author!r}): {cell.comment.text!r}")
        out.extend(comments)
    return "\n".join(out) + "\n"


# --- documents ---


def _local(tag: str) -> str:
    return tag.split("}", 1)[-1]


def _props(el, skip: tuple[str, ...] = ()) -> str:
    """A property element's children, compact: name(attr=value,…){nested}, in document order; `skip`: names
    of children left out."""
    parts = []
    for child in el:
        if not isinstance(child.tag, str) or _local(child.tag) in skip:
            continue
        attrs = ",".join(f"{_local(k)}={v}" for k, v in child.attrib.items() if k != R_ID)
        nested = _props(child)
        parts.append(_local(child.tag) + (f"({attrs})" if attrs else "") + (f"{{{nested}}}" if nested else ""))
    return " ".join(parts)


def _run_text(run) -> str:
    pieces = []
    for child in run:
        name = _local(child.tag) if isinstance(child.tag, str) else ""
        if name == "rPr":
            continue
        if name == "t":
            pieces.append(child.text or "")
        elif name == "tab":
            pieces.append("⇥")
        elif name == "br":
            pieces.append("⏎" + "".join(f"[{v}]" for v in child.attrib.values()))
        elif name == "fldChar":
            pieces.append(f"{{field-{child.get(W + 'fldCharType')}}}")
        elif name == "instrText":
            pieces.append(f"{{instr:{child.text}}}")
        else:
            pieces.append(f"<{name}>")
    return "".join(pieces)


def _paragraph(p, indent: str) -> list[str]:
    """Text, style, the paragraph's own properties (alignment, spacing, indents, …), then each run: its text
    and properties (rFonts ascii/eastAsia, sz, b, color, character scale, …)."""
    ppr = p.find(W + "pPr")
    style = ppr.find(W + "pStyle").get(W + "val") if ppr is not None and ppr.find(W + "pStyle") is not None else "-"
    own = _props(ppr, skip=("pStyle",)) if ppr is not None else ""
    runs = [r for r in p.iter(W + "r")]
    text = "".join(_run_text(r) for r in runs)
    lines = [f"{indent}P [{style}] {text!r}", f"{indent}  pPr: {own}"]
    for r in runs:
        rpr = r.find(W + "rPr")
        lines.append(f"{indent}  R {_run_text(r)!r}: {_props(rpr) if rpr is not None else ''}")
    return lines


def _table(tbl, indent: str) -> list[str]:
    lines = [f"{indent}TABLE tblPr: {_props(tbl.find(W + 'tblPr'))}",
             f"{indent}  grid: {_props(tbl.find(W + 'tblGrid'))}"]
    for i, tr in enumerate(tbl.findall(W + "tr"), 1):
        trpr = tr.find(W + "trPr")
        lines.append(f"{indent}  ROW {i}: {_props(trpr) if trpr is not None else ''}")
        for j, tc in enumerate(tr.findall(W + "tc"), 1):
            tcpr = tc.find(W + "tcPr")
            lines.append(f"{indent}    CELL {i}.{j}: {_props(tcpr) if tcpr is not None else ''}")
            lines.extend(_blocks(tc, indent + "      "))
    return lines


def _blocks(container, indent: str) -> list[str]:
    lines = []
    for child in container:
        if child.tag == W + "p":
            lines.extend(_paragraph(child, indent))
        elif child.tag == W + "tbl":
            lines.extend(_table(child, indent))
        elif child.tag == W + "sectPr":
            lines.append(f"{indent}SECTION: {_props(child)}")
        elif child.tag != W + "tcPr":
            lines.append(f"{indent}<{_local(child.tag)}>")
    return lines


def _styles_used(doc, body) -> list[str]:
    """docDefaults and every style the document names (with the styles they are based on)."""
    styles = doc.styles.element
    by_id = {s.get(W + "styleId"): s for s in styles.findall(W + "style")}
    wanted = {el.get(W + "val") for tag in ("pStyle", "rStyle", "tblStyle") for el in body.iter(W + tag)}
    lines = [f"docDefaults: {_props(styles.find(W + 'docDefaults'))}"]
    seen = set()
    while wanted - seen:
        sid = min(wanted - seen)
        seen.add(sid)
        style = by_id.get(sid)
        if style is None:
            lines.append(f"style {sid}: (not defined)")
            continue
        based = style.find(W + "basedOn")
        if based is not None:
            wanted.add(based.get(W + "val"))
        lines.append(f"style {sid} ({style.get(W + 'type')}): {_props(style)}")
    return [lines[0], *sorted(lines[1:])]


def dump_docx(path: Path) -> str:
    """Core properties, settings, each section's page size and margins, headers and footers, the body
    (paragraphs and tables in order, with their formats) and the styles it uses."""
    import docx

    doc = docx.Document(str(path))
    cp = doc.core_properties
    core = (f"core: title={cp.title!r} subject={cp.subject!r} author={cp.author!r} keywords={cp.keywords!r} "
            f"category={cp.category!r} comments={cp.comments!r} last_modified_by={cp.last_modified_by!r}")
    out = [f"# {path.name}", core]
    settings = doc.settings.element
    out.append("settings: " + _props(settings, skip=("rsids", "docId", "mathPr", "shapeDefaults")))
    body = doc.element.body
    for n, sect in enumerate(body.iter(W + "sectPr"), 1):
        out.append(f"\n## section {n}: {_props(sect)}")
        for ref in sect:
            if _local(ref.tag) in ("headerReference", "footerReference"):
                part = doc.part.related_parts[ref.get(R_ID)]
                out.append(f"### {_local(ref.tag)[:6]} {ref.get(W + 'type')}")
                out.extend(_blocks(part.element, "  "))
    out.append("\n## body")
    out.extend(_blocks(body, ""))
    out.append("\n## styles")
    out.extend(_styles_used(doc, body))
    return "\n".join(out) + "\n"


# --- the archive ---


def dump_db(path: Path) -> str:
    """Each table's rows in primary-key order, without the columns that hold the time of the run."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        marks = (f"application_id={con.execute('PRAGMA application_id').fetchone()[0]} "
                 f"user_version={con.execute('PRAGMA user_version').fetchone()[0]}")
        out = [f"# {path.name}", marks]
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            kept = [c for c in columns if c not in RUN_TIME_COLUMNS]
            out.append(f"\n## {table} ({', '.join(kept)})" + (
                f"  [left out: {', '.join(c for c in columns if c in RUN_TIME_COLUMNS)}]" if kept != columns else ""))
            rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in kept)} FROM "{table}"').fetchall()
            for row in sorted(rows, key=repr):
                out.append(json.dumps(row, ensure_ascii=False))
        return "\n".join(out) + "\n"
    finally:
        con.close()


def write_dumps(dumps: dict[str, str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for name, text in dumps.items():
        (folder / name).write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Run `make demo`'s steps and write their dumps.")
    parser.add_argument("folder", type=Path, help="where the dumps go (tests/golden/demo for the kept ones)")
    parser.add_argument("--pythonpath", help="a checkout whose bqw runs (e.g. a worktree of 55e7ecf)")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bqw-demo-") as tmp:
        run = run_demo(Path(tmp), args.python, args.pythonpath)
        write_dumps(dump(Path(tmp), run), args.folder)


if __name__ == "__main__":
    main()

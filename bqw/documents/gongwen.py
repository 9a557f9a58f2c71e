"""The writer of a 通报 or 简报 in the GB/T 9704-2012 format: the red head filled in, titles broken
into lines, headings, the signature, attachment pages with their tables, pictures, and the 版记 /
报尾 pinned to the foot of the last page (docs/documents.md, “共同的格式”).

The page setup, the styles of the roles and the bases are in bqw.documents.styles; the raw
WordprocessingML in bqw.documents.ooxml.

python-docx is imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

from bqw.documents.ooxml import (PPR_AFTER_FRAMEPR, PPR_AFTER_SHD, TBLPR_AFTER_BORDERS, TBLPR_AFTER_LAYOUT, Look,
                                 align, apply_look, el, indent, qn, right_tab, row_flag)
from bqw.documents.styles import PLACEHOLDER, ROLES, SCALED_ROLES, load_base, look_of, text_width


def em(text: str) -> float:
    """Width in em: CJK and full-width characters 1, ASCII and half-width 0.5."""
    return sum(0.5 if ord(c) < 0x2E80 and unicodedata.east_asian_width(c) in ("Na", "H", "N") else 1
               for c in text)


# --- the writer -----------------------------------------------------------------------------------

class RecordLine(NamedTuple):
    """A line of the 版记 (or 简报 报尾): `left`, and `right` flush right (印发机关 … 印发日期); with
    right None, `left` wraps after its colon (抄送：…。)."""

    left: str
    right: str | None = None


THIN = "thin"  # in the 版记's lines: the 0.25 mm rule between two of them


@dataclass
class Table:
    """An attachment table: header, rows, widths in mm (adding up to 156), 'c' or 'l' per column."""

    header: list[str]
    rows: list[list]
    widths: list[float]
    aligns: str = ""


class Writer:
    """Builds one document on a base, paragraph by paragraph, in the roles above."""

    def __init__(self, kind: str, template: Path | None = None):
        self.kind = kind
        self.doc = load_base(kind, template)
        self._looks: dict[str, Look] = {}
        self._style_ids: dict[str, str] = {}

    # typography

    def look(self, role: str) -> Look:
        if role not in self._looks:
            self._looks[role] = look_of(self.doc, role)
        return self._looks[role]

    @property
    def text_width(self):
        return text_width(self.doc)

    def run(self, p, text: str, role: str, bold: bool | None = None, scale: float | None = None):
        r = p.add_run(text)
        apply_look(r, self.look(role), bold=bold, scale=scale)
        return r

    def style_id(self, role: str) -> str:
        """The styleId of a role's style (looked up once: python-docx's name lookup scans every style)."""
        if role not in self._style_ids:
            self._style_ids[role] = self.doc.styles[ROLES[role].style].style_id
        return self._style_ids[role]

    def p(self, role: str = "body", text: str = ""):
        p = self.doc.add_paragraph()
        p._p.style = self.style_id(role)
        if text:
            self.run(p, text, role)
        return p

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.p("body")

    # head

    def fill_head(self, values: dict[str, str]) -> None:
        """Replace {发文机关} {发文字号} {简报名称} {期号} {编印单位} {日期} in the head; fit the
        发文机关标志 and the 简报 name on one line with a character scale (GB/T 9704-2012 7.2.4:
        the mark is no wider than the text area)."""
        width_pt = self.text_width.pt
        for p in self.doc.paragraphs:
            text = "".join(r.text for r in p.runs)
            if not PLACEHOLDER.search(text):
                continue
            new = PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)
            runs = p.runs
            runs[0].text = new
            for r in runs[1:]:
                r._r.getparent().remove(r._r)
            style_role = next((k for k in SCALED_ROLES if p.style is not None and p.style.name == ROLES[k].style),
                              None)
            if style_role is not None and new:
                size = self.look(style_role).size
                scale = min(100.0, width_pt / (em(new) * size) * 100)
                if scale < 100:
                    apply_look(runs[0], self.look(style_role), scale=scale)

    # text

    def title(self, text: str, role: str = "title") -> None:
        """The title, broken into balanced lines (longer first) at word boundaries."""
        look = self.look(role)
        per_line = int(self.text_width.pt // look.size)
        p = self.p(role)
        for i, line in enumerate(title_lines(text, per_line)):
            if i:
                p.runs[-1].add_break()
            self.run(p, line, role)

    def addressee(self, names: list[str]) -> None:
        if names:
            self.p("to", "，".join(names) + "：")

    def body(self, text: str):
        return self.p("body", text)

    def heading(self, level: int, head: str, text: str = ""):
        """Level 1 (一、) on its own line in 黑体; levels 2–4 run in: the heading sentence in its
        font, the body text after it in the same paragraph."""
        if level == 1:
            return self.p("h1", head)
        p = self.p("body")
        self.run(p, head, {2: "h2", 3: "h3", 4: "h4"}[level])
        if text:
            self.run(p, text, "body")
        return p

    def annex_note(self, titles: list[str]) -> None:
        """附件：1.名称 / 2.名称 aligned under 1. (GB/T 9704-2012 7.3.4); one attachment without a number."""
        if not titles:
            return
        self._keep_tail()  # the note stays on the page of the signature that follows it
        size = self.look("annex_note").size
        if len(titles) == 1:
            p = self.p("annex_note")
            p.paragraph_format.keep_with_next = True
            indent(p, left=2 + 3, hanging=3, size=size)
            self.run(p, f"附件：{titles[0]}", "annex_note")
            return
        for i, name in enumerate(titles, 1):
            p = self.p("annex_note")
            p.paragraph_format.keep_with_next = True
            label = f"{i}."
            if i == 1:
                indent(p, left=2 + 3 + em(label), hanging=3 + em(label), size=size)
                self.run(p, f"附件：{label}{name}", "annex_note")
            else:
                indent(p, left=2 + 3 + em(label), hanging=em(label), size=size)
                self.run(p, f"{label}{name}", "annex_note")

    def signature(self, organ: str, date_text: str, blank_lines: int = 2) -> None:
        """Sealed layout (GB/T 9704-2012 7.3.5.1): 日期 right indent 4 chars, 署名 centred over the date.

        The last paragraph before it and the empty lines keep with the signature, so that the
        signature never stands alone at the top of a page."""
        self._keep_tail()
        for _ in range(blank_lines):
            self.p("body").paragraph_format.keep_with_next = True
        size = self.look("sign").size
        p = self.p("sign", organ)
        p.paragraph_format.keep_with_next = True
        indent(p, right=max(0.0, 4 + (em(date_text) - em(organ)) / 2), size=size)
        p = self.p("sign", date_text)
        indent(p, right=4, size=size)

    def _keep_tail(self) -> None:
        """Keep the last paragraph with text, and the empty ones after it, with what follows."""
        for p in reversed(self.doc.paragraphs):
            p.paragraph_format.keep_with_next = True
            if p.text.strip():
                break

    def remark(self, text: str) -> None:
        self.p("remark", f"（{text}）")

    def page_break_paragraph(self, role: str, text: str):
        p = self.p(role, text)
        p.paragraph_format.page_break_before = True
        return p

    def annex(self, label: str, title: str, table: Table, note: str | None = None) -> None:
        """An attachment page: label 黑体 flush left on line 1, title on line 3, then the table."""
        self.page_break_paragraph("annex_label", label)
        self.blank()
        self.title(title, "annex_title")
        self.blank()
        self.table(table)
        if note:
            self.p("td", note)

    def table(self, spec: Table):
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT

        widths = _fit_widths(spec.widths, self.text_width)
        aligns = spec.aligns or "".join("c" if w < 25 else "l" for w in spec.widths)
        t = self.doc.add_table(rows=1, cols=len(spec.header))
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        tblpr = t._tbl.tblPr
        borders = el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(el(f"w:{side}", val="single", sz=4, space=0, color="000000"))
        tblpr.insert_element_before(borders, *TBLPR_AFTER_BORDERS)
        layout = tblpr.find(qn("w:tblLayout"))
        if layout is None:
            tblpr.insert_element_before(el("w:tblLayout", type="fixed"), *TBLPR_AFTER_LAYOUT)
        margins = el("w:tblCellMar")  # 1 mm left and right: more room for short Chinese names
        for side in ("left", "right"):
            margins.append(el(f"w:{side}", w=57, type="dxa"))
        tblpr.insert_element_before(margins, *TBLPR_AFTER_LAYOUT[1:])
        width = tblpr.find(qn("w:tblW"))
        if width is not None:
            width.set(qn("w:type"), "dxa")
            width.set(qn("w:w"), str(int(sum(w.twips for w in widths))))
        for col, w in zip(t.columns, widths):  # w:gridCol (LibreOffice reads this)
            col.width = w

        def fill(row, values, role):
            for i, (c, v, w) in enumerate(zip(row.cells, values, widths)):
                c.width = w  # w:tcW (Word reads this)
                c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                cp = c.paragraphs[0]
                cp._p.style = self.style_id(role)
                if role == "td":
                    cp.alignment = align("center" if aligns[i] == "c" else "left")
                text = "" if v is None else str(v)
                for j, line in enumerate(text.split("\n")):
                    r = self.run(cp, line, role)
                    if j < len(text.split("\n")) - 1:
                        r.add_break()

        header = t.rows[0]
        row_flag(header, "w:tblHeader")  # repeat on every page
        row_flag(header, "w:cantSplit")
        fill(header, spec.header, "th")
        for values in spec.rows:
            r = t.add_row()
            row_flag(r, "w:cantSplit")  # a row never breaks across pages
            fill(r, values, "td")
        return t

    # 版记 / 报尾

    def _frame(self, p) -> None:
        fp = el("w:framePr", w=int(self.text_width.twips), h=0, hRule="atLeast", wrap="notBeside",
                 hAnchor="margin", xAlign="center", vAnchor="margin", yAlign="bottom")
        p._p.get_or_add_pPr().insert_element_before(fp, *PPR_AFTER_FRAMEPR)

    def _bar(self, twips: int):
        from docx.shared import Pt, Twips

        p = self.p("record")
        self._frame(p)
        p.paragraph_format.line_spacing = Twips(twips)
        shd = el("w:shd", val="clear", color="auto", fill="000000")
        p._p.get_or_add_pPr().insert_element_before(shd, *PPR_AFTER_SHD)
        r = p.add_run()
        r.font.size = Pt(1)
        return p

    def record(self, rows: list[RecordLine | str]) -> None:
        """The 版记 (or 简报 报尾) in a bottom-aligned frame: its last rule on the bottom edge of the
        text area (GB/T 9704-2012 7.4.1; docs/documents.md, “版记在偶数页”).

        rows: RecordLine, or THIN for the 0.25 mm middle rule. Thick rules top and bottom.
        """
        from docx.shared import Emu, Pt, Twips

        size = self.look("record").size
        self._bar(20)
        for row in rows:
            if row == THIN:
                self._bar(14)
                continue
            left, right = row
            p = self.p("record")
            self._frame(p)
            if right is None:
                lab = em(left.split("：")[0]) + 1
                indent(p, left=1 + lab, right=1, hanging=lab, size=size)
                self.run(p, left, "record")
            else:
                indent(p, left=1, right=1, size=size)
                right_tab(p, Emu(self.text_width - Pt(size)))
                self.run(p, f"{left}\t{right}", "record")
        self._bar(20)
        tail = self.doc.add_paragraph()  # without it LibreOffice may leave the frame on the page before
        tail.paragraph_format.line_spacing = Twips(20)
        tail.add_run().font.size = Pt(1)

    # pictures

    def picture(self, path: Path, caption: str | None = None) -> None:
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Mm

        p = self.p("caption")
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact pitch would clip it
        p.paragraph_format.keep_with_next = bool(caption)
        p.add_run().add_picture(str(path), width=min(Mm(150), self.text_width))
        if caption:
            self.p("caption", caption)

    # output

    def save(self, path: Path) -> Path:
        """Write atomically: a reader never sees half a document."""
        from bqw.core.atomic import atomic_path, zip_output

        path = Path(path)
        with atomic_path(path) as tmp, zip_output(tmp) as output:
            self.doc.save(output)
        return path


def _fit_widths(widths_mm: list[float], text_width) -> list:
    """Column widths as Lengths, scaled to the text width of the base."""
    from docx.shared import Emu, Mm

    total = sum(widths_mm)
    return [Emu(int(Mm(w) * text_width / Mm(total))) for w in widths_mm]


# --- titles ---------------------------------------------------------------------------------------

_BREAK_AFTER = ("关于", "”", "、", "通报")
_BREAK_AFTER_RE = (r"\d年", r"\d月")  # after 2026年 / 10月, never inside 月度
_BREAK_BEFORE = ("“", "推进情况", "落实情况", "逾期未办结", "未办结", "会议议定", "的通报", "重点", "工作情况",
                 "工作推进")


def title_lines(text: str, per_line: int) -> list[str]:
    """Split a title into lines of at most `per_line` em, longest first (an inverted trapezoid),
    breaking only after or before the words above so that no word is cut."""
    if em(text) <= per_line:
        return [text]
    points = set()
    for w in _BREAK_AFTER:
        points |= {m.end() for m in re.finditer(re.escape(w), text)}
    for pattern in _BREAK_AFTER_RE:
        points |= {m.end() for m in re.finditer(pattern, text)}
    for w in _BREAK_BEFORE:
        points |= {m.start() for m in re.finditer(re.escape(w), text)}
    points = sorted(i for i in points if 0 < i < len(text))

    best = None
    for n in (2, 3):
        for cut in combinations(points, n - 1):
            parts = [text[a:b] for a, b in zip((0, *cut), (*cut, len(text)))]
            widths = [em(x) for x in parts]
            if max(widths) > per_line or any(not x for x in parts):
                continue
            # prefer: fewest lines, longer lines above shorter ones, then balanced
            score = (n, sum(1 for a, b in zip(widths, widths[1:]) if b > a), max(widths) - min(widths))
            if best is None or score < best[0]:
                best = (score, parts)
        if best is not None:
            return best[1]
    out, line = [], ""  # no good break point: cut at the width
    for ch in text:
        if em(line + ch) > per_line:
            out.append(line)
            line = ""
        line += ch
    return out + [line] if line else out

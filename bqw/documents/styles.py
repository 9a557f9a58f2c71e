"""The GB/T 9704-2012 layout of a 通报 or 简报 on python-docx: page setup (A4, margins, 28.95 pt
lines), the paragraph styles of every role with their fonts, sizes and spacing, the built-in bases
(templates/*.docx) and the typography a base gives each role.

Every paragraph gets one of the styles in ROLES. The typography of a run (East Asian font,
Latin font, size, bold, colour) is read from that style in the base document (look_of) and
written on the run as well, so that an office restyles by editing the styles of its base in
Word/WPS (docs/documents.md, “改版式”).

python-docx is imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from bqw.documents.ooxml import (FS, HT, KT, LATIN, PPR_AFTER_AUTOSPACE, ST, THEME, XBS, Look, align,
                                 apply_look, el, indent, page_number, qn, right_tab, rule, set_fonts,
                                 set_spacing)

RED = "FF0000"
LINE_TWIPS = 579  # 28.95 pt: 22 lines in the 225 mm text area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
HEADER_MM, FOOTER_MM = 15, 22.5
PLACEHOLDER = re.compile(r"\{(发文机关|发文字号|简报名称|期号|编印单位|日期)\}")


class Border(NamedTuple):
    """A paragraph's bottom rule: its weight in eighths of a pt, colour and gap above it in pt."""

    eighths: int
    color: str
    gap: int


@dataclass(frozen=True)
class Role:
    """One kind of paragraph: its style name in the base and the defaults bqw writes there."""

    style: str
    east_asia: str
    size: float  # pt
    latin: str = LATIN
    bold: bool = False
    color: str | None = None
    align: str = "justify"  # left | center | right | justify
    first: float = 0  # first-line indent in characters of this size
    left: float = 0  # left indent in characters
    line: float | None = None  # exact line height in pt; None: the body pitch of Normal
    space_before: float = 0  # pt
    keep_next: bool = False
    condense: float | None = None  # character spacing in pt; None: Normal's −0.25 pt
    border: Border | None = None  # the rule under the paragraph


def _mm_pt(mm: float) -> float:
    return mm * 72 / 25.4


ROLES: dict[str, Role] = {
    # 通报 (文件式)
    "mark": Role("公文-发文机关标志", XBS, 42, latin=XBS, color=RED, align="center", line=42 * 1.2,
                 space_before=round(_mm_pt(35) - 4, 1)),
    "docno": Role("公文-发文字号", FS, 16, align="center", border=Border(12, RED, 11)),
    "title": Role("公文-标题", XBS, 22, latin=XBS, align="center"),
    "to": Role("公文-主送机关", FS, 16, align="justify"),
    "body": Role("公文-正文", FS, 16, first=2),
    "h1": Role("公文-一级标题", HT, 16, first=2, keep_next=True),
    "h2": Role("公文-二级标题", KT, 16, first=2),
    "h3": Role("公文-三级标题", FS, 16, bold=True, first=2),
    "h4": Role("公文-四级标题", FS, 16, first=2),
    "annex_note": Role("公文-附件说明", FS, 16, left=2),
    "sign": Role("公文-署名", FS, 16, align="right"),
    "remark": Role("公文-附注", FS, 16, left=2),
    "annex_label": Role("公文-附件标签", HT, 16, align="left"),
    "annex_title": Role("公文-附件标题", XBS, 22, latin=XBS, align="center"),
    "th": Role("公文-表头", HT, 12, align="center", line=18, condense=0),
    "td": Role("公文-表格文字", FS, 12, align="left", line=18, condense=0),
    "record": Role("公文-版记", FS, 14, align="left"),
    "pageno": Role("公文-页码", ST, 14, latin=ST, align="right", line=16, condense=0),
    # 简报
    "jb_name": Role("简报-名称", XBS, 48, latin=XBS, color=RED, align="center", line=48 * 1.2,
                    space_before=round(_mm_pt(15), 1)),
    "jb_issue": Role("简报-期号", KT, 16, align="center"),
    "jb_editor": Role("简报-编印单位", FS, 16, align="left", border=Border(18, RED, 4)),
    "jb_title": Role("简报-标题", XBS, 22, latin=XBS, align="center"),
    "jb_note_head": Role("简报-编者按", KT, 16, first=2),
    "caption": Role("简报-图注", KT, 14, align="center", line=20, condense=0),
}
SCALED_ROLES = ("mark", "jb_name")  # narrowed with w:w so that they fit on one line


# --- the base document ---------------------------------------------------------------------------

def _setup_page(section) -> None:
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(HEADER_MM), Mm(FOOTER_MM)
    sectpr = section._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = el("w:docGrid")
        sectpr.append(grid)
    # no grid type: LibreOffice lays linesAndChars out with ~17 characters a line, and with "lines"
    # it snaps table rows and titles to the 28.95 pt grid
    for a in list(grid.attrib):
        del grid.attrib[a]
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))


def _setup_defaults(doc) -> None:
    """Doc defaults and Normal: 3号 仿宋, exact 28.95 pt, no spacing, −0.25 pt condensation."""
    from docx.shared import Pt, Twips

    styles = doc.styles.element
    dd = styles.find(qn("w:docDefaults"))
    rpr = dd.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rf = rpr.find(qn("w:rFonts"))
    for a in THEME:
        rf.attrib.pop(qn(a), None)
    for a, v in (("ascii", LATIN), ("hAnsi", LATIN), ("cs", LATIN), ("eastAsia", FS)):
        rf.set(qn(f"w:{a}"), v)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    sp = dd.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    for k, v in (("after", "0"), ("line", str(LINE_TWIPS)), ("lineRule", "exact")):
        sp.set(qn(f"w:{k}"), v)

    normal = doc.styles["Normal"]
    set_fonts(normal, FS)
    normal.font.size = Pt(16)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = Twips(LINE_TWIPS)  # a Length => lineRule="exact"
    pf.widow_control = False
    pf.alignment = align("justify")
    ppr = normal._element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space between Chinese and digits
        if ppr.find(qn(tag)) is None:
            ppr.insert_element_before(el(tag, val=0), *PPR_AFTER_AUTOSPACE)
    set_spacing(normal._element.get_or_add_rPr(), -5)  # −0.25 pt => 28 characters per line

    settings = doc.settings.element
    tfl = settings.find(qn("w:themeFontLang"))
    if tfl is not None:
        tfl.set(qn("w:eastAsia"), "zh-CN")
    doc.settings.odd_and_even_pages_header_footer = True


def _add_style(doc, role: Role):
    """Create the paragraph style of a role (based on Normal) with the role's defaults."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    style = doc.styles.add_style(role.style, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    set_fonts(style, role.east_asia, role.latin)
    style.font.size = Pt(role.size)
    style.font.bold = role.bold
    if role.color:
        style.font.color.rgb = RGBColor.from_string(role.color)
    pf = style.paragraph_format
    pf.alignment = align(role.align)
    if role.line is not None:
        pf.line_spacing = Pt(role.line)
    if role.space_before:
        pf.space_before = Pt(role.space_before)
    if role.keep_next:
        pf.keep_with_next = True
    if role.first or role.left:
        indent(style, first=role.first, left=role.left, size=role.size)
    if role.condense is not None:
        set_spacing(style._element.get_or_add_rPr(), round(role.condense * 20))
    if role.border:
        rule(style, *role.border)
    return style


def ensure_styles(doc) -> None:
    """Add the role styles a base lacks (an office's own template may hold only some of them)."""
    names = {s.name for s in doc.styles}
    for role in ROLES.values():
        if role.style not in names:
            _add_style(doc, role)


def _add_font_table_entries(doc) -> None:
    """<w:font> entries with GB2312 charset and alternative names, so Word can substitute."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    from docx.oxml import parse_xml

    root = parse_xml(part.blob)
    have = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt, family in ((FS, "仿宋", "modern"), (KT, "楷体", "modern"), (HT, "SimHei", "modern"),
                              (XBS, "方正小标宋_GBK", "script"), (ST, "SimSun", "auto")):
        if name in have:
            continue
        font = el("w:font", name=name)
        font.append(el("w:altName", val=alt))
        font.append(el("w:charset", val="86"))
        font.append(el("w:family", val=family))
        font.append(el("w:pitch", val="variable"))
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_numbers(doc, section) -> None:
    """The page numbers of a section: odd pages in its footer, even pages in its even-page footer."""
    style, look = doc.styles[ROLES["pageno"].style], look_of(doc, "pageno")
    page_number(section.footer, style, look, odd=True)
    page_number(section.even_page_footer, style, look, odd=False)


def new_base(kind: str = "tongbao"):
    """The built-in base of a 通报 (kind "tongbao") or 简报 ("jianbao"): page setup, styles,
    page-number footers and the head with placeholders — what templates/*.docx hold."""
    from docx import Document

    doc = Document()
    _setup_page(doc.sections[0])
    _setup_defaults(doc)
    ensure_styles(doc)
    _add_font_table_entries(doc)
    _page_numbers(doc, doc.sections[0])
    doc.core_properties.author = "bqw"
    doc.core_properties.title = "通报底版" if kind == "tongbao" else "简报底版"
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):  # the default template's empty paragraph
        body.remove(p)
    if kind == "tongbao":
        _head_paragraph(doc, "mark", "{发文机关}")
        doc.add_paragraph()
        doc.add_paragraph()
        _head_paragraph(doc, "docno", "{发文字号}")
    elif kind == "jianbao":
        _head_paragraph(doc, "jb_name", "{简报名称}")
        _head_paragraph(doc, "jb_issue", "{期号}")
        doc.add_paragraph()
        p = _head_paragraph(doc, "jb_editor", "{编印单位}\t{日期}")
        right_tab(p, text_width(doc))
    else:
        raise ValueError(kind)
    return doc


def _head_paragraph(doc, role: str, text: str):
    p = doc.add_paragraph(style=doc.styles[ROLES[role].style])
    apply_look(p.add_run(text), look_of(doc, role))
    return p


def text_width(doc):
    """The width of the text area of the (first) section: 156 mm in the standard layout."""
    from docx.shared import Emu

    s = doc.sections[0]
    return Emu(s.page_width - s.left_margin - s.right_margin)


_BASES: dict[str, bytes] = {}


def load_base(kind: str, template: Path | None = None):
    """The base document: an office's template when given, else the built-in base.

    From a template bqw keeps the page setup, footers, styles and the head (the body's
    paragraphs, with {placeholders} filled in later); styles it lacks are added, and a section
    without footers gets the standard page numbers.
    """
    from docx import Document

    if template is None:
        if kind not in _BASES:  # built once per process, then reopened from its bytes (100 通报 in a run)
            buf = io.BytesIO()
            new_base(kind).save(buf)
            _BASES[kind] = buf.getvalue()
        return Document(io.BytesIO(_BASES[kind]))
    doc = Document(str(template))
    ensure_styles(doc)
    section = doc.sections[0]
    if section.footer.is_linked_to_previous and section.even_page_footer.is_linked_to_previous:
        doc.settings.odd_and_even_pages_header_footer = True
        _page_numbers(doc, section)
    body = doc.element.body
    paragraphs = body.findall(qn("w:p"))
    while paragraphs and _is_empty(paragraphs[-1]) and paragraphs[-1].find(".//" + qn("w:sectPr")) is None:
        body.remove(paragraphs.pop())
    return doc


def _is_empty(p) -> bool:
    text = "".join(t.text or "" for t in p.iter(qn("w:t")))
    return not text.strip() and not list(p.iter(qn("w:drawing"))) and not list(p.iter(qn("w:pict")))


# --- typography of a role ------------------------------------------------------------------------

def _style_chain(doc, name: str):
    style = next((s for s in doc.styles if s.name == name), None)
    seen = 0
    while style is not None and seen < 20:
        yield style._element
        style = style.base_style
        seen += 1


def look_of(doc, role: str) -> Look:
    """Fonts, size, bold and colour of a role's style, following basedOn, then the doc defaults."""
    r = ROLES[role]
    found: dict = {}
    elements = list(_style_chain(doc, r.style))
    dd = doc.styles.element.find(qn("w:docDefaults"))
    if dd is not None and dd.find(qn("w:rPrDefault")) is not None:
        elements.append(dd.find(qn("w:rPrDefault")))
    for element in elements:
        rpr = element.find(qn("w:rPr"))
        if rpr is None:
            continue
        rf = rpr.find(qn("w:rFonts"))
        if rf is not None:
            if "east" not in found and rf.get(qn("w:eastAsia")):
                found["east"] = rf.get(qn("w:eastAsia"))
            if "latin" not in found and rf.get(qn("w:ascii")):
                found["latin"] = rf.get(qn("w:ascii"))
        sz = rpr.find(qn("w:sz"))
        if "size" not in found and sz is not None:
            found["size"] = int(sz.get(qn("w:val"))) / 2
        b = rpr.find(qn("w:b"))
        if "bold" not in found and b is not None:
            found["bold"] = b.get(qn("w:val"), "true") not in ("0", "false", "off")
        c = rpr.find(qn("w:color"))
        if "color" not in found and c is not None and c.get(qn("w:val")) not in (None, "auto"):
            found["color"] = c.get(qn("w:val"))
    return Look(found.get("east", r.east_asia), found.get("latin", r.latin), found.get("size", r.size),
                found.get("bold", r.bold), found.get("color", r.color))


# --- the shipped bases ----------------------------------------------------------------------------

def write_templates(folder: Path) -> list[Path]:
    """templates/tongbao.docx and templates/jianbao.docx: the built-in bases, for offices to restyle."""
    from bqw.documents.common import TEMPLATE_NAMES

    folder = Path(folder)
    out = []
    for kind, name in TEMPLATE_NAMES.items():
        doc = new_base(kind)
        from datetime import datetime, timezone

        stamp = datetime(2026, 1, 1, tzinfo=timezone.utc)  # fixed, so that regenerating changes nothing
        doc.core_properties.created = doc.core_properties.modified = stamp
        doc.core_properties.last_modified_by = "bqw"
        doc.core_properties.revision = 1
        from bqw.core.atomic import atomic_path, zip_output

        with atomic_path(folder / name) as tmp, zip_output(tmp) as output:
            doc.save(output)
        out.append(folder / name)
    return out


if __name__ == "__main__":  # python -m bqw.documents.styles templates/
    import sys

    for p in write_templates(Path(sys.argv[1] if len(sys.argv) > 1 else "templates")):
        print(p)

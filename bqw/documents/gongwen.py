"""GB/T 9704-2012 format primitives on python-docx: the base document, styles, red head, headings,
attachment tables, page numbers and the 版记 / 报尾 pinned to the foot of the last page.

The recipes and the reasons behind them are in the format spec (../shared/gongwen.md, §8–§9);
what an office can restyle is in docs/documents.md (“改版式”).

Every paragraph gets one of the styles in ROLES. The typography of a run (East Asian font,
Latin font, size, bold, colour) is read from that style in the base document and written on
the run as well, so that an office restyles by editing the styles of its base in Word/WPS,
while every run still names its East Asian font through ``w:eastAsia`` (python-docx's
``font.name`` alone leaves Chinese text in the theme font).

python-docx is imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import copy
import io

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# --- constants ------------------------------------------------------------------------------------

FS, KT, HT, XBS, ST, LATIN = "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体", "Times New Roman"
RED = "FF0000"
LINE_TWIPS = 579  # 28.95 pt: 22 lines in the 225 mm text area
TEXT_W_MM = 156
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
HEADER_MM, FOOTER_MM = 15, 22.5
THEME = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
PLACEHOLDER = re.compile(r"\{(发文机关|发文字号|简报名称|期号|编印单位|日期)\}")

# schema order of pPr children after framePr; slices give "everything after X"
PPR_AFTER_FRAMEPR = (
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange")
PPR_AFTER_PBDR = PPR_AFTER_FRAMEPR[4:]
PPR_AFTER_SHD = PPR_AFTER_FRAMEPR[5:]
PPR_AFTER_AUTOSPACE = PPR_AFTER_FRAMEPR[13:]
RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                     "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                     "w:eastAsianLayout", "w:specVanish", "w:oMath")
RPR_AFTER_W = RPR_AFTER_SPACING[1:]
TCPR_AFTER_TCMAR = ("w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
                    "w:cellDel", "w:cellMerge", "w:tcPrChange")
TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                       "w:tblDescription", "w:tblPrChange")
TBLPR_AFTER_LAYOUT = TBLPR_AFTER_BORDERS[2:]


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
    border: tuple[int, str, int] | None = None  # bottom rule: (eighths of a pt, colour, gap in pt)


def _mm_pt(mm: float) -> float:
    return mm * 72 / 25.4


ROLES: dict[str, Role] = {
    # 通报 (文件式)
    "mark": Role("公文-发文机关标志", XBS, 42, latin=XBS, color=RED, align="center", line=42 * 1.2,
                 space_before=round(_mm_pt(35) - 4, 1)),
    "docno": Role("公文-发文字号", FS, 16, align="center", border=(12, RED, 11)),
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
    "jb_editor": Role("简报-编印单位", FS, 16, align="left", border=(18, RED, 4)),
    "jb_title": Role("简报-标题", XBS, 22, latin=XBS, align="center"),
    "jb_note_head": Role("简报-编者按", KT, 16, first=2),
    "caption": Role("简报-图注", KT, 14, align="center", line=20, condense=0),
}
HEAD_ROLES = {"tongbao": ("mark", "docno"), "jianbao": ("jb_name", "jb_issue", "jb_editor")}
SCALED_ROLES = ("mark", "jb_name")  # narrowed with w:w so that they fit on one line


@dataclass(frozen=True)
class Look:
    """The typography of a role as read from its style in the base."""

    east_asia: str
    latin: str
    size: float
    bold: bool
    color: str | None


# --- small helpers --------------------------------------------------------------------------------

def em(text: str) -> float:
    """Width in em: CJK and full-width characters 1, ASCII and half-width 0.5."""
    return sum(0.5 if ord(c) < 0x2E80 and unicodedata.east_asian_width(c) in ("Na", "H", "N") else 1
               for c in text)


def cn_date(d) -> str:
    """2026年10月31日 (Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def _qn(tag):
    from docx.oxml.ns import qn

    return qn(tag)


def _el(tag, **attrs):
    from docx.oxml import OxmlElement

    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(_qn(f"w:{k}"), str(v))
    return e


def set_fonts(owner, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts of a run or a style: w:eastAsia plus the Latin slots, theme attributes removed."""
    rpr = owner._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for a in THEME:
        rfonts.attrib.pop(_qn(a), None)
    for a in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(_qn(a), latin)
    rfonts.set(_qn("w:eastAsia"), east_asia)
    rfonts.set(_qn("w:hint"), "eastAsia")


def _set_spacing(rpr, twentieths: int) -> None:
    old = rpr.find(_qn("w:spacing"))
    if old is not None:
        rpr.remove(old)
    rpr.insert_element_before(_el("w:spacing", val=twentieths), *RPR_AFTER_SPACING)


def indent(p_or_style, first=0.0, left=0.0, right=0.0, hanging=0.0, size=16.0) -> None:
    """Indents in characters: Word's *Chars attributes plus a twip value for other readers."""
    ind = p_or_style._element.get_or_add_pPr().get_or_add_ind()
    for attr, n in (("firstLine", first), ("left", left), ("right", right), ("hanging", hanging)):
        if n:
            ind.set(_qn(f"w:{attr}"), str(round(n * size * 20)))
            ind.set(_qn(f"w:{attr}Chars"), str(round(n * 100)))


def rule(owner, eighths: int, color: str, space_pt: int, side: str = "bottom") -> None:
    """A paragraph border (the red rule under 发文字号 or 编印单位)."""
    ppr = owner._element.get_or_add_pPr()
    pbdr = ppr.find(_qn("w:pBdr"))
    if pbdr is None:
        pbdr = _el("w:pBdr")
        ppr.insert_element_before(pbdr, *PPR_AFTER_PBDR)
    pbdr.append(_el(f"w:{side}", val="single", sz=eighths, space=space_pt, color=color))


def _align(value: str):
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A

    return {"left": A.LEFT, "center": A.CENTER, "right": A.RIGHT, "justify": A.JUSTIFY}[value]


# --- the base document ---------------------------------------------------------------------------

def _setup_page(section) -> None:
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(HEADER_MM), Mm(FOOTER_MM)
    sectpr = section._sectPr
    grid = sectpr.find(_qn("w:docGrid"))
    if grid is None:
        grid = _el("w:docGrid")
        sectpr.append(grid)
    for a in list(grid.attrib):  # no grid type: LibreOffice distorts linesAndChars / lines (spec §2)
        del grid.attrib[a]
    grid.set(_qn("w:linePitch"), str(LINE_TWIPS))


def _setup_defaults(doc) -> None:
    """Doc defaults and Normal: 3号 仿宋, exact 28.95 pt, no spacing, −0.25 pt condensation."""
    from docx.shared import Pt, Twips

    styles = doc.styles.element
    dd = styles.find(_qn("w:docDefaults"))
    rpr = dd.find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
    rf = rpr.find(_qn("w:rFonts"))
    for a in THEME:
        rf.attrib.pop(_qn(a), None)
    for a, v in (("ascii", LATIN), ("hAnsi", LATIN), ("cs", LATIN), ("eastAsia", FS)):
        rf.set(_qn(f"w:{a}"), v)
    lang = rpr.find(_qn("w:lang"))
    if lang is not None:
        lang.set(_qn("w:val"), "en-US")
        lang.set(_qn("w:eastAsia"), "zh-CN")
    sp = dd.find(_qn("w:pPrDefault")).find(_qn("w:pPr")).find(_qn("w:spacing"))
    for k, v in (("after", "0"), ("line", str(LINE_TWIPS)), ("lineRule", "exact")):
        sp.set(_qn(f"w:{k}"), v)

    normal = doc.styles["Normal"]
    set_fonts(normal, FS)
    normal.font.size = Pt(16)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = Twips(LINE_TWIPS)  # a Length => lineRule="exact"
    pf.widow_control = False
    pf.alignment = _align("justify")
    ppr = normal._element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space between Chinese and digits
        if ppr.find(_qn(tag)) is None:
            ppr.insert_element_before(_el(tag, val=0), *PPR_AFTER_AUTOSPACE)
    _set_spacing(normal._element.get_or_add_rPr(), -5)  # −0.25 pt => 28 characters per line

    settings = doc.settings.element
    tfl = settings.find(_qn("w:themeFontLang"))
    if tfl is not None:
        tfl.set(_qn("w:eastAsia"), "zh-CN")
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
    pf.alignment = _align(role.align)
    if role.line is not None:
        pf.line_spacing = Pt(role.line)
    if role.space_before:
        pf.space_before = Pt(role.space_before)
    if role.keep_next:
        pf.keep_with_next = True
    if role.first or role.left:
        indent(style, first=role.first, left=role.left, size=role.size)
    if role.condense is not None:
        _set_spacing(style._element.get_or_add_rPr(), round(role.condense * 20))
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
    """<w:font> entries with GB2312 charset and alternative names, so Word can substitute (spec §7.1)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    from docx.oxml import parse_xml

    root = parse_xml(part.blob)
    have = {f.get(_qn("w:name")) for f in root.findall(_qn("w:font"))}
    for name, alt, family in ((FS, "仿宋", "modern"), (KT, "楷体", "modern"), (HT, "SimHei", "modern"),
                              (XBS, "方正小标宋_GBK", "script"), (ST, "SimSun", "auto")):
        if name in have:
            continue
        font = _el("w:font", name=name)
        font.append(_el("w:altName", val=alt))
        font.append(_el("w:charset", val="86"))
        font.append(_el("w:family", val=family))
        font.append(_el("w:pitch", val="variable"))
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field(p, look: Look, instr: str) -> None:
    def part(child):
        r = p.add_run()
        _apply_look(r, look)
        r._r.append(child)

    part(_el("w:fldChar", fldCharType="begin"))
    t = _el("w:instrText")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = f" {instr} "
    part(t)
    part(_el("w:fldChar", fldCharType="separate"))
    _apply_look(p.add_run("1"), look)  # cached result, refreshed by the viewer
    part(_el("w:fldChar", fldCharType="end"))


def page_number(doc, footer, odd: bool) -> None:
    """“— 1 —” in 4号 宋体: odd pages right (right indent 1 char), even pages left (left indent 1 char)."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    p.style = doc.styles[ROLES["pageno"].style]
    look = look_of(doc, "pageno")
    p.alignment = _align("right" if odd else "left")
    if odd:
        indent(p, right=1, size=look.size)
    else:
        indent(p, left=1, size=look.size)
    _apply_look(p.add_run("— "), look)
    _field(p, look, "PAGE")
    _apply_look(p.add_run(" —"), look)


def new_base(kind: str = "tongbao"):
    """The built-in base of a 通报 (kind "tongbao") or 简报 ("jianbao"): page setup, styles,
    page-number footers and the head with placeholders — what templates/*.docx hold."""
    from docx import Document

    doc = Document()
    _setup_page(doc.sections[0])
    _setup_defaults(doc)
    ensure_styles(doc)
    _add_font_table_entries(doc)
    section = doc.sections[0]
    page_number(doc, section.footer, odd=True)
    page_number(doc, section.even_page_footer, odd=False)
    doc.core_properties.author = "bqw"
    doc.core_properties.title = "通报底版" if kind == "tongbao" else "简报底版"
    body = doc.element.body
    for p in list(body.findall(_qn("w:p"))):  # the default template's empty paragraph
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
        _right_tab(p, _text_width(doc))
    else:
        raise ValueError(kind)
    return doc


def _head_paragraph(doc, role: str, text: str):
    p = doc.add_paragraph(style=doc.styles[ROLES[role].style])
    _apply_look(p.add_run(text), look_of(doc, role))
    return p


def _right_tab(p, position) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT

    p.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)


def _text_width(doc):
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
        page_number(doc, section.footer, odd=True)
        page_number(doc, section.even_page_footer, odd=False)
    body = doc.element.body
    paragraphs = body.findall(_qn("w:p"))
    while paragraphs and _is_empty(paragraphs[-1]) and paragraphs[-1].find(".//" + _qn("w:sectPr")) is None:
        body.remove(paragraphs.pop())
    return doc


def _is_empty(p) -> bool:
    text = "".join(t.text or "" for t in p.iter(_qn("w:t")))
    return not text.strip() and not list(p.iter(_qn("w:drawing"))) and not list(p.iter(_qn("w:pict")))


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
    dd = doc.styles.element.find(_qn("w:docDefaults"))
    if dd is not None and dd.find(_qn("w:rPrDefault")) is not None:
        elements.append(dd.find(_qn("w:rPrDefault")))
    for el in elements:
        rpr = el.find(_qn("w:rPr"))
        if rpr is None:
            continue
        rf = rpr.find(_qn("w:rFonts"))
        if rf is not None:
            if "east" not in found and rf.get(_qn("w:eastAsia")):
                found["east"] = rf.get(_qn("w:eastAsia"))
            if "latin" not in found and rf.get(_qn("w:ascii")):
                found["latin"] = rf.get(_qn("w:ascii"))
        sz = rpr.find(_qn("w:sz"))
        if "size" not in found and sz is not None:
            found["size"] = int(sz.get(_qn("w:val"))) / 2
        b = rpr.find(_qn("w:b"))
        if "bold" not in found and b is not None:
            found["bold"] = b.get(_qn("w:val"), "true") not in ("0", "false", "off")
        c = rpr.find(_qn("w:color"))
        if "color" not in found and c is not None and c.get(_qn("w:val")) not in (None, "auto"):
            found["color"] = c.get(_qn("w:val"))
    return Look(found.get("east", r.east_asia), found.get("latin", r.latin), found.get("size", r.size),
                found.get("bold", r.bold), found.get("color", r.color))


_RPR: dict[tuple, object] = {}  # (look, bold, scale) -> a w:rPr to copy into new runs


def _apply_look(run, look: Look, bold: bool | None = None, scale: float | None = None) -> None:
    """Fonts (with w:eastAsia), size, bold, colour and scale of a run, as direct formatting."""
    if run._r.rPr is not None:  # a run that has formatting already: set each property on it
        _set_look(run, look, bold, scale)
        return
    key = (look, bold, scale)
    rpr = _RPR.get(key)
    if rpr is None:  # the first run of this look: format it the long way and keep its w:rPr
        _set_look(run, look, bold, scale)
        _RPR[key] = copy.deepcopy(run._r.rPr)
        return
    run._r.insert(0, copy.deepcopy(rpr))


def _set_look(run, look: Look, bold: bool | None, scale: float | None) -> None:
    from docx.shared import Pt, RGBColor

    set_fonts(run, look.east_asia, look.latin)
    run.font.size = Pt(look.size)
    b = look.bold if bold is None else bold
    run.font.bold = b
    if look.color:
        run.font.color.rgb = RGBColor.from_string(look.color)
    if scale is not None and scale < 100:
        rpr = run._element.get_or_add_rPr()
        old = rpr.find(_qn("w:w"))
        if old is not None:
            rpr.remove(old)
        rpr.insert_element_before(_el("w:w", val=int(scale)), *RPR_AFTER_W)


# --- the writer -----------------------------------------------------------------------------------

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
        return _text_width(self.doc)

    def run(self, p, text: str, role: str, bold: bool | None = None, scale: float | None = None):
        r = p.add_run(text)
        _apply_look(r, self.look(role), bold=bold, scale=scale)
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
        发文机关标志 and the 简报 name on one line with a character scale (spec §4.2)."""
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
                    _apply_look(runs[0], self.look(style_role), scale=scale)

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
        """附件：1.名称 / 2.名称 aligned under 1. (spec §4.3); one attachment without a number."""
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
        """Sealed layout (spec §4.4): 日期 right indent 4 chars, 署名 centred over the date.

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
        borders = _el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_el(f"w:{side}", val="single", sz=4, space=0, color="000000"))
        tblpr.insert_element_before(borders, *TBLPR_AFTER_BORDERS)
        layout = tblpr.find(_qn("w:tblLayout"))
        if layout is None:
            tblpr.insert_element_before(_el("w:tblLayout", type="fixed"), *TBLPR_AFTER_LAYOUT)
        margins = _el("w:tblCellMar")  # 1 mm left and right: more room for short Chinese names
        for side in ("left", "right"):
            margins.append(_el(f"w:{side}", w=57, type="dxa"))
        tblpr.insert_element_before(margins, *TBLPR_AFTER_LAYOUT[1:])
        width = tblpr.find(_qn("w:tblW"))
        if width is not None:
            width.set(_qn("w:type"), "dxa")
            width.set(_qn("w:w"), str(int(sum(w.twips for w in widths))))
        for col, w in zip(t.columns, widths):  # w:gridCol (LibreOffice reads this)
            col.width = w

        def fill(row, values, role):
            for i, (c, v, w) in enumerate(zip(row.cells, values, widths)):
                c.width = w  # w:tcW (Word reads this)
                c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                cp = c.paragraphs[0]
                cp._p.style = self.style_id(role)
                if role == "td":
                    cp.alignment = _align("center" if aligns[i] == "c" else "left")
                text = "" if v is None else str(v)
                for j, line in enumerate(text.split("\n")):
                    r = self.run(cp, line, role)
                    if j < len(text.split("\n")) - 1:
                        r.add_break()

        header = t.rows[0]
        _row_flag(header, "w:tblHeader")  # repeat on every page
        _row_flag(header, "w:cantSplit")
        fill(header, spec.header, "th")
        for values in spec.rows:
            r = t.add_row()
            _row_flag(r, "w:cantSplit")  # a row never breaks across pages
            fill(r, values, "td")
        return t

    # 版记 / 报尾

    def _frame(self, p) -> None:
        fp = _el("w:framePr", w=int(self.text_width.twips), h=0, hRule="atLeast", wrap="notBeside",
                 hAnchor="margin", xAlign="center", vAnchor="margin", yAlign="bottom")
        p._p.get_or_add_pPr().insert_element_before(fp, *PPR_AFTER_FRAMEPR)

    def _bar(self, twips: int):
        from docx.shared import Pt, Twips

        p = self.p("record")
        self._frame(p)
        p.paragraph_format.line_spacing = Twips(twips)
        shd = _el("w:shd", val="clear", color="auto", fill="000000")
        p._p.get_or_add_pPr().insert_element_before(shd, *PPR_AFTER_SHD)
        r = p.add_run()
        r.font.size = Pt(1)
        return p

    def record(self, rows: list) -> None:
        """The 版记 (or 简报 报尾) in a bottom-aligned frame (spec §8.8).

        rows: ("抄送：…。", None) lines wrapped after the colon, ("left", "right") lines with the
        right part flush right, or "thin" for the 0.25 mm middle rule. Thick rules top and bottom.
        """
        from docx.shared import Emu, Pt, Twips

        size = self.look("record").size
        self._bar(20)
        for row in rows:
            if row == "thin":
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
                _right_tab(p, Emu(self.text_width - Pt(size)))
                self.run(p, f"{left}\t{right}", "record")
        self._bar(20)
        tail = self.doc.add_paragraph()  # without it LibreOffice may leave the frame on the page before
        tail.paragraph_format.line_spacing = Twips(20)
        tail.add_run().font.size = Pt(1)

    # pictures

    def picture(self, path: Path, caption: str | None = None) -> None:
        from docx.shared import Mm

        from docx.enum.text import WD_LINE_SPACING

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


def _row_flag(row, tag: str) -> None:
    row._tr.get_or_add_trPr().append(_el(tag, val="true"))


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
        for cut in _combinations(points, n - 1):
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


def _combinations(points, k):
    from itertools import combinations

    return combinations(points, k)


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


if __name__ == "__main__":  # python -m bqw.documents.gongwen templates/
    import sys

    for p in write_templates(Path(sys.argv[1] if len(sys.argv) > 1 else "templates")):
        print(p)

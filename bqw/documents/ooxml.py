"""WordprocessingML by hand where python-docx has no API: elements inserted in schema order, the
East Asian font of runs and styles, indents in characters, paragraph rules, typography written
on a run, and the PAGE field of the page numbers.

python-docx's ``font.name`` writes only the Latin font slots, so Chinese text would stay in the
theme font: set_fonts names ``w:eastAsia`` too and removes the theme attributes, which would
otherwise win over an explicit name on the same element (ECMA-376, rFonts).

python-docx is imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

FS, KT, HT, XBS, ST, LATIN = "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体", "Times New Roman"
THEME = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

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
TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                       "w:tblDescription", "w:tblPrChange")
TBLPR_AFTER_LAYOUT = TBLPR_AFTER_BORDERS[2:]


@dataclass(frozen=True)
class Look:
    """The typography of a run: fonts, size in pt, bold and colour (hex, None: automatic)."""

    east_asia: str
    latin: str
    size: float
    bold: bool
    color: str | None


def qn(tag: str) -> str:
    """The Clark name lxml uses for a prefixed tag such as "w:spacing"."""
    from docx.oxml.ns import qn as docx_qn

    return docx_qn(tag)


def el(tag: str, **attrs):
    """A new element with w: attributes: el("w:spacing", val=-5)."""
    from docx.oxml import OxmlElement

    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), str(v))
    return e


def set_fonts(owner, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts of a run or a style: w:eastAsia plus the Latin slots, theme attributes removed."""
    rpr = owner._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for a in THEME:
        rfonts.attrib.pop(qn(a), None)
    for a in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(a), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def set_spacing(rpr, twentieths: int) -> None:
    """Character spacing (condensed when negative) in twentieths of a pt."""
    old = rpr.find(qn("w:spacing"))
    if old is not None:
        rpr.remove(old)
    rpr.insert_element_before(el("w:spacing", val=twentieths), *RPR_AFTER_SPACING)


def indent(p_or_style, first=0.0, left=0.0, right=0.0, hanging=0.0, size=16.0) -> None:
    """Indents in characters: Word's *Chars attributes plus a twip value for other readers."""
    ind = p_or_style._element.get_or_add_pPr().get_or_add_ind()
    for attr, n in (("firstLine", first), ("left", left), ("right", right), ("hanging", hanging)):
        if n:
            ind.set(qn(f"w:{attr}"), str(round(n * size * 20)))
            ind.set(qn(f"w:{attr}Chars"), str(round(n * 100)))


def rule(owner, eighths: int, color: str, space_pt: int, side: str = "bottom") -> None:
    """A paragraph border (the red rule under 发文字号 or 编印单位)."""
    ppr = owner._element.get_or_add_pPr()
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is None:
        pbdr = el("w:pBdr")
        ppr.insert_element_before(pbdr, *PPR_AFTER_PBDR)
    pbdr.append(el(f"w:{side}", val="single", sz=eighths, space=space_pt, color=color))


def align(value: str):
    """python-docx's paragraph alignment for "left", "center", "right" or "justify"."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A

    return {"left": A.LEFT, "center": A.CENTER, "right": A.RIGHT, "justify": A.JUSTIFY}[value]


def right_tab(p, position) -> None:
    """A right-aligned tab stop (编印单位 … 日期, 印发机关 … 印发日期)."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    p.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)


def row_flag(row, tag: str) -> None:
    """A true on/off property of a table row (w:tblHeader, w:cantSplit)."""
    row._tr.get_or_add_trPr().append(el(tag, val="true"))


_RPR: dict[tuple, object] = {}  # (look, bold, scale) -> a w:rPr to copy into new runs


def apply_look(run, look: Look, bold: bool | None = None, scale: float | None = None) -> None:
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
        old = rpr.find(qn("w:w"))
        if old is not None:
            rpr.remove(old)
        rpr.insert_element_before(el("w:w", val=int(scale)), *RPR_AFTER_W)


def _field(p, look: Look, instr: str) -> None:
    def part(child):
        r = p.add_run()
        apply_look(r, look)
        r._r.append(child)

    part(el("w:fldChar", fldCharType="begin"))
    t = el("w:instrText")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = f" {instr} "
    part(t)
    part(el("w:fldChar", fldCharType="separate"))
    apply_look(p.add_run("1"), look)  # cached result, refreshed by the viewer
    part(el("w:fldChar", fldCharType="end"))


def page_number(footer, style, look: Look, odd: bool) -> None:
    """“— 1 —” in the footer's first paragraph (GB/T 9704-2012 7.5): odd pages right with a right
    indent of 1 character, even pages left with a left indent of 1 character."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    p.style = style
    p.alignment = align("right" if odd else "left")
    if odd:
        indent(p, right=1, size=look.size)
    else:
        indent(p, left=1, size=look.size)
    apply_look(p.add_run("— "), look)
    _field(p, look, "PAGE")
    apply_look(p.add_run(" —"), look)

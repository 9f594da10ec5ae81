"""Every DOCX anquan writes made a complete 公文 (GB/T 9704-2012), after its body is laid out.

A template (the shipped ``report.docx`` or an office's own) lays out the title and the body;
:func:`finish` then puts around them what every document an office sends carries, the same
for reports, notices and statistics:

- 版头 (7.2): the 发文机关标志 in red 小标宋, centred; the 发文字号 two lines below it, centred;
  4 mm below, a red separator as wide as the type area; the title two lines below that;
- 主送机关 (7.3.2): a line below the title, flush left, ending with a full-width colon;
- 附件说明 (7.3.4), when there are attachments: a line below the body, 附件：1. … ;
- 落款 (7.3.5.2, a document without a seal): a line below the body, the 发文机关署名 two
  characters from the right, the 成文日期 on the next line two characters right of the
  署名's first character (or two from the right when it is the longer) — kept on the page
  of the last body lines by a keep-with-next chain, never alone on a page;
- 版记 (7.4): 抄送机关 and 印发机关/印发日期 between separator lines (the first and last thicker)
  at the foot of the last page, as a table anchored to the bottom margin;
- tables (10): columns as wide as names, dates and numbers need to stay on one line, the
  rest shared by the text columns; a table too wide at 四号 is set smaller;
- the document's properties carry its title, organ and provenance (never a machine path);
  ``footnote`` prints the provenance as a footnote of the title too.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["Frame", "finish", "run_fonts", "text_width", "must_stay_whole", "RED", "cn_date", "TEXT_WIDTH_PT"]

RED = "FF0000"
MARK_FONT, BODY_FONT, NOTE_FONT = "方正小标宋简体", "仿宋_GB2312", "仿宋_GB2312"
BODY_PT, NOTE_PT = 16, 14
#: the type area: 210 − 28 − 26 mm
TEXT_WIDTH_PT = 156 / 25.4 * 72
#: a table cell's left and right margins (twips): 1 mm
CELL_MARGIN_TWIPS = 57
#: the width of a Latin letter or digit, in em
NARROW_EM = 0.62
#: a text column is given at least this many characters when the table can afford it
READABLE_EM = 6.0
#: a CJK text no longer than this (in characters) is a name, a heading or a word: never split
WHOLE_EM = 6.0


@dataclass(frozen=True)
class Frame:
    """What heads and signs one document."""

    title: str
    organ: str
    date: dt.date
    mark: str | None = None
    number: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    printer: str | None = None
    attachments: tuple[str, ...] = ()
    #: what the document is: 通报, 督办函 … (its properties' subject)
    subject: str = ""
    #: where its figures come from (workspace name, revision, anquan version): its properties'
    #: comments, and a footnote with ``footnote``
    provenance: str = ""
    footnote: bool = False
    keywords: tuple[str, ...] = field(default_factory=lambda: ("安全生产",))


def cn_date(day: dt.date) -> str:
    """成文日期 as GB/T 9704 writes it: 2023年11月30日 (Arabic numerals, no padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def text_width(text: str) -> float:
    """Width in em: a CJK or full-width character one, anything else :data:`NARROW_EM` (half
    an em in 仿宋_GB2312, a little more in the proportional Latin of the fonts that stand in
    for it)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else NARROW_EM for ch in text)


def must_stay_whole(text: str) -> bool:
    """Whether a cell's text may not wrap: an id, a date, a number (anything without CJK), or a
    CJK name or word of at most :data:`WHOLE_EM` characters."""
    text = text.strip()
    if not text or "\n" in text:
        return False
    if not any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return " " not in text
    return text_width(text) <= WHOLE_EM


# ---------------------------------------------------------------------------- XML helpers


def _el(tag: str, **attrs: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def set_fonts(owner, name: str, size=None, bold: bool | None = None, color: str | None = None,
              lang: bool = True) -> None:
    """Latin and East-Asian font names (``w:eastAsia``, not only the Latin one), size (pt, or a
    python-docx length), weight and colour of a run or a style; with ``lang`` its language,
    zh-CN for East-Asian text.  The one font setter of every DOCX anquan writes (the template
    tool's too)."""
    from docx.oxml.ns import qn
    from docx.shared import Length, Pt, RGBColor

    owner.font.name = name
    if size is not None:
        owner.font.size = size if isinstance(size, Length) else Pt(size)
    if bold is not None:
        owner.font.bold = bold
    if color:
        owner.font.color.rgb = RGBColor.from_string(color)
    rpr = owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), name)
    if lang:
        tag = rpr.find(qn("w:lang"))
        if tag is None:
            tag = _el("w:lang")
            rpr.append(tag)
        tag.set(qn("w:val"), "en-US")
        tag.set(qn("w:eastAsia"), "zh-CN")


def run_fonts(run, name: str, size: float, color: str | None = None, bold: bool = False, lang: bool = False) -> None:
    """:func:`set_fonts` for a run: its size and weight always set, its language only with ``lang``."""
    set_fonts(run, name, size, bold, color, lang)


def page_numbers(footer, align) -> None:
    """A footer's "— 1 —" page number in 宋体 四号 (GB/T 9704 7.5): a PAGE field between dashes."""
    p = footer.paragraphs[0]
    p.alignment = align

    def run(text: str = "", fld: str | None = None, instr: str | None = None) -> None:
        r = p.add_run(text)
        set_fonts(r, "宋体", 14.0)
        if fld:
            r._r.append(_el("w:fldChar", fldCharType=fld))
        if instr:
            el = _el("w:instrText")
            el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            el.text = instr
            r._r.append(el)

    for text, fld, instr in (("— ", None, None), ("", "begin", None), ("", None, " PAGE "), ("", "separate", None),
                             ("1", None, None), ("", "end", None), (" —", None, None)):
        run(text, fld, instr)


def exact_pitch(fmt, pitch=28.0) -> None:
    """A paragraph format (or a style's) at an exact line pitch (pt, or a python-docx length),
    no space before or after: GB/T 9704's 28 pt line of 三号 text."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Length, Pt

    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch if isinstance(pitch, Length) else Pt(pitch)
    fmt.space_before = fmt.space_after = Pt(0)


def a4_page(sect, landscape: bool = False) -> None:
    """A section's page per GB/T 9704 5.2: A4, margins top 37, bottom 35, left 28, right 26 mm,
    the footer 20 mm from the edge; a landscape page has the margins turned with it (top 28,
    bottom 26, left 37, right 35).  The orientation itself is the caller's to set."""
    from docx.shared import Mm

    if landscape:
        sect.page_width, sect.page_height = Mm(297), Mm(210)
        sect.top_margin, sect.bottom_margin, sect.left_margin, sect.right_margin = Mm(28), Mm(26), Mm(37), Mm(35)
    else:
        sect.page_width, sect.page_height = Mm(210), Mm(297)
        sect.top_margin, sect.bottom_margin, sect.left_margin, sect.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    sect.footer_distance = Mm(20)


def _paragraph(doc, text: str = "", *, font: str = BODY_FONT, size: float = BODY_PT, align=None,
               color: str | None = None, indent_em: float = 0, right_em: float = 0, pitch: float | None = 28):
    """A new paragraph (not yet placed: the caller puts its element where it belongs)."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt
    from docx.text.paragraph import Paragraph

    p = Paragraph(_el("w:p"), doc._body)
    fmt = p.paragraph_format
    if pitch is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.space_before = fmt.space_after = Pt(0)
    else:
        exact_pitch(fmt, pitch)
    fmt.first_line_indent = Pt(indent_em * size) if indent_em else Pt(0)
    fmt.left_indent = Pt(0)
    if right_em:
        fmt.right_indent = Pt(right_em * size)
    if align is not None:
        p.alignment = align
    if text:
        run_fonts(p.add_run(text), font, size, color)
    return p


#: the order of w:pPr's children (ECMA-376 CT_PPr)
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _in_place(ppr, el) -> None:
    """``el`` put among ``w:pPr``'s children where the schema orders it (Word refuses a file
    whose children are out of order)."""
    order = _PPR_ORDER
    rank = order.index(el.tag.rpartition("}")[2])
    for child in ppr:
        name = child.tag.rpartition("}")[2]
        if name in order and order.index(name) > rank:
            child.addprevious(el)
            return
    ppr.append(el)


def _border(p, side: str, color: str, eighths: int, space_pt: int = 1) -> None:
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = _el("w:pBdr")
        _in_place(ppr, bdr)
    bdr.append(_el(f"w:{side}", val="single", sz=str(eighths), space=str(space_pt), color=color))


def _text_of(el) -> str:
    from docx.oxml.ns import qn

    return "".join(t.text or "" for t in el.iter(qn("w:t")))


# ---------------------------------------------------------------------------- the frame


def finish(doc: Document, frame: Frame) -> None:
    """Make the rendered ``doc`` a complete 公文 (see the module's description)."""
    from docx.oxml.ns import qn

    body = doc.element.body
    blocks = [el for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]
    title = next((el for el in blocks if el.tag == qn("w:p") and _text_of(el).strip() == frame.title), None)
    if title is None:  # a template of the office's own without the title as its own paragraph
        title = blocks[0] if blocks else body.append(_el("w:p")) or body[-1]
    _head(doc, title, frame)
    _addressee(doc, title, frame)
    fit_tables(doc)
    _sign(doc, frame)
    _record(doc, frame)
    _properties(doc, frame)
    if frame.footnote and frame.provenance:
        _footnote(doc, title, frame.provenance)


def _head(doc, title, frame: Frame) -> None:
    """版头: 发文机关标志, 发文字号, the red line; the title two lines below."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    mark = frame.mark or f"{frame.organ}文件"
    # as large as the type area allows, at most 初号-and-a-half
    size = max(22.0, min(48.0, int(TEXT_WIDTH_PT * 0.92 / max(text_width(mark), 1))))
    first = _paragraph(doc, mark, font=MARK_FONT, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, pitch=None)
    first.paragraph_format.keep_with_next = True
    parts = [first, _paragraph(doc), _paragraph(doc)]  # 发文字号 two lines below the 标志
    if frame.number:
        number = _paragraph(doc, frame.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        number = _paragraph(doc)
    _border(number, "bottom", RED, 12, 11)  # 4 mm below it: the red separator, as wide as the type area
    parts += [number, _paragraph(doc), _paragraph(doc)]  # the title two lines below the line
    for p in parts:
        p.paragraph_format.keep_with_next = True
        title.addprevious(p._p)


def _addressee(doc, title, frame: Frame) -> None:
    """主送机关 a line below the title (after the template's empty line, else after one of its own)."""
    if not frame.to:
        return
    from docx.oxml.ns import qn

    line = _paragraph(doc, "、".join(frame.to) + "：")
    after = title.getnext()
    if after is not None and after.tag == qn("w:p") and not _text_of(after).strip():
        after.addnext(line._p)
    else:
        gap = _paragraph(doc)
        title.addnext(gap._p)
        gap._p.addnext(line._p)


def _last_block(doc):
    """The last block of the body with something in it; empty paragraphs after it are removed."""
    from docx.oxml.ns import qn

    body = doc.element.body
    for el in reversed(list(body)):
        if el.tag == qn("w:tbl"):
            return el
        if el.tag == qn("w:p"):
            if _text_of(el).strip() or el.find(".//" + qn("w:drawing")) is not None:
                return el
            body.remove(el)
    return None


def _keep_with_next(el) -> None:
    """``el`` (a paragraph, or a table's last row) stays on the page of what follows it."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    if el.tag == qn("w:tbl"):
        rows = el.findall(qn("w:tr"))
        paragraphs = rows[-1].iter(qn("w:p")) if rows else []
    else:
        paragraphs = [el]
    for p in paragraphs:
        fmt = Paragraph(p, None).paragraph_format  # type: ignore[arg-type]  # no story part needed
        fmt.keep_with_next = True
        fmt.keep_together = True


def _sign(doc, frame: Frame) -> None:
    """附件说明 and 落款 after the last body block, chained to it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    last = _last_block(doc)
    body = doc.element.body
    chain = []
    if frame.attachments:
        chain.append(_paragraph(doc))
        for i, name in enumerate(frame.attachments, 1):
            if len(frame.attachments) == 1:
                text = f"附件：{name}"
            else:
                text = (f"附件：{i}. {name}" if i == 1 else f"{i}. {name}")
            p = _paragraph(doc, text, indent_em=2 if i == 1 else 0)
            if i > 1:  # the names line up under the first
                from docx.shared import Pt

                p.paragraph_format.left_indent = Pt(5 * BODY_PT)
            chain.append(p)
    organ, date = frame.organ, cn_date(frame.date)
    wo, wd = text_width(organ), text_width(date)
    if wo - wd >= 2:  # the date's first character two right of the organ's
        organ_right, date_right = 2.0, wo - wd
    else:  # the date is the longer: two from the right, the organ moved right of it
        organ_right, date_right = 4.0 + wd - wo, 2.0
    chain += [_paragraph(doc),
              _paragraph(doc, organ, align=WD_ALIGN_PARAGRAPH.RIGHT, right_em=organ_right),
              _paragraph(doc, date, align=WD_ALIGN_PARAGRAPH.RIGHT, right_em=date_right)]
    if last is not None:
        _keep_with_next(last)
    sect = body.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr")
    for p in chain[:-1]:
        p.paragraph_format.keep_with_next = True
    for p in chain:
        if sect is not None:
            sect.addprevious(p._p)
        else:
            body.append(p._p)


def _record(doc, frame: Frame) -> None:
    """版记 at the foot of the last page: 抄送 and 印发 between separator lines (the first and
    last 0.35 mm, the one between 0.25 mm), in a text box at the bottom of the type area
    (:func:`_boxed`)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    printer = frame.printer or frame.organ
    last_section = doc.element.body.find(qn("w:sectPr"))
    width_pt = type_width(last_section) if last_section is not None else TEXT_WIDTH_PT
    lines = []
    if frame.cc:
        lines.append(("cc", "抄送：" + "，".join(frame.cc) + "。"))
    lines.append(("print", printer))
    paragraphs = []
    for i, (what, text) in enumerate(lines):
        p = _paragraph(doc)
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        fmt.left_indent = Pt(NOTE_PT)  # 左右各空一字
        fmt.right_indent = Pt(NOTE_PT)
        fmt.first_line_indent = Pt(0)
        fmt.keep_with_next = i < len(lines) - 1
        fmt.keep_together = True
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if what == "cc":
            if len(frame.cc) > 1:  # a second line lines up after 抄送：
                fmt.left_indent = Pt(NOTE_PT * 4)
                fmt.first_line_indent = Pt(-NOTE_PT * 3)
            run_fonts(p.add_run(text), NOTE_FONT, NOTE_PT)
        else:
            # 印发机关 left, 印发日期 right (a right tab at the right indent)
            fmt.tab_stops.add_tab_stop(Pt(width_pt - 2 * NOTE_PT), alignment=_right_tab())
            run_fonts(p.add_run(text), NOTE_FONT, NOTE_PT)
            run = p.add_run()
            run._r.append(_el("w:tab"))
            run_fonts(run, NOTE_FONT, NOTE_PT)
            run_fonts(p.add_run(f"{cn_date(frame.date)}印发"), NOTE_FONT, NOTE_PT)
        if i == 0:
            _border(p, "top", "000000", 8, 0)
        _border(p, "bottom", "000000", 8 if i == len(lines) - 1 else 6, 0)
        paragraphs.append(p)
    box = _boxed(doc, paragraphs, 28 * len(lines) + 2, width_pt)
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(box)
    else:
        body.append(box)


def _boxed(doc, paragraphs: list, height_pt: float, width_pt: float = TEXT_WIDTH_PT):
    """A paragraph holding ``paragraphs`` in a text box as wide as the type area, anchored at
    the bottom of the type area of its page (DrawingML: Word, WPS and LibreOffice place it
    there; text above it never runs beside it)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    emu = 12700  # per point
    cx, cy = int(width_pt * emu), int(height_pt * emu)
    from lxml import etree  # type: ignore[import-untyped]

    inner = "".join(etree.tostring(p._p, encoding="unicode") for p in paragraphs)
    ns = ('xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"')
    xml = (f'<w:p {nsdecls("w")} {ns}><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr>'
           '<w:r><w:drawing>'
           '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" behindDoc="0" '
           'locked="1" layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>'
           '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
           '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
           f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
           '<wp:docPr id="9704" name="版记" descr="版记：抄送机关、印发机关和印发日期"/><wp:cNvGraphicFramePr/>'
           '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
           '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
           f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
           f'<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx>'
           '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0">'
           '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>')
    return parse_xml(xml)


def _right_tab():
    from docx.enum.text import WD_TAB_ALIGNMENT

    return WD_TAB_ALIGNMENT.RIGHT


def _properties(doc, frame: Frame) -> None:
    props = doc.core_properties
    props.title = frame.title
    props.author = frame.organ
    props.last_modified_by = frame.organ
    props.subject = frame.subject
    props.keywords = "；".join(frame.keywords)
    props.category = "公文"
    props.comments = frame.provenance
    props.identifier = frame.number or ""
    moment = dt.datetime(frame.date.year, frame.date.month, frame.date.day, 9, 0)
    props.created = props.modified = moment
    props.last_printed = moment
    props.revision = 1


def _footnote(doc, title, text: str) -> None:
    """The provenance as footnote 1 of the title (a footnotes part made when the template has none)."""
    from xml.sax.saxutils import escape

    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    part = doc.part
    existing = [r.target_part for r in part.rels.values() if r.reltype == RT.FOOTNOTES]
    note = (f'<w:footnote {nsdecls("w")} w:id="{{id}}"><w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
            f'<w:r><w:rPr><w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}"/>'
            '<w:vertAlign w:val="superscript"/><w:sz w:val="21"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:rPr><w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}"/>'
            f'<w:sz w:val="21"/></w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>')
    if existing:
        notes = existing[0].element
        ident = 1 + max((int(n.get(qn("w:id"))) for n in notes.findall(qn("w:footnote"))), default=0)
    else:
        ident = 1
        xml = (f'<w:footnotes {nsdecls("w")}>'
               '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
               '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
               '</w:p></w:footnote></w:footnotes>')
        new = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(xml), part.package)
        part.relate_to(new, RT.FOOTNOTES)
        notes = new.element
    notes.append(parse_xml(note.replace("{id}", str(ident))))
    ref = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:footnoteReference w:id="{ident}"/></w:r>')
    title.append(ref)


# ---------------------------------------------------------------------------- tables


def fit_tables(doc) -> None:
    """Every table of the body sized to its content (see :func:`column_widths`) within the type
    area of its section (a landscape section's is wider)."""
    from docx.oxml.ns import qn

    pending: list = []
    for el in doc.element.body:
        if el.tag == qn("w:tbl"):
            pending.append(el)
            continue
        sect = el if el.tag == qn("w:sectPr") else el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if sect is not None:
            for tbl in pending:
                _fit(tbl, type_width(sect))
            pending = []
    for tbl in pending:
        _fit(tbl)


def type_width(sect) -> float:
    """The width (pt) of a section's type area: its page less its left and right margins."""
    from docx.oxml.ns import qn

    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    try:
        return (int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))) / 20
    except (AttributeError, TypeError, ValueError):
        return TEXT_WIDTH_PT


def _span(tc) -> int:
    from docx.oxml.ns import qn

    span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    try:
        return max(1, int(span.get(qn("w:val")))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _cell_texts(tbl) -> list[list[str]]:
    """The text of each row's cells by grid column; a cell spanning several columns (a merged
    head, a 合计 label) leaves them empty: it is sized by the columns it spans."""
    from docx.oxml.ns import qn

    rows = []
    for tr in tbl.findall(qn("w:tr")):
        row: list[str] = []
        for tc in tr.findall(qn("w:tc")):
            span = _span(tc)
            row += ["\n".join(_text_of(p) for p in tc.findall(qn("w:p")))] if span == 1 else [""] * span
        rows.append(row)
    return rows


def column_widths(rows: list[list[str]], columns: int, size: float, available: float,
                  margin: float) -> list[float] | None:
    """Widths (pt) of ``columns`` columns whose cells (text per row) are set at ``size`` pt with
    ``margin`` pt each side: each column at least as wide as its longest text that must stay
    whole (:func:`must_stay_whole`) and 3 characters; what is left of ``available`` shared
    by how much each column's longest text still wants.  None when the least is too wide."""
    least, want = _least_and_wanted(rows, columns, size, margin)
    total = sum(least)
    if total > available:
        return None
    extra = available - total
    desire = [max(w - m, 0.0) for w, m in zip(want, least)]
    if sum(desire) <= 0:
        return [m + extra / columns for m in least]
    if sum(desire) <= extra:  # everything fits on one line: the rest in proportion to the text
        rest = extra - sum(desire)
        return [m + d + rest * (m + d) / (total + sum(desire)) for m, d in zip(least, desire)]
    return [m + extra * d / sum(desire) for m, d in zip(least, desire)]


def _least_and_wanted(rows: list[list[str]], columns: int, size: float, margin: float) -> tuple[list[float], list[float]]:
    """Per column: the least width (its longest text that must stay whole, and 3 characters
    or all its longest text wants when that is less) and the width its longest text wants (pt)."""
    least = [0.0] * columns
    want = [0.0] * columns
    for row in rows:
        if len(row) != columns:
            continue  # merged cells: sized by the others
        for i, text in enumerate(row):
            longest = max((text_width(line) for line in text.split("\n")), default=0.0) * size
            if must_stay_whole(text):
                least[i] = max(least[i], longest + 2 * margin + 1)
            want[i] = max(want[i], longest + 2 * margin + 1)
    least = [max(m, min(3 * size + 2 * margin, w), size + 2 * margin + 1) for m, w in zip(least, want)]
    return least, want


def _readability(rows: list[list[str]], widths: list[float], size: float, margin: float) -> float:
    """How close the narrowest text column comes to :data:`READABLE_EM` characters (or all its
    text wants), 1 when every column gets it."""
    worst = 1.0
    for i, w in enumerate(widths):
        longest = max((text_width(line) for row in rows if len(row) == len(widths)
                       for line in row[i].split("\n")), default=0.0)
        wanted = min(longest, READABLE_EM) * size
        if wanted > 0:
            worst = min(worst, (w - 2 * margin) / wanted)
    return round(min(worst, 1.0), 2)


def _fit(tbl, available: float = TEXT_WIDTH_PT) -> None:
    from docx.oxml.ns import qn

    pr = tbl.find(qn("w:tblPr"))
    if pr is not None and pr.find(qn("w:tblpPr")) is not None:
        return  # a floating table (the 版记): laid out where it is made
    grid = tbl.find(qn("w:tblGrid"))
    if grid is None:
        return
    cols = grid.findall(qn("w:gridCol"))
    rows = _cell_texts(tbl)
    margin = CELL_MARGIN_TWIPS / 20
    sizes = _sizes(tbl)
    base = max(sizes) if sizes else 12.0
    widths = None
    size = base
    # the largest size at which every whole text fits and every text column gets a readable
    # width (or all it wants); else the largest at which the whole texts fit
    fitting = []
    for size in sorted({base, min(base, 10.5), min(base, 9.0)}, reverse=True):
        got = column_widths(rows, len(cols), size, available, margin)
        if got is not None:
            fitting.append((size, got))
    if fitting:  # the most readable; of equals, the largest
        size, widths = max(fitting, key=lambda sw: (_readability(rows, sw[1], sw[0], margin), sw[0]))
    if widths is None:  # even 小五 is too wide: the least widths scaled down (some text wraps)
        least = _least_and_wanted(rows, len(cols), size, margin)[0]
        scale = available / sum(least)
        widths = [w * scale for w in least]
    twips = [int(w * 20) for w in widths]
    twips[-1] += int(available * 20) - sum(twips)
    for col, w in zip(cols, twips):
        col.set(qn("w:w"), str(w))
    for tr in tbl.findall(qn("w:tr")):
        cells, at = [], 0
        for tc in tr.findall(qn("w:tc")):
            span = _span(tc)
            cells.append((tc, sum(twips[at:at + span])))
            at += span
        if at != len(cols):
            continue
        for tc, w in cells:
            tcpr = tc.find(qn("w:tcPr"))
            if tcpr is None:
                tcpr = _el("w:tcPr")
                tc.insert(0, tcpr)
            width = tcpr.find(qn("w:tcW"))
            if width is None:
                width = _el("w:tcW")
                tcpr.insert(0, width)
            width.set(qn("w:w"), str(w))
            width.set(qn("w:type"), "dxa")
    if pr is None:
        pr = _el("w:tblPr")
        tbl.insert(0, pr)
    for tag in ("w:tblW", "w:tblLayout", "w:tblCellMar"):
        old = pr.find(qn(tag))
        if old is not None:
            pr.remove(old)
    _insert_in_order(pr, _el("w:tblW", w=str(int(available * 20)), type="dxa"))
    _insert_in_order(pr, _el("w:tblLayout", type="fixed"))
    mar = _el("w:tblCellMar")
    for side in ("left", "right"):
        mar.append(_el(f"w:{side}", w=str(CELL_MARGIN_TWIPS), type="dxa"))
    _insert_in_order(pr, mar)
    if size < base:
        for sz in tbl.iter(qn("w:sz")):
            sz.set(qn("w:val"), str(int(size * 2)))
        for sz in tbl.iter(qn("w:szCs")):
            sz.set(qn("w:val"), str(int(size * 2)))


#: the order of w:tblPr's children (ECMA-376 CT_TblPr)
_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                "tblCaption", "tblDescription")


def _insert_in_order(pr, el) -> None:
    name = el.tag.rpartition("}")[2]
    rank = _TBLPR_ORDER.index(name)
    for i, child in enumerate(pr):
        other = child.tag.rpartition("}")[2]
        if other in _TBLPR_ORDER and _TBLPR_ORDER.index(other) > rank:
            pr.insert(i, el)
            return
    pr.append(el)


def _sizes(tbl) -> list[float]:
    from docx.oxml.ns import qn

    return [int(sz.get(qn("w:val"))) / 2 for sz in tbl.iter(qn("w:sz")) if (sz.get(qn("w:val")) or "").isdigit()]

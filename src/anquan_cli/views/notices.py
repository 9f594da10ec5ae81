"""A :class:`~anquan_cli.rules.notices.Notice` (督办函, 隐患整改通知书) laid out as Markdown or as a
公文 DOCX — the same description both ways.  The DOCX starts from the page, styles and page
numbers of the shipped ``report.docx`` (A4, margins 37/35/28/26 mm, 仿宋_GB2312 三号 at an exact
28 pt, Heading 1 黑体, "— n —"), its body emptied; the blocks are set as runs of text (record
text is never a template: "{{ }}", "&" and "<b>" print as written) and
:func:`anquan_cli.views.gongwen.finish` puts the 版头, 主送, 落款 and 版记 around them."""

from __future__ import annotations

import io

from anquan_cli.rules.notices import Block, Notice
from anquan_cli.views.gongwen import Frame, cn_date, finish, run_fonts

__all__ = ["render_markdown", "render_docx"]

TITLE_FONT, BODY_FONT, H1_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 12


# ---------------------------------------------------------------------------- Markdown


def render_markdown(notice: Notice, frame: Frame) -> str:
    """The document as Markdown: the 版头 (mark, 文号), title, 主送, body, 落款, what follows it
    (附注, receipt), and the 版记 below a rule."""
    from anquan_cli.views.templates import md_text

    out = [f"**{md_text(frame.mark or frame.organ + '文件')}**", ""]
    if frame.number:
        out += [md_text(frame.number), ""]
    out += [f"# {md_text(frame.title)}", ""]
    if frame.to:
        out += [md_text("、".join(frame.to) + "："), ""]
    out += _md_blocks(notice.body)
    out += [md_text(frame.organ), "", md_text(cn_date(frame.date)), ""]
    out += _md_blocks(notice.after)
    out += ["---", ""]
    if frame.cc:
        out += [md_text("抄送：" + "，".join(frame.cc) + "。"), ""]
    out += [md_text(f"{frame.printer or frame.organ}　　{cn_date(frame.date)}印发"), ""]
    return "\n".join(out)


def _md_blocks(blocks: tuple[Block, ...]) -> list[str]:
    from anquan_cli.views.templates import md_table, md_text

    out: list[str] = []
    for b in blocks:
        if b.kind == "table" and b.table is not None:
            headers = b.table.headers or ("项目", "内容")
            width = len(headers)
            out += [md_table([tuple(r) for r in b.table.rows], headers, range(width)).rstrip("\n"), ""]
        elif b.kind == "h1":
            out += [f"## {md_text(b.text)}", ""]
        elif b.text or b.lead:
            out += [(f"**{md_text(b.lead)}**" if b.lead else "") + md_text(b.text), ""]
    return out


# ---------------------------------------------------------------------------- DOCX


def render_docx(notice: Notice, frame: Frame) -> bytes:
    """The document as DOCX bytes, a complete 公文 (:func:`anquan_cli.views.gongwen.finish`)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    from anquan_cli.views.templates import packaged_dir

    doc = Document(str(packaged_dir() / "report.docx"))
    body = doc.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    _paragraph(doc, frame.title, TITLE_FONT, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, "", indent=False)
    for b in notice.body:
        _block(doc, b)
    finish(doc, frame)
    if notice.after:
        _after_signature(doc, notice.after)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _fonts(run, name: str, size: float, bold: bool = False) -> None:
    """Font names (East-Asian too), size and the zh-CN language on a run, as every run of a 公文 has them."""
    run_fonts(run, name, size, bold=bold, lang=True)


def _exact(fmt, pitch: float = 28) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch)
    fmt.space_before = fmt.space_after = Pt(0)


def _paragraph(doc, text: str, font: str = BODY_FONT, size: float = BODY_PT, *, align=None, indent: bool = True,
               lead: str = ""):
    from docx.shared import Pt

    p = doc.add_paragraph()
    _exact(p.paragraph_format)
    p.paragraph_format.first_line_indent = Pt(2 * BODY_PT) if indent else Pt(0)
    if align is not None:
        p.alignment = align
    if lead:
        _fonts(p.add_run(lead), H1_FONT, BODY_PT)
    if text:
        _fonts(p.add_run(text), font, size)
    return p


def _block(doc, b: Block) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if b.kind == "table" and b.table is not None:
        _table(doc, b.table.headers, b.table.rows)
    elif b.kind == "h1":
        p = _paragraph(doc, "", indent=True)
        p.style = doc.styles["Heading 1"]
        _fonts(p.add_run(b.text), H1_FONT, BODY_PT)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.keep_together = True
    elif b.kind in ("line", "note", "right"):
        _line(doc, b)
    else:
        p = _paragraph(doc, b.text, lead=b.lead)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _line(doc, b: Block):
    """A line flush left, two characters in (``note``), or set right four characters in (``right``)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if b.kind == "right":
        p = _paragraph(doc, b.text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(4 * BODY_PT)
        return p
    return _paragraph(doc, b.text, indent=b.kind == "note", align=WD_ALIGN_PARAGRAPH.LEFT)


def _table(doc, headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> None:
    """A grid table at 小四 (12 pt): the header row bold, repeated on every page and kept with
    the first row; no row split across pages; a table without a header row has its first
    column (the names of a record's parts) bold."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    width = len(headers) if headers else max((len(r) for r in rows), default=1)
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False

    def fill(cells, texts, bold_first: bool, bold: bool) -> None:
        for i, (cell, text) in enumerate(zip(cells, texts)):
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(2)
            p.paragraph_format.first_line_indent = Pt(0)
            if bold:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            lines = str(text).split("\n")
            for j, line in enumerate(lines):
                run = p.add_run(line)
                _fonts(run, BODY_FONT, TABLE_PT, bold or (bold_first and i == 0))
                if j < len(lines) - 1:
                    run.add_break()

    if headers:
        row = table.add_row()
        fill(row.cells, headers, False, True)
        trpr = row._tr.get_or_add_trPr()
        head = OxmlElement("w:tblHeader")
        head.set(qn("w:val"), "true")
        trpr.append(head)
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    for texts in rows:
        row = table.add_row()
        fill(row.cells, texts, not headers, False)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _after_signature(doc, blocks: tuple[Block, ...]) -> None:
    """``blocks`` (the 附注, the receipt) after the 成文日期, before the 版记, kept on the 落款's page."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = doc.element.body
    paragraphs = [el for el in body if el.tag == qn("w:p")]
    box = next((el for el in reversed(paragraphs) if el.find(".//" + qn("w:drawing")) is not None), None)
    made = [_line(doc, b) for b in blocks]
    date = box.getprevious() if box is not None else None
    if date is not None and date.tag == qn("w:p"):
        fmt = Paragraph(date, None).paragraph_format  # type: ignore[arg-type]  # no story part needed
        fmt.keep_with_next = True
    for i, p in enumerate(made):
        p.paragraph_format.keep_with_next = i < len(made) - 1
        if box is not None:
            box.addprevious(p._p)

"""The 隐患排查治理情况统计分析表 (16号令第十四条) laid out: a print-ready workbook, an official-format
DOCX body and Markdown.  The figures come from :mod:`anquan_cli.rules.statistics`; nothing here
counts.

Workbook: one sheet per table (按单位, 按行业领域, 重大隐患“五落实”), each with its title, 填报单位,
统计时段 and 填报日期, a two-row header with merged cells repeated on every printed page, a 合计
row, the notes, and at the foot the signature line; A4 landscape, fitted to the page width.

DOCX: A4 with the GB/T 9704-2012 geometry (margins 37/35/28/26 mm, title 方正小标宋简体 22 pt, body
仿宋_GB2312 16 pt at an exact 28 pt pitch, tables 12 pt, East-Asian font names in ``w:eastAsia``):
the title, the filing lines and the analysis on a portrait page, then the three tables, the notes
and the signature line in a landscape section (the page turned, its margins with it).  No 版头 or
版记: the body stands alone, to be framed as a 公文 elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from anquan_cli.models.hazard import FIVE_ELEMENTS_ZH
from anquan_cli.rules.statistics import STATUTE, TITLE, MajorRow, Row, Statistics, code

__all__ = ["Meta", "SIGNATURE", "SIGNATURE_LINES", "title", "analysis", "notes", "xlsx_bytes", "document", "markdown"]

#: the lines at the foot of the form (第十四条: "统计分析表应当由生产经营单位主要负责人签字"); the
#: workbook writes them as one line
SIGNATURE_LINES = ("单位主要负责人（签字）：______________    填表人：______________",
                   "联系电话：______________    报送日期：______年____月____日")
SIGNATURE = "    ".join(SIGNATURE_LINES)


@dataclass(frozen=True)
class Meta:
    """What the form says about itself besides the figures."""

    jurisdiction: str
    filer: str  # 填报单位
    filed: dt.date  # 填报日期
    provenance: str = ""


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def title(stats: Statistics, meta: Meta) -> str:
    return f"{meta.jurisdiction}{stats.period.label}{TITLE}"


def span(stats: Statistics) -> str:
    text = f"{_cn(stats.period.start)}至{_cn(stats.period.end)}"
    return text if stats.complete else f"{text}（统计至{_cn(stats.as_of)}）"


# ---------------------------------------------------------------------- the tables' columns

#: a column: (header, key) or a group (header, [(sub-header, key), …]); ``township`` only where
#: the page is wide enough (the workbook, Markdown)
_FIGURES: list = [
    ("排查发现隐患", [("合计", "found"), ("一般", "found_general"), ("重大", "found_major")]),
    ("已整改", [("合计", "fixed"), ("一般", "fixed_general"), ("重大", "fixed_major")]),
    ("整改率", "rate_text"),
    ("本期未整改", [("合计", "unfixed"), ("其中逾期", "unfixed_overdue")]),
    ("期末未整改", [("合计", "backlog"), ("其中逾期", "backlog_overdue")]),
    ("在治重大隐患", [("合计", "majors"), ("五落实到位", "majors_complete"), ("已挂牌督办", "majors_listed")]),
    ("治理资金（万元）", "funds_text"),
]
UNIT_COLUMNS: list = [("序号", "no"), ("单位名称", "name"), ("所在乡镇", "township"), ("行业领域", "sector"), *_FIGURES]
SECTOR_COLUMNS: list = [("序号", "no"), ("行业领域", "name"), *_FIGURES]
MAJOR_COLUMNS: list = [
    ("序号", "no"), ("隐患编号", "id"), ("隐患名称", "title"), ("单位名称", "unit"), ("发现日期", "found_on"),
    ("“五落实”", [(FIVE_ELEMENTS_ZH[k], k) for k in FIVE_ELEMENTS_ZH]), ("挂牌督办", "listed"), ("期末状态", "status"),
]
#: the DOCX's narrower page: the hazard's number and name in one column, no found date
MAJOR_COLUMNS_NARROW: list = [("序号", "no"), ("隐患", "hazard"), ("单位名称", "unit"), *MAJOR_COLUMNS[5:]]


def _without(columns: list, key: str) -> list:
    return [c for c in columns if c[1] != key]


def _leaves(columns: list) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for head, key in columns:
        out.extend(key if isinstance(key, list) else [(head, key)])
    return out


def _label_columns(leaves: list[tuple[str, str]]) -> int:
    """How many leading columns name a row (序号, 单位名称, 所在乡镇, 行业领域): the 合计 spans them."""
    n = 0
    while n < len(leaves) and leaves[n][1] in ("no", "name", "township", "sector"):
        n += 1
    return max(1, n)


def _values(row: Row, no: int | str) -> dict:
    return {**row.as_json(), "no": no}


def _major_values(m: MajorRow, no: int, short: bool) -> dict:
    out = {**m.as_json(), "no": no, "found_on": m.found.isoformat(), "hazard": f"{m.id} {m.title}"}
    for k in FIVE_ELEMENTS_ZH:
        value = m.elements[k]
        if not value:
            out[k] = "缺"
        elif short and k in ("measures", "plan"):
            out[k] = "已明确"
    out["listed"] = m.listed or "未挂牌"
    return out


# ---------------------------------------------------------------------- words


def analysis(stats: Statistics, meta: Meta) -> list[tuple[str, str]]:
    """The 统计分析: what the figures say, ``(heading, paragraph)`` each — overall, major hazards,
    sectors (when anything was found), overdue."""
    t = stats.total
    units = len(stats.units)
    out = [("总体情况", f"{span(stats)}，{meta.jurisdiction}纳入统计的{units}个单位共排查发现事故隐患{t.found}项，其中一般隐患"
           f"{t.found_general}项、重大隐患{t.found_major}项；已整改{t.fixed}项（一般{t.fixed_general}项、重大"
           f"{t.fixed_major}项），整改率{t.as_json()['rate_text']}；本期发现的隐患中尚未整改{t.unfixed}项，其中已逾期"
           f"{t.unfixed_overdue}项。期末尚未整改的隐患（含以前发现的）共{t.backlog}项，其中逾期{t.backlog_overdue}项。")]
    lacking = "、".join(f"{FIVE_ELEMENTS_ZH[k]}{t.missing[k]}项" for k in FIVE_ELEMENTS_ZH if t.missing[k])
    unlisted = t.majors - t.majors_listed
    major = (f"期内在治重大隐患{t.majors}项，“五落实”全部到位{t.majors_complete}项"
             + (f"，未到位的缺{lacking}" if lacking else "")
             + f"；已挂牌督办{t.majors_listed}项" + (f"，未挂牌督办{unlisted}项" if unlisted else "") + "。"
             if t.majors else "期内没有在治的重大隐患。")
    funds = f"在治隐患落实治理资金{t.funds:g}万元" + (
        f"（另有{t.funds_unread}项只写了资金来源、未写金额，未计入）" if t.funds_unread else "") + "。"
    out.append(("重大隐患治理", major + funds))
    busy = [r for r in stats.sectors if r.found][:3]
    stuck = sorted((r for r in stats.sectors if r.backlog), key=lambda r: (-r.backlog, r.name))[:3]
    if busy:
        out.append(("行业领域分布", "按行业领域，排查发现隐患较多的是" + "、".join(f"{r.name}{r.found}项" for r in busy)
                    + ("；期末未整改隐患较多的是" + "、".join(f"{r.name}{r.backlog}项" for r in stuck) if stuck else "")
                    + "。"))
    late = sorted((r for r in stats.units if r.backlog_overdue), key=lambda r: (-r.backlog_overdue, r.name))
    out.append(("逾期未整改", "期末有逾期未整改隐患的单位：" + "、".join(f"{r.name}（{r.backlog_overdue}项）" for r in late)
                + "，应督促限期整改。" if late else "期末没有逾期未整改的隐患。"))
    return out


def notes(stats: Statistics, meta: Meta) -> list[str]:
    """The 说明 under the tables: what each figure counts, the basis and the deadline."""
    period = "季度" if stats.kind == "quarter" else "年度"
    when = "下一季度15日前" if stats.kind == "quarter" else "下一年1月31日前"
    out = [
        "排查发现：发现日期在统计时段内的隐患（等级按时段末）；已整改：其中到时段末已登记整改完成（没有整改记录的以销号计）的；"
        "整改率＝已整改÷排查发现。",
        "本期未整改：统计时段内发现、到时段末尚未整改的；期末未整改：时段末尚未整改的全部隐患，含以前发现的；"
        "其中逾期：已过整改期限。",
        "在治重大隐患：时段末以前发现、时段开始时尚未销号的重大隐患；五落实到位：治理措施、责任人员、治理资金、"
        "整改时限、应急预案都已明确；已挂牌督办：已写明挂牌督办单位和日期。",
        "治理资金：期内在治的隐患（时段末以前发现、时段开始时尚未销号）所记治理资金之和（万元）"
        + (f"；另有{stats.total.funds_unread}项只写了资金来源、未写金额，未计入" if stats.total.funds_unread else "") + "。",
        f"依据{STATUTE}：每{period[0]}对事故隐患排查治理情况进行统计分析，于{when}报送书面统计分析表，由主要负责人签字。"
        f"本表应于{_cn(stats.due)}前报送。",
    ]
    if not stats.complete:
        out.append(f"统计时段尚未结束，数字统计至{_cn(stats.as_of)}，不是全{period[0]}的数字。")
    if meta.provenance:
        out.append(f"数据来源：{meta.provenance}。")
    return [f"{i}. {text}" for i, text in enumerate(out, 1)]


# ---------------------------------------------------------------------- the workbook


def _width(text: str) -> int:
    from anquan_cli.views.excel import display_width

    return display_width(text)


def xlsx_bytes(stats: Statistics, meta: Meta) -> bytes:
    """The workbook, as the bytes of an .xlsx file."""
    import io

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    f = {
        "title": wb.add_format({**base, "bold": True, "font_size": 18, "align": "center"}),
        "meta": wb.add_format({**base}),
        "meta_right": wb.add_format({**base, "align": "right"}),
        "head": wb.add_format({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                               "bg_color": "#F2F2F2"}),
        "text": wb.add_format({**base, "border": 1, "text_wrap": True}),
        "centre": wb.add_format({**base, "border": 1, "align": "center", "text_wrap": True}),
        "int": wb.add_format({**base, "border": 1, "align": "center", "num_format": "0"}),
        "pct": wb.add_format({**base, "border": 1, "align": "center", "num_format": "0.0%"}),
        "money": wb.add_format({**base, "border": 1, "align": "center", "num_format": "0.####"}),
        "note": wb.add_format({**base, "font_size": 10, "text_wrap": True, "valign": "top"}),
        "sign": wb.add_format({**base, "font_size": 12}),
    }
    numbers = {"int": "0", "pct": "0.0%", "money": "0.####"}
    for name in ("text", "centre", "int", "pct", "money"):  # the 合计 row: the same, bold
        f[f"{name}_total"] = wb.add_format({**base, "border": 1, "bold": True, "text_wrap": name == "text",
                                            "align": "left" if name == "text" else "center",
                                            **({"num_format": numbers[name]} if name in numbers else {})})
    unit_rows = [_values(r, i) for i, r in enumerate(stats.units, 1)]
    sector_rows = [_values(r, i) for i, r in enumerate(stats.sectors, 1)]
    total = _values(stats.total, "")
    _sheet(wb, f, "按单位", title(stats, meta), stats, meta, UNIT_COLUMNS, unit_rows, total,
           {"name": 30, "township": 9, "sector": 11})
    _sheet(wb, f, "按行业领域", f"{title(stats, meta)}（按行业领域）", stats, meta, SECTOR_COLUMNS, sector_rows, total,
           {"name": 16})
    majors = [_major_values(m, i, short=False) for i, m in enumerate(stats.majors, 1)]
    _sheet(wb, f, "重大隐患五落实", f"{title(stats, meta)}（重大隐患“五落实”和挂牌督办情况）", stats, meta,
           MAJOR_COLUMNS, majors, None,
           {"id": 13, "title": 28, "unit": 22, "found_on": 11, "measures": 28, "owner": 9, "funds": 14,
            "deadline": 11, "plan": 24, "listed": 22, "status": 11})
    wb.close()
    return buf.getvalue()


#: the keys whose cells are counts, a rate and an amount
_INTS = {"found", "found_general", "found_major", "fixed", "fixed_general", "fixed_major", "unfixed", "unfixed_overdue",
         "backlog", "backlog_overdue", "majors", "majors_complete", "majors_listed"}


def _sheet(wb, f: dict, name: str, heading: str, stats: Statistics, meta: Meta, columns: list, rows: list[dict],
           total: dict | None, widths: dict[str, int]) -> None:
    ws = wb.add_worksheet(name)
    leaves = _leaves(columns)
    last = len(leaves) - 1
    col_widths = [widths.get(key, 5 if key == "no" else 8 if key in ("rate_text", "funds_text") else 7)
                  for _, key in leaves]
    for c, w in enumerate(col_widths):
        ws.set_column(c, c, w)
    ws.merge_range(0, 0, 0, last, heading, f["title"])
    ws.set_row(0, 36)
    third = len(leaves) // 3  # every sheet has a dozen columns or more
    ws.merge_range(1, 0, 1, third - 1, f"填报单位：{meta.filer}", f["meta"])
    ws.merge_range(1, third, 1, 2 * third - 1, f"统计时段：{span(stats)}", f["meta"])
    ws.merge_range(1, 2 * third, 1, last, f"填报日期：{_cn(meta.filed)}", f["meta_right"])
    ws.set_row(1, 22)
    # the two header rows: a group's name over its columns, a single column merged down both rows
    c = 0
    for head, key in columns:
        if isinstance(key, list):
            ws.merge_range(2, c, 2, c + len(key) - 1, head, f["head"])
            for i, (sub, _) in enumerate(key):
                ws.write(3, c + i, sub, f["head"])
            c += len(key)
        else:
            ws.merge_range(2, c, 3, c, head, f["head"])
            c += 1
    ws.set_row(2, 30)
    ws.set_row(3, 30)
    r = 4
    labels = _label_columns(leaves)
    for row in rows + ([total] if total is not None and rows else []):
        is_total = row is total
        # rows as tall as their longest wrapped text (neither Excel nor WPS fits them when opening)
        lines = max(math.ceil(_width(str(row.get(key) or "")) / max(1, w - 1)) for (_, key), w in zip(leaves, col_widths))
        ws.set_row(r, max(18, 14 * lines + 4))
        if is_total:  # 合计 across the columns that name the row
            ws.merge_range(r, 0, r, labels - 1, "合计", f["centre_total"])
        for c, (_, key) in enumerate(leaves):
            if is_total and c < labels:
                continue
            value = row.get(key)
            suffix = "_total" if is_total else ""
            if key in _INTS:
                ws.write_number(r, c, int(value or 0), f["int" + suffix])
            elif key == "rate_text":
                if row.get("rate") is None:
                    ws.write_string(r, c, "—", f["centre" + suffix])
                else:
                    ws.write_number(r, c, float(row["rate"]), f["pct" + suffix])
            elif key == "funds_text":
                ws.write_number(r, c, float(row.get("funds") or 0), f["money" + suffix])
            elif key == "no":
                ws.write(r, c, value if value != "" else None, f["centre" + suffix])
            else:
                ws.write_string(r, c, "" if value is None else str(value),
                                f[("centre" if key in ("found_on", "deadline", "owner", "status") else "text") + suffix])
        r += 1
    if not rows:
        ws.merge_range(r, 0, r, last, "本期无。", f["centre"])
        r += 1
    chars = max(20, sum(col_widths))
    r += 1
    ws.write(r, 0, "说明：", f["note"])
    r += 1
    for line in notes(stats, meta):
        ws.merge_range(r, 0, r, last, line, f["note"])
        ws.set_row(r, 14 * math.ceil(_width(line) * 0.85 / chars))  # 10 pt: narrower than the columns' 11
        r += 1
    r += 1
    ws.merge_range(r, 0, r, last, SIGNATURE, f["sign"])
    ws.set_row(r, 30)
    # print-ready: A4 landscape, the header rows on every page, as wide as the page, pages numbered
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.center_horizontally()
    ws.repeat_rows(2, 3)
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, r, last)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.freeze_panes(4, 0)


# ---------------------------------------------------------------------- the DOCX body

TITLE_FONT, BODY_FONT, HEAD_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
#: the landscape page's text width (297 − 37 − 35 mm)
LANDSCAPE_TEXT_MM = 225


def _fonts(owner, name: str, size=None, bold: bool | None = None) -> None:
    """Fonts, size and zh-CN language of a run or a style (:func:`gongwen.set_fonts`)."""
    from anquan_cli.views.gongwen import set_fonts

    set_fonts(owner, name, size, bold)


def _exact(fmt, pitch) -> None:
    from anquan_cli.views.gongwen import exact_pitch

    exact_pitch(fmt, pitch)


def _para(doc, text: str = "", font: str = BODY_FONT, size=None, bold=False, align=None, indent=True, pitch=None):
    from docx.shared import Pt

    p = doc.add_paragraph()
    _exact(p.paragraph_format, pitch or Pt(28))
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters of 16 pt
    if align is not None:
        p.alignment = align
    if text:
        _fonts(p.add_run(text), font, size or Pt(16), bold)
    return p


def _cell(cell, text: str, bold: bool = False, align=None) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.space_before = Pt(1)
    p.paragraph_format.space_after = Pt(1)
    p.paragraph_format.first_line_indent = Pt(0)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _fonts(p.add_run(text), BODY_FONT, Pt(12), bold)


def _table_setup(table, widths_mm: list[float]) -> None:
    """Fixed layout, column widths, narrow cell margins (1 mm each side: the numbers' columns are
    two characters wide)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/>
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")  # twentieths of a point: 1 mm
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tblpr.find(qn("w:tblLook"))  # the schema's order: tblLayout, tblCellMar, tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tblpr.append(margins)
    for i, w in enumerate(widths_mm):
        table.columns[i].width = Mm(w)
        for row in table.rows:
            row.cells[i].width = Mm(w)


def _mark_header(row) -> None:
    """A header row repeats on every page and stays with the next."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


def _page_numbers(footer, align) -> None:
    from anquan_cli.views.gongwen import page_numbers

    page_numbers(footer, align)


def _no_split(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _docx_table(doc, columns: list, rows: list[dict], total: dict | None, widths: dict[str, float]) -> None:
    """A table with a two-row header (groups merged across, single columns merged down)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    leaves = _leaves(columns)
    body = rows + ([total] if total is not None and rows else [])
    table = doc.add_table(rows=2 + max(1, len(body)), cols=len(leaves))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    given = sum(widths.get(k, 0) for _, k in leaves)
    rest = [k for _, k in leaves if k not in widths]
    spare = max(0.0, LANDSCAPE_TEXT_MM - given) / len(rest) if rest else 0.0
    _table_setup(table, [widths.get(k, spare) for _, k in leaves])
    c = 0
    for head, key in columns:
        if isinstance(key, list):
            top = table.cell(0, c).merge(table.cell(0, c + len(key) - 1))
            _cell(top, head, bold=True)
            for i, (sub, _) in enumerate(key):
                _cell(table.cell(1, c + i), sub, bold=True)
            c += len(key)
        else:
            _cell(table.cell(0, c).merge(table.cell(1, c)), head, bold=True)
            c += 1
    for row in table.rows[:2]:
        _mark_header(row)
    if not body:
        _cell(table.cell(2, 0).merge(table.cell(2, len(leaves) - 1)), "本期无。")
        return
    labels = _label_columns(leaves)
    for r, values in enumerate(body, 2):
        _no_split(table.rows[r])
        if values is total:  # 合计 across the columns that name the row
            _cell(table.cell(r, 0).merge(table.cell(r, labels - 1)), "合计", bold=True)
            for c, (_, key) in enumerate(leaves[labels:], labels):
                _cell(table.cell(r, c), str(values.get(key, "")), bold=True)
            continue
        for c, (_, key) in enumerate(leaves):
            value = values.get(key)
            left = key in ("name", "title", "hazard", "unit", "listed", "measures", "plan")
            _cell(table.cell(r, c), "" if value is None else str(value), align=WD_ALIGN_PARAGRAPH.LEFT if left else None)


def document(stats: Statistics, meta: Meta):
    """The form as a ``docx.Document``: portrait A4 with the title, filing lines and analysis, then a
    landscape section with the tables, the notes and the signature line."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from anquan_cli.views.gongwen import a4_page

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    a4_page(sec)
    sec.header_distance = Mm(15)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, Pt(16))
    _exact(normal.paragraph_format, Pt(28))
    _fonts(doc.styles["Table Grid"], BODY_FONT, Pt(12))
    doc.settings.odd_and_even_pages_header_footer = True  # the landscape section keeps these footers
    _page_numbers(sec.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_numbers(sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    core = doc.core_properties
    core.title, core.author, core.language = title(stats, meta), meta.filer, "zh-CN"
    core.comments = f"{STATUTE}；统计时段 {code(stats.period)}"

    # the title in two lines, the break between the period and the form's name (GB/T 9704: 回行时词意完整)
    head = _para(doc, f"{meta.jurisdiction}{stats.period.label}", TITLE_FONT, Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER,
                 indent=False, pitch=Pt(36))
    head.runs[0].add_break()
    _fonts(head.add_run(TITLE), TITLE_FONT, Pt(22))
    _para(doc, "", indent=False)
    for line in (f"填报单位：{meta.filer}", f"统计时段：{span(stats)}", f"填报日期：{_cn(meta.filed)}"):
        _para(doc, line, indent=False)
    _para(doc, "", indent=False)
    from anquan_cli.text import int_to_cn

    for i, (head, text) in enumerate(analysis(stats, meta), 1):
        _para(doc, f"{int_to_cn(i)}、{head}", HEAD_FONT).paragraph_format.keep_with_next = True
        _para(doc, text)
    _para(doc, "按单位、按行业领域的统计表和重大隐患“五落实”情况表附后。")

    land = doc.add_section(WD_SECTION.NEW_PAGE)
    land.orientation = WD_ORIENT.LANDSCAPE
    a4_page(land, landscape=True)  # the portrait margins turned with the page

    def caption(text: str) -> None:
        _para(doc, text, HEAD_FONT, Pt(14), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False).paragraph_format \
            .keep_with_next = True

    total = _values(stats.total, "")
    caption("表1  按单位统计")
    _docx_table(doc, _without(UNIT_COLUMNS, "township"),
                [_values(r, i) for i, r in enumerate(stats.units, 1)], total,
                {"no": 7, "name": 30, "sector": 15, "rate_text": 17, "funds_text": 13})
    _para(doc, "", indent=False)
    caption("表2  按行业领域统计")
    _docx_table(doc, SECTOR_COLUMNS, [_values(r, i) for i, r in enumerate(stats.sectors, 1)], total,
                {"no": 7, "name": 45, "rate_text": 17, "funds_text": 13})
    _para(doc, "", indent=False)
    caption("表3  重大隐患“五落实”和挂牌督办情况")
    _docx_table(doc, MAJOR_COLUMNS_NARROW, [_major_values(m, i, short=True) for i, m in enumerate(stats.majors, 1)],
                None, {"no": 8, "hazard": 44, "unit": 30, "measures": 15, "funds": 20, "deadline": 24, "plan": 15,
                       "owner": 15, "listed": 33, "status": 18})
    _para(doc, "", indent=False)
    # the notes, then the signature lines, kept on one page
    for line in ["说明：", *notes(stats, meta)]:
        _para(doc, line, size=Pt(12), indent=False, pitch=Pt(18)).paragraph_format.keep_with_next = True
    _para(doc, "", indent=False).paragraph_format.keep_with_next = True
    for i, line in enumerate(SIGNATURE_LINES):
        _para(doc, line, indent=False).paragraph_format.keep_with_next = i + 1 < len(SIGNATURE_LINES)
    return doc


# ---------------------------------------------------------------------- Markdown


def markdown(stats: Statistics, meta: Meta) -> str:
    """The form as Markdown (a look on the screen before printing)."""
    from anquan_cli.views.templates import md_table, md_text

    def flat(columns: list) -> tuple[list[str], list[str]]:
        heads, keys = [], []
        for head, key in columns:
            if isinstance(key, list):
                heads += [f"{head}·{sub}" for sub, _ in key]
                keys += [k for _, k in key]
            else:
                heads.append(head)
                keys.append(key)
        return heads, keys

    total = {**_values(stats.total, ""), "name": "合计"}
    parts = [f"# {md_text(title(stats, meta))}", "",
             f"填报单位：{md_text(meta.filer)}　统计时段：{span(stats)}　填报日期：{_cn(meta.filed)}", ""]
    for head, text in analysis(stats, meta):
        parts += [f"## {head}", "", md_text(text), ""]
    for name, columns, rows in (
            ("按单位", UNIT_COLUMNS, [_values(r, i) for i, r in enumerate(stats.units, 1)] + [total]),
            ("按行业领域", SECTOR_COLUMNS, [_values(r, i) for i, r in enumerate(stats.sectors, 1)] + [total]),
            ("重大隐患“五落实”和挂牌督办情况", MAJOR_COLUMNS,
             [_major_values(m, i, short=True) for i, m in enumerate(stats.majors, 1)])):
        heads, keys = flat(columns)
        parts += [f"## {name}", ""]
        if rows:
            parts.append(md_table(rows, heads, keys))
        else:
            parts += ["本期无。", ""]
    parts += ["## 说明", ""] + [md_text(n) for n in notes(stats, meta)] + ["", *(md_text(line) + "\n" for line in SIGNATURE_LINES)]
    return "\n".join(parts)

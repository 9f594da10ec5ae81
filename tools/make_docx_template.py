"""Build templates/report.docx: the official-document (GB/T 9704-2012) layout of the reports,
with docxtpl (Jinja) tags where the figures go.

    python tools/make_docx_template.py

A4; margins 37/35/28/26 mm; title 方正小标宋简体 二号 (22 pt); body 仿宋_GB2312 三号 (16 pt) at an
exact 28 pt line pitch; level-1 headings 黑体, level-2 楷体_GB2312; page numbers "— 1 —" in
宋体 四号, right on odd pages and left on even pages.  East-Asian font names are set on every
run and style (not only the Latin name) and the language is zh-CN.  Tables repeat their
header row across pages.  Offices may restyle the result in Word/WPS and keep it as their
workspace's templates/report.docx.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from anquan_cli.views.gongwen import a4_page, exact_pitch, page_numbers, set_fonts  # one font setter, one page number for every DOCX

OUT = Path(__file__).resolve().parents[1] / "templates" / "report.docx"

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
BODY, TABLE = Pt(16), Pt(12)


exact = exact_pitch  # GB/T 9704's 28 pt line, as every DOCX has it


def para(doc_or_cell, text: str = "", font=BODY_FONT, size=BODY, bold=False, align=None, indent=True,
         single=False):
    p = doc_or_cell.add_paragraph()
    if single:
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        exact(p.paragraph_format)
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters
    if align is not None:
        p.alignment = align
    if text:
        set_fonts(p.add_run(text), font, size, bold)
    return p


def tag(doc, text: str) -> None:
    """A paragraph holding only a docxtpl block tag ({%p … %}); it disappears on rendering."""
    para(doc, text, indent=False)


def heading_styles(doc) -> None:
    """Heading 1 (黑体) and Heading 2 (楷体_GB2312) as GB/T 9704 sets the first two levels: body
    size, black, not bold, the body's pitch and indent, an outline level (Word/WPS navigation
    and 目录 see them), and never the last line of a page (keep with next, lines together)."""
    for name, font in (("Heading 1", H1_FONT), ("Heading 2", H2_FONT)):
        style = doc.styles[name]
        set_fonts(style, font, BODY, False)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.color.theme_color = None
        exact(style.paragraph_format)
        style.paragraph_format.first_line_indent = Pt(32)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.keep_together = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        rpr = style.element.get_or_add_rPr()
        for old in rpr.findall(qn("w:rFonts")):  # the theme fonts of python-docx's heading styles
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                old.attrib.pop(qn(attr), None)


def heading(doc, text, style, font):
    p = para(doc, text, font, BODY)
    p.style = doc.styles[style]
    p.paragraph_format.keep_with_next = True  # also on the paragraph: a restyled template keeps it
    p.paragraph_format.keep_together = True


def h1(doc, text):
    heading(doc, text, "Heading 1", H1_FONT)


def h2(doc, text):
    heading(doc, text, "Heading 2", H2_FONT)


def repeat_header(row) -> None:
    """The header row repeats on every page and stays with the first row (never alone at the
    foot of a page)."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


def cell_text(cell, text: str, bold=False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.space_before = Pt(2)
    p.paragraph_format.space_after = Pt(2)
    set_fonts(p.add_run(text), BODY_FONT, TABLE, bold)


TEXT_WIDTH_MM = 156  # 210 − 28 − 26


def loop_table(doc, headers: list[str], loop: str, cells: list[str], weights: list[int] | None = None) -> None:
    """A table: header row (repeated on every page), then one row per item of ``loop``; rows
    never split across pages; column widths in proportion to ``weights``."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    weights = weights or [1] * len(headers)
    for i, w in enumerate(weights):
        width = Mm(TEXT_WIDTH_MM * w / sum(weights))
        table.columns[i].width = width
        for row in table.rows:
            row.cells[i].width = width
    for i, h in enumerate(headers):
        cell_text(table.rows[0].cells[i], h, bold=True)
    repeat_header(table.rows[0])
    table.rows[2]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    cell_text(table.rows[1].cells[0], f"{{%tr for r in {loop} %}}")
    for i, c in enumerate(cells):
        cell_text(table.rows[2].cells[i], "{{ r.%s }}" % c)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")


def table_or_text(doc, rows: str, headers, cells, weights, empty: str, chart: str | None = None) -> None:
    """The table of ``rows`` (after a chart, if given), or one sentence when there are none."""
    tag(doc, f"{{%p if {rows} %}}")
    if chart:
        para(doc, "{{ %s }}" % chart, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, single=True)
    loop_table(doc, headers, rows, cells, weights)
    tag(doc, "{%p else %}")
    para(doc, empty)
    tag(doc, "{%p endif %}")


page_number_footer = page_numbers  # the reports' footers, as every DOCX has them


#: the accidents of a period, one row each
ACCIDENT_HEADERS = ["编号", "发生时间", "事故", "单位", "乡镇", "等级", "死亡", "重伤", "报告时限"]
ACCIDENT_CELLS = ["id", "occurred", "title", "unit", "township", "grade", "deaths", "serious_injuries", "late"]
ACCIDENT_WEIGHTS = [17, 15, 20, 18, 8, 6, 5, 5, 16]


def build() -> Document:
    doc = Document()
    sec = doc.sections[0]
    sec.start_type = WD_SECTION.NEW_PAGE
    a4_page(sec)
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT, BODY)
    exact(normal.paragraph_format)
    for name in ("Table Grid",):
        set_fonts(doc.styles[name], BODY_FONT, TABLE)
    heading_styles(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    page_number_footer(sec.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number_footer(sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    # title (二号 小标宋), centred, then a blank line
    para(doc, "{{ title }}", TITLE_FONT, Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    para(doc, "", indent=False)

    # 事故情况 first in the bulletin and the annual summary (issue 16)
    tag(doc, "{%p if kind in ('quarterly', 'annual') %}")
    h1(doc, "{{ n.accidents }}、事故情况")
    para(doc, "{{ accidents.summary }}")
    h2(doc, "（一）{{ '与上年比较' if kind == 'annual' else '与上期、上年同期比较' }}")
    loop_table(doc, ["指标", "本期", "{{ accident_heads[0] }}", "{{ accident_heads[1] }}"], "accident_rows",
               ["name", "now", "a", "b"], [11, 5, 14, 16])
    tag(doc, "{%p if kind == 'annual' and accidents.figures.count %}")
    para(doc, "{{ chart_accidents }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, single=True)
    tag(doc, "{%p endif %}")
    h2(doc, "（二）逐起情况")
    table_or_text(doc, "accidents.list", ACCIDENT_HEADERS, ACCIDENT_CELLS, ACCIDENT_WEIGHTS, "本期未发生生产安全事故。")
    tag(doc, "{%p endif %}")

    h1(doc, "{{ n.overall }}、总体情况")
    para(doc, "{{ lead }}")
    loop_table(doc, ["指标", "{{ period.label }}", "{{ previous.label }}"], "headline", ["name", "now", "before"])

    tag(doc, "{%p if kind == 'weekly' %}")
    h1(doc, "二、本周变化")
    table_or_text(doc, "changes_all", ["类别", "日期", "编号", "隐患", "单位", "等级"],
                  ["what", "date", "id", "title", "unit", "level"], [10, 12, 14, 30, 20, 6], "本周没有隐患发生变化。")
    h2(doc, "下周到期（{{ coming.from }} 至 {{ coming.to }}）")
    table_or_text(doc, "coming.hazards", ["编号", "隐患", "单位", "等级", "整改期限", "责任人"],
                  ["id", "title", "unit", "level", "deadline", "owner"], [14, 32, 20, 6, 12, 10], "下周没有到期的隐患。")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if kind == 'annual' %}")
    h1(doc, "{{ n.trend }}、逐月趋势")
    para(doc, "{{ chart_trend }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, single=True)
    loop_table(doc, ["月份", "排查发现", "完成整改", "验收销号", "月末逾期"], "trend",
               ["label", "found", "rectified", "closed", "overdue"])
    tag(doc, "{%p endif %}")

    h1(doc, "{{ n.spread }}、隐患分布")
    h2(doc, "（一）按行业领域")
    table_or_text(doc, "by_sector", ["行业领域", "本期发现", "本期销号", "逾期销号", "按期销号率", "期末未销号", "期末逾期"],
                  ["name", "found", "closed", "closed_late", "on_time_rate_text", "open", "overdue"], None, "本期无。",
                  chart="chart_sector")
    h2(doc, "（二）按乡镇")
    table_or_text(doc, "by_township", ["乡镇", "本期发现", "本期销号", "逾期销号", "按期销号率", "期末未销号", "期末逾期"],
                  ["name", "found", "closed", "closed_late", "on_time_rate_text", "open", "overdue"], None, "本期无。")

    h1(doc, "{{ n.major }}、未销号的重大隐患（挂牌督办）")
    tag(doc, "{%p if kind == 'quarterly' %}")
    h2(doc, "（一）未销号的重大隐患“五落实”情况")
    tag(doc, "{%p endif %}")
    table_or_text(doc, "major_open", ["编号", "隐患", "单位", "治理措施", "资金", "时限", "预案", "责任人", "督办单位"],
                  ["id", "title", "unit", "measures", "funds", "deadline", "plan", "owner", "supervisor"],
                  [12, 18, 14, 22, 11, 12, 15, 8, 12], "期末没有未销号的重大隐患。")
    # the bulletin's 重大隐患挂牌督办清单 (issue 18; seed 001 (1): the tracker named)
    tag(doc, "{%p if kind == 'quarterly' %}")
    h2(doc, "（二）重大隐患挂牌督办清单")
    table_or_text(doc, "listed", ["编号", "隐患（单位）", "挂牌督办单位（日期）", "督办文号", "跟踪督办责任人", "整改期限", "状态"],
                  ["id", "hazard", "listed", "number", "tracker", "deadline", "state"],
                  [12, 23, 17, 18, 10, 11, 13], "本期没有挂牌督办的重大隐患。")
    tag(doc, "{%p endif %}")

    h1(doc, "{{ n.overdue }}、逾期未整改隐患")
    table_or_text(doc, "overdue", ["编号", "隐患", "单位", "乡镇", "等级", "整改期限", "逾期天数", "责任人", "督办单位"],
                  ["id", "title", "unit", "township", "level", "deadline", "days_overdue", "owner", "supervisor"],
                  [13, 24, 18, 10, 7, 12, 8, 8, 14], "期末没有逾期未改的隐患。")

    tag(doc, "{%p if kind != 'weekly' %}")
    h1(doc, "{{ n.tasks }}、重点任务推进情况")
    para(doc, "重点任务共 {{ tasks.total }} 项，已全部完成（或转入长期坚持）{{ tasks.done }} 项；本期到期 "
              "{{ tasks.due | length }} 项，其中逾期未完成 {{ tasks.missed | length }} 项。")
    loop_table(doc, ["措施", "任务数", "已完成", "逾期"], "tasks.by_measure", ["name", "total", "done", "overdue"],
               [28, 6, 6, 6])
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if kind == 'quarterly' %}")
    h1(doc, "{{ n.duties }}、领导干部和企业主要负责人履职情况")
    h2(doc, "（一）领导干部")
    table_or_text(doc, "duties.leaders", ["履职人", "职务", "履职要求", "应完成", "已完成", "状态", "未完成的原因"],
                  ["name", "title", "duty", "required", "done", "status", "why"], [7, 14, 24, 5, 5, 7, 20],
                  "本期没有需要核对的履职要求。")
    h2(doc, "（二）企业主要负责人")
    table_or_text(doc, "duties.enterprises", ["履职人", "职务", "履职要求", "应完成", "已完成", "状态", "未完成的原因"],
                  ["name", "title", "duty", "required", "done", "status", "why"], [7, 14, 24, 5, 5, 7, 20],
                  "本期没有需要核对的履职要求。")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if kind in ('quarterly', 'annual') %}")
    h1(doc, "{{ n.gaps }}、包保责任盲区")
    tag(doc, "{%p for g in gaps %}")
    para(doc, "{{ loop.index }}. {{ g.message }}")
    tag(doc, "{%p else %}")
    para(doc, "包保责任全覆盖，未发现盲区。")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    # 执法检查和打非治违 (issue 17)
    tag(doc, "{%p if kind in ('quarterly', 'annual') %}")
    h1(doc, "{{ n.enforcement }}、执法检查和打非治违")
    para(doc, "{{ enforcement.summary }}")
    h2(doc, "（一）执法处罚量化评比")
    table_or_text(doc, "enforcement.ranking", ["名次", "执法部门", "检查", "发现隐患", "处罚", "罚款（万元）", "停产整顿",
                                               "关闭取缔", "约谈", "移送"],
                  ["rank", "name", "inspections", "hazards_found", "penalties", "fines_text", "suspensions", "closures",
                   "interviews", "referrals"], [5, 24, 6, 8, 6, 10, 8, 8, 6, 6], "本期没有执法记录。")
    h2(doc, "（二）执法与隐患脱节")
    table_or_text(doc, "enforcement.gaps", ["问题", "隐患", "单位", "起始", "天数", "说明"],
                  ["rule_label", "hazard", "unit", "since", "days", "message"], [14, 14, 16, 13, 8, 35],
                  "未发现重大隐患未处罚、逾期未整改未处罚、未落实一案双罚等问题。")
    tag(doc, "{%p endif %}")

    # 专项行动进展 (issue 18): the bulletin, when a campaign runs in the quarter
    tag(doc, "{%p if kind == 'quarterly' and campaigns %}")
    h1(doc, "{{ n.campaigns }}、专项行动进展")
    tag(doc, "{%p for c in campaigns %}")
    para(doc, "{{ c.title }}{{ '（' + c.basis + '）' if c.basis else '' }}：{{ c.from }}至{{ c.until }}，期末处于“{{ c.phase }}”阶段。")
    table_or_text(doc, "c.phases", ["阶段", "起", "止", "发现隐患", "其中重大", "销号"],
                  ["name", "from", "until", "found", "major", "closed"], [26, 15, 15, 11, 11, 8], "没有阶段安排。")
    # a paragraph between the two tables: adjacent tables run together into one in Word and WPS
    para(doc, "报送情况：")
    table_or_text(doc, "c.nodes", ["报送节点", "期限", "应报", "按时", "逾期报送", "逾期未报", "未报单位"],
                  ["title", "due", "units", "on_time", "late", "missing", "missing_text"], [19, 17, 9, 9, 10, 10, 26],
                  "没有报送节点。")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    # 举报核查 (issue 18): the bulletin, when the workspace keeps tip-offs; never a reporter
    tag(doc, "{%p if kind == 'quarterly' and tipoffs %}")
    h1(doc, "{{ n.tipoffs }}、举报核查")
    para(doc, "本期受理举报{{ tipoffs.received }}件{{ '（' + tipoffs.channels + '）' if tipoffs.channels else '' }}，"
              "核查办结{{ tipoffs.verified }}件，其中属实{{ tipoffs.substantiated }}件、部分属实{{ tipoffs.partly }}件、"
              "不属实{{ tipoffs.unsubstantiated }}件{{ '，超期办结' ~ tipoffs.verified_late ~ '件' if tipoffs.verified_late else '' }}；"
              "查实的举报涉及隐患{{ tipoffs.hazards }}项。期末仍在核查{{ tipoffs.pending }}件，其中逾期{{ tipoffs.overdue }}件"
              "{{ '；已核查未按时反馈举报人' ~ tipoffs.feedback_overdue ~ '件' if tipoffs.feedback_overdue else '' }}。"
              "本期批准举报奖励{{ tipoffs.rewards_approved }}件{{ tipoffs.rewards_approved_amount }}万元，"
              "发放{{ tipoffs.rewards_paid }}件{{ tipoffs.rewards_paid_amount }}万元"
              "{{ '，已批准未发放' ~ tipoffs.rewards_unpaid ~ '件' ~ tipoffs.rewards_unpaid_amount ~ '万元'"
              " if tipoffs.rewards_unpaid else '' }}。")
    table_or_text(doc, "tipoffs.open", ["编号", "举报事项", "被举报单位", "承办部门", "期限", "情况"],
                  ["id", "subject", "unit", "handler", "due", "state"], [18, 24, 16, 12, 17, 13],
                  "期末没有逾期未核查、逾期未反馈或未发放奖励的举报。")
    tag(doc, "{%p endif %}")

    # 重大风险管控 (issue 19): the quarterly and annual, when the workspace keeps a register
    tag(doc, "{%p if kind in ('quarterly', 'annual') and risks %}")
    h1(doc, "{{ n.risks }}、重大风险管控")
    para(doc, "重大安全风险数据库共{{ risks.total }}项：{{ risks.summary }}；其中可能造成群死群伤的重大风险{{ risks.mass }}项，"
              "已挂牌督办{{ risks.mass_listed }}项。")
    loop_table(doc, ["等级", "颜色", "项数", "可能群死群伤"], "risks.grades", ["grade", "colour", "count", "mass_casualty"],
               [25, 25, 25, 25])
    para(doc, "{{ chart_risks }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, single=True)
    para(doc, "管控缺口：")
    table_or_text(doc, "risks.gaps", ["问题", "风险", "说明"], ["rule_label", "risk", "message"], [22, 21, 57],
                  "重大、较大风险的管控措施、责任人、管控层级、包保人和复核评估均已落实。")
    tag(doc, "{%p endif %}")

    # 分级分类监管 (issue 19): the quarterly and annual, when enterprises are graded
    tag(doc, "{%p if kind in ('quarterly', 'annual') and grades %}")
    h1(doc, "{{ n.grades }}、分级分类监管")
    loop_table(doc, ["监管等级", "企业数", "监管部门和人员明确", "本期检查次数", "检查频次要求", "频次未达到的企业"], "grades.rows",
               ["grade", "count", "regulated", "inspections", "rule", "short"], [14, 12, 20, 16, 20, 18])
    para(doc, "检查频次未达到要求的企业：")
    table_or_text(doc, "grades.short", ["企业", "周期", "检查次数", "应检查次数"], ["unit", "period", "done", "required"],
                  [40, 28, 16, 16], "各等级企业的检查频次均达到要求。")
    tag(doc, "{%p endif %}")

    # 巡查考核 (issue 19): the annual, when the workspace keeps 巡查考核 records
    tag(doc, "{%p if kind == 'annual' and patrols %}")
    h1(doc, "{{ n.patrols }}、巡查考核")
    para(doc, "全年巡查考核对象{{ patrols.total }}个，缺巡查或考核的{{ patrols.missing }}个；按考核得分排名如下。")
    loop_table(doc, ["名次", "对象", "巡查次数", "考核得分", "缺"], "patrols.rows",
               ["rank", "target", "patrols", "score", "missing"], [10, 42, 14, 14, 20])
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if kind in ('weekly', 'monthly') %}")
    h1(doc, "{{ n.accidents }}、{{ '本周' if kind == 'weekly' else '本月' }}生产安全事故")
    table_or_text(doc, "accidents.list", ACCIDENT_HEADERS, ACCIDENT_CELLS, ACCIDENT_WEIGHTS, "本期未发生生产安全事故。")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if kind == 'weekly' %}")
    h1(doc, "{{ n.enforcement }}、本周执法")
    table_or_text(doc, "enforcement.list", ["编号", "日期", "类型", "单位", "执法部门", "处罚", "相关隐患"],
                  ["id", "date", "type", "unit", "by", "what", "hazards"], [14, 12, 8, 22, 18, 16, 14], "本周没有执法记录。")
    tag(doc, "{%p endif %}")

    # the prose the office writes (reports/<period>/<section>.md), each a numbered section
    tag(doc, "{%p for s in prose %}")
    h1(doc, "{{ s.number }}、{{ s.title }}")
    tag(doc, "{%p for b in s.blocks %}")
    tag(doc, "{%p if b.heading %}")
    h2(doc, "{{ b.text }}")
    tag(doc, "{%p else %}")
    para(doc, "{{ b.text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    # 落款, 附件说明 and 版记 are laid out after rendering (anquan_cli.views.gongwen), the same for
    # every document anquan writes
    return doc


if __name__ == "__main__":
    build().save(OUT)
    print(f"wrote {OUT}")

"""Workbooks as offices hand them upward: one title per sheet and a subtitle with the filters
and the date, a bold frozen header with an autofilter, a 序号 column, column widths that fit
Chinese text, real date cells, overdue rows highlighted, optionally one sheet per township, a
summary sheet, and print setup (A4 landscape, one page wide, title and header on every page,
page numbers)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["Column", "Sheet", "workbook_bytes", "sheet_title", "scope_line", "ROW_NUMBER", "display_width", "hazard_sheets", "task_sheets",
           "duty_sheets", "matrix_sheets", "accident_sheets",
           "enforcement_sheets", "risk_sheets", "grid_sheets"]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text | date | int | number


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    rows: list[dict]
    #: rows for which this returns True are highlighted (overdue)
    highlight: object = None
    note: str = ""
    summary: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)


def display_width(text: str) -> int:
    """Columns a text takes in Excel: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name)[:31] or "Sheet"
    candidate, n = base, 2
    while candidate in used:
        suffix = f"({n})"
        candidate = base[:31 - len(suffix)] + suffix
        n += 1
    used.add(candidate)
    return candidate


def _cell(value):
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def sheet_title(title: str, name: str) -> str:
    """One title per sheet: the workbook's, with the sheet's own name only when it adds
    something (隐患台账 in 青岚县隐患台账 does not; a township's sheet or 汇总 does)."""
    return title if name in title else f"{title}（{name}）"


#: how ``--period`` reads for each export: which records of the period the sheet holds
_PERIOD_WORDS = {"hazards": "，含当期发现、当期销号和期末仍未销号的隐患", "tasks": "内到期的任务",
                 "duties": "", "accidents": "内发生的事故", "enforcement": "内的执法记录"}
_OPEN_WORDS = {"hazards": "只含未销号的隐患", "tasks": "只含未完成的任务"}
_OVERDUE_WORDS = {"hazards": "只含逾期未整改的隐患", "tasks": "只含逾期的任务"}


def scope_line(kind: str, day: dt.date, *, period=None, township: str | None = None, level: str | None = None,
               open_: bool = False, overdue: bool = False) -> str:
    """The subtitle under a sheet's title: the filters the rows were chosen by and the day the
    figures are as of (``period`` a ``rules.periods.Window``)."""
    parts = []
    if period is not None:
        parts.append(f"时段：{period.label}（{_day(period.start)}至{_day(period.end)}）{_PERIOD_WORDS.get(kind, '')}")
    if township:
        parts.append(f"乡镇：{township}")
    if level:
        parts.append(f"隐患等级：{level}")
    if open_:
        parts.append(_OPEN_WORDS[kind])
    if overdue:
        parts.append(_OVERDUE_WORDS[kind])
    parts.append(f"截至 {_day(day)}")
    return "；".join(parts)


def _lines(text: str, widths: list[float], points: int) -> int:
    """The lines ``text`` wraps to across columns of these widths (in 11-point characters)."""
    return max(1, -(-display_width(text) * points // int(11 * sum(widths))))


#: the column every data sheet starts with: the row's number on its sheet (1, 2, 3 …)
ROW_NUMBER = Column("_row_number", "序号", "int")
#: print setup (inches): narrow side margins, room for the page-number footer
_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.7}
_FOOTER = "&C第 &P 页 共 &N 页"


def workbook_bytes(title: str, day: dt.date, sheets: list[Sheet], summary: Sheet | None = None,
                   subtitle: str | None = None) -> bytes:
    """The workbook as the bytes of an .xlsx file (the caller writes it atomically).

    Every sheet: the title (row 1) and ``subtitle`` (row 2: the filters and the 截至 date) merged
    across; a data sheet then its header (row 3, bold, frozen, with an autofilter) and rows
    numbered in a first column 序号.  Printed on A4 landscape, one page wide, the title rows and
    the header repeated on each page, 第 N 页 共 M 页 in the footer."""
    import io

    import xlsxwriter

    subtitle = subtitle or f"截至 {_day(day)}"
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    base = {"font_name": "宋体", "font_size": 11, "valign": "top", "text_wrap": True}
    fmt_title = wb.add_format({**base, "bold": True, "font_size": 16, "align": "center", "valign": "vcenter",
                               "text_wrap": False})
    fmt_subtitle = wb.add_format({**base, "font_size": 10, "align": "left", "valign": "vcenter"})
    fmt_note = wb.add_format({**base, "italic": True, "font_color": "#555555", "valign": "vcenter"})
    fmt_head = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "align": "center",
                              "valign": "vcenter"})
    fmt_text = wb.add_format({**base, "border": 1})
    fmt_date = wb.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd", "align": "center"})
    fmt_int = wb.add_format({**base, "border": 1, "num_format": "0", "align": "right"})
    hot = {"bg_color": "#FCE4E4", "font_color": "#9C0006"}
    fmt_text_hot = wb.add_format({**base, "border": 1, **hot})
    fmt_date_hot = wb.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd", "align": "center", **hot})
    fmt_int_hot = wb.add_format({**base, "border": 1, "num_format": "0", "align": "right", **hot})
    fmt_number = wb.add_format({**base, "border": 1, "num_format": "0.####", "align": "right"})
    fmt_number_hot = wb.add_format({**base, "border": 1, "num_format": "0.####", "align": "right", **hot})
    formats = {("text", False): fmt_text, ("date", False): fmt_date, ("int", False): fmt_int,
               ("text", True): fmt_text_hot, ("date", True): fmt_date_hot, ("int", True): fmt_int_hot,
               ("number", False): fmt_number, ("number", True): fmt_number_hot}
    used: set[str] = set()
    for sheet in ([summary] if summary else []) + sheets:
        ws = wb.add_worksheet(_sheet_name(sheet.name, used))
        columns = [ROW_NUMBER, *sheet.columns] if sheet.columns else []
        header = 2
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # one page wide, as many pages down as it takes
        ws.set_margins(**_MARGINS)
        ws.center_horizontally()
        ws.set_footer(_FOOTER)
        ws.repeat_rows(0, header if columns else 1)
        if columns:
            for c, col in enumerate(columns):
                ws.write(header, c, col.header, fmt_head)
            widths = [display_width(col.header) for col in columns]
            for n, row in enumerate(sheet.rows, start=1):
                r = header + n
                hot_row = bool(sheet.highlight and sheet.highlight(row))
                for c, col in enumerate(columns):
                    value = n if col is ROW_NUMBER else _cell(row.get(col.key))
                    fmt = formats[(col.kind, hot_row)]
                    if value is None or value == "":
                        ws.write_blank(r, c, None, fmt)
                    elif col.kind == "date":
                        day_value = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
                        ws.write_datetime(r, c, dt.datetime.combine(day_value, dt.time()), fmt)
                        widths[c] = max(widths[c], 10)
                    elif col.kind == "int":
                        ws.write_number(r, c, int(value), fmt)
                    elif col.kind == "number":
                        ws.write_number(r, c, float(value), fmt)
                    else:
                        ws.write_string(r, c, str(value), fmt)
                        widths[c] = max(widths[c], min(display_width(str(value)), 60))
            widths = [min(max(w + 2, 6), 62) for w in widths]
            ws.freeze_panes(header + 1, 0)
            ws.autofilter(header, 0, header + max(1, len(sheet.rows)), len(columns) - 1)
        else:  # a summary: caption and count, the title across two more columns
            widths = [max([display_width(c) for c, _ in sheet.summary]
                          + [display_width(n) for _, counts in sheet.summary for n, _ in counts] + [10]) + 2, 10, 9, 9]
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        for r, text, fmt in ((0, sheet_title(title, sheet.name), fmt_title), (1, subtitle, fmt_subtitle)):
            ws.merge_range(r, 0, r, len(widths) - 1, text, fmt)
        ws.set_row(0, 30)
        ws.set_row(1, 18 * _lines(subtitle, widths, 10))
        row = header + len(sheet.rows) + 2 if columns else 3
        if sheet.note:
            ws.merge_range(row, 0, row, len(widths) - 1, sheet.note, fmt_note)
            ws.set_row(row, 18 * _lines(sheet.note, widths, 11))
            row += 2
        for caption, counts in sheet.summary:
            ws.write(row, 0, caption, fmt_head)
            ws.write(row, 1, "数量", fmt_head)
            for i, (name, n) in enumerate(counts, start=1):
                ws.write_string(row + i, 0, name, fmt_text)
                ws.write_number(row + i, 1, n, fmt_int)
            row += len(counts) + 2
    wb.close()
    return buf.getvalue()


# ---------------------------------------------------------------------- what each export holds
# Headers are the Chinese column names the readers recognise, so an exported sheet reads back.

HAZARD_COLUMNS = [
    Column("id", "隐患编号"), Column("title", "隐患名称"), Column("unit", "单位名称"), Column("township", "乡镇"),
    Column("sector", "行业领域"), Column("level_label", "隐患等级"), Column("source_label", "隐患来源"),
    Column("found", "发现日期", "date"), Column("deadline", "整改期限", "date"), Column("owner", "责任人"),
    Column("status_label", "状态"), Column("days_overdue", "逾期天数", "int"), Column("closed", "销号日期", "date"),
    Column("guarantors", "包保人"), Column("supervisor", "督办单位"), Column("extensions", "延期次数", "int"),
]
TASK_COLUMNS = [
    Column("no", "任务序号", "int"), Column("measure", "措施"), Column("task", "重点任务"), Column("units_text", "责任单位"),
    Column("deadline_text", "完成时限"), Column("due", "截止日期", "date"), Column("status_label", "状态"),
    Column("pending_text", "未报完成的单位"), Column("days_overdue", "逾期天数", "int"),
]
DUTY_COLUMNS = [
    Column("duty", "编号"), Column("action", "履职要求"), Column("holder", "履职人"), Column("title", "职务"),
    Column("period_label", "周期"), Column("required", "应完成", "int"), Column("done", "已完成", "int"),
    Column("status_label", "状态"), Column("missed_text", "未完成的时段"),
]
MATRIX_COLUMNS = [
    Column("id", "编号"), Column("kind_label", "包保类型"), Column("guarantor", "包保人"), Column("responsible", "责任人"),
    Column("responsible_units", "责任单位"), Column("targets", "包保对象"), Column("township", "包保范围"),
    Column("standard", "包保标准"),
]


def _counts(rows: list[dict], key: str) -> list[tuple[str, int]]:
    from anquan_cli.rules.hazards import count_by

    return count_by(rows, lambda r: str(r[key]) if r.get(key) else None)


def hazard_sheets(rows: list[dict], by_township: bool) -> tuple[list[Sheet], Sheet]:
    def overdue(r):
        return bool(r.get("days_overdue"))

    if by_township:
        groups: dict[str, list[dict]] = {}
        for r in rows:
            groups.setdefault(r.get("township") or "（未填乡镇）", []).append(r)
        sheets = [Sheet(name, HAZARD_COLUMNS, items, overdue) for name, items in sorted(groups.items())]
    else:
        sheets = [Sheet("隐患台账", HAZARD_COLUMNS, rows, overdue)]
    summary = Sheet("汇总", [], [], note=f"共 {len(rows)} 项，其中逾期 {sum(overdue(r) for r in rows)} 项（红色标出）。",
                    summary=[("按乡镇", _counts(rows, "township")), ("按等级", _counts(rows, "level_label")),
                             ("按状态", _counts(rows, "status_label")), ("按行业领域", _counts(rows, "sector"))])
    return sheets, summary


def task_sheets(rows: list[dict]) -> tuple[list[Sheet], Sheet]:
    for r in rows:
        r["units_text"] = "，".join(r["units"])
        r["pending_text"] = "；".join(r["units_pending"])
    sheets = [Sheet("重点任务", TASK_COLUMNS, rows, lambda r: bool(r.get("days_overdue")))]
    summary = Sheet("汇总", [], [], note=f"共 {len(rows)} 项任务。",
                    summary=[("按状态", _counts(rows, "status_label")), ("按措施", _counts(rows, "measure"))])
    return sheets, summary


def duty_sheets(results) -> tuple[list[Sheet], Sheet]:
    """Sheets for duty results (``rules.duties.DutyResult``): one row per duty and holder."""
    from anquan_cli.views.duties import STATUS_ZH, csv_rows

    rows = csv_rows(results)
    for r, res in zip(rows, results):
        r.update(period_label=f"{res.period.label}至少{res.min}次", status_label=STATUS_ZH[r["status"]],
                 missed_text="、".join(r["missed"]))
    sheets = [Sheet("履职情况", DUTY_COLUMNS, rows, lambda r: r.get("status") == "not_met")]
    summary = Sheet("汇总", [], [], summary=[("按状态", _counts(rows, "status_label")),
                                             ("按履职要求", _counts(rows, "action"))])
    return sheets, summary


#: the headers ``import accidents`` reads back (the model's CSV columns)
ACCIDENT_COLUMNS = [
    Column("id", "事故编号"), Column("title", "事故名称"), Column("occurred_text", "发生时间"), Column("unit", "事故单位"),
    Column("township", "乡镇"), Column("sector", "行业领域"), Column("kind_label", "事故类别"),
    Column("deaths", "死亡人数", "int"), Column("missing", "失踪人数", "int"),
    Column("serious_injuries", "重伤人数", "int"), Column("minor_injuries", "轻伤人数", "int"),
    Column("direct_loss", "直接经济损失（万元）", "number"), Column("grade_label", "事故等级"),
    Column("reports_text", "报告记录"), Column("concealment_text", "认定"), Column("hazards", "相关隐患"),
    Column("note", "备注"), Column("late_reports", "迟报次数", "int"),
]


def accident_sheets(rows: list[dict]) -> tuple[list[Sheet], Sheet]:
    """Accidents (``views.accidents.detail`` rows): one sheet, late reports highlighted; the
    summary by grade, township, sector and kind."""
    from anquan_cli.models.accident import report_cell

    for r in rows:
        r["occurred_text"] = r["occurred"].replace("T", " ")
        # as the CSV ledger and ``import accidents`` read them back
        r["reports_text"] = report_cell(r["reports"])
        c = r["concealment"]
        r["concealment_text"] = "" if c is None else c["kind_label"] + (f"（{c['note']}）" if c["note"] else "")
    sheets = [Sheet("生产安全事故", ACCIDENT_COLUMNS, rows, lambda r: bool(r.get("late_reports")))]
    dead = sum(r["deaths"] for r in rows)
    summary = Sheet("汇总", [], [], note=f"共 {len(rows)} 起，死亡 {dead} 人，重伤 {sum(r['serious_injuries'] for r in rows)} 人"
                                         f"（迟报、漏报的红色标出）。",
                    summary=[("按等级", _counts(rows, "grade_label")), ("按乡镇", _counts(rows, "township")),
                             ("按行业领域", _counts(rows, "sector")), ("按事故类别", _counts(rows, "kind_label"))])
    return sheets, summary


#: the offices' two ledgers (执法检查台账, 行政处罚台账) and the other actions; the headers are the
#: model's CSV columns, so ``import enforcement`` reads each sheet back
_ENFORCEMENT_LEAD = [Column("id", "编号"), Column("type_label", "类型"), Column("date", "日期", "date"),
                     Column("unit", "当事单位"), Column("township", "乡镇"), Column("by", "执法部门")]
INSPECTION_COLUMNS = _ENFORCEMENT_LEAD + [Column("inspectors_text", "执法人员"), Column("mode_label", "检查方式"),
                                          Column("hazards_text", "相关隐患"), Column("note", "备注")]
PENALTY_COLUMNS = _ENFORCEMENT_LEAD + [Column("number", "文号"), Column("person", "主要负责人"),
                                       Column("measures_text", "处罚种类"), Column("amount", "罚款金额", "number"),
                                       Column("basis", "处罚依据"), Column("hazards_text", "相关隐患"), Column("note", "备注")]
OTHER_COLUMNS = _ENFORCEMENT_LEAD + [Column("from_", "停产开始", "date"), Column("until", "截止日期", "date"),
                                     Column("resumed", "复产日期", "date"), Column("accepted", "复产验收日期", "date"),
                                     Column("to", "移送机关"), Column("hazards_text", "相关隐患"), Column("note", "备注")]


def enforcement_sheets(rows: list[dict], gap_hazards: set[str]) -> tuple[list[Sheet], Sheet]:
    """Enforcement rows (``views.enforcement.row`` plus the record's other fields): 执法检查台账,
    行政处罚台账 and the other actions; rows about a hazard with an enforcement gap in red."""
    for r in rows:
        r["inspectors_text"] = "、".join(r.get("inspectors", []))
        r["hazards_text"] = "、".join(r["hazards"])
        r["measures_text"] = "、".join(r["measure_labels"])

    def hot(r: dict) -> bool:
        return any(h in gap_hazards for h in r["hazards"])

    sheets = [Sheet("执法检查台账", INSPECTION_COLUMNS, [r for r in rows if r["type"] == "inspection"], hot),
              Sheet("行政处罚台账", PENALTY_COLUMNS, [r for r in rows if r["type"] == "penalty"], hot),
              Sheet("其他执法", OTHER_COLUMNS, [r for r in rows if r["type"] not in ("inspection", "penalty")], hot)]
    fines = sum(r["amount"] or 0 for r in rows if r["type"] == "penalty")
    summary = Sheet("汇总", [], [], note=f"共 {len(rows)} 条，其中行政处罚 {len(sheets[1].rows)} 起、罚款 {fines:g} 万元"
                                         "（涉及执法与隐患脱节的红色标出）。",
                    summary=[("按类型", _counts(rows, "type_label")), ("按执法部门", _counts(rows, "by")),
                             ("按乡镇", _counts(rows, "township"))])
    return sheets, summary


def matrix_sheets(rows: list[dict]) -> tuple[list[Sheet], Sheet]:
    sheets = [Sheet("包保责任清单", MATRIX_COLUMNS, rows)]
    summary = Sheet("汇总", [], [], summary=[("按包保类型", _counts(rows, "kind_label")),
                                             ("按包保人", _counts(rows, "guarantor"))])
    return sheets, summary


#: the 重大安全风险清单; the headers are the model's CSV columns (the register reads the sheet back as CSV)
RISK_COLUMNS = [
    Column("id", "风险编号"), Column("title", "风险名称"), Column("unit", "单位"), Column("township", "乡镇"),
    Column("sector", "行业领域"), Column("place", "位置"), Column("category", "风险类别"),
    Column("grade_label", "风险等级"), Column("colour_label", "颜色"), Column("mass_text", "可能群死群伤"),
    Column("measures_text", "管控措施"), Column("guarantor", "包保人"), Column("listing_text", "挂牌督办"),
    Column("reviewed", "复核日期", "date"), Column("hazards", "隐患编号"), Column("open_hazards", "未销号隐患"),
    Column("gaps_text", "管控缺口"),
]


def risk_sheets(rows: list[dict]) -> tuple[list[Sheet], Sheet]:
    """The register (``views.risks.row`` rows with ``measures_text``, ``listing_text`` and
    ``gaps_text``): one sheet, risks with a control gap in red; the summary by grade, township
    and category."""
    for r in rows:
        r["mass_text"] = "是" if r["mass_casualty"] else "否"
        r["reviewed"] = dt.date.fromisoformat(r["reviewed"]) if r["reviewed"] else None
    sheets = [Sheet("重大安全风险清单", RISK_COLUMNS, rows, lambda r: bool(r.get("gaps_text")))]
    mass = sum(1 for r in rows if r["mass_casualty"])
    summary = Sheet("汇总", [], [], note=f"共 {len(rows)} 项，其中可能群死群伤 {mass} 项（有管控缺口的红色标出）。",
                    summary=[("按等级", _counts(rows, "grade_label")), ("按乡镇", _counts(rows, "township")),
                             ("按风险类别", _counts(rows, "category"))])
    return sheets, summary


#: the 网格表; the headers are the model's CSV columns
GRID_COLUMNS = [
    Column("id", "网格编号"), Column("name", "网格名称"), Column("level_label", "网格层级"), Column("parent", "上级网格"),
    Column("responsible", "网格责任人"), Column("post", "岗位"), Column("duty", "职责"), Column("enterprises", "网格内企业"),
]


def grid_sheets(rows: list[dict]) -> tuple[list[Sheet], Sheet]:
    """The grid's cells in tree order (``views.grid.node_json`` flattened), cells without a
    responsible person in red; the summary by level."""
    sheets = [Sheet("网格表", GRID_COLUMNS, rows, lambda r: not r.get("responsible"))]
    summary = Sheet("汇总", [], [], note=f"共 {len(rows)} 个网格，纳入网格的企业 {sum(len(r['enterprises']) for r in rows)} 家"
                                         "（没有网格责任人的红色标出）。",
                    summary=[("按层级", _counts(rows, "level_label"))])
    return sheets, summary

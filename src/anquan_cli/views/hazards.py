"""Hazards for people (rich tables in Chinese) and for scripts (JSON/CSV, English keys)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

from anquan_cli.models import EventKind, Hazard, Level
from anquan_cli.models.hazard import FIVE_ELEMENTS_ZH
from anquan_cli.rules import hazards as R
from anquan_cli.rules.lookup import Directory
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import NAMES, TEXT, Col, print_table, say

__all__ = ["HazardView", "rows", "render_json", "render_csv", "render_table", "summary_text",
           "show_data", "render_show"]

COLUMNS = ["id", "title", "unit", "township", "sector", "level", "level_label", "source",
           "source_label", "found", "deadline", "closed", "status", "status_label",
           "days_overdue", "days_open", "extensions", "owner", "guarantors", "supervisor",
           "file", "line", "workspace"]


@dataclass
class HazardView:
    """What every hazard view needs besides the records."""

    today: dt.date
    directory: Directory
    guarantees: R.Guarantees
    threshold: int
    acceptance_days: int = R.ACCEPTANCE_DAYS


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def row(h: Hazard, v: HazardView) -> dict:
    st = R.status(h, v.today, v.acceptance_days)
    who = R.answerable(h, v.guarantees)
    return {
        "id": h.id, "title": h.title, "unit": h.unit,
        "township": R.township_of(h, v.directory), "sector": R.sector_of(h, v.directory),
        "level": h.level.value, "level_label": h.level.label,
        "source": h.source.value if h.source else None,
        "source_label": h.source.label if h.source else None,
        "found": _iso(h.found), "deadline": _iso(h.deadline), "closed": _iso(h.closed),
        "status": st.value, "status_label": st.label,
        "days_overdue": R.days_overdue(h, v.today), "days_open": R.days_open(h, v.today),
        "extensions": len(R.extensions(h)),
        "owner": h.owner, "guarantors": who.guarantors, "supervisor": h.supervisor,
        "file": h.src.path, "line": h.src.line, "workspace": h.src.workspace,
    }


def rows(hazards: list[Hazard], v: HazardView) -> list[dict]:
    return [row(h, v) for h in hazards]


def render_json(data) -> str:
    """JSON for scripts: indented on a terminal, compact (and much faster) in a pipe or file."""
    import sys

    if sys.stdout.isatty():
        return json.dumps(data, ensure_ascii=False, indent=2)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def spreadsheet_safe(value):
    """A text cell a spreadsheet will not run: one that begins with ``= + - @`` (or a tab or
    carriage return before them) gets a leading apostrophe, as OWASP advises for CSV exports
    (a hazard titled ``=HYPERLINK(…)`` would otherwise be a live formula in Excel/WPS)."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def render_csv(records: list[dict], columns: list[str] = COLUMNS) -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in records:
        w.writerow([spreadsheet_safe("、".join(r[c]) if isinstance(r.get(c), list) else ("" if r.get(c) is None else r[c]))
                    for c in columns])
    return buf.getvalue()


_TABLE = [  # (key, column)
    ("id", Col("编号")), ("title", Col("隐患名称", TEXT)), ("unit", Col("单位", TEXT)),
    ("township", Col("乡镇")), ("sector", Col("行业领域")), ("level_label", Col("等级")),
    ("found", Col("发现日期")), ("deadline", Col("整改期限")), ("status_label", Col("状态")),
    ("days_overdue", Col("逾期天数", justify="right")), ("owner", Col("责任人", NAMES)),
]
_OVERDUE_EXTRA = [("guarantors", Col("包保人", NAMES)), ("supervisor", Col("督办单位", TEXT))]


def render_table(records: list[dict], title: str, overdue: bool = False) -> None:
    cols = _TABLE + (_OVERDUE_EXTRA if overdue else [])
    rows = []
    for r in records:
        cells = []
        for key, _ in cols:
            value = r.get(key)
            if key == "days_overdue" and not value:
                value = ""
            style = None
            if key == "id":
                style = "bold"
            elif key == "status_label" and r["status"] == "overdue":
                style = "red"
            elif key == "level_label" and r["level"] == Level.MAJOR.value:
                style = "bold"
            cells.append(value if isinstance(value, list) or key == "owner" else plain(value, style))
        rows.append(cells)
    print_table([c for _, c in cols], rows, title)


def _counts(records: list[dict], key: str) -> str:
    return "、".join(f"{k} {n}" for k, n in R.count_by(records, lambda r: r.get(key)))


def summary_text(records: list[dict], what: str) -> str:
    if not records:
        return f"没有{what}。"
    return (f"{what}共 {len(records)} 项。按等级：{_counts(records, 'level_label')}；"
            f"按乡镇：{_counts(records, 'township')}；按行业领域：{_counts(records, 'sector')}。")


# ---------------------------------------------------------------------- show


def show_data(h: Hazard, v: HazardView, enforcement: list[dict] | None = None) -> dict:
    """``enforcement``: the enforcement actions that refer to the hazard (their rows)."""
    who = R.answerable(h, v.guarantees)
    data = {"record": h.model_dump(mode="json"), **row(h, v)}
    data.update({
        "escalation_due": R.escalation_due(h, v.today, v.threshold),
        "five_elements_missing": h.five_elements_missing() if h.level is Level.MAJOR else [],
        "rectified": _iso(R.rectified_on(h)),
        "signed": sorted(p.value for p in R.signed_parties(h)),
        "signoffs_missing": [p.value for p in R.missing_parties(h)] if h.closed is None else [],
        "close_refusals": R.close_refusals(h) if h.closed is None else [],
        "answerable": {"owner": who.owner, "guarantors": who.guarantors,
                       "responsible": who.responsible, "supervisor": who.supervisor,
                       "matrix_entries": who.entries},
        "enforcement": enforcement or [],
        # the 督办函 and 整改通知书 sent about it (anquan notice …), their 文号 in the note
        "notices": [{"kind": e.event.value, "kind_label": e.event.label, "date": e.date.isoformat(), "note": e.note}
                    for e in h.history if e.event in (EventKind.URGED, EventKind.NOTIFIED)],
    })
    return data


_FIELDS_ZH = [("title", "隐患名称"), ("description", "隐患描述"), ("unit", "单位"), ("township", "乡镇"),
              ("sector", "行业领域"), ("level", "隐患等级"), ("source", "隐患来源"), ("found", "发现日期"),
              ("deadline", "整改期限"), ("owner", "责任人"), ("measures", "治理措施"), ("funds", "治理资金"),
              ("plan", "应急预案"), ("supervisor", "督办单位"), ("closed", "销号日期"), ("note", "备注")]


def render_show(h: Hazard, v: HazardView, enforcement: list[dict] | None = None) -> None:
    from rich.table import Table

    d = show_data(h, v, enforcement)
    console = _console()
    head = plain(f"隐患 {h.id}", "bold")
    head.append(f"  {h.title}    状态：{d['status_label']}")
    if d["days_overdue"]:
        head.append(f"（逾期 {d['days_overdue']} 天）")
    console.print(head)
    say(f"{h.src.path}:{h.src.line}", "dim", console=console)
    fields = Table(show_header=False, box=None, padding=(0, 2))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(overflow="fold")
    for key, label in _FIELDS_ZH:
        value = getattr(h, key)
        if value is None or value == "":
            continue
        text = value.label if hasattr(value, "label") else (
            value.isoformat() if isinstance(value, dt.date) else str(value))
        fields.add_row(label, plain(text))
    console.print(fields)
    if h.history:
        hist = []
        for e in h.history:
            detail = [e.party.label + "方" if e.party else None,
                      f"新期限 {e.deadline.isoformat()}" if e.deadline else None,
                      f"督办：{e.supervisor}" if e.supervisor else None,
                      f"新责任人：{e.owner}" if e.owner else None, e.reason, e.note]
            hist.append((e.date.isoformat(), e.event.label, e.by, plain("；".join(x for x in detail if x))))
        print_table([Col("日期"), Col("环节"), Col("经办人", NAMES), Col("说明", TEXT)], hist, "处理记录",
                    console=console)
    if d["enforcement"]:
        console.print("[bold]执法[/bold]")
        for a in d["enforcement"]:
            what = "、".join(a["measure_labels"]) + (f" {a['amount']:g}万元" if a["amount"] else "")
            say(f"  {a['date']}  {a['type_label']}  {a['by']}" + (f"  {a['number']}" if a["number"] else "")
                                + (f"  {what}" if what else "") + (f"  （并处 {a['person']}）" if a["person"] else ""), console=console)
    console.print("[bold]规则[/bold]")
    lines = []
    if h.closed is None:
        if d["escalation_due"]:
            lines.append(f"须提级：一般隐患发现已 {d['days_open']} 天仍未整改（超过 {v.threshold} 天），"
                         "应提级由县人民政府按重大隐患督办（anquan hazards escalate --apply）")
        if h.level is Level.MAJOR:
            missing = d["five_elements_missing"]
            lines.append("五落实：" + ("齐全" if not missing else
                                      "缺少 " + "、".join(FIVE_ELEMENTS_ZH[m] for m in missing)))
            lines.append("挂牌督办：" + (h.supervisor or "未写督办单位"))
        signed = R.signed_parties(h)
        if d["rectified"]:
            lines.append(f"整改完成：{d['rectified']}；三方签字："
                         + ("齐全" if not d["signoffs_missing"] else
                            "已签 " + ("、".join(p.label for p in signed) or "无") + "，缺 "
                            + "、".join(p.label for p in R.missing_parties(h))))
        else:
            lines.append("整改完成：尚未登记")
        lines.append("可以销号" if not d["close_refusals"] else "暂不能销号：" + "；".join(d["close_refusals"]))
    else:
        lines.append(f"已于 {h.closed.isoformat()} 销号")
    if d["extensions"]:
        lines.append(f"延期 {d['extensions']} 次")
    for n in d["notices"]:
        lines.append(f"已发{n['kind_label']}（{n['date']}）：{n['note'] or '未写文号'}")
    for line in lines:
        say(f"  • {line}", console=console)
    who = d["answerable"]
    console.print("[bold]谁负责[/bold]")
    say(f"  • 责任人：{who['owner'] or '未填'}", console=console)
    say(f"  • 包保人：{'、'.join(who['guarantors']) or '包保责任清单中没有'}"
                        + (f"（{'、'.join(who['matrix_entries'])}）" if who["matrix_entries"] else ""), console=console)
    if who["responsible"]:
        say(f"  • 包保责任人：{'、'.join(who['responsible'])}", console=console)
    if who["supervisor"]:
        say(f"  • 督办单位：{who['supervisor']}", console=console)

"""Task-division tables for people (Chinese tables) and scripts (JSON/CSV, English keys)."""

from __future__ import annotations

import datetime as dt

from anquan_cli.rules.tasks import TaskState
from anquan_cli.views._rich import plain
from anquan_cli.views.hazards import render_csv, render_json
from anquan_cli.views.layout import TEXT, Col, print_table

__all__ = ["task_row", "render_tasks", "render_json", "render_csv", "TASK_COLUMNS"]

TASK_COLUMNS = ["table", "no", "measure", "task", "units", "deadline_text", "due", "start",
                "ongoing", "kind", "kind_label", "event", "status", "status_label", "units_done",
                "units_pending", "days_overdue", "error", "file", "line"]


def task_row(s: TaskState, today: dt.date) -> dict:
    t, d = s.task, s.deadline
    overdue = s.due is not None and today > s.due and not s.done
    return {
        "table": t.table, "no": t.no, "measure": t.measure, "task": t.task, "units": list(t.units),
        "deadline_text": t.deadline,
        "due": d.end.isoformat() if d and d.end else None,
        "start": d.start.isoformat() if d and d.start else None,
        "ongoing": bool(d and d.ongoing),
        "kind": d.kind.value if d else None, "kind_label": d.kind.label if d else None,
        "event": d.event if d else None,
        "status": s.status.value, "status_label": s.status.label,
        "units_done": s.done_units, "units_pending": s.pending_units,
        "days_overdue": (today - s.due).days if overdue and s.due is not None else 0,
        "error": s.error, "file": t.src.path, "line": t.src.line,
    }


def render_tasks(records: list[dict], title: str) -> None:
    cols = (Col("序号", justify="right"), Col("重点任务", TEXT), Col("责任单位", TEXT),
            Col("完成时限", TEXT), Col("截止日期"), Col("状态"), Col("未报完成的单位", TEXT),
            Col("逾期天数", justify="right"))
    rows = []
    for r in records:
        due = r["due"] or {"ongoing": "长期坚持", "asap": "尽快", "event": "需人工确认"}.get(r["kind"] or "", "无法计算")
        status = plain(r["status_label"], "red" if r["days_overdue"] else None)
        rows.append((r["no"], plain(r["task"]), "；".join(r["units"]), plain(r["deadline_text"]), due, status,
                     "；".join(r["units_pending"]), r["days_overdue"] or ""))
    print_table(cols, rows, title)

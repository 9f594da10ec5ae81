"""Duty compliance for people (a Chinese table) and scripts (JSON/CSV, English keys)."""

from __future__ import annotations

from anquan_cli.rules.duties import DutyResult
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain

__all__ = ["result_json", "render_results", "STATUS_ZH", "CSV_COLUMNS", "csv_rows"]

STATUS_ZH = {"met": "已完成", "not_met": "未完成", "in_progress": "进行中", "exceeded": "超过上限"}
CSV_COLUMNS = ["duty", "action", "holder", "holder_id", "title", "period", "min", "required", "done",
               "status", "missed"]


def result_json(r: DutyResult) -> dict:
    return {
        "duty": r.duty.id, "action": r.duty.action, "activity": r.duty.activity.value,
        "holder": r.holder.name, "holder_id": r.holder.id, "title": r.holder.title,
        "period": r.period.value, "min": r.min, "rule": r.rule_note,
        "required": r.required, "done": r.done, "met": r.met, "status": r.status, "reasons": r.reasons,
        "windows": [{
            "kind": w.kind, "label": w.window.label, "start": w.window.start.isoformat(),
            "end": w.window.end.isoformat(), "required": w.required, "done": len(w.done),
            "status": w.status, "note": w.note, "max": w.maximum,
            "activities": [{"date": a.date.isoformat(), "title": a.title, "file": a.src.path,
                            "line": a.src.line} for a in w.done],
        } for w in r.windows],
    }


def _missed(r: DutyResult) -> list[str]:
    return [w.window.label for w in r.windows if w.status == "not_met"]


def csv_rows(results: list[DutyResult]) -> list[dict]:
    return [{**{k: v for k, v in result_json(r).items() if k in CSV_COLUMNS}, "missed": _missed(r)}
            for r in results]


def render_results(results: list[DutyResult], title: str) -> None:
    from rich.console import JustifyMethod
    from rich.table import Table

    table = Table(title=title, header_style="bold")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("编号", "left"), ("履职要求", "left"), ("履职人", "left"), ("周期", "left"),
        ("应完成", "right"), ("已完成", "right"), ("状态", "left"), ("未完成的时段", "left"))
    for header, justify in columns:
        table.add_column(header, justify=justify, overflow="fold")
    for r in results:
        style = {"not_met": "red", "in_progress": "yellow", "exceeded": "magenta"}.get(r.status)
        period = f"{r.period.label}至少{r.min}次" + (f"（{r.rule_note}）" if r.rule_note else "")
        table.add_row(plain(r.duty.id), plain(r.duty.action), plain(f"{r.holder.name}（{r.holder.title or ''}）"),
                      plain(period), plain(r.required), plain(r.done), plain(STATUS_ZH[r.status], style),
                      plain("、".join(_missed(r))))
    _console().print(table)
    counts = {s: sum(1 for r in results if r.status == s) for s in STATUS_ZH}
    _console().print(plain(f"共 {len(results)} 项（履职要求 × 履职人）：已完成 {counts['met']}，"
                           f"未完成 {counts['not_met']}，进行中 {counts['in_progress']}"
                           + (f"，超过上限 {counts['exceeded']}" if counts["exceeded"] else "") + "。"))

"""Duty compliance for people (a Chinese table) and scripts (JSON/CSV, English keys)."""

from __future__ import annotations

from anquan_cli.rules.duties import DutyResult
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import NAMES, TEXT, Col, print_table, say

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


def _holder(name: str, title: str | None) -> list[str]:
    """``张伟（副县长）`` as pieces: the name never broken, the title between any characters."""
    if not title:
        return [name]
    chars = list(title)
    return [f"{name}（", *chars[:-1], chars[-1] + "）"]


def render_results(results: list[DutyResult], title: str) -> None:
    cols = (Col("编号"), Col("履职要求", TEXT), Col("履职人", NAMES, sep=""), Col("周期", TEXT),
            Col("应完成", justify="right"), Col("已完成", justify="right"), Col("状态"),
            Col("未完成的时段", TEXT))
    rows = []
    for r in results:
        style = {"not_met": "red", "in_progress": "yellow", "exceeded": "magenta"}.get(r.status)
        period = f"{r.period.label}至少{r.min}次" + (f"（{r.rule_note}）" if r.rule_note else "")
        rows.append((r.duty.id, plain(r.duty.action), _holder(r.holder.name, r.holder.title),
                     plain(period), r.required, r.done, plain(STATUS_ZH[r.status], style), _missed(r)))
    print_table(cols, rows, title)
    counts = {s: sum(1 for r in results if r.status == s) for s in STATUS_ZH}
    say(f"共 {len(results)} 项（履职要求 × 履职人）：已完成 {counts['met']}，"
                           f"未完成 {counts['not_met']}，进行中 {counts['in_progress']}"
                           + (f"，超过上限 {counts['exceeded']}" if counts["exceeded"] else "") + "。")

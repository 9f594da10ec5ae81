"""The responsibility matrix, one person's list and coverage gaps, for people and scripts."""

from __future__ import annotations

from anquan_cli.models import MatrixEntry
from anquan_cli.rules.matrix import Gap, PersonLoad
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import NAMES, TEXT, Col, print_table, say

__all__ = ["entry_json", "load_json", "render_entries", "render_load", "render_gaps"]


def entry_json(m: MatrixEntry) -> dict:
    return {"id": m.id, "kind": m.kind.value, "kind_label": m.kind.label, "guarantor": m.guarantor,
            "responsible": list(m.responsible), "responsible_units": list(m.responsible_units),
            "targets": list(m.targets), "township": m.township, "standard": m.effective_standard,
            "file": m.src.path, "line": m.src.line}


def load_json(load: PersonLoad) -> dict:
    p = load.person
    return {
        "person": {"id": p.id, "name": p.name, "title": p.title, "unit": p.unit, "roles": list(p.roles)},
        "guarantor_of": [entry_json(m) for m in load.as_guarantor],
        "responsible_in": [entry_json(m) for m in load.as_responsible],
        "enterprises": load.enterprises, "sectors": load.sectors,
        "open_hazards": [{"id": h.id, "title": h.title, "level": h.level.value,
                          "deadline": h.deadline.isoformat() if h.deadline else None} for h in load.hazards],
        "tasks": [{"table": s.task.table, "no": s.task.no, "task": s.task.task,
                   "status": s.status.value} for s in load.tasks],
        "duties": [{"id": d.id, "action": d.action, "period": d.period.value, "min": d.min}
                   for d in load.duties],
    }


def render_entries(entries: list[MatrixEntry], title: str) -> None:
    cols = (Col("编号"), Col("包保类型"), Col("包保人", NAMES), Col("责任人", NAMES), Col("包保对象", TEXT),
            Col("范围"), Col("包保标准", TEXT))
    rows = [(m.id, m.kind.label, m.guarantor, [*m.responsible, *m.responsible_units], list(m.targets) or "（全部）",
             m.township or "全辖区", plain(m.effective_standard)) for m in entries]
    print_table(cols, rows, title)


def render_load(load: PersonLoad) -> None:
    console = _console()
    p = load.person
    head = plain(p.name, "bold")
    head.append(f"  {p.title or ''}  {p.unit or ''}")
    console.print(head)
    sections = [
        ("包保责任", [f"{m.id} {m.kind.label}：{'、'.join(m.targets) or '全部'}（{m.effective_standard}）"
                    for m in load.as_guarantor]),
        ("作为责任人", [f"{m.id} {m.kind.label}（包保人 {m.guarantor}）" for m in load.as_responsible]),
        ("包保企业", load.enterprises),
        ("包保行业领域", load.sectors),
        ("负责的未销号隐患", [f"{h.id} [{h.level.label}] {h.title}"
                         + (f"（期限 {h.deadline.isoformat()}）" if h.deadline else "") for h in load.hazards]),
        ("分工表任务", [f"{s.task.no}. {s.task.task[:40]}…（{s.status.label}）" for s in load.tasks]),
        ("履职要求", [f"{d.id} {d.period.label}至少{d.min}次：{d.action}" for d in load.duties]),
    ]
    for title, items in sections:
        console.print(f"[bold]{title}[/bold]（{len(items)}）")
        for item in items:
            say(f"  • {item}", console=console)


def render_gaps(found: list[Gap]) -> None:
    console = _console()
    if not found:
        console.print("包保责任全覆盖：没有发现盲区。")
        return
    for g in found:
        say(f"• [{g.kind}] {g.message}", console=console)
    console.print(f"共 {len(found)} 处。")

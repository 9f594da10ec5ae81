"""Campaigns as people and scripts read them: where each stands, who has not submitted, what
each phase found — rows with stable English keys and rich tables."""

from __future__ import annotations

import datetime as dt

from anquan_cli.models import Campaign
from anquan_cli.rules.campaigns import STATUS_LABELS, NodeUnit, PhaseFigures, by_node, counts, standing
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain

__all__ = ["campaign_row", "node_unit_row", "MISSING_COLUMNS", "render_status", "render_missing"]

#: the keys of a (node, unit) row of ``submissions missing`` (``csv`` columns in this order)
MISSING_COLUMNS = ["campaign", "node", "node_title", "due", "unit", "status", "status_label", "days_late",
                   "submitted", "document", "file", "line"]


def _day(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def node_unit_row(r: NodeUnit) -> dict:
    s = r.submission
    return {"campaign": r.campaign.id, "node": r.node.id, "node_title": r.node.title, "due": r.node.due.isoformat(),
            "unit": r.unit, "status": r.status, "status_label": STATUS_LABELS[r.status], "days_late": r.days_late,
            "submitted": _day(s.date) if s is not None else None, "document": s.document if s is not None else None,
            "file": s.src.path if s is not None else r.campaign.src.path,
            "line": s.src.line if s is not None else r.campaign.src.line}


def campaign_row(c: Campaign, day: dt.date, units: list[NodeUnit], figures: list[PhaseFigures]) -> dict:
    """One campaign on ``day``: its span and phase, each node with its units' standing, each
    phase's figures (``--format json``)."""
    now = standing(c, day)
    grouped = by_node(units)
    nodes = []
    for n in c.nodes:
        mine = grouped.get((c.id, n.id), [])
        nodes.append({"id": n.id, "title": n.title, "due": n.due.isoformat(), "to": n.to, "units": len(mine),
                      **counts(mine), "missing_units": [r.unit for r in mine if r.status == "missing"],
                      "late_units": [r.unit for r in mine if r.status == "late"]})
    return {"id": c.id, "title": c.title, "basis": c.basis, "from": _day(c.first_day), "until": _day(c.last_day),
            "state": now.state, "phase": now.phase.name if now.phase is not None else None, "phase_label": now.label,
            "phases": [{"name": f.phase.name, "from": _day(f.first), "until": f.phase.end.isoformat(),
                        "hazards_found": f.found, "major_found": f.found_major, "hazards_closed": f.closed}
                       for f in figures],
            "nodes": nodes, "duties": list(c.duties), "file": c.src.path, "line": c.src.line}


def render_status(rows: list[dict], day: dt.date) -> None:
    from rich.table import Table

    c = _console()
    if not rows:
        c.print(plain("没有专项行动记录（campaigns/*.yaml）。"))
        return
    for r in rows:
        c.print(plain(f"{r['id']}  {r['title']}" + (f"（{r['basis']}）" if r["basis"] else ""), "bold"))
        c.print(plain(f"  {r['from'] or '…'} 至 {r['until'] or '…'}；截至 {day.isoformat()}：{r['phase_label']}"))
        if r["phases"]:
            table = Table(header_style="bold", title=None)
            for header, justify in (("阶段", "left"), ("起止", "left"), ("发现隐患", "right"), ("其中重大", "right"),
                                    ("销号", "right")):
                table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
            for p in r["phases"]:
                mark = "▶ " if p["name"] == r["phase"] else ""
                table.add_row(plain(mark + p["name"]), plain(f"{p['from'] or '…'}～{p['until']}"),
                              str(p["hazards_found"]), str(p["major_found"]), str(p["hazards_closed"]))
            c.print(table)
        if r["nodes"]:
            table = Table(header_style="bold")
            for header, justify in (("报送节点", "left"), ("期限", "left"), ("应报", "right"), ("按时", "right"),
                                    ("逾期报", "right"), ("未报", "right"), ("未报单位", "left")):
                table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
            for n in r["nodes"]:
                table.add_row(plain(n["title"]), plain(n["due"]), str(n["units"]), str(n["on_time"]), str(n["late"]),
                              str(n["missing"]), plain("、".join(n["missing_units"])))
            c.print(table)
        if r["duties"]:
            c.print(plain(f"  专项行动期间的履职要求：{'、'.join(r['duties'])}"))


def render_missing(rows: list[dict], day: dt.date) -> None:
    from rich.table import Table

    c = _console()
    if not rows:
        c.print(plain(f"截至 {day.isoformat()}，应报送的都已按时报送。"))
        return
    table = Table(title=f"未按时报送（截至 {day.isoformat()}）", header_style="bold")
    for header in ("专项行动", "报送节点", "期限", "单位", "情况", "逾期天数", "报送日期"):
        table.add_column(header, overflow="fold")
    for r in rows:
        table.add_row(plain(r["campaign"]), plain(r["node_title"]), plain(r["due"]), plain(r["unit"]),
                      plain(r["status_label"]), str(r["days_late"]), plain(r["submitted"] or ""))
    c.print(table)
    missing = sum(1 for r in rows if r["status"] == "missing")
    c.print(plain(f"共 {len(rows)} 项：逾期未报 {missing}，逾期报送 {len(rows) - missing}。"))

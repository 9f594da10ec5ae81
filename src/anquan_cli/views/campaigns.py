"""Campaigns as people and scripts read them: where each stands, who has not submitted, what
each phase found — rows with stable English keys and rich tables."""

from __future__ import annotations

import datetime as dt

from anquan_cli.models import Campaign
from anquan_cli.rules.campaigns import STATUS_LABELS, NodeUnit, PhaseFigures, by_node, counts, standing
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import TEXT, Col, print_table, say

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
    c = _console()
    if not rows:
        say("没有专项行动记录（campaigns/*.yaml）。", console=c)
        return
    for r in rows:
        say(f"{r['id']}  {r['title']}" + (f"（{r['basis']}）" if r["basis"] else ""), "bold", console=c)
        say(f"  {r['from'] or '…'} 至 {r['until'] or '…'}；截至 {day.isoformat()}：{r['phase_label']}", console=c)
        if r["phases"]:
            cols: tuple[Col, ...] = (Col("阶段", TEXT), Col("起止"), Col("发现隐患", justify="right"), Col("其中重大", justify="right"),
                    Col("销号", justify="right"))
            print_table(cols, [(plain(("▶ " if p["name"] == r["phase"] else "") + p["name"]),
                                f"{p['from'] or '…'}～{p['until']}", p["hazards_found"], p["major_found"],
                                p["hazards_closed"]) for p in r["phases"]], console=c)
        if r["nodes"]:
            cols = (Col("报送节点", TEXT), Col("期限"), Col("应报", justify="right"), Col("按时", justify="right"),
                    Col("逾期报", justify="right"), Col("未报", justify="right"), Col("未报单位", TEXT))
            print_table(cols, [(plain(n["title"]), n["due"], n["units"], n["on_time"], n["late"], n["missing"],
                                n["missing_units"]) for n in r["nodes"]], console=c)
        if r["duties"]:
            say(f"  专项行动期间的履职要求：{'、'.join(r['duties'])}", console=c)


def render_missing(rows: list[dict], day: dt.date) -> None:
    c = _console()
    if not rows:
        say(f"截至 {day.isoformat()}，应报送的都已按时报送。", console=c)
        return
    cols = (Col("专项行动", TEXT), Col("报送节点", TEXT), Col("期限"), Col("单位", TEXT), Col("情况"),
            Col("逾期天数", justify="right"), Col("报送日期"))
    print_table(cols, [(plain(r["campaign"]), plain(r["node_title"]), r["due"], plain(r["unit"]), r["status_label"],
                        r["days_late"], r["submitted"] or "") for r in rows],
                f"未按时报送（截至 {day.isoformat()}）", console=c)
    missing = sum(1 for r in rows if r["status"] == "missing")
    say(f"共 {len(rows)} 项：逾期未报 {missing}，逾期报送 {len(rows) - missing}。", console=c)

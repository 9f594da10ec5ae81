"""The risk register as people and scripts read it: rows with stable English keys, rich tables."""

from __future__ import annotations

import datetime as dt

from anquan_cli.models.config import RiskSettings
from anquan_cli.models.hazard import pairs_text
from anquan_cli.models.risk import MEASURE_KEYS, Risk
from anquan_cli.rules import risks as K
from anquan_cli.rules.lookup import Directory, place_sector, place_township
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import NAMES, TEXT, Col, print_table, say

__all__ = ["row", "COLUMNS", "GAP_COLUMNS", "render_list", "render_gaps", "render_show"]

#: the keys of a risk's row (``--format json``; ``csv`` columns in this order, ``measures`` as text)
COLUMNS = ["id", "title", "unit", "township", "sector", "place", "category", "grade", "grade_label", "colour",
           "colour_label", "mass_casualty", "measures", "guarantor", "listed", "listing_by", "listing_date",
           "reviewed", "review_due", "hazards", "open_hazards", "raised", "file", "line"]
GAP_COLUMNS = ["rule", "rule_label", "risk", "message", "file", "line"]
#: rich styles of the four colours
_STYLE = {"red": "bold red", "orange": "dark_orange", "yellow": "yellow", "blue": "blue"}


def row(r: Risk, s: RiskSettings, directory: Directory, open_ids: set[str]) -> dict:
    due = K.review_due(r, s)
    opened = K.open_hazards(r, open_ids)
    listing = r.listing
    return {"id": r.id, "title": r.title, "unit": r.unit, "township": place_township(r, directory),
            "sector": place_sector(r, directory), "place": r.place, "category": r.category,
            "grade": r.grade.value, "grade_label": r.grade.label,
            "colour": r.grade.colour.value, "colour_label": r.grade.colour.label, "mass_casualty": r.mass_casualty,
            "measures": [{"text": m.text, "owner": m.owner, "level": m.level.value if m.level else None,
                          "level_label": m.level.label if m.level else None} for m in r.measures],
            "guarantor": r.guarantor, "listed": bool(listing and listing.by and listing.date),
            "listing_by": listing.by if listing else None,
            "listing_date": listing.date.isoformat() if listing and listing.date else None,
            "reviewed": r.reviewed.isoformat() if r.reviewed else None,
            "review_due": due.isoformat() if due else None, "hazards": list(r.hazards), "open_hazards": opened,
            "raised": bool(opened), "file": r.src.path, "line": r.src.line}


def csv_row(r: dict) -> dict:
    """A row with its measures as one cell, written as a CSV register writes them (the register
    reads the cell back: ``措施=… 责任人=… 层级=企业；措施=…``)."""
    cells = [pairs_text({"text": m["text"], "owner": m["owner"], "level": m["level_label"]}, MEASURE_KEYS)
             for m in r["measures"]]
    return {**r, "measures": "；".join(cells)}


def render_list(rows: list[dict], title: str) -> None:
    cols = (Col("编号"), Col("等级"), Col("风险", TEXT), Col("包保人", NAMES), Col("情况", TEXT))
    cells = []
    for r in rows:
        where = "，".join(x for x in (r["unit"] or r["township"], r["place"]) if x)
        notes = []
        if r["raised"]:
            notes.append(f"未销号隐患 {len(r['open_hazards'])} 项")
        if r["mass_casualty"]:
            notes.append("可能群死群伤" + ("，已挂牌" if r["listed"] else "，未挂牌"))
        cells.append((r["id"], plain(f"{r['grade_label']}（{r['colour_label']}）", _STYLE[r["colour"]]),
                      plain(r["title"] + (f"（{where}）" if where else "")), r["guarantor"] or "—",
                      plain("；".join(notes))))
    print_table(cols, cells, title)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["grade_label"]] = counts.get(r["grade_label"], 0) + 1
    say(f"共 {len(rows)} 项" + ("：" + "、".join(f"{k}{v}" for k, v in counts.items())
                                                  if counts else "") + "。")


def render_gaps(found: list[K.Gap], today: dt.date) -> None:
    c = _console()
    if not found:
        say(f"截至 {today.isoformat()}，风险管控没有发现缺口。", console=c)
        return
    for rule, title in K.RULES.items():
        mine = [g for g in found if g.rule == rule]
        if mine:
            say(f"{title}（{len(mine)}）", "bold", console=c)
            for g in mine:
                say(f"  {g.file}:{g.line}  {g.message}", console=c)


def render_show(r: dict) -> None:
    c = _console()
    say(f"{r['id']}  {r['title']}", "bold", console=c)
    lines = [("等级", f"{r['grade_label']}（{r['colour_label']}）" + ("，可能群死群伤" if r["mass_casualty"] else "")),
             ("单位", r["unit"]), ("乡镇", r["township"]), ("行业领域", r["sector"]), ("位置", r["place"]),
             ("类别", r["category"]), ("包保人", r["guarantor"]),
             ("挂牌督办", f"{r['listing_by']}（{r['listing_date']}）" if r["listed"] else None),
             ("复核评估", (r["reviewed"] or "未评估") + (f"，下次应于 {r['review_due']} 前" if r["review_due"] else "")),
             ("相关隐患", "、".join(r["hazards"]) + (f"（未销号：{'、'.join(r['open_hazards'])}）" if r["raised"] else "")
              if r["hazards"] else None),
             ("位置（文件）", f"{r['file']}:{r['line']}")]
    for label, value in lines:
        if value:
            say(f"  {label}：{value}", console=c)
    if r["measures"]:
        say("  管控措施：", console=c)
        for m in r["measures"]:
            say(f"    - {m['text']}（{m['level_label'] or '未明确层级'}；{m['owner'] or '未明确责任人'}）", console=c)

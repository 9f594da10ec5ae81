"""Enforcement as people and scripts read it: rows with stable English keys and rich tables."""

from __future__ import annotations

import datetime as dt

from anquan_cli.models.enforcement import Enforcement
from anquan_cli.rules.enforcement import RULES, Gap, Stats, township_of
from anquan_cli.rules.lookup import Directory
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import NAMES, TEXT, Col, print_table, say

__all__ = ["row", "COLUMNS", "GAP_COLUMNS", "STATS_COLUMNS", "render_list", "render_gaps", "render_stats"]

#: the keys of an action's row (``--format json``; ``csv`` columns in this order)
COLUMNS = ["id", "type", "type_label", "date", "unit", "township", "by", "hazards", "measures", "measure_labels",
           "amount", "person", "number", "file", "line"]
GAP_COLUMNS = ["rule", "hazard", "unit", "since", "days", "message", "file", "line"]
STATS_COLUMNS = ["rank", "name", "inspections", "hazards_found", "penalties", "fines", "suspensions", "closures",
                 "interviews", "referrals"]


def row(e: Enforcement, directory: Directory) -> dict:
    return {"id": e.id, "type": e.type.value, "type_label": e.type.label, "date": e.date.isoformat(), "unit": e.unit,
            "township": township_of(e, directory), "by": e.by, "hazards": list(e.hazards),
            "measures": [m.value for m in e.measures], "measure_labels": [m.label for m in e.measures],
            "amount": e.amount, "person": e.person, "number": e.number, "file": e.src.path, "line": e.src.line}


def render_list(rows: list[dict], title: str) -> None:
    cols = (Col("编号"), Col("日期"), Col("类型"), Col("单位", TEXT), Col("部门", TEXT), Col("处罚", NAMES),
            Col("隐患", NAMES))
    cells = [(r["id"], r["date"], r["type_label"], plain(r["unit"]), plain(r["by"]),
              r["measure_labels"] + ([f"{r['amount']:g}万元"] if r["amount"] else []), r["hazards"])
             for r in rows]
    print_table(cols, cells, title)
    say(f"共 {len(rows)} 条。")


def render_gaps(found: list[Gap], today: dt.date) -> None:
    c = _console()
    if not found:
        say("没有发现执法与隐患脱节的情况。", console=c)
        return
    for rule, title in RULES.items():
        mine = [g for g in found if g.rule == rule]
        if not mine:
            continue
        say(f"{title}（{len(mine)}）", "bold", console=c)
        for g in mine:
            say(f"  {g.file}:{g.line}  {g.message}（已 {g.days(today)} 天）", console=c)


def render_stats(rows: list[Stats], title: str) -> None:
    cols = [Col("名次", justify="right"), Col("名称", TEXT)] + [
        Col(h, justify="right") for h in ("检查", "发现隐患", "处罚", "罚款(万元)", "停产整顿", "关闭取缔", "约谈", "移送")]
    cells = [(i, plain(s.name), s.inspections, s.hazards_found, s.penalties, f"{s.fines:g}", s.suspensions,
              s.closures, s.interviews, s.referrals) for i, s in enumerate(rows, 1)]
    print_table(cols, cells, title)

"""Supervision gaps of the enterprises as people and scripts read them."""

from __future__ import annotations

import datetime as dt

from anquan_cli.rules.units import RULES, Gap
from anquan_cli.views._rich import console as _console
from anquan_cli.views.layout import say

__all__ = ["GAP_COLUMNS", "render_gaps"]

#: the keys of a row of ``units gaps`` (``csv`` columns in this order)
GAP_COLUMNS = ["rule", "rule_label", "unit", "message", "period", "period_end", "done", "required", "file", "line"]


def render_gaps(found: list[Gap], today: dt.date) -> None:
    c = _console()
    if not found:
        say(f"截至 {today.isoformat()}，企业的监管部门、监管人员、监管等级和检查频次没有发现缺口。", console=c)
        return
    for rule, title in RULES.items():
        mine = [g for g in found if g.rule == rule]
        if mine:
            say(f"{title}（{len(mine)}）", "bold", console=c)
            for g in mine:
                say(f"  {g.file}:{g.line}  {g.message}", console=c)

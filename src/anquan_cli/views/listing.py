"""The 重大隐患挂牌督办清单 as people and scripts read it: rows with stable English keys (JSON,
CSV) and a rich table."""

from __future__ import annotations

import datetime as dt

from anquan_cli.rules.hazards import status
from anquan_cli.rules.listing import Listed
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import TEXT, Col, print_table, say

__all__ = ["listed_row", "COLUMNS", "STATE_LABELS", "render_listed"]

STATE_LABELS = {"listed": "督办中", "delisted": "已摘牌", "unlisted": "未挂牌"}

#: the keys of a row (``csv`` columns in this order; the clocks go into ``late`` there)
COLUMNS = ["id", "title", "unit", "township", "sector", "found", "deadline", "status", "status_label", "listing_state",
           "listing_state_label", "listed_by", "listed_on", "tracker", "number", "filed", "published",
           "delisted", "late", "file", "line"]


def _day(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def listed_row(r: Listed, day: dt.date, acceptance_days: int) -> dict:
    h, lst = r.hazard, r.hazard.listing
    st = status(h, day, acceptance_days)
    get = (lambda name: getattr(lst, name)) if lst is not None else (lambda name: None)
    return {"id": h.id, "title": h.title, "unit": h.unit, "township": h.township, "sector": h.sector,
            "found": h.found.isoformat(), "deadline": _day(h.deadline),
            "status": st.value, "status_label": st.label,
            "listing_state": r.status, "listing_state_label": STATE_LABELS[r.status],
            "listed_by": get("by"), "listed_on": _day(get("date")), "tracker": get("tracker"),
            "number": get("number"), "filed": _day(get("filed")), "published": _day(get("published")),
            "delisted": _day(get("delisted")), "clocks": [c.as_json() for c in r.clocks],
            "late": [c.code for c in r.late], "file": h.src.path, "line": h.src.line}


def _clock_text(row: dict) -> str:
    words = []
    for c in row["clocks"]:
        if c["code"] == "rectify":
            if c["late"]:
                words.append(f"期限超上限（{c['due']}）")
            continue
        if c["done"]:
            words.append(f"{c['label']} {c['done']}" + ("（逾期）" if c["late"] else ""))
        else:
            words.append(f"{c['label']}逾期（应 {c['due']} 前）" if c["late"] else f"{c['label']} {c['due']} 前")
    return "；".join(words)


def render_listed(rows: list[dict], day: dt.date) -> None:
    c = _console()
    if not rows:
        say(f"截至 {day.isoformat()}，没有挂牌督办中的重大隐患。", console=c)
        return
    cols = (Col("编号、状态"), Col("隐患（单位）", TEXT), Col("挂牌督办", TEXT), Col("时限", TEXT))
    cells = []
    for r in rows:
        if r["listing_state"] == "unlisted":
            listed = "未挂牌"
        else:
            listed = f"{r['listed_by'] or '未写单位'} {r['listed_on'] or ''}".strip()
            if r["number"]:
                listed += f"\n{r['number']}"
            if r["delisted"]:
                listed += f"\n{r['delisted']} 摘牌"
        listed += f"\n跟踪督办：{r['tracker'] or '未明确'}"
        state = r["status_label"] if r["listing_state"] == "listed" else r["listing_state_label"]
        late = r["late"] or r["listing_state"] == "unlisted"
        cells.append((plain(f"{r['id']}\n{state}\n期限 {r['deadline'] or '未定'}", "red" if late else None),
                      plain(f"{r['title']}（{r['unit']}）"), plain(listed), plain(_clock_text(r).replace("；", "\n"))))
    print_table(cols, cells, f"重大隐患挂牌督办清单（截至 {day.isoformat()}）", show_lines=True, console=c)
    unlisted = sum(1 for r in rows if r["listing_state"] == "unlisted")
    late = sum(1 for r in rows if r["late"])
    say(f"共 {len(rows)} 项：督办中 {sum(1 for r in rows if r['listing_state'] == 'listed')}，"
                  f"未挂牌 {unlisted}，时限逾期 {late}。", console=c)

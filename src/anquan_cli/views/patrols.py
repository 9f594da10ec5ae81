"""巡查考核 standings as people and scripts read them."""

from __future__ import annotations

from anquan_cli.rules.patrols import Standing
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import NAMES, TEXT, Col, print_table, say

__all__ = ["row", "COLUMNS", "render_status"]

#: the keys of a lower level's row (``--format json``; ``csv`` columns in this order)
COLUMNS = ["target", "target_kind", "patrols", "patrol_dates", "assessments", "score", "rank", "missing",
           "findings", "unrectified"]

_MISSING = {"patrol": "巡查", "assessment": "考核"}


def row(s: Standing) -> dict:
    every = s.patrols + s.assessments
    return {"target": s.unit.name, "target_kind": s.unit.kind.value, "patrols": len(s.patrols),
            "patrol_dates": [p.date.isoformat() for p in sorted(s.patrols, key=lambda p: p.date)],
            "assessments": len(s.assessments), "score": s.score, "rank": s.rank, "missing": s.missing,
            "findings": sum(len(p.findings) for p in every),
            "unrectified": sum(1 for p in every if p.findings and p.rectified is None)}


def render_status(rows: list[dict], title: str) -> None:
    cols = (Col("名次", justify="right"), Col("对象", TEXT), Col("巡查"), Col("考核得分", justify="right"),
            Col("缺", NAMES))
    cells = []
    for r in rows:
        missing = [_MISSING[m] for m in r["missing"]]
        cells.append((r["rank"] if r["rank"] is not None else "—", plain(r["target"]),
                      plain(f"{r['patrols']} 次" if r["patrols"] else "无", None if r["patrols"] else "red"),
                      f"{r['score']:g}" if r["score"] is not None else "—",
                      missing or plain("—")))
    print_table(cols, cells, title)
    short = sum(1 for r in rows if r["missing"])
    say(f"共 {len(rows)} 个对象；缺巡查或考核的 {short} 个。")

"""Accidents as people and scripts read them: rows with stable English keys, a rich table, one
accident in full."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from anquan_cli.models.accident import Accident
from anquan_cli.rules import accidents as R
from anquan_cli.rules.lookup import Directory
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import TEXT, Col, print_table, say

__all__ = ["AccidentView", "row", "moment_text", "COLUMNS", "render_table", "render_one"]

#: the keys of an accident's row (``--format json``; ``csv`` columns in this order)
COLUMNS = ["id", "occurred", "unit", "township", "sector", "kind", "deaths", "missing", "serious_injuries",
           "minor_injuries", "direct_loss", "grade", "grade_label", "late_reports", "file", "line"]


@dataclass(frozen=True)
class AccidentView:
    """What an accident's row depends on besides the accident."""

    directory: Directory
    #: the moment late reports are counted by (a clock not answered by then is late)
    now: dt.datetime
    own_level: str = "county"
    missing_as_deaths: bool = True

    @classmethod
    def for_workspace(cls, ws, day: dt.date, directory: Directory | None = None) -> AccidentView:
        """The view of ``ws`` on ``day``: a clock not answered by the start of that day is late."""
        return cls(directory or Directory.for_workspace(ws), dt.datetime.combine(day, dt.time.min),
                   ws.config.level.value, ws.config.settings.accidents.missing_as_deaths)


def moment_text(m: dt.date | dt.datetime) -> str:
    """``2023-08-12T14:30`` (ISO, for machines), ``2023-08-12`` for a day alone."""
    return R.moment_text(m, "T")


def row(a: Accident, v: AccidentView) -> dict:
    grade = R.grade_of(a, v.missing_as_deaths)
    late = R.late_clocks(a, v.directory, v.now, v.own_level, v.missing_as_deaths)
    return {
        "id": a.id, "occurred": moment_text(a.occurred), "unit": a.unit,
        "township": R.township_of(a, v.directory), "sector": R.sector_of(a, v.directory),
        "kind": a.kind.value if a.kind is not None else None, "deaths": a.deaths, "missing": a.missing,
        "serious_injuries": a.serious_injuries, "minor_injuries": a.minor_injuries,
        "direct_loss": a.direct_loss, "grade": grade.value, "grade_label": grade.label,
        "late_reports": len(late), "file": a.src.path, "line": a.src.line,
    }


def detail(a: Accident, v: AccidentView) -> dict:
    """One accident in full (``accidents show --format json``): its row, the title and kind
    label, every report and 续报, each reporting clock with its minutes late."""
    out = row(a, v)
    out.update(title=a.title, kind_label=a.kind.label if a.kind is not None else None,
               computed_grade=R.computed_grade(a, v.missing_as_deaths).value,
               stated_grade=a.grade.value if a.grade is not None else None,
               reports=[{"time": moment_text(r.time), "from": r.from_, "to": r.to, "by": r.by} for r in a.reports],
               followups=[{"time": moment_text(f.time), "to": f.to, "deaths": f.deaths, "missing": f.missing,
                           "serious_injuries": f.serious_injuries, "note": f.note} for f in a.followups],
               clocks=[{"code": c.code, "level": c.level, "label": c.label, "due": moment_text(c.due),
                        "done": moment_text(c.done) if c.done else None, "minutes_late": c.minutes_late(v.now),
                        "day_only": c.due_day_only}
                       for c in R.clocks(a, v.directory, v.own_level, v.missing_as_deaths)],
               followup_window_days=R.followup_window(a, v.directory),
               followup_until=(a.day + dt.timedelta(days=R.followup_window(a, v.directory))).isoformat(),
               concealment=None if a.concealment is None else {
                   "kind": a.concealment.kind.value, "kind_label": a.concealment.kind.label,
                   "date": a.concealment.date.isoformat() if a.concealment.date else None, "by": a.concealment.by,
                   "note": a.concealment.note},
               investigation=None if a.investigation is None else a.investigation.model_dump(mode="json"),
               hazards=list(a.hazards), note=a.note)
    return out


def _loss(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def render_table(rows: list[dict], title: str) -> None:
    cols = (Col("编号"), Col("发生时间"), Col("事故单位", TEXT), Col("乡镇"), Col("等级"),
            Col("死亡", justify="right"), Col("重伤", justify="right"), Col("损失(万元)", justify="right"),
            Col("迟报", justify="right"))
    cells = []
    for r in rows:
        style = "red" if r["grade"] != "general" else None
        cells.append((r["id"], r["occurred"].replace("T", " "), plain(r["unit"]), r["township"] or "",
                      plain(r["grade_label"], style), r["deaths"], r["serious_injuries"], _loss(r["direct_loss"]),
                      plain(r["late_reports"] or "", "yellow" if r["late_reports"] else None)))
    print_table(cols, cells, title)
    dead = sum(r["deaths"] for r in rows)
    serious = sum(r["serious_injuries"] for r in rows)
    loss = sum(r["direct_loss"] or 0 for r in rows)
    say(f"共 {len(rows)} 起，死亡 {dead} 人，重伤 {serious} 人，直接经济损失 {loss:g} 万元。")


def render_one(d: dict) -> None:
    c = _console()
    lines = [f"{d['id']}  {d['title']}",
             f"发生时间：{d['occurred'].replace('T', ' ')}    事故单位：{d['unit']}",
             f"乡镇：{d['township'] or '—'}    行业领域：{d['sector'] or '—'}    类别：{d['kind_label'] or '—'}",
             f"死亡 {d['deaths']} 人，失踪 {d['missing']} 人，重伤 {d['serious_injuries']} 人，轻伤 {d['minor_injuries']} 人，"
             + ("直接经济损失未填" if d["direct_loss"] is None else f"直接经济损失 {_loss(d['direct_loss'])} 万元"),
             f"等级：{d['grade_label']}" + ("" if d["stated_grade"] else "（按伤亡和损失计算）")]
    if d["reports"]:
        lines.append("报告：")
        lines += [f"  {r['time'].replace('T', ' ')}  {r['from']} → {r['to']}" + (f"（{r['by']}）" if r["by"] else "")
                  for r in d["reports"]]
    for clock in d["clocks"]:
        if clock["minutes_late"] is not None:
            if clock["done"]:
                what = f"迟报 {R.duration(clock['minutes_late'])}"
            elif clock.get("day_only"):
                what = "没有任何报告记录（只知道事故日期）"
            else:
                what = f"未见报告，已超时 {R.duration(clock['minutes_late'])}"
            lines.append(f"  ！{clock['label']}应于 {clock['due'].replace('T', ' ')} 前报告：{what}")
    if d["followups"]:
        lines.append("续报：")
        lines += [f"  {f['time'].replace('T', ' ')}" + (f" → {f['to']}" if f["to"] else "")
                  + "".join(f" {label}{f[k]}人" for k, label in (("deaths", "死亡"), ("missing", "失踪"),
                                                                 ("serious_injuries", "重伤")) if f[k] is not None)
                  + (f"  {f['note']}" if f["note"] else "") for f in d["followups"]]
    if d["concealment"]:
        found = d["concealment"]
        lines.append(f"认定：{found['kind_label']}" + (f"（{found['by']}，{found['date']}）" if found["by"] else "")
                     + (f"：{found['note']}" if found["note"] else ""))
    if d["hazards"]:
        lines.append("事前隐患：" + "、".join(d["hazards"]))
    lines.append(f"{d['file']}:{d['line']}")
    for text in lines:
        say(text, console=c)

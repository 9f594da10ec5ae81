"""Supervision of enterprises (分级分类监管): who regulates each, its grade, and whether it was
inspected as often as its grade asks.  Pure: records and settings in, values out.

* ``regulator-missing`` / ``regulator-person-missing`` — seed 004 二（三） "做到所有生产经营单位监管部门清楚、
  监管人员明确": an enterprise without its regulating department, or without the person;
* ``grid-missing`` — seed 004 三（三） "县、乡、村、企"四级网格, "对每一个网格内的责任单位与责任人实行定人、定岗、
  定责": an enterprise in no grid cell, once the workspace keeps a grid;
* ``grade-missing`` — seed 004 二（三） "按标准划分 A、B、C、D 四个等级，实行差异化安全监管": an enterprise
  without a grade;
* ``inspections-short`` — the same clause, with the numbers the workspace sets (``settings.grades``: the
  seeds fix none): a period of the grade's frequency in the year asked (this year by default) that is
  over on the day asked (on its last day it is still open), with fewer inspections of the enterprise
  than the grade asks.  An inspection is an enforcement record of type 检查 or an activity of kind 检查
  naming the enterprise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from anquan_cli.models import ActionType, Activity, ActivityKind, Enforcement, Unit, UnitKind
from anquan_cli.models.config import GradeFrequency
from anquan_cli.models.org import Grade
from anquan_cli.rules.lookup import Directory
from anquan_cli.rules.periods import Window, windows

__all__ = ["Gap", "RULES", "gaps", "inspections_of"]

RULES = {
    "regulator-missing": "未明确监管部门",
    "regulator-person-missing": "未明确监管人员",
    "grid-missing": "未纳入网格",
    "grade-missing": "未划分监管等级",
    "inspections-short": "检查频次未达到监管等级要求",
}


@dataclass(frozen=True)
class Gap:
    rule: str
    unit: str
    message: str
    file: str
    line: int
    #: the period judged (``inspections-short``), its label, and the inspections found in it
    period: str | None = None
    done: int | None = None
    required: int | None = None
    #: the period's last day
    period_end: dt.date | None = None

    def as_json(self) -> dict:
        return {"rule": self.rule, "rule_label": RULES[self.rule], "unit": self.unit, "message": self.message,
                "period": self.period, "period_end": self.period_end.isoformat() if self.period_end else None,
                "done": self.done, "required": self.required, "file": self.file,
                "line": self.line}


def inspections_of(units: list[Unit], enforcement: Iterable[Enforcement], activities: Iterable[Activity],
                   directory: Directory) -> dict[str, list[dt.date]]:
    """The days each enterprise (by name) was inspected: enforcement 检查 and activities of kind 检查."""
    names = {u.name for u in units}
    out: dict[str, list[dt.date]] = {}

    def note(name: str | None, day: dt.date) -> None:
        unit = directory.unit(name) if name else None
        if unit is not None and unit.name in names:
            out.setdefault(unit.name, []).append(day)

    for e in enforcement:
        if e.type is ActionType.INSPECTION:
            note(e.unit, e.date)
    for a in activities:
        if a.kind is ActivityKind.INSPECTION:
            note(a.unit, a.date)
    return out


def gaps(units: Iterable[Unit], enforcement: Iterable[Enforcement], activities: Iterable[Activity],
         directory: Directory, today: dt.date, grades: dict[Grade, GradeFrequency], year: int | None = None,
         grid: bool = False) -> list[Gap]:
    """Every gap of the enterprises on ``today`` (the records as they stood that day); the periods
    judged are those of ``year`` (default: ``today``'s) that are over by then; ``grid``: the workspace
    keeps a grid, so every enterprise belongs in a cell."""
    firms = [u for u in units if u.kind is UnitKind.ENTERPRISE]
    seen = inspections_of(firms, [e for e in enforcement if e.date <= today],
                          [a for a in activities if a.date <= today], directory)
    y = today.year if year is None else year
    span = Window(dt.date(y, 1, 1), dt.date(y, 12, 31), str(y))
    out: list[Gap] = []
    for u in firms:
        src = u.src
        if not u.regulator:
            out.append(Gap("regulator-missing", u.name, f"{u.name}没有写监管部门 regulator", src.path, src.line))
        if not u.regulator_person:
            out.append(Gap("regulator-person-missing", u.name, f"{u.name}没有写监管人员 regulator_person",
                           src.path, src.line))
        if grid and not u.grid:
            out.append(Gap("grid-missing", u.name, f"{u.name}没有纳入网格（grid）", src.path, src.line))
        if u.grade is None:
            out.append(Gap("grade-missing", u.name, f"{u.name}没有划分监管等级（A、B、C、D）", src.path, src.line))
            continue
        freq = grades.get(u.grade)
        if freq is None:
            continue
        days = seen.get(u.name, [])
        for w in windows(freq.period, span):
            if w.end >= today or w.start < span.start:
                continue  # not over yet (or begun the year before): nothing to judge
            done = sum(1 for d in days if w.start <= d <= w.end)
            if done < freq.min:
                out.append(Gap("inspections-short", u.name,
                               f"{u.name}（{u.grade.value}级）{w.label}检查 {done} 次，{u.grade.value}级应{freq.period.label}"
                               f"至少 {freq.min} 次", src.path, src.line_of("grade"), w.label, done, freq.min, w.end))
    return out

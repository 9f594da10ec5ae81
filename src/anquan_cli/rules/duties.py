"""Recurring duties (履职) checked against the activity log, as assertions: for each duty,
each person who holds it and each window of its period (each quarter …) overlapping the
report period, count the activities of the duty's kind that person held in the window.
No task instances are generated; the log is the only evidence."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from anquan_cli.models import Activity, ActivityKind, Duty, Period, Person
from anquan_cli.rules.lookup import Directory
from anquan_cli.rules.periods import Window, windows

__all__ = ["WindowResult", "DutyResult", "holders", "effective_rule", "duty_status", "ActivityLog"]


class ActivityLog:
    """Activities indexed by (person, kind) and date, so each count is a binary search."""

    def __init__(self, activities: list[Activity], directory: Directory):
        self._by: dict[tuple[str, ActivityKind], list[Activity]] = defaultdict(list)
        for a in activities:
            person = directory.person(a.held_by).person
            if person is not None:
                self._by[(person.id, a.kind)].append(a)
        self._dates: dict[tuple[str, ActivityKind], list[dt.date]] = {}
        for key, items in self._by.items():
            items.sort(key=lambda a: a.date)
            self._dates[key] = [a.date for a in items]

    def held(self, person: Person, kind: ActivityKind, start: dt.date, end: dt.date) -> list[Activity]:
        key = (person.id, kind)
        dates = self._dates.get(key, [])
        lo, hi = bisect.bisect_left(dates, start), bisect.bisect_right(dates, end)
        return self._by[key][lo:hi] if key in self._by else []


@dataclass
class WindowResult:
    window: Window
    required: int
    done: list[Activity]
    finished: bool
    #: "period" for the duty's own period, "sensitive" for a 重点敏感时期
    kind: str = "period"
    note: str | None = None

    @property
    def met(self) -> bool:
        return len(self.done) >= self.required

    @property
    def status(self) -> str:
        """met; not_met (the window is over); in_progress (still open and not yet met)."""
        if self.met:
            return "met"
        return "not_met" if self.finished else "in_progress"


@dataclass
class DutyResult:
    duty: Duty
    holder: Person
    period: Period
    min: int
    rule_note: str | None = None
    windows: list[WindowResult] = field(default_factory=list)

    @property
    def required(self) -> int:
        """Activities required over the duty's own windows (sensitive periods are extra checks)."""
        return sum(w.required for w in self.windows if w.kind == "period")

    @property
    def done(self) -> int:
        return sum(len(w.done) for w in self.windows if w.kind == "period")

    @property
    def status(self) -> str:
        states = [w.status for w in self.windows]
        if "not_met" in states:
            return "not_met"
        if "in_progress" in states:
            return "in_progress"
        return "met"

    @property
    def met(self) -> bool:
        return self.status == "met"


def holders(duty: Duty, directory: Directory) -> list[Person]:
    """Everyone holding the duty's role, or the one person it names."""
    by_role = directory.roles.get(duty.holder.replace(" ", ""))
    if by_role:
        return list(by_role)
    person = directory.person(duty.holder).person
    return [person] if person is not None else []


def effective_rule(duty: Duty, person: Person, directory: Directory) -> tuple[Period, int, str | None]:
    """The duty's period and minimum for this person: an override applies when the person's
    unit is in one of its sectors ("高危行业领域企业每半年至少1次")."""
    unit = directory.unit(person.unit) if person.unit else None
    sector = unit.sector if unit is not None else None
    for o in duty.overrides:
        if sector and sector in o.sectors:
            return o.period, o.min, o.note or f"{sector}：{o.period.label}至少{o.min}次"
    return duty.period, duty.min, None


def duty_status(duties: list[Duty], activities: list[Activity], directory: Directory,
                span: Window, today: dt.date) -> list[DutyResult]:
    """Each duty × holder over the windows of its period overlapping ``span``; activities
    dated after ``today`` are not counted."""
    log = ActivityLog([a for a in activities if a.date <= today], directory)  # not yet held
    out = []
    for duty in duties:
        for person in holders(duty, directory):
            period, minimum, note = effective_rule(duty, person, directory)
            result = DutyResult(duty, person, period, minimum, note)
            for w in windows(period, span):
                result.windows.append(WindowResult(
                    w, minimum, log.held(person, duty.activity, w.start, w.end), w.end < today))
            for s in duty.sensitive:
                if s.end < span.start or s.start > span.end:
                    continue
                w = Window(s.start, s.end, f"重点敏感时期 {s.start.isoformat()}至{s.end.isoformat()}")
                result.windows.append(WindowResult(
                    w, s.min, log.held(person, duty.activity, s.start, s.end), s.end < today,
                    kind="sensitive", note=s.note))
            out.append(result)
    return out

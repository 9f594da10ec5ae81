"""Recurring duties (履职) checked against the activity log, as assertions: for each duty,
each holder and each window of its period (each quarter …) overlapping the report period,
count the activities that holder held for that duty in the window.  No task instances are
generated; the log is the only evidence.

Which activity counts for which duty (seeds 002/003/004 name each duty by holder, kind and
purpose — 党委常委会 is not a 政府常务会议, a 月小结 is not the 季通报):

* an activity counts for a duty when it was held by the holder, is of the duty's kind, falls
  in the duty's validity (``from``/``until``: 专项行动期间) and — when the duty lists
  ``keywords`` — its title contains one of them;
* an activity that names its duty (``duty: LZ-01``) counts for that duty only;
* otherwise an activity counts for one duty: of the duties it fits, the first (in file order)
  that still needs one in the activity's window, else the first — unless a duty says
  ``shared: true``, when it also counts there;
* a holder is a role (everyone holding it, at the duty's ``scope`` level when given), one
  person, or a body (a unit: its activities are those recorded with it as ``unit`` or
  ``held_by``, or held by its people).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from anquan_cli.models import Activity, Duty, Period, Person, Unit, UnitKind
from anquan_cli.rules.lookup import Directory
from anquan_cli.rules.periods import Window, windows

__all__ = ["Holder", "WindowResult", "DutyResult", "holders", "effective_rule", "duty_status", "holder_level",
           "is_enterprise_holder"]


@dataclass(frozen=True)
class Holder:
    """Who holds a duty: a person, or a body (a unit)."""

    id: str
    name: str
    title: str | None = None
    person: Person | None = None
    unit: Unit | None = None


def _person_holder(p: Person) -> Holder:
    return Holder(p.id, p.name, p.title, person=p)


def holder_level(p: Person, directory: Directory, workspace_level: str) -> str:
    """The jurisdiction level a person works at: a township's people (its government, stations,
    villages and enterprises) at 乡镇, everyone else at the workspace's own level."""
    unit = directory.unit(p.unit) if p.unit else None
    if unit is not None and (unit.kind is UnitKind.TOWNSHIP or unit.township):
        return "township"
    return workspace_level


def holders(duty: Duty, directory: Directory, workspace_level: str = "county") -> list[Holder]:
    """Everyone holding the duty's role (at its scope), the one person it names, or the body."""
    by_role = directory.roles.get(duty.holder.replace(" ", ""))
    if by_role:
        people = list(by_role)
        if duty.scope:
            from anquan_cli.models.config import JurisdictionLevel

            level = JurisdictionLevel.parse(duty.scope).value
            people = [p for p in people if holder_level(p, directory, workspace_level) == level]
        return [_person_holder(p) for p in people]
    person = directory.person(duty.holder).person
    if person is not None:
        return [_person_holder(person)]
    unit = directory.unit(duty.holder)
    if unit is not None:
        return [Holder(f"unit:{unit.name}", unit.name, None, unit=unit)]
    return []


def is_enterprise_holder(h: Holder, directory: Directory) -> bool:
    """An enterprise's principal (企业主要负责人) rather than a cadre (领导干部)."""
    if h.unit is not None:
        return h.unit.kind is UnitKind.ENTERPRISE
    p = h.person
    unit = directory.unit(p.unit) if p and p.unit else None
    return "企业主要负责人" in (p.roles if p else []) or (unit is not None and unit.kind is UnitKind.ENTERPRISE)


def effective_rule(duty: Duty, person: Person | None, directory: Directory) -> tuple[Period, int, str | None]:
    """The duty's period and minimum for this holder: an override applies when the holder's
    unit is in one of its sectors ("高危行业领域企业每半年至少1次")."""
    unit = directory.unit(person.unit) if person is not None and person.unit else None
    sector = unit.sector if unit is not None else None
    for o in duty.overrides:
        if sector and sector in o.sectors:
            return o.period, o.min, o.note or f"{sector}：{o.period.label}至少{o.min}次"
    return duty.period, duty.min, None


@dataclass
class WindowResult:
    window: Window
    required: int
    done: list[Activity]
    finished: bool
    #: "period" for the duty's own period, "sensitive" for a 重点敏感时期
    kind: str = "period"
    note: str | None = None
    maximum: int | None = None

    @property
    def met(self) -> bool:
        return len(self.done) >= self.required

    @property
    def status(self) -> str:
        """met; exceeded (more than an "exactly N" allows); not_met (the window is over);
        in_progress (still open and not yet met)."""
        if self.maximum is not None and len(self.done) > self.maximum:
            return "exceeded"
        if self.met:
            return "met"
        return "not_met" if self.finished else "in_progress"

    @property
    def reason(self) -> str:
        """Why a window is not met (or exceeded), in the words of a bulletin."""
        where = self.window.label if self.kind == "period" else self.window.label
        if self.status == "exceeded":
            return f"{where}：要求 {self.maximum} 次，实际 {len(self.done)} 次"
        return f"{where}：应 {self.required} 次，实际 {len(self.done)} 次，差 {self.required - len(self.done)} 次"


@dataclass
class DutyResult:
    duty: Duty
    holder: Holder
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
        for s in ("not_met", "exceeded", "in_progress"):
            if s in states:
                return s
        return "met"

    @property
    def met(self) -> bool:
        return self.status == "met"

    @property
    def reasons(self) -> list[str]:
        return [w.reason for w in self.windows if w.status in ("not_met", "exceeded")]


def _valid(duty: Duty, day: dt.date) -> bool:
    return (duty.valid_from is None or day >= duty.valid_from) and (duty.until is None or day <= duty.until)


def _fits(a: Activity, duty: Duty) -> bool:
    if a.kind is not duty.activity or not _valid(duty, a.date):
        return False
    if a.duty:
        return a.duty == duty.id
    if duty.keywords:
        from anquan_cli.text import fold

        title = fold(a.title)
        return any(fold(k) in title for k in duty.keywords)
    return True


class _Log:
    """Activities indexed once by who held them: a person, and the bodies (units) they count
    for — the unit named as ``held_by`` or ``unit``, or the unit of the person who held it."""

    def __init__(self, activities: list[Activity], directory: Directory):
        self.by_person: dict[int, list[Activity]] = defaultdict(list)
        self.by_unit: dict[int, list[Activity]] = defaultdict(list)
        for a in activities:
            p = directory.person(a.held_by).person
            if p is not None:
                self.by_person[id(p)].append(a)
            units = {id(u): u for u in (directory.unit(a.held_by), directory.unit(a.unit) if a.unit else None,
                                        directory.unit(p.unit) if p is not None and p.unit else None) if u is not None}
            for key in units:
                self.by_unit[key].append(a)

    def of(self, h: Holder) -> list[Activity]:
        return self.by_person.get(id(h.person), []) if h.person is not None else self.by_unit.get(id(h.unit), [])


def _clip(w: Window, duty: Duty) -> Window | None:
    """The part of a window inside the duty's validity (None when outside it)."""
    start = max(w.start, duty.valid_from) if duty.valid_from else w.start
    end = min(w.end, duty.until) if duty.until else w.end
    if end < start:
        return None
    return w if (start, end) == (w.start, w.end) else Window(start, end, w.label)


def duty_status(duties: list[Duty], activities: list[Activity], directory: Directory,
                span: Window, today: dt.date, workspace_level: str = "county") -> list[DutyResult]:
    """Each duty × holder over the windows of its period overlapping ``span`` (and inside its
    validity); activities dated after ``today`` are not counted."""
    log = _Log([a for a in activities if a.date <= today], directory)
    plans: list[tuple[Duty, Holder, Period, int, str | None, list[tuple[Window, str, int, str | None]]]] = []
    by_holder: dict[str, list[int]] = defaultdict(list)
    holder_of: dict[str, Holder] = {}
    for duty in duties:
        for h in holders(duty, directory, workspace_level):
            period, minimum, note = effective_rule(duty, h.person, directory)
            wins = []
            for w in windows(period, span):
                clipped = _clip(w, duty)
                if clipped is not None:
                    wins.append((clipped, "period", minimum, None))
            for s in duty.sensitive:
                if s.end < span.start or s.start > span.end:
                    continue
                wins.append((Window(s.start, s.end, f"重点敏感时期 {s.start.isoformat()}至{s.end.isoformat()}"),
                             "sensitive", s.min, s.note))
            by_holder[h.id].append(len(plans))
            holder_of[h.id] = h
            plans.append((duty, h, period, minimum, note, wins))
    # allocate each holder's activities to their duties (see the module's docstring)
    counted: dict[tuple[int, int], list[Activity]] = defaultdict(list)
    for hid, indexes in by_holder.items():
        h = holder_of[hid]
        mine = sorted(log.of(h), key=lambda a: (a.date, a.id or ""))
        for a in mine:
            fitting = [i for i in indexes if _fits(a, plans[i][0])]
            if not fitting:
                continue
            exclusive = [i for i in fitting if not plans[i][0].shared]
            chosen = [i for i in fitting if plans[i][0].shared]
            if exclusive:
                def needs(i: int, day: dt.date) -> bool:
                    return any(w.start <= day <= w.end and len(counted[(i, k)]) < req
                               for k, (w, _, req, _) in enumerate(plans[i][5]))
                chosen.append(next((i for i in exclusive if needs(i, a.date)), exclusive[0]))
            for i in chosen:
                for k, (w, _, _, _) in enumerate(plans[i][5]):
                    if w.start <= a.date <= w.end:
                        counted[(i, k)].append(a)
    out = []
    for i, (duty, h, period, minimum, note, wins) in enumerate(plans):
        result = DutyResult(duty, h, period, minimum, note)
        for k, (w, kind, req, wnote) in enumerate(wins):
            result.windows.append(WindowResult(w, req, counted[(i, k)], w.end < today, kind=kind, note=wnote,
                                               maximum=duty.max if kind == "period" else None))
        out.append(result)
    return out

"""Enforcement rules: where hazards and enforcement should meet and did not (gaps), and the
figures a county ranks its departments and townships by (执法处罚量化评比, seed 002).

Each gap names its clause:

* ``major-without-penalty`` — 003 "对发现的重大事故隐患必须依据法律法规进行处罚，不得以责令限期整改等措施代替
  处罚": a major hazard (every one, or those found by enforcement: ``settings.enforcement.penalise_major``)
  with no 处罚 on record referring to it within ``penalty_days`` of its finding (the last of those days
  still in time); 001's exemption (2) for a major hazard the enterprise reported itself and is
  rectifying within its deadline applies when ``exempt_self_reported_in_progress`` is on;
* ``overdue-without-penalty`` — 003 "对未按期按规定完成整改的必须依法进行处罚": a hazard not rectified by
  its deadline, with no 处罚 referring to it after the deadline;
* ``single-penalty`` — 001 "一案双罚": a 处罚 of a unit for a major hazard with no decision on its
  principal (a 处罚 naming ``person``) for that hazard;
* ``suspension-overdue`` / ``resumed-without-acceptance`` — 001 "停产整顿一批": 停产整顿 past its
  ``until`` without ``resumed``; production resumed without an acceptance date (or before it);
* ``penalty-only`` — 002 "以罚代管" (a penalty is not the end): a hazard penalised and still not
  rectified past its deadline;
* ``interview-missing`` — 003 "对违法行为不构成处罚的一般隐患和现场整改隐患要启动约谈程序" (when
  ``interview_general`` is on): a general hazard rectified on the day it was found, without a penalty,
  and no 约谈 referring to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from anquan_cli.models import Hazard, HazardSource, Level
from anquan_cli.models.config import EnforcementSettings
from anquan_cli.models.enforcement import ActionType, Enforcement, Measure
from anquan_cli.rules import hazards as R
from anquan_cli.rules.lookup import Directory, place_township

__all__ = ["Gap", "gaps", "hazard_gaps", "action_gaps", "gap_key", "as_of", "Stats", "stats", "RULES", "township_of"]

#: gap rule → what it says, in a heading's words
RULES = {
    "major-without-penalty": "重大事故隐患未处罚",
    "overdue-without-penalty": "逾期未整改未处罚",
    "single-penalty": "未落实一案双罚",
    "suspension-overdue": "停产整顿期满未复产验收",
    "resumed-without-acceptance": "未经验收复产",
    "penalty-only": "以罚代管（处罚后仍未整改）",
    "interview-missing": "现场整改的一般隐患未约谈",
}


@dataclass(frozen=True)
class Gap:
    rule: str
    hazard: str | None
    unit: str
    #: the day the gap opened (the day after the last day in time)
    since: dt.date
    message: str
    file: str
    line: int

    def days(self, today: dt.date) -> int:
        return (today - self.since).days + 1

    def as_json(self, today: dt.date) -> dict:
        return {"rule": self.rule, "hazard": self.hazard, "unit": self.unit, "since": self.since.isoformat(),
                "days": self.days(today), "message": self.message, "file": self.file, "line": self.line}


def as_of(actions: Iterable[Enforcement], day: dt.date) -> list[Enforcement]:
    """The actions taken by ``day`` (a resumption or an acceptance after it not yet known)."""
    out = []
    for e in actions:
        if e.date > day:
            continue
        update = {k: None for k in ("resumed", "accepted") if getattr(e, k) is not None and getattr(e, k) > day}
        out.append(e.model_copy(update=update) if update else e)
    return out


def _penalties_by_hazard(actions: list[Enforcement]) -> dict[str, list[Enforcement]]:
    out: dict[str, list[Enforcement]] = {}
    for e in actions:
        if e.type is ActionType.PENALTY:
            for ident in e.hazards:
                out.setdefault(ident, []).append(e)
    return out


def gaps(hazards: list[Hazard], actions: list[Enforcement], today: dt.date,
         settings: EnforcementSettings) -> list[Gap]:
    """Every gap on ``today`` (``hazards`` and ``actions`` as they stood that day), in the
    order of :data:`RULES`, then by the day each opened."""
    return sorted(hazard_gaps(hazards, actions, today, settings) + action_gaps(actions, today), key=gap_key)


def gap_key(g: Gap) -> tuple[int, str, str, str]:
    return (_ORDER.index(g.rule), g.since.isoformat(), g.hazard or "", g.unit)


_ORDER = list(RULES)


def hazard_gaps(hazards: list[Hazard], actions: list[Enforcement], today: dt.date,
                settings: EnforcementSettings) -> list[Gap]:
    """The gaps of these hazards (what a hazard file brings: a report keeps them per file)."""
    penalties = _penalties_by_hazard(actions)
    interviews = {ident for e in actions if e.type is ActionType.INTERVIEW for ident in e.hazards}
    out: list[Gap] = []

    def gap(rule: str, h: Hazard | None, unit: str, since: dt.date, message: str, where) -> None:
        out.append(Gap(rule, h.id if h else None, unit, since, message, where.src.path, where.src.line))

    for h in hazards:
        decided = penalties.get(h.id, [])
        rectified = R.rectified_on(h)
        if h.level is Level.MAJOR and (settings.penalise_major or h.source is HazardSource.ENFORCEMENT):
            last = h.found + dt.timedelta(days=settings.penalty_days)
            exempt = (settings.exempt_self_reported_in_progress and h.source is HazardSource.SELF
                      and (h.deadline is None or rectified is not None or today <= h.deadline))
            in_time = any(h.found <= p.date <= last for p in decided)
            if today > last and not in_time and not exempt:
                gap("major-without-penalty", h, h.unit, last + dt.timedelta(days=1),
                    f"重大事故隐患 {h.id}（{h.unit}）{h.found} 发现，{settings.penalty_days} 日内没有处罚记录"
                    "（003：不得以责令限期整改代替处罚）", h)
        if h.deadline is not None and today > h.deadline and (rectified is None or rectified > h.deadline):
            if not any(p.date > h.deadline for p in decided):
                gap("overdue-without-penalty", h, h.unit, h.deadline + dt.timedelta(days=1),
                    f"隐患 {h.id}（{h.unit}）整改期限 {h.deadline} 已过仍未整改"
                    + ("" if rectified is None else f"（{rectified} 才整改）") + "，期限之后没有处罚记录"
                    "（003：未按期完成整改的必须依法处罚）", h)
        if decided and h.level is Level.MAJOR and not any(p.person for p in decided):
            first = min(decided, key=lambda p: p.date)
            gap("single-penalty", h, h.unit, first.date,
                f"重大事故隐患 {h.id} 只处罚了单位（{first.number or first.id}），没有对其主要负责人的处罚（001：一案双罚）",
                first)
        if decided and rectified is None and h.closed is None and h.deadline is not None and today > h.deadline:
            first = min(decided, key=lambda p: p.date)
            gap("penalty-only", h, h.unit, first.date,
                f"隐患 {h.id} 已处罚（{first.number or first.id}，{first.date}），至今未整改（以罚代管）", h)
        if (settings.interview_general and h.level is Level.GENERAL and rectified == h.found and not decided
                and h.id not in interviews):
            gap("interview-missing", h, h.unit, h.found,
                f"一般隐患 {h.id} 当场整改、未处罚，没有约谈记录（003：现场整改隐患要启动约谈程序）", h)
    return out


def action_gaps(actions: list[Enforcement], today: dt.date) -> list[Gap]:
    """The gaps of 停产整顿 records themselves."""
    out: list[Gap] = []

    def gap(rule: str, unit: str, since: dt.date, message: str, where) -> None:
        out.append(Gap(rule, None, unit, since, message, where.src.path, where.src.line))

    for e in actions:
        if e.type is not ActionType.SUSPENSION:
            continue
        if e.until is not None and today > e.until and e.resumed is None:
            gap("suspension-overdue", e.unit, e.until + dt.timedelta(days=1),
                f"{e.unit} 停产整顿至 {e.until}，期满没有复产验收记录（{e.id}）", e)
        if e.resumed is not None and (e.accepted is None or e.accepted > e.resumed):
            gap("resumed-without-acceptance", e.unit, e.resumed,
                f"{e.unit} {e.resumed} 复产" + ("，没有复产验收记录" if e.accepted is None else f"，验收却在 {e.accepted}")
                + f"（{e.id}）", e)
    return out


# ---------------------------------------------------------------------- 执法处罚量化评比


@dataclass
class Stats:
    name: str
    inspections: int = 0
    hazards_found: int = 0
    penalties: int = 0
    fines: float = 0.0
    suspensions: int = 0
    closures: int = 0
    interviews: int = 0
    referrals: int = 0

    def as_json(self, rank: int) -> dict:
        return {"rank": rank, "name": self.name, "inspections": self.inspections,
                "hazards_found": self.hazards_found, "penalties": self.penalties, "fines": round(self.fines, 4),
                "suspensions": self.suspensions, "closures": self.closures, "interviews": self.interviews,
                "referrals": self.referrals}


def stats(actions: Iterable[Enforcement], start: dt.date, end: dt.date, by: str,
          directory: Directory) -> list[Stats]:
    """The period's figures per department (``by="department"``: who acted) or township (the
    unit's), ranked: most penalties first, then fines, then inspections, then the name.  A
    停产整顿 counts once whether it is a record of its own or a decision's measure."""
    table: dict[str, Stats] = {}
    suspended: set[tuple[str, str]] = set()
    for e in actions:
        if not start <= e.date <= end:
            continue
        name = e.by if by == "department" else (township_of(e, directory) or "（未注明乡镇）")
        s = table.setdefault(name, Stats(name))
        t = e.type
        if t is ActionType.INSPECTION:
            s.inspections += 1
            s.hazards_found += len(e.hazards)
        elif t is ActionType.PENALTY:
            s.penalties += 1
            s.fines += e.amount or 0
            if Measure.CLOSURE in e.measures:
                s.closures += 1
            if Measure.SUSPENSION in e.measures and (e.unit, name) not in suspended:
                suspended.add((e.unit, name))
                s.suspensions += 1
        elif t is ActionType.SUSPENSION and (e.unit, name) not in suspended:
            suspended.add((e.unit, name))
            s.suspensions += 1
        elif t is ActionType.INTERVIEW:
            s.interviews += 1
        elif t is ActionType.REFERRAL:
            s.referrals += 1
    return sorted(table.values(), key=lambda s: (-s.penalties, -s.fines, -s.inspections, s.name))


def township_of(e: Enforcement, directory: Directory) -> str | None:
    """The township of the unit acted on (an enforcement record names none of its own)."""
    return place_township(_Placed(e.unit), directory)


@dataclass(frozen=True)
class _Placed:
    unit: str
    township: str | None = None
    sector: str | None = None

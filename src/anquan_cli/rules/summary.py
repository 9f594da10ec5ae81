"""``anquan summary``: the one screen a leader reads — where the hazards stand and how that
moved over the last quarters, the major hazards and their 挂牌督办, the duties not met, the
coverage gaps, the next deadlines, the year's accidents and enforcement.

Nothing is worked out here that a rule already works out: each figure is the answer of the
rule behind the command that gives it in full (``hazards overdue``/``list --status``/
``escalate``/``listed``, ``report``'s figures, ``duties status``, ``units gaps``, ``matrix gaps``,
``calendar export``, ``accidents list``, ``enforcement stats``/``gaps``), so the screen and those
commands always agree.  Returned as plain data with English keys (``--format json`` prints it
as it is); pure: the day comes from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from anquan_cli.models import Level, Period
from anquan_cli.rules import hazards as R
from anquan_cli.rules.lookup import Directory
from anquan_cli.rules.periods import Window, window_of
from anquan_cli.snapshot import Workspace
from anquan_cli.text import quarter_code

__all__ = ["summary", "QUARTERS", "HORIZON_DAYS", "LONGEST"]

#: quarters the trend shows, the current one last
QUARTERS = 4
#: days ahead the deadlines are listed for
HORIZON_DAYS = 30
#: overdue hazards named (the longest overdue first)
LONGEST = 3


def _quarters(today: dt.date, n: int) -> list[Window]:
    out = [window_of(Period.QUARTER, today)]
    while len(out) < n:
        out.insert(0, window_of(Period.QUARTER, out[0].start - dt.timedelta(days=1)))
    return out


def _counted(pairs: list[tuple[str, int]]) -> list[dict]:
    return [{"name": name, "count": n} for name, n in pairs]


def _hazards(known: list, today: dt.date, directory: Directory, threshold: int, acceptance: int) -> dict:
    """The ledger today: each open hazard's status (``hazards list --status``), the overdue ones
    by township and level (``hazards overdue``'s last line), who is due for escalation
    (``hazards escalate``)."""
    opened = [h for h in known if h.closed is None]
    states = Counter(R.status(h, today, acceptance) for h in opened)
    overdue = R.overdue_sorted(known, today)
    return {
        "open": len(opened),
        "major_open": sum(1 for h in opened if h.level is Level.MAJOR),
        "general_open": sum(1 for h in opened if h.level is Level.GENERAL),
        "by_status": [{"status": s.value, "label": s.label, "count": states.get(s, 0)}
                      for s in R.Status if s is not R.Status.CLOSED],
        "overdue": len(overdue),
        "awaiting_acceptance": states.get(R.Status.RECTIFIED, 0) + states.get(R.Status.ACCEPTANCE_OVERDUE, 0),
        "acceptance_overdue": states.get(R.Status.ACCEPTANCE_OVERDUE, 0),
        "escalation_due": len(R.escalation_candidates(known, today, threshold)),
        "overdue_by_township": _counted(R.count_by(overdue, lambda h: R.township_of(h, directory))),
        "overdue_by_level": _counted(R.count_by(overdue, lambda h: h.level.label)),
        "longest_overdue": [{"id": h.id, "title": h.title, "unit": h.unit,
                             "township": R.township_of(h, directory), "level": h.level.value,
                             "days_overdue": R.days_overdue(h, today), "owner": h.owner}
                            for h in overdue[:LONGEST]],
    }


def _trend(ws: Workspace, today: dt.date, acceptance: int) -> list[dict]:
    """The report's figures (:func:`anquan_cli.rules.report.figures`) of each of the last
    quarters, as the quarterly bulletin counts them: found, rectified and closed in the quarter,
    overdue at its end (today for the current one)."""
    from anquan_cli.rules.report import figures

    out = []
    for w in _quarters(today, QUARTERS):
        f = figures(ws.hazards, w, today, acceptance)
        out.append({"period": quarter_code(w.start), "label": w.label, "start": w.start.isoformat(), "end": w.end.isoformat(),
                    "complete": w.end <= today, "found": f.found, "rectified": f.rectified, "closed": f.closed,
                    "overdue": f.overdue, "rate": f.rate})
    return out


def _major(known: list, ws: Workspace, today: dt.date, directory: Directory, acceptance: int,
           holidays: dict[dt.date, bool] | None) -> dict:
    """The 挂牌督办清单 (``hazards listed``: the major hazards listed or waiting to be)."""
    from anquan_cli.rules.listing import listed

    rows, notes = listed(known, ws.config.settings.listing, today, holidays)
    out = []
    for r in rows:
        h, lst = r.hazard, r.hazard.listing
        out.append({"id": h.id, "title": h.title, "unit": h.unit, "township": R.township_of(h, directory),
                    "status": R.status(h, today, acceptance).value,
                    "status_label": R.status(h, today, acceptance).label,
                    "deadline": h.deadline.isoformat() if h.deadline else None,
                    "days_overdue": R.days_overdue(h, today),
                    "listing_state": r.status, "listed_by": lst.by if lst is not None else None,
                    "listed_on": lst.date.isoformat() if lst is not None and lst.date else None,
                    "tracker": lst.tracker if lst is not None else None,
                    "late": [c.code for c in r.late]})
    return {"total": len(rows), "listed": sum(1 for r in rows if r.status == "listed"),
            "unlisted": sum(1 for r in rows if r.status == "unlisted"),
            "late": sum(1 for r in rows if r.late), "hazards": out, "notes": notes}


def _duties(ws: Workspace, today: dt.date, directory: Directory) -> dict:
    """``duties status`` of today's quarter: how many holders' duties are met, running, not met."""
    from anquan_cli.rules.campaigns import duties_in_force
    from anquan_cli.rules.duties import duty_status

    w = window_of(Period.QUARTER, today)
    results = duty_status(duties_in_force(ws.duties, ws.campaigns), ws.activities, directory, w, today,
                          ws.config.level.value)
    counts = Counter(r.status for r in results)
    return {"period": quarter_code(w.start), "label": w.label, "start": w.start.isoformat(), "end": w.end.isoformat(),
            "total": len(results), "met": counts.get("met", 0), "in_progress": counts.get("in_progress", 0),
            "not_met": counts.get("not_met", 0), "exceeded": counts.get("exceeded", 0),
            "unmet": [{"duty": r.duty.id, "action": r.duty.action, "holder": r.holder.name, "holder_id": r.holder.id,
                       "required": r.required, "done": r.done,
                       "missed": [x.window.label for x in r.windows if x.status == "not_met"]}
                      for r in results if r.status == "not_met"]}


def _coverage(ws: Workspace, known: list, today: dt.date, directory: Directory) -> dict:
    """``units gaps`` (supervision of enterprises) and ``matrix gaps`` (the guarantees' blind spots)."""
    from anquan_cli.rules import units as U
    from anquan_cli.rules.matrix import gaps as matrix_gaps

    units = U.gaps(ws.units, ws.enforcement, ws.activities, directory, today, ws.config.settings.grades, None,
                   grid=bool(ws.cells))
    matrix = matrix_gaps(ws.matrix, known, ws.people, directory)
    by_rule = Counter(g.rule for g in units)
    by_kind = Counter(g.kind for g in matrix)
    return {"units": {"total": len(units), "by_rule": [{"rule": r, "label": U.RULES[r], "count": by_rule[r]}
                                                        for r in U.RULES if by_rule[r]]},
            "matrix": {"total": len(matrix), "by_kind": [{"kind": k, "count": n} for k, n in
                                                         sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))],
                       "gaps": [g.as_json() for g in matrix]}}


def _deadlines(ws: Workspace, today: dt.date, holidays: dict[dt.date, bool] | None) -> dict:
    """The deadlines of the next :data:`HORIZON_DAYS` days, today's included — the events
    ``calendar export`` writes (rules/deadlines.py)."""
    from anquan_cli.rules.deadlines import events

    until = today + dt.timedelta(days=HORIZON_DAYS)
    items = [{"date": e.day.isoformat(), "kind": e.kind, "id": e.id, "summary": e.summary}
             for e in events(ws, today, holidays) if today <= e.day <= until]
    return {"from": today.isoformat(), "to": until.isoformat(), "items": items}


def _accidents(ws: Workspace, today: dt.date, directory: Directory) -> dict:
    """The year's accidents up to today as ``accidents list --period <year>`` gives them: counts,
    casualties, loss, by grade, and how many have a report late or missing by today."""
    from anquan_cli.rules import accidents as A

    start = dt.date(today.year, 1, 1)
    s = ws.config.settings.accidents
    chosen = A.in_window(A.as_of(ws.accidents, today), start, today)
    now = dt.datetime.combine(today, dt.time.min)  # as the list counts late reports
    grades = Counter(A.grade_of(a, s.missing_as_deaths) for a in chosen)
    return {"period": str(today.year), "start": start.isoformat(), "end": today.isoformat(),
            **A.totals(chosen).as_dict(),
            "by_grade": [{"grade": g.value, "label": g.label, "count": grades.get(g, 0)} for g in A.AccidentGrade],
            "late": sum(1 for a in chosen if A.late_clocks(a, directory, now, ws.config.level.value,
                                                             s.missing_as_deaths)),
            "concealed": sum(1 for a in chosen if a.concealment is not None)}


def _enforcement(ws: Workspace, known: list, today: dt.date, directory: Directory) -> dict:
    """The year's enforcement up to today (``enforcement stats --period <year>`` summed over the
    departments) and the gaps between enforcement and the hazards today (``enforcement gaps``)."""
    from anquan_cli.rules import enforcement as E

    start = dt.date(today.year, 1, 1)
    actions = E.as_of(ws.enforcement, today)
    total = E.Stats("合计")
    for s in E.stats(actions, start, today, "department", directory):
        for name in ("inspections", "hazards_found", "penalties", "fines", "suspensions", "closures", "interviews",
                     "referrals"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
    found = E.gaps(known, actions, today, ws.config.settings.enforcement)
    by_rule = Counter(g.rule for g in found)
    figures = total.as_json(0)
    del figures["rank"], figures["name"]
    return {"period": str(today.year), "start": start.isoformat(), "end": today.isoformat(), **figures,
            "gaps": len(found), "gaps_by_rule": [{"rule": r, "label": E.RULES[r], "count": by_rule[r]}
                                                 for r in E.RULES if by_rule[r]]}


def summary(ws: Workspace, today: dt.date, holidays: dict[dt.date, bool] | None = None) -> dict:
    """Everything ``anquan summary`` shows, as the records stood ``today`` (``holidays``: the
    workspace's corrections of the official calendar, for the listing clocks)."""
    directory = Directory.for_workspace(ws)
    settings = ws.config.settings
    known = R.known_on(ws, today)
    return {
        "jurisdiction": ws.config.jurisdiction,
        "today": today.isoformat(),
        "hazards": _hazards(known, today, directory, settings.escalation_days, settings.acceptance_days),
        "trend": _trend(ws, today, settings.acceptance_days),
        "major": _major(known, ws, today, directory, settings.acceptance_days, holidays),
        "duties": _duties(ws, today, directory),
        "coverage": _coverage(ws, known, today, directory),
        "deadlines": _deadlines(ws, today, holidays),
        "accidents": _accidents(ws, today, directory),
        "enforcement": _enforcement(ws, known, today, directory),
    }

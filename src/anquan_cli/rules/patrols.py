"""巡查考核 of the lower levels (seed 002 (六) "县级以上政府每年要对下级政府至少进行 1 次安全生产巡查和考核"; 分工表
16): for a year, each lower level's 巡查 and 考核, what is missing, and the ranking by the 考核 score.
Pure: records in, values out.

The lower levels are ``settings.patrols.targets`` when the workspace names them, else its townships and
the departments of its own level that lead sectors (a department with ``sectors`` and no township).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from anquan_cli.models import Unit, UnitKind
from anquan_cli.models.patrol import Patrol, PatrolKind
from anquan_cli.rules.lookup import Directory

__all__ = ["Standing", "targets", "standings"]


@dataclass
class Standing:
    unit: Unit
    patrols: list[Patrol] = field(default_factory=list)
    assessments: list[Patrol] = field(default_factory=list)
    rank: int | None = None

    @property
    def score(self) -> float | None:
        """The year's 考核 score (the last assessment's, when there were several)."""
        scored = [a for a in self.assessments if a.score is not None]
        return max(scored, key=lambda a: (a.date, a.id)).score if scored else None

    @property
    def missing(self) -> list[str]:
        return [k.value for k, done in ((PatrolKind.PATROL, self.patrols), (PatrolKind.ASSESSMENT, self.assessments))
                if not done]


def targets(units: Iterable[Unit], named: list[str], directory: Directory) -> list[Unit]:
    """The lower levels a year's 巡查考核 must reach."""
    if named:
        out = []
        for name in named:
            u = directory.unit(name)
            if u is not None and u not in out:
                out.append(u)
        return out
    units = list(units)
    return ([u for u in units if u.kind is UnitKind.TOWNSHIP]
            + [u for u in units if u.kind is UnitKind.DEPARTMENT and u.sectors and not u.township])


def standings(patrols: Iterable[Patrol], lower: list[Unit], directory: Directory, year: int,
              today: dt.date) -> list[Standing]:
    """Each lower level's standing in ``year`` as known on ``today``, ranked by score (highest
    first; equal scores share a rank; those without a score unranked, after them)."""
    out = {u.name: Standing(u) for u in lower}
    for p in patrols:
        if p.date.year != year or p.date > today:
            continue
        u = directory.unit(p.target)
        s = out.get(u.name) if u is not None else None
        if s is None:
            continue
        (s.patrols if p.kind is PatrolKind.PATROL else s.assessments).append(p)
    rows = list(out.values())
    scored = sorted((s for s in rows if s.score is not None), key=lambda s: -(s.score or 0))
    last = None
    for i, s in enumerate(scored, 1):
        s.rank = last.rank if last is not None and last.score == s.score else i
        last = s
    return scored + [s for s in rows if s.score is None]

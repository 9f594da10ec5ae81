"""Accident rules: the grade, the reporting clocks, the 补报 window, comparisons between periods.

Every rule is a pure function of the records (and the settings, the name directory, a day) and
cites its clause of 《生产安全事故报告和调查处理条例》(国务院令第493号, "条例" below):

* 第三条 — the four grades, by deaths (失踪 counted with them), serious injuries (急性工业中毒
  included) and direct economic loss; "以上"包括本数，"以下"不包括本数; the highest criterion met
  decides (:func:`computed_grade`).
* 第九条 — the unit reports to the county-level authority within 1 hour of the accident
  (:func:`clocks`, ``unit``).
* 第十条 — each authority passes it on to the level above within 2 hours, up to the 设区的市
  for a 一般 accident, the province for a 较大 one and the State Council's authority for 重大
  and 特别重大 ones (``pass-up``); seed 001 asks the same of the township ("镇政府接到事故报告
  后将第一时间报县政府值班室").
* 第十三条 — casualty changes within 30 days of the accident (7 days for road-traffic and fire
  accidents) are reported as 补报 (:func:`followup_window`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from anquan_cli.models.accident import Accident, AccidentGrade, AccidentKind
from anquan_cli.rules.lookup import Directory, place_sector, place_township

__all__ = ["computed_grade", "grade_of", "level_of", "Clock", "clocks", "late_clocks", "followup_window",
           "late_followups", "as_of", "day_of", "moment_text", "duration", "before_the_accident", "township_of",
           "sector_of", "in_window", "Totals", "totals", "compare",
           "LEVELS", "UNIT_MINUTES", "LEVEL_MINUTES"]

#: 条例第三条's thresholds, highest grade first: (grade, deaths, serious injuries, loss in 万元)
THRESHOLDS = (
    (AccidentGrade.ESPECIALLY_MAJOR, 30, 100, 10000),
    (AccidentGrade.MAJOR, 10, 50, 5000),
    (AccidentGrade.LARGER, 3, 10, 1000),
)


def dead(a: Accident, missing_as_deaths: bool = True) -> int:
    """The dead as 条例第三条 counts them: the missing with them unless the settings say not."""
    return a.deaths + (a.missing if missing_as_deaths else 0)


def computed_grade(a: Accident, missing_as_deaths: bool = True) -> AccidentGrade:
    """条例第三条: the highest grade any of the three criteria reaches ("以上"包括本数)."""
    deaths, serious, loss = dead(a, missing_as_deaths), a.serious_injuries, a.direct_loss or 0
    for grade, min_deaths, min_serious, min_loss in THRESHOLDS:
        if deaths >= min_deaths or serious >= min_serious or loss >= min_loss:
            return grade
    return AccidentGrade.GENERAL


def grade_of(a: Accident, missing_as_deaths: bool = True) -> AccidentGrade:
    """The grade an accident counts under: the one stated (by the investigation) unless it is
    below the one its figures reach (``check`` reports that as an error)."""
    computed = computed_grade(a, missing_as_deaths)
    if a.grade is not None and a.grade.rank >= computed.rank:
        return a.grade
    return computed


# an accident's township and sector: its own, else its unit's
township_of = place_township
sector_of = place_sector


# ---------------------------------------------------------------------- who is at which level

#: the levels a report passes through, lowest first
LEVELS = ("unit", "township", "county", "city", "province", "national")
LEVEL_LABELS = {"unit": "事故发生单位", "township": "乡镇", "county": "县级", "city": "市级",
                "province": "省级", "national": "国务院有关部门"}
#: where 条例第十条 has each grade's report end
_DESTINATION = {AccidentGrade.GENERAL: "city", AccidentGrade.LARGER: "province",
                AccidentGrade.MAJOR: "national", AccidentGrade.ESPECIALLY_MAJOR: "national"}
_MARKS = re.compile(r"国务院|应急管理部|国家|省|自治区|市|州|盟|县|区|旗|乡|镇|街道")
_MARK_LEVEL = {"国务院": "national", "应急管理部": "national", "国家": "national", "省": "province",
               "自治区": "province", "市": "city", "州": "city", "盟": "city", "县": "county", "区": "county",
               "旗": "county", "乡": "township", "镇": "township", "街道": "township"}
#: names of enterprises and sites (青岚县某某有限公司 is a unit, not the county)
_ENTERPRISE = re.compile(r"(公司|厂|矿|合作社|企业|工地|项目部|集团|商场|广场|加油站)$")
#: 条例第九条 and 第十条, in minutes
UNIT_MINUTES = 60
LEVEL_MINUTES = 120


def level_of(body: str, directory: Directory, own_level: str = "county") -> str:
    """The level of a body a report names: a township of the name directory is a township, an
    enterprise or a village of it (or a name ending like one, 有限公司、厂、矿…) is a unit; any
    other name by the first mark of a level it holds (石桥镇人民政府 township, 青岚县应急管理局 and
    县市场监督管理局 county, 青州市应急管理局 city, XX省应急管理厅 province, 国务院安委会办公室
    national); a department of the directory without such a mark sits at the workspace's own
    level, any other name (a person) is a unit."""
    from anquan_cli.models.org import UnitKind

    unit = directory.unit(body)
    if unit is not None and unit.kind is UnitKind.TOWNSHIP:
        return "township"
    if (unit is not None and unit.kind in (UnitKind.ENTERPRISE, UnitKind.VILLAGE)) or (
            unit is None and _ENTERPRISE.search(body)):
        return "unit"
    m = _MARKS.search(body)
    if m:
        return _MARK_LEVEL[m.group(0)]
    return own_level if unit is not None else "unit"


def _rank(level: str) -> int:
    return LEVELS.index(level)


def _at(moment: dt.date | dt.datetime) -> dt.datetime | None:
    """A moment with a time of day; None for a day alone (no clock in minutes runs on it)."""
    return moment if isinstance(moment, dt.datetime) else None


def day_of(moment: dt.date | dt.datetime) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def moment_text(moment: dt.date | dt.datetime, sep: str = " ") -> str:
    """``2023-08-12 14:30`` (``T`` as ``sep`` for machines; the day alone when no time was recorded)."""
    return moment.isoformat(sep=sep, timespec="minutes") if isinstance(moment, dt.datetime) else moment.isoformat()


def duration(minutes: int) -> str:
    """``75 分钟``, ``3 小时 5 分钟``, ``2 天 4 小时``: how late, in words a clerk reads."""
    if minutes < 120:
        return f"{minutes} 分钟"
    if minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} 小时" + (f" {rest} 分钟" if rest else "")
    days, rest = divmod(minutes, 24 * 60)
    return f"{days} 天" + (f" {rest // 60} 小时" if rest // 60 else "")


def before_the_accident(a: Accident, moment: dt.date | dt.datetime) -> bool:
    """Whether a report's moment lies before the accident (a typing slip: it answers no clock)."""
    if isinstance(moment, dt.datetime) and isinstance(a.occurred, dt.datetime):
        return moment < a.occurred
    return day_of(moment) < a.day


@dataclass(frozen=True)
class Clock:
    """One report the 条例 requires: who (``level``) must report upwards by ``due``; ``done``
    when they did (None: not recorded); ``report``: the index of the report that answers it."""

    code: str            # "unit" (第九条) or "pass-up" (第十条)
    level: str
    due: dt.datetime
    done: dt.datetime | None
    report: int | None
    #: the accident's time of day is not known: only whether a report was made at all is checked
    due_day_only: bool = False

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]

    def minutes_late(self, now: dt.datetime | None = None) -> int | None:
        """Minutes past due when done (or by ``now`` while not done); None when not late."""
        at = self.done if self.done is not None else now
        if at is None or at <= self.due:
            return None
        return int((at - self.due).total_seconds() // 60)


def clocks(a: Accident, directory: Directory, own_level: str = "county",
           missing_as_deaths: bool = True) -> list[Clock]:
    """The reporting clocks of an accident (条例第九条, 第十条) that its records let run: the
    unit's report to the county-level authority, due an hour after the accident (when its time
    of day is known); and, for each level that received the report below where the accident's
    grade ends and at or below the workspace's own level, its report upwards, due two hours
    after it first received it (a report given as a day alone starts or answers no clock)."""
    timed: list[tuple[int, dt.datetime, int, int]] = []
    county = _rank("county")
    unit_reported = False
    for i, r in enumerate(a.reports):
        if before_the_accident(a, r.time):
            continue  # a slip (check says so): it answers no clock and starts none
        frm, to = _rank(level_of(r.from_, directory, own_level)), _rank(level_of(r.to, directory, own_level))
        unit_reported = unit_reported or (frm == 0 and to >= county)
        at = _at(r.time)
        if at is not None:  # a report given as a day alone starts or answers no clock in minutes
            timed.append((i, at, frm, to))
    out: list[Clock] = []
    occurred = _at(a.occurred)
    if occurred is not None:
        answered = sorted((t, i) for i, t, frm, to in timed if frm == 0 and to >= county)
        done = answered[0] if answered else None
        out.append(Clock("unit", "unit", occurred + dt.timedelta(minutes=UNIT_MINUTES),
                         done[0] if done else None, done[1] if done else None))
    elif not unit_reported:
        # the day alone: no minutes to count, but no report at all to the county is still missing
        # (due at the latest by the end of that day)
        out.append(Clock("unit", "unit", dt.datetime.combine(a.day + dt.timedelta(days=1), dt.time.min),
                         None, None, due_day_only=True))
    end = _rank(_DESTINATION[grade_of(a, missing_as_deaths)])
    reach = _rank(own_level) if own_level in LEVELS else county
    for level in range(_rank("township"), min(end, reach + 1)):
        # told by a lower level (a notice coming down from above is not a report to pass on)
        received = sorted(t for _, t, frm, to in timed if to == level and frm < level)
        if not received:
            continue
        onward = sorted((t, i) for i, t, frm, to in timed if frm == level and to > level)
        done = onward[0] if onward else None
        out.append(Clock("pass-up", LEVELS[level], received[0] + dt.timedelta(minutes=LEVEL_MINUTES),
                         done[0] if done else None, done[1] if done else None))
    return out


def late_clocks(a: Accident, directory: Directory, now: dt.datetime, own_level: str = "county",
                missing_as_deaths: bool = True) -> list[Clock]:
    """The clocks reported late, or not reported by ``now`` though due."""
    return [c for c in clocks(a, directory, own_level, missing_as_deaths) if c.minutes_late(now) is not None]


# ---------------------------------------------------------------------- 补报 (第十三条)

_ROAD = re.compile(r"道路|交通")


def followup_window(a: Accident, directory: Directory) -> int:
    """Days after the accident within which casualty changes are 补报 (条例第十三条): 7 for a
    fire (火灾) or a road-traffic accident (GB 6441's 车辆伤害 in a 道路/交通 sector), else 30."""
    if a.kind is AccidentKind.FIRE:
        return 7
    if a.kind is AccidentKind.VEHICLE and _ROAD.search(sector_of(a, directory) or ""):
        return 7
    return 30


def late_followups(a: Accident, directory: Directory) -> list[tuple[int, int]]:
    """``(index, days past the window)`` of each 续报 that changes casualty figures after the
    补报 window has closed: "自事故发生之日起30日内" counts the accident's day as day 0, so the
    30th day after it is the last day of the window."""
    last = a.day + dt.timedelta(days=followup_window(a, directory))
    out = []
    for i, f in enumerate(a.followups):
        if f.deaths is None and f.missing is None and f.serious_injuries is None:
            continue
        day = f.time.date() if isinstance(f.time, dt.datetime) else f.time
        if day > last:
            out.append((i, (day - last).days))
    return out


# ---------------------------------------------------------------------- as of a day


def as_of(accidents: Iterable[Accident], day: dt.date) -> list[Accident]:
    """The accidents as the records stood on ``day``: those that had happened, with the reports
    and 续报 made by then, a 瞒报/迟报 finding only once it was made, an investigation's
    conclusion only once it was closed."""
    out = []
    for a in accidents:
        if a.day > day:
            continue
        update: dict = {}
        reports = [r for r in a.reports if day_of(r.time) <= day]
        followups = [f for f in a.followups if day_of(f.time) <= day]
        if len(reports) != len(a.reports) or len(followups) != len(a.followups):
            update.update(reports=reports, followups=followups)
        if a.concealment is not None and a.concealment.date is not None and a.concealment.date > day:
            update["concealment"] = None  # not found yet
        inv = a.investigation
        if inv is not None and (inv.started is not None and inv.started > day):
            update["investigation"] = None
        elif inv is not None and inv.closed is not None and inv.closed > day:
            update["investigation"] = inv.model_copy(update={"closed": None, "conclusion": None})
        out.append(a.model_copy(update=update) if update else a)
    return out


# ---------------------------------------------------------------------- figures of a period


def in_window(accidents: Iterable[Accident], start: dt.date, end: dt.date) -> list[Accident]:
    """The accidents that happened between ``start`` and ``end`` (both included), in order of
    occurrence (then id)."""
    chosen = [a for a in accidents if start <= a.day <= end]
    return sorted(chosen, key=lambda a: (a.day, _at(a.occurred) or dt.datetime.min, a.id))


@dataclass(frozen=True)
class Totals:
    count: int
    deaths: int
    missing: int
    serious_injuries: int
    minor_injuries: int
    direct_loss: float

    def as_dict(self) -> dict:
        return {"count": self.count, "deaths": self.deaths, "missing": self.missing,
                "serious_injuries": self.serious_injuries, "minor_injuries": self.minor_injuries,
                "direct_loss": round(self.direct_loss, 4)}


def totals(accidents: Iterable[Accident]) -> Totals:
    chosen = list(accidents)
    return Totals(len(chosen), sum(a.deaths for a in chosen), sum(a.missing for a in chosen),
                  sum(a.serious_injuries for a in chosen), sum(a.minor_injuries for a in chosen),
                  sum(a.direct_loss or 0 for a in chosen))


def compare(now: Totals, before: Totals) -> dict:
    """Each figure now, before, and the change: up or down by how much and by what share of
    before (None when before is 0)."""
    out = {}
    for name, value in now.as_dict().items():
        old = before.as_dict()[name]
        change = round(value - old, 4)
        out[name] = {"now": value, "before": old, "change": change,
                     "pct": None if not old else round(100 * change / old, 1)}
    return out

"""隐患排查治理情况统计分析表: the quarterly and yearly statistics that 《安全生产事故隐患排查治理暂行
规定》(原国家安全生产监督管理总局令第16号) 第十四条 asks for — "每季、每年对本单位事故隐患排查治理情况进行统计
分析，并分别于下一季度15日前和下一年1月31日前向安全监管监察部门和有关部门报送书面统计分析表。统计分析表应当
由生产经营单位主要负责人签字。"

The figures are those of the quarterly bulletin (rules/report.py), per unit (生产经营单位), per sector
(行业领域) and in total, as of the period's end (or today, for a period still running), from the same
ledger as it stood then (:func:`anquan_cli.rules.hazards.as_of`):

* 排查发现: found in the period (一般/重大 as the level stood at its end) — the bulletin's 排查发现;
* 已整改: of those, rectified by its end (first 整改完成, else 销号: :func:`rules.report.rectified_date`);
  整改率 = 已整改 / 排查发现 — the bulletin's 整改率;
* 未整改: found in the period and not rectified by its end, of which 逾期 (past the deadline);
* 期末未整改: every hazard open and not rectified at the end, found in the period or before, of which
  逾期 — the bulletin's 期末逾期未改;
* 重大隐患在治: major hazards found by the end and not closed before the period began; of them those with
  all five of the 五落实 (治理措施、责任人员、治理资金、整改时限、应急预案, seed 000 二（三）) and those
  listed for supervision (挂牌督办, seed 001 (1));
* 治理资金: the funds recorded on the hazards in treatment in the period (found by its end, not closed
  before it began), in 万元; a funds text without an amount ("企业自筹") is counted apart.

Nothing here reads files: the command gives the ledger, the directory and the days.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from anquan_cli.models import Hazard, Level, Period
from anquan_cli.models.hazard import FIVE_ELEMENTS_ZH
from anquan_cli.rules import hazards as R
from anquan_cli.rules.lookup import Directory
from anquan_cli.rules.periods import Window, parse_period, window_of
from anquan_cli.rules.report import pct, rectified_date
from anquan_cli.text import quarter_code

__all__ = ["STATUTE", "STATUTE_SHORT", "TITLE", "Row", "Statistics", "MajorRow", "statistics", "parse_statistics_period",
           "default_statistics_period", "period_kind", "due_date", "code", "statistics_due", "funds_amount"]

#: the source of the duty, as a document cites it
STATUTE = "《安全生产事故隐患排查治理暂行规定》（原国家安全生产监督管理总局令第16号）第十四条"
STATUTE_SHORT = "16号令第十四条"
#: the form's name
TITLE = "隐患排查治理情况统计分析表"

#: what a row counts, in order (the layouts and the JSON use these names)
COUNTS = ("found_general", "found_major", "fixed_general", "fixed_major", "unfixed", "unfixed_overdue",
          "backlog", "backlog_overdue", "majors", "majors_complete", "majors_listed", "funds_counted",
          "funds_unread")


@dataclass
class Row:
    """One line of the table: a unit, a sector or the total."""

    name: str
    sector: str = ""
    township: str = ""
    found_general: int = 0
    found_major: int = 0
    fixed_general: int = 0
    fixed_major: int = 0
    #: found in the period, not rectified by its end; of which past the deadline
    unfixed: int = 0
    unfixed_overdue: int = 0
    #: open and not rectified at the end, found in the period or before; of which past the deadline
    backlog: int = 0
    backlog_overdue: int = 0
    #: major hazards in treatment in the period; with all five elements; listed (挂牌督办)
    majors: int = 0
    majors_complete: int = 0
    majors_listed: int = 0
    #: 治理资金 (万元) of the hazards in treatment, how many of them gave an amount, how many a text without one
    funds: float = 0.0
    funds_counted: int = 0
    funds_unread: int = 0
    #: the major hazards in treatment lacking each of the five elements (element → count)
    missing: Counter = field(default_factory=Counter)

    @property
    def found(self) -> int:
        return self.found_general + self.found_major

    @property
    def fixed(self) -> int:
        return self.fixed_general + self.fixed_major

    @property
    def rate(self) -> float | None:
        return self.fixed / self.found if self.found else None

    def add(self, other: Row) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.funds = round(self.funds + other.funds, 4)
        self.missing.update(other.missing)

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in COUNTS)

    def as_json(self) -> dict:
        return {"name": self.name, "sector": self.sector, "township": self.township, "found": self.found,
                **{name: getattr(self, name) for name in COUNTS}, "fixed": self.fixed, "rate": self.rate,
                "rate_text": pct(self.rate), "funds": self.funds, "funds_text": f"{self.funds:g}",
                "missing": {k: self.missing[k] for k in FIVE_ELEMENTS_ZH if self.missing[k]}}


@dataclass
class MajorRow:
    """A major hazard in treatment in the period, with its 五落实 and its listing."""

    id: str
    title: str
    unit: str
    sector: str
    found: dt.date
    #: element → what is recorded ("" when missing), in FIVE_ELEMENTS_ZH's order
    elements: dict[str, str]
    listed: str  # "县应急管理局（2023-02-23）" or ""
    status: str

    @property
    def missing(self) -> list[str]:
        return [k for k, v in self.elements.items() if not v]

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "unit": self.unit, "sector": self.sector,
                "found": self.found.isoformat(), **self.elements, "listed": self.listed, "status": self.status,
                "missing": list(self.missing), "missing_text": "、".join(FIVE_ELEMENTS_ZH[k] for k in self.missing)}


@dataclass
class Statistics:
    period: Window
    kind: str  # "quarter" | "year"
    as_of: dt.date  # the period's end, or today for a period still running
    due: dt.date
    units: list[Row]
    sectors: list[Row]
    total: Row
    majors: list[MajorRow]

    @property
    def complete(self) -> bool:
        return self.as_of >= self.period.end

    def as_json(self) -> dict:
        return {"period": {"label": self.period.label, "code": code(self.period), "kind": self.kind,
                           "start": self.period.start.isoformat(), "end": self.period.end.isoformat(),
                           "as_of": self.as_of.isoformat(), "complete": self.complete},
                "due": self.due.isoformat(), "basis": STATUTE,
                "units": [r.as_json() for r in self.units], "sectors": [r.as_json() for r in self.sectors],
                "total": self.total.as_json(), "majors": [m.as_json() for m in self.majors]}


# ---------------------------------------------------------------------- periods and deadlines


def period_kind(w: Window) -> str | None:
    """``quarter`` or ``year`` for the windows the form is made for, else None."""
    if w.start.day != 1 or (w.end + dt.timedelta(days=1)).day != 1:
        return None
    months = (w.end.year - w.start.year) * 12 + w.end.month - w.start.month + 1
    if months == 12 and w.start.month == 1:
        return "year"
    if months == 3 and w.start.month in (1, 4, 7, 10):
        return "quarter"
    return None


def code(w: Window) -> str:
    """``2023Q3`` / ``2023``: how ``--period`` writes the window."""
    return quarter_code(w.start) if period_kind(w) == "quarter" else str(w.start.year)


def parse_statistics_period(text: str | None, today: dt.date) -> Window:
    """``--period`` of the form: a quarter (2023Q3, 2023年第三季度) or a year (2023); by default the
    last quarter that has ended (the one whose form is due next).  ValueError in Chinese otherwise."""
    if not text:
        return default_statistics_period(today)
    hint = "统计分析表按季度或年度填报，请写成 2023Q3（2023年第三季度）或 2023（2023年全年）"
    try:
        w = parse_period(text)
    except ValueError as exc:
        if str(exc).startswith("无法识别的时段"):  # its examples include months and weeks: not for this form
            raise ValueError(f"无法识别的时段“{text}”：{hint}") from None
        raise ValueError(f"{exc}；{hint}") from None
    if period_kind(w) is None:
        raise ValueError(f"时段“{text}”是{w.label}，不是季度或年度：{hint}")
    return w


def default_statistics_period(today: dt.date) -> Window:
    current = window_of(Period.QUARTER, today)
    return window_of(Period.QUARTER, current.start - dt.timedelta(days=1))


def due_date(w: Window) -> dt.date:
    """第十四条: a quarter's form "下一季度15日前" (by the 15th of the next quarter's first month), a year's
    "下一年1月31日前" (by 31 January of the next year) — the day itself still in time."""
    nxt = w.end + dt.timedelta(days=1)
    if period_kind(w) == "year":
        return dt.date(nxt.year, 1, 31)
    return nxt.replace(day=15)


def statistics_due(today: dt.date) -> list[tuple[Window, dt.date]]:
    """The forms whose reporting time runs on ``today``: from the day after their period ends to the day
    they are due (the last quarter's, and in January the last year's too), earliest due first."""
    last_quarter = default_statistics_period(today)
    last_year = window_of(Period.YEAR, dt.date(today.year - 1, 1, 1))
    return sorted(((w, d) for w in (last_quarter, last_year) if w.end < today <= (d := due_date(w))),
                  key=lambda wd: (wd[1], wd[0].end))


# ---------------------------------------------------------------------- funds

_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?")


def funds_amount(text: str | None) -> float | None:
    """The amount (万元) a 治理资金 text starts with — "22万元", "36万元（县财政、企业各半）", "5000元",
    "1.5" (万元) — or None when it gives none ("企业自筹")."""
    from anquan_cli.text import nfkc, parse_money, replace_cn_numerals

    if not text:
        return None
    m = _AMOUNT.match(replace_cn_numerals(nfkc(text)).replace(",", ""))
    if m is None:
        return None
    return parse_money(m.group(0).strip())


# ---------------------------------------------------------------------- the figures


def _unit_name(h: Hazard, directory: Directory) -> str:
    unit = directory.unit(h.unit) if h.unit else None
    return unit.name if unit is not None else (h.unit or "（未填）")


def _count(row: Row, h: Hazard, w: Window, end: dt.date) -> None:
    """What one hazard (as it stood at ``end``) adds to a row."""
    major = h.level is Level.MAJOR
    if w.start <= h.found <= end:
        done = (d := rectified_date(h)) is not None and d <= end
        if major:
            row.found_major += 1
            row.fixed_major += done
        else:
            row.found_general += 1
            row.fixed_general += done
        if not done:
            row.unfixed += 1
            row.unfixed_overdue += R.is_overdue(h, end)
    if h.closed is None and R.rectified_on(h) is None:
        row.backlog += 1
        row.backlog_overdue += R.is_overdue(h, end)
    if h.closed is not None and h.closed < w.start:
        return  # not in treatment in the period
    if major:
        row.majors += 1
        missing = h.five_elements_missing()
        row.majors_complete += not missing
        row.missing.update(missing)
        # listed: by whom and when (a listing without its tracker is a gap of its own, not unlisted)
        row.majors_listed += h.listing is not None and bool(h.listing.by) and h.listing.date is not None
    amount = funds_amount(h.funds)
    if amount is not None:
        row.funds = round(row.funds + amount, 4)
        row.funds_counted += 1
    elif h.funds:
        row.funds_unread += 1


def _major_row(h: Hazard, end: dt.date, directory: Directory, acceptance_days: int) -> MajorRow:
    lst = h.listing
    listed = (f"{lst.by}（{lst.date.isoformat()}）" if lst is not None and lst.by and lst.date is not None else "")
    elements = {"measures": h.measures or "", "owner": h.owner or "", "funds": h.funds or "",
                "deadline": h.deadline.isoformat() if h.deadline else "", "plan": h.plan or ""}
    return MajorRow(h.id, h.title, _unit_name(h, directory), R.sector_of(h, directory) or "", h.found,
                    {k: elements[k] for k in FIVE_ELEMENTS_ZH}, listed, R.status(h, end, acceptance_days).label)


def statistics(hazards: list[Hazard], w: Window, today: dt.date, directory: Directory,
               acceptance_days: int = R.ACCEPTANCE_DAYS) -> Statistics:
    """The form's figures for the period ``w`` (a quarter or a year) of the ledger ``hazards``."""
    kind = period_kind(w)
    if kind is None:
        raise ValueError(f"{w.label}不是季度或年度")
    end = min(w.end, today)
    known = R.as_of(hazards, end)
    units: dict[str, Row] = {}
    sectors: dict[str, Row] = {}
    total = Row("合计")
    majors = []
    for h in known:
        name = _unit_name(h, directory)
        sector = R.sector_of(h, directory) or "（未填）"
        unit_row = units.get(name)
        if unit_row is None:
            unit = directory.unit(name)
            unit_row = units[name] = Row(name, (unit.sector if unit is not None else None) or "",
                                         (unit.township if unit is not None else None) or R.township_of(h, directory) or "")
        if not unit_row.sector:
            unit_row.sector = sector if sector != "（未填）" else ""
        one = Row(name)
        _count(one, h, w, end)
        if one.is_empty():
            continue
        unit_row.add(one)
        sectors.setdefault(sector, Row(sector)).add(one)
        total.add(one)
        if h.level is Level.MAJOR and (h.closed is None or h.closed >= w.start):
            majors.append(_major_row(h, end, directory, acceptance_days))
    order = {u.name: i for i, u in enumerate(directory.units)}
    unit_rows = sorted((r for r in units.values() if not r.is_empty()),
                       key=lambda r: (order.get(r.name, len(order)), r.name))
    sector_rows = sorted(sectors.values(), key=lambda r: (r.name == "（未填）", -r.found, -r.backlog, r.name))
    majors.sort(key=lambda m: (m.found, m.id))
    return Statistics(w, kind, end, due_date(w), unit_rows, sector_rows, total, majors)

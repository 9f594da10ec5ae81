"""The figures and lists that go into the weekly dispatch, monthly summary, quarterly bulletin
and annual summary (周调度、月小结、季通报、年总结, seed 001).  Everything is computed as of the
period's end (or today, for a period still running) and returned as plain data — strings,
numbers, lists and dicts — so templates only lay it out.

Definitions (also in the README):
* found: hazards whose found date is in the period;
* rectified: hazards whose rectification (first 整改完成 event, else the 销号 date) is in it;
* closed: hazards whose 销号 date is in it; escalated: 提级 events in it; extended: 延期 events;
* overdue at the end: open and past their deadline on the period's last day (or today);
* rectification rate: of the hazards found in the period, the share rectified by its end.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from anquan_cli.models import EventKind, Hazard, Level, Period
from anquan_cli.models.hazard import FIVE_ELEMENTS_ZH
from anquan_cli.rules import hazards as R
from anquan_cli.rules.campaigns import duties_in_force
from anquan_cli.rules.duties import duty_status
from anquan_cli.rules.lookup import Directory, place_township
from anquan_cli.rules.matrix import hazard_gaps, hazard_sectors, matrix_gaps, sector_and_load_gaps
from anquan_cli.rules.periods import Window, parse_period, window_of
from anquan_cli.rules.tasks import task_states
from anquan_cli.snapshot import Workspace
from anquan_cli.text import fold

__all__ = ["Figures", "figures", "previous", "build_context", "KINDS", "default_period",
           "parse_report_period", "hazard_part", "workspace_part", "merge_parts", "windows", "rectified_date", "pct"]

#: report kind → the period it covers and its Chinese name
KINDS = {"weekly": (Period.WEEK, "周调度"), "monthly": (Period.MONTH, "月小结"),
         "quarterly": (Period.QUARTER, "季度通报"), "annual": (Period.YEAR, "年度总结")}


def default_period(kind: str, today: dt.date) -> Window:
    """The period a report covers when none is given: the current week/month/quarter/year."""
    return window_of(KINDS[kind][0], today)


def previous(w: Window, kind: str) -> Window:
    return window_of(KINDS[kind][0], w.start - dt.timedelta(days=1))


def rectified_date(h: Hazard) -> dt.date | None:
    """When a hazard counts as 完成整改: its first 整改完成 (a re-rectification does not count
    it again in a later period), or its 销号 when no rectification was recorded."""
    return R.first_rectified(h) or h.closed


def _first(h: Hazard, kind: EventKind) -> list[dt.date]:
    return [e.date for e in h.history if e.event is kind]


@dataclass
class Figures:
    found: int
    rectified: int
    closed: int
    overdue: int
    escalated: int
    extended: int
    rate: float | None  # rectification rate of hazards found in the period
    #: rectified and waiting for the three sign-offs at the period's end (待验收), of which
    #: longer than the acceptance window (验收逾期)
    awaiting: int = 0
    acceptance_overdue: int = 0
    #: closed in the period by their deadline / after it (seed 000: "100%限期完成")
    closed_on_time: int = 0
    closed_late: int = 0

    @property
    def on_time_rate(self) -> float | None:
        done = self.closed_on_time + self.closed_late
        return self.closed_on_time / done if done else None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["rate_text"] = pct(self.rate)
        d["on_time_rate"] = self.on_time_rate
        d["on_time_rate_text"] = pct(self.on_time_rate)
        return d


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


#: what :func:`_counts` returns, in order (``fixed``: found in the window and rectified by its end)
_COUNTS = ("found", "fixed", "rectified", "closed", "overdue", "escalated", "extended", "awaiting",
           "acceptance_overdue", "closed_on_time", "closed_late")


def _counts(known: list[Hazard], w: Window, end: dt.date, acceptance_days: int) -> list[int]:
    """The counts behind :class:`Figures` of the hazards ``known`` at ``end`` (sums over any
    split of the ledger: a report adds up the counts of each file)."""
    def within(d: dt.date | None) -> bool:
        return d is not None and w.start <= d <= end

    found = [h for h in known if within(h.found)]
    closed = [h for h in known if within(h.closed)]
    waiting = [h for h in known if h.closed is None and h.found <= end and R.rectified_on(h) is not None]
    late = sum(1 for h in closed if R.closed_late(h))
    return [
        len(found),
        sum(1 for h in found if (d := rectified_date(h)) is not None and d <= end),
        sum(1 for h in known if within(rectified_date(h))),
        len(closed),
        sum(1 for h in known if R.is_overdue(h, end)),
        sum(1 for h in known for d in _first(h, EventKind.ESCALATED) if within(d)),
        sum(1 for h in known for d in _first(h, EventKind.EXTENDED) if within(d)),
        len(waiting),
        sum(1 for h in waiting if R.acceptance_overdue(h, end, acceptance_days)),
        len(closed) - late,
        late,
    ]


def _figures_of(counts: list[int]) -> Figures:
    c = dict(zip(_COUNTS, counts))
    fixed = c.pop("fixed")
    return Figures(**c, rate=(fixed / c["found"]) if c["found"] else None)


def figures(hazards: list[Hazard], w: Window, today: dt.date,
            acceptance_days: int = R.ACCEPTANCE_DAYS) -> Figures:
    end = min(w.end, today)
    return _figures_of(_counts(R.as_of(hazards, end), w, end, acceptance_days))


#: a breakdown row's counters, in order
_BREAKDOWN = ("found", "closed", "open", "overdue", "on_time", "late")


def _breakdown_counts(known: list[Hazard], w: Window, end: dt.date, key) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = {}
    for h in known:
        c = rows.setdefault(key(h) or "（未填）", [0] * len(_BREAKDOWN))
        closed_in = h.closed is not None and w.start <= h.closed <= end
        c[0] += w.start <= h.found <= end
        c[1] += closed_in
        c[2] += h.closed is None and h.found <= end
        c[3] += R.is_overdue(h, end)
        if closed_in:
            c[5 if R.closed_late(h) else 4] += 1
    return rows


def _breakdown(rows: dict[str, list[int]]) -> list[dict]:
    out = []
    for name, counts in rows.items():
        c = dict(zip(_BREAKDOWN, counts))
        if any(counts):
            out.append({"name": name, "found": c["found"], "closed": c["closed"], "open": c["open"],
                        "overdue": c["overdue"], "closed_on_time": c["on_time"], "closed_late": c["late"],
                        "on_time_rate_text": pct(c["on_time"] / c["closed"]) if c["closed"] else "—"})
    return sorted(out, key=lambda r: (-r["found"], -r["open"], r["name"]))


def _hazard_row(h: Hazard, end: dt.date, directory: Directory, guarantees: R.Guarantees) -> dict:
    who = R.answerable(h, guarantees)
    return {
        "id": h.id, "title": h.title, "unit": h.unit, "township": R.township_of(h, directory) or "",
        "sector": R.sector_of(h, directory) or "", "level": h.level.label,
        "found": h.found.isoformat(), "deadline": h.deadline.isoformat() if h.deadline else "",
        "days_overdue": R.days_overdue(h, end), "days_closed_late": R.closed_late(h), "owner": h.owner or "",
        "guarantors": "、".join(who.guarantors), "supervisor": h.supervisor or "",
        "measures": h.measures or "", "funds": h.funds or "", "plan": h.plan or "",
        "missing": "、".join(FIVE_ELEMENTS_ZH[m] for m in h.five_elements_missing()),
        "status": R.status(h, end).label,
    }


def _listed_on(h: Hazard) -> dt.date | None:
    """Where a major hazard sorts in the 挂牌督办清单: its listing day; an open one not listed
    yet by the day it was found (it belongs on the list, marked 未挂牌); None for a closed one
    never listed."""
    if h.listing is not None and h.listing.date is not None:
        return h.listing.date
    return h.found if h.closed is None else None


def _listed_row(h: Hazard, end: dt.date, acceptance_days: int) -> dict:
    """One row of the bulletin's 挂牌督办清单 (seed 001 (1), seed 004's 四个清单)."""
    lst = h.listing if h.listing is not None and h.listing.date is not None else None

    def day(d: dt.date | None) -> str:
        return d.isoformat() if d is not None else ""

    by, when = ((lst.by or "未写单位"), day(lst.date)) if lst is not None else ("未挂牌", "")
    delisted = day(lst.delisted) if lst is not None else ""
    state = R.status(h, end, acceptance_days).label
    return {"id": h.id, "title": h.title, "unit": h.unit, "hazard": f"{h.title}（{h.unit}）",
            "by": by, "date": when, "listed": f"{by}（{when}）" if when else by,
            "number": (lst.number or "") if lst is not None else "",
            "tracker": (lst.tracker if lst is not None else None) or "未明确",
            "deadline": day(h.deadline), "status": state, "delisted": delisted,
            "state": f"{state}，{delisted}摘牌" if delisted else state}


def _tasks(ws: Workspace, w: Window, end: dt.date) -> dict:
    states = task_states(ws.tasks, ws.progress, end)
    by_measure: dict[str, Counter] = defaultdict(Counter)
    by_unit: dict[str, Counter] = defaultdict(Counter)
    shown: dict[str, str] = {}  # folded name → the spelling first seen (各级/各級 are one row)
    due_rows, missed_rows = [], []
    for s in states:
        overdue = s.due is not None and end > s.due and not s.done
        m = by_measure[s.task.measure or "（未分措施）"]
        m["total"] += 1
        m["done"] += s.done
        m["overdue"] += overdue
        for unit, report in s.latest.items():
            u = by_unit[shown.setdefault(fold(unit), unit)]
            u["total"] += 1
            done = report is not None and report.status.value in ("done", "ongoing")
            u["done"] += done
            u["overdue"] += s.due is not None and end > s.due and not done
        if s.due is not None and w.start <= s.due <= w.end:
            row = {"no": s.task.no, "task": s.task.task, "due": s.due.isoformat(),
                   "status": s.status.label, "pending": "；".join(s.pending_units)}
            due_rows.append(row)
            if s.due < end and not s.done:
                missed_rows.append(row)
    return {
        "total": len(states), "done": sum(s.done for s in states),
        "by_measure": [{"name": k, **c} for k, c in by_measure.items()],
        "by_unit": sorted(({"name": k, **c} for k, c in by_unit.items()),
                          key=lambda r: (-r["overdue"], -r["total"], r["name"])),
        "due": due_rows, "missed": missed_rows,
    }


def _duties(ws: Workspace, w: Window, today: dt.date, directory: Directory) -> dict:
    """Every duty of every holder in the period vs what was held, with why an unmet one is
    unmet: cadres (领导干部) and enterprise principals (企业主要负责人) apart."""
    from anquan_cli.rules.duties import is_enterprise_holder

    status = {"met": "已完成", "not_met": "未完成", "in_progress": "进行中", "exceeded": "超过上限"}
    groups: dict[str, list[dict]] = {"leaders": [], "enterprises": []}
    for r in duty_status(duties_in_force(ws.duties, ws.campaigns), ws.activities, directory, w, today, ws.config.level.value):
        row = {"name": r.holder.name, "title": r.holder.title or "", "duty": r.duty.action,
               "activity": r.duty.activity.label, "required": r.required, "done": r.done,
               "status": status[r.status], "why": "；".join(r.reasons)}
        groups["enterprises" if is_enterprise_holder(r.holder, directory) else "leaders"].append(row)
    for rows in groups.values():
        rows.sort(key=lambda r: (r["status"] != "未完成", r["name"], r["duty"]))
    return groups


def _changes(known: list[Hazard], w: Window, end: dt.date) -> dict:
    """What happened to hazards in the period (the weekly dispatch's emphasis)."""
    def rows(pred):
        return [{"id": h.id, "title": h.title, "unit": h.unit, "level": h.level.label, "date": d.isoformat()}
                for h in known for d in pred(h) if w.start <= d <= end]

    return {
        "found": rows(lambda h: [h.found]),
        "rectified": rows(lambda h: [d] if (d := rectified_date(h)) else []),
        "closed": rows(lambda h: [h.closed] if h.closed else []),
        "escalated": rows(lambda h: _first(h, EventKind.ESCALATED)),
        "extended": rows(lambda h: _first(h, EventKind.EXTENDED)),
    }


#: days ahead that "coming" lists deadlines for
COMING_DAYS = 7


def _coming_tasks(ws: Workspace, after: dt.date, days: int) -> dict:
    until = after + dt.timedelta(days=days)
    tasks = [{"no": s.task.no, "task": s.task.task, "due": s.due.isoformat(), "pending": "；".join(s.pending_units)}
             for s in task_states(ws.tasks, ws.progress, after)
             if s.due is not None and after < s.due <= until and not s.done]
    return {"from": (after + dt.timedelta(days=1)).isoformat(), "to": until.isoformat(), "tasks": tasks}


def windows(kind: str, w: Window, today: dt.date) -> list[Window]:
    """The windows a report shows figures of: the period, the one before, and for an annual
    summary each month of the year begun by today."""
    out = [w, previous(w, kind)]
    if kind == "annual":
        for month in range(1, 13):
            m = window_of(Period.MONTH, dt.date(w.start.year, month, 1))
            if m.start > today:
                break
            out.append(m)
    return out


def hazard_part(hazards: list[Hazard], kind: str, w: Window, today: dt.date, directory: Directory,
                guarantees: R.Guarantees, acceptance_days: int, enforcement: tuple | None = None,
                campaigns: list | None = None) -> dict:
    """What ``hazards`` bring to a report, as plain values that add up over any split of the
    ledger into files kept in order (see :func:`merge_parts`): counts, counters per level,
    sector and township, and the listed rows with the keys they are sorted by.  A report of a
    province keeps this per hazard file, so one changed file is all it computes again."""
    end = min(w.end, today)
    known = R.as_of(hazards, end)
    counts = []
    for each in windows(kind, w, today):
        e = min(each.end, today)
        counts.append(_counts(known if e == end else R.as_of(hazards, e), each, e, acceptance_days))
    until = end + dt.timedelta(days=COMING_DAYS)
    enforcement_gaps = []
    if enforcement is not None:  # (the actions as of the end, the settings): the hazards' enforcement gaps
        from anquan_cli.rules import enforcement as E

        actions, settings = enforcement
        enforcement_gaps = [(list(E.gap_key(g)), {**g.as_json(end), "rule_label": E.RULES[g.rule]})
                            for g in E.hazard_gaps(known, actions, end, settings)]
    phases = {}
    if campaigns:  # 专项行动: what each phase found and closed (rules/campaigns.py)
        from anquan_cli.rules.campaigns import phase_figures

        phases = {c.id: [[f.found, f.found_major, f.closed] for f in phase_figures(c, known, end)] for c in campaigns}
    return {
        "enforcement_gaps": enforcement_gaps,
        "campaign_phases": phases,
        "listed": [((lst_day.isoformat(), h.id), _listed_row(h, end, acceptance_days))
                   for h in known if h.level is Level.MAJOR and h.found <= end
                   and (lst_day := _listed_on(h)) is not None
                   and (h.listing is None or h.listing.delisted is None or h.listing.delisted >= w.start)],
        "counts": counts,
        "by_level": _breakdown_counts(known, w, end, lambda h: h.level.label),
        "by_sector": _breakdown_counts(known, w, end, lambda h: R.sector_of(h, directory)),
        "by_township": _breakdown_counts(known, w, end, lambda h: R.township_of(h, directory)),
        "major_open": [((h.found.isoformat(), h.id), _hazard_row(h, end, directory, guarantees))
                       for h in known if h.closed is None and h.level is Level.MAJOR and h.found <= end],
        "overdue": [(R.overdue_key(h, end), _hazard_row(h, end, directory, guarantees))
                    for h in known if R.is_overdue(h, end)],
        "coming": [((h.deadline.isoformat(), h.id),
                    {"id": h.id, "title": h.title, "unit": h.unit, "level": h.level.label,
                     "deadline": h.deadline.isoformat(), "owner": h.owner or ""})
                   for h in known if h.closed is None and h.deadline is not None and end < h.deadline <= until],
        "changes": _changes(known, w, end),
        "gaps": [g.as_json() for g in hazard_gaps(known, guarantees, directory)],
        "sectors": sorted(hazard_sectors(known, directory)),
    }


def merge_parts(parts: list[dict]) -> dict:
    """One :func:`hazard_part` of the whole ledger from those of its files, in file order:
    counts summed, counters summed per name, rows concatenated then sorted by their keys
    (stable, so ties keep the ledger's order, as sorting the whole ledger would)."""
    if len(parts) == 1:
        merged = dict(parts[0])
    else:
        merged = {"counts": [[sum(c) for c in zip(*rows)] for rows in zip(*(p["counts"] for p in parts))]}
        for attr in ("by_level", "by_sector", "by_township"):
            rows: dict[str, list[int]] = {}
            for p in parts:
                for name, counts in p[attr].items():
                    got = rows.get(name)
                    rows[name] = list(counts) if got is None else [a + b for a, b in zip(got, counts)]
            merged[attr] = rows
        for attr in ("major_open", "overdue", "coming", "gaps", "enforcement_gaps", "listed"):
            merged[attr] = [row for p in parts for row in p[attr]]
        phases: dict[str, list[list[int]]] = {}
        for p in parts:
            for cid, rows_ in p["campaign_phases"].items():
                got_ = phases.get(cid)
                phases[cid] = [list(r) for r in rows_] if got_ is None else [
                    [a + b for a, b in zip(x, y)] for x, y in zip(got_, rows_)]
        merged["campaign_phases"] = phases
        merged["changes"] = {k: [row for p in parts for row in p["changes"][k]] for k in parts[0]["changes"]}
        merged["sectors"] = sorted({s for p in parts for s in p["sectors"]})
    for attr in ("major_open", "overdue", "coming", "listed"):
        merged[attr] = [row for _, row in sorted(merged[attr], key=lambda kr: tuple(kr[0]))]
    return merged


def _a_year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def year_before(w: Window) -> Window:
    """The same period a year earlier (同比)."""
    start, end = _a_year_before(w.start), _a_year_before(w.end)
    return Window(start, end, f"{start.year}年同期")


#: what a report calls its period in a sentence
_ACCIDENT_LABELS = {"weekly": "本周", "monthly": "本月", "quarterly": "本季度", "annual": "全年"}


def _accidents(ws: Workspace, kind: str, w: Window, today: dt.date, directory: Directory) -> dict:
    """事故情况 (seed 002 "严格落实事故直报制度"; the bulletin opens with it): the period's
    accidents as the records stood at its end (or today) — counts and casualties, by grade,
    kind, sector and township, 同比 (the same period a year before) and 环比 (the one before),
    each accident listed with its late reports (条例第九、十条)."""
    from anquan_cli.rules import accidents as A

    settings = ws.config.settings.accidents
    end = min(w.end, today)
    known = A.as_of(ws.accidents, end)
    now = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
    chosen = A.in_window(known, w.start, end)
    prev, last_year = previous(w, kind), year_before(w)
    figures = A.totals(chosen)

    def grouped(key) -> list[dict]:
        rows: dict[str, list] = {}
        for a in chosen:
            name = key(a) or "（未注明）"
            got = rows.setdefault(name, [0, 0, 0, 0.0])
            got[0] += 1
            got[1] += a.deaths
            got[2] += a.serious_injuries
            got[3] += a.direct_loss or 0
        return [{"name": name, "count": c, "deaths": d, "serious_injuries": s, "direct_loss": round(x, 4),
                 "direct_loss_text": f"{x:g}"} for name, (c, d, s, x) in sorted(rows.items(), key=lambda kv: (-kv[1][0], kv[0]))]

    listed = []
    by_grade = {g.label: 0 for g in A.AccidentGrade}
    for a in chosen:
        grade = A.grade_of(a, settings.missing_as_deaths)
        by_grade[grade.label] += 1
        late = A.late_clocks(a, directory, now, ws.config.level.value, settings.missing_as_deaths)
        listed.append({
            "id": a.id, "occurred": A.moment_text(a.occurred),
            "title": a.title, "unit": a.unit, "township": A.township_of(a, directory) or "",
            "kind": a.kind.label if a.kind is not None else "", "grade": grade.label,
            "deaths": f"{a.deaths}（另失踪 {a.missing}）" if a.missing else a.deaths,
            "missing": a.missing, "serious_injuries": a.serious_injuries, "minor_injuries": a.minor_injuries,
            "direct_loss": f"{a.direct_loss:g}" if a.direct_loss is not None else "",
            "late": "、".join(f"{c.label}迟报{A.duration(c.minutes_late(now) or 0).replace(' ', '')}" if c.done
                             else f"{c.label}未见上报" for c in late),
            "concealment": a.concealment.kind.label if a.concealment is not None else "",
        })

    def against(before: A.Totals) -> list[dict]:
        """Each figure now and then, the change in words (增加/减少/持平 and by how much)."""
        rows = []
        for key, name, unit in (("count", "事故起数", "起"), ("deaths", "死亡人数", "人"), ("missing", "失踪人数", "人"),
                                ("serious_injuries", "重伤人数", "人"), ("minor_injuries", "轻伤人数", "人"),
                                ("direct_loss", "直接经济损失（万元）", "万元")):
            c = A.compare(figures, before)[key]
            change = c["change"]
            word = "持平" if change == 0 else ("增加" if change > 0 else "减少")
            detail = "" if change == 0 else f"{abs(change):g}{unit}" + (f"，{abs(c['pct']):g}%" if c["pct"] is not None else "")
            rows.append({"name": name, "now": f"{c['now']:g}", "before": f"{c['before']:g}",
                         "change": f"{word}{detail}",
                         # the same as numbers (report --format json)
                         "key": key, "values": {"now": c["now"], "before": c["before"], "change": change,
                                                "pct": c["pct"]}})
        return rows

    label = _ACCIDENT_LABELS[kind]
    late_count = sum(1 for row in listed if row["late"])
    concealed = sum(1 for row in listed if row["concealment"])
    if chosen:
        f = figures
        grades = "、".join(f"{name}事故 {n} 起" for name, n in by_grade.items() if n)
        summary = (f"{label}共发生生产安全事故 {f.count} 起，死亡 {f.deaths} 人" + (f"、失踪 {f.missing} 人" if f.missing else "")
                   + f"，重伤 {f.serious_injuries} 人，轻伤 {f.minor_injuries} 人，直接经济损失 {f.direct_loss:g} 万元；其中{grades}"
                   + (f"；{late_count} 起未在规定时限内逐级报告" if late_count else "")
                   + (f"，{concealed} 起经认定瞒报、谎报或迟报" if concealed else "") + "。")
    else:
        summary = f"{label}未发生生产安全事故。"
    trend = []
    for m in windows(kind, w, today)[2:] if kind == "annual" else []:
        month = A.in_window(known, m.start, min(m.end, end))
        trend.append({"label": f"{m.start.month}月", "count": len(month), "deaths": sum(a.deaths for a in month)})
    return {
        "summary": summary,
        "trend": trend,
        "figures": {**figures.as_dict(), "direct_loss_text": f"{figures.direct_loss:g}"},
        "previous": against(A.totals(A.in_window(A.as_of(ws.accidents, prev.end), prev.start, prev.end))),
        "year_before": against(A.totals(A.in_window(A.as_of(ws.accidents, last_year.end),
                                                    last_year.start, last_year.end))),
        "previous_label": prev.label, "year_before_label": last_year.label,
        # a year's period before is the year before: one comparison, not two
        "one_comparison": prev.start == last_year.start and prev.end == last_year.end,
        "by_grade": [{"name": name, "count": n} for name, n in by_grade.items()],
        "by_kind": grouped(lambda a: a.kind.label if a.kind is not None else None),
        "by_sector": grouped(lambda a: A.sector_of(a, directory)),
        "by_township": grouped(lambda a: A.township_of(a, directory)),
        "list": listed,
        "late": late_count,
        "concealed": concealed,
    }


def enforcement_inputs(ws: Workspace, w: Window, today: dt.date) -> tuple:
    """What a hazard part needs to find its enforcement gaps at the period's end."""
    from anquan_cli.rules import enforcement as E

    return E.as_of(ws.enforcement, min(w.end, today)), ws.config.settings.enforcement


def _enforcement(ws: Workspace, kind: str, w: Window, today: dt.date, directory: Directory) -> dict:
    """执法检查和打非治违 (seeds 001, 002, 003): the period's figures, the departments ranked
    (执法处罚量化评比), the gaps between enforcement and the hazards at the period's end, and
    the period's actions."""
    from anquan_cli.rules import enforcement as E

    end = min(w.end, today)
    actions = E.as_of(ws.enforcement, end)
    ranking = E.stats(actions, w.start, end, "department", directory)
    total = E.Stats("合计")
    for s in ranking:
        for name in ("inspections", "hazards_found", "penalties", "fines", "suspensions", "closures", "interviews",
                     "referrals"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
    found = E.action_gaps(actions, end)  # the hazards' gaps come with the hazard parts
    listed = sorted((e for e in actions if w.start <= e.date <= end), key=lambda e: (e.date, e.id))
    t = total
    summary = (f"{_ACCIDENT_LABELS[kind]}各执法部门开展执法检查 {t.inspections} 次，检查发现隐患 {t.hazards_found} 项；"
               f"作出行政处罚 {t.penalties} 起，罚款 {t.fines:g} 万元；责令停产停业整顿 {t.suspensions} 家，关闭取缔 "
               f"{t.closures} 家；约谈 {t.interviews} 次，移送 {t.referrals} 起。")
    return {
        "summary": summary,
        "figures": {**total.as_json(0), "fines_text": f"{total.fines:g}"},
        "ranking": [{**s.as_json(i), "fines_text": f"{s.fines:g}"} for i, s in enumerate(ranking, 1)],
        "gaps": [(list(E.gap_key(g)), {**g.as_json(end), "rule_label": E.RULES[g.rule]}) for g in found],
        "list": [{"id": e.id, "date": e.date.isoformat(), "type": e.type.label, "unit": e.unit, "by": e.by,
                  "what": "、".join(m.label for m in e.measures) + (f" {e.amount:g}万元" if e.amount else ""),
                  "hazards": "、".join(e.hazards)} for e in listed],
    }


def _campaigns(ws: Workspace, w: Window, today: dt.date, directory: Directory) -> list[dict]:
    """专项行动进展 (seeds 001 四、阶段安排 and 002's 报送 nodes): each campaign that runs in the period,
    its phase at the period's end, and each node's submissions then (who is missing, who was late)."""
    from anquan_cli.rules import campaigns as C

    end = min(w.end, today)
    running = [c for c in C.with_grid_units(ws.campaigns, ws) if (c.first_day is None or c.first_day <= end)
               and (c.last_day is None or c.last_day >= w.start)]
    grouped = C.by_node(C.node_units(running, ws.submissions, directory, end))
    out = []
    for c in running:
        nodes = []
        for n in c.nodes:
            mine = grouped.get((c.id, n.id), [])
            count = C.counts(mine)
            missing = [r.unit for r in mine if r.status == "missing"]
            late = [f"{r.unit}（{r.days_late} 天）" for r in mine if r.status == "late"]
            nodes.append({"title": n.title, "due": n.due.isoformat(), "units": len(mine), **count,
                          "missing_text": "、".join(missing) or "—", "late_text": "、".join(late) or "—"})
        now = C.standing(c, end)
        phases = [{"name": p.name, "from": p.start.isoformat() if p.start else "", "until": p.end.isoformat()}
                  for p in c.phases]
        out.append({"id": c.id, "title": c.title, "basis": c.basis or "", "phase": now.label,
                    "from": c.first_day.isoformat() if c.first_day else "", "until": c.last_day.isoformat() if c.last_day else "",
                    "nodes": nodes, "phases": phases})
    return out


def _tipoffs(ws: Workspace, w: Window, today: dt.date, directory: Directory) -> dict | None:
    """举报核查 (seed 002 "及时核查处理举报事项", "落实举报奖励"): the period's tip-offs received, verified
    and found 属实, the rewards, and the ones open at its end — never a reporter (a report's
    workspace is loaded without them).  None when the workspace keeps no tip-offs."""
    from anquan_cli.rules import tipoffs as T

    if not ws.tipoffs:
        return None
    s = ws.config.settings.tipoffs
    end = min(w.end, today)
    fig = T.summary(ws.tipoffs, w.start, end, s)
    open_ = []
    for c in T.open_clocks(T.as_of(ws.tipoffs, end), end, s):
        t = c.tipoff
        if c.kind == "reward":
            state, due = "奖励已批准未发放", "—"
        else:
            state, due = f"{T.CLOCKS[c.kind]}逾期 {c.days_over(end)} 天", str(c.due)
        open_.append({"id": t.id, "subject": t.subject or "", "unit": t.unit or t.township or "",
                      "handler": t.handler or "", "due": due, "state": state})
    channels = "、".join(f"{k}{v}件" for k, v in sorted(fig.by_channel.items(), key=lambda kv: -kv[1]))
    return {"received": fig.received, "channels": channels, "verified": fig.verified,
            "substantiated": fig.substantiated, "partly": fig.partly, "unsubstantiated": fig.unsubstantiated,
            "verified_late": fig.verified_late, "pending": fig.pending, "overdue": fig.overdue,
            "feedback_overdue": fig.feedback_overdue, "hazards": fig.hazards,
            "rewards_approved": fig.rewards_approved, "rewards_approved_amount": f"{fig.rewards_approved_amount:g}",
            "rewards_paid": fig.rewards_paid, "rewards_paid_amount": f"{fig.rewards_paid_amount:g}",
            "rewards_unpaid": fig.rewards_unpaid, "rewards_unpaid_amount": f"{fig.rewards_unpaid_amount:g}",
            "open": open_}


def _risks(ws: Workspace, w: Window, today: dt.date, directory: Directory) -> dict | None:
    """重大风险管控 (seeds 000 二（五）, 002 (十七)(十八), 004 三（二）): the register by grade and colour at the
    period's end, the 重大 risks that may cause mass casualties and how many are listed, and the
    control gaps then.  None when the workspace keeps no register."""
    from anquan_cli.models.risk import RiskGrade
    from anquan_cli.rules import risks as K

    if not ws.risks:
        return None
    end = min(w.end, today)
    s = ws.config.settings.risks
    grades = [{"grade": g.label, "colour": g.colour.label, "count": sum(1 for r in ws.risks if r.grade is g),
               "mass_casualty": sum(1 for r in ws.risks if r.grade is g and r.mass_casualty)} for g in RiskGrade]
    mass = [r for r in ws.risks if r.grade is RiskGrade.MAJOR and r.mass_casualty]
    found = K.gaps(sorted(ws.risks, key=lambda r: (r.grade.rank, r.id)), end, s)
    listed = sum(1 for r in mass if r.listing is not None and r.listing.by and r.listing.date
                 and r.listing.date <= end)
    towns: dict[str, list[int]] = {}  # the 安全风险空间分布 (seed 004): each township's risks by grade
    for r in ws.risks:
        town = place_township(r, directory) or "未注明乡镇"
        towns.setdefault(town, [0] * len(RiskGrade))[r.grade.rank] += 1
    by_township = [{"name": t, "counts": c} for t, c in sorted(towns.items(), key=lambda tc: (-sum(tc[1]), tc[0]))]
    return {"total": len(ws.risks), "grades": grades, "mass": len(mass), "mass_listed": listed,
            "by_township": by_township,
            "summary": "、".join(f"{g['grade']}（{g['colour']}）{g['count']}项" for g in grades),
            "gaps": [{"rule_label": K.RULES[g.rule], "risk": g.risk, "message": g.message} for g in found]}


def _grades(ws: Workspace, w: Window, today: dt.date, directory: Directory) -> dict | None:
    """分级分类监管 (seed 004 二（三）): the enterprises per grade, how many have their regulating
    department and person, their inspections in the period, and the grade periods that ended inside
    it with fewer inspections than the grade asks.  None when no enterprise is graded."""
    from anquan_cli.models import Grade, UnitKind
    from anquan_cli.rules import units as U

    firms = [u for u in ws.units if u.kind is UnitKind.ENTERPRISE]
    if not any(u.grade is not None for u in firms):
        return None
    end = min(w.end, today)
    seen = U.inspections_of(firms, ws.enforcement, ws.activities, directory)
    # judged the day after the period's end (its last day is then over), as of what was known then
    found = U.gaps(firms, ws.enforcement, ws.activities, directory, end + dt.timedelta(days=1),
                   ws.config.settings.grades, end.year)
    # the period's own misses: the grade periods that ended inside it
    found = [g for g in found if g.rule == "inspections-short" and g.period_end is not None
             and w.start <= g.period_end <= end]
    short = {g.unit for g in found}
    rows = []
    for grade in [*Grade, None]:
        mine = [u for u in firms if u.grade is grade]
        if not mine:
            continue
        freq = ws.config.settings.grades.get(grade) if grade is not None else None
        rows.append({"grade": f"{grade.value}级" if grade is not None else "未分级", "count": len(mine),
                     "regulated": sum(1 for u in mine if u.regulator and u.regulator_person),
                     "inspections": sum(1 for u in mine for d in seen.get(u.name, []) if w.start <= d <= end),
                     "rule": f"{freq.period.label}{freq.min}次" if freq is not None else "—",
                     "short": sum(1 for u in mine if u.name in short)})
    return {"rows": rows, "short": [{"unit": g.unit, "period": g.period, "done": g.done, "required": g.required}
                                    for g in found]}


def _patrols(ws: Workspace, w: Window, today: dt.date, directory: Directory) -> dict | None:
    """巡查考核 (seed 002 (六)): each lower level's 巡查 and 考核 of the year, ranked by score, and who
    is missing one.  None when the workspace keeps no 巡查考核 records."""
    from anquan_cli.rules import patrols as P

    if not ws.patrols:
        return None
    lower = P.targets(ws.units, ws.config.settings.patrols.targets, directory)
    rows = P.standings(ws.patrols, lower, directory, w.start.year, min(w.end, today))
    names = {"patrol": "巡查", "assessment": "考核"}
    return {"rows": [{"rank": s.rank if s.rank is not None else "—", "target": s.unit.name,
                      "patrols": len(s.patrols), "score": f"{s.score:g}" if s.score is not None else "—",
                      "missing": "、".join(names[m] for m in s.missing) or "—"} for s in rows],
            "missing": sum(1 for s in rows if s.missing), "total": len(rows)}


def _with_phase_figures(c: dict, figures: list[list[int]] | None) -> dict:
    """A campaign's row with what each phase found and closed (summed over the ledger's files)."""
    rows = figures or [[0, 0, 0] for _ in c["phases"]]
    return {**c, "phases": [{**p, "found": f[0], "major": f[1], "closed": f[2]} for p, f in zip(c["phases"], rows)]}


def workspace_part(ws: Workspace, kind: str, w: Window, today: dt.date, directory: Directory) -> dict:
    """What the records other than hazards bring to a report (tasks, duties, accidents), as
    plain values."""
    end = min(w.end, today)
    return {"tasks": _tasks(ws, w, end), "duties": _duties(ws, w, today, directory),
            "coming": _coming_tasks(ws, end, COMING_DAYS), "accidents": _accidents(ws, kind, w, today, directory),
            "enforcement": _enforcement(ws, kind, w, today, directory),
            "campaigns": _campaigns(ws, w, today, directory), "tipoffs": _tipoffs(ws, w, today, directory),
            "risks": _risks(ws, w, today, directory) if kind in ("quarterly", "annual") else None,
            "grades": _grades(ws, w, today, directory) if kind in ("quarterly", "annual") else None,
            "patrols": _patrols(ws, w, today, directory) if kind == "annual" else None}


def build_context(ws: Workspace, kind: str, w: Window, today: dt.date, provenance: dict,
                  parts: list[dict] | None = None, rest: dict | None = None) -> dict:
    """Everything a report template may use, as plain data.  ``parts``: the
    :func:`hazard_part` of each hazard file, when kept; else (or when there is no hazard file)
    computed from ``ws.hazards``; ``rest``: the :func:`workspace_part`, when kept."""
    directory = Directory.for_workspace(ws)
    end = min(w.end, today)
    if rest is None:
        rest = workspace_part(ws, kind, w, today, directory)
    if not parts:
        parts = [hazard_part(ws.hazards, kind, w, today, directory, R.Guarantees.for_workspace(ws),
                             ws.config.settings.acceptance_days, enforcement_inputs(ws, w, today), ws.campaigns)]
    merged = merge_parts(parts)
    prev = previous(w, kind)
    coming = rest["coming"]
    figs = [_figures_of(c) for c in merged["counts"]]
    ctx = {
        "kind": kind, "kind_name": KINDS[kind][1],
        "jurisdiction": ws.config.jurisdiction,
        "period": {"label": w.label, "start": w.start.isoformat(), "end": w.end.isoformat(),
                   "as_of": end.isoformat(), "complete": w.end <= today},
        "previous": {"label": prev.label, "start": prev.start.isoformat(), "end": prev.end.isoformat()},
        "figures": figs[0].as_dict(),
        "previous_figures": figs[1].as_dict(),
        "by_level": _breakdown(merged["by_level"]),
        "by_sector": _breakdown(merged["by_sector"]),
        "by_township": _breakdown(merged["by_township"]),
        "major_open": merged["major_open"],
        "overdue": merged["overdue"],
        "tasks": rest["tasks"],
        "duties": rest["duties"],
        "accidents": rest["accidents"],
        "campaigns": [_with_phase_figures(c, merged["campaign_phases"].get(c["id"])) for c in rest["campaigns"]],
        "listed": merged["listed"],
        "tipoffs": rest["tipoffs"],
        "risks": rest["risks"],
        "grades": rest["grades"],
        "patrols": rest["patrols"],
        # the numbers of the sections a report has only when the workspace has their records
        "more": _more_sections(kind, rest),
        "enforcement": {**rest["enforcement"], "gaps": [row for _, row in sorted(
            merged["enforcement_gaps"] + rest["enforcement"]["gaps"], key=lambda kr: tuple(kr[0]))]},
        "gaps": ([g.as_json() for g in matrix_gaps(ws.matrix, directory)] + merged["gaps"]
                 + [g.as_json() for g in sector_and_load_gaps(ws.matrix, ws.people, directory,
                                                              set(merged["sectors"]))]),
        "changes": merged["changes"],
        "coming": {"from": coming["from"], "to": coming["to"], "hazards": merged["coming"], "tasks": coming["tasks"]},
        "trend": [{"month": m.start.month, "label": f"{m.start.month}月", "found": f.found, "closed": f.closed,
                   "rectified": f.rectified, "overdue": f.overdue}
                  for m, f in zip(windows(kind, w, today)[2:], figs[2:])],
        "escalation_days": ws.config.settings.escalation_days,
        "provenance": provenance,
        # the office's own prose (reports/<period>/*.md): read by the command, numbered by the layout
        "prose": [],
        # how its documents are headed and signed (anquan.yaml ``documents:``)
        "documents": ws.config.documents.model_dump(),
    }
    return ctx


#: the sections after the fixed ones, in order, per report kind
_MORE = {"quarterly": (9, ("campaigns", "tipoffs", "risks", "grades")), "annual": (9, ("risks", "grades", "patrols"))}


def _more_sections(kind: str, rest: dict) -> dict[str, str]:
    """The Chinese numeral of each optional section present (十、十一 …) after ``kind``'s fixed ones."""
    from anquan_cli.text import int_to_cn

    fixed, names = _MORE.get(kind, (0, ()))
    present = [name for name in names if rest.get(name)]
    return {name: int_to_cn(fixed + i) for i, name in enumerate(present, 1)}


def parse_report_period(kind: str, text: str | None, today: dt.date) -> Window:
    """``--period`` for a report kind; the current one when not given."""
    return parse_period(text) if text else default_period(kind, today)


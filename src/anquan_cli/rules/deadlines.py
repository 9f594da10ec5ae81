"""Every deadline still to be met as of a day, as dated events: hazard deadlines, listing
clocks (备案, 公布), tip-off verification and feedback days, task due dates, reporting nodes
(anquan.yaml's and the campaigns') and duty period ends.  ``anquan calendar export`` writes them
as an .ics file (views/calendar.py); ``anquan summary`` lists the next ones.  Pure: the ledger as
it stood that day, no clock read."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

__all__ = ["CalEvent", "events"]


@dataclass(frozen=True)
class CalEvent:
    kind: str
    id: str
    day: dt.date
    summary: str
    description: str

    @property
    def uid(self) -> str:
        return hashlib.sha1(f"{self.kind}|{self.id}|{self.day}".encode()).hexdigest() + "@anquan"


def events(ws, today: dt.date, holidays: dict[dt.date, bool] | None = None) -> list[CalEvent]:
    from anquan_cli.models import Period
    from anquan_cli.models.deadline import DeadlineError, parse_deadline
    from anquan_cli.rules import hazards as R
    from anquan_cli.rules.periods import Window, windows
    from anquan_cli.rules.tasks import task_states

    out = []
    for h in R.known_on(ws, today):
        if h.closed is None and h.deadline is not None:
            out.append(CalEvent("hazard", h.id, h.deadline, f"隐患整改期限：{h.id} {h.title}",
                                f"{h.unit}（{h.level.label}）；责任人：{h.owner or '未填'}；督办：{h.supervisor or '无'}"))
    from anquan_cli.rules.listing import clocks

    for h in R.known_on(ws, today):
        if h.closed is not None:
            continue
        for c in clocks(h, ws.config.settings.listing, today, holidays)[0]:
            if c.code != "rectify" and c.done is None:
                tracker = h.listing.tracker if h.listing is not None else None
                out.append(CalEvent("listing", f"{h.id}/{c.code}", c.due, f"挂牌督办{c.label}：{h.id} {h.title}",
                                    f"{h.unit}；挂牌督办单位：{(h.listing.by if h.listing else None) or '未写'}；"
                                    f"跟踪督办责任人：{tracker or '未明确'}"))
    from anquan_cli.rules import tipoffs as T

    for t in T.as_of(ws.tipoffs, today):
        for clock in T.clocks(t, ws.config.settings.tipoffs):
            if clock.done is None and clock.due is not None:  # never a reporter: the workspace holds none here
                out.append(CalEvent("tipoff", f"{t.id}/{clock.kind}", clock.due, f"举报{T.CLOCKS[clock.kind]}期限：{t.id}",
                                    f"{t.subject or ''}；{t.unit or t.township or ''}；承办：{t.handler or '未写'}"))
    for s in task_states(ws.tasks, ws.progress, today):
        if s.due is not None and not s.done:
            out.append(CalEvent("task", f"{s.task.table}#{s.task.no}", s.due, f"重点任务到期：第{s.task.no}项",
                                f"{s.task.task}\n责任单位：{'；'.join(s.task.units)}\n完成时限：{s.task.deadline}"))
    for node in ws.config.reminders.nodes:
        try:
            due = parse_deadline(node.deadline, node.year or today.year).due
        except DeadlineError:
            continue
        if due is not None:
            out.append(CalEvent("node", node.title, due, f"报送节点：{node.title}", node.deadline))
    for c in ws.campaigns:
        for n in c.nodes:
            out.append(CalEvent("node", f"{c.id}:{n.id}", n.due, f"报送节点：{n.title}（{c.title}）",
                                f"{c.id}：{n.due} 前报送{('至' + n.to) if n.to else ''}；报送单位：{'、'.join(n.units)}"))
    year = Window(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), str(today.year))
    for duty in ws.duties:
        for period in {duty.period, *(o.period for o in duty.overrides)}:
            if period is Period.WEEK:
                continue  # a weekly duty would flood the calendar
            for w in windows(period, year):
                out.append(CalEvent("duty", f"{duty.id}/{period.value}", w.end,
                                    f"履职周期截止：{duty.action[:20]}", f"{duty.holder}：{w.label}至少完成"
                                    f"{duty.min}次（{duty.basis or ''}）"))
    return sorted(out, key=lambda e: (e.day, e.kind, e.id))

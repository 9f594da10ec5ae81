"""Deadlines as an iCalendar file for phone and desktop calendars: hazard deadlines, listing
clocks (备案, 公布), tip-off verification and feedback days,
task due dates, reporting nodes and duty period ends as all-day events with alarms.  UIDs and DTSTAMP
are derived from the content, so exporting an unchanged workspace gives an identical file."""

from __future__ import annotations

import datetime as dt

from anquan_cli.rules.deadlines import CalEvent

__all__ = ["to_ics"]


def to_ics(found: list[CalEvent], calendar_name: str, lead_days: list[int]) -> bytes:
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//anquan//安全生产台账//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    for e in found:
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", dt.datetime.combine(e.day, dt.time(0, 0), tzinfo=dt.timezone.utc))
        ev.add("dtstart", e.day)
        ev.add("dtend", e.day + dt.timedelta(days=1))
        ev.add("summary", e.summary)
        ev.add("description", e.description)
        ev.add("transp", "TRANSPARENT")
        for n in sorted(set(lead_days), reverse=True):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{e.summary}（还有 {n} 天）")
            alarm.add("trigger", dt.timedelta(days=-n))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()

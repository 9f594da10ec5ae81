"""Working days in China: weekends and public holidays off, official make-up working days
(调休) on.  The chinese-calendar package knows the State Council's schedule for the years it
covers; a workspace's ``holidays.yaml`` (``holidays: [...]``, ``workdays: [...]``) adds or
corrects days; beyond both, weekends only, and the caller is told so."""

from __future__ import annotations

import datetime as dt

__all__ = ["is_workday"]


def is_workday(day: dt.date, overrides: dict[dt.date, bool] | None = None) -> tuple[bool, str | None]:
    """``(working day?, note)``; the note says when the answer is only an estimate."""
    if overrides and day in overrides:
        return overrides[day], None
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - it is a dependency; kept for stripped installs
        chinese_calendar = None
    if chinese_calendar is not None:
        try:
            return chinese_calendar.is_workday(day), None
        except NotImplementedError:
            pass
    note = (f"没有 {day.year} 年的法定节假日和调休安排，按周末计算；可在工作区的 holidays.yaml 中补充"
            "（holidays: [放假日期]，workdays: [调休上班日期]）")
    return day.weekday() < 5, note

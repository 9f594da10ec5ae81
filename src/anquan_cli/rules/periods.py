"""Calendar periods: report periods as people write them (2023Q3, 2023-07, 2023H2, 2023,
2023-W34) and the windows a recurring duty is counted in (each month, each quarter …)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from anquan_cli.models import Period
from anquan_cli.text import nfkc

__all__ = ["Window", "parse_period", "windows", "window_of"]


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first: int, last: int, label: str) -> Window:
    return Window(dt.date(year, first, 1), _month_end(year, last), label)


def parse_period(text: str) -> Window:
    """``2023Q3`` / ``2023-Q3`` / ``2023年第三季度``, ``2023-07`` / ``2023年7月``, ``2023H2`` /
    ``2023年下半年``, ``2023`` / ``2023年``, ``2023-W34``."""
    from anquan_cli.text import YEARS

    m = re.match(r"\s*(\d{4})", nfkc(text))
    if m and not YEARS[0] <= int(m.group(1)) <= YEARS[1]:
        raise ValueError(f"时段“{text}”的年份不在 {YEARS[0]}–{YEARS[1]} 之间")
    return _parse_period(text)


def _parse_period(text: str) -> Window:
    t = nfkc(text).strip().upper().replace(" ", "")
    t = (t.replace("第一季度", "Q1").replace("第二季度", "Q2").replace("第三季度", "Q3")
          .replace("第四季度", "Q4").replace("上半年", "H1").replace("下半年", "H2"))
    m = re.fullmatch(r"(\d{4})年?-?Q([1-4])", t)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        return _months(y, 3 * q - 2, 3 * q, f"{y}年第{'一二三四'[q - 1]}季度")
    m = re.fullmatch(r"(\d{4})年?-?H([12])", t)
    if m:
        y, h = int(m.group(1)), int(m.group(2))
        return _months(y, 1 if h == 1 else 7, 6 if h == 1 else 12, f"{y}年{'上下'[h - 1]}半年")
    m = re.fullmatch(r"(\d{4})-W(\d{1,2})", t)
    if m:
        y, w = int(m.group(1)), int(m.group(2))
        try:
            start = dt.date.fromisocalendar(y, w, 1)
        except ValueError:
            raise ValueError(f"{y} 年没有第 {w} 周") from None
        return Window(start, start + dt.timedelta(days=6), f"{y}年第{w}周")
    m = re.fullmatch(r"(\d{4})(?:-|年)(\d{1,2})月?", t)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise ValueError(f"没有第 {mo} 月")
        return _months(y, mo, mo, f"{y}年{mo}月")
    m = re.fullmatch(r"(\d{4})年?", t)
    if m:
        y = int(m.group(1))
        return _months(y, 1, 12, f"{y}年")
    raise ValueError(f"无法识别的时段“{text}”：请写成 2023Q3、2023-07、2023H2、2023 或 2023-W34")


def window_of(kind: Period, day: dt.date) -> Window:
    """The window of a duty period that contains ``day``."""
    y, m = day.year, day.month
    if kind is Period.WEEK:
        start = day - dt.timedelta(days=day.weekday())
        iso = start.isocalendar()
        return Window(start, start + dt.timedelta(days=6), f"{iso.year}年第{iso.week}周")
    if kind is Period.MONTH:
        return _months(y, m, m, f"{y}年{m}月")
    if kind is Period.TWO_MONTHS:
        first = m if m % 2 == 1 else m - 1
        return _months(y, first, first + 1, f"{y}年{first}-{first + 1}月")
    if kind is Period.QUARTER:
        q = (m - 1) // 3 + 1
        return _months(y, 3 * q - 2, 3 * q, f"{y}年第{'一二三四'[q - 1]}季度")
    if kind is Period.HALF_YEAR:
        return _months(y, 1, 6, f"{y}年上半年") if m <= 6 else _months(y, 7, 12, f"{y}年下半年")
    return _months(y, 1, 12, f"{y}年")


def windows(kind: Period, span: Window) -> list[Window]:
    """Every window of a duty period that overlaps ``span``, in order."""
    out = []
    day = span.start
    while day <= span.end:
        w = window_of(kind, day)
        out.append(w)
        day = w.end + dt.timedelta(days=1)
    return out

"""Deadline phrases as offices write them (完成时限), turned into dates — or reported.

Seen in the seeds: "2022年9月底前完成，并长期坚持", "长期坚持", "2022年12月底前完成", "6月20日前",
"2023年5月下旬前", "2023年8-11月", "2023年12月", "至2021年10月底", "至2021年底", "加快推进",
"2022年4月至党的二十大结束", "按照市委年度巡察工作安排", "专项行动期间".  A bare year, quarter or
half (2021年, 第三季度, 上半年) is a period like a bare month; "自2022年4月起" and "从4月起" are
both "from then on"; "…期间" is bound to an event.  上旬 is the 10th, 中旬 the 20th, 下旬
and 底/末 the month's last day.  A phrase without a year takes the table's or document's year
(``year=``); without one it is an error.  Nothing is guessed: a phrase that fits no rule
raises :class:`DeadlineError`, and an event-bound phrase is kind ``event`` — no computable
end date, flagged for a person.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from anquan_cli.models._base import Vocab
from anquan_cli.text import cn_to_int, nfkc

__all__ = ["DeadlineKind", "Deadline", "DeadlineError", "parse_deadline"]


class DeadlineKind(Vocab, what="时限类型"):
    DATE = ("date", "限期完成")
    DATE_ONGOING = ("date+ongoing", "限期完成并长期坚持")
    ONGOING = ("ongoing", "长期坚持")
    PERIOD = ("period", "时段")
    ASAP = ("asap", "尽快")
    EVENT = ("event", "以事件为准")


class DeadlineError(ValueError):
    """A phrase no rule understands; the message says what to write instead."""


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: DeadlineKind
    start: dt.date | None = None
    end: dt.date | None = None
    ongoing: bool = False
    #: for ``event``: what the deadline depends on ("党的二十大结束")
    event: str | None = None

    @property
    def due(self) -> dt.date | None:
        """The day by which the task must be done (the period's end for a period)."""
        return self.end

    def as_json(self) -> dict:
        return {"start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "ongoing": self.ongoing, "kind": self.kind.value}


_ONGOING = ("长期坚持", "常态化", "长期开展", "持续开展", "长期执行")
_ASAP = ("加快推进", "尽快", "立即", "立行立改", "即时", "马上")
_SEP = re.compile(r"[,，;；、]|(?<=完成)并|并(?=长期)")
_Y = r"(?:(\d{4})年)?"
_DAY_OF_MONTH = {"上旬": 10, "中旬": 20}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _need_year(year: int | None, phrase: str) -> int:
    if year is None:
        raise DeadlineError(f"“{phrase}”没有写年份：请写全年份，或给出分工表/文件的年份（--year）")
    return year


def _check_month(m: int, phrase: str) -> int:
    if not 1 <= m <= 12:
        raise DeadlineError(f"“{phrase}”中没有第{m}月")
    return m


def _day(y: int, m: int, d: int, phrase: str) -> dt.date:
    try:
        return dt.date(y, _check_month(m, phrase), d)
    except ValueError:
        raise DeadlineError(f"日期不存在：{y}年{m}月没有{d}日（“{phrase}”）") from None


_TAIL = re.compile(r"(之前|以前|前|止|完成|结束|为止|内)+$")


def _clause_dates(clause: str, year: int | None, phrase: str):
    """(start, end) of one clause with dates, or None when the clause has no date."""
    c = _TAIL.sub("", re.sub(r"^(至|到|于|在|截至|截止)", "", clause))
    # 2023年8-11月 / 2023年8月至11月 / 2023年8月-2023年11月
    m = re.fullmatch(_Y + r"(\d{1,2})月?[-~—–至到](?:(\d{4})年)?(\d{1,2})月(?:底|末)?", c)
    if m:
        y1 = int(m.group(1)) if m.group(1) else _need_year(year, phrase)
        y2 = int(m.group(3)) if m.group(3) else y1
        start = dt.date(y1, _check_month(int(m.group(2)), phrase), 1)
        end = _month_end(y2, _check_month(int(m.group(4)), phrase))
        if end < start:
            raise DeadlineError(f"“{phrase}”的结束早于开始")
        return start, end
    m = re.fullmatch(_Y + r"(\d{1,2})月(\d{1,2})[日号]", c)
    if m:
        y = int(m.group(1)) if m.group(1) else _need_year(year, phrase)
        return None, _day(y, int(m.group(2)), int(m.group(3)), phrase)
    m = re.fullmatch(_Y + r"(\d{1,2})月(上旬|中旬|下旬|底|末|月底|月末)", c)
    if m:
        y = int(m.group(1)) if m.group(1) else _need_year(year, phrase)
        month = _check_month(int(m.group(2)), phrase)
        if m.group(3) in _DAY_OF_MONTH:
            return None, dt.date(y, month, _DAY_OF_MONTH[m.group(3)])
        return None, _month_end(y, month)
    m = re.fullmatch(_Y + r"(?:年底|年末|底|末)", c) if re.search(r"(年底|年末|\d{4}年(底|末))$", c) else None
    if m:
        y = int(m.group(1)) if m.group(1) else _need_year(year, phrase)
        return None, dt.date(y, 12, 31)
    before = re.search(r"(前|之前|以前)$", clause) is not None
    by_end = re.search(r"(完成|内|结束|为止)$", clause) is not None  # "上半年完成": by its last day
    m = re.fullmatch(_Y + r"(上半年|下半年)(底|末)?", c)
    if m:  # 上半年: a period (January to June); 上半年底/末 (前): its last day
        y = int(m.group(1)) if m.group(1) else _need_year(year, phrase)
        first, last = (1, 6) if m.group(2) == "上半年" else (7, 12)
        if m.group(3) or by_end:
            return None, _month_end(y, last)
        if before:
            raise DeadlineError(f"“{phrase}”不明确：是{m.group(2)}开始之前，还是{m.group(2)}结束之前？"
                                f"请写“{m.group(2)}底前”或具体日期")
        return dt.date(y, first, 1), _month_end(y, last)
    m = re.fullmatch(_Y + r"第?([1-4一二三四])季度(底|末)?", c)
    if m:  # 第三季度: a period; 第三季度末 (前): the quarter's last day
        y = int(m.group(1)) if m.group(1) else _need_year(year, phrase)
        q = "1234一二三四".index(m.group(2)) % 4 + 1
        if m.group(3) or by_end:
            return None, _month_end(y, 3 * q)
        if before:
            raise DeadlineError(f"“{phrase}”不明确：是第{q}季度开始之前，还是结束之前？请写“第{q}季度末前”或具体日期")
        return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    m = re.fullmatch(r"(\d{4})年(?:度)?", c)
    if m:  # a bare year: the whole year (年内 and 年度 too); "2021年前" says neither start nor end
        y = int(m.group(1))
        if by_end:
            return None, dt.date(y, 12, 31)
        if before:
            raise DeadlineError(f"“{phrase}”不明确：是{y}年开始之前，还是{y}年底之前？请写“{y}年底前”或具体日期")
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    m = re.fullmatch(_Y + r"(\d{1,2})月", c)
    if m and not re.search(r"(前|之前|以前)$", clause):
        y = int(m.group(1)) if m.group(1) else _need_year(year, phrase)
        month = _check_month(int(m.group(2)), phrase)
        return dt.date(y, month, 1), _month_end(y, month)
    if re.search(r"\d", c):
        raise DeadlineError(f"无法识别的完成时限“{phrase}”：请写成“2023年9月底前完成”“2023年6月20日前”"
                            f"“2023年8-11月”或“长期坚持”")
    return None


_CN_DATE_NUMBER = re.compile("[〇零○一二两三四五六七八九十百千]+(?=[年月日号])")


def _date_numerals(text: str) -> str:
    """Chinese numerals that count years, months or days to digits (二〇二二年十二月 →
    2022年12月); others stay (党的二十大)."""
    return _CN_DATE_NUMBER.sub(lambda m: str(cn_to_int(m.group(0))), text)


_EVENT_LEAD = re.compile(r"^(按照|根据|依据|视|随)")
_EVENT_SPAN = re.compile(r"^(.+?)(期间|时期|阶段)(内)?$")
_START_THEN = re.compile(r"^(?:自|从)?" + _Y + r"(\d{1,2})月(?:(\d{1,2})日)?(?:起)?至(.+)$")
_FROM_ON = re.compile(r"^(?:自|从)" + _Y + r"(\d{1,2})月(?:(\d{1,2})日)?(?:起|开始)(.*)$")


def parse_deadline(text: str, year: int | None = None) -> Deadline:
    """Read one deadline phrase; ``year`` is the table's or document's year.  A year outside
    the living range (1900–2199) is an error, not a date to compute with."""
    from anquan_cli.text import YEARS

    try:
        d = _parse_deadline(text, year)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, DeadlineError):
            raise
        raise DeadlineError(f"“{text}”：{exc}") from None
    for day in (d.start, d.end):
        if day is not None and not YEARS[0] <= day.year <= YEARS[1]:
            raise DeadlineError(f"“{text}”的年份 {day.year} 不在 {YEARS[0]}–{YEARS[1]} 之间")
    return d


def _parse_deadline(text: str, year: int | None = None) -> Deadline:
    if not isinstance(text, str) or not text.strip():
        raise DeadlineError("完成时限是空的")
    raw = text
    t = _date_numerals(re.sub(r"\s+", "", nfkc(text)).rstrip("的。."))
    ongoing = any(w in t for w in _ONGOING)
    asap = any(w in t for w in _ASAP)
    # event-bound: "按照市委年度巡察工作安排", "2022年4月至党的二十大结束"
    if _EVENT_LEAD.match(t):
        return Deadline(raw, DeadlineKind.EVENT, ongoing=ongoing, event=t)
    # event-bound periods: "专项行动期间", "党的二十大期间", "重点敏感时期" — no computable dates
    m = _EVENT_SPAN.match(t)
    if m and not re.search(r"\d", t):
        return Deadline(raw, DeadlineKind.EVENT, ongoing=ongoing, event=t)
    # "自2022年4月起" and "从4月起" alike: from that day on (and then ongoing)
    m = _FROM_ON.match(t)
    if m and not re.search(r"\d|至|到", m.group(4)):
        y = int(m.group(1)) if m.group(1) else _need_year(year, raw)
        start = _day(y, int(m.group(2)), int(m.group(3) or 1), raw)
        return Deadline(raw, DeadlineKind.ONGOING, start=start, ongoing=True)
    m = _START_THEN.match(t)
    if m and not re.fullmatch(r"(\d{4}年)?\d{1,2}月(底|末)?", m.group(4)):
        y = int(m.group(1)) if m.group(1) else _need_year(year, raw)
        start = _day(y, int(m.group(2)), int(m.group(3) or 1), raw)
        return Deadline(raw, DeadlineKind.EVENT, start=start, ongoing=ongoing, event=m.group(4))
    start = end = None
    for clause in (c for c in _SEP.split(t) if c):
        if any(w in clause for w in _ONGOING + _ASAP) and not re.search(r"\d", clause):
            continue
        found = _clause_dates(clause, year, raw)
        if found is None:
            raise DeadlineError(f"无法识别的完成时限“{raw}”（不认识“{clause}”）：请写成“2023年9月底前完成”"
                                f"“2023年8-11月”“长期坚持”或“加快推进”")
        if end is not None:
            raise DeadlineError(f"“{raw}”中有两个时限，请只写一个")
        start, end = found
    if end is not None:
        if start is not None:
            return Deadline(raw, DeadlineKind.PERIOD, start=start, end=end, ongoing=ongoing)
        return Deadline(raw, DeadlineKind.DATE_ONGOING if ongoing else DeadlineKind.DATE,
                        end=end, ongoing=ongoing)
    if asap:
        return Deadline(raw, DeadlineKind.ASAP, ongoing=ongoing)
    if ongoing:
        return Deadline(raw, DeadlineKind.ONGOING, ongoing=True)
    raise DeadlineError(f"无法识别的完成时限“{raw}”：请写成“2023年9月底前完成”“2023年8-11月”“长期坚持”或“加快推进”")

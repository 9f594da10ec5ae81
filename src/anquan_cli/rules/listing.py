"""挂牌督办: which major hazards are listed, by whom and under whose tracking, and the listing's
clocks.  Nothing here reads or writes files.

Sources:
* seed 001 一(1): "对企业自查以及执法检查发现的重大事故隐患，要挂牌督办，并明确跟踪督办的具体责任人" —
  a major hazard's listing names the listing body, the day and the tracking person;
* seed 002 ("由市安委会挂牌督办") and 003: the listing body is the committee of the level that lists;
* seed 004: the 重大隐患挂牌督办清单 is one of the 四个清单 — :func:`listed` is that list;
* 摘牌 (taking the listing down) follows 销号: a hazard is delisted only once closed.

The clocks (备案, 公布, the longest rectification) are the workspace's own
(``settings.listing``): the notices leave the days to the listing body.  Working days come
from the official calendar (:mod:`anquan_cli.rules.workdays`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from anquan_cli.models import EventKind, Hazard, Level
from anquan_cli.models.config import ListingSettings
from anquan_cli.models.hazard import LISTING_LABELS
from anquan_cli.rules.hazards import Change, Refused, _check_day, _event
from anquan_cli.rules.workdays import is_workday

__all__ = ["Clock", "Listed", "add_workdays", "became_major", "clocks", "listed", "listing_problems", "plan_listing",
           "plan_delist"]



def add_workdays(start: dt.date, n: int, holidays: dict[dt.date, bool] | None = None) -> tuple[dt.date, list[str]]:
    """The ``n``-th working day after ``start`` ("within n working days": ``start`` itself not
    counted), and the notes of days only estimated (a year the calendar does not cover)."""
    day, left, notes = start, n, []
    while left > 0:
        day += dt.timedelta(days=1)
        working, note = is_workday(day, holidays)
        if note and note not in notes:
            notes.append(note)
        if working:
            left -= 1
    return day, notes


@dataclass(frozen=True)
class Clock:
    """One listing clock of a hazard as of a day."""

    code: str  # file | publish | rectify
    label: str
    due: dt.date
    done: dt.date | None
    late: bool  # done after it was due, or not done and the day is past it

    def as_json(self) -> dict:
        return {"code": self.code, "label": self.label, "due": self.due.isoformat(),
                "done": self.done.isoformat() if self.done else None, "late": self.late}


def became_major(h: Hazard) -> dt.date:
    """The day a major hazard became one: found so, or escalated (seed 000) later."""
    return min((e.date for e in h.history if e.event is EventKind.ESCALATED), default=h.found)


def _late(done: dt.date | None, due: dt.date, today: dt.date) -> bool:
    return done > due if done is not None else today > due


def clocks(h: Hazard, settings: ListingSettings, today: dt.date,
           holidays: dict[dt.date, bool] | None = None) -> tuple[list[Clock], list[str]]:
    """The clocks ``settings.listing`` sets for a major hazard, as of ``today`` (the hazard as it
    stood that day): 备案 counted in working days from the day it was found (or escalated), 公布 in working
    days from the listing day, the deadline against the longest rectification; and the notes of
    estimated working days."""
    if h.level is not Level.MAJOR:
        return [], []
    out: list[Clock] = []
    notes: list[str] = []
    lst = h.listing
    if settings.file_within:
        due, n = add_workdays(became_major(h), settings.file_within, holidays)
        notes += n
        done = lst.filed if lst is not None else None
        out.append(Clock("file", "备案", due, done, _late(done, due, today)))
    if settings.publish_within and lst is not None and lst.date is not None:
        due, n = add_workdays(lst.date, settings.publish_within, holidays)
        notes += n
        done = lst.published
        out.append(Clock("publish", "公布", due, done, _late(done, due, today)))
    if settings.max_rectify_days and lst is not None and lst.date is not None and h.deadline is not None:
        due = lst.date + dt.timedelta(days=settings.max_rectify_days)
        out.append(Clock("rectify", "整改时限上限", due, h.deadline, h.deadline > due))
    return out, sorted(set(notes), key=notes.index)


def listing_problems(h: Hazard, today: dt.date, settings: ListingSettings | None = None
                     ) -> list[tuple[str, str, str, str]]:
    """What is wrong with a hazard's listing as a record: ``(severity, code, message, hint)``.

    A major hazard is listed with its body, day and tracker (seed 001 (1)) — an escalated one
    may wait for them (its listing is the office's next step, as its five elements are); a
    listing is not made before the hazard was found nor after ``today``; 摘牌 comes after 销号;
    with ``settings.listing.max_rectify_days``, the deadline is within it."""
    out = []
    lst = h.listing
    if h.level is Level.MAJOR:
        missing = h.listing_missing()
        if missing:
            names = "、".join(LISTING_LABELS[m] for m in missing)
            how = (f"用 anquan hazards listing {h.id} --listed-by 挂牌单位 --listed-on 挂牌日期 --tracker 姓名 补上"
                   "（通知一（1）：重大事故隐患要挂牌督办，并明确跟踪督办的具体责任人）")
            if any(e.event is EventKind.ESCALATED for e in h.history):
                out.append(("warning", "listing-pending", f"隐患 {h.id} 已提级为重大隐患，挂牌督办尚缺：{names}", how))
            else:
                what = "未挂牌督办" if lst is None else f"的挂牌督办缺少：{names}"
                out.append(("error", "listing-missing", f"重大隐患 {h.id} {what}", how))
    elif lst is not None and len(h.listing_missing()) < 3:
        out.append(("warning", "listing-not-major", f"一般隐患 {h.id} 写有挂牌督办",
                    "挂牌督办针对重大事故隐患：核实等级，或删去 listing"))
    if lst is None:
        return out
    if lst.date is not None and lst.date < h.found:
        out.append(("error", "listing-before-found",
                    f"隐患 {h.id} 的挂牌日期 {lst.date} 早于发现日期 {h.found}", "核对 listing.date"))
    for name in ("filed", "published"):
        day = getattr(lst, name)
        if day is not None and lst.date is not None and day < lst.date:
            out.append(("error", "listing-date-order",
                        f"隐患 {h.id} 的{LISTING_LABELS[name]} {day} 早于挂牌日期 {lst.date}",
                        f"核对 listing.{name}"))
    later = [f"{LISTING_LABELS[name]} {getattr(lst, name)}" for name in ("date", "filed", "published", "delisted")
             if getattr(lst, name) is not None and getattr(lst, name) > today]
    if later and h.found <= today:  # (a hazard found later is found-in-future already)
        out.append(("error", "listing-in-future", f"隐患 {h.id} 的{'、'.join(later)} 晚于今天 {today}",
                    "只记已经发生的事：核对年份和日期"))
    if settings is not None and settings.max_rectify_days and h.level is Level.MAJOR:
        for c in clocks(h, settings, today)[0]:
            if c.code == "rectify" and c.late:
                out.append(("warning", "listing-deadline-too-long",
                            f"重大隐患 {h.id} 的整改期限 {h.deadline} 超过挂牌督办允许的最长整改时限"
                            f"（挂牌后 {settings.max_rectify_days} 天，即 {c.due}）",
                            "核对整改期限；确需延长的，报挂牌督办单位同意并记下延期原因"))
    if lst.delisted is not None:
        if h.closed is None:
            out.append(("error", "delisted-before-close", f"隐患 {h.id} 尚未销号，却写了摘牌日期 {lst.delisted}",
                        "摘牌须在销号之后：先销号（anquan hazards close），再摘牌（anquan hazards delist）"))
        elif lst.delisted < h.closed:
            out.append(("error", "delisted-before-close",
                        f"隐患 {h.id} 的摘牌日期 {lst.delisted} 早于销号日期 {h.closed}",
                        "摘牌须在销号之后：核对 listing.delisted"))
    return out


@dataclass(frozen=True)
class Listed:
    """One row of the 重大隐患挂牌督办清单 as of a day."""

    hazard: Hazard
    status: str  # listed | delisted | unlisted
    clocks: tuple[Clock, ...]

    @property
    def late(self) -> list[Clock]:
        return [c for c in self.clocks if c.late]


def listed(hazards: list[Hazard], settings: ListingSettings, today: dt.date,
           holidays: dict[dt.date, bool] | None = None, include_delisted: bool = False) -> tuple[list[Listed], list[str]]:
    """The 挂牌督办清单 as of ``today`` from the ledger as it stood that day: every major hazard
    listed or waiting to be, delisted ones only when asked; the listed first by listing day,
    then those not yet listed by found day; and the notes of estimated working days."""
    rows: list[Listed] = []
    notes: list[str] = []
    for h in hazards:
        if h.level is not Level.MAJOR:
            continue
        lst = h.listing
        state = "unlisted" if lst is None or lst.date is None else ("delisted" if lst.delisted else "listed")
        if state == "delisted" and not include_delisted:
            continue
        found, n = clocks(h, settings, today, holidays)
        notes += [x for x in n if x not in notes]
        rows.append(Listed(h, state, tuple(found)))

    def key(r: Listed):
        lst = r.hazard.listing
        when = lst.date if lst is not None and lst.date is not None else r.hazard.found
        return (r.status == "unlisted", when, r.hazard.id)

    return sorted(rows, key=key), notes


def plan_listing(h: Hazard, values: dict, day: dt.date, by: str, reason: str | None = None,
                 today: dt.date | None = None) -> Change:
    """List a major hazard for supervision, or complete or correct its listing: the ``values``
    given (by, date, tracker, number, filed, published) are set.  Making or completing the
    listing is a 挂牌督办 event; changing a part already written is a 修改 event per part
    (``listing.<part>``, keeping the old value, so the listing is rebuilt as of any day) and
    needs a reason.  The hazard's 督办单位 follows the listing body."""
    if h.level is not Level.MAJOR:
        raise Refused(f"隐患 {h.id} 是一般隐患：挂牌督办针对重大事故隐患（先提级或更正等级）")
    if h.closed is not None:
        raise Refused(f"隐患 {h.id} 已于 {h.closed.isoformat()} 销号，不能再挂牌（摘牌用 anquan hazards delist）")
    _check_day(h, day, today)
    old = h.listing

    def was(name: str):
        return getattr(old, name) if old is not None else None

    given = {k: v for k, v in values.items() if v not in (None, "")}
    if not given:
        raise Refused("没有要写的挂牌督办信息：用 --listed-by、--listed-on、--tracker、--number、--filed、--published")
    changed = {k: v for k, v in given.items() if was(k) != v}
    if not changed:
        raise Refused(f"隐患 {h.id} 的挂牌督办已经是这样，没有变化")
    for name in ("date", "filed", "published"):
        value = changed.get(name)
        if value is not None:
            _check_day(h, value, today)
    when = changed.get("date", was("date"))
    if when is not None:
        for name in ("filed", "published"):
            value = changed.get(name, was(name))
            if value is not None and value < when:
                raise Refused(f"{LISTING_LABELS[name]} {value} 早于挂牌日期 {when}")
    corrected = {k: v for k, v in changed.items() if was(k) not in (None, "")}
    reason = reason.strip() if reason and reason.strip() else None
    if corrected and reason is None:
        olds = "、".join(f"{LISTING_LABELS[k]}（原为“{_text(was(k))}”）" for k in corrected)
        raise Refused(f"修改已写明的{olds}须用 --reason 写明原因")
    body = changed.get("by", was("by"))
    updates: dict = {"listing": changed}
    if body and body != h.supervisor:
        updates["supervisor"] = body
    events = []
    filled = {k: v for k, v in changed.items() if k not in corrected}
    if filled:
        words = [f"{LISTING_LABELS[k]}：{_text(v)}" for k, v in filled.items() if k != "by"]
        events.append(_event(day, EventKind.SUPERVISED, by, supervisor=body,
                             previous=h.supervisor if "supervisor" in updates else None,
                             note="；".join(words) or None))
    for k, v in corrected.items():
        events.append(_event(day, EventKind.CHANGED, by, field=f"listing.{k}", value=_text(v),
                             previous=was(k), reason=reason))
    return Change(updates=updates, events=events)


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def plan_delist(h: Hazard, day: dt.date, by: str, today: dt.date | None = None) -> Change:
    """摘牌: only a listed hazard, only after its 销号."""
    lst = h.listing
    if lst is None or lst.date is None:
        raise Refused(f"隐患 {h.id} 没有挂牌督办，无需摘牌")
    if lst.delisted is not None:
        raise Refused(f"隐患 {h.id} 已于 {lst.delisted.isoformat()} 摘牌")
    if h.closed is None:
        raise Refused(f"隐患 {h.id} 尚未销号：摘牌须在销号之后（先 anquan hazards close）")
    if day < h.closed:
        raise Refused(f"摘牌日期 {day.isoformat()} 早于销号日期 {h.closed.isoformat()}：摘牌须在销号之后")
    _check_day(h, day, today)
    return Change(updates={"listing": {"delisted": day}},
                  events=[_event(day, EventKind.NOTE, by, note=f"摘牌（{lst.by or '挂牌督办单位'}）")])

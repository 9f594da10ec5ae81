"""Tip-off rules (举报核查): the clocks of verification, feedback and reward, and the figures a
bulletin reports.  Pure: records and settings in, values out; nothing here knows a reporter.

* verification — seed 002 "负有安全生产监督管理责任的部门要及时核查处理举报事项": due ``settings.tipoffs.
  verify_days`` (60) calendar days after receipt (《安全生产领域举报奖励办法》), later by an approved
  extension of at most ``extend_days`` (30) with its reason, once; a ``due`` written on the record
  may be earlier, never later;
* feedback — the reporter told the result within ``feedback_days`` (10) of the verification;
* reward — 002 "对查实的举报件，根据风险程度落实举报奖励": a reward approved and not yet paid is open;
* links — a tip-off found 属实 or 部分属实 names the hazards it revealed (``hazards``).

The last day of each clock is still in time; the day after, the clock is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from anquan_cli.models.config import TipoffSettings
from anquan_cli.models.tipoff import Result, Tipoff

__all__ = ["Clock", "CLOCKS", "STATES", "limit", "verify_due", "feedback_due", "as_of", "clocks", "open_clocks",
           "state", "Summary", "summary"]

#: clock kind → what it is, in a heading's words
CLOCKS = {"verify": "核查", "feedback": "反馈举报人", "reward": "奖励发放"}
#: a tip-off's state (``state`` in JSON) → its label
STATES = {"pending": "核查中", "overdue": "核查逾期", "feedback_due": "待反馈", "feedback_overdue": "反馈逾期",
          "done": "已办结"}


def limit(t: Tipoff, s: TipoffSettings) -> dt.date:
    """The latest verification day the rules allow: receipt + ``verify_days``, + the extension's
    days when one is on record."""
    days = s.verify_days + (t.extension.days if t.extension is not None else 0)
    return t.received + dt.timedelta(days=days)


def verify_due(t: Tipoff, s: TipoffSettings) -> dt.date:
    """The verification deadline: the record's own ``due`` when written, else :func:`limit`."""
    return t.due or limit(t, s)


def feedback_due(t: Tipoff, s: TipoffSettings) -> dt.date | None:
    return t.verified + dt.timedelta(days=s.feedback_days) if t.verified is not None else None


def as_of(tipoffs: Iterable[Tipoff], day: dt.date) -> list[Tipoff]:
    """The tip-offs received by ``day``, as they stood that day: a verification, a feedback,
    a reward's approval or payment, an extension dated later not yet known."""
    out = []
    for t in tipoffs:
        if t.received > day:
            continue
        update: dict = {}
        if t.verified is not None and t.verified > day:
            update.update(verified=None, result=None)
        if t.feedback is not None and (t.feedback > day or "verified" in update):
            update["feedback"] = None
        r = t.reward
        if r is not None and (r.approved is not None and r.approved > day or r.paid is not None and r.paid > day):
            approved = r.approved if r.approved is not None and r.approved <= day and "verified" not in update \
                else None
            paid = r.paid if approved is not None and r.paid is not None and r.paid <= day else None
            update["reward"] = r.model_copy(update={"approved": approved, "paid": paid})
        if t.extension is not None and t.extension.approved is not None and t.extension.approved > day:
            update["extension"] = None
        out.append(t.model_copy(update=update) if update else t)
    return out


@dataclass(frozen=True)
class Clock:
    tipoff: Tipoff
    #: ``verify``, ``feedback`` or ``reward``
    kind: str
    #: the last day in time (None: a reward, which has no day of its own)
    due: dt.date | None
    #: the day it was done (verified, told, paid); None: not yet
    done: dt.date | None
    #: since when it waits (the receipt, the verification, the approval)
    since: dt.date

    def overdue(self, today: dt.date) -> bool:
        return self.done is None and self.due is not None and today > self.due

    def late(self) -> bool:
        """Done, after its last day."""
        return self.done is not None and self.due is not None and self.done > self.due

    def days_over(self, today: dt.date) -> int:
        if self.due is None:
            return 0
        return max(0, ((self.done or today) - self.due).days)


def clocks(t: Tipoff, s: TipoffSettings) -> list[Clock]:
    """The clocks of one tip-off (as it stood on the day asked: see :func:`as_of`)."""
    out = [Clock(t, "verify", verify_due(t, s), t.verified, t.received)]
    if t.verified is not None:
        out.append(Clock(t, "feedback", feedback_due(t, s), t.feedback, t.verified))
    if t.reward is not None and t.reward.approved is not None:
        out.append(Clock(t, "reward", None, t.reward.paid, t.reward.approved))
    return out


def open_clocks(tipoffs: Iterable[Tipoff], today: dt.date, s: TipoffSettings,
                within: int = 0) -> list[Clock]:
    """What ``tipoffs overdue`` lists on ``today``: verifications and feedbacks past their last day
    (or, with ``within``, due within that many days), and rewards approved and not paid —
    verifications, then feedbacks, then rewards, each oldest first."""
    out = []
    for t in tipoffs:
        for c in clocks(t, s):
            if c.done is not None:
                continue
            if c.kind == "reward" or c.overdue(today) or (within and c.due is not None
                                                          and (c.due - today).days <= within):
                out.append(c)
    order = list(CLOCKS)
    return sorted(out, key=lambda c: (order.index(c.kind), c.due or c.since, c.tipoff.id))


def state(t: Tipoff, today: dt.date, s: TipoffSettings) -> str:
    """The tip-off's state on ``today`` (a key of :data:`STATES`)."""
    if t.verified is None:
        return "overdue" if today > verify_due(t, s) else "pending"
    if t.feedback is None:
        due = feedback_due(t, s)
        return "feedback_overdue" if due is not None and today > due else "feedback_due"
    return "done"


@dataclass
class Summary:
    """举报核查 of a period, as the bulletin reports it."""

    received: int = 0
    #: received in the period, per channel label (unknown channel: 未注明)
    by_channel: dict[str, int] = field(default_factory=dict)
    verified: int = 0
    substantiated: int = 0
    partly: int = 0
    unsubstantiated: int = 0
    #: verified in the period after the deadline
    verified_late: int = 0
    #: at the period's end: still being verified, and of those past their deadline
    pending: int = 0
    overdue: int = 0
    #: at the period's end: verified and the reporter not told in time
    feedback_overdue: int = 0
    #: hazards the period's 属实 tip-offs revealed
    hazards: int = 0
    rewards_approved: int = 0
    rewards_approved_amount: float = 0.0
    rewards_paid: int = 0
    rewards_paid_amount: float = 0.0
    #: at the period's end: approved and not paid
    rewards_unpaid: int = 0
    rewards_unpaid_amount: float = 0.0


def summary(tipoffs: Iterable[Tipoff], start: dt.date, end: dt.date, s: TipoffSettings) -> Summary:
    """The figures of ``start``–``end`` from the tip-offs as they stood at ``end``."""
    out = Summary()
    for t in as_of(tipoffs, end):
        if start <= t.received:
            out.received += 1
            label = t.channel.label if t.channel is not None else "未注明"
            out.by_channel[label] = out.by_channel.get(label, 0) + 1
        if t.verified is not None and start <= t.verified:
            out.verified += 1
            if t.result is Result.SUBSTANTIATED:
                out.substantiated += 1
            elif t.result is Result.PARTLY:
                out.partly += 1
            else:
                out.unsubstantiated += 1
            if t.verified > verify_due(t, s):
                out.verified_late += 1
            if t.state.founded:
                out.hazards += len(t.hazards)
        if t.verified is None:
            out.pending += 1
            out.overdue += end > verify_due(t, s)
        elif t.feedback is None:
            due = feedback_due(t, s)
            out.feedback_overdue += due is not None and end > due
        r = t.reward
        if r is not None and r.approved is not None:
            amount = r.amount or 0.0
            if start <= r.approved:
                out.rewards_approved += 1
                out.rewards_approved_amount += amount
            if r.paid is not None and start <= r.paid:
                out.rewards_paid += 1
                out.rewards_paid_amount += amount
            if r.paid is None:
                out.rewards_unpaid += 1
                out.rewards_unpaid_amount += amount
    return out

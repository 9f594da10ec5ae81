"""The hazard ledger's rules: derived status, overdue, escalation, 销号 conditions, who is
answerable — and the lifecycle changes (rectify, verify, close, extend, escalate) planned as
values.  Nothing here reads or writes files.

Sources: seed 000 (15-day escalation; major hazards' five elements and 挂牌督办; guarantees),
seed 004 (三方确认签字; 登记 → 整改 → 验收 → 销号).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from anquan_cli.models import Event, EventKind, GuaranteeKind, Hazard, HazardSource, Level, MatrixEntry, Party
from anquan_cli.models._base import Vocab
from anquan_cli.models.hazard import FIVE_ELEMENTS_ZH, LISTING_LABELS, Listing
from anquan_cli.problems import AnquanError
from anquan_cli.rules.lookup import Directory, place_sector, place_township
from anquan_cli.rules.periods import Window

TYPE_CHECKING = False
if TYPE_CHECKING:
    from anquan_cli.snapshot import Workspace

__all__ = [
    "Status", "ACCEPTANCE_DAYS", "as_of", "status", "is_overdue", "days_overdue", "days_open", "signed_parties",
    "first_rectified", "rectified_late", "closed_late", "acceptance_overdue",
    "missing_parties", "rectified_on", "extensions", "escalation_due", "escalation_candidates",
    "close_refusals", "find", "Answerable", "Guarantees", "answerable", "HazardFilter", "open_during", "select", "overdue_sorted",
    "Change", "Refused", "plan_rectify", "plan_verify", "plan_close", "plan_extend",
    "plan_escalate", "plan_set", "last_signature", "signer_problems", "signers", "township_of", "sector_of", "count_by",
]


class Status(Vocab, what="状态"):
    """Where a hazard is in its closed loop (seed 004: 登记 → 整改 → 验收 → 销号).  Overdue for
    rectification and awaiting acceptance are different facts and never share a status."""

    PENDING = ("pending", "待整改")
    OVERDUE = ("overdue", "逾期未整改")
    RECTIFIED = ("rectified", "待验收", "已整改待验收")
    ACCEPTANCE_OVERDUE = ("acceptance_overdue", "验收逾期")
    CLOSED = ("closed", "已销号")


#: days a rectified hazard may wait for its three sign-offs before it is 验收逾期 (anquan's
#: default, not a notice's: ``settings.acceptance_days``)
ACCEPTANCE_DAYS = 15


class Refused(AnquanError):
    """A lifecycle step the rules do not allow; the message says why."""

    exit_code = 1


# ---------------------------------------------------------------------- derived facts


def as_of(hazards: list[Hazard], today: dt.date) -> list[Hazard]:
    """The ledger as it stood on ``today``: a 销号 date or history events dated later are
    not known yet (so ``--today`` in the past answers as that day would have), and a field a
    later event changed has the value that event replaced (``previous`` of the first later
    延期, 变更责任人 or 修改; events recorded without it leave the current value); a hazard
    escalated later was a general one, and one listed for supervision (挂牌督办) later had the
    supervisor it had before; a listing (挂牌督办) made later was not there yet, nor its later
    filing, publication or 摘牌.  A hazard found after ``today`` was not in the ledger yet."""
    out = []
    for h in hazards:
        if h.found > today:
            continue
        late_close = h.closed is not None and h.closed > today
        late = [e for e in h.history if e.date > today]
        if late_close or late:
            update = {"closed": None if late_close else h.closed,
                      "history": [e for e in h.history if e.date <= today]}
            restored: dict = {}
            parts: dict = {}
            for e in sorted(late, key=lambda e: e.date):
                if e.event is EventKind.EXTENDED and e.previous:
                    restored.setdefault("deadline", e.previous)
                elif e.event is EventKind.REASSIGNED and e.previous:
                    restored.setdefault("owner", e.previous)
                elif e.event is EventKind.CHANGED and e.field and e.field.startswith("listing."):
                    parts.setdefault(e.field[len("listing."):], e.previous)
                elif e.event is EventKind.CHANGED and e.field:
                    restored.setdefault(e.field, e.previous)
                elif e.event is EventKind.ESCALATED:
                    # seed 000: only a general hazard is escalated; before that it was general,
                    # supervised by whoever the event replaced (recorded as ``previous``)
                    restored.setdefault("level", Level.GENERAL)
                    restored.setdefault("supervisor", e.previous)
                elif e.event is EventKind.SUPERVISED:
                    restored.setdefault("supervisor", e.previous)
            if parts and h.listing is not None:  # a part of the listing corrected later
                restored["listing"] = h.listing.model_copy(update=parts)
            update.update(restored)
            h = h.model_copy(update=update)
        lst = h.listing
        if lst is not None and any(d is not None and d > today for d in (lst.date, lst.filed, lst.published,
                                                                          lst.delisted)):
            h = h.model_copy(update={"listing": listing_as_of(lst, today)})
        out.append(h)
    return out


def listing_as_of(lst: Listing, today: dt.date) -> Listing | None:
    """A listing as it stood on ``today``: not yet made when its day is later (None), and
    not yet filed, published or taken down when those days are later."""
    if lst.date is not None and lst.date > today:
        return None
    later = {name: None for name in ("filed", "published", "delisted")
             if getattr(lst, name) is not None and getattr(lst, name) > today}
    return lst.model_copy(update=later) if later else lst


def known_on(ws: Workspace, today: dt.date) -> list[Hazard]:
    """:func:`as_of` of the workspace's ledger, worked out once per workspace and day (the
    commands and rules that ask for it share one list: none of them changes it)."""
    memo = ws.__dict__.setdefault("_as_of", {})
    got = memo.get(today)
    if got is not None and got[1] is ws.hazards and got[2] == len(ws.hazards):
        return got[0]
    known = as_of(ws.hazards, today)
    memo[today] = (known, ws.hazards, len(ws.hazards))
    return known


def rectified_on(h: Hazard) -> dt.date | None:
    """The date rectification was last recorded (整改完成), if ever."""
    dates = [e.date for e in h.history if e.event is EventKind.RECTIFIED]
    return max(dates) if dates else None


def signed_parties(h: Hazard) -> list[Party]:
    """Parties that signed after the last recorded rectification (三方确认签字), in the
    parties' own order (企业、部门、乡镇)."""
    since = rectified_on(h)
    signed = {e.party for e in h.history
              if e.event is EventKind.VERIFIED and e.party is not None
              and (since is None or e.date >= since)}
    return [p for p in Party if p in signed]


def missing_parties(h: Hazard) -> list[Party]:
    signed = signed_parties(h)
    return [p for p in Party if p not in signed]


def extensions(h: Hazard) -> list[Event]:
    return [e for e in h.history if e.event is EventKind.EXTENDED]


def first_rectified(h: Hazard) -> dt.date | None:
    """The date rectification was first recorded: what the reports count (once per hazard)."""
    dates = [e.date for e in h.history if e.event is EventKind.RECTIFIED]
    return min(dates) if dates else None


def is_overdue(h: Hazard, today: dt.date) -> bool:
    """逾期未整改: open, no 整改完成 recorded by today, and today is past the deadline (the
    deadline day itself is not overdue).  A hazard rectified and waiting for its sign-offs is
    not overdue — it is 待验收."""
    return (h.closed is None and h.deadline is not None and today > h.deadline
            and rectified_on(h) is None)


def days_overdue(h: Hazard, today: dt.date) -> int:
    return (today - h.deadline).days if h.deadline is not None and is_overdue(h, today) else 0


def rectified_late(h: Hazard) -> int:
    """Days the first rectification came after the deadline (0 when on time or not yet)."""
    first = first_rectified(h)
    return max(0, (first - h.deadline).days) if first is not None and h.deadline is not None else 0


def closed_late(h: Hazard) -> int:
    """Days the 销号 came after the deadline (0 when on time or open) — seed 000's
    "100%限期完成" for major hazards is counted from this."""
    return max(0, (h.closed - h.deadline).days) if h.closed is not None and h.deadline is not None else 0


def acceptance_overdue(h: Hazard, today: dt.date, days: int = ACCEPTANCE_DAYS) -> bool:
    """Rectified more than ``days`` days ago and still not closed."""
    done = rectified_on(h)
    return h.closed is None and done is not None and (today - done).days > days


def days_open(h: Hazard, today: dt.date) -> int:
    end = h.closed if h.closed is not None and h.closed < today else today
    return (end - h.found).days


def status(h: Hazard, today: dt.date, acceptance_days: int = ACCEPTANCE_DAYS) -> Status:
    if h.closed is not None:
        return Status.CLOSED
    if rectified_on(h) is not None:
        return Status.ACCEPTANCE_OVERDUE if acceptance_overdue(h, today, acceptance_days) else Status.RECTIFIED
    if is_overdue(h, today):
        return Status.OVERDUE
    return Status.PENDING


def escalation_due(h: Hazard, today: dt.date, threshold: int) -> bool:
    """Seed 000: a general hazard not rectified more than ``threshold`` days after it was
    found is escalated.  Day ``threshold`` is not yet "more than"; the day after is."""
    return (h.level is Level.GENERAL and h.closed is None and rectified_on(h) is None
            and (today - h.found).days > threshold)


def escalation_candidates(hazards: list[Hazard], today: dt.date, threshold: int) -> list[Hazard]:
    found = [h for h in hazards if escalation_due(h, today, threshold)]
    return sorted(found, key=lambda h: (h.found, h.id))


def close_refusals(h: Hazard) -> list[str]:
    """Why 销号 is not allowed yet (empty when it is)."""
    reasons = []
    if h.closed is not None:
        return [f"隐患 {h.id} 已于 {h.closed.isoformat()} 销号"]
    if rectified_on(h) is None:
        reasons.append("尚未登记整改完成（先运行 anquan hazards rectify）")
    missing = missing_parties(h)
    if missing:
        reasons.append("三方确认签字未齐，缺少：" + "、".join(p.label for p in missing)
                       + "（anquan hazards verify --party …）")
    if h.level is Level.MAJOR:
        lacking = h.five_elements_missing()
        if lacking:
            reasons.append("重大隐患“五落实”不全，缺少：" + "、".join(FIVE_ELEMENTS_ZH[m] for m in lacking))
        unlisted = h.listing_missing()
        if unlisted:
            names = "、".join(LISTING_LABELS[m] for m in unlisted)
            reasons.append(f"重大隐患须挂牌督办并明确跟踪督办责任人，尚缺：{names}（anquan hazards listing {h.id} …）")
    return reasons


# a hazard's township and sector: its own, else its unit's (shared with accidents)
township_of = place_township
sector_of = place_sector


def find(hazards: list[Hazard], hazard_id: str) -> Hazard:
    """The hazard an id names (``工作区:编号`` tells apart the same id in two workspaces of a
    roll-up); a usage error with the closest id otherwise."""
    from anquan_cli.problems import UsageError
    from anquan_cli.text import closest, nfkc

    key = nfkc(hazard_id).strip()
    label, _, bare = key.rpartition(":")
    found = [h for h in hazards if h.id == key or (label and h.id == bare and h.src.workspace == label)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise UsageError(f"编号 {hazard_id} 在多个工作区中都有："
                         + "、".join(f"{h.src.workspace or '本级'}:{h.id}" for h in found) + "；请写成“工作区:编号”")
    guess = closest(key, [h.id for h in hazards], cutoff=0.6)
    raise UsageError(f"隐患台账中没有编号为 {hazard_id} 的隐患" + (f"；是不是 {guess}？" if guess else ""))


# ---------------------------------------------------------------------- who answers


@dataclass
class Answerable:
    owner: str | None
    guarantors: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    supervisor: str | None = None
    #: matrix entries the answer came from
    entries: list[str] = field(default_factory=list)


_KIND_FOR = {Level.MAJOR: GuaranteeKind.MAJOR_HAZARD, Level.GENERAL: GuaranteeKind.GENERAL_HAZARD}
_HAZARD_KINDS = (GuaranteeKind.MAJOR_HAZARD, GuaranteeKind.GENERAL_HAZARD,
                 GuaranteeKind.HIGHER_INSPECTION)


class Guarantees:
    """The responsibility matrix indexed once for hazard look-ups (so answering for many
    hazards costs one pass over the matrix, not one per hazard)."""

    @classmethod
    def for_workspace(cls, ws: Workspace) -> Guarantees:
        """The index of ``ws``'s matrix, built once per workspace (with its name directory):
        asked again for the same matrix list of the same length, the same index."""
        directory = Directory.for_workspace(ws)
        memo = ws.__dict__.get("_guarantees")
        if memo is not None:
            made, matrix, n = memo
            if matrix is ws.matrix and n == len(ws.matrix) and made.directory is directory:
                return made
        made = cls(ws.matrix, directory)
        ws.__dict__["_guarantees"] = (made, ws.matrix, len(ws.matrix))
        return made

    def __init__(self, matrix: list[MatrixEntry], directory: Directory):
        self.directory = directory
        self.by_hazard: dict[str, list[MatrixEntry]] = {}
        self.general: dict[GuaranteeKind, list[MatrixEntry]] = {}
        self.by_enterprise: dict[int, list[MatrixEntry]] = {}
        for m in matrix:
            if m.kind in _HAZARD_KINDS:
                for target in m.targets:
                    self.by_hazard.setdefault(target, []).append(m)
                if not m.targets:
                    self.general.setdefault(m.kind, []).append(m)
            elif m.kind is GuaranteeKind.KEY_ENTERPRISE:
                for target in m.targets:
                    unit = directory.unit(target)
                    if unit is not None:
                        self.by_enterprise.setdefault(id(unit), []).append(m)

    def key_of(self, h: Hazard) -> tuple[object, ...] | None:
        """What :meth:`entries_for` reads of a hazard the matrix does not name — its township,
        its kind, whether it came from 上级督查, its unit when a key-enterprise guarantee covers
        it — as a key: hazards with equal keys have the same entries (so a caller answering for
        many asks once per key).  None for a hazard the matrix names."""
        if h.id in self.by_hazard:
            return None
        unit = self.directory.unit(h.unit)
        covered = id(unit) if unit is not None and id(unit) in self.by_enterprise else None
        return (township_of(h, self.directory), h.level, h.source is HazardSource.HIGHER, covered)

    def entries_for(self, h: Hazard) -> list[MatrixEntry]:
        """An entry naming the hazard, else the entries covering its kind (by level, or
        上级督查) and township; plus the key-enterprise guarantee of its unit."""
        chosen = list(self.by_hazard.get(h.id, ()))
        if not chosen:
            township = township_of(h, self.directory)
            kinds = [_KIND_FOR[h.level]]
            if h.source is HazardSource.HIGHER:
                kinds.append(GuaranteeKind.HIGHER_INSPECTION)
            chosen = [m for kind in kinds for m in self.general.get(kind, ())
                      if m.township is None or m.township == township]
        unit = self.directory.unit(h.unit)
        if unit is not None:
            chosen += [m for m in self.by_enterprise.get(id(unit), ()) if m not in chosen]
        return chosen


def answerable(h: Hazard, guarantees: Guarantees) -> Answerable:
    """Who answers for a hazard: its owner, and from the responsibility matrix the
    guarantors and responsible persons (see :meth:`Guarantees.entries_for`)."""
    out = Answerable(owner=h.owner, supervisor=h.supervisor)
    for m in guarantees.entries_for(h):
        out.entries.append(m.id)
        if m.guarantor not in out.guarantors:
            out.guarantors.append(m.guarantor)
        for name in m.responsible:
            if name not in out.responsible:
                out.responsible.append(name)
    return out


# ---------------------------------------------------------------------- selecting


@dataclass
class HazardFilter:
    township: str | None = None
    sector: str | None = None
    level: Level | None = None
    unit: str | None = None
    owner: str | None = None
    source: HazardSource | None = None
    open: bool = False
    closed: bool = False
    overdue: bool = False
    found_from: dt.date | None = None
    found_to: dt.date | None = None
    status: Status | None = None
    acceptance_days: int = ACCEPTANCE_DAYS
    #: the hazards of a period (:func:`open_during` it, up to today for a period still running)
    period: Window | None = None


def open_during(h: Hazard, start: dt.date, end: dt.date) -> bool:
    """On the ledger at some time from ``start`` to ``end``: found by the end and not closed
    before the start — found in the span, closed in it, or still open at its end.  These are
    the hazards a report's breakdown by level, sector and township counts (``rules.report``:
    found, closed, open at the end)."""
    return h.found <= end and (h.closed is None or h.closed >= start)


def _same_unit(directory: Directory, a: str | None, b: str) -> bool:
    if a is None:
        return False
    ua, ub = directory.unit(a), directory.unit(b)
    return (ua is not None and ua is ub) or a == b


def _same_person(directory: Directory, a: str | None, b: str) -> bool:
    if a is None:
        return False
    pa, pb = directory.person(a).person, directory.person(b).person
    return (pa is not None and pa is pb) or a == b


def select(hazards: list[Hazard], f: HazardFilter, today: dt.date,
           directory: Directory) -> list[Hazard]:
    out = []
    for h in hazards:
        if f.level is not None and h.level is not f.level:
            continue
        if f.source is not None and h.source is not f.source:
            continue
        if f.open and h.closed is not None:
            continue
        if f.closed and h.closed is None:
            continue
        if f.overdue and not is_overdue(h, today):
            continue
        if f.found_from is not None and h.found < f.found_from:
            continue
        if f.found_to is not None and h.found > f.found_to:
            continue
        if f.township is not None and not _same_unit(directory, township_of(h, directory), f.township):
            continue
        if f.sector is not None and sector_of(h, directory) != f.sector:
            continue
        if f.unit is not None and not _same_unit(directory, h.unit, f.unit):
            continue
        if f.owner is not None and not _same_person(directory, h.owner, f.owner):
            continue
        if f.status is not None and status(h, today, f.acceptance_days) is not f.status:
            continue
        if f.period is not None and not open_during(h, f.period.start, min(f.period.end, today)):
            continue
        out.append(h)
    return out


def overdue_sorted(hazards: list[Hazard], today: dt.date) -> list[Hazard]:
    """Overdue hazards, worst first: most days overdue, major before general, then id."""
    return sorted((h for h in hazards if is_overdue(h, today)), key=lambda h: overdue_key(h, today))


def overdue_key(h: Hazard, today: dt.date) -> tuple[int, bool, str]:
    """Where an overdue hazard is listed: most days overdue, major before general, then id."""
    return (-days_overdue(h, today), h.level is not Level.MAJOR, h.id)


def count_by(hazards: list, key) -> list[tuple[str, int]]:
    """``(value, count)`` most frequent first (then by value); an empty value counts as （未填）.
    Works on records or on the rows views build from them."""
    counts = Counter(key(h) or "（未填）" for h in hazards)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# ---------------------------------------------------------------------- lifecycle changes


@dataclass
class Change:
    """What a lifecycle step changes on one hazard: fields to set and events to append.
    Values are ready for YAML (dates as dates, vocabulary words as their Chinese labels)."""

    updates: dict = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)


def _event(day: dt.date, kind: EventKind, by: str, **extra) -> dict:
    ev = {"date": day, "event": kind.label}
    ev.update({k: v for k, v in extra.items() if v is not None})
    ev["by"] = by
    return ev


def _refuse_if_closed(h: Hazard, what: str) -> None:
    if h.closed is not None:
        raise Refused(f"隐患 {h.id} 已于 {h.closed.isoformat()} 销号，不能再{what}")


def _refuse_if_before_found(h: Hazard, day: dt.date) -> None:
    if day < h.found:
        raise Refused(f"日期 {day.isoformat()} 早于隐患 {h.id} 的发现日期 {h.found.isoformat()}")


def _refuse_if_future(day: dt.date, today: dt.date | None) -> None:
    if today is not None and day > today:
        raise Refused(f"日期 {day.isoformat()} 晚于今天 {today.isoformat()}：不能登记还没有发生的事"
                      "（--date 写这一步实际发生的日期）")


def _check_day(h: Hazard, day: dt.date, today: dt.date | None) -> None:
    _refuse_if_before_found(h, day)
    _refuse_if_future(day, today)


def last_signature(h: Hazard) -> dt.date | None:
    """The date of the latest sign-off that counts (one after the last rectification)."""
    since = rectified_on(h)
    dates = [e.date for e in h.history if e.event is EventKind.VERIFIED and e.party is not None
             and (since is None or e.date >= since)]
    return max(dates) if dates else None


def plan_rectify(h: Hazard, day: dt.date, by: str, note: str | None = None,
                 today: dt.date | None = None, reason: str | None = None) -> Change:
    """整改完成.  A second one is a re-rectification (验收不合格、重新整改) and needs its reason;
    sign-offs given before it no longer count."""
    _refuse_if_closed(h, "登记整改")
    _check_day(h, day, today)
    before = rectified_on(h)
    if before is not None:
        if not reason or not reason.strip():
            raise Refused(f"隐患 {h.id} 已于 {before.isoformat()} 登记整改完成；如验收不合格须重新整改，"
                          "请用 --reason 写明原因（此前的验收签字将不再算数）")
        if day < before:
            raise Refused(f"重新整改的日期 {day.isoformat()} 早于上次整改完成日期 {before.isoformat()}")
    return Change(events=[_event(day, EventKind.RECTIFIED, by, note=note,
                                 reason=reason.strip() if reason and reason.strip() else None)])


def signer_problems(h: Hazard, party: Party, signer, directory: Directory,
                    others: dict | None = None) -> tuple[list[str], list[str]]:
    """``(errors, warnings)`` about who signs for ``party`` (seed 004 三方确认签字: three parties,
    so three people): the enterprise's signer belongs to the hazard's unit, the department's to
    a department (preferably one that leads the hazard's sector), the township's to the hazard's
    township (its government or one of its stations); nobody signs for two parties.
    ``others`` maps the parties already signed to their signers."""
    from anquan_cli.models import UnitKind

    errors: list[str] = same_signer_problems(party, signer, others or {})
    warnings: list[str] = []
    name = signer.name
    unit = directory.unit(signer.unit) if signer.unit else None
    if unit is None:
        errors.append(f"签字人 {name} 没有登记单位（或单位不在名录中），无法确认他代表{party.label}方"
                      "（在 org/people.yaml 中写明 unit）")
        return errors, warnings
    if party is Party.ENTERPRISE:
        own = directory.unit(h.unit)
        if own is None or unit is not own:
            errors.append(f"企业方签字人应是 {h.unit} 的人员，{name} 属于 {unit.name}")
    elif party is Party.DEPARTMENT:
        if unit.kind is not UnitKind.DEPARTMENT or is_government(unit.name):
            errors.append(f"部门方签字人应是行业部门（站所）的人员，{name} 属于 {unit.name}")
        else:
            sector = sector_of(h, directory)
            leads = directory.lead_departments(sector)
            if leads and all(u is not unit for u in leads):
                warnings.append(f"{name} 所在的 {unit.name} 不是{sector}的牵头部门（"
                                + "、".join(u.name for u in leads) + "）")
    else:
        town = directory.township(township_of(h, directory) or "")
        local = unit is town or (unit.kind is UnitKind.DEPARTMENT and town is not None and unit.township
                                 and directory.township(unit.township) is town)
        if town is None or not local:
            errors.append(f"乡镇方签字人应是 {town.name if town else '隐患所在乡镇'} 的人员（乡镇政府或其站所），"
                          f"{name} 属于 {unit.name}")
    return errors, warnings


def same_signer_problems(party: Party, signer, others: dict) -> list[str]:
    """Nobody signs for two parties (``others``: the parties already signed → their signers)."""
    return [f"{signer.name} 已代表{other.label}方签字，同一人不能再代表{party.label}方（三方确认签字须三个人）"
            for other, person in others.items() if other is not party and person is signer]


def is_government(name: str) -> bool:
    """A people's government, a street's 办事处 (its government) or a party committee (listed
    among departments in many directories, but not a sector department that can sign as 部门)."""
    from anquan_cli.text import fold

    n = fold(name)
    return n.endswith(("人民政府", "政府", "党委", "党工委", "委员会", "街道办事处")) or n.startswith("中共")


def signers(h: Hazard, directory: Directory) -> dict:
    """Party → the person who signed for it, for the sign-offs that count."""
    since = rectified_on(h)
    out = {}
    for e in h.history:
        if e.event is EventKind.VERIFIED and e.party is not None and e.by and (since is None or e.date >= since):
            person = directory.person(e.by, h.src.workspace if h._src is not None else None).person
            if person is not None:
                out[e.party] = person
    return out


def plan_verify(h: Hazard, party: Party, day: dt.date, by: str, today: dt.date | None = None,
                directory: Directory | None = None) -> Change:
    _refuse_if_closed(h, "验收签字")
    _check_day(h, day, today)
    since = rectified_on(h)
    if since is None:
        raise Refused(f"隐患 {h.id} 还没有登记整改完成，不能验收签字（先运行 anquan hazards rectify {h.id}）")
    if day < since:
        raise Refused(f"签字日期 {day.isoformat()} 早于整改完成日期 {since.isoformat()}")
    if party in signed_parties(h):
        raise Refused(f"隐患 {h.id} 的{party.label}方已经签字")
    if directory is not None:
        signer = directory.person(by).person
        if signer is not None:  # an unknown signer is refused by the write gate, with a suggestion
            errors, _ = signer_problems(h, party, signer, directory, signers(h, directory))
            if errors:
                raise Refused(f"隐患 {h.id} 的{party.label}方签字不符合三方确认签字的要求：" + "；".join(errors))
    return Change(events=[_event(day, EventKind.VERIFIED, by, party=party.label)])


def plan_close(h: Hazard, day: dt.date, by: str, today: dt.date | None = None) -> Change:
    reasons = close_refusals(h)
    if reasons:
        raise Refused(f"隐患 {h.id} 不能销号：" + "；".join(reasons))
    _check_day(h, day, today)
    signed = last_signature(h)
    if signed is not None and day < signed:
        raise Refused(f"销号日期 {day.isoformat()} 早于最后一方验收签字的日期 {signed.isoformat()}："
                      "销号须在三方签字之后")
    late = (day - h.deadline).days if h.deadline is not None and day > h.deadline else 0
    return Change(updates={"closed": day},
                  events=[_event(day, EventKind.CLOSED, by, note=f"逾期{late}天销号" if late else None)])


def plan_extend(h: Hazard, deadline: dt.date, reason: str, day: dt.date, by: str,
                today: dt.date | None = None) -> Change:
    _refuse_if_closed(h, "延期")
    _check_day(h, day, today)
    if not reason or not reason.strip():
        raise Refused("延期须写明原因（--reason）")
    if h.deadline is not None and deadline <= h.deadline:
        raise Refused(f"新期限 {deadline.isoformat()} 应晚于原期限 {h.deadline.isoformat()}")
    if deadline < h.found:
        raise Refused(f"新期限 {deadline.isoformat()} 早于发现日期 {h.found.isoformat()}")
    return Change(updates={"deadline": deadline},
                  events=[_event(day, EventKind.EXTENDED, by, deadline=deadline, previous=h.deadline,
                                 reason=reason.strip())])


def plan_escalate(h: Hazard, day: dt.date, by: str, supervisor: str, threshold: int) -> Change:
    if not escalation_due(h, day, threshold):
        raise Refused(f"隐患 {h.id} 不需要提级（仅未整改超过 {threshold} 天的一般隐患需要提级）")
    updates: dict = {"level": Level.MAJOR.label, "supervisor": supervisor}
    if h.listing is None:  # listed by the escalating authority that day; its tracker is named next
        updates["listing"] = {"by": supervisor, "date": day}
    return Change(
        updates=updates,
        events=[_event(day, EventKind.ESCALATED, by, supervisor=supervisor, previous=h.supervisor,
                       reason=f"超过{threshold}天未完成整改")])


#: fields a closed hazard may still have corrected (they change no figure of any report)
_CORRECTABLE_WHEN_CLOSED = ("title", "description")


def plan_set(h: Hazard, name: str, value, day: dt.date, by: str, reason: str | None = None,
             today: dt.date | None = None) -> Change:
    """Change one field with a history event that keeps the old value: the owner by
    变更责任人, a later deadline by 延期, anything else (an earlier deadline too) by 修改.
    Filling an empty field needs no reason; changing a value does."""
    from anquan_cli.models.hazard import SETTABLE

    if name not in SETTABLE:
        raise Refused(f"不能用 set 修改字段 {name}；可修改：{'、'.join(SETTABLE)}"
                      + ("（等级由 anquan hazards escalate 改）" if name == "level" else ""))
    if h.closed is not None and name not in _CORRECTABLE_WHEN_CLOSED:
        raise Refused(f"隐患 {h.id} 已于 {h.closed.isoformat()} 销号，不能再修改 {name}（只能更正名称和描述）")
    _check_day(h, day, today)
    reason = reason.strip() if reason and reason.strip() else None
    old = getattr(h, name)
    if value in (None, ""):
        raise Refused(f"{name} 的新值不能为空")
    if old == value:
        raise Refused(f"隐患 {h.id} 的 {name} 已经是“{_text(value)}”，没有变化")
    if old not in (None, "") and reason is None:
        raise Refused(f"修改 {name}（原为“{_text(old)}”）须用 --reason 写明原因")
    if name == "deadline" and (old is None or value > old):
        if reason is None:
            raise Refused("推迟整改期限就是延期，须用 --reason 写明原因")
        return plan_extend(h, value, reason, day, by, today)
    if name == "owner":
        return Change(updates={"owner": value},
                      events=[_event(day, EventKind.REASSIGNED, by, owner=value, previous=old, reason=reason)])
    return Change(updates={name: value},
                  events=[_event(day, EventKind.CHANGED, by, field=name, value=_text(value),
                                 previous=old, reason=reason)])


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)

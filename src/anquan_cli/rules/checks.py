"""Cross-record checks run by ``anquan check``.

Each check is a plain function ``check_x(ws, ctx) -> list[Problem]`` and is listed in
:data:`CHECKS`; adding a check is adding a function and a line.  Per-record type and
value errors were already reported while loading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from anquan_cli.models import EventKind, Hazard, HazardSource, Level, Record, UnitKind
from anquan_cli.models.duty import STANDARD_ROLES, Duty
from anquan_cli.models.hazard import FIVE_ELEMENTS_ZH
from anquan_cli.models.matrix import GuaranteeKind
from anquan_cli.models.org import EMAIL
from anquan_cli.problems import Problem, error, warning
from anquan_cli.rules.hazards import last_signature
from anquan_cli.rules.lookup import Directory
from anquan_cli.snapshot import Workspace
from anquan_cli.text import closest, fold

__all__ = ["CheckContext", "CHECKS", "HAZARD_CHECKS", "WORKSPACE_CHECKS", "hazard_keys", "run_checks"]


@dataclass
class CheckContext:
    today: dt.date
    directory: Directory
    #: the hazards' identities ``(workspace, id, path, line of the id, line of the record)``
    #: in ledger order, when the hazards themselves are checked file by file (``anquan check``
    #: with its cache); else taken from ``ws.hazards``
    hazard_keys: list[tuple[str | None, str, str, int, int]] | None = None

    def keys_of_hazards(self, ws: Workspace) -> list[tuple[str | None, str, str, int, int]]:
        return self.hazard_keys if self.hazard_keys is not None else hazard_keys(ws.hazards)


def hazard_keys(hazards: Iterable[Hazard]) -> list[tuple[str | None, str, str, int, int]]:
    """What the checks across files need of each hazard: its identity and where it is."""
    return [(h.src.workspace, h.id, h.src.path, _id_line(h), h.src.line) for h in hazards]


def _id_line(rec: Record) -> int:
    """Where a record's id is written (its first line when the id is not a field of its own)."""
    src = rec.src
    return src.line_of("id") if "id" in src.fields else src.line


def _fmt(d: dt.date) -> str:
    return d.isoformat()


# ---------------------------------------------------------------------- duplicates


def _duplicates(records: Iterable[Record], key: Callable[[Record], object | None],
                what: str, code: str = "duplicate-id") -> list[Problem]:
    entries = []
    for rec in records:
        k = key(rec)
        if k is not None:  # ids are unique per workspace; a roll-up may repeat them
            entries.append((rec.src.workspace, k, rec.src.path, _id_line(rec), rec.src.line))
    return _duplicate_keys(entries, what, code)


def _duplicate_keys(entries: Iterable[tuple[str | None, object, str, int, int]], what: str,
                    code: str = "duplicate-id") -> list[Problem]:
    """Every later entry ``(workspace, key, path, line of the id, line of the record)`` whose
    workspace and key an earlier one has."""
    problems = []
    first: dict[tuple[str | None, object], tuple[str, int]] = {}
    for workspace, k, path, id_line, line in entries:
        seen = first.get((workspace, k))
        if seen is None:
            first[(workspace, k)] = (path, line)
            continue
        problems.append(error(path, id_line, code, f"{what}“{k}”重复：首次出现在 {seen[0]}:{seen[1]}",
                              "每条记录的编号在整个工作区内必须唯一；若是同一条记录录入两次，删去其中一条"))
    return problems


def check_duplicates(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    out = _duplicate_keys(ctx.keys_of_hazards(ws), "隐患编号")
    out += _duplicates(ws.people, lambda p: p.id, "人员编号")
    out += _duplicates(ws.units, lambda u: u.name, "单位名称", "duplicate-name")
    out += _duplicates(ws.units, lambda u: u.id, "单位编号")
    out += _duplicates(ws.matrix, lambda m: m.id, "包保责任编号")
    out += _duplicates(ws.duties, lambda d: d.id, "履职要求编号")
    out += _duplicates(ws.activities, lambda a: a.id, "活动编号")
    out += _duplicates(ws.accidents, lambda a: a.id, "事故编号")
    out += _duplicates(ws.enforcement, lambda e: e.id, "执法记录编号")
    out += _duplicates(ws.tipoffs, lambda t: t.id, "举报编号")
    out += _duplicates(ws.risks, lambda r: r.id, "风险编号")
    out += _duplicates(ws.cells, lambda c: c.id, "网格编号")
    out += _duplicates(ws.patrols, lambda p: p.id, "巡查考核编号")
    out += _duplicates(ws.issued, lambda d: d.number, "发文字号")
    out += _duplicates([d for d in ws.issued if d.key], lambda d: d.key, "发文登记的文档键")
    out += _duplicates(ws.tasks, lambda t: (t.table, t.no), "任务序号", "duplicate-no")
    return out


# ---------------------------------------------------------------------- hazards


def check_hazard_dates(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """Dates in order: nothing after today, nothing before the hazard was found, and the
    closed loop in its order (seed 004: 登记 → 整改 → 验收 → 销号): a sign-off after the
    rectification it confirms, 销号 after the last sign-off, a second 整改完成 only with the
    reason the first one did not hold."""
    out = []
    for h in ws.hazards:
        src = h.src
        if h.deadline is not None and h.deadline < h.found:
            out.append(error(src.path, src.line_of("deadline"), "deadline-before-found",
                             f"隐患 {h.id} 的整改期限 {_fmt(h.deadline)} 早于发现日期 {_fmt(h.found)}",
                             "核对两个日期，期限应在发现之后"))
        if h.closed is not None and h.closed < h.found:
            out.append(error(src.path, src.line_of("closed"), "closed-before-found",
                             f"隐患 {h.id} 的销号日期 {_fmt(h.closed)} 早于发现日期 {_fmt(h.found)}",
                             "核对销号日期"))
        if h.found > ctx.today:
            out.append(error(src.path, src.line_of("found"), "found-in-future",
                             f"隐患 {h.id} 的发现日期 {_fmt(h.found)} 晚于今天 {_fmt(ctx.today)}",
                             "核对年份是否写错"))
        if h.closed is not None and h.closed > ctx.today:
            out.append(error(src.path, src.line_of("closed"), "closed-in-future",
                             f"隐患 {h.id} 的销号日期 {_fmt(h.closed)} 晚于今天 {_fmt(ctx.today)}",
                             "销号日期应是实际销号的那一天"))
        latest: dt.date | None = None
        rectified: list[dt.date] = []
        first_rectified = min((e.date for e in h.history if e.event is EventKind.RECTIFIED), default=None)
        for i, ev in enumerate(h.history):
            if ev.date < h.found:
                out.append(error(src.path, src.line_of("history", i), "event-before-found",
                                 f"隐患 {h.id} 的处理记录“{ev.event.label}”日期 {_fmt(ev.date)} "
                                 f"早于发现日期 {_fmt(h.found)}", "核对处理记录的日期"))
            if ev.date > ctx.today:
                out.append(error(src.path, src.line_of("history", i), "event-in-future",
                                 f"隐患 {h.id} 的处理记录“{ev.event.label}”日期 {_fmt(ev.date)} "
                                 f"晚于今天 {_fmt(ctx.today)}", "处理记录只记已经发生的事：核对日期"))
            if latest is not None and ev.date < latest:
                out.append(warning(src.path, src.line_of("history", i), "history-out-of-order",
                                   f"隐患 {h.id} 的处理记录“{ev.event.label}”（{_fmt(ev.date)}）排在"
                                   f"更晚的记录（{_fmt(latest)}）之后", "按日期先后排列处理记录"))
            latest = ev.date if latest is None else max(latest, ev.date)
            if ev.event is EventKind.RECTIFIED:
                if rectified and not ev.reason:
                    out.append(error(src.path, src.line_of("history", i), "rectified-again-without-reason",
                                     f"隐患 {h.id} 在 {_fmt(max(rectified))} 已登记整改完成，"
                                     f"{_fmt(ev.date)} 又登记一次却没写原因",
                                     "重新整改（验收不合格）须写明原因 reason；重复录入的删去"))
                rectified.append(ev.date)
            if ev.event is EventKind.EXTENDED and ev.deadline is None:
                out.append(error(src.path, src.line_of("history", i), "extension-without-deadline",
                                 f"隐患 {h.id} 的延期记录没有写新的整改期限",
                                 "在这条记录中补上 deadline（新期限）"))
            if ev.event is EventKind.EXTENDED and not ev.reason:
                out.append(warning(src.path, src.line_of("history", i), "extension-without-reason",
                                   f"隐患 {h.id} 的延期记录没有写延期原因",
                                   "补上 reason（延期原因），报告会统计延期"))
            if ev.event is EventKind.VERIFIED:
                if ev.party is None:
                    out.append(error(src.path, src.line_of("history", i), "verification-without-party",
                                     f"隐患 {h.id} 的验收签字记录没有写签字方",
                                     "补上 party：企业、部门 或 乡镇（三方确认签字）"))
                if first_rectified is None or first_rectified > ev.date:
                    out.append(error(src.path, src.line_of("history", i), "signature-before-rectification",
                                     f"隐患 {h.id} 的验收签字（{_fmt(ev.date)}）早于整改完成",
                                     "验收签字确认的是已完成的整改：先登记整改完成，签字日期不早于它"))
        if h.closed is not None:
            done = max(rectified) if rectified else None
            signed = last_signature(h)
            if done is not None and h.closed < done:
                out.append(error(src.path, src.line_of("closed"), "closed-before-rectification",
                                 f"隐患 {h.id} 的销号日期 {_fmt(h.closed)} 早于整改完成日期 {_fmt(done)}",
                                 "销号须在整改完成、三方签字之后"))
            elif signed is not None and h.closed < signed:
                out.append(error(src.path, src.line_of("closed"), "closed-before-signoff",
                                 f"隐患 {h.id} 的销号日期 {_fmt(h.closed)} 早于最后一方验收签字的日期 {_fmt(signed)}",
                                 "销号须在三方签字之后"))
    return out


def check_signoffs(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """Seed 004 三方确认签字: each counting sign-off by a person of the party it signs for, three
    different people."""
    from anquan_cli.rules.hazards import rectified_on, same_signer_problems, signer_problems

    out = []
    # what is said of a signer for a party depends, besides who signed before, only on the
    # hazard's unit, township and sector: said once per such combination
    said: dict = {}
    person = ctx.directory.person
    verified = EventKind.VERIFIED
    for h in ws.hazards:
        signoffs = [(i, e) for i, e in enumerate(h.history) if e.event is verified and e.party is not None and e.by]
        if not signoffs:
            continue
        since = rectified_on(h)
        seen: dict = {}
        where = h.src.workspace
        for i, e in signoffs:
            if since and e.date < since:
                continue
            signer = person(e.by, where).person
            if signer is None:
                continue  # reported as person-unknown
            key = (e.party, id(signer), h.unit, h.township, h.sector)
            got = said.get(key)
            if got is None:
                got = said[key] = signer_problems(h, e.party, signer, ctx.directory)
            errors, warnings = (same_signer_problems(e.party, signer, seen) + got[0] if seen else got[0]), got[1]
            if errors or warnings:
                line = h.src.line_of("history", i)
                for text in errors:
                    code = "signoff-same-person" if "同一人" in text else "signoff-wrong-party"
                    out.append(error(h.src.path, line, code, f"隐患 {h.id}：{text}",
                                     "三方确认签字须由企业、部门、乡镇各自的人员签字"))
                for text in warnings:
                    out.append(warning(h.src.path, line, "signoff-not-lead-department", f"隐患 {h.id}：{text}",
                                       "部门方最好由该行业领域的牵头部门签字"))
            seen.setdefault(e.party, signer)
    return out


def check_hazard_rules(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """The rules of seed 000 on what a hazard record must state, and of seed 001 (1) on its
    listing (挂牌督办)."""
    from anquan_cli.rules.listing import listing_problems

    out = []
    listing_settings = ws.config.settings.listing
    for h in ws.hazards:
        src = h.src
        if h.level is Level.MAJOR:
            missing = h.five_elements_missing()
            escalated = [e.date for e in h.history if e.event is EventKind.ESCALATED]
            if missing and escalated:
                # seed 000: an escalated hazard is supervised as a major one and its five
                # elements are then made clear — a to-do for the office, not a wrong record
                names = "、".join(FIVE_ELEMENTS_ZH[m] for m in missing)
                out.append(warning(src.path, src.line, "five-elements-pending",
                                   f"隐患 {h.id} 于 {_fmt(max(escalated))} 提级为重大隐患，“五落实”尚缺：{names}",
                                   f"用 anquan hazards set {h.id} measures|funds|plan|owner|deadline … 补齐；补齐前不能销号"))
            elif missing:
                names = "、".join(FIVE_ELEMENTS_ZH[m] for m in missing)
                out.append(error(src.path, src.line, "five-elements-missing",
                                 f"重大隐患 {h.id} 缺少“五落实”中的：{names}",
                                 "重大事故隐患须明确治理措施、资金、时限、预案和责任人员"
                                 "（measures、funds、deadline、plan、owner）"))
        else:
            if h.deadline is None:
                out.append(error(src.path, src.line, "deadline-missing",
                                 f"隐患 {h.id} 没有整改期限", "补上 deadline（整改期限）"))
            if not h.owner:
                out.append(warning(src.path, src.line, "owner-missing",
                                   f"隐患 {h.id} 没有写整改责任人", "补上 owner（责任人）"))
        if h.listing is not None or h.level is Level.MAJOR:
            # seed 001 (1): a major hazard is listed, with its tracking person (rules/listing.py)
            line = src.line_of("listing") if "listing" in src.fields else src.line
            for severity, code, message, hint in listing_problems(h, ctx.today, listing_settings):
                out.append((error if severity == "error" else warning)(src.path, line, code, message, hint))
        if h.source is HazardSource.HIGHER and h.level is Level.GENERAL:
            out.append(error(src.path, src.line_of("level"), "higher-inspection-general",
                             f"隐患 {h.id} 是上级督查发现的，却登记为一般隐患",
                             "上级机关检查发现的问题隐患一律按重大事故隐患督办：把 level 改为 重大"))
    return out


# ---------------------------------------------------------------------- references


def _person_problem(ctx: CheckContext, rec: Record, field: str, name: str, role: str,
                    index: int | None = None) -> Problem | None:
    res = ctx.directory.person(name, rec.src.workspace)
    if res.ok:
        return None
    line = rec.src.line_of(field, index)
    if res.ambiguous:
        ids = "、".join(f"{p.id}（{p.title or p.unit or ''}）" for p in res.ambiguous)
        return error(rec.src.path, line, "person-ambiguous",
                     f"{role}“{name}”在人员名录中有重名：{ids}", "改写成人员编号以区分")
    hint = f"是不是“{res.suggestion}”？" if res.suggestion else "先在 org/people.yaml 中登记此人"
    return error(rec.src.path, line, "person-unknown",
                 f"{role}“{name}”不在人员名录 org/people.yaml 中", hint)


def check_hazard_people(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """Every person a hazard names (owner, new owner, signer, the listing's tracker) is in the
    people directory."""
    out: list[Problem | None] = []
    person = ctx.directory.person  # memoized: most names are looked up many times, found at once
    for h in ws.hazards:
        where = h.src.workspace
        if h.owner and not person(h.owner, where).ok:
            out.append(_person_problem(ctx, h, "owner", h.owner, f"隐患 {h.id} 的责任人"))
        tracker = h.listing.tracker if h.listing is not None else None
        if tracker and not person(tracker, where).ok:
            out.append(_person_problem(ctx, h, "listing", tracker, f"隐患 {h.id} 的跟踪督办责任人"))
        for i, ev in enumerate(h.history):
            if ev.event is EventKind.REASSIGNED and ev.owner and not person(ev.owner, where).ok:
                out.append(_person_problem(ctx, h, "history", ev.owner,
                                           f"隐患 {h.id} 变更后的责任人", i))
            if ev.event is EventKind.VERIFIED and ev.by and not person(ev.by, where).ok:
                # a signature slot is a person's: 三方确认签字 names who signed for each party
                out.append(_person_problem(ctx, h, "history", ev.by,
                                           f"隐患 {h.id} 的{ev.party.label if ev.party else ''}方验收签字人", i))
    return [p for p in out if p is not None]


def check_people_refs(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """Every person the other records name is in the people directory."""
    out: list[Problem | None] = []
    for m in ws.matrix:
        out.append(_person_problem(ctx, m, "guarantor", m.guarantor, f"包保责任 {m.id} 的包保人"))
        for i, name in enumerate(m.responsible):
            out.append(_person_problem(ctx, m, "responsible", name,
                                       f"包保责任 {m.id} 的责任人", i))
    for a in ws.activities:
        if ctx.directory.unit(a.held_by) is None:  # a body (县政府) may hold an activity too
            out.append(_person_problem(ctx, a, "held_by", a.held_by, "活动的组织人"))
    vacant: dict[str, list[Duty]] = {}
    for d in ws.duties:
        if ctx.directory.roles.get(d.holder.replace(" ", "")) or ctx.directory.unit(d.holder) is not None:
            continue
        res = ctx.directory.person(d.holder)
        if not res.ok and d.holder.replace(" ", "") in STANDARD_ROLES:
            vacant.setdefault(d.holder.replace(" ", ""), []).append(d)
        elif not res.ok:
            roles = sorted({r for p in ws.people for r in p.roles})
            out.append(error(d.src.path, d.src.line_of("holder"), "holder-unknown",
                             f"履职要求 {d.id} 的履职主体“{d.holder}”既不是人员名录中的角色，也不是人员或单位",
                             ("已有角色：" + "、".join(roles)) if roles else
                             "在 org/people.yaml 的 roles 中给相应人员登记这一角色"))
    for role, duties in vacant.items():  # one line a role: a new workspace has every role still to fill
        first = duties[0]
        out.append(warning(first.src.path, first.src.line_of("holder"), "holder-vacant",
                           f"人员名录中还没有人担任“{role}”：履职要求 {'、'.join(d.id for d in duties)} 无人可核对",
                           f"在 org/people.yaml 中给担任的人写 roles: [{role}]"))
    return [p for p in out if p is not None]


def _unit_warning(ctx: CheckContext, rec: Record, field: str, name: str, what: str,
                  kind: UnitKind | None = None, index: int | None = None) -> Problem | None:
    unit = ctx.directory.unit(name)
    if unit is not None and (kind is None or unit.kind is kind):
        return None
    guess = ctx.directory.unit_suggestion(name, kind)
    is_township = kind is UnitKind.TOWNSHIP
    label, code = ("乡镇", "township-unknown") if is_township else ("单位", "unit-unknown")
    return warning(rec.src.path, rec.src.line_of(field, index), code,
                   f"{what}“{name}”不在单位名录 org/units.yaml 的{label}中",
                   f"是不是“{guess}”？" if guess else "在 org/units.yaml 中登记，或核对名称")


def _sector_warning(ctx: CheckContext, rec: Record, field: str, name: str, what: str,
                    index: int | None = None) -> Problem | None:
    if ctx.directory.sector_known(name):
        return None
    guess = ctx.directory.sector_suggestion(name)
    return warning(rec.src.path, rec.src.line_of(field, index), "sector-unknown",
                   f"{what}“{name}”不是已知的行业领域",
                   f"是不是“{guess}”？" if guess else "在 anquan.yaml 的 sectors 中补充该行业领域")


def check_hazard_units(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """A hazard's unit, township and sector are known (or can be derived from its unit)."""
    out: list[Problem | None] = []
    for h in ws.hazards:
        out += _place_problems(ctx, h, f"隐患 {h.id} 的")
    return [p for p in out if p is not None]


def _place_problems(ctx: CheckContext, rec, what: str) -> list[Problem | None]:
    """A record's unit, township and sector (a hazard's, an accident's) are known, agree with
    each other, or can be derived from its unit."""
    d = ctx.directory
    out: list[Problem | None] = []
    unit = d.unit(rec.unit)
    if unit is None:
        out.append(_unit_warning(ctx, rec, "unit", rec.unit, what + "单位"))
    if rec.township:
        out.append(_unit_warning(ctx, rec, "township", rec.township, what + "乡镇", UnitKind.TOWNSHIP))
        if (unit is not None and unit.township and d.township(rec.township) is not None
                and d.unit(unit.township) is not d.township(rec.township)):
            out.append(warning(rec.src.path, rec.src.line_of("township"), "township-mismatch",
                               f"{what}乡镇“{rec.township}”与单位 {unit.name} 的所属乡镇“{unit.township}”不一致",
                               "核对乡镇，或更正单位名录"))
    elif unit is None or not (unit.township or unit.kind is UnitKind.TOWNSHIP):
        out.append(warning(rec.src.path, rec.src.line, "township-missing",
                           f"{what}乡镇未填写，也无法从单位推出", "补上 township（乡镇）"))
    if rec.sector:
        out.append(_sector_warning(ctx, rec, "sector", rec.sector, what + "行业领域"))
    elif unit is None or not unit.sector:
        out.append(warning(rec.src.path, rec.src.line, "sector-missing",
                           f"{what}行业领域未填写，也无法从单位推出", "补上 sector（行业领域）"))
    return out


def check_unit_refs(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    out: list[Problem | None] = []
    for u in ws.units:
        if u.township and u.kind is not UnitKind.TOWNSHIP:
            out.append(_unit_warning(ctx, u, "township", u.township, f"{u.name} 的所属乡镇",
                                     UnitKind.TOWNSHIP))
        if u.sector:
            out.append(_sector_warning(ctx, u, "sector", u.sector, f"{u.name} 的行业领域"))
        if u.kind is UnitKind.ENTERPRISE and not u.sector:
            out.append(warning(u.src.path, u.src.line, "sector-missing",
                               f"企业 {u.name} 没有写行业领域", "补上 sector（行业领域）"))
    for p in ws.people:
        if p.unit:
            out.append(_unit_warning(ctx, p, "unit", p.unit, f"{p.name} 的单位"))
        if p.email and not EMAIL.fullmatch(p.email):
            out.append(error(p.src.path, p.src.line_of("email"), "email-invalid",
                             f"{p.name} 的邮箱“{p.email}”格式不对，提醒邮件发不出去", "写成 name@example.gov.cn"))
    for m in ws.matrix:
        if m.township:
            out.append(_unit_warning(ctx, m, "township", m.township, f"包保责任 {m.id} 的乡镇",
                                     UnitKind.TOWNSHIP))
        for i, name in enumerate(m.responsible_units):
            out.append(_unit_warning(ctx, m, "responsible_units", name,
                                     f"包保责任 {m.id} 的责任单位", index=i))
        for i, target in enumerate(m.targets):
            if m.kind is GuaranteeKind.KEY_ENTERPRISE:
                out.append(_unit_warning(ctx, m, "targets", target, f"包保责任 {m.id} 的包保企业",
                                         UnitKind.ENTERPRISE, i))
            elif m.kind is GuaranteeKind.SECTOR:
                out.append(_sector_warning(ctx, m, "targets", target,
                                           f"包保责任 {m.id} 的包保行业领域", i))
    for a in ws.activities:
        if a.unit:
            out.append(_unit_warning(ctx, a, "unit", a.unit, "活动的单位"))
    return [p for p in out if p is not None]


#: seed 000 二（一）–（七）, the 包保人 line of each guarantee kind, as the roles people hold:
#: 重点企业 县政府分管领导、各乡镇人民政府主要领导; 一般/重大事故隐患、重大公共安全风险、打非治违
#: 县政府分管领导; 上级检查 县政府主要领导、分管领导; 行业领域 县领导班子成员
GOVERNMENT_LEADERS = ["政府主要负责人", "政府其他领导干部"]
GUARANTOR_ROLES = {
    GuaranteeKind.KEY_ENTERPRISE: GOVERNMENT_LEADERS,
    GuaranteeKind.GENERAL_HAZARD: ["政府其他领导干部"],
    GuaranteeKind.MAJOR_HAZARD: ["政府其他领导干部"],
    GuaranteeKind.HIGHER_INSPECTION: GOVERNMENT_LEADERS,
    GuaranteeKind.PUBLIC_RISK: ["政府其他领导干部"],
    GuaranteeKind.ILLEGAL_ACTIVITY: ["政府其他领导干部"],
    GuaranteeKind.SECTOR: GOVERNMENT_LEADERS,
}


def check_guarantors(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """Seed 000: a 包保人 is a leader of the level the notice names for the kind (configurable
    in ``settings.guarantor_roles``), and never a person of the enterprise guaranteed."""
    configured = ws.config.settings.guarantor_roles
    out = []
    for m in ws.matrix:
        person = ctx.directory.person(m.guarantor, m.src.workspace).person
        if person is None:
            continue  # person-unknown
        line = m.src.line_of("guarantor")
        allowed = configured.get(m.kind, GUARANTOR_ROLES[m.kind])
        if allowed and not set(person.roles) & set(allowed):
            out.append(warning(m.src.path, line, "guarantor-not-leader",
                               f"包保责任 {m.id}（{m.kind.label}）的包保人 {person.name} 不是{'、'.join(allowed)}",
                               "包保通知规定了各类包保任务由哪级领导包保；在人员名录的 roles 中登记，"
                               "或在 anquan.yaml 的 settings.guarantor_roles 中调整"))
        own = ctx.directory.unit(person.unit) if person.unit else None
        if own is not None and m.kind is GuaranteeKind.KEY_ENTERPRISE:
            for i, target in enumerate(m.targets):
                if ctx.directory.unit(target) is own:
                    out.append(error(m.src.path, m.src.line_of("targets", i), "guarantor-of-own-enterprise",
                                     f"包保责任 {m.id}：{person.name} 是 {own.name} 的人员，不能包保本企业",
                                     "包保人应是政府领导，由他督促企业落实主体责任"))
    return out


def check_matrix_targets(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """Hazard guarantees name hazards that exist."""
    ids = {k[1] for k in ctx.keys_of_hazards(ws)}
    out = []
    for m in ws.matrix:
        if m.kind not in (GuaranteeKind.MAJOR_HAZARD, GuaranteeKind.GENERAL_HAZARD,
                          GuaranteeKind.HIGHER_INSPECTION):
            continue
        for i, target in enumerate(m.targets):
            if target not in ids:
                out.append(warning(m.src.path, m.src.line_of("targets", i), "hazard-unknown",
                                   f"包保责任 {m.id} 的包保隐患“{target}”不在隐患台账中",
                                   "核对隐患编号"))
    return out


def check_tasks(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """Every deadline phrase is understood (or reported, never guessed); every progress report
    names a task that exists and one of its responsible units."""
    from anquan_cli.models.deadline import DeadlineError, parse_deadline
    from anquan_cli.rules.tasks import progress_table

    out = []
    for t in ws.tasks:
        try:
            parse_deadline(t.deadline, t.year)
        except DeadlineError as exc:
            out.append(warning(t.src.path, t.src.line_of("deadline"), "deadline-unparsed",
                               f"任务 {t.no} 的完成时限无法计算：{exc}", "改写完成时限，或在分工表中写明年份"))
    tasks = {(t.table, t.no): t for t in ws.tasks}
    tables = {t.table for t in ws.tasks}
    for p in ws.progress:
        table = progress_table(p, tables)
        if table is None:
            out.append(error(p.src.path, p.src.line, "progress-table-missing",
                             "进展记录没有写明所属分工表", "在文件顶部写 table: 分工表名，或加一列“分工表”"))
            continue
        task = tasks.get((table, p.no))
        if task is None:
            out.append(error(p.src.path, p.src.line_of("no"), "task-unknown",
                             f"分工表 {table} 中没有序号为 {p.no} 的任务", "核对序号"))
            continue
        if fold(p.unit) not in {fold(u) for u in task.units}:
            guess = closest(p.unit, task.units)
            out.append(warning(p.src.path, p.src.line_of("unit"), "unit-not-responsible",
                               f"“{p.unit}”不是任务 {p.no} 的责任单位（{'；'.join(task.units)}）",
                               f"是不是“{guess}”？" if guess else "单位名称应与分工表中的写法一致"))
        if p.date > ctx.today:
            out.append(warning(p.src.path, p.src.line_of("date"), "date-in-future",
                               f"进展记录的日期 {_fmt(p.date)} 晚于今天 {_fmt(ctx.today)}", "核对年份"))
    return out


def check_duties(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """A stricter rule's sectors must be sectors (a misspelt one would silently never apply,
    judging a high-risk enterprise yearly instead of half-yearly); an activity naming a duty
    names one that exists and fits it."""
    out = []
    for d in ws.duties:
        for i, o in enumerate(d.overrides):
            for sector in o.sectors:
                if not ctx.directory.sector_known(sector):
                    guess = ctx.directory.sector_suggestion(sector)
                    out.append(error(d.src.path, d.src.line_of("overrides", i), "sector-unknown",
                                     f"履职要求 {d.id} 的加严条件中的行业领域“{sector}”不是已知的行业领域，这条加严永远不会适用",
                                     f"是不是“{guess}”？" if guess else "核对名称，或在 anquan.yaml 的 sectors 中补充"))
    by_id = {d.id: d for d in ws.duties}
    for a in ws.activities:
        if not a.duty:
            continue
        duty = by_id.get(a.duty)
        if duty is None:
            out.append(error(a.src.path, a.src.line_of("duty"), "duty-unknown",
                             f"活动写明的履职要求“{a.duty}”不存在", "核对 duties/ 中的编号"))
        elif duty.activity is not a.kind:
            out.append(error(a.src.path, a.src.line_of("duty"), "duty-kind-mismatch",
                             f"活动是“{a.kind.label}”，履职要求 {duty.id} 要的是“{duty.activity.label}”", "核对活动类型或编号"))
    return out


def check_nodes(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """Every reporting node's deadline is understood (a node nobody can be reminded of is
    reported, never dropped)."""
    from anquan_cli.models.deadline import DeadlineError, parse_deadline

    out = []
    src = ws.config.__pydantic_private__.get("_src")
    line = src.line_of("reminders") if src is not None else 0
    for node in ws.config.reminders.nodes:
        try:
            parse_deadline(node.deadline, node.year or ctx.today.year)
        except DeadlineError as exc:
            out.append(warning("anquan.yaml", line, "deadline-unparsed",
                               f"报送节点“{node.title}”的期限无法计算：{exc}", "改写期限，或写明 year"))
    return out


# ---------------------------------------------------------------------- accidents

#: 万元: a direct loss this big (10 亿元) is more likely 元 written as 万元 than a loss
IMPLAUSIBLE_LOSS = 100000


def check_accidents(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """An accident's grade is not below what its figures reach (条例第三条), it has not happened
    after today, nobody reported it before it happened, the reports came within their clocks
    (第九条 1 hour, 第十条 2 hours per level), casualty changes came within the 补报 window
    (第十三条), and its unit, township, sector and hazards are known."""
    from anquan_cli.rules import accidents as A

    settings = ws.config.settings.accidents
    level = ws.config.level.value
    now = dt.datetime.combine(ctx.today, dt.time.min)
    known_hazards = {key[1] for key in ctx.keys_of_hazards(ws)}
    out: list[Problem] = []
    for a in ws.accidents:
        path, src = a.src.path, a.src
        computed = A.computed_grade(a, settings.missing_as_deaths)
        if a.grade is not None and a.grade.rank < computed.rank:
            dead = A.dead(a, settings.missing_as_deaths)
            out.append(error(path, src.line_of("grade"), "accident-grade-too-low",
                             f"事故 {a.id} 写为{a.grade.label}事故，但死亡（含失踪）{dead} 人、重伤 {a.serious_injuries} 人、"
                             f"直接经济损失 {a.direct_loss or 0:g} 万元已达{computed.label}事故"
                             "（《生产安全事故报告和调查处理条例》第三条）",
                             f"改为“{computed.label}”，或核对伤亡人数和损失"))
        if a.day > ctx.today:
            out.append(error(path, src.line_of("occurred"), "accident-in-future",
                             f"事故 {a.id} 的发生时间 {a.day.isoformat()} 晚于今天（{ctx.today.isoformat()}）",
                             "核对发生时间"))
        for i, r in enumerate(a.reports):
            if A.before_the_accident(a, r.time):
                out.append(error(path, src.line_of("reports", i), "report-before-accident",
                                 f"事故 {a.id} 的报告时间 {A.moment_text(r.time)} 早于事故发生时间 {A.moment_text(a.occurred)}",
                                 "核对报告时间"))
        for field, items in (("reports", a.reports), ("followups", a.followups)):
            for i, item in enumerate(items):
                if A.day_of(item.time) > ctx.today:
                    out.append(error(path, src.line_of(field, i), "report-in-future",
                                     f"事故 {a.id} 的{'报告' if field == 'reports' else '续报'}时间 {A.moment_text(item.time)}"
                                     f" 晚于今天（{ctx.today.isoformat()}）", "只记已经发生的报告；核对时间"))
        # a late or missing report once found (迟报、漏报、瞒报 recorded in ``concealment``) is
        # dealt with: the finding says it, ``check`` does not say it again
        found = a.concealment is not None
        for clock in [] if found else A.clocks(a, ctx.directory, level, settings.missing_as_deaths):
            late = clock.minutes_late(now)
            if late is None:
                continue
            hours = A.UNIT_MINUTES // 60 if clock.code == "unit" else A.LEVEL_MINUTES // 60
            clause = "第九条" if clock.code == "unit" else "第十条"
            whom = "县级以上安全生产监督管理部门" if clock.code == "unit" else "上一级"
            due = A.moment_text(clock.due)
            if clock.done is not None:
                out.append(warning(path, src.line_of("reports", clock.report), "accident-report-late",
                                   f"事故 {a.id}：{clock.label}应在 {hours} 小时内（{due} 前）向{whom}报告，"
                                   f"{A.moment_text(clock.done)} 才报告，迟 {A.duration(late)}"
                                   f"（条例{clause}）", "如实记录；迟报经认定的，在 concealment 中写明"))
            elif clock.due_day_only:
                out.append(warning(path, src.line_of("reports"), "accident-report-missing",
                                   f"事故 {a.id}：没有任何向{whom}报告的记录（应在事故发生后 {hours} 小时内，条例{clause}）",
                                   "在 reports 中补记报告时间、报告单位和接报单位；漏报经认定的，在 concealment 中写明"))
            else:
                out.append(warning(path, src.line_of("reports"), "accident-report-missing",
                                   f"事故 {a.id}：未见{clock.label}向{whom}报告的记录（应在 {due} 前，条例{clause}）",
                                   "在 reports 中补记报告时间、报告单位和接报单位"))
        window = A.followup_window(a, ctx.directory)
        for i, days in A.late_followups(a, ctx.directory):
            out.append(warning(path, src.line_of("followups", i), "accident-followup-late",
                               f"事故 {a.id} 的伤亡人数在事故发生 {window} 日后才补报（超过 {days} 日，条例第十三条）",
                               "核对续报时间；超过补报期限的变化按规定另行说明"))
        out += [p for p in _place_problems(ctx, a, f"事故 {a.id} 的") if p is not None]
        if a.direct_loss is not None and a.direct_loss >= IMPLAUSIBLE_LOSS:
            out.append(warning(path, src.line_of("direct_loss"), "accident-loss-implausible",
                               f"事故 {a.id} 的直接经济损失写为 {a.direct_loss:g} 万元（{a.direct_loss / 10000:g} 亿元）",
                               "直接经济损失以万元计：12000000 元应写 1200（万元）或 1200万元"))
        out += _unknown_hazards(a, known_hazards, "accident-hazard-unknown", f"事故 {a.id} 倒查的")
    return out


def _unknown_hazards(rec, known: set[str], code: str, what: str) -> list[Problem]:
    """A warning at each of ``rec.hazards`` that is not in the ledger."""
    return [warning(rec.src.path, rec.src.line_of("hazards", i), code, f"{what}隐患 {ident} 不在隐患台账中", "核对隐患编号")
            for i, ident in enumerate(rec.hazards) if ident not in known]


# ---------------------------------------------------------------------- enforcement


def check_enforcement(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """An enforcement record has not happened after today; its unit and department are in the
    unit directory, its inspectors in the people directory, its hazards in the ledger."""
    known_hazards = {key[1] for key in ctx.keys_of_hazards(ws)}
    out: list[Problem | None] = []
    for e in ws.enforcement:
        what = f"执法记录 {e.id} 的"
        if e.date > ctx.today:
            out.append(error(e.src.path, e.src.line_of("date"), "enforcement-in-future",
                             f"{what}日期 {e.date} 晚于今天（{ctx.today.isoformat()}）", "只记已经做了的执法；核对日期"))
        out.append(_unit_warning(ctx, e, "unit", e.unit, what + "单位"))
        out.append(_unit_warning(ctx, e, "by", e.by, what + "执法部门"))
        for i, name in enumerate(e.inspectors):
            out.append(_person_problem(ctx, e, "inspectors", name, what + "执法人员", i))
        out += _unknown_hazards(e, known_hazards, "enforcement-hazard-unknown", what)
    return [p for p in out if p is not None]


# ---------------------------------------------------------------------- tip-offs


def check_tipoffs(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """A tip-off was received and handled by days that have come; its deadline and extension
    stay within ``settings.tipoffs`` (《安全生产领域举报奖励办法》: 60 days, once extended by at most 30
    with a reason); a 属实 one names the hazards it revealed (seed 002), which are in the ledger;
    its unit, township and department are in the directory.  Reporters (read only with
    ``--confidential``) name a known tip-off, once."""
    from anquan_cli.rules import tipoffs as T

    settings = ws.config.settings.tipoffs
    known_hazards = {key[1] for key in ctx.keys_of_hazards(ws)}
    out: list[Problem | None] = []
    for t in ws.tipoffs:
        what = f"举报 {t.id} 的"
        path, src = t.src.path, t.src
        for name in ("received", "verified", "feedback"):
            day = getattr(t, name)
            if day is not None and day > ctx.today:
                out.append(error(path, src.line_of(name), "tipoff-in-future",
                                 f"{what}{_TIPOFF_DAYS[name]} {day} 晚于今天（{ctx.today.isoformat()}）",
                                 "只记已经发生的事；核对日期"))
        if t.extension is not None and t.extension.days > settings.extend_days:
            out.append(error(path, src.line_of("extension"), "tipoff-extension-too-long",
                             f"{what}核查延期 {t.extension.days} 天，超过 settings.tipoffs.extend_days"
                             f"（{settings.extend_days} 天）", "延期只能一次，且不超过规定天数"))
        elif t.due is not None and t.due > T.limit(t, settings):
            allowed = "（已含延期）" if t.extension is not None else "；需要延期的，写明 extension（天数、理由）"
            out.append(error(path, src.line_of("due"), "tipoff-due-too-long",
                             f"{what}核查期限 {t.due} 晚于受理后 {settings.verify_days} 天"
                             f"{'+延期' if t.extension is not None else ''}的 {T.limit(t, settings)}",
                             f"核查期限自受理之日起计算{allowed}"))
        if t.state.founded and not t.hazards:
            out.append(warning(path, src.line_of("result"), "tipoff-founded-without-hazards",
                               f"{what}核查结果为{t.state.label}，但没有写查实的隐患编号 hazards",
                               "把核查发现的隐患登记到台账，并在 hazards 中写上它们的编号"))
        out += _unknown_hazards(t, known_hazards, "tipoff-hazard-unknown", what)
        if t.unit:
            out.append(_unit_warning(ctx, t, "unit", t.unit, what + "被举报单位"))
        if t.township:
            out.append(_unit_warning(ctx, t, "township", t.township, what + "乡镇", UnitKind.TOWNSHIP))
        if t.handler:
            out.append(_unit_warning(ctx, t, "handler", t.handler, what + "承办部门"))
    ids = {t.id for t in ws.tipoffs}
    seen: set[str] = set()
    for r in ws.reporters:
        if r.tipoff not in ids:
            out.append(error(r.src.path, r.src.line_of("tipoff"), "reporter-tipoff-unknown",
                             f"举报人信息指向的举报 {r.tipoff} 不在 tipoffs/ 中", "核对举报编号"))
        elif r.tipoff in seen:
            out.append(warning(r.src.path, r.src.line_of("tipoff"), "reporter-duplicate",
                               f"举报 {r.tipoff} 的举报人信息记了不止一条", "多人联名举报可以合并为一条，或在 note 中说明"))
        seen.add(r.tipoff)
    return [p for p in out if p is not None]


_TIPOFF_DAYS = {"received": "受理日期", "verified": "核查日期", "feedback": "反馈日期"}


def check_supervision(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """An enterprise's regulator is a department of the directory and its regulating person a
    person of it (seed 004 "监管部门清楚、监管人员明确")."""
    out: list[Problem | None] = []
    for u in ws.units:
        if u.regulator:
            out.append(_unit_warning(ctx, u, "regulator", u.regulator, f"{u.name}的监管部门", UnitKind.DEPARTMENT))
        if u.regulator_person:
            out.append(_person_problem(ctx, u, "regulator_person", u.regulator_person, f"{u.name}的监管人员"))
    return [p for p in out if p is not None]


def check_grid(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """The grid (seed 004 "县、乡、村、企"四级网格，"定人、定岗、定责"): a cell's parent exists, is of a higher
    level, and the parents never loop; each cell has its responsible person, a person of the
    directory; an enterprise's ``grid`` names a cell of it; a 企-level cell is one enterprise's own
    (the one unit whose ``grid`` it is)."""
    from anquan_cli.rules.grid import enterprise_cells, loops

    ids = {fold(c.id).casefold(): c for c in ws.cells}
    out: list[Problem | None] = []
    for c in ws.cells:
        src = c.src
        parent = ids.get(fold(c.parent).casefold()) if c.parent else None
        if c.parent and parent is None:
            out.append(error(src.path, src.line_of("parent"), "cell-parent-unknown",
                             f"网格 {c.id} 的上级网格 {c.parent} 不存在", "核对网格编号，或先登记上级网格"))
        elif parent is not None and parent.level.rank >= c.level.rank:
            out.append(error(src.path, src.line_of("parent"), "cell-parent-level",
                             f"网格 {c.id}（{c.level.label}级）的上级 {parent.id} 是{parent.level.label}级，应高一级",
                             "县 → 乡 → 村 → 企，逐级往下"))
        if c.responsible:
            out.append(_person_problem(ctx, c, "responsible", c.responsible, f"网格 {c.id} 的责任人"))
        else:
            out.append(warning(src.path, src.line, "cell-responsible-missing",
                               f"网格 {c.id} {c.name}没有网格责任人（定人）", "写明 responsible（人员名录中的人）"))
    for c in loops(ws.cells):
        out.append(error(c.src.path, c.src.line_of("parent"), "cell-parent-loop",
                         f"网格 {c.id} 的上级网格一层层往上又回到了它自己", "改正上级网格 parent"))
    for u in ws.units:
        if u.grid and fold(u.grid).casefold() not in ids:
            out.append(error(u.src.path, u.src.line_of("grid"), "unit-grid-unknown",
                             f"{u.name}的网格 {u.grid} 不在 grid/ 中", "核对网格编号，或在 grid/ 中登记这个网格"))
    for c, held, named in enterprise_cells(ws.cells, ws.units):
        if not held:
            hint = f"在 org/units.yaml 中给{named.name}写 grid: {c.id}" if named is not None else \
                f"在 org/units.yaml 中给这家企业写 grid: {c.id}"
            out.append(warning(c.src.path, c.src.line, "cell-enterprise-missing",
                               f"企业网格 {c.id} {c.name}没有对应的企业（没有企业的 grid 是它）", hint))
        elif len(held) > 1:
            out.append(warning(c.src.path, c.src.line_of("level"), "cell-enterprise-many",
                               f"企业网格 {c.id} {c.name}有 {len(held)} 家企业（{'、'.join(u.name for u in held)}），应一企一格",
                               "企业网格只放它自己的企业，其余企业的 grid 写所在村（社区）的网格"))
    return [p for p in out if p is not None]


def check_patrols(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """A 巡查 or 考核 has happened by today, names a township or department of the directory, and
    was not rectified before it happened (seed 002 (六))."""
    out: list[Problem | None] = []
    for p in ws.patrols:
        what = f"巡查考核 {p.id} 的"
        if p.date > ctx.today:
            out.append(error(p.src.path, p.src.line_of("date"), "patrol-in-future",
                             f"{what}日期 {p.date} 晚于今天（{ctx.today.isoformat()}）", "只记已经做了的巡查考核"))
        if p.rectified is not None and p.rectified < p.date:
            out.append(error(p.src.path, p.src.line_of("rectified"), "patrol-rectified-before",
                             f"{what}整改完成日期 {p.rectified} 早于巡查考核日期 {p.date}", "核对日期"))
        out.append(_unit_warning(ctx, p, "target", p.target, what + "对象"))
        if p.by:
            out.append(_unit_warning(ctx, p, "by", p.by, what + "组织单位"))
    return [p for p in out if p is not None]


def check_risks(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """A risk names units, a township and people of the directory (each measure's owner, the
    guarantor, the listing's tracker), hazards of the ledger, and a review day that has come.
    What is missing from its control is a gap (``risks gaps``), not an error."""
    known_hazards = {key[1] for key in ctx.keys_of_hazards(ws)}
    out: list[Problem | None] = []
    for r in ws.risks:
        what = f"风险 {r.id} 的"
        if r.reviewed is not None and r.reviewed > ctx.today:
            out.append(error(r.src.path, r.src.line_of("reviewed"), "risk-review-in-future",
                             f"{what}复核评估日期 {r.reviewed} 晚于今天（{ctx.today.isoformat()}）", "核对日期"))
        if r.unit:
            out.append(_unit_warning(ctx, r, "unit", r.unit, what + "单位"))
        if r.township:
            out.append(_unit_warning(ctx, r, "township", r.township, what + "乡镇", UnitKind.TOWNSHIP))
        for i, m in enumerate(r.measures):
            if m.owner:
                out.append(_person_problem(ctx, r, "measures", m.owner, what + "管控责任人", i))
        if r.guarantor:
            out.append(_person_problem(ctx, r, "guarantor", r.guarantor, what + "包保人"))
        if r.listing is not None and r.listing.tracker:
            out.append(_person_problem(ctx, r, "listing", r.listing.tracker, what + "跟踪督办责任人"))
        out += _unknown_hazards(r, known_hazards, "risk-hazard-unknown", what)
    return [p for p in out if p is not None]


# ---------------------------------------------------------------------- campaigns


def check_campaigns(ws: Workspace, ctx: CheckContext) -> list[Problem]:
    """A campaign's phases follow one another inside it, its nodes fall due inside it and name
    known units, the duties it binds exist; a submission names a node of a campaign, a unit the
    node asks, and a day that has come (seeds 001 四、阶段安排 and 002's 报送 nodes)."""
    from anquan_cli.rules.campaigns import WORKSPACE_NODES, campaigns_of, resolve_node, same_unit

    every = campaigns_of(ws, ctx.today)
    duty_ids = {d.id for d in ws.duties}
    out: list[Problem | None] = []
    for c in ws.campaigns:
        what = f"专项行动 {c.id} 的"
        first, last = c.first_day, c.last_day
        before = None
        for i, p in enumerate(c.phases):
            at = c.src.line_of("phases", i)
            start = p.start or first
            if before is not None and p.start is not None and p.start <= before.end:
                out.append(warning(c.src.path, at, "campaign-phase-overlap",
                                   f"{what}阶段“{p.name}”从 {p.start} 开始，与上一阶段“{before.name}”（至 {before.end}）重叠",
                                   "阶段按时间先后写，每个阶段的开始晚于上一阶段的结束"))
            if (c.start and start and start < c.start) or (c.end and p.end > c.end):
                out.append(warning(c.src.path, at, "campaign-phase-outside",
                                   f"{what}阶段“{p.name}”（{start or '…'} 至 {p.end}）超出了专项行动的起止日期（{first} 至 {last}）",
                                   "核对阶段或专项行动的起止日期"))
            before = p
        for i, n in enumerate(c.nodes):
            at = c.src.line_of("nodes", i)
            if (first and n.due < first) or (last and n.due > last):
                out.append(warning(c.src.path, at, "campaign-node-outside",
                                   f"{what}报送节点 {n.id} 的期限 {n.due} 不在专项行动期间（{first} 至 {last}）",
                                   "核对期限；与专项行动无关的报送写成单独的一条记录"))
            if not n.units:
                out.append(warning(c.src.path, at, "campaign-node-no-units",
                                   f"{what}报送节点 {n.id} 没有写要报送的单位（units），无法看出谁未报送",
                                   "在 units 中列出要报送的单位"))
            for unit in n.units:
                out.append(_unit_warning(ctx, c, "nodes", unit, f"{what}报送节点 {n.id} 的报送单位", index=i))
        for i, ident in enumerate(c.duties):
            if ident not in duty_ids:
                out.append(error(c.src.path, c.src.line_of("duties", i), "campaign-duty-unknown",
                                 f"{what}履职要求 {ident} 不在 duties/ 中", "核对履职要求编号"))
    for s in ws.submissions:
        what = f"报送记录（{s.unit}，{s.node}）的"
        if s.date > ctx.today:
            out.append(error(s.src.path, s.src.line_of("date"), "submission-in-future",
                             f"{what}日期 {s.date} 晚于今天（{ctx.today.isoformat()}）", "只记已经报送的；核对日期"))
        got = resolve_node(s.node, every)
        if got is None:
            ids = [n.id if c.id == WORKSPACE_NODES else f"{c.id}:{n.id}" for c in every for n in c.nodes]
            guess = closest(s.node, ids)
            out.append(error(s.src.path, s.src.line_of("node"), "submission-node-unknown",
                             f"{what}报送节点“{s.node}”不是任何专项行动的节点（或不止一个专项行动有这个节点）",
                             "写成“专项行动编号:节点编号”" + (f"，是不是“{guess}”？" if guess else "")))
            continue
        out.append(_unit_warning(ctx, s, "unit", s.unit, what + "单位"))
        c, n = got
        if n.units and not any(same_unit(ctx.directory, s.unit, u) for u in n.units):
            out.append(warning(s.src.path, s.src.line_of("unit"), "submission-unit-not-asked",
                               f"{what}单位“{s.unit}”不在节点 {c.id}:{n.id} 要求报送的单位中",
                               "核对单位名称，或在专项行动的 units 中补上"))
    return [p for p in out if p is not None]


#: the checks of one hazard at a time, given the directory, the settings and today: what a
#: hazard file's records bring is the same whatever the other files hold (``anquan check``
#: keeps it per file)
HAZARD_CHECKS: list[Callable[[Workspace, CheckContext], list[Problem]]] = [
    check_hazard_dates,
    check_hazard_rules,
    check_signoffs,
    check_hazard_people,
    check_hazard_units,
]
#: the checks of the other records and of what spans files (ids, the matrix's targets)
WORKSPACE_CHECKS: list[Callable[[Workspace, CheckContext], list[Problem]]] = [
    check_duplicates,
    check_people_refs,
    check_unit_refs,
    check_matrix_targets,
    check_guarantors,
    check_tasks,
    check_duties,
    check_nodes,
    check_accidents,
    check_enforcement,
    check_campaigns,
    check_tipoffs,
    check_risks,
    check_supervision,
    check_grid,
    check_patrols,
]
CHECKS = HAZARD_CHECKS + WORKSPACE_CHECKS


def run_checks(ws: Workspace, today: dt.date, directory: Directory | None = None,
               keys: list[tuple[str | None, str, str, int, int]] | None = None) -> list[Problem]:
    """Every cross-record check over a loaded workspace (``directory``: the workspace's own,
    when the caller has built it already; ``keys``: the hazards' keys, when ``ws.hazards``
    holds only some of them)."""
    ctx = CheckContext(today=today, directory=directory or Directory.for_workspace(ws), hazard_keys=keys)
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(ws, ctx))
    return problems

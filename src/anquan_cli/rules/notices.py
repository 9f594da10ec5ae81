"""The documents an office sends about hazards: the 督办函 (a letter urging the rectification of
overdue hazards) and the 隐患整改通知书 (the notice telling an enterprise what to rectify by when).
What each says is worked out here, as a :class:`Notice` — its title, addressees and body blocks —
from the ledger as it stood on the day; :mod:`anquan_cli.views.notices` lays the one description
out as Markdown or as a 公文 DOCX.  Nothing here reads or writes files.

Sources (cited in the documents in words):
* seed 000 二（二）: "超过15天未完成整改的一般事故隐患，一律提级由县人民政府作为重大隐患整改进行督办"; 二（三）:
  major hazards "100%按标整改、100%限期完成", their 治理措施、资金、时限、预案和责任人员 (五落实);
* seed 001 (8): "下达提醒函、督办函，严肃指出存在的突出问题；情况严重的……约谈、通报，直至……问责处理";
* seed 003 第38条: "对未按期按规定完成整改的必须依法进行处罚";
* seed 004 三（三）: the rectification list confirmed by three parties (三方确认签字) before 销号.

Record text (a hazard's title, a unit's name) is data: it goes into the blocks as written and
the views escape it for their format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from anquan_cli.models import EventKind, Hazard, Level, UnitKind
from anquan_cli.models.hazard import FIVE_ELEMENTS_ZH
from anquan_cli.rules.hazards import (
    Change,
    Refused,
    _event,
    days_overdue,
    escalation_due,
    is_overdue,
    overdue_key,
    sector_of,
    township_of,
)
from anquan_cli.rules.lookup import Directory

__all__ = ["Table", "Block", "Notice", "supervise", "rectify", "event_note", "plan_event", "addressees",
           "SEED_000", "SEED_001", "SEED_003", "SEED_004"]

#: the seeds, as a document cites them
SEED_000 = "《关于调整政府领导班子成员包保安全生产重点任务的通知》"
SEED_001 = "《重大事故隐患专项排查整治2023行动实施方案》"
SEED_003 = "《进一步强化安全生产责任落实坚决遏制重特大事故15条措施贯彻落实措施的实施意见》"
SEED_004 = "《关于做好2021年安全生产工作的通知》"

SUPERVISE_TITLE = "关于督促整改逾期事故隐患的督办函"
RECTIFY_TITLE = "隐患整改通知书"


@dataclass(frozen=True)
class Table:
    """A table: its header row (none when empty) and rows of text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Block:
    """One block of a document's body.  ``kind``: ``p`` a paragraph (first line indented two
    characters; ``lead`` printed before its text as a 黑体 heading within it, GB/T 9704's
    first level run in), ``h1`` a heading of its own, ``table``, ``line`` a line flush left
    (the receipt), ``right`` a line set right, four characters in (the receipt's date),
    ``note`` the 附注 (two characters in, after the 落款: the contact)."""

    kind: str
    text: str = ""
    lead: str = ""
    table: Table | None = None


@dataclass(frozen=True)
class Notice:
    """One document, as both views lay it out."""

    #: supervise | rectify
    kind: str
    #: the 文种: 督办函, 隐患整改通知书 (the register's kind, the properties' subject)
    kind_label: str
    title: str
    #: what makes the document written again the same one (it keeps its 文号)
    key: str
    date: dt.date
    #: 主送 and 抄送 unless the run gives its own (``--to``, ``--cc``)
    to: tuple[str, ...]
    cc: tuple[str, ...]
    #: the hazards it concerns (each gets the history event when it is numbered)
    hazards: tuple[str, ...]
    body: tuple[Block, ...]
    #: printed after the 落款 (the receipt of a 整改通知书)
    after: tuple[Block, ...] = ()

    @property
    def event(self) -> EventKind:
        return EventKind.URGED if self.kind == "supervise" else EventKind.NOTIFIED


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else "未定"


def _ids(hs: list[Hazard]) -> str:
    return "、".join(h.id for h in hs)


def _gov(township: str | None, directory: Directory) -> str | None:
    """The people's government of a township: the unit the directory has for it (``<乡镇>人民政府``),
    else the name so composed when the township is known."""
    if not township:
        return None
    town = directory.township(township)
    name = town.name if town is not None else township
    gov = directory.unit(f"{name}人民政府")
    return gov.name if gov is not None else f"{name}人民政府"


def _leads(hazards: list[Hazard], directory: Directory) -> list[str]:
    """The departments leading the hazards' sectors: the county's, and the stations of the
    hazards' own township (another township's station has nothing to do with it)."""
    out: list[str] = []
    for h in hazards:
        town = township_of(h, directory)
        for u in directory.lead_departments(sector_of(h, directory)):
            if u.township and u.township != town:
                continue
            if u.name not in out:
                out.append(u.name)
    return out


def addressees(unit: str, hazards: list[Hazard], directory: Directory, *, with_government: bool
               ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(主送, 抄送)`` of a document to ``unit`` about ``hazards``: the unit (with its township's
    government when ``with_government``); copies to the township's government (when not an
    addressee) and to the departments leading the hazards' sectors."""
    known = directory.unit(unit)
    name = known.name if known is not None else unit
    town = known.township if known is not None and known.township else (
        township_of(hazards[0], directory) if hazards else None)
    gov = _gov(town, directory) if known is None or known.kind is not UnitKind.TOWNSHIP else None
    to = [name] + ([gov] if with_government and gov else [])
    cc = ([gov] if gov and not with_government else []) + [d for d in _leads(hazards, directory) if d not in to]
    return tuple(to), tuple(dict.fromkeys(cc))


def _contact(office: tuple[str, str | None] | None) -> tuple[Block, ...]:
    """The office contact as the 附注 (GB/T 9704 7.3.6: below the 成文日期, two characters in, in
    parentheses)."""
    if office is None:
        return ()
    name, phone = office
    return (Block("note", f"（联系人：{name}" + (f"，联系电话：{phone}" if phone else "") + "）"),)


# ---------------------------------------------------------------------------- 督办函


def supervise(hazards: list[Hazard], today: dt.date, reply_by: dt.date, directory: Directory, *,
              organ: str, threshold: int, unit: str | None = None,
              office: tuple[str, str | None] | None = None) -> Notice:
    """The 督办函 about ``hazards`` (one, or a unit's: ``unit``), as they stood on ``today``: each
    must be overdue (逾期未整改) — refused otherwise, saying which is not.  ``reply_by``: the day
    the unit completes rectification and reports in writing.  ``office``: the contact's name
    and telephone."""
    if not hazards:
        raise Refused(f"单位“{unit}”截至 {today.isoformat()} 没有逾期未整改的隐患，无需发督办函")
    for h in hazards:
        if not is_overdue(h, today):
            raise Refused(_not_overdue(h, today))
    if reply_by < today:
        raise Refused(f"整改和书面报告的期限 {reply_by.isoformat()} 早于发函日期 {today.isoformat()}")
    hs = sorted(hazards, key=lambda h: overdue_key(h, today))
    name = unit if unit is not None else hs[0].unit
    known = directory.unit(name)
    name = known.name if known is not None else name
    to, cc = addressees(name, hs, directory, with_government=unit is not None)
    # one addressee is "你单位"; with the township's government beside it, the unit by its name
    you = "你单位" if len(to) == 1 else name
    local = f"{to[1]}要履行属地管理责任，督促{name}按期整改到位，并跟踪核查整改情况。" if len(to) > 1 else ""
    majors = [h for h in hs if h.level is Level.MAJOR]
    n = len(hs)
    what = "下列事故隐患" if n == 1 else f"下列{n}项事故隐患" + (f"（其中重大事故隐患{len(majors)}项）" if majors else "")
    body: list[Block] = [
        Block("p", f"经查，截至{cn_date(today)}，{you}{what}已超过整改期限，仍未完成整改："),
        Block("table", table=Table(("编号", "隐患", "发现日期", "整改期限", "逾期天数", "责任人"), tuple(
            (h.id, h.title, h.found.isoformat(), _iso(h.deadline), str(days_overdue(h, today)), h.owner or "未明确")
            for h in hs))),
    ]
    body += [Block("p", text) for text in _why(hs, today, threshold)]
    body.append(Block("p", f"按照{SEED_001}（8）“下达提醒函、督办函，严肃指出存在的突出问题”的要求，现就上述隐患的"
                           "整改督办如下："))
    body += [
        Block("p", f"请{you}接函后立即组织整改，逐项落实整改措施、资金、责任人员和完成时限，于{cn_date(reply_by)}前"
                   f"完成全部整改。{local}", lead="一、立即整改到位。"),
        Block("p", "隐患排除前或者排除过程中无法保证安全的，要从危险区域内撤出作业人员，疏散可能危及的其他人员，"
                   "设置警戒标志，暂时停产停业或者停止使用相关设施、设备，落实专人监控，严防发生生产安全事故。",
              lead="二、落实整改期间的防范措施。"),
        Block("p", f"请于{cn_date(reply_by)}前将整改落实情况（整改措施、完成时间和佐证材料）书面报送{organ}。"
                   f"整改完成后按规定申请验收，隐患整改清单经企业、行业部门、乡镇三方确认签字后方可销号"
                   f"（{SEED_004}三（三））。", lead="三、按时书面报告。"),
        Block("p", f"逾期仍未完成整改或者整改不到位的，将按照{SEED_003}第38条“对未按期按规定完成整改的必须依法"
                   f"进行处罚”的要求依法处罚；情况严重的，按照{SEED_001}（8）的规定视情进行约谈、通报，直至移交"
                   "纪检监察机关按规定问责处理。", lead="四、逾期未改的后果。"),
        Block("p", "特此督办。"),
    ]
    key = f"supervise:unit:{name}:{today.isoformat()}" if unit is not None else f"supervise:{hs[0].id}:{today.isoformat()}"
    return Notice("supervise", "督办函", SUPERVISE_TITLE, key, today, to, cc, tuple(h.id for h in hs), tuple(body),
                  _contact(office))


def _not_overdue(h: Hazard, today: dt.date) -> str:
    if h.closed is not None:
        why = f"已于 {h.closed.isoformat()} 销号"
    elif any(e.event is EventKind.RECTIFIED for e in h.history):
        why = "已登记整改完成（待验收）"
    elif h.deadline is None:
        why = "没有整改期限"
    else:
        why = f"整改期限 {h.deadline.isoformat()} 尚未过去"
    return f"隐患 {h.id} 截至 {today.isoformat()} 不是逾期未整改的隐患（{why}），不能发督办函"


def _why(hs: list[Hazard], today: dt.date, threshold: int) -> list[str]:
    """Why the hazards are urged: the rule each falls under, its seed cited in words."""
    out = []
    due = [h for h in hs if escalation_due(h, today, threshold)]
    early = [h for h in hs if h.level is Level.GENERAL and h not in due]
    majors = [h for h in hs if h.level is Level.MAJOR]
    local = "" if threshold == 15 else f"（本地规定为超过{threshold}天）"
    quote = f"{SEED_000}二（二）“超过15天未完成整改的一般事故隐患，一律提级由县人民政府作为重大隐患整改进行督办”"
    if due:
        which = "上述隐患" if len(due) == len(hs) else _ids(due)
        out.append(f"{which}为一般事故隐患，自发现之日起已超过{threshold}天未完成整改。按照{quote}的规定{local}，"
                   "应提级作为重大事故隐患督办，明确治理措施、资金、时限、预案和责任人员。")
    if early:
        days = "；".join(f"{h.id}自{cn_date(h.found + dt.timedelta(days=threshold + 1))}起" for h in early)
        which = "上述隐患" if len(early) == len(hs) else _ids(early)
        out.append(f"{which}为一般事故隐患，已过整改期限；按照{quote}的规定{local}，到期仍未完成整改的将一律"
                   f"提级督办（{days}）。")
    if majors:
        escalated = [h for h in majors if any(e.event is EventKind.ESCALATED for e in h.history)]
        which = "上述隐患" if len(majors) == len(hs) else _ids(majors)
        note = ""
        if escalated:
            note = "（其中" + "、".join(
                f"{h.id}于{cn_date(min(e.date for e in h.history if e.event is EventKind.ESCALATED))}由一般事故隐患提级"
                for h in escalated) + "）"
        out.append(f"{which}为重大事故隐患{note}。按照{SEED_000}二（三）“100%按标整改、100%限期完成”的要求，"
                   "必须在整改期限内完成整改，现已逾期。")
    return out


# ---------------------------------------------------------------------------- 整改通知书


def rectify(h: Hazard, today: dt.date, directory: Directory, *, organ: str,
            office: tuple[str, str | None] | None = None) -> Notice:
    """The 隐患整改通知书 for the enterprise of ``h`` as it stood on ``today``: the hazard found, the
    measures and deadline required (for a 重大 hazard its 五落实), the precautions meanwhile,
    the report and the application for acceptance, and the receipt.  Refused for a hazard
    closed, rectified already, without a deadline or past it (an overdue hazard is urged by a
    督办函)."""
    if h.closed is not None:
        raise Refused(f"隐患 {h.id} 已于 {h.closed.isoformat()} 销号，不能再下达整改通知书")
    if h.deadline is None:
        raise Refused(f"隐患 {h.id} 没有整改期限：先用 anquan hazards set {h.id} deadline 日期 写上，再下达整改通知书")
    if any(e.event is EventKind.RECTIFIED for e in h.history):
        raise Refused(f"隐患 {h.id} 已登记整改完成（待验收），无需再下达整改通知书")
    if h.deadline < today:
        raise Refused(f"隐患 {h.id} 的整改期限 {h.deadline.isoformat()} 已过，整改通知书不能要求在过去的日子完成整改："
                      f"逾期的隐患发督办函（anquan notice supervise {h.id}）；确需重新限期的，先延期（anquan hazards extend）")
    known = directory.unit(h.unit)
    name = known.name if known is not None else h.unit
    to, cc = addressees(name, [h], directory, with_government=False)
    how = f"经{h.source.label}" if h.source is not None else "经检查"
    facts = [("隐患编号", h.id), ("隐患名称", h.title)]
    if h.description:
        facts.append(("具体情况", h.description))
    facts += [("隐患等级", f"{h.level.label}事故隐患"), ("发现日期", h.found.isoformat()),
              ("发现方式", h.source.label if h.source is not None else "未写"),
              ("整改期限", h.deadline.isoformat())]
    if h.owner:
        facts.append(("整改责任人", h.owner))
    body: list[Block] = [
        Block("p", f"{cn_date(h.found)}，{how}发现你单位存在下列{h.level.label}事故隐患："),
        Block("table", table=Table((), tuple(facts))),
        Block("h1", "一、整改要求"),
        Block("p", f"请你单位于{cn_date(h.deadline)}前完成整改。"
                   + (f"整改措施：{_sentence(h.measures)}" if h.measures else
                      "请针对上述隐患制定整改方案，明确整改措施、责任人员和完成时限，立即组织整改。")),
    ]
    if h.level is Level.MAJOR:
        body.append(Block("p", f"该隐患为重大事故隐患。按照{SEED_000}二（三）“100%按标整改、100%限期完成”的要求，"
                               "你单位主要负责人要组织制定并实施隐患治理方案，落实治理措施、资金、时限、预案和责任人员"
                               "（“五落实”）："))
        rows = []
        for name_ in ("measures", "funds", "deadline", "plan", "owner"):
            value = getattr(h, name_)
            text = value.isoformat() if isinstance(value, dt.date) else (value or "")
            rows.append((FIVE_ELEMENTS_ZH[name_], text or "尚未明确，请在治理方案中明确并报送"))
        body.append(Block("table", table=Table((), tuple(rows))))
    body += [
        Block("h1", "二、整改期间的防范措施"),
        Block("p", "整改期间，你单位要采取相应的安全防范措施，设置警示标志，落实专人监控，防止发生生产安全事故；"
                   "隐患排除前或者排除过程中无法保证安全的，应当从危险区域内撤出作业人员，疏散可能危及的其他人员，"
                   "暂时停产停业或者停止使用相关设施、设备。"),
        Block("h1", "三、整改完成后的报告和验收"),
        Block("p", f"整改完成后，你单位应当及时将整改情况书面报告{organ}，并申请验收。隐患整改清单经企业、行业部门、"
                   f"乡镇三方确认签字后方可销号（{SEED_004}三（三））。"
                   + ("重大事故隐患治理结束后，应当组织对治理情况进行评估，向挂牌督办单位"
                      + (f"（{h.supervisor}）" if h.supervisor else "") + "提出书面销号申请。"
                      if h.level is Level.MAJOR else "")),
        Block("p", f"逾期未完成整改的，将按照{SEED_003}第38条“对未按期按规定完成整改的必须依法进行处罚”的要求"
                   "依法处罚。"),
    ]
    after = _contact(office) + (Block("line", ""), Block("line", "被通知单位负责人（签收）：________________"),
                                Block("right", "年　　月　　日"))
    return Notice("rectify", "隐患整改通知书", RECTIFY_TITLE, f"rectify:{h.id}", today, to, cc, (h.id,),
                  tuple(body), after)


def _sentence(text: str) -> str:
    """Record text ending a sentence: a full stop added when it ends without punctuation."""
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；", ".", "!", "?", "”", "）")) else text + "。"


# ---------------------------------------------------------------------------- the history event


def event_note(notice: Notice, number: str) -> str:
    """What the hazard's history event says: the 文号 first (how a re-run recognises it), then
    the title."""
    return f"{number}《{notice.title}》"


def plan_event(h: Hazard, notice: Notice, number: str, by: str) -> Change | None:
    """The history event of ``notice`` numbered ``number`` on ``h``; None when ``h`` already has
    it (the same document written again keeps its number and its one event)."""
    kind = notice.event
    for e in h.history:
        if e.event is kind and e.note and e.note.split("《")[0].strip() == number:
            return None
    return Change(events=[_event(notice.date, kind, by, note=event_note(notice, number))])

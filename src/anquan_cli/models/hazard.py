"""The hazard ledger (隐患台账): one record per accident hazard found.

Rules behind the fields (see README and ``rules/checks.py``):

* seed 000: a major hazard names measures, funds, time limit, contingency plan and
  responsible person (五落实) and is listed for supervision (挂牌督办) by an authority;
* seed 001 (1): "对企业自查以及执法检查发现的重大事故隐患，要挂牌督办，并明确跟踪督办的具体责任人" —
  the ``listing`` (:class:`Listing`): who listed it, when, the tracking person, the document;
  hazards found by higher-level inspections are supervised as major hazards;
* seed 004: every rectification list is confirmed by three parties (三方确认签字) and
  the loop runs 登记 → 整改 → 验收 → 销号.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from anquan_cli.models._base import Date, Ident, Nested, OptDate, OptText, Record, Text, Vocab, _to_date, vocab
from anquan_cli.text import nfkc, parse_date


class Level(Vocab, what="隐患等级"):
    GENERAL = ("general", "一般", "一般隐患", "一般事故隐患")
    MAJOR = ("major", "重大", "重大隐患", "重大事故隐患")


class HazardSource(Vocab, what="隐患来源"):
    """Who found the hazard: the 四查 of seed 004, higher-level inspections (seed 000),
    enforcement and tip-offs (seeds 002/003)."""

    SELF = ("self", "企业自查", "自查", "企业自查自改")
    DEPARTMENT = ("department", "部门检查", "部门排查", "行业部门检查", "站所检查")
    TOWNSHIP = ("township", "乡镇排查", "乡镇检查", "属地排查", "村级排查")
    TEAM = ("team", "检查组检查", "检查组", "联合检查", "督导检查")
    EXPERT = ("expert", "专家检查", "专家组巡查", "专家巡查", "专家会诊", "专家组检查")
    ENFORCEMENT = ("enforcement", "执法检查", "执法", "精准执法")
    HIGHER = ("higher", "上级督查", "上级检查", "上级督查检查", "上级巡查", "上级机关检查")
    TIP_OFF = ("tip_off", "举报", "群众举报", "举报投诉", "吹哨人举报", "12350举报")


class EventKind(Vocab, what="处理环节"):
    REGISTERED = ("registered", "登记", "录入")
    RECTIFIED = ("rectified", "整改完成", "整改", "已整改")
    VERIFIED = ("verified", "验收签字", "签字", "确认签字", "验收", "三方确认")
    CLOSED = ("closed", "销号", "已销号")
    EXTENDED = ("extended", "延期", "延长期限", "延长整改期限")
    ESCALATED = ("escalated", "提级", "提级督办", "升级")
    SUPERVISED = ("supervised", "挂牌督办", "督办")
    REASSIGNED = ("reassigned", "变更责任人", "更换责任人", "调整责任人")
    CHANGED = ("changed", "修改", "更正", "补充", "补录")
    NOTE = ("note", "备注", "说明", "进展")
    #: a 督办函 sent about the hazard (seed 001 (8) "下达提醒函、督办函"); its 文号 in the note.
    #: Not 挂牌督办 (SUPERVISED): it changes no field, so nothing is restored as of an earlier day
    URGED = ("urged", "督办函", "发督办函", "下达督办函")
    #: a 隐患整改通知书 given to the enterprise; its 文号 in the note
    NOTIFIED = ("notified", "整改通知书", "整改通知", "下达整改通知", "隐患整改通知书")


#: fields ``anquan hazards set`` changes with a 修改 event (owner and deadline have events of
#: their own: 变更责任人, 延期), with the Chinese words a CSV history cell may use for them
SETTABLE = {
    "title": ("隐患名称",), "description": ("隐患描述",), "unit": ("单位", "单位名称"),
    "township": ("乡镇",), "sector": ("行业领域", "行业"), "measures": ("治理措施", "整改措施"),
    "funds": ("治理资金", "整改资金", "资金"), "plan": ("应急预案", "预案"),
    "supervisor": ("督办单位", "挂牌督办单位"), "owner": ("责任人", "整改责任人"),
    "deadline": ("整改期限", "期限"),
}
#: the parts of a listing (挂牌督办) a 修改 event may correct, as ``listing.<part>``
LISTING_SETTABLE = {
    "listing.by": ("挂牌督办单位", "挂牌单位"), "listing.date": ("挂牌日期",),
    "listing.tracker": ("跟踪督办责任人",), "listing.number": ("督办文号",),
    "listing.filed": ("备案日期",), "listing.published": ("公布日期",),
}
#: fields whose value (and ``previous``) is a date
DATE_FIELDS = frozenset(("deadline", "listing.date", "listing.filed", "listing.published"))
_FIELD_WORDS = {w: name for name, words in (*SETTABLE.items(), *LISTING_SETTABLE.items()) for w in (name, *words)}


class Party(Vocab, what="签字方"):
    """The three parties who confirm a rectification list (seed 004 三方确认签字)."""

    ENTERPRISE = ("enterprise", "企业", "企业方", "生产经营单位")
    DEPARTMENT = ("department", "部门", "行业部门", "监管部门", "站所")
    TOWNSHIP = ("township", "乡镇", "属地", "乡镇政府")


class Event(Nested):
    """One dated step in a hazard's history."""

    date: Date
    event: vocab(EventKind)
    by: OptText = None
    #: for ``verified``: which of the three parties signed
    party: vocab(Party) | None = None
    #: for ``extended``: the new deadline
    deadline: OptDate = None
    #: for ``changed``: which field changed (English name; ``listing.<part>`` for a part of the
    #: listing), and its new value
    field: OptText = None
    value: OptText = None
    #: the value the event replaced (the old deadline of ``extended``, the old owner of
    #: ``reassigned``, the old value of ``changed``), so a record can be rebuilt as of any day
    previous: dt.date | str | None = None
    #: for ``reassigned``: the new owner
    owner: OptText = None
    #: for ``escalated``/``supervised``: the supervising authority
    supervisor: OptText = None
    reason: OptText = None
    note: OptText = None

    @field_validator("field", mode="before")
    @classmethod
    def _field_name(cls, v):
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        name = _FIELD_WORDS.get(nfkc(str(v)).strip())
        if name is None:
            raise ValueError(f"未知的字段“{v}”，可修改的字段：{'、'.join(SETTABLE)}")
        return name

    @field_validator("previous", mode="before")
    @classmethod
    def _previous_value(cls, v, info: ValidationInfo):
        """A date where the event replaced a date (延期, or a 修改 of the deadline), else text."""
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        kind, name = info.data.get("event"), info.data.get("field")
        if kind is EventKind.EXTENDED or (kind is EventKind.CHANGED and name in DATE_FIELDS):
            return _to_date(v)
        if isinstance(v, dt.date):
            return v.isoformat()
        return str(v).strip()


# History in a CSV cell: one event per line or separated by ；
#   2023-08-05 整改完成 人=张三; 2023-08-10 验收签字 方=企业 人=李四
# A value holding spaces or separators is bracketed: 原因=「雨季 施工；道路中断」 (」」 inside is 」).
_EVENT_KEYS = {
    "by": "by", "人": "by", "经办人": "by", "签字人": "by",
    "party": "party", "方": "party", "签字方": "party",
    "deadline": "deadline", "期限": "deadline", "新期限": "deadline",
    "previous": "previous", "原期限": "previous", "原值": "previous", "原责任人": "previous",
    "field": "field", "字段": "field",
    "value": "value", "新值": "value",
    "owner": "owner", "责任人": "owner",
    "supervisor": "supervisor", "督办": "supervisor", "督办单位": "supervisor",
    "reason": "reason", "原因": "reason", "理由": "reason",
    "note": "note", "备注": "note",
}
#: the words a writer uses for each key (the first Chinese one above)
EVENT_WORDS = {"party": "方", "deadline": "期限", "previous": "原值", "field": "字段", "value": "新值",
               "owner": "责任人", "supervisor": "督办", "reason": "原因", "note": "备注", "by": "人"}
#: ``previous`` is written as what it was: 原期限 of an extension, 原责任人 of a reassignment
PREVIOUS_WORDS = {"延期": "原期限", "变更责任人": "原责任人"}
_TOKEN = re.compile(r"(?P<key>[^\s；;=＝「]+[=＝])「(?P<quoted>(?:[^」]|」」)*)」"
                    r"|(?P<sep>[；;\r\n])|(?P<word>[^\s；;]+)|[^\S\r\n]+")


def history_chunks(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each event's text in a history cell — separators inside 「…」 are
    part of their value, not event boundaries."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for m in _TOKEN.finditer(text):
        if m.group("sep"):
            if start is not None:
                spans.append((start, end))
            start = None
        elif m.group("key") or m.group("word"):
            if start is None:
                start = m.start()
            end = m.end()
    if start is not None:
        spans.append((start, end))
    return spans
_PAIR = re.compile(r"^([^=＝]+)[=＝](.*)$")
_NEEDS_QUOTES = re.compile(r"[\s；;「」]|^$")


def history_value(key: str, text: str) -> str:
    """``key=value`` for a CSV history cell; a value holding spaces or separators goes in
    「」 so it reads back exactly (it is never squeezed or split)."""
    if _NEEDS_QUOTES.search(text):
        return f"{key}=「" + text.replace("」", "」」") + "」"
    return f"{key}={text}"


def _history_groups(text: str) -> list[list[tuple[str, str | None]]]:
    """Events of a history cell as lists of words; a quoted ``key="…"`` word is (key, value)."""
    groups: list[list[tuple[str, str | None]]] = [[]]
    for m in _TOKEN.finditer(text):
        if m.group("sep"):
            groups.append([])
        elif m.group("key"):
            groups[-1].append((m.group("key")[:-1], m.group("quoted").replace("」」", "」")))
        elif m.group("word"):
            groups[-1].append((m.group("word"), None))
    return [g for g in groups if g]


def parse_history_cell(text: str) -> list[dict]:
    """Parse the compact history notation used in CSV ledgers into event mappings."""
    events = []
    for words in _history_groups(text):
        if len(words) < 2 or words[0][1] is not None or words[1][1] is not None:
            shown = " ".join(w if v is None else f"{w}={v}" for w, v in words)
            raise ValueError(f"处理记录“{shown}”不完整：应写成“日期 环节 人=姓名”，"
                             f"如“2023-08-05 整改完成 人=张三”")
        event: dict = {"date": words[0][0], "event": words[1][0]}
        rest: list[str] = []
        for word, quoted in words[2:]:
            if quoted is not None:
                key, value = nfkc(word), quoted
            else:
                m = _PAIR.match(nfkc(word))
                key, value = (m.group(1), m.group(2)) if m else (None, None)
            if key in _EVENT_KEYS:
                event[_EVENT_KEYS[key]] = value
            else:
                rest.append(word if quoted is None else f"{word}={quoted}")
        if rest:
            event["note"] = " ".join([event["note"], *rest] if "note" in event else rest)
        events.append(event)
    return events


class Listing(Nested):
    """挂牌督办 of a major hazard: the listing body, the day, the person who tracks it (跟踪督办
    责任人, seed 001 (1)), the document, the days it was filed (备案) and published (公布), and
    the day it was taken down (摘牌, only after 销号)."""

    by: OptText = None
    date: OptDate = None
    tracker: OptText = None
    number: OptText = None
    filed: OptDate = None
    published: OptDate = None
    delisted: OptDate = None


#: the words of a listing cell in a CSV ledger (``单位=县安委会 日期=2023-06-10 跟踪=王五``),
#: the first Chinese one of each the word a writer uses
LISTING_KEYS = {
    "by": ("单位", "督办单位", "挂牌单位", "by"), "date": ("日期", "挂牌日期", "挂牌", "date"),
    "tracker": ("跟踪", "跟踪督办", "跟踪督办责任人", "责任人", "tracker"),
    "number": ("文号", "督办文号", "number"), "filed": ("备案", "备案日期", "filed"),
    "published": ("公布", "公布日期", "published"), "delisted": ("摘牌", "摘牌日期", "delisted"),
}
LISTING_LABELS = {"by": "挂牌督办单位", "date": "挂牌日期", "tracker": "跟踪督办责任人", "number": "督办文号",
                  "filed": "备案日期", "published": "公布日期", "delisted": "摘牌日期"}


_PAIR = re.compile(r"^([^=＝]+)[=＝](.*)$")


def parse_pairs(text: str, keys: dict[str, tuple[str, ...]], what: str, example: str,
                bare=None) -> dict | None:
    """A CSV cell of ``key=value`` words (values holding spaces in 「」, as in a history cell) as
    a mapping; ``keys`` gives each field's words.  ``bare(word, so_far)`` names the field a word
    without a key fills (None: no field, refused)."""
    if not text.strip():
        return None
    out: dict = {}
    for words in _history_groups(text):
        out.update(_pairs(words, text, keys, what, example, bare, out))
    return out


def parse_pair_groups(text: str, keys: dict[str, tuple[str, ...]], what: str, example: str,
                      bare=None) -> list[dict]:
    """:func:`parse_pairs` of a cell holding several items, separated as history events are
    (``；`` or a new line): one mapping per item."""
    return [_pairs(words, text, keys, what, example, bare, {}) for words in _history_groups(text)]


def _pairs(words: list[tuple[str, str | None]], text: str, keys: dict[str, tuple[str, ...]], what: str,
           example: str, bare, so_far: dict) -> dict:
    words_of = {w: name for name, ws in keys.items() for w in ws}
    out: dict = {}
    for word, quoted in words:
        if quoted is not None:
            key, value = nfkc(word), quoted
        else:  # the key read in any width (跟踪＝), the value kept as written
            m = _PAIR.match(word)
            key, value = (nfkc(m.group(1)).strip(), m.group(2)) if m else (None, word)
        if key is None:
            name = bare(value, {**so_far, **out}) if bare else None
            if name is None:
                raise ValueError(f"{what}“{text.strip()}”中的“{word}”不知是哪一项：写成“{example}”")
            out[name] = value
            continue
        name = words_of.get(key)
        if name is None:
            raise ValueError(f"{what}中的“{key}”不是已知的项目，可写："
                             + "、".join(ws[0] for ws in keys.values()))
        out[name] = value
    return out


def pairs_text(values: dict, keys: dict[str, tuple[str, ...]]) -> str:
    """A mapping as a ``key=value`` cell (:func:`parse_pairs` reads it back)."""
    words = []
    for name, names in keys.items():
        value = values.get(name)
        if value in (None, ""):
            continue
        words.append(history_value(names[0], value.isoformat() if isinstance(value, dt.date) else str(value)))
    return " ".join(words)


def _listing_bare(word: str, so_far: dict) -> str | None:
    """A bare date is the listing day, a bare word the listing body."""
    try:
        parse_date(word)
        return "date" if "date" not in so_far else None
    except ValueError:
        return "by" if "by" not in so_far else None


def parse_listing_cell(text: str) -> dict | None:
    """A CSV ledger's 挂牌督办 cell as a listing mapping."""
    return parse_pairs(text, LISTING_KEYS, "挂牌督办", "单位=县安委会 日期=2023-06-10 跟踪=姓名 文号=…", _listing_bare)


def listing_text(values: dict) -> str:
    """A listing mapping as a CSV cell (:func:`parse_listing_cell` reads it back)."""
    return pairs_text(values, LISTING_KEYS)


def _to_listing(v):
    return parse_listing_cell(v) if isinstance(v, str) else v


class Hazard(Record):
    kind_label = "隐患"
    csv_columns = {
        "id": ("隐患编号", "编号"),
        "title": ("隐患名称", "隐患内容", "存在问题"),
        "description": ("隐患描述", "具体情况"),
        "unit": ("单位名称", "企业名称", "单位/企业名称", "单位", "企业", "被检查单位"),
        "township": ("乡镇", "所属乡镇", "乡镇街道", "属地"),
        "sector": ("行业领域", "行业", "所属行业"),
        "level": ("隐患等级", "等级", "隐患级别"),
        "source": ("隐患来源", "来源", "发现方式", "检查方式"),
        "found": ("发现日期", "发现时间", "排查日期", "检查日期"),
        "deadline": ("整改期限", "整改时限", "限期", "完成时限"),
        "owner": ("责任人", "整改责任人"),
        "measures": ("整改措施", "治理措施"),
        "funds": ("整改资金", "治理资金", "资金"),
        "plan": ("应急预案", "预案"),
        "supervisor": ("督办单位", "挂牌督办单位", "督办部门"),
        "listing": ("挂牌督办", "挂牌督办情况"),
        "closed": ("销号日期", "销号时间"),
        "history": ("处理记录", "整改记录", "履历"),
        "note": ("备注", "整改情况"),
    }

    id: Ident
    title: Text
    description: OptText = None
    unit: Text
    township: OptText = None
    sector: OptText = None
    level: vocab(Level)
    source: vocab(HazardSource) | None = None
    found: Date
    deadline: OptDate = None
    owner: OptText = None
    measures: OptText = None
    funds: OptText = None
    plan: OptText = None
    supervisor: OptText = None
    listing: Annotated[Listing | None, BeforeValidator(_to_listing)] = None
    closed: OptDate = None
    history: list[Event] = Field(default_factory=list)
    note: OptText = None

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline_phrase(cls, v, info: ValidationInfo):
        """A 整改期限 may be written as a phrase that names a day ("2023年9月底前",
        "9月底前" — the year then comes from the found date)."""
        if not isinstance(v, str) or not v.strip():
            return v
        try:
            return parse_date(v)
        except ValueError as date_error:
            from anquan_cli.models.deadline import DeadlineError, parse_deadline

            found = info.data.get("found")
            try:
                d = parse_deadline(v, found.year if found else None)
            except DeadlineError:
                raise date_error from None
            if d.end is None:
                raise ValueError(f"整改期限“{v}”不是具体日期（{d.kind.label}）：隐患须有明确的整改期限") from None
            return d.end

    @field_validator("history", mode="before")
    @classmethod
    def _history_from_text(cls, v):
        if isinstance(v, str):
            return parse_history_cell(v)
        return [] if v is None else v

    @property
    def is_open(self) -> bool:
        return self.closed is None

    def listing_missing(self) -> list[str]:
        """What a listing must state and this hazard's does not (seed 001 (1): the listing body,
        the day and the tracking person) — all of them when it has none."""
        lst = self.listing
        return [name for name in ("by", "date", "tracker") if lst is None or getattr(lst, name) in (None, "")]

    def five_elements_missing(self) -> list[str]:
        """Which of the 五落实 (measures, funds, time limit, plan, responsible person) are absent."""
        missing = []
        for name in ("measures", "funds", "deadline", "plan", "owner"):
            if getattr(self, name) in (None, ""):
                missing.append(name)
        return missing


FIVE_ELEMENTS_ZH = {
    "measures": "治理措施", "funds": "治理资金", "deadline": "整改时限",
    "plan": "应急预案", "owner": "责任人员",
}

"""Hazards validated without pydantic, when it is certain pydantic would give the same values.

Reading a province's ledger (100k hazards) spends most of its time in pydantic's machinery
around a handful of simple steps.  :func:`hazard_values` takes those steps itself — the very
same before-validators the model declares (:func:`~anquan_cli.models._base._to_ident`,
:meth:`~anquan_cli.models._base.Vocab.parse`, the cached date parser, the history cell parser,
the event validators), then what pydantic adds (strings stripped of the whitespace pydantic
strips, the required fields present, the types exact) — and returns the values exactly as
``Hazard.model_validate(values)`` would hold them.

Pydantic stays the authority.  Whenever anything is not plainly right — a missing or blank
required field, a value of another type than a string (YAML numbers, mappings), text pydantic
would strip differently from Python (``\\x1c``…) or refuse (lone surrogates), a deadline
written as a phrase, any validator raising — the answer is None and the caller validates with
pydantic, so every message stays pydantic's.  ``tests/test_fast_validate.py`` checks with
Hypothesis that an answer, when given, equals pydantic's, and that ordinary ledgers get one.
"""

from __future__ import annotations

import datetime as dt
import re
from unicodedata import is_normalized

from anquan_cli.models._base import _date_text, _empty_to_none, _to_ident
from anquan_cli.models.hazard import _EVENT_KEYS as _HISTORY_KEYS
from anquan_cli.models.hazard import (
    _PAIR,
    DATE_FIELDS,
    Event,
    EventKind,
    Hazard,
    HazardSource,
    Level,
    Listing,
    Party,
    parse_history_cell,
    parse_listing_cell,
)
from anquan_cli.text import nfkc

__all__ = ["hazard_values", "event_values", "org_values", "Values", "seen", "HAZARD_FIELDS", "EVENT_FIELDS",
           "LISTING_FIELDS"]

_SEPARATORS = re.compile("[；;\r\n]")
#: an id that needs nothing done to it: printable ASCII without spaces
_PLAIN_ID = re.compile(r"[!-~]+")
#: the keys of the events read by the values already seen (any other goes through the model's validators)
_PLAIN_EVENT = frozenset(("date", "event", "by", "party"))

#: the fields each function fills, in the models' order (a test keeps them equal to the models')
HAZARD_FIELDS = ("id", "title", "description", "unit", "township", "sector", "level", "source", "found",
                 "deadline", "owner", "measures", "funds", "plan", "supervisor", "listing", "closed", "history", "note")
LISTING_FIELDS = ("by", "date", "tracker", "number", "filed", "published", "delisted")
EVENT_FIELDS = ("date", "event", "by", "party", "deadline", "field", "value", "previous", "owner",
                "supervisor", "reason", "note")

#: what pydantic-core strips (Rust's ``char::is_whitespace``, Unicode White_Space); Python's
#: ``str.strip`` strips these and a few more (U+001C–U+001F)
_PYDANTIC_SPACE = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                            "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Unsure(Exception):
    """Raised inside: the values go to pydantic."""


def _clean(v: str) -> str:
    """``v`` as pydantic keeps a string (stripped); unsure for what it would strip otherwise
    or refuse."""
    s = v.strip()
    if s != v:
        lead = len(v) - len(v.lstrip())
        if not _PYDANTIC_SPACE.issuperset(v[:lead]) or not _PYDANTIC_SPACE.issuperset(v[lead + len(s):]):
            raise _Unsure
    return _sound(s)


def _sound(s: str) -> str:
    """``s``, unless it holds what pydantic refuses in a string (a lone surrogate)."""
    if not s.isascii() and _SURROGATE.search(s):
        raise _Unsure
    return s


def _text(v: object, required: bool) -> str | None:
    if v is None or type(v) is not str:
        if v is None and not required:
            return None
        raise _Unsure
    if _empty_to_none(v) is None:
        if required:
            raise _Unsure
        return None
    return _clean(v)


def _date(v: object, required: bool) -> dt.date | None:
    if v is None or type(v) is not str:
        if v is None and not required:
            return None
        raise _Unsure
    if not v.strip():
        if required:
            raise _Unsure
        return None
    try:
        d = _date_text(v)
    except ValueError:
        raise _Unsure from None
    if type(d) is not dt.date:
        raise _Unsure
    return d


def _vocab(cls, v: object, required: bool):
    if v is None:
        if required:
            raise _Unsure
        return None
    if type(v) is not str:
        raise _Unsure
    try:
        return cls.parse(v)
    except ValueError:
        raise _Unsure from None


def _field_name(v: object) -> str | None:
    try:
        name = Event._field_name(v)
    except ValueError:
        raise _Unsure from None
    return None if name is None else _text(name, False)


def event_values(raw: object) -> dict | None:
    """The values ``Event.model_validate(raw)`` holds, or None when unsure."""
    try:
        return _event(raw)
    except _Unsure:
        return None


_EVENT_KEYS = frozenset(EVENT_FIELDS)


def _event(raw: object) -> dict:
    if not isinstance(raw, dict) or not _EVENT_KEYS.issuperset(raw):
        raise _Unsure
    g = raw.get
    kind = _vocab(EventKind, g("event"), True)
    name = _field_name(g("field"))
    previous = g("previous")
    if previous is not None:
        if isinstance(previous, str) and not previous.strip():
            previous = None
        elif kind is EventKind.EXTENDED or (kind is EventKind.CHANGED and name in DATE_FIELDS):
            previous = _date(previous, False)
        elif type(previous) is str:
            previous = _sound(previous.strip())  # the validator strips as Python does
        else:
            raise _Unsure
    return {"date": _date(g("date"), True), "event": kind, "by": _text(g("by"), False),
            "party": _vocab(Party, g("party"), False), "deadline": _date(g("deadline"), False),
            "field": name, "value": _text(g("value"), False), "previous": previous,
            "owner": _text(g("owner"), False), "supervisor": _text(g("supervisor"), False),
            "reason": _text(g("reason"), False), "note": _text(g("note"), False)}


_LISTING_KEYS = frozenset(LISTING_FIELDS)
_LISTING_DATES = frozenset(("date", "filed", "published", "delisted"))


def _listing(v: object) -> dict | None:
    """The values ``Listing.model_validate`` holds for a hazard's listing: a mapping (YAML) or
    a CSV cell (read by the model's own parser), or unsure."""
    if v is None:
        return None
    if type(v) is str:
        try:
            v = parse_listing_cell(v)
        except ValueError:
            raise _Unsure from None
        if v is None:
            return None
    if not isinstance(v, dict) or not _LISTING_KEYS.issuperset(v):
        raise _Unsure
    g = v.get
    return {name: (_date(g(name), False) if name in _LISTING_DATES else _text(g(name), False))
            for name in LISTING_FIELDS}


_HAZARD_KEYS = frozenset(HAZARD_FIELDS)


def hazard_values(values: dict, build_event=None, build_listing=None) -> dict | None:
    """The values ``Hazard.model_validate(values)`` holds (its ``__dict__``; each event as
    ``build_event(event values)``, the listing as ``build_listing(its values)``, or as their
    values), or None when unsure."""
    if not _HAZARD_KEYS.issuperset(values):
        return None
    try:
        done = _SEEN.hazard(values)
    except _Unsure:
        return None
    if build_event is not None:
        done["history"] = [build_event(e) for e in done["history"]]
    if build_listing is not None and done["listing"] is not None:
        done["listing"] = build_listing(done["listing"])
    return done


class Values:
    """A hazard's values validated with each distinct value worked out once (dates, levels,
    sources, kinds, the words of history cells): the same answers as :func:`hazard_values`'s
    steps, kept for the next record."""

    def __init__(self) -> None:
        self.dates: dict[str, object] = {}
        self.levels: dict[str, Level] = {}
        self.sources: dict[str, HazardSource] = {}
        self.kinds: dict[str, EventKind] = {}
        self.parties: dict[str, Party] = {}
        self.pairs: dict[str, tuple[str | None, object]] = {}

    def date(self, v: str | None, required: bool = False):
        if v is None:
            if required:
                raise _Unsure
            return None
        d = self.dates.get(v)
        if d is None:
            d = _date(v, True)
            if d is None:
                raise _Unsure
            self.dates[v] = d
        return d

    def ydate(self, v: object, required: bool = False):
        """A date as YAML gives it: text (blank text is no date), nothing, or unsure."""
        if v is None or (type(v) is str and not v.strip()):
            if required:
                raise _Unsure
            return None
        if type(v) is not str:
            raise _Unsure
        return self.date(v, required)

    def vocab(self, memo: dict, cls, v: str | None, required: bool):
        if v is None:
            if required:
                raise _Unsure
            return None
        if type(v) is not str:
            raise _Unsure  # a number, a list …: pydantic's error (and not a key to look up)
        m = memo.get(v)
        if m is None:
            m = memo[v] = _vocab(cls, v, True)
        return m

    def history(self, cell: str | None) -> list[dict]:
        if cell is None:
            return []
        if "「" in cell:  # a bracketed value may hold separators: the whole cell at once
            try:
                return [_event(e) for e in parse_history_cell(cell)]
            except ValueError:
                raise _Unsure from None
        out = []
        for chunk in _SEPARATORS.split(cell):
            words = chunk.split()
            if not words:
                continue
            if len(words) < 2:
                raise _Unsure
            plain = True
            by = party = None
            for word in words[2:]:
                pair = self.pairs.get(word)
                if pair is None:
                    pair = self._pair(word)
                    if pair[0] != "by" or len(self.pairs) < 65536:  # names are many: keep a province's people
                        self.pairs[word] = pair
                if pair[0] == "by":
                    by = pair[1]
                elif pair[0] == "party":
                    party = pair[1]
                else:
                    plain = False
                    break
            if not plain:  # any other key, or words that go to the note: as the model reads them
                try:
                    parsed = parse_history_cell(chunk)
                except ValueError:
                    raise _Unsure from None
                out.append(_event(parsed[0]))
                continue
            when = self.dates.get(words[0])
            if when is None:
                when = self.date(words[0], True)
            kind = self.kinds.get(words[1])
            if kind is None:
                kind = self.vocab(self.kinds, EventKind, words[1], True)
            out.append({"date": when, "event": kind, "by": by, "party": party, "deadline": None, "field": None,
                        "value": None, "previous": None, "owner": None, "supervisor": None, "reason": None,
                        "note": None})
        return out

    @staticmethod
    def _pair(word: str) -> tuple[str | None, object]:
        """``(by|party, validated value)`` of a ``人=…`` or ``方=…`` word as the history parser
        and the event model read it; ``(None, None)`` for any other word."""
        if word.startswith("人=") and is_normalized("NFKC", word):  # most words: 人=姓名
            return "by", _text(word[2:], False)
        m = _PAIR.match(nfkc(word))
        key = _HISTORY_KEYS.get(m.group(1)) if m else None
        if key == "by":
            return key, _text(m.group(2), False)  # type: ignore[union-attr]  # key implies m
        if key == "party":
            return key, _vocab(Party, m.group(2), False)  # type: ignore[union-attr]
        return None, None

    def hazard(self, raw: dict) -> dict:
        """The values of one hazard (field name → value as a CSV cell or a YAML value gives
        it); raises when unsure."""
        g = raw.get
        text = _text
        ident = _ident(g("id"))
        history = g("history")
        if history is None:
            events = []
        elif type(history) is str:
            events = self.history(history)
        elif isinstance(history, list):
            events = [self.event(e) for e in history]
        else:
            raise _Unsure
        return {"id": ident, "title": text(g("title"), True), "description": text(g("description"), False),
                "unit": text(g("unit"), True), "township": text(g("township"), False),
                "sector": text(g("sector"), False), "level": self.vocab(self.levels, Level, g("level"), True),
                "source": self.vocab(self.sources, HazardSource, g("source"), False),
                "found": self.ydate(g("found"), True),
                "deadline": self.ydate(g("deadline")), "owner": text(g("owner"), False),
                "measures": text(g("measures"), False), "funds": text(g("funds"), False),
                "plan": text(g("plan"), False), "supervisor": text(g("supervisor"), False),
                "listing": _listing(g("listing")), "closed": self.ydate(g("closed")), "history": events,
                "note": text(g("note"), False)}

    def event(self, raw: object) -> dict:
        """An event mapping read from YAML; the usual ``date, event, by, party`` ones by the
        values already seen."""
        if type(raw) is not dict and not isinstance(raw, dict):
            raise _Unsure
        if not _PLAIN_EVENT.issuperset(raw):
            return _event(raw)
        g = raw.get
        when, kind = g("date"), g("event")
        if type(when) is not str or type(kind) is not str:
            raise _Unsure
        when_date = self.dates.get(when)
        if when_date is None:
            when_date = self.ydate(when, True)
        known = self.kinds.get(kind)
        if known is None:
            known = self.vocab(self.kinds, EventKind, kind, True)
        party = g("party")
        return {"date": when_date, "event": known, "by": _text(g("by"), False),
                "party": None if party is None else self.vocab(self.parties, Party, party, False),
                "deadline": None, "field": None, "value": None, "previous": None, "owner": None, "supervisor": None,
                "reason": None, "note": None}

    def cells(self, raw: dict[str, str]) -> dict:
        """:meth:`hazard` of a CSV row's cells, which the CSV reader gives stripped and not
        empty (and the file was found free of surrogates): a text field is its cell as it is,
        so only the required ones are looked at."""
        g = raw.get
        ident = _ident(g("id"))
        title, unit = g("title"), g("unit")
        if title is None or unit is None:
            raise _Unsure
        return {"id": ident, "title": title, "description": g("description"), "unit": unit,
                "township": g("township"), "sector": g("sector"),
                "level": self.vocab(self.levels, Level, g("level"), True),
                "source": self.vocab(self.sources, HazardSource, g("source"), False),
                "found": self.date(g("found"), True), "deadline": self.date(g("deadline")),
                "owner": g("owner"), "measures": g("measures"), "funds": g("funds"), "plan": g("plan"),
                "supervisor": g("supervisor"), "listing": _listing(g("listing")), "closed": self.date(g("closed")),
                "history": self.history(g("history")), "note": g("note")}


def _ident(v: object) -> str:
    """An id as the model keeps it (one that needs nothing done to it as it is)."""
    if type(v) is not str:
        raise _Unsure
    if _PLAIN_ID.fullmatch(v):
        return v
    try:
        ident = _to_ident(v)
    except ValueError:
        raise _Unsure from None
    return _clean(ident)


#: the values worked out so far in this process
_SEEN = Values()


def seen() -> Values:
    """The values worked out so far in this process (dates, words and names repeat from one
    file to the next)."""
    return _SEEN


def fields_match() -> bool:
    """Whether the models still have exactly the fields these functions fill (else the fast
    path stays off)."""
    return (tuple(Hazard.model_fields) == HAZARD_FIELDS and tuple(Event.model_fields) == EVENT_FIELDS
            and tuple(Listing.model_fields) == LISTING_FIELDS)


# ---------------------------------------------------------------------- units and people

#: how each field of a unit or a person is validated: (field, kind, required or the vocabulary)
_ORG_SPECS: dict[str, tuple[tuple[str, str, object], ...]] = {
    "Unit": (("id", "ident?", None), ("name", "text", True), ("kind", "vocab", "UnitKind"),
             ("township", "text", False), ("village", "text", False), ("sector", "text", False),
             ("grade", "vocab?", "Grade"), ("key", "flag", None), ("sectors", "names", None),
             ("aliases", "names", None), ("legal_rep", "text", False), ("regulator", "text", False),
             ("regulator_person", "text", False), ("jurisdiction", "vocab?", "Jurisdiction"),
             ("key_inspection", "flag", None), ("grid", "text", False), ("note", "text", False)),
    "Person": (("id", "ident", None), ("name", "text", True), ("title", "text", False), ("unit", "text", False),
               ("phone", "text", False), ("email", "text", False), ("roles", "names", None)),
}


def org_values(model: type, values: dict) -> dict | None:
    """The values ``model.model_validate(values)`` holds for a unit or a person, or None when
    unsure (then pydantic validates them)."""
    from anquan_cli.models import org

    spec = _ORG_SPECS.get(model.__name__)
    if spec is None or tuple(model.model_fields) != tuple(f for f, _, _ in spec):  # type: ignore[attr-defined]
        return None
    if not set(values) <= {f for f, _, _ in spec}:
        return None
    out: dict = {}
    try:
        for name, kind, arg in spec:
            v = values.get(name)
            if v is None and name in values and kind in ("flag", "names"):
                raise _Unsure  # written out as nothing: pydantic's error, not the default
            if kind == "text":
                out[name] = _text(v, bool(arg))
            elif kind in ("ident", "ident?"):
                if v is None and kind == "ident?":
                    out[name] = None
                    continue
                if type(v) is not str:
                    raise _Unsure
                try:
                    out[name] = _clean(_to_ident(v))
                except ValueError:
                    raise _Unsure from None
            elif kind in ("vocab", "vocab?"):
                cls = getattr(org, str(arg))
                out[name] = v if isinstance(v, cls) else _vocab(cls, v, kind == "vocab")
            elif kind == "flag":
                out[name] = _flag(v)
            else:
                out[name] = _names(v)
    except _Unsure:
        return None
    return out


def _flag(v: object) -> bool:
    from anquan_cli.models._base import _to_bool

    if v is None:  # not given (given as nothing is refused above): the default
        return False
    if type(v) is bool:
        return v
    if type(v) is str:
        got = _to_bool(v)
        if type(got) is bool:
            return got
    raise _Unsure


def _names(v: object) -> list[str]:
    from anquan_cli.text import split_names

    if v is None:
        return []
    if type(v) is str:
        v = split_names(v)
    if not isinstance(v, list):
        raise _Unsure
    out = []
    for item in v:
        if type(item) is not str:
            raise _Unsure
        out.append(_clean(item))
    return out

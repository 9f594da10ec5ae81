"""A clean hazard file (CSV or YAML) read straight into validated values, without a record object.

The ordinary read (:class:`anquan_cli.workspace._Reader`) turns each row into a positioned
mapping and hands it to pydantic.  For a province's ledger that is most of a cold start, and
nearly all of it is the same few values again and again: dates, levels, sources, the events
of a history cell.  :func:`csv_hazards` reads the same rows (:func:`~anquan_cli.io.csvread.csv_rows`)
and validates each distinct value once — by :mod:`anquan_cli.models.fast`, which is exact or
unsure — and returns, for each record, its values as the model holds them, its line and the
lines of its fields: what the record cache keeps (:func:`anquan_cli.cache.dump_records`).

It answers only for a file the ordinary read would find nothing wrong with: any problem at
all — a syntax error, a column it does not know or has twice, a cell past the header, a
value the fast validator is unsure of — and it returns None, and the file is read the
ordinary way (which then reports what is wrong, in pydantic's words).
"""

from __future__ import annotations

import re
from unicodedata import is_normalized

from anquan_cli.io.csvread import csv_rows
from anquan_cli.models import EventKind, Hazard, HazardSource, Level, Party
from anquan_cli.models import fast as F
from anquan_cli.models.hazard import _EVENT_KEYS, _PAIR, parse_history_cell
from anquan_cli.text import nfkc

__all__ = ["hazard_file", "csv_hazards", "yaml_hazards", "Row"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    #: (values as the model holds them, the record's line, the line of each field given)
    Row: TypeAlias = tuple[dict, int, dict[str, int], dict]

_SEPARATORS = re.compile("[；;\r\n]")
#: an id that needs nothing done to it: printable ASCII without spaces
_PLAIN_ID = re.compile(r"[!-~]+")
_Unsure = F._Unsure
#: the keys of the events read by the values already seen (any other goes through the model's validators)
_PLAIN_EVENT = frozenset(("date", "event", "by", "party"))


def hazard_file(rel: str, data: bytes) -> tuple[list[Row], list[int]] | None:
    """The records of a hazard file (CSV or YAML, its bytes) as the record cache keeps them and
    the lines where they start, or None when the ordinary read should read it."""
    from anquan_cli.io.decode import DecodeError, decode
    from anquan_cli.locate import YAML_SUFFIXES

    try:
        text = decode(data).text
    except DecodeError:
        return None  # the ordinary read says what is wrong
    if rel.lower().endswith(".csv"):
        rows = csv_hazards(rel, text)
        return None if rows is None else (rows, [row[1] for row in rows])
    if rel.lower().endswith(YAML_SUFFIXES):
        return yaml_hazards(rel, text)
    return None


def csv_hazards(rel: str, text: str) -> list[Row] | None:
    """The records of the CSV hazard file ``rel`` as the record cache keeps them, or None
    when the ordinary read should read it."""
    if not F.fields_match() or F._SURROGATE.search(text):
        return None
    problems: list = []
    rows = csv_rows(text, rel, problems)
    first = next(rows, None)
    if first is None:
        return None  # empty: the ordinary read says so
    from anquan_cli.workspace import csv_header

    header = [c.strip() for c in first[1]]
    names, unknown, doubled = csv_header(Hazard, header)
    if unknown or doubled:
        return None  # an unknown or doubled column: a warning or an error to report
    width = len(header)
    columns = [(i, name) for i, h in enumerate(header) if h and (name := names[h]) is not None]
    reader = _Values()
    out: list[Row] = []
    try:
        for line, cells in rows:
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                return None
            raw = {}
            for i, name in columns:
                if i < len(cells):
                    cell = cells[i].strip()
                    if cell:
                        raw[name] = cell
            out.append((reader.hazard(raw), line, dict.fromkeys(raw, line), {}))
    except _Unsure:
        return None
    if problems:
        return None
    return out


def yaml_hazards(rel: str, text: str) -> tuple[list[Row], list[int]] | None:
    """The records of the YAML hazard file ``rel`` as the record cache keeps them and the lines
    where they start, or None when the ordinary read should read it: a file in the plain style
    (:func:`anquan_cli.io.yamlfast.read_simple`) whose records are a list under ``hazards:``
    written with the fields' own English keys, every value one the fast validator is sure of."""
    from anquan_cli.io.yamlfast import read_simple
    from anquan_cli.io.yamlread import PosDict, PosList

    if not F.fields_match():
        return None
    data = read_simple(text)
    if isinstance(data, PosDict):
        if list(data) != ["hazards"]:
            return None  # another top-level key is a warning; none at all an error
        data = data["hazards"]
    if not isinstance(data, PosList):
        return None
    reader = _Values()
    out: list[Row] = []
    fields = F._HAZARD_KEYS
    try:
        for raw, line in zip(data, data.item_lines):
            if type(raw) is not PosDict or not fields.issuperset(raw):
                return None  # not a mapping, or a key to warn about
            history = raw.get("history")
            items = {"history": tuple(history.item_lines)} if isinstance(history, PosList) else {}
            if any(type(v) is PosList for k, v in raw.items() if k != "history"):
                return None
            out.append((reader.mapped_hazard(raw), line, dict(raw.key_lines), items))
    except _Unsure:
        return None
    return out, list(data.item_lines)


class _Values:
    """Each distinct cell validated once."""

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
            d = F._date(v, True)
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
        m = memo.get(v)
        if m is None:
            m = memo[v] = F._vocab(cls, v, True)
        return m

    def history(self, cell: str | None) -> list[dict]:
        if cell is None:
            return []
        if "「" in cell:  # a bracketed value may hold separators: the whole cell at once
            try:
                return [F._event(e) for e in parse_history_cell(cell)]
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
                    if pair[0] != "by" or len(self.pairs) < 4096:  # names are many: keep the few words
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
                out.append(F._event(parsed[0]))
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
            return "by", F._text(word[2:], False)
        m = _PAIR.match(nfkc(word))
        key = _EVENT_KEYS.get(m.group(1)) if m else None
        if key == "by":
            return key, F._text(m.group(2), False)  # type: ignore[union-attr]  # key implies m
        if key == "party":
            return key, F._vocab(Party, m.group(2), False)  # type: ignore[union-attr]
        return None, None

    def mapped_hazard(self, raw: dict) -> dict:
        """:meth:`hazard` of a mapping read from YAML (values of any type, not stripped)."""
        g = raw.get
        text = F._text
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
                "closed": self.ydate(g("closed")), "history": events,
                "note": text(g("note"), False)}

    def event(self, raw: object) -> dict:
        """An event mapping read from YAML; the usual ``date, event, by, party`` ones by the
        values already seen."""
        if type(raw) is not dict and not isinstance(raw, dict):
            raise _Unsure
        if not _PLAIN_EVENT.issuperset(raw):
            return F._event(raw)
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
        return {"date": when_date, "event": known, "by": F._text(g("by"), False),
                "party": None if party is None else self.vocab(self.parties, Party, party, False),
                "deadline": None, "field": None, "value": None, "previous": None, "owner": None, "supervisor": None,
                "reason": None, "note": None}

    def hazard(self, raw: dict[str, str]) -> dict:
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
                "supervisor": g("supervisor"), "closed": self.date(g("closed")),
                "history": self.history(g("history")), "note": g("note")}


def _ident(v: object) -> str:
    """An id as the model keeps it (one that needs nothing done to it as it is)."""
    if type(v) is not str:
        raise _Unsure
    if _PLAIN_ID.fullmatch(v):
        return v
    try:
        ident = F._to_ident(v)
    except ValueError:
        raise _Unsure from None
    return F._clean(ident)

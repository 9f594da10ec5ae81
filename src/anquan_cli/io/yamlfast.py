"""The YAML offices and anquan write, read line by line — or declined.

Ledgers are written in one plain block style: ``key: value`` lines, lists of ``- key: value``
items, and an item's events as one-line flow mappings (``- {date: 2023-08-05, event: 整改完成,
by: 张三}``).  libyaml composes a node object for every key and value of such a file and then
:mod:`anquan_cli.io.yamlread` builds the values from them; for a province's ledger that is
most of a cold start.  :func:`read_simple` reads that style straight into the very values
:func:`~anquan_cli.io.yamlread.parse_yaml` builds — the same :class:`PosDict` and
:class:`PosList` with the same lines, the same YAML 1.2 core-schema scalars (dates stay text,
``001`` stays text, ``no`` stays text, a comment after a value dropped) — and answers None
for anything else: block scalars, multi-line or escaped quoted text, a comment after a flow
collection, anchors, tags, tabs, document markers, duplicate keys, unusual line breaks or
characters, anything it does not know.  The
file then goes to libyaml, which reads it and reports what is wrong.  ``tests/test_yamlfast.py``
checks with Hypothesis that an answer, when given, equals libyaml's, positions included.
"""

from __future__ import annotations

import re

from anquan_cli.io.yamlread import PosDict, PosList, plain_value

__all__ = ["read_simple", "scan_records"]

#: characters libyaml reads in a document (its "printable" set), less the byte-order mark
#: and the line breaks other than \n and \r (which editors count differently)
_ODD = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"(\w[\w.\-]*):(?: +(.*))?$")
#: what may not start a plain value (YAML indicators), and what a plain value in a flow
#: collection may not hold at all
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_STOP = re.compile(r"[,\[\]{}#:'\"]")


class _Decline(Exception):
    pass


def _lines_of(text: str) -> str | None:
    """``text`` with its lines ended by LF, when every character is one the line readers know
    (no tab, nothing libyaml reads otherwise, no CR but in CRLF); else None."""
    if "\t" in text or _ODD.search(text):
        return None
    if "\r" in text:
        if "\r" in text.replace("\r\n", ""):
            return None
        text = text.replace("\r\n", "\n")
    return text


def read_simple(text: str) -> object | None:
    """The value :func:`~anquan_cli.io.yamlread.parse_yaml` reads from ``text`` (a mapping or
    a list) when the text is in the plain style this reader knows and would bring no problem;
    else None."""
    plain = _lines_of(text)
    if plain is None:
        return None
    text = plain
    lines: list[tuple[int, int, str]] = []  # (line, indent, content) of the lines that hold something
    for number, raw in enumerate(text.split("\n"), 1):
        content = raw.rstrip(" ")
        stripped = content.lstrip(" ")
        if not stripped or stripped[0] == "#":
            continue
        if stripped.startswith(("---", "...")) and len(stripped) - len(stripped.lstrip(".-")) >= 3:
            return None  # a document marker
        lines.append((number, len(content) - len(stripped), stripped))
    if not lines or lines[0][1] != 0:
        return None
    try:
        value, at = _Reader(lines).node(0)
    except (_Decline, RecursionError):  # too deep: libyaml's reading says so
        return None
    return value if at == len(lines) else None


# ---------------------------------------------------------------------- whole records


def _record_pattern(keys: tuple[str, ...], list_key: str) -> re.Pattern[str]:
    """One record as anquan writes it: ``  - key: value`` for the first key, the others (each
    optional, in this order) at four spaces, the list one as one-line flow items at six."""
    parts = [f"  - {re.escape(keys[0])}: +([^\\n]*[^\\n ]) *\\n"]
    for key in keys[1:]:
        if key == list_key:
            parts.append(f"(?:    {re.escape(key)}:\\n((?:      - {{[^\\n]*}} *\\n)+))?")
        else:
            parts.append(f"(?:    {re.escape(key)}: +([^\\n]*[^\\n ]) *\\n)?")
    return re.compile("".join(parts))


#: an event as anquan writes it: ``{date: …, event: …[, party: …][, by: …]}``
_EVENT_LINE = re.compile(r"      - \{date: ([^,\n]*), event: ([^,\n]*)(?:, party: ([^,\n]*))?(?:, by: ([^,\n]*))?\} *")
_EVENT_KEYS = ("date", "event", "party", "by")
#: what may stand before the container's key and after the last record: blank lines, comments
_MARGIN = re.compile(r"(?:(?:#[^\n]*)?\n)*")
_PATTERNS: dict[tuple[tuple[str, ...], str], re.Pattern[str]] = {}


def scan_records(text: str, container: str, keys: tuple[str, ...], list_key: str
                 ) -> tuple[list[tuple[dict, int, dict[str, int], tuple[int, ...] | None]], list[int]] | None:
    """The records of a file written the way anquan writes a ledger — ``container:`` and under
    it each record's keys in ``keys``' order, one per line, the ``list_key`` one as one-line flow
    mappings — found a whole record at a time by one regular expression (a C loop) rather than
    line by line: ``[(values, line, line of each key, lines of the list's items)], the records'
    lines``, the values, lines and items :func:`read_simple` reads (a record and an item of
    its list plain mappings: an item's keys are on its own line).  None for any other file: a
    comment or blank line between records, another order of keys, a key not in ``keys``, any
    value :func:`read_simple` would not read the same way — which then reads it
    (``tests/test_yamlfast.py`` checks with Hypothesis that an answer equals its)."""
    plain = _lines_of(text)
    if plain is None:
        return None
    text = plain
    if not text.endswith("\n"):
        text += "\n"
    head = _MARGIN.match(text)
    at = head.end() if head else 0
    start = f"{container}:\n"
    if not text.startswith(start, at):
        return None
    line = text.count("\n", 0, at) + 2  # the line of the first record
    at += len(start)
    pattern = _PATTERNS.get((keys, list_key))
    if pattern is None:
        pattern = _PATTERNS[(keys, list_key)] = _record_pattern(keys, list_key)
    reader = _Reader([])
    inline, flow = reader.inline, reader.flow_mapping
    event_line = _EVENT_LINE.match
    records: list[tuple[dict, int, dict[str, int], tuple[int, ...] | None]] = []
    starts: list[int] = []
    match = pattern.match
    end = len(text)
    try:
        while at < end:
            m = match(text, at)
            if m is None:
                break
            at = m.end()
            first = line
            record: dict = {}
            lines: dict[str, int] = {}
            items: tuple[int, ...] | None = None
            for key, got in zip(keys, m.groups()):
                if got is None:
                    continue
                lines[key] = line
                line += 1
                if key != list_key:
                    record[key] = inline(got, line - 1)
                    continue
                events = []
                numbers = []
                item: dict[str, object]
                for raw in got.split("\n")[:-1]:
                    e = event_line(raw)
                    if e is None or e.end() != len(raw):
                        item = flow(raw[8:].rstrip(" "), line)
                    else:  # the usual event: its values as a flow mapping reads them
                        item = {name: _flow_plain(v.strip(" "))
                                for name, v in zip(_EVENT_KEYS, e.groups()) if v is not None}
                    events.append(item)
                    numbers.append(line)
                    line += 1
                record[key] = events
                items = tuple(numbers)
            records.append((record, first, lines, items))
            starts.append(first)
    except _Decline:
        return None
    tail = _MARGIN.match(text, at)
    if not records or tail is None or tail.end() != end:
        return None
    return records, starts


def _is_item(content: str) -> bool:
    return content == "-" or content.startswith("- ")


def _key_line(content: str) -> tuple[str, str | None]:
    """``(key, the value's text or None)`` of a ``key: value`` or ``key:`` line — a key met
    before found without the regular expression."""
    key, sep, rest = content.partition(": ")
    if sep and key in _BLOCK_KEYS:
        return key, rest.lstrip(" ") or None
    if not sep and content.endswith(":") and content[:-1] in _BLOCK_KEYS:
        return content[:-1], None
    m = _KEY.match(content)
    if m is None:
        raise _Decline
    _BLOCK_KEYS.add(m.group(1))
    return m.group(1), m.group(2)


def _is_key_line(content: str) -> bool:
    try:
        _key_line(content)
    except _Decline:
        return False
    return True


class _Reader:
    def __init__(self, lines: list[tuple[int, int, str]]) -> None:
        self.lines = lines

    def node(self, at: int) -> tuple[object, int]:
        """The block collection starting at line ``at``, and the line after it."""
        if _is_item(self.lines[at][2]):
            return self.sequence(at)
        return self.mapping(at)

    def mapping(self, at: int) -> tuple[PosDict, int]:
        lines = self.lines
        first, indent, _ = lines[at]
        out = PosDict(first)
        while at < len(lines) and lines[at][1] == indent and not _is_item(lines[at][2]):
            number, _, content = lines[at]
            key, rest = _key_line(content)
            if key in out or key == "<<" or len(key) > 1000:
                raise _Decline  # a duplicate key is a warning to report; a merge key an error
            at += 1
            if rest:
                value = self.inline(rest, number)
            elif at < len(lines) and (lines[at][1] > indent or (lines[at][1] == indent and _is_item(lines[at][2]))):
                value, at = self.node(at)
            else:
                value = None
            out[key] = value
            out.key_lines[key] = number
        if at < len(lines) and lines[at][1] > indent:
            raise _Decline  # a continuation line, or an indent out of step
        return out, at

    def sequence(self, at: int) -> tuple[PosList, int]:
        lines = self.lines
        first, indent, _ = lines[at]
        out = PosList(first)
        while at < len(lines) and lines[at][1] == indent and _is_item(lines[at][2]):
            number, _, content = lines[at]
            rest = content[2:]
            if not rest:
                raise _Decline  # a bare "-" with its item below
            inner = rest.lstrip(" ")
            value: object
            if _is_key_line(inner):  # a mapping whose first key is on the item's line
                column = indent + 2 + len(rest) - len(inner)
                lines[at] = (number, column, inner)
                value, at = self.mapping(at)
                if at < len(lines) and indent < lines[at][1] < column:
                    raise _Decline
            elif _is_item(inner):
                raise _Decline  # a list in a list on one line
            else:
                value = self.inline(inner, number)
                at += 1
            out.append(value)
            out.item_lines.append(number)
        if at < len(lines) and lines[at][1] > indent:
            raise _Decline
        return out, at

    def inline(self, text: str, number: int) -> object:
        """A value written on its line after ``key:`` or ``-``."""
        got = _BLOCK_VALUES.get(text, _UNSEEN)
        if got is not _UNSEEN:
            return got
        first = text[0]
        if "#" in text:  # a comment after the value (a # after a space), or a # in the text
            if first == "#":
                return None  # nothing but a comment: no value
            if first in "{[":
                raise _Decline
            if first == '"' or first == "'":
                close = text.find(first, 1)
                if close < 0 or not text.startswith(" #", close + 1) and close + 1 != len(text):
                    raise _Decline
                text = text[:close + 1] if close + 1 < len(text) else text
            else:
                cut = text.find(" #")
                if cut >= 0:
                    text = text[:cut].rstrip(" ")
        if first == '"' or first == "'":
            if len(text) < 2 or text[-1] != first or first in text[1:-1] or "\\" in text:
                raise _Decline
            return text[1:-1]
        if first == "{":
            return self.flow_mapping(text, number)
        if first == "[":
            return self.flow_sequence(text, number)
        if first in _INDICATORS or ": " in text or text.endswith(":"):
            raise _Decline
        return _remember(_BLOCK_VALUES, text, plain_value(text))

    def flow_mapping(self, text: str, number: int) -> PosDict:
        """``{key: value, …}`` on one line; a value may be a flow list (``roles: [a, b]``)."""
        if not text.endswith("}"):
            raise _Decline
        out = PosDict(number)
        lines = out.key_lines
        body = text[1:-1]
        at, end = 0, len(body)
        while True:
            colon = body.find(": ", at)
            if colon < 0:
                raise _Decline
            key = body[at:colon].strip(" ")
            if key not in _FLOW_KEYS:
                if not _KEY.match(key + ":") or key == "<<" or len(key) > 1000:
                    raise _Decline
                _FLOW_KEYS.add(key)
            if key in out:
                raise _Decline
            start = colon + 2
            while start < end and body[start] == " ":
                start += 1
            value: object
            if start < end and body[start] == "[":
                close = body.find("]", start)
                if close < 0:
                    raise _Decline
                value = self.flow_sequence(body[start:close + 1], number)
                rest = body[close + 1:].lstrip(" ")
                if rest and rest[0] != ",":
                    raise _Decline
                comma = -1 if not rest else end - len(rest)
            else:
                comma = body.find(",", start)
                value = _flow_plain(body[start:comma if comma >= 0 else end].strip(" "))
            out[key] = value
            lines[key] = number
            if comma < 0:
                return out
            at = comma + 1

    def flow_sequence(self, text: str, number: int) -> PosList:
        if not text.endswith("]"):
            raise _Decline
        out = PosList(number)
        inside = text[1:-1]
        if not inside.strip(" "):
            return out
        for part in inside.split(","):
            out.append(_flow_plain(part.strip(" ")))
            out.item_lines.append(number)
        return out


def _flow_plain(text: str) -> object:
    got = _FLOW_VALUES.get(text, _UNSEEN)
    if got is _UNSEEN:
        if not text or text[0] in _INDICATORS or _FLOW_STOP.search(text):
            raise _Decline
        got = _remember(_FLOW_VALUES, text, plain_value(text))
    return got


def _remember(memo: dict[str, object], text: str, value: object) -> object:
    """``value``, kept as ``text``'s in ``memo`` (emptied past 200,000 values)."""
    if len(memo) > 200_000:
        memo.clear()
    memo[text] = value
    return value


_UNSEEN = object()
#: the flow values read so far (dates, kinds, names repeat from one event to the next)
_FLOW_VALUES: dict[str, object] = {}
#: the plain values written after ``key:`` read so far
_BLOCK_VALUES: dict[str, object] = {}
#: the keys of ``key: value`` lines found to be plain keys
_BLOCK_KEYS: set[str] = set()
#: the flow mapping keys found to be plain keys
_FLOW_KEYS: set[str] = set()

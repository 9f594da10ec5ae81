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

import itertools
import operator

from anquan_cli.io.csvread import csv_rows
from anquan_cli.models import Hazard
from anquan_cli.models import fast as F

__all__ = ["hazard_file", "csv_hazards", "yaml_hazards", "taker", "Row"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any, TypeAlias

    #: (values as the model holds them, the record's line, the line of each field given)
    Row: TypeAlias = tuple[dict, int, dict[str, int], dict]

_Unsure = F._Unsure


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
    rows = _plain_rows(text)
    if rows is None:
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
    if not columns:
        return None
    # the cells of the named columns in the header's order, taken and stripped by C loops; a
    # short row is padded with empty cells (what a missing cell is to the ordinary read)
    take = taker([i for i, _ in columns])
    fields = [name for _, name in columns]
    strip = str.strip
    reader = F.seen()
    out: list[Row] = []
    padding = [""] * width
    try:
        for line, cells in rows:
            if len(cells) > width:
                if any(c.strip() for c in cells[width:]):
                    return None
            elif len(cells) < width:
                cells = cells + padding[len(cells):]
            values = list(map(strip, take(cells)))
            present = list(itertools.compress(fields, values))
            out.append((reader.cells(dict(zip(present, filter(None, values)))), line,
                        dict.fromkeys(present, line), {}))
    except _Unsure:
        return None
    if problems:
        return None
    return out


def taker(indices: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """What takes these items of a sequence, as a tuple (one C call)."""
    if len(indices) == 1:
        only = indices[0]
        return lambda seq: (seq[only],)
    return operator.itemgetter(*indices)


#: the csv module's limit on one field (a longer one is its error, for the ordinary read to report)
_FIELD_LIMIT = 131072


def _plain_rows(text: str) -> Iterator[tuple[int, list[str]]] | None:
    """:func:`~anquan_cli.io.csvread.csv_rows` of a text without quotes or NULs, its lines
    ended by LF or CRLF, comma-separated: each line is one row and each comma ends a cell, so the rows are
    the lines split (a C loop) — None for any other text."""
    from anquan_cli.io.csvread import delimiter_of

    if '"' in text or "\0" in text or delimiter_of(text) != ",":
        return None
    if "\r" in text:  # lines ended the Windows way, every one (a lone CR ends a row too: the csv module's job)
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    if max(map(len, lines)) >= _FIELD_LIMIT:
        return None
    # a row with any content: a line that is not only commas and spaces (as csv_rows skips)
    return ((number, line.split(",")) for number, line in enumerate(lines, 1)
            if line.replace(",", "").strip())


def yaml_hazards(rel: str, text: str) -> tuple[list[Row], list[int]] | None:
    """The records of the YAML hazard file ``rel`` as the record cache keeps them and the lines
    where they start, or None when the ordinary read should read it: a file in the plain style
    (:func:`anquan_cli.io.yamlfast.read_simple`) whose records are a list under ``hazards:``
    written with the fields' own English keys, every value one the fast validator is sure of."""
    from anquan_cli.io.yamlfast import read_simple, scan_records
    from anquan_cli.io.yamlread import PosDict, PosList

    if not F.fields_match():
        return None
    scanned = scan_records(text, "hazards", F.HAZARD_FIELDS, "history")
    if scanned is not None:
        return _scanned_hazards(*scanned)
    data = read_simple(text)
    if isinstance(data, PosDict):
        if list(data) != ["hazards"]:
            return None  # another top-level key is a warning; none at all an error
        data = data["hazards"]
    if not isinstance(data, PosList):
        return None
    reader = F.seen()
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
            out.append((reader.hazard(raw), line, dict(raw.key_lines), items))
    except _Unsure:
        return None
    return out, list(data.item_lines)


def _scanned_hazards(records: list, starts: list[int]) -> tuple[list[Row], list[int]] | None:
    """:func:`yaml_hazards` of the records :func:`~anquan_cli.io.yamlfast.scan_records` found
    (each key one of the model's, by construction)."""
    from anquan_cli.io.yamlread import PosList

    reader = F.seen()
    out: list[Row] = []
    try:
        for raw, line, lines, items in records:
            if any(type(v) is PosList for v in raw.values()):
                return None  # a flow list where the model wants one value: pydantic's error
            out.append((reader.hazard(raw), line, lines, {} if items is None else {"history": items}))
    except _Unsure:
        return None
    return out, starts

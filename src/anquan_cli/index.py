"""The hazard query index: what ``hazards overdue`` and ``hazards list`` need, read in one go
without building a single record object.

Built from a workspace loaded the ordinary way (pydantic stays the authority: every value in
here came out of a validated record and the same view code that renders the slow path), it
holds per hazard the dates a query compares (found, deadline, closed, last rectification,
last change), the keys a filter compares (level, source, township, sector, unit, owner, each
resolved through the name directory when the index was built), and the row exactly as
``--format json`` prints it, split around the four values that depend on the day asked about
(status, status_label, days_overdue, days_open).

It answers only when it is certainly right:

* every input file is unchanged — same set of files, each with the same size, mtime, inode
  and ctime (which an edit that puts the old mtime back still changes) — and none was
  written in the same instant as the index (a same-size edit within the file system's
  timestamp granularity could otherwise pass unseen, as git knows);
* the day asked about is not before any hazard's last change (an event or 销号 dated later
  would have to be undone: that is the ordinary path's job);
* the output goes to a pipe or file (a terminal gets the indented JSON of the ordinary path).

Anything else goes the ordinary way, which then rebuilds the index.  The file is sealed with
the per-user key of the record cache, so only this user's anquan can have written it.
"""

from __future__ import annotations

import array
import datetime as dt
import gc
import hashlib
import itertools
import json
import marshal
import mmap
import operator
import os
import time
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the fast path
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import SimpleNamespace
    from typing import Any, TypeAlias

    from anquan_cli.workspace import Workspace

    #: a manifest entry: (workspace-relative path, size, mtime_ns, inode, ctime_ns); -1s for a missing file
    Entry: TypeAlias = tuple[str, int, int, int, int]
    #: an entry as the index records it: with the content digest and the time it was taken (ns)
    Recorded: TypeAlias = tuple[str, int, int, int, int, str | None, int]
    #: the index as plain data (marshal's): what build makes, save writes and load reads
    IndexData: TypeAlias = dict[str, Any]

#: the sections read with a parser, kept with a digest in the sealed header
_PARSED = ("names", "towns")

__all__ = ["INDEX_VERSION", "input_files", "manifest", "build", "save", "load", "HazardIndex"]

INDEX_VERSION = 7
_EPOCH = dt.date(1, 1, 1).toordinal()
#: the status values of an overdue row, up to its days overdue (stored with every row)
OVERDUE_PREFIX = ',"status":"overdue","status_label":"{label}","days_overdue":'


def _ord(d: dt.date | None) -> int:
    return d.toordinal() if d is not None else -1


# ---------------------------------------------------------------------- freshness


def input_files(root: Path) -> list[str]:
    """Every file the ordinary load would read for the workspace at ``root`` (and the
    workspaces it includes), as the loader names them (an included workspace's files under
    its path from the including one) — chosen the way the loader chooses them, so a file
    added or removed changes the list."""
    from anquan_cli.io.tree import FsTree
    from anquan_cli.locate import CONFIG_NAME, FOLDERS, includes, sort_listing

    out: list[str] = []
    seen: set[str] = set()

    def walk(base: Path, prefix: str) -> None:
        real = os.path.realpath(base)
        if real in seen:
            return
        seen.add(real)
        tree = FsTree(base)
        rels = [CONFIG_NAME, "org/units.yaml", "org/people.yaml"]
        for folder, suffixes, recursive, skip in FOLDERS:
            rels.extend(sort_listing(tree.files(folder, recursive), folder, suffixes, skip)[0])
        out.extend(f"{prefix}{r}" for r in rels)
        for child in includes(base / CONFIG_NAME):
            target = (base / child).resolve()
            if (target / CONFIG_NAME).is_file():  # as the loader names an included workspace's files
                walk(target, prefix + os.path.relpath(target, base).replace(os.sep, "/") + "/")

    walk(root, "")
    return out


def manifest(root: Path, files: list[str]) -> list[Entry]:
    out: list[Entry] = []
    for rel in files:
        try:
            st = os.stat(root / rel)
            out.append((rel, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
        except OSError:
            out.append((rel, -1, -1, -1, -1))
    return out


# ---------------------------------------------------------------------- building


def _split(row: dict[str, Any]) -> tuple[str, str]:
    """The row's JSON (as the compact ``--format json`` prints it) before and after the four
    day-dependent values."""
    keys = list(row)
    after = keys[keys.index("days_open") + 1]
    text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    # in JSON text a quote inside a string is always escaped, so ``,"key":`` is only ever a key
    start = text.index(',"status":')
    end = text.index(f',"{after}":', start)  # the row's keys are plain English words
    return text[:start], text[end + 1:]


class SegmentContext:
    """What a hazard's index columns depend on besides the hazard: the name directory (units
    and people, numbered here), who answers for it (the responsibility matrix) and the view
    that renders its row — built once per workspace, before any worker is forked."""

    def __init__(self, ws: Workspace) -> None:
        from anquan_cli.rules import hazards as R
        from anquan_cli.rules.lookup import Directory
        from anquan_cli.text import fold
        from anquan_cli.views.hazards import HazardView

        self.directory = directory = Directory.for_workspace(ws)
        # the day only enters a row's status and day counts, which the index leaves out
        self.view = HazardView(today=_ANY_DAY, directory=directory,
                               guarantees=R.Guarantees.for_workspace(ws),
                               threshold=ws.config.settings.escalation_days,
                               acceptance_days=ws.config.settings.acceptance_days)
        self.units: dict[str, int] = {}
        self.unit_ids: dict[int, int] = {}
        for u in ws.units:
            n = self.unit_ids.setdefault(id(u), len(self.unit_ids))
            for name in (u.name, *u.aliases, *([u.id] if u.id else [])):
                self.units.setdefault(fold(name), n)
        self.people: dict[str, int] = {}
        self.person_ids: dict[int, int] = {}
        for p in ws.people:
            self.person_ids.setdefault(id(p), len(self.person_ids))
        for p in ws.people:
            self.people.setdefault(fold(p.id), self.person_ids[id(p)])
        self.person_names = _person_names(ws, self.person_ids)
        self.acceptance_days = ws.config.settings.acceptance_days
        #: what :func:`joined_parts` worked out from values, for the next file
        self.memo: dict[str, Any] = {}
        directory.unit("")  # the folded names, read (or computed and kept) before the work is shared out


#: the day a segment's rows are rendered for (any day: the index keeps none of what depends on it)
_ANY_DAY = dt.date(2000, 1, 1)


def object_segment(hazards: list[Any], ctx: SegmentContext) -> dict[str, list[Any]]:
    """The index columns (:data:`COLUMNS`) of these hazards, in their order, from the records
    by the rules and the view the ordinary path answers with."""
    from anquan_cli.models import Level
    from anquan_cli.rules import hazards as R
    from anquan_cli.views.hazards import row

    directory, view, unit_ids, person_ids = ctx.directory, ctx.view, ctx.unit_ids, ctx.person_ids
    cols: dict[str, Any] = {k: [] for k in COLUMNS}
    heads: list[bytes] = []
    tails: list[bytes] = []
    for h in hazards:
        r = row(h, view)
        head, tail = _split(r)
        cols["id"].append(h.id)
        cols["found"].append(_ord(h.found))
        cols["deadline"].append(_ord(h.deadline))
        cols["closed"].append(_ord(h.closed))
        cols["rect"].append(_ord(R.rectified_on(h)))
        last = max([h.found, *(e.date for e in h.history), *((h.closed,) if h.closed else ())])
        cols["change"].append(last.toordinal())
        cols["major"].append(h.level is Level.MAJOR)
        cols["source"].append(h.source.value if h.source else "")
        town = R.township_of(h, directory)
        tu = directory.unit(town) if town else None
        cols["township"].append(town)
        cols["township_unit"].append(unit_ids[id(tu)] if tu is not None else -1)
        cols["sector"].append(R.sector_of(h, directory))
        uu = directory.unit(h.unit)
        cols["unit"].append(h.unit)
        cols["unit_unit"].append(unit_ids[id(uu)] if uu is not None else -1)
        op = directory.person(h.owner).person if h.owner else None
        cols["owner"].append(h.owner)
        cols["owner_person"].append(person_ids[id(op)] if op is not None else -1)
        heads.append(head.encode("utf-8"))
        tails.append(tail.encode("utf-8"))
    cols["rows"], cols["cuts"] = _laid_out(heads, tails)
    return cols


def _laid_out(heads: list[bytes], tails: list[bytes]) -> tuple[bytes, bytes]:
    """``(rows, cuts)``: each row's head and tail one after the other, and where each piece
    starts (``2n + 1`` numbers: row i's head is ``rows[cuts[2i]:cuts[2i+1]]``, its tail
    ``rows[cuts[2i+1]:cuts[2i+2]]``)."""
    pieces: list[bytes] = [b""] * (2 * len(heads))
    pieces[0::2] = heads
    pieces[1::2] = tails
    return b"".join(pieces), array.array("q", itertools.accumulate(map(len, pieces), initial=0)).tobytes()


#: a JSON text per value seen in this process (names, titles and days repeat from file to file)
_JSON_TEXT: dict[Any, str] = {None: "null"}
_JSON_DAY: dict[Any, str] = {None: "null"}


def values_part(rows: list[Any], rel: str) -> dict[str, Any]:
    """What a hazard file's index columns hold that follows from the file alone — its records
    given as the record cache keeps them (values, line, …; :func:`anquan_cli.fastload.csv_hazards`)
    — as plain values (marshal's): the dates and keys of each row, the distinct places
    (unit, township, sector, level, source) its rows name with each row's place, and each
    row's JSON in four pieces around the two that depend on the rest of the workspace (the
    unit-to-source stretch, which the unit's township and sector complete, and the
    guarantors).  :func:`joined_parts` completes it.  It needs nothing but the file, so it is
    computed before the directory is read, and kept while only other files change."""
    from json.encoder import encode_basestring as js  # what json.dumps(ensure_ascii=False) uses

    from anquan_cli.models import EventKind, Level

    rectified, extended, major = EventKind.RECTIFIED, EventKind.EXTENDED, Level.MAJOR
    text, dates = _JSON_TEXT, _JSON_DAY
    places: dict[tuple[Any, ...], int] = {}
    file_text = f',"file":{js(rel)},"line":'
    c_id: list[str] = []
    c_found: list[int] = []
    c_deadline: list[int] = []
    c_closed: list[int] = []
    c_rect: list[int] = []
    c_change: list[int] = []
    c_major: list[bool] = []
    c_source: list[str] = []
    c_place: list[int] = []
    c_owner: list[str | None] = []
    pieces: list[bytes] = []
    add = pieces.extend
    for values, line, _fields, _items in rows:
        ident, level, source = values["id"], values["level"], values["source"]
        found, deadline, closed, owner = values["found"], values["deadline"], values["closed"], values["owner"]
        rect = -1
        last = found.toordinal()
        extensions = 0
        for e in values["history"]:
            d = e["date"].toordinal()
            if d > last:
                last = d
            kind = e["event"]
            if kind is rectified and d > rect:
                rect = d
            elif kind is extended:
                extensions += 1
        if closed is not None and closed.toordinal() > last:
            last = closed.toordinal()
        key = (values["unit"], values["township"], values["sector"], level, source)
        place = places.get(key)
        if place is None:
            place = places[key] = len(places)
        title, supervisor = values["title"], values["supervisor"]
        c_id.append(ident)
        c_found.append(found.toordinal())
        c_deadline.append(deadline.toordinal() if deadline is not None else -1)
        c_closed.append(closed.toordinal() if closed is not None else -1)
        c_rect.append(rect)
        c_change.append(last)
        c_major.append(level is major)
        c_source.append(source.value if source is not None else "")
        c_place.append(place)
        c_owner.append(owner)
        t_title = text.get(title)
        if t_title is None:
            t_title = text[title] = js(title)
        t_owner = text.get(owner)
        if t_owner is None:
            t_owner = text[owner] = js(owner)
        t_super = text.get(supervisor)
        if t_super is None:
            t_super = text[supervisor] = js(supervisor)
        days = []
        for d in (found, deadline, closed):
            got = dates.get(d)
            if got is None:
                got = dates[d] = '"' + d.isoformat() + '"'
            days.append(got)
        add(((f'{{"id":{js(ident)},"title":{t_title}').encode("utf-8"),
             f',"found":{days[0]},"deadline":{days[1]},"closed":{days[2]}'.encode("utf-8"),
             f'"extensions":{extensions},"owner":{t_owner},"guarantors":'.encode("utf-8"),
             f',"supervisor":{t_super}{file_text}{line},"workspace":""}}'.encode("utf-8")))
    return {"id": c_id, "found": c_found, "deadline": c_deadline, "closed": c_closed, "rect": c_rect,
            "change": c_change, "major": c_major, "source": c_source, "place": c_place, "owner": c_owner,
            "places": [(u, t, s, lv.value, None if src is None else src.value) for u, t, s, lv, src in places],
            "pieces": pieces}


def joined_parts(parts: list[dict[str, Any]], ctx: SegmentContext) -> dict[str, Any]:
    """The index columns (:data:`COLUMNS`, ``rows``, ``cuts``) of files' :func:`values_part`
    in their order, completed by what the rest of the workspace says: each place's township
    and sector (its own, else its unit's), the directory's numbers of the township, the unit
    and the owner, and who answers for the hazard — asked once per distinct value, by the
    rules the ordinary path answers with.  Equal to :func:`object_segment` over the records
    (``tests/test_fast_validate.py``)."""
    from json.encoder import encode_basestring as js

    from anquan_cli.fastload import taker
    from anquan_cli.models import HazardSource, Level
    from anquan_cli.rules import hazards as R

    directory, unit_ids, person_ids = ctx.directory, ctx.unit_ids, ctx.person_ids
    guarantees = ctx.view.guarantees
    by_hazard = guarantees.by_hazard
    text = _JSON_TEXT
    wheres: dict[tuple[Any, ...], tuple[Any, ...]] = ctx.memo.setdefault("wheres", {})
    owners: dict[str, int] = ctx.memo.setdefault("owners", {None: -1})
    levels = {m.value: (m, f',"level":{js(m.value)},"level_label":{js(m.label)}') for m in Level}
    sources: dict[str | None, tuple[Any, str]] = {
        m.value: (m, f',"source":{js(m.value)},"source_label":{js(m.label)}') for m in HazardSource}
    sources[None] = (None, ',"source":null,"source_label":null')

    def j(v: str | None) -> str:
        got = text.get(v)
        if got is None:
            got = text[v] = js(v)  # type: ignore[arg-type]  # None is in the table
        return got

    def whose(ident: str | None, unit: str, township: str | None, level: Level, source: HazardSource | None) -> bytes:
        """The guarantors' JSON, as the rules find them for a hazard of these values."""
        asked = _Asked()
        asked.id, asked.level, asked.source, asked.township, asked.unit = ident, level, source, township, unit
        asked.owner = asked.supervisor = None
        return json.dumps(R.answerable(asked, guarantees).guarantors,  # type: ignore[arg-type]
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    answers: dict[tuple[object, ...], bytes] = ctx.memo.setdefault("answers", {})

    def where(key: tuple[Any, ...]) -> tuple[Any, ...]:
        """What follows from a place: its township and sector (its own, else its unit's), the
        directory's numbers of the township and the unit, who answers for a hazard there
        (unless the matrix names the hazard itself: asked once per key of the rules'
        :meth:`~anquan_cli.rules.hazards.Guarantees.key_of`) and the row's JSON from
        ``"unit"`` to ``"source_label"``."""
        unit, township, sector, level_value, source_value = key
        level, level_text = levels[level_value]
        source, source_text = sources[source_value]
        spot = spots.get((unit, township, sector))
        if spot is None:
            spot = spots[(unit, township, sector)] = spotted(unit, township, sector)
        asked = _Asked()
        asked.id, asked.level, asked.source, asked.township, asked.unit = None, level, source, township, unit
        asked.owner = asked.supervisor = None
        answer_key = guarantees.key_of(asked)  # type: ignore[arg-type]
        who = answers.get(answer_key)  # type: ignore[arg-type]  # never None: the id is None
        if who is None:
            who = answers[answer_key] = whose(None, unit, township, level, source)  # type: ignore[index]
        return (*spot[:4], who, spot[4] + f"{level_text}{source_text}".encode("utf-8"))

    spots: dict[tuple[Any, ...], tuple[Any, ...]] = ctx.memo.setdefault("spots", {})

    def spotted(unit: str, township: str | None, sector: str | None) -> tuple[Any, ...]:
        """A unit's part of a place: the township and sector (its own, else its unit's), the
        directory's numbers of the township and the unit, the JSON of the three."""
        u = directory.unit(unit)
        town = township or (u.township if u is not None else None)
        sector = sector or (u.sector if u is not None else None)
        tu = directory.unit(town) if town else None
        return (town, unit_ids[id(tu)] if tu is not None else -1, sector, unit_ids[id(u)] if u is not None else -1,
                f',"unit":{j(unit)},"township":{j(town)},"sector":{j(sector)}'.encode("utf-8"))

    class _Asked:  # what the rules read of a hazard to say who answers for it
        __slots__ = ("id", "level", "source", "township", "unit", "owner", "supervisor")
        id: str | None  # None: a hazard the matrix does not name
        level: Level
        source: HazardSource | None
        township: str | None
        unit: str
        owner: str | None
        supervisor: str | None

    def owner_no(owner: str) -> int:
        op = directory.person(owner).person
        got = owners[owner] = person_ids[id(op)] if op is not None else -1
        return got

    cols: dict[str, Any] = {k: [] for k in COLUMNS}
    out: list[bytes] = []
    lengths: list[int] = []
    for part in parts:
        known = []
        for key in part["places"]:
            key = tuple(key)
            got = wheres.get(key)
            if got is None:
                got = wheres[key] = where(key)
            known.append(got)
        place, places = part["place"], part["places"]
        if not place:
            continue
        # each column of the distinct places, then taken row by row (C loops)
        take = taker(place)
        for k in ("id", "found", "deadline", "closed", "rect", "change", "major", "source", "owner"):
            cols[k].extend(part[k])
        for column, at in (("township", 0), ("township_unit", 1), ("sector", 2), ("unit_unit", 3)):
            cols[column].extend(take([w[at] for w in known]))
        cols["unit"].extend(take([p[0] for p in places]))
        for o in set(part["owner"]).difference(owners):
            owner_no(o)
        cols["owner_person"].extend(map(owners.__getitem__, part["owner"]))
        who = list(take([w[4] for w in known]))
        if by_hazard:  # the matrix names these very hazards
            for i, ident in enumerate(part["id"]):
                if ident in by_hazard:
                    unit, township, _, level_value, source_value = places[place[i]]
                    who[i] = whose(ident, unit, township, levels[level_value][0], sources[source_value][0])
        middles = take([w[5] for w in known])
        pieces = part["pieces"]
        n = len(who)
        six: list[bytes] = [b""] * (6 * n)
        six[0::6] = pieces[0::4]
        six[1::6] = middles
        six[2::6] = pieces[1::4]
        six[3::6] = pieces[2::4]
        six[4::6] = who
        six[5::6] = pieces[3::4]
        # joined file by file (each file's pieces lie close together), then the files
        lengths.extend(map(len, six))
        out.append(b"".join(six))
    # row i's head is pieces 6i..6i+2, its tail 6i+3..6i+5: the cuts are every third boundary
    bounds = array.array("q", itertools.accumulate(lengths, initial=0))
    cols["rows"] = b"".join(out)
    cols["cuts"] = bounds[0::3].tobytes()
    return cols


def values_segment(rows: list[Any], rel: str, ctx: SegmentContext) -> dict[str, Any]:
    """:func:`object_segment` of the records of ``rel`` given as the record cache keeps them,
    without record objects: :func:`values_part` completed by :func:`joined_parts`."""
    return joined_parts([values_part(rows, rel)], ctx)


def build(ws: Workspace, today: dt.date) -> IndexData:
    """The index of a loaded workspace, as plain data (what :func:`save` writes)."""
    from anquan_cli.problems import Severity

    ctx = SegmentContext(ws)
    cols = _in_two(lambda hazards: object_segment(hazards, ctx), ws.hazards)
    return assemble(ctx, cols, sum(1 for p in ws.problems if p.severity is Severity.ERROR))


def assemble(ctx: SegmentContext, cols: dict[str, list[Any]], errors: int) -> IndexData:
    """The index from the columns of every hazard in ledger order (segments joined) and the
    number of records with errors the ordinary load leaves out."""
    from anquan_cli.models import Level
    from anquan_cli.rules import hazards as R

    units, people = ctx.units, ctx.people
    # the rows' JSON goes to a blob read only for the rows a query prints; the columns a
    # query compares become compact arrays
    # sort orders that do not depend on the day asked about, as ranks (sorting by a rank is a
    # fraction of the cost of sorting by a tuple); a rank is the row's place in that order
    n = len(cols["id"])
    ids, found, deadline, major = cols["id"], cols["found"], cols["deadline"], cols["major"]
    minor = [not m for m in major]
    # The rows' JSON (each row's head — the JSON before the day's values — and its tail, as
    # the segments laid them out, in ledger order), read only for the rows a query prints.
    # The hazards that can be overdue (open, not rectified, with a deadline), most overdue
    # first: on any day the overdue list is a prefix of them.
    closed, rect = cols["closed"], cols["rect"]

    # all in this process: a forked copy would share the columns, and every object either
    # process touches (a reference count) copies its page — more than the sorting it takes over
    ranks = _ranks(ids, found, deadline, minor, cols["township"], ("id", "overdue", "deadline", "found", "township", "level"))
    bulk: dict[str, Any] = {"rows": cols["rows"], "cuts": cols["cuts"]}
    for name in ("id", "overdue", "deadline"):
        bulk[f"rank:{name}"] = ranks[name].tobytes()
    # the hazards that can be overdue in the order of the overdue rank (rows of equal rank in
    # ledger order)
    candidates = sorted(itertools.compress(range(n), map(_candidate, closed, rect, deadline)),
                        key=ranks["overdue"].__getitem__)
    bulk["candidates:deadline"] = array.array("i", map(deadline.__getitem__, candidates)).tobytes()
    bulk["candidates:found"] = array.array("i", map(found.__getitem__, candidates)).tobytes()
    bulk["candidates:row"] = array.array("i", candidates).tobytes()
    for name in ("found", "township", "level"):
        bulk[f"rank:{name}"] = ranks[name].tobytes()
    # the columns a query compares as arrays
    bulk["col:major"] = bytes(major)
    for name in ("found", "deadline", "closed", "rect", "change", "township_unit", "unit_unit", "owner_person"):
        bulk[f"col:{name}"] = array.array("i", cols[name]).tobytes()
    # what only a filter by name needs (the text columns, the directory) is read and
    # checked only by a query that filters by name
    bulk["names"] = marshal.dumps({"columns": {k: cols[k] for k in _NAMED}, "people": people,
                                   "person_names": ctx.person_names})
    # a township filter (the most common one) reads only the units and the rows of each township
    codes: dict[str, int] = {}
    by_unit: dict[int, list[int]] = {}
    by_text: dict[int, list[int]] = {}
    for i, (town, unit) in enumerate(zip(cols["township"], cols["township_unit"])):
        if unit != -1:
            by_unit.setdefault(unit, []).append(i)
        if town is not None:
            by_text.setdefault(codes.setdefault(town, len(codes)), []).append(i)
    bulk["towns"] = marshal.dumps({
        "units": units, "codes": codes,
        "by_unit": {k: array.array("i", v).tobytes() for k, v in by_unit.items()},
        "by_text": {k: array.array("i", v).tobytes() for k, v in by_text.items()}})
    max_change = max(cols["change"], default=-1)
    from anquan_cli.models import HazardSource

    tables = {name: dict(cls.lookup()) for name, cls in (("level", Level), ("source", HazardSource), ("status", R.Status))}
    vocab = {name: {k: m.value for k, m in table.items()} for name, table in tables.items()}
    return {"version": INDEX_VERSION, "acceptance_days": ctx.acceptance_days, "vocab": vocab,
            "errors": errors, "status_labels": {m.value: m.label for m in R.Status}, "n": n,
            "max_change": max_change, "bulk": bulk}


def _candidate(closed: int, rect: int, deadline: int) -> bool:
    """Whether a hazard can be overdue on some day: open, not rectified, with a deadline."""
    return closed == -1 and rect == -1 and deadline != -1


def _ranks(ids: list[str], found: list[int], deadline: list[int], minor: list[bool],
           township: list[str | None], names: Sequence[str]) -> dict[str, array.array[int]]:
    """The day-independent sort orders ``names`` (of id, found, deadline, township, level,
    overdue) as ranks (a row's place in the order; sorting by a rank is a fraction of the cost
    of sorting by a tuple).  Dense: rows with equal keys (a duplicated id) share a rank, so a
    stable sort keeps them in ledger order as the ordinary path's sort does, reversed or not."""
    n = len(ids)
    by_id = sorted(range(n), key=ids.__getitem__)
    if len(set(ids)) == n:
        # every key ends in the id, so no two are equal: each key becomes one integer —
        # (its leading values, the id's place) — which sorts several times faster than tuples
        id_rank = _inverse(by_id)
        towns = {t: k for k, t in enumerate(sorted({t or "" for t in township}))}
        days = 1 << 20  # above every ordinal of anquan's years (+2)
        whole: dict[str, Callable[[], list[int]]] = {
            "found": lambda: [f * n + r for f, r in zip(found, id_rank)],
            "deadline": lambda: [(d if d != -1 else days) * n + r for d, r in zip(deadline, id_rank)],
            "township": lambda: [(towns[t or ""] * days + f) * n + r for t, f, r in zip(township, found, id_rank)],
            "level": lambda: [(m * days + f) * n + r for m, f, r in zip(minor, found, id_rank)],
            "overdue": lambda: [((d + 1) * 2 + m) * n + r for d, m, r in zip(deadline, minor, id_rank)],
        }
        ranks = {"id": id_rank} if "id" in names else {}
        for name in names:
            if name != "id":
                ranks[name] = _inverse(sorted(range(n), key=whole[name]().__getitem__))
        return ranks
    big = 10 ** 9
    keys: dict[str, list[Any]] = {
        "id": ids,
        "found": list(zip(found, ids)),
        "deadline": list(zip([d if d != -1 else big for d in deadline], ids)),
        "township": list(zip([t or "" for t in township], found, ids)),
        "level": list(zip(minor, found, ids)),
        # overdue: most days first = earliest deadline first, then major, then id
        "overdue": list(zip(deadline, minor, ids)),
    }
    ranks = {}
    for name, tuples in keys.items():
        if name not in names:
            continue
        rank = array.array("i", bytes(4 * n))
        place, last = -1, object()
        for i in (by_id if name == "id" else sorted(range(n), key=tuples.__getitem__)):
            k = tuples[i]
            if k != last:
                place, last = place + 1, k
            rank[i] = place
        ranks[name] = rank
    return ranks


def _inverse(order: list[int]) -> array.array[int]:
    """``rank[order[p]] = p``."""
    rank = array.array("i", bytes(4 * len(order)))
    for place, i in enumerate(order):
        rank[i] = place
    return rank


#: the text columns a filter by name reads
_NAMED = ("id", "source", "township", "sector", "unit", "owner")

#: the columns :func:`build` keeps of each hazard
COLUMNS = ("id", "found", "deadline", "closed", "rect", "change", "major", "source", "township", "township_unit",
           "sector", "unit_unit", "unit", "owner", "owner_person")

#: hazards from which :func:`build` computes its columns on both cores
PARALLEL_ROWS = 20_000


def _in_two(columns: Callable[[list[Any]], dict[str, list[Any]]], hazards: list[Any]) -> dict[str, list[Any]]:
    """``columns(hazards)``, the first half computed by a forked copy of this process while
    this one computes the second (:func:`anquan_cli.parallel.in_two`)."""
    from anquan_cli.parallel import in_two

    half = len(hazards) // 2
    parts = in_two(lambda chunk: [columns(p) for p in chunk], [hazards[:half], hazards[half:]],
                   [half, len(hazards) - half], PARALLEL_ROWS)
    return _joined(parts)


def _joined(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The columns of segments one after the other; their rows in one piece, the cuts moved
    by where each segment's rows begin."""
    cols: dict[str, Any] = {k: [] for k in COLUMNS}
    cuts = array.array("q", [0])
    for part in parts:
        for k in COLUMNS:
            cols[k].extend(part[k])
        own = array.array("q")
        own.frombytes(part["cuts"])
        base = cuts.pop()
        cuts.extend(map(base.__add__, own) if base else own)
    cols["rows"] = b"".join(part["rows"] for part in parts)
    cols["cuts"] = cuts.tobytes()
    return cols


# ---------------------------------------------------------------------- building afresh

#: raised when what a hazard file's segment holds changes
SEGMENT_FORMAT = 4
#: bytes of hazard files to read from which the segments are computed on both cores
PARALLEL_BYTES = 2_000_000


def fresh(root: Path) -> tuple[IndexData, list[Any], list[Entry], dict[str, str], int] | None:
    """The index of the files as they are now — ``(index, every load problem, manifest taken
    before, the files' digests, when)``, what :func:`save` needs — built hazard file by hazard
    file without a record object in this process: each file's segment (its columns and its
    load problems) is kept in ``.anquan/cache/segments`` under its content, the other files'
    and anquan's code; a file without one is read on one of two cores — a clean CSV or YAML
    file straight into values (:func:`anquan_cli.fastload.hazard_file`), any other the
    ordinary way — and its records go to the record cache as they would from a load, so the
    next command finds everything read.  None where a load is the way: a workspace that includes
    others (their hazards come with them) or without the cache (``ANQUAN_NO_CACHE``)."""
    collecting = gc.isenabled()
    gc.disable()  # many small objects, none of them cyclic garbage: the collector only slows this down
    try:
        return _fresh(root)
    finally:
        if collecting:
            gc.enable()


def _fresh(root: Path) -> tuple[IndexData, list[Any], list[Entry], dict[str, str], int] | None:
    from anquan_cli.cache import CheckCache, KnownDigests, RecordCache, load_problems
    from anquan_cli.locate import CONFIG_NAME, includes
    from anquan_cli.parallel import in_two
    from anquan_cli.problems import Severity
    from anquan_cli.workspace import _HAZARDS, KINDS, digest, kind_of, load_workspace

    if os.environ.get("ANQUAN_NO_CACHE") or includes(root / CONFIG_NAME):
        return None
    entries, started = prepare(root)
    # The hazard files and the other files read on the two cores (every record file but the
    # matrix), as the load will list them, each with its digest — known from its stat when
    # unchanged since last read, else read now.
    places = {kind.attr: n for n, kind in enumerate(KINDS)}
    cache_folder = root / ".anquan" / "cache"
    known = KnownDigests(cache_folder)
    # nothing read before (no digest known, no segment kept): every file is read on the two
    # cores, its digest taken there
    cold = not known.entries and not (cache_folder / "segments").is_dir()
    listed: list[tuple[int, str, bytes | None, str]] = []  # (kind, file, its bytes when read, digest)
    stats: dict[str, os.stat_result] = {}
    for rel, *_ in entries:
        kind = kind_of(rel)
        if kind is None or kind.attr not in _ELSEWHERE:
            continue
        try:
            st = stats[rel] = os.stat(root / rel)
            d = known.get(rel, st)
            data = None
            if d is None and not cold:
                taken = time.time_ns()
                data = (root / rel).read_bytes()
                d = digest(data)
                known.put(rel, st, d, taken)
        except OSError:
            continue  # the load says what is wrong with it
        listed.append((places[kind.attr], rel, data, d or ""))
    if not cold:
        known.save({rel for _, rel, _, _ in listed})
    code = _segment_code()

    def key(rel: str, d: str) -> str:
        return hashlib.blake2b(f"{code}|{rel}|{d}".encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()

    store = CheckCache(cache_folder, "segments")
    records = RecordCache(cache_folder)
    files = [(rel, d) for index, rel, _, d in listed if index == _HAZARDS]
    others = [(index, rel, d) for index, rel, _, d in listed if index != _HAZARDS]
    kept: list[Any] = [None if cold else store.get(key(rel, d)) for rel, d in files]
    found: list[Any] = []
    todo: list[tuple[int, int]] = []  # (kind, place): a hazard file without a segment, a file of another kind unread
    for i, got in enumerate(kept):
        if isinstance(got, tuple) and len(got) == 2:
            records.renew(files[i][1], "hazards")  # its records are still this file's
        else:
            todo.append((_HAZARDS, i))
    for n, (index, _, d) in enumerate(others):
        side = None if cold else records.problems(d, KINDS[index].attr, KINDS[index].model)
        found.append(None if side is None else side[0])
        if side is None:
            todo.append((index, n))
    read = {rel: data for _, rel, data, _ in listed if data is not None}
    jobs: list[tuple[int, str, str]] = [(index, *(files[i] if index == _HAZARDS else others[i][1:]))
                                        for index, i in todo]

    def work(chunk: Sequence[tuple[int, str, str]]) -> list[Any]:
        """What the files of ``chunk`` hold, read (and their records put in the record cache):
        a hazard file's segment, another file's problem rows."""
        out: list[Any] = []
        for index, rel, d in chunk:
            data = read.get(rel)
            if data is None:  # not read yet (or known by its stat): read now, as it is now
                taken = time.time_ns()
                try:
                    data = (root / rel).read_bytes()
                except OSError:  # gone or unreadable since it was listed: a load says what is wrong
                    out.append((None, 0, None))
                    continue
                d = digest(data)
            else:
                taken = 0
            rows, problems = _file_rows(index, rel, data, d, records)
            if index == _HAZARDS:
                segment = (values_part(rows, rel), problems)
                store.put(key(rel, d), segment)
                out.append((d, taken, segment))
            else:
                out.append((d, taken, problems))
        return out

    loaded: list[Any] = []

    def load() -> None:
        """The matrix, units and people and what they say of a hazard (what completes a
        segment): read here while the copy already reads the first files."""
        ws, problems = load_workspace(root, use_cache=True, skip=_ELSEWHERE, unread=True)
        loaded.append((ws, problems, None if ws.config.include else SegmentContext(ws)))

    # what a byte costs to read (whether the work is worth a second core): a hazard file is
    # read straight into values (YAML about twice a CSV byte), the other kinds through pydantic
    weights = [stats[rel].st_size * ((1 if rel.lower().endswith(".csv") else 2) if index == _HAZARDS else 12)
               for index, rel, _ in jobs]
    if jobs:
        done = in_two(work, jobs, weights, PARALLEL_BYTES, before=load)
    else:
        load()
        done = []
    ws, problems, ctx = loaded[0]
    if ctx is None or [rel for rel, _ in ws.unloaded.get("hazards", [])] != [rel for rel, _ in files]:
        return None  # another list of files than the one read (one came or went meanwhile): a load answers
    if any(d is None for d, _, _ in done):
        return None
    digests = {rel: d for _, rel, _, d in listed}
    for (index, i), (d, taken, got) in zip(todo, done):
        rel = files[i][0] if index == _HAZARDS else others[i][1]
        if digests[rel] != d:  # read only now: its digest as read, known by its stat from now on
            digests[rel] = d
            if taken and rel in stats:
                known.put(rel, stats[rel], d, taken)
        if index == _HAZARDS:
            kept[i] = got
        else:
            found[i] = got
    known.save(set(digests))
    if jobs:
        store.prune()
        records.wrote()
        records.prune()
    cols = joined_parts([part for part, _ in kept], ctx)  # every entry is filled by now
    for (rel, _), (_, rows) in zip(files, kept):
        problems.extend(load_problems(rows, rel))
    for (_, rel, _), rows in zip(others, found):  # after the hazards' problems, as a load has them
        problems.extend(load_problems(rows, rel))
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    digests = {**ws.digests, **digests}
    return assemble(ctx, cols, errors), problems, entries, digests, started


def rebuilt(root: Path) -> HazardIndex | None:
    """The index built afresh (:func:`fresh`) and saved, or None where the ordinary path
    answers: a load is the way, or the workspace cannot be used as read (the load says why)."""
    from anquan_cli.workspace import blocking

    made = fresh(root)
    if made is None:
        return None
    built, problems, entries, digests, started = made
    if blocking(problems):
        return None
    save(root, built, entries, digests, started)
    return HazardIndex(built)


#: the kinds :func:`fresh` reads on two cores, not in the load before
_ELSEWHERE = frozenset({"hazards", "tasks", "progress", "duties", "activities", "accidents",
                        "enforcement", "campaigns", "submissions", "tipoffs", "risks", "cells", "patrols", "issued"})


def _segment_code() -> str:
    """What a hazard file's segment depends on besides the file: anquan's code and the library
    that words its problems (a segment needs nothing of the other files)."""
    import pydantic_core

    from anquan_cli.cache import code_digest

    return f"segments {SEGMENT_FORMAT}|{code_digest()}|{pydantic_core.__version__}"


def _file_rows(index: int, rel: str, data: bytes, d: str, records: Any) -> tuple[list[Any], list[Any]]:
    """``(record rows, problem rows)`` of a record file of kind ``KINDS[index]`` (content
    digest ``d``): from the record cache, else read (and put there)."""
    from anquan_cli.cache import pickled_entry
    from anquan_cli.workspace import KINDS, parse_file

    kind = KINDS[index]
    hit = records.get(d, kind.attr, kind.model)
    if hit is None:
        rows, problems, starts = parse_file(index, rel, data)
        payload = (rows, problems)
        records.put_pickled(d, kind.attr, kind.model, pickled_entry(kind.model, d, payload), payload, starts)
        hit = payload
    return hit[0], list(hit[1])


def _person_names(ws: Workspace, person_ids: dict[int, int]) -> dict[str, list[int]]:
    from anquan_cli.text import fold

    names: dict[str, list[int]] = {}
    for p in ws.people:
        names.setdefault(fold(p.name), []).append(person_ids[id(p)])
    return names


# ---------------------------------------------------------------------- storing


def _path(root: Path, part: str = "bin") -> Path:
    return root / ".anquan" / "index" / f"hazards-v{INDEX_VERSION}.{part}"


def save(root: Path, data: IndexData, entries: list[Entry], digests: dict[str, str], started_ns: int) -> None:
    """Write the index with the manifest taken before the workspace was read (a file changed
    while it was read then fails the freshness check, never the other way round) and the
    content digest of each file as it was read."""
    from anquan_cli.io.atomic import atomic_write, replacing
    from anquan_cli.io.seal import seal, user_key

    key = user_key()
    if key is None:
        return
    bulk = data["bulk"]
    head = {k: v for k, v in data.items() if k != "bulk"}
    head.update(manifest=[(*e, digests.get(e[0]), started_ns) for e in entries])
    sections: dict[str, tuple[int, int]] = {}
    at = 0
    for name, part in bulk.items():
        sections[name] = (at, at + len(part))
        at += len(part)
    # the sealed header names every section and the digest of the one a parser reads (the
    # others are numbers and JSON text, copied as they are)
    head.update(sections=sections, digests={name: _digest(bulk[name]) for name in _PARSED})
    try:
        path = _path(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = _path(root, "rows")
        with replacing(rows) as tmp, open(tmp, "wb") as out:  # first: the sealed header names the exact rows file
            for part in bulk.values():  # one after the other, never joined into one more copy
                out.write(part)
        st = os.stat(rows)
        head.update(rows_stat=(st.st_size, st.st_mtime_ns, st.st_ino))
        atomic_write(path, seal(key, marshal.dumps(head)))
        for old in path.parent.glob("hazards-v*"):  # an index of an earlier version
            if not old.name.startswith(f"hazards-v{INDEX_VERSION}."):
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only workspace runs without an index


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _refresh(root: Path, data: IndexData, entries: list[Recorded]) -> None:
    """Keep the stat of files found unchanged by content, so the next query need not read
    them again (as ``git status`` refreshes its index)."""
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.io.seal import seal, user_key

    key = user_key()
    if key is None:
        return
    data["manifest"] = entries
    try:
        atomic_write(_path(root), seal(key, marshal.dumps(data)))
    except OSError:
        pass


def load(root: Path) -> HazardIndex | None:
    """The index when it is there, sealed by this user, and every input file is unchanged."""
    try:
        return _load(root)
    except (LookupError, TypeError, ValueError):  # written by another version of anquan: rebuilt
        return None


def _load(root: Path) -> HazardIndex | None:
    from anquan_cli.io.seal import unseal, user_key

    key = user_key()
    if key is None:
        return None
    try:
        blob = unseal(key, _path(root).read_bytes())
    except OSError:
        return None
    if blob is None:
        return None
    try:
        data = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return None
    recorded = data["manifest"]
    try:
        files = input_files(root)
    except OSError:
        return None
    if [m[0] for m in recorded] != files:
        return None
    now = manifest(root, files)
    refreshed: list[Recorded] = []
    for old, new in zip(recorded, now):
        # a file whose stat changed (a checkout, a touch) or that was written within 2 s of
        # the moment its content was taken (a same-size edit in the same time stamp: git's
        # "racily clean") is compared by content
        if tuple(old[:5]) == new and new[2] < old[6] - 2_000_000_000:
            refreshed.append(old)
            continue
        if new[1] < 0:
            return None
        try:
            if hashlib.blake2b((root / new[0]).read_bytes(), digest_size=16).hexdigest() != old[5]:
                return None
        except OSError:
            return None
        refreshed.append((*new, old[5], time.time_ns()))  # its content is the recorded one as of now
    if refreshed != recorded:
        _refresh(root, data, refreshed)
    try:
        with open(_path(root, "rows"), "rb") as fh:
            st = os.fstat(fh.fileno())
            # the rows file the sealed header was written with (a replaced one has another inode/time)
            if (st.st_size, st.st_mtime_ns, st.st_ino) != tuple(data["rows_stat"]):
                return None
            bulk = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if st.st_size else b""
    except (OSError, ValueError):
        return None
    return HazardIndex(data, bulk)


# ---------------------------------------------------------------------- answering


def _ints(raw: bytes | memoryview) -> array.array[int]:
    a = array.array("i")
    a.frombytes(raw)
    return a


class _Columns(dict[str, "Any"]):  # Any only exists for the type checker
    """Columns decoded on first use: the arrays a query compares, the text columns (ids,
    names) only when a filter or a sort needs them."""

    def __init__(self, index: HazardIndex) -> None:
        super().__init__()
        self._index = index

    def __missing__(self, name: str) -> Any:
        index = self._index
        if name in ("id", "source", "township", "sector", "unit", "owner"):
            self.update(index.names["columns"])
            return self[name]
        value: list[bool] | array.array[int]
        if name == "major":
            value = [b == 1 for b in index.section("col:major")]
        elif name.startswith(("rank:", "candidates:")):
            value = _ints(index.section(name))
        else:
            value = _ints(index.section(f"col:{name}"))
        self[name] = value
        return value


class HazardIndex:
    """An index as :func:`load` reads it (``bulk`` the mapped rows file) or as :func:`build`
    made it (the sections in ``data["bulk"]``)."""

    def __init__(self, data: IndexData, bulk: mmap.mmap | bytes = b"") -> None:
        self.data = data
        self._bulk = bulk
        self.cols = _Columns(self)
        self.n: int = data["n"]
        self.acceptance_days: int = data["acceptance_days"]
        #: the latest day any hazard changed on (an event, a 销号, its finding)
        self.max_change: int = data["max_change"]
        self.labels: dict[str, str] = data["status_labels"]
        #: records with errors the ordinary load left out (the same note is printed)
        self.errors: int = data["errors"]
        cuts = array.array("q")
        cuts.frombytes(self.section("cuts"))
        #: where each row's head and tail start (:func:`_laid_out`)
        self.cuts = cuts
        self._starts: tuple[array.array[int], ...] | None = None
        self.rows = self.section("rows")
        self._cache: dict[str, dict[str, Any]] = {}

    def pieces(self, rows: Sequence[int]) -> tuple[list[memoryview], list[memoryview]]:
        """The heads and the tails of these rows (C loops: rows by the thousand)."""
        cut, view = self.cuts, self.rows
        if self._starts is None:
            self._starts = (cut[0:-1:2], cut[1::2], cut[2::2])
        heads_at, tails_at, ends = self._starts
        take = operator.itemgetter(*rows) if len(rows) > 1 else lambda a: (a[rows[0]],)
        middle = take(tails_at)
        return (list(map(view.__getitem__, map(slice, take(heads_at), middle))),
                list(map(view.__getitem__, map(slice, middle, take(ends)))))

    def section(self, name: str) -> memoryview:
        if "bulk" in self.data:
            return memoryview(self.data["bulk"][name])
        start, end = self.data["sections"][name]
        return memoryview(self._bulk)[start:end] if self._bulk else memoryview(b"")

    @property
    def names(self) -> dict[str, Any]:
        """The text columns and the people (checked against the sealed digest first)."""
        return self._parsed("names")

    @property
    def towns(self) -> dict[str, Any]:
        """The units and each township's rows (checked against the sealed digest first)."""
        return self._parsed("towns")

    def _parsed(self, name: str) -> dict[str, Any]:
        got = self._cache.get(name)
        if got is None:
            raw = bytes(self.section(name))
            if "bulk" not in self.data and _digest(raw) != self.data["digests"][name]:
                raise ValueError(f"hazard index: the {name} section is not the one it was sealed with")
            got = self._cache[name] = marshal.loads(raw)
        return got

    def word(self, vocabulary: str, text: str) -> str | None:
        """A vocabulary word (等级、来源、状态) as its English value, as the models read it."""
        from anquan_cli.text import norm_key

        word: str | None = self.data["vocab"][vocabulary].get(norm_key(text))
        return word

    def covers(self, today: dt.date) -> bool:
        """Whether no hazard changed after ``today`` (else the ordinary path answers)."""
        return self.max_change <= today.toordinal()

    def rank(self, name: str) -> array.array[int]:
        rank: array.array[int] = self.cols[f"rank:{name}"]
        return rank

    # -- the directory, as the index remembers it

    def _unit(self, text: str | None) -> int:
        from anquan_cli.text import fold

        unit: int = self.towns["units"].get(fold(text), -1) if text else -1
        return unit

    def _person(self, text: str) -> int:
        """As Directory.person without a workspace: an id, else a unique name."""
        import re

        from anquan_cli.text import fold

        key = fold(text)
        found: int | None = self.names["people"].get(key)
        if found is not None:
            return found
        for name in (key, re.sub(r"[(（][^)）]*[)）]$", "", key)):
            same: list[int] | None = self.names["person_names"].get(name)
            if same:
                return same[0] if len(same) == 1 else -1
        return -1

    # -- one row

    def status(self, i: int, t: int) -> tuple[str, int, int]:
        """(status, days_overdue, days_open) of row ``i`` on day ``t`` (as rules.hazards does)."""
        c = self.cols
        closed, rect, deadline, found = c["closed"][i], c["rect"][i], c["deadline"][i], c["found"][i]
        end = closed if closed != -1 and closed < t else t
        days_open = end - found
        if closed != -1:
            return "closed", 0, days_open
        if rect != -1:
            return ("acceptance_overdue" if t - rect > self.acceptance_days else "rectified"), 0, days_open
        if deadline != -1 and t > deadline:
            return "overdue", t - deadline, days_open
        return "pending", 0, days_open

    # -- the queries

    def select(self, f: SimpleNamespace, t: int) -> list[int]:
        """Rows passing a filter on day ``t``: the fields of
        :class:`~anquan_cli.rules.hazards.HazardFilter`, with ``level``, ``source`` and
        ``status`` as their English values."""
        c = self.cols
        rows: list[int] | range = range(self.n)
        if f.township is not None:  # its township unit is the one named, or its township is written so
            towns, want = self.towns, self._unit(f.township)
            hit = set(_ints(towns["by_unit"].get(want, b""))) if want != -1 else set()
            code = towns["codes"].get(f.township)
            if code is not None:
                hit.update(_ints(towns["by_text"][code]))
            rows = sorted(hit)
        # the most selective, cheapest tests first; each one a pass over the survivors
        if f.overdue:  # 逾期未整改 as rules.hazards.is_overdue: open, not rectified, past the deadline
            closed, rect, dl = c["closed"], c["rect"], c["deadline"]
            rows = [i for i in rows if closed[i] == -1 and rect[i] == -1 and dl[i] != -1 and t > dl[i]]
        if f.level is not None:
            major, want = c["major"], f.level == "major"
            rows = [i for i in rows if major[i] is want]
        if f.source is not None:
            src = c["source"]
            rows = [i for i in rows if src[i] == f.source]
        if f.open:
            rows = [i for i in rows if c["closed"][i] == -1]
        if f.closed:
            rows = [i for i in rows if c["closed"][i] != -1]
        if f.found_from:
            ff = f.found_from.toordinal()
            rows = [i for i in rows if c["found"][i] >= ff]
        if f.found_to:
            ft = f.found_to.toordinal()
            rows = [i for i in rows if c["found"][i] <= ft]
        if f.sector is not None:
            sec = c["sector"]
            rows = [i for i in rows if sec[i] == f.sector]
        if f.unit is not None:
            want_unit, uu, un = self._unit(f.unit), c["unit_unit"], c["unit"]
            rows = [i for i in rows if (uu[i] != -1 and uu[i] == want_unit) or un[i] == f.unit]
        if f.owner is not None:
            want_owner, op, ow = self._person(f.owner), c["owner_person"], c["owner"]
            rows = [i for i in rows if ow[i] is not None and ((op[i] != -1 and op[i] == want_owner) or ow[i] == f.owner)]
        if f.status is not None:
            rows = [i for i in rows if self.status(i, t)[0] == f.status]
        return list(rows)


def render(index: HazardIndex, rows: list[int], t: int) -> bytes:
    """The compact JSON array ``--format json`` prints for these rows, as UTF-8 bytes."""
    if not rows:
        return b"[]\n"
    view, cut, labels = index.rows, index.cuts, index.labels
    parts: list[bytes | memoryview] = [b"["]
    middles = {st: f',"status":"{st}","status_label":"{label}","days_overdue":'.encode() for st, label in labels.items()}
    for i in rows:
        st, overdue, days_open = index.status(i, t)
        a = 2 * i
        parts += (view[cut[a]:cut[a + 1]], middles[st], b'%d,"days_open":%d,' % (overdue, days_open),
                  view[cut[a + 1]:cut[a + 2]], b",")
    parts[-1] = b"]\n"
    return b"".join(parts)


def render_overdue(index: HazardIndex, rows: list[int] | array.array[int], t: int,
                   numbers: list[bytes] | None = None) -> bytes:
    """:func:`render` for rows known to be overdue on day ``t`` (open, not rectified, past
    the deadline): their status and day counts follow from two columns (or are given, as
    ``numbers``)."""
    if not rows:
        return b"[]\n"
    if numbers is None:
        deadline, found = index.cols["deadline"], index.cols["found"]
        numbers = [b'%d,"days_open":%d,' % (t - deadline[i], t - found[i]) for i in rows]
    middle = OVERDUE_PREFIX.format(label=index.labels["overdue"]).encode("utf-8")
    heads, tails = index.pieces(rows)
    parts: list[bytes | memoryview] = [b""] * (5 * len(rows))
    parts[0::5] = heads
    parts[1::5] = [middle] * len(rows)
    parts[2::5] = numbers
    parts[3::5] = tails
    parts[4::5] = [b","] * len(rows)
    parts[-1] = b"]\n"
    return b"[" + b"".join(parts)


def render_all_overdue(index: HazardIndex, t: int) -> tuple[bytes, int]:
    """``hazards overdue`` unfiltered on day ``t``: the hazards that can be overdue, cut
    where the deadline reaches ``t``; ``(JSON, rows)``."""
    import bisect

    deadline = index.cols["candidates:deadline"]
    k = bisect.bisect_left(deadline, t)  # deadline < t: past it
    if not k:
        return b"[]\n", 0
    found = index.cols["candidates:found"]
    numbers = [b'%d,"days_open":%d,' % (t - d, t - f) for d, f in zip(deadline[:k], found[:k])]
    return render_overdue(index, index.cols["candidates:row"][:k], t, numbers), k


def prepare(root: Path) -> tuple[list[Entry], int]:
    """The manifest to save with an index built from a load that starts now."""
    started = time.time_ns()
    return manifest(root, input_files(root)), started


def sort_rows(index: HazardIndex, rows: list[int], t: int, key: str, reverse: bool = False) -> list[int]:
    """``hazards list --sort``: the orders of the ordinary path, by the index's ranks."""
    if key == "days_overdue":  # (-days overdue, id): the overdue by deadline, then the rest by id
        dl, by_id = index.rank("deadline"), index.rank("id")
        n = index.n

        def overdue_key(i: int) -> int:
            st, days, _ = index.status(i, t)
            return dl[i] if days else n + by_id[i]

        return sorted(rows, key=overdue_key, reverse=reverse)
    return sorted(rows, key=index.rank(key).__getitem__, reverse=reverse)


def overdue_rows(index: HazardIndex, rows: list[int], t: int) -> list[int]:
    """Overdue rows, worst first (rules.hazards.overdue_sorted: most days, major first, id)."""
    return sorted(rows, key=index.rank("overdue").__getitem__)  # days overdue = t - deadline


# ---------------------------------------------------------------------- the two queries

#: ``hazards list``/``hazards overdue`` options the index answers, with their defaults
LIST_OPTIONS: dict[str, Any] = {"township": None, "sector": None, "unit": None, "owner": None, "level": None, "source": None,
                "status": None, "open": False, "closed": False, "overdue": False, "found_from": None,
                "found_to": None, "sort": "found", "reverse": False}
OVERDUE_OPTIONS: dict[str, Any] = {"township": None, "sector": None, "level": None, "exit_code": False}


def answer(index: HazardIndex, command: str, options: dict[str, Any], today: dt.date) -> tuple[bytes, int] | None:
    """``(JSON bytes, exit code)`` of ``hazards overdue`` or ``hazards list`` with these
    options on ``today`` — or None when the index cannot say (a day before a hazard's last
    entry, a word it does not know: the ordinary path then answers, or explains)."""
    from types import SimpleNamespace

    if not index.covers(today):
        return None
    given = dict(LIST_OPTIONS if command == "list" else OVERDUE_OPTIONS)
    unknown = set(options) - set(given)
    if unknown:
        raise TypeError(f"not options of hazards {command}: {sorted(unknown)}")
    given.update(options)
    sort, reverse, exit_code = given.pop("sort", "found"), given.pop("reverse", False), given.pop("exit_code", False)
    for name in ("level", "source", "status"):
        if given.get(name):
            given[name] = index.word(name, given[name])
            if given[name] is None:
                return None
        else:
            given[name] = None
    if command == "overdue":
        given["overdue"] = True
    f = SimpleNamespace(**{**dict.fromkeys(("unit", "owner", "source", "status", "found_from", "found_to")),
                           "open": False, "closed": False, **given})
    t = today.toordinal()
    if command == "overdue" and given["township"] is None and given["sector"] is None and given["level"] is None:
        data, k = render_all_overdue(index, t)
        return data, (1 if exit_code and k else 0)
    try:
        rows = index.select(f, t)
    except ValueError:  # a damaged names section
        return None
    if command == "overdue":
        rows = overdue_rows(index, rows, t)
        return render_overdue(index, rows, t), (1 if exit_code and rows else 0)
    return render(index, sort_rows(index, rows, t, sort, reverse), t), 0

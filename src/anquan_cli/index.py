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

* every input file is unchanged — same set of files, each with the same size, mtime and
  inode — and none was written in the same instant as the index (a same-size edit within the
  file system's timestamp granularity could otherwise pass unseen, as git knows);
* the day asked about is not before any hazard's last change (an event or 销号 dated later
  would have to be undone: that is the ordinary path's job);
* the output goes to a pipe or file (a terminal gets the indented JSON of the ordinary path).

Anything else goes the ordinary way, which then rebuilds the index.  The file is sealed with
the per-user key of the record cache, so only this user's anquan can have written it.
"""

from __future__ import annotations

import array
import datetime as dt
import hashlib
import json
import marshal
import mmap
import os
import time
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the fast path
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import SimpleNamespace
    from typing import Any, TypeAlias

    from anquan_cli.workspace import Workspace

    #: a manifest entry: (workspace-relative path, size, mtime_ns, inode); -1s for a missing file
    Entry: TypeAlias = tuple[str, int, int, int]
    #: an entry as the index records it: with the content digest and the time it was taken (ns)
    Recorded: TypeAlias = tuple[str, int, int, int, str | None, int]
    #: the index as plain data (marshal's): what build makes, save writes and load reads
    IndexData: TypeAlias = dict[str, Any]

#: the sections read with a parser, kept with a digest in the sealed header
_PARSED = ("names", "towns")

__all__ = ["INDEX_VERSION", "input_files", "manifest", "build", "save", "load", "HazardIndex"]

INDEX_VERSION = 5
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
            out.append((rel, st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append((rel, -1, -1, -1))
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


def build(ws: Workspace, today: dt.date) -> IndexData:
    """The index of a loaded workspace, as plain data (what :func:`save` writes)."""
    from anquan_cli.models import Level
    from anquan_cli.rules import hazards as R
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.text import fold
    from anquan_cli.views.hazards import HazardView, row

    directory = Directory.for_workspace(ws)
    view = HazardView(today=today, directory=directory, guarantees=R.Guarantees(ws.matrix, directory),
                      threshold=ws.config.settings.escalation_days,
                      acceptance_days=ws.config.settings.acceptance_days)
    units: dict[str, int] = {}
    unit_ids: dict[int, int] = {}
    for u in ws.units:
        n = unit_ids.setdefault(id(u), len(unit_ids))
        for name in (u.name, *u.aliases, *([u.id] if u.id else [])):
            units.setdefault(fold(name), n)
    people: dict[str, int] = {}
    person_ids: dict[int, int] = {}
    for p in ws.people:
        person_ids.setdefault(id(p), len(person_ids))
    for p in ws.people:
        people.setdefault(fold(p.id), person_ids[id(p)])
    def columns(hazards: list[Any]) -> dict[str, list[Any]]:
        cols: dict[str, list[Any]] = {k: [] for k in COLUMNS}
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
            cols["head"].append(head)
            cols["tail"].append(tail)
        return cols

    directory.unit("")  # the folded names, read (or computed and kept) before the work is shared out
    cols = _in_two(columns, ws.hazards)
    # the rows' JSON goes to a blob read only for the rows a query prints; the columns a
    # query compares become compact arrays
    # sort orders that do not depend on the day asked about, as ranks (sorting by a rank is a
    # fraction of the cost of sorting by a tuple); a rank is the row's place in that order
    n = len(cols["id"])
    big = 10 ** 9
    keys: dict[str, Callable[[int], Any]] = {
        "id": lambda i: cols["id"][i],
        "found": lambda i: (cols["found"][i], cols["id"][i]),
        "deadline": lambda i: (cols["deadline"][i] if cols["deadline"][i] != -1 else big, cols["id"][i]),
        "township": lambda i: (cols["township"][i] or "", cols["found"][i], cols["id"][i]),
        "level": lambda i: (not cols["major"][i], cols["found"][i], cols["id"][i]),
        # overdue: most days first = earliest deadline first, then major, then id
        "overdue": lambda i: (cols["deadline"][i], not cols["major"][i], cols["id"][i]),
    }
    ranks: dict[str, array.array[int]] = {}
    for name, key in keys.items():
        # dense: rows with equal keys (a duplicated id) share a rank, so a stable sort keeps
        # them in ledger order as the ordinary path's sort does, reversed or not
        rank = array.array("i", bytes(4 * n))
        place, last = -1, object()
        for i in sorted(range(n), key=key):
            k = key(i)
            if k != last:
                place, last = place + 1, k
            rank[i] = place
        ranks[name] = rank
    # The rows' JSON, read only for the rows a query prints.  Row i is stored as its head
    # (the JSON before the day's values), the overdue prefix, its tail and a comma; offsets
    # hold (head start, head end, tail start, tail end) per row.  The hazards that can be
    # overdue (open, not rectified, with a deadline) come first, most overdue first: on any
    # day the overdue list is a prefix of them, and consecutive rows of it are one stretch of
    # the file between the values of the day.
    overdue_rank = ranks["overdue"]
    candidates = sorted((i for i in range(n) if cols["closed"][i] == -1 and cols["rect"][i] == -1
                         and cols["deadline"][i] != -1), key=overdue_rank.__getitem__)
    chosen = set(candidates)
    order = candidates + [i for i in range(n) if i not in chosen]
    prefix = OVERDUE_PREFIX.format(label=R.Status.OVERDUE.label).encode("utf-8")
    blob = bytearray()
    offsets = array.array("q", bytes(8 * 4 * n))
    heads, tails = cols.pop("head"), cols.pop("tail")
    for i in order:
        offsets[4 * i] = len(blob)
        blob += heads[i].encode("utf-8")
        offsets[4 * i + 1] = len(blob)
        blob += prefix
        offsets[4 * i + 2] = len(blob)
        blob += tails[i].encode("utf-8")
        offsets[4 * i + 3] = len(blob)
        blob += b","
    bulk = {"rows": bytes(blob), "offsets": offsets.tobytes(), "col:major": bytes(cols.pop("major")),
            "candidates:deadline": array.array("i", (cols["deadline"][i] for i in candidates)).tobytes(),
            "candidates:found": array.array("i", (cols["found"][i] for i in candidates)).tobytes(),
            "candidates:row": array.array("i", candidates).tobytes()}
    max_change = max(cols["change"], default=-1)
    rank_bytes = {name: rank.tobytes() for name, rank in ranks.items()}
    township_unit = cols["township_unit"]
    for name in ("found", "deadline", "closed", "rect", "change", "township_unit", "unit_unit", "owner_person"):
        bulk[f"col:{name}"] = array.array("i", cols.pop(name)).tobytes()
    bulk.update((f"rank:{name}", rank) for name, rank in rank_bytes.items())
    from anquan_cli.models import HazardSource

    tables = {name: dict(cls.lookup()) for name, cls in (("level", Level), ("source", HazardSource), ("status", R.Status))}
    vocab = {name: {k: m.value for k, m in table.items()} for name, table in tables.items()}
    # what only a filter by name needs (the text columns, the directory) is read and checked
    # only by a query that filters by name
    bulk["names"] = marshal.dumps({"columns": cols, "people": people,
                                   "person_names": _person_names(ws, person_ids)})
    # a township filter (the most common one) reads only the units and the rows of each township
    codes: dict[str, int] = {}
    by_unit: dict[int, list[int]] = {}
    by_text: dict[int, list[int]] = {}
    for i, (town, unit) in enumerate(zip(cols["township"], township_unit)):
        if unit != -1:
            by_unit.setdefault(unit, []).append(i)
        if town is not None:
            by_text.setdefault(codes.setdefault(town, len(codes)), []).append(i)
    bulk["towns"] = marshal.dumps({
        "units": units, "codes": codes,
        "by_unit": {k: array.array("i", v).tobytes() for k, v in by_unit.items()},
        "by_text": {k: array.array("i", v).tobytes() for k, v in by_text.items()}})
    from anquan_cli.problems import Severity

    errors = sum(1 for p in ws.problems if p.severity is Severity.ERROR)
    return {"version": INDEX_VERSION, "acceptance_days": ws.config.settings.acceptance_days, "vocab": vocab,
            "errors": errors, "status_labels": {m.value: m.label for m in R.Status}, "n": n,
            "max_change": max_change, "bulk": bulk}


#: the columns :func:`build` keeps of each hazard
COLUMNS = ("id", "found", "deadline", "closed", "rect", "change", "major", "source", "township", "township_unit",
           "sector", "unit_unit", "unit", "owner", "owner_person", "head", "tail")

#: hazards from which :func:`build` computes its columns on both cores
PARALLEL_ROWS = 20_000


def _in_two(columns: Callable[[list[Any]], dict[str, list[Any]]], hazards: list[Any]) -> dict[str, list[Any]]:
    """``columns(hazards)``, the first half computed by a forked copy of this process while
    this one computes the second (plain values, sent back through a pipe); computed here
    alone for a small ledger, without ``fork``, under ``ANQUAN_NO_PARALLEL``, or when the
    copy does not deliver."""
    import sys

    if (len(hazards) < PARALLEL_ROWS or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2
            or os.environ.get("ANQUAN_NO_PARALLEL") or sys.platform == "darwin"):
        return columns(hazards)
    half = len(hazards) // 2
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return columns(hazards)
    if pid == 0:  # the copy: its half, as bytes, then gone without running anything else
        code = 1
        try:
            os.close(read)
            data = marshal.dumps(columns(hazards[:half]))
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    second = columns(hazards[half:])
    with os.fdopen(read, "rb") as got:
        data = got.read()
    _, status = os.waitpid(pid, 0)
    first = None
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            first = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            first = None
    if not (isinstance(first, dict) and all(len(first.get(k, ())) == half for k in COLUMNS)):
        first = columns(hazards[:half])
    return {k: first[k] + second[k] for k in COLUMNS}


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
    from anquan_cli.io.atomic import atomic_write
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
        atomic_write(rows, b"".join(bulk.values()))  # first: the sealed header names the exact rows file
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
        if tuple(old[:4]) == new and new[2] < old[5] - 2_000_000_000:
            refreshed.append(old)
            continue
        if new[1] < 0:
            return None
        try:
            if hashlib.blake2b((root / new[0]).read_bytes(), digest_size=16).hexdigest() != old[4]:
                return None
        except OSError:
            return None
        refreshed.append((*new, old[4], time.time_ns()))  # its content is the recorded one as of now
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
        off = array.array("q")
        off.frombytes(self.section("offsets"))
        self.offsets = off
        self.rows = self.section("rows")
        self._cache: dict[str, dict[str, Any]] = {}

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
    view, off, labels = index.rows, index.offsets, index.labels
    parts: list[bytes | memoryview] = [b"["]
    middles = {st: f',"status":"{st}","status_label":"{label}","days_overdue":'.encode() for st, label in labels.items()}
    for i in rows:
        st, overdue, days_open = index.status(i, t)
        a = 4 * i
        parts += (view[off[a]:off[a + 1]], middles[st], b'%d,"days_open":%d,' % (overdue, days_open),
                  view[off[a + 2]:off[a + 3]], b",")
    parts[-1] = b"]\n"
    return b"".join(parts)


def render_overdue(index: HazardIndex, rows: list[int], t: int) -> bytes:
    """:func:`render` for rows known to be overdue on day ``t`` (open, not rectified, past
    the deadline): their status and day counts follow from two columns."""
    if not rows:
        return b"[]\n"
    view, off = index.rows, index.offsets
    deadline, found = index.cols["deadline"], index.cols["found"]
    parts: list[bytes | memoryview] = [b"["]
    for i in rows:
        a = 4 * i
        parts += (view[off[a]:off[a + 2]], b'%d,"days_open":%d,' % (t - deadline[i], t - found[i]),
                  view[off[a + 2]:off[a + 3]], b",")
    parts[-1] = b"]\n"
    return b"".join(parts)


def render_all_overdue(index: HazardIndex, t: int) -> tuple[bytes, int]:
    """``hazards overdue`` unfiltered on day ``t``: the stored prefix of hazards that can be
    overdue, cut where the deadline reaches ``t``; ``(JSON, rows)``."""
    import bisect

    deadline = index.cols["candidates:deadline"]
    k = bisect.bisect_left(deadline, t)  # deadline < t: past it
    if not k:
        return b"[]\n", 0
    found = index.cols["candidates:found"]
    first, last = index.cols["candidates:row"][0], index.cols["candidates:row"][k - 1]
    off, view = index.offsets, index.rows
    start = off[4 * first]
    # row j's head and prefix, its numbers, then (its tail, a comma, the next head and
    # prefix) up to the next numbers: the stretches between the numbers are consecutive
    bounds = array.array("q", [start])
    rows = index.cols["candidates:row"][:k]
    bounds.extend(off[4 * i + 2] for i in rows)
    bounds.append(off[4 * last + 3])
    numbers = [b'%d,"days_open":%d,' % (t - d, t - f) for d, f in zip(deadline[:k], found[:k])]
    parts: list[bytes | memoryview] = [b""] * (2 * k + 3)
    parts[0] = b"["
    parts[1::2] = [view[a:b] for a, b in zip(bounds, bounds[1:])]
    parts[2:-1:2] = numbers
    parts[-1] = b"]\n"
    return b"".join(parts), k


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

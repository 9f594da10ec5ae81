"""A per-file cache of validated records, keyed by the file's content (not its mtime: a git
checkout touches mtimes without changing content), so an unchanged file is never parsed
twice and after a ``git pull`` only the files that changed are read again.

* Entries live outside the tracked data (``<workspace>/.anquan/cache/``), one file per
  content digest and record kind, written atomically; concurrent runs at worst write the
  same entry twice.
* An entry that cannot be read back exactly (truncated, corrupted, from another version of
  anquan) is discarded and rebuilt, never trusted.  Unpickling is restricted to the value
  types records hold, so a planted file cannot run code.
* Records come back without re-validation: they were validated when the entry was written,
  and are rebuilt field by field (a few microseconds each) with their source positions.
* Every entry is sealed with an HMAC under a key private to this user on this machine
  (``~/.cache/anquan/key``, 0600).  An entry that does not carry this user's seal — one
  committed to a shared repository, forged, or written by another account — is discarded
  before it is unpickled, however well-formed it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
import time
from pathlib import Path

from pydantic import VERSION as PYDANTIC_VERSION

from anquan_cli import __version__
from anquan_cli.io.seal import seal as _seal_blob
from anquan_cli.io.seal import unseal, user_key
from anquan_cli.models._base import Record, Source, Vocab, builder
from anquan_cli.problems import Problem, Severity

__all__ = ["RecordCache", "dump_records", "load_records", "dump_problems", "load_problems", "pickled_entry"]

#: raised whenever what the reader makes of a file changes (line counting, refusals), so an
#: entry written by an earlier reader is never served
READER_FORMAT = 4

#: the validating library's version: its messages are part of what an entry holds
_LIBRARIES = f"pydantic {PYDANTIC_VERSION}"

#: list fields holding nested models, per record type (filled lazily)
_NESTED: dict[type, dict[str, type]] = {}


def _nested(cls: type) -> dict[str, type]:
    found = _NESTED.get(cls)
    if found is None:
        import typing

        from pydantic import BaseModel

        found = {}
        for name, info in cls.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                found[name] = annotation  # one nested value (a record's settings)
                continue
            for arg in typing.get_args(annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    found[name] = arg
        _NESTED[cls] = found
    return found


def dump_records(records: list[Record]) -> list[tuple]:
    """Records as plain, picklable values: (field values, source line, field lines, item lines)."""
    out = []
    for r in records:
        values = dict(r.__dict__)
        for name in _nested(type(r)):
            got = values[name]
            if isinstance(got, list):
                values[name] = [dict(e.__dict__) for e in got]
            elif got is not None:  # one nested value (an accident's investigation)
                values[name] = dict(got.__dict__)
        src = r._src
        out.append((values, src.line, src.fields, src.items))
    return out


def load_records(cls: type, rows: list[tuple], rel: str) -> list[Record]:
    """Rebuild already-validated records (no validation), placed at ``rel``."""
    nested = [(name, builder(sub)) for name, sub in _nested(cls).items()]
    build = builder(cls)
    out = []
    for values, line, fields, items in rows:
        for name, build_sub in nested:
            got = values[name]
            if isinstance(got, list):
                values[name] = [build_sub(v, None) for v in got]
            elif got is not None:
                values[name] = build_sub(got, None)
        out.append(build(values, {"_src": Source(rel, line, fields, items)}))
    return out


def pickled_entry(cls: type, digest: str, payload) -> bytes:
    """``payload`` (record rows, problem rows) of the content ``digest`` as a cache entry holds
    it: one pickling serves both the entry and the trip from a worker process."""
    return pickle.dumps((_schema(cls), digest, payload), protocol=pickle.HIGHEST_PROTOCOL)


def dump_problems(problems: list[Problem]) -> list[tuple]:
    return [(p.line, p.severity.value, p.code, p.message, p.hint) for p in problems]


def load_problems(rows: list[tuple], rel: str) -> list[Problem]:
    return [Problem(rel, line, Severity(sev), code, msg, hint) for line, sev, code, msg, hint in rows]


class _SafeUnpickler(pickle.Unpickler):
    """Only the value types records hold; anything else means the entry is not ours."""

    def find_class(self, module, name):
        if (module, name) == ("datetime", "date"):
            return dt.date
        if module.startswith("anquan_cli.models."):
            import importlib

            cls = getattr(importlib.import_module(module), name, None)
            if isinstance(cls, type) and issubclass(cls, Vocab):
                return cls
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def _schema(cls: type) -> str:
    return ",".join(cls.model_fields) + "|" + ";".join(f"{k}:{','.join(v.model_fields)}" for k, v in _nested(cls).items())


DAY = 86400


def _read_in_use(path: Path, *beside: Path) -> bytes:
    """An entry's bytes; its time (and that of the files kept ``beside`` it) renewed, at
    most daily, so that pruning keeps them."""
    with open(path, "rb") as fh:
        data = fh.read()
        used = os.fstat(fh.fileno()).st_mtime
    if time.time() - used > DAY:
        for each in (path, *beside):
            try:
                os.utime(each)
            except OSError:
                pass
    return data


def _prune(folder: Path, suffixes: tuple[str, ...], keep_seconds: float) -> None:
    """Remove the entries (``<folder>/<xx>/<key><suffix>``) nobody used for ``keep_seconds``."""
    cutoff = time.time() - keep_seconds
    try:
        subfolders = [e.path for e in os.scandir(folder) if e.is_dir(follow_symlinks=False) and len(e.name) == 2]
    except OSError:
        return
    for sub in subfolders:
        try:
            for entry in os.scandir(sub):
                if entry.name.endswith(suffixes) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
        except OSError:
            continue


class RecordCache:
    #: entries of file contents no command read for this long are removed (every edit leaves
    #: the entry of the file's old content behind)
    KEEP_SECONDS = 30 * DAY

    def __init__(self, folder: Path):
        self.folder = folder
        self.key = user_key()
        self._wrote = False

    def prune(self) -> None:
        """After writing entries: remove the ones unused for :attr:`KEEP_SECONDS`."""
        if self._wrote:
            _prune(self.folder, (".pickle", ".problems"), self.KEEP_SECONDS)

    def renew(self, digest: str, kind: str) -> None:
        """Mark the entry of a content as in use without reading it (a command that needed
        only what was kept of the file, such as its index segment), so pruning keeps it."""
        path = self._path(digest, kind)
        try:
            if time.time() - os.stat(path).st_mtime > DAY:
                for each in (path, path.with_suffix(".problems")):
                    os.utime(each)
        except OSError:
            pass

    def wrote(self) -> None:
        """Entries were written (by this process or a forked copy): :meth:`prune` prunes."""
        self._wrote = True

    def _path(self, digest: str, kind: str) -> Path:
        key = hashlib.blake2b(f"{__version__}|{READER_FORMAT}|{_LIBRARIES}|{kind}|{digest}".encode(),
                              digest_size=16).hexdigest()
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, digest: str, kind: str, cls: type):
        """The cached payload ``(records rows, problem rows)``, or None."""
        if self.key is None:
            return None
        path = self._path(digest, kind)
        try:
            data = _read_in_use(path, path.with_suffix(".problems"))
        except OSError:
            return None
        data = unseal(self.key, data)
        if data is None:
            return None  # not written by this user's anquan: never unpickled
        try:
            schema, digest_back, payload = _SafeUnpickler(io.BytesIO(data)).load()
            if schema != _schema(cls) or digest_back != digest:
                return None
            rows, problems = payload
            if not isinstance(rows, list) or not isinstance(problems, list):
                return None
            return rows, problems
        except Exception:  # any damage: not trusted, rebuilt by the caller
            return None

    def put(self, digest: str, kind: str, cls: type, payload, starts: list | None = None) -> None:
        """Keep ``payload`` (record rows, problem rows) of the content ``digest``; ``starts``:
        the lines where the file's records start, valid or not (when known)."""
        if self.key is None:
            return
        self.put_pickled(digest, kind, cls, pickled_entry(cls, digest, payload), payload, starts)

    def put_pickled(self, digest: str, kind: str, cls: type, data: bytes, payload, starts: list | None = None) -> None:
        """:meth:`put` of a payload already pickled as an entry holds it (:func:`pickled_entry`:
        by the worker process that parsed the file)."""
        if self.key is None:
            return
        path = self._path(digest, kind)
        try:
            _write(path, _seal_blob(self.key, data))
        except (OSError, ValueError):
            return  # a read-only workspace simply runs without a cache
        self._wrote = True
        self.put_problems(digest, kind, cls, payload[1], [row[0].get("id") for row in payload[0]], starts)

    def put_problems(self, digest: str, kind: str, cls: type, rows: list, ids: list,
                     starts: list | None = None) -> None:
        """Beside a file's entry, its problems, its records' ids and where they start: what a
        command that reads one file of a kind needs to know of the others (whether they can be
        read at all, and whether they hold the record it is after), and what an edit of the
        file compares its records by."""
        if self.key is not None:
            _put_plain(self.key, self._path(digest, kind).with_suffix(".problems"),
                       (_schema(cls), digest, list(rows), list(ids), None if starts is None else list(starts)))

    def _side(self, digest: str, kind: str, cls: type) -> tuple | None:
        got = _get_plain(self.key, self._path(digest, kind).with_suffix(".problems"))
        if not (isinstance(got, tuple) and len(got) == 5):
            return None
        schema, back, rows, ids, starts = got
        ok = schema == _schema(cls) and back == digest and isinstance(rows, list) and isinstance(ids, list)
        return got if ok else None

    def problems(self, digest: str, kind: str, cls: type) -> tuple[list, list] | None:
        """``(problem rows, ids)`` of a file whose records were cached, without its records;
        None when they were not."""
        got = self._side(digest, kind, cls)
        return None if got is None else (got[2], got[3])

    def starts(self, digest: str, kind: str, cls: type) -> list[int] | None:
        """The lines where the records of a cached content start (valid or not), when known."""
        got = self._side(digest, kind, cls)
        return got[4] if got is not None and isinstance(got[4], list) else None


_MADE: set[Path] = set()


def _write(path: Path, data: bytes) -> None:
    """An entry written by a rename, its folder made unless this process made it before (an
    entry's folder is one of 256, written into thousands of times in a cold start) — again
    when it has gone since."""
    for again in (False, True):
        if again or path.parent not in _MADE:
            path.parent.mkdir(parents=True, exist_ok=True)
            _MADE.add(path.parent)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
        except FileNotFoundError:
            if again:
                raise
            continue
        os.replace(tmp, path)
        return


def _put_plain(key: bytes, path: Path, value) -> None:
    """Plain values (marshal), sealed with ``key``, written to ``path`` by a rename."""
    import marshal

    try:
        _write(path, _seal_blob(key, marshal.dumps(value)))
    except (OSError, ValueError):
        pass  # a read-only workspace runs without this cache


def _get_plain(key: bytes | None, path: Path):
    """What :func:`_put_plain` wrote, when this user's seal is on it; else None."""
    import marshal

    if key is None:
        return None
    try:
        data = unseal(key, _read_in_use(path))
    except OSError:
        return None
    if data is None:
        return None
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None


class CheckCache:
    """What ``anquan check`` found in one hazard file — its problems and the hazards' keys —
    kept under a key naming everything that can change it: the file's content, the rest of
    the workspace, the day and anquan's own code.  Sealed like the record cache; the payload
    is plain values (marshal), read only when the seal is this user's."""

    #: entries not used for this long are removed (a key includes the day, so each day of
    #: checks writes new ones)
    KEEP_SECONDS = 7 * DAY

    def __init__(self, folder: Path, name: str = "checks", keep_seconds: float | None = None):
        self.folder = folder / name
        self.key = user_key()
        if keep_seconds is not None:
            self.KEEP_SECONDS = keep_seconds

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.bin"

    def get(self, key: str):
        got = _get_plain(self.key, self._path(key))
        return got[1] if isinstance(got, tuple) and len(got) == 2 and got[0] == key else None

    def put(self, key: str, payload) -> None:
        if self.key is not None:
            _put_plain(self.key, self._path(key), (key, payload))

    def prune(self) -> None:
        """Remove the entries no check has used for :attr:`KEEP_SECONDS`."""
        _prune(self.folder, (".bin",), self.KEEP_SECONDS)


class KnownDigests:
    """The content digest of each workspace file as last read, with the file's stat then, so
    an unchanged file is not read again just to learn that it is unchanged (as git's index
    does).  A file counts as unchanged only when its size, mtime, ctime and inode are those
    recorded and it was last modified more than :attr:`RACY_NS` before its content was
    taken: a same-size edit within the clock's granularity (git's "racily clean") is read
    and compared.  Sealed like every cache; one file, rewritten when something changed."""

    RACY_NS = 2_000_000_000
    NAME = "digests.bin"

    def __init__(self, folder: Path):
        self.path = folder / self.NAME
        self.key = user_key()
        got = _get_plain(self.key, self.path)
        self.entries: dict = got[1] if isinstance(got, tuple) and len(got) == 2 and got[0] == READER_FORMAT \
            and isinstance(got[1], dict) else {}
        self.changed = False

    @staticmethod
    def stamp(st: os.stat_result) -> tuple[int, int, int, int]:
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def get(self, rel: str, st: os.stat_result) -> str | None:
        """The digest of ``rel`` when its stat ``st`` shows it unchanged since it was read."""
        got = self.entries.get(rel)
        if got is None:
            return None
        stamp, taken, known = got
        if tuple(stamp) != self.stamp(st) or st.st_mtime_ns >= taken - self.RACY_NS:
            return None
        return known

    def put(self, rel: str, st: os.stat_result, known: str, taken_ns: int) -> None:
        """``rel`` had stat ``st`` (taken before it was read) and content digest ``known``
        when read at ``taken_ns``."""
        entry = (self.stamp(st), taken_ns, known)
        if self.entries.get(rel) != entry:
            self.entries[rel] = entry
            self.changed = True

    def save(self, keep: set[str] | None = None) -> None:
        """Write the entries back when changed (only those in ``keep``: files that are gone go)."""
        if keep is not None and set(self.entries) - keep:
            self.entries = {k: v for k, v in self.entries.items() if k in keep}
            self.changed = True
        if self.changed and self.key is not None:
            _put_plain(self.key, self.path, (READER_FORMAT, self.entries))
            self.changed = False


_CODE: list[str] = []


def code_digest() -> str:
    """anquan's own source, so that a changed rule never serves a finding of the old one."""
    if not _CODE:
        base = Path(__file__).resolve().parent
        h = hashlib.blake2b(digest_size=20)
        for path in sorted(base.rglob("*.py")):
            h.update(path.relative_to(base).as_posix().encode())
            h.update(path.read_bytes())
        _CODE.append(h.hexdigest())
    return _CODE[0]

"""The use cases the commands call, above the loader and the rules.

``check`` is what ``anquan check`` runs.  The checks of one hazard at a time
(:data:`~anquan_cli.rules.checks.HAZARD_CHECKS`: dates, the closed loop, the five elements,
sign-offs, the people and units a hazard names) depend only on that hazard, the directory,
the settings and the day; so what a hazard file brings is kept per file, under a key naming
the file's content, every other file of the workspace, the day and anquan's own code.  A
check of a province-sized ledger where one file changed reads that one file again; the checks
across files (duplicate ids, the matrix's targets) run every time from the hazards' keys.
The answer is exactly the one of loading everything and running every check — which is what
happens without the cache (``ANQUAN_NO_CACHE``), for a roll-up, and for ``--against``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from anquan_cli.problems import Problem, Severity

__all__ = ["Checked", "check", "check_loaded"]

#: raised when what a cached check entry holds changes shape
CHECK_FORMAT = 1


@dataclass
class Checked:
    problems: list[Problem]
    files: int
    records: int


def check_loaded(root: Path, today: dt.date, use_cache: bool | None = None):
    """``(workspace, problems)``: everything loaded and every check run (what ``--against``
    compares with), sorted by place."""
    from anquan_cli.rules.checks import run_checks
    from anquan_cli.workspace import load_workspace

    ws, problems = load_workspace(root, use_cache=use_cache)
    problems = problems + run_checks(ws, today)
    problems.sort(key=Problem.sort_key)
    return ws, problems


def check(root: Path, today: dt.date, use_cache: bool | None = None) -> Checked:
    """Every problem of the workspace at ``root`` on ``today``, sorted by place."""
    from anquan_cli.cache import CheckCache
    from anquan_cli.locate import CONFIG_NAME, includes
    from anquan_cli.rules.checks import HAZARD_CHECKS, WORKSPACE_CHECKS, CheckContext, hazard_keys
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.workspace import digest, load_workspace, records_of_files

    if use_cache is None:
        use_cache = not os.environ.get("ANQUAN_NO_CACHE")
    # a roll-up's hazards come with the included workspaces: it is checked the whole way
    rollup = bool(includes(root / CONFIG_NAME))
    if use_cache and not rollup:
        ws, problems = load_workspace(root, use_cache=True, skip=frozenset({"hazards"}))
        rollup = bool(ws.config.include)  # as the loader read it
    if not use_cache or rollup:
        ws, problems = check_loaded(root, today, use_cache)
        return Checked(problems, len(ws.files), ws.record_count)
    files = ws.unloaded.get("hazards", [])
    context = _context(ws, {rel for rel, _ in files}, today)
    store = CheckCache(root / ".anquan" / "cache")
    keys = [hashlib.blake2b(f"{context}|{rel}|{digest(data)}".encode("utf-8", "surrogateescape"),
                            digest_size=20).hexdigest() for rel, data in files]
    entries = [store.get(k) for k in keys]
    misses = [i for i, e in enumerate(entries) if e is None]
    directory = Directory.for_workspace(ws)
    if misses:
        ctx = CheckContext(today=today, directory=directory)
        loaded = records_of_files(root, "hazards", [files[i] for i in misses])
        for i, (records, found) in zip(misses, loaded):
            part = replace(ws, hazards=records)
            found = list(found)
            for each in HAZARD_CHECKS:
                found.extend(each(part, ctx))
            entries[i] = ([(p.path, p.line, p.severity.value, p.code, p.message, p.hint) for p in found],
                          hazard_keys(records), len(records))
            store.put(keys[i], entries[i])
        store.prune()  # new entries were written: the ones of days gone by can go
    all_keys: list[tuple[str | None, str, str, int, int]] = []
    count = 0
    for rows, hazards, n in entries:  # every entry is filled by now
        problems.extend(Problem(path, line, Severity(sev), code, msg, hint)
                        for path, line, sev, code, msg, hint in rows)
        all_keys.extend(tuple(k) for k in hazards)
        count += n
    ctx = CheckContext(today=today, directory=directory, hazard_keys=all_keys)
    for each in WORKSPACE_CHECKS:
        problems.extend(each(ws, ctx))
    problems.sort(key=Problem.sort_key)
    return Checked(problems, len(ws.files), ws.record_count + count)


def _context(ws, hazard_files: set[str], today: dt.date) -> str:
    """One digest of all a hazard file's checks can depend on besides the file itself."""
    import pydantic
    import pydantic_core

    # the libraries that word a record's problems are part of what a finding depends on
    parts = [f"{CHECK_FORMAT}", sys.version, today.isoformat(), _code_digest(), pydantic.VERSION,
             pydantic_core.__version__]
    parts += sorted(f"{rel}={d}" for rel, d in ws.digests.items() if rel not in hazard_files)
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


_CODE: list[str] = []


def _code_digest() -> str:
    """anquan's own source, so that a changed rule never serves a finding of the old one."""
    if not _CODE:
        base = Path(__file__).resolve().parent
        h = hashlib.blake2b(digest_size=20)
        for path in sorted(base.rglob("*.py")):
            h.update(path.relative_to(base).as_posix().encode())
            h.update(path.read_bytes())
        _CODE.append(h.hexdigest())
    return _CODE[0]

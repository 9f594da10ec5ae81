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
import gc
import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from anquan_cli.problems import Problem, Severity

__all__ = ["Checked", "check", "check_loaded", "report", "edit_hazard"]

#: raised when what a cached check entry holds changes shape
CHECK_FORMAT = 1
#: likewise for a report entry (:func:`anquan_cli.rules.report.hazard_part`)
REPORT_FORMAT = "report-4"


@dataclass
class Checked:
    problems: list[Problem]
    files: int
    records: int


def check_loaded(root: Path, today: dt.date, use_cache: bool | None = None, confidential: bool = False):
    """``(workspace, problems)``: everything loaded and every check run (what ``--against``
    compares with), sorted by place; ``confidential``: the reporters of tip-offs too."""
    from anquan_cli.rules.checks import run_checks
    from anquan_cli.workspace import load_workspace

    ws, problems = load_workspace(root, use_cache=use_cache, confidential=confidential)
    problems = problems + run_checks(ws, today)
    problems.sort(key=Problem.sort_key)
    return ws, problems


def check(root: Path, today: dt.date, use_cache: bool | None = None, confidential: bool = False) -> Checked:
    """Every problem of the workspace at ``root`` on ``today``, sorted by place (``confidential``:
    the reporters of tip-offs read and checked too)."""
    from anquan_cli.rules.checks import HAZARD_CHECKS, WORKSPACE_CHECKS, CheckContext, hazard_keys
    from anquan_cli.rules.lookup import Directory

    loaded = _skipping_hazards(root, use_cache, confidential=confidential)
    if loaded is None:
        ws, problems = check_loaded(root, today, use_cache, confidential)
        return Checked(problems, len(ws.files), ws.record_count)
    ws, problems = loaded
    directory = Directory.for_workspace(ws)
    ctx = CheckContext(today=today, directory=directory)

    def compute(records, found):
        part = replace(ws, hazards=records)
        found = list(found)
        for each in HAZARD_CHECKS:
            found.extend(each(part, ctx))
        return _rows(found), hazard_keys(records), len(records)

    entries = _per_hazard_file(root, ws, _context(ws, today, "check"), "checks", compute)
    all_keys: list[tuple[str | None, str, str, int, int]] = []
    count = 0
    for rows, hazards, n in entries:  # every entry is filled by now
        problems.extend(_problems(rows))
        all_keys.extend(tuple(k) for k in hazards)
        count += n
    ctx = CheckContext(today=today, directory=directory, hazard_keys=all_keys)
    for each in WORKSPACE_CHECKS:
        problems.extend(each(ws, ctx))
    problems.sort(key=Problem.sort_key)
    return Checked(problems, len(ws.files), ws.record_count + count)


def _rows(problems: list[Problem]) -> list[tuple]:
    """Problems as the plain rows an entry keeps."""
    return [(p.path, p.line, p.severity.value, p.code, p.message, p.hint) for p in problems]


def _problems(rows: list) -> list[Problem]:
    return [Problem(path, line, Severity(sev), code, msg, hint) for path, line, sev, code, msg, hint in rows]


def _per_hazard_file(root: Path, ws, context: str, folder: str, compute) -> list:
    """``compute(records, problems)`` of each hazard file of ``ws`` (loaded with the hazards
    skipped), kept in ``.anquan/cache/<folder>`` under ``context`` and the file's content: only
    the files without an entry are read as records.  Entries come back in file order."""
    from anquan_cli.cache import CheckCache
    from anquan_cli.workspace import records_of_files, unloaded_bytes

    def key(rel: str) -> str:
        return _file_key(context, rel, ws.digests[rel])

    files = ws.unloaded.get("hazards", [])
    store = CheckCache(root / ".anquan" / "cache", folder)
    entries = [store.get(key(rel)) for rel, _ in files]
    misses = [i for i, e in enumerate(entries) if e is None]
    if misses:
        read = unloaded_bytes(ws, [files[i] for i in misses])  # the key follows what is read
        loaded = records_of_files(root, "hazards", read)
        for i, (rel, _), (records, found) in zip(misses, read, loaded):
            entries[i] = compute(records, found)
            store.put(key(rel), entries[i])
        store.prune()  # new entries were written: the ones of days gone by can go
    gc.freeze()  # the entries live as long as the command: keep them out of collections
    return entries


def _file_key(context: str, rel: str, digest: str) -> str:
    return hashlib.blake2b(f"{context}|{rel}|{digest}".encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def _context(ws, today: dt.date, *what: str) -> str:
    """One digest of all a hazard file's entry can depend on besides the file itself: the
    other files (not hazard files), the day, anquan's code and ``what`` the entry is for."""
    import pydantic
    import pydantic_core

    from anquan_cli.cache import code_digest

    hazard_files = {rel for rel, _ in ws.unloaded.get("hazards", [])}
    # the libraries that word a record's problems are part of what a finding depends on
    parts = [f"{CHECK_FORMAT}", sys.version, today.isoformat(), code_digest(), pydantic.VERSION,
             pydantic_core.__version__, *what]
    parts += sorted(f"{rel}={d}" for rel, d in ws.digests.items() if rel not in hazard_files)
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def _skipping_hazards(root: Path, use_cache: bool | None, rev: str | None = None, confidential: bool = False):
    """``(ws, problems)`` loaded with the hazard files read but not parsed, when their entries
    may be kept: not for a roll-up (its hazards come with the included workspaces), a git
    revision or ``ANQUAN_NO_CACHE``; else None."""
    from anquan_cli.locate import CONFIG_NAME, includes
    from anquan_cli.workspace import load_workspace

    if use_cache is None:
        use_cache = not os.environ.get("ANQUAN_NO_CACHE")
    if not use_cache or rev is not None or includes(root / CONFIG_NAME):
        return None
    ws, problems = load_workspace(root, use_cache=True, skip=frozenset({"hazards"}), confidential=confidential)
    return None if ws.config.include else (ws, problems)  # as the loader read it


def report(root: Path, kind: str, window, today: dt.date, provenance, rev: str | None = None,
           use_cache: bool | None = None, layout: tuple[str, Callable[[dict], Any]] | None = None
           ) -> tuple[Any, int]:
    """``(context, errors)``: everything a report template may use
    (:func:`anquan_cli.rules.report.build_context`) and how many records with errors it
    leaves out.  What each hazard file brings (:func:`~anquan_cli.rules.report.hazard_part`)
    is kept per file like :func:`check`'s findings, so a report of a province where one file
    changed computes that file again.  ``provenance(ws)`` gives the context's provenance.

    With ``layout`` — ``(key, lay_out)``: ``key`` names everything ``lay_out(context)``
    depends on besides the context (the templates) — the laid-out report is returned instead
    of the context, and kept whole under a key naming every input file, the day, the period,
    the provenance and ``key``: asked again with nothing changed, it is served as it was."""
    from anquan_cli.cache import CheckCache
    from anquan_cli.rules.hazards import Guarantees
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.report import build_context, enforcement_inputs, hazard_part, workspace_part
    from anquan_cli.workspace import load_workspace, require_usable

    loaded = _skipping_hazards(root, use_cache, rev)
    if loaded is None:
        ws, problems = load_workspace(root, rev, use_cache=use_cache)
        require_usable(problems)
        ctx = build_context(ws, kind, window, today, provenance(ws))
        return (ctx if layout is None else layout[1](ctx)), _errors(problems)
    ws, problems = loaded
    require_usable(problems)
    context = _context(ws, today, "report", REPORT_FORMAT, kind, window.label)
    given = provenance(ws)
    outputs = whole = None
    if layout is not None:
        import json

        # a province's report is megabytes: kept a day (a key names the day anyway)
        outputs = CheckCache(root / ".anquan" / "cache", "outputs", keep_seconds=86400)
        files = "|".join(_file_key(context, rel, ws.digests[rel]) for rel, _ in ws.unloaded.get("hazards", []))
        whole = hashlib.blake2b("\n".join([context, files, json.dumps(given, sort_keys=True), layout[0]]).encode(
            "utf-8", "surrogateescape"), digest_size=20).hexdigest()
        kept = outputs.get(whole)
        if isinstance(kept, tuple) and len(kept) == 2:
            return kept[0], kept[1]
    directory = Directory.for_workspace(ws)
    guarantees = Guarantees.for_workspace(ws)
    days = ws.config.settings.acceptance_days
    enforcement = enforcement_inputs(ws, window, today)

    def compute(records, found):
        return _rows(found), hazard_part(records, kind, window, today, directory, guarantees, days, enforcement,
                                         ws.campaigns)

    entries = _per_hazard_file(root, ws, context, "reports", compute)
    store = CheckCache(root / ".anquan" / "cache", "reports")
    rest = store.get(context)  # the other records' part: kept under the same key
    if rest is None:
        rest = workspace_part(ws, kind, window, today, directory)
        store.put(context, rest)
    problems = problems + [p for rows, _ in entries for p in _problems(rows)]
    require_usable(problems)
    ctx = build_context(ws, kind, window, today, given, [part for _, part in entries], rest)
    if layout is None:
        return ctx, _errors(problems)
    out = layout[1](ctx)
    if outputs is not None and whole is not None:
        outputs.put(whole, (out, _errors(problems)))
        outputs.prune()
    return out, _errors(problems)


def _errors(problems: list[Problem]) -> int:
    return sum(1 for p in problems if p.severity is Severity.ERROR)


def edit_hazard(root: Path, today: dt.date, hazard_id: str, plan) -> tuple[Any, str, list[Problem]]:
    """One step on one hazard: the workspace locked and read as the edit needs it, the change
    ``plan(hazard, today, ws)`` staged in the hazard's file, validated and written
    (:mod:`anquan_cli.edit.session`).  ``(the hazard as it was, the file written, the new
    warnings the change brought)``."""
    from anquan_cli.edit.hazards import apply_change
    from anquan_cli.edit.session import EditSession
    from anquan_cli.rules.hazards import find

    with EditSession(root, today, hazard=hazard_id) as s:
        assert s.ws is not None
        h = find(s.ws.hazards, hazard_id)
        rel = apply_change(s, h, plan(h, today, s.ws))
        s.commit()
    return h, rel, s.warnings


#: ``--number`` words that take the next 文号 of the register
NEXT = frozenset({"next", "auto", "下一个", "顺序", "自动"})


def document_number(root: Path, today: dt.date, *, key: str, title: str, kind: str, given: str | None = None,
                    to: tuple[str, ...] = (), hazards: tuple[str, ...] = (), write: bool = True,
                    stage: Callable[[Any], None] | None = None) -> tuple[str | None, bool]:
    """``(发文字号, registered now)`` of the document ``key``.  ``given`` is ``--number``: a 文号 as
    written (registered when new), or :data:`NEXT` — the one the register
    (``documents/register.yaml``) holds for ``key``, else the next of the year under
    ``documents.number``, registered.  Without ``given`` (a draft): the number ``key`` was
    given before, or None — nothing is taken.  Nothing is written when ``write`` is false (a
    document read from the past: ``--as-of``).  ``stage(session)``, when given, stages more
    changes (a notice's history event) to be written with the register, or not at all.
    Raises ValueError (what to write) for a number that cannot be read or is unusable."""
    from anquan_cli.edit.documents import register
    from anquan_cli.edit.session import EditSession
    from anquan_cli.rules.documents import kept, numbered, parse_given

    with EditSession(root, today) as s:
        assert s.ws is not None
        issued = s.ws.issued
        pattern = s.ws.config.documents.number
        before = kept(issued, key)
        if given is None:
            return (before.number if before is not None else None), False
        if given in NEXT and pattern is None:
            raise ValueError("anquan.yaml 没有写 documents.number（发文字号的格式，如 青安委办〔{year}〕{n}号），"
                             "无法顺序编号；请先写上，或用 --number 直接给出文号")
        if given not in NEXT:
            year, n = parse_given(given, pattern, today.year)
            other = next((d for d in issued if d.number == given and d.key and d.key != key), None)
            if other is not None:
                from anquan_cli.problems import AnquanError

                raise AnquanError(f"发文字号“{given}”已登记给《{other.title}》（{other.src.path}:{other.src.line}），"
                                  "一个文号只能用于一份文件；请换一个，或不写 --number 由 anquan 按顺序编号")
            number, new = given, (before is None or before.number != given) and not any(
                d.number == given for d in issued)
        elif before is not None:
            number, n, year, new = before.number, before.n, before.year, False
        else:
            assert pattern is not None
            year = today.year
            number, n, new = numbered(issued, pattern, year, key)
        if not write:
            return number, False
        if new:
            register(s, {"number": number, "year": year, "n": n, "date": today, "title": title, "kind": kind,
                         "key": None if before is not None else key, "hazards": list(hazards),
                         "to": "、".join(to) or None})
        if stage is not None:
            stage(s)
        if s.staged:
            s.commit()
    return number, new

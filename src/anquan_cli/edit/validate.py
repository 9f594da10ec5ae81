"""Validate before write: the files an edit would write are read back and checked with the
same code ``anquan check`` runs, and the edit is refused if that finds any error the files
did not already have.

Errors are compared per record, not per line (an edit shifts the lines below it): a problem
belongs to the record whose text holds its line, counted by the record's place in its file.
A record that already had an error may still be edited (filling the 五落实 one element at a
time); an edit that adds an error — to its own record or, through a duplicate id or a
changed name directory, to another one — writes nothing.

Record files are checked against the rest of the workspace without re-reading it: the
changed files' records, plus the records elsewhere that share their ids, plus the name
directory.  A change to ``org/`` (people, units) can change how every name resolves, so it
re-reads and re-checks the whole workspace as it would be.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import os
from collections import Counter

from anquan_cli.io.decode import DecodeError, decode
from anquan_cli.problems import Problem, Severity
from anquan_cli.rules.checks import run_checks
from anquan_cli.workspace import (
    RECORD_LISTS,
    Workspace,
    kept_starts,
    kind_of,
    load_workspace,
    records_after_edit,
    records_from_bytes,
)

__all__ = ["new_problems", "item_starts"]


def item_starts(rel: str, data: bytes | None) -> list[int]:
    """1-based lines where each record of the file starts (items of its record lists, CSV rows)."""
    if not data:
        return []
    try:
        text = decode(data).text
    except DecodeError:
        return []
    if rel.lower().endswith(".csv"):
        from anquan_cli.io.csvread import parse_csv

        _, rows, _ = parse_csv(text, rel)
        return [r.line for r in rows]
    from anquan_cli.io.yamlread import PosDict, PosList, parse_yaml

    data_, _ = parse_yaml(text, rel)
    lists = [data_] if isinstance(data_, PosList) else \
        [v for v in data_.values() if isinstance(v, PosList)] if isinstance(data_, PosDict) else []
    return sorted(line for seq in lists for line in seq.item_lines)


class _Keys:
    """Problem → ``(path, record number or line, code)``: stable across an edit for the
    files it changes (records keep their order), the line itself for files it does not."""

    def __init__(self, starts: dict[str, list[int]]):
        self.starts = starts

    def __call__(self, p: Problem) -> tuple:
        starts = self.starts.get(p.path)
        if starts is None:
            return (p.path, p.line, p.code)
        return (p.path, bisect.bisect_right(starts, p.line) - 1, p.code)


def _delta(before: list[Problem], after: list[Problem], keys_before: _Keys, keys_after: _Keys,
           ) -> list[Problem]:
    """Problems of ``after`` beyond those ``before`` already had (as a multiset by key)."""
    seen = Counter(keys_before(p) for p in before)
    out = []
    for p in after:
        k = keys_after(p)
        if seen[k] > 0:
            seen[k] -= 1
        else:
            out.append(p)
    return out


def _partial(ws: Workspace, old: dict[str, bytes | None], new: dict[str, bytes], today: dt.date
             ) -> tuple[list[Problem], list[Problem], dict[str, list[int]], dict[str, list[int]]]:
    """Problems with and without the change, for changes to record files only, and the
    record start lines of the changed files before and after.

    A changed file's records as they are now come from the workspace when it read the same
    bytes.  Of an edit of hazard files, only what can differ is checked: the checks of one
    hazard at a time for the records whose values changed (the others find the same on both
    sides, at the same record number), and duplicate ids among the changed files' records and
    the records elsewhere that share their ids."""
    from anquan_cli.rules.checks import HAZARD_CHECKS, CheckContext, check_duplicates, hazard_keys
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.workspace import KINDS, digest

    views: list[dict[str, list]] = [{}, {}]
    files: list[dict[str, list]] = [{}, {}]
    found: list[list[Problem]] = [[], []]
    starts: list[dict[str, list[int]]] = [{}, {}]
    idents: dict[str, set] = {}
    for rel in new:
        _, inner, label = ws.owner_of(rel)
        kind = kind_of(inner)
        known = None  # the file as the workspace read it: (records, problems)
        for side, data in enumerate((old.get(rel), new[rel])):
            starts[side][rel] = []
            if data is None:
                continue
            if side == 0 and ws.digests.get(rel) == digest(data) and getattr(ws, kind.attr):
                # as the workspace read it (from the record cache): its records and problems
                records = [r for r in getattr(ws, kind.attr) if r.src.path == rel]
                problems = [p for p in ws.problems if p.path == rel]
                starts[side][rel] = kept_starts(ws, rel) or item_starts(rel, data)
                known = (records, problems)
            elif (side == 1 and known is not None and kind.attr == "hazards" and old.get(rel) is not None
                  and not os.environ.get("ANQUAN_NO_CACHE")):
                # the records the edit left alone are the ones the workspace read
                records, problems = records_after_edit(rel, kind, label, old[rel], data, known[0], known[1],
                                                       starts[0][rel], starts[side][rel])
            else:
                records, problems = records_from_bytes(rel, data, kind=kind, workspace=label,
                                                       starts=starts[side][rel])
            views[side].setdefault(kind.attr, []).extend(records)
            files[side][rel] = records
            found[side].extend(problems)
            if kind.identity is not None:
                idents.setdefault(kind.attr, set()).update(kind.identity(r) for r in records)
    # records elsewhere that share an identity with the changed ones (for duplicates): found
    # by identity first, the cheap test, over the whole list once
    others: dict[str, list] = {}
    for attr, wanted in idents.items():
        kind = next(k for k in KINDS if k.attr == attr)
        others[attr] = [r for r in getattr(ws, attr) if kind.identity(r) in wanted and r.src.path not in new]
    directory = Directory.for_workspace(ws)  # units and people are not record files: the same on both sides
    results = []
    if set(views[0]) | set(views[1]) <= {"hazards"}:
        empty = {attr: [] for attr in RECORD_LISTS}
        changed = _changed_records(files[0], files[1])
        ctx = CheckContext(today=today, directory=directory)
        for side in (0, 1):
            one_by_one = dataclasses.replace(ws, **{**empty, "hazards": changed[side]})
            problems = list(found[side])
            for each in HAZARD_CHECKS:
                problems.extend(each(one_by_one, ctx))
            ids = dataclasses.replace(ws, **{**empty, "hazards": others.get("hazards", []) + views[side].get("hazards", [])})
            results.append(problems + check_duplicates(ids, ctx))
        return results[0], results[1], starts[0], starts[1]
    # the records of other files are the same on both sides and what they find drops out of the
    # difference, but the checks across kinds need them (a risk's hazards, a campaign's duties, an
    # enterprise's grid cell): every list but the hazards is kept whole, and the hazards by their keys
    unchanged = {attr: [r for r in getattr(ws, attr) if r.src.path not in new]
                 for attr in RECORD_LISTS if attr not in ("units", "people", "hazards")}
    rest_keys = hazard_keys(h for h in ws.hazards if h.src.path not in new)
    for side in (0, 1):
        lists = {**unchanged, "hazards": []}
        for attr, records in views[side].items():
            lists[attr] = (others.get(attr, []) if attr == "hazards" else unchanged[attr]) + records
        view = dataclasses.replace(ws, **lists)
        keys = rest_keys + hazard_keys(views[side].get("hazards", []))
        results.append(found[side] + run_checks(view, today, directory, keys))
    return results[0], results[1], starts[0], starts[1]


def _changed_records(before: dict[str, list], after: dict[str, list]) -> tuple[list, list]:
    """The records of each side whose values differ from the record at the same place in the
    same file on the other side (all of a file's records past the other side's end)."""
    out: tuple[list, list] = ([], [])
    for rel in before.keys() | after.keys():
        b, a = before.get(rel, []), after.get(rel, [])
        for i in range(max(len(b), len(a))):
            if i < len(b) and i < len(a) and b[i].__dict__ == a[i].__dict__:
                continue
            if i < len(b):
                out[0].append(b[i])
            if i < len(a):
                out[1].append(a[i])
    return out


def new_problems(ws: Workspace, old: dict[str, bytes | None], new: dict[str, bytes], today: dt.date
                 ) -> tuple[list[Problem], list[Problem]]:
    """``(errors, warnings)`` the files ``new`` (workspace-relative path → bytes to write)
    would bring that the workspace does not have now; ``old`` holds those files' current
    bytes (None for a file the edit creates)."""
    if all(kind_of(ws.owner_of(rel)[1]) is not None for rel in new):
        before, after, starts_before, starts_after = _partial(ws, old, new, today)
    else:
        changed, _ = load_workspace(ws.root, overlay=new)
        before = ws.problems + run_checks(ws, today)
        after = changed.problems + run_checks(changed, today)
        starts_before = {rel: item_starts(rel, old.get(rel)) for rel in new}
        starts_after = {rel: item_starts(rel, data) for rel, data in new.items()}
    keys_before, keys_after = _Keys(starts_before), _Keys(starts_after)
    added = _delta(before, after, keys_before, keys_after)
    errors = [p for p in added if p.severity is Severity.ERROR]
    warnings = [p for p in added if p.severity is not Severity.ERROR and p.path in new]
    return sorted(errors, key=Problem.sort_key), sorted(warnings, key=Problem.sort_key)

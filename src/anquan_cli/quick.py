"""Answers that need neither the command-line framework nor a single record object.

``anquan hazards overdue`` and ``anquan hazards list`` with ``--format json`` to a pipe are
what cron jobs and other offices' scripts run, over and over, on the biggest workspaces.  This
module reads the command line itself — only the plainest spellings of the options, anything
else is left to the ordinary path — asks the hazard index (:mod:`anquan_cli.index`; a stale or
missing one built afresh file by file, as the command line builds it), and writes its bytes.  It never decides anything the ordinary path
would decide differently: whenever it is unsure it returns None, and the ordinary path (typer,
the loader, the rules) answers and explains, byte for byte as the index would have.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the fast path
if TYPE_CHECKING:
    from typing import Any

__all__ = ["hazard_query", "hazard_edit", "usable", "write_answer", "errors_note", "day_or_today"]

#: the options each query reads: name → (option, takes a value)
_LIST = {
    "--township": "township", "--sector": "sector", "--level": "level", "--unit": "unit", "--owner": "owner",
    "--source": "source", "--status": "status", "--found-from": "found_from", "--found-to": "found_to",
    "--sort": "sort",
}
_LIST_FLAGS = {"--open": "open", "--closed": "closed", "--overdue": "overdue", "--reverse": "reverse"}
_OVERDUE = {"--township": "township", "--sector": "sector", "--level": "level"}
_OVERDUE_FLAGS = {"--exit-code": "exit_code"}
_COMMON = {"--format": "format", "-f": "format", "--today": "today", "--data": "data"}
#: the steps of a hazard's life ``hazard_edit`` takes: command → options
_EDITS = {
    "rectify": {"--note": "note", "--reason": "reason", "--date": "date", "--by": "by"},
    "verify": {"--party": "party", "--by": "by", "--date": "date"},
    "close": {"--date": "date", "--by": "by"},
    "extend": {"--deadline": "deadline", "--reason": "reason", "--date": "date", "--by": "by"},
}
#: ``hazards list --sort`` keys (cli.hazards.SortKey)
SORT_KEYS = ("found", "deadline", "id", "days_overdue", "township", "level")


def usable(as_of: object = None) -> bool:
    """Whether a query may be answered from the index at all: the working tree (not a git
    revision), the cache not switched off, and compact JSON to a pipe or file (a terminal gets
    the indented JSON of the ordinary path)."""
    if as_of or os.environ.get("ANQUAN_NO_CACHE"):
        return False
    try:
        return not sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def errors_note(errors: int) -> str | None:
    """The note on stderr that an answer leaves out records with errors."""
    if not errors:
        return None
    return f"注意：工作区中有 {errors} 处错误，相关记录未计入；运行 anquan check 查看。"


def write_answer(data: bytes, errors: int) -> None:
    """The note on left-out records (as the ordinary path prints it), then the bytes."""
    note = errors_note(errors)
    if note:
        sys.stderr.write(note + "\n")
        sys.stderr.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a test harness's text stream
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        out.write(data)
        out.flush()


def _parse(args: list[str], valued: dict[str, str], flags: dict[str, str]) -> dict[str, Any] | None:
    """``--opt value``, ``--opt=value``, ``-f json``/``-fjson`` and flags; None for anything
    else (a help request, an unknown or repeated option, a stray argument)."""
    got: dict[str, Any] = {}
    i = 0
    while i < len(args):
        token = args[i]
        i += 1
        name, eq, value = token.partition("=")
        key: str | None
        if token in flags and not eq:
            key = flags[token]
            value_given: object = True
        else:
            if token.startswith("-f") and not token.startswith("--") and len(token) > 2:
                name, value, eq = "-f", token[2:], "="
            key = valued.get(name) or _COMMON.get(name)
            if key is None or (name == "-f" and eq and token.startswith("-f=")):
                return None
            if not eq:
                if i >= len(args):
                    return None
                value = args[i]
                i += 1
            value_given = value
        if key in got:
            return None  # repeated: whatever the parser makes of it, it answers
        got[key] = value_given
    return got


def _day(text: str | None) -> dt.date | None:
    from anquan_cli.text import parse_date

    return parse_date(text) if text else None


def day_or_today(text: str | None) -> dt.date:
    """``--today`` / ``ANQUAN_TODAY`` as given (empty: not given), else the real date — the
    only place anquan reads the clock; everything below gets ``today`` passed in.  Raises
    ValueError for a day that cannot be read."""
    return _day(text) or dt.date.today()


def hazard_query(args: list[str]) -> tuple[bytes, int, int] | None:
    """``(JSON bytes, exit code, errors)`` for ``hazards overdue|list …`` (``args`` after
    ``hazards``) when the index answers it, else None."""
    if not args or args[0] not in ("overdue", "list"):
        return None
    command = args[0]
    if command == "list":
        got = _parse(args[1:], _LIST, _LIST_FLAGS)
    else:
        got = _parse(args[1:], _OVERDUE, _OVERDUE_FLAGS)
    if got is None or got.pop("format", None) != "json" or not usable():
        return None
    try:
        given = got.pop("today") if "today" in got else os.environ.get("ANQUAN_TODAY") or None
        today = day_or_today(given)
        for name in ("found_from", "found_to"):
            if name in got:
                got[name] = _day(got[name])
    except ValueError:
        return None  # the ordinary path says what is wrong
    if got.get("sort", "found") not in SORT_KEYS:
        return None
    from anquan_cli import index as I
    from anquan_cli.locate import find_workspace
    from anquan_cli.problems import AnquanError

    try:
        root = find_workspace(got.pop("data", None))
    except AnquanError:
        return None
    idx = I.load(root)
    if idx is None:
        # none, or a stale one: built afresh here, as the command line would build it (a file
        # that cannot be read raises, and the command line says which)
        idx = I.rebuilt(root)
        if idx is None:
            return None
    answer = I.answer(idx, command, got, today)
    if answer is None:
        return None
    return answer[0], answer[1], idx.errors


def hazard_edit(args: list[str]) -> int | None:
    """The exit code of ``hazards rectify|verify|close|extend ID …`` (``args`` after
    ``hazards``) taken here — the same step (:mod:`anquan_cli.edit.steps`) through the same
    use case (:func:`anquan_cli.api.edit_hazard`), its messages and refusals as the command
    line prints them — or None, before anything is read, for a spelling the command line
    should read (options before the id, a date it would explain, a required option missing)."""
    if len(args) < 2 or args[0] not in _EDITS or args[1].startswith("-") or not args[1]:
        return None
    if any("\udc80" <= ch <= "\udcff" for arg in args for ch in arg):
        return None  # not UTF-8: the command line decodes it
    command, hazard_id = args[0], args[1]
    got = _parse(args[2:], _EDITS[command], {})
    if got is None or "format" in got or any(v == "" for k, v in got.items() if k != "today"):
        return None
    if command == "verify" and (got.get("party") not in ("企业", "部门", "乡镇") or "by" not in got):
        return None
    if command == "extend" and not ("deadline" in got and "reason" in got):
        return None
    try:
        given = got.pop("today") if "today" in got else os.environ.get("ANQUAN_TODAY") or None
        today = day_or_today(given)
        date = _day(got.get("date"))
        deadline = _day(got.get("deadline"))
    except ValueError:
        return None  # the command line says what is wrong
    from anquan_cli.edit import steps
    from anquan_cli.locate import find_workspace
    from anquan_cli.problems import AnquanError

    try:
        root = find_workspace(got.get("data"))
    except AnquanError:
        return None
    if command == "rectify":
        plan, done = steps.rectify(got.get("note"), got.get("reason"), date, got.get("by"))
    elif command == "verify":
        plan, done = steps.verify(got["party"], got["by"], date)
    elif command == "close":
        plan, done = steps.close(date, got.get("by"))
    else:
        assert deadline is not None
        plan, done = steps.extend(deadline, got["reason"], date, got.get("by"))
    return _take(root, today, hazard_id, plan, done)


def _take(root: Any, today: dt.date, hazard_id: str, plan: Any, done: Any) -> int:
    from anquan_cli import api
    from anquan_cli.problems import failure, problem_line

    try:
        h, rel, warnings = api.edit_hazard(root, today, hazard_id, plan)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        told = failure(exc)
        if told is None:
            from anquan_cli.cli import _crash

            return _crash()
        sys.stderr.write("".join(line + "\n" for line in told[0]))
        return told[1]
    sys.stderr.write("".join(problem_line(p) + "\n" for p in warnings))
    from anquan_cli.edit.steps import done_line

    sys.stdout.write(done_line(done, h, rel) + "\n")
    return 0


"""Golden outputs: the main tables and reports on the demo workspace, pinned byte for byte.

Each case runs ``anquan ARGS`` in-process (:func:`conftest.run_cli`) on a copy of ``data/``,
from the copy's parent folder with ``--data data`` (so paths print as ``data/…`` wherever the
checkout lives), always with a fixed ``--today``, and compares standard output with
``tests/golden/NAME``.  When the command writes to standard error, that is pinned too, in
``tests/golden/NAME.stderr``; the exit code is part of the case.

rich is pinned to what a user sees on an 80-column terminal without colour: ``TTY_COMPATIBLE=1``
makes rich treat the output as a terminal (a pipe would get the 200-column console),
``COLUMNS=80``, and ``TERM=dumb`` / ``NO_COLOR=1`` keep escape codes out.  Standard output is
still a string buffer, so ``--format json`` is the compact form a pipe gets.

The copy is not in a git repository (``GIT_CEILING_DIRECTORIES`` stops git looking above it),
so a report's footer says 不是 git 仓库 rather than the checkout's commit; the version in that
footer is written as ``anquan <version>`` so that a release does not invalidate every report.

Regenerate after an intended change, then review ``git diff tests/golden``::

    ANQUAN_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
from conftest import DEMO, run_cli

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("ANQUAN_UPDATE_GOLDEN", "").strip().lower() in {"1", "true", "yes", "on"}

T1 = "2023-11-30"  # the demo's "now": every record has happened
T2 = "2023-09-30"  # end of 2023Q3: later records lie in the future (check reports them)

# rich at 80 columns, no colour, nothing from the caller's environment.
ENV = {"COLUMNS": "80", "LINES": "25", "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "0",
       "TERM": "dumb", "NO_COLOR": "1"}
UNSET = ("ANQUAN_DATA", "ANQUAN_TODAY", "ANQUAN_NO_CACHE", "FORCE_COLOR", "CLICOLOR_FORCE",
         "JUPYTER_COLUMNS", "JUPYTER_LINES", "GIT_DIR", "GIT_WORK_TREE")


def _cases() -> list[tuple[str, tuple[str, ...], int]]:
    """``(golden file name, anquan arguments, exit code)``."""
    cases: list[tuple[str, tuple[str, ...], int]] = []

    def add(name: str, *args: str, code: int = 0) -> None:
        cases.append((name, args, code))

    for day in (T1, T2):
        add(f"hazards-overdue-{day}.txt", "hazards", "overdue", "--today", day)
        add(f"hazards-overdue-{day}.json", "hazards", "overdue", "--today", day, "-f", "json")
        add(f"hazards-overdue-{day}.csv", "hazards", "overdue", "--today", day, "-f", "csv")
        add(f"hazards-list-shiqiao-{day}.txt", "hazards", "list", "--township", "石桥镇", "--today", day)
        add(f"hazards-list-shiqiao-{day}.json", "hazards", "list", "--township", "石桥镇", "--today", day,
            "-f", "json")
    add(f"hazards-list-{T1}.json", "hazards", "list", "--today", T1, "-f", "json")
    # overdue major, closed major, rectified awaiting sign-offs, extended major
    for hid in ("SQ-2023-004", "SQ-2023-002", "BS-2023-006", "CG-2023-004"):
        add(f"hazards-show-{hid}-{T1}.txt", "hazards", "show", hid, "--today", T1)
    add(f"hazards-show-SQ-2023-004-{T1}.json", "hazards", "show", "SQ-2023-004", "--today", T1, "-f", "json")

    add(f"tasks-list-{T1}.txt", "tasks", "list", "--today", T1)
    add(f"tasks-list-{T1}.json", "tasks", "list", "--today", T1, "-f", "json")
    for day in (T1, T2):
        add(f"tasks-overdue-{day}.txt", "tasks", "overdue", "--today", day)
    add("tasks-due-2022-12-01.txt", "tasks", "due", "--today", "2022-12-01")
    add(f"tasks-due-{T1}.txt", "tasks", "due", "--today", T1)

    for day in (T1, T2):
        add(f"duties-status-{day}.txt", "duties", "status", "--today", day)
    add(f"duties-status-2023Q3-{T1}.txt", "duties", "status", "--period", "2023Q3", "--today", T1)
    add(f"duties-status-2023Q3-{T1}.json", "duties", "status", "--period", "2023Q3", "--today", T1,
        "-f", "json")

    add("matrix-show.txt", "matrix", "show")
    add("matrix-show.json", "matrix", "show", "-f", "json")
    add(f"matrix-gaps-{T1}.txt", "matrix", "gaps", "--today", T1)
    add(f"matrix-person-P003-{T1}.txt", "matrix", "person", "P003", "--today", T1)

    add(f"check-{T1}.txt", "check", "--today", T1)
    add(f"check-{T2}.txt", "check", "--today", T2, code=1)
    add(f"check-{T2}.json", "check", "--today", T2, "-f", "json", code=1)

    add(f"report-quarterly-2023Q3-{T1}.md", "report", "quarterly", "--period", "2023Q3", "--today", T1)
    add(f"report-quarterly-2023Q3-{T2}.md", "report", "quarterly", "--period", "2023Q3", "--today", T2)
    add(f"report-monthly-2023-09-{T1}.md", "report", "monthly", "--period", "2023-09", "--today", T1)
    add(f"report-weekly-2023-W48-{T1}.md", "report", "weekly", "--period", "2023-W48", "--today", T1)
    add(f"report-annual-2023-{T1}.md", "report", "annual", "--period", "2023", "--today", T1)

    add(f"remind-dry-run-{T1}.txt", "remind", "--dry-run", "--today", T1)
    add(f"remind-dry-run-{T1}.json", "remind", "--dry-run", "--today", T1, "-f", "json")
    add(f"remind-dry-run-{T2}.txt", "remind", "--dry-run", "--today", T2)  # a National Day holiday
    add(f"remind-dry-run-show-{T1}.txt", "remind", "--dry-run", "--show", "--today", T1)

    for day in (T1, T2):
        add(f"summary-{day}.txt", "summary", "--today", day)
    add(f"summary-{T1}.json", "summary", "--today", T1, "-f", "json")
    add(f"report-quarterly-2023Q3-{T1}.json", "report", "quarterly", "--period", "2023Q3", "--today", T1, "-f", "json")
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory) -> Path:
    """A private copy of ``data/`` (without its cache), so no case writes into the checkout."""
    root = tmp_path_factory.mktemp("golden")
    shutil.copytree(DEMO, root / "data", ignore=shutil.ignore_patterns(".anquan"))
    return root


@pytest.fixture
def golden_env(monkeypatch, demo_copy) -> Path:
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(demo_copy))
    monkeypatch.chdir(demo_copy)
    return demo_copy


def _normalise(text: str) -> str:
    """What a golden file must not depend on: the version."""
    from anquan_cli import __version__

    return text.replace(f"由 anquan {__version__} 生成", "由 anquan <version> 生成")


def _compare(path: Path, actual: str | None) -> str | None:
    """Write ``actual`` to ``path`` (update mode) or return a diff when it differs.  ``None``
    means "no such output": the golden file must not exist."""
    if UPDATE:
        if actual is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual.encode("utf-8"))
        return None
    expected = path.read_bytes().decode("utf-8") if path.exists() else None
    if expected == actual:
        return None
    if expected is None:
        return (f"{path.name}: no golden file (regenerate with ANQUAN_UPDATE_GOLDEN=1 "
                f"pytest tests/test_golden.py); output was:\n{actual}")
    if actual is None:
        return f"{path.name}: expected this output, the command wrote nothing:\n{expected}"
    diff = difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                fromfile=f"golden/{path.name}", tofile="actual")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in diff)


@pytest.mark.parametrize(("name", "args", "code"), CASES, ids=[c[0] for c in CASES])
def test_golden(golden_env, name, args, code):
    res = run_cli(*args, "--data", "data")
    problems = [p for p in (_compare(GOLDEN / name, _normalise(res.out)),
                            _compare(GOLDEN / f"{name}.stderr", res.err or None)) if p]
    assert res.code == code, f"exit code {res.code}, expected {code}\n{res.err}"
    assert not problems, "output differs from the golden file:\n" + "\n".join(problems)


def test_every_golden_file_belongs_to_a_case():
    """A golden file no case writes is a leftover from a renamed or removed case."""
    names = {c[0] for c in CASES}
    known = names | {f"{n}.stderr" for n in names}
    stray = sorted(p.name for p in GOLDEN.iterdir() if p.is_file() and p.name not in known
                   and not p.name.startswith("."))
    assert not stray, f"golden files without a case (delete them): {stray}"

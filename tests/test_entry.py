"""The script's quick paths: help from the help cache and hazard queries from the index
print exactly what the full command line prints, and step aside whenever they are unsure."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import Result, run_cli
from test_hazards_cli import GB_HEADER, GB_ROWS, LEDGER

from anquan_cli import entry, quick

HELP_ARGS = [["--help"], ["-h"], ["hazards", "--help"], ["hazards", "overdue", "--help"], ["report", "--help"],
             ["tasks", "-h"], ["calendar", "export", "--help"], ["check", "--help"]]


def full(*args: str) -> Result:
    """The command line through typer only (no quick path)."""
    from anquan_cli.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.mark.parametrize("args", HELP_ARGS, ids=" ".join)
def test_help_from_the_cache_is_what_typer_prints(args, cache_home):
    expected = full(*args)
    assert expected.code == 0 and expected.out
    first = run_cli(*args)   # printed by typer, stored
    stored = Path(entry.help_path(entry.help_key(args)))
    assert stored.is_file()
    second = run_cli(*args)  # from the cache
    assert first == expected and second == expected


def test_cached_help_needs_no_framework(cache_home):
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    code = ("import sys\nfrom anquan_cli.entry import run\nrun(sys.argv[1:])\n"
            "print(sorted({'typer', 'click', 'pydantic'} & set(sys.modules)), file=sys.stderr)")
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code, "hazards", "--help"], capture_output=True, text=True,
                             env=env, check=True)
    assert "用法：anquan hazards" in out.stdout
    assert out.stderr.strip() == "[]"


def test_the_help_key_follows_what_shapes_the_text(tmp_path, monkeypatch):
    args = ["hazards", "--help"]
    base = entry.help_key(args, {"COLUMNS": "80"})
    assert entry.help_key(args, {"COLUMNS": "80"}) == base
    assert entry.help_key(args, {"COLUMNS": "120"}) == base  # click lays help out at most 80 wide
    assert entry.help_key(args, {"COLUMNS": "60"}) != base
    assert entry.help_key(args, {"COLUMNS": "80", "ANQUAN_TODAY": "2023-01-01"}) != base
    assert entry.help_key(["hazards", "-h"], {"COLUMNS": "80"}) != base
    # a library installed or removed changes the folder it is installed in
    lib = tmp_path / "site"
    lib.mkdir()
    monkeypatch.syspath_prepend(str(lib))
    before = entry.help_key(args, {"COLUMNS": "80"})
    (lib / "newpkg").mkdir()
    os.utime(lib, ns=(1, 1))
    assert entry.help_key(args, {"COLUMNS": "80"}) != before


def test_a_forged_or_damaged_help_file_is_not_printed(cache_home):
    args = ["hazards", "--help"]
    expected = full(*args)
    run_cli(*args)
    stored = Path(entry.help_path(entry.help_key(args)))
    stored.write_bytes(b"\0" * 32 + "伪造的帮助".encode())
    assert run_cli(*args) == expected
    assert "伪造" not in stored.read_text(encoding="utf-8", errors="replace")  # written anew


def test_failed_help_is_not_cached(cache_home):
    args = ["hazards", "nosuchcommand", "--help"]
    res = run_cli(*args)
    assert res.code == 2
    assert not Path(entry.help_path(entry.help_key(args))).exists()


def test_version():
    from anquan_cli import __version__

    assert run_cli("--version") == Result(0, f"anquan {__version__}\n", "")


# ---------------------------------------------------------------------- hazard queries


@pytest.fixture
def ledger(workspace, monkeypatch):
    monkeypatch.delenv("ANQUAN_TODAY", raising=False)
    monkeypatch.delenv("ANQUAN_NO_CACHE", raising=False)
    return workspace({"hazards/2023/a.yaml": LEDGER, "hazards/2023/b.csv": (GB_HEADER + GB_ROWS).encode("gb18030")})


SPELLINGS = [
    ["overdue", "-f", "json"],
    ["overdue", "--format=json", "--township", "石桥镇"],
    ["overdue", "-fjson", "--level=重大", "--exit-code"],
    ["overdue", "--exit-code", "-f", "json"],
    ["list", "--format", "json", "--sort", "deadline", "--reverse", "--township", "城关镇"],
    ["list", "-f", "json", "--status", "逾期未整改"],
    ["list", "-f", "json", "--found-from", "2023-03-02", "--found-to=2023年6月30日"],
    ["list", "-f", "json", "--open", "--sort=days_overdue"],
]


@pytest.mark.parametrize("args", SPELLINGS, ids=" ".join)
def test_quick_answers_equal_the_full_command_line(ledger, args, monkeypatch):
    cmd = ["hazards", *args, "--data", str(ledger), "--today", "2023-11-30"]
    monkeypatch.setenv("ANQUAN_NO_CACHE", "1")
    expected = full(*cmd)
    monkeypatch.delenv("ANQUAN_NO_CACHE")
    run_cli(*cmd)  # builds the index
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        got = quick.hazard_query(cmd[1:])
    assert got is not None, "the index should answer this spelling"
    assert (got[0].decode("utf-8"), got[1]) == (expected.out, expected.code)
    assert run_cli(*cmd) == expected


UNSURE = [
    ["overdue"],                                      # a table
    ["overdue", "-f", "table"],
    ["overdue", "-f", "json", "--help"],
    ["overdue", "-f", "json", "--township"],         # a value missing
    ["overdue", "-f", "json", "--today", "明天"],     # a day the full path explains
    ["overdue", "-f", "json", "--as-of", "HEAD"],
    ["overdue", "-f", "json", "-f", "json"],          # repeated
    ["overdue", "-f=json"],
    ["overdue", "-f", "json", "--unit", "宏达"],       # not an option of overdue
    ["list", "-f", "json", "--sort", "bogus"],
    ["list", "-f", "json", "--open=1"],
    ["list", "-f", "json", "stray"],
    ["show", "SQ-1", "-f", "json"],
]


@pytest.mark.parametrize("args", UNSURE, ids=" ".join)
def test_quick_path_steps_aside_when_unsure(ledger, args):
    run_cli("hazards", "overdue", "-f", "json", "--data", str(ledger), "--today", "2023-11-30")
    assert quick.hazard_query([*args, "--data", str(ledger)]) is None


def test_no_cache_and_a_terminal_go_the_full_way(ledger, monkeypatch):
    cmd = ["overdue", "-f", "json", "--data", str(ledger), "--today", "2023-11-30"]
    run_cli("hazards", *cmd)
    assert quick.hazard_query(cmd) is not None
    monkeypatch.setenv("ANQUAN_NO_CACHE", "1")
    assert quick.hazard_query(cmd) is None
    monkeypatch.delenv("ANQUAN_NO_CACHE")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert quick.hazard_query(cmd) is None


def test_the_script_ends_with_the_exit_code_and_all_output(ledger, tmp_path):
    """As the installed script runs: output flushed before ``os._exit``, the exit code kept."""
    env = {k: v for k, v in os.environ.items() if k not in ("ANQUAN_TODAY", "ANQUAN_NO_CACHE")}
    cmd = [sys.executable, "-m", "anquan_cli", "hazards", "overdue", "-f", "json", "--exit-code",
           "--data", str(ledger), "--today", "2023-11-30"]
    runs = [subprocess.run(cmd, capture_output=True, env=env) for _ in range(2)]  # full path, then index
    assert runs[0].returncode == runs[1].returncode == 1
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.startswith(b"[{")
    empty = subprocess.run([sys.executable, "-m", "anquan_cli", "hazards", "overdue", "-f", "json", "--exit-code",
                            "--data", str(ledger), "--today", "2022-01-01"], capture_output=True, env=env)
    assert (empty.returncode, empty.stdout) == (0, b"[]\n")

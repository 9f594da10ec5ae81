"""The ``anquan`` script, in front of the command-line framework.

Most runs of anquan are either a person asking for help or a script asking the hazard index
a question; neither needs typer, pydantic or a single record object.  Before importing any of
them this module answers:

* ``--version``;
* ``anquan --help``, ``anquan GROUP --help`` and ``anquan GROUP COMMAND --help`` from a help
  cache — the text typer printed the first time, kept in this user's cache folder, sealed
  with this user's key, and keyed by everything that shapes it (the arguments, the width
  typer lays it out for, the ``ANQUAN_*`` environment, the version, the command modules and
  the installed libraries) so that it is always exactly what typer would print now;
* ``anquan hazards overdue|list … --format json`` to a pipe from a fresh hazard index (see
  :mod:`anquan_cli.quick`).

Everything else, and anything these are unsure of, goes to :func:`anquan_cli.cli.main`.
After the output is flushed the process ends with ``os._exit``: a province-sized workspace
is not freed object by object just to be thrown away.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the way to an answer
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["main", "run"]

_HELP = ("--help", "-h")


def main() -> None:
    """Console-script entry point."""
    # pydantic looks for plugins in every installed distribution's entry points the first
    # time it builds a validator; anquan uses none
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code = run(sys.argv[1:])
    _leave(code)


def run(argv: list[str]) -> int:
    """Run the command line ``argv``; the exit code (never exits itself)."""
    if argv == ["--version"]:
        from anquan_cli import __version__

        sys.stdout.write(f"anquan {__version__}\n")
        return 0
    if _is_help(argv):
        return _help(argv)
    if argv and argv[0] == "hazards":
        from anquan_cli.quick import hazard_edit, hazard_query, write_answer

        try:
            got = hazard_query(argv[1:])
        except (OSError, ValueError, LookupError, TypeError):  # not sure: the ordinary path answers
            got = None
        if got is not None:
            write_answer(got[0], got[2])
            return got[1]
        code = hazard_edit(argv[1:])
        if code is not None:
            return code
    return _full(argv)


def _full(argv: list[str]) -> int:
    from anquan_cli.cli import main as cli_main

    try:
        cli_main(argv)
    except SystemExit as exc:
        return _code(exc.code)
    return 0


def _code(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    sys.stderr.write(f"{value}\n")
    return 1


def _leave(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``): nothing more can be said
            pass
    os._exit(code)


# ---------------------------------------------------------------------- the help cache


def _is_help(argv: list[str]) -> bool:
    return (1 <= len(argv) <= 3 and argv[-1] in _HELP
            and all(a.replace("-", "").isalnum() and a.isascii() and not a.startswith("-") for a in argv[:-1]))


def help_key(argv: list[str], env: Mapping[str, str] | None = None) -> str:
    """What the help text for ``argv`` depends on, as one digest."""
    import hashlib

    from anquan_cli import __version__

    env = os.environ if env is None else env
    here = os.path.dirname(os.path.abspath(__file__))
    parts = [__version__, sys.version, " ".join(argv), str(_width(env))]
    parts += sorted(f"{k}={v}" for k, v in env.items() if k.startswith("ANQUAN_"))
    # the command modules (an edited or reinstalled anquan) and the folders libraries are
    # installed in (pip changes a folder's time whenever it adds or removes a package)
    watched = [os.path.join(here, "__init__.py"), os.path.join(here, "cells.py")]  # cells: help line breaking
    cli_dir = os.path.join(here, "cli")
    watched += sorted(os.path.join(cli_dir, n) for n in os.listdir(cli_dir) if n.endswith(".py"))
    watched += [p for p in sys.path if p]
    for path in watched:
        try:
            st = os.stat(path)
            parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
        except OSError:
            parts.append(f"{path}:-")
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _width(env: Mapping[str, str]) -> int:
    """The width click lays help out in (``HelpFormatter``: the terminal, at most 80, less 2,
    at least 50)."""
    columns = 0
    try:
        columns = int(env.get("COLUMNS", "0"))
    except ValueError:
        pass
    if columns <= 0:
        stdout = sys.__stdout__
        try:
            columns = os.get_terminal_size(stdout.fileno()).columns if stdout is not None else 80
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(min(columns, 80) - 2, 50)


def help_path(key: str) -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "anquan", "help", f"{key}.txt")


def _help(argv: list[str]) -> int:
    from anquan_cli.io.seal import seal, unseal, user_key

    try:
        key = user_key()
        path = help_path(help_key(argv)) if key else None
    except (OSError, ValueError):
        key = path = None
    if path and key:
        try:
            with open(path, "rb") as fh:
                blob = unseal(key, fh.read())
            text = blob.decode("utf-8") if blob is not None else None
        except (OSError, UnicodeDecodeError):
            text = None
        if text is not None:
            sys.stdout.write(text)
            return 0
    import io

    real, captured = sys.stdout, io.StringIO()
    sys.stdout = captured
    try:
        code = _full(argv)
    finally:
        sys.stdout = real
    out = captured.getvalue()
    sys.stdout.write(out)
    if code == 0 and path and key:
        _store(path, seal(key, out.encode("utf-8")))
    return code


def _store(path: str, blob: bytes) -> None:
    from pathlib import Path

    from anquan_cli.io.atomic import atomic_write

    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        atomic_write(Path(path), blob)
    except OSError:
        pass  # no cache this time: help is printed all the same

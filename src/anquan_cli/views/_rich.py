"""The one place rich is configured.  Record text goes through :func:`plain`, so a title
holding "[red]" or "[sector]" is shown as written, never read as markup."""

from __future__ import annotations

__all__ = ["console", "plain", "width_from", "PIPE_WIDTH"]


PIPE_WIDTH = 200  # a file, a pipe, cron: wide enough that Chinese tables stay tables


def width_from(environ, terminal_width: int | None) -> int:
    """The width output is laid out for: on a terminal, ``COLUMNS`` when it is set to a positive
    number, else the terminal's width; in a file or pipe, :data:`PIPE_WIDTH`.  (``COLUMNS`` is
    left to terminals because shells and test runners export it to their children whatever
    those write to; ``TTY_COMPATIBLE=1`` makes rich treat a pipe as a terminal.)"""
    if terminal_width is None:
        return PIPE_WIDTH
    raw = (environ.get("COLUMNS") or "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return terminal_width


def console():
    import os

    from rich.console import Console

    c = Console(highlight=False, soft_wrap=False)
    c.width = width_from(os.environ, c.width if c.is_terminal else None)
    return c


def plain(value, style: str | None = None):
    from rich.text import Text

    return Text("" if value is None else str(value), style=style or "")

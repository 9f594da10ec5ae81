"""The one place rich is configured.  Record text goes through :func:`plain`, so a title
holding "[red]" or "[sector]" is shown as written, never read as markup."""

from __future__ import annotations

__all__ = ["console", "plain", "width_from", "PIPE_WIDTH"]


PIPE_WIDTH = 200  # a file, a pipe, cron: wide enough that Chinese tables stay tables


def width_from(environ, terminal_width: int | None) -> int:
    """The width output is laid out for: ``COLUMNS`` when it is set to a positive number
    (whether or not the output is a terminal), else the terminal's width, else
    :data:`PIPE_WIDTH`."""
    raw = (environ.get("COLUMNS") or "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return terminal_width if terminal_width else PIPE_WIDTH


def console():
    import os

    from rich.console import Console

    c = Console(highlight=False, soft_wrap=False)
    return Console(highlight=False, soft_wrap=False,
                   width=width_from(os.environ, c.width if c.is_terminal else None))


def plain(value, style: str | None = None):
    from rich.text import Text

    return Text("" if value is None else str(value), style=style or "")

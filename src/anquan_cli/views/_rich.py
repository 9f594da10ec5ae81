"""The one place rich is configured.  Record text goes through :func:`plain`, so a title
holding "[red]" or "[sector]" is shown as written, never read as markup."""

from __future__ import annotations

__all__ = ["console", "plain"]


def console():
    from rich.console import Console

    c = Console(highlight=False, soft_wrap=False)
    if not c.is_terminal:  # a file, a pipe, cron: wide enough that Chinese tables do not wrap
        c = Console(highlight=False, width=200)
    return c


def plain(value, style: str | None = None):
    from rich.text import Text

    return Text("" if value is None else str(value), style=style or "")

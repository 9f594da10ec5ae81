"""Tables that fit the terminal — the one table helper every view uses.

A column is one of three kinds:

* ``KEY`` — ids, dates, numbers, statuses, person names: never broken, never cut; the column is
  as wide as its widest value;
* ``TEXT`` — titles, descriptions, notes: folds to the width the column gets (Chinese between
  any two characters, Latin text at spaces);
* ``NAMES`` — a list of names (``陈立新、孙海燕``): breaks only between two names.

:func:`print_table` works out, for the width of the console, whether every ``KEY`` column
fits whole next to the folding ones (each given at least :data:`TEXT_MIN` cells).  If so it
prints a rich table whose column widths it has chosen itself; if not it prints the records one
block each — ``字段：值`` lines, a blank line between records — where nothing is cut either.
Widths are measured in terminal cells (a Chinese character is two), as rich's ``cell_len``
does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

__all__ = ["KEY", "TEXT", "NAMES", "Col", "print_table", "layout", "fold", "say", "TEXT_MIN"]

KEY: Literal["key"] = "key"
TEXT: Literal["text"] = "text"
NAMES: Literal["names"] = "names"

TEXT_MIN = 12  # cells (six Chinese characters): narrower than this a folding column is no use

# The two table styles, widest first: (box, cells the rules and padding take for n columns).
# The boxed one is the usual rich table; the compact one keeps only the rule under the header
# and two spaces between columns.
_STYLES = (("boxed", lambda n: 3 * n + 1), ("compact", lambda n: 2 * (n - 1)))


@dataclass(frozen=True)
class Col:
    """One column: its Chinese header, kind and alignment.  ``sep`` joins a ``NAMES`` cell."""

    header: str
    kind: Literal["key", "text", "names"] = KEY
    justify: Literal["left", "right", "center"] = "left"
    sep: str = "、"


def _text(value: Any) -> Text:
    from rich.text import Text

    if isinstance(value, Text):
        return value
    if isinstance(value, (list, tuple)):
        return plain("、".join(str(v) for v in value))
    return plain(value)


def _pieces(value: Any, sep: str) -> list[str]:
    """A ``NAMES`` cell as unbreakable pieces, the separator kept on the piece before it."""
    from rich.text import Text

    if value is None:
        return []
    if isinstance(value, Text):
        value = value.plain
    if isinstance(value, str):
        items = [v for v in value.split(sep)] if value else []
    else:
        items = [str(v) for v in value if v is not None and str(v) != ""]
    return [item + (sep if i < len(items) - 1 else "") for i, item in enumerate(items)]


def fold(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, as :func:`anquan_cli.cells.fold` breaks
    them, measured as rich measures them."""
    from rich.cells import cell_len

    from anquan_cli import cells

    return cells.fold(text, width, cell_len)


def say(text: str, style: str | None = None, console: Console | None = None) -> None:
    """Prose (a summary, a note, a bullet) folded to the console's width like a table cell, so
    that no id or date is cut in two; a line that begins indented, or with a bullet ``• ``,
    continues under its first word."""
    import re

    console = console or _console()
    for para in str(text).split("\n"):
        lead = re.match(r"[ \t]*(?:[•\-*] )?", para).group(0)  # type: ignore[union-attr]
        hang = " " * len(lead)
        for i, line in enumerate(fold(para[len(lead):], max(console.width - len(lead), 2))):
            console.print(plain((lead if i == 0 else hang) + line, style), overflow="ignore", crop=False)


def _lines_width(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def _header_min(header: str) -> int:
    """The narrowest a header may be: a Chinese header of four or more characters may take two
    lines (``逾期`` / ``天数``); anything else stays on one line."""
    from rich.cells import cell_len

    if len(header) >= 4 and all(cell_len(ch) == 2 for ch in header):
        return 2 * ((len(header) + 1) // 2)
    return cell_len(header)


def _break_names(pieces: list[str], width: int) -> str:
    """Lay pieces out in lines of at most ``width`` cells, breaking only between pieces."""
    from rich.cells import cell_len

    lines: list[str] = []
    current = ""
    for piece in pieces:
        if current and cell_len(current + piece) > width:
            lines.append(current)
            current = piece
        else:
            current += piece
    if current:
        lines.append(current)
    return "\n".join(lines)


@dataclass
class _Measure:
    minimum: int
    natural: int


def _measure(col: Col, cells: list[Any]) -> _Measure:
    from rich.cells import cell_len

    head = cell_len(col.header)
    if col.kind == NAMES:
        pieces = [p for c in cells for p in _pieces(c, col.sep)]
        widest = max((cell_len(p) for p in pieces), default=0)
        natural = max((cell_len("".join(_pieces(c, col.sep))) for c in cells), default=0)
        return _Measure(max(widest, _header_min(col.header)), max(natural, head))
    natural = max((_lines_width(_text(c).plain) for c in cells), default=0)
    if col.kind == KEY:
        return _Measure(max(natural, _header_min(col.header)), max(natural, head))
    return _Measure(max(min(natural, TEXT_MIN), min(_header_min(col.header), TEXT_MIN)), max(natural, head))


def _widths(measures: list[_Measure], cols: Sequence[Col], room: int) -> list[int] | None:
    """Column widths (content cells, without padding and rules) that fill at most ``room``
    cells, or ``None`` when the columns do not fit even at their narrowest."""
    widths = [m.minimum for m in measures]
    if sum(widths) > room:
        return None
    spare = room - sum(widths)
    # first every header on one line, then the folding columns toward their natural width,
    # each in proportion to what it still lacks
    for i, m in enumerate(measures):
        if cols[i].kind == KEY and spare > 0:
            grow = min(m.natural - widths[i], spare)
            widths[i] += grow
            spare -= grow
    while spare > 0:
        lacking = [(i, m.natural - widths[i]) for i, m in enumerate(measures) if widths[i] < m.natural]
        if not lacking:
            break
        total = sum(n for _, n in lacking)
        given = 0
        for i, n in lacking:
            grow = min(n, max(1, spare * n // total))
            if given + grow > spare:
                grow = spare - given
            widths[i] += grow
            given += grow
            if given >= spare:
                break
        spare -= given
    return widths


def layout(cols: Sequence[Col], rows: Sequence[Sequence[Any]], width: int) -> tuple[str, list[int]]:
    """How these rows are shown at ``width`` cells: ``("boxed"|"compact", column widths)`` or
    ``("blocks", [])``."""
    measures = [_measure(col, [r[i] for r in rows]) for i, col in enumerate(cols)]
    for style, overhead in _STYLES:
        widths = _widths(measures, cols, width - overhead(len(cols)))
        if widths is not None:
            return style, widths
    return "blocks", []


def print_table(cols: Sequence[Col], rows: Sequence[Sequence[Any]], title: str | None = None, *,
                show_lines: bool = False, console: Console | None = None) -> None:
    """Print ``rows`` (one value per column: text, a number, None, a rich ``Text`` for a styled
    cell, or a list of names for a ``NAMES`` column) as a table that fits the console, or as
    one block per record when it cannot."""
    console = console or _console()
    cells = [list(r) for r in rows]
    style, widths = layout(cols, cells, console.width)
    if style == "blocks":
        _print_blocks(cols, cells, title, console)
        return
    from rich import box
    from rich.table import Table

    if style == "boxed":
        table = Table(title=title, header_style="bold", show_lines=show_lines)
    else:
        table = Table(title=title, header_style="bold", show_lines=show_lines, box=box.SIMPLE_HEAD,
                      show_edge=False, pad_edge=False, collapse_padding=True)
    for col, w in zip(cols, widths):
        table.add_column("\n".join(fold(col.header, w)), justify=col.justify, overflow="fold", width=w)
    for r in cells:
        table.add_row(*(_cell(col, value, w) for col, value, w in zip(cols, r, widths)))
    console.print(table)


def _cell(col: Col, value: Any, width: int) -> Text:
    if col.kind == NAMES:
        return plain(_break_names(_pieces(value, col.sep), width))
    text = _text(value)
    if _lines_width(text.plain) <= width:
        return text
    return plain("\n".join(fold(text.plain, width)), str(text.style) or None)


def _empty(col: Col, value: Any) -> bool:
    if col.kind == NAMES:
        return not _pieces(value, col.sep)
    return _text(value).plain.strip() == ""


def _print_blocks(cols: Sequence[Col], rows: list[list[Any]], title: str | None, console: Console) -> None:
    """One record per block: ``字段：值`` lines (empty fields left out), a blank line between
    records; a long value folds under its own start, so the labels stay in one column."""
    from rich.cells import cell_len
    from rich.text import Text

    if title:
        console.print(plain(title, "bold"))
        console.print()
    labels = [f"{col.header}：" for col in cols]
    label_width = max((cell_len(lbl) for lbl in labels), default=0)
    value_width = max(console.width - label_width - 1, 2)
    for n, r in enumerate(rows):
        if n:
            console.print()
        for col, label, value in zip(cols, labels, r):
            if _empty(col, value):
                continue
            cell = _cell(col, value, value_width)
            for i, line in enumerate(cell.plain.split("\n")):
                out = Text(label if i == 0 else "", style="bold")
                out.pad_right(label_width + 1 - cell_len(out.plain))
                out.append(line, style=cell.style)
                console.print(out, overflow="ignore", crop=False)

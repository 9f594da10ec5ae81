"""Terminal cells and line breaking for Chinese text, without rich (help uses it too, and help
must not import rich).

A Chinese character takes two cells of a terminal; :func:`fold` breaks text into lines of at
most so many cells the way Chinese typesetting does: between any two Chinese characters or at
a space, never inside a run of Latin letters, digits and ASCII signs (an id, a date, an option
name, a path) unless that run alone is wider than a line, never with a closing punctuation mark
at the start of a line or an opening one at its end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["cell_len", "fold", "CLOSING", "OPENING"]

CLOSING = frozenset("，。、；：？！）」』》〉】〕”’])")  # never the first thing on a line
OPENING = frozenset("（「『《〈【〔“‘[(")  # never the last thing on a line
_TOKEN = re.compile(r"[\x21-\x7e]+|[ \t]+|.")


def _char_len(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_len(text: str) -> int:
    """How many terminal cells ``text`` takes (a Chinese character two, an accent none)."""
    if text.isascii():
        return len(text)
    return sum(_char_len(ch) for ch in text)


def fold(text: str, width: int, measure: Callable[[str], int] = cell_len) -> list[str]:
    """``text`` in lines of at most ``width`` cells (see the module's description).  A
    newline in the text is kept as a line break; spaces inside a line are kept, spaces at a
    break are dropped."""
    width = max(width, 2)
    out: list[str] = []
    for para in text.split("\n"):
        line: list[str] = []
        used = 0
        for tok in _TOKEN.findall(para):
            size = measure(tok)
            if tok.isspace():
                if line:
                    line.append(tok)
                    used += size
                continue
            if used + size <= width:
                line.append(tok)
                used += size
                continue
            while line and line[-1].isspace():
                used -= measure(line.pop())
            carry: list[str] = []
            if tok in CLOSING and len(line) > 1 and measure(line[-1]) + size <= width:
                carry = [line.pop()]  # the character before it goes down too
            while line and line[-1] in OPENING and sum(map(measure, [line[-1], *carry])) + size <= width:
                carry.insert(0, line.pop())  # an opening bracket goes down with what it opens
            while line and line[-1].isspace():
                line.pop()
            if line:
                out.append("".join(line))
            line, used = carry, sum(map(measure, carry))
            while size > width - used:  # a run wider than a line: cut at the width
                head, tok = _chop(tok, width - used, measure)
                out.append("".join(line) + head)
                line, used, size = [], 0, measure(tok)
            if tok:
                line.append(tok)
                used += size
        while line and line[-1].isspace():
            line.pop()
        out.append("".join(line))
    return out


def _chop(tok: str, room: int, measure: Callable[[str], int]) -> tuple[str, str]:
    n = 0
    for i, ch in enumerate(tok):
        n += measure(ch)
        if n > room:
            return tok[:max(i, 1)], tok[max(i, 1):]
    return tok, ""

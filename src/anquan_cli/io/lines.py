"""Lines as the csv module and text editors count them.

``str.splitlines`` also breaks at U+2028/U+2029, U+0085, form feed and vertical tab, which
the csv module (and Excel, WPS, Notepad) keep inside a line.  Every line number anquan
reports and every edit it splices uses the functions here, so a cell holding one of those
characters can never shift a row onto its neighbour.
"""

from __future__ import annotations

import bisect
import re

__all__ = ["split_lines", "newline_of", "LineIndex", "YAML_EXTRA_BREAKS"]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BREAK = re.compile(r"\r\n|\r|\n")

#: characters libyaml counts as line breaks that editors and the csv module do not
YAML_EXTRA_BREAKS = ("\x85", "\u2028", "\u2029")


def split_lines(text: str) -> list[str]:
    """``text`` split after each ``\\r\\n``, ``\\r`` or ``\\n`` (kept), and nowhere else."""
    return _LINE.findall(text)


def newline_of(text: str, default: str = "\n") -> str:
    """The line ending the text uses (its first one): ``\\r\\n``, ``\\r`` or ``\\n``."""
    m = _BREAK.search(text)
    return m.group(0) if m else default


class LineIndex:
    """Character offset ↔ (1-based line, 0-based column), lines counted as :func:`split_lines`."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]
        self.text = text

    def line(self, index: int) -> int:
        return bisect.bisect_right(self.starts, index)

    def column(self, index: int) -> int:
        return index - self.starts[self.line(index) - 1]

    def start_of(self, line: int) -> int:
        """Offset of the first character of 1-based ``line`` (the text's end past the last)."""
        if line - 1 < len(self.starts):
            return self.starts[line - 1]
        return len(self.text)

    def end_of_line(self, index: int) -> int:
        """Offset just past the line break of the line holding ``index`` (or the text's end)."""
        n = self.line(index)
        return self.starts[n] if n < len(self.starts) else len(self.text)

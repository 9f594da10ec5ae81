"""发文字号 (GB/T 9704-2012 7.2.3) from the register ``documents/register.yaml``: the next 顺序号 of
the year, and the number a document written again keeps."""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from anquan_cli.models import Issued

__all__ = ["format_number", "next_n", "kept", "numbered", "parse_given"]


def format_number(pattern: str, year: int, n: int) -> str:
    """``青安委办〔{year}〕{n}号`` with the year and the 顺序号 put in (GB/T 9704: 顺序号 without
    leading zeros, the year in full)."""
    return pattern.replace("{year}", str(year)).replace("{n}", str(n))


def _matcher(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\{year\}|\{n\})", pattern)
    return re.compile("".join({"{year}": r"(?P<year>\d{4})", "{n}": r"(?P<n>\d+)"}.get(p, re.escape(p))
                              for p in parts))


def next_n(issued: list[Issued], pattern: str, year: int) -> int:
    """One more than the highest 顺序号 given in ``year`` under ``pattern`` (numbers written with
    another 代字 count for theirs, not for this one); 1 for the year's first."""
    m = _matcher(pattern)
    taken = [d.n for d in issued if d.year == year and m.fullmatch(d.number)]
    return max(taken, default=0) + 1


def kept(issued: list[Issued], key: str) -> Issued | None:
    """The entry of the document ``key`` already numbered (written again: the same number)."""
    return next((d for d in issued if d.key == key), None)


def numbered(issued: list[Issued], pattern: str, year: int, key: str) -> tuple[str, int, bool]:
    """``(number, 顺序号, new)`` for the document ``key`` in ``year``: the one it was given before,
    else the next (``new``: to be registered)."""
    before = kept(issued, key)
    if before is not None:
        return before.number, before.n, False
    n = next_n(issued, pattern, year)
    return format_number(pattern, year, n), n, True


def parse_given(text: str, pattern: str | None, year: int) -> tuple[int, int]:
    """``(year, 顺序号)`` of a 文号 given by hand (``--number``): read by the workspace's pattern
    when it fits, else the year in 〔〕 and the last number before 号.  Raises ValueError with
    what to write."""
    if pattern is not None:
        m = _matcher(pattern).fullmatch(text)
        if m:
            groups = m.groupdict()
            return int(groups.get("year") or year), int(groups["n"])
    m = re.fullmatch(r".*?[〔\[(（［【](\d{4})[〕\])）］】]\D*?(\d+)\s*号", text.strip())
    if m and int(m.group(2)) >= 1:
        return int(m.group(1)), int(m.group(2))
    raise ValueError(f"发文字号“{text}”看不出年份和顺序号；应写成 机关代字〔年份〕顺序号号，如 青安委办〔{year}〕12号")

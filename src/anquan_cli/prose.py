"""The prose an office writes for a report: ``reports/<period>/<section>.md`` in the workspace.

A bulletin is not figures only: the office writes what it did, whom it praises or criticises,
what is wrong and what comes next.  Each of those is a Markdown file named after its section
in the period's folder — ``reports/2023Q3/存在问题.md`` for the third quarter's bulletin,
``reports/2023-08/``, ``reports/2023-W34/``, ``reports/2023/`` for the other kinds — and the
report prints it, after the figures, as a numbered section of its own.  A section with no
file is left out; nothing is ever filled in for the office.

The files come with the workspace (from another office, through git): they are read as text
and never as a template (``{{ … }}`` is printed as written), at most :data:`MAX_BYTES` each,
only as regular files inside the workspace (no link out of it), decoded as every record file
is (UTF-8 with or without BOM, GB18030).  What a file says is kept to paragraphs, ``#``
headings (printed as the section's sub-headings) and list items; emphasis marks are dropped
in the DOCX, where they would show as asterisks.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SECTIONS", "Block", "Section", "period_folder", "read_prose", "numbered", "MAX_BYTES"]

#: the sections an office may write, in the order a report prints them, with the other names
#: their files may have
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("主要做法", ("工作开展情况", "主要工作")),
    ("通报表扬", ("表扬",)),
    ("通报批评", ("批评",)),
    ("存在问题", ("存在的问题", "问题")),
    ("下步工作安排", ("下步工作", "下一步工作", "下一步工作安排", "工作要求")),
)

#: the most a prose file may hold
MAX_BYTES = 200_000


@dataclass(frozen=True)
class Block:
    """A paragraph of a section, or (``heading``) one of its sub-headings."""

    text: str
    heading: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    #: the file, relative to the workspace
    source: str
    markdown: str
    blocks: list[Block] = field(default_factory=list)

    def as_dict(self, number: str = "") -> dict:
        return {"title": self.title, "number": number, "source": self.source, "markdown": self.markdown,
                "blocks": [{"text": b.text, "heading": b.heading} for b in self.blocks]}


def numbered(sections: list[dict], after: int) -> list[dict]:
    """``sections`` (:meth:`Section.as_dict`) numbered in Chinese after the report's ``after``
    numbered sections (十、十一 …)."""
    from anquan_cli.text import int_to_cn

    return [{**s, "number": int_to_cn(after + i)} for i, s in enumerate(sections, 1)]


def period_folder(kind: str, start: dt.date) -> str:
    """The folder name of a report's period as ``--period`` writes it: 2023Q3, 2023-08,
    2023-W34, 2023."""
    if kind == "quarterly":
        from anquan_cli.text import quarter_code

        return quarter_code(start)
    if kind == "monthly":
        return f"{start.year}-{start.month:02d}"
    if kind == "weekly":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start.year}"


def read_prose(root: Path, kind: str, start: dt.date) -> list[Section]:
    """The sections written for the report of ``kind`` whose period starts on ``start``, in
    :data:`SECTIONS` order.  Raises :class:`~anquan_cli.problems.AnquanError` naming the file
    when one is there but cannot be used (too big, not text, a link)."""
    folder = Path("reports") / period_folder(kind, start)
    base = root / folder
    if not base.is_dir() or _links_on_the_way(root, folder):
        return []
    out: list[Section] = []
    for title, others in SECTIONS:
        for name in (title, *others):
            rel = (folder / f"{name}.md").as_posix()
            text = _read(root, rel)
            if text is not None:
                if text.strip():
                    out.append(Section(title, rel, text.strip() + "\n", blocks(text)))
                break
    return out


def _links_on_the_way(root: Path, folder: Path) -> bool:
    here = root
    for part in folder.parts:
        here = here / part
        if os.path.islink(here):
            return True
    return False


def _read(root: Path, rel: str) -> str | None:
    from anquan_cli.io.decode import DecodeError, decode
    from anquan_cli.problems import AnquanError

    path = root / rel
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode):
        raise AnquanError(f"{rel}：是一个链接，报告只读工作区里的普通文件；请换成文件本身")
    if not stat.S_ISREG(st.st_mode):
        return None
    if st.st_size > MAX_BYTES:
        raise AnquanError(f"{rel}：文件太大（{st.st_size} 字节，最多 {MAX_BYTES}）；请只写报告里要印的文字")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnquanError(f"{rel}：读不出来（{exc.strerror}）") from None
    try:
        return decode(data).text.replace("\r\n", "\n").replace("\r", "\n")
    except DecodeError as exc:
        raise AnquanError(f"{rel}：{exc}") from None


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.、）)])\s+")
_NUMBERED = re.compile(r"^\s*(\d+)[.、）)]\s+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def blocks(text: str) -> list[Block]:
    """The paragraphs and sub-headings of a Markdown text: lines joined into paragraphs at blank
    lines, each list item a paragraph of its own (numbered items keep their number), ``#``
    lines sub-headings, emphasis marks dropped."""
    out: list[Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            out.append(Block(_plain("".join(part.strip() for part in lines))))
            lines.clear()

    for line in text.split("\n"):
        if not line.strip():
            flush()
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            if heading.group(1):
                out.append(Block(_plain(heading.group(1)), heading=True))
            continue
        if _ITEM.match(line):
            flush()
            number = _NUMBERED.match(line)
            rest = _ITEM.sub("", line, count=1)
            lines.append(f"{number.group(1)}. {rest}" if number else rest)
            continue
        lines.append(line)
    flush()
    return out


def _plain(text: str) -> str:
    return _EMPHASIS.sub(r"\2", text)

"""Change one record in a ledger file so that ``git diff`` shows exactly that change.

* YAML: only the record's own lines are rewritten.  The record's text span is cut out,
  round-tripped with ruamel.yaml (comments, key order and quoting kept) and spliced back;
  every other byte of the file stays as it was.
* CSV: only the record's row is rewritten (plus the header when a column must be added);
  the encoding, BOM, delimiter and line endings are kept.
* Writes are atomic (temporary file, then rename) and refused when the file changed on disk
  since it was read.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from anquan_cli.io.decode import Decoded, decode
from anquan_cli.problems import AnquanError

__all__ = ["LedgerFile", "StaleFileError", "atomic_write", "shift_lines", "record_span"]


class StaleFileError(AnquanError):
    """The file changed between reading and writing."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename,
    so a crash or a full disk never leaves a half-written ledger."""
    if not path.parent.is_dir():  # name the folder, not the temporary file inside it
        raise FileNotFoundError(errno.ENOENT, "文件夹不存在", str(path.parent))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:  # a new file gets the permissions the user's umask gives (mkstemp makes it 0600)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _split_keep(text: str) -> list[str]:
    return text.splitlines(keepends=True)


@dataclass
class LedgerFile:
    """A ledger file read once, edited in memory, written back atomically."""

    path: Path
    raw: bytes
    decoded: Decoded

    @classmethod
    def read(cls, path: Path) -> "LedgerFile":
        raw = path.read_bytes()
        return cls(path, raw, decode(raw))

    @property
    def text(self) -> str:
        return self.decoded.text

    def save(self, text: str) -> None:
        if self.path.read_bytes() != self.raw:
            raise StaleFileError(f"{self.path} 在读取之后被修改过，为免覆盖别人的修改，本次未写入；请重新运行命令")
        data = text.encode(self.decoded.encoding)
        if self.decoded.bom and self.decoded.encoding == "utf-8":
            data = b"\xef\xbb\xbf" + data
        atomic_write(self.path, data)
        self.raw = data
        self.decoded = Decoded(text, self.decoded.encoding, self.decoded.bom)


# ---------------------------------------------------------------------------- YAML

_ITEM = re.compile(r"^(\s*)-\s")
_BLOCK_KEY = re.compile(r"^(\s*)[^\s#-][^:]*:\s*(#.*)?$")


def _nested_offset(lines: list[str]) -> int:
    """How far a nested block sequence's dash sits from its key (``history:`` / ``  - …``)."""
    for i, line in enumerate(lines[:-1]):
        key = _BLOCK_KEY.match(line)
        if key:
            nxt = next((n for n in lines[i + 1:] if n.strip() and not n.lstrip().startswith("#")), "")
            item = _ITEM.match(nxt)
            if item:
                return max(0, len(item.group(1)) - len(key.group(1)))
    return 2


def shift_lines(lines: list[str], by: int) -> list[str]:
    """Indent (``by`` > 0) or dedent (< 0, never past a line's own indentation) a block."""
    if by >= 0:
        return [(" " * by + ln) if ln.strip() else ln for ln in lines]
    out = []
    for ln in lines:
        strip = min(-by, len(ln) - len(ln.lstrip(" ")))
        out.append(ln[strip:])
    return out


def record_span(lines: list[str], start: int, item_starts: list[int]) -> tuple[int, int]:
    """0-based ``[begin, end)`` of the record whose ``- `` line is ``start`` (1-based).

    The span ends before the next item, and trailing blank or comment lines are left
    outside it (a comment above an item belongs to that item)."""
    begin = start - 1
    later = [s for s in item_starts if s > start]
    end = (later[0] - 1) if later else len(lines)
    if not later:
        # the last item: stop where the sequence ends (a line indented at most like the dash)
        dash = len(_ITEM.match(lines[begin]).group(1)) if _ITEM.match(lines[begin]) else 0
        for i in range(begin + 1, len(lines)):
            ln = lines[i]
            if ln.strip() and not ln.lstrip().startswith("#"):
                indent = len(ln) - len(ln.lstrip(" "))
                if indent <= dash:
                    end = i
                    break
    while end > begin + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return begin, end


def _yaml():
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    # the same date in two places must be written twice, not as an anchor and an alias
    y.representer.ignore_aliases = lambda *args: True
    return y


def edit_yaml_record(text: str, start: int, item_starts: list[int], updates: dict,
                     events: list[dict]) -> str:
    """Return ``text`` with the record starting at line ``start`` changed: ``updates``
    set (new keys go before ``history``), ``events`` appended to its ``history``."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    lines = _split_keep(text)
    begin, end = record_span(lines, start, item_starts)
    span = lines[begin:end]
    if span and not span[-1].endswith(("\n", "\r")):
        span[-1] += "\n"
    dash = len(_ITEM.match(span[0]).group(1))
    y = _yaml()
    offset = _nested_offset(span)
    y.indent(mapping=2, sequence=offset + 2, offset=offset)
    shift = offset - dash  # ruamel puts a top-level dash at column ``offset``
    data = y.load("".join(shift_lines(span, shift)))
    item = data[0]
    for key, value in updates.items():
        if key in item:
            item[key] = value
        else:
            keys = list(item.keys())
            pos = keys.index("history") if "history" in keys else len(keys)
            item.insert(pos, key, value)
    if events:
        history = item.get("history")
        if history is None:
            history = CommentedSeq()
            item["history"] = history
        for ev in events:
            m = CommentedMap(ev)
            m.fa.set_flow_style()
            history.append(m)
    buf = io.StringIO()
    y.dump(data, buf)
    out = shift_lines(_split_keep(buf.getvalue()), -shift)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    out = [ln.rstrip("\r\n") + newline for ln in out]
    if end == len(lines) and lines and not text.endswith(("\n", "\r")):
        out[-1] = out[-1].rstrip("\r\n")
    return "".join(lines[:begin] + out + lines[end:])


def append_yaml_record(text: str, record: dict, item_dash: int | None) -> str:
    """Append one record at the end of a YAML ledger (top-level list or ``hazards:`` list)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    y = _yaml()
    offset = _nested_offset(_split_keep(text))
    y.indent(mapping=2, sequence=offset + 2, offset=offset)
    item = CommentedMap()
    for key, value in record.items():
        if key == "history":
            seq = CommentedSeq()
            for ev in value:
                m = CommentedMap(ev)
                m.fa.set_flow_style()
                seq.append(m)
            value = seq
        item[key] = value
    buf = io.StringIO()
    y.dump([item], buf)
    dash = offset if item_dash is None else item_dash
    block = shift_lines(_split_keep(buf.getvalue()), dash - offset)
    newline = "\r\n" if "\r\n" in text else "\n"
    block = [ln.rstrip("\r\n") + newline for ln in block]
    body = text
    if body and not body.endswith("\n"):
        body += newline
    if body.strip() and not body.rstrip().endswith(":"):
        body += newline  # a blank line between records, as clerks write them
    return body + "".join(block)


# ---------------------------------------------------------------------------- CSV


def _csv_dialect(text: str) -> tuple[str, str]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    newline = "\r\n" if "\r\n" in text else "\n"
    return delimiter, newline


def _csv_line(cells: list[str], delimiter: str, newline: str) -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerow(cells)
    return buf.getvalue()


def edit_csv_row(text: str, row_line: int, updates: dict[str, str]) -> str:
    """Return ``text`` with the row starting at ``row_line`` (1-based) changed.

    ``updates`` maps header cells as written to new cell values; a header missing from
    the file is appended to the header row (and to this row only: other rows may stay
    shorter, which CSV readers take as empty cells)."""
    delimiter, newline = _csv_dialect(text)
    lines = _split_keep(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_at = None
    consumed = 0
    target = None
    for cells in reader:
        start = consumed + 1
        consumed = reader.line_num
        if header is None:
            if any(c.strip() for c in cells):
                header, header_at = cells, (start - 1, consumed)
            continue
        if start == row_line:
            target = (cells, start - 1, consumed)
            break
    if header is None or target is None:
        raise AnquanError(f"CSV 中找不到第 {row_line} 行的记录")
    cells, row_begin, row_end = target
    new_header = list(header)
    for name in updates:
        if name not in new_header:
            new_header.append(name)
    cells = list(cells) + [""] * (len(new_header) - len(cells))
    for name, value in updates.items():
        cells[new_header.index(name)] = value
    while len(cells) > len(header) and len(cells) > len(new_header):
        cells.pop()
    out = list(lines)
    out[row_begin:row_end] = [_csv_line(cells, delimiter, newline)]
    if new_header != header:
        hb, he = header_at
        out[hb:he] = [_csv_line(new_header, delimiter, newline)]
    return "".join(out)


def append_csv_row(text: str, values: dict[str, str]) -> str:
    """Append one row; ``values`` maps header cells as written to values (a header the file
    lacks is added, as in :func:`edit_csv_row`)."""
    delimiter, newline = _csv_dialect(text)
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    body = text if text.endswith(("\n", "\r")) else text + newline
    placeholder = _csv_line([""] * max(1, len(header)), delimiter, newline)
    return edit_csv_row(body + placeholder, len(_split_keep(body)) + 1, values)


def format_date_like(sample: str | None, day: dt.date) -> str:
    """Write ``day`` the way the file already writes dates (2023/5/27, 2023年5月27日 …)."""
    s = (sample or "").strip()
    if re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", s):
        return f"{day.year}/{day.month}/{day.day}"
    if re.fullmatch(r"\d{4}\.\d{1,2}\.\d{1,2}", s):
        return f"{day.year}.{day.month}.{day.day}"
    if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", s):
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()

"""The one place anquan writes CSV.

A CSV ledger is edited cell by cell: the rows and their boundaries are the csv module's own
(so a cell holding U+2028, U+0085 or a form feed is one line to us as it is to the csv module
and to Excel), a changed cell replaces exactly its old text, a new column is added to the end
of the header row and written only into the rows that need it.  Every other cell keeps its
bytes as written — quoting, spacing and escapes included — and the file keeps its encoding,
BOM, delimiter and line endings (CR-only files stay CR-only).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from anquan_cli.edit.yamltext import CannotEdit
from anquan_cli.io.lines import newline_of, split_lines
from anquan_cli.text import nfkc

__all__ = ["CsvDoc", "RawRow", "encode_cell"]


def _delimiter(text: str) -> str:
    from anquan_cli.io.csvread import delimiter_of

    return delimiter_of(text)


def encode_cell(value: str, delimiter: str = ",") -> str:
    """One cell as Excel writes it: quoted (quotes doubled) when it holds the delimiter, a
    quote or a line break, or starts or ends with a space; as it is otherwise."""
    if value == "":
        return ""
    if any(ch in value for ch in (delimiter, '"', "\r", "\n")) or value != value.strip(" "):
        return '"' + value.replace('"', '""') + '"'
    return value


@dataclass
class RawRow:
    start: int           # offset of the row's first character
    body_end: int        # offset just before the row's line break
    end: int             # offset just past the line break
    line: int            # 1-based line the row starts on
    fields: list[tuple[int, int]]
    values: list[str]

    @property
    def blank(self) -> bool:
        return not any(v.strip() for v in self.values)


def _fields(body: str, delimiter: str) -> list[tuple[int, int]]:
    """Raw field spans of one record's text (without its final line break)."""
    spans, i, n = [], 0, len(body)
    while True:
        start = i
        if i < n and body[i] == '"':
            i += 1
            while i < n:
                if body[i] == '"':
                    if i + 1 < n and body[i + 1] == '"':
                        i += 2
                        continue
                    i += 1
                    break
                i += 1
        while i < n and body[i] != delimiter:
            i += 1
        spans.append((start, i))
        if i >= n:
            return spans
        i += 1


class CsvDoc:
    """A CSV record file being edited."""

    def __init__(self, text: str, rel: str, only: list[tuple[int, int | None]] | None = None):
        """``only``: the 1-based ``[start, end)`` line ranges (``end`` None: to the end) that
        matter — where the header is, the record to edit — each starting a row: only they
        are read, until something is asked of a row outside them (then the whole text is)."""
        self.rel = rel
        self.delimiter = _delimiter(text)
        self.newline = newline_of(text, "\r\n")
        self.text = text
        self._rows: list[RawRow] | None = None
        self._header_row: RawRow | None = None
        self._only = only

    @property
    def rows(self) -> list[RawRow]:
        if self._rows is None:
            self._scan(self.text)
        assert self._rows is not None
        return self._rows

    @property
    def header_row(self) -> RawRow | None:
        self.rows  # noqa: B018  (read on first use)
        return self._header_row

    def whole(self) -> None:
        """Read every row (after a look at only some of them)."""
        if self._only is not None:
            self._only = None
            self._rows = None

    def _scan(self, text: str) -> None:
        lines = split_lines(text)
        offsets = [0]
        for ln in lines:
            offsets.append(offsets[-1] + len(ln))
        rows: list[RawRow] = []
        ranges = [(1, None)] if self._only is None else self._only
        for a, b in ranges:
            got = self._rows_of(text, lines, offsets, a - 1, len(lines) if b is None else b - 1)
            if got is None:  # a range that does not hold whole rows: the whole text, then
                self._only = None
                return self._scan(text)
            rows += got
        self._rows = rows
        self._header_row = next((r for r in rows if not r.blank), None)
        names = [v.strip() for v in self._header_row.values] if self._header_row else []
        doubled = sorted({n for n in names if n and names.count(n) > 1})
        if doubled:
            raise CannotEdit(f"{self.rel}：表头“{'、'.join(doubled)}”出现了两次，anquan 不知道该改哪一列；"
                             "请删去或改名其中一列后再运行")

    def _rows_of(self, text: str, lines: list[str], offsets: list[int], begin: int, stop: int) -> list[RawRow] | None:
        """The rows of lines ``begin`` to ``stop`` (0-based, exclusive); None when they do not
        end at ``stop`` (only when reading part of the text)."""
        part = self._only is not None
        reader = csv.reader(iter(lines[begin:stop]), delimiter=self.delimiter)
        rows: list[RawRow] = []
        consumed = begin
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if part:
                    return None
                raise CannotEdit(f"{self.rel}:{reader.line_num}：CSV 格式错误（{exc}），不能修改；请先运行 anquan check 修正") from None
            first, consumed = consumed, begin + reader.line_num
            start, end = offsets[first], offsets[consumed]
            raw = text[start:end]
            cut = 2 if raw.endswith("\r\n") else 1 if raw.endswith(("\r", "\n")) else 0
            body_end = end - cut
            body = text[start:body_end]
            spans = [(start + a, start + b) for a, b in _fields(body, self.delimiter)] if cells else []
            values = [self._value(text[a:b]) for a, b in spans]
            if values != cells:
                if part:
                    return None
                raise CannotEdit(f"{self.rel}:{first + 1}：这一行的写法特殊（引号或分隔符），anquan 无法只改其中一格；"
                                 f"请用 Excel/WPS 打开后另存为 CSV 再运行")
            rows.append(RawRow(start, body_end, end, first + 1, spans, values))
        if part and consumed != stop:
            return None
        return rows

    @staticmethod
    def _value(raw: str) -> str:
        if not raw.startswith('"'):
            return raw
        out, i, n = [], 1, len(raw)
        while i < n:
            ch = raw[i]
            if ch == '"':
                if i + 1 < n and raw[i + 1] == '"':
                    out.append('"')
                    i += 2
                    continue
                return "".join(out) + raw[i + 1:]
            out.append(ch)
            i += 1
        return "".join(out)

    # -- reading

    @property
    def header(self) -> list[str]:
        return [v.strip() for v in self.header_row.values] if self.header_row else []

    def records(self) -> list[RawRow]:
        if self.header_row is None:
            return []
        after = self.rows.index(self.header_row) + 1
        return [r for r in self.rows[after:] if not r.blank]

    def cell(self, row: RawRow, column: str) -> str:
        header = self.header
        if column not in header:
            return ""
        i = header.index(column)
        return row.values[i].strip() if i < len(row.values) else ""

    def find(self, id_column: str, ident: str, line: int | None = None) -> RawRow | None:
        found = [r for r in self.records() if nfkc(self.cell(r, id_column)).strip() == ident]
        if len(found) > 1 and line is not None:
            found = [r for r in found if r.line == line] or found
        if self._only is not None and (len(found) != 1 or (line is not None and found[0].line != line)):
            self.whole()  # not the one row where it was read: every row, then
            return self.find(id_column, ident, line)
        return found[0] if found else None

    # -- changes

    def _grow_header(self, names) -> tuple[list[str], list[tuple[int, int, str]]]:
        header = self.header
        extra = [n for n in dict.fromkeys(names) if n not in header]
        if not extra:
            return header, []
        if self.header_row is None:
            raise CannotEdit(f"{self.rel} 没有表头，无法写入；请先写好表头行")
        text = "".join(self.delimiter + encode_cell(n, self.delimiter) for n in extra)
        return header + extra, [(self.header_row.body_end, self.header_row.body_end, text)]

    def set_cells(self, row: RawRow, updates: dict[str, str]) -> list[tuple[int, int, str]]:
        """Splices ``(start, end, text)`` that give ``row`` these cell values (keyed by
        header cells as written; a header the file lacks is added)."""
        header, splices = self._grow_header(updates)
        tail = []
        for name, value in updates.items():
            i = header.index(name)
            new = encode_cell(value, self.delimiter)
            if i < len(row.fields):
                a, b = row.fields[i]
                splices.append((a, b, new))
            else:
                tail.append((i, new))
        if tail:
            cells = [""] * (max(i for i, _ in tail) + 1 - len(row.fields))
            for i, new in tail:
                cells[i - len(row.fields)] = new
            splices.append((row.body_end, row.body_end, "".join(self.delimiter + c for c in cells)))
        return splices

    def append_rows(self, rows: list[dict[str, str]]) -> list[tuple[int, int, str]]:
        """Splices that add rows at the end (a blank trailing line stays last)."""
        self.whole()
        names = [n for r in rows for n in r]
        header, splices = self._grow_header(names)
        width = len(self.header)
        body = []
        for values in rows:
            cells = [""] * max(width, max((header.index(n) + 1 for n in values), default=0))
            for name, value in values.items():
                cells[header.index(name)] = encode_cell(value, self.delimiter)
            body.append(self.delimiter.join(cells) + self.newline)
        last = next((r for r in reversed(self.rows) if not r.blank), None)
        pos = last.end if last is not None else len(self.text)
        lead = ""
        if pos == len(self.text) and self.text and not self.text.endswith(("\r", "\n")):
            lead = self.newline
        splices.append((pos, pos, lead + "".join(body)))
        return splices

    def apply(self, splices: list[tuple[int, int, str]]) -> str:
        text = self.text
        for _, (a, b, new) in sorted(enumerate(splices), key=lambda p: (p[1][0], p[1][1], p[0]), reverse=True):
            text = text[:a] + new + text[b:]
        self.text, self._rows, self._only = text, None, None  # read again when asked
        return text

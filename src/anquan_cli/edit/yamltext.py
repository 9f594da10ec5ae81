"""The one place anquan writes YAML.

New records are emitted in the workspace's own style (one ``key: value`` per line, lists of
names in flow style, each history event one ``- {date: …, event: …}`` line).  Existing records
are changed by splicing text at the positions the parser reports: a changed value replaces
exactly its old text (keeping its quote style and any comment after it), a new field becomes
one new line, a new event one new line in date order.  Nothing else in the file is rewritten,
so ``git diff`` shows exactly the change, and comments, key order, quoting and line endings
stay as the clerk wrote them.

Files this cannot edit safely — flow-style lists or records, anchors and aliases, a record
list that is not where it should be — raise :class:`CannotEdit` with a hint, never an
internal error.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import yaml

from anquan_cli.io.lines import LineIndex, newline_of
from anquan_cli.problems import AnquanError
from anquan_cli.text import nfkc

__all__ = ["CannotEdit", "scalar", "records_block", "format_date_like", "YamlDoc"]


class CannotEdit(AnquanError):
    """The file is written in a way an edit cannot change without touching other records."""


# ---------------------------------------------------------------------- values

_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|[\s]$|: |:$|\s#|[\n\r\t]")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
#: characters YAML does not allow unescaped (outside its printable set), and the ones libyaml
#: reads as line breaks (NEL, LS, PS) and would fold
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_RESOLVES = re.compile(r"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|no|on|off|y|n|"
                       r"[-+]?[0-9_.:]+([eE][-+]?[0-9]+)?|\.inf|\.nan|\d{4}-\d\d?-\d\d?.*)$", re.IGNORECASE)


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


def _double(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


def scalar(value, flow: bool = False, style: str = "", date_sample: str | None = None) -> str:
    """One YAML scalar that reads back as exactly ``value``: plain when that is safe, else
    double-quoted.  ``style`` is the quote style the old value had ('"' or "'"), kept when
    possible; dates are written like ``date_sample``."""
    from anquan_cli.models._base import Vocab

    if isinstance(value, Vocab):
        value = value.label
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return format_date_like(date_sample, value)  # every form it writes reads back as text
    text = str(value)
    if style == '"':
        return _double(text)
    if style == "'" and not _NOT_PRINTABLE.search(text) and "\n" not in text and "\r" not in text:
        return "'" + text.replace("'", "''") + "'"
    if (not text or _PLAIN_UNSAFE.search(text) or _RESOLVES.match(text) or _NOT_PRINTABLE.search(text)
            or (flow and _FLOW_UNSAFE.search(text))):
        return _double(text)
    return text


def _flow_map(values: dict, date_sample: str | None = None) -> str:
    inner = ", ".join(f"{k}: {scalar(v, flow=True, date_sample=date_sample)}" for k, v in values.items())
    return "{" + inner + "}"


def _value_text(value, date_sample: str | None = None) -> str:
    if isinstance(value, dict):  # one nested value (an accident's finding): a flow mapping
        return _flow_map(value, date_sample)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v, flow=True) for v in value) + "]"
    return scalar(value, date_sample=date_sample)


def records_block(records: list[dict], dash: int, newline: str = "\n", offset: int = 2,
                  date_sample: str | None = None) -> str:
    """New records as YAML list items whose ``-`` sits at column ``dash``; a list of event
    mappings goes one flow mapping per line, ``offset`` columns in from its key."""
    pad, out = " " * dash, []
    for rec in records:
        first = True
        for key, value in rec.items():
            lead = f"{pad}- " if first else f"{pad}  "
            first = False
            if isinstance(value, list) and value and isinstance(value[0], dict):
                out.append(f"{lead}{key}:")
                for ev in value:
                    out.append(f"{pad}  {' ' * offset}- {_flow_map(ev, date_sample)}")
            else:
                out.append(f"{lead}{key}: {_value_text(value, date_sample)}")
    return "".join(line + newline for line in out)


# ---------------------------------------------------------------------- the document


def _reindent(text: str, old: int, new: int, newline: str) -> str:
    """Lines of ``text`` moved from column ``old`` to ``new`` (never past a line's own
    indentation), each ending with ``newline``."""
    from anquan_cli.io.lines import split_lines

    out = []
    for line in split_lines(text):
        body = line.rstrip("\r\n")
        if new >= old:
            body = (" " * (new - old) + body) if body.strip() else body
        else:
            body = body[min(old - new, len(body) - len(body.lstrip(" "))):]
        out.append(body + newline)
    return "".join(out)


def _last_end(node) -> int:
    """Offset just past the last character that belongs to ``node`` (block collections end
    where their last value ends, not at the next line's indentation)."""
    while isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


_DASH = re.compile(r"(?:^|(?<=[\r\n]))[ \t]*(-)(?=[ \t\r\n]|$)")


def _key_text(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


@dataclass
class _Splice:
    start: int
    end: int
    text: str
    #: whole lines inserted (after a line break, or at the end of a file that lacks one)
    lines: bool = False


class YamlDoc:
    """A YAML record file being edited: its text and the parser's node tree of it.  Every
    change is a splice; after :meth:`apply` the tree is rebuilt from the new text."""

    def __init__(self, text: str, rel: str, model=None, only: list[tuple[int, int | None]] | None = None):
        self.rel = rel
        self.newline = newline_of(text)
        #: the record type, so keys are read the way the loader reads them (``处理记录:`` is
        #: ``history``, ``Deadline:`` is ``deadline``)
        self.model = model
        self._set(text)
        #: the lines that matter for the first reading (the lines before the records and the
        #: record to edit, :func:`~anquan_cli.io.yamlread.keep_lines`): the rest is not parsed
        self._only = only

    # -- reading

    def _set(self, text: str) -> None:
        self.text = text
        self._root = None
        self._index = None
        self._parsed = False
        self._only = None

    @property
    def root(self):
        if not self._parsed:
            self._parse()
        return self._root

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def _parse(self) -> None:
        """Parse the text (on first use after a change: a document edited once and written
        is parsed once)."""
        from anquan_cli.io.yamlread import compose, keep_lines, parse_yaml

        text = self.text
        if self._only is not None:
            text = keep_lines(text, self._only) or text
        if "&" in text or "*" in text or "<<" in text:
            _, problems = parse_yaml(text, self.rel)
            bad = [p for p in problems if p.code in ("yaml-alias", "yaml-anchor", "yaml-merge-key")]
            if bad:
                raise CannotEdit(f"{self.rel}:{bad[0].line}：{bad[0].message}，anquan 不能安全地修改这个文件；"
                                 f"请{bad[0].hint}后再运行")
        try:
            self._root = compose(text)
        except yaml.YAMLError as exc:
            raise CannotEdit(f"{self.rel} 有 YAML 语法错误，不能修改（{exc}）；请先运行 anquan check 修正") from None
        self._parsed = True

    def _container(self, container: str | None):
        """``(list node or None, key node or None)`` of the record list."""
        root = self.root
        if root is None or (isinstance(root, yaml.ScalarNode) and root.value in ("", "~", "null", "Null", "NULL")):
            return None, None
        if isinstance(root, yaml.SequenceNode):
            if root.flow_style and root.value:
                raise self._flow_refusal(root, "整个记录列表写成了一行的 [ … ]")
            return root, None
        if not isinstance(root, yaml.MappingNode) or container is None:
            raise CannotEdit(f"{self.rel} 不是记录列表，无法修改；请先运行 anquan check 修正")
        if root.flow_style:
            raise self._flow_refusal(root, "整个文件写成了一行的 { … }")
        if sum(1 for knode, _ in root.value if _key_text(knode) == container) > 1:
            raise CannotEdit(f"{self.rel}：顶层的“{container}:”写了不止一次（只有最后一个会被读到），"
                             f"anquan 不知道该改哪一个；请合并成一个后再运行")
        for knode, vnode in root.value:
            if _key_text(knode) == container:
                if isinstance(vnode, yaml.SequenceNode):
                    if vnode.flow_style and vnode.value:
                        raise self._flow_refusal(vnode, f"“{container}:”下的列表写成了一行的 [ … ]")
                    return vnode, knode
                if isinstance(vnode, yaml.ScalarNode) and vnode.value in ("", "~", "null", "Null", "NULL"):
                    return vnode, knode
                raise CannotEdit(f"{self.rel}:{self.line(vnode.start_mark.index)}：“{container}:”下不是记录列表，"
                                 f"无法修改；请先运行 anquan check 修正")
        return None, None

    def _flow_refusal(self, node, what: str) -> CannotEdit:
        return CannotEdit(f"{self.rel}:{self.line(node.start_mark.index)}：{what}（流式 YAML），"
                          f"anquan 只能修改每行一个“键: 值”的写法；请把它改写成每条记录以“- ”开头、每个字段一行后再运行")

    def line(self, index: int) -> int:
        return self.index.line(index)

    def items(self, container: str | None) -> list:
        seq, _ = self._container(container)
        return list(seq.value) if isinstance(seq, yaml.SequenceNode) else []

    def find(self, container: str | None, ident: str, line: int | None = None):
        """The mapping node of the record whose ``id`` is ``ident`` (``line`` decides between
        duplicates); None when there is none."""
        found = []
        for item in self.items(container):
            if not isinstance(item, yaml.MappingNode):
                continue
            _, vnode = self._fields(item, "id")[-1] if self._fields(item, "id") else (None, None)
            if isinstance(vnode, yaml.ScalarNode) and nfkc(vnode.value).strip() == ident:
                found.append(item)
        if len(found) > 1 and line is not None:
            found = [n for n in found if self.line(n.start_mark.index) == line] or found
        if self._only is not None and (len(found) != 1 or (line is not None and self.line(found[0].start_mark.index) != line)):
            self._set(self.text)  # not the one record where it was read: the whole text, parsed
            return self.find(container, ident, line)
        node = found[0] if found else None
        if node is not None and node.flow_style:
            raise self._flow_refusal(node, f"记录 {ident} 写成了一行的 {{ … }}")
        return node

    def _name_of(self, key: str | None) -> str | None:
        """The field a key stands for, as the loader reads it."""
        if key is None or self.model is None:
            return key
        if key in self.model.model_fields:
            return key
        from anquan_cli.text import norm_key
        from anquan_cli.workspace import header_map

        return header_map(self.model).get(norm_key(key), key)

    def _fields(self, item, name: str) -> list:
        if not isinstance(item, yaml.MappingNode):
            return []
        return [(k, v) for k, v in item.value if self._name_of(_key_text(k)) == name]

    def field(self, item, name: str):
        """``(key node, value node)`` of the field ``name`` in the record (None, None when
        absent); refused when the record writes it twice (only the last would be read, and
        an edit of either would be a lie)."""
        found = self._fields(item, name)
        if len(found) > 1:
            keys = "、".join(f"“{_key_text(k)}”（第 {self.line(k.start_mark.index)} 行）" for k, _ in found)
            raise CannotEdit(f"{self.rel}：这条记录的 {name} 写了不止一次：{keys}，只有最后一个会被读到；"
                             f"请删去多余的再运行")
        return found[0] if found else (None, None)

    def value_text(self, item, key: str) -> str | None:
        _, vnode = self.field(item, key)
        return vnode.value if isinstance(vnode, yaml.ScalarNode) else None

    # -- positions

    def _line_start(self, index: int) -> int:
        return self.index.start_of(self.line(index))

    def _after_line(self, end: int) -> int:
        """Where a new line goes after content ending at ``end``."""
        if end > 0 and self.text[end - 1] in "\r\n":
            return end  # the node's text already ends with its line break (a block scalar)
        return self.index.end_of_line(end)

    def _dash_index(self, node) -> int:
        """Offset of the ``-`` that introduces a block sequence item (on the item's line, or
        alone on a line above it: ``-`` then ``  id: …``)."""
        start = node.start_mark.index
        # a line start is after \n, \r or \r\n (CR-only files too), as the line index counts them
        for m in reversed(list(_DASH.finditer(self.text, 0, start))):
            between = self.text[m.end(1):start]
            if all(not ln.strip() or ln.strip().startswith("#") for ln in between.splitlines()) \
                    or not between.strip():
                return m.start(1)
            break
        return start

    def _dash_column(self, node) -> int:
        return self.index.column(self._dash_index(node))

    def _nested_offset(self) -> int:
        """How far this file puts a nested list's ``-`` in from its key (``history:`` then
        ``  - …``): learnt from the file, 2 when it has none."""
        stack = [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode) and not node.flow_style:
                for knode, vnode in node.value:
                    if isinstance(vnode, yaml.SequenceNode) and not vnode.flow_style and vnode.value:
                        key_col = self.index.column(knode.start_mark.index)
                        return max(0, self._dash_column(vnode.value[0]) - key_col)
                    stack.append(vnode)
            elif isinstance(node, yaml.SequenceNode) and not node.flow_style:
                stack.extend(node.value)
        return 2

    @staticmethod
    def _text_at_end(pos: int, lines: str) -> _Splice:
        """Insert whole lines at ``pos`` (a line start, or the end of the file)."""
        return _Splice(pos, pos, lines, lines=True)

    # -- changes

    def set_fields(self, item, updates: dict, date_sample: str | None = None) -> list[_Splice]:
        """Splices that give the record ``item`` these field values (new keys go before
        ``history``, or last)."""
        splices = []
        key_col = self.index.column(item.value[0][0].start_mark.index)
        hist_key, _ = self.field(item, "history")
        if hist_key is not None and hist_key is item.value[0][0]:
            hist_key = None  # history is the record's first key (its "- " line): new keys go last
        for key, value in updates.items():
            knode, vnode = self.field(item, key)
            if knode is None:
                line = f"{' ' * key_col}{key}: {_value_text(value, date_sample)}{self.newline}"
                if hist_key is not None:
                    pos = self._line_start(hist_key.start_mark.index)
                else:
                    pos = self._after_line(_last_end(item))
                splices.append(_Splice(pos, pos, line, lines=True))
                continue
            if isinstance(value, dict) and isinstance(vnode, yaml.MappingNode) and vnode.value:
                # one nested value (a hazard's listing): only the keys given change
                if vnode.flow_style:
                    splices.append(self._flow_map_set(vnode, value, date_sample))
                else:
                    splices.extend(self.set_fields(vnode, value, date_sample))
                continue
            if not isinstance(vnode, yaml.ScalarNode):
                raise CannotEdit(f"{self.rel}:{self.line(vnode.start_mark.index)}：字段 {key} 不是单个值，无法修改")
            start, end = vnode.start_mark.index, vnode.end_mark.index
            style = vnode.style or ""
            if style in ("|", ">"):
                # replace the scalar up to its last content line; blank lines after it stay
                body = self.text[start:end]
                content = len(body.rstrip())
                brk = re.match(r"\r\n|\r|\n", body[content:])
                end = start + content + (brk.end() if brk else 0)
                new = _value_text(value, date_sample) + (self.newline if brk else "")
            else:
                new = scalar(value, style=style, date_sample=date_sample) if not isinstance(value, list) \
                    else _value_text(value)
            if start == end:  # "funds:" with nothing after the colon
                new = " " + new
            splices.append(_Splice(start, end, new))
        return splices

    def _flow_map_set(self, node, updates: dict, date_sample: str | None) -> _Splice:
        """The splice that gives a one-line ``{…}`` mapping these values: its other keys as
        written, a changed key's value in place, a new key last."""
        parts: list[tuple[str, str]] = []
        left = dict(updates)
        for knode, vnode in node.value:
            key = _key_text(knode) or ""
            if key in left:
                style = vnode.style or "" if isinstance(vnode, yaml.ScalarNode) else ""
                parts.append((key, scalar(left.pop(key), flow=True, style=style, date_sample=date_sample)))
            else:
                parts.append((key, self.text[vnode.start_mark.index:vnode.end_mark.index]))
        parts += [(k, scalar(v, flow=True, date_sample=date_sample)) for k, v in left.items()]
        text = "{" + ", ".join(f"{k}: {v}" for k, v in parts) + "}"
        return _Splice(node.start_mark.index, node.end_mark.index, text)

    def add_events(self, item, events: list[dict], date_sample: str | None = None,
                   field: str = "history", key: str = "date") -> list[_Splice]:
        """Splices that put ``events`` into the record's ``history`` (or another list of
        mappings, ``field``), each at its place in the order of ``key`` — a day, or a day and
        a time of day — after the items of the same moment."""
        from anquan_cli.text import parse_moment

        def when_of(value) -> dt.datetime | None:
            try:
                got = parse_moment(value) if isinstance(value, str) else value
            except ValueError:
                return None
            if isinstance(got, dt.datetime):
                return got
            return dt.datetime.combine(got, dt.time.min) if isinstance(got, dt.date) else None

        knode, vnode = self.field(item, field)
        key_col = self.index.column(item.value[0][0].start_mark.index)
        offset = self._nested_offset()
        nl = self.newline
        if knode is None:
            pad = " " * (key_col + offset)
            block = f"{' ' * key_col}{field}:{nl}" + "".join(f"{pad}- {_flow_map(e, date_sample)}{nl}" for e in events)
            return [self._text_at_end(self._after_line(_last_end(item)), block)]
        pad = " " * (self.index.column(knode.start_mark.index) + offset)
        if isinstance(vnode, yaml.ScalarNode) or (isinstance(vnode, yaml.SequenceNode) and not vnode.value):
            if isinstance(vnode, yaml.ScalarNode) and vnode.value not in ("", "~", "null", "Null", "NULL"):
                raise CannotEdit(f"{self.rel}:{self.line(vnode.start_mark.index)}：{field} 不是列表，无法修改")
            splices = []
            start, end = vnode.start_mark.index, vnode.end_mark.index
            if end > start:  # "history: []" or "history: ~": the list begins on the next line
                while start > 0 and self.text[start - 1] == " ":
                    start -= 1
                splices.append(_Splice(start, end, ""))
            block = "".join(f"{pad}- {_flow_map(e, date_sample)}{nl}" for e in events)
            splices.append(self._text_at_end(self._after_line(vnode.end_mark.index), block))
            return splices
        if not isinstance(vnode, yaml.SequenceNode):
            raise CannotEdit(f"{self.rel}:{self.line(vnode.start_mark.index)}：{field} 不是列表，无法修改")
        if vnode.flow_style:
            raise self._flow_refusal(vnode, f"{field} 写成了一行的 [ … ]")
        pad = " " * self._dash_column(vnode.value[0])
        dated = []
        for node in vnode.value:
            when = None
            if isinstance(node, yaml.MappingNode):
                text = self.value_text(node, key)
                when = when_of(text) if text else None
            dated.append((node, when))
        splices = []
        for ev in events:
            line = f"{pad}- {_flow_map(ev, date_sample)}{nl}"
            at_time = when_of(ev[key])
            later = next((node for node, when in dated if when is not None and at_time is not None and when > at_time),
                         None)
            if later is not None:
                at = self._line_start(self._dash_index(later))
                splices.append(_Splice(at, at, line, lines=True))
            else:
                splices.append(self._text_at_end(self._after_line(_last_end(vnode)), line))
        return splices

    def append_records(self, container: str | None, records: list[dict], date_sample: str | None = None) -> list[_Splice]:
        """Splices that add ``records`` at the end of the record list (created when absent)."""
        nl = self.newline
        seq, key = self._container(container)
        offset = self._nested_offset()
        if isinstance(seq, yaml.SequenceNode) and seq.value:
            first = seq.value[0]
            dash = self._dash_column(first)
            gap = nl if self._blank_between_items(seq) else ""
            pos = self._after_line(_last_end(seq))
            return [self._text_at_end(pos, gap + records_block(records, dash, nl, offset, date_sample))]
        if key is not None:  # "hazards:" with nothing, "hazards: []" or "hazards: ~"
            dash = self.index.column(key.start_mark.index) + offset
            splices = []
            start, end = seq.start_mark.index, seq.end_mark.index
            if end > start:
                while start > 0 and self.text[start - 1] == " ":
                    start -= 1
                splices.append(_Splice(start, end, ""))
            splices.append(self._text_at_end(self._after_line(seq.end_mark.index),
                                             records_block(records, dash, nl, offset, date_sample)))
            return splices
        if isinstance(seq, yaml.SequenceNode):  # an empty top-level list cannot be written in block style
            raise CannotEdit(f"{self.rel} 的记录列表是空的 [ ]，无法追加；请删去 [ ] 后再运行")
        if self.root is not None and container is None:
            raise CannotEdit(f"{self.rel} 不是记录列表，无法追加")
        head = f"{container}:{nl}" if container else ""
        dash = offset if container else 0
        body = records_block(records, dash, nl, offset, date_sample)
        return [self._text_at_end(len(self.text), head + body)]

    def item_text(self, item) -> tuple[str, int]:
        """A record's own text as written (from its ``-`` line to its last value's line,
        without the blank or comment lines after it) and the column of its ``-``."""
        begin = self._line_start(self._dash_index(item))
        end = self._after_line(_last_end(item))
        return self.text[begin:end], self._dash_column(item)

    def append_raw(self, container: str | None, blocks: list[tuple[str, int]]) -> list[_Splice]:
        """Splices that add records copied as written elsewhere (:meth:`item_text`),
        re-indented to this file's ``-`` column and line endings."""
        seq, key = self._container(container)
        if isinstance(seq, yaml.SequenceNode) and seq.value:
            dash = self._dash_column(seq.value[0])
            pos = self._after_line(_last_end(seq))
        else:
            return self._raw_into_empty(container, seq, key, blocks)
        gap = self.newline if self._blank_between_items(seq) else ""
        out = "".join(gap + _reindent(text, col, dash, self.newline) for text, col in blocks)
        return [_Splice(pos, pos, out)]

    def _raw_into_empty(self, container, seq, key, blocks) -> list[_Splice]:
        nl = self.newline
        if key is not None:
            dash = self.index.column(key.start_mark.index) + self._nested_offset()
            splices = []
            start, end = seq.start_mark.index, seq.end_mark.index
            if end > start:
                while start > 0 and self.text[start - 1] == " ":
                    start -= 1
                splices.append(_Splice(start, end, ""))
            body = "".join(_reindent(text, col, dash, nl) for text, col in blocks)
            splices.append(_Splice(*([self._after_line(seq.end_mark.index)] * 2), body))
            return splices
        if self.root is not None and not isinstance(self.root, yaml.MappingNode):
            raise CannotEdit(f"{self.rel} 不是记录列表，无法追加")
        dash = self._nested_offset() if container else 0
        body = (f"{container}:{nl}" if container else "") + "".join(_reindent(t, c, dash, nl) for t, c in blocks)
        return [_Splice(len(self.text), len(self.text), body)]

    def _blank_between_items(self, seq) -> bool:
        """Whether the clerk separates records by a blank line (yes when there is only one)."""
        if len(seq.value) < 2:
            return True
        end = _last_end(seq.value[0])
        between = self.text[end:seq.value[1].start_mark.index]
        return bool(re.search(r"\n[ \t]*\r?\n", between))

    def apply(self, splices: list[_Splice]) -> str:
        """Apply splices (positions refer to the current text; insertions at one place keep
        their order) and re-read the document."""
        text = self.text
        ordered = sorted(enumerate(splices), key=lambda p: (p[1].start, p[1].end, p[0]), reverse=True)
        at_end = [s for s in splices if s.start == len(text) and s.lines]
        if at_end and text and not text.endswith(("\n", "\r")):
            at_end[0].text = self.newline + at_end[0].text  # the last line had no line break
        for _, s in ordered:
            text = text[:s.start] + s.text + text[s.end:]
        self._set(text)
        return text

"""Read YAML into plain data that remembers where every key and item was.

The parse uses libyaml's C composer when PyYAML has it (the fast read path) and builds
the values here, with YAML 1.2 core-schema scalars:

* dates stay strings, so pydantic parses them and an impossible date (2023-02-30) is
  reported at its line instead of crashing the parser;
* ``yes``/``no``/``on``/``off`` are strings, and so is the key ``no`` (a task number);
* an integer written with leading zeros (``001``) stays the string "001";
* anchors, aliases and merge keys (``&a``, ``*a``, ``<<:``) are refused at their line: offices
  never write them, and an alias is how a 1 KB file expands into gigabytes or into itself;
* lines are counted as editors count them (U+2028 and friends inside a value do not start a
  new line, although libyaml counts them).

This module only reads; :mod:`anquan_cli.edit.yamltext` writes, from the same node marks.
"""

from __future__ import annotations

import re

import yaml

from anquan_cli.io.lines import YAML_EXTRA_BREAKS, LineIndex
from anquan_cli.problems import Problem, error, warning

__all__ = ["PosDict", "PosList", "parse_yaml", "compose", "mark_lines", "plain_value"]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """Composes nodes only; scalars are resolved by :func:`_scalar`, so PyYAML's own
    YAML 1.1 tag resolution (a Python call per scalar) is skipped."""

    def resolve(self, kind, value, implicit):
        return ""


class PosDict(dict):
    """A mapping with the 1-based line of itself (``line``) and of each key (``key_lines``)."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int = 0):
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class PosList(list):
    """A sequence with the 1-based line of itself and of each item."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int = 0):
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _scalar(node: yaml.ScalarNode):
    if node.style:  # quoted or block scalar: always text
        return node.value
    return plain_value(node.value)


def plain_value(text: str):
    """A plain (unquoted) scalar's value: YAML 1.2 core-schema null, booleans and numbers,
    everything else text."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        value = int(text)
        # keep "001", "+5" and friends as written: they are codes, not quantities
        return value if str(value) == text else text
    if _FLOAT.match(text) and not _INT.match(text):
        return float(text)
    return text


def mark_lines(text: str):
    """``mark -> 1-based line`` for marks of a parse of ``text``, lines counted as editors do."""
    if any(ch in text for ch in YAML_EXTRA_BREAKS):
        index = LineIndex(text)
        return lambda mark: index.line(mark.index)
    return lambda mark: mark.line + 1


class _Builder:
    def __init__(self, path: str, line_of):
        self.path = path
        self.problems: list[Problem] = []
        self.line_of = line_of

    def build(self, node):
        line = self.line_of(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            out = PosList(line)
            for item in node.value:
                out.item_lines.append(self.line_of(item.start_mark))
                out.append(self.build(item))
            return out
        out = PosDict(line)
        for knode, vnode in node.value:
            kline = self.line_of(knode.start_mark)
            if not isinstance(knode, yaml.ScalarNode):
                self.problems.append(error(self.path, kline, "yaml-key",
                                           "键必须是一段文字，不能是列表或映射",
                                           "检查这一行的缩进和冒号"))
                continue
            key = knode.value
            if key == "<<" and not knode.style:
                self.problems.append(error(self.path, kline, "yaml-merge-key",
                                           "不支持 YAML 合并键“<<”", "把要合并的键逐个写出来"))
                continue
            if key in out:
                self.problems.append(warning(
                    self.path, kline, "yaml-duplicate-key",
                    f"键“{key}”在同一处出现了两次（第 {out.key_lines[key]} 行），后面的值覆盖前面的",
                    "删去多余的一行"))
            out[key] = self.build(vnode)
            out.key_lines[key] = kline
        return out


_SYNTAX_ZH = [
    ("found character '\\t'", "不能用 Tab 键缩进", "把这一行开头的 Tab 换成空格"),
    ("found a tab character", "不能用 Tab 键缩进", "把这一行开头的 Tab 换成空格"),
    ("mapping values are not allowed", "这里不能出现“键: 值”", "检查上一行是否缺少缩进，或文字里的冒号是否需要加引号"),
    ("could not find expected ':'", "缺少冒号", "每个键后面要有“: ”（英文冒号加空格）"),
    ("found unexpected end of stream", "文件意外结束", "检查引号或括号是否成对"),
    ("but found another document", "一个文件里只能有一份 YAML 文档", "删去多余的 ---，或把内容拆到另一个文件"),
    ("did not find expected", "列表或映射的格式不完整", "检查这一行附近的缩进、逗号和括号"),
    ("found undefined alias", "引用了未定义的锚点（*名称）", "删去 * 引用或补上 & 定义"),
]


def _syntax_message(problem: str) -> tuple[str, str]:
    for needle, what, hint in _SYNTAX_ZH:
        if needle in problem:
            return f"YAML 语法错误：{what}（{problem}）", hint
    return f"YAML 语法错误：{problem}", "检查这一行附近的缩进、冒号和引号"


def _anchor_problem(text: str, path: str, line_of) -> Problem | None:
    """The first anchor or alias of the text, as a problem (an event scan, run only when the
    text holds ``&`` or ``*`` at all)."""
    loader = _BaseLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return error(path, line_of(event.start_mark), "yaml-alias",
                             f"不支持 YAML 别名（*{event.anchor}）",
                             "把引用的内容照抄到这里，删去 & 和 * 标记")
            if getattr(event, "anchor", None):
                return error(path, line_of(event.start_mark), "yaml-anchor",
                             f"不支持 YAML 锚点（&{event.anchor}）", "删去 & 标记")
    except yaml.YAMLError:
        return None  # the syntax error is reported by the parse itself
    finally:
        loader.dispose()
    return None


def compose(text: str):
    """The node tree of one YAML document (None when empty); raises ``yaml.YAMLError``."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def parse_yaml(text: str, path: str) -> tuple[object, list[Problem]]:
    """Parse one YAML document.  Returns ``(data, problems)``; data is None on a syntax error
    (and on anchors or aliases)."""
    from anquan_cli.io.yamlfast import read_simple

    simple = read_simple(text)  # the plain style ledgers are written in, without libyaml
    if simple is not None:
        return simple, []
    line_of = mark_lines(text)
    if "&" in text or "*" in text:
        problem = _anchor_problem(text, path, line_of)
        if problem is not None:
            return None, [problem]
    try:
        node = compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_of(mark) if mark else 0
        message, hint = _syntax_message(exc.problem or exc.context or "")
        return None, [error(path, line, "yaml-syntax", message, hint)]
    except yaml.YAMLError as exc:
        return None, [error(path, 0, "yaml-syntax", f"YAML 语法错误：{exc}", "检查文件格式")]
    if node is None:
        return None, []
    builder = _Builder(path, line_of)
    try:
        return builder.build(node), builder.problems
    except RecursionError:
        return None, [error(path, line_of(node.start_mark), "yaml-too-deep", "YAML 嵌套层数过多，无法读取",
                            "记录只需要两三层缩进：检查是否误写了大量括号")]


def keep_lines(text: str, keep: list[tuple[int, int | None]]) -> str | None:
    """``text`` with every line outside ``keep`` (1-based ``[start, end)`` line ranges, ``end``
    None for the rest of the text) turned into spaces: the same length, every kept character
    at its offset, line and column — a YAML document of just those lines, read as fast as
    they are short.  None when the text has line breaks other than ``\\n`` and ``\\r\\n``
    (where YAML and a split at ``\\n`` would count lines differently)."""
    if "\x85" in text or "\u2028" in text or "\u2029" in text or "\r" in text.replace("\r\n", ""):
        return None
    lines = text.split("\n")
    out = []
    for n, line in enumerate(lines, 1):
        if any(a <= n and (b is None or n < b) for a, b in keep):
            out.append(line)
        elif line.endswith("\r"):
            out.append(" " * (len(line) - 1) + "\r")
        else:
            out.append(" " * len(line))
    return "\n".join(out)


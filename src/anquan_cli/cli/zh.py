"""The command-line framework's own words in Chinese, and help laid out for Chinese text.

typer (with the copy of click it carries) writes its help framing and usage errors in English:
``Usage:``, ``Options``, ``[default: …]``, ``Error: No such option``, ``Try '… -h' for help.``
:func:`install` puts Chinese in their place, in three spots of that framework:

* the words typer looks up through gettext (``Options``, ``Commands``, ``default: {default}``,
  ``required``, ``Missing command.`` …) come from :data:`WORDS` (typer's module-level ``_``);
* help is laid out by :class:`HelpFormatter`: ``用法：``, ``选项：``, and lines broken by
  terminal cells, between Chinese characters or at spaces — never inside an option name or
  an English word (click counts characters and breaks only at spaces, so a Chinese line ran
  past 80 columns and the English after it broke wherever it fell);
* a usage error is shown by :func:`show_usage_error`: the usage line, ``试试 'anquan … -h'
  查看帮助。`` and ``错误：`` with the message translated by :func:`message` (typer's messages
  are f-strings, so they are matched by pattern; anything not matched is shown as it is).

The exit code of a usage error stays 2.  Nothing here imports rich.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import IO, Any

from typer._click import core as _core
from typer._click import exceptions as _exc
from typer._click import formatting as _fmt
from typer._click.utils import echo

from anquan_cli.cells import cell_len, fold

__all__ = ["install", "message", "gettext", "short_help", "HelpFormatter", "WORDS"]

#: typer's gettext strings
WORDS = {
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有“{name}”这个命令。",
    "Aborted!": "已中止。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Install completion for the current shell.": "为当前的 shell（bash、zsh、fish、PowerShell）安装命令补全。 "
                                                 "Install completion for the current shell.",
    "Show completion for the current shell, to copy it or customize the installation.":
        "显示当前 shell 的补全脚本，可复制或自行安装。 Show completion for the current shell.",
}

_USAGE_WORDS = (("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."))


def gettext(message: str) -> str:
    return WORDS.get(message, message)


# ---------------------------------------------------------------------- help


def _join_lines(lines: list[str]) -> str:
    """A paragraph's source lines as one line: no space is put between two Chinese
    characters that a line break parted."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if out and line and not (cell_len(out[-1]) == 2 and cell_len(line[0]) == 2):
            out += " "
        out += line
    return out


def wrap(text: str, width: int, initial: str = "", subsequent: str = "", paragraphs: bool = False) -> str:
    """Click's ``wrap_text`` for Chinese: ``initial``/``subsequent`` indents, paragraphs
    (blank-line separated; one whose first line is ``\\b`` kept as written)."""
    if not paragraphs:
        return "\n".join(_wrap_one(text.replace("\n", " "), width, initial, subsequent))
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.expandtabs()):
        lines = block.split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            continue
        if lines[0].strip() == "\b":
            out.append("\n".join(initial + ln for ln in lines[1:]))
            continue
        extra = " " * (len(lines[0]) - len(lines[0].lstrip()))
        out.append("\n".join(_wrap_one(_join_lines(lines), width, initial + extra, subsequent + extra)))
    return "\n\n".join(out)


def _wrap_one(text: str, width: int, initial: str, subsequent: str) -> list[str]:
    # click's indents are as wide on every line (the usage line's is its own width in spaces)
    lines = fold(text, max(width - max(cell_len(initial), cell_len(subsequent)), 10))
    return [(initial if i == 0 else subsequent) + line for i, line in enumerate(lines)]


def short_help(help: str, max_length: int = 45) -> str:
    """A command's line in its group's list: the first sentence of its help (a Chinese one
    ends at 。), at most two lines of ``max_length`` cells, cut at a place a line may break.
    (Click counts characters and cuts at spaces, so a Chinese sentence, having none, came
    out whole with "..." after it, or as "..." alone.)"""
    para = re.split(r"\n[ \t]*\n", help.strip(), maxsplit=1)[0]
    lines = [ln for ln in para.split("\n") if ln.strip() != "\b"]
    text = _join_lines(lines)
    m = re.match(r"(.+?(?:[。！？]|\.(?=\s|$)))", text)
    if m:
        text = m.group(1)
    room = 2 * max(max_length, 20)
    if cell_len(text) > room:
        text = fold(text, room - 2)[0].rstrip("，、；：") + "……"
    return text


class HelpFormatter(_fmt.HelpFormatter):
    """Click's help formatter with Chinese framing and line breaking by terminal cells."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese in _USAGE_WORDS:
            args = args.replace(english, chinese)
        prefix = "用法：" if prefix is None else prefix
        head = f"{'':>{self.current_indent}}{prefix}{prog} "
        room = self.width - self.current_indent
        if room >= cell_len(head) + 20:
            self.write(wrap(args, room, initial=head, subsequent=" " * cell_len(head)))
        else:
            pad = " " * (max(self.current_indent, cell_len(prefix)) + 4)
            self.write(head + "\n" + wrap(args, room, initial=pad, subsequent=pad))
        self.write("\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{gettext(heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap(text, self.width, initial=indent, subsequent=indent, paragraphs=True))
        self.write("\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, gettext(second)) for first, second in rows]
        widths = [max((cell_len(r[0]) for r in rows), default=0)]
        first_col = min(widths[0], col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap(second, text_width, paragraphs=True).splitlines() or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")


# ---------------------------------------------------------------------- errors

_TYPES: dict[str, str] = {"int": "整数", "integer": "整数", "float": "数字", "number": "数字", "bool": "是/否", "boolean": "是/否",
          "date": "日期", "File": "文件", "Directory": "目录", "Path": "路径", "file": "文件", "directory": "目录"}
@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], Any]]:
    """typer's messages by pattern (compiled on the first usage error, not at every start)."""
    return [
        (re.compile(r"^(.+?)\.? Did you mean (.+)\?$", re.S),
         lambda m: f"{_bare(message(m[1]))}（您是不是要用：{'、'.join(x.strip().strip(chr(39)) for x in m[2].split(','))}）"),
        (re.compile(r"^No such option: (\S+)(?: \(Possible options: (.+)\))?$", re.S),
         lambda m: f"没有 {m[1]} 这个选项" + (f"（您是不是要用：{'、'.join(m[2].split(', '))}）" if m[2] else "")),
        (re.compile(r"^Missing argument '(.+?)'\.(?: (.*))?$", re.S), lambda m: f"缺少参数 {m[1]}" + (f"：{message(m[2])}" if m[2] else "")),
        (re.compile(r"^Missing option '(.+?)'(?: / '(.+?)')*\.(?: (.*))?$", re.S),
         lambda m: f"缺少选项 {m[1]}" + (f"：{message(m[3])}" if m[3] else "")),
        (re.compile(r"^Missing (?:parameter|argument|option)(?::)? ?(.*?)\.?$", re.S), lambda m: f"缺少参数 {m[1]}".rstrip()),
        (re.compile(r"^Invalid value for (.+?): (.+)$", re.S), lambda m: f"{_hint(m[1])}的值无效：{message(m[2])}"),
        (re.compile(r"^Invalid value: (.+)$", re.S), lambda m: f"值无效：{message(m[1])}"),
        (re.compile(r"^(?:Value error, )?'(.*)' is not one of (.+)\.$", re.S), lambda m: f"“{m[1]}”不是可选的值，可选：{'、'.join(c.strip().strip(chr(39)) for c in m[2].split(','))}"),
        (re.compile(r"^Option '(.+?)' requires an argument\.$"), lambda m: f"选项 {m[1]} 后面要跟一个值"),
        (re.compile(r"^Option '(.+?)' requires (\d+) arguments\.$"), lambda m: f"选项 {m[1]} 后面要跟 {m[2]} 个值"),
        (re.compile(r"^Option '(.+?)' does not take a value\.$"), lambda m: f"选项 {m[1]} 不带值"),
        (re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", re.S), lambda m: f"多余的参数：{m[1]}"),
        (re.compile(r"^Argument '(.+?)' takes (\d+) values\.$"), lambda m: f"参数 {m[1]} 要 {m[2]} 个值"),
        (re.compile(r"^(?:Value error, )?Value '(.*)' is not a valid (\w+)\.$", re.S),
         lambda m: f"“{m[1]}”不是有效的{_TYPES.get(m[2], m[2])}"),
        (re.compile(r"^Input should be a valid (integer|number|boolean|date)\b.*$", re.S),
         lambda m: f"应为{_TYPES.get(m[1], m[1])}"),
        (re.compile(r"^(File|Directory|Path) '(.+)' does not exist\.$", re.S), lambda m: f"{_TYPES[m[1]]} {m[2]} 不存在"),
        (re.compile(r"^(File|Directory|Path) '(.+)' is a (file|directory)\.$", re.S),
         lambda m: f"{_TYPES[m[1]]} {m[2]} 是{_TYPES[m[3]]}"),
        (re.compile(r"^Value error, (.+)$", re.S), lambda m: message(m[1])),
    ]

def _hint(hint: str) -> str:
    """``'--format' / '-f'`` → ``--format（-f）``; ``'ID'`` → ``ID``."""
    names = [h.strip().strip("'") for h in hint.split(" / ")]
    return names[0] + (f"（{'、'.join(names[1:])}）" if len(names) > 1 else "")


def message(text: str) -> str:
    """A usage error's message in Chinese (as it is when no pattern knows it)."""
    text = text.strip()
    for pattern, say in _patterns():
        m = pattern.match(text)
        if m:
            return say(m)
    return text


def show_usage_error(self: _exc.UsageError, file: IO[Any] | None = None) -> None:
    from typer._click._compat import get_text_stderr

    file = file or get_text_stderr()
    color = None
    if self.ctx is not None:
        color = self.ctx.color
        hint = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            hint = f"试试 '{self.ctx.command_path} {self.ctx.help_option_names[0]}' 查看帮助。\n"
        echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
    echo(f"错误：{_end(message(self.format_message()))}", file=file, color=color)


def show_error(self: _exc.ClickException, file: IO[Any] | None = None) -> None:
    from typer._click._compat import get_text_stderr

    echo(f"错误：{_end(message(self.format_message()))}", file=file or get_text_stderr(), color=self.show_color)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bare(text: str) -> str:
    return text[:-1] if text.endswith("。") else text


def _end(text: str) -> str:
    return text if not text or text[-1] in "。！？.!?）)" else text + "。"


_installed = False


def install() -> None:
    """Put the Chinese words, formatter and error display in place (once)."""
    global _installed
    if _installed:
        return
    import typer.core

    typer.core._ = gettext
    _core.Context.formatter_class = HelpFormatter
    _core.make_default_short_help = short_help
    # a completion's description is plain text here (no rich markup): typer would lay it out
    # with rich at 80 columns, and a line break in it is a bogus completion for PowerShell
    import typer._completion_classes as completion

    completion._sanitize_help_text = _one_line
    _exc.UsageError.show = show_usage_error  # type: ignore[method-assign]
    _exc.ClickException.show = show_error  # type: ignore[method-assign]
    _installed = True

"""Report templates: found in the workspace's own ``templates/`` first, then in the ones
shipped with anquan (file by file, so an office overrides only what it restyles).

Templates come from another office as often as from this one, so they are treated as
hostile: read only as regular files inside the templates folders (no links, no ``..``), rendered
in one sandboxed Jinja environment (:func:`sandbox`) with StrictUndefined, bounded in time,
output and the sizes a template can build, and given only plain data (:func:`plain`): nothing
in a context can be called or has methods that reach files or code.  Record text only ever
arrives as data; it is never compiled as a template, so "{{ … }}" typed into a hazard title is
printed as written.  Every failure inside a template is "报告模板 NAME（第 N 行）有误：…", exit 2.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import anquan_cli

__all__ = ["packaged_dir", "search_path", "find", "template_file", "sandbox", "markdown_env", "render_markdown",
           "template_error", "run_bounded", "plain", "md_cell", "md_text"]


def packaged_dir() -> Path:
    """The templates shipped with anquan: inside the installed package, or the repository's
    top-level ``templates/`` when running from a checkout."""
    inside = Path(anquan_cli.__file__).parent / "templates"
    if inside.is_dir():
        return inside
    return Path(anquan_cli.__file__).resolve().parents[2] / "templates"


def search_path(workspace_root: Path | None) -> list[Path]:
    dirs = []
    if workspace_root is not None and (workspace_root / "templates").is_dir() \
            and not (workspace_root / "templates").is_symlink():
        dirs.append(workspace_root / "templates")
    dirs.append(packaged_dir())
    return dirs


def templates_digest(workspace_root: Path | None) -> str:
    """One digest of every file on the template search path (names, kinds, contents) and of
    the template engine's version: what a laid-out report depends on besides its context."""
    import hashlib
    import importlib.metadata

    h = hashlib.blake2b(digest_size=20)
    h.update(importlib.metadata.version("jinja2").encode())
    for d in search_path(workspace_root):
        h.update(b"\0dir\0" + os.fsencode(d))
        for folder, subdirs, names in os.walk(d):
            subdirs.sort()
            for name in sorted(names):
                path = os.path.join(folder, name)
                h.update(b"\0" + os.fsencode(os.path.relpath(path, d)))
                try:
                    st = os.lstat(path)
                    if stat.S_ISREG(st.st_mode) and st.st_size <= MAX_TEMPLATE_BYTES:
                        with open(path, "rb") as fh:
                            h.update(hashlib.blake2b(fh.read(), digest_size=20).digest())
                    else:
                        h.update(f"\0{st.st_mode}:{st.st_size}".encode())
                except OSError as exc:
                    h.update(f"\0error {exc.errno}".encode())
    return h.hexdigest()


#: the largest template file read (a report template is a few kilobytes)
MAX_TEMPLATE_BYTES = 2_000_000


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return bool(name) and not name.startswith("/") and ".." not in parts and all(p and not p.startswith(".") for p in parts)


def template_file(folder: Path, name: str) -> Path | None:
    """``folder/name`` when it is a regular file inside ``folder``: no ``..``, no absolute
    names, no link anywhere on the way (a link committed to a workspace's ``templates/``
    could otherwise put /etc/passwd into a report)."""
    if not _safe_name(name):
        return None
    path = folder / name
    real_folder = os.path.realpath(folder)
    here = folder
    for part in name.replace("\\", "/").split("/"):
        here = here / part
        if os.path.islink(here):
            return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_TEMPLATE_BYTES:
        return None
    real = os.path.realpath(path)
    return path if real.startswith(real_folder + os.sep) else None


def find(name: str, workspace_root: Path | None) -> Path:
    for d in search_path(workspace_root):
        found = template_file(d, name)
        if found is not None:
            return found
    from anquan_cli.problems import AnquanError

    raise AnquanError(f"找不到报告模板 {name}（查找位置：{'、'.join(str(d) for d in search_path(workspace_root))}；"
                      "模板须是 templates/ 中的普通文件，不能是链接）")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


_MD_ANY = re.compile(r"[\\`*_\[\]|#~&<>\r\n]")


def md_text(value) -> str:
    """Record text as literal Markdown paragraph text: specials escaped, HTML neutralised,
    line breaks kept as breaks."""
    if value is None:
        return ""
    s = str(value)
    if not _MD_ANY.search(s):
        return s  # nearly every cell: nothing to escape
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return re.sub(r"\r\n|\r|\n", "<br>", s)


def md_cell(value) -> str:
    """Record text inside a Markdown table cell: as :func:`md_text`, so ``|`` and line
    breaks cannot break the table; empty cells show as —."""
    s = md_text(value)
    return s if s.strip() else "—"




def md_table(rows, headers, keys) -> str:
    """A Markdown table: headers as written, every cell through :func:`md_cell` (the same
    escaping as ``|cell``), one line per row.  Done here rather than in a template loop: a
    province's bulletin has tens of thousands of rows, and the sandbox checks every access."""
    from operator import itemgetter

    head = ["| " + " | ".join(str(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    keys = list(keys)
    if not keys:
        return "\n".join(head + ["| |"] * len(rows)) + "\n"
    pick = itemgetter(*keys) if len(keys) > 1 else (lambda r, k=keys[0]: (r[k],))
    cells = list(map(pick, rows))
    # most rows hold text and numbers needing no escape (empty cells aside): those rows are
    # laid out together; a row with a special character, a None, a cell of blanks or a \0
    # (the cells' separator here) goes cell by cell
    texts = ["\0".join(map(str, c)) for c in cells]
    seps, special = len(keys) - 1, _MD_ANY.search
    slow = {i for i, t in enumerate(texts) if special(t) or t.count("\0") != seps or None in cells[i]}
    good = [t for i, t in enumerate(texts) if i not in slow]
    body = "\n".join(good)
    if _BLANK_CELL.search(body):
        slow |= {i for i, c in enumerate(cells) if any(str(v).isspace() for v in c)}
        good = [t for i, t in enumerate(texts) if i not in slow]
        body = "\n".join(good)
    if good:
        body = "\0" + body.replace("\n", "\0\n\0") + "\0"  # every cell between two \0s
        body = body.replace("\0\0", "\0—\0").replace("\0\0", "\0—\0")  # empty cells (two passes: runs)
        body = "| " + body[1:-1].replace("\0\n\0", " |\n| ").replace("\0", " | ") + " |"
    if not slow:
        return "\n".join(head + ([body] if good else [])) + "\n"
    laid = iter(body.split("\n") if good else [])
    lines = [("| " + " | ".join(map(md_cell, c)) + " |") if i in slow else next(laid) for i, c in enumerate(cells)]
    return "\n".join(head + lines) + "\n"


#: a cell of blanks only (shown as —, like an empty one) in the \0-separated lines of :func:`md_table`
_BLANK_CELL = re.compile(r"(?:^|(?<=[\0\n]))[^\S\n]+(?=[\0\n]|$)")


def md_items(rows, key: str) -> str:
    """A Markdown bullet list of one field of each row, as ``- {{ row[key] | text }}`` lines
    (a report lists tens of thousands of gaps)."""
    return "".join(f"- {md_text(r[key])}\n" for r in rows)


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class _Loader:
    """Templates from the search path, read only as regular files inside it (see
    :func:`template_file`), never through links or ``..``."""

    def __new__(cls, dirs: list[Path]):
        from jinja2 import BaseLoader, TemplateNotFound

        class Loader(BaseLoader):
            def get_source(self, environment, template):
                for d in dirs:
                    path = template_file(d, template)
                    if path is not None:
                        text = path.read_text(encoding="utf-8-sig")
                        return text, str(path), lambda: False
                raise TemplateNotFound(template)

        return Loader()


#: limits inside a template: the longest string or list a ``*`` may build, the largest width a
#: filter or format may pad to, the largest exponent
MAX_BUILT = 1_000_000
MAX_WIDTH = 10_000
MAX_EXPONENT = 1_000


def template_seconds() -> float:
    """How long one render may run: ``ANQUAN_TEMPLATE_SECONDS`` or 120."""
    try:
        return max(0.1, min(float(os.environ.get("ANQUAN_TEMPLATE_SECONDS") or 120), 3600.0))
    except ValueError:
        return 120.0


def sandbox(loader=None, autoescape: bool = False, text: bool = True):
    """The one Jinja environment every template renders in: sandboxed and immutable (no
    attribute starting with ``_``, no changing data, no calls into the objects behind the
    data), StrictUndefined, only plain helpers as globals, and bounded: ``range`` (the
    sandbox's 100 000), ``*`` and ``**``, and the widths of padding filters and formats."""
    import re as _re

    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    width = _re.compile(r"[<>^=]?\d{5,}|%[-+ #0]*\d{5,}|\.\d{5,}")

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context, operator, left, right):
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_BUILT:
                        raise SecurityError(f"模板中的乘法产生的内容过大（超过 {MAX_BUILT} 个）")
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"模板中的乘方指数过大（超过 {MAX_EXPONENT}）")
            if operator == "%" and isinstance(left, str) and width.search(left):
                raise SecurityError(f"模板中的格式宽度过大（超过 {MAX_WIDTH}）")
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value):
            wrapped = super().wrap_str_format(value)
            if wrapped is not None and width.search(str(value.__self__)):
                def refuse(*args, **kwargs):
                    raise SecurityError(f"模板中的格式宽度过大（超过 {MAX_WIDTH}）")
                return refuse
            return wrapped

    # ``text``: a Markdown/plain-text template (block tags take their line with them); a
    # DOCX template's XML renders with Jinja's defaults, as docxtpl expects
    env = Sandbox(loader=loader, undefined=StrictUndefined, autoescape=autoescape,
                  keep_trailing_newline=text, trim_blocks=text, lstrip_blocks=text)
    for name in ("cycler", "joiner", "lipsum"):
        env.globals.pop(name, None)

    def bounded(name):
        original = env.filters[name]

        def guard(*args, **kwargs):
            numbers = [a for a in list(args[1:]) + list(kwargs.values()) if isinstance(a, int) and not isinstance(a, bool)]
            if any(abs(n) > MAX_WIDTH for n in numbers):
                raise SecurityError(f"模板中 {name} 的参数过大（超过 {MAX_WIDTH}）")
            return original(*args, **kwargs)

        guard.jinja_pass_arg = getattr(original, "jinja_pass_arg", None)  # keep @pass_environment etc.
        return guard

    for name in ("center", "indent", "wordwrap", "truncate", "batch", "slice", "round", "filesizeformat"):
        if name in env.filters:
            env.filters[name] = bounded(name)
    original_format = env.filters["format"]

    def format_guard(value, *args, **kwargs):
        if width.search(str(value)):
            raise SecurityError(f"模板中的格式宽度过大（超过 {MAX_WIDTH}）")
        return original_format(value, *args, **kwargs)

    env.filters["format"] = format_guard
    return env


def markdown_env(workspace_root: Path | None):
    env = sandbox(_Loader(search_path(workspace_root)))
    env.filters.update(cell=md_cell, text=md_text, pct=_pct, md_table=md_table, md_items=md_items)
    return env


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """The template line a runtime error happened on (Jinja maps its frames back to them)."""
    line = getattr(exc, "lineno", None)
    if line:
        return line
    tb = exc.__traceback__
    found = None
    while tb is not None:
        code = tb.tb_frame.f_code.co_filename
        if filename and (code == filename or code == "<template>"):
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def template_error(name: str, exc: BaseException, filename: str | None = None):
    """A template mistake as a message for the person who edited the template (exit 2)."""
    from anquan_cli.problems import AnquanError

    where = Path(getattr(exc, "filename", None) or filename or name).name
    line = _template_line(exc, getattr(exc, "filename", None) or filename or "<template>")
    return AnquanError(f"报告模板 {where}{f'（第 {line} 行）' if line else ''}有误：{exc}"
                       "（模板中只能使用报告提供的字段，见 docs/reports.md“报告模板”）")


def run_bounded(name: str, render, filename: str | None = None):
    """``render()`` within the template time limit; any failure inside the template (a
    mistake, a sandbox refusal, a limit) becomes :func:`template_error`."""
    import _thread
    import threading

    fired = threading.Event()

    def stop():
        fired.set()
        _thread.interrupt_main()

    timer = threading.Timer(template_seconds(), stop)
    timer.daemon = True
    timer.start()
    try:
        return render()
    except KeyboardInterrupt as exc:
        if not fired.is_set():
            raise
        from anquan_cli.problems import AnquanError

        raise AnquanError(f"报告模板 {Path(filename or name).name} 运行超过 {template_seconds():g} 秒，已停止"
                          "（模板中可能有过大的循环；可设 ANQUAN_TEMPLATE_SECONDS 调整时限）") from exc
    except Exception as exc:  # a mistake or a refusal inside the template, never a crash
        raise template_error(name, exc, filename) from None
    finally:
        timer.cancel()


#: the largest rendered text kept (a report is kilobytes; a runaway loop is stopped here)
MAX_OUTPUT = 50_000_000


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value, where: str = "context"):
    """``value`` checked to be plain data (dicts, lists, text, numbers; dates become ISO text,
    in place): nothing callable or with methods reaches a template, whatever a future change
    puts in a context.  Walked iteratively — a province's context holds millions of values."""
    import datetime as dt
    from itertools import chain

    def fix(v, at):
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        if getattr(v, "template_safe", False):
            return v
        raise TypeError(f"report context {at} holds a {type(v).__name__}, not plain data")

    if type(value) in _SCALARS:
        return value
    if not isinstance(value, (dict, list)):
        return fix(value, where)
    stack = [(value, where)]
    scalars = _SCALARS.issuperset
    while stack:
        node, at = stack.pop()
        is_dict = isinstance(node, dict)
        if scalars(map(type, node.values() if isinstance(node, dict) else node)):
            continue  # nearly every node (a row of a table): nothing to walk into
        if not is_dict and {type(x) for x in node} == {dict} and scalars(
                map(type, chain.from_iterable(map(dict.values, node)))):
            continue  # a table: rows of plain values, seen in one pass
        # a value replaced in place (a tuple as a list, a date as text) keeps the dict's size
        for k, v in (node.items() if isinstance(node, dict) else enumerate(node)):
            if type(v) in _SCALARS:
                continue
            if isinstance(v, (dict, list)):
                stack.append((v, at))
            elif isinstance(v, tuple):
                node[k] = list(v)
                stack.append((node[k], at))
            else:
                node[k] = fix(v, f"{at}.{k}" if is_dict else f"{at}[{k}]")
    return value


#: the numbered sections each Markdown report has before the optional ones (``more``)
MD_SECTIONS = {"weekly": 5, "monthly": 6, "quarterly": 9, "annual": 9}


def with_prose(kind: str, context: dict, sections: list[dict]) -> dict:
    """The report context with the office's prose (:func:`anquan_cli.prose.read_prose`) numbered
    after the Markdown report's own sections."""
    from anquan_cli.prose import numbered

    return {**context, "prose": numbered(sections, MD_SECTIONS.get(kind, 0) + len(context.get("more") or {}))}


def render_markdown(name: str, context: dict, workspace_root: Path | None) -> str:
    """Render one Markdown template; runs of blank lines left by macros are folded to one."""
    env = markdown_env(workspace_root)
    data = plain(context)

    def render():
        template = env.get_template(name)
        out, size = [], 0
        for chunk in template.generate(**data):
            size += len(chunk)
            if size > MAX_OUTPUT:
                from jinja2.exceptions import SecurityError

                raise SecurityError(f"模板输出超过 {MAX_OUTPUT // 1_000_000} MB，已停止")
            out.append(chunk)
        return "".join(out), template.filename

    text, _ = run_bounded(name, render, _filename_of(env, name))
    return fold_blank_lines(text)


def fold_blank_lines(text: str) -> str:
    """Runs of blank lines folded to one (``\\n{3,}`` → ``\\n\\n``), found by plain search: a
    province's report is megabytes with a few dozen such runs."""
    out: list[str] = []
    at = 0
    while (j := text.find("\n\n\n", at)) >= 0:
        k = j + 3
        while k < len(text) and text[k] == "\n":
            k += 1
        out += (text[at:j], "\n\n")
        at = k
    if not out:
        return text
    out.append(text[at:])
    return "".join(out)


def _filename_of(env, name: str) -> str | None:
    try:
        return env.loader.get_source(env, name)[1]
    except Exception:
        return None

"""Report templates: found in the workspace's own ``templates/`` first, then in the ones
shipped with anquan (file by file, so an office overrides only what it restyles).

Templates render in a sandboxed Jinja environment with StrictUndefined: a misspelt name is
an error, not a blank.  Record text only ever arrives as data in the context; it is never
compiled as a template, so "{{ … }}" typed into a hazard title is printed as written.
"""

from __future__ import annotations

import re
from pathlib import Path

import anquan_cli

__all__ = ["packaged_dir", "search_path", "find", "markdown_env", "render_markdown", "template_error",
           "md_cell", "md_text"]


def packaged_dir() -> Path:
    """The templates shipped with anquan: inside the installed package, or the repository's
    top-level ``templates/`` when running from a checkout."""
    inside = Path(anquan_cli.__file__).parent / "templates"
    if inside.is_dir():
        return inside
    return Path(anquan_cli.__file__).resolve().parents[2] / "templates"


def search_path(workspace_root: Path | None) -> list[Path]:
    dirs = []
    if workspace_root is not None and (workspace_root / "templates").is_dir():
        dirs.append(workspace_root / "templates")
    dirs.append(packaged_dir())
    return dirs


def find(name: str, workspace_root: Path | None) -> Path:
    for d in search_path(workspace_root):
        if (d / name).is_file():
            return d / name
    from anquan_cli.problems import AnquanError

    raise AnquanError(f"找不到报告模板 {name}（查找位置：{'、'.join(str(d) for d in search_path(workspace_root))}）")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md_text(value) -> str:
    """Record text as literal Markdown paragraph text: specials escaped, HTML neutralised,
    line breaks kept as breaks."""
    if value is None:
        return ""
    s = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return re.sub(r"\r\n|\r|\n", "<br>", s)


def md_cell(value) -> str:
    """Record text inside a Markdown table cell: as :func:`md_text`, so ``|`` and line
    breaks cannot break the table; empty cells show as —."""
    s = md_text(value)
    return s if s.strip() else "—"


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def markdown_env(workspace_root: Path | None):
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader([str(d) for d in search_path(workspace_root)]),
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True)
    env.filters.update(cell=md_cell, text=md_text, pct=_pct)
    return env


def template_error(name: str, exc: Exception):
    """A template mistake as a message for the person who edited the template."""
    from anquan_cli.problems import AnquanError

    where = getattr(exc, "filename", None) or name
    line = getattr(exc, "lineno", None)
    return AnquanError(f"报告模板 {where}{f'（第 {line} 行）' if line else ''}有误：{exc}"
                       "（模板中只能使用报告提供的字段，见 README“报告模板”）")


def render_markdown(name: str, context: dict, workspace_root: Path | None) -> str:
    """Render one Markdown template; runs of blank lines left by macros are folded to one."""
    from jinja2 import TemplateError

    try:
        text = markdown_env(workspace_root).get_template(name).render(**context)
    except TemplateError as exc:
        raise template_error(name, exc) from None
    return re.sub(r"\n{3,}", "\n\n", text)

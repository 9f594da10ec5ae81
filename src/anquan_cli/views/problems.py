"""Problems as compiler-style lines (``path:line: 错误 [code] message``) or as JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

from anquan_cli.problems import Problem, Severity

__all__ = ["display_path", "problem_lines", "summary_line", "problems_json"]


def display_path(root: Path, rel: str, cwd: Path | None = None) -> str:
    """The path as a person would type it from where they stand: relative to the current
    directory when the workspace is below it, else absolute."""
    full = root / rel
    cwd = Path.cwd() if cwd is None else cwd
    try:
        return full.relative_to(cwd).as_posix()
    except ValueError:
        return os.fspath(full)


def problem_lines(problems: list[Problem], root: Path, cwd: Path | None = None) -> list[str]:
    cwd = Path.cwd() if cwd is None else cwd
    shown: dict[str, str] = {}  # a workspace of thousands of problems names a few hundred files
    lines = []
    for p in problems:
        where = shown.get(p.path)
        if where is None:
            where = shown[p.path] = display_path(root, p.path, cwd)
        if p.line:
            where += f":{p.line}"
        text = f"{where}: {p.severity.label} [{p.code}] {p.message}"
        if p.hint:
            text += f"（{p.hint}）"
        lines.append(text)
    return lines


def summary_line(problems: list[Problem], files: int, records: int) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    if not problems:
        return f"检查通过：{files} 个文件、{records} 条记录，没有发现问题。"
    return f"检查了 {files} 个文件、{records} 条记录：{errors} 个错误，{warnings} 个警告。"


def problems_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_json() for p in problems], ensure_ascii=False, indent=2)

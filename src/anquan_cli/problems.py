"""Problems found in the data, returned as values (never raised, never printed here).

Every stage of loading and checking returns a list of :class:`Problem`; the command that
asked decides how to show them and which exit code they mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Severity", "Problem", "AnquanError", "UsageError", "EditRefused", "error", "warning", "exit_code",
           "problem_line", "failure"]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in one place.

    ``path`` is relative to the workspace root with ``/`` separators; ``line`` is 1-based
    (0 when the problem concerns a whole file or folder).  ``code`` is a stable English
    identifier scripts can filter on; ``message`` and ``hint`` are Chinese, for people.
    """

    path: str
    line: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.severity is not Severity.ERROR, self.code, self.message, self.hint)

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def error(path: str, line: int, code: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, Severity.ERROR, code, message, hint)


def warning(path: str, line: int, code: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, Severity.WARNING, code, message, hint)


def exit_code(problems: list[Problem], strict: bool = False) -> int:
    """0 when clean, 1 when there are errors (or warnings under ``--strict``)."""
    if any(p.severity is Severity.ERROR for p in problems):
        return 1
    if strict and problems:
        return 1
    return 0


class AnquanError(Exception):
    """A condition that stops a command (exit code 2), with a message for the user."""

    exit_code = 2


class UsageError(AnquanError):
    """Bad command-line input or an unusable workspace."""


class EditRefused(AnquanError):
    """An edit would write records ``anquan check`` rejects; nothing was written (exit 1)."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"修改后的记录有 {len(problems)} 处错误，本次没有写入任何文件")


def problem_line(p: Problem, with_line: bool = True) -> str:
    """One problem as the commands print it: ``path:line: 级别 [code] message（hint）`` (the
    line left out when it is 0 and ``with_line`` is false)."""
    where = f"{p.path}:{p.line}" if p.line or with_line else p.path
    return f"{where}: {p.severity.label} [{p.code}] {p.message}" + (f"（{p.hint}）" if p.hint else "")


def failure(exc: BaseException) -> tuple[list[str], int] | None:
    """What the user is told on stderr when a command stops with ``exc``, and the exit code;
    None for an exception that is a program error (a crash log is written instead)."""
    if isinstance(exc, EditRefused):
        lines = [problem_line(p, with_line=False) for p in exc.problems]
        return lines + [f"anquan: {exc}（先改正上面的问题；anquan check 可查看整个工作区）"], exc.exit_code
    if isinstance(exc, AnquanError):
        return [f"anquan: {exc}"], exc.exit_code
    if isinstance(exc, OSError) and exc.filename is not None:
        # a folder that does not exist, no permission, a full disk: the user can act on it
        return [f"anquan: 无法读写 {exc.filename}：{exc.strerror or exc}（检查路径是否存在、是否有权限、磁盘是否已满）"], 2
    return None


"""Problems found in the data, returned as values (never raised, never printed here).

Every stage of loading and checking returns a list of :class:`Problem`; the command that
asked decides how to show them and which exit code they mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Severity", "Problem", "AnquanError", "UsageError", "EditRefused", "error", "warning", "exit_code"]


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

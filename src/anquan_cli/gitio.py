"""Every call to git goes through this module."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

__all__ = ["user_name", "revision"]


def _git(args: list[str], cwd: Path) -> str | None:
    if shutil.which("git") is None:
        return None
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def user_name(cwd: Path) -> str | None:
    """``git config user.name`` as seen from ``cwd`` (None when git or the setting is absent)."""
    return _git(["config", "user.name"], cwd) or None


def revision(path: Path) -> tuple[str, bool] | None:
    """``(short commit, has uncommitted changes under path)`` of the repository holding
    ``path``; None when it is not in a git repository (or git is absent)."""
    top = _git(["rev-parse", "--show-toplevel"], path)
    if not top:
        return None
    commit = _git(["rev-parse", "--short", "HEAD"], path)
    if not commit:
        return ("（尚无提交）", True)
    status = _git(["status", "--porcelain", "--", "."], path)
    return commit, bool(status)

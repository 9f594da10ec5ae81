"""Every call to git goes through this module."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

__all__ = ["user_name", "revision", "toplevel", "resolve", "tree_files", "read_blobs", "commits_touching", "set_config",
           "available", "init"]


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
    # anquan's own state (cache, reminder log) is never data, whether or not it is ignored yet
    status = _git(["status", "--porcelain", "--", ".", ":(exclude,glob)**/.anquan/**"], path)
    return commit, bool(status)


def toplevel(path: Path) -> Path | None:
    """The root of the git work tree holding ``path`` (None outside a repository)."""
    top = _git(["rev-parse", "--show-toplevel"], path)
    return Path(top) if top else None


def resolve(path: Path, rev: str) -> str | None:
    """The full commit id ``rev`` names, or None when it names no commit."""
    return _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], path)


def tree_files(path: Path, rev: str) -> dict[str, str]:
    """Files under ``path`` at ``rev``: path relative to ``path`` → blob id."""
    top = toplevel(path)
    if top is None:
        return {}
    prefix = path.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    out = subprocess.run(["git", "ls-tree", "-r", "-z", rev, "--", prefix or "."], cwd=top,
                         capture_output=True, check=False)
    files = {}
    for entry in out.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        kind, blob = meta.split()[1:3]
        rel = name.decode("utf-8", "surrogateescape")
        if kind == b"blob" and rel.startswith(prefix):
            files[rel[len(prefix):]] = blob.decode()
    return files


def read_blobs(path: Path, blobs: list[str]) -> dict[str, bytes]:
    """The contents of many blobs in one ``git cat-file --batch`` call."""
    if not blobs:
        return {}
    proc = subprocess.run(["git", "cat-file", "--batch"], cwd=path, input="\n".join(blobs).encode() + b"\n",
                          capture_output=True, check=True)
    data, out, pos = proc.stdout, {}, 0
    for blob in blobs:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        size = int(header[2])
        out[blob] = data[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
    return out


def commits_touching(path: Path, rel_paths: list[str]) -> list[dict]:
    """Commits (newest first) that changed any of ``rel_paths`` under ``path``: hash, parent,
    author, date, subject."""
    top = toplevel(path)
    if top is None:
        return []
    out = subprocess.run(["git", "log", "--format=%H%x1f%P%x1f%an%x1f%ad%x1f%s", "--date=short", "--", *rel_paths],
                         cwd=path, capture_output=True, text=True, check=False)
    commits = []
    for line in out.stdout.splitlines():
        h, parents, author, date, subject = line.split("\x1f")
        commits.append({"commit": h, "parent": parents.split()[0] if parents else None, "author": author,
                        "date": date, "subject": subject})
    return commits


def set_config(path: Path, key: str, value: str) -> bool:
    """``git config key value`` in the repository holding ``path`` (this clone only)."""
    return _git(["config", key, value], path) is not None


def available() -> bool:
    """Whether a git program is on the PATH."""
    return shutil.which("git") is not None


def init(path: Path) -> bool:
    """``git init`` in ``path`` (a new repository; False when git failed or is absent)."""
    return _git(["init", "-q"], path) is not None

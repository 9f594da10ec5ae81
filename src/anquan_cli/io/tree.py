"""Where a workspace's files are read from: the folder on disk, or a git revision (read
through git, without touching the working tree)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

__all__ = ["FsTree", "GitTree", "MemTree", "OverlayTree"]


def _wanted(rel: str, folder: str, recursive: bool) -> bool:
    parts = PurePosixPath(rel).parts
    base = PurePosixPath(folder).parts
    if parts[:len(base)] != base or len(parts) <= len(base):
        return False
    if any(p.startswith(".") for p in parts):
        return False
    return recursive or len(parts) == len(base) + 1


class FsTree:
    """The workspace folder as it is on disk.

    Nothing is silently skipped: a record folder that cannot be listed, a path of the wrong
    type, a dangling link or a link that leads out of the workspace raises ``OSError`` naming
    the path, so a command never answers from a workspace that only looks empty."""

    revision = None

    def __init__(self, root: Path):
        self.root = root
        self._real_root = os.path.realpath(root)

    def _inside(self, path: Path) -> bool:
        real = os.path.realpath(path)
        return real == self._real_root or real.startswith(self._real_root + os.sep)

    def exists(self, rel: str) -> bool:
        """Whether anything is at ``rel`` (a folder or a dangling link there is reported when read)."""
        return os.path.lexists(self.root / rel)

    def read(self, rel: str) -> bytes:
        path = self.root / rel
        if path.is_symlink() and not self._inside(path):
            raise PermissionError(errno.EACCES, "链接指向工作区之外，不予读取", rel)
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "这里应是文件，却是文件夹", rel)
        return path.read_bytes()

    def stat(self, rel: str) -> os.stat_result:
        """The stat of the file :meth:`read` would read, refused as it refuses."""
        path = self.root / rel
        if path.is_symlink() and not self._inside(path):
            raise PermissionError(errno.EACCES, "链接指向工作区之外，不予读取", rel)
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "这里应是文件，却是文件夹", rel)
        return st

    def files(self, folder: str, recursive: bool) -> list[str]:
        base = self.root / folder
        if not os.path.lexists(base):
            return []
        if not base.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "这里应是文件夹，却是文件", folder)
        found: list[str] = []
        self._walk(base, folder, recursive, found)
        return sorted(r for r in found if _wanted(r, folder, recursive))

    def _walk(self, path: Path, rel: str, recursive: bool, found: list[str]) -> None:
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, rel) from None
        for entry in entries:
            child = f"{rel}/{entry.name}"
            if entry.name.startswith("."):
                continue  # anquan's own and editors' hidden files are never records
            if entry.is_symlink() and not self._inside(Path(entry.path)):
                raise PermissionError(errno.EACCES, "链接指向工作区之外，不予读取", child)
            if entry.is_dir():
                if recursive:
                    self._walk(Path(entry.path), child, recursive, found)
            elif entry.is_file():
                found.append(child)
            elif entry.is_symlink():
                raise FileNotFoundError(errno.ENOENT, "链接指向的文件不存在", child)
            else:  # a pipe, a socket, a device: nothing a ledger is kept in
                raise PermissionError(errno.EACCES, "不是普通文件，不予读取", child)


class GitTree:
    """The workspace as it was at one commit: every blob is read in one batch."""

    def __init__(self, root: Path, rev: str):
        from anquan_cli import gitio
        from anquan_cli.problems import UsageError

        if gitio.toplevel(root) is None:
            raise UsageError(f"{root} 不在 git 仓库中：--as-of 等需要历史的功能要求工作区由 git 管理")
        commit = gitio.resolve(root, rev)
        if commit is None:
            raise UsageError(f"git 中没有版本“{rev}”（可用提交号、分支名、标签或 HEAD~1 这类写法）")
        self.root, self.revision = root, commit
        self._blobs = gitio.tree_files(root, commit)
        self._data = gitio.read_blobs(root, sorted(set(self._blobs.values())))

    def exists(self, rel: str) -> bool:
        return rel in self._blobs

    def read(self, rel: str) -> bytes:
        return self._data[self._blobs[rel]]

    def files(self, folder: str, recursive: bool) -> list[str]:
        return sorted(r for r in self._blobs if _wanted(r, folder, recursive))


class MemTree:
    """Files held in memory (the three versions a merge driver is given)."""

    revision = None

    def __init__(self, files: dict[str, bytes]):
        self._files = files

    def exists(self, rel: str) -> bool:
        return rel in self._files

    def read(self, rel: str) -> bytes:
        return self._files[rel]

    def files(self, folder: str, recursive: bool) -> list[str]:
        return sorted(r for r in self._files if _wanted(r, folder, recursive))


class OverlayTree:
    """A tree with some files replaced (the workspace as an edit would leave it)."""

    def __init__(self, base, files: dict[str, bytes]):
        self.base, self._files = base, files
        self.revision = base.revision

    def exists(self, rel: str) -> bool:
        return rel in self._files or self.base.exists(rel)

    def read(self, rel: str) -> bytes:
        return self._files[rel] if rel in self._files else self.base.read(rel)

    def files(self, folder: str, recursive: bool) -> list[str]:
        extra = [r for r in self._files if _wanted(r, folder, recursive)]
        return sorted(set(self.base.files(folder, recursive)) | set(extra))

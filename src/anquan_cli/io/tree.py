"""Where a workspace's files are read from: the folder on disk, or a git revision (read
through git, without touching the working tree)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

__all__ = ["FsTree", "GitTree", "MemTree"]


def _wanted(rel: str, folder: str, recursive: bool) -> bool:
    parts = PurePosixPath(rel).parts
    base = PurePosixPath(folder).parts
    if parts[:len(base)] != base or len(parts) <= len(base):
        return False
    if any(p.startswith(".") for p in parts):
        return False
    return recursive or len(parts) == len(base) + 1


class FsTree:
    """The workspace folder as it is on disk."""

    revision = None

    def __init__(self, root: Path):
        self.root = root

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def files(self, folder: str, recursive: bool) -> list[str]:
        base = self.root / folder
        if not base.is_dir():
            return []
        found = base.rglob("*") if recursive else base.iterdir()
        rels = (p.relative_to(self.root).as_posix() for p in found if p.is_file())
        return sorted(r for r in rels if _wanted(r, folder, recursive))


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

"""Write a file so that it is always either the old or the new content, never half of each.

The data goes to a temporary file next to the target (same folder, so the rename cannot
cross file systems), is flushed to disk, then renamed over the target.  A crash, a kill or a
full disk at any moment leaves the old file; the temporary file is removed on every failure
path, and error messages name the target, never the temporary file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "TEMP_MARK", "remove_stale_temps"]

#: every temporary file anquan creates carries this in its name (``.ledger.yaml.anquan-x1y2.tmp``)
TEMP_MARK = ".anquan-"


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically.  A symbolic link is followed: its target
    is replaced and the link stays a link.  The file keeps its permissions; a new file gets
    the ones the user's umask gives."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    if not folder.is_dir():  # name the folder, not the temporary file inside it
        raise FileNotFoundError(errno.ENOENT, "文件夹不存在", str(folder))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}{TEMP_MARK}", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
    _fsync_dir(folder)


def remove_stale_temps(path: Path) -> None:
    """Remove temporary files a killed anquan left next to ``path`` (call only while holding
    the workspace lock, when no other anquan can be writing them)."""
    folder = Path(path).parent
    prefix = f".{Path(path).name}{TEMP_MARK}"
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(".tmp"):
            try:
                os.unlink(folder / name)
            except OSError:
                pass

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_write", "atomic_create", "replacing", "replacing_folder", "TEMP_MARK", "remove_stale_temps"]

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
    with replacing(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)


def atomic_create(path: Path, data: bytes) -> None:
    """Create ``path`` holding ``data``, all of it or nothing, and never over a file that is
    there: the data is written and flushed to a temporary file next to it, which is then
    linked in under the new name — the link fails (``FileExistsError`` naming ``path``) when
    anything already has that name, also one created a moment ago by another program.  (On
    Windows the rename itself refuses an existing name.)"""
    path = Path(path)
    if path.parent.is_dir() and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "文件已存在", str(path))
    with _beside(path) as tmp:
        tmp.write_bytes(data)
        _fsync_file(tmp)
        _new_file_mode(tmp)
        if os.name == "nt":
            os.rename(tmp, path)  # refuses an existing target
        else:
            try:
                os.link(tmp, path)  # refuses an existing target, whatever it is
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK) or os.path.lexists(path):
                    raise
                os.rename(tmp, path)  # a file system without hard links: checked just before
            else:
                os.unlink(tmp)


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """``with replacing(path) as tmp:`` — write the new content to ``tmp`` (an empty file
    next to ``path``); when the block ends it is flushed to disk and renamed over ``path``.
    An exception in the block removes ``tmp`` and leaves ``path`` as it was; errors name
    ``path``, never the temporary file.  Permissions and symbolic links as :func:`atomic_write`."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    with _beside(target) as tmp:
        yield tmp
        _fsync_file(tmp)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            _new_file_mode(tmp)
        os.replace(tmp, target)


@contextmanager
def _beside(target: Path) -> Iterator[Path]:
    """An empty temporary file in ``target``'s folder for the block to fill and move into
    place; removed when the block fails (when it is still there).  Errors name ``target``
    (or its missing folder), never the temporary file; the folder is flushed afterwards."""
    folder = target.parent
    if not folder.is_dir():  # name the folder, not the temporary file inside it
        raise FileNotFoundError(errno.ENOENT, "文件夹不存在", str(folder))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}{TEMP_MARK}", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise type(exc)(exc.errno, exc.strerror, str(target)) from None
        raise
    _fsync_dir(folder)


def _new_file_mode(tmp: Path) -> None:
    """The permissions a new file gets from the user's umask (mkstemp makes it 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def replacing_folder(path: Path, names: set[str], marker: str) -> Iterator[Path]:
    """``with replacing_folder(path, names, marker) as tmp:`` — fill ``tmp`` (an empty folder
    next to ``path``); when the block ends its files are flushed and the folder takes the
    place of ``path``.  ``path`` may be missing, an empty folder, or a folder this writes
    (holding ``marker`` and nothing but ``names``); anything else is refused before a byte is
    written, so a folder of the user's own is never replaced.  An exception in the block
    removes ``tmp`` and leaves ``path`` as it was."""
    import shutil

    from anquan_cli.problems import UsageError

    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    parent = target.parent
    if not parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "文件夹不存在", str(parent))
    exists = os.path.lexists(target)
    if exists:
        if not target.is_dir():
            raise UsageError(f"{path} 已存在且不是文件夹：Parquet 导出写到一个文件夹（-o 写文件夹名）")
        entries = set(os.listdir(target))
        if entries and (marker not in entries or entries - names):
            odd = sorted(entries - names) or sorted(entries)
            raise UsageError(f"{path} 不是空文件夹，也不是 anquan 导出的文件夹（其中有 {'、'.join(odd[:3])}），"
                             "没有覆盖；请换一个文件夹名，或先清空它")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{TEMP_MARK}", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    try:
        yield tmp
        for name in os.listdir(tmp):
            _fsync_file(tmp / name)
        _fsync_dir(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, (target.stat().st_mode & 0o7777) if exists else 0o777 & ~umask)
        if exists:
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}{TEMP_MARK}old-", suffix=".tmp", dir=parent))
            os.rmdir(old)  # a name of our own (a folder is renamed only to a free name on Windows)
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except BaseException:
                os.replace(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
    _fsync_dir(parent)


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

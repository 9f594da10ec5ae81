"""An edit session: the one path every write into workspace files takes.

    with EditSession(root, today) as s:        # 1. lock the workspace, 2. load it under the lock
        text = s.text("hazards/2023/a.yaml")   # 3. the file as it is now (stale check)
        s.stage(rel, new_text)                 # 4. what the edit would write
        s.commit()                             # 5. validate, then stale check + atomic write

Loading under the lock means two edits never both start from the same old file: the second
waits (a few seconds, then a refusal naming the holder) and then sees the first one's work.
A file changed by something other than anquan between reading and writing (an editor, a
``git checkout``) is refused, not overwritten.  Nothing is written unless every staged file
passes :func:`anquan_cli.edit.validate.new_problems`, and then each file is replaced
atomically.  Links are followed to their target inside the workspace (the link stays), links
out of the workspace and read-only files are refused.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from anquan_cli.io.atomic import atomic_write, remove_stale_temps
from anquan_cli.io.decode import Decoded, DecodeError, decode
from anquan_cli.problems import AnquanError, EditRefused, Problem
from anquan_cli.workspace import Workspace, digest, load_workspace, require_usable

__all__ = ["EditSession", "EditRefused", "StaleFileError", "FileText", "encode", "check_target"]


class StaleFileError(AnquanError):
    """The file changed between reading and writing."""


@dataclass
class FileText:
    rel: str
    raw: bytes | None     # None: the file does not exist yet
    decoded: Decoded

    @property
    def text(self) -> str:
        return self.decoded.text


def encode(text: str, decoded: Decoded) -> bytes:
    """``text`` in the encoding (and BOM) the file was read with."""
    data = text.encode(decoded.encoding)
    if decoded.bom:
        bom = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(decoded.encoding, b"")
        data = bom + data
    return data


def check_target(root: Path, rel: str) -> Path:
    """The real file an edit of ``rel`` writes: refused when ``rel`` leaves the workspace,
    is a link to outside it, is not a regular file, or is read-only."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise AnquanError(f"{rel} 不在工作区之内，不能写入")
    path = root / rel
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if not (real == real_root or real.startswith(real_root + os.sep)):
        raise AnquanError(f"{rel} 是指向工作区之外（{real}）的链接，anquan 不会写入工作区之外的文件")
    if os.path.lexists(path):
        try:
            st = os.stat(real)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, rel) from None
        if not stat.S_ISREG(st.st_mode):
            raise AnquanError(f"{rel} 不是普通文件，不能写入")
        if not st.st_mode & 0o222:
            raise AnquanError(f"{rel} 是只读文件，anquan 不会改动它（如确需修改，先去掉只读属性）")
    return Path(real)


class EditSession:
    def __init__(self, root: Path, today: dt.date, load: bool = True, hazard: str | None = None):
        from anquan_cli.edit.lock import WorkspaceLock

        self.root = Path(root)
        self.today = today
        self._load = load
        #: an edit of this one hazard (its id): only the files that may hold it are read as records
        self._hazard = hazard
        self._locks = {os.path.realpath(self.root): WorkspaceLock(self.root)}
        self._read: dict[str, FileText] = {}
        self._staged: dict[str, str] = {}
        self._unchecked: set[str] = set()
        self.ws: Workspace | None = None
        #: new warnings the committed files brought (for the command to show)
        self.warnings: list[Problem] = []

    # -- the lock and the workspace

    def __enter__(self) -> "EditSession":
        next(iter(self._locks.values())).acquire()
        try:
            if self._load:
                if self._hazard is not None:
                    from anquan_cli.workspace import load_for_hazard

                    self.ws, problems = load_for_hazard(self.root, self._hazard)
                else:
                    self.ws, problems = load_workspace(self.root)
                require_usable(problems)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._release()

    def _release(self) -> None:
        for lock in reversed(list(self._locks.values())):
            lock.release()

    def _lock_owner(self, rel: str) -> None:
        """Also lock the included workspace a file belongs to (a roll-up editing a township's file)."""
        if self.ws is None:
            return
        owner, _, _ = self.ws.owner_of(rel)
        key = os.path.realpath(owner)
        if key not in self._locks:
            from anquan_cli.edit.lock import WorkspaceLock

            lock = WorkspaceLock(owner)
            lock.acquire()
            self._locks[key] = lock

    # -- reading and staging

    def text(self, rel: str, new_file_encoding: str = "utf-8", new_file_bom: bool = False) -> FileText:
        """The file's text as it is now; refused when it differs from what was loaded."""
        if rel in self._read:
            ft = self._read[rel]
            if rel in self._staged:
                return FileText(rel, ft.raw, Decoded(self._staged[rel], ft.decoded.encoding, ft.decoded.bom))
            return ft
        self._lock_owner(rel)
        path = check_target(self.root, rel)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            if self.ws is not None and rel in self.ws.digests:
                raise StaleFileError(f"{rel} 在读取之后被删除或改名，本次未写入；请重新运行命令") from None
            ft = FileText(rel, None, Decoded("", new_file_encoding, new_file_bom))
            self._read[rel] = ft
            return ft
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, rel) from None
        if self.ws is not None and self.ws.digests.get(rel) not in (None, digest(raw)):
            raise StaleFileError(f"{rel} 在读取之后被修改过，为免覆盖别人的修改，本次未写入；请重新运行命令")
        try:
            decoded = decode(raw)
        except DecodeError as exc:
            raise AnquanError(f"{rel}：{exc}") from None
        ft = FileText(rel, raw, decoded)
        self._read[rel] = ft
        return ft

    def record_starts(self, rel: str) -> list[int] | None:
        """Where the records of ``rel`` start, as the record cache keeps them for the content
        read (None when it does not know, or the file was not read unchanged)."""
        ft = self._read.get(rel)
        if self.ws is None or ft is None or ft.raw is None or rel in self._staged \
                or self.ws.digests.get(rel) != digest(ft.raw):
            return None
        from anquan_cli.workspace import kept_starts

        return kept_starts(self.ws, rel)

    def stage(self, rel: str, text: str, record: bool = True) -> None:
        """What ``rel`` is to hold; ``record=False`` for a file that is not part of the
        workspace's records (an import's drafts), written without validation."""
        if rel not in self._read:
            self.text(rel)
        self._staged[rel] = text
        if not record:
            self._unchecked.add(rel)

    def discard(self) -> None:
        """Forget everything staged (the files as read stay known)."""
        self._staged.clear()
        self._unchecked.clear()

    @property
    def staged(self) -> dict[str, str]:
        return dict(self._staged)

    # -- writing

    def staged_bytes(self, rel: str) -> bytes:
        return encode(self._staged[rel], self._read[rel].decoded)

    def original(self, rel: str) -> bytes | None:
        return self._read[rel].raw

    def _bytes(self) -> dict[str, bytes]:
        return {rel: encode(text, self._read[rel].decoded) for rel, text in self._staged.items()}

    def validate(self) -> list[Problem]:
        """Errors the staged files would bring (empty when they may be written)."""
        from anquan_cli.edit.validate import new_problems

        if self.ws is None or not self._staged:
            return []
        new = {rel: data for rel, data in self._bytes().items() if rel not in self._unchecked}
        if not new:
            return []
        old = {rel: self._read[rel].raw for rel in new}
        errors, self.warnings = new_problems(self.ws, old, new, self.today)
        return errors

    def commit(self, validate: bool = True) -> list[str]:
        """Validate, then write every staged file; returns the paths written."""
        if validate:
            errors = self.validate()
            if errors:
                raise EditRefused(errors)
        written: list[str] = []
        for rel, data in self._bytes().items():
            ft = self._read[rel]
            path = check_target(self.root, rel)
            try:
                now = path.read_bytes()
            except FileNotFoundError:
                now = None
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, rel) from None
            if now != ft.raw:
                raise StaleFileError(f"{rel} 在读取之后被修改过，为免覆盖别人的修改，本次未写入"
                                     + ("（此前的文件已写入：" + "、".join(written) + "）" if written else "")
                                     + "；请重新运行命令")
            if ft.raw is None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise OSError(exc.errno, exc.strerror, str(PurePosixPath(rel).parent)) from None
            remove_stale_temps(path)
            try:
                atomic_write(path, data)
            except OSError as exc:
                raise OSError(exc.errno or errno.EIO, exc.strerror, rel) from None
            if self.ws is not None:
                self.ws.digests[rel] = digest(data)
            self._read[rel] = FileText(rel, data, self._read[rel].decoded)
            written.append(rel)
        self._staged.clear()
        self._unchecked.clear()
        return written

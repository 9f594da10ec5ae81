"""The workspace lock: one writer at a time, from reading the files to the last rename.

An operating-system file lock (``flock`` on Linux and macOS, through ``filelock``'s
``msvcrt`` lock on Windows) on ``<workspace>/.anquan/lock``.  The system releases it when the holder exits,
however it exits (a killed process leaves no stale lock).  Next to it the holder leaves a
note of who it is, so a second edit that gives up waiting can say who holds the workspace.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sys
from pathlib import Path

from anquan_cli.problems import AnquanError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for it
if TYPE_CHECKING:
    from filelock import BaseFileLock

__all__ = ["WorkspaceLock", "LockTimeout", "lock_timeout"]

DEFAULT_TIMEOUT = 10.0


class LockTimeout(AnquanError):
    """Another anquan kept the workspace locked for longer than we wait."""


def lock_timeout() -> float:
    """Seconds to wait for the lock: ``ANQUAN_LOCK_TIMEOUT`` or 10."""
    raw = os.environ.get("ANQUAN_LOCK_TIMEOUT", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        value = DEFAULT_TIMEOUT
    return min(max(value, 0.0), 3600.0)


def _who() -> dict:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in some containers and services
        user = "?"
    command = " ".join(["anquan", *sys.argv[1:]])[:200]
    command = command.encode("utf-8", "backslashreplace").decode("utf-8")  # argv may hold undecodable bytes
    return {"pid": os.getpid(), "user": user, "host": socket.gethostname(), "command": command,
            "since": dt.datetime.now().isoformat(timespec="seconds")}


class _Flock:
    """``flock`` on an open file: held until released or until the process ends."""

    POLL = 0.05

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    @property
    def is_locked(self) -> bool:
        return self.fd is not None

    def acquire(self, timeout: float) -> bool:
        import fcntl
        import time

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(self.POLL)
                continue
            except BaseException:
                os.close(fd)
                raise
            self.fd = fd
            return True

    def release(self) -> None:
        import fcntl

        if self.fd is not None:
            fd, self.fd = self.fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)


class WorkspaceLock:
    """``with WorkspaceLock(root):`` — hold the lock of the workspace at ``root``."""

    def __init__(self, root: Path, timeout: float | None = None):
        self.folder = Path(root) / ".anquan"
        self.path = self.folder / "lock"
        self.note = self.folder / "lock.json"
        self.timeout = lock_timeout() if timeout is None else timeout
        self._lock: BaseFileLock | _Flock | None = None

    def acquire(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl  # noqa: F401  (POSIX)
        except ImportError:
            from filelock import FileLock, Timeout

            self._lock = FileLock(str(self.path), timeout=self.timeout, is_singleton=False)
            try:
                self._lock.acquire()
            except Timeout:
                raise LockTimeout(self._refusal()) from None
        else:
            self._lock = _Flock(self.path)
            if not self._lock.acquire(self.timeout):
                self._lock = None
                raise LockTimeout(self._refusal())
        try:
            self.note.write_text(json.dumps(_who(), ensure_ascii=False), encoding="utf-8")
        except (OSError, ValueError):
            pass  # the note is a courtesy; the lock itself is what protects the files

    def _refusal(self) -> str:
        try:
            who = json.loads(self.note.read_text(encoding="utf-8"))
            holder = (f"{who.get('command', 'anquan')}，{who.get('user', '?')}@{who.get('host', '?')}，"
                      f"进程 {who.get('pid', '?')}，始于 {who.get('since', '?')}")
        except (OSError, ValueError, AttributeError):
            holder = "另一个 anquan 进程"
        return (f"工作区正在被另一个 anquan 修改（{holder}）；已等待 {self.timeout:g} 秒，本次没有写入任何文件。"
                "请等它结束后重新运行（可设环境变量 ANQUAN_LOCK_TIMEOUT 加长等待秒数）")

    def release(self) -> None:
        if self._lock is not None and self._lock.is_locked:
            try:
                self.note.unlink()
            except OSError:
                pass
            self._lock.release()
        self._lock = None

    def __enter__(self) -> "WorkspaceLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

"""What reminders were sent (so a second run on the same day sends nothing new) and a log of
every attempt (so the office can prove reminders went out).  Both live in the state folder,
outside the tracked data; a lock keeps two cron runs from interleaving, and a damaged state
file is set aside rather than trusted."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

from anquan_cli.io.atomic import atomic_write

__all__ = ["State"]


class State:
    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / "remind-state.json"
        self.log_path = folder / "remind-log.jsonl"
        self.sent: dict[str, str] = {}
        self.note: str | None = None

    @contextlib.contextmanager
    def locked(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "remind.lock", "a+") as lock:
            try:
                import fcntl

                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            except ImportError:  # pragma: no cover - Windows: no advisory locks, runs are rare
                pass
            self._load()
            yield self

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.sent = {str(k): str(v) for k, v in data["sent"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            broken = self.path.with_suffix(".broken")
            self.path.replace(broken)
            self.note = f"提醒状态文件已损坏，已移到 {broken}，本次按未发送处理"
            self.sent = {}

    def was_sent(self, key: str) -> bool:
        return key in self.sent

    def mark(self, key: str, when: dt.datetime) -> None:
        self.sent[key] = when.isoformat(timespec="seconds")

    def save(self) -> None:
        atomic_write(self.path, json.dumps({"sent": self.sent}, ensure_ascii=False, indent=1).encode("utf-8"))

    def log(self, entry: dict) -> None:
        with open(self.log_path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

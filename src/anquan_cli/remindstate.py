"""What reminders were sent (so a second run on the same day sends nothing new) and a log of
every attempt (so the office can prove reminders went out).  Both live in the state folder,
outside the tracked data, and both are append-only journals written (and flushed to disk)
as each delivery ends, before the next one starts: a run killed halfway has recorded every
message it delivered, and the rerun sends only the rest.  A lock keeps two cron runs from
interleaving; a damaged journal line (a write cut short) is skipped and reported, never
trusted."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path

__all__ = ["State"]

#: sent keys older than this are forgotten when the journal is compacted (a key holds its day)
KEEP_DAYS = 40


class State:
    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / "remind-sent.jsonl"
        self.legacy = folder / "remind-state.json"
        self.log_path = folder / "remind-log.jsonl"
        self.sent: dict[str, str] = {}
        self.note: str | None = None

    @contextlib.contextmanager
    def locked(self):
        from filelock import FileLock

        self.folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.folder / "remind.lock"), is_singleton=False):
            self._load()
            yield self

    def _load(self) -> None:
        if self.legacy.exists():  # the JSON state of anquan before the journal
            try:
                data = json.loads(self.legacy.read_text(encoding="utf-8"))
                self.sent.update({str(k): str(v) for k, v in data["sent"].items()})
            except (ValueError, KeyError, TypeError, AttributeError):
                broken = self.legacy.with_suffix(".broken")
                self.legacy.replace(broken)
                self.note = f"提醒状态文件已损坏，已移到 {broken}，本次按未发送处理"
        if not self.path.exists():
            return
        bad = 0
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    entry = json.loads(line)
                    self.sent[str(entry["key"])] = str(entry["at"])
                except (ValueError, KeyError, TypeError):
                    bad += 1
        if bad:
            self.note = f"提醒状态 {self.path.name} 中有 {bad} 行损坏（多半是上次运行被中断），已忽略"
        self._compact()

    def _compact(self) -> None:
        """Rewrite the journal without the keys of days long past, when it has grown."""
        try:
            if self.path.stat().st_size < 2_000_000:
                return
        except OSError:
            return
        cutoff = (dt.date.today() - dt.timedelta(days=KEEP_DAYS)).isoformat()
        keep = {k: v for k, v in self.sent.items() if k[:10] >= cutoff}
        from anquan_cli.io.atomic import atomic_write

        atomic_write(self.path, "".join(json.dumps({"key": k, "at": v}, ensure_ascii=False) + "\n"
                                        for k, v in keep.items()).encode("utf-8"))
        self.sent = keep

    def was_sent(self, key: str) -> bool:
        return key in self.sent

    @staticmethod
    def _append(path: Path, entry: dict) -> None:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def mark(self, key: str, when: dt.datetime) -> None:
        """Record one delivered message, on disk before this returns."""
        self.sent[key] = when.isoformat(timespec="seconds")
        self._append(self.path, {"key": key, "at": self.sent[key]})

    def log(self, entry: dict) -> None:
        self._append(self.log_path, entry)

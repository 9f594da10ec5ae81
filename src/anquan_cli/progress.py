"""Progress on stderr for the few things that can take a while: loading a big workspace,
an import, a DOCX report.  Nothing is shown unless stderr is a terminal, and nothing before
the work has run ``delay`` seconds (default 1): a quick command, a pipe, a test or cron sees
not one byte.  rich is imported only when something is about to be drawn, and the line is
erased when the work ends (the command's own output stays clean).

``ANQUAN_PROGRESS=never`` turns it off; ``always`` draws it even when stderr is not a terminal
(a screen recording, a test of the drawing itself).  ``ANQUAN_PROGRESS_DELAY`` (seconds)
changes the delay.

Usage::

    with progress("读取工作区", total=len(files), unit="个文件") as p:
        for f in files:
            ...
            p.advance()
        p.stage("校验记录", total=n)

Progress is a leaf: it imports nothing of anquan, so the loader may report through it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["Progress", "progress", "wanted"]

#: seconds of work before anything is drawn
DELAY = 1.0


def wanted(stream: IO[str] | None = None) -> bool:
    """Whether progress may be drawn on ``stream`` (stderr): a terminal, unless
    ``ANQUAN_PROGRESS`` says never/always."""
    mode = os.environ.get("ANQUAN_PROGRESS", "").strip().lower()
    if mode in ("never", "0", "no", "off", "false"):
        return False
    if mode in ("always", "1", "yes", "on", "true"):
        return True
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or odd stream
        return False


def _delay(default: float) -> float:
    raw = os.environ.get("ANQUAN_PROGRESS_DELAY", "").strip()
    try:
        return max(0.0, float(raw)) if raw else default
    except ValueError:
        return default


class Progress:
    """One piece of work's progress: a label, optionally a total, and how far it is.  Calls
    are cheap and thread-safe; drawing starts on a timer thread once the delay has passed."""

    def __init__(self, label: str, total: int | None, unit: str, stream: IO[str] | None, show: bool):
        self._lock = threading.Lock()
        self.base = self.label = label
        self.total, self.unit = total, unit
        self.completed = 0
        self._stream = stream
        self._show = show
        self._bar: Any = None  # the rich Progress, once drawn
        self._task: Any = None
        self._closed = False

    # -- what the work reports
    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.completed += n
            self._refresh()

    def stage(self, label: str, total: int | None = None) -> None:
        """A new step of the work (shown after the work's own label) and its total; the count
        starts again."""
        with self._lock:
            self.label, self.total, self.completed = f"{self.base}：{label}", total, 0
            self._refresh()

    # -- drawing
    def _refresh(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=self.label, completed=self.completed)
            for task in self._bar.tasks:  # rich's update() cannot make a total unknown again
                if task.id == self._task:
                    task.total = self.total

    def _start(self) -> None:
        with self._lock:
            if self._closed or not self._show:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            console = Console(file=self._stream or sys.stderr, force_terminal=True, highlight=False)
            self._bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=24),
                            MofNCompleteColumn(), TextColumn(self.unit), TimeElapsedColumn(),
                            console=console, transient=True, refresh_per_second=8)
            self._task = self._bar.add_task(self.label, total=self.total, completed=self.completed)
            self._bar.start()

    def _stop(self) -> None:
        with self._lock:
            self._closed = True
            bar, self._bar = self._bar, None
        if bar is not None:
            bar.stop()

    @property
    def shown(self) -> bool:
        """Whether anything was drawn (for tests)."""
        return self._task is not None


#: the progress being drawn (or waiting to be): one at a time, a nested one reports through it
_active: list[Progress] = []


class _Nested(Progress):
    """Progress of work inside other work (an import's workspace load): shown as a step of the
    outer one, whose own step comes back when it ends."""

    def __init__(self, outer: Progress, label: str, total: int | None, unit: str):
        super().__init__(label, total, unit, None, False)
        self._outer = outer
        self._was = (outer.label, outer.total, outer.completed)
        self._set(label, total, 0)

    def _set(self, label: str, total: int | None, completed: int) -> None:
        o = self._outer
        with o._lock:
            o.label, o.total, o.completed = f"{self._was[0]}：{label}", total, completed
            o._refresh()

    def advance(self, n: int = 1) -> None:
        self.completed += n
        self._set(self.label, self.total, self.completed)

    def stage(self, label: str, total: int | None = None) -> None:
        self.label, self.total, self.completed = f"{self.base}：{label}", total, 0
        self._set(self.label, total, 0)

    def restore(self) -> None:
        o = self._outer
        with o._lock:
            o.label, o.total, o.completed = self._was
            o._refresh()


@contextmanager
def progress(label: str, total: int | None = None, unit: str = "", *, delay: float | None = None,
             stream: IO[str] | None = None, show: bool | None = None) -> Iterator[Progress]:
    """Report the work of the ``with`` block; drawn on ``stream`` (stderr) only when
    :func:`wanted` (or ``show``) and only once it has taken ``delay`` seconds.  Inside another
    ``progress`` block it is shown as that one's current step."""
    if _active:
        nested = _Nested(_active[-1], label, total, unit)
        try:
            yield nested
        finally:
            nested.restore()
        return
    if show is None:
        show = wanted(stream)
    p = Progress(label, total, unit, stream, show)
    timer = None
    if show:
        timer = threading.Timer(_delay(DELAY) if delay is None else delay, p._start)
        timer.daemon = True
        timer.start()
    _active.append(p)
    try:
        yield p
    finally:
        _active.remove(p)
        if timer is not None:
            timer.cancel()
        p._stop()

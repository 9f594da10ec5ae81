"""Task-division tables: each task's deadline read from its phrase, its progress per
responsible unit, and which tasks are due or overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from anquan_cli.models import Progress, Task, TaskStatus
from anquan_cli.models.deadline import Deadline, DeadlineError, parse_deadline
from anquan_cli.text import fold, replace_cn_numerals

__all__ = ["TaskState", "task_states", "is_overdue", "due_in", "due_within", "matches_unit", "matches_measure",
           "progress_table"]

_DONE = (TaskStatus.DONE, TaskStatus.ONGOING)


@dataclass
class TaskState:
    task: Task
    deadline: Deadline | None
    #: why the deadline phrase could not be read (then ``deadline`` is None)
    error: str | None
    #: the latest progress report of each responsible unit (None: nothing reported)
    latest: dict[str, Progress | None] = field(default_factory=dict)

    @property
    def done_units(self) -> list[str]:
        return [u for u, p in self.latest.items() if p is not None and p.status in _DONE]

    @property
    def pending_units(self) -> list[str]:
        return [u for u, p in self.latest.items() if p is None or p.status not in _DONE]

    @property
    def done(self) -> bool:
        return not self.pending_units

    @property
    def status(self) -> TaskStatus:
        reports = [p for p in self.latest.values() if p is not None]
        if self.done:
            ongoing = any(p.status is TaskStatus.ONGOING for p in reports)
            return TaskStatus.ONGOING if ongoing or (self.deadline and self.deadline.ongoing) \
                else TaskStatus.DONE
        return TaskStatus.IN_PROGRESS if reports else TaskStatus.NOT_STARTED

    @property
    def due(self) -> dt.date | None:
        return self.deadline.due if self.deadline else None


def progress_table(p: Progress, tables: set[str]) -> str | None:
    """The table a progress report belongs to: its own ``table``, else the only table."""
    if p.table:
        return p.table
    return next(iter(tables)) if len(tables) == 1 else None


def task_states(tasks: list[Task], progress: list[Progress], today: dt.date) -> list[TaskState]:
    """Each task with its deadline and the latest progress of each unit reported by ``today``
    (a report dated later is not known yet)."""
    tables = {t.table for t in tasks}
    latest: dict[tuple[str, int, str], Progress] = {}
    for p in sorted((p for p in progress if p.date <= today), key=lambda p: p.date):
        table = progress_table(p, tables)
        if table is not None:
            latest[(table, p.no, fold(p.unit))] = p
    out = []
    for t in sorted(tasks, key=lambda t: (t.table, t.no)):
        try:
            deadline, error = parse_deadline(t.deadline, t.year), None
        except DeadlineError as exc:
            deadline, error = None, str(exc)
        out.append(TaskState(t, deadline, error,
                             {u: latest.get((t.table, t.no, fold(u))) for u in t.units}))
    return out


def is_overdue(s: TaskState, today: dt.date) -> bool:
    """Has a due date, today is past it, and some responsible unit has not reported it done."""
    return s.due is not None and today > s.due and not s.done


def due_in(s: TaskState, start: dt.date, end: dt.date) -> bool:
    """Falls due from ``start`` to ``end`` (the tasks a report lists as due in its period)."""
    return s.due is not None and start <= s.due <= end


def due_within(s: TaskState, today: dt.date, days: int) -> bool:
    """Falls due between today and ``days`` days from now, not yet done."""
    return (s.due is not None and today <= s.due <= today + dt.timedelta(days=days)
            and not s.done)


def _norm(text: str) -> str:
    return fold(text)


def matches_unit(s: TaskState, unit: str) -> bool:
    """A responsible unit contains the words given ("消防" matches 各级消防救援机构)."""
    want = _norm(unit)
    return any(want in _norm(u) for u in s.task.units)


_CN_ORDINALS = "一二三四五六七八九十"


def matches_measure(s: TaskState, measure: str) -> bool:
    """``3`` or ``三`` picks measure 三、…; other words match inside the measure's text."""
    text = _norm(s.task.measure or "")
    want = _norm(measure)
    if want.isdigit() or all(ch in _CN_ORDINALS for ch in want):
        number = int(want) if want.isdigit() else int(replace_cn_numerals(want))
        head = replace_cn_numerals(text.split("、", 1)[0]) if "、" in text else ""
        return head == str(number)
    return want in text


"""Work shared between this process and one forked copy of it — the machines offices have
are two-core laptops and small servers, and a cold start of a province is mostly CPU.

:func:`in_two` runs ``fn`` over items, the first part in a forked copy (which inherits
everything this process has loaded, so nothing has to be sent to it) and the rest here; the
copy sends its results back as marshal bytes through a pipe and leaves with ``os._exit``
without running anything else.  When the copy cannot be made or does not deliver, its part
is computed here: the result is the same either way, only slower.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["in_two", "usable"]


def usable(amount: int, at_least: int) -> bool:
    """Whether sharing ``amount`` of work (at least ``at_least`` to be worth a fork) is
    possible here: ``fork`` exists and is safe, two cores, ``ANQUAN_NO_PARALLEL`` unset."""
    return (amount >= at_least and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2
            and not os.environ.get("ANQUAN_NO_PARALLEL") and sys.platform != "darwin")


def in_two(fn: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any], weights: Sequence[int],
           at_least: int) -> list[Any]:
    """``fn(items)`` (one result per item, plain values marshal can carry), the items split
    where their ``weights`` reach half: the first part in a forked copy, the rest here —
    when :func:`usable` for the total weight, else all here."""
    total = sum(weights)
    if len(items) < 2 or not usable(total, at_least):
        return fn(items)
    half, acc = 0, 0
    while half < len(items) - 1 and acc + weights[half] <= total // 2:
        acc += weights[half]
        half += 1
    half = max(half, 1)
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return fn(items)
    if pid == 0:  # the copy: its part, as bytes, then gone
        code = 1
        try:
            os.close(read)
            data = marshal.dumps(fn(items[:half]))
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        second = fn(items[half:])
    finally:
        with os.fdopen(read, "rb") as got:
            data = got.read()
        _, status = os.waitpid(pid, 0)
    first = None
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            first = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            first = None
    if not (isinstance(first, list) and len(first) == half):
        first = fn(items[:half])
    return first + second

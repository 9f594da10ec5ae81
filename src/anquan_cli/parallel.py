"""Work shared between this process and one forked copy of it — the machines offices have
are two-core laptops and small servers, and a cold start of a province is mostly CPU.

:func:`in_two` runs ``fn`` over items in this process and in a forked copy (which inherits
everything this process has loaded, so nothing has to be sent to it), the two taking items
from either end of the list; the copy sends its results back as marshal bytes through a pipe and leaves
with ``os._exit`` without running anything else.  When the copy cannot be made or does not
deliver, its items are computed here: the result is the same either way, only slower.
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
           at_least: int, before: Callable[[], object] | None = None) -> list[Any]:
    """``fn(items)`` (one result per item, plain values marshal can carry), shared with a
    forked copy when :func:`usable` for the total weight, else all here.  The copy takes the
    items one at a time from the front, this process from the back, until they meet — so
    neither waits while the other still has much to do, and each works through neighbouring
    items (files of one township share their names).  ``before()``, when given, runs in this
    process before it takes an item (so while the copy already works): work of its own that
    ``fn`` does not need."""
    def alone() -> list[Any]:
        if before is not None:
            before()
        return fn(items)

    if len(items) < 2 or not usable(sum(weights), at_least):
        return alone()
    import mmap
    import multiprocessing

    ends = mmap.mmap(-1, 8)  # (next from the front, one past the next from the back), shared with the copy
    ends[:8] = (0).to_bytes(4, "little") + len(items).to_bytes(4, "little")
    lock = multiprocessing.get_context("fork").Lock()

    def take(front: bool) -> dict[int, Any]:
        out: dict[int, Any] = {}
        while True:
            with lock:
                first, last = int.from_bytes(ends[:4], "little"), int.from_bytes(ends[4:8], "little")
                if first >= last:
                    return out
                if front:
                    i = first
                    ends[:4] = (first + 1).to_bytes(4, "little")
                else:
                    i = last - 1
                    ends[4:8] = i.to_bytes(4, "little")
            out[i] = fn([items[i]])[0]

    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return alone()
    if pid == 0:  # the copy: items from the front until the two meet, their results as bytes, then gone
        code = 1
        try:
            os.close(read)
            data = marshal.dumps(take(front=True))
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        if before is not None:
            before()
        mine = take(front=False)
    finally:
        with os.fdopen(read, "rb") as got:
            data = got.read()
        _, status = os.waitpid(pid, 0)
    theirs: Any = None
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            theirs = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            theirs = None
    done = {**(theirs if isinstance(theirs, dict) else {}), **mine}
    missing = [i for i in range(len(items)) if i not in done]  # the copy did not deliver: done here
    if missing:
        done.update(zip(missing, fn([items[i] for i in missing])))
    return [done[i] for i in range(len(items))]

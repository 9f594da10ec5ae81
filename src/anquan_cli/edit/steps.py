"""The steps of one hazard's life as the commands take them (整改完成, 验收签字, 销号, 延期):
each turns what was asked into ``(plan, done)`` — ``plan(h, today, ws)`` gives the change to
write (see :mod:`anquan_cli.rules.hazards`), ``done(h)`` what to tell the user — so that the
command line and the quick path (:mod:`anquan_cli.quick`) run exactly the same step.  Dates
come here already read; nothing here prints or parses a command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["actor", "rectify", "verify", "close", "extend", "listing", "delist", "Step", "PARTIES", "done_line"]

#: ``(plan, done)``
Step = tuple[Callable[[Any, dt.date, Any], Any], Callable[[Any], str]]

#: the signing parties ``verify --party`` takes
PARTIES = ("企业", "部门", "乡镇")


def actor(by: str | None, root: Path) -> str:
    """Who is making a change: ``--by``, else ``git config user.name``."""
    if by and by.strip():
        return by.strip()
    from anquan_cli import gitio
    from anquan_cli.problems import UsageError

    name = gitio.user_name(root)
    if not name:
        raise UsageError("请用 --by 写明经办人（或设置 git config user.name）")
    return name


def done_line(done: Callable[[Any], str] | str, h: Any, rel: str) -> str:
    """What a step tells the user it did: ``已登记整改完成：ID（file）``."""
    return f"{done(h) if callable(done) else done}：{h.id}（{rel}）"


def rectify(note: str | None, reason: str | None, date: dt.date | None, by: str | None) -> Step:
    from anquan_cli.rules.hazards import plan_rectify

    def plan(h: Any, day: dt.date, ws: Any) -> Any:
        return plan_rectify(h, date or day, actor(by, ws.root), note, today=day, reason=reason)

    return plan, lambda h: "已登记整改完成"


def verify(party: str, by: str, date: dt.date | None) -> Step:
    from anquan_cli.models import Party
    from anquan_cli.rules.hazards import plan_verify

    def plan(h: Any, day: dt.date, ws: Any) -> Any:
        from anquan_cli.rules.lookup import Directory

        who = Party.parse(party)  # type: ignore[no-untyped-call]  # Vocab.parse is not typed yet
        return plan_verify(h, who, date or day, by.strip(), today=day,
                           directory=Directory.for_workspace(ws))

    return plan, lambda h: f"已记录{party}方验收签字"


def close(date: dt.date | None, by: str | None) -> Step:
    from anquan_cli.rules.hazards import plan_close

    def plan(h: Any, day: dt.date, ws: Any) -> Any:
        return plan_close(h, date or day, actor(by, ws.root), today=day)

    return plan, lambda h: "已销号"


def extend(deadline: dt.date, reason: str, date: dt.date | None, by: str | None) -> Step:
    from anquan_cli.rules.hazards import plan_extend

    def plan(h: Any, day: dt.date, ws: Any) -> Any:
        return plan_extend(h, deadline, reason, date or day, actor(by, ws.root), today=day)

    return plan, lambda h: f"已延期至 {deadline.isoformat()}"


def listing(values: dict[str, Any], date: dt.date | None, by: str | None, reason: str | None = None) -> Step:
    """挂牌督办: list a major hazard or complete its listing (``values``: by, date, tracker,
    number, filed, published — the tracker by its name in the people directory)."""
    from anquan_cli.rules.listing import plan_listing

    def plan(h: Any, day: dt.date, ws: Any) -> Any:
        from anquan_cli.rules.lookup import Directory

        given = dict(values)
        tracker = given.get("tracker")
        if tracker:
            found = Directory.for_workspace(ws).person(tracker.strip()).person
            given["tracker"] = found.name if found is not None else tracker.strip()
        if h.listing is None:
            given["date"] = given.get("date") or date or day  # a new listing is made on the day of the step
        return plan_listing(h, given, date or day, actor(by, ws.root), reason, today=day)

    return plan, lambda h: "已挂牌督办"


def delist(date: dt.date | None, by: str | None) -> Step:
    from anquan_cli.rules.listing import plan_delist

    def plan(h: Any, day: dt.date, ws: Any) -> Any:
        return plan_delist(h, date or day, actor(by, ws.root), today=day)

    return plan, lambda h: "已摘牌"

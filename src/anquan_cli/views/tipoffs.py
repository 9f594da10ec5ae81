"""Tip-offs as people and scripts read them: rows with stable English keys and rich tables.

A row carries a reporter only when the command was given ``--confidential`` (``reporter`` is
then the tip-off's :class:`~anquan_cli.models.tipoff.Reporter`); without it the keys
``reporter_name`` and ``reporter_contact`` are absent, not empty.
"""

from __future__ import annotations

import datetime as dt

from anquan_cli.models.config import TipoffSettings
from anquan_cli.models.tipoff import Reporter, Tipoff
from anquan_cli.rules import tipoffs as T
from anquan_cli.rules.lookup import Directory, place_township
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import TEXT, Col, print_table, say

__all__ = ["row", "clock_row", "COLUMNS", "CLOCK_COLUMNS", "REPORTER_COLUMNS", "render_list", "render_clocks",
           "render_show"]

#: the keys of a tip-off's row (``--format json``; ``csv`` columns in this order)
COLUMNS = ["id", "received", "channel", "channel_label", "subject", "unit", "township", "handler", "due", "extended",
           "extension_reason", "result", "result_label", "verified", "hazards", "feedback", "feedback_due",
           "reward_amount", "reward_approved", "reward_paid", "state", "state_label", "file", "line"]
#: added to a row only with ``--confidential``
REPORTER_COLUMNS = ["reporter_name", "reporter_contact"]
#: the keys of a row of ``tipoffs overdue``
CLOCK_COLUMNS = ["tipoff", "clock", "clock_label", "due", "since", "days_over", "subject", "unit", "township",
                 "handler", "reward_amount", "file", "line"]


def _day(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def row(t: Tipoff, today: dt.date, s: TipoffSettings, directory: Directory,
        reporter: Reporter | None = None, confidential: bool = False) -> dict:
    r, ext = t.reward, t.extension
    state = T.state(t, today, s)
    out = {"id": t.id, "received": t.received.isoformat(),
           "channel": t.channel.value if t.channel else None, "channel_label": t.channel.label if t.channel else None,
           "subject": t.subject, "unit": t.unit, "township": place_township(t, directory), "handler": t.handler,
           "due": T.verify_due(t, s).isoformat(), "extended": ext is not None,
           "extension_reason": ext.reason if ext is not None else None,
           "result": t.state.value, "result_label": t.state.label, "verified": _day(t.verified),
           "hazards": list(t.hazards), "feedback": _day(t.feedback), "feedback_due": _day(T.feedback_due(t, s)),
           "reward_amount": r.amount if r is not None else None,
           "reward_approved": _day(r.approved) if r is not None else None,
           "reward_paid": _day(r.paid) if r is not None else None,
           "state": state, "state_label": T.STATES[state], "file": t.src.path, "line": t.src.line}
    if confidential:
        out["reporter_name"] = reporter.name if reporter is not None else None
        out["reporter_contact"] = reporter.contact if reporter is not None else None
    return out


def clock_row(c: T.Clock, today: dt.date, directory: Directory) -> dict:
    t = c.tipoff
    return {"tipoff": t.id, "clock": c.kind, "clock_label": T.CLOCKS[c.kind], "due": _day(c.due),
            "since": c.since.isoformat(), "days_over": c.days_over(today) if c.due is not None else None,
            "subject": t.subject, "unit": t.unit, "township": place_township(t, directory), "handler": t.handler,
            "reward_amount": t.reward.amount if c.kind == "reward" and t.reward is not None else None,
            "file": t.src.path, "line": t.src.line}


def _what(r: dict) -> str:
    return " ".join(x for x in (r["unit"] or r["township"], r["subject"]) if x)


def render_list(rows: list[dict], title: str) -> None:
    cols = [Col("编号"), Col("受理"), Col("举报事项", TEXT), Col("承办部门", TEXT), Col("状态")]
    confidential = any("reporter_name" in r for r in rows)
    if confidential:
        cols.append(Col("举报人（保密）", TEXT))
    cells = []
    for r in rows:
        state = r["result_label"] if r["state"] in ("done", "feedback_due") else r["state_label"]
        if r["state"] == "feedback_overdue":
            state = f"{r['result_label']}，反馈逾期"
        row = [r["id"], r["received"], plain(_what(r)), plain(r["handler"]),
               plain(state, "red" if r["state"] in ("overdue", "feedback_overdue") else None)]
        if confidential:
            row.append(plain(" ".join(x for x in (r.get("reporter_name"), r.get("reporter_contact")) if x)))
        cells.append(row)
    print_table(cols, cells, title)
    say(f"共 {len(rows)} 件。")


def render_clocks(rows: list[dict], today: dt.date) -> None:
    c = _console()
    if not rows:
        say(f"截至 {today.isoformat()}，没有逾期未核查、逾期未反馈或已批准未发放奖励的举报。", console=c)
        return
    for kind, title in (("verify", "核查逾期"), ("feedback", "反馈举报人逾期"), ("reward", "奖励已批准未发放")):
        mine = [r for r in rows if r["clock"] == kind]
        if not mine:
            continue
        say(f"{title}（{len(mine)}）", "bold", console=c)
        for r in mine:
            if kind == "reward":
                when = f"{r['since']} 批准" + (f"，{r['reward_amount']:g} 万元" if r["reward_amount"] else "")
            elif r["days_over"]:
                when = f"期限 {r['due']}，已逾期 {r['days_over']} 天"
            else:
                when = f"期限 {r['due']}"
            say(f"  {r['tipoff']}  {_what(r)}（{r['handler'] or '未写承办部门'}；{when}）", console=c)


def render_show(r: dict) -> None:
    c = _console()
    say(f"{r['id']}  {r['subject'] or ''}", "bold", console=c)
    lines = [("受理", f"{r['received']}" + (f"（{r['channel_label']}）" if r["channel_label"] else "")),
             ("被举报单位", r["unit"]), ("乡镇", r["township"]), ("承办部门", r["handler"]),
             ("核查期限", r["due"] + (f"（已延期：{r['extension_reason']}）" if r["extended"] else "")),
             ("核查结果", r["result_label"] + (f"（{r['verified']}）" if r["verified"] else "")),
             ("查实的隐患", "、".join(r["hazards"]) or None),
             ("反馈举报人", r["feedback"] or (f"未反馈（应于 {r['feedback_due']} 前）" if r["feedback_due"] else None)),
             ("举报奖励", _reward(r)), ("状态", r["state_label"]), ("位置", f"{r['file']}:{r['line']}")]
    if "reporter_name" in r:
        lines.append(("举报人（保密）", " ".join(x for x in (r["reporter_name"], r["reporter_contact"]) if x)
                      or "没有登记"))
    for label, value in lines:
        if value:
            say(f"  {label}：{value}", console=c)


def _reward(r: dict) -> str | None:
    if r["reward_amount"] is None and r["reward_approved"] is None:
        return None
    parts = [f"{r['reward_amount']:g} 万元" if r["reward_amount"] is not None else "金额未写"]
    parts.append(f"{r['reward_approved']} 批准" if r["reward_approved"] else "未批准")
    parts.append(f"{r['reward_paid']} 发放" if r["reward_paid"] else "未发放")
    return "，".join(parts)

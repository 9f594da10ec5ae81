"""``anquan remind`` (run from cron) and ``anquan calendar export``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import DataOpt, TodayOpt, load, today_from


class RemindFormat(str, Enum):
    text = "text"
    json = "json"


def remind(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示将要发送的提醒，不发送、不记录。 Show, do not send.")] = False,
    force: Annotated[bool, typer.Option("--force", help="今天已发过的也重发。 Resend what was sent today.")] = False,
    channel: Annotated[Optional[list[str]], typer.Option(
        "--channel", help="只用这些渠道（名称或类型，可重复）。 Only these channels.")] = None,
    ignore_holidays: Annotated[bool, typer.Option(
        "--ignore-holidays", help="节假日也发送。 Send on non-working days too.")] = False,
    show: Annotated[bool, typer.Option(
        "--show", help="逐条显示每位收件人、每个渠道将收到的全文（与 --dry-run 同用可先看再发）。 "
                       "Print each message in full as its channel delivers it.")] = False,
    format: Annotated[RemindFormat, typer.Option("--format", "-f", help="text 或 json。 Output format.")] = RemindFormat.text,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """给每位责任人、包保人发今天的提醒（到期、逾期、将须提级的隐患，到期任务，未完成的履职，报送节点，挂牌督办时限），另发一份办公室汇总（另含举报核查、反馈和奖励发放，隐患排查治理统计分析表的报送期限）。供 cron 每个工作日运行。

    Send each responsible person and guarantor today's reminder digest (and the office a
    summary) on the channels in anquan.yaml; idempotent per day; exit 1 if a channel failed.
    """
    import datetime as dt
    import json

    from anquan_cli.notify import Message, preview, send_all
    from anquan_cli.remindstate import State
    from anquan_cli.rules.remind import KIND_ZH, digests
    from anquan_cli.rules.workdays import is_workday
    from anquan_cli.views.templates import render_markdown
    from anquan_cli.workspace import holiday_overrides

    day = today_from(today)
    ws = load(data)
    cfg = ws.config.reminders
    if cfg.workdays_only and not ignore_holidays:
        working, note = is_workday(day, holiday_overrides(ws.root))  # a broken holidays.yaml stops the run
        if note:
            typer.echo(f"注意：{note}", err=True)
        if not working:
            typer.echo(f"{day} 不是工作日，不发送提醒（加 --ignore-holidays 可照常发送）。")
            return
    channels = [c for c in cfg.channels if not channel or c.label in channel or c.type.value in channel]
    if channel and not channels:
        raise typer.BadParameter(f"anquan.yaml 中没有渠道 {'、'.join(channel)}", param_hint="--channel")
    office_people = [p for name in cfg.office
                     for p in ws.people if name in (p.id, p.name)]
    issuer = f"{ws.config.jurisdiction}安全生产委员会办公室"
    messages: list[tuple[Message, object]] = []
    for d in digests(ws, day, cfg.lead_days, holiday_overrides(ws.root)):
        sections = [{"title": KIND_ZH[k], "items": [{"text": i.text} for i in d.items if i.kind == k]}
                    for k in KIND_ZH if any(i.kind == k for i in d.items)]
        who = d.recipient
        greeting = (f"{who.name}{f'（{who.title}）' if who.title else ''}：请关注以下安全生产事项。" if who
                    else f"{ws.config.jurisdiction}安委会办公室：今日提醒汇总。")
        body = render_markdown("remind.md.j2", {"greeting": greeting, "sections": sections,
                                                "issuer": issuer, "date": day.isoformat()}, ws.root)
        subject = f"【安全生产提醒】{who.name if who else '办公室汇总'}：{len(d.items)} 项（{day.isoformat()}）"
        for ch in channels:
            targets = [who] if who else (office_people if ch.type.value == "email" else [None])
            for person in targets:
                messages.append((Message(
                    channel=ch, recipient=person.name if person else "办公室",
                    recipient_id=person.id if person else "office",
                    email=person.email if person else None, phone=person.phone if person else None,
                    subject=subject, body=body), d))
    state = State(ws.root / cfg.state_dir)
    results = []
    failed = 0
    echo = (lambda text: None) if format is RemindFormat.json else typer.echo
    with state.locked():
        if state.note:
            typer.echo(f"注意：{state.note}", err=True)
        keys = [f"{day}|{msg.channel.label}|{msg.recipient_id}|{d.fingerprint}" for msg, d in messages]
        due = [i for i, key in enumerate(keys) if not dry_run and (force or not state.was_sent(key))]
        heard: dict[int, object] = {}

        def record(j: int, outcome) -> None:
            """One delivery ended: state and log on disk before the next one starts."""
            i = due[j]
            msg, d = messages[i]
            heard[i] = outcome
            if outcome.ok:
                state.mark(keys[i], dt.datetime.now().astimezone())
            state.log({"time": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "date": day.isoformat(),
                       "channel": msg.channel.label, "recipient": msg.recipient, "recipient_id": msg.recipient_id,
                       "subject": msg.subject, "items": [it.key for it in d.items],
                       "result": "sent" if outcome.ok else "failed", "detail": outcome.detail})

        send_all([messages[i][0] for i in due], ws.root, str(day), echo, record,
                 cfg.request_seconds, cfg.run_seconds)
        for i, (msg, d) in enumerate(messages):
            if dry_run:
                status, detail = "dry-run", "未发送（--dry-run）"
            elif i not in heard:
                status, detail = "skipped", "今天已发送过"
            else:
                status, detail = ("sent" if heard[i].ok else "failed"), heard[i].detail
                failed += 0 if heard[i].ok else 1
            results.append({"channel": msg.channel.label, "recipient": msg.recipient,
                            "recipient_id": msg.recipient_id, "email": msg.email, "phone": msg.phone,
                            "subject": msg.subject, "body": msg.body, "items": [i.as_json() for i in d.items],
                            "status": status, "detail": detail})
    if format is RemindFormat.json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for r, (msg, _) in zip(results, messages):
            word = _STATUS_ZH.get(r["status"], r["status"])
            told = "" if r["status"] == "dry-run" else f"（{r['detail']}）"
            typer.echo(f"[{r['channel']}] {r['recipient']}：{r['subject']} — {word}{told}")
            if show:
                typer.echo("\n".join("    " + line if line else "" for line in preview(msg).splitlines()) + "\n")
        people = len({r["recipient_id"] or r["recipient"] for r in results})
        if dry_run:
            typer.echo(f"共 {len(results)} 条提醒（{people} 人）：试运行，未发送。")
        else:
            typer.echo(f"共 {len(results)} 条提醒（{people} 人）：发送 {sum(r['status'] == 'sent' for r in results)}，"
                       f"跳过 {sum(r['status'] == 'skipped' for r in results)}，失败 {failed}。")
    raise typer.Exit(1 if failed else 0)


#: how the text output names a message's status (JSON keeps the English word)
_STATUS_ZH = {"dry-run": "试运行，未发送", "sent": "已发送", "skipped": "跳过", "failed": "发送失败"}


calendar_app = typer.Typer(help="日历：把各种期限导出为手机和电脑日历能导入的 .ics 文件。\n\n"
                                "Calendar export of deadlines (.ics).", no_args_is_help=True)


@calendar_app.command("export")
def calendar_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="写入的 .ics 文件。 Output file.")] = Path("deadlines.ics"),
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """导出隐患整改期限、挂牌督办的备案和公布时限、举报核查和反馈期限、任务到期日、报送节点和履职周期截止日为全天日程（带提前提醒），可导入手机日历；内容不变时重复导出得到相同文件。

    Export hazard and task deadlines, reporting nodes and duty period ends as all-day events
    with alarms; stable UIDs, so an unchanged workspace exports to an identical file.
    """
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.rules.deadlines import events
    from anquan_cli.views.calendar import to_ics
    from anquan_cli.workspace import holiday_overrides

    day = today_from(today)
    ws = load(data)
    found = events(ws, day, holiday_overrides(ws.root))
    atomic_write(output, to_ics(found, f"{ws.config.jurisdiction}安全生产期限", ws.config.reminders.lead_days))
    typer.echo(f"已导出 {len(found)} 个日程到 {output}")

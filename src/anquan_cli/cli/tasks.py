"""``anquan tasks …`` and ``anquan dates parse``: task-division tables and deadline phrases."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, FormatOpt, OutFormat, TableJsonOpt, TodayOpt, exit_code_opt, load, today_from

app = typer.Typer(
    help="重点任务分工表：列出任务、即将到期和逾期的任务，读懂“2022年9月底前完成，并长期坚持”这类时限。\n\n"
         "Task-division tables: list tasks, tasks falling due and overdue, with deadline phrases "
         "read into dates.",
    no_args_is_help=True,
)

OverdueExitOpt = exit_code_opt("有逾期任务", "any task is overdue")

UnitOpt = Annotated[Optional[str], typer.Option(
    "--unit", help="责任单位中含有的文字，如 消防。 Responsible unit contains this text.")]
MeasureOpt = Annotated[Optional[str], typer.Option(
    "--measure", help="措施序号（3 或 三）或措施中的文字。 Measure number or words.")]


def _states(data, unit, measure, day, as_of=None):
    from anquan_cli.rules.tasks import matches_measure, matches_unit, task_states

    ws = load(data, as_of)
    states = task_states(ws.tasks, ws.progress, day)
    if unit:
        states = [s for s in states if matches_unit(s, unit)]
    if measure:
        states = [s for s in states if matches_measure(s, measure)]
    return states


def _show(states, day, fmt: OutFormat, title: str, empty: str) -> None:
    from anquan_cli.views import tasks as V

    records = [V.task_row(s, day) for s in states]
    if fmt is OutFormat.json:
        typer.echo(V.render_json(records))
    elif fmt is OutFormat.csv:
        typer.echo(V.render_csv(records, V.TASK_COLUMNS), nl=False)
    elif records:
        V.render_tasks(records, title)
    else:
        typer.echo(empty)


@app.command("list")
def list_(unit: UnitOpt = None, measure: MeasureOpt = None, format: FormatOpt = OutFormat.table,
          today: TodayOpt = None, as_of: AsOfOpt = None,
    data: DataOpt = None) -> None:
    """列出分工表中的任务：完成时限读成日期，附各责任单位的进展。

    List tasks with their deadlines read into dates and each responsible unit's progress.
    """
    day = today_from(today)
    states = _states(data, unit, measure, day, as_of)
    _show(states, day, format, f"重点任务（{len(states)} 项）", "没有符合条件的任务。")


@app.command("due")
def due(
    within: Annotated[int, typer.Option(help="今后多少天内到期（默认 30，最多 3660）。 Days ahead.", min=0, max=3660)] = 30,
    unit: UnitOpt = None, measure: MeasureOpt = None, format: FormatOpt = OutFormat.table,
    today: TodayOpt = None, as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """即将到期：今后 N 天内到期、尚有责任单位未报完成的任务；另列出需人工确认时限的任务。

    Tasks falling due within N days that some unit has not reported done.
    """
    from anquan_cli.rules.tasks import due_within

    day = today_from(today)
    states = [s for s in _states(data, unit, measure, day, as_of) if due_within(s, day, within)]
    states.sort(key=lambda s: (s.due, s.task.no))
    _show(states, day, format, f"{within} 天内到期的任务（截至 {day.isoformat()}）",
          f"今后 {within} 天内没有到期的任务。")


@app.command("overdue")
def overdue(
    unit: UnitOpt = None, measure: MeasureOpt = None,
    exit_code: OverdueExitOpt = False,
    format: FormatOpt = OutFormat.table, today: TodayOpt = None, as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """逾期任务：已过截止日期、仍有责任单位未报完成，逾期最久的在前。

    Tasks past their due date that some responsible unit has not reported done, worst first.
    """
    from anquan_cli.rules.tasks import is_overdue

    day = today_from(today)
    states = [s for s in _states(data, unit, measure, day, as_of) if is_overdue(s, day)]
    states.sort(key=lambda s: (s.due, s.task.no))
    _show(states, day, format, f"逾期任务（截至 {day.isoformat()}）", "没有逾期的任务。")
    raise typer.Exit(1 if exit_code and states else 0)


dates_app = typer.Typer(help="完成时限的写法：看工具怎样读一句时限。\n\nDeadline phrases: show how one is read.",
                        no_args_is_help=True)


@dates_app.command("parse")
def parse(
    phrase: Annotated[str, typer.Argument(help="完成时限，如“2022年9月底前完成，并长期坚持”。 The phrase.")],
    year: Annotated[Optional[int], typer.Option(help="没写年份时用的年份（分工表或文件的年份）。 Year for phrases without one.", min=1900, max=2199)] = None,
    format: TableJsonOpt = OutFormat.table,
) -> None:
    """显示工具怎样理解一句完成时限：开始、截止、是否长期坚持、类型。无法理解的报错，不猜。

    Show what a deadline phrase means: JSON {start, end, ongoing, kind}; an unreadable phrase
    is an error (exit 1), never a guess.
    """
    import json

    from anquan_cli.models.deadline import DeadlineError, parse_deadline

    try:
        d = parse_deadline(phrase, year)
    except DeadlineError as exc:
        typer.echo(f"anquan: {exc}", err=True)
        raise typer.Exit(1) from None
    if format is OutFormat.json:
        typer.echo(json.dumps(d.as_json(), ensure_ascii=False))
        return
    typer.echo(f"时限：{d.text}")
    typer.echo(f"类型：{d.kind.label}（{d.kind.value}）")
    if d.start:
        typer.echo(f"开始：{d.start.isoformat()}")
    typer.echo(f"截止：{d.end.isoformat() if d.end else '无'}")
    typer.echo(f"长期坚持：{'是' if d.ongoing else '否'}")
    if d.event:
        typer.echo(f"取决于：{d.event}（无法计算截止日期，需人工确认）")

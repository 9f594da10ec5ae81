"""``anquan duties status``: who has and has not met their recurring duties."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, FormatOpt, OutFormat, TodayOpt, emit, exit_code_opt, load, today_from

app = typer.Typer(
    help="履职要求：按活动记录核对领导干部每季度的会议、检查等是否完成。\n\n"
         "Recurring duties checked against the activity log.",
    no_args_is_help=True,
)

UnmetExitOpt = exit_code_opt("有未完成的履职要求", "any duty is not met")


@app.command("status")
def status(
    period: Annotated[Optional[str], typer.Option(
        help="时段：2023Q3、2023-07、2023H2、2023 或 2023-W34（默认今天所在的季度）。 Report period.")] = None,
    holder: Annotated[Optional[str], typer.Option(help="只看某人（姓名或编号）或某单位。 Only this person or body.")] = None,
    duty: Annotated[Optional[str], typer.Option(help="只看某项履职要求（编号）。 Only this duty.")] = None,
    unmet: Annotated[bool, typer.Option("--unmet", help="只列未完成的。 Only duties not met.")] = False,
    exit_code: UnmetExitOpt = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """每项履职要求、每位履职人：应完成几次、已完成几次、是否完成，计入了哪些活动。

    Per duty and holder: required count, count done, met or not, and which activities counted.
    """
    from anquan_cli.models import Period
    from anquan_cli.rules.campaigns import duties_in_force
    from anquan_cli.rules.duties import duty_status
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.periods import parse_period, window_of
    from anquan_cli.views import duties as V

    day = today_from(today)
    try:
        span = parse_period(period) if period else window_of(Period.QUARTER, day)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None
    ws = load(data, as_of)
    directory = Directory.for_workspace(ws)
    results = duty_status(duties_in_force(ws.duties, ws.campaigns), ws.activities, directory, span, day, ws.config.level.value)
    if holder:
        person = directory.person(holder).person
        unit = directory.unit(holder)
        results = [r for r in results if (person is not None and r.holder.person is person)
                   or (unit is not None and r.holder.unit is unit)]
    if duty:
        results = [r for r in results if r.duty.id == duty]
    if unmet:
        results = [r for r in results if r.status == "not_met"]
    title = f"履职情况：{span.label}（{span.start.isoformat()} 至 {span.end.isoformat()}，截至 {day.isoformat()}）"
    emit(format, [V.result_json(r) for r in results], V.CSV_COLUMNS, lambda: V.render_results(results, title),
         csv_rows=lambda: V.csv_rows(results))
    raise typer.Exit(1 if exit_code and any(r.status == "not_met" for r in results) else 0)

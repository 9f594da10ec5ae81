"""``anquan patrols status --year Y``: each lower level's 巡查 and 考核 of the year, and the ranking."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, FormatOpt, OutFormat, TodayOpt, emit, load, today_from

app = typer.Typer(
    help="巡查考核：县级以上政府每年对下级政府（乡镇、部门）至少进行 1 次安全生产巡查和考核（002（六）），按考核得分排名。\n\n"
         "Patrols and assessments of the lower levels, and their ranking.",
    no_args_is_help=True,
)


@app.command("status")
def status(
    year: Annotated[Optional[int], typer.Option("--year", help="年份（默认今年）。 The year.")] = None,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="有对象缺巡查或考核时以退出码 1 结束。 Exit 1 when any is missing.")] = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """每个下级（乡镇、部门）这一年的巡查次数、考核得分和名次，缺巡查或考核的标出。 Each lower level's year, ranked."""
    import datetime as dt

    from anquan_cli.rules import patrols as P
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views import patrols as V

    day = today_from(today)
    y = year or day.year
    ws = load(data, as_of)
    directory = Directory.for_workspace(ws)
    lower = P.targets(ws.units, ws.config.settings.patrols.targets, directory)
    rows = [V.row(s) for s in P.standings(ws.patrols, lower, directory, y, day)]
    emit(format, rows, V.COLUMNS, lambda: V.render_status(rows, f"{y}年巡查考核（截至 {min(day, dt.date(y, 12, 31)).isoformat()}）"))
    raise typer.Exit(1 if exit_code and any(r["missing"] for r in rows) else 0)

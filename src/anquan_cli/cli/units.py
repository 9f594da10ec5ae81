"""``anquan units gaps``: enterprises without a regulator, a grade, or the inspections their grade asks."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, FormatOpt, OutFormat, TodayOpt, emit, load, today_from

app = typer.Typer(
    help="单位：企业的监管部门、监管人员、分级分类监管等级和按等级的检查频次（004）。\n\n"
         "Units: regulators, grades and the inspections each grade asks.",
    no_args_is_help=True,
)


@app.command("gaps")
def gaps(
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="发现缺口时以退出码 1 结束（供 cron/CI 使用）。 Exit 1 when any gap is found.")] = False,
    year: Annotated[Optional[int], typer.Option(
        "--year", help="评价哪一年的检查周期（默认今年；年度周期在次年才能评价）。 The year judged.")] = None,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """企业监管的缺口：未明确监管部门、监管人员（004“监管部门清楚、监管人员明确”），未划分 A、B、C、D 监管等级，
    本年已结束的周期内检查次数少于 settings.grades 的要求。

    Enterprises without a regulator or a grade, or inspected less often than their grade asks.
    """
    from anquan_cli.rules import units as U
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views import units as V

    day = today_from(today)
    ws = load(data, as_of)
    found = U.gaps(ws.units, ws.enforcement, ws.activities, Directory.for_workspace(ws), day,
                   ws.config.settings.grades, year, grid=bool(ws.cells))
    emit(format, [g.as_json() for g in found], V.GAP_COLUMNS, lambda: V.render_gaps(found, day))
    raise typer.Exit(1 if exit_code and found else 0)

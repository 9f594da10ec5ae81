"""``anquan enforcement list|gaps|stats``: enforcement actions, where they fail the hazards, and the ranking."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    OutFormat,
    TodayOpt,
    emit,
    load,
    period_option,
    today_from,
    word_option,
)

app = typer.Typer(
    help="执法：检查、处罚、停产整顿、约谈等记录，与隐患的对照（重大隐患未处罚、逾期未处罚、一案双罚……），执法处罚量化评比。\n\n"
         "Enforcement: actions, gaps against the hazard ledger, and the ranking.",
    no_args_is_help=True,
)



@app.command("list")
def list_(
    type: Annotated[Optional[str], typer.Option(
        "--type", help="类型：检查、处罚、停产整顿、约谈、曝光、联合惩戒、黑名单、移送。 Type.")] = None,
    period: Annotated[Optional[str], typer.Option(help="时段：2023Q3、2023-07、2023。 Period.")] = None,
    unit: Annotated[Optional[str], typer.Option(help="只看某单位。 Only this unit.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="只看某执法部门。 Only this department.")] = None,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """执法记录列表（按日期）。 Enforcement actions by date."""
    from anquan_cli.models import ActionType
    from anquan_cli.rules import enforcement as E
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.text import fold
    from anquan_cli.views import enforcement as V

    day = today_from(today)
    span = period_option(period)
    wanted = word_option(ActionType, type, "--type")
    ws = load(data, as_of)
    directory = Directory.for_workspace(ws)
    chosen = sorted(E.as_of(ws.enforcement, day), key=lambda e: (e.date, e.id))
    if span:
        chosen = [e for e in chosen if span.start <= e.date <= span.end]
    if wanted is not None:
        chosen = [e for e in chosen if e.type is wanted]
    if unit:
        u = directory.unit(unit)
        chosen = [e for e in chosen if (directory.unit(e.unit) is u if u is not None else fold(e.unit) == fold(unit))]
    if by:
        b = directory.unit(by)
        chosen = [e for e in chosen if (directory.unit(e.by) is b if b is not None else fold(e.by) == fold(by))]
    rows = [V.row(e, directory) for e in chosen]
    emit(format, rows, V.COLUMNS, lambda: V.render_list(rows, "执法记录" + (f"：{span.label}" if span else f"（截至 {day.isoformat()}）")))


@app.command("gaps")
def gaps(
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="发现脱节时以退出码 1 结束（供 cron/CI 使用）。 Exit 1 when any gap is found.")] = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """执法与隐患脱节之处：重大隐患未处罚（003）、逾期未整改未处罚（003）、未落实一案双罚（001）、停产整顿期满未验收、
    以罚代管、现场整改未约谈（003，可选）。

    Where enforcement fails the hazard ledger, each with its clause.
    """
    from anquan_cli.rules import enforcement as E
    from anquan_cli.rules.hazards import known_on
    from anquan_cli.views import enforcement as V

    day = today_from(today)
    ws = load(data, as_of)
    found = E.gaps(known_on(ws, day), E.as_of(ws.enforcement, day), day, ws.config.settings.enforcement)
    emit(format, [g.as_json(day) for g in found], V.GAP_COLUMNS, lambda: V.render_gaps(found, day))
    raise typer.Exit(1 if exit_code and found else 0)


@app.command("stats")
def stats(
    period: Annotated[Optional[str], typer.Option(help="时段：2023Q3、2023（默认今天所在的季度）。 Period.")] = None,
    by: Annotated[str, typer.Option("--by", help="township（按乡镇）或 department（按执法部门）。 Group by.")] = "department",
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """执法处罚量化评比（002）：检查、发现隐患、处罚、罚款、停产整顿、关闭取缔、约谈、移送，按处罚、罚款、检查排名。

    The period's enforcement figures per department or township, ranked.
    """
    from anquan_cli.models import Period
    from anquan_cli.rules import enforcement as E
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.periods import window_of
    from anquan_cli.views import enforcement as V

    if by not in ("township", "department"):
        raise typer.BadParameter("只能是 township 或 department", param_hint="--by")
    day = today_from(today)
    span = period_option(period) or window_of(Period.QUARTER, day)
    ws = load(data, as_of)
    rows = E.stats(E.as_of(ws.enforcement, day), span.start, min(span.end, day), by, Directory.for_workspace(ws))
    out = [s.as_json(i) for i, s in enumerate(rows, 1)]
    emit(format, out, V.STATS_COLUMNS, lambda: V.render_stats(rows, f"执法处罚量化评比：{span.label}（{'按乡镇' if by == 'township' else '按执法部门'}）"))

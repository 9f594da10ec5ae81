"""``anquan risks list|gaps|show``: the major-risk register (风险分级管控)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    OutFormat,
    ShowFormatOpt,
    TodayOpt,
    by_id,
    emit,
    load,
    show_format,
    today_from,
    word_option,
)

app = typer.Typer(
    help="重大安全风险数据库：按等级（重大/较大/一般/低，红/橙/黄/蓝）列出风险，管控措施、包保人、挂牌督办、复核评估的缺口。"
         "\n\nThe risk register: grades and colours, control gaps.",
    no_args_is_help=True,
)


def _open_ids(ws, day) -> set[str]:
    from anquan_cli.rules.hazards import known_on

    return {h.id for h in known_on(ws, day) if h.closed is None}


@app.command("list")
def list_(
    grade: Annotated[Optional[str], typer.Option(
        "--grade", help="风险等级：重大、较大、一般、低。 Grade.")] = None,
    colour: Annotated[Optional[str], typer.Option(
        "--colour", help="颜色：红、橙、黄、蓝（red/orange/yellow/blue）。 Colour.")] = None,
    township: Annotated[Optional[str], typer.Option(help="只看某乡镇。 Only this township.")] = None,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """风险清单：有未销号隐患的风险在前，再按等级（重大在前）。 The register, raised risks first."""
    from anquan_cli.models.risk import Colour, RiskGrade
    from anquan_cli.rules import risks as K
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.text import fold
    from anquan_cli.views import risks as V

    day = today_from(today)
    wanted = word_option(RiskGrade, grade, "--grade")
    tint = word_option(Colour, colour, "--colour")
    ws = load(data, as_of)
    settings = ws.config.settings.risks
    directory = Directory.for_workspace(ws)
    opened = _open_ids(ws, day)
    chosen = sorted(ws.risks, key=lambda r: K.register_order(r, opened))
    if wanted is not None:
        chosen = [r for r in chosen if r.grade is wanted]
    if tint is not None:
        chosen = [r for r in chosen if r.grade.colour is tint]
    rows = [V.row(r, settings, directory, opened) for r in chosen]
    if township:
        rows = [r for r in rows if r["township"] and fold(r["township"]) == fold(township)]
    emit(format, rows, V.COLUMNS, lambda: V.render_list(rows, f"重大安全风险清单（截至 {day.isoformat()}）"),
         csv_rows=lambda: [V.csv_row(r) for r in rows])


@app.command("gaps")
def gaps(
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="发现缺口时以退出码 1 结束（供 cron/CI 使用）。 Exit 1 when any gap is found.")] = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """风险管控的缺口：重大、较大风险未明确管控措施、责任人、管控层级、包保人，可能群死群伤的重大风险未挂牌督办（002），
    复核评估逾期。

    Gaps in the control of the register's risks, each with its clause.
    """
    from anquan_cli.rules import risks as K
    from anquan_cli.views import risks as V

    day = today_from(today)
    ws = load(data, as_of)
    found = K.gaps(sorted(ws.risks, key=lambda r: (r.grade.rank, r.id)), day, ws.config.settings.risks)
    emit(format, [g.as_json() for g in found], V.GAP_COLUMNS, lambda: V.render_gaps(found, day))
    raise typer.Exit(1 if exit_code and found else 0)


@app.command("show")
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="风险编号。 Risk id.")],
    format: ShowFormatOpt = "text",
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """一项风险的全部情况：等级、管控措施、包保人、挂牌督办、复核评估、相关隐患。 Everything about one risk."""
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views import hazards as H
    from anquan_cli.views import risks as V

    show_format(format)
    day = today_from(today)
    ws = load(data, as_of)
    found = by_id(ws.risks, ident, f"找不到风险 {ident}；用 anquan risks list 查看编号")
    row = V.row(found, ws.config.settings.risks, Directory.for_workspace(ws), _open_ids(ws, day))
    if format == "json":
        typer.echo(H.render_json(row))
    else:
        V.render_show(row)

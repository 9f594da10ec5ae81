"""``anquan tipoffs list|overdue|show``: tip-offs (举报), their verification, feedback and reward."""

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
    period_option,
    show_format,
    today_from,
    word_option,
)

app = typer.Typer(
    help="举报：受理、核查（60 日，可延期一次）、反馈举报人（10 日）、奖励发放；举报人信息保密，"
         "只有加 --confidential 才读取。\n\nTip-offs: verification, feedback and reward clocks; reporters only "
         "with --confidential.",
    no_args_is_help=True,
)

OverdueExitOpt = Annotated[bool, typer.Option(
    "--exit-code", help="有逾期或未发放奖励时以退出码 1 结束（供 cron/CI 使用）。 Exit 1 when anything is listed.")]
ConfidentialOpt = Annotated[bool, typer.Option(
    "--confidential", help="同时读取并显示举报人信息（tipoffs/confidential/，保密）。 "
                           "Also read and show who reported (confidential).")]


def _load(data, as_of, confidential: bool):
    ws = load(data, as_of, confidential=confidential)
    reporters = {r.tipoff: r for r in ws.reporters} if confidential else {}
    return ws, reporters


@app.command("list")
def list_(
    result: Annotated[Optional[str], typer.Option(
        "--result", help="核查结果：属实、部分属实、不属实、核查中。 Result.")] = None,
    period: Annotated[Optional[str], typer.Option(help="受理时段：2023Q3、2023-07、2023。 Received in.")] = None,
    township: Annotated[Optional[str], typer.Option(help="只看某乡镇。 Only this township.")] = None,
    confidential: ConfidentialOpt = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """举报台账（按受理日期）：核查期限、结果、查实的隐患、反馈和奖励。 Tip-offs by the day received."""
    from anquan_cli.models.tipoff import Result
    from anquan_cli.rules import tipoffs as T
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.text import fold
    from anquan_cli.views import tipoffs as V

    day = today_from(today)
    span = period_option(period)
    wanted = word_option(Result, result, "--result")
    ws, reporters = _load(data, as_of, confidential)
    settings = ws.config.settings.tipoffs
    directory = Directory.for_workspace(ws)
    chosen = sorted(T.as_of(ws.tipoffs, day), key=lambda t: (t.received, t.id))
    if span:
        chosen = [t for t in chosen if span.start <= t.received <= span.end]
    if wanted is not None:
        chosen = [t for t in chosen if t.state is wanted]
    rows = [V.row(t, day, settings, directory, reporters.get(t.id), confidential) for t in chosen]
    if township:
        rows = [r for r in rows if r["township"] and fold(r["township"]) == fold(township)]
    columns = V.COLUMNS + (V.REPORTER_COLUMNS if confidential else [])
    emit(format, rows, columns, lambda: V.render_list(rows, "举报台账" + (f"：{span.label}" if span else f"（截至 {day.isoformat()}）")))


@app.command("overdue")
def overdue(
    within: Annotated[int, typer.Option(
        "--within", min=0, help="也列出这么多天内到期的核查和反馈。 Also those due within N days.")] = 0,
    exit_code: OverdueExitOpt = False,
    confidential: ConfidentialOpt = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """逾期未核查、逾期未反馈举报人、奖励已批准未发放的举报（002：及时核查处理举报事项，落实举报奖励）。

    Verifications and feedbacks past their day, and rewards approved but not paid.
    """
    from anquan_cli.rules import tipoffs as T
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views import tipoffs as V

    day = today_from(today)
    ws, reporters = _load(data, as_of, confidential)
    directory = Directory.for_workspace(ws)
    found = T.open_clocks(T.as_of(ws.tipoffs, day), day, ws.config.settings.tipoffs, within)
    rows = [V.clock_row(c, day, directory) for c in found]
    columns = V.CLOCK_COLUMNS
    if confidential:  # who to call back about a late feedback
        for r in rows:
            rep = reporters.get(r["tipoff"])
            r["reporter_name"] = rep.name if rep is not None else None
            r["reporter_contact"] = rep.contact if rep is not None else None
        columns = columns + V.REPORTER_COLUMNS
    emit(format, rows, columns, lambda: V.render_clocks(rows, day))
    raise typer.Exit(1 if exit_code and rows else 0)


@app.command("show")
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="举报编号。 Tip-off id.")],
    confidential: ConfidentialOpt = False,
    format: ShowFormatOpt = "text",
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """一件举报的全部情况（加 --confidential 才显示举报人）。 Everything about one tip-off."""
    from anquan_cli.rules import tipoffs as T
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views import hazards as H
    from anquan_cli.views import tipoffs as V

    show_format(format)
    day = today_from(today)
    ws, reporters = _load(data, as_of, confidential)
    t = by_id(T.as_of(ws.tipoffs, day), ident, f"找不到举报 {ident}（截至 {day.isoformat()}）；用 anquan tipoffs list 查看编号")
    r = V.row(t, day, ws.config.settings.tipoffs, Directory.for_workspace(ws), reporters.get(t.id), confidential)
    if format == "json":
        typer.echo(H.render_json(r))
    else:
        V.render_show(r)

"""``anquan campaigns status`` and ``anquan submissions missing``: where each campaign stands,
and which units have not submitted what a node asks for."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, FormatOpt, OutFormat, TodayOpt, emit, load, today_from

app = typer.Typer(
    help="专项行动：所处阶段、各报送节点的报送情况、各阶段发现和销号的隐患（001 四、阶段安排；002 报送节点）。\n\n"
         "Campaigns: the phase a day falls in, each node's submissions, each phase's figures.",
    no_args_is_help=True,
)
submissions_app = typer.Typer(
    help="报送记录：谁没有按期报送专项行动要求的材料（实施方案、阶段性情况、工作总结……）。\n\n"
         "Submissions: who has not submitted what a campaign's node asks for.",
    no_args_is_help=True,
)


@app.command("status")
def status(
    campaign: Annotated[Optional[str], typer.Argument(help="专项行动编号（默认全部）。 Campaign id (default: all).")] = None,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """专项行动进展：截至今天所处阶段，各报送节点应报、按时、逾期报送和未报的单位，各阶段发现和销号的隐患。

    Where each campaign stands on the day asked about.
    """
    from anquan_cli.rules import campaigns as C
    from anquan_cli.rules.hazards import known_on
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.text import closest
    from anquan_cli.views import campaigns as V
    from anquan_cli.views import hazards as H

    if format is OutFormat.csv:
        raise typer.BadParameter("专项行动进展不是一张表：用 table 或 json", param_hint="--format")
    day = today_from(today)
    ws = load(data, as_of)
    every = C.campaigns_of(ws, day)
    chosen = every
    if campaign:
        chosen = [c for c in every if c.id == campaign.strip()]
        if not chosen:
            guess = closest(campaign, [c.id for c in every])
            raise typer.BadParameter(f"没有编号为 {campaign} 的专项行动" + (f"；是不是 {guess}？" if guess else ""),
                                     param_hint="CAMPAIGN")
    units = C.node_units(chosen, ws.submissions, Directory.for_workspace(ws), day)
    hazards = known_on(ws, day)
    rows = [V.campaign_row(c, day, units, C.phase_figures(c, hazards, day)) for c in chosen]
    if format is OutFormat.json:
        typer.echo(H.render_json(rows))
    else:
        V.render_status(rows, day)


@submissions_app.command("missing")
def missing(
    node: Annotated[Optional[str], typer.Option(
        "--node", help="只看一个节点：专项行动编号:节点编号，或节点编号。 Only this node.")] = None,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="有逾期未报或逾期报送时以退出码 1 结束（供 cron/CI 使用）。 Exit 1 when any is found.")] = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """过了期限还没有报送的单位（逾期未报），和过了期限才报送的（逾期报送），截至今天。

    Units that have not submitted by the due day, then those that submitted late.
    """
    from anquan_cli.rules import campaigns as C
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views import campaigns as V

    day = today_from(today)
    ws = load(data, as_of)
    every = C.campaigns_of(ws, day)
    found = C.missing(C.node_units(every, ws.submissions, Directory.for_workspace(ws), day))
    if node:
        wanted = C.resolve_node(node, every)
        if wanted is None:
            raise typer.BadParameter(f"没有报送节点“{node}”（写成 专项行动编号:节点编号）", param_hint="--node")
        found = [r for r in found if r.campaign is wanted[0] and r.node is wanted[1]]
    rows = [V.node_unit_row(r) for r in found]
    emit(format, rows, V.MISSING_COLUMNS, lambda: V.render_missing(rows, day))
    raise typer.Exit(1 if exit_code and rows else 0)

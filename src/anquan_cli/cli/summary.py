"""``anquan summary``: one screen for a leader — the hazards and their trend, the major hazards'
挂牌督办, the duties not met, the coverage gaps, the next deadlines, the year's accidents and
enforcement (figures from :mod:`anquan_cli.rules.summary`, laid out by :mod:`anquan_cli.views.summary`)."""

from __future__ import annotations

from typing import Annotated

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, TextOrJson, TodayOpt, load, today_from


def summary(
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="text 或 json。 Output format.")] = TextOrJson.text,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """一屏总览：未销号、逾期、待验收的隐患和近四个季度的走势，逾期隐患按乡镇的条形图，重大隐患挂牌督办，本季度未完成的履职，企业监管和包保盲区，近 30 天的期限，本年事故和执法——都与相应命令的结果一致。

    One screen for a leader: hazards with their trend, major hazards and their listing, unmet
    duties, coverage gaps, the next deadlines, the year's accidents and enforcement.
    """
    import shutil

    from anquan_cli.rules.summary import summary as build
    from anquan_cli.views import summary as V
    from anquan_cli.workspace import holiday_overrides

    day = today_from(today)
    ws = load(data, as_of)
    found = build(ws, day, holiday_overrides(ws.root))
    if format is TextOrJson.json:
        typer.echo(V.render_json(found))
    else:
        typer.echo(V.render_text(found, shutil.get_terminal_size((V.WIDTH, 24)).columns), nl=False)

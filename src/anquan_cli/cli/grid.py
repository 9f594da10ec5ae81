"""``anquan grid show [CELL]``: the supervision grid (县、乡、村、企) as a tree."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, ShowFormatOpt, load, show_format

app = typer.Typer(
    help="网格化监管：县、乡、村、企四级网格，每个网格的责任人、岗位、职责和网格内的企业（004）。\n\n"
         "The supervision grid: cells, their responsible people and enterprises.",
    no_args_is_help=True,
)


@app.command("show")
def show(
    cell: Annotated[Optional[str], typer.Argument(metavar="[CELL]", help="网格编号（不写为整个网格）。 A cell id.")] = None,
    format: ShowFormatOpt = "text",
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """网格监管图：每个网格的层级、责任人、岗位，下级网格和网格内的企业。 The grid as a tree, or one cell's branch."""
    from anquan_cli.problems import UsageError
    from anquan_cli.rules import grid as G
    from anquan_cli.views import grid as V
    from anquan_cli.views import hazards as H

    show_format(format)
    ws = load(data, as_of)
    nodes = G.tree(ws.cells, ws.units)
    if cell:
        found = G.under(nodes, cell)
        if found is None:
            raise UsageError(f"找不到网格 {cell}；用 anquan grid show 查看全部网格")
        nodes = [found]
    if format == "json":
        typer.echo(H.render_json([V.node_json(n) for n in nodes]))
    else:
        V.render_tree(nodes)

"""``anquan report``: the weekly dispatch, monthly summary, quarterly bulletin and annual summary, and
the 隐患排查治理情况统计分析表 (16号令第十四条)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, TodayOpt, note_errors, today_from


class Kind(str, Enum):
    weekly = "weekly"
    monthly = "monthly"
    quarterly = "quarterly"
    annual = "annual"
    statistics = "statistics"


class ReportFormat(str, Enum):
    md = "md"
    docx = "docx"
    xlsx = "xlsx"


def report(
    kind: Annotated[Kind, typer.Argument(help="weekly 周调度、monthly 月小结、quarterly 季度通报、annual 年度总结、"
                                              "statistics 隐患排查治理情况统计分析表（16号令第十四条）。 Report kind.")],
    period: Annotated[Optional[str], typer.Option(
        help="时段：2023Q3、2023-08、2023-W34、2023（默认今天所在的周/月/季/年；statistics 只收季度或年度，"
             "默认上一季度）。 Period.")] = None,
    format: Annotated[Optional[ReportFormat], typer.Option(
        "--format", "-f", help="md 或 docx；statistics 另可 xlsx（不写时按 -o 的扩展名，否则 md）。 Output format.",
        show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="写入的文件（md 默认输出到屏幕，docx、xlsx 默认按报告和时段命名）。 Output file.")] = None,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """生成周调度、月小结、季度通报、年度总结（Markdown 或公文格式 DOCX），以及每季、每年的隐患排查治理情况统计分析表（xlsx、DOCX 或 Markdown）。

    Generate the weekly dispatch, monthly summary, quarterly bulletin or annual summary as
    Markdown or as an official-format DOCX, from templates a workspace can override; and the
    quarterly or yearly hazard statistics form (statistics: xlsx, DOCX or Markdown).
    """
    from anquan_cli import api
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.rules.report import KINDS, parse_report_period
    from anquan_cli.workspace import find_workspace

    day = today_from(today)
    if kind is Kind.statistics:
        _statistics(period, format, output, day, as_of, data)
        return
    if format is ReportFormat.xlsx:
        raise typer.BadParameter("xlsx 只用于 statistics（隐患排查治理情况统计分析表）；周调度、月小结、季度通报、"
                                 "年度总结请用 md 或 docx", param_hint="--format")
    format = format or ReportFormat.md
    try:
        window = parse_report_period(kind.value, period, day)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None

    def provenance(ws) -> dict:
        return _provenance(ws, day, as_of)

    root = find_workspace(data)
    if format is ReportFormat.md:
        from anquan_cli.views.templates import render_markdown, templates_digest

        name = f"report-{kind.value}.md.j2"
        text, errors = api.report(root, kind.value, window, day, provenance, as_of, layout=(
            f"md|{name}|{templates_digest(root)}", lambda ctx: render_markdown(name, ctx, root)))
        note_errors(errors)
        if output is None:
            typer.echo(text, nl=False)
            return
        atomic_write(output, text.encode("utf-8"))
    else:
        from anquan_cli.views.docx import render_docx

        ctx, errors = api.report(root, kind.value, window, day, provenance, as_of)
        note_errors(errors)
        output = output or Path(f"{ctx['jurisdiction']}{KINDS[kind.value][1]}-{window.label}.docx")
        data, warnings = render_docx(kind.value, ctx, root)
        for w in warnings:
            typer.echo(f"注意：{w}", err=True)
        atomic_write(output, data)
    typer.echo(f"已生成：{output}")


def _provenance(ws, day, as_of: Optional[str]) -> dict:
    """Where a report's figures come from: the workspace, its git revision, the day, the version."""
    from anquan_cli import __version__, gitio
    from anquan_cli.views.problems import display_path

    rev = (ws.revision[:7], False) if ws.revision else gitio.revision(ws.root)
    return {
        "workspace": display_path(ws.root, "."), "jurisdiction": ws.config.jurisdiction,
        "revision": ("不是 git 仓库" if rev is None else
                     f"git 提交 {rev[0]}" + ("（有未提交的修改）" if rev[1] else "")
                     + (f"（按 --as-of {as_of} 读取）" if as_of else "")),
        "commit": rev[0] if rev else None, "dirty": rev[1] if rev else None,
        "generated_at": day.isoformat(), "version": __version__,
    }


_SUFFIXES = {".xlsx": ReportFormat.xlsx, ".docx": ReportFormat.docx, ".md": ReportFormat.md}


def _statistics(period: Optional[str], format: Optional[ReportFormat], output: Optional[Path], day, as_of, data) -> None:
    """``report statistics``: the 隐患排查治理情况统计分析表 of a quarter or a year (16号令第十四条)."""
    import io

    from anquan_cli.cli._common import load
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.statistics import TITLE, parse_statistics_period, statistics
    from anquan_cli.views import statistics as V

    try:
        window = parse_statistics_period(period, day)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None
    if format is None:
        format = _SUFFIXES.get(output.suffix.lower(), ReportFormat.md) if output is not None else ReportFormat.md
    ws = load(data, as_of)
    stats = statistics(ws.hazards, window, day, Directory.for_workspace(ws), ws.config.settings.acceptance_days)
    p = _provenance(ws, day, as_of)
    meta = V.Meta(ws.config.jurisdiction, f"{ws.config.jurisdiction}安全生产委员会办公室", day,
                  f"{p['workspace']}；{p['revision']}；由 anquan {p['version']} 生成")
    if format is ReportFormat.md:
        text = V.markdown(stats, meta)
        if output is None:
            typer.echo(text, nl=False)
            return
        atomic_write(output, text.encode("utf-8"))
    else:
        output = output or Path(f"{ws.config.jurisdiction}{TITLE}-{window.label}.{format.value}")
        if format is ReportFormat.xlsx:
            atomic_write(output, V.xlsx_bytes(stats, meta))
        else:
            buf = io.BytesIO()
            V.document(stats, meta).save(buf)
            atomic_write(output, buf.getvalue())
    typer.echo(f"已生成：{output}")

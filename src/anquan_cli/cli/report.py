"""``anquan report``: the weekly dispatch, monthly summary, quarterly bulletin and annual summary."""

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


class ReportFormat(str, Enum):
    md = "md"
    docx = "docx"
    json = "json"


def report(
    kind: Annotated[Kind, typer.Argument(help="weekly 周调度、monthly 月小结、quarterly 季度通报、annual 年度总结。 Report kind.")],
    period: Annotated[Optional[str], typer.Option(
        help="时段：2023Q3、2023-08、2023-W34、2023（默认今天所在的周/月/季/年）。 Period.")] = None,
    format: Annotated[ReportFormat, typer.Option(
        "--format", "-f", help="md、docx 或 json（报告依据的数字和清单，英文键）。 Output format.")] = ReportFormat.md,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="写入的文件（md 默认输出到屏幕，docx 默认按报告和时段命名）。 Output file.")] = None,
    number: Annotated[Optional[str], typer.Option(
        "--number", help="发文字号：next 按 anquan.yaml 的 documents.number 取下一个号并登记在 documents/register.yaml；"
                         "或直接写 青安委办〔2023〕12号。不写是草稿：只用这份文件已登记的号。 Document number.")] = None,
    to: Annotated[Optional[list[str]], typer.Option(
        "--to", help="主送机关（可写多次，或用顿号分开；默认 documents.to）。 Addressees.")] = None,
    cc: Annotated[Optional[list[str]], typer.Option(
        "--cc", help="抄送机关（可写多次，或用顿号分开；默认 documents.cc）。 Copies to.")] = None,
    provenance_note: Annotated[bool, typer.Option(
        "--provenance", help="把数据来源（工作区、git 提交、anquan 版本）印成标题的脚注（默认只写在文档属性里）。 "
                             "Print the provenance as a footnote.")] = False,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """生成周调度、月小结、季度通报、年度总结（Markdown 或公文格式 DOCX）。

    Generate the weekly dispatch, monthly summary, quarterly bulletin or annual summary as
    Markdown or as an official-format DOCX, from templates a workspace can override.
    """
    from anquan_cli import __version__, api, gitio
    from anquan_cli.cli._common import split_names_option
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.prose import period_folder, read_prose
    from anquan_cli.rules.report import KINDS, parse_report_period
    from anquan_cli.workspace import find_workspace

    day = today_from(today)
    try:
        window = parse_report_period(kind.value, period, day)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None

    def provenance(ws) -> dict:
        rev = (ws.revision[:7], False) if ws.revision else gitio.revision(ws.root)
        return {
            # the workspace by its folder's name: a report leaves the office, a server's path must not
            "workspace": ws.root.resolve().name or ".", "jurisdiction": ws.config.jurisdiction,
            "revision": ("不是 git 仓库" if rev is None else
                         f"git 提交 {rev[0]}" + ("（有未提交的修改）" if rev[1] else "")
                         + (f"（按 --as-of {as_of} 读取）" if as_of else "")),
            "commit": rev[0] if rev else None, "dirty": rev[1] if rev else None,
            "generated_at": day.isoformat(), "version": __version__,
        }

    root = find_workspace(data)
    prose = [s.as_dict() for s in read_prose(root, kind.value, window.start)]
    if format is ReportFormat.json:  # the figures the report is built from (views/reportdata.py)
        from anquan_cli.views.reportdata import render_json

        ctx, errors = api.report(root, kind.value, window, day, provenance, as_of)
        note_errors(errors)
        if output is None:
            typer.echo(render_json(ctx), nl=False)
            return
        atomic_write(output, render_json(ctx, indent=True).encode("utf-8"))
    elif format is ReportFormat.md:
        import hashlib
        import json

        from anquan_cli.views.templates import render_markdown, templates_digest, with_prose

        name = f"report-{kind.value}.md.j2"
        written = hashlib.blake2b(json.dumps(prose, ensure_ascii=False).encode(), digest_size=16).hexdigest()
        text, errors = api.report(root, kind.value, window, day, provenance, as_of, layout=(
            f"md|{name}|{templates_digest(root)}|{written}",
            lambda ctx: render_markdown(name, with_prose(kind.value, ctx, prose), root)))
        note_errors(errors)
        if output is None:
            typer.echo(text, nl=False)
            return
        atomic_write(output, text.encode("utf-8"))
    else:
        from anquan_cli.views.docx import docx_context, render_docx, report_frame

        ctx, errors = api.report(root, kind.value, window, day, provenance, as_of)
        note_errors(errors)
        ctx = {**ctx, "prose": prose}
        output = output or Path(f"{ctx['jurisdiction']}{KINDS[kind.value][1]}-{window.label}.docx")
        title = docx_context(kind.value, ctx)["title"]
        try:
            given_number, _ = api.document_number(
                root, day, key=f"report:{kind.value}:{period_folder(kind.value, window.start)}", title=title,
                kind=KINDS[kind.value][1], given=number, to=tuple(split_names_option(to)), write=as_of is None)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--number") from None
        if given_number is None:
            typer.echo("注意：这是没有发文字号的草稿；正式印发时加 --number next（顺序编号并登记），"
                       "或 --number 写出文号", err=True)
        frame = report_frame(kind.value, docx_context(kind.value, ctx), given_number, tuple(split_names_option(to)),
                             tuple(split_names_option(cc)), footnote=provenance_note)
        data, warnings = render_docx(kind.value, ctx, root, frame)
        for w in warnings:
            typer.echo(f"注意：{w}", err=True)
        atomic_write(output, data)
    typer.echo(f"已生成：{output}")

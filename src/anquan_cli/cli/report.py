"""``anquan report``: the weekly dispatch, monthly summary, quarterly bulletin and annual summary, and
the 隐患排查治理情况统计分析表 (16号令第十四条)."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    json = "json"


def report(
    kind: Annotated[Kind, typer.Argument(help="weekly 周调度、monthly 月小结、quarterly 季度通报、annual 年度总结、"
                                              "statistics 隐患排查治理情况统计分析表（16号令第十四条）。 Report kind.")],
    period: Annotated[Optional[str], typer.Option(
        help="时段：2023Q3、2023-08、2023-W34、2023（默认今天所在的周/月/季/年；statistics 只收季度或年度，"
             "默认上一季度）。 Period.")] = None,
    format: Annotated[Optional[ReportFormat], typer.Option(
        "--format", "-f", help="md、docx 或 json（报告依据的数字和清单，英文键）；statistics 另可 xlsx"
                               "（不写时按 -o 的扩展名 .md/.docx/.xlsx/.json，否则 md）。 Output format.",
        show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="写入的文件（md 默认输出到屏幕，docx、xlsx 默认按报告和时段命名）。 Output file.")] = None,
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
    """生成周调度、月小结、季度通报、年度总结（Markdown 或公文格式 DOCX），以及每季、每年的隐患排查治理情况统计分析表（xlsx、DOCX 或 Markdown）。

    Generate the weekly dispatch, monthly summary, quarterly bulletin or annual summary as
    Markdown or as an official-format DOCX, from templates a workspace can override; and the
    quarterly or yearly hazard statistics form (statistics: xlsx, DOCX or Markdown).
    """
    from anquan_cli import api
    from anquan_cli.cli._common import split_names_option
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.prose import period_folder, read_prose
    from anquan_cli.rules.report import KINDS, parse_report_period
    from anquan_cli.workspace import find_workspace

    day = today_from(today)
    issue = _Issue(number, tuple(split_names_option(to)), tuple(split_names_option(cc)), provenance_note)
    if kind is Kind.statistics:
        _statistics(period, format, output, day, as_of, data, issue)
        return
    format = format or _by_suffix(output)
    if format is ReportFormat.xlsx:
        raise typer.BadParameter("xlsx 只用于 statistics（隐患排查治理情况统计分析表）；周调度、月小结、季度通报、"
                                 "年度总结请用 md 或 docx", param_hint="--format")
    try:
        window = parse_report_period(kind.value, period, day)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None

    def provenance(ws) -> dict:
        return _provenance(ws, day, as_of)

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
        laid = docx_context(kind.value, ctx)
        title = laid["title"]
        key = f"report:{kind.value}:{period_folder(kind.value, window.start)}"
        given_number = issue.number_for(root, day, key, title, KINDS[kind.value][1])
        frame = report_frame(kind.value, laid, given_number, issue.to, issue.cc, footnote=issue.footnote)
        data, warnings = render_docx(kind.value, ctx, root, frame)
        for w in warnings:
            typer.echo(f"注意：{w}", err=True)
        numbered = issue.take(root, day, key, title, KINDS[kind.value][1], given_number, as_of)
        atomic_write(output, data)
        typer.echo(f"已生成：{output}{numbered}")
        return
    typer.echo(f"已生成：{output}")


@dataclass(frozen=True)
class _Issue:
    """How this run issues a DOCX: ``--number``, ``--to``, ``--cc``, ``--provenance``."""

    number: Optional[str]
    to: tuple[str, ...]
    cc: tuple[str, ...]
    footnote: bool

    def number_for(self, root: Path, day, key: str, title: str, kind: str) -> Optional[str]:
        """The document's 发文字号 (see :func:`api.document_number`), looked up without taking
        it: :meth:`take` registers it once the document is made, so a document that fails
        leaves no gap in the year's numbers.  A note on stderr when it is a draft."""
        from anquan_cli import api

        try:
            got, _ = api.document_number(root, day, key=key, title=title, kind=kind, given=self.number, to=self.to,
                                         write=False)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--number") from None
        if got is None:
            typer.echo("注意：这是没有发文字号的草稿；正式印发时加 --number next（顺序编号并登记），"
                       "或 --number 写出文号", err=True)
        return got

    def take(self, root: Path, day, key: str, title: str, kind: str, number: Optional[str],
             as_of: Optional[str]) -> str:
        """Register ``number`` (from :meth:`number_for`) for the document made — through the one
        write path, refused when another document took it meanwhile; nothing for a draft or a
        document read from the past (``--as-of``)."""
        from anquan_cli import api

        if number is None:
            return "（草稿）"
        if self.number is None or as_of is not None:
            return f"（{number}）"
        try:
            _, new = api.document_number(root, day, key=key, title=title, kind=kind, given=number, to=self.to)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--number") from None
        return f"（{number}" + ("，已登记在 documents/register.yaml）" if new else "，登记过的文号）")


def _provenance(ws, day, as_of: Optional[str]) -> dict:
    """Where a report's figures come from: the workspace (by its folder's name: a report leaves
    the office, a server's path must not), its git revision, the day, the version."""
    from anquan_cli import __version__, gitio

    rev = (ws.revision[:7], False) if ws.revision else gitio.revision(ws.root)
    return {
        "workspace": ws.root.resolve().name or ".", "jurisdiction": ws.config.jurisdiction,
        "revision": ("不是 git 仓库" if rev is None else
                     f"git 提交 {rev[0]}" + ("（有未提交的修改）" if rev[1] else "")
                     + (f"（按 --as-of {as_of} 读取）" if as_of else "")),
        "commit": rev[0] if rev else None, "dirty": rev[1] if rev else None,
        "generated_at": day.isoformat(), "version": __version__,
    }


_SUFFIXES = {".xlsx": ReportFormat.xlsx, ".docx": ReportFormat.docx, ".md": ReportFormat.md,
             ".json": ReportFormat.json}


def _by_suffix(output: Optional[Path]) -> ReportFormat:
    """The format ``-o``'s suffix names when ``--format`` is not given; else Markdown."""
    return _SUFFIXES.get(output.suffix.lower(), ReportFormat.md) if output is not None else ReportFormat.md


def _statistics(period: Optional[str], format: Optional[ReportFormat], output: Optional[Path], day, as_of, data,
                issue: _Issue) -> None:
    """``report statistics``: the 隐患排查治理情况统计分析表 of a quarter or a year (16号令第十四条)."""
    import io

    from anquan_cli.cli._common import load
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.statistics import TITLE, code, parse_statistics_period, statistics
    from anquan_cli.views import statistics as V

    try:
        window = parse_statistics_period(period, day)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None
    format = format or _by_suffix(output)
    ws = load(data, as_of)
    stats = statistics(ws.hazards, window, day, Directory.for_workspace(ws), ws.config.settings.acceptance_days)
    p = _provenance(ws, day, as_of)
    source = f"{p['workspace']}；{p['revision']}；由 anquan {p['version']} 生成"
    docs = ws.config.documents
    filer = docs.organ or f"{ws.config.jurisdiction}安全生产委员会办公室"
    meta = V.Meta(ws.config.jurisdiction, filer, day, source)
    if format in (ReportFormat.md, ReportFormat.json):
        if format is ReportFormat.json:  # the form's figures, English keys
            import json

            text = json.dumps(stats.as_json(), ensure_ascii=False, indent=2 if output else None) + "\n"
        else:
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
            from anquan_cli.views.gongwen import Frame, finish

            title = V.title(stats, meta)
            key = f"statistics:{code(stats.period)}"
            number = issue.number_for(ws.root, day, key, title, TITLE)
            doc = V.document(stats, replace(meta, provenance=""))  # the source goes into the properties
            finish(doc, Frame(title=title, organ=filer, date=day, mark=docs.mark, number=number,
                              to=issue.to or tuple(docs.to), cc=issue.cc or tuple(docs.cc), printer=docs.printer,
                              subject=TITLE, provenance=f"数据来源：{source}", footnote=issue.footnote))
            buf = io.BytesIO()
            doc.save(buf)
            numbered = issue.take(ws.root, day, key, title, TITLE, number, as_of)
            atomic_write(output, buf.getvalue())
            typer.echo(f"已生成：{output}{numbered}")
            return
    typer.echo(f"已生成：{output}")

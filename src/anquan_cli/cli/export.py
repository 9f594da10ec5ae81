"""``anquan export``: formatted Excel workbooks to hand upward, and the whole workspace as
SQLite or Parquet tables for analysts (``--format sqlite|parquet``)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, TodayOpt, load, today_from


class What(str, Enum):
    hazards = "hazards"
    tasks = "tasks"
    duties = "duties"
    matrix = "matrix"
    accidents = "accidents"
    enforcement = "enforcement"
    risks = "risks"
    grid = "grid"
    all = "all"


class ExportFormat(str, Enum):
    xlsx = "xlsx"
    sqlite = "sqlite"
    parquet = "parquet"


_TITLES = {"hazards": "隐患台账", "tasks": "重点任务推进情况", "duties": "领导干部履职情况", "matrix": "包保责任清单",
           "accidents": "生产安全事故台账", "enforcement": "执法台账", "risks": "重大安全风险清单", "grid": "网格表"}


def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="写入的 .xlsx 文件；sqlite 时是 .sqlite 文件，parquet 时是一个文件夹。 Output workbook, SQLite file or Parquet folder.")],
    what: Annotated[Optional[What], typer.Argument(
        help="hazards 隐患台账、tasks 重点任务、duties 履职情况、matrix 包保责任清单、accidents 生产安全事故、enforcement 执法台账、"
             "risks 重大安全风险清单、grid 网格表；--format sqlite/parquet 时导出整个工作区"
             "（可不写或写 all）。 What to export.", show_default=False)] = None,
    format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="xlsx：报上级的工作簿（默认）；sqlite、parquet：整个工作区的数据表，供分析人员使用。 Output format.")] = ExportFormat.xlsx,
    by: Annotated[Optional[str], typer.Option(help="township：隐患按乡镇分工作表。 One sheet per township (hazards).")] = None,
    township: Annotated[Optional[str], typer.Option(help="只导出这个乡镇的隐患或风险。 Township filter (hazards, risks).")] = None,
    level: Annotated[Optional[str], typer.Option(help="隐患等级：一般/重大。 Level filter (hazards).")] = None,
    open_: Annotated[bool, typer.Option("--open", help="只导出未销号的隐患。 Open hazards only.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="只导出逾期的隐患或任务。 Overdue only.")] = False,
    period: Annotated[Optional[str], typer.Option(help="履职情况的时段，如 2023Q3（默认今天所在的季度）。 Period (duties).")] = None,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """导出报上级用的 Excel：标题行（辖区、日期）、加粗冻结的表头、自动筛选、适合中文的列宽、日期格式、逾期标红、可按乡镇分表，另有汇总表。

    Export a formatted workbook (title row, bold frozen header, autofilter, widths that fit
    Chinese, date cells, overdue rows highlighted, optional sheet per township, summary sheet).
    With --format sqlite or parquet: every record kind as a table for analysts.
    """
    if format is not ExportFormat.xlsx:
        _export_tables(format, what, output, today, as_of, data,
                       {"--by": by, "--township": township, "--level": level, "--open": open_, "--overdue": overdue,
                        "--period": period})
        return
    from anquan_cli.problems import UsageError

    if what in (None, What.all):
        raise UsageError("导出 Excel 须写明导出什么：hazards、tasks、duties、matrix、accidents、enforcement、risks 或 grid"
                         "（整个工作区请用 --format sqlite 或 parquet）")
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.models import Level, Period
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views import excel as X

    day = today_from(today)
    if by not in (None, "township"):
        raise typer.BadParameter("只支持 --by township", param_hint="--by")
    if by and what is not What.hazards:
        raise UsageError("--by township 只用于导出隐患")
    ws = load(data, as_of)
    directory = Directory.for_workspace(ws)
    if what is What.hazards:
        from anquan_cli.rules import hazards as R
        from anquan_cli.rules.hazards import Guarantees
        from anquan_cli.views.hazards import HazardView, rows

        f = R.HazardFilter(township=township, level=Level.parse(level) if level else None, open=open_,
                           overdue=overdue)
        v = HazardView(day, directory, Guarantees.for_workspace(ws), ws.config.settings.escalation_days,
                       ws.config.settings.acceptance_days)
        chosen = sorted(R.select(R.known_on(ws, day), f, day, directory), key=lambda h: (h.found, h.id))
        sheets, summary = X.hazard_sheets(rows(chosen, v), by == "township")
    elif what is What.tasks:
        from anquan_cli.rules.tasks import is_overdue, task_states
        from anquan_cli.views.tasks import task_row

        states = [s for s in task_states(ws.tasks, ws.progress, day) if not overdue or is_overdue(s, day)]
        sheets, summary = X.task_sheets([task_row(s, day) for s in states])
    elif what is What.duties:
        from anquan_cli.rules.campaigns import duties_in_force
        from anquan_cli.rules.duties import duty_status
        from anquan_cli.rules.periods import parse_period, window_of

        span = parse_period(period) if period else window_of(Period.QUARTER, day)
        sheets, summary = X.duty_sheets(duty_status(duties_in_force(ws.duties, ws.campaigns), ws.activities, directory, span, day, ws.config.level.value))
    elif what is What.accidents:
        import datetime as dt

        from anquan_cli.rules import accidents as A
        from anquan_cli.views.accidents import AccidentView, detail

        view = AccidentView.for_workspace(ws, day, directory)
        known = A.in_window(A.as_of(ws.accidents, day), dt.date.min, day)
        sheets, summary = X.accident_sheets([detail(a, view) for a in known])
    elif what is What.enforcement:
        from anquan_cli.rules import enforcement as E
        from anquan_cli.rules.hazards import known_on
        from anquan_cli.views.enforcement import row as action_row

        actions = sorted(E.as_of(ws.enforcement, day), key=lambda e: (e.date, e.id))
        found = E.gaps(known_on(ws, day), actions, day, ws.config.settings.enforcement)
        action_rows = []
        for e in actions:
            r = action_row(e, directory)
            r.update(inspectors=list(e.inspectors), mode_label=e.mode.label if e.mode else None, basis=e.basis,
                     note=e.note, from_=e.from_, until=e.until, resumed=e.resumed, accepted=e.accepted, to=e.to)
            action_rows.append(r)
        sheets, summary = X.enforcement_sheets(action_rows, {g.hazard for g in found if g.hazard})
    elif what is What.risks:
        from anquan_cli.models.hazard import listing_text
        from anquan_cli.rules import risks as K
        from anquan_cli.rules.hazards import known_on
        from anquan_cli.text import fold
        from anquan_cli.views import risks as RV

        opened = {h.id for h in known_on(ws, day) if h.closed is None}
        settings = ws.config.settings.risks
        register = sorted(ws.risks, key=lambda k: K.register_order(k, opened))
        if township:
            register = [k for k in register
                        if fold(RV.row(k, settings, directory, opened)["township"] or "") == fold(township)]
        gaps: dict[str, list[str]] = {}
        for g in K.gaps(register, day, settings):
            gaps.setdefault(g.risk, []).append(K.RULES[g.rule])
        risk_rows = []
        for k in register:
            line = RV.row(k, settings, directory, opened)
            line.update(measures_text=RV.csv_row(line)["measures"],
                        listing_text=listing_text(k.listing.model_dump()) if k.listing else "",
                        gaps_text="、".join(dict.fromkeys(gaps.get(k.id, []))))
            risk_rows.append(line)
        sheets, summary = X.risk_sheets(risk_rows)
    elif what is What.grid:
        if township:
            raise UsageError("--township 不用于导出网格表（用 anquan grid show 网格编号 看一个乡镇的那一支）")
        from anquan_cli.rules import grid as G
        from anquan_cli.views.grid import node_json

        flat: list[dict] = []

        def walk(nodes) -> None:
            for n in nodes:
                d = node_json(n)
                flat.append({**d, "children": len(d["children"])})
                walk(n.children)

        walk(G.tree(ws.cells, ws.units))
        sheets, summary = X.grid_sheets(flat)
    else:
        from anquan_cli.views.matrix import entry_json

        sheets, summary = X.matrix_sheets([entry_json(m) for m in sorted(ws.matrix, key=lambda m: m.id)])
    path = output if output.suffix.lower() == ".xlsx" else output.with_suffix(".xlsx")
    atomic_write(path, X.workbook_bytes(f"{ws.config.jurisdiction}{_TITLES[what.value]}", day, sheets, summary))
    typer.echo(f"已导出：{path}（{sum(len(s.rows) for s in sheets)} 行，{len(sheets) + 1} 个工作表）")


def _export_tables(format: ExportFormat, what: Optional[What], output: Path, today, as_of, data, excel_only: dict) -> None:
    """The whole workspace as SQLite (one file) or Parquet (a folder, one file per table)."""
    from anquan_cli import __version__
    from anquan_cli.problems import UsageError
    from anquan_cli.views import dataset as D

    used = [name for name, value in excel_only.items() if value]
    if used:
        raise UsageError(f"{'、'.join(used)} 只用于导出 Excel；--format {format.value} 导出整个工作区")
    if format is ExportFormat.parquet:
        D.require_pyarrow()  # before the workspace is read: say at once what is missing
    if what not in (None, What.all):
        typer.echo(f"注意：--format {format.value} 导出整个工作区（所有表），不只是 {what.value}", err=True)
    day = today_from(today)
    ws = load(data, as_of)
    tables = D.workspace_tables(ws, day, __version__)
    if format is ExportFormat.sqlite:
        path = output if output.suffix.lower() in (".sqlite", ".sqlite3", ".db") else output.with_suffix(".sqlite")
        D.write_sqlite(tables, path)
    else:
        path = output
        D.write_parquet(tables, path)
    counts = "、".join(f"{t.name} {len(t.rows)}" for t in tables if t.name != "meta")
    typer.echo(f"已导出：{path}（{len(tables)} 张表：{counts} 行）")

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

#: the workbooks each filter option chooses rows of; any other refuses it (never ignored)
_FILTERS = {
    "--by": (What.hazards,),
    "--township": (What.hazards, What.matrix, What.accidents, What.enforcement, What.risks),
    "--level": (What.hazards,),
    "--open": (What.hazards, What.tasks),
    "--overdue": (What.hazards, What.tasks),
    "--period": (What.hazards, What.tasks, What.duties, What.accidents, What.enforcement),
}
#: where to look instead, when an option is refused
_ELSEWHERE = {
    ("--township", What.grid): "用 anquan grid show 网格编号 看一个乡镇的那一支",
    ("--township", What.tasks): "重点任务按责任单位看请用 anquan tasks list --unit",
    ("--township", What.duties): "履职情况按人看请用 anquan duties status --holder",
    ("--level", What.accidents): "事故按等级看请用 anquan accidents list --grade",
    ("--level", What.risks): "风险按等级看请用 anquan risks list --grade",
    ("--open", What.duties): "未完成的履职整行标红；只看未完成的请用 anquan duties status --unmet",
    ("--overdue", What.duties): "未完成的履职整行标红；只看未完成的请用 anquan duties status --unmet",
    ("--overdue", What.enforcement): "执法与隐患脱节的整行标红；清单请用 anquan enforcement gaps",
    ("--overdue", What.risks): "有管控缺口的整行标红；清单请用 anquan risks gaps",
}


def _refuse_filters(what: What, given: dict) -> None:
    """An option that chooses nothing in this workbook is refused, with where it applies."""
    from anquan_cli.problems import UsageError

    for option, value in given.items():
        if value and what not in _FILTERS[option]:
            kinds = "、".join(_TITLES[k.value] for k in _FILTERS[option])
            hint = _ELSEWHERE.get((option, what))
            raise UsageError(f"{option} 不用于导出{_TITLES[what.value]}（{option} 只用于导出{kinds}）"
                             + (f"；{hint}" if hint else ""))


def _township(directory, text: str) -> str:
    """``--township`` as the township's name in the unit directory (an id or a variant spelling
    reads as the name); a name the directory does not list is refused when it lists townships."""
    from anquan_cli.models import UnitKind
    from anquan_cli.problems import UsageError

    unit = directory.township(text)
    if unit is not None:
        return unit.name
    names = [u.name for u in directory.units if u.kind is UnitKind.TOWNSHIP]
    if not names:
        return text  # a workspace without a townships list: the name as written
    guess = directory.unit_suggestion(text, UnitKind.TOWNSHIP)
    raise UsageError(f"单位名录中没有乡镇“{text}”" + (f"；是不是“{guess}”？" if guess else "")
                     + f"（乡镇有：{'、'.join(names)}）")


def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="写入的 .xlsx 文件；sqlite 时是 .sqlite 文件，parquet 时是一个文件夹。 Output workbook, SQLite file or Parquet folder.")],
    what: Annotated[Optional[What], typer.Argument(
        help="hazards 隐患台账、tasks 重点任务、duties 履职情况、matrix 包保责任清单、accidents 生产安全事故、enforcement 执法台账、"
             "risks 重大安全风险清单、grid 网格表；--format sqlite/parquet 时导出整个工作区"
             "（可不写或写 all）。 What to export.", show_default=False)] = None,
    format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="xlsx：报上级的工作簿（默认）；sqlite、parquet：整个工作区的数据表，供分析人员使用。 Output format.")] = ExportFormat.xlsx,
    by: Annotated[Optional[str], typer.Option(help="township：隐患按乡镇分工作表。 One sheet per township (hazards).")] = None,
    township: Annotated[Optional[str], typer.Option(
        help="只导出这个乡镇的隐患、包保责任、事故、执法记录或风险。 Township filter (hazards, matrix, accidents, "
             "enforcement, risks).")] = None,
    level: Annotated[Optional[str], typer.Option(help="隐患等级：一般/重大。 Level filter (hazards).")] = None,
    open_: Annotated[bool, typer.Option("--open", help="只导出未销号的隐患或未完成的任务。 Open hazards, unfinished tasks.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="只导出逾期的隐患或任务。 Overdue only (hazards, tasks).")] = False,
    period: Annotated[Optional[str], typer.Option(
        help="时段，如 2023Q3、2023-07、2023：隐患为当期发现、当期销号或期末仍未销号的，任务为当期到期的，事故为当期发生的，"
             "执法为当期的记录，履职情况为当期的（默认今天所在的季度）。 Period (hazards, tasks, duties, accidents, "
             "enforcement).")] = None,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """导出报上级用的 Excel：每表一个标题、一行筛选条件和截至日期、加粗冻结的表头、自动筛选、序号列、适合中文的列宽、
    日期格式、逾期标红、可按乡镇分表，另有汇总表；按 A4 横向、一页宽打印，每页重复标题和表头，页脚有页码。

    Export a formatted workbook (one title and a line of filters per sheet, bold frozen header,
    autofilter, 序号 column, widths that fit Chinese, date cells, overdue rows highlighted,
    optional sheet per township, summary sheet; printed A4 landscape one page wide with the
    title and header on every page and page numbers).  Every filter option either chooses
    rows of the workbook asked for or is refused.  With --format sqlite or parquet: every
    record kind as a table for analysts.
    """
    given = {"--by": by, "--township": township, "--level": level, "--open": open_, "--overdue": overdue,
             "--period": period}
    if format is not ExportFormat.xlsx:
        _export_tables(format, what, output, today, as_of, data, given)
        return
    from anquan_cli.problems import UsageError

    if what in (None, What.all):
        raise UsageError("导出 Excel 须写明导出什么：hazards、tasks、duties、matrix、accidents、enforcement、risks 或 grid"
                         "（整个工作区请用 --format sqlite 或 parquet）")
    from anquan_cli.cli._common import period_option
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.models import Level, Period
    from anquan_cli.rules.lookup import Directory, same_township
    from anquan_cli.views import excel as X

    day = today_from(today)
    if by not in (None, "township"):
        raise typer.BadParameter("只支持 --by township", param_hint="--by")
    _refuse_filters(what, given)
    span = period_option(period)
    try:
        wanted_level = Level.parse(level) if level else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--level") from None
    ws = load(data, as_of)
    directory = Directory.for_workspace(ws)
    place = _township(directory, township) if township else None

    def here(name: str | None) -> bool:
        return place is None or same_township(directory, name, place)

    if what is What.hazards:
        from anquan_cli.rules import hazards as R
        from anquan_cli.rules.hazards import Guarantees
        from anquan_cli.views.hazards import HazardView, rows

        f = R.HazardFilter(township=place, level=wanted_level, open=open_, overdue=overdue, period=span,
                           acceptance_days=ws.config.settings.acceptance_days)
        v = HazardView(day, directory, Guarantees.for_workspace(ws), ws.config.settings.escalation_days,
                       ws.config.settings.acceptance_days)
        chosen = sorted(R.select(R.known_on(ws, day), f, day, directory), key=lambda h: (h.found, h.id))
        sheets, summary = X.hazard_sheets(rows(chosen, v), by == "township")
    elif what is What.tasks:
        from anquan_cli.rules.tasks import due_in, is_overdue, task_states
        from anquan_cli.views.tasks import task_row

        states = [s for s in task_states(ws.tasks, ws.progress, day)
                  if (not overdue or is_overdue(s, day)) and (not open_ or not s.done)
                  and (span is None or due_in(s, span.start, span.end))]
        sheets, summary = X.task_sheets([task_row(s, day) for s in states])
    elif what is What.duties:
        from anquan_cli.rules.campaigns import duties_in_force
        from anquan_cli.rules.duties import duty_status
        from anquan_cli.rules.periods import window_of

        span = span or window_of(Period.QUARTER, day)
        sheets, summary = X.duty_sheets(duty_status(duties_in_force(ws.duties, ws.campaigns), ws.activities, directory, span, day, ws.config.level.value))
    elif what is What.accidents:
        import datetime as dt

        from anquan_cli.rules import accidents as A
        from anquan_cli.views.accidents import AccidentView, detail

        view = AccidentView.for_workspace(ws, day, directory)
        known = A.in_window(A.as_of(ws.accidents, day), *((span.start, span.end) if span else (dt.date.min, day)))
        sheets, summary = X.accident_sheets([detail(a, view) for a in known if here(A.township_of(a, directory))])
    elif what is What.enforcement:
        from anquan_cli.rules import enforcement as E
        from anquan_cli.rules.hazards import known_on
        from anquan_cli.views.enforcement import row as action_row

        actions = sorted(E.as_of(ws.enforcement, day), key=lambda e: (e.date, e.id))
        found = E.gaps(known_on(ws, day), actions, day, ws.config.settings.enforcement)  # of every action known
        action_rows = []
        for e in actions:
            if (span is not None and not span.contains(e.date)) or not here(E.township_of(e, directory)):
                continue
            r = action_row(e, directory)
            r.update(inspectors=list(e.inspectors), mode_label=e.mode.label if e.mode else None, basis=e.basis,
                     note=e.note, from_=e.from_, until=e.until, resumed=e.resumed, accepted=e.accepted, to=e.to)
            action_rows.append(r)
        sheets, summary = X.enforcement_sheets(action_rows, {g.hazard for g in found if g.hazard})
    elif what is What.risks:
        from anquan_cli.models.hazard import listing_text
        from anquan_cli.rules import risks as K
        from anquan_cli.rules.hazards import known_on
        from anquan_cli.rules.lookup import place_township
        from anquan_cli.views import risks as RV

        opened = {h.id for h in known_on(ws, day) if h.closed is None}
        settings = ws.config.settings.risks
        register = sorted((k for k in ws.risks if here(place_township(k, directory))),
                          key=lambda k: K.register_order(k, opened))
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
        from anquan_cli.rules.hazards import known_on
        from anquan_cli.rules.matrix import in_township
        from anquan_cli.views.matrix import entry_json

        entries = sorted(ws.matrix, key=lambda m: m.id)
        if place is not None:
            hazards = {h.id: h for h in known_on(ws, day)}
            entries = [m for m in entries if in_township(m, place, directory, hazards)]
        sheets, summary = X.matrix_sheets([entry_json(m) for m in entries])
    scope = X.scope_line(what.value, day, period=span, township=place,
                         level=wanted_level.label if wanted_level else None, open_=open_, overdue=overdue)
    path = output if output.suffix.lower() == ".xlsx" else output.with_suffix(".xlsx")
    atomic_write(path, X.workbook_bytes(f"{ws.config.jurisdiction}{_TITLES[what.value]}", day, sheets, summary, scope))
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

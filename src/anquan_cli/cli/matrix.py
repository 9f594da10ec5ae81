"""``anquan matrix …``: the responsibility matrix (包保责任清单)."""

from __future__ import annotations

from typing import Annotated

import typer

from anquan_cli.cli._common import AsOfOpt, DataOpt, FormatOpt, OutFormat, TableJsonOpt, TodayOpt, emit, exit_code_opt, load, today_from

app = typer.Typer(
    help="包保责任清单：七类包保任务、某位领导的责任清单、覆盖盲区。\n\n"
         "Responsibility matrix: the seven guarantee kinds, one leader's own list, coverage gaps.",
    no_args_is_help=True,
)

GapsExitOpt = exit_code_opt("发现盲区", "there are gaps")

@app.command("show")
def show(format: FormatOpt = OutFormat.table, as_of: AsOfOpt = None, data: DataOpt = None) -> None:
    """列出包保责任清单：包保类型、包保人、责任人、包保对象和包保标准。

    Show every guarantee: kind, guarantor, responsible persons, targets and standard.
    """
    from anquan_cli.views import matrix as V

    ws = load(data, as_of)
    entries = sorted(ws.matrix, key=lambda m: m.id)
    records = [V.entry_json(m) for m in entries]
    emit(format, records, list(records[0]) if records else ["id"],
         lambda: V.render_entries(entries, f"包保责任清单（{len(entries)} 项）"))


@app.command("person")
def person(
    name: Annotated[str, typer.Argument(help="姓名或人员编号。 Name or person id.")],
    format: TableJsonOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """某个人的责任清单：包保的企业、行业和隐患，未销号隐患，相关任务，履职要求。

    Everything one person answers for: guarantees, enterprises, sectors, open hazards, tasks, duties.
    """
    from anquan_cli.problems import UsageError
    from anquan_cli.rules import hazards as R
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.matrix import person_load
    from anquan_cli.rules.tasks import task_states
    from anquan_cli.views import hazards as H
    from anquan_cli.views import matrix as V

    day = today_from(today)
    ws = load(data, as_of)
    directory = Directory.for_workspace(ws)
    res = directory.person(name)
    if not res.ok:
        if res.ambiguous:
            raise UsageError(f"“{name}”有重名：" + "、".join(f"{p.id} {p.title or ''}" for p in res.ambiguous)
                             + "；请用人员编号")
        raise UsageError(f"人员名录中没有“{name}”" + (f"；是不是“{res.suggestion}”？" if res.suggestion else ""))
    result = person_load(res.person, ws.matrix, R.known_on(ws, day),
                         task_states(ws.tasks, ws.progress, day), ws.duties, directory)
    if format is OutFormat.json:
        typer.echo(H.render_json(V.load_json(result)))
    else:
        V.render_load(result)


@app.command("gaps")
def gaps(
    exit_code: GapsExitOpt = False,
    format: TableJsonOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """包保盲区：没有包保领导的重点企业和未销号隐患、没有牵头部门或包保领导的行业领域、负担畸重的包保人。

    Coverage gaps: key enterprises and open hazards without a guarantor, sectors without a lead
    unit or guaranteeing leader, guarantors with an unusual load.
    """
    from anquan_cli.rules import hazards as R
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.matrix import gaps as find_gaps
    from anquan_cli.views import hazards as H
    from anquan_cli.views import matrix as V

    day = today_from(today)
    ws = load(data, as_of)
    found = find_gaps(ws.matrix, R.known_on(ws, day), ws.people, Directory.for_workspace(ws))
    if format is OutFormat.json:
        typer.echo(H.render_json([g.as_json() for g in found]))
    else:
        V.render_gaps(found)
    raise typer.Exit(1 if exit_code and found else 0)

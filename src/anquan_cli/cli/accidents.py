"""``anquan accidents list|show``: the production-safety accidents of a period."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    OutFormat,
    TableJsonOpt,
    TodayOpt,
    emit,
    load,
    period_option,
    today_from,
    word_option,
)

app = typer.Typer(
    help="生产安全事故：事故台账、等级（条例第三条）、报告时限（第九、十条）。\n\n"
         "Accidents: records, grades and reporting clocks.",
    no_args_is_help=True,
)


def _view(ws, day):
    from anquan_cli.views.accidents import AccidentView

    return AccidentView.for_workspace(ws, day)


@app.command("list")
def list_(
    period: Annotated[Optional[str], typer.Option(
        help="时段：2023Q3、2023-07、2023H2、2023 或 2023-W34（默认全部）。 Period the accidents happened in.")] = None,
    township: Annotated[Optional[str], typer.Option(help="只看某乡镇。 Only this township.")] = None,
    sector: Annotated[Optional[str], typer.Option(help="只看某行业领域。 Only this sector.")] = None,
    grade: Annotated[Optional[str], typer.Option(
        help="只看某等级：一般、较大、重大、特别重大。 Only this grade.")] = None,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """事故列表：发生时间、单位、等级、伤亡、损失、迟报次数。

    Accidents with their grade, casualties, loss and late reports.
    """
    import datetime as dt

    from anquan_cli.models import AccidentGrade
    from anquan_cli.rules import accidents as R
    from anquan_cli.text import fold
    from anquan_cli.views import accidents as V

    day = today_from(today)
    span = period_option(period)
    wanted = word_option(AccidentGrade, grade, "--grade")
    ws = load(data, as_of)
    view = _view(ws, day)
    known = R.as_of(ws.accidents, day)
    chosen = R.in_window(known, span.start, span.end) if span else R.in_window(known, dt.date.min, day)
    rows = [V.row(a, view) for a in chosen]
    if township:
        rows = [r for r in rows if r["township"] and fold(r["township"]) == fold(township)]
    if sector:
        rows = [r for r in rows if r["sector"] and fold(r["sector"]) == fold(sector)]
    if wanted is not None:
        rows = [r for r in rows if r["grade"] == wanted.value]
    where = f"{span.label}（{span.start.isoformat()} 至 {span.end.isoformat()}）" if span else f"截至 {day.isoformat()}"
    emit(format, rows, V.COLUMNS, lambda: V.render_table(rows, f"生产安全事故：{where}"))


@app.command("show")
def show(
    accident_id: Annotated[str, typer.Argument(metavar="ID", help="事故编号。 Accident id.")],
    format: TableJsonOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """一起事故的全部情况：伤亡、等级、逐级报告及是否超时、续报。

    One accident in full: figures, grade, each report and its clock, follow-ups.
    """
    from anquan_cli.problems import UsageError
    from anquan_cli.rules import accidents as R
    from anquan_cli.text import closest, nfkc
    from anquan_cli.views import accidents as V
    from anquan_cli.views import hazards as H

    day = today_from(today)
    ws = load(data, as_of)
    wanted = nfkc(accident_id).strip()
    found = [a for a in R.as_of(ws.accidents, day) if a.id == wanted]
    if not found:
        guess = closest(wanted, [a.id for a in ws.accidents])
        later = any(a.id == wanted for a in ws.accidents)
        raise UsageError(f"{day.isoformat()} 时还没有发生事故 {wanted}" if later else
                         f"没有编号为 {wanted} 的事故" + (f"，是不是 {guess}？" if guess else ""))
    d = V.detail(found[0], _view(ws, day))
    if format is OutFormat.json:
        typer.echo(H.render_json(d))
    else:
        V.render_one(d)


def _moment(value: str, option: str):
    from anquan_cli.text import parse_moment

    try:
        return parse_moment(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


@app.command("add")
def add(
    occurred: Annotated[str, typer.Option(
        metavar="TIME", help="发生时间：2023-08-12 14:30（不知道时刻可只写日期）。 When it happened.")],
    unit: Annotated[str, typer.Option(help="事故发生单位。 Unit.")],
    title: Annotated[str, typer.Option(help="事故名称。 Title.")],
    kind: Annotated[Optional[str], typer.Option(help="事故类别（GB 6441），如 高处坠落、中毒和窒息。 Kind.")] = None,
    deaths: Annotated[str, typer.Option(metavar="N", help="死亡人数（3、3人、三）。 Deaths.")] = "0",
    missing: Annotated[str, typer.Option(metavar="N", help="失踪人数。 Missing.")] = "0",
    serious_injuries: Annotated[str, typer.Option(metavar="N", help="重伤人数（含急性工业中毒）。 Serious injuries.")] = "0",
    minor_injuries: Annotated[str, typer.Option(metavar="N", help="轻伤人数。 Minor injuries.")] = "0",
    direct_loss: Annotated[Optional[str], typer.Option(help="直接经济损失（万元；也可写 1.2亿元）。 Loss.")] = None,
    grade: Annotated[Optional[str], typer.Option(help="事故等级（默认按伤亡和损失计算）。 Grade.")] = None,
    township: Annotated[Optional[str], typer.Option(help="乡镇（默认取单位所属乡镇）。 Township.")] = None,
    sector: Annotated[Optional[str], typer.Option(help="行业领域（默认取单位的行业）。 Sector.")] = None,
    accident_id: Annotated[Optional[str], typer.Option(
        "--id", help="事故编号（默认 SG-年份-序号）。 Id (default SG-<year>-<n>).")] = None,
    file: Annotated[Optional[str], typer.Option(
        help="写入哪个台账文件（accidents/ 下；默认按年份选）。 Ledger file under accidents/.")] = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """登记一起事故；记录须能通过 anquan check（等级不低于按伤亡和损失算出的等级、发生时间不晚于今天），否则不写入。

    Add an accident; a record anquan check would reject is not written.
    """
    import datetime as dt
    import re

    from anquan_cli.cli._common import edit_session, show_warnings, unit_option
    from anquan_cli.edit.accidents import accident_file, add_accident
    from anquan_cli.models import AccidentGrade, AccidentKind
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.text import parse_count, parse_money

    day = today_from(today)
    if file:
        accident_file(file)
    when = _moment(occurred, "--occurred")

    def checked(option: str, parse, value):
        try:
            return parse(value) if value else None
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint=option) from None

    loss = checked("--direct-loss", parse_money, direct_loss)
    checked("--kind", AccidentKind.parse, kind)
    checked("--grade", AccidentGrade.parse, grade)
    counts = {name: checked(f"--{name.replace('_', '-')}", parse_count, value) or 0
              for name, value in (("deaths", deaths), ("missing", missing), ("serious_injuries", serious_injuries),
                                  ("minor_injuries", minor_injuries))}
    year = (when.date() if isinstance(when, dt.datetime) else when).year
    with edit_session(data, day) as s:
        ident = accident_id
        if not ident:
            numbers = [int(m.group(1)) for a in s.ws.accidents if (m := re.fullmatch(rf"SG-{year}-(\d+)", a.id))]
            ident = f"SG-{year}-{max(numbers, default=0) + 1:03d}"
        directory = Directory.for_workspace(s.ws)
        values = {"id": ident, "occurred": when, "unit": unit_option(directory, unit), "title": title, "kind": kind, **counts,
                  "direct_loss": loss, "grade": grade, "township": township, "sector": sector}
        rel = add_accident(s, values, directory, file)
        s.commit()
    show_warnings(s.warnings)
    typer.echo(f"已登记事故：{ident}（{rel}）")


@app.command("report")
def report(
    accident_id: Annotated[str, typer.Argument(metavar="ID", help="事故编号。 Accident id.")],
    to: Annotated[str, typer.Option(help="接报单位，如 青岚县应急管理局。 Who was told.")],
    time: Annotated[str, typer.Option(metavar="TIME", help="报告时刻：2023-08-12 15:10。 When.")],
    from_: Annotated[Optional[str], typer.Option(
        "--from", help="报告单位（默认事故发生单位）。 Who reported (default: the accident's unit).")] = None,
    by: Annotated[Optional[str], typer.Option(help="报告人。 The person who reported.")] = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """记下一次事故报告（谁在什么时间向谁报告），并说出它是否在时限内（条例第九、十条）。

    Record a report of an accident and whether it came within its clock.
    """
    from anquan_cli.cli._common import edit_session, show_warnings
    from anquan_cli.edit.accidents import add_report
    from anquan_cli.problems import UsageError
    from anquan_cli.text import nfkc

    day = today_from(today)
    when = _moment(time, "--time")
    wanted = nfkc(accident_id).strip()
    with edit_session(data, day) as s:
        found = [a for a in s.ws.accidents if a.id == wanted]
        if not found:
            raise UsageError(f"没有编号为 {wanted} 的事故")
        a = found[0]
        rel = add_report(s, a, {"time": when, "from": from_ or a.unit, "to": to, "by": by})
        s.commit()
    show_warnings(s.warnings)
    from anquan_cli.edit.accidents import moment_text

    typer.echo(f"已记录：{a.id} {moment_text(when)} {from_ or a.unit} → {to}（{rel}）")

"""``anquan hazards …``: query the hazard ledger and move hazards through their closed loop."""

from __future__ import annotations

import sys
from enum import Enum
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
    exit_code_opt,
    load,
    parse_day,
    today_from,
)
from anquan_cli.edit.steps import actor

app = typer.Typer(
    help="隐患台账：查询、逾期、提级、整改、验收签字、销号、延期、挂牌督办。\n\n"
         "Hazard ledger: queries, overdue, escalation, the closed loop "
         "(rectify, three-party sign-off, close, extend) and listing for supervision.",
    no_args_is_help=True,
)

OverdueExitOpt = exit_code_opt("有逾期隐患", "any hazard is overdue")


class SortKey(str, Enum):
    found = "found"
    deadline = "deadline"
    id = "id"
    days_overdue = "days_overdue"
    township = "township"
    level = "level"


IdArg = Annotated[str, typer.Argument(metavar="ID", help="隐患编号。 Hazard id.", show_default=False)]
ByOpt = Annotated[Optional[str], typer.Option(
    "--by", help="经办人（默认取 git config user.name）。 Who makes the change.", show_default=False)]
DateOpt = Annotated[Optional[str], typer.Option(
    "--date", metavar="YYYY-MM-DD", help="这一步的日期（默认今天）。 Date of the step (default today).",
    show_default=False)]
FilterOpt = Annotated[Optional[str], typer.Option(show_default=False)]


def _view(ws, day):
    from anquan_cli.rules.hazards import Guarantees
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views.hazards import HazardView

    directory = Directory.for_workspace(ws)
    return HazardView(today=day, directory=directory, guarantees=Guarantees.for_workspace(ws),
                      threshold=ws.config.settings.escalation_days,
                      acceptance_days=ws.config.settings.acceptance_days)


def _indexed(data, as_of, fmt: OutFormat, day, command: str, options: dict | None):
    """``(workspace, None)`` for the ordinary answer, or ``(None, exit code)`` when the hazard
    index answered — as it is, or rebuilt from the workspace just loaded when it was stale
    (then the load has printed the note on records left out).  The index is used for compact
    JSON to a pipe or file (:func:`anquan_cli.quick.usable`) and given ``options`` (None: the
    ordinary path explains what is wrong with them)."""
    from anquan_cli.locate import find_workspace
    from anquan_cli.quick import usable, write_answer

    root = find_workspace(data)
    if fmt is not OutFormat.json or not usable(as_of) or options is None:
        return load(data, as_of), None
    from anquan_cli import index as I

    idx = I.load(root)
    if idx is not None:
        got = I.answer(idx, command, options, day)
        if got:
            write_answer(got[0], idx.errors)
            return None, got[1]
        return load(data, as_of), None
    try:
        idx = I.rebuilt(root)  # file by file, kept per file, without loading the hazards here
    except OSError:  # a file that cannot or may not be read: the ordinary load says which, and stops
        return load(data, as_of), None
    if idx is not None:
        got = I.answer(idx, command, options, day)
        if got:
            write_answer(got[0], idx.errors)
            return None, got[1]
        return load(data, as_of), None
    try:
        entries, started = I.prepare(root)  # taken before the load: a file changed meanwhile makes it stale
    except OSError:
        return load(data, as_of), None
    ws = load(data, as_of)
    built = I.build(ws, day)
    I.save(root, built, entries, ws.digests, started)
    got = I.answer(I.HazardIndex(built), command, options, day)
    if got:
        write_answer(got[0], 0)
        return None, got[1]
    return ws, None


def _find(ws, hazard_id: str):
    from anquan_cli.rules.hazards import find

    return find(ws.hazards, hazard_id)


def _output(records: list[dict], fmt: OutFormat, title: str, summary: str | None,
            overdue: bool = False) -> None:
    from anquan_cli.views import hazards as V

    if fmt is OutFormat.json:
        typer.echo(V.render_json(records))
    elif fmt is OutFormat.csv:
        typer.echo(V.render_csv(records), nl=False)
    else:
        from anquan_cli.views.layout import say

        V.render_table(records, title, overdue=overdue)
        if summary:
            say(summary)


@app.command("list")
def list_(
    township: Annotated[Optional[str], typer.Option(help="乡镇（名称或编号）。 Township.")] = None,
    sector: Annotated[Optional[str], typer.Option(help="行业领域。 Sector.")] = None,
    level: Annotated[Optional[str], typer.Option(help="隐患等级：一般/重大。 Level.")] = None,
    unit: Annotated[Optional[str], typer.Option(help="单位（全称或简称）。 Unit.")] = None,
    owner: Annotated[Optional[str], typer.Option(help="责任人（姓名或编号）。 Owner.")] = None,
    source: Annotated[Optional[str], typer.Option(help="隐患来源，如 企业自查。 Source.")] = None,
    open_: Annotated[bool, typer.Option("--open", help="只列未销号的。 Open only.")] = False,
    closed: Annotated[bool, typer.Option("--closed", help="只列已销号的。 Closed only.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列逾期未整改的。 Overdue for rectification only.")] = False,
    status: Annotated[Optional[str], typer.Option(
        "--status", help="状态：pending 待整改、overdue 逾期未整改、rectified 待验收、acceptance_overdue 验收逾期、"
                         "closed 已销号（也可写中文）。 Status.")] = None,
    found_from: Annotated[Optional[str], typer.Option(
        "--found-from", metavar="YYYY-MM-DD", help="发现日期不早于。 Found on or after.")] = None,
    found_to: Annotated[Optional[str], typer.Option(
        "--found-to", metavar="YYYY-MM-DD", help="发现日期不晚于。 Found on or before.")] = None,
    sort: Annotated[SortKey, typer.Option(help="排序依据。 Sort key.")] = SortKey.found,
    reverse: Annotated[bool, typer.Option("--reverse", help="倒序。 Reverse the order.")] = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """列出隐患，可按乡镇、行业、等级、单位、责任人、来源、状态和发现日期筛选。

    List hazards, filtered by township, sector, level, unit, owner, source, state and found date.
    """
    day = today_from(today)
    try:
        dates = parse_day(found_from, "--found-from"), parse_day(found_to, "--found-to")
    except typer.BadParameter:
        dates = None  # the ordinary path says why
    options = dates and dict(
        township=township, sector=sector, unit=unit, owner=owner, level=level, source=source, status=status,
        open=open_, closed=closed, overdue=overdue, found_from=dates[0], found_to=dates[1], sort=sort.value,
        reverse=reverse)
    ws, _ = _indexed(data, as_of, format, day, "list", options)
    if ws is None:
        return
    from anquan_cli.models import HazardSource, Level
    from anquan_cli.rules import hazards as R
    from anquan_cli.views import hazards as V

    v = _view(ws, day)
    try:
        f = R.HazardFilter(
            township=township, sector=sector, unit=unit, owner=owner,
            level=Level.parse(level) if level else None,
            source=HazardSource.parse(source) if source else None,
            open=open_, closed=closed, overdue=overdue,
            found_from=parse_day(found_from, "--found-from"), found_to=parse_day(found_to, "--found-to"),
            status=R.Status.parse(status) if status else None,
            acceptance_days=ws.config.settings.acceptance_days)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    records = V.rows(R.select(R.known_on(ws, day), f, day, v.directory), v)
    keyfn = {
        SortKey.found: lambda r: (r["found"], r["id"]),
        SortKey.deadline: lambda r: (r["deadline"] or "9999", r["id"]),
        SortKey.id: lambda r: r["id"],
        SortKey.days_overdue: lambda r: (-r["days_overdue"], r["id"]),
        SortKey.township: lambda r: (r["township"] or "", r["found"], r["id"]),
        SortKey.level: lambda r: (r["level"] != "major", r["found"], r["id"]),
    }[sort]
    records.sort(key=keyfn, reverse=reverse)
    _output(records, format, f"隐患台账（{len(records)} 项，截至 {day.isoformat()}）",
            V.summary_text(records, "符合条件的隐患"))


@app.command("overdue")
def overdue(
    township: Annotated[Optional[str], typer.Option(help="乡镇（名称或编号）。 Township.")] = None,
    sector: Annotated[Optional[str], typer.Option(help="行业领域。 Sector.")] = None,
    level: Annotated[Optional[str], typer.Option(help="隐患等级：一般/重大。 Level.")] = None,
    exit_code: OverdueExitOpt = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """逾期隐患：未销号且已过整改期限，逾期最久的在前，附责任人、包保人和督办单位。

    Overdue hazards (no closed date and today is past the deadline), worst first, with owner,
    guarantor and supervising authority, and a summary by level, township and sector.
    """
    day = today_from(today)
    ws, answered = _indexed(data, as_of, format, day, "overdue",
                            dict(township=township, sector=sector, level=level, exit_code=exit_code))
    if ws is None:
        raise typer.Exit(answered)
    from anquan_cli.models import Level
    from anquan_cli.rules import hazards as R
    from anquan_cli.views import hazards as V

    v = _view(ws, day)
    f = R.HazardFilter(township=township, sector=sector, level=Level.parse(level) if level else None)
    chosen = R.overdue_sorted(R.select(R.known_on(ws, day), f, day, v.directory), day)
    records = V.rows(chosen, v)
    _output(records, format, f"逾期隐患（截至 {day.isoformat()}）", V.summary_text(records, "逾期隐患"),
            overdue=True)
    raise typer.Exit(1 if exit_code and records else 0)


@app.command("show")
def show(
    hazard_id: IdArg,
    format: TableJsonOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """一条隐患的全部内容：状态、处理记录、适用的规则（是否须提级、五落实、签字）和谁负责。

    One hazard in full: derived status, history, which rules apply (escalation due, five
    elements, missing sign-offs) and who answers for it.
    """
    from anquan_cli.rules import hazards as R
    from anquan_cli.views import hazards as V

    day = today_from(today)
    ws = load(data, as_of)
    found = _find(ws, hazard_id)
    known = R.as_of([found], day)
    if not known:
        from anquan_cli.problems import UsageError

        raise UsageError(f"隐患 {found.id} 发现于 {found.found.isoformat()}，{day.isoformat()} 时还没有登记"
                         "（--today 改为发现之后的日子）")
    (h,) = known
    v = _view(ws, day)
    from anquan_cli.rules.enforcement import as_of as enforcement_as_of
    from anquan_cli.views.enforcement import row as action_row

    actions = [action_row(e, v.directory) for e in sorted(enforcement_as_of(ws.enforcement, day), key=lambda e: (e.date, e.id))
               if h.id in e.hazards]
    if format is OutFormat.json:
        typer.echo(V.render_json(V.show_data(h, v, actions)))
    else:
        V.render_show(h, v, actions)


def _edit(data, today, hazard_id: str, plan, done) -> None:
    """One lifecycle step on one hazard (:func:`anquan_cli.api.edit_hazard`), then what was done."""
    from anquan_cli import api
    from anquan_cli.cli._common import show_warnings
    from anquan_cli.edit import steps
    from anquan_cli.workspace import find_workspace

    h, rel, warnings = api.edit_hazard(find_workspace(data), today_from(today), hazard_id, plan)
    show_warnings(warnings)
    typer.echo(steps.done_line(done, h, rel))


ReasonOpt = Annotated[Optional[str], typer.Option(
    "--reason", help="原因（重新整改、修改已有的值时必填）。 Why (required to redo or change a value).",
    show_default=False)]


@app.command("rectify")
def rectify(
    hazard_id: IdArg,
    note: Annotated[Optional[str], typer.Option(help="整改情况说明。 What was done.")] = None,
    reason: ReasonOpt = None,
    date: DateOpt = None,
    by: ByOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """登记整改完成（之后须三方验收签字才能销号）；验收不合格后重新整改的，用 --reason 写明原因。

    Record that rectification is done; the three parties then sign before the hazard can be
    closed.  A second rectification (after a failed acceptance) needs --reason.
    """
    from anquan_cli.edit import steps

    _edit(data, today, hazard_id, *steps.rectify(note, reason, parse_day(date, "--date"), by))


class PartyChoice(str, Enum):
    enterprise = "企业"
    department = "部门"
    township = "乡镇"


@app.command("verify")
def verify(
    hazard_id: IdArg,
    party: Annotated[PartyChoice, typer.Option(help="签字方：企业、部门或乡镇。 Signing party.")],
    by: Annotated[str, typer.Option("--by", help="签字人（须在人员名录中）。 Who signs (a person in the directory).")],
    date: DateOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """验收签字：企业、部门、乡镇三方各签一次（三方确认签字），签字人须在人员名录中。

    Record one party's sign-off of the rectification (company, department, township).
    """
    from anquan_cli.edit import steps

    _edit(data, today, hazard_id, *steps.verify(party.value, by, parse_day(date, "--date")))


@app.command("close")
def close(
    hazard_id: IdArg,
    date: DateOpt = None,
    by: ByOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """销号：须已整改、三方签字齐全，日期不早于最后一方签字；重大隐患还须“五落实”齐全。

    Close (销号) a hazard: refused unless rectified and signed by all three parties (and not
    dated before the last signature); a major hazard also needs all five elements.
    """
    from anquan_cli.edit import steps

    _edit(data, today, hazard_id, *steps.close(parse_day(date, "--date"), by))


@app.command("extend")
def extend(
    hazard_id: IdArg,
    deadline: Annotated[str, typer.Option(metavar="YYYY-MM-DD", help="新的整改期限。 New deadline.")],
    reason: Annotated[str, typer.Option(help="延期原因。 Why the deadline moves.")],
    date: DateOpt = None,
    by: ByOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """延期：改整改期限并记一条延期记录（报告会统计延期次数）。

    Extend the deadline; the extension is a history event with its reason.
    """
    from anquan_cli.edit import steps

    _edit(data, today, hazard_id, *steps.extend(parse_day(deadline, "--deadline"), reason,
                                                parse_day(date, "--date"), by))


@app.command("set")
def set_(
    hazard_id: IdArg,
    field: Annotated[str, typer.Argument(
        metavar="FIELD", help="字段：measures 治理措施、funds 资金、plan 预案、supervisor 督办单位、owner 责任人、"
                              "deadline 期限、unit、township、sector、title、description（也可写中文名）。 Field.",
        show_default=False)],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="新的值。 New value.", show_default=False)],
    reason: ReasonOpt = None,
    date: DateOpt = None,
    by: ByOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """修改一个字段并在处理记录中留下原值：补齐提级后的“五落实”、更换责任人（变更责任人）、推迟期限（延期）、更正名称……
    填写空着的字段不用写原因；改已有的值须用 --reason 写明原因。

    Change one field, with a history event that keeps the old value (owner: 变更责任人; a
    later deadline: 延期; anything else: 修改).  Changing a value needs --reason.
    """
    from anquan_cli.models.hazard import SETTABLE
    from anquan_cli.problems import UsageError
    from anquan_cli.rules.hazards import plan_set
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.text import nfkc

    words = {w: name for name, ws_ in SETTABLE.items() for w in (name, *ws_)}
    name = words.get(nfkc(field).strip())
    if name is None:
        raise UsageError(f"不能修改字段“{field}”；可修改：{'、'.join(SETTABLE)}"
                         + ("（隐患等级由 anquan hazards escalate 提级）" if nfkc(field).strip() in ("level", "隐患等级", "等级") else ""))
    new = parse_day(value, "VALUE") if name == "deadline" else value.strip()

    def plan(h, day, ws):
        v = new
        directory = Directory.for_workspace(ws)
        if name == "unit":
            from anquan_cli.cli._common import unit_option

            v = unit_option(directory, v, "VALUE")
        if name == "township" and directory.township(v) is not None:
            v = directory.township(v).name
        return plan_set(h, name, v, parse_day(date, "--date") or day, actor(by, ws.root), reason, today=day)

    _edit(data, today, hazard_id, plan, f"已修改 {name}")


@app.command("escalate")
def escalate(
    apply: Annotated[bool, typer.Option(
        "--apply", help="把候选隐患提级为县政府督办的重大隐患（默认只列出）。 Escalate them (default: list only).")] = False,
    by: ByOpt = None,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """提级：发现后超过 N 天（anquan.yaml，默认 15）仍未整改的一般隐患，应提级为县政府督办的重大隐患。

    General hazards still not rectified more than N days (default 15) after they were found;
    --apply turns them into major hazards supervised by the county authority.
    """
    from anquan_cli.rules import hazards as R
    from anquan_cli.views import hazards as V

    if apply and as_of:
        from anquan_cli.problems import UsageError

        raise UsageError("--apply 改的是当前的台账，不能与 --as-of 一起用")
    day = today_from(today)
    if not apply:
        ws = load(data, as_of)
        n = ws.config.settings.escalation_days
        records = V.rows(R.escalation_candidates(R.known_on(ws, day), day, n), _view(ws, day))
        _output(records, format, f"须提级的一般隐患（发现超过 {n} 天未整改，截至 {day.isoformat()}）",
                f"共 {len(records)} 项须提级；加 --apply 执行提级。" if records else "没有须提级的隐患。")
        return
    from anquan_cli.cli._common import edit_session, show_warnings
    from anquan_cli.edit.hazards import apply_change

    with edit_session(data, day) as s:
        ws = s.ws
        n = ws.config.settings.escalation_days
        found = R.escalation_candidates(R.known_on(ws, day), day, n)
        records = V.rows(found, _view(ws, day))
        who = actor(by, ws.root) if found else ""
        supervisor = ws.config.escalation_supervisor()
        if supervisor is None and found:
            from anquan_cli.problems import UsageError

            raise UsageError("乡镇工作区提级后由上一级政府督办：请在 anquan.yaml 中写 parent: 县名（如 parent: 青岚县），"
                             "或用 settings.escalation_supervisor 指明督办单位")
        actual = {(h.src.workspace, h.id): h for h in ws.hazards}
        for h in found:
            real = actual[(h.src.workspace, h.id)]
            apply_change(s, real, R.plan_escalate(real, day, who, supervisor, n))
        s.commit()
    show_warnings(s.warnings)
    if format is OutFormat.json:
        typer.echo(V.render_json(records))
    else:
        for r in records:
            typer.echo(f"已提级：{r['id']}（发现 {r['days_open']} 天，督办单位：{supervisor}）")
        typer.echo(f"共提级 {len(records)} 项。")


@app.command("add")
def add(
    title: Annotated[Optional[str], typer.Option(help="隐患名称。 Title.")] = None,
    unit: Annotated[Optional[str], typer.Option(help="单位名称。 Unit.")] = None,
    level: Annotated[Optional[str], typer.Option(help="隐患等级：一般/重大。 Level.")] = None,
    found: Annotated[Optional[str], typer.Option(metavar="YYYY-MM-DD", help="发现日期（默认今天）。 Found date.")] = None,
    deadline: Annotated[Optional[str], typer.Option(metavar="YYYY-MM-DD", help="整改期限。 Deadline.")] = None,
    owner: Annotated[Optional[str], typer.Option(help="整改责任人。 Responsible person.")] = None,
    source: Annotated[Optional[str], typer.Option(help="隐患来源，如 企业自查、部门检查。 Source.")] = None,
    township: Annotated[Optional[str], typer.Option(help="乡镇（默认取单位所属乡镇）。 Township.")] = None,
    sector: Annotated[Optional[str], typer.Option(help="行业领域（默认取单位的行业）。 Sector.")] = None,
    measures: Annotated[Optional[str], typer.Option(help="整改措施。 Measures.")] = None,
    funds: Annotated[Optional[str], typer.Option(help="整改资金。 Funds.")] = None,
    plan: Annotated[Optional[str], typer.Option(help="应急预案。 Contingency plan.")] = None,
    supervisor: Annotated[Optional[str], typer.Option(help="挂牌督办单位。 Supervising authority.")] = None,
    description: Annotated[Optional[str], typer.Option(help="隐患描述。 Description.")] = None,
    tracker: Annotated[Optional[str], typer.Option(
        help="重大隐患的跟踪督办责任人（须在人员名录中）。 Who tracks a major hazard's listing.")] = None,
    listed_by: Annotated[Optional[str], typer.Option(
        "--listed-by", help="挂牌督办单位（默认同 --supervisor）。 The listing body.")] = None,
    listed_on: Annotated[Optional[str], typer.Option(
        "--listed-on", metavar="YYYY-MM-DD", help="挂牌日期（默认今天）。 Listing day.")] = None,
    listing_number: Annotated[Optional[str], typer.Option(
        "--listing-number", help="督办文号。 Listing document number.")] = None,
    file: Annotated[Optional[str], typer.Option(
        help="写入哪个台账文件（hazards/ 下，相对工作区；默认按乡镇和年份选）。 Ledger file under hazards/.")] = None,
    by: ByOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """登记一条新隐患：在终端中逐项询问，脚本中用参数；自动分配不会冲突的编号。
    记录须能通过 anquan check（期限不早于发现日期、发现日期不晚于今天、重大隐患五落实齐全并挂牌督办、责任人在名录中），否则不写入。

    Add a hazard (prompts in a terminal, flags for scripts); the id cannot collide between
    townships or between branches.  A record anquan check would reject is not written.
    """
    from anquan_cli.cli._common import edit_session, show_warnings, unit_option
    from anquan_cli.edit.hazards import add_hazard, ledger_file
    from anquan_cli.models import Level
    from anquan_cli.problems import UsageError
    from anquan_cli.rules.lookup import Directory

    day = today_from(today)
    if file:
        ledger_file(file)  # a bad --file is refused before anything is asked
    values = {"title": title, "unit": unit, "level": level, "found": found, "deadline": deadline,
              "owner": owner, "source": source, "township": township, "sector": sector,
              "measures": measures, "funds": funds, "plan": plan, "supervisor": supervisor,
              "description": description}
    prompts = [("title", "隐患名称"), ("unit", "单位名称"), ("level", "隐患等级（一般/重大）"),
               ("found", "发现日期"), ("deadline", "整改期限"), ("owner", "整改责任人"),
               ("source", "隐患来源（企业自查/部门检查/乡镇排查/…）"), ("measures", "整改措施")]
    interactive = sys.stdin.isatty()
    for key, label in prompts:
        if values[key] is None and interactive:
            default = day.isoformat() if key == "found" else ""
            values[key] = typer.prompt(label, default=default, show_default=bool(default)) or None
    if values["found"] is None:
        values["found"] = day.isoformat()
    missing = [f"--{k}" for k in ("title", "unit", "level", "deadline", "owner") if not values[k]]
    if missing:
        raise UsageError("缺少：" + "、".join(missing))
    for key in ("found", "deadline"):
        values[key] = parse_day(values[key], f"--{key}")
    try:
        major = Level.parse(values["level"]) is Level.MAJOR
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--level") from None
    if values["source"]:
        from anquan_cli.models import HazardSource

        try:
            HazardSource.parse(values["source"])
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--source") from None
    if major and interactive:  # seed 001 (1): a major hazard is listed with its tracking person
        if not (listed_by or supervisor):
            listed_by = typer.prompt("挂牌督办单位", default="", show_default=False) or None
        if not tracker:
            tracker = typer.prompt("跟踪督办责任人", default="", show_default=False) or None
    if tracker or listed_by or listed_on or listing_number:
        values["listing"] = {"by": (listed_by or supervisor or "").strip() or None,
                             "date": parse_day(listed_on, "--listed-on") or day,
                             "tracker": tracker.strip() if tracker else None,
                             "number": listing_number.strip() if listing_number else None}
    with edit_session(data, day) as s:
        who = actor(by, s.ws.root)
        directory = Directory.for_workspace(s.ws)
        values["unit"] = unit_option(directory, values["unit"])
        new_id, rel = add_hazard(s, values, who, day, directory, file)
        s.commit()
    show_warnings(s.warnings)
    typer.echo(f"已登记隐患：{new_id}（{rel}）")


@app.command("listing")
def listing(
    hazard_id: IdArg,
    listed_by: Annotated[Optional[str], typer.Option(
        "--listed-by", help="挂牌督办单位（如 青岚县安委会）。 The listing body.", show_default=False)] = None,
    listed_on: Annotated[Optional[str], typer.Option(
        "--listed-on", metavar="YYYY-MM-DD", help="挂牌日期（新挂牌默认为这一步的日期）。 Listing day.",
        show_default=False)] = None,
    tracker: Annotated[Optional[str], typer.Option(
        help="跟踪督办责任人（须在人员名录中）。 The person who tracks it.", show_default=False)] = None,
    number: Annotated[Optional[str], typer.Option(help="督办文号。 Document number.", show_default=False)] = None,
    filed: Annotated[Optional[str], typer.Option(
        metavar="YYYY-MM-DD", help="备案日期。 Day it was filed.", show_default=False)] = None,
    published: Annotated[Optional[str], typer.Option(
        metavar="YYYY-MM-DD", help="公布日期。 Day it was published.", show_default=False)] = None,
    reason: ReasonOpt = None,
    date: DateOpt = None,
    by: ByOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """挂牌督办一条重大隐患，或补全、更正它的挂牌信息：挂牌单位、日期、跟踪督办责任人、文号、备案和公布日期（通知一（1））。
    改已写明的项须用 --reason 写明原因，处理记录留下原值。

    List a major hazard for supervision, or complete its listing (body, day, tracking person,
    document, filing and publication days): a 挂牌督办 event; changing a part already written
    is a 修改 event that keeps the old value, and needs --reason.
    """
    from anquan_cli.edit import steps

    values = {"by": listed_by.strip() if listed_by else None, "date": parse_day(listed_on, "--listed-on"),
              "tracker": tracker, "number": number.strip() if number else None,
              "filed": parse_day(filed, "--filed"), "published": parse_day(published, "--published")}
    _edit(data, today, hazard_id, *steps.listing(values, parse_day(date, "--date"), by, reason))


@app.command("delist")
def delist(
    hazard_id: IdArg,
    date: DateOpt = None,
    by: ByOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """摘牌：挂牌督办的重大隐患销号之后摘牌（摘牌日期不早于销号日期）。

    Take a listed hazard's listing down (摘牌) — only once it is closed.
    """
    from anquan_cli.edit import steps

    _edit(data, today, hazard_id, *steps.delist(parse_day(date, "--date"), by))


@app.command("listed")
def listed(
    township: Annotated[Optional[str], typer.Option(help="乡镇（名称或编号）。 Township.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="也列出已摘牌的。 Include delisted ones.")] = False,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="有未挂牌或时限逾期的重大隐患时以退出码 1 结束（供 cron/CI 使用）。 "
                            "Exit 1 when a major hazard is unlisted or late on a listing clock.")] = False,
    format: FormatOpt = OutFormat.table,
    today: TodayOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """重大隐患挂牌督办清单：挂牌单位和日期、跟踪督办责任人、文号、整改期限和状态，备案、公布等时限（settings.listing）。

    The list of major hazards under supervision (四个清单 of seed 004): who listed each, when,
    who tracks it, its deadline and status, and the listing clocks of settings.listing.
    """
    from anquan_cli.rules import hazards as R
    from anquan_cli.rules.listing import listed as listed_rows
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views import listing as L
    from anquan_cli.workspace import holiday_overrides

    day = today_from(today)
    ws = load(data, as_of)
    hazards = R.known_on(ws, day)
    if township:
        hazards = R.select(hazards, R.HazardFilter(township=township), day, Directory.for_workspace(ws))
    settings = ws.config.settings
    found, notes = listed_rows(hazards, settings.listing, day, holiday_overrides(ws.root), include_delisted=all_)
    rows = [L.listed_row(r, day, settings.acceptance_days) for r in found]
    for note in notes:
        typer.echo(f"注意：{note}", err=True)
    emit(format, rows, L.COLUMNS, lambda: L.render_listed(rows, day))
    bad = any(r["listing_state"] == "unlisted" or r["late"] for r in rows)
    raise typer.Exit(1 if exit_code and bad else 0)

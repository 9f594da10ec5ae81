"""``anquan notice …``: the documents an office sends about hazards — the 督办函 for overdue
hazards and the 隐患整改通知书 for an enterprise — as Markdown or 公文 DOCX, numbered from the
register with the hazards' history recording them."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import DataOpt, TodayOpt, parse_day, today_from

app = typer.Typer(
    help="公文：督办函（逾期隐患）、隐患整改通知书；Markdown 或公文格式 DOCX，发文字号登记在 documents/register.yaml，"
         "隐患的处理记录同时记下。\n\n"
         "Documents an office sends: the 督办函 urging overdue hazards and the 隐患整改通知书 for an "
         "enterprise, as Markdown or official-format DOCX, numbered from the register, recorded in the "
         "hazards' history.",
    no_args_is_help=True,
)


class NoticeFormat(str, Enum):
    md = "md"
    docx = "docx"


OutputOpt = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="写入的文件（md 默认输出到屏幕，docx 默认按文种、编号和日期命名）。 Output file.")]
FormatOpt = Annotated[Optional[NoticeFormat], typer.Option(
    "--format", "-f", help="md 或 docx（默认按 -o 的扩展名，否则 md）。 Output format.", show_default=False)]
NumberOpt = Annotated[Optional[str], typer.Option(
    "--number", help="发文字号：next 按 documents.number 取下一个号并登记，同时在隐患的处理记录中记下；或直接写 "
                     "青安委办〔2023〕12号。不写是草稿：只用这份文件已登记的号，什么也不写入。 Document number.")]
ToOpt = Annotated[Optional[list[str]], typer.Option(
    "--to", help="主送（可写多次，或用顿号分开；默认隐患所在的单位）。 Addressees.")]
CcOpt = Annotated[Optional[list[str]], typer.Option(
    "--cc", help="抄送（可写多次，或用顿号分开；默认属地乡镇人民政府和行业牵头部门）。 Copies to.")]
ByOpt = Annotated[Optional[str], typer.Option(
    "--by", help="处理记录的经办人（默认 git config user.name，没有时为发文机关）。 Who records it.",
    show_default=False)]


def _format(format: Optional[NoticeFormat], output: Optional[Path]) -> NoticeFormat:
    if format is not None:
        return format
    return NoticeFormat.docx if output is not None and output.suffix.lower() == ".docx" else NoticeFormat.md


def _office(ws) -> tuple[str, str | None] | None:
    """The office contact: the first of ``reminders.office`` the people directory knows (name,
    telephone)."""
    from anquan_cli.rules.lookup import Directory

    directory = Directory.for_workspace(ws)
    for name in ws.config.reminders.office:
        person = directory.person(name).person
        if person is not None:
            return person.name, person.phone
    return None


def _organ(ws) -> str:
    return ws.config.documents.organ or f"{ws.config.jurisdiction}安全生产委员会办公室"


def _provenance(ws, day) -> str:
    from anquan_cli import __version__, gitio

    rev = (ws.revision[:7], False) if ws.revision else gitio.revision(ws.root)
    revision = "不是 git 仓库" if rev is None else f"git 提交 {rev[0]}" + ("（有未提交的修改）" if rev[1] else "")
    return (f"数据来源：工作区 {ws.root.resolve().name or '.'}（{ws.config.jurisdiction}）；{revision}；"
            f"生成日期 {day.isoformat()}；由 anquan {__version__} 生成")


def _safe(text: str) -> str:
    """A piece of a file name: letters, digits, CJK, - and _ only."""
    import unicodedata

    out = "".join(ch if ch.isalnum() or ch in "-_" or unicodedata.east_asian_width(ch) == "W" and ch.isprintable()
                  and ch not in "／＼：＊？＂＜＞｜" else "_" for ch in text)
    return out.strip("._")[:60] or "文件"


def _issue(notice, ws, root: Path, day, fmt: NoticeFormat, output: Optional[Path], number: Optional[str],
           to: Optional[list[str]], cc: Optional[list[str]], by: Optional[str]) -> None:
    """Number the notice (or not: a draft), record it in each hazard's history in the same
    write, and write it out."""
    from anquan_cli import api
    from anquan_cli.cli._common import split_names_option
    from anquan_cli.io.atomic import atomic_write
    from anquan_cli.views.gongwen import Frame

    docs = ws.config.documents
    organ = _organ(ws)
    addressed = tuple(split_names_option(to)) or notice.to
    copied = tuple(split_names_option(cc)) or notice.cc

    def record(s) -> None:
        """Stage the history event of the number just taken on each hazard (one write with the register)."""
        from anquan_cli.edit.hazards import apply_change
        from anquan_cli.rules.notices import plan_event

        assert s.ws is not None
        wanted = set(notice.hazards)
        found = [h for h in s.ws.hazards if h.id in wanted]
        who = _by(by, root, organ)
        # later records first: an edit never moves the lines of the records above it
        for h in sorted(found, key=lambda h: (h.src.path, -h.src.line)):
            change = plan_event(h, notice, taken[0], who)
            if change is not None:
                apply_change(s, h, change)

    taken: list[str] = []

    def stage(s) -> None:
        from anquan_cli.rules.documents import numbered

        assert s.ws is not None
        pattern = s.ws.config.documents.number
        if number is not None and number not in api.NEXT:
            taken.append(number)
        else:  # what document_number takes in this session: the key's, else the next of the year
            assert pattern is not None
            taken.append(numbered(s.ws.issued, pattern, day.year, notice.key)[0])
        record(s)

    def take(given: Optional[str], write: bool) -> Optional[str]:
        try:
            return api.document_number(root, day, key=notice.key, title=notice.title, kind=notice.kind_label,
                                       given=given, to=addressed, hazards=notice.hazards,
                                       stage=stage if given is not None else None, write=write)[0]
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--number") from None

    # looked up first, registered (with the hazards' events) once the document is made: one that
    # fails leaves no gap in the year's numbers
    got = take(number, write=False)
    if got is None:
        typer.echo("注意：这是没有发文字号的草稿（未登记文号，台账和隐患的处理记录都没有改动）；正式印发时加 --number next（顺序编号并登记，"
                   "同时记入隐患的处理记录），或 --number 写出文号", err=True)
    frame = Frame(title=notice.title, organ=organ, date=notice.date, mark=docs.mark, number=got, to=addressed,
                  cc=copied, printer=docs.printer, subject=notice.kind_label, provenance=_provenance(ws, day),
                  keywords=("安全生产", "隐患排查治理", notice.kind_label))
    if fmt is NoticeFormat.md:
        from anquan_cli.views.notices import render_markdown

        text = render_markdown(notice, frame)
        if number is not None:
            take(got, write=True)
        if output is None:
            typer.echo(text, nl=False)
            return
        atomic_write(output, text.encode("utf-8"))
    else:
        from anquan_cli.views.notices import render_docx

        if output is None:
            output = Path(f"{notice.kind_label}-{_safe(notice.key.split(':', 1)[1])}.docx")
        made = render_docx(notice, frame)
        if number is not None:
            take(got, write=True)
        atomic_write(output, made)
    typer.echo(f"已生成：{output}" + (f"（{got}）" if got else "（草稿）"))


def _by(by: Optional[str], root: Path, organ: str) -> str:
    if by and by.strip():
        return by.strip()
    from anquan_cli import gitio

    return gitio.user_name(root) or organ


@app.command("supervise")
def supervise(
    hazard_id: Annotated[Optional[str], typer.Argument(
        metavar="ID", help="逾期隐患的编号（或用 --unit 给一个单位的全部逾期隐患发函）。 Hazard id.",
        show_default=False)] = None,
    unit: Annotated[Optional[str], typer.Option(
        "--unit", help="单位：给它截至今天的全部逾期隐患发一份督办函。 All of a unit's overdue hazards.",
        show_default=False)] = None,
    output: OutputOpt = None,
    format: FormatOpt = None,
    reply_by: Annotated[Optional[str], typer.Option(
        "--reply-by", metavar="YYYY-MM-DD", help="完成整改并书面报告的期限（默认今天起 7 天）。 Reply by.",
        show_default=False)] = None,
    number: NumberOpt = None,
    to: ToOpt = None,
    cc: CcOpt = None,
    by: ByOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """督办函：督促一项逾期隐患（或一个单位的全部逾期隐患）限期整改并书面报告。

    A 督办函 for one overdue hazard or all of a unit's overdue hazards (as of --today): the
    facts, the rule that makes them overdue or escalated, the reply date, the consequences.
    """
    import datetime as dt

    from anquan_cli.cli._common import load
    from anquan_cli.problems import UsageError
    from anquan_cli.rules import hazards as R
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.notices import supervise as build
    from anquan_cli.workspace import find_workspace

    if (hazard_id is None) == (unit is None):
        raise UsageError("写一个隐患编号，或用 --unit 写一个单位（二者只能写一个）")
    day = today_from(today)
    by_day = parse_day(reply_by, "--reply-by") or day + dt.timedelta(days=7)
    root = find_workspace(data)
    ws = load(data)
    directory = Directory.for_workspace(ws)
    known = R.known_on(ws, day)
    if hazard_id is not None:
        h = R.find(ws.hazards, hazard_id)
        chosen = [x for x in known if x is h or (x.id == h.id and x.src.path == h.src.path)]
        if not chosen:
            raise UsageError(f"隐患 {h.id} 发现于 {h.found.isoformat()}，{day.isoformat()} 时还没有登记")
        name = None
    else:
        assert unit is not None
        found = directory.unit(unit)
        if found is None and not any(x.unit == unit for x in known):
            hint = directory.unit_suggestion(unit)
            raise UsageError(f"单位名录和隐患台账中都没有“{unit}”" + (f"；是不是“{hint}”？" if hint else ""))
        name = found.name if found is not None else unit
        chosen = R.overdue_sorted(R.select(known, R.HazardFilter(unit=name), day, directory), day)
    notice = build(chosen, day, by_day, directory, organ=_organ(ws), threshold=ws.config.settings.escalation_days,
                   unit=name, office=_office(ws))
    _issue(notice, ws, root, day, _format(format, output), output, number, to, cc, by)


@app.command("rectify")
def rectify(
    hazard_id: Annotated[str, typer.Argument(metavar="ID", help="隐患编号。 Hazard id.", show_default=False)],
    output: OutputOpt = None,
    format: FormatOpt = None,
    number: NumberOpt = None,
    to: ToOpt = None,
    cc: CcOpt = None,
    by: ByOpt = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """隐患整改通知书：告知企业发现的隐患、整改措施和期限（重大隐患的五落实）、整改期间的防范措施和验收要求，附签收栏。

    A 隐患整改通知书 for the enterprise: the hazard found, the measures and deadline required,
    precautions meanwhile, report and acceptance, and a receipt.  Written again, it keeps its
    number and its date.
    """
    from anquan_cli.cli._common import load
    from anquan_cli.problems import UsageError
    from anquan_cli.rules import hazards as R
    from anquan_cli.rules.documents import kept
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.notices import rectify as build
    from anquan_cli.workspace import find_workspace

    day = today_from(today)
    root = find_workspace(data)
    ws = load(data)
    h = R.find(ws.hazards, hazard_id)
    entry = kept(ws.issued, f"rectify:{h.id}")
    when = entry.date if entry is not None and entry.date <= day else day  # a numbered notice keeps its date
    known = [x for x in R.known_on(ws, when) if x.id == h.id and x.src.path == h.src.path]
    if not known:
        raise UsageError(f"隐患 {h.id} 发现于 {h.found.isoformat()}，{when.isoformat()} 时还没有登记")
    notice = build(known[0], when, Directory.for_workspace(ws), organ=_organ(ws), office=_office(ws))
    _issue(notice, ws, root, day, _format(format, output), output, number, to, cc, by)

"""Options shared by every command, and the small helpers commands use to wire things up.

Only typer is imported at module level: ``anquan --help`` must stay fast, so commands
import the heavy layers (pydantic models, YAML, rich) inside their bodies.
"""

from __future__ import annotations

import datetime as dt
import os
from enum import Enum
from typing import Annotated, Optional

import typer

DataOpt = Annotated[Optional[str], typer.Option(
    "--data", metavar="DIR",
    help="工作区目录（默认：$ANQUAN_DATA，或当前目录向上最近的含 anquan.yaml 的目录，或 ./data）。"
         " Workspace folder.", show_default=False)]


TodayOpt = Annotated[Optional[str], typer.Option(
    "--today", metavar="YYYY-MM-DD", envvar="ANQUAN_TODAY",
    help="把这一天当作“今天”（也可用环境变量 ANQUAN_TODAY）。 Treat this day as today.",
    show_default=False)]


def today_from(value: Optional[str]) -> dt.date:
    """``--today`` / ``ANQUAN_TODAY`` if given, else the real date (see
    :func:`anquan_cli.quick.day_or_today`); a day that cannot be read is a usage error."""
    from anquan_cli.quick import day_or_today

    try:
        return day_or_today(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{exc}（--today / ANQUAN_TODAY 应写成 YYYY-MM-DD）") from None


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


class OutFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOpt = Annotated[OutFormat, typer.Option(
    "--format", "-f", help="输出格式：table（表格）、json 或 csv。 Output format.")]
TableJsonOpt = Annotated[OutFormat, typer.Option(
    "--format", "-f", help="输出格式：table 或 json。 Output format (table or json).")]


def emit(format: OutFormat, rows: list, columns: list[str], table, csv_rows=None) -> None:
    """A listing's answer in the format asked: ``rows`` as JSON, or as CSV with ``columns`` (the
    rows ``csv_rows()`` gives when the CSV writes them otherwise), else ``table()`` draws them."""
    from anquan_cli.views.hazards import render_csv, render_json

    if format is OutFormat.json:
        typer.echo(render_json(rows))
    elif format is OutFormat.csv:
        typer.echo(render_csv(csv_rows() if csv_rows is not None else rows, columns), nl=False)
    else:
        table()


def exit_code_opt(what_zh: str, what_en: str):
    """``--exit-code``: exit 1 when the answer is not empty, for cron and CI."""
    return Annotated[bool, typer.Option(
        "--exit-code", help=f"{what_zh}时以退出码 1 结束（供 cron/CI 使用）。 Exit 1 when {what_en}.")]


AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="REV",
    help="按 git 中某个版本（提交号、分支、标签，如 HEAD~3）的数据回答，不改动工作目录。 "
         "Answer from the files as they were at this git revision.", show_default=False)]


def load(data: Optional[str], as_of: Optional[str] = None, confidential: bool = False):
    """Find and load the workspace (from git revision ``as_of`` when given).  A workspace
    with an unreadable file, folder or ``anquan.yaml`` stops the command (exit 2, paths
    named): an answer without them would look complete and be wrong.  Single invalid
    records are left out with a note on stderr (queries answer from the valid ones).
    ``confidential``: also read who reported each tip-off (``tipoffs/confidential/``) — only
    for a command given ``--confidential``."""
    from anquan_cli.problems import Severity
    from anquan_cli.workspace import find_workspace, load_workspace, require_usable

    ws, problems = load_workspace(find_workspace(data), as_of, confidential=confidential)
    require_usable(problems)
    note_errors(sum(1 for p in problems if p.severity is Severity.ERROR))
    return ws


def note_errors(errors: int) -> None:
    """The note on stderr that an answer leaves out records with errors."""
    from anquan_cli.quick import errors_note

    note = errors_note(errors)
    if note:
        typer.echo(note, err=True)


def edit_session(data: Optional[str], today, hazard: Optional[str] = None):
    """The edit session every changing command runs in: the workspace locked, loaded under
    the lock, every write validated (see :mod:`anquan_cli.edit.session`); ``hazard``: an
    edit of that one hazard, which changes no id."""
    from anquan_cli.edit.session import EditSession
    from anquan_cli.workspace import find_workspace

    return EditSession(find_workspace(data), today, hazard=hazard)


def show_warnings(problems) -> None:
    """New warnings an edit brought, on stderr, as ``anquan check`` prints them."""
    from anquan_cli.problems import problem_line

    for p in problems:
        typer.echo(problem_line(p), err=True)


def period_option(value: Optional[str], option: str = "--period"):
    """A period option (``2023Q3``, ``2023-07``, ``2023``) as a window; None when not given."""
    if not value:
        return None
    from anquan_cli.rules.periods import parse_period

    try:
        return parse_period(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def word_option(vocabulary, value: Optional[str], option: str):
    """A vocabulary option (``--grade 较大``, ``--type 处罚``) as its member; None when not given."""
    if not value:
        return None
    try:
        return vocabulary.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


ShowFormatOpt = Annotated[str, typer.Option("--format", "-f", help="text 或 json。 Output format.")]


def show_format(value: str) -> str:
    """``--format`` of a ``show`` command: text or json."""
    if value not in ("text", "json"):
        raise typer.BadParameter("只能是 text 或 json", param_hint="--format")
    return value


def by_id(records, ident: str, missing: str):
    """The record whose id is ``ident`` in any width or case (``t-1`` is ``T-1``); else a usage
    error saying ``missing``."""
    from anquan_cli.problems import UsageError
    from anquan_cli.text import fold

    wanted = fold(ident).casefold()
    for r in records:
        if fold(r.id).casefold() == wanted:
            return r
    raise UsageError(missing)


def parse_day(value: Optional[str], option: str):
    """A date option (``--found``, ``--deadline`` …) in any form offices write."""
    if value is None or value == "":
        return None
    from anquan_cli.text import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None



def split_names_option(values: Optional[list[str]]) -> list[str]:
    """Names given as a repeated option, each of which may hold several (、，, or ; between)."""
    from anquan_cli.text import split_names

    out: list[str] = []
    for value in values or []:
        out += [n for n in split_names(value) if n not in out]
    return out


def unit_option(directory, text: Optional[str], option: str = "--unit") -> Optional[str]:
    """A unit given on the command line, as the directory names it: a short or misspelt name
    that fits exactly one unit is taken as that unit (with a note on stderr); one that fits
    several is refused with them; one like nothing in the directory is kept as written (``check``
    then warns about it, as for any record)."""
    if text is None or not text.strip():
        return text
    from anquan_cli.problems import UsageError

    found = directory.match_unit(text)
    if found.refusal:
        raise UsageError(f"{option}：{found.refusal}")
    if found.unit is None:
        return text.strip()
    if found.note:
        unit = found.unit
        place = "，".join(f"{label}：{value}" for label, value in (("乡镇", unit.township), ("行业领域", unit.sector))
                         if value)
        typer.echo(f"注意：{found.note}" + (f"（{place}）" if place else ""), err=True)
    return found.unit.name

"""The ``anquan`` command.  Each command group lives in its own module and stays thin:
find the workspace, call a rule, hand the result to a view, pick the exit code.

Exit codes: 0 ok, 1 problems found, 2 usage or fatal error, 130 interrupted.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from anquan_cli import __version__
from anquan_cli.cli import zh

zh.install()

app = typer.Typer(
    name="anquan",
    help="安全生产责任落实台账工具：隐患台账、包保责任清单、任务分工表、履职记录，"
         "以 YAML/CSV 存放在 git 中。\n\n"
         "anquan keeps a work-safety office's records (hazard ledger, responsibility matrix, "
         "task-division tables, recurring duties) as plain YAML/CSV in git.",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"anquan {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True,
        help="显示版本号。 Show the version and exit.")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="不用记录缓存（.anquan/cache），每个文件都重新读取（也可设 ANQUAN_NO_CACHE=1）。 "
                           "Bypass the record cache.")] = False,
) -> None:
    import os

    if no_cache:
        os.environ["ANQUAN_NO_CACHE"] = "1"


from anquan_cli.cli import (  # noqa: E402
    accidents,
    campaigns,
    duties,
    enforcement,
    gitcmd,
    grid,
    hazards,
    matrix,
    notice,
    patrols,
    risks,
    tasks,
    tipoffs,
    units,
)
from anquan_cli.cli.check import check  # noqa: E402
from anquan_cli.cli.export import export  # noqa: E402
from anquan_cli.cli.importcmd import import_  # noqa: E402
from anquan_cli.cli.init import init  # noqa: E402
from anquan_cli.cli.remind import calendar_app, remind  # noqa: E402
from anquan_cli.cli.report import report  # noqa: E402
from anquan_cli.cli.review import diff, log  # noqa: E402
from anquan_cli.cli.summary import summary  # noqa: E402

app.command("init")(init)
app.command("check")(check)
app.command("summary")(summary)
app.command("report")(report)
app.command("export")(export)
app.command("import")(import_)
app.command("diff")(diff)
app.command("log")(log)
app.command("remind")(remind)
app.add_typer(calendar_app, name="calendar")
app.add_typer(hazards.app, name="hazards")
app.add_typer(tasks.app, name="tasks")
app.add_typer(tasks.dates_app, name="dates")
app.add_typer(matrix.app, name="matrix")
app.add_typer(duties.app, name="duties")
app.add_typer(accidents.app, name="accidents")
app.add_typer(enforcement.app, name="enforcement")
app.add_typer(campaigns.app, name="campaigns")
app.add_typer(campaigns.submissions_app, name="submissions")
app.add_typer(tipoffs.app, name="tipoffs")
app.add_typer(risks.app, name="risks")
app.add_typer(units.app, name="units")
app.add_typer(grid.app, name="grid")
app.add_typer(patrols.app, name="patrols")
app.add_typer(notice.app, name="notice")
app.add_typer(gitcmd.app, name="git")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``anquan`` script.

    typer itself maps usage errors to exit 2 and Ctrl-C to 130; here our own fatal errors
    become a one-line message (exit 2) and anything unexpected a crash log (exit 2).
    """
    from anquan_cli.problems import failure

    try:
        app(args=_text_args(sys.argv[1:] if argv is None else argv), prog_name="anquan")
    except Exception as exc:
        told = failure(exc)
        if told is None:
            sys.exit(_crash())
        for line in told[0]:
            typer.echo(line, err=True)
        sys.exit(told[1])


def _text_args(args: list[str]) -> list[str]:
    """Command-line arguments as text.  On a terminal set to GBK/GB18030 (or a script written
    on one), Chinese arrives as bytes that are not UTF-8 and Python keeps them as surrogates:
    they are decoded as GB18030 here, so a note typed there is written as the Chinese it is,
    never as bytes that cannot be saved."""
    out = []
    for arg in args:
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            raw = arg.encode("utf-8", "surrogateescape")
            try:
                arg = raw.decode("gb18030")
            except UnicodeDecodeError:
                from anquan_cli.problems import UsageError

                raise UsageError(f"命令行参数“{raw.decode('utf-8', 'replace')}”不是 UTF-8 或 GB18030 文字，"
                                 "请检查终端的编码设置") from None
        out.append(arg)
    return out


def _crash() -> int:
    """An unexpected error: keep the traceback in a private log file (0600, a name of its
    own, secrets and URL tokens blanked), tell the user where it is."""
    import datetime as dt
    import os
    import tempfile
    import traceback

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = f"anquan {__version__}\n{' '.join(sys.argv)}\n\n{traceback.format_exc()}"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    try:
        from anquan_cli.notify import redact

        text = redact(text)
    except Exception:  # the redactor must not hide the crash: keep only the exception type
        text = f"anquan {__version__}\n{type(sys.exc_info()[1]).__name__}（详细信息无法安全写出）\n"
    try:
        fd, log = tempfile.mkstemp(prefix=f"anquan-crash-{stamp}-", suffix=".log")  # mode 0600
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
        where = f"详细信息已写入 {log}，请把它发给维护者"
    except OSError:
        where = "且无法写入日志文件"
    typer.echo(f"anquan: 内部错误（这是程序的问题，不是您的数据的问题）；{where}。", err=True)
    return 2

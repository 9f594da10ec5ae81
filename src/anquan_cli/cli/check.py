"""``anquan check``: validate every record of the workspace."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import DataOpt, TextOrJson, TodayOpt, today_from


def check(
    data: DataOpt = None,
    today: TodayOpt = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="有警告也以退出码 1 结束。 Exit 1 on warnings too.")] = False,
    format: Annotated[TextOrJson, typer.Option(
        "--format", "-f", help="输出格式：text 或 json。 Output format.")] = TextOrJson.text,
    against: Annotated[Optional[str], typer.Option(
        "--against", metavar="REV",
        help="同时审查相对于 git 版本 REV 的改动：删除记录、未经延期推迟期限、签字不全就销号、改写处理记录。"
             " Also flag changes since REV a reviewer must see.")] = None,
    confidential: Annotated[bool, typer.Option(
        "--confidential", help="同时校验举报人信息（tipoffs/confidential/，保密；不加时不读取）。 "
                               "Also check the confidential reporters.")] = False,
) -> None:
    """校验工作区的全部记录，每个问题报告为“文件:行号: 说明”。

    Validate every record in the workspace and report each problem as "file:line: message".
    Exit 0 when clean, 1 on errors (or on warnings with --strict), 2 when a file, a folder or
    anquan.yaml cannot be read (after listing every problem) and on usage errors.
    """
    from anquan_cli import api
    from anquan_cli.problems import exit_code
    from anquan_cli.views.problems import problem_lines, problems_json, summary_line
    from anquan_cli.workspace import blocking, find_workspace

    day = today_from(today)
    root = find_workspace(data)
    if against:
        from anquan_cli.problems import Problem
        from anquan_cli.rules.diff import review
        from anquan_cli.workspace import load_workspace, require_usable

        ws, problems = api.check_loaded(root, day, confidential=confidential)
        base, base_problems = load_workspace(root, against)
        require_usable(base_problems, against)
        problems = sorted(problems + review(base, ws, against), key=Problem.sort_key)
        files, records = len(ws.files), ws.record_count
    else:
        checked = api.check(root, day, confidential=confidential)
        problems, files, records = checked.problems, checked.files, checked.records
    if format is TextOrJson.json:
        typer.echo(problems_json(problems))
    else:
        lines = problem_lines(problems, root)
        lines.append(summary_line(problems, files, records))
        typer.echo("\n".join(lines))  # one write: a province's check prints thousands of lines
    if blocking(problems, unreadable_only=True):
        typer.echo("anquan: 工作区有读不了的文件、文件夹或设置（见上），检查结果不完整。", err=True)
        raise typer.Exit(2)
    raise typer.Exit(exit_code(problems, strict))

"""``anquan diff`` and ``anquan log``: review ledger changes in the domain's terms."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import DataOpt


class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


def _load_at(root, rev):
    from anquan_cli.workspace import load_workspace, require_usable

    ws, problems = load_workspace(root, rev)
    require_usable(problems, rev)
    return ws


def diff(
    rev1: Annotated[Optional[str], typer.Argument(help="较早的版本（默认 HEAD）；也可写 A..B。 Older revision.")] = None,
    rev2: Annotated[Optional[str], typer.Argument(help="较新的版本（默认工作目录）。 Newer revision (default: working tree).")] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="text（中文）、md（合并请求评论）或 json。 Output format.")] = DiffFormat.text,
    data: DataOpt = None,
) -> None:
    """台账有什么变化：逐条记录列出新增、整改、签字、销号、提级、延期（附原因）、更换责任人和字段修改。

    What changed, record by record, between two git revisions (default: HEAD and the working
    tree): hazards added, rectified, signed, closed, escalated, extended, reassigned, fields.
    """
    from anquan_cli import gitio
    from anquan_cli.problems import UsageError
    from anquan_cli.rules.diff import diff_workspaces
    from anquan_cli.views import diff as V
    from anquan_cli.workspace import find_workspace

    root = find_workspace(data)
    if gitio.toplevel(root) is None:
        raise UsageError("工作区不在 git 仓库中：anquan diff 比较的是 git 中的版本")
    if rev1 and ".." in rev1 and rev2 is None:
        rev1, rev2 = rev1.split("..", 1)
        rev2 = rev2 or "HEAD"
    base = rev1 or "HEAD"
    old, new = _load_at(root, base), _load_at(root, rev2)
    label = f"{base} → {rev2 or '工作目录'}"
    changes = diff_workspaces(old, new)
    if format is DiffFormat.json:
        typer.echo(V.render_json(changes))
    elif format is DiffFormat.md:
        typer.echo(V.render_markdown(changes, label))
    else:
        typer.echo(V.render_text(changes, label), nl=False)


def log(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="记录编号：隐患编号、包保责任编号、履职要求编号或人员编号。 Record id.")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="text 或 json。 Output format.")] = DiffFormat.text,
    data: DataOpt = None,
) -> None:
    """一条记录在 git 历史中的变化：每次提交的作者、日期和改了什么。

    The history of one record across commits: commit, author, date and what changed.
    """
    import json

    from anquan_cli import gitio
    from anquan_cli.problems import UsageError
    from anquan_cli.rules.diff import diff_workspaces
    from anquan_cli.text import nfkc
    from anquan_cli.views.diff import change_lines
    from anquan_cli.workspace import Workspace, find_workspace

    root = find_workspace(data)
    if gitio.toplevel(root) is None:
        raise UsageError("工作区不在 git 仓库中：anquan log 读的是 git 历史")
    rid = nfkc(record_id).strip()
    loaded: dict[str, Workspace] = {}

    def at(rev: str) -> Workspace:
        if rev not in loaded:
            loaded[rev] = _load_at(root, rev)
        return loaded[rev]

    found = []
    for c in gitio.commits_touching(root, ["."]):
        new = at(c["commit"])
        old = at(c["parent"]) if c["parent"] else Workspace(root=root, config=new.config)
        found += [(c, ch) for ch in diff_workspaces(old, new) if ch.id == rid]
    if not found:
        raise UsageError(f"git 历史中没有编号为 {record_id} 的记录的变化")
    if format is DiffFormat.json:
        typer.echo(json.dumps([{**c, **ch.as_json()} for c, ch in found], ensure_ascii=False, indent=2))
        return
    for c, ch in found:
        typer.echo(f"{c['commit'][:7]}  {c['date']}  {c['author']}  {c['subject']}")
        for line in change_lines(ch):
            typer.echo(f"    {line}")

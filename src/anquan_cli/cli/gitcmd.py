"""``anquan git …``: make plain git speak the ledger (diff driver, merge driver)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from anquan_cli.cli._common import DataOpt

app = typer.Typer(
    help="git 集成：让 git diff 按记录显示台账，让合并按记录进行。\n\n"
         "Git integration: record-level diff and merge drivers for the ledger files.",
    no_args_is_help=True,
)

DIFF_PATHS = ("hazards/**", "tasks/**", "matrix/**", "duties/**", "activities/**", "org/**")
MERGE_PATHS = ("hazards/**",)
MARK = "# anquan: 台账文件按记录比较与合并（anquan git setup 写入）"


def _self_command() -> str:
    """How git should run anquan: this interpreter, so the driver works inside a venv."""
    exe = sys.executable.replace("\\", "/")
    return f'"{exe}" -m anquan_cli' if " " in exe else f"{exe} -m anquan_cli"


def _append_lines(path: Path, lines: list[str]) -> bool:
    """Add the lines missing from a text file; True when it changed."""
    from anquan_cli.io.atomic import atomic_write

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [ln for ln in lines if ln not in text.splitlines()]
    if not missing:
        return False
    body = text if not text or text.endswith("\n") else text + "\n"
    atomic_write(path, (body + "\n".join(missing) + "\n").encode("utf-8"))
    return True


@app.command("setup")
def setup(data: DataOpt = None) -> None:
    """为当前克隆配置：git diff / git log -p 按记录显示台账（GB18030 的 CSV 也能读），合并时按记录合并隐患台账。

    Configure this clone: a diff driver so git diff shows ledger files record by record, a merge
    driver that merges hazard ledgers record by record, and the .gitattributes lines.
    """
    from anquan_cli import gitio
    from anquan_cli.problems import UsageError
    from anquan_cli.workspace import find_workspace

    root = find_workspace(data)
    top = gitio.toplevel(root)
    if top is None:
        raise UsageError("工作区不在 git 仓库中：先 git init 或在克隆中运行")
    me = _self_command()
    gitio.set_config(top, "diff.anquan.textconv", f"{me} git textconv")
    gitio.set_config(top, "diff.anquan.cachetextconv", "false")
    gitio.set_config(top, "merge.anquan.name", "anquan 按记录合并隐患台账")
    gitio.set_config(top, "merge.anquan.driver", f"{me} git merge %O %A %B %P")
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    lines = [MARK]
    for pattern in DIFF_PATHS:
        attrs = "diff=anquan" + (" merge=anquan" if pattern in MERGE_PATHS else "")
        lines.append(f"{prefix}{pattern} {attrs}")
    changed = _append_lines(top / ".gitattributes", lines)
    ignored = _append_lines(top / ".gitignore", [f"{prefix}.anquan/"])
    typer.echo(f"已为 {top} 配置 anquan 的 diff 与 merge 驱动。")
    typer.echo(".gitattributes " + ("已更新（请提交它，其他克隆也运行一次 anquan git setup）" if changed else "无需修改"))
    if ignored:
        typer.echo(f".gitignore 已加入 {prefix}.anquan/（本地缓存和提醒状态不进入版本库）")


@app.command("textconv")
def textconv_cmd(
    file: Annotated[Path, typer.Argument(help="git 给出的文件。 File git passes.")],
) -> None:
    """（供 git 调用）把台账文件转成适合比较的文字：统一为 UTF-8，CSV 每个字段一行。

    (Called by git.) Print a ledger file for diffing: UTF-8, CSV one field per line.
    """
    from anquan_cli.views.textconv import textconv

    sys.stdout.buffer.write(textconv(file.read_bytes(), file.name).encode("utf-8"))


@app.command("merge")
def merge_cmd(
    base: Annotated[Path, typer.Argument(help="共同祖先版本（%O）。 Base version.")],
    ours: Annotated[Path, typer.Argument(help="我方版本，合并结果写回这里（%A）。 Ours; the result goes here.")],
    theirs: Annotated[Path, typer.Argument(help="对方版本（%B）。 Theirs.")],
    path: Annotated[str, typer.Argument(help="文件在仓库中的路径（%P）。 Path in the repository.")] = "",
) -> None:
    """（供 git 调用）按记录合并隐患台账：各改各的记录或字段自动合并，同一字段两边改法不同则报冲突并指出记录和字段。

    (Called by git.) Merge a hazard ledger record by record; the same field changed two ways is
    a conflict naming the record and field (exit 1).
    """
    from anquan_cli.edit.merge import merge_ledger
    from anquan_cli.io.atomic import atomic_write

    name = path or ours.name
    result = merge_ledger(base.read_bytes(), ours.read_bytes(), theirs.read_bytes(), name)
    atomic_write(ours, result.data())
    for c in result.conflicts:
        typer.echo(f"anquan 合并冲突：{name}：{c}", err=True)
    raise typer.Exit(1 if result.conflicts else 0)

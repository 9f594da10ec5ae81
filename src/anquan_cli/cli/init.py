"""``anquan init``: start a workspace for a township, street, county or city.

Thin: the options (asked for in a terminal when missing), then
:mod:`anquan_cli.edit.scaffold` writes the skeleton, then git when asked, then the next steps.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import TodayOpt, today_from


def _interactive() -> bool:
    """Whether to ask for what is missing (a person at a terminal) or refuse (a script)."""
    return sys.stdin.isatty()


def _ask(label: str, check, default: str = "", optional: bool = False):
    """Ask until the answer passes ``check`` (blank: None when ``optional``)."""
    from anquan_cli.problems import UsageError

    while True:
        answer = typer.prompt(label, default=default, show_default=bool(default)).strip()
        if not answer and optional:
            return None
        try:
            return check(answer)
        except UsageError as exc:
            typer.echo(f"anquan: {exc}", err=True)


def _guess_level(name: str) -> str:
    """The level a name suggests (…镇 乡镇, …街道 街道, …县 县), or nothing."""
    if name.endswith("街道"):
        return "街道"
    if name.endswith(("镇", "乡")):
        return "乡镇"
    if name.endswith(("县", "区", "旗")):
        return "县"
    return ""


def init(
    directory: Annotated[Optional[str], typer.Argument(
        metavar="[DIR]", help="新工作区的文件夹（默认当前文件夹；没有时新建）。 Folder of the new workspace.",
        show_default=False)] = None,
    jurisdiction: Annotated[Optional[str], typer.Option(
        "--jurisdiction", help="辖区名称，如 石桥镇、青岚县。 The jurisdiction's name.", show_default=False)] = None,
    level: Annotated[Optional[str], typer.Option(
        "--level", help="层级：乡镇、街道、县（区）、市。 Level: township, street, county or city.",
        show_default=False)] = None,
    parent: Annotated[Optional[str], typer.Option(
        "--parent", help="上一级辖区，如乡镇写 青岚县（提级的隐患由它的人民政府督办）。 The jurisdiction above.",
        show_default=False)] = None,
    code: Annotated[Optional[str], typer.Option(
        "--code", help="乡镇代码：隐患编号的前缀，如 SQ（乡镇、街道）。 Township code, the prefix of hazard ids.",
        show_default=False)] = None,
    git: Annotated[Optional[bool], typer.Option(
        "--git/--no-git", help="建立 git 仓库（已在仓库中则不另建）并运行 anquan git setup；终端中不写时询问。 "
                               "Create a git repository and run anquan git setup.", show_default=False)] = None,
    today: TodayOpt = None,
) -> None:
    """建立新的工作区：anquan.yaml、按层级的单位名录（乡镇的党委政府和站所、县的党委政府和部门，及其牵头的行业领域）、
    该层级的标准履职要求、空的台账文件夹和 .gitignore；终端中询问缺少的项，脚本中缺必填项时报错（退出码 2）。
    建好即可通过 anquan check。已有 anquan.yaml 的文件夹不会被改动，任何已有文件都不会被覆盖。

    Start a workspace: anquan.yaml, the directory of the level's units (a township's government,
    party committee and stations; a county's departments) with the sectors each leads, the level's
    standard duties, empty record folders and a .gitignore.  Asks for what is missing in a terminal;
    a script missing a required option gets a usage error (exit 2).  Never writes over a file.
    """
    from anquan_cli.edit import scaffold
    from anquan_cli.edit.skeleton import level_choices, level_named
    from anquan_cli.problems import UsageError

    day = today_from(today)
    asking = _interactive()
    if not asking:
        missing = [opt for opt, value in (("--jurisdiction（辖区名称，如 石桥镇）", jurisdiction),
                                          ("--level（" + level_choices() + "）", level)) if not value]
        if missing:
            raise UsageError("缺少 " + "、".join(missing) + "：不在终端中运行时须用参数写明，"
                             "如 anquan init 石桥镇 --jurisdiction 石桥镇 --level 乡镇 --parent 青岚县")

    def pick_level(word: str):
        found = level_named(word)
        if found is None:
            raise UsageError(f"层级“{word}”不是 anquan init 能建立的，可选：{level_choices()}")
        return found

    if jurisdiction:
        name = scaffold.check_name(jurisdiction, "辖区名称")
    else:
        name = _ask("辖区名称（如 石桥镇、青岚县）", lambda v: scaffold.check_name(v, "辖区名称"))
    if level:
        chosen = pick_level(level)
    else:
        chosen = _ask(f"层级（{level_choices()}）", pick_level, default=_guess_level(name))
    township = chosen.key in ("township", "street")
    if parent:
        above = scaffold.check_name(parent, "上一级辖区")
    elif asking and township:
        above = _ask(f"上一级辖区（{chosen.parent_what}，如 青岚县；提级的隐患由它的人民政府督办；可不填）",
                     lambda v: scaffold.check_name(v, "上一级辖区"), optional=True)
    else:
        above = None
    if code:
        prefix = scaffold.check_code(code)
    elif asking and township:
        prefix = _ask("乡镇代码（隐患编号的前缀，如 SQ；可不填）", scaffold.check_code, optional=True)
    else:
        prefix = None
    if code and not township:
        raise UsageError("--code 是乡镇（街道）的代码；县、市的工作区在 org/units.yaml 中给每个乡镇写 id")
    if git is None:
        git = typer.confirm("建立 git 仓库并配置按记录比较与合并（anquan git setup）？", default=True) if asking else False

    from anquan_cli import gitio

    if git and not gitio.available():
        raise UsageError("没有找到 git 程序：先安装 git，或去掉 --git（以后可以再运行 git init 和 anquan git setup）")
    root = Path(directory) if directory else Path(".")
    spec = scaffold.Spec(name, chosen, above, prefix)
    planned = scaffold.create(root.absolute(), scaffold.plan(spec), day)
    shown = root.as_posix() if directory else "当前文件夹"
    typer.echo(f"已在 {shown} 建立{name}（{chosen.what}）的 anquan 工作区" + (f"，上一级：{above}" if above else "") + "：")
    rows = [(scaffold.CONFIG_NAME, "工作区设置：辖区、层级" + ("、上一级" if above else "") + "、提级天数"),
            ("org/units.yaml", f"单位名录：{'本' + chosen.label + '、' if township else ''}党委、政府、安委办和 "
                               f"{planned.departments - 3} 个{'站所' if township else '部门'}及其牵头的行业领域"),
            ("org/people.yaml", "人员名录（空，写法见文件中的注释）"),
            ("duties/leaders.yaml", f"领导干部和部门的履职要求 {planned.duties} 项"),
            ("duties/enterprises.yaml", f"企业主要负责人的履职要求 {planned.enterprise_duties} 项"),
            (" ".join(f + "/" for f in planned.folders[:2]) + " …", f"{len(planned.folders)} 个空的台账文件夹（隐患、包保、任务……）"),
            (".gitignore", "本地缓存 .anquan/、举报人信息 tipoffs/confidential/ 不进入版本库"
             + ("" if planned.gitignore_added else "（原有的 .gitignore 已含这些）"))]
    for rel, what in rows:
        typer.echo(f"  {rel:<24}{what}")
    if git:
        _git(root.absolute())
    _next_steps(root, directory is not None, township, planned.roles, day, git)


def _git(root: Path) -> None:
    from anquan_cli import gitio
    from anquan_cli.cli.gitcmd import setup
    from anquan_cli.problems import UsageError

    top = gitio.toplevel(root)
    if top is None:
        if not gitio.init(root):
            raise UsageError(f"工作区已建立，但 git init 没有成功：请在 {root} 中运行 git init，再运行 anquan git setup")
        typer.echo(f"已建立 git 仓库：{root}")
    else:
        typer.echo(f"{root} 已在 git 仓库 {top} 中，没有另建仓库")
    setup(data=str(root))


def _next_steps(root: Path, moved: bool, township: bool, roles: list[str], day, git: bool) -> None:
    from anquan_cli.text import quarter_code

    period = quarter_code(day)
    here = f"cd {root.as_posix()} && " if moved else ""
    where = "本乡镇的村（社区）和企业" if township else "下辖乡镇（街道）、村（社区）和企业"
    offices = "站所" if township else "部门"
    steps = [
        ("登记人员：org/people.yaml（姓名、职务、单位；担任下列角色的写上 roles）", "、".join(roles)),
        (f"登记{where}，按实际增删{offices}和它们牵头的行业领域", "org/units.yaml"),
        ("核对名录和设置", f"{here}anquan check"),
        ("登记一条隐患（终端中逐项询问；脚本中用参数，如 --unit 单位 --title 隐患 --level 一般 --deadline 整改期限 --owner 责任人）",
         "anquan hazards add"),
        ("整改、三方验收签字、销号",
         "anquan hazards rectify ID\n     anquan hazards verify ID --party 企业|部门|乡镇 --by 签字人\n     anquan hazards close ID"),
        ("季度通报", f"anquan report quarterly --period {period}"),
    ]
    if git:
        steps.append(("提交；之后的改动用 anquan diff 审阅", 'git add -A && git commit -m "建立安全生产台账"'))
    typer.echo("\n下一步：")
    for i, (what, how) in enumerate(steps, 1):
        typer.echo(f"  {i}. {what}")
        typer.echo(f"     {how}")

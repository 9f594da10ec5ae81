"""``anquan import``: bring the sheets offices already keep into the workspace."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import DataOpt, TodayOpt, edit_session, load, show_warnings, today_from
from anquan_cli.edit.steps import actor


class Kind(str, Enum):
    hazards = "hazards"
    tasks = "tasks"
    people = "people"
    units = "units"
    accidents = "accidents"
    enforcement = "enforcement"
    risks = "risks"
    grid = "grid"


class Target(str, Enum):
    yaml = "yaml"
    csv = "csv"


def import_(
    kind: Annotated[Kind, typer.Argument(help="hazards 隐患、tasks 分工表、people 人员、units 单位、accidents 事故、enforcement 执法记录、"
                                           "risks 重大安全风险清单、grid 网格表。 What the sheet holds.")],
    file: Annotated[Path, typer.Argument(help=".xlsx、.xls 或 .csv 文件。 The sheet.", exists=True, dir_okay=False)],
    sheet: Annotated[Optional[str], typer.Option(help="工作表名称（默认第一个）。 Worksheet.")] = None,
    map_: Annotated[Optional[Path], typer.Option("--map", help="映射文件：认不出的列名对应到哪个字段。 Column mapping file.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只报告会做什么，不写入。 Report only.")] = False,
    keep_invalid: Annotated[bool, typer.Option("--keep-invalid", help="把有错的行写成草稿（drafts/），供人修改。 Keep invalid rows as drafts.")] = False,
    format: Annotated[Optional[Target], typer.Option("--format", "-f", help="新隐患写成 yaml 或 csv（默认随工作区已有的文件）。 Target format.")] = None,
    table: Annotated[Optional[str], typer.Option(help="分工表名称（默认文件名）。 Task table name.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="经办人（默认取 git config user.name）。 Who imports.")] = None,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """导入已有的 Excel/WPS 表格：自动找表头（跳过标题行、识别两行合并表头和中文列名），合并单元格、序列号日期、文字日期都能读；逐行校验，出错的行指出“文件:工作表!单元格”；重复导入不会重复记录。

    Import an existing sheet: header detection, merged cells, Excel serial and text dates; every
    row validated (errors at file:sheet!cell); re-importing never duplicates records.
    """
    from anquan_cli.importing import KIND_MODELS, load_mapping, plan, read_workbook
    from anquan_cli.progress import progress

    day = today_from(today)
    with progress(f"导入 {file.name}") as shown:
        shown.stage("读取表格")
        result = read_workbook(file, KIND_MODELS[kind.value], load_mapping(map_), sheet, table)
        written: dict[str, int] = {}
        if dry_run:
            shown.stage("与台账核对")
            p = plan(load(data), kind.value, result)
        else:
            from anquan_cli.edit.imports import write

            with edit_session(data, day) as s:
                shown.stage("与台账核对")
                p = plan(s.ws, kind.value, result)
                fmt = format.value if format else None
                shown.stage("校验并写入")
                written = write(s, kind.value, p, actor(by, s.ws.root) if p.new else "", day, file.name, fmt,
                                drafts=keep_invalid)
                s.commit(validate=False)  # validated by write()
    if not dry_run:
        show_warnings(s.warnings)
    if result.hidden:
        typer.echo(f"注意：隐藏的工作表未导入：{'、'.join(result.hidden)}（确需导入时用 --sheet 指明）", err=True)
    if result.ignored:
        typer.echo(f"注意：不认识的列已忽略：{'、'.join(result.ignored)}（可用 --map 指明）", err=True)
    for row in p.invalid:
        for e in row.errors:
            typer.echo(f"{e}", err=True)
    for row, old, diffs in p.changed:
        detail = "；".join(f"{f}：{a} → {b}" for f, (a, b) in diffs.items())
        typer.echo(f"{row.ref}: 已存在（{old.src.path}:{old.src.line}），表中不同：{detail}（未修改台账）")
    verb = "将新增" if dry_run else "新增"
    typer.echo(f"{file.name}：{verb} {len(p.new)} 条，已存在 {len(p.same) + len(p.changed)} 条（其中与台账不同 "
               f"{len(p.changed)} 条），有错 {len(p.invalid)} 条" + ("" if keep_invalid or not p.invalid else "（未写入）") + "。")
    for rel, n in written.items():
        typer.echo(f"  写入 {rel}：{n} 条")
    raise typer.Exit(1 if p.invalid else 0)

"""``anquan import``: bring the sheets offices already keep into the workspace."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import DataOpt, TodayOpt, edit_session, show_warnings, today_from
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
    """导入已有的 Excel/WPS 表格：自动找表头（跳过标题行、识别两行合并表头和中文列名），合并单元格、序列号日期、文字日期都能读；
    “整改情况”写成处理记录（整改完成须有日期），合计、备注行和序号列跳过，单位简称按名录对应，导入后说明推断了什么；
    逐行校验，出错的行指出“文件:工作表!单元格”；认不出的列给出映射建议（docs/import.md）；重复导入不会重复记录。

    Import an existing sheet: header detection, merged cells, Excel serial and text dates; 整改情况
    as history events, totals rows and 序号 skipped, short unit names resolved, a summary of what
    was inferred; every row validated (errors at file:sheet!cell); re-importing never duplicates.
    """
    from anquan_cli.importing import KIND_MODELS, load_mapping, plan, read_workbook
    from anquan_cli.progress import progress

    day = today_from(today)
    model = KIND_MODELS[kind.value]
    mapping = load_mapping(map_, model)
    with progress(f"导入 {file.name}") as shown:
        shown.stage("读取表格")
        result = read_workbook(file, model, mapping, sheet, table)
        written: dict[str, int] = {}
        from anquan_cli.edit.imports import write

        # a dry run stages and validates exactly as the import does (check's rules: owners in the
        # directory, dates in order …), then forgets it: what it says the import would do, it does
        with edit_session(data, day) as s:
            ws = s.ws
            shown.stage("与台账核对")
            p = plan(s.ws, kind.value, result, day)
            fmt = format.value if format else None
            who = (by or "试导入") if dry_run else actor(by, s.ws.root) if p.new else ""
            shown.stage("校验" if dry_run else "校验并写入")
            written = write(s, kind.value, p, who, day, file.name, fmt, drafts=keep_invalid)
            if dry_run:
                s.discard()
            else:
                s.commit(validate=False)  # validated by write()
    if not dry_run:
        show_warnings(s.warnings)
    if result.hidden:
        typer.echo(f"注意：隐藏的工作表未导入：{'、'.join(result.hidden)}（确需导入时用 --sheet 指明）", err=True)
    _suggest(result, model, kind.value, file, map_, ws.root, day, dry_run, tuple(mapping.defaults))
    for row in p.invalid:
        for e in row.errors:
            typer.echo(f"{e}", err=True)
    for row, old, diffs in p.changed:
        detail = "；".join(f"{f}：{a} → {b}" for f, (a, b) in diffs.items())
        typer.echo(f"{row.ref}: 已存在（{old.src.path}:{old.src.line}），表中不同：{detail}（未修改台账）")
    for row, old in [*p.same, *((r, o) for r, o, _ in p.changed)]:
        for note in row.mismatch:
            typer.echo(f"{row.ref}: 已存在（{old.src.path}:{old.src.line}），{note}（未修改台账）")
    verb = "将新增" if dry_run else "新增"
    typer.echo(f"{file.name}：{verb} {len(p.new)} 条，已存在 {len(p.same) + len(p.changed)} 条（其中与台账不同 "
               f"{len(p.changed)} 条），有错 {len(p.invalid)} 条" + ("" if keep_invalid or not p.invalid else "（未写入）") + "。")
    for rel, n in written.items():
        typer.echo(f"  {'将写入' if dry_run else '写入'} {rel}：{n} 条")
    _summary(result, p, ws, kind.value, dry_run, day, file.name)
    raise typer.Exit(1 if p.invalid else 0)


def _summary(result, p, ws, kind: str, dry_run: bool, day, source: str) -> None:
    """What the import read into the sheet and left out (see :mod:`anquan_cli.views.imports`)."""
    from anquan_cli.views.imports import summary_lines

    inferred = None
    threshold = ws.config.settings.escalation_days
    if kind == "hazards":
        from anquan_cli.rules.imports import infer

        inferred = infer([(row, row.record, row.progress) for row in p.new], day, threshold, source)
    ids = {row.record.name: row.record.id for row in p.new if kind == "people" and row.needs_id} if not dry_run else \
        ({row.record.name: "（写入时生成）" for row in p.new if kind == "people" and row.needs_id})
    for line in summary_lines(result, p, inferred, dry_run, threshold, ids):
        typer.echo(line)


def _suggest(result, model, kind: str, file: Path, given_map: Optional[Path], root: Path, day,
             dry_run: bool = False, defaults: tuple[str, ...] = ()) -> None:
    """Columns not understood, or a field the kind needs with no column: say so with a
    mapping to use, and (without ``--map``) write it next to the sheet for the user to check —
    never over an existing file, never inside the workspace, never in a ``--dry-run``."""
    from anquan_cli.importing import suggest_mapping
    from anquan_cli.views.imports import mapping_file, mapping_lines

    suggestion = suggest_mapping(result, model, defaults)
    if suggestion is None:
        return
    if result.ignored:
        typer.echo(f"注意：不认识的列已忽略：{'、'.join(result.ignored)}", err=True)
    typer.echo("建议的列名映射（--map）：", err=True)
    for line in mapping_lines(suggestion, model):
        typer.echo(line, err=True)
    if given_map is not None:
        typer.echo(f"  把上面的列补进 {given_map} 的 columns 中，再导入。", err=True)
        return
    target = file.with_name(f"{file.stem}.map.yaml")
    try:
        inside = target.resolve().is_relative_to(root.resolve())
    except OSError:
        inside = True
    use = f"核对后用 --map {target} 再导入"
    if inside:
        typer.echo(f"  表格在工作区内，未写映射文件：把建议存为工作区外的文件，{use}。", err=True)
        return
    if target.exists():
        typer.echo(f"  已有 {target}（未覆盖）：{use}。", err=True)
        return
    if dry_run:
        typer.echo(f"  （试导入不写文件；去掉 --dry-run 时写成映射文件 {target}）", err=True)
        return
    from anquan_cli.io.atomic import atomic_create

    text = mapping_file(suggestion, model, kind, file.name, target.name, day, str(root))
    try:
        atomic_create(target, text.encode("utf-8"))
    except FileExistsError:
        typer.echo(f"  已有 {target}（未覆盖）：{use}。", err=True)
        return
    except OSError as exc:
        typer.echo(f"  映射文件 {target} 写不了（{exc.strerror or exc}）：把上面的建议写成映射文件，用 --map 指明。", err=True)
        return
    typer.echo(f"  已写映射文件 {target}：{use}。", err=True)

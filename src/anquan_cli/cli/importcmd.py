"""``anquan import``: bring the sheets offices already keep into the workspace."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from anquan_cli.cli._common import DataOpt, TodayOpt, actor, load, today_from


class Kind(str, Enum):
    hazards = "hazards"
    tasks = "tasks"
    people = "people"
    units = "units"


class Target(str, Enum):
    yaml = "yaml"
    csv = "csv"


def _mapping(path: Optional[Path]) -> tuple[dict, dict, Optional[str]]:
    """A mapping file: {columns: {表头: 字段}, defaults: {字段: 值}, sheet: 名称}."""
    if path is None:
        return {}, {}, None
    from anquan_cli.io.decode import decode
    from anquan_cli.io.yamlread import PosDict, parse_yaml
    from anquan_cli.problems import UsageError

    data, problems = parse_yaml(decode(path.read_bytes()).text, path.name)
    if problems or not isinstance(data, PosDict):
        raise UsageError(f"映射文件 {path} 格式不对：应为 columns: {{表头: 字段}}、defaults: {{字段: 值}}、sheet: 工作表")
    return dict(data.get("columns") or {}), dict(data.get("defaults") or {}), data.get("sheet")


def import_(
    kind: Annotated[Kind, typer.Argument(help="hazards 隐患、tasks 分工表、people 人员、units 单位。 What the sheet holds.")],
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
    from anquan_cli.importing import KIND_MODELS, ImportResult, plan, read_rows, write
    from anquan_cli.io.edit import atomic_write
    from anquan_cli.io.sheets import read_grid, sheet_names
    from anquan_cli.problems import UsageError

    day = today_from(today)
    columns, defaults, map_sheet = _mapping(map_)
    chosen = sheet or map_sheet
    result = ImportResult([], {}, [])
    failure = None
    # without --sheet: every worksheet that has a recognisable header (a summary sheet has none)
    for name in ([chosen] if chosen else sheet_names(file)):
        try:
            part = read_rows(read_grid(file, name), KIND_MODELS[kind.value], columns, defaults, table)
        except ValueError as exc:
            failure = failure or exc
            continue
        result.rows += part.rows
        result.ignored += [h for h in part.ignored if h not in result.ignored]
    if not result.rows and failure is not None:
        raise UsageError(f"{file.name}：{failure}")
    ws = load(data)
    p = plan(ws, kind.value, result)
    if result.ignored:
        typer.echo(f"注意：不认识的列已忽略：{'、'.join(result.ignored)}（可用 --map 指明）", err=True)
    for row in p.invalid:
        for e in row.errors:
            typer.echo(f"{e}", err=True)
    for row, old, diffs in p.changed:
        detail = "；".join(f"{f}：{a} → {b}" for f, (a, b) in diffs.items())
        typer.echo(f"{row.ref}: 已存在（{old.src.path}:{old.src.line}），表中不同：{detail}（未修改台账）")
    written = {}
    if not dry_run:
        who = actor(by, ws.root)
        fmt = format.value if format else None
        written = write(ws, kind.value, p, who, day, file.name, fmt)
        if keep_invalid and p.invalid:
            import yaml

            rel = f"drafts/import-{file.stem}-{day.isoformat()}.yaml"
            lines = [f"# 从 {file.name} 导入时有错的行；改好后移入相应目录。"]
            for row in p.invalid:
                lines += [f"# {e}" for e in row.errors]
                lines.append(yaml.safe_dump([{k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                               for k, v in row.values.items()}], allow_unicode=True, sort_keys=False))
            (ws.root / "drafts").mkdir(exist_ok=True)
            atomic_write(ws.root / rel, "\n".join(lines).encode("utf-8"))
            written[rel] = len(p.invalid)
    verb = "将新增" if dry_run else "新增"
    typer.echo(f"{file.name}：{verb} {len(p.new)} 条，已存在 {len(p.same) + len(p.changed)} 条（其中与台账不同 "
               f"{len(p.changed)} 条），有错 {len(p.invalid)} 条" + ("" if keep_invalid or not p.invalid else "（未写入）") + "。")
    for rel, n in written.items():
        typer.echo(f"  写入 {rel}：{n} 条")
    raise typer.Exit(1 if p.invalid else 0)

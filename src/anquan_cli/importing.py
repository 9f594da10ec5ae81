"""Import the sheets offices already keep: find the header row under any title rows (also a
two-row merged header), recognise the usual Chinese column names or a mapping file, read
Excel's values (serial-number dates, integers stored as floats, numbers stored as text),
validate every row like any record, and match rows to existing records so a re-import
never duplicates.  Writing what is new goes through the edit session (:mod:`anquan_cli.edit.imports`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import ValidationError

from anquan_cli.io.sheets import Grid, cell_ref
from anquan_cli.models import Accident, Enforcement, Hazard, Person, Record, Task, Unit
from anquan_cli.models.grid import Cell
from anquan_cli.models.risk import Risk
from anquan_cli.text import norm_key
from anquan_cli.workspace import header_map

__all__ = ["KIND_MODELS", "Row", "ImportResult", "Mapping", "load_mapping", "read_workbook", "read_rows",
           "find_header", "match_key", "plan"]

KIND_MODELS = {"hazards": Hazard, "tasks": Task, "people": Person, "units": Unit, "accidents": Accident,
               "enforcement": Enforcement, "risks": Risk, "grid": Cell}
#: the workspace list each import kind is matched against (named like the kind, but the grid's cells)
KIND_LISTS = {"grid": "cells"}
#: kinds whose rows may come without an id (one is assigned when written)
_ID_ASSIGNED = (Hazard, Accident, Enforcement, Risk)
#: columns ``anquan export`` adds that anquan works out (open hazards, control gaps, the enterprises
#: of a cell): read past without a notice, so an exported workbook imports back quietly
_WORKED_OUT = {Risk: ("未销号隐患", "管控缺口"), Cell: ("网格内企业",)}
#: a row number (the 序号 ``anquan export`` and many offices put first) is the weakest claim on
#: a field: another column for the same field (编号, 任务序号) takes it, and a 序号 that names no
#: field of the kind is read past without a notice
_ROW_NUMBER = norm_key("序号")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FIELDS = {"found", "deadline", "closed", "date", "from_", "until", "resumed", "accepted"}
#: cells that hold a day and, when the sheet has one, a time of day (an accident's 发生时间)
_MOMENT_FIELDS = {"occurred"}


@dataclass
class Row:
    ref: str                  # where the row is: 台账.xlsx:隐患!A17
    values: dict              # field → value
    record: Record | None     # validated record, or None
    errors: list[str] = field(default_factory=list)
    #: the sheet gave no id: one is assigned when the record is written
    needs_id: bool = False


@dataclass
class ImportResult:
    rows: list[Row]
    columns: dict[int, str]   # column → field
    ignored: list[str]        # header cells not understood
    #: hidden worksheets left out (taken only when named with --sheet)
    hidden: list[str] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return str(value).strip()


def _value(name: str, value):
    """An Excel cell as a record value."""
    if name in _MOMENT_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool) and 1000 < value < 80000:
        value = dt.datetime.combine(_EXCEL_EPOCH, dt.time()) + dt.timedelta(days=float(value))  # a serial moment
        value = (value + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)  # to the nearest minute
    if isinstance(value, dt.datetime):
        if name in _MOMENT_FIELDS and value.time() != dt.time():
            return value.replace(second=0, microsecond=0).isoformat(sep=" ", timespec="minutes")
        return value.date()
    if name in _DATE_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool) and 1000 < value < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))  # a date stored as a serial number
    return _text(value)


def find_header(cells: list[list[object]], model: type[Record], mapping: dict[str, str]) -> tuple[int, dict[int, str], list[str]]:
    """``(last header row, column → field, ignored headers)``: the row (or pair of rows, for a
    two-row merged header) within the first ten whose cells name the most fields."""
    names = header_map(model)
    wanted = {norm_key(k): v for k, v in mapping.items()}
    worked_out = {norm_key(h) for h in _WORKED_OUT.get(model, ())}

    def field_of(cell) -> str | None:
        key = norm_key(_text(cell))
        return wanted.get(key) or names.get(key) if key else None

    best = (0, -1, {}, [])
    for r in range(min(10, len(cells))):
        for span in (1, 2):
            if r + span > len(cells):
                continue
            width = max(len(cells[i]) for i in range(r, r + span))
            columns, ignored = {}, []
            numbers: set[int] = set()  # the columns headed 序号
            for c in range(width):
                labels = [cells[i][c] if c < len(cells[i]) else "" for i in range(r, r + span)]
                found = next((f for f in (field_of(x) for x in reversed(labels)) if f), None)
                number = any(norm_key(_text(x)) == _ROW_NUMBER for x in labels)
                taken = next((k for k, v in columns.items() if v == found), None) if found else None
                if found and taken is None:
                    columns[c] = found
                    if number:
                        numbers.add(c)
                elif found and taken in numbers and not number:
                    del columns[taken]  # 序号 was a row number: this column is the field
                    columns[c] = found
                elif any(_text(x) for x in labels) and not found and not number \
                        and not any(norm_key(_text(x)) in worked_out for x in labels):
                    ignored.append(_text(labels[-1]) or _text(labels[0]))
            if len(columns) > best[0]:
                best = (len(columns), r + span - 1, columns, ignored)
    if best[0] < 2:
        raise ValueError("找不到表头：前 10 行中没有一行能认出至少两个列名（如 隐患名称、单位名称、发现日期）；"
                         "可用 --map 映射文件指明各列")
    return best[1], best[2], best[3]


@dataclass
class Mapping:
    """A mapping file: ``columns: {表头: 字段}``, ``defaults: {字段: 值}``, ``sheet: 名称``."""
    columns: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    sheet: str | None = None


def load_mapping(path) -> Mapping:
    if path is None:
        return Mapping()
    from anquan_cli.io.decode import decode
    from anquan_cli.io.yamlread import PosDict, parse_yaml
    from anquan_cli.problems import UsageError

    data, problems = parse_yaml(decode(path.read_bytes()).text, path.name)
    if problems or not isinstance(data, PosDict):
        raise UsageError(f"映射文件 {path} 格式不对：应为 columns: {{表头: 字段}}、defaults: {{字段: 值}}、sheet: 工作表")
    return Mapping(dict(data.get("columns") or {}), dict(data.get("defaults") or {}), data.get("sheet"))


def read_workbook(path, model: type[Record], mapping: Mapping, sheet: str | None = None,
                  table: str | None = None) -> ImportResult:
    """The rows of one worksheet, or without a sheet name of every worksheet that has a
    recognisable header (a summary sheet has none)."""
    from anquan_cli.io.sheets import hidden_sheets, read_grid, sheet_names
    from anquan_cli.problems import UsageError

    chosen = sheet or mapping.sheet
    result = ImportResult([], {}, [], [] if chosen else hidden_sheets(path))
    failure = None
    for name in ([chosen] if chosen else sheet_names(path)):
        try:
            part = read_rows(read_grid(path, name), model, mapping.columns, mapping.defaults, table)
        except ValueError as exc:
            failure = failure or exc
            continue
        result.rows += part.rows
        result.ignored += [h for h in part.ignored if h not in result.ignored]
    if not result.rows and failure is not None:
        raise UsageError(f"{path.name}：{failure}")
    return result


def read_rows(grid: Grid, model: type[Record], mapping: dict[str, str], defaults: dict,
              table: str | None = None) -> ImportResult:
    from anquan_cli.workspace import describe_error

    header_row, columns, ignored = find_header(grid.cells, model, mapping)
    rows = []
    for r in range(header_row + 1, len(grid.cells)):
        cells = grid.cells[r]
        values = dict(defaults)
        where = {}
        unsaved = [c for c in columns if (r, c) in grid.formulas]
        for c, name in columns.items():
            if c < len(cells):
                v = _value(name, cells[c])
                if v not in ("", None):
                    values[name] = v
                    where[name] = c
        if not where and not unsaved:
            continue  # an empty row (Excel sheets end with many)
        if model is Task:
            values.setdefault("table", table or grid.file.rsplit(".", 1)[0])
        needs_id = model in _ID_ASSIGNED and "id" not in values
        if needs_id:
            values["id"] = f"待分配-{r + 1}"  # replaced by a real id when written
        row = Row(cell_ref(grid, r, 0), values, None, needs_id=needs_id)
        try:
            row.record = model.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                name = str(err["loc"][0]) if err["loc"] else ""
                ref = cell_ref(grid, r, where[name]) if name in where else cell_ref(grid, r, 0)
                _, message, _ = describe_error(err, model)
                row.errors.append(f"{ref}: {message}")
        for c in unsaved:  # read as empty: say why, and never import the row as if it were
            row.record = None
            row.errors.append(f"{cell_ref(grid, r, c)}: 这一格是公式，但文件中没有保存计算结果"
                              "（用 Excel/WPS 打开后保存一次，或把公式复制为数值）")
        rows.append(row)
    return ImportResult(rows, columns, ignored)


def match_key(record: Record) -> tuple:
    """How an imported row is recognised in the workspace: its id, else unit + title + found."""
    if isinstance(record, Hazard):
        return ("hazard", record.unit, record.title, record.found)
    if isinstance(record, Accident):
        return ("accident", record.unit, record.title, record.day)
    if isinstance(record, Enforcement):  # without an id: the same action on the same unit that day
        return ("enforcement", record.type, record.unit, record.date, record.number)
    if isinstance(record, Task):
        return ("task", record.table, record.no)
    if isinstance(record, Person):
        return ("person", record.id)
    if isinstance(record, Risk):  # without an id: the same risk of the same unit (or township)
        return ("risk", record.unit or record.township, record.title)
    if isinstance(record, Cell):
        return ("cell", norm_key(record.id))
    return ("unit", record.name)



# ---------------------------------------------------------------------- planning and writing


@dataclass
class Plan:
    new: list[Row] = field(default_factory=list)
    same: list[tuple[Row, Record]] = field(default_factory=list)
    changed: list[tuple[Row, Record, dict]] = field(default_factory=list)
    invalid: list[Row] = field(default_factory=list)


_COMPARE_SKIP = {"history", "table"}


def _differs(old, new) -> bool:
    """Whether a sheet's value says something else than the record's: a nested value (an
    accident's finding) only in what the sheet gives (its kind and note, not who found it when)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return any(v is not None and old.get(k) != v for k, v in new.items())
    return old != new


def _as_computed(ws, result: ImportResult) -> None:
    """An accident's or a risk's township and sector that are its unit's, and an accident's
    grade that its figures reach — what ``export`` writes, worked out by anquan anyway — are
    left to be worked out, not written into the record."""
    from anquan_cli.rules import accidents as A
    from anquan_cli.rules.lookup import Directory

    directory = Directory.for_workspace(ws)
    missing_as_deaths = ws.config.settings.accidents.missing_as_deaths
    for row in result.rows:
        rec = row.record
        if not isinstance(rec, (Accident, Risk)):
            continue
        unit = directory.unit(rec.unit) if rec.unit else None
        update: dict = {}
        if unit is not None and rec.township and rec.township == unit.township:
            update["township"] = None
        if unit is not None and rec.sector and rec.sector == unit.sector:
            update["sector"] = None
        if isinstance(rec, Accident) and rec.grade is not None and rec.grade is A.computed_grade(rec, missing_as_deaths):
            update["grade"] = None
        if update:
            row.record = rec.model_copy(update=update)
            for name in update:
                row.values.pop(name, None)


def plan(ws, kind: str, result: ImportResult) -> Plan:
    """Which rows are new, already in the workspace (the same, or differing), or invalid."""
    existing = getattr(ws, KIND_LISTS.get(kind, kind))
    if kind in ("accidents", "risks"):
        _as_computed(ws, result)
    by_key = {match_key(r): r for r in existing}
    by_id = {r.id: r for r in existing if isinstance(r, _ID_ASSIGNED)}
    out = Plan()
    seen: set = set()
    for row in result.rows:
        if row.record is None:
            out.invalid.append(row)
            continue
        rec = row.record
        old = (by_id.get(rec.id) if isinstance(rec, _ID_ASSIGNED) and not row.needs_id else None) \
            or by_key.get(match_key(rec))
        if old is None:
            key = match_key(rec)
            if key in seen:
                row.errors.append(f"{row.ref}: 与表中前面的一行重复（同一{rec.kind_label}）")
                out.invalid.append(row)
                continue
            seen.add(key)
            out.new.append(row)
            continue
        a, b = old.model_dump(), rec.model_dump()
        diffs = {f: (a[f], b[f]) for f in row.values if f in a and f not in _COMPARE_SKIP and f != "id"
                 and b.get(f) not in (None, "", []) and _differs(a[f], b[f])}
        (out.changed.append((row, old, diffs)) if diffs else out.same.append((row, old)))
    return out

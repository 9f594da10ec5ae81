"""Import the sheets offices already keep: find the header row under any title rows (also a
two-row merged header), recognise the usual Chinese column names or a mapping file, read
Excel's values (serial-number dates, integers stored as floats, numbers stored as text),
validate every row like any record, and match rows to existing records so a re-import
never duplicates.  What an office's own sheet holds beyond its columns is read too (see
:mod:`anquan_cli.rules.imports`): a hazard's 整改情况 as its history, the 合计/备注 rows and
the 序号 column left out, a unit's kind from its name, a person's id made from the name, a
short or misspelt unit name as the directory's.  Writing what is new goes through the edit
session (:mod:`anquan_cli.edit.imports`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from anquan_cli.io.sheets import Grid, cell_ref
from anquan_cli.models import Accident, Enforcement, Hazard, Person, Record, Task, Unit
from anquan_cli.models.grid import Cell
from anquan_cli.models.risk import Risk
from anquan_cli.text import norm_key
from anquan_cli.workspace import header_map

__all__ = ["KIND_MODELS", "Row", "ImportResult", "Mapping", "load_mapping", "read_workbook", "read_rows",
           "find_header", "match_key", "plan", "IMPORT_ONLY", "IGNORE", "field_words"]

KIND_MODELS = {"hazards": Hazard, "tasks": Task, "people": Person, "units": Unit, "accidents": Accident,
               "enforcement": Enforcement, "risks": Risk, "grid": Cell}
#: the workspace list each import kind is matched against (named like the kind, but the grid's cells)
KIND_LISTS = {"grid": "cells"}
#: kinds whose rows may come without an id (one is assigned when written)
_ID_ASSIGNED = (Hazard, Accident, Enforcement, Risk, Person)
#: kinds whose unit is resolved against the directory (a short or misspelt name)
_PLACED = (Hazard, Accident, Enforcement, Risk)
#: columns ``anquan export`` adds that anquan works out (open hazards, control gaps, the enterprises
#: of a cell): read past without a notice, so an exported workbook imports back quietly
_WORKED_OUT = {Risk: ("未销号隐患", "管控缺口"), Cell: ("网格内企业",)}
#: a row number (the 序号 ``anquan export`` and many offices put first) is the weakest claim on
#: a field: another column for the same field (编号, 任务序号) takes it, and a 序号 that names no
#: field of the kind is read past without a notice
_ROW_NUMBER = norm_key("序号")
_ROW_NUMBERS = {norm_key(w) for w in ("序号", "序", "顺序号", "No", "No.", "NO")}
#: columns only an import reads, not fields of the record: a hazard sheet's 整改情况 (and the day
#: of its rectification) become history events (:func:`anquan_cli.rules.imports.read_progress`)
IMPORT_ONLY: dict[type, dict[str, tuple[str, ...]]] = {
    Hazard: {"progress": ("整改情况", "整改结果", "整改进展", "整改落实情况", "整改状态", "是否整改", "整改完成情况"),
             "rectified_on": ("整改完成时间", "整改完成日期", "完成整改时间", "完成整改日期", "实际完成时间", "实际完成日期",
                              "整改销号时间")},
}
#: the fields the title of a hazard is taken from when the sheet has no 隐患名称 column (an
#: office's 隐患台账 often describes each hazard in one 隐患描述 column)
_TITLE_STANDINS = {Hazard: ("description",)}
#: a mapping file's word for a column not to import
IGNORE = "忽略"
_IGNORE_WORDS = {norm_key(w) for w in (IGNORE, "ignore", "skip", "不导入", "跳过", "-")}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FIELDS = {"found", "deadline", "closed", "date", "from_", "until", "resumed", "accepted", "progress", "rectified_on"}
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
    #: field → the cell it was read from (for messages about one value)
    cells: dict = field(default_factory=dict)
    #: the row's 整改情况 as read (hazards), None when the sheet says nothing of it
    progress: object = None
    #: the unit kind read from the name (units without a 类型)
    inferred_kind: object = None
    #: the unit name as the sheet wrote it, when the directory's name was taken for it
    unit_written: str | None = None
    #: what the row says that the ledger does not (a record already there)
    mismatch: list[str] = field(default_factory=list)

    #: the worksheet (None for a CSV) and the row's number in it (1-based, as Excel shows it)
    sheet: str | None = None
    number: int = 0


@dataclass
class ImportResult:
    rows: list[Row]
    columns: dict[int, str]   # column → field
    ignored: list[str]        # header cells not understood
    #: hidden worksheets left out (taken only when named with --sheet)
    hidden: list[str] = field(default_factory=list)
    #: rows that are not records: (ref, why) — ``合计``, ``备注`` (a footnote), ``序号`` (only a number)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: the 序号 columns read as row numbers (``Sheet1!A``)
    numbers: list[str] = field(default_factory=list)
    #: the header the title was taken from when the sheet has no title column (``隐患描述``)
    title_from: list[str] = field(default_factory=list)
    #: every header cell of the columns read, column → text (for a suggested mapping)
    headers: dict[int, str] = field(default_factory=dict)


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


def field_words(model: type[Record]) -> dict[str, str]:
    """Normalised header (or field name) → field, for a sheet of ``model``: the record's own
    columns, and the columns only an import reads (整改情况 is then not the note)."""
    names = header_map(model)
    for name, words in IMPORT_ONLY.get(model, {}).items():
        names[norm_key(name)] = name
        for w in words:
            names[norm_key(w)] = name
    return names


@dataclass
class Header:
    row: int                                 # the last header row (0-based)
    columns: dict[int, str]                  # column → field
    ignored: list[str]                       # header cells not understood
    numbers: list[int] = field(default_factory=list)      # columns headed 序号
    labels: dict[int, str] = field(default_factory=dict)  # column → its header text
    #: the columns whose field was taken as the title (隐患描述 where there is no 隐患名称)
    title_from: list[int] = field(default_factory=list)


def find_header(cells: list[list[object]], model: type[Record], mapping: dict[str, str]) -> tuple[int, dict[int, str], list[str]]:
    """``(last header row, column → field, ignored headers)``: the row (or pair of rows, for a
    two-row merged header) within the first ten whose cells name the most fields."""
    h = read_header(cells, model, mapping)
    return h.row, h.columns, h.ignored


def read_header(cells: list[list[object]], model: type[Record], mapping: dict[str, str]) -> Header:
    """The header of a sheet (see :func:`find_header`), with its 序号 columns and labels; a
    mapping's column named :data:`IGNORE` is read past without a notice."""
    names = field_words(model)
    wanted = {norm_key(k): v for k, v in mapping.items()}
    skipped = {k for k, v in wanted.items() if v == IGNORE}
    worked_out = {norm_key(h) for h in _WORKED_OUT.get(model, ())}

    def field_of(cell) -> str | None:
        key = norm_key(_text(cell))
        if not key or key in skipped:
            return None
        return wanted.get(key) or names.get(key)

    best = Header(-1, {}, [])
    for r in range(min(10, len(cells))):
        for span in (1, 2):
            if r + span > len(cells):
                continue
            width = max(len(cells[i]) for i in range(r, r + span))
            columns, ignored = {}, []
            numbers: set[int] = set()  # the columns headed 序号
            labels: dict[int, str] = {}
            for c in range(width):
                labels_of = [cells[i][c] if c < len(cells[i]) else "" for i in range(r, r + span)]
                text = _text(labels_of[-1]) or _text(labels_of[0])
                if text:
                    labels[c] = text
                found = next((f for f in (field_of(x) for x in reversed(labels_of)) if f), None)
                number = any(norm_key(_text(x)) in _ROW_NUMBERS for x in labels_of)
                if number:
                    numbers.add(c)
                taken = next((k for k, v in columns.items() if v == found), None) if found else None
                if found and taken is None:
                    columns[c] = found
                elif found and taken in numbers and not number:
                    del columns[taken]  # 序号 was a row number: this column is the field
                    columns[c] = found
                elif any(_text(x) for x in labels_of) and not found and not number \
                        and not any(norm_key(_text(x)) in worked_out or norm_key(_text(x)) in skipped for x in labels_of):
                    ignored.append(text)
            if len(columns) > len(best.columns):
                best = Header(r + span - 1, columns, ignored, sorted(numbers), labels)
    if len(best.columns) < 2:
        raise ValueError("找不到表头：前 10 行中没有一行能认出至少两个列名（如 隐患名称、单位名称、发现日期）；"
                         "可用 --map 映射文件指明各列")
    fields = set(best.columns.values())
    for standin in _TITLE_STANDINS.get(model, ()):
        if "title" not in fields and standin in fields:
            c = next(k for k, v in best.columns.items() if v == standin)
            best.columns[c] = "title"
            best.title_from.append(c)
    return best


@dataclass
class Mapping:
    """A mapping file: ``columns: {表头: 字段}``, ``defaults: {字段: 值}``, ``sheet: 名称``."""
    columns: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    sheet: str | None = None
    #: the file it was read from (None: no mapping given)
    path: object = None


def load_mapping(path, model: type[Record] | None = None) -> Mapping:
    """A mapping file; with ``model``, each column's field is checked (a field name, or one of
    the Chinese headers anquan knows for it, or 忽略) and written as the field's name."""
    if path is None:
        return Mapping()
    from anquan_cli.io.decode import decode
    from anquan_cli.io.yamlread import PosDict, parse_yaml
    from anquan_cli.problems import UsageError

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"读不了映射文件 {path}：{exc.strerror or exc}") from None
    data, problems = parse_yaml(decode(raw).text, path.name)
    if problems or not isinstance(data, PosDict):
        raise UsageError(f"映射文件 {path} 格式不对：应为 columns: {{表头: 字段}}、defaults: {{字段: 值}}、sheet: 工作表")
    columns = data.get("columns") or {}
    defaults = data.get("defaults") or {}
    if not isinstance(columns, dict) or not isinstance(defaults, dict):
        raise UsageError(f"映射文件 {path} 格式不对：columns 和 defaults 下面应是“名称: 值”的若干行")
    out: dict = {}
    if model is None:
        out = {str(k): str(v) for k, v in columns.items() if v not in (None, "")}
    else:
        names = field_words(model)
        for header, value in columns.items():
            key = norm_key(str(value)) if value not in (None, "") else norm_key(IGNORE)
            if key in _IGNORE_WORDS:
                out[str(header)] = IGNORE
                continue
            name = names.get(key)
            if name is None:
                where = f"{path}:{columns.line_of(header)}" if isinstance(columns, PosDict) else str(path)
                choices = "、".join(f"{n}（{model.csv_columns[n][0]}）" if n in model.csv_columns else n
                                    for n in model.model_fields if n != "table")
                raise UsageError(f"{where}：列“{header}”对应的“{value}”不是{model.kind_label}的字段；可写：{choices}，"
                                 f"或写“{IGNORE}”不导入这一列")
            out[str(header)] = name
        defaults = {names.get(norm_key(str(k)), str(k)): v for k, v in defaults.items()}
    return Mapping(out, dict(defaults), data.get("sheet"), path)


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
        result.skipped += part.skipped
        result.numbers += part.numbers
        result.title_from += [t for t in part.title_from if t not in result.title_from]
        if not result.columns:
            result.columns, result.headers = part.columns, part.headers
    if not result.rows and failure is not None:
        raise UsageError(f"{path.name}：{failure}")
    return result


def _column_letter(col: int) -> str:
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_rows(grid: Grid, model: type[Record], mapping: dict[str, str], defaults: dict,
              table: str | None = None) -> ImportResult:
    from anquan_cli.rules.imports import ProgressError, read_progress, summary_row
    from anquan_cli.workspace import describe_error

    header = read_header(grid.cells, model, mapping)
    columns = header.columns
    extra = IMPORT_ONLY.get(model, {})
    numbers = set(header.numbers)
    place = f"{grid.sheet}!" if grid.sheet else ""
    out = ImportResult([], columns, header.ignored, headers=header.labels,
                       numbers=[f"{place}{_column_letter(c)}" for c in header.numbers],
                       title_from=[header.labels.get(c, "") for c in header.title_from])
    for r in range(header.row + 1, len(grid.cells)):
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
        why = summary_row(cells)
        if why is None and all(c in numbers for c in where.values()) and not unsaved:
            why = "序号"  # a numbered row left empty
        if why is not None:
            out.skipped.append((cell_ref(grid, r, 0), why))
            continue
        if model is Task:
            values.setdefault("table", table or grid.file.rsplit(".", 1)[0])
        needs_id = model in _ID_ASSIGNED and "id" not in values
        if needs_id:
            values["id"] = f"待分配-{r + 1}"  # replaced by a real id when written
        row = Row(cell_ref(grid, r, 0), values, None, needs_id=needs_id,
                  cells={name: cell_ref(grid, r, c) for name, c in where.items()}, sheet=grid.sheet, number=r + 1)
        progress_cell, done_cell = values.get("progress"), values.get("rectified_on")
        if model is Unit and not values.get("kind") and values.get("name"):
            from anquan_cli.rules.imports import kind_from_name

            row.inferred_kind = kind_from_name(str(values["name"]))
            values["kind"] = row.inferred_kind.label
        try:
            row.record = model.model_validate({k: v for k, v in values.items() if k not in extra})
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                name = str(err["loc"][0]) if err["loc"] else ""
                ref = cell_ref(grid, r, where[name]) if name in where else cell_ref(grid, r, 0)
                _, message, _ = describe_error(err, model)
                row.errors.append(f"{ref}: {message}")
        if progress_cell is not None or done_cell is not None:
            found = row.record.found if isinstance(row.record, Hazard) else None
            try:
                row.progress = read_progress(progress_cell, done_cell, found)
            except ProgressError as exc:
                field_at = "progress" if progress_cell is not None else "rectified_on"
                row.errors.append(f"{row.cells.get(field_at, row.ref)}: {exc}")
                row.record = None
            if isinstance(row.record, Hazard) and row.progress is not None:
                problem = _progress_problem(row.record, row.progress)
                if problem:
                    row.errors.append(f"{row.cells.get('progress') or row.cells.get('rectified_on') or row.ref}: {problem}")
                    row.record = None
        for c in unsaved:  # read as empty: say why, and never import the row as if it were
            row.record = None
            row.errors.append(f"{cell_ref(grid, r, c)}: 这一格是公式，但文件中没有保存计算结果"
                              "（用 Excel/WPS 打开后保存一次，或把公式复制为数值）")
        if row.errors:
            row.record = None
        out.rows.append(row)
    return out


def _progress_problem(h: Hazard, p) -> str | None:
    """What is wrong with a rectification day against the hazard's own dates."""
    if p.day is not None and p.day < h.found:
        return f"整改完成日期 {p.day.isoformat()} 早于发现日期 {h.found.isoformat()}：核对两个日期"
    return None


def match_key(record: Record, unit_of=None) -> tuple:
    """How an imported row is recognised in the workspace: its id, else unit + title + found
    (``unit_of`` gives the name a unit is compared by: the directory's for its aliases)."""
    name = unit_of or (lambda u: u)
    if isinstance(record, Hazard):
        return ("hazard", name(record.unit), record.title, record.found)
    if isinstance(record, Accident):
        return ("accident", name(record.unit), record.title, record.day)
    if isinstance(record, Enforcement):  # without an id: the same action on the same unit that day
        return ("enforcement", record.type, name(record.unit), record.date, record.number)
    if isinstance(record, Task):
        return ("task", record.table, record.no)
    if isinstance(record, Person):
        return ("person", record.id)
    if isinstance(record, Risk):  # without an id: the same risk of the same unit (or township)
        return ("risk", name(record.unit) if record.unit else record.township, record.title)
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


def _resolve_units(directory, result: ImportResult) -> None:
    """A unit written short or misspelt, that fits exactly one unit of the directory, as that
    unit's name (the row remembers what the sheet wrote); one that fits several is the row's
    error, with the names it fits."""
    for row in result.rows:
        rec = row.record
        if not isinstance(rec, _PLACED) or not rec.unit:
            continue
        found = directory.match_unit(rec.unit)
        if found.refusal:
            row.errors.append(f"{row.cells.get('unit', row.ref)}: {found.refusal}")
            row.record = None
        elif found.unit is not None and found.unit.name != rec.unit:
            if found.how != "exact":  # an alias or an id is a name the directory knows: said nowhere
                row.unit_written = rec.unit
            row.record = rec.model_copy(update={"unit": found.unit.name})
            row.values["unit"] = found.unit.name


def _person_of(people: list[Person], rec: Person, directory) -> tuple[Person | None, str | None]:
    """The directory's person a row without an id is (by name, and by unit where the sheet
    gives one), or why it cannot be told."""
    from anquan_cli.text import fold

    same = [p for p in people if fold(p.name) == fold(rec.name)]
    if rec.unit and same:
        unit = directory.unit(rec.unit)

        def same_unit(p: Person) -> bool:
            if not p.unit:
                return False
            return (unit is not None and directory.unit(p.unit) is unit) or fold(p.unit) == fold(rec.unit)

        with_unit = [p for p in same if same_unit(p)]
        same = with_unit or [p for p in same if not p.unit]
    if len(same) > 1:
        listed = "、".join(f"{p.id}（{p.unit or '未写单位'}）" for p in same)
        return None, f"人员名录中有 {len(same)} 位“{rec.name}”：{listed}；表中写上人员编号或所在单位"
    return (same[0] if same else None), None


def plan(ws, kind: str, result: ImportResult, today: dt.date | None = None) -> Plan:
    """Which rows are new, already in the workspace (the same, or differing), or invalid."""
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.text import fold

    existing = getattr(ws, KIND_LISTS.get(kind, kind))
    directory = Directory.for_workspace(ws)
    _resolve_units(directory, result)
    if kind in ("accidents", "risks"):
        _as_computed(ws, result)

    def unit_of(name: str | None) -> str | None:
        unit = directory.unit(name) if name else None
        return unit.name if unit is not None else name

    by_key = {match_key(r, unit_of): r for r in existing}
    by_id = {r.id: r for r in existing if isinstance(r, _ID_ASSIGNED)}
    out = Plan()
    seen: set = set()
    for row in result.rows:
        if row.record is None:
            out.invalid.append(row)
            continue
        rec = row.record
        if today is not None and row.progress is not None and row.progress.day is not None and row.progress.day > today:
            row.errors.append(f"{row.cells.get('progress') or row.cells.get('rectified_on') or row.ref}: "
                              f"整改完成日期 {row.progress.day.isoformat()} 晚于今天 {today.isoformat()}：核对年份")
            out.invalid.append(row)
            continue
        key = match_key(rec, unit_of)
        if isinstance(rec, Person) and row.needs_id:
            old, why = _person_of(existing, rec, directory)
            if why:
                row.errors.append(f"{row.cells.get('name', row.ref)}: {why}")
                out.invalid.append(row)
                continue
            key = ("person", fold(rec.name), fold(rec.unit or ""))
        else:
            old = (by_id.get(rec.id) if isinstance(rec, _ID_ASSIGNED) and not row.needs_id else None) or by_key.get(key)
        if old is None:
            if key in seen:
                row.errors.append(f"{row.ref}: 与表中前面的一行重复（同一{rec.kind_label}）")
                out.invalid.append(row)
                continue
            seen.add(key)
            out.new.append(row)
            continue
        if isinstance(old, Hazard) and row.progress is not None:
            row.mismatch += _progress_mismatch(old, row.progress)
        a, b = old.model_dump(), rec.model_dump()
        diffs = {f: (a[f], b[f]) for f in row.values if f in a and f not in _COMPARE_SKIP and f != "id"
                 and b.get(f) not in (None, "", []) and _differs(a[f], b[f])
                 and not (f == "unit" and unit_of(a[f]) == unit_of(b[f]))}
        (out.changed.append((row, old, diffs)) if diffs else out.same.append((row, old)))
    return out


def _progress_mismatch(old: Hazard, p) -> list[str]:
    """What a sheet's 整改情况 says of a hazard already in the ledger that its history does not."""
    from anquan_cli.rules.hazards import rectified_on
    from anquan_cli.rules.imports import RECTIFIED

    done = rectified_on(old)
    if p.state == RECTIFIED and done is None and old.closed is None:
        return [f"表中整改情况为“{p.text or p.day.isoformat()}”（{p.day.isoformat()}），台账未登记整改完成"
                f"（属实的话：anquan hazards rectify {old.id} --date {p.day.isoformat()}）"]
    if p.state != RECTIFIED and done is not None:
        return [f"表中整改情况为“{p.text}”，台账已于 {done.isoformat()} 登记整改完成"]
    return []


# ---------------------------------------------------------------------- a suggested mapping


@dataclass
class Suggestion:
    """A mapping for the columns not understood: header → field (None: nothing like it, to
    be filled in or left ignored), the fields the kind needs that no column gave, and the
    columns that were understood (header → field)."""

    columns: dict[str, str | None]
    missing: list[str]
    understood: dict[str, str]


def required_fields(model: type[Record]) -> list[str]:
    """The fields a record of ``model`` cannot be without (an id a row may lack is assigned)."""
    return [n for n, f in model.model_fields.items() if f.is_required()
            and not (n == "id" and model in _ID_ASSIGNED) and not (n == "kind" and model is Unit)
            and not (n == "table" and model is Task)]


def suggest_mapping(result: ImportResult, model: type[Record], defaults: Iterable[str] = ()) -> Suggestion | None:
    """A mapping worth suggesting (None when every column was understood and nothing the
    kind needs is missing): each unknown header with the field whose Chinese header it is most
    like, if any is alike enough."""
    import difflib

    names = field_words(model)
    understood = {result.headers.get(c, ""): f for c, f in result.columns.items() if result.headers.get(c)}
    given = set(result.columns.values())
    given |= set(defaults)  # a value the mapping gives every row
    missing = [n for n in required_fields(model) if n not in given]
    if not result.ignored and not missing:
        return None
    columns: dict[str, str | None] = {h: None for h in result.ignored}
    for name in missing:  # a field the rows need: the unknown header most like one of its words
        words = [k for k, v in names.items() if v == name]
        best = max(((difflib.SequenceMatcher(None, norm_key(h), w).ratio(), h) for h in columns if columns[h] is None
                    for w in words), default=(0.0, ""))
        if best[0] >= 0.5:
            columns[best[1]] = name
    for header in [h for h, v in columns.items() if v is None]:
        near = difflib.get_close_matches(norm_key(header), list(names), n=1, cutoff=0.6)
        guess = names[near[0]] if near else None
        if guess in given or guess in columns.values():
            guess = None  # that field has its column already
        columns[header] = guess
    return Suggestion(columns, missing, understood)


def field_label(model: type[Record], name: str) -> str:
    """``title（隐患名称）``."""
    words = model.csv_columns.get(name) or IMPORT_ONLY.get(model, {}).get(name)
    return f"{name}（{words[0]}）" if words else name

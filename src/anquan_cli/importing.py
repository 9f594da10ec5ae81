"""Import the sheets offices already keep: find the header row under any title rows (also a
two-row merged header), recognise the usual Chinese column names or a mapping file, read
Excel's values (serial-number dates, integers stored as floats, numbers stored as text),
validate every row like any record, and match rows to existing records so a re-import
never duplicates."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from anquan_cli.io.sheets import Grid, cell_ref
from anquan_cli.models import Hazard, Person, Record, Task, Unit
from anquan_cli.text import norm_key
from anquan_cli.workspace import header_map

__all__ = ["KIND_MODELS", "Row", "ImportResult", "Mapping", "load_mapping", "read_workbook", "read_rows",
           "find_header", "match_key", "plan", "write", "write_drafts"]

KIND_MODELS = {"hazards": Hazard, "tasks": Task, "people": Person, "units": Unit}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FIELDS = {"found", "deadline", "closed", "date"}


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
    if isinstance(value, dt.datetime):
        return value.date()
    if name in _DATE_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool) and 1000 < value < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))  # a date stored as a serial number
    return _text(value)


def find_header(cells: list[list[object]], model: type[Record], mapping: dict[str, str]) -> tuple[int, dict[int, str], list[str]]:
    """``(last header row, column → field, ignored headers)``: the row (or pair of rows, for a
    two-row merged header) within the first ten whose cells name the most fields."""
    names = header_map(model)
    wanted = {norm_key(k): v for k, v in mapping.items()}

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
            for c in range(width):
                labels = [cells[i][c] if c < len(cells[i]) else "" for i in range(r, r + span)]
                found = next((f for f in (field_of(x) for x in reversed(labels)) if f), None)
                if found and found not in columns.values():
                    columns[c] = found
                elif any(_text(x) for x in labels) and not found:
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
    from anquan_cli.io.sheets import read_grid, sheet_names
    from anquan_cli.problems import UsageError

    chosen = sheet or mapping.sheet
    result = ImportResult([], {}, [])
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
        for c, name in columns.items():
            if c < len(cells):
                v = _value(name, cells[c])
                if v not in ("", None):
                    values[name] = v
                    where[name] = c
        if not where:
            continue  # an empty row (Excel sheets end with many)
        if model is Task:
            values.setdefault("table", table or grid.file.rsplit(".", 1)[0])
        needs_id = model is Hazard and "id" not in values
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
        rows.append(row)
    return ImportResult(rows, columns, ignored)


def match_key(record: Record) -> tuple:
    """How an imported row is recognised in the workspace: its id, else unit + title + found."""
    if isinstance(record, Hazard):
        return ("hazard", record.unit, record.title, record.found)
    if isinstance(record, Task):
        return ("task", record.table, record.no)
    if isinstance(record, Person):
        return ("person", record.id)
    return ("unit", record.name)



# ---------------------------------------------------------------------- planning and writing


@dataclass
class Plan:
    new: list[Row] = field(default_factory=list)
    same: list[tuple[Row, Record]] = field(default_factory=list)
    changed: list[tuple[Row, Record, dict]] = field(default_factory=list)
    invalid: list[Row] = field(default_factory=list)


_COMPARE_SKIP = {"history", "table"}


def plan(ws, kind: str, result: ImportResult) -> Plan:
    """Which rows are new, already in the workspace (the same, or differing), or invalid."""
    existing = getattr(ws, kind)  # the import kinds are named like the workspace lists
    by_key = {match_key(r): r for r in existing}
    by_id = {r.id: r for r in existing if isinstance(r, Hazard)}
    out = Plan()
    seen: set = set()
    for row in result.rows:
        if row.record is None:
            out.invalid.append(row)
            continue
        rec = row.record
        old = (by_id.get(rec.id) if isinstance(rec, Hazard) and not row.needs_id else None) or by_key.get(match_key(rec))
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
                 and b.get(f) not in (None, "", []) and a[f] != b[f]}
        (out.changed.append((row, old, diffs)) if diffs else out.same.append((row, old)))
    return out


def _plain(value):
    from anquan_cli.models._base import Vocab

    if isinstance(value, Vocab):
        return value.label
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, [], "")}
    return value


_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|[\s]$|: |:$|\s#|[\n\r\t]")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
#: characters YAML does not allow unescaped (outside its printable set), and the ones it reads
#: as line breaks (NEL, LS, PS) and would fold
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_RESOLVES = re.compile(r"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|no|on|off|y|n|"
                       r"[-+]?[0-9_.:]+([eE][-+]?[0-9]+)?|\.inf|\.nan|\d{4}-\d\d?-\d\d?.*)$", re.IGNORECASE)


def _scalar(value, flow: bool = False) -> str:
    """One YAML scalar: plain when that reads back as the same string, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if (not text or _PLAIN_UNSAFE.search(text) or _RESOLVES.match(text) or _NOT_PRINTABLE.search(text)
            or (flow and _FLOW_UNSAFE.search(text))):
        quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
        return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)
    return text


def _yaml_block(records: list[dict], dash: int) -> str:
    """New records as YAML in the workspace's style: one key per line, lists of names in
    flow style, each history event one flow mapping on its own line."""
    pad, out = " " * dash, []
    for rec in records:
        first = True
        for key, value in rec.items():
            lead = f"{pad}- " if first else f"{pad}  "
            first = False
            if isinstance(value, list) and value and isinstance(value[0], dict):
                out.append(f"{lead}{key}:")
                for ev in value:
                    inner = ", ".join(f"{k}: {_scalar(v, flow=True)}" for k, v in ev.items())
                    out.append(f"{pad}    - {{{inner}}}")
            elif isinstance(value, list):
                out.append(f"{lead}{key}: [{', '.join(_scalar(v, flow=True) for v in value)}]")
            else:
                out.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(out) + "\n"


def _record_dict(model: type[Record], rec: Record) -> dict:
    data = {}
    for name in model.model_fields:
        value = getattr(rec, name)
        if name == "table" or value in (None, [], "") or (name == "key" and value is False):
            continue
        if isinstance(value, list) and value and hasattr(type(value[0]), "model_fields"):
            value = [_plain({k: getattr(e, k) for k in type(e).model_fields}) for e in value]
        data[name] = _plain(value)
    return data


def _append_yaml(ws, rel: str, records: list[dict], head: str, container: str | None) -> None:
    from anquan_cli.io.edit import atomic_write
    from anquan_cli.io.yamlread import PosDict, PosList, parse_yaml

    path = ws.root / rel
    if path.exists():
        from anquan_cli.ledger import open_checked

        lf = open_checked(ws, rel)
        text = lf.text
        data, _ = parse_yaml(text, rel)
        items = data.get(container) if isinstance(data, PosDict) else data
        if isinstance(items, PosList) and len(items):
            first = text.splitlines()[items.item_lines[0] - 1]
            dash = len(first) - len(first.lstrip(" "))
        else:
            dash = 2 if isinstance(data, PosDict) else 0
        body = text if text.endswith("\n") or not text else text + "\n"
        lf.save(body + _yaml_block(records, dash))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, (head + _yaml_block(records, 2)).encode("utf-8"))


def _append_csv(ws, rel: str, records: list[Record]) -> None:
    import csv as _csv
    import io

    from anquan_cli.io.csvread import parse_csv
    from anquan_cli.ledger import open_checked, csv_cells

    lf = open_checked(ws, rel)
    header, rows, _ = parse_csv(lf.text, rel)
    found_col = next((h for h in header if header_map(Hazard).get(norm_key(h)) == "found"), None)
    sample = rows[0].get(found_col) if rows and found_col else None
    newline = "\r\n" if "\r\n" in lf.text else "\n"
    buf = io.StringIO(newline="")
    writer = _csv.writer(buf, lineterminator=newline)
    extra: list[str] = []
    for rec in records:
        values = _record_dict(Hazard, rec)
        events = values.pop("history", [])
        cells = csv_cells(header + extra, None, values, events, sample)
        extra += [h for h in cells if h not in header and h not in extra]
        writer.writerow([cells.get(h, "") for h in header + extra])
    text = lf.text if lf.text.endswith(("\n", "\r")) else lf.text + newline
    if extra:  # a column the file did not have (e.g. 整改措施): the header row grows, other rows stay
        hb = io.StringIO(newline="")
        _csv.writer(hb, lineterminator=newline).writerow(header + extra)
        text = hb.getvalue() + text[text.index("\n") + 1:]
    lf.save(text + buf.getvalue())


def write(ws, kind: str, p: Plan, by: str, day: dt.date, source: str, fmt: str | None = None) -> dict[str, int]:
    """Write the new rows into the workspace; returns file → number of records written."""
    from anquan_cli.ledger import new_hazard_id, target_file
    from anquan_cli.models import Event, EventKind
    from anquan_cli.rules.lookup import Directory

    written: dict[str, int] = {}
    if not p.new:
        return written
    if kind == "hazards":
        directory = Directory.for_workspace(ws)
        ids = {h.id for h in ws.hazards}
        groups: dict[str, list[Hazard]] = {}
        targets: dict[tuple, str] = {}
        for row in p.new:
            rec = row.record
            unit = directory.unit(rec.unit)
            township = rec.township or (unit.township if unit else None)
            update = {"township": township, "sector": rec.sector or (unit.sector if unit else None)}
            if row.needs_id:
                town = directory.township(township) if township else None
                update["id"] = new_hazard_id(town.id if town is not None and town.id else "YH", rec.found,
                                             f"{rec.title}|{rec.unit}", ids)
            ids.add(update.get("id", rec.id))
            if not rec.history:
                update["history"] = [Event(date=day, event=EventKind.REGISTERED, by=by, note=f"从 {source} 导入")]
            rec = rec.model_copy(update=update)
            place = (township, rec.found.year)
            if place not in targets:  # one look-up per township and year, not per row
                targets[place] = target_file(ws, township, rec.found.year, directory)
            rel = targets[place]
            if fmt == "csv" and not rel.endswith(".csv"):
                rel = rel[:-5] + ".csv" if rel.endswith(".yaml") else rel
            groups.setdefault(rel, []).append(rec)
        for rel, recs in groups.items():
            if rel.endswith(".csv") and (ws.root / rel).exists():
                _append_csv(ws, rel, recs)
            else:
                if rel.endswith(".csv"):
                    rel = rel[:-4] + ".yaml"
                _append_yaml(ws, rel, [_record_dict(Hazard, r) for r in recs],
                             f"# {recs[0].township or ''} {recs[0].found.year} 年隐患台账（{source} 导入）\nhazards:\n",
                             "hazards")
            written[rel] = written.get(rel, 0) + len(recs)
    elif kind == "tasks":
        table = p.new[0].record.table
        rel = f"tasks/{table}.yaml"
        recs = [_record_dict(Task, row.record) for row in p.new]
        _append_yaml(ws, rel, recs, f"# 重点任务分工表（{source} 导入）\ntable: {table}\ntasks:\n", "tasks")
        written[rel] = len(recs)
    elif kind == "people":
        rel = "org/people.yaml"
        recs = [_record_dict(Person, row.record) for row in p.new]
        _append_yaml(ws, rel, recs, "# 人员名录\n", "people")
        written[rel] = len(recs)
    else:
        rel = "org/units.yaml"
        _append_units(ws, rel, [row.record for row in p.new])
        written[rel] = len(p.new)
    return written


def write_drafts(ws, invalid: list[Row], source: str, day: dt.date) -> tuple[str, int]:
    """Rows that failed validation, as YAML under drafts/ (outside the ledger) with each error
    above its row, for a person to fix and move into place."""
    from anquan_cli.io.edit import atomic_write

    stem = source.rsplit(".", 1)[0]
    rel = f"drafts/import-{stem}-{day.isoformat()}.yaml"
    lines = [f"# 从 {source} 导入时有错的行；改好后移入相应目录。"]
    for row in invalid:
        lines += [f"# {e}" for e in row.errors]
        values = {k: _plain(v) for k, v in row.values.items() if not (k == "id" and row.needs_id)}
        lines.append(_yaml_block([values], 0).rstrip("\n"))
    (ws.root / "drafts").mkdir(exist_ok=True)
    atomic_write(ws.root / rel, ("\n".join(lines) + "\n").encode("utf-8"))
    return rel, len(invalid)


_SECTIONS = {"township": "townships", "department": "departments", "village": "villages", "enterprise": "enterprises"}


def _append_units(ws, rel: str, units: list[Unit]) -> None:
    """Add units at the end of their section of org/units.yaml (the section is created if absent)."""
    from anquan_cli.io.edit import atomic_write, record_span
    from anquan_cli.io.yamlread import PosDict, PosList, parse_yaml

    path = ws.root / rel
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    for section in dict.fromkeys(_SECTIONS[u.kind.value] for u in units):
        block = [{k: v for k, v in _record_dict(Unit, u).items() if k != "kind"} for u in units
                 if _SECTIONS[u.kind.value] == section]
        data, _ = parse_yaml(text, rel) if text.strip() else (None, [])
        items = data.get(section) if isinstance(data, PosDict) else None
        lines = text.splitlines(keepends=True)
        if isinstance(items, PosList) and len(items):
            starts = list(items.item_lines)
            _, end = record_span(lines, starts[-1], starts)
            first = lines[starts[0] - 1]
            dash = len(first) - len(first.lstrip(" "))
            text = "".join(lines[:end]) + _yaml_block(block, dash) + "".join(lines[end:])
        else:
            body = text if text.endswith("\n") or not text else text + "\n"
            text = body + f"{section}:\n" + _yaml_block(block, 2)
    atomic_write(path, text.encode("utf-8"))

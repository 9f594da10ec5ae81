"""Write what ``anquan import`` found new into the workspace, through the edit session (one
lock, one validation, one YAML and one CSV writer), and rows that failed as drafts."""

from __future__ import annotations

import datetime as dt

from anquan_cli.edit.csvtext import CsvDoc
from anquan_cli.edit.hazards import csv_cells, csv_columns, new_hazard_id, target_file
from anquan_cli.edit.session import EditSession
from anquan_cli.edit.yamltext import YamlDoc, records_block
from anquan_cli.models import Accident, Enforcement, Hazard, Person, Record, Task, Unit
from anquan_cli.models._base import Vocab
from anquan_cli.models.grid import Cell
from anquan_cli.models.risk import Risk
from anquan_cli.rules.imports import progress_events
from anquan_cli.rules.lookup import Directory

__all__ = ["write", "write_drafts", "record_dict", "plain"]


def plain(value):
    """A record value as YAML-ready plain data (vocabulary as its Chinese word, a moment with
    its time of day as the ledger writes it, a whole number of 万元 as an integer)."""
    if isinstance(value, Vocab):
        return value.label
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(type(value), "model_fields"):  # a nested value (an accident's investigation)
        return plain(value.model_dump(by_alias=True))
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v not in (None, [], "")}
    return value


def record_dict(model: type[Record], rec: Record) -> dict:
    """The fields of a record worth writing, in the model's order."""
    data = {}
    for name in model.model_fields:
        value = getattr(rec, name)
        if name == "table" or value in (None, [], "") or (name == "key" and value is False):
            continue
        if model is Accident and value == 0 and name in ("deaths", "missing", "serious_injuries", "minor_injuries"):
            continue  # not written means none
        if isinstance(value, list) and value and hasattr(type(value[0]), "model_fields"):
            value = [plain(e.model_dump(by_alias=True)) for e in value]
        data[name] = plain(value)
    return data


def _append_yaml(s: EditSession, rel: str, records: list[dict], head: str, container: str, model=None) -> None:
    ft = s.text(rel)
    doc = YamlDoc(ft.text if ft.raw is not None else head, rel, model)
    first = doc.items(container)
    sample = doc.value_text(first[0], "found") if first else None
    s.stage(rel, doc.apply(doc.append_records(container, records, sample)))


def _append_csv(s: EditSession, rel: str, records: list[Hazard]) -> None:
    """Rows at the end of a CSV ledger; a new ledger starts with the Chinese header the loader
    and Excel both read, in UTF-8 with a BOM (what Excel's “CSV UTF-8” writes)."""
    ft = s.text(rel, new_file_bom=True)
    text = ft.text
    if ft.raw is None:
        fields = [n for n in Hazard.model_fields if n == "history" or any(record_dict(Hazard, r).get(n) for r in records)]
        text = ",".join(Hazard.csv_columns[n][0] for n in fields) + "\r\n"
    doc = CsvDoc(text, rel)
    rows = doc.records()
    found_col = csv_columns(doc.header).get("found")
    sample = doc.cell(rows[0], found_col) if rows and found_col else None
    cells = []
    for rec in records:
        values = record_dict(Hazard, rec)
        events = values.pop("history", [])
        cells.append(csv_cells(doc.header, None, values, events, sample))
    s.stage(rel, doc.apply(doc.append_rows(cells)))


def _hazards(s: EditSession, rows, by: str, day: dt.date, source: str, fmt: str | None,
             placed: dict[str, list]) -> dict[str, int]:
    ws = s.ws
    directory = Directory.for_workspace(ws)
    ids = {h.id for h in ws.hazards}
    groups: dict[str, list[Hazard]] = {}
    targets: dict[tuple, str] = {}
    for row in rows:
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
            update["history"] = progress_events(row.progress, by, day, source)
        rec = rec.model_copy(update=update)
        place = (township, rec.found.year)
        if place not in targets:  # one look-up per township and year, not per row
            targets[place] = target_file(ws, township, rec.found.year, directory)
        rel = targets[place]
        if fmt == "csv" and rel.endswith(".yaml"):
            rel = rel[:-5] + ".csv"
        groups.setdefault(rel, []).append(rec)
        placed.setdefault(rel, []).append(row)
    written: dict[str, int] = {}
    for rel, recs in groups.items():
        if rel.endswith(".csv"):
            _append_csv(s, rel, recs)
        else:
            _append_yaml(s, rel, [record_dict(Hazard, r) for r in recs],
                         f"# {recs[0].township or ''} {recs[0].found.year} 年隐患台账（{source} 导入）\n", "hazards", Hazard)
        written[rel] = written.get(rel, 0) + len(recs)
    return written


def _yearly(s: EditSession, rows, placed: dict[str, list], *, kind: str, prefix: str, what: str, model,
            day_of) -> dict[str, int]:
    """New records of a kind kept by year (accidents, enforcement): each at the end of the YAML
    file holding most of its year's records (else ``<kind>/<year>.yaml``); a row without an id
    gets the year's next ``<prefix>-<year>-<n>``."""
    ws = s.ws
    assert ws is not None, "the session loaded the workspace"
    existing = getattr(ws, kind)
    taken = {r.id for r in existing}
    groups: dict[str, list] = {}
    for row in rows:
        rec = row.record
        year = day_of(rec).year
        if row.needs_id:
            rec = rec.model_copy(update={"id": _next_id(prefix, year, taken)})
        taken.add(rec.id)
        rel = _fullest_yaml([r for r in existing if day_of(r).year == year]) or f"{kind}/{year}.yaml"
        groups.setdefault(rel, []).append(rec)
        placed.setdefault(rel, []).append(row)
    for rel, recs in groups.items():
        _append_yaml(s, rel, [_yaml_keys(record_dict(model, r)) for r in recs],
                     f"# {day_of(recs[0]).year} 年{what}\n", kind, model)
    return {rel: len(recs) for rel, recs in groups.items()}


def _next_id(prefix: str, year: int, taken: set[str]) -> str:
    """The year's next ``<prefix>-<year>-<n>`` not in ``taken``."""
    import re

    numbers = [int(m.group(1)) for i in taken if (m := re.fullmatch(rf"{prefix}-{year}-(\d+)", i))]
    return f"{prefix}-{year}-{max(numbers, default=0) + 1:03d}"


def _fullest_yaml(records) -> str | None:
    """The workspace YAML file holding most of ``records`` (a CSV register is left as it is)."""
    from collections import Counter

    counts = Counter(r.src.path for r in records if not r.src.workspace and r.src.path.endswith((".yaml", ".yml")))
    return counts.most_common(1)[0][0] if counts else None


def _register(s: EditSession, rows, placed: dict[str, list], *, kind: str, container: str, model, what: str,
              day: dt.date, prefix: str | None = None) -> dict[str, int]:
    """New records of a kind kept as one register (the risks, the grid's cells): at the end of the
    YAML file holding most of them (else ``<kind>/<kind>.yaml``); with ``prefix``, a row without
    an id gets the next ``<prefix>-<year>-<n>`` of the import's year."""
    ws = s.ws
    assert ws is not None, "the session loaded the workspace"
    existing = getattr(ws, container)
    taken = {r.id for r in existing}
    recs = []
    for row in rows:
        rec = row.record
        if row.needs_id and prefix:
            rec = rec.model_copy(update={"id": _next_id(prefix, day.year, taken)})
        taken.add(rec.id)
        recs.append(rec)
    rel = _fullest_yaml(existing) or f"{kind}/{kind}.yaml"
    _append_yaml(s, rel, [record_dict(model, r) for r in recs], f"# {what}\n", container, model)
    placed[rel] = list(rows)
    return {rel: len(recs)}


def _accidents(s: EditSession, rows, source: str, placed: dict[str, list]) -> dict[str, int]:
    return _yearly(s, rows, placed, kind="accidents", prefix="SG", what=f"生产安全事故台账（{source} 导入）",
                   model=Accident, day_of=lambda a: a.day)


def _enforcement(s: EditSession, rows, source: str, placed: dict[str, list]) -> dict[str, int]:
    return _yearly(s, rows, placed, kind="enforcement", prefix="ZF", what=f"执法记录（{source} 导入）",
                   model=Enforcement, day_of=lambda e: e.date)


def _yaml_keys(values: dict) -> dict:
    """A record's fields under the keys its YAML is written with (``from_`` is ``from``)."""
    return {("from" if k == "from_" else k): v for k, v in values.items()}


_SECTIONS = {"township": "townships", "department": "departments", "village": "villages", "enterprise": "enterprises"}


def _units(s: EditSession, rel: str, units: list[Unit]) -> None:
    """Add units at the end of their section of org/units.yaml (the section is created if absent)."""
    ft = s.text(rel)
    doc = YamlDoc(ft.text, rel, Unit)
    for section in dict.fromkeys(_SECTIONS[u.kind.value] for u in units):
        block = [{k: v for k, v in record_dict(Unit, u).items() if k != "kind"} for u in units
                 if _SECTIONS[u.kind.value] == section]
        doc.apply(doc.append_records(section, block))
    s.stage(rel, doc.text)


def _stage(s: EditSession, kind: str, plan, by: str, day: dt.date, source: str, fmt: str | None,
           placed: dict[str, list]) -> dict[str, int]:
    if kind == "hazards":
        return _hazards(s, plan.new, by, day, source, fmt, placed)
    if kind == "tasks":
        table = plan.new[0].record.table
        rel = f"tasks/{table}.yaml"
        recs = [record_dict(Task, row.record) for row in plan.new]
        _append_yaml(s, rel, recs, f"# 重点任务分工表（{source} 导入）\ntable: {table}\n", "tasks", Task)
        placed[rel] = list(plan.new)
        return {rel: len(recs)}
    if kind == "accidents":
        return _accidents(s, plan.new, source, placed)
    if kind == "enforcement":
        return _enforcement(s, plan.new, source, placed)
    if kind == "risks":
        return _register(s, plan.new, placed, kind="risks", container="risks", model=Risk, day=day,
                         what=f"重大安全风险清单（{source} 导入）", prefix="FX")
    if kind == "grid":
        return _register(s, plan.new, placed, kind="grid", container="cells", model=Cell, day=day,
                         what=f"网格表（{source} 导入）")
    if kind == "people":
        from anquan_cli.rules.imports import id_prefix, person_id

        rel = "org/people.yaml"
        assert s.ws is not None, "the session loaded the workspace"
        taken = {p.id for p in s.ws.people}
        prefix = id_prefix(sorted(taken))
        for row in plan.new:
            if row.needs_id:
                new_id = person_id(row.record.name, row.record.unit, taken, prefix)
                row.record = row.record.model_copy(update={"id": new_id})
            taken.add(row.record.id)
        recs = [record_dict(Person, row.record) for row in plan.new]
        _append_yaml(s, rel, recs, "# 人员名录\n", "people", Person)
        placed[rel] = list(plan.new)
        return {rel: len(recs)}
    rel = "org/units.yaml"
    _units(s, rel, [row.record for row in plan.new])
    return {rel: len(plan.new)}


def _rows_with_errors(s: EditSession, placed: dict[str, list], errors) -> dict[int, list]:
    """The imported rows the gate's errors are about (records appended at the end of each
    file, in the order of ``placed``), by ``id(row)``."""
    import bisect

    from anquan_cli.edit.validate import item_starts

    out: dict[int, list] = {}
    for p in errors:
        rows = placed.get(p.path)
        if not rows:
            continue
        before = len(item_starts(p.path, s.original(p.path)))
        starts = item_starts(p.path, s.staged_bytes(p.path))
        k = bisect.bisect_right(starts, p.line) - 1 - before
        if 0 <= k < len(rows):
            out.setdefault(id(rows[k]), [rows[k]]).append(p)
    return out


def write(s: EditSession, kind: str, plan, by: str, day: dt.date, source: str, fmt: str | None = None,
          drafts: bool = False) -> dict[str, int]:
    """Stage and validate the plan's new rows.  A row whose record ``anquan check`` would
    reject (an owner not in the directory, a deadline before the found date …) moves to
    ``plan.invalid`` with the reason at its cell reference, and the rest is staged again.
    Returns file → number of records (the drafts file among them with ``drafts``)."""
    from anquan_cli.problems import EditRefused

    while True:
        s.discard()
        placed: dict[str, list] = {}
        written = _stage(s, kind, plan, by, day, source, fmt, placed) if plan.new else {}
        if drafts and plan.invalid:
            rel, n = write_drafts(s, plan.invalid, source, day)
            written[rel] = n
        errors = s.validate()
        if not errors:
            return written
        bad = _rows_with_errors(s, placed, errors)
        if not bad:
            raise EditRefused(errors)
        for row, *problems in bad.values():
            row.errors += [f"{row.ref}: {p.message}" + (f"（{p.hint}）" if p.hint else "") for p in problems]
            plan.new.remove(row)
            plan.invalid.append(row)


def write_drafts(s: EditSession, invalid, source: str, day: dt.date) -> tuple[str, int]:
    """Rows that failed validation, as YAML under drafts/ (outside the ledger, never read as
    records) with each error above its row, for a person to fix and move into place."""
    stem = source.rsplit(".", 1)[0]
    rel = f"drafts/import-{stem}-{day.isoformat()}.yaml"
    lines = [f"# 从 {source} 导入时有错的行；改好后移入相应目录。\n"]
    words = {"progress": "整改情况", "rectified_on": "整改完成时间"}
    for row in invalid:
        lines += [f"# {e}\n" for e in row.errors]
        told = [f"{words[k]}：{plain(v)}" for k, v in row.values.items() if k in words]
        if told:  # not fields of the record: said, for the person who fixes the row
            lines.append(f"# 表中{'，'.join(told)}（移入台账后用 anquan hazards rectify 等命令登记）\n")
        values = {k: plain(v) for k, v in row.values.items() if not (k == "id" and row.needs_id) and k not in words}
        lines.append(records_block([values], 0))
    s.text(rel)
    s.stage(rel, "".join(lines), record=False)
    return rel, len(invalid)

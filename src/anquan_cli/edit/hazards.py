"""Hazard ledger edits: a lifecycle step, ``set``, ``add`` — written into the record's own
file through an :class:`~anquan_cli.edit.session.EditSession`.

The rules (:mod:`anquan_cli.rules.hazards`) decide what changes; this module finds the
record in its file (by id, in the text as it is now) and turns the change into the
smallest text change (:mod:`.yamltext`, :mod:`.csvtext`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections import Counter
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from anquan_cli.edit.session import EditSession, StaleFileError
from anquan_cli.models import EventKind, Hazard, HazardSource, Level
from anquan_cli.models._base import Vocab
from anquan_cli.models.hazard import EVENT_WORDS, PREVIOUS_WORDS, history_value, listing_text, parse_listing_cell
from anquan_cli.problems import UsageError
from anquan_cli.rules.hazards import Change, Refused
from anquan_cli.rules.lookup import Directory
from anquan_cli.text import norm_key, parse_date
from anquan_cli.workspace import Workspace, header_map

if TYPE_CHECKING:
    from anquan_cli.edit.csvtext import CsvDoc, RawRow

__all__ = ["apply_change", "add_hazard", "new_hazard_id", "csv_cells", "csv_columns", "target_file",
           "ledger_file", "event_text", "hazard_dict"]


# ---------------------------------------------------------------------- CSV cells


def csv_columns(header: list[str]) -> dict[str, str]:
    """field name → the header cell the file uses for it."""
    names = header_map(Hazard)
    out: dict[str, str] = {}
    for cell in header:
        name = names.get(norm_key(cell))
        if name is not None:
            out.setdefault(name, cell)
    return out


def _cell_value(value, date_sample: str | None) -> str:
    from anquan_cli.edit.yamltext import format_date_like

    if isinstance(value, Vocab):
        return value.label
    if isinstance(value, dt.date):
        return format_date_like(date_sample, value)
    return "" if value is None else str(value)


def event_text(ev: dict) -> str:
    """One event in the CSV history notation (``2023-08-05 整改完成 人=张三``)."""
    words = [ev["date"].isoformat(), ev["event"]]
    for key, value in ev.items():
        if key in ("date", "event") or value is None:
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        word = PREVIOUS_WORDS.get(ev["event"], EVENT_WORDS[key]) if key == "previous" else EVENT_WORDS[key]
        words.append(history_value(word, text))
    return " ".join(words)


def _history_cell(old: str, events: list[dict]) -> str:
    """``old`` with ``events`` put in date order (after the events of the same day); an
    event never lands inside another one's 「…」 value."""
    from anquan_cli.models.hazard import history_chunks

    text = old
    for ev in events:
        new = event_text(ev)
        if not text.strip():
            text = new
            continue
        pos = None
        for start, end in history_chunks(text):
            try:
                when = parse_date(text[start:end].split()[0])
            except (ValueError, IndexError):
                when = None
            if when is not None and when > ev["date"]:
                pos = start
                break
        text = f"{text}；{new}" if pos is None else f"{text[:pos]}{new}；{text[pos:]}"
    return text


def csv_cells(header: list[str], row: dict | None, updates: dict, events: list[dict],
              date_sample: str | None = None) -> dict[str, str]:
    """Cells to write into ``row`` (a mapping of header cell → value, None for a new row);
    dates are written like ``date_sample``, else like the row's own found date."""
    columns = csv_columns(header)
    sample = date_sample or (row or {}).get(columns.get("found", ""))
    cells: dict[str, str] = {}
    for name, value in updates.items():
        col = columns.get(name, Hazard.csv_columns[name][0])
        if name == "listing":  # one cell: the values given over those the cell has
            value = listing_text({**(parse_listing_cell((row or {}).get(col, "")) or {}), **value})
        cells[col] = _cell_value(value, sample)
    if events:
        col = columns.get("history", Hazard.csv_columns["history"][0])
        cells[col] = _history_cell((row or {}).get(col, ""), events)
    return cells


def _row_dict(doc: CsvDoc, row: RawRow) -> dict[str, str]:
    return {name: doc.cell(row, name) for name in doc.header if name}


# ---------------------------------------------------------------------- one record


def apply_change(s: EditSession, h: Hazard, change: Change) -> str:
    """Stage ``change`` in the file ``h`` came from; returns that file's relative path."""
    rel = h.src.path
    ft = s.text(rel)
    if rel.lower().endswith(".csv"):
        from anquan_cli.edit.csvtext import CsvDoc

        doc = CsvDoc(ft.text, rel, only=_record_lines(s, rel, h))
        id_col = csv_columns(doc.header).get("id")
        row = doc.find(id_col, h.id, h.src.line) if id_col else None
        if row is None:
            raise StaleFileError(f"{rel} 中找不到隐患 {h.id}；请重新运行命令")
        cells = csv_cells(doc.header, _row_dict(doc, row), change.updates, change.events)
        s.stage(rel, doc.apply(doc.set_cells(row, cells)))
    else:
        from anquan_cli.edit.yamltext import YamlDoc

        doc = YamlDoc(ft.text, rel, Hazard, only=_record_lines(s, rel, h))
        item = doc.find("hazards", h.id, h.src.line)
        if item is None:
            raise StaleFileError(f"{rel} 中找不到隐患 {h.id}；请重新运行命令")
        sample = doc.value_text(item, "found")
        splices = doc.set_fields(item, change.updates, sample) + doc.add_events(item, change.events, sample)
        s.stage(rel, doc.apply(splices))
    return rel


def _record_lines(s: EditSession, rel: str, h: Hazard) -> list[tuple[int, int | None]] | None:
    """The lines of ``rel`` an edit of ``h`` needs to read: those before the first record and
    the record's own (from where the record cache says the file's records start), or None."""
    starts = s.record_starts(rel)
    text = s.text(rel).text
    if not starts or h.src.line not in starts:
        return None
    if not rel.lower().endswith(".csv") and ("&" in text or "*" in text or "<<" in text):
        return None  # anchors are refused for the whole file, wherever they are
    i = starts.index(h.src.line)
    return [(1, starts[0]), (h.src.line, starts[i + 1] if i + 1 < len(starts) else None)]


# ---------------------------------------------------------------------- adding


def new_hazard_id(code: str, found: dt.date, content: str, existing: set[str]) -> str:
    """``<乡镇代码>-<发现日期>-<5 hex>``: the township code keeps townships apart; the hash of
    the record's content and the moment it was entered keeps two branches (two clerks adding
    hazards in parallel) apart, where a running number would collide."""
    salt = 0
    while True:
        seed = f"{content}|{time.time_ns()}|{os.getpid()}|{salt}".encode()
        candidate = f"{code}-{found:%Y%m%d}-{hashlib.blake2b(seed, digest_size=8).hexdigest()[:5]}"
        if candidate not in existing:
            return candidate
        salt += 1


def target_file(ws: Workspace, township: str | None, year: int, directory: Directory) -> str:
    """The ledger file holding most of this township's hazards of this year, else a new
    ``hazards/<year>/<code>.yaml``."""
    counts = Counter(h.src.path for h in ws.hazards
                     if h.found.year == year and township is not None and not h.src.workspace
                     and (h.township == township or
                          (directory.unit(h.unit) and directory.unit(h.unit).township == township)))
    if counts:
        return counts.most_common(1)[0][0]
    unit = directory.township(township) if township else None
    code = (unit.id if unit is not None and unit.id else "misc").lower()
    return f"hazards/{year}/{code}.yaml"


def ledger_file(given: str) -> str:
    """``--file``: a hazard ledger file under ``hazards/`` inside the workspace, as a clean
    workspace-relative path (refused otherwise: a hazard written into org/people.yaml, a task
    table or outside the workspace would be lost or would corrupt that file)."""
    text = given.replace("\\", "/").strip()
    pure = PurePosixPath(text)
    parts = [p for p in pure.parts if p not in ("", ".")]
    if pure.is_absolute() or ".." in parts or len(parts) < 2 or parts[0] != "hazards":
        raise UsageError(f"--file {given}：只能写入工作区 hazards/ 下的隐患台账文件（如 hazards/2023/sq.yaml）")
    if any(p.startswith(".") for p in parts):
        raise UsageError(f"--file {given}：以“.”开头的文件或文件夹不会被读取，不能作为台账")
    if PurePosixPath(parts[-1]).suffix.lower() not in (".yaml", ".yml", ".csv"):
        raise UsageError(f"--file {given}：台账文件应是 .yaml 或 .csv")
    return "/".join(parts)


def hazard_dict(values: dict) -> dict:
    """A new hazard's fields in the model's order, vocabulary as its Chinese words."""
    out = {}
    for name in Hazard.model_fields:
        value = values.get(name)
        if value in (None, "", []):
            continue
        if name == "level":
            value = Level.parse(value).label
        elif name == "source":
            value = HazardSource.parse(value).label
        out[name] = value
    return out


def add_hazard(s: EditSession, values: dict, by: str, day: dt.date, directory: Directory,
               file: str | None = None) -> tuple[str, str]:
    """Stage one new hazard (``values`` keyed by field name); returns its id and file."""
    ws = s.ws
    values = {k: v for k, v in values.items() if v not in (None, "")}
    unit = directory.unit(values.get("unit", ""))
    if unit is not None:
        values["unit"] = unit.name  # the full name, also when an alias was typed
        if unit.township:
            values.setdefault("township", unit.township)
        if unit.sector:
            values.setdefault("sector", unit.sector)
    listing = values.get("listing")
    if isinstance(listing, dict):
        found_person = directory.person(listing["tracker"]).person if listing.get("tracker") else None
        listing = {k: v for k, v in listing.items() if v not in (None, "")}
        if found_person is not None:
            listing["tracker"] = found_person.name  # the directory's name, also when an id was typed
        values["listing"] = listing
    township = values.get("township")
    town = directory.township(township) if township else None
    code = town.id if town is not None and town.id else "YH"
    found = values.get("found")
    if not isinstance(found, dt.date):
        raise Refused("缺少发现日期（--found）")
    values["id"] = new_hazard_id(code, found, f"{values.get('title')}|{values.get('unit')}|{by}",
                                 {h.id for h in ws.hazards})
    values["history"] = [{"date": day, "event": EventKind.REGISTERED.label, "by": by}]
    record = hazard_dict(values)
    rel = ledger_file(file) if file else target_file(ws, township, found.year, directory)
    ft = s.text(rel)
    if rel.lower().endswith(".csv"):
        if ft.raw is None:
            raise Refused(f"{rel} 不存在：新建台账请用 YAML 文件，或先建好 CSV 表头")
        from anquan_cli.edit.csvtext import CsvDoc

        doc = CsvDoc(ft.text, rel)
        rows = doc.records()
        found_col = csv_columns(doc.header).get("found", "")
        sample = doc.cell(rows[0], found_col) if rows and found_col else None
        cells = csv_cells(doc.header, None, {k: v for k, v in record.items() if k != "history"},
                          record["history"], sample)
        s.stage(rel, doc.apply(doc.append_rows([cells])))
    else:
        from anquan_cli.edit.yamltext import YamlDoc

        text = ft.text if ft.raw is not None else f"# {township or ''} {found.year} 年隐患台账\n"
        doc = YamlDoc(text, rel, Hazard)
        first = doc.items("hazards")
        sample = doc.value_text(first[0], "found") if first else None
        s.stage(rel, doc.apply(doc.append_records("hazards", [record], sample)))
    return values["id"], rel

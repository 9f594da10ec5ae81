"""Write hazard lifecycle changes into the ledger files.

The rules (:mod:`anquan_cli.rules.hazards`) decide *what* changes; this module puts the
change into the record's own file through :mod:`anquan_cli.io.edit`, touching only that
record's lines, and refuses when the file changed since the workspace was loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections import Counter

from anquan_cli.io.csvread import parse_csv
from anquan_cli.io.edit import (LedgerFile, StaleFileError, append_csv_row, append_yaml_record,
                                edit_csv_row, edit_yaml_record, format_date_like)
from anquan_cli.io.yamlread import PosDict, PosList, parse_yaml
from anquan_cli.models import EventKind, Hazard
from anquan_cli.problems import AnquanError
from anquan_cli.rules.hazards import Change, Refused
from anquan_cli.rules.lookup import Directory
from anquan_cli.text import norm_key
from anquan_cli.workspace import Workspace, digest, header_map

__all__ = ["apply_change", "add_hazard", "new_hazard_id", "csv_cells", "hazard_list",
           "target_file", "open_checked"]

# CSV history notation keys (see models.hazard.parse_history_cell)
_CSV_EVENT_KEYS = {"party": "方", "deadline": "期限", "previous": "原期限", "owner": "责任人", "supervisor": "督办",
                   "reason": "原因", "note": "备注", "by": "人"}


def open_checked(ws: Workspace, rel: str) -> LedgerFile:
    path = ws.root / rel
    try:
        lf = LedgerFile.read(path)
    except FileNotFoundError:
        raise StaleFileError(f"{rel} 在读取之后被删除或改名，本次未写入；请重新运行命令") from None
    if ws.digests.get(rel) not in (None, digest(lf.raw)):
        raise StaleFileError(f"{rel} 在读取之后被修改过，为免覆盖别人的修改，本次未写入；请重新运行命令")
    return lf


def _csv_columns_for(header: list[str]) -> dict[str, str]:
    """field name → the header cell the file uses for it."""
    names = header_map(Hazard)
    out: dict[str, str] = {}
    for cell in header:
        name = names.get(norm_key(cell))
        if name is not None:
            out.setdefault(name, cell)
    return out


def _csv_value(value, date_sample: str | None) -> str:
    if isinstance(value, dt.date):
        return format_date_like(date_sample, value)
    return "" if value is None else str(value)


def _event_text(ev: dict) -> str:
    words = [ev["date"].isoformat(), ev["event"]]
    for key, value in ev.items():
        if key in ("date", "event") or value is None:
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        words.append(f"{_CSV_EVENT_KEYS[key]}={''.join(text.split())}")
    return " ".join(words)


def csv_cells(header: list[str], row: dict | None, updates: dict, events: list[dict],
               date_sample: str | None = None) -> dict[str, str]:
    """Cells to write into ``row`` (None for a new row); dates are written like
    ``date_sample``, else like the row's own found date."""
    columns = _csv_columns_for(header)
    sample = date_sample or (row or {}).get(columns.get("found", ""))
    cells: dict[str, str] = {}
    for name, value in updates.items():
        cells[columns.get(name, Hazard.csv_columns[name][0])] = _csv_value(value, sample)
    if events:
        col = columns.get("history", Hazard.csv_columns["history"][0])
        old = (row or {}).get(col, "")
        new = "；".join(_event_text(ev) for ev in events)
        cells[col] = f"{old}；{new}" if old else new
    return cells


def hazard_list(text: str, rel: str) -> PosList | None:
    """The list of hazard mappings in a YAML ledger's text (top level or under ``hazards:``)."""
    data, _ = parse_yaml(text, rel)
    if isinstance(data, PosDict):
        data = data.get("hazards")
    return data if isinstance(data, PosList) else None


def _yaml_items(text: str, rel: str) -> PosList:
    items = hazard_list(text, rel)
    if items is None:
        raise AnquanError(f"{rel} 不是隐患列表，无法修改；请先运行 anquan check 修正")
    return items


def apply_change(ws: Workspace, h: Hazard, change: Change) -> str:
    """Write ``change`` into the file ``h`` came from; returns that file's relative path."""
    rel = h.src.path
    lf = open_checked(ws, rel)
    if rel.lower().endswith(".csv"):
        header, rows, _ = parse_csv(lf.text, rel)
        row = next((r for r in rows if r.line == h.src.line), None)
        if row is None:
            raise StaleFileError(f"{rel}:{h.src.line} 处找不到隐患 {h.id}；请重新运行命令")
        text = edit_csv_row(lf.text, h.src.line, csv_cells(header, row, change.updates, change.events))
    else:
        items = _yaml_items(lf.text, rel)
        if h.src.line not in items.item_lines:
            raise StaleFileError(f"{rel}:{h.src.line} 处找不到隐患 {h.id}；请重新运行命令")
        text = edit_yaml_record(lf.text, h.src.line, list(items.item_lines), change.updates,
                                change.events)
    lf.save(text)
    ws.digests[rel] = digest(lf.raw)
    return rel


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
                     if h.found.year == year and township is not None
                     and (h.township == township or
                          (directory.unit(h.unit) and directory.unit(h.unit).township == township)))
    if counts:
        return counts.most_common(1)[0][0]
    unit = directory.township(township) if township else None
    code = (unit.id if unit is not None and unit.id else "misc").lower()
    return f"hazards/{year}/{code}.yaml"


def add_hazard(ws: Workspace, values: dict, by: str, day: dt.date, directory: Directory,
               file: str | None = None) -> tuple[Hazard, str]:
    """Add one hazard (``values`` keyed by field name); returns the record and its file."""
    values = {k: v for k, v in values.items() if v not in (None, "")}
    unit = directory.unit(values.get("unit", ""))
    if unit is not None:
        values["unit"] = unit.name  # the full name, also when an alias was typed
        values.setdefault("township", unit.township)
        values.setdefault("sector", unit.sector)
    township = values.get("township")
    town = directory.township(township) if township else None
    code = town.id if town is not None and town.id else "YH"
    found = values.get("found")
    if not isinstance(found, dt.date):
        raise Refused("缺少发现日期（--found）")
    values["id"] = new_hazard_id(code, found, f"{values.get('title')}|{values.get('unit')}|{by}",
                                 {h.id for h in ws.hazards})
    values["history"] = [{"date": day, "event": EventKind.REGISTERED.label, "by": by}]
    record = Hazard.model_validate({k: v for k, v in values.items() if v is not None})
    rel = file or target_file(ws, township, found.year, directory)
    path = ws.root / rel
    ordered = {k: values[k] for k in Hazard.model_fields if k in values}
    if path.exists():
        lf = open_checked(ws, rel)
        if rel.lower().endswith(".csv"):
            header, rows, _ = parse_csv(lf.text, rel)
            found_col = _csv_columns_for(header).get("found", "")
            cells = csv_cells(header, None, {k: v for k, v in ordered.items() if k != "history"},
                               ordered["history"], rows[0].get(found_col) if rows else None)
            text = append_csv_row(lf.text, cells)
        else:
            items = _yaml_items(lf.text, rel) if lf.text.strip() else None
            dash = None
            if items:
                first = lf.text.splitlines()[items.item_lines[0] - 1]
                dash = len(first) - len(first.lstrip(" "))
            text = append_yaml_record(lf.text, ordered, dash)
        lf.save(text)
        ws.digests[rel] = digest(lf.raw)
    else:
        if rel.lower().endswith(".csv"):
            raise Refused(f"{rel} 不存在：新建台账请用 YAML 文件，或先建好 CSV 表头")
        path.parent.mkdir(parents=True, exist_ok=True)
        head = f"# {township or ''} {found.year} 年隐患台账\nhazards:\n"
        from anquan_cli.io.edit import atomic_write

        atomic_write(path, append_yaml_record(head, ordered, 2).encode("utf-8"))
    return record, rel

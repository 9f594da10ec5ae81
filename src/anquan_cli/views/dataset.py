"""The whole workspace as flat tables for analysts (``anquan export --format sqlite|parquet``).

Every record kind is one table whose columns come from the model's fields: a date stays a
date (ISO text in SQLite, ``DATE`` in Parquet), a vocabulary word is its stable English value
with the Chinese label beside it (``level``, ``level_label``), a list or nested value is JSON
text.  Every row says where it was read (``file``, ``line``, ``workspace``).  Hazards carry
what the ordinary views derive (``status``, ``township``, ``sector`` …) from
:func:`anquan_cli.views.hazards.row`, so the values are the ones ``hazards list --format json``
shows; their history events are a table of their own (``hazard_events``).

:class:`Layout` is the one conversion of a record to a row; both writers take its rows as
they are (SQLite gets dates as ISO text).  sqlite3 and pyarrow are imported by the writers only.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import operator
import os
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from anquan_cli.models import (
    Accident,
    Activity,
    Campaign,
    Cell,
    Duty,
    Enforcement,
    Hazard,
    MatrixEntry,
    Patrol,
    Person,
    Progress,
    Risk,
    Source,
    Submission,
    Task,
    Tipoff,
    Unit,
)
from anquan_cli.models._base import Vocab
from anquan_cli.models.hazard import Event

if typing.TYPE_CHECKING:
    from anquan_cli.snapshot import Workspace

__all__ = ["Column", "Table", "Layout", "columns_of", "workspace_tables", "write_sqlite", "write_parquet",
           "TABLES", "MARKER", "PARQUET_MISSING"]

#: the tables in the order they are written
TABLES = ("units", "people", "hazards", "hazard_events", "matrix", "tasks", "progress", "duties",
          "activities", "accidents", "enforcement", "campaigns", "submissions", "tipoffs", "risks", "grid", "patrols", "meta")
#: the file that marks a folder as an anquan Parquet export (the only kind it will replace)
MARKER = ".anquan-export"
PARQUET_MISSING = '导出 Parquet 需要 pyarrow，请先安装：pip install "anquan[parquet]"'

# column kinds → SQLite declared type, and the Parquet type (by name: pyarrow is imported late)
_SQL = {"text": "TEXT", "int": "INTEGER", "real": "REAL", "bool": "BOOLEAN", "date": "DATE", "json": "TEXT"}
_ARROW = {"text": "string", "int": "int64", "real": "float64", "bool": "bool_", "date": "date32", "json": "string"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text | int | real | bool | date | json
    #: the model field the value comes from (None: supplied per row, see :meth:`Layout.row`)
    attr: str | None = None
    #: how a text value is made: "value" of a vocabulary word, its Chinese "label", or
    #: "text" for a field that holds a date or a text (the date in ISO form)
    how: str = ""


@dataclass
class Table:
    name: str
    columns: list[Column]
    #: a row per record, a value per column (the meta row is a tuple)
    rows: list[Sequence[Any]] = field(default_factory=list)


def _kind(annotation: Any) -> tuple[str, bool | None]:
    """``(column kind, is a vocabulary)`` of a field's type (``X | None`` counts as ``X``;
    ``Annotated[X, …]`` as ``X``); None for "is a vocabulary" when the field holds a date or
    a text (its values written as text)."""
    annotation = _bare(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [_bare(a) for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return "text", None  # a date or a text (Event.previous): written as text
        annotation = args[0]
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, dict, set) or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "json", False
    if annotation is bool:
        return "bool", False
    if annotation is int:
        return "int", False
    if annotation is float:
        return "real", False
    if annotation is dt.date:
        return "date", False
    if isinstance(annotation, type) and issubclass(annotation, Vocab):
        return "text", True
    return "text", False


def _bare(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def columns_of(model: type[BaseModel], skip: tuple[str, ...] = (), derived: tuple[Column, ...] = (),
               lead: tuple[Column, ...] = ()) -> list[Column]:
    """The columns of a table of ``model`` records: ``lead`` columns, then one per field (a
    vocabulary field also its ``_label``; a ``derived`` column of the same name takes the
    field's place), the other ``derived`` columns, and ``file``, ``line``, ``workspace``."""
    by_name = {c.name: c for c in derived}
    cols = list(lead)
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        if name in by_name:
            cols.append(by_name.pop(name))
            continue
        kind, is_vocab = _kind(info.annotation)
        cols.append(Column(name, kind, name, "value" if is_vocab else "text" if is_vocab is None else ""))
        if is_vocab:
            cols.append(Column(f"{name}_label", "text", name, "label"))
    cols.extend(by_name.values())
    cols += [Column("file", "text"), Column("line", "int"), Column("workspace", "text")]
    return cols


def _json(value: Any) -> str:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True, by_alias=True)
    elif isinstance(value, (list, tuple)):
        value = [v.model_dump(mode="json", exclude_none=True, by_alias=True) if isinstance(v, BaseModel) else v
                 for v in value]
    return json.dumps(value, ensure_ascii=False, default=str)


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):  # an accident's moment: to the minute, as the ledger writes it
        return value.isoformat(timespec="minutes")
    return value.isoformat() if isinstance(value, dt.date) else value


#: a value of a column as it is written (a field's value or a per-row value, never None)
Convert = Callable[[Any], Any]
_CONVERT: dict[str, Convert] = {"value": operator.attrgetter("_value_"), "label": operator.attrgetter("label"), "text": _text}


def _converter(col: Column) -> Convert | None:
    return _json if col.kind == "json" else _CONVERT.get(col.how)


class Layout:
    """How records become rows of ``columns`` — the one conversion both writers use: field
    values and per-row values converted by column kind (JSON text for lists and nested
    values, a vocabulary word's value or label), dates left as dates for the writer."""

    def __init__(self, columns: list[Column]) -> None:
        self.columns = columns
        fields = [(i, c) for i, c in enumerate(columns) if c.attr is not None]
        self._slots = [i for i, _ in fields]
        attrs = [c.attr for _, c in fields if c.attr is not None]  # all of them: typed as str
        getter: Callable[[Any], Any] = operator.attrgetter(*attrs) if fields else (lambda obj: ())
        self._get: Callable[[Any], Any] = getter if len(fields) != 1 else (lambda obj: (getter(obj),))
        self._convert = [(i, fn) for i, c in fields if (fn := _converter(c)) is not None]
        self._given = [(i, c.name, _converter(c)) for i, c in enumerate(columns) if c.attr is None]

    def row(self, obj: BaseModel, src: Source, given: dict[str, Any] | None = None) -> list[Any]:
        """``obj`` (a record, or a value nested in one with its record's ``src``) as a row.
        Columns without a field take ``given[name]``, else ``file``/``line``/``workspace``
        from ``src`` (so an event can name its own line)."""
        out: list[Any] = [None] * len(self.columns)
        for i, v in zip(self._slots, self._get(obj)):
            out[i] = v
        for i, fn in self._convert:
            v = out[i]
            if v is not None:
                out[i] = fn(v)
        for i, name, convert in self._given:
            if given is not None and name in given:
                v = given[name]
            elif name == "file":
                v = src.path
            elif name == "line":
                v = src.line
            elif name == "workspace":
                v = src.workspace
            else:
                v = None
            out[i] = convert(v) if convert is not None and v is not None else v
        return out


# ------------------------------------------------------------------------- the tables

#: what hazard rows carry from the ordinary views (views/hazards.py ``row``)
_HAZARD_DERIVED = (Column("township", "text"), Column("sector", "text"), Column("status", "text"),
                   Column("status_label", "text"), Column("days_overdue", "int"), Column("days_open", "int"),
                   Column("extensions", "int"), Column("guarantors", "json"))
_EVENT_LEAD = (Column("hazard_id", "text"), Column("seq", "int"))
_PLAIN = (("units", Unit, "units"), ("people", Person, "people"), ("matrix", MatrixEntry, "matrix"),
          ("tasks", Task, "tasks"), ("progress", Progress, "progress"), ("duties", Duty, "duties"),
          ("activities", Activity, "activities"), ("enforcement", Enforcement, "enforcement"),
          ("campaigns", Campaign, "campaigns"), ("submissions", Submission, "submissions"),
          ("risks", Risk, "risks"), ("grid", Cell, "cells"),
          ("patrols", Patrol, "patrols"))


#: what accident rows carry from ``accidents list`` (views/accidents.py ``row``)
_ACCIDENT_DERIVED = (Column("township", "text"), Column("sector", "text"), Column("grade", "text"),
                     Column("grade_label", "text"), Column("late_reports", "int"))


def _accident_table(ws: Workspace, day: dt.date, directory: Any) -> Table:
    """The accidents as they stood on ``day``, in order of occurrence, with the grade they
    count under and their late reports."""
    from anquan_cli.rules import accidents as A
    from anquan_cli.views.accidents import AccidentView, row

    layout = Layout(columns_of(Accident, derived=_ACCIDENT_DERIVED))
    view = AccidentView.for_workspace(ws, day, directory)
    return Table("accidents", layout.columns, [layout.row(a, a.src, row(a, view))
                                              for a in A.in_window(A.as_of(ws.accidents, day), dt.date.min, day)])


#: what tip-off rows carry from ``tipoffs list`` (views/tipoffs.py ``row``)
_TIPOFF_DERIVED = (Column("due", "date"), Column("state", "text"), Column("state_label", "text"),
                   Column("feedback_due", "date"))


def _tipoff_table(ws: Workspace, day: dt.date) -> Table:
    """The tip-offs as they stood on ``day``, with their deadline and state — never a reporter:
    the export is built from a workspace loaded without them."""
    from anquan_cli.rules import tipoffs as T

    s = ws.config.settings.tipoffs
    layout = Layout(columns_of(Tipoff, derived=_TIPOFF_DERIVED))
    rows: list[Sequence[Any]] = []
    for t in sorted(T.as_of(ws.tipoffs, day), key=lambda t: (t.received, t.id)):
        state = T.state(t, day, s)
        rows.append(layout.row(t, t.src, {"due": T.verify_due(t, s), "state": state, "state_label": T.STATES[state],
                                          "feedback_due": T.feedback_due(t, s)}))
    return Table("tipoffs", layout.columns, rows)


def workspace_tables(ws: Workspace, day: dt.date, version: str) -> list[Table]:
    """Every table of the export, in :data:`TABLES` order.  Hazards are the ledger as it
    stood on ``day`` (later events not known yet), ordered as ``hazards list`` orders them."""
    import gc

    enabled = gc.isenabled()
    gc.disable()  # millions of small rows and no cycles among them: the collector only slows this
    try:
        return _tables(ws, day, version)
    finally:
        if enabled:
            gc.enable()


def _tables(ws: Workspace, day: dt.date, version: str) -> list[Table]:
    from anquan_cli.rules import hazards as R
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.views.hazards import HazardView, row

    directory = Directory.for_workspace(ws)
    view = HazardView(day, directory, R.Guarantees.for_workspace(ws), ws.config.settings.escalation_days,
                      ws.config.settings.acceptance_days)
    tables: dict[str, Table] = {}
    for name, model, attr in _PLAIN:
        layout = Layout(columns_of(model))
        tables[name] = Table(name, layout.columns, [layout.row(r, r.src) for r in getattr(ws, attr)])

    hazard_layout = Layout(columns_of(Hazard, skip=("history",), derived=_HAZARD_DERIVED))
    event_layout = Layout(columns_of(Event, lead=_EVENT_LEAD))
    hazards, events = Table("hazards", hazard_layout.columns), Table("hazard_events", event_layout.columns)
    for h in sorted(R.known_on(ws, day), key=lambda h: (h.found, h.id)):
        src = h.src
        hazards.rows.append(hazard_layout.row(h, src, row(h, view)))
        for i, e in enumerate(h.history):
            events.rows.append(event_layout.row(e, src, {"hazard_id": h.id, "seq": i + 1,
                                                         "line": src.line_of("history", i)}))
    tables["hazards"], tables["hazard_events"] = hazards, events
    tables["accidents"] = _accident_table(ws, day, directory)
    tables["tipoffs"] = _tipoff_table(ws, day)

    cfg = ws.config
    meta = Table("meta", [Column("jurisdiction", "text"), Column("level", "text"), Column("level_label", "text"),
                          Column("exported_at", "date"), Column("anquan_version", "text"),
                          Column("workspace_path", "text"), Column("revision", "text"), Column("included", "json"),
                          Column("file", "text"), Column("line", "int"), Column("workspace", "text")])
    meta.rows.append((cfg.jurisdiction, cfg.level.value, cfg.level.label, day, version, str(Path(ws.root).resolve()),
                      ws.revision, _json(list(ws.included)), "anquan.yaml", 1, ""))
    tables["meta"] = meta
    return [tables[n] for n in TABLES]


# ------------------------------------------------------------------------- the writers


def write_sqlite(tables: list[Table], path: Path) -> None:
    """One SQLite file, every table filled in one transaction, written beside ``path`` and
    renamed over it (a failure leaves no file behind and the old one in place)."""
    import sqlite3

    from anquan_cli.io.atomic import replacing

    with replacing(path) as tmp:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=OFF")  # the rename is what makes the write atomic
            con.execute("PRAGMA synchronous=OFF")
            con.execute("BEGIN")
            for t in tables:
                cols = ", ".join(f'"{c.name}" {_SQL[c.kind]}' for c in t.columns)
                con.execute(f'CREATE TABLE "{t.name}" ({cols})')
                dates = [i for i, c in enumerate(t.columns) if c.kind == "date"]
                rows: Iterable[Sequence[Any]] = t.rows
                if dates:
                    rows = (_iso_at(r, dates) for r in rows)
                marks = ", ".join("?" * len(t.columns))
                con.executemany(f'INSERT INTO "{t.name}" VALUES ({marks})', rows)
            con.execute("COMMIT")
        except sqlite3.Error as exc:  # a full disk, most likely: the user's to act on, not a crash
            raise OSError(errno.EIO, f"SQLite 写入失败：{exc}", str(path)) from None
        finally:
            con.close()


def _iso_at(row: Sequence[Any], idx: list[int]) -> list[Any]:
    r = list(row)
    for i in idx:
        if r[i] is not None:
            r[i] = r[i].isoformat()
    return r


def require_pyarrow() -> tuple[Any, Any]:
    """``(pyarrow, pyarrow.parquet)``, or a usage error saying how to install them."""
    from anquan_cli.problems import UsageError

    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UsageError(PARQUET_MISSING) from None
    return pyarrow, pyarrow.parquet


def write_parquet(tables: list[Table], folder: Path) -> None:
    """A folder of ``<table>.parquet`` files (and the :data:`MARKER`), built in a temporary
    folder beside ``folder`` and renamed into place."""
    pa, pq = require_pyarrow()

    from anquan_cli.io.atomic import replacing_folder

    names = {f"{t.name}.parquet" for t in tables} | {MARKER}
    with replacing_folder(folder, names, MARKER) as tmp:
        for t in tables:
            schema = pa.schema([(c.name, getattr(pa, _ARROW[c.kind])()) for c in t.columns])
            data = {c.name: [r[i] for r in t.rows] for i, c in enumerate(t.columns)}
            pq.write_table(pa.Table.from_pydict(data, schema=schema), os.path.join(tmp, f"{t.name}.parquet"))
        with open(os.path.join(tmp, MARKER), "w", encoding="utf-8") as fh:
            fh.write("anquan export --format parquet：本文件夹由 anquan 生成，再次导出时整个替换。\n")

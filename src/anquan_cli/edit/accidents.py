"""Accident edits through the one write path (:class:`~anquan_cli.edit.session.EditSession`):
a new accident, and a report of one (who told whom when)."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from anquan_cli.edit.session import EditSession, StaleFileError
from anquan_cli.models import Accident
from anquan_cli.models.accident import AccidentGrade, AccidentKind, report_cell
from anquan_cli.problems import UsageError
from anquan_cli.rules.accidents import moment_text
from anquan_cli.rules.hazards import Refused
from anquan_cli.rules.lookup import Directory

__all__ = ["accident_file", "add_accident", "add_report", "moment_text"]


def accident_file(given: str) -> str:
    """``--file``: an accident ledger file under ``accidents/``, as a clean workspace-relative path."""
    text = given.replace("\\", "/").strip()
    pure = PurePosixPath(text)
    parts = [p for p in pure.parts if p not in ("", ".")]
    if pure.is_absolute() or ".." in parts or len(parts) < 2 or parts[0] != "accidents" \
            or any(p.startswith(".") for p in parts) \
            or PurePosixPath(parts[-1]).suffix.lower() not in (".yaml", ".yml", ".csv"):
        raise UsageError(f"--file {given}：只能写入工作区 accidents/ 下的事故台账文件（.yaml 或 .csv，如 accidents/2023.yaml）")
    return "/".join(parts)


def _target(s: EditSession, year: int) -> str:
    """The file holding most of this year's accidents, else ``accidents/<year>.yaml``."""
    from collections import Counter

    assert s.ws is not None, "the session loaded the workspace"
    counts = Counter(a.src.path for a in s.ws.accidents if a.day.year == year and not a.src.workspace)
    return counts.most_common(1)[0][0] if counts else f"accidents/{year}.yaml"


def _record(values: dict) -> dict:
    """A new accident's fields in the model's order; vocabulary in its Chinese words, moments
    as the ledger writes them."""
    out: dict = {}
    for name in Accident.model_fields:
        value = values.get(name)
        if value in (None, "", [], 0) and name not in ("id", "occurred", "unit", "title"):
            continue
        if name == "kind":
            value = AccidentKind.parse(value).label
        elif name == "grade":
            value = AccidentGrade.parse(value).label
        elif name == "occurred" and isinstance(value, dt.date):
            value = moment_text(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)  # 40, not 40.0
        out[name] = value
    return out


def add_accident(s: EditSession, values: dict, directory: Directory, file: str | None = None) -> str:
    """Stage one new accident (``values`` keyed by field name, ``id`` included); returns its file."""
    assert s.ws is not None, "the session loaded the workspace"
    if any(a.id == values["id"] for a in s.ws.accidents):
        raise Refused(f"事故编号 {values['id']} 已经有了：换一个编号")
    unit = directory.unit(values.get("unit", ""))
    if unit is not None:
        values["unit"] = unit.name  # the full name, also when an alias was typed
    occurred = values["occurred"]
    day = occurred.date() if isinstance(occurred, dt.datetime) else occurred
    rel = accident_file(file) if file else _target(s, day.year)
    record = _record(values)
    ft = s.text(rel)
    if rel.lower().endswith(".csv"):
        if ft.raw is None:
            raise Refused(f"{rel} 不存在：新建台账请用 YAML 文件，或先建好 CSV 表头")
        from anquan_cli.edit.csvtext import CsvDoc

        doc = CsvDoc(ft.text, rel)
        columns = _columns(doc.header)
        cells = {columns.get(k, Accident.csv_columns[k][0]): str(v) for k, v in record.items()}
        s.stage(rel, doc.apply(doc.append_rows([cells])))
    else:
        from anquan_cli.edit.yamltext import YamlDoc

        text = ft.text if ft.raw is not None else f"# {day.year} 年生产安全事故台账\n"
        ydoc = YamlDoc(text, rel, Accident)
        s.stage(rel, ydoc.apply(ydoc.append_records("accidents", [record])))
    return rel


def _columns(header: list[str]) -> dict[str, str]:
    """field → the header cell that names it."""
    from anquan_cli.workspace import csv_header

    names, _, _ = csv_header(Accident, [h.strip() for h in header])
    return {name: h for h, name in names.items() if name}


def add_report(s: EditSession, a: Accident, report: dict) -> str:
    """Stage one report of ``a`` (``time``, ``from``, ``to``, ``by``) in its file, at its place
    in time order; returns the file."""
    rel = a.src.path
    ft = s.text(rel)
    entry = {"time": moment_text(report["time"]), "from": report["from"], "to": report["to"]}
    if report.get("by"):
        entry["by"] = report["by"]
    if rel.lower().endswith(".csv"):
        from anquan_cli.edit.csvtext import CsvDoc

        doc = CsvDoc(ft.text, rel)
        columns = _columns(doc.header)
        row = doc.find(columns["id"], a.id, a.src.line) if "id" in columns else None
        if row is None:
            raise StaleFileError(f"{rel} 中找不到事故 {a.id}；请重新运行命令")
        col = columns.get("reports", Accident.csv_columns["reports"][0])
        old = doc.cell(row, col) if col in doc.header else ""
        chunk = report_cell([entry])
        s.stage(rel, doc.apply(doc.set_cells(row, {col: f"{old}；{chunk}" if old.strip() else chunk})))
    else:
        from anquan_cli.edit.yamltext import YamlDoc

        ydoc = YamlDoc(ft.text, rel, Accident)
        item = ydoc.find("accidents", a.id, a.src.line)
        if item is None:
            raise StaleFileError(f"{rel} 中找不到事故 {a.id}；请重新运行命令")
        s.stage(rel, ydoc.apply(ydoc.add_events(item, [entry], field="reports", key="time")))
    return rel

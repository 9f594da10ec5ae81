"""``anquan report … --format json``: the figures and lists a report is built from
(:func:`anquan_cli.rules.report.build_context`) as data for a script or a spreadsheet — the
same numbers the Markdown and DOCX print, without their wording.

What changes from the template context: sentences written for the page (``summary``), the
figures' ready-made texts (``*_text``, ``rate_text``), combined cells (``hazard``, ``listed``,
``state``) and the document's heading settings are left out; vocabulary words become their
English codes next to the Chinese (``level``/``level_label``, ``status``/``status_label``,
``grade``/``grade_label``); lists the page joins with 、 are lists; "—" and empty cells are
null; the provenance keeps the commit, not the folder.  Keys are English and stable."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["report_data", "render_json"]

#: keys of the context that are about the document, not its figures
_DROPPED = ("more", "prose", "documents", "kind_name", "provenance")
_DUTY_STATUS = {"已完成": "met", "未完成": "not_met", "进行中": "in_progress", "超过上限": "exceeded"}


def _none(value: Any) -> Any:
    return None if value in ("", "—") else value


def _names(text: str | None) -> list[str]:
    return [] if not text or text == "—" else [x for x in text.split("、") if x]


def _number(text: Any) -> float | None:
    if isinstance(text, (int, float)):
        return text
    try:
        return float(str(text))
    except ValueError:
        return None


def _clean(obj: Any) -> Any:
    """``*_text`` and ``summary`` keys dropped, empty cells null, all the way down."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items() if not k.endswith("_text") and k != "summary"}
    if isinstance(obj, list):
        return [_clean(x) for x in obj]
    return _none(obj)


def _coded(row: dict, key: str, vocab) -> dict:
    """``row[key]`` (a Chinese word) as its code, the word kept as ``<key>_label``."""
    label = row.get(key)
    if not label:
        return {**row, key: None, f"{key}_label": None}
    try:
        code = vocab.parse(label).value
    except ValueError:
        code = None
    return {**row, key: code, f"{key}_label": label}


def _hazard(row: dict) -> dict:
    from anquan_cli.models import Level
    from anquan_cli.rules.hazards import Status

    row = _coded(_coded(row, "level", Level), "status", Status)
    return {**row, "guarantors": _names(row.get("guarantors")), "missing": _names(row.get("missing"))}


def _listed(row: dict) -> dict:
    from anquan_cli.rules.hazards import Status

    listed = bool(row.get("date"))
    out = {k: v for k, v in row.items() if k not in ("hazard", "listed", "state")}
    out = _coded(out, "status", Status)
    out["listing_state"] = ("delisted" if row.get("delisted") else "listed") if listed else "unlisted"
    out["by"] = row["by"] if listed and row.get("by") != "未写单位" else None
    out["tracker"] = None if row.get("tracker") == "未明确" else row.get("tracker")
    return out


def _duty(row: dict) -> dict:
    return {**row, "status": _DUTY_STATUS.get(row["status"], row["status"]), "status_label": row["status"],
            "why": [x for x in (row.get("why") or "").split("；") if x]}


def _accidents(a: dict) -> dict:
    from anquan_cli.models import AccidentGrade

    def compared(rows: list[dict]) -> dict:
        return {r["key"]: r["values"] for r in rows}

    listed = []
    for r in a["list"]:
        r = _coded(r, "grade", AccidentGrade)
        deaths = r["deaths"] if isinstance(r["deaths"], int) else int(re.match(r"\d+", str(r["deaths"])).group())  # type: ignore[union-attr]
        listed.append({**r, "deaths": deaths, "direct_loss": _number(r["direct_loss"]) if r["direct_loss"] else None,
                       "late": [x for x in r["late"].split("、") if x] if r["late"] else []})
    return {**a, "previous": compared(a["previous"]), "year_before": compared(a["year_before"]),
            "by_grade": [{"grade": AccidentGrade.parse(g["name"]).value, "grade_label": g["name"], "count": g["count"]}
                         for g in a["by_grade"]],
            "list": listed}


def _campaigns(rows: list[dict]) -> list[dict]:
    out = []
    for c in rows:
        nodes = []
        for n in c["nodes"]:
            late = [{"unit": m.group(1), "days": int(m.group(2))}
                    for m in re.finditer(r"([^、]+?)（(\d+) 天）", n.get("late_text") or "")]
            nodes.append({**n, "missing_units": _names(n.get("missing_text")), "late_units": late})
        out.append({**c, "nodes": nodes})
    return out


def _tipoffs(t: dict | None) -> dict | None:
    if t is None:
        return None
    channels = {m.group(1): int(m.group(2)) for m in re.finditer(r"([^、]+?)(\d+)件", t.get("channels") or "")}
    amounts = {k: _number(t[k]) for k in t if k.endswith("_amount")}
    return {**t, **amounts, "channels": channels}


def _patrols(p: dict | None) -> dict | None:
    if p is None:
        return None
    return {**p, "rows": [{**r, "rank": r["rank"] if isinstance(r["rank"], int) else None,
                           "score": _number(r["score"]), "missing": _names(r["missing"])} for r in p["rows"]]}


def report_data(ctx: dict) -> dict:
    """The data of a report's context (see the module's docstring)."""
    from anquan_cli.models import Level

    prov = ctx.get("provenance") or {}
    data = {k: v for k, v in ctx.items() if k not in _DROPPED}
    data["kind_label"] = ctx["kind_name"]
    data["provenance"] = {"commit": prov.get("commit"), "dirty": prov.get("dirty"), "version": prov.get("version"),
                          "generated_at": prov.get("generated_at")}
    data["major_open"] = [_hazard(r) for r in ctx["major_open"]]
    data["overdue"] = [_hazard(r) for r in ctx["overdue"]]
    data["listed"] = [_listed(r) for r in ctx["listed"]]
    data["duties"] = {k: [_duty(r) for r in rows] for k, rows in ctx["duties"].items()}
    data["changes"] = {k: [_coded(r, "level", Level) for r in rows] for k, rows in ctx["changes"].items()}
    data["coming"] = {**ctx["coming"], "hazards": [_coded(r, "level", Level) for r in ctx["coming"]["hazards"]]}
    data["accidents"] = _accidents(ctx["accidents"])
    data["campaigns"] = _campaigns(ctx["campaigns"])
    data["tipoffs"] = _tipoffs(ctx["tipoffs"])
    data["patrols"] = _patrols(ctx["patrols"])
    enforcement = dict(ctx["enforcement"])
    enforcement["figures"] = {k: v for k, v in enforcement["figures"].items() if k not in ("rank", "name")}
    data["enforcement"] = enforcement
    return _clean(data)


def render_json(ctx: dict, indent: bool | None = None) -> str:
    """The report's data as JSON: indented for a file or a terminal (``indent``; by default as
    every ``--format json``: indented on a terminal, compact in a pipe)."""
    if indent:
        return json.dumps(report_data(ctx), ensure_ascii=False, indent=2) + "\n"
    from anquan_cli.views.hazards import render_json as as_json

    return as_json(report_data(ctx)) + "\n"

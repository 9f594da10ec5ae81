"""Three-way merge of a hazard ledger file, record by record (the git merge driver).

Records are matched by id.  A record only one side added is taken; a field only one side
changed takes that side's value; history events appended on both sides are all kept.  The
same field changed two ways, a record deleted on one side, or history rewritten is a
conflict that names the record and field.  The result is written into our version of the
file with the single-record edits of :mod:`anquan_cli.io.edit`, so it keeps our formatting
and comments, and their new records are copied as they wrote them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from anquan_cli.io.csvread import parse_csv
from anquan_cli.io.decode import decode
from anquan_cli.io.edit import (append_csv_row, edit_csv_row, edit_yaml_record, record_span,
                                shift_lines)
from anquan_cli.models import Hazard
from anquan_cli.models._base import Vocab
from anquan_cli.problems import Severity

__all__ = ["MergeResult", "merge_ledger"]


@dataclass
class MergeResult:
    text: str
    encoding: str
    bom: bool
    conflicts: list[str] = field(default_factory=list)

    def data(self) -> bytes:
        raw = self.text.encode(self.encoding)
        return (b"\xef\xbb\xbf" + raw) if self.bom and self.encoding == "utf-8" else raw


def _records(data: bytes, rel: str) -> tuple[dict[str, Hazard], bool]:
    """id → hazard, and whether every record of the file could be read."""
    from anquan_cli.workspace import records_from_bytes

    if not data.strip():
        return {}, True
    hazards, problems = records_from_bytes(rel, data, Hazard, "hazards")
    ok = not any(p.severity is Severity.ERROR for p in problems)
    return {h.id: h for h in hazards}, ok


def _yaml_value(value):
    if isinstance(value, Vocab):
        return value.label
    if isinstance(value, list):
        return [_yaml_value(v) for v in value]
    return value


def _event_dict(event) -> dict:
    out = {}
    for name in event.model_fields:
        value = getattr(event, name)
        if value is not None:
            out[name] = _yaml_value(value)
    return out


def _show(value) -> str:
    if isinstance(value, Vocab):
        return value.label
    if isinstance(value, dt.date):
        return value.isoformat()
    return "（空）" if value in (None, "", []) else str(value)


def _field_merge(b: Hazard | None, o: Hazard, t: Hazard, conflicts: list[str]) -> tuple[dict, list[dict]]:
    updates: dict = {}
    for name in Hazard.model_fields:
        if name == "history":
            continue
        vb = getattr(b, name) if b is not None else None
        vo, vt = getattr(o, name), getattr(t, name)
        if vo == vt or vt == vb:
            continue
        if vo == vb:
            updates[name] = _yaml_value(vt)
        else:
            conflicts.append(f"隐患 {o.id} 的字段 {name}：我方改为 {_show(vo)}，对方改为 {_show(vt)}"
                             f"（原为 {_show(vb)}）")
    hb = [e.model_dump() for e in (b.history if b is not None else [])]
    ho = [e.model_dump() for e in o.history]
    ht = [e.model_dump() for e in t.history]
    if ho[:len(hb)] != hb or ht[:len(hb)] != hb:
        if ho != ht:
            conflicts.append(f"隐患 {o.id} 的字段 history：处理记录被改写，无法自动合并")
        return updates, []
    ours_new = ho[len(hb):]
    events = [_event_dict(e) for e, d in zip(t.history[len(hb):], ht[len(hb):]) if d not in ours_new]
    return updates, events


def merge_ledger(base: bytes, ours: bytes, theirs: bytes, rel: str) -> MergeResult:
    decoded = decode(ours) if ours.strip() else decode(theirs)
    result = MergeResult(decoded.text, decoded.encoding, decoded.bom)
    (b_recs, b_ok), (o_recs, o_ok), (t_recs, t_ok) = (_records(x, rel) for x in (base, ours, theirs))
    if not (b_ok and o_ok and t_ok):
        result.conflicts.append(f"{rel}：有的版本中有无法读取的记录，不能按记录合并，请手工合并后运行 anquan check")
        return result
    conflicts = result.conflicts
    edits: list[tuple[Hazard, dict, list[dict]]] = []
    added: list[Hazard] = []
    for hid in sorted(o_recs.keys() | t_recs.keys() | b_recs.keys()):
        b, o, t = b_recs.get(hid), o_recs.get(hid), t_recs.get(hid)
        if o is None and t is None:
            continue  # deleted on both sides
        if o is None or t is None:
            if b is None:
                if t is not None:
                    added.append(t)
                continue
            side = "我方" if o is None else "对方"
            conflicts.append(f"隐患 {hid}：{side}删除了这条记录（台账记录不删除，应当销号）")
            continue
        if b is None and o.model_dump() != t.model_dump():
            conflicts.append(f"隐患 {hid}：双方都新增了这个编号，内容不同")
            continue
        updates, events = _field_merge(b, o, t, conflicts)
        if updates or events:
            edits.append((o, updates, events))
    text = result.text
    from anquan_cli.ledger import csv_cells, hazard_list

    if rel.lower().endswith(".csv"):
        header, rows, _ = parse_csv(text, rel)
        by_line = {r.line: r for r in rows}
        for h, updates, events in sorted(edits, key=lambda e: -e[0].src.line):
            text = edit_csv_row(text, h.src.line, csv_cells(header, by_line[h.src.line], updates, events))
        if added:
            t_text = decode(theirs).text
            t_header, t_rows, _ = parse_csv(t_text, rel)
            t_by_line = {r.line: r for r in t_rows}
            for h in added:
                text = append_csv_row(text, dict(t_by_line[h.src.line]))
    else:
        items = hazard_list(text, rel)
        starts = list(items.item_lines) if items is not None else []
        for h, updates, events in sorted(edits, key=lambda e: -e[0].src.line):
            text = edit_yaml_record(text, h.src.line, starts, updates, events)
        if added:
            text = _append_yaml_spans(text, decode(theirs).text, added, rel)
    result.text = text
    return result


def _append_yaml_spans(text: str, theirs: str, added: list[Hazard], rel: str) -> str:
    """Copy their new records as they wrote them, indented like ours."""
    from anquan_cli.ledger import hazard_list

    t_items = hazard_list(theirs, rel)
    t_lines = theirs.splitlines(keepends=True)
    starts = list(t_items.item_lines)
    ours_items = hazard_list(text, rel)
    ours_lines = text.splitlines(keepends=True)
    if ours_items is not None and len(ours_items):
        first = ours_lines[ours_items.item_lines[0] - 1]
        dash = len(first) - len(first.lstrip(" "))
    else:
        dash = 2 if "hazards:" in text else 0
    newline = "\r\n" if "\r\n" in text else "\n"
    out = text if text.endswith(("\n", "\r")) or not text else text + newline
    for h in added:
        begin, end = record_span(t_lines, h.src.line, starts)
        block = t_lines[begin:end]
        theirs_dash = len(block[0]) - len(block[0].lstrip(" "))
        shift = dash - theirs_dash
        block = [ln.rstrip("\r\n") + newline for ln in shift_lines(block, shift)]
        out += newline + "".join(block)
    return out

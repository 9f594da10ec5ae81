"""Three-way merge of a hazard ledger file, record by record (the git merge driver).

Records are matched by id.  A record only one side added is taken; a field only one side
changed takes that side's value; history events appended on both sides are all kept.  The
same field changed two ways, a record deleted on one side, or history rewritten is a
conflict that names the record and field.  The result is written into our version of the
file with the same single-record edits every other command makes (:mod:`.yamltext`,
:mod:`.csvtext`), so it keeps our formatting and comments, and their new records are copied
as they wrote them.  A file either writer cannot edit safely, or a merge whose result holds a
record that no longer reads, is a conflict, never a damaged file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from anquan_cli.edit.csvtext import CsvDoc
from anquan_cli.edit.hazards import csv_cells, csv_columns
from anquan_cli.edit.session import encode
from anquan_cli.edit.yamltext import CannotEdit, YamlDoc
from anquan_cli.io.decode import Decoded, decode
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
        return encode(self.text, Decoded(self.text, self.encoding, self.bom))


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
    try:
        text = _apply(result.text, decode(theirs).text if added else "", edits, added, rel)
    except CannotEdit as exc:
        conflicts.append(f"{rel}：{exc}")
        return result
    errors_before = _errors(ours, rel)
    if _errors(encode(text, Decoded(text, result.encoding, result.bom)), rel) > errors_before:
        conflicts.append(f"{rel}：合并后的文件中有读不了的记录，未自动合并，请手工合并后运行 anquan check")
        return result
    result.text = text
    return result


def _errors(data: bytes, rel: str) -> int:
    from anquan_cli.workspace import records_from_bytes

    if not data.strip():
        return 0
    _, problems = records_from_bytes(rel, data, Hazard, "hazards")
    return sum(1 for p in problems if p.severity is Severity.ERROR)


def _apply(text: str, theirs: str, edits, added: list[Hazard], rel: str) -> str:
    if rel.lower().endswith(".csv"):
        doc = CsvDoc(text, rel)
        id_col = csv_columns(doc.header).get("id")
        for h, updates, events in edits:
            row = doc.find(id_col, h.id, h.src.line)
            values = {name: doc.cell(row, name) for name in doc.header if name}
            doc.apply(doc.set_cells(row, csv_cells(doc.header, values, updates, events)))
        if added:
            t_doc = CsvDoc(theirs, rel)
            t_id = csv_columns(t_doc.header).get("id")
            rows = []
            for h in added:
                t_row = t_doc.find(t_id, h.id, h.src.line)
                rows.append({name: t_doc.cell(t_row, name) for name in t_doc.header
                             if name and t_doc.cell(t_row, name)})
            doc.apply(doc.append_rows(rows))
        return doc.text
    doc = YamlDoc(text, rel, Hazard)
    for h, updates, events in edits:
        item = doc.find("hazards", h.id, h.src.line)
        sample = doc.value_text(item, "found")
        doc.apply(doc.set_fields(item, updates, sample) + doc.add_events(item, events, sample))
    if added:
        t_doc = YamlDoc(theirs, rel, Hazard)
        blocks = [t_doc.item_text(t_doc.find("hazards", h.id, h.src.line)) for h in added]
        doc.apply(doc.append_raw("hazards", blocks))
    return doc.text

"""A semantic diff as Chinese text, as Markdown for a pull-request comment, or as JSON."""

from __future__ import annotations

import json

from anquan_cli.rules.diff import KINDS, RecordChange
from anquan_cli.views.templates import md_text

__all__ = ["render_text", "render_markdown", "render_json", "change_lines", "field_label"]

_KIND_ZH = {"added": "新增", "removed": "删除", "changed": "修改"}
_SKIP = {"history"}  # shown as events


def _short(value) -> str:
    if value is None or value == [] or value == "":
        return "（空）"
    if isinstance(value, list):
        return "、".join(_short(v) for v in value) if all(not isinstance(v, dict) for v in value) else f"{len(value)} 条"
    return str(value)


def _held(annotation, base: type) -> type | None:
    """The subclass of ``base`` a field's type holds (itself, or inside Optional/list/Annotated), if any."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, base):
        return annotation
    for arg in typing.get_args(annotation):
        found = _held(arg, base)
        if found is not None:
            return found
    return None


def _vocab(annotation) -> type | None:
    """The word list (a :class:`~anquan_cli.models._base.Vocab`) a field's type holds, if any."""
    from anquan_cli.models._base import Vocab

    return _held(annotation, Vocab)


def _nested(annotation) -> type | None:
    """The model a field holds as a mapping (the hazard's ``listing``), if any."""
    from pydantic import BaseModel

    return _held(annotation, BaseModel)


#: the fields only YAML has (no CSV column, so no Chinese header to borrow), named as the
#: README's field reference describes them
_YAML_ONLY = {
    "Accident": {"followups": "续报、补报", "investigation": "事故调查"},
    "Campaign": {"phases": "阶段", "nodes": "报送节点", "duties": "行动期间的履职要求", "note": "备注"},
    "Duty": {"max": "每周期至多次数", "keywords": "活动内容关键词", "shared": "可计入多项要求", "valid_from": "有效起始日期",
             "until": "有效截止日期", "scope": "约束的层级", "overrides": "更严的条件", "sensitive": "重点敏感时期"},
    "Task": {"table": "分工表", "year": "年份"},
}


def field_label(model: type | None, name: str, parent: str | None = None) -> str:
    """A field's Chinese name: the first Chinese column header its record reads (the names of
    the README's field reference); a hazard's listing parts by their labels."""
    if parent == "listing":
        from anquan_cli.models.hazard import LISTING_LABELS

        if name in LISTING_LABELS:
            return LISTING_LABELS[name]
    columns = getattr(model, "csv_columns", None) or {}
    if name in columns:
        return columns[name][0]
    return _YAML_ONLY.get(getattr(model, "__name__", ""), {}).get(name, name)


def _word(model: type | None, name: str, value):
    """An enumerated value as its Chinese word (``major`` → 重大); anything else as it is."""
    fields = getattr(model, "model_fields", None) or {}
    vocab = _vocab(fields[name].annotation) if name in fields else None
    if vocab is None or value is None:
        return value
    try:
        if isinstance(value, list):
            return [vocab(v).label for v in value]
        return vocab(value).label
    except (ValueError, AttributeError):
        return value


def _field_lines(model: type | None, name: str, old, new) -> list[str]:
    fields = getattr(model, "model_fields", None) or {}
    sub = _nested(fields[name].annotation) if name in fields else None
    label = field_label(model, name)
    if sub is not None and isinstance(old or {}, dict) and isinstance(new or {}, dict) and (old or new):
        old, new = old or {}, new or {}
        return [f"{label}·{field_label(sub, k, parent=name)}：{_short(_word(sub, k, old.get(k)))} → "
                f"{_short(_word(sub, k, new.get(k)))}"
                for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
    return [f"{label}：{_short(_word(model, name, old))} → {_short(_word(model, name, new))}"]


def change_lines(c: RecordChange) -> list[str]:
    """What changed, in Chinese: the domain events, then each field by its Chinese name with
    enumerated values as their words (``隐患等级：一般 → 重大``)."""
    lines = [e["text"] for e in c.events]
    if c.kind == "changed":
        for f, (a, b) in c.changes.items():
            if f not in _SKIP:
                lines += _field_lines(c.model, f, a, b)
    return lines


def _title(c: RecordChange) -> str:
    return f"{_KIND_ZH[c.kind]}{KINDS[c.record][1]} {c.id}"


def render_text(changes: list[RecordChange], label: str) -> str:
    if not changes:
        return f"{label}：没有记录变化。\n"
    out = [f"{label}：{len(changes)} 条记录有变化。"]
    for c in changes:
        out.append(f"{_title(c)}（{c.path}:{c.line}）")
        out += [f"    {ln}" for ln in change_lines(c)]
    return "\n".join(out) + "\n"


def render_markdown(changes: list[RecordChange], label: str) -> str:
    out = [f"### 台账变化：{md_text(label)}", ""]
    if not changes:
        return "\n".join(out + ["没有记录变化。", ""])
    by_kind: dict[str, list[RecordChange]] = {}
    for c in changes:
        by_kind.setdefault(c.record, []).append(c)
    for record, items in by_kind.items():
        out += [f"#### {KINDS[record][1]}（{len(items)}）", ""]
        for c in items:
            detail = "；".join(md_text(x) for x in change_lines(c))
            out.append(f"- **{_KIND_ZH[c.kind]}** `{c.id}`" + (f"：{detail}" if detail else ""))
        out.append("")
    return "\n".join(out)


def render_json(changes: list[RecordChange]) -> str:
    return json.dumps([c.as_json() for c in changes], ensure_ascii=False, indent=2)

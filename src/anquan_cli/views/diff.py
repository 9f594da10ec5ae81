"""A semantic diff as Chinese text, as Markdown for a pull-request comment, or as JSON."""

from __future__ import annotations

import json

from anquan_cli.rules.diff import KINDS, RecordChange
from anquan_cli.views.templates import md_text

__all__ = ["render_text", "render_markdown", "render_json", "change_lines"]

_KIND_ZH = {"added": "新增", "removed": "删除", "changed": "修改"}
_SKIP = {"history"}  # shown as events


def _short(value) -> str:
    if value is None or value == [] or value == "":
        return "（空）"
    if isinstance(value, list):
        return "、".join(_short(v) for v in value) if all(not isinstance(v, dict) for v in value) else f"{len(value)} 条"
    return str(value)


def change_lines(c: RecordChange) -> list[str]:
    lines = [e["text"] for e in c.events]
    if c.kind == "changed":
        lines += [f"{f}：{_short(a)} → {_short(b)}" for f, (a, b) in c.changes.items() if f not in _SKIP]
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

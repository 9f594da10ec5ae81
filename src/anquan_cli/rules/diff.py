"""What changed between two versions of a workspace, record by record, in the domain's terms,
and the review rules a reviewer must see (records deleted instead of closed, deadlines moved
without an extension, closing without three sign-offs, history rewritten).

Records are matched by identity (hazard id, task table and number …) and compared as values:
where a record sits in its file does not matter (beancount's model for semantic comparison).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from anquan_cli.models import EventKind, Hazard, Level, Record
from anquan_cli.problems import Problem, error
from anquan_cli.snapshot import Workspace

__all__ = ["RecordChange", "diff_workspaces", "review", "KINDS"]

#: record kind → (workspace attribute, Chinese name, identity)
KINDS = {
    "hazard": ("hazards", "隐患", lambda r: r.id),
    "task": ("tasks", "任务", lambda r: f"{r.table}#{r.no}"),
    "progress": ("progress", "任务进展", lambda r: f"{r.table}#{r.no}/{r.unit}/{r.date.isoformat()}"),
    "matrix": ("matrix", "包保责任", lambda r: r.id),
    "duty": ("duties", "履职要求", lambda r: r.id),
    "activity": ("activities", "活动", lambda r: r.id or f"{r.date.isoformat()} {r.held_by} {r.kind.value} {r.title}"),
    "accident": ("accidents", "事故", lambda r: r.id),
    "enforcement": ("enforcement", "执法记录", lambda r: r.id),
    "campaign": ("campaigns", "专项行动", lambda r: r.id),
    "submission": ("submissions", "报送记录", lambda r: f"{r.node}/{r.unit}/{r.date.isoformat()}"),
    "tipoff": ("tipoffs", "举报", lambda r: r.id),  # reporters are never loaded for a diff
    "risk": ("risks", "风险", lambda r: r.id),
    "cell": ("cells", "网格", lambda r: r.id),
    "patrol": ("patrols", "巡查考核", lambda r: r.id),
    "document": ("issued", "发文登记", lambda r: r.number),
    "person": ("people", "人员", lambda r: r.id),
    "unit": ("units", "单位", lambda r: r.name),
}


@dataclass
class RecordChange:
    kind: str            # added / removed / changed
    record: str          # hazard / task / …
    id: str
    changes: dict = field(default_factory=dict)   # field → [old, new]
    events: list[dict] = field(default_factory=list)  # domain events: {code, text}
    path: str | None = None
    line: int | None = None
    #: the record's class (for its fields' Chinese names and word lists); not in the JSON
    model: type | None = field(default=None, compare=False, repr=False)

    def as_json(self) -> dict:
        return {"kind": self.kind, "record": self.record, "id": self.id, "changes": self.changes,
                "events": self.events, "path": self.path, "line": self.line}


def _values(r: Record) -> dict:
    return r.model_dump(mode="json")


def _hazard_events(old: Hazard | None, new: Hazard | None) -> list[dict]:
    """The lifecycle steps one change to a hazard represents."""
    if old is None:
        return [{"code": "added", "text": f"新登记（{new.level.label}，{new.unit}）"}]
    if new is None:
        return [{"code": "removed", "text": "从台账中删除"}]
    out = []
    old_events = [e.model_dump(mode="json") for e in old.history]
    new_events = [e.model_dump(mode="json") for e in new.history]
    added = new_events[len(old_events):] if new_events[:len(old_events)] == old_events else []
    for e in added:
        kind = EventKind(e["event"])
        if kind is EventKind.RECTIFIED:
            out.append({"code": "rectified", "text": f"登记整改完成（{e['date']}，{e.get('by') or ''}）"})
        elif kind is EventKind.VERIFIED:
            party = _party(e["party"]) if e.get("party") else "（未写签字方）"
            out.append({"code": "signed", "text": f"{party}方验收签字（{e.get('by') or ''}）"})
        elif kind is EventKind.EXTENDED:
            out.append({"code": "extended", "text": f"延期至 {e.get('deadline')}，原因：{e.get('reason') or '未写'}"})
        elif kind is EventKind.ESCALATED:
            out.append({"code": "escalated", "text": f"提级为重大隐患，督办：{e.get('supervisor') or new.supervisor or ''}"})
        elif kind is EventKind.URGED:
            out.append({"code": "urged", "text": f"发督办函（{e['date']}）：{e.get('note') or '未写文号'}"})
        elif kind is EventKind.NOTIFIED:
            out.append({"code": "notified", "text": f"下达隐患整改通知书（{e['date']}）：{e.get('note') or '未写文号'}"})
    if new_events[:len(old_events)] != old_events:
        out.append({"code": "history-rewritten", "text": "处理记录被改写或删除"})
    if old.closed is None and new.closed is not None:
        out.append({"code": "closed", "text": f"销号（{new.closed.isoformat()}）"})
    if old.closed is not None and new.closed is None:
        out.append({"code": "reopened", "text": "撤销了销号"})
    if old.owner != new.owner:
        out.append({"code": "reassigned", "text": f"责任人 {old.owner or '无'} → {new.owner or '无'}"})
    out.extend(_listing_events(old, new))
    if old.level is Level.GENERAL and new.level is Level.MAJOR and not any(e["code"] == "escalated" for e in out):
        out.append({"code": "escalated", "text": "改为重大隐患"})
    if old.deadline != new.deadline and not any(e["code"] == "extended" for e in out):
        out.append({"code": "deadline-changed", "text": f"整改期限 {old.deadline} → {new.deadline}（没有延期记录）"})
    return out


def _listing_events(old: Hazard, new: Hazard) -> list[dict]:
    """挂牌督办 in a change: listed, its tracker changed, taken down (摘牌)."""
    a, b = old.listing, new.listing
    out = []
    if b is not None and b.date is not None and (a is None or a.date is None):
        out.append({"code": "listed", "text": f"挂牌督办（{b.by or '未写单位'} {b.date}，跟踪督办：{b.tracker or '未明确'}）"})
    elif a is not None and b is not None and a.tracker != b.tracker:
        out.append({"code": "tracker-changed", "text": f"跟踪督办责任人 {a.tracker or '无'} → {b.tracker or '无'}"})
    if b is not None and b.delisted is not None and (a is None or a.delisted is None):
        out.append({"code": "delisted", "text": f"摘牌（{b.delisted}）"})
    if a is not None and a.date is not None and (b is None or b.date is None):
        out.append({"code": "unlisted", "text": "删除了挂牌督办"})
    return out


def _party(value: str) -> str:
    from anquan_cli.models import Party

    return Party(value).label


def diff_workspaces(old: Workspace, new: Workspace) -> list[RecordChange]:
    out: list[RecordChange] = []
    for record, (attr, _, key) in KINDS.items():
        before = {key(r): r for r in getattr(old, attr)}
        after = {key(r): r for r in getattr(new, attr)}
        for rid in sorted(before.keys() | after.keys()):
            a, b = before.get(rid), after.get(rid)
            if a is not None and b is not None:
                va, vb = _values(a), _values(b)
                changes = {f: [va[f], vb[f]] for f in va if va[f] != vb.get(f)}
                if not changes:
                    continue
                rc = RecordChange("changed", record, rid, changes, path=b.src.path, line=b.src.line)
            elif b is not None:
                rc = RecordChange("added", record, rid, {f: [None, v] for f, v in _values(b).items() if v not in (None, [], "")},
                                  path=b.src.path, line=b.src.line)
            else:
                rc = RecordChange("removed", record, rid, {f: [v, None] for f, v in _values(a).items() if v not in (None, [], "")},
                                  path=a.src.path, line=a.src.line)
            rc.model = type(b if b is not None else a)
            if record == "hazard":
                rc.events = _hazard_events(a, b)
            out.append(rc)
    return out


def review(old: Workspace, new: Workspace, label: str) -> list[Problem]:
    """Changes since ``old`` (named ``label``) a reviewer must see, as problems at their lines."""
    from anquan_cli.rules.hazards import missing_parties

    before = {h.id: h for h in old.hazards}
    problems = []
    for h in new.hazards:
        o = before.pop(h.id, None)
        if o is None:
            continue
        old_events = [e.model_dump(mode="json") for e in o.history]
        new_events = [e.model_dump(mode="json") for e in h.history]
        if new_events[:len(old_events)] != old_events:
            problems.append(error(h.src.path, h.src.line_of("history"), "history-rewritten",
                                  f"隐患 {h.id} 的处理记录与 {label} 相比被改写或删除了",
                                  "处理记录只能追加；写错的记录请追加一条“备注”说明"))
        if o.deadline and h.deadline and h.deadline > o.deadline:
            extensions = [e for e in h.history[len(o.history):]
                          if e.event is EventKind.EXTENDED and e.deadline == h.deadline]
            if not extensions:
                problems.append(error(h.src.path, h.src.line_of("deadline"), "deadline-moved",
                                      f"隐患 {h.id} 的整改期限从 {o.deadline} 推迟到 {h.deadline}，却没有延期记录",
                                      "用 anquan hazards extend 延期，写明原因"))
        if o.closed is None and h.closed is not None and missing_parties(h):
            lacking = "、".join(p.label for p in missing_parties(h))
            problems.append(error(h.src.path, h.src.line_of("closed"), "closed-without-signoffs",
                                  f"隐患 {h.id} 销号了，但三方确认签字不全（缺{lacking}）",
                                  "补齐签字后再销号（anquan hazards verify / close）"))
    for h in before.values():
        problems.append(error(h.src.path, h.src.line, "record-deleted",
                              f"隐患 {h.id} 在 {label} 中还有，现在被删除了（{label} 中的位置：{h.src.path}:{h.src.line}）",
                              "台账记录不删除：整改验收后用 anquan hazards close 销号"))
    return problems + _accident_review(old, new, label)


def _accident_review(old: Workspace, new: Workspace, label: str) -> list[Problem]:
    """An accident is never taken out of the ledger, its reports are only added to, and its
    casualties only corrected upwards by a 续报 (seed 002 "严格落实事故直报制度"、"对初步认定的瞒报
    事故，一律由上级安委会挂牌督办"): a reviewer sees each of these."""
    before = {a.id: a for a in old.accidents}
    problems = []
    for a in new.accidents:
        o = before.pop(a.id, None)
        if o is None:
            continue
        old_reports = [r.model_dump(mode="json") for r in o.reports]
        if [r.model_dump(mode="json") for r in a.reports][:len(old_reports)] != old_reports:
            problems.append(error(a.src.path, a.src.line_of("reports"), "reports-rewritten",
                                  f"事故 {a.id} 的报告记录与 {label} 相比被改写或删除了",
                                  "报告记录只能追加（anquan accidents report）"))
        lowered = [name for field, name in (("deaths", "死亡"), ("missing", "失踪"), ("serious_injuries", "重伤"))
                   if getattr(a, field) < getattr(o, field)]
        if lowered and len(a.followups) == len(o.followups):
            problems.append(error(a.src.path, a.src.line, "casualties-lowered",
                                  f"事故 {a.id} 的{'、'.join(lowered)}人数比 {label} 中少了，却没有新的续报",
                                  "伤亡人数的更正写进 followups（续报），说明依据"))
    for a in before.values():
        problems.append(error(a.src.path, a.src.line, "record-deleted",
                              f"事故 {a.id} 在 {label} 中还有，现在被删除了（{label} 中的位置：{a.src.path}:{a.src.line}）",
                              "事故记录不删除：写错的内容改正并在 note 中说明"))
    return problems

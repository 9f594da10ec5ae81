"""Campaign rules: where a campaign stands on a day, who has not submitted what it asks for,
what was found and closed in each phase, and the duties that hold only while it runs.

* the phase of a day (seed 001 四、阶段安排): the phase whose first and last days hold it; before
  the first phase the campaign has not started, after the last it has ended;
* a node (seed 002 "实施方案于2022年6月10日前报送…；6月28日前报送阶段性工作开展情况；9月28日前报送工作总结"):
  for each unit it names, the first submission dated on or before the day asked about — on time
  when dated on or before the due day, late after it; none and the due day passed: missing; none
  and not yet due: pending.  A submission dated after the day asked about is not known yet (as of);
* campaign-bound duties (seed 001 "专项行动期间，主要负责人每月要带队…至少开展1次检查"): a duty listed in a
  campaign's ``duties`` holds only between the campaign's first and last days (within its own
  ``from``/``until`` when it has them);
* phase figures: hazards found in each phase (发现日期 within it) and closed in it (销号日期 within it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from anquan_cli.models import Campaign, Duty, Hazard, Submission
from anquan_cli.models.campaign import Node, Phase
from anquan_cli.rules.lookup import Directory

__all__ = ["Standing", "phase_on", "standing", "NodeUnit", "node_units", "with_grid_units", "resolve_node", "duties_in_force",
           "PhaseFigures", "phase_figures", "missing", "STATUS_LABELS", "WORKSPACE_NODES", "campaigns_of",
           "same_unit", "by_node", "counts"]

#: the id of the nodes ``anquan.yaml`` sets itself (``reminders.nodes`` with an ``id``), as one campaign
WORKSPACE_NODES = "本级"

#: a unit's standing on a node, in a heading's words
STATUS_LABELS = {"on_time": "按时报送", "late": "逾期报送", "missing": "逾期未报", "pending": "未到期"}


@dataclass(frozen=True)
class Standing:
    """Where a campaign stands on a day: ``not_started``, ``running`` (in ``phase``, or between
    phases) or ``ended``."""

    state: str
    phase: Phase | None = None

    @property
    def label(self) -> str:
        if self.state == "running":
            return self.phase.name if self.phase is not None else "进行中"
        return {"not_started": "尚未开始", "ended": "已结束"}[self.state]


def phase_on(c: Campaign, day: dt.date) -> Phase | None:
    """The phase that holds ``day``, from its first day (the model's: the day after the phase
    before, or the campaign's first; None: open) through its last."""
    for p in c.phases:
        if (p.start is None or p.start <= day) and day <= p.end:
            return p
    return None


def standing(c: Campaign, day: dt.date) -> Standing:
    first, last = c.first_day, c.last_day
    if first is not None and day < first:
        return Standing("not_started")
    if last is not None and day > last:
        return Standing("ended")
    return Standing("running", phase_on(c, day))


@dataclass(frozen=True)
class NodeUnit:
    """One unit's standing on one node, as of a day."""

    campaign: Campaign
    node: Node
    unit: str
    status: str
    #: the day asked about
    day: dt.date
    submission: Submission | None = None

    @property
    def days_late(self) -> int:
        """Days past the due day: of the submission when late, of the day asked about when missing."""
        end = self.submission.date if self.submission is not None else self.day
        return max(0, (end - self.node.due).days) if self.status in ("late", "missing") else 0


def campaigns_of(ws, today: dt.date) -> list[Campaign]:
    """The workspace's campaigns, and the nodes ``anquan.yaml`` sets itself (``reminders.nodes``
    with an ``id`` and ``units``: seed 000 "于6月20日前报县安委会办公室备案") as one campaign without
    phases, :data:`WORKSPACE_NODES` — their deadline phrases read with their ``year``, else this year's
    (a phrase that cannot be read is ``check``'s ``deadline-unparsed``, and left out here)."""
    from anquan_cli.models._base import Source
    from anquan_cli.models.deadline import DeadlineError, parse_deadline

    nodes = []
    for n in ws.config.reminders.nodes:
        if n.id is None or not n.units:
            continue
        try:
            due = parse_deadline(n.deadline, n.year or today.year).due
        except DeadlineError:
            continue
        if due is not None:
            nodes.append({"id": n.id, "title": n.title, "due": due, "units": list(n.units)})
    if not nodes:
        return with_grid_units(ws.campaigns, ws)
    src = ws.config.__pydantic_private__.get("_src")
    line = src.line_of("reminders") if src is not None else 1
    own = Campaign.model_validate({"id": WORKSPACE_NODES, "title": "anquan.yaml 的报送节点", "nodes": nodes})
    return with_grid_units([*ws.campaigns, own.with_source(Source("anquan.yaml", line))], ws)


def with_grid_units(campaigns: Iterable[Campaign], ws) -> list[Campaign]:
    """The campaigns with a node's ``网格`` / ``网格:CELL`` units read as the enterprises of the grid
    (seed 001 "通知到辖区每一家企业"; :func:`anquan_cli.rules.grid.expand_units`)."""
    from anquan_cli.rules.grid import expand_units

    out = []
    for c in campaigns:
        nodes = [n.model_copy(update={"units": expand_units(list(n.units), ws.cells, ws.units)}) for n in c.nodes]
        out.append(c if all(a.units == b.units for a, b in zip(nodes, c.nodes)) else c.model_copy(update={"nodes": nodes}))
    return out


def resolve_node(text: str, campaigns: Iterable[Campaign]) -> tuple[Campaign, Node] | None:
    """The node a submission names: ``CAMPAIGN:NODE``, or a node id (or title) that exactly one
    campaign has."""
    campaigns = list(campaigns)
    if ":" in text or "：" in text:
        cid, _, nid = text.replace("：", ":").partition(":")
        for c in campaigns:
            if c.id == cid.strip():
                n = c.node(nid.strip())
                return (c, n) if n is not None else None
        return None
    found = [(c, n) for c in campaigns for n in c.nodes if text.strip() in (n.id, n.title)]
    return found[0] if len(found) == 1 else None


def same_unit(directory: Directory, a: str, b: str) -> bool:
    """Whether two names are the same unit: the same directory entry, else the same text."""
    ua, ub = directory.unit(a), directory.unit(b)
    if ua is not None and ub is not None:
        return ua is ub
    return a.strip() == b.strip()


def node_units(campaigns: Iterable[Campaign], submissions: Iterable[Submission], directory: Directory,
               day: dt.date) -> list[NodeUnit]:
    """Every (node, unit) of every campaign with its standing on ``day``."""
    campaigns = list(campaigns)
    by_node: dict[tuple[str, str], list[Submission]] = {}
    for s in submissions:
        if s.date > day:
            continue  # not submitted yet as of the day asked about
        got = resolve_node(s.node, campaigns)
        if got is not None:
            by_node.setdefault((got[0].id, got[1].id), []).append(s)
    out = []
    for c in campaigns:
        for n in c.nodes:
            given = sorted(by_node.get((c.id, n.id), []), key=lambda s: s.date)
            for unit in n.units:
                first = next((s for s in given if same_unit(directory, s.unit, unit)), None)
                if first is not None:
                    status = "on_time" if first.date <= n.due else "late"
                else:
                    status = "missing" if day > n.due else "pending"
                out.append(NodeUnit(c, n, unit, status, day, first))
    return out


def by_node(rows: Iterable[NodeUnit]) -> dict[tuple[str, str], list[NodeUnit]]:
    """The rows of each (campaign, node), in the rows' order."""
    out: dict[tuple[str, str], list[NodeUnit]] = {}
    for r in rows:
        out.setdefault((r.campaign.id, r.node.id), []).append(r)
    return out


def counts(rows: Iterable[NodeUnit]) -> dict[str, int]:
    """How many rows have each standing (every one of :data:`STATUS_LABELS`)."""
    rows = list(rows)
    return {status: sum(1 for r in rows if r.status == status) for status in STATUS_LABELS}


def missing(rows: Iterable[NodeUnit]) -> list[NodeUnit]:
    """The units that have not submitted by the due day (missing), then those that were late."""
    rows = [r for r in rows if r.status in ("missing", "late")]
    return sorted(rows, key=lambda r: (r.status != "missing", r.node.due, r.campaign.id, r.node.id, r.unit))


def duties_in_force(duties: list[Duty], campaigns: Iterable[Campaign]) -> list[Duty]:
    """The duties as they hold: one a campaign lists holds only between the campaign's first
    and last days (within its own ``from``/``until``)."""
    spans: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    for c in campaigns:
        for ident in c.duties:
            spans[ident] = (c.first_day, c.last_day)
    if not spans:
        return duties
    out = []
    for d in duties:
        span = spans.get(d.id)
        if span is None:
            out.append(d)
            continue
        first = max([x for x in (d.valid_from, span[0]) if x is not None], default=None)
        last = min([x for x in (d.until, span[1]) if x is not None], default=None)
        out.append(d if (first, last) == (d.valid_from, d.until) else d.model_copy(update={"valid_from": first, "until": last}))
    return out


@dataclass
class PhaseFigures:
    phase: Phase
    first: dt.date | None
    found: int = 0
    found_major: int = 0
    closed: int = 0
    ids: list[str] = field(default_factory=list)


def phase_figures(c: Campaign, hazards: Iterable[Hazard], day: dt.date) -> list[PhaseFigures]:
    """Hazards found and closed in each phase, up to ``day`` (the hazards as of that day)."""
    from anquan_cli.models import Level

    out = [PhaseFigures(p, p.start) for p in c.phases]
    for h in hazards:
        for f in out:
            inside = (f.first is None or f.first <= h.found) and h.found <= min(f.phase.end, day)
            if inside:
                f.found += 1
                f.found_major += h.level is Level.MAJOR
                f.ids.append(h.id)
            if h.closed is not None and h.closed <= day and (f.first is None or f.first <= h.closed) \
                    and h.closed <= f.phase.end:
                f.closed += 1
    return out

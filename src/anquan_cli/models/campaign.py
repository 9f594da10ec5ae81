"""Campaigns (专项行动), their reporting nodes, and what units submitted for them.

Seed 001 (四、阶段安排): "重大事故隐患排查整治专项行动至12月底结束，共分四个阶段" — 动员部署（2023年5月下旬前）,
企业自查自改和部门帮扶（2023年7月底前）, 精准执法（2023年8-11月）, 巩固提高（2023年12月）; its duties hold
"专项行动期间".  Seed 002 sets the nodes: "实施方案于2022年6月10日前报送市安委会办公室；6月28日前报送阶段性
工作开展情况；9月28日前报送工作总结"; seed 000: "于6月20日前报县安委会办公室备案".

A phase's or a node's day may be written as the notices write it (``2023年7月底前``, ``8-11月``): the
deadline parser (:mod:`anquan_cli.models.deadline`) reads it, a phrase without a year taking the
campaign's.  A node that belongs to no campaign (a one-off 备案) is a campaign record without phases.
"""

from __future__ import annotations

import datetime as dt

from pydantic import AliasChoices, Field, model_validator

from anquan_cli.models._base import Date, Ident, Names, Nested, OptDate, OptText, Record, Text, UnitNames

__all__ = ["Campaign", "Phase", "Node", "Submission", "resolve_day"]


def resolve_day(value: object, year: int | None, end: bool = True) -> object:
    """A day written as a date or as a deadline phrase: the date, the phrase's last day
    (``end``) or first day; anything else as it is (for the field's own validation)."""
    if not isinstance(value, str) or not value.strip():
        return value
    from anquan_cli.models.deadline import DeadlineError, DeadlineKind, parse_deadline
    from anquan_cli.text import parse_date

    try:
        return parse_date(value)
    except ValueError:
        pass
    try:
        d = parse_deadline(value, year=year)
    except DeadlineError as exc:
        raise ValueError(f"读不出日期“{value}”：{exc}") from None
    if d.kind not in (DeadlineKind.DATE, DeadlineKind.DATE_ONGOING, DeadlineKind.PERIOD) or d.end is None:
        raise ValueError(f"“{value}”不是一个日子或时段；写成日期（2023-07-31）或“2023年7月底前”“8-11月”")
    return d.end if end or d.start is None else d.start


class Phase(Nested):
    """One stage of a campaign: ``name``, ``from`` (else the day after the stage before) and
    ``until``."""

    name: Text
    start: OptDate = Field(default=None, validation_alias=AliasChoices("from", "start"))
    end: Date = Field(validation_alias=AliasChoices("until", "end"))


class Node(Nested):
    """A submission the campaign asks for: what, by when, from which units, to whom."""

    id: Ident
    title: Text
    due: Date
    #: the units that must submit (names as in org/units.yaml)
    units: UnitNames = Field(default_factory=list)
    #: where it goes (县安委会办公室)
    to: OptText = None
    note: OptText = None


class Campaign(Record):
    kind_label = "专项行动"
    csv_columns = {
        "id": ("编号",),
        "title": ("名称", "专项行动名称", "标题"),
        "basis": ("文号", "依据"),
        "start": ("from", "开始", "开始日期"),
        "end": ("until", "结束", "结束日期"),
    }
    key_aliases = {"from": "start", "until": "end"}

    id: Ident
    title: Text
    #: the notice that set it up (文号)
    basis: OptText = None
    start: OptDate = None
    end: OptDate = None
    phases: list[Phase] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    #: duties (their ids) that hold only while the campaign runs (专项行动期间)
    duties: Names = Field(default_factory=list)
    note: OptText = None

    @model_validator(mode="before")
    @classmethod
    def _days(cls, data: object) -> object:
        """Phrases read as days: the campaign's own first (its year is the phrases' year),
        then each phase (``from`` missing: the day after the phase before, or the campaign's
        start; a period phrase such as ``8-11月`` gives both ends), then each node's due day."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        start = resolve_day(data.get("start"), None, end=False)
        year = start.year if isinstance(start, dt.date) else None
        end = resolve_day(data.get("end"), year)
        if year is None and isinstance(end, dt.date):
            year = end.year
            start = resolve_day(data.get("start"), year, end=False)
        data["start"], data["end"] = start, end
        if isinstance(data.get("phases"), list):
            phases = []
            before: object = None
            for raw in data["phases"]:
                if not isinstance(raw, dict):
                    phases.append(raw)
                    continue
                raw = dict(raw)
                until = raw.pop("until", raw.pop("end", None))
                since = raw.pop("from", raw.pop("start", None))
                last = resolve_day(until, year)
                if since is not None:
                    first = resolve_day(since, year, end=False)
                elif isinstance(until, str) and resolve_day(until, year, end=False) != last:
                    first = resolve_day(until, year, end=False)  # a period: 2023年8-11月
                elif isinstance(before, dt.date):
                    first = before + dt.timedelta(days=1)
                else:
                    first = start if isinstance(start, dt.date) else None
                raw["start"], raw["end"] = first, last
                before = last
                phases.append(raw)
            data["phases"] = phases
        if isinstance(data.get("nodes"), list):
            data["nodes"] = [{**raw, "due": resolve_day(raw.get("due"), year)} if isinstance(raw, dict) else raw
                             for raw in data["nodes"]]
        return data

    @model_validator(mode="after")
    def _ordered(self):
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"结束日期 {self.end} 早于开始日期 {self.start}")
        for p in self.phases:
            if p.start is not None and p.end < p.start:
                raise ValueError(f"阶段“{p.name}”的结束日期 {p.end} 早于开始日期 {p.start}")
        seen: set[str] = set()
        for n in self.nodes:
            if n.id in seen:
                raise ValueError(f"报送节点编号 {n.id} 出现了两次")
            seen.add(n.id)
        return self

    @property
    def first_day(self) -> dt.date | None:
        """The campaign's first day: its own, else its first phase's (None: open at the start —
        never a later phase's, which would move the earlier phases out of it)."""
        return self.start or (self.phases[0].start if self.phases else None)

    @property
    def last_day(self) -> dt.date | None:
        """The campaign's last day: its own, else its last phase's."""
        days = [self.end] if self.end else [p.end for p in self.phases]
        return max(days) if days else None

    def node(self, ident: str) -> Node | None:
        return next((n for n in self.nodes if n.id == ident), None)


class Submission(Record):
    """What a unit submitted for a node (实施方案、阶段性情况、工作总结、备案材料), and when."""

    kind_label = "报送记录"
    csv_columns = {
        "node": ("节点", "报送节点", "报送事项"),
        "unit": ("单位", "报送单位"),
        "date": ("日期", "报送日期"),
        "document": ("文号", "文件", "材料"),
        "by": ("报送人", "经办人"),
        "note": ("备注",),
    }

    #: ``CAMPAIGN:NODE``, or a node id no other campaign uses
    node: Text
    unit: Text
    date: Date
    document: OptText = None
    by: OptText = None
    note: OptText = None

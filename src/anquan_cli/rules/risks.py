"""Rules of the major-risk register (风险分级管控): gaps in the control of a risk, its review, and
what the hazards that arose from it say of it.  Pure: records and settings in, values out.

Each gap names its clause:

* ``measures-missing`` — 002 (十八) "明确管控责任和措施"; 000 二（五） "从组织、制度、技术、应急等方面……分类分级
  管控": a risk of a controlled grade (``settings.risks.controlled``: 重大, 较大) with no measure;
* ``measure-owner-missing`` / ``measure-level-missing`` — the same clause: a measure of such a risk without
  the person answerable for it, or without the level (企业/车间/班组/岗位, 县/乡/村) that controls it;
* ``guarantor-missing`` — 000 二（五） "由县政府、乡镇人民政府领导班子成员根据职责分工进行分类包保": such a risk
  without its 包保人;
* ``not-listed`` / ``listed-by-other`` — 002 (十七) "对尾矿库、群租房、客车客船等存在的可能造成群死群伤的重大风险
  隐患，由市安委会挂牌督办": a 重大 risk with ``mass_casualty`` not listed (body and day), or listed by another
  body than ``settings.risks.listing_body``;
* ``review-missing`` / ``review-overdue`` — 002 (五) "组织定期研判重大安全风险": a risk of a controlled grade
  never assessed again, or not within ``settings.risks.review_days`` of the last time (the last of those
  days still in time).

A risk with an open hazard that arose from it (``hazards``) is *raised*: it heads the register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from anquan_cli.models.config import RiskSettings
from anquan_cli.models.risk import Risk, RiskGrade
from anquan_cli.text import fold

__all__ = ["Gap", "RULES", "controlled", "review_due", "gaps", "open_hazards", "register_order"]

#: gap rule → what it says, in a heading's words
RULES = {
    "measures-missing": "未明确管控措施",
    "measure-owner-missing": "管控措施未落实到责任人",
    "measure-level-missing": "管控措施未明确管控层级",
    "guarantor-missing": "未明确包保人",
    "not-listed": "可能群死群伤的重大风险未挂牌督办",
    "listed-by-other": "挂牌督办单位不符",
    "review-missing": "未开展复核评估",
    "review-overdue": "复核评估逾期",
}


@dataclass(frozen=True)
class Gap:
    rule: str
    risk: str
    message: str
    file: str
    line: int

    def as_json(self) -> dict:
        return {"rule": self.rule, "rule_label": RULES[self.rule], "risk": self.risk, "message": self.message,
                "file": self.file, "line": self.line}


def controlled(r: Risk, s: RiskSettings) -> bool:
    """Whether the risk's grade is one whose control the rules hold (重大, 较大 by default)."""
    return r.grade in s.controlled


def review_due(r: Risk, s: RiskSettings) -> dt.date | None:
    """The last day the next review is in time (None: never reviewed)."""
    return r.reviewed + dt.timedelta(days=s.review_days) if r.reviewed is not None else None


def gaps(risks: Iterable[Risk], today: dt.date, s: RiskSettings) -> list[Gap]:
    """Every gap of the register on ``today``, in the order of the risks and of :data:`RULES`."""
    out: list[Gap] = []
    for r in risks:
        src = r.src
        if controlled(r, s):
            what = f"{r.grade.label}风险 {r.id} {r.title}"
            if not r.measures:
                out.append(Gap("measures-missing", r.id, f"{what}没有管控措施", src.path, src.line_of("grade")))
            for i, m in enumerate(r.measures):
                line = src.line_of("measures", i)
                if not m.owner:
                    out.append(Gap("measure-owner-missing", r.id, f"{what}的措施“{m.text}”没有责任人", src.path, line))
                if m.level is None:
                    out.append(Gap("measure-level-missing", r.id, f"{what}的措施“{m.text}”没有管控层级", src.path, line))
            if not r.guarantor:
                out.append(Gap("guarantor-missing", r.id, f"{what}没有包保人", src.path, src.line))
        if r.grade is RiskGrade.MAJOR and r.mass_casualty:
            listing = r.listing
            if listing is None or not listing.by or listing.date is None or listing.date > today:
                out.append(Gap("not-listed", r.id, f"重大风险 {r.id} {r.title}可能造成群死群伤，尚未挂牌督办"
                               + (f"（应由{s.listing_body}挂牌）" if s.listing_body else ""),
                               src.path, src.line_of("mass_casualty")))
            elif s.listing_body and fold(listing.by) != fold(s.listing_body):
                out.append(Gap("listed-by-other", r.id, f"重大风险 {r.id} 由{listing.by}挂牌督办，应由{s.listing_body}",
                               src.path, src.line_of("listing")))
        if controlled(r, s):
            due = review_due(r, s)
            if due is None:
                out.append(Gap("review-missing", r.id, f"{r.grade.label}风险 {r.id} {r.title}没有复核评估日期",
                               src.path, src.line))
            elif today > due:
                out.append(Gap("review-overdue", r.id, f"{r.grade.label}风险 {r.id} {r.title}上次复核评估在 {r.reviewed}，"
                               f"应于 {due} 前再次评估（已逾期 {(today - due).days} 天）", src.path, src.line_of("reviewed")))
    return out


def open_hazards(r: Risk, open_ids: set[str]) -> list[str]:
    """The risk's hazards still open (not closed) on the day ``open_ids`` was taken."""
    return [h for h in r.hazards if h in open_ids]


def register_order(r: Risk, open_ids: set[str]) -> tuple:
    """The register's order: raised risks (an open hazard arose from them) first, then by grade
    (重大 first), then by id."""
    return (not open_hazards(r, open_ids), r.grade.rank, r.id)

"""巡查 and 考核 of a lower level (seed 002 (六): "县级以上政府每年要对下级政府至少进行 1 次安全生产巡查和考核……将巡查
考核结果作为……考核、奖惩和使用的重要参考"; 分工表 16).  The rules live in :mod:`anquan_cli.rules.patrols`."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from anquan_cli.models._base import Date, Ident, Names, OptDate, OptText, Record, Text, Vocab

__all__ = ["PatrolKind", "Patrol"]


class PatrolKind(Vocab, what="巡查考核类型"):
    PATROL = ("patrol", "巡查", "安全生产巡查")
    ASSESSMENT = ("assessment", "考核", "安全生产考核", "目标责任考核")


def _score(v):
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, str):
        from anquan_cli.text import nfkc

        v = nfkc(v).strip().removesuffix("分")
    return v


class Patrol(Record):
    kind_label = "巡查考核"
    csv_columns = {
        "id": ("编号",),
        "date": ("日期", "巡查日期", "考核日期"),
        "target": ("对象", "被巡查单位", "被考核单位", "单位"),
        "by": ("组织单位", "巡查组", "考核组"),
        "kind": ("类型", "巡查考核"),
        "score": ("得分", "考核得分", "分数"),
        "findings": ("发现问题", "问题", "隐患编号"),
        "rectified": ("整改完成日期", "整改日期"),
        "note": ("备注",),
    }

    id: Ident
    date: Date
    #: the township or department patrolled or assessed
    target: Text
    by: OptText = None
    kind: Annotated[PatrolKind, BeforeValidator(PatrolKind.parse)]
    #: 考核得分, 0–100
    score: Annotated[float | None, BeforeValidator(_score), Field(ge=0, le=100)] = None
    #: what was found: text, or the ids of hazards in the ledger
    findings: Names = Field(default_factory=list)
    #: the day the findings were rectified
    rectified: OptDate = None
    note: OptText = None

"""The major-risk register (重大安全风险数据库, 双重预防's 风险分级管控): one record per risk.

Seed 000 二（五）: "督促责任单位根据安全风险类别和等级建立重大安全风险数据库……对重大公共安全风险和自然灾害重大
风险进行分类分级管控", the risks guaranteed by government leaders; seed 002 (十七): "对尾矿库、群租房、客车客船等存在的
可能造成群死群伤的重大风险隐患，由市安委会挂牌督办", (十八) "督促企业建立健全风险分级管控和隐患排查治理双重预防机制
……明确管控责任和措施"; seed 004 三（二）: "建立安全风险清单，绘制安全风险空间分布图……对风险按危害程度分级".
Grades are the four of 风险分级管控 (重大/较大/一般/低, shown red/orange/yellow/blue).  The rules live in
:mod:`anquan_cli.rules.risks`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from anquan_cli.models._base import Flag, Ident, Names, Nested, OptDate, OptText, Record, Text, Vocab
from anquan_cli.models.hazard import Listing, parse_listing_cell, parse_pair_groups

__all__ = ["RiskGrade", "Colour", "ControlLevel", "RiskMeasure", "Risk", "MEASURE_KEYS"]


class Colour(Vocab, what="风险颜色"):
    RED = ("red", "红", "红色")
    ORANGE = ("orange", "橙", "橙色")
    YELLOW = ("yellow", "黄", "黄色")
    BLUE = ("blue", "蓝", "蓝色")


class RiskGrade(Vocab, what="风险等级"):
    """Highest first; a colour is another word for its grade (``grade: 红`` is 重大)."""

    MAJOR = ("major", "重大", "重大风险", "红", "红色")
    LARGER = ("larger", "较大", "较大风险", "橙", "橙色")
    GENERAL = ("general", "一般", "一般风险", "黄", "黄色")
    LOW = ("low", "低", "低风险", "蓝", "蓝色")

    @property
    def colour(self) -> Colour:
        return list(Colour)[list(RiskGrade).index(self)]

    @property
    def rank(self) -> int:
        """0 for 重大 … 3 for 低 (sorting: the gravest first)."""
        return list(RiskGrade).index(self)


class ControlLevel(Vocab, what="管控层级"):
    """Who controls a measure: the enterprise's four levels, or the government's three."""

    ENTERPRISE = ("enterprise", "企业", "公司", "企业级")
    WORKSHOP = ("workshop", "车间", "车间级", "部门")
    TEAM = ("team", "班组", "班组级")
    POST = ("post", "岗位", "岗位级")
    COUNTY = ("county", "县", "县级")
    TOWNSHIP = ("township", "乡", "乡镇", "镇", "乡级", "乡镇级")
    VILLAGE = ("village", "村", "村级", "社区")


#: the words of one measure in a CSV cell (``措施=「…」 责任人=张三 层级=企业；措施=…``)
MEASURE_KEYS: dict[str, tuple[str, ...]] = {
    "text": ("措施", "管控措施", "text"), "owner": ("责任人", "管控责任人", "owner"),
    "level": ("层级", "管控层级", "level"),
}


def _measure_bare(word: str, so_far: dict) -> str | None:
    return "text" if "text" not in so_far else None


def _to_measures(v):
    if isinstance(v, str):
        return parse_pair_groups(v, MEASURE_KEYS, "管控措施", "措施=「……」 责任人=姓名 层级=企业", _measure_bare)
    return v


def _to_listing(v):
    return parse_listing_cell(v) if isinstance(v, str) else v


class RiskMeasure(Nested):
    """One control measure (管控措施) with the person answerable for it and the level that controls it."""

    text: Text
    owner: OptText = None
    level: Annotated[ControlLevel | None, BeforeValidator(ControlLevel.parse)] = None


class Risk(Record):
    kind_label = "风险"
    csv_columns = {
        "id": ("风险编号", "编号"),
        "title": ("风险名称", "风险点", "风险点名称", "名称"),
        "unit": ("单位", "单位名称", "企业名称", "责任单位"),
        "township": ("乡镇", "所属乡镇", "属地"),
        "sector": ("行业领域", "行业"),
        "place": ("位置", "部位", "地点", "所在位置"),
        "category": ("风险类别", "类别", "类型"),
        "grade": ("风险等级", "等级", "风险级别", "颜色"),
        "mass_casualty": ("可能群死群伤", "群死群伤"),
        "measures": ("管控措施", "措施"),
        "guarantor": ("包保人", "包保责任人"),
        "listing": ("挂牌督办", "挂牌督办情况"),
        "reviewed": ("复核日期", "评估日期", "最近评估"),
        "hazards": ("隐患编号", "相关隐患"),
        "note": ("备注",),
    }

    id: Ident
    title: Text
    unit: OptText = None
    township: OptText = None
    sector: OptText = None
    place: OptText = None
    #: 尾矿库、群租房、客车客船、危化品储存、有限空间……
    category: OptText = None
    grade: Annotated[RiskGrade, BeforeValidator(RiskGrade.parse)]
    #: 可能造成群死群伤 (seed 002): a 重大 one must be listed
    mass_casualty: Flag = False
    measures: Annotated[list[RiskMeasure], BeforeValidator(_to_measures)] = Field(default_factory=list)
    #: 包保人 (seed 000 二（五）: a leader of the county or township government)
    guarantor: OptText = None
    listing: Annotated[Listing | None, BeforeValidator(_to_listing)] = None
    #: the last day the risk was assessed again (辨识评估)
    reviewed: OptDate = None
    #: hazards that arose from this risk
    hazards: Names = Field(default_factory=list)
    note: OptText = None

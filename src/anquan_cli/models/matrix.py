"""The responsibility matrix (包保责任清单) of seed 000: seven kinds of guarantee, each
entry naming a guarantor (包保人), responsible persons (责任人), what is guaranteed and
the standard it is held to."""

from __future__ import annotations

from pydantic import Field

from anquan_cli.models._base import Ident, Names, OptText, Record, UnitNames, Vocab, vocab


class GuaranteeKind(Vocab, what="包保类型"):
    KEY_ENTERPRISE = ("key_enterprise", "重点企业", "包保重点企业安全生产", "包保重点企业")
    GENERAL_HAZARD = ("general_hazard", "一般事故隐患", "包保一般事故隐患彻底清零", "一般隐患")
    MAJOR_HAZARD = ("major_hazard", "重大事故隐患", "包保重大事故隐患治理销号", "重大隐患")
    HIGHER_INSPECTION = ("higher_inspection", "上级检查发现问题",
                         "包保上级机关检查发现问题隐患整改销号", "上级督查问题")
    PUBLIC_RISK = ("public_risk", "重大公共安全风险", "包保重大公共安全风险辨识管控", "公共安全风险")
    ILLEGAL_ACTIVITY = ("illegal_activity", "严重非法违法行为", "包保严重非法违法行为打击取缔",
                        "打非治违")
    SECTOR = ("sector", "行业领域", "包保行业领域安全生产")

    @property
    def standard(self) -> str:
        """The 包保标准 seed 000 sets for this kind."""
        return _STANDARDS[self.value]


_STANDARDS = {
    "key_enterprise": "规范管理、杜绝事故",
    "general_hazard": "立查立改、及时清零",
    "major_hazard": "100%按标整改、100%限期完成",
    "higher_inspection": "立行立改、闭环管理",
    "public_risk": "盯紧盯牢、管控到位",
    "illegal_activity": "铁腕治理、除恶务尽",
    "sector": "各司其职，各负其责",
}


class MatrixEntry(Record):
    """One guarantee: who guarantees what, who is responsible, to which standard.

    ``targets`` are what is guaranteed: enterprise names (key_enterprise), hazard ids
    (hazard kinds; empty means every such hazard in ``township``), sector names (sector),
    or descriptions of risks and illegal activity.
    """

    kind_label = "包保责任"
    csv_columns = {
        "id": ("编号", "序号"),
        "kind": ("包保类型", "类型"),
        "guarantor": ("包保人", "包保领导"),
        "responsible": ("责任人",),
        "responsible_units": ("责任单位",),
        "targets": ("包保对象", "对象"),
        "township": ("乡镇", "范围", "包保范围"),
        "standard": ("包保标准", "标准"),
        "note": ("备注", "包保内容"),
    }

    id: Ident
    kind: vocab(GuaranteeKind)
    guarantor: str
    responsible: Names = Field(default_factory=list)
    responsible_units: UnitNames = Field(default_factory=list)
    targets: UnitNames = Field(default_factory=list)
    township: OptText = None
    standard: OptText = None
    note: OptText = None

    @property
    def effective_standard(self) -> str:
        return self.standard or self.kind.standard

"""Organisation: units (乡镇、部门/站所、村、企业) and people.

Every assignee named anywhere in the workspace must resolve to a person here (by id or by
a unique name); every unit, township and sector named on a record should resolve to a
unit here or to the sector vocabulary.
"""

from __future__ import annotations

import re

from pydantic import Field

from anquan_cli.models._base import Flag, Ident, Names, OptText, Record, Text, Vocab, vocab


class UnitKind(Vocab, what="单位类型"):
    TOWNSHIP = ("township", "乡镇", "乡镇街道", "街道", "镇", "乡")
    DEPARTMENT = ("department", "部门", "站所", "部门站所", "单位")
    VILLAGE = ("village", "村", "社区", "村居")
    ENTERPRISE = ("enterprise", "企业", "生产经营单位")


class Grade(Vocab, what="分级分类监管等级"):
    """分级分类监管 grade (seed 004): A, B, C, D."""

    A = ("A", "A", "A级", "a")
    B = ("B", "B", "B级", "b")
    C = ("C", "C", "C级", "c")
    D = ("D", "D", "D级", "d")


class Jurisdiction(Vocab, what="管辖层级"):
    """Whose list an enterprise is on (seed 002: "确定各级管辖企业名单")."""

    CITY = ("city", "市", "市级", "市管")
    COUNTY = ("county", "县", "县级", "县管", "区")
    TOWNSHIP = ("township", "乡镇", "乡", "镇", "乡镇级", "乡管")


class Unit(Record):
    """A township, department/station, village or enterprise.

    ``org/units.yaml`` groups them under ``townships``, ``departments``, ``villages`` and
    ``enterprises``; the section gives ``kind``.
    """

    kind_label = "单位"
    csv_columns = {
        "id": ("单位编号", "编号"),
        "name": ("单位名称", "企业名称", "名称"),
        "kind": ("类型", "单位类型"),
        "township": ("所属乡镇", "乡镇", "乡镇街道"),
        "village": ("所属村", "村"),
        "sector": ("行业领域", "行业"),
        "grade": ("监管等级", "分级分类", "等级"),
        "key": ("重点企业", "是否重点企业"),
        "sectors": ("牵头行业领域", "负责行业领域"),
        "aliases": ("简称", "别名"),
        "legal_rep": ("法定代表人", "主要负责人"),
        "regulator": ("监管部门", "行业监管部门"),
        "regulator_person": ("监管人员", "监管责任人"),
        "jurisdiction": ("管辖层级", "管辖"),
        "key_inspection": ("重点检查企业", "重点检查"),
        "grid": ("网格", "所属网格", "网格编号"),
        "note": ("备注",),
    }

    id: Ident | None = None
    name: Text
    kind: vocab(UnitKind)
    township: OptText = None
    village: OptText = None
    #: an enterprise's sector (行业领域)
    sector: OptText = None
    grade: vocab(Grade) | None = None
    #: 重点企业 (seed 000: key enterprises are guaranteed by leaders)
    key: Flag = False
    #: a department/station's lead sectors (seed 001: 应急站牵头负责非煤矿山、危险化学品 …)
    sectors: Names = Field(default_factory=list)
    aliases: Names = Field(default_factory=list)
    legal_rep: OptText = None
    #: seed 004 "做到所有生产经营单位监管部门清楚、监管人员明确": the department and the person
    regulator: OptText = None
    regulator_person: OptText = None
    #: 市/县/乡镇 管辖 (seed 002 "确定各级管辖企业名单")
    jurisdiction: vocab(Jurisdiction) | None = None
    #: 重点检查企业 (seed 002 "建立重点检查企业和重点执法事项清单")
    key_inspection: Flag = False
    #: the grid cell it belongs to (seed 004 "县、乡、村、企"四级网格)
    grid: OptText = None
    note: OptText = None


#: name@domain.tld, ASCII or Chinese, nothing that could inject a header or a second address
EMAIL = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+\.[^@\s<>,;:\"()\[\]\\.]+")


class Person(Record):
    """Someone who can be named as owner, guarantor, responsible person or duty holder.

    ``roles`` are the duty holders the person counts as (党委主要负责人, 政府主要负责人,
    政府分管领导 …), so a duty written for a role applies to everyone holding it.
    """

    kind_label = "人员"
    csv_columns = {
        "id": ("人员编号", "编号", "工号"),
        "name": ("姓名", "名字"),
        "title": ("职务", "职位"),
        "unit": ("单位", "所在单位", "工作单位"),
        "phone": ("电话", "手机", "联系电话", "手机号"),
        "email": ("邮箱", "电子邮箱", "email"),
        "roles": ("角色", "履职角色"),
    }

    id: Ident
    name: Text
    title: OptText = None
    unit: OptText = None
    phone: OptText = None
    #: checked by ``anquan check`` (email-invalid), not here: a typo in an address must not
    #: make the person unknown to every record naming them
    email: OptText = None
    roles: Names = Field(default_factory=list)

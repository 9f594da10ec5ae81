"""Enforcement (执法): inspections, penalty decisions, 停产整顿, 约谈, 曝光, 联合惩戒, 黑名单, 移送.

Seed 003: "对发现的重大事故隐患必须依据法律法规进行处罚，不得以责令限期整改等措施代替处罚；对未按期按规定
完成整改的必须依法进行处罚", "对违法行为不构成处罚的一般隐患和现场整改隐患要启动约谈程序"; seed 001: "定期
通报一批、约谈一批、联合惩戒一批、停产整顿一批", "一案双罚"; seed 002: "不得…只检查不处罚、以责令改正代替
行政处罚", "执法处罚量化评比".  One record per action; the rules that tie them to hazards live in
:mod:`anquan_cli.rules.enforcement`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from anquan_cli.models._base import Date, Ident, Names, OptDate, OptText, Record, Text, Vocab, vocab
from anquan_cli.models.accident import Money
from anquan_cli.text import split_names


class ActionType(Vocab, what="执法记录类型"):
    INSPECTION = ("inspection", "检查", "执法检查")
    PENALTY = ("penalty", "处罚", "行政处罚", "处罚决定")
    SUSPENSION = ("suspension", "停产整顿", "停产停业整顿")
    INTERVIEW = ("interview", "约谈")
    EXPOSURE = ("exposure", "曝光", "公开曝光")
    JOINT = ("joint", "联合惩戒")
    BLACKLIST = ("blacklist", "黑名单", "纳入黑名单")
    REFERRAL = ("referral", "移送", "移交")


class InspectionMode(Vocab, what="检查方式"):
    ROUTINE = ("routine", "日常", "日常检查")
    SPECIAL = ("special", "专项", "专项检查")
    RANDOM = ("random", "双随机", "双随机一公开")
    UNANNOUNCED = ("unannounced", "暗查暗访", "暗访")
    JOINT = ("joint", "联合", "联合检查", "联合执法")


class Measure(Vocab, what="处罚种类"):
    WARNING = ("warning", "警告")
    FINE = ("fine", "罚款")
    CONFISCATION = ("confiscation", "没收违法所得", "没收")
    SUSPENSION = ("suspension", "责令停产停业整顿", "停产停业整顿", "停产整顿")
    LICENSE = ("license", "暂扣或吊销许可证", "暂扣许可证", "吊销许可证", "暂扣或者吊销有关许可证")
    CLOSURE = ("closure", "关闭取缔", "关闭", "取缔")


def _to_measures(v):
    if isinstance(v, str):
        return split_names(v)
    return v


class Enforcement(Record):
    kind_label = "执法记录"
    csv_columns = {
        "id": ("编号", "记录编号"),
        "type": ("类型", "执法类型", "记录类型"),
        "date": ("日期", "执法日期", "检查日期", "决定日期"),
        "unit": ("被检查单位", "当事单位", "单位名称", "单位"),
        "by": ("执法部门", "实施部门", "检查部门", "部门"),
        "inspectors": ("执法人员", "检查人员"),
        "mode": ("检查方式", "方式"),
        "number": ("文号", "决定书文号", "处罚决定书文号"),
        "person": ("处罚责任人", "主要负责人", "负责人"),
        "measures": ("处罚种类", "处罚措施"),
        "amount": ("罚款金额", "罚款（万元）", "金额"),
        "basis": ("处罚依据", "依据"),
        "from_": ("停产开始", "起始日期"),
        "until": ("截止日期", "停产截止", "至"),
        "resumed": ("复产日期", "恢复生产日期"),
        "accepted": ("复产验收日期", "验收日期"),
        "to": ("移送机关", "移送单位"),
        "hazards": ("相关隐患", "隐患编号"),
        "note": ("备注", "情况说明"),
    }
    key_aliases = {"from": "from_"}

    id: Ident
    type: vocab(ActionType)
    date: Date
    unit: Text
    #: the department that acted (应急管理局、住建局 …)
    by: Text
    hazards: Names = Field(default_factory=list)
    note: OptText = None
    # 检查
    inspectors: Names = Field(default_factory=list)
    mode: vocab(InspectionMode) | None = None
    # 处罚
    number: OptText = None
    #: the principal punished with the unit (一案双罚); empty: the decision is on the unit
    person: OptText = None
    measures: Annotated[list[vocab(Measure)], BeforeValidator(_to_measures)] = Field(default_factory=list)
    #: the fine, 万元
    amount: Money = None
    basis: OptText = None
    # 停产整顿 (and 黑名单's until)
    #: ``from`` in YAML
    from_: OptDate = None
    until: OptDate = None
    #: production resumed on, after the acceptance (``accepted``)
    resumed: OptDate = None
    accepted: OptDate = None
    # 移送
    to: OptText = None

    @model_validator(mode="after")
    def _by_type(self):
        t = self.type
        if t is ActionType.PENALTY:
            if not self.measures:
                raise ValueError("处罚记录应写明处罚种类 measures（警告、罚款、责令停产停业整顿……）")
            if Measure.FINE in self.measures and self.amount is None:
                raise ValueError("处罚种类有罚款，应写明罚款金额 amount（万元）")
        if t is ActionType.SUSPENSION and self.from_ is None:
            raise ValueError("停产整顿记录应写明开始日期 from")
        if t is ActionType.REFERRAL and not self.to:
            raise ValueError("移送记录应写明移送机关 to（公安、纪检监察、检察院……）")
        if self.until is not None and self.from_ is not None and self.until < self.from_:
            raise ValueError("until 早于 from")
        if self.resumed is not None and self.from_ is not None and self.resumed < self.from_:
            raise ValueError("复产日期 resumed 早于停产开始日期 from")
        return self

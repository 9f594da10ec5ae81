"""Recurring duties (履职) and the activity log that shows they were done.

Seeds 002/003/004 state duties as "每季度至少组织召开1次党委常委会", "每季度至少带队督促检查1次",
"市县两级部门分别每2个月、每月至少组织检查1次", "每半年听取一次", "每年至少开展1次演练（高危行业
每半年至少1次）", "重点敏感时期要加密检查频次".  A duty is an assertion checked against the log.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from anquan_cli.models._base import Date, Flag, Ident, Names, Nested, OptDate, OptText, Record, Text, UnitNames, Vocab, vocab

#: the holders the seeds' duties name, as roles of org/people.yaml: 002 （三）（四） "各级党委主要负责人",
#: "党委常委会其他成员", "各级政府主要负责人", "各级政府其他领导干部"; 002 （七） the heads of "负有安全生产
#: 监督管理职责的部门"; 001 一（一） "企业主要负责人".  A duty held by one of them while nobody holds it yet is
#: a gap to fill (``holder-vacant``), not a misspelt holder (``holder-unknown``).
STANDARD_ROLES = ("党委主要负责人", "党委常委会其他成员", "政府主要负责人", "政府其他领导干部", "部门主要负责人",
                  "企业主要负责人")


class Period(Vocab, what="周期"):
    WEEK = ("week", "每周", "周")
    MONTH = ("month", "每月", "月")
    TWO_MONTHS = ("2months", "每2个月", "每两个月", "两个月", "双月")
    QUARTER = ("quarter", "每季度", "季度", "季")
    HALF_YEAR = ("half_year", "每半年", "半年")
    YEAR = ("year", "每年", "年", "年度")


class ActivityKind(Vocab, what="活动类型"):
    """What was held.  Seed 001's 周调度、月小结、季通报、年总结 and seed 002's 巡查、考核 are kinds
    of their own: an ordinary inspection is not the yearly 巡查 of a lower level, and a monthly
    小结 is not the quarter's 通报."""

    MEETING = ("meeting", "会议", "专题会议", "常委会", "常务会议", "安委会会议")
    INSPECTION = ("inspection", "检查", "带队检查", "督促检查", "执法检查")
    SUPERVISION = ("supervision", "督导", "督导检查", "指导检查", "帮扶")
    PATROL = ("patrol", "巡查", "安全生产巡查")
    ASSESSMENT = ("assessment", "考核", "巡查考核", "安全生产考核")
    RESEARCH = ("research", "研究", "专题研究", "研究部署")
    DISPATCH = ("dispatch", "调度", "周调度", "工作调度")
    SUMMARY = ("summary", "小结", "月小结")
    BULLETIN = ("bulletin", "通报", "季通报", "季度通报")
    ANNUAL = ("annual_summary", "总结", "年总结", "年度总结", "工作总结")
    TRAINING = ("training", "培训", "专题培训", "教育培训")
    DRILL = ("drill", "演练", "应急演练", "救援演练")
    STUDY = ("study", "学习", "集中学习", "中心组学习")
    REPORT = ("report", "汇报", "工作汇报")
    HEARING = ("hearing", "听取汇报", "听取")
    OTHER = ("other", "其他")


class Override(Nested):
    """A stricter frequency under a condition: "高危行业领域企业每半年至少1次"."""

    sectors: UnitNames = Field(min_length=1)
    period: vocab(Period)
    min: int = Field(ge=1, le=1000)
    note: OptText = None


class SensitivePeriod(Nested):
    """重点敏感时期: between ``start`` and ``end`` at least ``min`` activities are expected."""

    start: Date
    end: Date
    min: int = Field(ge=1, le=1000)
    note: OptText = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError("敏感时期的结束日期早于开始日期")
        return self


class Duty(Record):
    kind_label = "履职要求"
    csv_columns = {
        "id": ("编号",),
        "holder": ("履职主体", "责任人", "角色"),
        "action": ("履职内容", "要求"),
        "activity": ("活动类型", "类型"),
        "period": ("周期", "频次"),
        "min": ("最少次数", "次数"),
        "basis": ("依据", "文件依据"),
        "note": ("备注",),
    }

    key_aliases = {"from": "valid_from"}

    id: Ident
    #: a role that people hold (see ``roles`` in org/people.yaml), one person, or a body (a
    #: unit of org/units.yaml: 县政府, 镇应急站) whose activities are those it held
    holder: Text
    action: Text
    activity: vocab(ActivityKind)
    period: vocab(Period)
    min: int = Field(default=1, ge=1, le=1000)
    #: "exactly": more than ``max`` in a window is reported (每半年听取一次: min 1, max 1)
    max: int | None = Field(default=None, ge=1, le=1000)
    #: words an activity's title must contain to count (会议 of 常委会 vs 政府常务会议)
    keywords: Names = Field(default_factory=list)
    #: an activity that counts here may also count for other duties (default: one duty each)
    shared: Flag = False
    #: the duty holds only between these days (专项行动期间), ``from``/``until`` in YAML
    valid_from: OptDate = None
    until: OptDate = None
    #: only holders at this level (a township's own rule does not bind the county secretary)
    scope: OptText = None
    basis: OptText = None
    overrides: list[Override] = Field(default_factory=list)
    sensitive: list[SensitivePeriod] = Field(default_factory=list)
    note: OptText = None

    @model_validator(mode="after")
    def _bounds(self):
        if self.max is not None and self.max < self.min:
            raise ValueError(f"max（{self.max}）不能小于 min（{self.min}）")
        if self.valid_from and self.until and self.until < self.valid_from:
            raise ValueError("until 早于 from")
        if self.scope is not None:
            from anquan_cli.models.config import JurisdictionLevel

            JurisdictionLevel.parse(self.scope)
        return self


class Activity(Record):
    """A meeting, inspection, training, drill or study session that was held."""

    kind_label = "活动"
    csv_columns = {
        "id": ("编号", "序号"),
        "duty": ("履职要求", "履职要求编号"),
        "date": ("日期", "时间", "活动日期"),
        "kind": ("类型", "活动类型"),
        "held_by": ("组织人", "带队领导", "主持人", "组织者"),
        "title": ("内容", "主题", "活动内容", "会议名称"),
        "participants": ("参加人员", "参会人员", "参加人"),
        "unit": ("单位", "检查单位", "被检查单位"),
        "note": ("备注",),
    }

    id: Ident | None = None
    date: Date
    kind: vocab(ActivityKind)
    held_by: Text
    title: Text
    participants: Names = Field(default_factory=list)
    unit: OptText = None
    #: the duty this activity fulfils (LZ-01), when it must be said which
    duty: OptText = None
    note: OptText = None

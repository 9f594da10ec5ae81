"""``anquan.yaml``: what the workspace is and the settings its rules use."""

from __future__ import annotations

from pydantic import Field

from anquan_cli.models._base import Names, OptText, Record, Text, Vocab, vocab


class JurisdictionLevel(Vocab, what="行政层级"):
    PROVINCE = ("province", "省", "自治区", "省级")
    CITY = ("city", "市", "地区", "州", "盟", "市级")
    COUNTY = ("county", "县", "区", "县级", "县（市、区）", "旗")
    TOWNSHIP = ("township", "乡镇", "乡", "镇", "街道", "乡镇级")


class Settings(Record):
    kind_label = "设置"

    #: seed 000: a general hazard not rectified within this many days after it was found is
    #: escalated and supervised by the county government as a major hazard
    escalation_days: int = Field(default=15, ge=1)
    #: the authority that supervises escalated hazards (default: "<jurisdiction>人民政府")
    escalation_supervisor: OptText = None


class WorkspaceConfig(Record):
    kind_label = "工作区设置"

    jurisdiction: Text
    level: vocab(JurisdictionLevel)
    settings: Settings = Field(default_factory=Settings)
    #: sectors used in this jurisdiction in addition to the built-in list
    sectors: Names = Field(default_factory=list)

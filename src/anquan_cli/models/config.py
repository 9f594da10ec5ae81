"""``anquan.yaml``: what the workspace is and the settings its rules use."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from anquan_cli.models._base import Flag, Ident, Names, Nested, OptText, Record, Text, UnitNames, Vocab, vocab
from anquan_cli.models.duty import Period
from anquan_cli.models.matrix import GuaranteeKind
from anquan_cli.models.org import Grade
from anquan_cli.models.risk import RiskGrade


class JurisdictionLevel(Vocab, what="行政层级"):
    PROVINCE = ("province", "省", "自治区", "省级")
    CITY = ("city", "市", "地区", "州", "盟", "市级")
    COUNTY = ("county", "县", "区", "县级", "县（市、区）", "旗")
    TOWNSHIP = ("township", "乡镇", "乡", "镇", "街道", "乡镇级")


class AccidentSettings(Nested):
    #: 条例第三条 counts the missing with the dead ("死亡（含失踪）"); false counts only the dead
    missing_as_deaths: Flag = True


class EnforcementSettings(Nested):
    #: 003 "对发现的重大事故隐患必须依据法律法规进行处罚": every major hazard (true), or only those
    #: found by enforcement (false)
    penalise_major: Flag = True
    #: days after a major hazard is found within which a 处罚 should be on record
    penalty_days: int = Field(default=30, ge=1, le=365)
    #: 001's exemption: a major hazard the enterprise reported itself and is rectifying (within its
    #: deadline) needs no penalty — off unless the workspace follows that notice
    exempt_self_reported_in_progress: Flag = False
    #: 003 "对违法行为不构成处罚的一般隐患和现场整改隐患要启动约谈程序": a general hazard rectified on the
    #: spot without a penalty needs a 约谈
    interview_general: Flag = False


class ListingSettings(Nested):
    """The clocks of 挂牌督办 (``settings.listing``): off unless the workspace sets them — the
    notices require the listing and its tracker (seed 001 (1)) but leave the days to the
    listing body's own rules."""

    #: 备案: working days after the hazard was found by which the listing is filed (``listing.filed``)
    file_within: int | None = Field(default=None, ge=1, le=60)
    #: 公布: working days after the listing day by which it is published (``listing.published``)
    publish_within: int | None = Field(default=None, ge=1, le=60)
    #: the longest rectification a listing allows: calendar days from the listing day to the deadline
    max_rectify_days: int | None = Field(default=None, ge=1, le=3650)


class TipoffSettings(Nested):
    """The clocks of 举报核查 (``settings.tipoffs``), calendar days as 《安全生产领域举报奖励办法》
    counts them: verification within ``verify_days`` of receipt, extendable once by at most
    ``extend_days`` with a written reason; the reporter told the result within ``feedback_days``
    of the verification."""

    verify_days: int = Field(default=60, ge=1, le=365)
    extend_days: int = Field(default=30, ge=0, le=365)
    feedback_days: int = Field(default=10, ge=1, le=365)
    #: days before a verification is due that its reminder starts
    remind_before: int = Field(default=7, ge=0, le=60)


class GradeFrequency(Nested):
    """How often an enterprise of a grade is inspected (``settings.grades.B: {period: 每半年, min: 1}``)."""

    period: vocab(Period)
    min: int = Field(default=1, ge=1, le=365)


class RiskSettings(Nested):
    """The register's rules (``settings.risks``): how often a risk is assessed again, and who lists
    the 重大 risks that may cause mass casualties (seed 002: "由市安委会挂牌督办")."""

    #: days after ``reviewed`` by which a risk is assessed again (the seeds fix none: a year by default)
    review_days: int = Field(default=365, ge=1, le=3650)
    #: the body that must list a 重大 risk with ``mass_casualty`` (empty: any listing body)
    listing_body: OptText = None
    #: the grades whose measures need an owner and a level, and which need a guarantor
    controlled: list[vocab(RiskGrade)] = Field(default_factory=lambda: [RiskGrade.MAJOR, RiskGrade.LARGER])


class PatrolSettings(Nested):
    """Who a year's 巡查考核 must reach (``settings.patrols.targets``: unit names); empty: the
    townships and the departments of the workspace's own level that lead sectors."""

    targets: UnitNames = Field(default_factory=list)


class Settings(Record):
    kind_label = "设置"

    #: seed 000: a general hazard not rectified within this many days after it was found is
    #: escalated and supervised by the county government as a major hazard
    escalation_days: int = Field(default=15, ge=1, le=3650)
    #: the authority that supervises escalated hazards (default: the government of the level
    #: above a township — "<parent>人民政府" — and a county's or city's own government)
    escalation_supervisor: OptText = None
    #: days a rectified hazard may wait for its three sign-offs before it is 验收逾期
    acceptance_days: int = Field(default=15, ge=1, le=365)
    #: who may be 包保人 of each guarantee kind, as roles of org/people.yaml (default: seed
    #: 000's 包保人 lines — 县政府分管领导、主要领导, 乡镇人民政府主要领导, 县领导班子成员)
    guarantor_roles: dict[vocab(GuaranteeKind), list[str]] = Field(default_factory=dict)
    #: how accidents are graded and counted (``settings.accidents``)
    accidents: AccidentSettings = Field(default_factory=AccidentSettings)
    #: which enforcement gaps are reported (``settings.enforcement``)
    enforcement: EnforcementSettings = Field(default_factory=EnforcementSettings)
    #: the clocks of 举报核查 (``settings.tipoffs``)
    tipoffs: TipoffSettings = Field(default_factory=TipoffSettings)
    #: the major-risk register's rules (``settings.risks``)
    risks: RiskSettings = Field(default_factory=RiskSettings)
    #: 分级分类监管 (seed 004 "按标准划分 A、B、C、D 四个等级，实行差异化安全监管"): inspections per grade —
    #: the seeds fix no numbers, so none are checked unless the workspace sets them
    grades: dict[vocab(Grade), GradeFrequency] = Field(default_factory=dict)
    #: 巡查考核 of the lower levels (seed 002 (六))
    patrols: PatrolSettings = Field(default_factory=PatrolSettings)
    #: the clocks of 挂牌督办 (``settings.listing``)
    listing: ListingSettings = Field(default_factory=ListingSettings)


class ChannelType(Vocab, what="提醒渠道"):
    STDOUT = ("stdout", "屏幕")
    OUTBOX = ("outbox", "发件箱", "文件")
    EMAIL = ("email", "邮件", "电子邮件")
    DINGTALK = ("dingtalk", "钉钉")
    WECOM = ("wecom", "企业微信", "企微")
    FEISHU = ("feishu", "飞书")


class Channel(Nested):
    """Where reminders go.  Secrets (passwords, robot URLs with tokens, signing secrets) are
    named by environment variable (``*_env``), never written in the file."""

    type: vocab(ChannelType)
    #: a name to pick the channel with ``--channel`` (default: the type)
    name: OptText = None
    #: outbox: folder for one file per message (default .anquan/outbox)
    dir: OptText = None
    #: email: SMTP server; security ssl (465), starttls (587) or none
    host: OptText = None
    port: int | None = Field(default=None, ge=1, le=65535)
    security: OptText = None
    user: OptText = None
    password_env: OptText = None
    sender: OptText = None
    #: robots: the webhook URL (government editions run on other hosts), or the variable
    #: holding it when it carries a token
    url: OptText = None
    url_env: OptText = None
    secret_env: OptText = None
    #: robots: @mention people by phone number (DingTalk; WeCom text messages)
    mention: Flag = True

    @model_validator(mode="after")
    def _complete(self):
        if self.type is ChannelType.EMAIL and not (self.host and self.sender):
            raise ValueError("邮件渠道须写 host（SMTP 服务器）和 sender（发件人）")
        if self.type is ChannelType.EMAIL and (self.security or "ssl") not in ("ssl", "starttls", "none"):
            raise ValueError("security 应为 ssl、starttls 或 none")
        if self.type is ChannelType.EMAIL:
            from anquan_cli.models.org import EMAIL

            address = self.sender.rpartition("<")[2].rstrip(">").strip()
            if not EMAIL.fullmatch(address):
                raise ValueError(f"发件人“{self.sender}”不是有效的邮箱地址（写成 名称 <name@example.gov.cn>）")
        for name in ("host", "url"):
            value = getattr(self, name)
            if value and any(ch.isspace() for ch in value):
                raise ValueError(f"{name}“{value}”中不能有空格或 Tab")
        if self.url and not self.url.lower().startswith(("http://", "https://")):
            raise ValueError("url 应以 http:// 或 https:// 开头")
        if self.type in (ChannelType.DINGTALK, ChannelType.WECOM, ChannelType.FEISHU) and not (self.url or self.url_env):
            raise ValueError("机器人渠道须写 url 或 url_env（保存 webhook 地址的环境变量）")
        return self

    @property
    def label(self) -> str:
        return self.name or self.type.value


class Node(Nested):
    """A reporting node: "6月10日前报送实施方案"."""

    title: Text
    #: a deadline phrase ("2023年6月10日前", or "6月10日前" with ``year``)
    deadline: Text
    year: int | None = Field(default=None, ge=1900, le=2199)
    #: who is reminded (names or ids); default the office contacts
    to: Names = Field(default_factory=list)
    #: with ``units``, the node submissions name (``submissions/``: ``node: 包保备案``), and who must submit
    id: Ident | None = None
    units: UnitNames = Field(default_factory=list)


class Reminders(Nested):
    #: remind this many days before a deadline (and on the day)
    lead_days: list[Annotated[int, Field(ge=0, le=366)]] = Field(default_factory=lambda: [3, 1], max_length=20)
    channels: list[Channel] = Field(default_factory=lambda: [Channel(type="stdout")])
    #: people who receive the office summary digest (names or ids)
    office: Names = Field(default_factory=list)
    #: skip weekends and Chinese public holidays (official make-up working days included)
    workdays_only: Flag = False
    #: state, log and outbox live here, outside the tracked data (relative to the workspace)
    state_dir: Text = ".anquan"
    nodes: list[Node] = Field(default_factory=list)
    #: wall-clock limits: one request (connect, send, answer) and the whole run, in seconds
    request_seconds: float = Field(default=20, gt=0, le=300)
    run_seconds: float = Field(default=600, gt=0, le=86400)


class Documents(Nested):
    """How the documents anquan writes are headed and signed (GB/T 9704-2012 版头、主送、落款、版记;
    ``documents:`` in anquan.yaml).  Every part can be given again for one run (``--number``,
    ``--to``, ``--cc``)."""

    #: 发文机关署名 (default: <jurisdiction>安全生产委员会办公室)
    organ: OptText = None
    #: 发文机关标志, printed in red at the head (default: the organ followed by 文件)
    mark: OptText = None
    #: 发文字号 with its 顺序号 as ``{n}`` and the year as ``{year}``: 青安委办〔{year}〕{n}号 — the next
    #: number of the year is taken from the register (``documents/register.yaml``); none: no 文号
    number: OptText = None
    #: 主送机关
    to: Names = Field(default_factory=list)
    #: 抄送机关
    cc: Names = Field(default_factory=list)
    #: 印发机关 (default: the organ)
    printer: OptText = None

    @model_validator(mode="after")
    def _pattern(self):
        if self.number is not None:
            import re

            rest = self.number.replace("{year}", "").replace("{n}", "")
            if "{n}" not in self.number:
                raise ValueError(f"发文字号“{self.number}”中要有 {{n}}（顺序号的位置），如 青安委办〔{{year}}〕{{n}}号")
            if re.search(r"[{}]", rest):
                raise ValueError(f"发文字号“{self.number}”中只能用 {{year}} 和 {{n}}")
        return self


class WorkspaceConfig(Record):
    kind_label = "工作区设置"

    def escalation_supervisor(self) -> str | None:
        """Seed 000 二（二）: a general hazard not rectified within the limit "一律提级由县人民政府
        作为重大隐患整改进行督办" — the level above a township; a county's (or a higher
        level's) own government.  None for a township that has not named its ``parent``."""
        if self.settings.escalation_supervisor:
            return self.settings.escalation_supervisor
        if self.level is JurisdictionLevel.TOWNSHIP:
            return f"{self.parent}人民政府" if self.parent else None
        return f"{self.jurisdiction}人民政府"

    jurisdiction: Text
    level: vocab(JurisdictionLevel)
    #: the jurisdiction above (a township's county: "青岚县"): escalated hazards go to its government
    parent: OptText = None
    settings: Settings = Field(default_factory=Settings)
    #: sectors used in this jurisdiction in addition to the built-in list
    sectors: Names = Field(default_factory=list)
    reminders: Reminders = Field(default_factory=Reminders)
    #: workspaces rolled up into this one (a county's townships, a city's counties), as paths
    #: relative to this workspace; each may include others in turn
    include: Names = Field(default_factory=list)
    #: how documents are headed and signed (GB/T 9704-2012)
    documents: Documents = Field(default_factory=Documents)

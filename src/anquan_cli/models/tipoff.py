"""Tip-offs (举报) and their verification, reward and feedback; the reporter kept apart.

Seed 002 (三（四）): "负有安全生产监督管理责任的部门要及时核查处理举报事项，依法保护举报人", "对查实的举报件，
根据风险程度落实举报奖励"; seed 003: "严格落实举报信息保密制度".  The clocks follow 《安全生产领域举报奖励办法》
(应急〔2018〕19号): verification within 60 days of receipt, extendable once, the reporter told the result.

A tip-off record (``tipoffs/**``) never names the reporter.  Who reported and how to reach them is
a :class:`Reporter` record in ``tipoffs/confidential/**``, which the loader reads only for a command
given ``--confidential`` (:func:`anquan_cli.workspace.load_workspace`); the rules live in
:mod:`anquan_cli.rules.tipoffs`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from anquan_cli.models._base import Date, Ident, Names, Nested, OptDate, OptText, Record, Text, Vocab
from anquan_cli.models.accident import Money
from anquan_cli.models.hazard import pairs_text, parse_pairs
from anquan_cli.text import norm_key

__all__ = ["Channel", "Result", "Reward", "Extension", "Tipoff", "Reporter", "REWARD_KEYS", "EXTENSION_KEYS",
           "CONFIDENTIAL_FOLDER"]

#: where reporters are kept (read only with ``--confidential``)
CONFIDENTIAL_FOLDER = "tipoffs/confidential"


class Channel(Vocab, what="举报渠道"):
    HOTLINE_12345 = ("12345", "12345热线", "12345政务服务便民热线")
    HOTLINE_12350 = ("12350", "12350热线", "12350安全生产举报投诉热线")
    PHONE = ("phone", "电话", "电话举报")
    LETTER = ("letter", "来信", "信件")
    VISIT = ("visit", "来访", "走访")
    WEB = ("web", "网站", "网络", "网上举报")
    MAILBOX = ("mailbox", "信箱", "举报信箱", "电子邮箱")
    INSIDER = ("insider", "内部职工", "内部人员", "职工举报")


def _to_channel(v):
    """A hotline read from YAML as a number (``channel: 12345``) is the hotline's word."""
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    return Channel.parse(v)


class Result(Vocab, what="核查结果"):
    SUBSTANTIATED = ("substantiated", "属实", "查实")
    PARTLY = ("partly", "部分属实")
    UNSUBSTANTIATED = ("unsubstantiated", "不属实", "不实")
    PENDING = ("pending", "核查中", "待核查", "正在核查")

    @property
    def founded(self) -> bool:
        """属实 or 部分属实: the tip-off is 查实 (rewards, linked hazards)."""
        return self in (Result.SUBSTANTIATED, Result.PARTLY)


#: the words of a reward cell in a CSV (``金额=0.3 批准=2023-08-01 发放=2023-08-20``)
REWARD_KEYS: dict[str, tuple[str, ...]] = {"amount": ("金额", "奖励金额", "amount"), "approved": ("批准", "批准日期", "审批", "approved"),
               "paid": ("发放", "发放日期", "兑现", "paid")}
#: the words of an extension cell (``天数=30 理由=「涉及多个部门」 批准=2023-09-01``)
EXTENSION_KEYS: dict[str, tuple[str, ...]] = {"days": ("天数", "延长", "days"), "reason": ("理由", "原因", "reason"),
                  "approved": ("批准", "批准日期", "approved")}


#: keys and columns that would put a reporter into a tip-off record (refused, see ``refusal``)
_IDENTITY_KEYS = frozenset(norm_key(k) for k in (
    "reporter", "name", "contact", "phone", "举报人", "举报人姓名", "姓名", "联系方式", "联系电话", "电话号码",
    "身份证号", "举报人电话"))


def _cell(keys: dict, what: str, example: str):
    def convert(v):
        if isinstance(v, str):
            return parse_pairs(v, keys, what, example)
        return v
    return convert


class Reward(Nested):
    """举报奖励: the amount (万元, as fines are counted), the day it was approved and the day paid."""

    amount: Money = None
    approved: OptDate = None
    paid: OptDate = None

    @model_validator(mode="after")
    def _order(self):
        if self.paid is not None and self.approved is None:
            raise ValueError("奖励已写发放日期 paid，应先写批准日期 approved")
        if self.paid is not None and self.approved is not None and self.paid < self.approved:
            raise ValueError(f"奖励发放日期 {self.paid} 早于批准日期 {self.approved}")
        return self

    def text(self) -> str:
        return pairs_text(self.model_dump(), REWARD_KEYS)


class Extension(Nested):
    """The one extension of the verification (经批准延长): days, the written reason, when approved."""

    days: int = Field(default=30, ge=1, le=365)
    reason: Text
    approved: OptDate = None

    def text(self) -> str:
        return pairs_text(self.model_dump(), EXTENSION_KEYS)


class Tipoff(Record):
    kind_label = "举报"
    csv_columns = {
        "id": ("编号", "举报编号", "受理编号"),
        "received": ("受理日期", "接报日期", "收到日期", "日期"),
        "channel": ("渠道", "举报渠道", "来源"),
        "subject": ("举报内容", "反映问题", "事项", "内容"),
        "unit": ("被举报单位", "单位", "单位名称"),
        "township": ("乡镇", "所属乡镇", "属地"),
        "handler": ("承办部门", "核查部门", "办理部门"),
        "due": ("核查期限", "办结期限", "期限"),
        "extension": ("延期", "延期情况"),
        "result": ("核查结果", "结果"),
        "verified": ("核查日期", "办结日期", "核查完成日期"),
        "hazards": ("隐患编号", "相关隐患"),
        "reward": ("奖励", "举报奖励"),
        "feedback": ("反馈日期", "答复日期", "告知日期"),
        "note": ("备注", "办理情况"),
    }

    id: Ident
    received: Date
    channel: Annotated[Channel | None, BeforeValidator(_to_channel)] = None
    #: what is reported (never who reported it)
    subject: OptText = None
    unit: OptText = None
    township: OptText = None
    #: the department verifying it
    handler: OptText = None
    #: the verification deadline; empty: ``received`` + ``settings.tipoffs.verify_days`` (+ the extension)
    due: OptDate = None
    extension: Annotated[Extension | None, BeforeValidator(
        _cell(EXTENSION_KEYS, "延期", "天数=30 理由=「原因」 批准=2023-09-01"))] = None
    result: Annotated[Result | None, BeforeValidator(Result.parse)] = None
    verified: OptDate = None
    hazards: Names = Field(default_factory=list)
    reward: Annotated[Reward | None, BeforeValidator(
        _cell(REWARD_KEYS, "举报奖励", "金额=0.3 批准=2023-08-01 发放=2023-08-20"))] = None
    #: the day the reporter was told the result
    feedback: OptDate = None
    note: OptText = None

    @classmethod
    def refusal(cls, key: str) -> tuple[str, str] | None:
        if norm_key(key) in _IDENTITY_KEYS:
            return (f"举报记录里不能写举报人信息（{key}）：举报人的姓名、联系方式只能记在 {CONFIDENTIAL_FOLDER}/ 下",
                    "从这里删去，改记到保密目录（字段 tipoff、name、contact）")
        return None

    @model_validator(mode="after")
    def _order(self):
        done = self.result is not None and self.result is not Result.PENDING
        if self.verified is not None and not done:
            raise ValueError("已写核查日期 verified，应写明核查结果 result（属实、部分属实、不属实）")
        if done and self.verified is None:
            raise ValueError(f"核查结果为{self.result.label}，应写明核查完成日期 verified")
        if self.verified is not None and self.verified < self.received:
            raise ValueError(f"核查日期 {self.verified} 早于受理日期 {self.received}")
        if self.due is not None and self.due < self.received:
            raise ValueError(f"核查期限 {self.due} 早于受理日期 {self.received}")
        if self.feedback is not None:
            if self.verified is None:
                raise ValueError("已写反馈日期 feedback，但还没有核查结果：核查完成后再告知举报人")
            if self.feedback < self.verified:
                raise ValueError(f"反馈日期 {self.feedback} 早于核查日期 {self.verified}")
        if self.reward is not None and self.result is Result.UNSUBSTANTIATED:
            raise ValueError("核查不属实的举报不能有奖励 reward（奖励只给查实的举报）")
        if self.reward is not None and self.reward.approved is not None and not (done and self.result.founded):
            raise ValueError("奖励已批准，但举报尚未查实：核查属实或部分属实后再批准奖励")
        if self.reward is not None and self.reward.approved is not None and self.verified is not None \
                and self.reward.approved < self.verified:
            raise ValueError(f"奖励批准日期 {self.reward.approved} 早于核查日期 {self.verified}")
        if self.extension is not None and self.extension.approved is not None \
                and self.extension.approved < self.received:
            raise ValueError(f"延期批准日期 {self.extension.approved} 早于受理日期 {self.received}")
        return self

    @property
    def state(self) -> Result:
        return self.result or Result.PENDING


class Reporter(Record):
    """Who reported a tip-off (confidential): kept only in ``tipoffs/confidential/**``."""

    kind_label = "举报人信息"
    csv_columns = {
        "tipoff": ("举报编号", "编号"),
        "name": ("举报人", "姓名"),
        "contact": ("联系方式", "电话", "联系电话"),
        "note": ("备注",),
    }

    tipoff: Text
    name: OptText = None
    contact: OptText = None
    note: OptText = None

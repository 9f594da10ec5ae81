"""Production-safety accidents (生产安全事故): what happened, who told whom when, and what followed.

Seed 001: "发生生产安全事故在第一时间向县应急管理局和县负有安全生产监督管理职责的有关部门报告……镇政府
接到事故报告后将第一时间报县政府值班室"; seed 002: "严格落实事故直报制度", "对初步认定的瞒报事故，一律由
上级安委会挂牌督办"; seed 004: "第一时间报告信息并续报进展".  Grades and clocks follow
《生产安全事故报告和调查处理条例》(国务院令第493号); the rules live in :mod:`anquan_cli.rules.accidents`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator, Field

from anquan_cli.models._base import Ident, Names, Nested, OptDate, OptText, Record, Text, Vocab, vocab
from anquan_cli.text import nfkc, parse_count, parse_moment, parse_money


def _blank_or(parse, blank=None):
    """A before-validator: ``blank`` for nothing or blank text, else ``parse(v)``."""
    def convert(v):
        if v is None or (isinstance(v, str) and not v.strip()):
            return blank
        return parse(v)
    return convert


#: a day, or a day and a time of day (``2023-08-12 14:30``)
Moment = Annotated[dt.datetime | dt.date, BeforeValidator(_blank_or(parse_moment))]
OptMoment = Annotated[dt.datetime | dt.date | None, BeforeValidator(_blank_or(parse_moment))]
#: people counted (死亡、失踪、重伤、轻伤): 0 when not written
Count = Annotated[int, BeforeValidator(_blank_or(parse_count, 0)), Field(ge=0, le=1_000_000)]
OptCount = Annotated[Annotated[int, Field(ge=0, le=1_000_000)] | None, BeforeValidator(_blank_or(parse_count))]
#: 万元
Money = Annotated[Annotated[float, Field(ge=0)] | None, BeforeValidator(_blank_or(parse_money))]


class AccidentKind(Vocab, what="事故类别（GB 6441）"):
    """The twenty classes of GB 6441-1986《企业职工伤亡事故分类》."""

    OBJECT_STRIKE = ("object_strike", "物体打击")
    VEHICLE = ("vehicle", "车辆伤害")
    MACHINERY = ("machinery", "机械伤害")
    LIFTING = ("lifting", "起重伤害")
    ELECTRIC_SHOCK = ("electric_shock", "触电")
    DROWNING = ("drowning", "淹溺")
    SCALD = ("scald", "灼烫")
    FIRE = ("fire", "火灾")
    FALL = ("fall", "高处坠落", "坠落")
    COLLAPSE = ("collapse", "坍塌")
    ROOF_FALL = ("roof_fall", "冒顶片帮", "冒顶")
    WATER_INRUSH = ("water_inrush", "透水")
    BLASTING = ("blasting", "放炮")
    EXPLOSIVE = ("explosive", "火药爆炸")
    GAS_EXPLOSION = ("gas_explosion", "瓦斯爆炸")
    BOILER_EXPLOSION = ("boiler_explosion", "锅炉爆炸")
    VESSEL_EXPLOSION = ("vessel_explosion", "容器爆炸")
    OTHER_EXPLOSION = ("other_explosion", "其他爆炸")
    POISONING = ("poisoning", "中毒和窒息", "中毒", "窒息", "中毒窒息")
    OTHER = ("other", "其他伤害", "其他")


class AccidentGrade(Vocab, what="事故等级"):
    """条例第三条's four grades, lowest first (the order compares them)."""

    GENERAL = ("general", "一般", "一般事故")
    LARGER = ("larger", "较大", "较大事故")
    MAJOR = ("major", "重大", "重大事故")
    ESPECIALLY_MAJOR = ("especially_major", "特别重大", "特别重大事故")

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)


class ConcealmentKind(Vocab, what="瞒报谎报类型"):
    CONCEALED = ("concealed", "瞒报")
    FALSE = ("false", "谎报")
    LATE = ("late", "迟报")
    OMITTED = ("omitted", "漏报")


_ARROW = re.compile(r"\s*(?:→|->|—>|＞|>)\s*")
_REPORT_SEPARATORS = re.compile("[；;\r\n]+")


def parse_reports_cell(text: str) -> list[dict]:
    """The reports of a CSV cell: ``时刻 报告单位→接报单位 [人=报告人]``, several separated by
    ``；`` — ``2022-08-16 10:50 青岚恒通物流运输有限公司→青岚县应急管理局 人=钟强``."""
    out = []
    for chunk in _REPORT_SEPARATORS.split(nfkc(text)):
        chunk = chunk.strip()
        if not chunk:
            continue
        words = chunk.split()
        by = None
        if words and words[-1].startswith("人="):
            by = words.pop()[2:] or None
        # the moment is the first two words (2023-08-12 15:10) or the first one (2023年8月12日15时10分,
        # or a day alone): whichever reads as one
        for n in (2, 1):
            when = " ".join(words[:n])
            try:
                parse_moment(when)
            except ValueError:
                continue
            parts = _ARROW.split(" ".join(words[n:]))
            if len(parts) == 2 and all(parts):
                out.append({"time": when, "from": parts[0], "to": parts[1], "by": by})
                break
        else:
            raise ValueError(f"报告记录“{chunk}”应写成“时刻 报告单位→接报单位 人=报告人”，"
                             f"如“2023-08-12 15:10 某某公司→青岚县应急管理局 人=张三”")
    return out


def report_cell(reports: list[dict]) -> str:
    """The ``报告记录`` cell :func:`parse_reports_cell` reads back: ``时刻 报告单位→接报单位 人=报告人；…``
    (``time`` as the ledger writes it, or ISO)."""
    return "；".join(f"{str(r['time']).replace('T', ' ')} {r['from']}→{r['to']}" + (f" 人={r['by']}" if r.get("by") else "")
                    for r in reports)


def _to_reports(v):
    if isinstance(v, str):
        return parse_reports_cell(v)
    return v


class Report(Nested):
    """One report of the accident: ``from`` told ``to`` at ``time`` (``by``: who reported)."""

    time: Moment
    from_: Text = Field(alias="from")
    to: Text
    by: OptText = None
    note: OptText = None

    model_config = Nested.model_config | {"populate_by_name": True}


class Followup(Nested):
    """续报/补报: what was reported later (new casualty figures, progress)."""

    time: Moment
    to: OptText = None
    deaths: OptCount = None
    missing: OptCount = None
    serious_injuries: OptCount = None
    note: OptText = None


class Concealment(Nested):
    """A finding that the accident was 瞒报, 谎报, 迟报 or 漏报 (who found it, when)."""

    kind: vocab(ConcealmentKind)
    date: OptDate = None
    by: OptText = None
    note: OptText = None


def _to_concealment(v):
    """A CSV cell: the finding's kind first (``迟报``), anything after it its note
    (``迟报（县应急管理局 2023-09-20 认定）``)."""
    if isinstance(v, str):
        text = v.strip()
        if not text:
            return None
        for word in sorted((w for m in ConcealmentKind for w in (m.label, m.value)), key=len, reverse=True):
            if nfkc(text).startswith(word):
                rest = text[len(word):].strip(" （）()，,：:;；")
                return {"kind": word, "note": rest or None}
        return {"kind": text}  # not a kind: the model says which are
    return v


class Investigation(Nested):
    by: OptText = None
    started: OptDate = None
    closed: OptDate = None
    conclusion: OptText = None


class Accident(Record):
    kind_label = "事故"
    csv_columns = {
        "id": ("事故编号", "编号"),
        "occurred": ("发生时间", "事故时间", "发生日期"),
        "unit": ("事故单位", "事故发生单位", "单位名称", "单位"),
        "township": ("乡镇", "所属乡镇", "属地"),
        "sector": ("行业领域", "行业", "所属行业"),
        "title": ("事故名称", "事故简称", "名称"),
        "kind": ("事故类别", "事故类型", "类别"),
        "deaths": ("死亡人数", "死亡"),
        "missing": ("失踪人数", "失踪"),
        "serious_injuries": ("重伤人数", "重伤（含急性工业中毒）", "重伤"),
        "minor_injuries": ("轻伤人数", "轻伤"),
        "direct_loss": ("直接经济损失", "直接经济损失（万元）", "经济损失"),
        "grade": ("事故等级", "等级"),
        "reports": ("报告记录", "报告情况"),
        "concealment": ("认定", "迟报瞒报认定", "瞒报谎报认定"),
        "hazards": ("相关隐患", "隐患编号"),
        "note": ("备注", "事故经过"),
    }

    id: Ident
    occurred: Moment
    unit: Text
    township: OptText = None
    sector: OptText = None
    title: Text
    kind: vocab(AccidentKind) | None = None
    deaths: Count = 0
    missing: Count = 0
    #: 重伤, acute industrial poisoning included (条例第三条)
    serious_injuries: Count = 0
    minor_injuries: Count = 0
    #: 直接经济损失, 万元
    direct_loss: Money = None
    #: as stated (by the investigation or the report); computed when absent
    grade: vocab(AccidentGrade) | None = None
    reports: Annotated[list[Report], BeforeValidator(_to_reports)] = Field(default_factory=list)
    followups: list[Followup] = Field(default_factory=list)
    #: 瞒报/谎报/迟报/漏报 as found (a late report so found is no longer a warning of ``check``)
    concealment: Annotated[Concealment | None, BeforeValidator(_to_concealment)] = None
    investigation: Investigation | None = None
    #: hazards found at that unit before the accident (倒查)
    hazards: Names = Field(default_factory=list)
    note: OptText = None

    @property
    def day(self) -> dt.date:
        """The day it happened."""
        o = self.occurred
        return o.date() if isinstance(o, dt.datetime) else o

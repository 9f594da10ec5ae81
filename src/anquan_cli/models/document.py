"""发文登记: the 文号 an office has given out (``documents/register.yaml``).

GB/T 9704-2012 7.2.3: a document's 发文字号 is the issuing organ's 代字, the year in 六角括号
〔〕 and the 顺序号 ("青安委办〔2023〕12号").  The register keeps every number given, so the next
one follows the last of its year and a document written again (the same report, the same
notice) keeps the number it was given (``key``).  anquan appends to it when it numbers a
document; numbers given by hand belong in it too.  The rules live in
:mod:`anquan_cli.rules.documents`."""

from __future__ import annotations

from pydantic import Field

from anquan_cli.models._base import Date, Names, OptText, Record, Text

__all__ = ["Issued"]


class Issued(Record):
    kind_label = "发文登记"
    csv_columns = {
        "number": ("发文字号", "文号"),
        "year": ("年度", "年份"),
        "n": ("顺序号", "序号"),
        "date": ("成文日期", "日期"),
        "title": ("标题", "文件标题"),
        "kind": ("文种", "类别"),
        "key": ("文档键",),
        "hazards": ("隐患编号", "隐患"),
        "to": ("主送", "主送机关"),
        "note": ("备注",),
    }

    #: the number as printed: 青安委办〔2023〕12号
    number: Text
    year: int = Field(ge=1900, le=2199)
    #: 顺序号 within the year
    n: int = Field(ge=1, le=999999)
    #: 成文日期
    date: Date
    title: Text
    #: what kind of document: 通报, 督办函, 整改通知书, 统计分析表 … (anquan writes its own words)
    kind: OptText = None
    #: what makes a document written again the same document (anquan's: ``report:quarterly:2023Q3``,
    #: ``supervise:<hazard id>:<date>`` …): it keeps its number
    key: OptText = None
    #: the hazards a notice concerns
    hazards: Names = Field(default_factory=list)
    to: OptText = None
    note: OptText = None

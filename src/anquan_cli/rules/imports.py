"""What ``anquan import`` reads into an office's own sheet beyond its columns.  Pure: cell
values in, decisions out (nothing printed, no clock).

* **整改情况** — a hazard sheet's 整改情况/整改结果 cell (and its 整改完成时间 column) as the
  state the hazard is in: rectified on a day (a ``整改完成`` event, as ``hazards rectify``
  writes), in progress (a ``备注`` event: not rectified, so still overdue past its deadline), or
  open.  A rectification is never dated by guess: without a day in the cell or the row's
  整改完成时间 the row is refused.
* **合计/小计/备注 rows** — a sheet's totals and footnotes, which are not records.
* **单位类型** — a unit's kind from its name when the sheet has no 类型 column.
* **人员编号** — an id for a person the sheet gives none, from the name and unit (the same person
  imported on two branches gets the same id; two people never share one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from anquan_cli.models import Event, EventKind, Hazard, UnitKind
from anquan_cli.text import fold, nfkc, parse_date

__all__ = ["Progress", "read_progress", "RECTIFIED", "IN_PROGRESS", "OPEN", "summary_row", "kind_from_name",
           "person_id", "id_prefix", "ProgressError", "progress_events", "Inferred", "infer"]

RECTIFIED, IN_PROGRESS, OPEN = "rectified", "in_progress", "open"


class ProgressError(ValueError):
    """A 整改情况 that cannot be taken as it stands (the message says what to write)."""


@dataclass(frozen=True)
class Progress:
    """A row's 整改情况 as read: ``state`` (RECTIFIED, IN_PROGRESS, OPEN), the day of the
    rectification and where that day came from (``cell``: the 整改情况 itself, ``column``: the
    整改完成时间 column), the text as written, and whether the text was understood (a text
    that was not is kept as the hazard's note; the hazard counts as open)."""

    state: str
    day: dt.date | None = None
    day_from: str = ""
    text: str = ""
    understood: bool = True
    #: the year of the day came from the found date (the cell wrote only 8月10日)
    year_guessed: bool = False


#: words of a rectification not done yet (read first: 未完成 holds 完成)
_NOT_DONE = ("未整改", "未完成", "尚未", "未落实", "未到位", "没有整改", "待整改", "未处理", "无法整改")
#: words of a rectification under way, or planned (一个计划的日子不是整改完成的日子)
_DOING = ("整改中", "正在", "推进中", "落实中", "进行中", "处理中", "部分整改", "部分完成", "基本完成", "未全部",
          "计划", "预计", "争取", "将于", "拟于", "底前", "日前", "前完成", "前整改", "限期整改", "督促整改")
#: words of a rectification done
_DONE = ("已整改", "整改完成", "已完成", "完成整改", "整改完毕", "整改到位", "已到位", "已闭环", "已销号",
         "已落实", "已处理", "已解决", "已消除", "已排除")
_DONE_WHOLE = ("完成", "是", "已", "销号", "闭环", "√", "✓")
_NOT_WHOLE = ("否", "无", "未", "×", "✗", "待")
#: "已…" that is an inspector's step, not the enterprise's rectification (已下达整改通知书)
_INSPECTOR = ("下达", "下发", "通知", "督促", "责令", "告知", "要求", "约谈", "上报", "报告", "安排", "部署",
              "交办", "移交", "移送", "立案", "处罚", "签订", "发函", "录入", "登记", "建档", "制定", "检查", "复查")
_FULL_DATE = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(r"(?<![\d.])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


def _words(text: str) -> str:
    """The text without its days and spaces."""
    return _MONTH_DAY.sub("", _FULL_DATE.sub("", _squeezed(text))).strip("，,。.；;、：:")


def _state_of(text: str) -> str | None:
    """RECTIFIED, IN_PROGRESS or OPEN for what the words say; None when they say nothing known."""
    words = _words(text)
    if not words:
        return None
    if words in _NOT_WHOLE or any(w in words for w in _NOT_DONE):
        return OPEN
    if any(w in words for w in _DOING):
        return IN_PROGRESS
    if words in _DONE_WHOLE or any(w in words for w in _DONE):
        return RECTIFIED
    if words.startswith("已") and not any(words[1:].startswith(w) for w in _INSPECTOR):
        return RECTIFIED  # 已更换灭火器、已清理杂物: what was done
    return None


def _day_in(text: str, found: dt.date | None) -> tuple[dt.date | None, bool]:
    """The day a text names (``2023年8月10日已整改``, ``8月10日完成``: the year then from the
    found date, the next year when that day would come before it), and whether the year was guessed."""
    squeezed = _squeezed(text)
    m = _FULL_DATE.search(squeezed)
    if m:
        try:
            return parse_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}"), False
        except ValueError as exc:
            raise ProgressError(f"整改情况“{text}”中的日期有误：{exc}") from None
    m = _MONTH_DAY.search(squeezed)
    if m and found is not None:
        month, day = int(m.group(1)), int(m.group(2))
        for year in (found.year, found.year + 1):
            try:
                when = dt.date(year, month, day)
            except ValueError:
                raise ProgressError(f"整改情况“{text}”中的日期不存在：{month}月没有{day}日") from None
            if when >= found:
                return when, True
    return None, False


def _as_day(value, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value).strip())
    except ValueError as exc:
        raise ProgressError(f"{what}“{value}”不是日期：{exc}") from None


def read_progress(cell, done_cell=None, found: dt.date | None = None) -> Progress | None:
    """A row's 整改情况 ``cell`` (text, or a date cell) and 整改完成时间 ``done_cell`` as a
    :class:`Progress` (None when the row gives neither).  Raises :class:`ProgressError` for
    a rectification without a day, two different days, or a day with words that say the
    rectification is not done."""
    done_day = _as_day(done_cell, "整改完成时间")
    if isinstance(cell, (dt.date, dt.datetime)):
        on = cell.date() if isinstance(cell, dt.datetime) else cell
        if done_day is not None and done_day != on:
            raise ProgressError(f"整改情况写的日期 {on.isoformat()} 与整改完成时间 {done_day.isoformat()} 不同：核对后留一个")
        return Progress(RECTIFIED, on, "cell", on.isoformat())
    text = "" if cell is None else str(cell).strip()
    if not text:
        return Progress(RECTIFIED, done_day, "column") if done_day is not None else None
    state = _state_of(text)
    day, guessed = _day_in(text, found)
    if state is None and day is not None and not _words(text):
        state = RECTIFIED  # only a day: the day it was rectified
    if state is None:
        if done_day is not None:  # words not understood, but the day it was done is given
            return Progress(RECTIFIED, done_day, "column", text)
        return Progress(OPEN, None, "", text, understood=False)
    if state != RECTIFIED:
        if done_day is not None:
            raise ProgressError(f"整改情况写“{text}”（未整改完），却填了整改完成时间 {done_day.isoformat()}：核对是哪一个")
        return Progress(state, None, "", text)
    if day is not None and done_day is not None and day != done_day:
        raise ProgressError(f"整改情况“{text}”中的日期 {day.isoformat()} 与整改完成时间 {done_day.isoformat()} 不同："
                            "核对后留一个")
    if day is None and done_day is None:
        raise ProgressError(f"整改情况写“{text}”，但没有整改完成的日期：在这一格写明日期（如“2023年8月10日已整改”），"
                            "或加一列“整改完成时间”；不知道日期的，先不填整改情况导入，再用 anquan hazards rectify 登记")
    if day is not None:
        return Progress(RECTIFIED, day, "cell", text, year_guessed=guessed)
    return Progress(RECTIFIED, done_day, "column", text)


def progress_events(progress: Progress | None, by: str, day: dt.date, source: str) -> list[Event]:
    """A new hazard's history: 登记 on the day of the import, with what the sheet's 整改情况
    says as the events the lifecycle commands write — ``整改完成`` on the day the sheet gives
    (as ``hazards rectify`` writes it), ``备注`` of a rectification under way — in date order.
    An open hazard's 整改情况, if the sheet wrote one, is kept in the 登记's note."""
    note = f"从 {source} 导入"
    events = []
    if progress is not None and progress.state == RECTIFIED and progress.day is not None:
        said = f"据 {source}"
        if progress.day_from == "column":
            said += " 的整改完成时间" + (f"；整改情况：{progress.text}" if progress.text else "")
        else:
            said += f" 的整改情况：{progress.text}"
        events.append(Event(date=progress.day, event=EventKind.RECTIFIED, by=by, note=said))
    elif progress is not None and progress.state == IN_PROGRESS:
        events.append(Event(date=day, event=EventKind.NOTE, by=by, note=f"整改情况（据 {source}）：{progress.text}"))
    elif progress is not None and progress.text:
        note += f"（整改情况：{progress.text}）"
    registered = Event(date=day, event=EventKind.REGISTERED, by=by, note=note)
    return sorted([registered, *events], key=lambda e: e.date)


@dataclass
class Inferred:
    """What an import of new hazards inferred from their 整改情况, as lists of the rows' keys
    (whatever the caller uses to name a row): rectified, in progress, open (the 整改情况 empty or
    saying so), not understood (counted open), the year of the day taken from the found date;
    and of all that is not rectified, which will be overdue and due for escalation on ``today``."""

    rectified: list = field(default_factory=list)
    in_progress: list = field(default_factory=list)
    open: list = field(default_factory=list)
    not_understood: list = field(default_factory=list)
    year_guessed: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    escalation: list = field(default_factory=list)


def infer(rows: list[tuple[object, Hazard, Progress | None]], today: dt.date, escalation_days: int,
          source: str = "") -> Inferred:
    """:class:`Inferred` for new hazards ``(key, hazard, progress)``: each hazard is judged with
    the history the import writes, by the same rules ``hazards overdue`` and ``escalate`` use."""
    from anquan_cli.rules.hazards import escalation_due, is_overdue

    out = Inferred()
    for key, h, p in rows:
        state = p.state if p is not None else OPEN
        {RECTIFIED: out.rectified, IN_PROGRESS: out.in_progress, OPEN: out.open}[state].append(key)
        if p is not None and not p.understood:
            out.not_understood.append(key)
        if p is not None and p.year_guessed:
            out.year_guessed.append(key)
        written = h.model_copy(update={"history": progress_events(p, "", today, source)}) if not h.history else h
        if is_overdue(written, today):
            out.overdue.append(key)
        if escalation_due(written, today, escalation_days):
            out.escalation.append(key)
    return out


# ---------------------------------------------------------------------- rows that are not records

_TOTAL = re.compile(r"^(?:合计|小计|总计|共计|累计|汇总)")
_FOOTER = re.compile(r"^(?:备注|注|说明|填表说明|填报说明|附注|填表人|填报人|制表人|审核人|审核|负责人|主要负责人|"
                     r"分管领导|联系人|联系电话|填报日期|填表日期|制表日期|填报单位|单位负责人)(?:[:：].*|\d*)$")


#: the first characters of the words above
_FIRST = frozenset("合小总共累汇备注说填附制审负主分联单")


def summary_row(cells: list) -> str | None:
    """Why a sheet row is not a record — ``合计`` (a totals row: 合计、小计、总计 …) or ``备注``
    (a footnote or signature line: 备注：…, 填表人：…) — else None.  A totals word may follow
    the row number; a footnote starts the row."""
    texts: list[str] = []
    for c in cells:  # the first two cells written (a sheet row is read whole: look no further)
        if c is None or c == "":
            continue
        if not isinstance(c, str):
            text = str(c)
        elif c.lstrip()[:1] in _FIRST:
            text = _squeezed(c)
        else:  # no such row starts so (most cells): not worth normalising
            text = c.strip()
        if text:
            texts.append(text)
            if len(texts) == 2:
                break
    if not texts:
        return None
    if any(_TOTAL.match(t) for t in texts[:2]):
        return "合计"
    if _FOOTER.match(texts[0]):
        return "备注"
    return None


# ---------------------------------------------------------------------- unit kinds

_VILLAGE_ENDS = ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "村")
#: endings no enterprise's name has
_BODY_ENDS = ("局", "政府", "委员会", "办公室", "党委", "党组", "管委会", "指挥部", "大队", "中队", "支队", "街道办事处")
_ENTERPRISE_MARKS = ("公司", "有限", "集团", "厂", "合作社", "加油站", "加气站", "充电站", "门市", "商店", "超市", "商行",
                     "酒店", "宾馆", "饭店", "餐馆", "矿", "事务所", "诊所", "工作室", "经营部", "营业部", "农场", "养殖场",
                     "工地", "项目部", "车队", "客运站", "汽车站", "物流")
_TOWNSHIP_ENDS = ("街道办事处", "街道办", "街道", "镇", "乡")
_STATION_ENDS = ("站", "所", "办", "委", "队")


def kind_from_name(name: str) -> UnitKind:
    """A unit's kind read from its name: the endings of a village (…村、社区、村委会) and of a
    government body (…局、政府、委员会、大队 …) first, then an enterprise's marks (公司、厂、
    加油站、诊所 …), then a township's endings (…镇、乡、街道) and a station's (…站、所、办);
    anything else is an enterprise."""
    text = _squeezed(name)
    text = re.sub(r"[(（][^)）]*[)）]$", "", text) or text
    if text.endswith(_VILLAGE_ENDS):
        return UnitKind.VILLAGE
    if text.endswith(_BODY_ENDS):
        return UnitKind.TOWNSHIP if text.endswith("街道办事处") else UnitKind.DEPARTMENT
    if any(m in text for m in _ENTERPRISE_MARKS):
        return UnitKind.ENTERPRISE
    if text.endswith(_TOWNSHIP_ENDS):
        return UnitKind.TOWNSHIP
    if text.endswith(_STATION_ENDS):
        return UnitKind.DEPARTMENT
    return UnitKind.ENTERPRISE


# ---------------------------------------------------------------------- people's ids


def id_prefix(existing: list[str]) -> str:
    """The letters most of the directory's ids start with (P for P001), else P."""
    letters = Counter(m.group(1) for i in existing if (m := re.match(r"([A-Za-z]+)[-_]?\d", i)))
    return letters.most_common(1)[0][0] if letters else "P"


def person_id(name: str, unit: str | None, taken: set[str], prefix: str = "P") -> str:
    """``<prefix>-<5 hex>`` from the person's name and unit (folded): the same person gets the
    same id on every branch and every run; an id another person has takes more digits."""
    digest = hashlib.blake2b(f"{fold(name)}|{fold(unit or '')}".encode(), digest_size=10).hexdigest()
    for n in range(5, len(digest) + 1):
        candidate = f"{prefix}-{digest[:n]}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"无法为 {name} 生成不重复的人员编号")  # pragma: no cover - 20 hex digits all taken

"""Text as offices write it: full-width characters, Chinese numerals, dates, name lists.

Everything here is a pure function over strings.  Functions that can fail raise
``ValueError`` with a Chinese message a clerk can act on; the loaders turn those
into ``file:line`` problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata

__all__ = [
    "nfkc",
    "cn_to_int",
    "replace_cn_numerals",
    "parse_date",
    "quarter_code",
    "split_names",
    "split_units",
    "closest",
    "norm_key",
    "fold",
]


def nfkc(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms (ＹＨ－００１ → YH-001)."""
    return unicodedata.normalize("NFKC", text)


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A name reduced for comparing and grouping — never for display: full-width to
    half-width (（工）/(工)), traditional characters to simplified (各級/各级, 管委會/管委会,
    via zhconv), no whitespace.  Two spellings of one unit or person fold to one key."""
    text = re.sub(r"\s+", "", nfkc(name))
    if text.isascii():
        return text
    return to_simplified(text)


@functools.lru_cache(maxsize=1)
def _zh_cn() -> tuple[dict[str, str], frozenset[str]]:
    """zhconv's zh-cn table (its zh2Hans, overridden by zh2CN) and the prefixes of its words,
    read from zhconv's data file: importing zhconv itself imports setuptools' pkg_resources,
    which costs more than the rest of a query."""
    import importlib.util
    import json
    import os

    spec = importlib.util.find_spec("zhconv")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        try:
            with open(os.path.join(folder, "zhcdict.json"), "rb") as fh:
                data = json.loads(fh.read().decode("utf-8"))
        except (OSError, ValueError):
            continue
        table = {**data["zh2Hans"], **data["zh2CN"]}
        return table, frozenset(word[:n] for word in table for n in range(1, len(word) + 1))
    import zhconv  # its data file is not where it was: let zhconv find it

    zhconv.convert("", "zh-cn")
    return zhconv.getdict("zh-cn"), zhconv.pfsdict["zh-cn"]


def fold_source() -> str:
    """What :func:`fold` reads besides its code: zhconv's table file (path, size, time), for
    keys of what is kept of folded names."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("zhconv")
    for folder in list(spec.submodule_search_locations or []) if spec else []:
        try:
            st = os.stat(os.path.join(folder, "zhcdict.json"))
        except OSError:
            continue
        return f"{folder}:{st.st_size}:{st.st_mtime_ns}"
    return "zhconv?"


def to_simplified(text: str) -> str:
    """Traditional characters and phrases to simplified, exactly as ``zhconv.convert(text,
    "zh-cn")`` does (the longest word of the table that starts at each place)."""
    table, prefixes = _zh_cn()
    out: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        word, end = None, pos
        i = pos
        frag = text[pos]
        while frag in prefixes:
            if frag in table:
                word, end = table[frag], i
            i += 1
            if i >= n:
                break
            frag = text[pos:i + 1]
        if word is None:
            out.append(text[pos])
            pos += 1
        else:
            out.append(word)
            pos = end + 1
    return "".join(out)


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_RUN = re.compile("[〇零○一二两三四五六七八九十百千]+")


def cn_to_int(text: str) -> int:
    """Chinese numerals to an int: 二〇二三 → 2023 (digit by digit), 十二 → 12, 三十一 → 31.

    Raises ValueError for anything that is not a Chinese numeral.
    """
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        raise ValueError(f"不是中文数字：“{text}”")
    if not any(ch in _CN_UNITS for ch in text):
        # 二〇二三 — read digit by digit, the way years are written
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


def int_to_cn(n: int) -> str:
    """1–99 in Chinese numerals as headings number sections: 一, 十, 十一, 二十三."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(f"只写 1–99：{n}")
    tens, ones = divmod(n, 10)
    return ((digits[tens] if tens > 1 else "") + "十" if tens else "") + (digits[ones] if ones else "")


def replace_cn_numerals(text: str) -> str:
    """Replace every run of Chinese numerals by its Arabic value (二〇二二年十二月 → 2022年12月)."""
    return _CN_RUN.sub(lambda m: str(cn_to_int(m.group(0))), text)


_DATE_SEP = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$")
_TIME_OF_DAY = re.compile(r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
DATE_HINT = "请写成 2023-08-01 或 2023年8月1日"


def parse_date(value: object) -> dt.date:
    """One calendar day, in the forms offices use.

    Accepted: ``2023-08-01``, ``2023/8/1``, ``2023.8.1``, ``2023年8月1日``, ``20230801``,
    full-width digits, Chinese numerals (``二〇二三年八月一日``) and a trailing time of day
    (``2023/8/1 0:00:00`` as Excel writes it).  A day that does not exist (2023-02-30) is
    an error, never rolled over.
    """
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), str(value))
    if isinstance(value, dt.date):
        return _in_range(value, value.isoformat())
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"应为日期，{DATE_HINT}")
    raw = str(value)
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-" and raw[:4].isascii():
        try:  # the common case, ISO written by tools: skip the general path
            return _in_range(dt.date.fromisoformat(raw), raw)
        except ValueError:
            pass  # e.g. 2023-02-30: the general path explains what is wrong
    text = _TIME_OF_DAY.sub("", nfkc(raw).strip())
    text = replace_cn_numerals(re.sub(r"\s+", "", text))
    m = _DATE_SEP.match(text) or _DATE_COMPACT.match(text)
    if not m:
        raise ValueError(f"无法识别的日期“{raw}”，{DATE_HINT}")
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"日期不存在：“{raw}”中没有第{month}月")
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"年份 {year} 不在 {YEARS[0]}–{YEARS[1]} 之间（“{raw}”），请核对")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期不存在：{year}年{month}月没有{day}日（“{raw}”）") from None


#: a time of day after a date: 14:30, 14:30:00, 14时30分, 14点30分, 14时
_CLOCK = re.compile(r"(\d{1,2})(?::|时|点)(?:(\d{1,2})(?::(\d{1,2})(?:\.\d+)?|分(?:(\d{1,2})秒)?)?)?$")
def quarter_code(day: dt.date) -> str:
    """The quarter ``day`` falls in as ``--period`` writes it: ``2023Q3``."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


_MOMENT = re.compile(r"^(.*?\d[日号]?)[ T]*((?:\d{1,2})(?::|时|点).*)$")
MOMENT_HINT = "请写成 2023-08-12 14:30 或 2023年8月12日14时30分（不知道时刻可只写日期）"


def parse_moment(value: object) -> dt.date | dt.datetime:
    """A day, or a day and a time of day (minutes; seconds dropped): ``2023-08-12``,
    ``2023-08-12 14:30``, ``2023/8/12 14:30:00``, ``2023年8月12日14时30分``, full-width digits
    and Chinese numerals as :func:`parse_date` takes them.  A day alone stays a date: the time
    was not recorded (a clock in minutes cannot be checked against it)."""
    if isinstance(value, dt.datetime):
        _in_range(value.date(), str(value))
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, dt.date):
        return parse_date(value)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"应为日期或时刻，{MOMENT_HINT}")
    raw = str(value)
    text = replace_cn_numerals(nfkc(raw).strip())
    m = _MOMENT.match(text)
    if m is None:
        return parse_date(raw)
    clock = _CLOCK.match(re.sub(r"\s+", "", m.group(2)))
    if clock is None:
        raise ValueError(f"无法识别的时刻“{raw}”，{MOMENT_HINT}")
    hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"时刻不存在：“{raw}”，{MOMENT_HINT}")
    day = parse_date(m.group(1))
    return dt.datetime(day.year, day.month, day.day, hour, minute)


_COUNT = re.compile(r"^(\d+)\s*(?:人|名|个|起|次)?$")


def parse_count(value: object) -> int:
    """A number of people or events as offices write it: ``3``, ``3人``, ``三``, ``３名``; never
    negative, never a fraction."""
    if isinstance(value, bool):
        raise ValueError("应为人数（0 或正整数）")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"人数不能为负数：{value}")
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if not isinstance(value, str):
        raise ValueError("应为人数（0 或正整数）")
    text = replace_cn_numerals(nfkc(value).strip())
    m = _COUNT.match(text)
    if m is None:
        raise ValueError(f"无法识别的人数“{value}”，请写成 0、3 或 3人")
    return int(m.group(1))


_MONEY = re.compile(r"^(\d+(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?$")
_MONEY_UNITS = {"亿元": 10000, "亿": 10000, "万元": 1, "万": 1, None: 1, "元": 0.0001}


def parse_money(value: object) -> float:
    """An amount in 万元 (the unit accident statistics use): ``1200``, ``1200万元``,
    ``1.2亿元`` (12000), ``35000元`` (3.5); thousands separators allowed; never negative."""
    from decimal import Decimal

    if isinstance(value, bool):
        raise ValueError("应为金额（万元）")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"金额不能为负数：{value}")
        return float(value)
    if not isinstance(value, str):
        raise ValueError("应为金额（万元）")
    text = replace_cn_numerals(nfkc(value).strip()).replace(",", "")
    m = _MONEY.match(text)
    if m is None:
        raise ValueError(f"无法识别的金额“{value}”，请写成万元数，如 1200 或 1200万元、1.2亿元")
    # exact decimal arithmetic: 1.2亿 is 12000 万元, not 11999.999…
    return float(Decimal(m.group(1)) * Decimal(str(_MONEY_UNITS[m.group(2)])))


#: the years a date may fall in: ledgers record what happened and is due in living memory;
#: 0001-01-01 or 9999-12-31 is a typing slip, and date arithmetic on them overflows
YEARS = (1900, 2199)


def _in_range(day: dt.date, raw: str) -> dt.date:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(f"年份 {day.year} 不在 {YEARS[0]}–{YEARS[1]} 之间（“{raw}”），请核对")
    return day


_NAME_SEP = re.compile(r"[、，,；;/\s]+")


def split_names(value: str) -> list[str]:
    """A cell listing people: 李四、王五 / 李四,王五 / 李四 王五."""
    return [p for p in _NAME_SEP.split(value.strip()) if p]


_OPEN = "(（[［【〔"
_CLOSE = ")）]］】〕"


def split_units(value: str) -> list[str]:
    """A 责任单位 cell holding several units.

    Units are separated by commas (ASCII or full-width), semicolons or line breaks.  A
    separator inside brackets is part of the name (县级以上(含,下同)党(工)委 is one unit),
    and 、 is never a separator: "各级工信、公安等部门" names one group of units.
    """
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in value:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",，;；\n\r":
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    out = []
    for p in parts:
        p = p.strip().strip("、").strip()
        if p:
            out.append(p)
    return out


def closest(word: str, candidates, cutoff: float = 0.5) -> str | None:
    """The most similar candidate, for "did you mean …" hints (None if nothing is close)."""
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


_BRACKETED = re.compile(r"[(（][^)）]*[)）]")


def norm_key(text: str) -> str:
    """A column header or vocabulary word reduced for matching.

    Full-width to ASCII, lower case, spaces, a required-marker ``*`` and a bracketed
    unit such as "（万元）" removed: "整改资金（万元）" and "整改资金" match.
    """
    t = nfkc(text).strip().lower()
    t = _BRACKETED.sub("", t)
    return re.sub(r"[\s*_\-:：]", "", t)

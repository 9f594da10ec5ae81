"""Parsers of office text: dates, Chinese numerals, full-width characters, unit cells."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anquan_cli.text import cn_to_int, nfkc, norm_key, parse_date, replace_cn_numerals, split_names, split_units


@pytest.mark.parametrize("text, expected", [
    ("2023-08-01", "2023-08-01"),
    ("2023/8/1", "2023-08-01"),
    ("2023.8.1", "2023-08-01"),
    ("2023年8月1日", "2023-08-01"),
    ("2023年8月1号", "2023-08-01"),
    ("2023 年 8 月 1 日", "2023-08-01"),
    ("20230801", "2023-08-01"),
    ("２０２３－０８－０１", "2023-08-01"),
    ("２０２３年８月１日", "2023-08-01"),
    ("二〇二三年八月一日", "2023-08-01"),
    ("二〇二二年十二月三十一日", "2022-12-31"),
    ("2023/8/1 0:00:00", "2023-08-01"),
    ("2023-08-01T00:00", "2023-08-01"),
    (20230801, "2023-08-01"),
    (dt.date(2023, 8, 1), "2023-08-01"),
    (dt.datetime(2023, 8, 1, 9, 30), "2023-08-01"),
])
def test_dates_offices_write(text, expected):
    assert parse_date(text).isoformat() == expected


@pytest.mark.parametrize("text, message", [
    ("2023-02-30", "日期不存在：2023年2月没有30日（“2023-02-30”）"),
    ("2024-13-01", "日期不存在：“2024-13-01”中没有第13月"),
    ("二〇二三年二月二十九日", "日期不存在：2023年2月没有29日（“二〇二三年二月二十九日”）"),
    ("下周", "无法识别的日期“下周”，请写成 2023-08-01 或 2023年8月1日"),
    ("2023年9月底前", "无法识别的日期“2023年9月底前”，请写成 2023-08-01 或 2023年8月1日"),
])
def test_bad_dates_are_explained(text, message):
    with pytest.raises(ValueError) as exc:
        parse_date(text)
    assert str(exc.value) == message


def test_leap_day_is_a_real_day():
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_date_round_trip_in_every_style(day):
    digits = str.maketrans("0123456789", "〇一二三四五六七八九")
    styles = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        nfkc_inverse(day.isoformat()),
        f"{str(day.year).translate(digits)}年{_cn(day.month)}月{_cn(day.day)}日",
    ]
    for text in styles:
        assert parse_date(text) == day, text


@given(st.text(max_size=40))
def test_parse_date_only_ever_raises_value_error(text):
    try:
        parse_date(text)
    except ValueError:
        pass


def nfkc_inverse(text: str) -> str:
    """ASCII digits and '-' to their full-width forms."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "-" else c for c in text)


def _cn(n: int) -> str:
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else names[tens]) + "十" + (names[ones] if ones else "")


@pytest.mark.parametrize("text, value", [
    ("二〇二三", 2023), ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31), ("一百零五", 105),
    ("两千零二十二", 2022), ("〇", 0),
])
def test_chinese_numerals(text, value):
    assert cn_to_int(text) == value


def test_chinese_numerals_reject_other_text():
    with pytest.raises(ValueError):
        cn_to_int("统一")


def test_replace_numerals_in_a_phrase():
    assert replace_cn_numerals("二〇二二年十二月底前") == "2022年12月底前"


@given(st.integers(min_value=1, max_value=99))
def test_chinese_numeral_round_trip(n):
    assert cn_to_int(_cn(n)) == n


def test_nfkc_turns_fullwidth_into_ascii():
    assert nfkc("ＹＨ－２０２３－００１") == "YH-2023-001"


@pytest.mark.parametrize("cell, units", [
    # seed 002 attachment cells, as written
    ("各级党（工）委， 宣传部门", ["各级党（工）委", "宣传部门"]),
    ("县级以上(含,下同)党(工)委,组织部门", ["县级以上(含,下同)党(工)委", "组织部门"]),
    ("县级以上政府、，高新区、港务区管委会，各级发改、工信等部门，有关生产经营单位",
     ["县级以上政府", "高新区、港务区管委会", "各级发改、工信等部门", "有关生产经营单位"]),
    ("各级工信、公安、商务、住建、交通运输、文旅、应急、市场监管等部门，各级消防救援机构",
     ["各级工信、公安、商务、住建、交通运输、文旅、应急、市场监管等部门", "各级消防救援机构"]),
    ("各级消防救援机构\n各级负有安全生产监督管理职责的部门",
     ["各级消防救援机构", "各级负有安全生产监督管理职责的部门"]),
    ("市委巡察办", ["市委巡察办"]),
    ("  ", []),
])
def test_split_units(cell, units):
    assert split_units(cell) == units


@given(st.lists(st.text(alphabet="各级部门委员会、安全生产", min_size=1, max_size=12)
                .filter(lambda s: s.strip("、 ") == s), min_size=1, max_size=6))
def test_split_units_round_trip(units):
    for sep in ("，", ",", "；", "\n"):
        assert split_units(sep.join(units)) == units


def test_split_names():
    assert split_names("李四、王五, 赵六 钱七；孙八") == ["李四", "王五", "赵六", "钱七", "孙八"]


def test_norm_key_ignores_units_and_fullwidth():
    assert norm_key("整改资金（万元）") == norm_key("整改资金") == "整改资金"
    assert norm_key("Escalation_Days") == "escalationdays"


def _zh_alphabet() -> list[str]:
    from anquan_cli.text import _zh_cn

    table, _ = _zh_cn()
    words = sorted(table)
    return words[::7] + sorted({w[0] for w in words})[::5] + list("各级管委会應急管理局安全生產（）()ＡＢ12 　")


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_zh_alphabet()), max_size=12).map("".join))
def test_traditional_to_simplified_is_exactly_zhconvs(text):
    import zhconv

    from anquan_cli.text import to_simplified

    assert to_simplified(text) == zhconv.convert(text, "zh-cn")


def test_folding_without_importing_zhconv():
    import subprocess
    import sys

    code = ("import sys\nfrom anquan_cli.text import fold\n"
            "print(fold('各級管委會'), 'zhconv' in sys.modules, 'pkg_resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["各级管委会", "False", "False"]

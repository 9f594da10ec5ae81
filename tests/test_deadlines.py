"""Every deadline phrase in the five seeds, and the ways offices vary them."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anquan_cli.models.deadline import DeadlineError, parse_deadline

N = None


@pytest.mark.parametrize("phrase, year, start, end, ongoing, kind", [
    # seed 002 attachment (完成时限 column) and body
    ("2022年9月底前完成，并长期坚持", N, N, "2022-09-30", True, "date+ongoing"),
    ("2022年9月底前完成,并长期坚持", N, N, "2022-09-30", True, "date+ongoing"),
    ("2022 年 9 月底前完成，并长期坚持", N, N, "2022-09-30", True, "date+ongoing"),
    ("2022年12月底前完成，并长期坚持", N, N, "2022-12-31", True, "date+ongoing"),
    ("2022年9月底前完成", N, N, "2022-09-30", False, "date"),
    ("长期坚持", N, N, N, True, "ongoing"),
    ("加快推进", N, N, N, False, "asap"),
    ("按照市委年度巡察工作安排", N, N, N, False, "event"),
    ("2022年4月至党的二十大结束的", N, "2022-04-01", N, False, "event"),
    ("2022年6月10日前", N, N, "2022-06-10", False, "date"),
    ("6月28日前", 2022, N, "2022-06-28", False, "date"),
    ("9月28日前", 2022, N, "2022-09-28", False, "date"),
    ("2022年6月底前", N, N, "2022-06-30", False, "date"),
    ("9月底前", 2022, N, "2022-09-30", False, "date"),
    # seed 000
    ("6月20日前", 2023, N, "2023-06-20", False, "date"),
    # seed 001 (phases)
    ("2023年5月下旬前", N, N, "2023-05-31", False, "date"),
    ("2023年7月底前", N, N, "2023-07-31", False, "date"),
    ("2023年8-11月", N, "2023-08-01", "2023-11-30", False, "period"),
    ("2023年12月", N, "2023-12-01", "2023-12-31", False, "period"),
    ("至12月底结束", 2023, N, "2023-12-31", False, "date"),
    # seed 004
    ("至 2021 年 10 月底", N, N, "2021-10-31", False, "date"),
    ("至 2021 年底", N, N, "2021-12-31", False, "date"),
    # 上旬 / 中旬, numerals, full width, other separators
    ("2023年5月上旬前", N, N, "2023-05-10", False, "date"),
    ("2023年5月中旬前", N, N, "2023-05-20", False, "date"),
    ("二〇二二年十二月底前完成", N, N, "2022-12-31", False, "date"),
    ("二〇二二年四月至党的二十大结束", N, "2022-04-01", N, False, "event"),
    ("２０２２年９月底前完成，并长期坚持", N, N, "2022-09-30", True, "date+ongoing"),
    ("2022年9月底前完成；并长期坚持", N, N, "2022-09-30", True, "date+ongoing"),
    ("2023年8月至11月", N, "2023-08-01", "2023-11-30", False, "period"),
    ("2023年11月-2024年1月", N, "2023-11-01", "2024-01-31", False, "period"),
    ("2023年上半年完成", N, N, "2023-06-30", False, "date"),
    ("2024年2月底前", N, N, "2024-02-29", False, "date"),
    ("立即整改", N, N, N, False, "asap"),
])
def test_phrase(phrase, year, start, end, ongoing, kind):
    assert parse_deadline(phrase, year).as_json() == {"start": start, "end": end, "ongoing": ongoing,
                                                     "kind": kind}


def test_event_names_what_it_waits_for():
    assert parse_deadline("2022年4月至党的二十大结束").event == "党的二十大结束"


@pytest.mark.parametrize("phrase, message", [
    ("6月20日前", "没有写年份"),
    ("年底前", "没有写年份"),
    ("2023年2月30日前", "2023年2月没有30日"),
    ("2023年13月底前", "没有第13月"),
    ("12月前", "无法识别"),          # before December, or by its end? not guessed
    ("下周", "无法识别"),
    ("尽早吧", "无法识别"),
    ("", "空的"),
    ("2023年9月底前，2023年12月底前", "两个时限"),
    ("2023年11-8月", "结束早于开始"),
])
def test_unreadable_phrases_are_reported_not_guessed(phrase, message):
    with pytest.raises(DeadlineError, match=message):
        parse_deadline(phrase)


@given(st.integers(1990, 2099), st.integers(1, 12), st.sampled_from(["底前完成", "底前", "月末", "下旬前"]))
def test_month_end_for_any_month(year, month, tail):
    phrase = f"{year}年{month}月{tail}" if tail != "月末" else f"{year}年{month}月末"
    last = calendar.monthrange(year, month)[1]
    assert parse_deadline(phrase).end == dt.date(year, month, last)


@given(st.integers(1990, 2099), st.integers(1, 12), st.integers(1, 12))
def test_month_ranges(year, a, b):
    lo, hi = min(a, b), max(a, b)
    d = parse_deadline(f"{year}年{lo}-{hi}月")
    assert (d.kind.value, d.start, d.end) == ("period", dt.date(year, lo, 1),
                                              dt.date(year, hi, calendar.monthrange(year, hi)[1]))


@given(st.text(max_size=30))
def test_only_deadline_errors(text):
    try:
        parse_deadline(text, 2023)
    except DeadlineError:
        pass


def test_cli_json_and_errors(cli):
    res = cli("dates", "parse", "2022年9月底前完成，并长期坚持", "--format", "json")
    assert res.code == 0 and res.json() == {"start": None, "end": "2022-09-30", "ongoing": True,
                                            "kind": "date+ongoing"}
    res = cli("dates", "parse", "6月20日前")
    assert res.code == 1 and "没有写年份" in res.err
    assert cli("dates", "parse", "6月20日前", "--year", "2022", "-f", "json").json()["end"] == "2022-06-20"
    out = cli("dates", "parse", "2022年4月至党的二十大结束").out
    assert "取决于：党的二十大结束（无法计算截止日期，需人工确认）" in out

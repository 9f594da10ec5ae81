"""Record models: vocabularies with Chinese labels and synonyms, derived facts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from anquan_cli.models import Event, EventKind, GuaranteeKind, Hazard, HazardSource, Level, Party, Period, Task
from anquan_cli.models.hazard import parse_history_cell


@pytest.mark.parametrize("word, member", [
    ("一般", Level.GENERAL), ("一般隐患", Level.GENERAL), ("general", Level.GENERAL),
    ("重大事故隐患", Level.MAJOR), ("Major", Level.MAJOR), ("ＭＡＪＯＲ", Level.MAJOR),
])
def test_level_words(word, member):
    assert Level.parse(word) is member


@pytest.mark.parametrize("word, member", [
    ("企业自查", HazardSource.SELF), ("部门检查", HazardSource.DEPARTMENT),
    ("乡镇排查", HazardSource.TOWNSHIP), ("检查组检查", HazardSource.TEAM),
    ("专家组巡查", HazardSource.EXPERT), ("上级督查", HazardSource.HIGHER),
    ("举报", HazardSource.TIP_OFF), ("群众举报", HazardSource.TIP_OFF),
])
def test_hazard_sources_from_the_seeds(word, member):
    assert HazardSource.parse(word) is member


def test_guarantee_kinds_carry_the_seed_standards():
    assert [k.standard for k in GuaranteeKind] == [
        "规范管理、杜绝事故", "立查立改、及时清零", "100%按标整改、100%限期完成", "立行立改、闭环管理",
        "盯紧盯牢、管控到位", "铁腕治理、除恶务尽", "各司其职，各负其责",
    ]
    assert GuaranteeKind.parse("包保重大事故隐患治理销号") is GuaranteeKind.MAJOR_HAZARD


@pytest.mark.parametrize("word, member", [
    ("每季度", Period.QUARTER), ("每2个月", Period.TWO_MONTHS), ("每两个月", Period.TWO_MONTHS),
    ("每半年", Period.HALF_YEAR), ("每年", Period.YEAR), ("每月", Period.MONTH),
])
def test_periods(word, member):
    assert Period.parse(word) is member


def _hazard(**kw):
    base = dict(id="H-1", title="t", unit="u", level="重大", found="2023-01-01")
    base.update(kw)
    return Hazard.model_validate(base)


def test_five_elements_missing():
    assert _hazard().five_elements_missing() == ["measures", "funds", "deadline", "plan", "owner"]
    full = _hazard(measures="m", funds="1万元", deadline="2023-02-01", plan="p", owner="o")
    assert full.five_elements_missing() == []


def test_funds_written_as_a_number_is_kept_as_text():
    assert _hazard(funds=3.5).funds == "3.5"


def test_json_values_are_stable_english():
    h = _hazard(source="上级督查", history=[{"date": "2023-01-02", "event": "验收签字", "party": "乡镇"}])
    dumped = h.model_dump(mode="json")
    assert (dumped["level"], dumped["source"]) == ("major", "higher")
    assert dumped["history"][0]["event"] == "verified" and dumped["history"][0]["party"] == "township"


def test_history_cell_notation():
    events = parse_history_cell("2023-05-27 整改完成 人=孟庆；2023-05-27 验收签字 方=企业 人=孟庆\n"
                                "2023-08-04 延期 期限=2023-08-31 原因=等待联合审查 人=田野 另附说明")
    assert events == [
        {"date": "2023-05-27", "event": "整改完成", "by": "孟庆"},
        {"date": "2023-05-27", "event": "验收签字", "party": "企业", "by": "孟庆"},
        {"date": "2023-08-04", "event": "延期", "deadline": "2023-08-31", "reason": "等待联合审查",
         "by": "田野", "note": "另附说明"},
    ]
    parsed = [Event.model_validate(e) for e in events]
    assert parsed[1].party is Party.ENTERPRISE and parsed[2].event is EventKind.EXTENDED


def test_history_cell_incomplete_event_is_an_error():
    with pytest.raises(ValidationError) as exc:
        _hazard(history="2023-05-27")
    assert "处理记录“2023-05-27”不完整" in str(exc.value)


def test_task_units_split_from_a_cell():
    t = Task.model_validate({"table": "t", "no": "7", "task": "x", "deadline": "长期坚持",
                             "units": "县级以上(含,下同)党(工)委,组织部门"})
    assert t.units == ["县级以上(含,下同)党(工)委", "组织部门"] and t.no == 7


def test_records_are_immutable():
    h = _hazard()
    with pytest.raises(ValidationError):
        h.title = "changed"


@pytest.mark.parametrize("text, expected", [
    ("2023-03-10", "2023-03-10"), ("2023年9月底前", "2023-09-30"), ("9月底前", "2023-09-30"),
    ("3月下旬前", "2023-03-31"), ("二〇二三年四月十日前", "2023-04-10"),
])
def test_hazard_deadline_phrases_name_a_day(text, expected):
    assert _hazard(deadline=text).deadline.isoformat() == expected  # found 2023-01-01


@pytest.mark.parametrize("text, message", [
    ("长期坚持", "不是具体日期"), ("2023年2月30日", "2023年2月没有30日"), ("下周", "无法识别的日期"),
])
def test_hazard_deadline_must_be_a_day(text, message):
    with pytest.raises(ValidationError, match=message):
        _hazard(deadline=text)

"""Every hazard rule with exact dates."""

from __future__ import annotations

import datetime as dt

import pytest

from anquan_cli.models import Hazard, Party
from anquan_cli.rules import hazards as R

D = dt.date


def hz(**kw) -> Hazard:
    base = dict(id="H-1", title="t", unit="u", level="一般", found="2023-03-01", deadline="2023-03-10",
                owner="王芳")
    base.update(kw)
    return Hazard.model_validate(base)


def ev(date, event, **kw):
    return {"date": date, "event": event, **kw}


SIGNED = [ev("2023-03-05", "整改完成"), ev("2023-03-06", "验收签字", party="企业"),
          ev("2023-03-06", "验收签字", party="部门"), ev("2023-03-07", "验收签字", party="乡镇")]


def test_overdue_only_after_the_deadline_day():
    h = hz()
    assert not R.is_overdue(h, D(2023, 3, 10))
    assert R.is_overdue(h, D(2023, 3, 11)) and R.days_overdue(h, D(2023, 3, 11)) == 1
    assert not R.is_overdue(hz(closed="2023-03-20"), D(2023, 4, 1))


@pytest.mark.parametrize("kw, today, expected", [
    ({}, D(2023, 3, 10), R.Status.PENDING),
    ({}, D(2023, 3, 11), R.Status.OVERDUE),
    ({"history": [ev("2023-03-09", "整改完成")]}, D(2023, 3, 20), R.Status.RECTIFIED),
    ({"history": SIGNED[:3]}, D(2023, 3, 20), R.Status.RECTIFIED),
    ({"closed": "2023-03-08"}, D(2023, 3, 20), R.Status.CLOSED),
])
def test_status_is_derived(kw, today, expected):
    assert R.status(hz(**kw), today) is expected


def test_escalation_day_15_is_not_yet_day_16_is():
    h = hz(found="2023-03-01", deadline="2023-04-30")
    assert not R.escalation_due(h, D(2023, 3, 16), 15)   # 15 days after finding
    assert R.escalation_due(h, D(2023, 3, 17), 15)       # 16 days
    assert R.escalation_candidates([h], D(2023, 3, 16), 15) == []
    assert R.escalation_candidates([h], D(2023, 3, 17), 15) == [h]


def test_escalation_threshold_from_settings():
    h = hz(found="2023-03-01", deadline="2023-04-30")
    assert not R.escalation_due(h, D(2023, 3, 11), 10)
    assert R.escalation_due(h, D(2023, 3, 12), 10)


@pytest.mark.parametrize("kw", [
    {"level": "重大", "measures": "m", "funds": "f", "plan": "p"},     # already major
    {"closed": "2023-03-05", "history": SIGNED},                       # closed
    {"history": [ev("2023-03-05", "整改完成")]},                         # rectified
])
def test_not_escalated(kw):
    assert not R.escalation_due(hz(**kw), D(2023, 6, 1), 15)


def test_close_needs_rectification_and_three_signatures():
    assert R.close_refusals(hz(history=SIGNED)) == []
    two = R.close_refusals(hz(history=SIGNED[:3]))
    assert two == ["三方确认签字未齐，缺少：乡镇（anquan hazards verify --party …）"]
    with pytest.raises(R.Refused, match="缺少：乡镇"):
        R.plan_close(hz(history=SIGNED[:3]), D(2023, 3, 8), "曾小芳")
    none = R.close_refusals(hz())
    assert none[0].startswith("尚未登记整改完成")


def test_signatures_before_a_new_rectification_do_not_count():
    history = SIGNED + [ev("2023-03-09", "整改完成")]
    assert R.missing_parties(hz(history=history)) == list(Party)


MAJOR = dict(level="重大", measures="迁建", funds="85万元", plan="预案", supervisor="县政府", history=SIGNED,
             listing={"by": "县政府", "date": "2023-03-02", "tracker": "王芳"})


@pytest.mark.parametrize("field, zh", [("measures", "治理措施"), ("funds", "治理资金"),
                                       ("deadline", "整改时限"), ("plan", "应急预案"), ("owner", "责任人员")])
def test_major_hazard_missing_each_element_cannot_close(field, zh):
    h = hz(**{**MAJOR, field: None})
    with pytest.raises(R.Refused) as exc:
        R.plan_close(h, D(2023, 3, 8), "曾小芳")
    assert f"重大隐患“五落实”不全，缺少：{zh}" in str(exc.value)


def test_major_hazard_without_its_tracker_cannot_close():
    h = hz(**{**MAJOR, "listing": {"by": "县政府", "date": "2023-03-02"}})
    with pytest.raises(R.Refused, match="重大隐患须挂牌督办并明确跟踪督办责任人，尚缺：跟踪督办责任人"):
        R.plan_close(h, D(2023, 3, 8), "曾小芳")


def test_major_hazard_with_everything_closes():
    change = R.plan_close(hz(**MAJOR), D(2023, 3, 8), "曾小芳")
    assert change.updates == {"closed": D(2023, 3, 8)}
    assert change.events == [{"date": D(2023, 3, 8), "event": "销号", "by": "曾小芳"}]


def test_verify_rules():
    with pytest.raises(R.Refused, match="还没有登记整改完成"):
        R.plan_verify(hz(), Party.ENTERPRISE, D(2023, 3, 6), "王芳")
    h = hz(history=SIGNED[:2])
    with pytest.raises(R.Refused, match="企业方已经签字"):
        R.plan_verify(h, Party.ENTERPRISE, D(2023, 3, 6), "王芳")
    with pytest.raises(R.Refused, match="早于整改完成日期"):
        R.plan_verify(h, Party.DEPARTMENT, D(2023, 3, 4), "李娜")
    change = R.plan_verify(h, Party.DEPARTMENT, D(2023, 3, 6), "李娜")
    assert change.events == [{"date": D(2023, 3, 6), "event": "验收签字", "party": "部门", "by": "李娜"}]


def test_extension_is_an_event_and_counted():
    h = hz()
    change = R.plan_extend(h, D(2023, 3, 31), "材料未到", D(2023, 3, 9), "曾小芳")
    assert change.updates == {"deadline": D(2023, 3, 31)}
    assert change.events == [{"date": D(2023, 3, 9), "event": "延期", "deadline": D(2023, 3, 31),
                              "previous": D(2023, 3, 10), "reason": "材料未到", "by": "曾小芳"}]
    extended = hz(deadline="2023-03-31", history=[ev("2023-03-09", "延期", deadline="2023-03-31", reason="x"),
                                                  ev("2023-03-30", "延期", deadline="2023-04-15", reason="y")])
    assert len(R.extensions(extended)) == 2
    with pytest.raises(R.Refused, match="应晚于原期限"):
        R.plan_extend(h, D(2023, 3, 10), "x", D(2023, 3, 9), "曾小芳")
    with pytest.raises(R.Refused, match="写明原因"):
        R.plan_extend(h, D(2023, 3, 20), "  ", D(2023, 3, 9), "曾小芳")


def test_closed_hazards_refuse_further_steps():
    h = hz(closed="2023-03-08", history=SIGNED)
    for step in (lambda: R.plan_rectify(h, D(2023, 3, 9), "x"),
                 lambda: R.plan_extend(h, D(2023, 4, 1), "x", D(2023, 3, 9), "x"),
                 lambda: R.plan_close(h, D(2023, 3, 9), "x")):
        with pytest.raises(R.Refused, match="已于 2023-03-08 销号"):
            step()


def test_escalation_change():
    h = hz(found="2023-03-01", deadline="2023-04-30")
    change = R.plan_escalate(h, D(2023, 3, 17), "曾小芳", "测试县人民政府", 15)
    # listed that day by the escalating authority; its tracker is named next (listing-pending)
    assert change.updates == {"level": "重大", "supervisor": "测试县人民政府",
                              "listing": {"by": "测试县人民政府", "date": D(2023, 3, 17)}}
    assert change.events[0]["event"] == "提级" and change.events[0]["reason"] == "超过15天未完成整改"
    with pytest.raises(R.Refused, match="不需要提级"):
        R.plan_escalate(h, D(2023, 3, 16), "曾小芳", "测试县人民政府", 15)


def test_as_of_restores_the_deadline_an_extension_replaced():
    h = hz(deadline="2023-04-15", history=[ev("2023-03-09", "延期", deadline="2023-03-31", previous="2023-03-10",
                                              reason="x"),
                                           ev("2023-03-30", "延期", deadline="2023-04-15", previous="2023-03-31",
                                              reason="y")])
    assert [x.deadline for x in R.as_of([h], D(2023, 3, 5))] == [D(2023, 3, 10)]
    assert [x.deadline for x in R.as_of([h], D(2023, 3, 20))] == [D(2023, 3, 31)]
    assert R.is_overdue(R.as_of([h], D(2023, 3, 12))[0], D(2023, 3, 12)) is False
    assert R.is_overdue(R.as_of([h], D(2023, 3, 9))[0], D(2023, 3, 9)) is False
    assert [x.deadline for x in R.as_of([h], D(2023, 4, 1))] == [D(2023, 4, 15)]


def test_a_hazard_found_after_the_day_asked_about_was_not_in_the_ledger_yet():
    """``--today`` rebuilds the ledger as it stood that day: a hazard found later is not in it;
    one found that very day is."""
    h = hz(found="2023-03-01")
    assert R.as_of([h], D(2023, 2, 28)) == []
    assert [x.id for x in R.as_of([h], D(2023, 3, 1))] == ["H-1"]


def test_show_of_a_hazard_not_yet_found_says_so(cli):
    from conftest import DEMO

    res = cli("hazards", "show", "SQ-2023-008", "--data", str(DEMO), "--today", "2023-01-01")
    assert res.code == 2 and "还没有登记" in res.err and "Traceback" not in res.err


def test_the_ledger_as_of_a_day_and_the_matrix_index_are_worked_out_once_per_workspace():
    """``known_on`` and ``Guarantees.for_workspace``: the same answer for the same workspace
    (and day), a new one when its lists are other lists — equal to computing them afresh."""
    import datetime as dt
    from dataclasses import replace

    from conftest import DEMO

    from anquan_cli.rules import hazards as R
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.workspace import load_workspace

    ws, _ = load_workspace(DEMO, use_cache=False)
    day = dt.date(2023, 11, 30)
    known = R.known_on(ws, day)
    assert R.known_on(ws, day) is known
    assert [h.model_dump() for h in known] == [h.model_dump() for h in R.as_of(ws.hazards, day)]
    assert R.known_on(ws, dt.date(2023, 6, 30)) is not known
    fewer = replace(ws, hazards=ws.hazards[1:])
    assert len(R.known_on(fewer, day)) == len([h for h in R.as_of(ws.hazards[1:], day)])
    g = R.Guarantees.for_workspace(ws)
    assert R.Guarantees.for_workspace(ws) is g and g.directory is Directory.for_workspace(ws)
    fresh = R.Guarantees(ws.matrix, Directory.for_workspace(ws))
    assert g.by_hazard == fresh.by_hazard and g.general == fresh.general and g.by_enterprise == fresh.by_enterprise
    assert R.Guarantees.for_workspace(replace(ws, matrix=ws.matrix[1:])) is not g

"""Enforcement (issue 17): the records, each gap rule on both sides of its boundary (003, 001, 002),
the ranking, the commands and the bulletin's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import DEMO, check_json, where
from pydantic import ValidationError

from anquan_cli.models import Enforcement, Hazard
from anquan_cli.models._base import Source
from anquan_cli.models.config import EnforcementSettings
from anquan_cli.rules import enforcement as E

D = dt.date


def hazard(**values) -> Hazard:
    base = {"id": "H-1", "title": "隐患", "unit": "宏达化工有限公司", "level": "重大", "found": "2023-03-01",
            "deadline": "2023-06-30", "source": "部门检查"}
    return Hazard.model_validate({**base, **values}).with_source(Source("hazards/a.yaml", 1))


def action(**values) -> Enforcement:
    base = {"id": "ZF-1", "type": "处罚", "date": "2023-03-20", "unit": "宏达化工有限公司", "by": "县应急管理局",
            "measures": "罚款", "amount": 5, "person": "林国栋", "hazards": ["H-1"]}
    return Enforcement.model_validate({**base, **values}).with_source(Source("enforcement/a.yaml", 1))


def rules(hazards, actions, today, **settings):
    return [g.rule for g in E.gaps(hazards, actions, today, EnforcementSettings(**settings))]


# ---------------------------------------------------------------------- 003: major hazards are penalised


@pytest.mark.parametrize(("penalised", "gap"), [("2023-03-31", False), ("2023-04-01", True)])
def test_a_major_hazard_is_penalised_within_the_days(penalised, gap):
    # found 03-01, 30 days: 03-31 is the last day in time
    got = rules([hazard()], [action(date=penalised)], D(2023, 5, 1))
    assert ("major-without-penalty" in got) == gap


@pytest.mark.parametrize(("today", "gap"), [(D(2023, 3, 31), False), (D(2023, 4, 1), True)])
def test_the_gap_opens_the_day_after_the_last_day(today, gap):
    got = E.gaps([hazard()], [], today, EnforcementSettings())
    assert ("major-without-penalty" in [g.rule for g in got]) == gap
    if gap:
        (g,) = [g for g in got if g.rule == "major-without-penalty"]
        assert (g.since, g.days(today)) == (D(2023, 4, 1), 1)


def test_only_hazards_found_by_enforcement_when_the_workspace_says_so():
    assert "major-without-penalty" not in rules([hazard()], [], D(2023, 5, 1), penalise_major=False)
    assert "major-without-penalty" in rules([hazard(source="执法检查")], [], D(2023, 5, 1), penalise_major=False)


@pytest.mark.parametrize(("exempt", "source", "today", "gap"), [
    (False, "企业自查", D(2023, 5, 1), True),       # the exemption is off by default
    (True, "企业自查", D(2023, 5, 1), False),       # self-reported, rectifying within its deadline
    (True, "企业自查", D(2023, 7, 1), True),        # … past its deadline: no longer
    (True, "部门检查", D(2023, 5, 1), True),        # found by a department: never exempt
])
def test_the_001_exemption(exempt, source, today, gap):
    got = rules([hazard(source=source)], [], today, exempt_self_reported_in_progress=exempt)
    assert ("major-without-penalty" in got) == gap


# ---------------------------------------------------------------------- 003: overdue hazards are penalised


@pytest.mark.parametrize(("today", "penalty", "gap"), [
    (D(2023, 6, 30), None, False),          # the deadline day itself is in time
    (D(2023, 7, 1), None, True),
    (D(2023, 7, 5), "2023-06-30", True),    # a penalty on the deadline day is not one for being late
    (D(2023, 7, 5), "2023-07-01", False),
])
def test_a_hazard_not_rectified_by_its_deadline_is_penalised(today, penalty, gap):
    h = hazard(level="一般")
    actions = [action(date=penalty)] if penalty else []
    assert ("overdue-without-penalty" in rules([h], actions, today)) == gap


def test_rectified_late_still_needs_a_penalty_and_on_time_does_not():
    late = hazard(level="一般", history=[{"date": "2023-07-03", "event": "整改完成", "by": "张三"}])
    on_time = hazard(id="H-2", level="一般", history=[{"date": "2023-06-30", "event": "整改完成", "by": "张三"}])
    got = E.gaps([late, on_time], [], D(2023, 8, 1), EnforcementSettings())
    assert [(g.rule, g.hazard) for g in got] == [("overdue-without-penalty", "H-1")]


# ---------------------------------------------------------------------- 001: 一案双罚, 停产整顿


def test_a_major_hazard_penalised_on_the_unit_alone_is_a_gap():
    assert "single-penalty" in rules([hazard()], [action(person=None)], D(2023, 4, 1))
    both = [action(person=None), action(id="ZF-2", person="林国栋")]
    assert "single-penalty" not in rules([hazard()], both, D(2023, 4, 1))
    assert "single-penalty" not in rules([hazard(level="一般")], [action(person=None)], D(2023, 4, 1))


@pytest.mark.parametrize(("today", "resumed", "accepted", "expected"), [
    (D(2023, 9, 30), None, None, set()),                              # the last day of 停产整顿
    (D(2023, 10, 1), None, None, {"suspension-overdue"}),
    (D(2023, 10, 9), "2023-10-08", "2023-10-07", set()),
    (D(2023, 10, 9), "2023-10-08", None, {"resumed-without-acceptance"}),
    (D(2023, 10, 9), "2023-10-08", "2023-10-09", {"resumed-without-acceptance"}),   # accepted after resuming
])
def test_suspensions(today, resumed, accepted, expected):
    s = action(type="停产整顿", measures=[], amount=None, date="2023-08-10", from_="2023-08-10",
               until="2023-09-30", resumed=resumed, accepted=accepted)
    assert set(rules([], [s], today)) == expected


def test_as_of_a_day_a_later_resumption_is_not_known():
    s = action(type="停产整顿", measures=[], amount=None, date="2023-08-10", from_="2023-08-10",
               until="2023-09-30", resumed="2023-10-08", accepted="2023-10-07")
    (then,) = E.as_of([s], D(2023, 10, 3))
    assert then.resumed is None and then.accepted is None
    assert E.as_of([s], D(2023, 8, 9)) == []


# ---------------------------------------------------------------------- 以罚代管, 约谈


def test_a_penalty_is_not_the_end_of_it():
    h = hazard(level="一般", deadline="2023-04-30")
    p = action(date="2023-05-05")
    assert "penalty-only" in rules([h], [p], D(2023, 6, 1))
    assert "penalty-only" not in rules([h], [p], D(2023, 4, 30))   # within its deadline: still rectifying
    done = hazard(level="一般", deadline="2023-04-30", history=[{"date": "2023-05-20", "event": "整改完成", "by": "张三"}])
    assert "penalty-only" not in rules([done], [p], D(2023, 6, 1))


def test_a_hazard_rectified_on_the_spot_needs_an_interview_when_the_workspace_enables_it():
    spot = hazard(level="一般", history=[{"date": "2023-03-01", "event": "整改完成", "by": "张三"}])
    assert "interview-missing" not in rules([spot], [], D(2023, 4, 1))
    assert "interview-missing" in rules([spot], [], D(2023, 4, 1), interview_general=True)
    talk = action(type="约谈", measures=[], amount=None, person=None)
    assert "interview-missing" not in rules([spot], [talk], D(2023, 4, 1), interview_general=True)


# ---------------------------------------------------------------------- records


@pytest.mark.parametrize(("values", "words"), [
    ({"measures": []}, "处罚种类"), ({"amount": None}, "罚款金额"),
    ({"type": "停产整顿", "measures": []}, "开始日期"), ({"type": "移送", "measures": []}, "移送机关"),
])
def test_a_record_missing_what_its_type_needs_is_refused(values, words):
    with pytest.raises(ValidationError, match=words):
        action(**values)


def test_records_as_offices_write_them(workspace, cli):
    root = workspace({"enforcement/2023.csv": (
        "编号,类型,日期,当事单位,执法部门,处罚种类,罚款金额,主要负责人,文号,相关隐患\n"
        "ZF-1,行政处罚,2023年3月20日,宏达化工有限公司,县应急管理局,警告、罚款,5万元,林国栋,青应急罚〔2023〕1号,H-9\n"
        "ZF-2,约谈,2023-03-21,宏达化工有限公司,某某检查站,,,,,\n"
    ).encode("gb18030")})
    res = cli("enforcement", "list", "--data", str(root), "--today", "2023-11-30", "--format", "json")
    assert res.code == 0, res.err
    row = res.json()[0]
    assert (row["type"], row["date"], row["measures"], row["amount"], row["township"]) == (
        "penalty", "2023-03-20", ["warning", "fine"], 5.0, "石桥镇")
    found = check_json(cli, root)
    assert ("enforcement/2023.csv", 2, "enforcement-hazard-unknown") in where(found)
    assert any(p["code"] == "unit-unknown" and "某某检查站" in p["message"] for p in found)


# ---------------------------------------------------------------------- commands and the demo


def test_gaps_json_has_the_contract_keys_and_an_exit_code(cli):
    res = cli("enforcement", "gaps", "--data", str(DEMO), "--today", "2023-11-30", "--format", "json", "--exit-code")
    assert res.code == 1
    rows = res.json()
    assert rows and all(list(r) == ["rule", "hazard", "unit", "since", "days", "message", "file", "line"] for r in rows)
    got = {(r["rule"], r["hazard"]) for r in rows}
    assert ("major-without-penalty", "CG-2023-004") in got          # 安顺燃气: no penalty at all
    assert ("single-penalty", "CG-2023-003") in got                 # 城投: the unit alone
    assert ("suspension-overdue", None) in got                      # 石料厂: 停产整顿 past 09-30
    assert ("major-without-penalty", "SQ-2023-004") not in got      # penalised 05-08


def test_stats_rank_departments_and_agree_with_a_count_of_the_ledger(cli):
    import yaml

    res = cli("enforcement", "stats", "--period", "2023", "--data", str(DEMO), "--today", "2023-11-30",
              "--format", "json")
    assert res.code == 0, res.err
    rows = res.json()
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    records = yaml.safe_load((DEMO / "enforcement/2023.yaml").read_text(encoding="utf-8"))["enforcement"]
    mine = [r for r in records if r["by"] == "青岚县应急管理局"]
    first = rows[0]
    assert first["name"] == "青岚县应急管理局"
    assert first["penalties"] == sum(1 for r in mine if r["type"] == "处罚")
    assert first["fines"] == sum(r.get("amount", 0) for r in mine if r["type"] == "处罚")
    assert first["inspections"] == sum(1 for r in mine if r["type"] == "检查")


def test_the_quarterly_bulletin_has_enforcement_figures_that_agree_with_a_count(cli):
    import yaml

    res = cli("report", "quarterly", "--period", "2023Q3", "--data", str(DEMO), "--today", "2023-11-30",
              "--format", "md")
    assert res.code == 0, res.err
    text = res.out.split("执法检查和打非治违")[1]
    records = yaml.safe_load((DEMO / "enforcement/2023.yaml").read_text(encoding="utf-8"))["enforcement"]
    q3 = [r for r in records if "2023-07-01" <= str(r["date"]) <= "2023-09-30"]
    penalties = [r for r in q3 if r["type"] == "处罚"]
    fines = sum(r.get("amount", 0) for r in penalties)
    inspections = sum(1 for r in q3 if r["type"] == "检查")
    assert (f"开展执法检查 {inspections} 次" in text and f"作出行政处罚 {len(penalties)} 起，罚款 {fines:g} 万元" in text), text
    assert "| 重大事故隐患未处罚 | CG-2023-004 |" in text


def test_hazard_show_lists_the_actions_that_refer_to_it(cli):
    res = cli("hazards", "show", "SQ-2023-004", "--data", str(DEMO), "--today", "2023-11-30", "--format", "json")
    ids = [a["id"] for a in res.json()["enforcement"]]
    assert ids == ["ZF-2023-008", "ZF-2023-012", "ZF-2023-013"]


def test_the_office_ledgers_survive_export_then_import(cli, tmp_path):
    import shutil

    out = tmp_path / "zf.xlsx"
    res = cli("export", "enforcement", "-o", str(out), "--data", str(DEMO), "--today", "2023-11-30")
    assert res.code == 0, res.err
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["汇总", "执法检查台账", "行政处罚台账", "其他执法"]
    penalties = book.get_sheet_by_name("行政处罚台账").to_python()
    assert penalties[2][:4] == ["序号", "编号", "类型", "日期"] and len(penalties) == 3 + 14
    fresh = tmp_path / "fresh"
    shutil.copytree(DEMO, fresh)
    shutil.rmtree(fresh / "enforcement")
    for sheet in ("执法检查台账", "行政处罚台账", "其他执法"):
        got = cli("import", "enforcement", str(out), "--sheet", sheet, "--data", str(fresh), "--today", "2023-11-30")
        assert got.code == 0, got.out + got.err
    again = cli("import", "enforcement", str(out), "--sheet", "行政处罚台账", "--data", str(fresh), "--today", "2023-11-30")
    assert "新增 0 条，已存在 14 条（其中与台账不同 0 条）" in again.out

    def gaps(root):
        res = cli("enforcement", "gaps", "--data", str(root), "--today", "2023-11-30", "--format", "json")
        return [(g["rule"], g["hazard"], g["unit"], g["since"]) for g in res.json()]

    assert gaps(fresh) == gaps(DEMO)
    assert cli("check", "--data", str(fresh), "--today", "2023-11-30", "--strict").code == 0


def test_the_quarterly_docx_ends_with_enforcement_and_the_weekly_lists_the_week_s_actions(cli, tmp_path):
    import docx

    out = tmp_path / "q.docx"
    assert cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "-f", "docx", "-o", str(out),
               "--data", str(DEMO)).code == 0
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs if p.text.strip()]
    assert "九、执法检查和打非治违" in texts and any(t.startswith("本季度各执法部门开展执法检查 1 次") for t in texts)
    ranking = next(t for t in d.tables if t.rows[0].cells[1].text == "执法部门")
    assert ranking.rows[1].cells[1].text == "青岚县应急管理局"
    week = tmp_path / "w.docx"
    assert cli("report", "weekly", "--period", "2023-W32", "--today", "2023-11-30", "-f", "docx", "-o", str(week),
               "--data", str(DEMO)).code == 0
    texts = [p.text for p in docx.Document(str(week)).paragraphs]
    assert "七、本周执法" in texts

"""Accidents (issue 16): grading (条例第三条) at every threshold, the reporting clocks (第九、十条),
the 补报 window (第十三条), the records, the commands and the bulletin's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import check_json, where
from hypothesis import given
from hypothesis import strategies as st

from anquan_cli.models import Accident, AccidentGrade
from anquan_cli.models._base import Source
from anquan_cli.rules import accidents as A
from anquan_cli.rules.lookup import Directory
from anquan_cli.snapshot import Workspace
from anquan_cli.text import parse_count, parse_moment, parse_money


def accident(**values) -> Accident:
    base = {"id": "SG-1", "occurred": "2023-08-12 14:30", "unit": "宏达化工有限公司", "title": "中毒"}
    a = Accident.model_validate({**base, **values})
    return a.with_source(Source("accidents/a.yaml", 1))


def directory() -> Directory:
    from anquan_cli.models import WorkspaceConfig

    return Directory.for_workspace(Workspace(root=None, config=WorkspaceConfig.model_validate({"jurisdiction": "青岚县", "level": "县"})))


# ---------------------------------------------------------------------- 条例第三条


@pytest.mark.parametrize(("deaths", "grade"), [(0, "general"), (2, "general"), (3, "larger"), (9, "larger"),
                                                (10, "major"), (29, "major"), (30, "especially_major")])
def test_deaths_grade_at_every_threshold(deaths, grade):
    assert A.computed_grade(accident(deaths=deaths)).value == grade


@pytest.mark.parametrize(("serious", "grade"), [(9, "general"), (10, "larger"), (49, "larger"), (50, "major"),
                                                 (99, "major"), (100, "especially_major")])
def test_serious_injuries_grade_at_every_threshold(serious, grade):
    assert A.computed_grade(accident(serious_injuries=serious)).value == grade


@pytest.mark.parametrize(("loss", "grade"), [(999, "general"), (1000, "larger"), (4999, "larger"), (5000, "major"),
                                              (9999, "major"), (10000, "especially_major"), ("1亿元", "especially_major"),
                                              ("999.99万元", "general")])
def test_direct_loss_grade_at_every_threshold(loss, grade):
    assert A.computed_grade(accident(direct_loss=loss)).value == grade


@pytest.mark.parametrize(("values", "grade"), [
    ({"deaths": 2, "serious_injuries": 10}, "larger"),      # 一般 by deaths, 较大 by injuries
    ({"deaths": 1, "direct_loss": 5000}, "major"),          # the loss decides
    ({"deaths": 10, "serious_injuries": 9, "direct_loss": 100}, "major"),
    ({"deaths": 3, "serious_injuries": 100}, "especially_major"),
])
def test_the_highest_criterion_wins(values, grade):
    assert A.computed_grade(accident(**values)).value == grade


def test_the_missing_count_with_the_dead_unless_the_settings_say_not():
    a = accident(deaths=1, missing=2)
    assert A.computed_grade(a).value == "larger"
    assert A.computed_grade(a, missing_as_deaths=False).value == "general"


def test_a_stated_grade_counts_unless_it_is_below_the_figures():
    assert A.grade_of(accident(deaths=1, grade="较大")) is AccidentGrade.LARGER  # raised by the investigation
    assert A.grade_of(accident(deaths=3, grade="一般")) is AccidentGrade.LARGER


def test_a_stated_grade_below_the_figures_is_a_check_error(workspace, cli):
    root = workspace({"accidents/2023.yaml": """\
        accidents:
          - id: SG-1
            occurred: 2023-08-12 14:30
            unit: 宏达化工有限公司
            title: 中毒
            deaths: 3
            grade: 一般
          - id: SG-2
            occurred: 2023-08-13
            unit: 宏达化工有限公司
            title: 灼烫
            deaths: 2
            grade: 一般
        """})
    found = check_json(cli, root)
    assert ("accidents/2023.yaml", 7, "accident-grade-too-low") in where(found)
    assert not any(p["code"] == "accident-grade-too-low" and p["line"] > 8 for p in found)
    message = next(p["message"] for p in found if p["code"] == "accident-grade-too-low")
    assert "较大" in message and "第三条" in message


# ---------------------------------------------------------------------- 条例第九、十条


def reports(*rows):
    return [{"time": t, "from": f, "to": to} for t, f, to in rows]


@pytest.mark.parametrize(("at", "late"), [("15:30", None), ("15:31", 1)])
def test_the_unit_reports_to_the_county_within_one_hour(at, late):
    a = accident(reports=reports((f"2023-08-12 {at}", "宏达化工有限公司", "青岚县应急管理局")))
    clock = next(c for c in A.clocks(a, directory()) if c.code == "unit")
    assert clock.minutes_late() == late


def test_a_report_to_the_township_only_does_not_answer_the_unit_clock():
    a = accident(reports=reports(("2023-08-12 14:40", "宏达化工有限公司", "石桥镇人民政府")))
    clock = next(c for c in A.clocks(a, directory()) if c.code == "unit")
    assert clock.done is None
    assert clock.minutes_late(dt.datetime(2023, 8, 12, 16, 0)) == 30


@pytest.mark.parametrize(("at", "late"), [("17:00", None), ("17:01", 1)])
def test_each_level_passes_the_report_up_within_two_hours(at, late):
    a = accident(reports=reports(("2023-08-12 15:00", "宏达化工有限公司", "青岚县应急管理局"),
                                 (f"2023-08-12 {at}", "青岚县应急管理局", "青州市应急管理局")))
    clock = next(c for c in A.clocks(a, directory()) if c.code == "pass-up" and c.level == "county")
    assert clock.minutes_late() == late


def test_the_township_passes_it_up_within_two_hours_too():
    a = accident(reports=reports(("2023-08-12 14:40", "宏达化工有限公司", "石桥镇人民政府"),
                                 ("2023-08-12 16:41", "石桥镇人民政府", "青岚县人民政府值班室")))
    clock = next(c for c in A.clocks(a, directory()) if c.level == "township")
    assert clock.minutes_late() == 1


def test_the_chain_ends_where_the_grade_says_and_at_the_office_own_level():
    # 一般: up to the city — the city passes nothing further
    general = accident(reports=reports(("2023-08-12 15:00", "宏达化工有限公司", "青岚县应急管理局"),
                                       ("2023-08-12 16:00", "青岚县应急管理局", "青州市应急管理局")))
    assert {c.level for c in A.clocks(general, directory(), own_level="province")} == {"unit", "county"}
    # 较大 in a city office's ledger: the city passes it to the province
    larger = accident(deaths=3, reports=general.model_dump(by_alias=True)["reports"])
    assert {c.level for c in A.clocks(larger, directory(), own_level="city")} == {"unit", "county", "city"}
    # … which a county office does not watch
    assert {c.level for c in A.clocks(larger, directory(), own_level="county")} == {"unit", "county"}


def test_a_day_without_a_time_starts_no_clock_in_minutes_but_a_missing_report_is_missing():
    bare = accident(occurred="2023-08-12")
    (clock,) = A.clocks(bare, directory())
    assert clock.due_day_only and clock.done is None
    told = accident(occurred="2023-08-12", reports=reports(("2023-08-13", "宏达化工有限公司", "青岚县应急管理局")))
    assert A.clocks(told, directory()) == []  # reported (when in the day is not known): nothing to count


def test_a_notice_coming_down_is_not_a_report_to_pass_on():
    a = accident(reports=reports(("2023-08-12 15:00", "宏达化工有限公司", "青岚县应急管理局"),
                                 ("2023-08-12 15:30", "青岚县应急管理局", "石桥镇人民政府"),
                                 ("2023-08-12 16:00", "青岚县应急管理局", "青州市应急管理局")))
    assert {c.level for c in A.clocks(a, directory())} == {"unit", "county"}


def test_a_report_before_the_accident_answers_no_clock():
    a = accident(reports=reports(("2023-08-12 07:59", "宏达化工有限公司", "青岚县应急管理局")))
    clock = next(c for c in A.clocks(a, directory()) if c.code == "unit")
    assert clock.done is None


def test_as_of_a_day_a_later_finding_and_conclusion_are_not_known():
    a = accident(concealment={"kind": "迟报", "date": "2023-08-20"},
                 investigation={"by": "调查组", "started": "2023-08-13", "closed": "2023-10-01", "conclusion": "责任事故"})
    (then,) = A.as_of([a], dt.date(2023, 8, 15))
    assert then.concealment is None and then.investigation.closed is None and then.investigation.conclusion is None
    (later,) = A.as_of([a], dt.date(2023, 12, 1))
    assert later.concealment is not None and later.investigation.conclusion == "责任事故"


@pytest.mark.parametrize(("cell", "times"), [
    ("2023年8月12日15时10分 宏达化工有限公司→青岚县应急管理局", [dt.datetime(2023, 8, 12, 15, 10)]),
    ("2023-08-13 宏达化工有限公司→青岚县应急管理局；2023-08-13 16:00 青岚县应急管理局->青州市应急管理局 人=张三",
     [dt.date(2023, 8, 13), dt.datetime(2023, 8, 13, 16, 0)]),
])
def test_the_reports_cell_takes_the_forms_offices_write(cell, times):
    assert [r.time for r in accident(reports=cell).reports] == times


def test_a_concealment_cell_keeps_what_follows_the_kind_as_its_note():
    a = accident(concealment="迟报（县应急管理局 2023-09-20 认定）")
    assert (a.concealment.kind.label, a.concealment.note) == ("迟报", "县应急管理局 2023-09-20 认定")


@pytest.mark.parametrize(("minutes", "text"), [(75, "75 分钟"), (119, "119 分钟"), (185, "3 小时 5 分钟"),
                                                (120, "2 小时"), (3 * 1440 + 300, "3 天 5 小时")])
def test_lateness_in_words(minutes, text):
    assert A.duration(minutes) == text


@pytest.mark.parametrize(("body", "level"), [
    ("青岚县应急管理局", "county"), ("县市场监督管理局", "county"), ("石桥镇人民政府", "township"),
    ("青州市应急管理局", "city"), ("某省应急管理厅", "province"), ("国务院安委会办公室", "national"),
    ("宏达化工有限公司", "unit"), ("青岚县某某建材厂", "unit"), ("张三", "unit")])
def test_who_is_at_which_level(body, level):
    assert A.level_of(body, directory()) == level


def test_reports_after_today_and_implausible_losses_are_flagged(workspace, cli):
    root = workspace({"accidents/2023.yaml": """\
        accidents:
          - id: SG-1
            occurred: 2023-08-12 14:30
            unit: 宏达化工有限公司
            title: 中毒
            direct_loss: 12000000
            reports:
              - {time: 2023-08-12 15:00, from: 宏达化工有限公司, to: 青岚县应急管理局}
              - {time: 2023-12-02 09:00, from: 青岚县应急管理局, to: 青州市应急管理局}
        """})
    found = check_json(cli, root)
    assert ("accidents/2023.yaml", 9, "report-in-future") in where(found)
    assert ("accidents/2023.yaml", 6, "accident-loss-implausible") in where(found)
    res = cli("accidents", "report", "SG-1", "--to", "青州市应急管理局", "--from", "青岚县应急管理局",
              "--time", "2024-01-02 14:00", "--data", str(root), "--today", "2023-11-30")
    assert res.code != 0 and "report-in-future" in res.err


def test_a_township_that_is_not_the_unit_s_is_a_warning(workspace, cli):
    root = workspace({"accidents/2023.yaml": """\
        accidents:
          - id: SG-1
            occurred: 2023-08-12
            unit: 宏达化工有限公司
            township: 城关镇
            title: 中毒
        """})
    assert "township-mismatch" in {p["code"] for p in check_json(cli, root)}


def test_late_and_missing_reports_are_check_warnings_with_the_minutes(workspace, cli):
    root = workspace({"accidents/2023.yaml": """\
        accidents:
          - id: SG-1
            occurred: 2023-08-12 14:30
            unit: 宏达化工有限公司
            title: 中毒
            reports:
              - {time: 2023-08-12 15:31, from: 宏达化工有限公司, to: 青岚县应急管理局}
          - id: SG-2
            occurred: 2023-08-13 09:00
            unit: 宏达化工有限公司
            title: 灼烫
        """})
    found = check_json(cli, root)
    late = next(p for p in found if p["code"] == "accident-report-late")
    assert (late["path"], late["line"]) == ("accidents/2023.yaml", 7) and "迟 1 分钟" in late["message"]
    assert "第九条" in late["message"]
    missing = sorted(p["message"] for p in found if p["code"] == "accident-report-missing")
    # SG-1: the county received it and has not passed it on; SG-2: the unit never reported
    assert len(missing) == 2
    assert "SG-1：未见县级向上一级报告" in missing[0] and "第十条" in missing[0]
    assert "SG-2：未见事故发生单位向县级以上安全生产监督管理部门报告" in missing[1]
    assert all(p["severity"] == "warning" for p in found if p["code"].startswith("accident-report"))


# ---------------------------------------------------------------------- 条例第十三条


@pytest.mark.parametrize(("kind", "sector", "days", "late"), [
    ("中毒和窒息", None, 30, None), ("中毒和窒息", None, 31, 1),
    ("火灾", None, 7, None), ("火灾", None, 8, 1),
    ("车辆伤害", "道路运输", 7, None), ("车辆伤害", "道路运输", 8, 1),
    ("车辆伤害", "工贸", 30, None),  # a vehicle in a workshop is not a road-traffic accident
])
def test_casualty_changes_are_reported_within_the_window(kind, sector, days, late):
    day = dt.date(2023, 8, 12) + dt.timedelta(days=days)
    a = accident(kind=kind, sector=sector, followups=[{"time": day.isoformat(), "deaths": 2}])
    assert A.late_followups(a, directory()) == ([] if late is None else [(0, late)])


def test_a_followup_without_casualty_figures_has_no_window():
    a = accident(followups=[{"time": "2023-12-31", "note": "调查报告已批复"}])
    assert A.late_followups(a, directory()) == []


# ---------------------------------------------------------------------- values as offices write them


@pytest.mark.parametrize(("text", "value"), [
    ("2023-08-12", dt.date(2023, 8, 12)), ("2023-08-12 14:30", dt.datetime(2023, 8, 12, 14, 30)),
    ("2023/8/12 14:30:00", dt.datetime(2023, 8, 12, 14, 30)), ("2023年8月12日14时30分", dt.datetime(2023, 8, 12, 14, 30)),
    ("二〇二三年八月十二日十四时", dt.datetime(2023, 8, 12, 14, 0)), ("２０２３-０８-１２ １４:３０", dt.datetime(2023, 8, 12, 14, 30)),
])
def test_moments_in_the_forms_offices_write(text, value):
    assert parse_moment(text) == value


@pytest.mark.parametrize("text", ["2023-08-12 24:00", "2023-08-12 14:60", "2023-02-30 10:00"])
def test_impossible_moments_are_refused(text):
    with pytest.raises(ValueError):
        parse_moment(text)


@pytest.mark.parametrize(("text", "value"), [("3", 3), ("3人", 3), ("三", 3), ("３名", 3), ("十二", 12)])
def test_counts(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(("text", "value"), [("1200", 1200), ("1200万元", 1200), ("1.2亿元", 12000),
                                              ("35000元", 3.5), ("1,200", 1200)])
def test_money_in_wan_yuan(text, value):
    assert parse_money(text) == value


@given(st.integers(min_value=0, max_value=10**6))
def test_counts_round_trip(n):
    assert parse_count(str(n)) == n and parse_count(f"{n}人") == n


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2199, 12, 31)))
def test_moments_round_trip(moment):
    moment = moment.replace(second=0, microsecond=0)
    assert parse_moment(moment.isoformat(sep=" ", timespec="minutes")) == moment
    assert parse_moment(f"{moment.year}年{moment.month}月{moment.day}日{moment.hour}时{moment.minute}分") == moment


def test_a_csv_ledger_with_chinese_headers_and_a_reports_cell(workspace, cli):
    root = workspace({"accidents/2023.csv": (
        "事故编号,事故名称,发生时间,事故单位,死亡人数,重伤人数,直接经济损失,报告记录\n"
        "SG-1,灼烫,2023年8月12日14时30分,宏达化工有限公司,一,2人,85万元,"
        "2023-08-12 15:00 宏达化工有限公司→青岚县应急管理局 人=林国栋；2023-08-12 16:00 青岚县应急管理局→青州市应急管理局\n"
    ).encode("gb18030")})
    res = cli("accidents", "show", "SG-1", "--data", str(root), "--today", "2023-12-31", "--format", "json")
    assert res.code == 0, res.err
    d = res.json()
    assert (d["deaths"], d["serious_injuries"], d["direct_loss"], d["occurred"]) == (1, 2, 85.0, "2023-08-12T14:30")
    assert [r["to"] for r in d["reports"]] == ["青岚县应急管理局", "青州市应急管理局"]
    assert all(c["minutes_late"] is None for c in d["clocks"])


def test_a_reports_cell_that_cannot_be_read_is_an_error_on_its_line(workspace, cli):
    root = workspace({"accidents/2023.csv": "事故编号,事故名称,发生时间,事故单位,报告记录\n"
                                            "SG-1,灼烫,2023-08-12 14:30,宏达化工有限公司,下午报了县里\n"})
    found = check_json(cli, root)
    assert any(p["path"] == "accidents/2023.csv" and p["line"] == 2 and p["severity"] == "error" for p in found)


# ---------------------------------------------------------------------- commands


LEDGER = """\
    accidents:
      - id: SG-2023-001
        occurred: 2023-03-21 09:40
        unit: 宏达化工有限公司
        title: 高处坠落
        kind: 高处坠落
        deaths: 1
        direct_loss: 150
      - id: SG-2023-002
        occurred: 2023-07-08 16:30
        unit: 宏达化工有限公司
        township: 石桥镇
        title: 中毒和窒息
        kind: 中毒和窒息
        deaths: 3
        serious_injuries: 2
        direct_loss: 680
        reports:
          - {time: 2023-07-08 17:50, from: 宏达化工有限公司, to: 青岚县应急管理局}
      - id: SG-2022-001
        occurred: 2022-08-16 10:20
        unit: 宏达化工有限公司
        title: 灼烫
        serious_injuries: 2
        direct_loss: 85
    """


def test_accidents_list_json_has_the_contract_keys(workspace, cli):
    root = workspace({"accidents/a.yaml": LEDGER})
    res = cli("accidents", "list", "--data", str(root), "--today", "2023-12-31", "--format", "json")
    assert res.code == 0, res.err
    rows = res.json()
    assert [r["id"] for r in rows] == ["SG-2022-001", "SG-2023-001", "SG-2023-002"]
    assert list(rows[0]) == ["id", "occurred", "unit", "township", "sector", "kind", "deaths", "missing",
                             "serious_injuries", "minor_injuries", "direct_loss", "grade", "grade_label",
                             "late_reports", "file", "line"]
    larger = rows[2]
    # late to the county (17:50 for 16:30), and the county has not passed it on
    assert (larger["grade"], larger["grade_label"], larger["late_reports"], larger["township"]) == ("larger", "较大", 2, "石桥镇")
    assert rows[1]["late_reports"] == 1  # no report at all: missing
    assert (rows[1]["township"], rows[1]["sector"]) == ("石桥镇", "危险化学品")  # from the unit


def test_accidents_list_filters_and_periods(workspace, cli):
    root = workspace({"accidents/a.yaml": LEDGER})

    def ids(*args):
        res = cli("accidents", "list", "--data", str(root), "--today", "2023-12-31", "--format", "json", *args)
        assert res.code == 0, res.err
        return [r["id"] for r in res.json()]

    assert ids("--period", "2023Q3") == ["SG-2023-002"]
    assert ids("--grade", "较大") == ["SG-2023-002"]
    assert ids("--grade", "general") == ["SG-2022-001", "SG-2023-001"]
    assert ids("--period", "2022") == ["SG-2022-001"]
    # as of a day: what had happened by then
    res = cli("accidents", "list", "--data", str(root), "--today", "2023-05-01", "--format", "json")
    assert [r["id"] for r in res.json()] == ["SG-2022-001", "SG-2023-001"]
    csv = cli("accidents", "list", "--data", str(root), "--today", "2023-12-31", "--format", "csv")
    assert csv.out.splitlines()[0].startswith("id,occurred,unit,")


def test_accidents_show_names_a_missing_id(workspace, cli):
    root = workspace({"accidents/a.yaml": LEDGER})
    res = cli("accidents", "show", "SG-2023-00", "--data", str(root), "--today", "2023-12-31")
    assert res.code == 2 and "SG-2023-00" in res.err


def test_a_table_at_80_columns(workspace, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    root = workspace({"accidents/a.yaml": LEDGER})
    res = cli("accidents", "list", "--data", str(root), "--today", "2023-12-31")
    assert res.code == 0, res.err
    assert "共 3 起，死亡 4 人，重伤 4 人，直接经济损失 915 万元。" in res.out


# ---------------------------------------------------------------------- the bulletin


def test_the_quarterly_bulletin_opens_with_accident_figures_that_agree_with_a_count(workspace, cli):
    root = workspace({"accidents/a.yaml": LEDGER})
    res = cli("report", "quarterly", "--period", "2023Q3", "--data", str(root), "--today", "2023-12-31",
              "--format", "md")
    assert res.code == 0, res.err
    text = res.out
    first = text.index("## 一、事故情况")
    assert first < text.index("## 二、")
    # an independent count of the ledger: 2023Q3 holds SG-2023-002 only; 2023Q2 none; 2022Q3 SG-2022-001
    import textwrap

    import yaml

    rows = yaml.safe_load(textwrap.dedent(LEDGER))["accidents"]
    q3 = [r for r in rows if "2023-07-01" <= str(r["occurred"])[:10] <= "2023-09-30"]
    deaths = sum(r.get("deaths", 0) for r in q3)
    assert f"本季度共发生生产安全事故 {len(q3)} 起，死亡 {deaths} 人" in text
    assert "其中较大事故 1 起" in text
    q2 = [r for r in rows if "2023-04-01" <= str(r["occurred"])[:10] <= "2023-06-30"]
    q3_2022 = [r for r in rows if "2022-07-01" <= str(r["occurred"])[:10] <= "2022-09-30"]
    assert (len(q2), len(q3_2022)) == (0, 1)
    assert f"| 事故起数 | {len(q3)} | {len(q2)} | 增加1起 | {len(q3_2022)} | 持平 |" in text
    serious = [sum(r.get("serious_injuries", 0) for r in part) for part in (q3, q2, q3_2022)]
    assert f"| 重伤人数 | {serious[0]} | {serious[1]} | 增加2人 | {serious[2]} | 持平 |" in text
    assert "事故发生单位迟报20分钟、县级未见上报" in text
    assert "SG-2023-002" in text and "SG-2023-001" not in text


def test_a_quarter_without_accidents_says_so(workspace, cli):
    root = workspace({"accidents/a.yaml": LEDGER})
    res = cli("report", "quarterly", "--period", "2023Q2", "--data", str(root), "--today", "2023-12-31",
              "--format", "md")
    assert "本季度未发生生产安全事故。" in res.out


# ---------------------------------------------------------------------- edits


def test_accidents_add_writes_a_record_check_accepts_and_numbers_it(workspace, cli):
    root = workspace({"accidents/2023.yaml": "# 台账\naccidents:\n  - id: SG-2023-001\n    occurred: 2023-03-21\n"
                                             "    unit: 宏达化工有限公司\n    title: 高处坠落\n"})
    before = (root / "accidents/2023.yaml").read_text(encoding="utf-8")
    res = cli("accidents", "add", "--occurred", "2023-11-20 08:15", "--unit", "宏达化工有限公司", "--title", "爆燃",
              "--kind", "其他爆炸", "--serious-injuries", "1", "--direct-loss", "40万元",
              "--data", str(root), "--today", "2023-11-30")
    assert res.code == 0, res.err
    assert "SG-2023-002" in res.out
    after = (root / "accidents/2023.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # only the new record's lines
    assert 'occurred: "2023-11-20 08:15"' in after and "direct_loss: 40\n" in after and "kind: 其他爆炸" in after
    show = cli("accidents", "show", "SG-2023-002", "--data", str(root), "--today", "2023-11-30", "--format", "json")
    assert show.json()["occurred"] == "2023-11-20T08:15"
    assert not [p for p in check_json(cli, root) if p["severity"] == "error"]


def test_accidents_add_refuses_a_record_check_rejects(workspace, cli):
    root = workspace({})
    res = cli("accidents", "add", "--occurred", "2023-11-20 08:15", "--unit", "宏达化工有限公司", "--title", "中毒",
              "--deaths", "4", "--grade", "一般", "--data", str(root), "--today", "2023-11-30")
    assert res.code != 0 and "accident-grade-too-low" in res.err
    assert not (root / "accidents").exists()
    future = cli("accidents", "add", "--occurred", "2023-12-20", "--unit", "宏达化工有限公司", "--title", "中毒",
                 "--data", str(root), "--today", "2023-11-30")
    assert future.code != 0 and not (root / "accidents").exists()


def test_accidents_report_puts_the_report_in_time_order_and_says_it_was_late(workspace, cli):
    root = workspace({"accidents/a.yaml": """\
        accidents:
          - id: SG-1
            occurred: 2023-08-12 14:30
            unit: 宏达化工有限公司
            title: 中毒
            reports:
              - {time: 2023-08-12 17:00, from: 青岚县应急管理局, to: 青州市应急管理局}
        """})
    res = cli("accidents", "report", "SG-1", "--to", "青岚县应急管理局", "--time", "2023-08-12 15:45", "--by", "林国栋",
              "--data", str(root), "--today", "2023-11-30")
    assert res.code == 0, res.err
    assert "accident-report-late" in res.err and "迟 15 分钟" in res.err
    text = (root / "accidents/a.yaml").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("- {time")]
    assert lines == ['- {time: "2023-08-12 15:45", from: 宏达化工有限公司, to: 青岚县应急管理局, by: 林国栋}',
                     "- {time: 2023-08-12 17:00, from: 青岚县应急管理局, to: 青州市应急管理局}"]


def test_accidents_report_in_a_csv_ledger_extends_the_reports_cell(workspace, cli):
    root = workspace({"accidents/a.csv": "事故编号,事故名称,发生时间,事故单位,报告记录\n"
                                         "SG-1,灼烫,2023-08-12 14:30,宏达化工有限公司,2023-08-12 15:00 宏达化工有限公司→青岚县应急管理局\n"})
    res = cli("accidents", "report", "SG-1", "--from", "青岚县应急管理局", "--to", "青州市应急管理局",
              "--time", "2023-08-12 16:00", "--data", str(root), "--today", "2023-11-30")
    assert res.code == 0, res.err
    row = (root / "accidents/a.csv").read_text(encoding="utf-8").splitlines()[1]
    assert row.endswith("2023-08-12 15:00 宏达化工有限公司→青岚县应急管理局；2023-08-12 16:00 青岚县应急管理局→青州市应急管理局")
    assert not [p for p in check_json(cli, root) if p["code"].startswith("accident-report")]


# ---------------------------------------------------------------------- workbooks


def test_an_office_workbook_round_trips_through_export_and_import(workspace, cli, tmp_path):
    import datetime as dt

    import xlsxwriter

    book = tmp_path / "in.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    sheet = wb.add_worksheet("事故")
    sheet.write_row(0, 0, ["2023年生产安全事故统计表"])
    sheet.write_row(1, 0, ["事故名称", "发生时间", "事故单位", "死亡人数", "重伤人数", "直接经济损失", "事故类别"])
    moment = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(2, 0, ["粉尘爆燃"])
    sheet.write_datetime(2, 1, dt.datetime(2023, 11, 5, 10, 40), moment)
    sheet.write_row(2, 2, ["宏达化工有限公司", 0, 2, "56万元", "其他爆炸"])
    sheet.write_row(3, 0, ["高处坠落", "2023年3月21日9时40分", "石桥石料厂", "一", 0, 150, "高处坠落"])
    wb.close()
    root = workspace({})
    res = cli("import", "accidents", str(book), "--data", str(root), "--today", "2023-11-30")
    assert res.code == 0, res.out + res.err
    assert "新增 2 条" in res.out
    again = cli("import", "accidents", str(book), "--data", str(root), "--today", "2023-11-30")
    assert "新增 0 条，已存在 2 条" in again.out  # re-importing never duplicates
    rows = cli("accidents", "list", "--data", str(root), "--today", "2023-11-30", "--format", "json").json()
    assert [(r["id"], r["occurred"], r["deaths"], r["direct_loss"]) for r in rows] == [
        ("SG-2023-002", "2023-03-21T09:40", 1, 150.0), ("SG-2023-001", "2023-11-05T10:40", 0, 56.0)]
    out = tmp_path / "out.xlsx"
    exported = cli("export", "accidents", "-o", str(out), "--data", str(root), "--today", "2023-11-30")
    assert exported.code == 0, exported.err
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("生产安全事故").to_python()
    assert grid[2][:5] == ["序号", "事故编号", "事故名称", "发生时间", "事故单位"]
    assert grid[3][:4] == [1.0, "SG-2023-002", "高处坠落", "2023-03-21 09:40"]


# ---------------------------------------------------------------------- reminders


def test_remind_tells_the_office_of_unrecorded_reports_and_the_followup_window(workspace, cli):
    root = workspace({"accidents/a.yaml": """\
        accidents:
          - id: SG-1
            occurred: 2023-11-20 08:15
            unit: 宏达化工有限公司
            title: 爆燃
            reports:
              - {time: 2023-11-20 08:50, from: 宏达化工有限公司, to: 青岚县应急管理局}
          - id: SG-OLD
            occurred: 2023-01-05 08:15
            unit: 宏达化工有限公司
            title: 旧事故
        """})

    def items(day):
        res = cli("remind", "--dry-run", "--format", "json", "--data", str(root), "--today", day, "--ignore-holidays")
        assert res.code == 0, res.err
        office = [m for m in res.json() if m["recipient"] == "办公室"]
        return [i for m in office[:1] for i in m["items"] if i["kind"].startswith("accident")]

    got = items("2023-11-21")
    assert [(i["kind"], i["id"]) for i in got] == [("accident_report", "SG-1/pass-up/county")]
    assert "未见县级向上一级报告的记录（应于 2023-11-20 10:50 前报告）" in got[0]["text"]
    # the 30-day window ends 2023-12-20: reminded 3 and 1 days before and on the day
    assert ("accident_followup", "SG-1") in {(i["kind"], i["id"]) for i in items("2023-12-17")}
    assert ("accident_followup", "SG-1") not in {(i["kind"], i["id"]) for i in items("2023-12-16")}
    assert items("2023-12-21") == []  # the window closed: nothing more about it


def test_the_annual_docx_opens_with_accidents_and_charts_their_monthly_trend(cli, tmp_path):
    import docx
    from conftest import DEMO

    out = tmp_path / "annual.docx"
    res = cli("report", "annual", "--period", "2023", "--today", "2023-12-31", "-f", "docx", "-o", str(out),
              "--data", str(DEMO))
    assert res.code == 0, res.err
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs if p.text.strip()]
    assert texts.index("一、事故情况") < texts.index("二、总体情况") < texts.index("三、逐月趋势")
    assert any(t.startswith("全年共发生生产安全事故 4 起，死亡 5 人") for t in texts)
    assert [c.text for c in d.tables[0].rows[0].cells] == ["指标", "本期", "2022年", "同比"]
    assert len(d.inline_shapes) == 4  # the accidents' months, the hazards' months, the sectors, the risks


# ---------------------------------------------------------------------- review


def test_check_against_flags_a_deleted_accident_rewritten_reports_and_lowered_casualties(workspace, cli, monkeypatch):
    import subprocess

    root = workspace({"accidents/a.yaml": """\
        accidents:
          - id: SG-1
            occurred: 2023-08-12 14:30
            unit: 宏达化工有限公司
            title: 中毒
            deaths: 2
            reports:
              - {time: 2023-08-12 15:00, from: 宏达化工有限公司, to: 青岚县应急管理局}
              - {time: 2023-08-12 16:00, from: 青岚县应急管理局, to: 青州市应急管理局}
          - id: SG-2
            occurred: 2023-08-13
            unit: 宏达化工有限公司
            title: 灼烫
        """})
    env = {**dict(__import__("os").environ), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "GIT_CONFIG_GLOBAL": "/dev/null"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)
    path = root / "accidents/a.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("deaths: 2", "deaths: 1")                                   # lowered, no 续报
    text = text.replace("2023-08-12 15:00", "2023-08-12 15:20")                     # a report rewritten
    text = text[:text.index("  - id: SG-2")]                                        # SG-2 deleted
    path.write_text(text, encoding="utf-8")
    res = cli("check", "--against", "HEAD", "--format", "json", "--data", str(root), "--today", "2023-11-30")
    got = {p["code"] for p in res.json() if p["severity"] == "error"}
    assert {"reports-rewritten", "casualties-lowered", "record-deleted"} <= got
    assert res.code == 1


def test_the_demo_s_accidents_survive_export_then_import(cli, tmp_path):
    import shutil

    from conftest import DEMO

    out = tmp_path / "acc.xlsx"
    assert cli("export", "accidents", "-o", str(out), "--data", str(DEMO), "--today", "2023-12-31").code == 0
    # into the workspace they came from: every row is already there, and the same
    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy)
    again = cli("import", "accidents", str(out), "--data", str(copy), "--today", "2023-12-31")
    assert "新增 0 条，已存在 6 条（其中与台账不同 0 条）" in again.out, again.out + again.err
    # into a workspace without them: reports, findings, hazards and notes come along
    fresh = tmp_path / "fresh"
    shutil.copytree(DEMO, fresh)
    shutil.rmtree(fresh / "accidents")
    res = cli("import", "accidents", str(out), "--data", str(fresh), "--today", "2023-12-31")
    assert res.code == 0, res.out + res.err

    def shown(root):
        rows = cli("accidents", "list", "--data", str(root), "--today", "2023-12-31", "--format", "json").json()
        keep = ("id", "occurred", "unit", "township", "sector", "kind", "deaths", "serious_injuries", "direct_loss",
                "grade", "late_reports")
        return [{k: r[k] for k in keep} for r in rows]

    assert shown(fresh) == shown(DEMO)
    d = cli("accidents", "show", "SG-2023-003", "--data", str(fresh), "--today", "2023-12-31", "--format", "json").json()
    assert d["hazards"] == ["SQ-2023-004"] and d["concealment"]["kind_label"] == "迟报" and len(d["reports"]) == 2

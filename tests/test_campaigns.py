"""Campaigns and submissions (issue 18): phases at their boundaries in seed 001's own words, nodes
on time / late / missing / pending around the due day (seed 002), the duties bound to a campaign,
the checks, and the two commands."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import DEMO, check_json, where
from pydantic import ValidationError

from anquan_cli.models import Campaign, Duty, Submission
from anquan_cli.models._base import Source
from anquan_cli.rules import campaigns as C
from anquan_cli.rules.lookup import Directory

D = dt.date

#: seed 001 四、阶段安排, as the notice words each stage
SEED_001 = {
    "id": "ZX", "title": "重大事故隐患专项排查整治2023行动", "from": "2023-05-10", "until": "至12月底",
    "phases": [{"name": "动员部署", "until": "2023年5月下旬前"},
               {"name": "企业自查自改和部门帮扶", "until": "2023年7月底前"},
               {"name": "精准执法", "until": "2023年8-11月"},
               {"name": "巩固提高", "until": "2023年12月"}],
    "nodes": [{"id": "方案", "title": "实施方案", "due": "6月10日前", "units": ["石桥镇", "白沙镇"]},
              {"id": "总结", "title": "工作总结", "due": "9月28日前", "units": ["石桥镇"]}],
}


def campaign(**values) -> Campaign:
    raw = {**SEED_001, **values}
    raw["start"], raw["end"] = raw.pop("from", None), raw.pop("until", None)
    return Campaign.model_validate(raw).with_source(Source("campaigns/a.yaml", 1))


def submission(**values) -> Submission:
    base = {"node": "ZX:方案", "unit": "石桥镇", "date": "2023-06-10"}
    return Submission.model_validate({**base, **values}).with_source(Source("submissions/a.yaml", 1))


DIRECTORY = Directory([], [])


def test_phases_are_read_from_the_notices_words():
    c = campaign()
    assert [(p.name, p.start, p.end) for p in c.phases] == [
        ("动员部署", D(2023, 5, 10), D(2023, 5, 31)), ("企业自查自改和部门帮扶", D(2023, 6, 1), D(2023, 7, 31)),
        ("精准执法", D(2023, 8, 1), D(2023, 11, 30)), ("巩固提高", D(2023, 12, 1), D(2023, 12, 31))]
    assert (c.first_day, c.last_day) == (D(2023, 5, 10), D(2023, 12, 31))
    assert [n.due for n in c.nodes] == [D(2023, 6, 10), D(2023, 9, 28)]  # no year: the campaign's


@pytest.mark.parametrize(("day", "label"), [
    (D(2023, 5, 9), "尚未开始"), (D(2023, 5, 10), "动员部署"), (D(2023, 5, 31), "动员部署"),
    (D(2023, 6, 1), "企业自查自改和部门帮扶"), (D(2023, 7, 31), "企业自查自改和部门帮扶"), (D(2023, 8, 1), "精准执法"),
    (D(2023, 11, 30), "精准执法"), (D(2023, 12, 1), "巩固提高"), (D(2023, 12, 31), "巩固提高"), (D(2024, 1, 1), "已结束")])
def test_the_phase_of_a_day_at_each_boundary(day, label):
    assert C.standing(campaign(), day).label == label


def test_a_phrase_that_is_no_day_is_refused_with_the_phrase():
    with pytest.raises(ValidationError, match="长期坚持"):
        campaign(phases=[{"name": "常态化", "until": "长期坚持"}])
    with pytest.raises(ValidationError, match="早于"):
        campaign(phases=[{"name": "倒过来", "from": "2023-08-01", "until": "2023-07-01"}])
    with pytest.raises(ValidationError, match="两次"):
        campaign(nodes=[{"id": "方案", "title": "a", "due": "2023-06-10"}, {"id": "方案", "title": "b", "due": "2023-06-20"}])


def statuses(submissions, day):
    return {(r.node.id, r.unit): r.status for r in C.node_units([campaign()], submissions, DIRECTORY, day)}


@pytest.mark.parametrize(("date", "status"), [("2023-06-10", "on_time"), ("2023-06-11", "late")])
def test_a_submission_on_the_due_day_is_on_time_and_the_day_after_late(date, status):
    assert statuses([submission(date=date)], D(2023, 7, 1))[("方案", "石桥镇")] == status


@pytest.mark.parametrize(("day", "status"), [(D(2023, 6, 10), "pending"), (D(2023, 6, 11), "missing")])
def test_nothing_submitted_is_pending_through_the_due_day_and_missing_after(day, status):
    assert statuses([], day)[("方案", "白沙镇")] == status


def test_a_submission_dated_after_the_day_asked_about_is_not_known_yet():
    late = submission(date="2023-06-20")
    assert statuses([late], D(2023, 6, 15))[("方案", "石桥镇")] == "missing"
    assert statuses([late], D(2023, 6, 20))[("方案", "石桥镇")] == "late"
    (row,) = [r for r in C.node_units([campaign()], [late], DIRECTORY, D(2023, 6, 20)) if r.unit == "石桥镇"
              and r.node.id == "方案"]
    assert row.days_late == 10


def test_a_node_is_named_by_campaign_and_id_or_by_an_id_only_one_campaign_has():
    a, b = campaign(), campaign(id="ZX2")
    assert C.resolve_node("ZX:方案", [a, b]) == (a, a.nodes[0])
    assert C.resolve_node("ZX：方案", [a, b]) == (a, a.nodes[0])  # full-width colon
    assert C.resolve_node("方案", [a]) == (a, a.nodes[0])
    assert C.resolve_node("方案", [a, b]) is None  # two campaigns have it
    assert C.resolve_node("ZX:没有", [a]) is None


def duty(**values) -> Duty:
    base = {"id": "QY-02", "holder": "企业主要负责人", "action": "带队检查", "activity": "检查", "period": "每月"}
    return Duty.model_validate({**base, **values}).with_source(Source("duties/a.yaml", 1))


def test_a_duty_a_campaign_binds_holds_only_while_it_runs():
    (bound,) = C.duties_in_force([duty()], [campaign(duties=["QY-02"])])
    assert (bound.valid_from, bound.until) == (D(2023, 5, 10), D(2023, 12, 31))
    (narrower,) = C.duties_in_force([duty(valid_from="2023-06-01")], [campaign(duties=["QY-02"])])
    assert (narrower.valid_from, narrower.until) == (D(2023, 6, 1), D(2023, 12, 31))
    (free,) = C.duties_in_force([duty()], [campaign()])
    assert (free.valid_from, free.until) == (None, None)


def test_phase_figures_count_what_was_found_and_closed_in_each_phase():
    from anquan_cli.models import Hazard

    def hz(i, found, closed=None, level="一般"):
        return Hazard.model_validate({"id": f"H{i}", "title": "t", "unit": "u", "level": level, "found": found,
                                      "closed": closed}).with_source(Source("hazards/a.yaml", i))

    got = C.phase_figures(campaign(), [hz(1, "2023-05-31"), hz(2, "2023-06-01", "2023-08-01", "重大"),
                                       hz(3, "2023-04-01", "2023-05-20")], D(2023, 12, 31))
    assert [(f.found, f.found_major, f.closed) for f in got] == [(1, 0, 1), (1, 1, 0), (0, 0, 1), (0, 0, 0)]


# ---------------------------------------------------------------------- the commands on the demo


def test_campaign_status_on_the_demo(cli):
    res = cli("campaigns", "status", "--data", str(DEMO), "--today", "2023-11-30", "--format", "json")
    assert res.code == 0, res.err
    (c,) = res.json()
    assert (c["id"], c["state"], c["phase"]) == ("ZX-2023", "running", "精准执法")
    nodes = {n["id"]: n for n in c["nodes"]}
    assert (nodes["实施方案"]["on_time"], nodes["实施方案"]["late"], nodes["实施方案"]["missing"]) == (4, 1, 2)
    assert nodes["工作总结"]["pending"] == 5
    assert set(c) >= {"id", "title", "basis", "from", "until", "state", "phase", "phase_label", "phases", "nodes", "duties"}
    text = cli("campaigns", "status", "--data", str(DEMO), "--today", "2023-11-30")
    assert text.code == 0 and "精准执法" in text.out and "白沙镇人民政府" in text.out


def test_submissions_missing_on_the_demo(cli):
    res = cli("submissions", "missing", "--data", str(DEMO), "--today", "2023-11-30", "--format", "json", "--exit-code")
    assert res.code == 1
    rows = res.json()
    assert rows[0]["status"] == "missing" and set(rows[0]) == {
        "campaign", "node", "node_title", "due", "unit", "status", "status_label", "days_late", "submitted",
        "document", "file", "line"}
    assert [(r["node"], r["unit"], r["days_late"]) for r in rows if r["status"] == "late"] == [
        ("实施方案", "柳溪乡人民政府", 4), ("阶段情况", "白沙镇人民政府", 5)]
    only = cli("submissions", "missing", "--data", str(DEMO), "--today", "2023-11-30", "--format", "json",
               "--node", "ZX-2023:实施方案")
    assert {r["node"] for r in only.json()} == {"实施方案"} and len(only.json()) == 3
    before = cli("submissions", "missing", "--data", str(DEMO), "--today", "2023-06-10", "--exit-code")
    assert before.code == 0 and "都已按时报送" in before.out
    bad = cli("submissions", "missing", "--data", str(DEMO), "--node", "ZX-2023:没有")
    assert bad.code == 2


# ---------------------------------------------------------------------- check


def test_check_finds_what_is_wrong_with_campaigns_and_submissions(cli, workspace):
    root = workspace({
        "campaigns/c.yaml": """\
            campaigns:
              - id: ZX
                title: 专项行动
                from: 2023-05-01
                until: 2023-12-31
                phases:
                  - {name: 一, until: 2023-07-31}
                  - {name: 二, from: 2023-07-01, until: 2023-12-31}
                nodes:
                  - {id: 方案, title: 实施方案, due: 2023-06-10, units: [石桥镇, 不存在的镇]}
                  - {id: 晚, title: 太晚, due: 2024-02-01, units: [石桥镇]}
                duties: [没有这个]
            """,
        "submissions/s.yaml": """\
            submissions:
              - {node: "ZX:方案", unit: 石桥镇, date: 2023-06-09}
              - {node: "ZX:没有", unit: 石桥镇, date: 2023-06-09}
              - {node: "ZX:方案", unit: 白沙镇, date: 2023-06-09}
              - {node: "ZX:方案", unit: 石桥镇, date: 2024-06-09}
            """,
    })
    got = where(check_json(cli, root))
    assert ("campaigns/c.yaml", 8, "campaign-phase-overlap") in got
    assert ("campaigns/c.yaml", 10, "unit-unknown") in got
    assert ("campaigns/c.yaml", 11, "campaign-node-outside") in got
    assert ("campaigns/c.yaml", 12, "campaign-duty-unknown") in got
    assert ("submissions/s.yaml", 3, "submission-node-unknown") in got
    assert ("submissions/s.yaml", 4, "submission-unit-not-asked") in got
    assert ("submissions/s.yaml", 5, "submission-in-future") in got
    assert not any(path == "submissions/s.yaml" and line == 2 for path, line, _ in got)


def test_a_phrase_the_parser_cannot_read_stops_at_its_line(cli, workspace):
    root = workspace({"campaigns/c.yaml": """\
        campaigns:
          - id: ZX
            title: 专项行动
            from: 2023-05-01
            phases:
              - {name: 一, until: 加快推进}
        """})
    problems = check_json(cli, root)
    (p,) = [p for p in problems if p["path"] == "campaigns/c.yaml"]
    assert p["severity"] == "error" and "加快推进" in p["message"]


# ---------------------------------------------------------------------- reminders and the calendar


def office_items(cli, day: str) -> dict[str, dict]:
    res = cli("remind", "--dry-run", "--format", "json", "--data", str(DEMO), "--today", day, "--ignore-holidays")
    assert res.code == 0, res.err
    office = [d for d in res.json() if d["recipient_id"] == "office"][0]  # one per channel: the same items
    return {f"{i['kind']}/{i['id']}": i for i in office["items"] if i["kind"].startswith("campaign_")}


def test_remind_lists_the_units_yet_to_submit_before_the_due_day_and_after_it():
    from conftest import run_cli

    before = office_items(run_cli, "2023-06-07")
    item = before["campaign_node_due/ZX-2023:实施方案"]
    assert (item["due"], item["days"]) == ("2023-06-10", 3) and "尚未报送：" in item["text"]
    # 青岚县应急管理局 submitted on 06-05; 城关镇 on 06-08, not yet known on 06-07
    assert "白沙镇人民政府" in item["text"] and "城关镇人民政府" in item["text"] and "应急管理局" not in item["text"]
    after = office_items(run_cli, "2023-06-12")
    # 柳溪乡 submitted on 06-14: on 06-12 it is still missing
    assert "已逾期 2 天；仍未报送：柳溪乡人民政府、白沙镇人民政府、青岚县交通运输局" in after["campaign_node_missing/ZX-2023:实施方案"]["text"]
    assert office_items(run_cli, "2024-01-02") == {}  # the campaign is over: the ledger is what it is


def test_the_calendar_has_the_campaigns_nodes(cli, tmp_path):
    out = tmp_path / "d.ics"
    res = cli("calendar", "export", "-o", str(out), "--data", str(DEMO), "--today", "2023-06-01")
    assert res.code == 0, res.err
    text = out.read_bytes().decode("utf-8")
    assert "报送节点：专项行动具体实施方案" in text.replace("\r\n ", "")


# ---------------------------------------------------------------------- the bulletin


def test_the_bulletin_reports_the_campaign_of_its_quarter(cli):
    res = cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0, res.err
    section = res.out.split("## 十、专项行动进展")[1]
    assert "期末处于“精准执法”阶段" in section  # 2023-09-30 falls in 8-11月
    assert "| 专项行动具体实施方案 | 2023-06-10 | 7 | 4 | 1 | 2 | 白沙镇人民政府、青岚县交通运输局 | 柳溪乡人民政府（4 天） |" in section
    q1 = cli("report", "quarterly", "--period", "2023Q1", "--today", "2023-11-30", "--data", str(DEMO))
    assert q1.code == 0 and "专项行动进展" not in q1.out  # no campaign ran in the first quarter


def test_the_docx_bulletin_has_the_campaign_section(cli, tmp_path):
    import docx

    out = tmp_path / "q3.docx"
    res = cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--format", "docx", "-o", str(out),
              "--data", str(DEMO))
    assert res.code == 0, res.err
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert "十、专项行动进展" in texts
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "专项行动具体实施方案" in cells and "白沙镇人民政府、青岚县交通运输局" in cells


# ---------------------------------------------------------------------- nodes anquan.yaml sets itself


def test_a_node_of_anquan_yaml_with_units_is_submitted_to_like_a_campaigns(cli, workspace):
    # seed 000: "于6月20日前报县安委会办公室备案"
    root = workspace({
        "anquan.yaml": """\
            jurisdiction: 测试县
            level: 县
            reminders:
              nodes:
                - {id: 包保备案, title: 正式包保文件报县安委会办公室备案, deadline: 6月20日前, year: 2023, units: [石桥镇, 城关镇]}
                - {title: 没有单位的节点, deadline: 2023年7月1日前}
            """,
        "submissions/s.yaml": """\
            submissions:
              - {node: 包保备案, unit: 石桥镇, date: 2023-06-19}
              - {node: "本级:包保备案", unit: 城关镇, date: 2023-06-25}
            """,
    })
    assert not [p for p in check_json(cli, root) if p["path"].startswith("submissions/")]
    before = cli("submissions", "missing", "--data", str(root), "--today", "2023-06-22", "--format", "json")
    assert [(r["campaign"], r["node"], r["unit"], r["status"]) for r in before.json()] == [
        ("本级", "包保备案", "城关镇", "missing")]
    after = cli("submissions", "missing", "--data", str(root), "--today", "2023-06-30", "--format", "json")
    assert [(r["unit"], r["status"], r["days_late"]) for r in after.json()] == [("城关镇", "late", 5)]
    res = cli("remind", "--dry-run", "--format", "json", "--data", str(root), "--today", "2023-06-17",
              "--ignore-holidays")
    office = [d for d in res.json() if d["recipient_id"] == "office"][0]
    kinds = [(i["kind"], i["id"]) for i in office["items"]]
    assert ("campaign_node_due", "本级:包保备案") in kinds and ("node_due", "正式包保文件报县安委会办公室备案") not in kinds


def test_a_campaign_without_a_first_day_is_open_before_its_first_phase_ends():
    raw = {"id": "ZX", "title": "专项行动",
           "phases": [{"name": "一", "until": "2023-05-31"}, {"name": "二", "until": "2023-07-31"}]}
    c = Campaign.model_validate(raw).with_source(Source("campaigns/a.yaml", 1))
    assert c.first_day is None and c.phases[1].start == D(2023, 6, 1)
    assert C.standing(c, D(2023, 5, 2)).label == "一"  # not “尚未开始” from the second phase's first day
    assert C.standing(c, D(2023, 6, 1)).label == "二"

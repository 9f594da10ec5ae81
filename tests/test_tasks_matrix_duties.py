"""Task tables, the responsibility matrix and duty compliance, from the CLI and as rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from conftest import DEMO, check_json, where

from anquan_cli.models import Period
from anquan_cli.rules.periods import parse_period, window_of, windows

# ---------------------------------------------------------------- the demo's 66 tasks


@pytest.fixture(scope="module")
def demo_tasks():
    from conftest import run_cli

    res = run_cli("tasks", "list", "--data", str(DEMO), "--today", "2023-11-30", "--format", "json")
    assert res.code == 0
    return {r["no"]: r for r in res.json()}


def test_every_task_has_its_due_date_and_kind(demo_tasks):
    assert len(demo_tasks) == 66
    kinds = Counter(r["kind"] for r in demo_tasks.values())
    assert kinds == {"date+ongoing": 37, "ongoing": 16, "date": 10, "event": 2, "asap": 1}
    dues = Counter(r["due"] for r in demo_tasks.values())
    assert dues == {"2022-09-30": 42, None: 19, "2022-12-31": 5}
    assert all(r["error"] is None for r in demo_tasks.values())
    assert {no for no, r in demo_tasks.items() if r["kind"] == "event"} == {5, 28}
    assert demo_tasks[19]["kind"] == "asap"
    for no in (15, 16, 18, 24, 54):
        assert (demo_tasks[no]["due"], demo_tasks[no]["ongoing"]) == ("2022-12-31", True)
    assert demo_tasks[28]["start"] == "2022-04-01" and demo_tasks[28]["event"] == "党的二十大结束"


def test_task_json_contract(demo_tasks):
    r = demo_tasks[23]
    assert {k: r[k] for k in ("no", "measure", "task", "units", "deadline_text", "due", "ongoing", "kind")} == {
        "no": 23, "measure": "三、严格落实部门安全监管责任",
        "task": r["task"], "units": ["县级以上政府", "高新区、港务区管委会", "各级发改、工信等部门", "有关生产经营单位"],
        "deadline_text": "2022年9月底前完成", "due": "2022-09-30", "ongoing": False, "kind": "date"}


def test_progress_decides_done_and_pending(demo_tasks):
    assert demo_tasks[1]["status"] == "ongoing"                       # date+ongoing, reported done
    assert demo_tasks[3]["units_pending"] == ["组织部门"]              # one of two units still working
    assert demo_tasks[8]["status"] == "ongoing"                       # done late, then ongoing
    assert demo_tasks[23]["status"] == "not_started"


def test_overdue_and_due_from_the_cli(cli):
    common = ("--data", str(DEMO), "--format", "json")
    over = cli("tasks", "overdue", "--today", "2022-10-05", *common).json()
    assert 8 in [r["no"] for r in over]                               # done only on 10-12
    assert 8 not in [r["no"] for r in cli("tasks", "overdue", "--today", "2022-10-31", *common).json()]
    first = over[0]
    assert first["days_overdue"] == 5 and first["due"] == "2022-09-30"
    due = cli("tasks", "due", "--today", "2022-09-01", "--within", "30", *common).json()
    assert {r["due"] for r in due} == {"2022-09-30"}
    assert cli("tasks", "due", "--today", "2022-09-01", "--within", "28", *common).json() == []
    assert cli("tasks", "overdue", "--today", "2022-10-05", "--exit-code", *common).code == 1


@pytest.mark.parametrize("args, nos", [
    (["--unit", "消防"], [20, 28, 30, 43, 44, 48, 65]),
    (["--measure", "14"], [59, 60, 61]),
    (["--measure", "十四"], [59, 60, 61]),
    (["--measure", "瞒报"], [59, 60, 61]),
    (["--unit", "市委巡察办"], [5]),
])
def test_task_filters(cli, args, nos):
    res = cli("tasks", "list", "--data", str(DEMO), "--format", "json", *args)
    assert [r["no"] for r in res.json()] == nos


TABLE = """\
table: 某镇分工表
year: 2023
tasks:
  - {no: 1, task: 制定实施方案, units: 镇应急站, deadline: 6月20日前}
  - {no: 2, task: 开展自查, units: 各村, deadline: 下个月}
"""


def test_unreadable_deadline_is_reported_at_its_line(cli, workspace):
    root = workspace({"tasks/t.yaml": TABLE})
    (p,) = check_json(cli, root)
    assert (p["path"], p["line"], p["code"], p["severity"]) == ("tasks/t.yaml", 5, "deadline-unparsed", "warning")
    got = cli("tasks", "list", "--data", str(root), "-f", "json").json()
    assert got[0]["due"] == "2023-06-20"  # the table's year
    assert got[1]["due"] is None and "无法识别" in got[1]["error"]


def test_progress_must_name_a_task_and_one_of_its_units(cli, workspace):
    root = workspace({"tasks/t.yaml": TABLE.replace("下个月", "长期坚持"),
                      "tasks/progress/p.yaml": """\
                          table: 某镇分工表
                          progress:
                            - {no: 1, unit: 镇应急站, status: 已完成, date: 2023-06-18}
                            - {no: 3, unit: 镇应急站, status: 已完成, date: 2023-06-18}
                            - {no: 2, unit: 各村委, status: 推进中, date: 2023-06-18}
                          """})
    assert where(check_json(cli, root)) == {("tasks/progress/p.yaml", 4, "task-unknown"),
                                            ("tasks/progress/p.yaml", 5, "unit-not-responsible")}


# ---------------------------------------------------------------- matrix


def test_matrix_show_json(cli):
    got = cli("matrix", "show", "--data", str(DEMO), "-f", "json").json()
    assert len(got) == 15 and {r["kind"] for r in got} == {
        "key_enterprise", "general_hazard", "major_hazard", "higher_inspection", "public_risk",
        "illegal_activity", "sector"}
    bb01 = got[0]
    assert (bb01["id"], bb01["guarantor"], bb01["standard"]) == ("BB-01", "陈立新", "规范管理、杜绝事故")


def test_matrix_person_is_the_leaders_own_list(cli):
    d = cli("matrix", "person", "陈立新", "--data", str(DEMO), "-f", "json", "--today", "2023-11-30").json()
    assert [e["id"] for e in d["guarantor_of"]] == ["BB-01", "BB-04", "BB-05", "BB-09", "BB-13"]
    assert d["enterprises"] == ["青岚县宏达化工有限公司", "青岚县石桥石料厂"]
    assert "SQ-2023-004" in [h["id"] for h in d["open_hazards"]]
    assert "SQ-2023-002" not in [h["id"] for h in d["open_hazards"]]  # closed
    assert {t["duty"] if "duty" in t else t["id"] for t in d["duties"]} == {"LZ-03", "LZ-07", "LZ-08", "LZ-09"}
    res = cli("matrix", "person", "陈立心", "--data", str(DEMO))
    assert res.code == 2 and "是不是“陈立新”？" in res.err


GAPS_UNITS = """\
townships:
  - name: 石桥镇
departments:
  - name: 县应急管理局
    sectors: [危险化学品]
enterprises:
  - {name: 宏达化工有限公司, township: 石桥镇, sector: 危险化学品, key: true}
  - {name: 石桥石料厂, township: 石桥镇, sector: 非煤矿山, key: true}
"""
GAPS_MATRIX = """\
entries:
  - {id: A, kind: 重点企业, guarantor: 张伟, targets: [宏达化工有限公司]}
  - {id: B, kind: 行业领域, guarantor: 张伟, targets: [危险化学品]}
"""
GAPS_HAZARDS = """\
- {id: M-1, title: x, unit: 石桥石料厂, level: 重大, found: 2023-03-01, deadline: 2023-04-01, owner: 王芳,
   measures: m, funds: f, plan: p, supervisor: s}
- {id: G-1, title: y, unit: 宏达化工有限公司, level: 一般, found: 2023-03-01, deadline: 2023-04-01, owner: 王芳}
"""


def test_matrix_gaps(cli, workspace):
    root = workspace({"org/units.yaml": GAPS_UNITS, "matrix/m.yaml": GAPS_MATRIX,
                      "hazards/h.yaml": GAPS_HAZARDS})
    got = {(g["kind"], g["subject"]) for g in cli("matrix", "gaps", "--data", str(root), "-f", "json").json()}
    assert got == {
        *(("kind-missing", k) for k in ("一般事故隐患", "重大事故隐患", "上级检查发现问题", "重大公共安全风险",
                                         "严重非法违法行为")),
        ("key-enterprise-unguaranteed", "石桥石料厂"),
        ("major-hazard-unguaranteed", "M-1"),
        ("sector-without-lead", "非煤矿山"),
        ("sector-unguaranteed", "非煤矿山"),
    }  # G-1 is covered by its enterprise's guarantee
    assert cli("matrix", "gaps", "--data", str(root), "--exit-code").code == 1


def test_unusual_load(workspace):
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.matrix import gaps
    from anquan_cli.workspace import load_workspace

    entries = ["entries:"] + [f"  - {{id: E{i}, kind: 严重非法违法行为, guarantor: {g}, targets: [{t}]}}"
                              for i, (g, t) in enumerate([("张伟", "甲、乙、丙、丁、戊、己"), ("李娜", "甲"),
                                                          ("王芳", "乙")])]
    root = workspace({"matrix/m.yaml": "\n".join(entries).replace("、", ", ") + "\n"})
    ws, problems = load_workspace(root)
    found = [g for g in gaps(ws.matrix, ws.hazards, ws.people, Directory.for_workspace(ws))
             if g.kind == "unusual-load"]
    assert [(g.subject, g.message) for g in found] == [("张伟", "张伟 包保 6 项，超过包保人中位数（1 项）的两倍")]


# ---------------------------------------------------------------- duties


@pytest.mark.parametrize("text, start, end", [
    ("2023Q3", "2023-07-01", "2023-09-30"), ("2023-Q4", "2023-10-01", "2023-12-31"),
    ("2023年第一季度", "2023-01-01", "2023-03-31"), ("2023-07", "2023-07-01", "2023-07-31"),
    ("2023年2月", "2023-02-01", "2023-02-28"), ("2023H2", "2023-07-01", "2023-12-31"),
    ("2023年上半年", "2023-01-01", "2023-06-30"), ("2023", "2023-01-01", "2023-12-31"),
    ("2023-W34", "2023-08-21", "2023-08-27"),
])
def test_periods(text, start, end):
    w = parse_period(text)
    assert (w.start.isoformat(), w.end.isoformat()) == (start, end)


def test_period_errors():
    for bad in ("2023Q5", "2023-13", "下季度", "2023-W60"):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_windows_of_each_duty_period():
    year = parse_period("2023")
    assert [len(windows(p, year)) for p in Period] == [53, 12, 6, 4, 2, 1]
    assert window_of(Period.TWO_MONTHS, dt.date(2023, 4, 15)).label == "2023年3-4月"


DUTY_PEOPLE = """\
- {id: P1, name: 张伟, title: 副县长, roles: [政府其他领导干部]}
- {id: P2, name: 李娜, title: 化工厂厂长, unit: 宏达化工有限公司, roles: [企业主要负责人]}
- {id: P3, name: 王芳, title: 石料厂厂长, unit: 石桥石料厂, roles: [企业主要负责人]}
"""
DUTIES = """\
- id: D-1
  holder: 政府其他领导干部
  action: 组织分管行业监督检查
  activity: 检查
  period: 每季度
  sensitive:
    - {start: 2023-09-25, end: 2023-10-08, min: 1, note: 国庆}
- id: D-2
  holder: 企业主要负责人
  action: 组织应急演练
  activity: 演练
  period: 每年
  overrides:
    - {sectors: [危险化学品], period: 每半年, min: 1}
"""


def _duties(cli, workspace, activities: str, period: str, today: str) -> dict:
    root = workspace({"org/people.yaml": DUTY_PEOPLE, "duties/d.yaml": DUTIES,
                      "activities/a.csv": "日期,类型,带队领导,内容\n" + activities})
    assert check_json(cli, root) == []
    res = cli("duties", "status", "--data", str(root), "--period", period, "--today", today, "-f", "json")
    return {(r["duty"], r["holder"]): r for r in res.json()}


def test_quarter_boundary_09_30_vs_10_01(cli, workspace):
    on_30 = _duties(cli, workspace, "2023/9/30,检查,张伟,检查\n", "2023Q3", "2023-12-31")
    assert on_30[("D-1", "张伟")]["windows"][0] | {} and on_30[("D-1", "张伟")]["windows"][0]["status"] == "met"
    on_01 = _duties(cli, workspace, "2023/10/1,检查,张伟,检查\n", "2023Q3", "2023-12-31")
    r = on_01[("D-1", "张伟")]
    assert (r["required"], r["done"], r["status"]) == (1, 0, "not_met")
    assert r["windows"][0]["status"] == "not_met"
    assert r["windows"][1]["kind"] == "sensitive" and r["windows"][1]["status"] == "met"  # 10-01 is in it
    q4 = _duties(cli, workspace, "2023/10/1,检查,张伟,检查\n", "2023Q4", "2023-12-31")[("D-1", "张伟")]
    assert (q4["done"], q4["status"]) == (1, "met")


def test_unfinished_window_is_in_progress(cli, workspace):
    r = _duties(cli, workspace, "", "2023Q4", "2023-11-30")[("D-1", "张伟")]
    assert r["windows"][0]["status"] == "in_progress"      # Q4 is not over
    assert r["windows"][1]["status"] == "not_met"          # the National Day period is
    assert r["status"] == "not_met"
    r = _duties(cli, workspace, "2023/9/26,检查,张伟,检查\n", "2023Q4", "2023-11-30")[("D-1", "张伟")]
    assert r["status"] == "in_progress"


def test_activities_after_today_do_not_count(cli, workspace):
    r = _duties(cli, workspace, "2023/9/20,检查,张伟,检查\n", "2023Q3", "2023-09-10")[("D-1", "张伟")]
    assert (r["done"], r["status"]) == (0, "in_progress")


def test_sector_override_for_high_risk_enterprises(cli, workspace):
    got = _duties(cli, workspace, "2023/3/15,演练,李娜,演练\n2023/3/15,演练,王芳,演练\n", "2023", "2024-01-15")
    chem, quarry = got[("D-2", "李娜")], got[("D-2", "王芳")]
    assert (chem["period"], chem["required"], chem["done"], chem["status"]) == ("half_year", 2, 1, "not_met")
    assert [w["status"] for w in chem["windows"]] == ["met", "not_met"]
    assert (quarry["period"], quarry["required"], quarry["status"]) == ("year", 1, "met")


def test_activities_that_counted_are_listed_with_their_lines(cli, workspace):
    r = _duties(cli, workspace, "2023/8/1,检查,张伟,检查危化企业\n2023/8/2,会议,张伟,开会\n",
                "2023Q3", "2023-12-31")[("D-1", "张伟")]
    assert r["windows"][0]["activities"] == [{"date": "2023-08-01", "title": "检查危化企业",
                                               "file": "activities/a.csv", "line": 2}]


def test_duties_status_demo_table_and_exit_code(cli):
    res = cli("duties", "status", "--data", str(DEMO), "--period", "2023Q3", "--today", "2023-11-30")
    assert "履职情况：2023年第三季度" in res.out and "未完成" in res.out
    assert cli("duties", "status", "--data", str(DEMO), "--period", "2023Q3", "--today", "2023-11-30",
               "--exit-code", "--unmet", "-f", "json").code == 1

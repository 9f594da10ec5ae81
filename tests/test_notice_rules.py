"""Answers correct to the letter of the notices (issue 14): each rule on both sides of its
boundary, with the seeds' own wording."""

from __future__ import annotations

import pytest
from conftest import run_cli, write_workspace

TODAY = "2023-11-30"


# ---------------------------------------------------------------- 8. one name folding


@pytest.mark.parametrize("written, asked", [
    ("各級負有安全生產監督管理職責的部門", "各级负有"),
    ("各级党（工）委", "各级党(工)委"),
    ("开发区管委會", "管委会"),
    ("县　应急管理局", "县应急管理局"),
])
def test_unit_spellings_fold_in_filters_and_tables(tmp_path, written, asked):
    table = ("序号,重点任务,责任单位,完成时限\n"
             f"1,任务一,{written},2023年9月底前\n"
             "2,任务二,县公安局,2023年9月底前\n")
    root = write_workspace(tmp_path / "ws", {"tasks/2023-tasks.csv": table})
    got = run_cli("tasks", "list", "--unit", asked, "--format", "json", "--data", str(root), "--today", TODAY).json()
    assert [t["no"] for t in got] == [1]
    assert [t["no"] for t in run_cli("tasks", "list", "--unit", "公安", "-f", "json", "--data", str(root),
                                     "--today", TODAY).json()] == [2]


def test_a_progress_report_in_traditional_characters_counts_for_its_unit(tmp_path):
    table = "序号,重点任务,责任单位,完成时限\n1,任务一,各级党（工）委,2023年9月底前\n"
    progress = "table: 2023-tasks\nprogress:\n  - {no: 1, unit: 各級黨(工)委, status: 已完成, date: 2023-09-20}\n"
    root = write_workspace(tmp_path / "ws", {"tasks/2023-tasks.csv": table, "tasks/progress/p.yaml": progress})
    assert run_cli("check", "--format", "json", "--data", str(root), "--today", TODAY).json() == []
    got = run_cli("tasks", "list", "-f", "json", "--data", str(root), "--today", TODAY).json()
    assert got[0]["units_done"] == ["各级党（工）委"] and got[0]["units_pending"] == []


def test_the_bulletin_counts_one_unit_under_one_name(tmp_path):
    import datetime as dt

    from anquan_cli.rules.periods import parse_period
    from anquan_cli.rules.report import build_context
    from anquan_cli.workspace import load_workspace

    table = ("序号,重点任务,责任单位,完成时限\n1,任务一,各级党（工）委,2023年9月底前\n"
             "2,任务二,各級黨(工)委,2023年9月底前\n3,任务三,开发区管委會,2023年9月底前\n4,任务四,开发区管委会,2023年9月底前\n")
    root = write_workspace(tmp_path / "ws", {"tasks/2023-tasks.csv": table})
    ws, _ = load_workspace(root)
    ctx = build_context(ws, "quarterly", parse_period("2023Q3"), dt.date(2023, 11, 30), {"generated_at": "2023-11-30"})
    assert sorted((r["name"], r["total"]) for r in ctx["tasks"]["by_unit"]) == [("各级党（工）委", 2), ("开发区管委會", 2)]


# ---------------------------------------------------------------- 2. three parties, three people

SIGN_UNITS = """\
townships:
  - {id: SQ, name: 石桥镇}
  - {id: CG, name: 城关镇}
departments:
  - {name: 测试县人民政府}
  - {name: 县应急管理局, sectors: [危险化学品]}
  - {name: 县住建局, sectors: [建筑施工]}
  - {name: 石桥镇人民政府, township: 石桥镇}
  - {name: 石桥镇应急站, township: 石桥镇, sectors: [危险化学品]}
  - {name: 城关镇人民政府, township: 城关镇}
enterprises:
  - {name: 宏达化工有限公司, township: 石桥镇, sector: 危险化学品}
  - {name: 城关建材厂, township: 城关镇, sector: 工贸}
"""
SIGN_PEOPLE = """\
- {id: P1, name: 王芳, title: 安全总监, unit: 宏达化工有限公司}
- {id: P2, name: 李娜, title: 应急局局长, unit: 县应急管理局}
- {id: P3, name: 张伟, title: 石桥镇副镇长, unit: 石桥镇人民政府}
- {id: P4, name: 赵强, title: 城建材厂厂长, unit: 城关建材厂}
- {id: P5, name: 周敏, title: 住建局股长, unit: 县住建局}
- {id: P6, name: 孙涛, title: 城关镇副镇长, unit: 城关镇人民政府}
- {id: P7, name: 钱进, title: 副县长, unit: 测试县人民政府}
- {id: P8, name: 吴立, title: 应急站站长, unit: 石桥镇应急站}
- {id: P9, name: 郑无, title: 联络员}
"""
SIGN_LEDGER = """\
hazards:
  - id: H-1
    title: 报警器未检定
    unit: 宏达化工有限公司
    level: 一般
    found: 2023-03-01
    deadline: 2023-03-30
    owner: 王芳
    history:
      - {date: 2023-03-10, event: 整改完成, by: 王芳}
"""


@pytest.fixture
def signing(tmp_path, monkeypatch):
    root = write_workspace(tmp_path / "ws", {"org/units.yaml": SIGN_UNITS, "org/people.yaml": SIGN_PEOPLE,
                                             "hazards/a.yaml": SIGN_LEDGER})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", "2023-03-20")
    return root


@pytest.mark.parametrize("party, by, ok", [
    ("企业", "王芳", True), ("企业", "赵强", False),   # the hazard's own enterprise, not another one
    ("部门", "李娜", True), ("部门", "吴立", True),   # a department or a township station
    ("部门", "钱进", False), ("部门", "张伟", False),   # a government is not a department
    ("乡镇", "张伟", True), ("乡镇", "吴立", True),   # the hazard's township: its government or a station
    ("乡镇", "孙涛", False), ("乡镇", "李娜", False),   # another township, a county department
    ("企业", "郑无", False),                           # no unit: cannot say whom he signs for
])
def test_each_party_signs_with_its_own_people(signing, party, by, ok):
    res = run_cli("hazards", "verify", "H-1", "--party", party, "--by", by)
    assert (res.code == 0) is ok, res.err
    if not ok:
        assert res.code == 1 and "三方确认签字" in res.err or "签字人" in res.err


def test_one_person_cannot_sign_for_two_parties(signing):
    assert run_cli("hazards", "verify", "H-1", "--party", "部门", "--by", "吴立").code == 0
    res = run_cli("hazards", "verify", "H-1", "--party", "乡镇", "--by", "吴立")
    assert res.code == 1 and "同一人不能再代表乡镇方" in res.err
    assert run_cli("hazards", "verify", "H-1", "--party", "乡镇", "--by", "张伟").code == 0


def test_existing_sign_offs_are_checked(signing):
    path = signing / "hazards/a.yaml"
    path.write_text(SIGN_LEDGER + "      - {date: 2023-03-11, event: 验收签字, party: 企业, by: 王芳}\n"
                    "      - {date: 2023-03-11, event: 验收签字, party: 部门, by: 王芳}\n"
                    "      - {date: 2023-03-11, event: 验收签字, party: 乡镇, by: 周敏}\n", encoding="utf-8")
    got = {(p["line"], p["code"]) for p in run_cli("check", "--format", "json").json() if p["severity"] == "error"}
    assert got == {(12, "signoff-same-person"), (12, "signoff-wrong-party"), (13, "signoff-wrong-party")}


def test_a_department_that_does_not_lead_the_sector_is_a_warning(signing):
    assert run_cli("hazards", "verify", "H-1", "--party", "部门", "--by", "周敏").code == 0  # 住建 signs for 危化
    got = [(p["severity"], p["code"]) for p in run_cli("check", "--format", "json").json()]
    assert got == [("warning", "signoff-not-lead-department")]


# ---------------------------------------------------------------- 7. who may be 包保人


GUARANTEE_PEOPLE = """\
- {id: P1, name: 张伟, title: 副县长, roles: [政府其他领导干部]}
- {id: P2, name: 李娜, title: 应急局局长, unit: 县应急管理局, roles: [部门主要负责人]}
- {id: P3, name: 王芳, title: 总经理, unit: 宏达化工有限公司, roles: [企业主要负责人, 政府其他领导干部]}
"""


@pytest.mark.parametrize("kind, guarantor, target, codes", [
    ("重点企业", "张伟", "宏达化工有限公司", set()),                                 # 县政府分管领导
    ("重点企业", "李娜", "宏达化工有限公司", {("warning", "guarantor-not-leader")}),  # a department head
    ("重点企业", "王芳", "宏达化工有限公司", {("error", "guarantor-of-own-enterprise")}),
    ("一般事故隐患", "张伟", None, set()),
    ("一般事故隐患", "李娜", None, {("warning", "guarantor-not-leader")}),
])
def test_guarantors_are_leaders_never_of_their_own_enterprise(tmp_path, kind, guarantor, target, codes):
    targets = f", targets: [{target}]" if target else ""
    matrix = f"entries:\n  - {{id: B-1, kind: {kind}, guarantor: {guarantor}{targets}}}\n"
    root = write_workspace(tmp_path / "ws", {"org/people.yaml": GUARANTEE_PEOPLE, "matrix/m.yaml": matrix})
    got = {(p["severity"], p["code"]) for p in run_cli("check", "--format", "json", "--data", str(root),
                                                        "--today", TODAY).json()}
    assert got == codes


def test_guarantor_roles_are_configurable(tmp_path):
    matrix = "entries:\n  - {id: B-1, kind: 一般事故隐患, guarantor: 李娜}\n"
    config = "jurisdiction: 测试县\nlevel: 县\nsettings:\n  guarantor_roles:\n    一般事故隐患: [部门主要负责人]\n"
    root = write_workspace(tmp_path / "ws", {"org/people.yaml": GUARANTEE_PEOPLE, "matrix/m.yaml": matrix,
                                             "anquan.yaml": config})
    assert run_cli("check", "--format", "json", "--data", str(root), "--today", TODAY).json() == []
    bad = config.replace("一般事故隐患:", "一般事古隐患:")
    (root / "anquan.yaml").write_text(bad, encoding="utf-8")
    res = run_cli("check", "--data", str(root), "--today", TODAY)
    assert res.code == 2 and "包保类型" in res.out


# ---------------------------------------------------------------- 9. deadline phrases


@pytest.mark.parametrize("phrase, expected", [
    ("2021年", ("2021-01-01", "2021-12-31", "period")),
    ("2021年度", ("2021-01-01", "2021-12-31", "period")),
    ("2021年内完成", (None, "2021-12-31", "date")),
    ("第三季度", ("2023-07-01", "2023-09-30", "period")),
    ("2022年第四季度", ("2022-10-01", "2022-12-31", "period")),
    ("三季度末前", (None, "2023-09-30", "date")),
    ("上半年", ("2023-01-01", "2023-06-30", "period")),
    ("2023年上半年完成", (None, "2023-06-30", "date")),
    ("自2022年4月起", ("2022-04-01", None, "ongoing")),
    ("从4月起", ("2023-04-01", None, "ongoing")),
    ("专项行动期间", (None, None, "event")),
    ("党的二十大期间", (None, None, "event")),
])
def test_bare_years_quarters_halves_and_starts_read_alike(phrase, expected):
    got = run_cli("dates", "parse", phrase, "--year", "2023", "-f", "json").json()
    assert (got["start"], got["end"], got["kind"]) == expected


@pytest.mark.parametrize("phrase", ["2021年前", "第三季度前", "上半年前"])
def test_a_bare_period_before_which_is_ambiguous_is_refused(phrase):
    res = run_cli("dates", "parse", phrase, "--year", "2023")
    assert res.code == 1 and "不明确" in res.err  # `dates parse` exits 1 on a phrase it cannot read


def test_an_unreadable_node_is_reported_by_check_and_by_the_reminder(tmp_path):
    config = ("jurisdiction: 测试县\nlevel: 县\nreminders:\n  office: [张伟]\n  channels: [{type: stdout}]\n"
              "  nodes:\n    - {title: 实施方案报送, deadline: 择期报送}\n")
    root = write_workspace(tmp_path / "ws", {"anquan.yaml": config})
    problems = run_cli("check", "--format", "json", "--data", str(root), "--today", TODAY).json()
    assert [(p["path"], p["code"]) for p in problems] == [("anquan.yaml", "deadline-unparsed")]
    got = run_cli("remind", "--dry-run", "--format", "json", "--data", str(root), "--today", TODAY).json()
    assert any(i["kind"] == "node_unreadable" and "实施方案报送" in i["text"] for m in got for i in m["items"])


# ---------------------------------------------------------------- 5/6/11. duties and their evidence

DUTY_PEOPLE = """\
- {id: P1, name: 张伟, title: 县长, unit: 测试县人民政府, roles: [政府主要负责人]}
- {id: P2, name: 李娜, title: 应急局局长, unit: 县应急管理局, roles: [部门主要负责人]}
- {id: P3, name: 王芳, title: 总经理, unit: 宏达化工有限公司, roles: [企业主要负责人]}
- {id: P4, name: 陈静, title: 石桥镇党委书记, unit: 石桥镇, roles: [党委主要负责人]}
- {id: P5, name: 周建, title: 县委书记, unit: 测试县人民政府, roles: [党委主要负责人]}
"""
DUTY_UNITS = """\
townships:
  - {id: SQ, name: 石桥镇}
departments:
  - {name: 测试县人民政府}
  - {name: 县应急管理局, sectors: [危险化学品]}
enterprises:
  - {name: 宏达化工有限公司, township: 石桥镇, sector: 危险化学品}
"""


def _duties(tmp_path, duties: str, activities: str, period: str = "2023Q3", today: str = "2024-01-05"):
    root = write_workspace(tmp_path / "ws", {"org/people.yaml": DUTY_PEOPLE, "org/units.yaml": DUTY_UNITS,
                                             "duties/d.yaml": "duties:\n" + duties,
                                             "activities/a.yaml": "activities:\n" + activities})
    res = run_cli("duties", "status", "--period", period, "-f", "json", "--data", str(root), "--today", today)
    assert res.code == 0, res.err
    return root, {(r["duty"], r["holder"]): r for r in res.json()}


def test_a_monthly_summary_is_not_the_quarterly_bulletin(tmp_path):
    duties = ("  - {id: D-1, holder: 李娜, action: 季通报, activity: 通报, period: 每季度}\n"
              "  - {id: D-2, holder: 李娜, action: 月小结, activity: 小结, period: 每月}\n")
    acts = ("  - {date: 2023-07-31, kind: 月小结, held_by: 李娜, title: 7月小结}\n"
            "  - {date: 2023-08-31, kind: 小结, held_by: 李娜, title: 8月小结}\n")
    _, got = _duties(tmp_path, duties, acts)
    assert got[("D-1", "李娜")]["status"] == "not_met"
    assert got[("D-2", "李娜")]["reasons"] == ["2023年9月：应 1 次，实际 0 次，差 1 次"]


def test_an_inspection_is_not_the_yearly_patrol_of_a_lower_level(tmp_path):
    duties = "  - {id: D-1, holder: 张伟, action: 对下级政府巡查和考核, activity: 巡查, period: 每年}\n"
    _, got = _duties(tmp_path, duties, "  - {date: 2023-08-01, kind: 检查, held_by: 张伟, title: 检查化工企业}\n",
                     period="2023")
    assert got[("D-1", "张伟")]["status"] == "not_met"
    _, got = _duties(tmp_path, duties, "  - {date: 2023-08-01, kind: 巡查, held_by: 张伟, title: 对石桥镇安全生产巡查}\n",
                     period="2023")
    assert got[("D-1", "张伟")]["status"] == "met"


def test_one_activity_counts_for_one_duty_unless_a_duty_shares(tmp_path):
    duties = ("  - {id: D-1, holder: 张伟, action: 年度工作总结, activity: 总结, period: 每年}\n"
              "  - {id: D-2, holder: 张伟, action: 年度述职, activity: 总结, period: 每年}\n")
    one = "  - {date: 2023-12-20, kind: 总结, held_by: 张伟, title: 2023年安全生产工作总结}\n"
    _, got = _duties(tmp_path, duties, one, period="2023")
    assert [got[(d, "张伟")]["status"] for d in ("D-1", "D-2")] == ["met", "not_met"]
    named = one.replace("}\n", ", duty: D-2}\n")
    _, got = _duties(tmp_path, duties, named, period="2023")
    assert [got[(d, "张伟")]["status"] for d in ("D-1", "D-2")] == ["not_met", "met"]
    shared = duties.replace("period: 每年}\n  - {id: D-2", "period: 每年, shared: true}\n  - {id: D-2")
    _, got = _duties(tmp_path, shared, one, period="2023")
    assert [got[(d, "张伟")]["status"] for d in ("D-1", "D-2")] == ["met", "met"]


def test_keywords_tell_meetings_of_different_purpose_apart(tmp_path):
    duties = ("  - {id: D-1, holder: 张伟, action: 政府常务会议研究安全生产, activity: 会议, period: 每季度, keywords: [常务会议, 专题会议]}\n"
              "  - {id: D-2, holder: 张伟, action: 安委会全体会议, activity: 会议, period: 每季度, keywords: [安委会]}\n")
    acts = "  - {date: 2023-08-01, kind: 会议, held_by: 张伟, title: 县安委会全体会议}\n"
    _, got = _duties(tmp_path, duties, acts)
    assert [got[(d, "张伟")]["status"] for d in ("D-1", "D-2")] == ["not_met", "met"]


def test_a_campaign_duty_is_judged_only_during_the_campaign(tmp_path):
    duties = ("  - {id: QY-02, holder: 企业主要负责人, action: 专项行动期间每月带队检查, activity: 检查, period: 每月,"
              " from: 2023-06-01, until: 2023-12-31}\n")
    acts = "".join(f"  - {{date: 2023-{m:02d}-10, kind: 检查, held_by: 王芳, title: 检查}}\n" for m in range(6, 13))
    for period, status, windows in (("2023Q1", None, 0), ("2023Q2", "met", 1), ("2023Q3", "met", 3), ("2024Q1", None, 0)):
        _, got = _duties(tmp_path / period, duties, acts, period=period, today="2024-03-31")
        r = got[("QY-02", "王芳")]
        assert len(r["windows"]) == windows
        assert status is None or r["status"] == status


def test_exactly_once_is_expressible(tmp_path):
    duties = "  - {id: D-1, holder: 陈静, action: 每半年听取一次汇报, activity: 听取汇报, period: 每半年, min: 1, max: 1}\n"
    two = ("  - {date: 2023-08-01, kind: 听取汇报, held_by: 陈静, title: 听取汇报}\n"
           "  - {date: 2023-09-01, kind: 听取汇报, held_by: 陈静, title: 听取汇报}\n")
    _, got = _duties(tmp_path, duties, two, period="2023H2")
    assert got[("D-1", "陈静")]["status"] == "exceeded"
    assert got[("D-1", "陈静")]["reasons"] == ["2023年下半年：要求 1 次，实际 2 次"]
    _, got = _duties(tmp_path / "one", duties, two.split("\n")[0] + "\n", period="2023H2")
    assert got[("D-1", "陈静")]["status"] == "met"


def test_a_body_can_hold_a_duty(tmp_path):
    duties = "  - {id: D-1, holder: 县应急管理局, action: 每季度召开专题办公会议, activity: 会议, period: 每季度}\n"
    acts = "  - {date: 2023-08-01, kind: 会议, held_by: 李娜, title: 局专题办公会议}\n"
    root, got = _duties(tmp_path, duties, acts)
    assert got[("D-1", "县应急管理局")]["status"] == "met"
    assert run_cli("check", "--format", "json", "--data", str(root), "--today", TODAY).json() == []


def test_a_township_rule_does_not_bind_the_county_secretary(tmp_path):
    duties = "  - {id: LZ-11, holder: 党委主要负责人, action: 听取汇报, activity: 听取汇报, period: 每半年, scope: 乡镇}\n"
    _, got = _duties(tmp_path, duties, "", period="2023H2")
    assert set(got) == {("LZ-11", "陈静")}


def test_a_misspelt_override_sector_is_an_error(tmp_path):
    duties = ("  - id: QY-01\n    holder: 企业主要负责人\n    action: 演练\n    activity: 演练\n    period: 每年\n"
              "    overrides:\n      - {sectors: [危险化学], period: 每半年, min: 1}\n")
    root, _ = _duties(tmp_path, duties, "")
    problems = run_cli("check", "--format", "json", "--data", str(root), "--today", TODAY).json()
    assert [(p["severity"], p["code"], p["line"]) for p in problems] == [("error", "sector-unknown", 8)]
    assert "是不是“危险化学品”" in problems[0]["hint"]


def test_the_bulletin_separates_cadres_from_enterprise_heads_and_says_why(tmp_path):
    duties = ("  - {id: D-1, holder: 张伟, action: 带队检查, activity: 检查, period: 每季度}\n"
              "  - {id: QY-01, holder: 企业主要负责人, action: 应急演练, activity: 演练, period: 每季度}\n")
    root, _ = _duties(tmp_path, duties, "")
    md = run_cli("report", "quarterly", "--period", "2023Q3", "--data", str(root), "--today", "2024-01-05").out
    leaders = md.split("**领导干部**")[1].split("**企业主要负责人**")[0]
    heads = md.split("**企业主要负责人**")[1].split("## 七")[0]
    assert "张伟" in leaders and "王芳" not in leaders and "王芳" in heads
    assert "2023年第三季度：应 1 次，实际 0 次，差 1 次" in leaders


# ---------------------------------------------------------------- 3. escalation goes to the level above

ESC_LEDGER = ("hazards:\n  - id: H-1\n    title: 报警器未检定\n    unit: 宏达化工有限公司\n    level: 一般\n"
              "    found: 2023-03-01\n    deadline: 2023-03-30\n    owner: 王芳\n")


@pytest.mark.parametrize("config, supervisor", [
    ("jurisdiction: 石桥镇\nlevel: 乡镇\nparent: 青岚县\n", "青岚县人民政府"),          # seed 000: 由县人民政府督办
    ("jurisdiction: 青岚县\nlevel: 县\n", "青岚县人民政府"),
    ("jurisdiction: 石桥镇\nlevel: 乡镇\nparent: 青岚县\nsettings:\n  escalation_supervisor: 青岚县安委会\n", "青岚县安委会"),
])
def test_escalation_is_supervised_by_the_level_above(tmp_path, config, supervisor):
    root = write_workspace(tmp_path / "ws", {"anquan.yaml": config, "hazards/a.yaml": ESC_LEDGER})
    res = run_cli("hazards", "escalate", "--apply", "--by", "张伟", "--data", str(root), "--today", "2023-03-17")
    assert res.code == 0, res.err
    shown = run_cli("hazards", "show", "H-1", "-f", "json", "--data", str(root), "--today", "2023-03-17").json()
    assert shown["supervisor"] == supervisor and shown["level"] == "major"


def test_a_township_without_its_parent_is_told_to_name_it(tmp_path):
    root = write_workspace(tmp_path / "ws", {"anquan.yaml": "jurisdiction: 石桥镇\nlevel: 乡镇\n", "hazards/a.yaml": ESC_LEDGER})
    res = run_cli("hazards", "escalate", "--apply", "--by", "张伟", "--data", str(root), "--today", "2023-03-17")
    assert res.code == 2 and "parent:" in res.err
    assert (root / "hazards/a.yaml").read_text(encoding="utf-8") == ESC_LEDGER


# ---------------------------------------------------------------- 4. 挂牌督办 and 限期完成


def test_a_major_hazard_closes_only_once_listed_with_its_tracker(tmp_path):
    ledger = ("hazards:\n  - id: M-1\n    title: 防火间距不足\n    unit: 宏达化工有限公司\n    level: 重大\n"
              "    found: 2023-02-01\n    deadline: 2023-03-10\n    owner: 王芳\n    measures: 迁建\n    funds: 85万元\n"
              "    plan: 《预案》\n    history:\n      - {date: 2023-03-15, event: 整改完成, by: 王芳}\n"
              "      - {date: 2023-03-16, event: 验收签字, party: 企业, by: 王芳}\n"
              "      - {date: 2023-03-16, event: 验收签字, party: 部门, by: 李娜}\n"
              "      - {date: 2023-03-16, event: 验收签字, party: 乡镇, by: 陈静}\n")
    root = write_workspace(tmp_path / "ws", {"hazards/a.yaml": ledger})
    common = ("--data", str(root), "--today", "2023-03-20")
    res = run_cli("hazards", "close", "M-1", "--by", "张伟", *common)
    assert res.code == 1 and "挂牌督办" in res.err
    # 001 一（1）: listed, with the person who tracks it
    res = run_cli("hazards", "listing", "M-1", "--listed-by", "县应急管理局", "--listed-on", "2023-02-02",
                  "--by", "张伟", *common)
    assert res.code == 0  # a partial listing is a step forward (the record had the error already)
    res = run_cli("hazards", "close", "M-1", "--by", "张伟", *common)
    assert res.code == 1 and "尚缺：跟踪督办责任人" in res.err
    assert run_cli("hazards", "listing", "M-1", "--tracker", "李娜", "--by", "张伟", *common).code == 0
    assert run_cli("hazards", "close", "M-1", "--by", "张伟", *common).code == 0
    h = run_cli("hazards", "show", "M-1", "-f", "json", *common).json()
    assert h["record"]["history"][-1]["note"] == "逾期10天销号"  # closed 03-20, deadline 03-10


# ---------------------------------------------------------------- 10. looking back undoes later changes


def test_looking_back_before_an_escalation_shows_a_general_hazard():
    from conftest import DEMO

    common = ("--data", str(DEMO), "-f", "json")
    before = run_cli("hazards", "show", "SQ-2023-006", "--today", "2023-07-25", *common).json()
    after = run_cli("hazards", "show", "SQ-2023-006", "--today", "2023-08-06", *common).json()
    assert (before["level"], before["supervisor"]) == ("general", None)
    assert (after["level"], after["supervisor"]) == ("major", "青岚县人民政府")
    july = run_cli("report", "monthly", "--period", "2023-07", "--data", str(DEMO), "--today", "2023-11-30").out
    assert "SQ-2023-006" not in july.split("## 四、未销号的重大隐患")[1].split("## 五")[0]

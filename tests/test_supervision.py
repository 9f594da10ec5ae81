"""分级分类监管 (issue 19, second part): every enterprise with its regulating department and person
(seed 004 二（三）"做到所有生产经营单位监管部门清楚、监管人员明确"), a grade A–D, and as many inspections in each
period as its grade asks (``settings.grades``; the seeds fix no numbers) — judged at the periods' ends."""

from __future__ import annotations

import pytest
from conftest import DEMO, check_json, where

UNITS = """\
townships:
  - name: 石桥镇
departments:
  - name: 县应急管理局
enterprises:
  - name: 宏达化工有限公司
    township: 石桥镇
    sector: 危险化学品
    grade: D
    regulator: 县应急管理局
    regulator_person: 李娜
  - name: 石桥石料厂
    township: 石桥镇
    sector: 非煤矿山
    grade: A
    regulator: 县应急局
    regulator_person: 赵六
  - name: 永兴木业
    township: 石桥镇
    sector: 工贸
"""

CONFIG = """\
jurisdiction: 测试县
level: 县
settings:
  grades:
    A: {period: 每年, min: 1}
    D: {period: 每季度, min: 2}
"""


def inspections(*days: str, unit: str = "宏达化工有限公司") -> str:
    rows = "".join(f"  - {{id: ZF-{i}, type: 检查, date: {d}, unit: {unit}, by: 县应急管理局}}\n"
                   for i, d in enumerate(days, 1))
    return "enforcement:\n" + rows


def gaps(cli, root, day, *extra):
    res = cli("units", "gaps", "--data", str(root), "--today", day, "--format", "json", *extra)
    assert res.code == 0, res.err
    return [(g["unit"], g["rule"], g["period"], g["done"]) for g in res.json()]


@pytest.fixture
def ws(workspace):
    def make(enforcement: str = "enforcement: []\n", activities: str = "[]\n"):
        return workspace({"anquan.yaml": CONFIG, "org/units.yaml": UNITS, "enforcement/e.yaml": enforcement,
                          "activities/a.yaml": activities})
    return make


def test_an_enterprise_needs_a_regulator_a_person_and_a_grade(ws, cli):
    found = gaps(cli, ws(inspections("2023-01-05", "2023-02-05")), "2023-03-30")
    assert found == [("永兴木业", "regulator-missing", None, None), ("永兴木业", "regulator-person-missing", None, None),
                     ("永兴木业", "grade-missing", None, None)]


def test_a_period_is_judged_once_it_has_ended(ws, cli):
    root = ws(inspections("2023-01-05"))
    # the quarter's last day is still open: a second inspection may come that day
    assert ("宏达化工有限公司", "inspections-short", "2023年第一季度", 1) not in gaps(cli, root, "2023-03-31")
    assert ("宏达化工有限公司", "inspections-short", "2023年第一季度", 1) in gaps(cli, root, "2023-04-01")
    # inspected twice in the quarter, on its first and last days: enough
    both = ws(inspections("2023-01-01", "2023-03-31"))
    assert [g for g in gaps(cli, both, "2023-04-01") if g[0] == "宏达化工有限公司"] == []


def test_an_a_grade_is_judged_at_the_years_end(ws, cli):
    root = ws()
    assert ("石桥石料厂", "inspections-short", "2023年", 0) not in gaps(cli, root, "2023-12-31")
    assert ("石桥石料厂", "inspections-short", "2023年", 0) in gaps(cli, root, "2024-01-01", "--year", "2023")
    assert ("石桥石料厂", "inspections-short", "2023年", 0) not in gaps(cli, root, "2024-01-01")  # 2024 by default


def test_an_inspection_activity_naming_the_unit_counts(ws, cli):
    activities = ("- {date: 2023-01-10, kind: 检查, held_by: 李娜, title: 检查, unit: 宏达化工有限公司}\n"
                  "- {date: 2023-02-10, kind: 会议, held_by: 李娜, title: 会议, unit: 宏达化工有限公司}\n")
    found = gaps(cli, ws(inspections("2023-03-01"), activities), "2023-04-01")
    assert [g for g in found if g[0] == "宏达化工有限公司"] == []  # one inspection record, one inspection activity
    short = gaps(cli, ws(inspections("2023-03-01"), activities.replace("kind: 检查", "kind: 培训")), "2023-04-01")
    assert ("宏达化工有限公司", "inspections-short", "2023年第一季度", 1) in short


def test_check_holds_regulators_to_the_directory(ws, cli):
    found = where(check_json(cli, ws()))
    assert found == {("org/units.yaml", 16, "unit-unknown"), ("org/units.yaml", 17, "person-unknown")}


def test_no_frequencies_set_none_judged(workspace, cli):
    root = workspace({"org/units.yaml": UNITS})
    assert [g for g in gaps(cli, root, "2023-12-31") if g[1] == "inspections-short"] == []


def test_the_demo(cli):
    res = cli("units", "gaps", "--today", "2023-11-30", "--data", str(DEMO), "--format", "json", "--exit-code")
    assert res.code == 1
    rules = {g["rule"] for g in res.json()}
    assert rules == {"regulator-missing", "regulator-person-missing", "grid-missing", "inspections-short"}
    # the year's fourth quarter has not ended: judged up to the third
    assert not any("第四季度" in (g["period"] or "") for g in res.json())


def test_the_bulletin_reports_the_grades_and_the_periods_that_ended_in_it(ws, cli, tmp_path):
    root = ws(inspections("2023-07-05"))
    out = tmp_path / "q.md"
    assert cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(root),
               "-o", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    assert "## 十、分级分类监管" in text  # the first optional section present
    assert "| A级 | 1 | 1 | 0 | 每年1次 | 0 |" in text and "| D级 | 1 | 1 | 1 | 每季度2次 | 1 |" in text
    assert "| 未分级 | 1 | 0 | 0 | — | 0 |" in text
    assert "| 宏达化工有限公司 | 2023年第三季度 | 1 | 2 |" in text and "| 宏达化工有限公司 | 2023年第二季度" not in text

"""巡查考核 (issue 19, fourth part): seed 002 (六) "县级以上政府每年要对下级政府至少进行 1 次安全生产巡查和考核……将巡查
考核结果作为……考核、奖惩和使用的重要参考" — each lower level in a year, what is missing, the ranking."""

from __future__ import annotations

import pytest
from conftest import DEMO, check_json, where

UNITS = """\
townships:
  - name: 石桥镇
  - name: 城关镇
departments:
  - name: 县人民政府
  - name: 县应急管理局
    sectors: [危险化学品]
  - name: 石桥镇应急站
    township: 石桥镇
    sectors: [危险化学品]
"""

PATROLS = """\
patrols:
  - {id: P-1, date: 2023-04-01, target: 石桥镇, by: 县人民政府, kind: 巡查, findings: [报警器未检定]}
  - {id: P-2, date: 2023-11-20, target: 石桥镇, kind: 考核, score: 88分}
  - {id: P-3, date: 2023-11-20, target: 城关镇, kind: 考核, score: 92}
  - {id: P-4, date: 2023-11-21, target: 县应急管理局, kind: 考核, score: 88}
  - {id: P-5, date: 2022-05-01, target: 城关镇, kind: 巡查}
"""


def status(cli, root, *args):
    res = cli("patrols", "status", "--data", str(root), "--format", "json", *args)
    assert res.code in (0, 1), res.err
    return {r["target"]: (r["rank"], r["score"], r["missing"]) for r in res.json()}, res.code


@pytest.fixture
def root(workspace):
    return workspace({"org/units.yaml": UNITS, "patrols/p.yaml": PATROLS})


def test_each_lower_level_needs_a_patrol_and_an_assessment_each_year(cli, root):
    got, code = status(cli, root, "--year", "2023", "--today", "2023-12-31", "--exit-code")
    # the township's own station is no lower level of the county; the government is no department that leads a sector
    assert got == {"城关镇": (1, 92.0, ["patrol"]), "石桥镇": (2, 88.0, []), "县应急管理局": (2, 88.0, ["patrol"])}
    assert code == 1
    # 2022's patrol of 城关镇 does not count for 2023; in 2022 it is all there was
    got22, _ = status(cli, root, "--year", "2022", "--today", "2023-12-31")
    assert got22["城关镇"] == (None, None, ["assessment"]) and got22["石桥镇"] == (None, None, ["patrol", "assessment"])


def test_as_of_a_day_before_the_assessments(cli, root):
    got, _ = status(cli, root, "--year", "2023", "--today", "2023-11-19")
    assert got["石桥镇"] == (None, None, ["assessment"])


def test_the_workspace_may_name_its_lower_levels(cli, workspace):
    config = "jurisdiction: 测试县\nlevel: 县\nsettings:\n  patrols:\n    targets: [石桥镇]\n"
    root = workspace({"anquan.yaml": config, "org/units.yaml": UNITS, "patrols/p.yaml": PATROLS})
    got, code = status(cli, root, "--year", "2023", "--today", "2023-12-31", "--exit-code")
    assert got == {"石桥镇": (1, 88.0, [])} and code == 0


def test_check(cli, workspace):
    text = PATROLS + """\
  - {id: P-6, date: 2024-01-05, target: 石桥乡, kind: 巡查, rectified: 2024-01-01}
  - {id: P-7, date: 2023-01-05, target: 石桥镇, kind: 考核, score: 101}
"""
    found = {w for w in where(check_json(cli, workspace({"org/units.yaml": UNITS, "patrols/p.yaml": text})))
             if w[0].startswith("patrols/")}
    assert found == {("patrols/p.yaml", 7, "patrol-in-future"), ("patrols/p.yaml", 7, "patrol-rectified-before"),
                     ("patrols/p.yaml", 7, "unit-unknown"), ("patrols/p.yaml", 8, "value-invalid")}


def test_the_demo_and_the_annual_report(cli, tmp_path):
    got, _ = status(cli, DEMO, "--year", "2023", "--today", "2023-12-31")
    assert len(got) == 13 and got["青岚县应急管理局"][0] == 1 and got["柳溪乡"][2] == ["assessment"]
    out = tmp_path / "a.md"
    assert cli("report", "annual", "--period", "2023", "--today", "2023-12-31", "--data", str(DEMO),
               "-o", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    assert "## 十二、巡查考核" in text and "| 1 | 青岚县应急管理局 | 1 | 93 | — |" in text
    assert "| 4 | 白沙镇 | 1 | 88 | — |" in text and "| 4 | 青岚县交通运输局 | 1 | 88 | — |" in text

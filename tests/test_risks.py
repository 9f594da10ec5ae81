"""The major-risk register (issue 19, first part): grades and colours, control gaps on both sides of
their boundaries in the seeds' words (000 二（五）"建立重大安全风险数据库"、"分类包保"; 002 (十七) "可能造成群死群伤
的重大风险隐患，由市安委会挂牌督办"; (十八) "明确管控责任和措施"), the review clock, and raised risks."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import DEMO, check_json, run_cli, where
from hypothesis import given
from hypothesis import strategies as st

from anquan_cli.models.config import RiskSettings
from anquan_cli.models.hazard import pairs_text
from anquan_cli.models.risk import MEASURE_KEYS, Colour, Risk, RiskGrade
from anquan_cli.rules import risks as K

D = dt.date

HAZARDS = """\
hazards:
  - id: H-1
    title: 储罐区报警器未检定
    unit: 宏达化工有限公司
    level: 一般
    source: 企业自查
    found: 2023-08-10
    deadline: 2023-09-10
    owner: 王芳
    history:
      - {date: 2023-08-10, event: 登记, by: 李娜}
"""

RISKS = """\
risks:
  - id: R-1
    title: 储罐区火灾爆炸
    unit: 宏达化工有限公司
    grade: 红
    mass_casualty: true
    measures:
      - {text: 可燃气体报警联锁, owner: 王芳, level: 企业}
    guarantor: 张伟
    listing: {by: 县安委会, date: 2023-03-01, tracker: 李娜}
    reviewed: 2023-03-01
    hazards: [H-1]
  - id: R-2
    title: 边坡滑塌
    unit: 石桥石料厂
    grade: 较大
    measures:
      - {text: 雨天停工}
    reviewed: 2022-11-30
  - {id: R-3, title: 仓库受潮, township: 石桥镇, grade: 蓝}
"""

CONFIG = "jurisdiction: 测试县\nlevel: 县\nsettings:\n  risks:\n    listing_body: 县安委会\n"


def risk(**values) -> Risk:
    r = Risk.model_validate({"id": "R", "title": "t", "grade": "重大", **values})
    from anquan_cli.models import Source

    return r.with_source(Source("risks/a.yaml", 2, {}, {}))


def rules_of(found):
    return [g.rule for g in found]


# ---------------------------------------------------------------------- the record


@pytest.mark.parametrize("word, grade, colour", [("重大", "major", "red"), ("红色", "major", "red"),
                                                 ("橙", "larger", "orange"), ("一般风险", "general", "yellow"),
                                                 ("蓝", "low", "blue")])
def test_a_grade_is_written_as_a_grade_or_its_colour(word, grade, colour):
    g = RiskGrade.parse(word)
    assert (g.value, g.colour.value) == (grade, colour)
    assert Colour.parse(g.colour.label) is g.colour


def test_measures_read_from_one_csv_cell(workspace, cli):
    csv = ("编号,风险名称,单位,风险等级,管控措施,包保人\n"
           "R-9,粉尘爆炸,宏达化工有限公司,较大,措施=「除尘 锁气卸灰」 责任人=王芳 层级=车间；措施=清扫制度 层级=岗位,张伟\n")
    root = workspace({"risks/r.csv": csv})
    assert check_json(cli, root) == []
    [row] = cli("risks", "list", "--data", str(root), "--format", "json").json()
    assert row["measures"] == [
        {"text": "除尘 锁气卸灰", "owner": "王芳", "level": "workshop", "level_label": "车间"},
        {"text": "清扫制度", "owner": None, "level": "post", "level_label": "岗位"}]


@given(st.lists(st.tuples(st.text(min_size=1, max_size=12).filter(lambda t: t.strip() == t and t.strip()),
                          st.sampled_from([None, "王芳", "张 伟"]), st.sampled_from([None, "企业", "村"])),
                min_size=1, max_size=4))
def test_a_measure_cell_reads_back_what_was_written(items):
    cell = "；".join(pairs_text({"text": t, "owner": o, "level": lv}, MEASURE_KEYS) for t, o, lv in items)
    got = risk(measures=cell).measures
    assert [(m.text, m.owner, m.level.label if m.level else None) for m in got] == list(items)


# ---------------------------------------------------------------------- the gaps, at their boundaries


def test_a_controlled_risk_needs_measures_owners_levels_and_a_guarantor():
    s = RiskSettings()
    bare = risk(grade="较大", reviewed="2023-01-01")
    assert rules_of(K.gaps([bare], D(2023, 6, 1), s)) == ["measures-missing", "guarantor-missing"]
    half = risk(grade="较大", reviewed="2023-01-01", guarantor="张伟", measures=[{"text": "停工"}])
    assert rules_of(K.gaps([half], D(2023, 6, 1), s)) == ["measure-owner-missing", "measure-level-missing"]
    whole = risk(grade="较大", reviewed="2023-01-01", guarantor="张伟",
                 measures=[{"text": "停工", "owner": "王芳", "level": "企业"}])
    assert K.gaps([whole], D(2023, 6, 1), s) == []
    # 一般 and 低 risks are outside the controlled grades by default, inside when the workspace says so
    assert K.gaps([risk(grade="一般")], D(2023, 6, 1), s) == []
    assert "measures-missing" in rules_of(K.gaps([risk(grade="一般")], D(2023, 6, 1),
                                                 RiskSettings(controlled=["重大", "较大", "一般"])))


def test_a_major_risk_of_mass_casualties_is_listed_by_the_named_body():
    s = RiskSettings(listing_body="县安委会")
    ok = {"grade": "重大", "reviewed": "2023-01-01", "guarantor": "张伟",
          "measures": [{"text": "m", "owner": "王芳", "level": "企业"}]}
    assert rules_of(K.gaps([risk(**ok, mass_casualty=True)], D(2023, 6, 1), s)) == ["not-listed"]
    assert K.gaps([risk(**ok, mass_casualty=False)], D(2023, 6, 1), s) == []
    listed = risk(**ok, mass_casualty="是", listing={"by": "县安委会", "date": "2023-06-01"})
    assert K.gaps([listed], D(2023, 6, 1), s) == []
    assert rules_of(K.gaps([listed], D(2023, 5, 31), s)) == ["not-listed"]  # not yet listed that day
    other = risk(**ok, mass_casualty=True, listing={"by": "石桥镇人民政府", "date": "2023-06-01"})
    assert rules_of(K.gaps([other], D(2023, 6, 1), s)) == ["listed-by-other"]
    assert K.gaps([other], D(2023, 6, 1), RiskSettings()) == []  # no body named: any listing does


def test_a_review_is_due_review_days_after_the_last():
    ok = {"grade": "较大", "guarantor": "张伟", "measures": [{"text": "m", "owner": "王芳", "level": "企业"}]}
    s = RiskSettings(review_days=365)
    r = risk(**ok, reviewed="2022-11-30")
    assert K.review_due(r, s) == D(2023, 11, 30)
    assert K.gaps([r], D(2023, 11, 30), s) == []
    [gap] = K.gaps([r], D(2023, 12, 1), s)
    assert gap.rule == "review-overdue" and "已逾期 1 天" in gap.message
    assert rules_of(K.gaps([risk(**ok)], D(2023, 12, 1), s)) == ["review-missing"]


# ---------------------------------------------------------------------- commands and check


def test_the_register_raises_risks_with_open_hazards_and_filters(workspace, cli):
    root = workspace({"anquan.yaml": CONFIG, "hazards/h.yaml": HAZARDS, "risks/r.yaml": RISKS})
    rows = cli("risks", "list", "--data", str(root), "--today", "2023-11-30", "--format", "json").json()
    assert [(r["id"], r["raised"], r["colour"]) for r in rows] == [("R-1", True, "red"), ("R-2", False, "orange"),
                                                                  ("R-3", False, "blue")]
    assert rows[0]["open_hazards"] == ["H-1"] and rows[0]["listed"] and rows[1]["township"] == "石桥镇"
    before = cli("risks", "list", "--data", str(root), "--today", "2023-08-09", "--format", "json").json()
    assert [r["id"] for r in before][:1] == ["R-1"] and not before[0]["raised"]  # H-1 not found yet
    assert [r["id"] for r in cli("risks", "list", "--colour", "橙", "--data", str(root), "--format", "json").json()] \
        == ["R-2"]
    assert [r["id"] for r in cli("risks", "list", "--grade", "low", "--data", str(root), "--format", "json").json()] \
        == ["R-3"]
    bad = cli("risks", "list", "--grade", "紫", "--data", str(root))
    assert bad.code == 2 and "风险等级" in bad.err
    gaps = cli("risks", "gaps", "--data", str(root), "--today", "2023-11-30", "--format", "json", "--exit-code")
    assert gaps.code == 1
    assert [(g["risk"], g["rule"]) for g in gaps.json()] == [
        ("R-2", "measure-owner-missing"), ("R-2", "measure-level-missing"), ("R-2", "guarantor-missing")]
    later = cli("risks", "gaps", "--data", str(root), "--today", "2023-12-01", "--format", "json").json()
    assert ("R-2", "review-overdue") in [(g["risk"], g["rule"]) for g in later]
    shown = cli("risks", "show", "r-1", "--data", str(root), "--today", "2023-11-30")
    assert shown.code == 0 and "可燃气体报警联锁（企业；王芳）" in shown.out and "未销号：H-1" in shown.out


def test_check_holds_the_register_to_the_directory(workspace, cli):
    text = RISKS + """\
  - id: R-4
    title: 未知
    unit: 宏大化工
    township: 石桥乡
    grade: 重大
    measures:
      - {text: m, owner: 赵六, level: 企业}
    guarantor: 钱七
    reviewed: 2023-12-01
    hazards: [H-404]
  - {id: R-1, title: 重复, grade: 低}
"""
    found = where(check_json(cli, workspace({"anquan.yaml": CONFIG, "hazards/h.yaml": HAZARDS, "risks/r.yaml": text})))
    assert found == {("risks/r.yaml", 23, "unit-unknown"), ("risks/r.yaml", 24, "township-unknown"),
                     ("risks/r.yaml", 27, "person-unknown"), ("risks/r.yaml", 28, "person-unknown"),
                     ("risks/r.yaml", 29, "risk-review-in-future"), ("risks/r.yaml", 30, "risk-hazard-unknown"),
                     ("risks/r.yaml", 31, "duplicate-id")}


def test_the_demo_register(cli):
    rows = cli("risks", "list", "--today", "2023-11-30", "--data", str(DEMO), "--format", "json").json()
    assert len(rows) == 11 and {r["category"] for r in rows} >= {"尾矿库", "危化品储存", "群租房", "非煤矿山边坡", "危化品经营"}
    gaps = cli("risks", "gaps", "--today", "2023-11-30", "--data", str(DEMO), "--format", "json").json()
    assert {g["rule"] for g in gaps} == {"measure-owner-missing", "measure-level-missing", "guarantor-missing",
                                         "not-listed", "review-overdue"}
    assert [g["risk"] for g in gaps if g["rule"] == "not-listed"] == ["FX-2023-002"]


def test_diff_and_the_export_know_risks(tmp_path):
    import sqlite3

    out = tmp_path / "x.sqlite"
    assert run_cli("export", "--format", "sqlite", "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO)).code == 0
    con = sqlite3.connect(out)
    rows = con.execute("select id, grade, grade_label, measures from risks order by id").fetchall()
    assert len(rows) == 11 and rows[0][:3] == ("FX-2023-001", "major", "重大")
    assert json.loads(rows[0][3])[0]["owner"] == "林志远"


def test_the_quarterly_and_annual_report_the_register(cli, tmp_path, workspace):
    out = tmp_path / "q.md"
    assert cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(DEMO),
               "-o", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    assert "## 十二、重大风险管控" in text  # after 十、专项行动进展 and 十一、举报核查
    assert "共 11 项：重大（红）5项、较大（橙）4项、一般（黄）1项、低（蓝）1项" in text
    assert "可能造成群死群伤的重大风险 5 项，已挂牌督办 4 项" in text
    assert "| 复核评估逾期 | FX-2023-004 |" in text and "已逾期 15 天" in text  # as of the quarter's end
    annual = tmp_path / "a.md"
    assert cli("report", "annual", "--period", "2023", "--today", "2023-12-31", "--data", str(DEMO),
               "-o", str(annual)).code == 0
    assert "## 十、重大风险管控" in annual.read_text(encoding="utf-8")
    bare = workspace({"hazards/h.yaml": HAZARDS})
    assert cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(bare),
               "-o", str(out)).code == 0
    assert "重大风险管控" not in out.read_text(encoding="utf-8")


def test_the_register_exports_as_an_office_workbook_that_honours_the_township(tmp_path):
    import openpyxl

    out = tmp_path / "r.xlsx"
    res = run_cli("export", "risks", "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0 and "11 行" in res.out
    ws = openpyxl.load_workbook(out)["重大安全风险清单"]
    rows = [r[1:] for r in ws.iter_rows(min_row=3, values_only=True)]  # under the title and subtitle, past 序号
    head, first = rows[0], rows[1]
    assert head[:3] == ("风险编号", "风险名称", "单位") and first[0] == "FX-2023-001"
    record = dict(zip(head, first))
    # the measures cell reads back as the register's own CSV cell
    back = risk(measures=record["管控措施"]).measures
    assert [m.owner for m in back] == ["林志远", "林国栋", "黄志明"]
    gap_row = dict(zip(head, rows[2]))
    assert gap_row["风险编号"] == "FX-2023-002" and gap_row["管控缺口"] == "可能群死群伤的重大风险未挂牌督办"
    only = tmp_path / "sq.xlsx"
    assert run_cli("export", "risks", "--township", "石桥镇", "-o", str(only), "--today", "2023-11-30",
                   "--data", str(DEMO)).code == 0
    ids = [r[1] for r in openpyxl.load_workbook(only)["重大安全风险清单"].iter_rows(min_row=4, values_only=True)]
    assert ids == ["FX-2023-001", "FX-2023-002", "FX-2023-011"]


def test_the_docx_draws_the_spread_of_risks_by_township_and_colour(tmp_path):
    import shutil
    import zipfile

    def images(root):
        out = tmp_path / f"{root.name}.docx"
        res = run_cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--format", "docx",
                      "-o", str(out), "--data", str(root))
        assert res.code == 0, res.err
        return [n for n in zipfile.ZipFile(out).namelist() if n.startswith("word/media/")]

    bare = tmp_path / "bare"
    shutil.copytree(DEMO, bare, ignore=shutil.ignore_patterns(".anquan"))
    shutil.rmtree(bare / "risks")
    assert len(images(DEMO)) == len(images(bare)) + 1


def test_the_register_by_township_feeds_the_chart(workspace):
    import datetime as dt

    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.periods import parse_period
    from anquan_cli.rules.report import _risks
    from anquan_cli.workspace import load_workspace

    root = workspace({"anquan.yaml": CONFIG, "hazards/h.yaml": HAZARDS, "risks/r.yaml": RISKS})
    ws, _ = load_workspace(root)
    got = _risks(ws, parse_period("2023Q3"), dt.date(2023, 11, 30), Directory.for_workspace(ws))
    # R-1 (宏达化工, red) and R-2 (石料厂, orange) are in 石桥镇 through their units, R-3 (blue) by its own township
    assert got["by_township"] == [{"name": "石桥镇", "counts": [1, 1, 0, 1]}]


def test_a_controlled_grade_the_register_does_not_know_stops_the_command(workspace, cli):
    config = CONFIG + "    controlled: [重大, 紫]\n"
    root = workspace({"anquan.yaml": config, "risks/r.yaml": RISKS})
    res = cli("risks", "gaps", "--data", str(root))
    assert res.code == 2 and "未知的风险等级“紫”" in res.err and "内部错误" not in res.err


def test_the_register_workbook_imports_back(tmp_path):
    """The 重大安全风险清单 an office keeps in Excel: export → import gives the same register; a row
    without an id gets the year's next FX number; a re-import adds nothing."""
    import shutil

    import openpyxl

    out = tmp_path / "r.xlsx"
    assert run_cli("export", "risks", "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO)).code == 0
    root = tmp_path / "w"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".anquan"))
    shutil.rmtree(root / "risks")
    args = ("--data", str(root), "--today", "2023-11-30", "--by", "x")
    res = run_cli("import", "risks", str(out), *args)
    # no false warnings: the hazards the risks name are in the ledger; worked-out columns are not noise
    assert res.code == 0 and res.err == "" and "写入 risks/risks.yaml：11 条" in res.out
    listing = [json.loads(run_cli("risks", "list", "-f", "json", "--today", "2023-11-30", "--data", str(d)).out)
               for d in (DEMO, root)]
    assert [{k: v for k, v in r.items() if k not in ("file", "line")} for r in listing[0]] == \
        [{k: v for k, v in r.items() if k not in ("file", "line")} for r in listing[1]]
    text = (root / "risks/risks.yaml").read_text(encoding="utf-8")
    assert "township:" not in text.split("FX-2023-001")[1].split("- id:")[0]  # the unit's, worked out
    assert "新增 0 条，已存在 11 条（其中与台账不同 0 条）" in run_cli("import", "risks", str(out), *args).out
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["重大安全风险清单"])
    sheet.append(["风险名称", "所属乡镇", "风险等级", "管控措施", "包保人"])
    sheet.append(["沿河自建房群租", "城关镇", "橙色", "措施=每月入户检查 责任人=彭勇 层级=村", "冯磊"])
    sheet.append(["无等级的风险", "城关镇", None, None, None])
    wb.save(tmp_path / "new.xlsx")
    res = run_cli("import", "risks", str(tmp_path / "new.xlsx"), *args)
    assert res.code == 1 and "new.xlsx：新增 1 条" in res.out and "有错 1 条" in res.out
    assert "new.xlsx:Sheet!A4" in res.err
    added = json.loads(run_cli("risks", "show", "FX-2023-012", "-f", "json", "--today", "2023-11-30", "--data", str(root)).out)
    assert (added["grade"], added["township"], added["measures"][0]["level"]) == ("larger", "城关镇", "village")

"""The supervision grid (issue 19, third part): seed 004 三（三）"形成'县、乡、村、企'四级网格化监管模式，通过对每一个
网格内的责任单位与责任人实行定人、定岗、定责" — the tree, its errors, and every enterprise in a cell."""

from __future__ import annotations

from conftest import DEMO, check_json, where

GRID = """\
cells:
  - {id: X, name: 测试县, level: 县, responsible: 张伟}
  - {id: X-SQ, name: 石桥镇, level: 乡, parent: X, responsible: 陈静, post: 副镇长}
  - {id: X-SQ-1, name: 石桥村, level: 村, parent: X-SQ}
"""

UNITS = """\
townships:
  - name: 石桥镇
departments:
  - name: 县应急管理局
enterprises:
  - {name: 宏达化工有限公司, township: 石桥镇, sector: 危险化学品, grid: x-sq-1}
  - {name: 石桥石料厂, township: 石桥镇, sector: 非煤矿山}
"""


def test_the_tree_holds_cells_and_their_enterprises(workspace, cli):
    root = workspace({"grid/g.yaml": GRID, "org/units.yaml": UNITS})
    [top] = cli("grid", "show", "--data", str(root), "--format", "json").json()
    assert (top["id"], top["level"], [c["id"] for c in top["children"]]) == ("X", "county", ["X-SQ"])
    village = top["children"][0]["children"][0]
    assert village["enterprises"] == ["宏达化工有限公司"] and village["responsible"] is None
    branch = cli("grid", "show", "X-SQ", "--data", str(root))
    assert branch.code == 0 and "企业：宏达化工有限公司" in branch.out and "测试县" not in branch.out
    assert "未明确责任人" in branch.out
    missing = cli("grid", "show", "NOPE", "--data", str(root))
    assert missing.code == 2 and "找不到网格 NOPE" in missing.err


def test_check_holds_the_tree_together(workspace, cli):
    grid = GRID + """\
  - {id: X-Y, name: 乱挂, level: 乡, parent: X-SQ-1, responsible: 张伟}
  - {id: X-Z, name: 无主, level: 村, parent: X-404, responsible: 赵六}
  - {id: L-1, name: 甲, level: 村, parent: L-2, responsible: 张伟}
  - {id: L-2, name: 乙, level: 村, parent: L-1, responsible: 张伟}
"""
    units = UNITS.replace("sector: 非煤矿山}", "sector: 非煤矿山, grid: X-404}")
    found = where(check_json(cli, workspace({"grid/g.yaml": grid, "org/units.yaml": units})))
    assert found == {("grid/g.yaml", 4, "cell-responsible-missing"), ("grid/g.yaml", 5, "cell-parent-level"),
                     ("grid/g.yaml", 6, "cell-parent-unknown"), ("grid/g.yaml", 6, "person-unknown"),
                     ("grid/g.yaml", 7, "cell-parent-level"), ("grid/g.yaml", 8, "cell-parent-level"),
                     ("grid/g.yaml", 7, "cell-parent-loop"), ("grid/g.yaml", 8, "cell-parent-loop"),
                     ("org/units.yaml", 7, "unit-grid-unknown")}


def test_every_enterprise_belongs_in_a_cell_once_there_is_a_grid(workspace, cli):
    def grid_gaps(files):
        res = cli("units", "gaps", "--data", str(workspace(files)), "--format", "json")
        return [g["unit"] for g in res.json() if g["rule"] == "grid-missing"]

    assert grid_gaps({"grid/g.yaml": GRID, "org/units.yaml": UNITS}) == ["石桥石料厂"]


def test_no_grid_no_grid_gaps(workspace, cli):
    res = cli("units", "gaps", "--data", str(workspace({"org/units.yaml": UNITS})), "--format", "json")
    assert not [g for g in res.json() if g["rule"] == "grid-missing"]


def test_the_demo_grid(cli):
    tops = cli("grid", "show", "--data", str(DEMO), "--format", "json").json()
    assert [t["id"] for t in tops] == ["QL"] and len(tops[0]["children"]) == 4
    gaps = cli("units", "gaps", "--today", "2023-11-30", "--data", str(DEMO), "--format", "json").json()
    assert [g["unit"] for g in gaps if g["rule"] == "grid-missing"] == ["石桥镇永兴木业加工厂"]


def test_a_campaign_node_can_ask_every_enterprise_of_the_grid(workspace, cli):
    campaign = """\
campaigns:
  - id: ZX
    title: 专项行动
    from: 2023-03-01
    until: 2023-12-31
    nodes:
      - {id: 告知, title: 通知到辖区每一家企业, due: 2023-03-15, units: ["网格:X-SQ"]}
      - {id: 全部, title: 全部网格企业, due: 2023-03-15, units: [网格]}
      - {id: 错, title: 写错的网格, due: 2023-03-15, units: ["网格:X-404"]}
"""
    units = UNITS.replace("sector: 非煤矿山}", "sector: 非煤矿山, grid: X}")
    root = workspace({"grid/g.yaml": GRID, "org/units.yaml": units, "campaigns/c.yaml": campaign,
                      "submissions/s.yaml": "submissions:\n  - {node: 'ZX:告知', unit: 宏达化工有限公司, date: 2023-03-10}\n"})
    rows = cli("submissions", "missing", "--data", str(root), "--today", "2023-04-01", "--format", "json").json()
    assert sorted((r["node"], r["unit"]) for r in rows) == [("全部", "宏达化工有限公司"), ("全部", "石桥石料厂"),
                                                           ("错", "网格:X-404")]
    assert ("campaigns/c.yaml", 9, "unit-unknown") in where(check_json(cli, root))


def test_the_grid_exports_as_a_table(tmp_path, cli):
    import openpyxl

    out = tmp_path / "g.xlsx"
    assert cli("export", "grid", "-o", str(out), "--data", str(DEMO)).code == 0
    rows = [r[1:] for r in openpyxl.load_workbook(out)["网格表"].iter_rows(min_row=3, values_only=True)]
    assert rows[0][:4] == ("网格编号", "网格名称", "网格层级", "上级网格") and len(rows) == 15
    assert rows[1][:3] == ("QL", "青岚县", "县") and rows[2][0] == "QL-CG"  # tree order
    refused = cli("export", "grid", "--township", "石桥镇", "-o", str(out), "--data", str(DEMO))
    assert refused.code == 2 and "--township 不用于导出网格表" in refused.err


def test_an_enterprise_cell_is_one_enterprise_s_own(workspace, cli):
    """企 level (seed 004 "县、乡、村、企"): the cell of one enterprise — none naming it, or two, is a gap;
    with none, the enterprise its name stands for is the one to name it."""
    grid = GRID + """\
  - {id: X-HD, name: 宏达化工, level: 企, parent: X-SQ-1, responsible: 张伟}
  - {id: X-QT, name: 无名企业, level: 企, parent: X-SQ-1, responsible: 张伟}
"""
    one = UNITS.replace("grid: x-sq-1", "grid: X-HD")
    files = {"grid/g.yaml": grid, "org/units.yaml": one}
    found = check_json(cli, workspace(files))
    assert where(found) == {("grid/g.yaml", 4, "cell-responsible-missing"), ("grid/g.yaml", 6, "cell-enterprise-missing")}
    none = {"grid/g.yaml": grid, "org/units.yaml": UNITS}
    hints = {p["line"]: p["hint"] for p in check_json(cli, workspace(none)) if p["code"] == "cell-enterprise-missing"}
    assert hints == {5: "在 org/units.yaml 中给宏达化工有限公司写 grid: X-HD", 6: "在 org/units.yaml 中给这家企业写 grid: X-QT"}
    two = one.replace("sector: 非煤矿山}", "sector: 非煤矿山, grid: X-HD}")
    many = [p for p in check_json(cli, workspace({"grid/g.yaml": grid, "org/units.yaml": two}))
            if p["code"] == "cell-enterprise-many"]
    assert [(p["line"], p["severity"]) for p in many] == [(5, "warning")]
    assert "有 2 家企业（宏达化工有限公司、石桥石料厂），应一企一格" in many[0]["message"]


def test_the_grid_workbook_imports_back(tmp_path, cli):
    """Export → import into a workspace without a grid gives the same tree; into the demo, nothing new."""
    import shutil

    out = tmp_path / "g.xlsx"
    assert cli("export", "grid", "-o", str(out), "--data", str(DEMO)).code == 0
    again = cli("import", "grid", str(out), "--data", str(DEMO), "--dry-run")
    assert again.code == 0 and "将新增 0 条，已存在 14 条（其中与台账不同 0 条）" in again.out
    assert "不认识的列" not in again.err  # 网格内企业 is worked out, not a field
    root = tmp_path / "w"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".anquan"))
    shutil.rmtree(root / "grid")
    res = cli("import", "grid", str(out), "--data", str(root), "--by", "x")
    assert res.code == 0 and "写入 grid/grid.yaml：14 条" in res.out and res.err == ""
    def bare(nodes):
        return [{**{k: v for k, v in n.items() if k not in ("file", "line")}, "children": bare(n["children"])} for n in nodes]

    tree = [bare(cli("grid", "show", "--data", str(d), "--format", "json").json()) for d in (DEMO, root)]
    assert tree[0] == tree[1]
    assert cli("check", "--data", str(root), "--today", "2023-11-30").code == 0

"""``anquan import``: realistic office workbooks (title rows, two-row merged headers, merged
cells down a column, serial and text dates, an .xls, a GB18030 CSV) into a workspace."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
import xlsxwriter
from conftest import DEMO, run_cli

HEAD = ["隐患名称", "单位名称", "发现时间"], ["整改期限", "整改措施", "责任人", "隐患等级"]


def office_workbook(path, rows):
    """A sheet the way an office keeps it: two title rows, a two-row merged header, the unit
    merged down the first two rows, dates as date cells, serial numbers and text."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("隐患")
    ws.merge_range(0, 0, 0, 8, "石桥镇2023年第三季度隐患排查整改台账")
    ws.merge_range(1, 0, 1, 8, "填报单位：石桥镇应急站　　填报日期：2023年9月30日")
    ws.merge_range(2, 0, 3, 0, "序号")
    ws.merge_range(2, 1, 2, 3, "基本情况")
    ws.merge_range(2, 4, 2, 7, "整改情况")
    for c, h in enumerate(HEAD[0], start=1):
        ws.write(3, c, h)
    for c, h in enumerate(HEAD[1], start=4):
        ws.write(3, c, h)
    ws.merge_range(2, 8, 3, 8, "所属乡镇")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.merge_range(4, 2, 5, 2, "宏达化工有限公司")
    for r, (title, unit, found, deadline, owner, level) in enumerate(rows, start=4):
        ws.write_string(r, 0, str(r - 3))
        ws.write(r, 1, title)
        if unit:
            ws.write(r, 2, unit)
        if isinstance(found, dt.datetime):
            ws.write_datetime(r, 3, found, date)
        elif isinstance(found, int):
            ws.write_number(r, 3, found)
        else:
            ws.write(r, 3, found)
        ws.write(r, 4, deadline)
        ws.write(r, 5, "限期整改")
        ws.write(r, 6, owner)
        ws.write(r, 7, level)
        ws.write(r, 8, "石桥镇")
    for r in range(len(rows) + 4, len(rows) + 8):  # trailing formatted empty rows
        ws.write_blank(r, 1, None, date)
    wb.close()
    return path


ROWS = [
    ("配电箱未接地", None, dt.datetime(2023, 8, 1), "2023.8.15", "王芳", "一般"),
    ("甲醇储罐液位计失灵", None, 45150, "2023年8月20日", "王芳", "一般"),        # 45150 = 2023-08-12
    ("边坡过陡", "石桥石料厂", "2023/8/3", "8月底前", "李娜", "一般"),
]


@pytest.fixture
def ws(workspace, monkeypatch):
    root = workspace()
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", "2023-09-30")
    return root


def hazards(root):
    return {r["title"]: r for r in run_cli("hazards", "list", "-f", "json", "--data", str(root)).json()}


def test_an_office_workbook(ws, tmp_path):
    book = office_workbook(tmp_path / "台账.xlsx", ROWS)
    res = run_cli("import", "hazards", str(book), "--by", "王芳")
    assert res.code == 0, res.err
    assert "台账.xlsx：新增 3 条，已存在 0 条（其中与台账不同 0 条），有错 0 条。" in res.out
    got = hazards(ws)
    assert {t: (r["unit"], r["found"], r["deadline"], r["township"]) for t, r in got.items()} == {
        "配电箱未接地": ("宏达化工有限公司", "2023-08-01", "2023-08-15", "石桥镇"),
        "甲醇储罐液位计失灵": ("宏达化工有限公司", "2023-08-12", "2023-08-20", "石桥镇"),
        "边坡过陡": ("石桥石料厂", "2023-08-03", "2023-08-31", "石桥镇"),
    }
    assert run_cli("check", "-f", "json").json() == []
    again = run_cli("import", "hazards", str(book), "--by", "王芳")
    assert "新增 0 条，已存在 3 条" in again.out and len(hazards(ws)) == 3


def test_differences_are_reported_not_written(ws, tmp_path):
    run_cli("import", "hazards", str(office_workbook(tmp_path / "a.xlsx", ROWS)), "--by", "王芳")
    changed = [(t, u, f, "2023-09-15" if t == "边坡过陡" else d, o, lv) for t, u, f, d, o, lv in ROWS]
    res = run_cli("import", "hazards", str(office_workbook(tmp_path / "b.xlsx", changed)), "--by", "王芳")
    assert "b.xlsx:隐患!A7: 已存在" in res.out and "deadline：2023-08-31 → 2023-09-15" in res.out
    assert hazards(ws)["边坡过陡"]["deadline"] == "2023-08-31"


def test_invalid_rows_are_reported_by_cell(ws, tmp_path):
    bad = ROWS + [("罐区泄漏", "宏达化工有限公司", "2023/2/30", "2023/3/10", "王芳", "一般"),
                  ("未知等级", "宏达化工有限公司", "2023/8/5", "2023/8/10", "王芳", "特大")]
    book = office_workbook(tmp_path / "台账.xlsx", bad)
    res = run_cli("import", "hazards", str(book), "--by", "王芳")
    assert res.code == 1
    assert "台账.xlsx:隐患!D8: found（发现日期）：日期不存在：2023年2月没有30日" in res.err
    assert "台账.xlsx:隐患!H9: level（隐患等级）：未知的隐患等级“特大”" in res.err
    assert set(hazards(ws)) == {"配电箱未接地", "甲醇储罐液位计失灵", "边坡过陡"}
    assert not (ws / "drafts").exists()
    res = run_cli("import", "hazards", str(book), "--by", "王芳", "--keep-invalid")
    drafts = list((ws / "drafts").glob("*.yaml"))
    assert len(drafts) == 1 and "2023年2月没有30日" in drafts[0].read_text(encoding="utf-8")
    import yaml

    rows = yaml.safe_load(drafts[0].read_text(encoding="utf-8"))  # a person fixes these and moves them
    assert [(r["title"], r["found"], r["level"]) for r in rows] == [
        ("罐区泄漏", "2023/2/30", "一般"), ("未知等级", "2023/8/5", "特大")]
    assert run_cli("check", "-f", "json").json() == []  # drafts are outside the ledger


def _records_on_disk(root: Path) -> dict:
    """Every file but anquan's own (the cache every read may fill), with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
            for p in root.rglob("*") if ".anquan" not in p.relative_to(root).parts}


def test_dry_run_writes_nothing(ws, tmp_path):
    before = _records_on_disk(ws)
    res = run_cli("import", "hazards", str(office_workbook(tmp_path / "a.xlsx", ROWS)), "--dry-run")
    assert "将新增 3 条" in res.out and _records_on_disk(ws) == before


def test_an_old_xls_workbook(ws, tmp_path):
    import xlwt

    wb = xlwt.Workbook()
    sh = wb.add_sheet("隐患台账")
    sh.write_merge(0, 0, 0, 5, "石桥镇隐患台账")
    for c, h in enumerate(["隐患名称", "单位名称", "发现日期", "整改期限", "责任人", "隐患等级"]):
        sh.write(1, c, h)
    style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sh.write(2, 0, "配电箱未接地")
    sh.write(2, 1, "宏达化工有限公司")
    sh.write(2, 2, dt.datetime(2023, 8, 1), style)
    sh.write(2, 3, dt.datetime(2023, 8, 15), style)
    sh.write(2, 4, "王芳")
    sh.write(2, 5, "一般")
    wb.save(str(tmp_path / "old.xls"))
    res = run_cli("import", "hazards", str(tmp_path / "old.xls"), "--by", "王芳")
    assert res.code == 0, res.err
    assert hazards(ws)["配电箱未接地"]["deadline"] == "2023-08-15"


def test_a_gb18030_csv_and_a_mapping_file(ws, tmp_path):
    text = "问题描述,单位名称,发现日期,整改期限,责任人,隐患等级\r\n配电箱未接地,宏达化工有限公司,2023/8/1,2023/8/15,王芳,一般\r\n"
    (tmp_path / "x.csv").write_bytes(text.encode("gb18030"))
    res = run_cli("import", "hazards", str(tmp_path / "x.csv"), "--dry-run")
    assert "问题描述" in res.err  # not understood without a mapping
    (tmp_path / "map.yaml").write_text("columns:\n  问题描述: title\ndefaults:\n  source: 乡镇排查\n", encoding="utf-8")
    res = run_cli("import", "hazards", str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), "--by", "王芳")
    assert res.code == 0, res.err
    h = hazards(ws)["配电箱未接地"]
    assert (h["source_label"], h["found"]) == ("乡镇排查", "2023-08-01")


def test_export_then_import_gives_the_same_records(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    out = tmp_path / "out.xlsx"
    assert run_cli("export", "hazards", "--by", "township", "-o", str(out), "--data", str(root),
                   "--today", "2023-11-30").code == 0
    res = run_cli("import", "hazards", str(out), "--data", str(root), "--by", "x", "--today", "2023-11-30")
    assert "新增 0 条，已存在 40 条（其中与台账不同 0 条），有错 0 条" in res.out


def test_the_seed_002_table_typed_in_excel(tmp_path, workspace):
    """Measures merged down their tasks, multi-line unit cells: all 66 tasks come in right."""
    rows = list(csv.reader((DEMO / "tasks/tonganwei-2022-10.csv").open(encoding="utf-8-sig")))[1:]
    wb = xlsxwriter.Workbook(str(tmp_path / "分工表.xlsx"))
    sh = wb.add_worksheet("附件")
    sh.merge_range(0, 0, 0, 4, "关于进一步强化安全生产责任落实坚决防范遏制重特大事故的实施意见重点任务分工表")
    sh.write_row(1, 0, ["序号", "国务院安委会安全生产15条措施内容", "重点任务", "责任单位", "完成时限"])
    wrap = wb.add_format({"text_wrap": True})
    start = 2
    for i, (no, _measure, task, units, deadline) in enumerate(rows):
        r = start + i
        sh.write_number(r, 0, int(no))
        sh.write(r, 2, task, wrap)
        sh.write(r, 3, units.replace("，", "，\n", 1), wrap)  # a line break inside the cell
        sh.write(r, 4, deadline)
    spans: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        spans.setdefault(row[1], []).append(start + i)
    for measure, rs in spans.items():
        if len(rs) > 1:
            sh.merge_range(rs[0], 1, rs[-1], 1, measure)
        else:
            sh.write(rs[0], 1, measure)
    wb.close()
    root = workspace()
    res = run_cli("import", "tasks", str(tmp_path / "分工表.xlsx"), "--table", "tonganwei-2022-10",
                  "--data", str(root), "--by", "x")
    assert res.code == 0, res.err
    from anquan_cli.workspace import load_workspace

    got = {t.no: t for t in load_workspace(root, use_cache=False)[0].tasks}
    want = {t.no: t for t in load_workspace(DEMO, use_cache=False)[0].tasks}
    assert len(got) == 66
    for no, t in want.items():
        assert (got[no].measure, got[no].task, got[no].units, got[no].deadline) == (t.measure, t.task, t.units, t.deadline), no


def test_people_and_units(ws, tmp_path):
    (tmp_path / "p.csv").write_text("人员编号,姓名,职务,单位,手机\nP7,赵强,站长,石桥石料厂,13900000007\n", encoding="utf-8")
    (tmp_path / "u.csv").write_text("单位名称,类型,所属乡镇,行业领域\n石桥镇新华砖厂,企业,石桥镇,工贸\n", encoding="utf-8")
    assert run_cli("import", "people", str(tmp_path / "p.csv"), "--by", "x").code == 0
    assert run_cli("import", "units", str(tmp_path / "u.csv"), "--by", "x").code == 0
    from anquan_cli.workspace import load_workspace

    loaded, problems = load_workspace(ws, use_cache=False)
    assert [p for p in problems] == []
    assert any(p.name == "赵强" and p.phone == "13900000007" for p in loaded.people)
    assert any(u.name == "石桥镇新华砖厂" and u.sector == "工贸" for u in loaded.units)
    assert run_cli("import", "people", str(tmp_path / "p.csv"), "--by", "x").out.startswith("p.csv：新增 0 条")


def test_rows_go_into_an_existing_gb18030_csv_ledger(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    before = (root / "hazards/2023/liuxi.csv").read_bytes()
    (tmp_path / "lx.csv").write_text("隐患名称,单位名称,乡镇,发现日期,整改期限,责任人,隐患等级\n"
                                     "农药仓库无通风,柳溪乡绿源农资有限公司,柳溪乡,2023/11/20,2023/11/30,赵春生,一般\n",
                                     encoding="utf-8")
    res = run_cli("import", "hazards", str(tmp_path / "lx.csv"), "--data", str(root), "--by", "董明",
                  "--today", "2023-11-30")
    assert "写入 hazards/2023/liuxi.csv：1 条" in res.out
    after = (root / "hazards/2023/liuxi.csv").read_bytes()
    assert after.startswith(before)  # every existing byte kept
    added = after[len(before):].decode("gb18030")
    assert ",农药仓库无通风,柳溪乡绿源农资有限公司,柳溪乡,涉农企业,一般,,2023/11/20,2023/11/30,赵春生," in added
    assert added.endswith("2023-11-30 登记 人=董明 备注=「从 lx.csv 导入」\r\n")  # the note as written, not squeezed
    assert run_cli("check", "--data", str(root), "--today", "2023-11-30", "-f", "json").json() == []


from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.text(max_size=30))
@example(";:")  # a plain scalar may not end in a colon
@example("整改中: 待复查")
def test_emitted_scalars_read_back_as_written(text):
    from anquan_cli.edit.yamltext import scalar as _scalar
    from anquan_cli.io.yamlread import parse_yaml

    data, problems = parse_yaml(f"k: {_scalar(text)}\nf: [{_scalar(text, flow=True)}]\n", "x")
    assert problems == [] and data["k"] == text and data["f"] == [text]


def test_a_column_the_csv_ledger_lacks_is_added_to_its_header_only(tmp_path):
    root = tmp_path / "ws"
    (root / "hazards").mkdir(parents=True)
    (root / "anquan.yaml").write_text("jurisdiction: 柳溪乡\nlevel: 乡镇\n", encoding="utf-8")
    ledger = root / "hazards" / "liuxi.csv"
    old = "隐患编号,隐患名称,单位名称,乡镇,隐患等级,发现日期,整改期限\r\nLX-1,灭火器过期,绿源农资,柳溪乡,一般,2023/11/1,2023/11/10\r\n"
    ledger.write_bytes(old.encode("gb18030"))
    (tmp_path / "in.csv").write_text("隐患编号,隐患名称,单位名称,乡镇,隐患等级,发现日期,整改期限,整改资金\n"
                                     "LX-2,农药仓库无通风,绿源农资,柳溪乡,一般,2023/11/20,2023/11/30,0.5万元\n", encoding="utf-8")
    res = run_cli("import", "hazards", str(tmp_path / "in.csv"), "--data", str(root), "--by", "董明",
                  "--today", "2023-11-30")
    assert "写入 hazards/liuxi.csv：1 条" in res.out, res.err
    lines = ledger.read_bytes().decode("gb18030").split("\r\n")
    assert lines[0] == "隐患编号,隐患名称,单位名称,乡镇,隐患等级,发现日期,整改期限,整改资金,处理记录"
    assert lines[1] == "LX-1,灭火器过期,绿源农资,柳溪乡,一般,2023/11/1,2023/11/10"  # untouched
    assert lines[2] == "LX-2,农药仓库无通风,绿源农资,柳溪乡,一般,2023/11/20,2023/11/30,0.5万元,2023-11-30 登记 人=董明 备注=「从 in.csv 导入」"


def test_a_row_number_column_is_the_weakest_claim():
    """序号 (the row number ``export`` and many offices put first) gives way to the column that
    names the field (隐患编号, 任务序号), names the task when nothing else does, and is read past
    quietly where the kind has no such field."""
    from anquan_cli.importing import find_header
    from anquan_cli.models import Hazard, Task

    title = ["青岚县隐患台账"]
    _, columns, ignored = find_header([title, ["序号", "隐患编号", "隐患名称", "单位名称"]], Hazard, {})
    assert columns == {1: "id", 2: "title", 3: "unit"} and ignored == []
    _, columns, ignored = find_header([["序号", "隐患名称", "单位名称", "备查"]], Hazard, {})
    assert columns == {1: "title", 2: "unit"} and ignored == ["备查"]
    _, columns, _ = find_header([["序号", "任务序号", "重点任务", "责任单位"]], Task, {})
    assert columns == {1: "no", 2: "task", 3: "units"}
    _, columns, _ = find_header([["序号", "重点任务", "责任单位"]], Task, {})  # the seed 002 table
    assert columns == {0: "no", 1: "task", 2: "units"}

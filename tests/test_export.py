"""``anquan export``: workbooks read back with openpyxl."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import DEMO, run_cli


def export(tmp_path, *args) -> openpyxl.Workbook:
    out = tmp_path / "out.xlsx"
    res = run_cli("export", *args, "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0, res.err
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary file left behind
    return openpyxl.load_workbook(out)


def data_rows(ws):
    """The rows under the title, the subtitle and the header, without the 序号 column."""
    return [r[1:] for r in ws.iter_rows(min_row=4, values_only=True) if any(v is not None for v in r)]


def test_hazards_workbook_layout(tmp_path):
    wb = export(tmp_path, "hazards")
    assert wb.sheetnames == ["汇总", "隐患台账"]
    ws = wb["隐患台账"]
    assert ws["A1"].value == "青岚县隐患台账"  # one title: the sheet's name adds nothing to it
    assert ws["A2"].value == "截至 2023年11月30日"
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A1:Q1", "A2:Q2"]
    assert [c.value for c in ws[3]] == ["序号", "隐患编号", "隐患名称", "单位名称", "乡镇", "行业领域", "隐患等级", "隐患来源",
                                        "发现日期", "整改期限", "责任人", "状态", "逾期天数", "销号日期", "包保人",
                                        "督办单位", "延期次数"]
    assert all(c.font.bold for c in ws[3])
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:Q43"
    assert [ws.cell(r, 1).value for r in range(4, 44)] == list(range(1, 41))  # 序号
    rows = data_rows(ws)
    assert len(rows) == 40
    first = rows[0]
    assert first[0] == "SQ-2023-001" and first[7] == dt.datetime(2023, 1, 10) and ws["I4"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["C"].width >= 40  # Chinese titles fit


def test_overdue_rows_are_highlighted_and_counted(tmp_path):
    wb = export(tmp_path, "hazards")
    ws = wb["隐患台账"]
    overdue = [r for r in range(4, 44) if ws.cell(r, 13).value]
    assert len(overdue) == 8  # 逾期未整改 only: a rectified hazard waiting for sign-offs is not overdue
    assert all(ws.cell(r, 1).fill.fgColor.rgb.endswith("FCE4E4") for r in overdue)
    assert not ws.cell(4, 1).fill.fgColor.rgb.endswith("FCE4E4")
    summary = wb["汇总"]
    assert "共 40 项，其中逾期 8 项" in summary["A4"].value


def test_one_sheet_per_township_and_filters(tmp_path):
    wb = export(tmp_path, "hazards", "--by", "township")
    assert wb.sheetnames == ["汇总", "城关镇", "柳溪乡", "白沙镇", "石桥镇"]
    assert [len(data_rows(wb[n])) for n in wb.sheetnames[1:]] == [13, 8, 9, 10]
    wb2 = export(tmp_path, "hazards", "--overdue", "--township", "城关镇")
    # CG-2023-007 was rectified on 09-04, before its 09-05 deadline, and waits for sign-offs: not overdue
    assert [r[0] for r in data_rows(wb2["隐患台账"])] == ["CG-2023-009", "CG-2023-013", "CG-2023-010"]


def sheet_xml(path, sheets=None) -> dict[str, str]:
    """Each worksheet's XML by its name, and the workbook's as ``workbook``."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]+)"', book)
        out = {name: z.read(f"xl/worksheets/sheet{i}.xml").decode() for i, name in enumerate(names, start=1)}
    out["workbook"] = book
    return out


@pytest.mark.parametrize("what", ["hazards", "tasks", "duties", "matrix", "accidents", "enforcement", "risks", "grid"])
def test_every_sheet_prints_as_an_office_expects(tmp_path, what):
    """A4 landscape, one page wide (as many down as it takes), the title rows and the header on
    every page, page numbers in the footer, narrow margins, centred; the header frozen and
    filtered."""
    import re

    wb = export(tmp_path, what)
    xml = sheet_xml(tmp_path / "out.xlsx")
    for name in wb.sheetnames:
        sheet = xml[name]
        setup = re.search(r"<pageSetup [^>]*/>", sheet).group(0)
        assert 'paperSize="9"' in setup and 'orientation="landscape"' in setup and 'fitToHeight="0"' in setup
        assert 'fitToWidth="' not in setup or 'fitToWidth="1"' in setup  # 1 is the default xlsxwriter leaves out
        assert '<pageSetUpPr fitToPage="1"/>' in sheet
        assert '<printOptions horizontalCentered="1"/>' in sheet
        assert '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.7"' in sheet
        assert "<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>" in sheet
        rows = "$1:$2" if name == "汇总" else "$1:$3"
        titles = rf'<definedName name="_xlnm.Print_Titles" localSheetId="\d+">{re.escape(f"{name}!{rows}")}</definedName>'
        assert re.search(titles, xml["workbook"].replace("'", "")), name
        ws = wb[name]
        assert ws["A1"].value.startswith("青岚县") and ws["A2"].value.endswith("截至 2023年11月30日")
        if name != "汇总":
            assert ws.freeze_panes == "A4" and ws.auto_filter.ref.startswith("A3:")
            n = len(data_rows(ws))
            assert [c.value for c in ws["A"][2:3 + n]] == ["序号", *range(1, n + 1)], name


def test_one_title_per_sheet(tmp_path):
    wb = export(tmp_path, "hazards", "--by", "township")
    assert [wb[n]["A1"].value for n in wb.sheetnames] == [
        "青岚县隐患台账（汇总）", "青岚县隐患台账（城关镇）", "青岚县隐患台账（柳溪乡）", "青岚县隐患台账（白沙镇）",
        "青岚县隐患台账（石桥镇）"]
    assert all(wb[n]["A4"].value == 1 for n in wb.sheetnames[1:])  # numbered on each sheet
    wb = export(tmp_path, "enforcement")
    assert [wb[n]["A1"].value for n in wb.sheetnames] == [
        "青岚县执法台账（汇总）", "青岚县执法台账（执法检查台账）", "青岚县执法台账（行政处罚台账）", "青岚县执法台账（其他执法）"]
    for what, title in (("tasks", "青岚县重点任务推进情况"), ("duties", "青岚县领导干部履职情况"),
                        ("matrix", "青岚县包保责任清单"), ("accidents", "青岚县生产安全事故台账"),
                        ("risks", "青岚县重大安全风险清单"), ("grid", "青岚县网格表")):
        assert export(tmp_path, what).worksheets[1]["A1"].value == title


# ---------------------------------------------------------------- every filter honoured, or refused


def query(*args, today: str | None = "2023-11-30") -> list[dict]:
    res = run_cli(*args, "--format", "json", *(["--today", today] if today else []), "--data", str(DEMO))
    assert res.code == 0, res.err
    return res.json()


def column(ws, header) -> list:
    """One column of a data sheet by its header (row 3)."""
    at = [c.value for c in ws[3]].index(header)
    return [r[at] for r in ws.iter_rows(min_row=4, values_only=True) if any(v is not None for v in r)]


def summary_blocks(ws) -> dict[str, dict[str, int]]:
    """The summary sheet's count blocks: caption → {name: count}."""
    blocks: dict[str, dict[str, int]] = {}
    current = None
    for a, b, *_ in ws.iter_rows(min_row=4, values_only=True):
        if b == "数量":
            current = blocks.setdefault(a, {})
        elif a is None:
            current = None
        elif current is not None:
            current[a] = b
    return blocks


@pytest.mark.parametrize("args", [["--township", "石桥镇"], ["--township", "SQ"], ["--level", "重大"], ["--open"],
                                  ["--overdue"], ["--township", "城关镇", "--open", "--level", "一般"]])
def test_hazard_filters_choose_what_hazards_list_shows(tmp_path, args):
    wb = export(tmp_path, "hazards", *args)
    listed = query("hazards", "list", *args)
    ws = wb["隐患台账"]
    assert column(ws, "隐患编号") == [r["id"] for r in listed] and listed  # the same hazards, in the same order
    # the summary counts the rows of the sheet
    blocks = summary_blocks(wb["汇总"])
    from collections import Counter

    for caption, header in (("按乡镇", "乡镇"), ("按等级", "隐患等级"), ("按状态", "状态"), ("按行业领域", "行业领域")):
        assert blocks[caption] == dict(Counter(v for v in column(ws, header) if v)), caption
    overdue = sum(1 for v in column(ws, "逾期天数") if v)
    assert f"共 {len(listed)} 项，其中逾期 {overdue} 项" in wb["汇总"]["A4"].value


def test_the_hazards_of_a_period_are_those_the_quarterly_report_counts(tmp_path):
    """--period: found by the period's end and not closed before its start — found in it, closed
    in it or still open at its end (the hazards the quarterly report's breakdown counts)."""
    from anquan_cli.rules.periods import parse_period
    from anquan_cli.rules.report import figures
    from anquan_cli.workspace import load_workspace

    wb = export(tmp_path, "hazards", "--period", "2023Q3")
    ws = wb["隐患台账"]
    listed = query("hazards", "list")
    expected = [r["id"] for r in listed if r["found"] <= "2023-09-30" and (r["closed"] is None or r["closed"] >= "2023-07-01")]
    assert column(ws, "隐患编号") == expected and 0 < len(expected) < 40
    w = parse_period("2023Q3")
    got = figures(load_workspace(DEMO)[0].hazards, w, dt.date(2023, 11, 30))
    found = [d for d in column(ws, "发现日期") if dt.date(2023, 7, 1) <= d.date() <= dt.date(2023, 9, 30)]
    closed = [d for d in column(ws, "销号日期") if d and dt.date(2023, 7, 1) <= d.date() <= dt.date(2023, 9, 30)]
    assert (len(found), len(closed)) == (got.found, got.closed)
    assert wb["隐患台账"]["A2"].value == ("时段：2023年第三季度（2023年7月1日至2023年9月30日），含当期发现、当期销号和期末仍未销号的隐患；"
                                       "截至 2023年11月30日")
    assert f"共 {len(expected)} 项" in wb["汇总"]["A4"].value
    # with the other filters: the period's open major hazards of one township
    wb = export(tmp_path, "hazards", "--period", "2023Q3", "--township", "石桥镇", "--open", "--level", "重大")
    ws = wb["隐患台账"]
    by_id = {r["id"]: r for r in listed}
    assert column(ws, "隐患编号") == [i for i in expected if by_id[i]["township"] == "石桥镇" and by_id[i]["closed"] is None
                                   and by_id[i]["level"] == "major"]
    assert ws["A2"].value == ("时段：2023年第三季度（2023年7月1日至2023年9月30日），含当期发现、当期销号和期末仍未销号的隐患；"
                              "乡镇：石桥镇；隐患等级：重大；只含未销号的隐患；截至 2023年11月30日")
    assert wb["汇总"]["A2"].value == ws["A2"].value


def test_task_filters(tmp_path):
    listed = {(r["no"]): r for r in query("tasks", "list")}
    overdue = sorted(r["no"] for r in query("tasks", "overdue"))  # most overdue first there, in table order here
    ws = export(tmp_path, "tasks", "--overdue")["重点任务"]
    assert column(ws, "任务序号") == overdue and overdue
    ws = export(tmp_path, "tasks", "--open")["重点任务"]
    assert column(ws, "任务序号") == [n for n, r in listed.items() if r["status"] in ("not_started", "in_progress")]
    wb = export(tmp_path, "tasks", "--period", "2022Q4", "--open")
    ws = wb["重点任务"]
    assert column(ws, "任务序号") == [n for n, r in listed.items() if r["due"] and "2022-10-01" <= r["due"] <= "2022-12-31"
                                     and r["status"] in ("not_started", "in_progress")] != []
    assert ws["A2"].value.startswith("时段：2022年第四季度（2022年10月1日至2022年12月31日）内到期的任务；只含未完成的任务；")
    assert f"共 {len(column(ws, '任务序号'))} 项任务" in wb["汇总"]["A4"].value


def test_duties_accidents_enforcement_and_risks_filters(tmp_path):
    ws = export(tmp_path, "duties", "--period", "2023Q3")["履职情况"]
    assert len(column(ws, "编号")) == len(query("duties", "status", "--period", "2023Q3"))
    assert ws["A2"].value == "时段：2023年第三季度（2023年7月1日至2023年9月30日）；截至 2023年11月30日"
    for args in (["--period", "2023Q3"], ["--township", "石桥镇"], ["--period", "2023", "--township", "白沙镇"]):
        wb = export(tmp_path, "accidents", *args)
        ids = [r["id"] for r in query("accidents", "list", *args)]
        assert column(wb["生产安全事故"], "事故编号") == ids and ids, args
        assert f"共 {len(ids)} 起" in wb["汇总"]["A4"].value
        wb = export(tmp_path, "enforcement", *args)
        listed = query("enforcement", "list", *(a for a in args if a != "--township" and a not in ("石桥镇", "白沙镇")))
        if "--township" in args:
            listed = [r for r in listed if r["township"] == args[args.index("--township") + 1]]
        got = [i for name in ("执法检查台账", "行政处罚台账", "其他执法") for i in column(wb[name], "编号")]
        assert sorted(got) == sorted(r["id"] for r in listed) and listed, args
        assert f"共 {len(listed)} 条" in wb["汇总"]["A4"].value
    ws = export(tmp_path, "risks", "--township", "柳溪乡")["重大安全风险清单"]
    assert column(ws, "风险编号") == [r["id"] for r in query("risks", "list", "--township", "柳溪乡")]


def test_the_matrix_of_a_township(tmp_path):
    """--township: the guarantees whose 包保范围 is the township, and those written without one
    that cover the whole county or name an enterprise or a hazard of it."""
    wb = export(tmp_path, "matrix", "--township", "石桥镇")
    ws = wb["包保责任清单"]
    assert column(ws, "编号") == ["BB-01", "BB-04", "BB-05", "BB-08"]
    shown = {r["id"]: r for r in query("matrix", "show", today=None)}
    assert [shown[i]["guarantor"] for i in column(ws, "编号")] == column(ws, "包保人")
    assert sum(summary_blocks(wb["汇总"])["按包保类型"].values()) == 4
    assert column(export(tmp_path, "matrix", "--township", "BS")["包保责任清单"], "编号") == ["BB-03", "BB-04", "BB-07", "BB-09"]


_EVERY = ["hazards", "tasks", "duties", "matrix", "accidents", "enforcement", "risks", "grid"]
_APPLIES = {"--by": ["hazards"], "--township": ["hazards", "matrix", "accidents", "enforcement", "risks"],
            "--level": ["hazards"], "--open": ["hazards", "tasks"], "--overdue": ["hazards", "tasks"],
            "--period": ["hazards", "tasks", "duties", "accidents", "enforcement"]}
_VALUES = {"--by": ["township"], "--township": ["石桥镇"], "--level": ["重大"], "--open": [], "--overdue": [],
           "--period": ["2023Q3"]}


@pytest.mark.parametrize("what, option", [(w, o) for o, kinds in _APPLIES.items() for w in _EVERY if w not in kinds])
def test_an_option_that_chooses_nothing_is_refused(tmp_path, what, option):
    out = tmp_path / "x.xlsx"
    res = run_cli("export", what, option, *_VALUES[option], "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 2 and f"{option} 不用于导出" in res.err and "只用于导出" in res.err and "内部错误" not in res.err
    assert not out.exists()


@pytest.mark.parametrize("what, option", [(w, o) for o, kinds in _APPLIES.items() for w in kinds])
def test_an_option_that_applies_is_taken(tmp_path, what, option):
    res = run_cli("export", what, option, *_VALUES[option], "-o", str(tmp_path / "x.xlsx"), "--today", "2023-11-30",
                  "--data", str(DEMO))
    assert res.code == 0, res.err


@pytest.mark.parametrize("args, said", [
    (["hazards", "--township", "石乔镇"], "单位名录中没有乡镇“石乔镇”；是不是“石桥镇”？（乡镇有：城关镇、石桥镇、柳溪乡、白沙镇）"),
    (["duties", "--period", "2023Q5"], "无法识别的时段“2023Q5”"),
    (["hazards", "--level", "很大"], "未知的隐患等级“很大”"),
])
def test_a_filter_that_cannot_be_read_says_why(tmp_path, args, said):
    res = run_cli("export", *args, "-o", str(tmp_path / "x.xlsx"), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 2 and said in res.err and "内部错误" not in res.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("what, sheet, count", [("tasks", "重点任务", 66), ("duties", "履职情况", 58),
                                                ("matrix", "包保责任清单", 15)])
def test_other_exports(tmp_path, what, sheet, count):
    wb = export(tmp_path, what)
    assert wb.sheetnames == ["汇总", sheet]
    assert len(data_rows(wb[sheet])) == count


def test_task_rows(tmp_path):
    ws = export(tmp_path, "tasks")["重点任务"]
    row = data_rows(ws)[3]
    assert row[0] == 4 and row[3] == "县级以上(含,下同)党(工)委，组织部门" and row[5] == dt.datetime(2022, 9, 30)


def test_by_township_only_for_hazards(tmp_path):
    res = run_cli("export", "tasks", "--by", "township", "-o", str(tmp_path / "x.xlsx"), "--data", str(DEMO))
    assert res.code == 2 and "只用于导出隐患" in res.err


def test_a_missing_folder_is_the_users_to_fix(tmp_path):
    target = tmp_path / "上报" / "隐患.xlsx"
    res = run_cli("export", "hazards", "-o", str(target), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 2
    assert f"无法读写 {tmp_path / '上报'}：文件夹不存在" in res.err and "内部错误" not in res.err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- SQLite and Parquet for analysts

import errno  # noqa: E402
import json  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

TABLES = ["units", "people", "hazards", "hazard_events", "matrix", "tasks", "progress", "duties", "activities",
          "accidents", "enforcement", "campaigns", "submissions", "tipoffs", "risks", "grid", "patrols", "meta"]

SMALL = {
    "hazards/2023/a.csv": "隐患编号,隐患名称,单位名称,隐患等级,隐患来源,发现日期,整改期限,责任人,销号日期\n"
                          "H-1,储罐区报警器未检定,宏达化工有限公司,一般,企业自查,2023/3/1,2023/3/10,王芳,\n"
                          "H-2,边坡过陡,石桥石料厂,一般,乡镇排查,2023年3月5日,2023年3月20日,李娜,2023-03-18\n",
    "hazards/2023/b.yaml": """\
        hazards:
          - id: H-3
            title: 反应釜未设紧急切断
            unit: 宏达化工有限公司
            level: 重大
            found: 2023-04-01
            deadline: 2023-06-30
            owner: 王芳
            history:
              - {date: 2023-04-01, event: 登记, by: 李娜}
              - {date: 2023-04-20, event: 延期, deadline: 2023-06-30, previous: 2023-05-01, reason: 设备到货慢, by: 李娜}
              - {date: 2023-06-10, event: 整改完成, by: 王芳}
        """,
}


def list_json(root, today):
    res = run_cli("hazards", "list", "--format", "json", "--today", today, "--data", str(root))
    assert res.code == 0, res.err
    return res.json()


def export_sqlite(tmp_path, root=DEMO, today="2023-11-30", *extra) -> sqlite3.Connection:
    out = tmp_path / "out.sqlite"
    res = run_cli("export", *extra, "--format", "sqlite", "-o", str(out), "--today", today, "--data", str(root))
    assert res.code == 0, res.err
    assert "已导出" in res.out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    con = sqlite3.connect(out)
    con.row_factory = sqlite3.Row
    return con


def rows_of(con, table, order="rowid"):
    return [dict(r) for r in con.execute(f'select * from "{table}" order by {order}')]


@pytest.mark.parametrize("today", ["2023-11-30", "2023-06-30"])
def test_sqlite_hazards_equal_what_hazards_list_shows(tmp_path, today):
    con = export_sqlite(tmp_path, DEMO, today)
    assert [r[0] for r in con.execute("select name from sqlite_master where type='table' order by rowid")] == TABLES
    listed = list_json(DEMO, today)
    hazards = rows_of(con, "hazards")
    assert len(hazards) == len(listed) == {"2023-11-30": 40, "2023-06-30": 19}[today]  # found by then
    assert [h["id"] for h in hazards] == [r["id"] for r in listed]  # the order hazards list uses
    for h, r in zip(hazards, listed):
        for key in ("status", "status_label", "township", "sector", "days_overdue", "days_open", "extensions", "level",
                    "level_label", "source", "source_label", "found", "deadline", "closed", "owner", "supervisor",
                    "file", "line", "workspace"):
            assert h[key] == r[key], (h["id"], key)
        assert json.loads(h["guarantors"]) == r["guarantors"]
    statuses = dict(con.execute("select status, count(*) from hazards group by 1").fetchall())
    if today == "2023-11-30":
        assert statuses == {"acceptance_overdue": 2, "closed": 25, "overdue": 8, "pending": 5}


def test_sqlite_every_kind_with_its_source_position(tmp_path):
    from anquan_cli.io.decode import decode
    from anquan_cli.rules.hazards import as_of
    from anquan_cli.workspace import load_workspace

    con = export_sqlite(tmp_path)
    ws, _ = load_workspace(DEMO)
    counts = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in TABLES}
    assert counts == {"units": len(ws.units), "people": len(ws.people), "hazards": 40,
                      "hazard_events": sum(len(h.history) for h in as_of(ws.hazards, dt.date(2023, 11, 30))),
                      "matrix": 15, "tasks": 66, "progress": len(ws.progress), "duties": len(ws.duties),
                      "activities": len(ws.activities), "accidents": len(ws.accidents),
                      "enforcement": len(ws.enforcement), "campaigns": len(ws.campaigns),
                      "submissions": len(ws.submissions), "tipoffs": len(ws.tipoffs), "risks": len(ws.risks), "grid": len(ws.cells),
                      "patrols": len(ws.patrols), "meta": 1}
    assert counts["hazard_events"] == 185
    lines = {}
    for t in TABLES[:-1]:
        for r in rows_of(con, t):
            assert r["file"] and r["line"] >= 1 and r["workspace"] == "", (t, r)
            if t != "hazard_events":
                lines.setdefault(r["file"], decode((DEMO / r["file"]).read_bytes()).text.splitlines())
    # positions point at the record (and at each history event) in its file
    first = rows_of(con, "hazards")[0]
    assert (first["id"], first["file"], first["line"]) == ("SQ-2023-001", "hazards/2023/shiqiao.yaml", 3)
    assert "SQ-2023-001" in lines[first["file"]][first["line"] - 1]
    events = [dict(r) for r in con.execute("select * from hazard_events where hazard_id='SQ-2023-001' order by seq")]
    assert [e["event"] for e in events] == ["registered", "rectified", "verified", "verified", "verified", "closed"]
    assert [e["event_label"] for e in events][:2] == ["登记", "整改完成"]
    assert [e["line"] for e in events] == list(range(16, 22))
    assert all(lines[e["file"]][e["line"] - 1].strip().startswith("- {date: " + e["date"]) for e in events)
    assert [e["party"] for e in events[2:5]] == ["enterprise", "department", "township"]
    csv_rows = [r for r in rows_of(con, "hazards") if r["file"].endswith(".csv")]
    assert csv_rows and all(r["id"] in lines[r["file"]][r["line"] - 1] for r in csv_rows)
    meta = rows_of(con, "meta")[0]
    assert meta["jurisdiction"] == "青岚县" and meta["level"] == "county" and meta["level_label"] == "县"
    assert meta["exported_at"] == "2023-11-30" and meta["workspace_path"] == str(DEMO.resolve())
    from anquan_cli import __version__

    assert meta["anquan_version"] == __version__


def test_sqlite_types_dates_lists_and_flags(tmp_path, workspace):
    root = workspace(SMALL)
    con = export_sqlite(tmp_path, root, "2023-06-30")
    types = {r["name"]: r["type"] for r in con.execute("pragma table_info(hazards)")}
    assert types["found"] == "DATE" and types["days_overdue"] == "INTEGER" and types["guarantors"] == "TEXT"
    h = {r["id"]: r for r in rows_of(con, "hazards")}
    assert list(h) == ["H-1", "H-2", "H-3"]
    assert h["H-1"]["found"] == "2023-03-01" and h["H-1"]["township"] == "石桥镇"  # from the unit
    assert h["H-1"]["sector"] == "危险化学品" and h["H-1"]["status"] == "overdue" and h["H-1"]["file"] == "hazards/2023/a.csv"
    assert h["H-1"]["line"] == 2 and h["H-2"]["line"] == 3 and h["H-2"]["status"] == "closed"
    assert h["H-3"]["deadline"] == "2023-06-30" and h["H-3"]["extensions"] == 1
    assert h["H-3"]["status"] == "acceptance_overdue" and h["H-3"]["status_label"] == "验收逾期"  # rectified 06-10, no sign-offs
    ext = con.execute("select * from hazard_events where event='extended'").fetchone()
    assert (ext["deadline"], ext["previous"], ext["reason"], ext["line"]) == ("2023-06-30", "2023-05-01", "设备到货慢", 11)
    units = {r["name"]: r for r in rows_of(con, "units")}
    assert units["宏达化工有限公司"]["key"] == 1 and units["石桥石料厂"]["key"] == 0
    assert json.loads(units["县应急管理局"]["sectors"]) == ["危险化学品", "非煤矿山"]
    assert units["县应急管理局"]["kind"] == "department" and units["县应急管理局"]["kind_label"] == "部门"
    # as of an earlier day the later events are not known yet, as in hazards list
    con = export_sqlite(tmp_path, root, "2023-04-10")
    assert con.execute("select count(*) from hazard_events").fetchone()[0] == 1
    h3 = con.execute("select deadline, status from hazards where id='H-3'").fetchone()
    assert tuple(h3) == ("2023-05-01", "pending")
    assert [(r["id"], r["status"]) for r in list_json(root, "2023-04-10")] == \
        [(r[0], r[1]) for r in con.execute("select id, status from hazards")]


def test_sqlite_replaces_an_old_export_and_names_the_suffix(tmp_path):
    out = tmp_path / "导出"
    res = run_cli("export", "all", "--format", "sqlite", "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0, res.err
    assert [p.name for p in tmp_path.iterdir()] == ["导出.sqlite"]
    res = run_cli("export", "--format", "sqlite", "-o", str(out) + ".sqlite", "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0 and [p.name for p in tmp_path.iterdir()] == ["导出.sqlite"]


def test_parquet_read_back_with_pyarrow(tmp_path, workspace):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    out = tmp_path / "out"
    res = run_cli("export", "--format", "parquet", "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0, res.err
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{t}.parquet" for t in TABLES] + [".anquan-export"])
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    (tmp_path / "s").mkdir()
    con = export_sqlite(tmp_path / "s")
    for t in TABLES:
        table = pq.read_table(out / f"{t}.parquet")
        assert table.num_rows == con.execute(f'select count(*) from "{t}"').fetchone()[0], t
        assert table.column_names == [r[1] for r in con.execute(f'pragma table_info("{t}")')]
    hazards = pq.read_table(out / "hazards.parquet")
    assert hazards.schema.field("found").type == pa.date32() and hazards.schema.field("line").type == pa.int64()
    listed = list_json(DEMO, "2023-11-30")
    got = hazards.to_pylist()
    assert [(h["id"], h["status"], h["township"], h["sector"]) for h in got] == \
        [(r["id"], r["status"], r["township"], r["sector"]) for r in listed]
    assert got[0]["found"] == dt.date(2023, 1, 10) and json.loads(got[0]["guarantors"]) == listed[0]["guarantors"]
    assert pq.read_table(out / "hazard_events.parquet").num_rows == 185
    meta = pq.read_table(out / "meta.parquet").to_pylist()[0]
    assert meta["exported_at"] == dt.date(2023, 11, 30) and meta["jurisdiction"] == "青岚县"
    units = pq.read_table(out / "units.parquet")
    assert units.schema.field("key").type == pa.bool_()
    # exporting again replaces the folder anquan wrote
    root = workspace(SMALL)
    res = run_cli("export", "--format", "parquet", "-o", str(out), "--today", "2023-06-30", "--data", str(root))
    assert res.code == 0, res.err
    assert pq.read_table(out / "hazards.parquet").column("id").to_pylist() == ["H-1", "H-2", "H-3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s", "ws"]


@pytest.mark.parametrize("content", [{"notes.txt": "mine"}, {"hazards.parquet": "x"},
                                     {".anquan-export": "", "hazards.parquet": "x", "mine.csv": "1"}])
def test_parquet_refuses_a_folder_that_is_not_an_export(tmp_path, content):
    pytest.importorskip("pyarrow")
    out = tmp_path / "out"
    out.mkdir()
    for name, text in content.items():
        (out / name).write_text(text, encoding="utf-8")
    res = run_cli("export", "--format", "parquet", "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 2 and "不是空文件夹，也不是 anquan 导出的文件夹" in res.err and "内部错误" not in res.err
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == content
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    (tmp_path / "f").write_text("x")
    res = run_cli("export", "--format", "parquet", "-o", str(tmp_path / "f"), "--data", str(DEMO))
    assert res.code == 2 and "不是文件夹" in res.err and (tmp_path / "f").read_text() == "x"


def test_parquet_into_an_empty_folder(tmp_path):
    pytest.importorskip("pyarrow")
    out = tmp_path / "out"
    out.mkdir()
    res = run_cli("export", "--format", "parquet", "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0, res.err
    assert (out / "hazards.parquet").is_file() and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_missing_pyarrow_says_how_to_install(tmp_path, monkeypatch):
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow → ImportError
    res = run_cli("export", "--format", "parquet", "-o", str(tmp_path / "out"), "--data", str(DEMO))
    assert res.code == 2
    assert "需要 pyarrow" in res.err and 'pip install "anquan[parquet]"' in res.err and "内部错误" not in res.err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_sqlite_export_leaves_the_old_file(tmp_path, monkeypatch):
    from anquan_cli.views import dataset as D

    out = tmp_path / "out.sqlite"
    out.write_bytes(b"old export")
    calls = []

    def failing(r, idx):
        calls.append(1)
        if len(calls) > 100:  # well into the hazards: the tables before are written
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(r, idx)

    real = D._iso_at
    monkeypatch.setattr(D, "_iso_at", failing)
    res = run_cli("export", "--format", "sqlite", "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 2 and f"无法读写 {out}" in res.err and "内部错误" not in res.err
    assert [p.name for p in tmp_path.iterdir()] == ["out.sqlite"] and out.read_bytes() == b"old export"


def test_a_failed_parquet_export_leaves_the_old_folder(tmp_path, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out"
    res = run_cli("export", "--format", "parquet", "-o", str(out), "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0, res.err
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real, written = pq.write_table, []

    def failing(table, where, **kw):
        written.append(where)
        real(table, where, **kw)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", where)

    monkeypatch.setattr(pq, "write_table", failing)
    res = run_cli("export", "--format", "parquet", "-o", str(out), "--today", "2023-06-30", "--data", str(DEMO))
    assert res.code == 2 and f"无法读写 {out}" in res.err
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_table_formats_take_the_whole_workspace(tmp_path):
    res = run_cli("export", "--format", "sqlite", "--township", "城关镇", "-o", str(tmp_path / "x.sqlite"), "--data", str(DEMO))
    assert res.code == 2 and "--township 只用于导出 Excel" in res.err
    res = run_cli("export", "hazards", "--format", "sqlite", "-o", str(tmp_path / "x.sqlite"), "--today", "2023-11-30",
                  "--data", str(DEMO))
    assert res.code == 0 and "导出整个工作区" in res.err and "hazard_events 185" in res.out
    for args in ([], ["all"]):
        res = run_cli("export", *args, "-o", str(tmp_path / "x.xlsx"), "--data", str(DEMO))
        assert res.code == 2 and "须写明导出什么" in res.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.sqlite"]


def test_one_conversion_drives_every_table_from_model_fields():
    from anquan_cli.models import Duty, Hazard
    from anquan_cli.views import dataset as D

    cols = {c.name: c.kind for c in D.columns_of(Hazard, skip=("history",))}
    assert cols["found"] == "date" and cols["level"] == "text" and cols["level_label"] == "text" and "history" not in cols
    assert list(cols)[-3:] == ["file", "line", "workspace"]
    duty = {c.name: c.kind for c in D.columns_of(Duty)}
    assert duty["overrides"] == "json" and duty["shared"] == "bool" and duty["min"] == "int" and duty["valid_from"] == "date"


def test_help_imports_neither_sqlite_nor_pyarrow():
    code = ("import sys, io, contextlib\nfrom anquan_cli.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: main(['export', '--help'])\n"
            "    except SystemExit: pass\n"
            "print(sorted({'sqlite3', '_sqlite3', 'pyarrow'} & {m.split('.')[0] for m in sys.modules}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_sqlite_accidents_with_their_grade_and_reports(tmp_path):
    con = export_sqlite(tmp_path)
    rows = con.execute("select id, occurred, grade, grade_label, deaths, direct_loss, late_reports, reports, file, line "
                       "from accidents order by id").fetchall()
    larger = next(r for r in rows if r[0] == "SG-2023-002")
    assert larger[1:7] == ("2023-07-08T16:30", "larger", "较大", 3, 680.0, 2)  # the unit and the county were late
    assert json.loads(larger[7])[0] == {"time": "2023-07-08T17:10:00", "from": "青岚县宏达化工有限公司",
                                        "to": "石桥镇人民政府", "by": "林国栋"}
    assert larger[8:] == ("accidents/2023.yaml", 18)

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
    return [r for r in ws.iter_rows(min_row=3, values_only=True) if any(v is not None for v in r)]


def test_hazards_workbook_layout(tmp_path):
    wb = export(tmp_path, "hazards")
    assert wb.sheetnames == ["汇总", "隐患台账"]
    ws = wb["隐患台账"]
    assert ws["A1"].value == "青岚县隐患台账（隐患台账，截至 2023年11月30日）"
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:P1"]
    assert [c.value for c in ws[2]] == ["隐患编号", "隐患名称", "单位名称", "乡镇", "行业领域", "隐患等级", "隐患来源",
                                        "发现日期", "整改期限", "责任人", "状态", "逾期天数", "销号日期", "包保人",
                                        "督办单位", "延期次数"]
    assert all(c.font.bold for c in ws[2])
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:P42"
    rows = data_rows(ws)
    assert len(rows) == 40
    first = rows[0]
    assert first[0] == "SQ-2023-001" and first[7] == dt.datetime(2023, 1, 10) and ws["H3"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["B"].width >= 40  # Chinese titles fit


def test_overdue_rows_are_highlighted_and_counted(tmp_path):
    wb = export(tmp_path, "hazards")
    ws = wb["隐患台账"]
    overdue = [r for r in range(3, 43) if ws.cell(r, 12).value]
    assert len(overdue) == 8  # 逾期未整改 only: a rectified hazard waiting for sign-offs is not overdue
    assert all(ws.cell(r, 1).fill.fgColor.rgb.endswith("FCE4E4") for r in overdue)
    assert not ws.cell(3, 1).fill.fgColor.rgb.endswith("FCE4E4")
    summary = wb["汇总"]
    assert "共 40 项，其中逾期 8 项" in summary["A4"].value


def test_one_sheet_per_township_and_filters(tmp_path):
    wb = export(tmp_path, "hazards", "--by", "township")
    assert wb.sheetnames == ["汇总", "城关镇", "柳溪乡", "白沙镇", "石桥镇"]
    assert [len(data_rows(wb[n])) for n in wb.sheetnames[1:]] == [13, 8, 9, 10]
    wb2 = export(tmp_path, "hazards", "--overdue", "--township", "城关镇")
    # CG-2023-007 was rectified on 09-04, before its 09-05 deadline, and waits for sign-offs: not overdue
    assert [r[0] for r in data_rows(wb2["隐患台账"])] == ["CG-2023-009", "CG-2023-013", "CG-2023-010"]


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

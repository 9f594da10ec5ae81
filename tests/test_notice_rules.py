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

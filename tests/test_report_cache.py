"""``anquan report`` keeps what each hazard file brings (``.anquan/cache/reports``): its output
is always byte for byte the one of loading everything and computing the report at once, and a
change to a file, to anything else in the workspace, or of the day is seen."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from conftest import run_cli, write_workspace
from helpers import environment, git
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hazards_cli import GB_HEADER, GB_ROWS, LEDGER
from test_index import hazard, ledger_files

#: (kind, period, day): periods before, around and after the generated ledgers' dates
ASKS = [("quarterly", "2023Q3", "2023-11-30"), ("quarterly", "2023Q4", "2023-11-30"),
        ("monthly", "2023-06", "2023-06-30"), ("weekly", "2023-W27", "2023-07-05"),
        ("annual", "2023", "2023-11-30"), ("annual", "2023", "2024-06-30")]


def report(root: Path, kind: str, period: str, day: str, ordinary: bool = False):
    with environment(ANQUAN_NO_CACHE="1" if ordinary else None, ANQUAN_TODAY=None):
        res = run_cli("report", kind, "--period", period, "--today", day, "--data", str(root))
    return res.code, res.out, res.err


def same_both_ways(root: Path, kind: str, period: str, day: str) -> str:
    expected = report(root, kind, period, day, ordinary=True)
    assert report(root, kind, period, day) == expected, (kind, period, day)  # filling the cache
    assert report(root, kind, period, day) == expected, (kind, period, day)  # from it
    return expected[1]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=12).flatmap(
           lambda ns: st.tuples(*[hazard(n) for n in ns])),
       st.sampled_from(["yaml", "csv-gb18030"]), st.sampled_from(ASKS), st.integers(0, 12), st.data())
def test_random_ledgers_report_the_same_both_ways(hazards, form, ask, cut, data):
    hazards = list(hazards)
    cut = min(cut, len(hazards))
    with tempfile.TemporaryDirectory() as tmp:
        root = write_workspace(Path(tmp) / "ws", ledger_files(form, (hazards[:cut // 2], hazards[cut // 2:cut],
                                                                 hazards[cut:])))
        same_both_ways(root, *ask)
        # one file changed (a hazard more, maybe with an id another file has): the report follows
        extra = data.draw(hazard(0))
        for rel, content in ledger_files(form, (hazards[:cut // 2] + [extra],)).items():
            (root / rel).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        same_both_ways(root, *ask)


@pytest.fixture
def ledger(workspace):
    return workspace({"hazards/2023/a.yaml": LEDGER, "hazards/2023/b.csv": (GB_HEADER + GB_ROWS).encode("gb18030")})


def entries(root: Path) -> list[Path]:
    return sorted((root / ".anquan/cache/reports").rglob("*.bin"))


def test_each_hazard_file_is_kept_and_reused(ledger):
    first = same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    kept = entries(ledger)
    assert len(kept) == 3  # each hazard file, and the other records' part
    assert same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30") == first
    assert entries(ledger) == kept


def test_another_period_kind_or_day_is_kept_apart(ledger):
    same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    n = len(entries(ledger))
    same_both_ways(ledger, "quarterly", "2023Q3", "2023-10-01")
    same_both_ways(ledger, "monthly", "2023-09", "2023-11-30")
    same_both_ways(ledger, "quarterly", "2023Q2", "2023-11-30")
    assert len(entries(ledger)) == 4 * n


def test_a_changed_hazard_file_is_computed_again_and_only_it(ledger):
    same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    kept = set(entries(ledger))
    path = ledger / "hazards/2023/a.yaml"
    text = path.read_text(encoding="utf-8")
    assert "deadline: 2023-03-25" in text
    path.write_text(text.replace("deadline: 2023-03-25", "deadline: 2023-03-26"), encoding="utf-8")
    same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    assert len(set(entries(ledger)) - kept) == 1


def test_the_people_directory_changes_every_part(ledger):
    before = same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    kept = set(entries(ledger))
    people = ledger / "org/people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30") == before
    assert len(set(entries(ledger)) - kept) == len(kept)  # none of the old entries served


def test_a_planted_or_damaged_entry_is_not_used(ledger):
    good = same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    for entry in entries(ledger):
        entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")
    assert same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30") == good


def test_a_broken_hazard_file_stops_the_report_from_the_cache_too(ledger):
    same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    (ledger / "hazards/2023/a.yaml").write_text("hazards:\n  - id: [\n", encoding="utf-8")
    code, out, err = same_both_ways_result = report(ledger, "quarterly", "2023Q3", "2023-11-30")
    assert (code, out, err) == report(ledger, "quarterly", "2023Q3", "2023-11-30", ordinary=True)
    assert same_both_ways_result[0] == 2 and "hazards/2023/a.yaml" in err


def test_a_rollup_reports_the_ordinary_way(tmp_path):
    write_workspace(tmp_path / "town", {"hazards/a.yaml": LEDGER})
    county = write_workspace(tmp_path / "county", {"anquan.yaml": "jurisdiction: 测试县\nlevel: county\ninclude: [../town]\n"})
    same_both_ways(county, "quarterly", "2023Q3", "2023-11-30")
    assert not entries(county)


def test_records_left_out_are_noted_the_same_way(ledger):
    path = ledger / "hazards/2023/a.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: H-bad\n    title: 缺少发现日期\n", encoding="utf-8")
    code, out, err = report(ledger, "quarterly", "2023Q3", "2023-11-30", ordinary=True)
    assert code == 0 and re.search(r"\d+ 处错误", err)
    assert same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30") == out


def outputs(root: Path) -> list[Path]:
    return sorted((root / ".anquan/cache/outputs").rglob("*.bin"))


def test_the_laid_out_report_is_kept_whole_and_served_unchanged(ledger):
    first = same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    assert len(outputs(ledger)) == 1
    parts = entries(ledger)
    for entry in parts:  # the kept report does not need the parts
        entry.unlink()
    assert report(ledger, "quarterly", "2023Q3", "2023-11-30")[1] == first
    assert not entries(ledger)


def test_a_changed_template_is_laid_out_again(ledger):
    same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    (ledger / "templates").mkdir()
    (ledger / "templates/report-quarterly.md.j2").write_text("# 改过的模板 {{ period.label }}\n", encoding="utf-8")
    assert same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30") == "# 改过的模板 2023年第三季度\n"
    (ledger / "templates/_blocks.md.j2").write_text("{% macro x() %}{% endmacro %}\n", encoding="utf-8")
    (ledger / "templates/report-quarterly.md.j2").write_text(
        '{% import "_blocks.md.j2" as b %}# 又改了 {{ period.label }}\n', encoding="utf-8")
    assert same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30") == "# 又改了 2023年第三季度\n"


def test_a_changed_hazard_file_or_day_is_laid_out_again(ledger):
    same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    path = ledger / "hazards/2023/a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("deadline: 2023-03-25", "deadline: 2023-09-25"),
                    encoding="utf-8")
    same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    same_both_ways(ledger, "quarterly", "2023Q3", "2023-09-30")
    assert len(outputs(ledger)) == 3


def test_a_planted_kept_report_is_not_served(ledger):
    good = same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    for kept in outputs(ledger):
        kept.write_bytes(kept.read_bytes()[:-3] + b"xyz")
    assert report(ledger, "quarterly", "2023Q3", "2023-11-30")[1] == good


@pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git not installed")
def test_the_provenance_is_part_of_the_kept_report(ledger):
    before = same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    for args in (["init", "-q"], ["add", "hazards", "org", "anquan.yaml"], ["commit", "-qm", "one"]):
        git(ledger, *args)
    after = same_both_ways(ledger, "quarterly", "2023Q3", "2023-11-30")
    assert after != before and "git 提交" in after

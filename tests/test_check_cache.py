"""``anquan check`` keeps what each hazard file brings (``.anquan/cache/checks``): its answer
is always exactly the one of loading everything and running every check, and a change to the
file, to anything else in the workspace, or of the day is seen."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from conftest import run_cli, write_workspace
from helpers import environment
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hazards_cli import GB_HEADER, GB_ROWS, LEDGER
from test_index import hazard, ledger_files

DAYS = ["2023-03-05", "2023-06-30", "2023-11-30", "2024-06-30"]


def check(root: Path, day: str, *extra: str, ordinary: bool = False):
    with environment(ANQUAN_NO_CACHE="1" if ordinary else None, ANQUAN_TODAY=None):
        res = run_cli("check", "--data", str(root), "--today", day, *extra)
    return res.code, res.out, res.err


def same_both_ways(root: Path, day: str) -> None:
    for extra in ((), ("--format", "json"), ("--strict",)):
        expected = check(root, day, *extra, ordinary=True)
        assert check(root, day, *extra) == expected, (day, extra)  # filling the cache
        assert check(root, day, *extra) == expected, (day, extra)  # from it


@settings(max_examples=40)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=10).flatmap(
           lambda ns: st.tuples(*[hazard(n) for n in ns])),
       st.sampled_from(["yaml", "csv-gb18030"]),
       st.sampled_from(DAYS), st.data())
def test_random_ledgers_check_the_same_both_ways(hazards, form, day, data):
    hazards = list(hazards)
    half = len(hazards) // 2

    def files_of(parts):
        return ledger_files(form, parts)

    with tempfile.TemporaryDirectory() as tmp:
        root = write_workspace(Path(tmp) / "ws", files_of((hazards[:half], hazards[half:])))
        same_both_ways(root, day)
        # one file changed (a hazard more, maybe an id the other file has): only it is checked again
        extra = data.draw(hazard(0))
        for rel, content in files_of((hazards[:half] + [extra], [])).items():
            path = root / rel
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        same_both_ways(root, day)


@pytest.fixture
def ledger(workspace):
    return workspace({"hazards/2023/a.yaml": LEDGER, "hazards/2023/b.csv": (GB_HEADER + GB_ROWS).encode("gb18030")})


def entries(root: Path) -> list[Path]:
    return sorted((root / ".anquan/cache/checks").rglob("*.bin"))


def test_each_hazard_file_is_kept_and_reused(ledger):
    same_both_ways(ledger, "2023-11-30")
    kept = entries(ledger)
    assert len(kept) == 2
    same_both_ways(ledger, "2023-11-30")
    assert entries(ledger) == kept


def test_the_people_directory_changes_what_a_hazard_file_brings(ledger):
    code, out, _ = check(ledger, "2023-11-30")
    assert "person-unknown" not in out
    people = ledger / "org/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: 王芳", "name: 王芳芳"), encoding="utf-8")
    same_both_ways(ledger, "2023-11-30")
    assert "person-unknown" in check(ledger, "2023-11-30")[1]


def test_the_day_changes_what_a_hazard_file_brings(ledger):
    same_both_ways(ledger, "2023-11-30")
    same_both_ways(ledger, "2023-03-02")  # events and dates now in the future
    assert "in-future" in check(ledger, "2023-03-02")[1]


def test_a_duplicate_id_across_files_is_found_from_the_kept_keys(ledger):
    same_both_ways(ledger, "2023-11-30")
    (ledger / "hazards/2023/c.yaml").write_text(LEDGER, encoding="utf-8")  # every id again
    same_both_ways(ledger, "2023-11-30")
    assert "duplicate-id" in check(ledger, "2023-11-30")[1]


def test_a_planted_or_damaged_entry_is_not_used(ledger):
    expected = check(ledger, "2023-11-30", ordinary=True)
    check(ledger, "2023-11-30")
    for path in entries(ledger):
        path.write_bytes(b"\0" * 40)
    assert check(ledger, "2023-11-30") == expected


def test_a_rollup_is_checked_the_ordinary_way(tmp_path):
    write_workspace(tmp_path / "sq", {"anquan.yaml": "jurisdiction: 石桥镇\nlevel: 乡镇\n", "hazards/a.yaml": LEDGER})
    county = write_workspace(tmp_path / "county", {"anquan.yaml": "jurisdiction: 测试县\nlevel: 县\n"
                                                                  "include: [../sq]\n"})
    same_both_ways(county, "2023-11-30")
    assert not entries(county)


def test_entries_nobody_used_for_a_week_are_removed(ledger):
    check(ledger, "2023-11-30")
    old = entries(ledger)
    long_ago = 1_000_000_000
    for path in old:
        os.utime(path, (long_ago, long_ago))
    check(ledger, "2023-11-29")  # another day: new entries, the unused ones pruned
    assert not any(p.exists() for p in old) and len(entries(ledger)) == 2


def test_an_entry_in_use_is_kept(ledger):
    check(ledger, "2023-11-30")
    kept = entries(ledger)
    two_days_ago = time.time() - 2 * 86400
    for path in kept:
        os.utime(path, (two_days_ago, two_days_ago))
    check(ledger, "2023-11-30")  # used again: its time renewed
    assert all(p.stat().st_mtime > two_days_ago + 86400 for p in kept)


def test_record_cache_entries_of_old_contents_are_removed_after_a_month(ledger):
    """Every edit leaves the entry of the file's old content behind; a month unused, it goes,
    while the entries a load reads again are kept."""
    def kept():
        return {p for p in (ledger / ".anquan/cache").glob("??/*") if p.suffix in (".pickle", ".problems")}

    assert run_cli("hazards", "list", "-f", "json", "--data", str(ledger), "--today", "2023-11-30").code == 0
    before = kept()
    assert len(before) == 8  # units, people and the two ledger files, each with its problems beside it
    for path in before:
        os.utime(path, (1_000_000_000, 1_000_000_000))
    path = ledger / "hazards/2023/a.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # new content, a new entry
    assert run_cli("hazards", "list", "-f", "json", "--data", str(ledger), "--today", "2023-11-30").code == 0
    after = kept()
    gone = before - after
    assert len(gone) == 2 and {p.suffix for p in gone} == {".pickle", ".problems"}  # a.yaml's old content
    assert len(after) == 8

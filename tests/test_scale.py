"""The read path built for scale: the content-keyed record cache, parallel cold loads, and
roll-up of workspaces through ``include:``."""

from __future__ import annotations

import os

import helpers
import pytest
from conftest import DEMO, run_cli, write_workspace
from test_hazards_cli import GB_HEADER, GB_ROWS, LEDGER

from anquan_cli import workspace as W


def snapshot(ws):
    """Everything a command could see, as comparable values."""
    out = {}
    for attr in W.RECORD_LISTS:
        out[attr] = [(r.model_dump(mode="json"), r.src) for r in getattr(ws, attr)]
    return out


def load(root, **kw):
    ws, problems = W.load_workspace(root, **kw)
    return snapshot(ws), [p.as_json() for p in problems]


@pytest.fixture
def ledger(workspace):
    return workspace({"hazards/2023/a.yaml": LEDGER, "hazards/2023/b.csv": (GB_HEADER + GB_ROWS).encode("gb18030")})


def test_cache_gives_identical_results(ledger):
    cold = load(ledger, use_cache=False)
    first = load(ledger)            # builds the cache
    assert list((ledger / ".anquan/cache").rglob("*.pickle"))
    warm = load(ledger)             # served from it
    assert cold == first == warm


def test_demo_identical_with_and_without_cache(tmp_path):
    import shutil

    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    assert load(root, use_cache=False) == load(root) == load(root)


def test_edit_rename_and_delete_are_seen(ledger):
    load(ledger)
    path = ledger / "hazards/2023/a.yaml"
    path.write_text(LEDGER.replace("储罐区可燃气体报警器未定期检定", "报警器已改名"), encoding="utf-8")
    got, _ = load(ledger)
    assert got["hazards"][0][0]["title"] == "报警器已改名"
    path.rename(ledger / "hazards/2023/renamed.yaml")
    got, _ = load(ledger)
    assert {src.path for _, src in got["hazards"]} == {"hazards/2023/renamed.yaml", "hazards/2023/b.csv"}
    (ledger / "hazards/2023/b.csv").unlink()
    got, _ = load(ledger)
    assert [d["id"] for d, _ in got["hazards"]] == ["SQ-1", "SQ-2", "SQ-3"]


def test_problems_come_back_from_the_cache_at_the_new_path(ledger):
    bad = LEDGER.replace("found: 2023-03-01", "found: 2023-02-30")
    (ledger / "hazards/2023/a.yaml").write_text(bad, encoding="utf-8")
    _, cold = load(ledger, use_cache=False)
    _, warm1 = load(ledger)
    (ledger / "hazards/2023/a.yaml").rename(ledger / "hazards/2023/moved.yaml")
    _, warm2 = load(ledger)
    assert cold == warm1
    assert [(p["path"], p["line"], p["code"]) for p in warm2] == [("hazards/2023/moved.yaml", 9, "date-invalid")]


def test_git_checkout_is_seen_although_mtimes_lie(ledger):
    def git(*args):
        helpers.git(ledger, *args)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "v1")
    path = ledger / "hazards/2023/a.yaml"
    path.write_text(LEDGER.replace("owner: 李娜", "owner: 张伟"), encoding="utf-8")
    git("commit", "-qam", "v2")
    v2, _ = load(ledger)
    stat = path.stat()
    git("checkout", "-q", "HEAD~1", "--", "hazards/2023/a.yaml")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime, other content
    v1, _ = load(ledger)
    assert v1 != v2 and v1 == load(ledger, use_cache=False)[0]


def test_a_corrupted_cache_entry_is_ignored_and_rebuilt(ledger):
    expected = load(ledger, use_cache=False)
    load(ledger)
    entries = list((ledger / ".anquan/cache").rglob("*.pickle"))
    for i, entry in enumerate(entries):
        entry.write_bytes(b"\x80\x05garbage" if i % 2 else entry.read_bytes()[:40])
    assert load(ledger) == expected
    assert load(ledger) == expected  # rebuilt entries are good again


def test_a_planted_pickle_cannot_run_code(ledger, tmp_path):
    import pickle

    from anquan_cli.cache import RecordCache

    load(ledger)
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for entry in (ledger / ".anquan/cache").rglob("*.pickle"):
        entry.write_bytes(pickle.dumps(Evil()))
    assert load(ledger) == load(ledger, use_cache=False)
    assert not marker.exists()
    assert RecordCache(tmp_path).get("x", "hazards", W.Hazard) is None


def test_no_cache_option(ledger):
    res = run_cli("--no-cache", "check", "--data", str(ledger), "--today", "2023-03-20")
    assert res.code == 0 and not (ledger / ".anquan").exists()
    os.environ.pop("ANQUAN_NO_CACHE", None)


def test_parallel_cold_load_is_identical(ledger, monkeypatch):
    for i in range(6):
        (ledger / f"hazards/2022/t{i}.yaml").parent.mkdir(parents=True, exist_ok=True)
        (ledger / f"hazards/2022/t{i}.yaml").write_text(LEDGER.replace("SQ-", f"T{i}-"), encoding="utf-8")
    serial = load(ledger, use_cache=False)
    monkeypatch.setattr(W, "PARALLEL_BYTES", 0)
    assert load(ledger, use_cache=False) == serial


# ---------------------------------------------------------------- roll-up


def township(root, name, code, hazards):
    write_workspace(root, {"anquan.yaml": f"jurisdiction: {name}\nlevel: 乡镇\n",
                           "hazards/2023/h.yaml": hazards})


H = """\
- {{id: {id}, title: {title}, unit: 宏达化工有限公司, level: 一般, found: 2023-03-01, deadline: 2023-03-10, owner: 王芳}}
"""


def test_county_rolls_up_townships(tmp_path, monkeypatch):
    county = write_workspace(tmp_path / "county", {
        "anquan.yaml": "jurisdiction: 测试县\nlevel: 县\ninclude: [../towns/石桥镇, ../towns/城关镇]\n",
        "hazards/2023/county.yaml": H.format(id="X-1", title="县级检查发现"),
    })
    township(tmp_path / "towns/石桥镇", "石桥镇", "SQ", H.format(id="X-1", title="石桥镇的隐患"))
    township(tmp_path / "towns/城关镇", "城关镇", "CG", H.format(id="CG-1", title="城关镇的隐患") +
             H.format(id="CG-1", title="重复"))
    monkeypatch.setenv("ANQUAN_TODAY", "2023-03-20")
    got = run_cli("hazards", "overdue", "--data", str(county), "-f", "json").json()
    assert sorted((r["workspace"], r["id"], r["file"]) for r in got) == [
        ("", "X-1", "hazards/2023/county.yaml"),
        ("城关镇", "CG-1", "../towns/城关镇/hazards/2023/h.yaml"),
        ("城关镇", "CG-1", "../towns/城关镇/hazards/2023/h.yaml"),
        ("石桥镇", "X-1", "../towns/石桥镇/hazards/2023/h.yaml"),
    ]
    problems = run_cli("check", "--data", str(county), "-f", "json").json()
    # the same id in two workspaces is fine; twice in one workspace is not
    assert [(p["code"], p["path"], p["line"]) for p in problems if p["severity"] == "error"] == [
        ("duplicate-id", "../towns/城关镇/hazards/2023/h.yaml", 2)]
    res = run_cli("hazards", "show", "X-1", "--data", str(county))
    assert res.code == 2 and "石桥镇:X-1" in res.err
    shown = run_cli("hazards", "show", "石桥镇:X-1", "--data", str(county), "-f", "json").json()
    assert shown["title"] == "石桥镇的隐患"
    md = run_cli("report", "quarterly", "--period", "2023Q1", "--data", str(county)).out
    assert "| 排查发现隐患 | 4 |" in md


def test_include_errors(tmp_path):
    a = write_workspace(tmp_path / "a", {"anquan.yaml": "jurisdiction: 甲\nlevel: 县\ninclude: [../b, ../missing]\n"})
    write_workspace(tmp_path / "b", {"anquan.yaml": "jurisdiction: 乙\nlevel: 乡镇\ninclude: [../a]\n"})
    codes = {p["code"] for p in run_cli("check", "--data", str(a), "-f", "json").json()}
    assert {"include-cycle", "include-missing"} <= codes

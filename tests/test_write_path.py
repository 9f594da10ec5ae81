"""The one write path (issue 12): concurrent and killed edits, validation before every write,
failing closed on workspaces that cannot be read, and the file shapes edits refuse."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import run_cli, write_workspace

TODAY = "2023-03-20"


def _yaml_ledger(prefix: str, n: int) -> str:
    out = ["# 石桥镇 2023 年隐患台账", "hazards:"]
    for i in range(1, n + 1):
        out += [f"  - id: {prefix}-{i:02d}", f"    title: 第{i}号隐患", "    unit: 宏达化工有限公司",
                "    level: 一般", "    found: 2023-03-01", "    deadline: 2023-03-31", "    owner: 王芳", ""]
    return "\n".join(out)


CSV_HEADER = "隐患编号,隐患名称,单位名称,乡镇,行业领域,隐患等级,发现日期,整改期限,责任人\r\n"


def _csv_ledger(prefix: str, n: int) -> bytes:
    rows = "".join(f"{prefix}-{i:02d},第{i}号隐患,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,王芳\r\n"
                   for i in range(1, n + 1))
    return (CSV_HEADER + rows).encode("gb18030")


def _anquan(root, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANQUAN_")}
    env["ANQUAN_LOCK_TIMEOUT"] = "60"
    return subprocess.Popen([sys.executable, "-m", "anquan_cli", *args, "--data", str(root), "--today", TODAY],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def _history(root, hazard_id: str):
    from anquan_cli.workspace import load_workspace

    ws, problems = load_workspace(root, use_cache=False)
    assert not [p for p in problems if p.severity.value == "error"], problems
    (h,) = [h for h in ws.hazards if h.id == hazard_id]
    return h


# ---------------------------------------------------------------- concurrency


@pytest.mark.parametrize("scenario", ["yaml-different", "gb18030-different", "yaml-same"])
def test_twenty_pairs_of_concurrent_edits_lose_nothing(tmp_path, scenario):
    files = {"hazards/2023/a.yaml": _yaml_ledger("W", 40), "hazards/2023/b.csv": _csv_ledger("C", 40),
             "hazards/2023/s.yaml": _yaml_ledger("S", 1)}
    root = write_workspace(tmp_path / "ws", files)
    succeeded: list[tuple[str, str]] = []
    for i in range(20):
        if scenario == "yaml-same":
            jobs = [("S-01", f"m{i}-{side}") for side in "ab"]
            procs = [_anquan(root, "hazards", "set", hid, "measures", token, "--reason", "调整", "--by", "王芳")
                     for hid, token in jobs]
        else:
            prefix = "W" if scenario == "yaml-different" else "C"
            jobs = [(f"{prefix}-{2 * i + k:02d}", f"note{2 * i + k}") for k in (1, 2)]
            procs = [_anquan(root, "hazards", "rectify", hid, "--note", token, "--by", "王芳") for hid, token in jobs]
        for (hid, token), proc in zip(jobs, procs):
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
            succeeded.append((hid, token))
    assert len(succeeded) == 40
    for hid, token in succeeded:
        h = _history(root, hid)
        if scenario == "yaml-same":
            assert any(e.value == token for e in h.history), (hid, token)
        else:
            assert [e.note for e in h.history] == [token], (hid, token)
    assert run_cli("check", "--data", str(root), "--today", TODAY).code == 0


def test_a_second_edit_waits_then_names_who_holds_the_workspace(tmp_path, monkeypatch):
    from anquan_cli.edit.lock import WorkspaceLock

    root = write_workspace(tmp_path / "ws", {"hazards/a.yaml": _yaml_ledger("W", 2)})
    before = (root / "hazards/a.yaml").read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from anquan_cli.edit.lock import WorkspaceLock
        with WorkspaceLock(Path({str(root)!r})):
            print("locked", flush=True)
            time.sleep(30)
        """)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"locked"
        monkeypatch.setenv("ANQUAN_LOCK_TIMEOUT", "0.5")
        started = time.monotonic()
        res = run_cli("hazards", "rectify", "W-01", "--by", "王芳", "--data", str(root), "--today", TODAY)
        assert time.monotonic() - started >= 0.5
        assert res.code == 2
        assert "正在被另一个 anquan 修改" in res.err and f"进程 {holder.pid}" in res.err
        assert "没有写入任何文件" in res.err
        assert (root / "hazards/a.yaml").read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    # the lock goes with its holder, however it ended
    with WorkspaceLock(root, timeout=1):
        pass


def test_killed_edits_leave_every_file_old_or_new(tmp_path):
    rng = random.Random(20261201)
    root = write_workspace(tmp_path / "ws", {"hazards/2023/a.yaml": _yaml_ledger("W", 600),
                                             "hazards/2023/b.csv": _csv_ledger("C", 600)})
    from anquan_cli.workspace import load_workspace

    run_cli("check", "--data", str(root), "--today", TODAY)  # warm the cache: kills land later in the edit
    for i in range(1, 13):
        rel, hid = ("hazards/2023/a.yaml", f"W-{i:02d}") if i % 2 else ("hazards/2023/b.csv", f"C-{i:02d}")
        path = root / rel
        old = path.read_bytes()
        proc = _anquan(root, "hazards", "rectify", hid, "--note", f"k{i}", "--by", "王芳")
        time.sleep(rng.uniform(0.05, 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        new = path.read_bytes()
        ws, problems = load_workspace(root, use_cache=False)
        assert not [p for p in problems if p.severity.value == "error"]
        assert len(ws.hazards) == 1200
        if new != old:  # the new version: the one record changed, nothing else
            (h,) = [h for h in ws.hazards if h.id == hid]
            assert [e.note for e in h.history] == [f"k{i}"]
    # a later edit clears any temporary file a killed one left, and works
    assert run_cli("hazards", "rectify", "W-50", "--by", "王芳", "--data", str(root),
                   "--today", TODAY).code == 0
    leftovers = [p.name for p in (root / "hazards/2023").iterdir() if p.name.startswith(".a.yaml.anquan-")]
    assert leftovers == []


# ---------------------------------------------------------------- validate before write


LEDGER = """\
hazards:
  - id: SQ-1
    title: 储罐区可燃气体报警器未定期检定
    unit: 宏达化工有限公司
    level: 一般
    found: 2023-03-01
    deadline: 2023-03-10
    owner: 王芳
    history:
      - {date: 2023-03-01, event: 登记, by: 王芳}
      - {date: 2023-03-08, event: 整改完成, by: 王芳}
      - {date: 2023-03-09, event: 验收签字, party: 企业, by: 王芳}
      - {date: 2023-03-10, event: 验收签字, party: 部门, by: 李娜}
      - {date: 2023-03-12, event: 验收签字, party: 乡镇, by: 陈静}

  - id: SQ-2
    title: 排土场未设置截排水设施
    unit: 石桥石料厂
    level: 一般
    found: 2023-03-04
    deadline: 2023-03-25
    owner: 李娜
"""


@pytest.fixture
def ws(workspace, monkeypatch):
    root = workspace({"hazards/2023/a.yaml": LEDGER})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    return root


def _unchanged(root, res, code: int = 1):
    assert res.code == code, (res.code, res.err)
    assert (root / "hazards/2023/a.yaml").read_text(encoding="utf-8") == LEDGER


def test_back_dated_close_is_refused(ws):
    res = run_cli("hazards", "close", "SQ-1", "--date", "2023-03-11", "--by", "张伟")
    assert "早于最后一方验收签字的日期 2023-03-12" in res.err
    _unchanged(ws, res)
    assert run_cli("hazards", "close", "SQ-1", "--date", "2023-03-12", "--by", "张伟").code == 0


def test_future_rectify_is_refused(ws):
    res = run_cli("hazards", "rectify", "SQ-2", "--date", "2023-03-21", "--by", "李娜")
    assert "晚于今天 2023-03-20" in res.err
    _unchanged(ws, res)
    assert run_cli("hazards", "rectify", "SQ-2", "--date", "2023-03-20", "--by", "李娜").code == 0


def test_repeated_rectify_needs_a_reason_and_stays_in_order(ws):
    assert run_cli("hazards", "rectify", "SQ-2", "--date", "2023-03-15", "--by", "李娜").code == 0
    before = (ws / "hazards/2023/a.yaml").read_text(encoding="utf-8")
    res = run_cli("hazards", "rectify", "SQ-2", "--date", "2023-03-16", "--by", "李娜")
    assert res.code == 1 and "--reason" in res.err
    res = run_cli("hazards", "rectify", "SQ-2", "--date", "2023-03-14", "--by", "李娜", "--reason", "复查不合格")
    assert res.code == 1 and "早于上次整改完成日期" in res.err
    assert (ws / "hazards/2023/a.yaml").read_text(encoding="utf-8") == before
    assert run_cli("hazards", "rectify", "SQ-2", "--date", "2023-03-18", "--by", "李娜", "--reason", "复查不合格").code == 0
    h = _history(ws, "SQ-2")
    assert [(e.date.day, e.reason) for e in h.history] == [(15, None), (18, "复查不合格")]


def test_a_late_recorded_event_goes_in_date_order(ws):
    assert run_cli("hazards", "rectify", "SQ-2", "--date", "2023-03-15", "--by", "李娜").code == 0
    assert run_cli("hazards", "verify", "SQ-2", "--party", "部门", "--by", "李娜", "--date", "2023-03-18").code == 0
    assert run_cli("hazards", "verify", "SQ-2", "--party", "乡镇", "--by", "陈静", "--date", "2023-03-16").code == 0
    assert [e.date.day for e in _history(ws, "SQ-2").history] == [15, 16, 18]
    assert run_cli("check", "--format", "json").json() == []


def test_unknown_signer_is_refused(ws):
    assert run_cli("hazards", "rectify", "SQ-2", "--by", "李娜").code == 0
    before = (ws / "hazards/2023/a.yaml").read_bytes()
    res = run_cli("hazards", "verify", "SQ-2", "--party", "企业", "--by", "王方")
    assert res.code == 1 and "[person-unknown]" in res.err and "是不是“王芳”？" in res.err
    assert (ws / "hazards/2023/a.yaml").read_bytes() == before


@pytest.mark.parametrize("args, code", [
    (["--level", "一般", "--found", "2023-03-12", "--deadline", "2023-03-10"], "deadline-before-found"),
    (["--level", "一般", "--found", "2023-03-25", "--deadline", "2023-03-30"], "found-in-future"),
    (["--level", "重大", "--found", "2023-03-12", "--deadline", "2023-03-30"], "five-elements-missing"),
    (["--level", "一般", "--found", "2023-03-12", "--deadline", "2023-03-30", "--owner", "王方"], "person-unknown"),
])
def test_invalid_add_is_refused(ws, args, code):
    base = ["hazards", "add", "--title", "配电箱未接地", "--unit", "宏达化工有限公司", "--owner", "王芳", "--by", "王芳"]
    res = run_cli(*base, *args)
    assert f"[{code}]" in res.err and "没有写入任何文件" in res.err
    _unchanged(ws, res)


def test_major_add_with_five_elements_is_written(ws):
    res = run_cli("hazards", "add", "--title", "甲类仓库防火间距不足", "--unit", "宏达化工有限公司", "--level", "重大",
                  "--found", "2023-03-12", "--deadline", "2023-06-30", "--owner", "王芳", "--measures", "迁建",
                  "--funds", "85万元", "--plan", "《专项应急预案》", "--supervisor", "县应急管理局", "--by", "王芳")
    assert res.code == 1 and "[listing-missing]" in res.err and "没有写入任何文件" in res.err  # no tracker
    res = run_cli("hazards", "add", "--title", "甲类仓库防火间距不足", "--unit", "宏达化工有限公司", "--level", "重大",
                  "--found", "2023-03-12", "--deadline", "2023-06-30", "--owner", "王芳", "--measures", "迁建",
                  "--funds", "85万元", "--plan", "《专项应急预案》", "--supervisor", "县应急管理局", "--tracker", "P2",
                  "--listed-on", "2023-03-13", "--by", "王芳")
    assert res.code == 0, res.err
    assert run_cli("check", "--format", "json").json() == []
    (added,) = [h for h in run_cli("hazards", "list", "--level", "重大", "-f", "json").json()]
    shown = run_cli("hazards", "show", added["id"], "-f", "json").json()["record"]["listing"]
    assert (shown["by"], shown["date"], shown["tracker"]) == ("县应急管理局", "2023-03-13", "李娜")  # the name, not P2


@pytest.mark.parametrize("file", ["org/people.yaml", "tasks/2023.csv", "../../x.yaml", "/tmp/x.yaml",
                                  "hazards/.old/x.yaml", "hazards/x.txt", "hazards"])
def test_add_file_outside_the_hazard_ledger_is_refused(ws, file):
    res = run_cli("hazards", "add", "--title", "t", "--unit", "宏达化工有限公司", "--level", "一般",
                  "--deadline", "2023-03-30", "--owner", "王芳", "--by", "王芳", "--file", file)
    assert res.code == 2 and "--file" in res.err
    assert (ws / "org/people.yaml").read_text(encoding="utf-8").count("- id:") == 4
    assert not (ws.parent.parent / "x.yaml").exists()


def test_set_fills_the_five_elements_after_escalation(ws):
    assert run_cli("hazards", "escalate", "--apply", "--by", "张伟").code == 0  # SQ-2: 16 days
    problems = run_cli("check", "--format", "json").json()
    assert [p["code"] for p in problems] == ["five-elements-pending", "listing-pending"]
    assert run_cli("hazards", "listing", "SQ-2", "--tracker", "李娜", "--by", "张伟").code == 0
    res = run_cli("hazards", "close", "SQ-2", "--by", "张伟")
    assert res.code == 1
    for field, value in (("measures", "修筑截排水沟"), ("资金", "3万元"), ("plan", "《边坡坍塌现场处置方案》")):
        assert run_cli("hazards", "set", "SQ-2", field, value).code == 0
    assert run_cli("check", "--format", "json").json() == []
    h = _history(ws, "SQ-2")
    assert [(e.event.value, e.field) for e in h.history][-4:] == [
        ("supervised", None), ("changed", "measures"), ("changed", "funds"), ("changed", "plan")]


def test_set_owner_and_deadline_keep_their_meaning_and_their_past(ws):
    assert run_cli("hazards", "set", "SQ-2", "owner", "王芳").code == 1  # changing a value needs a reason
    assert run_cli("hazards", "set", "SQ-2", "owner", "王芳", "--reason", "人员调整", "--date", "2023-03-10").code == 0
    assert run_cli("hazards", "set", "SQ-2", "deadline", "2023-04-10", "--reason", "雨季").code == 0
    assert run_cli("hazards", "set", "SQ-2", "level", "重大").code == 2
    h = _history(ws, "SQ-2")
    assert [(e.event.value, e.previous) for e in h.history] == [
        ("reassigned", "李娜"), ("extended", dt.date(2023, 3, 25))]
    past = run_cli("hazards", "show", "SQ-2", "-f", "json", "--today", "2023-03-09").json()
    assert past["owner"] == "李娜" and past["deadline"] == "2023-03-25"
    now = run_cli("hazards", "show", "SQ-2", "-f", "json").json()
    assert now["owner"] == "王芳" and now["deadline"] == "2023-04-10" and now["extensions"] == 1


def test_an_edit_that_creates_a_duplicate_id_elsewhere_is_refused(workspace, monkeypatch):
    other = LEDGER.replace("SQ-1", "X-1").replace("SQ-2", "SQ-9")
    root = workspace({"hazards/2023/a.yaml": LEDGER, "hazards/2023/b.yaml": other})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    from anquan_cli.edit.hazards import apply_change
    from anquan_cli.edit.session import EditSession
    from anquan_cli.problems import EditRefused
    from anquan_cli.rules.hazards import Change

    with EditSession(root, dt.date(2023, 3, 20)) as s:
        (h,) = [h for h in s.ws.hazards if h.id == "SQ-9"]
        apply_change(s, h, Change(updates={"id": "SQ-2"}))
        with pytest.raises(EditRefused) as refused:
            s.commit()
    assert [p.code for p in refused.value.problems] == ["duplicate-id"]
    assert (root / "hazards/2023/b.yaml").read_text(encoding="utf-8") == other


# ---------------------------------------------------------------- failing closed


@pytest.mark.parametrize("config", ["jurisdiction: 测试县\nlevel: [县\n", "", "jurisdiction: 测试县\nlevel: 大队\n"])
def test_a_broken_anquan_yaml_stops_every_command(ws, config):
    (ws / "anquan.yaml").write_text(config, encoding="utf-8")
    res = run_cli("hazards", "escalate", "--apply", "--by", "张伟")
    assert "anquan.yaml" in res.err and "没有按默认值运行" in res.err
    _unchanged(ws, res, code=2)
    for args in (["hazards", "overdue"], ["hazards", "list", "-f", "json"], ["report", "quarterly", "--period", "2023Q1"]):
        res = run_cli(*args)
        assert res.code == 2 and "anquan.yaml" in res.err and res.out == ""
    res = run_cli("check")
    assert res.code == 2 and "anquan.yaml" in res.out


def test_hazards_being_a_file_is_not_an_empty_ledger(ws):
    import shutil

    shutil.rmtree(ws / "hazards")
    (ws / "hazards").write_text("oops", encoding="utf-8")
    res = run_cli("hazards", "overdue")
    assert res.code == 2 and "hazards 应是文件夹" in res.err and "没有逾期隐患" not in res.out
    res = run_cli("check")
    assert res.code == 2 and "[not-a-folder]" in res.out


def test_an_unreadable_hazards_folder_stops_queries(ws, monkeypatch):
    folder = ws / "hazards" / "2023"
    if os.geteuid() != 0:
        folder.chmod(0)
    else:  # root reads anything: make the listing fail as it does for a clerk without permission
        real_scandir = os.scandir

        def scandir(path="."):
            if os.fspath(path) == os.fspath(folder):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        res = run_cli("hazards", "overdue", "--exit-code")
        assert res.code == 2 and "hazards/2023" in res.err and res.out == ""
        res = run_cli("check")
        assert res.code == 2 and "[file-unreadable]" in res.out
        res = run_cli("hazards", "rectify", "SQ-2", "--by", "李娜")
        assert res.code == 2
    finally:
        folder.chmod(0o755)


def test_a_record_file_with_a_syntax_error_stops_queries_but_check_reports_it(ws):
    (ws / "hazards/2023/b.yaml").write_text("hazards:\n  - id: X\n   title: bad indent\n", encoding="utf-8")
    res = run_cli("hazards", "overdue")
    assert res.code == 2 and "hazards/2023/b.yaml:3" in res.err
    res = run_cli("check")
    assert res.code == 1 and "[yaml-syntax]" in res.out


def test_links_dangling_or_out_of_the_workspace_are_not_read(ws, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("hazards: []\n", encoding="utf-8")
    link = ws / "hazards/2023/x.yaml"
    os.symlink(outside, link)
    res = run_cli("check")
    assert res.code == 2 and "链接指向工作区之外" in res.out
    link.unlink()
    os.symlink(ws / "hazards/2023/none.yaml", link)
    res = run_cli("hazards", "list")
    assert res.code == 2 and "链接指向的文件不存在" in res.err


# ---------------------------------------------------------------- file shapes


def test_an_edit_through_a_link_changes_the_target_and_keeps_the_link(workspace, monkeypatch, tmp_path):
    root = workspace({"ledgers/a.yaml": LEDGER})
    (root / "hazards").mkdir()
    os.symlink("../ledgers/a.yaml", root / "hazards/a.yaml")
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    assert run_cli("hazards", "rectify", "SQ-2", "--by", "李娜").code == 0
    assert (root / "hazards/a.yaml").is_symlink()
    assert "event: 整改完成" in (root / "ledgers/a.yaml").read_text(encoding="utf-8").split("SQ-2")[1]


def test_a_read_only_ledger_is_refused(ws):
    path = ws / "hazards/2023/a.yaml"
    path.chmod(0o444)
    try:
        res = run_cli("hazards", "rectify", "SQ-2", "--by", "李娜")
        assert res.code == 2 and "只读" in res.err
        assert path.read_text(encoding="utf-8") == LEDGER
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("text, words", [
    ("hazards: [{id: SQ-2, title: t, unit: 石桥石料厂, level: 一般, found: 2023-03-04, deadline: 2023-03-25, owner: 李娜}]\n",
     "写成了一行的 [ … ]"),
    ("hazards:\n  - {id: SQ-2, title: t, unit: 石桥石料厂, level: 一般, found: 2023-03-04, deadline: 2023-03-25, owner: 李娜}\n",
     "写成了一行的 {"),
    ("hazards:\n  - id: SQ-2\n    title: &t 排土场\n    unit: 石桥石料厂\n    level: 一般\n    found: 2023-03-04\n"
     "    deadline: 2023-03-25\n    owner: 李娜\n    description: *t\n", "锚点"),
])
def test_flow_style_and_anchors_are_refused_with_a_hint(workspace, monkeypatch, text, words):
    root = workspace({"hazards/a.yaml": text})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    res = run_cli("hazards", "rectify", "SQ-2", "--by", "李娜")
    assert res.code == 2 and words in res.err and "内部错误" not in res.err
    assert (root / "hazards/a.yaml").read_text(encoding="utf-8") == text


def test_a_full_disk_names_the_ledger_and_leaves_no_temporary_file(ws, monkeypatch):
    import errno

    real = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    res = run_cli("hazards", "rectify", "SQ-2", "--by", "李娜")
    monkeypatch.setattr(os, "fsync", real)
    assert res.code == 2 and "hazards/2023/a.yaml" in res.err and ".tmp" not in res.err
    assert sorted(p.name for p in (ws / "hazards/2023").iterdir()) == ["a.yaml"]
    assert (ws / "hazards/2023/a.yaml").read_text(encoding="utf-8") == LEDGER


SEPARATORS = ["\u2028", "\u2029", "\x85", "\x0c", "\x0b"]


@pytest.mark.parametrize("sep", SEPARATORS)
def test_a_line_separator_in_a_cell_never_moves_an_edit_onto_a_neighbour(workspace, monkeypatch, sep):
    text = (CSV_HEADER + f"C-1,储罐{sep}报警器,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,王芳\r\n"
            "C-2,边坡过陡,石桥石料厂,石桥镇,非煤矿山,一般,2023/3/5,2023/3/25,李娜\r\n"
            f'C-3,"引号""里""{sep}",宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/6,2023/3/30,王芳\r\n')
    root = workspace({"hazards/a.csv": text.encode("gb18030")})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    assert run_cli("check", "--format", "json").json() == []
    assert run_cli("hazards", "rectify", "C-2", "--by", "李娜").code == 0
    assert run_cli("hazards", "rectify", "C-3", "--by", "王芳").code == 0
    after = (root / "hazards/a.csv").read_bytes().decode("gb18030")
    lines = after.split("\r\n")
    assert lines[1] == text.split("\r\n")[1]  # the row holding the separator: byte for byte
    assert lines[2].endswith(",2023-03-20 整改完成 人=李娜")
    assert lines[3].startswith('C-3,"引号""里""') and lines[3].endswith(",2023-03-20 整改完成 人=王芳")
    assert run_cli("check", "--format", "json").json() == []
    assert {h["id"] for h in run_cli("hazards", "list", "-f", "json").json()} == {"C-1", "C-2", "C-3"}


@pytest.mark.parametrize("sep", SEPARATORS[:3])
def test_a_line_separator_in_a_yaml_value_keeps_lines_and_edits_in_place(workspace, monkeypatch, sep):
    text = LEDGER.replace("排土场未设置截排水设施", f'"排土场{sep}未设置"')
    root = workspace({"hazards/a.yaml": text})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    assert run_cli("hazards", "rectify", "SQ-2", "--by", "李娜").code == 0
    after = (root / "hazards/a.yaml").read_text(encoding="utf-8")
    assert after.startswith(text.rstrip("\n"))
    assert after.endswith("    history:\n      - {date: 2023-03-20, event: 整改完成, by: 李娜}\n")
    res = run_cli("hazards", "show", "SQ-2", "-f", "json").json()
    assert res["line"] == 16  # lines as the editor counts them


def test_cr_only_csv_stays_cr_only_and_other_cells_keep_their_quotes(workspace, monkeypatch):
    text = (CSV_HEADER.replace("\r\n", "\r") + '"C-1","储罐",宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,"王芳"\r')
    root = workspace({"hazards/a.csv": text.encode("utf-8")})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    assert run_cli("hazards", "extend", "C-1", "--deadline", "2023-04-15", "--reason", "设备 未到", "--by", "王芳").code == 0
    after = (root / "hazards/a.csv").read_bytes().decode("utf-8")
    assert "\n" not in after
    assert after.split("\r")[1] == ('"C-1","储罐",宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/4/15,"王芳",'
                                    "2023-03-20 延期 期限=2023-04-15 原期限=2023-03-31 原因=「设备 未到」 人=王芳")


def test_merge_keeps_a_row_with_a_line_separator(tmp_path):
    from anquan_cli.edit.merge import merge_ledger

    base = (CSV_HEADER + "C-1,储罐\u2028报警器,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,王芳\r\n"
            "C-2,边坡,石桥石料厂,石桥镇,非煤矿山,一般,2023/3/5,2023/3/25,李娜\r\n")
    ours = base.replace("2023/3/25,李娜", "2023/3/25,王芳")
    theirs = base + "C-3,仓库,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/6,2023/3/30,王芳\r\n"
    result = merge_ledger(*(t.encode("gb18030") for t in (base, ours, theirs)), "hazards/a.csv")
    assert result.conflicts == []
    lines = result.data().decode("gb18030").split("\r\n")
    assert lines[1] == base.split("\r\n")[1] and lines[2].endswith("2023/3/25,王芳") and lines[3].startswith("C-3,")


# ---------------------------------------------------------------- random edit sequences


SEQ_LEDGER = LEDGER + """
  - id: SQ-3
    title: 仓库超量储存
    unit: 宏达化工有限公司
    level: 一般
    found: 2023-03-06
    deadline: 2023-03-30
    owner: 王芳
    history:
      - {date: 2023-03-10, event: 整改完成, by: 王芳}
"""


SEQ_CSV = ("隐患编号,隐患名称,单位名称,隐患等级,发现日期,整改期限,责任人,处理记录\r\n"
           "SQ-1,储罐区可燃气体报警器未定期检定,宏达化工有限公司,一般,2023/3/1,2023/3/10,王芳,"
           "2023-03-01 登记 人=王芳；2023-03-08 整改完成 人=王芳；2023-03-09 验收签字 方=企业 人=王芳；"
           "2023-03-10 验收签字 方=部门 人=李娜；2023-03-12 验收签字 方=乡镇 人=陈静\r\n"
           '"SQ-2","排土场未设置截排水设施",石桥石料厂,一般,2023/3/4,2023/3/25,李娜,\r\n'
           "SQ-3,仓库超量储存,宏达化工有限公司,一般,2023/3/6,2023/3/30,王芳,2023-03-10 整改完成 人=王芳\r\n"
           ).encode("gb18030")


def _edit_sequences():
    from hypothesis import strategies as st

    ids = st.sampled_from(["SQ-1", "SQ-2", "SQ-3", "SQ-3", "NEW"])
    def days(low, high):
        return st.integers(min_value=low, max_value=high).map(
            lambda d: (dt.date(2023, 3, 20) + dt.timedelta(days=d)).isoformat())

    day = st.one_of(days(-12, 0), days(-22, 3))  # mostly plausible dates, some before found or in the future
    past = days(-22, 0)
    person = st.one_of(st.sampled_from(["王芳", "李娜", "张伟"]), st.just("王方"))
    verify = st.tuples(st.just("verify"), ids, day, st.sampled_from(["企业", "部门", "乡镇"]), person)
    op = st.one_of(
        st.tuples(st.just("rectify"), ids, day, st.sampled_from([None, "复查不合格"])),
        verify, verify, verify,
        st.tuples(st.just("close"), ids, day),
        st.tuples(st.just("extend"), ids, day, day),
        st.tuples(st.just("set"), ids, st.sampled_from(["measures", "funds", "owner", "deadline", "title"]),
                  st.sampled_from(["措施 一", "3万元", "王芳", "李娜", "2023-04-01", "2023-03-02"]),
                  st.sampled_from([None, "调整"])),
        st.tuples(st.just("add"), day, day, st.sampled_from(["一般", "重大"]), person),
        st.tuples(st.just("escalate"), past),
    )
    return st.lists(op, min_size=1, max_size=12)


def _argv(op, added: list[str]) -> list[str]:
    kind = op[0]
    target = (added[-1] if added else "SQ-1") if len(op) > 1 and op[1] == "NEW" else (op[1] if len(op) > 1 else "")
    if kind == "rectify":
        return ["hazards", "rectify", target, "--date", op[2], "--by", "李娜"] + (["--reason", op[3]] if op[3] else [])
    if kind == "verify":
        return ["hazards", "verify", target, "--date", op[2], "--party", op[3], "--by", op[4]]
    if kind == "close":
        return ["hazards", "close", target, "--date", op[2], "--by", "张伟"]
    if kind == "extend":
        return ["hazards", "extend", target, "--date", op[2], "--deadline", op[3], "--reason", "雨季", "--by", "李娜"]
    if kind == "set":
        return ["hazards", "set", target, op[2], op[3], "--by", "李娜"] + (["--reason", op[4]] if op[4] else [])
    if kind == "add":
        return ["hazards", "add", "--title", "新隐患", "--unit", "宏达化工有限公司", "--found", op[1], "--deadline", op[2],
                "--level", op[3], "--owner", op[4], "--by", "王芳"]
    return ["hazards", "escalate", "--apply", "--today", op[1], "--by", "张伟"]


@pytest.mark.parametrize("ledger", ["yaml", "gb18030-csv"])
def test_random_edit_sequences_never_bring_an_error_check_reports(tmp_path_factory, ledger):
    from hypothesis import given, settings

    files = {"hazards/2023/a.yaml": SEQ_LEDGER} if ledger == "yaml" else {"hazards/2023/a.csv": SEQ_CSV}
    start = write_workspace(tmp_path_factory.mktemp("seq") / "ws", files)
    assert run_cli("check", "--format", "json", "--today", TODAY, "--data", str(start)).json() == []

    @settings(max_examples=50)
    @given(_edit_sequences())
    def run(ops):
        root = write_workspace(tmp_path_factory.mktemp("seq") / "ws", files)
        common = ["--data", str(root)]
        added: list[str] = []
        for op in ops:
            before = {p: p.read_bytes() for p in (root / "hazards").rglob("*") if p.is_file()}
            argv = _argv(op, added)
            if "--today" not in argv:
                argv += ["--today", TODAY]
            res = run_cli(*argv, *common)
            after = {p: p.read_bytes() for p in (root / "hazards").rglob("*") if p.is_file()}
            if res.code != 0:
                assert res.code in (1, 2) and "内部错误" not in res.err, res.err
                assert after == before, argv  # a refused edit writes nothing
                continue
            if op[0] == "add":
                added.append(res.out.split("：")[1].split("（")[0])
            problems = run_cli("check", "--format", "json", "--today", TODAY, *common).json()
            assert [p for p in problems if p["severity"] == "error"] == [], (argv, problems)

    run()


# ---------------------------------------------------------------- shapes found by probing (review of issue 12)


def _one(workspace, monkeypatch, rel, content):
    root = workspace({rel: content})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    return root, root / rel


HISTORY_FIRST = """\
hazards:
  - id: T-001
    title: 甲
    unit: 宏达化工有限公司
    level: 一般
    found: 2023-03-01
    deadline: 2023-03-30
    owner: 王芳
  - history:
      - {date: 2023-03-01, event: 登记, by: 王芳}
    id: T-002
    title: 乙
    unit: 宏达化工有限公司
    level: 一般
    found: 2023-03-01
    deadline: 2023-03-30
    owner: 王芳
"""


def test_a_new_field_of_a_record_that_starts_with_history_stays_in_that_record(workspace, monkeypatch):
    root, path = _one(workspace, monkeypatch, "hazards/a.yaml", HISTORY_FIRST)
    assert run_cli("hazards", "set", "T-002", "funds", "5万元", "--by", "王芳").code == 0
    t1, t2 = _history(root, "T-001"), _history(root, "T-002")
    assert t1.funds is None and t2.funds == "5万元"
    assert path.read_text(encoding="utf-8").endswith("    owner: 王芳\n    funds: 5万元\n")


@pytest.mark.parametrize("text, refused", [
    (LEDGER.replace("    history:\n      - {date: 2023-03-01", "    处理记录:\n      - {date: 2023-03-01"), False),
    (LEDGER.replace("    owner: 李娜\n", "    owner: 李娜\n    funds: 1万元\n    funds: 2万元\n"), True),
])
def test_keys_are_found_the_way_the_loader_reads_them(workspace, monkeypatch, text, refused):
    root, path = _one(workspace, monkeypatch, "hazards/a.yaml", text)
    if refused:
        res = run_cli("hazards", "set", "SQ-2", "funds", "9万元", "--reason", "改", "--by", "李娜")
        assert res.code == 2 and "不止一次" in res.err and "内部错误" not in res.err
        assert path.read_text(encoding="utf-8") == text
        return
    assert run_cli("hazards", "rectify", "SQ-1", "--by", "王芳", "--reason", "复查不合格").code == 0
    h = _history(root, "SQ-1")
    assert [e.event.value for e in h.history][:2] == ["registered", "rectified"] and len(h.history) == 6
    assert path.read_text(encoding="utf-8").count("处理记录:") == 1 and "history:" not in path.read_text(encoding="utf-8")


def test_a_chinese_key_is_edited_where_it_is(workspace, monkeypatch):
    text = LEDGER.replace("    deadline: 2023-03-25\n    owner: 李娜\n", "    owner: 李娜\n    整改期限: 2023-03-25\n")
    root, path = _one(workspace, monkeypatch, "hazards/a.yaml", text)
    assert run_cli("hazards", "extend", "SQ-2", "--deadline", "2023-04-10", "--reason", "雨季", "--by", "李娜").code == 0
    assert _history(root, "SQ-2").deadline.isoformat() == "2023-04-10"
    sq2 = path.read_text(encoding="utf-8").split("SQ-2")[1]
    assert "    整改期限: 2023-04-10\n" in sq2 and "\n    deadline:" not in sq2


def test_an_event_never_lands_inside_a_bracketed_value(workspace, monkeypatch):
    text = (CSV_HEADER.replace("责任人\r\n", "责任人,处理记录\r\n") +
            "C-1,测试,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,王芳,"
            "2023-03-01 登记 人=王芳；2023-03-05 延期 期限=2023-03-31 原期限=2023-03-20 原因=「雨季；2023-03-20 前无法施工」 人=王芳\r\n")
    root, path = _one(workspace, monkeypatch, "hazards/a.csv", text.encode("gb18030"))
    assert run_cli("hazards", "rectify", "C-1", "--date", "2023-03-03", "--by", "王芳").code == 0
    h = _history(root, "C-1")
    assert [e.event.value for e in h.history] == ["registered", "rectified", "extended"]
    assert h.history[2].reason == "雨季；2023-03-20 前无法施工"


def test_two_columns_for_one_field_stop_reads_and_edits(workspace, monkeypatch):
    text = (CSV_HEADER.replace("责任人\r\n", "责任人,整改期限\r\n") +
            "C-1,测试,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,王芳,2023/4/30\r\n")
    root, path = _one(workspace, monkeypatch, "hazards/a.csv", text.encode("utf-8"))
    res = run_cli("hazards", "extend", "C-1", "--deadline", "2023-05-31", "--reason", "x", "--by", "王芳")
    assert res.code == 2 and path.read_bytes() == text.encode("utf-8")
    res = run_cli("check")
    assert res.code == 1 and "[csv-duplicate-column]" in res.out
    text2 = CSV_HEADER.replace("责任人\r\n", "责任人,处理记录,整改记录\r\n") + "C-1,测试,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,王芳,,2023-03-01 登记 人=王芳\r\n"
    path.write_bytes(text2.encode("utf-8"))
    assert run_cli("hazards", "rectify", "C-1", "--by", "王芳").code == 2
    assert "处理记录" in run_cli("check").out


def test_multi_line_cells_are_quoted_and_edits_keep_working(workspace, monkeypatch):
    text = (CSV_HEADER.replace("责任人\r\n", "责任人,处理记录\r\n") +
            'C-1,测试,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,王芳,"2023-03-01 登记 人=王芳\r\n2023-03-05 备注 人=王芳"\r\n'
            "C-2,乙,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,王芳,\r\n")
    root, path = _one(workspace, monkeypatch, "hazards/a.csv", text.encode("gb18030"))
    assert run_cli("hazards", "rectify", "C-1", "--by", "王芳").code == 0
    assert run_cli("hazards", "set", "C-2", "measures", "第一步\n第二步", "--by", "王芳").code == 0
    assert [e.event.value for e in _history(root, "C-1").history] == ["registered", "note", "rectified"]
    assert _history(root, "C-2").measures == "第一步\n第二步"
    assert run_cli("check", "--format", "json").json() == []


def test_a_cr_only_multi_line_history_reads_as_two_events(workspace, monkeypatch):
    text = (CSV_HEADER.replace("责任人\r\n", "责任人,处理记录\r").replace("\r\n", "\r") +
            'C-1,测试,宏达化工有限公司,石桥镇,危险化学品,一般,2023/3/1,2023/3/31,王芳,"2023-03-01 登记 人=王芳\r2023-03-05 整改完成 人=王芳"\r')
    root, _ = _one(workspace, monkeypatch, "hazards/a.csv", text.encode("utf-8"))
    assert [e.event.value for e in _history(root, "C-1").history] == ["registered", "rectified"]
    assert run_cli("hazards", "verify", "C-1", "--party", "企业", "--by", "王芳").code == 0


def test_tab_separated_after_a_blank_line_and_cr_only_are_read_as_tabs(workspace, monkeypatch):
    rows = ["隐患编号\t隐患名称\t单位名称\t隐患等级\t发现日期\t整改期限\t责任人",
            "C-1\t报警器,未检定\t宏达化工有限公司\t一般\t2023/3/1\t2023/3/31\t王芳"]
    for text in ("\n" + "\n".join(rows) + "\n", "\r".join(rows) + "\r"):
        root, _ = _one(workspace, monkeypatch, "hazards/a.csv", text.encode("utf-8"))
        assert _history(root, "C-1").title == "报警器,未检定"


def test_gbk_bytes_on_the_command_line_are_read_as_chinese(ws):
    import os as _os

    note = _os.fsdecode("测试".encode("gb18030"))  # how Python hands over bytes typed on a GBK terminal
    res = run_cli("hazards", "rectify", "SQ-2", "--note", note, "--by", "李娜")
    assert res.code == 0, res.err
    assert _history(ws, "SQ-2").history[-1].note == "测试"


@pytest.mark.parametrize("newline", ["\n", "\r"])
def test_an_empty_last_field_without_a_final_newline_can_be_filled(workspace, monkeypatch, newline):
    text = LEDGER.replace("    owner: 李娜\n", "    owner: 李娜\n    funds:").replace("\n", newline)
    root, path = _one(workspace, monkeypatch, "hazards/a.yaml", text)
    assert run_cli("hazards", "set", "SQ-2", "funds", "1万元", "--by", "李娜").code == 0
    after = path.read_bytes().decode("utf-8")
    assert f"    funds: 1万元{newline}    history:{newline}      - {{date: 2023-03-20, event: 修改" in after
    assert _history(root, "SQ-2").funds == "1万元"
    assert newline == "\n" or "\n" not in after  # a CR-only file stays CR-only


def test_a_list_written_twice_is_refused_not_appended_to_the_ignored_one(workspace, monkeypatch):
    text = LEDGER + "hazards:\n  - id: X-1\n    title: t\n    unit: 宏达化工有限公司\n    level: 一般\n" \
                    "    found: 2023-03-01\n    deadline: 2023-03-30\n    owner: 王芳\n"
    root, path = _one(workspace, monkeypatch, "hazards/a.yaml", text)
    res = run_cli("hazards", "add", "--title", "乙", "--unit", "宏达化工有限公司", "--level", "一般", "--found", "2023-03-02",
                  "--deadline", "2023-03-30", "--owner", "王芳", "--by", "王芳", "--file", "hazards/a.yaml")
    assert res.code == 2 and "不止一次" in res.err
    assert path.read_text(encoding="utf-8") == text


def test_items_whose_dash_stands_alone_keep_their_indentation(workspace, monkeypatch):
    text = ("hazards:\n  -\n    id: T-1\n    title: 甲\n    unit: 宏达化工有限公司\n    level: 一般\n"
            "    found: 2023-03-01\n    deadline: 2023-03-30\n    owner: 王芳\n")
    root, path = _one(workspace, monkeypatch, "hazards/a.yaml", text)
    res = run_cli("hazards", "add", "--title", "乙", "--unit", "宏达化工有限公司", "--level", "一般", "--found", "2023-03-02",
                  "--deadline", "2023-03-30", "--owner", "王芳", "--by", "王芳", "--file", "hazards/a.yaml")
    assert res.code == 0, res.err
    assert "\n  - id: YH-20230302-" in path.read_text(encoding="utf-8")
    assert run_cli("hazards", "rectify", "T-1", "--by", "王芳").code == 0
    assert "    history:\n      - {date: 2023-03-20, event: 整改完成, by: 王芳}\n" in path.read_text(encoding="utf-8")


def test_a_block_scalar_keeps_the_blank_line_after_it(workspace, monkeypatch):
    text = LEDGER.replace("    owner: 李娜\n", "    owner: 李娜\n    measures: >\n      修筑\n      截水沟\n\n")
    root, path = _one(workspace, monkeypatch, "hazards/a.yaml", text + "  # 末尾\n")
    assert run_cli("hazards", "set", "SQ-2", "measures", "修筑截排水沟", "--reason", "更正", "--by", "李娜").code == 0
    assert "    measures: 修筑截排水沟\n\n" in path.read_text(encoding="utf-8")


def test_import_format_csv_starts_a_new_csv_ledger(ws, tmp_path):
    sheet = tmp_path / "in.csv"
    sheet.write_text("隐患名称,单位名称,隐患等级,发现日期,整改期限,责任人\n报警器未检定,宏达化工有限公司,一般,2023/3/10,2023/3/30,王芳\n",
                     encoding="utf-8")
    res = run_cli("import", "hazards", str(sheet), "--format", "csv", "--by", "王芳")
    assert res.code == 0, res.err
    written = [p for p in (ws / "hazards").rglob("*.csv")]
    assert len(written) == 1 and written[0].read_bytes().startswith(b"\xef\xbb\xbf")
    assert run_cli("check", "--format", "json").json() == []


# ---------------------------------------------------------------- an edit reads what it edits


@pytest.fixture
def two_ledgers(workspace, monkeypatch):
    other = LEDGER.replace("SQ-1", "X-1").replace("SQ-2", "X-2")
    root = workspace({"hazards/2023/a.yaml": LEDGER, "hazards/2023/b.yaml": other})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    monkeypatch.delenv("ANQUAN_NO_CACHE", raising=False)
    return root


def test_an_edit_of_one_hazard_reads_only_the_file_that_holds_it(two_ledgers, monkeypatch):
    from anquan_cli import workspace as W

    assert run_cli("check").code in (0, 1)  # the record cache filled
    parsed: list[str] = []
    real = W.records_of_files

    def counting(root, attr, files, use_cache=True):
        parsed.extend(rel for rel, _ in files)
        return real(root, attr, files, use_cache)

    monkeypatch.setattr(W, "records_of_files", counting)
    res = run_cli("hazards", "rectify", "X-2", "--by", "王芳")
    assert res.code == 0, res.err
    assert parsed == ["hazards/2023/b.yaml"]


def test_a_focused_edit_writes_what_the_whole_load_writes(two_ledgers, tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(two_ledgers, copy)
    run_cli("check")
    focused = run_cli("hazards", "rectify", "X-2", "--by", "王芳", "--note", "更换")
    monkeypatch.setenv("ANQUAN_NO_CACHE", "1")
    monkeypatch.setenv("ANQUAN_DATA", str(copy))
    whole = run_cli("hazards", "rectify", "X-2", "--by", "王芳", "--note", "更换")
    assert (focused.code, focused.out.replace(str(two_ledgers), "")) == (whole.code, whole.out.replace(str(copy), ""))
    for rel in ("hazards/2023/a.yaml", "hazards/2023/b.yaml"):
        assert (two_ledgers / rel).read_bytes() == (copy / rel).read_bytes()


@pytest.mark.parametrize("cached", [True, False])
def test_a_broken_other_ledger_file_still_stops_an_edit(two_ledgers, cached):
    if cached:
        run_cli("check")
    (two_ledgers / "hazards/2023/c.yaml").write_text("hazards:\n  - id: Z\n   title: bad indent\n", encoding="utf-8")
    if cached:
        run_cli("check")  # c.yaml's problems are now in the cache too
    before = (two_ledgers / "hazards/2023/b.yaml").read_bytes()
    res = run_cli("hazards", "rectify", "X-2", "--by", "王芳")
    assert res.code == 2 and "hazards/2023/c.yaml:3" in res.err
    assert (two_ledgers / "hazards/2023/b.yaml").read_bytes() == before


def test_an_unknown_id_is_answered_as_the_whole_ledger_answers(two_ledgers, monkeypatch):
    run_cli("check")
    res = run_cli("hazards", "rectify", "X-3", "--by", "王芳")
    monkeypatch.setenv("ANQUAN_NO_CACHE", "1")
    assert res == run_cli("hazards", "rectify", "X-3", "--by", "王芳")
    assert res.code == 2 and "没有编号为 X-3" in res.err and "X-2" in res.err

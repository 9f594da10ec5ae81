"""A file left unparsed (the hazard files of ``check`` and ``report``, whose findings are kept
per file) is known by its stat when unchanged (``.anquan/cache/digests.bin``): every way a
file can change is still seen — a same-size edit in the same time stamp, a restored mtime, a
``git checkout``, a rename, a delete — and a touched but unchanged file reads as unchanged."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import run_cli
from helpers import environment, git
from test_hazards_cli import LEDGER

from anquan_cli.cache import KnownDigests

DAY = "2023-11-30"


def check_json(root: Path) -> tuple[int, str]:
    with environment(ANQUAN_TODAY=None):
        res = run_cli("check", "--format", "json", "--data", str(root), "--today", DAY)
    return res.code, res.out


def ordinary(root: Path) -> tuple[int, str]:
    with environment(ANQUAN_NO_CACHE="1", ANQUAN_TODAY=None):
        res = run_cli("check", "--format", "json", "--data", str(root), "--today", DAY)
    return res.code, res.out


def age(path: Path, seconds: float = 60) -> None:
    """Date the file back, as a file written a while ago is."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


@pytest.fixture
def ws(workspace):
    root = workspace({"hazards/a.yaml": LEDGER, "hazards/b.yaml": LEDGER.replace("SQ-", "SB-")})
    for p in (root / "hazards").iterdir():
        age(p)
    assert check_json(root) == ordinary(root)
    assert (root / ".anquan/cache/digests.bin").is_file()
    return root


def test_the_same_answer_as_reading_everything(ws):
    assert check_json(ws) == ordinary(ws)


def test_a_same_size_edit_with_the_old_mtime_is_seen(ws):
    path = ws / "hazards/a.yaml"
    st = path.stat()
    data = path.read_bytes()
    changed = data.replace("县应急管理局".encode(), "市应急管理局".encode())
    assert len(changed) == len(data) and changed != data
    path.write_bytes(changed)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # size and mtime as before: the ctime tells
    assert check_json(ws) == ordinary(ws)
    assert "市应急管理局" in path.read_text(encoding="utf-8")


def test_an_edit_within_the_time_stamp_granularity_is_read_again(ws, monkeypatch):
    """Git's racily clean file: written in the same tick its content was taken — known only
    by its content, whatever its stat."""
    path = ws / "hazards/a.yaml"
    path.write_bytes(path.read_bytes())  # fresh mtime: just now
    check_json(ws)  # taken now, within the racy window of the file's mtime
    known = KnownDigests(ws / ".anquan/cache")
    st = path.stat()
    assert known.get("hazards/a.yaml", st) is None  # racy: compared by content every time
    age(path, 10)
    check_json(ws)  # read and taken again: now well after the mtime
    assert KnownDigests(ws / ".anquan/cache").get("hazards/a.yaml", path.stat()) is not None


def test_touched_but_unchanged_is_unchanged(ws):
    before = check_json(ws)
    kept = sorted((ws / ".anquan/cache/checks").rglob("*.bin"))
    path = ws / "hazards/a.yaml"
    path.touch()
    assert check_json(ws) == before
    assert sorted((ws / ".anquan/cache/checks").rglob("*.bin")) == kept  # nothing computed again


def test_rename_and_delete_are_seen(ws):
    (ws / "hazards/a.yaml").rename(ws / "hazards/c.yaml")
    assert check_json(ws) == ordinary(ws)
    (ws / "hazards/c.yaml").unlink()
    assert check_json(ws) == ordinary(ws)
    assert "hazards/c.yaml" not in KnownDigests(ws / ".anquan/cache").entries


def test_a_file_replaced_by_another_with_its_stat_is_seen(ws):
    """A replaced file (a new inode) is read again even when size and times match."""
    a, b = ws / "hazards/a.yaml", ws / "hazards/b.yaml"
    st = a.stat()
    tmp = ws / "x.tmp"
    shutil.copyfile(b, tmp)
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, a)
    assert check_json(ws) == ordinary(ws)


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_checkout_is_seen(ws):
    git(ws, "init", "-q")
    git(ws, "add", "hazards")
    git(ws, "commit", "-qm", "one")
    path = ws / "hazards/a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("县应急管理局", "镇应急办"), encoding="utf-8")
    git(ws, "commit", "-qam", "two")
    assert check_json(ws) == ordinary(ws)
    git(ws, "checkout", "-q", "HEAD~1", "--", "hazards/a.yaml")
    assert check_json(ws) == ordinary(ws)
    assert "县应急管理局" in path.read_text(encoding="utf-8")


def test_get_follows_stat_and_the_racy_window(tmp_path):
    known = KnownDigests(tmp_path)
    st = SimpleNamespace(st_size=10, st_mtime_ns=1_000_000_000_000, st_ctime_ns=1_000_000_000_000, st_ino=7)
    known.put("a.yaml", st, "d1", taken_ns=st.st_mtime_ns + 5_000_000_000)
    assert known.get("a.yaml", st) == "d1"
    for change in ({"st_size": 11}, {"st_mtime_ns": st.st_mtime_ns + 1}, {"st_ctime_ns": 1}, {"st_ino": 8}):
        assert known.get("a.yaml", SimpleNamespace(**{**vars(st), **change})) is None
    known.put("b.yaml", st, "d2", taken_ns=st.st_mtime_ns + 1_999_999_999)  # taken in the same tick
    assert known.get("b.yaml", st) is None
    known.save()
    again = KnownDigests(tmp_path)
    assert again.get("a.yaml", st) == "d1"


def test_a_forged_digest_file_is_not_used(ws):
    (ws / ".anquan/cache/digests.bin").write_bytes(b"not sealed")
    assert check_json(ws) == ordinary(ws)
    path = ws / "hazards/a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("县应急管理局", "镇应急办"), encoding="utf-8")
    time.sleep(0.01)
    assert check_json(ws) == ordinary(ws)

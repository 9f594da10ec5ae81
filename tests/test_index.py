"""The hazard query index (``.anquan/index``): every answer it gives is byte for byte the
ordinary path's answer, and it never answers for files that changed."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import helpers
import pytest
from conftest import DEMO, run_cli, write_workspace
from helpers import environment
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hazards_cli import GB_HEADER, GB_ROWS, LEDGER

from anquan_cli import index as I
from anquan_cli import workspace as W

QUERIES = [
    ("hazards", "overdue"),
    ("hazards", "overdue", "--township", "石桥镇"),
    ("hazards", "overdue", "--township", "SQ"),
    ("hazards", "overdue", "--level", "重大"),
    ("hazards", "overdue", "--sector", "危险化学品", "--exit-code"),
    ("hazards", "list"),
    ("hazards", "list", "--status", "overdue"),
    ("hazards", "list", "--status", "待验收"),
    ("hazards", "list", "--status", "acceptance_overdue"),
    ("hazards", "list", "--status", "已销号", "--sort", "deadline"),
    ("hazards", "list", "--open", "--sort", "days_overdue"),
    ("hazards", "list", "--closed", "--reverse"),
    ("hazards", "list", "--overdue", "--sort", "township"),
    ("hazards", "list", "--level", "一般", "--sort", "level", "--reverse"),
    ("hazards", "list", "--source", "企业自查"),
    ("hazards", "list", "--source", "专家检查", "--sort", "id"),
    ("hazards", "list", "--unit", "宏达化工有限公司"),
    ("hazards", "list", "--unit", "青岚县宏达化工有限公司"),
    ("hazards", "list", "--owner", "王芳"),
    ("hazards", "list", "--owner", "P3"),
    ("hazards", "list", "--owner", "林国栋"),
    ("hazards", "list", "--found-from", "2023-03-02", "--found-to", "2023年6月30日"),
    ("hazards", "list", "--township", "城关镇", "--sort", "days_overdue", "--reverse"),
]
DAYS = ["2023-03-05", "2023-03-20", "2023-06-30", "2023-11-30", "2024-06-30"]


def run(root: Path, args, day: str, ordinary: bool = False):
    with environment(ANQUAN_NO_CACHE="1" if ordinary else None, ANQUAN_DATA=str(root), ANQUAN_TODAY=None):
        res = run_cli(*args, "--format", "json", "--today", day)
    return res.code, res.out, res.err


class Loads:
    """Counts ordinary loads (the index answers without one)."""

    def __init__(self, monkeypatch):
        self.count = 0
        real = W.load_workspace

        def counting(*a, **kw):
            self.count += 1
            return real(*a, **kw)

        monkeypatch.setattr(W, "load_workspace", counting)


def rollup(tmp_path: Path) -> Path:
    """A county rolling up two townships, one of them GB18030 CSV with a multi-line cell."""
    town_a = write_workspace(tmp_path / "sq", {"anquan.yaml": "jurisdiction: 石桥镇\nlevel: 乡镇\n",
                                               "hazards/a.yaml": LEDGER})
    write_workspace(tmp_path / "cg", {"anquan.yaml": "jurisdiction: 城关镇\nlevel: 乡镇\n",
                                      "hazards/b.csv": (GB_HEADER + GB_ROWS).encode("gb18030")})
    county = write_workspace(tmp_path / "county", {"anquan.yaml": "jurisdiction: 测试县\nlevel: 县\n"
                                                                  "include: [../sq, ../cg]\n"})
    assert town_a.is_dir()
    return county


@pytest.fixture(params=["demo", "ledger", "rollup"])
def some_workspace(request, tmp_path, workspace):
    if request.param == "demo":
        root = tmp_path / "demo"
        shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".anquan"))
        return root
    if request.param == "ledger":
        return workspace({"hazards/2023/a.yaml": LEDGER,
                          "hazards/2023/b.csv": (GB_HEADER + GB_ROWS).encode("gb18030")})
    return rollup(tmp_path)


def test_the_saved_index_holds_every_section_as_built(some_workspace):
    """The rows file is written section by section: read back (mapped), each section is the
    one built, byte for byte, where the sealed header says it is."""
    root = some_workspace
    made = I.fresh(root)
    if made is None:  # a workspace that includes others: a load builds its index
        pytest.skip("built by a load")
    built, _, entries, digests, started = made
    I.save(root, built, entries, digests, started)
    loaded = I.load(root)
    assert loaded is not None
    assert list(loaded.data["sections"]) == list(built["bulk"])
    for name, part in built["bulk"].items():
        assert bytes(loaded.section(name)) == part, name
    assert os.path.getsize(root / ".anquan" / "index" / f"hazards-v{I.INDEX_VERSION}.rows") == sum(
        map(len, built["bulk"].values()))


@pytest.mark.parametrize("day", DAYS)
def test_index_answers_exactly_as_the_ordinary_path(some_workspace, day, monkeypatch):
    root = some_workspace
    loads = Loads(monkeypatch)
    for args in QUERIES:
        expected = run(root, args, day, ordinary=True)
        first = run(root, args, day)          # builds the index when there is none
        second = run(root, args, day)         # answers from it when it covers the day
        assert first == expected, args
        assert second == expected, args
    assert I.load(root) is not None
    index = I.load(root)
    import datetime as dt

    before = loads.count
    run(root, QUERIES[0], day)
    if index.covers(dt.date.fromisoformat(day)):
        assert loads.count == before  # answered without loading the workspace
    else:
        assert loads.count > before  # a past day: records rebuilt as of then, the ordinary way


def test_terminal_and_other_formats_go_the_ordinary_way(some_workspace):
    root = some_workspace
    run(root, QUERIES[0], "2023-11-30")
    for fmt in ("table", "csv"):
        os.environ["ANQUAN_DATA"] = str(root)
        try:
            res = run_cli("hazards", "overdue", "--format", fmt, "--today", "2023-11-30")
        finally:
            os.environ.pop("ANQUAN_DATA")
        assert res.code == 0 and not res.out.startswith("[")


def test_left_out_records_are_noted_the_same_way(workspace):
    root = workspace({"hazards/a.yaml": LEDGER + "  - id: BAD\n    title: 缺少单位\n    level: 一般\n    found: 2023-03-01\n"})
    expected = run(root, QUERIES[0], "2023-11-30", ordinary=True)
    assert "1 处错误" in expected[2]
    run(root, QUERIES[0], "2023-11-30")
    assert run(root, QUERIES[0], "2023-11-30") == expected


def test_an_unusable_workspace_is_never_answered_from_an_old_index(workspace):
    root = workspace({"hazards/a.yaml": LEDGER})
    run(root, QUERIES[0], "2023-11-30")
    run(root, QUERIES[0], "2023-11-30")
    (root / "hazards/a.yaml").write_text("hazards: [\n", encoding="utf-8")
    code, out, err = run(root, QUERIES[0], "2023-11-30")
    assert code == 2 and out == "" and "hazards/a.yaml" in err


# ---------------------------------------------------------------------- freshness


@pytest.fixture
def indexed(workspace):
    root = workspace({"hazards/2023/a.yaml": LEDGER,
                      "hazards/2023/b.csv": (GB_HEADER + GB_ROWS).encode("gb18030")})
    run(root, QUERIES[5], "2023-11-30")
    assert I.load(root) is not None
    return root


def ids(root: Path) -> list[str]:
    import json

    return [r["id"] for r in json.loads(run(root, QUERIES[5], "2023-11-30")[1])]


def test_a_same_size_edit_in_the_same_time_stamp_is_seen(indexed):
    path = indexed / "hazards/2023/a.yaml"
    st_before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    edited = text.replace("id: SQ-1", "id: SQ-9")
    assert len(edited.encode()) == len(text.encode())
    with open(path, "r+b") as fh:  # in place: same inode
        fh.write(edited.encode())
    os.utime(path, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))  # a coarse clock: same time stamp
    assert os.stat(path)[1:] == st_before[1:] or os.stat(path).st_mtime_ns == st_before.st_mtime_ns
    assert "SQ-9" in ids(indexed) and "SQ-1" not in ids(indexed)


def test_rename_delete_and_new_files_are_seen(indexed):
    (indexed / "hazards/2023/a.yaml").rename(indexed / "hazards/2023/c.yaml")
    got = ids(indexed)
    assert "SQ-1" in got
    assert I.load(indexed) is not None  # rebuilt by that query
    (indexed / "hazards/2023/b.csv").unlink()
    assert "H-1" not in ids(indexed)
    (indexed / "hazards/2023/new.csv").write_bytes((GB_HEADER + GB_ROWS).encode("gb18030"))
    assert "H-1" in ids(indexed)


def test_org_and_matrix_changes_are_seen(indexed):
    import json

    people = indexed / "org/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("王芳", "王芳芳"), encoding="utf-8")
    rows = json.loads(run(indexed, QUERIES[5], "2023-11-30")[1])
    assert rows == json.loads(run(indexed, QUERIES[5], "2023-11-30", ordinary=True)[1])
    (indexed / "matrix").mkdir()
    (indexed / "matrix/m.yaml").write_text(textwrap.dedent("""\
        - id: M1
          kind: 一般隐患
          guarantor: 陈静
          township: 石桥镇
        """), encoding="utf-8")
    assert run(indexed, QUERIES[5], "2023-11-30") == run(indexed, QUERIES[5], "2023-11-30", ordinary=True)


def test_touched_but_unchanged_files_keep_the_index(indexed, monkeypatch):
    import time

    time.sleep(0.01)
    for path in (indexed / "hazards/2023").iterdir():
        os.utime(path)  # a checkout of the same content: new times, same bytes
    loads = Loads(monkeypatch)
    before = ids(indexed)
    assert loads.count == 0  # compared by content, still fresh
    assert before == ids(indexed)


def test_git_checkout_of_another_version_is_seen(indexed):
    def git(*args):
        helpers.git(indexed, *args)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "one")
    path = indexed / "hazards/2023/a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("SQ-2", "SQ-7"), encoding="utf-8")
    git("commit", "-qam", "two")
    assert "SQ-7" in ids(indexed)
    git("checkout", "-q", "HEAD~1")
    assert "SQ-2" in ids(indexed) and "SQ-7" not in ids(indexed)
    git("checkout", "-q", "-")
    assert "SQ-7" in ids(indexed)


def test_a_planted_or_damaged_index_is_not_trusted(indexed):
    path = indexed / ".anquan/index" / f"hazards-v{I.INDEX_VERSION}.bin"
    data = path.read_bytes()
    path.write_bytes(data[:-5] + b"xxxxx")
    assert I.load(indexed) is None
    path.write_bytes(b"\0" * 32 + data[32:])  # not sealed by this user
    assert I.load(indexed) is None
    rows = indexed / ".anquan/index" / f"hazards-v{I.INDEX_VERSION}.rows"
    run(indexed, QUERIES[5], "2023-11-30")
    rows.write_bytes(rows.read_bytes().replace(b"SQ-1", b"XX-1"))
    assert I.load(indexed) is None  # another rows file than the sealed header names
    assert "XX-1" not in ids(indexed)


def test_folders_are_the_loaders():
    from anquan_cli.locate import FOLDERS

    # the reporters of tip-offs are no file of the ordinary load (read only with --confidential)
    assert FOLDERS == tuple((k.folder, k.suffixes, k.recursive, k.skip) for k in W.KINDS if not k.secret)


# ---------------------------------------------------------------------- random ledgers

UNITS = ["宏达化工有限公司", "石桥石料厂", "宏达化工", "不在名录的厂"]
OWNERS = ["王芳", "李娜", "P3", "陈静", "无名氏", None]
EVENTS = ["整改完成", "验收签字", "延期", "备注"]
PARTIES = {"企业": "王芳", "部门": "李娜", "乡镇": "陈静"}


@st.composite
def hazard(draw, n: int) -> dict:
    import datetime as dt

    found = dt.date(2023, 1, 1) + dt.timedelta(days=draw(st.integers(0, 300)))
    h: dict = {"id": f"H-{draw(st.integers(0, 12)) if draw(st.booleans()) and n else n}",
               "title": draw(st.sampled_from(["报警器未检定", "边坡过陡\n未设警示", "通道堵塞, 杂物"])),
               "unit": draw(st.sampled_from(UNITS)), "level": draw(st.sampled_from(["一般", "重大"])),
               "found": found.isoformat()}
    if draw(st.booleans()):
        h["source"] = draw(st.sampled_from(["企业自查", "部门检查", "上级督查", "举报"]))
    if draw(st.booleans()):
        h["township"] = draw(st.sampled_from(["石桥镇", "城关镇"]))
    deadline = found + dt.timedelta(days=draw(st.integers(-3, 90)))
    if draw(st.integers(0, 9)):
        h["deadline"] = deadline.isoformat()
    owner = draw(st.sampled_from(OWNERS))
    if owner:
        h["owner"] = owner
    if h["level"] == "重大" and draw(st.booleans()):
        h.update(measures="更换", funds="1万元", plan="专项预案", supervisor="县应急管理局")
    history = []
    day = found
    for kind in draw(st.lists(st.sampled_from(EVENTS), max_size=4)):
        day = day + dt.timedelta(days=draw(st.integers(0, 40)))
        ev = {"date": day.isoformat(), "event": kind}
        if kind == "验收签字":
            party = draw(st.sampled_from(sorted(PARTIES)))
            ev.update(party=party, by=PARTIES[party])
        elif kind == "延期":
            ev.update(deadline=(day + dt.timedelta(days=30)).isoformat(), reason="雨季")
        else:
            ev["by"] = owner or "王芳"
        history.append(ev)
    if history:
        h["history"] = history
    if draw(st.integers(0, 3)) == 0:
        h["closed"] = (day + dt.timedelta(days=draw(st.integers(0, 20)))).isoformat()
    return h


def _yaml(hazards: list[dict]) -> str:
    import json

    lines = ["hazards:"]
    for h in hazards:
        first = True
        for k, v in h.items():
            lead = "  - " if first else "    "
            first = False
            if k == "history":
                lines.append(f"{lead}history:")
                lines.extend(f"      - {json.dumps(e, ensure_ascii=False)}" for e in v)
            else:
                lines.append(f"{lead}{k}: {json.dumps(v, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def ledger_files(form: str, parts) -> dict[str, str | bytes]:
    """Hazard files ``hazards/a``, ``b``, ``c`` … holding each part (empty parts left out), as
    YAML text or GB18030 CSV bytes."""
    files: dict[str, str | bytes] = {}
    for name, part in zip("abcdefgh", parts):
        if part:
            files[f"hazards/{name}.{'yaml' if form == 'yaml' else 'csv'}"] = (
                _yaml(part) if form == "yaml" else _csv(part).encode("gb18030"))
    return files


def _csv(hazards: list[dict]) -> str:
    import csv
    import io

    cols = ["id", "title", "unit", "township", "level", "source", "found", "deadline", "owner", "measures",
            "funds", "plan", "supervisor", "closed", "history"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(cols)
    for h in hazards:
        cells = []
        for c in cols:
            v = h.get(c, "")
            if c == "history":
                v = "；".join(" ".join([e["date"], e["event"], *(f"{k}={x}" for k, x in e.items()
                                                                   if k not in ("date", "event"))]) for e in v or [])
            cells.append(v)
        w.writerow(cells)
    return buf.getvalue()


@settings(max_examples=60)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=10).flatmap(
           lambda ns: st.tuples(*[hazard(n) for n in ns])),
       st.sampled_from(["yaml", "csv-gb18030", "csv-bom"]),
       st.lists(st.tuples(st.sampled_from(QUERIES), st.sampled_from(DAYS + ["2023-05-01", "2023-09-15"])),
                min_size=1, max_size=4),
       st.integers(0, 25))
def test_random_ledgers_answer_the_same_both_ways(hazards, form, asks, late):
    import datetime as dt
    import re

    hazards = list(hazards)
    # and a day just after the ledger's last entry, when the index can answer and hazards
    # are still 待验收 or freshly overdue
    last = max(dt.date.fromisoformat(d) for d in re.findall(r"\d{4}-\d\d-\d\d", repr(hazards)))
    asks = [*asks, (QUERIES[0], (last + dt.timedelta(days=late)).isoformat()),
            (QUERIES[5], (last + dt.timedelta(days=late)).isoformat())]
    half = len(hazards) // 2
    with tempfile.TemporaryDirectory() as tmp:
        files: dict[str, str | bytes] = {}
        for name, part in (("a", hazards[:half]), ("b", hazards[half:])):
            if not part:
                continue
            if form == "yaml":
                files[f"hazards/{name}.yaml"] = _yaml(part)
            else:
                text = _csv(part)
                files[f"hazards/{name}.csv"] = (text.encode("gb18030") if form == "csv-gb18030"
                                                else b"\xef\xbb\xbf" + text.encode("utf-8"))
        root = write_workspace(Path(tmp) / "ws", files)
        for args, day in asks:
            expected = run(root, args, day, ordinary=True)
            assert run(root, args, day) == expected, (args, day)
            assert run(root, args, day) == expected, (args, day)


def test_an_included_workspace_is_watched_whatever_the_encoding_of_anquan_yaml(tmp_path):
    """A county's anquan.yaml saved as GB18030 still names the townships the index watches."""
    town = write_workspace(tmp_path / "sq", {"anquan.yaml": "jurisdiction: 石桥镇\nlevel: 乡镇\n",
                                             "hazards/a.yaml": LEDGER})
    county = write_workspace(tmp_path / "county", {
        "anquan.yaml": "jurisdiction: 测试县\nlevel: 县\ninclude: [../sq]\n".encode("gb18030")})
    assert "SQ-1" in ids(county) and I.load(county) is not None
    path = town / "hazards/a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: SQ-1", "id: SQ-7"), encoding="utf-8")
    got = ids(county)
    assert "SQ-7" in got and "SQ-1" not in got
    assert run(county, QUERIES[5], "2023-11-30") == run(county, QUERIES[5], "2023-11-30", ordinary=True)


def test_an_index_built_on_two_cores_is_the_one_built_on_one(tmp_path, monkeypatch):
    """A big ledger's rows are computed half in a forked copy: the index holds the same."""
    import datetime as dt
    import marshal

    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    hazards = [{"id": f"H-{n}", "title": "通道堵塞", "unit": UNITS[n % len(UNITS)], "level": "重大" if n % 7 else "一般",
                "found": f"2023-0{1 + n % 9}-1{n % 10}", "deadline": f"2023-1{n % 3}-2{n % 10}",
                **({"owner": OWNERS[n % 5]} if OWNERS[n % 5] else {})} for n in range(41)]
    root = write_workspace(tmp_path / "ws", {"hazards/a.yaml": _yaml(hazards)})
    ws, _ = W.load_workspace(root)
    monkeypatch.setattr(I, "PARALLEL_ROWS", 2)
    monkeypatch.delenv("ANQUAN_NO_PARALLEL", raising=False)
    two = I.build(ws, dt.date(2023, 11, 30))
    monkeypatch.setenv("ANQUAN_NO_PARALLEL", "1")
    one = I.build(ws, dt.date(2023, 11, 30))
    assert {k: v for k, v in two.items() if k != "bulk"} == {k: v for k, v in one.items() if k != "bulk"}
    for name, data in one["bulk"].items():
        if name in ("names", "towns"):  # the same values (marshal's bytes depend on object identity)
            assert marshal.loads(two["bulk"][name]) == marshal.loads(data), name
        else:
            assert two["bulk"][name] == data, name


def test_work_shared_with_a_forked_copy_comes_back_whole_and_in_order(monkeypatch):
    """Items taken one by one from either end by two processes: every result, in the items'
    order, whoever computed it; and the same when the copy delivers nothing."""
    from anquan_cli import parallel

    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    monkeypatch.delenv("ANQUAN_NO_PARALLEL", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    items = list(range(200))
    weights = [(i * 37) % 11 + 1 for i in items]
    import time

    def slow(chunk):
        time.sleep(0.002)  # long enough that the copy is up before the queue is empty
        return [(x, os.getpid()) for x in chunk]

    got = parallel.in_two(slow, items, weights, 0)
    assert [x for x, _ in got] == items
    assert len({pid for _, pid in got}) == 2  # both took some
    real_exit = os._exit
    monkeypatch.setattr(os, "_exit", lambda code: real_exit(1))  # the copy fails
    got = parallel.in_two(lambda chunk: [x * 2 for x in chunk], items, weights, 0)
    assert got == [x * 2 for x in items]
    monkeypatch.setattr(os, "_exit", real_exit)
    many = list(range(20000))
    assert parallel.in_two(lambda chunk: [x + 1 for x in chunk], many, [1] * len(many), 0) == [x + 1 for x in many]


def test_an_edit_that_puts_the_old_mtime_back_is_seen(indexed):
    """Same size, same inode, the old mtime restored (``touch -r``, some sync tools) and older
    than the racy window: the ctime still tells, as it does for git."""
    path = indexed / "hazards/2023/a.yaml"
    old = os.stat(path)
    past = old.st_mtime_ns - 10_000_000_000
    os.utime(path, ns=(past, past))
    got = ids(indexed)  # the index is refreshed with this stat
    text = path.read_bytes()
    changed = text.replace(b"id: SQ-1\n", b"id: SQ-7\n", 1)
    assert len(changed) == len(text) and changed != text
    with open(path, "r+b") as fh:
        fh.write(changed)
    os.utime(path, ns=(past, past))
    assert os.stat(path).st_ino == old.st_ino and os.stat(path).st_size == old.st_size
    now = ids(indexed)
    assert "SQ-7" in now and "SQ-1" not in now and now != got


def test_a_file_that_may_not_be_read_stops_the_indexed_query_as_the_load_does(tmp_path):
    """A FIFO or a link out of the workspace among the hazard files: the same message and exit
    code with and without the index."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    os.mkfifo(root / "hazards/2023/zz.csv")
    for args in (("hazards", "overdue"), ("hazards", "list", "--township", "石桥镇")):
        expected = run(root, args, "2023-11-30", ordinary=True)
        assert expected[0] == 2 and "读不了的文件" in expected[2]
        assert run(root, args, "2023-11-30") == expected


def test_segments_are_kept_when_only_other_files_change(tmp_path, monkeypatch):
    """A hazard file's segment needs nothing but the file: after the units, people or matrix
    change, no hazard file is read again, and the index is still the one a load builds."""
    import datetime as dt

    hazards = [{"id": f"H-{n}", "title": "通道堵塞", "unit": UNITS[n % len(UNITS)], "level": "一般",
                "found": "2023-03-01", "deadline": "2023-04-01", "owner": "王芳"} for n in range(6)]
    root = write_workspace(tmp_path / "ws", {"hazards/a.yaml": _yaml(hazards), "hazards/b.yaml": _yaml(hazards[:2])})
    first = I.fresh(root)
    assert first is not None
    units = root / "org/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("宏达化工有限公司", "宏达化工集团有限公司"), encoding="utf-8")
    read: list[str] = []
    real = W.parse_file
    monkeypatch.setattr(W, "parse_file", lambda index, rel, data: read.append(rel) or real(index, rel, data))
    again = I.fresh(root)
    assert again is not None and read == []
    ws, _ = W.load_workspace(root, use_cache=False)
    expected = I.build(ws, dt.date(2024, 1, 1))
    assert again[0]["bulk"]["rows"] == expected["bulk"]["rows"]  # the renamed unit: its hazards lose its township
    assert again[0]["bulk"]["col:unit_unit"] == expected["bulk"]["col:unit_unit"]
    assert again[0]["bulk"]["rows"] != first[0]["bulk"]["rows"]  # the change reached the rows all the same

"""An edit of one hazard takes the short way — the script's own reading of the command line
(no typer), the one ledger file read, the directory's folded names kept, and of the file as
the edit leaves it only the records it changed validated again — and ends exactly where the
long way ends: the same messages, refusals and exit code, the same bytes in the file."""

from __future__ import annotations

import io
import shutil
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from conftest import Result, run_cli, write_workspace
from helpers import environment
from hypothesis import given, settings
from hypothesis import strategies as st
from test_index import PARTIES, _csv, _yaml, hazard

from anquan_cli import workspace as W

DAYS = ["2023-03-05", "2023-06-30", "2023-11-30"]


def long_way(*args: str) -> Result:
    """``anquan ARGS`` through typer, without any cache."""
    from anquan_cli.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with environment(ANQUAN_NO_CACHE="1", ANQUAN_TODAY=None), redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return Result(code, out.getvalue(), err.getvalue())


def short_way(*args: str) -> Result:
    with environment(ANQUAN_TODAY=None):
        return run_cli(*args)


STEPS = st.one_of(
    st.tuples(st.just("rectify"), st.sampled_from([(), ("--note", "更换"), ("--reason", "复查不合格")])),
    st.tuples(st.just("verify"), st.sampled_from([("--party", p, "--by", who) for p, who in PARTIES.items()])),
    st.tuples(st.just("close"), st.just(())),
    st.tuples(st.just("extend"), st.just(("--deadline", "2024-01-31", "--reason", "雨季"))),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=8).flatmap(lambda ns: st.tuples(*[hazard(n) for n in ns])),
       st.sampled_from(["yaml", "csv-gb18030"]),
       st.lists(st.tuples(st.integers(0, 7), STEPS, st.sampled_from(DAYS)), min_size=1, max_size=4))
def test_random_edits_end_where_the_long_way_ends(hazards, form, edits):
    hazards = list(hazards)
    rel = f"hazards/a.{'yaml' if form == 'yaml' else 'csv'}"
    data = _yaml(hazards).encode("utf-8") if form == "yaml" else _csv(hazards).encode("gb18030")
    with tempfile.TemporaryDirectory() as tmp:
        short = write_workspace(Path(tmp) / "short", {rel: data, "hazards/b.yaml": _yaml(hazards[:1])})
        long = Path(tmp) / "long"
        shutil.copytree(short, long)
        short_way("check", "--data", str(short), "--today", DAYS[-1])  # the caches filled, as in use
        for n, (command, options), day in edits:
            hid = hazards[n % len(hazards)]["id"]
            argv = ["hazards", command, hid, *options, "--by" if "--by" not in options else "--date",
                    "张三" if "--by" not in options else day, "--today", day]
            a = short_way(*argv, "--data", str(short))
            b = long_way(*argv, "--data", str(long))
            assert (a.code, a.out.replace(str(short), "~"), a.err.replace(str(short), "~")) == \
                   (b.code, b.out.replace(str(long), "~"), b.err.replace(str(long), "~")), argv
            assert (short / rel).read_bytes() == (long / rel).read_bytes(), argv


def _as_data(records, problems):
    return ([(type(r).__name__, r.__dict__, r.src) for r in records],
            sorted((p.path, p.line, p.code, p.message) for p in problems))


@settings(max_examples=120, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=8).flatmap(lambda ns: st.tuples(*[hazard(n) for n in ns])),
       st.sampled_from(["yaml", "csv"]), st.data())
def test_records_after_an_edit_are_the_records_of_the_new_file(hazards, form, data):
    """Whatever one record becomes — longer, shorter, invalid, valid again — reading the new
    file with the unchanged records kept gives what reading it afresh gives."""
    hazards = list(hazards)
    i = data.draw(st.integers(0, len(hazards) - 1))
    changed = list(hazards)
    changed[i] = data.draw(hazard(i))
    if data.draw(st.booleans()):
        changed[i] = {k: v for k, v in changed[i].items() if k != "found"}  # an invalid record
    render = (lambda hs: _yaml(hs).encode("utf-8")) if form == "yaml" else (lambda hs: _csv(hs).encode("utf-8"))
    rel = f"hazards/a.{form}"
    kind = next(k for k in W.KINDS if k.attr == "hazards")
    old, new = render(hazards), render(changed)
    starts: list[int] = []
    before, before_problems = W.records_from_bytes(rel, old, kind=kind, starts=starts)
    fresh_starts: list[int] = []
    fresh = W.records_from_bytes(rel, new, kind=kind, starts=fresh_starts)
    kept_starts: list[int] = []
    kept = W.records_after_edit(rel, kind, "", old, new, before, before_problems, starts, kept_starts)
    assert _as_data(*kept) == _as_data(*fresh)
    assert kept_starts == fresh_starts


def test_a_clean_yaml_ledger_is_read_around_the_change_only():
    """The YAML way: the records around the change parsed on their own (the rest blanked),
    the others kept — the same records, problems and starts as reading the whole file."""
    hazards = [{"id": f"H-{n}", "title": "通道堵塞", "unit": "宏达化工有限公司", "level": "一般",
                "found": f"2023-0{1 + n % 9}-1{n % 10}", "deadline": "2023-12-31",
                "history": [{"date": "2023-10-01", "event": "备注", "note": "复查"}]} for n in range(6)]
    changed = [dict(h) for h in hazards]
    changed[2]["history"] = changed[2]["history"] + [{"date": "2023-11-01", "event": "整改完成", "by": "王芳"}]
    changed[2]["title"] = "通道堵塞，杂物"
    rel = "hazards/a.yaml"
    kind = next(k for k in W.KINDS if k.attr == "hazards")
    old, new = _yaml(hazards).encode("utf-8"), _yaml(changed).encode("utf-8")
    starts: list[int] = []
    before, problems = W.records_from_bytes(rel, old, kind=kind, starts=starts)
    assert not problems
    a, b = old.decode().split("\n"), new.decode().split("\n")
    head = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)
    tail = next(i for i in range(len(a)) if a[len(a) - 1 - i] != b[len(b) - 1 - i])
    got = W._around_edit(rel, kind, "", b, starts, {r.src.line: r for r in before}, head,
                             len(a) - tail, len(b) - len(a))
    assert got is not None
    fresh_starts: list[int] = []
    fresh = W.records_from_bytes(rel, new, kind=kind, starts=fresh_starts)
    assert _as_data(got[0], got[1]) == _as_data(*fresh)
    assert got[2] == fresh_starts
    assert got[0][0] is before[0] and got[0][-1].src.line == before[-1].src.line + 1  # kept, and moved

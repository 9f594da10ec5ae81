"""Tables at any terminal width: ids, dates, numbers and names are never broken or cut, long
text folds, and a table too wide for the terminal becomes one block per record."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli
from helpers import environment
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from anquan_cli.views import layout as L

DAY = "2023-11-30"
ID_OR_DATE = re.compile(r"(?<![\w-])(?:[A-Z]{2}-\d{4}-\d{3}|\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?|[A-Z]{2}-\d{2}|P\d{3})(?![\w-])")

# what a user's terminal looks like to rich (see tests/test_golden.py)
TERMINAL = {"LINES": "25", "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "0", "TERM": "dumb", "NO_COLOR": "1",
            "FORCE_COLOR": None, "ANQUAN_TODAY": None, "ANQUAN_DATA": None}

COMMANDS = [
    ("hazards", "overdue", "--today", DAY),
    ("hazards", "list", "--today", DAY),
    ("hazards", "list", "--township", "石桥镇", "--today", DAY),
    ("hazards", "show", "SQ-2023-004", "--today", DAY),
    ("hazards", "listed", "--today", DAY),
    ("tasks", "list", "--today", DAY),
    ("tasks", "overdue", "--today", DAY),
    ("tasks", "due", "--today", "2022-12-01"),
    ("matrix", "show"),
    ("duties", "status", "--today", DAY),
    ("accidents", "list", "--today", DAY),
    ("enforcement", "list", "--today", DAY),
    ("campaigns", "status", "--today", DAY),
    ("submissions", "missing", "--today", DAY),
    ("tipoffs", "list", "--today", DAY),
    ("risks", "list", "--today", DAY),
    ("patrols", "status", "--today", DAY),
]


def _run(root, args, width: int | None) -> str:
    env = dict(TERMINAL, COLUMNS=str(width) if width else None)
    if width is None:  # a pipe: the wide console
        env["TTY_COMPATIBLE"] = None
    with environment(**env):
        res = run_cli(*args, "--data", str(root))
    assert res.code in (0, 1), res.err
    return res.out


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    import shutil

    from conftest import DEMO

    root = tmp_path_factory.mktemp("widths") / "data"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".anquan"))
    return root


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("width", [60, 80, 120])
def test_every_id_and_date_is_whole_at_any_width(demo, args, width):
    wide = _run(demo, args, None)
    tokens = set(ID_OR_DATE.findall(wide))
    assert tokens, f"{args}: the wide output shows no ids or dates — the test would prove nothing"
    out = _run(demo, args, width)
    for line in out.splitlines():
        assert cell_len(line.rstrip()) <= width, f"{args} at {width}: a line wider than the terminal:\n{line}"
    missing = sorted(t for t in tokens if t not in out)
    assert not missing, f"{args} at {width}: cut or lost: {missing}\n{out}"
    # each appears as often as in the wide output: no record is dropped or cut in two
    for t in tokens:
        assert out.count(t) == wide.count(t), (args, width, t)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_numbers_stay_whole_in_a_table_of_counts(demo, width):
    out = _run(demo, ("enforcement", "stats", "--today", DAY), width)
    assert all(cell_len(line.rstrip()) <= width for line in out.splitlines())
    wide = _run(demo, ("enforcement", "stats", "--today", DAY), None)
    numbers = re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", wide)
    assert sorted(re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", out)) == sorted(numbers)


def test_a_narrow_terminal_gets_one_block_per_record(demo):
    out = _run(demo, ("hazards", "overdue", "--today", DAY), 80)
    blocks = [b for b in out.split("\n\n") if "编号：" in b]
    assert len(blocks) == 8  # the demo's eight overdue hazards
    first = blocks[0].splitlines()
    assert first[0].startswith("编号：") and first[0].split()[-1] == "SQ-2023-004"
    assert any(line.startswith("整改期限：") and line.endswith("2023-07-31") for line in first)
    assert "┃" not in out and "│" not in out


def test_a_wide_terminal_gets_a_table(demo):
    out = _run(demo, ("accidents", "list", "--today", DAY), 120)
    assert "┃ 编号" in out
    row = next(line for line in out.splitlines() if "SG-2023-002" in line)
    assert "2023-07-08 16:30" in row and "较大" in row  # the whole record on its line


def test_a_pipe_gets_the_wide_console_whatever_columns_says(demo):
    with environment(**dict(TERMINAL, TTY_COMPATIBLE=None, COLUMNS="70")):
        res = run_cli("accidents", "list", "--today", DAY, "--data", str(demo))
    assert "┃ 编号" in res.out and max(cell_len(line.rstrip()) for line in res.out.splitlines()) > 70
    with environment(**dict(TERMINAL, TTY_COMPATIBLE="1", COLUMNS="70")):  # rich told it is a terminal
        res = run_cli("accidents", "list", "--today", DAY, "--data", str(demo))
    assert "编号：" in res.out and max(cell_len(line.rstrip()) for line in res.out.splitlines()) <= 70


def test_width_from_the_environment():
    from anquan_cli.views._rich import PIPE_WIDTH, width_from

    assert width_from({"COLUMNS": "72"}, 100) == 72
    assert width_from({"COLUMNS": "72"}, None) == PIPE_WIDTH
    assert width_from({"COLUMNS": ""}, 100) == 100
    assert width_from({"COLUMNS": "wide"}, 100) == 100
    assert width_from({"COLUMNS": "0"}, 100) == 100
    assert width_from({}, None) == PIPE_WIDTH


# ---------------------------------------------------------------------- fold


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
WORD = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9./:-]{0,11}", fullmatch=True)
PUNCT = st.sampled_from(list("，。、；：（）〔〕“”"))
PIECE = st.one_of(CJK, WORD.map(lambda w: f" {w} "), PUNCT)


@given(st.lists(PIECE, max_size=40).map("".join), st.integers(min_value=2, max_value=40))
def test_fold_keeps_every_character_and_every_line_fits(text, width):
    lines = L.fold(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(st.lists(PIECE, max_size=40).map("".join), st.integers(min_value=12, max_value=40))
def test_fold_never_breaks_a_latin_run_that_fits_a_line(text, width):
    joined = "\n".join(L.fold(text, width))
    for word in re.findall(r"[\x21-\x7e]+", text):
        if cell_len(word) <= width:
            assert any(word in line for line in joined.split("\n")), word


def test_fold_keeps_punctuation_with_its_words():
    lines = L.fold("隐患整改通知书（青应急改〔2023〕12号）已送达。", 12)
    assert all(not line.startswith(tuple("，。、；：）〕”")) for line in lines)
    assert all(not line.endswith(tuple("（〔“")) for line in lines)
    assert "".join(lines) == "隐患整改通知书（青应急改〔2023〕12号）已送达。"


# ---------------------------------------------------------------------- the table helper


def _render(cols, rows, width: int) -> str:
    from rich.console import Console

    console = Console(width=width, highlight=False, color_system=None, force_terminal=False)
    with console.capture() as cap:
        L.print_table(cols, rows, "标题", console=console)
    return cap.get()


ID = st.from_regex(r"[A-Z]{2}-20[0-9]{2}-[0-9]{3}", fullmatch=True)
NAME = st.lists(CJK, min_size=2, max_size=4).map("".join)
TITLE = st.lists(st.one_of(CJK, PUNCT), min_size=0, max_size=60).map("".join)


@given(st.lists(st.tuples(ID, TITLE, st.lists(NAME, max_size=4), st.integers(0, 9999)), min_size=1, max_size=6),
       st.integers(min_value=30, max_value=160))
def test_key_values_and_names_are_whole_at_any_width(rows, width):
    cols = [L.Col("编号"), L.Col("隐患名称", L.TEXT), L.Col("包保人", L.NAMES), L.Col("逾期天数", justify="right")]
    out = _render(cols, rows, width)
    lines = out.splitlines()
    assert all(cell_len(line) <= width for line in lines)
    for rid, _title, names, days in rows:
        assert any(rid in line for line in lines)
        assert any(re.search(rf"(?<!\d){days}(?!\d)", line) for line in lines)
        for name in names:
            assert any(name in line for line in lines), name


def test_the_layout_steps_down_from_boxed_to_compact_to_blocks():
    cols = [L.Col("编号"), L.Col("日期"), L.Col("名称", L.TEXT)]
    rows = [("SQ-2023-004", "2023-07-31", "采场台阶高度超过设计要求，局部边坡存在滑塌风险")]
    assert L.layout(cols, rows, 60)[0] == "boxed"
    narrow = 11 + 10 + L.TEXT_MIN
    assert L.layout(cols, rows, narrow + 3 * 3 + 1)[0] == "boxed"
    assert L.layout(cols, rows, narrow + 3 * 3)[0] == "compact"
    assert L.layout(cols, rows, narrow + 2 * 2)[0] == "compact"
    assert L.layout(cols, rows, narrow + 2 * 2 - 1)[0] == "blocks"


def test_blocks_leave_out_empty_fields_and_fold_long_values_under_themselves():
    cols = [L.Col("编号"), L.Col("隐患名称", L.TEXT), L.Col("督办单位", L.TEXT)]
    rows = [("SQ-2023-004", "采场台阶高度超过设计要求，局部边坡存在滑塌风险", None),
            ("LX-2023-005", "汛期景区未制定游客疏散撤离方案", "青岚县应急管理局")]
    out = _render(cols, rows, 30)
    blocks = out.split("\n\n")
    assert blocks[0] == "标题"
    first, second = blocks[1].splitlines(), blocks[2].splitlines()
    assert first[0] == "编号：     SQ-2023-004"
    assert not any(line.startswith("督办单位") for line in first)
    assert first[2].startswith(" " * 11) and first[2].strip()  # the title's next line, under its start
    assert second[-1] == "督办单位： 青岚县应急管理局"

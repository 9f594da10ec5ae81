"""The line reader for plain-style YAML (``anquan_cli.io.yamlfast``) reads exactly what
libyaml and ``yamlread`` read — values, their types and every line — or declines.

Documents are generated in the style ledgers use and then disturbed with what trips a line
reader: comments, quotes, colons, tabs, odd line breaks, anchors, indentation out of step.
"""

from __future__ import annotations

import glob

import pytest
from conftest import DEMO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anquan_cli.io import yamlfast, yamlread
from anquan_cli.io.yamlread import PosDict, PosList

SCALARS = ["张三", "2023-08-01", "2023/8/1", "no", "yes", "001", "+5", "12", "1.5", "1e3", ".5", "true", "False",
           "~", "null", "NULL", "", "a: b", "a:b", "a #b", "a#b", "x,y", "[x]", "{x}", "x]", "'q'", '"q"', "-x", "- x",
           "‘中文’", "\u3000x", "x\u3000", "x\xa0", "12:30", "%x", "@x", "a'b", 'a"b', "&a x", "*a", "!t x", "|", ">",
           "?x", "? x", ":x", "http://x/y", "（工）", "各級", "x  y", "'it''s'", '"a\\"b"', "*", "&", "a&b", "a*b",
           "# 注释", "a # 注释", "a  #b", "'q' # c", '"q"  # c', "'q'#c", "3#楼", "x # y: z", "'a#b'", "{a: b} # c"]
KEYS = ["id", "title", "no", "1", "a.b", "x-y", "隐患编号", "<<", "key with space", "k", "-k", "\"q\""]


SAFE_SCALARS = ["张三", "2023-08-01", "no", "001", "12", "1.5", "true", "~", "null", "a:b", "x,y", "（工）", "x  y",
                "商贸  # 注释", "3#楼", "'q' # c",
                "'q'", '"q"', "x\u3000", "12:30", "a'b", "a&b", "a*b", "第3号企业有限公司"]
SAFE_KEYS = ["id", "title", "no", "1", "a.b", "x-y", "隐患编号", "k"]
#: draw from the safe pools only (documents the line reader must read)
CLEAN = {"on": False}


def scalar() -> st.SearchStrategy[str]:
    if CLEAN["on"]:
        return st.sampled_from(SAFE_SCALARS)
    return st.one_of(st.sampled_from(SCALARS), st.text(st.sampled_from("a中1 :#,-'\"[]{}\t"), max_size=5))


def keys() -> st.SearchStrategy[str]:
    return st.sampled_from(SAFE_KEYS if CLEAN["on"] else KEYS)


def flow_mapping() -> st.SearchStrategy[str]:
    if CLEAN["on"]:
        pair = st.tuples(st.sampled_from(SAFE_KEYS), st.just(": "),
                         st.one_of(st.sampled_from([v for v in SAFE_SCALARS if not set(v) & set(",:'\"")]),
                                   flow_sequence())).map("".join)
        return st.lists(pair, min_size=1, max_size=4, unique_by=lambda p: p.split(":")[0]).map(
            lambda ps: "{" + ", ".join(ps) + "}")
    pair = st.tuples(st.sampled_from(KEYS), st.sampled_from([": ", ":", " : ", ":  "]),
                     st.one_of(scalar(), flow_sequence())).map("".join)
    return st.tuples(st.sampled_from(["{", "{ "]), st.lists(pair, min_size=1, max_size=4).map(", ".join),
                     st.sampled_from(["}", " }", "},", "} # c"])).map("".join)


def flow_sequence() -> st.SearchStrategy[str]:
    if CLEAN["on"]:
        return st.lists(st.sampled_from(["张三", "001", "no", "1.5", "x  y"]), max_size=4).map(
            lambda xs: "[" + ", ".join(xs) + "]")
    return st.lists(scalar(), max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")


@st.composite
def block(draw, indent: int, depth: int, mapping: bool = False) -> list[str]:
    """Lines of a block mapping (or, at times, a sequence) at ``indent``."""
    pad = " " * indent
    lines: list[str] = []
    if depth and not mapping and draw(st.integers(0, 3)) == 0:  # a sequence of items
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.integers(0, 3))
            dash = draw(st.sampled_from(["- ", "-  "] if CLEAN["on"] else ["- ", "-  ", "-"]))
            if kind == 0:
                lines.append(pad + dash + draw(st.one_of(scalar(), flow_mapping(), flow_sequence())))
            else:
                inner = draw(block(indent + len(dash), depth - 1, mapping=CLEAN["on"]))
                if inner:
                    lines.append(pad + dash + inner[0][indent + len(dash):])
                    lines.extend(inner[1:])
        return lines
    used: set[str] = set()
    for _ in range(draw(st.integers(1, 4))):
        key = draw(keys())
        if CLEAN["on"] and key in used:
            continue
        used.add(key)
        kind = draw(st.integers(0, 5 if depth else 2))
        if kind <= 1:
            lines.append(f"{pad}{key}: {draw(scalar())}")
        elif kind == 2:
            lines.append(f"{pad}{key}: {draw(st.one_of(flow_mapping(), flow_sequence()))}")
        elif kind == 3:
            lines.append(f"{pad}{key}:")
        else:
            lines.append(f"{pad}{key}:")
            lines.extend(draw(block(indent + draw(st.sampled_from([2, 4] if CLEAN["on"] else [0, 2, 4])), depth - 1)))
        if draw(st.integers(0, 6)) == 0:
            lines.append(draw(st.sampled_from(["", "# 注释", f"{pad}# c", "  "] + ([] if CLEAN["on"] else ["---", "..."]))))
    return lines


@st.composite
def document(draw) -> str:
    lines = draw(block(0, 3))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))
    if draw(st.booleans()):
        text = "# 台账\n" + text
    if draw(st.integers(0, 3)) == 0:
        text = text.replace("\n", "\r\n")
    for _ in range(0 if CLEAN["on"] else draw(st.integers(0, 2))):  # a disturbance somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\t", "#", ": ", "\r", "\u2028", "\x85", "&", "*", "\ufeff", "'",
                                                 "\n  ", "\n", "\x07", "-", "{", "\\"])) + text[at:]
    return text


def positioned(value: object) -> object:
    """A value with every line it carries, for comparing."""
    if isinstance(value, PosDict):
        return ("map", value.line, dict(value.key_lines), list(value), {k: positioned(v) for k, v in value.items()})
    if isinstance(value, PosList):
        return ("seq", value.line, list(value.item_lines), [positioned(v) for v in value])
    return (type(value).__name__, value)


def libyaml(text: str, monkeypatch) -> tuple[object, list]:
    with monkeypatch.context() as m:
        m.setattr(yamlfast, "read_simple", lambda text: None)
        return yamlread.parse_yaml(text, "a.yaml")


@settings(max_examples=500, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document())
def test_what_the_line_reader_reads_is_what_libyaml_reads(monkeypatch, text):
    fast = yamlfast.read_simple(text)
    if fast is not None:
        slow, problems = libyaml(text, monkeypatch)
        assert problems == [], text
        assert positioned(fast) == positioned(slow), text


@pytest.fixture
def clean():
    CLEAN["on"] = True
    yield
    CLEAN["on"] = False


def test_documents_in_the_plain_style_are_read_by_the_line_reader(clean, monkeypatch):
    """The same comparison on documents drawn from the plain style alone: most of them must be
    read (the reader is not one that declines everything)."""
    read = []

    @settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
              database=None)
    @given(document())
    def compare(text):
        fast = yamlfast.read_simple(text)
        read.append(fast is not None)
        if fast is not None:
            assert positioned(fast) == positioned(libyaml(text, monkeypatch)[0]), text

    compare()
    assert sum(read) >= 0.8 * len(read), f"{sum(read)} of {len(read)} read"


LEDGER = """\
# 石桥镇 2023 年隐患台账
hazards:
  - id: SQ-2023-001
    title: 边坡过陡，未设警示标志
    unit: 石桥石料厂
    level: 重大
    found: 2023-03-01
    deadline: 2023-04-30
    funds: 22万元
    history:
      - {date: 2023-03-01, event: 登记, by: 张三}
      - {date: 2023-03-05, event: 延期, deadline: 2023-05-31, reason: 雨季}

  - id: "001"
    title: '通道堵塞'
    unit: 宏达化工
    level: 一般
    found: 2023-05-01
    sectors: [危险化学品, 非煤矿山]
    empty: []
    note:
    nested:
      a: 1
      b: 1.5
"""


def test_a_ledger_in_the_usual_style_is_read_by_the_line_reader(monkeypatch):
    fast = yamlfast.read_simple(LEDGER)
    assert fast is not None
    assert positioned(fast) == positioned(libyaml(LEDGER, monkeypatch)[0])
    assert positioned(yamlfast.read_simple(LEDGER.replace("\n", "\r\n"))) == positioned(fast)


@pytest.mark.parametrize("path", sorted(glob.glob(str(DEMO / "**" / "*.yaml"), recursive=True)))
def test_the_demo_files_read_the_same(monkeypatch, path):
    text = open(path, encoding="utf-8").read()
    fast = yamlfast.read_simple(text)
    if fast is not None:
        assert positioned(fast) == positioned(libyaml(text, monkeypatch)[0])


@pytest.mark.parametrize("text", [
    "a: 1\n  b: 2\n", "a: {b: c} # c\n", "a: |\n  x\n", "a: &x 1\nb: *x\n", "a: 1\na: 2\n", "a:\tb\n", "--- \na: 1\n",
    "a: 'it''s'\n", "a: \"x\\ty\"\n", "- - a\n", "a: {b: c\n", "a: b\n- c\n", "<<: {a: 1}\n", "a: b: c\n",
    "a: 1\n\u2028b: 2\n", "a: x\rb: y\n", "a: [b, c,]\n", "a: {b: }\n",
])
def test_what_the_line_reader_does_not_know_it_declines(text):
    assert yamlfast.read_simple(text) is None


def test_a_document_nested_too_deep_for_the_line_reader_goes_to_libyaml(monkeypatch):
    deep = "".join(" " * i + "a:\n" for i in range(3000)) + " " * 3000 + "a: 1\n"
    assert yamlfast.read_simple(deep) is None
    data, problems = yamlread.parse_yaml(deep, "a.yaml")
    assert data is None and problems  # libyaml's reading reports it (too deep, or a syntax error)


# ---------------------------------------------------------------------- whole records (scan_records)

RECORD_KEYS = ("id", "title", "level", "found", "history", "note")
EVENT_VALUES = ["2023-08-01", "登记", "整改完成", "企业", "张三", "x y", " 张三", "张三 ", "001", "no", "~", "12", "1.5"]
ODD_EVENT_VALUES = ["a: b", "a:b", "{x}", "x}", "[x]", "'q'", '"q"', "#c", "a #c", "a#c", "", "-x", "&a", "*a", "true"]


@st.composite
def event_line(draw, clean: bool = False) -> str:
    """An item of a record's list as a ledger has it, or (unless ``clean``) something near it."""
    if not clean and draw(st.integers(0, 6)) == 0:  # anything a flow mapping may be
        return "      - " + draw(flow_mapping())
    values = st.sampled_from(EVENT_VALUES if clean else EVENT_VALUES * 4 + ODD_EVENT_VALUES)
    parts = [f"date: {draw(values)}", f"event: {draw(values)}"]
    if draw(st.booleans()):
        parts.append(f"party: {draw(values)}")
    if draw(st.booleans()):
        parts.append(f"by: {draw(values)}")
    if draw(st.integers(0, 5)) == 0:
        parts.append(f"note: {draw(values)}")
    if clean:
        return "      - {" + ", ".join(parts) + "}" + draw(st.sampled_from(["", "  "]))
    if draw(st.integers(0, 5)) == 0:
        parts = draw(st.permutations(parts))
    sep = draw(st.sampled_from([", "] * 6 + [",", " , "]))
    return "      - {" + sep.join(parts) + "}" + draw(st.sampled_from(["", "", "", "  ", " # c"]))


CLEAN_VALUES = [v for v in SAFE_SCALARS if v.strip() == v and not v.startswith("'q' #")]


@st.composite
def clean_ledger(draw) -> str:
    """A hazard file in the layout anquan writes."""
    lines = list(draw(st.sampled_from([[], ["# 台账"], ["# 台账", ""]]))) + ["hazards:"]
    for _ in range(draw(st.integers(1, 4))):
        keys_here = [k for k in RECORD_KEYS if draw(st.booleans()) or k == "id"]
        for n, key in enumerate(keys_here):
            lead = "  - " if n == 0 else "    "
            if key == "history":
                lines.append(lead + "history:")
                lines += [draw(event_line(clean=True)) for _ in range(draw(st.integers(1, 3)))]
            else:
                lines.append(f"{lead}{key}: {draw(st.sampled_from(CLEAN_VALUES))}" + draw(st.sampled_from(["", " "])))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n# end\n"]))
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@st.composite
def ledger(draw) -> str:
    """A hazard file in the layout anquan writes, now and then disturbed."""
    lines = list(draw(st.sampled_from([[]] * 4 + [["# 台账"], ["# 台账", ""], ["  # x"], ["---"]])))
    lines.append(draw(st.sampled_from(["hazards:"] * 8 + ["hazards: ", "hazards: # c", "other:"])))
    for _ in range(draw(st.integers(1, 3))):
        keys_here = [k for k in RECORD_KEYS if draw(st.booleans()) or k == "id"]
        if draw(st.integers(0, 6)) == 0:
            keys_here = draw(st.permutations(keys_here))
        if draw(st.integers(0, 8)) == 0:
            keys_here.append(draw(st.sampled_from(RECORD_KEYS + ("其他",))))
        for n, key in enumerate(keys_here):
            lead = "  - " if n == 0 else draw(st.sampled_from(["    "] * 20 + ["   ", "     ", "  - "]))
            if key == "history":
                lines.append(lead + "history:" + draw(st.sampled_from([""] * 8 + [" ", " []"])))
                lines += [draw(event_line()) for _ in range(draw(st.sampled_from([1, 1, 2, 2, 3, 0])))]
            else:
                value = draw(scalar() if draw(st.integers(0, 10)) == 0 else st.sampled_from(SAFE_SCALARS))
                lines.append(f"{lead}{key}:" + draw(st.sampled_from([" "] * 6 + ["  ", ""])) + value
                             + draw(st.sampled_from(["", "", " "])))
            if draw(st.integers(0, 30)) == 0:
                lines.append(draw(st.sampled_from(["", "# c", "    # c", "      # c"])))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "", "\n\n", "\n# end\n"]))
    return text.replace("\n", "\r\n") if draw(st.integers(0, 7)) == 0 else text


def _as_read(text: str):
    """What read_simple reads of a ledger, as scan_records gives it."""
    data = yamlfast.read_simple(text)
    if not isinstance(data, PosDict) or list(data) != ["hazards"] or not isinstance(data["hazards"], PosList):
        return None
    records = [(dict(r), r.line, dict(r.key_lines),
                tuple(r["history"].item_lines) if isinstance(r.get("history"), PosList) else None)
               for r in data["hazards"] if isinstance(r, PosDict)]
    if len(records) != len(data["hazards"]):
        return None
    return records, list(data["hazards"].item_lines)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(ledger())
def test_what_the_record_scanner_reads_is_what_the_line_reader_reads(text):
    scanned = yamlfast.scan_records(text, "hazards", RECORD_KEYS, "history")
    if scanned is None:
        return
    expected = _as_read(text)
    assert expected is not None
    assert scanned[1] == expected[1]
    for (values, line, lines, items), (want, want_line, want_lines, want_items) in zip(scanned[0], expected[0]):
        assert (line, lines, items) == (want_line, want_lines, want_items)
        assert values == want and list(values) == list(want)
        for got, event in zip(values.get("history") or [], want.get("history") or []):
            assert list(got) == list(event) and [type(v) for v in got.values()] == [type(v) for v in event.values()]
        # the list is a plain list of the same items; every other value of the same type
        assert [type(v) for k, v in values.items() if k != "history"] == [
            type(v) for k, v in want.items() if k != "history"]
    assert len(scanned[0]) == len(expected[0])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(clean_ledger())
def test_a_ledger_in_anquans_layout_is_read_by_the_record_scanner(text):
    scanned = yamlfast.scan_records(text, "hazards", RECORD_KEYS, "history")
    assert scanned is not None
    test_what_the_record_scanner_reads_is_what_the_line_reader_reads.hypothesis.inner_test(text)


def test_a_ledger_as_anquan_writes_it_is_read_by_the_record_scanner():
    text = ("# 石桥镇隐患台账\nhazards:\n  - id: YH-1\n    title: 消防通道堵塞\n    level: 一般\n    history:\n"
            "      - {date: 2023-08-01, event: 登记, by: 张三}\n      - {date: 2023-08-05, event: 验收签字, party: 企业, by: 李四}\n"
            "      - {date: 2023-08-06, event: 延期, deadline: 2023-09-01, reason: 设备未到}\n"
            "  - id: YH-2\n    title: 'x #1'\n    note: 001\n")
    scanned = yamlfast.scan_records(text, "hazards", RECORD_KEYS, "history")
    assert scanned is not None
    assert scanned[1] == [3, 10]
    first = scanned[0][0]
    assert first[2] == {"id": 3, "title": 4, "level": 5, "history": 6} and first[3] == (7, 8, 9)
    assert first[0]["history"][2] == {"date": "2023-08-06", "event": "延期", "deadline": "2023-09-01", "reason": "设备未到"}
    assert scanned[0][1][0] == {"id": "YH-2", "title": "x #1", "note": "001"}
    assert scanned == tuple(_as_read(text))  # type: ignore[arg-type]

"""Readers: bytes → text → positioned data."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anquan_cli.io.csvread import parse_csv
from anquan_cli.io.decode import DecodeError, decode
from anquan_cli.io.yamlread import PosDict, PosList, parse_yaml

TEXT = "隐患编号,隐患名称\nH-1,储罐区可燃气体报警器未定期检定\n"


@pytest.mark.parametrize("data, encoding, bom", [
    (TEXT.encode("utf-8"), "utf-8", False),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", True),
    (TEXT.encode("gb18030"), "gb18030", False),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", True),
])
def test_decode_office_encodings(data, encoding, bom):
    got = decode(data)
    assert (got.text, got.encoding, got.bom) == (TEXT, encoding, bom)


def test_decode_rejects_binary():
    with pytest.raises(DecodeError):
        decode(b"PK\x03\x04\x14\x00\x06\x00")


def test_yaml_positions_of_keys_and_items():
    data, problems = parse_yaml("# 注释\nhazards:\n  - id: H-1\n    found: 2023-02-30\n  - id: H-2\n", "x")
    assert problems == []
    assert isinstance(data, PosDict) and data.line_of("hazards") == 2
    items = data["hazards"]
    assert isinstance(items, PosList) and items.item_lines == [3, 5]
    assert items[0].key_lines == {"id": 3, "found": 4}


@pytest.mark.parametrize("text, value", [
    ("2023-02-30", "2023-02-30"),  # dates stay text: pydantic reports them at their line
    ("001", "001"),                # codes keep their zeros
    ("+5", "+5"),
    ("42", 42),
    ("-3", -3),
    ("1.5", 1.5),
    ("yes", "yes"),                # YAML 1.2: not a boolean
    ("no", "no"),
    ("true", True),
    ("False", False),
    ("~", None),
    ("null", None),
    ("'42'", "42"),
    ('"true"', "true"),
    ("二〇二三年", "二〇二三年"),
])
def test_yaml_scalars_follow_yaml_1_2(text, value):
    data, _ = parse_yaml(f"k: {text}\n", "x")
    assert data["k"] == value and type(data["k"]) is type(value)


def test_yaml_key_no_is_a_string():
    data, _ = parse_yaml("no: 5\n", "x")
    assert data == {"no": 5}


def test_yaml_duplicate_key_warns():
    data, problems = parse_yaml("a: 1\na: 2\n", "x")
    assert data == {"a": 2}
    assert [(p.line, p.code) for p in problems] == [(2, "yaml-duplicate-key")]


@given(st.text(max_size=200))
def test_yaml_never_raises(text):
    data, problems = parse_yaml(text, "x")
    assert data is not None or all(p.path == "x" for p in problems)


def test_csv_rows_remember_their_start_line():
    text = 'a,b\n1,"two\nlines"\n\n3,4\n'
    header, rows, problems = parse_csv(text, "x.csv")
    assert header == ["a", "b"] and problems == []
    assert [(r.line, dict(r)) for r in rows] == [(2, {"a": "1", "b": "two\nlines"}), (5, {"a": "3", "b": "4"})]


def test_csv_tab_separated():
    header, rows, _ = parse_csv("a\tb\n1\t2\n", "x.csv")
    assert header == ["a", "b"] and dict(rows[0]) == {"a": "1", "b": "2"}


@given(st.lists(st.lists(st.text(alphabet="隐患,\"\n 甲乙ab1", max_size=8), min_size=2, max_size=2),
                min_size=1, max_size=8))
def test_csv_round_trip(rows):
    import csv
    import io

    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([["a", "b"], *rows])
    header, parsed, problems = parse_csv(buf.getvalue(), "x.csv")
    assert problems == [] and header == ["a", "b"]
    expected = [{k: v.strip() for k, v in zip(("a", "b"), r) if v.strip()} for r in rows
                if any(c.strip() for c in r)]
    assert [dict(r) for r in parsed] == expected

"""No input produces a traceback: every broken file becomes a problem at a place."""

from __future__ import annotations

import codecs
import os

import pytest
from conftest import DEMO, check_json, run_cli, where, write_workspace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HAZARD_FIELDS = ["id", "title", "unit", "township", "sector", "level", "source", "found",
                 "deadline", "owner", "measures", "funds", "plan", "supervisor", "closed",
                 "history", "note", "description"]


def _assert_no_crash(res, codes=(0, 1)):
    assert res.code in codes, (res.code, res.err)
    assert "Traceback" not in res.out + res.err
    assert "内部错误" not in res.err


@pytest.mark.parametrize("content", [
    b"",
    b"   \n# only a comment\n",
    b"\x00\x01\x02\xff\xfe binary junk \x00",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    os.urandom(256).replace(b"\x00", b"\x01"),
    b"- id: H-1\n  title: \"unterminated\n",
    b"- id: H-1\n  title: x\n  history:\n    - {date: 2023-01-01, event",
    b"[1, 2, 3]",
    b"just a string",
    b"42",
    b"hazards: 5",
    b"hazards:\n  - 5\n  - [a, b]\n  - just text\n",
    b"- {id: H-1, title: x}\n---\n- {id: H-2}\n",
    b"- &a {id: H-1}\n- *b\n",
    b"? [complex, key]\n: value\n",
    "- id: H-1\n  title: 全角　空格\n  found: ２０２３年１３月１日\n".encode("gb18030"),
])
@pytest.mark.parametrize("name", ["hazards/x.yaml", "matrix/x.yaml", "duties/x.yaml",
                                  "activities/x.yaml", "tasks/x.yaml", "org/people.yaml",
                                  "org/units.yaml", "anquan.yaml"])
def test_broken_yaml_anywhere_is_reported_not_raised(cli, workspace, name, content):
    root = workspace({name: content})
    res = cli("check", "--data", str(root), "--today", "2023-11-30", "--format", "json")
    # a broken anquan.yaml means the workspace cannot be used: every problem listed, then exit 2
    _assert_no_crash(res, (2,) if name == "anquan.yaml" else (0, 1))
    for p in res.json():
        assert p["path"] and p["message"]


@pytest.mark.parametrize("content", [
    b"",
    b"\xef\xbb\xbf",
    b"\x00\x00junk",
    b'a,b\n"unterminated,\n',
    "隐患编号,隐患名称\nH-1\n".encode("gb18030"),
    "隐患编号,隐患编号\nH-1,H-2\n".encode(),
    codecs.BOM_UTF16_LE + "隐患编号\tx\nH-1\t2\n".encode("utf-16-le"),
])
@pytest.mark.parametrize("name", ["hazards/x.csv", "tasks/x.csv", "activities/x.csv"])
def test_broken_csv_is_reported_not_raised(cli, workspace, name, content):
    root = workspace({name: content})
    _assert_no_crash(cli("check", "--data", str(root), "--today", "2023-11-30", "--format", "json"))


WRONG_VALUES = [[1, 2], {"a": 1}, 3.5, True, None, "", "2023-02-30", "∞", 10**30]


@pytest.mark.parametrize("field", HAZARD_FIELDS)
@pytest.mark.parametrize("value", WRONG_VALUES, ids=repr)
def test_wrong_types_in_every_hazard_field(cli, workspace, field, value):
    import json

    record = {"id": "H-1", "title": "标题", "unit": "宏达化工有限公司", "level": "一般",
              "found": "2023-03-01", "deadline": "2023-03-10", "owner": "王芳"}
    record[field] = value
    # JSON is valid YAML: one record, the field on its own line
    body = "[\n{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                                  for k, v in record.items()) + "\n}\n]\n"
    root = workspace({"hazards/x.yaml": body})
    res = cli("check", "--data", str(root), "--today", "2023-11-30", "--format", "json")
    _assert_no_crash(res)
    line = 3 + list(record).index(field)
    errors = [p for p in res.json() if p["severity"] == "error"]
    for p in errors:
        assert p["path"] == "hazards/x.yaml"
        assert p["line"] in (line, 2), p  # the field's line, or the record's for a missing field


def test_a_list_where_a_map_belongs_names_the_line(cli, workspace):
    root = workspace({"hazards/x.yaml": "- id: H-1\n  title: x\n- [a, b]\n"})
    assert ("hazards/x.yaml", 3, "not-a-mapping") in where(check_json(cli, root))


def test_a_map_where_a_list_belongs(cli, workspace):
    root = workspace({"hazards/x.yaml": "hazards:\n  id: H-1\n"})
    assert where(check_json(cli, root)) == {("hazards/x.yaml", 2, "not-a-list")}


def test_empty_file_is_a_warning(cli, workspace):
    root = workspace({"hazards/x.yaml": ""})
    (p,) = check_json(cli, root)
    assert (p["code"], p["severity"]) == ("empty-file", "warning")


def test_binary_junk_says_what_to_do(cli, workspace):
    root = workspace({"hazards/x.csv": b"PK\x03\x04\x00\x00 an xlsx renamed to csv"})
    (p,) = check_json(cli, root)
    assert p["code"] == "encoding" and "另存为" in p["message"]


def test_unsupported_files_are_named(cli, workspace):
    root = workspace({"hazards/台账.xlsx": b"PK\x03\x04", "hazards/~$台账.xlsx": b"lock"})
    (p,) = check_json(cli, root)
    assert (p["path"], p["code"]) == ("hazards/台账.xlsx", "unknown-file")


ONE_HAZARD = """\
- id: H-1
  title: x
  unit: 宏达化工有限公司
  level: 一般
  found: 2023-03-01
  deadline: 2023-03-10
  owner: 王芳
"""


def test_unknown_key_is_a_warning_with_suggestion(cli, workspace):
    root = workspace({"hazards/x.yaml": ONE_HAZARD.replace("  deadline:", "  deadlin: 2023-03-10\n  deadline:")})
    (p,) = check_json(cli, root)
    assert (p["line"], p["code"], p["hint"]) == (6, "unknown-key", "是不是“deadline”？")


def test_duplicate_yaml_key_is_reported(cli, workspace):
    root = workspace({"hazards/x.yaml": ONE_HAZARD + "  owner: 李娜\n"})
    (p,) = check_json(cli, root)
    assert (p["line"], p["code"]) == (8, "yaml-duplicate-key")


def test_broken_config_still_checks_the_rest(cli, workspace):
    root = workspace({"anquan.yaml": "jurisdiction: 测试县\nlevel: 村\n",
                      "hazards/x.yaml": "- id: H-1\n"})
    res = cli("check", "--data", str(root), "--today", "2023-11-30", "--format", "json")
    assert res.code == 2  # listed, and then the command says the workspace cannot be used as it is
    problems = res.json()
    assert ("anquan.yaml", 2, "value-invalid") in where(problems)
    assert any(p["path"] == "hazards/x.yaml" for p in problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda s: s.encode("utf-8")))
def test_fuzz_any_bytes_in_a_ledger(tmp_path_factory, data):
    root = write_workspace(tmp_path_factory.mktemp("fz"), {"hazards/x.yaml": data, "hazards/y.csv": data})
    _assert_no_crash(run_cli("check", "--data", str(root), "--today", "2023-11-30", "--format", "json"))


# ---------------------------------------------------------------- finding the workspace


def test_data_option(cli, workspace):
    root = workspace()
    assert cli("check", "--data", str(root)).code == 0


def test_anquan_data_env(cli, workspace, monkeypatch):
    root = workspace()
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    assert cli("check").code == 0


def test_nearest_ancestor_with_anquan_yaml(cli, workspace, monkeypatch):
    root = workspace({"hazards/2023/x.yaml": "- id: H-1\n"})
    monkeypatch.chdir(root / "hazards" / "2023")
    res = cli("check", "--format", "json")
    assert res.json()[0]["path"] == "hazards/2023/x.yaml"


def test_dot_data_fallback(cli, tmp_path, monkeypatch):
    write_workspace(tmp_path / "data", {})
    monkeypatch.chdir(tmp_path)
    assert cli("check").code == 0


def test_repository_root_uses_demo_data(cli, monkeypatch):
    from conftest import REPO

    monkeypatch.chdir(REPO)
    res = cli("check", "--today", "2023-11-30")
    assert res.code == 0 and "588 条记录" in res.out


def test_no_workspace_is_exit_2_with_a_message(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = cli("check")
    assert res.code == 2
    assert "找不到工作区" in res.err and "--data" in res.err


def test_data_dir_without_config(cli, tmp_path):
    res = cli("check", "--data", str(tmp_path))
    assert res.code == 2 and "anquan.yaml" in res.err


def test_bad_today_is_a_usage_error(cli):
    res = cli("check", "--data", str(DEMO), "--today", "2023-02-30")
    assert res.code == 2 and "2023年2月没有30日" in res.err


def test_anquan_today_env(cli, workspace, monkeypatch):
    root = workspace({"hazards/x.yaml": """\
        - {id: H-1, title: x, unit: 宏达化工有限公司, level: 一般, found: 2023-03-01,
           deadline: 2023-03-10, owner: 王芳}
        """})
    monkeypatch.setenv("ANQUAN_TODAY", "2023-02-01")
    problems = cli("check", "--data", str(root), "--format", "json").json()
    assert [p["code"] for p in problems] == ["found-in-future"]

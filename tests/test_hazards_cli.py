"""``anquan hazards …`` as a user runs it, and what its edits do to the files, byte by byte."""

from __future__ import annotations

import codecs
import difflib
import re

import pytest
from conftest import DEMO

TODAY = "2023-03-20"

LEDGER = """\
# 石桥镇 2023 年隐患台账
hazards:
  # 一月份企业自查
  - id: SQ-1
    title: 储罐区可燃气体报警器未定期检定
    unit: 宏达化工有限公司
    level: 一般
    source: 企业自查
    found: 2023-03-01
    deadline: 2023-03-10   # 企业承诺
    owner: 王芳
    history:
      - {date: 2023-03-01, event: 登记, by: 王芳}
      - {date: 2023-03-08, event: 整改完成, by: 王芳}

  - id: SQ-2
    title: "排土场未设置截排水设施"
    unit: 石桥石料厂
    level: 一般
    source: 乡镇排查
    found: 2023-03-04
    deadline: 2023-03-25
    owner: 李娜

  - id: SQ-3
    title: 甲类仓库与办公楼防火间距不足
    unit: 宏达化工有限公司
    level: 重大
    source: 专家检查
    found: 2023-02-01
    deadline: 2023-03-15
    owner: 王芳
    measures: 迁建甲类仓库
    funds: 85万元
    plan: 《专项应急预案》
    supervisor: 县应急管理局
    listing: {by: 县应急管理局, date: 2023-02-02, tracker: 张伟}
"""

MATRIX = """\
entries:
  - id: BB-1
    kind: 一般事故隐患
    guarantor: 张伟
    responsible: [李娜]
  - id: BB-2
    kind: 重大事故隐患
    guarantor: 张伟
    responsible: [李娜]
    targets: [SQ-3]
"""


@pytest.fixture
def ledger(workspace, monkeypatch):
    root = workspace({"hazards/2023/shiqiao.yaml": LEDGER, "matrix/m.yaml": MATRIX})
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    return root


def diff(before: str, after: str) -> list[str]:
    return [ln for ln in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if ln.startswith(("+", "-")) and not ln.startswith(("+++", "---"))]


def test_fixture_is_clean(ledger):
    from conftest import run_cli

    assert run_cli("check", "--format", "json").json() == []


# ---------------------------------------------------------------- queries


def test_overdue_json_contract(ledger):
    from conftest import run_cli

    res = run_cli("hazards", "overdue", "--format", "json")
    assert res.code == 0
    got = res.json()
    # SQ-1 was rectified on 03-08, before its 03-10 deadline, and waits for its sign-offs:
    # 待验收, not 逾期未整改 (seed 004 keeps the two apart: 整改 → 验收)
    assert [(r["id"], r["days_overdue"]) for r in got] == [("SQ-3", 5)]
    first = got[0]
    assert {k: first[k] for k in ("id", "title", "unit", "township", "sector", "level", "deadline",
                                   "days_overdue", "owner", "status", "status_label")} == {
        "id": "SQ-3", "title": "甲类仓库与办公楼防火间距不足", "unit": "宏达化工有限公司",
        "township": "石桥镇", "sector": "危险化学品", "level": "major", "deadline": "2023-03-15",
        "days_overdue": 5, "owner": "王芳", "status": "overdue", "status_label": "逾期未整改"}
    assert first["guarantors"] == ["张伟"] and first["supervisor"] == "县应急管理局"
    sq1 = next(r for r in run_cli("hazards", "list", "--format", "json").json() if r["id"] == "SQ-1")
    assert (sq1["status"], sq1["status_label"], sq1["days_overdue"]) == ("rectified", "待验收", 0)


def test_overdue_on_the_deadline_day_is_not_overdue(ledger):
    from conftest import run_cli

    res = run_cli("hazards", "overdue", "--format", "json", "--today", "2023-03-15")
    assert res.json() == []  # SQ-3's deadline is 03-15
    res = run_cli("hazards", "overdue", "--format", "json", "--today", "2023-03-16")
    assert [(r["id"], r["days_overdue"]) for r in res.json()] == [("SQ-3", 1)]


def test_waiting_for_sign_offs_too_long_is_acceptance_overdue(ledger):
    from conftest import run_cli

    def sq1(day):
        return next(r for r in run_cli("hazards", "list", "-f", "json", "--today", day).json() if r["id"] == "SQ-1")

    assert sq1("2023-03-23")["status"] == "rectified"            # rectified 03-08: day 15 of the window
    assert sq1("2023-03-24")["status"] == "acceptance_overdue"   # day 16
    assert sq1("2023-03-24")["status_label"] == "验收逾期"
    assert [r["id"] for r in run_cli("hazards", "list", "--status", "acceptance_overdue", "-f", "json",
                                     "--today", "2023-03-24").json()] == ["SQ-1"]


def test_overdue_table_has_chinese_headers_and_summary(ledger):
    from conftest import run_cli

    res = run_cli("hazards", "overdue")
    for header in ("编号", "隐患名称", "逾期天数", "责任人", "包保人", "督办单位"):
        assert header in res.out
    assert "逾期隐患共 1 项。按等级：重大 1；按乡镇：石桥镇 1；按行业领域：危险化学品 1。" in res.out


def test_overdue_exit_code_for_cron(ledger):
    from conftest import run_cli

    assert run_cli("hazards", "overdue", "--exit-code", "-f", "json").code == 1
    assert run_cli("hazards", "overdue", "--exit-code", "-f", "json", "--today", "2023-03-01").code == 0


def test_overdue_csv(ledger):
    from conftest import run_cli

    lines = run_cli("hazards", "overdue", "--format", "csv").out.splitlines()
    assert lines[0].startswith("id,title,unit,township,sector,level,")
    assert lines[1].startswith("SQ-3,甲类仓库与办公楼防火间距不足,宏达化工有限公司,石桥镇,危险化学品,major,")


@pytest.mark.parametrize("args, ids", [
    ([], ["SQ-3", "SQ-1", "SQ-2"]),
    (["--level", "重大"], ["SQ-3"]),
    (["--owner", "P3"], ["SQ-3", "SQ-1"]),
    (["--unit", "石桥石料厂"], ["SQ-2"]),
    (["--township", "石桥镇", "--sector", "非煤矿山"], ["SQ-2"]),
    (["--source", "企业自查"], ["SQ-1"]),
    (["--overdue"], ["SQ-3"]),
    (["--closed"], []),
    (["--open", "--found-from", "2023-03-01", "--found-to", "2023年3月3日"], ["SQ-1"]),
    (["--sort", "deadline", "--reverse"], ["SQ-2", "SQ-3", "SQ-1"]),
    (["--sort", "days_overdue"], ["SQ-3", "SQ-1", "SQ-2"]),
])
def test_list_filters_and_sorting(ledger, args, ids):
    from conftest import run_cli

    res = run_cli("hazards", "list", "--format", "json", *args)
    assert [r["id"] for r in res.json()] == ids


def test_list_table(ledger):
    from conftest import run_cli

    res = run_cli("hazards", "list")
    assert "隐患台账（3 项，截至 2023-03-20）" in res.out and "SQ-2" in res.out


def test_show_json(ledger):
    from conftest import run_cli

    d = run_cli("hazards", "show", "SQ-1", "--format", "json").json()
    assert d["status"] == "rectified" and d["rectified"] == "2023-03-08"
    assert d["signoffs_missing"] == ["enterprise", "department", "township"]
    assert d["escalation_due"] is False
    assert d["answerable"]["guarantors"] == ["张伟"] and d["answerable"]["matrix_entries"] == ["BB-1"]
    assert d["record"]["history"][1]["event"] == "rectified"
    d2 = run_cli("hazards", "show", "SQ-2", "--format", "json", "--today", "2023-03-20").json()
    assert d2["escalation_due"] is True  # found 03-04, 16 days


def test_show_table_names_the_rules(ledger):
    from conftest import run_cli

    out = run_cli("hazards", "show", "SQ-2").out
    assert "须提级：一般隐患发现已 16 天仍未整改（超过 15 天）" in out
    assert "包保人：张伟（BB-1）" in out


def test_unknown_id_suggests(ledger):
    from conftest import run_cli

    res = run_cli("hazards", "show", "SQ-4")
    assert res.code == 2 and "没有编号为 SQ-4 的隐患" in res.err


# ---------------------------------------------------------------- edits


def test_close_flow_touches_only_the_records_lines(ledger):
    from conftest import run_cli

    path = ledger / "hazards/2023/shiqiao.yaml"
    before = path.read_text(encoding="utf-8")
    assert run_cli("hazards", "verify", "SQ-1", "--party", "企业", "--by", "王芳").code == 0
    assert run_cli("hazards", "verify", "SQ-1", "--party", "部门", "--by", "李娜").code == 0
    res = run_cli("hazards", "close", "SQ-1", "--by", "张伟")
    assert res.code == 1 and "缺少：乡镇" in res.err  # two of three: refused
    assert run_cli("hazards", "verify", "SQ-1", "--party", "乡镇", "--by", "陈静").code == 0
    res = run_cli("hazards", "close", "SQ-1", "--by", "张伟")
    assert res.code == 0 and res.out == "已销号：SQ-1（hazards/2023/shiqiao.yaml）\n"
    assert diff(before, path.read_text(encoding="utf-8")) == [
        "+    closed: 2023-03-20",
        "+      - {date: 2023-03-20, event: 验收签字, party: 企业, by: 王芳}",
        "+      - {date: 2023-03-20, event: 验收签字, party: 部门, by: 李娜}",
        "+      - {date: 2023-03-20, event: 验收签字, party: 乡镇, by: 陈静}",
        "+      - {date: 2023-03-20, event: 销号, note: 逾期10天销号, by: 张伟}",  # deadline 03-10
    ]
    after = path.read_text(encoding="utf-8")
    assert "# 一月份企业自查" in after and "deadline: 2023-03-10   # 企业承诺" in after
    assert run_cli("check", "--format", "json").json() == []
    assert run_cli("hazards", "show", "SQ-1", "-f", "json").json()["status"] == "closed"


def test_extend_and_rectify_edit_the_middle_record(ledger):
    from conftest import run_cli

    path = ledger / "hazards/2023/shiqiao.yaml"
    before = path.read_text(encoding="utf-8")
    assert run_cli("hazards", "extend", "SQ-2", "--deadline", "2023年4月10日", "--reason", "雨季施工困难",
                   "--by", "李娜", "--date", "2023-03-18").code == 0
    assert run_cli("hazards", "rectify", "SQ-2", "--by", "李娜", "--note", "截水沟已修筑").code == 0
    assert diff(before, path.read_text(encoding="utf-8")) == [
        "-    deadline: 2023-03-25",
        "+    deadline: 2023-04-10",
        "+    history:",
        "+      - {date: 2023-03-18, event: 延期, deadline: 2023-04-10, previous: 2023-03-25, reason: 雨季施工困难, by: 李娜}",
        "+      - {date: 2023-03-20, event: 整改完成, note: 截水沟已修筑, by: 李娜}",
    ]
    assert 'title: "排土场未设置截排水设施"' in path.read_text(encoding="utf-8")  # quoting kept
    d = run_cli("hazards", "show", "SQ-2", "-f", "json").json()
    assert d["extensions"] == 1 and d["deadline"] == "2023-04-10"


def test_escalate_lists_then_applies(ledger):
    from conftest import run_cli

    res = run_cli("hazards", "escalate", "--format", "json", "--today", "2023-03-19")
    assert res.json() == []  # SQ-2 found 03-04: day 15
    got = run_cli("hazards", "escalate", "--format", "json").json()
    assert [(r["id"], r["found"], r["days_open"]) for r in got] == [("SQ-2", "2023-03-04", 16)]
    path = ledger / "hazards/2023/shiqiao.yaml"
    before = path.read_text(encoding="utf-8")
    res = run_cli("hazards", "escalate", "--apply", "--by", "张伟")
    assert res.code == 0 and "已提级：SQ-2" in res.out
    assert diff(before, path.read_text(encoding="utf-8")) == [
        "-    level: 一般",
        "+    level: 重大",
        "+    supervisor: 测试县人民政府",
        "+    listing: {by: 测试县人民政府, date: 2023-03-20}",
        "+    history:",
        "+      - {date: 2023-03-20, event: 提级, supervisor: 测试县人民政府, reason: 超过15天未完成整改, by: 张伟}",
    ]
    # an escalated hazard is a major one now: its five elements are a to-do the office sees
    # (and close refuses until they are there), not an error in the record
    assert "[five-elements-pending]" in res.err and "治理措施、治理资金、应急预案" in res.err
    problems = run_cli("check", "--format", "json").json()
    assert [(p["code"], p["severity"], p["message"]) for p in problems] == [
        ("five-elements-pending", "warning", "隐患 SQ-2 于 2023-03-20 提级为重大隐患，“五落实”尚缺：治理措施、治理资金、应急预案"),
        ("listing-pending", "warning", "隐患 SQ-2 已提级为重大隐患，挂牌督办尚缺：跟踪督办责任人")]


def test_escalation_threshold_comes_from_settings(workspace, monkeypatch):
    from conftest import run_cli

    root = workspace({"anquan.yaml": "jurisdiction: 测试县\nlevel: 县\nsettings:\n  escalation_days: 10\n"
                                     "  escalation_supervisor: 测试县安委会\n",
                      "hazards/a.yaml": LEDGER})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    got = run_cli("hazards", "escalate", "-f", "json", "--today", "2023-03-15").json()
    assert [r["id"] for r in got] == ["SQ-2"]  # found 03-04: 11 days


GB_HEADER = "隐患编号,隐患名称,单位名称,乡镇,行业领域,隐患等级,隐患来源,发现日期,整改期限,责任人\r\n"
GB_ROWS = ("H-1,储罐区报警器未检定,宏达化工有限公司,石桥镇,危险化学品,一般,企业自查,2023/3/1,2023/3/10,王芳\r\n"
           'H-2,"边坡过陡,\r\n未设警示",石桥石料厂,石桥镇,非煤矿山,一般,乡镇排查,2023/3/5,2023/3/25,李娜\r\n'
           "H-3,仓库超量储存,宏达化工有限公司,石桥镇,危险化学品,一般,部门检查,2023/3/6,2023/3/30,王芳\r\n")


@pytest.mark.parametrize("encoding, bom", [("gb18030", b""), ("utf-8", codecs.BOM_UTF8)])
def test_csv_edit_keeps_other_rows_and_encoding(workspace, monkeypatch, encoding, bom):
    from conftest import run_cli

    root = workspace({"hazards/a.csv": bom + (GB_HEADER + GB_ROWS).encode(encoding)})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    path = root / "hazards/a.csv"
    before = path.read_bytes()
    assert run_cli("hazards", "extend", "H-2", "--deadline", "2023-04-15", "--reason", "雨季 施工",
                   "--by", "李娜", "--today", "2023-03-20").code == 0
    after = path.read_bytes()
    assert after.startswith(bom + GB_HEADER.replace("责任人\r\n", "责任人,处理记录\r\n").encode(encoding))
    text = after[len(bom):].decode(encoding)
    lines = text.split("\r\n")
    old = before[len(bom):].decode(encoding).split("\r\n")
    assert lines[1] == old[1] and lines[4] == old[4]  # rows 1 and 3 byte-identical
    assert lines[2:4] == ['H-2,"边坡过陡,', '未设警示",石桥石料厂,石桥镇,非煤矿山,一般,乡镇排查,2023/3/5,2023/4/15,李娜,'
                          "2023-03-20 延期 期限=2023-04-15 原期限=2023-03-25 原因=「雨季 施工」 人=李娜"]
    d = run_cli("hazards", "show", "H-2", "-f", "json", "--today", "2023-03-20").json()
    assert d["deadline"] == "2023-04-15" and d["extensions"] == 1
    assert d["record"]["history"][0]["reason"] == "雨季 施工"  # kept as typed, space and all
    assert run_cli("check", "--format", "json", "--today", "2023-03-20").json() == []


def test_refuses_when_the_file_changed_since_reading(ledger):
    import datetime as dt

    from anquan_cli.edit.hazards import apply_change
    from anquan_cli.edit.session import EditSession, StaleFileError
    from anquan_cli.rules.hazards import plan_rectify

    path = ledger / "hazards/2023/shiqiao.yaml"
    with EditSession(ledger, dt.date(2023, 3, 20)) as s:
        h = next(h for h in s.ws.hazards if h.id == "SQ-2")
        path.write_text(path.read_text(encoding="utf-8") + "# someone else's edit\n", encoding="utf-8")
        before = path.read_bytes()
        with pytest.raises(StaleFileError, match="在读取之后被修改过"):
            apply_change(s, h, plan_rectify(h, h.found, "李娜"))
            s.commit()
    assert path.read_bytes() == before


def test_refuses_when_the_file_changes_between_staging_and_writing(ledger):
    import datetime as dt

    from anquan_cli.edit.hazards import apply_change
    from anquan_cli.edit.session import EditSession, StaleFileError
    from anquan_cli.rules.hazards import plan_rectify

    path = ledger / "hazards/2023/shiqiao.yaml"
    with EditSession(ledger, dt.date(2023, 3, 20)) as s:
        h = next(h for h in s.ws.hazards if h.id == "SQ-2")
        apply_change(s, h, plan_rectify(h, h.found, "李娜"))
        path.write_text(path.read_text(encoding="utf-8") + "# an editor saved meanwhile\n", encoding="utf-8")
        before = path.read_bytes()
        with pytest.raises(StaleFileError):
            s.commit()
    assert path.read_bytes() == before


def test_by_defaults_to_git_user_name(ledger, monkeypatch, tmp_path):
    from conftest import run_cli

    cfg = tmp_path / "gitconfig"
    cfg.write_text("[user]\n\tname = 曾小芳\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    assert run_cli("hazards", "rectify", "SQ-2").code == 0
    text = (ledger / "hazards/2023/shiqiao.yaml").read_text(encoding="utf-8")
    assert "- {date: 2023-03-20, event: 整改完成, by: 曾小芳}" in text


def test_without_by_or_git_name_asks_for_by(ledger, monkeypatch, tmp_path):
    from conftest import run_cli

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "none"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(tmp_path)
    res = run_cli("hazards", "rectify", "SQ-2")
    assert res.code == 2 and "--by" in res.err


def test_add_with_flags(ledger):
    from conftest import run_cli

    path = ledger / "hazards/2023/shiqiao.yaml"
    before = path.read_text(encoding="utf-8")
    args = ["hazards", "add", "--title", "配电箱未接地", "--unit", "宏达化工有限公司", "--level", "一般",
            "--found", "2023-03-19", "--deadline", "2023-03-26", "--owner", "王芳", "--source", "企业自查",
            "--by", "王芳"]
    res = run_cli(*args)
    assert res.code == 0, res.err
    new_id = re.search(r"已登记隐患：(\S+)（hazards/2023/shiqiao.yaml）", res.out).group(1)
    assert re.fullmatch(r"YH-20230319-[0-9a-f]{5}", new_id)
    added = diff(before, path.read_text(encoding="utf-8"))
    assert added[:3] == ["+", f"+  - id: {new_id}", "+    title: 配电箱未接地"]
    assert added[-1] == "+      - {date: 2023-03-20, event: 登记, by: 王芳}"
    # the same hazard entered again on another branch gets another id
    second = re.search(r"已登记隐患：(\S+)（", run_cli(*args).out).group(1)
    assert second != new_id
    assert run_cli("check", "--format", "json").json() == []


def test_add_uses_township_code_and_creates_a_file(workspace, monkeypatch):
    from conftest import run_cli

    units = """\
        townships:
          - {id: BS, name: 白沙镇}
        enterprises:
          - {name: 白沙砖厂, township: 白沙镇, sector: 工贸}
        """
    root = workspace({"org/units.yaml": units})
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    res = run_cli("hazards", "add", "--title", "取土场边坡过陡", "--unit", "白沙砖厂", "--level", "一般",
                  "--found", "2023-08-15", "--deadline", "2023-08-25", "--owner", "王芳", "--by", "王芳",
                  "--today", "2023-08-15")
    assert res.code == 0, res.err
    assert "BS-20230815-" in res.out and "hazards/2023/bs.yaml" in res.out
    text = (root / "hazards/2023/bs.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 白沙镇 2023 年隐患台账\nhazards:\n  - id: BS-20230815-")
    problems = run_cli("check", "--format", "json", "--today", "2023-08-15").json()
    assert [p for p in problems if p["severity"] == "error"] == []


def test_add_refuses_unknown_owner(ledger):
    from conftest import run_cli

    res = run_cli("hazards", "add", "--title", "x", "--unit", "宏达化工有限公司", "--level", "一般",
                  "--deadline", "2023-03-26", "--owner", "王方", "--by", "王芳")
    assert res.code == 1 and "是不是“王芳”？" in res.err


def test_add_without_terminal_names_missing_flags(ledger):
    from conftest import run_cli

    res = run_cli("hazards", "add", "--title", "x", "--by", "王芳")
    assert res.code == 2 and "--unit" in res.err and "--owner" in res.err


def test_demo_overdue_matches_an_independent_count(cli):
    import datetime as dt

    from anquan_cli.workspace import load_workspace

    ws, _ = load_workspace(DEMO)
    today = dt.date(2023, 11, 30)
    expected = sorted(h.id for h in ws.hazards if h.closed is None and h.deadline and today > h.deadline
                      and not any(e.event.value == "rectified" and e.date <= today for e in h.history))
    got = cli("hazards", "overdue", "--data", str(DEMO), "--today", "2023-11-30", "-f", "json").json()
    assert sorted(r["id"] for r in got) == expected and len(expected) == 8
    assert got[0]["id"] == "SQ-2023-004" and got[0]["days_overdue"] == 122


def test_today_in_the_past_answers_as_that_day(cli):
    """CG-2023-002: deadline 03-15, rectified 03-14, signed and closed 03-20."""
    common = ("--data", str(DEMO), "-f", "json")
    shown = cli("hazards", "show", "CG-2023-002", "--today", "2023-03-13", *common).json()
    assert shown["status"] == "pending" and shown["rectified"] is None
    shown = cli("hazards", "show", "CG-2023-002", "--today", "2023-03-18", *common).json()
    assert shown["status"] == "rectified" and shown["closed"] is None
    assert shown["signoffs_missing"] == ["enterprise", "department", "township"]
    assert "CG-2023-002" not in [r["id"] for r in cli("hazards", "overdue", "--today", "2023-03-18", *common).json()]
    after = cli("hazards", "show", "CG-2023-002", "--today", "2023-03-21", *common).json()
    assert after["status"] == "closed"

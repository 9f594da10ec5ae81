"""举报 (issue 18): verification within 60 days of receipt, extendable once by 30 with a reason
(《安全生产领域举报奖励办法》), feedback within 10 days of it, rewards approved and not paid (seed 002
"对查实的举报件，根据风险程度落实举报奖励"), 属实 ones linked to their hazards — and the reporter
(seed 003 "严格落实举报信息保密制度") in no output of any command not given ``--confidential``."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import zipfile

import pytest
from conftest import DEMO, check_json, run_cli, where
from hypothesis import given
from hypothesis import strategies as st

from anquan_cli.models.config import TipoffSettings
from anquan_cli.models.tipoff import Result, Tipoff
from anquan_cli.rules import tipoffs as T

D = dt.date
S = TipoffSettings()

#: what must never leave tipoffs/confidential/ without --confidential
SECRET_NAME, SECRET_PHONE, SECRET_NOTE = "欧阳保密", "13912345678", "住在厂区东门宿舍"

HAZARDS = """\
hazards:
  - id: H-1
    title: 储罐区报警器未检定
    unit: 宏达化工有限公司
    level: 一般
    source: 举报
    found: 2023-08-10
    deadline: 2023-09-10
    owner: 王芳
    history:
      - {date: 2023-08-10, event: 登记, by: 李娜}
"""

TIPOFFS = """\
tipoffs:
  - id: T-1
    received: 2023-08-01
    channel: 12350
    subject: 储罐区报警器常年不响
    unit: 宏达化工有限公司
    handler: 县应急管理局
    result: 属实
    verified: 2023-08-10
    hazards: [H-1]
    feedback: 2023-08-15
    reward: {amount: 0.2, approved: 2023-08-20}
  - id: T-2
    received: 2023-08-01
    channel: 来信
    subject: 石料厂夜间开采
    unit: 石桥石料厂
    handler: 县应急管理局
"""

REPORTERS = f"""\
reporters:
  - {{tipoff: T-1, name: {SECRET_NAME}, contact: "{SECRET_PHONE}", note: {SECRET_NOTE}}}
  - {{tipoff: T-2, name: 匿名群众, contact: "13900000002"}}
"""


def files(tipoffs: str = TIPOFFS, reporters: str | None = REPORTERS, **more) -> dict:
    out = {"hazards/h.yaml": HAZARDS, "tipoffs/2023.yaml": tipoffs, **more}
    if reporters is not None:
        out["tipoffs/confidential/2023.yaml"] = reporters
    return out


def tipoff(**values) -> Tipoff:
    return Tipoff.model_validate({"id": "T-1", "received": "2023-08-01", **values})


def cli_json(*args):
    res = run_cli(*args, "--format", "json")
    assert res.code in (0, 1), res.err
    return res.json()


# ---------------------------------------------------------------------- the record


def test_a_tipoff_reads_the_ledgers_words():
    t = tipoff(channel=12345, result="查实", verified="2023年8月5日", reward="金额=3000元 批准=2023-08-20",
               extension="天数=30 理由=「需联合核查」")
    assert t.channel.value == "12345" and t.channel.label == "12345热线"
    assert t.result is Result.SUBSTANTIATED and t.verified == D(2023, 8, 5)
    assert t.reward.amount == pytest.approx(0.3) and t.reward.approved == D(2023, 8, 20) and t.reward.paid is None
    assert t.extension.days == 30 and t.extension.reason == "需联合核查"
    assert tipoff().state is Result.PENDING


@pytest.mark.parametrize("values, words", [
    ({"verified": "2023-08-05"}, "应写明核查结果"),
    ({"result": "属实"}, "应写明核查完成日期"),
    ({"result": "属实", "verified": "2023-07-30"}, "早于受理日期"),
    ({"due": "2023-07-30"}, "核查期限 2023-07-30 早于受理日期"),
    ({"feedback": "2023-08-05"}, "核查完成后再告知"),
    ({"result": "不属实", "verified": "2023-08-05", "feedback": "2023-08-04"}, "反馈日期 2023-08-04 早于核查日期"),
    ({"result": "不属实", "verified": "2023-08-05", "reward": {"amount": 0.1}}, "不能有奖励"),
    ({"reward": {"amount": 0.1, "approved": "2023-08-05"}}, "尚未查实"),
    ({"result": "属实", "verified": "2023-08-05", "reward": {"approved": "2023-08-04"}}, "早于核查日期"),
    ({"result": "属实", "verified": "2023-08-05", "reward": {"paid": "2023-08-09"}}, "应先写批准日期"),
    ({"result": "属实", "verified": "2023-08-05", "reward": {"approved": "2023-08-09", "paid": "2023-08-08"}},
     "早于批准日期"),
    ({"extension": {"days": 30}}, "reason"),
])
def test_a_tipoff_that_contradicts_itself_is_refused(values, words):
    with pytest.raises(ValueError, match=words):
        tipoff(**values)


@pytest.mark.parametrize("key", ["name", "reporter", "contact", "举报人", "联系方式"])
def test_a_reporter_written_into_the_tipoff_is_refused_without_repeating_it(workspace, cli, key):
    text = TIPOFFS.replace("    handler: 县应急管理局\n    result: 属实", f"    handler: 县应急管理局\n    {key}: {SECRET_NAME}\n"
                           "    result: 属实", 1)
    problems = check_json(cli, workspace(files(text, None)))
    assert where(problems) == {("tipoffs/2023.yaml", 8, "key-refused")}
    message = next(p["message"] for p in problems if p["path"] == "tipoffs/2023.yaml")
    assert "tipoffs/confidential/" in message and SECRET_NAME not in json.dumps(problems, ensure_ascii=False)


def test_a_csv_ledger_of_tipoffs(workspace, cli):
    csv = ("\ufeff编号,受理日期,渠道,举报内容,被举报单位,承办部门,核查结果,核查日期,隐患编号,反馈日期,奖励,延期\n"
           "T-9,2023-08-01,12345,报警器不响,宏达化工有限公司,县应急管理局,属实,2023-08-10,H-1,2023-08-12,"
           "金额=0.1 批准=2023-08-20 发放=2023-08-30,天数=20 理由=「需检测」\n")
    root = workspace(files("tipoffs: []\n", None, **{"tipoffs/12345.csv": csv.encode("utf-8")}))
    assert check_json(cli, root) == []
    [row] = cli_json("tipoffs", "list", "--data", str(root), "--today", "2023-11-30")
    assert (row["id"], row["channel"], row["result"], row["reward_paid"], row["due"]) == \
        ("T-9", "12345", "substantiated", "2023-08-30", "2023-10-20")  # 60 + 20 days
    assert row["extended"] and row["extension_reason"] == "需检测" and row["file"] == "tipoffs/12345.csv"


# ---------------------------------------------------------------------- the clocks, at their boundaries


def test_verification_is_due_sixty_days_after_receipt():
    t = tipoff()
    assert T.verify_due(t, S) == D(2023, 9, 30)
    assert T.state(t, D(2023, 9, 30), S) == "pending"  # the 60th day is still in time
    assert T.state(t, D(2023, 10, 1), S) == "overdue"
    assert T.verify_due(t, TipoffSettings(verify_days=30)) == D(2023, 8, 31)


def test_an_extension_adds_its_days_once():
    t = tipoff(extension={"days": 30, "reason": "需联合核查"})
    assert T.verify_due(t, S) == D(2023, 10, 30)
    assert T.state(t, D(2023, 10, 30), S) == "pending" and T.state(t, D(2023, 10, 31), S) == "overdue"
    with pytest.raises(ValueError):  # once: one mapping, not a list of extensions
        tipoff(extension=[{"days": 30, "reason": "一"}, {"days": 30, "reason": "二"}])


def test_the_reporter_is_told_within_ten_days_of_the_verification():
    t = tipoff(result="不属实", verified="2023-08-10")
    assert T.feedback_due(t, S) == D(2023, 8, 20)
    assert T.state(t, D(2023, 8, 20), S) == "feedback_due"
    assert T.state(t, D(2023, 8, 21), S) == "feedback_overdue"
    assert T.state(tipoff(result="不属实", verified="2023-08-10", feedback="2023-08-20"), D(2023, 12, 1), S) == "done"


def test_overdue_lists_each_clock_from_the_day_after_its_last(workspace, cli):
    root = workspace(files())

    def listed(day):
        return [(r["tipoff"], r["clock"]) for r in cli_json("tipoffs", "overdue", "--data", str(root), "--today", day)]

    # T-2 received 08-01: verification due 09-30; T-1's reward approved 08-20 and not paid
    assert listed("2023-08-19") == []
    assert listed("2023-08-20") == [("T-1", "reward")]
    assert listed("2023-09-30") == [("T-1", "reward")]
    assert listed("2023-10-01") == [("T-2", "verify"), ("T-1", "reward")]
    res = run_cli("tipoffs", "overdue", "--exit-code", "--data", str(root), "--today", "2023-08-19")
    assert res.code == 0 and "没有逾期" in res.out
    assert run_cli("tipoffs", "overdue", "--exit-code", "--data", str(root), "--today", "2023-10-01").code == 1
    soon = cli_json("tipoffs", "overdue", "--within", "7", "--data", str(root), "--today", "2023-09-23")
    assert [(r["tipoff"], r["clock"], r["days_over"]) for r in soon] == [("T-2", "verify", 0), ("T-1", "reward", None)]


def test_answers_as_of_a_day_before_the_verification(workspace, cli):
    root = workspace(files())
    before = {r["id"]: r for r in cli_json("tipoffs", "list", "--data", str(root), "--today", "2023-08-09")}
    assert before["T-1"]["result"] == "pending" and before["T-1"]["reward_approved"] is None
    assert before["T-1"]["verified"] is None and before["T-1"]["feedback"] is None
    after = {r["id"]: r for r in cli_json("tipoffs", "list", "--data", str(root), "--today", "2023-08-20")}
    assert after["T-1"]["result"] == "substantiated" and after["T-1"]["reward_approved"] == "2023-08-20"
    assert cli_json("tipoffs", "list", "--data", str(root), "--today", "2023-07-31") == []


@given(st.dates(D(2023, 7, 1), D(2024, 3, 1)))
def test_as_of_never_knows_a_later_day(day):
    t = tipoff(result="属实", verified="2023-08-10", feedback="2023-08-15", hazards=["H-1"],
               reward={"amount": 0.2, "approved": "2023-08-20", "paid": "2023-09-01"},
               extension={"days": 10, "reason": "r", "approved": "2023-08-05"})
    for seen in T.as_of([t], day):
        dates = [seen.received, seen.verified, seen.feedback, seen.reward.approved if seen.reward else None,
                 seen.reward.paid if seen.reward else None, seen.extension.approved if seen.extension else None]
        assert all(d is None or d <= day for d in dates)
        Tipoff.model_validate(seen.model_dump())  # still a record check accepts


# ---------------------------------------------------------------------- check


def test_check_holds_deadlines_and_links(workspace, cli):
    text = TIPOFFS + """\
  - {id: T-3, received: 2023-08-01, due: 2023-10-15, subject: 超过 60 日的期限}
  - {id: T-4, received: 2023-08-01, due: 2023-10-15, extension: {days: 30, reason: 联合核查}}
  - {id: T-5, received: 2023-08-01, extension: {days: 31, reason: 联合核查}}
  - {id: T-6, received: 2023-08-01, result: 部分属实, verified: 2023-08-20, hazards: [H-404]}
  - {id: T-7, received: 2023-08-01, result: 属实, verified: 2023-08-20}
  - {id: T-8, received: 2023-12-01, unit: 宏大化工, township: 石桥乡, handler: 县应急局}
"""
    found = where(check_json(cli, workspace(files(text))))
    p = "tipoffs/2023.yaml"
    assert {(line, code) for path, line, code in found if path == p} == {
        (19, "tipoff-due-too-long"),  # T-3: 2023-10-15 is past 09-30; T-4 has 30 more days
        (21, "tipoff-extension-too-long"),
        (22, "tipoff-hazard-unknown"),
        (23, "tipoff-founded-without-hazards"),
        (24, "tipoff-in-future"), (24, "unit-unknown"), (24, "township-unknown"),
    }


def test_reporters_are_checked_only_when_asked(workspace, cli):
    root = workspace(files(reporters=REPORTERS + '  - {tipoff: T-404, name: 某人}\n'))
    assert check_json(cli, root) == []
    asked = where(check_json(cli, root, "--confidential"))
    assert asked == {("tipoffs/confidential/2023.yaml", 4, "reporter-tipoff-unknown")}


def test_the_demo_keeps_a_dozen_tipoffs_and_their_clocks(cli):
    rows = cli_json("tipoffs", "list", "--today", "2023-11-30", "--data", str(DEMO))
    assert len(rows) == 12 and all("reporter_name" not in r for r in rows)
    states = {r["id"]: r["state"] for r in rows}
    assert states["JB-2023-005"] == "overdue" and states["JB-2023-010"] == "overdue"
    assert states["JB-2023-011"] == "feedback_overdue" and states["JB-2023-012"] == "pending"
    assert all(r["hazards"] for r in rows if r["result"] in ("substantiated", "partly"))
    overdue = cli_json("tipoffs", "overdue", "--today", "2023-11-30", "--data", str(DEMO))
    assert [(r["tipoff"], r["clock"]) for r in overdue] == [
        ("JB-2023-005", "verify"), ("JB-2023-010", "verify"), ("JB-2023-011", "feedback"),
        ("JB-2023-004", "reward"), ("JB-2023-011", "reward")]


def test_show_names_the_reporter_only_with_confidential(cli, workspace):
    root = workspace(files())
    plain = run_cli("tipoffs", "show", "T-1", "--data", str(root), "--today", "2023-11-30")
    assert plain.code == 0 and "储罐区报警器常年不响" in plain.out and SECRET_NAME not in plain.out
    asked = run_cli("tipoffs", "show", "t-1", "--confidential", "--data", str(root), "--today", "2023-11-30")
    assert SECRET_NAME in asked.out and SECRET_PHONE in asked.out
    data = cli_json("tipoffs", "show", "T-1", "--confidential", "--data", str(root), "--today", "2023-11-30")
    assert (data["reporter_name"], data["reporter_contact"]) == (SECRET_NAME, SECRET_PHONE)
    listed = cli_json("tipoffs", "list", "--confidential", "--data", str(root), "--today", "2023-11-30")
    assert [r["reporter_name"] for r in listed] == [SECRET_NAME, "匿名群众"]
    missing = run_cli("tipoffs", "show", "T-404", "--data", str(root), "--today", "2023-11-30")
    assert missing.code == 2 and "找不到举报 T-404" in missing.err


# ---------------------------------------------------------------------- the bulletin


def test_the_quarterly_bulletin_reports_verification_and_rewards(cli, tmp_path):
    out = tmp_path / "q.md"
    assert cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(DEMO),
               "-o", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    section = text[text.index("、举报核查"):]
    assert section.startswith("、举报核查") and "## 十一、举报核查" in text  # after 十、专项行动进展
    assert "本期受理举报 5 件" in section and "核查办结 2 件，其中属实 2 件" in section
    assert "期末仍在核查 4 件，其中逾期 1 件" in section and "已批准未发放 1 件 0.2 万元" in section
    assert "| JB-2023-003 | 沙坝村临崖路段没有护栏，夜间行车危险 | 白沙镇 | 白沙镇人民政府 | 2023-08-11 | 核查逾期 50 天 |" \
        in section


def test_a_workspace_without_tipoffs_has_no_such_section(cli, workspace, tmp_path):
    root = workspace({"hazards/h.yaml": HAZARDS})
    out = tmp_path / "q.md"
    assert cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(root),
               "-o", str(out)).code == 0
    assert "举报" not in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------------- confidentiality over every output


def _text_of(path) -> str:
    """Everything a file carries, as text: a zip's (DOCX, XLSX) members inflated, else its bytes."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8", "replace")


def _git(root, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.gov.cn", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.gov.cn", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root.parent)}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def test_no_output_without_confidential_carries_a_reporter(workspace, tmp_path, monkeypatch):
    """The guarantee of seed 003: every command's every format, files written included, and the
    caches left behind — even after a --confidential command ran."""
    pytest.importorskip("pyarrow")
    root = workspace(files())
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "一")
    # a second revision that changes the reporters and a tip-off: diff and log have something to say
    (root / "tipoffs/confidential/2023.yaml").write_text(REPORTERS.replace(SECRET_PHONE, "13912340000"),
                                                         encoding="utf-8")
    (root / "tipoffs/2023.yaml").write_text(TIPOFFS.replace("    channel: 来信\n", "    channel: 来信\n"
                                                            "    result: 不属实\n    verified: 2023-09-01\n"),
                                            encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "二")
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", "2023-11-30")
    # a command given --confidential ran first: nothing of it may stay behind for the others
    assert SECRET_NAME in run_cli("tipoffs", "list", "--confidential").out
    out = tmp_path / "out"
    out.mkdir()
    outputs: list[str] = []

    def run(*args):
        res = run_cli(*args)
        assert res.code in (0, 1), (args, res.err)
        outputs.extend([res.out, res.err])

    for fmt in ("table", "json", "csv"):
        run("tipoffs", "list", "--format", fmt)
        run("tipoffs", "overdue", "--format", fmt)
        run("hazards", "list", "--format", fmt)
    run("tipoffs", "show", "T-1")
    run("tipoffs", "show", "T-1", "--format", "json")
    run("check")
    run("check", "--format", "json")
    run("check", "--against", "HEAD~1")
    for kind, period in (("weekly", "2023-W35"), ("monthly", "2023-08"), ("quarterly", "2023Q3"), ("annual", "2023")):
        for fmt in ("md", "docx"):
            run("report", kind, "--period", period, "--format", fmt, "-o", str(out / f"{kind}.{fmt}"))
    for what in ("hazards", "tasks", "duties", "matrix", "accidents", "enforcement"):
        run("export", what, "-o", str(out / f"{what}.xlsx"))
    run("export", "--format", "sqlite", "-o", str(out / "all.sqlite"))
    run("export", "--format", "parquet", "-o", str(out / "parquet"))
    for fmt in ("text", "json"):
        run("diff", "HEAD~1", "--format", fmt)
        run("log", "T-2", "--format", fmt)
        run("log", "H-1", "--format", fmt)
    run("remind", "--dry-run", "--format", "json")
    run("remind", "--dry-run")
    run("calendar", "export", "-o", str(out / "deadlines.ics"))

    import pyarrow.parquet as pq

    tipoffs = pq.read_table(out / "parquet" / "tipoffs.parquet").to_pylist()
    assert {r["id"] for r in tipoffs} == {"T-1", "T-2"}  # the export does hold the tip-offs
    outputs.append(json.dumps([pq.read_table(p).to_pylist() for p in (out / "parquet").glob("*.parquet")],
                              ensure_ascii=False, default=str))
    con = sqlite3.connect(out / "all.sqlite")
    outputs.append(json.dumps([con.execute(f'select * from "{name}"').fetchall() for (name,) in
                               con.execute("select name from sqlite_master where type='table'")],
                              ensure_ascii=False, default=str))
    outputs += [_text_of(p) for p in out.rglob("*") if p.is_file()]
    outputs += [_text_of(p) for p in (root / ".anquan").rglob("*") if p.is_file()]
    every = "\n".join(outputs)
    assert "储罐区报警器常年不响" in every and "T-2" in every  # the outputs are about the tip-offs
    for secret in (SECRET_NAME, SECRET_PHONE, "13912340000", SECRET_NOTE, "匿名群众", "13900000002"):
        assert secret not in every, secret
    cached = b"".join(p.read_bytes() for p in (root / ".anquan").rglob("*") if p.is_file())
    assert SECRET_NAME.encode() not in cached and SECRET_PHONE.encode() not in cached


def test_a_reporter_column_in_a_csv_ledger_is_refused(workspace, cli):
    csv = f"编号,受理日期,举报内容,举报人,联系电话\nT-9,2023-08-01,报警器不响,{SECRET_NAME},{SECRET_PHONE}\n"
    problems = check_json(cli, workspace(files("tipoffs: []\n", None, **{"tipoffs/x.csv": csv})))
    assert where(problems) == {("tipoffs/x.csv", 1, "key-refused")}
    assert SECRET_NAME not in json.dumps(problems, ensure_ascii=False)
    assert SECRET_PHONE not in json.dumps(problems, ensure_ascii=False)


def test_reminders_and_the_calendar_carry_the_clocks(workspace, tmp_path, monkeypatch):
    from icalendar import Calendar

    root = workspace(files(**{"anquan.yaml": "jurisdiction: 测试县\nlevel: 县\nreminders:\n  office: [李娜]\n"
                                             "  lead_days: [3, 1]\n  channels:\n    - type: stdout\n"}))
    monkeypatch.setenv("ANQUAN_DATA", str(root))

    def office(day):
        res = run_cli("remind", "--dry-run", "--ignore-holidays", "--format", "json", "--today", day)
        assert res.code == 0, res.err
        return [(i["kind"], i["id"], i["days"]) for m in res.json() if "办公室汇总" in m["subject"]
                for i in m["items"] if i["kind"].startswith("tipoff")]

    # T-2 is due 2023-09-30: seven days before (remind_before), the lead days, then every day after
    # (--ignore-holidays: the days around the Mid-Autumn and National Day holidays are rest days)
    assert office("2023-09-22") == []
    assert office("2023-09-23") == [("tipoff_due", "T-2/verify", 7)]
    assert office("2023-09-27") == [("tipoff_due", "T-2/verify", 3)]
    assert office("2023-09-30") == [("tipoff_due", "T-2/verify", 0)]
    assert office("2023-10-01") == [("tipoff_overdue", "T-2/verify", -1)]
    # T-1's reward approved 2023-08-20 and not paid: on Mondays
    assert office("2023-08-21") == [("tipoff_reward", "T-1", -1)]
    assert office("2023-08-22") == []
    out = tmp_path / "d.ics"
    assert run_cli("calendar", "export", "-o", str(out), "--today", "2023-08-05").code == 0
    events = {str(e["SUMMARY"]): e["DTSTART"].dt for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert events["举报核查期限：T-1"] == D(2023, 9, 30) and events["举报核查期限：T-2"] == D(2023, 9, 30)
    assert SECRET_NAME not in out.read_text(encoding="utf-8")


def test_a_roll_up_sums_the_tipoffs_and_never_reads_a_townships_reporters(tmp_path):
    from conftest import write_workspace

    write_workspace(tmp_path / "sq", {"anquan.yaml": "jurisdiction: 石桥镇\nlevel: 乡镇\nparent: 测试县\n", **files()})
    county = write_workspace(tmp_path / "county", {"anquan.yaml": "jurisdiction: 测试县\nlevel: 县\ninclude: [../sq]\n"})
    res = run_cli("tipoffs", "list", "--confidential", "--format", "json", "--data", str(county), "--today", "2023-11-30")
    assert res.code == 0, res.err
    rows = res.json()
    assert [(r["id"], r["file"], r["reporter_name"]) for r in rows] == [
        ("T-1", "../sq/tipoffs/2023.yaml", None), ("T-2", "../sq/tipoffs/2023.yaml", None)]

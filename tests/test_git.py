"""Git-based review on real repositories: diff, log, --as-of, check --against, the diff and
merge drivers.  Commits are made with the CLI's own edit commands, with fixed authors and dates."""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import run_cli, write_workspace
from test_hazards_cli import GB_HEADER, GB_ROWS, LEDGER

ENV = {"GIT_AUTHOR_NAME": "曾小芳", "GIT_AUTHOR_EMAIL": "zxf@example.gov.cn",
       "GIT_COMMITTER_NAME": "曾小芳", "GIT_COMMITTER_EMAIL": "zxf@example.gov.cn",
       "GIT_AUTHOR_DATE": "2023-11-30T10:00:00+08:00", "GIT_COMMITTER_DATE": "2023-11-30T10:00:00+08:00",
       "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = write_workspace(tmp_path / "repo", {"hazards/2023/shiqiao.yaml": LEDGER,
                                                "hazards/2023/liuxi.csv": (GB_HEADER + GB_ROWS).encode("gb18030")})
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", "2023-03-20")
    git(root, "init", "-q", "-b", "main")
    assert run_cli("git", "setup").code == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "台账初始")
    return root


def git(root, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=check,
                          env={**os.environ})


def commit(root, message, date):
    git(root, "add", "-A")
    subprocess.run(["git", "commit", "-qm", message], cwd=root, check=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})


def ok(*args):
    res = run_cli(*args)
    assert res.code == 0, res.err
    return res


def test_diff_and_log_name_fields_and_words_in_chinese(repo):
    ledger = repo / "hazards/2023/shiqiao.yaml"
    text = ledger.read_text(encoding="utf-8")
    first = text.index("level: 一般", text.index("id: SQ-2"))
    text = text[:first] + "level: 重大" + text[first + len("level: 一般"):]
    ledger.write_text(text.replace("source: 乡镇排查", "source: 部门检查"), encoding="utf-8")
    out = ok("diff").out
    assert "隐患等级：一般 → 重大" in out and "隐患来源：乡镇排查 → 部门检查" in out
    assert "level：" not in out and "general" not in out and "major" not in out
    got = {c["id"]: c for c in ok("diff", "--format", "json").json()}
    assert got["SQ-2"]["changes"]["level"] == ["general", "major"]  # JSON keeps the English keys and values
    commit(repo, "SQ-2 提级", "2023-03-21T09:00:00+08:00")
    log = ok("log", "SQ-2").out
    assert "隐患等级：一般 → 重大" in log and "level" not in log


def test_setup_is_idempotent_and_writes_attributes(repo):
    assert run_cli("git", "setup").code == 0
    attrs = (repo / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert attrs.count("hazards/** diff=anquan merge=anquan") == 1
    assert "tasks/** diff=anquan" in attrs
    assert ".anquan/" in (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "git merge %O %A %B %P" in git(repo, "config", "merge.anquan.driver").stdout


def test_diff_speaks_the_domain(repo):
    ok("hazards", "verify", "SQ-1", "--party", "企业", "--by", "王芳")
    ok("hazards", "verify", "SQ-1", "--party", "部门", "--by", "李娜")
    ok("hazards", "verify", "SQ-1", "--party", "乡镇", "--by", "陈静")
    ok("hazards", "close", "SQ-1", "--by", "张伟")
    ok("hazards", "extend", "H-2", "--deadline", "2023-04-15", "--reason", "雨季", "--by", "李娜")
    got = {c["id"]: c for c in ok("diff", "--format", "json").json()}
    assert set(got) == {"SQ-1", "H-2"}
    sq1 = got["SQ-1"]
    assert (sq1["kind"], sq1["record"]) == ("changed", "hazard")
    assert sq1["changes"]["closed"] == [None, "2023-03-20"]
    assert [e["code"] for e in sq1["events"]] == ["signed", "signed", "signed", "closed"]
    assert got["H-2"]["changes"]["deadline"] == ["2023-03-25", "2023-04-15"]
    assert [e["text"] for e in got["H-2"]["events"]] == ["延期至 2023-04-15，原因：雨季"]
    text = ok("diff").out
    assert "修改隐患 SQ-1" in text and "乡镇方验收签字（陈静）" in text and "销号（2023-03-20）" in text
    md = ok("diff", "--format", "md").out
    assert md.startswith("### 台账变化：HEAD → 工作目录") and "- **修改** `H-2`：延期至 2023-04-15，原因：雨季" in md


def test_diff_between_revisions_and_log(repo):
    ok("hazards", "rectify", "SQ-2", "--by", "李娜")
    commit(repo, "SQ-2 整改完成", "2023-03-21T09:00:00+08:00")
    ok("hazards", "add", "--title", "配电箱未接地", "--unit", "宏达化工有限公司", "--level", "一般",
       "--found", "2023-03-20", "--deadline", "2023-03-28", "--owner", "王芳", "--by", "王芳")
    ok("hazards", "extend", "SQ-2", "--deadline", "2023-04-10", "--reason", "材料未到", "--by", "李娜")
    commit(repo, "新增隐患；SQ-2 延期", "2023-03-22T09:00:00+08:00")
    changes = ok("diff", "HEAD~1..HEAD", "--format", "json").json()
    assert sorted((c["kind"], c["id"][:6]) for c in changes) == [("added", "YH-202"), ("changed", "SQ-2")]
    assert ok("diff", "HEAD~2", "HEAD~1", "-f", "json").json()[0]["events"][0]["code"] == "rectified"
    log = ok("log", "SQ-2", "--format", "json").json()
    assert [(e["date"], e["author"], e["subject"]) for e in log] == [
        ("2023-03-22", "曾小芳", "新增隐患；SQ-2 延期"), ("2023-03-21", "曾小芳", "SQ-2 整改完成"),
        ("2023-11-30", "曾小芳", "台账初始")]
    assert [e["kind"] for e in log] == ["changed", "changed", "added"]
    out = ok("log", "SQ-2").out
    assert "延期至 2023-04-10，原因：材料未到" in out and "登记整改完成" in out
    assert run_cli("log", "NO-SUCH").code == 2


def test_as_of_answers_from_an_old_commit(repo):
    for party, who in (("企业", "王芳"), ("部门", "李娜"), ("乡镇", "陈静")):
        ok("hazards", "verify", "SQ-1", "--party", party, "--by", who)
    ok("hazards", "close", "SQ-1", "--by", "张伟")
    commit(repo, "SQ-1 销号", "2023-03-21T09:00:00+08:00")
    now = {r["id"]: r["status"] for r in ok("hazards", "list", "-f", "json").json()}
    before = {r["id"]: r["status"] for r in ok("hazards", "list", "-f", "json", "--as-of", "HEAD~1").json()}
    assert now["SQ-1"] == "closed" and before["SQ-1"] == "rectified"
    (repo / "hazards/2023/shiqiao.yaml").write_text("broken: [", encoding="utf-8")  # the work tree is not read
    assert "SQ-1" in [r["id"] for r in ok("hazards", "list", "-f", "json", "--as-of", "HEAD~1").json()]
    md = ok("report", "quarterly", "--period", "2023Q1", "--as-of", "HEAD~1").out
    assert r"（按 --as-of HEAD\~1 读取）" in md  # Markdown-escaped
    assert run_cli("hazards", "list", "--as-of", "nope").code == 2


def test_check_against_flags_what_a_reviewer_must_see(repo):
    path = repo / "hazards/2023/shiqiao.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    deadline: 2023-03-25\n", "    deadline: 2023-04-30\n")           # SQ-2 moved, no extension
    text = text.replace("      - {date: 2023-03-08, event: 整改完成, by: 王芳}\n",
                        "      - {date: 2023-03-09, event: 整改完成, by: 王芳}\n")           # SQ-1 history rewritten
    sq3 = text.index("  - id: SQ-3")
    text = text[:sq3]                                                                       # SQ-3 deleted
    text = text.replace("    owner: 李娜\n", "    owner: 李娜\n    closed: 2023-03-19\n")      # SQ-2 closed unsigned
    path.write_text(text, encoding="utf-8")
    res = run_cli("check", "--against", "HEAD", "--format", "json")
    assert res.code == 1
    got = {(p["code"], p["line"]) for p in res.json() if p["code"] in
           ("deadline-moved", "history-rewritten", "record-deleted", "closed-without-signoffs")}
    assert got == {("history-rewritten", 12), ("deadline-moved", 22), ("closed-without-signoffs", 24),
                   ("record-deleted", 25)}


def test_check_against_accepts_proper_lifecycle_edits(repo):
    ok("hazards", "extend", "SQ-2", "--deadline", "2023-04-30", "--reason", "雨季", "--by", "李娜")
    for party, who in (("企业", "王芳"), ("部门", "李娜"), ("乡镇", "陈静")):
        ok("hazards", "verify", "SQ-1", "--party", party, "--by", who)
    ok("hazards", "close", "SQ-1", "--by", "张伟")
    assert run_cli("check", "--against", "HEAD", "--format", "json").json() == []


def test_plain_git_diff_reads_a_gb18030_ledger_field_by_field(repo):
    ok("hazards", "extend", "H-2", "--deadline", "2023-04-15", "--reason", "雨季", "--by", "李娜")
    out = git(repo, "diff", "hazards/2023/liuxi.csv").stdout
    changed = [ln for ln in out.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    assert changed == ["-整改期限: 2023/3/25", "+整改期限: 2023/4/15",
                       "+处理记录:", "+  2023-03-20 延期 期限=2023-04-15 原期限=2023-03-25 原因=雨季 人=李娜"]


def branch_edit(repo, name, base, *commands):
    git(repo, "checkout", "-q", base)
    git(repo, "checkout", "-qb", name)
    for cmd in commands:
        cmd()
    commit(repo, name, "2023-03-21T09:00:00+08:00")


def test_merge_two_townships_adding_and_different_fields(repo):
    def edit(old, new):
        def run():
            p = repo / "hazards/2023/shiqiao.yaml"
            p.write_text(p.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        return run

    branch_edit(repo, "a", "main",
                lambda: ok("hazards", "add", "--title", "甲", "--unit", "宏达化工有限公司", "--level", "一般",
                           "--found", "2023-03-19", "--deadline", "2023-03-30", "--owner", "王芳", "--by", "王芳"),
                edit("    measures: 迁建甲类仓库\n", "    measures: 迁建甲类仓库至东侧\n"),
                lambda: ok("hazards", "rectify", "SQ-2", "--by", "李娜"),
                lambda: ok("hazards", "extend", "H-3", "--deadline", "2023-04-30", "--reason", "等待审批", "--by", "王芳"))
    branch_edit(repo, "b", "main",
                lambda: ok("hazards", "add", "--title", "乙", "--unit", "石桥石料厂", "--level", "一般",
                           "--found", "2023-03-18", "--deadline", "2023-03-30", "--owner", "李娜", "--by", "李娜"),
                edit("    funds: 85万元\n", "    funds: 90万元\n"),
                lambda: ok("hazards", "verify", "SQ-1", "--party", "企业", "--by", "王芳"),
                lambda: ok("hazards", "extend", "H-1", "--deadline", "2023-03-31", "--reason", "材料未到", "--by", "王芳"))
    git(repo, "checkout", "-q", "a")
    res = git(repo, "merge", "b", "-m", "合并", check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    text = (repo / "hazards/2023/shiqiao.yaml").read_text(encoding="utf-8")
    assert "measures: 迁建甲类仓库至东侧" in text and "funds: 90万元" in text      # adjacent lines, both kept
    added = {r["title"]: r["file"] for r in ok("hazards", "list", "-f", "json").json() if r["title"] in "甲乙"}
    assert sorted(added) == ["乙", "甲"] and len(set(added.values())) == 1  # both appended to one ledger
    shown = ok("hazards", "show", "SQ-2", "-f", "json").json()
    assert shown["status"] == "rectified"
    assert ok("hazards", "show", "SQ-1", "-f", "json").json()["signed"] == ["enterprise"]
    csv = (repo / "hazards/2023/liuxi.csv").read_bytes().decode("gb18030")
    assert "2023/4/30" in csv and "2023/3/31" in csv                                   # both CSV edits
    assert run_cli("check", "--format", "json").json() == []


def test_merge_conflict_names_record_and_field(repo):
    def funds(value):
        def run():
            p = repo / "hazards/2023/shiqiao.yaml"
            p.write_text(p.read_text(encoding="utf-8").replace("    funds: 85万元\n", f"    funds: {value}\n"),
                         encoding="utf-8")
        return run

    branch_edit(repo, "x", "main", funds("90万元"))
    branch_edit(repo, "y", "main", funds("95万元"), lambda: ok("hazards", "rectify", "SQ-2", "--by", "李娜"))
    res = git(repo, "merge", "x", "-m", "合并", check=False)
    assert res.returncode != 0
    assert "隐患 SQ-3 的字段 funds：我方改为 95万元，对方改为 90万元（原为 85万元）" in res.stderr + res.stdout
    assert git(repo, "status", "--short").stdout.startswith("UU hazards/2023/shiqiao.yaml")
    text = (repo / "hazards/2023/shiqiao.yaml").read_text(encoding="utf-8")
    assert "funds: 95万元" in text and "event: 整改完成" in text  # ours kept, the rest merged


def test_history_commands_need_git(cli, workspace):
    root = workspace()
    for args in (["diff"], ["log", "X"], ["hazards", "list", "--as-of", "HEAD"], ["git", "setup"]):
        res = cli(*args, "--data", str(root))
        assert res.code == 2 and "git" in res.err, args


def test_diff_and_as_of_know_campaigns_and_submissions(repo):
    (repo / "campaigns").mkdir()
    (repo / "campaigns/c.yaml").write_text(
        "campaigns:\n  - id: ZX\n    title: 专项行动\n    from: 2023-03-01\n    until: 2023-12-31\n"
        "    nodes:\n      - {id: 方案, title: 实施方案, due: 2023-03-15, units: [石桥镇]}\n", encoding="utf-8")
    commit(repo, "专项行动", "2023-03-21T09:00:00+08:00")
    (repo / "submissions").mkdir()
    (repo / "submissions/s.yaml").write_text(
        'submissions:\n  - {node: "ZX:方案", unit: 石桥镇, date: 2023-03-18, document: 石政发〔2023〕3号}\n', encoding="utf-8")
    got = ok("diff", "--format", "json").json()
    assert [(c["kind"], c["record"], c["id"]) for c in got] == [("added", "submission", "ZX:方案/石桥镇/2023-03-18")]
    commit(repo, "报送", "2023-03-22T09:00:00+08:00")
    now = ok("submissions", "missing", "--format", "json").json()
    before = ok("submissions", "missing", "--format", "json", "--as-of", "HEAD~1").json()
    assert [r["status"] for r in now] == ["late"] and [r["status"] for r in before] == ["missing"]

"""``anquan summary``, ``report --format json``, ``remind --dry-run --show`` and the progress on
stderr — on the demo workspace (``--today 2023-11-30`` unless said otherwise).  The summary's
figures are checked against the commands that give each of them in full."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import time
import unicodedata
from collections import Counter

import pytest
from conftest import DEMO, run_cli
from helpers import environment, git

T = "2023-11-30"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One copy of the demo for the read-only tests of this module (its cache warms once)."""
    root = tmp_path_factory.mktemp("summary") / "data"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".anquan"))
    return root


def _run(demo, *args: str, code: int = 0, **env: str | None):
    base = {"ANQUAN_DATA": None, "ANQUAN_TODAY": None, "ANQUAN_PROGRESS": None, "ANQUAN_PROGRESS_DELAY": None}
    with environment(**{**base, **env}):
        res = run_cli(*args, "--data", str(demo))
    assert res.code == code, res.err
    return res


def _json(demo, *args: str, day: str = T):
    return _run(demo, *args, "--today", day, "--format", "json").json()


def cells(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


# ---------------------------------------------------------------------- summary agrees with the commands


@pytest.fixture(scope="module")
def summary(demo):
    return _json(demo, "summary")


def test_summary_keys_are_stable_english(summary):
    assert list(summary) == ["jurisdiction", "today", "hazards", "trend", "major", "duties", "coverage",
                             "deadlines", "accidents", "enforcement"]
    assert set(summary["hazards"]) == {"open", "major_open", "general_open", "by_status", "overdue",
                                       "awaiting_acceptance", "acceptance_overdue", "escalation_due",
                                       "overdue_by_township", "overdue_by_level", "longest_overdue"}
    assert set(summary["major"]) == {"total", "listed", "unlisted", "late", "hazards", "notes"}
    assert set(summary["duties"]) >= {"period", "total", "met", "in_progress", "not_met", "unmet"}
    assert set(summary["coverage"]) == {"units", "matrix"}
    assert set(summary["accidents"]) >= {"count", "deaths", "missing", "serious_injuries", "direct_loss", "late"}
    assert set(summary["enforcement"]) >= {"inspections", "penalties", "fines", "gaps", "gaps_by_rule"}

    def keys(obj):
        if isinstance(obj, dict):
            for k, v in obj.items():
                yield k
                yield from keys(v)
        elif isinstance(obj, list):
            for x in obj:
                yield from keys(x)

    assert all(re.fullmatch(r"[a-z_]+", k) for k in keys(summary))
    assert summary["today"] == T and summary["jurisdiction"] == "青岚县"


def test_summary_hazards_agree_with_the_hazard_queries(demo, summary):
    h = summary["hazards"]
    overdue = _json(demo, "hazards", "overdue")
    assert h["overdue"] == len(overdue) == 8
    towns = Counter(r["township"] for r in overdue)
    assert {r["name"]: r["count"] for r in h["overdue_by_township"]} == towns
    assert [r["id"] for r in h["longest_overdue"]] == [r["id"] for r in overdue[:3]]
    listed = _json(demo, "hazards", "list", "--open")
    assert h["open"] == len(listed)
    assert h["major_open"] == sum(r["level"] == "major" for r in listed)
    for row in h["by_status"]:
        assert row["count"] == len(_json(demo, "hazards", "list", "--status", row["status"])), row
    assert h["awaiting_acceptance"] == sum(r["status"] in ("rectified", "acceptance_overdue") for r in listed)
    assert h["escalation_due"] == len(_json(demo, "hazards", "escalate")) == 7


def test_summary_major_hazards_agree_with_the_listing(demo, summary):
    listed = _json(demo, "hazards", "listed")
    m = summary["major"]
    assert [r["id"] for r in m["hazards"]] == [r["id"] for r in listed]
    assert m["late"] == sum(1 for r in listed if r["late"]) == 1
    assert m["listed"] == sum(r["listing_state"] == "listed" for r in listed)
    assert m["unlisted"] == sum(r["listing_state"] == "unlisted" for r in listed)


def test_summary_duties_agree_with_duties_status(demo, summary):
    rows = _json(demo, "duties", "status")
    d = summary["duties"]
    assert d["total"] == len(rows)
    counts = Counter(r["status"] for r in rows)
    assert (d["met"], d["in_progress"], d["not_met"]) == (counts["met"], counts["in_progress"], counts["not_met"])
    assert [(r["duty"], r["holder_id"]) for r in d["unmet"]] == [
        (r["duty"], r["holder_id"]) for r in rows if r["status"] == "not_met"]
    assert d["period"] == "2023Q4"


def test_summary_coverage_agrees_with_the_gap_commands(demo, summary):
    units = _json(demo, "units", "gaps")
    matrix = _json(demo, "matrix", "gaps")
    c = summary["coverage"]
    assert c["units"]["total"] == len(units)
    assert {r["rule"]: r["count"] for r in c["units"]["by_rule"]} == Counter(g["rule"] for g in units)
    assert c["matrix"]["total"] == len(matrix) and c["matrix"]["gaps"] == matrix


def test_summary_accidents_and_enforcement_agree_with_their_commands(demo, summary):
    acc = _json(demo, "accidents", "list", "--period", "2023")
    a = summary["accidents"]
    assert a["count"] == len(acc) == 4
    assert a["deaths"] == sum(r["deaths"] for r in acc)
    assert a["serious_injuries"] == sum(r["serious_injuries"] for r in acc)
    assert a["direct_loss"] == pytest.approx(sum(r["direct_loss"] or 0 for r in acc))
    assert a["late"] == sum(1 for r in acc if r["late_reports"])
    assert {g["grade"]: g["count"] for g in a["by_grade"] if g["count"]} == Counter(r["grade"] for r in acc)
    stats = _json(demo, "enforcement", "stats", "--period", "2023")
    e = summary["enforcement"]
    for key in ("inspections", "hazards_found", "penalties", "suspensions", "closures", "interviews", "referrals"):
        assert e[key] == sum(r[key] for r in stats), key
    assert e["fines"] == pytest.approx(sum(r["fines"] for r in stats))
    gaps = _json(demo, "enforcement", "gaps")
    assert e["gaps"] == len(gaps) == 12
    assert {r["rule"]: r["count"] for r in e["gaps_by_rule"]} == Counter(g["rule"] for g in gaps)


def test_summary_trend_is_the_quarterly_reports_figures(demo, summary):
    assert [q["period"] for q in summary["trend"]] == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    for q in summary["trend"]:
        figures = _json(demo, "report", "quarterly", "--period", q["period"])["figures"]
        assert {k: q[k] for k in ("found", "rectified", "closed", "overdue")} == {
            k: figures[k] for k in ("found", "rectified", "closed", "overdue")}, q["period"]


def test_summary_deadlines_are_the_calendars_next_30_days(demo, summary, tmp_path):
    ics = tmp_path / "d.ics"
    _run(demo, "calendar", "export", "-o", str(ics), "--today", T)
    days = [dt.date(int(m[0:4]), int(m[4:6]), int(m[6:8]))
            for m in re.findall(r"DTSTART;VALUE=DATE:(\d{8})", ics.read_text(encoding="utf-8"))]
    wanted = sorted(d for d in days if dt.date(2023, 11, 30) <= d <= dt.date(2023, 12, 30))
    items = summary["deadlines"]["items"]
    assert sorted(dt.date.fromisoformat(i["date"]) for i in items) == wanted
    assert summary["deadlines"]["to"] == "2023-12-30"
    assert {"hazard", "duty", "node"} <= {i["kind"] for i in items}


# ---------------------------------------------------------------------- the screen


@pytest.mark.parametrize("day", [T, "2023-09-30", "2023-03-18"])
@pytest.mark.parametrize("columns", ["80", "60"])
def test_summary_fits_the_terminal(demo, day, columns):
    out = _run(demo, "summary", "--today", day, COLUMNS=columns).out
    widest = max(cells(line) for line in out.splitlines())
    assert widest <= int(columns), [line for line in out.splitlines() if cells(line) > int(columns)]
    assert out.startswith(f"青岚县安全生产总览（截至 {day}）")


def test_summary_screen_shows_the_figures(demo):
    out = _run(demo, "summary", "--today", T, COLUMNS="80").out
    assert "逾期未整改 8" in out and "须提级 7 项" in out
    town = next(line for line in out.splitlines() if line.startswith("  城关镇"))
    assert town.endswith(" 3") and "█" * 10 in town  # the longest bar: the most overdue
    bai = next(line for line in out.splitlines() if line.startswith("  白沙镇"))
    assert cells(bai) < cells(town)
    assert "重大隐患挂牌督办：4 项" in out and "时限逾期 1" in out
    assert "未完成 7" in out and "企业监管缺口 33 处" in out and "执法与隐患脱节 12 处" in out
    assert "12-05  隐患整改期限：CG-2023-011" in out


def test_summary_answers_as_of_the_day_given(demo):
    early = _json(demo, "summary", day="2023-03-18")
    assert early["today"] == "2023-03-18"
    assert early["hazards"]["overdue"] == len(_json(demo, "hazards", "overdue", day="2023-03-18"))
    assert early["trend"][-1]["period"] == "2023Q1" and early["trend"][0]["period"] == "2022Q2"
    assert early["accidents"]["end"] == "2023-03-18"
    with environment(ANQUAN_TODAY="2023-03-18", ANQUAN_DATA=None):
        res = run_cli("summary", "--data", str(demo), "--format", "json")
    assert res.json() == early


def test_summary_as_of_a_git_revision(demo_copy):
    git(demo_copy, "init", "-q")
    git(demo_copy, "add", "-A")
    git(demo_copy, "commit", "-qm", "demo")
    before = _json(demo_copy, "summary")
    for f in (demo_copy / "hazards").rglob("*.yaml"):
        f.unlink()
    after = _json(demo_copy, "summary")
    assert after["hazards"]["open"] < before["hazards"]["open"]
    assert _json(demo_copy, "summary", "--as-of", "HEAD") == before


def test_bars_and_cells():
    from anquan_cli.views.summary import bar, fit, wrap

    assert bar(0, 5, 10) == "" and bar(3, 0, 10) == ""
    assert bar(5, 5, 10) == "█" * 10
    assert bar(1, 1000, 10) == "▏"  # above nothing: at least a sliver
    assert bar(5, 10, 10) == "█" * 5
    assert bar(1, 16, 2) == "▏" and bar(2, 16, 8) == "█" and bar(3, 16, 8) == "█▌"  # to an eighth
    assert fit("安全生产", 8) == "安全生产" and fit("安全生产", 7) == "安全生…" and fit("安全生产", 6) == "安全…"
    assert all(cells(x) <= 12 for x in wrap("逾期未整改 8，待整改 5，待验收 2（其中验收逾期 2）", 12, "  "))
    assert "".join(x.strip() for x in wrap("甲，乙丙丁戊己庚辛壬癸子丑寅卯", 8, "  ")) == "甲，乙丙丁戊己庚辛壬癸子丑寅卯"


# ---------------------------------------------------------------------- report --format json

REPORTS = [("weekly", "2023-W48"), ("monthly", "2023-09"), ("quarterly", "2023Q3"), ("annual", "2023")]
ROWS = {"排查发现隐患": "found", "完成整改": "rectified", "验收销号": "closed", "期末逾期未改": "overdue",
        "提级督办": "escalated", "延期": "extended"}


@pytest.mark.parametrize(("kind", "period"), REPORTS)
def test_report_json_agrees_with_the_markdown(demo, kind, period):
    md = _run(demo, "report", kind, "--period", period, "--today", T).out
    data = _json(demo, "report", kind, "--period", period)
    assert data["kind"] == kind and data["period"]["start"] <= data["period"]["as_of"] <= data["period"]["end"]
    for label, key in ROWS.items():
        m = re.search(rf"^\| {label} \| (\S+) \| (\S+) \|$", md, re.M)
        assert m, label
        assert (int(m.group(1)), int(m.group(2))) == (data["figures"][key], data["previous_figures"][key]), label
    for row in data["overdue"] + (data["major_open"] if kind != "weekly" else []):
        assert row["id"] in md and row["level"] in ("general", "major") and isinstance(row["guarantors"], list)
    for row in data["accidents"]["list"]:
        assert f"| {row['id']} | " in md and row["grade"] in ("general", "larger", "major", "especially_major")
    a = data["accidents"]["figures"]
    if kind in ("quarterly", "annual"):
        assert f"共发生生产安全事故 {a['count']} 起，死亡 {a['deaths']} 人" in md
    e = data["enforcement"]["figures"]
    if kind in ("quarterly", "annual"):
        assert f"开展执法检查 {e['inspections']} 次" in md and f"作出行政处罚 {e['penalties']} 起" in md


@pytest.mark.parametrize(("kind", "period"), REPORTS)
def test_report_json_is_data(demo, kind, period):
    data = _json(demo, "report", kind, "--period", period)

    def walk(obj, path=""):
        if isinstance(obj, dict):
            for k, v in obj.items():
                assert re.fullmatch(r"[a-z_0-9]+", k) or path.endswith("channels"), f"{path}.{k}"
                assert not k.endswith("_text") and k != "summary", f"{path}.{k}"
                yield from walk(v, f"{path}.{k}")
        elif isinstance(obj, list):
            for x in obj:
                yield from walk(x, path + "[]")
        else:
            yield path, obj

    for path, value in walk(data):
        assert value not in ("", "—"), path
        assert not (isinstance(value, str) and str(demo) in value), path  # no machine paths
    assert set(data["provenance"]) == {"commit", "dirty", "version", "generated_at"}
    assert "documents" not in data and "prose" not in data


def test_report_json_to_a_file(demo, tmp_path):
    out = tmp_path / "q.json"
    res = _run(demo, "report", "quarterly", "--period", "2023Q3", "--today", T, "-f", "json", "-o", str(out))
    assert str(out) in res.out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["accidents"]["previous"]["count"] == {"now": 2, "before": 0, "change": 2, "pct": None}
    assert data["accidents"]["year_before"]["count"]["before"] == 1
    node = data["campaigns"][0]["nodes"][0]
    assert node["missing_units"] == ["白沙镇人民政府", "青岚县交通运输局"]
    assert node["late_units"] == [{"unit": "柳溪乡人民政府", "days": 4}]
    assert {r["listing_state"] for r in data["listed"]} == {"listed", "delisted"}
    assert data["tipoffs"]["channels"]["12350热线"] == 1


# ---------------------------------------------------------------------- remind --dry-run --show


def test_remind_show_prints_every_message_in_full(demo):
    plain = _run(demo, "remind", "--dry-run", "--today", T).out
    shown = _run(demo, "remind", "--dry-run", "--show", "--today", T).out
    messages = _run(demo, "remind", "--dry-run", "--today", T, "--format", "json").json()
    assert messages
    for m in messages:
        for line in m["body"].splitlines():
            assert line.strip() in shown, line
        assert f"[{m['channel']}] {m['recipient']}：{m['subject']}" in shown
    for item in (i for m in messages for i in m["items"]):
        assert item["text"] in shown and item["text"] not in plain
    assert plain.splitlines()[-1] == shown.splitlines()[-1]  # the same count at the end
    assert shown.count(f"[{messages[0]['channel']}] ") == plain.count(f"[{messages[0]['channel']}] ")


def test_remind_show_as_each_channel_delivers(workspace):
    from anquan_cli.models.config import Channel
    from anquan_cli.notify import Message, preview

    def msg(kind: str, **extra) -> Message:
        return Message(channel=Channel(type=kind, **extra), recipient="王明", recipient_id="P1",
                       email="wm@example.cn", phone="13800000000", subject="【提醒】王明：1 项", body="- 隐患 A")

    email = preview(msg("email", host="smtp.example.cn", sender="安委办 <a@example.cn>"))
    assert "收件人: 王明 <wm@example.cn>" in email and "主题: 【提醒】王明：1 项" in email and email.endswith("- 隐患 A")
    ding = preview(msg("dingtalk", url="https://oapi.example.cn/robot/send", mention=True))
    assert ding.startswith("### 【提醒】王明：1 项") and "@13800000000" in ding
    wecom = preview(msg("wecom", url="https://qyapi.example.cn/x", mention=True))
    assert "@ 13800000000" in wecom and "example.cn/x" not in wecom
    assert preview(msg("outbox")) == "# 【提醒】王明：1 项\n\n- 隐患 A"
    no_mail = Message(channel=Channel(type="email", host="h", sender="a@b.cn"), recipient="李", recipient_id="P2",
                      email=None, phone=None, subject="s", body="b")
    assert "没有登记邮箱" in preview(no_mail)


# ---------------------------------------------------------------------- progress


def test_no_progress_when_stderr_is_not_a_terminal(demo, tmp_path):
    # even with no delay at all: a pipe, a test or cron never sees it
    res = _run(demo, "summary", "--today", T, ANQUAN_NO_CACHE="1", ANQUAN_PROGRESS_DELAY="0")
    assert res.err == ""
    docx = tmp_path / "q.docx"
    res = _run(demo, "report", "quarterly", "--period", "2023Q3", "--today", T, "-f", "docx", "-o", str(docx),
               ANQUAN_PROGRESS_DELAY="0")
    assert "生成 DOCX" not in res.err and "━" not in res.err


def test_progress_on_a_terminal_for_a_slow_load(demo):
    res = _run(demo, "summary", "--today", T, ANQUAN_NO_CACHE="1", ANQUAN_PROGRESS="always",
               ANQUAN_PROGRESS_DELAY="0")
    assert "读取工作区" in res.err
    assert res.out.startswith("青岚县安全生产总览")  # stdout untouched


def test_progress_waits_for_its_delay():
    from anquan_cli.progress import progress

    quick, slow = io.StringIO(), io.StringIO()
    with progress("快", stream=quick, show=True, delay=5) as p:
        p.advance()
    assert quick.getvalue() == "" and not p.shown
    with progress("慢的工作", total=3, unit="个文件", stream=slow, show=True, delay=0.05) as p:
        for _ in range(3):
            time.sleep(0.15)
            p.advance()
        with progress("内层") as inner:  # nested work shows as a step of the outer one
            inner.stage("校验", total=2)
            time.sleep(0.3)
    assert p.shown and "慢的工作" in slow.getvalue() and "内层" in slow.getvalue()
    assert "3/3" in slow.getvalue()
    with progress("不是终端", stream=io.StringIO(), delay=0) as p:  # show decided from the stream
        time.sleep(0.1)
    assert not p.shown

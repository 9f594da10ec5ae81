"""挂牌督办 (issue 18): a major hazard is listed with its tracking person (seed 001 一（1）"对……重大事故
隐患，要挂牌督办，并明确跟踪督办的具体责任人"), the listing clocks count working days of the official
calendar (National Day 2023 around them), 摘牌 only after 销号, and the 挂牌督办清单 of the
command and the bulletin."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import check_json, where
from hypothesis import given
from hypothesis import strategies as st

from anquan_cli.models import Hazard
from anquan_cli.models import fast as F
from anquan_cli.models.config import ListingSettings
from anquan_cli.models.hazard import listing_text, parse_listing_cell
from anquan_cli.rules import listing as L

D = dt.date

MAJOR = """\
hazards:
  - id: M-1
    title: 甲类仓库与办公楼防火间距不足
    unit: 宏达化工有限公司
    level: 重大
    source: 专家检查
    found: 2023-09-28
    deadline: 2023-12-31
    owner: 王芳
    measures: 迁建甲类仓库
    funds: 85万元
    plan: 《专项应急预案》
    supervisor: 县应急管理局
    listing: {by: 县应急管理局, date: 2023-09-28, tracker: 李娜}
    history:
      - {date: 2023-09-28, event: 登记, by: 李娜}
"""

CLOCKS = "jurisdiction: 测试县\nlevel: 县\nsettings:\n  listing:\n    file_within: 3\n    publish_within: 5\n"


def hazard(**values) -> Hazard:
    base = {"id": "M-1", "title": "t", "unit": "宏达化工有限公司", "level": "重大", "found": "2023-09-28",
            "deadline": "2023-12-31", "listing": {"by": "县应急管理局", "date": "2023-09-28", "tracker": "李娜"}}
    return Hazard.model_validate({**base, **values})


def ws_with(workspace, text: str = MAJOR, config: str = CLOCKS, **files):
    return workspace({"anquan.yaml": config, "hazards/a.yaml": text, **files})


# ---------------------------------------------------------------------- the record


def test_the_demo_lists_every_major_hazard_with_its_tracker(cli):
    res = cli("hazards", "listed", "--all", "--today", "2023-11-30", "--format", "json")
    rows = res.json()
    assert res.code == 0 and len(rows) == 11
    assert all(r["tracker"] and r["listed_by"] and r["listed_on"] for r in rows)
    assert {r["listing_state"] for r in rows} == {"listed", "delisted"}
    csv_major = next(r for r in rows if r["id"] == "LX-2023-001")  # the GB18030 CSV ledger's cell
    assert (csv_major["listed_by"], csv_major["tracker"], csv_major["delisted"]) == ("青岚县应急管理局", "黄志明", "2023-05-11")


@pytest.mark.parametrize(("cut", "message"), [
    ("    listing: {by: 县应急管理局, date: 2023-09-28, tracker: 李娜}\n", "重大隐患 M-1 未挂牌督办"),
    ("    listing: {by: 县应急管理局, date: 2023-09-28, tracker: 李娜}\n",
     "重大隐患 M-1 的挂牌督办缺少：跟踪督办责任人"),
])
def test_a_major_hazard_without_its_listing_or_tracker_is_an_error(cli, workspace, cut, message):
    text = MAJOR.replace(cut, "") if "未挂牌" in message else MAJOR.replace(", tracker: 李娜", "")
    (p,) = check_json(cli, ws_with(workspace, text))
    assert (p["code"], p["severity"], p["message"]) == ("listing-missing", "error", message)
    assert "--tracker" in p["hint"] and "明确跟踪督办的具体责任人" in p["hint"]


def test_an_escalated_hazard_may_wait_for_its_listing(cli, workspace):
    text = MAJOR.replace("    listing: {by: 县应急管理局, date: 2023-09-28, tracker: 李娜}\n", "").replace(
        "      - {date: 2023-09-28, event: 登记, by: 李娜}\n",
        "      - {date: 2023-09-28, event: 登记, by: 李娜}\n      - {date: 2023-10-14, event: 提级, supervisor: 县政府, by: 张伟}\n")
    (p,) = check_json(cli, ws_with(workspace, text))
    assert (p["code"], p["severity"]) == ("listing-pending", "warning")


@pytest.mark.parametrize(("listing", "closed", "code", "line"), [
    ("{by: 县应急管理局, date: 2023-09-27, tracker: 李娜}", None, "listing-before-found", 14),
    ("{by: 县应急管理局, date: 2023-09-28, tracker: 李娜, filed: 2023-09-27}", None, "listing-date-order", 14),
    ("{by: 县应急管理局, date: 2023-09-28, tracker: 李娜, published: 2023-12-01}", None, "listing-in-future", 14),
    ("{by: 县应急管理局, date: 2023-09-28, tracker: 李娜, delisted: 2023-10-20}", None, "delisted-before-close", 14),
    ("{by: 县应急管理局, date: 2023-09-28, tracker: 赵六}", None, "person-unknown", 14),
])
def test_what_a_listing_may_not_say(cli, workspace, listing, closed, code, line):
    text = MAJOR.replace("{by: 县应急管理局, date: 2023-09-28, tracker: 李娜}", listing)
    problems = check_json(cli, ws_with(workspace, text))
    assert ("hazards/a.yaml", line, code) in where(problems), problems


def test_delisting_is_after_closing_to_the_day():
    closed = {"closed": "2023-11-20", "history": []}
    listing = {"by": "县应急管理局", "date": "2023-09-28", "tracker": "李娜"}
    same_day = hazard(**closed, listing={**listing, "delisted": "2023-11-20"})
    day_before = hazard(**closed, listing={**listing, "delisted": "2023-11-19"})
    assert [c for _, c, _, _ in L.listing_problems(same_day, D(2023, 11, 30))] == []
    assert [c for _, c, _, _ in L.listing_problems(day_before, D(2023, 11, 30))] == ["delisted-before-close"]


def test_a_general_hazard_with_a_listing_is_a_warning():
    h = hazard(level="一般")
    assert [(s, c) for s, c, _, _ in L.listing_problems(h, D(2023, 11, 30))] == [("warning", "listing-not-major")]


def test_the_longest_rectification_at_its_boundary():
    settings = ListingSettings(max_rectify_days=94)  # 2023-09-28 + 94 days = 2023-12-31
    assert L.listing_problems(hazard(), D(2023, 11, 30), settings) == []
    late = L.listing_problems(hazard(deadline="2024-01-01"), D(2023, 11, 30), settings)
    assert [c for _, c, _, _ in late] == ["listing-deadline-too-long"]


# ---------------------------------------------------------------------- the CSV cell


def test_a_listing_cell_in_the_ledgers_own_words():
    assert parse_listing_cell("单位=县安委会 日期=2023-06-10 跟踪=王五 文号=「青安督〔2023〕 3号」") == {
        "by": "县安委会", "date": "2023-06-10", "tracker": "王五", "number": "青安督〔2023〕 3号"}
    assert parse_listing_cell("县政府 2023/6/1") == {"by": "县政府", "date": "2023/6/1"}
    with pytest.raises(ValueError, match="不是已知的项目"):
        parse_listing_cell("颜色=红")
    with pytest.raises(ValueError, match="不知是哪一项"):
        parse_listing_cell("县政府 县安委会")


NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=8)


@given(st.fixed_dictionaries({}, optional={"by": NAMES | st.just("县 安委会；办公室"), "tracker": NAMES,
                                           "number": NAMES | st.just("青安督「2023」1号"),
                                           "date": st.dates(D(2000, 1, 1), D(2099, 12, 31))}))
def test_a_listing_cell_reads_back_as_written(values):
    got = parse_listing_cell(listing_text(values)) or {}
    want = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
    assert got == want


def test_a_clean_listing_is_validated_without_pydantic():
    raw = {"id": "M-1", "title": "t", "unit": "u", "level": "重大", "found": "2023-09-28",
           "listing": {"by": "县政府", "date": "2023-09-28", "tracker": "李娜"}}
    fast = F.hazard_values(dict(raw))
    assert fast is not None and fast["listing"]["date"] == D(2023, 9, 28)
    cell = F.hazard_values({**raw, "listing": "单位=县政府 日期=2023-09-28 跟踪=李娜"})
    assert cell is not None and cell["listing"] == fast["listing"]


# ---------------------------------------------------------------------- clocks and working days


@pytest.mark.parametrize(("start", "n", "due"), [
    (D(2023, 9, 27), 1, D(2023, 9, 28)),   # a Thursday before the holiday
    (D(2023, 9, 28), 1, D(2023, 10, 7)),   # 9-29 to 10-6 off; Saturday 10-7 is a make-up working day
    (D(2023, 9, 28), 2, D(2023, 10, 8)),   # and so is Sunday 10-8
    (D(2023, 9, 28), 3, D(2023, 10, 9)),
    (D(2023, 10, 6), 1, D(2023, 10, 7)),
    (D(2023, 10, 13), 3, D(2023, 10, 18)),  # an ordinary weekend
])
def test_working_days_around_national_day(start, n, due):
    assert L.add_workdays(start, n) == (due, [])


def test_holidays_yaml_corrects_the_calendar_and_a_year_not_covered_is_said_so():
    assert L.add_workdays(D(2023, 9, 28), 3, {D(2023, 10, 9): False})[0] == D(2023, 10, 10)
    due, notes = L.add_workdays(D(2099, 9, 28), 1)
    assert due == D(2099, 9, 29) and notes and "2099" in notes[0]


@pytest.mark.parametrize(("filed", "today", "late"), [
    (None, D(2023, 10, 9), False),            # the third working day itself: still in time
    (None, D(2023, 10, 10), True),            # the day after: late
    ("2023-10-09", D(2023, 11, 30), False),   # filed on the last day
    ("2023-10-10", D(2023, 11, 30), True),    # filed a day late
])
def test_the_filing_clock_on_both_sides_of_its_day(filed, today, late):
    listing = {"by": "县应急管理局", "date": "2023-09-28", "tracker": "李娜", "filed": filed}
    (clock,), _ = L.clocks(hazard(listing=listing), ListingSettings(file_within=3), today)
    assert (clock.code, clock.due, clock.late) == ("file", D(2023, 10, 9), late)


def test_an_escalated_hazard_counts_its_filing_from_the_escalation():
    h = hazard(found="2023-09-01", history=[{"date": "2023-09-28", "event": "提级", "by": "x"}])
    (clock,), _ = L.clocks(h, ListingSettings(file_within=3), D(2023, 10, 1))
    assert clock.due == D(2023, 10, 9)


def test_listed_lists_clocks_and_exits_for_cron(cli, workspace):
    root = ws_with(workspace)
    res = cli("hazards", "listed", "--data", str(root), "--today", "2023-10-10", "--format", "json", "--exit-code")
    (row,) = res.json()
    assert res.code == 1 and row["late"] == ["file"]  # 公布: the 5th working day after 9-28 is 10-11
    assert [(c["code"], c["due"]) for c in row["clocks"]] == [("file", "2023-10-09"), ("publish", "2023-10-11")]
    res = cli("hazards", "listed", "--data", str(root), "--today", "2023-10-09", "--format", "json", "--exit-code")
    assert res.code == 0 and res.json()[0]["late"] == []
    table = cli("hazards", "listed", "--data", str(root), "--today", "2023-10-10")
    assert "备案逾期（应 2023-10-09 前）" in table.out and "跟踪督办：李娜" in table.out
    csv = cli("hazards", "listed", "--data", str(root), "--today", "2023-10-12", "--format", "csv")
    assert csv.out.splitlines()[0].startswith("id,title,unit,") and "file、publish" in csv.out


def test_listed_as_of_a_day_before_the_listing(cli, workspace):
    text = MAJOR.replace("date: 2023-09-28, tracker", "date: 2023-10-09, tracker")
    root = ws_with(workspace, text)
    (row,) = cli("hazards", "listed", "--data", str(root), "--today", "2023-10-08", "--format", "json").json()
    assert row["listing_state"] == "unlisted" and row["tracker"] is None
    (row,) = cli("hazards", "listed", "--data", str(root), "--today", "2023-10-09", "--format", "json").json()
    assert row["listing_state"] == "listed"


# ---------------------------------------------------------------------- edits


def test_listing_delisting_and_their_refusals(cli, workspace):
    root = ws_with(workspace)
    common = ("--data", str(root), "--by", "张伟")
    path = root / "hazards/a.yaml"
    res = cli("hazards", "listing", "M-1", "--tracker", "P4", "--number", "应急督〔2023〕9号", *common, "--today", "2023-10-09")
    assert res.code == 1 and "--reason" in res.err and path.read_text(encoding="utf-8") == textwrap_dedent(MAJOR)
    res = cli("hazards", "listing", "M-1", "--tracker", "P4", "--number", "应急督〔2023〕9号", "--filed", "2023-10-09",
              "--reason", "人员调整", *common, "--today", "2023-10-09")
    assert res.code == 0, res.err
    text = path.read_text(encoding="utf-8")
    assert ("    listing: {by: 县应急管理局, date: 2023-09-28, tracker: 陈静, number: 应急督〔2023〕9号, "
            "filed: 2023-10-09}\n") in text
    assert "field: listing.tracker, value: 陈静, previous: 李娜, reason: 人员调整" in text
    before = cli("hazards", "listed", "--data", str(root), "--today", "2023-10-08", "--format", "json").json()
    assert (before[0]["tracker"], before[0]["filed"]) == ("李娜", None)  # as it stood the day before
    res = cli("hazards", "delist", "M-1", *common, "--today", "2023-10-09")
    assert res.code == 1 and "尚未销号" in res.err


def textwrap_dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text)


def test_listing_a_general_hazard_is_refused(cli, workspace):
    root = ws_with(workspace, MAJOR.replace("level: 重大", "level: 一般").replace(
        "    listing: {by: 县应急管理局, date: 2023-09-28, tracker: 李娜}\n", ""))
    res = cli("hazards", "listing", "M-1", "--tracker", "李娜", "--data", str(root), "--by", "张伟", "--today", "2023-10-09")
    assert res.code == 1 and "一般隐患" in res.err


CLOSED = MAJOR.replace("    supervisor: 县应急管理局\n", "    supervisor: 县应急管理局\n    closed: 2023-11-20\n").replace(
    "      - {date: 2023-09-28, event: 登记, by: 李娜}\n",
    "      - {date: 2023-09-28, event: 登记, by: 李娜}\n"
    "      - {date: 2023-11-18, event: 整改完成, by: 王芳}\n"
    "      - {date: 2023-11-19, event: 验收签字, party: 企业, by: 王芳}\n"
    "      - {date: 2023-11-19, event: 验收签字, party: 部门, by: 李娜}\n"
    "      - {date: 2023-11-20, event: 验收签字, party: 乡镇, by: 陈静}\n"
    "      - {date: 2023-11-20, event: 销号, by: 张伟}\n")


def test_delisting_a_closed_hazard(cli, workspace):
    root = ws_with(workspace, CLOSED)
    common = ("--data", str(root), "--by", "张伟", "--today", "2023-11-30")
    res = cli("hazards", "delist", "M-1", "--date", "2023-11-19", *common)
    assert res.code == 1 and "早于销号日期" in res.err
    assert cli("hazards", "delist", "M-1", "--date", "2023-11-21", *common).code == 0
    text = (root / "hazards/a.yaml").read_text(encoding="utf-8")
    assert "tracker: 李娜, delisted: 2023-11-21}" in text
    assert cli("hazards", "delist", "M-1", *common).code == 1  # already
    rows = cli("hazards", "listed", "--all", "--data", str(root), "--today", "2023-11-30", "--format", "json").json()
    assert rows[0]["listing_state"] == "delisted"
    assert cli("hazards", "listed", "--data", str(root), "--today", "2023-11-30", "--format", "json").json() == []
    rows = cli("hazards", "listed", "--all", "--data", str(root), "--today", "2023-11-20", "--format", "json").json()
    assert rows[0]["listing_state"] == "listed"  # 摘牌 not yet on the 20th


def test_a_block_mapping_listing_changes_only_its_own_line(cli, workspace):
    text = MAJOR.replace("    listing: {by: 县应急管理局, date: 2023-09-28, tracker: 李娜}\n",
                         "    listing:\n      by: 县应急管理局   # 挂牌单位\n      date: 2023-09-28\n      tracker: 李娜\n")
    root = ws_with(workspace, text)
    res = cli("hazards", "listing", "M-1", "--published", "2023-10-09", "--data", str(root), "--by", "张伟",
              "--today", "2023-10-09")
    assert res.code == 0, res.err
    after = (root / "hazards/a.yaml").read_text(encoding="utf-8")
    assert "      tracker: 李娜\n      published: 2023-10-09\n    history:" in after
    assert "      by: 县应急管理局   # 挂牌单位\n" in after


GB_LEDGER = ("隐患编号,隐患名称,单位名称,隐患等级,发现日期,整改期限,责任人,整改措施,整改资金,应急预案,挂牌督办,处理记录\r\n"
             "M-1,防火间距不足,宏达化工有限公司,重大,2023/9/28,2023/12/31,王芳,迁建,85万元,预案,"
             "单位=县应急管理局 日期=2023-09-28 跟踪=李娜,2023-09-28 登记 人=李娜\r\n"
             "M-2,储罐无报警,宏达化工有限公司,一般,2023/9/28,2023/10/31,王芳,,,,,\r\n")


def test_a_csv_listing_cell_is_updated_in_place(cli, workspace):
    root = workspace({"anquan.yaml": CLOCKS, "hazards/a.csv": GB_LEDGER.encode("gb18030")})
    assert check_json(cli, root) == []
    res = cli("hazards", "listing", "M-1", "--number", "应急督〔2023〕9号", "--data", str(root), "--by", "张伟",
              "--today", "2023-10-09")
    assert res.code == 0, res.err
    data = (root / "hazards/a.csv").read_bytes()
    lines = data.decode("gb18030").split("\r\n")
    assert lines[1].split(",")[10] == "单位=县应急管理局 日期=2023-09-28 跟踪=李娜 文号=应急督〔2023〕9号"
    assert lines[2] == GB_LEDGER.split("\r\n")[2]  # the other row byte for byte
    assert check_json(cli, root) == []


def test_escalate_lists_then_the_tracker_completes_it(cli, workspace):
    ledger = ("hazards:\n  - id: G-1\n    title: 边坡过陡\n    unit: 石桥石料厂\n    level: 一般\n    found: 2023-09-01\n"
              "    deadline: 2023-12-31\n    owner: 李娜\n")
    root = ws_with(workspace, ledger)
    common = ("--data", str(root), "--by", "张伟", "--today", "2023-09-20")
    assert cli("hazards", "escalate", "--apply", *common).code == 0
    (row,) = cli("hazards", "listed", "--data", str(root), "--today", "2023-09-20", "--format", "json").json()
    assert (row["listed_by"], row["listed_on"], row["tracker"]) == ("测试县人民政府", "2023-09-20", None)
    assert [p["code"] for p in check_json(cli, root) if p["code"].startswith("listing")] == ["listing-pending"]
    assert cli("hazards", "listing", "G-1", "--tracker", "李娜", *common).code == 0
    assert [p["code"] for p in check_json(cli, root) if p["code"].startswith("listing")] == []


# ---------------------------------------------------------------------- reminders, calendar, diff, bulletin


def test_reminders_and_the_calendar_carry_the_clocks(cli, workspace, tmp_path):
    root = ws_with(workspace)
    res = cli("remind", "--dry-run", "--format", "json", "--ignore-holidays", "--data", str(root), "--today", "2023-10-08")
    items = {(m["recipient"], i["kind"], i["id"]) for m in res.json() for i in m["items"]}
    assert ("李娜", "listing_due", "M-1/file") in items and ("办公室", "listing_due", "M-1/file") in items
    res = cli("remind", "--dry-run", "--format", "json", "--ignore-holidays", "--data", str(root), "--today", "2023-10-12")
    items = {(m["recipient"], i["kind"], i["id"]) for m in res.json() for i in m["items"]}
    assert {("王芳", "listing_overdue", "M-1/file"), ("王芳", "listing_overdue", "M-1/publish")} <= items
    out = tmp_path / "d.ics"
    assert cli("calendar", "export", "-o", str(out), "--data", str(root), "--today", "2023-10-01").code == 0
    ics = out.read_text(encoding="utf-8")
    assert "挂牌督办备案" in ics and "DTSTART;VALUE=DATE:20231009" in ics


def test_a_major_hazard_not_listed_is_reminded_every_day(cli, workspace):
    text = MAJOR.replace("    listing: {by: 县应急管理局, date: 2023-09-28, tracker: 李娜}\n", "")
    root = ws_with(workspace, text)
    res = cli("remind", "--dry-run", "--format", "json", "--ignore-holidays", "--data", str(root), "--today", "2023-11-30")
    kinds = {(m["recipient"], i["kind"]) for m in res.json() for i in m["items"]}
    assert ("办公室", "listing_missing") in kinds and ("王芳", "listing_missing") in kinds


def test_the_bulletin_lists_each_listed_hazard_with_its_tracker(cli, workspace):
    root = ws_with(workspace, CLOSED.replace("tracker: 李娜}", "tracker: 李娜, number: 应急督〔2023〕9号, delisted: 2023-11-21}"))
    res = cli("report", "quarterly", "--period", "2023Q4", "--data", str(root), "--today", "2023-12-31", "--format", "md")
    assert res.code == 0, res.err
    part = res.out[res.out.index("**（二）重大隐患挂牌督办清单**"):res.out.index("## 五、")]
    assert ("| M-1 | 甲类仓库与办公楼防火间距不足 | 宏达化工有限公司 | 县应急管理局 | 2023-09-28 | 应急督〔2023〕9号 | 李娜 "
            "| 2023-12-31 | 已销号 | 2023-11-21 |") in part
    res = cli("report", "quarterly", "--period", "2024Q1", "--data", str(root), "--today", "2024-03-31", "--format", "md")
    assert "本期没有挂牌督办的重大隐患。" in res.out  # delisted before the quarter began


def test_the_diff_names_the_listing(cli, workspace):
    import subprocess

    root = ws_with(workspace, MAJOR.replace("    listing: {by: 县应急管理局, date: 2023-09-28, tracker: 李娜}\n", ""))
    git = ("git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t")
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "a"], check=True)
    assert cli("hazards", "listing", "M-1", "--listed-by", "县应急管理局", "--listed-on", "2023-09-28", "--tracker", "李娜",
               "--data", str(root), "--by", "张伟", "--today", "2023-10-09").code == 0
    res = cli("diff", "HEAD", "--data", str(root), "--format", "json")
    assert res.code in (0, 1), res.err
    events = [e for rc in res.json() for e in rc["events"]]
    assert {"code": "listed", "text": "挂牌督办（县应急管理局 2023-09-28，跟踪督办：李娜）"} in events


def test_holidays_yaml_that_cannot_be_read_stops_listed(cli, workspace):
    root = ws_with(workspace, **{"holidays.yaml": "holidays: 2023-10-09\n"})
    res = cli("hazards", "listed", "--data", str(root), "--today", "2023-10-10")
    assert res.code == 2 and "holidays.yaml" in res.err
    root = ws_with(workspace, **{"holidays.yaml": "holidays: [2023-10-09]\n"})
    (row,) = cli("hazards", "listed", "--data", str(root), "--today", "2023-10-10", "--format", "json").json()
    assert row["clocks"][0]["due"] == "2023-10-10"  # the workspace's own day off


def test_json_keys_are_stable(cli, workspace):
    (row,) = cli("hazards", "listed", "--data", str(ws_with(workspace)), "--today", "2023-10-09", "--format", "json").json()
    assert list(row) == ["id", "title", "unit", "township", "sector", "found", "deadline", "status", "status_label",
                         "listing_state", "listing_state_label", "listed_by", "listed_on", "tracker", "number", "filed",
                         "published", "delisted", "clocks", "late", "file", "line"]
    json.dumps(row)

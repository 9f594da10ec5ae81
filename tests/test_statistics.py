"""``anquan report statistics``: the 隐患排查治理情况统计分析表 of 16号令第十四条 — its figures agree with the
quarterly bulletin and the hazard listing, its boundaries, the workbook's print setup and merged
headers, the DOCX, and the two statutory deadlines in ``anquan remind``."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter

import pytest
from conftest import DEMO, run_cli

from anquan_cli.rules.periods import parse_period

T1 = "2023-11-30"


@pytest.fixture(scope="module")
def demo_ws():
    from anquan_cli.workspace import load_workspace

    ws, _ = load_workspace(DEMO)
    return ws


def _stats(ws, period: str, today: str = T1):
    from anquan_cli.rules.lookup import Directory
    from anquan_cli.rules.statistics import statistics

    return statistics(ws.hazards, parse_period(period), dt.date.fromisoformat(today), Directory.for_workspace(ws))


# -------------------------------------------------------------------- the figures


def _bulletin_rows(md: str) -> dict[str, str]:
    """The 总体情况 table of a report's Markdown: indicator → this period's figure."""
    rows = {}
    for line in md.split("## 二、总体情况")[1].split("##")[0].splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("指标", "---"):
            rows[re.sub(r"（.*）", "", cells[0])] = cells[1]
    return rows


@pytest.mark.parametrize("kind, period", [("quarterly", "2023Q3"), ("quarterly", "2023Q2"), ("annual", "2023")])
def test_totals_agree_with_the_report(demo_ws, kind, period):
    res = run_cli("report", kind, "--period", period, "--today", T1, "--data", str(DEMO))
    assert res.code == 0, res.err
    if kind == "quarterly":
        bulletin = _bulletin_rows(res.out)
        s = _stats(demo_ws, period)
        t = s.total
        assert str(t.found) == bulletin["排查发现隐患"]
        assert t.as_json()["rate_text"] == bulletin["整改率"]
        assert str(t.backlog_overdue) == bulletin["期末逾期未改"]
    # and against the report's own context, level by level and sector by sector
    from anquan_cli.rules.report import build_context

    w = parse_period(period)
    ctx = build_context(demo_ws, kind, w, dt.date.fromisoformat(T1), {})
    s = _stats(demo_ws, period)
    f = ctx["figures"]
    assert (s.total.found, s.total.backlog_overdue) == (f["found"], f["overdue"])
    assert s.total.rate == pytest.approx(f["rate"])
    levels = {r["name"]: r["found"] for r in ctx["by_level"]}
    assert (s.total.found_general, s.total.found_major) == (levels.get("一般", 0), levels.get("重大", 0))
    assert {r.name: r.found for r in s.sectors if r.found} == {r["name"]: r["found"] for r in ctx["by_sector"] if r["found"]}
    assert {r.name: r.backlog_overdue for r in s.sectors if r.backlog_overdue} == \
        {r["name"]: r["overdue"] for r in ctx["by_sector"] if r["overdue"]}
    # the rows add up to the total, and every figure of a row is consistent
    for rows in (s.units, s.sectors):
        for name in ("found_general", "found_major", "fixed_general", "fixed_major", "unfixed", "backlog", "majors"):
            assert sum(getattr(r, name) for r in rows) == getattr(s.total, name), name
    for r in [*s.units, *s.sectors, s.total]:
        assert r.found == r.fixed + r.unfixed and r.unfixed_overdue <= r.unfixed and r.backlog_overdue <= r.backlog
        assert r.majors_complete <= r.majors and r.majors_listed <= r.majors


def test_found_counts_agree_with_hazards_list(demo_ws):
    """What ``hazards list`` shows of the quarter, as the ledger stood on its last day."""
    res = run_cli("hazards", "list", "--found-from", "2023-07-01", "--found-to", "2023-09-30", "--today", "2023-09-30",
                  "-f", "json", "--data", str(DEMO))
    assert res.code == 0, res.err
    listed = res.json()
    s = _stats(demo_ws, "2023Q3")
    levels = Counter(h["level_label"] for h in listed)
    assert (s.total.found_general, s.total.found_major) == (levels["一般"], levels["重大"])
    assert {r.name: r.found for r in s.units if r.found} == dict(Counter(h["unit"] for h in listed))
    overdue = run_cli("hazards", "list", "--overdue", "--today", "2023-09-30", "-f", "json", "--data", str(DEMO)).json()
    assert s.total.backlog_overdue == len(overdue)


BOUNDARY = """\
hazards:
  - {id: H-1, title: 最后一天发现, unit: 宏达化工有限公司, level: 一般, found: 2023-09-30, deadline: 2023-10-30}
  - {id: H-2, title: 下季第一天发现, unit: 宏达化工有限公司, level: 一般, found: 2023-10-01, deadline: 2023-10-30}
  - id: H-3
    title: 最后一天整改
    unit: 石桥石料厂
    level: 一般
    found: 2023-09-01
    deadline: 2023-09-20
    history: [{date: 2023-09-30, event: 整改完成, by: 王芳}]
  - id: H-4
    title: 下季第一天整改
    unit: 石桥石料厂
    level: 一般
    found: 2023-09-01
    deadline: 2023-09-20
    history: [{date: 2023-10-01, event: 整改完成, by: 王芳}]
  - id: H-5
    title: 储罐区防火堤破损
    unit: 宏达化工有限公司
    level: 重大
    found: 2023-06-10
    deadline: 2023-12-31
    owner: 王芳
    measures: 修复防火堤
    funds: 12万元（企业自筹）
    plan: 《储罐区火灾专项预案》
    listing: {by: 县应急管理局, date: 2023-06-11, tracker: 李娜}
  - {id: H-6, title: 期初已销号, unit: 宏达化工有限公司, level: 重大, found: 2023-05-01, deadline: 2023-06-01,
     funds: 企业自筹, closed: 2023-06-30}
  - {id: H-7, title: 资金只写来源, unit: 宏达化工有限公司, level: 重大, found: 2023-08-01, deadline: 2023-08-10,
     owner: 王芳, funds: 企业自筹}
"""


@pytest.fixture
def boundary(workspace):
    return workspace({"hazards/h.yaml": BOUNDARY})


def test_boundaries_on_both_sides(boundary):
    from anquan_cli.workspace import load_workspace

    ws, _ = load_workspace(boundary)
    q3, q4 = _stats(ws, "2023Q3"), _stats(ws, "2023Q4", "2023-12-31")
    t = q3.total
    # found on the quarter's last day counts, the day after does not (it is the next quarter's)
    ids = {r.name: r for r in q3.units}
    assert (t.found_general, t.found_major) == (3, 1) and q4.total.found_general == 1
    # rectified on the last day: 已整改; the day after: 未整改 (and overdue) at the quarter's end
    assert t.fixed_general == 1
    assert (t.unfixed, t.unfixed_overdue) == (3, 2)  # H-1 not due yet; H-4 and H-7 overdue on 09-30
    assert ids["石桥石料厂"].fixed_general == 1 and ids["石桥石料厂"].unfixed_overdue == 1
    assert (t.backlog, t.backlog_overdue) == (4, 2)  # H-1, H-4, H-5 (found before) and H-7 not rectified on 09-30
    # major hazards in treatment: H-5 (found before, open) and H-7 (found in the quarter); H-6 closed before it
    assert (t.majors, t.majors_complete, t.majors_listed) == (2, 1, 1)
    assert t.missing == Counter({"measures": 1, "plan": 1})
    assert (t.funds, t.funds_counted, t.funds_unread) == (12.0, 1, 1)
    assert [m.id for m in q3.majors] == ["H-5", "H-7"]
    # a period still running: as of today
    running = _stats(ws, "2023Q4", "2023-10-01")
    assert running.as_of == dt.date(2023, 10, 1) and not running.complete and running.total.found == 1


def test_funds_amounts():
    from anquan_cli.rules.statistics import funds_amount

    assert funds_amount("36万元（县财政、企业各半）") == 36
    assert funds_amount("5000元") == 0.5
    assert funds_amount("１.２万元") == 1.2
    assert funds_amount("企业自筹") is None and funds_amount(None) is None


@pytest.mark.parametrize("text, label", [("2023Q3", "2023年第三季度"), ("2023年第四季度", "2023年第四季度"), ("2023", "2023年")])
def test_periods_and_due_dates(text, label):
    from anquan_cli.rules.statistics import due_date, parse_statistics_period

    w = parse_statistics_period(text, dt.date(2023, 11, 30))
    assert w.label == label
    assert due_date(w) == {"2023Q3": dt.date(2023, 10, 15), "2023年第四季度": dt.date(2024, 1, 15),
                           "2023": dt.date(2024, 1, 31)}[text]


def test_default_period_is_the_last_quarter_ended():
    from anquan_cli.rules.statistics import parse_statistics_period

    assert parse_statistics_period(None, dt.date(2023, 11, 30)).label == "2023年第三季度"
    assert parse_statistics_period(None, dt.date(2024, 1, 5)).label == "2023年第四季度"


@pytest.mark.parametrize("period, words", [("2023Q5", "无法识别的时段“2023Q5”"), ("2023-07", "不是季度或年度"),
                                           ("2023H2", "不是季度或年度"), ("1800", "年份不在")])
def test_a_period_that_is_not_a_quarter_or_a_year(period, words):
    res = run_cli("report", "statistics", "--period", period, "--today", T1, "--data", str(DEMO))
    assert res.code == 2
    assert words in res.err and "2023Q3" in res.err and "Traceback" not in res.err


def test_xlsx_only_for_statistics():
    res = run_cli("report", "quarterly", "--period", "2023Q3", "-f", "xlsx", "--today", T1, "--data", str(DEMO))
    assert res.code == 2 and "xlsx 只用于 statistics" in res.err


# -------------------------------------------------------------------- the outputs


def test_markdown_on_the_screen():
    res = run_cli("report", "statistics", "--period", "2023Q3", "--today", T1, "--data", str(DEMO))
    assert res.code == 0, res.err
    out = res.out
    assert out.startswith("# 青岚县2023年第三季度隐患排查治理情况统计分析表\n")
    assert "填报单位：青岚县安全生产委员会办公室" in out and "统计时段：2023年7月1日至2023年9月30日" in out
    assert "| 合计 | — | — | 10 | 8 | 2 | 8 | 7 | 1 | 80.0% | 2 | 1 | 4 | 2 |" in out
    assert "本表应于2023年10月15日前报送" in out and "第16号）第十四条" in out
    assert "单位主要负责人（签字）" in out and "报送日期" in out


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "q3.xlsx"
    res = run_cli("report", "statistics", "--period", "2023Q3", "--today", T1, "-o", str(out), "--data", str(DEMO))
    assert res.code == 0 and f"已生成：{out}" in res.out, res.err
    return out


def test_xlsx_print_setup_in_the_sheet_xml(workbook):
    with zipfile.ZipFile(workbook) as z:
        sheets = sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        book = z.read("xl/workbook.xml").decode("utf-8")
        strings = z.read("xl/sharedStrings.xml").decode("utf-8")
        assert len(sheets) == 3
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            setup = re.search(r"<pageSetup [^>]*/>", xml).group(0)
            assert 'orientation="landscape"' in setup and 'paperSize="9"' in setup  # A4 landscape
            # fit to one page wide (fitToWidth="1" is the default, so not written), as many pages tall as need be
            assert '<pageSetUpPr fitToPage="1"/>' in xml and 'fitToHeight="0"' in setup
            assert "fitToWidth" not in setup or 'fitToWidth="1"' in setup
            assert '<printOptions horizontalCentered="1"/>' in xml
    # the two header rows repeat on every printed page, and each sheet has its print area
    assert book.count("_xlnm.Print_Titles") == 3 and "$3:$4" in book
    assert book.count("_xlnm.Print_Area") == 3
    assert "单位主要负责人（签字）" in strings and "填表人" in strings and "联系电话" in strings and "报送日期" in strings
    assert "青岚县2023年第三季度隐患排查治理情况统计分析表" in strings


def test_xlsx_merged_headers_and_total(workbook):
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    ws = wb["按单位"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == "青岚县2023年第三季度隐患排查治理情况统计分析表" and "A1:S1" in merged
    assert ws["A2"].value.startswith("填报单位：") and "统计时段" in ws["G2"].value and "填报日期" in ws["M2"].value
    # single columns merged down both header rows; groups across their columns
    assert {"A3:A4", "B3:B4", "E3:G3", "H3:J3", "K3:K4", "L3:M3", "N3:O3", "P3:R3", "S3:S4"} <= merged
    assert [ws.cell(3, c).value for c in (1, 2, 5, 8, 11, 12, 14, 16, 19)] == [
        "序号", "单位名称", "排查发现隐患", "已整改", "整改率", "本期未整改", "期末未整改", "在治重大隐患", "治理资金（万元）"]
    assert [ws.cell(4, c).value for c in range(5, 11)] == ["合计", "一般", "重大", "合计", "一般", "重大"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    total = next(r for r in rows if r[0] == "合计")
    assert total[4:10] == (10, 8, 2, 8, 7, 1) and total[10] == pytest.approx(0.8) and total[18] == pytest.approx(189.5)
    assert ws.cell(rows.index(total) + 5, 11).number_format == "0.0%"
    assert any(r[0] and str(r[0]).startswith("单位主要负责人（签字）：") for r in rows)
    assert ws.freeze_panes == "A5"
    assert wb["按行业领域"]["B3"].value == "行业领域" and wb["重大隐患五落实"]["F3"].value == "“五落实”"


def test_docx_title_tables_and_signature(tmp_path, monkeypatch):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Pt

    monkeypatch.chdir(tmp_path)
    res = run_cli("report", "statistics", "--period", "2023Q3", "--today", T1, "-f", "docx", "--data", str(DEMO))
    assert res.code == 0, res.err
    path = tmp_path / "青岚县隐患排查治理情况统计分析表-2023年第三季度.docx"
    d = docx.Document(str(path))
    portrait, landscape = d.sections
    mm = [round(x / 36000, 1) for x in (portrait.top_margin, portrait.bottom_margin, portrait.left_margin,
                                         portrait.right_margin, portrait.page_width, portrait.page_height)]
    assert mm == [37.0, 35.0, 28.0, 26.0, 210.0, 297.0]
    assert landscape.orientation is WD_ORIENT.LANDSCAPE and landscape.page_width > landscape.page_height
    # the 公文 frame heads it (tests/test_gongwen.py checks it for every kind); the title in two lines below
    assert d.paragraphs[0].text == "青岚县安全生产委员会办公室文件"
    title = next(p for p in d.paragraphs if p.text.startswith("青岚县2023年第三季度"))
    assert title.text == "青岚县2023年第三季度\n隐患排查治理情况统计分析表"
    assert {r.font.size for r in title.runs} == {Pt(22)}
    assert {r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in title.runs} == {"方正小标宋简体"}
    body = next(p for p in d.paragraphs if p.text.startswith("2023年7月1日至2023年9月30日"))
    assert "排查发现事故隐患10项" in body.text and "整改率80.0%" in body.text
    assert body.runs[0].font.size == Pt(16) and body.paragraph_format.line_spacing == Pt(28)
    assert body.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    units, sectors, majors = d.tables
    head = [c.text for c in units.rows[0].cells]
    assert head[:4] == ["序号", "单位名称", "行业领域", "排查发现隐患"] and head[4] == head[5] == "排查发现隐患"  # merged
    assert [c.text for c in units.rows[1].cells][3:6] == ["合计", "一般", "重大"]
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is not None for r in units.rows[:2])
    total = [c.text for c in units.rows[-1].cells]
    assert total[0] == total[2] == "合计" and total[3:9] == ["10", "8", "2", "8", "7", "1"] and total[9] == "80.0%"
    cell_run = units.rows[2].cells[1].paragraphs[0].runs[0]
    # 四号 unless the table's whole texts need 五号 or 小五 to fit (gongwen.fit_tables)
    assert cell_run.font.size in (Pt(12), Pt(10.5), Pt(9))
    assert [c.text for c in sectors.rows[-1].cells][2:4] == ["10", "8"]
    assert [r.cells[1].text.split()[0] for r in majors.rows[2:]] == [
        "SQ-2023-002", "SQ-2023-004", "CG-2023-004", "SQ-2023-006", "BS-2023-007"]
    texts = [p.text for p in d.paragraphs]
    assert any(t.startswith("单位主要负责人（签字）：") and "填表人：" in t for t in texts)
    assert any(t.startswith("联系电话：") and "报送日期：" in t for t in texts)
    assert any("第16号）第十四条" in t and "2023年10月15日前报送" in t for t in texts)
    assert "PAGE" in portrait.footer._element.xml


def test_an_empty_period_is_still_a_form(workspace, tmp_path):
    import docx
    import openpyxl

    root = workspace({"hazards/h.yaml": "hazards: []\n"})
    for ext in ("xlsx", "docx"):
        out = tmp_path / f"s.{ext}"
        res = run_cli("report", "statistics", "--period", "2023", "--today", T1, "-o", str(out), "--data", str(root))
        assert res.code == 0, res.err
    assert "本期无。" in [c.value for row in openpyxl.load_workbook(tmp_path / "s.xlsx")["按单位"].iter_rows() for c in row]
    assert "本期无。" in [c.text for t in docx.Document(str(tmp_path / "s.docx")).tables for c in t.rows[2].cells]


# -------------------------------------------------------------------- remind


def _office_items(day: str) -> list[dict]:
    res = run_cli("remind", "--data", str(DEMO), "--today", day, "--dry-run", "--format", "json", "--channel", "stdout",
                  "--ignore-holidays")
    assert res.code == 0, res.err
    office = next(m for m in res.json() if m["recipient_id"] == "office")
    return [i for i in office["items"] if i["kind"] == "statistics_due"]


def test_remind_lists_the_quarterly_deadline_until_its_day():
    [item] = _office_items("2023-10-10")
    assert (item["id"], item["due"], item["days"]) == ("statistics:2023Q3", "2023-10-15", 5)
    assert "2023年第三季度隐患排查治理情况统计分析表应于 2023-10-15 前报送" in item["text"]
    assert "16号令第十四条" in item["text"] and "还有 5 天" in item["text"]
    assert _office_items("2023-10-15")[0]["days"] == 0
    # after the day it is no longer listed (as a reporting node: nothing records that the form went out)
    assert _office_items("2023-10-16") == []
    assert _office_items("2023-09-30") == []  # the quarter has not ended


def test_remind_in_january_lists_the_fourth_quarter_and_the_year():
    items = _office_items("2024-01-10")
    assert [(i["id"], i["due"]) for i in items] == [("statistics:2023Q4", "2024-01-15"), ("statistics:2023", "2024-01-31")]
    assert [(i["id"], i["days"]) for i in _office_items("2024-01-31")] == [("statistics:2023", 0)]
    assert _office_items("2024-02-01") == []


def test_the_form_s_figures_as_json_agree_with_the_workbook_s_total():
    res = run_cli("report", "statistics", "--period", "2023Q3", "--today", T1, "-f", "json", "--data", str(DEMO))
    assert res.code == 0, res.err
    got = res.json()
    assert got["period"]["code"] == "2023Q3" and got["due"] == "2023-10-15"
    assert len(got["units"]) == 10 and got["total"]["found"] == 10

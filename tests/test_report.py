"""``anquan report``: figures checked against an independent count, safe Markdown, overridable
sandboxed templates, and an official-format DOCX opened with python-docx."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from conftest import DEMO
from hypothesis import given, settings
from hypothesis import strategies as st

from anquan_cli.models import EventKind

Q3 = (dt.date(2023, 7, 1), dt.date(2023, 9, 30))
Q2 = (dt.date(2023, 4, 1), dt.date(2023, 6, 30))


def independent(hazards, start, end):
    """The headline figures counted straight from the records, as a clerk would."""
    def inside(d):
        return d is not None and start <= d <= end

    def fixed(h):
        dates = [e.date for e in h.history if e.event is EventKind.RECTIFIED]
        return min(dates) if dates else h.closed

    found = [h for h in hazards if inside(h.found)]
    return {
        "found": len(found),
        "rectified": sum(1 for h in hazards if inside(fixed(h))),
        "closed": sum(1 for h in hazards if inside(h.closed)),
        "overdue": sum(1 for h in hazards if h.found <= end and (h.closed is None or h.closed > end)
                       and h.deadline and end > h.deadline
                       and not any(e.event is EventKind.RECTIFIED and e.date <= end for e in h.history)),
        "escalated": sum(1 for h in hazards for e in h.history if e.event is EventKind.ESCALATED and inside(e.date)),
        "rate": sum(1 for h in found if fixed(h) and fixed(h) <= end) / len(found),
        "closed_late": sum(1 for h in hazards if inside(h.closed) and h.closed > h.deadline),
        "awaiting": sum(1 for h in hazards if h.found <= end and (h.closed is None or h.closed > end)
                        and any(e.event is EventKind.RECTIFIED and e.date <= end for e in h.history)),
    }


@pytest.fixture(scope="module")
def demo_ws():
    from anquan_cli.workspace import load_workspace

    ws, _ = load_workspace(DEMO)
    return ws


@pytest.mark.parametrize("window", [Q3, Q2])
def test_headline_figures_match_an_independent_count(demo_ws, window):
    from anquan_cli.rules.periods import Window
    from anquan_cli.rules.report import figures

    f = figures(demo_ws.hazards, Window(*window, "q"), dt.date(2023, 11, 30))
    exp = independent(demo_ws.hazards, *window)
    assert (f.found, f.rectified, f.closed, f.overdue, f.escalated) == (
        exp["found"], exp["rectified"], exp["closed"], exp["overdue"], exp["escalated"])
    assert f.rate == pytest.approx(exp["rate"])
    assert (f.closed_late, f.awaiting) == (exp["closed_late"], exp["awaiting"])
    assert f.closed_on_time == f.closed - f.closed_late


def test_quarterly_markdown(cli):
    res = cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0
    md = res.out
    assert md.startswith("# 青岚县安全生产2023年第三季度通报\n")
    headings = ["## 一、事故情况", "## 二、总体情况", "## 三、隐患分布", "## 四、未销号的重大隐患（挂牌督办）",
                "## 五、逾期未整改隐患", "## 六、重点任务推进情况", "## 七、领导干部和企业主要负责人履职情况",
                "## 八、包保责任盲区"]
    assert [md.index(h) for h in headings] == sorted(md.index(h) for h in headings)
    # the demo's 2023Q3: SG-2023-002 (较大, 3 dead) and SG-2023-003 (一般, 1 dead)
    assert "本季度共发生生产安全事故 2 起，死亡 4 人" in md and "其中一般事故 1 起、较大事故 1 起" in md
    assert "| 排查发现隐患 | 10 | 12 |" in md and "| 整改率（本期发现的隐患中已整改的比例） | 80.0% | 75.0% |" in md
    overdue = md.split("## 五、逾期未整改隐患")[1].split("## 六")[0]
    # BS-2023-006 (rectified 08-24 before its 08-25 deadline) and CG-2023-007 wait for sign-offs:
    # 待验收, not 逾期未改
    assert [ln.split(" | ")[0][2:] for ln in overdue.splitlines() if ln.startswith("| ") and "-2023-" in ln] == [
        "SQ-2023-004", "LX-2023-005"]
    assert "行业领域“涉农企业”没有包保领导" in md
    assert "> 数据来源：" in md and "生成日期 2023-11-30" in md
    assert_tables_are_valid(md)


def assert_tables_are_valid(md: str) -> None:
    """Every row of every pipe table has as many cells as its header."""
    table: list[str] = []
    for line in md.splitlines() + [""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            widths = {len(re.split(r"(?<!\\)\|", row)) for row in table}
            assert len(widths) == 1, table
            table = []


@pytest.mark.parametrize("kind, period, first", [
    ("weekly", "2023-W47", "# 青岚县安全生产周调度（2023年第47周）"),
    ("monthly", "2023-08", "# 青岚县安全生产2023年8月工作小结"),
    ("annual", "2023", "# 青岚县2023年安全生产工作总结"),
])
def test_other_reports(cli, kind, period, first):
    res = cli("report", kind, "--period", period, "--today", "2023-11-30", "--data", str(DEMO))
    assert res.code == 0 and res.out.startswith(first + "\n")
    assert_tables_are_valid(res.out)
    if kind == "weekly":
        assert "**新发现**" in res.out and "BS-2023-009" in res.out and "## 二、下周到期（2023-11-27 至 2023-12-03）" in res.out
    if kind == "annual":
        trend = [ln for ln in res.out.splitlines() if re.match(r"\| \d+月 \|", ln)]
        assert len(trend) == 11  # January to November: December has not begun


HOSTILE = """\
- id: H-1
  title: "罐区|阀门 *泄漏* <b>危险</b> {{ 7*7 }} [链接](x)"
  description: "第一行\\n第二行"
  unit: 宏达化工有限公司
  level: 一般
  found: 2023-07-03
  deadline: 2023-07-10
  owner: 王芳
"""


def test_record_text_is_data_not_markup(cli, workspace):
    root = workspace({"hazards/a.yaml": HOSTILE})
    md = cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(root)).out
    row = next(ln for ln in md.splitlines() if ln.startswith("| H-1 |"))
    assert r"罐区\|阀门 \*泄漏\* &lt;b&gt;危险&lt;/b&gt; {{ 7\*7 }} \[链接\](x)" in row
    assert "49" not in row
    assert_tables_are_valid(md)


def test_workspace_template_overrides_file_by_file(cli, workspace):
    root = workspace({"templates/report-quarterly.md.j2": (
        '{% import "_blocks.md.j2" as b %}\n# 本镇季报：{{ jurisdiction | text }} {{ period.label }}\n\n'
        '{{ b.headline(figures, previous_figures, "本季", "上季") }}\n')})
    res = cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(root))
    assert res.code == 0 and res.out.startswith("# 本镇季报：测试县 2023年第三季度\n")
    assert "| 排查发现隐患 | 0 | 0 |" in res.out  # the shipped blocks still serve


@pytest.mark.parametrize("body, message", [
    ("{{ jurisdictoin }}", "jurisdictoin"),
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ("{% for x in %}", "第 1 行"),
])
def test_template_mistakes_are_reported(cli, workspace, body, message):
    root = workspace({"templates/report-monthly.md.j2": body})
    res = cli("report", "monthly", "--period", "2023-08", "--data", str(root))
    assert res.code == 2 and "报告模板" in res.err and message in res.err
    assert "Traceback" not in res.err


def test_output_file_and_provenance_in_git(cli, workspace, tmp_path):
    root = workspace({"hazards/a.yaml": HOSTILE})
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "PATH": __import__("os").environ["PATH"]}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "data"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                            text=True, check=True).stdout.strip()
    out = tmp_path / "q.md"
    res = cli("report", "quarterly", "--period", "2023Q3", "--data", str(root), "-o", str(out))
    assert res.code == 0 and out.is_file()
    assert f"git 提交 {commit}；" in out.read_text(encoding="utf-8")
    (root / "hazards/a.yaml").write_text(HOSTILE + "# edited\n", encoding="utf-8")
    md = cli("report", "quarterly", "--period", "2023Q3", "--data", str(root)).out
    assert f"git 提交 {commit}（有未提交的修改）" in md


def test_not_a_git_repository(cli, workspace):
    md = cli("report", "quarterly", "--period", "2023Q3", "--data", str(workspace())).out
    assert "不是 git 仓库" in md


# ---------------------------------------------------------------- DOCX


@pytest.fixture(scope="module")
def quarterly_docx(tmp_path_factory):
    from conftest import run_cli

    out = tmp_path_factory.mktemp("docx") / "q3.docx"
    res = run_cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--format", "docx",
                  "-o", str(out), "--data", str(DEMO))
    assert res.code == 0, res.err
    import docx

    return docx.Document(str(out))


def _mm(length) -> float:
    return round(length / 36000, 1)


def test_docx_page_and_margins(quarterly_docx):
    s = quarterly_docx.sections[0]
    assert (_mm(s.page_width), _mm(s.page_height)) == (210.0, 297.0)
    assert (_mm(s.top_margin), _mm(s.bottom_margin), _mm(s.left_margin), _mm(s.right_margin)) == (37.0, 35.0, 28.0, 26.0)


def _east_asia(run) -> str | None:
    from docx.oxml.ns import qn

    rpr = run._r.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_docx_fonts_are_set_for_east_asian_text(quarterly_docx):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraphs = [p for p in quarterly_docx.paragraphs if p.text.strip()]
    title = next(p for p in paragraphs if p.text == "青岚县安全生产2023年第三季度通报")
    assert {_east_asia(r) for r in title.runs} == {"方正小标宋简体"} and title.runs[0].font.size == Pt(22)
    body = next(p for p in paragraphs if p.text.startswith("2023年7月1日至2023年9月30日"))
    assert "排查发现事故隐患10项" in body.text
    assert {_east_asia(r) for r in body.runs} == {"仿宋_GB2312"} and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.line_spacing == Pt(28)
    headings = {p.text: {_east_asia(r) for r in p.runs} for p in paragraphs if p.text.startswith(("一、", "（一）"))}
    assert headings == {"一、事故情况": {"黑体"}, "（一）与上期、上年同期比较": {"楷体_GB2312"},
                        "（一）按行业领域": {"楷体_GB2312"}, "（一）未销号的重大隐患“五落实”情况": {"楷体_GB2312"},
                        "（一）领导干部": {"楷体_GB2312"},
                        "（一）执法处罚量化评比": {"楷体_GB2312"}}
    overall = next(p for p in paragraphs if p.text == "二、总体情况")
    assert {_east_asia(r) for r in overall.runs} == {"黑体"}
    every = [r for p in quarterly_docx.paragraphs for r in p.runs if r.text.strip()]
    every += [r for t in quarterly_docx.tables for row in t.rows for c in row.cells
              for p in c.paragraphs for r in p.runs if r.text.strip()]
    assert every and all(_east_asia(r) for r in every)
    normal = quarterly_docx.styles["Normal"].element.rPr
    lang = normal.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_docx_tables_repeat_their_header_rows(quarterly_docx):
    from docx.oxml.ns import qn

    tables = quarterly_docx.tables
    firsts = [t.rows[0].cells[0].text for t in tables]
    assert firsts == ["指标", "编号", "指标", "行业领域", "乡镇", "编号", "编号", "编号", "措施", "履职人", "履职人", "名次",
                      "问题", "阶段", "报送节点", "编号", "等级", "问题", "监管等级", "企业"]
    # 事故情况: the figures against the quarter before and the same quarter of 2022, then each accident
    accidents = tables[0]
    assert [c.text for c in accidents.rows[0].cells] == ["指标", "本期", "2023年第二季度（环比）", "2022年同期（同比）"]
    assert [c.text for c in accidents.rows[1].cells] == ["事故起数", "2", "0（增加2起）", "1（增加1起，100%）"]
    assert [r.cells[0].text for r in tables[1].rows[1:]] == ["SG-2023-002", "SG-2023-003"]
    headline = tables[2]
    assert [c.text for c in headline.rows[0].cells] == ["指标", "2023年第三季度", "2023年第二季度"]
    assert [c.text for c in headline.rows[1].cells] == ["排查发现隐患", "10", "12"]
    for t in tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    overdue = next(t for t in tables if "逾期天数" in [c.text for c in t.rows[0].cells])
    assert [r.cells[0].text for r in overdue.rows[1:]] == ["SQ-2023-004", "LX-2023-005"]


def test_docx_has_a_chart_and_page_numbers(quarterly_docx):
    assert len(quarterly_docx.inline_shapes) == 2  # sectors, and the spread of risks
    footer = quarterly_docx.sections[0].footer._element.xml
    assert "PAGE" in footer and "— " in footer
    assert "PAGE" in quarterly_docx.sections[0].even_page_footer._element.xml
    texts = [p.text for p in quarterly_docx.paragraphs]
    assert "青岚县安全生产委员会办公室" in texts and "2023年11月30日" in texts


def test_docx_default_name_and_hostile_text(cli, workspace, monkeypatch, tmp_path):
    import docx

    root = workspace({"hazards/a.yaml": HOSTILE.replace("{{ 7*7 }}", "{{ 7*7 }} & AT&T")})
    monkeypatch.chdir(tmp_path)
    res = cli("report", "annual", "--period", "2023", "--today", "2023-11-30", "-f", "docx", "--data", str(root))
    assert res.code == 0 and "测试县年度总结-2023年.docx" in res.out
    d = docx.Document(str(tmp_path / "测试县年度总结-2023年.docx"))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "罐区|阀门 *泄漏* <b>危险</b> {{ 7*7 }} & AT&T [链接](x)" in cells
    assert len(d.inline_shapes) == 2  # sectors and the monthly trend


def test_shipped_docx_template_uses_only_context_fields():
    from docxtpl import DocxTemplate

    from anquan_cli.views.templates import packaged_dir

    tpl = DocxTemplate(str(packaged_dir() / "report.docx"))
    names = tpl.get_undeclared_template_variables()
    known = {"title", "lead", "headline", "period", "previous", "kind", "changes_all", "coming", "n", "trend",
             "chart_trend", "chart_sector", "by_sector", "by_township", "major_open", "overdue", "tasks",
             "duties", "gaps", "issuer", "issued", "provenance", "accidents", "accident_heads", "accident_rows",
             "chart_accidents", "enforcement", "campaigns", "listed", "tipoffs", "risks", "grades", "patrols", "chart_risks",
             "prose"}
    assert names <= known, names - known


def test_docx_weekly_and_monthly_render(cli, tmp_path):
    import docx

    for kind, period in (("weekly", "2023-W47"), ("monthly", "2023-08")):
        out = tmp_path / f"{kind}.docx"
        res = cli("report", kind, "--period", period, "--today", "2023-11-30", "-f", "docx", "-o", str(out),
                  "--data", str(DEMO))
        assert res.code == 0, res.err
        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        assert ("二、本周变化" in text) == (kind == "weekly")
        assert ("重点任务推进情况" in text) == (kind == "monthly")
        assert ("、本周生产安全事故" if kind == "weekly" else "、本月生产安全事故") in text
        assert "事故情况" not in text


def test_report_help_mentions_every_kind(cli):
    out = cli("report", "--help").out
    for kind in ("weekly", "monthly", "quarterly", "annual"):
        assert kind in out


def test_templates_receive_plain_data_only(demo_ws):
    """Templates see strings, numbers, lists and dicts — never records they could call into."""
    import json

    from anquan_cli.rules.periods import parse_period
    from anquan_cli.rules.report import build_context

    ctx = build_context(demo_ws, "annual", parse_period("2023"), dt.date(2023, 11, 30),
                        {"workspace": "x", "jurisdiction": "y", "revision": "z", "generated_at": "2023-11-30",
                         "version": "0"})
    assert json.loads(json.dumps(ctx, ensure_ascii=False)) == ctx


# -- the layout helpers, against their one-cell-at-a-time definitions

_CELL = st.one_of(st.none(), st.integers(), st.booleans(), st.floats(allow_nan=False),
                  st.text(alphabet=st.sampled_from(list("ab |*_#\\<&\0\n\r\t\u3000—\x1c\x85") + ["中", "、"]),
                          max_size=5))


def _table_cell_by_cell(rows, headers, keys):
    from anquan_cli.views.templates import md_cell

    lines = ["| " + " | ".join(str(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_cell(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines) + "\n"


@settings(max_examples=400)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.just([f"k{i}" for i in range(n)]),
    st.lists(st.fixed_dictionaries({f"k{i}": _CELL for i in range(n)}), max_size=8))))
def test_md_table_lays_out_every_cell_as_md_cell_does(case):
    from anquan_cli.views.templates import md_table

    keys, rows = case
    assert md_table(rows, keys, keys) == _table_cell_by_cell(rows, keys, keys)


@settings(max_examples=300)
@given(st.text(alphabet="a\n \r", max_size=40))
def test_blank_runs_fold_as_the_regular_expression_does(text):
    import re

    from anquan_cli.views.templates import fold_blank_lines

    assert fold_blank_lines(text) == re.sub(r"\n{3,}", "\n\n", text)


def test_md_items_escapes_each_item_as_text_does():
    from anquan_cli.views.templates import md_items, md_text

    rows = [{"message": "a|b <i>"}, {"message": "第二\n行"}]
    assert md_items(rows, "message") == "".join(f"- {md_text(r['message'])}\n" for r in rows)


@pytest.mark.parametrize("count", [3, 6, 7, 24])
def test_the_sector_chart_s_labels_never_overlap(count):
    from anquan_cli.views import charts

    rows = [{"name": f"{'危险化学品建筑施工'[: 2 + i % 7]}{i}", "found": i % 5, "open": (i * 3) % 4} for i in range(count)]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = charts.bars_figure(rows, "按行业领域")
    canvas = FigureCanvasAgg(fig)
    fig.tight_layout()
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    labels = ax.get_yticklabels() if count > charts.UPRIGHT else ax.get_xticklabels()
    boxes = [t.get_window_extent(renderer) for t in labels if t.get_text()]
    assert len(boxes) == count
    for a, b in zip(boxes, boxes[1:]):
        assert not a.overlaps(b), (a, b)

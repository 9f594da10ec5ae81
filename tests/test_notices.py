"""The documents an office sends (issue 20): ``anquan notice supervise`` (督办函) and ``anquan notice
rectify`` (隐患整改通知书) — figures as ``hazards overdue`` gives them, a complete 公文 DOCX, Markdown
from the same description, the 文号 from the register with the hazard's history event written
in the same step (or nothing at all for a draft), refusals, record text printed as written."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli

TODAY = "2023-11-30"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@pytest.fixture
def demo(demo_copy):
    return demo_copy


def cli(root, *args):
    return run_cli(*args, "--today", TODAY, "--data", str(root))


def _files(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".anquan" not in p.parts}


def _md_rows(text: str) -> list[list[str]]:
    """The rows of the first Markdown table (header excluded)."""
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]


def _history(root, hazard_id: str) -> list[dict]:
    res = cli(root, "hazards", "show", hazard_id, "--format", "json")
    assert res.code == 0, res.err
    return res.json()["record"]["history"]


def _docx(path):
    import docx

    return docx.Document(str(path))


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(W + "t"))


# ---------------------------------------------------------------- the figures


@pytest.mark.parametrize("args, pick", [
    (["SQ-2023-004"], lambda r: r["id"] == "SQ-2023-004"),
    (["--unit", "石桥石料厂"], lambda r: r["unit"] == "青岚县石桥石料厂"),
])
def test_the_letter_states_the_figures_hazards_overdue_gives(demo, args, pick):
    overdue = [r for r in cli(demo, "hazards", "overdue", "--format", "json").json() if pick(r)]
    assert overdue
    res = cli(demo, "notice", "supervise", *args)
    assert res.code == 0, res.err
    rows = _md_rows(res.out)
    assert rows == [[r["id"], r["title"], r["found"], r["deadline"], str(r["days_overdue"]), r["owner"]]
                    for r in overdue]
    assert "截至2023年11月30日" in res.out
    if len(overdue) > 1:  # a unit's letter: the unit and its township's government
        assert "青岚县石桥石料厂、石桥镇人民政府：" in res.out
        assert "SQ-2023-009为一般事故隐患，自发现之日起已超过15天未完成整改" in res.out
    else:
        assert "\n青岚县石桥石料厂：\n" in res.out
    # the rule with its seed in words, the reply date (today + 7), the contact from reminders.office
    assert "《关于调整政府领导班子成员包保安全生产重点任务的通知》二（三）“100%按标整改、100%限期完成”" in res.out
    assert "下达提醒函、督办函" in res.out and "2023年12月7日前" in res.out
    assert "（联系人：曾小芳，联系电话：13907710113）" in res.out
    assert "没有发文字号的草稿" in res.err


def test_reply_by_sets_the_date(demo):
    res = cli(demo, "notice", "supervise", "SQ-2023-004", "--reply-by", "2023-12-15")
    assert res.code == 0, res.err
    assert res.out.count("2023年12月15日前") == 2 and "2023年12月7日" not in res.out
    assert cli(demo, "notice", "supervise", "SQ-2023-004", "--reply-by", "2023-11-01").code == 1


# ---------------------------------------------------------------- the DOCX


def test_the_docx_is_a_complete_gongwen(demo, tmp_path):
    out = tmp_path / "督办函.docx"
    res = cli(demo, "notice", "supervise", "--unit", "青岚县石桥石料厂", "--number", "next", "-o", str(out))
    assert res.code == 0, res.err
    assert "青安委办〔2023〕12号" in res.out  # the demo's register holds 9–11 of 2023
    doc = _docx(out)
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    mark = paragraphs[0]
    assert mark.text == "青岚县安全生产委员会办公室文件"
    assert {str(r.font.color.rgb) for r in mark.runs} == {"FF0000"}
    number = paragraphs[1]
    assert number.text == "青安委办〔2023〕12号"
    assert number._p.pPr.find(W + "pBdr").find(W + "bottom").get(W + "color") == "FF0000"
    texts = [p.text for p in doc.paragraphs]
    title = texts.index("关于督促整改逾期事故隐患的督办函")
    assert texts[title + 1] == "" and texts[title + 2] == "青岚县石桥石料厂、石桥镇人民政府："
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["编号", "隐患", "发现日期", "整改期限", "逾期天数", "责任人"]
    assert [r.cells[0].text for r in table.rows[1:]] == ["SQ-2023-004", "SQ-2023-009"]
    organ = max(i for i, t in enumerate(texts) if t == "青岚县安全生产委员会办公室")
    assert texts[organ + 1] == "2023年11月30日"
    assert texts[organ + 2] == "（联系人：曾小芳，联系电话：13907710113）"
    assert doc.paragraphs[organ].paragraph_format.keep_with_next
    # the 版记 last, at the foot: 抄送 the departments leading the sectors, 印发
    last = [el for el in doc.element.body if el.tag == W + "p"][-1]
    assert last.find(f".//{WP}anchor") is not None
    assert "抄送：青岚县应急管理局，石桥镇应急站。" in _text(last) and _text(last).endswith("2023年11月30日印发")
    assert doc.core_properties.subject == "督办函" and doc.core_properties.identifier == "青安委办〔2023〕12号"
    # the lead of each requirement in 黑体, with East-Asian font names
    lead = next(p for p in doc.paragraphs if p.text.startswith("一、立即整改到位。"))
    fonts = lead.runs[0]._r.rPr.find(W + "rFonts")
    assert fonts.get(W + "eastAsia") == "黑体" and lead.runs[1]._r.rPr.find(W + "rFonts").get(W + "eastAsia") == "仿宋_GB2312"


def test_the_rectification_notice(demo, tmp_path):
    out = tmp_path / "通知书.docx"
    res = cli(demo, "notice", "rectify", "CG-2023-004", "--number", "next", "-o", str(out))
    assert res.code == 0, res.err
    doc = _docx(out)
    texts = [p.text for p in doc.paragraphs]
    assert "隐患整改通知书" in texts and "青岚县安顺燃气有限公司：" in texts
    assert any(t.startswith("2023年5月9日，经部门检查发现你单位存在下列重大事故隐患") for t in texts)
    facts = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert facts["隐患编号"] == "CG-2023-004" and facts["整改期限"] == "2023-12-31" and facts["隐患等级"] == "重大事故隐患"
    five = [r.cells[0].text for r in doc.tables[1].rows]
    assert five == ["治理措施", "治理资金", "整改时限", "应急预案", "责任人员"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "一、整改要求", "二、整改期间的防范措施", "三、整改完成后的报告和验收"]
    assert any("请你单位于2023年12月31日前完成整改。整改措施：" in t for t in texts)
    # the receipt after the 落款 and its 附注, before the 版记
    date = texts.index("2023年11月30日")
    assert texts[date + 1].startswith("（联系人：曾小芳")
    assert texts[date + 3] == "被通知单位负责人（签收）：________________" and texts[date + 4] == "年　　月　　日"
    last = [el for el in doc.element.body if el.tag == W + "p"][-1]
    assert last.find(f".//{WP}anchor") is not None
    events = [e for e in _history(demo, "CG-2023-004") if e["event"] == "notified"]
    assert [(e["date"], e["note"]) for e in events] == [("2023-11-30", "青安委办〔2023〕12号《隐患整改通知书》")]


# ---------------------------------------------------------------- numbering and history


def test_number_next_registers_and_records_the_event_once(demo, tmp_path):
    out = tmp_path / "a.docx"
    res = cli(demo, "notice", "supervise", "SQ-2023-004", "--number", "next", "-o", str(out))
    assert res.code == 0, res.err
    register = (demo / "documents/register.yaml").read_text(encoding="utf-8")
    assert "青安委办〔2023〕12号" in register and "key: supervise:SQ-2023-004:2023-11-30" in register
    assert "kind: 督办函" in register and "SQ-2023-004" in register.split("青安委办〔2023〕12号")[1]
    urged = [e for e in _history(demo, "SQ-2023-004") if e["event"] == "urged"]
    assert [(e["date"], e["note"]) for e in urged] == [("2023-11-30", "青安委办〔2023〕12号《关于督促整改逾期事故隐患的督办函》")]
    show = cli(demo, "hazards", "show", "SQ-2023-004", "--format", "json").json()
    assert show["notices"] == [{"kind": "urged", "kind_label": "督办函", "date": "2023-11-30",
                                "note": "青安委办〔2023〕12号《关于督促整改逾期事故隐患的督办函》"}]
    before = _files(demo)
    # written again: the same number, no second event, nothing changed on disk
    again = cli(demo, "notice", "supervise", "SQ-2023-004", "--number", "next", "-o", str(tmp_path / "b.docx"))
    assert again.code == 0 and "青安委办〔2023〕12号" in again.out
    assert _files(demo) == before
    # a draft of the same letter prints the number it was given
    draft = cli(demo, "notice", "supervise", "SQ-2023-004")
    assert "青安委办〔2023〕12号" in draft.out and "草稿" not in draft.err
    # the next document takes the next number; the day before, the event was not there yet
    other = cli(demo, "notice", "supervise", "BS-2023-007", "--number", "next")
    assert other.code == 0 and "青安委办〔2023〕13号" in other.out
    earlier = run_cli("hazards", "show", "SQ-2023-004", "--format", "json", "--today", "2023-11-29", "--data", str(demo))
    assert earlier.json()["notices"] == []
    assert cli(demo, "check").code == 0
    # the hazard index, rebuilt for the changed file, answers as before
    rows = {r["id"]: r for r in cli(demo, "hazards", "overdue", "--format", "json").json()}
    assert rows["SQ-2023-004"]["days_overdue"] == 122 and rows["BS-2023-007"]["days_overdue"] == 30


def test_a_number_given_by_hand(demo):
    res = cli(demo, "notice", "rectify", "SQ-2023-010", "--number", "青安委办〔2023〕20号")
    assert res.code == 0, res.err
    assert "青安委办〔2023〕20号" in res.out
    assert [e["note"] for e in _history(demo, "SQ-2023-010") if e["event"] == "notified"] == [
        "青安委办〔2023〕20号《隐患整改通知书》"]
    taken = cli(demo, "notice", "rectify", "CG-2023-011", "--number", "青安委办〔2023〕20号")
    assert taken.code != 0 and "已登记给" in taken.err


def test_a_draft_writes_nothing(demo, tmp_path):
    before = _files(demo)
    for args in (["supervise", "SQ-2023-004"], ["supervise", "--unit", "青岚县石桥石料厂", "-o", str(tmp_path / "x.docx")],
                 ["rectify", "CG-2023-004", "-f", "docx", "-o", str(tmp_path / "y.docx")]):
        res = cli(demo, "notice", *args)
        assert res.code == 0, res.err
        assert "没有发文字号的草稿" in res.err
    assert _files(demo) == before
    assert all(e["event"] != "urged" for e in _history(demo, "SQ-2023-004"))


def test_a_csv_ledger_gets_the_event_in_its_history_cell(demo):
    raw = (demo / "hazards/2023/liuxi.csv").read_bytes()
    res = cli(demo, "notice", "supervise", "LX-2023-005", "--number", "next", "--by", "曾小芳")
    assert res.code == 0, res.err
    after = (demo / "hazards/2023/liuxi.csv").read_bytes()
    assert after != raw and len(after.splitlines()) == len(raw.splitlines())
    urged = [e for e in _history(demo, "LX-2023-005") if e["event"] == "urged"]
    assert urged and urged[0]["by"] == "曾小芳" and urged[0]["note"].startswith("青安委办〔2023〕12号")
    assert cli(demo, "check").code == 0


def test_check_passes_after_issuing(demo):
    for args in (["supervise", "--unit", "青岚县石桥石料厂"], ["supervise", "BS-2023-007"], ["rectify", "CG-2023-004"],
                 ["rectify", "SQ-2023-008"]):
        res = cli(demo, "notice", *args, "--number", "next")
        assert res.code == 0, res.err
    register = (demo / "documents/register.yaml").read_text(encoding="utf-8")
    assert re.findall(r"青安委办〔2023〕(\d+)号", register) == ["9", "10", "11", "12", "13", "14", "15"]
    res = cli(demo, "check")
    assert res.code == 0, res.out + res.err


# ---------------------------------------------------------------- refusals


def test_refusals(demo):
    before = _files(demo)
    pending = cli(demo, "notice", "supervise", "CG-2023-004", "--number", "next")
    assert pending.code == 1 and "不是逾期未整改的隐患（整改期限 2023-12-31 尚未过去）" in pending.err
    closed = cli(demo, "notice", "supervise", "SQ-2023-001")
    assert closed.code == 1 and "销号" in closed.err
    none = cli(demo, "notice", "supervise", "--unit", "青岚县安顺燃气有限公司")
    assert none.code == 1 and "没有逾期未整改的隐患" in none.err
    late = cli(demo, "notice", "rectify", "SQ-2023-004", "--number", "next")
    assert late.code == 1 and "notice supervise SQ-2023-004" in late.err
    assert cli(demo, "notice", "supervise").code == 2
    assert cli(demo, "notice", "supervise", "SQ-2023-004", "--unit", "青岚县石桥石料厂").code == 2
    unknown = cli(demo, "notice", "supervise", "--unit", "石桥石料场")
    assert unknown.code == 2 and "石桥石料厂" in unknown.err
    assert cli(demo, "notice", "rectify", "NO-SUCH").code == 2
    assert _files(demo) == before


# ---------------------------------------------------------------- record text is data


def test_hostile_text_prints_as_written(demo, tmp_path):
    hostile = "{{ 7*7 }} & <b>粗</b> | {%p if 1 %}"
    path = demo / "hazards/2023/chengguan.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 城南中压燃气管线上方违章搭建占压", f"title: '{hostile}'"), encoding="utf-8")
    out = tmp_path / "h.docx"
    res = cli(demo, "notice", "rectify", "CG-2023-004", "-o", str(out))
    assert res.code == 0, res.err
    doc = _docx(out)
    assert {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}["隐患名称"] == hostile
    md = cli(demo, "notice", "rectify", "CG-2023-004")
    assert md.code == 0
    cell = next(r for r in _md_rows(md.out) if r[0] == "隐患名称")
    assert "&lt;b&gt;粗&lt;/b&gt;" in md.out and "\\|" in md.out and "49" not in md.out
    assert "{{ 7\\*7 }} &amp; &lt;b&gt;粗&lt;/b&gt;" in "|".join(cell)


def test_markdown_to_a_file(demo, tmp_path):
    out = tmp_path / "n.md"
    res = cli(demo, "notice", "rectify", "CG-2023-004", "-o", str(out))
    assert res.code == 0, res.err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("**青岚县安全生产委员会办公室文件**")
    assert "# 隐患整改通知书" in text and "## 一、整改要求" in text and "被通知单位负责人（签收）" in text
    assert "抄送：城关镇人民政府" in text and text.rstrip().endswith("2023年11月30日印发")


def test_diff_names_the_events():
    import datetime as dt

    from anquan_cli.models import Event, EventKind, Hazard
    from anquan_cli.rules.diff import _hazard_events

    old = Hazard(id="X-1", title="t", unit="u", level="一般", found=dt.date(2023, 1, 1), deadline=dt.date(2023, 2, 1))
    new = old.model_copy(update={"history": [
        Event(date=dt.date(2023, 3, 1), event=EventKind.URGED, note="青安委办〔2023〕12号《督办函》"),
        Event(date=dt.date(2023, 3, 2), event="整改通知书", note="青安委办〔2023〕13号《隐患整改通知书》")]})
    assert [e["code"] for e in _hazard_events(old, new)] == ["urged", "notified"]


@pytest.mark.parametrize("word, kind", [("督办函", "urged"), ("发督办函", "urged"), ("整改通知书", "notified"),
                                        ("下达整改通知", "notified"), ("督办", "supervised")])
def test_the_fast_reader_and_the_csv_cell_know_the_new_kinds(word, kind):
    from anquan_cli.models import Event
    from anquan_cli.models.fast import event_values
    from anquan_cli.models.hazard import parse_history_cell

    raw = {"date": "2023-11-30", "event": word, "note": "青安委办〔2023〕12号《督办函》", "by": "曾小芳"}
    assert event_values(raw) == dict(Event.model_validate(raw).__dict__)
    assert Event.model_validate(raw).event.value == kind
    (cell,) = parse_history_cell(f"2023-11-30 {word} 备注=「青安委办〔2023〕12号《督办函》」 人=曾小芳")
    assert Event.model_validate(cell).event.value == kind and cell["note"] == raw["note"]

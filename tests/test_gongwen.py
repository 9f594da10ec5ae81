"""Every DOCX is a complete 公文 (GB/T 9704-2012): 版头, 主送, 落款 kept with the body, 版记 last,
Heading styles, tables whose names never wrap, provenance in the properties; 发文字号 from the
register; the office's prose in the report."""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile

import pytest
from conftest import DEMO, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(root, out, *extra, kind="quarterly", period="2023Q3"):
    res = run_cli("report", kind, "--period", period, "--today", "2023-11-30", "-f", "docx", "-o", str(out),
                  "--data", str(root), *extra)
    assert res.code == 0, res.err
    import docx

    return docx.Document(str(out)), res


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """The demo's bulletin, numbered (``--number next``) and with its provenance as a footnote."""
    base = tmp_path_factory.mktemp("gw")
    root = base / "青岚县"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".anquan"))
    out = base / "q3.docx"
    doc, res = _docx(root, out, "--number", "next", "--provenance")
    return doc, out, root, res


def _blocks(doc):
    return [el for el in doc.element.body if el.tag in (W + "p", W + "tbl")]


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(W + "t"))


def _red_runs(doc):
    return [r for p in doc.paragraphs for r in p.runs if r.font.color is not None and r.font.color.rgb is not None
            and str(r.font.color.rgb) == "FF0000"]


def test_the_head_is_the_red_mark_the_number_and_the_red_line(issued):
    doc, _, _, _ = issued
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    mark = paragraphs[0]
    assert mark.text == "青岚县安全生产委员会办公室文件" and mark.alignment == 1  # centred
    assert [r.text for r in _red_runs(doc)] == ["青岚县安全生产委员会办公室文件"]
    assert {r.font.name for r in mark.runs} == {"方正小标宋简体"}
    number = paragraphs[1]
    # the demo's register holds 9–11 of 2023: the bulletin is the 12th
    assert number.text == "青安委办〔2023〕12号" and number.alignment == 1
    line = number._p.pPr.find(W + "pBdr").find(W + "bottom")
    assert line.get(W + "color") == "FF0000" and line.get(W + "val") == "single"
    # the title two lines below the line, 主送 a line below the title
    blocks = _blocks(doc)
    at = next(i for i, el in enumerate(blocks) if _text(el) == "青岚县安全生产2023年第三季度通报")
    assert [_text(el) for el in blocks[at - 2:at]] == ["", ""]
    assert _text(blocks[at + 1]) == "" and _text(blocks[at + 2]) == "各乡镇人民政府、县安委会各成员单位："


def _signed(doc):
    """The body's blocks, their texts and where the 落款's organ is, after checking that the
    organ and the date follow the last body block in one keep-with-next chain."""
    from docx.text.paragraph import Paragraph

    blocks = _blocks(doc)
    texts = [_text(el) for el in blocks]
    organ = max(i for i, t in enumerate(texts) if t == "青岚县安全生产委员会办公室")
    assert texts[organ + 1] == "2023年11月30日"
    # the last body block before the signature: everything from it to the organ keeps with the next
    body = max(i for i in range(organ) if texts[i].strip() or blocks[i].tag == W + "tbl")
    chain = [blocks[body]] if blocks[body].tag == W + "p" else list(blocks[body].findall(W + "tr")[-1].iter(W + "p"))
    chain += blocks[body + 1:organ + 1]
    assert chain and all(Paragraph(p, None).paragraph_format.keep_with_next for p in chain)
    return blocks, texts, organ


def test_the_signature_is_chained_to_the_last_body_block_and_the_record_closes_the_document(issued):
    doc, _, _, _ = issued
    from docx.text.paragraph import Paragraph

    blocks, texts, organ = _signed(doc)
    # 署名 two characters from the right, the date two right of its first character
    o, d = Paragraph(blocks[organ], None), Paragraph(blocks[organ + 1], None)
    assert o.alignment == d.alignment == 2  # right
    from anquan_cli.views.gongwen import text_width

    assert o.paragraph_format.right_indent.pt == 32
    assert d.paragraph_format.right_indent.pt == pytest.approx((13 - text_width("2023年11月30日")) * 16, abs=0.1)
    # the 版记 is the last block: 抄送, then 印发机关 and 印发日期, between separator lines, at the foot
    last = blocks[-1]
    assert "抄送：县委办公室，县政府办公室，市安委会办公室。" in _text(last)
    assert "青岚县安全生产委员会办公室" in _text(last) and _text(last).endswith("2023年11月30日印发")
    anchor = last.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}anchor")
    v = anchor.find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}positionV")
    assert v.get("relativeFrom") == "margin" and v[0].text == "bottom"
    borders = [b for b in last.iter(W + "pBdr")]
    assert [[(c.tag.rpartition("}")[2], c.get(W + "sz")) for c in b] for b in borders] == \
        [[("top", "8"), ("bottom", "6")], [("bottom", "8")]]


def test_headings_are_heading_styles_that_keep_with_what_they_head(issued):
    doc, _, _, _ = issued
    headings = [p for p in doc.paragraphs if re.match(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）", p.text)]
    assert len(headings) > 15
    for p in headings:
        level = "Heading 1" if not p.text.startswith("（") else "Heading 2"
        assert p.style.name == level, p.text
        assert p.paragraph_format.keep_with_next and p.paragraph_format.keep_together, p.text
    h1 = doc.styles["Heading 1"]
    assert h1.paragraph_format.keep_with_next and h1.font.size.pt == 16
    assert h1.element.pPr.find(W + "outlineLvl") is not None or h1.element.xpath("boolean(.//w:outlineLvl)") in (
        True, False)  # python-docx's heading styles carry their outline level by their built-in name


def _width_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62 for c in text)


def _whole(text: str) -> bool:
    text = text.strip()
    if not text or "\n" in text:
        return False
    if not any(unicodedata.east_asian_width(c) in "WF" for c in text):
        return " " not in text
    return _width_em(text) <= 6


def _whole_texts_fit(doc) -> int:
    """Every whole text (id, date, number, short name) of every table cell fits its cell's width
    on one line — computed from the grid (with the columns a merged cell spans), the cell
    margins and the run's font size; returns how many cells were checked."""
    checked = 0
    for tbl in doc.element.body.iter(W + "tbl"):
        if tbl.find(f"{W}tblPr/{W}tblpPr") is not None:
            continue  # a floating table (the 版记)
        grid = [int(c.get(W + "w")) / 20 for c in tbl.find(W + "tblGrid").findall(W + "gridCol")]
        mar = tbl.find(W + "tblPr").find(W + "tblCellMar")
        margin = sum(int(m.get(W + "w")) for m in mar) / 20 if mar is not None else 10.8
        for tr in tbl.findall(W + "tr"):
            at = 0
            for tc in tr.findall(W + "tc"):
                span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_el.get(W + "val")) if span_el is not None else 1
                width = sum(grid[at:at + span])
                at += span
                text = "\n".join(_text(p) for p in tc.findall(W + "p"))
                if not _whole(text):
                    continue
                sizes = [int(s.get(W + "val")) / 2 for s in tc.iter(W + "sz")]
                size = max(sizes) if sizes else 12
                assert _width_em(text) * size <= width - margin, (text, width, size)
                checked += 1
    return checked


def test_no_name_date_or_number_wraps_inside_its_cell(issued):
    """Computed from each column's width, the cell margins and the run's font size."""
    doc, _, _, _ = issued
    assert _whole_texts_fit(doc) > 200


def test_properties_hold_the_provenance_and_no_path_is_anywhere(issued, tmp_path):
    doc, out, root, _ = issued
    props = doc.core_properties
    assert props.title == "青岚县安全生产2023年第三季度通报" and props.author == "青岚县安全生产委员会办公室"
    assert props.subject == "通报" and props.identifier == "青安委办〔2023〕12号"
    assert props.comments.startswith("数据来源：工作区 青岚县（青岚县）") and "anquan" in props.comments
    assert props.created.date().isoformat() == "2023-11-30"
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        notes = z.read("word/footnotes.xml").decode()
    assert str(root) not in xml and str(root.parent) not in xml and "/tmp" not in xml
    assert "数据来源：工作区 青岚县" in notes  # --provenance: also the title's footnote
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "数据来源" not in body and "由 anquan" not in body


def test_a_draft_takes_no_number_and_writes_nothing(demo_copy, tmp_path):
    before = (demo_copy / "documents/register.yaml").read_bytes()
    doc, res = _docx(demo_copy, tmp_path / "d.docx")
    assert "没有发文字号的草稿" in res.err
    assert (demo_copy / "documents/register.yaml").read_bytes() == before
    line = next(p for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.find(W + "pBdr") is not None)
    assert line.text == ""  # the red line, with no number above it
    assert _red_runs(doc)  # still the whole head


def test_next_numbers_in_order_and_a_document_written_again_keeps_its_number(demo_copy, tmp_path):
    _docx(demo_copy, tmp_path / "a.docx", "--number", "next")
    _docx(demo_copy, tmp_path / "b.docx", "--number", "next", kind="monthly", period="2023-08")
    again, _ = _docx(demo_copy, tmp_path / "c.docx", "--number", "next")
    draft, _ = _docx(demo_copy, tmp_path / "d.docx")  # a draft of a numbered document: its number
    register = (demo_copy / "documents/register.yaml").read_text(encoding="utf-8")
    assert register.count("青安委办〔2023〕12号") == 1 and register.count("青安委办〔2023〕13号") == 1
    assert "key: report:quarterly:2023Q3" in register and "key: report:monthly:2023-08" in register
    for d in (again, draft):
        assert any(p.text == "青安委办〔2023〕12号" for p in d.paragraphs)
    res = run_cli("check", "--data", str(demo_copy), "--today", "2023-11-30")
    assert res.code == 0, res.out


def test_a_number_given_by_hand_is_registered_and_one_taken_by_another_document_refused(demo_copy, tmp_path):
    _docx(demo_copy, tmp_path / "a.docx", "--number", "青安委办〔2023〕20号")
    assert "青安委办〔2023〕20号" in (demo_copy / "documents/register.yaml").read_text(encoding="utf-8")
    _docx(demo_copy, tmp_path / "n.docx", "--number", "next", kind="monthly", period="2023-08")
    assert "青安委办〔2023〕21号" in (demo_copy / "documents/register.yaml").read_text(encoding="utf-8")
    res = run_cli("report", "annual", "--period", "2023", "--today", "2023-11-30", "-f", "docx",
                  "-o", str(tmp_path / "x.docx"), "--data", str(demo_copy), "--number", "青安委办〔2023〕10号")
    assert res.code == 2 and "已登记给《青岚县安全生产2023年第二季度通报》" in res.err
    res = run_cli("report", "annual", "--period", "2023", "--today", "2023-11-30", "-f", "docx",
                  "-o", str(tmp_path / "y.docx"), "--data", str(demo_copy), "--number", "十二号")
    assert res.code == 2 and "看不出年份和顺序号" in res.err
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "y.docx").exists()


def test_the_number_pattern_may_use_only_year_and_n(workspace, cli):
    for bad, what in (("青安委办〔{year}〕号", "要有 {n}"), ("青安委办〔{year}〕{n}号{x}", "只能用 {year} 和 {n}")):
        root = workspace({"anquan.yaml": f"jurisdiction: 测试县\nlevel: 县\ndocuments:\n  number: '{bad}'\n"})
        res = cli("check", "--data", str(root), "--today", "2023-11-30")
        assert res.code == 2 and what in res.out + res.err


def test_a_doubled_number_in_the_register_is_an_error(workspace, cli):
    root = workspace({"documents/register.yaml": """
        issued:
          - {number: 测安〔2023〕1号, year: 2023, n: 1, date: 2023-01-05, title: 甲}
          - {number: 测安〔2023〕1号, year: 2023, n: 1, date: 2023-02-05, title: 乙}
        """})
    res = cli("check", "--data", str(root), "--today", "2023-11-30", "--format", "json")
    import json

    found = json.loads(res.out)
    codes = {(p["path"], p["code"]) for p in (found["problems"] if isinstance(found, dict) else found)}
    assert ("documents/register.yaml", "duplicate-id") in codes and res.code == 1


def test_the_next_number_follows_the_year_and_the_pattern():
    import datetime as dt

    from anquan_cli.models import Issued
    from anquan_cli.rules.documents import format_number, next_n, parse_given

    def issued(number, year, n):
        return Issued.model_validate({"number": number, "year": year, "n": n, "date": dt.date(year, 1, 2), "title": "x"})

    pattern = "青安委办〔{year}〕{n}号"
    register = [issued("青安委办〔2023〕9号", 2023, 9), issued("青安委〔2023〕30号", 2023, 30),
                issued("青安委办〔2022〕40号", 2022, 40)]
    assert next_n(register, pattern, 2023) == 10  # another 代字 and another year do not count
    assert next_n(register, pattern, 2024) == 1
    assert format_number(pattern, 2023, 10) == "青安委办〔2023〕10号"
    assert parse_given("青安委办〔2023〕7号", pattern, 2023) == (2023, 7)
    assert parse_given("青政办[2024]3号", pattern, 2023) == (2024, 3)


# ------------------------------------------------------------------------- prose


PROSE = {
    "存在问题.md": "# 隐患整改\n\n部分企业**整改不到位**，{{ 7*7 }} 照印。\n\n- 一是台账不全；\n- 二是验收滞后。\n",
    "主要做法.md": "全县开展拉网式排查，\n出动检查组 36 个。\n",
    "下步工作.md": "1. 盯紧重大隐患。\n2. 开展“回头看”。\n",
}


def _with_prose(root):
    folder = root / "reports" / "2023Q3"
    folder.mkdir(parents=True)
    for name, text in PROSE.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "备忘.md").write_text("不是报告的一节", encoding="utf-8")


def test_the_office_s_prose_is_printed_in_order_after_the_figures(demo_copy, tmp_path):
    _with_prose(demo_copy)
    md = run_cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(demo_copy)).out
    sections = re.findall(r"^## (.+)$", md, re.M)
    assert sections[-3:] == ["十四、主要做法", "十五、存在问题", "十六、下步工作安排"]
    assert "全县开展拉网式排查，出动检查组 36 个。" in md and "### 隐患整改" in md
    assert "{{ 7\\*7 }}" in md or "{{ 7*7 }}" in md
    assert "不是报告的一节" not in md and "通报批评" not in md  # no file, no section
    doc, _ = _docx(demo_copy, tmp_path / "p.docx")
    texts = [p.text for p in doc.paragraphs]
    assert "十四、主要做法" in texts and "十六、下步工作安排" in texts
    assert "部分企业整改不到位，{{ 7*7 }} 照印。" in texts  # emphasis dropped, template text as written
    assert "1. 盯紧重大隐患。" in texts and "二是验收滞后。" in texts
    sub = next(p for p in doc.paragraphs if p.text == "隐患整改")
    assert sub.style.name == "Heading 2"


def test_without_prose_the_report_has_no_such_section(demo_copy):
    md = run_cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(demo_copy)).out
    assert "存在问题" not in md and "主要做法" not in md


def test_a_prose_file_that_is_a_link_or_too_big_stops_the_report(demo_copy, tmp_path):
    folder = demo_copy / "reports" / "2023Q3"
    folder.mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", encoding="utf-8")
    (folder / "存在问题.md").symlink_to(secret)
    res = run_cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(demo_copy))
    assert res.code == 2 and "reports/2023Q3/存在问题.md" in res.err and "机密" not in res.out
    (folder / "存在问题.md").unlink()
    (folder / "存在问题.md").write_bytes("很长".encode() * 60_000)
    res = run_cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--data", str(demo_copy))
    assert res.code == 2 and "文件太大" in res.err


def test_prose_in_gb18030_reads_as_utf8_does(demo_copy):
    folder = demo_copy / "reports" / "2023-08"
    folder.mkdir(parents=True)
    (folder / "存在问题.md").write_bytes("个别乡镇排查走过场。".encode("gb18030"))
    md = run_cli("report", "monthly", "--period", "2023-08", "--today", "2023-11-30", "--data", str(demo_copy)).out
    assert "## 七、存在问题" in md and "个别乡镇排查走过场。" in md


def test_every_document_kind_has_a_docs_page_with_its_rendered_first_page():
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for kind in ("report-weekly", "report-monthly", "report-quarterly", "report-annual", "report-statistics",
                 "notice-supervise", "notice-rectify"):
        page = REPO / "docs" / f"{kind}.md"
        assert f"(docs/{kind}.md)" in readme and page.is_file()
        pictures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", page.read_text(encoding="utf-8"))
        assert pictures and all((page.parent / p).is_file() for p in pictures)
        assert (page.parent / pictures[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_attachments_are_listed_below_the_body_and_the_signature_follows_them():
    import datetime as dt

    import docx

    from anquan_cli.views.gongwen import Frame, finish

    doc = docx.Document()
    doc.add_paragraph("关于某事的通知")
    doc.add_paragraph("正文最后一段。")
    finish(doc, Frame(title="关于某事的通知", organ="测试县安全生产委员会办公室", date=dt.date(2024, 1, 5),
                      number="测安办〔2024〕1号", attachments=("隐患清单", "整改要求")))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("正文最后一段。")
    assert texts[at + 1:at + 7] == ["", "附件：1. 隐患清单", "2. 整改要求", "", "测试县安全生产委员会办公室", "2024年1月5日"]
    assert all(doc.paragraphs[i].paragraph_format.keep_with_next for i in range(at, at + 6))
    # the date is longer than two characters short of the organ: both as GB/T 9704 7.3.5.2 says
    from anquan_cli.views.gongwen import text_width

    organ, date = doc.paragraphs[at + 5], doc.paragraphs[at + 6]
    assert organ.paragraph_format.right_indent.pt == 32
    assert date.paragraph_format.right_indent.pt == pytest.approx(
        (text_width("测试县安全生产委员会办公室") - text_width("2024年1月5日")) * 16, abs=0.1)


# ------------------------------------------------------------- every DOCX kind carries the frame

_EVERY_KIND = {
    "weekly": ("report", "weekly", "--period", "2023-W47"),
    "monthly": ("report", "monthly", "--period", "2023-11"),
    "quarterly": ("report", "quarterly", "--period", "2023Q3"),
    "annual": ("report", "annual", "--period", "2023"),
    "statistics": ("report", "statistics", "--period", "2023Q3", "-f", "docx"),
    "supervise": ("notice", "supervise", "SQ-2023-004"),
    "rectify": ("notice", "rectify", "CG-2023-004"),
}


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory):
    """Each document kind, numbered in turn (9–11 of 2023 are the demo's: 12, 13, … follow)."""
    base = tmp_path_factory.mktemp("kinds")
    root = base / "青岚县"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".anquan"))
    made = {}
    for name, args in _EVERY_KIND.items():
        out = base / f"{name}.docx"
        res = run_cli(*args, "--today", "2023-11-30", "--number", "next", "-o", str(out), "--data", str(root))
        assert res.code == 0, (name, res.err)
        made[name] = out
    return root, made


@pytest.mark.parametrize("name", list(_EVERY_KIND))
def test_every_document_kind_is_a_complete_gongwen(every_kind, name):
    import docx

    root, made = every_kind
    out = made[name]
    doc = docx.Document(str(out))
    # 版头: the red mark first, the registered 文号 under it on the red line
    mark = next(p for p in doc.paragraphs if p.text.strip())
    assert mark.text == "青岚县安全生产委员会办公室文件"
    assert [r.text for r in _red_runs(doc)] == [mark.text]
    number = next(p for p in doc.paragraphs if p.text.strip() and p is not mark and p.text != mark.text)
    assert re.fullmatch(r"青安委办〔2023〕1\d号", number.text), number.text
    line = number._p.pPr.find(W + "pBdr").find(W + "bottom")
    assert line.get(W + "color") == "FF0000"
    register = (root / "documents" / "register.yaml").read_text(encoding="utf-8")
    assert number.text in register
    # 主送: a line ending in a full-width colon within the title's block, before any table
    blocks = _blocks(doc)
    at = next(i for i, el in enumerate(blocks) if _text(el) == number.text)
    head = [_text(el) for el in blocks[at + 1:at + 9] if el.tag == W + "p"]
    assert any(t.endswith("：") and len(t) > 2 for t in head), head
    # 落款 chained to the last body block; the 版记 the last block of all
    blocks, texts, _ = _signed(doc)
    assert texts[-1].endswith("2023年11月30日印发") and blocks[-1].find(".//" + W + "drawing") is not None
    # headings keep with what they head
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading"):
            assert p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next, p.text
    # the provenance in the properties; no machine path anywhere
    assert doc.core_properties.comments.startswith("数据来源：") and doc.core_properties.identifier == number.text
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    assert str(root) not in xml and str(root.parent) not in xml and "/tmp" not in xml


@pytest.mark.parametrize("name", list(_EVERY_KIND))
def test_in_every_document_kind_no_name_date_or_number_wraps(every_kind, name):
    import docx

    _, made = every_kind
    assert _whole_texts_fit(docx.Document(str(made[name]))) > 0


def test_a_document_that_cannot_be_made_takes_no_number(demo_copy, tmp_path, monkeypatch):
    """The number is looked up first and registered only once the document is made: a failure
    leaves no gap in the year's numbers and no file."""
    import anquan_cli.views.docx as views_docx

    before = (demo_copy / "documents/register.yaml").read_bytes()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(views_docx, "render_docx", broken)
    res = run_cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--number", "next",
                  "-o", str(tmp_path / "q.docx"), "--data", str(demo_copy))
    assert res.code != 0
    assert (demo_copy / "documents/register.yaml").read_bytes() == before
    assert not (tmp_path / "q.docx").exists()
    monkeypatch.undo()
    res = run_cli("report", "quarterly", "--period", "2023Q3", "--today", "2023-11-30", "--number", "next",
                  "-o", str(tmp_path / "q.docx"), "--data", str(demo_copy))
    assert res.code == 0, res.err
    assert "青安委办〔2023〕12号" in (demo_copy / "documents/register.yaml").read_text(encoding="utf-8")

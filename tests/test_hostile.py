"""Hostile workspaces (issue 13): templates, record files, spreadsheets, configs and caches from
another office can run no code, read no file outside the workspace, hang nothing, and every
refusal is a message with file and line and the documented exit code, never a traceback."""

from __future__ import annotations

import os
import pickle
import shutil
import time
import zipfile

import pytest
from conftest import DEMO, REPO, run_cli

TODAY = "2023-11-30"


@pytest.fixture
def demo(tmp_path, monkeypatch):
    root = tmp_path / "ws"
    shutil.copytree(DEMO, root)
    monkeypatch.setenv("ANQUAN_DATA", str(root))
    monkeypatch.setenv("ANQUAN_TODAY", TODAY)
    monkeypatch.chdir(tmp_path)
    return root


def _clean(res, code: int, *words: str) -> None:
    assert res.code == code, (res.code, res.out, res.err)
    assert "Traceback" not in res.out + res.err and "内部错误" not in res.err, res.err
    for w in words:
        assert w in res.out + res.err, (w, res.out, res.err)


# ---------------------------------------------------------------- Markdown templates

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ self._TemplateReference__context.parent }}",
    "{{ ''|attr('__class__')|attr('__mro__') }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ figures.items.__self__.__class__ }}",
    "{{ range.__self__ }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{{ figures.update({'found': 1}) }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_sandbox_escapes_run_nothing(demo, tmp_path, payload):
    (demo / "templates").mkdir()
    (demo / "templates/report-quarterly.md.j2").write_text(f"# 通报\n\n{payload}\n", encoding="utf-8")
    res = run_cli("report", "quarterly", "--period", "2023Q3")
    _clean(res, 2, "报告模板 report-quarterly.md.j2（第 3 行）有误")
    assert not (tmp_path / "MARKER").exists() and not (demo / "MARKER").exists()
    assert "subclass" not in res.out


@pytest.mark.parametrize("payload, words", [
    ("{{ range(10**8)|list }}", "too big"),
    ("{{ 'x' * 10**9 }}", "过大"),
    ("{{ [1] * 10**9 }}", "过大"),
    ("{{ 9 ** 99999999 }}", "指数过大"),
    ("{{ '%999999999d' % 1 }}", "宽度过大"),
    ("{{ '{:>999999999}'.format(1) }}", "宽度过大"),
    ("{{ 'a'|center(10**9) }}", "参数过大"),
    ("{{ 'a'|indent(10**9) }}", "参数过大"),
    ("{{ '%999999999d'|format(1) }}", "宽度过大"),
])
def test_templates_cannot_build_huge_values(demo, payload, words):
    (demo / "templates").mkdir()
    (demo / "templates/report-quarterly.md.j2").write_text(f"{payload}\n", encoding="utf-8")
    started = time.monotonic()
    res = run_cli("report", "quarterly", "--period", "2023Q3")
    _clean(res, 2, "报告模板 report-quarterly.md.j2", words)
    assert time.monotonic() - started < 20


def test_a_runaway_loop_is_stopped_by_the_time_limit(demo, monkeypatch):
    monkeypatch.setenv("ANQUAN_TEMPLATE_SECONDS", "1")
    (demo / "templates").mkdir()
    (demo / "templates/report-quarterly.md.j2").write_text(
        "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}\n", encoding="utf-8")
    started = time.monotonic()
    res = run_cli("report", "quarterly", "--period", "2023Q3")
    _clean(res, 2, "运行超过 1 秒，已停止")
    assert time.monotonic() - started < 10


def test_a_link_in_templates_cannot_disclose_a_file(demo, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOPSECRET\n", encoding="utf-8")
    (demo / "templates").mkdir()
    os.symlink(secret, demo / "templates/evil.md.j2")
    (demo / "templates/report-quarterly.md.j2").write_text("{% include 'evil.md.j2' %}\n", encoding="utf-8")
    res = run_cli("report", "quarterly", "--period", "2023Q3")
    _clean(res, 2, "报告模板")
    assert "TOPSECRET" not in res.out + res.err
    # nor through ".." or an absolute name
    for name in ("../../secret.txt", str(secret), "../templates/../../secret.txt"):
        (demo / "templates/report-quarterly.md.j2").write_text(f"{{% include '{name}' %}}\n", encoding="utf-8")
        res = run_cli("report", "quarterly", "--period", "2023Q3")
        _clean(res, 2)
        assert "TOPSECRET" not in res.out + res.err


def test_a_linked_report_template_is_not_used(demo, tmp_path):
    outside = tmp_path / "outside.md.j2"
    outside.write_text("OUTSIDE {{ jurisdiction }}\n", encoding="utf-8")
    (demo / "templates").mkdir()
    os.symlink(outside, demo / "templates/report-quarterly.md.j2")
    res = run_cli("report", "quarterly", "--period", "2023Q3")
    _clean(res, 0)
    assert "OUTSIDE" not in res.out and "第三季度通报" in res.out  # the shipped template


def test_record_text_is_never_a_template(demo):
    path = demo / "hazards/2023/shiqiao.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: \"{{ cycler.__init__.__globals__ }}\" # ", 1), encoding="utf-8")
    res = run_cli("report", "quarterly", "--period", "2023Q1")
    _clean(res, 0)


# ---------------------------------------------------------------- DOCX templates


def _docx_with(demo, text: str, name: str = "report-quarterly.docx"):
    from docx import Document

    doc = Document(str(REPO / "templates/report.docx"))
    doc.add_paragraph(text)
    (demo / "templates").mkdir(exist_ok=True)
    doc.save(str(demo / "templates" / name))


@pytest.mark.parametrize("payload", [
    "{{ chart_sector.tpl.render({}) }}",
    "{{ chart_sector.tpl.save('HIJACK.docx') }}",
    "{{ chart_sector._inline.tpl.save('HIJACK.docx') }}",
    "{{ chart_sector.tpl.get_file_crc('/etc/passwd') }}",
    "{{ chart_sector|attr('_inline') }}",
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{% include '/etc/passwd' %}",
    "{{ range(10**8)|list }}",
])
def test_docx_templates_run_nothing(demo, tmp_path, payload):
    _docx_with(demo, payload)
    res = run_cli("report", "quarterly", "--period", "2023Q3", "-f", "docx", "-o", str(tmp_path / "out.docx"))
    _clean(res, 2, "报告模板 report-quarterly.docx")
    for p in (tmp_path / "MARKER", tmp_path / "HIJACK.docx", demo / "HIJACK.docx"):
        assert not p.exists()
    assert not (tmp_path / "out.docx").exists()


def test_a_docx_chart_still_renders_as_a_picture(demo, tmp_path):
    _docx_with(demo, "{{ chart_sector }}")
    res = run_cli("report", "quarterly", "--period", "2023Q3", "-f", "docx", "-o", str(tmp_path / "out.docx"))
    assert res.code == 0, res.err
    with zipfile.ZipFile(tmp_path / "out.docx") as z:
        assert any(n.startswith("word/media/") for n in z.namelist())


def test_a_file_that_is_not_a_docx_is_a_template_error(demo, tmp_path):
    (demo / "templates").mkdir()
    (demo / "templates/report-quarterly.docx").write_bytes(b"not a zip")
    res = run_cli("report", "quarterly", "--period", "2023Q3", "-f", "docx", "-o", str(tmp_path / "out.docx"))
    _clean(res, 2, "不是有效的 DOCX")


# ---------------------------------------------------------------- record files


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, n in zip("abcdefgh", "bcdefghi"))


@pytest.mark.parametrize("content, line", [(BOMB, 1), ("hazards: &x [*x]\n", 1),
                                           ("hazards:\n  - &h {id: H-1}\n  - *h\n", 2)])
def test_alias_bombs_and_recursion_are_refused_at_their_line(demo, content, line):
    (demo / "hazards/2023/bomb.yaml").write_text(content, encoding="utf-8")
    res = run_cli("check", "--format", "json")
    assert res.code == 1
    assert {(p["path"], p["line"], p["code"]) for p in res.json()} & {
        ("hazards/2023/bomb.yaml", line, "yaml-anchor"), ("hazards/2023/bomb.yaml", line, "yaml-alias")}
    _clean(run_cli("hazards", "overdue"), 2, "hazards/2023/bomb.yaml")


def test_deep_nesting_is_reported(demo):
    (demo / "hazards/2023/deep.yaml").write_text("hazards: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    res = run_cli("check")
    _clean(res, 1, "hazards/2023/deep.yaml")


# ---------------------------------------------------------------- spreadsheets


def _sheet(path, rows, hidden=None, very_hidden=None):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("隐患")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
    if hidden:
        h = wb.add_worksheet(hidden)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                h.write_string(r, c, v.replace("报警器", "隐藏表"))
        h.hide()
    wb.close()


ROWS = [["隐患名称", "单位名称", "隐患等级", "发现日期", "整改期限", "责任人"],
        ["报警器未检定", "青岚县鑫源铸造有限公司", "一般", "2023-11-20", "2023-11-30", "石磊"]]


def _patch_sheet_xml(path, sheet: int, old: str, new: str):
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet}.xml":
                data = data.decode().replace(old, new, 1).encode()
            dst.writestr(item, data)
    tmp.replace(path)


def test_a_huge_merged_range_is_clipped(demo, tmp_path):
    book = tmp_path / "merge.xlsx"
    _sheet(book, ROWS)
    _patch_sheet_xml(book, 1, "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="L3:XFD1048576"/></mergeCells>')
    started = time.monotonic()
    res = run_cli("import", "hazards", str(book), "--dry-run")
    _clean(res, 0, "将新增 1 条")
    assert time.monotonic() - started < 20


def test_hidden_sheets_are_named_and_skipped(demo, tmp_path):
    book = tmp_path / "hidden.xlsx"
    _sheet(book, ROWS, hidden="旧表")
    res = run_cli("import", "hazards", str(book), "--dry-run")
    _clean(res, 0, "隐藏的工作表未导入：旧表", "将新增 1 条")
    res = run_cli("import", "hazards", str(book), "--dry-run", "--sheet", "旧表")
    _clean(res, 0, "将新增 1 条")


def test_a_very_hidden_sheet_is_skipped_too(demo, tmp_path):
    import openpyxl

    book = tmp_path / "vh.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "隐患"
    for row in ROWS:
        ws.append(row)
    secret = wb.create_sheet("机密")
    for row in ROWS:
        secret.append(row)
    secret.sheet_state = "veryHidden"
    wb.save(book)
    res = run_cli("import", "hazards", str(book), "--dry-run")
    _clean(res, 0, "隐藏的工作表未导入：机密", "将新增 1 条")


def test_formula_cells_without_a_saved_result_are_reported(demo, tmp_path):
    import openpyxl

    book = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "隐患"
    ws.append(ROWS[0])
    ws.append(ROWS[1][:4] + ["=D2+10", "石磊"])  # openpyxl saves formulas without a result
    wb.save(book)
    res = run_cli("import", "hazards", str(book), "--dry-run")
    _clean(res, 1, "f.xlsx:隐患!E2", "没有保存计算结果")


def test_an_oversized_sheet_is_refused_before_it_is_read(demo, tmp_path, monkeypatch):
    from anquan_cli.io import sheets

    monkeypatch.setattr(sheets, "MAX_CELLS", 5)
    book = tmp_path / "big.xlsx"
    _sheet(book, ROWS)
    _clean(run_cli("import", "hazards", str(book), "--dry-run"), 2, "超过导入上限")


# ---------------------------------------------------------------- configuration and options


@pytest.mark.parametrize("old, new, key", [
    ("lead_days: [3, 1]", "lead_days: [99999999999]", "reminders.lead_days"),
    ("escalation_days: 15", "escalation_days: 10000000000", "settings.escalation_days"),
    ("lead_days: [3, 1]", "lead_days: [3, 1]\n  request_seconds: 1e12", "reminders.request_seconds"),
])
def test_out_of_range_settings_are_reported_at_their_line(demo, old, new, key):
    path = demo / "anquan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    res = run_cli("check")
    _clean(res, 2, "[value-invalid]", key)
    _clean(run_cli("calendar", "export", "-o", "x.ics"), 2, "anquan.yaml")
    _clean(run_cli("remind", "--dry-run"), 2, "anquan.yaml")


@pytest.mark.parametrize("args", [
    ["report", "quarterly", "--today", "0001-01-01"],
    ["report", "weekly", "--period", "9999-W52"],
    ["report", "annual", "--period", "0001"],
    ["hazards", "list", "--found-from", "0001-01-01"],
    ["hazards", "overdue", "--today", "9999-12-31"],
    ["duties", "status", "--period", "9999"],
    ["tasks", "due", "--within", "99999999999"],
    ["dates", "parse", "6月底前", "--year", "99999"],
])
def test_out_of_range_dates_are_usage_errors(demo, args):
    _clean(run_cli(*args), 2)


def test_a_record_dated_in_year_one_is_a_check_error(demo):
    path = demo / "hazards/2023/shiqiao.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("found: 2023-", "found: 0001-", 1), encoding="utf-8")
    _clean(run_cli("check"), 1, "年份 1 不在 1900–2199 之间")


# ---------------------------------------------------------------- outputs, roll-ups, caches


def test_csv_output_cannot_carry_a_formula(demo):
    path = demo / "hazards/2023/shiqiao.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: '=HYPERLINK(\"http://evil.example/\",\"点击\")' # ", 1), encoding="utf-8")
    out = run_cli("hazards", "list", "--format", "csv").out
    assert "'=HYPERLINK(" in out and ",=HYPERLINK(" not in out
    for bad in ("+cmd", "-2+3", "@SUM(A1)"):
        path.write_text(text.replace("title: ", f"title: '{bad}' # ", 1), encoding="utf-8")
        assert f",'{bad}," in run_cli("hazards", "list", "--format", "csv").out


def test_a_diamond_include_counts_a_workspace_once(tmp_path, monkeypatch):
    from conftest import write_workspace

    shared = write_workspace(tmp_path / "shared", {
        "anquan.yaml": "jurisdiction: 共管镇\nlevel: 乡镇\n",
        "hazards/a.yaml": "- {id: S-1, title: t, unit: 宏达化工有限公司, level: 一般, found: 2023-03-01, "
                          "deadline: 2023-03-10, owner: 王芳}\n"})
    for name in ("a", "b"):
        write_workspace(tmp_path / name, {"anquan.yaml": f"jurisdiction: {name}镇\nlevel: 乡镇\ninclude: [../shared]\n"})
    top = write_workspace(tmp_path / "top", {"anquan.yaml": "jurisdiction: 县\nlevel: 县\ninclude: [../a, ../b]\n"})
    assert shared.exists()
    res = run_cli("hazards", "list", "--format", "json", "--data", str(top), "--today", "2023-03-20")
    assert [r["id"] for r in res.json()] == ["S-1"]
    check = run_cli("check", "--format", "json", "--data", str(top), "--today", "2023-03-20").json()
    assert "include-duplicate" in {p["code"] for p in check}


def test_a_forged_cache_entry_is_not_trusted(demo):
    from anquan_cli.cache import RecordCache, _schema
    from anquan_cli.models import Hazard
    from anquan_cli.workspace import digest

    run_cli("check")  # builds the cache
    rel = "hazards/2023/shiqiao.yaml"
    cache = RecordCache(demo / ".anquan/cache")
    key = digest((demo / rel).read_bytes())
    path = cache._path(key, "hazards")
    assert path.exists()
    forged = {"id": "FORGED-1", "title": "伪造", "unit": "x", "level": None, "found": None}
    data = pickle.dumps((_schema(Hazard), key, ([(forged, 3, {}, {})], [])))
    for blob in (data, b"\0" * 32 + data):  # unsealed, and sealed with another key
        path.write_bytes(blob)
        ids = {r["id"] for r in run_cli("hazards", "list", "-f", "json").json()}
        assert "FORGED-1" not in ids and "SQ-2023-001" in ids

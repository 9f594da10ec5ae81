"""``anquan import`` of the sheets offices really keep (issue 21): a township's 隐患台账 with a
title row, 序号, only a 隐患描述 column, merged unit cells, dates as cells and as text, 整改情况,
a 合计 row and trailing empty rows; people without ids; units without a kind; columns not
understood; unit names written short, misspelt or ambiguously — and ``hazards add`` with them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import xlsxwriter
from conftest import run_cli
from hypothesis import given
from hypothesis import strategies as st

TODAY = "2023-11-30"
HEADER = ["序号", "单位名称", "隐患描述", "发现时间", "整改期限", "责任人", "隐患等级", "整改情况", "整改完成时间"]
#: (unit or None under a merge, 隐患描述, found, deadline, owner, 整改情况, 整改完成时间)
TOWNSHIP_ROWS = [
    ("宏达化工", "甲醇储罐区静电接地线断开", dt.datetime(2023, 8, 1), "2023.8.15", "林志远", "已整改", "2023年8月10日"),
    (None, "配电室未配备绝缘手套", "2023年8月1日", dt.datetime(2023, 8, 20), "林志远", "2023年8月18日已整改", None),
    (None, "消防通道堆放杂物", dt.datetime(2023, 9, 5), dt.datetime(2023, 9, 20), "林志远", "整改中", None),
    ("石桥石料", "边坡未按规定分台阶开采", "2023.9.10", "2023年10月10日", "段宏", None, None),
    ("石桥石料", "破碎机传动部位防护罩缺失", "2023.11.20", "2023.12.20", "段宏", "", None),
    ("石桥石料", "炸药临时存放点无人看守", "2023.10.8", "2023.10.20", "段宏", "已完成", dt.datetime(2023, 10, 18)),
]


def township_sheet(path, rows=TOWNSHIP_ROWS, title_rows=("石桥镇安全隐患排查台账", "填报单位：石桥镇应急站")):
    """The sheet as a township keeps it: a title row (and a 填报单位 row) above the header, 序号,
    the unit merged down its rows, dates as date cells and as text, 整改情况, a 合计 row and
    formatted empty rows below."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    date = wb.add_format({"num_format": "yyyy年m月d日"})
    for r, text in enumerate(title_rows):
        ws.merge_range(r, 0, r, len(HEADER) - 1, text)
    top = len(title_rows)
    ws.write_row(top, 0, HEADER)
    first = top + 1
    spans: list[list[int]] = []
    for i, (unit, *_rest) in enumerate(rows):
        if unit is not None:
            spans.append([first + i, first + i, unit])
        else:
            spans[-1][1] = first + i
    for a, b, unit in spans:
        ws.merge_range(a, 1, b, 1, unit) if b > a else ws.write(a, 1, unit)
    for i, (_unit, title, found, deadline, owner, progress, done) in enumerate(rows):
        r = first + i
        ws.write_number(r, 0, i + 1)
        ws.write(r, 2, title)
        for c, v in ((3, found), (4, deadline), (7, progress), (8, done)):
            if isinstance(v, dt.datetime):
                ws.write_datetime(r, c, v, date)
            elif v:
                ws.write(r, c, v)
        ws.write(r, 5, owner)
        ws.write(r, 6, "一般")
    total = first + len(rows)
    ws.write(total, 0, "合计")
    ws.write(total, 2, f"共{len(rows)}条")
    for r in range(total + 1, total + 6):  # formatted but empty
        ws.write_blank(r, 3, None, date)
    wb.close()
    return path


def cli(root, *args):
    return run_cli(*args, "--data", str(root), "--today", TODAY)


def overdue_ids(root) -> set[str]:
    return {h["id"] for h in cli(root, "hazards", "overdue", "-f", "json").json()}


def by_title(root) -> dict:
    return {h["title"]: h for h in cli(root, "hazards", "list", "-f", "json").json()}


def test_a_township_sheet_imports_with_its_rectifications(demo_copy, tmp_path):
    book = township_sheet(tmp_path / "石桥镇隐患台账.xlsx")
    before = overdue_ids(demo_copy)
    res = cli(demo_copy, "import", "hazards", str(book), "--by", "雷鸣")
    assert res.code == 0, res.err
    assert "新增 6 条，已存在 0 条（其中与台账不同 0 条），有错 0 条。" in res.out
    assert "写入 hazards/2023/shiqiao.yaml：6 条" in res.out
    lines = res.out.splitlines()
    assert "表中没有“隐患名称”列：隐患名称取自“隐患描述”列。" in lines
    assert "跳过：“序号”列（Sheet1!A）是行号，未导入；合计行 1 行（第 10 行）。" in lines
    assert "  “石桥石料” → “青岚县石桥石料厂”（第 7–9 行）" in lines
    assert "  已整改 3 条 → 登记“整改完成”（日期取自表中，待三方验收签字后销号）：第 4–5、9 行" in lines
    assert "  整改中 1 条 → 记“备注”，仍是未整改：第 6 行" in lines
    assert "  未整改或未填 2 条 → 按未整改登记：第 7–8 行" in lines
    assert "  未整改且已过整改期限、计入逾期（hazards overdue）2 条：第 6–7 行" in lines
    assert "  一般隐患发现超过 15 天仍未整改、应提级督办（hazards escalate）2 条：第 6–7 行" in lines
    assert res.err == ""  # nothing unknown, nothing refused

    got = by_title(demo_copy)
    want = {  # title: (unit — the directory's name for an alias too —, found, deadline, status)
        "甲醇储罐区静电接地线断开": ("青岚县宏达化工有限公司", "2023-08-01", "2023-08-15", "验收逾期"),
        "配电室未配备绝缘手套": ("青岚县宏达化工有限公司", "2023-08-01", "2023-08-20", "验收逾期"),
        "消防通道堆放杂物": ("青岚县宏达化工有限公司", "2023-09-05", "2023-09-20", "逾期未整改"),
        "边坡未按规定分台阶开采": ("青岚县石桥石料厂", "2023-09-10", "2023-10-10", "逾期未整改"),
        "破碎机传动部位防护罩缺失": ("青岚县石桥石料厂", "2023-11-20", "2023-12-20", "待整改"),
        "炸药临时存放点无人看守": ("青岚县石桥石料厂", "2023-10-08", "2023-10-20", "验收逾期"),
    }
    assert {t: (got[t]["unit"], got[t]["found"], got[t]["deadline"], got[t]["status_label"]) for t in want} == want
    assert all(got[t]["township"] == "石桥镇" for t in want)
    events = {t: [(e["date"], e["event"], e.get("note")) for e in
                  cli(demo_copy, "hazards", "show", got[t]["id"], "-f", "json").json()["record"]["history"]] for t in want}
    registered = (TODAY, "registered", "从 石桥镇隐患台账.xlsx 导入")
    assert events["甲醇储罐区静电接地线断开"] == [
        ("2023-08-10", "rectified", "据 石桥镇隐患台账.xlsx 的整改完成时间；整改情况：已整改"), registered]
    assert events["配电室未配备绝缘手套"] == [
        ("2023-08-18", "rectified", "据 石桥镇隐患台账.xlsx 的整改情况：2023年8月18日已整改"), registered]
    assert events["消防通道堆放杂物"] == [registered, (TODAY, "note", "整改情况（据 石桥镇隐患台账.xlsx）：整改中")]
    assert events["边坡未按规定分台阶开采"] == [registered]
    assert events["炸药临时存放点无人看守"][0][:2] == ("2023-10-18", "rectified")

    # what the import said will be overdue is what `hazards overdue` now counts
    after = overdue_ids(demo_copy)
    assert after - before == {got["消防通道堆放杂物"]["id"], got["边坡未按规定分台阶开采"]["id"]}
    assert before <= after
    problems = cli(demo_copy, "check", "-f", "json").json()
    assert [p for p in problems if p["severity"] == "error"] == []
    assert not [p for p in problems if p["path"] == "hazards/2023/shiqiao.yaml"]

    again = cli(demo_copy, "import", "hazards", str(book), "--by", "雷鸣")
    assert again.code == 0 and "新增 0 条，已存在 6 条（其中与台账不同 0 条）" in again.out
    assert overdue_ids(demo_copy) == after


def test_the_header_may_be_in_row_2_or_3(demo_copy, tmp_path):
    for titles in (("石桥镇安全隐患排查台账",), ()):
        root = demo_copy
        book = township_sheet(tmp_path / f"t{len(titles)}.xlsx", TOWNSHIP_ROWS[:1], titles)
        res = cli(root, "import", "hazards", str(book), "--by", "雷鸣", "--dry-run")
        assert res.code == 0 and "将新增 1 条" in res.out, res.err
        assert f"合计行 1 行（第 {len(titles) + 3} 行）" in res.out


def test_a_rectification_without_a_day_is_refused_not_guessed(demo_copy, tmp_path):
    rows = [TOWNSHIP_ROWS[0][:5] + ("已整改", None), (None,) + TOWNSHIP_ROWS[2][1:]]
    book = township_sheet(tmp_path / "台账.xlsx", rows)
    res = cli(demo_copy, "import", "hazards", str(book), "--by", "雷鸣")
    assert res.code == 1
    assert "台账.xlsx:Sheet1!H4: 整改情况写“已整改”，但没有整改完成的日期" in res.err
    assert "新增 1 条" in res.out and "有错 1 条（未写入）" in res.out
    assert "甲醇储罐区静电接地线断开" not in by_title(demo_copy)
    res = cli(demo_copy, "import", "hazards", str(book), "--by", "雷鸣", "--keep-invalid")
    draft = next((demo_copy / "drafts").glob("*.yaml")).read_text(encoding="utf-8")
    assert "# 表中整改情况：已整改（移入台账后用 anquan hazards rectify 等命令登记）" in draft
    assert "progress" not in draft


@pytest.mark.parametrize(("progress", "done", "message"), [
    ("整改中", dt.datetime(2023, 8, 10), "整改情况写“整改中”（未整改完），却填了整改完成时间 2023-08-10"),
    ("2023年8月9日已整改", "2023.8.10", "日期 2023-08-09 与整改完成时间 2023-08-10 不同"),
    ("已整改", "2023.7.1", "整改完成日期 2023-07-01 早于发现日期 2023-08-01"),
    ("已整改", "2023.12.1", "整改完成日期 2023-12-01 晚于今天 2023-11-30"),
    ("已整改", "下周", "整改完成时间“下周”不是日期"),
])
def test_a_rectification_that_does_not_add_up_is_refused_at_its_cell(demo_copy, tmp_path, progress, done, message):
    book = township_sheet(tmp_path / "台账.xlsx", [TOWNSHIP_ROWS[0][:5] + (progress, done)])
    res = cli(demo_copy, "import", "hazards", str(book), "--by", "雷鸣")
    assert res.code == 1 and message in res.err, res.err
    assert re.search(r"台账\.xlsx:Sheet1!(H|I)4: ", res.err)


def test_a_rectification_on_the_day_found_and_today_is_taken(demo_copy, tmp_path):
    rows = [TOWNSHIP_ROWS[0][:5] + ("已整改", "2023.8.1"),
            (None, "配电室未配备绝缘手套", "2023.8.1", "2023.8.20", "林志远", "2023年11月30日已整改", None)]
    res = cli(demo_copy, "import", "hazards", str(township_sheet(tmp_path / "台账.xlsx", rows)), "--by", "雷鸣")
    assert res.code == 0, res.err
    got = by_title(demo_copy)
    assert [got[t]["status_label"] for t in ("甲醇储罐区静电接地线断开", "配电室未配备绝缘手套")] == ["验收逾期", "待验收"]


def test_a_sheet_again_with_a_rectification_the_ledger_lacks_is_reported(demo_copy, tmp_path):
    open_rows = [TOWNSHIP_ROWS[3]]
    cli(demo_copy, "import", "hazards", str(township_sheet(tmp_path / "a.xlsx", open_rows)), "--by", "雷鸣")
    done = [TOWNSHIP_ROWS[3][:5] + ("2023年10月9日已整改", None)]
    res = cli(demo_copy, "import", "hazards", str(township_sheet(tmp_path / "b.xlsx", done)), "--by", "雷鸣")
    assert res.code == 0
    ident = by_title(demo_copy)["边坡未按规定分台阶开采"]["id"]
    assert (f"表中整改情况为“2023年10月9日已整改”（2023-10-09），台账未登记整改完成（属实的话：anquan hazards rectify {ident} "
            "--date 2023-10-09）（未修改台账）") in res.out
    assert by_title(demo_copy)["边坡未按规定分台阶开采"]["status_label"] == "逾期未整改"


# ---------------------------------------------------------------------- 整改情况, rows, kinds: the rules


FOUND = dt.date(2023, 8, 1)


@given(st.dates(min_value=FOUND, max_value=dt.date(2030, 12, 31)),
       st.sampled_from(["{y}年{m}月{d}日已整改", "{y}.{m}.{d}", "已于{y}年{m}月{d}日整改完成", "{y}-{m:02d}-{d:02d} 已完成",
                        "{y}/{m}/{d}整改到位"]))
def test_a_day_written_in_the_cell_is_the_rectification_day(day, form):
    from anquan_cli.rules.imports import RECTIFIED, read_progress

    p = read_progress(form.format(y=day.year, m=day.month, d=day.day), None, FOUND)
    assert (p.state, p.day, p.day_from) == (RECTIFIED, day, "cell")


@pytest.mark.parametrize(("cell", "state"), [
    ("整改中", "in_progress"), ("正在整改", "in_progress"), ("部分完成", "in_progress"),
    ("计划10月底前完成整改", "in_progress"), ("2023年10月30日前完成", "in_progress"),
    ("未整改", "open"), ("未完成", "open"), ("否", "open"),
])
def test_words_of_a_rectification_not_done(cell, state):
    from anquan_cli.rules.imports import read_progress

    p = read_progress(cell, None, FOUND)
    assert (p.state, p.day, p.understood) == (state, None, True)


def test_words_not_understood_count_open_and_a_month_day_takes_the_found_year():
    from anquan_cli.rules.imports import OPEN, RECTIFIED, read_progress

    p = read_progress("已下达整改通知书", None, FOUND)  # the inspector's step, not the enterprise's
    assert (p.state, p.understood) == (OPEN, False)
    assert read_progress("已更换灭火器", "2023/8/5", FOUND).day == dt.date(2023, 8, 5)
    p = read_progress("8月10日已整改", None, FOUND)
    assert (p.state, p.day, p.year_guessed) == (RECTIFIED, dt.date(2023, 8, 10), True)
    p = read_progress("1月5日已整改", None, dt.date(2023, 12, 20))  # after the found day: the next year
    assert p.day == dt.date(2024, 1, 5)
    assert read_progress(dt.date(2023, 8, 9), None, FOUND).day == dt.date(2023, 8, 9)  # a date cell
    assert read_progress("", None, FOUND) is None and read_progress(None, None, FOUND) is None
    assert read_progress(None, "2023.8.9", FOUND).state == RECTIFIED


@pytest.mark.parametrize(("cells", "why"), [
    (["合计", "", "共4条"], "合计"), ([None, "小计", 3], "合计"), ([" 合 计 "], "合计"), ([7, "总计"], "合计"),
    (["备注：以上隐患已通报"], "备注"), (["注：整改期限以通知书为准"], "备注"), (["填表人：张三", "审核人：李四"], "备注"),
    ([1, "宏达化工", "合计划分区域"], None), (["注意防火"], None), ([3, "石桥石料厂", "备注栏未填"], None),
])
def test_totals_and_footnote_rows(cells, why):
    from anquan_cli.rules.imports import summary_row

    assert summary_row(cells) == why


@pytest.mark.parametrize(("name", "kind"), [
    ("石桥镇", "乡镇"), ("柳溪乡", "乡镇"), ("东城街道", "乡镇"), ("东城街道办事处", "乡镇"),
    ("青岚县应急管理局", "部门"), ("石桥镇应急站", "部门"), ("城关派出所", "部门"), ("县安委办", "部门"),
    ("青岚县市场监督管理局", "部门"), ("石桥镇人民政府", "部门"), ("县消防救援大队", "部门"),
    ("河口村", "村"), ("东关社区", "村"), ("河口村民委员会", "村"),
    ("顺达加油站", "企业"), ("宏达化工有限公司", "企业"), ("新华砖厂", "企业"), ("仁心诊所", "企业"),
    ("康宁养老院", "企业"), ("溪山漂流", "企业"),
])
def test_a_unit_kind_from_its_name(name, kind):
    from anquan_cli.rules.imports import kind_from_name

    assert kind_from_name(name).label == kind


# ---------------------------------------------------------------------- people and units


def test_people_without_ids_get_ids_from_name_and_unit(workspace, tmp_path):
    sheet = tmp_path / "人员.csv"
    sheet.write_text("序号,姓名,职务,单位,手机\n1,赵强,站长,石桥石料厂,13900000007\n2,钱多,安全员,宏达化工有限公司,\n"
                     "3,王芳,安全总监,宏达化工有限公司,\n", encoding="utf-8")
    ids = []
    for n in (1, 2):
        root = workspace() if n == 1 else tmp_path / "other"
        if n == 2:
            import shutil

            shutil.copytree(tmp_path / "ws", root)
            (root / "org/people.yaml").write_text((tmp_path / "people-before.yaml").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
        else:
            (tmp_path / "people-before.yaml").write_text((root / "org/people.yaml").read_text(encoding="utf-8"),
                                                         encoding="utf-8")
        res = cli(root, "import", "people", str(sheet), "--by", "x")
        assert res.code == 0, res.err
        assert "新增 2 条，已存在 1 条" in res.out  # 王芳 of 宏达化工 is P3
        from anquan_cli.workspace import load_workspace

        people = {p.name: p.id for p in load_workspace(root, use_cache=False)[0].people}
        ids.append((people["赵强"], people["钱多"]))
        assert people["王芳"] == "P3"
        assert f"按姓名和单位生成 2 个编号：赵强 {people['赵强']}、钱多 {people['钱多']}。" in res.out
    assert ids[0] == ids[1]  # the same people get the same ids in another copy (another branch)
    assert all(re.fullmatch(r"P-[0-9a-f]{5}", i) for i in ids[0]) and ids[0][0] != ids[0][1]
    again = cli(root, "import", "people", str(sheet), "--by", "x")
    assert "新增 0 条，已存在 3 条" in again.out


def test_a_person_id_never_clashes():
    from anquan_cli.rules.imports import id_prefix, person_id

    first = person_id("赵强", "石桥石料厂", set())
    assert person_id("赵强", "石桥石料厂", set()) == first  # deterministic
    assert person_id("赵 强", "石桥石料厂", set()) == first  # folded
    taken = {first}
    second = person_id("赵强", "石桥石料厂", taken)
    assert second != first and second.startswith(first) and len(second) == len(first) + 1
    assert person_id("赵强", "别的单位", set()) != first
    assert id_prefix(["P001", "P002", "X9"]) == "P" and id_prefix(["RY-1", "RY-2"]) == "RY" and id_prefix([]) == "P"


def test_a_name_two_people_share_needs_the_unit(workspace, tmp_path):
    root = workspace({"org/people.yaml": """\
        - {id: P1, name: 张伟, unit: 宏达化工有限公司}
        - {id: P2, name: 张伟, unit: 石桥镇}
        """})
    sheet = tmp_path / "p.csv"
    sheet.write_text("姓名,职务,单位\n张伟,安全员,\n张伟,副镇长,石桥镇\n", encoding="utf-8")
    res = cli(root, "import", "people", str(sheet), "--by", "x")
    assert res.code == 1
    assert "p.csv:2: 人员名录中有 2 位“张伟”：P1（宏达化工有限公司）、P2（石桥镇）；表中写上人员编号或所在单位" in res.err
    assert "已存在 1 条" in res.out


def test_units_without_a_kind_column(workspace, tmp_path):
    root = workspace()
    sheet = tmp_path / "单位.csv"
    sheet.write_text("序号,单位名称,所属乡镇,行业领域\n1,石桥镇新华砖厂,石桥镇,工贸\n2,河口村,石桥镇,\n3,石桥镇农技站,石桥镇,\n"
                     "4,白沙镇,,\n合计,4,,\n", encoding="utf-8")
    res = cli(root, "import", "units", str(sheet), "--by", "x")
    assert res.code == 0, res.err
    assert "单位类型按名称推断（表中没有“类型”列或未填）4 个，不对的请在 org/units.yaml 中移到相应的分节：" in res.out
    assert "  企业 1：石桥镇新华砖厂（第 2 行）" in res.out and "  村 1：河口村（第 3 行）" in res.out
    assert "  部门 1：石桥镇农技站（第 4 行）" in res.out and "  乡镇 1：白沙镇（第 5 行）" in res.out
    assert "合计行 1 行（第 6 行）" in res.out
    from anquan_cli.models import UnitKind
    from anquan_cli.workspace import load_workspace

    ws, problems = load_workspace(root, use_cache=False)
    assert problems == []
    kinds = {u.name: u.kind for u in ws.units}
    assert kinds["石桥镇新华砖厂"] is UnitKind.ENTERPRISE and kinds["河口村"] is UnitKind.VILLAGE
    assert kinds["石桥镇农技站"] is UnitKind.DEPARTMENT and kinds["白沙镇"] is UnitKind.TOWNSHIP
    # a 类型 column, where the sheet has one, is taken as written
    (tmp_path / "u2.csv").write_text("单位名称,类型\n河口砂石场,村\n", encoding="utf-8")
    res = cli(root, "import", "units", str(tmp_path / "u2.csv"), "--by", "x")
    assert res.code == 0 and "推断" not in res.out


# ---------------------------------------------------------------------- columns not understood


def test_unknown_columns_get_a_suggested_map_file(workspace, tmp_path):
    root = workspace()
    sheet = tmp_path / "检查记录.csv"
    sheet.write_text("问题描述,企业名称,检查日期,整改期限,责任人,隐患等级,检查人\n"
                     "配电箱未接地,宏达化工有限公司,2023/8/1,2023/8/15,王芳,一般,张三\n", encoding="utf-8")
    res = cli(root, "import", "hazards", str(sheet), "--by", "王芳")
    assert res.code == 1
    target = tmp_path / "检查记录.map.yaml"
    assert "注意：不认识的列已忽略：问题描述、检查人" in res.err
    assert "  问题描述 → title（隐患名称）" in res.err and "  检查人 → ？（认不出：填字段名，或忽略）" in res.err
    assert f"已写映射文件 {target}：核对后用 --map {target} 再导入。" in res.err
    text = target.read_text(encoding="utf-8")
    assert "  问题描述: title  # 猜的：像“隐患名称”\n  检查人: 忽略  # 认不出\n" in text
    ok = cli(root, "import", "hazards", str(sheet), "--by", "王芳", "--map", str(target))
    assert ok.code == 0, ok.err
    assert ok.err == "" and by_title(root)["配电箱未接地"]["unit"] == "宏达化工有限公司"
    # an existing map file is never overwritten
    target.write_text("# mine\n", encoding="utf-8")
    again = cli(root, "import", "hazards", str(sheet), "--by", "王芳", "--dry-run")
    assert f"已有 {target}（未覆盖）" in again.err and target.read_text(encoding="utf-8") == "# mine\n"
    # a dry run says where the map would go and writes nothing
    target.unlink()
    dry = cli(root, "import", "hazards", str(sheet), "--by", "王芳", "--dry-run")
    assert f"去掉 --dry-run 时写成映射文件 {target}" in dry.err and not target.exists()


def test_no_map_file_is_written_inside_the_workspace(workspace):
    root = workspace()
    sheet = root / "检查记录.csv"
    sheet.write_text("问题描述,企业名称,检查日期,隐患等级\n配电箱未接地,宏达化工有限公司,2023/8/1,一般\n", encoding="utf-8")
    res = cli(root, "import", "hazards", str(sheet), "--by", "王芳", "--dry-run")
    assert "表格在工作区内，未写映射文件" in res.err
    assert not list(root.glob("*.map.yaml"))


def test_a_map_naming_no_field_is_refused_with_its_line(workspace, tmp_path):
    root = workspace()
    (tmp_path / "x.csv").write_text("问题描述,单位名称,发现日期,整改期限,隐患等级\n"
                                    "配电箱未接地,宏达化工有限公司,2023/8/1,2023/8/20,一般\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text("columns:\n  问题描述: 隐患名称\n  单位名称: 企业名录\n", encoding="utf-8")
    res = cli(root, "import", "hazards", str(tmp_path / "x.csv"), "--map", str(tmp_path / "m.yaml"), "--dry-run")
    assert res.code == 2
    assert f"{tmp_path / 'm.yaml'}:3：列“单位名称”对应的“企业名录”不是隐患的字段" in res.err
    (tmp_path / "m.yaml").write_text("columns:\n  问题描述: 隐患名称\n", encoding="utf-8")  # a Chinese header works
    res = cli(root, "import", "hazards", str(tmp_path / "x.csv"), "--map", str(tmp_path / "m.yaml"), "--dry-run")
    assert res.code == 0 and "将新增 1 条" in res.out, res.err


# ---------------------------------------------------------------------- unit names


def test_an_ambiguous_unit_is_refused_with_the_nearest_names(demo_copy, tmp_path):
    rows = [("石桥",) + TOWNSHIP_ROWS[3][1:], ("石料厂",) + TOWNSHIP_ROWS[4][1:]]
    res = cli(demo_copy, "import", "hazards", str(township_sheet(tmp_path / "t.xlsx", rows)), "--by", "雷鸣")
    assert res.code == 1
    assert ("t.xlsx:Sheet1!B4: 单位“石桥”不在单位名录中，与之相近的不止一个：石桥村、石桥镇、石桥镇应急站、石桥镇人民政府、"
            "中共石桥镇委员会、青岚县石桥石料厂；请写全称（或名录中的简称）") in res.err
    assert "“石料厂” → “青岚县石桥石料厂”（第 5 行）" in res.out and "新增 1 条" in res.out


def test_hazards_add_resolves_a_short_name(demo_copy):
    res = cli(demo_copy, "hazards", "add", "--title", "疏散通道堵塞", "--unit", "康宁养老", "--level", "一般",
              "--found", "2023-11-28", "--deadline", "2023-12-10", "--owner", "周建国", "--by", "雷鸣")
    assert res.code == 0, res.err
    assert ("注意：单位“康宁养老”不在单位名录中，名录中与之相符的只有“青岚县康宁养老院”，按它登记（常用的简称可登记在 "
            "org/units.yaml 该单位的 aliases 中）（乡镇：城关镇，行业领域：民政福利）") in res.err
    assert "（hazards/2023/chengguan.yaml）" in res.out
    h = by_title(demo_copy)["疏散通道堵塞"]
    assert (h["unit"], h["township"], h["sector"]) == ("青岚县康宁养老院", "城关镇", "民政福利")
    assert not [p for p in cli(demo_copy, "check", "-f", "json").json() if "疏散通道" in p["message"] or
                p["path"] == "hazards/2023/misc.yaml"]
    misspelt = cli(demo_copy, "hazards", "add", "--title", "边坡裂缝", "--unit", "石桥石料场", "--level", "一般",
                   "--found", "2023-11-28", "--deadline", "2023-12-10", "--owner", "段宏", "--by", "雷鸣")
    assert misspelt.code == 0 and "按写法最接近的“青岚县石桥石料厂”登记" in misspelt.err
    assert "（hazards/2023/shiqiao.yaml）" in misspelt.out


def test_hazards_add_refuses_an_ambiguous_unit_and_keeps_an_unknown_one(demo_copy):
    before = sorted(p.read_bytes() for p in (demo_copy / "hazards").rglob("*.*"))
    res = cli(demo_copy, "hazards", "add", "--title", "x", "--unit", "应急站", "--level", "一般",
              "--deadline", "2023-12-10", "--owner", "雷鸣", "--by", "雷鸣")
    assert res.code == 2
    assert "--unit：单位“应急站”不在单位名录中，与之相近的不止一个：白沙镇应急站、石桥镇应急站；请写全称" in res.err
    assert sorted(p.read_bytes() for p in (demo_copy / "hazards").rglob("*.*")) == before
    new = cli(demo_copy, "hazards", "add", "--title", "x", "--unit", "东风五金店", "--level", "一般",
              "--deadline", "2023-12-10", "--owner", "雷鸣", "--by", "雷鸣")
    assert new.code == 0 and "unit-unknown" in new.err  # a unit not in the directory yet: warned, as check does


def test_accidents_add_resolves_a_short_name(demo_copy):
    res = cli(demo_copy, "accidents", "add", "--occurred", "2023-11-20 08:15", "--unit", "永兴木业加工",
              "--title", "机械伤害", "--minor-injuries", "1")
    assert res.code == 0, res.err
    assert "按它登记" in res.err
    got = [a for a in cli(demo_copy, "accidents", "list", "-f", "json").json() if a["occurred"].startswith("2023-11-20")]
    assert got[0]["unit"] == "石桥镇永兴木业加工厂" and got[0]["township"] == "石桥镇"


def test_unit_matching_on_both_sides_of_its_limits():
    from anquan_cli.models import Unit
    from anquan_cli.rules.lookup import Directory

    units = [Unit(name="青岚县宏达化工有限公司", kind="企业", aliases=["宏达化工"]),
             Unit(name="青岚县石桥石料厂", kind="企业"), Unit(name="石桥镇", kind="乡镇"), Unit(name="石桥村", kind="村")]
    d = Directory([], units)

    def got(text):
        m = d.match_unit(text)
        return (m.unit.name if m.unit else None, m.how, m.ambiguous)

    assert got("宏达化工") == ("青岚县宏达化工有限公司", "exact", False)
    assert got("宏达") == ("青岚县宏达化工有限公司", "short", False)
    assert got("宏达化工有限公司") == ("青岚县宏达化工有限公司", "short", False)   # without the county
    assert got("白沙县宏达化工有限公司") == ("青岚县宏达化工有限公司", "short", False)  # another county written
    assert got("宏达化工公司") == ("青岚县宏达化工有限公司", "short", False)       # characters in order, 6 of 11
    assert got("宏达公司")[0] is None                                           # in order, but 4 of 11: too few
    assert got("石桥石料场") == ("青岚县石桥石料厂", "spelling", False)            # 石桥石料厂 without the county: 0.8 alike
    assert got("石桥砂料场")[0] is None                                         # 0.6 alike: not taken
    assert got("石桥") == (None, "short", True)
    assert got("宏") == (None, "", False)                                        # one character is no name
    assert got("东风五金店") == (None, "", False)


def test_hazards_set_unit_resolves_and_refuses_like_add(demo_copy):
    res = cli(demo_copy, "hazards", "set", "SQ-2023-001", "unit", "石桥", "--reason", "更正", "--by", "雷鸣")
    assert res.code == 2 and "与之相近的不止一个" in res.err
    res = cli(demo_copy, "hazards", "set", "CG-2023-004", "unit", "康宁养老", "--reason", "更正", "--by", "雷鸣")
    assert res.code == 0, res.err
    assert "按它登记" in res.err and by_title(demo_copy)[cli(demo_copy, "hazards", "show", "CG-2023-004", "-f", "json")
                                                      .json()["title"]]["unit"] == "青岚县康宁养老院"


def test_a_sheet_without_a_level_column_is_told_to_use_defaults_and_then_imports(workspace, tmp_path):
    root = workspace()
    sheet = tmp_path / "排查表.csv"
    sheet.write_text("隐患描述,单位名称,发现时间,整改期限,责任人\n"
                     "配电箱未接地,宏达化工有限公司,2023/8/1,2023/8/15,王芳\n", encoding="utf-8")
    res = cli(root, "import", "hazards", str(sheet), "--by", "王芳")
    assert res.code == 1
    assert "写在映射文件的 defaults 下，如 level: 一般" in res.err
    target = tmp_path / "排查表.map.yaml"
    text = target.read_text(encoding="utf-8")
    assert "# defaults:\n#   level: 一般\n" in text and f"--data {root}" in text
    # the user takes the suggestion: the warning is gone and the rows import
    target.write_text(text.replace("# defaults:\n#   level: 一般\n", "defaults:\n  level: 一般\n"), encoding="utf-8")
    ok = cli(root, "import", "hazards", str(sheet), "--by", "王芳", "--map", str(target))
    assert ok.code == 0, ok.err
    assert "必填而表中没有认出的" not in ok.err
    assert by_title(root)["配电箱未接地"]["level"] in ("一般", "general")


def test_a_dry_run_refuses_what_the_import_would_refuse(workspace, tmp_path):
    """The dry run validates with check's rules as the import does: an owner not in the
    directory is refused by both, and the dry run writes nothing."""
    root = workspace()
    sheet = tmp_path / "表.csv"
    sheet.write_text("隐患名称,单位名称,发现日期,整改期限,隐患等级,责任人\n"
                     "配电箱未接地,宏达化工有限公司,2023/8/1,2023/8/20,一般,王芳\n"
                     "消防通道堵塞,宏达化工有限公司,2023/8/2,2023/8/20,一般,查无此人\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    dry = cli(root, "import", "hazards", str(sheet), "--dry-run")
    assert dry.code == 1 and "将新增 1 条" in dry.out and "查无此人" in dry.err
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".anquan" not in p.parts} == \
        {p: b for p, b in before.items() if ".anquan" not in p.parts}
    real = cli(root, "import", "hazards", str(sheet), "--by", "王芳")
    assert real.code == 1 and "新增 1 条" in real.out and "查无此人" in real.err

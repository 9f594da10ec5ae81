"""``anquan check`` as a user runs it: every defect reported at its file and line."""

from __future__ import annotations

import codecs

from conftest import DEMO, check_json, where

HAZARD = """\
    - id: {id}
      title: 储罐区可燃气体报警器未定期检定
      unit: 宏达化工有限公司
      township: 石桥镇
      sector: 危险化学品
      level: 一般
      source: 企业自查
      found: 2023-03-01
      deadline: 2023-03-10
      owner: 王芳
"""


def test_demo_workspace_is_clean(cli):
    res = cli("check", "--data", str(DEMO), "--today", "2023-11-30")
    assert res.code == 0, res.out
    assert res.lines[-1].startswith("检查通过：25 个文件、588 条记录")


def test_demo_workspace_is_clean_even_strict_and_today(cli):
    res = cli("check", "--data", str(DEMO), "--strict")
    assert res.code == 0, res.out


def test_clean_fixture_exits_0(cli, workspace):
    root = workspace({"hazards/a.yaml": HAZARD.format(id="H-1")})
    res = cli("check", "--data", str(root), "--today", "2023-11-30")
    assert res.code == 0
    assert res.out == "检查通过：4 个文件、10 条记录，没有发现问题。\n"


def test_yaml_syntax_error_reports_line(cli, workspace):
    root = workspace({"hazards/a.yaml": "- id: H-1\n  title: [未闭合\n  unit: x\n"})
    problems = check_json(cli, root)
    assert ("hazards/a.yaml", 3, "yaml-syntax") in where(problems)


def test_tab_indentation_message_is_chinese(cli, workspace):
    root = workspace({"hazards/a.yaml": "- id: H-1\n\ttitle: x\n"})
    (p,) = check_json(cli, root)
    assert p["line"] == 2 and "Tab" in p["message"]


def test_impossible_date_at_its_line(cli, workspace):
    text = HAZARD.format(id="H-1").replace("found: 2023-03-01", "found: 2023-02-30")
    root = workspace({"hazards/a.yaml": text})
    (p,) = check_json(cli, root)
    assert (p["path"], p["line"], p["code"]) == ("hazards/a.yaml", 8, "date-invalid")
    assert "2023年2月没有30日" in p["message"]


def test_wrong_types_and_unknown_level_and_source(cli, workspace):
    text = (HAZARD.format(id="H-1")
            .replace("level: 一般", "level: 特大")
            .replace("source: 企业自查", "source: 路人甲")
            .replace("deadline: 2023-03-10", "deadline: [2023-03-10]"))
    root = workspace({"hazards/a.yaml": text})
    got = {(p["line"], p["code"]) for p in check_json(cli, root)}
    assert got == {(6, "value-invalid"), (7, "value-invalid"), (9, "date-invalid")}


def test_unknown_level_message_lists_choices(cli, workspace):
    root = workspace({"hazards/a.yaml": HAZARD.format(id="H-1").replace("level: 一般", "level: 特大")})
    (p,) = check_json(cli, root)
    assert p["message"] == "level（隐患等级）：未知的隐患等级“特大”，应为以下之一：一般、重大"


def test_english_level_words_are_accepted(cli, workspace):
    text = HAZARD.format(id="H-1").replace("level: 一般", "level: general")
    root = workspace({"hazards/a.yaml": text})
    assert check_json(cli, root) == []


def test_duplicate_ids_across_files(cli, workspace):
    root = workspace({
        "hazards/2023/a.yaml": HAZARD.format(id="H-1"),
        "hazards/2023/b.yaml": "# 第二个乡镇\n" + HAZARD.format(id="H-1"),
    })
    (p,) = check_json(cli, root)
    assert (p["path"], p["line"], p["code"]) == ("hazards/2023/b.yaml", 2, "duplicate-id")
    assert "hazards/2023/a.yaml:1" in p["message"]


def test_deadline_and_closed_before_found(cli, workspace):
    text = (HAZARD.format(id="H-1").replace("deadline: 2023-03-10", "deadline: 2023-02-10")
            + "      closed: 2023-02-01\n")
    root = workspace({"hazards/a.yaml": text})
    assert where(check_json(cli, root)) == {
        ("hazards/a.yaml", 9, "deadline-before-found"),
        ("hazards/a.yaml", 11, "closed-before-found"),
    }


def test_unknown_person_suggests_closest(cli, workspace):
    text = HAZARD.format(id="H-1").replace("owner: 王芳", "owner: 王方")
    root = workspace({"hazards/a.yaml": text})
    (p,) = check_json(cli, root)
    assert (p["line"], p["code"]) == (10, "person-unknown")
    assert p["hint"] == "是不是“王芳”？"


def test_person_by_id_and_by_name_with_title(cli, workspace):
    root = workspace({"hazards/a.yaml": HAZARD.format(id="H-1").replace("owner: 王芳", "owner: P3")
                      + HAZARD.format(id="H-2").replace("owner: 王芳", "owner: 王芳（安全总监）")})
    assert check_json(cli, root) == []


def test_ambiguous_name_asks_for_id(cli, workspace):
    people = """\
        - {id: P1, name: 张伟, title: 副县长}
        - {id: P9, name: 张伟, title: 村支书}
        - {id: P3, name: 王芳}
        """
    root = workspace({"org/people.yaml": people,
                      "hazards/a.yaml": HAZARD.format(id="H-1").replace("owner: 王芳", "owner: 张伟")})
    (p,) = check_json(cli, root)
    assert (p["line"], p["code"]) == (10, "person-ambiguous")
    assert "P1" in p["message"] and "P9" in p["message"]


def test_unknown_unit_township_sector_are_warnings(cli, workspace):
    text = (HAZARD.format(id="H-1")
            .replace("unit: 宏达化工有限公司", "unit: 宏达化工有限公")
            .replace("township: 石桥镇", "township: 石乔镇")
            .replace("sector: 危险化学品", "sector: 危险化学"))
    root = workspace({"hazards/a.yaml": text})
    problems = check_json(cli, root)
    assert {(p["line"], p["code"], p["severity"], p["hint"]) for p in problems} == {
        (3, "unit-unknown", "warning", "是不是“宏达化工有限公司”？"),
        (4, "township-unknown", "warning", "是不是“石桥镇”？"),
        (5, "sector-unknown", "warning", "是不是“危险化学品”？"),
    }
    # warnings alone: exit 0, unless --strict
    assert cli("check", "--data", str(root), "--today", "2023-11-30").code == 0
    assert cli("check", "--data", str(root), "--today", "2023-11-30", "--strict").code == 1


MAJOR = """\
    - id: M-1
      title: 甲类仓库与办公楼防火间距不足
      unit: 宏达化工有限公司
      level: 重大
      source: 专家检查
      found: 2023-03-02
      deadline: 2023-09-30
      owner: 王芳
      measures: 迁建甲类仓库
      funds: 85万元
      plan: 《专项应急预案》
      supervisor: 县安委会办公室
      listing: {by: 县安委会办公室, date: 2023-03-03, tracker: 王芳}
"""


def test_major_hazard_with_all_five_elements_is_clean(cli, workspace):
    root = workspace({"hazards/a.yaml": MAJOR})
    assert check_json(cli, root) == []


def test_major_hazard_missing_each_element(cli, workspace):
    names = {"measures": "治理措施", "funds": "治理资金", "deadline": "整改时限",
             "plan": "应急预案", "owner": "责任人员"}
    for field, zh in names.items():
        text = "\n".join(line for line in MAJOR.splitlines() if not line.strip().startswith(field + ":"))
        root = workspace({"hazards/a.yaml": text + "\n"})
        (p,) = check_json(cli, root)
        assert (p["path"], p["line"], p["code"]) == ("hazards/a.yaml", 1, "five-elements-missing"), field
        assert p["message"] == f"重大隐患 M-1 缺少“五落实”中的：{zh}"


def test_major_hazard_without_a_listing_is_an_error(cli, workspace):
    # 001 一（1）: "对……重大事故隐患，要挂牌督办，并明确跟踪督办的具体责任人"
    root = workspace({"hazards/a.yaml": MAJOR.replace("      listing: {by: 县安委会办公室, date: 2023-03-03, tracker: 王芳}\n", "")})
    (p,) = check_json(cli, root)
    assert (p["line"], p["code"], p["severity"]) == (1, "listing-missing", "error")
    assert p["message"] == "重大隐患 M-1 未挂牌督办"


def test_higher_inspection_recorded_as_general(cli, workspace):
    text = HAZARD.format(id="H-1").replace("source: 企业自查", "source: 上级督查")
    root = workspace({"hazards/a.yaml": text})
    (p,) = check_json(cli, root)
    assert (p["line"], p["code"]) == (6, "higher-inspection-general")


def test_matrix_and_activity_and_duty_people(cli, workspace):
    root = workspace({
        "matrix/m.yaml": """\
            entries:
              - id: BB-1
                kind: 重点企业
                guarantor: 张伟
                responsible: [李娜, 赵六]
                targets: [宏达化工有限公司, 不存在的公司]
            """,
        "duties/d.yaml": """\
            - id: D-1
              holder: 政府其他领导干部
              action: 组织分管行业监督检查
              activity: 检查
              period: 每季度
            - id: D-2
              holder: 党委书记
              action: 组织召开常委会
              activity: 会议
              period: 每季度
            """,
        "activities/a.csv": "日期,类型,带队领导,内容\n2023/7/1,检查,张伟,检查危化企业\n2023/7/2,检查,赵大,检查\n",
    })
    assert where(check_json(cli, root)) == {
        ("matrix/m.yaml", 5, "person-unknown"),
        ("matrix/m.yaml", 6, "unit-unknown"),
        ("duties/d.yaml", 7, "holder-unknown"),
        ("activities/a.csv", 3, "person-unknown"),
    }


def test_json_objects_have_the_contract_keys(cli, workspace):
    root = workspace({"hazards/a.yaml": HAZARD.format(id="H-1").replace("owner: 王芳", "owner: 无名")})
    (p,) = check_json(cli, root)
    assert {"path", "line", "severity", "code", "message"} <= set(p)


def test_text_output_is_file_line_message(cli, workspace, monkeypatch):
    root = workspace({"hazards/a.yaml": HAZARD.format(id="H-1").replace("owner: 王芳", "owner: 无名")})
    monkeypatch.chdir(root.parent)
    res = cli("check", "--data", "ws", "--today", "2023-11-30")
    assert res.code == 1
    assert res.lines[0].startswith("ws/hazards/a.yaml:10: 错误 [person-unknown] 隐患 H-1 的责任人“无名”")
    assert res.lines[-1] == "检查了 4 个文件、10 条记录：1 个错误，0 个警告。"


def test_every_problem_in_one_run(cli, workspace):
    """One bad record never hides the next one."""
    bad = "\n".join(HAZARD.format(id=f"H-{i}").replace("found: 2023-03-01", f"found: 2023-13-0{i}")
                    for i in range(1, 4))
    root = workspace({"hazards/a.yaml": bad})
    problems = check_json(cli, root)
    assert [p["line"] for p in problems] == [8, 19, 30]


# ---------------------------------------------------------------- CSV ledgers


CSV_HEADER = "隐患编号,隐患名称,单位/企业名称,乡镇,行业领域,隐患等级,隐患来源,发现日期,整改期限,责任人,销号日期\n"
CSV_ROWS = ("H-1,储罐区报警器未检定,宏达化工有限公司,石桥镇,危险化学品,一般,企业自查,2023/3/1,2023/3/10,王芳,\n"
            "H-2,边坡过陡,石桥石料厂,石桥镇,非煤矿山,一般,乡镇排查,2023年3月5日,2023年3月20日,李娜,2023-03-18\n")


def test_gb18030_csv_with_chinese_headers(cli, workspace):
    root = workspace({"hazards/a.csv": (CSV_HEADER + CSV_ROWS).encode("gb18030")})
    assert check_json(cli, root) == []


def test_utf8_bom_csv(cli, workspace):
    root = workspace({"hazards/a.csv": codecs.BOM_UTF8 + (CSV_HEADER + CSV_ROWS).encode("utf-8")})
    assert check_json(cli, root) == []


def test_csv_errors_point_at_the_row_line(cli, workspace):
    rows = CSV_ROWS.replace("李娜", "李哪").replace("2023/3/1,", "2023/2/29,")
    # a multi-line cell in row 1 must not shift the line of row 2
    rows = rows.replace("储罐区报警器未检定", '"储罐区报警器\n未检定"')
    root = workspace({"hazards/a.csv": (CSV_HEADER + rows).encode("gb18030")})
    assert where(check_json(cli, root)) == {
        ("hazards/a.csv", 2, "date-invalid"),
        ("hazards/a.csv", 4, "person-unknown"),
    }


def test_csv_unknown_column_and_extra_cells(cli, workspace):
    text = CSV_HEADER.replace("销号日期", "销号日期,检查人") + CSV_ROWS.replace(",\nH-2", ",,,多余\nH-2")
    root = workspace({"hazards/a.csv": text})
    assert where(check_json(cli, root)) == {
        ("hazards/a.csv", 1, "unknown-column"),
        ("hazards/a.csv", 2, "csv-extra-cell"),
    }


def test_fullwidth_digits_and_chinese_numeral_dates(cli, workspace):
    text = (HAZARD.format(id="Ｈ－１")
            .replace("found: 2023-03-01", "found: ２０２３年３月１日")
            .replace("deadline: 2023-03-10", "deadline: 二〇二三年三月十日"))
    root = workspace({"hazards/a.yaml": text})
    assert check_json(cli, root) == []
    from pathlib import Path

    from anquan_cli.workspace import load_workspace
    ws, _ = load_workspace(Path(root))
    (h,) = ws.hazards
    assert (h.id, h.found.isoformat(), h.deadline.isoformat()) == ("H-1", "2023-03-01", "2023-03-10")


def test_csv_history_cell(cli, workspace):
    header = CSV_HEADER.strip() + ",处理记录\n"
    row = ("H-1,储罐区报警器未检定,宏达化工有限公司,石桥镇,危险化学品,一般,企业自查,2023/3/1,2023/3/10,王芳,,"
           "2023-03-05 整改完成 人=王芳；2023-03-06 验收签字 方=路人 人=李娜；2023-03-06 延期\n")
    root = workspace({"hazards/a.csv": header + row})
    problems = check_json(cli, root)
    assert {(p["line"], p["code"]) for p in problems} == {(2, "value-invalid")}
    assert "签字方" in problems[0]["message"]

"""``anquan init`` as a clerk runs it: from an empty folder to a workspace that passes check, and
on through a hazard's whole closed loop; what it refuses, what it asks, what it never overwrites."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys

import pytest
from conftest import REPO, run_cli
from hypothesis import given
from hypothesis import strategies as st

TOWNSHIP = ("--jurisdiction", "石桥镇", "--level", "乡镇", "--parent", "青岚县", "--code", "SQ")

PEOPLE = """\
  - {id: P1, name: 张书记, title: 党委书记, unit: 中共石桥镇委员会, roles: [党委主要负责人]}
  - {id: P2, name: 王镇长, title: 镇长, unit: 石桥镇人民政府, roles: [政府主要负责人]}
  - {id: P3, name: 陈静, title: 副镇长, unit: 石桥镇人民政府, roles: [政府其他领导干部]}
  - {id: P4, name: 李娜, title: 应急站站长, unit: 石桥镇应急站}
  - {id: P5, name: 王芳, title: 总经理, unit: 宏达化工有限公司, roles: [企业主要负责人]}
  - {id: P6, name: 雷鸣, title: 安委办干部, unit: 石桥镇安全生产委员会办公室}
"""

ENTERPRISE = """\
  - name: 宏达化工有限公司
    aliases: [宏达化工]
    township: 石桥镇
    sector: 危险化学品
    grade: B
"""


@pytest.fixture
def batch(monkeypatch):
    """A script, not a person at a terminal: nothing is asked."""
    init_cmd = importlib.import_module("anquan_cli.cli.init")  # the package's `init` is the command

    monkeypatch.delenv("ANQUAN_DATA", raising=False)
    monkeypatch.delenv("ANQUAN_TODAY", raising=False)
    monkeypatch.setattr(init_cmd, "_interactive", lambda: False)


def _check(root, *extra, today="2026-12-03"):
    return run_cli("check", "--data", str(root), "--today", today, "--format", "json", *extra)


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_init_passes_check_at_once_and_prints_next_steps(tmp_path, batch):
    root = tmp_path / "石桥镇"
    res = run_cli("init", str(root), *TOWNSHIP, "--today", "2026-12-03")
    assert res.code == 0, res.err
    assert res.out.startswith(f"已在 {root.as_posix()} 建立石桥镇（乡镇）的 anquan 工作区，上一级：青岚县：")
    assert "下一步：" in res.out and "anquan hazards add" in res.out and "anquan check" in res.out
    assert "anquan report quarterly --period 2026Q4" in res.out  # the quarter of --today
    checked = _check(root)
    assert checked.code == 0
    # nothing wrong; what is left is whom to register for the seeds' duties (one line a role)
    assert {p["code"] for p in checked.json()} == {"holder-vacant"}
    assert {re.search("“(.+?)”", p["message"]).group(1) for p in checked.json()} == {
        "党委主要负责人", "政府主要负责人", "政府其他领导干部", "企业主要负责人"}
    config = (root / "anquan.yaml").read_text(encoding="utf-8")
    assert "jurisdiction: 石桥镇\nlevel: 乡镇\n" in config and "\nparent: 青岚县\n" in config
    # the record folders the loader reads are there (git keeps them through .gitkeep)
    for folder in ("hazards", "matrix", "tasks", "activities", "accidents", "enforcement", "risks", "patrols"):
        assert (root / folder / ".gitkeep").is_file()
    ignored = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".anquan/" in ignored and "tipoffs/confidential/" in ignored


def test_the_township_skeleton_is_seed_001s_split(tmp_path, batch):
    root = tmp_path / "ws"
    assert run_cli("init", str(root), *TOWNSHIP).code == 0
    res = run_cli("units", "gaps", "--data", str(root), "--format", "json", "--today", "2026-12-03")
    assert res.code == 0, res.err
    import yaml

    units = yaml.safe_load((root / "org/units.yaml").read_text(encoding="utf-8"))
    assert units["townships"] == [{"id": "SQ", "name": "石桥镇"}]
    leads = {u["name"]: u.get("sectors", []) for u in units["departments"]}
    # 001 一（二）4: 应急站牵头负责非煤矿山、危险化学品、工贸、交通运输；城建站 建筑施工、自建房、燃气 …
    assert leads["石桥镇应急站"] == ["非煤矿山", "危险化学品", "工贸", "交通运输"]
    assert leads["石桥镇城建站"] == ["建筑施工", "自建房", "燃气"]
    assert leads["石桥镇消防工作所"] == ["消防"] and leads["石桥镇水利站"] == ["河道治理"]
    assert leads["石桥镇中心校"] == ["校园安全"] and leads["石桥镇林业站"] == ["护林防火"]
    assert leads["石桥镇宣传办"] == ["文化旅游"]
    assert [n for n, s in leads.items() if s == ["涉农企业"]] == ["石桥镇农技站", "石桥镇农经站", "石桥镇畜牧站"]
    assert leads["中共石桥镇委员会"] == [] and leads["石桥镇人民政府"] == []
    assert all(u["township"] == "石桥镇" for u in units["departments"])
    duties = yaml.safe_load((root / "duties/leaders.yaml").read_text(encoding="utf-8"))["duties"]
    by_id = {d["id"]: d for d in duties}
    # a township has no 党委常委会 and its stations are not 002's 市县两级部门
    assert "LZ-03" not in by_id and "LZ-10" not in by_id and "LZ-13" not in by_id
    # 003: the township's own rules, binding only its own people
    assert (by_id["LZ-11"]["period"], by_id["LZ-11"]["max"], by_id["LZ-11"]["scope"]) == ("每半年", 1, "乡镇")
    assert by_id["LZ-12"]["basis"] == "下仓镇实施意见 第6条"
    assert all(d["basis"] for d in duties)
    (ent,) = yaml.safe_load((root / "duties/enterprises.yaml").read_text(encoding="utf-8"))["duties"]
    assert ent["overrides"][0]["period"] == "每半年" and "危险化学品" in ent["overrides"][0]["sectors"]


def test_from_an_empty_folder_through_the_closed_loop(tmp_path, batch):
    """init → register people and an enterprise → add → rectify → the three sign-offs → close."""
    root = tmp_path / "石桥镇"
    assert run_cli("init", str(root), *TOWNSHIP, "--today", "2026-11-01").code == 0
    with open(root / "org/people.yaml", "a", encoding="utf-8") as fh:
        fh.write(PEOPLE)
    with open(root / "org/units.yaml", "a", encoding="utf-8") as fh:
        fh.write(ENTERPRISE)
    checked = _check(root, "--strict", today="2026-11-01")
    assert (checked.code, checked.json()) == (0, [])  # every role of the duties now has someone

    def step(*args: str, today: str):
        res = run_cli("hazards", *args, "--data", str(root), "--today", today)
        assert res.code == 0, res.err
        return res

    res = step("add", "--title", "储罐区可燃气体报警器未定期检定", "--unit", "宏达化工", "--level", "一般",
               "--found", "2026-11-02", "--deadline", "2026-11-20", "--owner", "王芳", "--source", "企业自查",
               "--by", "雷鸣", today="2026-11-02")
    hid, rel = re.fullmatch(r"已登记隐患：(\S+)（(\S+)）\n", res.out).groups()
    assert hid.startswith("SQ-20261102-") and rel == "hazards/2026/sq.yaml"  # the township code of init
    step("rectify", hid, "--by", "王芳", today="2026-11-10")
    step("verify", hid, "--party", "企业", "--by", "王芳", today="2026-11-11")
    step("verify", hid, "--party", "部门", "--by", "李娜", today="2026-11-12")  # 应急站 leads 危险化学品
    step("verify", hid, "--party", "乡镇", "--by", "陈静", today="2026-11-12")
    res = step("close", hid, "--by", "雷鸣", today="2026-11-13")
    assert res.out == f"已销号：{hid}（{rel}）\n"
    shown = run_cli("hazards", "show", hid, "--data", str(root), "--today", "2026-11-13", "-f", "json").json()
    assert (shown["status"], shown["closed"], shown["township"], shown["sector"]) == (
        "closed", "2026-11-13", "石桥镇", "危险化学品")
    import yaml

    (record,) = yaml.safe_load((root / rel).read_text(encoding="utf-8"))["hazards"]
    events = [(e["event"], e.get("party")) for e in record["history"]]
    assert events == [("登记", None), ("整改完成", None), ("验收签字", "企业"), ("验收签字", "部门"),
                      ("验收签字", "乡镇"), ("销号", None)]
    checked = _check(root, "--strict", today="2026-11-13")
    assert (checked.code, checked.json()) == (0, [])


def test_an_escalated_hazard_goes_to_the_parents_government(tmp_path, batch):
    root = tmp_path / "ws"
    assert run_cli("init", str(root), *TOWNSHIP).code == 0
    with open(root / "org/people.yaml", "a", encoding="utf-8") as fh:
        fh.write(PEOPLE)
    with open(root / "org/units.yaml", "a", encoding="utf-8") as fh:
        fh.write(ENTERPRISE)
    assert run_cli("hazards", "add", "--title", "泄压阀失效", "--unit", "宏达化工", "--level", "一般", "--found",
                   "2026-10-01", "--deadline", "2026-10-10", "--owner", "王芳", "--by", "雷鸣", "--data", str(root),
                   "--today", "2026-10-01").code == 0
    res = run_cli("hazards", "escalate", "--apply", "--by", "雷鸣", "--data", str(root), "--today", "2026-10-17")
    assert res.code == 0, res.err
    assert "督办单位：青岚县人民政府" in res.out  # parent: 青岚县 (seed 000 二（二）)


def test_a_county(tmp_path, batch):
    root = tmp_path / "青岚县"
    res = run_cli("init", str(root), "--jurisdiction", "青岚县", "--level", "县")
    assert res.code == 0, res.err
    assert "青岚县（县级）" in res.out
    checked = _check(root)
    assert checked.code == 0 and {p["code"] for p in checked.json()} == {"holder-vacant"}
    import yaml

    units = yaml.safe_load((root / "org/units.yaml").read_text(encoding="utf-8"))
    assert units["townships"] is None and units["enterprises"] is None
    departments = {u["name"]: u for u in units["departments"]}
    assert departments["中共青岚县委员会"]["aliases"] == ["县委", "中共青岚县委"]
    assert departments["青岚县应急管理局"]["aliases"] == ["县应急管理局", "县应急局"]
    assert departments["青岚县应急管理局"]["sectors"] == ["非煤矿山", "危险化学品", "工贸"]
    assert departments["青岚县交通运输局"]["sectors"] == ["交通运输"]
    assert departments["青岚县住房和城乡建设局"]["sectors"] == ["建筑施工", "自建房", "燃气"]
    assert departments["青岚县消防救援大队"]["sectors"] == ["消防"]
    assert all("township" not in u for u in units["departments"])
    # every sector a township station leads has a county department leading it
    township = yaml.safe_load(_township_units(tmp_path))
    station_sectors = {s for u in township["departments"] for s in u.get("sectors", [])}
    assert station_sectors == {s for u in units["departments"] for s in u.get("sectors", [])}
    duties = {d["id"]: d for d in yaml.safe_load((root / "duties/leaders.yaml").read_text(encoding="utf-8"))["duties"]}
    assert (duties["LZ-10"]["period"], duties["LZ-10"]["scope"]) == ("每月", "县")  # 002 （七）: 县级部门每月
    assert "LZ-03" in duties and "LZ-11" not in duties and "LZ-12" not in duties
    assert "parent" not in (root / "anquan.yaml").read_text(encoding="utf-8").replace("# parent", "")


def _township_units(tmp_path) -> str:
    other = tmp_path / "t"
    assert run_cli("init", str(other), *TOWNSHIP).code == 0
    return (other / "org/units.yaml").read_text(encoding="utf-8")


def test_a_city_checks_its_departments_every_two_months(tmp_path, batch):
    import yaml

    root = tmp_path / "通化市"
    assert run_cli("init", str(root), "--jurisdiction", "通化市", "--level", "市", "--parent", "吉林省").code == 0
    assert _check(root).code == 0
    duties = {d["id"]: d for d in yaml.safe_load((root / "duties/leaders.yaml").read_text(encoding="utf-8"))["duties"]}
    assert (duties["LZ-10"]["period"], duties["LZ-10"]["scope"]) == ("每2个月", "市")  # 002 （七）: 市级每2个月
    units = yaml.safe_load((root / "org/units.yaml").read_text(encoding="utf-8"))
    assert "通化市消防救援支队" in {u["name"] for u in units["departments"]}


def test_a_street_signs_for_the_township_from_its_office(tmp_path, batch):
    """A 街道's government is its 办事处: its people sign as 乡镇, never as 部门."""
    root = tmp_path / "东城街道"
    assert run_cli("init", str(root), "--jurisdiction", "东城街道", "--level", "街道", "--parent", "青岚县").code == 0
    assert _check(root).code == 0
    units = (root / "org/units.yaml").read_text(encoding="utf-8")
    assert "name: 东城街道办事处" in units and "name: 中共东城街道工作委员会" in units
    with open(root / "org/people.yaml", "a", encoding="utf-8") as fh:
        fh.write("  - {id: P1, name: 赵主任, unit: 东城街道办事处}\n  - {id: P2, name: 钱总, unit: 东城化工}\n")
    with open(root / "org/units.yaml", "a", encoding="utf-8") as fh:
        fh.write("  - {name: 东城化工, township: 东城街道, sector: 危险化学品}\n")
    os.makedirs(root / "hazards/2026")
    (root / "hazards/2026/a.yaml").write_text(
        "hazards:\n  - id: H-1\n    title: 报警器失效\n    unit: 东城化工\n    level: 一般\n    found: 2026-11-01\n"
        "    deadline: 2026-11-10\n    owner: 钱总\n    history:\n"
        "      - {date: 2026-11-05, event: 整改完成, by: 钱总}\n"
        "      - {date: 2026-11-06, event: 验收签字, party: 乡镇, by: 赵主任}\n"
        "      - {date: 2026-11-06, event: 验收签字, party: 部门, by: 赵主任}\n", encoding="utf-8")
    codes = {(p["line"], p["code"]) for p in _check(root).json() if p["severity"] == "error"}
    assert codes == {(12, "signoff-wrong-party"), (12, "signoff-same-person")}


def test_an_existing_workspace_is_refused_and_left_alone(tmp_path, batch):
    root = tmp_path / "ws"
    assert run_cli("init", str(root), *TOWNSHIP).code == 0
    (root / "org/people.yaml").write_text("people:\n  - {id: P1, name: 张三}\n", encoding="utf-8")
    before = _files(root)
    res = run_cli("init", str(root), "--jurisdiction", "柳溪乡", "--level", "乡镇")
    assert res.code == 2
    assert "已经是 anquan 工作区" in res.err and "没有改动任何文件" in res.err
    assert _files(root) == before


def test_no_file_is_written_over(tmp_path, batch):
    root = tmp_path / "ws"
    (root / "org").mkdir(parents=True)
    (root / "org/units.yaml").write_text("townships:\n  - name: 我的镇\n", encoding="utf-8")
    (root / "笔记.txt").write_text("别动", encoding="utf-8")
    before = _files(root)
    res = run_cli("init", str(root), *TOWNSHIP)
    assert res.code == 2 and "org/units.yaml" in res.err and "没有覆盖" in res.err
    assert _files(root) == before  # nothing written at all, not even anquan.yaml


def test_a_folder_with_other_things_becomes_a_workspace(tmp_path, batch):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "笔记.txt").write_text("别动", encoding="utf-8")
    (root / ".gitignore").write_text("*.bak", encoding="utf-8")  # no newline at the end
    assert run_cli("init", str(root), *TOWNSHIP).code == 0
    assert (root / "笔记.txt").read_text(encoding="utf-8") == "别动"
    lines = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "*.bak" and ".anquan/" in lines and "tipoffs/confidential/" in lines
    assert _check(root).code == 0


def test_the_current_folder_by_default(tmp_path, batch, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run_cli("init", *TOWNSHIP)
    assert res.code == 0 and res.out.startswith("已在 当前文件夹 建立石桥镇")
    assert "cd " not in res.out  # already there
    assert (tmp_path / "anquan.yaml").is_file()


def test_missing_options_without_a_terminal_are_a_usage_error(tmp_path):
    """A script (stdin not a terminal) is never asked: missing --jurisdiction is exit 2, in Chinese."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("ANQUAN_DATA", None)
    out = subprocess.run([sys.executable, "-m", "anquan_cli", "init", str(tmp_path / "ws"), "--level", "乡镇"],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert "缺少 --jurisdiction" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize("args, message", [
    (("--jurisdiction", "石桥镇"), "缺少 --level"),
    (("--jurisdiction", "某省", "--level", "省"), "可选：乡镇、街道、县、市"),
    (("--jurisdiction", "石桥 镇", "--level", "乡镇"), "不能有空格"),
    (("--jurisdiction", "石桥镇", "--level", "乡镇", "--code", "石桥"), "乡镇代码"),
    (("--jurisdiction", "青岚县", "--level", "县", "--code", "QL"), "--code 是乡镇（街道）的代码"),
])
def test_usage_errors(tmp_path, batch, args, message):
    res = run_cli("init", str(tmp_path / "ws"), *args)
    assert res.code == 2 and message in res.err, res.err
    assert not (tmp_path / "ws").exists()


def test_a_terminal_is_asked_for_what_is_missing(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from anquan_cli.cli import app

    init_cmd = importlib.import_module("anquan_cli.cli.init")

    monkeypatch.setattr(init_cmd, "_interactive", lambda: True)
    root = tmp_path / "ws"
    # a wrong level is asked again; the level offered is the one the name suggests (…镇 → 乡镇)
    answers = "\n".join(["柳溪镇", "省", "", "青岚县", "lx", "n"]) + "\n"
    res = CliRunner().invoke(app, ["init", str(root), "--today", "2026-12-03"], input=answers)
    assert res.exit_code == 0, res.output
    assert "可选：乡镇、街道、县、市" in res.output
    config = (root / "anquan.yaml").read_text(encoding="utf-8")
    assert "jurisdiction: 柳溪镇\nlevel: 乡镇\n" in config and "parent: 青岚县" in config
    assert "  - id: LX\n    name: 柳溪镇\n" in (root / "org/units.yaml").read_text(encoding="utf-8")
    assert not (root / ".git").exists()


def test_git_asked_for(tmp_path, batch):
    root = tmp_path / "ws"
    res = run_cli("init", str(root), *TOWNSHIP, "--git")
    assert res.code == 0, res.err
    assert (root / ".git").is_dir()
    attributes = (root / ".gitattributes").read_text(encoding="utf-8")
    assert "hazards/** diff=anquan merge=anquan" in attributes
    got = subprocess.run(["git", "-C", str(root), "config", "merge.anquan.driver"], capture_output=True, text=True)
    assert "git merge %O %A %B %P" in got.stdout
    assert "git add -A && git commit" in res.out
    # nothing of anquan's own state would be committed
    listed = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True).stdout
    assert ".anquan/" not in listed and "hazards/.gitkeep" in listed


def test_git_inside_a_repository_makes_no_second_one(tmp_path, batch):
    from helpers import git

    git(tmp_path, "init", "-q")
    root = tmp_path / "石桥镇"
    res = run_cli("init", str(root), *TOWNSHIP, "--git")
    assert res.code == 0, res.err
    assert not (root / ".git").exists() and "没有另建仓库" in res.out
    assert "石桥镇/hazards/** diff=anquan merge=anquan" in (tmp_path / ".gitattributes").read_text(encoding="utf-8")


def test_without_git_nothing_of_git(tmp_path, batch):
    root = tmp_path / "ws"
    res = run_cli("init", str(root), *TOWNSHIP, "--no-git")
    assert res.code == 0 and not (root / ".git").exists() and not (root / ".gitattributes").exists()
    assert "git commit" not in res.out


_NAME_CHARS = st.sampled_from("东西南北石桥柳溪白沙城关青岚积翠下仓山河口坪")


@given(stem=st.text(_NAME_CHARS, min_size=1, max_size=6), level=st.sampled_from(["乡镇", "街道", "县", "市"]),
       parent=st.none() | st.text(_NAME_CHARS, min_size=1, max_size=4).map(lambda s: s + "县"),
       code=st.none() | st.from_regex(r"[A-Z][A-Z0-9]{0,3}", fullmatch=True))
def test_every_skeleton_passes_check(tmp_path_factory, stem, level, parent, code):
    """Whatever the names, the files init would write pass anquan check (as they would lie in the folder)."""
    import datetime as dt

    from anquan_cli.edit import scaffold
    from anquan_cli.edit.skeleton import level_named

    chosen = level_named(level)
    suffix = {"乡镇": "镇", "街道": "街道", "县": "县", "市": "市"}[level]
    township = chosen.key in ("township", "street")
    spec = scaffold.Spec(stem + suffix, chosen, parent, code if township else None)
    planned = scaffold.plan(spec)
    root = tmp_path_factory.mktemp("ws")
    problems = scaffold._problems(root, planned.files, dt.date(2026, 12, 3))
    assert [p for p in problems if p.code != "holder-vacant"] == []
    text = planned.files["org/units.yaml"].decode("utf-8")
    assert f"name: {spec.jurisdiction}人民政府" in text or f"name: {spec.jurisdiction}办事处" in text


def test_atomic_create_never_replaces(tmp_path):
    from anquan_cli.io.atomic import atomic_create

    target = tmp_path / "a.yaml"
    atomic_create(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    with pytest.raises(FileExistsError) as err:
        atomic_create(target, b"other\n")
    assert err.value.filename == str(target)
    assert target.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]  # no temporary file left behind


def test_a_standard_role_nobody_holds_is_a_gap_a_misspelt_one_an_error(tmp_path):
    from conftest import write_workspace

    root = write_workspace(tmp_path / "ws", {"duties/d.yaml": """\
        duties:
          - {id: D-1, holder: 政府其他领导干部, action: 检查, activity: 检查, period: 每季度}
          - {id: D-2, holder: 党委主要负责人, action: 开会, activity: 会议, period: 每季度}
          - {id: D-3, holder: 党委主要负责人, action: 检查, activity: 检查, period: 每季度}
          - {id: D-4, holder: 党委书纪, action: 开会, activity: 会议, period: 每季度}
        """})
    got = {(p["line"], p["severity"], p["code"]) for p in _check(root, today="2023-11-30").json()}
    # 张伟 holds 政府其他领导干部 (D-1 fine); nobody holds 党委主要负责人 yet (one line for D-2 and D-3)
    assert got == {(3, "warning", "holder-vacant"), (5, "error", "holder-unknown")}
    (vacant,) = [p for p in _check(root, today="2023-11-30").json() if p["code"] == "holder-vacant"]
    assert "D-2、D-3" in vacant["message"] and "roles: [党委主要负责人]" in vacant["hint"]


def test_a_failure_part_way_leaves_no_half_workspace(tmp_path, batch, monkeypatch):
    import errno

    from anquan_cli.io import atomic

    real, calls = atomic.atomic_create, []

    def full_disk(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(atomic, "atomic_create", full_disk)
    root = tmp_path / "ws"
    res = run_cli("init", str(root), *TOWNSHIP)
    assert res.code == 2 and "无法读写" in res.err and str(calls[2]) in res.err
    assert [p for p in root.rglob("*") if p.is_file()] == []  # the two written were removed; no anquan.yaml
    monkeypatch.setattr(atomic, "atomic_create", real)
    assert run_cli("init", str(root), *TOWNSHIP).code == 0  # and init can simply run again

"""``anquan init``: a new workspace from the skeleton of its level (:mod:`anquan_cli.edit.skeleton`).

:func:`plan` writes the files as text (pure: the same answer for the same names); :func:`create`
checks them with ``anquan check``'s own rules as they would lie in the folder, refuses a folder
that already is a workspace or already has one of the files, and only then writes them — each
atomically and never over an existing file, ``anquan.yaml`` last, so a folder is a workspace
only once it is complete.  A failure part-way removes the files it had written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from anquan_cli.edit.skeleton import (
    SEED_001,
    SEED_002,
    SEED_003,
    DutySpec,
    Level,
    UnitSpec,
    duties_of,
    roles_of,
    units_of,
)
from anquan_cli.edit.yamltext import records_block, scalar
from anquan_cli.locate import CONFIG_NAME, FOLDERS
from anquan_cli.problems import Problem, Severity, UsageError

__all__ = ["Spec", "Planned", "plan", "create", "check_name", "check_code", "GITIGNORE_LINES", "record_folders"]

#: what a workspace keeps out of git (anquan's local state, the reporters, office lock files)
GITIGNORE_LINES = (
    "# anquan 的本地缓存、索引、锁和提醒状态：每个克隆各自一份，不进入版本库",
    ".anquan/",
    "# 举报人信息（保密，依法保护举报人）：不随台账共享，另行在办公室内部备份",
    "tipoffs/confidential/",
    "# anquan 写入时的临时文件（被中断时留下），Excel/WPS、LibreOffice 打开文件时的锁文件",
    ".*.anquan-*.tmp",
    "~$*",
    ".~lock.*#",
)

_NAME_BAD = re.compile(r"[\s\x00-\x1f\x7f/\\:#{}\[\],&*!|>'\"%@`]")


def check_name(value: str, what: str) -> str:
    """A jurisdiction's name as the units are named after it: one word, no punctuation that
    would read as something else."""
    from anquan_cli.text import nfkc

    name = nfkc(value).strip()
    if not name:
        raise UsageError(f"{what}不能为空")
    if len(name) > 30:
        raise UsageError(f"{what}“{name}”太长（最多 30 个字）")
    if _NAME_BAD.search(name):
        raise UsageError(f"{what}“{name}”中不能有空格或 / \\ : # , [ ] {{ }} 这类符号：写辖区的全称，如 石桥镇、青岚县")
    return name


def check_code(value: str) -> str:
    """A township code (the prefix of its hazard ids and the name of its ledger file)."""
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z][A-Z0-9]{0,9}", code):
        raise UsageError(f"乡镇代码“{value}”应是 1–10 个英文字母或数字、以字母开头，如 SQ（隐患编号的前缀）")
    return code


@dataclass(frozen=True)
class Spec:
    jurisdiction: str
    level: Level
    parent: str | None = None
    #: the township's code (SQ): hazard ids SQ-20231129-e0615, ledger hazards/<year>/sq.yaml
    code: str | None = None


@dataclass
class Planned:
    """The files of a new workspace: path relative to it → bytes (``.gitignore`` is merged
    with one that is there already, see :func:`create`)."""

    files: dict[str, bytes]
    folders: list[str]
    departments: int
    duties: int
    enterprise_duties: int
    roles: list[str]
    gitignore: tuple[str, ...] = GITIGNORE_LINES
    written: list[str] = field(default_factory=list)
    gitignore_added: bool = False


def _word(spec: Spec) -> str:
    """The level word clerks put before a department (县应急局, 区住建局, 市教育局)."""
    last = spec.jurisdiction[-1]
    if spec.level.key in ("county", "city") and last in "县区市旗":
        return last
    return spec.level.label


def _fill(text: str, spec: Spec) -> str:
    brigade = "支队" if spec.level.key == "city" else "大队"
    return text.format(j=spec.jurisdiction, w=_word(spec), brigade=brigade)


def _comment(text: str, indent: int = 0) -> str:
    return "".join(" " * indent + "# " + line + "\n" for line in text.splitlines())


def _config(spec: Spec) -> str:
    level = spec.level
    out = [f"# {spec.jurisdiction}安全生产委员会办公室 —— anquan 工作区设置（anquan init 建立；字段见 docs/records.md“anquan.yaml”一节）\n",
           f"jurisdiction: {scalar(spec.jurisdiction)}\n", f"level: {level.label}\n"]
    if level.key in ("township", "street"):
        if spec.parent:
            out.append(_comment(f"上一级辖区：超期未整改提级的隐患由“{spec.parent}人民政府”督办（包保通知 二（二））"))
            out.append(f"parent: {scalar(spec.parent)}\n")
        else:
            out.append(_comment("上一级辖区（县、区）：写上后，超期未整改提级的隐患由它的人民政府督办（包保通知 二（二））；"
                                "不写时 anquan hazards escalate --apply 会要求写明\nparent: 县名"))
    elif spec.parent:
        out.append(_comment(f"上一级辖区；本级提级的隐患由“{spec.jurisdiction}人民政府”督办（包保通知 二（二））"))
        out.append(f"parent: {scalar(spec.parent)}\n")
    out.append("settings:\n")
    out.append(_comment("超过 15 天未完成整改的一般事故隐患一律提级，作为重大隐患督办（包保通知 二（二））", 2))
    out.append("  escalation_days: 15\n")
    out.append(_comment("整改完成后等待三方验收签字的天数，超过即“验收逾期”（anquan 的默认值，不是文件规定）", 2))
    out.append("  acceptance_days: 15\n")
    out.append(_comment(
        "挂牌督办的备案、公布时限和最长整改期限由挂牌单位规定（通知只要求挂牌督办并明确跟踪督办责任人），例如：\n"
        "listing: {file_within: 3, publish_within: 5, max_rectify_days: 365}", 2))
    out.append("\n")
    out.append(_comment(
        "公文（GB/T 9704-2012）的发文机关署名和发文字号，anquan report / anquan notice 用；不写时署名为"
        f"“{spec.jurisdiction}安全生产委员会办公室”、不编文号：\n"
        "documents:\n"
        f"  organ: {spec.jurisdiction}安全生产委员会办公室\n"
        "  number: 机关代字〔{year}〕{n}号\n"
        "  to: [主送机关]"))
    out.append("\n")
    out.append(_comment("本辖区在内置清单之外使用的行业领域，例如：\nsectors: [民政福利]"))
    return "".join(out)


def _unit_record(u: UnitSpec, spec: Spec, township: bool) -> dict:
    rec: dict = {"name": _fill(u.name, spec)}
    if u.aliases:
        rec["aliases"] = [_fill(a, spec) for a in u.aliases]
    if township:
        rec["township"] = spec.jurisdiction
    if u.sectors:
        rec["sectors"] = list(u.sectors)
    return rec


def _units(spec: Spec) -> tuple[str, int]:
    departments, township = units_of(spec.level)
    j = spec.jurisdiction
    out = []
    if township:
        out.append(_comment(
            f"{j}单位名录：乡镇、党委政府和站所、村（社区）、企业（字段见 docs/records.md“单位”一节）。\n"
            f"anquan init 按积翠镇实施方案（{SEED_001}）一（二）4 的站所分工建立，请按本{spec.level.label}实际增删改名。\n"
            "站所的 sectors 是它牵头负责的行业领域：隐患的“部门方”验收签字由牵头站所的人员签"))
        out.append("\ntownships:\n")
        rec = {"id": spec.code, "name": j} if spec.code else {"name": j}
        out.append(records_block([rec], 2))
    else:
        out.append(_comment(
            f"{j}单位名录：乡镇（街道）、{_word(spec)}直部门、村（社区）、企业（字段见 docs/records.md“单位”一节）。\n"
            f"anquan init 按积翠镇实施方案（{SEED_001}）一（二）4 的站所分工，为每个站所建立{_word(spec)}级的对口部门，"
            "请按本地实际增删改名。\n"
            "部门的 sectors 是它牵头负责的行业领域：隐患的“部门方”验收签字由牵头部门的人员签"))
        out.append("\n")
        out.append(_comment("下辖乡镇（街道），id 是乡镇代码（隐患编号的前缀），例如：\n  - {id: SQ, name: 石桥镇}"))
        out.append("townships:\n")
    out.append("\ndepartments:\n")
    for u in departments:
        if u.note:
            out.append(_comment(_fill(u.note, spec), 2))
        out.append(records_block([_unit_record(u, spec, township)], 2))
    out.append("\n")
    example_town = j if township else "石桥镇"
    out.append(_comment(f"村（社区），例如：\n  - {{name: 某某村, township: {example_town}}}"))
    out.append("villages:\n\n")
    out.append(_comment(
        "企业：名称、所在乡镇、行业领域、监管等级（A/B/C/D，襄汾县通知 二（三））、重点企业（key: true，纳入领导包保）、"
        "监管部门和监管人员，例如：\n"
        "  - name: 某某化工有限公司\n"
        "    aliases: [某某化工]\n"
        f"    township: {example_town}\n"
        "    sector: 危险化学品\n"
        "    grade: B\n"
        "    key: true"))
    out.append("enterprises:\n")
    return "".join(out), len(departments)


def _people(spec: Spec) -> str:
    departments, _ = units_of(spec.level)
    party, government = _fill(departments[0].name, spec), _fill(departments[1].name, spec)
    roles = "、".join(roles_of(spec.level))
    secretary = {"township": "党委书记", "street": "党工委书记"}.get(spec.level.key, f"{_word(spec)}委书记")
    return (_comment(
        f"{spec.jurisdiction}人员名录（字段见 docs/records.md“人员”一节）。任何地方写到的责任人、包保人、验收签字人、活动的组织人"
        "都要能在这里按编号或姓名找到；\n"
        "unit 写他所在的单位（org/units.yaml 中的名称）：三方验收签字据此认定他代表企业、部门还是乡镇。\n"
        f"roles 是履职要求（duties/）适用的角色：{roles}。\n"
        "每人一条，例如：\n"
        "  - id: P001\n"
        "    name: 姓名\n"
        f"    title: {secretary}\n"
        f"    unit: {party}\n"
        "    phone: \"13900000000\"\n"
        "    roles: [党委主要负责人]\n"
        "  - id: P002\n"
        "    name: 姓名\n"
        "    title: 副职\n"
        f"    unit: {government}\n"
        "    roles: [政府其他领导干部]")
        + "people:\n")


def _duty_record(d: DutySpec, level: Level) -> dict:
    rec: dict = {"id": d.id, "holder": d.holder, "action": d.action_at.get(level.key, d.action),
                 "activity": d.activity, "period": d.period_at.get(level.key, d.period), "min": d.min}
    if d.max is not None:
        rec["max"] = d.max
    scope = d.scope_at.get(level.key, d.scope)
    if scope:
        rec["scope"] = scope
    rec["basis"] = d.basis
    return rec


def _duties(spec: Spec) -> tuple[str, str, int, int]:
    leaders, enterprises = duties_of(spec.level)
    sources = [f"通化市安委会实施办法（{SEED_002}）"]
    if any(d.basis.startswith(SEED_003) for d in leaders):
        sources.append("下仓镇15条措施贯彻落实措施的实施意见")
    head = _comment(
        f"{spec.jurisdiction}领导干部和部门安全生产履职要求（anquan init 按{'、'.join(sources)}建立；"
        "字段见 docs/records.md“履职要求”一节）。\n"
        "履职情况按 activities/ 中的活动记录核对（anquan duties status）；holder 是 org/people.yaml 中的角色（roles）。\n"
        "period：每周/每月/每2个月/每季度/每半年/每年；scope 只约束这一级的人员；重点敏感时期加密检查可加 sensitive")
    body = "duties:\n" + "".join(records_block([_duty_record(d, spec.level)], 2) for d in leaders)
    ent_head = _comment(
        f"企业主要负责人履职要求（积翠镇实施方案（{SEED_001}）一（一）5）。\n"
        "专项行动期间才有的要求（如“专项行动期间，主要负责人每月要带队检查”）写在 campaigns/ 的专项行动中")
    ent = []
    for d in enterprises:
        rec = _duty_record(d, spec.level)
        ent.append(records_block([rec], 2))
        for sectors, period, n, note in d.overrides:
            ent.append("    overrides:\n")
            ent.append(f"      - {{sectors: [{', '.join(scalar(s, flow=True) for s in sectors)}], period: {period}, "
                       f"min: {n}, note: {scalar(note, flow=True)}}}\n")
    return head + body, ent_head + "duties:\n" + "".join(ent), len(leaders), len(enterprises)


def record_folders() -> list[str]:
    """The record folders of a workspace (the loader's list), each to hold a ``.gitkeep``
    so that git keeps it while it is empty; ``duties`` holds files already."""
    tops = []
    for folder, *_ in FOLDERS:
        top = folder.split("/")[0]
        if top not in tops and top != "duties":
            tops.append(top)
    return tops


def plan(spec: Spec) -> Planned:
    """The files of the new workspace (pure)."""
    units, n_departments = _units(spec)
    leaders, enterprises, n_duties, n_enterprise = _duties(spec)
    files = {
        "org/units.yaml": units,
        "org/people.yaml": _people(spec),
        "duties/leaders.yaml": leaders,
        "duties/enterprises.yaml": enterprises,
    }
    folders = record_folders()
    data = {rel: text.encode("utf-8") for rel, text in files.items()}
    for folder in folders:
        data[f"{folder}/.gitkeep"] = b""
    data[CONFIG_NAME] = _config(spec).encode("utf-8")  # last: the folder is a workspace once it is complete
    return Planned(data, folders, n_departments, n_duties, n_enterprise, roles_of(spec.level))


def _problems(root: Path, files: dict[str, bytes], today: dt.date) -> list[Problem]:
    """What ``anquan check`` would say of these files lying in ``root``, in them only."""
    from anquan_cli.rules.checks import run_checks
    from anquan_cli.workspace import load_workspace

    ws, problems = load_workspace(root, use_cache=False, overlay=files)
    problems = problems + run_checks(ws, today)
    return [p for p in problems if p.path in files]


def create(root: Path, planned: Planned, today: dt.date) -> Planned:
    """Write ``planned`` into ``root`` (created when missing).  Refused (nothing written) when
    ``root`` is a workspace already, is not a folder, holds one of the files, or when the
    files would not pass ``anquan check``."""
    from anquan_cli.io.atomic import atomic_create, atomic_write

    if os.path.lexists(root) and not root.is_dir():
        raise UsageError(f"{root} 已存在，但不是文件夹：请换一个文件夹名")
    if (root / CONFIG_NAME).exists():
        raise UsageError(f"{root} 已经是 anquan 工作区（有 {CONFIG_NAME}），没有改动任何文件：要重新建立，请换一个文件夹")
    there = [rel for rel in planned.files if os.path.lexists(root / rel)]
    if there:
        shown = "、".join(there[:5]) + ("等" if len(there) > 5 else "")
        raise UsageError(f"{root} 中已有 {shown}，没有覆盖，也没有写入任何文件：请换一个空文件夹，或先移走这些文件"
                         "（可能是上一次 anquan init 被中断留下的）")
    errors = [p for p in _problems(root, planned.files, today) if p.severity is Severity.ERROR]
    if errors:
        from anquan_cli.problems import EditRefused

        raise EditRefused(errors)
    root.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    try:
        for rel, data in planned.files.items():
            path = root / rel
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True, exist_ok=True)
            atomic_create(path, data)
            made.append(path)
            planned.written.append(rel)
        planned.gitignore_added = _merge_gitignore(root / ".gitignore", planned.gitignore, atomic_create, atomic_write)
    except BaseException:
        for path in reversed(made):
            try:
                os.unlink(path)
            except OSError:
                pass
        planned.written.clear()
        raise
    return planned


def _merge_gitignore(path: Path, lines: tuple[str, ...], create_file, replace_file) -> bool:
    """Create ``.gitignore`` with ``lines``, or add to the one there the lines it lacks (its
    own lines stay as they are); True when it changed."""
    if not os.path.lexists(path):
        create_file(path, ("\n".join(lines) + "\n").encode("utf-8"))
        return True
    from anquan_cli.io.decode import decode

    text = decode(path.read_bytes()).text
    have = {ln.strip() for ln in text.splitlines()}
    missing = [ln for ln in lines if ln.strip() not in have]
    if not [ln for ln in missing if not ln.startswith("#")]:
        return False
    body = text if not text or text.endswith("\n") else text + "\n"
    replace_file(path, (body + "\n".join(missing) + "\n").encode("utf-8"))
    return True

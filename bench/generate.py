"""Generate a realistic workspace of N hazards for benchmarking.

    python bench/generate.py OUT_DIR --hazards 100000 [--format yaml|csv] [--seed 1]

The ledger is split like a city's: one file per township and year (about 500 hazards per
file), with org/units, people, a responsibility matrix, the 66-task table of the demo,
duties and an activity log in proportion.  Text is Chinese and drawn from the demo's
vocabulary, so parsing costs what real ledgers cost.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import shutil
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "data"

SECTORS = ["危险化学品", "非煤矿山", "工贸", "交通运输", "建筑施工", "燃气", "消防", "人员密集场所", "烟花爆竹",
           "文化旅游", "特种设备", "涉农企业", "自建房", "民政福利"]
PROBLEMS = ["可燃气体报警器未定期检定", "安全出口被货物堵塞、疏散通道不畅", "动火作业未办理审批手续", "有限空间作业未进行气体检测",
            "除尘系统未设置泄爆装置", "脚手架连墙件缺失、剪刀撑不连续", "电动自行车在楼道内停放充电", "防雷设施检测报告过期",
            "消防控制室值班人员无证上岗", "采场边坡台阶高度超过设计要求", "危险货物运输车辆卫星定位装置不在线",
            "餐饮场所未安装可燃气体报警装置", "配电室电缆沟积水，电气线路老化", "特种作业人员未持证上岗"]
MEASURES = ["立即停止作业，限期整改并组织复查", "委托有资质机构检测，建立检定台账", "清理通道杂物，设置禁止堆放标识",
            "补办审批手续，对作业人员开展专项培训", "加装泄爆装置，整改前停用相关工序"]
SOURCES = ["企业自查", "部门检查", "乡镇排查", "检查组检查", "专家检查", "执法检查", "举报"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉鹏宇浩"
TOWN_SUFFIX = ["镇", "乡", "街道"]
CSV_HEADER = ["隐患编号", "隐患名称", "单位名称", "乡镇", "行业领域", "隐患等级", "隐患来源", "发现日期", "整改期限",
              "责任人", "整改措施", "整改资金", "应急预案", "督办单位", "销号日期", "处理记录"]


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def generate(out: Path, hazards: int, fmt: str, seed: int = 1, encoding: str = "gb18030") -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "org").mkdir(parents=True)
    per_file = 500
    files = max(1, hazards // per_file)
    counties = max(1, files // 20)
    years = [2022, 2023]
    towns = []  # (county, township, code)
    for c in range(counties):
        for t in range(max(1, files // (counties * len(years)))):
            towns.append((f"第{c + 1}县", f"青{c + 1:02d}{t + 1:02d}{rng.choice(TOWN_SUFFIX)}", f"T{c:02d}{t:02d}"))
    people = [{"id": f"P{i:05d}", "name": f"{_name(rng)}{i}", "title": rng.choice(["副县长", "局长", "站长", "安全总监", "厂长"])}
              for i in range(max(40, hazards // 50))]
    enterprises = [{"name": f"{towns[i % len(towns)][1]}第{i}号企业有限公司", "township": towns[i % len(towns)][1],
                    "sector": rng.choice(SECTORS), "grade": rng.choice("ABCD"), "key": rng.random() < 0.2}
                   for i in range(max(20, hazards // 20))]
    lines = ["townships:"] + [f"  - {{id: {code}, name: {name}}}" for _, name, code in towns]
    lines += ["departments:", "  - {name: 县应急管理局, sectors: [" + ", ".join(SECTORS) + "]}", "enterprises:"]
    lines += [f"  - {{name: {e['name']}, township: {e['township']}, sector: {e['sector']}, grade: {e['grade']}, key: {str(e['key']).lower()}}}"
              for e in enterprises]
    (out / "org/units.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    roles = ["党委主要负责人", "党委常委会其他成员", "政府主要负责人", "政府其他领导干部", "部门主要负责人", "企业主要负责人"]
    leaders = [p for i, p in enumerate(people) if i % 6 in (2, 3)]  # 政府主要负责人, 政府其他领导干部
    # who signs for the three parties (seed 004): each enterprise's manager, each township's
    # officer, and the county department's inspectors
    for e in enterprises:
        e["manager"] = f"{_name(rng)}企{len(people)}"
        people.append({"id": f"P{len(people):05d}", "name": e["manager"], "title": "总经理", "unit": e["name"],
                       "role": "企业主要负责人"})
    town_officer = {}
    for _, name, _ in towns:
        town_officer[name] = f"{_name(rng)}镇{len(people)}"
        people.append({"id": f"P{len(people):05d}", "name": town_officer[name], "title": "副镇长", "unit": name,
                       "role": "政府其他领导干部"})
    inspectors = []
    for _ in range(20):
        inspectors.append(f"{_name(rng)}局{len(people)}")
        people.append({"id": f"P{len(people):05d}", "name": inspectors[-1], "title": "股长", "unit": "县应急管理局"})
    (out / "org/people.yaml").write_text("\n".join(
        f"- {{id: {p['id']}, name: {p['name']}, title: {p['title']}"
        + (f", unit: {p['unit']}" if p.get("unit") else "")
        + f", roles: [{p.get('role') or roles[i % len(roles)]}]}}"
        for i, p in enumerate(people)) + "\n", encoding="utf-8")
    by_town: dict[str, list[dict]] = {}
    for e in enterprises:
        by_town.setdefault(e["township"], []).append(e)
    (out / "anquan.yaml").write_text("jurisdiction: 基准测试市\nlevel: 市\n", encoding="utf-8")
    shutil.copytree(DEMO / "tasks", out / "tasks", ignore=shutil.ignore_patterns("progress"))
    shutil.copytree(DEMO / "duties", out / "duties")
    (out / "matrix").mkdir()
    (out / "matrix/entries.yaml").write_text("entries:\n" + "\n".join(
        f"  - {{id: BB-{i:04d}, kind: 重点企业, guarantor: {leaders[i % len(leaders)]['id']}, "
        f"targets: [{enterprises[i % len(enterprises)]['name']}]}}" for i in range(max(7, hazards // 200))) + "\n",
        encoding="utf-8")
    (out / "activities").mkdir()
    acts = ["activities:"] + [
        f"  - {{date: 2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}, kind: 检查, held_by: {people[i % len(people)]['id']}, title: 带队检查重点企业}}"
        for i in range(max(20, hazards // 10))]
    (out / "activities/log.yaml").write_text("\n".join(acts) + "\n", encoding="utf-8")
    (out / "hazards").mkdir()
    n = 0
    slot = 0
    while n < hazards:
        county, town, code = towns[slot % len(towns)]
        year = years[(slot // len(towns)) % len(years)]
        slot += 1
        count = min(per_file, hazards - n)
        records = []
        for i in range(count):
            local = by_town.get(town) or enterprises
            e = local[rng.randrange(len(local))]
            found = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360))
            deadline = found + dt.timedelta(days=rng.choice((7, 10, 15, 30, 60)))
            major = rng.random() < 0.08
            closed = found + dt.timedelta(days=rng.randrange(3, 90)) if rng.random() < 0.6 else None
            owner = people[rng.randrange(len(people))]["name"]
            rec = {"id": f"{code}-{year}-{n + i:06d}", "title": rng.choice(PROBLEMS), "unit": e["name"],
                   "township": town, "sector": e["sector"], "level": "重大" if major else "一般",
                   "source": rng.choice(SOURCES), "found": found, "deadline": deadline, "owner": owner,
                   "measures": rng.choice(MEASURES)}
            if major:
                rec.update(funds=f"{rng.randint(1, 90)}万元", plan="《专项应急预案》", supervisor="县人民政府")
            history = [(found, "登记", owner)]
            if closed:
                history += [(closed, "整改完成", owner), (closed, "验收签字", "企业", e["manager"]),
                            (closed, "验收签字", "部门", inspectors[rng.randrange(len(inspectors))]),
                            (closed, "验收签字", "乡镇", town_officer[town]), (closed, "销号", owner)]
                rec["closed"] = closed
            rec["history"] = history
            records.append(rec)
        n += count
        folder = out / "hazards" / county / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            _write_csv(folder / f"{code}.csv", records, encoding)
        else:
            _write_yaml(folder / f"{code}.yaml", records, town, year)
    return out


def _event_yaml(d, kind, who, signer=None) -> str:
    if kind == "验收签字":
        return f"{{date: {d}, event: {kind}, party: {who}, by: {signer}}}"
    return f"{{date: {d}, event: {kind}, by: {who}}}"


def _write_yaml(path: Path, records: list[dict], town: str, year: int) -> None:
    out = [f"# {town} {year} 年隐患台账", "hazards:"]
    for r in records:
        out.append(f"  - id: {r['id']}")
        for key in ("title", "unit", "township", "sector", "level", "source", "found", "deadline", "owner",
                    "measures", "funds", "plan", "supervisor", "closed"):
            if key in r:
                out.append(f"    {key}: {r[key]}")
        out.append("    history:")
        out += [f"      - {_event_yaml(*ev)}" for ev in r["history"]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _write_csv(path: Path, records: list[dict], encoding: str) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for r in records:
        hist = "；".join(f"{e[0]} {e[1]} " + (f"方={e[2]} 人={e[3]}" if e[1] == "验收签字" else f"人={e[2]}")
                        for e in r["history"])
        w.writerow([r["id"], r["title"], r["unit"], r["township"], r["sector"], r["level"], r["source"],
                    r["found"].isoformat(), r["deadline"].isoformat(), r["owner"],
                    r["measures"], r.get("funds", ""), r.get("plan", ""), r.get("supervisor", ""),
                    r["closed"].isoformat() if r.get("closed") else "", hist])
    path.write_bytes(buf.getvalue().encode(encoding))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--hazards", type=int, default=10000)
    ap.add_argument("--format", choices=("yaml", "csv"), default="yaml")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--encoding", default="gb18030", help="CSV encoding (gb18030 as Excel writes it, or utf-8)")
    args = ap.parse_args()
    generate(args.out, args.hazards, args.format, args.seed, args.encoding)
    print(f"generated {args.hazards} hazards ({args.format}) in {args.out}")


if __name__ == "__main__":
    main()

"""``anquan summary`` laid out: one screen of plain text no wider than the terminal (at most
80 columns; a Chinese character takes two), with bars drawn from Unicode blocks, and the JSON
of the same data.  Layout only: every figure comes from :mod:`anquan_cli.rules.summary`."""

from __future__ import annotations

from anquan_cli.cells import cell_len

__all__ = ["render_text", "render_json", "cells", "fit", "bar", "WIDTH"]

#: the widest the screen is laid out
WIDTH = 80
_EIGHTHS = " ▏▎▍▌▋▊▉"
#: townships drawn in the overdue chart (the most overdue first)
TOWNSHIPS = 10

#: ``matrix gaps`` kinds as the screen names them
MATRIX_KINDS = {
    "kind-missing": "包保类型未使用", "key-enterprise-unguaranteed": "重点企业无包保领导",
    "major-hazard-unguaranteed": "重大隐患无包保人", "major-hazard-no-responsible": "重大隐患无包保责任人",
    "general-hazard-unguaranteed": "一般隐患无包保人", "sector-without-lead": "行业领域无牵头部门",
    "sector-unguaranteed": "行业领域无包保领导", "unusual-load": "包保负担畸重",
}


#: columns a text takes on a terminal (a Chinese character two): the tables' measure
cells = cell_len


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in … when cut."""
    if cells(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cells(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


def bar(value: float, most: float, width: int) -> str:
    """A bar of ``value`` out of ``most`` in ``width`` columns, to an eighth of a column; a
    value above nothing shows at least a sliver."""
    if most <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / most * width * 8))
    full, part = divmod(min(eighths, width * 8), 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` broken into lines of at most ``width`` columns, the later ones indented: after
    a Chinese comma or semicolon where one falls in the line, else where the line is full."""
    pieces, piece = [], ""
    for ch in text:
        piece += ch
        if ch in "，、；：）":
            pieces.append(piece)
            piece = ""
    if piece:
        pieces.append(piece)
    lines: list[str] = []
    line = ""
    for p in pieces:
        room = width - (cells(indent) if lines else 0)
        if line and cells(line) + cells(p) > room:
            lines.append(line)
            line = ""
            room = width - cells(indent)
        while cells(line) + cells(p) > room:  # a piece longer than a line: cut where it is full
            cut = fit(p, room - cells(line) + 1)[:-1]
            lines.append(line + cut)
            line, p = "", p[len(cut):]
            room = width - cells(indent)
        line += p
    lines.append(line)
    return [lines[0]] + [indent + x for x in lines[1:]]


def _counts(rows: list[dict], key: str = "label") -> str:
    return "，".join(f"{r[key]} {r['count']}" for r in rows if r["count"])


def render_text(s: dict, width: int = WIDTH) -> str:
    width = max(40, min(width, WIDTH))
    out: list[str] = []

    def line(text: str = "") -> None:
        out.append(fit(text, width))

    def para(text: str, indent: str = "  ") -> None:
        out.extend(wrap(text, width, indent))

    def heading(text: str) -> None:
        out.append("")
        out.extend(wrap(text, width, "  "))

    h = s["hazards"]
    title = f"{s['jurisdiction']}安全生产总览（截至 {s['today']}）"
    line(title)
    line("═" * min(width, cells(title)))

    # hazards today
    states = {r["status"]: r["count"] for r in h["by_status"]}
    para(f"隐患：未销号 {h['open']} 项（重大 {h['major_open']}、一般 {h['general_open']}）——逾期未整改 {h['overdue']}，"
         f"待整改 {states.get('pending', 0)}，待验收 {h['awaiting_acceptance']}（其中验收逾期 {h['acceptance_overdue']}）；"
         f"须提级 {h['escalation_due']} 项", "      ")
    if h["overdue_by_township"]:
        heading("逾期未整改（按乡镇）")
        names = h["overdue_by_township"]
        label_w = min(max(cells(r["name"]) for r in names), 16)
        most = max(r["count"] for r in names)
        room = min(40, width - 2 - label_w - 1 - 1 - len(str(most)))
        for r in names[:TOWNSHIPS]:
            line(f"  {pad(fit(r['name'], label_w), label_w)} {bar(r['count'], most, room)} {r['count']}")
        if len(names) > TOWNSHIPS:
            rest = names[TOWNSHIPS:]
            line(f"  …另有 {len(rest)} 个乡镇共 {sum(r['count'] for r in rest)} 项（anquan hazards overdue 列出全部）")
    if h["longest_overdue"]:
        line("  逾期最久的：")
    for r in h["longest_overdue"]:
        who = f"，责任人 {r['owner']}" if r["owner"] else ""
        line(f"  · {r['id']} 逾期 {r['days_overdue']} 天{who}：{r['title']}")

    # trend
    t = s["trend"]
    if t:
        heading(f"近{len(t)}个季度（发现、销号按季度内，逾期按季末；本季度截至今天）")
        names = (("found", "发现"), ("closed", "销号"), ("overdue", "逾期"))
        most = max([q[k] for q in t for k, _ in names] + [1])
        digits = len(str(most))
        room = max(3, (width - 2 - 6) // len(names) - (2 + 5 + 1 + digits))
        for q in t:
            parts = [f"{zh} {pad(bar(q[k], most, room), room)} {q[k]:>{digits}}" for k, zh in names]
            line(f"  {q['period']}" + "".join(f"  {p}" for p in parts))

    # major hazards and their listing
    m = s["major"]
    heading(f"重大隐患挂牌督办：{m['total']} 项——督办中 {m['listed']}，未挂牌 {m['unlisted']}，时限逾期 {m['late']}")
    for r in m["hazards"]:
        state = r["status_label"] + (f" {r['days_overdue']} 天" if r["days_overdue"] else "")
        listing = (f"{r['listed_by'] or '未写单位'}督办" if r["listing_state"] == "listed" else "未挂牌")
        late = "，时限逾期" if r["late"] else ""
        line(f"  · {r['id']} {state}，{listing}{late}：{r['title']}")
    for note in m["notes"]:
        para(f"  注：{note}", "    ")

    # duties
    d = s["duties"]
    heading(f"履职（{d['label']}）：{d['total']} 项次——已完成 {d['met']}，进行中 {d['in_progress']}，"
            f"未完成 {d['not_met']}" + (f"，超过上限 {d['exceeded']}" if d["exceeded"] else ""))
    if d["unmet"]:
        para("  未完成：" + "、".join(f"{r['holder']}（{r['duty']}）" for r in d["unmet"]), "          ")

    # coverage
    c = s["coverage"]
    heading("盲区")
    para(f"  企业监管缺口 {c['units']['total']} 处" + (f"：{_counts(c['units']['by_rule'])}" if c["units"]["total"] else ""),
         "    ")
    kinds = [{"label": MATRIX_KINDS.get(r["kind"], r["kind"]), "count": r["count"]} for r in c["matrix"]["by_kind"]]
    para(f"  包保盲区 {c['matrix']['total']} 处" + (f"：{_counts(kinds)}" if kinds else ""), "    ")

    # deadlines
    dl = s["deadlines"]
    heading(f"近期期限（{dl['from'][5:]} 至 {dl['to'][5:]}）")
    items = dl["items"]
    duty_days: dict[str, int] = {}
    shown = []
    for it in items:
        if it["kind"] == "duty":
            duty_days[it["date"]] = duty_days.get(it["date"], 0) + 1
            if duty_days[it["date"]] == 1:
                shown.append(it)
        else:
            shown.append(it)
    if not shown:
        line("  无")
    limit = 10
    for it in shown[:limit]:
        text = f"履职周期截止：{duty_days[it['date']]} 项要求" if it["kind"] == "duty" else it["summary"]
        line(f"  {it['date'][5:]}  {text}")
    if len(shown) > limit:
        line(f"  …另有 {len(shown) - limit} 项（anquan calendar export 导出全部期限）")

    # accidents and enforcement
    a, e = s["accidents"], s["enforcement"]
    heading(f"事故与执法（{a['period']}年截至 {a['end'][5:]}）")
    grades = "、".join(f"{r['label']} {r['count']}" for r in a["by_grade"] if r["count"])
    para(f"  事故 {a['count']} 起" + (f"（{grades}）" if grades else "") + f"，死亡 {a['deaths']} 人"
         + (f"、失踪 {a['missing']} 人" if a["missing"] else "")
         + f"，重伤 {a['serious_injuries']} 人，直接经济损失 {a['direct_loss']:g} 万元；"
         f"报告迟报或未报 {a['late']} 起，认定瞒报谎报迟报 {a['concealed']} 起", "    ")
    para(f"  执法检查 {e['inspections']} 次，行政处罚 {e['penalties']} 起、罚款 {e['fines']:g} 万元，"
         f"停产整顿 {e['suspensions']}，关闭取缔 {e['closures']}，约谈 {e['interviews']}，移送 {e['referrals']}；"
         f"执法与隐患脱节 {e['gaps']} 处", "    ")
    return "\n".join(x.rstrip() for x in out) + "\n"


def render_json(s: dict) -> str:
    """As every ``--format json``: indented on a terminal, compact in a pipe or file."""
    from anquan_cli.views.hazards import render_json as as_json

    return as_json(s)

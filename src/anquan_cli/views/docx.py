"""Reports as official-format DOCX (GB/T 9704-2012) from a docxtpl template — the workspace's
``templates/report-<kind>.docx`` or ``report.docx`` first, then the one shipped with anquan.
Rendering is sandboxed with StrictUndefined and autoescaped, so record text is data: "&" or
"{{" in a title is printed as written and cannot break the document."""

from __future__ import annotations

import io
from pathlib import Path

from anquan_cli.views import charts
from anquan_cli.views.gongwen import Frame, finish
from anquan_cli.views.templates import plain, run_bounded, sandbox, search_path, template_file

__all__ = ["render_docx", "docx_context", "template_path", "report_frame"]

_TITLES = {
    "weekly": "{j}安全生产周调度（{p}）", "monthly": "{j}安全生产{p}工作小结",
    "quarterly": "{j}安全生产{p}通报", "annual": "{j}{p}安全生产工作总结",
}
_SECTIONS = {  # the order of numbered sections in each kind of report
    "weekly": ["overall", "changes", "spread", "major", "overdue", "accidents", "enforcement"],
    "monthly": ["overall", "spread", "major", "overdue", "tasks", "accidents"],
    "quarterly": ["accidents", "overall", "spread", "major", "overdue", "tasks", "duties", "gaps", "enforcement"],
    "annual": ["accidents", "overall", "trend", "spread", "major", "overdue", "tasks", "gaps", "enforcement"],
}
_CHANGE_LABELS = [("found", "新发现"), ("rectified", "完成整改"), ("closed", "验收销号"),
                  ("escalated", "提级督办"), ("extended", "延期")]


def template_path(kind: str, workspace_root: Path | None) -> Path:
    for d in search_path(workspace_root):
        for name in (f"report-{kind}.docx", "report.docx"):
            found = template_file(d, name)
            if found is not None:
                return found
    from anquan_cli.problems import AnquanError

    raise AnquanError("找不到 DOCX 报告模板 report.docx")


def _cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def docx_context(kind: str, ctx: dict) -> dict:
    """The report context plus what the official layout needs (title, lead paragraph,
    headline rows, section numbers, issuing organ and date)."""
    f, p = ctx["figures"], ctx["previous_figures"]
    texts = {"rate": "rate_text", "on_time_rate": "on_time_rate_text"}
    headline = [{"name": name, "now": f[texts.get(key, key)], "before": p[texts.get(key, key)]}
                for key, name in (("found", "排查发现隐患"), ("rectified", "完成整改"), ("closed", "验收销号"),
                                  ("closed_late", "其中逾期销号"), ("on_time_rate", "按期销号率"),
                                  ("overdue", "期末逾期未改"), ("awaiting", "期末待验收"),
                                  ("acceptance_overdue", "其中验收逾期"), ("escalated", "提级督办"), ("extended", "延期"),
                                  ("rate", "整改率"))]
    period = ctx["period"]
    lead = (f"{_cn_date(period['start'])}至{_cn_date(period['end'])}"
            + ("" if period["complete"] else f"（统计至{_cn_date(period['as_of'])}）")
            + f"，{ctx['jurisdiction']}排查发现事故隐患{f['found']}项，完成整改{f['rectified']}项，验收销号"
            f"{f['closed']}项（其中逾期销号{f['closed_late']}项），提级督办{f['escalated']}项；期末逾期未改{f['overdue']}项，"
            f"待验收{f['awaiting']}项；本期整改率{f['rate_text']}，按期销号率{f['on_time_rate_text']}。")
    changes_all = [{**row, "what": label} for key, label in _CHANGE_LABELS for row in ctx["changes"][key]]
    acc = ctx["accidents"]
    if acc["one_comparison"]:  # a year: the year before, and the change
        accident_heads = [acc["previous_label"], "同比"]
        accident_rows = [{"name": r["name"], "now": r["now"], "a": r["before"], "b": r["change"]} for r in acc["previous"]]
    else:
        accident_heads = [f"{acc['previous_label']}（环比）", f"{acc['year_before_label']}（同比）"]
        accident_rows = [{"name": r["name"], "now": r["now"], "a": f"{r['before']}（{r['change']}）",
                          "b": f"{y['before']}（{y['change']}）"} for r, y in zip(acc["previous"], acc["year_before"])]
    from anquan_cli.prose import numbered
    from anquan_cli.text import int_to_cn

    # the fixed sections, then those the workspace has records for (numbered by the report's rules)
    numbers = {name: int_to_cn(i) for i, name in enumerate(_SECTIONS[kind], 1)} | ctx.get("more", {})
    return {
        **ctx,
        "title": _TITLES[kind].format(j=ctx["jurisdiction"], p=period["label"]),
        "lead": lead, "headline": headline, "changes_all": changes_all,
        "accident_heads": accident_heads, "accident_rows": accident_rows,
        "n": {k: numbers.get(k, "") for k in ("overall", "changes", "trend", "spread", "major", "overdue", "tasks",
                                              "duties", "gaps", "accidents", "enforcement", "campaigns",
                                              "tipoffs", "risks", "grades", "patrols")},
        "prose": numbered(ctx.get("prose") or [], len(_SECTIONS[kind]) + len(ctx.get("more") or {})),
        "issuer": f"{ctx['jurisdiction']}安全生产委员会办公室",
        "issued": _cn_date(ctx["provenance"]["generated_at"]),
    }


class Picture:
    """A chart handed to a DOCX template: it turns into the picture's XML when printed and
    offers nothing else (the docxtpl image behind it, which could render or save files, sits
    in an underscore slot the sandbox never lets a template reach)."""

    __slots__ = ("_inline",)
    template_safe = True

    def __init__(self, inline):
        self._inline = inline

    def __html__(self) -> str:
        return self._inline._insert_image()

    __str__ = __html__


def render_docx(kind: str, ctx: dict, workspace_root: Path | None, frame: Frame | None = None
                ) -> tuple[bytes, list[str]]:
    """The DOCX bytes, and warnings for the user (e.g. no CJK font for the charts); made a
    complete 公文 by ``frame`` (:func:`anquan_cli.views.gongwen.finish`; by default headed and
    signed as :func:`report_frame` says)."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    path = template_path(kind, workspace_root)
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except Exception as exc:  # not a DOCX (a renamed file, a damaged zip)
        from anquan_cli.problems import AnquanError

        raise AnquanError(f"报告模板 {path.name} 不是有效的 DOCX 文件：{exc}") from None
    from anquan_cli.progress import progress

    with progress(f"生成 DOCX：{path.name}") as shown:
        shown.stage("绘制图表")
        data = plain(docx_context(kind, ctx))
        warnings: list[str] = []
        images = {}
        if ctx["by_sector"]:
            images["chart_sector"] = charts.bars(ctx["by_sector"], "按行业领域")
        if ctx["trend"]:
            images["chart_trend"] = charts.trend(ctx["trend"], "逐月排查发现与销号")
        if kind == "annual" and ctx["accidents"]["figures"]["count"]:
            images["chart_accidents"] = charts.accident_trend(ctx["accidents"]["trend"], "逐月事故起数与死亡人数")
        if ctx.get("risks") and kind in ("quarterly", "annual"):
            images["chart_risks"] = charts.risk_spread(ctx["risks"]["by_township"], ["重大", "较大", "一般", "低"],
                                                       "安全风险空间分布（按乡镇、风险等级）")
        if images and (note := charts.font_warning()):
            warnings.append(note)
        for key in ("chart_sector", "chart_trend", "chart_accidents", "chart_risks"):
            data[key] = Picture(InlineImage(tpl, io.BytesIO(images[key]), width=Mm(150))) if key in images else ""
        shown.stage("填写模板")
        env = sandbox(None, autoescape=True, text=False)
        run_bounded(path.name, lambda: tpl.render(data, jinja_env=env, autoescape=True), str(path))
        finish(tpl.docx, frame or report_frame(kind, data))
        shown.stage("保存文件")
        buf = io.BytesIO()
        tpl.save(buf)
    return buf.getvalue(), warnings


#: what each report is, as a document (its properties' subject)
_SUBJECTS = {"weekly": "周调度", "monthly": "月小结", "quarterly": "通报", "annual": "年度总结"}


def report_frame(kind: str, ctx: dict, number: str | None = None, to: tuple[str, ...] = (), cc: tuple[str, ...] = (),
                 documents: dict | None = None, footnote: bool = False) -> Frame:
    """How a report of ``kind`` (its :func:`docx_context`) is headed and signed: the workspace's
    ``documents:`` settings (``ctx["documents"]``, or ``documents``) with this run's number,
    主送 and 抄送 when given."""
    import datetime as dt

    docs = documents if documents is not None else ctx.get("documents") or {}
    organ = docs.get("organ") or ctx["issuer"]
    p = ctx["provenance"]
    source = f"数据来源：工作区 {p['workspace']}（{p['jurisdiction']}）；{p['revision']}；生成日期 {p['generated_at']}；" \
             f"由 anquan {p['version']} 生成"
    return Frame(title=ctx["title"], organ=organ, date=dt.date.fromisoformat(p["generated_at"]),
                 mark=docs.get("mark"), number=number, to=tuple(to or docs.get("to") or ()),
                 cc=tuple(cc or docs.get("cc") or ()), printer=docs.get("printer"), subject=_SUBJECTS.get(kind, ""),
                 provenance=source, footnote=footnote)

"""What ``anquan import`` says besides its count: what it read into the sheet (整改情况 as history,
单位 resolved, kinds and ids made) and what it left out (合计/备注 rows, the 序号 column), as
lines of Chinese; and a suggested mapping file.  Layout only: the decisions are made in
:mod:`anquan_cli.importing` and :mod:`anquan_cli.rules.imports`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

__all__ = ["rows_text", "summary_lines", "mapping_file", "mapping_lines"]

_SKIPPED = {"合计": "合计行", "备注": "备注、落款行", "序号": "只有序号的空行"}


def rows_text(rows) -> str:
    """``第 3–5、8 行`` (one sheet), ``隐患 第 3、4 行；汇总 第 2 行`` (several): the rows of
    ``rows`` (each with ``sheet`` and ``number``)."""
    by_sheet: dict = defaultdict(list)
    for r in rows:
        by_sheet[r.sheet].append(r.number)
    parts = []
    for sheet, numbers in by_sheet.items():
        spans: list[list[int]] = []
        for n in sorted(set(numbers)):
            if spans and n == spans[-1][1] + 1:
                spans[-1][1] = n
            else:
                spans.append([n, n])
        text = "、".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
        parts.append(f"{sheet} 第 {text} 行" if sheet and len(by_sheet) > 1 else f"第 {text} 行")
    return "；".join(parts)


class _At:
    """A row position from a cell reference (``file:sheet!A7`` or ``file:7``)."""

    def __init__(self, ref: str):
        import re

        place = ref.rsplit(":", 1)[-1]
        m = re.fullmatch(r"(?:(.*)!)?[A-Z]*(\d+)", place)
        self.sheet = m.group(1) if m else None
        self.number = int(m.group(2)) if m else 0


def summary_lines(result, plan, inferred, dry_run: bool, escalation_days: int, ids: dict | None = None) -> list[str]:
    """The lines after an import's count: what was left out, resolved, inferred (``inferred``:
    :class:`anquan_cli.rules.imports.Inferred` of the new hazards, keyed by row), made."""
    will = "将" if dry_run else ""
    lines: list[str] = []
    if result.title_from:
        lines.append(f"表中没有“隐患名称”列：隐患名称取自“{'、'.join(result.title_from)}”列。")
    skipped: list[str] = []
    if result.numbers:
        skipped.append(f"“序号”列（{'、'.join(dict.fromkeys(result.numbers))}）是行号，未导入")
    groups: dict[str, list] = defaultdict(list)
    for ref, why in result.skipped:
        groups[why].append(_At(ref))
    for why, at in groups.items():
        skipped.append(f"{_SKIPPED.get(why, why)} {len(at)} 行（{rows_text(at)}）")
    if skipped:
        lines.append("跳过：" + "；".join(skipped) + "。")
    written = [r for r in plan.new]
    resolved: dict[tuple[str, str], list] = defaultdict(list)
    for row in [*written, *(r for r, *_ in plan.same), *(r for r, *_ in plan.changed)]:
        if row.unit_written:
            resolved[(row.unit_written, row.record.unit)].append(row)
    if resolved:
        lines.append("单位名称不在名录中、按名录取相符的单位：")
        for (was, now), rows in resolved.items():
            lines.append(f"  “{was}” → “{now}”（{rows_text(rows)}）")
    if inferred is not None and written:
        lines += _progress_lines(inferred, will, escalation_days)
    kinds: dict[str, list] = defaultdict(list)
    for row in written:
        if row.inferred_kind is not None:
            kinds[row.inferred_kind.label].append(row)
    if kinds:
        lines.append(f"单位类型按名称推断（表中没有“类型”列或未填）{sum(len(v) for v in kinds.values())} 个，"
                     "不对的请在 org/units.yaml 中移到相应的分节：")
        for label, rows in kinds.items():
            names = "、".join(r.record.name for r in rows[:8]) + (f" 等 {len(rows)} 个" if len(rows) > 8 else "")
            lines.append(f"  {label} {len(rows)}：{names}（{rows_text(rows)}）")
    if ids:
        shown = "、".join(f"{name} {ident}" for name, ident in list(ids.items())[:8])
        more = f" 等 {len(ids)} 人" if len(ids) > 8 else ""
        lines.append(f"表中没有人员编号：按姓名和单位{will}生成 {len(ids)} 个编号：{shown}{more}。")
    return lines


def _progress_lines(inferred, will: str, escalation_days: int) -> list[str]:
    total = len(inferred.rectified) + len(inferred.in_progress) + len(inferred.open)
    if not (inferred.rectified or inferred.in_progress or inferred.not_understood):
        return [f"新增的 {total} 条隐患都没有整改情况：{will}按未整改登记。"] + _due_lines(inferred, escalation_days)
    lines = [f"整改情况（新增的 {total} 条）："]
    if inferred.rectified:
        lines.append(f"  已整改 {len(inferred.rectified)} 条 → {will}登记“整改完成”（日期取自表中，待三方验收签字后销号）："
                     f"{rows_text(inferred.rectified)}")
    if inferred.in_progress:
        lines.append(f"  整改中 {len(inferred.in_progress)} 条 → {will}记“备注”，仍是未整改：{rows_text(inferred.in_progress)}")
    if inferred.open:
        lines.append(f"  未整改或未填 {len(inferred.open)} 条 → {will}按未整改登记：{rows_text(inferred.open)}")
    if inferred.not_understood:
        lines.append(f"  其中 {len(inferred.not_understood)} 条的整改情况认不出，按未整改计，原文记在“登记”的备注中："
                     f"{rows_text(inferred.not_understood)}")
    if inferred.year_guessed:
        lines.append(f"  {len(inferred.year_guessed)} 条整改完成日期只写了月日，年份取自发现日期：{rows_text(inferred.year_guessed)}")
    return lines + _due_lines(inferred, escalation_days)


def _due_lines(inferred, escalation_days: int) -> list[str]:
    lines = []
    if inferred.overdue:
        lines.append(f"  未整改且已过整改期限、计入逾期（hazards overdue）{len(inferred.overdue)} 条：{rows_text(inferred.overdue)}")
    if inferred.escalation:
        lines.append(f"  一般隐患发现超过 {escalation_days} 天仍未整改、应提级督办（hazards escalate）"
                     f"{len(inferred.escalation)} 条：{rows_text(inferred.escalation)}")
    return lines


def mapping_lines(suggestion, model) -> list[str]:
    """The suggestion as lines for the terminal."""
    from anquan_cli.importing import field_label

    lines = []
    for header, name in suggestion.columns.items():
        lines.append(f"  {header} → {field_label(model, name) if name else '？（认不出：填字段名，或忽略）'}")
    if suggestion.missing:
        lines.append("  必填而表中没有认出的：" + "、".join(field_label(model, n) for n in suggestion.missing))
        lines.append("  （表中有这一列的写在 columns 下；表中没有、每一行都一样的写在映射文件的 defaults 下，如 "
                     + "、".join(f"{n}: {_EXAMPLES.get(n, '值')}" for n in suggestion.missing) + "）")
    return lines


#: what a default for a required field commonly is (written commented out, for the user to check)
_EXAMPLES = {"level": "一般", "source": "部门检查"}


def mapping_file(suggestion, model, kind: str, sheet_name: str, map_name: str, day: dt.date,
                 workspace: str | None = None) -> str:
    """A mapping file for the user to check and pass with ``--map``."""
    from anquan_cli.edit.yamltext import scalar
    from anquan_cli.importing import IGNORE, IMPORT_ONLY, field_label

    fields = [n for n in model.model_fields if n != "table"] + list(IMPORT_ONLY.get(model, {}))
    out = [f"# {sheet_name} 的列名映射：anquan import 在 {day.isoformat()} 生成的建议，核对后再导入：\n",
           f"#   anquan import {kind} {sheet_name} --map {map_name}"
           + (f" --data {workspace}" if workspace else "") + "\n",
           "# 冒号右边写字段名（或它的中文列名），写“忽略”的列不导入。可写的字段：\n"]
    line = "#  "
    for name in fields:
        word = " " + field_label(model, name)
        if len(line) + len(word) > 100:
            out.append(line + "\n")
            line = "#  "
        line += word
    out.append(line + "\n")
    if suggestion.missing:
        out.append("# 必填而表中没有认出的：" + "、".join(field_label(model, n) for n in suggestion.missing)
                   + "——表中有这一列的，把它写在 columns 下；没有而每行都一样的，写在文件末尾的 defaults 下\n")
    out.append("columns:\n")
    for header, name in suggestion.columns.items():
        comment = f"  # 猜的：像“{model.csv_columns.get(name, IMPORT_ONLY.get(model, {}).get(name, (name,)))[0]}”" \
            if name else "  # 认不出"
        out.append(f"  {scalar(header)}: {name or IGNORE}{comment}\n")
    if suggestion.understood:
        out.append("  # 已认出的列（不用写）：" + "、".join(f"{h}→{f}" for h, f in suggestion.understood.items()) + "\n")
    if suggestion.missing:  # a value for every row, to be checked: commented out
        out.append("# 表中没有这些列、每一行都一样时，去掉下面几行的 # 并写上值：\n# defaults:\n")
        out += [f"#   {n}: {_EXAMPLES.get(n, '值')}\n" for n in suggestion.missing]
    else:
        out.append("# defaults:            # 表中没有、每行都一样的值，如\n#   township: 石桥镇\n")
    return "".join(out)

"""Find a workspace and load every record in it.

A workspace is a folder holding ``anquan.yaml`` and this fixed layout::

    org/units.yaml          townships, departments/stations, villages, enterprises
    org/people.yaml         people who can be named as owners, guarantors, holders
    matrix/*.yaml           responsibility matrix (包保责任清单)
    hazards/**/*.yaml|csv   hazard ledger, split over as many files as the office likes
    tasks/**/*.csv|yaml     task-division tables (分工表)
    duties/*.yaml           recurring duties (履职要求)
    activities/**/*.yaml|csv  activity log (meetings, inspections, drills …)
    accidents/**/*.yaml|csv   production-safety accidents (生产安全事故)
    enforcement/**/*.yaml|csv enforcement actions (执法: 检查、处罚、停产整顿、约谈 …)
    campaigns/*.yaml          campaigns (专项行动): phases, reporting nodes, duties bound to them
    submissions/**/*.yaml|csv what units submitted for a node, and when (报送记录)
    tipoffs/**/*.yaml|csv     tip-offs (举报): verification, result, reward, feedback
    tipoffs/confidential/**   who reported them (read only with ``confidential=True``)
    risks/**/*.yaml|csv       the major-risk register (重大安全风险数据库): grade, measures, guarantor
    grid/*.yaml|csv           the supervision grid's cells (县、乡、村、企 网格): responsible person, post, duty
    patrols/**/*.yaml|csv     巡查 and 考核 of the lower levels: target, kind, score, findings
    documents/*.yaml          发文登记: the 文号 given out (number, year, 顺序号, date, title, key)

:func:`load_workspace` returns ``(workspace, problems)``: one bad record never hides the
next one, and nothing here prints or exits.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import gc
import hashlib
import os
import pickle
import re
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from anquan_cli.io.csvread import parse_csv
from anquan_cli.io.decode import DecodeError, decode
from anquan_cli.io.tree import FsTree, GitTree, MemTree
from anquan_cli.io.yamlread import PosDict, PosList, parse_yaml
from anquan_cli.models import (
    Accident,
    Activity,
    Campaign,
    Cell,
    Duty,
    Enforcement,
    Hazard,
    Issued,
    MatrixEntry,
    Patrol,
    Person,
    Progress,
    Record,
    Reporter,
    Risk,
    Source,
    Submission,
    Task,
    Tipoff,
    Unit,
    WorkspaceConfig,
)
from anquan_cli.models.config import JurisdictionLevel
from anquan_cli.problems import AnquanError, Problem, Severity, error, warning
from anquan_cli.text import closest, norm_key

__all__ = ["Workspace", "find_workspace", "load_workspace", "holiday_overrides", "digest", "header_map", "records_from_bytes",
           "describe_error", "CONFIG_NAME", "KINDS", "kind_of", "blocking", "WorkspaceUnusable", "require_usable"]

from anquan_cli.locate import CONFIG_NAME, YAML_SUFFIXES, find_workspace, includes, sort_listing  # noqa: F401  (re-exported)
from anquan_cli.snapshot import RECORD_LISTS, Workspace  # noqa: F401  (re-exported)

# ---------------------------------------------------------------------------- finding


# ---------------------------------------------------------------------------- reading


def csv_header(model: type[Record], header: list[str]) -> tuple[dict[str, str | None], list[str], dict[str, list[str]]]:
    """A CSV header read for ``model``: the field each cell names (None for none), the cells
    naming no field, and the fields more than one cell names (with those cells)."""
    headers = header_map(model)
    names = {h: headers.get(norm_key(h)) for h in header}
    unknown = [h for h in header if h and names[h] is None]
    by_field: dict[str, list[str]] = {}
    for h in header:
        name = names[h]
        if h and name:
            by_field.setdefault(name, []).append(h)
    return names, unknown, {name: cells for name, cells in by_field.items() if len(cells) > 1}


@functools.cache
def header_map(model: type[Record]) -> dict[str, str]:
    """Normalised column header or key → field name: the field's own name and the Chinese
    headers in ``model.csv_columns``."""
    table = {norm_key(name): name for name in model.model_fields}
    for name, synonyms in model.csv_columns.items():
        for word in synonyms:
            table.setdefault(norm_key(word), name)
    return table


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _field_label(model: type[Record], name: str) -> str:
    zh = model.csv_columns.get(name)
    return f"{name}（{zh[0]}）" if zh else name


_PYDANTIC_ZH = {
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_type": "应为 是/否（true/false）",
    "bool_parsing": "应为 是/否（true/false）",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "date_type": "应为日期，请写成 2023-08-01 或 2023年8月1日",
    "date_parsing": "应为日期，请写成 2023-08-01 或 2023年8月1日",
    "extra_forbidden": "未知的键",
}


def _kind_of(value: object) -> str:
    """What a value is, in the words of the error messages."""
    if isinstance(value, bool):
        return "是/否值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射（键: 值）"
    if value is None:
        return "空值"
    return "一段文字"


def describe_error(err: dict, model: type[Record]) -> tuple[str, str, str]:
    """(code, message, hint) for one pydantic error, in Chinese."""
    loc = err["loc"]
    top = str(loc[0]) if loc else ""
    label = _field_label(model, top) if top else ""
    where = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in loc[1:])
    kind = err["type"]
    if kind == "missing":
        return "missing-field", f"缺少必填项 {label}{where}", "补上这一项"
    if kind == "value_error":
        msg = str(err["msg"]).removeprefix("Value error, ")
        code = "date-invalid" if "日期" in msg else "value-invalid"
        return code, f"{label}{where}：{msg}", ""
    if kind == "greater_than_equal":
        return "value-invalid", f"{label}{where} 应不小于 {err['ctx']['ge']}", ""
    if kind == "less_than_equal":
        return "value-invalid", f"{label}{where} 应不大于 {err['ctx']['le']}（实际是 {err.get('input')}）", ""
    if kind == "too_long":
        return "value-invalid", f"{label}{where} 最多 {err['ctx'].get('max_length')} 项", ""
    if kind == "too_short":
        return "value-invalid", f"{label}{where} 不能为空", "至少填写一项"
    if kind.startswith("date"):
        return "date-invalid", f"{label}{where}：{_PYDANTIC_ZH.get(kind, '日期无效')}（{err['input']!r}）", ""
    zh = _PYDANTIC_ZH.get(kind)
    got = err.get("input")
    shown = f"，实际是{_kind_of(got)}" if zh and not isinstance(got, str) else ""
    return "type-invalid", f"{label}{where}：{zh or err['msg']}{shown}", ""


def _line_for(raw: PosDict, loc: tuple) -> int:
    node: object = raw
    line = raw.line
    for part in loc:
        if isinstance(node, PosDict) and isinstance(part, str) and part in node:
            line = node.line_of(part)
            node = node[part]
        elif isinstance(node, PosList) and isinstance(part, int) and part < len(node):
            line = node.line_of(part)
            node = node[part]
        else:
            break
    return line


class _Reader:
    """Reads files of one workspace, accumulating problems."""

    def __init__(self, tree):
        self.tree = tree
        self.problems: list[Problem] = []
        self.files: list[str] = []
        self.digests: dict[str, str] = {}
        #: per file, the 1-based lines where its records start (valid or not)
        self.starts: dict[str, list[int]] = {}

    # -- files

    def unreadable(self, rel: str, exc: OSError) -> None:
        self.problems.append(unreadable_problem(rel, exc))

    def read_text(self, rel: str) -> str | None:
        self.files.append(rel)
        try:
            data = self.tree.read(rel)
        except OSError as exc:
            self.unreadable(rel, exc)
            return None
        self.digests[rel] = digest(data)
        try:
            return decode(data).text
        except DecodeError as exc:
            self.problems.append(error(rel, 0, "encoding", str(exc)))
            return None

    def read_yaml(self, rel: str):
        text = self.read_text(rel)
        if text is None:
            return None
        data, problems = parse_yaml(text, rel)
        self.problems.extend(problems)
        if data is None and not problems:
            self.problems.append(warning(rel, 0, "empty-file", "文件是空的",
                                         "没有记录可以删除此文件"))
        return data

    # -- records

    def build(self, model: type[Record], raw: object, rel: str, line: int,
              extra: dict | None = None) -> Record | None:
        """Validate one raw mapping into a record, reporting problems at their lines."""
        if not isinstance(raw, PosDict):
            self.problems.append(error(rel, line, "not-a-mapping",
                                       f"这一条{model.kind_label}应为映射（键: 值），实际是{_kind_of(raw)}",
                                       "检查缩进：每条记录以“- ”开头，下面是“键: 值”"))
            return None
        values: dict = dict(extra or {})
        fields = model.model_fields
        headers = header_map(model)
        key_lines: dict[str, int] = {}
        raw_key: dict[str, str] = {}  # field name → the key as written in the file
        for key, value in raw.items():
            name = key if key in fields else model.key_aliases.get(key)
            if name is None:
                name = headers.get(norm_key(str(key)))
                if name is not None:
                    self.problems.append(warning(
                        rel, raw.line_of(key), "yaml-chinese-key",
                        f"键“{key}”请写成英文“{name}”", "YAML 文件的键统一用英文，见 docs/records.md 字段说明"))
                elif (why := model.refusal(str(key))) is not None:
                    self.problems.append(error(rel, raw.line_of(key), "key-refused", why[0], why[1]))
                    continue
                else:
                    guess = closest(str(key), fields)
                    self.problems.append(warning(
                        rel, raw.line_of(key), "unknown-key",
                        f"未知的{model.kind_label}字段“{key}”，已忽略",
                        f"是不是“{guess}”？" if guess else f"可用字段：{', '.join(fields)}"))
                    continue
            values[name] = value
            key_lines[name] = raw.line_of(key)
            raw_key[name] = key
        items = {name: tuple(raw[key].item_lines) for name, key in raw_key.items()
                 if isinstance(raw[key], PosList)}
        fast = _fast_builder(model)
        if fast is not None:
            record = fast(values, Source(rel, raw.line, key_lines, items))
            if record is not None:
                return record
        try:
            record = model.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = err["loc"]
                if loc and loc[0] in raw_key:
                    at = _line_for(raw, (raw_key[loc[0]], *loc[1:]))
                else:
                    at = raw.line  # a missing field, or one supplied by the file
                code, message, hint = describe_error(err, model)
                self.problems.append(error(rel, at, code, message, hint))
            return None
        return record.with_source(Source(rel, raw.line, key_lines, items))

    def records(self, model: type[Record], rel: str, container: str,
                meta_keys: tuple[str, ...] = (), extra_from_meta=None, reuse=None) -> list[Record]:
        """All records in one YAML or CSV file.

        ``extra_from_meta(meta, rel)`` gives values every record of the file shares (a task
        table's name); ``meta`` is the YAML file's top-level mapping, empty for CSV.
        ``reuse(start, end)``: the record already known for the item on lines ``start`` to
        ``end`` (exclusive; None for the last), or None to build it.
        """
        if rel.lower().endswith(".csv"):
            items, meta = self._csv_items(model, rel), {}
        else:
            items, meta = self._yaml_items(model, rel, container, meta_keys)
        extra = extra_from_meta(meta, rel) if extra_from_meta is not None else {}
        self.starts[rel] = starts = [line for _, line in items]
        out = []
        for i, (raw, line) in enumerate(items):
            record = reuse(line, starts[i + 1] if i + 1 < len(starts) else None) if reuse is not None else None
            if record is None:
                record = self.build(model, raw, rel, line, extra)
            if record is not None:
                out.append(record)
        return out

    def _csv_items(self, model: type[Record], rel: str) -> list[tuple[PosDict, int]]:
        """CSV rows with their headers mapped to field names."""
        text = self.read_text(rel)
        if text is None:
            return []
        header, rows, problems = parse_csv(text, rel)
        self.problems.extend(problems)
        if not header:
            self.problems.append(warning(rel, 0, "empty-file", "文件是空的", "没有记录可以删除此文件"))
            return []
        names, unknown, doubled = csv_header(model, header)
        for h in unknown:
            why = model.refusal(h)
            if why is not None:
                self.problems.append(error(rel, 1, "key-refused", why[0], why[1]))
        unknown = [h for h in unknown if model.refusal(h) is None]
        if unknown:
            self.problems.append(warning(
                rel, 1, "unknown-column",
                f"表头中有不认识的列：{'、'.join(unknown)}，这些列已忽略",
                f"可用的列名见 docs/records.md；{model.kind_label}表的列如："
                + "、".join(v[0] for v in model.csv_columns.values())))
        for name, cells in doubled.items():  # which one is the ledger's? reading either would hide the other
            self.problems.append(error(rel, 1, "csv-duplicate-column",
                                       f"表头中“{'”“'.join(cells)}”都对应 {_field_label(model, name)}，只能留一列",
                                       "删去或合并其中一列（两列都有内容时先合并）"))
        items = []
        for row in rows:
            mapped = PosDict(row.line)
            for key, value in row.items():
                name = names.get(key)
                if name is not None and name not in mapped:
                    mapped[name] = value
            items.append((mapped, row.line))
        return items

    def _yaml_items(self, model: type[Record], rel: str, container: str,
                    meta_keys: tuple[str, ...]) -> tuple[list[tuple[object, int]], dict]:
        """The record list of a YAML file (top-level, or under ``container:``) and the
        file's top-level mapping."""
        data = self.read_yaml(rel)
        if data is None:
            return [], {}
        meta: dict = {}
        if isinstance(data, PosDict):
            meta = data
            for k in data:
                if k != container and k not in meta_keys:
                    self.problems.append(warning(rel, data.line_of(k), "unknown-key",
                                                 f"未知的顶层键“{k}”，已忽略",
                                                 f"记录应列在“{container}:”下"))
            if container not in data:
                self.problems.append(error(rel, data.line, "not-a-list",
                                           f"文件中没有“{container}:”记录列表",
                                           f"把记录写成列表，或放在“{container}:”下"))
                return [], meta
            where, data = data.line_of(container), data[container]
            if data is None:
                return [], meta
        else:
            where = getattr(data, "line", 1)
        if not isinstance(data, PosList):
            self.problems.append(error(rel, getattr(data, "line", where), "not-a-list",
                                       f"应为{model.kind_label}列表（每条以“- ”开头）",
                                       "参照 docs/records.md 中的示例"))
            return [], meta
        return list(zip(data, data.item_lines)), meta


#: off: every record is validated by pydantic (the equality tests compare both ways)
FAST_VALIDATION = not os.environ.get("ANQUAN_NO_FAST_VALIDATION")


@functools.cache
def _fast_builder(model: type[Record]):
    """``build(values, source)`` → the record, validated without pydantic where
    :mod:`anquan_cli.models.fast` is sure of the values (else None); None for a kind it does
    not know, or when it is off."""
    if not FAST_VALIDATION or model not in (Hazard, Unit, Person):
        return None
    from anquan_cli.models import Event
    from anquan_cli.models._base import builder
    from anquan_cli.models.fast import fields_match, hazard_values, org_values

    if model is not Hazard:
        make = builder(model)

        def build_org(values: dict, src: Source):
            done = org_values(model, values)
            return None if done is None else make(done, {"_src": src})

        return build_org
    if not fields_match():
        return None
    from anquan_cli.models.hazard import Listing

    make_hazard, make_event, make_listing = builder(Hazard), builder(Event), builder(Listing)

    def build_event(values: dict):
        return make_event(values, None)

    def build_listing(values: dict):
        return make_listing(values, None)

    def build(values: dict, src: Source):
        done = hazard_values(values, build_event, build_listing)
        return None if done is None else make_hazard(done, {"_src": src})

    return build


def holiday_overrides(root: Path) -> dict[dt.date, bool]:
    """``holidays.yaml`` of the workspace (``holidays: [dates]`` off, ``workdays: [dates]`` on),
    which adds to or corrects the official calendar; empty when there is none.  A file that
    cannot be read or is not in that form stops the command (exit 2, the file named)."""
    from anquan_cli.io.decode import DecodeError, decode
    from anquan_cli.io.yamlread import PosDict, parse_yaml
    from anquan_cli.problems import UsageError
    from anquan_cli.text import parse_date

    path = root / "holidays.yaml"
    if not path.exists():
        return {}
    try:
        text = decode(path.read_bytes()).text
    except (OSError, DecodeError) as exc:
        raise UsageError(f"holidays.yaml：无法读取（{getattr(exc, 'strerror', None) or exc}）") from None
    data, problems = parse_yaml(text, "holidays.yaml")
    if problems or not isinstance(data, PosDict) or not set(data) <= {"holidays", "workdays"}:
        raise UsageError("holidays.yaml 格式不对：应为 holidays: [放假日期…] 和 workdays: [调休上班日期…]")
    out: dict[dt.date, bool] = {}
    try:
        for key, value in (("holidays", False), ("workdays", True)):
            days = data.get(key) or []
            if not isinstance(days, list):
                raise ValueError(f"{key} 应是日期的列表")
            for day in days:
                out[parse_date(day)] = value
    except (ValueError, TypeError) as exc:
        raise UsageError(f"holidays.yaml：{exc}") from None
    return out


def unreadable_problem(rel: str, exc: OSError) -> Problem:
    """A file or folder that could not be read, as a problem that stops every command."""
    if isinstance(exc, NotADirectoryError):
        return error(rel, 0, "not-a-folder", f"{rel} 应是文件夹，却是一个文件", "把它改名移开，或建成文件夹")
    if isinstance(exc, IsADirectoryError):
        return error(rel, 0, "not-a-file", f"{rel} 应是文件，却是一个文件夹", "检查文件名")
    what = "文件夹" if exc.filename and not PurePosixPath(str(exc.filename)).suffix else "文件"
    return error(rel, 0, "file-unreadable", f"无法读取{what} {rel}：{exc.strerror or exc}",
                 "检查它是否存在、是否有读取权限；链接须指向工作区之内的文件")


def _glob(folder: str, suffixes: tuple[str, ...], recursive: bool, reader: _Reader,
          skip: tuple[str, ...] = ()) -> list[str]:
    try:
        listed = reader.tree.files(folder, recursive)
    except OSError as exc:
        reader.unreadable(str(exc.filename or folder), exc)
        return []
    found, unknown = sort_listing(listed, folder, suffixes, skip)
    for rel in unknown:
        reader.problems.append(warning(
            rel, 0, "unknown-file",
            f"{folder}/ 下的文件类型不支持，已忽略：{PurePosixPath(rel).name}",
            f"这里只读 {'/'.join(suffixes)} 文件；Excel 表格请另存为 CSV"))
    return found


def _load_config(reader: _Reader, root: Path) -> WorkspaceConfig:
    data = reader.read_yaml(CONFIG_NAME) if reader.tree.exists(CONFIG_NAME) else None
    if data is None and not reader.tree.exists(CONFIG_NAME):
        reader.problems.append(error(CONFIG_NAME, 0, "missing-file", f"没有 {CONFIG_NAME}",
                                     "工作区根目录须有 anquan.yaml"))
    record = None
    if isinstance(data, PosDict):
        record = reader.build(WorkspaceConfig, data, CONFIG_NAME, data.line)
    elif data is not None:
        reader.problems.append(error(CONFIG_NAME, 1, "not-a-mapping",
                                     f"{CONFIG_NAME} 应为映射（jurisdiction: …、level: …）",
                                     "参照 docs/records.md 中的示例"))
    if record is None:
        if not any(p.path == CONFIG_NAME and p.severity is Severity.ERROR for p in reader.problems):
            reader.problems.append(error(CONFIG_NAME, 0, "config-invalid", f"{CONFIG_NAME} 是空的或无法使用",
                                         "至少写明 jurisdiction（辖区）和 level（层级）"))
        # only `anquan check` goes on (to list every other file's problems too); every other
        # command stops on the problems above and never runs on these placeholder settings
        record = WorkspaceConfig(jurisdiction=root.name, level=JurisdictionLevel.COUNTY)
    return record


_UNIT_SECTIONS = {"townships": "township", "departments": "department",
                  "villages": "village", "enterprises": "enterprise", "units": None}


def _org_file(reader: _Reader, rel: str, what: str, hint: str) -> str | None:
    """``rel`` when that directory file exists, else None (with a warning)."""
    if reader.tree.exists(rel):
        return rel
    reader.problems.append(warning(rel, 0, "missing-file", f"没有{what} {rel}", hint))
    return None


def _load_units(reader: _Reader) -> list[Unit]:
    rel = _org_file(reader, "org/units.yaml", "单位名录", "建立单位名录后才能核对隐患、任务中的单位和乡镇")
    if rel is None:
        return []
    data = reader.read_yaml(rel)
    if data is None:
        return []
    if not isinstance(data, PosDict):
        reader.problems.append(error(rel, getattr(data, "line", 1), "not-sections",
                                     "单位名录应按 townships/departments/villages/enterprises 分节",
                                     "参照 docs/records.md 中的示例"))
        return []
    units: list[Unit] = []
    for section, items in data.items():
        if section not in _UNIT_SECTIONS:
            guess = closest(section, _UNIT_SECTIONS)
            reader.problems.append(warning(rel, data.line_of(section), "unknown-key",
                                           f"未知的分节“{section}”，已忽略",
                                           f"是不是“{guess}”？" if guess else
                                           "可用分节：townships、departments、villages、enterprises"))
            continue
        if items is None:
            continue
        if not isinstance(items, PosList):
            reader.problems.append(error(rel, data.line_of(section), "not-a-list",
                                         f"“{section}”下应为单位列表（每条以“- ”开头）"))
            continue
        kind = _UNIT_SECTIONS[section]
        extra = {"kind": kind} if kind else {}
        for raw, line in zip(items, items.item_lines):
            record = reader.build(Unit, raw, rel, line, extra)
            if record is not None:
                units.append(record)
    return units


def _load_people(reader: _Reader) -> list[Person]:
    rel = _org_file(reader, "org/people.yaml", "人员名录", "建立人员名录后才能核对责任人、包保人")
    return [] if rel is None else reader.records(Person, rel, "people")


def _table_of(data, rel: str) -> dict:
    path = PurePosixPath(rel)
    table = data.get("table") or path.relative_to("tasks").with_suffix("").as_posix()
    year = data.get("year")
    if year is None:
        m = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", path.stem)
        year = int(m.group(0)) if m else None
    return {"table": str(table), "year": year}


def _progress_table(data, rel: str) -> dict:
    return {"table": str(data["table"])} if data.get("table") else {}


@dataclass(frozen=True)
class _Kind:
    folder: str
    suffixes: tuple[str, ...]
    recursive: bool
    model: type
    container: str
    meta_keys: tuple[str, ...]
    meta_fn: object
    attr: str
    skip: tuple[str, ...] = ()
    #: what makes two records the same record (duplicates are refused)
    identity: object = None
    #: read only when asked (``confidential``), never cached: who reported a tip-off
    secret: bool = False


def _by_id(r):
    return r.id


#: the record files of a workspace, in loading order
KINDS = (
    _Kind("matrix", YAML_SUFFIXES, False, MatrixEntry, "entries", (), None, "matrix", identity=_by_id),
    _Kind("hazards", YAML_SUFFIXES + (".csv",), True, Hazard, "hazards", (), None, "hazards", identity=_by_id),
    _Kind("tasks", YAML_SUFFIXES + (".csv",), True, Task, "tasks", ("table", "year", "document", "title"),
          _table_of, "tasks", ("progress",), identity=lambda t: (t.table, t.no)),
    _Kind("tasks/progress", YAML_SUFFIXES + (".csv",), True, Progress, "progress", ("table",),
          _progress_table, "progress"),
    _Kind("duties", YAML_SUFFIXES, False, Duty, "duties", (), None, "duties", identity=_by_id),
    _Kind("activities", YAML_SUFFIXES + (".csv",), True, Activity, "activities", (), None, "activities",
          identity=_by_id),
    _Kind("accidents", YAML_SUFFIXES + (".csv",), True, Accident, "accidents", (), None, "accidents",
          identity=_by_id),
    _Kind("enforcement", YAML_SUFFIXES + (".csv",), True, Enforcement, "enforcement", (), None, "enforcement",
          identity=_by_id),
    _Kind("campaigns", YAML_SUFFIXES, False, Campaign, "campaigns", (), None, "campaigns", identity=_by_id),
    _Kind("submissions", YAML_SUFFIXES + (".csv",), True, Submission, "submissions", (), None, "submissions"),
    _Kind("tipoffs", YAML_SUFFIXES + (".csv",), True, Tipoff, "tipoffs", (), None, "tipoffs", ("confidential",),
          identity=_by_id),
    _Kind("tipoffs/confidential", YAML_SUFFIXES + (".csv",), True, Reporter, "reporters", (), None, "reporters",
          secret=True),
    _Kind("risks", YAML_SUFFIXES + (".csv",), True, Risk, "risks", (), None, "risks", identity=_by_id),
    _Kind("grid", YAML_SUFFIXES + (".csv",), False, Cell, "cells", (), None, "cells", identity=_by_id),
    _Kind("patrols", YAML_SUFFIXES + (".csv",), True, Patrol, "patrols", (), None, "patrols", identity=_by_id),
    _Kind("documents", YAML_SUFFIXES, False, Issued, "issued", (), None, "issued",
          identity=lambda d: d.number),
)


_HAZARDS = next(i for i, kind in enumerate(KINDS) if kind.attr == "hazards")


def kind_of(rel: str) -> "_Kind | None":
    """The record kind a workspace-relative file holds (None for anquan.yaml, org/ files and
    anything that is not a record file)."""
    path = PurePosixPath(rel)
    if path.suffix.lower() not in YAML_SUFFIXES + (".csv",):
        return None
    chosen = None
    for kind in KINDS:
        base = PurePosixPath(kind.folder)
        if path.parts[:len(base.parts)] != base.parts or len(path.parts) <= len(base.parts):
            continue
        inner = path.parts[len(base.parts):]
        if not kind.recursive and len(inner) != 1:
            continue
        if inner[0] in kind.skip or path.suffix.lower() not in kind.suffixes:
            continue
        if chosen is None or len(base.parts) > len(PurePosixPath(chosen.folder).parts):
            chosen = kind
    return chosen


def parse_file(index: int, rel: str, data: bytes) -> tuple[list, list, list[int]]:
    """One record file of kind ``KINDS[index]`` read: its records as plain rows (what the
    record cache keeps: :func:`~anquan_cli.cache.dump_records`), its problems as rows, and
    the lines where its records start (valid or not).  A clean hazard file is read
    straight into values (:func:`anquan_cli.fastload.hazard_file`), any other through
    pydantic."""
    from anquan_cli.cache import dump_problems, dump_records

    kind = KINDS[index]
    if kind.model is Hazard and FAST_VALIDATION:
        from anquan_cli.fastload import hazard_file

        read = hazard_file(rel, data)
        if read is not None:
            return read[0], [], read[1]
    reader = _Reader(MemTree({rel: data}))
    records = reader.records(kind.model, rel, kind.container, kind.meta_keys, kind.meta_fn)
    return dump_records(records), dump_problems(reader.problems), reader.starts.get(rel, [])


def _parse_job(job: tuple[int, str, bytes]) -> tuple[bytes, list]:
    """Parse one record file (in a worker process or here): its plain rows and problem rows,
    pickled as a cache entry holds them (:func:`~anquan_cli.cache.pickled_entry`), and the
    lines where its records start (valid or not)."""
    from anquan_cli.cache import pickled_entry

    index, rel, data = job
    rows, problems, starts = parse_file(index, rel, data)
    return pickled_entry(KINDS[index].model, digest(data), (rows, problems)), starts


#: parse in worker processes when at least this many bytes of record files are not cached
PARALLEL_BYTES = 2_000_000


def _parse_all(jobs: list[tuple[int, str, bytes]], tick=None) -> list[tuple[bytes, list]]:
    """Each job parsed (:func:`_parse_job`), on both cores when there are many bytes;
    ``tick()`` after each one (progress)."""
    tick = tick or (lambda: None)
    total = sum(len(j[2]) for j in jobs)
    workers = min(2, os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= 4 and total >= PARALLEL_BYTES and not os.environ.get("ANQUAN_NO_PARALLEL"):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if "fork" in multiprocessing.get_all_start_methods():
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                out = []
                for got in pool.map(_parse_job, jobs, chunksize=max(1, len(jobs) // (workers * 4))):
                    out.append(got)
                    tick()
                return out
    out = []
    for j in jobs:
        out.append(_parse_job(j))
        tick()
    return out


def _org_records(reader: _Reader, cache, rel: str, attr: str, model: type[Record], parse) -> list:
    """The units or the people: from the record cache when this content of ``rel`` was read
    before (validated then, as every record file is), else parsed by ``parse(reader)``."""
    from anquan_cli.cache import dump_problems, dump_records, load_problems, load_records

    if cache is not None and reader.tree.exists(rel):
        try:
            data = reader.tree.read(rel)
        except OSError:  # reported by the ordinary read below
            data = None
        if data is not None:
            key = digest(data)
            hit = cache.get(key, attr, model)
            if hit is not None:
                reader.files.append(rel)
                reader.digests[rel] = key
                reader.problems.extend(load_problems(hit[1], rel))
                return load_records(model, hit[0], rel)
    before = len(reader.problems)
    records = parse(reader)
    found = reader.problems[before:]
    if cache is not None and rel in reader.digests and all(p.path == rel for p in found):
        cache.put(reader.digests[rel], attr, model, (dump_records(records), dump_problems(found)))
    return records


def _load_records(reader: _Reader, ws: "Workspace", cache, skip: frozenset[str] = frozenset(),
                  unread: bool = False, confidential: bool = False, shown=None) -> None:
    """Every record file of the workspace read (and digested), then parsed or taken from the
    cache — except the kinds in ``skip``; ``shown``: the progress to report on."""
    jobs: list[tuple[int, str, bytes]] = []
    known = None
    if skip and cache is not None and isinstance(reader.tree, FsTree) and not unread:
        from anquan_cli.cache import KnownDigests

        known = KnownDigests(cache.folder)
    for index, kind in enumerate(KINDS):
        if kind.secret and not confidential:
            continue  # not listed, read or digested: nothing of it can reach an output
        for rel in _glob(kind.folder, kind.suffixes, kind.recursive, reader, kind.skip):
            reader.files.append(rel)
            if shown is not None:
                shown.advance()
            if unread and kind.attr in skip:
                ws.unloaded.setdefault(kind.attr, []).append((rel, None))
                continue
            if known is not None and kind.attr in skip:
                # a file left unparsed needs only its digest: from its stat when unchanged
                try:
                    st = reader.tree.stat(rel)
                    d = known.get(rel, st)
                    data = None
                    if d is None:
                        taken = time.time_ns()
                        data = reader.tree.read(rel)
                        d = digest(data)
                        known.put(rel, st, d, taken)
                except OSError as exc:
                    reader.unreadable(rel, exc)
                    continue
                reader.digests[rel] = d
                ws.unloaded.setdefault(kind.attr, []).append((rel, data))
                continue
            try:
                data = reader.tree.read(rel)
            except OSError as exc:
                reader.unreadable(rel, exc)
                continue
            reader.digests[rel] = digest(data)
            if kind.attr in skip:
                ws.unloaded.setdefault(kind.attr, []).append((rel, data))
            else:
                jobs.append((index, rel, data))
    if known is not None:
        known.save({rel for rel, _ in (pair for kind in skip for pair in ws.unloaded.get(kind, []))})
    for (index, _rel, _), (records, problems) in zip(jobs, _records_of(jobs, reader.digests, cache, shown)):
        getattr(ws, KINDS[index].attr).extend(records)
        reader.problems.extend(problems)


def _records_of(jobs: list[tuple[int, str, bytes]], digests: dict[str, str], cache,
                shown=None) -> list[tuple[list, list]]:
    """``(records, problems)`` of each record file ``(kind index, path, bytes)``: from the
    record cache when its content was read before, else parsed (on both cores when many);
    ``shown``: the progress to report on."""
    from anquan_cli.cache import load_problems, load_records

    payloads: dict[int, tuple[list, list]] = {}
    misses = []
    for n, (index, rel, _data) in enumerate(jobs):
        hit = cache.get(digests[rel], KINDS[index].attr, KINDS[index].model) \
            if cache and not KINDS[index].secret else None
        if hit is None:
            misses.append(n)
        else:
            payloads[n] = hit
    if shown is not None and misses:
        shown.stage("校验记录", total=len(misses))
    for n, (data, starts) in zip(misses, _parse_all([jobs[n] for n in misses], shown and shown.advance)):
        index, rel, _ = jobs[n]
        _, _, payload = pickle.loads(data)  # from this process or its own worker
        payloads[n] = payload
        if cache is not None and not KINDS[index].secret:
            cache.put_pickled(digests[rel], KINDS[index].attr, KINDS[index].model, data, payload, starts)
    if shown is not None:
        shown.stage("读入记录", total=len(jobs))
    out = []
    for n, (index, rel, _) in enumerate(jobs):
        rows, problems = payloads[n]
        out.append((load_records(KINDS[index].model, rows, rel), load_problems(problems, rel)))
        if shown is not None:
            shown.advance()
    return out


def load_for_hazard(root: Path, hazard_id: str) -> tuple[Workspace, list[Problem]]:
    """The workspace as an edit of one hazard needs it: the units and people, the hazard files
    that hold ``hazard_id``, and the other record files' problems as the record cache knows
    them (so a file that cannot be read still stops the edit).  Which files hold
    the id, the cache knows too (the ids of each content it holds), and an unchanged file is
    known by its stat: an edit reads the one file it changes.  An edit that changes no id
    brings the same problems into this workspace as into the whole one.  The whole workspace
    is loaded when unsure: no cache, a roll-up, an id that is not plain ASCII text, the id not
    found exactly once.  (A hazard file the cache does not know yet is read once, and what
    it holds is kept.)"""
    from anquan_cli.cache import RecordCache, dump_problems, load_problems
    from anquan_cli.text import nfkc

    key = nfkc(hazard_id).strip()
    if (os.environ.get("ANQUAN_NO_CACHE") or not key or not key.isascii() or ":" in key
            or includes(root / CONFIG_NAME)):
        return load_workspace(root)
    # an edit of a hazard needs the hazard and the name directory; of the other record files,
    # only whether they can be read
    skip = frozenset(k.attr for k in KINDS)
    ws, problems = load_workspace(root, use_cache=True, skip=skip)
    if ws.config.include:  # as the loader read it
        return load_workspace(root)
    cache = RecordCache(root / ".anquan" / "cache")
    needle = key.encode("ascii")
    chosen: list[tuple[str, bytes | None]] = []
    others: list[Problem] = []
    for kind in KINDS:
        unknown: list[tuple[str, bytes]] = []
        for rel, data in ws.unloaded.pop(kind.attr, []):
            side = cache.problems(ws.digests[rel], kind.attr, kind.model)
            if side is not None:
                if kind.attr == "hazards" and key in side[1]:
                    chosen.append((rel, data))
                else:
                    others.extend(load_problems(side[0], rel))
                continue
            (rel, data), = unloaded_bytes(ws, [(rel, data)])
            if kind.attr == "hazards" and needle in data:  # may hold it: read as records below
                chosen.append((rel, data))
            else:
                unknown.append((rel, data))
        for (rel, _), (records, found) in zip(unknown, records_of_files(root, kind.attr, unknown)):
            others.extend(found)
            cache.put_problems(ws.digests[rel], kind.attr, kind.model, dump_problems(found),
                               [getattr(r, "id", None) for r in records])
    loaded = records_of_files(root, "hazards", unloaded_bytes(ws, chosen))
    hazards = [h for records, _ in loaded for h in records]
    if sum(1 for h in hazards if h.id == key) != 1:
        return load_workspace(root)
    ws.hazards = hazards
    problems.extend(others)
    for _, found in loaded:
        problems.extend(found)
    return ws, problems


def kept_starts(ws: Workspace, rel: str) -> list[int] | None:
    """Where the records of ``rel`` start, as the record cache keeps them for the content
    ``ws`` read; None when ``ws`` was read without a cache, ``rel`` is not a record file, or
    the cache does not know."""
    from anquan_cli.cache import RecordCache

    owner, inner, _ = ws.owner_of(rel)
    kind = kind_of(inner)
    if ws.name_store is None or kind is None or rel not in ws.digests:
        return None
    return RecordCache(owner / ".anquan" / "cache").starts(ws.digests[rel], kind.attr, kind.model)


def unloaded_bytes(ws: Workspace, files: list[tuple[str, bytes | None]]) -> list[tuple[str, bytes]]:
    """``files`` of ``ws.unloaded`` with their bytes, reading those known by their stat (their
    digest in ``ws.digests`` follows what is read, should a file have changed since)."""
    tree = FsTree(ws.root)
    out = []
    for rel, data in files:
        if data is None:
            data = tree.read(rel)
            ws.digests[rel] = digest(data)
        out.append((rel, data))
    return out


def records_of_files(root: Path, attr: str, files: list[tuple[str, bytes]],
                     use_cache: bool = True) -> list[tuple[list, list[Problem]]]:
    """``(records, problems)`` of each of these files of one record kind (as a load reads
    them: from the record cache, else parsed)."""
    from anquan_cli.cache import RecordCache

    index = next(i for i, k in enumerate(KINDS) if k.attr == attr)
    cache = RecordCache(root / ".anquan" / "cache") if use_cache else None
    out = _records_of([(index, rel, data) for rel, data in files], {rel: digest(data) for rel, data in files}, cache)
    if cache is not None:
        cache.prune()
    return out


def records_after_edit(rel: str, kind: "_Kind", workspace: str, old: bytes, new: bytes, before: list[Record],
                       before_problems: list[Problem], before_starts: list[int], starts: list
                       ) -> tuple[list[Record], list[Problem]]:
    """The records of ``new``, an edit of ``old`` whose records (``before``, starting at
    ``before_starts``) and problems are known: read as :func:`records_from_bytes` reads them,
    except that an item whose text lies wholly before or after the lines the edit changed,
    and which had no problem, is the record it was (moved by the lines the edit added)
    rather than validated again.  The file's structure (the header, the record list) must
    lie before the change; else everything is read afresh."""
    try:
        a, b = decode(old).text.split("\n"), decode(new).text.split("\n")
    except DecodeError:
        return records_from_bytes(rel, new, kind=kind, workspace=workspace, starts=starts)
    head = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    shift = len(b) - len(a)
    first_changed = head + 1           # 1-based: lines before it are the same on both sides
    after_changed = len(b) - tail + 1  # 1-based, new side: lines from it on are the old ones, moved
    if not before_starts or first_changed <= before_starts[0]:
        return records_from_bytes(rel, new, kind=kind, workspace=workspace, starts=starts)
    by_line = {r.src.line: r for r in before}
    if not before_problems:
        got = _around_edit(rel, kind, workspace, b, before_starts, by_line, head, len(a) - tail, shift)
        if got is not None:
            records, problems, new_starts = got
            starts.extend(new_starts)
            return records, problems
    ends = dict(zip(before_starts, before_starts[1:] + [None]))
    troubled = sorted(p.line for p in before_problems)

    def clean(start: int, end: int | None) -> bool:
        i = bisect.bisect_left(troubled, start)
        return i == len(troubled) or (end is not None and troubled[i] >= end)

    def reuse(start: int, end: int | None):
        if end is not None and end <= first_changed:
            old_start, moved = start, 0
        elif start >= after_changed:
            old_start, moved = start - shift, shift
        else:
            return None
        record = by_line.get(old_start)
        if record is None or ends.get(old_start, 0) != (None if end is None else end - moved) \
                or not clean(old_start, ends[old_start]):
            return None
        return record if not moved else _moved(record, moved)

    reader = _Reader(MemTree({rel: new}))
    records = reader.records(kind.model, rel, kind.container, kind.meta_keys, kind.meta_fn, reuse=reuse)
    if workspace:
        for rec in records:
            s = rec._src
            if s.workspace != workspace:
                rec._src = Source(s.path, s.line, s.fields, s.items, workspace)
    starts.extend(reader.starts.get(rel, ()))
    return records, reader.problems


def _around_edit(rel: str, kind: "_Kind", workspace: str, lines: list[str], before_starts: list[int],
                 by_line: dict, head: int, last: int, shift: int):
    """:func:`records_after_edit` of a file without a problem before the edit: only the records
    around the changed lines are parsed — with the rest of a YAML text blanked (see
    :func:`~anquan_cli.io.yamlread.keep_lines`), or under a CSV file's header — and the others
    are the records they were.  None when that reading is not clean (then the whole file is)."""
    from anquan_cli.io.yamlread import keep_lines

    if head < before_starts[0]:
        return None
    i = bisect.bisect_right(before_starts, head) - 1          # the record holding the last line before the change
    j = bisect.bisect_right(before_starts, max(head, last))    # the first record wholly after it
    first, after = before_starts[i], (before_starts[j] if j < len(before_starts) else None)
    end = None if after is None else after + shift
    if rel.lower().endswith(".csv"):
        if any("\r" in line[:-1] for line in lines):
            return None  # a CR alone breaks a CSV line where a split at LF does not
        # the lines before the first record (the header), then the changed records' lines,
        # read there and moved to where they are
        text: str | None = "\n".join(lines[:before_starts[0] - 1] + lines[first - 1:None if end is None else end - 1])
        moved_by = first - before_starts[0]
    else:
        text = keep_lines("\n".join(lines), [(1, before_starts[0]), (first, end)])
        moved_by = 0
    if text is None:
        return None
    reader = _Reader(MemTree({rel: text.encode("utf-8")}))
    parsed = reader.records(kind.model, rel, kind.container, kind.meta_keys, kind.meta_fn)
    got = [line + moved_by for line in reader.starts.get(rel, [])]
    if reader.problems or not got or got[0] != first or (end is not None and got[-1] >= end):
        return None
    if moved_by:
        parsed = [_moved(r, moved_by) for r in parsed]
    kept_before = [by_line[s] for s in before_starts[:i] if s in by_line]
    kept_after = [_moved(by_line[s], shift) if shift else by_line[s] for s in before_starts[j:] if s in by_line]
    if len(kept_before) != i or len(kept_after) != len(before_starts) - j:
        return None  # a record that did not read before: read it afresh
    if workspace:
        for rec in parsed:
            s = rec._src
            rec._src = Source(s.path, s.line, s.fields, s.items, workspace)
    return kept_before + parsed + kept_after, [], before_starts[:i] + got + [s + shift for s in before_starts[j:]]


def _moved(record: Record, lines: int) -> Record:
    """``record`` read ``lines`` further down its file."""
    s = record._src
    copy = record.model_copy()
    copy._src = Source(s.path, s.line + lines, {k: v + lines for k, v in s.fields.items()},
                       {k: tuple(v + lines for v in vs) for k, vs in s.items.items()}, s.workspace)
    return copy


def records_from_bytes(rel: str, data: bytes, model: type[Record] | None = None, container: str | None = None,
                       kind: "_Kind | None" = None, workspace: str = "", starts: list | None = None
                       ) -> tuple[list[Record], list[Problem]]:
    """The records of one file's contents (one side of a merge, a file as an edit would
    leave it), with its problems; ``workspace`` labels records of an included workspace;
    ``starts`` (a list) receives the lines where the file's records start, valid or not."""
    from anquan_cli.io.tree import MemTree

    reader = _Reader(MemTree({rel: data}))
    if kind is not None:
        records = reader.records(kind.model, rel, kind.container, kind.meta_keys, kind.meta_fn)
    else:
        records = reader.records(model, rel, container)
    if workspace:
        for rec in records:
            s = rec._src
            rec._src = Source(s.path, s.line, s.fields, s.items, workspace)
    if starts is not None:
        starts.extend(reader.starts.get(rel, ()))
    return records, reader.problems


# ---------------------------------------------------------------------------- failing closed

#: a file or folder that could not be read at all: every command stops (exit 2)
UNREADABLE_CODES = frozenset({"file-unreadable", "not-a-folder", "not-a-file", "include-missing",
                              "include-cycle", "config-invalid"})
#: a record file none of whose records could be read: a query or an edit would answer as if
#: the file were empty, so they stop too (``anquan check`` reports these as errors, exit 1)
BROKEN_CODES = UNREADABLE_CODES | {"yaml-syntax", "yaml-alias", "yaml-anchor", "yaml-too-deep", "encoding",
                                   "csv-syntax", "csv-duplicate-column", "not-a-list", "not-sections"}


def blocking(problems: list[Problem], unreadable_only: bool = False) -> list[Problem]:
    """The problems that make the workspace unusable: unreadable paths, any error in an
    ``anquan.yaml`` (the settings every rule runs on), and — unless ``unreadable_only`` —
    record files that could not be parsed at all."""
    codes = UNREADABLE_CODES if unreadable_only else BROKEN_CODES
    return [p for p in problems if p.severity is Severity.ERROR
            and (p.code in codes or p.path.rpartition("/")[2] == CONFIG_NAME)]


class WorkspaceUnusable(AnquanError):
    """The workspace cannot be read as it is; the command stops without answering or writing."""

    def __init__(self, problems: list[Problem], revision: str | None = None):
        self.problems = problems
        at = f"（git 版本 {revision}）" if revision else ""
        shown = [f"  {p.path}{':' + str(p.line) if p.line else ''}: {p.message}"
                 + (f"（{p.hint}）" if p.hint else "") for p in problems[:5]]
        more = f"\n  ……另有 {len(problems) - 5} 处" if len(problems) > 5 else ""
        super().__init__(f"工作区{at}有读不了的文件或设置，命令已停止（没有按默认值运行，也没有写入任何文件）：\n"
                         + "\n".join(shown) + more + "\n修正后再运行；anquan check 列出全部问题。")


class _NameStore:
    """The name directory's tables (:class:`~anquan_cli.rules.lookup.Directory`) kept in the
    workspace cache under a key naming the files people and units come from, the
    configuration and anquan's own code (its folding of names)."""

    def __init__(self, root: Path, digests: dict[str, str]):
        from anquan_cli.cache import CheckCache, code_digest

        self._store = CheckCache(root / ".anquan" / "cache", "names")
        org = sorted(f"{rel}={d}" for rel, d in digests.items()
                     if rel == CONFIG_NAME or rel.endswith(("org/people.yaml", "org/units.yaml")))
        from anquan_cli.text import fold_source

        self._base = "|".join(["names-1", code_digest(), fold_source(), *org])

    def _key(self, key: str) -> str:
        return hashlib.blake2b(f"{self._base}|{key}".encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()

    def get(self, key: str):
        return self._store.get(self._key(key))

    def put(self, key: str, value) -> None:
        self._store.put(self._key(key), value)
        self._store.prune()


def require_usable(problems: list[Problem], revision: str | None = None) -> None:
    """Stop (:class:`WorkspaceUnusable`, exit 2) when the workspace cannot be used as read."""
    bad = blocking(problems)
    if bad:
        raise WorkspaceUnusable(bad, revision)




def _include(ws: Workspace, problems: list[Problem], use_cache: bool, seen: set[Path],
             loaded: dict[Path, str]) -> None:
    """Roll the workspaces named in ``include:`` into ``ws``: their records keep paths
    relative to this workspace and carry the included workspace's name."""
    for entry in ws.config.include:
        child_root = (ws.root / entry).resolve()
        if child_root in seen:
            problems.append(error(CONFIG_NAME, 0, "include-cycle", f"include 形成了循环：{entry}",
                                  "检查各工作区 anquan.yaml 的 include"))
            continue
        if not (child_root / CONFIG_NAME).is_file():
            problems.append(error(CONFIG_NAME, 0, "include-missing", f"include 的工作区不存在或没有 {CONFIG_NAME}：{entry}",
                                  "检查路径（相对本工作区），或先克隆该乡镇/县的仓库"))
            continue
        if child_root in loaded:  # a diamond: two townships' roll-ups both name this one
            problems.append(warning(CONFIG_NAME, 0, "include-duplicate",
                                    f"include 的工作区 {entry} 已经通过 {loaded[child_root]} 汇总过，不重复计入",
                                    "每个工作区只汇总一次：删去重复的 include"))
            continue
        loaded[child_root] = entry
        child, child_problems = load_workspace(child_root, use_cache=use_cache, _seen=seen | {child_root},
                                               _loaded=loaded)
        prefix = PurePosixPath(os.path.relpath(child_root, ws.root).replace(os.sep, "/"))
        label = child.config.jurisdiction

        def moved(rel: str, prefix: PurePosixPath = prefix) -> str:
            return (prefix / rel).as_posix()

        for attr in RECORD_LISTS:
            for rec in getattr(child, attr):
                s = rec._src
                rec._src = Source(moved(s.path), s.line, s.fields, s.items, s.workspace or label)
            getattr(ws, attr).extend(getattr(child, attr))
        problems.extend(Problem(moved(p.path), p.line, p.severity, p.code, p.message, p.hint)
                        for p in child_problems)
        ws.files.extend(moved(f) for f in child.files)
        ws.digests.update({moved(k): v for k, v in child.digests.items()})
        ws.included.append(label)
        ws.mounts.append((prefix.as_posix(), child_root, label))
        ws.mounts.extend((moved(p), r, lab) for p, r, lab in child.mounts)


def load_workspace(root: Path, rev: str | None = None, use_cache: bool | None = None,
                   _seen: frozenset | set = frozenset(), overlay: dict[str, bytes] | None = None,
                   skip: frozenset[str] = frozenset(),
                   _loaded: dict | None = None, unread: bool = False, confidential: bool = False
                   ) -> tuple[Workspace, list[Problem]]:
    """Read and validate every file of the workspace at ``root`` — as it is on disk, or as
    it was at the git revision ``rev`` (read through git; the working tree is not touched),
    or as it would be with the files in ``overlay`` replaced (what an edit would write).

    Record files are served from the content-keyed cache when unchanged (``use_cache``;
    default on unless ``ANQUAN_NO_CACHE`` is set) and parsed on both cores when many changed.
    Record kinds named in ``skip`` (attribute names, e.g. ``"hazards"``) are read and
    digested but not parsed: their files are left in ``ws.unloaded`` — with ``unread``, only
    listed there (``(file, None)``, no digest: the caller reads them).

    Who reported a tip-off (``tipoffs/confidential/**``) is read only with ``confidential``
    (a command given ``--confidential``), and never through the cache: without it those files
    are not even listed, so no report, export, diff or reminder can carry them.
    """
    if use_cache is None:
        use_cache = not os.environ.get("ANQUAN_NO_CACHE")
    from anquan_cli.io.tree import OverlayTree

    tree = FsTree(root) if rev is None else GitTree(root, rev)
    reader = _Reader(OverlayTree(tree, overlay) if overlay else tree)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building many small objects: the collector only slows this down
    try:
        config = _load_config(reader, root)
        ws = Workspace(root=root, config=config, revision=reader.tree.revision)
        from anquan_cli.cache import RecordCache

        cache = RecordCache(root / ".anquan" / "cache") if use_cache else None
        ws.units = _org_records(reader, cache, "org/units.yaml", "units", Unit, _load_units)
        ws.people = _org_records(reader, cache, "org/people.yaml", "people", Person, _load_people)
        from anquan_cli.progress import progress  # a service leaf below every layer: imports nothing of anquan

        with progress(f"读取工作区 {root.name}", unit="个文件") as shown:
            _load_records(reader, ws, cache, skip, unread, confidential, shown)
        if cache is not None:
            cache.prune()
        ws.files = reader.files
        ws.digests = reader.digests
        if cache is not None and isinstance(tree, FsTree):
            ws.name_store = _NameStore(root, reader.digests)
        if config.include:
            _include(ws, reader.problems, use_cache, set(_seen) | {root.resolve()},
                     {root.resolve(): "本工作区"} if _loaded is None else _loaded)
        ws.problems = reader.problems
    finally:
        gc.freeze()  # the loaded records live as long as the command: keep them out of collections
        if gc_was_enabled:
            gc.enable()
    return ws, reader.problems

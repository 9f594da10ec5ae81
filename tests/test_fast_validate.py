"""The fast read path gives exactly what pydantic and the ordinary path give, or declines.

* :func:`anquan_cli.models.fast.hazard_values` — the values of one hazard, or None;
* :func:`anquan_cli.fastload.csv_hazards` — a whole CSV hazard file, or None;
* :func:`anquan_cli.index.values_segment` — a file's index columns from those values,
  equal to :func:`anquan_cli.index.object_segment` over the records;
* :func:`anquan_cli.index.fresh` — the whole index built file by file, equal to the index
  built from an ordinary load.

Each is checked on random input that mixes what offices write with what trips validators
(whitespace pydantic strips differently from Python, full-width text, phrases, bad dates,
unknown words), and on clean input that the fast path must not decline.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from conftest import write_workspace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from anquan_cli import fastload
from anquan_cli import index as I
from anquan_cli import workspace as W
from anquan_cli.cache import dump_problems, dump_records
from anquan_cli.io.tree import MemTree
from anquan_cli.models import Event, Hazard
from anquan_cli.models import fast as F

SPACES = [" ", "\t", "\u3000", "\x1c", "\xa0", "\n", "\u200b"]
WORDS = ["报警器未检定", "ＹＨ－００１", "宏达化工", "石桥镇", "", "  ", "各級", "=", "；", "「雨季；施工」"]
DATES = ["2023-08-01", "2023/8/1", "2023年8月1日", "二〇二三年八月一日", "2023-02-30", "20230801",
         "2023-13-01", "1899-01-01", "2023年9月底前", "9月底前", "本周", "２０２３－０８－０１", "2023/8/1 0:00:00"]
LEVELS = ["一般", "重大", "major", "重大事故隐患", "一般 ", "严重", ""]
SOURCES = ["企业自查", "上级督查", "举报", "12350举报", "自查自改", "", " 执法 "]
KINDS = ["登记", "整改完成", "验收签字", "销号", "延期", "提级", "挂牌督办", "变更责任人", "修改", "备注", "完成"]


def _padded(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(["", *SPACES]), inner, st.sampled_from(["", *SPACES])).map("".join)


TEXT = st.one_of(st.none(), _padded(st.sampled_from(WORDS)), st.text(max_size=6), st.integers(0, 99))
DATE = st.one_of(st.none(), _padded(st.sampled_from(DATES)), st.integers(20230101, 20231231))


@st.composite
def event_raw(draw) -> dict:
    e: dict = {"date": draw(DATE), "event": draw(st.one_of(_padded(st.sampled_from(KINDS)), st.none()))}
    for key, values in (("by", TEXT), ("party", st.sampled_from(["企业", "部门", "乡镇", "村", "", None])),
                        ("deadline", DATE), ("field", st.sampled_from(["期限", "deadline", "责任人", "颜色", "", None])),
                        ("value", TEXT), ("previous", st.one_of(DATE, TEXT)), ("owner", TEXT),
                        ("supervisor", TEXT), ("reason", TEXT), ("note", TEXT), ("colour", TEXT)):
        if draw(st.integers(0, 4)) == 0:
            e[key] = draw(values)
    return e


HISTORY_WORDS = ["2023-08-05", "2023/8/6", "2023-02-30", "整改完成", "验收签字", "延期", "备注", "人=张三", "人＝李四",
                 "方=企业", "方=村", "期限=2023-09-30", "原期限=2023-08-31", "字段=期限", "原因=「雨季 施工；道路中断」",
                 "新值=王五", "备注=已复查", "随便", "人=", "Ｐ３"]
HISTORY = st.lists(st.sampled_from(HISTORY_WORDS + [" ", "；", ";", "\n", "\r\n", "\u3000"]), max_size=14).map(" ".join)


LISTING_CELLS = ["单位=县安委会 日期=2023-06-10 跟踪=王五", "县政府 2023/6/1", "文号=「青安督〔2023〕 1号」 摘牌=2023-02-30",
                 "随便=1", "县政府 县安委会", "", "日期=2023-06-10 备案=2023-06-11 公布=2023-06-12 摘牌=2023-09-01"]
LISTING = st.one_of(
    st.none(), _padded(st.sampled_from(LISTING_CELLS)), st.integers(),
    st.dictionaries(st.sampled_from(["by", "date", "tracker", "number", "filed", "published", "delisted", "colour"]),
                    st.one_of(TEXT, DATE), max_size=4))


@st.composite
def hazard_raw(draw) -> dict:
    values: dict = {}
    for name, strategy in (("id", st.one_of(_padded(st.sampled_from(["YH-1", "ＹＨ－００１", "Y H", "甲1", ""])), TEXT)),
                           ("title", TEXT), ("description", TEXT), ("unit", TEXT), ("township", TEXT),
                           ("sector", TEXT), ("level", st.one_of(_padded(st.sampled_from(LEVELS)), st.none(),
                                                                  st.lists(st.integers(), max_size=2))),
                           ("source", st.one_of(_padded(st.sampled_from(SOURCES)), st.none(),
                                                st.lists(st.integers(), max_size=2))),
                           ("found", DATE), ("deadline", DATE), ("owner", TEXT), ("measures", TEXT), ("funds", TEXT),
                           ("plan", TEXT), ("supervisor", TEXT), ("closed", DATE), ("note", TEXT)):
        if draw(st.integers(0, 5)):
            values[name] = draw(strategy)
    if draw(st.booleans()):
        values["history"] = draw(st.one_of(HISTORY, st.lists(event_raw(), max_size=3), st.none(), st.integers()))
    if draw(st.integers(0, 3)) == 0:
        values["listing"] = draw(LISTING)
    return values


def pydantic_values(values: dict) -> dict | None:
    try:
        h = Hazard.model_validate(values)
    except ValidationError:
        return None
    out = dict(h.__dict__)
    out["history"] = [dict(e.__dict__) for e in out["history"]]
    if out["listing"] is not None:
        out["listing"] = dict(out["listing"].__dict__)
    return out


def test_the_fast_validator_knows_every_field_of_the_models():
    assert F.fields_match()
    assert tuple(Hazard.model_fields) == F.HAZARD_FIELDS and tuple(Event.model_fields) == F.EVENT_FIELDS


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(hazard_raw())
def test_fast_values_are_pydantics_or_none(values):
    fast = F.hazard_values(dict(values))
    slow = pydantic_values(dict(values))
    if fast is not None:
        assert slow is not None, values
        assert list(fast) == list(slow) and fast == slow, values
        assert [list(e) for e in fast["history"]] == [list(e) for e in slow["history"]]
        assert all(type(fast[k]) is type(slow[k]) for k in fast)


@settings(max_examples=300)
@given(event_raw())
def test_fast_events_are_pydantics_or_none(raw):
    fast = F.event_values(dict(raw))
    try:
        slow = dict(Event.model_validate(raw).__dict__)
    except ValidationError:
        slow = None
    if fast is not None:
        assert fast == slow and list(fast) == list(slow), raw


# ---------------------------------------------------------------------- whole CSV files

HEADERS = {"id": ["隐患编号", "编号", "id"], "title": ["隐患名称", "存在问题"], "unit": ["单位名称", "企业名称"],
           "township": ["乡镇"], "sector": ["行业领域"], "level": ["隐患等级", "等级"], "source": ["隐患来源"],
           "found": ["发现日期", "检查日期"], "deadline": ["整改期限"], "owner": ["责任人"], "funds": ["整改资金（万元）"],
           "supervisor": ["督办单位"], "listing": ["挂牌督办"], "closed": ["销号日期"], "history": ["处理记录"],
           "note": ["备注"]}
CLEAN_HISTORY = ["2023-08-01 登记 人=张三", "2023-08-05 整改完成 人=张三；2023-08-06 验收签字 方=企业 人=王芳",
                 "2023-08-05 延期 期限=2023-09-30 原期限=2023-08-31 原因=「雨季 施工；道路中断」", ""]


@st.composite
def clean_row(draw, n: int) -> dict:
    found = dt.date(2023, 1, 1) + dt.timedelta(days=draw(st.integers(0, 300)))
    row = {"id": f"YH-{n}", "title": draw(st.sampled_from(["报警器未检定", "边坡过陡\n未设警示", "通道堵塞, 杂物"])),
           "unit": draw(st.sampled_from(["宏达化工有限公司", "石桥石料厂", "不在名录的厂"])),
           "level": draw(st.sampled_from(["一般", "重大"])), "found": found.isoformat()}
    for name, values in (("township", ["石桥镇", "城关镇"]), ("source", ["企业自查", "上级督查"]),
                         ("deadline", [(found + dt.timedelta(days=15)).isoformat()]), ("owner", ["王芳", "李娜"]),
                         ("history", CLEAN_HISTORY), ("closed", [(found + dt.timedelta(days=40)).isoformat()]),
                         ("listing", [f"单位=县应急管理局 日期={found.isoformat()} 跟踪=李娜", "县政府 " + found.isoformat()])):
        if draw(st.booleans()):
            row[name] = draw(st.sampled_from(values))
    return row


def render_csv(rows: list[dict], headers: dict[str, str], quoting: int, ending: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=quoting, lineterminator=ending)
    w.writerow(list(headers.values()))
    for r in rows:
        w.writerow([r.get(k, "") for k in headers])
    return buf.getvalue()


@st.composite
def csv_file(draw, messy: bool) -> str:
    rows = [draw(clean_row(n)) for n in range(draw(st.integers(0, 6)))]
    names = draw(st.lists(st.sampled_from(sorted(HEADERS)), unique=True, min_size=3))
    for must in ("id", "title", "unit", "level", "found"):
        if must not in names and not (messy and draw(st.booleans())):
            names.append(must)
    headers = {k: draw(st.sampled_from(HEADERS[k])) for k in names}
    if messy:
        for r in rows:
            for k in list(r):
                if draw(st.integers(0, 6)) == 0:
                    r[k] = draw(st.one_of(_padded(st.sampled_from(WORDS + DATES + LEVELS + SOURCES)),
                                          HISTORY, st.text(max_size=4)))
        if draw(st.integers(0, 4)) == 0:
            headers["颜色"] = "颜色"
        if draw(st.integers(0, 4)) == 0 and rows:
            rows[0]["颜色"] = "红"
    text = render_csv(rows, headers, draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
                      draw(st.sampled_from(["\r\n", "\n"])))
    if messy and draw(st.integers(0, 5)) == 0:
        text += draw(st.sampled_from(["\n\n", ",,,\n", "YH-9,多出,的,一,行,,,,,,,,,,,,,,,,x\n", '"未闭合\n']))
    return text


def ordinary(rel: str, text: str, monkeypatch) -> tuple[list, list]:
    """What the pydantic path reads of the file: (record rows, problem rows)."""
    monkeypatch.setattr(W, "_fast_builder", lambda model: None)
    reader = W._Reader(MemTree({rel: text.encode("utf-8")}))
    records = reader.records(Hazard, rel, "hazards")
    return dump_records(records), dump_problems(reader.problems)


@settings(max_examples=250, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(csv_file(messy=True))
def test_a_csv_file_reads_as_the_ordinary_path_reads_it_or_is_declined(monkeypatch, text):
    from anquan_cli.io.decode import DecodeError, decode

    try:  # what the file's bytes decode to (as the reader and parse_file decode them)
        text = decode(text.encode("utf-8")).text
    except DecodeError:
        return  # parse_file reads such a file the ordinary way
    fast = fastload.csv_hazards("hazards/a.csv", text)
    if fast is not None:
        rows, problems = ordinary("hazards/a.csv", text, monkeypatch)
        assert problems == [] and fast == rows
        assert [list(r[0]) for r in fast] == [list(r[0]) for r in rows]  # the fields in the model's order
        assert [list(r[2]) for r in fast] == [list(r[2]) for r in rows]  # the field lines in the file's


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(csv_file(messy=False))
def test_a_clean_csv_file_is_read_fast(monkeypatch, text):
    fast = fastload.csv_hazards("hazards/a.csv", text)
    assert fast is not None
    assert fast == ordinary("hazards/a.csv", text, monkeypatch)[0]


# ---------------------------------------------------------------------- index segments

MATRIX = """\
entries:
  - id: BB-01
    kind: 重点企业
    guarantor: 张伟
    responsible: [李娜]
    targets: [宏达化工有限公司]
    township: 石桥镇
  - id: BB-02
    kind: 一般事故隐患
    guarantor: 陈静
    responsible: [王芳]
    township: 石桥镇
  - id: BB-03
    kind: 重大事故隐患
    guarantor: 张伟
    responsible: [李娜]
    targets: [YH-1, YH-3]
  - id: BB-04
    kind: 上级检查发现问题
    guarantor: 李娜
    responsible: [陈静]
"""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(csv_file(messy=False), min_size=1, max_size=3), st.booleans())
def test_segments_from_values_equal_segments_from_records(texts, with_matrix):
    with tempfile.TemporaryDirectory() as tmp:
        files = {f"hazards/{n}.csv": text for n, text in enumerate(texts)}
        if with_matrix:
            files["matrix/m.yaml"] = MATRIX
        root = write_workspace(Path(tmp) / "ws", files)
        ws, _ = W.load_workspace(root, use_cache=False)
        ctx = I.SegmentContext(ws)
        for rel in files:
            if rel.startswith("hazards/"):
                records = [h for h in ws.hazards if h.src.path == rel]
                assert I.values_segment(dump_records(records), rel, ctx) == I.object_segment(records, ctx)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(csv_file(messy=True), min_size=1, max_size=3), st.booleans(),
       st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]))
def test_an_index_built_file_by_file_is_the_one_built_from_a_load(texts, with_matrix, encoding):
    with tempfile.TemporaryDirectory() as tmp:
        files: dict[str, str | bytes] = {f"hazards/{n}.csv": text.encode(encoding) for n, text in enumerate(texts)}
        if with_matrix:
            files["matrix/m.yaml"] = MATRIX
        root = write_workspace(Path(tmp) / "ws", files)
        ws, problems = W.load_workspace(root, use_cache=False)
        expected = I.build(ws, dt.date(2024, 1, 1))
        made = I.fresh(root)
        assert made is not None
        got, got_problems, _, digests, _ = made
        assert same_index(got, expected)
        assert sorted(p.sort_key() for p in got_problems) == sorted(p.sort_key() for p in problems)
        assert digests == ws.digests
        again = I.fresh(root)  # now from the kept segments
        assert again is not None and same_index(again[0], expected)


def same_index(a: dict, b: dict) -> bool:
    """Equal indexes (the marshalled sections compared as values: marshal's bytes depend on
    which equal strings happen to be one object)."""
    import marshal

    def plain(d: dict) -> dict:
        bulk = {k: marshal.loads(v) if k in ("names", "towns") else v for k, v in d["bulk"].items()}
        return {**d, "bulk": bulk}

    return plain(a) == plain(b)


def test_fresh_declines_a_rollup_and_the_uncached(tmp_path, monkeypatch):
    town = write_workspace(tmp_path / "sq", {"anquan.yaml": "jurisdiction: 石桥镇\nlevel: 乡镇\n"})
    county = write_workspace(tmp_path / "county", {"anquan.yaml": "jurisdiction: 测试县\nlevel: 县\ninclude: [../sq]\n"})
    assert town.exists() and I.fresh(county) is None
    monkeypatch.setenv("ANQUAN_NO_CACHE", "1")
    assert I.fresh(town) is None


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_fast_and_pydantic_paths_print_the_same_bytes(tmp_path, monkeypatch, encoding):
    """Whole commands, cold, with the fast path and with every record through pydantic."""
    import re

    from conftest import run_cli
    from helpers import environment

    rows = [{"id": f"YH-{n}", "title": "通道堵塞", "unit": "宏达化工有限公司" if n % 2 else "石桥石料厂",
             "level": "重大" if n % 5 == 0 else "一般", "found": f"2023-0{1 + n % 9}-1{n % 10}",
             "deadline": f"2023-0{2 + n % 8}-2{n % 10}", "owner": "王芳",
             "history": CLEAN_HISTORY[n % len(CLEAN_HISTORY)]} for n in range(30)]
    text = render_csv(rows, {k: HEADERS[k][0] for k in rows[0]}, csv.QUOTE_MINIMAL, "\r\n")
    commands = (["hazards", "overdue", "--format", "json"], ["hazards", "list", "--format", "json"],
                ["hazards", "list", "--format", "csv", "--township", "石桥镇"], ["check", "--format", "json"],
                ["report", "quarterly", "--format", "md", "--period", "2023Q3"])
    outputs = []
    for fast in (True, False):
        root = write_workspace(tmp_path / f"ws-{fast}", {"hazards/a.csv": text.encode(encoding), "matrix/m.yaml": MATRIX})
        monkeypatch.setattr(W, "FAST_VALIDATION", fast)
        W._fast_builder.cache_clear()
        with environment(ANQUAN_DATA=str(root), ANQUAN_TODAY=None):
            got = [run_cli(*args, "--today", "2023-09-30") for args in commands]
        outputs.append([(r.code, re.sub(r"数据来源：.*?（", "数据来源：ROOT（", r.out), r.err) for r in got])
    W._fast_builder.cache_clear()
    assert outputs[0] == outputs[1]
    assert all(code in (0, 1) for code, _, _ in outputs[0])


@pytest.mark.parametrize("damage", [None, "activities", "tasks", "hazards"])
def test_the_demo_indexed_file_by_file_is_the_demo_loaded(tmp_path, damage):
    """Every kind of file (the other kinds read beside the hazards), clean or with a broken
    record or file: the same index and the same problems, in the same order, as a load."""
    import shutil

    from conftest import DEMO

    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    if damage == "activities":
        (root / "activities/2023-meetings.yaml").write_text("activities:\n  - id: [\n", encoding="utf-8")
    elif damage == "tasks":
        path = root / "tasks/tonganwei-2022-10.csv"
        path.write_bytes(path.read_bytes() + "\n99,,,,,,多出的,列,a,b,c,d,e,f,g,h\n".encode())
    elif damage == "hazards":
        path = next((root / "hazards").rglob("*.yaml"))
        path.write_text(path.read_text(encoding="utf-8").replace("level:", "level: 很大\n    x_level:", 1),
                        encoding="utf-8")
    ws, problems = W.load_workspace(root, use_cache=False)
    assert any(p.path.startswith(damage) for p in problems) if damage else True
    expected = I.build(ws, dt.date(2024, 1, 1))
    for _ in range(2):  # afresh, then from what the first run kept
        made = I.fresh(root)
        assert made is not None
        assert same_index(made[0], expected)
        assert [p.sort_key() for p in made[1]] == [p.sort_key() for p in problems]


# ---------------------------------------------------------------------- whole YAML files

YAML_EVENTS = ["{date: 2023-08-01, event: 登记, by: 张三}", "{date: 2023-08-05, event: 整改完成, by: 张三}",
               "{date: 2023-08-06, event: 验收签字, party: 企业, by: 王芳}",
               "{date: 2023-08-05, event: 延期, deadline: 2023-09-30, previous: 2023-08-31, reason: 雨季}",
               "{date: 2023-08-07, event: 验收签字, party: 村, by: 王芳}", "{date: 2023-02-30, event: 登记}",
               "{date: 2023-08-07, event: 随便}", "{date: 2023-08-07, event: 备注, note: 已复查, colour: 红}",
               "{date: 2023-08-08, event: 修改, field: 期限, value: 2023-10-01, previous: 2023-09-30}"]


@st.composite
def yaml_file(draw, messy: bool) -> str:
    lines = ["# 台账", "hazards:"]
    for n in range(draw(st.integers(0 if messy else 1, 5))):
        row = draw(clean_row(n))
        row.pop("history", None)
        if "listing" in row:  # a mapping in YAML, on one line as anquan writes it
            row["listing"] = "{by: 县应急管理局, date: " + row["found"] + ", tracker: 李娜}"
        if messy:
            for k in list(row):
                if draw(st.integers(0, 6)) == 0:
                    row[k] = draw(st.sampled_from(WORDS + DATES + LEVELS + SOURCES + ["", "'引号'", "12", "~", "1.5"]))
            if draw(st.integers(0, 6)) == 0:
                row[draw(st.sampled_from(["颜色", "隐患编号", "status"]))] = "红"
        first = True
        for k, v in row.items():
            v = str(v).replace("\n", " ")
            lines.append(("  - " if first else "    ") + f"{k}: {v}".rstrip())
            first = False
        events = draw(st.lists(st.sampled_from(YAML_EVENTS if messy else YAML_EVENTS[:4]), max_size=4))
        if events:
            lines.append("    history:")
            lines.extend(f"      - {e}" for e in events)
    return "\n".join(lines) + "\n"


def ordinary_yaml(rel: str, text: str, monkeypatch) -> tuple[list, list, list]:
    monkeypatch.setattr(W, "_fast_builder", lambda model: None)
    reader = W._Reader(MemTree({rel: text.encode("utf-8")}))
    records = reader.records(Hazard, rel, "hazards")
    return dump_records(records), dump_problems(reader.problems), reader.starts.get(rel, [])


@settings(max_examples=250, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(yaml_file(messy=True))
def test_a_yaml_file_reads_as_the_ordinary_path_reads_it_or_is_declined(monkeypatch, text):
    fast = fastload.yaml_hazards("hazards/a.yaml", text)
    if fast is not None:
        rows, problems, starts = ordinary_yaml("hazards/a.yaml", text, monkeypatch)
        assert problems == [] and fast[0] == rows and fast[1] == starts, text
        assert [list(r[0]) for r in fast[0]] == [list(r[0]) for r in rows]
        assert [list(r[2]) for r in fast[0]] == [list(r[2]) for r in rows]
        assert [[list(e) for e in r[0]["history"]] for r in fast[0]] == [[list(e) for e in r[0]["history"]] for r in rows]


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(yaml_file(messy=False))
def test_a_clean_yaml_file_is_read_fast(monkeypatch, text):
    fast = fastload.yaml_hazards("hazards/a.yaml", text)
    assert fast is not None, text
    assert fast[0] == ordinary_yaml("hazards/a.yaml", text, monkeypatch)[0]


# ---------------------------------------------------------------------- units and people

NAMES = st.one_of(st.none(), _padded(st.sampled_from(["危险化学品、非煤矿山", "张三 李四", "", "  ", "一,二；三", "甲\x1c乙"])),
                  st.lists(st.one_of(_padded(st.sampled_from(["危险化学品", "", "各級"])), st.integers(0, 9), st.none()),
                           max_size=3))
FLAGS = st.one_of(st.none(), st.booleans(), st.sampled_from(["是", "否", "重点", "一般", "yes", "on", "1", "", "√", "t"]),
                  st.integers(0, 2))


CLEAN_TEXT = st.sampled_from(["宏达化工有限公司", "石桥镇", "张三", "13800000000", "a@b.cn"])
CLEAN_NAMES = st.one_of(st.sampled_from(["危险化学品、非煤矿山", "张三"]), st.lists(st.sampled_from(["危险化学品", "商贸"]),
                                                                             max_size=2))


def mostly(clean: st.SearchStrategy, messy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(clean, clean, clean, messy)


@st.composite
def org_raw(draw, model: str) -> dict:
    fields = {"Unit": (("id", st.one_of(_padded(st.sampled_from(["U1", "ＵＩ", "U 1", ""])), st.none(), st.integers())),
                       ("name", TEXT), ("kind", st.one_of(_padded(st.sampled_from(["乡镇", "企业", "村", "站所", "厂"])),
                                                          st.none())),
                       ("township", TEXT), ("village", TEXT), ("sector", TEXT),
                       ("grade", st.one_of(st.none(), _padded(st.sampled_from(["A", "b", "C级", "E", ""])))),
                       ("key", FLAGS), ("sectors", NAMES), ("aliases", NAMES), ("legal_rep", TEXT), ("note", TEXT)),
              "Person": (("id", st.one_of(_padded(st.sampled_from(["P1", "Ｐ２", "P 3", ""])), st.integers())),
                         ("name", TEXT), ("title", TEXT), ("unit", TEXT), ("phone", TEXT), ("email", TEXT),
                         ("roles", NAMES))}[model]
    clean = {"id": st.just("U1" if model == "Unit" else "P1"), "kind": st.sampled_from(["乡镇", "企业"]),
             "grade": st.sampled_from(["A", "B"]), "key": st.sampled_from([True, False, "是", "否"]),
             "sectors": CLEAN_NAMES, "aliases": CLEAN_NAMES, "roles": CLEAN_NAMES}
    tidy = draw(st.booleans())  # a record as offices write it, or one with anything in it
    values = {name: draw(clean.get(name, CLEAN_TEXT) if tidy else mostly(clean.get(name, CLEAN_TEXT), strategy))
              for name, strategy in fields if draw(st.integers(0, 4)) or name in ("id", "name", "kind")}
    if not tidy and draw(st.integers(0, 9)) == 0:
        values["colour"] = "红"
    return values


@pytest.mark.parametrize("model", ["Unit", "Person"])
def test_fast_org_values_are_pydantics_or_none(model):
    from anquan_cli.models import Person, Unit

    cls = {"Unit": Unit, "Person": Person}[model]
    read = []

    @settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(org_raw(model))
    def compare(values):
        fast = F.org_values(cls, dict(values))
        try:
            slow = dict(cls.model_validate(dict(values)).__dict__)
        except ValidationError:
            slow = None
        read.append(fast is not None)
        if fast is not None:
            assert slow is not None and fast == slow and list(fast) == list(slow), values
            assert all(type(fast[k]) is type(slow[k]) for k in fast), values

    compare()
    assert sum(read) > 0.2 * len(read)  # tidy records are read fast (and the demo's files all are: below)


def test_the_demo_units_and_people_are_validated_fast_and_as_pydantic_does():
    from conftest import DEMO

    from anquan_cli.io.yamlread import parse_yaml
    from anquan_cli.models import Person, Unit

    people, _ = parse_yaml((DEMO / "org/people.yaml").read_text(encoding="utf-8"), "org/people.yaml")
    units, _ = parse_yaml((DEMO / "org/units.yaml").read_text(encoding="utf-8"), "org/units.yaml")
    raws = [(Person, dict(p)) for p in (people["people"] if isinstance(people, dict) else people)]
    raws += [(Unit, {"kind": W._UNIT_SECTIONS[section], **u}) for section, items in units.items() for u in items]
    assert len(raws) > 50
    for cls, raw in raws:
        fast = F.org_values(cls, raw)
        assert fast is not None, raw
        assert fast == dict(cls.model_validate(raw).__dict__)


@settings(max_examples=400)
@given(st.lists(st.text(st.sampled_from("a中1 ,\u3000\t\r\n\x00;"), max_size=12), max_size=6),
       st.sampled_from(["\n", "\r\n"]))
def test_the_rows_of_a_text_without_quotes_are_the_csv_modules(lines, end):
    from anquan_cli.io.csvread import csv_rows

    text = end.join(lines)
    plain = fastload._plain_rows(text)
    if plain is None:  # quotes, a NUL, a lone CR, tab-separated: the csv module's job
        return
    problems: list = []
    assert list(plain) == list(csv_rows(text, "a.csv", problems)) and problems == []


def test_a_text_without_quotes_is_split_by_lines():
    assert fastload._plain_rows('a,"b"\n') is None
    assert fastload._plain_rows("a\rb,c\n") is None
    assert list(fastload._plain_rows("编号,名称\r\n\r\n ,\r\nYH-1, 消防 \r\n")) == [
        (1, ["编号", "名称"]), (4, ["YH-1", " 消防 "])]

"""The demo workspace looks like a real county's records, and stays valid."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import DEMO, REPO

from anquan_cli.api import check_loaded as check_workspace
from anquan_cli.models import GuaranteeKind, Level, UnitKind


@pytest.fixture(scope="module")
def demo():
    import datetime as dt

    ws, problems = check_workspace(DEMO, dt.date(2023, 11, 30))
    assert problems == []
    return ws


def test_demo_shape(demo):
    kinds = Counter(u.kind for u in demo.units)
    assert 3 <= kinds[UnitKind.TOWNSHIP] <= 4
    assert kinds[UnitKind.ENTERPRISE] >= 15
    assert len({u.sector for u in demo.units if u.kind is UnitKind.ENTERPRISE}) >= 8
    assert len(demo.people) >= 20
    assert len(demo.hazards) >= 40
    assert {h.found.year for h in demo.hazards} == {2023}
    levels = Counter(h.level for h in demo.hazards)
    assert levels[Level.MAJOR] >= 8 and levels[Level.GENERAL] >= 25
    closed = [h for h in demo.hazards if h.closed]
    assert len(closed) >= 20 and all(h.history for h in closed)
    assert all(h.supervisor for h in demo.hazards if h.level is Level.MAJOR)
    assert {m.kind for m in demo.matrix} == set(GuaranteeKind)
    assert demo.duties and len(demo.activities) >= 100


def test_all_66_tasks_of_the_seed_002_table(demo):
    tasks = sorted(demo.tasks, key=lambda t: t.no)
    assert [t.no for t in tasks] == list(range(1, 67))
    assert len({t.measure for t in tasks}) == 15
    by_no = {t.no: t for t in tasks}
    assert by_no[1].units == ["各级党（工）委"]
    assert by_no[4].units == ["县级以上(含,下同)党(工)委", "组织部门"]
    assert by_no[5].deadline == "按照市委年度巡察工作安排"
    assert by_no[19].deadline == "加快推进"
    assert by_no[28].deadline == "2022年4月至党的二十大结束的"
    assert by_no[44].units == ["各级工信、公安、商务、住建、交通运输、文旅、应急、市场监管等部门", "各级消防救援机构"]
    deadlines = Counter(t.deadline.replace(" ", "").replace(",", "，") for t in tasks)
    assert deadlines == {
        "2022年9月底前完成，并长期坚持": 32, "长期坚持": 16, "2022年9月底前完成": 10,
        "2022年12月底前完成，并长期坚持": 5, "按照市委年度巡察工作安排": 1, "加快推进": 1,
        "2022年4月至党的二十大结束的": 1,
    }
    assert sorted(t.no for t in tasks if t.deadline == "长期坚持") == [
        22, 25, 27, 35, 36, 40, 42, 57, 58, 59, 60, 61, 62, 63, 64, 66]


def test_demo_files_use_the_encodings_offices_produce():
    assert (DEMO / "tasks/tonganwei-2022-10.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    raw = (DEMO / "hazards/2023/liuxi.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gb18030").startswith("隐患编号,")


def test_the_records_page_documents_every_field():
    from anquan_cli.models import Activity, Duty, Event, Hazard, MatrixEntry, Person, Task, Unit, WorkspaceConfig

    readme = (REPO / "docs" / "records.md").read_text(encoding="utf-8")
    for model in (Activity, Duty, Event, Hazard, MatrixEntry, Person, Task, Unit, WorkspaceConfig):
        keys = {v: k for k, v in model.key_aliases.items()} if hasattr(model, "key_aliases") else {}
        for name in model.model_fields:
            if name == "kind" and model is Unit:
                continue
            key = keys.get(name, name)  # the key as written in YAML (``from`` for valid_from)
            assert f"`{key}`" in readme, f"{model.__name__}.{key} is not in docs/records.md"


def test_every_unit_cell_splits_without_losing_text(demo):
    import csv
    import re

    rows = list(csv.reader((DEMO / "tasks/tonganwei-2022-10.csv").open(encoding="utf-8-sig")))[1:]
    cells = {int(r[0]): r[3] for r in rows}
    for t in demo.tasks:
        outside = re.sub(r"[(（][^)）]*[)）]", "", cells[t.no])
        expected = re.sub(r"[\s,，;；]|、(?=[,，]|$)", "", outside)
        got = re.sub(r"[(（][^)）]*[)）]", "", "".join(t.units)).replace(" ", "")
        assert got == expected, t.no
        assert all(u and u == u.strip() for u in t.units)
    counts = {t.no: len(t.units) for t in demo.tasks}
    assert counts[1] == 1 and counts[23] == 4 and counts[25] == 4 and counts[44] == 2 and counts[56] == 2

"""What ``anquan init`` puts into a new workspace, as data: the units of each level (a
township's government, party committee and stations; a county's or city's government and
departments) with the sectors each leads, and the standard duties of that level — every one
with the clause of the seed notice it comes from.  :mod:`anquan_cli.edit.scaffold` turns this
into files; nothing here reads or writes anything.

The sources, named as the README's rules table names them:

* 001 积翠镇人民政府《积翠镇重大事故隐患专项排查整治2023行动实施方案》（方积政发〔2023〕11号）
  一（二）4 "细化责任落实": 应急站牵头负责非煤矿山、危险化学品、工贸、交通运输；城建站牵头负责建筑施工、
  自建房、燃气；消防工作所牵头负责消防安全；农技站、农经站、畜牧站负责涉农企业；水利站牵头负责河道治理；
  宣传部门牵头负责文化旅游安全；中心校负责校园安全；林业站负责护林防火 — the township's stations.  A county
  or city has a department for each of these stations (应急管理局 for 应急站 …); 交通运输, which the
  township gives its 应急站, goes to the county's own 交通运输局 (002 分工表第 44 项 names
  "交通运输…等部门" for it).  一（一）5（15）: 企业主要负责人每年至少组织开展1次事故应急救援预案演练（高危行业领域
  企业每半年至少1次）.
* 002 通化市安委会《关于进一步强化安全生产责任落实坚决防范遏制重特大事故的实施办法》（通安委〔2022〕10号）
  （一）（三）（四）（七）: the quarterly duties of 各级 party and government leaders, and 市县两级部门
  "分别每2个月、每月至少组织检查1次"; （二十三） names the 高危行业 (危化品、烟花爆竹、矿山、金属冶炼).
* 003 下仓镇《进一步强化安全生产责任落实坚决遏制重特大事故15条措施贯彻落实措施的实施意见》第 2、6、7 条:
  a township's own rules (每半年听取一次, 政府主要负责同志每季度至少听取一次汇报).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LEVELS", "Level", "UnitSpec", "DutySpec", "level_named", "level_choices", "units_of", "duties_of",
           "roles_of", "SEED_001", "SEED_002", "SEED_003", "HIGH_RISK_SECTORS"]

SEED_001 = "方积政发〔2023〕11号"
SEED_002 = "通安委〔2022〕10号"
SEED_003 = "下仓镇实施意见"

#: 002 （二十三）"从事危化品、烟花爆竹、矿山、金属冶炼等高危行业" — the sectors of 001 (15)'s stricter
#: drill frequency (高危行业领域企业每半年至少1次), in the sector names anquan knows
HIGH_RISK_SECTORS = ("危险化学品", "烟花爆竹", "非煤矿山", "矿山", "冶金")


@dataclass(frozen=True)
class Level:
    """A level ``anquan init`` can set up."""

    key: str            # township, street, county, city
    label: str          # how anquan.yaml writes it (level: 乡镇)
    words: tuple[str, ...]  # what the user may type for it
    what: str           # 乡镇级 …, for messages
    parent_what: str    # what its parent is called (县, 市 …)


LEVELS = (
    Level("township", "乡镇", ("乡镇", "乡", "镇", "乡镇级", "township"), "乡镇", "县（市、区）"),
    Level("street", "街道", ("街道", "街道办事处", "street"), "街道", "县（市、区）"),
    Level("county", "县", ("县", "县级", "区", "县（市、区）", "旗", "county"), "县级", "市（州）"),
    Level("city", "市", ("市", "地级市", "市级", "州", "city"), "市级", "省（自治区）"),
)


def level_named(word: str) -> Level | None:
    """The level ``word`` names (乡镇、镇、街道、县、区、市 …), or None."""
    w = word.strip().lower()
    for level in LEVELS:
        if w in level.words:
            return level
    return None


def level_choices() -> str:
    return "、".join(level.label for level in LEVELS)


@dataclass(frozen=True)
class UnitSpec:
    """One unit of the directory; ``{j}`` is the jurisdiction's name, ``{w}`` its level word
    (县、区、市 — how clerks write "县应急局")."""

    name: str
    aliases: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    #: the comment written above it: where the seeds give it its sectors
    note: str = ""


@dataclass(frozen=True)
class DutySpec:
    id: str
    holder: str
    action: str
    activity: str
    period: str
    levels: frozenset[str]
    basis: str
    min: int = 1
    max: int | None = None
    #: the level of holders it binds (a township's own rule binds no county leader)
    scope: str | None = None
    #: (sectors, period, min, note): a stricter frequency for these sectors
    overrides: tuple[tuple[tuple[str, ...], str, int, str], ...] = ()
    #: per level key, another action text or period (县级部门每月、市级部门每2个月)
    action_at: dict[str, str] = field(default_factory=dict)
    period_at: dict[str, str] = field(default_factory=dict)
    scope_at: dict[str, str] = field(default_factory=dict)


_TOWNSHIP_LEVELS = frozenset({"township", "street"})
_UPPER_LEVELS = frozenset({"county", "city"})
_ALL = _TOWNSHIP_LEVELS | _UPPER_LEVELS

_STATIONS_NOTE = f"积翠镇实施方案（{SEED_001}）一（二）4"

#: a township's (and a street's) stations and the sectors each leads (001 一（二）4)
TOWNSHIP_STATIONS = (
    UnitSpec("{j}应急站", (), ("非煤矿山", "危险化学品", "工贸", "交通运输"),
             f"应急站牵头负责非煤矿山、危险化学品、工贸、交通运输等行业领域（{_STATIONS_NOTE}）"),
    UnitSpec("{j}城建站", (), ("建筑施工", "自建房", "燃气"), f"城建站牵头负责建筑施工、自建房、燃气等（{_STATIONS_NOTE}）"),
    UnitSpec("{j}消防工作所", (), ("消防",), f"消防工作所牵头负责消防安全（{_STATIONS_NOTE}）"),
    UnitSpec("{j}农技站", (), ("涉农企业",), f"农技站、农经站、畜牧站负责涉农企业专项行动（{_STATIONS_NOTE}）"),
    UnitSpec("{j}农经站", (), ("涉农企业",)),
    UnitSpec("{j}畜牧站", (), ("涉农企业",)),
    UnitSpec("{j}水利站", (), ("河道治理",), f"水利站牵头负责河道治理（{_STATIONS_NOTE}）"),
    UnitSpec("{j}宣传办", (), ("文化旅游",), f"宣传部门牵头负责文化旅游安全（{_STATIONS_NOTE}）"),
    UnitSpec("{j}中心校", (), ("校园安全",), f"中心校负责校园安全（{_STATIONS_NOTE}）"),
    UnitSpec("{j}林业站", (), ("护林防火",), f"林业站负责护林防火（{_STATIONS_NOTE}）"),
    UnitSpec("{j}综合行政执法队", (), (),
             f"配合各行业监管站所开展精准执法，不牵头行业领域（{SEED_001} 一（二）2、3）"),
)

#: a county's (or city's) departments: the counterpart of each of 001's stations
UPPER_DEPARTMENTS = (
    UnitSpec("{j}应急管理局", ("{w}应急管理局", "{w}应急局"), ("非煤矿山", "危险化学品", "工贸"),
             f"乡镇应急站的对口部门（{_STATIONS_NOTE}）；应急管理部门履行安委会办公室职责（{SEED_002} 第（十）条）"),
    UnitSpec("{j}交通运输局", ("{w}交通运输局",), ("交通运输",),
             f"乡镇由应急站牵头交通运输（{_STATIONS_NOTE}），{{w}}级由交通运输部门负责（{SEED_002} 分工表第44项）"),
    UnitSpec("{j}住房和城乡建设局", ("{w}住建局",), ("建筑施工", "自建房", "燃气"), f"乡镇城建站的对口部门（{_STATIONS_NOTE}）"),
    UnitSpec("{j}消防救援{brigade}", ("{w}消防救援{brigade}",), ("消防",), f"乡镇消防工作所的对口单位（{_STATIONS_NOTE}）"),
    UnitSpec("{j}农业农村局", ("{w}农业农村局",), ("涉农企业",), f"乡镇农技站、农经站、畜牧站的对口部门（{_STATIONS_NOTE}）"),
    UnitSpec("{j}水利局", ("{w}水利局",), ("河道治理",), f"乡镇水利站的对口部门（{_STATIONS_NOTE}）"),
    UnitSpec("{j}文化和旅游局", ("{w}文旅局",), ("文化旅游",),
             f"乡镇由宣传部门牵头文化旅游安全（{_STATIONS_NOTE}），{{w}}级由文旅部门负责（{SEED_002} 分工表第44项）"),
    UnitSpec("{j}教育局", ("{w}教育局",), ("校园安全",), f"乡镇中心校的主管部门（{_STATIONS_NOTE}）"),
    UnitSpec("{j}林业局", ("{w}林业局",), ("护林防火",), f"乡镇林业站的对口部门（{_STATIONS_NOTE}）；林业并入自然资源部门的，改为该部门"),
)


def _government(level: Level) -> tuple[UnitSpec, ...]:
    """The party committee, the government and the work-safety committee's office."""
    if level.key == "township":
        return (UnitSpec("中共{j}委员会", ("{j}党委",), note="党委：党委主要负责人的职务在党委，不在政府（履职要求据此区分）"),
                UnitSpec("{j}人民政府", ("{j}政府",)),
                UnitSpec("{j}安全生产委员会办公室", ("{j}安委办",)))
    if level.key == "street":
        return (UnitSpec("中共{j}工作委员会", ("{j}党工委",), note="党工委：党委主要负责人的职务在党工委，不在办事处（履职要求据此区分）"),
                UnitSpec("{j}办事处", ("{j}办",)),
                UnitSpec("{j}安全生产委员会办公室", ("{j}安委办",)))
    return (UnitSpec("中共{j}委员会", ("{w}委", "中共{j}委"),
                     note="党委：党委主要负责人、党委常委会成员的职务在党委，不在政府（履职要求据此区分）"),
            UnitSpec("{j}人民政府", ("{w}人民政府", "{w}政府")),
            UnitSpec("{j}安全生产委员会办公室", ("{w}安委会办公室", "{w}安委办")))


def units_of(level: Level) -> tuple[tuple[UnitSpec, ...], bool]:
    """``(departments, in the township)``: the departments (stations) of ``level``, and whether
    they sit in the township itself (``township:`` written on each)."""
    if level.key in _TOWNSHIP_LEVELS:
        return _government(level) + TOWNSHIP_STATIONS, True
    return _government(level) + UPPER_DEPARTMENTS, False


_D002 = SEED_002
DUTIES = (
    DutySpec("LZ-01", "党委主要负责人", "组织召开党委常委会专题研究安全生产工作", "会议", "每季度", _ALL,
             f"{_D002} 第（三）条",
             action_at={"township": "组织召开党委会专题研究安全生产工作", "street": "组织召开党工委会议专题研究安全生产工作"}),
    DutySpec("LZ-02", "党委主要负责人", "带队督促检查安全生产工作及党委成员落实“一岗双责”情况", "检查", "每季度", _ALL,
             f"{_D002} 第（三）条"),
    DutySpec("LZ-03", "党委常委会其他成员", "带队督促检查安全生产工作", "检查", "每季度", _UPPER_LEVELS,
             f"{_D002} 第（三）条"),
    DutySpec("LZ-04", "党委主要负责人", "组织理论学习中心组集中学习习近平总书记关于安全生产重要论述", "学习", "每季度", _ALL,
             f"{_D002} 第（一）条"),
    DutySpec("LZ-05", "政府主要负责人", "组织召开政府常务会议或专题会议，分析安全生产形势，研究部署安全生产工作", "会议", "每季度",
             _ALL, f"{_D002} 第（四）条"),
    DutySpec("LZ-06", "政府主要负责人", "带队开展安全生产检查", "检查", "每季度", _ALL, f"{_D002} 第（四）条"),
    DutySpec("LZ-07", "政府其他领导干部", "向政府主要负责人汇报分管行业（领域）安全生产工作", "汇报", "每季度", _ALL,
             f"{_D002} 第（四）条"),
    DutySpec("LZ-08", "政府其他领导干部", "组织召开分管行业（领域）安全生产会议", "会议", "每季度", _ALL,
             f"{_D002} 第（四）条",
             action_at={"township": "组织召开分管行业（领域）安全生产形势分析会议",
                        "street": "组织召开分管行业（领域）安全生产形势分析会议"}),
    DutySpec("LZ-09", "政府其他领导干部", "组织分管行业（领域）安全生产监督检查", "检查", "每季度", _ALL,
             f"{_D002} 第（四）条"),
    DutySpec("LZ-10", "部门主要负责人", "组织检查本行业（领域）安全生产重点工作（县级部门每月至少1次）", "检查", "每月",
             _UPPER_LEVELS, f"{_D002} 第（七）条", scope="县",
             action_at={"city": "组织检查本行业（领域）安全生产重点工作（市级部门每2个月至少1次）"},
             period_at={"city": "每2个月"}, scope_at={"city": "市"}),
    DutySpec("LZ-11", "党委主要负责人", "听取安全生产重大问题落实情况汇报", "听取汇报", "每半年", _TOWNSHIP_LEVELS,
             f"{SEED_003} 第2条", max=1, scope="乡镇"),
    DutySpec("LZ-12", "政府主要负责人", "听取安全生产工作汇报，研究解决突出问题", "听取汇报", "每季度", _TOWNSHIP_LEVELS,
             f"{SEED_003} 第6条", scope="乡镇"),
    DutySpec("LZ-13", "部门主要负责人", "召开专题会议，研究解决本行业（领域）安全生产突出问题", "会议", "每季度", _UPPER_LEVELS,
             f"{_D002} 第（七）条", scope="县", scope_at={"city": "市"}),
)

ENTERPRISE_DUTIES = (
    DutySpec("QY-01", "企业主要负责人", "组织开展事故应急救援预案演练", "演练", "每年", _ALL, f"{SEED_001} 第（15）项",
             overrides=((HIGH_RISK_SECTORS, "每半年", 1, f"高危行业领域企业（{_D002} 第（二十三）条）"),)),
)


def duties_of(level: Level) -> tuple[tuple[DutySpec, ...], tuple[DutySpec, ...]]:
    """``(leaders' and departments' duties, enterprises' duties)`` of ``level``."""
    return (tuple(d for d in DUTIES if level.key in d.levels),
            tuple(d for d in ENTERPRISE_DUTIES if level.key in d.levels))


def roles_of(level: Level) -> list[str]:
    """The roles the duties of ``level`` name, in their order."""
    out: list[str] = []
    for group in duties_of(level):
        for d in group:
            if d.holder not in out:
                out.append(d.holder)
    return out

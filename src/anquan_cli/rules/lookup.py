"""Resolve the names written on records to people, units and sectors."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from anquan_cli.models import Person, Unit, UnitKind
from anquan_cli.text import closest, fold

__all__ = ["Directory", "DEFAULT_SECTORS", "Resolution", "UnitMatch", "same_township"]

#: sectors named in the seeds (001: 非煤矿山、危险化学品、交通运输、建筑施工、燃气、消防、工贸 …;
#: 002/003/004: 特种设备、烟花爆竹、民爆物品、冶金 …).  人员密集场所 is a kind of place (商场、医院、
#: 学校 belong to their own sectors), not a sector.  A workspace adds its own in
#: ``anquan.yaml`` (``sectors:``) and through departments' lead sectors.
DEFAULT_SECTORS = (
    "非煤矿山", "矿山", "危险化学品", "工贸", "冶金", "交通运输", "道路交通", "道路运输", "水上交通",
    "渔业船舶", "建筑施工", "城市建设", "自建房", "燃气", "城镇燃气", "消防", "涉农企业", "河道治理",
    "水利", "文化旅游", "校园安全", "教育", "食品卫生", "护林防火", "森林防火", "特种设备", "烟花爆竹",
    "民爆物品", "有限空间", "危险废物", "工业园区", "地质灾害", "商贸", "餐饮",
    "仓储物流", "电力", "油气管道", "民政福利", "卫生健康", "体育", "市政工程", "农业机械",
)

_SUFFIX = re.compile(r"[(（][^)）]*[)）]$")
#: a place written before a unit's name (青岚县宏达化工有限公司 for 宏达化工有限公司)
_PLACE_PREFIX = re.compile(r"^.{1,8}?(?:省|市|县|区|镇|乡|街道)$")
#: a county or city written before a unit's name (青岚县), left out when two names are compared
_COUNTY_PREFIX = re.compile(r"^.{1,6}?(?:省|市|县|区)")
#: how alike a misspelt name must be to a directory name (difflib's ratio)
SPELLING_CUTOFF = 0.8


def _norm(name: str) -> str:
    return fold(name)


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving a name: the match, or why there is none."""

    person: Person | None = None
    ambiguous: tuple[Person, ...] = ()
    suggestion: str | None = None

    @property
    def ok(self) -> bool:
        return self.person is not None


@dataclass(frozen=True)
class UnitMatch:
    """A unit name resolved against the directory: the unit (``how`` it was found: ``exact`` —
    its name, an alias or its id —, ``short`` — a part of its name —, ``spelling`` — a name
    nearly the same), or none, with the directory names nearest to it (``ambiguous``: several
    units fit equally, none is taken)."""

    written: str
    unit: Unit | None = None
    how: str = ""
    nearest: tuple[str, ...] = ()
    ambiguous: bool = False

    @property
    def note(self) -> str | None:
        """What a command says about a name it resolved other than exactly (None otherwise)."""
        if self.unit is None or self.how == "exact":
            return None
        if self.how == "short":
            return (f"单位“{self.written}”不在单位名录中，名录中与之相符的只有“{self.unit.name}”，按它登记"
                    "（常用的简称可登记在 org/units.yaml 该单位的 aliases 中）")
        return f"单位“{self.written}”不在单位名录中，按写法最接近的“{self.unit.name}”登记"

    @property
    def refusal(self) -> str | None:
        """Why a name is not taken (None when it is, or when nothing in the directory is like it)."""
        if not self.ambiguous:
            return None
        return (f"单位“{self.written}”不在单位名录中，与之相近的不止一个：{'、'.join(self.nearest)}；"
                "请写全称（或名录中的简称）")


def _subsequence(short: str, long: str) -> bool:
    """Whether the characters of ``short`` appear in ``long`` in order (宏达化工公司 in
    青岚县宏达化工有限公司)."""
    it = iter(long)
    return all(ch in it for ch in short)


@dataclass
class Directory:
    people: list[Person]
    units: list[Unit]
    extra_sectors: list[str] = field(default_factory=list)
    #: where the folded-name tables are kept (``get(key)``/``put(key, tables)``), or None
    store: Any = None

    @classmethod
    def for_workspace(cls, ws) -> "Directory":
        """The directory of ``ws``'s units and people, built once per workspace: asked again
        for the same lists (the same objects, of the same lengths), the same directory."""
        sectors = list(ws.config.sectors)
        memo = ws.__dict__.get("_directory")
        if memo is not None:
            made, people, units, n_people, n_units = memo
            if (people is ws.people and units is ws.units and made.extra_sectors == sectors
                    and (n_people, n_units) == (len(ws.people), len(ws.units))):
                return made
        made = cls(ws.people, ws.units, sectors, getattr(ws, "name_store", None))
        ws.__dict__["_directory"] = (made, ws.people, ws.units, len(ws.people), len(ws.units))
        return made

    # -- the folded names (the costly part: every name folded), kept when there is a store

    @cached_property
    def _folded(self) -> dict[str, Any]:
        """``{"people": folded name → [person index], "roles": folded role → [person index],
        "units": folded name, alias or id → unit index, "workspaces": the people's workspaces}``."""
        key = ""
        if self.store is not None:
            # the lists themselves are part of the key: a view of a workspace shares its store
            ids = "\0".join(f"{p.id}\1{p.name}" for p in self.people) + "\2" + "\0".join(
                f"{u.id}\1{u.name}" for u in self.units)
            key = hashlib.blake2b(ids.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()
            got = self.store.get(key)
            if isinstance(got, dict) and set(got) == {"people", "roles", "units", "workspaces"}:
                return got
        people: dict[str, list[int]] = {}
        roles: dict[str, list[int]] = {}
        for i, p in enumerate(self.people):
            people.setdefault(_norm(p.name), []).append(i)
            for role in p.roles:
                roles.setdefault(_norm(role), []).append(i)
        units: dict[str, int] = {}
        for i, u in enumerate(self.units):
            for name in (u.name, *u.aliases, *([u.id] if u.id else [])):
                units.setdefault(_norm(name), i)
        labels = sorted({p._src.workspace if p._src else "" for p in self.people})
        tables = {"people": people, "roles": roles, "units": units, "workspaces": labels}
        if self.store is not None:
            self.store.put(key, tables)
        return tables

    # -- people

    @cached_property
    def _people_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}


    @cached_property
    def roles(self) -> dict[str, list[Person]]:
        people = self.people
        return {name: [people[i] for i in at] for name, at in self._folded["roles"].items()}

    @cached_property
    def _by_workspace(self) -> dict[str, "Directory"]:
        groups: dict[str, list[Person]] = {}
        for p in self.people:
            groups.setdefault(p._src.workspace if p._src else "", []).append(p)
        return {label: Directory(people, []) for label, people in groups.items()}

    def person(self, text: str, workspace: str | None = None) -> Resolution:
        """By id, else by unique name; "张伟（副镇长）" is read as 张伟.  With ``workspace``
        (a rolled-up workspace's name), that workspace's own people are tried first."""
        memo = self.__dict__.setdefault("_person_memo", {})
        found = memo.get((text, workspace))
        if found is None:
            found = memo[(text, workspace)] = self._person(text, workspace)
        return found

    def _person(self, text: str, workspace: str | None) -> Resolution:
        if workspace is not None and len(self._folded["workspaces"]) > 1 and len(self._by_workspace) > 1:
            local = self._by_workspace.get(workspace)
            if local is not None:
                found = local.person(text)
                if found.ok:
                    return found
        key = _norm(text)
        person = self._people_by_id.get(key)
        if person is not None:
            return Resolution(person)
        by_name = self._folded["people"]
        for name in (key, _SUFFIX.sub("", key)):
            at = by_name.get(name)
            if at:
                same = [self.people[i] for i in at]
                return Resolution(same[0]) if len(same) == 1 else Resolution(ambiguous=tuple(same))
        return Resolution(suggestion=closest(key, by_name))

    # -- units

    def unit(self, text: str) -> Unit | None:
        memo = self.__dict__.setdefault("_unit_memo", {})
        if text not in memo:
            at = self._folded["units"].get(_norm(text))
            memo[text] = None if at is None else self.units[at]
        return memo[text]

    def match_unit(self, text: str) -> UnitMatch:
        """``text`` as a unit of the directory: exactly (name, alias, id), else a unit whose name
        or alias holds it (a short name: 康宁养老 → 青岚县康宁养老院, or the name with a place
        before it: 青岚县宏达化工有限公司 → 宏达化工有限公司), else one whose name holds its
        characters in order (宏达化工公司), else one spelt nearly the same (石桥石料场) — each
        step only when exactly one unit fits; several fitting is ambiguous and none is taken."""
        memo = self.__dict__.setdefault("_match_memo", {})
        got = memo.get(text)
        if got is None:
            got = memo[text] = self._match_unit(text)
        return got

    def _match_unit(self, text: str) -> UnitMatch:
        import difflib

        written = text.strip()
        exact = self.unit(written) if written else None
        if exact is not None or not written:
            return UnitMatch(written, exact, "exact" if exact is not None else "")
        key = _norm(_SUFFIX.sub("", written)) or _norm(written)
        names: list[tuple[str, int]] = []  # (folded name or alias, unit index)
        for i, u in enumerate(self.units):
            for name in (u.name, *u.aliases):
                names.append((_norm(name), i))

        def ratio(a: str, b: str) -> float:
            return difflib.SequenceMatcher(None, a, b).ratio()

        def fitting(test) -> list[int]:
            return list(dict.fromkeys(i for name, i in names if name and test(name)))

        core = _COUNTY_PREFIX.sub("", key)

        def part(n: str) -> bool:  # a part of the name, the name after a place, or without the county
            return (key in n or (key.endswith(n) and bool(_PLACE_PREFIX.match(key[:-len(n)])))
                    or (len(core) >= 4 and core == _COUNTY_PREFIX.sub("", n)))

        def in_order(n: str) -> bool:  # its characters in order, at least half of the name's
            return len(key) >= 4 and len(key) * 2 >= len(n) and _subsequence(key, n)

        steps = [("short", part), ("short", in_order),
                 ("spelling", lambda n: max(ratio(key, n), ratio(core, _COUNTY_PREFIX.sub("", n))) >= SPELLING_CUTOFF)] \
            if len(key) >= 2 else []
        for how, test in steps:
            found = fitting(test)
            if len(found) == 1:
                return UnitMatch(written, self.units[found[0]], how)
            if found:
                best = sorted(found, key=lambda i: (-ratio(key, _norm(self.units[i].name)), self.units[i].name))
                return UnitMatch(written, None, how, tuple(self.units[i].name for i in best[:6]), ambiguous=True)
        near = difflib.get_close_matches(key, [n for n, _ in names], n=3, cutoff=0.5)
        by_name = {n: i for n, i in reversed(names)}
        return UnitMatch(written, None, "", tuple(dict.fromkeys(self.units[by_name[n]].name for n in near)))

    def unit_suggestion(self, text: str, kind: UnitKind | None = None) -> str | None:
        names = [u.name for u in self.units if kind is None or u.kind is kind]
        return closest(_norm(text), names)

    def township(self, text: str) -> Unit | None:
        unit = self.unit(text)
        return unit if unit is not None and unit.kind is UnitKind.TOWNSHIP else None

    # -- sectors

    @cached_property
    def sectors(self) -> set[str]:
        known = {_norm(s) for s in DEFAULT_SECTORS}
        known.update(_norm(s) for s in self.extra_sectors)
        for u in self.units:
            known.update(_norm(s) for s in u.sectors)
        return known

    @cached_property
    def _leads(self) -> dict[str, list[Unit]]:
        table: dict[str, list[Unit]] = {}
        for u in self.units:
            if u.kind is UnitKind.DEPARTMENT:
                for sector in u.sectors:
                    table.setdefault(_norm(sector), []).append(u)
        return table

    def lead_departments(self, sector: str | None) -> list[Unit]:
        """The departments (stations) that lead a sector (their ``sectors``)."""
        return self._leads.get(_norm(sector), []) if sector else []

    def sector_known(self, text: str) -> bool:
        return _norm(text) in self.sectors

    def sector_suggestion(self, text: str) -> str | None:
        return closest(_norm(text), self.sectors)


class Placed(Protocol):
    """A record that may name a unit and its township (a hazard, an accident, a tip-off, a risk)."""

    @property
    def unit(self) -> str | None: ...
    @property
    def township(self) -> str | None: ...


class Sectored(Placed, Protocol):
    """A placed record that may name its sector too."""

    @property
    def sector(self) -> str | None: ...


def place_township(record: Placed, directory: Directory) -> str | None:
    """A record's township: its own, else its unit's (none without a unit)."""
    if record.township:
        return record.township
    unit = directory.unit(record.unit) if record.unit else None
    return unit.township if unit is not None else None


def same_township(directory: Directory, name: str | None, township: str) -> bool:
    """Whether ``name`` (a record's township, as written) is ``township``: the same township of
    the directory (name or id), else the same text folded (a workspace without a townships list)."""
    if not name:
        return False
    a, b = directory.township(name), directory.township(township)
    return (a is not None and a is b) or fold(name) == fold(township)


def place_sector(record: Sectored, directory: Directory) -> str | None:
    """A record's sector: its own, else its unit's (none without a unit)."""
    if record.sector:
        return record.sector
    unit = directory.unit(record.unit) if record.unit else None
    return unit.sector if unit is not None else None

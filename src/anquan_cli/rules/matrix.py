"""The responsibility matrix (包保责任清单): one leader's own list, and coverage gaps —
责任全覆盖、整改无盲区、包保零死角 (seed 000)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from anquan_cli.models import Duty, GuaranteeKind, Hazard, Level, MatrixEntry, Person, UnitKind
from anquan_cli.rules.hazards import Guarantees, sector_of, township_of
from anquan_cli.rules.lookup import Directory, same_township
from anquan_cli.rules.tasks import TaskState

__all__ = ["PersonLoad", "person_load", "Gap", "gaps", "hazard_gaps", "hazard_sectors", "matrix_gaps",
           "sector_and_load_gaps", "duties_of", "in_township", "ROLE_UNIT_WORDS"]

#: which responsible units of a task table a role answers for ("各级党（工）委" for a party
#: secretary, "各级政府" for a government head or deputy, "…部门" for a department head)
ROLE_UNIT_WORDS = {"党委": ("党",), "政府": ("政府",), "部门": ("部门",), "企业": ("生产经营单位", "企业")}


def in_township(m: MatrixEntry, township: str, directory: Directory, hazards: dict[str, Hazard]) -> bool:
    """Whether a guarantee concerns ``township``: its 包保范围 is that township; or, written
    without one, it covers the whole jurisdiction (no targets: every such hazard or enterprise)
    or one of its targets is there (an enterprise of the township, a hazard in it).
    Targets that are descriptions (a public risk, a sector) place an entry nowhere."""
    if m.township:
        return same_township(directory, m.township, township)
    if not m.targets:
        return True
    for target in m.targets:
        unit = directory.unit(target)
        hazard = hazards.get(target)
        place = unit.township if unit is not None else township_of(hazard, directory) if hazard is not None else None
        if same_township(directory, place, township):
            return True
    return False


def _is(directory: Directory, name: str, person: Person) -> bool:
    return directory.person(name).person is person


def duties_of(person: Person, duties: list[Duty], directory: Directory) -> list[Duty]:
    roles = {r.replace(" ", "") for r in person.roles}
    return [d for d in duties if d.holder.replace(" ", "") in roles or _is(directory, d.holder, person)]


@dataclass
class PersonLoad:
    person: Person
    as_guarantor: list[MatrixEntry] = field(default_factory=list)
    as_responsible: list[MatrixEntry] = field(default_factory=list)
    enterprises: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    hazards: list[Hazard] = field(default_factory=list)
    tasks: list[TaskState] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)


def person_load(person: Person, matrix: list[MatrixEntry], hazards: list[Hazard],
                states: list[TaskState], duties: list[Duty], directory: Directory) -> PersonLoad:
    """Everything one person answers for: their own 责任清单."""
    load = PersonLoad(person)
    guarantees = Guarantees(matrix, directory)
    for m in matrix:
        if _is(directory, m.guarantor, person):
            load.as_guarantor.append(m)
        if any(_is(directory, r, person) for r in m.responsible):
            load.as_responsible.append(m)
    for m in load.as_guarantor + load.as_responsible:
        if m.kind is GuaranteeKind.KEY_ENTERPRISE:
            load.enterprises += [t for t in m.targets if t not in load.enterprises]
        elif m.kind is GuaranteeKind.SECTOR:
            load.sectors += [t for t in m.targets if t not in load.sectors]
    mine = {m.id for m in load.as_guarantor + load.as_responsible}
    for h in hazards:
        if h.closed is not None:
            continue
        if (h.owner and _is(directory, h.owner, person)) or any(
                m.id in mine for m in guarantees.entries_for(h)):
            load.hazards.append(h)
    words = [w for role in person.roles for key, ws_ in ROLE_UNIT_WORDS.items() if key in role for w in ws_]
    unit = person.unit or ""
    for s in states:
        if any(any(w in u for w in words) or (unit and (unit in u or u in unit)) for u in s.task.units):
            load.tasks.append(s)
    load.duties = duties_of(person, duties, directory)
    return load


@dataclass(frozen=True)
class Gap:
    kind: str
    subject: str
    message: str

    def as_json(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "message": self.message}


def gaps(matrix: list[MatrixEntry], hazards: list[Hazard], people: list[Person],
         directory: Directory) -> list[Gap]:
    """What the matrix leaves uncovered: a guarantee kind never used, key enterprises and
    open hazards without a guarantor, sectors in use without a lead unit or a guaranteeing
    leader, and guarantors carrying far more than the others."""
    return (matrix_gaps(matrix, directory) + hazard_gaps(hazards, Guarantees(matrix, directory), directory)
            + sector_and_load_gaps(matrix, people, directory, hazard_sectors(hazards, directory)))


def hazard_gaps(hazards: list[Hazard], guarantees: Guarantees, directory: Directory) -> list[Gap]:
    """The open hazards without a guarantor (or a major one without a responsible person), in
    ledger order: one hazard at a time, so a report keeps them per file."""
    out: list[Gap] = []
    for h in hazards:
        if h.closed is not None:
            continue
        entries = guarantees.entries_for(h)
        if h.level is Level.MAJOR:
            if not entries:
                out.append(Gap("major-hazard-unguaranteed", h.id, f"未销号的重大隐患 {h.id} 没有包保人"))
            elif not h.owner and not any(m.responsible for m in entries):
                out.append(Gap("major-hazard-no-responsible", h.id, f"未销号的重大隐患 {h.id} 没有责任人"))
        elif not entries:
            out.append(Gap("general-hazard-unguaranteed", h.id,
                           f"未销号的一般隐患 {h.id}（{township_of(h, directory) or '乡镇未知'}）没有包保人"))
    return out


def hazard_sectors(hazards: list[Hazard], directory: Directory) -> set[str]:
    """The sectors the hazards are in (their own, else their unit's)."""
    return {s for h in hazards if (s := sector_of(h, directory))}


def matrix_gaps(matrix: list[MatrixEntry], directory: Directory) -> list[Gap]:
    """The gaps :func:`gaps` lists before the hazards': guarantee kinds never used, key
    enterprises without a guarantor."""
    out: list[Gap] = []
    kinds = {m.kind for m in matrix}
    for kind in GuaranteeKind:
        if kind not in kinds:
            out.append(Gap("kind-missing", kind.label, f"包保责任清单中没有“{kind.label}”类包保任务"))
    guaranteed = {id(directory.unit(t)) for m in matrix if m.kind is GuaranteeKind.KEY_ENTERPRISE
                  for t in m.targets if directory.unit(t) is not None}
    for u in directory.units:
        if u.kind is UnitKind.ENTERPRISE and u.key and id(u) not in guaranteed:
            out.append(Gap("key-enterprise-unguaranteed", u.name, f"重点企业 {u.name} 没有包保领导"))
    return out


def sector_and_load_gaps(matrix: list[MatrixEntry], people: list[Person], directory: Directory,
                         hazard_in: set[str]) -> list[Gap]:
    """The gaps :func:`gaps` lists after the hazards': sectors in use (by enterprises, or by
    hazards: ``hazard_in``) without a lead unit or a guarantor, and unusual loads."""
    out: list[Gap] = []
    leads = {s for u in directory.units for s in u.sectors}
    covered = {t for m in matrix if m.kind is GuaranteeKind.SECTOR for t in m.targets}
    in_use = sorted({u.sector for u in directory.units if u.kind is UnitKind.ENTERPRISE and u.sector} | hazard_in)
    for sector in in_use:
        if sector not in leads:
            out.append(Gap("sector-without-lead", sector, f"行业领域“{sector}”没有牵头部门（单位名录中部门/站所的 sectors）"))
        if sector not in covered:
            out.append(Gap("sector-unguaranteed", sector, f"行业领域“{sector}”没有包保领导（行业领域类包保任务）"))
    # an unusual load: far more guaranteed targets than the other guarantors carry
    counts: dict[str, int] = {}
    for m in matrix:
        person = directory.person(m.guarantor).person
        key = person.id if person else m.guarantor
        counts[key] = counts.get(key, 0) + max(1, len(m.targets))
    if len(counts) >= 3:
        typical = statistics.median(counts.values())
        for key, n in sorted(counts.items()):
            if n >= 5 and n > 2 * typical:
                name = next((p.name for p in people if p.id == key), key)
                out.append(Gap("unusual-load", name, f"{name} 包保 {n} 项，超过包保人中位数（{typical:g} 项）的两倍"))
    return out

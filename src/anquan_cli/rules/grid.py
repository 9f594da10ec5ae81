"""Rules of the supervision grid (seed 004 三（三） "县、乡、村、企"四级网格, "定人、定岗、定责"): the tree of
cells, which enterprises each holds, and what is wrong with it.  Pure: records in, values out.

* a cell names a parent that exists and is of a higher level, and the parents never loop;
* 定人: a cell without its responsible person is a gap (``check``: ``cell-responsible-missing``);
* every enterprise sits in one cell (``grid`` on the unit; ``units gaps``: ``grid-missing`` once the
  workspace keeps a grid), and that cell exists (``check``: ``unit-grid-unknown``);
* a 企-level cell is one enterprise's own: exactly one enterprise names it (``check``:
  ``cell-enterprise-missing``, ``cell-enterprise-many``); without one, the enterprise its name
  stands for is found in the directory to say which unit should name it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from anquan_cli.models import Unit, UnitKind
from anquan_cli.models.grid import Cell, GridLevel
from anquan_cli.text import fold

__all__ = ["Node", "tree", "loops", "enterprises_of", "enterprise_cells", "under", "expand_units", "GRID_WORDS"]

#: how a list of units names the enterprises of the grid (seed 001 "通知到辖区每一家企业"):
#: ``网格`` (every enterprise in any cell) or ``网格:CELL`` (those in the cell and the cells below it)
GRID_WORDS = ("网格", "全部网格企业", "grid")


@dataclass
class Node:
    cell: Cell
    children: list[Node] = field(default_factory=list)
    #: the enterprises that name this cell
    units: list[Unit] = field(default_factory=list)


def _key(ident: str) -> str:
    return fold(ident).casefold()


def enterprises_of(cells: Iterable[Cell], units: Iterable[Unit]) -> dict[str, list[Unit]]:
    """Cell id → the enterprises that name it (ids compared in any width and case)."""
    ids = {_key(c.id): c.id for c in cells}
    out: dict[str, list[Unit]] = {}
    for u in units:
        if u.kind is UnitKind.ENTERPRISE and u.grid and _key(u.grid) in ids:
            out.setdefault(ids[_key(u.grid)], []).append(u)
    return out


def enterprise_cells(cells: list[Cell], units: list[Unit]) -> list[tuple[Cell, list[Unit], Unit | None]]:
    """Each 企-level cell with the enterprises that name it and, when none does, the enterprise
    its name stands for: the one whose name is the cell's, or else the only one whose name
    holds it (``宏达化工`` for 青岚县宏达化工有限公司); None when no single one does."""
    held = enterprises_of(cells, units)
    firms = [u for u in units if u.kind is UnitKind.ENTERPRISE]
    out = []
    for c in cells:
        if c.level is not GridLevel.ENTERPRISE:
            continue
        mine = held.get(c.id, [])
        named = None
        if not mine:
            name = _key(c.name)
            same = [u for u in firms if _key(u.name) == name] or [u for u in firms if name in _key(u.name)]
            named = same[0] if len(same) == 1 else None
        out.append((c, mine, named))
    return out


def loops(cells: Iterable[Cell]) -> list[Cell]:
    """The cells whose chain of parents comes back to them."""
    by_id = {_key(c.id): c for c in cells}
    out = []
    for c in by_id.values():
        seen = {_key(c.id)}
        up = c.parent
        while up is not None and _key(up) in by_id:
            if _key(up) in seen:
                out.append(c)
                break
            seen.add(_key(up))
            up = by_id[_key(up)].parent
    return out


def tree(cells: list[Cell], units: Iterable[Unit]) -> list[Node]:
    """The grid as trees: the cells without a (known) parent at the top, children in file order;
    cells caught in a loop are left out (``check`` names them)."""
    looped = {_key(c.id) for c in loops(cells)}
    held = enterprises_of(cells, units)
    nodes = {_key(c.id): Node(c, units=held.get(c.id, [])) for c in cells if _key(c.id) not in looped}
    tops: list[Node] = []
    for c in cells:
        node = nodes.get(_key(c.id))
        if node is None:
            continue
        parent = nodes.get(_key(c.parent)) if c.parent else None
        (parent.children if parent is not None else tops).append(node)
    return tops


def _all_units(n: Node) -> list[Unit]:
    return [*n.units, *(u for k in n.children for u in _all_units(k))]


def expand_units(names: list[str], cells: list[Cell], units: Iterable[Unit]) -> list[str]:
    """``names`` with each grid word replaced by the enterprises it stands for, in the grid's
    order (a word naming no cell is kept as written: ``check`` names it)."""
    if not any(_grid_word(n) is not None for n in names):
        return names
    nodes = tree(cells, units)
    out: list[str] = []
    for name in names:
        word = _grid_word(name)
        if word is None:
            out.append(name)
            continue
        picked = [*(u for n in nodes for u in _all_units(n))] if word == "" else \
            (_all_units(found) if (found := under(nodes, word)) is not None else None)
        if picked is None:
            out.append(name)
        else:
            out.extend(u.name for u in picked if u.name not in out)
    return out


def _grid_word(name: str) -> str | None:
    """``""`` for the whole grid, a cell id for ``网格:CELL``, None for an ordinary unit name."""
    text = name.strip().replace("：", ":")
    head, sep, cell = text.partition(":")
    if head.strip() in GRID_WORDS:
        return cell.strip() if sep else ""
    return None


def under(nodes: list[Node], ident: str) -> Node | None:
    """The node of cell ``ident`` in the trees."""
    for n in nodes:
        if _key(n.cell.id) == _key(ident):
            return n
        found = under(n.children, ident)
        if found is not None:
            return found
    return None

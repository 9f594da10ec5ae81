"""The supervision grid as a tree (the 网格监管图 in text) and as JSON."""

from __future__ import annotations

from anquan_cli.rules.grid import Node
from anquan_cli.views._rich import console as _console
from anquan_cli.views._rich import plain
from anquan_cli.views.layout import say

__all__ = ["node_json", "render_tree"]


def node_json(n: Node) -> dict:
    c = n.cell
    return {"id": c.id, "name": c.name, "level": c.level.value, "level_label": c.level.label, "parent": c.parent,
            "responsible": c.responsible, "post": c.post, "duty": c.duty,
            "enterprises": [u.name for u in n.units], "children": [node_json(k) for k in n.children],
            "file": c.src.path, "line": c.src.line}


def render_tree(nodes: list[Node]) -> None:
    from rich.tree import Tree

    c = _console()
    if not nodes:
        say("工作区没有网格（grid/）。", console=c)
        return

    def label(n: Node):
        cell = n.cell
        who = cell.responsible or "未明确责任人"
        text = plain(f"{cell.id} {cell.name}（{cell.level.label}级）  责任人：{who}"
                     + (f"，{cell.post}" if cell.post else ""), None if cell.responsible else "red")
        return text

    def grow(tree, n: Node) -> None:
        for k in n.children:
            grow(tree.add(label(k)), k)
        for u in n.units:
            tree.add(plain(f"企业：{u.name}", "dim"))

    for n in nodes:
        t = Tree(label(n))
        grow(t, n)
        c.print(t)

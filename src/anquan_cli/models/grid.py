"""The supervision grid (网格化监管): cells of the county, its townships, villages and enterprises.

Seed 004 三（三）: "形成'县、乡、村、企'四级网格化监管模式，通过对每一个网格内的责任单位与责任人实行定人、定岗、定责",
"绘制'网格监管图'"; seed 001: "注重发挥基层'网格'作用".  An enterprise names its cell (``grid`` on the unit); the
rules live in :mod:`anquan_cli.rules.grid`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator

from anquan_cli.models._base import Ident, OptText, Record, Text, Vocab

__all__ = ["GridLevel", "Cell"]


class GridLevel(Vocab, what="网格层级"):
    """Highest first: a cell's parent is of a higher level."""

    COUNTY = ("county", "县", "县级", "一级")
    TOWNSHIP = ("township", "乡", "乡镇", "镇", "乡级", "二级")
    VILLAGE = ("village", "村", "村级", "社区", "三级")
    ENTERPRISE = ("enterprise", "企", "企业", "企业级", "四级")

    @property
    def rank(self) -> int:
        return list(GridLevel).index(self)


class Cell(Record):
    kind_label = "网格"
    csv_columns = {
        "id": ("网格编号", "编号"),
        "name": ("网格名称", "名称"),
        "level": ("网格层级", "层级"),
        "parent": ("上级网格", "上级"),
        "responsible": ("网格责任人", "责任人", "网格长"),
        "post": ("岗位", "职务"),
        "duty": ("职责", "网格职责"),
        "note": ("备注",),
    }

    id: Ident
    name: Text
    level: Annotated[GridLevel, BeforeValidator(GridLevel.parse)]
    #: the cell above (none for the top cell)
    parent: OptText = None
    #: 定人: the person answerable for the cell
    responsible: OptText = None
    #: 定岗
    post: OptText = None
    #: 定责
    duty: OptText = None
    note: OptText = None

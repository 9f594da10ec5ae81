"""Task-division tables (重点任务分工表), modelled on the seed 002 attachment:
序号, the measure it belongs to, 重点任务, 责任单位, 完成时限 (the phrase as written)."""

from __future__ import annotations

from pydantic import Field

from anquan_cli.models._base import OptText, Record, Text, UnitNames


class Task(Record):
    kind_label = "任务"
    csv_columns = {
        "no": ("序号", "编号", "任务序号"),
        "measure": ("措施", "国务院安委会安全生产15条措施内容", "15条措施内容", "措施内容",
                    "工作措施", "重点措施"),
        "task": ("重点任务", "任务", "工作任务", "任务内容"),
        "units": ("责任单位", "牵头单位", "责任部门"),
        "deadline": ("完成时限", "完成时间", "时限"),
        "note": ("备注",),
    }

    #: the table the task belongs to (its file, or ``table:`` in a YAML table); with
    #: ``no`` it identifies the task
    table: Text
    no: int = Field(ge=1)
    measure: OptText = None
    task: Text
    units: UnitNames = Field(min_length=1)
    #: the deadline phrase exactly as the table writes it ("2022年9月底前完成，并长期坚持")
    deadline: Text
    note: OptText = None

    @property
    def key(self) -> str:
        return f"{self.table}#{self.no}"

"""Task-division tables (重点任务分工表), modelled on the seed 002 attachment:
序号, the measure it belongs to, 重点任务, 责任单位, 完成时限 (the phrase as written)."""

from __future__ import annotations

from pydantic import Field

from anquan_cli.models._base import Date, OptText, Record, Text, UnitNames, Vocab, vocab


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
    #: the table's or document's year, for phrases written without one ("6月20日前"):
    #: ``year:`` in a YAML table, else a year in the file name (tonganwei-2022-10.csv)
    year: int | None = Field(default=None, ge=1900, le=2199)
    no: int = Field(ge=1, le=1_000_000)
    measure: OptText = None
    task: Text
    units: UnitNames = Field(min_length=1)
    #: the deadline phrase exactly as the table writes it ("2022年9月底前完成，并长期坚持")
    deadline: Text
    note: OptText = None

    @property
    def key(self) -> str:
        return f"{self.table}#{self.no}"


class TaskStatus(Vocab, what="进展状态"):
    NOT_STARTED = ("not_started", "未启动")
    IN_PROGRESS = ("in_progress", "推进中", "进行中", "正在推进")
    DONE = ("done", "已完成", "完成")
    ONGOING = ("ongoing", "长期坚持", "常态化推进")


class Progress(Record):
    """One report of a responsible unit's progress on one task (files under tasks/progress/)."""

    kind_label = "任务进展"
    csv_columns = {
        "table": ("分工表", "文件"),
        "no": ("序号", "任务序号"),
        "unit": ("责任单位", "单位"),
        "status": ("进展", "状态", "进展状态"),
        "date": ("日期", "报送日期"),
        "evidence": ("佐证材料", "佐证", "完成情况"),
        "by": ("报送人", "填报人"),
        "note": ("备注",),
    }

    #: the task table (``table:`` at the top of the file, or a column; may be left out when
    #: the workspace has one table)
    table: OptText = None
    no: int = Field(ge=1, le=1_000_000)
    unit: Text
    status: vocab(TaskStatus)
    date: Date
    evidence: OptText = None
    by: OptText = None
    note: OptText = None

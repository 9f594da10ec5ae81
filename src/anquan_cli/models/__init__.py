"""Record types.  Each record remembers its source (``record.src.path``/``.line``)."""

from anquan_cli.models._base import Record, Source
from anquan_cli.models.accident import Accident, AccidentGrade, AccidentKind, ConcealmentKind
from anquan_cli.models.campaign import Campaign, Node, Phase, Submission
from anquan_cli.models.config import JurisdictionLevel, Settings, WorkspaceConfig
from anquan_cli.models.document import Issued
from anquan_cli.models.duty import Activity, ActivityKind, Duty, Period
from anquan_cli.models.enforcement import ActionType, Enforcement, InspectionMode, Measure
from anquan_cli.models.grid import Cell, GridLevel
from anquan_cli.models.hazard import Event, EventKind, Hazard, HazardSource, Level, Party
from anquan_cli.models.matrix import GuaranteeKind, MatrixEntry
from anquan_cli.models.org import Grade, Person, Unit, UnitKind
from anquan_cli.models.patrol import Patrol, PatrolKind
from anquan_cli.models.risk import Colour, ControlLevel, Risk, RiskGrade, RiskMeasure
from anquan_cli.models.task import Progress, Task, TaskStatus
from anquan_cli.models.tipoff import Channel, Reporter, Result, Reward, Tipoff

__all__ = [
    "Accident", "AccidentGrade", "AccidentKind", "ConcealmentKind",
    "ActionType", "Enforcement", "InspectionMode", "Measure",
    "Campaign", "Node", "Phase", "Submission",
    "Channel", "Reporter", "Result", "Reward", "Tipoff",
    "Colour", "ControlLevel", "Risk", "RiskGrade", "RiskMeasure", "Cell", "GridLevel", "Patrol",
    "PatrolKind",
    "Activity", "ActivityKind", "Duty", "Event", "EventKind", "Grade", "GuaranteeKind",
    "Hazard", "HazardSource", "Issued", "JurisdictionLevel", "Level", "MatrixEntry", "Party", "Period",
    "Person", "Progress", "Record", "Settings", "Source", "Task", "TaskStatus", "Unit", "UnitKind",
    "WorkspaceConfig",
]

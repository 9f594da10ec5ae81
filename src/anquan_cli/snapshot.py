"""The workspace as one command sees it: every record read, where each came from, what was
wrong with the files.  Built by the loader (:mod:`anquan_cli.workspace`), handed down to the
rules and views, which never load anything themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from anquan_cli.models import (
    Accident,
    Activity,
    Campaign,
    Cell,
    Duty,
    Enforcement,
    Hazard,
    Issued,
    MatrixEntry,
    Patrol,
    Person,
    Progress,
    Reporter,
    Risk,
    Submission,
    Task,
    Tipoff,
    Unit,
    WorkspaceConfig,
)
from anquan_cli.problems import Problem

__all__ = ["Workspace", "RECORD_LISTS"]

#: the record lists of a workspace, by attribute name
RECORD_LISTS = ("units", "people", "hazards", "tasks", "progress", "matrix", "duties", "activities", "accidents",
                "enforcement", "campaigns", "submissions", "tipoffs", "reporters", "risks", "cells", "patrols", "issued")


@dataclass
class Workspace:
    root: Path
    config: WorkspaceConfig
    units: list[Unit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    hazards: list[Hazard] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    matrix: list[MatrixEntry] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    accidents: list[Accident] = field(default_factory=list)
    enforcement: list[Enforcement] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    tipoffs: list[Tipoff] = field(default_factory=list)
    #: who reported each tip-off: read only when the command was given ``--confidential``
    #: (``load_workspace(confidential=True)``), else always empty
    reporters: list[Reporter] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    #: the supervision grid's cells (``grid/``)
    cells: list[Cell] = field(default_factory=list)
    #: 巡查考核 of the lower levels (``patrols/``)
    patrols: list[Patrol] = field(default_factory=list)
    #: 发文登记: the 文号 given out (``documents/``)
    issued: list[Issued] = field(default_factory=list)
    #: workspace-relative paths of every file read
    files: list[str] = field(default_factory=list)
    #: content digest of every file as it was read (edits refuse to overwrite a file that
    #: changed since)
    digests: dict[str, str] = field(default_factory=dict)
    #: record files read but not parsed (``load_workspace(skip=...)``): (path, bytes), the bytes
    #: None when the file's digest was known from its stat (see :func:`unloaded_bytes`)
    unloaded: dict[str, list[tuple[str, bytes | None]]] = field(default_factory=dict)
    #: the git commit the files were read from (``--as-of``); None for the working tree
    revision: str | None = None
    #: names of the workspaces rolled up through ``include:``
    included: list[str] = field(default_factory=list)
    #: where each included workspace's files sit: ``(path prefix, its root, its name)``
    mounts: list[tuple[str, Path, str]] = field(default_factory=list)
    #: every problem found while reading (the edit gate compares against them)
    problems: list[Problem] = field(default_factory=list)
    #: where the name directory's tables are kept for these units and people (``get``/``put``
    #: under a key naming their files), None without a cache
    name_store: object | None = None

    def owner_of(self, rel: str) -> tuple[Path, str, str]:
        """``(workspace root, path inside it, workspace name)`` of the workspace a file
        belongs to: an included workspace's own, or this one."""
        for prefix, root, label in sorted(self.mounts, key=lambda m: -len(m[0])):
            if rel.startswith(prefix + "/"):
                return root, rel[len(prefix) + 1:], label
        return self.root, rel, ""

    @property
    def record_count(self) -> int:
        return (len(self.units) + len(self.people) + len(self.hazards) + len(self.tasks)
                + len(self.progress) + len(self.matrix) + len(self.duties) + len(self.activities)
                + len(self.accidents) + len(self.enforcement) + len(self.campaigns) + len(self.submissions)
                + len(self.tipoffs) + len(self.reporters) + len(self.risks) + len(self.cells) + len(self.patrols)
                + len(self.issued))

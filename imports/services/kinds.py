"""The kinds of import, in one registry: who imports each, how large its file may be, and how its rows are planned.

Every kind plans through one protocol. `Importer.start(viewer)` gives an `Intake`; validation hands the intake
each converted row through the sink `intake.open(read)` returns, and once every row is read,
`intake.plan(read, progress)` gives the `Plan` that the dry run reports and the commit writes. A kind planned
whole (supply maps, grievance logs: their rules span the upload) simply collects its rows (`Collected`); findings
spool theirs to disk as they come and plan a part at a time (imports/services/findings_intake.py).

Which kind of organization imports which kind of file is a rule of imports (`importer_for`), checked when a job
is created; the role an import needs (Permission.IMPORT_DATA) is checked once, at the entry (view, mutation,
command).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from backend.errors import field_error
from backend.permissions import Permission
from backend.tenancy import Viewer
from imports import columns
from imports.models import Kind
from imports.reading import Limits
from imports.services import findings_intake, grievances, sizing, supply_map
from imports.services.plan import Plan
from imports.services.progress import Progress
from imports.services.validation import ReadRows

RowSink = Callable[[tuple], None]
Planner = Callable[[ReadRows, Viewer, Progress], Plan]


class Intake(Protocol):
    """Where an upload's rows go while they are read, and how they become a plan."""

    def open(self, read: ReadRows) -> RowSink:
        """The function that takes each converted row of `read`, in file order."""

    def plan(self, read: ReadRows, progress: Progress) -> Plan:
        """The plan of every row taken, once the whole file is read."""


class Collected:
    """The intake of a kind planned whole: its rows are kept in `read.rows`, then planned at once."""

    def __init__(self, planner: Planner, viewer: Viewer) -> None:
        self.planner, self.viewer = planner, viewer

    def open(self, read: ReadRows) -> RowSink:
        return read.rows.append

    def plan(self, read: ReadRows, progress: Progress) -> Plan:
        plan = self.planner(read, self.viewer, progress)
        read.rows = []  # the plan holds what it needs of them; the write that follows would otherwise keep them too
        return plan


def planned_whole(planner: Planner) -> Callable[[Viewer], Intake]:
    """`Importer.start` for a kind whose `planner(read, viewer, progress)` plans all its rows at once."""
    return partial(Collected, planner)


@dataclass(frozen=True)
class Importer:
    """One kind of import: the organizations that import it (those its permission admits, named for messages),
    the reader's limits for its files (imports/services/sizing.py), and how its rows are planned."""

    kind: Kind
    permission: Permission
    importers: str
    limits: Limits
    start: Callable[[Viewer], Intake]

    @property
    def columns(self) -> columns.ImportKind:
        """Its columns and their rules (imports/columns.py)."""
        return columns.KINDS[self.kind]


IMPORT_KINDS: dict[str, Importer] = {
    Kind.SUPPLY_MAP: Importer(Kind.SUPPLY_MAP, Permission.MANAGE_NETWORK, "companies", sizing.SUPPLY_MAP_LIMITS,
                              planned_whole(supply_map.plan)),
    Kind.FINDINGS: Importer(Kind.FINDINGS, Permission.MANAGE_AUDITS, "audit firms", sizing.FINDINGS_LIMITS,
                            findings_intake.Intake),
    Kind.GRIEVANCES: Importer(Kind.GRIEVANCES, Permission.FILE_GRIEVANCES, "workers' organizations",
                              sizing.GRIEVANCE_LIMITS, planned_whole(grievances.plan)),
}


def importers_for(viewer: Viewer) -> list[Importer]:
    """The importers of the kinds the viewer's organization imports, in the registry's order (the upload pages
    offer these)."""
    return [importer for importer in IMPORT_KINDS.values() if importer.permission.admits(viewer.organization)]


def importer_for(viewer: Viewer, kind: str) -> Importer:
    """The importer of `kind` for the viewer's organization: companies import supply maps, audit firms findings,
    workers' organizations grievances. A ValidationError on `kind` otherwise."""
    importer = IMPORT_KINDS.get(kind)
    if importer is None:
        raise field_error("kind", f"'{kind}' is not a kind of import ({', '.join(Kind.values)}).", "invalid")
    if not importer.permission.admits(viewer.organization):
        raise field_error("kind", f"Only {importer.importers} import {Kind(kind).label.lower()}.", "kind_not_allowed")
    return importer

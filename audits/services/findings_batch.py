"""Recording audits and their findings in bulk, for an audit firm: a batch of rows in, a plan out (what each row
creates, updates or leaves unchanged, or why it is refused), written only when the caller says so.

Each row (FindingRow) names a finding `finding_ref` of an audit `audit_ref` (references of the firm's own) about
a site. Rows of the same audit describe it together: their values complete each other and must not contradict
each other. The rules are those of audits/services/finding_rules.py, as the API applies them one at a time: the
firm must be assigned to the site; standard, audit type and start date are required for a new audit; the audit
ends on or after it starts; a finding's date is not in the future (by default the audit's end, else its start); a
closed finding is not edited, and a finding is closed only when none of its corrective actions is pending.

Comparing with what is stored reads each audit's ImportedRecord: its members hold the fingerprint of each
finding's row, so a batch that changes nothing reads no finding at all. `plan_findings` reads but never writes;
the plan's `write` (audits/services/findings_write.py) writes it. A batch must hold every row of its audits.

Refusals name the row's field (`site`, `audit_ref`, `finding_ref`, a name of AUDIT_FIELDS or FINDING_FIELDS, or
`status`); where a message names a field, `label` says how the caller calls it (a spreadsheet's header, say).
"""

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from audits.models import Audit, Finding, FindingStatus
from audits.services.common import in_future
from audits.services.finding_rules import (
    AUDIT_FIELDS, AUDIT_REQUIRED, FINDING_FIELDS, MAX_LENGTHS, NOT_ASSIGNED, assigned_site_ids, can_edit, can_move,
    default_found_on, ends_before_start, pending_action_counts,
)
from audits.services.findings_write import (
    AUDIT_ENTITY, UNWRITTEN, AuditPlan, FindingsBatch, Member, finding_fingerprint,
)
from backend.batch import BatchResult, Outcome
from backend.records import fingerprint, known_records
from backend.tenancy import owned

# References are kept as ImportedRecord keys (at most 255 characters), a finding's within its audit's.
TEXT_LIMITS = {"audit_ref": 255, "finding_ref": 100, **MAX_LENGTHS}
AUDIT, FINDING = "audit", "finding"  # the entities of the batch's credits
AUDIT_DEFAULTS = {"end_date": None, "lead_auditor": "", "report_reference": ""}


class FindingRow(NamedTuple):
    """One row of a batch: a finding of an audit (None where the row leaves a value out)."""

    index: int
    audit_ref: str | None
    finding_ref: str | None
    site_id: int | None
    standard: str | None
    audit_type: str | None
    start_date: object
    end_date: object
    lead_auditor: str | None
    report_reference: str | None
    category: str | None
    severity: str | None
    description: str | None
    found_on: object
    status: str | None


audit_values = operator.attrgetter(*AUDIT_FIELDS)


@dataclass
class AuditSpec:
    """An audit as its rows describe it: the first row's index, its site, its values and findings by ref."""

    index: int
    site_id: int | None
    values: dict
    findings: dict[str, FindingRow] = field(default_factory=dict)


class FindingChange(NamedTuple):
    """A stored finding whose row's fingerprint changed: read from the database to compare field by field."""

    audit: AuditPlan
    ref: str
    row: FindingRow
    values: tuple
    fingerprint: str


class FindingsPlanner:
    """Plans batches of rows for one viewer (`plan`), one after another in the same transaction, as an import
    plans its upload a bucket of audits at a time: which sites the firm is assigned to is asked once per site,
    not once per batch."""

    def __init__(self, viewer, label: Callable[[str], str] = str) -> None:
        self.viewer, self.label = viewer, label
        self._assigned: set[int] = set()
        self._asked: set[int] = set()

    def plan(self, rows: Iterable[FindingRow]) -> FindingsBatch:
        """Check every row against the rules and compare it with what is stored; nothing is written."""
        rows = list(rows)
        planning = Planning(FindingsBatch(self.viewer), self.label, self)
        audits = describe_audits(planning, rows)
        plan_audits(planning, audits)
        plan_stored_findings(planning, audits)
        return planning.batch

    def unassigned(self, site_ids: set[int]) -> set[int]:
        """The sites among `site_ids` that the firm is not assigned to."""
        if not site_ids <= self._asked:
            self._assigned |= assigned_site_ids(self.viewer.organization, site_ids - self._asked)
            self._asked |= site_ids
        return site_ids - self._assigned


@dataclass
class Planning:
    """The state of one batch's planning."""

    batch: FindingsBatch
    label: Callable[[str], str]
    planner: FindingsPlanner

    @property
    def result(self) -> BatchResult:
        return self.batch.result


def plan_findings(viewer, rows: Iterable[FindingRow], label: Callable[[str], str] = str) -> FindingsBatch:
    """Check every row against the rules and compare it with what is stored; nothing is written."""
    return FindingsPlanner(viewer, label).plan(rows)


def describe_audits(planning: Planning, rows: list[FindingRow]) -> dict[str, AuditSpec]:
    """The audits the rows describe, with each row's own refusals (site, lengths, dates, repeated refs)."""
    result = planning.result
    unassigned = planning.planner.unassigned({row.site_id for row in rows} - {None})
    too_long = [(name, limit) for name, limit in TEXT_LIMITS.items() if longest(rows, name) > limit]
    # each distinct date asked once: asking for today costs more than the comparison, and a file's dates repeat
    future = {day for day in {row.found_on for row in rows} if in_future(day)}
    audits: dict[str, AuditSpec] = {}
    first_values: dict[str, tuple] = {}
    for row in rows:
        index, site_id = row.index, row.site_id
        if site_id in unassigned:
            result.refuse(index, "site", "not_assigned", NOT_ASSIGNED)
            site_id = None
        for name, limit in too_long:
            value = getattr(row, name)
            if value is not None and len(value) > limit:
                result.refuse(index, name, "too_long", f"At most {limit:,} characters.")
        if row.audit_ref is None:
            continue
        audit = audits.get(row.audit_ref)
        values = audit_values(row)
        if audit is None:
            given = {name: value for name, value in zip(AUDIT_FIELDS, values) if value is not None}
            audit = audits[row.audit_ref] = AuditSpec(index, site_id, given)
            first_values[row.audit_ref] = values
            check_dates(result, index, audit.values)
        elif values != first_values[row.audit_ref] or site_id != audit.site_id:
            merge_audit(planning, audit, row, site_id)
        if row.finding_ref is None:
            continue
        if row.finding_ref in audit.findings:
            result.refuse(index, "finding_ref", "duplicate_ref", f"Row {audit.findings[row.finding_ref].index} "
                          f"already has finding {row.finding_ref} of audit {row.audit_ref}.")
            continue
        if row.found_on in future:
            result.refuse(index, "found_on", "out_of_range", "A finding's date cannot be in the future.")
        if row.description is None:
            result.refuse(index, "description", "required", f"{planning.label('description')} is required.")
        audit.findings[row.finding_ref] = row
    return audits


def longest(rows: list[FindingRow], name: str) -> int:
    """The length of the longest text the rows give for `name`, in one C-level pass over the column (the rows
    are then checked one by one only for a column that holds a text too long)."""
    return max(map(len, filter(None, map(operator.attrgetter(name), rows))), default=0)


def check_dates(result: BatchResult, index: int, values: dict) -> None:
    if ends_before_start(values.get("start_date"), values.get("end_date")):
        result.refuse(index, "end_date", "out_of_range", "The audit ends before it starts.")


def merge_audit(planning: Planning, audit: AuditSpec, row: FindingRow, site_id: int | None) -> None:
    """A later row of an audit: its values complete the audit's, and must not contradict them."""
    result, label = planning.result, planning.label
    if site_id is not None and audit.site_id is not None and site_id != audit.site_id:
        result.refuse(row.index, "site", "conflict", f"Audit {row.audit_ref} is about another site on row {audit.index}.")
    audit.site_id = audit.site_id or site_id
    for name, value in zip(AUDIT_FIELDS, audit_values(row)):
        if value is None:
            continue
        if name not in audit.values:
            audit.values[name] = value
        elif audit.values[name] != value:
            result.refuse(row.index, name, "conflict", f"Audit {row.audit_ref} has another {label(name)} on row "
                          f"{audit.index} ({audit.values[name]}).")
    check_dates(result, row.index, audit.values)


def plan_audits(planning: Planning, audits: dict[str, AuditSpec]) -> None:
    """Each audit: new, unchanged (same fingerprint as its record's), or changed field by field."""
    batch, result, label = planning.batch, planning.result, planning.label
    org = batch.viewer.organization
    records = known_records(org, AUDIT_ENTITY, audits)
    stored = {
        row["id"]: row for row in owned(Audit, batch.viewer).filter(
            pk__in=[record.object_id for record in records.values()]
        ).values("id", "site_id", *AUDIT_FIELDS)
    }
    for ref, audit in audits.items():
        if audit.site_id is None:
            continue  # its rows already carry the site's refusal
        record = records.get(ref)
        current = stored.get(record.object_id) if record else None
        values = {**AUDIT_DEFAULTS, **audit.values}
        plan = AuditPlan(ref, audit.site_id, record, fingerprint=fingerprint([audit.site_id, *map(values.get, AUDIT_FIELDS)]))
        batch.audits.append(plan)
        if current is None:
            for name in AUDIT_REQUIRED:
                if name not in values:
                    result.refuse(audit.index, name, "required", f"{label(name)} is required for a new audit ({ref}).")
            plan.new_values, plan.dirty = values, True
            result.credit(audit.index, AUDIT, Outcome.CREATED)
            continue
        plan.audit_id, plan.members = current["id"], Member.stored(record.members)
        if record.fingerprint == plan.fingerprint:
            result.credit(audit.index, AUDIT, Outcome.UNCHANGED)
            continue
        if current["site_id"] != audit.site_id:
            result.refuse(audit.index, "site", "conflict",
                          f"Audit {ref} was imported about another site; an audit's site cannot change.")
            continue
        changes = {name: value for name, value in audit.values.items() if current[name] != value}
        if changes:
            batch.audit_changes[current["id"]] = changes
        plan.dirty = True
        result.credit(audit.index, AUDIT, Outcome.UPDATED if changes else Outcome.UNCHANGED)


def plan_stored_findings(planning: Planning, audits: dict[str, AuditSpec]) -> None:
    """New findings, and the findings whose row changed (only those are read from the database)."""
    batch, result = planning.batch, planning.result
    changed: list[FindingChange] = []
    for plan in batch.audits:
        audit = audits[plan.ref]
        default_date = default_found_on(audit.values.get("start_date"), audit.values.get("end_date"))
        for ref, row in audit.findings.items():
            values = (row.category, row.severity, row.description, row.found_on or default_date)
            status = row.status or FindingStatus.OPEN
            member = plan.members.get(ref)
            if member is None:  # its fingerprint is taken when it is written: a dry run has no use for it
                plan.members[ref] = UNWRITTEN
                batch.new_findings.add(plan, ref, (*values, status))
                plan.dirty = True
                result.credit(row.index, FINDING, Outcome.CREATED)
                continue
            print_ = finding_fingerprint(plan.ref, values, status)
            if member.fingerprint == print_:
                result.credit(row.index, FINDING, Outcome.UNCHANGED)
            else:
                changed.append(FindingChange(plan, ref, row, values, print_))
    if not changed:
        return
    ids = [change.audit.members[change.ref].finding_id for change in changed]
    stored = {row["id"]: row for row in Finding.objects.filter(pk__in=ids).values("id", "status", *FINDING_FIELDS)}
    pending = pending_action_counts(ids)
    for change in changed:
        member = change.audit.members[change.ref]
        current = stored.get(member.finding_id)
        if current is None or not plan_finding_change(batch, current, change, pending):
            continue
        change.audit.members[change.ref] = member._replace(fingerprint=change.fingerprint)
        change.audit.dirty = True
        result.credit(change.row.index, FINDING, Outcome.UPDATED)


def plan_finding_change(batch: FindingsBatch, current: dict, change: FindingChange, pending: dict[int, int]) -> bool:
    """Plan one stored finding's update; False (with a refusal) when the rules of findings refuse it."""
    result, index = batch.result, change.row.index
    status = change.row.status or FindingStatus.OPEN
    changes = {name: value for name, value in zip(FINDING_FIELDS, change.values)
               if value is not None and current[name] != value}
    if changes and not can_edit(current["status"]):
        result.refuse(index, "finding_ref", "not_editable", "This finding is closed; a closed finding cannot be changed.")
        return False
    if status != current["status"]:
        if not can_move(current["status"], status):
            result.refuse(index, "status", "illegal_transition", "A closed finding cannot be reopened.")
            return False
        if pending.get(current["id"]):
            result.refuse(index, "status", "actions_pending",
                          "This finding's corrective actions are not all verified yet, so it cannot be closed.")
            return False
        batch.closings.append(current["id"])
    if changes:
        batch.finding_changes[current["id"]] = changes
    return True

"""Audit-findings imports: an audit firm's audits and their findings, one row per finding.

Rows of the same `audit_ref` describe one audit (repeated values must agree); `finding_ref` identifies a
finding within its audit. The rules are those of the audits services (audits/services/audits.py): the firm
must be assigned to the site; standard, audit type and start date are required for a new audit, category,
severity and description for a finding; the audit ends on or after it starts; a finding's date is not in the
future (by default the audit's end, else its start); a closed finding is not edited, and a finding is closed
only when none of its corrective actions is pending.

Written set-based (COPY on PostgreSQL), with the audit history (StateChange) rows the services would have
written, and a risk recomputation of the sites touched. One ImportedRecord per audit remembers the audit and,
in `members`, each of its findings with the fingerprint of its row: a second import of the same file compares
fingerprints only and reads no finding at all.

An upload is planned a part at a time (`plan_rows`, one bucket of audits), as imports/services/findings_intake.py
arranges it, so that memory does not grow with the file.
"""

import operator
from dataclasses import dataclass, field

from django.utils import timezone

from audits.models import ActionStatus, Audit, CorrectiveAction, Finding, FindingStatus, StateChange, Subject
from imports.models import ImportedRecord
from imports.services.commit import CREATED, UNCHANGED, UPDATED, Formatted, Plan, Writer
from imports.services.copy_text import Same
from imports.services.records import fingerprint, known_records
from imports.services.validation import ReadRows

AUDIT_COLUMNS = ("standard", "audit_type", "audit_start", "audit_end", "lead_auditor", "report_reference")
AUDIT_FIELDS = ("standard", "audit_type", "start_date", "end_date", "lead_auditor", "report_reference")
FINDING_FIELDS = ("category", "severity", "description", "found_on")
MAX_LENGTHS = {"audit_ref": 255, "finding_ref": 100, "lead_auditor": 200, "report_reference": 100, "description": 10_000}
PENDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)
NEW = 0  # object ID of a finding still to be created, in an audit's members


@dataclass
class AuditSpec:
    row: int
    site_id: int | None
    values: dict
    findings: dict = field(default_factory=dict)  # finding_ref → (row number, category, severity, description, date, status)


@dataclass
class AuditPlan:
    """What happens to one audit and its record: `members` maps finding refs to [ID or NEW, fingerprint]."""

    ref: str
    site_id: int
    record: tuple | None
    audit_id: int | None = None
    new_values: dict | None = None
    fingerprint: str = ""
    members: dict = field(default_factory=dict)
    dirty: bool = False


@dataclass
class NewFindings:
    """The findings to create, column by column (one entry per finding in each list)."""

    audits: list = field(default_factory=list)  # the AuditPlan each belongs to
    refs: list = field(default_factory=list)
    columns: dict = field(default_factory=lambda: {name: [] for name in (*FINDING_FIELDS, "status")})

    def add(self, audit: AuditPlan, ref: str, values: tuple, status: str) -> None:
        self.audits.append(audit)
        self.refs.append(ref)
        for column, value in zip(self.columns.values(), (*values, status)):
            column.append(value)

    def extend(self, other: "NewFindings") -> None:
        self.audits += other.audits
        self.refs += other.refs
        for name, column in self.columns.items():
            column += other.columns[name]


class FindingsPlan(Plan):
    """What one part of the upload writes: its audits and findings, new and changed (see FindingsImport)."""

    def __init__(self, viewer) -> None:
        super().__init__()
        self.viewer = viewer
        self.audits: list[AuditPlan] = []
        self.audit_changes: dict[int, dict] = {}
        self.finding_changes: dict[int, dict] = {}
        self.closings: list[int] = []
        self.site_aliases: list = []
        self.new_findings = NewFindings()

    @property
    def records(self) -> int:
        new_audits = sum(1 for audit in self.audits if audit.new_values is not None)
        new_findings = len(self.new_findings.refs)
        dirty = sum(1 for audit in self.audits if audit.dirty)
        return 2 * (new_audits + new_findings) + dirty + len(self.audit_changes) + len(self.finding_changes) \
            + 2 * len(self.closings) + len(self.site_aliases)

    @property
    def size(self) -> int:
        """Audits and findings held, to decide when to write."""
        return len(self.audits) + len(self.new_findings.refs) + len(self.finding_changes)

    def absorb(self, other: "FindingsPlan") -> None:
        """Take over what another part writes, so that both are written together (an unchanged audit writes nothing)."""
        self.audits += [audit for audit in other.audits if audit.dirty]
        self.audit_changes.update(other.audit_changes)
        self.finding_changes.update(other.finding_changes)
        self.closings += other.closings
        self.new_findings.extend(other.new_findings)

    def touched_sites(self) -> set[int]:
        return {audit.site_id for audit in self.audits if audit.dirty}

    def write(self, writer: Writer) -> None:
        org, user, now = self.viewer.organization, self.viewer.user, timezone.now()
        stamp = now.isoformat()  # as text once: COPY would otherwise convert the same time for every row
        user_id = user.pk if user else None
        created = [audit for audit in self.audits if audit.new_values is not None]
        audit_ids = writer.copy(Audit, {
            "audit_firm_id": Same(org.pk), "site_id": [audit.site_id for audit in created],
            **{name: [audit.new_values[name] for audit in created] for name in AUDIT_FIELDS},
            "created_by_id": Same(user_id), "created_at": Same(stamp), "updated_at": Same(stamp),
        })
        for audit, audit_id in zip(created, audit_ids):
            audit.audit_id = audit_id
        apply(writer, Audit, self.audit_changes, now)
        new = self.new_findings
        with writer.copying(Finding, {
            "audit_firm_id": Same(org.pk), "audit_id": [audit.audit_id for audit in new.audits],
            "site_id": [audit.site_id for audit in new.audits], **new.columns,
            "created_by_id": Same(user_id), "created_at": Same(stamp), "updated_at": Same(stamp),
        }) as finding_ids:
            # while the server stores the findings: their fingerprints, and the text of the rows that follow them
            for audit, ref, finding_id, *values, status in zip(new.audits, new.refs, finding_ids, *new.columns.values()):
                audit.members[ref] = [finding_id, finding_fingerprint(audit.ref, values, status)]
            records = [(audit.ref, audit.audit_id, audit.fingerprint, audit.members, audit.record)
                       for audit in self.audits if audit.dirty]
            later = [new_records(writer, org, "audit", records), *history(writer, self.viewer, stamp, [
                (Subject.AUDIT, audit_ids, "", Same("recorded")),
                (Subject.FINDING, finding_ids, "", new.columns["status"]),
                (Subject.FINDING, self.closings, FindingStatus.OPEN, Same(FindingStatus.CLOSED)),
            ])]
        apply(writer, Finding, self.finding_changes, now)
        if self.closings:
            Finding.objects.filter(pk__in=self.closings).update(status=FindingStatus.CLOSED, updated_at=now)
        update_records(writer, records)
        writer.create(ImportedRecord, self.site_aliases)
        for rows in later:
            writer.send(rows)


def apply(writer: Writer, model, changes: dict[int, dict], now) -> None:
    """Update rows by primary key with per-row changes (and their updated_at)."""
    if not changes:
        return
    objects = list(model.objects.filter(pk__in=list(changes)))
    for obj in objects:
        for name, value in changes[obj.pk].items():
            setattr(obj, name, value)
        obj.updated_at = now
    writer.update(model, objects, sorted({n for change in changes.values() for n in change} | {"updated_at"}))


def write_records(writer: Writer, org, entity: str, entries: list[tuple]) -> None:
    """Remember what each external reference became: (ref, object ID, fingerprint, members, stored record or None)."""
    writer.send(new_records(writer, org, entity, entries))
    update_records(writer, entries)


def new_records(writer: Writer, org, entity: str, entries: list[tuple]) -> Formatted:
    """The ImportedRecord rows of the entries not stored yet, formatted (see write_records)."""
    new = [entry[:4] for entry in entries if entry[4] is None]
    refs, object_ids, prints, members = map(list, zip(*new)) if new else ([], [], [], [])
    return writer.formatted(ImportedRecord, {
        "organization_id": Same(org.pk), "entity": Same(entity), "ref": refs, "object_id": object_ids,
        "fingerprint": prints, "members": members,
    })


def update_records(writer: Writer, entries: list[tuple]) -> None:
    """Store the new object, fingerprint and members of the entries whose record exists (see write_records)."""
    changed = {record[0]: (object_id, print_, members) for _ref, object_id, print_, members, record in entries if record}
    if changed:
        records = list(ImportedRecord.objects.filter(pk__in=list(changed)))
        for record in records:
            record.object_id, record.fingerprint, record.members = changed[record.pk]
        writer.update(ImportedRecord, records, ["object_id", "fingerprint", "members"])


def write_history(writer: Writer, viewer, at: str, groups: list[tuple]) -> None:
    """StateChange rows, as audits/services/history.record writes them one at a time (`at`: ISO time); each
    group is (subject, object IDs, from state, to states: a list, one per object, or Same)."""
    for rows in history(writer, viewer, at, groups):
        writer.send(rows)


def history(writer: Writer, viewer, at: str, groups: list[tuple]) -> list[Formatted]:
    """The StateChange rows of write_history, formatted."""
    org, user = viewer.organization, viewer.user
    return [
        writer.formatted(StateChange, {
            "subject": Same(subject), "object_id": object_ids, "from_state": Same(from_state), "to_state": to_states,
            "actor_id": Same(user.pk if user else None), "actor_organization_id": Same(org.pk),
            "actor_kind": Same(org.kind), "at": Same(at),
        })
        for subject, object_ids, from_state, to_states in groups
    ]


def plan_rows(read: ReadRows, rows: list[tuple], result: FindingsPlan) -> None:
    """Plan the audits and findings of `rows`, (row, site ID) pairs that hold every row of their audits."""
    log, today, label = read.log, timezone.localdate(), read.label
    audits: dict[str, AuditSpec] = {}
    long_text = {key: limit for key, limit in MAX_LENGTHS.items() if read.has(key)}
    audit_columns = operator.attrgetter(*AUDIT_COLUMNS)
    first_columns: dict[str, tuple] = {}
    for row, site_id in rows:
        number = row.row
        for key, limit in long_text.items():
            value = getattr(row, key)
            if value is not None and len(value) > limit:
                log.error(number, label(key), value, "too_long", f"At most {limit:,} characters.")
        if row.audit_ref is None:
            continue
        audit = audits.get(row.audit_ref)
        columns = audit_columns(row)
        if audit is None:
            values = dict(zip(AUDIT_FIELDS, columns))
            audit = audits[row.audit_ref] = AuditSpec(number, site_id, {k: v for k, v in values.items() if v is not None})
            first_columns[row.audit_ref] = columns
            check_dates(read, number, audit.values)
        elif columns != first_columns[row.audit_ref] or site_id != audit.site_id:
            merge_audit(read, audit, row, site_id)
        if row.finding_ref is None:
            continue
        if row.finding_ref in audit.findings:
            log.error(number, label("finding_ref"), row.finding_ref, "duplicate_ref",
                      f"Row {audit.findings[row.finding_ref][0]} already has finding {row.finding_ref} of audit {row.audit_ref}.")
            continue
        if row.finding_date is not None and row.finding_date > today:
            log.error(number, label("finding_date"), row.finding_date, "out_of_range", "A finding's date cannot be in the future.")
        if row.description is None:
            log.error(number, label("description"), None, "required", f"{label('description')} is required.")
        audit.findings[row.finding_ref] = (number, row.category, row.severity, row.description, row.finding_date,
                                           row.status or FindingStatus.OPEN)
    plan_audits(read, audits, result)
    plan_findings(read, audits, result)


def check_dates(read: ReadRows, number: int, values: dict) -> None:
    if values.get("end_date") and values.get("start_date") and values["end_date"] < values["start_date"]:
        read.log.error(number, read.label("audit_end"), values["end_date"], "out_of_range", "The audit ends before it starts.")


def merge_audit(read: ReadRows, audit: AuditSpec, row, site_id) -> None:
    """A later row of an audit: its values complete the audit's, and must not contradict them."""
    if site_id is not None and audit.site_id is not None and site_id != audit.site_id:
        column = "os_id" if row.os_id else "site_ref"
        read.log.error(row.row, read.label(column), getattr(row, column), "conflict",
                       f"Audit {row.audit_ref} is about another site on row {audit.row}.")
    audit.site_id = audit.site_id or site_id
    for name, column in zip(AUDIT_FIELDS, AUDIT_COLUMNS):
        value = getattr(row, column)
        if value is None:
            continue
        if name not in audit.values:
            audit.values[name] = value
        elif audit.values[name] != value:
            read.log.error(row.row, read.label(column), value, "conflict",
                           f"Audit {row.audit_ref} has another {read.label(column)} on row {audit.row} ({audit.values[name]}).")
    check_dates(read, row.row, audit.values)


def plan_audits(read: ReadRows, audits: dict[str, AuditSpec], result: FindingsPlan) -> None:
    org = result.viewer.organization
    records = known_records(org, "audit", audits)
    stored = {
        row["id"]: row for row in
        Audit.objects.filter(audit_firm=org, pk__in=[r[1] for r in records.values()]).values("id", "site_id", *AUDIT_FIELDS)
    }
    for ref, audit in audits.items():
        if audit.site_id is None:
            continue  # its rows already carry the site's problem
        record = records.get(ref)
        current = stored.get(record[1]) if record else None
        values = {"end_date": None, "lead_auditor": "", "report_reference": "", **audit.values}
        plan_ = AuditPlan(ref, audit.site_id, record, fingerprint=fingerprint([audit.site_id, *map(values.get, AUDIT_FIELDS)]))
        result.audits.append(plan_)
        if current is None:
            for name, column in zip(AUDIT_FIELDS[:3], AUDIT_COLUMNS[:3]):
                if name not in values:
                    read.log.error(audit.row, read.label(column), None, "required",
                                   f"{read.label(column)} is required for a new audit ({ref}).")
            plan_.new_values, plan_.dirty = values, True
            result.credit(audit.row, "audits", CREATED)
            continue
        plan_.audit_id, plan_.members = current["id"], {k: list(v) for k, v in record[3].items()}
        if record[2] == plan_.fingerprint:
            result.credit(audit.row, "audits", UNCHANGED)
            continue
        if current["site_id"] != audit.site_id:
            read.log.error(audit.row, read.label("site_ref"), None, "conflict",
                           f"Audit {ref} was imported about another site; an audit's site cannot change.")
            continue
        changes = {name: value for name, value in audit.values.items() if current[name] != value}
        if changes:
            result.audit_changes[current["id"]] = changes
        plan_.dirty = True
        result.credit(audit.row, "audits", UPDATED if changes else UNCHANGED)


def plan_findings(read: ReadRows, audits: dict[str, AuditSpec], result: FindingsPlan) -> None:
    """New findings, and the findings whose row changed (only those are read from the database)."""
    changed: list[tuple] = []
    for plan_ in result.audits:
        audit = audits[plan_.ref]
        default_date = audit.values.get("end_date") or audit.values.get("start_date")
        members = plan_.members
        for ref, (number, category, severity, description, found_on, status) in audit.findings.items():
            values = (category, severity, description, found_on or default_date)
            member = members.get(ref)
            if member is None:  # its fingerprint is taken when it is written: a dry run has no use for it
                members[ref] = [NEW, ""]
                result.new_findings.add(plan_, ref, values, status)
                plan_.dirty = True
                result.credit(number, "findings", CREATED)
                continue
            print_ = finding_fingerprint(plan_.ref, values, status)
            if member[1] == print_:
                result.credit(number, "findings", UNCHANGED)
            else:
                changed.append((plan_, ref, number, values, status, print_))
    if not changed:
        return
    ids = [plan_.members[ref][0] for plan_, ref, *_rest in changed]
    stored = {row["id"]: row for row in Finding.objects.filter(pk__in=ids).values("id", "status", *FINDING_FIELDS)}
    pending = set(CorrectiveAction.objects.filter(finding_id__in=ids, status__in=PENDING).values_list("finding_id", flat=True))
    for plan_, ref, number, values, status, print_ in changed:
        current = stored.get(plan_.members[ref][0])
        if current is None:
            continue
        if not finding_change(read, result, current, number, values, status, ref, pending):
            continue
        plan_.members[ref][1], plan_.dirty = print_, True
        result.credit(number, "findings", UPDATED)


def finding_fingerprint(audit_ref: str, values, status: str) -> str:
    """What a finding's record remembers of its row: its audit, FINDING_FIELDS' values and its status."""
    return fingerprint((audit_ref, *values, status))


def finding_change(read, result: FindingsPlan, current: dict, number: int, values: tuple, status: str, ref: str,
                   pending: set) -> bool:
    """Plan one finding's update; False (with a problem) when the rules of findings refuse it."""
    changes = {name: value for name, value in zip(FINDING_FIELDS, values) if value is not None and current[name] != value}
    if changes and current["status"] == FindingStatus.CLOSED:
        read.log.error(number, read.label("finding_ref"), ref, "not_editable",
                       "This finding is closed; a closed finding cannot be changed.")
        return False
    if status != current["status"]:
        if status == FindingStatus.OPEN:
            read.log.error(number, read.label("status"), status, "illegal_transition", "A closed finding cannot be reopened.")
            return False
        if current["id"] in pending:
            read.log.error(number, read.label("status"), status, "actions_pending",
                           "This finding's corrective actions are not all verified yet, so it cannot be closed.")
            return False
        result.closings.append(current["id"])
    if changes:
        result.finding_changes[current["id"]] = changes
    return True

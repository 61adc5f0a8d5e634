"""Audit-findings imports: an audit firm's audits and their findings, one row per finding.

Rows of the same `audit_ref` describe one audit (repeated values must agree); `finding_ref` identifies a
finding within its audit. The rules are those of the audits services (audits/services/audits.py): the firm
must be assigned to the site; standard, audit type and start date are required for a new audit, category,
severity and description for a finding; the audit ends on or after it starts; a finding's date is not in the
future (by default the audit's end, else its start); a closed finding is not edited, and a finding is closed
only when none of its corrective actions is pending. Written set-based (COPY on PostgreSQL), with the audit
history (StateChange) rows the services would have written, and a risk recomputation of the sites touched.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from audits.models import ActionStatus, Assignment, Audit, CorrectiveAction, Finding, FindingStatus, StateChange, Subject
from audits.services.risk import schedule_risk_recompute
from imports.models import ImportedRecord
from imports.services.commit import CREATED, UNCHANGED, UPDATED, Plan, Writer
from imports.services.records import SiteRefs, external_key, fingerprint, known_records
from imports.services.validation import ReadRows

AUDIT_COLUMNS = ("standard", "audit_type", "audit_start", "audit_end", "lead_auditor", "report_reference")
AUDIT_FIELDS = ("standard", "audit_type", "start_date", "end_date", "lead_auditor", "report_reference")
FINDING_FIELDS = ("category", "severity", "description", "found_on")
MAX_LENGTHS = {"audit_ref": 200, "finding_ref": 200, "lead_auditor": 200, "report_reference": 100, "description": 10_000}
PENDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)


@dataclass
class AuditSpec:
    row: int
    site_id: int | None
    values: dict = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)


class FindingsPlan(Plan):
    def __init__(self, viewer) -> None:
        super().__init__()
        self.viewer = viewer
        self.new_audits: dict[str, tuple] = {}  # ref → (site_id, values)
        self.audit_ids: dict[str, int] = {}
        self.audit_changes: dict[int, dict] = {}
        self.new_findings: list[tuple] = []  # (key, audit ref, site_id, values, status)
        self.finding_changes: dict[int, dict] = {}
        self.closings: list[int] = []
        self.new_records: list[tuple] = []  # (entity, ref, object id or (kind, key), fingerprint)
        self.record_changes: dict[int, tuple] = {}  # record id → (object id, fingerprint)
        self.site_aliases: list = []
        self.site_ids: set[int] = set()

    @property
    def records(self) -> int:
        history = len(self.new_audits) + len(self.new_findings) + len(self.closings)
        return history + sum(map(len, (self.new_audits, self.audit_changes, self.new_findings, self.finding_changes,
                                       self.new_records, self.record_changes, self.site_aliases)))

    def write(self, writer: Writer) -> None:
        org, user, now = self.viewer.organization, self.viewer.user, timezone.now()
        user_id = user.pk if user else None
        audit_ids = writer.copy(Audit, ("audit_firm_id", "site_id", *AUDIT_FIELDS, "created_by_id", "created_at", "updated_at"), [
            (org.pk, site_id, *(values[name] for name in AUDIT_FIELDS), user_id, now, now)
            for site_id, values in self.new_audits.values()
        ])
        self.audit_ids.update(zip(self.new_audits, audit_ids))
        apply(writer, Audit, self.audit_changes, now)
        finding_ids = writer.copy(Finding, (
            "audit_firm_id", "audit_id", "site_id", *FINDING_FIELDS, "status", "created_by_id", "created_at", "updated_at"
        ), [
            (org.pk, self.audit_ids[audit_ref], site_id, *(values[name] for name in FINDING_FIELDS), status, user_id, now, now)
            for _key, audit_ref, site_id, values, status in self.new_findings
        ])
        apply(writer, Finding, self.finding_changes, now)
        if self.closings:
            Finding.objects.filter(pk__in=self.closings).update(status=FindingStatus.CLOSED, updated_at=now)
        new_ids = {("audit", ref): pk for ref, pk in zip(self.new_audits, audit_ids)}
        new_ids.update({("finding", key): pk for (key, *_rest), pk in zip(self.new_findings, finding_ids)})
        write_records(writer, org, self.new_records, self.record_changes, new_ids)
        writer.create(ImportedRecord, [record for record in self.site_aliases])
        history = [(Subject.AUDIT, pk, "", "recorded") for pk in audit_ids]
        history += [(Subject.FINDING, pk, "", spec[4]) for spec, pk in zip(self.new_findings, finding_ids)]
        history += [(Subject.FINDING, pk, FindingStatus.OPEN, FindingStatus.CLOSED) for pk in self.closings]
        write_history(writer, self.viewer, history, now)
        schedule_risk_recompute(self.site_ids)


def apply(writer: Writer, model, changes: dict[int, dict], now) -> None:
    if not changes:
        return
    objects = list(model.objects.filter(pk__in=list(changes)))
    for obj in objects:
        for name, value in changes[obj.pk].items():
            setattr(obj, name, value)
        obj.updated_at = now
    writer.update(model, objects, sorted({n for change in changes.values() for n in change} | {"updated_at"}))


def write_records(writer: Writer, org, new_records: list, record_changes: dict, new_ids: dict) -> None:
    """Remember what each external reference became (new records) and its latest fingerprint (changed ones)."""
    writer.copy(ImportedRecord, ("organization_id", "entity", "ref", "object_id", "fingerprint", "job_id"), [
        (org.pk, entity, ref, object_id if isinstance(object_id, int) else new_ids[object_id], print_,
         writer.job.pk if writer.job else None)
        for entity, ref, object_id, print_ in new_records
    ])
    if record_changes:
        records = list(ImportedRecord.objects.filter(pk__in=list(record_changes)))
        for record in records:
            object_id, record.fingerprint = record_changes[record.pk]
            record.object_id = object_id if isinstance(object_id, int) else new_ids[object_id]
            record.job = writer.job
        writer.update(ImportedRecord, records, ["object_id", "fingerprint", "job"])


def write_history(writer: Writer, viewer, entries: list[tuple], now) -> None:
    """StateChange rows, as audits/services/history.record writes them one at a time."""
    org, user = viewer.organization, viewer.user
    writer.copy(StateChange, ("subject", "object_id", "from_state", "to_state", "actor_id", "actor_organization_id",
                              "actor_kind", "at"), [
        (subject, object_id, from_state, to_state, user.pk if user else None, org.pk, org.kind, now)
        for subject, object_id, from_state, to_state in entries
    ])


def plan(read: ReadRows, viewer, progress) -> FindingsPlan:
    org, log, today = viewer.organization, read.log, timezone.localdate()
    result = FindingsPlan(viewer)
    assigned = set(Assignment.objects.active().filter(audit_firm=org).values_list("site_id", flat=True))
    sites = SiteRefs(read, viewer, allowed_site_ids=assigned)
    result.site_aliases = sites.alias_records(org, None)
    audits: dict[str, AuditSpec] = {}
    findings: dict[str, tuple] = {}
    label = read.label
    for row in read.rows:
        number = row.row
        for key, limit in MAX_LENGTHS.items():
            value = getattr(row, key)
            if value is not None and len(value) > limit:
                log.error(number, label(key), value, "too_long", f"At most {limit:,} characters.")
        if row.audit_ref is None:
            continue
        site_id = sites.site_of_row.get(number)
        values = {name: getattr(row, column) for name, column in zip(AUDIT_FIELDS, AUDIT_COLUMNS)}
        if values["end_date"] and values["start_date"] and values["end_date"] < values["start_date"]:
            log.error(number, label("audit_end"), values["end_date"], "out_of_range", "The audit ends before it starts.")
        audit = audits.get(row.audit_ref)
        if audit is None:
            audit = audits[row.audit_ref] = AuditSpec(number, site_id, {k: v for k, v in values.items() if v is not None})
        else:
            merge_audit(read, audit, row, site_id, values)
        audit.rows.append(number)
        if row.finding_ref is None:
            continue
        key = external_key(row.audit_ref, row.finding_ref)
        if key in findings:
            log.error(number, label("finding_ref"), row.finding_ref, "duplicate_ref",
                      f"Row {findings[key][0]} already has finding {row.finding_ref} of audit {row.audit_ref}.")
            continue
        if row.finding_date is not None and row.finding_date > today:
            log.error(number, label("finding_date"), row.finding_date, "out_of_range", "A finding's date cannot be in the future.")
        if row.description is None:
            log.error(number, label("description"), None, "required", f"{label('description')} is required.")
        findings[key] = (number, row.audit_ref, row)
    progress.set_total(len(findings))
    plan_audits(read, audits, result)
    plan_findings(read, audits, findings, result)
    return result


def merge_audit(read: ReadRows, audit: AuditSpec, row, site_id, values: dict) -> None:
    if site_id is not None and audit.site_id is not None and site_id != audit.site_id:
        column = "os_id" if row.os_id else "site_ref"
        read.log.error(row.row, read.label(column), getattr(row, column), "conflict",
                       f"Audit {row.audit_ref} is about another site on row {audit.row}.")
    audit.site_id = audit.site_id or site_id
    for (name, value), column in zip(values.items(), AUDIT_COLUMNS):
        if value is None:
            continue
        if name not in audit.values:
            audit.values[name] = value
        elif audit.values[name] != value:
            read.log.error(row.row, read.label(column), value, "conflict",
                           f"Audit {row.audit_ref} has another {read.label(column)} on row {audit.row} ({audit.values[name]}).")


def plan_audits(read: ReadRows, audits: dict[str, AuditSpec], result: FindingsPlan) -> None:
    org = result.viewer.organization
    records = known_records(org, "audit", audits)
    stored = {
        row["id"]: row for row in
        Audit.objects.filter(audit_firm=org, pk__in=[r[1] for r in records.values()]).values("id", "site_id", *AUDIT_FIELDS)
    }
    for ref, audit in audits.items():
        record = records.get(ref)
        current = stored.get(record[1]) if record else None
        values = {"end_date": None, "lead_auditor": "", "report_reference": "", **audit.values}
        print_ = fingerprint([audit.site_id, *(values.get(name) for name in AUDIT_FIELDS)])
        if audit.site_id is None:
            continue  # its rows already carry the site's problem
        result.site_ids.add(audit.site_id)
        if current is None:
            missing = [column for name, column in zip(AUDIT_FIELDS, AUDIT_COLUMNS)
                       if name in ("standard", "audit_type", "start_date") and name not in values]
            for column in missing:
                read.log.error(audit.row, read.label(column), None, "required",
                               f"{read.label(column)} is required for a new audit ({ref}).")
            result.new_audits[ref] = (audit.site_id, values)
            remember(result, "audit", ref, record, ("audit", ref), print_)
            result.credit(audit.row, "audits", CREATED)
            continue
        result.audit_ids[ref] = current["id"]
        if record[2] == print_:
            result.credit(audit.row, "audits", UNCHANGED)
            continue
        if current["site_id"] != audit.site_id:
            read.log.error(audit.row, read.label("site_ref"), None, "conflict",
                           f"Audit {ref} was imported about another site; an audit's site cannot change.")
            continue
        changes = {name: value for name, value in audit.values.items() if current[name] != value}
        if changes:
            result.audit_changes[current["id"]] = changes
        result.record_changes[record[0]] = (current["id"], print_)
        result.credit(audit.row, "audits", UPDATED if changes else UNCHANGED)


def remember(result: Plan, entity: str, ref: str, record, object_key, print_: str) -> None:
    """A new object for `ref`: a new record, or (its object was deleted since) the old record pointed at it."""
    if record is None:
        result.new_records.append((entity, ref, object_key, print_))
    else:
        result.record_changes[record[0]] = (object_key, print_)


def plan_findings(read: ReadRows, audits: dict[str, AuditSpec], findings: dict, result: FindingsPlan) -> None:
    org = result.viewer.organization
    records = known_records(org, "finding", findings)
    object_ids = [record[1] for record in records.values()]
    stored = {row["id"]: row for row in Finding.objects.filter(audit_firm=org, pk__in=object_ids).values("id", "status", *FINDING_FIELDS)}
    pending = set(CorrectiveAction.objects.filter(finding_id__in=object_ids, status__in=PENDING).values_list("finding_id", flat=True))
    for key, (number, audit_ref, row) in findings.items():
        audit = audits[audit_ref]
        if audit.site_id is None or (audit_ref not in result.audit_ids and audit_ref not in result.new_audits):
            continue
        found_on = row.finding_date or audit.values.get("end_date") or audit.values.get("start_date")
        status = row.status or FindingStatus.OPEN
        values = {"category": row.category, "severity": row.severity, "description": row.description, "found_on": found_on}
        print_ = fingerprint([audit_ref, *values.values(), status])
        record = records.get(key)
        current = stored.get(record[1]) if record else None
        if current is None:
            result.new_findings.append((key, audit_ref, audit.site_id, values, status))
            remember(result, "finding", key, record, ("finding", key), print_)
            result.credit(number, "findings", CREATED)
            continue
        if record[2] == print_:
            result.credit(number, "findings", UNCHANGED)
            continue
        changes = {name: value for name, value in values.items() if value is not None and current[name] != value}
        if changes and current["status"] == FindingStatus.CLOSED:
            read.log.error(number, read.label("finding_ref"), row.finding_ref, "not_editable",
                           "This finding is closed; a closed finding cannot be changed.")
            continue
        if status != current["status"]:
            if status == FindingStatus.OPEN:
                read.log.error(number, read.label("status"), row.status, "illegal_transition",
                               "A closed finding cannot be reopened.")
                continue
            if current["id"] in pending:
                read.log.error(number, read.label("status"), row.status, "actions_pending",
                               "This finding's corrective actions are not all verified yet, so it cannot be closed.")
                continue
            result.closings.append(current["id"])
        if changes:
            result.finding_changes[current["id"]] = changes
        result.record_changes[record[0]] = (current["id"], print_)
        result.credit(number, "findings", UPDATED)

"""Grievance imports: a workers' organization's hotline log, one row per grievance.

The rules are those of audits/services/grievances.py: the site must be visible to the organization; category
and description are required; dates of events are not in the future; the number of workers is not negative;
the reporter's name and contact are encrypted at rest and appear nowhere else (not in problems, fingerprints
or logs). A new grievance is filed as received, with its history entry, and routed to every company whose
network holds the site; a changed row updates the grievance's facts (never its state, which the companies
and the workers' organization move through the API).
"""

import datetime

from django.utils import timezone

from audits.crypto import encrypt_json
from audits.models import Channel, Grievance, GrievanceState, Subject
from audits.services.grievances import REPORTER_LIMITS, route_grievances
from audits.services.risk import schedule_risk_recompute
from imports.models import ImportedRecord
from imports.services.commit import CREATED, UNCHANGED, UPDATED, Plan, Writer
from imports.services.copy_text import Same
from imports.services.findings import apply, write_history, write_records
from imports.services.records import SiteRefs, fingerprint, known_records
from imports.services.validation import ReadRows

FIELDS = ("site_id", "channel", "category", "description", "events_on", "workers_affected", "children_involved")
MAX_LENGTHS = {"grievance_ref": 255, "description": 10_000}


class GrievancesPlan(Plan):
    def __init__(self, viewer) -> None:
        super().__init__()
        self.viewer = viewer
        self.new_grievances: list[tuple] = []  # (ref, values, reporter, received_at, fingerprint, stored record)
        self.changes: dict[int, dict] = {}
        self.records_to_write: list[tuple] = []  # (ref, object ID, fingerprint, members, stored record)
        self.site_aliases: list = []
        self.site_ids: set[int] = set()

    @property
    def records(self) -> int:
        received = sum(1 for spec in self.new_grievances if spec[3] is not None)
        return 3 * len(self.new_grievances) + received + sum(map(len, (
            self.changes, self.records_to_write, self.site_aliases)))

    def write(self, writer: Writer) -> None:
        org, user, now = self.viewer.organization, self.viewer.user, timezone.now()
        objects = [
            Grievance(filed_by=org, created_by=user, state=GrievanceState.RECEIVED, **values,
                      reporter_ciphertext=encrypt_json(reporter) if reporter else "")
            for _ref, values, reporter, *_rest in self.new_grievances
        ]
        writer.create(Grievance, objects)
        received = [obj for obj, spec in zip(objects, self.new_grievances) if spec[3] is not None]
        for obj, spec in zip(objects, self.new_grievances):
            obj.received_at = spec[3] or obj.received_at
        writer.update(Grievance, received, ["received_at"])
        apply(writer, Grievance, self.changes, now)
        write_records(writer, org, "grievance", self.records_to_write + [
            (ref, obj.pk, print_, {}, record) for obj, (ref, _v, _r, _d, print_, record) in zip(objects, self.new_grievances)
        ])
        writer.create(ImportedRecord, self.site_aliases)
        write_history(writer, self.viewer, now.isoformat(),
                      [(Subject.GRIEVANCE, [obj.pk for obj in objects], "", Same(GrievanceState.RECEIVED))])
        route_grievances(site_ids=sorted({obj.site_id for obj in objects}))
        schedule_risk_recompute(self.site_ids)


def plan(read: ReadRows, viewer, progress) -> GrievancesPlan:
    org, log, today = viewer.organization, read.log, timezone.localdate()
    result = GrievancesPlan(viewer)
    sites = SiteRefs(read, viewer)
    result.site_aliases = sites.alias_records(org)
    rows = {}
    for row in read.rows:
        number = row.row
        for key, limit in {**MAX_LENGTHS, **REPORTER_LIMITS_BY_COLUMN}.items():
            value = getattr(row, key)
            if value is not None and len(value) > limit:
                log.error(number, read.label(key), value, "too_long", f"At most {limit:,} characters.")
        if row.events_date is not None and row.events_date > today:
            log.error(number, read.label("events_date"), row.events_date, "out_of_range", "Events cannot be in the future.")
        if row.received_on is not None and row.received_on > today:
            log.error(number, read.label("received_on"), row.received_on, "out_of_range", "A grievance cannot be received in the future.")
        if row.workers_affected is not None and row.workers_affected < 0:
            log.error(number, read.label("workers_affected"), row.workers_affected, "out_of_range", "Cannot be negative.")
        if row.grievance_ref is None:
            continue
        if row.grievance_ref in rows:
            log.error(number, read.label("grievance_ref"), row.grievance_ref, "duplicate_ref",
                      f"Row {rows[row.grievance_ref].row} already has grievance {row.grievance_ref}.")
            continue
        rows[row.grievance_ref] = row
    progress.set_total(len(rows))
    records = known_records(org, "grievance", rows)
    stored = {
        values["id"]: values
        for values in Grievance.objects.filter(filed_by=org, pk__in=[r[1] for r in records.values()]).values("id", *FIELDS)
    }
    for ref, row in rows.items():
        site_id = sites.site_of_row.get(row.row)
        if site_id is None:
            continue
        result.site_ids.add(site_id)
        values = {
            "site_id": site_id, "channel": row.channel or Channel.OTHER, "category": row.category,
            "description": row.description, "events_on": row.events_date, "workers_affected": row.workers_affected,
            "children_involved": bool(row.children_involved),
        }
        reporter = {k: v for k, v in (("name", row.reporter_name), ("contact", row.reporter_contact)) if v}
        print_ = fingerprint([*values.values(), row.received_on, reporter.get("name"), reporter.get("contact")])
        record = records.get(ref)
        current = stored.get(record[1]) if record else None
        if current is None:
            received = datetime.datetime.combine(row.received_on, datetime.time(12), datetime.UTC) if row.received_on else None
            result.new_grievances.append((ref, values, reporter, received, print_, record))
            result.credit(row.row, "grievances", CREATED)
            continue
        if record[2] == print_:
            result.credit(row.row, "grievances", UNCHANGED)
            continue
        changes = {name: value for name, value in values.items() if current[name] != value}
        if reporter:
            changes["reporter_ciphertext"] = encrypt_json(reporter)
        if changes:
            result.changes[current["id"]] = changes
        result.records_to_write.append((ref, current["id"], print_, {}, record))
        result.credit(row.row, "grievances", UPDATED)
    return result


REPORTER_LIMITS_BY_COLUMN = {f"reporter_{key}": limit for key, limit in REPORTER_LIMITS.items()}

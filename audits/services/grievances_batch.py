"""Recording grievances in bulk, for a workers' organization: a batch of rows in, a plan out (what each row files,
updates or leaves unchanged, or why it is refused), written only when the caller says so.

The rules of a grievance, stated once (the API's grievanceFile and the import of a hotline log both come here):
the site is one the organization can see (the caller names it through the tenancy chokepoint, backend/tenancy.py:
the API's lookup of the site's ID, an import's SiteRefs); dates of events and of receipt are not in the future
(a day of slack for time zones); the number of workers is not negative; texts keep within GRIEVANCE_TEXT_LIMITS;
the reporter's name and contact are encrypted at rest and appear nowhere else (not in refusals, fingerprints or
logs: a refusal names the field, never the value). A new grievance is filed as received, with its history entry,
dated as received when the row says so, and routed at filing to every company whose network holds the site; a row
naming a grievance filed before updates its facts, never its state (which the companies and the organization move
through the lifecycle operations of audits/services/grievances.py).

Rows may name their grievance by an external reference of the organization's (`ref`, remembered as an
ImportedRecord with the fingerprint of the row): a row whose fingerprint is unchanged is not compared further. A
row without `ref` is a new grievance. A row's category and description are given: the caller's reading checks
required values and choices (the API's input cleaning, an import's required columns and choice lists).

`plan_grievances` reads but never writes; `GrievancesBatch.write` writes the plan with the bulk writer.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from audits.crypto import encrypt_json
from audits.models import Channel, Grievance, GrievanceRouting, GrievanceState, Subject
from audits.services.common import in_future
from audits.services.history import HistoryGroup, write_history
from audits.services.risk import schedule_risk_recompute
from backend.batch import BatchResult, Outcome
from backend.db.copy_text import Same
from backend.db.writer import Writer
from backend.records import KnownRecord, RecordEntry, fingerprint, known_records, write_records
from backend.tenancy import Viewer
from graph.models import NetworkSite

ENTITY = "grievances"  # the entity of the batch's credits
RECORD_ENTITY = "grievance"  # the entity of a grievance's ImportedRecord
FACT_FIELDS = ("site_id", "channel", "category", "description", "events_on", "workers_affected", "children_involved")
REPORTER_LIMITS = {"name": 200, "contact": 500}
# A reference is kept as an ImportedRecord key (at most 255 characters).
GRIEVANCE_TEXT_LIMITS = {
    "ref": 255, "description": 10_000, **{f"reporter_{key}": limit for key, limit in REPORTER_LIMITS.items()},
}
RECEIVED_AT_NOON = datetime.time(12)  # a day of receipt becomes a time that is that day in every time zone near UTC


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who reported a grievance (both optional: a grievance may be anonymous)."""

    name: str | None = None
    contact: str | None = None

    def identity(self) -> dict:
        """The given parts, as they are encrypted: {"name": …, "contact": …}."""
        return {key: value for key, value in (("name", self.name), ("contact", self.contact)) if value}


@dataclass(frozen=True, slots=True)
class GrievanceRow:
    """One grievance of a batch. `index` names the row in refusals and credits (an upload's row number).

    `planned` False: the caller has refused the row already (its site, its reference); its rules are still checked,
    so that all of a row's problems are reported at once (and its reference counts as used), but it is neither
    compared nor written."""

    index: int
    site_id: int | None
    channel: str | None  # None: the row does not say how the grievance was received (filed as "other")
    category: str | None
    description: str | None
    events_on: datetime.date | None = None
    workers_affected: int | None = None
    children_involved: bool = False
    received_on: datetime.date | None = None
    reporter: Reporter = Reporter()
    ref: str | None = None
    planned: bool = True

    def facts(self) -> dict:
        """The grievance's facts, by FACT_FIELDS (what a later row may update)."""
        return {name: getattr(self, name) for name in FACT_FIELDS} | {"channel": self.channel or Channel.OTHER}

    def fingerprint(self) -> str:
        """What the row's record remembers of it: its facts, its day of receipt and its reporter (keyed: see
        backend/records.py, so nothing of the reporter can be learnt from it)."""
        reporter = self.reporter.identity()
        return fingerprint([*self.facts().values(), self.received_on, reporter.get("name"), reporter.get("contact")])


@dataclass
class NewGrievance:
    """A row that files a grievance: its fingerprint (when it has a reference) and, once written, the grievance's ID."""

    row: GrievanceRow
    fingerprint: str
    record: KnownRecord | None  # the ref's record, when the grievance it named is gone
    grievance_id: int | None = None  # once written


@dataclass
class GrievancesBatch:
    """A planned batch for one workers' organization's viewer: `result` says what each row does or why it is
    refused; `write` writes it (under ALL_OR_NOTHING, the caller writes only a batch without refusals)."""

    viewer: Viewer
    result: BatchResult = field(default_factory=BatchResult)
    new: list[NewGrievance] = field(default_factory=list)
    changes: dict[int, dict] = field(default_factory=dict)  # grievance ID → its changed facts
    records: list[RecordEntry] = field(default_factory=list)  # records of updated grievances
    site_ids: set[int] = field(default_factory=set)  # sites of every planned row, whose risk is recomputed

    @property
    def size(self) -> int:
        """Rows `write` inserts or updates, its routings aside (each new grievance with its history entry and its
        record, each changed grievance and its record), for progress."""
        named = sum(1 for new in self.new if new.row.ref is not None)
        return 2 * len(self.new) + named + len(self.changes) + len(self.records)

    def write(self, writer: Writer) -> list[int]:
        """Write everything planned in the caller's transaction; the IDs of the new grievances, in row order."""
        org, user, now = self.viewer.organization, self.viewer.user, timezone.now()
        stamp = now.isoformat()  # as text once: COPY would otherwise convert the same time for every row
        rows = [new.row for new in self.new]
        facts = [row.facts() for row in rows]
        ids = writer.copy(Grievance, {
            "filed_by_id": Same(org.pk), "created_by_id": Same(user.pk if user else None),
            "state": Same(GrievanceState.RECEIVED),
            **{name: [values[name] for values in facts] for name in FACT_FIELDS},
            "reporter_ciphertext": [ciphertext(row.reporter) for row in rows],
            "received_at": [received_at(row.received_on) or now for row in rows], "updated_at": Same(stamp),
        })
        for new, grievance_id in zip(self.new, ids):
            new.grievance_id = grievance_id
        writer.update_by_pk(Grievance, self.changes, now)
        write_records(writer, org, RECORD_ENTITY, self.records + [
            RecordEntry(new.row.ref, new.grievance_id, new.fingerprint, {}, new.record)
            for new in self.new if new.row.ref is not None
        ])
        write_history(writer, self.viewer, stamp,
                      [HistoryGroup(Subject.GRIEVANCE, ids, "", Same(GrievanceState.RECEIVED))])
        route_at_filing(writer, ids, [row.site_id for row in rows], stamp)
        schedule_risk_recompute(self.site_ids)
        return ids


def ciphertext(reporter: Reporter) -> str:
    """The reporter's identity encrypted at rest; "" for an anonymous grievance."""
    identity = reporter.identity()
    return encrypt_json(identity) if identity else ""


def received_at(day: datetime.date | None) -> datetime.datetime | None:
    return datetime.datetime.combine(day, RECEIVED_AT_NOON, datetime.UTC) if day else None


def route_at_filing(writer: Writer, grievance_ids: list[int], site_ids: list[int], stamp: str) -> None:
    """Route new grievances to every company whose network holds their site (set-based: one read of the holders)."""
    holders: dict[int, list[int]] = {}
    networks = NetworkSite.objects.filter(site_id__in=set(site_ids)).values_list("site_id", "company_id")
    for site_id, company_id in networks:
        holders.setdefault(site_id, []).append(company_id)
    pairs = [(grievance, company)
             for grievance, site in zip(grievance_ids, site_ids) for company in holders.get(site, ())]
    writer.send(writer.formatted(GrievanceRouting, {
        "grievance_id": [grievance for grievance, _company in pairs], "company_id": [company for _g, company in pairs],
        "at_filing": Same(True), "routed_at": Same(stamp),
    }))


def check(row: GrievanceRow, result: BatchResult, future: set[datetime.date]) -> None:
    """Refuse what breaks a rule of one row (all its problems, not only the first); `future` holds the batch's
    dates that are in the future."""
    index = row.index
    texts = {"ref": row.ref, "description": row.description,
             "reporter_name": row.reporter.name, "reporter_contact": row.reporter.contact}
    for name, limit in GRIEVANCE_TEXT_LIMITS.items():
        if texts[name] is not None and len(texts[name]) > limit:
            result.refuse(index, name, "too_long", f"At most {limit:,} characters.")
    if row.events_on in future:
        result.refuse(index, "events_on", "out_of_range", "Events cannot be in the future.")
    if row.received_on in future:
        result.refuse(index, "received_on", "out_of_range", "A grievance cannot be received in the future.")
    if row.workers_affected is not None and row.workers_affected < 0:
        result.refuse(index, "workers_affected", "out_of_range", "Cannot be negative.")


def plan_grievances(viewer, rows: Iterable[GrievanceRow]) -> GrievancesBatch:
    """Check every row against the rules and compare it with what is stored; nothing is written."""
    rows = list(rows)
    batch = GrievancesBatch(viewer)
    org, result = viewer.organization, batch.result
    named: dict[str, GrievanceRow] = {}
    # each distinct date asked once: a log's dates repeat, and asking for today costs more than the comparison
    future = {day for day in {row.events_on for row in rows} | {row.received_on for row in rows} if in_future(day)}
    for row in rows:
        check(row, result, future)
        if row.ref is None:
            continue
        if row.ref in named:
            first = named[row.ref].index
            result.refuse(row.index, "ref", "duplicate_ref", f"Row {first} already has grievance {row.ref}.")
            continue
        named[row.ref] = row
    records = known_records(org, RECORD_ENTITY, named)
    stored = {
        values["id"]: values for values in Grievance.objects.filter(
            filed_by=org, pk__in=[record.object_id for record in records.values()]).values("id", *FACT_FIELDS)
    }
    for row in rows:
        if not row.planned or row.site_id is None or (row.ref is not None and named.get(row.ref) is not row):
            continue
        batch.site_ids.add(row.site_id)
        record = records.get(row.ref) if row.ref is not None else None
        current = stored.get(record.object_id) if record else None
        print_ = row.fingerprint() if row.ref is not None else ""
        if current is None:
            batch.new.append(NewGrievance(row, print_, record))
            result.credit(row.index, ENTITY, Outcome.CREATED)
        elif record.fingerprint == print_:
            result.credit(row.index, ENTITY, Outcome.UNCHANGED)
        else:
            plan_update(batch, row, current, RecordEntry(row.ref, current["id"], print_, {}, record))
    return batch


def plan_update(batch: GrievancesBatch, row: GrievanceRow, current: dict, entry: RecordEntry) -> None:
    """A row naming a grievance filed before: its facts (and a reporter it gives) change; its state never does."""
    changes = {name: value for name, value in row.facts().items() if current[name] != value}
    if row.reporter.identity():
        changes["reporter_ciphertext"] = ciphertext(row.reporter)
    if changes:
        batch.changes[current["id"]] = changes
    batch.records.append(entry)
    batch.result.credit(row.index, ENTITY, Outcome.UPDATED)

"""What a planned batch of audits and findings writes (audits/services/findings_batch.py plans it), and how.

Written set-based with the bulk writer (COPY on PostgreSQL): new audits, then their findings (whose keys need
the audits' IDs), the history rows (StateChange) that audits/services/audits.py writes one at a time, the changed
audits and findings, the closings, and one ImportedRecord per audit naming it and, in `members`, each of its
findings with the fingerprint of its row.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

from audits.models import Audit, Finding, FindingStatus, Subject
from audits.services.finding_rules import AUDIT_FIELDS, FINDING_FIELDS
from audits.services.history import HistoryGroup, history_rows
from backend.batch import BatchResult
from backend.db.copy_text import Same
from backend.db.writer import Writer
from backend.records import KnownRecord, RecordEntry, fingerprint, new_records, update_records

AUDIT_ENTITY = "audit"  # the entity of an audit's ImportedRecord


class Member(NamedTuple):
    """A finding of an audit's record: its ID (None until written) and the fingerprint of its row."""

    finding_id: int | None
    fingerprint: str

    @classmethod
    def stored(cls, members: dict) -> dict[str, "Member"]:
        """A record's members as stored (finding ref → [ID, fingerprint])."""
        return {ref: cls._make(pair) for ref, pair in members.items()}


UNWRITTEN = Member(None, "")  # a new finding among its audit's members until it is written


@dataclass
class AuditPlan:
    """What happens to one audit and its record; `new_values` are those of an audit to create."""

    ref: str
    site_id: int
    record: KnownRecord | None
    audit_id: int | None = None
    new_values: dict | None = None
    fingerprint: str = ""
    members: dict[str, Member] = field(default_factory=dict)
    dirty: bool = False

    def entry(self) -> RecordEntry:
        members = {ref: list(member) for ref, member in self.members.items()}
        return RecordEntry(self.ref, self.audit_id, self.fingerprint, members, self.record)


NEW_FINDING_COLUMNS = (*FINDING_FIELDS, "status")


@dataclass
class NewFindings:
    """The findings to create: the audit each belongs to, its ref, and its values (NEW_FINDING_COLUMNS' order),
    one entry per finding in each list; `columns` turns the values around for the writer."""

    audits: list[AuditPlan] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    values: list[tuple] = field(default_factory=list)

    def add(self, audit: AuditPlan, ref: str, values: tuple) -> None:
        self.audits.append(audit)
        self.refs.append(ref)
        self.values.append(values)

    def extend(self, other: "NewFindings") -> None:
        self.audits += other.audits
        self.refs += other.refs
        self.values += other.values

    def columns(self) -> dict[str, list]:
        """The values column by column (one transposition in C rather than an append per value while planning)."""
        transposed = zip(*self.values) if self.values else [()] * len(NEW_FINDING_COLUMNS)
        return dict(zip(NEW_FINDING_COLUMNS, map(list, transposed)))


def finding_fingerprint(audit_ref: str, values, status: str) -> str:
    """What a finding's record remembers of its row: its audit, FINDING_FIELDS' values and its status."""
    return fingerprint((audit_ref, *values, status))


class FindingsBatch:
    """A planned batch for one audit firm's viewer: `result` says what each row does or why it is refused; `write`
    writes it. Batches can be joined (`absorb`) to be written together."""

    def __init__(self, viewer) -> None:
        self.viewer = viewer
        self.result = BatchResult()
        self.audits: list[AuditPlan] = []
        self.audit_changes: dict[int, dict] = {}
        self.finding_changes: dict[int, dict] = {}
        self.closings: list[int] = []
        self.new_findings = NewFindings()

    @property
    def size(self) -> int:
        """Audits and findings held, to decide when to write."""
        return len(self.audits) + len(self.new_findings.refs) + len(self.finding_changes)

    def absorb(self, other: "FindingsBatch") -> None:
        """Take over what another batch writes (an unchanged audit writes nothing); its result stays its own."""
        self.audits += [audit for audit in other.audits if audit.dirty]
        self.audit_changes.update(other.audit_changes)
        self.finding_changes.update(other.finding_changes)
        self.closings += other.closings
        self.new_findings.extend(other.new_findings)

    def touched_sites(self) -> set[int]:
        """The sites whose risk changes when the batch is written."""
        return {audit.site_id for audit in self.audits if audit.dirty}

    def write(self, writer: Writer) -> None:
        """Write everything planned; the caller's transaction holds it, and schedules the risk recompute."""
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
        writer.update_by_pk(Audit, self.audit_changes, now)
        new = self.new_findings
        columns = new.columns()
        with writer.copying(Finding, {
            "audit_firm_id": Same(org.pk), "audit_id": [audit.audit_id for audit in new.audits],
            "site_id": [audit.site_id for audit in new.audits], **columns,
            "created_by_id": Same(user_id), "created_at": Same(stamp), "updated_at": Same(stamp),
        }) as finding_ids:
            # while the server stores the findings: their fingerprints, and the text of the rows that follow them
            for audit, ref, finding_id, values in zip(new.audits, new.refs, finding_ids, new.values):
                audit.members[ref] = Member(finding_id, finding_fingerprint(audit.ref, values[:-1], values[-1]))
            entries = [audit.entry() for audit in self.audits if audit.dirty]
            later = [new_records(writer, org, AUDIT_ENTITY, entries), *history_rows(writer, self.viewer, stamp, [
                HistoryGroup(Subject.AUDIT, audit_ids, "", Same("recorded")),
                HistoryGroup(Subject.FINDING, finding_ids, "", columns["status"]),
                HistoryGroup(Subject.FINDING, self.closings, FindingStatus.OPEN, Same(FindingStatus.CLOSED)),
            ])]
        writer.update_by_pk(Finding, self.finding_changes, now)
        if self.closings:
            Finding.objects.filter(pk__in=self.closings).update(status=FindingStatus.CLOSED, updated_at=now)
        update_records(writer, entries)
        for rows in later:
            writer.send(rows)

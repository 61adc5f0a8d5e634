"""Audit-findings uploads of any size: an audit firm's audits and their findings, one row per finding, handed to
audits/services/findings_batch.py (which holds every rule of audits and findings) a bucket of audits at a time.

While validation reads the rows, `Intake` finds each row's site (SITE_CHUNK rows at a time, in file order, since
a site reference that a row teaches serves the rows after it) and spools the row to disk by its audit reference
(imports/services/spool.py): the rows of one audit share a bucket wherever they are in the file. `FindingsImport`
then plans one bucket at a time, turns the batch's refusals into problems of their rows and its credits into
the plan's outcomes, and on commit writes about WRITE_AT audits and findings at a time while no blocking problem
has been found. A problem can still be found after a first write (a finding reference repeated within an audit,
say); the commit then raises and its transaction undoes everything. Peak memory is a bucket and a batch,
whatever the size of the file.
"""

from audits.services.findings_batch import FindingRow, FindingsPlanner
from audits.services.findings_write import FindingsBatch
from audits.services.risk import schedule_risk_recompute
from audits.services.suggestions import ImportNotes
from backend.db.writer import Writer
from backend.models import ImportedRecord
from imports.models import Phase
from imports.services.plan import Plan, no_outcomes
from imports.services.site_refs import SiteRefs
from imports.services.spool import BucketSpool
from imports.services.validation import ReadRows

SITE_CHUNK = 5_000  # rows whose sites are looked up together
WRITE_AT = 10_000  # audits and findings planned before they are written together
# The batch's fields that the findings columns name otherwise (the site is the row's os_id or site_ref column).
COLUMN_OF_FIELD = {"start_date": "audit_start", "end_date": "audit_end", "found_on": "finding_date"}
ENTITY_OF_CREDIT = {"audit": "audits", "finding": "findings"}  # as the import's summary counts them


def finding_row(row, site_id: int | None) -> FindingRow:
    """The batch's row for a converted spreadsheet row and its site."""
    return FindingRow(
        row.row, row.audit_ref, row.finding_ref, site_id, row.standard, row.audit_type, row.audit_start,
        row.audit_end, row.lead_auditor, row.report_reference, row.category, row.severity, row.description,
        row.finding_date, row.status,
    )


def column_of(field: str, row) -> str:
    """The column of `row` that holds the batch's `field`."""
    if field == "site":
        return "os_id" if row.os_id else "site_ref"
    return COLUMN_OF_FIELD.get(field, field)


class Intake:
    """Takes each converted row as validation reads it (`open` gives read_rows its sink), finds its site, and
    spools it by audit reference: the rows of one audit share a bucket, whatever their place in the file."""

    def __init__(self, viewer) -> None:
        self.viewer = viewer
        self.spool = BucketSpool()
        self.waiting: list = []
        self.row_type = None
        self.suggestions = ImportNotes()

    def open(self, read: ReadRows):
        self.read = read
        self.sites = SiteRefs(read, self.viewer, rows=())
        return self.add

    def add(self, row) -> None:
        if note := self.suggestions.note(row.category, row.description):
            self.read.log.warning(row.row, self.read.label("category"), None, "suggested_category", note)
        self.waiting.append(row)
        if len(self.waiting) >= SITE_CHUNK:
            self.flush()

    def flush(self) -> None:
        """Find the waiting rows' sites (in file order: a reference taught by a row serves the rows after it)."""
        if not self.waiting:
            return
        self.row_type = type(self.waiting[0])
        self.sites.resolve(self.waiting)
        site_of_row = self.sites.site_of_row
        for row in self.waiting:
            self.spool.add(row.audit_ref, (*row, site_of_row.pop(row.row, None)))
        self.waiting = []

    def plan(self, read: ReadRows, progress) -> "FindingsImport":
        self.flush()
        aliases = self.sites.alias_records(self.viewer.organization)
        return FindingsImport(read, self.viewer, self.spool, self.row_type, aliases, progress)


class FindingsImport(Plan):
    """The upload's plan, made a bucket of audits at a time: `settle` compares and counts, `write` also writes.

    Outcomes are counted per bucket, once its rows' problems are all known (a row's problems come from
    validation and from its own bucket only), so no per-row state outlives its bucket."""

    def __init__(self, read: ReadRows, viewer, spool: BucketSpool, row_type, site_aliases: list[ImportedRecord],
                 progress) -> None:
        super().__init__()
        self.read, self.viewer, self.spool, self.row_type, self.progress = read, viewer, spool, row_type, progress
        self.site_aliases = site_aliases
        self.planner = FindingsPlanner(viewer, label=lambda field: read.label(COLUMN_OF_FIELD.get(field, field)))
        self.counts = no_outcomes()
        self.settled = False

    @property
    def records(self) -> int:
        """An estimate for progress, before the plan is made: each row's finding and its history."""
        return 2 * self.read.row_count

    def settle(self) -> None:
        self._run(None)

    def write(self, writer: Writer) -> None:
        self._run(writer)

    def outcomes(self, bad_rows: set[int]) -> dict[str, int]:
        return self.counts

    def _run(self, writer: Writer | None) -> None:
        if self.settled:
            return
        self.settled = True
        if writer is None:
            self.progress.start(Phase.PLANNING, self.read.row_count)
        touched: set[int] = set()
        batch = FindingsBatch(self.viewer)
        for items in self.spool.buckets():
            part = self._plan_bucket(items)
            if writer is None:
                self.progress.advance(len(items))
                continue
            batch.absorb(part)
            if batch.size >= WRITE_AT:
                touched |= self._write(batch, writer)
                batch = FindingsBatch(self.viewer)
        if writer is not None:
            touched |= self._write(batch, writer)
            if not self.read.log.blocking:
                schedule_risk_recompute(touched)

    def _plan_bucket(self, items: list[tuple]) -> FindingsBatch:
        """Plan one bucket's audits, and count what its rows do once their problems are known."""
        read = self.read
        # a spooled item is the row's values, then its site's ID: plain tuples pickle fastest
        spooled = [(self.row_type._make(item[:-1]), item[-1]) for item in items]
        rows = {row.row: row for row, _site_id in spooled}
        part = self.planner.plan([finding_row(row, site_id) for row, site_id in spooled])
        for refusal in part.result.refusals:
            row = rows[refusal.index]
            column = column_of(refusal.field, row)
            read.log.error(refusal.index, read.label(column), getattr(row, column), refusal.code, refusal.message)
        tally = Plan()
        for credit in part.result.credits:
            tally.credit(credit.index, ENTITY_OF_CREDIT[credit.entity], credit.outcome)
        for outcome, count in tally.outcomes(read.log.bad_rows).items():
            self.counts[outcome] += count
        for entity, counts in tally.entities.items():
            mine = self.entities.setdefault(entity, dict.fromkeys(counts, 0))
            for outcome, count in counts.items():
                mine[outcome] += count
        return part

    def _write(self, batch: FindingsBatch, writer: Writer) -> set[int]:
        """Write the batch unless a problem was found: the commit will be undone, so writing more is waste. The
        site references the upload taught are written with the first batch."""
        if self.read.log.blocking:
            return set()
        batch.write(writer)
        writer.create(ImportedRecord, self.site_aliases)
        self.site_aliases = []
        return batch.touched_sites()

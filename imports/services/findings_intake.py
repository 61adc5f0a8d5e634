"""Findings uploads of any size, planned and written without holding the upload in memory.

While validation reads the rows, `Intake` finds each row's site (SITE_CHUNK rows at a time, in file order, since
a site reference that a row teaches serves the rows after it) and spools the row to disk by its audit reference
(imports/services/spool.py): the rows of one audit share a bucket wherever they are in the file. `FindingsImport`
then plans one bucket at a time with findings.plan_rows, counts what it would do, and on commit writes about
WRITE_AT audits and findings at a time while no blocking problem has been found. A problem can still be found
after a first write (a finding reference repeated within an audit, say); the commit then raises and its
transaction undoes everything. Peak memory is a bucket and a batch, whatever the size of the file.
"""

from audits.models import Assignment
from audits.services.risk import schedule_risk_recompute
from imports.models import Phase
from imports.services.commit import Plan, Writer, no_outcomes
from imports.services.findings import FindingsPlan, plan_rows
from imports.services.records import SiteRefs
from imports.services.spool import BucketSpool
from imports.services.validation import ReadRows

SITE_CHUNK = 5_000  # rows whose sites are looked up together
WRITE_AT = 10_000  # audits and findings planned before they are written together


class Intake:
    """Takes each converted row as validation reads it (`open` gives read_rows its sink), finds its site, and
    spools it by audit reference: the rows of one audit share a bucket, whatever their place in the file."""

    def __init__(self, viewer) -> None:
        self.viewer = viewer
        self.spool = BucketSpool()
        self.waiting: list = []
        self.row_type = None

    def open(self, read: ReadRows):
        self.read = read
        assigned = set(Assignment.objects.active().filter(audit_firm=self.viewer.organization)
                       .values_list("site_id", flat=True))
        self.sites = SiteRefs(read, self.viewer, allowed_site_ids=assigned, rows=())
        return self.add

    def add(self, row) -> None:
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

    def plan(self, progress) -> "FindingsImport":
        self.flush()
        aliases = self.sites.alias_records(self.viewer.organization)
        return FindingsImport(self.read, self.viewer, self.spool, self.row_type, aliases, progress)


class FindingsImport(Plan):
    """The upload's plan, made a bucket of audits at a time: `settle` compares and counts, `write` also writes.

    Outcomes are counted per bucket, once its rows' problems are all known (a row's problems come from
    validation and from its own bucket only), so no per-row state outlives its bucket."""

    def __init__(self, read: ReadRows, viewer, spool: BucketSpool, row_type, site_aliases: list, progress) -> None:
        super().__init__()
        self.read, self.viewer, self.spool, self.row_type, self.progress = read, viewer, spool, row_type, progress
        self.site_aliases = site_aliases
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
        log, touched = self.read.log, set()
        batch = self._batch(with_aliases=True)
        for items in self.spool.buckets():
            part = FindingsPlan(self.viewer)
            plan_rows(self.read, [(self.row_type._make(item[:-1]), item[-1]) for item in items], part)
            self._count(part)
            if writer is None:
                self.progress.advance(len(items))
                continue
            batch.absorb(part)
            if batch.size >= WRITE_AT:
                touched |= self._write(batch, writer)
                batch = self._batch()
        if writer is not None:
            touched |= self._write(batch, writer)
            if not log.blocking:
                schedule_risk_recompute(touched)

    def _batch(self, with_aliases: bool = False) -> FindingsPlan:
        batch = FindingsPlan(self.viewer)
        batch.site_aliases = self.site_aliases if with_aliases else []
        return batch

    def _write(self, batch: FindingsPlan, writer: Writer) -> set[int]:
        """Write the batch unless a problem was found: the commit will be undone, so writing more is waste."""
        if self.read.log.blocking:
            return set()
        batch.write(writer)
        return batch.touched_sites()

    def _count(self, part: FindingsPlan) -> None:
        for outcome, count in part.outcomes(self.read.log.bad_rows).items():
            self.counts[outcome] += count
        for entity, counts in part.entities.items():
            mine = self.entities.setdefault(entity, dict.fromkeys(counts, 0))
            for outcome, count in counts.items():
                mine[outcome] += count

"""Grievance imports: a workers' organization's hotline log, one row per grievance.

The import reads the log (cells checked by imports/services/validation.py), finds each row's site
(imports/services/site_refs.py: by Open Supply Hub ID or a reference of the organization's), and hands the rows to
audits/services/grievances_batch.py, where the rules of grievances live; the batch's refusals become problems of
their rows and cells, its credits the plan's outcomes. A problem about a reporter's name or contact keeps no value
(imports/services/jobs.py drops the values of confidential columns).
"""

from audits.services.grievances_batch import GrievanceRow, GrievancesBatch, Reporter, plan_grievances
from audits.services.suggestions import ImportNotes
from backend.db.writer import Writer
from backend.models import ImportedRecord
from imports.services.plan import Plan
from imports.services.site_refs import SiteRefs
from imports.services.validation import ReadRows

# The column of the hotline log that holds each field of a GrievanceRow the batch may refuse.
COLUMN_OF_FIELD = {"ref": "grievance_ref", "events_on": "events_date"}


class GrievancesPlan(Plan):
    """The planned batch, and the site references the upload teaches (written with it)."""

    def __init__(self, batch: GrievancesBatch, site_aliases: list[ImportedRecord]) -> None:
        super().__init__()
        self.batch = batch
        self.site_aliases = site_aliases

    @property
    def records(self) -> int:
        return self.batch.size + len(self.site_aliases)

    def write(self, writer: Writer) -> None:
        self.batch.write(writer)
        writer.create(ImportedRecord, self.site_aliases)


def plan(read: ReadRows, viewer, progress) -> GrievancesPlan:
    """Plan the upload's grievances: every row's problems are in `read.log`, what the rest do in the plan."""
    sites = SiteRefs(read, viewer)
    suggestions = ImportNotes()
    for row in read.rows:
        if note := suggestions.note(row.category, row.description):
            read.log.warning(row.row, read.label("category"), None, "suggested_category", note)
    progress.set_total(len({row.grievance_ref for row in read.rows} - {None}))
    batch = plan_grievances(viewer, [grievance_row(row, sites.site_of_row.get(row.row)) for row in read.rows])
    by_number = {row.row: row for row in read.rows}
    for refusal in batch.result.refusals:
        row = by_number[refusal.index]
        column = column_of(refusal.field, row)
        read.log.error(refusal.index, read.label(column), getattr(row, column), refusal.code, refusal.message)
    result = GrievancesPlan(batch, sites.alias_records(viewer.organization))
    for credit in batch.result.credits:
        result.credit(credit.index, credit.entity, credit.outcome)
    return result


def grievance_row(row, site_id: int | None) -> GrievanceRow:
    """The batch's row for a row of the log; a row without a site or a reference (refused already) is only checked."""
    return GrievanceRow(
        index=row.row, site_id=site_id, channel=row.channel, category=row.category, description=row.description,
        events_on=row.events_date, workers_affected=row.workers_affected,
        children_involved=bool(row.children_involved), received_on=row.received_on,
        reporter=Reporter(row.reporter_name, row.reporter_contact), ref=row.grievance_ref,
        planned=site_id is not None and row.grievance_ref is not None,
    )


def column_of(field: str, row) -> str:
    """The column of `row` that holds the batch's `field`."""
    if field == "site_id":
        return "os_id" if row.os_id else "site_ref"
    return COLUMN_OF_FIELD.get(field, field)

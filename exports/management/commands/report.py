"""`python manage.py report remediation --org ORG [--period 2026-01-01:2026-12-31] [--supplier ID | --site ID] PATH`
`python manage.py report disclosure --framework UK_MSA --org ORG --period 2025 PATH` (disclosure_xlsx: its figures
as a workbook; `--commodity cotton` for the EU_FLR evidence pack)

Generates a report synchronously, as a worker would for `reportGenerate` (the job is stored too, so the file can
also be downloaded through the API), and writes the file to PATH. A period is FROM:TO or a calendar year. The shell acts for the organization as a whole,
like the other commands of exports: the organization must be of a kind that generates reports.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.core.exceptions import ValidationError

from backend import storage
from backend.errors import flatten_validation_error
from backend.models import Organization
from backend.permissions import Permission
from backend.tenancy import Viewer
from exports.models import DisclosureFramework, ReportScope, ReportStatus
from exports.reports import jobs, parameters


def parse_period(value: str) -> tuple[datetime.date, datetime.date]:
    """FROM:TO in ISO dates, or a year (2025: 1 January to 31 December)."""
    try:
        if value.isdigit() and len(value) == 4:
            return datetime.date(int(value), 1, 1), datetime.date(int(value), 12, 31)
        start, end = value.split(":")
        return datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    except ValueError:
        raise CommandError(f"--period must be FROM:TO in ISO dates (2026-01-01:2026-12-31) or a year (2025), "
                           f"not '{value}'.") from None


class Command(BaseCommand):
    help = "Generate a report (remediation, disclosure, disclosure_xlsx) for an organization and write it to PATH."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(jobs.OUTPUTS), help="Which report.")
        parser.add_argument("path", help="Where to write the file.")
        parser.add_argument("--org", required=True, help="Name of the organization the report is for.")
        parser.add_argument("--period", help="FROM:TO, ISO dates, or a year; default 1 January to today.")
        parser.add_argument("--framework", choices=DisclosureFramework.values, help="A disclosure's framework.")
        parser.add_argument("--commodity", help="The commodity code of an EU_FLR evidence pack.")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--supplier", type=int, help="Only this supplier's sites (its database ID).")
        scope.add_argument("--site", type=int, help="Only this site (its database ID).")

    def handle(self, kind, path, org, period=None, supplier=None, site=None, framework=None, commodity=None,
               **options):
        organization = Organization.objects.filter(name=org).first()
        if organization is None:
            raise CommandError(f"No organization named '{org}'.")
        if not Permission.GENERATE_REPORTS.admits(organization):
            raise CommandError(f"{organization.name} is a {organization.get_kind_display()}; reports are for companies.")
        viewer = Viewer(user=None, organization=organization)
        scope = ReportScope.SUPPLIER if supplier else ReportScope.SITE if site else ReportScope.COMPANY
        start, end = parse_period(period) if period else (None, None)
        try:
            checked = parameters.checked(viewer, scope, supplier or site, start, end)
            checked = parameters.with_framework(checked, kind in jobs.DISCLOSURE_KINDS, framework, commodity)
            job = jobs.create_job(viewer, kind, checked, queue=False)
        except ValidationError as error:
            raise CommandError("; ".join(item["message"] for item in flatten_validation_error(error))) from None
        job = jobs.run(job.pk)
        if job.status != ReportStatus.DONE:
            raise CommandError(f"The report failed: {job.error}")
        try:
            with open(path, "wb") as out, storage.open_plaintext(job.file) as stored:
                out.write(stored.read())
        except OSError as failed:
            raise CommandError(f"Cannot write {path}: {failed.strerror or failed}.") from None
        self.stdout.write(f"{path}: {job.get_kind_display()} of {organization.name} ({job.size:,} bytes; job {job.pk}).")

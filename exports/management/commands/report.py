"""`python manage.py report remediation --org ORG [--period 2026-01-01:2026-12-31] [--supplier ID | --site ID] PATH`

Generates a report synchronously, as a worker would for `reportGenerate` (the job is stored too, so the file can
also be downloaded through the API), and writes the PDF to PATH. The shell acts for the organization as a whole,
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
from exports.models import ReportKind, ReportScope, ReportStatus
from exports.reports import jobs, parameters


def parse_period(value: str) -> tuple[datetime.date, datetime.date]:
    try:
        start, end = value.split(":")
        return datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    except ValueError:
        raise CommandError(f"--period must be FROM:TO in ISO dates (2026-01-01:2026-12-31), not '{value}'.") from None


class Command(BaseCommand):
    help = "Generate a report (remediation) for an organization and write it to PATH."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportKind.values, help="Which report.")
        parser.add_argument("path", help="Where to write the PDF.")
        parser.add_argument("--org", required=True, help="Name of the organization the report is for.")
        parser.add_argument("--period", help="FROM:TO, ISO dates; default 1 January to today.")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--supplier", type=int, help="Only this supplier's sites (its database ID).")
        scope.add_argument("--site", type=int, help="Only this site (its database ID).")

    def handle(self, kind, path, org, period=None, supplier=None, site=None, **options):
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

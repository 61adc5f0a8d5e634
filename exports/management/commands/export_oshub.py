"""`python manage.py export_oshub --org ORG PATH`: a company's facilities as an Open Supply Hub list (CSV).

Writes what `GET /exports/oshub.csv` downloads (exports/oshub.py), ready to upload to opensupplyhub.org.
"""

from django.core.management.base import BaseCommand, CommandError

from backend.models import Organization, OrganizationKind
from backend.tenancy import Viewer
from exports.oshub import write_oshub_list


class Command(BaseCommand):
    help = "Export a company's facilities as an Open Supply Hub list (CSV)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the .csv file.")
        parser.add_argument("--org", required=True, help="Name of the company whose facilities are exported.")

    def handle(self, path, org, **options):
        company = Organization.objects.filter(name=org, kind=OrganizationKind.COMPANY).first()
        if company is None:
            raise CommandError(f"No company named '{org}'.")
        try:
            out = open(path, "w", newline="", encoding="utf-8")
        except OSError as failed:
            raise CommandError(f"Cannot write {path}: {failed.strerror or failed}.") from None
        with out:
            exported = write_oshub_list(Viewer(user=None, organization=company), out)
        self.stdout.write(f"{path}: {exported.facilities} facilities of {company.name}.")

"""`python manage.py export_network --org ORG PATH`: a company's supply network as an XLSX file.

Writes what `GET /exports/network.xlsx` downloads: the supply-map import layout, ready to edit and import again
with `import_file supply_map PATH --org ORG`.
"""

from django.core.management.base import BaseCommand, CommandError

from backend.models import Organization, OrganizationKind
from backend.tenancy import Viewer
from exports.services import write_network


class Command(BaseCommand):
    help = "Export a company's supply network as an XLSX file in the supply-map import layout."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the .xlsx file.")
        parser.add_argument("--org", required=True, help="Name of the company whose network is exported.")

    def handle(self, path, org, **options):
        company = Organization.objects.filter(name=org, kind=OrganizationKind.COMPANY).first()
        if company is None:
            raise CommandError(f"No company named '{org}'.")
        try:
            out = open(path, "wb")  # before anything is read: a wrong path fails at once
        except OSError as failed:
            raise CommandError(f"Cannot write {path}: {failed.strerror or failed}.") from None
        with out:
            exported = write_network(Viewer(user=None, organization=company), out)
        self.stdout.write(f"{path}: {exported.rows} rows, {exported.sites} sites, {exported.links} supply links of "
                          f"{company.name}.")

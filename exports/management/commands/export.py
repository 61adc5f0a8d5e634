"""`python manage.py export DATASET --org ORG [--format xlsx|csv|graphml|json] PATH`

Writes one of a company's datasets (exports/data/datasets.py: risk_register, findings, corrective_actions,
grievances, referrals, network_graph) straight to PATH, as the API's dataExportGenerate would, without storing a
job. The format is --format, else PATH's extension when the dataset comes in it, else the dataset's first. The
shell acts for the organization as a whole, like the other commands of exports.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backend.errors import flatten_validation_error
from backend.models import Organization
from backend.permissions import Permission
from backend.tenancy import Viewer
from exports.data.datasets import DATASETS, checked, write


class Command(BaseCommand):
    help = "Export a company's dataset (risk register, cases, network graph) to PATH."

    def add_arguments(self, parser):
        parser.add_argument("dataset", choices=sorted(DATASETS), help="Which dataset.")
        parser.add_argument("path", help="Where to write the file.")
        parser.add_argument("--org", required=True, help="Name of the company.")
        parser.add_argument("--format", dest="file_format", help="xlsx or csv (tables), graphml or json (graph).")

    def handle(self, dataset, path, org, file_format=None, **options):
        organization = Organization.objects.filter(name=org).first()
        if organization is None:
            raise CommandError(f"No organization named '{org}'.")
        if not Permission.GENERATE_REPORTS.admits(organization):
            raise CommandError(f"{organization.name} is a {organization.get_kind_display()}; exports are for companies.")
        extension = Path(path).suffix.lstrip(".").lower()
        formats = DATASETS[dataset].formats
        file_format = file_format or (extension if extension in formats else formats[0])
        try:
            checked(dataset, file_format)
        except ValidationError as error:
            raise CommandError("; ".join(item["message"] for item in flatten_validation_error(error))) from None
        try:
            with open(path, "wb") as out:
                count = write(Viewer(user=None, organization=organization), dataset, file_format, out)
        except OSError as failed:
            raise CommandError(f"Cannot write {path}: {failed.strerror or failed}.") from None
        unit = "nodes" if dataset == "network_graph" else "rows"
        self.stdout.write(f"{path}: {DATASETS[dataset].label} of {organization.name} as {file_format} ({count:,} {unit}).")

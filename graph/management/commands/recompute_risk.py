"""`python manage.py recompute_risk [--org NAME]`: full risk computation for one or every company."""

import time

from django.core.management.base import BaseCommand, CommandError

from backend.models import Organization, OrganizationKind
from graph.services.risk_jobs import recompute


class Command(BaseCommand):
    help = "Recompute every risk score of one company (--org) or of all companies."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Name of the company (default: all companies).")

    def handle(self, org=None, **options):
        companies = Organization.objects.filter(kind=OrganizationKind.COMPANY)
        if org:
            companies = companies.filter(name=org)
            if not companies.exists():
                raise CommandError(f"No company named '{org}'.")
        for company in companies.order_by("name"):
            start = time.perf_counter()
            run = recompute(company.pk, full=True)  # waits for a computation of the company in progress
            self.stdout.write(f"{company.name}: {run.nodes} nodes, {run.links} links, {run.iterations} iterations, "
                              f"{time.perf_counter() - start:.2f} s")

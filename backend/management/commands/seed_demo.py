"""`python manage.py seed_demo`: load the demo organizations, networks, audits and grievances (safe to run again).

The demo lives in backend/demo/: the networks are imported from the supply maps shipped in backend/demo/data/,
through the import pipeline. `--write-files` rewrites those files from the generator (backend/demo/network.py)
instead, after a change to it.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from backend.demo.evidence import load_demo_evidence
from backend.demo.files import write_demo_files
from backend.demo.loading import DEMO_PASSWORD, DemoImportFailed, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the deterministic demo: two companies with cotton and cocoa chains, an audit firm, a workers' organization."

    def add_arguments(self, parser):
        parser.add_argument("--write-files", action="store_true",
                            help="Rewrite the supply maps in backend/demo/data/ from the generator; load nothing.")

    def handle(self, write_files=False, **options):
        if write_files:
            for path in write_demo_files():
                self.stdout.write(f"Wrote {path}")
            return
        already = demo_loaded()
        try:
            with transaction.atomic():
                orgs = load_demo()
                load_demo_evidence(orgs)
        except DemoImportFailed as failure:
            raise CommandError(str(failure)) from None
        if already:
            self.stdout.write("Demo data already loaded; nothing changed.")
            return
        for org in orgs.values():
            sites = org.network_sites.count()
            links = org.supply_links.count()
            self.stdout.write(f"  {org.name} ({org.kind}): {sites} sites, {links} links")
        self.stdout.write(f"Demo loaded. Users are <org>-<role> (e.g. northwind-analyst), password '{DEMO_PASSWORD}'.")

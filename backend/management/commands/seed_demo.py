"""`python manage.py seed_demo`: load the demo organizations, networks, audits and grievances (safe to run again)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from audits.services.demo import load_demo_evidence
from graph.services.demo import DEMO_PASSWORD, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the deterministic demo: two companies with cotton and cocoa chains, an audit firm, a workers' organization."

    def handle(self, **options):
        already = demo_loaded()
        with transaction.atomic():
            orgs = load_demo()
            load_demo_evidence(orgs)
        if already:
            self.stdout.write("Demo data already loaded; nothing changed.")
            return
        for org in orgs.values():
            sites = org.network_sites.count()
            links = org.supply_links.count()
            self.stdout.write(f"  {org.name} ({org.kind}): {sites} sites, {links} links")
        self.stdout.write(f"Demo loaded. Users are <org>-<role> (e.g. northwind-analyst), password '{DEMO_PASSWORD}'.")

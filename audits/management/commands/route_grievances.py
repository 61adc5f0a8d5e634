from django.core.management.base import BaseCommand

from audits.services.grievances import route_grievances


class Command(BaseCommand):
    help = "Route every grievance that is not closed to every company now holding its site (after bulk imports)."

    def handle(self, *args, **options):
        self.stdout.write(f"{route_grievances()} new routing(s).")

"""`python manage.py create_org NAME --kind company|audit_firm|workers_org --admin EMAIL [--country XX] [--token]`

Creates an organization and its first admin, and prints the admin's one-time invitation link (also e-mailed):
the start of everything, on an empty database. With --token it also prints an API token for the admin, so that
the API can be used at once, before the invitation is accepted.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backend.accounts import people
from backend.errors import flatten_validation_error
from backend.models import OrganizationKind

FLAGS = {"name": "NAME", "kind": "--kind", "admin": "--admin", "country": "--country"}


class Command(BaseCommand):
    help = "Create an organization with its first admin; print the admin's invitation link (and an API token)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Name of the organization (unique).")
        parser.add_argument("--kind", required=True, choices=OrganizationKind.values,
                            help="company (maps its supply chain), audit_firm or workers_org.")
        parser.add_argument("--admin", required=True, metavar="EMAIL", help="E-mail address of its first admin.")
        parser.add_argument("--country", default="", help="ISO 3166-1 alpha-2 country code, e.g. IN.")
        parser.add_argument("--token", action="store_true", help="Also print an API token for the admin.")

    def handle(self, name, kind, admin, country, token, **options):
        try:
            created = people.create_organization(name, kind, admin, country=country)
        except ValidationError as error:
            raise CommandError("; ".join(
                f"{FLAGS.get(problem['field'], problem['field'])}: {problem['message']}"
                for problem in flatten_validation_error(error)
            )) from None
        org = created.organization
        self.stdout.write(f"Created {org.name} ({org.kind}) with admin {created.admin.username}.")
        self.stdout.write(f"Invitation link (works once): {created.invitation_link}")
        if token:
            _, raw = people.issue_token(None, created.admin, "create_org")
            self.stdout.write(f"API token of {created.admin.username} (shown only now): {raw}")

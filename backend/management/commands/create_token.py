"""`python manage.py create_token USERNAME [--name NAME]`: issue an API token and print it once."""

from django.core.management.base import BaseCommand, CommandError

from backend.models import ApiToken, User


class Command(BaseCommand):
    help = "Create an API bearer token for a user and print it (it is stored hashed and cannot be shown again)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="A label to recognise the token by.")

    def handle(self, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named '{username}'.")
        if user.organization_id is None:
            raise CommandError(f"User '{username}' belongs to no organization; tokens are for organization members.")
        token, raw = ApiToken.issue(user, name)
        self.stdout.write(raw)
        self.stderr.write(f"Token {token.key_prefix}… for {username} ({user.organization.name}, {user.role}). "
                          "Store it now: it will not be shown again.")

"""`python manage.py revoke_token PREFIX_OR_TOKEN`: revoke an API token."""

from django.core.management.base import BaseCommand, CommandError

from backend.models import ApiToken, hash_token


class Command(BaseCommand):
    help = "Revoke an API token, given the token itself or the prefix shown when it was created."

    def add_arguments(self, parser):
        parser.add_argument("token", help="The raw token, or its first 10 characters.")

    def handle(self, token, **options):
        matches = ApiToken.objects.active().filter(key_hash=hash_token(token)) | ApiToken.objects.active().filter(
            key_prefix=token[:10]
        )
        found = list(matches.distinct())
        if len(found) != 1:
            raise CommandError(f"{len(found)} active tokens match '{token[:10]}'; give the full token.")
        found[0].revoke()
        self.stdout.write(f"Revoked {found[0]}.")

"""`python manage.py outbox [--retry]`: the follow-up work waiting in the outbox, and why failing tasks fail."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from backend import dispatch
from backend.models import OutboxMessage


class Command(BaseCommand):
    help = ("List the outbox messages not done yet (waiting, failing, or given up after "
            f"{dispatch.MAX_ATTEMPTS} failures) with their last error; --retry makes the given-up ones due again.")

    def add_arguments(self, parser):
        parser.add_argument("--retry", action="store_true",
                            help="Make the given-up messages due again, their failures reset (after fixing the cause).")

    def handle(self, retry=False, **options):
        if retry:
            self.stdout.write(f"{dispatch.retry_given_up()} given-up message(s) are due again.")
        now = timezone.now()
        messages = list(OutboxMessage.objects.order_by("available_at", "pk"))
        for message in messages:
            self.stdout.write(f"{message}: {self.state(message, now)}")
            if message.last_error:
                self.stdout.write(f"    last error: {message.last_error}")
        self.stdout.write(f"{len(messages)} message(s) in the outbox.")

    @staticmethod
    def state(message: OutboxMessage, now) -> str:
        if message.attempts >= dispatch.MAX_ATTEMPTS:
            return f"given up after {message.attempts} failures (run with --retry once the cause is fixed)"
        if message.published_at is not None:
            return f"handed off at {message.published_at:%Y-%m-%d %H:%M:%S}"
        due = "due" if message.available_at <= now else f"due at {message.available_at:%Y-%m-%d %H:%M:%S}"
        return f"{due}, {message.attempts} failure(s) so far" if message.attempts else due

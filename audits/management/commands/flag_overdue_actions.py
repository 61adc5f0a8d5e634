from django.core.management.base import BaseCommand

from audits.services.remediation import flag_overdue_actions


class Command(BaseCommand):
    help = "Alert the owners of overdue corrective actions by e-mail (at most once per action and day)."

    def handle(self, *args, **options):
        self.stdout.write(f"{flag_overdue_actions()} overdue action(s) flagged.")

from django.core.management.base import BaseCommand
from django.db import transaction

from audits.crypto import rotate
from audits.models import Grievance


class Command(BaseCommand):
    help = "Re-encrypt grievance reporters with the first key of GRIEVANCE_ENCRYPTION_KEY (after adding a new key)."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for grievance in Grievance.objects.exclude(reporter_ciphertext="").select_for_update().only("pk", "reporter_ciphertext"):
                Grievance.objects.filter(pk=grievance.pk).update(reporter_ciphertext=rotate(grievance.reporter_ciphertext))
                count += 1
        self.stdout.write(f"{count} reporter record(s) re-encrypted.")

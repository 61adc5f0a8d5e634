from django.core.management.base import BaseCommand
from django.db import transaction

from audits.crypto import rotate
from audits.models import EvidenceFile, Grievance
from backend import storage
from imports.models import ImportJob


class Command(BaseCommand):
    help = ("Re-encrypt grievance reporters, evidence files and pending hotline-log uploads with the first key of "
            "GRIEVANCE_ENCRYPTION_KEY (after adding a new key, before dropping the old one).")

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for grievance in Grievance.objects.exclude(reporter_ciphertext="").select_for_update().only("pk", "reporter_ciphertext"):
                Grievance.objects.filter(pk=grievance.pk).update(reporter_ciphertext=rotate(grievance.reporter_ciphertext))
                count += 1
        self.stdout.write(f"{count} reporter record(s) re-encrypted.")
        files = storage.reencrypt(EvidenceFile.objects.all()) + storage.reencrypt(ImportJob.objects.all())
        self.stdout.write(f"{files} stored file(s) re-encrypted.")

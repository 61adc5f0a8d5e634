"""What each external reference of an organization stands for.

A batch of findings, grievances or sites may name its rows by the organization's own references (audit_ref,
finding_ref, grievance_ref, site_ref) instead of Tributary IDs; the domain apps that own those objects remember
here what each reference became, so that the same row sent again updates (or leaves alone) the same object.
It lives in backend, beside the organizations it belongs to, because every domain app reads it and none owns it.
"""

from django.db import models

from backend.models.accounts import Organization


class ImportedRecordQuerySet(models.QuerySet):
    def owned_by(self, organization):
        """The references an organization sent: only its own batches read or change them."""
        return self.filter(organization=organization)


class ImportedRecord(models.Model):
    """The object an organization's external reference (audit_ref, grievance_ref, site_ref…) was imported as.

    `fingerprint` is a keyed hash of the values last imported for it: a row whose values hash the same is
    unchanged and is not written again, which makes importing the same file twice a no-op. `members` holds
    the parts identified within the object, {reference: [object ID, fingerprint]}: an audit's findings, whose
    references are only unique within their audit, so that one record per audit (not per finding) is stored.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    entity = models.CharField(max_length=20)
    ref = models.CharField(max_length=255)
    object_id = models.BigIntegerField()
    fingerprint = models.CharField(max_length=32)
    members = models.JSONField(default=dict, blank=True)

    objects = ImportedRecordQuerySet.as_manager()

    class Meta:
        db_table = "imports_importedrecord"  # the table it had when imports owned it: moved without copying rows
        constraints = [
            models.UniqueConstraint(fields=["organization", "entity", "ref"], name="imported_record_unique_ref"),
        ]

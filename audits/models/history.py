"""The log of every state change: who, when, from, to. Never holds free text (so never a reporter's identity)."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from backend.models import Organization


class Subject(models.TextChoices):
    ASSIGNMENT = "assignment", "Audit assignment"
    SHARE = "share", "Share of an audit or finding"
    AUDIT = "audit", "Audit"
    FINDING = "finding", "Finding"
    GRIEVANCE = "grievance", "Grievance"
    ACTION = "action", "Corrective action"
    REFERRAL = "referral", "Referral"


SUBJECT_MODEL_NAMES = {
    Subject.ASSIGNMENT: "Assignment", Subject.SHARE: "Share", Subject.AUDIT: "Audit", Subject.FINDING: "Finding",
    Subject.GRIEVANCE: "Grievance", Subject.ACTION: "CorrectiveAction", Subject.REFERRAL: "Referral",
}


def subject_models() -> dict:
    """The model of each subject, from the app registry: the log is about every model of the app."""
    return {subject: apps.get_model("audits", name) for subject, name in SUBJECT_MODEL_NAMES.items()}


class StateChangeQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """A history entry is visible exactly when its subject is."""
        visible = Q(pk__in=[])
        for subject, model in subject_models().items():
            visible |= Q(subject=subject, object_id__in=model.objects.visible_to(viewer).values("pk"))
        return self.filter(visible)


class StateChange(models.Model):
    """One transition of one object: subject kind and ID, from → to, the actor and the time."""

    subject = models.CharField(max_length=12, choices=Subject.choices)
    object_id = models.BigIntegerField()
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    # An import writes one row per record it creates, so the actor columns carry neither an index nor a database
    # constraint (each would cost every row a write or a trigger); Django's SET_NULL still applies on deletion.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                              db_index=False, db_constraint=False)
    actor_organization = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, related_name="+",
                                           db_index=False, db_constraint=False)
    actor_kind = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = StateChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject", "object_id", "at"])]

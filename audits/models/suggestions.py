"""What a person chose when categories were suggested for a grievance or finding: the record that a suggestion never
becomes a category without a person, and the data to improve the suggester with. Holds category codes only, never
the text they were suggested for (so never a reporter's words)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from audits.taxonomy import Category
from backend.models import Organization


class SuggestionDecisionQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Only the organization whose person decided sees its decisions."""
        return self.filter(organization=viewer.organization)


class SuggestionDecision(models.Model):
    """Suggested categories shown to a person, the category they chose for a grievance or a finding, by whom, when."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    grievance = models.ForeignKey("audits.Grievance", on_delete=models.CASCADE, null=True, related_name="suggestion_decisions")
    finding = models.ForeignKey("audits.Finding", on_delete=models.CASCADE, null=True, related_name="suggestion_decisions")
    suggested = models.JSONField(help_text="The category codes suggested, best first.")
    chosen = models.CharField(max_length=40, choices=Category.choices)
    accepted = models.BooleanField(help_text="Whether the chosen category was among those suggested.")
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grievance__isnull=False, finding__isnull=True) | Q(grievance__isnull=True, finding__isnull=False),
                name="suggestion_decision_one_subject",
            )
        ]

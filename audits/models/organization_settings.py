"""What the settings of an organization (one row per organization: its grievance clock, its remediation deadlines)
have in common: they are its own business."""

from django.db import models


class OwnSettingsQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """An organization sees its own settings only."""
        return self.filter(organization=viewer.organization)

    def owned_by(self, organization):
        return self.filter(organization=organization)

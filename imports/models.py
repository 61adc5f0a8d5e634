"""Import jobs: an uploaded file, what validating it found, and what committing it did.

A job belongs to one organization and is seen by its members only (`visible_to`). Its file is kept under a
random name; the original name and the SHA-256 of the bytes are recorded, so importing the same file again is
recognised. Problems are rows (sheet, row, column, value, code, message) so that they can be paged through the
API and written into the error report. Ambiguous site matches wait in ResolutionCandidate until a person
decides; the decision is kept in ResolutionDecision, keyed by the normalized row, so that the same row in a
later upload is not asked about again.
"""

import os
import uuid

from django.conf import settings
from django.db import models

from backend.models import Organization


class Kind(models.TextChoices):
    SUPPLY_MAP = "supply_map", "Supply map (suppliers, sites, links)"
    FINDINGS = "findings", "Audit findings (audits and findings)"
    GRIEVANCES = "grievances", "Grievances (a hotline log)"


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    VALIDATING = "validating", "Reading and validating"
    REJECTED = "rejected", "The file could not be read"
    INVALID = "invalid", "Problems found: fix the file and upload it again"
    NEEDS_REVIEW = "needs_review", "Some sites need a decision before committing"
    READY = "ready", "Validated: ready to commit"
    COMMITTING = "committing", "Writing"
    COMMITTED = "committed", "Committed"
    FAILED = "failed", "Failed unexpectedly: nothing was written; it can be retried"


class Phase(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    READING = "reading", "Reading the file"
    VALIDATING = "validating", "Checking every row"
    RESOLVING = "resolving", "Matching sites with the registry"
    PLANNING = "planning", "Comparing with what is stored"
    WRITING = "writing", "Writing"
    DONE = "done", "Done"


def upload_path(instance, filename: str) -> str:
    """Uploads are stored under a random name; only the row keeps the name the user gave."""
    extension = os.path.splitext(filename)[1].lower()[:8]
    return f"imports/{uuid.uuid4().hex}{extension}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """A job is seen by the members of the organization that uploaded it, and nobody else."""
        return self.filter(organization=viewer.organization)


class ImportJob(models.Model):
    """One uploaded file of one kind, validated (dry run) and, when asked and clean, committed."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=upload_path, max_length=200)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    sheet = models.CharField(max_length=100, blank=True, help_text="Worksheet to read; empty: the first data sheet.")
    column_mapping = models.JSONField(default=dict, blank=True, help_text="Header text → column key (null: ignore).")
    commit_requested = models.BooleanField(default=False, help_text="Commit as soon as validation finds nothing wrong.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(null=True, blank=True)
    updated_count = models.PositiveIntegerField(null=True, blank=True)
    unchanged_count = models.PositiveIntegerField(null=True, blank=True)
    rejected_count = models.PositiveIntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True, help_text="What would be (or was) written, by entity.")
    error = models.TextField(blank=True, help_text="Why the job failed, when it failed unexpectedly.")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "kind", "sha256"])]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk} ({self.original_name}, {self.status})"


class JobPartQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """A job's problems and review candidates are seen with the job."""
        return self.filter(job__organization=viewer.organization)


class ImportProblem(models.Model):
    """One thing wrong with an upload: a cell, a row or the whole file (row and column empty)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    sheet = models.CharField(max_length=100, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=255, blank=True)
    value = models.TextField(blank=True)
    code = models.CharField(max_length=40)
    message = models.TextField()
    severity = models.CharField(
        max_length=10, default="error", help_text="error: the row is rejected; warning: reported, nothing rejected."
    )

    objects = JobPartQuerySet.as_manager()

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "row"])]


class ResolutionCandidate(models.Model):
    """An existing registry site that an upload's row may describe; waits for a person to decide."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="candidates")
    row = models.PositiveIntegerField(help_text="First spreadsheet row describing the uploaded site.")
    site_ref = models.CharField(max_length=100)
    row_key = models.CharField(max_length=64, help_text="SHA-256 of the normalized name, address and country.")
    name = models.CharField(max_length=300)
    address = models.CharField(max_length=500, blank=True)
    country = models.CharField(max_length=2)
    site = models.ForeignKey("graph.Site", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Similarity, 0–100 (100: same normalized name and address).")
    method = models.CharField(max_length=20, help_text="exact (several equal names) or fuzzy.")

    objects = JobPartQuerySet.as_manager()

    class Meta:
        ordering = ["row", "-score", "id"]
        constraints = [models.UniqueConstraint(fields=["job", "site_ref", "site"], name="candidate_unique")]


class ResolutionDecisionQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        return self.filter(organization=viewer.organization)


class ResolutionDecision(models.Model):
    """An organization's answer for one normalized row: this registry site, or (site empty) a new site."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    row_key = models.CharField(max_length=64)
    site = models.ForeignKey("graph.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    objects = ResolutionDecisionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "row_key"], name="decision_unique_row")]

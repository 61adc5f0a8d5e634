"""The outbox: work that must follow a committed change, kept in the database until it has been done.

A change and its message are written in one transaction, so either both are stored or neither is. After the
commit the message is published to Celery; a message whose publication failed (broker down), whose task was
lost (broker restarted, worker killed) or whose task failed is published again by `backend.dispatch.sweep`,
which beat runs every minute. A task deletes its message when it succeeds (see `backend.dispatch.DurableTask`).
"""

from django.db import models


class OutboxMessage(models.Model):
    """One task to run, with its arguments, not before `available_at`."""

    task = models.CharField(max_length=200, help_text="Celery task name, e.g. graph.tasks.recompute_company_risk.")
    args = models.JSONField(default=list, blank=True)
    available_at = models.DateTimeField(help_text="Not run before this time (a debounce or a retry's back-off).")
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last handed to the broker (or to the in-process runner)."
    )
    attempts = models.PositiveIntegerField(default=0, help_text="Runs that failed so far.")
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["available_at", "id"]
        indexes = [models.Index(fields=["available_at"], name="outbox_available")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} (message {self.pk})"

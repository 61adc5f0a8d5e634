"""Admin pages that show records and change none, and those of tokens and the outbox.

Every change to the domain goes through the API or a management command, with their permission checks and, for
grievances, findings, actions and referrals, the history of who changed what, when, from what to what. An admin
form would go around all of that, so the domain's admin pages are read-only: no add, no change, no delete. Only
Django's own permission groups stay editable (who may open which admin page is the admin's own business).
"""

from django.contrib import admin

from backend.models import ApiToken, OutboxMessage


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages only: a POST to add, change or delete is refused (403)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Who holds which token, and when it was last used; revoke with `manage.py revoke_token PREFIX`."""

    list_display = ("key_prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Work waiting to run after a commit, and why a failing task failed (the sweep retries it)."""

    list_display = ("id", "task", "available_at", "published_at", "attempts")
    list_filter = ("task",)

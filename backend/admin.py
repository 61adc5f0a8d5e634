"""Admin pages that show records and change none, and those of tokens and the outbox.

Every change to the domain goes through the API or a management command, with their permission checks and, for
grievances, findings, actions and referrals, the history of who changed what, when, from what to what. An admin
form would go around all of that, so the domain's admin pages are read-only: no add, no change, no delete. Only
Django's own permission groups stay editable (who may open which admin page is the admin's own business).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from backend.accounts import people
from backend.errors import flatten_validation_error
from backend.models import AccountEvent, ApiToken, Invitation, Organization, OutboxMessage, User


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


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    """The tenants; create one with `manage.py create_org`."""

    list_display = ("name", "kind", "country", "created_at")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    """People and their roles. Staff deactivate or reactivate them with the actions, which go through the same
    service as the API (the last-admin rule, the history); everything else is done by the organization's admins."""

    list_display = ("username", "organization", "role", "is_active", "last_login", "date_joined")
    list_filter = ("organization__kind", "role", "is_active")
    search_fields = ("username", "email", "organization__name")
    exclude = ("password",)
    actions = ("deactivate_members", "reactivate_members")

    @admin.action(description="Deactivate the selected people (their tokens stop working at once)")
    def deactivate_members(self, request, queryset):
        self.apply(request, queryset, people.deactivate)

    @admin.action(description="Reactivate the selected people")
    def reactivate_members(self, request, queryset):
        self.apply(request, queryset, people.reactivate)

    def apply(self, request, queryset, change) -> None:
        """Apply a people service to each selected organization member, reporting each refusal by name; the
        history names the staff member as the actor."""
        for user in queryset.filter(organization__isnull=False):
            try:
                change(request.user, user)
            except ValidationError as error:
                for problem in flatten_validation_error(error):
                    self.message_user(request, f"{user.username}: {problem['message']}", messages.ERROR)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitation links sent (their keys are stored hashed: a lost link is replaced by inviting again)."""

    list_display = ("user", "organization", "created_at", "expires_at", "accepted_at", "withdrawn_at")
    exclude = ("key_hash",)


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    """The history of every change to organizations' people and tokens."""

    list_display = ("at", "organization", "kind", "actor", "subject")
    list_filter = ("kind",)

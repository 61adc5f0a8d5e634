"""Organizations, their users and roles, API tokens, invitations and the history of changes to people."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone


class OrganizationKind(models.TextChoices):
    COMPANY = "company", "Company (buyer mapping its supply chain)"
    AUDIT_FIRM = "audit_firm", "Audit firm"
    WORKERS_ORG = "workers_org", "Workers' organization"


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    ANALYST = "analyst", "Analyst"
    VIEWER = "viewer", "Viewer (read only)"


ROLE_RANK = {Role.VIEWER: 0, Role.ANALYST: 1, Role.ADMIN: 2}


class Organization(models.Model):
    """A tenant: a buying company, an audit firm or a workers' organization."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganizationKind.choices)
    country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def is_company(self) -> bool:
        return self.kind == OrganizationKind.COMPANY


class UserQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """A member sees the people of their own organization."""
        return self.filter(organization=viewer.organization)

    def owned_by(self, organization):
        return self.filter(organization=organization)


class AccountUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user, create_superuser) with the tenancy rules of UserQuerySet."""


class User(AbstractUser):
    """A person who belongs to exactly one organization, with one role in it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="users", null=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    objects = AccountUserManager()

    def has_role(self, minimum: str) -> bool:
        """True when the user's role ranks at least `minimum` (viewer < analyst < admin)."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(minimum)]


def hash_token(raw: str) -> str:
    """SHA-256 of a token: tokens are long random strings, so a fast unsalted hash is safe to store."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, viewer):
        """An admin sees the tokens of their organization's people (to list and revoke them), anyone else their own."""
        tokens = self.filter(user__organization=viewer.organization)
        return tokens if viewer.user.has_role(Role.ADMIN) else tokens.filter(user=viewer.user)

    def owned_by(self, organization):
        return self.filter(user__organization=organization)


class ApiToken(models.Model):
    """A bearer token. Only its hash is stored; the token itself is shown once, when it is created."""

    PREFIX = "trb_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_prefix = models.CharField(max_length=12, help_text="First characters of the token, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.name})"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """Create a token for `user`; return the stored row and the raw token (never stored)."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_prefix=raw[:10], key_hash=hash_token(raw))
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        """The active user owning this raw token, or None."""
        token = cls.objects.active().select_related("user").filter(key_hash=hash_token(raw)).first()
        if token is None or not token.user.is_active:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        """Invitations that can still be accepted: neither accepted, withdrawn nor expired."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now or timezone.now())

    def visible_to(self, viewer):
        return self.filter(organization=viewer.organization)

    def owned_by(self, organization):
        return self.filter(organization=organization)


class Invitation(models.Model):
    """A single-use link that lets an invited person set their name and password. Only the key's hash is stored,
    as for API tokens; the link is shown (and e-mailed) once."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="invitations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a newer invitation replaces it or its person is deactivated."
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation of {self.user.email} to {self.organization.name}"


class AccountEventKind(models.TextChoices):
    ORGANIZATION_CREATED = "organization_created", "Organization created"
    MEMBER_INVITED = "member_invited", "Member invited"
    INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
    ROLE_CHANGED = "role_changed", "Role changed"
    MEMBER_DEACTIVATED = "member_deactivated", "Member deactivated"
    MEMBER_REACTIVATED = "member_reactivated", "Member reactivated"
    TOKEN_ISSUED = "token_issued", "API token issued"
    TOKEN_REVOKED = "token_revoked", "API token revoked"


class AccountEventQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """An admin sees their organization's whole history, anyone else the changes made to themselves."""
        events = self.filter(organization=viewer.organization)
        return events if viewer.user.has_role(Role.ADMIN) else events.filter(subject=viewer.user)

    def owned_by(self, organization):
        return self.filter(organization=organization)


class AccountEvent(models.Model):
    """One change to an organization's people or tokens: who did it (null: a management command), when, to whom,
    and what (`detail`, e.g. the old and new role). Written in the transaction of the change, never edited."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="account_events")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=30, choices=AccountEventKind.choices)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AccountEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.organization.name} at {self.at:%Y-%m-%d %H:%M}"

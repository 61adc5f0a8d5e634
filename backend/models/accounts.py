"""Organizations, their users and roles, and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
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


class User(AbstractUser):
    """A person who belongs to exactly one organization, with one role in it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="users", null=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    def has_role(self, minimum: str) -> bool:
        """True when the user's role ranks at least `minimum` (viewer < analyst < admin)."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(minimum)]


def hash_token(raw: str) -> str:
    """SHA-256 of a token: tokens are long random strings, so a fast unsalted hash is safe to store."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


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

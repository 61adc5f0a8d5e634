"""Models of the project itself: organizations, users and tokens (accounts.py), and the outbox of work that must
follow a committed change (outbox.py)."""

from backend.models.accounts import (
    ROLE_RANK,
    ApiToken,
    ApiTokenQuerySet,
    Organization,
    OrganizationKind,
    Role,
    User,
    hash_token,
)
from backend.models.outbox import OutboxMessage

__all__ = [
    "ROLE_RANK", "ApiToken", "ApiTokenQuerySet", "Organization", "OrganizationKind", "OutboxMessage", "Role", "User",
    "hash_token",
]

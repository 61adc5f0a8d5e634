"""Models of the project itself: organizations, users and tokens (accounts.py), the outbox of work that must
follow a committed change (outbox.py), and what organizations' external references stand for (records.py)."""

from backend.models.accounts import (
    ROLE_RANK,
    AccountEvent,
    AccountEventKind,
    ApiToken,
    ApiTokenQuerySet,
    Invitation,
    Organization,
    OrganizationKind,
    Role,
    User,
    hash_token,
)
from backend.models.outbox import OutboxMessage
from backend.models.records import ImportedRecord, ImportedRecordQuerySet

__all__ = [
    "ROLE_RANK", "AccountEvent", "AccountEventKind", "ApiToken", "ApiTokenQuerySet", "ImportedRecord", "ImportedRecordQuerySet", "Invitation", "Organization", "OrganizationKind", "OutboxMessage", "Role", "User",
    "hash_token",
]

"""Invitation links: single-use, expiring, stored as a hash like API tokens, e-mailed through the outbox.

Accepting one sets the person's name and password (checked by Django's password validators) and activates them.
The link's lifetime is settings.INVITATION_MAX_AGE_DAYS; its address starts with settings.PUBLIC_BASE_URL.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from backend import dispatch
from backend.accounts import history
from backend.errors import field_error
from backend.models import AccountEventKind, Invitation, User, hash_token

SEND_TASK = "backend.accounts.tasks.send_invitation"


@dataclass(frozen=True)
class IssuedInvitation:
    """A stored invitation and its link, which holds the only copy of the raw key."""

    invitation: Invitation
    link: str


def link_for(raw: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("invitation", args=[raw])


def issue(user: User, invited_by: User | None) -> IssuedInvitation:
    """A new invitation for `user` (replacing any open one) and its e-mail, handed off after the commit.

    The outbox message carries the link, since only the link holds the key; it is deleted once the mail is sent.
    """
    now = timezone.now()
    user.invitations.open(now).update(withdrawn_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=user.organization, user=user, invited_by=invited_by, key_hash=hash_token(raw),
        created_at=now, expires_at=now + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    link = link_for(raw)
    dispatch.send(SEND_TASK, invitation.pk, link)
    return IssuedInvitation(invitation=invitation, link=link)


def withdraw_open(user: User) -> None:
    """Withdraw the person's open invitations (they were deactivated: the link must not let them back in)."""
    now = timezone.now()
    user.invitations.open(now).update(withdrawn_at=now)


def find_open(raw: str, lock: bool = False) -> Invitation:
    """The open invitation of a raw key (its row locked when `lock`); a ValidationError on `token` coded
    `not_found`, `used` or `expired` otherwise."""
    invitations = Invitation.objects.select_related("user", "organization")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(key_hash=hash_token(raw)).first()
    if invitation is None:
        raise field_error("token", "This invitation link is not valid.", "not_found")
    if invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise field_error("token", "This invitation link has already been used or was replaced by a newer one.",
                          "used")
    if invitation.expires_at <= timezone.now():
        raise field_error("token", "This invitation link has expired; ask your organization's admin for a new one.",
                          "expired")
    return invitation


def accept(raw: str, password: str, name: str) -> User:
    """Accept an invitation: set the person's name and password and activate them, once.

    The invitation row is locked, so the same link posted twice at once is accepted by one request only.
    """
    with transaction.atomic():
        invitation = find_open(raw, lock=True)
        user = invitation.user
        name = name.strip()
        if not name:
            raise field_error("name", "Enter your name.", "required")
        if len(name) > 150:
            raise field_error("name", f"A name has at most 150 characters, got {len(name)}.", "invalid")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.error_list}) from None
        user.first_name, user.last_name = split_name(name)
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["first_name", "last_name", "password", "is_active"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        history.record(invitation.organization, AccountEventKind.INVITATION_ACCEPTED, actor=user, subject=user)
        return user


def split_name(name: str) -> tuple[str, str]:
    """'Ana Maria Silva' → ('Ana Maria', 'Silva'): Django's user keeps first and last names apart."""
    first, _, last = name.rpartition(" ")
    return (first, last) if first else (last, "")

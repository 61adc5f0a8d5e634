"""Operations on an organization and its people: what GraphQL, the admin site and the commands all call.

`actor` is who makes the change: the Viewer of an organization admin, already checked for
Permission.MANAGE_PEOPLE by the caller (GraphQL); a staff User (the admin site); None for a management command. Every change writes an AccountEvent (history.py) in its transaction.

The last-admin rule: an organization keeps at least one active admin. A change to a member locks their
organization's row first (`locked`), so changes to one organization's people run one after the other: of two
concurrent requests demoting the last two admins, the second waits for the first to commit, then counts one admin
left and is refused. Locking the organization, rather than its admins' rows one by one, cannot deadlock.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts import history, invitations
from backend.errors import field_error
from backend.models import AccountEventKind, ApiToken, Organization, OrganizationKind, Role, User
from backend.tenancy import Viewer


@dataclass(frozen=True)
class CreatedOrganization:
    """A new organization, its first admin and the link with which the admin sets a password."""

    organization: Organization
    admin: User
    invitation_link: str


Actor = Viewer | User | None


def actor_user(actor: Actor) -> User | None:
    """The user to record as having made a change."""
    return actor.user if isinstance(actor, Viewer) else actor


def normalized_email(email: str, field: str = "email") -> str:
    """The address, trimmed and lower-cased (it is also the login name), or an error naming it."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise field_error(field, f"'{email}' is not a valid e-mail address.", "invalid_email") from None
    return email


def create_organization(name: str, kind: str, admin_email: str, country: str = "") -> CreatedOrganization:
    """Create an organization with its first admin, active at once (so that an operator can issue them a token)
    but without a password until they accept the invitation."""
    name = (name or "").strip()
    if not name:
        raise field_error("name", "An organization needs a name.", "required")
    if kind not in OrganizationKind.values:
        raise field_error("kind", f"Unknown kind '{kind}'; one of {', '.join(OrganizationKind.values)}.", "invalid")
    country = (country or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise field_error("country", f"'{country}' is not an ISO 3166-1 alpha-2 country code.", "invalid")
    email = normalized_email(admin_email, "admin")
    with transaction.atomic():
        if Organization.objects.filter(name__iexact=name).exists():
            raise field_error("name", f"An organization named '{name}' already exists.", "duplicate")
        if User.objects.filter(username=email).exists():
            raise field_error("admin", f"'{email}' already has an account.", "email_taken")
        try:
            organization = Organization.objects.create(name=name, kind=kind, country=country)
        except IntegrityError:  # created by a concurrent command between the check and here
            raise field_error("name", f"An organization named '{name}' already exists.", "duplicate") from None
        admin = new_member(organization, email, Role.ADMIN, active=True)
        history.record(organization, AccountEventKind.ORGANIZATION_CREATED, actor=None, subject=admin,
                       name=name, kind=kind)
        issued = invitations.issue(admin, invited_by=None)
        history.record(organization, AccountEventKind.MEMBER_INVITED, actor=None, subject=admin, role=Role.ADMIN)
    return CreatedOrganization(organization=organization, admin=admin, invitation_link=issued.link)


def new_member(organization: Organization, email: str, role: str, active: bool) -> User:
    user = User(username=email, email=email, organization=organization, role=role, is_active=active)
    user.set_unusable_password()
    user.save()
    return user


def invite(actor: Viewer, email: str, role: str) -> invitations.IssuedInvitation:
    """Invite a person into the actor's organization with a role; they are inactive until they accept.

    Inviting again someone who has not accepted yet sends a new link (the old one stops working) with the new role.
    """
    email = normalized_email(email)
    role = checked_role(role)
    organization = actor.organization
    with transaction.atomic():
        lock_people_of(organization.pk)
        existing = User.objects.filter(username=email).first()
        if existing is None:
            user = new_member(organization, email, role, active=False)
        elif existing.organization_id != organization.pk:
            raise field_error("email", f"'{email}' already has an account.", "email_taken")
        elif existing.has_usable_password():
            raise field_error("email", f"'{email}' is already a member of {organization.name}.", "already_member")
        else:  # invited before and not accepted yet: a new link, with the role asked for now
            user = existing
            guard_last_admin(user, role=role)
            user.role = role
            user.save(update_fields=["role"])
        issued = invitations.issue(user, invited_by=actor.user)
        history.record(organization, AccountEventKind.MEMBER_INVITED, actor=actor.user, subject=user, role=role)
    return issued


def checked_role(role: str) -> str:
    if role not in Role.values:
        raise field_error("role", f"Unknown role '{role}'; one of {', '.join(Role.values)}.", "invalid")
    return role


def change_role(actor: Actor, member: User, role: str) -> User:
    """Give a member another role; the last active admin cannot be demoted."""
    role = checked_role(role)
    with transaction.atomic():
        member = locked(member)
        if member.role == role:
            return member
        guard_last_admin(member, role=role)
        old_role, member.role = member.role, role
        member.save(update_fields=["role"])
        history.record(member.organization, AccountEventKind.ROLE_CHANGED, actor=actor_user(actor), subject=member,
                       old_role=old_role, new_role=role)
    return member


def deactivate(actor: Actor, member: User) -> User:
    """Deactivate a member: their tokens stop working at once (ApiToken.authenticate checks is_active), their
    session on the next request, and any open invitation is withdrawn. The last active admin cannot be."""
    with transaction.atomic():
        member = locked(member)
        if not member.is_active and not member.invitations.open().exists():
            return member
        guard_last_admin(member, active=False)
        member.is_active = False
        member.save(update_fields=["is_active"])
        invitations.withdraw_open(member)
        history.record(member.organization, AccountEventKind.MEMBER_DEACTIVATED, actor=actor_user(actor),
                       subject=member)
    return member


def reactivate(actor: Actor, member: User) -> User:
    """Let a deactivated member back in with their password and tokens; someone who never accepted an
    invitation is invited again instead (inviteMember)."""
    with transaction.atomic():
        member = locked(member)
        if member.is_active:
            return member
        if not member.has_usable_password():
            raise field_error("id", f"{member.email} never accepted an invitation; invite them again instead.",
                              "invitation_pending")
        member.is_active = True
        member.save(update_fields=["is_active"])
        history.record(member.organization, AccountEventKind.MEMBER_REACTIVATED, actor=actor_user(actor),
                       subject=member)
    return member


def locked(member: User) -> User:
    """The member read again after locking their organization's row for the rest of the transaction: the
    organization's people are then as the last committed change left them, and stay so until this one commits."""
    lock_people_of(member.organization_id)
    return User.objects.select_related("organization").get(pk=member.pk)


def lock_people_of(organization_id: int) -> None:
    """Lock an organization's row until the transaction ends: changes to its people then run one at a time."""
    Organization.objects.select_for_update().filter(pk=organization_id).first()


def guard_last_admin(member: User, role: str | None = None, active: bool = True) -> None:
    """Refuse a change that would leave the member's organization without an active admin (call under `locked`)."""
    stays_admin = active and (role or member.role) == Role.ADMIN
    if stays_admin or not (member.is_active and member.role == Role.ADMIN):
        return
    if not member.organization.users.filter(role=Role.ADMIN, is_active=True).exclude(pk=member.pk).exists():
        raise field_error(
            "id", f"{member.email or member.username} is the last active admin of {member.organization.name}; "
            "make someone else admin first.", "last_admin",
        )


def revoke_token(actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke an API token of the organization: it stops working at once. Revoking twice changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update(of=("self",)).select_related("user__organization").get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        history.record(token.user.organization, AccountEventKind.TOKEN_REVOKED, actor=actor_user(actor),
                       subject=token.user, token=token.key_prefix, name=token.name)
    return token


def issue_token(actor: Actor, member: User, name: str) -> tuple[ApiToken, str]:
    """Issue an API token for a member (the raw token is returned once, never stored) and record it."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise field_error("name", f"A token's name has 1 to 100 characters, got {len(name)}.", "invalid")
    if not member.is_active:
        raise field_error("id", f"{member.email} is deactivated; reactivate them first.", "inactive")
    token, raw = ApiToken.issue(member, name)
    history.record(member.organization, AccountEventKind.TOKEN_ISSUED, actor=actor_user(actor), subject=member,
                   token=token.key_prefix, name=name)
    return token, raw

"""The history of an organization's people: every change writes one AccountEvent in the change's transaction."""

from backend.models import AccountEvent, Organization, User


def record(organization: Organization, event: str, actor: User | None, subject: User | None = None,
           **detail) -> AccountEvent:
    """Log one change of kind `event` (AccountEventKind), with `detail` saying what changed; `actor` None means a
    management command (an operator on the server)."""
    return AccountEvent.objects.create(organization=organization, kind=event, actor=actor, subject=subject,
                                       detail=detail)

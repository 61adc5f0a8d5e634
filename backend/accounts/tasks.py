"""The invitation e-mail, sent after the invitation's commit through the outbox (backend/dispatch.py)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from backend.dispatch import DurableTask
from backend.models import Invitation


@shared_task(base=DurableTask, acks_late=True)
def send_invitation(invitation_id: int, link: str) -> bool:
    """E-mail the link to the invited person, unless the invitation is no longer open (replaced, withdrawn,
    accepted): a message delivered twice sends at most a duplicate of a still valid link."""
    invitation = Invitation.objects.open().select_related("user", "organization").filter(pk=invitation_id).first()
    if invitation is None:
        return False
    days = settings.INVITATION_MAX_AGE_DAYS
    send_mail(
        subject=f"You are invited to {invitation.organization.name} on Tributary",
        message=(
            f"You have been invited to join {invitation.organization.name} on Tributary.\n\n"
            f"Open this link to choose your password (it works once, for {days} days):\n{link}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.user.email],
    )
    return True

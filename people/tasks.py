"""Celery tasks for people: they take ids, load, and call the email module; safe to run twice."""

import logging

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from csweek.emails import TRANSIENT_EMAIL_ERRORS, send_email
from people.models import Invitation

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": TRANSIENT_EMAIL_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


@shared_task(name="people.send_invitations", **RETRY)
def send_invitations(invitation_ids: list[int]) -> int:
    """Email each invitation once; an invitation already sent, used or expired is skipped."""
    sent = 0
    for invitation_id in invitation_ids:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("user", "invited_by")
                .filter(pk=invitation_id, sent_at__isnull=True, accepted_at__isnull=True)
                .first()
            )
            if invitation is None or invitation.is_expired:
                continue
            send_email(
                to=[invitation.user.email],
                template="invitation",
                context={
                    "invitation": invitation,
                    "person": invitation.user,
                    "invited_by": invitation.invited_by,
                    "accept_path": reverse("people:invitation_accept", args=[invitation.token]),
                },
            )
            invitation.sent_at = timezone.now()
            invitation.save(update_fields=["sent_at"])
            sent += 1
    logger.info("invitations sent", extra={"count": sent})
    return sent


@shared_task(name="people.send_account_email", **RETRY)
def send_account_email(message: dict) -> None:
    """Send an account email (password reset, address confirmation) rendered by allauth."""
    from django.core.mail import EmailMultiAlternatives

    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["text"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message.get("headers") or {},
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    email.send()

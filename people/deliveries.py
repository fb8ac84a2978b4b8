"""Email kinds of people: invitations and allauth's account emails (both transactional)."""

from django.urls import reverse
from django.utils import timezone

from outbox.kinds import Kind, register
from people.models import Invitation


def invitation_context(delivery) -> dict | None:
    """The invitation as it is now: one already accepted, expired or sent is not sent again."""
    invitation = delivery.about
    if invitation is None or invitation.accepted_at is not None or invitation.is_expired:
        return None
    if invitation.sent_at is not None:
        return None
    return {
        "invitation": invitation,
        "person": delivery.recipient,
        "invited_by": invitation.invited_by,
        "accept_path": reverse("people:invitation_accept", args=[invitation.token]),
    }


def invitation_sent(delivery) -> None:
    Invitation.objects.filter(pk=delivery.object_id, sent_at__isnull=True).update(sent_at=timezone.now())


def account_context(delivery) -> dict | None:
    """allauth rendered the message while the request was at hand; it is kept on the row until sent."""
    payload = delivery.payload
    if not payload:
        return None
    return {
        "subject": payload["subject"],
        "text": payload["text"],
        "html": payload.get("html", ""),
        "from_email": payload.get("from_email"),
        "headers": payload.get("headers") or {},
    }


INVITATION = register(
    Kind(name="invitation", label="Invitations", context=invitation_context, after_send=invitation_sent)
)
ACCOUNT = register(Kind(name="account", label="Account emails", context=account_context))

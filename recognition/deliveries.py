"""Email kinds of recognition: nomination notices, decisions, awards, open windows, digests, announcements.

Every context builder reads the data again when the email is sent, so an email about something
that changed since (a withdrawn nomination, a window moved, nothing left to review) is skipped.
"""

from django.urls import reverse

from outbox.kinds import Kind, register
from recognition import selectors
from recognition.models import Nomination


def _nomination(delivery) -> Nomination | None:
    return selectors.nomination_with_people(pk=delivery.object_id)


def nomination_submitted_context(delivery) -> dict | None:
    """To a manager of the nominee; not once the nomination is withdrawn or reviewed."""
    nomination = _nomination(delivery)
    if nomination is None or nomination.status != Nomination.Status.SUBMITTED:
        return None
    return {
        "nomination": nomination,
        "manager": delivery.recipient,
        "review_path": reverse("recognition:review"),
    }


def nomination_decided_context(delivery) -> dict | None:
    """To the nominator, with the reviewer's comment; the occurrence is the decision it tells of."""
    nomination = _nomination(delivery)
    if nomination is None or not nomination.is_decided or nomination.status != delivery.occurrence:
        return None
    return {"nomination": nomination, "person": delivery.recipient, "mine_path": reverse("recognition:mine")}


def award_received_context(delivery) -> dict | None:
    """To the nominee of an approved nomination (the template never names an anonymous nominator)."""
    nomination = _nomination(delivery)
    if nomination is None or not nomination.is_award:
        return None
    return {
        "nomination": nomination,
        "person": delivery.recipient,
        "wall_path": reverse("recognition:wall") + f"?week={nomination.week.year}",
    }


NOMINATION_SUBMITTED = register(
    Kind(
        name="nomination_submitted",
        label="Nominations and awards: to review",
        context=nomination_submitted_context,
        preference="email_recognition",
    )
)
NOMINATION_DECIDED = register(
    Kind(
        name="nomination_decided",
        label="Nominations and awards: decisions",
        context=nomination_decided_context,
        preference="email_recognition",
    )
)
AWARD_RECEIVED = register(
    Kind(
        name="award_received",
        label="Nominations and awards: my awards",
        context=award_received_context,
        preference="email_recognition",
    )
)

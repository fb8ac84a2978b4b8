"""Celery tasks for recognition emails: one task per kind of email, each taking a nomination id."""

import logging

from celery import shared_task
from django.urls import reverse

from csweek.emails import RETRY, send_email
from recognition import permissions
from recognition.models import Nomination

logger = logging.getLogger(__name__)


def _load(nomination_id: int) -> Nomination | None:
    return (
        Nomination.objects.select_related(
            "nominator", "nominee", "nominee__team", "category", "week", "reviewed_by"
        )
        .filter(pk=nomination_id)
        .first()
    )


@shared_task(name="recognition.send_nomination_submitted", **RETRY)
def send_nomination_submitted(nomination_id: int) -> int:
    """Tell the nominee's managers that one of their people was nominated; returns emails sent."""
    nomination = _load(nomination_id)
    if nomination is None or nomination.status != Nomination.Status.SUBMITTED:
        return 0
    managers = [m for m in permissions.managers_of(nomination.nominee) if m.pk != nomination.nominator_id]
    for manager in managers:
        send_email(
            to=[manager.email],
            template="nomination_submitted",
            context={
                "nomination": nomination,
                "manager": manager,
                "review_path": reverse("recognition:review"),
            },
        )
    logger.info("nomination submitted emails", extra={"nomination": nomination_id, "count": len(managers)})
    return len(managers)


@shared_task(name="recognition.send_nomination_decided", **RETRY)
def send_nomination_decided(nomination_id: int) -> int:
    """Tell the nominator whether their nomination was approved or declined, with the comment."""
    nomination = _load(nomination_id)
    if nomination is None or not nomination.is_decided or not nomination.nominator.email_recognition:
        return 0
    send_email(
        to=[nomination.nominator.email],
        template="nomination_decided",
        context={
            "nomination": nomination,
            "person": nomination.nominator,
            "mine_path": reverse("recognition:mine"),
        },
    )
    return 1


@shared_task(name="recognition.send_award_received", **RETRY)
def send_award_received(nomination_id: int) -> int:
    """Tell the nominee about their award (never naming an anonymous nominator)."""
    nomination = _load(nomination_id)
    if nomination is None or not nomination.is_award or not nomination.nominee.email_recognition:
        return 0
    send_email(
        to=[nomination.nominee.email],
        template="award_received",
        context={
            "nomination": nomination,
            "person": nomination.nominee,
            "wall_path": reverse("recognition:wall") + f"?week={nomination.week.year}",
        },
    )
    return 1

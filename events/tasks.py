"""Celery tasks for events: they take ids, load, and call the email module; safe to run twice."""

import logging

from celery import shared_task
from django.urls import reverse

from csweek.emails import TRANSIENT_EMAIL_ERRORS, send_email
from events.models import Activity, Registration
from people.models import User

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": TRANSIENT_EMAIL_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


@shared_task(name="events.send_waitlist_promotion", **RETRY)
def send_waitlist_promotion(registration_id: int) -> bool:
    """Tell someone their waitlisted place is now confirmed (skipped if it no longer is)."""
    registration = (
        Registration.objects.select_related("user", "activity__week", "activity__host")
        .filter(pk=registration_id, status=Registration.Status.CONFIRMED)
        .first()
    )
    if registration is None or registration.activity.is_cancelled:
        return False
    send_email(
        to=[registration.user.email],
        template="waitlist_promoted",
        context={
            "person": registration.user,
            "activity": registration.activity,
            "activity_path": reverse("events:activity_detail", args=[registration.activity_id]),
            "ics_path": reverse("events:activity_ics", args=[registration.activity_id]),
        },
    )
    return True


@shared_task(name="events.send_activity_cancelled", **RETRY)
def send_activity_cancelled(activity_id: int, user_ids: list[int]) -> int:
    """Tell everyone who had signed up that the activity is cancelled."""
    activity = Activity.objects.select_related("week").filter(pk=activity_id).first()
    if activity is None or not activity.is_cancelled:
        return 0
    sent = 0
    for person in User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        send_email(
            to=[person.email],
            template="activity_cancelled",
            context={
                "person": person,
                "activity": activity,
                "schedule_path": reverse("events:schedule_year", args=[activity.week.year]),
            },
        )
        sent += 1
    logger.info("activity cancellation sent", extra={"activity": activity_id, "count": sent})
    return sent

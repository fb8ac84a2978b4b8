"""Celery tasks for surveys: beat calls them every minute; the flags on the survey and the
Delivery rows make them safe to run twice."""

from celery import shared_task
from django.utils import timezone

from surveys import services


@shared_task(name="surveys.invitations_due", acks_late=True, reject_on_worker_lost=True)
def invitations_due() -> int:
    """Invite the audience of each published survey that has opened."""
    return services.invitations_create(now=timezone.now())


@shared_task(name="surveys.reminders_due", acks_late=True, reject_on_worker_lost=True)
def reminders_due() -> int:
    """Remind non-respondents 24 hours before each survey closes."""
    return services.reminders_create(now=timezone.now())


@shared_task(name="surveys.responses_mix", acks_late=True, reject_on_worker_lost=True)
def responses_mix() -> int:
    """Give the answers of recent surveys a common transaction id (see services.responses_mix)."""
    return services.responses_mix(now=timezone.now())
